/*
 * Aggregated audit rows for refused logins; see login_audit.h.
 *
 * A flush copies the due entries under the counting mutex, writes them with the mutex
 * released (a login never waits on the store's write lock to be counted), and only then
 * takes the written counts off the entries. One flush runs at a time (a second caller
 * returns at once); a failed write takes nothing off, so the counts are tried again.
 */
#include "http/login_audit.h"

#include <jansson.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ledger/audit.h"
#include "ledger/clock.h"

typedef struct {
    char key[64];          /* the account's name or the address; "" when free */
    unsigned failures, refused, unknown_names;
    char first[32], last[32], last_address[64];
    int64_t start_ms;      /* monotonic: when the interval began */
} entry;

static entry accounts[LOGIN_AUDIT_ACCOUNTS], addresses[LOGIN_AUDIT_ADDRESSES], other_addresses;
static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER, flush_lock = PTHREAD_MUTEX_INITIALIZER;

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The entry of `key` in v[n], a free one, or NULL when all are taken by other keys. */
static entry *slot_of(entry *v, unsigned n, const char *key)
{
    entry *free_one = NULL;
    for (unsigned i = 0; i < n; i++) {
        if (!v[i].key[0]) {
            if (!free_one) free_one = &v[i];
        } else if (!strncmp(v[i].key, key, sizeof v[i].key - 1)) {
            return &v[i];
        }
    }
    return free_one;
}

static void count(entry *e, const char *key, const char *address, bool throttled, bool unknown, const char *at)
{
    if (!e->key[0] || !(e->failures || e->refused)) {
        if (!e->key[0]) snprintf(e->key, sizeof e->key, "%s", key);
        snprintf(e->first, sizeof e->first, "%s", at);
        e->start_ms = now_ms();
    }
    if (throttled) e->refused++;
    else e->failures++;
    if (unknown) e->unknown_names++;
    snprintf(e->last, sizeof e->last, "%s", at);
    if (address) snprintf(e->last_address, sizeof e->last_address, "%s", address);
}

void login_audit_note(const char *account, const char *address, bool throttled)
{
    char at[32];
    clock_now(at, sizeof at);
    if (!address || !*address) address = "-";
    pthread_mutex_lock(&count_lock);
    if (account) {
        /* Accounts beyond the table (more than exist in any deployment) go unrecorded by
         * name; their address still counts them. */
        entry *e = slot_of(accounts, LOGIN_AUDIT_ACCOUNTS, account);
        if (e) count(e, account, address, throttled, false, at);
    }
    entry *a = slot_of(addresses, LOGIN_AUDIT_ADDRESSES, address);
    if (!a) a = &other_addresses;
    count(a, a == &other_addresses ? "*" : address, NULL, throttled, !account, at);
    pthread_mutex_unlock(&count_lock);
}

typedef struct {
    entry *src;     /* the live entry the copy was taken from */
    entry copy;
    bool address;
} due;

static bool is_due(const entry *e, int64_t now, bool all)
{
    return e->key[0] && (e->failures || e->refused) && (all || now - e->start_ms >= (int64_t)LOGIN_AUDIT_INTERVAL * 1000);
}

static int write_rows(hq_store *s, const due *d, unsigned n)
{
    if (store_begin(s)) return -1;
    for (unsigned i = 0; i < n; i++) {
        const entry *e = &d[i].copy;
        char object[80];
        snprintf(object, sizeof object, "%s:%s", d[i].address ? "address" : "user", e->key);
        json_t *after = json_pack("{s:i, s:i, s:s, s:s, s:i}", "failures", (int)e->failures, "refused", (int)e->refused,
                                  "first", e->first, "last", e->last, "interval_seconds", LOGIN_AUDIT_INTERVAL);
        if (d[i].address) json_object_set_new(after, "unknown_names", json_integer(e->unknown_names));
        else json_object_set_new(after, "last_address", json_string(e->last_address));
        int rc = audit_log(s, "anonymous", "login-failed-summary", object, NULL, after);
        json_decref(after);
        if (rc) {
            store_rollback(s);
            return -1;
        }
    }
    if (store_commit(s)) {
        store_rollback(s);
        return -1;
    }
    return 0;
}

/* Take the written counts off the live entry; what came in meanwhile starts a new interval. */
static void settle(entry *e, const entry *written)
{
    e->failures -= written->failures;
    e->refused -= written->refused;
    e->unknown_names -= written->unknown_names;
    if (!e->failures && !e->refused) memset(e, 0, sizeof *e);
    else {
        snprintf(e->first, sizeof e->first, "%s", e->last);
        e->start_ms = now_ms();
    }
}

int login_audit_flush(hq_store *s, bool all)
{
    enum { MAX_DUE = LOGIN_AUDIT_ACCOUNTS + LOGIN_AUDIT_ADDRESSES + 1 };
    static due d[MAX_DUE]; /* guarded by flush_lock */
    if (all) pthread_mutex_lock(&flush_lock);
    else if (pthread_mutex_trylock(&flush_lock)) return 0;
    unsigned n = 0;
    int64_t now = now_ms();
    pthread_mutex_lock(&count_lock);
    for (unsigned i = 0; i < LOGIN_AUDIT_ACCOUNTS; i++)
        if (is_due(&accounts[i], now, all)) d[n++] = (due){&accounts[i], accounts[i], false};
    for (unsigned i = 0; i < LOGIN_AUDIT_ADDRESSES; i++)
        if (is_due(&addresses[i], now, all)) d[n++] = (due){&addresses[i], addresses[i], true};
    if (is_due(&other_addresses, now, all)) d[n++] = (due){&other_addresses, other_addresses, true};
    pthread_mutex_unlock(&count_lock);
    int rc = n && s ? write_rows(s, d, n) : (n ? -1 : 0);
    if (rc == 0 && n) {
        pthread_mutex_lock(&count_lock);
        for (unsigned i = 0; i < n; i++) settle(d[i].src, &d[i].copy);
        pthread_mutex_unlock(&count_lock);
    }
    pthread_mutex_unlock(&flush_lock);
    return rc;
}

void login_audit_reset(void)
{
    pthread_mutex_lock(&count_lock);
    memset(accounts, 0, sizeof accounts);
    memset(addresses, 0, sizeof addresses);
    memset(&other_addresses, 0, sizeof other_addresses);
    pthread_mutex_unlock(&count_lock);
}
