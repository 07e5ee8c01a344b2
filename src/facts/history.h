/*
 * The awards an entity already received, as 附则3 sees them (eval/stacking.h): what each was
 * for (item and part, project instance, basis), the year its data rests on and the year it
 * was received, its level (市 or 区) and amount. A history comes from a file (`huiqi eval
 * --history`, a case's "history"), from an API request, or from the ledger (its approved
 * and paid awards and the past awards imported), always in the format of docs/facts.md.
 *
 * An hq_history owns its array; history_free() releases it.
 */
#ifndef HQ_HISTORY_H
#define HQ_HISTORY_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/diag.h"
#include "base/limits.h"
#include "rules/corpus.h"


typedef struct {
    char item_id[64];
    char part[HQ_LABEL_MAX];  /* the part's label, "" for the whole item */
    char project[HQ_KEY_MAX]; /* a project instance key, or a project name alone */
    hq_basis basis;
    int basis_year;           /* the year of the basis it rested on (its data year, or the one before) */
    hq_recur recur;           /* its item's, or RECUR__COUNT when the history names no item */
    int year;                 /* the year the award was received (counts for the annual cap) */
    int data_year;            /* the year of the data it rests on (windows, yearly awards, basis) */
    bool district_level;      /* 区级 (incl. 功能区) rather than 市级 */
    bool voucher;             /* paid as 服务券, outside the annual cap */
    int64_t amount_fen;
} hq_past_award;

typedef struct {
    hq_past_award *v;
    int n, cap;
} hq_history;

/* A past award as a store or a caller gives it: the item's project, basis and the missing
 * year are taken from the corpus as history_load does. Strings may be "" or NULL. */
typedef struct {
    const char *item, *part, *project, *basis;
    int year, data_year;
    bool district_level, voucher;
    int64_t amount_fen;
} hq_past_award_text;

/* Parse a history document (docs/facts.md#history). 0, or -1 with errors by JSON path. */
int history_load(const hq_corpus *c, const json_t *j, hq_history *h, hq_diag *d);
void history_free(hq_history *h);
/* Append one past award (the history grows, up to a limit). 0, or -1 with the problem. */
int history_add(const hq_corpus *c, hq_history *h, const hq_past_award_text *a, hq_diag *d);

/* Parse a history document (docs/facts.md#history). 0, or -1 with errors by JSON path. */
int history_load(const hq_corpus *c, const json_t *j, hq_history *h, hq_diag *d);
void history_free(hq_history *h);
/* Append one past award (the history grows, up to a limit). 0, or -1 with the problem. */
int history_add(const hq_corpus *c, hq_history *h, const hq_past_award_text *a, hq_diag *d);

#endif
