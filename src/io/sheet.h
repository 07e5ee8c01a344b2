/*
 * A department's table file, whatever it was saved as: CSV (UTF-8 or GBK) or an Excel
 * workbook (.xlsx, its first worksheet), read into one hq_csv for the importers. The
 * workbook goes through xlsx_read.c to CSV text first, so both formats meet the same reader,
 * the same limits and the same checks. Errors are located as "FILE: line L, field F".
 */
#ifndef HQ_SHEET_H
#define HQ_SHEET_H
#include <stdbool.h>
#include <stddef.h>

#include <stdio.h>

#include "base/diag.h"
#include "base/strbuf.h"
#include "io/csv.h"

/* The table in `data`, owned by the caller (csv_free), or NULL with every problem in `d`.
 * `format` receives what the file was: the CSV's encoding name, or "XLSX". */
hq_csv *sheet_parse(const char *data, size_t len, const char *file, char *format, size_t format_size, hq_diag *d);

/* The table file at `path` opened to be read a block at a time (io/csvblock.h): a CSV file
 * as it is, an Excel workbook as the CSV text of its first worksheet, held in `text` (sb_init
 * it first; the caller frees it with sb_free after closing the stream). Recognised by its
 * content, like sheet_parse. NULL with the reason in `d`. */
FILE *sheet_open_stream(const char *path, hq_strbuf *text, hq_diag *d);

/* One complaint about a cell or a row of an imported table, in the importers' one style:
 * where = "FILE:LINE" (CSV, XLSX) or "FILE:$[i]" (JSON, 0-based); the message repeats the
 * position for the person reading ("第3行第2列「注册地」：…", "第4条：…"). `column` is the
 * header of the cell at fault (0-based `col`), or NULL for the whole row. */
void sheet_complain(hq_diag *d, const char *file, bool json, size_t row, int line, const char *column, int col,
                    const char *msg);

#endif
