/*
 * A department's table file, whatever it was saved as: CSV (UTF-8 or GBK) or an Excel
 * workbook (.xlsx, its first worksheet), read into one hq_csv for the importers. The
 * workbook goes through xlsx_read.c to CSV text first, so both formats meet the same reader,
 * the same limits and the same checks. Errors are located as "FILE: line L, field F".
 */
#ifndef HQ_SHEET_H
#define HQ_SHEET_H
#include <stddef.h>

#include "base/diag.h"
#include "io/csv.h"

/* The table in `data`, owned by the caller (csv_free), or NULL with every problem in `d`.
 * `format` receives what the file was: the CSV's encoding name, or "XLSX". */
hq_csv *sheet_parse(const char *data, size_t len, const char *file, char *format, size_t format_size, hq_diag *d);

#endif
