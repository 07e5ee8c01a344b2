/*
 * The ledger's administrative commands: `huiqi init` (create or migrate the store),
 * `huiqi match` (免申即享 push list), `huiqi report`, `huiqi budget`, `huiqi fiscal` (the
 * city/district split of 现行财政体制) and `huiqi audit` (verify or show the log). Each
 * opens the store named by --db or $HUIQI_DB; writes are transactions of the ledger layer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fixed.h"
#include "cli/cli.h"
#include "ledger/audit.h"
#include "ledger/clock.h"
#include "ledger/match.h"
#include "ledger/report.h"
#include "store/store.h"

/* ---- init ------------------------------------------------------------------------------- */

static const char INIT_USAGE[] =
    "用法: huiqi init --db FILE\n"
    "  创建台账数据库 (SQLite, WAL), 或将已有数据库升级到当前版本。\n";

int cmd_init(int argc, char **argv)
{
    const char *db = NULL, *pos[1];
    int npos;
    cli_opt opts[] = {{"--db", &db, NULL}};
    int r = cli_parse(argc, argv, opts, 1, pos, 0, &npos, INIT_USAGE);
    if (r >= 0) return r;
    if (!(db = cli_db(db))) return EXIT_USAGE;
    hq_diag d;
    diag_init(&d);
    hq_store *s = store_open(db, true, &d);
    if (!s) {
        diag_print(&d, stderr);
        diag_free(&d);
        return EXIT_DATA;
    }
    diag_free(&d);
    int from, to;
    if (store_migrate(s, &from, &to)) {
        fprintf(stderr, "%s: error: %s\n", db, store_error(s));
        store_close(s);
        return EXIT_DATA;
    }
    if (from == to) printf("台账数据库 %s 已是最新版本 (schema %d)\n", db, to);
    else printf("台账数据库 %s 已%s (schema %d → %d)\n", db, from ? "升级" : "创建", from, to);
    store_close(s);
    return EXIT_OK;
}

/* ---- match ------------------------------------------------------------------------------ */

static const char MATCH_USAGE[] =
    "用法: huiqi match --year Y [--db FILE] [--threads N] [--policies DIR] [--quiet]\n"
    "  免申即享: 用全部条款测算台账中每一户企业 Y 年度可享受的奖补, 按附则3与已核定、已兑付的奖补复核,\n"
    "  结果存为待申报清单 (每户每条款每年度一条, 重复运行只更新不重复)。\n";

int cmd_match(int argc, char **argv)
{
    const char *db = NULL, *year_s = NULL, *threads_s = NULL, *policies = NULL, *actor = NULL, *pos[1];
    bool quiet = false;
    int npos;
    cli_opt opts[] = {{"--db", &db, NULL},           {"--year", &year_s, NULL},    {"--threads", &threads_s, NULL},
                      {"--policies", &policies, NULL}, {"--actor", &actor, NULL}, {"--quiet", NULL, &quiet}};
    int r = cli_parse(argc, argv, opts, 6, pos, 0, &npos, MATCH_USAGE);
    if (r >= 0) return r;
    long long year, threads = 0;
    if (!year_s) {
        fprintf(stderr, "%s", MATCH_USAGE);
        return EXIT_USAGE;
    }
    if (!cli_int("--year", year_s, 2000, 2100, &year) || (threads_s && !cli_int("--threads", threads_s, 1, 64, &threads)))
        return EXIT_USAGE;
    if (!(db = cli_db(db))) return EXIT_USAGE;
    hq_corpus *c = cli_load_corpus(cli_policies_dir(policies));
    if (!c) return EXIT_FOUND;
    hq_store *s = cli_open_store(db, false);
    if (!s) {
        corpus_free(c);
        return EXIT_DATA;
    }
    hq_diag d;
    diag_init(&d);
    hq_match_opts o = {.year = (int)year, .threads = (int)threads, .db_path = db, .actor = cli_actor(actor),
                       .progress = !quiet && isatty(2) ? stderr : NULL};
    hq_match_result res = {.diag = &d};
    int rc = ledger_match(s, c, &o, &res);
    if (rc) {
        diag_print(&d, stderr);
    } else {
        printf("免申即享匹配 #%lld (%d年度, 规则库 %.12s): %lld 户企业, 待申报奖补 %lld 条 (新增 %lld, 更新 %lld, 移除 %lld), "
               "用时 %.2f 秒\n",
               res.run, (int)year, c->hash, res.entities, res.candidates, res.added, res.updated, res.removed, res.seconds);
        if (res.rejected) {
            printf("其中 %lld 户企业数据未通过校验, 未参与测算:\n", res.rejected);
            diag_print(&d, stdout);
        }
    }
    diag_free(&d);
    store_close(s);
    corpus_free(c);
    return rc ? EXIT_INTERNAL : EXIT_OK;
}

/* ---- report ----------------------------------------------------------------------------- */

static const char REPORT_USAGE[] =
    "用法: huiqi report [--by document|item|department|district|industry|year|state|month] [--year Y]\n"
    "                   [--format table|csv|xlsx] [--out FILE] [--db FILE] [--policies DIR]\n"
    "  按文件、条款、责任单位、区域、行业、年度、状态或兑付月份汇总奖补金额 (待申报、办理中、已核定、已兑付、已驳回)。\n"
    "  xlsx 需要 --out; csv 与 table 默认写到标准输出。\n";

int cmd_report(int argc, char **argv)
{
    const char *db = NULL, *by_s = "document", *year_s = NULL, *format = "table", *out = NULL, *policies = NULL, *pos[1];
    int npos;
    cli_opt opts[] = {{"--db", &db, NULL},         {"--by", &by_s, NULL},  {"--year", &year_s, NULL},
                      {"--format", &format, NULL}, {"--out", &out, NULL}, {"--policies", &policies, NULL}};
    int r = cli_parse(argc, argv, opts, 6, pos, 0, &npos, REPORT_USAGE);
    if (r >= 0) return r;
    int by = report_by_parse(by_s);
    long long year = 0;
    if (by < 0) {
        fprintf(stderr, "huiqi: --by: unknown grouping '%s'\n%s", by_s, REPORT_USAGE);
        return EXIT_USAGE;
    }
    if (year_s && !cli_int("--year", year_s, 2000, 2100, &year)) return EXIT_USAGE;
    bool xlsx = !strcmp(format, "xlsx"), csv = !strcmp(format, "csv");
    if (!xlsx && !csv && strcmp(format, "table")) {
        fprintf(stderr, "huiqi: --format: table, csv or xlsx\n");
        return EXIT_USAGE;
    }
    if (xlsx && !out) {
        fprintf(stderr, "huiqi: --format xlsx needs --out FILE.xlsx\n");
        return EXIT_USAGE;
    }
    if (!(db = cli_db(db))) return EXIT_USAGE;
    hq_diag d;
    diag_init(&d);
    hq_corpus *c = corpus_load(cli_policies_dir(policies), &d); /* titles only: a missing corpus is not an error */
    diag_free(&d);
    diag_init(&d);
    hq_store *s = cli_open_store(db, false);
    hq_table *t = s ? ledger_report(s, c, by, (int)year, &d) : NULL;
    int rc = EXIT_OK;
    if (!t) {
        diag_print(&d, stderr);
        rc = s ? EXIT_INTERNAL : EXIT_DATA;
    } else if (xlsx) {
        if (table_write_xlsx(t, out, &d)) {
            diag_print(&d, stderr);
            rc = EXIT_INTERNAL;
        } else {
            printf("已写入 %s\n", out);
        }
    } else {
        FILE *f = out ? fopen(out, "w") : stdout;
        if (!f) {
            fprintf(stderr, "huiqi: cannot write %s\n", out);
            rc = EXIT_USAGE;
        } else {
            if (csv) table_write_csv(t, f);
            else table_write_text(t, f);
            if (out) fclose(f);
        }
    }
    table_free(t);
    diag_free(&d);
    if (s) store_close(s);
    corpus_free(c);
    return rc;
}

/* ---- budget ----------------------------------------------------------------------------- */

static const char BUDGET_USAGE[] =
    "用法: huiqi budget set --year Y (--item ID | --document DOC) --amount 元 [--hard 元] [--db FILE] [--actor A]\n"
    "      huiqi budget report [--year Y] [--db FILE]\n"
    "  年度预算: 审核通过时超出预算提醒, 超出硬上限拒绝。report 列出已用与剩余。\n";

typedef struct {
    hq_store *s;
    hq_table *t;
} budget_ctx;

static int budget_row(const hq_budget_rec *b, void *ud)
{
    budget_ctx *x = ud;
    int64_t used = 0;
    store_budget_used(x->s, b->year, b->scope, b->key, &used);
    table_add_row(x->t);
    table_set_int(x->t, 0, b->year);
    table_set_text(x->t, 1, !strcmp(b->scope, "item") ? "条款" : "文件");
    table_set_text(x->t, 2, b->key);
    table_set_fen(x->t, 3, b->amount_fen);
    if (b->hard_fen) table_set_fen(x->t, 4, b->hard_fen);
    table_set_fen(x->t, 5, used);
    table_set_fen(x->t, 6, b->amount_fen - used);
    return 0;
}

int cmd_budget(int argc, char **argv)
{
    const char *db = NULL, *year_s = NULL, *item = NULL, *doc = NULL, *amount_s = NULL, *hard_s = NULL, *actor = NULL,
               *pos[1];
    int npos;
    cli_opt opts[] = {{"--db", &db, NULL},         {"--year", &year_s, NULL}, {"--item", &item, NULL},
                      {"--document", &doc, NULL},  {"--amount", &amount_s, NULL}, {"--hard", &hard_s, NULL},
                      {"--actor", &actor, NULL}};
    int r = cli_parse(argc, argv, opts, 7, pos, 1, &npos, BUDGET_USAGE);
    if (r >= 0) return r;
    if (npos != 1 || (strcmp(pos[0], "set") && strcmp(pos[0], "report"))) {
        fprintf(stderr, "%s", BUDGET_USAGE);
        return EXIT_USAGE;
    }
    long long year = 0;
    if (year_s && !cli_int("--year", year_s, 2000, 2100, &year)) return EXIT_USAGE;
    if (!(db = cli_db(db))) return EXIT_USAGE;
    if (!strcmp(pos[0], "set")) {
        hq_budget_rec b = {.year = (int)year};
        if (!year || (!item == !doc) || !amount_s) {
            fprintf(stderr, "%s", BUDGET_USAGE);
            return EXIT_USAGE;
        }
        if (!cli_money("--amount", amount_s, &b.amount_fen) || (hard_s && !cli_money("--hard", hard_s, &b.hard_fen)))
            return EXIT_USAGE;
        if (b.hard_fen && b.hard_fen < b.amount_fen) {
            fprintf(stderr, "huiqi: --hard must not be below --amount\n");
            return EXIT_USAGE;
        }
        hq_corpus *c = cli_load_corpus(cli_policies_dir(NULL));
        if (!c) return EXIT_FOUND;
        const hq_doc *d = doc ? corpus_find_doc_any(c, doc) : NULL;
        if ((item && !corpus_find_item(c, item)) || (doc && !d)) {
            fprintf(stderr, "huiqi budget: no %s '%s' in the rule corpus\n", item ? "item" : "document", item ? item : doc);
            corpus_free(c);
            return EXIT_USAGE;
        }
        snprintf(b.scope, sizeof b.scope, "%s", item ? "item" : "document");
        snprintf(b.key, sizeof b.key, "%s", item ? item : d->number ? d->number : d->id);
        corpus_free(c);
        hq_store *s = cli_open_store(db, false);
        if (!s) return EXIT_DATA;
        char object[96];
        snprintf(object, sizeof object, "budget:%d:%s:%s", b.year, b.scope, b.key);
        json_t *after = json_pack("{s:I, s:I}", "amount_fen", (json_int_t)b.amount_fen, "hard_fen", (json_int_t)b.hard_fen);
        int rc = store_begin(s) || store_budget_set(s, &b) || audit_log(s, cli_actor(actor), "budget", object, NULL, after) ||
                 store_commit(s);
        json_decref(after);
        if (rc) {
            fprintf(stderr, "huiqi: %s\n", store_error(s));
            store_rollback(s);
        } else {
            printf("已设置 %d年度 %s %s 预算\n", b.year, item ? "条款" : "文件", b.key);
        }
        store_close(s);
        return rc ? EXIT_INTERNAL : EXIT_OK;
    }
    hq_store *s = cli_open_store(db, false);
    if (!s) return EXIT_DATA;
    hq_table *t = table_new("年度预算执行");
    table_add_column(t, "年度", HQ_COL_INT);
    table_exclude_from_total(t, 0);
    table_add_column(t, "范围", HQ_COL_TEXT);
    table_add_column(t, "条款/文件", HQ_COL_TEXT);
    table_add_column(t, "预算", HQ_COL_MONEY_FEN);
    table_add_column(t, "硬上限", HQ_COL_MONEY_FEN);
    table_add_column(t, "已核定", HQ_COL_MONEY_FEN);
    table_add_column(t, "剩余", HQ_COL_MONEY_FEN);
    budget_ctx x = {s, t};
    int rc = store_budget_list(s, (int)year, budget_row, &x);
    if (rc) fprintf(stderr, "huiqi: %s\n", store_error(s));
    else table_write_text(t, stdout);
    table_free(t);
    store_close(s);
    return rc ? EXIT_INTERNAL : EXIT_OK;
}

/* ---- fiscal ----------------------------------------------------------------------------- */

static const char FISCAL_USAGE[] =
    "用法: huiqi fiscal set --district 区 --city-share 比例 --source \"依据\" [--as-of YYYY-MM-DD] [--db FILE]\n"
    "  设置“按现行财政体制分担”时市财政承担的比例 (如 50%), 兑付时据此拆分市、区两级金额。\n";

int cmd_fiscal(int argc, char **argv)
{
    const char *db = NULL, *district = NULL, *share_s = NULL, *source = NULL, *as_of = NULL, *actor = NULL, *pos[1];
    int npos;
    cli_opt opts[] = {{"--db", &db, NULL},         {"--district", &district, NULL}, {"--city-share", &share_s, NULL},
                      {"--source", &source, NULL}, {"--as-of", &as_of, NULL},       {"--actor", &actor, NULL}};
    int r = cli_parse(argc, argv, opts, 6, pos, 1, &npos, FISCAL_USAGE);
    if (r >= 0) return r;
    if (npos != 1 || strcmp(pos[0], "set") || !district || !share_s || !source || !*source) {
        fprintf(stderr, "%s", FISCAL_USAGE);
        return EXIT_USAGE;
    }
    size_t n = strlen(share_s);
    hq_fixed share;
    bool pct = n && share_s[n - 1] == '%';
    const char *err = fixed_parse(share_s, pct ? n - 1 : n, pct ? 4 : 6, &share);
    if (!err && pct) share /= 100;
    if (err || share < 0 || share > HQ_FIXED_ONE) {
        fprintf(stderr, "huiqi: --city-share: expected a rate from 0%% to 100%%\n");
        return EXIT_USAGE;
    }
    if (!(db = cli_db(db))) return EXIT_USAGE;
    hq_store *s = cli_open_store(db, false);
    if (!s) return EXIT_DATA;
    hq_fiscal_rec f = {.city_share = share};
    snprintf(f.district, sizeof f.district, "%s", district);
    snprintf(f.source, sizeof f.source, "%s", source);
    char today[16];
    clock_today(today, sizeof today);
    snprintf(f.as_of, sizeof f.as_of, "%.10s", as_of ? as_of : today);
    char object[64];
    snprintf(object, sizeof object, "fiscal:%s", district);
    json_t *after = json_pack("{s:s, s:s, s:s}", "city_share", share_s, "source", source, "as_of", f.as_of);
    int rc = store_begin(s) || store_fiscal_set(s, &f) || audit_log(s, cli_actor(actor), "fiscal", object, NULL, after) ||
             store_commit(s);
    json_decref(after);
    if (rc) {
        fprintf(stderr, "huiqi: %s\n", store_error(s));
        store_rollback(s);
    } else {
        printf("已设置 %s 现行财政体制分担: 市财政 %s\n", district, share_s);
    }
    store_close(s);
    return rc ? EXIT_INTERNAL : EXIT_OK;
}

/* ---- audit ------------------------------------------------------------------------------ */

static const char AUDIT_USAGE[] =
    "用法: huiqi audit verify [--db FILE]\n"
    "      huiqi audit log [--db FILE] [--limit N]\n"
    "  verify 逐行重算哈希链, 发现被修改、删除或插入的记录; log 显示最近的操作记录。\n";

typedef struct {
    long long skip;
    long long seen;
} log_ctx;

static int print_audit(const hq_audit_rec *r, void *ud)
{
    log_ctx *x = ud;
    if (x->seen++ < x->skip) return 0;
    printf("#%-6lld %s  %-10s %-16s %-24s %s\n", (long long)r->seq, r->at, r->actor, r->action, r->object,
           r->after ? r->after : "");
    return 0;
}

static int count_audit(const hq_audit_rec *r, void *ud)
{
    (void)r;
    ((log_ctx *)ud)->seen++;
    return 0;
}

int cmd_audit(int argc, char **argv)
{
    const char *db = NULL, *limit_s = NULL, *pos[1];
    int npos;
    cli_opt opts[] = {{"--db", &db, NULL}, {"--limit", &limit_s, NULL}};
    int r = cli_parse(argc, argv, opts, 2, pos, 1, &npos, AUDIT_USAGE);
    if (r >= 0) return r;
    if (npos != 1 || (strcmp(pos[0], "verify") && strcmp(pos[0], "log"))) {
        fprintf(stderr, "%s", AUDIT_USAGE);
        return EXIT_USAGE;
    }
    long long limit = 50;
    if (limit_s && !cli_int("--limit", limit_s, 1, 1000000, &limit)) return EXIT_USAGE;
    if (!(db = cli_db(db))) return EXIT_USAGE;
    hq_store *s = cli_open_store(db, false);
    if (!s) return EXIT_DATA;
    int rc;
    if (!strcmp(pos[0], "log")) {
        log_ctx x = {0};
        store_audit_scan(s, count_audit, &x);
        x.skip = x.seen > limit ? x.seen - limit : 0;
        x.seen = 0;
        rc = store_audit_scan(s, print_audit, &x) ? EXIT_INTERNAL : EXIT_OK;
    } else {
        hq_diag d;
        diag_init(&d);
        long long rows = 0;
        int v = audit_verify(s, &d, &rows);
        if (v < 0) {
            fprintf(stderr, "huiqi: %s\n", store_error(s));
            rc = EXIT_INTERNAL;
        } else if (v == 0) {
            printf("审计日志完整: %lld 条记录, 哈希链校验通过\n", rows);
            rc = EXIT_OK;
        } else {
            diag_print(&d, stdout);
            printf("审计日志校验失败: %d 处问题 (共 %lld 条记录)\n", d.count, rows);
            rc = EXIT_FOUND;
        }
        diag_free(&d);
    }
    store_close(s);
    return rc;
}
