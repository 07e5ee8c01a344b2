/*
 * What the storage layer's own tools (store_copy.c) may reach in a PostgreSQL store beyond
 * the operations of store.h: its libpq connection. The ledger and the adapters never use it.
 */
#ifndef HQ_STORE_PG_H
#define HQ_STORE_PG_H
#include <libpq-fe.h>

#include "store/store.h"

/* The connection of a PostgreSQL store; NULL for a store of another back end. */
PGconn *store_pg_conn(hq_store *s);

#endif
