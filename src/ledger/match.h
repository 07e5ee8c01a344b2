/*
 * 免申即享 matching: every entity in the store is evaluated against every item of the
 * corpus for one year, the 附则3 rules are applied against what the ledger has already
 * approved or paid, and each award with something left to pay is stored as a candidate
 * (待申报) with its decision id and the corpus hash. This is the push list.
 *
 * Work is split over threads (one evaluator and one read-only store connection each); the
 * calling thread reads entities and writes results, a chunk per transaction. Re-running
 * updates candidates in place (one row per entity, item and year), leaves awards that a
 * person has acted on alone, and removes candidates that no longer qualify — so the list
 * never holds duplicates. The run is written to the audit log with its counts.
 */
#ifndef HQ_MATCH_H
#define HQ_MATCH_H
#include <stdbool.h>
#include <stdio.h>

#include "rules/corpus.h"
#include "store/store.h"

typedef struct {
    int year;
    int threads;            /* 0: one per core */
    const char *db_path;    /* workers open their own connections */
    const char *actor;
    FILE *progress;         /* a terminal to draw a progress bar on, or NULL */
    void (*on_progress)(void *ud, long long done, long long total); /* entities, after each chunk */
    void *progress_ud;
    /* Dry run (what-if pricing): when set, nothing is written; each award that would be a
     * candidate is handed to the sink instead, with the entity's district: what the item's
     * rule computes (entitlement) and what 附则3 leaves of it (final, 0 when absorbed whole). */
    void (*sink)(void *ud, const char *district, const hq_item *it, int64_t entitlement_fen, int64_t final_fen);
    void *sink_ud;
} hq_match_opts;

typedef struct {
    long long entities, rejected;   /* evaluated; whose data did not validate */
    long long candidates, added, updated, removed;
    long long run;
    double seconds;
    hq_diag *diag;                  /* entity validation errors (first HQ_DIAG_MAX) */
} hq_match_result;

/* 0, or -1 with the reason in r->diag. `s` is the caller's connection (for writing). */
int ledger_match(hq_store *s, const hq_corpus *c, const hq_match_opts *o, hq_match_result *r);

#endif
