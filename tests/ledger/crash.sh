#!/usr/bin/env bash
# kill -9 during a batch of payments. 200 firms each hold an approved 资格定补 award
# (12-7-12: 国家级 工业设计中心 100万元 or 省级 30万元); each round starts
# `huiqi award pay --all` and kills it with SIGKILL at a random point — after a random
# number of payments plus 0–2 ms, or during start-up — then checks the database (sqlite3, or psql on PostgreSQL):
#   - every award in state paid has exactly one payment row;
#   - no payment row belongs to an award that is not paid or archived;
#   - the payments add up to the amounts of the paid awards, and each payment's split adds
#     up to the payment;
#   - every payment has its audit row, and `huiqi audit verify` passes;
#   - the database passes PRAGMA integrity_check (SQLite only), and no paid award is ever unpaid again.
# Finally pay --all runs to completion and every award is paid exactly once; a further
# pay --all, with nothing left to pay, must not fail.
#
# Usage: BUILD=build tests/ledger/crash.sh [ROUNDS]
. "$(dirname "$0")/lib.sh"

ROUNDS=${1:-15}
NFIRMS=200
RANDOM=15151
DB=$(db_new ledger)
export HUIQI_DB=$DB

# --- a demo-like dataset -----------------------------------------------------------------
# Firm i: credit code 913303020000 + i (check character computed), one of four districts,
# a 国家级 (even i) or 省级 (odd i) 工业设计中心 recognised in 2021.
seq 1 $NFIRMS | awk '{ printf "913303020000%05d\n", $1 }' | uscc >"$T/codes"
paste -d' ' <(seq 1 $NFIRMS) "$T/codes" | awk -v e="$T/entities.csv" -v t="$T/tax.csv" -v r="$T/recognitions.csv" -v m="$T/mujun.csv" '
    BEGIN {
        split("鹿城区 龙湾区 瓯海区 洞头区", d, " ")
        print "credit_code,name,district,registered,entity_type,industry,independent_legal_person,fiscal_revenue_in_city,registration_moved,illegal_land_use,in_kechuang_corridor,trading_company,fiscal_revenue_in_prefecture" > e
        print "credit_code,year,local_contribution,major_accident" > t
        print "credit_code,recognition,level,date" > r
        print "credit_code,mujun_rating" > m
    }
    {
        i = $1; c = $2
        printf "%s,温州压测设计%03d有限公司,%s,20%02d-0%d-1%d,企业,其他,是,是,否,否,否,否,是\n", c, i, d[i % 4 + 1], 10 + i % 8, 1 + i % 9, i % 10 >> e
        printf "%s,2020,%d.00,否\n%s,2021,%d.00,否\n", c, 3000000 + i * 1000, c, 3500000 + i * 1000 >> t
        printf "%s,工业设计中心,%s,2021-%02d-%02d\n", c, i % 2 ? "省" : "国家", 1 + i % 12, 1 + i % 28 >> r
        printf "%s,%s\n", c, substr("AB", 1 + i % 2, 1) >> m
    }'

expect 0 "init" init
for k in entities tax recognitions mujun; do expect 0 "import $NFIRMS-firm $k" import $k "$T/$k.csv"; done
expect 0 "import credit (empty)" import credit "$DATA/credit.csv"
for d in 鹿城区 龙湾区 瓯海区 洞头区; do
    expect 0 "fiscal set $d" fiscal set --district $d --city-share 50% --source test
done
expect 0 "match 2021" match --year 2021 --quiet
IDS=$(q "$DB" "SELECT group_concat(id, ' ') FROM award WHERE item = '12-7-12' AND state = 'candidate'")
set -- $IDS
same "$#" $NFIRMS "$NFIRMS candidates for 12-7-12"
t0=$(now_ms)
expect 0 "apply all" award apply $IDS
expect 0 "accept all" award accept $IDS --department 市经信局
expect 0 "approve all" award approve $IDS --department 市经信局
echo "# preparing $NFIRMS approved awards took $(($(now_ms) - t0)) ms"
EXPECTED=$(q "$DB" "SELECT sum(amount_fen) FROM award WHERE state = 'approved'")
same "$EXPECTED" $(((NFIRMS / 2) * 100000000 + (NFIRMS / 2) * 30000000)) "approved total: 100 × 100万 + 100 × 30万"

# The start-up of a run (corpus and store), measured here (plain or sanitized build) on a
# copy: every fifth round kills at a random moment of it. The other rounds let the run pay
# a random number of the awards left (up to half of them), watching the payment table, and
# kill it 0–2 ms after that — wherever it is by then, mid-transaction or between two.
APPROVED=$(db_new approved)
copy_db "$DB" "$APPROVED"
t0=$(now_ms)
"$HQ" award pay 999999 --db "$APPROVED" >/dev/null 2>&1
START=$(($(now_ms) - t0))
echo "# start-up of a run: $START ms"

check_db() { # ROUND
    local r=$1 bad=""
    local v
    v=$(q "$DB" "SELECT count(*) FROM award a WHERE a.state IN ('paid', 'archived')
                 AND (SELECT count(*) FROM payment p WHERE p.award_id = a.id) != 1")
    [ "$v" = 0 ] || bad="$bad; $v paid awards without exactly one payment"
    v=$(q "$DB" "SELECT count(*) FROM payment p LEFT JOIN award a ON a.id = p.award_id
                 WHERE a.id IS NULL OR a.state NOT IN ('paid', 'archived')")
    [ "$v" = 0 ] || bad="$bad; $v payments of awards not paid"
    v=$(q "$DB" "SELECT CAST((SELECT coalesce(sum(amount_fen), 0) FROM payment)
                      = (SELECT coalesce(sum(amount_fen), 0) FROM award WHERE state IN ('paid', 'archived')) AS INTEGER)")
    [ "$v" = 1 ] || bad="$bad; payments do not add up to the paid awards"
    v=$(q "$DB" "SELECT count(*) FROM payment p
                 WHERE p.amount_fen != (SELECT coalesce(sum(s.amount_fen), 0) FROM payment_split s WHERE s.payment_id = p.id)")
    [ "$v" = 0 ] || bad="$bad; $v payments whose split does not add up"
    v=$(q "$DB" "SELECT CAST((SELECT count(*) FROM payment) = (SELECT count(*) FROM audit WHERE action = 'pay') AS INTEGER)")
    [ "$v" = 1 ] || bad="$bad; payments and pay audit rows differ in number"
    if db_pg; then [ "$r" != 1 ] || db_skip "PRAGMA integrity_check" "a SQLite file check; PostgreSQL's own WAL recovery is not ours to test"
    else
        v=$(q "$DB" "PRAGMA integrity_check")
        [ "$v" = ok ] || bad="$bad; integrity_check: $v"
    fi
    paid=$(q "$DB" "SELECT count(*) FROM award WHERE state = 'paid'")
    [ "$paid" -ge "$last_paid" ] || bad="$bad; paid awards went from $last_paid to $paid"
    if [ -z "$bad" ]; then ok "round $r: consistent after kill -9 ($paid of $NFIRMS paid)"; else notok "round $r:$bad"; fi
    hq audit verify --db "$DB"
    if [ "$rc" = 0 ]; then ok "round $r: audit verify"; else notok "round $r: audit verify exit $rc"; show "$T/out"; show "$T/err"; fi
    last_paid=$paid
}

# alive PID: the process runs (it is not gone, nor a zombie waiting to be reaped).
alive() {
    local st
    read -r _ _ st _ <"/proc/$1/stat" 2>/dev/null && [ "$st" != Z ]
}

last_paid=0
killed=0
for ((r = 1; r <= ROUNDS; r++)); do
    if [ "$last_paid" = $NFIRMS ]; then # all paid already: start again from the approvals
        copy_db "$APPROVED" "$DB"
        last_paid=0
        echo "# round $r: every award was paid; restarting from the approved awards"
    fi
    left=$((NFIRMS - last_paid))
    target=$((last_paid + 1 + RANDOM % (left / 2 + 1)))
    "$HQ" award pay --all --batch "round-$r" >"$T/pay.out" 2>"$T/pay.err" &
    pid=$!
    if [ $((r % 5)) = 0 ]; then
        delay=$((RANDOM % (START + 1)))
        sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
    else
        t0=$SECONDS
        while alive $pid && [ $((SECONDS - t0)) -lt 30 ] &&
            [ "$(q "$DB" "SELECT count(*) FROM payment" 2>/dev/null || echo 0)" -lt $target ]; do :; done
        sleep 0.00$((RANDOM % 3))
    fi
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    [ $? = 137 ] && killed=$((killed + 1))
    check_db $r
done
echo "# $killed of $ROUNDS runs were killed before they finished"

if [ "$last_paid" -lt $NFIRMS ]; then
    expect 0 "pay --all to completion ($((NFIRMS - last_paid)) left)" award pay --all --batch final
else
    echo "# the rounds paid everything: no final run"
fi
check_db final
same "$(q "$DB" "SELECT count(*) FROM award WHERE state = 'paid'")" $NFIRMS "every award paid"
same "$(q "$DB" "SELECT count(*) || ' ' || count(DISTINCT award_id) || ' ' || sum(amount_fen) FROM payment")" \
    "$NFIRMS $NFIRMS $EXPECTED" "exactly one payment per award, adding up to the approved total"
same "$(q "$DB" "SELECT group_concat(payer || '=' || total, ' ') FROM (SELECT payer, sum(amount_fen) AS total
                 FROM payment_split GROUP BY payer ORDER BY payer) AS sub")" \
    "$(q "$DB" "SELECT group_concat(payer || '=' || total, ' ') FROM (SELECT payer, sum(total) AS total FROM (
                 SELECT '市财政' AS payer, amount_fen / 2 AS total FROM award
                 UNION ALL SELECT json_extract(f.value, '$'), a.amount_fen / 2 FROM award a
                   JOIN fact f ON f.entity_id = a.entity_id AND f.name = 'district' AND f.year = 0) AS sub
                 GROUP BY payer ORDER BY payer) AS sub")" "the splits: half 市财政, half the firm's district"
expect 0 "pay --all with nothing left to pay is not an error" award pay --all
finish
