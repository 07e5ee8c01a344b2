/*
 * CSV reader for department data imports (`huiqi import KIND FILE`): turns the bytes of a
 * file that a department exported from Excel or its own system into a table of UTF-8
 * strings — one header row naming the columns, then data rows that each remember the line
 * of the file they started on, so that every later complaint about a value can point at
 * it. What the columns mean is the importer's business; this layer only guarantees a
 * rectangular table of valid, NUL-free UTF-8 text, or a list of everything wrong with it.
 *
 * Format: RFC 4180 — comma separator, CRLF or LF line ends, fields optionally enclosed in
 * double quotes, a quote inside a quoted field written twice, commas and line breaks
 * allowed inside quotes. Fields are kept exactly as written: no trimming of spaces, no
 * type guessing. Leading zeros and spaces can be significant (codes, names), and silently
 * changing data on import is worse than making the importer decide per column. Blank lines
 * at the end of the file are ignored; a blank line elsewhere is a row with one empty field.
 *
 * Encoding: UTF-8, with or without a byte-order mark, or GBK/GB18030 (what Chinese Excel
 * saves as "CSV"). Bytes that are not valid UTF-8 are decoded as GB18030, which contains
 * GBK. The detected encoding is recorded in hq_csv.encoding.
 *
 * Errors go to an hq_diag; the location ("where") of each is "line L, field F" — physical
 * line in the file, 1-based, and the field's number in its row, 1-based — or "line L" when
 * no single field is at fault. All errors are reported up to hq_csv_limits.max_errors, then
 * one more entry says reading stopped; an unterminated quote or an exceeded row, column or
 * size limit stops reading at once, as nothing after it could be trusted.
 *
 * Memory: the whole table, its strings and the hq_csv itself live in one arena, sized
 * exactly after a first counting pass, so csv_free() is one call and a hostile file can
 * cost at most a fixed multiple of its size: under 3 bytes of text and 4 bytes of index
 * per input byte in the worst case (a file of nothing but commas), plus the GBK→UTF-8
 * copy while parsing. The input is not referenced after csv_parse() returns. A parsed
 * table is read-only and may be read from several threads; csv_parse() keeps no state.
 */
#ifndef HQ_CSV_H
#define HQ_CSV_H
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/diag.h"

typedef enum {
    HQ_CSV_UTF8,     /* valid UTF-8 (plain ASCII included), no byte-order mark */
    HQ_CSV_UTF8_BOM, /* UTF-8 after EF BB BF, as Excel writes "CSV UTF-8" */
    HQ_CSV_GB18030,  /* not UTF-8, decoded as GB18030 (GBK is a subset) */
} hq_csv_encoding;

/* Defaults for hq_csv_limits. The input ceiling keeps every offset of the decoded text
 * within 32 bits; a larger max_input_bytes is lowered to it. */
#define HQ_CSV_DEFAULT_INPUT_BYTES ((size_t)256 << 20)
#define HQ_CSV_DEFAULT_FIELD_BYTES ((size_t)64 << 10)
#define HQ_CSV_DEFAULT_COLUMNS     ((size_t)256)
#define HQ_CSV_DEFAULT_ROWS        ((size_t)5000000)
#define HQ_CSV_DEFAULT_ERRORS      100
#define HQ_CSV_INPUT_CEILING       ((size_t)1 << 30)

/* Hard limits for one parse. A field left at 0 takes its default, so
 * `(hq_csv_limits){ .max_rows = 10 }` changes only the row limit. Exceeding a limit is an
 * error naming the line, never a crash or an allocation past it. */
typedef struct {
    size_t max_input_bytes; /* raw file bytes (default 256 MiB, at most 1 GiB) */
    size_t max_field_bytes; /* one field, in UTF-8 after unquoting (default 64 KiB) */
    size_t max_columns;     /* header fields (default 256) */
    size_t max_rows;        /* data rows, header excluded (default 5,000,000) */
    int max_errors;         /* errors reported before giving up (default 100) */
    int first_line;         /* the line number of data[0], when data is a block cut from a longer
                             * file at a line break, so that lines are the file's (default 1) */
} hq_csv_limits;

/* A parsed table. The public fields are read-only; the rest belongs to csv.c. */
typedef struct {
    hq_csv_encoding encoding;
    size_t nrows; /* data rows, header excluded */
    size_t ncols; /* header fields; every data row has exactly this many */
    /* private: row 0 of off/line is the header */
    hq_arena *arena;
    const char *text;   /* all fields, each NUL-terminated */
    const uint32_t *off; /* (nrows + 1) × ncols offsets into text */
    const int *line;    /* (nrows + 1) line numbers */
} hq_csv;

/* Parse `len` bytes of `data` (not NUL-terminated; may be freed on return). `lim` may be
 * NULL for the defaults. Returns a table owned by the caller (free with csv_free), or NULL
 * when anything was wrong, with every error appended to `diag`. */
hq_csv *csv_parse(const char *data, size_t len, const hq_csv_limits *lim, hq_diag *diag);
void csv_free(hq_csv *t);

size_t csv_rows(const hq_csv *t);
size_t csv_columns(const hq_csv *t);
/* Borrowed strings, valid until csv_free(); NULL when out of range. Data rows count from 0. */
const char *csv_header(const hq_csv *t, size_t col);
const char *csv_field(const hq_csv *t, size_t row, size_t col);
/* Line of the file on which data row `row` starts (1-based); 0 when out of range. */
int csv_row_line(const hq_csv *t, size_t row);
/* Index of the header column named exactly `name` (no trimming, case-sensitive), or -1. */
int csv_column(const hq_csv *t, const char *name);
/* "UTF-8", "UTF-8 with BOM" or "GB18030". */
const char *csv_encoding_name(hq_csv_encoding e);

#endif
