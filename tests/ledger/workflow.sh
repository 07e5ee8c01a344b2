#!/usr/bin/env bash
# One award's whole life through the CLI — 免申即享 match, push, apply, accept, approve,
# publicize, objection, close, pay (with the 市/区 split), archive — with every transition
# that is not legal from each state refused (exit 1, a reason, no change, no audit row);
# a 数据核校 award that may be applied for only in the year after its data year; and the
# audit chain verified, then tampered with behind huiqi's back and caught.
#
# Usage: BUILD=build tests/ledger/workflow.sh
. "$(dirname "$0")/lib.sh"

DB=$(db_new ledger)
export HUIQI_DB=$DB
CODE=91330302MA285XT30K
DEPT=市经信局

expect 0 "init" init
for k in entities tax recognitions mujun credit; do expect 0 "import $k" import $k "$DATA/$k.csv"; done
expect 0 "import projects (2022 公共服务合同执行额)" import projects "$DATA/projects.csv"
expect 0 "fiscal set 鹿城区 50%" fiscal set --district 鹿城区 --city-share 50% --source test

expect 0 "match 2021" match --year 2021 --quiet
ID=$(q "$DB" "SELECT id FROM award WHERE item = '12-7-12' AND year = 2021")
same "$(q "$DB" "SELECT count(*) || ' ' || min(state) || ' ' || min(amount_fen) FROM award WHERE year = 2021")" "1 candidate 100000000" \
    "match 2021: one candidate, 12-7-12 国家级工业设计中心 1,000,000.00元"
[ -n "$ID" ] || { notok "no 12-7-12 award: nothing more to test"; finish; }

state() { q "$DB" "SELECT state FROM award WHERE id = $1"; }
audit_rows() { q "$DB" "SELECT count(*) FROM audit"; }

# Every option each verb needs, so that a refusal can only be the state's doing.
VERBS="push apply accept approve reject return resubmit publicize object close pay archive"
opts_for() {
    case $1 in
    accept | approve) echo --department $DEPT ;;
    reject | return) echo --department $DEPT --reason 测试 ;;
    publicize) echo --department $DEPT --start 2022-03-01 --end 2022-03-07 ;;
    object) echo --text 测试异议 ;;
    esac
}

# illegal ID STATE_ZH LEGAL…: every verb not in LEGAL is refused with exit 1 and a message
# naming the current state; the award and the audit log do not change.
illegal() {
    local id=$1 zh=$2 v bad="" code
    shift 2
    local legal=" $* " before_state before_audit
    before_state=$(state "$id")
    before_audit=$(audit_rows)
    for v in $VERBS; do
        case $legal in *" $v "*) continue ;; esac
        # shellcheck disable=SC2046
        hq award $v "$id" $(opts_for $v)
        if [ "$rc" != 1 ] || ! grep -qF "当前状态为「$zh」" "$T/err"; then
            bad="$bad $v(exit $rc: $(head -c 200 "$T/err" | tr '\n' ' '))"
        fi
    done
    code=$(state "$id")
    if [ -z "$bad" ] && [ "$code" = "$before_state" ] && [ "$(audit_rows)" = "$before_audit" ]; then
        ok "$zh: every illegal transition refused (exit 1, names the state), nothing written"
    else
        notok "$zh: illegal transitions:$bad; state $before_state → $code; audit rows $before_audit → $(audit_rows)"
    fi
}

# step DESCRIPTION STATE VERB ARGS…: a legal step succeeds and reaches STATE.
step() {
    local what=$1 want=$2
    shift 2
    expect 0 "$what" award "$@"
    same "$(state "$ID")" "$want" "$what: state is $want"
}

illegal "$ID" 待申报 push apply
step "push" pushed push "$ID"
illegal "$ID" 已推送 apply
step "apply" applied apply "$ID"
illegal "$ID" 已申报 accept reject return

# 退回补正: the department sends the application back with what to correct; the firm resubmits.
expect 2 "return without saying what to correct refused (a missing parameter is a usage error)" award return "$ID" --department $DEPT
step "return for correction" returned return "$ID" --department $DEPT --reason 请补充认定文件扫描件
has "$T/out" "return: says so, with the reason" "已退回补正" "请补充认定文件扫描件"
same "$(q "$DB" "SELECT reason FROM award WHERE id = $ID")" 请补充认定文件扫描件 "the firm can read what to correct"
illegal "$ID" 退回补正 resubmit
step "resubmit after correction" applied resubmit "$ID"
same "$(q "$DB" "SELECT reason FROM award WHERE id = $ID")" "" "resubmitted: the correction request is cleared from the award (kept in the audit log)"
illegal "$ID" 已申报 accept reject return

expect 1 "accept by the wrong department refused" award accept "$ID" --department 市商务局
has "$T/err" "wrong department: says who is responsible" "由「$DEPT」负责" "市商务局无权办理"
expect 1 "accept without a department refused" award accept "$ID"
same "$(state "$ID")" applied "refused accepts leave the award applied"
step "accept by $DEPT" accepted accept "$ID" --department $DEPT
illegal "$ID" 已受理 approve reject return

expect 1 "approve by the wrong department refused" award approve "$ID" --department 市财政局
step "approve" approved approve "$ID" --department $DEPT
has "$T/out" "approve: the amount" "核定金额 1,000,000.00元"
same "$(q "$DB" "SELECT substr(decision_id, 1, 2) FROM award WHERE id = $ID")" "D-" "approve: the decision id is on the award (for audit, not in the message)"
same "$(q "$DB" "SELECT amount_fen FROM award WHERE id = $ID")" 100000000 "approved amount 100000000 分"
illegal "$ID" 审核通过 publicize pay

expect 1 "publicize with the end before the start refused" award publicize "$ID" --department $DEPT --start 2022-03-07 --end 2022-03-01
expect 1 "publicize shorter than 5 working days refused (Tue 1 March … Sat 5 March: 4)" award publicize "$ID" --department $DEPT --start 2022-03-01 --end 2022-03-05
has "$T/err" "short publicity: says the minimum and what was given" "公示期不得少于5个工作日" "只有4个工作日"
expect 1 "publicize back-dated refused (today is 2022-03-01: a period from 2022-02-22 could not have been read)" award publicize "$ID" --department $DEPT --start 2022-02-22 --end 2022-03-07
has "$T/err" "back-dated publicity: says why" "公示开始日期 2022-02-22 早于今天 2022-03-01：公示不能倒签"
echo 2022-03-02T10:00:00+08:00 >"$T/clock"
HUIQI_NOW=@$T/clock expect 1 "the clock read from a file (HUIQI_NOW=@FILE): 2022-03-01 is yesterday" award publicize "$ID" --department $DEPT --start 2022-03-01 --end 2022-03-08
has "$T/err" "the file's date is today" "早于今天 2022-03-02"
expect 2 "publicize with a malformed date refused (a malformed parameter is a usage error)" award publicize "$ID" --department $DEPT --start 2022-3-1 --end 2022-03-07
step "publicize 2022-03-01 … 2022-03-07" publicizing publicize "$ID" --department $DEPT --start 2022-03-01 --end 2022-03-07
illegal "$ID" 公示中 object close

expect 0 "object during publicity" award object "$ID" --text 该企业认定材料存疑
OBJ=$(q "$DB" "SELECT max(id) FROM objection WHERE award_id = $ID")
has "$T/out" "object: objection registered" "异议 #$OBJ"
expect 1 "close before the end date refused" award close "$ID"
has "$T/err" "close before the end: says until when" "公示期至 2022-03-07" "尚未届满"
HUIQI_NOW=2022-03-08 expect 1 "close after the end with an open objection refused" award close "$ID"
has "$T/err" "close with an open objection: says so" "尚有 1 件异议未处理"
HUIQI_NOW=2022-03-08 expect 1 "object after the publicity ended refused" award object "$ID" --text 迟到的异议
expect 1 "resolve by the wrong department refused" award resolve "$OBJ" --department 市商务局 --dismissed --note 不成立
expect 2 "resolve without a note refused (a missing parameter is a usage error)" award resolve "$OBJ" --department $DEPT --dismissed
expect 0 "resolve: objection dismissed" award resolve "$OBJ" --department $DEPT --dismissed --note 经核查认定材料真实
same "$(state "$ID")" publicizing "dismissed objection: still publicizing"
expect 1 "resolve the same objection twice refused" award resolve "$OBJ" --department $DEPT --upheld --note 再议
expect 1 "close still refused before the end date" award close "$ID"
HUIQI_NOW=2022-03-08 step "close after the end date" publicized close "$ID"
export HUIQI_NOW=2022-03-08
illegal "$ID" 公示期满 pay

step "pay" paid pay "$ID" --batch 2022-03
has "$T/out" "pay: split between 市财政 and 鹿城区" "1,000,000.00元" "市财政 500,000.00元" "鹿城区 500,000.00元"
# The split's rows compared as a set: no ORDER BY the two databases would agree on is needed.
same "$(q "$DB" "SELECT p.amount_fen || ':' || s.payer || '=' || s.amount_fen
                 FROM payment p JOIN payment_split s ON s.payment_id = p.id WHERE p.award_id = $ID" | LC_ALL=C sort | paste -sd, -)" \
    "100000000:市财政=50000000,100000000:鹿城区=50000000" "payment row and its split in the database"
illegal "$ID" 已兑付 archive
step "archive" archived archive "$ID"
illegal "$ID" 已归档
same "$(q "$DB" "SELECT group_concat(action, ' ') FROM (SELECT action FROM audit WHERE object = 'award#$ID' AND action != 'denied' ORDER BY seq) AS sub")" \
    "push apply return resubmit accept approve publicize close-publicity pay archive" "the audit log holds each step of the award once"
same "$(q "$DB" "SELECT group_concat(json_extract(after, '$.verb') || '/' || json_extract(after, '$.department'), ' ') FROM (SELECT after FROM audit WHERE object = 'award#$ID' AND action = 'denied' ORDER BY seq) AS sub")" \
    "受理/市商务局 受理/ 审核通过/市财政局 处理异议/市商务局" "each refused attempt by another (or no) department is in the audit log as denied"
same "$(q "$DB" "SELECT count(*) FROM payment WHERE award_id = $ID")" 1 "one payment row"

# --- a 数据核校 award: applied for in the year after its data year ---------------------------
export HUIQI_NOW=2022-03-01
expect 0 "match 2022" match --year 2022 --quiet
DID=$(q "$DB" "SELECT id FROM award WHERE item = '12-7-14' AND year = 2022")
same "$(q "$DB" "SELECT kind || ' ' || state || ' ' || entitlement_fen FROM award WHERE id = ${DID:-0}")" "数据核校 candidate 100000000" \
    "match 2022: 12-7-14 数据核校 candidate, (1000万 − 500万) × 20% = 1,000,000.00元"
if [ -n "$DID" ]; then
    expect 1 "数据核校: apply in the data year (2022) refused" award apply "$DID"
    has "$T/err" "数据核校 refusal: says from when" "数据核校" "须在2023年起申报"
    same "$(state "$DID")" candidate "refused apply leaves the candidate"
    export HUIQI_NOW=2023-01-05
    ID_SAVE=$ID ID=$DID # step() checks the state of $ID
    step "数据核校: apply the year after (2023)" applied apply "$DID"
    step "数据核校: accept" accepted accept "$DID" --department $DEPT
    step "数据核校: approve" approved approve "$DID" --department $DEPT
    expect 1 "数据核校: pay before publicity refused" award pay "$DID"
    has "$T/err" "数据核校 pay refusal: says why" "数据核校类项目须经公示期满后兑付"
    step "数据核校: publicize" publicizing publicize "$DID" --department $DEPT --start 2023-01-05 --end 2023-01-12
    expect 0 "数据核校: object" award object "$DID" --text 合同执行额虚报
    OBJ2=$(q "$DB" "SELECT max(id) FROM objection WHERE award_id = $DID")
    # One objector may lodge at most 3 objections against one award's 公示; another still may.
    expect 0 "数据核校: the same objector's second objection" award object "$DID" --text 补充：发票存疑
    expect 0 "数据核校: the same objector's third objection" award object "$DID" --text 补充：合同存疑
    expect 1 "数据核校: a fourth objection by the same objector refused" award object "$DID" --text 再次异议
    has "$T/err" "objection limit: says how many and the limit" "已对奖补 #$DID 提出3件异议" "每人最多3件"
    HUIQI_ACTOR=另一异议人 expect 0 "数据核校: another objector may still object" award object "$DID" --text 另一异议
    same "$(q "$DB" "SELECT count(*) FROM objection WHERE award_id = $DID")" 4 "four objections recorded, the refused one not"
    step "数据核校: objection upheld rejects the award" rejected resolve "$OBJ2" --department $DEPT --upheld --note 合同执行额不实
    has "$T/out" "upheld objection: says the award is rejected" "异议 #$OBJ2 成立" "已驳回"
    illegal "$DID" 已驳回
    ID=$ID_SAVE
fi

# --- the audit chain ----------------------------------------------------------------------
verify_audit "$DB" "audit verify passes on the untouched log"
has "$T/out" "audit verify: reports the rows checked" "哈希链校验通过"
LAST=$(q "$DB" "SELECT max(seq) FROM audit")
unset HUIQI_DB

T1=$(db_new t1)
copy_db "$DB" "$T1"
if q "$T1" "UPDATE audit SET actor = 'mallory' WHERE seq = 5" 2>"$T/sqlerr"; then
    notok "the audit trigger refuses UPDATE"
else
    has "$T/sqlerr" "the audit trigger refuses UPDATE" "append-only"
fi
db_tamper "$T1" "UPDATE audit SET actor = 'mallory' WHERE seq = 5"
expect 1 "audit verify fails after a row was edited" audit verify --db "$T1"
has "$T/out" "edited row: verify names it" "审计记录第5条" "被改动"

T2=$(db_new t2)
copy_db "$DB" "$T2"
db_tamper "$T2" "DELETE FROM audit WHERE seq = $LAST"
expect 1 "audit verify fails after the last row was deleted" audit verify --db "$T2"
has "$T/out" "deleted last row: verify names it" "审计日志止于第$((LAST - 1))条" "记录的链尾为第${LAST}条"

T3=$(db_new t3)
copy_db "$DB" "$T3"
db_tamper "$T3" "DELETE FROM audit WHERE seq = 7"
expect 1 "audit verify fails after a middle row was deleted" audit verify --db "$T3"
has "$T/out" "deleted middle row: verify names the gap" "审计记录第8条" "第7–7条缺失"

T4=$(db_new t4)
copy_db "$DB" "$T4"
db_tamper "$T4" "UPDATE audit SET after = replace(after, '1000000.00', '9000000.00') WHERE action = 'pay'"
expect 1 "audit verify fails after a payment's recorded amount was changed" audit verify --db "$T4"
PAYSEQ=$(q "$DB" "SELECT seq FROM audit WHERE action = 'pay' AND object = 'award#$ID'")
has "$T/out" "changed payment row: verify names it" "审计记录第${PAYSEQ}条"

verify_audit "$DB" "the original log still verifies"
finish
