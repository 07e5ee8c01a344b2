/*
 * Fuzz entry point for HTTP request bodies, the input that reaches huiqi from the network.
 * The first byte picks what the rest is: an /api/evaluate body (entity, history, overlay —
 * the calculator anyone may call), or an /api/imports/{kind} upload of one of the eight
 * kinds into an in-memory ledger (the path an administrator's file takes). Either must
 * answer with a JSON response or an error list, never crash or leak. The corpus is loaded
 * once from $HUIQI_POLICIES or ./policies; built with libFuzzer by `make fuzz` and
 * replayed over tests/fuzz/corpus/http by the suite.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_corpus.h"
#include "http/http.h"
#include "ledger/importer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const KINDS[] = {"entities", "tax", "stats", "projects", "mujun", "credit", "recognitions", "awards"};


static hq_store *memory_store(void)
{
    static hq_store *s;
    if (!s) {
        hq_diag d;
        diag_init(&d);
        s = store_open(":memory:", true, &d);
        diag_free(&d);
        int from, to;
        if (!s || store_migrate(s, &from, &to)) abort();
    }
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) return 0;
    hq_corpus *c = fuzz_corpus();
    unsigned mode = data[0] % 16;
    const char *body = (const char *)data + 1;
    size_t len = size - 1;
    if (mode < 8) {
        static hq_vm *vm;
        if (!vm && !(vm = rvm_new(c))) abort();
        hq_req r = {.method = "POST", .url = "/api/evaluate", .body = (char *)body, .body_len = len};
        api_evaluate_body(&r, c, vm);
        if (!r.json) abort(); /* every body gets an answer */
        json_decref(r.json);
        free(r.raw);
        return 0;
    }
    hq_diag d;
    diag_init(&d);
    hq_import_result res;
    const char *name = mode & 1 ? "upload.json" : "upload.csv";
    ledger_import_buffer(memory_store(), c, KINDS[mode % 8], name, body, len, "fuzz", &res, &d);
    diag_free(&d);
    return 0;
}
