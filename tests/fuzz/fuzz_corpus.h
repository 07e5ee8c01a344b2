/*
 * The rule corpus the fuzz targets run against: loaded once per process from
 * $HUIQI_POLICIES or ./policies (targets are run from the repository root).
 */
#ifndef HQ_FUZZ_CORPUS_H
#define HQ_FUZZ_CORPUS_H
#include <stdlib.h>

#include "rules/corpus.h"

static hq_corpus *fuzz_corpus(void)
{
    static hq_corpus *c;
    if (!c) {
        const char *dir = getenv("HUIQI_POLICIES");
        hq_diag d;
        diag_init(&d);
        c = corpus_load(dir && *dir ? dir : "policies", &d);
        diag_free(&d);
        if (!c) abort();
    }
    return c;
}

#endif
