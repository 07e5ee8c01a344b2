/*
 * Fuzz entry point for the Excel workbook reader (io/xlsx_read.c): a department's .xlsx
 * is a zip of XML parts, and everything in it — the archive, each part's XML, cell
 * references, shared-string indexes, style indexes, numbers and date serials — is
 * untrusted. A rejected workbook must say why; an accepted one must give CSV text that the
 * CSV reader accepts or rejects with reasons. Built with libFuzzer by `make fuzz`;
 * replayed over tests/fuzz/corpus/xlsx by `make fuzz-replay`.
 */
#include <stdint.h>
#include <stdlib.h>

#include "base/strbuf.h"
#include "io/csv.h"
#include "io/xlsx_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hq_strbuf csv;
    sb_init(&csv, (size_t)16 << 20);
    hq_diag d;
    diag_init(&d);
    int rc = xlsx_to_csv((const char *)data, size, "fuzz.xlsx", &csv, &d);
    if (rc != 0 && d.count == 0) abort(); /* refused without a reason */
    if (rc == 0) {
        hq_diag cd;
        diag_init(&cd);
        hq_csv *t = csv_parse(sb_str(&csv), csv.len, NULL, &cd);
        if (!t && cd.count == 0) abort();
        csv_free(t);
        diag_free(&cd);
    }
    diag_free(&d);
    sb_free(&csv);
    return 0;
}
