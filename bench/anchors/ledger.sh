#!/usr/bin/env bash
# ledger.sh DIR DB: huiqi's user path over the department files convert.sh wrote in DIR: a new
# ledger DB, `huiqi import` of each file, `huiqi match --year 2021`; prints
# "<entities with a non-zero total> <grand total in yuan>" like the bench-anchors engines.
# The count is read from the ledger's award table (sqlite3; huiqi's reports total by document,
# item, district … but not by entity); the grand total is checked against `huiqi report`.
# Each step's wall time goes to stderr. Needs HQ (the huiqi binary) and HUIQI_POLICIES.
set -euo pipefail
dir=$1 db=$2
rm -f "$db" "$db-wal" "$db-shm"
step() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N); awk -v a="$t0" -v b="$t1" -v s="${*:2:2}" 'BEGIN { printf "huiqi ledger: %.2f s %s\n", b - a, s }' >&2; }
step "$HQ" init --db "$db"
for k in entities tax stats projects mujun credit; do step "$HQ" import "$k" "$dir/$k.csv" --db "$db"; done
step "$HQ" match --year 2021 --db "$db"
read -r n total < <(sqlite3 -separator ' ' "$db" \
    "SELECT count(*), coalesce(sum(t), 0) / 100 FROM (SELECT entity_id, sum(amount_fen) AS t FROM award
     WHERE year = 2021 AND voucher = 0 GROUP BY entity_id HAVING t > 0)")
report=$("$HQ" report --year 2021 --db "$db" | awk '$1 == "合计" { gsub(/,/, "", $3); sub(/\.00$/, "", $3); print $3 }')
[ "$report" = "$total" ] || { echo "ledger.sh: huiqi report total $report != award table total $total" >&2; exit 1; }
echo "$n $total"
