/*
 * Opening the ledger and bringing its schema up to date (ledger/ledger.h).
 */
#include "ledger/ledger.h"

hq_store *ledger_open(const char *location, bool create, int *from, int *to, hq_diag *diag)
{
    hq_store *s = store_open(location, create, diag);
    if (!s) return NULL;
    int f = 0, t = 0;
    if (store_migrate(s, &f, &t)) {
        diag_add(diag, location, "%s", store_error(s));
        store_close(s);
        return NULL;
    }
    if (from) *from = f;
    if (to) *to = t;
    return s;
}

int ledger_entity_count(hq_store *s, int64_t *n)
{
    return store_entity_count(s, n) ? -1 : 0;
}
