/*
 * The block interpreter and the fold from register values to item outcomes. Semantics of
 * each opcode are in eval/opcodes.h; three-valued logic is Kleene's (docs/language.md).
 */
#include "eval/rvm.h"

#include <stdlib.h>
#include <string.h>

#include "base/fixed.h"
#include "rules/rlex.h"

typedef __int128 i128;

struct hq_vm {
    const hq_corpus *c;
    int max_item_regs, max_rule_regs;
    int64_t *val;        /* item registers: val[reg * RVM_BLOCK + lane] */
    uint8_t *st;
    int64_t *rval;       /* document-rule registers */
    uint8_t *rst;
    uint8_t doc_st[RVM_BLOCK];       /* verdict of the document rules without exceptions */
    int16_t doc_failed[RVM_BLOCK];
};

hq_vm *rvm_new(const hq_corpus *c)
{
    hq_vm *vm = calloc(1, sizeof *vm);
    if (!vm) return NULL;
    vm->c = c;
    for (int i = 0; i < c->nitems; i++)
        if (c->items[i]->program && c->items[i]->program->nregs > vm->max_item_regs)
            vm->max_item_regs = c->items[i]->program->nregs;
    for (int d = 0; d < c->ndocs; d++)
        if (c->docs[d]->rules_program && c->docs[d]->rules_program->nregs > vm->max_rule_regs)
            vm->max_rule_regs = c->docs[d]->rules_program->nregs;
    size_t ni = (size_t)(vm->max_item_regs + 1) * RVM_BLOCK, nr = (size_t)(vm->max_rule_regs + 1) * RVM_BLOCK;
    vm->val = calloc(ni, sizeof *vm->val);
    vm->st = calloc(ni, 1);
    vm->rval = calloc(nr, sizeof *vm->rval);
    vm->rst = calloc(nr, 1);
    if (!vm->val || !vm->st || !vm->rval || !vm->rst) {
        rvm_free(vm);
        return NULL;
    }
    return vm;
}

void rvm_free(hq_vm *vm)
{
    if (!vm) return;
    free(vm->val);
    free(vm->st);
    free(vm->rval);
    free(vm->rst);
    free(vm);
}

static inline int64_t clamp_i128(i128 v, uint8_t *st)
{
    if (v > INT64_MAX || v < INT64_MIN) {
        *st |= RVM_OVERFLOW;
        return 0;
    }
    return (int64_t)v;
}

static int year_of(int64_t days)
{
    int y, m, d;
    rlex_civil_from_days((long)days, &y, &m, &d);
    return y;
}

void rvm_run(hq_vm *vm, const hq_program *p, bool rules_file, const hq_factbatch *fb, int row0, int n)
{
    int64_t *V = rules_file ? vm->rval : vm->val;
    uint8_t *S = rules_file ? vm->rst : vm->st;
    const int year = fb->year;
    for (int pc = 0; pc < p->ncode; pc++) {
        const hq_insn *in = &p->code[pc];
        int64_t *d = V + (size_t)in->dst * RVM_BLOCK;
        uint8_t *ds = S + (size_t)in->dst * RVM_BLOCK;
        const int64_t *a = V + (size_t)in->a * RVM_BLOCK, *b = V + (size_t)in->b * RVM_BLOCK;
        const uint8_t *as = S + (size_t)in->a * RVM_BLOCK, *bs = S + (size_t)in->b * RVM_BLOCK;
        switch ((hq_opcode)in->op) {
        case OP_CONST:
            for (int i = 0; i < n; i++) d[i] = in->imm;
            memset(ds, 0, (size_t)n);
            break;
        case OP_LOAD: {
            size_t off = (size_t)in->imm * (size_t)fb->cap + (size_t)row0;
            memcpy(d, fb->val + off, sizeof *d * (size_t)n);
            memcpy(ds, fb->unk + off, (size_t)n);
            break;
        }
#define LANES(expr)                                  \
    for (int i = 0; i < n; i++) {                    \
        ds[i] = as[i] | bs[i];                       \
        expr;                                        \
    }
        case OP_ADD: LANES(if (__builtin_add_overflow(a[i], b[i], &d[i])) ds[i] |= RVM_OVERFLOW) break;
        case OP_SUB: LANES(if (__builtin_sub_overflow(a[i], b[i], &d[i])) ds[i] |= RVM_OVERFLOW) break;
        case OP_MUL: LANES(d[i] = clamp_i128((i128)a[i] * b[i] / HQ_FIXED_ONE, &ds[i])) break;
        case OP_MIN: LANES(d[i] = a[i] < b[i] ? a[i] : b[i]) break;
        case OP_MAX: LANES(d[i] = a[i] > b[i] ? a[i] : b[i]) break;
        case OP_EXCESS: LANES(d[i] = a[i] > b[i] ? a[i] - b[i] : 0) break;
        case OP_STEPS: LANES(if (!fixed_div_floor(a[i], b[i], &d[i])) { d[i] = 0; ds[i] |= RVM_OVERFLOW; }) break;
        case OP_LT: LANES(d[i] = a[i] < b[i]) break;
        case OP_LE: LANES(d[i] = a[i] <= b[i]) break;
        case OP_GT: LANES(d[i] = a[i] > b[i]) break;
        case OP_GE: LANES(d[i] = a[i] >= b[i]) break;
        case OP_EQ: LANES(d[i] = a[i] == b[i]) break;
        case OP_NE: LANES(d[i] = a[i] != b[i]) break;
#undef LANES
        case OP_NEG:
            for (int i = 0; i < n; i++) {
                ds[i] = as[i];
                if (__builtin_sub_overflow((int64_t)0, a[i], &d[i])) ds[i] |= RVM_OVERFLOW;
            }
            break;
        case OP_AND:
            /* Kleene: a definite false wins over unknown. */
            for (int i = 0; i < n; i++) {
                bool fa = !as[i] && !a[i], fb_ = !bs[i] && !b[i];
                d[i] = !(fa || fb_);
                ds[i] = (fa || fb_) ? 0 : (as[i] | bs[i]);
            }
            break;
        case OP_OR:
            for (int i = 0; i < n; i++) {
                bool ta = !as[i] && a[i], tb = !bs[i] && b[i];
                d[i] = ta || tb;
                ds[i] = (ta || tb) ? 0 : (as[i] | bs[i]);
            }
            break;
        case OP_NOT:
            for (int i = 0; i < n; i++) {
                d[i] = !a[i];
                ds[i] = as[i];
            }
            break;
        case OP_INSET: {
            uint64_t mask = (uint64_t)in->imm;
            for (int i = 0; i < n; i++) {
                d[i] = (int64_t)(((mask >> (a[i] & 63)) & 1) ^ in->flag);
                ds[i] = as[i];
            }
            break;
        }
        case OP_SELECT: {
            const int64_t *c = V + (size_t)in->c * RVM_BLOCK;
            const uint8_t *cs = S + (size_t)in->c * RVM_BLOCK;
            for (int i = 0; i < n; i++) {
                if (as[i]) {
                    d[i] = 0;
                    ds[i] = as[i];
                } else {
                    d[i] = a[i] ? b[i] : c[i];
                    ds[i] = a[i] ? bs[i] : cs[i];
                }
            }
            break;
        }
        case OP_MATCH: {
            const hq_match_row *rows = p->rows + in->imm;
            for (int i = 0; i < n; i++) {
                if (as[i]) {
                    d[i] = 0;
                    ds[i] = as[i];
                    continue;
                }
                int r = 0;
                while (r < in->c && (a[i] < rows[r].lo || a[i] > rows[r].hi)) r++;
                uint16_t src = r < in->c ? rows[r].reg : in->b;
                if (src == HQ_NO_REG) {
                    d[i] = 0; /* not in the table: nothing is owed */
                    ds[i] = 0;
                } else {
                    d[i] = V[(size_t)src * RVM_BLOCK + i];
                    ds[i] = S[(size_t)src * RVM_BLOCK + i];
                }
            }
            break;
        }
        case OP_YEARS_SINCE:
            for (int i = 0; i < n; i++) {
                ds[i] = as[i];
                d[i] = as[i] ? 0 : (int64_t)(year - year_of(a[i]) + 1) * HQ_FIXED_ONE;
            }
            break;
        case OP_YEARS_BETWEEN:
            for (int i = 0; i < n; i++) {
                ds[i] = as[i];
                d[i] = as[i] ? 0 : (int64_t)(year - year_of(a[i])) * HQ_FIXED_ONE;
            }
            break;
        default:
            break;
        }
    }
}

/* ---- folding registers into outcomes ------------------------------------------------ */

enum { V_OK = 0, V_UNKNOWN = 1, V_FAIL = 2, V_ERROR = 3 };

/* Verdict of a document's rules for one lane, skipping the excepted ones. */
static uint8_t doc_verdict(const hq_vm *vm, const hq_program *rp, uint64_t except, int lane, int16_t *failed)
{
    uint8_t v = V_OK;
    *failed = RVM_FAIL_NONE;
    for (int r = 0; r < rp->nrules; r++) {
        if (except >> r & 1) continue;
        size_t at = (size_t)rp->rule_regs[r] * RVM_BLOCK + (size_t)lane;
        uint8_t s = vm->rst[at];
        if (!s && !vm->rval[at]) {
            *failed = (int16_t)r;
            return V_FAIL;
        }
        if (s & RVM_OVERFLOW) v = V_ERROR;
        else if (s && v == V_OK) v = V_UNKNOWN;
    }
    return v;
}

static hq_outcome fold_lane(const hq_vm *vm, const hq_item *it, uint8_t dv, int16_t dfailed, int lane)
{
    hq_outcome o = {.status = HQ_INELIGIBLE, .failed = dfailed};
    if (dv == V_FAIL) return o;
    const hq_program *p = it->program;
    bool any_eligible = false, any_unknown = false, any_error = dv == V_ERROR;
    int64_t total = 0;
    o.failed = RVM_FAIL_NONE;
    for (int pi = 0; pi < p->nparts; pi++) {
        const hq_part_code *pc = &p->parts[pi];
        uint8_t pv = V_OK;
        int16_t pf = RVM_FAIL_NONE;
        for (int r = 0; r < pc->nreq; r++) {
            size_t at = (size_t)pc->req_regs[r] * RVM_BLOCK + (size_t)lane;
            uint8_t s = vm->st[at];
            if (!s && !vm->val[at]) {
                pv = V_FAIL;
                pf = (int16_t)(RVM_FAIL_REQ + r);
                break;
            }
            if (s & RVM_OVERFLOW) pv = V_ERROR;
            else if (s && pv == V_OK) pv = V_UNKNOWN;
        }
        int64_t fen = 0;
        if (pv != V_FAIL) {
            size_t at = (size_t)pc->amount_reg * RVM_BLOCK + (size_t)lane;
            uint8_t s = vm->st[at];
            int64_t amt = vm->val[at];
            if (pc->cap_reg != HQ_NO_REG) {
                size_t ct = (size_t)pc->cap_reg * RVM_BLOCK + (size_t)lane;
                s |= vm->st[ct];
                if (!s && amt > vm->val[ct]) {
                    amt = vm->val[ct];
                    o.capped |= 1u << pi;
                }
            }
            if (s & RVM_OVERFLOW) pv = V_ERROR;
            else if (s) pv = pv == V_ERROR ? V_ERROR : V_UNKNOWN;
            else {
                fen = fixed_to_fen(amt);
                if (fen <= 0 && pv == V_OK) {
                    pv = V_FAIL;
                    pf = RVM_FAIL_ZERO;
                }
            }
        }
        if (pv == V_OK) {
            any_eligible = true;
            total = it->combine_max ? (fen > total ? fen : total) : total + fen;
        } else if (pv == V_UNKNOWN) {
            any_unknown = true;
        } else if (pv == V_ERROR) {
            any_error = true;
        } else if (o.failed == RVM_FAIL_NONE) {
            o.failed = pf;
            o.part = (uint8_t)pi;
        }
    }
    if (any_error) {
        o.status = HQ_ERROR;
        o.failed = RVM_FAIL_NONE;
        return o;
    }
    if (any_eligible) {
        o.amount_fen = total;
        o.failed = RVM_FAIL_NONE;
        o.status = dv == V_UNKNOWN ? HQ_NEEDS_DATA : HQ_ELIGIBLE;
    } else if (any_unknown || (dv == V_UNKNOWN && o.failed == RVM_FAIL_NONE)) {
        o.status = HQ_NEEDS_DATA;
        o.failed = RVM_FAIL_NONE;
    }
    return o;
}

void rvm_eval_block(hq_vm *vm, const hq_factbatch *fb, int row0, int n, hq_outcome *out)
{
    const hq_corpus *c = vm->c;
    for (int d = 0; d < c->ndocs; d++) {
        const hq_doc *doc = c->docs[d];
        rvm_run(vm, doc->rules_program, true, fb, row0, n);
        for (int i = 0; i < n; i++) vm->doc_st[i] = doc_verdict(vm, doc->rules_program, 0, i, &vm->doc_failed[i]);
        for (int k = 0; k < doc->nitems; k++) {
            const hq_item *it = doc->items[k];
            if (!it->program) {
                for (int i = 0; i < n; i++)
                    out[(size_t)i * c->nitems + it->index] = (hq_outcome){.status = HQ_INELIGIBLE, .failed = RVM_FAIL_LISTED};
                continue;
            }
            rvm_run(vm, it->program, false, fb, row0, n);
            for (int i = 0; i < n; i++) {
                uint8_t dv = vm->doc_st[i];
                int16_t df = vm->doc_failed[i];
                if (it->except_mask) dv = doc_verdict(vm, doc->rules_program, it->except_mask, i, &df);
                out[(size_t)i * c->nitems + it->index] = fold_lane(vm, it, dv, df, i);
            }
        }
    }
}

hq_outcome rvm_eval_one(hq_vm *vm, const hq_factbatch *fb, int row, const hq_item *it)
{
    const hq_doc *doc = it->doc;
    rvm_run(vm, doc->rules_program, true, fb, row, 1);
    int16_t df;
    uint8_t dv = doc_verdict(vm, doc->rules_program, it->except_mask, 0, &df);
    if (!it->program) return (hq_outcome){.status = HQ_INELIGIBLE, .failed = RVM_FAIL_LISTED};
    rvm_run(vm, it->program, false, fb, row, 1);
    return fold_lane(vm, it, dv, df, 0);
}

void rvm_reg(const hq_vm *vm, int reg, int64_t *v, uint8_t *st)
{
    *v = vm->val[(size_t)reg * RVM_BLOCK];
    *st = vm->st[(size_t)reg * RVM_BLOCK];
}

void rvm_rule_reg(const hq_vm *vm, int reg, int64_t *v, uint8_t *st)
{
    *v = vm->rval[(size_t)reg * RVM_BLOCK];
    *st = vm->rst[(size_t)reg * RVM_BLOCK];
}
