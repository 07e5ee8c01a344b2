/*
 * One in-memory table, written three ways: a terminal table that lines up Chinese text, a
 * CSV file that Excel opens correctly, and an XLSX workbook. `huiqi report` builds its
 * listing once with this module and picks the writer from the command line, so the three
 * outputs always hold the same rows and the same totals.
 *
 * A table has typed columns. Money is an int64 count of 分 and rates are hq_fixed (×10^6,
 * 20% is 200000), so the optional totals row is summed exactly in integers; no double ever
 * holds an amount except the XLSX cell itself, which is a display copy (see table.c).
 *
 * Ownership: table_new() returns a table that owns every string given to it (headers,
 * cells, the title are copied into its arena); table_free() releases all of it at once.
 * Callers keep ownership of what they pass in. A table belongs to one thread at a time.
 *
 * Errors are sticky, like hq_strbuf's overflow: the first failing call (a cap reached, a
 * wrong column kind, invalid UTF-8, an overflowing total) returns -1 and records a message
 * for table_error(); from then on every call that changes the table returns -1 and does
 * nothing, and every writer refuses the table. A table that lost a row is never written.
 *
 * Building order: all columns first, then rows (table_add_row, then table_set_* on that
 * row), then at most one table_add_total(), after which the table takes no more rows.
 */
#ifndef HQ_TABLE_H
#define HQ_TABLE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/diag.h"
#include "base/fixed.h"

/* Hard caps. 64 columns let a row record which cells are set in one uint64; 1,000,000
 * data rows plus header and total stay under Excel's 1,048,576 rows per sheet; 32,767 is
 * Excel's limit on characters in a cell (counted here in bytes, which is never fewer). */
enum {
    HQ_TABLE_MAX_COLS = 64,
    HQ_TABLE_MAX_ROWS = 1000000,
    HQ_TABLE_MAX_CELL = 32767,
};
/* Ceiling on the table's arena (cells and strings together). */
#define HQ_TABLE_MAX_BYTES ((size_t)512 << 20)

typedef enum {
    HQ_COL_TEXT,      /* UTF-8 text, left-aligned */
    HQ_COL_INT,       /* int64 count, summed in the totals row */
    HQ_COL_MONEY_FEN, /* int64 分, summed; shown as 1,234,567.89 */
    HQ_COL_RATE,      /* hq_fixed fraction (200000 = 20%), shown as 20.00%; never summed */
} hq_col_kind;

typedef struct hq_table hq_table;

/* A new, empty table; `title` (may be NULL) heads the text output and names the XLSX
 * sheet. NULL only when memory is exhausted. */
hq_table *table_new(const char *title);
void table_free(hq_table *t);

/* Append a column; returns its index (0, 1, ...) or -1. Only before the first row. */
int table_add_column(hq_table *t, const char *header_zh, hq_col_kind kind);
/* Leave an INT or MONEY column blank in the totals row (序号, 年度: numbers whose sum
 * means nothing). Returns 0 or -1. */
int table_exclude_from_total(hq_table *t, int col);

/* Start a new data row; the table_set_* calls below fill it. Cells never set stay blank
 * (blank is not zero: an item awaiting data has no amount). Returns 0 or -1. */
int table_add_row(hq_table *t);
/* Set a cell of the current row. The column must have the matching kind. Text must be
 * valid UTF-8 of at most HQ_TABLE_MAX_CELL bytes. Each returns 0 or -1. */
int table_set_text(hq_table *t, int col, const char *utf8);
int table_set_int(hq_table *t, int col, int64_t v);
int table_set_fen(hq_table *t, int col, int64_t fen);
int table_set_rate(hq_table *t, int col, hq_fixed rate);

/* Append the totals row: the exact sum of every data row in each INT and MONEY column
 * (128-bit accumulation; -1 when a sum does not fit int64), `label` (NULL means 合计) in
 * the first TEXT column. At most once; no rows may follow. Returns 0 or -1. */
int table_add_total(hq_table *t, const char *label);

/* The first error recorded, or NULL while the table is sound. Owned by the table. */
const char *table_error(const hq_table *t);
int table_columns(const hq_table *t);
/* Data rows, not counting the totals row. */
int table_rows(const hq_table *t);
/* The integer held by a numeric cell (INT, MONEY_FEN, RATE); row == table_rows(t) reads
 * the totals row. False when the cell is blank, textual or out of range. */
bool table_get_number(const hq_table *t, int row, int col, int64_t *out);

/* Terminal columns taken by UTF-8 text, without consulting the locale: East Asian wide
 * and fullwidth characters take 2, combining marks and zero-width characters 0, control
 * characters 1 (the text writer shows them as a space), everything else 1. An invalid
 * byte counts as one column. */
int table_display_width(const char *utf8);

/* Title line, header, a rule of '-', the rows, and a rule before the totals row; columns
 * two spaces apart and aligned by display width, numbers right-aligned. Returns 0, or -1
 * when the table has an error or writing failed. */
int table_write_text(const hq_table *t, FILE *out);
/* RFC 4180 CSV (CRLF, quoted where needed) after a UTF-8 byte-order mark; header row,
 * data rows, totals row. Money is plain "1234567.89". Returns 0 or -1 as above. */
int table_write_csv(const hq_table *t, FILE *out);
/* An XLSX workbook at `path` with one sheet named after the title. Returns 0, or -1 with
 * the reason added to `diag` (where = path); a partly written file is removed. */
int table_write_xlsx(const hq_table *t, const char *path, hq_diag *diag);

/* Bytes needed for any sheet name table_xlsx_sheet_name() produces, NUL included. */
enum { HQ_TABLE_SHEET_NAME_SIZE = 128 };
/* Turn a title into a name Excel accepts: []:*?/\ and control characters become '_',
 * apostrophes are dropped at both ends, the result is cut at 31 UTF-16 units on a
 * character boundary; an empty result becomes "Sheet1" and the reserved "History" gets a
 * trailing '_'. `buf` holds at least HQ_TABLE_SHEET_NAME_SIZE bytes. */
void table_xlsx_sheet_name(const char *title, char *buf);

#endif
