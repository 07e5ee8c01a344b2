/*
 * Unit tests for signing in (issue 12): the limiter (http/throttle.c) keeps exact keys, never
 * lets unknown names delay a real account, holds racing threads to the limit and caps its
 * delay; an unknown name costs one password verification like a wrong password does; a
 * session is opened only with its audit row; refused logins are audited in aggregate
 * (http/login_audit.c), with a bounded number of rows whatever the flood.
 */
#include "helpers.h"

#include <pthread.h>
#include <unistd.h>

#include "http/login_audit.h"
#include "http/throttle.h"
#include "ledger/accounts.h"
#include "ledger/audit.h"
#include "store/store.h"

static char dir[] = "/tmp/huiqi-login-test-XXXXXX";

static int setup(void **state)
{
    (void)state;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static hq_store *fresh_store(const char *name)
{
    char path[300];
    snprintf(path, sizeof path, "%s/%s.db", dir, name);
    hq_diag d;
    diag_init(&d);
    hq_store *s = store_open(path, true, &d);
    diag_free(&d);
    assert_non_null(s);
    int from, to;
    assert_int_equal(store_migrate(s, &from, &to), 0);
    return s;
}

static void unknown_names_never_delay_an_account(void **state)
{
    (void)state;
    throttle_reset();
    char name[32], addr[32];
    /* The old limiter shared 1,024 hashed buckets: 5,000 names locked every account. */
    for (int i = 0; i < 5000; i++) {
        snprintf(name, sizeof name, "guess-%d", i);
        snprintf(addr, sizeof addr, "10.%d.%d.1", i / 256, i % 256);
        (void)throttle_begin(name, false, addr);
    }
    for (int i = 0; i < 50; i++) (void)throttle_begin("admin", false, "10.200.0.1"); /* "admin" as an unknown name */
    assert_int_equal(throttle_begin("admin", true, "192.168.1.9"), 0);
}

static void an_account_waits_a_growing_delay_capped(void **state)
{
    (void)state;
    throttle_reset();
    char addr[32];
    for (int i = 0; i < THROTTLE_ACCOUNT_FREE; i++) {
        snprintf(addr, sizeof addr, "10.0.0.%d", i + 1);
        assert_int_equal(throttle_begin("victim", true, addr), 0);
    }
    long w = throttle_begin("victim", true, "10.0.1.1");
    assert_int_equal(w, 1); /* after 5 failures: 1 s, not 15 minutes */
    assert_int_equal(throttle_begin("other", true, "10.0.1.1"), 0);
    /* The right password after the delay clears the account. */
    throttle_succeeded("victim", "10.0.1.1");
    assert_int_equal(throttle_begin("victim", true, "10.0.1.2"), 0);
    /* Whatever the number of failures, the delay never passes the cap. */
    throttle_reset();
    for (int i = 0; i < 200; i++) {
        snprintf(addr, sizeof addr, "10.1.%d.%d", i / 250, i % 250);
        w = throttle_begin("victim", true, addr);
        assert_true(w >= 0 && w <= THROTTLE_MAX_DELAY);
    }
}

/* Two servers of one ledger, as two connections to it: an account's failures counted by
 * one hold back the other, the right password on either clears them, and a store that
 * cannot count refuses rather than lets the attempt through. */
static void an_accounts_failures_are_shared_by_servers(void **state)
{
    (void)state;
    hq_store *a = fresh_store("shared");
    char path[300];
    snprintf(path, sizeof path, "%s/shared.db", dir);
    hq_diag d;
    diag_init(&d);
    hq_store *b = store_open(path, false, &d);
    diag_free(&d);
    assert_non_null(b);
    for (int i = 0; i < THROTTLE_ACCOUNT_FREE; i++) assert_int_equal(throttle_shared_begin(i % 2 ? a : b, "victim"), 0);
    assert_int_equal(throttle_shared_begin(a, "victim"), 1);
    assert_int_equal(throttle_shared_begin(b, "victim"), 1);
    assert_int_equal(throttle_shared_begin(b, "bystander"), 0);
    assert_int_equal(throttle_shared_succeeded(b, "victim"), 0);
    assert_int_equal(throttle_shared_begin(a, "victim"), 0);
    /* inside an open transaction the limiter's own cannot begin: it reports, not passes */
    assert_int_equal(store_begin(a), 0);
    assert_int_equal(throttle_shared_begin(a, "victim"), -1);
    store_rollback(a);
    store_close(b);
    store_close(a);
}

static void an_address_has_its_own_limit(void **state)
{
    (void)state;
    throttle_reset();
    char name[32];
    for (int i = 0; i < THROTTLE_ADDRESS_FREE; i++) {
        snprintf(name, sizeof name, "n%d", i);
        assert_int_equal(throttle_begin(name, false, "203.0.113.7"), 0);
    }
    assert_true(throttle_begin("fresh-name", false, "203.0.113.7") >= 1);
    assert_int_equal(throttle_begin("fresh-name", false, "203.0.113.8"), 0);
}

static int allowed;
static pthread_mutex_t allowed_lock = PTHREAD_MUTEX_INITIALIZER;

static void *race(void *arg)
{
    (void)arg;
    if (throttle_begin("raced", true, "198.51.100.1") == 0) {
        usleep(20000); /* the password check */
        pthread_mutex_lock(&allowed_lock);
        allowed++;
        pthread_mutex_unlock(&allowed_lock);
    }
    return NULL;
}

static void racing_threads_are_held_to_the_limit(void **state)
{
    (void)state;
    throttle_reset();
    allowed = 0;
    pthread_t t[16];
    for (int i = 0; i < 16; i++) assert_int_equal(pthread_create(&t[i], NULL, race, NULL), 0);
    for (int i = 0; i < 16; i++) pthread_join(t[i], NULL);
    assert_int_equal(allowed, THROTTLE_ACCOUNT_FREE); /* the old code let 18–20 through */
}

static hq_user_rec add_user(hq_store *s, const char *name, const char *password)
{
    hq_user_rec u = {0};
    snprintf(u.username, sizeof u.username, "%s", name);
    snprintf(u.role, sizeof u.role, "admin");
    assert_int_equal(account_hash_password(password, u.password, sizeof u.password), 0);
    assert_int_equal(store_begin(s) || store_user_put(s, &u) || store_commit(s), 0);
    return u;
}

static void an_unknown_name_costs_one_verification(void **state)
{
    (void)state;
    hq_store *s = fresh_store("verify");
    add_user(s, "admin", "right-pass-1");
    hq_user_rec u;
    assert_int_equal(account_find(s, "admin", &u), 0);
    assert_int_equal(account_find(s, "nobody", &u), 1);
    unsigned long n0 = account_verifications();
    assert_false(account_verify(NULL, "whatever1"));
    assert_int_equal(account_verifications() - n0, 1);
    assert_int_equal(account_find(s, "admin", &u), 0);
    assert_false(account_verify(&u, "wrong-pass"));
    assert_true(account_verify(&u, "right-pass-1"));
    assert_int_equal(account_verifications() - n0, 3);
    store_close(s);
}

static long long audit_rows(hq_store *s)
{
    hq_diag d;
    diag_init(&d);
    hq_audit_check x;
    assert_int_equal(audit_verify(s, NULL, &d, &x), 0);
    diag_free(&d);
    return x.rows;
}

static void a_session_opens_with_its_audit_row(void **state)
{
    (void)state;
    hq_store *s = fresh_store("session");
    hq_user_rec u = add_user(s, "admin", "right-pass-1");
    assert_int_equal(account_find(s, "admin", &u), 0);
    long long before = audit_rows(s);
    char token[65], csrf[65];
    memset(token, 'a', 64);
    memset(csrf, 'b', 64);
    token[64] = csrf[64] = 0;
    assert_int_equal(account_session_open(s, &u, token, csrf, (int64_t)time(NULL) + 60, "127.0.0.1"), 0);
    assert_int_equal(audit_rows(s), before + 1);
    hq_user_rec who;
    char got[65];
    assert_int_equal(account_session(s, token, (int64_t)time(NULL), &who, got, sizeof got), 0);
    store_close(s);
}

/* Count the audit rows with this action and object. */
typedef struct {
    const char *action, *object;
    int n;
    json_t *after;
} row_count;

static int count_row(const hq_audit_rec *r, void *ud)
{
    row_count *c = ud;
    if (strcmp(r->action, c->action) || (c->object && strcmp(r->object, c->object))) return 0;
    c->n++;
    if (c->object && r->after) {
        json_decref(c->after);
        c->after = json_loads(r->after, 0, NULL);
    }
    return 0;
}

static void refused_logins_are_summed_up(void **state)
{
    (void)state;
    hq_store *s = fresh_store("summary");
    login_audit_reset();
    char addr[32];
    for (int i = 0; i < 300; i++) login_audit_note(NULL, "203.0.113.5", false); /* random names */
    for (int i = 0; i < 7; i++) login_audit_note("admin", "203.0.113.5", i >= 5);
    for (int i = 0; i < 1000; i++) { /* a flood from many addresses */
        snprintf(addr, sizeof addr, "10.9.%d.%d", i / 250, i % 250);
        login_audit_note("admin", addr, false);
    }
    assert_int_equal(login_audit_flush(s, false), 0); /* nothing is due before the interval ends */
    assert_int_equal(audit_rows(s), 0);
    assert_int_equal(login_audit_flush(s, true), 0);
    long long rows = audit_rows(s);
    /* One row for the account, one per address up to the table, one for the rest. */
    assert_true(rows >= 3 && rows <= 1 + LOGIN_AUDIT_ADDRESSES + 1);
    row_count acc = {"login-failed-summary", "user:admin", 0, NULL};
    assert_int_equal(store_audit_scan(s, count_row, &acc), 0);
    assert_int_equal(acc.n, 1);
    assert_int_equal(json_integer_value(json_object_get(acc.after, "failures")), 5 + 1000);
    assert_int_equal(json_integer_value(json_object_get(acc.after, "refused")), 2);
    json_decref(acc.after);
    row_count one = {"login-failed-summary", "address:203.0.113.5", 0, NULL};
    assert_int_equal(store_audit_scan(s, count_row, &one), 0);
    assert_int_equal(one.n, 1);
    assert_int_equal(json_integer_value(json_object_get(one.after, "failures")), 305);
    assert_int_equal(json_integer_value(json_object_get(one.after, "unknown_names")), 300);
    json_decref(one.after);
    row_count rest = {"login-failed-summary", "address:*", 0, NULL};
    assert_int_equal(store_audit_scan(s, count_row, &rest), 0);
    assert_int_equal(rest.n, 1);
    json_decref(rest.after);
    /* Written counts are gone: a second flush writes nothing. */
    assert_int_equal(login_audit_flush(s, true), 0);
    assert_int_equal(audit_rows(s), rows);
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unknown_names_never_delay_an_account),
        cmocka_unit_test(an_account_waits_a_growing_delay_capped),
        cmocka_unit_test(an_address_has_its_own_limit),
        cmocka_unit_test(an_accounts_failures_are_shared_by_servers),
        cmocka_unit_test(racing_threads_are_held_to_the_limit),
        cmocka_unit_test(an_unknown_name_costs_one_verification),
        cmocka_unit_test(a_session_opens_with_its_audit_row),
        cmocka_unit_test(refused_logins_are_summed_up),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
