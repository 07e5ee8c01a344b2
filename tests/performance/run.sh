#!/usr/bin/env bash
# `huiqi report performance` (绩效评价表, docs/performance.md) against figures recomputed
# independently from the ledger's own tables with sqlite3, awk and bc: the demo city imported
# (as tests/batch/run.sh does), matched for 2021, and a few awards of linked items taken
# through the workflow with the CLI — paid before 30 June of the year after, paid after it,
# approved and unpaid, rejected. Checked: committed and paid 分 and firms reached per link,
# per item and per district against SQL sums on award and payment; the growth of 营业收入
# among reached and other firms and its difference in points recomputed exactly (bc) from
# the fact table; 兑现时效 shares against the payments' dates; the CSV header; an unknown item
# in a links file named at its line; and the API for 财政 (200, same figures) and for an
# enterprise (403).
# Usage: BUILD=build tests/performance/run.sh
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
HQ=$BUILD/huiqi
export HUIQI_POLICIES=$ROOT/policies HUIQI_PLANS=$ROOT/plans HUIQI_ACTOR=perf-test HUIQI_NOW=2022-03-01
T=$(mktemp -d "${TMPDIR:-/tmp}/huiqi-perf.XXXXXX")
SPID=
cleanup() {
    [ -n "$SPID" ] && kill -TERM "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
export HUIQI_DB=$T/l.db
npass=0 nfail=0
ok() { npass=$((npass + 1)); echo "ok - $*"; }
notok() { nfail=$((nfail + 1)); echo "not ok - $*"; }
same() { if [ "$1" = "$2" ]; then ok "$3 ($1)"; else notok "$3: got '$1', expected '$2'"; fi; }
q() { sqlite3 "$HUIQI_DB" "$1"; }
for tool in sqlite3 jq bc curl awk; do command -v $tool >/dev/null || { echo "not ok - $tool is required"; exit 1; }; done
[ -x "$HQ" ] || { echo "not ok - $HQ is not built"; exit 1; }

# ---- the ledger ------------------------------------------------------------------------------
{
    "$HQ" init
    for k in entities tax stats projects mujun credit recognitions awards; do "$HQ" import $k "$ROOT/demo/city/$k.csv"; done
    for d in $(q "SELECT DISTINCT json_extract(value, '\$') FROM fact WHERE name = 'district' AND year = 0"); do
        "$HQ" fiscal set --district "$d" --city-share 50% --source 测试
    done
    "$HQ" match --year 2021 --quiet
} >"$T/setup.log" 2>&1 || { notok "setup (init, import, fiscal set, match)"; tail -5 "$T/setup.log"; exit 1; }
ok "setup: demo city imported, fiscal split set, matched for 2021"

# take ID HOW: push, apply, then HOW: approve (审核通过), early (paid 2022-03-09), late (paid
# 2022-08-01, after the 30 June deadline), reject (驳回 at 已申报).
take() {
    local id=$1 how=$2 dept
    dept=$(q "SELECT department FROM award WHERE id = $id")
    "$HQ" award push "$id" && "$HQ" award apply "$id" || return 1
    if [ "$how" = reject ]; then "$HQ" award reject "$id" --department "$dept" --reason 测试; return; fi
    "$HQ" award accept "$id" --department "$dept" && "$HQ" award approve "$id" --department "$dept" || return 1
    [ "$how" = approve ] && return 0
    "$HQ" award publicize "$id" --department "$dept" --start 2022-03-01 --end 2022-03-07 || return 1
    HUIQI_NOW=2022-03-08 "$HQ" award close "$id" || return 1
    if [ "$how" = early ]; then HUIQI_NOW=2022-03-09 "$HQ" award pay "$id" --batch 2022-03; else HUIQI_NOW=2022-08-01 "$HQ" award pay "$id" --batch 2022-08; fi
}
# Each plan entry ITEM:N:HOW takes the next N candidates of ITEM that get through. A candidate
# whose 附则3 cap (the firm's 地方综合贡献度) is used up by an earlier approval cannot be approved:
# it stays 已受理, outside every committed figure, and the next one is taken instead.
plan="13-8-47:1:late 13-8-47:1:approve 13-12-69:1:approve 13-12-61:3:early 13-12-61:2:late 13-12-61:2:approve
      13-12-61:1:reject 13-12-62:1:early 13-2-5:3:early 13-2-5:2:approve"
bad="" skipped=0
for p in $plan; do
    IFS=: read -r item n how <<<"$p"
    done_n=0
    for id in $(q "SELECT id FROM award WHERE item = '$item' AND year = 2021 AND state = 'candidate' ORDER BY id"); do
        [ "$done_n" = "$n" ] && break
        if take "$id" "$how" >"$T/wf.log" 2>&1; then done_n=$((done_n + 1)); else skipped=$((skipped + 1)); fi
    done
    [ "$done_n" = "$n" ] || bad="$bad $p"
done
[ -z "$bad" ] && ok "workflow: 17 awards of linked items approved, paid early or late, or rejected ($skipped capped by 附则3, left 已受理)" ||
    notok "workflow: too few candidates got through for:$bad"
same "$(q "SELECT count(*) FROM award WHERE state = 'paid'") $(q "SELECT count(*) FROM award WHERE state = 'rejected'")" "10 1" "10 awards paid, 1 rejected"

# ---- the report --------------------------------------------------------------------------------
"$HQ" report performance --year 2021 --json >"$T/r.json" 2>"$T/err" || { notok "report performance --json failed"; cat "$T/err"; }
row() { jq -c --arg g "$1" --arg n "$2" --arg l "$3" '.rows[] | select(.group == $g and .name == $n and .link == $l)' "$T/r.json"; }
COMMITTED="state IN ('approved', 'publicizing', 'publicized', 'paid', 'archived') AND voucher = 0 AND year = 2021"
link_items() { jq -r --arg l "$1" '.links[] | select(.name == $l) | .items | map("'"'"'" + . + "'"'"'") | join(",")' "$T/r.json"; }

# committed, paid and reach of a row, and the same from SQL over the awards WHERE `cond`
check_money() {
    local what=$1 r=$2 cond=$3 want got
    got=$(jq -r '"\(.awards) \(.committed_fen) \(.paid_fen) \(.firms_reached)"' <<<"$r")
    want=$(q "SELECT count(*), coalesce(sum(amount_fen), 0),
                     (SELECT coalesce(sum(p.amount_fen), 0) FROM payment p JOIN award b ON b.id = p.award_id
                       WHERE b.state IN ('paid', 'archived') AND b.voucher = 0 AND b.year = 2021 AND $cond),
                     count(DISTINCT entity_id)
              FROM award a WHERE $COMMITTED AND $cond" | tr '|' ' ')
    same "$got" "$want" "$what: awards, committed 分, paid 分, firms reached = SQL on award and payment"
}

for L in 技改 上云 研发; do
    items=$(link_items "$L")
    check_money "link $L" "$(row 关联 "$L" "$L")" "item IN ($items)"
done
check_money "item 13-12-61" "$(row 条款 "13-12-61 500万元以上技改项目补助" 技改)" "item = '13-12-61'"
check_money "item 13-2-5" "$(row 条款 "13-2-5 企业研发费用补助" 研发)" "item = '13-2-5'"
d=$(q "SELECT json_extract(value, '\$') FROM fact WHERE name = 'district' AND year = 0 AND entity_id =
       (SELECT entity_id FROM award WHERE $COMMITTED AND item = '13-12-61' ORDER BY id LIMIT 1)")
check_money "district $d of 技改" "$(row 区域 "$d" 技改)" "item IN ($(link_items 技改)) AND entity_id IN
      (SELECT entity_id FROM fact WHERE name = 'district' AND year = 0 AND json_extract(value, '\$') = '$d')"
same "$(jq '[.rows[] | select(.group == "条款" and .link == "技改")] | length' "$T/r.json")" 6 "技改 has a row for each of its 6 items, awards or not"

# ---- growth, recomputed -------------------------------------------------------------------------
# Sums of 营业收入 in 分 for Y−1 and Y over the firms with both years, of those reached by the link
# (IN) or not (NOT IN), with awk on exact integers; the rates with bc, rounded half away from zero.
sums() { # $1 IN|NOT IN, $2 items, $3 extra condition
    q "SELECT json_extract(f0.value, '\$'), json_extract(f1.value, '\$') FROM fact f0
         JOIN fact f1 ON f1.entity_id = f0.entity_id AND f1.name = 'revenue' AND f1.year = 2021
        WHERE f0.name = 'revenue' AND f0.year = 2020 AND f0.entity_id $1
              (SELECT entity_id FROM award WHERE $COMMITTED AND item IN ($2)) ${3:-}" |
        awk -F'|' 'function fen(s,  a, d) { split(s, a, "."); d = substr(a[2] "00", 1, 2); if (length(a[2]) > 2) exit 9; return a[1] * 100 + d }
                   { p += fen($1); c += fen($2); n++ } END { printf "%d %.0f %.0f\n", n, p, c }'
}
BC='define r(n, d) { auto q; scale = 0; if (n >= 0) { q = (2*n + d) / (2*d); return q }; q = (-2*n + d) / (2*d); return -q }'
items=$(link_items 技改)
read -r n1 p1 c1 <<<"$(sums IN "$items")"
read -r n2 p2 c2 <<<"$(sums "NOT IN" "$items")"
r=$(row 关联 技改 技改)
g1=$(echo "$BC; r(1000 * ($c1 - $p1), $p1)" | bc)
g2=$(echo "$BC; r(1000 * ($c2 - $p2), $p2)" | bc)
dd=$(echo "$BC; r(1000 * (($c1 - $p1) * $p2 - ($c2 - $p2) * $p1), $p1 * $p2)" | bc)
same "$(jq -r '"\(.reached.firms) \(.reached.growth_tenths) \(.others.firms) \(.others.growth_tenths) \(.diff_tenths)"' <<<"$r")" \
    "$n1 $g1 $n2 $g2 $dd" "技改: firms with data, growth of reached and others (tenths of %) and the difference (tenths of a point) = bc on the fact table"
same "$(jq -r '.reached.prev + " " + .reached.cur' <<<"$r" | tr -d '.')" "$p1 $c1" "技改: the reached firms' 2020 and 2021 sums, exact to the 分"
fmt() { local t=$1 s=""; [ "$t" -lt 0 ] && s=- && t=$((-t)); echo "$s$((t / 10)).$((t % 10))%"; }
same "$(jq -r .reached.growth <<<"$r")" "$(fmt "$g1")" "growth is formatted as 12.3%"
# A district row compares with the other firms of that district.
read -r n3 p3 c3 <<<"$(sums "NOT IN" "$items" "AND f0.entity_id IN (SELECT entity_id FROM fact WHERE name = 'district' AND year = 0 AND json_extract(value, '\$') = '$d')")"
same "$(row 区域 "$d" 技改 | jq -r '"\(.others.firms) \(.others.growth_tenths)"')" "$n3 $(echo "$BC; r(1000 * ($c3 - $p3), $p3)" | bc)" \
    "district $d: the other firms are that district's, growth recomputed"
same "$(row 关联 研发 研发 | jq -r '"\(.reached.firms) \(.reached.growth)"')" "0 null" \
    "研发: rd_deductible has no 2020 values in the demo city, so no growth is claimed (—)"

# ---- 兑现时效 -------------------------------------------------------------------------------------
due=$(q "SELECT coalesce(sum(amount_fen), 0) FROM award WHERE $COMMITTED")
mid=$(q "SELECT coalesce(sum(a.amount_fen), 0) FROM award a JOIN payment p ON p.award_id = a.id
          WHERE a.state IN ('paid', 'archived') AND a.voucher = 0 AND a.year = 2021 AND substr(p.at, 1, 10) <= '2022-06-30'")
end=$(q "SELECT coalesce(sum(a.amount_fen), 0) FROM award a JOIN payment p ON p.award_id = a.id
          WHERE a.state IN ('paid', 'archived') AND a.voucher = 0 AND a.year = 2021 AND substr(p.at, 1, 10) <= '2022-12-31'")
same "$(jq -r '.timeliness | "\(.due_fen) \(.paid_by_midyear_fen) \(.paid_by_yearend_fen)"' "$T/r.json")" "$due $mid $end" \
    "兑现时效: due, paid by 2022-06-30 and by 2022-12-31 (分) = SQL on award and payment dates"
m=$(echo "$BC; r(1000 * $mid, $due)" | bc)
met=$([ $((mid * 10)) -ge $((due * 6)) ] && echo true || echo false)
same "$(jq -r '.timeliness | "\(.midyear_tenths) \(.midyear_met) \(.yearend_met)"' "$T/r.json")" "$m $met $([ "$end" -ge "$due" ] && echo true || echo false)" \
    "兑现时效: share by 30 June (tenths of %) and both rules (60%, 100%) as recomputed"

# ---- text, CSV, errors ---------------------------------------------------------------------------
"$HQ" report performance --year 2021 --format csv >"$T/r.csv" 2>"$T/err"
head -1 "$T/r.csv" | grep -q '^.\?分组,名称,关联,规划指标,度量事实,笔数,已核定金额,已兑付金额,惠及企业数,' && ok "CSV header in Chinese" || notok "CSV header: $(head -1 "$T/r.csv")"
grep -q '^兑现时效,截至2022年6月30日已兑付 ' "$T/r.csv" && ok "CSV has the 兑现时效 rows" || notok "CSV 兑现时效 rows"
"$HQ" report performance --year 2021 >"$T/r.txt" 2>&1 && grep -q '^绩效评价表（2021年度）' "$T/r.txt" && ok "text table titled 绩效评价表（2021年度）" || notok "text output"
"$HQ" report performance --year 2021 --format xlsx --out "$T/r.xlsx" >/dev/null 2>&1 && [ -s "$T/r.xlsx" ] && ok "XLSX written" || notok "XLSX"
"$HQ" report performance >/dev/null 2>"$T/err"
[ $? = 2 ] && ok "no --year: a usage error" || notok "no --year accepted"
mkdir -p "$T/plans" && cp "$ROOT"/plans/*.hqp "$T/plans/"
sed -i 's/items       13-12-61 13-12-62/items       13-12-61 13-12-99/' "$T/plans/performance.hqp"
line=$(grep -n '13-12-99' "$T/plans/performance.hqp" | cut -d: -f1)
HUIQI_PLANS=$T/plans "$HQ" report performance --year 2021 >/dev/null 2>"$T/err"
rc=$?
[ $rc != 0 ] && grep -q "performance.hqp:$line:.*条款 13-12-99 不在规则库中" "$T/err" && ok "an unknown item is an error at its line ($line) of the links file" ||
    { notok "unknown item (exit $rc)"; cat "$T/err"; }

# ---- the API -------------------------------------------------------------------------------------
"$HQ" user add --username caizheng --role finance --name 市财政局 --password caizheng-pass-1 >/dev/null
code=$(q "SELECT e.credit_code FROM entity e JOIN award a ON a.entity_id = e.id WHERE a.state = 'paid' ORDER BY a.id LIMIT 1")
"$HQ" user add --username qiye --role enterprise --credit-code "$code" --password qiye-pass-1 >/dev/null
for try in 1 2 3 4 5 6; do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
    "$HQ" serve --listen "127.0.0.1:$port" --web "$ROOT/web" >"$T/serve.out" 2>"$T/serve.err" &
    SPID=$!
    for i in $(seq 100); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/items/-")" != 000 ] && break 2
        sleep 0.1
    done
    kill -TERM "$SPID" 2>/dev/null; wait "$SPID" 2>/dev/null; SPID=
done
URL=http://127.0.0.1:$port
login() { curl -sS -c "$T/$1.jar" -o /dev/null -H 'Content-Type: application/json' --data-binary "{\"username\":\"$1\",\"password\":\"$2\"}" "$URL/api/login"; }
login caizheng caizheng-pass-1
login qiye qiye-pass-1
st=$(curl -sS -b "$T/caizheng.jar" -o "$T/api.json" -w '%{http_code}' "$URL/api/reports/performance?year=2021")
same "$st" 200 "GET /api/reports/performance?year=2021 as 财政"
[ "$(jq -c '[.rows, .timeliness]' "$T/api.json")" = "$(jq -c '[.rows, .timeliness]' "$T/r.json")" ] &&
    ok "the API gives the CLI's figures ($(jq '.rows | length' "$T/api.json") rows and 兑现时效)" || notok "the API's figures differ from the CLI's"
st=$(curl -sS -b "$T/caizheng.jar" -o "$T/api.csv" -w '%{http_code}' "$URL/api/reports/performance?year=2021&format=csv")
[ "$st" = 200 ] && cmp -s "$T/api.csv" "$T/r.csv" && ok "CSV download is the CLI's CSV" || notok "CSV download (status $st)"
st=$(curl -sS -b "$T/qiye.jar" -o "$T/api403.json" -w '%{http_code}' "$URL/api/reports/performance?year=2021")
same "$st" 403 "an enterprise is refused"
kill -TERM "$SPID" 2>/dev/null; wait "$SPID" 2>/dev/null; SPID=

echo "# performance ($BUILD): $npass passed, $nfail failed"
[ "$nfail" = 0 ]
