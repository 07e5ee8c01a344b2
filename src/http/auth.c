/*
 * Sessions. A login checks the password against its argon2id encoding (ledger/accounts.h)
 * and creates a session: a random 256-bit token in an HttpOnly, SameSite=Strict cookie
 * (only its SHA-256 is stored) and a separate CSRF token the page must echo in
 * X-CSRF-Token on every state change. The session gives the request its user and role;
 * what that role may do is the operation table's to say (ops/ops.h).
 *
 * Logins are limited by http/throttle.h (a growing delay per account and per address, no
 * lock-out) and refused ones are audited in aggregate by http/login_audit.h.
 */
#include <microhttpd.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/sha256.h"
#include "http/http.h"
#include "http/login_audit.h"
#include "http/throttle.h"
#include "ledger/accounts.h"
#include "ledger/audit.h"
#include "ledger/ledger.h"

enum { SESSION_SECONDS = 8 * 3600 };

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

/* Open the session of a user whose password was right. The login and its audit row commit
 * together or not at all: on a write failure (a full disk) nobody is signed in. */
static void grant(hq_req *r, hq_store *s, const hq_user_rec *u)
{
    unsigned char tok[32], csrf_raw[32];
    char token[65], h[65], csrf[65];
    if (RAND_bytes(tok, sizeof tok) != 1 || RAND_bytes(csrf_raw, sizeof csrf_raw) != 1) {
        http_error(r, 503, "unavailable", NULL, "无法生成会话，请稍后重试");
        return;
    }
    hex(tok, 32, token);
    hex(csrf_raw, 32, csrf);
    sha256_hex(token, h);
    if (account_session_open(s, u, h, csrf, (int64_t)time(NULL) + SESSION_SECONDS, r->remote)) {
        fprintf(stderr, "huiqi: 登录未能写入（%s）：%s\n", u->username, store_error(s));
        http_error(r, 503, "unavailable", NULL, "登录未能记入审计日志（数据库写入失败，可能磁盘已满），本次登录未生效，请稍后重试");
        return;
    }
    r->user = *u;
    r->role = role_parse(u->role);
    snprintf(r->csrf, sizeof r->csrf, "%s", csrf);
    snprintf(r->set_cookie, sizeof r->set_cookie, "hq_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", token,
             SESSION_SECONDS, http_config(r)->secure_cookies ? "; Secure" : "");
    json_t *me = user_json(r);
    json_object_set_new(me, "csrf", json_string(csrf));
    http_json(r, 200, me);
}

/* One attempt: find the account, let the limiter decide and count the attempt in one step
 * (throttle.h), check the password (a dummy check for an unknown name: the same cost), then
 * settle. Refusals are counted for the aggregated audit rows (login_audit.h). */
static void attempt(hq_req *r, hq_store *s, const char *name, const char *password)
{
    hq_user_rec u;
    int found = account_find(s, name, &u);
    if (found < 0) {
        http_error(r, 503, "unavailable", NULL, "数据库不可用");
        return;
    }
    const char *account = found == 0 ? u.username : NULL;
    long wait = throttle_begin(account ? account : name, account != NULL, r->remote); /* the stored name: one key per account */
    /* An account's count is also kept in the ledger, where the other servers see it. */
    if (!wait && account) wait = throttle_shared_begin(s, account);
    if (wait < 0) {
        http_error(r, 503, "unavailable", NULL, "数据库不可用，暂时无法登录");
        return;
    }
    if (wait) {
        login_audit_note(account, r->remote, true);
        r->retry_after = wait;
        http_error(r, 429, "too_many_attempts", NULL, "登录尝试过于频繁，请 %ld 秒后再试", wait);
        return;
    }
    if (!account_verify(account ? &u : NULL, password)) {
        login_audit_note(account, r->remote, false);
        http_error(r, 401, "bad_credentials", NULL, "用户名或密码错误");
        return;
    }
    throttle_succeeded(u.username, r->remote);
    if (throttle_shared_succeeded(s, u.username)) {
        http_error(r, 503, "unavailable", NULL, "数据库不可用，暂时无法登录");
        return;
    }
    grant(r, s, &u);
}

void api_login(hq_req *r)
{
    /* A form or text/plain body can be sent across sites without CORS: only JSON signs in,
     * so another site cannot sign a browser into an account of its choosing (login CSRF). */
    const char *type = http_header(r, "Content-Type");
    if (!type || strncasecmp(type, "application/json", 16)) {
        http_error(r, 415, "unsupported_media_type", NULL, "登录请求须为 JSON（Content-Type: application/json）");
        return;
    }
    json_t *b = http_body_json(r);
    if (!b) return;
    const char *user = json_string_value(json_object_get(b, "username"));
    const char *pass = json_string_value(json_object_get(b, "password"));
    hq_store *s = http_thread_store(r);
    if (!user || !*user) http_error(r, 400, "bad_request", "username", "缺少用户名");
    else if (!pass) http_error(r, 400, "bad_request", "password", "缺少密码");
    else if (!s) http_error(r, 503, "unavailable", NULL, "数据库不可用");
    else attempt(r, s, user, pass);
    json_decref(b);
    /* Rows of intervals that have closed are written by whichever login comes next. */
    if (s && login_audit_flush(s, false))
        fprintf(stderr, "huiqi: 登录失败汇总未能写入审计日志，保留待下次写入：%s\n", store_error(s));
}

void auth_shutdown(const char *db_path)
{
    hq_diag d;
    diag_init(&d);
    hq_store *s = store_open(db_path, false, &d);
    diag_free(&d);
    if (login_audit_flush(s, true))
        fprintf(stderr, "huiqi: 退出时登录失败汇总未能写入审计日志%s%s\n", s ? "：" : "", s ? store_error(s) : "");
    if (s) store_close(s);
}

void api_logout(hq_req *r)
{
    if (!auth_state_change(r)) return;
    hq_store *s = http_thread_store(r);
    if (!s || account_logout(s, r->session_hash, r->user.username)) {
        http_error(r, 503, "unavailable", NULL, "数据库不可用，未能退出登录，请稍后重试");
        return;
    }
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
