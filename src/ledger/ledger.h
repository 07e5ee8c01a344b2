/*
 * Opening the ledger: the store at a location (a SQLite file; PostgreSQL next), created if
 * asked, and brought up to the schema this build writes. The CLI's commands and `huiqi serve`
 * open it through here, so a migration runs in one place whichever door comes first.
 */
#ifndef HQ_LEDGER_H
#define HQ_LEDGER_H
#include <stdbool.h>
#include <stdint.h>

#include "base/diag.h"
#include "store/store.h"

/* The store at `location`, migrated; NULL with the reason in diag. *from and *to (either
 * may be NULL) receive the schema versions before and after. */
hq_store *ledger_open(const char *location, bool create, int *from, int *to, hq_diag *diag);

/* How many entities the ledger holds (for the health check); 0 or -1. */
int ledger_entity_count(hq_store *s, int64_t *n);

#endif
