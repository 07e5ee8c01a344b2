/*
 * Password hashing and sessions for accounts; see accounts.h.
 */
#include "ledger/accounts.h"

#include <argon2.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

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

/* A name that is not an account costs a verification too, so the time a login takes does
 * not tell which user names exist. */
static char dummy_hash[160];

static void make_dummy_hash(void)
{
    if (account_hash_password("no such account", dummy_hash, sizeof dummy_hash)) dummy_hash[0] = 0;
}

static void spend_a_verification(const char *password)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, make_dummy_hash);
    if (dummy_hash[0]) (void)account_password_ok(dummy_hash, password);
}

int account_login(hq_store *s, const char *username, const char *password, const char *token_hash, const char *csrf,
                  int64_t expires, hq_user_rec *u)
{
    int rc = store_user_get(s, 0, username, u);
    if (rc < 0) return -1;
    if (rc > 0) {
        spend_a_verification(password);
        return 1;
    }
    /* A disabled account fails like a wrong password: the password was still verified, so the
     * time taken says nothing either. */
    if (!account_password_ok(u->password, password) || u->disabled) return 1;
    hq_session_rec sess = {.user_id = u->id, .expires = expires};
    snprintf(sess.token_hash, sizeof sess.token_hash, "%s", token_hash);
    snprintf(sess.csrf, sizeof sess.csrf, "%s", csrf);
    int64_t now = (int64_t)time(NULL);
    if (store_begin(s)) return -1;
    if (store_session_delete(s, "", now) || store_session_put(s, &sess) || store_commit(s)) {
        store_rollback(s);
        return -1;
    }
    return 0;
}

int account_session(hq_store *s, const char *token_hash, int64_t now, hq_user_rec *u, char *csrf, size_t csrf_size)
{
    hq_session_rec sess;
    int rc = store_session_get(s, token_hash, &sess);
    if (rc) return rc < 0 ? -1 : 1;
    if (sess.expires < now) return 1;
    rc = store_user_get(s, sess.user_id, NULL, u);
    if (rc) return rc < 0 ? -1 : 1;
    if (u->disabled) return 1;
    snprintf(csrf, csrf_size, "%s", sess.csrf);
    return 0;
}

int account_logout(hq_store *s, const char *token_hash)
{
    return store_session_delete(s, token_hash, 0) ? -1 : 0;
}
