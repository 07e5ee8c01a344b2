/*
 * `huiqi eval --batch FILE`: many entities without the ledger. FILE holds one entity document
 * per line (JSON Lines, the documents `huiqi eval` takes; "-" reads standard input); each is
 * assessed like `huiqi eval` (every item, 附则3 within the entity) and one row is written per
 * entity × eligible item: credit code, item, title, status, the amount the rule computes, the
 * amount after 附则3 (元, exact from 分) and the decision id. A bad line is reported by its
 * number and the run goes on, exiting 3 at the end so that no error passes unseen.
 *
 * FILE may also be a directory of department files in the import formats (docs/import.md:
 * entities.csv, tax.csv … awards.csv, or .json): they are imported, with every check and
 * all-or-nothing per file, into a temporary ledger that is removed afterwards, and each
 * entity is assessed as `huiqi match` would — against its past awards (awards.csv) — but
 * nothing is written anywhere but the output. A directory needs --year.
 *
 * All cores: lines (or entities) are read a block at a time (at most BLOCK_LINES lines and BLOCK_BYTES
 * bytes, so memory is bounded whatever the file's size), each worker thread assesses a
 * contiguous share of the block with its own evaluator into its own memory stream, and the
 * streams are written in order — the output is the same, row for row, on any number of
 * threads.
 */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fixed.h"
#include "base/progress.h"
#include "cli/cli.h"
#include "eval/assess.h"
#include "eval/explain.h"
#include "facts/entity.h"
#include "facts/factbatch.h"
#include "facts/history.h"
#include "ledger/entity_doc.h"
#include "ledger/importer.h"
#include "ledger/ledger.h"

static const char BATCH_USAGE[] =
    "用法: huiqi eval --batch FILE [--format csv|jsonl] [--out FILE] [--year 年度] [--threads N] [--quiet] [--policies DIR]\n"
    "  FILE 每行一份企业数据（JSON，格式同 huiqi eval；- 为标准输入）。每户企业的每个符合条款输出一行：\n"
    "  统一社会信用代码、条款、名称、结论、条款金额、附则3后金额（元）、决策编号。\n"
    "  有错误的行按行号报告并跳过，结束时退出码为 3。默认每个处理器核一个线程；终端上显示进度。\n"
    "  FILE 也可以是部门数据目录（entities.csv、tax.csv … awards.csv，格式见 docs/import.md；须给出 --year）：\n"
    "  各文件按导入规则整份校验后读入临时台账（用后删除），并按既往奖补记录执行附则3。\n";

enum { BATCH_LINE_MAX = 1 << 20 };

/* A CSV field: quoted when it holds a comma, quote or line break. */
static void csv_field(FILE *out, const char *s, bool last)
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
    csv_field(out, code, false);
    csv_field(out, r->item->id, false);
    csv_field(out, r->item->title, false);
    csv_field(out, status_label_zh((hq_status)r->outcome.status), false);
    csv_field(out, rule, false);
    csv_field(out, final, false);
    csv_field(out, id, true);
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

enum { BLOCK_LINES = 4096, BLOCK_BYTES = 64 << 20, MAX_THREADS = 64 };

/* One block: lines (text copies and their numbers), or a directory's entities (rows in the
 * block's arena, with their ledger ids). */
typedef struct {
    char **text;
    size_t *len;
    long *lineno;
    hq_entity_rows *rows;
    int64_t *ids;
    int n;
} block;

typedef struct {
    const hq_corpus *c;
    hq_vm *vm;
    const char *src;
    const block *b;
    int lo, hi, year;
    bool jsonl;
    hq_store *store;    /* a directory's temporary ledger, this thread's connection; else NULL */
    long bad, entities;
    char *out, *err;    /* this share's rows and complaints, in line order */
    size_t outlen, errlen;
} share;

static void *run_share(void *arg)
{
    share *w = arg;
    FILE *out = open_memstream(&w->out, &w->outlen), *err = open_memstream(&w->err, &w->errlen);
    for (int i = w->lo; i < w->hi; i++) {
        if (!out || !err) {
            w->bad++;
            continue;
        }
        bool ok = w->store ? batch_entity(w->c, w->vm, w->store, w->b->ids[i], &w->b->rows[i], w->year, w->jsonl, out, err)
                           : batch_line(w->c, w->vm, w->src, w->b->lineno[i], w->b->text[i], w->b->len[i], w->year, w->jsonl, out, err);
        if (!ok) w->bad++;
        else w->entities++;
    }
    if (out) fclose(out);
    if (err) fclose(err);
    return NULL;
}

/* Read the next block; false at the end of the input. Over-long lines are reported and
 * skipped here, counted in *bad. */
static bool read_block(FILE *in, const char *file, char *line, long *lineno, block *b, long *bad)
{
    size_t bytes = 0;
    b->n = 0;
    while (b->n < BLOCK_LINES && bytes < BLOCK_BYTES && fgets(line, BATCH_LINE_MAX + 2, in)) {
        ++*lineno;
        size_t len = strlen(line);
        if (len > BATCH_LINE_MAX) {
            fprintf(stderr, "%s:%ld: 行超过 %d 字节的上限\n", file, *lineno, BATCH_LINE_MAX);
            ++*bad;
            int ch;
            while ((ch = fgetc(in)) != EOF && ch != '\n') {}
            continue;
        }
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
        if (!len) continue;
        char *copy = malloc(len + 1);
        if (!copy) {
            fprintf(stderr, "%s:%ld: 内存不足\n", file, *lineno);
            ++*bad;
            continue;
        }
        memcpy(copy, line, len + 1);
        b->text[b->n] = copy;
        b->len[b->n] = len;
        b->lineno[b->n++] = *lineno;
        bytes += len;
    }
    return b->n > 0;
}

/* Assess one block on `nt` threads and write it in order. */
static void run_block(const block *b, share *ws, int nt, FILE *out, long *bad, long *entities)
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
        if (!started[t]) run_share(w);
    }
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

/* ---- a directory of import files ------------------------------------------------------- */

typedef struct {
    char dir[4096], db[4200];
} temp_ledger;

static void temp_ledger_remove(temp_ledger *t)
{
    static const char *const SUFFIX[] = {"", "-wal", "-shm", ".key"};
    char path[4300];
    for (size_t i = 0; i < sizeof SUFFIX / sizeof *SUFFIX; i++) {
        snprintf(path, sizeof path, "%s%s", t->db, SUFFIX[i]);
        unlink(path);
    }
    rmdir(t->dir);
}

/* Import every department file of `dir` into a new temporary ledger. NULL (after printing
 * every error) when a file is refused or nothing could be made. */
static hq_store *temp_ledger_fill(const hq_corpus *c, const char *dir, temp_ledger *t)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(t->dir, sizeof t->dir, "%s/huiqi-batch-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(t->dir)) {
        fprintf(stderr, "huiqi: 无法创建临时目录 %s\n", t->dir);
        return NULL;
    }
    snprintf(t->db, sizeof t->db, "%s/ledger.db", t->dir);
    hq_diag d;
    diag_init(&d);
    hq_store *s = ledger_open(t->db, true, NULL, NULL, &d);
    int found = 0;
    for (int k = 0; s && import_kind_name(k); k++) {
        const char *kind = import_kind_name(k);
        if (!strcmp(kind, "indicators")) continue; /* plan observations are not entity data */
        char path[4400];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s.csv", dir, kind);
        if (stat(path, &st) != 0) snprintf(path, sizeof path, "%s/%s.json", dir, kind);
        if (stat(path, &st) != 0) continue;
        found++;
        hq_import_opts o = {.kind = kind, .path = path, .actor = "batch"};
        hq_import_result r;
        if (ledger_import(s, c, &o, &r, &d)) {
            store_close(s);
            s = NULL;
        } else {
            fprintf(stderr, "已读入 %s：%d 行\n", path, r.rows);
        }
    }
    if (s && !found) {
        fprintf(stderr, "huiqi: %s 中没有部门数据文件（entities.csv、tax.csv …，见 docs/import.md）\n", dir);
        store_close(s);
        s = NULL;
    }
    diag_print(&d, stderr);
    diag_free(&d);
    if (!s) temp_ledger_remove(t);
    return s;
}

/* Read the next block of the temporary ledger's entities into `ar`; false at the end. */
static bool rows_block(hq_store *s, int year, int64_t *after, hq_arena **ar, block *b, bool *failed)
{
    arena_free(*ar);
    *ar = arena_new((size_t)1 << 30);
    b->n = 0;
    if (!*ar || store_entity_rows(s, *after, BLOCK_LINES, year, *ar, b->rows, b->ids, &b->n)) {
        fprintf(stderr, "huiqi: 读取临时台账失败：%s\n", *ar ? store_error(s) : "内存不足");
        *failed = true;
        return false;
    }
    if (b->n) *after = b->ids[b->n - 1];
    return b->n > 0;
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
    bool dir = strcmp(file, "-") && stat(file, &fst) == 0 && S_ISDIR(fst.st_mode);
    if (dir && !year_s) {
        fprintf(stderr, "huiqi: 读取部门数据目录时须给出 --year\n");
        return EXIT_USAGE;
    }
    FILE *in = dir ? NULL : strcmp(file, "-") ? fopen(file, "rb") : stdin;
    if (!in && !dir) {
        fprintf(stderr, "huiqi: 无法打开 %s\n", file);
        return EXIT_USAGE;
    }
    struct stat st;
    long long size = in && in != stdin && fstat(fileno(in), &st) == 0 && S_ISREG(st.st_mode) ? (long long)st.st_size : 0;
    FILE *out = outpath ? fopen(outpath, "w") : stdout;
    hq_corpus *c = out ? cli_load_corpus(cli_policies_dir(policies)) : NULL;
    char *line = malloc(BATCH_LINE_MAX + 2);
    block b = {malloc(sizeof *b.text * BLOCK_LINES), malloc(sizeof *b.len * BLOCK_LINES), malloc(sizeof *b.lineno * BLOCK_LINES),
               malloc(sizeof *b.rows * BLOCK_LINES), malloc(sizeof *b.ids * BLOCK_LINES), 0};
    share ws[MAX_THREADS] = {0};
    bool ready = out && c && line && b.text && b.len && b.lineno && b.rows && b.ids;
    temp_ledger tl = {0};
    hq_store *ledger = ready && dir ? temp_ledger_fill(c, file, &tl) : NULL;
    if (dir && !ledger) ready = false;
    int64_t total = 0;
    if (ledger && store_entity_count(ledger, &total)) total = 0;
    for (int t = 0; ready && t < nt; t++) {
        ws[t] = (share){.c = c, .vm = rvm_new(c), .src = file, .year = (int)year, .jsonl = jsonl};
        ready = ws[t].vm != NULL;
        if (ready && ledger) {
            hq_diag d;
            diag_init(&d);
            ready = (ws[t].store = store_open(tl.db, false, &d)) != NULL;
            diag_print(&d, stderr);
            diag_free(&d);
        }
    }
    int rc = EXIT_OK;
    if (!ready) {
        if (!out) fprintf(stderr, "huiqi: 无法写入 %s\n", outpath);
        rc = dir && out && c && !ledger ? EXIT_DATA : out && c ? EXIT_INTERNAL : EXIT_USAGE;
    } else {
        if (!jsonl) fputs("统一社会信用代码,条款,名称,结论,条款金额(元),附则3后金额(元),决策编号\n", out);
        long lineno = 0, bad = 0, entities = 0;
        hq_progress bar;
        progress_start(&bar, !quiet && isatty(2) ? stderr : NULL, NULL, NULL, "测算中", "户");
        hq_arena *ar = NULL;
        int64_t after = 0;
        bool failed = false;
        while (ledger ? rows_block(ledger, (int)year, &after, &ar, &b, &failed) : read_block(in, file, line, &lineno, &b, &bad)) {
            run_block(&b, ws, nt, out, &bad, &entities);
            if (!ledger)
                for (int i = 0; i < b.n; i++) free(b.text[i]);
            long long at = ledger ? entities + bad : size ? (long long)ftello(in) : 0;
            progress_update(&bar, at, ledger ? total : size, entities);
        }
        arena_free(ar);
        progress_finish(&bar, entities);
        if (failed) rc = EXIT_INTERNAL;
        if (bad) {
            fprintf(stderr, "huiqi: %ld 行有错误，已跳过\n", bad);
            rc = EXIT_DATA;
        }
    }
    for (int t = 0; t < nt; t++) {
        if (ws[t].vm) rvm_free(ws[t].vm);
        if (ws[t].store) store_close(ws[t].store);
    }
    if (ledger) {
        store_close(ledger);
        temp_ledger_remove(&tl);
    }
    free(b.rows);
    free(b.ids);
    free(b.text);
    free(b.len);
    free(b.lineno);
    free(line);
    corpus_free(c);
    if (out && out != stdout) fclose(out);
    if (in && in != stdin) fclose(in);
    return rc;
}
