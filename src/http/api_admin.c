/*
 * Administration over the API: imports (the file is the request body), matching,
 * budgets, reports (JSON for the dashboard, CSV and XLSX downloads) and audit
 * verification. Imports and matching are 管理员 only; budgets are set by 财政; reports are
 * read by 审核员, 财政, 领导 and 管理员.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fixed.h"
#include "http/http.h"
#include "ledger/audit.h"
#include "ledger/importer.h"
#include "ledger/match.h"
#include "ledger/report.h"

static char *actor(hq_req *r, char *buf, size_t size)
{
    snprintf(buf, size, "user:%s", r->user.username);
    return buf;
}

/* POST /api/imports/{kind}  body: the file; header X-Filename: its name (".json" → JSON). */
void api_import(hq_req *r)
{
    if (!auth_state_change(r) || !auth_require(r, ROLES(ROLE_ADMIN))) return;
    hq_store *s = http_thread_store(r);
    const char *name = http_header(r, "X-Filename");
    char fallback[160];
    snprintf(fallback, sizeof fallback, "%.120s.csv", r->params[0]);
    if (!name || !*name || strchr(name, '/')) name = fallback;
    if (!import_kind_known(r->params[0])) {
        http_error(r, 404, "not_found", "kind", "未知的数据类型 %s（entities, tax, stats, projects, mujun, credit, recognitions, awards）",
                   r->params[0]);
        return;
    }
    if (!s) {
        http_error(r, 503, "unavailable", NULL, "数据库不可用");
        return;
    }
    hq_diag d;
    diag_init(&d);
    hq_import_result res;
    char who[96];
    int rc = ledger_import_buffer(s, server_config(r->srv)->corpus, r->params[0], name, r->body ? r->body : "", r->body_len,
                                  actor(r, who, sizeof who), &res, &d);
    if (rc == 0) {
        http_json(r, res.duplicate ? 200 : 201,
                  json_pack("{s:I, s:b, s:i, s:i, s:i, s:i, s:i, s:s}", "import", (json_int_t)res.import_id, "duplicate",
                            res.duplicate, "rows", res.rows, "entities", res.entities, "facts", res.facts, "recognitions",
                            res.recognitions, "awards", res.awards, "encoding", res.encoding));
    } else {
        json_t *errs = json_array();
        for (int i = 0; i < d.count && i < HQ_DIAG_MAX; i++)
            json_array_append_new(errs, json_pack("{s:s, s:s}", "where", d.items[i].where, "message", d.items[i].message));
        http_error(r, rc > 0 ? 422 : 500, rc > 0 ? "bad_import" : "internal", d.count ? d.items[0].where : NULL,
                   "导入失败，未作任何改动：%d 处错误%s%s", d.count, d.count ? "；首个：" : "", d.count ? d.items[0].message : "");
        json_object_set_new(json_object_get(r->json, "error"), "errors", errs);
    }
    diag_free(&d);
}

/* POST /api/match {"year"} */
void api_match(hq_req *r)
{
    if (!auth_state_change(r) || !auth_require(r, ROLES(ROLE_ADMIN))) return;
    json_t *b = http_body_json(r);
    if (!b) return;
    const json_t *y = json_object_get(b, "year");
    hq_store *s = http_thread_store(r);
    if (!json_is_integer(y) || json_integer_value(y) < 2000 || json_integer_value(y) > 2100)
        http_error(r, 400, "bad_request", "year", "year 须为整数年度，如 2021");
    else if (!s) http_error(r, 503, "unavailable", NULL, "数据库不可用");
    else {
        hq_diag d;
        diag_init(&d);
        char who[96];
        hq_match_opts o = {.year = (int)json_integer_value(y), .db_path = server_config(r->srv)->db_path,
                           .actor = actor(r, who, sizeof who)};
        hq_match_result res = {.diag = &d};
        if (ledger_match(s, server_config(r->srv)->corpus, &o, &res))
            http_error(r, 500, "internal", NULL, "匹配失败：%s", d.count ? d.items[0].message : "");
        else
            http_json(r, 200, json_pack("{s:I, s:i, s:I, s:I, s:I, s:I, s:I, s:I, s:f}", "run", (json_int_t)res.run, "year",
                                        o.year, "entities", (json_int_t)res.entities, "rejected", (json_int_t)res.rejected,
                                        "candidates", (json_int_t)res.candidates, "added", (json_int_t)res.added, "updated",
                                        (json_int_t)res.updated, "removed", (json_int_t)res.removed, "seconds", res.seconds));
        diag_free(&d);
    }
    json_decref(b);
}

typedef struct {
    hq_store *s;
    json_t *arr;
} budget_ctx;

static int budget_one(const hq_budget_rec *b, void *ud)
{
    budget_ctx *x = ud;
    int64_t used = 0;
    store_budget_used(x->s, b->year, b->scope, b->key, &used);
    json_array_append_new(x->arr, json_pack("{s:i, s:s, s:s, s:I, s:I, s:I, s:I}", "year", b->year, "scope", b->scope, "key",
                                            b->key, "amount_fen", (json_int_t)b->amount_fen, "hard_fen", (json_int_t)b->hard_fen,
                                            "used_fen", (json_int_t)used, "remaining_fen", (json_int_t)(b->amount_fen - used)));
    return 0;
}

/* GET /api/budgets?year= */
void api_budgets(hq_req *r)
{
    if (!auth_require(r, ROLES(ROLE_FINANCE, ROLE_LEADER, ROLE_ADMIN))) return;
    hq_store *s = http_thread_store(r);
    const char *y = http_query(r, "year");
    budget_ctx x = {s, json_array()};
    if (!s || store_budget_list(s, y ? atoi(y) : 0, budget_one, &x)) {
        json_decref(x.arr);
        http_error(r, 503, "unavailable", NULL, "数据库不可用");
        return;
    }
    http_json(r, 200, json_pack("{s:o}", "budgets", x.arr));
}

/* POST /api/budgets {"year", "item" | "document", "amount", "hard"?}  amounts in 元 as strings */
void api_budget_set(hq_req *r)
{
    if (!auth_state_change(r) || !auth_require(r, ROLES(ROLE_FINANCE, ROLE_ADMIN))) return;
    json_t *b = http_body_json(r);
    if (!b) return;
    hq_budget_rec rec = {0};
    const json_t *y = json_object_get(b, "year");
    const char *item = json_string_value(json_object_get(b, "item")), *doc = json_string_value(json_object_get(b, "document"));
    const char *amount = json_string_value(json_object_get(b, "amount")), *hard = json_string_value(json_object_get(b, "hard"));
    hq_fixed v;
    const hq_corpus *c = server_config(r->srv)->corpus;
    hq_store *s = http_thread_store(r);
    if (!json_is_integer(y)) http_error(r, 400, "bad_request", "year", "year 须为整数年度");
    else if (!item == !doc) http_error(r, 400, "bad_request", "item", "给出 item（条款编号）或 document（文件编号）之一");
    else if (item && !corpus_find_item(c, item)) http_error(r, 400, "bad_request", "item", "没有条款 %s", item);
    else if (doc && !corpus_find_doc_any(c, doc)) http_error(r, 400, "bad_request", "document", "没有文件 %s", doc);
    else if (!amount || fixed_parse(amount, strlen(amount), 2, &v) || v < 0)
        http_error(r, 400, "bad_request", "amount", "amount 须为以元计的非负金额字符串，如 \"5000000.00\"");
    else {
        rec.year = (int)json_integer_value(y);
        rec.amount_fen = fixed_to_fen(v);
        if (hard && (fixed_parse(hard, strlen(hard), 2, &v) || v < 0)) {
            http_error(r, 400, "bad_request", "hard", "hard 须为以元计的非负金额字符串");
            json_decref(b);
            return;
        }
        rec.hard_fen = hard ? fixed_to_fen(v) : 0;
        if (rec.hard_fen && rec.hard_fen < rec.amount_fen) {
            http_error(r, 400, "bad_request", "hard", "硬上限不能低于预算");
            json_decref(b);
            return;
        }
        snprintf(rec.scope, sizeof rec.scope, "%s", item ? "item" : "document");
        const hq_doc *dd = doc ? corpus_find_doc_any(c, doc) : NULL;
        snprintf(rec.key, sizeof rec.key, "%s", item ? item : dd->number ? dd->number : dd->id);
        char object[96], who[96];
        snprintf(object, sizeof object, "budget:%d:%s:%s", rec.year, rec.scope, rec.key);
        json_t *after = json_pack("{s:I, s:I}", "amount_fen", (json_int_t)rec.amount_fen, "hard_fen", (json_int_t)rec.hard_fen);
        int rc = !s || store_begin(s) || store_budget_set(s, &rec) || audit_log(s, actor(r, who, sizeof who), "budget", object, NULL, after) ||
                 store_commit(s);
        json_decref(after);
        if (rc) {
            if (s) store_rollback(s);
            http_error(r, 503, "unavailable", NULL, "数据库不可用");
        } else {
            http_json(r, 200, json_pack("{s:i, s:s, s:s, s:I, s:I}", "year", rec.year, "scope", rec.scope, "key", rec.key,
                                        "amount_fen", (json_int_t)rec.amount_fen, "hard_fen", (json_int_t)rec.hard_fen));
        }
    }
    json_decref(b);
}

/* A temporary file's whole content, for libxlsxwriter, which writes only to paths. */
static char *slurp_and_remove(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    if (f && fseek(f, 0, SEEK_END) == 0) {
        long n = ftell(f);
        if (n >= 0 && n < (64L << 20) && fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1))) {
            *len = fread(buf, 1, (size_t)n, f);
        }
    }
    if (f) fclose(f);
    unlink(path);
    return buf;
}

/* GET /api/reports?by=document|item|department|district|industry|year|state|month&year=&format=json|csv|xlsx */
void api_report(hq_req *r)
{
    if (!auth_require(r, ROLES(ROLE_REVIEWER, ROLE_FINANCE, ROLE_LEADER, ROLE_ADMIN))) return;
    const char *by_s = http_query(r, "by"), *y = http_query(r, "year"), *format = http_query(r, "format");
    int by = report_by_parse(by_s && *by_s ? by_s : "document");
    int year = y && *y ? atoi(y) : 0;
    if (by < 0) {
        http_error(r, 400, "bad_request", "by", "by 须为 document, item, department, district, industry, year, state 或 month");
        return;
    }
    if (y && *y && (year < 2000 || year > 2100)) {
        http_error(r, 400, "bad_request", "year", "year 须为年度");
        return;
    }
    hq_store *s = http_thread_store(r);
    const hq_corpus *c = server_config(r->srv)->corpus;
    hq_diag d;
    diag_init(&d);
    if (!s) http_error(r, 503, "unavailable", NULL, "数据库不可用");
    else if (!format || !*format || !strcmp(format, "json")) {
        json_t *j = ledger_report_json(s, c, by, year, &d);
        if (j) http_json(r, 200, j);
        else http_error(r, 500, "internal", NULL, "%s", d.count ? d.items[0].message : "");
    } else if (!strcmp(format, "csv") || !strcmp(format, "xlsx")) {
        hq_table *t = ledger_report(s, c, by, year, &d);
        char *buf = NULL;
        size_t len = 0;
        bool xlsx = !strcmp(format, "xlsx");
        if (t && !xlsx) {
            FILE *m = open_memstream(&buf, &len);
            if (m) {
                table_write_csv(t, m);
                fclose(m);
            }
        } else if (t) {
            char path[] = "/tmp/huiqi-report-XXXXXX";
            int fd = mkstemp(path);
            if (fd >= 0) {
                close(fd);
                if (table_write_xlsx(t, path, &d) == 0) buf = slurp_and_remove(path, &len);
                else unlink(path);
            }
        }
        table_free(t);
        if (!buf) http_error(r, 500, "internal", NULL, "报表生成失败 %s", d.count ? d.items[0].message : "");
        else {
            snprintf(r->disposition, sizeof r->disposition, "attachment; filename=\"huiqi-report-%s.%s\"", by_s && *by_s ? by_s : "document",
                     format);
            http_raw(r, 200, xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8",
                     buf, len);
        }
    } else {
        http_error(r, 400, "bad_request", "format", "format 须为 json, csv 或 xlsx");
    }
    diag_free(&d);
}

/* GET /api/audit/verify */
void api_audit_verify(hq_req *r)
{
    if (!auth_require(r, ROLES(ROLE_LEADER, ROLE_ADMIN))) return;
    hq_store *s = http_thread_store(r);
    hq_diag d;
    diag_init(&d);
    long long rows = 0;
    int rc = s ? audit_verify(s, &d, &rows) : -1;
    if (rc < 0) http_error(r, 503, "unavailable", NULL, "数据库不可用");
    else {
        json_t *probs = json_array();
        for (int i = 0; i < d.count && i < HQ_DIAG_MAX; i++)
            json_array_append_new(probs, json_pack("{s:s, s:s}", "where", d.items[i].where, "message", d.items[i].message));
        http_json(r, 200, json_pack("{s:b, s:I, s:o}", "ok", rc == 0, "rows", (json_int_t)rows, "problems", probs));
    }
    diag_free(&d);
}
