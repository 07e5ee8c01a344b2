/*
 * The ledger's schema, described once for every back end (issue 15). Each schema version's
 * DDL is written a single time in a dialect-neutral text with a few placeholders that a back
 * end expands to its own spelling (schema.c lists them); SQLite and PostgreSQL thus create
 * the same tables, columns, keys and checks, version by version, and a ledger moved from one
 * to the other (huiqi migrate) finds the same shape on both sides. Each back end keeps its
 * own record of the version (SQLite PRAGMA user_version, PostgreSQL a one-row table) and
 * applies the steps it lacks one by one, each inside a transaction.
 */
#ifndef HQ_SCHEMA_H
#define HQ_SCHEMA_H

typedef enum { HQ_DIALECT_SQLITE, HQ_DIALECT_PG } hq_dialect;

/* The DDL that brings a store from version-1 to `version` (1 … HQ_SCHEMA_VERSION), expanded
 * for `d`: one or more statements separated by ';', in a string the caller frees. NULL for a
 * version out of range or out of memory. */
char *schema_migration(int version, hq_dialect d);

/* The tables of the current schema in dependency order: a table appears after every table
 * it references, so copying them in this order (and deleting in the reverse) never breaks a
 * foreign key. NULL-terminated. */
extern const char *const HQ_SCHEMA_TABLES[];

#endif
