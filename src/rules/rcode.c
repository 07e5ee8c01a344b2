/*
 * The code generator: turns checked expression trees into hq_programs (rules/program.h) and
 * chooses the fact-row layout. Every node gets its own register, numbered in evaluation
 * order, so the evaluator needs no allocation and the explainer can show every
 * intermediate value. Constant sub-expressions are left as CONST loads: they cost one store
 * per lane and keep the register ↔ node mapping one-to-one.
 */
#include "rules/program.h"
#include "rules/corpus.h"

#include <string.h>

enum { RCODE_MAX_CODE = 4096, RCODE_MAX_ROWS = 1024 };

typedef struct {
    hq_corpus *c;
    hq_diag *diag;
    const char *file;
    hq_doc *doc;
    hq_insn code[RCODE_MAX_CODE];
    int ncode, nregs;
    hq_match_row rows[RCODE_MAX_ROWS];
    int nrows;
    bool failed;
} codegen;

static int slot_for(hq_slots *s, hq_slot want)
{
    for (int i = 0; i < s->n; i++) {
        hq_slot *h = &s->v[i];
        if (h->kind == want.kind && h->ref == want.ref && h->year_offset == want.year_offset &&
            h->win_lo == want.win_lo && h->win_hi == want.win_hi)
            return i;
    }
    if (s->n == HQ_MAX_SLOTS) return -1;
    s->v[s->n] = want;
    return s->n++;
}

static void too_big(codegen *cg, int line, int col, const char *what)
{
    if (!cg->failed) diag_at(cg->diag, cg->file, line, col, "%s too large to compile", what);
    cg->failed = true;
}

static uint16_t new_reg(codegen *cg, const hq_node *n)
{
    if (cg->nregs >= HQ_MAX_REGS - 1) {
        too_big(cg, n->line, n->col, "expression");
        return 0;
    }
    return (uint16_t)cg->nregs++;
}

static void emit(codegen *cg, const hq_node *n, hq_opcode op, uint16_t dst, uint16_t a, uint16_t b, uint16_t c, int64_t imm)
{
    if (cg->ncode == RCODE_MAX_CODE) {
        too_big(cg, n->line, n->col, "item");
        return;
    }
    hq_insn *i = &cg->code[cg->ncode++];
    *i = (hq_insn){0}; /* the buffer is reused across items: no field may carry over */
    i->op = (uint8_t)op;
    i->dst = dst;
    i->a = a;
    i->b = b;
    i->c = c;
    i->imm = imm;
}

static int load_slot(codegen *cg, const hq_node *n, hq_slot want)
{
    int s = slot_for(cg->c->slots, want);
    if (s < 0) too_big(cg, n->line, n->col, "fact layout");
    return s < 0 ? 0 : s;
}

static uint16_t gen(codegen *cg, hq_node *n);

static hq_opcode bin_opcode(hq_binop op)
{
    static const hq_opcode M[] = {
        [BIN_ADD] = OP_ADD, [BIN_SUB] = OP_SUB, [BIN_MUL] = OP_MUL, [BIN_LT] = OP_LT, [BIN_LE] = OP_LE,
        [BIN_GT] = OP_GT, [BIN_GE] = OP_GE, [BIN_EQ] = OP_EQ, [BIN_NE] = OP_NE, [BIN_AND] = OP_AND, [BIN_OR] = OP_OR,
    };
    return M[op];
}

static uint16_t gen_call(codegen *cg, hq_node *n)
{
    hq_slot want = {.ref = n->ref, .win_lo = 0, .win_hi = 0};
    switch ((hq_builtin)n->op) {
    case FN_MIN:
    case FN_MAX:
    case FN_STEPS:
    case FN_EXCESS: {
        uint16_t a = gen(cg, n->list[0]), b = gen(cg, n->list[1]);
        static const hq_opcode M[] = {[FN_MIN] = OP_MIN, [FN_MAX] = OP_MAX, [FN_STEPS] = OP_STEPS, [FN_EXCESS] = OP_EXCESS};
        n->reg = new_reg(cg, n);
        emit(cg, n, M[n->op], (uint16_t)n->reg, a, b, 0, 0);
        return (uint16_t)n->reg;
    }
    case FN_YEARS_SINCE:
    case FN_YEARS_BETWEEN: {
        uint16_t a = gen(cg, n->list[0]);
        n->reg = new_reg(cg, n);
        emit(cg, n, n->op == FN_YEARS_SINCE ? OP_YEARS_SINCE : OP_YEARS_BETWEEN, (uint16_t)n->reg, a, 0, 0, 0);
        return (uint16_t)n->reg;
    }
    case FN_IN_REGION: {
        /* The district the region test reads is a node of its own, so explanations show it. */
        hq_node *d = n->a;
        if (!d) {
            d = arena_alloc(cg->c->arena, sizeof *d);
            if (!d) {
                too_big(cg, n->line, n->col, "corpus");
                return 0;
            }
            *d = *n;
            d->kind = NK_FACT;
            d->ref = cg->c->fact_district;
            d->year_offset = 0;
            d->type = cg->c->facts[d->ref]->type;
            d->list = NULL;
            d->nlist = 0;
            n->a = d;
        }
        uint16_t a = gen(cg, d);
        n->reg = new_reg(cg, n);
        emit(cg, n, OP_INSET, (uint16_t)n->reg, a, 0, 0, (int64_t)cg->c->regions[n->ref]->mask);
        return (uint16_t)n->reg;
    }
    case FN_IN_LIST:
        want.kind = SLOT_LIST;
        break;
    case FN_NEW_RECOGNITION:
        want.kind = SLOT_REC_NEW;
        want.win_lo = cg->doc ? cg->doc->issued : 0;
        want.win_hi = cg->doc ? cg->doc->expires : 0;
        break;
    case FN_NEW_GRADE:
        want.kind = SLOT_REC_GRADE;
        want.win_lo = cg->doc ? cg->doc->issued : 0;
        want.win_hi = cg->doc ? cg->doc->expires : 0;
        break;
    case FN_RECOGNITION_LEVEL:
        want.kind = SLOT_REC_HELD;
        break;
    case FN_NEW_COUNT:
        want.kind = SLOT_REC_COUNT;
        want.win_lo = cg->doc ? cg->doc->issued : 0;
        want.win_hi = cg->doc ? cg->doc->expires : 0;
        break;
    case FN_PREV:      /* the checker turns prev(x) into a fact node */
    case FN__COUNT:
        too_big(cg, n->line, n->col, "unresolved call");
        return 0;
    }
    n->slot = load_slot(cg, n, want);
    n->reg = new_reg(cg, n);
    emit(cg, n, OP_LOAD, (uint16_t)n->reg, 0, 0, 0, n->slot);
    return (uint16_t)n->reg;
}

static uint16_t gen_match(codegen *cg, hq_node *n)
{
    uint16_t key = gen(cg, n->a);
    uint16_t vals[256];
    for (int i = 0; i < n->narms && i < 256; i++) vals[i] = gen(cg, n->arms[i].value);
    uint16_t els = n->else_value ? gen(cg, n->else_value) : HQ_NO_REG;
    int first = cg->nrows;
    for (int i = 0; i < n->narms && i < 256; i++)
        for (int k = 0; k < n->arms[i].nkeys; k++) {
            if (cg->nrows == RCODE_MAX_ROWS) {
                too_big(cg, n->line, n->col, "match table");
                return 0;
            }
            hq_node *kn = n->arms[i].keys[k];
            hq_match_row *r = &cg->rows[cg->nrows++];
            r->lo = kn->kind == NK_RANGE ? kn->a->num : kn->num;
            r->hi = kn->kind == NK_RANGE ? kn->b->num : kn->num;
            r->reg = vals[i];
        }
    n->reg = new_reg(cg, n);
    emit(cg, n, OP_MATCH, (uint16_t)n->reg, key, els, (uint16_t)(cg->nrows - first), first);
    return (uint16_t)n->reg;
}

static uint16_t gen(codegen *cg, hq_node *n)
{
    uint16_t a, b, c;
    switch ((hq_nkind)n->kind) {
    case NK_NUM:
    case NK_DATE:
    case NK_BOOL:
    case NK_SYMBOL:
        n->reg = new_reg(cg, n);
        emit(cg, n, OP_CONST, (uint16_t)n->reg, 0, 0, 0, n->num);
        return (uint16_t)n->reg;
    case NK_FACT: {
        hq_slot want = {.kind = SLOT_FACT, .ref = n->ref, .year_offset = n->year_offset};
        n->slot = load_slot(cg, n, want);
        n->reg = new_reg(cg, n);
        emit(cg, n, OP_LOAD, (uint16_t)n->reg, 0, 0, 0, n->slot);
        return (uint16_t)n->reg;
    }
    case NK_BIN:
        a = gen(cg, n->a);
        b = gen(cg, n->b);
        n->reg = new_reg(cg, n);
        emit(cg, n, bin_opcode((hq_binop)n->op), (uint16_t)n->reg, a, b, 0, 0);
        return (uint16_t)n->reg;
    case NK_NOT:
    case NK_NEG:
        a = gen(cg, n->a);
        n->reg = new_reg(cg, n);
        emit(cg, n, n->kind == NK_NOT ? OP_NOT : OP_NEG, (uint16_t)n->reg, a, 0, 0, 0);
        return (uint16_t)n->reg;
    case NK_IF:
        a = gen(cg, n->a);
        b = gen(cg, n->b);
        c = gen(cg, n->c);
        n->reg = new_reg(cg, n);
        emit(cg, n, OP_SELECT, (uint16_t)n->reg, a, b, c, 0);
        return (uint16_t)n->reg;
    case NK_MATCH:
        return gen_match(cg, n);
    case NK_IN: {
        a = gen(cg, n->a);
        uint64_t mask = 0;
        for (int i = 0; i < n->nlist; i++) mask |= (uint64_t)1 << (n->list[i]->num & 63);
        n->reg = new_reg(cg, n);
        emit(cg, n, OP_INSET, (uint16_t)n->reg, a, 0, 0, (int64_t)mask);
        cg->code[cg->ncode - 1].flag = n->negate;
        return (uint16_t)n->reg;
    }
    case NK_CALL:
        return gen_call(cg, n);
    case NK_NAME:   /* resolved by the checker: never reaches the compiler */
    case NK_RANGE:  /* read by gen_match */
        break;
    }
    too_big(cg, n->line, n->col, "unexpected node");
    return 0;
}

static hq_program *finish(codegen *cg)
{
    hq_arena *ar = cg->c->arena;
    hq_program *p = arena_alloc(ar, sizeof *p);
    if (!p) return NULL;
    p->ncode = cg->ncode;
    p->nregs = cg->nregs;
    p->code = arena_alloc(ar, sizeof(hq_insn) * (size_t)(cg->ncode ? cg->ncode : 1));
    p->nrows = cg->nrows;
    p->rows = arena_alloc(ar, sizeof(hq_match_row) * (size_t)(cg->nrows ? cg->nrows : 1));
    if (!p->code || !p->rows) return NULL;
    memcpy(p->code, cg->code, sizeof(hq_insn) * (size_t)cg->ncode);
    memcpy(p->rows, cg->rows, sizeof(hq_match_row) * (size_t)cg->nrows);
    return p;
}

static void reset(codegen *cg, const char *file, hq_doc *doc)
{
    cg->file = file;
    cg->doc = doc;
    cg->ncode = cg->nregs = cg->nrows = 0;
}

static void compile_rules(codegen *cg, hq_doc *d)
{
    reset(cg, d->file, d);
    uint16_t regs[HQ_MAX_RULES_PER_DOC];
    for (int r = 0; r < d->nrules; r++) regs[r] = d->rules[r]->cond ? gen(cg, d->rules[r]->cond) : 0;
    hq_program *p = finish(cg);
    if (!p) return;
    p->stage_reg = HQ_NO_REG;
    p->nrules = d->nrules;
    p->rule_regs = arena_alloc(cg->c->arena, sizeof(uint16_t) * (size_t)(d->nrules ? d->nrules : 1));
    if (p->rule_regs) memcpy(p->rule_regs, regs, sizeof(uint16_t) * (size_t)d->nrules);
    d->rules_program = p;
}

static void compile_item(codegen *cg, hq_item *it)
{
    if (!item_kind_computable(it->kind)) return;
    reset(cg, it->file, it->doc);
    hq_part_code parts[16];
    for (int i = 0; i < it->nparts && i < 16; i++) {
        hq_part *pt = &it->parts[i];
        parts[i].nreq = pt->nrequires;
        parts[i].req_regs = arena_alloc(cg->c->arena, sizeof(uint16_t) * (size_t)(pt->nrequires ? pt->nrequires : 1));
        if (!parts[i].req_regs) return;
        for (int r = 0; r < pt->nrequires; r++) parts[i].req_regs[r] = gen(cg, pt->requires[r]);
        parts[i].amount_reg = pt->amount ? gen(cg, pt->amount) : HQ_NO_REG;
        if (pt->terms.key_kind == PKEY_FACT && pt->terms.key_ref >= 0) /* stacking reads the key's column */
            pt->terms.key_slot = slot_for(cg->c->slots, (hq_slot){.kind = SLOT_FACT, .ref = pt->terms.key_ref});
        parts[i].cap_reg = pt->cap ? gen(cg, pt->cap) : HQ_NO_REG;
    }
    uint16_t stage_reg = it->stage_share ? gen(cg, it->stage_share) : HQ_NO_REG;
    hq_program *p = finish(cg);
    if (!p) return;
    p->stage_reg = stage_reg;
    p->nparts = it->nparts;
    p->parts = arena_alloc(cg->c->arena, sizeof(hq_part_code) * (size_t)it->nparts);
    if (p->parts) memcpy(p->parts, parts, sizeof(hq_part_code) * (size_t)it->nparts);
    it->program = p;
}

/* The by-fact index of the layout (program.h); built once the layout is final. */
static void index_slots(hq_corpus *c, hq_diag *diag)
{
    hq_slots *s = c->slots;
    for (int k = 0; k < 2; k++) {
        s->by_fact[k] = arena_alloc(c->arena, sizeof(int) * (size_t)(c->nfacts + 1));
        if (!s->by_fact[k]) break;
        for (int f = 0; f <= c->nfacts; f++) s->by_fact[k][f] = -1;
    }
    s->other = arena_alloc(c->arena, sizeof(int) * (size_t)(s->n + 1));
    if (!s->by_fact[0] || !s->by_fact[1] || !s->other) {
        diag_add(diag, "corpus", "out of memory while compiling");
        return;
    }
    corpus_index_facts(c);
    s->nother = 0;
    for (int i = 0; i < s->n; i++) {
        const hq_slot *sl = &s->v[i];
        if (sl->kind == SLOT_FACT && (sl->year_offset == 0 || sl->year_offset == -1)) s->by_fact[-sl->year_offset][sl->ref] = i;
        else s->other[s->nother++] = i;
    }
}

void rcode_corpus(hq_corpus *c, hq_diag *diag)
{
    codegen *cg = arena_alloc(c->arena, sizeof *cg);
    c->slots = arena_alloc(c->arena, sizeof *c->slots);
    if (!cg || !c->slots) {
        diag_add(diag, "corpus", "out of memory while compiling");
        return;
    }
    cg->c = c;
    cg->diag = diag;
    hq_slots *s = c->slots;
    /* Facts the engine reads itself (stacking, scope) get fixed columns. */
    s->district = slot_for(s, (hq_slot){.kind = SLOT_FACT, .ref = c->fact_district});
    s->registered = slot_for(s, (hq_slot){.kind = SLOT_FACT, .ref = c->fact_registered});
    int lc = corpus_find_fact(c, "local_contribution");
    s->prev_local_contribution = lc >= 0 ? slot_for(s, (hq_slot){.kind = SLOT_FACT, .ref = lc, .year_offset = -1}) : -1;
    s->local_contribution = lc >= 0 ? slot_for(s, (hq_slot){.kind = SLOT_FACT, .ref = lc}) : -1;
    int et = corpus_find_fact(c, "entity_type");
    s->entity_type = et >= 0 ? slot_for(s, (hq_slot){.kind = SLOT_FACT, .ref = et}) : -1;
    s->entity_type_enterprise = -1;
    if (et >= 0 && c->facts[et]->type.kind == HT_ENUM)
        s->entity_type_enterprise = enum_value(c->enums[c->facts[et]->type.enum_id], "企业");
    for (int d = 0; d < c->ndocs; d++) compile_rules(cg, c->docs[d]);
    for (int i = 0; i < c->nitems; i++) compile_item(cg, c->items[i]);
    index_slots(c, diag);
}
