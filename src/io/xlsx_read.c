/*
 * Excel workbooks to CSV text; the contract, the conversions and the limits are in
 * xlsx_read.h. The parts are read in the order their meaning needs them: the workbook
 * (first sheet, date system), its relationships (the sheet's part name), the shared strings
 * and the styles, then the sheet, which is streamed through expat into CSV rows.
 *
 * XML element and attribute names are compared by their local name: producers other than
 * Excel (WPS, LibreOffice, generators) write the same parts with or without prefixes.
 */
#include "io/xlsx_read.h"

#include <expat.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "base/calendar.h"

enum { XLSX_MAX_COLS = 16384, XLSX_MAX_STRINGS = 4 << 20, XLSX_MAX_STYLES = 65536, XLSX_PATH = 512 };

typedef struct {
    zip_t *zip;
    size_t total;            /* uncompressed bytes read so far */
    const char *file;
    hq_diag *diag;
} book;

/* libzip's reason in Chinese for the messages people read (zip_error_strerror is English). */
static const char *zip_error_zh(zip_error_t *e)
{
    switch (zip_error_code_zip(e)) {
    case ZIP_ER_NOZIP: return "不是 zip 压缩包（.xlsx 文件实为 zip 压缩包）";
    case ZIP_ER_INCONS: return "压缩包结构不一致，文件可能已损坏";
    case ZIP_ER_CRC: return "校验和不符，文件已损坏";
    case ZIP_ER_COMPNOTSUPP: return "使用了不支持的压缩方式";
    case ZIP_ER_ENCRNOTSUPP:
    case ZIP_ER_NOPASSWD:
    case ZIP_ER_WRONGPASSWD: return "工作簿已加密，请另存为不加密的文件";
    case ZIP_ER_MEMORY: return "内存不足";
    case ZIP_ER_READ:
    case ZIP_ER_EOF: return "读取出错，文件可能被截断";
    default: return "压缩包无法读取";
    }
}

static const char *local(const char *name)
{
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

static const char *attr(const char **atts, const char *name)
{
    for (int i = 0; atts[i]; i += 2)
        if (!strcmp(local(atts[i]), name)) return atts[i + 1];
    return NULL;
}

/* A part's bytes into `out`. 1 when the part is absent (and not required), 0 when read,
 * -1 on an error (reported). Sizes are counted as read, not trusted from the directory. */
static int part_read(book *b, const char *name, bool required, hq_strbuf *out)
{
    zip_int64_t idx = zip_name_locate(b->zip, name, 0);
    if (idx < 0) {
        if (!required) return 1;
        diag_add(b->diag, b->file, "不是有效的 Excel 工作簿：缺少 %s", name);
        return -1;
    }
    zip_file_t *f = zip_fopen_index(b->zip, (zip_uint64_t)idx, 0);
    if (!f) {
        diag_add(b->diag, b->file, "无法读取工作簿中的 %s：%s", name, zip_error_zh(zip_get_error(b->zip)));
        return -1;
    }
    sb_init(out, XLSX_MAX_PART);
    char buf[65536];
    zip_int64_t n;
    int rc = 0;
    while ((n = zip_fread(f, buf, sizeof buf)) > 0) {
        b->total += (size_t)n;
        if (b->total > XLSX_MAX_TOTAL) {
            diag_add(b->diag, b->file, "工作簿解压后超过 %zu MiB 的上限", XLSX_MAX_TOTAL >> 20);
            rc = -1;
            break;
        }
        sb_append(out, buf, (size_t)n);
        if (!sb_ok(out)) {
            diag_add(b->diag, b->file, "工作簿中的 %s 解压后超过 %zu MiB 的上限", name, XLSX_MAX_PART >> 20);
            rc = -1;
            break;
        }
    }
    if (n < 0) {
        diag_add(b->diag, b->file, "工作簿中的 %s 已损坏", name);
        rc = -1;
    }
    zip_fclose(f);
    if (rc) sb_free(out);
    return rc;
}

/* Parse one part with the given handlers; -1 (reported) when it is not well-formed XML or a
 * handler stopped the parser. */
static int xml_run(book *b, const char *name, const hq_strbuf *text, void *ud, XML_StartElementHandler start,
                   XML_EndElementHandler end, XML_CharacterDataHandler chars, bool *stop)
{
    XML_Parser p = XML_ParserCreate("UTF-8");
    if (!p) {
        diag_add(b->diag, b->file, "内存不足");
        return -1;
    }
    XML_SetUserData(p, ud);
    XML_SetElementHandler(p, start, end);
    if (chars) XML_SetCharacterDataHandler(p, chars);
    int rc = 0;
    if (XML_Parse(p, text->data ? text->data : "", (int)text->len, 1) == XML_STATUS_ERROR) {
        if (!stop || !*stop)
            diag_add(b->diag, b->file, "工作簿中的 %s 不是有效的 XML（第 %lu 行：%s）", name,
                     (unsigned long)XML_GetCurrentLineNumber(p), XML_ErrorString(XML_GetErrorCode(p)));
        rc = -1;
    }
    XML_ParserFree(p);
    return rc;
}

/* ---- the workbook and its relationships ------------------------------------------------ */

typedef struct {
    char rid[128];
    bool have_sheet, date1904;
} workbook_info;

static void wb_start(void *ud, const char *el, const char **atts)
{
    workbook_info *w = ud;
    const char *n = local(el);
    if (!strcmp(n, "workbookPr")) {
        const char *v = attr(atts, "date1904");
        w->date1904 = v && (!strcmp(v, "1") || !strcmp(v, "true"));
    } else if (!strcmp(n, "sheet") && !w->have_sheet) {
        const char *id = attr(atts, "id");
        if (id) {
            snprintf(w->rid, sizeof w->rid, "%s", id);
            w->have_sheet = true;
        }
    }
}

static void no_end(void *ud, const char *el)
{
    (void)ud;
    (void)el;
}

typedef struct {
    const char *rid;
    char target[XLSX_PATH];
} rels_info;

static void rels_start(void *ud, const char *el, const char **atts)
{
    rels_info *r = ud;
    if (strcmp(local(el), "Relationship") || r->target[0]) return;
    const char *id = attr(atts, "Id"), *target = attr(atts, "Target");
    if (!id || !target || strcmp(id, r->rid)) return;
    /* Targets are relative to xl/ unless absolute within the package. */
    if (target[0] == '/') snprintf(r->target, sizeof r->target, "%s", target + 1);
    else snprintf(r->target, sizeof r->target, "xl/%s", target);
}

/* ---- shared strings --------------------------------------------------------------------- */

typedef struct {
    hq_strbuf text;          /* every string, NUL-separated */
    size_t *start;           /* offset of string i */
    size_t n, cap;
    int in_t, in_rph;        /* inside <t>, inside a phonetic run (not part of the text) */
    bool failed;
} strings;

static void ss_start(void *ud, const char *el, const char **atts)
{
    (void)atts;
    strings *s = ud;
    const char *n = local(el);
    if (!strcmp(n, "si")) {
        if (s->n == s->cap) {
            size_t cap = s->cap ? s->cap * 2 : 1024;
            size_t *v = cap <= XLSX_MAX_STRINGS ? realloc(s->start, cap * sizeof *v) : NULL;
            if (!v) {
                s->failed = true;
                return;
            }
            s->start = v;
            s->cap = cap;
        }
        s->start[s->n++] = s->text.len;
    } else if (!strcmp(n, "t")) s->in_t++;
    else if (!strcmp(n, "rPh")) s->in_rph++;
}

static void ss_end(void *ud, const char *el)
{
    strings *s = ud;
    const char *n = local(el);
    if (!strcmp(n, "si")) sb_append(&s->text, "", 1);
    else if (!strcmp(n, "t") && s->in_t) s->in_t--;
    else if (!strcmp(n, "rPh") && s->in_rph) s->in_rph--;
}

static void ss_chars(void *ud, const char *txt, int len)
{
    strings *s = ud;
    if (s->in_t && !s->in_rph && s->n) sb_append(&s->text, txt, (size_t)len);
}

/* ---- styles: which cell formats are dates ----------------------------------------------- */

typedef struct {
    int custom_id[1024];     /* numFmt ids declared as dates */
    int ncustom;
    bool *xf_date;           /* per cellXfs index */
    int nxf, capxf;
    int in_cellxfs;
    bool failed;
} styles;

/* Excel's built-in date formats, with the ones a Chinese Excel adds (27–36, 50–58). */
static bool builtin_date(int id)
{
    return (id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) || (id >= 50 && id <= 58);
}

/* A custom format is a date when, outside quoted text and [..] sections, it has a year or
 * day code, or a month code without hours or seconds (m alone is minutes next to h or s). */
static bool format_is_date(const char *code)
{
    bool y = false, d = false, m = false, hs = false, quoted = false;
    int bracket = 0;
    for (const char *p = code; *p; p++) {
        char c = *p;
        if (c == '\\' && p[1]) {
            p++;
            continue;
        }
        if (c == '"') quoted = !quoted;
        else if (quoted) continue;
        else if (c == '[') bracket++;
        else if (c == ']' && bracket) bracket--;
        else if (bracket) continue;
        else if (c == 'y' || c == 'Y') y = true;
        else if (c == 'd' || c == 'D') d = true;
        else if (c == 'm' || c == 'M') m = true;
        else if (c == 'h' || c == 'H' || c == 's' || c == 'S') hs = true;
    }
    return y || d || (m && !hs);
}

static void st_start(void *ud, const char *el, const char **atts)
{
    styles *s = ud;
    const char *n = local(el);
    if (!strcmp(n, "numFmt")) {
        const char *id = attr(atts, "numFmtId"), *code = attr(atts, "formatCode");
        if (id && code && format_is_date(code) && s->ncustom < (int)(sizeof s->custom_id / sizeof *s->custom_id))
            s->custom_id[s->ncustom++] = atoi(id);
    } else if (!strcmp(n, "cellXfs")) s->in_cellxfs++;
    else if (!strcmp(n, "xf") && s->in_cellxfs) {
        if (s->nxf == s->capxf) {
            int cap = s->capxf ? s->capxf * 2 : 64;
            bool *v = cap <= XLSX_MAX_STYLES ? realloc(s->xf_date, (size_t)cap * sizeof *v) : NULL;
            if (!v) {
                s->failed = true;
                return;
            }
            s->xf_date = v;
            s->capxf = cap;
        }
        const char *id = attr(atts, "numFmtId");
        int fid = id ? atoi(id) : 0;
        bool date = builtin_date(fid);
        for (int i = 0; i < s->ncustom && !date; i++) date = s->custom_id[i] == fid;
        s->xf_date[s->nxf++] = date;
    }
}

static void st_end(void *ud, const char *el)
{
    styles *s = ud;
    if (!strcmp(local(el), "cellXfs") && s->in_cellxfs) s->in_cellxfs--;
}

/* ---- values ------------------------------------------------------------------------------ */

/* A number as Excel shows it: at most 15 significant digits, rounded half away from zero on
 * the decimal text, written without an exponent and without trailing zeros. false when the
 * text is not a number or its magnitude is beyond what a department's figure can be. */
static bool number_text(const char *s, char *out, size_t size)
{
    bool neg = *s == '-';
    if (*s == '-' || *s == '+') s++;
    char dig[64];
    int nd = 0, point = -1, exp10 = 0;
    bool any = false;
    for (; *s && *s != 'e' && *s != 'E'; s++) {
        if (*s == '.') {
            if (point >= 0) return false;
            point = nd;
            continue;
        }
        if (*s < '0' || *s > '9') return false;
        any = true;
        if (nd == 0 && *s == '0') { /* leading zeros move the point, carry no digit */
            if (point >= 0) exp10--;
            continue;
        }
        if (nd < (int)sizeof dig - 1) dig[nd++] = *s;
        else if (point < 0) exp10++;
    }
    if (!any) return false;
    if (point < 0) point = nd;
    if (*s == 'e' || *s == 'E') {
        char *end;
        long e = strtol(s + 1, &end, 10);
        if (*end || e > 40 || e < -40) return false;
        exp10 += (int)e;
    }
    /* value = 0.dig × 10^(point + exp10) */
    int mag = point + exp10;
    if (nd == 0) {
        snprintf(out, size, "0");
        return true;
    }
    if (nd > 15) {
        bool up = dig[15] >= '5';
        nd = 15;
        for (int i = nd - 1; up && i >= 0; i--) {
            if (dig[i] == '9') dig[i] = '0';
            else {
                dig[i]++;
                up = false;
            }
        }
        if (up) { /* 999… rounded to 1000… */
            memmove(dig + 1, dig, (size_t)nd);
            dig[0] = '1';
            mag++;
        }
    }
    while (nd > 0 && dig[nd - 1] == '0') nd--;
    if (mag > 30 || mag < -30) return false;
    char buf[128];
    int k = 0;
    if (neg) buf[k++] = '-';
    if (mag <= 0) {
        buf[k++] = '0';
        buf[k++] = '.';
        for (int i = 0; i < -mag; i++) buf[k++] = '0';
        for (int i = 0; i < nd; i++) buf[k++] = dig[i];
    } else {
        for (int i = 0; i < mag; i++) buf[k++] = i < nd ? dig[i] : '0';
        if (nd > mag) {
            buf[k++] = '.';
            for (int i = mag; i < nd; i++) buf[k++] = dig[i];
        }
    }
    buf[k] = 0;
    snprintf(out, size, "%s", buf);
    return true;
}

/* A date serial as YYYY-MM-DD. Excel's 1900 system counts 1900-02-29, which never was: a
 * serial from 61 on is one day later than the count suggests, and 60 itself is no date. */
static bool serial_date(const char *s, bool date1904, char *out, size_t size)
{
    char *end;
    long n = strtol(s, &end, 10);
    if (end == s || (*end && *end != '.') || n < 1 || n > 2958465) return false;
    long base;
    if (date1904) base = cal_days_from_civil(1904, 1, 1);
    else if (n == 60) return false;
    else base = n > 60 ? cal_days_from_civil(1899, 12, 30) : cal_days_from_civil(1899, 12, 31);
    int y, m, d;
    cal_civil_from_days(base + n, &y, &m, &d);
    snprintf(out, size, "%04d-%02d-%02d", y, m, d);
    return true;
}

/* ---- the sheet --------------------------------------------------------------------------- */

typedef struct {
    book *b;
    const strings *ss;
    const styles *st;
    bool date1904;
    hq_strbuf *csv;
    /* the current row */
    char **cell;             /* column → value (malloc'd), NULL when empty */
    int ncell, rowmax, header_cols, rows_out, sheet_row;
    /* the current cell */
    int col, style;
    char type[16];
    hq_strbuf v;             /* <v> or inline <t> text */
    int in_v, in_is_t;
    bool failed;
} sheet;

/* "BC12" → column index 54 (0-based), or -1. */
static int column_of(const char *ref)
{
    int c = 0, n = 0;
    for (; *ref >= 'A' && *ref <= 'Z'; ref++, n++) c = c * 26 + (*ref - 'A' + 1);
    return n == 0 || c > XLSX_MAX_COLS ? -1 : c - 1;
}

static void csv_field_out(hq_strbuf *csv, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        sb_puts(csv, s);
        return;
    }
    sb_append(csv, "\"", 1);
    for (; *s; s++) {
        if (*s == '"') sb_append(csv, "\"", 1);
        sb_append(csv, s, 1);
    }
    sb_append(csv, "\"", 1);
}

static void row_flush(sheet *sh)
{
    if (sh->rowmax < 0) return; /* a blank row is left out */
    int width = sh->rowmax + 1;
    if (sh->rows_out == 0) sh->header_cols = width;
    else if (width < sh->header_cols) width = sh->header_cols; /* trailing blanks are not written */
    for (int i = 0; i < width; i++) {
        if (i) sb_append(sh->csv, ",", 1);
        if (i < sh->ncell && sh->cell[i]) csv_field_out(sh->csv, sh->cell[i]);
    }
    sb_append(sh->csv, "\n", 1);
    sh->rows_out++;
}

static void row_clear(sheet *sh)
{
    for (int i = 0; i < sh->ncell; i++) {
        free(sh->cell[i]);
        sh->cell[i] = NULL;
    }
    sh->rowmax = -1;
}

static void cell_store(sheet *sh, const char *value)
{
    if (sh->col < 0 || sh->col >= XLSX_MAX_COLS) {
        sh->failed = true;
        return;
    }
    if (sh->col >= sh->ncell) {
        int n = sh->ncell ? sh->ncell : 64;
        while (n <= sh->col) n *= 2;
        char **v = realloc(sh->cell, (size_t)n * sizeof *v);
        if (!v) {
            sh->failed = true;
            return;
        }
        for (int i = sh->ncell; i < n; i++) v[i] = NULL;
        sh->cell = v;
        sh->ncell = n;
    }
    free(sh->cell[sh->col]);
    sh->cell[sh->col] = strdup(value);
    if (!sh->cell[sh->col]) sh->failed = true;
    if (sh->col > sh->rowmax) sh->rowmax = sh->col;
}

/* The text of the finished cell, as the CSV reader will see it. */
static void cell_finish(sheet *sh)
{
    const char *raw = sb_str(&sh->v), *t = sh->type;
    char buf[160];
    const char *value = raw;
    if (!strcmp(t, "s")) {
        char *end;
        long i = strtol(raw, &end, 10);
        value = *raw && !*end && i >= 0 && (size_t)i < sh->ss->n ? sh->ss->text.data + sh->ss->start[i] : "";
    } else if (!strcmp(t, "b")) {
        value = !strcmp(raw, "1") ? "true" : !strcmp(raw, "0") ? "false" : raw;
    } else if (!*t || !strcmp(t, "n")) {
        bool date = sh->style >= 0 && sh->style < sh->st->nxf && sh->st->xf_date[sh->style];
        if (*raw && date && serial_date(raw, sh->date1904, buf, sizeof buf)) value = buf;
        else if (*raw && number_text(raw, buf, sizeof buf)) value = buf;
    } /* str (a formula's text), inlineStr, e (an error such as #N/A): as written */
    if (*value) cell_store(sh, value);
}

static void sh_start(void *ud, const char *el, const char **atts)
{
    sheet *sh = ud;
    const char *n = local(el);
    if (!strcmp(n, "row")) {
        row_clear(sh);
        const char *r = attr(atts, "r");
        sh->sheet_row = r ? atoi(r) : sh->sheet_row + 1;
        sh->col = -1;
    } else if (!strcmp(n, "c")) {
        const char *r = attr(atts, "r"), *t = attr(atts, "t"), *s = attr(atts, "s");
        sh->col = r ? column_of(r) : sh->col + 1;
        snprintf(sh->type, sizeof sh->type, "%s", t ? t : "");
        sh->style = s ? atoi(s) : -1;
        sb_reset(&sh->v);
    } else if (!strcmp(n, "v")) sh->in_v++;
    else if (!strcmp(n, "t") && !strcmp(sh->type, "inlineStr")) sh->in_is_t++;
}

static void sh_end(void *ud, const char *el)
{
    sheet *sh = ud;
    const char *n = local(el);
    if (!strcmp(n, "v") && sh->in_v) sh->in_v--;
    else if (!strcmp(n, "t") && sh->in_is_t) sh->in_is_t--;
    else if (!strcmp(n, "c")) cell_finish(sh);
    else if (!strcmp(n, "row")) row_flush(sh);
}

static void sh_chars(void *ud, const char *txt, int len)
{
    sheet *sh = ud;
    if (sh->in_v || sh->in_is_t) sb_append(&sh->v, txt, (size_t)len);
}

/* ---- the whole workbook ------------------------------------------------------------------ */

bool xlsx_looks_like(const char *data, size_t len)
{
    return len >= 4 && !memcmp(data, "PK\x03\x04", 4);
}

static int read_sheet(book *b, const char *path, const strings *ss, const styles *st, bool date1904, hq_strbuf *csv)
{
    hq_strbuf text;
    if (part_read(b, path, true, &text)) return -1;
    sheet sh = {.b = b, .ss = ss, .st = st, .date1904 = date1904, .csv = csv, .rowmax = -1};
    sb_init(&sh.v, (size_t)1 << 20);
    int rc = xml_run(b, path, &text, &sh, sh_start, sh_end, sh_chars, NULL);
    if (rc == 0 && (sh.failed || !sb_ok(&sh.v))) {
        diag_add(b->diag, b->file, "工作表超出处理上限（列数超过 %d，或内存不足）", XLSX_MAX_COLS);
        rc = -1;
    }
    if (rc == 0 && sh.rows_out == 0) {
        diag_add(b->diag, b->file, "工作簿的第一个工作表是空的");
        rc = -1;
    }
    if (rc == 0 && !sb_ok(csv)) {
        diag_add(b->diag, b->file, "工作表转换后超过处理上限");
        rc = -1;
    }
    row_clear(&sh);
    free(sh.cell);
    sb_free(&sh.v);
    sb_free(&text);
    return rc;
}

int xlsx_to_csv(const char *data, size_t len, const char *file, hq_strbuf *csv, hq_diag *diag)
{
    book b = {.file = file, .diag = diag};
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    b.zip = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    if (!b.zip) {
        diag_add(diag, file, "不是有效的 Excel 工作簿（.xlsx）：%s", zip_error_zh(&ze));
        zip_error_fini(&ze);
        if (src) zip_source_free(src);
        return -1;
    }
    zip_error_fini(&ze);
    int rc = -1;
    hq_strbuf wbx = {0}, relx = {0}, ssx = {0}, stx = {0};
    workbook_info wb = {{0}, false, false};
    strings ss = {0};
    styles st = {0};
    sb_init(&ss.text, XLSX_MAX_PART);
    if (part_read(&b, "xl/workbook.xml", true, &wbx) || xml_run(&b, "xl/workbook.xml", &wbx, &wb, wb_start, no_end, NULL, NULL))
        goto done;
    if (!wb.have_sheet) {
        diag_add(diag, file, "工作簿中没有工作表");
        goto done;
    }
    rels_info rel = {.rid = wb.rid};
    if (part_read(&b, "xl/_rels/workbook.xml.rels", true, &relx) ||
        xml_run(&b, "xl/_rels/workbook.xml.rels", &relx, &rel, rels_start, no_end, NULL, NULL))
        goto done;
    if (!rel.target[0]) {
        diag_add(diag, file, "不是有效的 Excel 工作簿：找不到第一个工作表");
        goto done;
    }
    int have = part_read(&b, "xl/sharedStrings.xml", false, &ssx);
    if (have < 0 || (have == 0 && xml_run(&b, "xl/sharedStrings.xml", &ssx, &ss, ss_start, ss_end, ss_chars, NULL))) goto done;
    if (ss.failed || !sb_ok(&ss.text)) {
        diag_add(diag, file, "工作簿的共享字符串超过处理上限");
        goto done;
    }
    have = part_read(&b, "xl/styles.xml", false, &stx);
    if (have < 0 || (have == 0 && xml_run(&b, "xl/styles.xml", &stx, &st, st_start, st_end, NULL, NULL))) goto done;
    if (st.failed) {
        diag_add(diag, file, "工作簿的单元格格式超过处理上限");
        goto done;
    }
    rc = read_sheet(&b, rel.target, &ss, &st, wb.date1904, csv);
done:
    sb_free(&wbx);
    sb_free(&relx);
    sb_free(&ssx);
    sb_free(&stx);
    sb_free(&ss.text);
    free(ss.start);
    free(st.xf_date);
    zip_discard(b.zip); /* also frees the source */
    return rc;
}
