/*
 * An entity as the ledger keeps it, in the two forms the rest of huiqi reads: its entity
 * document (docs/facts.md: identity facts, facts, years, recognitions, lists, and where each
 * fact came from), and its history of past awards for 附则3 (facts/history.h) — the
 * imported ones and the claims of its awards that count (approved and on). The store hands
 * out rows; what they mean is decided here.
 */
#ifndef HQ_ENTITY_DOC_H
#define HQ_ENTITY_DOC_H
#include <jansson.h>

#include "facts/history.h"
#include "rules/corpus.h"
#include "store/store.h"

/* The entity document of entity `id`: 0, 1 if there is none, -1 on a store error. */
int ledger_entity_doc(hq_store *s, int64_t id, json_t **doc);

/* The awards that count for 附则3 against entity `entity`, `except_award` left out (the one
 * being decided). 0, or -1 with the problem in `d` (a store error, or a past award that
 * names what the rules no longer have). */
int ledger_history(hq_store *s, const hq_corpus *c, int64_t entity, int64_t except_award, hq_history *h, hq_diag *d);

#endif
