/*
 * One CSV table of entities for the batch evaluator (entity_sheet.h). The header is
 * resolved once per file; each entity's rows are then checked cell by cell with the
 * importer's own rules and collected as fact rows, in the canonical text the ledger would
 * have stored, so that loading them is the ledger's load.
 */
#include "ledger/entity_sheet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts/uscc.h"
#include "io/sheet.h"
#include "ledger/cells.h"
#include "ledger/clock.h"

enum { SHEET_ALLOWED = 1u << COL_CODE | 1u << COL_NAME | 1u << COL_YEAR | 1u << COL_LIST, SHEET_ROWS_MAX = 64 };

struct hq_entity_sheet {
    const hq_corpus *c;
    char file[256];
    int ncols;
    int fixed[COL__FIXED];   /* column of each fixed column, or -1 */
    int *fact;               /* per column: the corpus fact, or -1 for a fixed column */
    char today[16];
    int year_now;
};

hq_entity_sheet *entity_sheet_new(const hq_corpus *c, const hq_csv *t, const char *file, hq_diag *d)
{
    hq_entity_sheet *s = calloc(1, sizeof *s);
    int n = (int)csv_columns(t);
    if (!s || !(s->fact = malloc(sizeof *s->fact * (size_t)(n + 1)))) {
        free(s);
        diag_add(d, file, "内存不足");
        return NULL;
    }
    s->c = c;
    s->ncols = n;
    snprintf(s->file, sizeof s->file, "%s", file);
    s->year_now = clock_today(s->today, sizeof s->today);
    for (int k = 0; k < COL__FIXED; k++) s->fixed[k] = -1;
    char where[300];
    snprintf(where, sizeof where, "%s:1", file);
    bool ok = true;
    for (int col = 0; col < n; col++) {
        const char *h = csv_header(t, (size_t)col);
        int k = cells_fixed_column(h, SHEET_ALLOWED);
        s->fact[col] = k >= 0 ? -1 : cells_find_fact(c, h);
        if (k >= 0) {
            if (s->fixed[k] >= 0) {
                diag_add(d, where, "列「%s」与「%s」重复", h, csv_header(t, (size_t)s->fixed[k]));
                ok = false;
            }
            s->fixed[k] = col;
        } else if (s->fact[col] < 0) {
            diag_add(d, where, "列「%s」既不是统一社会信用代码、企业名称、年度、名单，也不是规则库声明的事实", h);
            ok = false;
        } else {
            for (int p = 0; p < col; p++)
                if (s->fact[p] == s->fact[col]) {
                    diag_add(d, where, "列「%s」与「%s」是同一事实 %s", h, csv_header(t, (size_t)p), c->facts[s->fact[col]]->name);
                    ok = false;
                }
        }
    }
    if (s->fixed[COL_CODE] < 0) {
        diag_add(d, where, "缺少必需的列「%s」(%s)", cells_fixed_zh(COL_CODE), cells_fixed_en(COL_CODE));
        ok = false;
    }
    if (!ok) {
        entity_sheet_free(s);
        return NULL;
    }
    return s;
}

void entity_sheet_free(hq_entity_sheet *s)
{
    if (!s) return;
    free(s->fact);
    free(s);
}

const char *entity_sheet_code(const hq_entity_sheet *s, const hq_csv *t, size_t row)
{
    const char *v = csv_field(t, row, (size_t)s->fixed[COL_CODE]);
    return v ? v : "";
}

size_t entity_sheet_group_end(const hq_entity_sheet *s, const hq_csv *t, size_t lo)
{
    const char *code = entity_sheet_code(s, t, lo);
    size_t hi = lo + 1;
    while (hi < csv_rows(t) && !strcmp(entity_sheet_code(s, t, hi), code)) hi++;
    return hi;
}

static void complain(const hq_entity_sheet *s, const hq_csv *t, size_t row, int col, hq_diag *d, const char *msg)
{
    sheet_complain(d, s->file, false, row, csv_row_line(t, row), col >= 0 ? csv_header(t, (size_t)col) : NULL, col, msg);
}

static const char *cell(const hq_csv *t, size_t row, int col)
{
    const char *v = col >= 0 ? csv_field(t, row, (size_t)col) : NULL;
    return v && *v ? v : NULL;
}

/* Is fact `f` of `year` among the first n rows already? */
static bool seen(const hq_fact_row *rows, int n, const char *name, int year)
{
    for (int i = 0; i < n; i++)
        if (rows[i].year == year && rows[i].name == name) return true; /* names are the corpus's own strings */
    return false;
}

/* The year of row r (0 when the sheet or the cell has none); -1 after complaining. */
static int row_year(const hq_entity_sheet *s, const hq_csv *t, size_t r, hq_diag *d)
{
    const char *v = cell(t, r, s->fixed[COL_YEAR]);
    if (!v) return 0;
    char why[128];
    int y;
    if (cells_year(v, s->year_now, &y, why, sizeof why) == 0) return y;
    complain(s, t, r, s->fixed[COL_YEAR], d, why);
    return -1;
}

/* The facts of row r appended to rows[*n]. */
static void row_facts(const hq_entity_sheet *s, const hq_csv *t, size_t r, int year, hq_arena *ar, hq_fact_row *rows, int *n,
                      hq_diag *d)
{
    char why[640];
    for (int col = 0; col < s->ncols; col++) {
        const char *v = s->fact[col] >= 0 ? cell(t, r, col) : NULL;
        if (!v) continue;
        const hq_fact *f = s->c->facts[s->fact[col]];
        if (f->yearly && year <= 0) {
            if (year == 0) complain(s, t, r, col, d, "按年度的数据须在有「年度」的行中给出");
            continue;
        }
        int y = f->yearly ? year : 0;
        const char *canon = cells_fact_value(s->c, f, v, s->today, ar, why, sizeof why);
        if (!canon) {
            complain(s, t, r, col, d, why);
        } else if (seen(rows, *n, f->name, y)) {
            snprintf(why, sizeof why, "同一企业%s的「%s」已在前面的行中给出", f->yearly ? "同一年度" : "", csv_header(t, (size_t)col));
            complain(s, t, r, col, d, why);
        } else {
            rows[(*n)++] = (hq_fact_row){.name = f->name, .year = y, .value = canon, .fact = s->fact[col] + 1};
        }
    }
}

/* The 名单 cell of row r, added to lists[*n] unless already there. */
static void row_list(const hq_entity_sheet *s, const hq_csv *t, size_t r, const char **lists, int *n, hq_diag *d)
{
    const char *v = cell(t, r, s->fixed[COL_LIST]);
    if (!v) return;
    if (corpus_find_list(s->c, v) < 0) {
        char why[320];
        snprintf(why, sizeof why, "「%s」不是规则库声明的名单", v);
        complain(s, t, r, s->fixed[COL_LIST], d, why);
        return;
    }
    for (int i = 0; i < *n; i++)
        if (!strcmp(lists[i], v)) return;
    lists[(*n)++] = v;
}

int entity_sheet_rows(const hq_entity_sheet *s, const hq_csv *t, size_t lo, size_t hi, hq_arena *ar, hq_entity_rows *e,
                      hq_diag *d)
{
    int before = d->count;
    const char *code = entity_sheet_code(s, t, lo);
    char expected = 0, why[320];
    const char *bad = *code ? uscc_check(code, &expected) : "必填";
    if (bad) {
        if (expected) snprintf(why, sizeof why, "「%s」：%s（校验位应为「%c」）", code, bad, expected);
        else snprintf(why, sizeof why, "「%s」：%s", code, bad);
        complain(s, t, lo, s->fixed[COL_CODE], d, why);
        return -1;
    }
    if (hi - lo > SHEET_ROWS_MAX) {
        snprintf(why, sizeof why, "同一企业有 %zu 行，超过 %d 行的上限", hi - lo, SHEET_ROWS_MAX);
        complain(s, t, lo, s->fixed[COL_CODE], d, why);
        return -1;
    }
    size_t most = (hi - lo) * (size_t)s->ncols;
    hq_fact_row *rows = arena_alloc(ar, sizeof *rows * (most + 1));
    const char **lists = arena_alloc(ar, sizeof *lists * (hi - lo + 1));
    if (!rows || !lists) {
        complain(s, t, lo, -1, d, "内存不足");
        return -1;
    }
    int nrows = 0, nlists = 0;
    const char *name = NULL;
    for (size_t r = lo; r < hi; r++) {
        int year = row_year(s, t, r, d);
        row_facts(s, t, r, year, ar, rows, &nrows, d);
        row_list(s, t, r, lists, &nlists, d);
        if (!name) name = cell(t, r, s->fixed[COL_NAME]);
    }
    if (d->count != before) return -1;
    *e = (hq_entity_rows){.credit_code = code, .name = name ? name : "", .facts = rows, .nfacts = nrows,
                          .lists = lists, .nlists = nlists, .lists_known = s->fixed[COL_LIST] >= 0};
    return 0;
}
