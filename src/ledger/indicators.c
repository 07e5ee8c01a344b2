/*
 * Importing indicator observations; the columns and guarantees are in indicators.h.
 *
 * One pass checks every row and keeps its canonical values; a second, reached only when
 * there was no error, writes them. Both run inside one transaction, begun before the
 * duplicate-file test so that two imports of the same file cannot both pass it.
 */
#include "ledger/indicators.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/calendar.h"
#include "base/fixed.h"
#include "base/sha256.h"
#include "io/csv.h"
#include "io/sheet.h"
#include "ledger/audit.h"
#include "ledger/clock.h"

#define OBS_MAX_BYTES ((size_t)64 << 20)
#define CITY "温州市"

typedef enum { C_PLAN, C_IND, C_AREA, C_PERIOD, C_VALUE, C_SOURCE, C_PUBLISHED, C_NOTE, C__COUNT } col_id;

static const struct {
    const char *en, *zh;
    bool required;
} COLS[C__COUNT] = {
    [C_PLAN] = {"plan", "规划", true},
    [C_IND] = {"indicator", "指标", true},
    [C_AREA] = {"area", "地区", false},
    [C_PERIOD] = {"period", "期间", true},
    [C_VALUE] = {"value", "数值", true},
    [C_SOURCE] = {"source", "来源", true},
    [C_PUBLISHED] = {"published", "发布日期", true},
    [C_NOTE] = {"note", "备注", false},
};

/* Both formats become this: a header and rows of strings (NULL = empty). */
typedef struct {
    size_t ncols, nrows;
    const char **head;
    const char **cell;      /* nrows × ncols */
    int *line;              /* CSV: the file line; JSON: the array index + 1 */
    bool json;
} grid;

typedef struct {
    const hq_plan *plan;
    const plan_indicator *ind;
    hq_obs_rec rec;
    char *key;              /* plan \x1f indicator \x1f area \x1f period */
    size_t row;
} obs_row;

typedef struct {
    const char *file;
    hq_diag *d;
    grid g;
    int col[C__COUNT];      /* the file's column of each, or -1 */
} obs_import;

const hq_plan *plans_find(const hq_plan *const *plans, int nplans, const char *id)
{
    for (int i = 0; id && i < nplans; i++)
        if (plans[i]->kind == PLAN_KIND_PLAN && plans[i]->id && !strcmp(plans[i]->id, id)) return plans[i];
    return NULL;
}

bool obs_period_parse(const char *s, int *year, int *month)
{
    if (!s || strlen(s) < 4) return false;
    for (int i = 0; i < 4; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    int y = atoi(s), m = 12;
    const char *r = s + 4;
    if (*r == 0) {
    } else if (r[0] == '-' && r[1] >= '0' && r[1] <= '1' && r[2] >= '0' && r[2] <= '9' && r[3] == 0) {
        m = (r[1] - '0') * 10 + (r[2] - '0');
        if (m < 1 || m > 12) return false;
    } else if (r[0] == 'Q' && r[1] >= '1' && r[1] <= '4' && r[2] == 0) {
        m = 3 * (r[1] - '0');
    } else {
        return false;
    }
    *year = y;
    *month = m;
    return true;
}

static void err(obs_import *im, size_t row, int col, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void err(obs_import *im, size_t row, int col, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sheet_complain(im->d, im->file, im->g.json, row, im->g.line[row], col >= 0 ? im->g.head[col] : NULL, col, msg);
}

static const char *cell(const obs_import *im, size_t row, col_id c)
{
    int k = im->col[c];
    if (k < 0) return NULL;
    const char *v = im->g.cell[row * im->g.ncols + (size_t)k];
    return v && *v ? v : NULL;
}

static bool read_csv(obs_import *im, hq_arena *ar, const char *data, size_t len, char *enc, size_t encsz)
{
    hq_csv *csv = sheet_parse(data, len, im->file, enc, encsz, im->d);
    if (!csv) return false;
    grid *g = &im->g;
    g->ncols = csv_columns(csv);
    g->nrows = csv_rows(csv);
    g->head = arena_alloc(ar, sizeof *g->head * (g->ncols + 1));
    g->cell = arena_alloc(ar, sizeof *g->cell * (g->ncols * g->nrows + 1));
    g->line = arena_alloc(ar, sizeof *g->line * (g->nrows + 1));
    bool ok = g->head && g->cell && g->line;
    for (size_t c = 0; ok && c < g->ncols; c++) g->head[c] = arena_strdup(ar, csv_header(csv, c));
    for (size_t r = 0; ok && r < g->nrows; r++) {
        g->line[r] = csv_row_line(csv, r);
        for (size_t c = 0; c < g->ncols; c++) g->cell[r * g->ncols + c] = arena_strdup(ar, csv_field(csv, r, c));
    }
    csv_free(csv);
    if (!ok) diag_add(im->d, im->file, "文件过大，无法一次导入");
    return ok;
}

/* An array of flat objects; numbers must be written as strings or whole numbers (a JSON
 * floating-point number is not exact). */
static bool read_json(obs_import *im, hq_arena *ar, const char *data, size_t len)
{
    json_error_t e;
    json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &e);
    if (!root) {
        char where[320];
        snprintf(where, sizeof where, "%s:%d:%d", im->file, e.line, e.column);
        diag_add(im->d, where, "JSON 有误：%s", e.text);
        return false;
    }
    grid *g = &im->g;
    g->json = true;
    if (!json_is_array(root)) {
        diag_add(im->d, im->file, "应为 JSON 数组，每行一个对象");
        json_decref(root);
        return false;
    }
    size_t n = json_array_size(root), i;
    json_t *row;
    g->head = arena_alloc(ar, sizeof *g->head * 64);
    bool ok = g->head != NULL;
    json_array_foreach(root, i, row) {
        const char *k;
        json_t *v;
        if (!json_is_object(row)) continue;
        json_object_foreach(row, k, v) {
            size_t c;
            for (c = 0; c < g->ncols; c++)
                if (!strcmp(g->head[c], k)) break;
            if (c < g->ncols) continue;
            if (g->ncols == 64) {
                diag_add(im->d, im->file, "不同的键超过64个，不是按行排列的表");
                json_decref(root);
                return false;
            }
            g->head[g->ncols++] = arena_strdup(ar, k);
        }
    }
    g->nrows = n;
    g->cell = arena_alloc(ar, sizeof *g->cell * (g->ncols * n + 1));
    g->line = arena_alloc(ar, sizeof *g->line * (n + 1));
    ok = ok && g->cell && g->line;
    json_array_foreach(root, i, row) {
        if (!ok) break;
        g->line[i] = (int)i + 1;
        if (!json_is_object(row)) {
            err(im, i, -1, "应为对象");
            continue;
        }
        for (size_t c = 0; c < g->ncols; c++) {
            json_t *v = json_object_get(row, g->head[c]);
            char buf[32];
            const char *s = NULL;
            if (!v || json_is_null(v)) s = NULL;
            else if (json_is_string(v)) s = json_string_value(v);
            else if (json_is_integer(v)) s = (snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v)), buf);
            else {
                err(im, i, (int)c, "%s", json_is_real(v) ? "浮点数不精确：请把数值写成字符串，如 \"6871.5\"" : "应为文字或整数");
                continue;
            }
            g->cell[i * g->ncols + c] = s ? arena_strdup(ar, s) : NULL;
        }
    }
    json_decref(root);
    return ok;
}

static bool resolve_columns(obs_import *im)
{
    int before = im->d->count;
    for (int c = 0; c < C__COUNT; c++) im->col[c] = -1;
    for (size_t k = 0; k < im->g.ncols; k++) {
        const char *h = im->g.head[k];
        int c;
        for (c = 0; c < C__COUNT; c++)
            if (!strcmp(h, COLS[c].en) || !strcmp(h, COLS[c].zh)) break;
        char where[320];
        if (im->g.json) snprintf(where, sizeof where, "%s", im->file);
        else snprintf(where, sizeof where, "%s:1", im->file);
        if (c == C__COUNT) {
            diag_add(im->d, where, "第1行第%zu列「%s」：不是指标数据的列（规划、指标、地区、期间、数值、来源、发布日期、备注）", k + 1, h);
        } else if (im->col[c] >= 0) {
            diag_add(im->d, where, "第1行第%zu列「%s」：与第%d列重复", k + 1, h, im->col[c] + 1);
        } else {
            im->col[c] = (int)k;
        }
    }
    for (int c = 0; c < C__COUNT; c++)
        if (COLS[c].required && im->col[c] < 0) diag_add(im->d, im->file, "缺少列「%s」（%s）", COLS[c].zh, COLS[c].en);
    return im->d->count == before;
}

static int cmp_key(const void *a, const void *b)
{
    const obs_row *x = *(obs_row *const *)a, *y = *(obs_row *const *)b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->row > y->row) - (x->row < y->row);
}

static void check_row(obs_import *im, const hq_plan *const *plans, int nplans, const char *today, size_t r, obs_row *o,
                      hq_arena *ar)
{
    o->row = r;
    const char *plan = cell(im, r, C_PLAN), *ind = cell(im, r, C_IND), *area = cell(im, r, C_AREA),
               *period = cell(im, r, C_PERIOD), *value = cell(im, r, C_VALUE), *source = cell(im, r, C_SOURCE),
               *published = cell(im, r, C_PUBLISHED), *note = cell(im, r, C_NOTE);
    if (!plan) err(im, r, im->col[C_PLAN], "缺少规划（shisiwu 或 zaixian）");
    else if (!(o->plan = plans_find(plans, nplans, plan))) err(im, r, im->col[C_PLAN], "没有规划「%s」", plan);
    if (!ind) err(im, r, im->col[C_IND], "缺少指标编号");
    else if (o->plan && !(o->ind = plan_find_indicator(o->plan, ind)))
        err(im, r, im->col[C_IND], "规划 %s 没有指标「%s」", o->plan->id, ind);
    if (!area) area = CITY;
    if (o->plan && !o->plan->nareas && strcmp(area, CITY))
        err(im, r, im->col[C_AREA], "规划 %s 只有全市的指标，地区应为温州市，不是「%s」", o->plan->id, area);
    else if (o->plan && o->plan->nareas && plan_area_index(o->plan, area) < 0)
        err(im, r, im->col[C_AREA], "规划 %s 没有地区「%s」", o->plan->id, area);
    int year, month;
    if (!period) err(im, r, im->col[C_PERIOD], "缺少期间");
    else if (!obs_period_parse(period, &year, &month))
        err(im, r, im->col[C_PERIOD], "期间「%s」应为年（2021）、月（2021-06）或季度（2021Q2）", period);
    else if (o->plan && (year < o->plan->base_year || year > o->plan->target_year))
        err(im, r, im->col[C_PERIOD], "期间 %s 不在规划 %s 的年度 %d–%d 之内", period, o->plan->id, o->plan->base_year,
            o->plan->target_year);
    hq_fixed v = 0;
    const char *why;
    if (!value) err(im, r, im->col[C_VALUE], "缺少数值");
    else if ((why = fixed_parse(value, strlen(value), 6, &v)))
        err(im, r, im->col[C_VALUE], "「%s」不是精确的十进制数（至多 6 位小数，不带单位或千分位）：%s", value, why);
    if (!source) err(im, r, im->col[C_SOURCE], "缺少来源（公报或部门）");
    else if (strlen(source) >= sizeof o->rec.source) err(im, r, im->col[C_SOURCE], "来源过长（至多 %zu 字节）", sizeof o->rec.source - 1);
    if (!published) err(im, r, im->col[C_PUBLISHED], "缺少发布日期");
    else if (strlen(published) != 10 || !cal_valid_text(published))
        err(im, r, im->col[C_PUBLISHED], "「%s」不是日期（YYYY-MM-DD）", published);
    else if (strcmp(published, today) > 0) err(im, r, im->col[C_PUBLISHED], "发布日期 %s 晚于今天（%s）", published, today);
    if (note && strlen(note) >= sizeof o->rec.note) err(im, r, im->col[C_NOTE], "备注过长（至多 %zu 字节）", sizeof o->rec.note - 1);
    if (!o->plan || !o->ind || !period || !value || !source || !published) return;
    hq_obs_rec *x = &o->rec;
    snprintf(x->plan, sizeof x->plan, "%s", o->plan->id);
    snprintf(x->indicator, sizeof x->indicator, "%s", o->ind->id);
    snprintf(x->area, sizeof x->area, "%s", area);
    snprintf(x->period, sizeof x->period, "%s", period);
    fixed_format_short(v, false, x->value, sizeof x->value); /* canonical: "6871.50" → "6871.5" */
    snprintf(x->source, sizeof x->source, "%s", source);
    snprintf(x->published, sizeof x->published, "%s", published);
    snprintf(x->note, sizeof x->note, "%s", note ? note : "");
    x->row = im->g.line[r];
    o->key = arena_printf(ar, "%s\x1f%s\x1f%s\x1f%s", x->plan, x->indicator, x->area, x->period);
}

typedef struct {
    obs_row **sorted;
    size_t n;
    int replaced;
} existing_ctx;

static int count_existing(const hq_obs_rec *e, void *ud)
{
    existing_ctx *x = ud;
    char key[256];
    snprintf(key, sizeof key, "%s\x1f%s\x1f%s\x1f%s", e->plan, e->indicator, e->area, e->period);
    size_t lo = 0, hi = x->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(x->sorted[mid]->key, key);
        if (c == 0) {
            x->replaced++;
            break;
        }
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return 0;
}

int indicator_import_buffer(hq_store *s, const hq_plan *const *plans, int nplans, const char *name, const char *data,
                            size_t len, const char *actor, hq_obs_import_result *res, hq_diag *d)
{
    memset(res, 0, sizeof *res);
    if (len > OBS_MAX_BYTES) {
        diag_add(d, name, "文件超过 64 MiB");
        return 1;
    }
    if (nplans <= 0) {
        diag_add(d, name, "没有载入规划文件（plans/），无法核对指标");
        return -1;
    }
    hq_import_rec rec = {0};
    hq_sha256_hex(data, len, rec.sha256);
    snprintf(rec.kind, sizeof rec.kind, "indicators");
    snprintf(rec.file, sizeof rec.file, "%s", name);
    snprintf(rec.actor, sizeof rec.actor, "%s", actor);
    clock_now(rec.at, sizeof rec.at);
    char today[16];
    clock_today(today, sizeof today);
    obs_import im = {.file = name, .d = d};
    hq_arena *ar = arena_new(OBS_MAX_BYTES * 8);
    if (!ar) {
        diag_add(d, name, "内存不足");
        return -1;
    }
    int rc = 1;
    if (store_begin(s)) {
        diag_add(d, "store", "%s", store_error(s));
        arena_free(ar);
        return -1;
    }
    int64_t prior;
    int found = store_import_find(s, rec.kind, rec.sha256, &prior);
    if (found < 0) {
        diag_add(d, "store", "%s", store_error(s));
        rc = -1;
        goto rollback;
    }
    if (found == 0) {
        res->duplicate = true;
        res->import_id = prior;
        rc = 0;
        goto rollback;
    }
    size_t n = strlen(name);
    bool json = n > 5 && !strcmp(name + n - 5, ".json");
    bool ok = json ? read_json(&im, ar, data, len) : read_csv(&im, ar, data, len, rec.encoding, sizeof rec.encoding);
    if (json) snprintf(rec.encoding, sizeof rec.encoding, "UTF-8");
    if (!ok || d->count || !resolve_columns(&im)) goto rollback;
    if (im.g.nrows == 0) {
        diag_add(d, name, "没有数据行");
        goto rollback;
    }
    obs_row *rows = arena_alloc(ar, sizeof *rows * im.g.nrows);
    obs_row **sorted = arena_alloc(ar, sizeof *sorted * im.g.nrows);
    if (!rows || !sorted) {
        diag_add(d, name, "文件过大，无法一次导入");
        goto rollback;
    }
    memset(rows, 0, sizeof *rows * im.g.nrows);
    size_t nk = 0;
    for (size_t r = 0; r < im.g.nrows; r++) {
        check_row(&im, plans, nplans, today, r, &rows[r], ar);
        if (rows[r].key) sorted[nk++] = &rows[r];
    }
    /* The same key twice in one file is a mistake, not a revision: which one was meant? */
    qsort(sorted, nk, sizeof *sorted, cmp_key);
    for (size_t i = 1; i < nk; i++)
        if (!strcmp(sorted[i]->key, sorted[i - 1]->key))
            err(&im, sorted[i]->row, im.col[C_PERIOD], "与第%d行重复（同一规划、指标、地区、期间）", im.g.line[sorted[i - 1]->row]);
    if (d->count) goto rollback;
    /* How many rows revise a stored value: said in the result, so that a re-import shows it. */
    existing_ctx ex = {sorted, nk, 0};
    for (int p = 0; p < nplans; p++) {
        bool used = false;
        for (size_t r = 0; r < nk && !used; r++) used = rows[r].plan == plans[p];
        if (used && store_obs_list(s, plans[p]->id, NULL, count_existing, &ex)) goto store_failed;
    }
    rec.rows = (int)im.g.nrows;
    if (store_import_add(s, &rec)) goto store_failed;
    for (size_t r = 0; r < im.g.nrows; r++) {
        rows[r].rec.import_id = rec.id;
        if (store_obs_put(s, &rows[r].rec)) goto store_failed;
    }
    char object[48];
    snprintf(object, sizeof object, "import#%lld", (long long)rec.id);
    json_t *after = json_pack("{s:s, s:s, s:s, s:s, s:i, s:i}", "kind", rec.kind, "file", rec.file, "sha256", rec.sha256,
                              "encoding", rec.encoding, "rows", rec.rows, "replaced", ex.replaced);
    int bad = audit_log(s, actor, "import", object, NULL, after);
    json_decref(after);
    if (bad || store_commit(s)) goto store_failed;
    res->import_id = rec.id;
    res->rows = rec.rows;
    res->replaced = ex.replaced;
    snprintf(res->encoding, sizeof res->encoding, "%s", rec.encoding);
    arena_free(ar);
    return 0;
store_failed:
    diag_add(d, "store", "%s", store_error(s));
    rc = -1;
rollback:
    store_rollback(s);
    arena_free(ar);
    return rc;
}
