/*
 * Conditions as plain Chinese sentences. A user never reads rule syntax: where a page, an
 * API answer or a CLI table shows an item's condition or why it failed, it shows the
 * sentence this module renders from the checked expression tree — the facts' Chinese
 * labels and units, the names of lists, recognitions and regions, enum values — e.g.
 * `tech_investment 以上 500万元` reads 「技改投入达到500万元（含）」. The rule's source text
 * stays for developers (`huiqi check`, test-cases). The sentence states the condition
 * only; explain.c adds the values of one evaluation.
 */
#ifndef HQ_PHRASE_H
#define HQ_PHRASE_H
#include "base/strbuf.h"
#include "rules/corpus.h"

/* Append the sentence for checked node `n` of corpus `c` to `out` (borrowed, not freed). */
void phrase_node(const hq_corpus *c, const hq_node *n, hq_strbuf *out);

/* The same sentence with the values of one evaluation in brackets after each fact and
 * builtin: `value` appends the value of node `n` (ctx is passed through, borrowed). */
typedef void (*phrase_value_fn)(void *ctx, const hq_node *n, hq_strbuf *out);
void phrase_node_values(const hq_corpus *c, const hq_node *n, phrase_value_fn value, void *ctx, hq_strbuf *out);

#endif
