/*
 * Fuzz entry point for HTTP request bodies, the input that reaches huiqi from the network.
 * The first byte picks what the rest is: an /api/evaluate body (entity, history, overlay —
 * the calculator anyone may call) given to the operation as the HTTP adapter gives it, or
 * an /api/imports/{kind} upload of one of the import kinds into an in-memory ledger (the
 * path an administrator's file takes). Either must answer with a result or an error list,
 * never crash or leak. The corpus is loaded
 * once from $HUIQI_POLICIES or ./policies; built with libFuzzer by `make fuzz` and
 * replayed over tests/fuzz/corpus/http by the suite.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_corpus.h"
#include "ledger/importer.h"
#include "ops/ops.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);


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
        json_error_t err;
        json_t *in = json_loadb(body, len, JSON_REJECT_DUPLICATES, &err);
        if (!json_is_object(in)) { /* the adapter answers 400 bad_json before any operation */
            json_decref(in);
            return 0;
        }
        hq_op_ctx ctx = {.c = c, .vm = vm, .who = {.role = ROLE_NONE}};
        hq_op o = {.def = &OPS[OP_ID_EVALUATE], .ctx = &ctx, .in = json_object(), .body = in};
        json_object_update(o.in, in); /* as the adapter merges a body: the same values */
        ops_call(&o);
        if (o.status != OPR_OK && !o.message[0]) abort(); /* every refusal says why */
        if (o.status == OPR_OK && !op_result(&o)) abort(); /* an answer written as text must parse */
        ops_free(&o);
        json_decref(in);
        return 0;
    }
    hq_diag d;
    diag_init(&d);
    hq_import_result res;
    const char *name = mode & 1 ? "upload.json" : "upload.csv";
    ledger_import_buffer(memory_store(), c, import_kind_name(mode % 8), name, body, len, "fuzz", NULL, &res, &d);
    diag_free(&d);
    return 0;
}
