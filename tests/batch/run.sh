#!/usr/bin/env bash
# `huiqi eval --batch`: the demo city imported into a ledger, 60 of its entity documents
# written as JSON Lines (with a bad line among them); the batch's rows must be exactly what
# `huiqi eval --entity` gives for each document (item, final amount, decision id), in CSV and
# in JSON Lines, and the bad line is reported by its number with exit status 3.
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

"$HQ" init --db "$T/l.db" >/dev/null
for k in entities tax stats projects mujun credit recognitions awards; do "$HQ" import $k "$ROOT/demo/city/$k.csv" --db "$T/l.db" >/dev/null; done
sqlite3 "$T/l.db" "SELECT credit_code FROM entity ORDER BY id LIMIT 60" >"$T/codes"
: >"$T/in.jsonl"
: >"$T/expected"
n=0
while read -r code; do
    n=$((n + 1))
    "$HQ" entity show "$code" --json --db "$T/l.db" >"$T/e.json"
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
"$HQ" match --year 2021 --db "$T/l.db" --quiet >/dev/null
"$HQ" award list --db "$T/l.db" --json --limit 100000 | jq -r '.awards[] | [.credit_code, .item, .amount, .decision_id] | @tsv' | sort >"$T/match.tsv"
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
echo "# batch ($BUILD): $npass passed, $nfail failed"
[ "$nfail" = 0 ]
