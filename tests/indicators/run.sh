#!/usr/bin/env bash
# Plan indicators (issue 14): `huiqi import indicators` of observed values — a good file, a
# revision replacing a stored value, the same file again, and every bad input named by line
# and column with nothing written — then `huiqi plan status` worked out by hand.
# Usage: BUILD=build tests/indicators/run.sh
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
HQ=$BUILD/huiqi
export HUIQI_POLICIES=$ROOT/policies HUIQI_PLANS=$ROOT/plans HUIQI_ACTOR=indicators-test HUIQI_NOW=2022-03-01
unset HUIQI_DB
T=$(mktemp -d "${TMPDIR:-/tmp}/huiqi-indicators.XXXXXX")
trap 'rm -rf "$T"' EXIT
npass=0 nfail=0
ok() { npass=$((npass + 1)); echo "ok - $*"; }
notok() { nfail=$((nfail + 1)); echo "not ok - $*"; }
check() { if [ "$2" = "$3" ]; then ok "$1"; else notok "$1: got [$2], expected [$3]"; fi; }
db=$T/l.db
q() { sqlite3 "$db" "$1"; }

"$HQ" init --db "$db" >/dev/null

# ---- import ------------------------------------------------------------------------------
cat >"$T/obs.csv" <<'CSV'
规划,指标,地区,期间,数值,来源,发布日期,备注
shisiwu,1,温州市,2021,7585.00,2021年温州市国民经济和社会发展统计公报,2022-02-28,
shisiwu,11.1,,2021,7.5,市统计局,2022-02-28,
shisiwu,21.2,温州市,2021,24,市生态环境局,2022-01-10,
shisiwu,18,温州市,2021,3.1,市统计局,2022-02-28,省下目标：无目标
zaixian,2,温州市,2021,40,市发展改革委,2022-01-20,
zaixian,2,鹿城区,2021,9,市发展改革委,2022-01-20,
zaixian,2,瓯海区,2021-06,1,市发展改革委,2021-07-20,
CSV
"$HQ" import indicators "$T/obs.csv" --db "$db" --json >"$T/out.json"
check "a good file is imported: 7 rows, none replaced" "$(jq -c '[.rows, .replaced, .duplicate]' "$T/out.json")" '[7,0,false]'
check "7 observations stored, the value canonical (7585.00 → 7585)" "$(q "SELECT count(*), (SELECT value FROM indicator_obs WHERE indicator = '1' AND plan = 'shisiwu') FROM indicator_obs")" '7|7585'
check "an empty area is 温州市; provenance row kept" "$(q "SELECT area, row FROM indicator_obs WHERE indicator = '11.1'")" '温州市|3'
check "one audit row for the file" "$(q "SELECT count(*) FROM audit WHERE action = 'import'")" '1'
"$HQ" import indicators "$T/obs.csv" --db "$db" --json >"$T/out.json"
check "the same file again changes nothing" "$(jq -c '[.duplicate, .import]' "$T/out.json") $(q "SELECT count(*) FROM import") $(q "SELECT count(*) FROM audit WHERE action = 'import'")" '[true,1] 1 1'
cat >"$T/rev.json" <<'JSON'
[{"plan": "shisiwu", "indicator": "1", "period": "2021", "value": "7585.02", "source": "2021年统计公报（修订）", "published": "2022-03-01"}]
JSON
"$HQ" import indicators "$T/rev.json" --db "$db" --json >"$T/out.json"
check "a JSON revision of a stored key replaces it" "$(jq -c '[.rows, .replaced]' "$T/out.json") $(q "SELECT value, source, import_id, row FROM indicator_obs WHERE plan = 'shisiwu' AND indicator = '1'") $(q "SELECT count(*) FROM indicator_obs")" '[1,1] 7585.02|2021年统计公报（修订）|2|1 7'

cat >"$T/bad.csv" <<'CSV'
规划,指标,地区,期间,数值,来源,发布日期,备注
shiwu,1,温州市,2021,1,x,2022-01-01,
shisiwu,99,温州市,2021,1,x,2022-01-01,
shisiwu,1,鹿城区,2021,1,x,2022-01-01,
zaixian,1,火星区,2021,1,x,2022-01-01,
shisiwu,2,温州市,2021-13,1,x,2022-01-01,
shisiwu,2,温州市,2026,1,x,2022-01-01,
zaixian,2,温州市,2023,1,x,2022-01-01,
shisiwu,3,温州市,2021,1.2345678,x,2022-01-01,
shisiwu,3,温州市,2021Q1,1万,x,2022-01-01,
shisiwu,4,温州市,2021,1,,2022-01-01,
shisiwu,5,温州市,2021,1,x,2022-03-02,
shisiwu,6,温州市,2021,1,x,2022-01-01,
shisiwu,6,温州市,2021,2,x,2022-01-01,
shisiwu,7,温州市,2021,1,x,2022-01-01,
CSV
"$HQ" import indicators "$T/bad.csv" --db "$db" 2>"$T/err" >/dev/null
rc=$?
check "a bad file: exit status 3" "$rc" 3
expect() { grep -qF -- "$2" "$T/err" && ok "$1" || { notok "$1: no [$2]"; cat "$T/err"; }; }
expect "unknown plan" 'bad.csv:2: error: 第2行第1列「规划」：没有规划「shiwu」'
expect "unknown indicator" 'bad.csv:3: error: 第3行第2列「指标」：规划 shisiwu 没有指标「99」'
expect "an area of shisiwu" 'bad.csv:4: error: 第4行第3列「地区」：规划 shisiwu 只有全市的指标'
expect "unknown area of zaixian" 'bad.csv:5: error: 第5行第3列「地区」：规划 zaixian 没有地区「火星区」'
expect "bad period" 'bad.csv:6: error: 第6行第4列「期间」：期间「2021-13」应为年'
expect "period after shisiwu's years" 'bad.csv:7: error: 第7行第4列「期间」：期间 2026 不在规划 shisiwu 的年度 2020–2025 之内'
expect "period after zaixian's years" 'bad.csv:8: error: 第8行第4列「期间」：期间 2023 不在规划 zaixian 的年度 2020–2022 之内'
expect "too many decimals" 'bad.csv:9: error: 第9行第5列「数值」：「1.2345678」不是精确的十进制数'
expect "a unit in the number" 'bad.csv:10: error: 第10行第5列「数值」：「1万」不是精确的十进制数'
expect "missing source" 'bad.csv:11: error: 第11行第6列「来源」：缺少来源'
expect "published in the future" 'bad.csv:12: error: 第12行第7列「发布日期」：发布日期 2022-03-02 晚于今天（2022-03-01）'
expect "duplicate key in the file" 'bad.csv:14: error: 第14行第4列「期间」：与第13行重复'
check "12 errors, the good row not written either" "$(grep -c ' error: ' "$T/err") $(q "SELECT count(*) FROM indicator_obs") $(q "SELECT count(*) FROM import")" '12 7 2'
printf '规划,指标,期间,数值,来源,发布日期,单位\nshisiwu,1,2021,1,x,2022-01-01,亿元\n' >"$T/cols.csv"
"$HQ" import indicators "$T/cols.csv" --db "$db" 2>"$T/err" >/dev/null
expect "an unknown column is named" 'cols.csv:1: error: 第1行第7列「单位」：不是指标数据的列'
printf '规划,指标,期间,数值,发布日期\nshisiwu,1,2021,1,2022-01-01\n' >"$T/cols.csv"
"$HQ" import indicators "$T/cols.csv" --db "$db" 2>"$T/err" >/dev/null
expect "a missing column is named" '缺少列「来源」（source）'

# ---- plan status, by hand ------------------------------------------------------------------
# shisiwu at the end of 2021 (M = 12 of N = 60 months):
#   1   地区生产总值 (RATE 6.5%): base 6871, target 10000, actual 7585.02 (the revision above)
#       expected 6871 × 1.065 = 7317.615; completion (7585.02 − 6871)/(10000 − 6871)
#       = 714.02/3129 = 0.22819 → 22.8%; 7585.02 ≥ 7317.615 → 序时
#   11.1 数字经济核心产业增加值占比 (LINEAR): base 7.1, target 10 左右, actual 7.5
#       expected 7.1 + 2.9 × 12/60 = 7.68; completion 0.4/2.9 = 13.8%; projected
#       7.1 + 0.4 × 60/12 = 9.1; shortfall 0.18 > 10% of the 0.58 due → 预警
#   21.2 PM2.5 (约束性, lower is better; 注5: measured from 31.8): target 27 以下, actual 24
#       expected 31.8 + (27 − 31.8) × 12/60 = 30.84; completion (24 − 31.8)/(27 − 31.8)
#       = 162.5%; 24 ≤ 27 → 达标
#   18  单位 GDP 能耗降低: 省下目标 → 无目标 (no expected value), the actual still shown
"$HQ" plan status --db "$db" --json >"$T/s.json"
st() { jq -r --arg id "$1" '.indicators[] | select(.id == $id) | [.period, .actual, .expected, .completion, .projected, .status, .status_zh] | map(. // "-") | join(" ")' "$T/s.json"; }
check "default plan shisiwu, year = the latest with data (2021), month 12" "$(jq -c '[.plan, .year, .month]' "$T/s.json")" '["shisiwu",2021,12]'
check "GDP: rate path 7317.615, 22.8%, 序时" "$(st 1 | cut -d' ' -f1-4,6-)" '2021 7585.02 7317.615 22.8% on_path 序时'
check "11.1: linear 7.68, 13.8%, projected 9.1, 预警" "$(st 11.1)" '2021 7.5 7.68 13.8% 9.1 warning 预警'
check "21.2: lower is better from 31.8: 30.84, 162.5%, 达标" "$(st 21.2 | cut -d' ' -f1-4,6-)" '2021 24 30.84 162.5% reached 达标'
check "18 省下目标: 无目标" "$(st 18)" '2021 3.1 - - - no_target 无目标'
check "an indicator without data: 无数据" "$(st 2)" '- - - - - no_data 无数据'
check "约束性 indicators first, then by id" "$(jq -r '[.indicators[0:2][].id, .indicators[-1].id] | join(",")' "$T/s.json")" '16,17,41'
"$HQ" plan status --db "$db" --year 2020 --json >"$T/s.json"
check "--year 2020: nothing observed at or before it" "$(st 1)" '- - - - - no_data 无数据'
# zaixian, 鹿城区 and 瓯海区 on indicator 2 (no base imported: a count starts from 0):
#   鹿城区 target 5, actual 9 (2021): expected 5 × 12/24 = 2.5, completion 180%, 达标
#   瓯海区 target 7, actual 1 (2021-06): expected 7 × 6/24 = 1.75, completion 14.3%, 预警
#   温州市 target 100, actual 40 (2021): expected 50, completion 40%, projected 80, 预警
#   ranking: 鹿城区 1/8 on track → 1; 瓯海区 0 on track, average completion 14.3% → 2; the rest 3
"$HQ" plan status --plan zaixian --db "$db" --json >"$T/z.json"
check "zaixian 温州市 indicator 2" "$(jq -r '.indicators[] | select(.id == "2") | [.target_text, .actual, .expected, .completion, .projected, .status] | join(" ")' "$T/z.json")" '100 40 50 40.0% 80 warning'
check "鹿城区 ranks 1, 瓯海区 2, the others 3" "$(jq -r '[.areas[0:3][] | "\(.area):\(.rank):\(.on_track)/\(.targeted)"] | join(" ")' "$T/z.json")" '鹿城区:1:1/8 瓯海区:2:0/8 龙湾区:3:0/8'
check "瓯海区's half-year figure judged at 2021-06" "$(jq -r '.areas[1].indicators[] | select(.id == "2") | [.actual, .expected, .completion, .status_zh] | join(" ")' "$T/z.json")" '1 1.75 14.3% 预警'
"$HQ" plan status --plan zaixian --area 瓯海区 --year 2021 --month 5 --db "$db" --json >"$T/z.json"
check "--month 5: the 2021-06 figure is not yet there" "$(jq -r '.indicators[] | select(.id == "2") | .status' "$T/z.json") $(jq -r '.areas | length' "$T/z.json")" 'no_data 1'
"$HQ" plan status --plan zaixian --db "$db" >"$T/z.txt"
grep -q '各地进度排名' "$T/z.txt" && grep -q '鹿城区' "$T/z.txt" && ok "text: the indicators and the ranking" || notok "text tables"
"$HQ" plan status --db "$db" --format csv --out "$T/s.csv" && grep -q '地区生产总值' "$T/s.csv" && ok "CSV download" || notok "CSV download"
"$HQ" plan status --plan zaixian --db "$db" --format xlsx --out "$T/z.xlsx" && [ -s "$T/z.xlsx" ] && ok "XLSX download" || notok "XLSX"
"$HQ" plan status --plan shisiwu --area 鹿城区 --db "$db" 2>"$T/err" >/dev/null
grep -q '只有全市的指标' "$T/err" && ok "shisiwu has no areas" || notok "shisiwu area refused"
"$HQ" plan list >/dev/null && ok "plan list still works beside plan status" || notok "plan list"
echo "# $npass passed, $nfail failed"
[ $nfail = 0 ]
