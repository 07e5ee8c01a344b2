/*
 * Password hashing and sessions for accounts; see accounts.h.
 */
#include "ledger/accounts.h"

#include "ledger/audit.h"

#include <argon2.h>
#include <jansson.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdatomic.h>
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

/* A name that is not an account costs a verification too, against a dummy encoding made with
 * the same parameters, so the time a login takes does not tell which user names exist. */
static char dummy_hash[160];
static atomic_ulong verifications;

static void make_dummy_hash(void)
{
    if (account_hash_password("no such account", dummy_hash, sizeof dummy_hash)) dummy_hash[0] = 0;
}

void account_prepare(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, make_dummy_hash);
}

unsigned long account_verifications(void)
{
    return atomic_load(&verifications);
}

int account_find(hq_store *s, const char *username, hq_user_rec *u)
{
    int rc = store_user_get(s, 0, username, u);
    return rc < 0 ? -1 : rc > 0 ? 1 : 0;
}

bool account_verify(const hq_user_rec *u, const char *password)
{
    account_prepare();
    atomic_fetch_add(&verifications, 1);
    if (!u) {
        if (dummy_hash[0]) (void)account_password_ok(dummy_hash, password);
        return false;
    }
    /* A disabled account fails like a wrong password: the password was still verified, so the
     * time taken says nothing either. */
    return account_password_ok(u->password, password) && !u->disabled;
}

int account_session_open(hq_store *s, const hq_user_rec *u, const char *token_hash, const char *csrf, int64_t expires,
                         const char *address)
{
    hq_session_rec sess = {.user_id = u->id, .expires = expires};
    snprintf(sess.token_hash, sizeof sess.token_hash, "%s", token_hash);
    snprintf(sess.csrf, sizeof sess.csrf, "%s", csrf);
    int64_t now = (int64_t)time(NULL);
    char actor[96];
    snprintf(actor, sizeof actor, "user:%s", u->username);
    json_t *after = json_pack("{s:s}", "address", address && *address ? address : "-");
    if (store_begin(s)) {
        json_decref(after);
        return -1;
    }
    int rc = store_session_delete(s, "", now) || store_session_put(s, &sess) ||
             audit_log(s, actor, "login", u->username, NULL, after) || store_commit(s);
    json_decref(after);
    if (rc) {
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

int account_logout(hq_store *s, const char *token_hash, const char *username)
{
    char actor[96];
    snprintf(actor, sizeof actor, "user:%s", username);
    if (store_begin(s)) return -1;
    if (store_session_delete(s, token_hash, 0) || audit_log(s, actor, "logout", username, NULL, NULL) || store_commit(s)) {
        store_rollback(s);
        return -1;
    }
    return 0;
}
