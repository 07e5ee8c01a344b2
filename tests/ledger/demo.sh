#!/usr/bin/env bash
# The demo city's ledger, every candidate taken to approval and payment, checked against the
# 附则3 limits that span entities and years (issue 9):
#   - every approved award's claims add up to its amount;
#   - no item or part approves more awards in a year than its quota (名额);
#   - no project of an entity is paid more than its lifetime total (`limit total`), nor in
#     more data years than `limit years`, counting the imported history;
#   - a `recur once` project is paid at most once, ever;
#   - an upgrade (`recur upgrade`) paid after an earlier award of the same project pays only
#     the difference: earlier + now never exceeds the higher entitlement;
#   - matching again after approval changes no approved award and adds none for them;
#   - `award pay --all` pays exactly the approved amounts, and a second run pays nothing.
# The terms are read from the rules themselves (`huiqi item ID --json`), so the test follows
# the corpus as it is.
#
# Usage: BUILD=build tests/ledger/demo.sh
. "$(dirname "$0")/lib.sh"

DB=$(db_new ledger)
export HUIQI_DB=$DB
CITY=$ROOT/demo/city
command -v jq >/dev/null || { echo "not ok - demo: jq is required"; exit 1; }

expect 0 "init" init
for k in entities tax stats projects mujun credit recognitions awards; do
    expect 0 "import demo $k" import $k "$CITY/$k.csv"
done
# The split of 按现行财政体制 payments needs every district's share (the test's own figure).
nfiscal=0
for d in $("$HQ" facts --json | jq -r '.facts[] | select(.name == "district") | .values[]' | grep -v 温州市外); do
    hq fiscal set --district "$d" --city-share 50% --source test && nfiscal=$((nfiscal + 1))
done
[ "$nfiscal" -ge 10 ] && ok "fiscal shares set for $nfiscal districts" || notok "fiscal set: only $nfiscal districts"
expect 0 "match 2021" match --year 2021 --quiet
ncand=$(q "$DB" "SELECT count(*) FROM award WHERE state = 'candidate'")
[ "$ncand" -gt 100 ] && ok "the demo city yields $ncand candidates" || notok "only $ncand candidates"

# --- every candidate through approval, in id order ------------------------------------------
refused=0
: >"$T/refusals"
for id in $(q "$DB" "SELECT id FROM award WHERE state = 'candidate' ORDER BY id"); do
    for verb in apply accept approve; do
        if ! "$HQ" award $verb "$id" --admin >/dev/null 2>"$T/err"; then
            refused=$((refused + 1))
            printf '#%s %s: %s\n' "$id" "$verb" "$(head -1 "$T/err")" >>"$T/refusals"
            break
        fi
    done
done
napproved=$(q "$DB" "SELECT count(*) FROM award WHERE state = 'approved'")
[ "$napproved" -gt 100 ] && ok "$napproved approved, $refused refused at a step" || { notok "only $napproved approved"; show "$T/refusals"; }
grep -v '名额\|附则3\|预算\|不再符合\|数据核校' "$T/refusals" >"$T/odd" || true
[ ! -s "$T/odd" ] && ok "every refusal gives a policy reason (quota, 附则3, budget, eligibility)" || { notok "refusals without a policy reason"; show "$T/odd"; }

# --- claims ---------------------------------------------------------------------------------
bad=$(q "$DB" "SELECT a.id FROM award a LEFT JOIN award_claim c ON c.award_id = a.id WHERE a.state = 'approved'
               GROUP BY a.id HAVING coalesce(sum(c.amount_fen), -1) != a.amount_fen LIMIT 5")
same "$bad" "" "every approved award's claims add up to its amount"

# --- the terms of every item that has an approved award --------------------------------------
: >"$T/terms.tsv"   # item  part  recur  quota  limit_total_fen  limit_years
for item in $(q "$DB" "SELECT DISTINCT item FROM award WHERE state = 'approved' ORDER BY item"); do
    "$HQ" item "$item" --json >"$T/item.json" || { notok "item $item --json"; continue; }
    jq -r --arg item "$item" '
        def fen: if . == null then 0 else (gsub("[,元]"; "") | split(".") | (.[0] | tonumber) * 100 + ((.[1] // "0") + "0" | .[0:2] | tonumber)) end;
        .recur as $r
        | ([{label: "", terms: .terms}] + (.parts // []))[]
        | [$item, .label, $r, (.terms.quota // 0), (.terms.limit_total | fen), (.terms.limit_years // 0)] | @tsv' \
        "$T/item.json" >>"$T/terms.tsv"
done
q "$DB" "CREATE TABLE terms(item TEXT, part TEXT, recur TEXT, quota INT, limit_total_fen BIGINT, limit_years INT)"
if db_pg; then psql -X -q -d "$DB" -c "\\copy terms FROM '$T/terms.tsv'"
else sqlite3 -batch -separator $'\t' "$DB" ".import $T/terms.tsv terms"; fi
nterms=$(q "$DB" "SELECT count(*) FROM terms")
[ "$nterms" -gt 50 ] && ok "read the 附则3 terms of $nterms items and parts from the rules" || notok "terms: only $nterms rows"

# All that an entity was paid or approved for a project: approved claims and imported
# history (the WITH p of the queries below). A history row with a bare project name stands
# for every instance of it.

# --- quotas -----------------------------------------------------------------------------------
over=$(q "$DB" "
SELECT t.item || ' ' || t.part || ': ' || count(DISTINCT a.id) || ' > ' || t.quota
  FROM terms t JOIN award a ON a.item = t.item AND a.state = 'approved'
  JOIN award_claim c ON c.award_id = a.id AND c.amount_fen > 0 AND (t.part = '' OR c.part = t.part)
 WHERE t.quota > 0 GROUP BY t.item, t.part, t.quota, a.year HAVING count(DISTINCT a.id) > t.quota")
same "$over" "" "no item or part approves more awards in a year than its quota"

# --- lifetime totals and years ----------------------------------------------------------------
over=$(q "$DB" "
WITH p AS (
  SELECT a.entity_id, a.item, c.part, c.project, c.data_year, c.amount_fen
    FROM award a JOIN award_claim c ON c.award_id = a.id WHERE a.state = 'approved' AND c.amount_fen > 0
  UNION ALL
  SELECT entity_id, item, part, project, data_year, amount_fen FROM past_award WHERE amount_fen > 0)
SELECT p.item || ' ' || t.part || ' ' || p.project || ': ' || sum(p.amount_fen) || ' > ' || t.limit_total_fen
  FROM p JOIN terms t ON t.item = p.item AND (t.part = p.part OR t.part = '') AND t.limit_total_fen > 0
 GROUP BY p.entity_id, p.item, t.part, t.limit_total_fen, p.project HAVING sum(p.amount_fen) > t.limit_total_fen")
same "$over" "" "no project is paid more than its lifetime total (limit total), history included"
over=$(q "$DB" "
WITH p AS (
  SELECT a.entity_id, a.item, c.part, c.project, c.data_year
    FROM award a JOIN award_claim c ON c.award_id = a.id WHERE a.state = 'approved' AND c.amount_fen > 0
  UNION ALL
  SELECT entity_id, item, part, project, data_year FROM past_award WHERE amount_fen > 0)
SELECT p.item || ' ' || t.part || ' ' || p.project || ': ' || count(DISTINCT p.data_year) || ' years > ' || t.limit_years
  FROM p JOIN terms t ON t.item = p.item AND (t.part = p.part OR t.part = '') AND t.limit_years > 0
 GROUP BY p.entity_id, p.item, t.part, t.limit_years, p.project HAVING count(DISTINCT p.data_year) > t.limit_years")
same "$over" "" "no project is paid in more data years than its limit (limit years), history included"

# --- once and upgrade, against the history ---------------------------------------------------
over=$(q "$DB" "
SELECT a.id || ' ' || a.item || ' ' || c.project
  FROM award a JOIN award_claim c ON c.award_id = a.id AND c.amount_fen > 0
  JOIN terms t ON t.item = a.item AND t.part = '' AND t.recur = 'once'
  JOIN past_award p ON p.entity_id = a.entity_id AND p.amount_fen > 0 AND c.project != ''
       AND (p.project = c.project OR c.project LIKE p.project || '·%')
 WHERE a.state = 'approved' LIMIT 5")
same "$over" "" "a once-only project already paid (history) is not paid again"
over=$(q "$DB" "
SELECT a.id || ' ' || a.item || ' ' || c.project || ': ' || sum(p.amount_fen) || ' + ' || a.amount_fen || ' > ' || a.entitlement_fen
  FROM award a JOIN award_claim c ON c.award_id = a.id AND c.seq = (SELECT min(seq) FROM award_claim WHERE award_id = a.id)
  JOIN terms t ON t.item = a.item AND t.part = '' AND t.recur = 'upgrade'
  JOIN past_award p ON p.entity_id = a.entity_id AND p.amount_fen > 0 AND c.project != ''
       AND (p.project = c.project OR c.project LIKE p.project || '·%') AND p.data_year >= a.year - 4
 WHERE a.state = 'approved' GROUP BY a.id, a.item, c.project, a.amount_fen, a.entitlement_fen
HAVING sum(p.amount_fen) + a.amount_fen > CASE WHEN a.entitlement_fen > sum(p.amount_fen) THEN a.entitlement_fen ELSE sum(p.amount_fen) END")
same "$over" "" "an upgrade after an earlier award of the same project pays only the difference"
nup=$(q "$DB" "
SELECT count(DISTINCT a.id) FROM award a JOIN award_claim c ON c.award_id = a.id
  JOIN past_award p ON p.entity_id = a.entity_id AND p.amount_fen > 0 AND c.project != ''
       AND (p.project = c.project OR c.project LIKE p.project || '·%')
 WHERE a.state = 'approved' AND a.amount_fen < a.entitlement_fen")
[ "$nup" -gt 0 ] && ok "$nup approved awards were cut by an earlier award of the same project (the demo exercises it)" ||
    notok "no approved award was cut by history: the demo city does not exercise 附则3 across years"

# --- the annual cap (附则3: the awards of a year of an enterprise registered three years or
# more ≤ its 地方综合贡献度 of the year before; docs/stacking.md: the year it is received) -----
over=$(q "$DB" "
WITH got AS (
  SELECT a.entity_id, c.year, sum(c.amount_fen) AS fen
    FROM award a JOIN award_claim c ON c.award_id = a.id WHERE a.state = 'approved' GROUP BY 1, 2),
cap AS (
  SELECT entity_id, year + 1 AS year,
         CAST(replace(replace(value, '\"', ''), '.', '') AS INTEGER) AS fen FROM fact
   WHERE name = 'local_contribution' AND value LIKE '\"%.__\"')
SELECT got.entity_id || ' ' || got.year || ': ' || got.fen || ' > ' || cap.fen
  FROM got JOIN cap USING (entity_id, year)
 WHERE got.fen > cap.fen
   AND got.entity_id IN (SELECT entity_id FROM fact WHERE name = 'entity_type' AND value = '\"企业\"')
   AND EXISTS (SELECT 1 FROM fact r WHERE r.entity_id = got.entity_id AND r.name = 'registered'
                  AND replace(r.value, '\"', '') <= (got.year - 3) || '-12-31')")
same "$over" "" "no enterprise registered three years or more has approved awards of a year above its 地方综合贡献度 of the year before"
ncut=$(q "$DB" "SELECT count(*) FROM award WHERE note LIKE '%奖补总额上限%'")
[ "$ncut" -gt 0 ] && ok "$ncut awards were cut by the annual cap (the demo exercises it)" || notok "no award was cut by the annual cap"

# --- matching again leaves approved awards alone ---------------------------------------------
before=$(q "$DB" "SELECT group_concat(id || ':' || amount_fen || ':' || state) FROM (SELECT * FROM award WHERE state = 'approved' ORDER BY id) AS sub")
expect 0 "match 2021 again" match --year 2021 --quiet
after=$(q "$DB" "SELECT group_concat(id || ':' || amount_fen || ':' || state) FROM (SELECT * FROM award WHERE state = 'approved' ORDER BY id) AS sub")
same "$after" "$before" "a second match changes no approved award"
same "$(q "$DB" "SELECT count(*) FROM (SELECT entity_id, item, year FROM award GROUP BY 1, 2, 3 HAVING count(*) > 1) AS sub")" 0 \
    "one award per entity, item and year"

# --- payment, once ------------------------------------------------------------------------------
payable=$(q "$DB" "SELECT coalesce(sum(amount_fen), 0) FROM award WHERE state = 'approved' AND kind = '资格定补'")
expect 0 "pay --all (资格定补 awards are payable once approved)" award pay --all --batch demo --admin
paid=$(q "$DB" "SELECT coalesce(sum(amount_fen), 0) FROM payment")
same "$paid" "$payable" "the payments add up to the approved 资格定补 amounts"
same "$(q "$DB" "SELECT count(*) FROM payment p JOIN award a ON a.id = p.award_id WHERE p.amount_fen != a.amount_fen")" 0 \
    "each payment is its award's approved amount"
hq award pay --all --batch demo-again --admin
same "$(q "$DB" "SELECT coalesce(sum(amount_fen), 0) FROM payment")" "$paid" "a second pay --all pays nothing more"

# --- the report: 服务券 apart from cash, and the total is committed cash -------------------------
"$HQ" report --by document --json >"$T/report.json" 2>"$T/err" || notok "report --json"
vouchers=$(q "$DB" "SELECT coalesce(sum(coalesce(p.amount_fen, a.amount_fen)), 0) FROM award a LEFT JOIN payment p ON p.award_id = a.id
                    WHERE a.voucher = 1 AND a.state != 'rejected'")
committed=$(q "$DB" "SELECT coalesce(sum(coalesce(p.amount_fen, a.amount_fen)), 0) FROM award a LEFT JOIN payment p ON p.award_id = a.id
                     WHERE a.voucher = 0 AND a.state IN ('approved', 'publicizing', 'publicized', 'paid', 'archived')")
[ "$vouchers" -gt 0 ] && ok "the demo has 服务券 awards (${vouchers} 分)" || notok "the demo has no 服务券 award"
same "$(jq '(.columns | index("服务券(不含驳回)")) as $v | .total.fen[$v]' "$T/report.json")" "$vouchers" "the report's 服务券 column holds every voucher, and only vouchers"
same "$(jq '.total.total_fen' "$T/report.json")" "$committed" "the report's total is the cash approved and on (no 待申报, no vouchers)"
verify_audit "$DB" "the audit chain verifies after the whole run"
finish
