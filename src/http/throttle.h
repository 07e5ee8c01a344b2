/*
 * The login limiter: failed logins counted per account and per address, in memory, each
 * key its own exact string (no hashing into shared buckets). After a key's free failures a
 * growing delay applies — 1 s, then 2, 4, 8 … capped at THROTTLE_MAX_DELAY — during which
 * a login for that key is answered 429 without checking the password. There is no hard
 * lock: whatever an attacker does, the owner of an account waits at most the cap.
 *
 * Keys: an account that exists (THROTTLE_ACCOUNT_FREE failures free), a name that is not
 * an account (counted apart, with the same numbers, so the answers do not tell which names
 * exist, and so failures for unknown names never touch a real account), and the client's
 * address (THROTTLE_ADDRESS_FREE failures free: an office may share one address).
 *
 * Memory is fixed: three tables of THROTTLE_SLOTS_* entries of THROTTLE_KEY bytes plus
 * counters (about 0.7 MB in all); when a table is full the entry least recently failed is
 * forgotten. A key forgets its failures after THROTTLE_FORGET seconds without one.
 *
 * Thread-safe: one mutex; throttle_begin decides and counts under it, so concurrent
 * attempts cannot pass the limit together.
 */
#ifndef HQ_THROTTLE_H
#define HQ_THROTTLE_H
#include <stdbool.h>

enum {
    THROTTLE_ACCOUNT_FREE = 5,
    THROTTLE_ADDRESS_FREE = 20,
    THROTTLE_MAX_DELAY = 60,           /* seconds */
    THROTTLE_FORGET = 15 * 60,         /* seconds without a failure */
    THROTTLE_SLOTS_ACCOUNTS = 1024,
    THROTTLE_SLOTS_NAMES = 4096,
    THROTTLE_SLOTS_ADDRESSES = 4096,
    THROTTLE_KEY = 64,                 /* longer names share their first 63 bytes */
};

/* May this attempt go ahead? 0: yes, and it is counted now as a failure of the name
 * (`exists` says whether it is an account) and of the address until throttle_settle says
 * otherwise. Otherwise the seconds to wait (≥ 1); nothing is counted. */
long throttle_begin(const char *name, bool exists, const char *address);

/* The password was right: the account's failures are cleared and the address's
 * provisional count taken back. A wrong password needs no call (it stays counted). */
void throttle_succeeded(const char *name, const char *address);

/* The same limit for an account, counted in the ledger so that every server of it sees the
 * failures of the others (several `huiqi serve` on one database): in a write transaction of
 * its own, 0 (and the attempt counted) or the seconds to wait, or -1 when the store failed
 * (the caller refuses the login: a limiter that cannot count must not let attempts through).
 * Only accounts are counted there, so the table holds at most one row per account; unknown
 * names and addresses stay in each server's memory above. */
struct hq_store;
long throttle_shared_begin(struct hq_store *s, const char *account);
/* The right password: the account's shared count is cleared. 0, or -1 on a store failure. */
int throttle_shared_succeeded(struct hq_store *s, const char *account);
/* Forget everything (tests). */
void throttle_reset(void);

#endif
