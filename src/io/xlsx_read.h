/*
 * Reading an Excel workbook (.xlsx) that a department sends instead of a CSV: the first
 * worksheet becomes CSV text (RFC 4180, UTF-8), which then goes through the same CSV reader
 * and the same checks as any other file, so an import behaves alike whatever the format.
 *
 * A workbook is a zip archive of XML parts (ECMA-376): libzip opens it from memory and expat
 * parses the parts — the workbook (which sheet is first, the 1904 date system), its
 * relationships (where that sheet lives), the shared strings, the styles (which cells are
 * dates) and the sheet. Cell values are written as the workbook stores them, with three
 * conversions, all on the text (no binary floating point ever holds a value):
 *  - a number is rounded to the 15 significant digits Excel shows (1234.5600000000002 is
 *    1234.56, as the department saw it) and trailing zeros dropped;
 *  - a number in a date format is the date, YYYY-MM-DD (a time of day is dropped);
 *  - a boolean is true or false.
 * Rows are written in the sheet's order, blank rows left out, so a complaint names line N
 * for the sheet's row N whenever the sheet has no blank rows above it.
 *
 * Limits: every part is read up to XLSX_MAX_PART bytes uncompressed and the whole archive up
 * to XLSX_MAX_TOTAL (a zip bomb stops there, with an error); expat's own protection against
 * entity amplification stays on and no external entity is ever loaded.
 */
#ifndef HQ_XLSX_READ_H
#define HQ_XLSX_READ_H
#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"
#include "base/strbuf.h"

#define XLSX_MAX_PART ((size_t)256 << 20)
#define XLSX_MAX_TOTAL ((size_t)512 << 20)

/* True when the bytes begin like a zip archive (what an .xlsx file is). */
bool xlsx_looks_like(const char *data, size_t len);

/* The first worksheet of the workbook in `data` as CSV text appended to `csv` (its own
 * maximum applies too). 0, or -1 with the reasons in `diag` (located at `file`). */
int xlsx_to_csv(const char *data, size_t len, const char *file, hq_strbuf *csv, hq_diag *diag);

#endif
