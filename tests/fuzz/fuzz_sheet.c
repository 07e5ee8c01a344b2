/*
 * Fuzz entry point for the CSV sheet of `huiqi eval --batch FILE.csv`: the bytes are read
 * by io/csvblock.c in tiny blocks (so records, quotes and kept rows cross block ends all the
 * time), the header is resolved against the real corpus and each entity's rows are checked
 * and loaded as the batch does. Besides the sanitizers' checks, the blocks must hand out
 * every line once and in order, kept rows aside; a broken promise aborts. Built with
 * libFuzzer by `make fuzz`; replayed over tests/fuzz/corpus/sheet by `make fuzz-replay`.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/arena.h"
#include "facts/entity.h"
#include "fuzz_corpus.h"
#include "io/csvblock.h"
#include "ledger/entity_sheet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every entity of a block: grouped, checked and loaded, as the batch's workers do. */
static void fuzz_sheet_entities(const hq_corpus *c, const hq_entity_sheet *sh, const hq_csv *t, size_t nrows)
{
    hq_factbatch *fb = factbatch_new(c, 2021, 1);
    hq_arena *ar = arena_new((size_t)16 << 20);
    for (size_t lo = 0, hi; fb && ar && lo < nrows; lo = hi) {
        hi = entity_sheet_group_end(sh, t, lo);
        if (hi <= lo || hi > csv_rows(t)) abort();
        hq_diag d;
        diag_init(&d);
        hq_entity_rows e;
        factbatch_clear(fb);
        if (entity_sheet_rows(sh, t, lo, hi > nrows ? nrows : hi, ar, &e, &d) == 0) entity_load_rows(c, &e, fb, 0, &d);
        diag_free(&d);
    }
    arena_free(ar);
    factbatch_free(fb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hq_corpus *c = fuzz_corpus();
    FILE *in = size ? fmemopen((void *)data, size, "rb") : NULL;
    if (!in) return 0;
    hq_diag d;
    diag_init(&d);
    hq_csvblock *b = csvblock_open(in, "fuzz.csv", 48, 4096, &d);
    hq_csv *head = b ? csvblock_header(b, &d) : NULL;
    hq_entity_sheet *sh = head ? entity_sheet_new(c, head, "fuzz.csv", &d) : NULL;
    int next_line = 0;
    bool last = false, failed = false;
    hq_csv *t;
    while (sh && !last && (t = csvblock_next(b, &last, &failed, &d))) {
        size_t n = csv_rows(t), keep = !last && n > 1 ? 1 : 0;
        if (n && csv_row_line(t, 0) < next_line) abort(); /* a line handed out twice, or out of order */
        if (n) next_line = csv_row_line(t, n - 1 - keep) + 1;
        fuzz_sheet_entities(c, sh, t, n - keep);
        if (keep) csvblock_keep(b, keep);
        csv_free(t);
    }
    entity_sheet_free(sh);
    csv_free(head);
    csvblock_free(b);
    diag_free(&d);
    fclose(in);
    return 0;
}
