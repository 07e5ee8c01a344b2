/*
 * Running the ledger: imports of department files, 免申即享 matching, budgets, the city/
 * district split of 现行财政体制, reports (a document, or a CSV/XLSX download) and audit
 * verification. Every change is one transaction with its audit row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fixed.h"
#include "ledger/audit.h"
#include "ledger/clock.h"
#include "ledger/importer.h"
#include "ledger/indicators.h"
#include "ledger/match.h"
#include "ledger/payments.h"
#include "ledger/performance.h"
#include "ledger/report.h"
#include "ops/handlers.h"

const hq_op_param P_IMPORT[] = {{.name = "kind", .type = PT_STR, .required = true, .hi = 32, .zh = "数据类型"}, {.name = "file", .type = PT_UPLOAD, .required = true, .zh = "文件"}, {.name = NULL}};
const hq_op_param P_MATCH[] = {{.name = "year", .type = PT_YEAR, .required = true, .zh = "年度"}, {.name = "threads", .type = PT_INT, .lo = 1, .hi = 64, .zh = "线程数"}, {.name = NULL}};
const hq_op_param P_BUDGETS[] = {{.name = "year", .type = PT_YEAR, .zh = "年度"}, {.name = NULL}};
const hq_op_param P_BUDGET_SET[] = {{.name = "year", .type = PT_YEAR, .required = true, .zh = "年度"},
                                 {.name = "item", .type = PT_STR, .hi = 64, .zh = "条款编号"},
                                 {.name = "document", .type = PT_STR, .hi = 64, .zh = "文件编号"},
                                 {.name = "amount", .type = PT_MONEY, .required = true, .zh = "预算（元）"},
                                 {.name = "hard", .type = PT_MONEY, .zh = "硬上限（元）"},
                                 {.name = NULL}};
const hq_op_param P_FISCAL_SET[] = {{.name = "district", .type = PT_STR, .required = true, .hi = 30, .zh = "区、县（市）或功能区"},
                                 {.name = "city_share", .type = PT_RATE, .required = true, .zh = "市财政承担比例"},
                                 {.name = "source", .type = PT_STR, .required = true, .hi = 250, .zh = "依据"},
                                 {.name = "as_of", .type = PT_DATE, .zh = "执行日期"},
                                 {.name = NULL}};
const hq_op_param P_REPORT[] = {{.name = "by", .type = PT_STR, .hi = 16, .zh = "汇总方式"}, {.name = "year", .type = PT_YEAR, .zh = "年度"}, {.name = "format", .type = PT_STR, .hi = 8, .zh = "格式"}, {.name = NULL}};

/* A failed import: every problem, the first in the message. */
static void import_failed(hq_op *o, int rc, hq_diag *d)
{
    op_fail(o, rc > 0 ? OPR_BAD_DATA : OPR_INTERNAL, d->count ? d->items[0].where : NULL, "导入失败，未作任何改动：%d 处错误%s%s",
            d->count, d->count ? "；首个：" : "", d->count ? d->items[0].message : "");
    if (rc > 0) snprintf(o->code, sizeof o->code, "bad_import");
    o->errors = diag_json(d, "where");
}

/* Observations of the plans' indicators (ledger/indicators.h): checked against the plans. */
static void import_indicators(hq_op *o, const char *name, hq_diag *d)
{
    hq_obs_import_result res;
    int rc = indicator_import_buffer(o->ctx->s, o->ctx->plans, o->ctx->nplans, name, o->upload ? o->upload : "", o->upload_len,
                                     o->ctx->who.actor, &res, d);
    if (rc) {
        import_failed(o, rc, d);
        return;
    }
    op_ok(o, json_pack("{s:I, s:b, s:s, s:s, s:i, s:i, s:s}", "import", (json_int_t)res.import_id, "duplicate", res.duplicate,
                       "kind", "indicators", "file", name, "rows", res.rows, "replaced", res.replaced, "encoding",
                       res.duplicate ? "" : res.encoding));
    if (!res.duplicate) o->status = OPR_CREATED;
}

void op_import(hq_op *o)
{
    const char *kind = op_str(o, "kind");
    if (!import_kind_known(kind)) {
        op_fail(o, OPR_NOT_FOUND, "kind", "未知的数据类型 %s（%s）", kind, import_kinds_text());
        return;
    }
    char fallback[160], name[160];
    snprintf(fallback, sizeof fallback, "%.120s.csv", kind);
    op_upload_name(o, fallback, name, sizeof name);
    hq_diag d;
    diag_init(&d);
    if (!strcmp(kind, "indicators")) {
        import_indicators(o, name, &d);
        diag_free(&d);
        return;
    }
    hq_import_result res;
    hq_progress bar;
    progress_start(&bar, o->ctx->progress, o->ctx->on_progress, o->ctx->progress_ud, "导入中", "行");
    int rc = ledger_import_buffer(o->ctx->s, o->ctx->c, kind, name, o->upload ? o->upload : "", o->upload_len, o->ctx->who.actor,
                                  &bar, &res, &d);
    if (rc == 0) {
        op_ok(o, json_pack("{s:I, s:b, s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:s}", "import", (json_int_t)res.import_id,
                           "duplicate", res.duplicate, "kind", kind, "file", name, "rows", res.rows, "entities", res.entities,
                           "facts", res.facts, "recognitions", res.recognitions, "lists", res.lists, "awards", res.awards,
                           "encoding", res.encoding));
        if (!res.duplicate) o->status = OPR_CREATED;
    } else {
        import_failed(o, rc, &d);
    }
    diag_free(&d);
}

void op_match(hq_op *o)
{
    long long year, threads = 0;
    op_int(o, "year", &year);
    op_int(o, "threads", &threads);
    hq_diag d;
    diag_init(&d);
    hq_match_opts mo = {.year = (int)year, .threads = (int)threads, .db_path = o->ctx->db_path, .actor = o->ctx->who.actor,
                        .progress = o->ctx->progress, .on_progress = o->ctx->on_progress, .progress_ud = o->ctx->progress_ud};
    hq_match_result res = {.diag = &d};
    if (ledger_match(o->ctx->s, o->ctx->c, &mo, &res)) {
        op_fail(o, OPR_INTERNAL, NULL, "匹配失败：%s", d.count ? d.items[0].message : "");
    } else {
        json_t *rejected = diag_json(&d, "where");
        op_ok(o, json_pack("{s:I, s:i, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:f, s:o}", "run", (json_int_t)res.run, "year", (int)year,
                           "corpus_hash", o->ctx->c->hash, "entities", (json_int_t)res.entities, "rejected",
                           (json_int_t)res.rejected, "candidates", (json_int_t)res.candidates, "added", (json_int_t)res.added,
                           "updated", (json_int_t)res.updated, "removed", (json_int_t)res.removed, "seconds", res.seconds,
                           "problems", rejected));
    }
    diag_free(&d);
}

typedef struct {
    hq_store *s;
    json_t *arr;
    bool failed;
} budget_ctx;

static int budget_one(const hq_budget_rec *b, void *ud)
{
    budget_ctx *x = ud;
    int64_t used = 0;
    if (store_budget_used(x->s, b->year, b->scope, b->key, WF_COMMITTED, &used)) {
        x->failed = true;
        return 1;
    }
    json_array_append_new(x->arr, json_pack("{s:i, s:s, s:s, s:I, s:I, s:I, s:I}", "year", b->year, "scope", b->scope, "key",
                                            b->key, "amount_fen", (json_int_t)b->amount_fen, "hard_fen", (json_int_t)b->hard_fen,
                                            "used_fen", (json_int_t)used, "remaining_fen", (json_int_t)(b->amount_fen - used)));
    return 0;
}

void op_budgets(hq_op *o)
{
    long long year = 0;
    op_int(o, "year", &year);
    budget_ctx x = {o->ctx->s, json_array(), false};
    if (store_budget_list(o->ctx->s, (int)year, budget_one, &x) || x.failed) {
        json_decref(x.arr);
        op_store_error(o);
        return;
    }
    op_ok(o, json_pack("{s:o}", "budgets", x.arr));
}

/* One transaction: the change and its audit row. */
static bool commit_with_audit(hq_op *o, int changed, const char *action, const char *object, json_t *after)
{
    hq_store *s = o->ctx->s;
    int rc = changed || audit_log(s, o->ctx->who.actor, action, object, NULL, after) || store_commit(s);
    json_decref(after);
    if (rc) {
        store_rollback(s);
        op_store_error(o);
    }
    return !rc;
}

/* A budget set below what is already committed is allowed (the year may have been overspent
 * on purpose, or the figure is being corrected) but never silently: the answer says by how
 * much, and what approvals will meet from now on. */
static json_t *budget_below_used(const hq_budget_rec *b, int64_t used)
{
    if (b->amount_fen >= used) return NULL;
    char amount[48], committed[48];
    fen_format(b->amount_fen, true, amount, sizeof amount);
    fen_format(used, true, committed, sizeof committed);
    bool hard_below = b->hard_fen && b->hard_fen < used;
    return json_sprintf("新预算 %s元 低于该范围已核定的 %s元：此后的审核通过都会%s", amount, committed,
                        hard_below ? "因超出硬上限而被拒绝" : "提示超出预算");
}

void op_budget_set(hq_op *o)
{
    const hq_corpus *c = o->ctx->c;
    const char *item = op_str(o, "item"), *doc = op_str(o, "document");
    long long year, amount, hard = 0;
    op_int(o, "year", &year);
    op_int(o, "amount", &amount);
    op_int(o, "hard", &hard);
    const hq_doc *dd = doc ? corpus_find_doc_any(c, doc) : NULL;
    if (!item == !doc) op_fail(o, OPR_BAD_REQUEST, "item", "须给出条款编号或文件编号之一");
    else if (item && !corpus_find_item(c, item)) op_fail(o, OPR_BAD_REQUEST, "item", "没有条款 %s", item);
    else if (doc && !dd) op_fail(o, OPR_BAD_REQUEST, "document", "没有文件 %s", doc);
    else if (hard && hard < amount) op_fail(o, OPR_BAD_REQUEST, "hard", "硬上限不能低于预算");
    if (o->status != OPR_OK) return;
    hq_budget_rec rec = {.year = (int)year, .amount_fen = amount, .hard_fen = hard};
    snprintf(rec.scope, sizeof rec.scope, "%s", item ? "item" : "document");
    snprintf(rec.key, sizeof rec.key, "%s", item ? item : dd->number ? dd->number : dd->id);
    char object[96];
    snprintf(object, sizeof object, "budget:%d:%s:%s", rec.year, rec.scope, rec.key);
    json_t *after = json_pack("{s:I, s:I}", "amount_fen", (json_int_t)rec.amount_fen, "hard_fen", (json_int_t)rec.hard_fen);
    if (store_begin(o->ctx->s)) {
        json_decref(after);
        op_store_error(o);
        return;
    }
    int64_t used = 0;
    if (store_budget_used(o->ctx->s, rec.year, rec.scope, rec.key, WF_COMMITTED, &used)) {
        json_decref(after);
        store_rollback(o->ctx->s);
        op_store_error(o);
        return;
    }
    if (!commit_with_audit(o, store_budget_set(o->ctx->s, &rec), "budget", object, after)) return;
    json_t *res = json_pack("{s:i, s:s, s:s, s:I, s:I, s:I}", "year", rec.year, "scope", rec.scope, "key", rec.key, "amount_fen",
                            (json_int_t)rec.amount_fen, "hard_fen", (json_int_t)rec.hard_fen, "used_fen", (json_int_t)used);
    json_t *warning = budget_below_used(&rec, used);
    if (warning) json_object_set_new(res, "warning", warning);
    op_ok(o, res);
}

static json_t *fiscal_json(const hq_fiscal_rec *f)
{
    char share[32];
    fixed_format_short(f->city_share * 100, false, share, sizeof share - 1);
    strcat(share, "%");
    return json_pack("{s:s, s:s, s:I, s:s, s:s}", "district", f->district, "city_share", share, "city_share_ppm",
                     (json_int_t)f->city_share, "source", f->source, "as_of", f->as_of);
}

/* The split configured for every district that has one. */
void op_fiscal(hq_op *o)
{
    const hq_corpus *c = o->ctx->c;
    const hq_enum *de = c->enum_district >= 0 ? c->enums[c->enum_district] : NULL;
    json_t *arr = json_array();
    for (int v = 1; de && v < de->nvalues; v++) {
        hq_fiscal_rec f;
        int rc = store_fiscal_get(o->ctx->s, de->values[v], &f);
        if (rc < 0) {
            json_decref(arr);
            op_store_error(o);
            return;
        }
        if (rc == 0) json_array_append_new(arr, fiscal_json(&f));
    }
    op_ok(o, json_pack("{s:o}", "fiscal", arr));
}

void op_fiscal_set(hq_op *o)
{
    const hq_corpus *c = o->ctx->c;
    const char *district = op_str(o, "district"), *source = op_str(o, "source"), *as_of = op_str(o, "as_of");
    long long share;
    op_int(o, "city_share", &share);
    if (c->enum_district < 0 || enum_value(c->enums[c->enum_district], district) <= 0) {
        op_fail(o, OPR_BAD_REQUEST, "district", "区县：「%s」不是规则库声明的区、县（市）或功能区", district);
        return;
    }
    hq_fiscal_rec f = {.city_share = share};
    snprintf(f.district, sizeof f.district, "%s", district);
    snprintf(f.source, sizeof f.source, "%s", source);
    char today[16];
    clock_today(today, sizeof today);
    snprintf(f.as_of, sizeof f.as_of, "%.10s", as_of ? as_of : today);
    char object[64];
    snprintf(object, sizeof object, "fiscal:%s", district);
    json_t *after = fiscal_json(&f);
    if (store_begin(o->ctx->s)) {
        json_decref(after);
        op_store_error(o);
        return;
    }
    if (commit_with_audit(o, store_fiscal_set(o->ctx->s, &f), "fiscal", object, json_incref(after))) op_ok(o, after);
    else json_decref(after);
}

/* A temporary file's whole content, for libxlsxwriter, which writes only to paths. */
static char *slurp_and_remove(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    if (f && fseek(f, 0, SEEK_END) == 0) {
        long n = ftell(f);
        if (n >= 0 && n < (64L << 20) && fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1))) *len = fread(buf, 1, (size_t)n, f);
    }
    if (f) fclose(f);
    unlink(path);
    return buf;
}

/* A table as the download `format` asks for (csv, xlsx, text) named NAME.FORMAT, into the
 * operation's raw result; frees the table. A NULL table or a failed write is an error result
 * with diag's first message. */
void op_table_download(hq_op *o, hq_table *t, const char *format, const char *name, hq_diag *d)
{
    bool xlsx = !strcmp(format, "xlsx"), text = !strcmp(format, "text");
    char *buf = NULL;
    size_t len = 0;
    if (t && !xlsx) {
        FILE *m = open_memstream(&buf, &len);
        if (m) {
            if (text) table_write_text(t, m);
            else table_write_csv(t, m);
            fclose(m);
        }
    } else if (t) {
        char path[] = "/tmp/huiqi-report-XXXXXX";
        int fd = mkstemp(path);
        if (fd >= 0) {
            close(fd);
            if (table_write_xlsx(t, path, d) == 0) buf = slurp_and_remove(path, &len);
            else unlink(path);
        }
    }
    table_free(t);
    if (!buf) {
        op_fail(o, OPR_INTERNAL, NULL, "报表生成失败：%s", d->count ? d->items[0].message : "");
        return;
    }
    o->status = OPR_OK;
    o->raw = buf;
    o->raw_len = len;
    o->raw_type = xlsx   ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                  : text ? "text/plain; charset=utf-8"
                         : "text/csv; charset=utf-8";
    snprintf(o->raw_name, sizeof o->raw_name, "%s.%s", name, format);
}

/* Amounts by workflow stage, grouped; a document, or a CSV or XLSX download. */
void op_report(hq_op *o)
{
    const char *by_s = op_str(o, "by"), *format = op_str(o, "format");
    if (!by_s) by_s = "document";
    if (!format) format = "json";
    int by = report_by_parse(by_s);
    long long year = 0;
    op_int(o, "year", &year);
    if (by < 0) {
        op_fail(o, OPR_BAD_REQUEST, "by", "汇总方式须为 document（文件）、item（条款）、department（部门）、district（区县）、industry（行业）、year（年度）、state（状态）或 month（月份）");
        return;
    }
    bool xlsx = !strcmp(format, "xlsx"), csv = !strcmp(format, "csv"), text = !strcmp(format, "text");
    if (!xlsx && !csv && !text && strcmp(format, "json")) {
        op_fail(o, OPR_BAD_REQUEST, "format", "格式须为 json、csv、xlsx 或 text");
        return;
    }
    hq_diag d;
    diag_init(&d);
    if (!xlsx && !csv && !text) {
        json_t *j = ledger_report_json(o->ctx->s, o->ctx->c, by, (int)year, &d);
        json_t *sum = j ? ledger_summary_json(o->ctx->s, (int)year, &d) : NULL;
        if (j && sum) {
            json_object_set_new(j, "summary", sum);
            op_ok(o, j);
        } else {
            json_decref(j);
            op_fail(o, OPR_INTERNAL, NULL, "报表生成失败：%s", d.count ? d.items[0].message : "");
        }
        diag_free(&d);
        return;
    }
    hq_table *t = ledger_report(o->ctx->s, o->ctx->c, by, (int)year, &d);
    char name[64];
    snprintf(name, sizeof name, "huiqi-report-%s", by_s);
    op_table_download(o, t, format, name, &d);
    diag_free(&d);
}

const hq_op_param P_PERFORMANCE[] = {{.name = "year", .type = PT_YEAR, .required = true, .zh = "年度"},
                                     {.name = "format", .type = PT_STR, .hi = 8, .zh = "格式"}, {.name = NULL}};

/* 绩效评价表 (ledger/performance.h): a document, or a text, CSV or XLSX download. The links
 * and plans are read from the plans directory on every call, so an edited links file is
 * used, or refused with its line, without a restart. */
void op_performance(hq_op *o)
{
    const char *format = op_str(o, "format");
    if (!format) format = "json";
    long long year = 0;
    op_int(o, "year", &year);
    bool json = !strcmp(format, "json");
    if (!json && strcmp(format, "xlsx") && strcmp(format, "csv") && strcmp(format, "text")) {
        op_fail(o, OPR_BAD_REQUEST, "format", "格式须为 json、csv、xlsx 或 text");
        return;
    }
    char dir[4096];
    performance_plans_dir(o->ctx->c, dir, sizeof dir);
    hq_diag d;
    diag_init(&d);
    if (json) {
        json_t *j = ledger_performance_json(o->ctx->s, o->ctx->c, dir, (int)year, &d);
        if (j) op_ok(o, j);
        else op_fail(o, OPR_BAD_DATA, NULL, "绩效评价表生成失败：%s%s%s", d.count ? d.items[0].where : "", d.count ? ": " : "",
                     d.count ? d.items[0].message : "");
        diag_free(&d);
        return;
    }
    hq_table *t = ledger_performance(o->ctx->s, o->ctx->c, dir, (int)year, &d);
    if (!t) {
        op_fail(o, OPR_BAD_DATA, NULL, "绩效评价表生成失败：%s%s%s", d.count ? d.items[0].where : "", d.count ? ": " : "",
                d.count ? d.items[0].message : "");
        diag_free(&d);
        return;
    }
    char name[64];
    snprintf(name, sizeof name, "huiqi-performance-%lld", year);
    op_table_download(o, t, format, name, &d);
    diag_free(&d);
}

const hq_op_param P_PAYMENTS[] = {{.name = "batch", .type = PT_STR, .hi = 60, .zh = "兑付批次"}, {.name = "year", .type = PT_YEAR, .zh = "年度"},
                                  {.name = "format", .type = PT_STR, .hi = 8, .zh = "格式"}, {.name = NULL}};

/* 兑付清单: the payments of a batch (or all), for finance and the treasury. */
void op_payments(hq_op *o)
{
    const char *batch = op_str(o, "batch"), *format = op_str(o, "format");
    long long year = 0;
    op_int(o, "year", &year);
    if (!format) format = "json";
    if (strcmp(format, "json") && strcmp(format, "csv") && strcmp(format, "xlsx") && strcmp(format, "text")) {
        op_fail(o, OPR_BAD_REQUEST, "format", "format 须为 json, csv, xlsx 或 text");
        return;
    }
    hq_diag d;
    diag_init(&d);
    if (!strcmp(format, "json")) {
        json_t *j = ledger_payments_json(o->ctx->s, o->ctx->c, batch, (int)year, &d);
        if (j) op_ok(o, j);
        else op_fail(o, OPR_INTERNAL, NULL, "兑付清单生成失败：%s", d.count ? d.items[0].message : "");
    } else {
        op_table_download(o, ledger_payments(o->ctx->s, o->ctx->c, batch, (int)year, &d), format, "huiqi-payments", &d);
    }
    diag_free(&d);
}

const hq_op_param P_AUDIT_LOG[] = {{.name = "limit", .type = PT_INT, .lo = 1, .hi = 100000, .zh = "条数"}, {.name = NULL}};

typedef struct {
    long long skip, seen;
    json_t *rows;
} log_ctx;

static int count_audit(const hq_audit_rec *r, void *ud)
{
    (void)r;
    ((log_ctx *)ud)->seen++;
    return 0;
}

static int keep_audit(const hq_audit_rec *r, void *ud)
{
    log_ctx *x = ud;
    if (x->seen++ < x->skip) return 0;
    json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:s}", "seq", (json_int_t)r->seq, "at", r->at, "actor", r->actor, "action",
                          r->action, "object", r->object);
    json_t *after = r->after ? json_loads(r->after, 0, NULL) : NULL;
    if (after) json_object_set_new(j, "after", after);
    json_array_append_new(x->rows, j);
    return 0;
}

/* The latest rows of the audit log, oldest first. */
void op_audit_log(hq_op *o)
{
    long long limit = 50;
    op_int(o, "limit", &limit);
    log_ctx x = {.rows = json_array()};
    if (store_audit_scan(o->ctx->s, count_audit, &x)) {
        json_decref(x.rows);
        op_store_error(o);
        return;
    }
    x.skip = x.seen > limit ? x.seen - limit : 0;
    x.seen = 0;
    if (store_audit_scan(o->ctx->s, keep_audit, &x)) {
        json_decref(x.rows);
        op_store_error(o);
        return;
    }
    op_ok(o, json_pack("{s:o}", "rows", x.rows));
}

const hq_op_param P_AUDIT_VERIFY[] = {{.name = "checkpoint", .type = PT_JSON, .zh = "检查点（huiqi audit checkpoint 写出的文件）"},
                                     {.name = NULL}};

void op_audit_verify(hq_op *o)
{
    hq_diag d;
    diag_init(&d);
    hq_audit_check x;
    /* A file's document from the CLI; the text of one in a URL's query. */
    json_t *given = json_object_get(o->in, "checkpoint");
    json_t *cp = json_is_string(given) ? json_loads(json_string_value(given), 0, NULL) : json_incref(given);
    if (given && !json_is_object(cp)) {
        json_decref(cp);
        diag_free(&d);
        op_fail(o, OPR_BAD_REQUEST, "checkpoint", "检查点须为 huiqi audit checkpoint 写出的 JSON 文档");
        return;
    }
    int rc = audit_verify(o->ctx->s, cp, &d, &x);
    if (rc < 0) {
        op_store_error(o);
    } else {
        op_ok(o, json_pack("{s:b, s:I, s:I, s:b, s:I, s:I, s:I, s:b, s:o}", "ok", rc == 0, "rows", (json_int_t)x.rows,
                           "keyed_from", (json_int_t)x.keyed_from, "key", x.key, "unchecked", (json_int_t)x.unchecked, "awards",
                           (json_int_t)x.awards, "payments", (json_int_t)x.payments, "checkpoint", cp != NULL, "problems",
                           diag_json(&d, "where")));
    }
    json_decref(cp);
    diag_free(&d);
}
