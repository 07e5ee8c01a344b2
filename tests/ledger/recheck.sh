#!/usr/bin/env bash
# 附则 rules that the ledger enforces across time, through the CLI:
#   - payment re-checks eligibility on today's data: a firm put on the 严重失信名单 after
#     approval is not paid (the refusal names the list), and is paid once the list no
#     longer names it (信用修复);
#   - 晋升只奖励差额 across years: a 省级 centre approved in 2021, the same centre made 国家级
#     in 2022 → the 2022 candidate and approval are the difference only;
#   - a recognition's subject (the project it is for) is imported and kept.
#
# Usage: BUILD=build tests/ledger/recheck.sh
. "$(dirname "$0")/lib.sh"

DB=$(db_new ledger)
export HUIQI_DB=$DB
CODE=91330302MA285XT30K
DEPT=市经信局

expect 0 "init" init
for k in entities tax mujun credit; do expect 0 "import $k" import $k "$DATA/$k.csv"; done
cat >"$T/rec.csv" <<EOF
credit_code,recognition,level,date,subject
$CODE,工业设计中心,省,2021-06-01,温州示例设计中心
EOF
expect 0 "import a recognition with its subject" import recognitions "$T/rec.csv"
same "$(q "$DB" "SELECT subject FROM recognition WHERE entity_id = (SELECT id FROM entity WHERE credit_code = '$CODE')")" \
    温州示例设计中心 "the subject is stored with the recognition"
expect 0 "fiscal set 鹿城区 50%" fiscal set --district 鹿城区 --city-share 50% --source test

# --- payment re-checks eligibility ----------------------------------------------------------
expect 0 "match 2021" match --year 2021 --quiet
ID=$(q "$DB" "SELECT id FROM award WHERE item = '12-7-12' AND year = 2021")
same "$(q "$DB" "SELECT amount_fen FROM award WHERE id = ${ID:-0}")" 30000000 "12-7-12 省级工业设计中心: 300,000.00元"
[ -n "$ID" ] || { notok "no 12-7-12 award"; finish; }
expect 0 "apply" award apply "$ID"
expect 0 "accept" award accept "$ID" --department $DEPT
expect 0 "approve" award approve "$ID" --department $DEPT
printf 'credit_code,name,list,date\n%s,温州示例科技有限公司,严重失信名单,2022-02-20\n' "$CODE" >"$T/credit_bad.csv"
expect 0 "the firm is put on the 严重失信名单 after approval" import credit "$T/credit_bad.csv"
payments() { q "$DB" "SELECT count(*) FROM payment"; }
expect 1 "pay refused: the firm no longer qualifies" award pay "$ID"
has "$T/err" "the refusal says why" "不能兑付" "严重失信名单"
same "$(q "$DB" "SELECT state FROM award WHERE id = $ID")" approved "the refused award stays approved"
same "$(payments)" 0 "no payment row"
expect 0 "信用修复: the list is sent again without the firm" import credit "$DATA/credit.csv"
expect 0 "pay after 信用修复" award pay "$ID"
same "$(payments)" 1 "one payment"

# --- 晋升只奖励差额 across years -------------------------------------------------------------
cat >"$T/rec2.csv" <<EOF
credit_code,recognition,level,date,subject
$CODE,工业设计中心,省,2021-06-01,温州示例设计中心
$CODE,工业设计中心,国家,2022-05-10,温州示例设计中心
EOF
export HUIQI_NOW=2022-06-01
expect 0 "the centre becomes 国家级 in 2022" import recognitions "$T/rec2.csv"
cat >"$T/tax2.csv" <<EOF
credit_code,year,local_contribution,major_accident
$CODE,2022,5000000.00,否
EOF
expect 0 "2022 tax data" import tax "$T/tax2.csv"
expect 0 "match 2022" match --year 2022 --quiet
ID2=$(q "$DB" "SELECT id FROM award WHERE item = '12-7-12' AND year = 2022")
same "$(q "$DB" "SELECT entitlement_fen || ' ' || amount_fen FROM award WHERE id = ${ID2:-0}")" "100000000 70000000" \
    "2022 candidate: 国家级 1,000,000.00元, less the 300,000.00元 paid for the same centre → 700,000.00元"
if [ -n "$ID2" ]; then
    expect 0 "apply 2022" award apply "$ID2"
    expect 0 "accept 2022" award accept "$ID2" --department $DEPT
    expect 0 "approve 2022" award approve "$ID2" --department $DEPT
    has "$T/out" "approval: the difference, and why" "核定金额 700,000.00元" "补足差额700,000.00元"
fi
verify_audit "$DB" "audit verify"
finish
