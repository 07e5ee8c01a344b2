/*
 * Rendering explanations from expression trees and register values; see explain.h.
 */
#include "base/calendar.h"
#include "eval/explain.h"
#include "eval/phrase.h"

#include <stdio.h>
#include <string.h>

#include "base/fixed.h"

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

void explain_value(const hq_corpus *c, hq_type t, const char *unit, int64_t v, char *buf, size_t size)
{
    char num[64];
    switch (t.kind) {
    case HT_BOOL:
        snprintf(buf, size, "%s", v ? "是" : "否");
        return;
    case HT_MONEY:
        /* Whole 分 print as such; a sub-分 intermediate keeps its digits so the final
         * rounding is visible rather than hidden. */
        if (v % HQ_FIXED_PER_FEN) fixed_format_short(v, true, num, sizeof num);
        else fixed_format(v, 2, true, num, sizeof num);
        snprintf(buf, size, "%s元", num);
        return;
    case HT_RATE:
        fixed_format_short(v * 100, false, num, sizeof num);
        snprintf(buf, size, "%s%%", num);
        return;
    case HT_COUNT:
        fixed_format_short(v, true, num, sizeof num);
        snprintf(buf, size, "%s%s", num, unit ? unit : "");
        return;
    case HT_DATE: {
        int y, m, d;
        cal_civil_from_days((long)v, &y, &m, &d);
        snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
        return;
    }
    case HT_ENUM:
        if (t.enum_id >= 0 && v >= 0 && v < c->enums[t.enum_id]->nvalues) {
            snprintf(buf, size, "%s", c->enums[t.enum_id]->values[v]);
            return;
        }
        break;
    }
    snprintf(buf, size, "%lld", (long long)v);
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
    explain_value(rc->c, n->type, unit, v, buf, sizeof buf);
    sb_puts(rc->out, buf);
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
    if (compound && n->type.kind != HT_BOOL) {
        sb_puts(rc->out, " = ");
        put_value(rc, n);
    }
    if (compound) sb_puts(rc->out, ")");
}

static void render_call(const render_ctx *rc, const hq_node *n)
{
    const hq_corpus *c = rc->c;
    switch ((hq_builtin)n->op) {
    case FN_MIN:
    case FN_MAX:
        sb_puts(rc->out, n->op == FN_MIN ? "取小(" : "取大(");
        render_operand(rc, n->list[0]);
        sb_puts(rc->out, ", ");
        render_operand(rc, n->list[1]);
        sb_puts(rc->out, ")");
        return;
    case FN_STEPS:
        render_operand(rc, n->list[0]);
        sb_puts(rc->out, " 每");
        render_operand(rc, n->list[1]);
        sb_puts(rc->out, " 计");
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
            char day[16];
            hq_type date = {.kind = HT_DATE};
            explain_value(rc->c, date, NULL, pm->as_of, day, sizeof day);
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
    for (const char *s = names; *s;) {
        while (*s == ' ') s++;
        size_t len = strcspn(s, " ");
        if (!len) break;
        snprintf(name, sizeof name, "%.*s", (int)len, s);
        s += len;
        bool prev = false;
        char *paren = strstr(name, "(上年)");
        if (paren) {
            *paren = 0;
            prev = true;
        }
        const char *label = !strcmp(name, "lists") ? "名录信息" : !strcmp(name, "recognitions") ? "认定信息" : name;
        for (int f = 0; f < c->nfacts; f++)
            if (!strcmp(c->facts[f]->name, name)) label = c->facts[f]->label;
        sb_printf(out, "%s%s%s", out->len ? "、" : "", prev ? "上年" : "", label);
    }
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
        char name[160];
        if (n->kind == NK_FACT)
            snprintf(name, sizeof name, "%s%s", rc->c->facts[n->ref]->name, n->year_offset < 0 ? "(上年)" : "");
        else
            snprintf(name, sizeof name, "%s", n->op == FN_IN_LIST ? "lists" : "recognitions");
        if (!strstr(sb_str(out), name)) sb_printf(out, "%s%s", out->len ? " " : "", name);
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

/* The part's arithmetic. A cap is shown as what it does: "取 A 与上限 B 的较小者 = C", and
 * only when both sides are known; an unknown amount is said to be unknown, not compared. */
static void render_amount(const render_ctx *rc, const hq_part *p)
{
    sb_puts(rc->out, "    计算：");
    render(rc, p->amount);
    bool simple = p->amount->kind == NK_NUM;
    if (!simple) {
        sb_puts(rc->out, " = ");
        put_value(rc, p->amount);
    }
    int64_t a, cap;
    uint8_t sa, sc;
    reg_value(rc, p->amount, &a, &sa);
    if (p->cap) reg_value(rc, p->cap, &cap, &sc);
    if (p->cap && !sa && !sc) {
        sb_puts(rc->out, "；取其与上限 ");
        put_value(rc, p->cap);
        sb_puts(rc->out, " 的较小者 = ");
        put_value(rc, a > cap ? p->cap : p->amount);
    } else if (p->cap) {
        sb_puts(rc->out, "（上限 ");
        put_value(rc, p->cap);
        sb_puts(rc->out, "）");
    }
    sb_puts(rc->out, "\n");
}

/* A part's own verdict, from its registers: 不符合 if a condition of its own is false, 待补充
 * 数据 if one is unknown or its amount is, else 符合. */
static const char *part_verdict(const render_ctx *rc, const hq_item *it, int p, const hq_outcome *o)
{
    const hq_part *pt = &it->parts[p];
    bool unknown = o->unknown >> p & 1;
    for (int r = 0; r < pt->nrequires; r++) {
        int64_t v;
        uint8_t st;
        reg_value(rc, pt->requires[r], &v, &st);
        if (!st && !v) return "不符合";
        unknown |= st != 0;
    }
    if (unknown) return "待补充数据";
    int64_t a;
    uint8_t sa;
    if (pt->amount) reg_value(rc, pt->amount, &a, &sa);
    return pt->amount && !sa && a > 0 ? "符合" : "不符合（金额为0）";
}

void explain_part_missing(const hq_vm *vm, const hq_corpus *c, const hq_item *it, int p, hq_strbuf *out)
{
    render_ctx items = {.vm = vm, .c = c, .rules = false, .out = out};
    for (int r = 0; r < it->parts[p].nrequires; r++) collect_missing(&items, it->parts[p].requires[r], out);
    collect_missing(&items, it->parts[p].amount, out);
    collect_missing(&items, it->parts[p].cap, out);
}

/* 分节点兑付: each stage with its share and whether it is reached, then the share of the
 * total payable so far; what earlier stages already paid is deducted under 附则3. */
static void render_stages(const render_ctx *rc, const hq_item *it, const hq_outcome *o)
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
    if (o->status == HQ_ELIGIBLE) {
        char amount[64];
        fen_format(o->amount_fen, true, amount, sizeof amount);
        sb_printf(rc->out, "，累计应兑付 %s元", amount);
    }
    sb_puts(rc->out, "\n");
}

void explain_item(const hq_vm *vm, const hq_corpus *c, const hq_item *it, const hq_outcome *o, hq_strbuf *out)
{
    char amount[64];
    fen_format(o->amount_fen, true, amount, sizeof amount);
    sb_printf(out, "【%s】%s（%s 第%d条 第(%s)项）\n", it->id, it->title, it->doc->number, it->article, it->row);
    sb_printf(out, "  责任单位：%s", it->department);
    for (int i = 0; i < it->nproviders; i++) sb_printf(out, "%s%s", i ? "、" : "（数据：", it->providers[i]);
    sb_printf(out, "%s；类别：%s\n", it->nproviders ? "）" : "", item_kind_name(it->kind));
    char from[16], to[16];
    hq_type date = {.kind = HT_DATE};
    explain_value(c, date, NULL, it->doc->issued, from, sizeof from);
    explain_value(c, date, NULL, it->doc->expires, to, sizeof to);
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
    for (int p = 0; p < it->nparts; p++) {
        const hq_part *pt = &it->parts[p];
        if (it->has_parts) sb_printf(out, "  分项「%s」：%s\n", pt->label, part_verdict(&items, it, p, o));
        else sb_puts(out, "  条件：\n");
        for (int r = 0; r < pt->nrequires; r++) render_condition(&items, pt->requires[r], NULL);
        if (pt->amount) render_amount(&items, pt);
    }
    if (it->has_parts && it->nparts > 1)
        sb_printf(out, "  合计方式：%s\n", it->combine_max ? "就高（不重复享受）" : "叠加");
    if (it->nstages) render_stages(&items, it, o);
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
