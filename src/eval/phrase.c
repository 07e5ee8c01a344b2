/*
 * Rendering checked condition trees as Chinese sentences; see phrase.h.
 */
#include "eval/phrase.h"
#include "eval/valuetext.h"

#include <stdio.h>
#include <string.h>

#include "base/calendar.h"

typedef struct {
    const hq_corpus *c;
    phrase_value_fn value; /* NULL: the sentence alone */
    void *ctx;
} phrase_ctx;

static void put(const phrase_ctx *x, const hq_node *n, hq_strbuf *out);

/* After a fact or a builtin, the value of one evaluation when asked for: 技改投入[600万元]. */
static void put_value(const phrase_ctx *x, const hq_node *n, hq_strbuf *out)
{
    if (!x->value) return;
    sb_puts(out, "[");
    x->value(x->ctx, n, out);
    sb_puts(out, "]");
}

/* The value after a negated yes/no fact: 注册地未搬离[否] would read as a double negative. The
 * negated sentence holding (the fact is 否) needs no mark; the fact being 是 is marked [不符],
 * which an or-condition needs to show which side failed; other values (未提供) as they are. */
static void put_negated_value(const phrase_ctx *x, const hq_node *n, hq_strbuf *out)
{
    if (!x->value) return;
    hq_strbuf v;
    sb_init(&v, 256);
    x->value(x->ctx, n, &v);
    if (!strcmp(sb_str(&v), "是")) sb_puts(out, "[不符]");
    else if (strcmp(sb_str(&v), "否")) sb_printf(out, "[%s]", sb_str(&v));
    sb_free(&v);
}

/* A level such as 国家, 省, 市 reads 国家级, 省级, 市级; other enum values as written. */
static void put_level(const char *v, hq_strbuf *out)
{
    static const char *LEVELS[] = {"国家", "省", "市", "县", "区"};
    sb_puts(out, v);
    for (size_t i = 0; i < sizeof LEVELS / sizeof *LEVELS; i++)
        if (!strcmp(v, LEVELS[i])) sb_puts(out, "级");
}

static void put_members(const hq_node *n, bool levels, hq_strbuf *out)
{
    for (int i = 0; i < n->nlist; i++) {
        if (i) sb_puts(out, i == n->nlist - 1 ? "或" : "、");
        if (levels) put_level(n->list[i]->name, out);
        else sb_puts(out, n->list[i]->name);
    }
}

static bool is_call(const hq_node *n, hq_builtin fn)
{
    return n->kind == NK_CALL && n->op == fn;
}

/* The year-count builtins read a date fact: its label, prev() included. */
static void put_date_arg(const phrase_ctx *x, const hq_node *n, hq_strbuf *out)
{
    if (n->nlist > 0) put(x, n->list[0], out);
}

static void put_call_text(const phrase_ctx *x, const hq_node *n, hq_strbuf *out)
{
    const hq_corpus *c = x->c;
    switch ((hq_builtin)n->op) {
    case FN_MIN:
    case FN_MAX:
        put(x, n->list[0], out);
        sb_puts(out, "与");
        put(x, n->list[1], out);
        sb_puts(out, n->op == FN_MIN ? "中的较小者" : "中的较大者");
        return;
    case FN_STEPS:
        put(x, n->list[0], out);
        sb_puts(out, "中每满");
        put(x, n->list[1], out);
        sb_puts(out, "的份数");
        return;
    case FN_EXCESS:
        put(x, n->list[0], out);
        sb_puts(out, "超出");
        put(x, n->list[1], out);
        sb_puts(out, "的部分");
        return;
    case FN_PREV:
        sb_puts(out, "上年");
        if (n->nlist > 0) put(x, n->list[0], out);
        return;
    case FN_YEARS_SINCE:
        sb_puts(out, "自");
        put_date_arg(x, n, out);
        sb_puts(out, "起的年度数");
        return;
    case FN_YEARS_BETWEEN:
        sb_puts(out, "自");
        put_date_arg(x, n, out);
        sb_puts(out, "起的整年数");
        return;
    case FN_IN_LIST:
        sb_printf(out, "列入%s", c->lists[n->ref]->label);
        return;
    case FN_IN_REGION:
        sb_printf(out, "注册地属于%s", c->regions[n->ref]->label);
        return;
    case FN_NEW_RECOGNITION:
        sb_printf(out, "当年新认定为%s", c->recognitions[n->ref]->label);
        return;
    case FN_RECOGNITION_LEVEL:
        sb_printf(out, "%s的认定级别", c->recognitions[n->ref]->label);
        return;
    case FN_NEW_GRADE:
        sb_printf(out, "当年新获%s的等次", c->recognitions[n->ref]->label);
        return;
    case FN_NEW_COUNT:
        sb_printf(out, "当年新获%s的项数", c->recognitions[n->ref]->label);
        return;
    case FN__COUNT:
        return;
    }
}

/* `new_recognition(R) == 省` reads 当年新认定为省级R; `recognition_level(R) 以上 省` reads
 * 已获省级及以上R. Returns false for any other comparison. */
static bool put_level_compare(const phrase_ctx *x, const hq_node *n, hq_strbuf *out)
{
    const hq_corpus *c = x->c;
    const hq_node *a = n->a, *b = n->b;
    bool fresh = is_call(a, FN_NEW_RECOGNITION);
    if ((!fresh && !is_call(a, FN_RECOGNITION_LEVEL)) || b->kind != NK_SYMBOL) return false;
    const char *tail = "";
    switch ((hq_binop)n->op) {
    case BIN_EQ:
        break;
    case BIN_NE:
        /* != 无 (the enum's first value, "none") is "has one, at any level". */
        if (b->type.enum_id >= 0 && b->num == 0) {
            sb_printf(out, "%s%s（任一级别）", fresh ? "当年新认定为" : "已获", c->recognitions[a->ref]->label);
            put_value(x, a, out);
            return true;
        }
        sb_puts(out, fresh ? "当年新认定的不是" : "已获的不是");
        put_level(b->type.enum_id >= 0 ? c->enums[b->type.enum_id]->values[b->num] : b->name, out);
        sb_puts(out, c->recognitions[a->ref]->label);
        put_value(x, a, out);
        return true;
    case BIN_GE:
        tail = "及以上";
        break;
    case BIN_GT:
        tail = "以上（不含本级）";
        break;
    case BIN_LE:
        tail = "及以下";
        break;
    case BIN_LT:
        tail = "以下（不含本级）";
        break;
    case BIN_ADD:
    case BIN_SUB:
    case BIN_MUL:
    case BIN_AND:
    case BIN_OR:
        return false;
    }
    sb_puts(out, fresh ? "当年新认定为" : "已获");
    put_level(b->type.enum_id >= 0 ? c->enums[b->type.enum_id]->values[b->num] : b->name, out);
    sb_printf(out, "%s%s", tail, c->recognitions[a->ref]->label);
    put_value(x, a, out);
    return true;
}

/* A builtin, then its value (a region test shows the district it read). */
static void put_call(const phrase_ctx *x, const hq_node *n, hq_strbuf *out)
{
    put_call_text(x, n, out);
    if (n->op == FN_IN_REGION) {
        if (n->a) put_value(x, n->a, out);
    } else if (n->op != FN_PREV) put_value(x, n, out);
}

/* A comparison says whether its bound is included, as the policy text's 以上/超过 do. */
static void put_compare(const phrase_ctx *x, const hq_node *n, hq_strbuf *out)
{
    if (put_level_compare(x, n, out)) return;
    put(x, n->a, out);
    switch ((hq_binop)n->op) {
    case BIN_GE:
        sb_puts(out, "达到");
        put(x, n->b, out);
        sb_puts(out, "（含）");
        return;
    case BIN_GT:
        sb_puts(out, "超过");
        put(x, n->b, out);
        sb_puts(out, "（不含本数）");
        return;
    case BIN_LE:
        sb_puts(out, "不超过");
        put(x, n->b, out);
        sb_puts(out, "（含）");
        return;
    case BIN_LT:
        sb_puts(out, "低于");
        put(x, n->b, out);
        sb_puts(out, "（不含本数）");
        return;
    case BIN_EQ:
        sb_puts(out, "为");
        put(x, n->b, out);
        return;
    case BIN_NE:
        sb_puts(out, "不为");
        put(x, n->b, out);
        return;
    case BIN_ADD:
    case BIN_SUB:
    case BIN_MUL:
    case BIN_AND:
    case BIN_OR:
        return;
    }
}

/* An operand of and/or, read as a yes/no: a recognition's level there asks whether the firm
 * holds it at all (at any level, where it has levels), not what the level is. */
static void put_truth(const phrase_ctx *x, const hq_node *n, hq_strbuf *out)
{
    if (!is_call(n, FN_RECOGNITION_LEVEL)) {
        put(x, n, out);
        return;
    }
    const hq_recognition *r = x->c->recognitions[n->ref];
    sb_printf(out, "已获%s%s", r->label, r->levels_enum >= 0 ? "（任一级别）" : "");
    put_value(x, n, out);
}

static void put_bin(const phrase_ctx *x, const hq_node *n, hq_strbuf *out)
{
    switch ((hq_binop)n->op) {
    case BIN_ADD:
    case BIN_SUB:
    case BIN_MUL: {
        static const char *W[] = {[BIN_ADD] = "加", [BIN_SUB] = "减", [BIN_MUL] = "乘以"};
        put(x, n->a, out);
        sb_puts(out, W[n->op]);
        put(x, n->b, out);
        return;
    }
    case BIN_AND:
    case BIN_OR: {
        /* A nested or inside and (and the reverse) is bracketed so the grouping stays. */
        bool ga = n->a->kind == NK_BIN && (n->a->op == BIN_AND || n->a->op == BIN_OR) && n->a->op != n->op;
        bool gb = n->b->kind == NK_BIN && (n->b->op == BIN_AND || n->b->op == BIN_OR) && n->b->op != n->op;
        if (ga) sb_puts(out, "（");
        put_truth(x, n->a, out);
        if (ga) sb_puts(out, "）");
        sb_puts(out, n->op == BIN_AND ? "，且" : "，或");
        if (gb) sb_puts(out, "（");
        put_truth(x, n->b, out);
        if (gb) sb_puts(out, "）");
        return;
    }
    case BIN_LT:
    case BIN_LE:
    case BIN_GT:
    case BIN_GE:
    case BIN_EQ:
    case BIN_NE:
        put_compare(x, n, out);
        return;
    }
}

/* A fact's label in the year it is read: a label that says 当年 (截至当年末…) says 上年 for the
 * previous year, instead of the contradictory 上年截至当年末…. */
static void put_label_year(const char *label, int year_offset, hq_strbuf *out)
{
    const char *cur = year_offset < 0 ? strstr(label, "当年") : NULL;
    if (cur) sb_printf(out, "%.*s上年%s", (int)(cur - label), label, cur + strlen("当年"));
    else sb_printf(out, "%s%s", year_offset < 0 ? "上年" : "", label);
}

/* A yes/no label negated as Chinese says it: 存在… → 不存在…, 列入… → 未列入…; a label
 * that states a completed step (…方案已获批) → …方案未获批; else 不是…. */
static void put_negated_label(const char *label, int year_offset, hq_strbuf *out)
{
    static const struct { const char *verb, *negated; } V[] = {
        {"存在", "不存在"}, {"具有", "不具有"}, {"具备", "不具备"}, {"列入", "未列入"}, {"参加", "未参加"},
        {"已", "未"}, {"有", "没有"}, {"是", "不是"}, {"属于", "不属于"}, {"在", "不在"}, {"位于", "不位于"},
    };
    hq_strbuf l;
    sb_init(&l, 1024);
    put_label_year(label, year_offset, &l);
    const char *text = sb_str(&l), *done = strstr(text, "已");
    for (size_t i = 0; i < sizeof V / sizeof *V; i++) {
        size_t len = strlen(V[i].verb);
        if (!strncmp(text, V[i].verb, len)) {
            sb_printf(out, "%s%s", V[i].negated, text + len);
            sb_free(&l);
            return;
        }
    }
    if (done) sb_printf(out, "%.*s未%s", (int)(done - text), text, done + strlen("已"));
    else sb_printf(out, "不是%s", text);
    sb_free(&l);
}

/* `not X`: the negative of a yes/no fact or a membership reads naturally; anything else
 * is quoted. */
static void put_not(const phrase_ctx *x, const hq_node *a, hq_strbuf *out)
{
    const hq_corpus *c = x->c;
    if (a->kind == NK_FACT) {
        put_negated_label(c->facts[a->ref]->label, a->year_offset, out);
        put_negated_value(x, a, out);
        return;
    }
    if (is_call(a, FN_IN_LIST)) {
        sb_printf(out, "未列入%s", c->lists[a->ref]->label);
        put_value(x, a, out);
        return;
    }
    if (is_call(a, FN_IN_REGION)) {
        sb_printf(out, "注册地不属于%s", c->regions[a->ref]->label);
        if (a->a) put_value(x, a->a, out);
        return;
    }
    if (is_call(a, FN_NEW_RECOGNITION)) {
        sb_printf(out, "当年未新认定为%s", c->recognitions[a->ref]->label);
        put_value(x, a, out);
        return;
    }
    sb_puts(out, "并非「");
    put(x, a, out);
    sb_puts(out, "」");
}

/* `new_recognition(R) in {国家, 省}` reads 当年新认定为国家级或省级R. */
static void put_in(const phrase_ctx *x, const hq_node *n, hq_strbuf *out)
{
    const hq_corpus *c = x->c;
    const hq_node *a = n->a;
    if (is_call(a, FN_NEW_RECOGNITION) || is_call(a, FN_RECOGNITION_LEVEL)) {
        sb_puts(out, is_call(a, FN_NEW_RECOGNITION) ? (n->negate ? "当年新认定的不是" : "当年新认定为")
                                                     : (n->negate ? "已获的不是" : "已获"));
        put_members(n, true, out);
        sb_puts(out, c->recognitions[a->ref]->label);
        put_value(x, a, out);
        return;
    }
    put(x, a, out);
    sb_puts(out, n->negate ? "不属于" : "属于");
    put_members(n, false, out);
}

static void put_num(const phrase_ctx *x, const hq_node *n, hq_strbuf *out)
{
    const hq_corpus *c = x->c;
    if (n->param >= 0) {
        /* A parameter's source name is an identifier: show its value instead. */
        char buf[96];
        value_text(c, n->type, n->unit, n->num, buf, sizeof buf);
        sb_puts(out, buf);
        return;
    }
    sb_append(out, n->text, (size_t)n->text_len);
}

static void put(const phrase_ctx *x, const hq_node *n, hq_strbuf *out)
{
    const hq_corpus *c = x->c;
    switch ((hq_nkind)n->kind) {
    case NK_NUM:
        put_num(x, n, out);
        return;
    case NK_DATE: {
        int y, m, d;
        cal_civil_from_days((long)n->num, &y, &m, &d);
        sb_printf(out, "%d年%d月%d日", y, m, d);
        return;
    }
    case NK_NAME: /* resolved by the checker; an unchecked tree shows the name */
        sb_puts(out, n->name ? n->name : "");
        return;
    case NK_FACT:
        put_label_year(c->facts[n->ref]->label, n->year_offset, out);
        put_value(x, n, out);
        return;
    case NK_SYMBOL:
        if (n->type.enum_id >= 0 && n->num >= 0 && n->num < c->enums[n->type.enum_id]->nvalues)
            sb_puts(out, c->enums[n->type.enum_id]->values[n->num]);
        else if (n->name) sb_puts(out, n->name);
        return;
    case NK_BOOL:
        sb_puts(out, n->num ? "是" : "否");
        return;
    case NK_BIN:
        put_bin(x, n, out);
        return;
    case NK_NOT:
        put_not(x, n->a, out);
        return;
    case NK_NEG:
        sb_puts(out, "负");
        put(x, n->a, out);
        return;
    case NK_IF:
        sb_puts(out, "若");
        put(x, n->a, out);
        sb_puts(out, "，则为");
        put(x, n->b, out);
        sb_puts(out, "，否则为");
        put(x, n->c, out);
        return;
    case NK_MATCH:
        sb_puts(out, "按");
        put(x, n->a, out);
        sb_puts(out, "分档确定的值");
        return;
    case NK_IN:
        put_in(x, n, out);
        return;
    case NK_CALL:
        put_call(x, n, out);
        return;
    case NK_RANGE:
        put(x, n->a, out);
        sb_puts(out, "至");
        put(x, n->b, out);
        return;
    }
}

void phrase_node(const hq_corpus *c, const hq_node *n, hq_strbuf *out)
{
    phrase_ctx x = {.c = c};
    if (n) put(&x, n, out);
}

void phrase_node_values(const hq_corpus *c, const hq_node *n, phrase_value_fn value, void *ctx, hq_strbuf *out)
{
    phrase_ctx x = {.c = c, .value = value, .ctx = ctx};
    if (n) put(&x, n, out);
}
