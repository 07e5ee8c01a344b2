/*
 * The audit log: every import and every state change of an award, budget or setting is
 * appended as one row — who, what, when, the object, its state before and after (JSON) —
 * inside the same transaction as the change itself, so a change and its record commit or
 * vanish together.
 *
 * Rows are chained: each row's hash is SHA-256 over its own fields and the previous row's
 * hash. The store also keeps the head (last sequence number and hash) in its meta table.
 * audit_verify() recomputes the chain and so detects a row edited, deleted or inserted
 * anywhere, and a truncated tail (the head no longer matches). SQLite triggers refuse
 * UPDATE and DELETE on the table for any ordinary writer; the chain catches the rest.
 */
#ifndef HQ_AUDIT_H
#define HQ_AUDIT_H
#include <jansson.h>

#include "store/store.h"

/* Append one row; must run inside store_begin/commit. before/after may be NULL; they are
 * serialised with sorted keys so the hash does not depend on insertion order. */
int audit_log(hq_store *s, const char *actor, const char *action, const char *object, const json_t *before,
              const json_t *after);

/* An event that changes nothing else (a login, a refused attempt): one row in its own
 * transaction. Nonzero when it could not be written (the store's message says why). */
int audit_record(hq_store *s, const char *actor, const char *action, const char *object, const json_t *after);

/* Recompute the chain. 0 when intact (rows counted in *rows), 1 when broken, with each
 * problem in diag; -1 on a store error. */
int audit_verify(hq_store *s, hq_diag *diag, long long *rows);

#endif
