/*
 * The login limiter; see throttle.h for the policy and its numbers.
 */
#include "http/throttle.h"

#include "store/store.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

typedef struct {
    char key[THROTTLE_KEY]; /* "" when free */
    unsigned failures;
    int64_t last_ms;        /* monotonic time of the last failure counted */
} slot;

typedef struct {
    slot *v;
    unsigned cap, free_failures;
} table;

static slot accounts_v[THROTTLE_SLOTS_ACCOUNTS], names_v[THROTTLE_SLOTS_NAMES], addresses_v[THROTTLE_SLOTS_ADDRESSES];
static table accounts = {accounts_v, THROTTLE_SLOTS_ACCOUNTS, THROTTLE_ACCOUNT_FREE};
static table names = {names_v, THROTTLE_SLOTS_NAMES, THROTTLE_ACCOUNT_FREE};
static table addresses = {addresses_v, THROTTLE_SLOTS_ADDRESSES, THROTTLE_ADDRESS_FREE};
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The entry of `key`, or NULL. A linear scan: a few thousand comparisons cost microseconds,
 * next to the tens of milliseconds of the password check every attempt pays. */
static slot *find(table *t, const char *key)
{
    for (unsigned i = 0; i < t->cap; i++)
        if (t->v[i].key[0] && !strncmp(t->v[i].key, key, THROTTLE_KEY - 1)) return &t->v[i];
    return NULL;
}

/* The entry of `key`, made if need be in a free slot or in place of the one whose last
 * failure is oldest. */
static slot *find_or_add(table *t, const char *key, int64_t now)
{
    slot *s = find(t, key);
    if (s) return s;
    slot *oldest = &t->v[0];
    for (unsigned i = 0; i < t->cap; i++) {
        if (!t->v[i].key[0]) {
            oldest = &t->v[i];
            break;
        }
        if (t->v[i].last_ms < oldest->last_ms) oldest = &t->v[i];
    }
    snprintf(oldest->key, sizeof oldest->key, "%s", key);
    oldest->failures = 0;
    oldest->last_ms = now;
    return oldest;
}

/* The policy, for both layers: milliseconds still to wait after `failures` (none for the
 * first `free_failures`, then 1 s doubled by each further failure, capped), counted from
 * the last failure. A key quiet for THROTTLE_FORGET seconds has its count reset to 0. */
static int64_t policy_wait(unsigned *failures, int64_t last_ms, int64_t now, unsigned free_failures)
{
    if (now - last_ms >= (int64_t)THROTTLE_FORGET * 1000) *failures = 0;
    if (*failures < free_failures) return 0;
    unsigned over = *failures - free_failures;
    int64_t delay = over >= 6 ? (int64_t)THROTTLE_MAX_DELAY * 1000 : (int64_t)1000 << over;
    if (delay > (int64_t)THROTTLE_MAX_DELAY * 1000) delay = (int64_t)THROTTLE_MAX_DELAY * 1000;
    int64_t left = last_ms + delay - now;
    return left > 0 ? left : 0;
}

static int64_t wait_ms(const table *t, slot *s, int64_t now)
{
    return policy_wait(&s->failures, s->last_ms, now, t->free_failures);
}

long throttle_begin(const char *name, bool exists, const char *address)
{
    int64_t now = now_ms();
    pthread_mutex_lock(&lock);
    slot *n = find_or_add(exists ? &accounts : &names, name, now);
    slot *a = find_or_add(&addresses, address && *address ? address : "-", now);
    int64_t wn = wait_ms(exists ? &accounts : &names, n, now), wa = wait_ms(&addresses, a, now);
    int64_t w = wn > wa ? wn : wa;
    if (w == 0) {
        n->failures++;
        n->last_ms = now;
        a->failures++;
        a->last_ms = now;
    }
    pthread_mutex_unlock(&lock);
    return w ? (long)((w + 999) / 1000) : 0;
}

void throttle_succeeded(const char *name, const char *address)
{
    pthread_mutex_lock(&lock);
    slot *n = find(&accounts, name);
    if (n) memset(n, 0, sizeof *n);
    slot *a = find(&addresses, address && *address ? address : "-");
    if (a && a->failures) a->failures--;
    pthread_mutex_unlock(&lock);
}

/* Servers share a wall clock, not a monotonic one. */
static int64_t wall_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

long throttle_shared_begin(hq_store *s, const char *account)
{
    int failures = 0;
    int64_t last = 0, now = wall_ms();
    if (store_begin(s)) return -1;
    int found = store_login_failures_get(s, account, &failures, &last);
    if (found < 0) {
        store_rollback(s);
        return -1;
    }
    unsigned n = found == 0 && failures > 0 ? (unsigned)failures : 0;
    int64_t w = policy_wait(&n, last, now, THROTTLE_ACCOUNT_FREE);
    if (w == 0 && (store_login_failures_put(s, account, (int)(n + 1 > 1000000 ? 1000000 : n + 1), now) || store_commit(s))) {
        store_rollback(s);
        return -1;
    }
    if (w) store_rollback(s);
    return w ? (long)((w + 999) / 1000) : 0;
}

int throttle_shared_succeeded(hq_store *s, const char *account)
{
    if (store_begin(s)) return -1;
    if (store_login_failures_put(s, account, 0, 0) || store_commit(s)) {
        store_rollback(s);
        return -1;
    }
    return 0;
}

void throttle_reset(void)
{
    pthread_mutex_lock(&lock);
    memset(accounts_v, 0, sizeof accounts_v);
    memset(names_v, 0, sizeof names_v);
    memset(addresses_v, 0, sizeof addresses_v);
    pthread_mutex_unlock(&lock);
}
