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
shisiwu,12,温州市,2021,3.1,市统计局,2022-02-28,省下目标：无目标
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
echo "# $npass passed, $nfail failed"
[ $nfail = 0 ]
