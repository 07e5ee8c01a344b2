/*
 * Accounts of the web UI: passwords kept as argon2id encodings (the reference library,
 * OWASP's floor of 19 MiB, 2 passes, 1 lane) and checked against them, and the sessions a
 * login opens. The operation layer adds accounts; the HTTP layer signs users in and out.
 */
#ifndef HQ_ACCOUNTS_H
#define HQ_ACCOUNTS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

enum { ACCOUNT_PASSWORD_MIN = 8, ACCOUNT_PASSWORD_MAX = 256 };

/* The argon2id encoding of `password` with a fresh random salt; 0 or -1. */
int account_hash_password(const char *password, char *out, size_t size);
/* Does `password` match the stored encoding? */
bool account_password_ok(const char *encoded, const char *password);

/* Sessions of the web UI. The HTTP layer makes the token (a cookie) and keeps only its hash
 * here, with the session's CSRF value and expiry (Unix seconds). */

/* Signing in is three steps, so that the HTTP layer can count the attempt against its
 * limits between finding the account and checking the password (http/throttle.h). */

/* Make the dummy encoding now (the first account_verify would otherwise): call at start. */
void account_prepare(void);
/* The account named `username`: 0 with *u; 1 when there is none; -1 when the store failed. */
int account_find(hq_store *s, const char *username, hq_user_rec *u);
/* Is `password` right for u? With u NULL (no such account) the password is checked against a
 * dummy encoding of the same cost and the answer is false; a disabled account is false too,
 * after the same work. */
bool account_verify(const hq_user_rec *u, const char *password);
/* How many times account_verify has run (a test hook: every login pays exactly one). */
unsigned long account_verifications(void);
/* Open a session for u, with its "login" audit row (the client's address in it), in one
 * transaction (expired sessions are dropped in it too): 0, or -1 when anything failed — then
 * nothing is stored and no session exists. */
int account_session_open(hq_store *s, const hq_user_rec *u, const char *token_hash, const char *csrf, int64_t expires,
                         const char *address);
/* The user of a live session: 0 with *u and the session's CSRF value; 1 when there is no
 * such session or it has expired; -1 when the store failed. */
int account_session(hq_store *s, const char *token_hash, int64_t now, hq_user_rec *u, char *csrf, size_t csrf_size);
/* End a session, with its "logout" audit row, in one transaction; 0 or -1 (nothing done). */
int account_logout(hq_store *s, const char *token_hash, const char *username);

#endif
