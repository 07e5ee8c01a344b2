/*
 * Reading a department's table file as CSV or XLSX; see sheet.h.
 */
#include "io/sheet.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/strbuf.h"
#include "io/xlsx_read.h"

void sheet_complain(hq_diag *d, const char *file, bool json, size_t row, int line, const char *column, int col,
                    const char *msg)
{
    char where[320];
    if (json) snprintf(where, sizeof where, "%s:$[%zu]", file, row);
    else snprintf(where, sizeof where, "%s:%d", file, line);
    if (json && column) diag_add(d, where, "第%zu条「%s」：%s", row + 1, column, msg);
    else if (json) diag_add(d, where, "第%zu条：%s", row + 1, msg);
    else if (column) diag_add(d, where, "第%d行第%d列「%s」：%s", line, col + 1, column, msg);
    else diag_add(d, where, "第%d行：%s", line, msg);
}

hq_csv *sheet_parse(const char *data, size_t len, const char *file, char *format, size_t format_size, hq_diag *d)
{
    hq_strbuf text;
    sb_init(&text, HQ_CSV_DEFAULT_INPUT_BYTES);
    bool xlsx = xlsx_looks_like(data, len);
    if (xlsx) {
        if (xlsx_to_csv(data, len, file, &text, d)) {
            sb_free(&text);
            return NULL;
        }
        data = sb_str(&text);
        len = text.len;
    }
    hq_diag cd;
    diag_init(&cd);
    hq_csv *csv = csv_parse(data, len, NULL, &cd);
    for (int i = 0; i < cd.count && i < HQ_DIAG_MAX; i++) {
        char where[320];
        snprintf(where, sizeof where, "%s: %s", file, cd.items[i].where);
        diag_add(d, where, "%s", cd.items[i].message);
    }
    diag_free(&cd);
    sb_free(&text); /* the table holds its own copy */
    if (csv) snprintf(format, format_size, "%s", xlsx ? "XLSX" : csv_encoding_name(csv->encoding));
    return csv;
}

/* The whole of `f` (at most `max` bytes) in a buffer the caller frees; NULL if larger or unreadable. */
static char *read_all(FILE *f, size_t max, size_t *len)
{
    size_t cap = 1 << 20, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap) break;
        if (cap >= max) {
            free(buf);
            return NULL;
        }
        char *more = realloc(buf, cap * 2 > max ? max : cap * 2);
        if (!more) {
            free(buf);
            return NULL;
        }
        buf = more;
        cap = cap * 2 > max ? max : cap * 2;
    }
    if (buf && ferror(f)) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

FILE *sheet_open_stream(const char *path, hq_strbuf *text, hq_diag *d)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_add(d, path, "无法打开：%s", HQ_ERRNO_ZH(errno));
        return NULL;
    }
    char head[4];
    size_t got = fread(head, 1, sizeof head, f);
    if (!xlsx_looks_like(head, got)) {
        if (fseek(f, 0, SEEK_SET) == 0) return f;
        diag_add(d, path, "无法从头读取：%s", HQ_ERRNO_ZH(errno));
        fclose(f);
        return NULL;
    }
    size_t len = 0;
    char *data = fseek(f, 0, SEEK_SET) == 0 ? read_all(f, XLSX_MAX_TOTAL, &len) : NULL;
    fclose(f);
    if (!data) {
        diag_add(d, path, "Excel 工作簿无法读取，或超过 %zu MiB", XLSX_MAX_TOTAL >> 20);
        return NULL;
    }
    int rc = xlsx_to_csv(data, len, path, text, d);
    free(data);
    if (rc) return NULL;
    if (!text->len) {
        diag_add(d, path, "第一个工作表是空的，没有表头");
        return NULL;
    }
    FILE *csv = fmemopen(text->data, text->len, "rb");
    if (!csv) diag_add(d, path, "内存不足");
    return csv;
}
