/*
 * The payment list for the treasury (兑付清单): every payment of a batch (or a year, or all),
 * one row per award with the firm, the item, the amount and its split between 市财政 and the
 * district, and a totals row — as a table, so that the same list goes to the screen, to CSV
 * and to the XLSX the treasury loads. Read from the store's awards and payments; nothing here
 * writes.
 */
#ifndef HQ_PAYMENTS_H
#define HQ_PAYMENTS_H
#include <jansson.h>

#include "io/table.h"
#include "rules/corpus.h"
#include "store/store.h"

/* The list as a table (caller frees), or NULL with the reason in diag. batch NULL: every
 * batch; year 0: every year. */
hq_table *ledger_payments(hq_store *s, const hq_corpus *c, const char *batch, int year, hq_diag *diag);

/* The same as JSON: {"payments": [{award, credit_code, name, item, title, year, batch, at,
 * amount_fen, splits: [{payer, amount_fen}]}], "count", "amount_fen", "by_payer": [{payer,
 * amount_fen}]}. */
json_t *ledger_payments_json(hq_store *s, const hq_corpus *c, const char *batch, int year, hq_diag *diag);

#endif
