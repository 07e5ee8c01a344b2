/*
 * What-if overlays: the corpus with some of its numbers changed, for pricing a policy
 * change ("raise the cap of 13号 item (61) to 500万元", "the rate of item (62) at 12%").
 * An overlay is JSON, a list of changes:
 *
 *   [ {"item": "13-12-61", "cap": "500万元"},                  the item's cap (every part's
 *                                                               literal cap, or "part": label)
 *     {"item": "13-12-62", "replace": "15%", "with": "12%"} ]  every literal equal to
 *                                                               "replace" in the item's rules
 *
 * Values are written as in rule files (units and all) and must keep the literal's type.
 * overlay_new() returns a derived corpus that shares everything with the base except the
 * changed items, whose compiled programs are patched copies; the base is not touched, so
 * other threads keep evaluating it. The derived corpus has its own hash (the base hash and
 * the overlay), so every result computed under it is labelled as such.
 *
 * The derived corpus must be freed with overlay_free(), never corpus_free(), and must not
 * outlive the base.
 */
#ifndef HQ_OVERLAY_H
#define HQ_OVERLAY_H
#include <jansson.h>

#include "base/diag.h"
#include "rules/corpus.h"

/* NULL with every problem in diag (paths like "$[1].with"). `changes` receives one Chinese
 * line per change made ("13-12-61 上限 400万元 → 500万元"), may be NULL. */
hq_corpus *overlay_new(const hq_corpus *base, const json_t *overlay, json_t *changes, hq_diag *diag);
void overlay_free(hq_corpus *derived);

#endif
