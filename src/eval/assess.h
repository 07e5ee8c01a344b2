/*
 * Assessing one entity: every item evaluated, the eligible awards passed through the 附则3
 * cross-clause rules, each result stamped with its decision id. This is what `huiqi eval`
 * prints and what the ledger and the HTTP API will store and serve; it owns no policy logic
 * of its own, only the order of the steps.
 *
 * An hq_assessment owns its rows and log; assessment_free() releases them.
 */
#ifndef HQ_ASSESS_H
#define HQ_ASSESS_H
#include "eval/stacking.h"

typedef struct {
    const hq_item *item;
    hq_outcome outcome;
    bool awarded;             /* eligible, so it went through 附则3 */
    bool key_missing;         /* eligible, but its project cannot be identified: needs data */
    int64_t final_fen;        /* after 附则3 (0 unless awarded) */
    int claim0, nclaims;      /* its claims in hq_assessment.claims (awarded rows) */
    char note[HQ_NOTE_MAX];   /* why final differs from the entitlement */
    char decision_id[24];     /* computed on demand: assessment_decision_id() */
} hq_assessment_row;

typedef struct {
    hq_assessment_row *rows;  /* one per corpus item, in corpus order */
    int nrows;
    int counts[4];            /* by hq_status */
    int64_t total_fen, final_total_fen;     /* cash */
    int64_t voucher_total_fen, voucher_final_fen; /* 服务券, kept apart from cash */
    hq_claims claims;         /* what 附则3 acted on: parts, subjects (stacking.h) */
    hq_strbuf log;            /* 附则3 adjustments, one line each */
} hq_assessment;

/* Claims one assessment may hold: every part of every item, and subjects of `each` items. */
enum { HQ_ASSESS_MAX_CLAIMS = 8192 };

/* Assess row `row` of `fb` (its year) with `history` (may be NULL). An eligible item whose
 * project cannot be identified (the key fact or subject missing) is reported as needing
 * data. 0, or -1 on no memory. */
int assess_entity(const hq_corpus *c, hq_vm *vm, const hq_factbatch *fb, int row, const hq_history *history,
                  hq_assessment *out);
void assessment_free(hq_assessment *a);
/* The row's decision id, computed the first time it is asked for (a SHA-256 each: most
 * rows of most assessments are never shown). */
const char *assessment_decision_id(const hq_corpus *c, const hq_factbatch *fb, int row, hq_assessment_row *r);

#endif
