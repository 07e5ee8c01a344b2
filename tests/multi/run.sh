#!/usr/bin/env bash
# Two `huiqi serve` processes on ONE ledger (issue 15), for one build tree ($BUILD, default
# build/). On SQLite both open the same WAL file; on PostgreSQL (HUIQI_TEST_DB_URL, see
# tests/lib/db.sh) the same database. Checks:
#   - sessions live in the database: a session made on server A is valid on server B, and a
#     logout on B ends it on A;
#   - approvals of the same awards sent at once to both servers by six clients: each award
#     approved once, every answer 200 or 409, and 附则3's annual cap holds — for the firm whose
#     awards exceed it exactly as tests/ledger/concurrency.sh checks (the total approved of
#     each year received ≤ its cap, and the cap used up), and for every firm as
#     tests/ledger/demo.sh checks (awards of a year ≤ the 地方综合贡献度 of the year before);
#   - pays of the same awards sent at once to both servers: each award paid exactly once;
#   - server A killed with SIGKILL in the middle of a run of pays while B goes on paying the
#     same awards: B keeps answering, no award is half-paid (crash.sh's checks), every award
#     ends paid exactly once and `huiqi audit verify` passes;
#   - the login limiter counts failures spread over both servers together (an account's
#     failures are kept in the ledger, table login_failure, besides each process's tables).
# Output: "ok - …" / "not ok - …" lines and a summary; exit status non-zero on a failure.
# Usage: BUILD=build tests/multi/run.sh   (about 20 s)
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
HQBIN=$BUILD/huiqi
export HUIQI_POLICIES=$ROOT/policies HUIQI_ACTOR=multi-test HUIQI_NOW=2022-03-01
unset HUIQI_DB HUIQI_TEST_MAX_PAGE_COUNT
. "$ROOT/tests/lib/tap.sh"
. "$ROOT/tests/lib/db.sh"
. "$ROOT/tests/lib/http.sh"
tap_init multi
tap_cleanup_hook() { http_kill_all; }
db_tools >"$T/tools" || { echo "not ok - $(cat "$T/tools")"; exit 1; }
for tool in curl jq awk; do command -v $tool >/dev/null || { echo "not ok - $tool is required"; exit 1; }; done
[ -x "$HQBIN" ] || { echo "not ok - $HQBIN is not built (make BUILD=${BUILD#$ROOT/})"; exit 1; }
RANDOM=15015
NFIRMS=60
CAP1=150000000 # the capped firm's 2020 地方综合贡献度 in 分: caps its 资格定补 awards received in 2021
CAP2=80000000  # its 2021 地方综合贡献度: caps its 数据核校 awards on 2021 data (received in 2022)
DB=$(db_new multi)
q() { db_q "$DB" "$1"; }

# uscc PREFIX17 (lines of stdin): completed with the GB 32100 check character.
uscc() {
    awk 'BEGIN { a = "0123456789ABCDEFGHJKLMNPQRTUWXY"; split("1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28", w, " ") }
        { s = 0; for (i = 1; i <= 17; i++) s += (index(a, substr($0, i, 1)) - 1) * w[i]
          k = 31 - s % 31; if (k == 31) k = 0; print $0 substr(a, k + 1, 1) }'
}
# shuffled IDS…: the ids in a random order (the seeded $RANDOM).
shuffled() {
    local a=("$@") i j t
    for ((i = ${#a[@]} - 1; i > 0; i--)); do
        j=$((RANDOM % (i + 1)))
        t=${a[i]} a[i]=${a[j]} a[j]=$t
    done
    echo "${a[@]}"
}

# --- the ledger ----------------------------------------------------------------------------
# The capped firm (as tests/ledger/concurrency.sh): 12-7-12 and 12-7-13 (资格定补, 100万 each)
# against a cap of 150万; 12-7-14 and 12-6-10 (数据核校) against 80万. And NFIRMS design firms,
# one 12-7-12 award each (国家级 100万 or 省级 30万), well within their caps (as crash.sh).
echo "# setup: one capped firm and $NFIRMS design firms, matched, applied and accepted"
CAPPED=$(echo 91330302MA2CC0001 | uscc)
cat >"$T/capped-entities.csv" <<CSV
credit_code,name,district,registered,entity_type,industry,independent_legal_person,fiscal_revenue_in_city,registration_moved,illegal_land_use,in_kechuang_corridor,trading_company,fiscal_revenue_in_prefecture,design_production_started
$CAPPED,温州并发设计有限公司,鹿城区,2015-03-02,企业,其他,是,是,否,否,否,否,是,2020-05-01
CSV
cat >"$T/capped-tax.csv" <<CSV
credit_code,year,local_contribution,major_accident,design_project_contribution,design_public_service
$CAPPED,2020,1500000.00,否,,
$CAPPED,2021,800000.00,否,800000.00,10000000.00
CSV
cat >"$T/capped-recognitions.csv" <<CSV
credit_code,recognition,level,date
$CAPPED,工业设计中心,国家,2021-06-01
$CAPPED,工业设计研究院,国家,2021-07-01
$CAPPED,设计大奖,,2020-03-01
CSV
printf 'credit_code,mujun_rating\n%s,B\n' "$CAPPED" >"$T/capped-mujun.csv"
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
        printf "%s,温州双机设计%03d有限公司,%s,20%02d-0%d-1%d,企业,其他,是,是,否,否,否,否,是\n", c, i, d[i % 4 + 1], 10 + i % 8, 1 + i % 9, i % 10 >> e
        printf "%s,2020,%d.00,否\n%s,2021,%d.00,否\n", c, 3000000 + i * 1000, c, 3500000 + i * 1000 >> t
        printf "%s,工业设计中心,%s,2021-%02d-%02d\n", c, i % 2 ? "省" : "国家", 1 + i % 12, 1 + i % 28 >> r
        printf "%s,%s\n", c, substr("AB", 1 + i % 2, 1) >> m
    }'
printf 'credit_code,list\n' >"$T/credit.csv"
if (
    set -e
    "$HQBIN" init --db "$DB"
    for k in entities tax recognitions mujun; do
        "$HQBIN" import $k "$T/capped-$k.csv" --db "$DB"
        "$HQBIN" import $k "$T/$k.csv" --db "$DB"
    done
    "$HQBIN" import credit "$T/credit.csv" --db "$DB"
    for d in 鹿城区 龙湾区 瓯海区 洞头区; do "$HQBIN" fiscal set --db "$DB" --district $d --city-share 50% --source test; done
    "$HQBIN" match --db "$DB" --year 2021 --quiet
    ids=$(q "SELECT id FROM award WHERE state = 'candidate' ORDER BY id" | tr '\n' ' ')
    "$HQBIN" award apply $ids --admin --db "$DB"
    "$HQBIN" award accept $ids --admin --db "$DB"
    "$HQBIN" user add --db "$DB" --username admin --role admin --password admin-pass-1
    "$HQBIN" user add --db "$DB" --username jxj --role reviewer --department 市经信局 --password jxj-pass-1
    "$HQBIN" user add --db "$DB" --username kjj --role reviewer --department 市科技局 --password kjj-pass-1
    "$HQBIN" user add --db "$DB" --username caizheng --role finance --name 市财政局 --password caizheng-pass-1
    "$HQBIN" user add --db "$DB" --username lingdao --role leader --password lingdao-pass-1
) >"$T/setup.log" 2>&1; then ok "setup: init, imports, fiscal set, match 2021, apply and accept, five accounts"; else
    notok "setup"
    show "$T/setup.log" 3000
    tap_finish
fi
ALL=$(q "SELECT id FROM award WHERE state = 'accepted' ORDER BY id" | tr '\n' ' ')
read -ra ALLA <<<"$ALL"
CAPPED_IDS=$(q "SELECT group_concat(a.id, ' ') FROM award a JOIN entity e ON e.id = a.entity_id WHERE e.credit_code = '$CAPPED' AND a.state = 'accepted'")
same "$(q "SELECT group_concat(item, ' ') FROM (SELECT a.item FROM award a JOIN entity e ON e.id = a.entity_id WHERE e.credit_code = '$CAPPED' AND a.state = 'accepted' ORDER BY a.item) AS sub" | tr ' ' '\n' | grep -c '^12-7-1[23]$')" 2 \
    "the capped firm has its two 资格定补 awards accepted (12-7-12, 12-7-13)"
same "$(q "SELECT CAST(sum(entitlement_fen) > $CAP1 AS INTEGER) FROM award a JOIN entity e ON e.id = a.entity_id WHERE e.credit_code = '$CAPPED' AND a.kind = '资格定补'")" 1 \
    "its 资格定补 entitlements exceed the cap"
[ "${#ALLA[@]}" -gt $NFIRMS ] && ok "${#ALLA[@]} awards accepted" || notok "only ${#ALLA[@]} awards accepted"

http_start a "$DB" --threads 4 || tap_finish
A=$HTTP_URL PIDA=$HTTP_PID
http_start b "$DB" --threads 4 || tap_finish
B=$HTTP_URL PIDB=$HTTP_PID
echo "# server A at $A, server B at $B, one ledger"

# --- sessions ------------------------------------------------------------------------------
echo "# sessions live in the database"
http_login "$A" jxj jxj-pass-1
same "$code" 200 "jxj signs in on server A"
http_call "$B" jxj GET /api/me
check "… and the session is valid on server B (HTTP $code)" jq -e '.username == "jxj"' "$T/body"
http_call "$B" jxj POST /api/logout
same "$code" 200 "logout on server B"
http_call "$A" jxj GET /api/me
same "$code" 401 "… ends the session on server A"
http_login "$B" admin admin-pass-1
same "$code" 200 "admin signs in on server B"
http_login "$A" caizheng caizheng-pass-1
same "$code" 200 "caizheng signs in on server A"

# --- concurrent approvals over both servers ------------------------------------------------
# Client c sends its approvals to server A (odd c) or B (even c); clients 1 and 2 approve
# every award, the others a random part; all in a shuffled order, all at once.
echo "# approvals: six clients, both servers, the same awards"
NCLIENT=6
for ((c = 1; c <= NCLIENT; c++)); do
    read -ra ids <<<"$(shuffled "${ALLA[@]}")"
    n=$((c <= 2 ? ${#ids[@]} : 1 + RANDOM % ${#ids[@]}))
    echo "${ids[*]:0:n}" >"$T/appr.$c.ids"
done
pids=()
for ((c = 1; c <= NCLIENT; c++)); do
    (
        url=$A
        [ $((c % 2)) = 0 ] && url=$B
        for id in $(cat "$T/appr.$c.ids"); do
            HTTP_BODY=$T/appr.$c.body http_call "$url" admin POST "/api/awards/$id/approve" \
                -H 'Content-Type: application/json' -d '{"reason": "同意"}'
            echo "$id $code" >>"$T/appr.$c.codes"
        done
    ) &
    pids+=($!)
done
wait "${pids[@]}"
cat "$T"/appr.*.codes >"$T/appr.codes"
odd=$(awk '$2 != 200 && $2 != 409' "$T/appr.codes" | head -5 | tr '\n' ';')
same "$odd" "" "every approval answered 200 or 409 ($(wc -l <"$T/appr.codes") requests)"
same "$(q "SELECT count(*) FROM (SELECT object FROM audit WHERE action = 'approve' GROUP BY object HAVING count(*) > 1) x")" 0 \
    "no award approved twice (audit)"
n200=$(awk '$2 == 200' "$T/appr.codes" | wc -l)
same "$n200" "$(q "SELECT count(*) FROM award WHERE state = 'approved'")" "approvals answered 200 ($n200) = awards approved"
same "$(q "SELECT count(*) FROM award WHERE state NOT IN ('approved', 'accepted')")" 0 "every award approved or still accepted"
for k in 资格定补:$CAP1 数据核校:$CAP2; do
    kind=${k%%:*} cap=${k#*:}
    total=$(q "SELECT coalesce(sum(a.amount_fen), 0) FROM award a JOIN entity e ON e.id = a.entity_id
               WHERE e.credit_code = '$CAPPED' AND a.year = 2021 AND a.state = 'approved' AND a.kind = '$kind'")
    if [ "$total" -le "$cap" ]; then ok "the capped firm: $kind approved $total ≤ cap $cap 分"; else notok "the capped firm: $kind approved $total > cap $cap 分"; fi
    same "$total" "$cap" "the capped firm: the $kind cap is used up exactly"
done
over=$(q "
WITH got AS (
  SELECT a.entity_id, c.year, sum(c.amount_fen) AS fen
    FROM award a JOIN award_claim c ON c.award_id = a.id WHERE a.state = 'approved' GROUP BY 1, 2),
cap AS (
  SELECT entity_id, year + 1 AS year,
         CAST(replace(replace(value, '\"', ''), '.', '') AS INTEGER) AS fen FROM fact
   WHERE name = 'local_contribution' AND value LIKE '\"%.__\"')
SELECT got.entity_id || ' ' || got.year || ': ' || got.fen || ' > ' || cap.fen
  FROM got JOIN cap USING (entity_id, year)
 WHERE got.fen > cap.fen")
same "$over" "" "附则3 for every firm: approved awards of a year ≤ its 地方综合贡献度 of the year before"

# --- concurrent pays over both servers -----------------------------------------------------
# The approved 资格定补 awards (payable on approval): the first half paid by six clients at
# once over both servers; the second half in the kill -9 test below.
PAYABLE=$(q "SELECT id FROM award WHERE state = 'approved' AND kind = '资格定补' ORDER BY id" | tr '\n' ' ')
read -ra PAYA <<<"$PAYABLE"
half=$((${#PAYA[@]} / 2))
PAY1=("${PAYA[@]:0:half}") PAY2=("${PAYA[@]:half}")
echo "# pays: ${#PAY1[@]} awards by six clients over both servers"
for ((c = 1; c <= NCLIENT; c++)); do
    read -ra ids <<<"$(shuffled "${PAY1[@]}")"
    n=$((c <= 2 ? ${#ids[@]} : 1 + RANDOM % ${#ids[@]}))
    echo "${ids[*]:0:n}" >"$T/pay.$c.ids"
done
pids=()
for ((c = 1; c <= NCLIENT; c++)); do
    (
        url=$A
        [ $((c % 2)) = 0 ] && url=$B
        for id in $(cat "$T/pay.$c.ids"); do
            HTTP_BODY=$T/pay.$c.body http_call "$url" caizheng POST "/api/awards/$id/pay" \
                -H 'Content-Type: application/json' -d '{"batch": "multi-1"}'
            echo "$id $code" >>"$T/pay.$c.codes"
        done
    ) &
    pids+=($!)
done
wait "${pids[@]}"
cat "$T"/pay.*.codes >"$T/pay.codes"
odd=$(awk '$2 != 200 && $2 != 409' "$T/pay.codes" | head -5 | tr '\n' ';')
same "$odd" "" "every pay answered 200 or 409 ($(wc -l <"$T/pay.codes") requests)"
same "$(awk '$2 == 200' "$T/pay.codes" | wc -l)" "${#PAY1[@]}" "one pay answered 200 per award (${#PAY1[@]})"
list=$(IFS=,; echo "${PAY1[*]}")
same "$(q "SELECT count(*) || ' ' || count(DISTINCT award_id) FROM payment WHERE award_id IN ($list)")" "${#PAY1[@]} ${#PAY1[@]}" \
    "each award paid exactly once (payment table)"
same "$(q "SELECT count(*) FROM award WHERE id IN ($list) AND state = 'paid'")" "${#PAY1[@]}" "all of them paid"
same "$(q "SELECT count(*) FROM (SELECT object FROM audit WHERE action = 'pay' GROUP BY object HAVING count(*) > 1) x")" 0 \
    "one pay audit row per award"

# --- kill -9 of server A in the middle of a run of pays ------------------------------------
# consistent DESCRIPTION: crash.sh's checks — no award half-paid.
consistent() {
    local bad="" v
    v=$(q "SELECT count(*) FROM award a WHERE a.state IN ('paid', 'archived')
             AND (SELECT count(*) FROM payment p WHERE p.award_id = a.id) != 1")
    [ "$v" = 0 ] || bad="$bad; $v paid awards without exactly one payment"
    v=$(q "SELECT count(*) FROM payment p LEFT JOIN award a ON a.id = p.award_id
             WHERE a.id IS NULL OR a.state NOT IN ('paid', 'archived')")
    [ "$v" = 0 ] || bad="$bad; $v payments of awards not paid"
    v=$(q "SELECT count(*) FROM payment p
             WHERE p.amount_fen != (SELECT coalesce(sum(s.amount_fen), 0) FROM payment_split s WHERE s.payment_id = p.id)")
    [ "$v" = 0 ] || bad="$bad; $v payments whose split does not add up"
    v=$(q "SELECT count(*) FROM payment p JOIN award a ON a.id = p.award_id WHERE p.amount_fen != a.amount_fen")
    [ "$v" = 0 ] || bad="$bad; $v payments of another amount than the award's"
    v=$(q "SELECT CAST((SELECT count(*) FROM payment) = (SELECT count(*) FROM audit WHERE action = 'pay') AS INTEGER)")
    [ "$v" = 1 ] || bad="$bad; payments and pay audit rows differ in number"
    if [ -z "$bad" ]; then ok "$1"; else notok "$1:$bad"; fi
}
echo "# kill -9: A and B pay the same ${#PAY2[@]} awards (A in order, B in reverse), A is killed mid-way"
P0=$(q "SELECT count(*) FROM payment")
payrun() { # URL NAME IDS…: pay each in turn; "ID CODE" lines in $T/NAME.codes
    local url=$1 name=$2 id
    shift 2
    for id in "$@"; do
        HTTP_BODY=$T/$name.body http_call "$url" caizheng POST "/api/awards/$id/pay" \
            -H 'Content-Type: application/json' -d '{"batch": "multi-2"}'
        echo "$id $code" >>"$T/$name.codes"
    done
}
rev=()
for ((i = ${#PAY2[@]} - 1; i >= 0; i--)); do rev+=("${PAY2[i]}"); done
payrun "$A" runa "${PAY2[@]}" &
RUNA=$!
payrun "$B" runb "${rev[@]}" &
RUNB=$!
target=$((P0 + ${#PAY2[@]} / 4 + 1))
t0=$SECONDS
while [ "$(q "SELECT count(*) FROM payment" 2>/dev/null || echo 0)" -lt $target ] && [ $((SECONDS - t0)) -lt 60 ]; do :; done
kill -9 "$PIDA"
wait "$PIDA" 2>/dev/null
echo "# server A killed after $(($(q "SELECT count(*) FROM payment") - P0)) of ${#PAY2[@]} payments"
wait $RUNA
wait $RUNB
echo "# server A paid $(grep -c ' 200$' "$T/runa.codes") and refused $(grep -c ' 409$' "$T/runa.codes"), then $(grep -c ' 000$' "$T/runa.codes") requests found it dead"
check "server B still answers after A's death" test "$(curl -s -o /dev/null -w '%{http_code}' "$B/api/health")" = 200
odd=$(awk '$2 != 200 && $2 != 409' "$T/runb.codes" | head -5 | tr '\n' ';')
same "$odd" "" "server B answered every pay 200 or 409"
consistent "after the kill: no award half-paid, payments, splits and audit rows agree"
# B finishes whatever is left (it went through every award already; this is the sweep).
left=$(q "SELECT group_concat(id, ' ') FROM award WHERE id IN ($(IFS=,; echo "${PAY2[*]}")) AND state = 'approved'")
[ -z "$left" ] || payrun "$B" sweep $left
list=$(IFS=,; echo "${PAY2[*]}")
same "$(q "SELECT count(*) || ' ' || count(DISTINCT award_id) FROM payment WHERE award_id IN ($list)")" "${#PAY2[@]} ${#PAY2[@]}" \
    "every award of the run paid exactly once"
consistent "at the end: no award half-paid"
if "$HQBIN" audit verify --db "$DB" >"$T/verify.out" 2>&1; then ok "huiqi audit verify passes after the kill"; else
    notok "huiqi audit verify after the kill"
    show "$T/verify.out"
fi

# --- the login limiter across servers ------------------------------------------------------
echo "# the login limiter: failures spread over both servers count together"
# attempt FROM URL USER PASSWORD: one login from 127.0.0.FROM; prints the status.
attempt() {
    curl -sS --interface "127.0.0.$1" -o /dev/null -w '%{http_code}\n' --max-time 30 \
        -H 'Content-Type: application/json' --data-binary "{\"username\":\"$3\",\"password\":\"$4\"}" \
        "$2/api/login" 2>/dev/null || echo 000
}
http_start a2 "$DB" --threads 4 || tap_finish
A=$HTTP_URL
for i in 1 2 3; do attempt 3 "$A" kjj "bad-$i" >/dev/null; done
for i in 4 5; do attempt 3 "$B" kjj "bad-$i" >/dev/null; done
code=$(attempt 3 "$A" kjj kjj-pass-1)
same "$code" 429 "5 failures for kjj (3 on A, 2 on B): the right password on A waits the delay (429)"
sleep 1.1
pids=()
for i in $(seq 16); do
    url=$A
    [ $((i % 2)) = 0 ] && url=$B
    attempt 4 "$url" lingdao wrong-pass >"$T/race.$i" &
    pids+=($!)
done
wait "${pids[@]}"
race401=$(cat "$T"/race.[0-9]* | grep -c '^401$') race429=$(cat "$T"/race.[0-9]* | grep -c '^429$')
same "$race401/$race429" 5/11 "16 racing bad passwords for lingdao over both servers: 5 checked (401), 11 refused (429)"

http_stop "$HTTP_PID" a2
same "$src" 0 "server A (restarted) exits 0"
http_stop "$PIDB" b
same "$src" 0 "server B exits 0"
tap_finish
