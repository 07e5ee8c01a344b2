/*
 * The block interpreter and the fold from register values to item outcomes. Semantics of
 * each opcode are in rules/opcodes.h; three-valued logic is Kleene's (docs/language.md).
 *
 * A register is read through a pointer to its lanes. An instruction that computes writes
 * the register's own storage and points the register at it; LOAD only points the register
 * at the fact batch's column (no copy), and CONST at a lane of the corpus's constant pool,
 * filled once when the vm is made. So the per-block cost is the arithmetic, not moving
 * data; in exchange, rvm_reg() reads the batch itself, which must still be alive.
 *
 * Lanes the document rules exclude are dropped before the items run, as a hand-written
 * loop would skip them: the remaining rows are gathered once per block and fact column and
 * shared by every item. The fold to outcomes also runs lane-parallel: one pass over the
 * lanes per condition and per part, rather than one call per entity. bench/ measures all
 * this against a hand-written C loop (docs/benchmarks.md).
 */
#include "base/calendar.h"
#include "eval/rvm.h"

#include <stdlib.h>
#include <string.h>

#include "base/fixed.h"

typedef __int128 i128;

/* Register storage, and for each register the lanes an instruction reads. */
typedef struct {
    int64_t *val;           /* storage: val[reg * RVM_BLOCK + lane] */
    uint8_t *st;
    const int64_t **v;      /* lanes to read: the storage, a batch column, or a constant */
    const uint8_t **s;
    int nregs;
} regfile;

/* Fact columns gathered for the block's selected lanes, kept so that the items after the
 * first find them gathered: slot k's lanes are valid while gen[k] == cur. */
typedef struct {
    int64_t *val;           /* val[slot * RVM_BLOCK + j] */
    uint8_t *st;
    uint32_t *gen;
    uint32_t cur;
} gather_cache;

/* The distinct CONST values of the corpus, each as a full lane (sorted by value). */
typedef struct {
    int64_t *key;
    int64_t *lanes;         /* lanes[k * RVM_BLOCK + lane] = key[k] */
    int n;
} const_pool;

enum { V_OK = 0, V_UNKNOWN = 1, V_FAIL = 2, V_ERROR = 3 };   /* verdicts */
enum { F_ELIGIBLE = 1, F_UNKNOWN = 2, F_ERROR = 4 };          /* parts seen so far */

/* Per-lane state while conditions and the parts of one item are folded into outcomes. */
typedef struct {
    uint8_t dv[RVM_BLOCK];       /* the item's verdict of the document rules */
    int16_t df[RVM_BLOCK];
    uint8_t cflags[RVM_BLOCK];   /* RVM_* status bits of the conditions being folded */
    int16_t pf[RVM_BLOCK];       /* the current part's first false require */
    uint8_t flags[RVM_BLOCK];    /* F_*: what the parts so far were */
    hq_outcome o[RVM_BLOCK];
} fold_lanes;

struct hq_vm {
    const hq_corpus *c;
    regfile items, rules;
    const_pool consts;
    gather_cache gathered;
    uint8_t known[RVM_BLOCK];        /* all zero: the status lanes of a constant */
    uint8_t doc_st[RVM_BLOCK];       /* verdict of the document rules without exceptions */
    int16_t doc_failed[RVM_BLOCK];
    uint16_t sel[RVM_BLOCK];         /* the lanes doc_st does not exclude */
    int nsel;
    uint8_t item_dv[RVM_BLOCK];      /* the same for an item with exceptions */
    int16_t item_df[RVM_BLOCK];
    uint16_t item_sel[RVM_BLOCK];
    fold_lanes fold;
};

/* ---- making and freeing a vm ---------------------------------------------------------- */

static bool regfile_init(regfile *rf, int nregs)
{
    size_t lanes = (size_t)(nregs + 1) * RVM_BLOCK;
    rf->nregs = nregs + 1;
    rf->val = calloc(lanes, sizeof *rf->val);
    rf->st = calloc(lanes, 1);
    rf->v = calloc((size_t)rf->nregs, sizeof *rf->v);
    rf->s = calloc((size_t)rf->nregs, sizeof *rf->s);
    if (!rf->val || !rf->st || !rf->v || !rf->s) return false;
    for (int r = 0; r < rf->nregs; r++) {
        rf->v[r] = rf->val + (size_t)r * RVM_BLOCK;
        rf->s[r] = rf->st + (size_t)r * RVM_BLOCK;
    }
    return true;
}

static void regfile_free(regfile *rf)
{
    free(rf->val);
    free(rf->st);
    free(rf->v);
    free(rf->s);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int count_consts(const hq_program *p)
{
    int n = 0;
    for (int pc = 0; p && pc < p->ncode; pc++) n += p->code[pc].op == OP_CONST;
    return n;
}

static void collect_consts(const hq_program *p, int64_t *key, int *n)
{
    for (int pc = 0; p && pc < p->ncode; pc++)
        if (p->code[pc].op == OP_CONST) key[(*n)++] = p->code[pc].imm;
}

/* Every CONST value of every program, deduplicated, each filled out to a lane. */
static bool const_pool_init(const_pool *cp, const hq_corpus *c)
{
    int total = 0;
    for (int i = 0; i < c->nitems; i++) total += count_consts(c->items[i]->program);
    for (int d = 0; d < c->ndocs; d++) total += count_consts(c->docs[d]->rules_program);
    cp->key = malloc(sizeof *cp->key * (size_t)(total ? total : 1));
    if (!cp->key) return false;
    int n = 0;
    for (int i = 0; i < c->nitems; i++) collect_consts(c->items[i]->program, cp->key, &n);
    for (int d = 0; d < c->ndocs; d++) collect_consts(c->docs[d]->rules_program, cp->key, &n);
    qsort(cp->key, (size_t)n, sizeof *cp->key, cmp_i64);
    cp->n = 0;
    for (int k = 0; k < n; k++)
        if (cp->n == 0 || cp->key[cp->n - 1] != cp->key[k]) cp->key[cp->n++] = cp->key[k];
    cp->lanes = malloc(sizeof *cp->lanes * (size_t)(cp->n ? cp->n : 1) * RVM_BLOCK);
    if (!cp->lanes) return false;
    for (int k = 0; k < cp->n; k++)
        for (int i = 0; i < RVM_BLOCK; i++) cp->lanes[(size_t)k * RVM_BLOCK + i] = cp->key[k];
    return true;
}

/* The pool lane holding `imm`, or NULL (a program from outside the corpus). */
static const int64_t *const_lane(const const_pool *cp, int64_t imm)
{
    int lo = 0, hi = cp->n - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (cp->key[mid] == imm) return cp->lanes + (size_t)mid * RVM_BLOCK;
        if (cp->key[mid] < imm) lo = mid + 1;
        else hi = mid - 1;
    }
    return NULL;
}

hq_vm *rvm_new(const hq_corpus *c)
{
    hq_vm *vm = calloc(1, sizeof *vm);
    if (!vm) return NULL;
    vm->c = c;
    int max_item_regs = 0, max_rule_regs = 0;
    for (int i = 0; i < c->nitems; i++)
        if (c->items[i]->program && c->items[i]->program->nregs > max_item_regs) max_item_regs = c->items[i]->program->nregs;
    for (int d = 0; d < c->ndocs; d++)
        if (c->docs[d]->rules_program && c->docs[d]->rules_program->nregs > max_rule_regs)
            max_rule_regs = c->docs[d]->rules_program->nregs;
    size_t slot_lanes = (size_t)(c->slots->n ? c->slots->n : 1) * RVM_BLOCK;
    vm->gathered.val = malloc(slot_lanes * sizeof *vm->gathered.val);
    vm->gathered.st = malloc(slot_lanes);
    vm->gathered.gen = calloc((size_t)(c->slots->n ? c->slots->n : 1), sizeof *vm->gathered.gen);
    vm->gathered.cur = 1; /* no slot is gathered yet: every gen is 0 */
    if (!regfile_init(&vm->items, max_item_regs) || !regfile_init(&vm->rules, max_rule_regs) ||
        !const_pool_init(&vm->consts, c) || !vm->gathered.val || !vm->gathered.st || !vm->gathered.gen) {
        rvm_free(vm);
        return NULL;
    }
    return vm;
}

void rvm_free(hq_vm *vm)
{
    if (!vm) return;
    regfile_free(&vm->items);
    regfile_free(&vm->rules);
    free(vm->consts.key);
    free(vm->consts.lanes);
    free(vm->gathered.val);
    free(vm->gathered.st);
    free(vm->gathered.gen);
    free(vm);
}

/* ---- lane arithmetic ------------------------------------------------------------------ */

static inline int64_t clamp_i128(i128 v, uint8_t *st)
{
    if (v > INT64_MAX || v < INT64_MIN) {
        *st |= RVM_OVERFLOW;
        return 0;
    }
    return (int64_t)v;
}

/* a × b at 10^-6, truncated toward zero: in 64 bits when the product fits (the common
 * case; the division by a constant is then a multiply), else through 128 bits. */
static inline int64_t mul_fixed(int64_t a, int64_t b, uint8_t *st)
{
    int64_t p;
    if (!__builtin_mul_overflow(a, b, &p)) return p / HQ_FIXED_ONE;
    return clamp_i128((i128)a * b / HQ_FIXED_ONE, st);
}

/* ⌊a / b⌋ as a whole number, as fixed_div_floor(); the quotient of two int64 fits in
 * 64 bits except INT64_MIN / -1. */
static inline int64_t steps_fixed(int64_t a, int64_t b, uint8_t *st)
{
    int64_t q, out;
    if (b == 0 || (a == INT64_MIN && b == -1)) {
        *st |= RVM_OVERFLOW;
        return 0;
    }
    q = a / b;
    if (a % b != 0 && (a < 0) != (b < 0)) q--;
    if (__builtin_mul_overflow(q, HQ_FIXED_ONE, &out)) {
        *st |= RVM_OVERFLOW;
        return 0;
    }
    return out;
}

/* The year of a day count; the year part of cal_civil_from_days(), inlined. */
static inline int64_t year_of(int64_t z)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    return yoe + era * 400 + (mp >= 10);
}

/* ---- the interpreter ------------------------------------------------------------------- */

static void run_match(regfile *rf, const hq_program *p, const hq_insn *in, int n, int64_t *restrict d,
                      uint8_t *restrict ds)
{
    const int64_t *a = rf->v[in->a];
    const uint8_t *as = rf->s[in->a];
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
            d[i] = rf->v[src][i];
            ds[i] = rf->s[src][i];
        }
    }
}

/* Point register dst at a constant: the pool's lane, else its own storage filled. */
static void run_const(hq_vm *vm, regfile *rf, const hq_insn *in)
{
    const int64_t *lane = const_lane(&vm->consts, in->imm);
    if (!lane) {
        int64_t *d = rf->val + (size_t)in->dst * RVM_BLOCK, imm = in->imm;
        for (int i = 0; i < RVM_BLOCK; i++) d[i] = imm;
        lane = d;
    }
    rf->v[in->dst] = lane;
    rf->s[in->dst] = vm->known;
}

/* Which lanes a program runs over: rows row0 … row0+n-1, or only rows row0 + sel[j];
 * a selection may keep its gathered columns in `cache`. */
typedef struct {
    int row0;
    const uint16_t *sel;
    gather_cache *cache;
} lane_source;

static void gather(const int64_t *col, const uint8_t *unk, const uint16_t *sel, int n, int64_t *restrict d,
                   uint8_t *restrict ds)
{
    for (int j = 0; j < n; j++) {
        d[j] = col[sel[j]];
        ds[j] = unk[sel[j]];
    }
}

/* Point register dst at the fact column's lanes: the batch itself, or the selected rows
 * gathered (into the cache, once per block and slot, or into dst's storage). */
static void run_load(regfile *rf, const hq_insn *in, const hq_factbatch *fb, const lane_source *src, int n)
{
    size_t off = (size_t)in->imm * (size_t)fb->cap + (size_t)src->row0;
    const int64_t *col = fb->val + off;
    const uint8_t *unk = fb->unk + off;
    if (src->sel) {
        gather_cache *gc = src->cache;
        int64_t *d = gc ? gc->val + (size_t)in->imm * RVM_BLOCK : rf->val + (size_t)in->dst * RVM_BLOCK;
        uint8_t *ds = gc ? gc->st + (size_t)in->imm * RVM_BLOCK : rf->st + (size_t)in->dst * RVM_BLOCK;
        if (!gc || gc->gen[in->imm] != gc->cur) gather(col, unk, src->sel, n, d, ds);
        if (gc) gc->gen[in->imm] = gc->cur;
        col = d;
        unk = ds;
    }
    rf->v[in->dst] = col;
    rf->s[in->dst] = unk;
}

/* One instruction that computes into dst's storage, over n lanes. (MATCH's b may be
 * HQ_NO_REG, so it reads its operands itself.) */
static void run_lanes(regfile *rf, const hq_program *p, const hq_insn *in, int n, int year)
{
    int64_t *restrict d = rf->val + (size_t)in->dst * RVM_BLOCK;
    uint8_t *restrict ds = rf->st + (size_t)in->dst * RVM_BLOCK;
    if (in->op == OP_MATCH) {
        run_match(rf, p, in, n, d, ds);
        rf->v[in->dst] = d;
        rf->s[in->dst] = ds;
        return;
    }
    const int64_t *restrict a = rf->v[in->a], *restrict b = rf->v[in->b];
    const uint8_t *restrict as = rf->s[in->a], *restrict bs = rf->s[in->b];
    rf->v[in->dst] = d;
    rf->s[in->dst] = ds;
    switch ((hq_opcode)in->op) {
#define LANES(expr)                                  \
    for (int i = 0; i < n; i++) {                    \
        ds[i] = as[i] | bs[i];                       \
        expr;                                        \
    }
    case OP_ADD: LANES(if (__builtin_add_overflow(a[i], b[i], &d[i])) ds[i] |= RVM_OVERFLOW) break;
    case OP_SUB: LANES(if (__builtin_sub_overflow(a[i], b[i], &d[i])) ds[i] |= RVM_OVERFLOW) break;
    case OP_MUL: LANES(d[i] = mul_fixed(a[i], b[i], &ds[i])) break;
    case OP_MIN: LANES(d[i] = a[i] < b[i] ? a[i] : b[i]) break;
    case OP_MAX: LANES(d[i] = a[i] > b[i] ? a[i] : b[i]) break;
    case OP_EXCESS: LANES(d[i] = a[i] > b[i] ? a[i] - b[i] : 0) break;
    case OP_STEPS: LANES(d[i] = steps_fixed(a[i], b[i], &ds[i])) break;
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
        const int64_t *c = rf->v[in->c];
        const uint8_t *cs = rf->s[in->c];
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
    case OP_YEARS_SINCE:
        for (int i = 0; i < n; i++) {
            ds[i] = as[i];
            d[i] = as[i] ? 0 : (year - year_of(a[i]) + 1) * HQ_FIXED_ONE;
        }
        break;
    case OP_YEARS_BETWEEN:
        for (int i = 0; i < n; i++) {
            ds[i] = as[i];
            d[i] = as[i] ? 0 : (year - year_of(a[i])) * HQ_FIXED_ONE;
        }
        break;
    case OP_CONST: /* run_program handles these itself, */
    case OP_LOAD:
    case OP_MATCH: /* and the table lookup above */
    case OP__COUNT:
        break;
    }
}

static void run_program(hq_vm *vm, const hq_program *p, regfile *rf, const hq_factbatch *fb, const lane_source *src, int n)
{
    for (int pc = 0; pc < p->ncode; pc++) {
        const hq_insn *in = &p->code[pc];
        if (in->op == OP_CONST) run_const(vm, rf, in);
        else if (in->op == OP_LOAD) run_load(rf, in, fb, src, n);
        else run_lanes(rf, p, in, n, fb->year);
    }
}

void rvm_run(hq_vm *vm, const hq_program *p, bool rules_file, const hq_factbatch *fb, int row0, int n)
{
    lane_source all = {.row0 = row0};
    run_program(vm, p, rules_file ? &vm->rules : &vm->items, fb, &all, n);
}

/* ---- folding registers into outcomes, lane-parallel ------------------------------------- */

/* A list of conditions (a document's rules, a part's requires) is folded lane by lane into
 * the first definitely false one (`failed`, or RVM_FAIL_NONE) and the union of their
 * status bits (`flags`). The verdict follows: any false fails, else an overflow is an
 * error, else an unknown leaves it unknown. Keeping the two apart makes each condition one
 * branch-free pass over the lanes. */
static void fold_condition(const regfile *rf, uint16_t reg, int16_t why, int n, uint8_t *restrict flags,
                           int16_t *restrict failed)
{
    const int64_t *v = rf->v[reg];
    const uint8_t *s = rf->s[reg];
    for (int i = 0; i < n; i++) {
        uint8_t si = s[i];
        int16_t f = failed[i];
        bool first_false = (f == RVM_FAIL_NONE) & (si == 0) & (v[i] == 0);
        flags[i] |= si;
        failed[i] = first_false ? why : f;
    }
}

static inline uint8_t verdict_of(uint8_t flags, int16_t failed)
{
    return failed != RVM_FAIL_NONE ? V_FAIL : (flags & RVM_OVERFLOW) ? V_ERROR : flags ? V_UNKNOWN : V_OK;
}

static void clear_conditions(int n, uint8_t *flags, int16_t *failed)
{
    memset(flags, 0, (size_t)n);
    for (int i = 0; i < n; i++) failed[i] = RVM_FAIL_NONE;
}

/* Verdicts of a document's rules for n lanes, skipping the excepted ones. */
static void doc_verdicts(hq_vm *vm, const hq_program *rp, uint64_t except, int n, uint8_t *dv, int16_t *df)
{
    uint8_t *flags = vm->fold.cflags;
    clear_conditions(n, flags, df);
    for (int r = 0; r < rp->nrules; r++)
        if (!(except >> r & 1)) fold_condition(&vm->rules, rp->rule_regs[r], (int16_t)r, n, flags, df);
    for (int i = 0; i < n; i++) dv[i] = verdict_of(flags[i], df[i]);
}

/* A part's verdict once its amount is known: the amount, capped and rounded to 分, into
 * *fen; an unknown or overflowing amount, or an award of 0, changes the verdict. */
static inline uint8_t part_amount(const regfile *rf, const hq_part_code *pc, uint16_t stage_reg, int i, uint8_t pv,
                                  int16_t *pf, uint16_t *capped, int pi, int64_t *fen)
{
    *fen = 0;
    if (pv == V_FAIL) return pv;
    uint8_t s = rf->s[pc->amount_reg][i];
    int64_t amt = rf->v[pc->amount_reg][i];
    if (pc->cap_reg != HQ_NO_REG) {
        s |= rf->s[pc->cap_reg][i];
        if (!s && amt > rf->v[pc->cap_reg][i]) {
            amt = rf->v[pc->cap_reg][i];
            *capped |= (uint16_t)(1u << pi);
        }
    }
    /* A staged award pays the share of the (capped) total that the stages reached make. */
    if (stage_reg != HQ_NO_REG) {
        s |= rf->s[stage_reg][i];
        if (!s && !fixed_mul(amt, rf->v[stage_reg][i], &amt)) s |= RVM_OVERFLOW;
    }
    if (s & RVM_OVERFLOW) return V_ERROR;
    if (s) return pv == V_ERROR ? V_ERROR : V_UNKNOWN;
    *fen = fixed_to_fen(amt);
    if (*fen <= 0 && pv == V_OK) {
        *pf = RVM_FAIL_ZERO;
        return V_FAIL;
    }
    return pv;
}

/* Add part pi's result to each lane's item outcome. */
static void fold_part(const regfile *rf, const hq_item *it, int pi, int n, fold_lanes *f)
{
    const hq_part_code *pc = &it->program->parts[pi];
    for (int i = 0; i < n; i++) {
        hq_outcome *o = &f->o[i];
        int64_t fen;
        int16_t pf = f->pf[i];
        uint8_t pv = part_amount(rf, pc, it->program->stage_reg, i, verdict_of(f->cflags[i], pf), &pf, &o->capped, pi, &fen);
        if (pv == V_OK) {
            f->flags[i] |= F_ELIGIBLE;
            o->amount_fen = it->combine_max ? (fen > o->amount_fen ? fen : o->amount_fen) : o->amount_fen + fen;
        } else if (pv == V_UNKNOWN) {
            f->flags[i] |= F_UNKNOWN;
            o->unknown |= (uint16_t)(1u << pi);
        } else if (pv == V_ERROR) {
            f->flags[i] |= F_ERROR;
        } else if (o->failed == RVM_FAIL_NONE) {
            o->failed = pf;
            o->part = (uint8_t)pi;
        }
    }
}

/* The final status of each lane from what its parts and the document rules were. */
static hq_outcome finish_lane(const fold_lanes *f, int i)
{
    hq_outcome o = f->o[i];
    uint8_t dv = f->dv[i], flags = f->flags[i];
    if (dv == V_FAIL) return (hq_outcome){.status = HQ_INELIGIBLE, .failed = f->df[i]};
    if ((flags & F_ERROR) || dv == V_ERROR) {
        o.status = HQ_ERROR;
        o.failed = RVM_FAIL_NONE;
        o.amount_fen = 0;
    } else if (flags & F_ELIGIBLE) {
        o.failed = RVM_FAIL_NONE;
        o.status = dv == V_UNKNOWN ? HQ_NEEDS_DATA : HQ_ELIGIBLE;
    } else if ((flags & F_UNKNOWN) || (dv == V_UNKNOWN && o.failed == RVM_FAIL_NONE)) {
        o.status = HQ_NEEDS_DATA;
        o.failed = RVM_FAIL_NONE;
    }
    return o;
}

/* Fold the item's registers (its program has just run) into n outcomes; f->dv and f->df
 * hold the document verdict each lane sees. Lane j's outcome goes to out[row * stride],
 * row being sel[j], or j without a selection. */
static void fold_item(const regfile *rf, const hq_item *it, int n, fold_lanes *f, hq_outcome *out, size_t stride,
                      const uint16_t *sel)
{
    const hq_program *p = it->program;
    memset(f->flags, 0, (size_t)n);
    for (int i = 0; i < n; i++) f->o[i] = (hq_outcome){.status = HQ_INELIGIBLE, .failed = RVM_FAIL_NONE};
    for (int pi = 0; pi < p->nparts; pi++) {
        const hq_part_code *pc = &p->parts[pi];
        clear_conditions(n, f->cflags, f->pf);
        for (int r = 0; r < pc->nreq; r++)
            fold_condition(rf, pc->req_regs[r], (int16_t)(RVM_FAIL_REQ + r), n, f->cflags, f->pf);
        fold_part(rf, it, pi, n, f);
    }
    for (int i = 0; i < n; i++) out[(size_t)(sel ? sel[i] : i) * stride] = finish_lane(f, i);
}

/* Forget every gathered column (a new block or selection). */
static void new_selection(gather_cache *gc, int nslots)
{
    if (++gc->cur == 0) {
        memset(gc->gen, 0, sizeof *gc->gen * (size_t)nslots);
        gc->cur = 1;
    }
}

/* The lanes whose document verdict is not a failure, in order; returns how many. */
static int select_lanes(const uint8_t *dv, int n, uint16_t *sel)
{
    int m = 0;
    for (int i = 0; i < n; i++) {
        sel[m] = (uint16_t)i;
        m += dv[i] != V_FAIL;
    }
    return m;
}

/* One item over a block. Lanes the document rules exclude get their outcome at once and
 * are left out of the item's program (when enough are excluded to pay for gathering the
 * rest), as a hand-written loop would skip them. */
static void eval_item(hq_vm *vm, const hq_factbatch *fb, int row0, int n, const hq_item *it, hq_outcome *out)
{
    const size_t stride = (size_t)vm->c->nitems;
    const uint8_t *dv = vm->doc_st;
    const int16_t *df = vm->doc_failed;
    lane_source src = {.row0 = row0, .sel = vm->sel, .cache = &vm->gathered};
    int m = vm->nsel;
    if (it->except_mask) {
        doc_verdicts(vm, it->doc->rules_program, it->except_mask, n, vm->item_dv, vm->item_df);
        dv = vm->item_dv;
        df = vm->item_df;
        m = select_lanes(dv, n, vm->item_sel);
        src.sel = vm->item_sel;
        src.cache = NULL;
    }
    for (int i = 0; i < n; i++)
        if (dv[i] == V_FAIL) out[(size_t)i * stride] = (hq_outcome){.status = HQ_INELIGIBLE, .failed = df[i]};
    if (m == 0) return;
    if (m * 8 >= n * 7) { /* nearly all lanes: evaluate them all, reading the batch in place */
        lane_source all = {.row0 = row0};
        run_program(vm, it->program, &vm->items, fb, &all, n);
        memcpy(vm->fold.dv, dv, (size_t)n);
        memcpy(vm->fold.df, df, sizeof *df * (size_t)n);
        fold_item(&vm->items, it, n, &vm->fold, out, stride, NULL);
        return;
    }
    run_program(vm, it->program, &vm->items, fb, &src, m);
    for (int j = 0; j < m; j++) {
        vm->fold.dv[j] = dv[src.sel[j]];
        vm->fold.df[j] = df[src.sel[j]];
    }
    fold_item(&vm->items, it, m, &vm->fold, out, stride, src.sel);
}

/* 附则5: a document applies to the data years from the year it was issued to the year it
 * expires (recognitions are further held to the exact dates by their slots). */
static bool year_in_window(const hq_doc *doc, int year)
{
    int y0, y1, m, d;
    cal_civil_from_days(doc->issued, &y0, &m, &d);
    cal_civil_from_days(doc->expires, &y1, &m, &d);
    return year >= y0 && year <= y1;
}

static void mark_all(const hq_doc *doc, size_t stride, int n, hq_outcome *out)
{
    for (int k = 0; k < doc->nitems; k++) {
        const hq_item *it = doc->items[k];
        int16_t why = it->program ? RVM_FAIL_EXPIRED : RVM_FAIL_LISTED;
        for (int i = 0; i < n; i++) out[(size_t)i * stride + it->index] = (hq_outcome){.status = HQ_INELIGIBLE, .failed = why};
    }
}

void rvm_eval_block(hq_vm *vm, const hq_factbatch *fb, int row0, int n, hq_outcome *out)
{
    const hq_corpus *c = vm->c;
    const size_t stride = (size_t)c->nitems;
    for (int d = 0; d < c->ndocs; d++) {
        const hq_doc *doc = c->docs[d];
        if (!year_in_window(doc, fb->year)) {
            mark_all(doc, stride, n, out);
            continue;
        }
        rvm_run(vm, doc->rules_program, true, fb, row0, n);
        doc_verdicts(vm, doc->rules_program, 0, n, vm->doc_st, vm->doc_failed);
        vm->nsel = select_lanes(vm->doc_st, n, vm->sel);
        new_selection(&vm->gathered, vm->c->slots->n);
        for (int k = 0; k < doc->nitems; k++) {
            const hq_item *it = doc->items[k];
            if (it->program) {
                eval_item(vm, fb, row0, n, it, out + it->index);
                continue;
            }
            for (int i = 0; i < n; i++)
                out[(size_t)i * stride + it->index] = (hq_outcome){.status = HQ_INELIGIBLE, .failed = RVM_FAIL_LISTED};
        }
    }
}

hq_outcome rvm_eval_one(hq_vm *vm, const hq_factbatch *fb, int row, const hq_item *it)
{
    const hq_doc *doc = it->doc;
    rvm_run(vm, doc->rules_program, true, fb, row, 1);
    doc_verdicts(vm, doc->rules_program, it->except_mask, 1, vm->fold.dv, vm->fold.df);
    if (!it->program) return (hq_outcome){.status = HQ_INELIGIBLE, .failed = RVM_FAIL_LISTED};
    rvm_run(vm, it->program, false, fb, row, 1);
    if (!year_in_window(doc, fb->year)) return (hq_outcome){.status = HQ_INELIGIBLE, .failed = RVM_FAIL_EXPIRED};
    hq_outcome o;
    fold_item(&vm->items, it, 1, &vm->fold, &o, 1, NULL);
    return o;
}

int64_t rvm_part_fen(const hq_vm *vm, const hq_item *it, int part)
{
    if (!it->program || part < 0 || part >= it->program->nparts) return 0;
    const hq_part_code *pc = &it->program->parts[part];
    const regfile *rf = &vm->items;
    for (int r = 0; r < pc->nreq; r++)
        if (rf->s[pc->req_regs[r]][0] || !rf->v[pc->req_regs[r]][0]) return 0;
    int16_t pf = RVM_FAIL_NONE;
    uint16_t capped = 0;
    int64_t fen = 0;
    return part_amount(rf, pc, it->program->stage_reg, 0, V_OK, &pf, &capped, part, &fen) == V_OK ? fen : 0;
}

void rvm_reg(const hq_vm *vm, int reg, int64_t *v, uint8_t *st)
{
    *v = vm->items.v[reg][0];
    *st = vm->items.s[reg][0];
}

void rvm_rule_reg(const hq_vm *vm, int reg, int64_t *v, uint8_t *st)
{
    *v = vm->rules.v[reg][0];
    *st = vm->rules.s[reg][0];
}
