/*
 * Recursive-descent parser for .hq files (docs/language.md). It builds declarations and
 * expression trees into the corpus arena; names are resolved later by the checker, so a file
 * may use facts declared in another file.
 *
 * Error handling follows Lua's: a syntax error records a diagnostic and longjmps out of the
 * current top-level block, which is skipped to its closing brace; parsing then resumes, so
 * one run reports the first error of every broken block. Expression nesting is bounded
 * (RPARSE_MAX_DEPTH) so that a hostile file cannot exhaust the C stack.
 */
#include "rules/corpus.h"
#include "rules/rlex.h"

#include <setjmp.h>
#include <stdio.h>
#include <string.h>

enum { RPARSE_MAX_DEPTH = 100, RPARSE_MAX_LIST = 256, RPARSE_MAX_REQUIRES = 32, RPARSE_MAX_PARTS = 16 };

typedef struct {
    hq_corpus *c;
    rlex_state ls;
    rlex_token tok;
    const char *prev_end;   /* end of the last consumed token, for source spans */
    hq_diag *diag;
    jmp_buf on_error;
    int depth;
    hq_doc *doc;            /* the document that items in this file belong to */
} parser;

/* ---- token helpers ------------------------------------------------------------------- */

static void advance(parser *ps)
{
    ps->prev_end = ps->tok.start + ps->tok.len;
    ps->tok = rlex_next(&ps->ls);
    if (ps->tok.kind == TK_ERROR) longjmp(ps->on_error, 1); /* the lexer has reported it */
}

static void advance_id(parser *ps)
{
    ps->prev_end = ps->tok.start + ps->tok.len;
    ps->tok = rlex_next_id(&ps->ls);
    if (ps->tok.kind == TK_ERROR) longjmp(ps->on_error, 1);
}

static _Noreturn void fail(parser *ps, const char *fmt, const char *arg)
{
    char msg[512];
    snprintf(msg, sizeof msg, fmt, arg);
    diag_at(ps->diag, ps->ls.file, ps->tok.line, ps->tok.col, "%s", msg);
    longjmp(ps->on_error, 1);
}

static char *tok_text(parser *ps)
{
    return arena_strndup(ps->c->arena, ps->tok.start, ps->tok.len);
}

static bool is_word(const parser *ps, const char *w)
{
    return ps->tok.kind == TK_IDENT && ps->tok.len == strlen(w) && memcmp(ps->tok.start, w, ps->tok.len) == 0;
}

static void expect(parser *ps, rlex_kind k, const char *what)
{
    if (ps->tok.kind != k) {
        char buf[160];
        snprintf(buf, sizeof buf, "expected %s, found %s", what, rlex_kind_name(ps->tok.kind));
        fail(ps, "%s", buf);
    }
    advance(ps);
}

static void expect_word(parser *ps, const char *w)
{
    if (!is_word(ps, w)) fail(ps, "expected '%s'", w);
    advance(ps);
}

static const char *ident(parser *ps, const char *what)
{
    if (ps->tok.kind != TK_IDENT) fail(ps, "expected %s", what);
    const char *s = tok_text(ps);
    advance(ps);
    return s;
}

/* string := STRING { STRING }   (adjacent strings are joined) */
static const char *string_lit(parser *ps)
{
    if (ps->tok.kind != TK_STRING) fail(ps, "expected %s", "a string in double quotes");
    char buf[16384];
    size_t n = 0;
    while (ps->tok.kind == TK_STRING) {
        for (size_t i = 1; i + 1 < ps->tok.len; i++) {
            char ch = ps->tok.start[i];
            if (ch == '\\') ch = ps->tok.start[++i];
            if (n + 1 >= sizeof buf) fail(ps, "%s", "string longer than 16 KiB");
            buf[n++] = ch;
        }
        advance(ps);
    }
    return arena_strndup(ps->c->arena, buf, n);
}

static void *alloc(parser *ps, size_t n)
{
    void *p = arena_alloc(ps->c->arena, n);
    if (!p) fail(ps, "%s", "rule corpus too large (arena limit)");
    return p;
}

static hq_node *node_new(parser *ps, hq_nkind kind, const rlex_token *at)
{
    hq_node *n = alloc(ps, sizeof *n);
    n->kind = (uint8_t)kind;
    n->line = at->line;
    n->col = at->col;
    n->text = at->start;
    n->text_len = (int)at->len;
    n->ref = n->slot = n->reg = n->param = -1;
    return n;
}

/* Extend a node's source span to the end of the last consumed token. */
static void span_to_prev(parser *ps, hq_node *n)
{
    n->text_len = (int)(ps->prev_end - n->text);
}

/* ---- expressions ----------------------------------------------------------------------- */

static hq_node *expr(parser *ps);

static void enter(parser *ps)
{
    if (++ps->depth > RPARSE_MAX_DEPTH) fail(ps, "%s", "expression nested too deeply");
}

static void leave(parser *ps)
{
    ps->depth--;
}

static bool is_keyword(const parser *ps)
{
    static const char *KW[] = {"and", "or", "not", "if", "then", "else", "in", "match", "true", "false"};
    for (size_t i = 0; i < sizeof KW / sizeof KW[0]; i++)
        if (is_word(ps, KW[i])) return true;
    return false;
}

/* names := '{' IDENT { ',' IDENT } [','] '}' */
static void name_set(parser *ps, hq_node ***out, int *count)
{
    expect(ps, TK_LBRACE, "'{'");
    hq_node *tmp[RPARSE_MAX_LIST];
    int n = 0;
    while (ps->tok.kind != TK_RBRACE) {
        if (n == RPARSE_MAX_LIST) fail(ps, "%s", "too many values in a set");
        if (ps->tok.kind != TK_IDENT || is_keyword(ps)) fail(ps, "%s", "expected a value name in the set");
        hq_node *v = node_new(ps, NK_NAME, &ps->tok);
        v->name = tok_text(ps);
        tmp[n++] = v;
        advance(ps);
        if (ps->tok.kind != TK_COMMA) break;
        advance(ps);
    }
    expect(ps, TK_RBRACE, "'}' to close the set");
    *out = alloc(ps, sizeof(hq_node *) * (size_t)(n ? n : 1));
    memcpy(*out, tmp, sizeof(hq_node *) * (size_t)n);
    *count = n;
}

/* arm_key := NUMBER ['..' NUMBER] | IDENT */
static hq_node *arm_key(parser *ps)
{
    if (ps->tok.kind == TK_NUMBER) {
        hq_node *lo = node_new(ps, NK_NUM, &ps->tok);
        lo->num = ps->tok.num;
        lo->unit = ps->tok.unit;
        lo->type.kind = ps->tok.numtype == NUM_MONEY ? HT_MONEY : ps->tok.numtype == NUM_RATE ? HT_RATE : HT_COUNT;
        advance(ps);
        if (ps->tok.kind != TK_DOTDOT) return lo;
        hq_node *r = node_new(ps, NK_RANGE, &ps->tok);
        r->text = lo->text;
        advance(ps);
        if (ps->tok.kind != TK_NUMBER) fail(ps, "%s", "expected a number after '..'");
        hq_node *hi = node_new(ps, NK_NUM, &ps->tok);
        hi->num = ps->tok.num;
        hi->unit = ps->tok.unit;
        hi->type = lo->type;
        advance(ps);
        r->a = lo;
        r->b = hi;
        span_to_prev(ps, r);
        return r;
    }
    if (ps->tok.kind == TK_IDENT && !is_keyword(ps)) {
        hq_node *k = node_new(ps, NK_NAME, &ps->tok);
        k->name = tok_text(ps);
        advance(ps);
        return k;
    }
    fail(ps, "%s", "expected a table key (a value name, a number or a range lo..hi)");
}

/* match := 'match' expr '{' arm { ',' arm } [','] '}'
 * arm   := ( 'else' | arm_key { ',' arm_key } ) ':' expr */
static hq_node *match_expr(parser *ps)
{
    hq_node *m = node_new(ps, NK_MATCH, &ps->tok);
    advance(ps);
    m->a = expr(ps);
    expect(ps, TK_LBRACE, "'{' to open the match table");
    hq_arm arms[RPARSE_MAX_LIST];
    int narms = 0;
    while (ps->tok.kind != TK_RBRACE) {
        if (is_word(ps, "else")) {
            if (m->else_value) fail(ps, "%s", "a match table has one 'else'");
            advance(ps);
            expect(ps, TK_COLON, "':' after else");
            m->else_value = expr(ps);
        } else {
            if (narms == RPARSE_MAX_LIST) fail(ps, "%s", "too many rows in a match table");
            hq_node *keys[RPARSE_MAX_LIST];
            int nk = 0;
            keys[nk++] = arm_key(ps);
            while (ps->tok.kind == TK_COMMA) {
                advance(ps);
                if (nk == RPARSE_MAX_LIST) fail(ps, "%s", "too many keys in one row");
                keys[nk++] = arm_key(ps);
            }
            expect(ps, TK_COLON, "':' between a table key and its value");
            arms[narms].keys = alloc(ps, sizeof(hq_node *) * (size_t)nk);
            memcpy(arms[narms].keys, keys, sizeof(hq_node *) * (size_t)nk);
            arms[narms].nkeys = nk;
            arms[narms].value = expr(ps);
            narms++;
        }
        if (ps->tok.kind != TK_COMMA) break;
        advance(ps);
    }
    expect(ps, TK_RBRACE, "'}' to close the match table");
    if (narms == 0) fail(ps, "%s", "a match table needs at least one row");
    m->arms = alloc(ps, sizeof(hq_arm) * (size_t)narms);
    memcpy(m->arms, arms, sizeof(hq_arm) * (size_t)narms);
    m->narms = narms;
    span_to_prev(ps, m);
    return m;
}

/* call := IDENT '(' [ expr { ',' expr } ] ')' */
static hq_node *call_expr(parser *ps, hq_node *fn)
{
    static const struct { const char *name; int nargs; } FN[] = {
#define X(id, name, nargs) {name, nargs},
        HQ_BUILTINS(X)
#undef X
    };
    int which = -1;
    for (int i = 0; i < FN__COUNT; i++)
        if (strcmp(FN[i].name, fn->name) == 0) which = i;
    if (which < 0) fail(ps, "unknown function '%s'", fn->name);
    fn->kind = NK_CALL;
    fn->op = (uint8_t)which;
    advance(ps); /* '(' */
    hq_node *args[4];
    int n = 0;
    while (ps->tok.kind != TK_RPAREN) {
        if (n == 4) fail(ps, "%s", "too many arguments");
        args[n++] = expr(ps);
        if (ps->tok.kind != TK_COMMA) break;
        advance(ps);
    }
    expect(ps, TK_RPAREN, "')' to close the call");
    if (n != FN[which].nargs) {
        char buf[128];
        snprintf(buf, sizeof buf, "%s() takes %d argument%s, not %d", FN[which].name, FN[which].nargs,
                 FN[which].nargs == 1 ? "" : "s", n);
        fail(ps, "%s", buf);
    }
    fn->list = alloc(ps, sizeof(hq_node *) * (size_t)n);
    memcpy(fn->list, args, sizeof(hq_node *) * (size_t)n);
    fn->nlist = n;
    span_to_prev(ps, fn);
    return fn;
}

/* primary := NUMBER | DATE | 'true' | 'false' | '(' expr ')' | if | match | call | IDENT
 * if      := 'if' expr 'then' expr 'else' expr */
static hq_node *primary(parser *ps)
{
    rlex_token t = ps->tok;
    switch (t.kind) {
    case TK_NUMBER: {
        hq_node *n = node_new(ps, NK_NUM, &t);
        n->num = t.num;
        n->unit = t.unit;
        n->type.kind = t.numtype == NUM_MONEY ? HT_MONEY : t.numtype == NUM_RATE ? HT_RATE : HT_COUNT;
        advance(ps);
        return n;
    }
    case TK_DATE: {
        hq_node *n = node_new(ps, NK_DATE, &t);
        n->num = t.num;
        n->type.kind = HT_DATE;
        advance(ps);
        return n;
    }
    case TK_LPAREN: {
        advance(ps);
        hq_node *e = expr(ps);
        expect(ps, TK_RPAREN, "')'");
        return e;
    }
    case TK_IDENT:
        break;
    default:
        fail(ps, "expected an expression, found %s", rlex_kind_name(t.kind));
    }
    if (is_word(ps, "true") || is_word(ps, "false")) {
        hq_node *n = node_new(ps, NK_BOOL, &t);
        n->num = is_word(ps, "true");
        n->type.kind = HT_BOOL;
        advance(ps);
        return n;
    }
    if (is_word(ps, "if")) {
        hq_node *n = node_new(ps, NK_IF, &t);
        advance(ps);
        n->a = expr(ps);
        expect_word(ps, "then");
        n->b = expr(ps);
        expect_word(ps, "else");
        n->c = expr(ps);
        span_to_prev(ps, n);
        return n;
    }
    if (is_word(ps, "match")) return match_expr(ps);
    if (is_keyword(ps)) fail(ps, "unexpected keyword '%s'", tok_text(ps));
    hq_node *n = node_new(ps, NK_NAME, &t);
    n->name = tok_text(ps);
    advance(ps);
    if (ps->tok.kind == TK_LPAREN) return call_expr(ps, n);
    return n;
}

/* unary := '-' unary | primary */
static hq_node *unary(parser *ps)
{
    if (ps->tok.kind == TK_MINUS) {
        hq_node *n = node_new(ps, NK_NEG, &ps->tok);
        advance(ps);
        enter(ps);
        n->a = unary(ps);
        leave(ps);
        span_to_prev(ps, n);
        return n;
    }
    return primary(ps);
}

static hq_node *binary(parser *ps, hq_binop op, hq_node *a, hq_node *b, const char *word)
{
    hq_node *n = node_new(ps, NK_BIN, &ps->tok);
    n->op = (uint8_t)op;
    n->a = a;
    n->b = b;
    n->line = a->line;
    n->col = a->col;
    n->text = a->text;
    n->opword = word;
    span_to_prev(ps, n);
    return n;
}

/* mul := unary { '*' unary } */
static hq_node *mul_expr(parser *ps)
{
    hq_node *a = unary(ps);
    while (ps->tok.kind == TK_STAR || ps->tok.kind == TK_SLASH) {
        if (ps->tok.kind == TK_SLASH)
            fail(ps, "%s", "'/' is not part of the language: use steps(x, unit) for 每…, or a rate");
        advance(ps);
        hq_node *b = unary(ps);
        a = binary(ps, BIN_MUL, a, b, "×");
    }
    return a;
}

/* add := mul { ('+' | '-') mul } */
static hq_node *add_expr(parser *ps)
{
    hq_node *a = mul_expr(ps);
    while (ps->tok.kind == TK_PLUS || ps->tok.kind == TK_MINUS) {
        bool plus = ps->tok.kind == TK_PLUS;
        advance(ps);
        hq_node *b = mul_expr(ps);
        a = binary(ps, plus ? BIN_ADD : BIN_SUB, a, b, plus ? "+" : "-");
    }
    return a;
}

/* The comparison words of the policy text and what they mean. 附则4: "以上"包括本数; by
 * common drafting 以下/达到/不低于/不超过 include the number too, 超过/不足/低于 exclude it. */
static const struct { const char *word; hq_binop op; } CMP_WORDS[] = {
    {"以上", BIN_GE}, {"达到", BIN_GE}, {"不低于", BIN_GE}, {"不少于", BIN_GE}, {"以下", BIN_LE}, {"不超过", BIN_LE},
    {"超过", BIN_GT}, {"高于", BIN_GT}, {"不足", BIN_LT}, {"低于", BIN_LT},
};

static bool cmp_op(parser *ps, hq_binop *op, const char **word)
{
    switch (ps->tok.kind) {
    case TK_LT: *op = BIN_LT; *word = "<"; return true;
    case TK_LE: *op = BIN_LE; *word = "≤"; return true;
    case TK_GT: *op = BIN_GT; *word = ">"; return true;
    case TK_GE: *op = BIN_GE; *word = "≥"; return true;
    case TK_EQ: *op = BIN_EQ; *word = "="; return true;
    case TK_NE: *op = BIN_NE; *word = "≠"; return true;
    default: break;
    }
    for (size_t i = 0; i < sizeof CMP_WORDS / sizeof CMP_WORDS[0]; i++)
        if (is_word(ps, CMP_WORDS[i].word)) {
            *op = CMP_WORDS[i].op;
            *word = CMP_WORDS[i].word;
            return true;
        }
    return false;
}

/* cmp := add [ cmpop add | ['not'] 'in' names ] */
static hq_node *cmp_expr(parser *ps)
{
    hq_node *a = add_expr(ps);
    hq_binop op;
    const char *word;
    if (cmp_op(ps, &op, &word)) {
        advance(ps);
        hq_node *b = add_expr(ps);
        return binary(ps, op, a, b, word);
    }
    bool negate = false;
    if (is_word(ps, "not")) {
        advance(ps);
        if (!is_word(ps, "in")) fail(ps, "%s", "expected 'in' after 'not' (x not in {…})");
        negate = true;
    }
    if (is_word(ps, "in")) {
        hq_node *n = node_new(ps, NK_IN, &ps->tok);
        advance(ps);
        n->a = a;
        n->negate = negate;
        n->line = a->line;
        n->col = a->col;
        n->text = a->text;
        name_set(ps, &n->list, &n->nlist);
        span_to_prev(ps, n);
        return n;
    }
    return a;
}

/* not := 'not' not | cmp */
static hq_node *not_expr(parser *ps)
{
    if (is_word(ps, "not")) {
        hq_node *n = node_new(ps, NK_NOT, &ps->tok);
        advance(ps);
        enter(ps);
        n->a = not_expr(ps);
        leave(ps);
        span_to_prev(ps, n);
        return n;
    }
    return cmp_expr(ps);
}

/* and := not { 'and' not } */
static hq_node *and_expr(parser *ps)
{
    hq_node *a = not_expr(ps);
    while (is_word(ps, "and")) {
        advance(ps);
        a = binary(ps, BIN_AND, a, not_expr(ps), "且");
    }
    return a;
}

/* expr := and { 'or' and } */
static hq_node *expr(parser *ps)
{
    enter(ps);
    hq_node *a = and_expr(ps);
    while (is_word(ps, "or")) {
        advance(ps);
        a = binary(ps, BIN_OR, a, and_expr(ps), "或");
    }
    leave(ps);
    return a;
}

/* ---- declarations ---------------------------------------------------------------------- */

#define PUSH(arr, n, max, v, what)                                          \
    do {                                                                    \
        if ((n) >= (max)) fail(ps, "too many %s in the corpus", what);      \
        (arr)[(n)++] = (v);                                                 \
    } while (0)

/* enum := 'enum' IDENT '{' IDENT { (',' | '<') IDENT } '}' */
static void enum_decl(parser *ps)
{
    hq_enum *e = alloc(ps, sizeof *e);
    e->file = ps->ls.file;
    e->line = ps->tok.line;
    e->col = ps->tok.col;
    advance(ps);
    e->name = ident(ps, "the enum's name");
    expect(ps, TK_LBRACE, "'{'");
    e->values[0] = "无";
    e->nvalues = 1;
    int seps_lt = 0, seps_comma = 0;
    while (ps->tok.kind != TK_RBRACE) {
        if (e->nvalues > HQ_ENUM_MAX_VALUES) fail(ps, "%s", "an enum has at most 63 values");
        e->values[e->nvalues++] = ident(ps, "an enum value");
        if (ps->tok.kind == TK_LT) seps_lt++;
        else if (ps->tok.kind == TK_COMMA) seps_comma++;
        else break;
        advance(ps);
    }
    expect(ps, TK_RBRACE, "'}' to close the enum");
    if (seps_lt && seps_comma)
        diag_at(ps->diag, e->file, e->line, e->col, "enum '%s' is either ordered (a < b < c) or not (a, b, c), not both", e->name);
    e->ordered = seps_lt > 0;
    PUSH(ps->c->enums, ps->c->nenums, HQ_MAX_ENUMS, e, "enums");
}

/* Trailing clauses shared by declarations: from "…", note "…", unit X. */
static void decl_tail(parser *ps, const char **from, const char **note, const char **unit)
{
    for (;;) {
        if (from && is_word(ps, "from")) {
            advance(ps);
            *from = string_lit(ps);
        } else if (note && is_word(ps, "note")) {
            advance(ps);
            *note = string_lit(ps);
        } else if (unit && is_word(ps, "unit")) {
            advance(ps);
            *unit = ident(ps, "a unit");
        } else {
            return;
        }
    }
}

/* fact := 'fact' IDENT TYPE ['yearly'] STRING tail */
static void fact_decl(parser *ps)
{
    hq_fact *f = alloc(ps, sizeof *f);
    f->file = ps->ls.file;
    f->line = ps->tok.line;
    f->col = ps->tok.col;
    advance(ps);
    f->name = ident(ps, "the fact's name");
    f->type_name = ident(ps, "the fact's type (bool, count, money, rate, date or an enum)");
    if (is_word(ps, "yearly")) {
        f->yearly = true;
        advance(ps);
    }
    f->label = string_lit(ps);
    decl_tail(ps, &f->from, &f->note, &f->unit);
    PUSH(ps->c->facts, ps->c->nfacts, HQ_MAX_FACTS, f, "facts");
}

/* list := 'list' IDENT STRING tail */
static void list_decl(parser *ps)
{
    hq_list *l = alloc(ps, sizeof *l);
    l->file = ps->ls.file;
    l->line = ps->tok.line;
    l->col = ps->tok.col;
    advance(ps);
    l->name = ident(ps, "the list's name");
    l->label = string_lit(ps);
    decl_tail(ps, &l->from, &l->note, NULL);
    PUSH(ps->c->lists, ps->c->nlists, HQ_MAX_LISTS, l, "lists");
}

/* recognition := 'recognition' IDENT STRING ['levels' IDENT] ['grades' IDENT] tail */
static void recognition_decl(parser *ps)
{
    hq_recognition *r = alloc(ps, sizeof *r);
    r->file = ps->ls.file;
    r->line = ps->tok.line;
    r->col = ps->tok.col;
    r->levels_enum = r->grades_enum = -1;
    advance(ps);
    r->name = ident(ps, "the recognition's name");
    r->label = string_lit(ps);
    for (;;) {
        if (is_word(ps, "levels")) {
            advance(ps);
            r->levels_name = ident(ps, "an enum of levels");
        } else if (is_word(ps, "grades")) {
            advance(ps);
            r->grades_name = ident(ps, "an enum of grades");
        } else {
            break;
        }
    }
    decl_tail(ps, &r->from, &r->note, NULL);
    PUSH(ps->c->recognitions, ps->c->nrecognitions, HQ_MAX_RECOGNITIONS, r, "recognitions");
}

/* param := 'param' IDENT TYPE STRING 'value' NUMBER ['as_of' DATE] ['source' STRING] ['note' STRING] */
static void param_decl(parser *ps)
{
    hq_param *p = alloc(ps, sizeof *p);
    p->file = ps->ls.file;
    p->line = ps->tok.line;
    p->col = ps->tok.col;
    p->as_of = -1;
    advance(ps);
    p->name = ident(ps, "the parameter's name");
    p->type_name = ident(ps, "the parameter's type (money, rate or count)");
    p->label = string_lit(ps);
    expect_word(ps, "value");
    if (ps->tok.kind != TK_NUMBER) fail(ps, "%s", "expected the parameter's value (a number with its unit)");
    p->value = ps->tok.num;
    p->value_numtype = ps->tok.numtype;
    advance(ps);
    for (;;) {
        if (is_word(ps, "as_of")) {
            advance(ps);
            if (ps->tok.kind != TK_DATE) fail(ps, "%s", "expected the date the value was fixed (YYYY-MM-DD)");
            p->as_of = (long)ps->tok.num;
            advance(ps);
        } else if (is_word(ps, "source")) {
            advance(ps);
            p->source = string_lit(ps);
        } else if (is_word(ps, "note")) {
            advance(ps);
            p->note = string_lit(ps);
        } else {
            break;
        }
    }
    if (!p->source || p->as_of < 0)
        diag_at(ps->diag, p->file, p->line, p->col, "param %s needs as_of and source: a parameter is an input with provenance", p->name);
    PUSH(ps->c->params, ps->c->nparams, HQ_MAX_LISTS, p, "params");
}

/* region := 'region' IDENT STRING '{' IDENT { ',' IDENT } '}' ['source' STRING] ['note' STRING] */
static void region_decl(parser *ps)
{
    hq_region *r = alloc(ps, sizeof *r);
    r->file = ps->ls.file;
    r->line = ps->tok.line;
    r->col = ps->tok.col;
    advance(ps);
    r->name = ident(ps, "the region's name");
    r->label = string_lit(ps);
    hq_node **members;
    name_set(ps, &members, &r->nmembers);
    r->members = alloc(ps, sizeof(char *) * (size_t)(r->nmembers ? r->nmembers : 1));
    for (int i = 0; i < r->nmembers; i++) r->members[i] = members[i]->name;
    for (;;) {
        if (is_word(ps, "source")) {
            advance(ps);
            r->source = string_lit(ps);
        } else if (is_word(ps, "note")) {
            advance(ps);
            r->note = string_lit(ps);
        } else {
            break;
        }
    }
    PUSH(ps->c->regions, ps->c->nregions, HQ_MAX_REGIONS, r, "regions");
}

static int int_lit(parser *ps, const char *what)
{
    if (ps->tok.kind != TK_NUMBER || ps->tok.unit[0] || ps->tok.num % HQ_FIXED_ONE)
        fail(ps, "expected %s (a whole number)", what);
    int v = (int)(ps->tok.num / HQ_FIXED_ONE);
    advance(ps);
    return v;
}

static long date_lit(parser *ps)
{
    if (ps->tok.kind != TK_DATE) fail(ps, "%s", "expected a date (YYYY-MM-DD)");
    long d = (long)ps->tok.num;
    advance(ps);
    return d;
}

/* cost := payer [RATE] { ',' payer RATE }
 * A single payer bears 100%; shares are checked to sum to 100% by the checker. */
static const hq_cost *cost_clause(parser *ps)
{
    hq_cost *k = alloc(ps, sizeof *k);
    k->line = ps->tok.line;
    k->col = ps->tok.col;
    advance(ps);
    const char *start = ps->tok.start;
    for (;;) {
        if (k->n == HQ_COST_MAX_PAYERS) fail(ps, "%s", "at most 4 payers in a cost rule");
        hq_cost_share *sh = &k->v[k->n++];
        sh->payer = ps->tok.kind == TK_STRING ? string_lit(ps) : ident(ps, "a payer (市财政, 按现行财政体制分担, 属地财政 or a district)");
        sh->share = HQ_FIXED_ONE;
        if (ps->tok.kind == TK_NUMBER) {
            if (ps->tok.numtype != NUM_RATE) fail(ps, "%s", "a payer's share is a rate such as 50%");
            sh->share = ps->tok.num;
            advance(ps);
        } else if (ps->tok.kind == TK_COMMA || k->n > 1) {
            fail(ps, "%s", "with several payers each needs its share (市财政 50%, 鹿城区 50%)");
        }
        if (ps->tok.kind != TK_COMMA) break;
        advance(ps);
    }
    k->text = arena_strndup(ps->c->arena, start, (size_t)(ps->prev_end - start));
    return k;
}

/* stacking := 'stacking' '{' { 'window' INT | 'annual_cap_min_years' INT | 'source' STRING } '}' */
static void stacking_block(parser *ps, hq_doc *d)
{
    advance(ps);
    expect(ps, TK_LBRACE, "'{'");
    while (ps->tok.kind != TK_RBRACE) {
        if (is_word(ps, "window")) {
            advance(ps);
            d->stacking_window = int_lit(ps, "the window in years");
        } else if (is_word(ps, "annual_cap_min_years")) {
            advance(ps);
            d->stacking_cap_years = int_lit(ps, "the minimum years of registration");
        } else if (is_word(ps, "source")) {
            advance(ps);
            d->stacking_source = string_lit(ps);
        } else {
            fail(ps, "unknown key '%s' in stacking (expected window, annual_cap_min_years, source)", tok_text(ps));
        }
    }
    advance(ps);
}

/* document := 'document' ID '{' { docfield } '}' */
static void document_decl(parser *ps)
{
    hq_doc *d = alloc(ps, sizeof *d);
    d->file = ps->ls.file;
    d->line = ps->tok.line;
    d->col = ps->tok.col;
    d->issued = d->expires = -1;
    advance_id(ps);
    d->id = ident(ps, "the document id");
    expect(ps, TK_LBRACE, "'{'");
    d->rules = alloc(ps, sizeof(hq_rule *) * HQ_MAX_RULES_PER_DOC);
    d->items = alloc(ps, sizeof(hq_item *) * HQ_MAX_ITEMS);
    while (ps->tok.kind != TK_RBRACE) {
        if (is_word(ps, "number")) { advance(ps); d->number = string_lit(ps); }
        else if (is_word(ps, "title")) { advance(ps); d->title = string_lit(ps); }
        else if (is_word(ps, "issued")) { advance(ps); d->issued = date_lit(ps); }
        else if (is_word(ps, "expires")) { advance(ps); d->expires = date_lit(ps); }
        else if (is_word(ps, "source")) { advance(ps); d->source = string_lit(ps); }
        else if (is_word(ps, "note")) { advance(ps); d->note = string_lit(ps); }
        else if (is_word(ps, "cost")) d->cost = cost_clause(ps);
        else if (is_word(ps, "cost_source")) { advance(ps); d->cost_source = string_lit(ps); }
        else if (is_word(ps, "table_rows")) { advance(ps); d->table_rows = int_lit(ps, "the number of rows of the table"); }
        else if (is_word(ps, "stacking")) stacking_block(ps, d);
        else if (is_word(ps, "rows")) {
            advance(ps);
            if (is_word(ps, "article")) d->rows_per_article = true;
            else if (!is_word(ps, "document")) fail(ps, "%s", "rows is 'document' or 'article'");
            advance(ps);
        } else {
            fail(ps, "unknown key '%s' in document (expected number, title, issued, expires, rows, cost, "
                     "cost_source, table_rows, source, note, stacking)", ps->tok.kind == TK_IDENT ? tok_text(ps) : rlex_kind_name(ps->tok.kind));
        }
    }
    advance(ps);
    if (!d->number || !d->title || d->issued < 0 || d->expires < 0)
        diag_at(ps->diag, d->file, d->line, d->col, "document %s needs number, title, issued and expires", d->id);
    PUSH(ps->c->docs, ps->c->ndocs, HQ_MAX_DOCS, d, "documents");
    ps->doc = d;
}

/* require := 'require' expr   — the text as written is kept for explanations */
static void require_clause(parser *ps, hq_part *p, hq_node **reqs, const char **texts)
{
    advance(ps);
    if (p->nrequires == RPARSE_MAX_REQUIRES) fail(ps, "%s", "too many require lines");
    const char *start = ps->tok.start;
    hq_node *e = expr(ps);
    texts[p->nrequires] = arena_strndup(ps->c->arena, start, (size_t)(ps->prev_end - start));
    reqs[p->nrequires++] = e;
}

static const char *BASIS_WORDS[BASIS__COUNT] = {"",
#define X(id, code, zh) code,
                                                 HQ_BASES(X)
#undef X
};
static const char *BASIS_LABELS[BASIS__COUNT] = {"",
#define X(id, code, zh) zh,
                                                  HQ_BASES(X)
#undef X
};
#define X(id, code, zh) " " code
static const char BASIS_TEXT[] = HQ_BASES(X);
#undef X

/* key := 'by' FACT | 'by' 'subject' '(' RECOGNITION ')' | 'each' 'subject' '(' RECOGNITION ')' */
static void project_key(parser *ps, hq_terms *t)
{
    bool each = is_word(ps, "each");
    advance(ps);
    if (is_word(ps, "subject")) {
        advance(ps);
        expect(ps, TK_LPAREN, "'('");
        t->key_name = ident(ps, "a recognition");
        expect(ps, TK_RPAREN, "')'");
        t->key_kind = each ? PKEY_EACH : PKEY_SUBJECT;
    } else if (each) {
        fail(ps, "%s", "expected subject(RECOGNITION) after 'each'");
    } else {
        t->key_name = ident(ps, "a fact that identifies the project, or subject(RECOGNITION)");
        t->key_kind = PKEY_FACT;
    }
}

/* terms := 'project' NAME [key] | 'basis' BASIS ['prev'] | 'limit' 'total' MONEY | 'limit' 'years' INT
 *        | 'quota' INT
 * The 附则3 terms, allowed on an item and on a part; returns false for any other key. */
static bool terms_field(parser *ps, hq_terms *t)
{
    unsigned bit;
    if (is_word(ps, "project")) bit = TERMS_PROJECT;
    else if (is_word(ps, "basis")) bit = TERMS_BASIS;
    else if (is_word(ps, "quota")) bit = TERMS_QUOTA;
    else if (is_word(ps, "limit")) bit = TERMS_LIMIT_TOTAL; /* or years: decided below */
    else return false;
    if (!t->line) {
        t->line = ps->tok.line;
        t->col = ps->tok.col;
    }
    advance(ps);
    if (bit == TERMS_PROJECT) {
        t->project = ps->tok.kind == TK_STRING ? string_lit(ps) : ident(ps, "a project name");
        if (is_word(ps, "by") || is_word(ps, "each")) project_key(ps, t);
    } else if (bit == TERMS_BASIS) {
        size_t b;
        for (b = 1; b < sizeof BASIS_WORDS / sizeof *BASIS_WORDS; b++)
            if (is_word(ps, BASIS_WORDS[b])) break;
        if (b == sizeof BASIS_WORDS / sizeof *BASIS_WORDS) fail(ps, "basis is %s", basis_names_text());
        t->basis = (hq_basis)b;
        advance(ps);
        /* "上年度…贷款": the basis is the previous year's interest, not this year's. */
        if (is_word(ps, "prev")) {
            t->basis_offset = -1;
            advance(ps);
        }
    } else if (bit == TERMS_QUOTA) {
        t->quota = int_lit(ps, "the quota (awards per year)");
        if (t->quota <= 0) fail(ps, "%s", "a quota is at least 1");
    } else if (is_word(ps, "total")) {
        advance(ps);
        if (ps->tok.kind != TK_NUMBER || ps->tok.numtype != NUM_MONEY || ps->tok.num <= 0)
            fail(ps, "%s", "limit total is an amount of money such as 150万元");
        t->limit_total = ps->tok.num;
        advance(ps);
    } else if (is_word(ps, "years")) {
        bit = TERMS_LIMIT_YEARS;
        advance(ps);
        t->limit_years = int_lit(ps, "the number of years");
        if (t->limit_years <= 0) fail(ps, "%s", "limit years is at least 1");
    } else {
        fail(ps, "%s", "limit is 'limit total AMOUNT' or 'limit years N'");
    }
    if (t->set & bit) fail(ps, "%s", "this 附则3 term is written twice in the same block");
    t->set |= bit;
    return true;
}

/* A part's terms: what it wrote itself, the item's for the rest. */
static void terms_inherit(hq_terms *part, const hq_terms *item)
{
    hq_terms own = *part;
    *part = *item;
    part->set = own.set;
    if (own.set & TERMS_PROJECT) {
        part->project = own.project;
        part->key_kind = own.key_kind;
        part->key_name = own.key_name;
    }
    if (own.set & TERMS_BASIS) {
        part->basis = own.basis;
        part->basis_offset = own.basis_offset;
    }
    if (own.set & TERMS_LIMIT_TOTAL) part->limit_total = own.limit_total;
    if (own.set & TERMS_LIMIT_YEARS) part->limit_years = own.limit_years;
    if (own.set & TERMS_QUOTA) part->quota = own.quota;
    if (own.set) {
        part->line = own.line;
        part->col = own.col;
    }
}

/* Keys allowed in both an item and a part. Returns false if the key is not one of them. */
static bool part_field(parser *ps, hq_part *p, hq_node **reqs, const char **texts)
{
    if (is_word(ps, "source")) { advance(ps); p->source = string_lit(ps); }
    else if (is_word(ps, "note")) { advance(ps); p->note = string_lit(ps); }
    else if (is_word(ps, "require")) require_clause(ps, p, reqs, texts);
    else if (is_word(ps, "cost") && p->label) p->cost = cost_clause(ps);
    else if (is_word(ps, "amount")) {
        if (p->amount) fail(ps, "%s", "only one amount per item or part");
        advance(ps);
        p->amount = expr(ps);
        if (is_word(ps, "cap")) {
            advance(ps);
            p->cap = expr(ps);
        }
    } else return false;
    return true;
}

static void part_finish(parser *ps, hq_part *p, hq_node **reqs, const char **texts)
{
    int n = p->nrequires;
    p->requires = alloc(ps, sizeof(hq_node *) * (size_t)(n ? n : 1));
    p->require_text = alloc(ps, sizeof(char *) * (size_t)(n ? n : 1));
    memcpy(p->requires, reqs, sizeof(hq_node *) * (size_t)n);
    memcpy(p->require_text, texts, sizeof(char *) * (size_t)n);
}

/* part := 'part' STRING '{' { source | note | cost | require | amount | terms } '}' */
static void part_block(parser *ps, hq_part *p)
{
    p->line = ps->tok.line;
    p->col = ps->tok.col;
    advance(ps);
    p->label = string_lit(ps);
    expect(ps, TK_LBRACE, "'{'");
    hq_node *reqs[RPARSE_MAX_REQUIRES];
    const char *texts[RPARSE_MAX_REQUIRES];
    while (ps->tok.kind != TK_RBRACE)
        if (!part_field(ps, p, reqs, texts) && !terms_field(ps, &p->terms))
            fail(ps, "unknown key '%s' in part (expected source, note, cost, require, amount, project, basis, limit, quota)",
                 ps->tok.kind == TK_IDENT ? tok_text(ps) : rlex_kind_name(ps->tok.kind));
    advance(ps);
    part_finish(ps, p, reqs, texts);
}

static const char *KIND_NAMES[KIND__COUNT] = {"资格定补", "数据核校", "遴选", "竞争性分配", "一事一议", "非奖补", "另行制定"};

const char *item_kind_name(hq_item_kind k)
{
    return KIND_NAMES[k];
}

bool item_kind_computable(hq_item_kind k)
{
    return k == KIND_QUALIFICATION || k == KIND_DATA;
}

const char *basis_name(hq_basis b)
{
    return BASIS_WORDS[b];
}

hq_basis basis_parse(const char *s)
{
    for (size_t b = 1; s && b < sizeof BASIS_WORDS / sizeof *BASIS_WORDS; b++)
        if (!strcmp(s, BASIS_WORDS[b])) return (hq_basis)b;
    return BASIS_NONE;
}

const char *basis_names_text(void)
{
    return BASIS_TEXT + 1;
}

const char *basis_label(hq_basis b)
{
    return BASIS_LABELS[b];
}

static const char *RECUR_WORDS[RECUR__COUNT] = {"upgrade", "yearly", "once"};

const char *recur_name(hq_recur r)
{
    return RECUR_WORDS[r];
}

const char *recur_zh(hq_recur r)
{
    static const char *const ZH[RECUR__COUNT] = {
        [RECUR_UPGRADE] = "同一项目5年内晋升只奖差额",
        [RECUR_YEARLY] = "按年度数据逐年奖补",
        [RECUR_ONCE] = "同一项目只奖一次",
    };
    return ZH[r];
}

int item_received_year(const hq_item *it, int data_year)
{
    return it && it->kind == KIND_DATA && !it->nstages ? data_year + 1 : data_year;
}

hq_recur item_recur(const hq_item *it)
{
    if (it->recur_set) return it->recur;
    return it->kind == KIND_DATA && !it->nstages ? RECUR_YEARLY : RECUR_UPGRADE;
}

const hq_cost *item_cost(const hq_item *it, int part)
{
    if (part >= 0 && part < it->nparts && it->parts[part].cost) return it->parts[part].cost;
    return it->cost ? it->cost : it->doc->cost;
}

const char *duty_name(hq_duty_bit b)
{
    static const char *const N[] = {
#define X(id, name) name,
        HQ_DUTIES(X)
#undef X
    };
    return b < DUTY__COUNT ? N[b] : "";
}

/* duty := 'duty' TYPE { TYPE } */
static void duty_list(parser *ps, hq_item *it)
{
    /* the tables' other wordings of the same duties */
    static const struct { const char *w; hq_duty d; } ALIAS[] = {
        {"制定实施细则", DUTY_RULES}, {"制定考核办法", DUTY_RULES}, {"组织考核", DUTY_ASSESS}, {"遴选", DUTY_SELECT},
    };
    advance(ps);
    int n = 0;
    for (;;) {
        unsigned d = 0;
        for (int b = 0; b < DUTY__COUNT && !d; b++)
            if (is_word(ps, duty_name((hq_duty_bit)b))) d = 1u << b;
        for (size_t i = 0; i < sizeof ALIAS / sizeof ALIAS[0] && !d; i++)
            if (is_word(ps, ALIAS[i].w)) d = ALIAS[i].d;
        if (!d) {
            if (n) return;
            char msg[200];
            size_t k = (size_t)snprintf(msg, sizeof msg, "%s", "expected a responsibility type:");
            for (int b = 0; b < DUTY__COUNT && k < sizeof msg; b++)
                k += (size_t)snprintf(msg + k, sizeof msg - k, " %s", duty_name((hq_duty_bit)b));
            fail(ps, "%s", msg);
        }
        it->duty |= d;
        n++;
        advance(ps);
    }
}

/* stages := 'stages' '{' stage { stage } '}'
 * stage  := STRING RATE 'when' expr
 * Built into one expression, Σ (if cond then share else 0%), so the compiler and the
 * explainer treat it like any other; the stages themselves are kept for listings. */
static void stages_block(parser *ps, hq_item *it)
{
    if (it->stages) fail(ps, "%s", "only one stages block per item");
    rlex_token at = ps->tok;
    advance(ps);
    expect(ps, TK_LBRACE, "'{'");
    hq_stage st[RPARSE_MAX_PARTS];
    int n = 0;
    hq_node *sum = NULL;
    while (ps->tok.kind != TK_RBRACE) {
        if (n == RPARSE_MAX_PARTS) fail(ps, "%s", "too many stages");
        hq_stage *s = &st[n++];
        s->line = ps->tok.line;
        s->col = ps->tok.col;
        s->label = string_lit(ps);
        if (ps->tok.kind != TK_NUMBER || ps->tok.numtype != NUM_RATE) fail(ps, "%s", "expected the stage's share, a rate such as 40%");
        s->share = primary(ps);
        expect_word(ps, "when");
        s->cond = expr(ps);
        hq_node *zero = node_new(ps, NK_NUM, &at);
        zero->unit = "%";
        zero->type.kind = HT_RATE;
        hq_node *pick = node_new(ps, NK_IF, &at);
        pick->a = s->cond;
        pick->b = s->share;
        pick->c = zero;
        if (!sum) sum = pick;
        else {
            hq_node *add = node_new(ps, NK_BIN, &at);
            add->op = BIN_ADD;
            add->a = sum;
            add->b = pick;
            sum = add;
        }
    }
    advance(ps);
    it->stages = alloc(ps, sizeof(hq_stage) * (size_t)(n ? n : 1));
    memcpy(it->stages, st, sizeof(hq_stage) * (size_t)n);
    it->nstages = n;
    it->stage_share = sum;
}

static void item_field(parser *ps, hq_item *it, hq_part *main_part, hq_node **reqs, const char **texts,
                       hq_part *parts)
{
    if (part_field(ps, main_part, reqs, texts) || terms_field(ps, &it->terms)) return;
    if (is_word(ps, "article")) { advance(ps); it->article = int_lit(ps, "the article number"); }
    else if (is_word(ps, "row")) {
        advance(ps);
        if (ps->tok.kind == TK_STRING) it->row = string_lit(ps);
        else {
            it->row = tok_text(ps);
            int_lit(ps, "the row number");
        }
    }
    else if (is_word(ps, "title")) { advance(ps); it->title = string_lit(ps); }
    else if (is_word(ps, "department")) { advance(ps); it->department = string_lit(ps); }
    else if (is_word(ps, "provider")) {
        advance(ps);
        if (it->nproviders == 8) fail(ps, "%s", "at most 8 providers");
        it->providers[it->nproviders++] = string_lit(ps);
    }
    else if (is_word(ps, "duty")) duty_list(ps, it);
    else if (is_word(ps, "kind")) {
        advance(ps);
        int k;
        for (k = 0; k < KIND__COUNT; k++)
            if (is_word(ps, KIND_NAMES[k])) break;
        if (k == KIND__COUNT) fail(ps, "%s", "kind is one of 资格定补, 数据核校, 遴选, 竞争性分配, 一事一议, 非奖补, 另行制定");
        it->kind = (hq_item_kind)k;
        it->kind_set = true;
        advance(ps);
    }
    else if (is_word(ps, "recur")) {
        advance(ps);
        int r;
        for (r = 0; r < RECUR__COUNT; r++)
            if (is_word(ps, RECUR_WORDS[r])) break;
        if (r == RECUR__COUNT) fail(ps, "%s", "recur is yearly, upgrade or once");
        if (it->recur_set) fail(ps, "%s", "recur is written twice");
        it->recur = (hq_recur)r;
        it->recur_set = true;
        advance(ps);
    }
    else if (is_word(ps, "cost")) it->cost = cost_clause(ps);
    else if (is_word(ps, "stages")) stages_block(ps, it);
    else if (is_word(ps, "except")) {
        advance(ps);
        do {
            if (ps->tok.kind == TK_COMMA) advance(ps);
            if (it->nexcept == 16) fail(ps, "%s", "too many exceptions");
            it->except_names[it->nexcept++] = ident(ps, "a document rule name");
        } while (ps->tok.kind == TK_COMMA);
    }
    else if (is_word(ps, "form")) {
        advance(ps);
        if (is_word(ps, "服务券")) it->voucher = true;
        else if (!is_word(ps, "现金")) fail(ps, "%s", "form is 现金 (cash, the default) or 服务券 (高质量发展服务券)");
        advance(ps);
    }
    else if (is_word(ps, "combine")) {
        advance(ps);
        if (is_word(ps, "max")) it->combine_max = true;
        else if (!is_word(ps, "sum")) fail(ps, "%s", "combine is 'sum' or 'max'");
        advance(ps);
    }
    else if (is_word(ps, "guide")) {
        advance(ps);
        if (it->guide) fail(ps, "%s", "guide is written twice");
        it->guide = string_lit(ps);
    }
    else if (is_word(ps, "part")) {
        if (it->nparts == RPARSE_MAX_PARTS) fail(ps, "%s", "too many parts");
        part_block(ps, &parts[it->nparts++]);
        it->has_parts = true;
    }
    else fail(ps, "unknown key '%s' in item (expected article, row, title, department, provider, duty, kind, "
                  "project, basis, limit, quota, recur, cost, except, form, source, note, guide, require, amount, part, combine, stages)",
              ps->tok.kind == TK_IDENT ? tok_text(ps) : rlex_kind_name(ps->tok.kind));
}

/* item := 'item' ID '{' { itemfield } '}' */
static void item_decl(parser *ps)
{
    hq_item *it = alloc(ps, sizeof *it);
    it->file = ps->ls.file;
    it->line = ps->tok.line;
    it->col = ps->tok.col;
    if (!ps->doc) fail(ps, "%s", "an item must follow its document block in the same file");
    it->doc = ps->doc;
    advance_id(ps);
    it->id = ident(ps, "the item id");
    expect(ps, TK_LBRACE, "'{'");
    hq_part main_part = {.line = it->line, .col = it->col};
    hq_part parts[RPARSE_MAX_PARTS];
    memset(parts, 0, sizeof parts);
    hq_node *reqs[RPARSE_MAX_REQUIRES];
    const char *texts[RPARSE_MAX_REQUIRES];
    while (ps->tok.kind != TK_RBRACE) item_field(ps, it, &main_part, reqs, texts, parts);
    advance(ps);
    part_finish(ps, &main_part, reqs, texts);
    it->source = main_part.source;
    it->note = main_part.note;
    if (it->has_parts) {
        if (main_part.amount) fail(ps, "%s", "an item with parts has its amounts inside the parts");
        /* Item-level requires apply to every part. */
        it->parts = alloc(ps, sizeof(hq_part) * (size_t)it->nparts);
        for (int i = 0; i < it->nparts; i++) {
            hq_part *p = &parts[i];
            int n = main_part.nrequires + p->nrequires;
            hq_node **r = alloc(ps, sizeof(hq_node *) * (size_t)(n ? n : 1));
            const char **t = alloc(ps, sizeof(char *) * (size_t)(n ? n : 1));
            memcpy(r, main_part.requires, sizeof(hq_node *) * (size_t)main_part.nrequires);
            memcpy(t, main_part.require_text, sizeof(char *) * (size_t)main_part.nrequires);
            memcpy(r + main_part.nrequires, p->requires, sizeof(hq_node *) * (size_t)p->nrequires);
            memcpy(t + main_part.nrequires, p->require_text, sizeof(char *) * (size_t)p->nrequires);
            p->requires = r;
            p->require_text = t;
            p->nrequires = n;
            terms_inherit(&p->terms, &it->terms);
            it->parts[i] = *p;
        }
    } else {
        it->parts = alloc(ps, sizeof(hq_part));
        it->parts[0] = main_part;
        it->parts[0].terms = it->terms;
        it->nparts = 1;
    }
    PUSH(ps->c->items, ps->c->nitems, HQ_MAX_ITEMS, it, "items");
    if (it->doc->nitems < HQ_MAX_ITEMS) it->doc->items[it->doc->nitems++] = it;
}

/* rule := 'rule' DOCID IDENT '{' { 'title' STRING | 'source' STRING | 'note' STRING | 'require' expr } '}' */
static void rule_decl(parser *ps)
{
    hq_rule *r = alloc(ps, sizeof *r);
    r->file = ps->ls.file;
    r->line = ps->tok.line;
    r->col = ps->tok.col;
    advance_id(ps);
    const char *doc = ident(ps, "the document id the rule belongs to");
    r->name = ident(ps, "the rule's name");
    expect(ps, TK_LBRACE, "'{'");
    while (ps->tok.kind != TK_RBRACE) {
        if (is_word(ps, "title")) { advance(ps); r->title = string_lit(ps); }
        else if (is_word(ps, "source")) { advance(ps); r->source = string_lit(ps); }
        else if (is_word(ps, "note")) { advance(ps); r->note = string_lit(ps); }
        else if (is_word(ps, "require")) {
            if (r->cond) fail(ps, "%s", "a document rule has one require (combine with and/or)");
            advance(ps);
            r->cond = expr(ps);
        } else fail(ps, "unknown key '%s' in rule (expected title, source, note, require)",
                    ps->tok.kind == TK_IDENT ? tok_text(ps) : rlex_kind_name(ps->tok.kind));
    }
    advance(ps);
    if (!r->cond || !r->title) diag_at(ps->diag, r->file, r->line, r->col, "rule %s needs a title and a require", r->name);
    int n = ps->c->npending_rules;
    if (n >= HQ_MAX_DOCS * HQ_MAX_RULES_PER_DOC) fail(ps, "%s", "too many document rules");
    ps->c->pending_rules[n] = r;
    ps->c->pending_rule_doc[n] = doc;
    ps->c->npending_rules++;
}

/* The top-level declarations, one row each: the dispatch, the error recovery and the
 * message that lists what may come here all read this table. */
static const struct {
    const char *word;
    void (*parse)(parser *);
} DECLS[] = {
    {"enum", enum_decl},         {"fact", fact_decl},         {"list", list_decl},
    {"recognition", recognition_decl}, {"region", region_decl}, {"param", param_decl},
    {"document", document_decl}, {"rule", rule_decl},         {"item", item_decl},
};
enum { NDECLS = sizeof DECLS / sizeof *DECLS };

static int decl_index(const parser *ps)
{
    if (ps->tok.kind != TK_IDENT) return -1;
    for (int i = 0; i < NDECLS; i++)
        if (is_word(ps, DECLS[i].word)) return i;
    return -1;
}

/* After an error, skip to the next declaration keyword that starts a line: every top-level
 * block begins in column 1, so this resynchronises whether or not the broken declaration
 * had braces. */
static bool at_declaration(const parser *ps)
{
    return ps->tok.col == 1 && decl_index(ps) >= 0;
}

static void fail_no_declaration(parser *ps)
{
    char msg[320];
    size_t n = (size_t)snprintf(msg, sizeof msg, "%s", "expected a declaration (");
    for (int i = 0; i < NDECLS && n < sizeof msg; i++)
        n += (size_t)snprintf(msg + n, sizeof msg - n, "%s%s", i ? ", " : "", DECLS[i].word);
    if (n < sizeof msg)
        snprintf(msg + n, sizeof msg - n, "), found '%s'", ps->tok.kind == TK_IDENT ? tok_text(ps) : rlex_kind_name(ps->tok.kind));
    fail(ps, "%s", msg);
}

static void recover(parser *ps)
{
    do {
        ps->tok = rlex_next(&ps->ls);
    } while (ps->tok.kind != TK_EOF && !at_declaration(ps));
}

/* file := { enum | fact | list | recognition | region | param | document | rule | item } */
void rparse_file(hq_corpus *c, const char *file, const char *src, size_t len, hq_diag *diag)
{
    parser ps = {.c = c, .diag = diag};
    rlex_init(&ps.ls, arena_strdup(c->arena, file), src, len, diag);
    int errors_before = diag->count;
    ps.tok = rlex_next(&ps.ls);
    for (;;) {
        if (setjmp(ps.on_error)) {
            ps.depth = 0;
            if (diag->count - errors_before > 50) return;
            if (ps.tok.kind == TK_EOF) return;
            recover(&ps);
            continue;
        }
        while (ps.tok.kind == TK_ERROR) ps.tok = rlex_next(&ps.ls);
        if (ps.tok.kind == TK_EOF) return;
        int k = decl_index(&ps);
        if (k < 0) fail_no_declaration(&ps);
        DECLS[k].parse(&ps);
    }
}
