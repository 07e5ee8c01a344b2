/*
 * The report table and its three writers; the contract is in table.h.
 *
 * Storage: data rows live in blocks of ROWS_PER_BLOCK taken from the table's arena, so a
 * table never reallocates and table_free() is one arena_free(). A cell is an 8-byte union
 * (int64 or a string in the arena); a per-row uint64 says which cells are set, which is
 * why a table has at most 64 columns. The totals row is kept apart from the data rows.
 *
 * Text is validated as UTF-8 when it enters the table, so the writers can rely on it:
 * a broken byte would otherwise corrupt the XLSX XML or mis-align the terminal table.
 */
#include "io/table.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <xlsxwriter.h>

#include "base/arena.h"

enum { ROWS_PER_BLOCK = 256, MAX_BLOCKS = (HQ_TABLE_MAX_ROWS + ROWS_PER_BLOCK - 1) / ROWS_PER_BLOCK };

typedef union {
    int64_t num;
    const char *text;
} table_cell;

typedef struct {
    uint64_t set[ROWS_PER_BLOCK]; /* bit c: column c of that row has a value */
    table_cell cells[];           /* ROWS_PER_BLOCK × ncols, row-major */
} row_block;

typedef struct {
    const char *header;
    hq_col_kind kind;
    bool summed;
} table_column;

struct hq_table {
    hq_arena *arena;
    const char *title;
    table_column cols[HQ_TABLE_MAX_COLS];
    int ncols, nrows;
    row_block **blocks; /* MAX_BLOCKS pointers, allocated with the first row */
    bool has_total;
    uint64_t total_set;
    table_cell total[HQ_TABLE_MAX_COLS];
    char error[160];
};

/* ---- errors and UTF-8 ---------------------------------------------------------------- */

static int table_fail(hq_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int table_fail(hq_table *t, const char *fmt, ...)
{
    if (!t->error[0]) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(t->error, sizeof t->error, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* Decode one UTF-8 sequence from s[0..n). Returns its length, or 0 when it is malformed:
 * truncated, overlong, a surrogate or beyond U+10FFFF. */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (n == 0) return 0;
    unsigned char c = s[0];
    size_t len;
    uint32_t v, min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xE0) == 0xC0) {
        len = 2, v = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3, v = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        v = v << 6 | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return len;
}

static bool utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    uint32_t cp;
    for (size_t i = 0, k; i < n; i += k)
        if ((k = utf8_decode(p + i, n - i, &cp)) == 0) return false;
    return true;
}

static bool is_control(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp < 0xA0);
}

static int codepoint_width(uint32_t cp)
{
    if (is_control(cp)) return 1;
    if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0xFE00 && cp <= 0xFE0F) ||
        cp == 0xFEFF)
        return 0;
    if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
        (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
        (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD))
        return 2;
    return 1;
}

int table_display_width(const char *utf8)
{
    const unsigned char *p = (const unsigned char *)utf8;
    size_t n = strlen(utf8);
    int w = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = utf8_decode(p + i, n - i, &cp);
        if (k == 0) {
            w++;
            i++;
            continue;
        }
        w += codepoint_width(cp);
        i += k;
    }
    return w;
}

/* Copy checked text into the arena; NULL (with the error recorded) when it is refused. */
static const char *table_keep_text(hq_table *t, const char *s, const char *what)
{
    size_t n = strlen(s);
    if (n > HQ_TABLE_MAX_CELL) {
        table_fail(t, "%s longer than %d bytes", what, HQ_TABLE_MAX_CELL);
        return NULL;
    }
    if (!utf8_valid(s, n)) {
        table_fail(t, "%s is not valid UTF-8", what);
        return NULL;
    }
    const char *copy = arena_strndup(t->arena, s, n);
    if (!copy) table_fail(t, "表格超过 %zu MiB 的上限", HQ_TABLE_MAX_BYTES >> 20);
    return copy;
}

/* ---- building -------------------------------------------------------------------------- */

hq_table *table_new(const char *title)
{
    hq_table *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->arena = arena_new(HQ_TABLE_MAX_BYTES);
    if (!t->arena) {
        free(t);
        return NULL;
    }
    /* A refused title leaves the table in error, so the caller learns of it on writing. */
    const char *kept = table_keep_text(t, title ? title : "", "title");
    t->title = kept ? kept : "";
    return t;
}

void table_free(hq_table *t)
{
    if (!t) return;
    arena_free(t->arena);
    free(t);
}

const char *table_error(const hq_table *t)
{
    return t->error[0] ? t->error : NULL;
}

int table_columns(const hq_table *t)
{
    return t->ncols;
}

int table_rows(const hq_table *t)
{
    return t->nrows;
}

int table_add_column(hq_table *t, const char *header_zh, hq_col_kind kind)
{
    if (t->error[0]) return -1;
    if (t->nrows > 0 || t->has_total) return table_fail(t, "column \"%s\" added after the first row", header_zh);
    if (t->ncols >= HQ_TABLE_MAX_COLS) return table_fail(t, "more than %d columns", HQ_TABLE_MAX_COLS);
    if (kind != HQ_COL_TEXT && kind != HQ_COL_INT && kind != HQ_COL_MONEY_FEN && kind != HQ_COL_RATE)
        return table_fail(t, "column \"%s\" has an unknown kind %d", header_zh, (int)kind);
    const char *h = table_keep_text(t, header_zh, "column header");
    if (!h) return -1;
    t->cols[t->ncols] = (table_column){h, kind, kind == HQ_COL_INT || kind == HQ_COL_MONEY_FEN};
    return t->ncols++;
}

int table_exclude_from_total(hq_table *t, int col)
{
    if (t->error[0]) return -1;
    if (col < 0 || col >= t->ncols) return table_fail(t, "no column %d", col);
    t->cols[col].summed = false;
    return 0;
}

static table_cell *cell_at(const hq_table *t, int row, int col)
{
    row_block *b = t->blocks[row / ROWS_PER_BLOCK];
    return &b->cells[(size_t)(row % ROWS_PER_BLOCK) * (size_t)t->ncols + (size_t)col];
}

static uint64_t *set_mask(const hq_table *t, int row)
{
    return &t->blocks[row / ROWS_PER_BLOCK]->set[row % ROWS_PER_BLOCK];
}

int table_add_row(hq_table *t)
{
    if (t->error[0]) return -1;
    if (t->has_total) return table_fail(t, "row added after the totals row");
    if (t->nrows >= HQ_TABLE_MAX_ROWS) return table_fail(t, "表格超过 %d 行的上限", HQ_TABLE_MAX_ROWS);
    if (!t->blocks && !(t->blocks = arena_alloc(t->arena, MAX_BLOCKS * sizeof *t->blocks)))
        return table_fail(t, "表格超过 %zu MiB 的上限", HQ_TABLE_MAX_BYTES >> 20);
    int b = t->nrows / ROWS_PER_BLOCK;
    if (!t->blocks[b]) {
        size_t cells = (size_t)ROWS_PER_BLOCK * (size_t)(t->ncols > 0 ? t->ncols : 1);
        t->blocks[b] = arena_alloc(t->arena, sizeof(row_block) + cells * sizeof(table_cell));
        if (!t->blocks[b]) return table_fail(t, "表格超过 %zu MiB 的上限", HQ_TABLE_MAX_BYTES >> 20);
    }
    t->nrows++;
    return 0;
}

/* The cell `col` of the current row, after checking that it may take a `kind` value. */
static table_cell *table_target(hq_table *t, int col, hq_col_kind kind)
{
    static const char *const kind_name[] = {"text", "an integer", "a money amount", "a rate"};
    if (t->error[0]) return NULL;
    if (t->has_total) {
        table_fail(t, "cell set after the totals row");
        return NULL;
    }
    if (t->nrows == 0) {
        table_fail(t, "cell set before table_add_row");
        return NULL;
    }
    if (col < 0 || col >= t->ncols) {
        table_fail(t, "no column %d", col);
        return NULL;
    }
    if (t->cols[col].kind != kind) {
        table_fail(t, "column \"%s\" does not take %s", t->cols[col].header, kind_name[kind]);
        return NULL;
    }
    *set_mask(t, t->nrows - 1) |= UINT64_C(1) << col;
    return cell_at(t, t->nrows - 1, col);
}

int table_set_text(hq_table *t, int col, const char *utf8)
{
    /* Checked before the cell is marked as set, so a refused string leaves no blank mark. */
    if (t->error[0]) return -1;
    const char *s = table_keep_text(t, utf8, "cell text");
    if (!s) return -1;
    table_cell *c = table_target(t, col, HQ_COL_TEXT);
    if (!c) return -1;
    c->text = s;
    return 0;
}

static int table_set_number(hq_table *t, int col, hq_col_kind kind, int64_t v)
{
    table_cell *c = table_target(t, col, kind);
    if (!c) return -1;
    c->num = v;
    return 0;
}

int table_set_int(hq_table *t, int col, int64_t v)
{
    return table_set_number(t, col, HQ_COL_INT, v);
}

int table_set_fen(hq_table *t, int col, int64_t fen)
{
    return table_set_number(t, col, HQ_COL_MONEY_FEN, fen);
}

int table_set_rate(hq_table *t, int col, hq_fixed rate)
{
    return table_set_number(t, col, HQ_COL_RATE, rate);
}

int table_add_total(hq_table *t, const char *label)
{
    if (t->error[0]) return -1;
    if (t->has_total) return table_fail(t, "second totals row");
    table_cell total[HQ_TABLE_MAX_COLS] = {{0}};
    uint64_t set = 0;
    for (int c = 0; c < t->ncols; c++) {
        if (!t->cols[c].summed) continue;
        /* 10^6 rows of int64 need at most 83 bits, so the 128-bit sum cannot wrap; only
         * the final value is checked against int64. */
        __int128 sum = 0;
        for (int r = 0; r < t->nrows; r++)
            if (*set_mask(t, r) >> c & 1) sum += cell_at(t, r, c)->num;
        if (sum > INT64_MAX || sum < INT64_MIN) return table_fail(t, "total of column \"%s\" overflows", t->cols[c].header);
        total[c].num = (int64_t)sum;
        set |= UINT64_C(1) << c;
    }
    for (int c = 0; c < t->ncols; c++) {
        if (t->cols[c].kind != HQ_COL_TEXT) continue;
        const char *s = table_keep_text(t, label ? label : "合计", "totals label");
        if (!s) return -1;
        total[c].text = s;
        set |= UINT64_C(1) << c;
        break;
    }
    memcpy(t->total, total, sizeof total);
    t->total_set = set;
    t->has_total = true;
    return 0;
}

/* Cell (r, c) when it is set; r == nrows reads the totals row. */
static bool row_cell(const hq_table *t, int r, int c, table_cell *out)
{
    if (r == t->nrows) {
        if (!(t->total_set >> c & 1)) return false;
        *out = t->total[c];
        return true;
    }
    if (!(*set_mask(t, r) >> c & 1)) return false;
    *out = *cell_at(t, r, c);
    return true;
}

bool table_get_number(const hq_table *t, int row, int col, int64_t *out)
{
    if (col < 0 || col >= t->ncols || row < 0 || row > t->nrows || (row == t->nrows && !t->has_total)) return false;
    if (t->cols[col].kind == HQ_COL_TEXT) return false;
    table_cell v;
    if (!row_cell(t, row, col, &v)) return false;
    *out = v.num;
    return true;
}

/* ---- rendering cells ------------------------------------------------------------------- */

enum { NUM_BUF = 48 };

/* A rate as a percentage with 2 to 4 decimals, which is exact: the fraction has six
 * decimals, so its percentage has four. Done on the digits, so no multiplication can
 * overflow. */
static void rate_format(hq_fixed rate, char *buf, size_t size)
{
    uint64_t m = rate < 0 ? 0 - (uint64_t)rate : (uint64_t)rate;
    char frac[16];
    snprintf(frac, sizeof frac, "%04u", (unsigned)(m % 10000));
    for (int keep = 4; keep > 2 && frac[keep - 1] == '0'; keep--) frac[keep - 1] = '\0';
    snprintf(buf, size, "%s%" PRIu64 ".%s%%", rate < 0 ? "-" : "", m / 10000, frac);
}

/* 分 as "1,234,567.89" (or "1234567.89"), over the whole int64 range. Not fen_format():
 * it goes through hq_fixed (×10^4 per 分) and overflows above 9.2×10^14 分, which a
 * totals row can reach. */
static void money_format(int64_t fen, bool group, char *buf, size_t size)
{
    uint64_t m = fen < 0 ? 0 - (uint64_t)fen : (uint64_t)fen;
    char digits[24], grouped[32];
    int n = snprintf(digits, sizeof digits, "%" PRIu64, m / 100), o = 0;
    for (int i = 0; i < n; i++) {
        if (group && i > 0 && (n - i) % 3 == 0) grouped[o++] = ',';
        grouped[o++] = digits[i];
    }
    grouped[o] = '\0';
    snprintf(buf, size, "%s%s.%02u", fen < 0 ? "-" : "", grouped, (unsigned)(m % 100));
}

/* The text of cell (r, c) as the text and CSV writers show it ("" when blank); numbers
 * are formatted into `buf`. `group` puts thousands separators in money. */
static const char *cell_string(const hq_table *t, int r, int c, bool group, char buf[NUM_BUF])
{
    table_cell v;
    if (!row_cell(t, r, c, &v)) return "";
    switch (t->cols[c].kind) {
    case HQ_COL_TEXT: return v.text;
    case HQ_COL_INT: snprintf(buf, NUM_BUF, "%" PRId64, v.num); return buf;
    case HQ_COL_MONEY_FEN: money_format(v.num, group, buf, NUM_BUF); return buf;
    case HQ_COL_RATE: rate_format(v.num, buf, NUM_BUF); return buf;
    }
    return "";
}

/* Last row index to write: the totals row when there is one. */
static int last_row(const hq_table *t)
{
    return t->has_total ? t->nrows : t->nrows - 1;
}

/* Display width of each column as the text writer shows it (grouped money). */
static void column_widths(const hq_table *t, int *width)
{
    char buf[NUM_BUF];
    for (int c = 0; c < t->ncols; c++) {
        width[c] = table_display_width(t->cols[c].header);
        for (int r = 0; r <= last_row(t); r++) {
            int w = table_display_width(cell_string(t, r, c, true, buf));
            if (w > width[c]) width[c] = w;
        }
    }
}

/* ---- terminal text --------------------------------------------------------------------- */

/* Padding is held back until something visible follows it, so no line ends in spaces. */
typedef struct {
    FILE *out;
    int pending;
} text_line;

static void text_flush(text_line *l)
{
    for (; l->pending > 0; l->pending--) putc(' ', l->out);
}

/* Control characters become a space: a newline in a cell would break the layout, and an
 * escape sequence from entity data must not reach the user's terminal. */
static void text_put(text_line *l, const char *s)
{
    if (!*s) return;
    text_flush(l);
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = utf8_decode(p + i, n - i, &cp);
        if (k == 0)
            putc('?', l->out), k = 1;
        else if (is_control(cp))
            putc(' ', l->out);
        else
            fwrite(p + i, 1, k, l->out);
        i += k;
    }
}

static void text_end(text_line *l)
{
    l->pending = 0;
    putc('\n', l->out);
}

static void text_cell(text_line *l, const char *s, int width, bool right)
{
    int pad = width - table_display_width(s);
    if (right) l->pending += pad;
    text_put(l, s);
    if (!right) l->pending += pad;
}

/* Dashes, not box-drawing '─': that character is East Asian "ambiguous" and takes two
 * columns in many Chinese terminals, which would break the alignment it is meant to show. */
static void text_rule(text_line *l, const hq_table *t, const int *width)
{
    for (int c = 0; c < t->ncols; c++) {
        if (c > 0) l->pending += 2;
        text_flush(l);
        for (int i = 0; i < width[c]; i++) putc('-', l->out);
    }
    text_end(l);
}

int table_write_text(const hq_table *t, FILE *out)
{
    if (t->error[0]) return -1;
    int width[HQ_TABLE_MAX_COLS];
    column_widths(t, width);
    text_line l = {out, 0};
    if (t->title[0]) {
        text_put(&l, t->title);
        text_end(&l);
    }
    for (int c = 0; c < t->ncols; c++) {
        if (c > 0) l.pending += 2;
        text_cell(&l, t->cols[c].header, width[c], t->cols[c].kind != HQ_COL_TEXT);
    }
    text_end(&l);
    text_rule(&l, t, width);
    char buf[NUM_BUF];
    for (int r = 0; r <= last_row(t); r++) {
        if (r == t->nrows) text_rule(&l, t, width);
        for (int c = 0; c < t->ncols; c++) {
            if (c > 0) l.pending += 2;
            text_cell(&l, cell_string(t, r, c, true, buf), width[c], t->cols[c].kind != HQ_COL_TEXT);
        }
        text_end(&l);
    }
    return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

/* ---- CSV ----------------------------------------------------------------------------- */

/* A text field, quoted when it holds a comma, quote, CR or LF (RFC 4180 §2.6–2.7).
 * Text starting with = + - @ TAB or CR gets a leading apostrophe: Excel would otherwise
 * run it as a formula (CSV injection), and entity names come from outside. Numbers are
 * ours and never need either. */
static void csv_text(FILE *out, const char *s)
{
    bool formula = s[0] && strchr("=+-@\t\r", s[0]);
    bool quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote) putc('"', out);
    if (formula) putc('\'', out);
    for (const char *p = s; *p; p++) {
        if (*p == '"') putc('"', out);
        putc(*p, out);
    }
    if (quote) putc('"', out);
}

/* The BOM is there for Excel: without it, Excel reads a CSV in the system code page
 * (GBK on Chinese Windows) and every Chinese character turns to mojibake. */
int table_write_csv(const hq_table *t, FILE *out)
{
    if (t->error[0]) return -1;
    fputs("\xEF\xBB\xBF", out);
    for (int c = 0; c < t->ncols; c++) {
        if (c > 0) putc(',', out);
        csv_text(out, t->cols[c].header);
    }
    fputs("\r\n", out);
    char buf[NUM_BUF];
    for (int r = 0; r <= last_row(t); r++) {
        for (int c = 0; c < t->ncols; c++) {
            if (c > 0) putc(',', out);
            const char *s = cell_string(t, r, c, false, buf);
            if (t->cols[c].kind == HQ_COL_TEXT)
                csv_text(out, s);
            else
                fputs(s, out);
        }
        fputs("\r\n", out);
    }
    return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

/* ---- XLSX ---------------------------------------------------------------------------- */

void table_xlsx_sheet_name(const char *title, char *buf)
{
    const unsigned char *p = (const unsigned char *)(title ? title : "");
    size_t n = strlen((const char *)p);
    while (n > 0 && p[0] == '\'') p++, n--;
    while (n > 0 && p[n - 1] == '\'') n--;
    size_t o = 0;
    int units = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = utf8_decode(p + i, n - i, &cp);
        if (k == 0) k = 1, cp = '_';
        int u = cp > 0xFFFF ? 2 : 1; /* Excel counts UTF-16 units */
        if (units + u > 31) break;
        if (is_control(cp) || (cp < 0x80 && strchr("[]:*?/\\", (int)cp)))
            buf[o++] = '_';
        else
            memcpy(buf + o, p + i, k), o += k;
        units += u;
        i += k;
    }
    /* Cutting may have exposed an apostrophe at the end. */
    while (o > 0 && buf[o - 1] == '\'') o--;
    buf[o] = '\0';
    if (o == 0) strcpy(buf, "Sheet1");
    else if (o == 7 && strncasecmp(buf, "history", 7) == 0) strcpy(buf + 7, "_");
}

/* Formats a writer needs: one per column kind, plain and bold (totals), and headers. */
typedef struct {
    lxw_format *cell[4][2];
    lxw_format *header[2]; /* left for text columns, right above numbers */
} xlsx_formats;

static bool xlsx_formats_make(lxw_workbook *wb, xlsx_formats *f)
{
    static const char *const num_format[4] = {NULL, "0", "#,##0.00", "0.00%"};
    for (int k = 0; k < 4; k++)
        for (int bold = 0; bold < 2; bold++) {
            lxw_format *fmt = workbook_add_format(wb);
            if (!fmt) return false;
            /* "0" rather than General for integers: General switches to 1.2E+11 in narrow
             * columns. */
            if (num_format[k]) format_set_num_format(fmt, num_format[k]);
            if (bold) format_set_bold(fmt);
            f->cell[k][bold] = fmt;
        }
    for (int right = 0; right < 2; right++) {
        if (!(f->header[right] = workbook_add_format(wb))) return false;
        format_set_bold(f->header[right]);
        format_set_align(f->header[right], right ? LXW_ALIGN_RIGHT : LXW_ALIGN_LEFT);
    }
    return true;
}

/* XML 1.0 cannot carry C0 controls other than TAB, LF and CR; they become spaces.
 * `scratch` holds HQ_TABLE_MAX_CELL + 1 bytes. */
static const char *xlsx_clean(const char *s, char *scratch)
{
    const char *p = s;
    while (*p && ((unsigned char)*p >= 0x20 || *p == '\t' || *p == '\n' || *p == '\r')) p++;
    if (!*p) return s;
    size_t i = 0;
    for (p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        scratch[i++] = (c < 0x20 && c != '\t' && c != '\n' && c != '\r') ? ' ' : (char)c;
    }
    scratch[i] = '\0';
    return scratch;
}

/* Write cell (r, c) of the table to sheet row `xr`. Money goes in as a number so that
 * Excel can sum and sort it: fen / 100.0 is the double nearest the exact amount, and with
 * "#,##0.00" Excel shows exactly that amount for anything under 10^13 元 (15 significant
 * digits). The cell is a display copy; the exact integer 分 stays in the ledger, the CSV
 * and the text output. */
static lxw_error xlsx_cell(const hq_table *t, lxw_worksheet *ws, const xlsx_formats *f, int r, int c,
                           lxw_row_t xr, char *scratch)
{
    table_cell v;
    if (!row_cell(t, r, c, &v)) return LXW_NO_ERROR;
    hq_col_kind kind = t->cols[c].kind;
    lxw_format *fmt = f->cell[kind][r == t->nrows];
    switch (kind) {
    case HQ_COL_TEXT:
        if (!v.text[0]) return LXW_NO_ERROR;
        return worksheet_write_string(ws, xr, (lxw_col_t)c, xlsx_clean(v.text, scratch), fmt);
    case HQ_COL_INT: return worksheet_write_number(ws, xr, (lxw_col_t)c, (double)v.num, fmt);
    case HQ_COL_MONEY_FEN: return worksheet_write_number(ws, xr, (lxw_col_t)c, (double)v.num / 100.0, fmt);
    case HQ_COL_RATE: return worksheet_write_number(ws, xr, (lxw_col_t)c, (double)v.num / 1e6, fmt);
    }
    return LXW_NO_ERROR;
}

static lxw_error xlsx_sheet(const hq_table *t, lxw_workbook *wb, lxw_worksheet *ws, char *scratch)
{
    xlsx_formats f;
    if (!xlsx_formats_make(wb, &f)) return LXW_ERROR_MEMORY_MALLOC_FAILED;

    int width[HQ_TABLE_MAX_COLS];
    column_widths(t, width);
    lxw_error err = LXW_NO_ERROR;
    for (int c = 0; c < t->ncols && !err; c++) {
        /* Excel widths are in digit widths, which a CJK character doubles much as a
         * terminal does; 2 more for the margin and the bold header, 60 at most. */
        int w = width[c] + 2 < 60 ? width[c] + 2 : 60;
        err = worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, w, NULL);
    }
    worksheet_freeze_panes(ws, 1, 0);
    for (int c = 0; c < t->ncols && !err; c++)
        err = worksheet_write_string(ws, 0, (lxw_col_t)c, xlsx_clean(t->cols[c].header, scratch),
                                     f.header[t->cols[c].kind != HQ_COL_TEXT]);
    for (int r = 0; r <= last_row(t) && !err; r++)
        for (int c = 0; c < t->ncols && !err; c++) err = xlsx_cell(t, ws, &f, r, c, (lxw_row_t)r + 1, scratch);
    return err;
}

int table_write_xlsx(const hq_table *t, const char *path, hq_diag *diag)
{
    if (t->error[0]) {
        diag_add(diag, path, "表格未写出：%s", t->error);
        return -1;
    }
    char *scratch = malloc(HQ_TABLE_MAX_CELL + 1);
    /* constant_memory streams each row to a temporary file, so a million-row table costs
     * the writer one row of memory rather than a copy of the whole sheet. */
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE};
    lxw_workbook *wb = scratch ? workbook_new_opt(path, &opt) : NULL;
    if (!wb) {
        free(scratch);
        diag_add(diag, path, "无法创建 Excel 文件：内存不足");
        return -1;
    }
    /* libxlsxwriter copies the properties; the cast only satisfies its non-const field. */
    lxw_doc_properties props = {.title = (char *)t->title};
    lxw_error err = t->title[0] ? workbook_set_properties(wb, &props) : LXW_NO_ERROR;
    char name[HQ_TABLE_SHEET_NAME_SIZE];
    table_xlsx_sheet_name(t->title, name);
    /* The name is already valid, so a refusal means memory or the temporary file. */
    lxw_worksheet *ws = err ? NULL : workbook_add_worksheet(wb, name);
    if (!err && !ws) diag_add(diag, path, "无法在 Excel 文件中添加工作表「%s」", name);
    if (ws) err = xlsx_sheet(t, wb, ws, scratch);
    /* Close even after an error: it is what frees the workbook. */
    lxw_error close_err = workbook_close(wb);
    free(scratch);
    if (!err) err = close_err;
    if (err || !ws) {
        if (err) diag_add(diag, path, "无法写出 Excel 文件（%s）", lxw_strerror(err));
        if (remove(path) != 0 && errno != ENOENT)
            diag_add(diag, path, "无法删除未写完的文件：%s", HQ_ERRNO_ZH(errno));
        return -1;
    }
    return 0;
}
