/*
 * Copying a whole ledger from one back end to another (`huiqi migrate`, issue 15): every
 * table of the schema (schema.h), rows as they are, ids included, so that awards, payments
 * and the audit chain keep their numbers and the chain's hashes still verify. Only the
 * direction a city takes when it outgrows one file is offered: SQLite to PostgreSQL.
 */
#ifndef HQ_STORE_COPY_H
#define HQ_STORE_COPY_H
#include "store/store.h"

/* Told of each table once it is copied. */
typedef void (*hq_copy_cb)(const char *table, long long rows, void *ud);

/* Copy the SQLite ledger at `sqlite_path` (at the current schema version) into `pg`, a
 * PostgreSQL store opened and migrated to the current version and holding no rows yet. One
 * transaction on the target, holding the write lock; the source is read in one snapshot.
 * Tables go in dependency order, identity counters are moved past the copied ids, and every
 * table's row count is compared before the commit. 0, or -1 with the reason in `err` and
 * nothing written. */
int store_copy_sqlite_to_pg(const char *sqlite_path, hq_store *pg, hq_copy_cb cb, void *ud, char *err, size_t size);

#endif
