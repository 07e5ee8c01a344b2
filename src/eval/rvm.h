/*
 * The evaluator. It runs compiled programs (rules/program.h) over a block of up to RVM_BLOCK
 * entities at a time: each instruction loops over the lanes of its registers, so the cost
 * of decoding an instruction is shared by the whole block, and nothing is allocated while
 * evaluating. A document's 附则 rules run once per block and every item of the document
 * reuses their verdict.
 *
 * An hq_vm holds the register file; it is created per thread and is not thread-safe. The
 * corpus and the fact batch it reads are shared read-only.
 */
#ifndef HQ_RVM_H
#define HQ_RVM_H
#include <stdbool.h>
#include <stdint.h>

#include "facts/factbatch.h"
#include "rules/program.h"

enum { RVM_BLOCK = 256 };

typedef enum { HQ_ELIGIBLE, HQ_INELIGIBLE, HQ_NEEDS_DATA, HQ_ERROR } hq_status;

/* Why an item failed: a document rule index (0…), or one of these. */
enum { RVM_FAIL_NONE = -1, RVM_FAIL_REQ = 1000, RVM_FAIL_ZERO = 2000, RVM_FAIL_LISTED = 3000, RVM_FAIL_EXPIRED = 3001 };

/* Register status bits. */
enum { RVM_UNKNOWN = 1, RVM_OVERFLOW = 2 };

typedef struct {
    int64_t amount_fen;   /* the award in 分; 0 unless eligible (or needs data with a known amount) */
    uint8_t status;       /* hq_status */
    uint8_t part;         /* the part that decided a failure */
    int16_t failed;       /* rule index, RVM_FAIL_REQ + require index, RVM_FAIL_ZERO, or RVM_FAIL_NONE */
    uint16_t capped;      /* bit p: part p's cap was binding */
    uint16_t unknown;     /* bit p: part p needs data (an eligible item then pays only the known parts) */
} hq_outcome;

typedef struct hq_vm hq_vm;

hq_vm *rvm_new(const hq_corpus *c);
void rvm_free(hq_vm *vm);

/* Evaluate rows [row0, row0 + n), n ≤ RVM_BLOCK, against every item of the corpus.
 * out[i * corpus->nitems + item->index] receives entity i's outcome for each item;
 * listed-only items get HQ_INELIGIBLE with failed = RVM_FAIL_LISTED. */
void rvm_eval_block(hq_vm *vm, const hq_factbatch *fb, int row0, int n, hq_outcome *out);

/* Evaluate one item for one row and keep its registers (lane 0) for rvm_reg/rvm_rule_reg. */
hq_outcome rvm_eval_one(hq_vm *vm, const hq_factbatch *fb, int row, const hq_item *it);
void rvm_reg(const hq_vm *vm, int reg, int64_t *v, uint8_t *st);
/* After rvm_eval_one: what part `part` of the item pays on its own (0 if a condition of the
 * part fails or is unknown) — for splitting an award's cost by part. */
int64_t rvm_part_fen(const hq_vm *vm, const hq_item *it, int part);
void rvm_rule_reg(const hq_vm *vm, int reg, int64_t *v, uint8_t *st);

/* Run one program over n lanes (exposed for unit tests and the disassembler). */
void rvm_run(hq_vm *vm, const hq_program *p, bool rules_file, const hq_factbatch *fb, int row0, int n);

#endif
