/*
 * CSV reader; see csv.h for the format, the limits and the error locations.
 *
 * A parse runs in three steps. Decoding finds UTF-8 text: the input itself when it is valid
 * UTF-8, or a GB18030→UTF-8 conversion made with iconv. A checking pass then reads the
 * whole text once, reporting every error and counting rows and bytes of field text but
 * keeping nothing except the header names. Only when that pass found nothing wrong is the
 * arena made, sized exactly from those counts, and a filling pass copies the fields into
 * it. Both passes share one field reader, so they cannot disagree about where a field ends;
 * the filling pass also bounds every write by the space left, so it stays in bounds even
 * if they did.
 *
 * Storage: all field text in one block, each field NUL-terminated; a (rows + 1) × columns
 * table of 32-bit offsets into it, row 0 being the header; and the start line of each row.
 * Offsets instead of pointers halve the index of a file of short fields.
 */
#include "io/csv.h"

#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Chunk rounding the arena may add to the exact sizes (four allocations, 64 KiB chunks). */
enum { CSV_ARENA_SLACK = 4 * (64 * 1024 + 16) };
/* Bytes of a column name quoted in a message, so one message stays short. */
enum { CSV_NAME_SHOWN = 60 };

/* How the field reader's caller learns what ended a field. */
typedef enum {
    CSV_END_COMMA, /* another field of the same row follows */
    CSV_END_LINE,  /* the row ended at a line break */
    CSV_END_FILE,  /* the row ended at the end of the text */
    CSV_END_FATAL, /* unterminated quote: nothing after it can be trusted */
} csv_end;

typedef struct {
    const char *s;      /* decoded UTF-8 text, byte-order mark skipped */
    size_t n, pos;      /* length, and where reading is */
    int line;           /* line of s[pos], 1-based */
    size_t blank_until; /* s[pos..blank_until) is blank lines known to be followed by data */
    hq_csv_limits lim;
    hq_diag *diag;
    int errors;   /* reported by this parse (the diag may hold others) */
    bool stopped; /* a fatal error or the error cap ended reading */
} csv_reader;

typedef struct {
    char *name;
    int line;
} csv_name;

const char *csv_encoding_name(hq_csv_encoding e)
{
    switch (e) {
    case HQ_CSV_UTF8: return "UTF-8";
    case HQ_CSV_UTF8_BOM: return "UTF-8 with BOM";
    case HQ_CSV_GB18030: return "GB18030";
    }
    return "?";
}

static hq_csv_limits csv_limits_resolve(const hq_csv_limits *in)
{
    hq_csv_limits l = in ? *in : (hq_csv_limits){0};
    if (l.max_input_bytes == 0) l.max_input_bytes = HQ_CSV_DEFAULT_INPUT_BYTES;
    if (l.max_input_bytes > HQ_CSV_INPUT_CEILING) l.max_input_bytes = HQ_CSV_INPUT_CEILING;
    if (l.max_field_bytes == 0) l.max_field_bytes = HQ_CSV_DEFAULT_FIELD_BYTES;
    if (l.max_columns == 0) l.max_columns = HQ_CSV_DEFAULT_COLUMNS;
    if (l.max_rows == 0) l.max_rows = HQ_CSV_DEFAULT_ROWS;
    if (l.max_errors <= 0) l.max_errors = HQ_CSV_DEFAULT_ERRORS;
    if (l.first_line <= 0) l.first_line = 1;
    return l;
}

/* Report one error at "line L, field F" (or "line L" when field is 0). Once max_errors
 * have been reported, one more entry says so and reading stops. */
__attribute__((format(printf, 4, 5)))
static void csv_error(csv_reader *r, int line, size_t field, const char *fmt, ...)
{
    if (r->stopped) return;
    char where[64], msg[512];
    if (field) snprintf(where, sizeof where, "line %d, field %zu", line, field);
    else snprintf(where, sizeof where, "line %d", line);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* The position is in `where` for tools; the message repeats it for the person reading. */
    if (field) diag_add(r->diag, where, "第%d行第%zu列：%s", line, field, msg);
    else diag_add(r->diag, where, "第%d行：%s", line, msg);
    if (++r->errors >= r->lim.max_errors) {
        diag_add(r->diag, where, "错误过多，在第%d处错误后停止读取", r->errors);
        r->stopped = true;
    }
}

/* Length of the longest valid UTF-8 prefix of s[0..n), n when all of it is valid. Valid
 * means RFC 3629: shortest form only, no surrogates, nothing above U+10FFFF. */
static size_t csv_utf8_prefix(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t more;
        unsigned lo = 0x80, hi = 0xBF; /* range of the second byte */
        if (c >= 0xC2 && c <= 0xDF) more = 1;
        else if (c == 0xE0) more = 2, lo = 0xA0;
        else if (c == 0xED) more = 2, hi = 0x9F;
        else if (c >= 0xE1 && c <= 0xEF) more = 2;
        else if (c == 0xF0) more = 3, lo = 0x90;
        else if (c == 0xF4) more = 3, hi = 0x8F;
        else if (c >= 0xF1 && c <= 0xF3) more = 3;
        else return i;
        if (n - i <= more || s[i + 1] < lo || s[i + 1] > hi) return i;
        for (size_t k = 2; k <= more; k++)
            if ((s[i + k] & 0xC0) != 0x80) return i;
        i += more + 1;
    }
    return n;
}

/* Line (1-based) of byte `off` of the raw input. Counting raw bytes is right for GBK too:
 * no GBK or GB18030 multi-byte character contains the byte 0x0A. */
static int csv_line_of(const csv_reader *r, const char *data, size_t off)
{
    int line = r->lim.first_line;
    for (const char *p = data, *end = data + off; (p = memchr(p, '\n', (size_t)(end - p))); p++) line++;
    return line;
}

/* Decode GB18030 into *out (malloc'd, *outlen bytes). Returns 0; or -1 with *bad set to
 * the offset of the first byte that is not GB18030; or -2 when iconv cannot convert at all
 * (errno set). */
static int csv_gb18030_decode(const char *in, size_t n, char **out, size_t *outlen, size_t *bad)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1) return -2;
    /* Two GB18030 bytes give at most three of UTF-8, four at most four. */
    size_t cap = n + n / 2 + 4;
    char *buf = malloc(cap);
    if (!buf) {
        iconv_close(cd);
        errno = ENOMEM;
        return -2;
    }
    char *ip = (char *)in, *op = buf;
    size_t il = n, ol = cap;
    size_t rc = iconv(cd, &ip, &il, &op, &ol);
    int err = errno;
    iconv_close(cd);
    if (rc == (size_t)-1) {
        free(buf);
        if (err != EILSEQ && err != EINVAL) {
            errno = err;
            return -2;
        }
        *bad = (size_t)(ip - in); /* EINVAL: a character cut off by the end of the file */
        return -1;
    }
    *out = buf;
    *outlen = (size_t)(op - buf);
    return 0;
}

/* Point r->s at the UTF-8 text of the input: the input itself, or a conversion returned in
 * *owned for the caller to free. Returns false after reporting why there is none. */
/* The tail is the start of a multi-byte UTF-8 character that the input ends before
 * finishing: a lead byte and fewer continuation bytes than it announces. */
static bool csv_utf8_cut_short(const unsigned char *t, size_t n)
{
    if (n == 0 || n > 3) return false;
    size_t need = t[0] >= 0xC2 && t[0] <= 0xDF ? 2 : t[0] >= 0xE0 && t[0] <= 0xEF ? 3 : t[0] >= 0xF0 && t[0] <= 0xF4 ? 4 : 0;
    if (need == 0 || n >= need) return false;
    for (size_t i = 1; i < n; i++)
        if ((t[i] & 0xC0) != 0x80) return false;
    return true;
}

static bool csv_decode(csv_reader *r, const char *data, size_t len, hq_csv_encoding *enc, char **owned)
{
    const unsigned char *u = (const unsigned char *)data;
    *owned = NULL;
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        csv_error(r, 1, 0, "不支持 UTF-16 编码（请将表格另存为“CSV UTF-8”或“CSV”）");
        return false;
    }
    if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        /* A byte-order mark declares UTF-8; guessing another encoding would contradict it. */
        size_t ok = 3 + csv_utf8_prefix(u + 3, len - 3);
        if (ok < len) {
            csv_error(r, csv_line_of(r, data, ok), 0,
                      "文件以 UTF-8 字节顺序标记开头，但内容不是合法的 UTF-8 文字"
                      "（字节 0x%02X，偏移 %zu）", u[ok], ok);
            return false;
        }
        *enc = HQ_CSV_UTF8_BOM;
        r->s = data + 3;
        r->n = len - 3;
        return true;
    }
    size_t utf8_ok = csv_utf8_prefix(u, len);
    if (utf8_ok == len) {
        *enc = HQ_CSV_UTF8;
        r->s = data;
        r->n = len;
        return true;
    }
    if (csv_utf8_cut_short(u + utf8_ok, len - utf8_ok)) {
        /* Valid UTF-8 up to a character the file ends inside: a cut-off upload, not GBK
         * (decoding it as GBK would "succeed" and import garbled names). */
        csv_error(r, csv_line_of(r, data, utf8_ok), 0,
                  "文件在一个 UTF-8 字符中间被截断（最后一个字节 0x%02X，偏移 %zu）", u[len - 1],
                  len - 1);
        return false;
    }
    char *out = NULL;
    size_t outlen = 0, gb_ok = 0;
    int rc = csv_gb18030_decode(data, len, &out, &outlen, &gb_ok);
    if (rc == -2) {
        csv_error(r, csv_line_of(r, data, utf8_ok), 0, "不是合法的 UTF-8 文字，且无法按 GB18030 解码：%s",
                  HQ_ERRNO_ZH(errno));
        return false;
    }
    if (rc == -1) {
        /* Name the failure of whichever decoding got further: a UTF-8 file with one stray
         * byte fails GBK decoding early, a GBK file fails UTF-8 decoding at its first
         * Chinese character, and the real culprit is where the likelier one gave up. */
        size_t at = utf8_ok > gb_ok ? utf8_ok : gb_ok;
        csv_error(r, csv_line_of(r, data, at), 0, "不是合法的 UTF-8 或 GBK 文字（字节 0x%02X，偏移 %zu）", u[at], at);
        return false;
    }
    *enc = HQ_CSV_GB18030;
    *owned = out;
    r->s = out;
    r->n = outlen;
    if (outlen >= 3 && memcmp(out, "\xEF\xBB\xBF", 3) == 0) { /* GB18030's own mark, 84 31 95 33 */
        r->s += 3;
        r->n -= 3;
    }
    return true;
}

/* True when nothing but blank lines (LF or CRLF) is left, which is how a file may end. The
 * end of a run of blank lines found followed by data is remembered, so a long run in the
 * middle of a file is scanned once, not once per line. */
static bool csv_only_blank_left(csv_reader *r)
{
    if (r->pos < r->blank_until) return false;
    const char *s = r->s;
    size_t i = r->pos;
    for (;;) {
        if (i < r->n && s[i] == '\n') i++;
        else if (i + 1 < r->n && s[i] == '\r' && s[i + 1] == '\n') i += 2;
        else break;
    }
    if (i >= r->n) return true;
    r->blank_until = i;
    return false;
}

/* Read the field that starts at r->pos, number `field` (1-based) of its row, and leave
 * r->pos after the comma or line break that ends it. Its unquoted bytes go to out[0..room)
 * when out is not NULL; *len gets its full unquoted length even when that is more.
 *
 *   field   = quoted | plain
 *   quoted  = '"' { any byte but '"' | '""' } '"'
 *   plain   = { any byte but ',' '"' LF, nor CR before LF }
 */
static csv_end csv_read_field(csv_reader *r, size_t field, char *out, size_t room, size_t *len)
{
    const char *s = r->s;
    size_t n = r->n, i = r->pos, k = 0;
    int start_line = r->line, nul_line = 0;
#define CSV_PUT(c) do { if (out && k < room) out[k] = (c); k++; } while (0)
    if (i < n && s[i] == '"') {
        for (i++;; i++) {
            if (i >= n) {
                csv_error(r, start_line, field, "引号未闭合（文件可能被截断）");
                r->stopped = true;
                r->pos = n;
                return CSV_END_FATAL;
            }
            char c = s[i];
            if (c == '"') {
                if (i + 1 < n && s[i + 1] == '"') {
                    CSV_PUT('"');
                    i++;
                    continue;
                }
                i++;
                break;
            }
            if (c == '\n') r->line++;
            if (c == '\0' && !nul_line) nul_line = r->line;
            CSV_PUT(c);
        }
        bool at_end = i >= n || s[i] == ',' || s[i] == '\n' || (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n');
        if (!at_end) {
            csv_error(r, r->line, field,
                      "右引号后还有文字（引号内的引号须写两次）");
            while (i < n && s[i] != ',' && s[i] != '\n') i++;
        }
    } else {
        bool quote = false;
        for (; i < n && s[i] != ',' && s[i] != '\n'; i++) {
            if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n') break;
            if (s[i] == '"') quote = true;
            if (s[i] == '\0' && !nul_line) nul_line = r->line;
            CSV_PUT(s[i]);
        }
        if (quote)
            csv_error(r, start_line, field,
                      "未加引号的字段中有引号（请给字段加引号，并把其中的引号写两次）");
    }
#undef CSV_PUT
    if (nul_line) csv_error(r, nul_line, field, "字段中有空字符");
    if (k > r->lim.max_field_bytes)
        csv_error(r, start_line, field, "字段超过上限 %zu 字节", r->lim.max_field_bytes);
    *len = k;
    csv_end end;
    if (i >= n) {
        end = CSV_END_FILE;
    } else if (s[i] == ',') {
        i++;
        end = CSV_END_COMMA;
    } else {
        i += s[i] == '\r' ? 2 : 1;
        r->line++;
        end = CSV_END_LINE;
    }
    r->pos = i;
    return end;
}

/* Header rules: every column named, no name twice. Names are compared exactly, as
 * csv_column() will look them up, and pairwise: max_columns keeps that cheap. */
static void csv_check_names(csv_reader *r, const csv_name *names, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (!names[i].name[0]) {
            csv_error(r, names[i].line, i + 1, "列名为空");
            continue;
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp(names[i].name, names[j].name) != 0) continue;
            /* Clip at a character boundary so the message stays valid UTF-8. */
            size_t shown = strlen(names[i].name);
            if (shown > CSV_NAME_SHOWN) {
                shown = CSV_NAME_SHOWN;
                while (shown > 0 && ((unsigned char)names[i].name[shown] & 0xC0) == 0x80) shown--;
            }
            csv_error(r, names[i].line, i + 1, "列名「%.*s%s」重复（与第%zu列相同）", (int)shown,
                      names[i].name, names[i].name[shown] ? "..." : "", j + 1);
            break;
        }
    }
}

/* The checking pass: read everything, report every error, count data rows, columns and
 * bytes of field text (NULs included). Returns false when anything was wrong. */
static bool csv_check(csv_reader *r, size_t *nrows, size_t *ncols, size_t *text_bytes)
{
    if (csv_only_blank_left(r)) {
        csv_error(r, 1, 0, "文件为空：应有表头行");
        return false;
    }
    /* Size by the text as well as the limits: no field is longer than the text and no
     * row has more fields than it has bytes, however generous the caller's limits. */
    const size_t field_max = r->lim.max_field_bytes;
    size_t scratch_size = field_max < r->n ? field_max : r->n;
    size_t names_max = r->lim.max_columns < r->n + 1 ? r->lim.max_columns : r->n + 1;
    char *scratch = malloc(scratch_size);
    csv_name *names = NULL;
    size_t cols = 0, names_cap = 0, rows = 0, bytes = 0, len;
    csv_end end = CSV_END_LINE;
    if (!scratch) {
        csv_error(r, 1, 0, "读取表头时内存不足");
        r->stopped = true;
    }
    while (!r->stopped) {
        if (cols == names_max) {
            csv_error(r, r->line, cols + 1, "超过%zu列", r->lim.max_columns);
            r->stopped = true;
            break;
        }
        if (cols == names_cap) {
            size_t cap = names_cap ? names_cap * 2 : 32;
            if (cap > names_max) cap = names_max;
            csv_name *grown = realloc(names, cap * sizeof *names);
            if (!grown) {
                csv_error(r, r->line, cols + 1, "读取表头时内存不足");
                r->stopped = true;
                break;
            }
            names = grown;
            names_cap = cap;
        }
        int line = r->line;
        end = csv_read_field(r, cols + 1, scratch, scratch_size, &len);
        if (end == CSV_END_FATAL) break;
        size_t kept = len < scratch_size ? len : scratch_size;
        names[cols].name = strndup(scratch, kept);
        names[cols].line = line;
        if (!names[cols].name) {
            csv_error(r, line, cols + 1, "读取表头时内存不足");
            r->stopped = true;
            break;
        }
        cols++;
        bytes += kept + 1;
        if (end != CSV_END_COMMA) break;
    }
    if (!r->stopped) csv_check_names(r, names, cols);
    for (size_t i = 0; i < cols; i++) free(names[i].name);
    free(names);
    free(scratch);

    while (!r->stopped && !csv_only_blank_left(r)) {
        int row_line = r->line;
        if (rows == r->lim.max_rows) {
            csv_error(r, row_line, 0, "数据行超过%zu行", r->lim.max_rows);
            r->stopped = true;
            break;
        }
        size_t f = 0;
        do {
            end = csv_read_field(r, ++f, NULL, 0, &len);
            if (f <= cols) bytes += len + 1;
        } while (end == CSV_END_COMMA);
        if (end == CSV_END_FATAL) break;
        if (f != cols)
            csv_error(r, row_line, (f < cols ? f : cols) + 1, "该行有%zu个字段，表头有%zu列", f, cols);
        rows++;
    }
    *nrows = rows;
    *ncols = cols;
    *text_bytes = bytes;
    return r->errors == 0 && !r->stopped;
}

/* The filling pass over text the checking pass accepted: header and rows go into the
 * table's storage. Returns false only if the passes disagree, which would be a bug. */
static bool csv_fill(csv_reader *r, char *text, size_t text_bytes, uint32_t *off, int *line, size_t nrows,
                     size_t ncols)
{
    size_t at = 0, cell = 0, len;
    for (size_t row = 0; row <= nrows; row++) {
        line[row] = r->line;
        size_t f = 0;
        csv_end end;
        do {
            if (++f > ncols || at >= text_bytes) return false;
            off[cell++] = (uint32_t)at;
            end = csv_read_field(r, f, text + at, text_bytes - at - 1, &len);
            if (len >= text_bytes - at) return false;
            at += len;
            text[at++] = '\0';
        } while (end == CSV_END_COMMA);
        if (f != ncols || end == CSV_END_FATAL) return false;
    }
    return at == text_bytes && r->errors == 0;
}

/* Check the decoded text in r, then build the table in an arena sized for it. Returns
 * the table, or NULL after reporting why. */
static hq_csv *csv_build(csv_reader *r, hq_csv_encoding enc)
{
    size_t nrows, ncols, text_bytes;
    if (!csv_check(r, &nrows, &ncols, &text_bytes)) return NULL;
    size_t cells = nrows + 1; /* at most max_rows + 1, and ncols at most the text length */
    if (text_bytes > UINT32_MAX || ncols > (SIZE_MAX / sizeof(uint32_t)) / cells) {
        csv_error(r, 1, 0, "文件过大，无法建立索引");
        return NULL;
    }
    cells *= ncols;
    size_t need = sizeof(hq_csv) + text_bytes + cells * sizeof(uint32_t) + (nrows + 1) * sizeof(int);
    hq_arena *a = arena_new(need + CSV_ARENA_SLACK);
    hq_csv *t = a ? arena_alloc(a, sizeof *t) : NULL;
    char *text = t ? arena_alloc(a, text_bytes) : NULL;
    uint32_t *off = text ? arena_alloc(a, cells * sizeof *off) : NULL;
    int *line = off ? arena_alloc(a, (nrows + 1) * sizeof *line) : NULL;
    if (!line) {
        arena_free(a);
        csv_error(r, 1, 0, "内存不足（%zu行×%zu列）", nrows, ncols);
        return NULL;
    }
    r->pos = 0;
    r->line = r->lim.first_line;
    r->blank_until = 0;
    if (!csv_fill(r, text, text_bytes, off, line, nrows, ncols)) {
        arena_free(a);
        csv_error(r, 1, 0, "内部错误：两遍读取结果不一致");
        return NULL;
    }
    *t = (hq_csv){.encoding = enc, .nrows = nrows, .ncols = ncols, .arena = a, .text = text, .off = off,
                  .line = line};
    return t;
}

hq_csv *csv_parse(const char *data, size_t len, const hq_csv_limits *lim, hq_diag *diag)
{
    csv_reader r = {.lim = csv_limits_resolve(lim), .diag = diag};
    r.line = r.lim.first_line;
    if (len > r.lim.max_input_bytes) {
        csv_error(&r, csv_line_of(&r, data, r.lim.max_input_bytes), 0,
                  "文件超过上限 %zu 字节，在此行超出（共 %zu 字节）",
                  r.lim.max_input_bytes, len);
        return NULL;
    }
    hq_csv_encoding enc;
    char *owned;
    if (!csv_decode(&r, data, len, &enc, &owned)) return NULL;
    hq_csv *t = csv_build(&r, enc);
    free(owned);
    return t;
}

void csv_free(hq_csv *t)
{
    if (t) arena_free(t->arena); /* t itself lives in the arena */
}

size_t csv_rows(const hq_csv *t)
{
    return t->nrows;
}

size_t csv_columns(const hq_csv *t)
{
    return t->ncols;
}

const char *csv_header(const hq_csv *t, size_t col)
{
    return col < t->ncols ? t->text + t->off[col] : NULL;
}

const char *csv_field(const hq_csv *t, size_t row, size_t col)
{
    if (row >= t->nrows || col >= t->ncols) return NULL;
    return t->text + t->off[(row + 1) * t->ncols + col];
}

int csv_row_line(const hq_csv *t, size_t row)
{
    return row < t->nrows ? t->line[row + 1] : 0;
}

int csv_column(const hq_csv *t, const char *name)
{
    for (size_t c = 0; c < t->ncols; c++)
        if (strcmp(t->text + t->off[c], name) == 0) return (int)c;
    return -1;
}
