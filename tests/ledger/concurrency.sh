#!/usr/bin/env bash
# Reviewers approving at the same moment: six processes approve overlapping sets of the
# awards of ONE firm (the same ids given to several processes, too). 附则3 caps what a firm
# receives in a year at the previous year's 地方综合贡献度; the 资格定补 awards of 2021 are
# received in 2021 (capped by the 2020 contribution) and the 数据核校 awards on 2021 data in
# 2022 (附则2: the next year; capped by the 2021 contribution), and each group exceeds its
# cap. Two of the 数据核校 awards rest on the same basis, the 2021 地方综合贡献度 (附则3:
# 就高执行，不重复享受). Approval is a read-check-write under the store's write lock, so however
# the processes interleave:
#   - no award is approved twice;
#   - the total approved for each year received stays within its cap (and reaches it);
#   - at most one of the two same-basis awards is approved with a non-zero amount;
#   - the audit chain verifies.
# Repeated for several rounds with the order of ids shuffled (fixed seed), then two
# concurrent `pay --all` runs pay each payable award exactly once.
#
# Usage: BUILD=build tests/ledger/concurrency.sh [ROUNDS]
. "$(dirname "$0")/lib.sh"

ROUNDS=${1:-4}
NPROC=6
CAP1=150000000 # 2020 地方综合贡献度 1,500,000.00元 in 分: caps the 资格定补 awards received in 2021
CAP2=80000000  # 2021 地方综合贡献度 800,000.00元: caps the 数据核校 awards on 2021 data, received in 2022
RANDOM=20220301

DB=$(db_new prepared)
export HUIQI_DB=$DB
CODE=$(uscc 91330302MA2CC0001)

# The firm: 鹿城区, registered 2015 (so the annual cap applies), with
#   12-7-12 国家级工业设计中心 (2021)        100万元  资格定补
#   12-7-13 国家级工业设计研究院 (2021)      100万元  资格定补
#   12-7-14 公共服务合同执行额 1000万元     100万元  数据核校
#   12-6-10 设计大奖项目投产贡献 80万元       80万元  数据核校, basis 地方综合贡献度
#   12-2-3  政府产业基金合作对象, 贡献 80万元  80万元  数据核校, basis 地方综合贡献度
# 资格定补 200万元 against a cap of 150万元; 数据核校 260万元, after 就高 180万元, against 80万元.
cat >"$T/entities.csv" <<EOF
credit_code,name,district,registered,entity_type,industry,independent_legal_person,fiscal_revenue_in_city,registration_moved,illegal_land_use,in_kechuang_corridor,trading_company,fiscal_revenue_in_prefecture,design_production_started
$CODE,温州并发设计有限公司,鹿城区,2015-03-02,企业,其他,是,是,否,否,否,否,是,2020-05-01
EOF
cat >"$T/tax.csv" <<EOF
credit_code,year,local_contribution,major_accident,design_project_contribution,design_public_service
$CODE,2020,1500000.00,否,,
$CODE,2021,800000.00,否,800000.00,10000000.00
EOF
cat >"$T/recognitions.csv" <<EOF
credit_code,recognition,level,date
$CODE,工业设计中心,国家,2021-06-01
$CODE,工业设计研究院,国家,2021-07-01
$CODE,设计大奖,,2020-03-01
EOF
printf 'credit_code,mujun_rating\n%s,B\n' "$CODE" >"$T/mujun.csv"
# Sent later: the firm becomes a 政府产业基金合作对象 (12-2-3).
printf 'credit_code,name,gov_fund_partner,gov_fund_partner_since\n%s,温州并发设计有限公司,是,2020-01-01\n' "$CODE" >"$T/entities2.csv"
printf 'credit_code,year,office_rent\n%s,2021,0\n' "$CODE" >"$T/tax2.csv"

expect 0 "init" init
for k in entities tax recognitions mujun; do expect 0 "import $k" import $k "$T/$k.csv"; done
expect 0 "import credit (empty)" import credit "$DATA/credit.csv"
expect 0 "fiscal set 鹿城区" fiscal set --district 鹿城区 --city-share 50% --source test

# Matching ranks the two same-basis awards against each other and keeps one candidate, so
# the second is brought in by a later match, after the first has been acted on.
ids_of() { q "$DB" "SELECT group_concat(id, ' ') FROM (SELECT id FROM award WHERE state = '$1' ORDER BY id) AS sub"; }
expect 0 "match 2021 (first data)" match --year 2021 --quiet
FIRST=$(ids_of candidate)
expect 0 "apply the first candidates ($FIRST)" award apply $FIRST
expect 0 "accept them" award accept $FIRST --admin
expect 0 "import 政府产业基金合作对象" import entities "$T/entities2.csv"
expect 0 "import office rent" import tax "$T/tax2.csv"
expect 0 "match 2021 again" match --year 2021 --quiet
SECOND=$(ids_of candidate)
expect 0 "apply the new candidate ($SECOND)" award apply $SECOND
expect 0 "accept it" award accept $SECOND --admin
item_id() { q "$DB" "SELECT id FROM award WHERE item = '$1' AND year = 2021 AND state = 'accepted'"; }
B1=$(item_id 12-6-10) B2=$(item_id 12-2-3)
ALL=$(ids_of accepted)
same "$(q "$DB" "SELECT group_concat(item, ' ') FROM (SELECT item FROM award WHERE state = 'accepted' ORDER BY item) AS sub")" \
    "12-2-3 12-6-10 12-7-12 12-7-13 12-7-14" "five awards accepted for one firm"
same "$(q "$DB" "SELECT CAST(sum(entitlement_fen) > $CAP1 AS INTEGER) FROM award WHERE state = 'accepted' AND kind = '资格定补'")" 1 \
    "the 资格定补 entitlements exceed their cap"
same "$(q "$DB" "SELECT CAST(sum(entitlement_fen) > $CAP2 AS INTEGER) FROM award WHERE state = 'accepted' AND kind = '数据核校'")" 1 \
    "the 数据核校 entitlements exceed their cap"
[ -n "$B1" ] && [ -n "$B2" ] || { notok "the same-basis awards are missing"; finish; }

# shuffled IDS…: the ids in a random order (the seeded $RANDOM).
shuffled() {
    local a=("$@") i j t
    for ((i = ${#a[@]} - 1; i > 0; i--)); do
        j=$((RANDOM % (i + 1)))
        t=${a[i]} a[i]=${a[j]} a[j]=$t
    done
    echo "${a[@]}"
}

mkfifo "$T/go"
for ((r = 1; r <= ROUNDS; r++)); do
    R=$(db_new r$r)
    copy_db "$DB" "$R"
    # Process p approves a random non-empty subset of the awards, in random order; the
    # first two take all five, so every id goes to at least two processes.
    pids=()
    for ((p = 1; p <= NPROC; p++)); do
        read -ra all <<<"$(shuffled $ALL)"
        n=$((p <= 2 ? 5 : 1 + RANDOM % 5))
        echo "${all[*]:0:n}" >"$T/r$r.p$p.ids"
        (
            : <"$T/go" # wait for the start
            exec "$HQ" award approve ${all[*]:0:n} --admin --db "$R" >"$T/r$r.p$p.out" 2>"$T/r$r.p$p.err"
        ) &
        pids+=($!)
    done
    sleep 0.2
    exec 4<>"$T/go" # start them all
    bad=""
    for ((p = 1; p <= NPROC; p++)); do
        wait "${pids[p - 1]}"
        st=$?
        [ $st = 0 ] || [ $st = 1 ] || bad="$bad p$p:exit$st"
    done
    exec 4>&-
    if [ -z "$bad" ] && ! grep -q "数据库错误\|database\|locked" "$T"/r$r.p*.err; then
        ok "round $r: $NPROC approvers finished, each approved or refused, no database error"
    else
        notok "round $r: $bad"
        cat "$T"/r$r.p*.err | sort | uniq | head -5 | sed 's/^/#   /'
    fi
    echo "# round $r: approvals reported by process: $(for ((p = 1; p <= NPROC; p++)); do
        printf 'p%d=%d ' $p "$(grep -c "审核通过，核定金额" "$T/r$r.p$p.out")"; done)"
    twice=$(q "$R" "SELECT group_concat(object) FROM (SELECT object FROM audit WHERE action = 'approve' GROUP BY object HAVING count(*) > 1) AS sub")
    same "$twice" "" "round $r: no award approved twice (audit)"
    said=$(cat "$T"/r$r.p*.out | grep -c "审核通过，核定金额")
    napproved=$(q "$R" "SELECT count(*) FROM award WHERE state = 'approved'")
    same "$said" "$napproved" "round $r: approvals reported ($said) = awards approved"
    for k in 资格定补:$CAP1 数据核校:$CAP2; do
        kind=${k%%:*} cap=${k#*:}
        total=$(q "$R" "SELECT coalesce(sum(amount_fen), 0) FROM award WHERE year = 2021 AND state = 'approved' AND kind = '$kind'")
        if [ "$total" -le $cap ]; then ok "round $r: $kind approved $total ≤ cap $cap 分"; else notok "round $r: $kind approved $total > cap $cap 分"; fi
        same "$total" $cap "round $r: the $kind cap is used up exactly"
    done
    nonzero=$(q "$R" "SELECT count(*) FROM award WHERE id IN ($B1, $B2) AND state = 'approved' AND amount_fen > 0")
    if [ "$nonzero" -le 1 ]; then ok "round $r: same-basis awards: $nonzero approved with a non-zero amount"; else
        notok "round $r: both same-basis awards approved with a non-zero amount"
        q "$R" "SELECT id, item, amount_fen, note FROM award WHERE id IN ($B1, $B2)" | sed 's/^/#   /'
    fi
    left=$(q "$R" "SELECT count(*) FROM award WHERE state NOT IN ('approved', 'accepted')")
    same "$left" 0 "round $r: every award is approved or still accepted"
    verify_audit "$R" "round $r: audit verify"
done

# Two payment runs at once on the last round's result ($R): each payable award paid once.
payable=$(q "$R" "SELECT count(*) FROM award WHERE state = 'approved' AND kind = '资格定补'")
"$HQ" award pay --all --db "$R" >"$T/pay1.out" 2>"$T/pay1.err" &
p1=$!
"$HQ" award pay --all --db "$R" >"$T/pay2.out" 2>"$T/pay2.err" &
p2=$!
wait $p1
s1=$?
wait $p2
s2=$?
# A run that finds nothing left to pay says so (exit 2 "未给出奖补编号", see crash.sh).
for n in 1 2; do
    st=$(eval echo \$s$n)
    [ "$st" = 2 ] && grep -q "未给出奖补编号" "$T/pay$n.err" && eval s$n=0
done
if [ $s1 -le 1 ] && [ $s2 -le 1 ]; then ok "two concurrent pay --all runs finished (exit $s1, $s2)"; else
    notok "concurrent pay --all: exit $s1, $s2"
    show "$T/pay1.err"
    show "$T/pay2.err"
fi
same "$(q "$R" "SELECT count(*) FROM payment")" "$payable" "every approved 资格定补 award paid ($payable)"
same "$(q "$R" "SELECT count(*) FROM (SELECT award_id FROM payment GROUP BY award_id HAVING count(*) > 1) AS sub")" 0 "no award paid twice"
same "$(q "$R" "SELECT count(*) FROM audit WHERE action = 'pay'")" "$payable" "one pay audit row per payment"
verify_audit "$R" "audit verify after concurrent payments"
finish
