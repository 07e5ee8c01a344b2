/*
 * Fuzz entry point for JSON input: the bytes are parsed as JSON and fed to the entity
 * loader (one fact row of the real corpus, year 2021) and to the award-history loader.
 * The corpus is loaded once, from $HUIQI_POLICIES or ./policies. Built with libFuzzer by
 * `make fuzz`; replayed over tests/fuzz/corpus/entity by `make fuzz-replay`.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>

#include "eval/stacking.h"
#include "facts/entity.h"
#include "fuzz_corpus.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hq_corpus *c = fuzz_corpus();
    json_error_t err;
    json_t *j = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &err);
    if (!j) return 0;
    hq_factbatch *fb = factbatch_new(c, 2021, 1);
    hq_diag d;
    diag_init(&d);
    if (fb) entity_load(c, j, fb, 0, &d);
    hq_history h;
    history_load(c, j, &h, &d);
    history_free(&h);
    diag_free(&d);
    factbatch_free(fb);
    json_decref(j);
    return 0;
}
