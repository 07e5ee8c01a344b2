/*
 * An assessment as JSON: the format of `huiqi eval --json` and of the HTTP API's evaluate
 * calls, written once so the two cannot drift. It is written as text, not built as a tree:
 * it is most of what a calculator answer costs. Each result carries the item, its status,
 * the amount its rule computes and the amount after 附则3, the decision id, the reason
 * (failed condition, missing facts or 附则3 note) and, when asked, the full explanation.
 */
#ifndef HQ_ASSESS_JSON_H
#define HQ_ASSESS_JSON_H
#include <jansson.h>

#include "eval/assess.h"

/* The reason text of one row: the failed condition, the missing facts, or the 附则3 note.
 * May re-run the item on `vm` (for the missing facts). */
void assessment_reason(const hq_corpus *c, hq_vm *vm, const hq_factbatch *fb, int row, const hq_assessment_row *r,
                       hq_strbuf *why);

/* The assessment of row `row` of `fb` as the members of a JSON object, written into `out` as
 * compact JSON text (base/jsonw.h) without the braces: the caller opens and closes the
 * object and may add members of its own. Results are ordered eligible, needs data, error,
 * then ineligible (left out unless `all`); `explain` adds each non-ineligible item's
 * explanation. Stamps the decision ids of the rows written (assessment_decision_id). The
 * text is incomplete when !sb_ok(out). */
void assessment_write(const hq_corpus *c, hq_vm *vm, const hq_factbatch *fb, int row, hq_assessment *a, bool explain,
                      bool all, hq_strbuf *out);

/* Who bears an award's cost, as {"text", "payers": [{"payer", "share": "50%"}]}. */
json_t *cost_json(const hq_cost *k);

#endif
