/*
 * `huiqi serve` runs the HTTP API and web UI on a ledger database (http/http.h). The server
 * blocks SIGTERM and SIGINT in every thread and waits for them on the main one, so a stop
 * signal drains the requests in flight before the process exits.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "http/http.h"
#include "ledger/accounts.h"
#include "plan/plan.h"

static const char SERVE_USAGE[] =
    "用法: huiqi serve [--db FILE] [--listen 127.0.0.1:8080] [--web DIR] [--threads N]\n"
    "                  [--max-connections N] [--max-per-address N] [--timeout 秒] [--request-timeout 秒]\n"
    "                  [--access-log FILE|-] [--policies DIR] [--plans DIR] [--secure-cookies]\n"
    "  提供 JSON 接口 (/api/…, 见 docs/api.md) 与中文网页 (web/)。SIGTERM 或 Ctrl-C 优雅退出。\n"
    "  --max-per-address 同一地址的连接数上限（默认为总数的八分之一）；--timeout 连接空闲上限（默认30秒）；\n"
    "  --request-timeout 接收一个请求（含请求体）的总时限（默认120秒）。\n"
    "  --secure-cookies 在 TLS 反向代理之后运行时为会话 Cookie 加 Secure 属性。\n";

int cmd_serve(int argc, char **argv)
{
    const char *db = NULL, *listen = "127.0.0.1:8080", *web = "web", *threads = NULL, *maxc = NULL, *timeout = NULL,
               *log = NULL, *policies = NULL, *plans_dir = NULL, *per_ip = NULL, *request = NULL, *pos[1];
    bool secure = false;
    int npos;
    cli_opt opts[] = {{"--db", &db, NULL},           {"--listen", &listen, NULL},         {"--web", &web, NULL},
                      {"--threads", &threads, NULL}, {"--max-connections", &maxc, NULL}, {"--timeout", &timeout, NULL},
                      {"--access-log", &log, NULL},  {"--policies", &policies, NULL}, {"--secure-cookies", NULL, &secure},
                      {"--max-per-address", &per_ip, NULL}, {"--request-timeout", &request, NULL},
                      {"--plans", &plans_dir, NULL}};
    int r = cli_parse(argc, argv, opts, 12, pos, 0, &npos, SERVE_USAGE);
    if (r >= 0) return r;
    long long nthreads = 0, nconn = 0, secs = 0, nip = 0, rsecs = 0;
    if ((threads && !cli_int("--threads", threads, 1, 256, &nthreads)) ||
        (maxc && !cli_int("--max-connections", maxc, 1, 100000, &nconn)) || (timeout && !cli_int("--timeout", timeout, 1, 3600, &secs)) ||
        (per_ip && !cli_int("--max-per-address", per_ip, 1, 100000, &nip)) ||
        (request && !cli_int("--request-timeout", request, 1, 86400, &rsecs)))
        return EXIT_USAGE;
    if (!(db = cli_db(db))) return EXIT_USAGE;
    hq_corpus *c = cli_load_corpus(cli_policies_dir(policies));
    if (!c) return EXIT_FOUND;
    hq_store *check = cli_open_store(db, false); /* also brings the schema up to date */
    if (!check) {
        corpus_free(c);
        return EXIT_DATA;
    }
    store_close(check);
    FILE *access = NULL;
    if (log && !strcmp(log, "-")) access = stdout;
    else if (log && !(access = fopen(log, "a"))) {
        fprintf(stderr, "huiqi serve: 无法打开访问日志 %s\n", log);
        corpus_free(c);
        return EXIT_USAGE;
    }
    account_prepare(); /* the dummy password encoding, before the first login */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    /* The plans, once: a file with errors is left out (its errors shown), and without any the
     * plan operations answer that there are none rather than the server refusing to start. */
    hq_plan **plans = NULL;
    hq_diag pd;
    diag_init(&pd);
    int nplans = plan_load_dir(cli_plans_dir(plans_dir, cli_policies_dir(policies)), &plans, &pd);
    if (pd.count) diag_print(&pd, stderr);
    diag_free(&pd);
    if (nplans < 0) nplans = 0;
    hq_server_config cfg = {.db_path = db, .listen = listen, .web_dir = web, .corpus = c,
                            .plans = (const hq_plan *const *)plans, .nplans = nplans, .threads = (unsigned)nthreads,
                            .max_connections = (unsigned)nconn, .timeout_seconds = (unsigned)secs, .access_log = access,
                            .per_ip_connections = (unsigned)nip, .request_seconds = (unsigned)rsecs,
                            .secure_cookies = secure};
    char err[256];
    hq_server *srv = server_new(&cfg, err, sizeof err);
    if (!srv) {
        fprintf(stderr, "huiqi serve: %s\n", err);
        for (int i = 0; i < nplans; i++) plan_free(plans[i]);
        free(plans);
        corpus_free(c);
        return EXIT_USAGE;
    }
    printf("huiqi 服务已启动: http://%s/  (数据库 %s, 规则库 %.12s, %d 个条款)\n", listen, db, c->hash, c->nitems);
    fflush(stdout);
    int sig = server_run(srv);
    server_free(srv);
    auth_shutdown(db);
    printf("huiqi 服务已停止 (signal %d)\n", sig);
    if (access && access != stdout) fclose(access);
    for (int i = 0; i < nplans; i++) plan_free(plans[i]);
    free(plans);
    corpus_free(c);
    return EXIT_OK;
}

