/*
 * The HTTP layer: `huiqi serve` exposes everything the CLI does as a JSON API under /api/
 * and serves the Chinese web UI (web/) from the same process. libmicrohttpd does the
 * protocol (its own thread pool over epoll, connection and time limits); this layer owns
 * request bodies (accumulated up to a hard limit — the PostProcessor is never used),
 * routing, sessions and roles, and JSON responses.
 *
 * Threading: a request runs on one of libmicrohttpd's pool threads from start to end.
 * Each thread lazily opens its own store connection and evaluator (http_thread_store(),
 * http_thread_vm()); the corpus is shared read-only.
 *
 * Errors are JSON: {"error": {"code": "...", "message": "...", "field": "..."}} with a
 * stable code (docs/api.md lists them) and the HTTP status that goes with it.
 */
#ifndef HQ_HTTP_H
#define HQ_HTTP_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "eval/rvm.h"
#include "rules/corpus.h"
#include "store/store.h"

typedef struct hq_server hq_server;

typedef struct {
    const char *db_path;
    const char *listen;          /* "127.0.0.1:8080" */
    const char *web_dir;         /* static files of the UI */
    const hq_corpus *corpus;
    unsigned threads;            /* 0: one per core */
    unsigned max_connections;
    unsigned timeout_seconds;
    size_t max_body;             /* API bodies; imports may be larger (max_upload) */
    size_t max_upload;
    FILE *access_log;            /* one line per request, or NULL */
    bool secure_cookies;         /* add Secure (behind TLS) */
} hq_server_config;

/* Roles of the web UI's accounts. */
typedef enum { ROLE_NONE, ROLE_ENTERPRISE, ROLE_REVIEWER, ROLE_FINANCE, ROLE_LEADER, ROLE_ADMIN } hq_role;

typedef struct hq_req {
    hq_server *srv;
    void *conn;                  /* struct MHD_Connection * */
    const char *method, *url;
    char *body;
    size_t body_len, body_cap, body_max;
    bool too_large;
    bool responded;              /* a response is queued */
    /* who is asking */
    hq_user_rec user;
    hq_role role;
    char session_hash[65];
    char csrf[65];
    char remote[64];
    /* route parameters ({id} segments) */
    char params[4][128];
    int nparams;
    /* the response */
    int status;
    json_t *json;
    char *raw;                   /* a non-JSON body (CSV, XLSX, a static file) */
    size_t raw_len;
    const char *content_type;
    char disposition[256];       /* Content-Disposition for downloads */
    char set_cookie[512];
    char allow[64];              /* Allow header of a 405 */
    double t0;
} hq_req;

/* ---- server ---------------------------------------------------------------------------- */
hq_server *server_new(const hq_server_config *cfg, char *err, size_t errsize);
/* Serve until SIGTERM or SIGINT, then stop accepting, finish what is in flight, return. */
int server_run(hq_server *s);
void server_free(hq_server *s);
const hq_server_config *server_config(const hq_server *s);

/* Per-thread resources (see above); NULL on failure. */
hq_store *http_thread_store(hq_req *r);
hq_vm *http_thread_vm(hq_req *r);

/* ---- responses ------------------------------------------------------------------------- */
void http_json(hq_req *r, int status, json_t *body);            /* takes the reference */
/* An error response: status, stable code, message, and the field at fault (or NULL). */
void http_error(hq_req *r, int status, const char *code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void http_raw(hq_req *r, int status, const char *content_type, char *data, size_t len); /* takes data */

/* ---- requests -------------------------------------------------------------------------- */
const char *http_query(hq_req *r, const char *key);
const char *http_header(hq_req *r, const char *key);
/* The body parsed as a JSON object; NULL after an error response (bad JSON, not an object). */
json_t *http_body_json(hq_req *r);

/* ---- sessions and roles (auth.c) ------------------------------------------------------- */
/* Resolve the session cookie into r->user / r->role. */
void auth_identify(hq_req *r);
/* The request may change state: a session and a matching X-CSRF-Token header. Otherwise
 * an error response is set and false returned. */
bool auth_state_change(hq_req *r);
/* The caller has one of the roles (bit mask of 1 << hq_role), else 401/403 set. */
bool auth_require(hq_req *r, unsigned roles);
#define ROLES(...) auth_roles_mask((hq_role[]){__VA_ARGS__, ROLE_NONE})
unsigned auth_roles_mask(const hq_role *list);
const char *role_code(hq_role r);
const char *role_zh(hq_role r);
hq_role role_parse(const char *s);
/* argon2id encoding of a password; 0 or -1. */
int auth_hash_password(const char *password, char *out, size_t size);
/* Write an audit row for the request's user (actor "user:NAME" or "anonymous"). */
void auth_audit(hq_req *r, const char *action, const char *object, json_t *after);

/* ---- handlers -------------------------------------------------------------------------- */
typedef void (*hq_handler)(hq_req *r);
void api_login(hq_req *r);
void api_logout(hq_req *r);
void api_me(hq_req *r);
void api_documents(hq_req *r);
void api_items(hq_req *r);
void api_item(hq_req *r);
void api_facts(hq_req *r);
void api_evaluate(hq_req *r);
/* The calculator on r->body with an explicit corpus and evaluator: what api_evaluate does
 * for a request, callable without a connection (the fuzzer feeds it request bodies). */
void api_evaluate_body(hq_req *r, const hq_corpus *c, hq_vm *vm);
void api_entity(hq_req *r);
void api_entity_evaluate(hq_req *r);
void api_whatif(hq_req *r);
void api_awards(hq_req *r);
void api_award(hq_req *r);
void api_award_action(hq_req *r);
void api_objection_add(hq_req *r);
void api_objection_resolve(hq_req *r);
void api_publicity(hq_req *r);
void api_import(hq_req *r);
void api_match(hq_req *r);
void api_budgets(hq_req *r);
void api_budget_set(hq_req *r);
void api_report(hq_req *r);
void api_audit_verify(hq_req *r);
void api_health(hq_req *r);
void static_file(hq_req *r);

#endif
