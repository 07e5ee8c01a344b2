/*
 * Accounts of the web UI: passwords kept as argon2id encodings (the reference library,
 * OWASP's floor of 19 MiB, 2 passes, 1 lane) and checked against them. The operation layer
 * adds accounts; the HTTP layer checks a login.
 */
#ifndef HQ_ACCOUNTS_H
#define HQ_ACCOUNTS_H
#include <stdbool.h>
#include <stddef.h>

enum { ACCOUNT_PASSWORD_MIN = 8, ACCOUNT_PASSWORD_MAX = 256 };

/* The argon2id encoding of `password` with a fresh random salt; 0 or -1. */
int account_hash_password(const char *password, char *out, size_t size);
/* Does `password` match the stored encoding? */
bool account_password_ok(const char *encoded, const char *password);

#endif
