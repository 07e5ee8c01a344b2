#!/usr/bin/env bash
# Matching again (ledger/match.c writes only what changed): a second match of the demo city
# rewrites no award (every row, match_run included, byte for byte the same); after a changed
# tax file, a re-match leaves exactly the candidates a fresh ledger given the same files finds
# in one match (entity, item, amounts, decision id, stage, note), keeps an award someone
# has acted on (已推送 is refreshed, 已申报 is not touched), and its counts say so.
# Usage: BUILD=build tests/ledger/rematch.sh
. "$(dirname "$0")/lib.sh"

DB=$(db_new re)
FRESH=$(db_new fresh)
for d in "$DB" "$FRESH"; do
    "$HQ" init --db "$d" >/dev/null
    for k in entities tax stats projects mujun credit recognitions awards; do
        "$HQ" import $k "$ROOT/demo/city/$k.csv" --db "$d" --quiet >/dev/null || notok "import $k"
    done
done
expect 0 "first match" match --year 2021 --db "$DB" --quiet
ROWS="SELECT id, entity_id, item, state, entitlement_fen, amount_fen, decision_id, stage, note, match_run, updated_at FROM award ORDER BY id"
q "$DB" "$ROWS" >"$T/before"
expect 0 "second match" match --year 2021 --db "$DB" --quiet
has_text() { grep -q "$2" "$1" && ok "$3" || { notok "$3"; show "$1"; }; }
has_text "$T/out" "新增 0, 更新 0, 移除 0" "second match: nothing added, changed or removed"
q "$DB" "$ROWS" >"$T/after"
if [ "$(wc -l <"$T/before")" -gt 100 ] && cmp -s "$T/before" "$T/after"; then
    ok "second match: all $(wc -l <"$T/before") award rows untouched, match_run included"
else
    notok "second match rewrote award rows"
    diff "$T/before" "$T/after" | head -5
fi

# Someone acts on two candidates before the data changes: one pushed, one applied for.
PUSHED=$(q "$DB" "SELECT min(id) FROM award")
APPLIED=$(q "$DB" "SELECT max(id) FROM award")
expect 0 "push award $PUSHED" award push "$PUSHED" --db "$DB"
expect 0 "push award $APPLIED" award push "$APPLIED" --db "$DB"
expect 0 "apply for award $APPLIED" award apply "$APPLIED" --db "$DB"
APPLIED_ROW=$(q "$DB" "SELECT state, amount_fen, decision_id, updated_at FROM award WHERE id = $APPLIED")

# Every fourth firm's 地方综合贡献度 down to 1 元, every seventh's tenfold.
awk -F, 'BEGIN { OFS = "," } NR == 1 { for (i = 1; i <= NF; i++) if ($i == "local_contribution") c = i; print; next }
         NR % 4 == 0 { $c = "1" } NR % 7 == 0 && $c ~ /^[0-9]+(\.[0-9]+)?$/ { sub(/\./, "", $c); $c = $c "0" } { print }' \
    "$ROOT/demo/city/tax.csv" >"$T/tax2.csv"
for d in "$DB" "$FRESH"; do "$HQ" import tax "$T/tax2.csv" --db "$d" --quiet >/dev/null || notok "import tax2"; done
expect 0 "match after the change" match --year 2021 --db "$DB" --quiet
read -r added updated removed < <(sed -n 's/.*新增 \([0-9]*\), 更新 \([0-9]*\), 移除 \([0-9]*\).*/\1 \2 \3/p' "$T/out")
[ "${added:-0}" -gt 0 ] && [ "${updated:-0}" -gt 0 ] && [ "${removed:-0}" -gt 0 ] &&
    ok "the change added $added, changed $updated and removed $removed candidates" ||
    { notok "counts after the change: ${added:-?} ${updated:-?} ${removed:-?}"; show "$T/out"; }
expect 0 "fresh ledger: one match" match --year 2021 --db "$FRESH" --quiet
SET="SELECT e.credit_code, a.item, a.entitlement_fen, a.amount_fen, a.decision_id, a.stage, a.note FROM award a
     JOIN entity e ON e.id = a.entity_id WHERE a.id != $APPLIED ORDER BY e.credit_code, a.item"
q "$DB" "$SET" >"$T/re"
q "$FRESH" "SELECT e.credit_code, a.item, a.entitlement_fen, a.amount_fen, a.decision_id, a.stage, a.note FROM award a
     JOIN entity e ON e.id = a.entity_id ORDER BY e.credit_code, a.item" >"$T/fresh_all"
APPLIED_KEY=$(q "$DB" "SELECT e.credit_code || '|' || a.item FROM award a JOIN entity e ON e.id = a.entity_id WHERE a.id = $APPLIED")
grep -v "^$APPLIED_KEY|" "$T/fresh_all" >"$T/fresh"
if [ "$(wc -l <"$T/re")" -gt 100 ] && cmp -s "$T/re" "$T/fresh"; then
    ok "re-matched candidates are exactly a fresh ledger's ($(wc -l <"$T/re") rows, the applied award aside)"
else
    notok "re-matched candidates differ from a fresh match"
    diff "$T/re" "$T/fresh" | head -6
fi
[ "$(q "$DB" "SELECT state, amount_fen, decision_id, updated_at FROM award WHERE id = $APPLIED")" = "$APPLIED_ROW" ] &&
    ok "the award applied for is left as it was" || notok "the applied award was changed by matching"
[ "$(q "$DB" "SELECT state FROM award WHERE id = $PUSHED")" = pushed ] || [ -z "$(q "$DB" "SELECT id FROM award WHERE id = $PUSHED")" ] &&
    ok "the pushed award is refreshed or, no longer found, removed like a candidate" || notok "pushed award"
verify_audit "$DB" "the audit chain verifies after the re-matches"
finish
