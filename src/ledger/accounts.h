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

/* Sign `username` in: 0 with the user in *u and the session stored (expired sessions are
 * dropped in the same transaction); 1 when the name or password is wrong (which of the two
 * is not said); -1 when the store failed. */
int account_login(hq_store *s, const char *username, const char *password, const char *token_hash, const char *csrf,
                  int64_t expires, hq_user_rec *u);
/* The user of a live session: 0 with *u and the session's CSRF value; 1 when there is no
 * such session or it has expired; -1 when the store failed. */
int account_session(hq_store *s, const char *token_hash, int64_t now, hq_user_rec *u, char *csrf, size_t csrf_size);
/* End a session; 0 or -1. */
int account_logout(hq_store *s, const char *token_hash);

#endif
