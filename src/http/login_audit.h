/*
 * Refused logins in the audit log, aggregated: instead of one row per failure (which let an
 * anonymous flood grow the log and hold the write lock), failures are counted in memory per
 * account and per client address, and each key gets one "login-failed-summary" row per
 * interval of LOGIN_AUDIT_INTERVAL seconds: who was targeted, from where, how many failed
 * (wrong password or unknown name) and how many were refused by the limiter (429).
 *
 * A row is written when its interval has closed, by the next login attempt of any kind, or
 * at shutdown (login_audit_flush with all). Rows that cannot be written (a full disk) stay
 * counted in memory and are tried again. Bounds: at most LOGIN_AUDIT_ACCOUNTS accounts
 * (only names that are accounts get an account row; unknown names are counted on their
 * address's row) and LOGIN_AUDIT_ADDRESSES addresses per interval, further addresses
 * share one row (object "address:*"), so the log grows by at most
 * LOGIN_AUDIT_ACCOUNTS + LOGIN_AUDIT_ADDRESSES + 1 rows per interval, whatever the flood.
 *
 * Thread-safe (one mutex; the store is written outside it).
 */
#ifndef HQ_LOGIN_AUDIT_H
#define HQ_LOGIN_AUDIT_H
#include <stdbool.h>

#include "store/store.h"

enum { LOGIN_AUDIT_INTERVAL = 5 * 60, LOGIN_AUDIT_ACCOUNTS = 1024, LOGIN_AUDIT_ADDRESSES = 128 };

/* Count one refused login: `account` is the account's name, or NULL when the name tried is
 * not an account; `throttled` when the limiter refused it (429) rather than the password. */
void login_audit_note(const char *account, const char *address, bool throttled);

/* Write the rows of the intervals that have closed (every interval when `all`), in one
 * transaction. 0, or -1 when the store failed (the counts are kept for the next call). */
int login_audit_flush(hq_store *s, bool all);

/* Forget the counts (tests). */
void login_audit_reset(void);

#endif
