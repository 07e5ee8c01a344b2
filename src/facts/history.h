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
#include "rules/corpus.h"

enum { HQ_HISTORY_KEY_MAX = 200 };

typedef struct {
    char item_id[64];
    char part[64];            /* the part's label, "" for the whole item */
    char project[HQ_HISTORY_KEY_MAX]; /* a project instance key, or a project name alone */
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
    int n;
} hq_history;

/* Parse a history document (docs/facts.md#history). 0, or -1 with errors by JSON path. */
int history_load(const hq_corpus *c, const json_t *j, hq_history *h, hq_diag *d);
void history_free(hq_history *h);

/* Parse a history document (docs/facts.md#history). 0, or -1 with errors by JSON path. */
int history_load(const hq_corpus *c, const json_t *j, hq_history *h, hq_diag *d);
void history_free(hq_history *h);

#endif
