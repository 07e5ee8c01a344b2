/*
 * Which handler answers a request: the session's own routes (login, logout, me, health),
 * then every operation of the table by its method and route, then the UI's files.
 */
#include <string.h>

#include "http/http.h"
#include "ops/ops.h"

static const struct {
    const char *method, *path;
    void (*fn)(hq_req *);
} SESSION_ROUTES[] = {
    {"GET", "/api/health", api_health},
    {"POST", "/api/login", api_login},
    {"POST", "/api/logout", api_logout},
    {"GET", "/api/me", api_me},
};

void http_dispatch(hq_req *r)
{
    bool path_known = false;
    char allow[64] = "";
    for (size_t i = 0; i < sizeof SESSION_ROUTES / sizeof *SESSION_ROUTES; i++) {
        if (strcmp(SESSION_ROUTES[i].path, r->url)) continue;
        if (!strcmp(SESSION_ROUTES[i].method, r->method)) {
            SESSION_ROUTES[i].fn(r);
            return;
        }
        path_known = true;
        snprintf(allow, sizeof allow, "%s", SESSION_ROUTES[i].method);
    }
    if (!strcmp(r->url, "/api/jobs") || !strncmp(r->url, "/api/jobs/", 10)) {
        if (strcmp(r->method, "GET")) {
            http_error(r, 405, "method_not_allowed", NULL, "后台任务只能查询（可用：GET）");
            snprintf(r->allow, sizeof r->allow, "GET");
        } else if (r->url[9]) {
            api_job(r, r->url + 10);
        } else {
            api_jobs(r);
        }
        return;
    }
    json_t *in = json_object();
    const hq_op_def *def = path_known ? NULL : ops_by_route(r->method, r->url, in, &path_known, allow, sizeof allow);
    if (def) {
        http_run_op(r, def, in);
        return;
    }
    json_decref(in);
    if (path_known) {
        http_error(r, 405, "method_not_allowed", NULL, "%s 不支持 %s（可用：%s）", r->url, r->method, allow);
        snprintf(r->allow, sizeof r->allow, "%s", allow);
    } else if (!strncmp(r->url, "/api/", 5) || !strcmp(r->url, "/api")) {
        http_error(r, 404, "not_found", NULL, "没有这个接口：%s", r->url);
    } else if (!strcmp(r->method, "GET") || !strcmp(r->method, "HEAD")) {
        static_file(r);
    } else {
        http_error(r, 405, "method_not_allowed", NULL, "%s 只支持 GET", r->url);
        snprintf(r->allow, sizeof r->allow, "GET, HEAD");
    }
}
