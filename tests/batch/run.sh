#!/usr/bin/env bash
# `huiqi eval --batch`: the demo city imported into a ledger, 60 of its entity documents
# written as JSON Lines (with a bad line among them); the batch's rows must be exactly what
# `huiqi eval --entity` gives for each document (item, final amount, decision id), in CSV and
# in JSON Lines, and the bad line is reported by its number with exit status 3.
# The ledger is a SQLite file, or a fresh PostgreSQL database with HUIQI_TEST_DB_URL (tests/lib/db.sh).
# Usage: BUILD=build tests/batch/run.sh
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
HQ=$BUILD/huiqi
export HUIQI_POLICIES=$ROOT/policies HUIQI_ACTOR=batch-test HUIQI_NOW=2022-03-01
unset HUIQI_DB
T=$(mktemp -d "${TMPDIR:-/tmp}/huiqi-batch.XXXXXX")
trap 'rm -rf "$T"' EXIT
npass=0 nfail=0
ok() { npass=$((npass + 1)); echo "ok - $*"; }
notok() { nfail=$((nfail + 1)); echo "not ok - $*"; }

. "$ROOT/tests/lib/db.sh"
db_tools >"$T/tools" || { echo "not ok - $(cat "$T/tools")"; exit 1; }
DB=$(db_new l)
"$HQ" init --db "$DB" >/dev/null
for k in entities tax stats projects mujun credit recognitions awards; do "$HQ" import $k "$ROOT/demo/city/$k.csv" --db "$DB" >/dev/null; done
db_q "$DB" "SELECT credit_code FROM entity ORDER BY id LIMIT 60" >"$T/codes"
: >"$T/in.jsonl"
: >"$T/expected"
n=0
while read -r code; do
    n=$((n + 1))
    "$HQ" entity show "$code" --json --db "$DB" >"$T/e.json"
    jq -c 'del(.provenance)' "$T/e.json" >>"$T/in.jsonl"
    [ "$n" = 7 ] && echo '{"credit_code": "913303', >>"$T/in.jsonl" # line 8: not JSON
    "$HQ" eval --entity "$T/e.json" --year 2021 --json |
        jq -r '.results[] | select(.status == "eligible") | [.item, .final, .decision_id] | @tsv' | sed "s/^/$code\t/" >>"$T/expected"
done <"$T/codes"
sort "$T/expected" -o "$T/expected"

"$HQ" eval --batch "$T/in.jsonl" --year 2021 --out "$T/out.csv" 2>"$T/err"
rc=$?
[ $rc = 3 ] && ok "a bad line makes the exit status 3" || notok "exit status $rc, expected 3"
grep -q "in.jsonl:8:" "$T/err" && ok "the bad line is named by its number (line 8)" || { notok "bad line not reported"; cat "$T/err"; }
head -1 "$T/out.csv" | grep -q '^统一社会信用代码,条款,名称,结论' && ok "CSV header in Chinese" || notok "CSV header"
tail -n +2 "$T/out.csv" | awk -F, '{print $1 "\t" $2 "\t" $(NF-1) "\t" $NF}' | sort >"$T/got"
rows=$(wc -l <"$T/expected")
if [ "$rows" -gt 0 ] && diff -q "$T/expected" "$T/got" >/dev/null; then
    ok "the batch's $rows rows are exactly huiqi eval's eligible items (item, final amount, decision id) for 60 entities"
else
    notok "batch rows differ from huiqi eval ($rows expected)"
    diff "$T/expected" "$T/got" | head -10
fi
"$HQ" eval --batch "$T/in.jsonl" --year 2021 --format jsonl 2>/dev/null |
    jq -r '[.credit_code, .item, .final, .decision_id] | @tsv' | sort >"$T/got2"
diff -q "$T/expected" "$T/got2" >/dev/null && ok "JSON Lines output gives the same rows" || notok "JSON Lines output differs"
"$HQ" eval --batch - --year 2021 <"$T/in.jsonl" 2>/dev/null | tail -n +2 | wc -l | grep -qx "$rows" && ok "standard input works alike" || notok "stdin"
# More lines than one block (4,096), on 1, 2 and 5 threads: the same bytes, in input order,
# and the same complaints.
for i in $(seq 80); do cat "$T/in.jsonl"; done >"$T/big.jsonl"
"$HQ" eval --batch "$T/big.jsonl" --year 2021 --threads 1 --out "$T/t1.csv" 2>"$T/e1"
"$HQ" eval --batch "$T/big.jsonl" --year 2021 --threads 2 --out "$T/t2.csv" 2>"$T/e2"
"$HQ" eval --batch "$T/big.jsonl" --year 2021 --threads 5 --out "$T/t5.csv" 2>"$T/e5"
big=$(( (rows) * 80 + 1 ))
if [ "$(wc -l <"$T/t1.csv")" = "$big" ] && cmp -s "$T/t1.csv" "$T/t2.csv" && cmp -s "$T/t1.csv" "$T/t5.csv" && cmp -s "$T/e1" "$T/e5"; then
    ok "4,880 lines on 1, 2 and 5 threads give the same $big lines in input order and the same 80 complaints"
else
    notok "threaded batch output differs or is incomplete ($(wc -l <"$T/t1.csv") lines, expected $big)"
fi
grep -c "big.jsonl:" "$T/e5" | grep -qx 80 && ok "every bad line of every block is reported" || notok "bad lines in blocks"
"$HQ" eval --batch "$T/in.jsonl" --threads 0 >/dev/null 2>&1
[ $? = 2 ] && ok "--threads 0 is a usage error" || notok "--threads 0 accepted"
# A directory of department files in the import formats: the same rows as `huiqi match`
# writes into a ledger built from the same files (附则3 against the past awards of
# awards.csv), plus the eligible items 附则3 absorbed whole (附则3后金额 0.00), which match leaves out.
"$HQ" match --year 2021 --db "$DB" --quiet >/dev/null
"$HQ" award list --db "$DB" --json --limit 100000 | jq -r '.awards[] | [.credit_code, .item, .amount, .decision_id] | @tsv' | sort >"$T/match.tsv"
"$HQ" eval --batch "$ROOT/demo/city" --year 2021 --threads 2 --out "$T/dir.csv" 2>"$T/dir.err"
rc=$?
tail -n +2 "$T/dir.csv" | awk -F, '$(NF-1) != "0.00" {print $1 "\t" $2 "\t" $(NF-1) "\t" $NF}' | sort >"$T/dir.tsv"
n=$(wc -l <"$T/match.tsv")
if [ $rc = 0 ] && [ "$n" -gt 100 ] && diff -q "$T/match.tsv" "$T/dir.tsv" >/dev/null; then
    ok "a directory of import files gives match's $n candidates exactly (item, amount after 附则3, decision id)"
else
    notok "directory batch differs from match (exit $rc)"
    diff "$T/match.tsv" "$T/dir.tsv" | head -5
fi
grep -q "已读入 .*awards.csv：41 行" "$T/dir.err" && ok "each department file read is reported" || notok "import report"
ls "${TMPDIR:-/tmp}" | grep -q "^huiqi-batch-" && notok "the temporary ledger was left behind" || ok "the temporary ledger is removed"
mkdir -p "$T/baddir" && cp "$ROOT/demo/city/entities.csv" "$T/baddir/" &&
    printf 'credit_code,year,local_contribution\n91330302MA285XT30K,2021,-5\n' >"$T/baddir/tax.csv"
"$HQ" eval --batch "$T/baddir" --year 2021 --out "$T/bad.csv" 2>"$T/bad.err"
rc=$?
[ $rc = 3 ] && grep -q "tax.csv:2" "$T/bad.err" && [ ! -s "$T/bad.csv" ] &&
    ok "a refused file in the directory: exit 3, its error by line, no rows" || notok "bad directory file (exit $rc)"
"$HQ" eval --batch "$ROOT/demo/city" >/dev/null 2>&1
[ $? = 2 ] && ok "a directory without --year is a usage error" || notok "directory without --year"
"$HQ" eval --batch "$T/in.jsonl" --format xml >/dev/null 2>&1
[ $? = 2 ] && ok "an unknown format is a usage error" || notok "format xml accepted"
# ---- one CSV sheet of entities (--batch FILE.csv) ------------------------------------------
# The demo entities above as one sheet: a row of timeless facts and lists, a row per year;
# without recognitions and past awards, as the JSON Lines below. Both must give the same bytes.
jq -c 'del(.recognitions, .past_awards)' "$T/in.jsonl" 2>/dev/null | grep -v '^$' >"$T/norec.jsonl"
jq -r -s '
  (map((.facts // {} | keys) + ((.years // {}) | [.[] | keys[]])) | add | unique) as $facts |
  (["credit_code", "name", "year", "list", "district", "registered", "entity_type", "industry"] + $facts) as $head |
  ($head | @csv),
  (.[] | . as $e |
    ([$e.credit_code, $e.name, "", (($e.lists // [])[0] // ""), $e.district, $e.registered, $e.entity_type, $e.industry]
       + [$facts[] | ($e.facts // {})[.] | if . == null then "" elif . == true then "是" elif . == false then "否" else tostring end] | @csv),
    ((($e.lists // [])[1:])[] | [$e.credit_code, "", "", .] + [range($facts | length + 4) | ""] | @csv),
    (($e.years // {}) | to_entries[] | . as $y |
       [$e.credit_code, "", $y.key, "", "", "", "", ""]
       + [$facts[] | $y.value[.] | if . == null then "" elif . == true then "是" elif . == false then "否" else tostring end] | @csv))
' "$T/norec.jsonl" >"$T/sheet.csv"
"$HQ" eval --batch "$T/norec.jsonl" --year 2021 --out "$T/norec.out" 2>"$T/norec.err"
"$HQ" eval --batch "$T/sheet.csv" --year 2021 --out "$T/sheet.out" 2>"$T/sheet.err"
rc=$?
if [ $rc = 0 ] && [ "$(wc -l <"$T/sheet.out")" -gt 5 ] && cmp -s "$T/norec.out" "$T/sheet.out"; then
    ok "a CSV sheet of the 60 demo entities gives the bytes their JSON documents give ($(($(wc -l <"$T/sheet.out") - 1)) rows)"
else
    notok "sheet output differs from JSON Lines (exit $rc)"
    head -3 "$T/sheet.err"
    diff "$T/norec.out" "$T/sheet.out" | head -5
fi
"$HQ" eval --batch "$T/sheet.csv" >/dev/null 2>&1
[ $? = 2 ] && ok "a sheet without --year is a usage error" || notok "sheet without --year"
# Bad cells: the entity is named by line and column and skipped, the rest is assessed, exit 3.
awk -F, 'NR == 2 { $5 = "\"某区\"" } 1' OFS=, "$T/sheet.csv" >"$T/badcell.csv"
"$HQ" eval --batch "$T/badcell.csv" --year 2021 --out "$T/badcell.out" 2>"$T/badcell.err"
rc=$?
if [ $rc = 3 ] && grep -q 'badcell.csv:2: 第2行第5列「district」：「某区」不是' "$T/badcell.err" && grep -q "1 户企业的数据有错误" "$T/badcell.err" &&
    [ "$(wc -l <"$T/badcell.out")" -gt 5 ]; then
    ok "a bad cell: its line, column and the accepted values; that entity skipped, the others assessed, exit 3"
else
    notok "bad cell (exit $rc)"
    head -3 "$T/badcell.err"
fi
# An entity's rows apart: refused with the line it was first seen on.
{ cat "$T/sheet.csv"; sed -n 2p "$T/sheet.csv"; } >"$T/apart.csv"
"$HQ" eval --batch "$T/apart.csv" --year 2021 --out /dev/null 2>"$T/apart.err"
rc=$?
last=$(wc -l <"$T/apart.csv")
[ $rc = 3 ] && grep -q "apart.csv:$last: 统一社会信用代码 .* 已在第2行出现" "$T/apart.err" &&
    ok "a credit code whose rows are not adjacent is refused, naming line 2 where it was first seen" || { notok "rows apart (exit $rc)"; cat "$T/apart.err"; }
# A ragged row: the table is not read past it.
{ head -5 "$T/sheet.csv"; echo "a,b"; tail -n +6 "$T/sheet.csv"; } >"$T/ragged.csv"
"$HQ" eval --batch "$T/ragged.csv" --year 2021 --out /dev/null 2>"$T/ragged.err"
rc=$?
[ $rc = 3 ] && grep -q "ragged.csv: 第6行" "$T/ragged.err" && grep -q "有格式错误，在此停止" "$T/ragged.err" &&
    ok "a ragged row stops the sheet at line 6 with exit 3" || { notok "ragged row (exit $rc)"; cat "$T/ragged.err"; }
printf 'credit_code,营业收入X\n' >"$T/head.csv"
"$HQ" eval --batch "$T/head.csv" --year 2021 >/dev/null 2>"$T/head.err"
[ $? = 3 ] && grep -q "head.csv:1: 列「营业收入X」" "$T/head.err" && ok "an unknown column is refused by name" || { notok "unknown column"; cat "$T/head.err"; }
# Many blocks (a block is about 4 MB): 45,000 synthetic firms of bench/anchors through its own
# converter, as one sheet and as JSON Lines, on 1, 2 and 5 threads: the same bytes. An
# entity's two rows fall across a block's end somewhere, so keeping them together is tested.
awk 'BEGIN { OFS = ","; split("鹿城 龙湾 瓯海 乐清 瑞安 永嘉 平阳 苍南", D, " "); split("A B C D", R, " ")
  print "id,district,rating,real_estate,dishonest,reg_year,contrib_prev,design_level,upgrade_invest,green,rd_deductible,patents,hightech_new,retail_cur,retail_prev,auto_trade,tourists_out,tourists_overseas"
  for (i = 1; i <= 45000; i++)
    print i, D[i % 8 + 1], R[i % 4 + 1], (i % 23 == 0), (i % 31 == 0), 1990 + i % 30, (i * 7919) % 40000000, i % 4,
          (i * 104729) % 30000000, (i % 3 == 0), (i * 31) % 5000000, i % 7, (i % 11 == 0), (i * 13) % 200000000,
          (i * 17) % 150000000, (i % 19 == 0), i % 500000, i % 3000 }' >"$T/anc.csv"
bash "$ROOT/bench/anchors/convert.sh" "$T/anc.csv" "$T/anc" >/dev/null
same=1
for th in 1 2 5; do
    HUIQI_POLICIES=$ROOT/bench/anchors "$HQ" eval --batch "$T/anc/sheet.csv" --year 2021 --threads $th --out "$T/as$th.csv" 2>>"$T/anc.err" || same=0
done
HUIQI_POLICIES=$ROOT/bench/anchors "$HQ" eval --batch "$T/anc/entities.jsonl" --year 2021 --threads 2 --out "$T/aj.csv" 2>>"$T/anc.err" || same=0
sz=$(wc -c <"$T/anc/sheet.csv")
if [ $same = 1 ] && [ "$sz" -gt 8000000 ] && [ "$(wc -l <"$T/aj.csv")" -gt 1000 ] && cmp -s "$T/aj.csv" "$T/as1.csv" && cmp -s "$T/as1.csv" "$T/as2.csv" && cmp -s "$T/as1.csv" "$T/as5.csv"; then
    ok "a $((sz / 1000000)) MB sheet of 45,000 firms (several blocks) gives JSON Lines' $(($(wc -l <"$T/aj.csv") - 1)) rows on 1, 2 and 5 threads"
else
    notok "multi-block sheet differs"
    head -3 "$T/anc.err"
fi
# The same sheet as an Excel workbook (tests/batch/anchors-200.xlsx: the first 200 of those
# firms, written by libxlsxwriter with numbers as numbers and dates as date cells): the same
# rows as its CSV form.
head -401 "$T/anc/sheet.csv" >"$T/a200.csv"
HUIQI_POLICIES=$ROOT/bench/anchors "$HQ" eval --batch "$T/a200.csv" --year 2021 --out "$T/a200.out" 2>/dev/null
HUIQI_POLICIES=$ROOT/bench/anchors "$HQ" eval --batch "$ROOT/tests/batch/anchors-200.xlsx" --year 2021 --out "$T/x200.out" 2>"$T/x200.err"
rc=$?
[ $rc = 0 ] && [ "$(wc -l <"$T/a200.out")" -gt 20 ] && cmp -s "$T/a200.out" "$T/x200.out" &&
    ok "an .xlsx sheet gives its CSV form's $(($(wc -l <"$T/a200.out") - 1)) rows" || { notok "xlsx sheet (exit $rc)"; head -3 "$T/x200.err"; }
printf 'PK\003\004 not really a workbook' >"$T/broken.xlsx"
"$HQ" eval --batch "$T/broken.xlsx" --year 2021 >/dev/null 2>"$T/broken.err"
[ $? = 3 ] && grep -q "broken.xlsx" "$T/broken.err" && ok "a broken workbook is bad data (exit 3), named" || { notok "broken workbook"; cat "$T/broken.err"; }
echo "# batch ($BUILD): $npass passed, $nfail failed"
[ "$nfail" = 0 ]
