#!/usr/bin/env bash
# The huiqi test suite, for one build tree ($BUILD, default build/). It runs, in order:
#   1. the cmocka unit tests (lexer, parser, checker, evaluator, money);
#   2. the policy corpus: `huiqi check policies/` and every case file under policies/cases;
#   3. the golden cases of tests/data/mini (one item per language construct, and 附则3), and
#      the golden explanation texts of tests/explain;
#   4. negative rule files: each tests/data/bad/*.hq must fail `huiqi check` with the
#      errors its "# expect:" lines name, at file:line:col;
#   5. CLI behaviour: exit codes, JSON output, bad entity input;
#   6. fuzz corpora replayed as regression tests (when the replay targets exist);
#   7. the ledger's reliability tests (tests/ledger: bad imports, the workflow, concurrent
#      approvals, kill -9 during payments);
#   8. the HTTP API over loopback (tests/api), including every curl example of docs/api.md;
#   9. login under attack and on a full disk (tests/security/login.sh), and the HTTP layer
#      under abuse: anonymous bodies, slow clients, URLs, headers (tests/security/http.sh);
#  10. two servers on one ledger (tests/multi): shared sessions, concurrent approvals and
#      pays, one server killed -9 mid-batch, the login limiter across servers;
#  11. the 绩效评价表 against figures recomputed from the ledger (tests/performance).
# The last line is "suite: N passed, M failed"; the exit status is non-zero on any failure.
set -u
BUILD=${BUILD:-build}
HQ="$BUILD/huiqi"
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== unit tests"
for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    if "$t" >"$tmp/unit.log" 2>&1; then ok; else bad "$t"; cat "$tmp/unit.log"; fi
    grep -E '^\[  (PASSED|FAILED)' "$tmp/unit.log" | sed "s#^#  $(basename "$t"): #"
done

echo "== policy corpus"
if "$HQ" check policies >"$tmp/check.log" 2>&1; then ok; cat "$tmp/check.log"; else bad "huiqi check policies"; cat "$tmp/check.log"; fi
if "$HQ" test-cases policies >"$tmp/cases.log" 2>&1; then ok; else bad "policy cases"; grep -A3 '^FAIL' "$tmp/cases.log" | head -100; fi
tail -1 "$tmp/cases.log"
if "$HQ" coverage >"$tmp/cov.log" 2>&1; then ok; else bad "huiqi coverage: computable items without cases or rows missing"; fi
cat "$tmp/cov.log"
# The generated documents follow the corpus: docs/facts.md lists every fact, docs/audit.md
# has a line for every computable item (from its document's audit file).
if HQ=$HQ bash scripts/gen-facts-doc.sh --check >"$tmp/doc.log" 2>&1; then ok; else bad "docs/facts.md is stale"; cat "$tmp/doc.log"; fi
if HQ=$HQ bash scripts/gen-audit-doc.sh --check >"$tmp/doc.log" 2>&1; then ok; else bad "docs/audit.md is stale or misses an item"; cat "$tmp/doc.log"; fi

if bash scripts/check-guides.sh >"$tmp/guides.out" 2>&1; then ok; else bad "every item needs one guide (解读) in the words of the policy text"; head -20 "$tmp/guides.out"; fi
echo "== plan indicators (plans/: huiqi check, huiqi plan list)"
grep -q "^规划文件检查通过: 4 份文件, 55 个指标" "$tmp/check.log" && ok || bad "huiqi check does not report the 4 plan files (3 plans, 1 links file) and 55 indicators"
"$HQ" plan list --plan shisiwu --format csv >"$tmp/plan.csv" 2>&1 || bad "plan list --format csv"
# 41 numbered indicators; 11, 21 and 25 carry sub-rows (11.1, 21.1–21.2, 25.1–25.3).
nums=$(tail -n +2 "$tmp/plan.csv" | cut -d, -f1 | cut -d. -f1 | sort -un | wc -l)
[ "$nums" = 41 ] && ok || bad "plan list shows $nums numbered 十四五 indicators, not 41"
grep -q '^3,一般公共预算收入,亿元,602,力争 1000,10.7%,预期性,越高越好,' "$tmp/plan.csv" && ok || bad "十四五 row 3 (力争 1000) not listed as written"
grep -q '^21.2,.*,27 以下,—,约束性,越低越好,' "$tmp/plan.csv" && ok || bad "十四五 row 21.2 (27 以下, lower is better) not listed"
grep -q '^17,综合行政执法事项占比,%,—,省下目标,' "$tmp/plan.csv" && ok || bad "十四五 row 17 (省下目标) not listed"
"$HQ" plan list --plan zaixian >"$tmp/zaixian.txt" 2>&1 || bad "plan list --plan zaixian"
grep -q "温州市  鹿城区  龙湾区" "$tmp/zaixian.txt" && [ "$(grep -c '^企业上云' "$tmp/zaixian.txt")" = 1 ] && ok || bad "在线新经济 table without its areas"
# 附件2 and 附件3 as tables: 59 projects whose investments sum exactly, 64 enterprises.
"$HQ" plan list --list projects --format csv >"$tmp/proj.csv" 2>&1 || bad "plan list --list projects"
[ "$(grep -c '^[0-9]' "$tmp/proj.csv")" = 59 ] && grep -q '^合计,,,,,,1533.57,1016.36' "$tmp/proj.csv" && ok || bad "附件2: not 59 projects summing to 1533.57 / 1016.36 亿元"
[ "$(( $("$HQ" plan list --list enterprises --format csv | wc -l) - 1 ))" = 64 ] && ok || bad "附件3: not 64 enterprises"
cp -r plans "$tmp/plans-bad" && printf 'indicator 99 {\n  name "x"\n  unit "%%"\n  target 12 以外\n}\n' >>"$tmp/plans-bad/shisiwu.hqp"
if HUIQI_PLANS="$tmp/plans-bad" "$HQ" plan list >"$tmp/planbad.log" 2>&1; then bad "a bad plan file was accepted"
else grep -q "shisiwu.hqp:[0-9]*:[0-9]*" "$tmp/planbad.log" && ok || bad "a bad plan file's error has no file:line:col"; fi

echo "== language golden cases (tests/data/mini)"
if "$HQ" test-cases tests/data/mini >"$tmp/mini.log" 2>&1; then ok; else bad "mini cases"; grep -A3 '^FAIL' "$tmp/mini.log"; fi
tail -1 "$tmp/mini.log"

echo "== golden explanations (tests/explain)"
if BUILD="$BUILD" bash tests/explain/run.sh >"$tmp/explain.log" 2>&1; then ok; else bad "golden explanations"; cat "$tmp/explain.log"; fi
tail -1 "$tmp/explain.log"

echo "== malformed rule files"
for f in tests/data/bad/*.hq; do
    d="$tmp/bad"
    rm -rf "$d" && mkdir -p "$d"
    cp tests/data/mini/facts.hq "$f" "$d/"
    if "$HQ" check "$d" >"$d.out" 2>&1; then
        bad "$f: huiqi check accepted a malformed file"
        continue
    fi
    sed -i -e "s#$d/##g" -e "s/: error: /: /" "$d.out"
    missing=0
    while IFS= read -r want; do
        grep -qF -- "$want" "$d.out" || { missing=1; bad "$f: expected error \"$want\""; cat "$d.out"; }
    done < <(sed -n 's/^# expect: //p' "$f")
    [ $missing = 0 ] && ok
done

echo "== command line"
expect_exit() { # expected-status description command...
    local want=$1 what=$2
    shift 2
    "$@" >"$tmp/cli.out" 2>"$tmp/cli.err"
    local got=$?
    if [ "$got" = "$want" ]; then ok; else bad "$what: exit $got, expected $want"; cat "$tmp/cli.err"; fi
}
expect_exit 0 "help" "$HQ" --help
expect_exit 2 "no command" "$HQ"
expect_exit 2 "unknown command" "$HQ" frobnicate
for c in check list facts eval explain test-cases coverage disasm; do expect_exit 0 "$c --help" "$HQ" "$c" --help; done
expect_exit 2 "eval without --entity" "$HQ" eval
expect_exit 0 "list --json" "$HQ" list --json
jq -e ".count == (.items | length) and .count > 0" "$tmp/cli.out" >/dev/null && ok || bad "list --json is not valid JSON with items"
demo=demo/entities/fashion-design.json
if [ -f "$demo" ]; then
    expect_exit 0 "eval demo" "$HQ" eval --entity "$demo"
    grep -q "符合" "$tmp/cli.out" && ok || bad "eval demo shows no eligible item"
    expect_exit 0 "eval --json demo" "$HQ" eval --entity "$demo" --json
    jq -e '(.corpus_hash | length) == 64 and all(.results[]; .decision_id | startswith("D-"))' "$tmp/cli.out" >/dev/null && ok || bad "eval --json lacks decision ids"
fi
# An item's guide (解读) is what users read; its English note is internal and shown nowhere.
expect_exit 0 "item shows the guide" "$HQ" item m-1-1 --policies tests/data/mini
grep -q '解读说明：当年新认定的国家级' "$tmp/cli.out" && ok || bad "item m-1-1 does not show its guide"
grep -q 'Internal' "$tmp/cli.out" && bad "item m-1-1 shows its internal note" || ok
expect_exit 0 "item --json has the guide, not the note" "$HQ" item m-1-1 --policies tests/data/mini --json
jq -e '(.guide | startswith("当年新认定")) and (has("note") | not)' "$tmp/cli.out" >/dev/null && ok || bad "item --json: guide missing or note present"
printf '{"credit_code": "91330302MA285XT30X", "name": "x"}' >"$tmp/badcode.json"
expect_exit 3 "eval rejects a wrong check character" "$HQ" eval --entity "$tmp/badcode.json"
grep -q '「X」应为「K」' "$tmp/cli.err" && ok || bad "no check-character message"
printf '{"credit_code": "91330302MA285XT30K", "years": {"2021": ' >"$tmp/trunc.json"
expect_exit 3 "eval rejects truncated JSON" "$HQ" eval --entity "$tmp/trunc.json"
grep -qE 'trunc.json:1:[0-9]+: error' "$tmp/cli.err" && ok || bad "truncated JSON error has no position"
expect_exit 3 "eval rejects a missing file" "$HQ" eval --entity "$tmp/none.json"
# Negative amounts and counts are refused by eval and explain as the importer refuses them.
printf '{"credit_code": "91330302MA285XT30K", "years": {"2021": {"tech_investment": "-5000000.00"}}}' >"$tmp/neg.json"
expect_exit 3 "eval rejects a negative amount" "$HQ" eval --entity "$tmp/neg.json"
grep -q 'tech_investment: error: .*金额不能为负' "$tmp/cli.err" && ok || bad "negative amount: no message naming the field"
expect_exit 3 "explain rejects a negative amount" "$HQ" explain 13-12-61 --entity "$tmp/neg.json"
printf '{"credit_code": "91330302MA285XT30K", "years": {"2021": {"perf_shows": -3}}}' >"$tmp/negc.json"
expect_exit 3 "eval rejects a negative count" "$HQ" eval --entity "$tmp/negc.json"

echo "== fuzz corpora replay"
for r in "$BUILD"/fuzz/replay_*; do
    [ -x "$r" ] || continue
    name=${r##*/replay_}
    if "$r" "tests/fuzz/corpus/$name" >"$tmp/fuzz.log" 2>&1; then ok; else bad "$r"; tail -20 "$tmp/fuzz.log"; fi
    tail -1 "$tmp/fuzz.log"
done

echo "== ledger reliability (tests/ledger)"
if BUILD="$BUILD" bash tests/ledger/run.sh >"$tmp/ledger.log" 2>&1; then ok; else bad "ledger reliability tests"; grep -E '^(not ok|#   )' "$tmp/ledger.log" | head -60; fi
tail -1 "$tmp/ledger.log"

echo "== HTTP API (tests/api, and every example in docs/api.md)"
if BUILD="$BUILD" bash tests/api/run.sh >"$tmp/api.log" 2>&1; then ok; else bad "HTTP API tests"; grep -E '^(not ok|#   )' "$tmp/api.log" | head -60; fi
tail -1 "$tmp/api.log"

echo "== login under attack and on a full disk (tests/security/login.sh: issue 12 findings 1, 6, 7, 8)"
if BUILD="$BUILD" bash tests/security/login.sh >"$tmp/seclogin.log" 2>&1; then ok; else bad "login security tests"; grep -E '^(not ok|#   )' "$tmp/seclogin.log" | head -40; fi
echo "== two servers on one ledger (tests/multi/run.sh: sessions, concurrent approvals and pays, kill -9 of one)"
if BUILD="$BUILD" bash tests/multi/run.sh >"$tmp/multi.log" 2>&1; then ok; else bad "two-server tests"; grep -E '^(not ok|#   )' "$tmp/multi.log" | head -40; fi
tail -1 "$tmp/multi.log"
echo "== batch evaluation (tests/batch/run.sh: huiqi eval --batch agrees with huiqi eval)"
if BUILD="$BUILD" bash tests/batch/run.sh >"$tmp/batch.log" 2>&1; then ok; else bad "batch evaluation"; grep -E '^(not ok|[<>] )' "$tmp/batch.log" | head -20; fi
echo "== plan indicators (tests/indicators/run.sh: import indicators, plan status by hand)"
if BUILD="$BUILD" bash tests/indicators/run.sh >"$tmp/indicators.log" 2>&1; then ok; else bad "plan indicators"; grep -E '^not ok' "$tmp/indicators.log" | head -20; fi
echo "== 绩效评价表 (tests/performance/run.sh: huiqi report performance against SQL, awk and bc)"
if BUILD="$BUILD" bash tests/performance/run.sh >"$tmp/perf.log" 2>&1; then ok; else bad "绩效评价表"; grep -E '^(not ok|#   )' "$tmp/perf.log" | head -20; fi
tail -1 "$tmp/perf.log"
echo "== HTTP under abuse (tests/security/http.sh: issue 12 findings 2, 3, 8)"
if BUILD="$BUILD" bash tests/security/http.sh >"$tmp/sechttp.log" 2>&1; then ok; else bad "HTTP security tests"; grep -E '^(not ok|#   )' "$tmp/sechttp.log" | head -40; fi
tail -1 "$tmp/seclogin.log"

echo "== the operation table: CLI and HTTP give the same answers; roles outside an operation's list are refused"
if BUILD="$BUILD" bash tests/parity/run.sh >"$tmp/parity.log" 2>&1; then ok; else bad "operation parity tests"; grep -E '^(not ok|#   )' "$tmp/parity.log" | head -60; fi
tail -1 "$tmp/parity.log"

echo "suite ($BUILD): $pass passed, $fail failed"
[ "$fail" = 0 ]
