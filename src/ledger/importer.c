/*
 * Importing department files; the kinds, columns and guarantees are in importer.h.
 *
 * Two passes over a table of strings (from CSV or JSON alike): the first resolves every
 * column, checks every cell and turns it into the canonical JSON text the store keeps,
 * collecting all errors; the second, reached only when there were none, writes. Both run
 * inside one write transaction, so an entity's existence cannot change between them and a
 * failure at any point rolls everything back.
 */
#include "base/calendar.h"
#include "ledger/importer.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/fixed.h"
#include "base/progress.h"
#include "base/sha256.h"
#include "base/strbuf.h"
#include "facts/entity.h"
#include "facts/uscc.h"
#include "io/csv.h"
#include "io/sheet.h"
#include "ledger/audit.h"
#include "ledger/cells.h"
#include "ledger/clock.h"

#define IMPORT_MAX_BYTES ((size_t)256 << 20)

/* ---- the table both formats become ------------------------------------------------------ */

typedef struct {
    size_t ncols, nrows;
    const char **head;     /* ncols */
    /* A CSV file's cells are read in place from the parsed file (a copy of a department's
     * 200,000 × 245 sparse sheet into a pointer matrix cost 400 MB of zeroed pages); JSON
     * objects are laid out as a matrix. */
    hq_csv *csv;           /* CSV: the parsed file, owned; NULL for JSON */
    const char **cell;     /* JSON: nrows × ncols; NULL = absent */
    int *line;             /* CSV line, or JSON array index + 1 */
    bool json;
} table;

static bool from_csv(const char *data, size_t len, hq_arena *ar, table *t, char *enc, size_t encsz, const char *file,
                     hq_diag *d)
{
    hq_csv *csv = sheet_parse(data, len, file, enc, encsz, d);
    if (!csv) return false;
    t->csv = csv;
    t->ncols = csv_columns(csv);
    t->nrows = csv_rows(csv);
    t->head = arena_alloc(ar, sizeof *t->head * (t->ncols + 1));
    t->line = arena_alloc(ar, sizeof *t->line * (t->nrows + 1));
    bool ok = t->head && t->line;
    for (size_t c = 0; ok && c < t->ncols; c++) t->head[c] = csv_header(csv, c);
    for (size_t r = 0; ok && r < t->nrows; r++) t->line[r] = csv_row_line(csv, r);
    if (!ok) diag_add(d, file, "文件过大，无法一次导入");
    return ok;
}

/* JSON: an array of flat objects. Numbers must be whole (amounts as strings: JSON
 * floating point is not exact); the keys of all objects together are the columns. */
static bool from_json(const char *data, size_t len, hq_arena *ar, table *t, const char *file, hq_diag *d)
{
    json_error_t err;
    json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &err);
    if (!root) {
        char where[320];
        snprintf(where, sizeof where, "%s:%d:%d", file, err.line, err.column);
        diag_add(d, where, "%s", err.text);
        return false;
    }
    if (!json_is_array(root)) {
        diag_add(d, file, "应为 JSON 数组，每行一个对象");
        json_decref(root);
        return false;
    }
    size_t n = json_array_size(root), cap = HQ_CSV_DEFAULT_COLUMNS;
    t->json = true;
    t->nrows = n;
    t->head = arena_alloc(ar, sizeof *t->head * cap);
    size_t i;
    json_t *row;
    json_array_foreach(root, i, row) {
        const char *k;
        json_t *v;
        if (!json_is_object(row)) continue;
        json_object_foreach(row, k, v) {
            size_t c;
            for (c = 0; c < t->ncols; c++)
                if (!strcmp(t->head[c], k)) break;
            if (c == t->ncols && t->ncols == cap) {
                diag_add(d, file, "不同的键超过%zu个，不是按行排列的表", cap);
                json_decref(root);
                return false;
            }
            if (c == t->ncols) t->head[t->ncols++] = arena_strdup(ar, k);
        }
    }
    t->cell = arena_alloc(ar, sizeof *t->cell * (t->ncols * n + 1));
    t->line = arena_alloc(ar, sizeof *t->line * (n + 1));
    bool ok = t->head && t->cell && t->line;
    json_array_foreach(root, i, row) {
        if (!ok) break;
        t->line[i] = (int)i + 1;
        char where[320];
        snprintf(where, sizeof where, "%s:$[%zu]", file, i);
        if (!json_is_object(row)) {
            diag_add(d, where, "应为对象");
            ok = false;
            continue;
        }
        for (size_t c = 0; c < t->ncols; c++) {
            json_t *v = json_object_get(row, t->head[c]);
            char buf[64];
            const char *s = NULL;
            if (!v || json_is_null(v)) s = NULL;
            else if (json_is_string(v)) s = json_string_value(v);
            else if (json_is_integer(v)) s = (snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v)), buf);
            else if (json_is_boolean(v)) s = json_is_true(v) ? "true" : "false";
            else {
                diag_add(d, where, "%s: %s", t->head[c],
                         json_is_real(v) ? "floating-point numbers are not exact: write the amount as a string such as \"1234.56\""
                                         : "应为文字、整数或 true/false");
                ok = false;
                continue;
            }
            t->cell[i * t->ncols + c] = s && *s ? arena_strdup(ar, s) : NULL;
        }
    }
    json_decref(root);
    return ok;
}

/* ---- columns ---------------------------------------------------------------------------- */

typedef enum { K_ENTITIES, K_TAX, K_STATS, K_PROJECTS, K_MUJUN, K_CREDIT, K_RECOGNITIONS, K_AWARDS, K__COUNT } kind_id;

static const struct {
    const char *name;
    const char *zh;        /* the dataset as people name it, for provenance shown to users */
    unsigned allowed;      /* fixed columns allowed */
    unsigned required;
    bool facts;            /* fact columns allowed */
} KINDS[K__COUNT] = {
    [K_ENTITIES] = {"entities", "市场监管局登记信息", 1u << COL_CODE | 1u << COL_NAME, 1u << COL_CODE | 1u << COL_NAME, true},
    [K_TAX] = {"tax", "税务局数据", 1u << COL_CODE | 1u << COL_NAME | 1u << COL_YEAR, 1u << COL_CODE | 1u << COL_YEAR, true},
    [K_STATS] = {"stats", "统计局数据", 1u << COL_CODE | 1u << COL_NAME | 1u << COL_YEAR, 1u << COL_CODE | 1u << COL_YEAR, true},
    [K_PROJECTS] = {"projects", "部门项目数据", 1u << COL_CODE | 1u << COL_NAME | 1u << COL_YEAR, 1u << COL_CODE | 1u << COL_YEAR, true},
    [K_MUJUN] = {"mujun", "亩均论英雄评价结果", 1u << COL_CODE | 1u << COL_NAME | 1u << COL_YEAR, 1u << COL_CODE, true},
    [K_CREDIT] = {"credit", "信用名单", 1u << COL_CODE | 1u << COL_NAME | 1u << COL_LIST | 1u << COL_DATE, 1u << COL_CODE, false},
    [K_RECOGNITIONS] = {"recognitions", "认定与奖项名单",
                        1u << COL_CODE | 1u << COL_NAME | 1u << COL_RECOG | 1u << COL_LEVEL | 1u << COL_GRADE | 1u << COL_DATE |
                            1u << COL_SUBJECT,
                        1u << COL_CODE | 1u << COL_RECOG | 1u << COL_DATE, false},
    [K_AWARDS] = {"awards", "既往奖补记录",
                  1u << COL_CODE | 1u << COL_NAME | 1u << COL_ITEM | 1u << COL_PROJECT | 1u << COL_YEAR |
                      1u << COL_DATA_YEAR | 1u << COL_LEVEL | 1u << COL_FORM | 1u << COL_AMOUNT | 1u << COL_BASIS |
                      1u << COL_NOTE | 1u << COL_PART,
                  1u << COL_CODE | 1u << COL_YEAR | 1u << COL_AMOUNT, false},
};

static int kind_of(const char *s)
{
    for (int k = 0; k < K__COUNT; k++)
        if (!strcmp(s, KINDS[k].name)) return k;
    return -1;
}

/* Observations of the plans' indicators are about the city, not an entity: that kind is
 * imported by ledger/indicators.c against the plans, and only named here so that every list
 * of kinds (messages, help, the operation's check) has it. */
#define KIND_INDICATORS "indicators"
#define KIND_INDICATORS_ZH "规划指标统计数据"

const char *import_kind_zh(const char *kind)
{
    if (kind && !strcmp(kind, KIND_INDICATORS)) return KIND_INDICATORS_ZH;
    int k = kind ? kind_of(kind) : -1;
    return k >= 0 ? KINDS[k].zh : NULL;
}

const char *import_kind_name(int k)
{
    if (k == K__COUNT) return KIND_INDICATORS;
    return k >= 0 && k < K__COUNT ? KINDS[k].name : NULL;
}

static char kinds_text[256];

static void build_kinds_text(void)
{
    for (int k = 0; k < K__COUNT; k++)
        snprintf(kinds_text + strlen(kinds_text), sizeof kinds_text - strlen(kinds_text), "%s%s", k ? ", " : "", KINDS[k].name);
    snprintf(kinds_text + strlen(kinds_text), sizeof kinds_text - strlen(kinds_text), ", %s", KIND_INDICATORS);
}

const char *import_kinds_text(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, build_kinds_text);
    return kinds_text;
}

bool import_kind_known(const char *kind)
{
    return kind_of(kind) >= 0 || !strcmp(kind, KIND_INDICATORS);
}

typedef struct {
    hq_col_kind kind;
    int fact;              /* COL_FACT: the corpus fact */
} column;

typedef struct {
    int col;
    const char *value;     /* lives in the import's arena */
} canon_cell;

/* ---- the import in progress ------------------------------------------------------------- */

typedef struct {
    const hq_corpus *c;
    hq_store *s;
    hq_diag *d;
    const char *file;      /* for messages: the base name */
    kind_id kind;
    table t;
    column *cols;
    int fixed[COL__FIXED]; /* column index of each fixed column, or -1 */
    /* The canonical values (JSON text for facts, the normalised date), row by row:
     * row r's are canon[canon_at[r] .. canon_at[r + 1]). Only cells with a value have one,
     * so a sparse sheet costs what it holds. */
    canon_cell *canon;
    size_t *canon_at;      /* nrows + 1 */
    size_t ncanon, canon_cap;
    int64_t *entity;       /* nrows: the entity id (0 = new, entities kind only) */
    int year_now;
    char today[16];
    hq_arena *ar;
    hq_progress *bar;      /* rows checked, then rows written: 2 × nrows units; may be NULL */
} import;

enum { PROGRESS_ROWS = 4096 };

static void tick(import *im, size_t units)
{
    if (im->bar && units % PROGRESS_ROWS == 0) progress_update(im->bar, (long long)units, 2 * (long long)im->t.nrows, (long long)units / 2);
}

static void err(import *im, size_t row, int col, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void err(import *im, size_t row, int col, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sheet_complain(im->d, im->file, im->t.json, row, im->t.line[row], col >= 0 ? im->t.head[col] : NULL, col, msg);
}

static const char *cell(const import *im, size_t row, int col)
{
    if (col < 0) return NULL;
    if (!im->t.csv) return im->t.cell[row * im->t.ncols + (size_t)col];
    const char *f = csv_field(im->t.csv, row, (size_t)col);
    return f && *f ? f : NULL;
}

/* Record the canonical value of the current row's cell. Rows are checked in order, so the
 * list stays grouped by row. The list can hold at most one entry per cell; false only
 * when memory is exhausted. */
static bool canon_put(import *im, int col, const char *value)
{
    if (im->ncanon == im->canon_cap) {
        size_t cap = im->canon_cap ? im->canon_cap * 2 : 4096, most = im->t.nrows * im->t.ncols + 1;
        if (cap > most) cap = most;
        if (cap <= im->ncanon) return false;
        canon_cell *n = realloc(im->canon, sizeof *n * cap);
        if (!n) return false;
        im->canon = n;
        im->canon_cap = cap;
    }
    im->canon[im->ncanon++] = (canon_cell){col, value};
    return true;
}

/* The canonical value of row r's cell in column col, or NULL. */
static const char *canon_get(const import *im, size_t r, int col)
{
    for (size_t i = im->canon_at[r]; i < im->canon_at[r + 1]; i++)
        if (im->canon[i].col == col) return im->canon[i].value;
    return NULL;
}

/* Resolve the header: every column is a fixed column of this kind or a declared fact. */
static bool resolve_columns(import *im)
{
    bool ok = true;
    for (int k = 0; k < COL__FIXED; k++) im->fixed[k] = -1;
    im->cols = arena_alloc(im->ar, sizeof *im->cols * (im->t.ncols + 1));
    if (!im->cols) return false;
    char where[320];
    snprintf(where, sizeof where, "%s:%s", im->file, im->t.json ? "$" : "1");
    for (size_t c = 0; c < im->t.ncols; c++) {
        const char *h = im->t.head[c];
        int k = cells_fixed_column(h, KINDS[im->kind].allowed);
        if (k >= 0) {
            if (im->fixed[k] >= 0) {
                diag_add(im->d, where, "列「%s」与「%s」重复", h, im->t.head[im->fixed[k]]);
                ok = false;
            }
            im->fixed[k] = (int)c;
            im->cols[c] = (column){.kind = (hq_col_kind)k, .fact = -1};
            continue;
        }
        int f = KINDS[im->kind].facts ? cells_find_fact(im->c, h) : -1;
        if (f < 0) {
            diag_add(im->d, where, "列「%s」不是 %s 数据的列，也不是规则库声明的事实%s", h, KINDS[im->kind].name,
                     KINDS[im->kind].facts ? "" : "");
            ok = false;
            continue;
        }
        for (size_t p = 0; p < c; p++)
            if (im->cols[p].kind == COL_FACT && im->cols[p].fact == f) {
                diag_add(im->d, where, "列「%s」与「%s」是同一事实 %s", h, im->t.head[p], im->c->facts[f]->name);
                ok = false;
            }
        im->cols[c] = (column){.kind = COL_FACT, .fact = f};
        if (im->kind == K_ENTITIES && im->c->facts[f]->yearly) {
            diag_add(im->d, where, "列「%s」是按年度的数据 %s，须随年度导入（tax、stats 或 projects）", h, im->c->facts[f]->name);
            ok = false;
        }
    }
    for (int k = 0; k < COL__FIXED; k++)
        if ((KINDS[im->kind].required >> k & 1) && im->fixed[k] < 0) {
            diag_add(im->d, where, "缺少必需的列「%s」(%s)", cells_fixed_zh((hq_col_kind)k), cells_fixed_en((hq_col_kind)k));
            ok = false;
        }
    if (im->kind == K_AWARDS && im->fixed[COL_ITEM] < 0 && im->fixed[COL_PROJECT] < 0) {
        diag_add(im->d, where, "缺少「条款」(item) 或「项目」(project) 列");
        ok = false;
    }
    return ok;
}

/* ---- values ----------------------------------------------------------------------------- */

static const char *norm_date(import *im, const char *s)
{
    return cells_norm_date(im->ar, s);
}

static bool future(const import *im, const char *date)
{
    return strcmp(date, im->today) > 0;
}

/* A fact value in the canonical JSON text the store keeps, or NULL with the error reported. */
static const char *fact_value(import *im, size_t row, int col, const hq_fact *f, const char *v)
{
    char why[640];
    const char *canon = cells_fact_value(im->c, f, v, im->today, im->ar, why, sizeof why);
    if (!canon) err(im, row, col, "%s", why);
    return canon;
}

static bool year_value(import *im, size_t row, int col, int *year)
{
    char why[128];
    if (cells_year(cell(im, row, col), im->year_now, year, why, sizeof why) == 0) return true;
    err(im, row, col, "%s", why);
    return false;
}

/* ---- pass 1: check every row ------------------------------------------------------------ */

typedef struct {
    const char *key;
    size_t row;
} keyrow;

static int cmp_key(const void *a, const void *b)
{
    const keyrow *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->row > y->row) - (x->row < y->row);
}

/* The key that must be unique within a file, per kind. */
static const char *row_key(import *im, size_t r)
{
    const char *code = cell(im, r, im->fixed[COL_CODE]);
#define C(k) (cell(im, r, im->fixed[k]) ? cell(im, r, im->fixed[k]) : "")
    switch (im->kind) {
    case K_ENTITIES:
    case K_MUJUN: return arena_printf(im->ar, "%s", code);
    case K_CREDIT: return arena_printf(im->ar, "%s|%s", code, C(COL_LIST));
    case K_RECOGNITIONS:
        return arena_printf(im->ar, "%s|%s|%s|%s|%s|%s", code, C(COL_RECOG), C(COL_LEVEL), C(COL_GRADE), C(COL_DATE), C(COL_SUBJECT));
    case K_AWARDS: return arena_printf(im->ar, "%s|%s|%s|%s|%s", code, C(COL_ITEM), C(COL_PROJECT), C(COL_YEAR), C(COL_LEVEL));
    default: return arena_printf(im->ar, "%s|%s", code, C(COL_YEAR));
    }
#undef C
}

static void check_duplicates(import *im)
{
    size_t n = im->t.nrows;
    keyrow *k = arena_alloc(im->ar, sizeof *k * (n + 1));
    if (!k) return;
    size_t m = 0;
    for (size_t r = 0; r < n; r++)
        if (cell(im, r, im->fixed[COL_CODE])) k[m++] = (keyrow){row_key(im, r), r};
    qsort(k, m, sizeof *k, cmp_key);
    for (size_t i = 1; i < m; i++)
        if (!strcmp(k[i].key, k[i - 1].key)) {
            if (im->t.json) err(im, k[i].row, -1, "与 $[%zu] 重复（%s）", k[i - 1].row, k[i].key);
            else err(im, k[i].row, -1, "与第 %d 行重复（%s）", im->t.line[k[i - 1].row], k[i].key);
        }
}

static void check_recognition(import *im, size_t r)
{
    const char *name = cell(im, r, im->fixed[COL_RECOG]), *level = cell(im, r, im->fixed[COL_LEVEL]),
               *grade = cell(im, r, im->fixed[COL_GRADE]), *date = cell(im, r, im->fixed[COL_DATE]);
    int ri = name ? corpus_find_recognition(im->c, name) : -1;
    if (ri < 0) {
        err(im, r, im->fixed[COL_RECOG], "「%s」不是规则库声明的认定", name ? name : "");
        return;
    }
    const hq_recognition *rec = im->c->recognitions[ri];
    if (rec->levels_enum >= 0 && (!level || enum_value(im->c->enums[rec->levels_enum], level) <= 0))
        err(im, r, im->fixed[COL_LEVEL], "「%s」不是 %s 的级别（%s）", level ? level : "", name, im->c->enums[rec->levels_enum]->name);
    if (rec->levels_enum < 0 && level) err(im, r, im->fixed[COL_LEVEL], "%s 不分级别", name);
    if (rec->grades_enum >= 0 && grade && enum_value(im->c->enums[rec->grades_enum], grade) <= 0)
        err(im, r, im->fixed[COL_GRADE], "「%s」不是 %s 的等次", grade, name);
    if (rec->grades_enum < 0 && grade) err(im, r, im->fixed[COL_GRADE], "%s 不分等次", name);
    const char *subject = cell(im, r, im->fixed[COL_SUBJECT]);
    const char *se = subject ? entity_check_subject(subject) : NULL;
    if (se) err(im, r, im->fixed[COL_SUBJECT], "「%s」不是有效的认定对象名称（%s）", subject, se);
    const char *d = date ? norm_date(im, date) : NULL;
    if (!d) err(im, r, im->fixed[COL_DATE], "「%s」不是日期（应为 YYYY-MM-DD）", date ? date : "");
    else if (future(im, d)) err(im, r, im->fixed[COL_DATE], "日期 %s 晚于今天 %s", d, im->today);
    else if (!canon_put(im, im->fixed[COL_DATE], d)) err(im, r, -1, "内存不足");
}

static void check_award(import *im, size_t r)
{
    const char *item = cell(im, r, im->fixed[COL_ITEM]), *level = cell(im, r, im->fixed[COL_LEVEL]),
               *form = cell(im, r, im->fixed[COL_FORM]), *basis = cell(im, r, im->fixed[COL_BASIS]),
               *amount = cell(im, r, im->fixed[COL_AMOUNT]);
    const hq_item *it = item ? corpus_find_item(im->c, item) : NULL;
    if (item && !it) err(im, r, im->fixed[COL_ITEM], "「%s」不是规则库中的条款", item);
    const char *part = cell(im, r, im->fixed[COL_PART]);
    bool part_ok = false;
    for (int p = 0; part && it && it->has_parts && p < it->nparts; p++) part_ok |= !strcmp(it->parts[p].label, part);
    if (part && !part_ok) err(im, r, im->fixed[COL_PART], "「%s」不是该条款的奖补部分", part);
    const char *project = cell(im, r, im->fixed[COL_PROJECT]);
    if (!item && !project) err(im, r, -1, "须有条款或项目");
    if (project && strlen(project) >= HQ_KEY_MAX)
        err(im, r, im->fixed[COL_PROJECT], "项目名称过长（不超过 %d 字节）", HQ_KEY_MAX - 1);
    if (level && strcmp(level, "市") && strcmp(level, "区")) err(im, r, im->fixed[COL_LEVEL], "「%s」：级别为 市 或 区", level);
    if (form && strcmp(form, "现金") && strcmp(form, "服务券")) err(im, r, im->fixed[COL_FORM], "「%s」：形式为 现金 或 服务券", form);
    if (basis && basis_parse(basis) == BASIS_NONE)
        err(im, r, im->fixed[COL_BASIS], "「%s」：依据须为 %s", basis, basis_names_text());
    int y;
    if (im->fixed[COL_DATA_YEAR] >= 0 && cell(im, r, im->fixed[COL_DATA_YEAR])) year_value(im, r, im->fixed[COL_DATA_YEAR], &y);
    hq_fixed x;
    const char *e = !amount ? "必填" : strchr(amount, ',') ? "不要使用千位分隔符" : fixed_parse(amount, strlen(amount), 2, &x);
    if (!e && x < 0) e = "金额不能为负 (negative amount)";
    if (e) err(im, r, im->fixed[COL_AMOUNT], "「%s」：%s", amount ? amount : "", e);
}

static void check_rows(import *im)
{
    const hq_corpus *c = im->c;
    for (size_t r = 0; r < im->t.nrows; r++) {
        tick(im, r);
        im->canon_at[r] = im->ncanon;
        const char *code = cell(im, r, im->fixed[COL_CODE]);
        char expected = 0;
        const char *e = code ? uscc_check(code, &expected) : "必填";
        if (e) {
            if (expected) err(im, r, im->fixed[COL_CODE], "「%s」：%s（校验位应为「%c」）", code, e, expected);
            else err(im, r, im->fixed[COL_CODE], "「%s」：%s", code ? code : "", e);
            continue;
        }
        int64_t id = 0;
        int found = store_entity_find(im->s, code, &id);
        if (found < 0) {
            diag_add(im->d, im->file, "%s", store_error(im->s));
            return;
        }
        im->entity[r] = found == 0 ? id : 0;
        if (im->kind != K_ENTITIES && found == 1)
            err(im, r, im->fixed[COL_CODE], "%s 未在企业名录中登记，请先导入企业名录", code);
        if (im->kind == K_ENTITIES && !cell(im, r, im->fixed[COL_NAME])) err(im, r, im->fixed[COL_NAME], "企业名称不能为空");
        int year = 0;
        if (im->fixed[COL_YEAR] >= 0 && (im->kind != K_MUJUN || cell(im, r, im->fixed[COL_YEAR])))
            year_value(im, r, im->fixed[COL_YEAR], &year);
        if (im->kind == K_RECOGNITIONS) check_recognition(im, r);
        if (im->kind == K_AWARDS) check_award(im, r);
        if (im->kind == K_CREDIT) {
            const char *list = cell(im, r, im->fixed[COL_LIST]);
            if (corpus_find_list(c, list ? list : "严重失信名单") < 0)
                err(im, r, im->fixed[COL_LIST], "「%s」不是规则库声明的名单", list ? list : "严重失信名单");
        }
        for (size_t col = 0; col < im->t.ncols; col++) {
            const char *v = cell(im, r, (int)col);
            if (im->cols[col].kind != COL_FACT || !v) continue;
            const hq_fact *f = c->facts[im->cols[col].fact];
            const char *canon = fact_value(im, r, (int)col, f, v);
            if (canon && !canon_put(im, (int)col, canon)) err(im, r, -1, "内存不足");
        }
    }
    im->canon_at[im->t.nrows] = im->ncanon;
    check_duplicates(im);
}

/* ---- pass 2: write ---------------------------------------------------------------------- */

static int64_t money_fen(const char *s)
{
    hq_fixed x = 0;
    fixed_parse(s, strlen(s), 2, &x);
    return fixed_to_fen(x);
}

static int write_rows(import *im, int64_t import_id, hq_import_result *res)
{
    hq_store *s = im->s;
    for (size_t r = 0; r < im->t.nrows; r++) {
        tick(im, im->t.nrows + r);
        const char *code = cell(im, r, im->fixed[COL_CODE]);
        int line = im->t.line[r];
        int64_t id = im->entity[r];
        if (im->kind == K_ENTITIES) {
            if (store_entity_put(s, code, cell(im, r, im->fixed[COL_NAME]), import_id, line, &id)) return -1;
            res->entities++;
        }
        int year = 0;
        const char *ys = cell(im, r, im->fixed[COL_YEAR]);
        if (ys && im->kind != K_AWARDS) year = atoi(ys);
        for (size_t i = im->canon_at[r]; i < im->canon_at[r + 1]; i++) {
            const int col = im->canon[i].col;
            const char *v = im->canon[i].value;
            if (im->cols[col].kind != COL_FACT) continue;
            const hq_fact *f = im->c->facts[im->cols[col].fact];
            if (store_fact_put(s, id, f->name, f->yearly ? year : 0, v, import_id, line)) return -1;
            res->facts++;
        }
        if (im->kind == K_MUJUN) {
            if (store_fact_put(s, id, "mujun_rated", 0, "true", import_id, line)) return -1;
            res->facts++;
        }
        if (im->kind == K_CREDIT) {
            const char *list = cell(im, r, im->fixed[COL_LIST]);
            if (store_list_put(s, id, list ? list : "严重失信名单", import_id, line)) return -1;
            res->lists++;
        }
        if (im->kind == K_RECOGNITIONS) {
            const char *level = cell(im, r, im->fixed[COL_LEVEL]), *grade = cell(im, r, im->fixed[COL_GRADE]);
            const char *subject = cell(im, r, im->fixed[COL_SUBJECT]);
            if (store_recognition_put(s, id, cell(im, r, im->fixed[COL_RECOG]), level ? level : "", grade ? grade : "",
                                      canon_get(im, r, im->fixed[COL_DATE]), subject ? subject : "",
                                      import_id, line))
                return -1;
            res->recognitions++;
        }
        if (im->kind == K_AWARDS) {
            hq_past_rec p = {0};
            const char *item = cell(im, r, im->fixed[COL_ITEM]), *project = cell(im, r, im->fixed[COL_PROJECT]);
            const hq_item *it = item ? corpus_find_item(im->c, item) : NULL;
            snprintf(p.item, sizeof p.item, "%s", item ? item : "");
            const char *part = cell(im, r, im->fixed[COL_PART]);
            snprintf(p.part, sizeof p.part, "%s", part ? part : "");
            snprintf(p.project, sizeof p.project, "%s", project ? project : it && it->terms.project ? it->terms.project : "");
            const char *basis = cell(im, r, im->fixed[COL_BASIS]);
            snprintf(p.basis, sizeof p.basis, "%s", basis ? basis : it ? basis_name(it->terms.basis) : "");
            p.year = atoi(cell(im, r, im->fixed[COL_YEAR]));
            const char *dy = cell(im, r, im->fixed[COL_DATA_YEAR]);
            p.data_year = dy ? atoi(dy) : p.year;
            const char *level = cell(im, r, im->fixed[COL_LEVEL]), *form = cell(im, r, im->fixed[COL_FORM]),
                       *note = cell(im, r, im->fixed[COL_NOTE]);
            snprintf(p.level, sizeof p.level, "%s", level ? level : "市");
            snprintf(p.form, sizeof p.form, "%s", form ? form : it && it->voucher ? "服务券" : "现金");
            snprintf(p.note, sizeof p.note, "%s", note ? note : "");
            p.amount_fen = money_fen(cell(im, r, im->fixed[COL_AMOUNT]));
            if (store_past_award_put(s, id, &p, import_id, line)) return -1;
            res->awards++;
        }
    }
    if (im->kind == K_MUJUN && store_fact_fill(s, "mujun_rated", 0, "false", import_id)) return -1;
    if (im->kind == K_CREDIT) {
        for (int l = 0; l < im->c->nlists; l++)
            if (store_list_replace(s, im->c->lists[l]->name, import_id)) return -1;
        if (store_meta_set(s, "lists_imported", "1")) return -1;
    }
    if (im->kind == K_RECOGNITIONS && store_meta_set(s, "recognitions_imported", "1")) return -1;
    return 0;
}

/* ---- the whole import ------------------------------------------------------------------- */

int ledger_import(hq_store *s, const hq_corpus *c, const hq_import_opts *o, hq_import_result *res, hq_diag *diag)
{
    memset(res, 0, sizeof *res);
    hq_strbuf sb;
    sb_init(&sb, IMPORT_MAX_BYTES);
    if (sb_read_file(&sb, o->path)) {
        diag_add(diag, o->path, "无法读取文件%s", sb.overflow ? "（超过 256 MiB）" : "");
        sb_free(&sb);
        return 1;
    }
    const char *base = strrchr(o->path, '/');
    base = base ? base + 1 : o->path;
    int rc = ledger_import_buffer(s, c, o->kind, base, sb.data ? sb.data : "", sb.len, o->actor, NULL, res, diag);
    sb_free(&sb);
    return rc;
}

int ledger_import_buffer(hq_store *s, const hq_corpus *c, const char *kind_name, const char *base, const char *data, size_t len,
                         const char *actor, hq_progress *bar, hq_import_result *res, hq_diag *diag)
{
    memset(res, 0, sizeof *res);
    int kind = kind_of(kind_name);
    if (kind < 0) {
        diag_add(diag, kind_name, "未知的数据类型（%s）", import_kinds_text());
        return 1;
    }
    if (len > IMPORT_MAX_BYTES) {
        diag_add(diag, base, "文件超过 256 MiB");
        return 1;
    }
    hq_import_rec rec = {0};
    hq_sha256_hex(data, len, rec.sha256);
    snprintf(rec.kind, sizeof rec.kind, "%s", kind_name);
    snprintf(rec.file, sizeof rec.file, "%s", base);
    snprintf(rec.actor, sizeof rec.actor, "%s", actor);
    clock_now(rec.at, sizeof rec.at);
    import im = {.c = c, .s = s, .d = diag, .file = base, .kind = (kind_id)kind, .bar = bar};
    im.year_now = clock_today(im.today, sizeof im.today);
    im.ar = arena_new(IMPORT_MAX_BYTES * 8);
    int rc = 1;
    if (!im.ar) {
        diag_add(diag, base, "内存不足");
        return -1;
    }
    if (store_begin_bulk(s)) {
        diag_add(diag, "store", "%s", store_error(s));
        rc = -1;
        goto done;
    }
    int64_t prior;
    int found = store_import_find(s, rec.kind, rec.sha256, &prior);
    if (found == 0) {
        res->duplicate = true;
        res->import_id = prior;
        rc = 0;
        goto rollback; /* nothing to write */
    }
    size_t n = strlen(base);
    bool json = n > 5 && !strcmp(base + n - 5, ".json");
    bool ok = json ? from_json(data, len, im.ar, &im.t, base, diag)
                   : from_csv(data, len, im.ar, &im.t, rec.encoding, sizeof rec.encoding, base, diag);
    if (json) snprintf(rec.encoding, sizeof rec.encoding, "UTF-8");
    if (!ok || !resolve_columns(&im)) goto rollback;
    im.canon_at = arena_alloc(im.ar, sizeof *im.canon_at * (im.t.nrows + 1));
    im.entity = arena_alloc(im.ar, sizeof *im.entity * (im.t.nrows + 1));
    if (!im.canon_at || !im.entity) {
        diag_add(diag, base, "文件过大，无法一次导入");
        goto rollback;
    }
    int before = diag->count;
    check_rows(&im);
    if (diag->count != before) goto rollback;
    if (im.t.nrows == 0 && im.kind != K_CREDIT) { /* an empty 严重失信名单 is a list: nobody is on it */
        diag_add(diag, base, "没有数据行");
        goto rollback;
    }
    rec.rows = (int)im.t.nrows;
    res->rows = rec.rows;
    snprintf(res->encoding, sizeof res->encoding, "%s", rec.encoding);
    char object[48];
    json_t *after = NULL;
    if (store_import_add(s, &rec) || write_rows(&im, rec.id, res) ||
        (snprintf(object, sizeof object, "import#%lld", (long long)rec.id),
         after = json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:i, s:i, s:i}", "kind", rec.kind, "file", rec.file, "sha256",
                           rec.sha256, "encoding", rec.encoding, "rows", rec.rows, "entities", res->entities, "facts",
                           res->facts, "recognitions", res->recognitions, "awards", res->awards),
         audit_log(s, actor, "import", object, NULL, after)) ||
        store_commit(s)) {
        json_decref(after);
        diag_add(diag, "store", "%s", store_error(s));
        rc = -1;
        goto rollback;
    }
    json_decref(after);
    if (bar) progress_finish(bar, (long long)im.t.nrows);
    res->import_id = rec.id;
    rc = 0;
    goto done;
rollback:
    store_rollback(s);
done:
    csv_free(im.t.csv);
    free(im.canon);
    arena_free(im.ar);
    return rc;
}
