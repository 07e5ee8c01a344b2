/*
 * `huiqi eval --batch FILE`: many entities without the ledger. Each is assessed like
 * `huiqi eval` (every item, 附则3 within the entity) and one row is written per entity ×
 * eligible item: credit code, item, title, status, the amount the rule computes, the amount
 * after 附则3 (元, exact from 分) and the decision id. A refused entity is reported by its
 * line and the run goes on, exiting 3 at the end so that no error passes unseen.
 *
 * FILE is JSON Lines (one entity document per line, the documents `huiqi eval` takes; "-"
 * reads standard input), one CSV sheet of entities in the import columns (ledger/
 * entity_sheet.h), or a directory of department files imported into a temporary ledger so
 * that 附则3 sees their past awards (batch_read.c has the three).
 *
 * All cores: the input is read a block at a time on a thread of its own while the block
 * before is assessed; each worker thread assesses a contiguous share of the block with its
 * own evaluator into its own memory stream, and the streams are written in order — the
 * output is the same, row for row, on any number of threads.
 */
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fixed.h"
#include "base/progress.h"
#include "cli/batch.h"
#include "cli/cli.h"
#include "eval/assess.h"
#include "eval/explain.h"
#include "facts/entity.h"
#include "facts/factbatch.h"
#include "facts/history.h"
#include "ledger/entity_doc.h"
#include "ledger/entity_sheet.h"
#include "ledger/ledger.h"

static const char BATCH_USAGE[] =
    "用法: huiqi eval --batch FILE [--format csv|jsonl] [--out FILE] [--year 年度] [--threads N] [--quiet] [--policies DIR]\n"
    "  FILE 每行一份企业数据（JSON，格式同 huiqi eval；- 为标准输入）。每户企业的每个符合条款输出一行：\n"
    "  统一社会信用代码、条款、名称、结论、条款金额、附则3后金额（元）、决策编号。\n"
    "  有错误的行按行号报告并跳过，结束时退出码为 3。默认每个处理器核一个线程；终端上显示进度。\n"
    "  FILE 为 .csv 或 .xlsx（第一个工作表）时，是一张企业数据表（须给出 --year）：统一社会信用代码、企业名称、年度、名单及规则库声明的事实列，\n"
    "  同一企业的各行相邻（如每个年度一行）；每格按导入规则校验。\n"
    "  FILE 也可以是部门数据目录（entities.csv、tax.csv … awards.csv，格式见 docs/import.md；须给出 --year）：\n"
    "  各文件按导入规则整份校验后读入临时台账（用后删除），并按既往奖补记录执行附则3。\n";


/* A CSV field: quoted when it holds a comma, quote or line break. */
static void out_field(FILE *out, const char *s, bool last)
{
    if (strpbrk(s, ",\"\r\n")) {
        fputc('"', out);
        for (; *s; s++) {
            if (*s == '"') fputc('"', out);
            fputc(*s, out);
        }
        fputc('"', out);
    } else {
        fputs(s, out);
    }
    fputc(last ? '\n' : ',', out);
}

static void write_row(FILE *out, bool jsonl, const char *code, const hq_assessment_row *r, const char *id)
{
    char rule[48], final[48];
    fen_format(r->outcome.amount_fen, false, rule, sizeof rule);
    fen_format(r->final_fen, false, final, sizeof final);
    if (jsonl) {
        json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "credit_code", code, "item", r->item->id, "title",
                              r->item->title, "status", status_label_zh((hq_status)r->outcome.status), "amount", rule,
                              "final", final, "decision_id", id);
        char *line = json_dumps(j, JSON_COMPACT);
        fprintf(out, "%s\n", line ? line : "{}");
        free(line);
        json_decref(j);
        return;
    }
    out_field(out, code, false);
    out_field(out, r->item->id, false);
    out_field(out, r->item->title, false);
    out_field(out, status_label_zh((hq_status)r->outcome.status), false);
    out_field(out, rule, false);
    out_field(out, final, false);
    out_field(out, id, true);
}

/* Assess one loaded entity and write its eligible rows. false when memory ran out. */
static bool assess_and_write(const hq_corpus *c, hq_vm *vm, hq_factbatch *fb, const hq_history *h, const char *code, bool jsonl,
                             FILE *out)
{
    hq_assessment a;
    if (assess_entity(c, vm, fb, 0, h, &a)) return false;
    for (int i = 0; i < a.nrows; i++) {
        hq_assessment_row *r = &a.rows[i];
        if (r->outcome.status != HQ_ELIGIBLE || !r->awarded) continue;
        write_row(out, jsonl, code, r, assessment_decision_id(c, fb, 0, r));
    }
    assessment_free(&a);
    return true;
}

/* One entity of the temporary ledger, with its past awards as 附则3's history. */
static bool batch_entity(const hq_corpus *c, hq_vm *vm, hq_store *s, int64_t id, const hq_entity_rows *e, int year, bool jsonl,
                         FILE *out, FILE *errs)
{
    hq_factbatch *fb = factbatch_new(c, year, 1);
    hq_diag d;
    diag_init(&d);
    hq_history h = {0};
    bool ok = fb && entity_load_rows(c, e, fb, 0, &d) == 0;
    if (!ok) fprintf(errs, "%s: 企业数据有误：%s %s\n", e->credit_code, d.count ? d.items[0].where : "", d.count ? d.items[0].message : "内存不足");
    diag_free(&d);
    diag_init(&d);
    if (ok && ledger_history(s, c, id, 0, &h, &d)) {
        /* Without its history an entity could be offered what it was already paid. */
        fprintf(errs, "%s: 既往奖补记录有误：%s %s\n", e->credit_code, d.count ? d.items[0].where : "", d.count ? d.items[0].message : "");
        ok = false;
    } else if (ok && !assess_and_write(c, vm, fb, &h, e->credit_code, jsonl, out)) {
        fprintf(errs, "%s: 内存不足\n", e->credit_code);
        ok = false;
    }
    if (ok) history_free(&h);
    diag_free(&d);
    factbatch_free(fb);
    return ok;
}

/* One line: load, assess, write. false (with the line's problem on `errs`) if it is bad. */
static bool batch_line(const hq_corpus *c, hq_vm *vm, const char *src, long lineno, const char *text, size_t len, int year,
                       bool jsonl, FILE *out, FILE *errs)
{
    json_error_t err;
    json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
    if (!json_is_object(doc)) {
        fprintf(errs, "%s:%ld:%d: 不是一份企业数据（JSON 对象）：%s\n", src, lineno, err.column, doc ? "须为对象" : err.text);
        json_decref(doc);
        return false;
    }
    hq_factbatch *fb = factbatch_new(c, year ? year : entity_latest_year(doc, 2021), 1);
    hq_diag d;
    diag_init(&d);
    bool ok = fb && entity_load(c, doc, fb, 0, &d) == 0;
    if (!ok) {
        fprintf(errs, "%s:%ld: 企业数据有误：%s %s\n", src, lineno, d.count ? d.items[0].where : "", d.count ? d.items[0].message : "内存不足");
    } else {
        const char *code = json_string_value(json_object_get(doc, "credit_code"));
        if (!assess_and_write(c, vm, fb, NULL, code ? code : "", jsonl, out)) {
            fprintf(errs, "%s:%ld: 内存不足\n", src, lineno);
            ok = false;
        }
    }
    diag_free(&d);
    factbatch_free(fb);
    json_decref(doc);
    return ok;
}

/* One entity of a CSV sheet: rows [lo, hi) of the block, checked, loaded into the share's
 * one-row batch, assessed, written. */
static bool batch_group(const hq_corpus *c, hq_vm *vm, const hq_entity_sheet *sh, const hq_csv *t, size_t lo, size_t hi,
                        hq_factbatch *fb, hq_arena *ar, bool jsonl, FILE *out, FILE *errs)
{
    hq_diag d;
    diag_init(&d);
    hq_entity_rows e;
    factbatch_clear(fb);
    bool ok = entity_sheet_rows(sh, t, lo, hi, ar, &e, &d) == 0 && entity_load_rows(c, &e, fb, 0, &d) == 0;
    if (!ok) {
        int n = d.count < HQ_DIAG_MAX ? d.count : HQ_DIAG_MAX;
        for (int i = 0; i < n; i++) fprintf(errs, "%s: %s\n", d.items[i].where, d.items[i].message);
    } else if (!assess_and_write(c, vm, fb, NULL, e.credit_code, jsonl, out)) {
        fprintf(errs, "%s: 内存不足\n", e.credit_code);
        ok = false;
    }
    diag_free(&d);
    return ok;
}

enum { MAX_THREADS = 64, SHARE_ARENA_BYTES = 64 << 20, SHARE_ARENA_KEEP = 4 << 20 };

typedef struct {
    const hq_corpus *c;
    hq_vm *vm;
    const char *src;
    const batch_block *b;
    int lo, hi, year;
    bool jsonl;
    hq_store *store;    /* a directory's temporary ledger, this thread's connection; else NULL */
    const hq_entity_sheet *sheet; /* a CSV sheet's columns; else NULL */
    hq_factbatch *fb;   /* a CSV sheet: this thread's one-row batch */
    long bad, entities;
    char *out, *err;    /* this share's rows and complaints, in line order */
    size_t outlen, errlen;
} share;

static void *run_share(void *arg)
{
    share *w = arg;
    FILE *out = open_memstream(&w->out, &w->outlen), *err = open_memstream(&w->err, &w->errlen);
    hq_arena *ar = NULL;
    for (int i = w->lo; i < w->hi; i++) {
        if (!out || !err) {
            w->bad++;
            continue;
        }
        bool ok;
        if (w->store) {
            ok = batch_entity(w->c, w->vm, w->store, w->b->ids[i], &w->b->rows[i], w->year, w->jsonl, out, err);
        } else if (w->sheet) {
            /* one arena for the share's entities: their rows are small and die together */
            if (!ar) ar = arena_new(SHARE_ARENA_BYTES);
            ok = ar && batch_group(w->c, w->vm, w->sheet, w->b->t, w->b->group[i], w->b->group[i + 1], w->fb, ar, w->jsonl, out, err);
            if (ar && arena_used(ar) > SHARE_ARENA_KEEP) {
                arena_free(ar);
                ar = NULL;
            }
        } else {
            ok = batch_line(w->c, w->vm, w->src, w->b->lineno[i], w->b->text[i], w->b->len[i], w->year, w->jsonl, out, err);
        }
        if (!ok) w->bad++;
        else w->entities++;
    }
    arena_free(ar);
    if (out) fclose(out);
    if (err) fclose(err);
    return NULL;
}

/* Assess one block on `nt` threads and write it in order. */
static void run_block(const batch_block *b, share *ws, int nt, FILE *out, long *bad, long *entities)
{
    int per = (b->n + nt - 1) / nt;
    pthread_t th[MAX_THREADS];
    bool started[MAX_THREADS] = {0};
    for (int t = 0; t < nt; t++) {
        share *w = &ws[t];
        w->b = b;
        w->lo = t * per < b->n ? t * per : b->n;
        w->hi = (t + 1) * per < b->n ? (t + 1) * per : b->n;
        w->bad = w->entities = 0;
        w->out = w->err = NULL;
        w->outlen = w->errlen = 0;
        if (w->lo >= w->hi) continue;
        started[t] = t > 0 && pthread_create(&th[t], NULL, run_share, w) == 0;
    }
    /* share 0, and any whose thread could not start, here, once the others are running */
    for (int t = 0; t < nt; t++)
        if (!started[t] && ws[t].lo < ws[t].hi) run_share(&ws[t]);
    for (int t = 0; t < nt; t++) {
        if (started[t]) pthread_join(th[t], NULL);
        if (ws[t].out) fwrite(ws[t].out, 1, ws[t].outlen, out);
        if (ws[t].err) fwrite(ws[t].err, 1, ws[t].errlen, stderr);
        free(ws[t].out);
        free(ws[t].err);
        *bad += ws[t].bad;
        *entities += ws[t].entities;
    }
}

static int batch_threads(const char *s)
{
    long long n = 0;
    if (s && cli_int("--threads", s, 1, MAX_THREADS, &n)) return (int)n;
    if (s) return -1;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    return cores < 1 ? 1 : cores > MAX_THREADS ? MAX_THREADS : (int)cores;
}

/* Reading the next block on a thread of its own while the current one is assessed. */
typedef struct {
    batch_input *in;
    batch_block *b;
    bool more;
} reader;

static void *read_next(void *arg)
{
    reader *r = arg;
    r->more = batch_input_next(r->in, r->b);
    return NULL;
}

/* Open a worker's evaluator (and, for a directory, its own connection to the temporary
 * ledger, and for a sheet its one-row batch). */
static bool share_open(share *w, const hq_corpus *c, const batch_input *in, int year, bool jsonl)
{
    *w = (share){.c = c, .vm = rvm_new(c), .src = in->file, .year = year, .jsonl = jsonl};
    if (!w->vm) return false;
    if (in->kind == BATCH_SHEET && !(w->fb = factbatch_new(c, year, 1))) return false;
    if (in->kind != BATCH_DIRECTORY) return true;
    hq_diag d;
    diag_init(&d);
    w->store = store_open(in->db, false, &d);
    diag_print(&d, stderr);
    diag_free(&d);
    return w->store != NULL;
}

static void share_close(share *w)
{
    if (w->vm) rvm_free(w->vm);
    if (w->store) store_close(w->store);
    factbatch_free(w->fb);
}

/* Every block, each read while the one before is assessed; the counts for the summary. */
static void run_all(batch_input *in, batch_block blk[2], share *ws, int nt, FILE *out, bool quiet, long *bad, long *entities)
{
    hq_progress bar;
    progress_start(&bar, !quiet && isatty(2) ? stderr : NULL, NULL, NULL, "测算中", "户");
    reader rd = {in, &blk[0], batch_input_next(in, &blk[0])};
    for (int cur = 0; rd.more; cur ^= 1) {
        batch_block *b = &blk[cur];
        rd = (reader){in, &blk[cur ^ 1], false};
        pthread_t th;
        bool ahead = pthread_create(&th, NULL, read_next, &rd) == 0;
        if (b->errs) fwrite(b->errs, 1, b->errlen, stderr);
        *bad += b->bad;
        for (int t = 0; t < nt; t++) ws[t].sheet = in->sheet;
        run_block(b, ws, nt, out, bad, entities);
        if (ahead) pthread_join(th, NULL);
        else read_next(&rd);
        progress_update(&bar, batch_input_at(in, *entities + *bad), batch_input_total(in), *entities);
    }
    progress_finish(&bar, *entities);
}

int cmd_eval_batch(int argc, char **argv)
{
    const char *file = NULL, *format = "csv", *outpath = NULL, *year_s = NULL, *policies = NULL, *threads_s = NULL, *pos[1];
    bool quiet = false;
    int npos;
    cli_opt opts[] = {{"--batch", &file, NULL},   {"--format", &format, NULL},     {"--out", &outpath, NULL},
                      {"--year", &year_s, NULL}, {"--policies", &policies, NULL}, {"--threads", &threads_s, NULL},
                      {"--quiet", NULL, &quiet}};
    int r = cli_parse(argc, argv, opts, 7, pos, 0, &npos, BATCH_USAGE);
    if (r >= 0) return r;
    long long year = 0;
    bool jsonl = !strcmp(format, "jsonl");
    int nt = batch_threads(threads_s);
    if (!file || nt < 1 || (!jsonl && strcmp(format, "csv")) || (year_s && !cli_int("--year", year_s, 2000, 2100, &year))) {
        fputs(BATCH_USAGE, stderr);
        return EXIT_USAGE;
    }
    struct stat fst;
    size_t flen = strlen(file);
    batch_kind kind = strcmp(file, "-") && stat(file, &fst) == 0 && S_ISDIR(fst.st_mode) ? BATCH_DIRECTORY
                      : (flen > 4 && !strcasecmp(file + flen - 4, ".csv")) ||
                              (flen > 5 && !strcasecmp(file + flen - 5, ".xlsx"))     ? BATCH_SHEET
                                                                                      : BATCH_LINES;
    if (kind != BATCH_LINES && !year_s) {
        fprintf(stderr, "huiqi: 读取%s时须给出 --year\n", kind == BATCH_DIRECTORY ? "部门数据目录" : "企业数据表（.csv、.xlsx）");
        return EXIT_USAGE;
    }
    FILE *out = outpath ? fopen(outpath, "w") : stdout;
    if (!out) {
        fprintf(stderr, "huiqi: 无法写入 %s\n", outpath);
        return EXIT_USAGE;
    }
    /* Each block's parse and memory streams are megabytes; glibc would map and unmap them per
     * block (page faults and TLB shootdowns were a sixth of the time). Keep them in the heap. */
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
    hq_corpus *c = cli_load_corpus(cli_policies_dir(policies));
    batch_input in = {0};
    batch_block blk[2] = {0};
    share ws[MAX_THREADS] = {0};
    int rc = c ? batch_input_open(&in, kind, c, file, (int)year) : EXIT_USAGE;
    if (rc == 0 && (!batch_block_init(&blk[0]) || !batch_block_init(&blk[1]))) rc = EXIT_INTERNAL;
    for (int t = 0; rc == 0 && t < nt; t++)
        if (!share_open(&ws[t], c, &in, (int)year, jsonl)) rc = EXIT_INTERNAL;
    if (rc == 0) {
        if (!jsonl) fputs("统一社会信用代码,条款,名称,结论,条款金额(元),附则3后金额(元),决策编号\n", out);
        long bad = 0, entities = 0;
        run_all(&in, blk, ws, nt, out, quiet, &bad, &entities);
        if (in.failed) rc = EXIT_INTERNAL;
        if (in.bad_table) {
            /* a table that cannot be read on is not trusted past the fault: say where it stopped */
            fprintf(stderr, "huiqi: %s 有格式错误，在此停止；此前的 %ld 户已输出\n", file, entities);
            rc = EXIT_DATA;
        }
        if (bad) {
            fprintf(stderr, kind == BATCH_SHEET ? "huiqi: %ld 户企业的数据有错误，已跳过\n" : "huiqi: %ld 行有错误，已跳过\n", bad);
            if (!rc) rc = EXIT_DATA;
        }
    }
    for (int t = 0; t < nt; t++) share_close(&ws[t]);
    batch_block_free(&blk[0], kind);
    batch_block_free(&blk[1], kind);
    batch_input_close(&in);
    corpus_free(c);
    if (out != stdout) fclose(out);
    return rc;
}
