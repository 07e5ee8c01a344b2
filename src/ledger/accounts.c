/*
 * Password hashing for accounts; see accounts.h.
 */
#include "ledger/accounts.h"

#include <argon2.h>
#include <openssl/rand.h>
#include <string.h>

int account_hash_password(const char *password, char *out, size_t size)
{
    unsigned char salt[16];
    if (RAND_bytes(salt, sizeof salt) != 1) return -1;
    return argon2id_hash_encoded(2, 19 * 1024, 1, password, strlen(password), salt, sizeof salt, 32, out, size) == ARGON2_OK ? 0
                                                                                                                          : -1;
}

bool account_password_ok(const char *encoded, const char *password)
{
    return argon2id_verify(encoded, password, strlen(password)) == ARGON2_OK;
}
