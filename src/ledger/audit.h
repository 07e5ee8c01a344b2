/*
 * The audit log: every import and every state change of an award, budget or setting is
 * appended as one row — who, what, when, the object, its state before and after (JSON) —
 * inside the same transaction as the change itself, so a change and its record commit or
 * vanish together.
 *
 * Rows are chained: each row's hash covers its own fields and the previous row's hash. The
 * store also keeps the head (last sequence number and hash) in its meta table. SQLite
 * triggers refuse UPDATE and DELETE on the table for any ordinary writer; the chain catches
 * the rest.
 *
 * The chain is keyed: from the row recorded in meta "audit_key_from" on, a row's hash is
 * HMAC-SHA256 under a 32-byte secret kept OUTSIDE the database, in the key file
 * ("<database>.key" next to it, or the file HUIQI_AUDIT_KEY_FILE names; created with mode
 * 0600 by the first writer). Rows written before a ledger was keyed keep their plain SHA-256.
 * Someone who can write the database file but not read the key cannot recompute the chain
 * after an edit. A writer refuses to append to a keyed ledger whose key file is missing.
 *
 * A checkpoint (sequence number, head hash, time, and an HMAC over them) is kept elsewhere;
 * verifying against it shows that the chain still holds that head at that row, so a chain
 * cut back and regrown, or truncated, is caught even by someone holding the key.
 *
 * audit_verify() also compares every award and payment with what the log says it should be:
 * the award's state, amount and decision as its last audited change left them; a payment
 * only for an award the log shows paid, for the audited amount, split to the cent.
 */
#ifndef HQ_AUDIT_H
#define HQ_AUDIT_H
#include <jansson.h>

#include "store/store.h"

/* Append one row; must run inside store_begin/commit. before/after may be NULL; they are
 * serialised with sorted keys so the hash does not depend on insertion order. -1 with the
 * reason in store_error(s) (also when the key file is missing or cannot be created). */
int audit_log(hq_store *s, const char *actor, const char *action, const char *object, const json_t *before,
              const json_t *after);

/* An event that changes nothing else (a login, a refused attempt): one row in its own
 * transaction. Nonzero when it could not be written (the store's message says why). */
int audit_record(hq_store *s, const char *actor, const char *action, const char *object, const json_t *after);

/* What a verification checked. */
typedef struct {
    long long rows;        /* rows in the log */
    long long keyed_from;  /* first keyed row, 0 when the ledger is not keyed */
    bool key;              /* the key file was read: keyed rows' hashes were checked */
    long long unchecked;   /* keyed rows whose hash could not be checked (no key) */
    long long awards, payments; /* rows compared with the log */
} hq_audit_check;

/* Recompute the chain and compare awards and payments with it; with `checkpoint` (a document
 * audit_checkpoint made), also check that the chain holds its head. 0 when intact, 1 when
 * broken, with each problem in diag; -1 on a store error. Reads only. */
int audit_verify(hq_store *s, const json_t *checkpoint, hq_diag *diag, hq_audit_check *out);

/* A signed checkpoint of the chain's head: {"seq", "head", "at", "mac"}. NULL when the
 * ledger has no key file (the reason in *why) or on a store error. */
json_t *audit_checkpoint(hq_store *s, char *why, size_t why_size);

/* The key file of a store (for messages and documentation). */
void audit_key_path(const hq_store *s, char *out, size_t size);

#endif
