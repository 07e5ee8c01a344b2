/*
 * Rendering explanations from expression trees and register values; see explain.h.
 */
#include "eval/explain.h"

#include <stdio.h>
#include <string.h>

#include "base/fixed.h"
#include "eval/phrase.h"
#include "eval/valuetext.h"

const char *status_label_zh(hq_status s)
{
    static const char *L[] = {"符合", "不符合", "待补充数据", "计算溢出"};
    return L[s];
}

const char *status_code(hq_status s)
{
    static const char *L[] = {"eligible", "ineligible", "needs_data", "error"};
    return L[s];
}

typedef struct {
    const hq_vm *vm;
    const hq_corpus *c;
    bool rules;          /* registers of the document-rule program */
    hq_strbuf *out;
} render_ctx;

static void reg_value(const render_ctx *rc, const hq_node *n, int64_t *v, uint8_t *st)
{
    if (n->reg < 0) {
        *v = 0;
        *st = RVM_UNKNOWN;
        return;
    }
    if (rc->rules) rvm_rule_reg(rc->vm, n->reg, v, st);
    else rvm_reg(rc->vm, n->reg, v, st);
}

static void put_value(const render_ctx *rc, const hq_node *n)
{
    int64_t v;
    uint8_t st;
    reg_value(rc, n, &v, &st);
    if (st & RVM_OVERFLOW) {
        sb_puts(rc->out, "溢出");
        return;
    }
    if (st) {
        sb_puts(rc->out, "未提供");
        return;
    }
    char buf[96];
    const char *unit = n->unit;
    if (n->kind == NK_FACT && rc->c->facts[n->ref]->unit) unit = rc->c->facts[n->ref]->unit;
    value_text(rc->c, n->type, unit, v, buf, sizeof buf);
    sb_puts(rc->out, buf);
}

/* " = value", or " ≈ value" when the value shown is rounded to 分. */
static void put_result(const render_ctx *rc, const hq_node *n)
{
    int64_t v;
    uint8_t st;
    reg_value(rc, n, &v, &st);
    sb_puts(rc->out, !st && value_rounded(n->type, v) ? " ≈ " : " = ");
    put_value(rc, n);
}

static const char *fact_label(const hq_corpus *c, const hq_node *n)
{
    return c->facts[n->ref]->label;
}

static void render(const render_ctx *rc, const hq_node *n);

/* Operands that are themselves operations get their own value shown after them. */
static void render_operand(const render_ctx *rc, const hq_node *n)
{
    bool compound = n->kind == NK_BIN || n->kind == NK_IF || n->kind == NK_MATCH ||
                    (n->kind == NK_CALL && (n->op == FN_MIN || n->op == FN_MAX || n->op == FN_STEPS || n->op == FN_EXCESS));
    if (compound) sb_puts(rc->out, "(");
    render(rc, n);
    if (compound && n->type.kind != HT_BOOL) put_result(rc, n);
    if (compound) sb_puts(rc->out, ")");
}

static void render_call(const render_ctx *rc, const hq_node *n)
{
    const hq_corpus *c = rc->c;
    switch ((hq_builtin)n->op) {
    case FN_MIN:
    case FN_MAX:
        sb_puts(rc->out, "取 ");
        render_operand(rc, n->list[0]);
        sb_puts(rc->out, " 与 ");
        render_operand(rc, n->list[1]);
        sb_puts(rc->out, n->op == FN_MIN ? " 的较小者" : " 的较大者");
        return;
    case FN_STEPS:
        render_operand(rc, n->list[0]);
        sb_puts(rc->out, " ÷ ");
        render_operand(rc, n->list[1]);
        sb_puts(rc->out, " 的整数部分");
        return;
    case FN_EXCESS:
        render_operand(rc, n->list[0]);
        sb_puts(rc->out, " 超出 ");
        render_operand(rc, n->list[1]);
        sb_puts(rc->out, " 的部分");
        return;
    case FN_YEARS_SINCE:
    case FN_YEARS_BETWEEN:
        sb_puts(rc->out, n->op == FN_YEARS_SINCE ? "自" : "自");
        render_operand(rc, n->list[0]);
        sb_puts(rc->out, n->op == FN_YEARS_SINCE ? "起第几年" : "起满年数");
        sb_puts(rc->out, "[");
        put_value(rc, n);
        sb_puts(rc->out, "]");
        return;
    case FN_IN_LIST:
        sb_printf(rc->out, "列入%s[", c->lists[n->ref]->label);
        put_value(rc, n);
        sb_puts(rc->out, "]");
        return;
    case FN_IN_REGION:
        sb_puts(rc->out, "注册地");
        if (n->a) {
            sb_puts(rc->out, "[");
            put_value(rc, n->a);
            sb_puts(rc->out, "]");
        }
        sb_printf(rc->out, "属于%s", c->regions[n->ref]->label);
        return;
    case FN_NEW_RECOGNITION:
        sb_printf(rc->out, "当年新认定%s[", c->recognitions[n->ref]->label);
        put_value(rc, n);
        sb_puts(rc->out, "]");
        return;
    case FN_RECOGNITION_LEVEL:
        sb_printf(rc->out, "已获%s[", c->recognitions[n->ref]->label);
        put_value(rc, n);
        sb_puts(rc->out, "]");
        return;
    case FN_NEW_GRADE:
        sb_printf(rc->out, "当年新获%s等次[", c->recognitions[n->ref]->label);
        put_value(rc, n);
        sb_puts(rc->out, "]");
        return;
    case FN_NEW_COUNT:
        sb_printf(rc->out, "当年新获%s的项数[", c->recognitions[n->ref]->label);
        put_value(rc, n);
        sb_puts(rc->out, "]");
        return;
    case FN_PREV: /* a fact node once checked */
    case FN__COUNT:
        return;
    }
}

static void render(const render_ctx *rc, const hq_node *n)
{
    switch ((hq_nkind)n->kind) {
    case NK_NUM:
        if (n->param >= 0) {
            /* A parameter shows its value and where it came from. */
            const hq_param *pm = rc->c->params[n->param];
            char day[32];
            hq_type date = {.kind = HT_DATE};
            value_text(rc->c, date, NULL, pm->as_of, day, sizeof day);
            sb_printf(rc->out, "%s[", pm->label);
            put_value(rc, n);
            sb_printf(rc->out, "，%s，%s]", day, pm->source ? pm->source : "");
            return;
        }
        sb_append(rc->out, n->text, (size_t)n->text_len);
        return;
    case NK_DATE:
        sb_append(rc->out, n->text, (size_t)n->text_len);
        return;
    case NK_BOOL:
    case NK_SYMBOL:
        put_value(rc, n);
        return;
    case NK_FACT:
        sb_printf(rc->out, "%s%s[", n->year_offset < 0 ? "上年" : "", fact_label(rc->c, n));
        put_value(rc, n);
        sb_puts(rc->out, "]");
        return;
    case NK_BIN: {
        render_operand(rc, n->a);
        static const char *ARITH[] = {[BIN_ADD] = "+", [BIN_SUB] = "−", [BIN_MUL] = "×"};
        const char *w = n->op <= BIN_MUL ? ARITH[n->op] : n->opword;
        sb_printf(rc->out, " %s ", w);
        render_operand(rc, n->b);
        return;
    }
    case NK_NOT:
        sb_puts(rc->out, "「");
        render(rc, n->a);
        sb_puts(rc->out, "」不成立");
        return;
    case NK_NEG:
        sb_puts(rc->out, "−");
        render_operand(rc, n->a);
        return;
    case NK_IF:
        sb_puts(rc->out, "若 ");
        render(rc, n->a);
        sb_puts(rc->out, " 则 ");
        render_operand(rc, n->b);
        sb_puts(rc->out, " 否则 ");
        render_operand(rc, n->c);
        return;
    case NK_MATCH:
        sb_puts(rc->out, "按 ");
        render_operand(rc, n->a);
        sb_puts(rc->out, " 查表");
        return;
    case NK_IN:
        render_operand(rc, n->a);
        sb_puts(rc->out, n->negate ? " 不属于 {" : " 属于 {");
        for (int i = 0; i < n->nlist; i++) sb_printf(rc->out, "%s%s", i ? "、" : "", n->list[i]->name);
        sb_puts(rc->out, "}");
        return;
    case NK_CALL:
        render_call(rc, n);
        return;
    case NK_NAME:  /* resolved by the checker */
    case NK_RANGE: /* rendered by its match */
        return;
    }
}

static const char *verdict_mark(int64_t v, uint8_t st)
{
    if (st & RVM_OVERFLOW) return "✗ 溢出";
    if (st) return "? 数据不足";
    return v ? "✓" : "✗";
}

/* The value of one node for phrase_node_values: conditions read as the same sentence users
 * see in the item's detail, with what this evaluation found. */
static void condition_value(void *ctx, const hq_node *n, hq_strbuf *out)
{
    const render_ctx *rc = ctx;
    render_ctx to = *rc;
    to.out = out;
    put_value(&to, n);
}

static void render_condition(const render_ctx *rc, const hq_node *n, const char *title)
{
    int64_t v;
    uint8_t st;
    reg_value(rc, n, &v, &st);
    sb_printf(rc->out, "    %s ", verdict_mark(v, st));
    if (title) sb_printf(rc->out, "%s：", title);
    phrase_node_values(rc->c, n, condition_value, (void *)rc, rc->out);
    sb_puts(rc->out, "\n");
}

const char *explain_failed_condition(const hq_item *it, const hq_outcome *o)
{
    if (o->failed == RVM_FAIL_LISTED) return "本项为遴选/一事一议等事项，不自动测算";
    if (o->failed == RVM_FAIL_ZERO) return "按规则计算金额为0";
    if (o->failed == RVM_FAIL_EXPIRED) return "测算年度不在本政策有效期内（附则：自印发之日起施行）";
    if (o->failed >= RVM_FAIL_REQ && o->failed < RVM_FAIL_ZERO) {
        const hq_part *p = &it->parts[o->part];
        int k = o->failed - RVM_FAIL_REQ;
        return k < p->nrequires ? p->require_text[k] : "";
    }
    if (o->failed >= 0 && o->failed < it->doc->nrules) return it->doc->rules[o->failed]->title;
    return "";
}

void explain_failed_reason(const hq_corpus *c, const hq_item *it, const hq_outcome *o, hq_strbuf *out)
{
    if (o->failed >= RVM_FAIL_REQ && o->failed < RVM_FAIL_ZERO) {
        const hq_part *p = &it->parts[o->part];
        int k = o->failed - RVM_FAIL_REQ;
        if (k < p->nrequires) phrase_node(c, p->requires[k], out);
        return;
    }
    sb_puts(out, explain_failed_condition(it, o));
}

/* The facts' labels for people, from the names collect_missing wrote (space-separated). */
void explain_missing_labels(const hq_corpus *c, const char *names, hq_strbuf *out)
{
    char name[HQ_NAME_MAX + 32];
    size_t start = out->len; /* the buffer may already hold the sentence this list ends */
    for (const char *s = names; *s;) {
        while (*s == ' ') s++;
        size_t len = strcspn(s, " ");
        if (!len) break;
        size_t kept = len < sizeof name - 1 ? len : sizeof name - 1;
        memcpy(name, s, kept);
        name[kept] = 0;
        s += len;
        bool prev = false;
        char *paren = strstr(name, "(上年)");
        if (paren) {
            *paren = 0;
            prev = true;
        }
        const char *label = !strcmp(name, "lists") ? "名录信息" : !strcmp(name, "recognitions") ? "认定信息" : name;
        int f = corpus_find_fact(c, name);
        if (f >= 0 && c->facts[f]->label) label = c->facts[f]->label;
        /* Written without printf: a calculator answer lists a few hundred of these. */
        const char *sep = out->len > start ? "、" : "", *year = prev ? "上年" : "";
        size_t ls = strlen(sep), ly = strlen(year), ll = strlen(label);
        char *at = sb_extend(out, ls + ly + ll);
        if (at) {
            memcpy(at, sep, ls);
            memcpy(at + ls, year, ly);
            memcpy(at + ls + ly, label, ll);
        }
    }
}

/* Bytes of `s` copied to dst[at…] while at < max; the new end. */
static size_t copy_bounded(char *dst, size_t at, size_t max, const char *s)
{
    while (at < max && *s) dst[at++] = *s++;
    return at;
}

static void collect_missing(const render_ctx *rc, const hq_node *n, hq_strbuf *out)
{
    if (!n) return;
    /* A known value does not depend on what is missing below it (false and unknown is
     * false): only unknown sub-expressions are searched. */
    int64_t nv;
    uint8_t nst;
    reg_value(rc, n, &nv, &nst);
    if (n->reg >= 0 && !(nst & RVM_UNKNOWN)) return;
    if (n->kind == NK_FACT || (n->kind == NK_CALL && n->reg >= 0 && (n->op == FN_IN_LIST || n->op == FN_NEW_RECOGNITION ||
                                                                      n->op == FN_RECOGNITION_LEVEL || n->op == FN_NEW_GRADE ||
                                                                      n->op == FN_NEW_COUNT))) {
        int64_t v;
        uint8_t st;
        reg_value(rc, n, &v, &st);
        if (!(st & RVM_UNKNOWN)) return;
        /* " NAME": the separator, then the name cut to 159 bytes. Written without printf: a
         * calculator answer lists a few hundred of these. */
        char word[1 + 160], *name = word + 1;
        size_t len = copy_bounded(name, 0, 159, n->kind == NK_FACT   ? rc->c->facts[n->ref]->name
                                                : n->op == FN_IN_LIST ? "lists"
                                                                      : "recognitions");
        if (n->kind == NK_FACT && n->year_offset < 0) len = copy_bounded(name, len, 159, "(上年)");
        name[len] = 0;
        word[0] = ' ';
        if (!strstr(sb_str(out), name)) {
            size_t sep = out->len ? 1 : 0;
            sb_append(out, word + 1 - sep, len + sep);
        }
        return;
    }
    collect_missing(rc, n->a, out);
    collect_missing(rc, n->b, out);
    collect_missing(rc, n->c, out);
    for (int i = 0; i < n->nlist; i++) collect_missing(rc, n->list[i], out);
    for (int i = 0; i < n->narms; i++) collect_missing(rc, n->arms[i].value, out);
    collect_missing(rc, n->else_value, out);
}

void explain_missing(const hq_vm *vm, const hq_corpus *c, const hq_item *it, hq_strbuf *out)
{
    render_ctx rules = {.vm = vm, .c = c, .rules = true, .out = out};
    for (int r = 0; r < it->doc->nrules; r++)
        if (!(it->except_mask >> r & 1)) collect_missing(&rules, it->doc->rules[r]->cond, out);
    render_ctx items = {.vm = vm, .c = c, .rules = false, .out = out};
    for (int p = 0; p < it->nparts; p++) {
        for (int r = 0; r < it->parts[p].nrequires; r++) collect_missing(&items, it->parts[p].requires[r], out);
        collect_missing(&items, it->parts[p].amount, out);
        collect_missing(&items, it->parts[p].cap, out);
    }
    for (int s = 0; s < it->nstages; s++) collect_missing(&items, it->stages[s].cond, out);
}

/* ---- the amount, as numbered steps ---------------------------------------------------- */

/* A part count bound as the parser's (RPARSE_MAX_PARTS: the outcome keeps a bit per part). */
enum { STEP_CHAIN_MAX = 16, HQ_PARTS_MAX = 16 };

/* A part's arithmetic, one operation a line, numbered in the order it is computed; an
 * operand that is itself a step is named by its number and value. Only what was computed
 * is shown: the branch an `if` did not take is not. A dry run into a scratch buffer counts
 * the steps first, so that a one-step computation stays on one line. */
typedef struct {
    render_ctx rc;
    bool numbered;
    int n; /* steps written so far */
} step_writer;

static bool is_step(const hq_node *n)
{
    if (n->kind == NK_BIN) return n->op <= BIN_MUL;
    if (n->kind == NK_CALL) return n->op == FN_MIN || n->op == FN_MAX || n->op == FN_STEPS || n->op == FN_EXCESS;
    return n->kind == NK_NEG || n->kind == NK_IF || n->kind == NK_MATCH;
}

static void node_value(const render_ctx *rc, const hq_node *n, int64_t *v, uint8_t *st)
{
    if (n->kind == NK_NUM && n->reg < 0) {
        *v = n->num;
        *st = 0;
        return;
    }
    reg_value(rc, n, v, st);
}

/* A result's unit, where one follows from its operands (取较小者 of two areas is an area,
 * the part of a count above a threshold is a count of the same thing). */
static const char *node_unit(const render_ctx *rc, const hq_node *n)
{
    if (n->kind == NK_FACT) return rc->c->facts[n->ref]->unit;
    if (n->kind == NK_NUM) return n->unit;
    if (n->kind == NK_CALL && n->op == FN_EXCESS) return node_unit(rc, n->list[0]);
    if (n->kind == NK_CALL && (n->op == FN_MIN || n->op == FN_MAX)) {
        const char *u = node_unit(rc, n->list[0]);
        return u ? u : node_unit(rc, n->list[1]);
    }
    if (n->kind == NK_IF) {
        const char *u = node_unit(rc, n->b);
        return u ? u : node_unit(rc, n->c);
    }
    return NULL;
}

static void put_raw(const render_ctx *rc, hq_type t, const char *unit, int64_t v)
{
    char buf[96];
    value_text(rc->c, t, unit, v, buf, sizeof buf);
    sb_puts(rc->out, buf);
}

static void step_begin(step_writer *w)
{
    w->n++;
    if (w->numbered) sb_printf(w->rc.out, "      (%d) ", w->n);
    else sb_puts(w->rc.out, "    计算：");
}

/* The end of a step: " = R"; " ≈ R" when the shown operands do not make the shown result
 * exactly (`shown` is what they make, valid when `exact_ok`); or why there is no result. */
static void step_end(step_writer *w, hq_type t, const char *unit, int64_t v, uint8_t st, bool exact_ok, int64_t shown)
{
    if (st & RVM_OVERFLOW) sb_puts(w->rc.out, "：计算溢出");
    else if (st) sb_puts(w->rc.out, "：待补充数据");
    else {
        sb_puts(w->rc.out, exact_ok && shown == value_shown(t, v) ? " = " : " ≈ ");
        put_raw(&w->rc, t, unit, v);
    }
    sb_puts(w->rc.out, "\n");
}

/* A step named by its number, with its value when there is one. */
static void put_ref(step_writer *w, int k, hq_type t, const char *unit, int64_t v, uint8_t st)
{
    sb_printf(w->rc.out, "第(%d)步", k);
    if (st) return;
    sb_puts(w->rc.out, " ");
    put_raw(&w->rc, t, unit, v);
}

/* An operand: a leaf as the rules read it, with its value; a step by its number. */
static void put_operand(step_writer *w, const hq_node *n, int k)
{
    if (!k) {
        render(&w->rc, n);
        return;
    }
    int64_t v;
    uint8_t st;
    node_value(&w->rc, n, &v, &st);
    put_ref(w, k, n->type, node_unit(&w->rc, n), v, st);
}

static int64_t operand_shown(const step_writer *w, const hq_node *n, bool *ok)
{
    int64_t v;
    uint8_t st;
    node_value(&w->rc, n, &v, &st);
    if (st) *ok = false;
    return value_shown(n->type, v);
}

static int emit_step(step_writer *w, const hq_node *n);

/* The operands of a run of + and − (or of ×) written left to right: a + b − c is one step. */
static int chain_operands(const hq_node *n, const hq_node **ops, uint8_t *sym, int max)
{
    bool mul = n->op == BIN_MUL;
    const hq_node *a = n->a;
    int k = 1;
    if (max > 2 && a->kind == NK_BIN && a->op <= BIN_MUL && (a->op == BIN_MUL) == mul)
        k = chain_operands(a, ops, sym, max - 1);
    else {
        ops[0] = a;
        sym[0] = BIN_ADD;
    }
    ops[k] = n->b;
    sym[k] = n->op;
    return k + 1;
}

static int emit_chain(step_writer *w, const hq_node *n)
{
    const hq_node *ops[STEP_CHAIN_MAX];
    uint8_t sym[STEP_CHAIN_MAX];
    int k[STEP_CHAIN_MAX];
    int m = chain_operands(n, ops, sym, STEP_CHAIN_MAX);
    for (int i = 0; i < m; i++) k[i] = emit_step(w, ops[i]);
    bool ok = true;
    int64_t acc = operand_shown(w, ops[0], &ok);
    for (int i = 1; i < m; i++) {
        int64_t x = operand_shown(w, ops[i], &ok);
        if (sym[i] == BIN_ADD) ok = ok && fixed_add(acc, x, &acc);
        else if (sym[i] == BIN_SUB) ok = ok && fixed_sub(acc, x, &acc);
        else ok = ok && fixed_mul(acc, x, &acc);
    }
    step_begin(w);
    int self = w->n;
    for (int i = 0; i < m; i++) {
        if (i) sb_puts(w->rc.out, sym[i] == BIN_ADD ? " + " : sym[i] == BIN_SUB ? " − " : " × ");
        put_operand(w, ops[i], k[i]);
    }
    int64_t v;
    uint8_t st;
    node_value(&w->rc, n, &v, &st);
    step_end(w, n->type, NULL, v, st, ok, acc);
    return self;
}

/* if c then x else y: the condition's verdict and the value taken; the other branch was
 * not computed and is shown only when it is a plain value. */
static int emit_if(step_writer *w, const hq_node *n)
{
    int64_t cv, v;
    uint8_t cs, st;
    reg_value(&w->rc, n->a, &cv, &cs);
    node_value(&w->rc, n, &v, &st);
    bool plain = !is_step(n->b) && !is_step(n->c);
    const hq_node *pick = cv ? n->b : n->c;
    int kp = cs ? 0 : emit_step(w, pick);
    step_begin(w);
    int self = w->n;
    if (plain) {
        sb_puts(w->rc.out, "若 ");
        render(&w->rc, n->a);
        sb_puts(w->rc.out, " 则 ");
        render(&w->rc, n->b);
        sb_puts(w->rc.out, " 否则 ");
        render(&w->rc, n->c);
    } else {
        sb_puts(w->rc.out, "判断「");
        render(&w->rc, n->a);
        sb_puts(w->rc.out, "」");
    }
    if (cs) {
        step_end(w, n->type, NULL, 0, cs, false, 0);
        return self;
    }
    sb_puts(w->rc.out, cv ? "：成立，取 " : "：不成立，取 ");
    put_operand(w, pick, kp);
    if (st) step_end(w, n->type, NULL, v, st, false, 0);
    else sb_puts(w->rc.out, "\n");
    return self;
}

static int emit_call(step_writer *w, const hq_node *n)
{
    const hq_node *a = n->list[0], *b = n->list[1];
    int ka = emit_step(w, a), kb = emit_step(w, b);
    bool ok = true;
    int64_t x = operand_shown(w, a, &ok), y = operand_shown(w, b, &ok), shown = 0;
    step_begin(w);
    int self = w->n;
    switch ((hq_builtin)n->op) {
    case FN_MIN:
    case FN_MAX:
        sb_puts(w->rc.out, "取 ");
        put_operand(w, a, ka);
        sb_puts(w->rc.out, " 与 ");
        put_operand(w, b, kb);
        sb_puts(w->rc.out, n->op == FN_MIN ? " 的较小者" : " 的较大者");
        shown = (n->op == FN_MIN) == (x < y) ? x : y;
        break;
    case FN_EXCESS:
        put_operand(w, a, ka);
        sb_puts(w->rc.out, " 超出 ");
        put_operand(w, b, kb);
        sb_puts(w->rc.out, " 的部分");
        ok = ok && fixed_sub(x, y, &shown);
        if (shown < 0) shown = 0;
        break;
    case FN_STEPS:
        put_operand(w, a, ka);
        sb_puts(w->rc.out, " ÷ ");
        put_operand(w, b, kb);
        sb_puts(w->rc.out, "，取整数部分");
        ok = ok && fixed_div_floor(x, y, &shown);
        break;
    case FN_PREV:
    case FN_YEARS_SINCE:
    case FN_YEARS_BETWEEN:
    case FN_IN_LIST:
    case FN_IN_REGION:
    case FN_NEW_RECOGNITION:
    case FN_RECOGNITION_LEVEL:
    case FN_NEW_GRADE:
    case FN_NEW_COUNT:
    case FN__COUNT: /* not steps (is_step) */
        break;
    }
    int64_t v;
    uint8_t st;
    node_value(&w->rc, n, &v, &st);
    step_end(w, n->type, node_unit(&w->rc, n), v, st, ok, shown);
    return self;
}

/* Write the steps that compute n, the last one computing n itself; 0 when n is a leaf. */
static int emit_step(step_writer *w, const hq_node *n)
{
    if (!is_step(n)) return 0;
    if (n->kind == NK_BIN) return emit_chain(w, n);
    if (n->kind == NK_IF) return emit_if(w, n);
    if (n->kind == NK_CALL) return emit_call(w, n);
    int ka = n->kind == NK_NEG ? emit_step(w, n->a) : 0;
    bool ok = true;
    int64_t shown = n->kind == NK_NEG ? -operand_shown(w, n->a, &ok) : 0;
    step_begin(w);
    int self = w->n;
    if (n->kind == NK_NEG) {
        sb_puts(w->rc.out, "−");
        put_operand(w, n->a, ka);
    } else { /* NK_MATCH: the table's key, and the value it gives */
        sb_puts(w->rc.out, "按 ");
        render(&w->rc, n->a);
        sb_puts(w->rc.out, " 查表");
    }
    int64_t v;
    uint8_t st;
    node_value(&w->rc, n, &v, &st);
    step_end(w, n->type, node_unit(&w->rc, n), v, st, n->kind == NK_MATCH || ok, n->kind == NK_MATCH ? value_shown(n->type, v) : shown);
    return self;
}

/* What part p pays, as the evaluator computes it: the amount, the smaller of it and the cap,
 * times the share of the stages reached; rounded to 分 only at the end. */
static void part_value(const render_ctx *rc, const hq_item *it, const hq_part *p, int64_t *v, uint8_t *st)
{
    node_value(rc, p->amount, v, st);
    if (p->cap) {
        int64_t c;
        uint8_t sc;
        node_value(rc, p->cap, &c, &sc);
        *st |= sc;
        if (!*st && *v > c) *v = c;
    }
    if (it->stage_share) {
        int64_t s;
        uint8_t ss;
        node_value(rc, it->stage_share, &s, &ss);
        *st |= ss;
        if (!*st && !fixed_mul(*v, s, v)) *st |= RVM_OVERFLOW;
    }
}

/* The amount's steps, then the cap ("取 A 与 上限 B 的较小者 = C") and the stages' share. */
static void write_amount(step_writer *w, const hq_item *it, const hq_part *p)
{
    hq_type t = p->amount->type;
    int k = emit_step(w, p->amount);
    int64_t v;
    uint8_t st;
    node_value(&w->rc, p->amount, &v, &st);
    if (p->cap) {
        int kc = emit_step(w, p->cap);
        int64_t c;
        uint8_t sc;
        node_value(&w->rc, p->cap, &c, &sc);
        bool ok = true;
        int64_t x = operand_shown(w, p->amount, &ok), y = operand_shown(w, p->cap, &ok);
        step_begin(w);
        sb_puts(w->rc.out, "取 ");
        if (k) put_ref(w, k, t, NULL, v, st);
        else render(&w->rc, p->amount);
        sb_puts(w->rc.out, " 与 上限 ");
        put_operand(w, p->cap, kc);
        sb_puts(w->rc.out, " 的较小者");
        st |= sc;
        if (!st && v > c) v = c;
        step_end(w, t, NULL, v, st, ok, x < y ? x : y);
        k = w->n;
    }
    if (it->stage_share) {
        int64_t s;
        uint8_t ss;
        node_value(&w->rc, it->stage_share, &s, &ss);
        bool ok = !st;
        int64_t shown = 0;
        ok = ok && fixed_mul(value_shown(t, v), s, &shown);
        step_begin(w);
        if (k) put_ref(w, k, t, NULL, v, st);
        else render(&w->rc, p->amount);
        sb_puts(w->rc.out, " × 累计兑付比例 ");
        put_value(&w->rc, it->stage_share);
        st |= ss;
        if (!st && !fixed_mul(v, s, &v)) st |= RVM_OVERFLOW;
        step_end(w, t, NULL, v, st, ok, shown);
    }
}

/* The part's arithmetic: one line for one operation, numbered steps for more, "金额：" for a
 * plain value. */
static void render_amount(const render_ctx *rc, const hq_item *it, const hq_part *p)
{
    hq_strbuf scratch;
    sb_init(&scratch, 1 << 16);
    step_writer dry = {.rc = *rc, .numbered = true};
    dry.rc.out = &scratch;
    write_amount(&dry, it, p);
    sb_free(&scratch);
    if (dry.n == 0) {
        sb_puts(rc->out, "    金额：");
        render(rc, p->amount);
        sb_puts(rc->out, "\n");
        return;
    }
    step_writer w = {.rc = *rc, .numbered = dry.n > 1};
    if (w.numbered) sb_puts(rc->out, "    计算：\n");
    write_amount(&w, it, p);
}

/* ---- each part with its own status ------------------------------------------------------ */

typedef enum { PART_PAID, PART_FAILED, PART_ZERO, PART_MISSING, PART_OVERFLOW } part_state;

/* A part's own verdict, as the evaluator folds it: a false condition fails it, else an
 * overflow is an error, else anything unknown needs data, else it pays its amount (in 分)
 * unless that is 0. */
static part_state part_status(const render_ctx *rc, const hq_item *it, int p, int *failed, int64_t *fen)
{
    const hq_part *pt = &it->parts[p];
    uint8_t flags = 0;
    *failed = -1;
    *fen = 0;
    for (int r = 0; r < pt->nrequires; r++) {
        int64_t v;
        uint8_t st;
        reg_value(rc, pt->requires[r], &v, &st);
        if (!st && !v && *failed < 0) *failed = r;
        flags |= st;
    }
    if (*failed >= 0) return PART_FAILED;
    int64_t v = 0;
    uint8_t st = RVM_UNKNOWN;
    if (pt->amount) part_value(rc, it, pt, &v, &st);
    flags |= st;
    if (flags & RVM_OVERFLOW) return PART_OVERFLOW;
    if (!st) *fen = fixed_to_fen(v);
    if (flags) return PART_MISSING;
    return *fen > 0 ? PART_PAID : PART_ZERO;
}

static void part_line(const hq_vm *vm, const render_ctx *rc, const hq_item *it, int p, part_state s, int failed, int64_t fen,
                      bool doc_failed)
{
    char amount[64];
    fen_format(fen, true, amount, sizeof amount);
    sb_printf(rc->out, "  分项「%s」：", it->parts[p].label);
    if (s == PART_FAILED) {
        hq_outcome why = {.failed = (int16_t)(RVM_FAIL_REQ + failed), .part = (uint8_t)p};
        sb_printf(rc->out, "不符合——未满足：%s\n", explain_failed_condition(it, &why));
        return;
    }
    if (s == PART_OVERFLOW) {
        sb_puts(rc->out, "计算溢出\n");
        return;
    }
    if (s == PART_MISSING) {
        hq_strbuf miss;
        sb_init(&miss, 4096);
        explain_part_missing(vm, rc->c, it, p, &miss);
        sb_puts(rc->out, "待补充数据——缺少：");
        explain_missing_labels(rc->c, sb_str(&miss), rc->out);
        sb_free(&miss);
        if (fen && !doc_failed) sb_printf(rc->out, "（如数据确认，金额 %s元）", amount);
        sb_puts(rc->out, "\n");
        return;
    }
    if (doc_failed) sb_puts(rc->out, "本分项条件符合，但本项未满足适用对象要求，不予计算\n");
    else if (s == PART_ZERO) sb_puts(rc->out, "不符合——按规则计算金额为0\n");
    else sb_printf(rc->out, "符合，金额 %s元\n", amount);
}

/* 叠加 or 就高 over the parts that pay, with their amounts. */
static void render_combine(const render_ctx *rc, const hq_item *it, const int64_t *fen, const bool *paid)
{
    sb_printf(rc->out, "  合计方式：%s", it->combine_max ? "就高（不重复享受）" : "叠加");
    int npaid = 0, last = -1;
    int64_t total = 0;
    for (int p = 0; p < it->nparts; p++) {
        if (!paid[p]) continue;
        npaid++;
        last = p;
        total = it->combine_max ? (fen[p] > total ? fen[p] : total) : total + fen[p];
    }
    char amount[64];
    if (npaid == 1) {
        fen_format(fen[last], true, amount, sizeof amount);
        sb_printf(rc->out, "；只有分项「%s」计得金额 %s元", it->parts[last].label, amount);
    } else if (npaid > 1) {
        sb_puts(rc->out, it->combine_max ? "；取 " : "；");
        for (int p = 0, i = 0; p < it->nparts; p++) {
            if (!paid[p]) continue;
            fen_format(fen[p], true, amount, sizeof amount);
            sb_printf(rc->out, "%s分项「%s」%s元", i++ ? (it->combine_max ? "、" : " + ") : "", it->parts[p].label, amount);
        }
        fen_format(total, true, amount, sizeof amount);
        sb_printf(rc->out, "%s = %s元", it->combine_max ? " 中的较大者" : "", amount);
    }
    sb_puts(rc->out, "\n");
}

void explain_part_missing(const hq_vm *vm, const hq_corpus *c, const hq_item *it, int p, hq_strbuf *out)
{
    render_ctx items = {.vm = vm, .c = c, .rules = false, .out = out};
    for (int r = 0; r < it->parts[p].nrequires; r++) collect_missing(&items, it->parts[p].requires[r], out);
    collect_missing(&items, it->parts[p].amount, out);
    collect_missing(&items, it->parts[p].cap, out);
}

/* 分节点兑付: each stage with its share and whether it is reached, and the share of the total
 * payable so far (each part's arithmetic multiplies by it); what earlier stages already paid
 * is deducted under 附则3. */
static void render_stages(const render_ctx *rc, const hq_item *it)
{
    sb_puts(rc->out, "  分节点兑付（按已达到的节点累计兑付，已兑付部分在附则3核减）：\n");
    for (int s = 0; s < it->nstages; s++) {
        char title[256], share[32];
        fixed_format_short(it->stages[s].share->num * 100, false, share, sizeof share);
        snprintf(title, sizeof title, "节点「%s」%s%%", it->stages[s].label, share);
        render_condition(rc, it->stages[s].cond, title);
    }
    sb_puts(rc->out, "    累计兑付比例 = ");
    put_value(rc, it->stage_share);
    sb_puts(rc->out, "\n");
}

/* The parts: each with its label and own status, its conditions, and its arithmetic when it
 * was computed for this entity (not when a condition failed, nor when the document's rules
 * exclude the item). */
static void render_parts(const hq_vm *vm, const render_ctx *rc, const hq_item *it, const hq_outcome *o)
{
    bool doc_failed = o->status == HQ_INELIGIBLE && o->failed != RVM_FAIL_NONE && o->failed < RVM_FAIL_REQ;
    doc_failed |= o->status == HQ_INELIGIBLE && (o->failed == RVM_FAIL_EXPIRED || o->failed == RVM_FAIL_LISTED);
    int64_t fen[HQ_PARTS_MAX];
    bool paid[HQ_PARTS_MAX];
    for (int p = 0; p < it->nparts && p < HQ_PARTS_MAX; p++) {
        const hq_part *pt = &it->parts[p];
        int failed;
        part_state s = part_status(rc, it, p, &failed, &fen[p]);
        paid[p] = s == PART_PAID && !doc_failed;
        if (it->has_parts) part_line(vm, rc, it, p, s, failed, fen[p], doc_failed);
        else sb_puts(rc->out, "  条件：\n");
        for (int r = 0; r < pt->nrequires; r++) render_condition(rc, pt->requires[r], NULL);
        if (!pt->amount) continue;
        if (doc_failed) sb_puts(rc->out, "    不计算金额（本项未满足适用对象要求）\n");
        else if (s == PART_FAILED) sb_puts(rc->out, "    不计算金额（条件未满足）\n");
        else render_amount(rc, it, pt);
    }
    if (it->has_parts && it->nparts > 1 && it->nparts <= HQ_PARTS_MAX && !doc_failed) render_combine(rc, it, fen, paid);
}

void explain_item(const hq_vm *vm, const hq_corpus *c, const hq_item *it, const hq_outcome *o, hq_strbuf *out)
{
    char amount[64];
    fen_format(o->amount_fen, true, amount, sizeof amount);
    sb_printf(out, "【%s】%s（%s 第%d条 第(%s)项）\n", it->id, it->title, it->doc->number, it->article, it->row);
    sb_printf(out, "  责任单位：%s", it->department);
    for (int i = 0; i < it->nproviders; i++) sb_printf(out, "%s%s", i ? "、" : "（数据：", it->providers[i]);
    sb_printf(out, "%s；类别：%s\n", it->nproviders ? "）" : "", item_kind_name(it->kind));
    char from[32], to[32];
    hq_type date = {.kind = HT_DATE};
    value_text(c, date, NULL, it->doc->issued, from, sizeof from);
    value_text(c, date, NULL, it->doc->expires, to, sizeof to);
    sb_printf(out, "  依据：「%s」\n", it->source ? it->source : "");
    sb_printf(out, "  有效期：%s 至 %s\n", from, to);
    sb_printf(out, "  结论：%s", status_label_zh((hq_status)o->status));
    if (o->status == HQ_ELIGIBLE && o->unknown) {
        /* Only the known parts are in the amount: say so, and what the others wait for. */
        sb_printf(out, "，已知分项金额 %s元（", amount);
        for (int p = 0, n = 0; p < it->nparts; p++) {
            if (!(o->unknown >> p & 1)) continue;
            hq_strbuf miss;
            sb_init(&miss, 4096);
            explain_part_missing(vm, c, it, p, &miss);
            sb_printf(out, "%s分项「%s」待补充数据，缺少：", n++ ? "；" : "", it->parts[p].label);
            explain_missing_labels(c, sb_str(&miss), out);
            sb_free(&miss);
        }
        sb_puts(out, "）");
    } else if (o->status == HQ_ELIGIBLE) sb_printf(out, "，金额 %s元", amount);
    if (o->status == HQ_INELIGIBLE) sb_printf(out, "——未满足：%s", explain_failed_condition(it, o));
    if (o->status == HQ_NEEDS_DATA) {
        hq_strbuf miss;
        sb_init(&miss, 4096);
        explain_missing(vm, c, it, &miss);
        sb_puts(out, "——缺少：");
        explain_missing_labels(c, sb_str(&miss), out);
        if (o->amount_fen) sb_printf(out, "（如数据确认，金额 %s元）", amount);
        sb_free(&miss);
    }
    sb_puts(out, "\n");
    if (!it->program) return;
    render_ctx rules = {.vm = vm, .c = c, .rules = true, .out = out};
    sb_puts(out, "  适用对象（附则）：\n");
    for (int r = 0; r < it->doc->nrules; r++) {
        if (it->except_mask >> r & 1) {
            sb_printf(out, "    - %s：本项不适用此限制\n", it->doc->rules[r]->title);
            continue;
        }
        render_condition(&rules, it->doc->rules[r]->cond, it->doc->rules[r]->title);
    }
    render_ctx items = {.vm = vm, .c = c, .rules = false, .out = out};
    if (it->nstages) render_stages(&items, it);
    render_parts(vm, &items, it, o);
    /* The note is the engineers' reading, in English; users see only the Chinese guide. */
    if (it->guide) sb_printf(out, "  解读说明：%s\n", it->guide);
}

static void collect_facts(const hq_node *n, int *facts, int *count, int max)
{
    if (!n) return;
    if (n->kind == NK_FACT) {
        for (int i = 0; i < *count; i++)
            if (facts[i] == n->ref) return;
        if (*count < max) facts[(*count)++] = n->ref;
        return;
    }
    collect_facts(n->a, facts, count, max);
    collect_facts(n->b, facts, count, max);
    collect_facts(n->c, facts, count, max);
    for (int i = 0; i < n->nlist; i++) collect_facts(n->list[i], facts, count, max);
    for (int i = 0; i < n->narms; i++) collect_facts(n->arms[i].value, facts, count, max);
    collect_facts(n->else_value, facts, count, max);
}

int explain_item_facts(const hq_item *it, int *facts, int max)
{
    int count = 0;
    for (int p = 0; p < it->nparts; p++) {
        for (int r = 0; r < it->parts[p].nrequires; r++) collect_facts(it->parts[p].requires[r], facts, &count, max);
        collect_facts(it->parts[p].amount, facts, &count, max);
        collect_facts(it->parts[p].cap, facts, &count, max);
    }
    for (int s = 0; s < it->nstages; s++) collect_facts(it->stages[s].cond, facts, &count, max);
    return count;
}

int explain_rule_facts(const hq_item *it, int *facts, int max)
{
    int count = 0;
    for (int r = 0; r < it->doc->nrules; r++)
        if (!(it->except_mask >> r & 1)) collect_facts(it->doc->rules[r]->cond, facts, &count, max);
    return count;
}
