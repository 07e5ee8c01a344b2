/*
 * The checker: resolves every name in the corpus (facts, enum values, lists, recognitions,
 * regions, document rules) and type-checks every expression, so that nothing reaches the
 * compiler that could fail at evaluation time for a reason other than missing data. Each
 * problem is reported at file:line:col; checking goes on after an error so that one run
 * reports them all.
 */
#include "rules/corpus.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    hq_corpus *c;
    hq_diag *diag;
    const char *file;
} checker;



static void err(checker *ck, const hq_node *n, const char *fmt, const char *a, const char *b)
{
    char msg[512];
    snprintf(msg, sizeof msg, fmt, a, b);
    diag_at(ck->diag, ck->file, n->line, n->col, "%s", msg);
}

static hq_type T(hq_tkind k)
{
    hq_type t = {.kind = (uint8_t)k, .enum_id = -1};
    return t;
}

static bool same(hq_type a, hq_type b)
{
    return a.kind == b.kind && (a.kind != HT_ENUM || a.enum_id == b.enum_id);
}

static bool numeric(hq_type t)
{
    return t.kind == HT_COUNT || t.kind == HT_MONEY || t.kind == HT_RATE;
}


/* Turn an unresolved name into a value of enum `t`, or report it. */
static bool resolve_symbol(checker *ck, hq_node *n, hq_type t)
{
    if (n->kind != NK_NAME) return true;
    if (t.kind != HT_ENUM) {
        err(ck, n, "unknown fact '%s'%s", n->name, "");
        n->type = T(HT_NONE);
        return false;
    }
    int v = enum_value(ck->c->enums[t.enum_id], n->name);
    if (v < 0) {
        err(ck, n, "'%s' is not a value of %s", n->name, ck->c->enums[t.enum_id]->name);
        n->type = T(HT_NONE);
        return false;
    }
    n->kind = NK_SYMBOL;
    n->num = v;
    n->type = t;
    return true;
}

static hq_type check(checker *ck, hq_node *n);

/* Check an expression that must have a value of its own (not a bare value name). */
static hq_type check_value(checker *ck, hq_node *n)
{
    hq_type t = check(ck, n);
    if (t.kind == HT_SYM) {
        err(ck, n, "unknown fact '%s'%s", n->name, "");
        return T(HT_NONE);
    }
    return t;
}

/* Check two operands that must agree, resolving a bare value name against the other side. */
static hq_type check_pair(checker *ck, hq_node *a, hq_node *b, hq_type *tb)
{
    hq_type ta = check(ck, a);
    *tb = check(ck, b);
    if (ta.kind == HT_SYM && tb->kind == HT_SYM) {
        err(ck, a, "unknown fact '%s'%s", a->name, "");
        return T(HT_NONE);
    }
    if (ta.kind == HT_SYM) {
        if (!resolve_symbol(ck, a, *tb)) return T(HT_NONE);
        ta = *tb;
    }
    if (tb->kind == HT_SYM) {
        if (!resolve_symbol(ck, b, ta)) return T(HT_NONE);
        *tb = ta;
    }
    return ta;
}

static hq_type check_arith(checker *ck, hq_node *n)
{
    hq_type ta = check_value(ck, n->a), tb = check_value(ck, n->b);
    if (ta.kind == HT_NONE || tb.kind == HT_NONE) return T(HT_NONE);
    if (!numeric(ta) || !numeric(tb)) {
        err(ck, n, "arithmetic needs numbers, not %s and %s", type_name(ck->c, ta), type_name(ck->c, tb));
        return T(HT_NONE);
    }
    if (n->op != BIN_MUL) {
        if (!same(ta, tb)) {
            err(ck, n, "cannot add or subtract %s and %s", type_name(ck->c, ta), type_name(ck->c, tb));
            return T(HT_NONE);
        }
        return ta;
    }
    if (ta.kind == HT_MONEY && tb.kind == HT_MONEY) {
        err(ck, n, "cannot multiply %s by %s", "money", "money");
        return T(HT_NONE);
    }
    /* money dominates, then count, then rate: 元 × 张 = 元, 人次 × 50% = 人次. */
    if (ta.kind == HT_MONEY || tb.kind == HT_MONEY) return T(HT_MONEY);
    if (ta.kind == HT_COUNT || tb.kind == HT_COUNT) return T(HT_COUNT);
    return T(HT_RATE);
}

static hq_type check_compare(checker *ck, hq_node *n)
{
    hq_type tb;
    hq_type ta = check_pair(ck, n->a, n->b, &tb);
    if (ta.kind == HT_NONE || tb.kind == HT_NONE) return T(HT_BOOL);
    if (!same(ta, tb)) {
        err(ck, n, "cannot compare %s with %s", type_name(ck->c, ta), type_name(ck->c, tb));
        return T(HT_BOOL);
    }
    bool ordered = n->op != BIN_EQ && n->op != BIN_NE;
    if (ordered && (ta.kind == HT_BOOL || (ta.kind == HT_ENUM && !ck->c->enums[ta.enum_id]->ordered)))
        err(ck, n, "'%s' needs ordered values, and %s has no order", n->opword, type_name(ck->c, ta));
    return T(HT_BOOL);
}

static hq_type check_bool(checker *ck, hq_node *n, const char *what)
{
    hq_type t = check_value(ck, n);
    if (t.kind != HT_NONE && t.kind != HT_BOOL) err(ck, n, "%s needs a condition, not %s", what, type_name(ck->c, t));
    return T(HT_BOOL);
}

static int arg_ref(checker *ck, hq_node *call, int (*find)(const hq_corpus *, const char *), const char *what)
{
    hq_node *a = call->list[0];
    if (a->kind != NK_NAME) {
        err(ck, a, "expected the name of a %s%s", what, "");
        return -1;
    }
    int r = find(ck->c, a->name);
    if (r < 0) err(ck, a, "unknown %s '%s'", what, a->name);
    return r;
}

static hq_type check_call(checker *ck, hq_node *n)
{
    hq_corpus *c = ck->c;
    switch ((hq_builtin)n->op) {
    case FN_MIN:
    case FN_MAX:
    case FN_STEPS:
    case FN_EXCESS: {
        hq_type ta = check_value(ck, n->list[0]), tb = check_value(ck, n->list[1]);
        if (ta.kind == HT_NONE || tb.kind == HT_NONE) return T(HT_NONE);
        if (!numeric(ta) || !same(ta, tb)) {
            err(ck, n, "this function needs two numbers of one type, not %s and %s", type_name(c, ta), type_name(c, tb));
            return T(HT_NONE);
        }
        return n->op == FN_STEPS ? T(HT_COUNT) : ta;
    }
    case FN_PREV: {
        hq_node *a = n->list[0];
        int f = a->kind == NK_NAME ? corpus_find_fact(c, a->name) : -1;
        if (f < 0 || !c->facts[f]->yearly) {
            err(ck, a, "prev() takes a yearly fact%s%s", "", "");
            return T(HT_NONE);
        }
        /* prev(x) is just fact x one year earlier. */
        n->kind = NK_FACT;
        n->ref = f;
        n->year_offset = -1;
        c->facts[f]->used = true;
        return c->facts[f]->type;
    }
    case FN_YEARS_SINCE:
    case FN_YEARS_BETWEEN: {
        hq_type t = check_value(ck, n->list[0]);
        if (t.kind != HT_NONE && t.kind != HT_DATE) err(ck, n, "this function needs a date, not %s%s", type_name(c, t), "");
        return T(HT_COUNT);
    }
    case FN_IN_LIST:
        n->ref = arg_ref(ck, n, corpus_find_list, "list");
        return T(HT_BOOL);
    case FN_IN_REGION:
        n->ref = arg_ref(ck, n, corpus_find_region, "region");
        c->facts[c->fact_district]->used = true;
        return T(HT_BOOL);
    case FN_NEW_COUNT:
        n->ref = arg_ref(ck, n, corpus_find_recognition, "recognition");
        return T(HT_COUNT);
    case FN_NEW_RECOGNITION:
    case FN_RECOGNITION_LEVEL:
    case FN_NEW_GRADE: {
        n->ref = arg_ref(ck, n, corpus_find_recognition, "recognition");
        if (n->ref < 0) return T(HT_NONE);
        hq_recognition *r = c->recognitions[n->ref];
        int e = n->op == FN_NEW_GRADE ? r->grades_enum : r->levels_enum;
        if (n->op == FN_NEW_GRADE && e < 0) {
            err(ck, n, "recognition '%s' has no grades%s", r->name, "");
            return T(HT_NONE);
        }
        if (e < 0) return T(HT_BOOL);
        hq_type t = {.kind = HT_ENUM, .enum_id = (int16_t)e};
        return t;
    }
    case FN__COUNT:
        break;
    }
    return T(HT_NONE);
}

static hq_type check_match(checker *ck, hq_node *n)
{
    hq_type key = check_value(ck, n->a);
    hq_type result = T(HT_NONE);
    bool seen[HQ_ENUM_MAX_VALUES + 1] = {0};
    for (int i = 0; i < n->narms; i++) {
        hq_arm *arm = &n->arms[i];
        for (int k = 0; k < arm->nkeys; k++) {
            hq_node *kn = arm->keys[k];
            if (key.kind == HT_NONE) continue;
            if (kn->kind == NK_NAME) {
                if (resolve_symbol(ck, kn, key)) {
                    if (seen[kn->num]) err(ck, kn, "'%s' appears twice in the table%s", kn->name, "");
                    seen[kn->num] = true;
                }
            } else {
                hq_type kt = kn->kind == NK_RANGE ? kn->a->type : kn->type;
                if (!numeric(key) || !same(kt, key))
                    err(ck, kn, "table key is a %s but the value matched is %s", type_name(ck->c, kt), type_name(ck->c, key));
                if (kn->kind == NK_RANGE && kn->a->num > kn->b->num) err(ck, kn, "empty range%s%s", "", "");
            }
        }
        hq_type v = check_value(ck, arm->value);
        if (result.kind == HT_NONE) result = v;
        else if (v.kind != HT_NONE && !same(v, result))
            err(ck, arm->value, "table values must share one type: %s and %s", type_name(ck->c, result), type_name(ck->c, v));
    }
    if (n->else_value) {
        hq_type v = check_value(ck, n->else_value);
        if (v.kind != HT_NONE && result.kind != HT_NONE && !same(v, result))
            err(ck, n->else_value, "the else value must be %s, not %s", type_name(ck->c, result), type_name(ck->c, v));
    }
    if (result.kind != HT_NONE && !numeric(result) && !n->else_value)
        err(ck, n, "a table of %s values needs an else row%s", type_name(ck->c, result), "");
    return result;
}

static hq_type check(checker *ck, hq_node *n)
{
    hq_corpus *c = ck->c;
    hq_type t;
    /* A node reached twice (an item-level require is shared by every part) keeps the type
     * its first check gave it; checking it again would see the resolved kind, not the name. */
    if (n->checked) return n->type;
    switch ((hq_nkind)n->kind) {
    case NK_NUM:
    case NK_DATE:
    case NK_BOOL:
        t = n->type;
        break;
    case NK_NAME: {
        int f = corpus_find_fact(c, n->name);
        int p = f < 0 ? corpus_find_param(c, n->name) : -1;
        if (p >= 0) {
            /* A parameter is a constant with provenance. */
            n->kind = NK_NUM;
            n->param = p;
            n->num = c->params[p]->value;
            t = c->params[p]->type;
            break;
        }
        if (f < 0) return T(HT_SYM);
        n->kind = NK_FACT;
        n->ref = f;
        c->facts[f]->used = true;
        t = c->facts[f]->type;
        break;
    }
    case NK_BIN:
        if (n->op == BIN_AND || n->op == BIN_OR) {
            check_bool(ck, n->a, n->opword);
            check_bool(ck, n->b, n->opword);
            t = T(HT_BOOL);
        } else if (n->op <= BIN_MUL) {
            t = check_arith(ck, n);
        } else {
            t = check_compare(ck, n);
        }
        break;
    case NK_NOT:
        t = check_bool(ck, n->a, "not");
        break;
    case NK_NEG:
        t = check_value(ck, n->a);
        if (t.kind != HT_NONE && !numeric(t)) err(ck, n, "cannot negate %s%s", type_name(c, t), "");
        break;
    case NK_IF: {
        check_bool(ck, n->a, "if");
        hq_type tc;
        t = check_pair(ck, n->b, n->c, &tc);
        if (t.kind != HT_NONE && tc.kind != HT_NONE && !same(t, tc))
            err(ck, n, "the branches of if must agree: %s and %s", type_name(c, t), type_name(c, tc));
        break;
    }
    case NK_MATCH:
        t = check_match(ck, n);
        break;
    case NK_IN: {
        hq_type ta = check_value(ck, n->a);
        if (ta.kind != HT_NONE && ta.kind != HT_ENUM) err(ck, n, "'in' needs an enum value on the left, not %s%s", type_name(c, ta), "");
        else if (ta.kind == HT_ENUM)
            for (int i = 0; i < n->nlist; i++) resolve_symbol(ck, n->list[i], ta);
        t = T(HT_BOOL);
        break;
    }
    case NK_CALL:
        t = check_call(ck, n);
        break;
    case NK_FACT:   /* already resolved (a node shared by the parts of an item) */
    case NK_SYMBOL:
        t = n->type;
        break;
    case NK_RANGE:  /* only inside a match arm, where check_match types it */
        t = T(HT_NONE);
        break;
    }
    n->type = t;
    n->checked = true;
    return t;
}

/* ---- declarations ---------------------------------------------------------------------- */

/* Users read a declaration's label wherever its rule is shown (phrase.h), so it must be
 * Chinese: at least one non-ASCII character and no English word or identifier (two or more
 * lowercase letters or an underscore); official codes such as ISO, B2C, AAA stay allowed. */
static bool label_is_chinese(const char *s)
{
    bool wide = false;
    int lower = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        wide |= *p >= 0x80;
        lower = (*p >= 'a' && *p <= 'z') ? lower + 1 : 0;
        if (lower >= 2 || *p == '_') return false;
    }
    return wide;
}

static void check_label(checker *ck, const char *what, const char *name, const char *label, const char *file, int line,
                        int col)
{
    if (!label || !label_is_chinese(label))
        diag_at(ck->diag, file, line, col, "%s '%s' needs a Chinese label (users read it), got \"%s\"", what, name,
                label ? label : "");
}

static void check_labels(checker *ck)
{
    const hq_corpus *c = ck->c;
    for (int i = 0; i < c->nfacts; i++)
        check_label(ck, "fact", c->facts[i]->name, c->facts[i]->label, c->facts[i]->file, c->facts[i]->line, c->facts[i]->col);
    for (int i = 0; i < c->nlists; i++)
        check_label(ck, "list", c->lists[i]->name, c->lists[i]->label, c->lists[i]->file, c->lists[i]->line, c->lists[i]->col);
    for (int i = 0; i < c->nrecognitions; i++) {
        const hq_recognition *r = c->recognitions[i];
        check_label(ck, "recognition", r->name, r->label, r->file, r->line, r->col);
    }
    for (int i = 0; i < c->nregions; i++) {
        const hq_region *r = c->regions[i];
        check_label(ck, "region", r->name, r->label, r->file, r->line, r->col);
    }
    /* An enum value is shown as written: it may be an official code (A, AAA) but no word. */
    for (int i = 0; i < c->nenums; i++) {
        const hq_enum *e = c->enums[i];
        for (int v = 1; v < e->nvalues; v++) {
            bool word = false;
            int lower = 0;
            for (const char *p = e->values[v]; *p; p++) {
                lower = (*p >= 'a' && *p <= 'z') ? lower + 1 : 0;
                word |= lower >= 2 || *p == '_';
            }
            if (word)
                diag_at(ck->diag, e->file, e->line, e->col, "enum '%s' value '%s' is not Chinese (users read it)", e->name,
                        e->values[v]);
        }
    }
}

static void check_decls(checker *ck)
{
    hq_corpus *c = ck->c;
    check_labels(ck);
    for (int i = 0; i < c->nenums; i++) {
        hq_enum *e = c->enums[i];
        for (int j = 0; j < i; j++)
            if (strcmp(c->enums[j]->name, e->name) == 0)
                diag_at(ck->diag, e->file, e->line, e->col, "enum '%s' is declared twice", e->name);
        for (int v = 1; v < e->nvalues; v++)
            for (int w = 0; w < v; w++)
                if (strcmp(e->values[v], e->values[w]) == 0)
                    diag_at(ck->diag, e->file, e->line, e->col, "enum '%s' lists '%s' twice", e->name, e->values[v]);
    }
    for (int i = 0; i < c->nfacts; i++) {
        hq_fact *f = c->facts[i];
        if (corpus_find_fact(c, f->name) != i)
            diag_at(ck->diag, f->file, f->line, f->col, "fact '%s' is declared twice", f->name);
        f->type = T(type_parse(f->type_name));
        if (f->type.kind == HT_NONE) {
            int e = corpus_find_enum(c, f->type_name);
            if (e < 0)
                diag_at(ck->diag, f->file, f->line, f->col, "unknown type '%s' for fact '%s'", f->type_name, f->name);
            else {
                f->type.kind = HT_ENUM;
                f->type.enum_id = (int16_t)e;
            }
        }
    }
    for (int i = 0; i < c->nlists; i++)
        if (corpus_find_list(c, c->lists[i]->name) != i)
            diag_at(ck->diag, c->lists[i]->file, c->lists[i]->line, c->lists[i]->col, "list '%s' is declared twice", c->lists[i]->name);
    for (int i = 0; i < c->nrecognitions; i++) {
        hq_recognition *r = c->recognitions[i];
        if (corpus_find_recognition(c, r->name) != i)
            diag_at(ck->diag, r->file, r->line, r->col, "recognition '%s' is declared twice", r->name);
        if (r->levels_name && (r->levels_enum = corpus_find_enum(c, r->levels_name)) < 0)
            diag_at(ck->diag, r->file, r->line, r->col, "unknown enum '%s'", r->levels_name);
        if (r->grades_name && (r->grades_enum = corpus_find_enum(c, r->grades_name)) < 0)
            diag_at(ck->diag, r->file, r->line, r->col, "unknown enum '%s'", r->grades_name);
    }
    for (int i = 0; i < c->nparams; i++) {
        hq_param *p = c->params[i];
        if (corpus_find_param(c, p->name) != i || corpus_find_fact(c, p->name) >= 0)
            diag_at(ck->diag, p->file, p->line, p->col, "param '%s' is declared twice or shadows a fact", p->name);
        /* A param is a number: which of the number types its written unit makes it. */
        static const int NUMTYPE[HT__COUNT] = {[HT_NONE] = -1, [HT_BOOL] = -1, [HT_COUNT] = 0, [HT_MONEY] = 1,
                                               [HT_RATE] = 2,  [HT_DATE] = -1, [HT_ENUM] = -1, [HT_SYM] = -1};
        hq_tkind k = type_parse(p->type_name);
        p->type = T(NUMTYPE[k] >= 0 ? k : HT_NONE);
        if (p->type.kind != HT_NONE && p->value_numtype != NUMTYPE[k])
            diag_at(ck->diag, p->file, p->line, p->col, "param '%s': the value's unit does not make it %s", p->name, p->type_name);
        if (p->type.kind == HT_NONE)
            diag_at(ck->diag, p->file, p->line, p->col, "param '%s': type must be money, rate or count", p->name);
    }
    c->fact_district = corpus_find_fact(c, "district");
    c->fact_registered = corpus_find_fact(c, "registered");
    c->enum_district = corpus_find_enum(c, "district");
    if (c->fact_district < 0 || c->enum_district < 0 || c->fact_registered < 0) {
        diag_add(ck->diag, "corpus", "the corpus must declare enum district, fact district and fact registered");
        return;
    }
    hq_enum *de = c->enums[c->enum_district];
    for (int i = 0; i < c->nregions; i++) {
        hq_region *r = c->regions[i];
        if (corpus_find_region(c, r->name) != i)
            diag_at(ck->diag, r->file, r->line, r->col, "region '%s' is declared twice", r->name);
        for (int m = 0; m < r->nmembers; m++) {
            int v = enum_value(de, r->members[m]);
            if (v <= 0) diag_at(ck->diag, r->file, r->line, r->col, "'%s' is not a district", r->members[m]);
            else r->mask |= (uint64_t)1 << v;
        }
    }
}

static void attach_rules(checker *ck)
{
    hq_corpus *c = ck->c;
    for (int i = 0; i < c->npending_rules; i++) {
        hq_rule *r = c->pending_rules[i];
        hq_doc *d = corpus_find_doc(c, c->pending_rule_doc[i]);
        if (!d) {
            diag_at(ck->diag, r->file, r->line, r->col, "rule '%s' names unknown document '%s'", r->name, c->pending_rule_doc[i]);
            continue;
        }
        for (int j = 0; j < d->nrules; j++)
            if (strcmp(d->rules[j]->name, r->name) == 0)
                diag_at(ck->diag, r->file, r->line, r->col, "document %s has two rules named '%s'", d->id, r->name);
        if (d->nrules == HQ_MAX_RULES_PER_DOC) {
            diag_at(ck->diag, r->file, r->line, r->col, "too many rules for document %s", d->id);
            continue;
        }
        r->doc = d;
        r->index = d->nrules;
        d->rules[d->nrules++] = r;
    }
}

static void check_rule(checker *ck, hq_rule *r)
{
    ck->file = r->file;
    if (r->cond) check_bool(ck, r->cond, "require");
}

static void check_part(checker *ck, const hq_item *it, hq_part *p)
{
    bool computable = item_kind_computable(it->kind);
    for (int i = 0; i < p->nrequires; i++) check_bool(ck, p->requires[i], "require");
    if (computable && !p->amount)
        diag_at(ck->diag, it->file, p->line, p->col, "item %s is %s and needs an amount", it->id, item_kind_name(it->kind));
    if (!computable && (p->amount || p->nrequires))
        diag_at(ck->diag, it->file, p->line, p->col, "item %s is %s (listed, not computed): it has no require or amount",
                it->id, item_kind_name(it->kind));
    if (p->amount) {
        hq_type t = check_value(ck, p->amount);
        if (t.kind != HT_NONE && t.kind != HT_MONEY)
            err(ck, p->amount, "an amount must be money, not %s%s", type_name(ck->c, t), "");
    }
    if (p->cap) {
        hq_type t = check_value(ck, p->cap);
        if (t.kind != HT_NONE && t.kind != HT_MONEY) err(ck, p->cap, "a cap must be money, not %s%s", type_name(ck->c, t), "");
    }
}

/* `each subject(R)`: the amount written is per subject, so the part pays it times the number
 * of R's subjects received in the year — built here as `amount * new_count(R)` so that the
 * compiler and the explainer treat it like any product. */
static hq_node *per_subject(checker *ck, hq_node *amount, const char *rec)
{
    hq_node *call = arena_alloc(ck->c->arena, sizeof *call), *arg = arena_alloc(ck->c->arena, sizeof *arg),
            *mul = arena_alloc(ck->c->arena, sizeof *mul);
    if (!call || !arg || !mul) return amount;
    *arg = *call = *mul = *amount;
    arg->kind = NK_NAME;
    arg->name = rec;
    arg->a = arg->b = arg->c = NULL;
    call->kind = NK_CALL;
    call->op = FN_NEW_COUNT;
    call->list = arena_alloc(ck->c->arena, sizeof(hq_node *));
    if (!call->list) return amount;
    call->list[0] = arg;
    call->nlist = 1;
    call->a = call->b = call->c = NULL;
    mul->kind = NK_BIN;
    mul->op = BIN_MUL;
    mul->a = amount;
    mul->b = call;
    mul->c = NULL;
    return mul;
}

/* A project key names a non-yearly fact that can tell projects apart, or a recognition
 * whose subjects do. */
static void check_key(checker *ck, const hq_item *it, hq_terms *t)
{
    hq_corpus *c = ck->c;
    t->key_ref = t->key_slot = -1;
    if (t->key_kind == PKEY_FACT) {
        int f = corpus_find_fact(c, t->key_name);
        if (f < 0) {
            diag_at(ck->diag, it->file, t->line, t->col, "project key: unknown fact '%s'", t->key_name);
        } else if (c->facts[f]->yearly || (c->facts[f]->type.kind != HT_DATE && c->facts[f]->type.kind != HT_ENUM &&
                                           c->facts[f]->type.kind != HT_COUNT)) {
            diag_at(ck->diag, it->file, t->line, t->col,
                    "project key '%s' must be a fact that does not change by year: a date, a count or an enum", t->key_name);
        } else {
            t->key_ref = f;
            c->facts[f]->used = true;
        }
    } else if (t->key_kind == PKEY_SUBJECT || t->key_kind == PKEY_EACH) {
        int r = corpus_find_recognition(c, t->key_name);
        if (r < 0) diag_at(ck->diag, it->file, t->line, t->col, "project key: unknown recognition '%s'", t->key_name);
        else {
            t->key_ref = r;
            c->recognitions[r]->keyed = true;
        }
    }
}

/* A part's 附则3 terms (merged with the item's); `each` belongs to the whole item and makes
 * the part's amount a per-subject one. */
static void check_terms(checker *ck, const hq_item *it, hq_part *p)
{
    hq_terms *t = &p->terms;
    check_key(ck, it, t);
    if (t->key_kind == PKEY_EACH && (t->set & TERMS_PROJECT) && it->has_parts)
        diag_at(ck->diag, it->file, t->line, t->col, "'each subject(...)' is written on the item, not on a part%s", "");
    if (t->key_kind == PKEY_EACH && p->amount && t->key_ref >= 0) p->amount = per_subject(ck, p->amount, t->key_name);
}

/* A payer is 市财政, 按现行财政体制分担, 属地财政 or a district; the shares make 100%. */
static void check_cost(checker *ck, const char *file, const hq_cost *k)
{
    if (!k) return;
    const hq_enum *de = ck->c->enums[ck->c->enum_district];
    hq_fixed sum = 0;
    for (int i = 0; i < k->n; i++) {
        const char *p = k->v[i].payer;
        bool known = !strcmp(p, "市财政") || !strcmp(p, "按现行财政体制分担") || !strcmp(p, "属地财政") || enum_value(de, p) > 0;
        if (!known)
            diag_at(ck->diag, file, k->line, k->col,
                    "unknown payer '%s' (expected 市财政, 按现行财政体制分担, 属地财政 or a district)", p);
        for (int j = 0; j < i; j++)
            if (!strcmp(k->v[j].payer, p)) diag_at(ck->diag, file, k->line, k->col, "payer '%s' is named twice", p);
        if (k->v[i].share <= 0) diag_at(ck->diag, file, k->line, k->col, "payer '%s' has no share", p);
        sum += k->v[i].share;
    }
    if (sum != HQ_FIXED_ONE) diag_at(ck->diag, file, k->line, k->col, "the payers' shares must add up to 100%%%s", "");
}

/* Stages: shares add up to 100%, labels differ, each condition is a bool, and the item
 * names the project whose past payments are deducted from each later stage. */
static void check_stages(checker *ck, hq_item *it)
{
    if (!it->nstages) return;
    if (!item_kind_computable(it->kind))
        diag_at(ck->diag, it->file, it->line, it->col, "item %s is listed only and cannot have stages", it->id);
    if (it->nstages < 2) diag_at(ck->diag, it->file, it->stages[0].line, it->stages[0].col, "stages needs at least two stages%s", "");
    if (!it->terms.project)
        diag_at(ck->diag, it->file, it->stages[0].line, it->stages[0].col,
                "item %s has stages and needs a project (what earlier stages were paid for)", it->id);
    hq_fixed sum = 0;
    for (int i = 0; i < it->nstages; i++) {
        const hq_stage *st = &it->stages[i];
        sum += st->share->num;
        for (int j = 0; j < i; j++)
            if (!strcmp(it->stages[j].label, st->label))
                diag_at(ck->diag, it->file, st->line, st->col, "stage '%s' is named twice", st->label);
    }
    if (sum != HQ_FIXED_ONE)
        diag_at(ck->diag, it->file, it->stages[0].line, it->stages[0].col, "the stages' shares must add up to 100%%%s", "");
    /* The conditions are checked here, so that errors speak of 'when'; the nodes the parser
     * built around them (if, +, 0%) are rates by construction. */
    for (int i = 0; i < it->nstages; i++) check_bool(ck, it->stages[i].cond, "when");
    for (hq_node *n = it->stage_share; n; n = n->kind == NK_BIN ? n->a : NULL) {
        hq_node *pick = n->kind == NK_BIN ? n->b : n;
        pick->type = pick->c->type = n->type = T(HT_RATE);
        pick->b->type = T(HT_RATE);
    }
}

/* Labels and project names are kept with every award and history row; one that does not
 * fit would be cut there and stop matching its history. */
static void check_name_sizes(checker *ck, const hq_item *it)
{
    for (int i = 0; i < it->nparts; i++) {
        const hq_part *p = &it->parts[i];
        if (p->label && strlen(p->label) >= HQ_LABEL_MAX)
            diag_at(ck->diag, it->file, p->line, p->col, "part label longer than %d bytes", HQ_LABEL_MAX - 1);
        if (p->terms.project && strlen(p->terms.project) >= HQ_NAME_MAX)
            diag_at(ck->diag, it->file, p->line, p->col, "project name longer than %d bytes", HQ_NAME_MAX - 1);
    }
    if (it->terms.project && strlen(it->terms.project) >= HQ_NAME_MAX)
        diag_at(ck->diag, it->file, it->line, it->col, "project name longer than %d bytes", HQ_NAME_MAX - 1);
}

/* A 数据核校 award with a project repeats one way or another, and the default (yearly, or
 * upgrade with stages) silently decides how much of a later award 附则3 deducts: the text
 * must be read and the choice written down. */
static void check_recur_stated(checker *ck, const hq_item *it)
{
    if (it->kind != KIND_DATA || it->recur_set) return;
    bool project = it->terms.project != NULL;
    for (int i = 0; i < it->nparts && !project; i++) project = it->parts[i].terms.project != NULL;
    if (project)
        diag_at(ck->diag, it->file, it->line, it->col,
                "item %s is 数据核校 with a project: state how its awards repeat (recur yearly, upgrade or once)", it->id);
}

static void check_item(checker *ck, hq_item *it)
{
    hq_corpus *c = ck->c;
    ck->file = it->file;
    if (corpus_find_item(c, it->id) != it) diag_at(ck->diag, it->file, it->line, it->col, "item id '%s' is used twice", it->id);
    if (!it->kind_set) diag_at(ck->diag, it->file, it->line, it->col, "item %s needs a kind", it->id);
    if (!it->title || !it->department || !it->duty || !it->row || !it->source)
        diag_at(ck->diag, it->file, it->line, it->col, "item %s needs title, department, duty, row and source", it->id);
    for (int i = 0; i < it->nexcept; i++) {
        int found = -1;
        for (int r = 0; r < it->doc->nrules; r++)
            if (strcmp(it->doc->rules[r]->name, it->except_names[i]) == 0) found = r;
        if (found < 0)
            diag_at(ck->diag, it->file, it->line, it->col, "item %s: document %s has no rule '%s' to except", it->id,
                    it->doc->id, it->except_names[i]);
        else
            it->except_mask |= (uint64_t)1 << found;
    }
    /* The item's own terms are its parts' defaults: checked here once even if every part
     * overrides them. */
    bool inherited = false;
    for (int p = 0; p < it->nparts; p++) inherited |= !(it->parts[p].terms.set & TERMS_PROJECT);
    if (it->has_parts && !inherited && it->terms.key_kind != PKEY_NONE) check_key(ck, it, &it->terms);
    for (int p = 0; p < it->nparts; p++) {
        check_terms(ck, it, &it->parts[p]);
        check_part(ck, it, &it->parts[p]);
        check_cost(ck, it->file, it->parts[p].cost);
    }
    check_cost(ck, it->file, it->cost);
    check_stages(ck, it);
    check_name_sizes(ck, it);
    check_recur_stated(ck, it);
}

void rcheck_corpus(hq_corpus *c, hq_diag *diag)
{
    checker ck = {.c = c, .diag = diag};
    check_decls(&ck);
    if (c->fact_district < 0 || c->enum_district < 0) return;
    attach_rules(&ck);
    for (int d = 0; d < c->ndocs; d++) {
        hq_doc *doc = c->docs[d];
        for (int j = 0; j < d; j++)
            if (strcmp(c->docs[j]->id, doc->id) == 0)
                diag_at(diag, doc->file, doc->line, doc->col, "document '%s' is declared twice", doc->id);
        for (int r = 0; r < doc->nrules; r++) check_rule(&ck, doc->rules[r]);
        check_cost(&ck, doc->file, doc->cost);
    }
    for (int i = 0; i < c->nitems; i++) {
        c->items[i]->index = i;
        check_item(&ck, c->items[i]);
    }
}
