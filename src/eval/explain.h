/*
 * Explanations: the Chinese text that tells an enterprise or a reviewer why an item came
 * out as it did. It is rendered from the item's expression trees and the register values
 * the evaluator left for one entity (rvm_eval_one), so it always shows the numbers that
 * were actually computed: the quoted source sentence, each condition with its values and
 * verdict, each part with its own status, and the arithmetic of what was computed, as
 * numbered steps of one operation each ("取 1,200,000.00元 与 上限 4,000,000.00元 的较小者
 * = 1,200,000.00元"). Money is shown in 分; a step whose shown numbers do not make its
 * shown result exactly says "≈".
 */
#ifndef HQ_EXPLAIN_H
#define HQ_EXPLAIN_H
#include "base/strbuf.h"
#include "eval/rvm.h"

/* Append the explanation of `it` for the entity last evaluated by rvm_eval_one. */
void explain_item(const hq_vm *vm, const hq_corpus *c, const hq_item *it, const hq_outcome *o, hq_strbuf *out);

/* One line: why the item failed ("亩均论英雄综合评价非C、D类" or the require as written). */
const char *explain_failed_condition(const hq_item *it, const hq_outcome *o);

/* Why the item failed, for people: the failed condition as a Chinese sentence (phrase.h),
 * or the document rule's or the outcome's own reason. */
void explain_failed_reason(const hq_corpus *c, const hq_item *it, const hq_outcome *o, hq_strbuf *out);

/* The Chinese labels of space-separated missing fact names as explain_missing writes them,
 * joined with 、 (appended to `out`; a name that is no fact stays as written). */
void explain_missing_labels(const hq_corpus *c, const char *names, hq_strbuf *out);

/* The facts the item needed and did not have, space-separated, for needs-data outcomes. */
void explain_missing(const hq_vm *vm, const hq_corpus *c, const hq_item *it, hq_strbuf *out);

/* The facts part `p` of the item needed and did not have (its own conditions and amount). */
void explain_part_missing(const hq_vm *vm, const hq_corpus *c, const hq_item *it, int p, hq_strbuf *out);

/* The facts an item reads (its own conditions and amounts, not the document rules), each
 * once, in first-use order. Returns how many were written to `facts` (at most `max`). */
int explain_item_facts(const hq_item *it, int *facts, int max);

const char *status_label_zh(hq_status s);
const char *status_code(hq_status s);


/* The facts the item's document rules (附则) read, for the rules that apply to it. */
int explain_rule_facts(const hq_item *it, int *facts, int max);

#endif
