/*
 * Sessions. A login checks the password against its argon2id encoding (ledger/accounts.h)
 * and creates a session: a random 256-bit token in an HttpOnly, SameSite=Strict cookie
 * (only its SHA-256 is stored) and a separate CSRF token the page must echo in
 * X-CSRF-Token on every state change. The session gives the request its user and role;
 * what that role may do is the operation table's to say (ops/ops.h).
 */
#include <microhttpd.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/sha256.h"
#include "http/http.h"
#include "ledger/accounts.h"
#include "ledger/audit.h"
#include "ledger/ledger.h"

enum { SESSION_SECONDS = 8 * 3600, THROTTLE_FAILURES = 5, THROTTLE_SECONDS = 15 * 60, THROTTLE_SLOTS = 1024 };

/* Failed logins per user name, in memory: after THROTTLE_FAILURES in THROTTLE_SECONDS the
 * name is refused until the window ends, which slows password guessing to a crawl without
 * locking anyone out for long. A slot is chosen by hash; a collision only shares a count. */
static struct {
    unsigned failures;
    time_t since;
} throttle[THROTTLE_SLOTS];
static pthread_mutex_t throttle_lock = PTHREAD_MUTEX_INITIALIZER;

static unsigned throttle_slot(const char *user)
{
    unsigned h = 2166136261u;
    for (; *user; user++) h = (h ^ (unsigned char)*user) * 16777619u;
    return h % THROTTLE_SLOTS;
}

/* Seconds until `user` may try again, or 0. */
static long throttled(const char *user)
{
    time_t now = time(NULL);
    pthread_mutex_lock(&throttle_lock);
    unsigned k = throttle_slot(user);
    long wait = 0;
    if (now - throttle[k].since >= THROTTLE_SECONDS) throttle[k].failures = 0;
    else if (throttle[k].failures >= THROTTLE_FAILURES) wait = THROTTLE_SECONDS - (long)(now - throttle[k].since);
    pthread_mutex_unlock(&throttle_lock);
    return wait;
}

static void throttle_note(const char *user, bool failed)
{
    time_t now = time(NULL);
    pthread_mutex_lock(&throttle_lock);
    unsigned k = throttle_slot(user);
    if (!failed) throttle[k].failures = 0;
    else {
        if (throttle[k].failures == 0 || now - throttle[k].since >= THROTTLE_SECONDS) {
            throttle[k].failures = 0;
            throttle[k].since = now;
        }
        throttle[k].failures++;
    }
    pthread_mutex_unlock(&throttle_lock);
}

static void hex(const unsigned char *b, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++) snprintf(out + 2 * i, 3, "%02x", b[i]);
}

static void sha256_hex(const char *s, char out[65])
{
    hq_sha256_hex(s, strlen(s), out);
}

void auth_identify(hq_req *r)
{
    r->role = ROLE_NONE;
    const char *cookie = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "hq_session");
    if (!cookie || strlen(cookie) != 64) return;
    hq_store *s = http_thread_store(r);
    if (!s) return;
    char h[65];
    sha256_hex(cookie, h);
    if (account_session(s, h, (int64_t)time(NULL), &r->user, r->csrf, sizeof r->csrf) != 0) {
        r->csrf[0] = 0;
        return;
    }
    r->role = role_parse(r->user.role);
    snprintf(r->session_hash, sizeof r->session_hash, "%s", h);
}

bool auth_state_change(hq_req *r)
{
    if (r->role == ROLE_NONE) {
        http_error(r, 401, "unauthorized", NULL, "请先登录");
        return false;
    }
    const char *t = http_header(r, "X-CSRF-Token");
    if (!t || strcmp(t, r->csrf)) {
        http_error(r, 403, "csrf", NULL, "缺少或错误的 X-CSRF-Token（登录时返回的 csrf 值）");
        return false;
    }
    return true;
}

void auth_audit(hq_req *r, const char *action, const char *object, json_t *after)
{
    hq_store *s = http_thread_store(r);
    char actor[96];
    snprintf(actor, sizeof actor, "%s%s", r->user.username[0] ? "user:" : "", r->user.username[0] ? r->user.username : "anonymous");
    if (s && audit_record(s, actor, action, object, after))
        fprintf(stderr, "huiqi: 审计记录未能写入（%s %s）：%s\n", action, object ? object : "", store_error(s));
    json_decref(after);
}

/* ---- login, logout, me -------------------------------------------------------------------- */

static json_t *user_json(const hq_req *r)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "username", r->user.username, "role", role_code(r->role), "role_zh",
                     role_zh(r->role), "credit_code", r->user.credit_code, "department", r->user.department,
                     "display_name", r->user.display_name);
}

void api_login(hq_req *r)
{
    json_t *b = http_body_json(r);
    if (!b) return;
    const char *user = json_string_value(json_object_get(b, "username"));
    const char *pass = json_string_value(json_object_get(b, "password"));
    hq_store *s = http_thread_store(r);
    if (!user || !*user) http_error(r, 400, "bad_request", "username", "缺少用户名");
    else if (!pass) http_error(r, 400, "bad_request", "password", "缺少密码");
    else if (!s) http_error(r, 503, "unavailable", NULL, "数据库不可用");
    else if (throttled(user)) {
        snprintf(r->user.username, sizeof r->user.username, "%.63s", user);
        auth_audit(r, "login-throttled", user, NULL);
        r->user.username[0] = 0;
        http_error(r, 429, "too_many_attempts", NULL, "登录失败次数过多，请 %ld 分钟后再试", (throttled(user) + 59) / 60);
    } else {
        unsigned char tok[32], csrf_raw[32];
        char token[65], h[65], csrf[65];
        RAND_bytes(tok, sizeof tok);
        RAND_bytes(csrf_raw, sizeof csrf_raw);
        hex(tok, 32, token);
        hex(csrf_raw, 32, csrf);
        sha256_hex(token, h);
        hq_user_rec u;
        int rc = account_login(s, user, pass, h, csrf, (int64_t)time(NULL) + SESSION_SECONDS, &u);
        throttle_note(user, rc == 1);
        if (rc == 1) {
            snprintf(r->user.username, sizeof r->user.username, "%.63s", user);
            auth_audit(r, "login-failed", user, NULL);
            r->user.username[0] = 0;
            http_error(r, 401, "bad_credentials", NULL, "用户名或密码错误");
        } else if (rc < 0) {
            http_error(r, 503, "unavailable", NULL, "无法创建会话：%s", store_error(s));
        } else {
            r->user = u;
            r->role = role_parse(u.role);
            snprintf(r->csrf, sizeof r->csrf, "%s", csrf);
            snprintf(r->set_cookie, sizeof r->set_cookie, "hq_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", token,
                     SESSION_SECONDS, http_config(r)->secure_cookies ? "; Secure" : "");
            auth_audit(r, "login", u.username, NULL);
            json_t *me = user_json(r);
            json_object_set_new(me, "csrf", json_string(csrf));
            http_json(r, 200, me);
        }
    }
    json_decref(b);
}

void api_logout(hq_req *r)
{
    if (!auth_state_change(r)) return;
    hq_store *s = http_thread_store(r);
    if (!s || account_logout(s, r->session_hash)) {
        http_error(r, 503, "unavailable", NULL, "数据库不可用，未能退出登录，请稍后重试");
        return;
    }
    auth_audit(r, "logout", r->user.username, NULL);
    snprintf(r->set_cookie, sizeof r->set_cookie, "hq_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    http_json(r, 200, json_pack("{s:b}", "ok", 1));
}

void api_me(hq_req *r)
{
    if (r->role == ROLE_NONE) {
        http_error(r, 401, "unauthorized", NULL, "未登录");
        return;
    }
    json_t *me = user_json(r);
    json_object_set_new(me, "csrf", json_string(r->csrf));
    http_json(r, 200, me);
}

void api_health(hq_req *r)
{
    const hq_corpus *c = http_config(r)->corpus;
    hq_store *s = http_thread_store(r);
    int64_t n = -1;
    if (s && ledger_entity_count(s, &n)) n = -1;
    http_json(r, s ? 200 : 503,
              json_pack("{s:s, s:s, s:i, s:I}", "status", s ? "ok" : "no database", "corpus_hash", c->hash, "items",
                        c->nitems, "entities", (json_int_t)n));
}
