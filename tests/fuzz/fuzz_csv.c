/*
 * Fuzz entry point for the CSV reader (io/csv.c), the first code a department's file
 * meets on `huiqi import`. Each input is parsed twice: with the default limits, and with
 * tiny ones so that every limit is crossed often. Besides the sanitizers' checks, an
 * accepted table must keep the reader's promises, and a rejected one must say why; a
 * broken promise aborts so the fuzzer records the input. Built with libFuzzer by
 * `make fuzz`; replayed over tests/fuzz/corpus/csv by `make fuzz-replay`.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The promises of csv.h: a rectangle of NUL-free strings, unique non-empty header names
 * that csv_column finds, rows in file order, within the limits. */
static void fuzz_csv_check_table(const hq_csv *t, const hq_csv_limits *lim)
{
    size_t rows = csv_rows(t), cols = csv_columns(t);
    if (cols == 0 || (lim && (cols > lim->max_columns || rows > lim->max_rows))) abort();
    for (size_t c = 0; c < cols; c++) {
        const char *name = csv_header(t, c);
        if (!name || !name[0] || csv_column(t, name) != (int)c) abort();
    }
    int last = 1;
    for (size_t r = 0; r < rows; r++) {
        int line = csv_row_line(t, r);
        if (line <= last) abort();
        last = line;
        for (size_t c = 0; c < cols; c++) {
            const char *f = csv_field(t, r, c);
            if (!f || (lim && strlen(f) > lim->max_field_bytes)) abort();
        }
    }
    if (csv_field(t, rows, 0) || csv_header(t, cols) || csv_row_line(t, rows)) abort();
}

static void fuzz_csv_once(const char *data, size_t size, const hq_csv_limits *lim)
{
    hq_diag d;
    diag_init(&d);
    hq_csv *t = csv_parse(data, size, lim, &d);
    if (t ? d.count != 0 : d.count == 0) abort();
    if (t) fuzz_csv_check_table(t, lim);
    csv_free(t);
    diag_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const hq_csv_limits tiny = {
        .max_input_bytes = 4096, .max_field_bytes = 16, .max_columns = 8, .max_rows = 16, .max_errors = 5};
    fuzz_csv_once((const char *)data, size, NULL);
    fuzz_csv_once((const char *)data, size, &tiny);
    return 0;
}
