/*
 * libmicrohttpd glue: the daemon (thread pool over epoll, connection limit, timeouts),
 * request bodies gathered into a buffer with a hard limit, the route table, responses,
 * the access log and graceful shutdown. Handlers are in api_*.c, sessions in auth.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http/http.h"

struct hq_server {
    hq_server_config cfg;
    struct MHD_Daemon *daemon;
    _Atomic int in_flight;        /* requests begun and not yet completed */
    pthread_key_t store_key, vm_key;
    pthread_mutex_t log_lock;
};

const hq_server_config *server_config(const hq_server *s)
{
    return &s->cfg;
}

/* ---- per-thread resources ---------------------------------------------------------------- */

static void close_store(void *p)
{
    store_close(p);
}

static void free_vm(void *p)
{
    rvm_free(p);
}

hq_store *http_thread_store(hq_req *r)
{
    hq_store *s = pthread_getspecific(r->srv->store_key);
    if (s) return s;
    hq_diag d;
    diag_init(&d);
    s = store_open(r->srv->cfg.db_path, false, &d);
    diag_free(&d);
    if (s) pthread_setspecific(r->srv->store_key, s);
    return s;
}

hq_vm *http_thread_vm(hq_req *r)
{
    hq_vm *vm = pthread_getspecific(r->srv->vm_key);
    if (vm) return vm;
    vm = rvm_new(r->srv->cfg.corpus);
    if (vm) pthread_setspecific(r->srv->vm_key, vm);
    return vm;
}

/* ---- responses ---------------------------------------------------------------------------- */

void http_json(hq_req *r, int status, json_t *body)
{
    json_decref(r->json);
    r->status = status;
    r->json = body;
}

void http_error(hq_req *r, int status, const char *code, const char *field, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_t *e = json_pack("{s:s, s:s}", "code", code, "message", msg);
    if (field) json_object_set_new(e, "field", json_string(field));
    http_json(r, status, json_pack("{s:o}", "error", e));
}

void http_raw(hq_req *r, int status, const char *content_type, char *data, size_t len)
{
    free(r->raw);
    r->status = status;
    r->raw = data;
    r->raw_len = len;
    r->content_type = content_type;
}

const char *http_query(hq_req *r, const char *key)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
}

const char *http_header(hq_req *r, const char *key)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, key);
}

json_t *http_body_json(hq_req *r)
{
    json_error_t err;
    json_t *j = json_loadb(r->body ? r->body : "", r->body_len, JSON_REJECT_DUPLICATES, &err);
    if (!j) {
        http_error(r, 400, "bad_json", NULL, "请求体不是合法的 JSON：第%d行第%d列：%s", err.line, err.column, err.text);
        return NULL;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        http_error(r, 400, "bad_json", NULL, "请求体须为 JSON 对象");
        return NULL;
    }
    return j;
}

/* ---- routing ------------------------------------------------------------------------------ */

typedef struct {
    const char *method, *pattern;   /* "{}" matches one path segment */
    hq_handler fn;
} route;

static const route ROUTES[] = {
    {"GET", "/api/health", api_health},
    {"POST", "/api/login", api_login},
    {"POST", "/api/logout", api_logout},
    {"GET", "/api/me", api_me},
    {"GET", "/api/documents", api_documents},
    {"GET", "/api/items", api_items},
    {"GET", "/api/items/{}", api_item},
    {"GET", "/api/facts", api_facts},
    {"POST", "/api/evaluate", api_evaluate},
    {"GET", "/api/entities/{}", api_entity},
    {"POST", "/api/entities/{}/evaluate", api_entity_evaluate},
    {"POST", "/api/whatif", api_whatif},
    {"GET", "/api/awards", api_awards},
    {"GET", "/api/awards/{}", api_award},
    {"POST", "/api/awards/{}/objections", api_objection_add},
    {"POST", "/api/awards/{}/{}", api_award_action},
    {"POST", "/api/objections/{}/resolve", api_objection_resolve},
    {"GET", "/api/publicity", api_publicity},
    {"POST", "/api/imports/{}", api_import},
    {"POST", "/api/match", api_match},
    {"GET", "/api/budgets", api_budgets},
    {"POST", "/api/budgets", api_budget_set},
    {"GET", "/api/reports", api_report},
    {"GET", "/api/audit/verify", api_audit_verify},
};

/* Match `url` against `pattern`, filling the {} parameters. */
static bool match_route(const char *pattern, const char *url, hq_req *r)
{
    r->nparams = 0;
    const char *p = pattern, *u = url;
    while (*p && *u) {
        if (p[0] == '{' && p[1] == '}') {
            const char *end = strchr(u, '/');
            size_t n = end ? (size_t)(end - u) : strlen(u);
            if (n == 0 || n >= sizeof r->params[0] || r->nparams == 4) return false;
            memcpy(r->params[r->nparams], u, n);
            r->params[r->nparams++][n] = 0;
            u += n;
            p += 2;
        } else if (*p++ != *u++) {
            return false;
        }
    }
    return !*p && !*u;
}

static void dispatch(hq_req *r)
{
    bool path_known = false;
    char allow[64] = "";
    for (size_t i = 0; i < sizeof ROUTES / sizeof *ROUTES; i++) {
        if (!match_route(ROUTES[i].pattern, r->url, r)) continue;
        if (strcmp(ROUTES[i].method, r->method)) {
            if (!strstr(allow, ROUTES[i].method))
                snprintf(allow + strlen(allow), sizeof allow - strlen(allow), "%s%s", allow[0] ? ", " : "", ROUTES[i].method);
            path_known = true;
            continue;
        }
        ROUTES[i].fn(r);
        return;
    }
    if (path_known) {
        http_error(r, 405, "method_not_allowed", NULL, "%s 不支持 %s（可用：%s）", r->url, r->method, allow);
        snprintf(r->allow, sizeof r->allow, "%s", allow);
    }
    else if (!strncmp(r->url, "/api/", 5) || !strcmp(r->url, "/api")) http_error(r, 404, "not_found", NULL, "没有这个接口：%s", r->url);
    else if (!strcmp(r->method, "GET") || !strcmp(r->method, "HEAD")) static_file(r);
    else {
        http_error(r, 405, "method_not_allowed", NULL, "%s 只支持 GET", r->url);
        snprintf(r->allow, sizeof r->allow, "GET, HEAD");
    }
}

/* ---- libmicrohttpd callbacks -------------------------------------------------------------- */

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static enum MHD_Result send_response(hq_req *r)
{
    char *data;
    size_t len;
    const char *type;
    if (r->raw) {
        data = r->raw;
        len = r->raw_len;
        type = r->content_type ? r->content_type : "application/octet-stream";
        r->raw = NULL;
    } else {
        if (!r->json) http_error(r, 500, "internal", NULL, "no response");
        data = json_dumps(r->json, JSON_COMPACT);
        len = data ? strlen(data) : 0;
        type = "application/json; charset=utf-8";
    }
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, data ? data : (char *)"", data ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (!resp) return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", type);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    if (!strncmp(r->url, "/api/", 5)) MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (r->disposition[0]) MHD_add_response_header(resp, "Content-Disposition", r->disposition);
    if (r->set_cookie[0]) MHD_add_response_header(resp, "Set-Cookie", r->set_cookie);
    if (r->allow[0]) MHD_add_response_header(resp, "Allow", r->allow);
    enum MHD_Result ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    r->raw_len = len;
    return ret;
}

static enum MHD_Result refuse_too_large(hq_req *r)
{
    r->too_large = r->responded = true;
    http_error(r, 413, "payload_too_large", NULL, "请求体超过上限 %zu 字节", r->body_max);
    return send_response(r);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
    (void)version;
    hq_server *srv = cls;
    hq_req *r = *con_cls;
    if (!r) {
        r = calloc(1, sizeof *r);
        if (!r) return MHD_NO;
        r->srv = srv;
        r->conn = conn;
        r->method = method;
        r->url = url;
        r->t0 = now_seconds();
        r->body_max = !strncmp(url, "/api/imports/", 13) ? srv->cfg.max_upload : srv->cfg.max_body;
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, r->remote, sizeof r->remote);
        *con_cls = r;
        atomic_fetch_add(&srv->in_flight, 1);
        /* A declared length past the limit is refused before a byte of the body is read. */
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl && strtoull(cl, NULL, 10) > r->body_max) return refuse_too_large(r);
        return MHD_YES;
    }
    if (r->responded) {
        *upload_size = 0; /* the answer is out; the rest of the body is dropped */
        return MHD_YES;
    }
    if (*upload_size) {
        /* Bodies are gathered whole, up to the limit. A body without a declared length
         * (chunked) that grows past it is read to its end and dropped, then answered 413:
         * refusing mid-stream would reset a client still sending. */
        if (r->body_len + *upload_size > r->body_max) r->too_large = true;
        if (!r->too_large) {
            if (r->body_len + *upload_size + 1 > r->body_cap) {
                size_t cap = r->body_cap ? r->body_cap : 4096;
                while (cap < r->body_len + *upload_size + 1) cap *= 2;
                char *nb = realloc(r->body, cap);
                if (!nb) return MHD_NO;
                r->body = nb;
                r->body_cap = cap;
            }
            memcpy(r->body + r->body_len, upload, *upload_size);
            r->body_len += *upload_size;
            r->body[r->body_len] = 0;
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (r->too_large) return refuse_too_large(r);
    auth_identify(r);
    dispatch(r);
    r->responded = true;
    return send_response(r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)conn;
    hq_server *srv = cls;
    hq_req *r = *con_cls;
    if (!r) return;
    if (srv->cfg.access_log) {
        char t[32];
        time_t now = time(NULL) + 8 * 3600;
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(t, sizeof t, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
        pthread_mutex_lock(&srv->log_lock);
        fprintf(srv->cfg.access_log, "%s %s \"%s %s\" %d %zu %.1fms user=%s%s\n", t, r->remote[0] ? r->remote : "-",
                r->method, r->url, r->status, r->raw_len, (now_seconds() - r->t0) * 1000,
                r->user.username[0] ? r->user.username : "-", toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted");
        fflush(srv->cfg.access_log);
        pthread_mutex_unlock(&srv->log_lock);
    }
    json_decref(r->json);
    free(r->raw);
    free(r->body);
    free(r);
    *con_cls = NULL;
    atomic_fetch_sub(&srv->in_flight, 1);
}

/* ---- lifecycle ---------------------------------------------------------------------------- */

hq_server *server_new(const hq_server_config *cfg, char *err, size_t errsize)
{
    hq_server *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->cfg = *cfg;
    if (!s->cfg.max_body) s->cfg.max_body = (size_t)1 << 20;
    if (!s->cfg.max_upload) s->cfg.max_upload = (size_t)64 << 20;
    if (!s->cfg.max_connections) s->cfg.max_connections = 256;
    if (!s->cfg.timeout_seconds) s->cfg.timeout_seconds = 30;
    if (!s->cfg.threads) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        s->cfg.threads = n > 0 ? (unsigned)n : 2;
    }
    pthread_key_create(&s->store_key, close_store);
    pthread_key_create(&s->vm_key, free_vm);
    pthread_mutex_init(&s->log_lock, NULL);
    char host[64] = "127.0.0.1";
    unsigned port = 8080;
    const char *colon = strrchr(cfg->listen, ':');
    if (colon) {
        snprintf(host, sizeof host, "%.*s", (int)(colon - cfg->listen), cfg->listen);
        port = (unsigned)strtoul(colon + 1, NULL, 10);
    } else {
        port = (unsigned)strtoul(cfg->listen, NULL, 10);
    }
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (port == 0 || port > 65535 || inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
        snprintf(err, errsize, "--listen: expected HOST:PORT such as 127.0.0.1:8080, got '%s'", cfg->listen);
        server_free(s);
        return NULL;
    }
    s->daemon = MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG, (uint16_t)port, NULL, NULL, on_request, s,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE, s->cfg.threads,
        MHD_OPTION_CONNECTION_LIMIT, s->cfg.max_connections, MHD_OPTION_CONNECTION_TIMEOUT, s->cfg.timeout_seconds,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, s->cfg.max_connections, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_END);
    if (!s->daemon) {
        snprintf(err, errsize, "cannot listen on %s: %s", cfg->listen, strerror(errno));
        server_free(s);
        return NULL;
    }
    return s;
}

int server_run(hq_server *s)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    int sig = 0;
    sigwait(&set, &sig);
    /* Stop accepting at once, let the requests already begun finish (bounded by the
     * connection timeout), then stop the pool. */
    MHD_quiesce_daemon(s->daemon);
    for (unsigned waited = 0; atomic_load(&s->in_flight) > 0 && waited < s->cfg.timeout_seconds * 20; waited++) {
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    MHD_stop_daemon(s->daemon);
    s->daemon = NULL;
    return sig;
}

void server_free(hq_server *s)
{
    if (!s) return;
    if (s->daemon) MHD_stop_daemon(s->daemon);
    pthread_key_delete(s->store_key);
    pthread_key_delete(s->vm_key);
    pthread_mutex_destroy(&s->log_lock);
    free(s);
}
