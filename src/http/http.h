/*
 * The HTTP layer: `huiqi serve` exposes the operation layer (ops/ops.h) as a JSON API under
 * /api/ and serves the Chinese web UI (web/) from the same process. libmicrohttpd does the
 * protocol (its own thread pool over epoll, connection and time limits); this layer owns
 * request bodies (accumulated up to a hard limit — the PostProcessor is never used),
 * sessions and CSRF, turning a request into an operation's input and its result into a
 * response. What an operation does, and which roles may ask for it, is the operation
 * table's business, not this layer's.
 *
 * Files: server.c (libmicrohttpd glue, bodies, the access log, shutdown), routes.c (which
 * handler answers a path), api.c (a request → an operation → a response), auth.c (sessions,
 * login, CSRF), throttle.c (the login limiter), login_audit.c (refused logins summed up in
 * the audit log), static.c (the UI's files), context.c (per-thread store and evaluator),
 * response.c (responses and request accessors).
 *
 * Threading: a request runs on one of libmicrohttpd's pool threads from start to end.
 * Each thread lazily opens its own store connection and evaluator; the corpus is shared
 * read-only.
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
#include "ledger/roles.h"
#include "rules/corpus.h"
#include "store/store.h"

typedef struct hq_server hq_server;

typedef struct {
    const char *db_path;
    const char *listen;          /* "127.0.0.1:8080" */
    const char *web_dir;         /* static files of the UI */
    const hq_corpus *corpus;
    const struct hq_plan *const *plans; /* the .hqp files of plans/, loaded once at start; shared read-only */
    int nplans;
    unsigned threads;            /* 0: one per core */
    unsigned max_connections;
    unsigned per_ip_connections; /* well below max_connections: one address cannot take them all */
    unsigned timeout_seconds;    /* idle: no byte for this long ends the connection */
    unsigned request_seconds;    /* a body must arrive whole within this, however it trickles */
    size_t max_body;             /* API bodies; imports may be larger (max_upload) */
    size_t max_upload;
    size_t max_bodies;           /* all bodies being received at once, together */
    FILE *access_log;            /* one line per request, or NULL */
    bool secure_cookies;         /* add Secure (behind TLS) */
} hq_server_config;

typedef struct hq_req {
    hq_server *srv;
    void *conn;                  /* struct MHD_Connection * */
    const char *method, *url;
    char *body;
    size_t body_len, body_cap, body_max;
    bool too_large;
    bool overloaded;             /* the bodies in flight would pass max_bodies: 503 */
    bool responded;              /* a response is queued */
    bool dispatched;             /* answered, or handed to a writer thread (writers.c) */
    struct hq_req *wq_next;      /* the writers' queue */
    /* who is asking */
    hq_user_rec user;
    hq_role role;
    char session_hash[65];
    char csrf[65];
    char remote[64];
    /* the response */
    int status;
    json_t *json;
    char *raw;                   /* a non-JSON body (CSV, XLSX, a static file) */
    size_t raw_len;
    const char *content_type;
    char disposition[512];       /* Content-Disposition for downloads: an ASCII name and its UTF-8 form */
    char set_cookie[512];
    char allow[64];              /* Allow header of a 405 */
    char location[64];           /* Location header of a 202 (a background job) */
    long retry_after;            /* Retry-After (seconds) of a 429, or 0 */
    double t0;
} hq_req;

/* ---- server (server.c) ------------------------------------------------------------------ */
hq_server *server_new(const hq_server_config *cfg, char *err, size_t errsize);
/* Serve until SIGTERM or SIGINT, then stop accepting, finish what is in flight, return. */
int server_run(hq_server *s);
void server_free(hq_server *s);

/* ---- per-thread resources and the configuration (context.c) ------------------------------- */
const hq_server_config *http_config(const hq_req *r);
hq_store *http_thread_store(hq_req *r);      /* NULL on failure */
hq_vm *http_thread_vm(hq_req *r);

/* ---- routing (routes.c): answer the request, whatever its path ---------------------------- */
void http_dispatch(hq_req *r);

/* ---- responses and requests (response.c) ------------------------------------------------- */
void http_json(hq_req *r, int status, json_t *body);            /* takes the reference */
/* An error response: status, stable code, message, and the field at fault (or NULL). */
void http_error(hq_req *r, int status, const char *code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void http_raw(hq_req *r, int status, const char *content_type, char *data, size_t len); /* takes data */
const char *http_query(hq_req *r, const char *key);
const char *http_header(hq_req *r, const char *key);
/* Every query parameter of the request, as strings, added to `in`. */
void http_query_all(hq_req *r, json_t *in);
/* The body parsed as a JSON object; NULL after an error response (bad JSON, not an object). */
json_t *http_body_json(hq_req *r);

/* ---- operations (api.c) ---------------------------------------------------------------------- */
/* Answer the request with operation `def` (ops/ops.h); `in` holds its route parameters and is
 * taken. */
struct hq_op_def;
void http_run_op(hq_req *r, const struct hq_op_def *def, json_t *in);

/* ---- sessions (auth.c) ----------------------------------------------------------------------- */
/* Resolve the session cookie into r->user / r->role. */
void auth_identify(hq_req *r);
/* The request may change state: a session and a matching X-CSRF-Token header. Otherwise
 * an error response is set and false returned. */
bool auth_state_change(hq_req *r);
/* Write an audit row for the request's user (actor "user:NAME" or "anonymous"). */
void auth_audit(hq_req *r, const char *action, const char *object, json_t *after);
void api_login(hq_req *r);
/* At shutdown: write the refused-login counts still held (login_audit.h) to the ledger. */
void auth_shutdown(const char *db_path);
void api_logout(hq_req *r);
void api_me(hq_req *r);
void api_health(hq_req *r);

/* ---- background jobs (jobs.c) ----------------------------------------------------------------- */
/* The request asks for operation `def` to run in the background (Prefer: respond-async). */
bool jobs_wanted(hq_req *r, const struct hq_op_def *def);
/* Start it as a job for `who` (takes `in` and `body`): 202 with the job, or an error. */
/* `upload` (an import's file, taken from the request: the job owns and frees it) may be
 * NULL. One job of an operation runs at a time, so at most one upload is held by jobs. */
void jobs_start(hq_req *r, const struct hq_op_def *def, const hq_identity *who, json_t *in, json_t *body, char *upload,
                size_t upload_len, const char *upload_name);
void api_jobs(hq_req *r);                       /* GET /api/jobs */
void api_job(hq_req *r, const char *id_text);   /* GET /api/jobs/{id} */
void jobs_shutdown(void);                       /* wait for running jobs, release all */

/* ---- the UI's files (static.c) ----------------------------------------------------------------- */
void static_file(hq_req *r);

#endif
