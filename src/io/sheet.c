/*
 * Reading a department's table file as CSV or XLSX; see sheet.h.
 */
#include "io/sheet.h"

#include <stdio.h>

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
