/*
 * libmicrohttpd glue: the daemon (thread pool over epoll, connection limit, timeouts; requests
 * that may write go to the writers' pool, writers.c),
 * request bodies gathered into a buffer with a hard limit, the access log and graceful
 * shutdown. Which handler answers is routes.c's business.
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

#include "http/server.h"
#include "ops/ops.h"

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
        if (!r->json) http_error(r, 500, "internal", NULL, "服务器未生成应答");
        data = json_dumps(r->json, JSON_COMPACT);
        len = data ? strlen(data) : 0;
        type = "application/json; charset=utf-8";
    }
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, data ? data : (char *)"", data ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (!resp) return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", type);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    /* The UI is the repository's own files: no inline script or style, no frames, no other origin. */
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
                            "base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    if (!strncmp(r->url, "/api/", 5)) MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (r->disposition[0]) MHD_add_response_header(resp, "Content-Disposition", r->disposition);
    if (r->set_cookie[0]) MHD_add_response_header(resp, "Set-Cookie", r->set_cookie);
    if (r->allow[0]) MHD_add_response_header(resp, "Allow", r->allow);
    if (r->location[0]) MHD_add_response_header(resp, "Location", r->location);
    if (r->retry_after > 0) {
        char secs[24];
        snprintf(secs, sizeof secs, "%ld", r->retry_after);
        MHD_add_response_header(resp, "Retry-After", secs);
    }
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

/* An early answer, before a byte of the body is read. */
static enum MHD_Result answer_now(hq_req *r)
{
    r->responded = true;
    return send_response(r);
}

/* Strict UTF-8 (no overlong forms, no surrogates): a path that is not is refused with 400
 * before anything would echo it. */
static bool utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p, n = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : 9;
        if (n == 9 || (n == 1 && c < 0xC2) || c > 0xF4) return false;
        unsigned cp = n ? c & (0x3F >> n) : c;
        for (unsigned i = 1; i <= n; i++) {
            if ((p[i] & 0xC0) != 0x80) return false;
            cp = cp << 6 | (p[i] & 0x3F);
        }
        if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF))) return false;
        p += n + 1;
    }
    return true;
}

/* Who may send a body is decided before it is read: an operation only the signed-in (or some
 * roles) may use is answered 401/403 from its headers, so an anonymous client cannot make the
 * server hold megabytes for a request it would refuse. */
static bool authorised_before_body(hq_req *r)
{
    if (!strcmp(r->method, "GET") || !strcmp(r->method, "HEAD")) return true;
    bool known;
    char allow[64];
    json_t *route = json_object();
    const hq_op_def *d = ops_by_route(r->method, r->url, route, &known, allow, sizeof allow);
    /* Without the store the session cannot be read: the request goes on to be answered with
     * what is really wrong, not a false 401. */
    bool ok = !d || (d->roles & ROLE_BIT(NONE)) || !http_thread_store(r);
    if (!ok) {
        auth_identify(r);
        if (!r->user.username[0]) {
            http_error(r, 401, "unauthorized", NULL, "请先登录");
        } else if (!(d->roles >> r->role & 1) && (d->flags & OPF_UPLOAD)) {
            /* A file the role may not send is refused unread, and the attempt recorded as the
             * operation layer records it (small bodies go on to be refused there). */
            const json_t *target = json_object_get(route, "id");
            if (!target) target = json_object_get(route, "kind");
            char object[96];
            snprintf(object, sizeof object, "%s", json_is_string(target) ? json_string_value(target) : d->cli);
            http_error(r, 403, "forbidden", NULL, "%s无权进行此操作（%s）", role_zh(r->role), d->zh);
            auth_audit(r, "denied", object, json_pack("{s:s, s:s}", "operation", d->cli, "role", role_code(r->role)));
        } else {
            ok = true;
        }
    }
    json_decref(route);
    return ok;
}

/* Whether the request is an operation that takes a file (OPF_UPLOAD: an import, a material):
 * those may send up to max_upload; every other body is JSON and gets max_body. */
static bool takes_upload(const char *method, const char *url)
{
    bool known;
    char allow[64];
    const hq_op_def *d = ops_by_route(method, url, NULL, &known, allow, sizeof allow);
    return d && (d->flags & OPF_UPLOAD);
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
        r->body_max = takes_upload(method, url) ? srv->cfg.max_upload : srv->cfg.max_body;
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, r->remote, sizeof r->remote);
        *con_cls = r;
        atomic_fetch_add(&srv->in_flight, 1);
        if (!utf8_valid(url)) {
            http_error(r, 400, "bad_request", NULL, "网址含有无效的字符编码（须为 UTF-8）");
            return answer_now(r);
        }
        if (!authorised_before_body(r)) return answer_now(r);
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
        /* A body trickled in to hold the connection (a byte every few seconds resets the idle
         * timeout) is cut off when the whole request has taken too long. */
        if (now_seconds() - r->t0 > srv->cfg.request_seconds) return MHD_NO;
        /* Bodies are gathered whole, up to the limit. A body without a declared length
         * (chunked) that grows past it is read to its end and dropped, then answered 413:
         * refusing mid-stream would reset a client still sending. */
        if (r->body_len + *upload_size > r->body_max) r->too_large = true;
        if (!r->too_large && !r->overloaded) {
            if (r->body_len + *upload_size + 1 > r->body_cap) {
                size_t cap = r->body_cap ? r->body_cap : 4096;
                while (cap < r->body_len + *upload_size + 1) cap *= 2;
                /* All bodies in flight together stay under max_bodies. */
                size_t grow = cap - r->body_cap;
                if (atomic_fetch_add(&srv->body_bytes, grow) + grow > srv->cfg.max_bodies) {
                    atomic_fetch_sub(&srv->body_bytes, grow);
                    r->overloaded = true;
                    *upload_size = 0;
                    return MHD_YES;
                }
                char *nb = realloc(r->body, cap);
                if (!nb) {
                    atomic_fetch_sub(&srv->body_bytes, grow);
                    return MHD_NO;
                }
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
    if (r->overloaded) {
        http_error(r, 503, "unavailable", NULL, "服务器正在接收的数据过多，请稍后重试");
        return answer_now(r);
    }
    if (!r->dispatched) {
        r->dispatched = true;
        if (writers_take(srv, r)) return MHD_YES; /* answered when a writer resumes it */
        auth_identify(r);
        http_dispatch(r);
    }
    r->responded = true;
    return send_response(r);
}

/* A request's words in the access log: control bytes, quotes and backslashes as \xNN, so a
 * path with a newline cannot forge a line of the log. */
static void log_escape(const char *in, char *out, size_t size)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)(in ? in : ""); *p && n + 5 < size; p++) {
        if (*p < 0x20 || *p == 0x7f || *p == '"' || *p == '\\') n += (size_t)snprintf(out + n, size - n, "\\x%02X", *p);
        else out[n++] = (char)*p;
    }
    out[n] = 0;
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
        char method[40], url[800], user[200];
        log_escape(r->method, method, sizeof method);
        log_escape(r->url, url, sizeof url);
        log_escape(r->user.username[0] ? r->user.username : "-", user, sizeof user);
        pthread_mutex_lock(&srv->log_lock);
        fprintf(srv->cfg.access_log, "%s %s \"%s %s\" %d %zu %.1fms user=%s%s\n", t, r->remote[0] ? r->remote : "-",
                method, url, r->status, r->raw_len, (now_seconds() - r->t0) * 1000, user,
                toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted");
        fflush(srv->cfg.access_log);
        pthread_mutex_unlock(&srv->log_lock);
    }
    json_decref(r->json);
    free(r->raw);
    free(r->body);
    atomic_fetch_sub(&srv->body_bytes, r->body_cap);
    free(r);
    *con_cls = NULL;
    atomic_fetch_sub(&srv->in_flight, 1);
}

/* ---- lifecycle ---------------------------------------------------------------------------- */

static void close_store(void *p)
{
    store_close(p);
}

static void free_vm(void *p)
{
    rvm_free(p);
}

hq_server *server_new(const hq_server_config *cfg, char *err, size_t errsize)
{
    hq_server *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->cfg = *cfg;
    if (!s->cfg.max_body) s->cfg.max_body = (size_t)1 << 20;
    if (!s->cfg.max_upload) s->cfg.max_upload = (size_t)64 << 20;
    if (!s->cfg.max_connections) s->cfg.max_connections = 256;
    if (!s->cfg.timeout_seconds) s->cfg.timeout_seconds = 30;
    if (!s->cfg.per_ip_connections) s->cfg.per_ip_connections = s->cfg.max_connections >= 64 ? s->cfg.max_connections / 8 : 8;
    if (!s->cfg.request_seconds) s->cfg.request_seconds = 120;
    if (!s->cfg.max_bodies) s->cfg.max_bodies = (size_t)256 << 20;
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
        snprintf(err, errsize, "--listen 应为 主机:端口，如 127.0.0.1:8080，而不是「%s」", cfg->listen);
        server_free(s);
        return NULL;
    }
    if (writers_start(s)) {
        snprintf(err, errsize, "无法启动写入线程：%s", HQ_ERRNO_ZH(errno));
        server_free(s);
        return NULL;
    }
    s->daemon = MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG, (uint16_t)port, NULL, NULL, on_request, s,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE, s->cfg.threads,
        MHD_OPTION_CONNECTION_LIMIT, s->cfg.max_connections, MHD_OPTION_CONNECTION_TIMEOUT, s->cfg.timeout_seconds,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, s->cfg.per_ip_connections, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_END);
    if (!s->daemon) {
        snprintf(err, errsize, "无法在 %s 上监听：%s", cfg->listen, HQ_ERRNO_ZH(errno));
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
    writers_stop(s);
    MHD_stop_daemon(s->daemon);
    s->daemon = NULL;
    jobs_shutdown();
    return sig;
}

void server_free(hq_server *s)
{
    if (!s) return;
    writers_free(s);
    if (s->daemon) MHD_stop_daemon(s->daemon);
    pthread_key_delete(s->store_key);
    pthread_key_delete(s->vm_key);
    pthread_mutex_destroy(&s->log_lock);
    free(s);
}
