/*
 * Parser for plan files (.hqp; the format is described in plan.h). It reads one file into
 * an hq_plan and reports every problem it finds — unknown keys, malformed numbers, missing
 * targets, duplicate indicator numbers, area lists of the wrong length — each at its
 * file:line:col with a message in Chinese, as the rule checker does, then returns NULL if
 * there was any: a plan with a wrong cell must not be measured against.
 *
 * The grammar has a fixed depth (file → block → project block), so the parser is a few
 * loops, not a recursive descent; no input can make it recurse. After an error it skips to
 * the next key it knows, so one typo gives one message, not a cascade.
 */
#include "plan/plan.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "plan/plex.h"

/* A plan file is a transcribed table; 16 MiB is far beyond any, and bounds a hostile one. */
enum { PLAN_FILE_MAX = 16 << 20 };

typedef struct {
    plex_state lx;
    plex_token tok;
    hq_diag *d;
    const char *file;
    hq_plan *p;
    int diag_start;
    bool header_seen;
    int cap_ind, cap_proj, cap_ent, cap_obs, cap_fn, cap_link;
} pstate;

static void next(pstate *ps) { ps->tok = plex_next(&ps->lx); }

static void err_at(pstate *ps, int line, int col, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void err_at(pstate *ps, int line, int col, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag_at(ps->d, ps->file, line, col, "%s", msg);
}

/* "Expected …" at the current token; a lexer error was already reported there. */
static void expected(pstate *ps, const char *what)
{
    if (ps->tok.kind == PT_ERROR) return;
    if (ps->tok.kind == PT_WORD || ps->tok.kind == PT_NUMBER)
        err_at(ps, ps->tok.line, ps->tok.col, "应为%s，却是“%.*s”", what, (int)ps->tok.len, ps->tok.start);
    else
        err_at(ps, ps->tok.line, ps->tok.col, "应为%s，却是%s", what, plex_kind_name(ps->tok.kind));
}

/* Grow an arena array to hold one more element (the arena cannot realloc: copy on double). */
static void *grow(pstate *ps, void *arr, int *cap, int n, size_t elem)
{
    if (n < *cap) return arr;
    int ncap = *cap ? *cap * 2 : 16;
    void *na = arena_alloc(ps->p->arena, (size_t)ncap * elem);
    if (!na) return NULL;
    if (arr) memcpy(na, arr, (size_t)n * elem);
    *cap = ncap;
    return na;
}

static void out_of_memory(pstate *ps)
{
    err_at(ps, ps->tok.line, ps->tok.col, "文件过大，内存不足");
}

/* The string token's text with \" and \\ resolved, owned by the plan. */
static const char *take_string(pstate *ps, const plex_token *t)
{
    char *s = arena_alloc(ps->p->arena, t->len + 1);
    if (!s) return "";
    size_t j = 0;
    for (size_t i = 0; i < t->len; i++) {
        if (t->start[i] == '\\' && i + 1 < t->len && (t->start[i + 1] == '"' || t->start[i + 1] == '\\')) i++;
        s[j++] = t->start[i];
    }
    s[j] = 0;
    return s;
}

/* Append to a repeatable text key (source, note): lines joined by '\n'. */
static const char *append_line(pstate *ps, const char *old, const char *add)
{
    if (!old) return add;
    return arena_printf(ps->p->arena, "%s\n%s", old, add);
}

/* string := STRING */
static bool parse_string(pstate *ps, const char **out)
{
    if (ps->tok.kind != PT_STRING) {
        expected(ps, "字符串");
        return false;
    }
    *out = take_string(ps, &ps->tok);
    next(ps);
    return true;
}

/* number := ['-'] DIGITS ['.' DIGITS], at most 6 decimals */
static bool parse_number(pstate *ps, hq_fixed *out)
{
    if (ps->tok.kind != PT_NUMBER) {
        expected(ps, "数字");
        return false;
    }
    const char *m = fixed_parse(ps->tok.start, ps->tok.len, HQ_FIXED_DECIMALS, out);
    if (m) {
        err_at(ps, ps->tok.line, ps->tok.col, "数字“%.*s”有误：%s", (int)ps->tok.len, ps->tok.start, m);
        next(ps);
        return false;
    }
    next(ps);
    return true;
}

/* int := DIGITS (1 … 999999999) */
static bool parse_int(pstate *ps, int *out)
{
    if (ps->tok.kind != PT_NUMBER) {
        expected(ps, "整数");
        return false;
    }
    int v = 0;
    bool ok = ps->tok.len > 0 && ps->tok.len <= 9;
    for (size_t i = 0; ok && i < ps->tok.len; i++) {
        char c = ps->tok.start[i];
        if (c < '0' || c > '9') ok = false;
        else v = v * 10 + (c - '0');
    }
    if (!ok || v == 0) {
        err_at(ps, ps->tok.line, ps->tok.col, "应为正整数，却是“%.*s”", (int)ps->tok.len, ps->tok.start);
        next(ps);
        return false;
    }
    *out = v;
    next(ps);
    return true;
}

/* id := DIGITS ['.' DIGITS] — an indicator or row number such as 21 or 21.2, kept as text
 * so that 11.1 and 11.10 stay different. */
static bool parse_id(pstate *ps, char id[PLAN_ID_MAX], int *number, int *sub)
{
    if (ps->tok.kind != PT_NUMBER) {
        expected(ps, "编号（如 21 或 21.2）");
        if (ps->tok.kind != PT_LBRACE && ps->tok.kind != PT_EOF) next(ps);
        return false;
    }
    const char *s = ps->tok.start;
    size_t n = ps->tok.len, i = 0;
    int a = 0, b = 0, da = 0, db = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9' && da < 6) a = a * 10 + (s[i++] - '0'), da++;
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && s[i] >= '0' && s[i] <= '9' && db < 3) b = b * 10 + (s[i++] - '0'), db++;
        if (db == 0) i = 0;
    }
    if (i != n || a == 0 || (db > 0 && b == 0) || n >= PLAN_ID_MAX) {
        err_at(ps, ps->tok.line, ps->tok.col, "编号“%.*s”有误：应为正整数或“整数.整数”", (int)n, s);
        next(ps);
        return false;
    }
    memcpy(id, s, n);
    id[n] = 0;
    *number = a;
    *sub = b;
    next(ps);
    return true;
}

/* value := '-' | number [左右] — a base value */
static bool parse_base(pstate *ps, plan_target *out)
{
    if (ps->tok.kind == PT_DASH) {
        out->kind = PLAN_TARGET_NONE;
        out->value = 0;
        next(ps);
        return true;
    }
    if (ps->tok.kind != PT_NUMBER) {
        expected(ps, "基数（数字、“数字 左右”或“-”）");
        return false;
    }
    if (!parse_number(ps, &out->value)) return false;
    out->kind = PLAN_TARGET_EXACT;
    if (plex_is(&ps->tok, "左右")) {
        out->kind = PLAN_TARGET_APPROX;
        next(ps);
    }
    return true;
}

/* target := '-' | '省下目标' | '力争' number | number ['左右' | '以上' | '以下'] */
static bool parse_target(pstate *ps, plan_target *out)
{
    out->value = 0;
    if (ps->tok.kind == PT_DASH) {
        out->kind = PLAN_TARGET_NONE;
        next(ps);
        return true;
    }
    if (plex_is(&ps->tok, "省下目标")) {
        out->kind = PLAN_TARGET_PROVINCE_SET;
        next(ps);
        return true;
    }
    if (plex_is(&ps->tok, "力争")) {
        next(ps);
        out->kind = PLAN_TARGET_ASPIRE;
        return parse_number(ps, &out->value);
    }
    if (ps->tok.kind != PT_NUMBER) {
        expected(ps, "目标（数字、“力争 数字”、“数字 左右/以上/以下”、“省下目标”或“-”）");
        return false;
    }
    if (!parse_number(ps, &out->value)) return false;
    out->kind = PLAN_TARGET_EXACT;
    if (plex_is(&ps->tok, "左右")) out->kind = PLAN_TARGET_APPROX;
    else if (plex_is(&ps->tok, "以上")) out->kind = PLAN_TARGET_AT_LEAST;
    else if (plex_is(&ps->tok, "以下")) out->kind = PLAN_TARGET_AT_MOST;
    if (out->kind != PLAN_TARGET_EXACT) next(ps);
    return true;
}

/* growth := '-' | PERCENT | '[' number ']' */
static bool parse_growth(pstate *ps, plan_growth *out)
{
    out->value = 0;
    if (ps->tok.kind == PT_DASH) {
        out->kind = PLAN_GROWTH_NONE;
        next(ps);
        return true;
    }
    if (ps->tok.kind == PT_PERCENT) {
        hq_fixed v;
        /* At most 4 decimals in percent, so the fraction (v/100) is exact in 10^-6. */
        const char *m = fixed_parse(ps->tok.start, ps->tok.len, 4, &v);
        if (m) {
            err_at(ps, ps->tok.line, ps->tok.col, "增长率“%.*s%%”有误：%s", (int)ps->tok.len, ps->tok.start, m);
            next(ps);
            return false;
        }
        out->kind = PLAN_GROWTH_ANNUAL_RATE;
        out->value = v / 100;
        next(ps);
        return true;
    }
    if (ps->tok.kind == PT_LBRACKET) {
        next(ps);
        if (!parse_number(ps, &out->value)) return false;
        if (ps->tok.kind != PT_RBRACKET) {
            expected(ps, "“]”");
            return false;
        }
        next(ps);
        out->kind = PLAN_GROWTH_CUMULATIVE;
        return true;
    }
    expected(ps, "增长（“6.5%”、“[17.7]”或“-”）");
    return false;
}

/* word := one of `choices` (NULL-terminated); returns its index or -1 */
static int parse_choice(pstate *ps, const char *const *choices, const char *what)
{
    if (ps->tok.kind == PT_WORD)
        for (int i = 0; choices[i]; i++)
            if (plex_is(&ps->tok, choices[i])) {
                next(ps);
                return i;
            }
    expected(ps, what);
    if (ps->tok.kind == PT_WORD) next(ps);
    return -1;
}

static int key_index(const plex_token *t, const char *const *keys)
{
    if (t->kind != PT_WORD) return -1;
    for (int i = 0; keys[i]; i++)
        if (plex_is(t, keys[i])) return i;
    return -1;
}

/* After an error inside a block: skip to the next key of the block, its '}', or EOF. The
 * value words (力争, 左右 …) are never keys, so they are skipped too. */
static void sync_block(pstate *ps, const char *const *keys)
{
    while (ps->tok.kind != PT_EOF && ps->tok.kind != PT_RBRACE && key_index(&ps->tok, keys) < 0) next(ps);
}

/* Report an unknown key or a non-key token at the current position and resynchronise. */
static void bad_key(pstate *ps, const char *const *keys, const char *block)
{
    if (ps->tok.kind == PT_WORD)
        err_at(ps, ps->tok.line, ps->tok.col, "%s中未知的键“%.*s”", block, (int)ps->tok.len, ps->tok.start);
    else
        expected(ps, "键名");
    next(ps);
    sync_block(ps, keys);
}

static bool open_block(pstate *ps)
{
    if (ps->tok.kind != PT_LBRACE) {
        expected(ps, "“{”");
        return false;
    }
    next(ps);
    return true;
}

/* Closing a block: '}' or an error at the block's keyword when the file ends first. */
static void close_block(pstate *ps, int line, int col, const char *block)
{
    if (ps->tok.kind == PT_RBRACE) next(ps);
    else err_at(ps, line, col, "%s未结束：缺少“}”", block);
}

/* A key given twice in one block; `seen` is a bit set over the block's keys. */
static bool once(pstate *ps, unsigned *seen, int k, const plex_token *key)
{
    if (*seen & (1u << k)) {
        err_at(ps, key->line, key->col, "键“%.*s”重复", (int)key->len, key->start);
        return false;
    }
    *seen |= 1u << k;
    return true;
}

/* header := ('plan' | 'report' | 'links') WORD '{' { header_field } '}'
 * header_field := title|number|table|published|issued|source_file|compiled_by STRING
 *               | base_year|target_year INT | period MONTH | footnote INT STRING
 *               | areas STRING+ | project_total|project_invest number
 *               | source STRING | note STRING */
static void parse_header(pstate *ps, plan_kind kind)
{
    static const char *const keys[] = {"title", "number", "table", "published", "issued", "source_file",
                                       "compiled_by", "base_year", "target_year", "period", "footnote",
                                       "areas", "project_total", "project_invest", "source", "note", NULL};
    hq_plan *p = ps->p;
    plex_token kw = ps->tok;
    next(ps);
    if (ps->header_seen) err_at(ps, kw.line, kw.col, "一个文件只能有一个 plan、report 或 links 头");
    ps->header_seen = true;
    p->kind = kind;
    if (ps->tok.kind != PT_WORD) {
        expected(ps, "名称");
    } else {
        p->id = arena_strndup(p->arena, ps->tok.start, ps->tok.len);
        next(ps);
    }
    if (!open_block(ps)) sync_block(ps, keys);
    unsigned seen = 0;
    int areas_cap = 0;
    while (ps->tok.kind != PT_EOF && ps->tok.kind != PT_RBRACE) {
        plex_token key = ps->tok;
        int k = key_index(&key, keys);
        if (k < 0) {
            bad_key(ps, keys, "plan 头");
            continue;
        }
        next(ps);
        bool repeatable = k == 10 || k == 14 || k == 15;
        if (!repeatable) once(ps, &seen, k, &key);
        bool ok = true;
        const char **str[] = {&p->title, &p->number, &p->table, &p->published, &p->issued, &p->source_file,
                              &p->compiled_by};
        if (k <= 6) {
            ok = parse_string(ps, str[k]);
        } else if (k == 7 || k == 8) {
            ok = parse_int(ps, k == 7 ? &p->base_year : &p->target_year);
        } else if (k == 9) {
            if (ps->tok.kind != PT_MONTH) {
                expected(ps, "年月（如 2020-07）");
                ok = false;
            } else {
                p->period_year = atoi(ps->tok.start);
                p->period_month = atoi(ps->tok.start + 5);
                if (p->period_month < 1 || p->period_month > 12) {
                    err_at(ps, ps->tok.line, ps->tok.col, "月份应在 1–12 之间");
                    ok = false;
                }
                next(ps);
            }
        } else if (k == 10) {
            plan_footnote fn = {0, NULL};
            ok = parse_int(ps, &fn.number) && parse_string(ps, &fn.text);
            for (int i = 0; ok && i < p->nfootnotes; i++)
                if (p->footnotes[i].number == fn.number) {
                    err_at(ps, key.line, key.col, "注%d 重复", fn.number);
                    ok = false;
                }
            if (ok) {
                plan_footnote *a = grow(ps, p->footnotes, &ps->cap_fn, p->nfootnotes, sizeof *a);
                if (!a) { out_of_memory(ps); return; }
                p->footnotes = a;
                p->footnotes[p->nfootnotes++] = fn;
            }
        } else if (k == 11) {
            if (ps->tok.kind != PT_STRING) {
                expected(ps, "地区名（字符串）");
                ok = false;
            }
            while (ps->tok.kind == PT_STRING) {
                const char **a = grow(ps, (void *)p->areas, &areas_cap, p->nareas, sizeof *a);
                if (!a) { out_of_memory(ps); return; }
                p->areas = a;
                const char *name = take_string(ps, &ps->tok);
                if (plan_area_index(p, name) >= 0) err_at(ps, ps->tok.line, ps->tok.col, "地区“%s”重复", name);
                p->areas[p->nareas++] = name;
                next(ps);
            }
        } else if (k == 12 || k == 13) {
            ok = parse_number(ps, k == 12 ? &p->project_total : &p->project_invest);
            p->has_project_totals = true;
        } else {
            const char *s;
            ok = parse_string(ps, &s);
            if (ok) {
                if (k == 14) p->source = append_line(ps, p->source, s);
                else p->note = append_line(ps, p->note, s);
            }
        }
        if (!ok) sync_block(ps, keys);
    }
    close_block(ps, kw.line, kw.col, "plan 头");
    if (!p->title) err_at(ps, kw.line, kw.col, "plan 头缺少 title");
    if (kind == PLAN_KIND_PLAN) {
        if (!p->base_year || !p->target_year)
            err_at(ps, kw.line, kw.col, "plan 头缺少 base_year 或 target_year");
        else if (p->target_year <= p->base_year)
            err_at(ps, kw.line, kw.col, "target_year（%d）应晚于 base_year（%d）", p->target_year, p->base_year);
    } else if (kind == PLAN_KIND_REPORT && !p->period_year) {
        err_at(ps, kw.line, kw.col, "report 头缺少 period");
    }
}

/* indicator := 'indicator' id '{' { ind_field } '}'
 * ind_field := name|group|unit STRING | base value | target target | growth growth
 *            | attribute (预期性|约束性) | direction (higher|lower)
 *            | price|growth_price (现价|可比价) | caliber (户籍|常住) | target_base number
 *            | footnotes INT+ | targets (number|'-')+ | source STRING | note STRING
 * Every indicator needs name, unit and direction, and `target` — or, in a plan with
 * `areas`, `targets` with one value per area. */
static void parse_indicator(pstate *ps)
{
    static const char *const keys[] = {"name", "group", "unit", "base", "target", "growth", "attribute",
                                       "direction", "price", "growth_price", "caliber", "target_base",
                                       "footnotes", "targets", "source", "note", NULL};
    static const char *const attrs[] = {"预期性", "约束性", NULL};
    static const char *const dirs[] = {"higher", "lower", NULL};
    static const char *const prices[] = {"现价", "可比价", NULL};
    static const char *const calibers[] = {"户籍", "常住", NULL};
    hq_plan *p = ps->p;
    plex_token kw = ps->tok;
    next(ps);
    plan_indicator ind;
    memset(&ind, 0, sizeof ind);
    ind.line = kw.line;
    ind.target.kind = PLAN_TARGET_NONE;
    ind.base.kind = PLAN_TARGET_NONE;
    plex_token idtok = ps->tok;
    bool id_ok = parse_id(ps, ind.id, &ind.number, &ind.sub);
    if (id_ok) {
        const plan_indicator *dup = plan_find_indicator(p, ind.id);
        if (dup) {
            err_at(ps, idtok.line, idtok.col, "指标编号 %s 重复（第 %d 行已有）", ind.id, dup->line);
            id_ok = false;
        }
    }
    /* Without its '{' the block's keys are still read, so one slip is one message. */
    if (!open_block(ps)) sync_block(ps, keys);
    unsigned seen = 0;
    while (ps->tok.kind != PT_EOF && ps->tok.kind != PT_RBRACE) {
        plex_token key = ps->tok;
        int k = key_index(&key, keys);
        if (k < 0) {
            bad_key(ps, keys, "indicator 块");
            continue;
        }
        next(ps);
        if (k < 14) once(ps, &seen, k, &key);
        bool ok = true;
        int c;
        const char *s;
        switch (k) {
        case 0: ok = parse_string(ps, &ind.name); break;
        case 1: ok = parse_string(ps, &ind.group); break;
        case 2: ok = parse_string(ps, &ind.unit); break;
        case 3: ok = parse_base(ps, &ind.base); break;
        case 4: ok = parse_target(ps, &ind.target); break;
        case 5: ok = parse_growth(ps, &ind.growth); break;
        case 6:
            c = parse_choice(ps, attrs, "指标属性（预期性或约束性）");
            ok = c >= 0;
            if (ok) ind.attribute = c == 0 ? PLAN_ATTR_EXPECTED : PLAN_ATTR_BINDING;
            break;
        case 7:
            c = parse_choice(ps, dirs, "方向（higher 或 lower）");
            ok = c >= 0;
            if (ok) ind.direction = c == 0 ? PLAN_DIR_HIGHER : PLAN_DIR_LOWER;
            break;
        case 8:
        case 9:
            c = parse_choice(ps, prices, "价格口径（现价或可比价）");
            ok = c >= 0;
            if (ok) *(k == 8 ? &ind.price : &ind.growth_price) = prices[c];
            break;
        case 10:
            c = parse_choice(ps, calibers, "人口口径（户籍或常住）");
            ok = c >= 0;
            if (ok) ind.caliber = calibers[c];
            break;
        case 11:
            ok = parse_number(ps, &ind.target_base);
            ind.has_target_base = ok;
            break;
        case 12:
            if (ps->tok.kind != PT_NUMBER) {
                expected(ps, "注的编号");
                ok = false;
            }
            while (ok && ps->tok.kind == PT_NUMBER) {
                plex_token nt = ps->tok;
                int n;
                if (!parse_int(ps, &n)) {
                    ok = false;
                    break;
                }
                bool known = false;
                for (int i = 0; i < p->nfootnotes; i++) known |= p->footnotes[i].number == n;
                if (!known) err_at(ps, nt.line, nt.col, "plan 头中没有注%d", n);
                else if (ind.nfootnotes >= PLAN_FOOTNOTES_MAX) err_at(ps, nt.line, nt.col, "注的编号过多");
                else ind.footnotes[ind.nfootnotes++] = n;
            }
            break;
        case 13: {
            if (p->nareas == 0) {
                err_at(ps, key.line, key.col, "plan 头没有 areas，不能写 targets");
                ok = false;
                break;
            }
            plan_target *t = arena_alloc(p->arena, (size_t)p->nareas * sizeof *t);
            if (!t) { out_of_memory(ps); return; }
            int n = 0;
            while (ok && (ps->tok.kind == PT_NUMBER || ps->tok.kind == PT_DASH)) {
                plan_target v = {PLAN_TARGET_NONE, 0};
                if (ps->tok.kind == PT_DASH) next(ps);
                else if (parse_number(ps, &v.value)) v.kind = PLAN_TARGET_EXACT;
                else ok = false;
                if (n < p->nareas) t[n] = v;
                n++;
            }
            if (ok && n != p->nareas) {
                err_at(ps, key.line, key.col, "targets 有 %d 个值，而 areas 有 %d 个地区", n, p->nareas);
                ok = false;
            }
            if (ok) ind.area_targets = t;
            break;
        }
        default:
            ok = parse_string(ps, &s);
            if (ok) {
                if (k == 14) ind.source = append_line(ps, ind.source, s);
                else ind.note = append_line(ps, ind.note, s);
            }
            break;
        }
        if (!ok) sync_block(ps, keys);
    }
    close_block(ps, kw.line, kw.col, "indicator 块");
    const char *label = id_ok ? ind.id : "?";
    if (!ind.name) err_at(ps, kw.line, kw.col, "指标 %s 缺少 name", label);
    if (!ind.unit) err_at(ps, kw.line, kw.col, "指标 %s 缺少 unit", label);
    if (!(seen & (1u << 7))) err_at(ps, kw.line, kw.col, "指标 %s 缺少 direction（higher 或 lower）", label);
    if (p->nareas == 0 && !(seen & (1u << 4))) err_at(ps, kw.line, kw.col, "指标 %s 缺少 target", label);
    if (p->nareas > 0 && !(seen & (1u << 13))) err_at(ps, kw.line, kw.col, "指标 %s 缺少 targets（每个地区一个值）", label);
    /* A bound that contradicts the direction is a transcription slip, not a reading. */
    if ((ind.target.kind == PLAN_TARGET_AT_MOST && ind.direction == PLAN_DIR_HIGHER) ||
        (ind.target.kind == PLAN_TARGET_AT_LEAST && ind.direction == PLAN_DIR_LOWER))
        err_at(ps, kw.line, kw.col, "指标 %s 的目标“%s”与 direction 相反", label,
               plan_target_kind_name(ind.target.kind));
    if (!id_ok) return;
    plan_indicator *a = grow(ps, p->indicators, &ps->cap_ind, p->nindicators, sizeof *a);
    if (!a) { out_of_memory(ps); return; }
    p->indicators = a;
    p->indicators[p->nindicators++] = ind;
}

/* projects := 'projects' STRING '{' { project } '}'
 * project  := 'project' INT '{' { name|period|place STRING | type (新建|续建)
 *                                | total|invest number } '}'   — all six required */
static void parse_projects(pstate *ps)
{
    static const char *const outer[] = {"project", NULL};
    static const char *const keys[] = {"name", "type", "period", "place", "total", "invest", NULL};
    static const char *const types[] = {"新建", "续建", NULL};
    hq_plan *p = ps->p;
    plex_token kw = ps->tok;
    next(ps);
    const char *category = "";
    parse_string(ps, &category);
    if (!open_block(ps)) sync_block(ps, outer);
    while (ps->tok.kind != PT_EOF && ps->tok.kind != PT_RBRACE) {
        if (!plex_is(&ps->tok, "project")) {
            bad_key(ps, outer, "projects 块");
            continue;
        }
        plex_token pk = ps->tok;
        next(ps);
        plan_project pr;
        memset(&pr, 0, sizeof pr);
        pr.category = category;
        pr.line = pk.line;
        plex_token nt = ps->tok;
        bool num_ok = parse_int(ps, &pr.number);
        if (num_ok && plan_find_project(p, pr.number)) {
            err_at(ps, nt.line, nt.col, "项目序号 %d 重复（第 %d 行已有）", pr.number,
                   plan_find_project(p, pr.number)->line);
            num_ok = false;
        }
        if (!open_block(ps)) {
            sync_block(ps, outer);
            continue;
        }
        unsigned seen = 0;
        while (ps->tok.kind != PT_EOF && ps->tok.kind != PT_RBRACE) {
            plex_token key = ps->tok;
            int k = key_index(&key, keys);
            if (k < 0) {
                bad_key(ps, keys, "project 块");
                continue;
            }
            next(ps);
            once(ps, &seen, k, &key);
            bool ok;
            int c;
            switch (k) {
            case 0: ok = parse_string(ps, &pr.name); break;
            case 1:
                c = parse_choice(ps, types, "项目类型（新建或续建）");
                ok = c >= 0;
                if (ok) pr.type = types[c];
                break;
            case 2: ok = parse_string(ps, &pr.period); break;
            case 3: ok = parse_string(ps, &pr.place); break;
            case 4: ok = parse_number(ps, &pr.total); break;
            default: ok = parse_number(ps, &pr.invest); break;
            }
            if (!ok) sync_block(ps, keys);
        }
        close_block(ps, pk.line, pk.col, "project 块");
        for (int k = 0; keys[k]; k++)
            if (!(seen & (1u << k))) err_at(ps, pk.line, pk.col, "项目 %d 缺少 %s", pr.number, keys[k]);
        if (!num_ok) continue;
        plan_project *a = grow(ps, p->projects, &ps->cap_proj, p->nprojects, sizeof *a);
        if (!a) { out_of_memory(ps); return; }
        p->projects = a;
        p->projects[p->nprojects++] = pr;
    }
    close_block(ps, kw.line, kw.col, "projects 块");
}

/* enterprises := 'enterprises' STRING '{' { 'enterprise' INT STRING } '}' */
static void parse_enterprises(pstate *ps)
{
    static const char *const outer[] = {"enterprise", NULL};
    hq_plan *p = ps->p;
    plex_token kw = ps->tok;
    next(ps);
    const char *region = "";
    parse_string(ps, &region);
    if (!open_block(ps)) sync_block(ps, outer);
    while (ps->tok.kind != PT_EOF && ps->tok.kind != PT_RBRACE) {
        if (!plex_is(&ps->tok, "enterprise")) {
            bad_key(ps, outer, "enterprises 块");
            continue;
        }
        plex_token ek = ps->tok;
        next(ps);
        plan_enterprise e = {0, region, NULL, ek.line};
        plex_token nt = ps->tok;
        if (!parse_int(ps, &e.number) || !parse_string(ps, &e.name)) {
            sync_block(ps, outer);
            continue;
        }
        bool dup = false;
        for (int i = 0; i < p->nenterprises && !dup; i++)
            if (p->enterprises[i].number == e.number) {
                err_at(ps, nt.line, nt.col, "企业序号 %d 重复（第 %d 行已有）", e.number, p->enterprises[i].line);
                dup = true;
            }
        if (dup) continue;
        plan_enterprise *a = grow(ps, p->enterprises, &ps->cap_ent, p->nenterprises, sizeof *a);
        if (!a) { out_of_memory(ps); return; }
        p->enterprises = a;
        p->enterprises[p->nenterprises++] = e;
    }
    close_block(ps, kw.line, kw.col, "enterprises 块");
}

/* observation := 'observation' id '{' { name|unit STRING | part_of INT
 *              | month|month_yoy|ytd|ytd_yoy (number | '-') | source|note STRING } '}' */
static void parse_observation(pstate *ps)
{
    static const char *const keys[] = {"name", "unit", "part_of", "month", "month_yoy", "ytd", "ytd_yoy",
                                       "source", "note", NULL};
    hq_plan *p = ps->p;
    plex_token kw = ps->tok;
    next(ps);
    plan_observation o;
    memset(&o, 0, sizeof o);
    o.line = kw.line;
    plex_token idtok = ps->tok;
    bool id_ok = parse_id(ps, o.id, &o.number, &o.sub);
    if (id_ok && plan_find_observation(p, o.id)) {
        err_at(ps, idtok.line, idtok.col, "统计指标编号 %s 重复（第 %d 行已有）", o.id,
               plan_find_observation(p, o.id)->line);
        id_ok = false;
    }
    /* Without its '{' the block's keys are still read, so one slip is one message. */
    if (!open_block(ps)) sync_block(ps, keys);
    unsigned seen = 0;
    plan_opt *opts[] = {&o.month, &o.month_yoy, &o.ytd, &o.ytd_yoy};
    while (ps->tok.kind != PT_EOF && ps->tok.kind != PT_RBRACE) {
        plex_token key = ps->tok;
        int k = key_index(&key, keys);
        if (k < 0) {
            bad_key(ps, keys, "observation 块");
            continue;
        }
        next(ps);
        if (k < 7) once(ps, &seen, k, &key);
        bool ok = true;
        const char *s;
        if (k == 0) ok = parse_string(ps, &o.name);
        else if (k == 1) ok = parse_string(ps, &o.unit);
        else if (k == 2) ok = parse_int(ps, &o.part_of);
        else if (k <= 6) {
            plan_opt *v = opts[k - 3];
            if (ps->tok.kind == PT_DASH) next(ps);
            else ok = v->present = parse_number(ps, &v->value);
        } else {
            ok = parse_string(ps, &s);
            if (ok) {
                if (k == 7) o.source = append_line(ps, o.source, s);
                else o.note = append_line(ps, o.note, s);
            }
        }
        if (!ok) sync_block(ps, keys);
    }
    close_block(ps, kw.line, kw.col, "observation 块");
    if (!o.name) err_at(ps, kw.line, kw.col, "统计指标 %s 缺少 name", id_ok ? o.id : "?");
    if (!o.unit) err_at(ps, kw.line, kw.col, "统计指标 %s 缺少 unit", id_ok ? o.id : "?");
    if (!id_ok) return;
    plan_observation *a = grow(ps, p->observations, &ps->cap_obs, p->nobservations, sizeof *a);
    if (!a) { out_of_memory(ps); return; }
    p->observations = a;
    p->observations[p->nobservations++] = o;
}

/* item_id := DIGITS '-' DIGITS { '-' DIGITS } — a policy item as the corpus names it
 * (13-12-61); whether the corpus has it is checked where the links are used. */
static bool is_item_id(const plex_token *t)
{
    if (t->kind != PT_WORD) return false;
    int dashes = 0;
    bool digit_before = false;
    for (size_t i = 0; i < t->len; i++) {
        char c = t->start[i];
        if (c >= '0' && c <= '9') digit_before = true;
        else if (c == '-' && digit_before) dashes++, digit_before = false;
        else return false;
    }
    return dashes >= 1 && digit_before;
}

/* indicator_ref := WORD ':' id — a plan's header name and one of its indicators
 * (shisiwu:11.1), lexed as one word. The indicator's form is checked as parse_id does. */
static bool parse_indicator_ref(pstate *ps, plan_link_indicator *out)
{
    const plex_token t = ps->tok;
    const char *colon = t.kind == PT_WORD ? memchr(t.start, ':', t.len) : NULL;
    if (!colon) {
        expected(ps, "指标引用（如 shisiwu:8）");
        if (ps->tok.kind == PT_WORD || ps->tok.kind == PT_NUMBER) next(ps);
        return false;
    }
    size_t plen = (size_t)(colon - t.start), n = t.len - plen - 1;
    const char *s = colon + 1;
    size_t i = 0;
    int digits = 0, sub = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9') i++, digits++;
    bool ok = plen > 0 && digits > 0 && s[0] != '0';
    if (ok && i < n && s[i] == '.') {
        i++;
        if (i >= n || s[i] == '0') ok = false;
        while (i < n && s[i] >= '0' && s[i] <= '9') i++, sub++;
    }
    if (!ok || i != n || sub > 3 || digits > 6 || n >= PLAN_ID_MAX || memchr(t.start, '.', plen)) {
        err_at(ps, t.line, t.col, "指标引用“%.*s”有误：应为“规划名:编号”，如 shisiwu:8 或 shisiwu:11.1", (int)t.len, t.start);
        next(ps);
        return false;
    }
    out->plan = arena_strndup(ps->p->arena, t.start, plen);
    memcpy(out->id, s, n);
    out->id[n] = 0;
    out->line = t.line;
    out->col = t.col;
    next(ps);
    return true;
}

/* link := 'link' WORD '{' { link_field } '}'
 * link_field := items item_id+ | indicators indicator_ref+ | firm_fact WORD
 *             | reason STRING | source STRING | note STRING
 * items, indicators, firm_fact, reason and source are required: a link with no cited reason
 * is an opinion, and the report would print it as if it were the policy's. */
static void parse_link(pstate *ps)
{
    static const char *const keys[] = {"items", "indicators", "firm_fact", "reason", "source", "note", NULL};
    hq_plan *p = ps->p;
    plex_token kw = ps->tok;
    next(ps);
    plan_link ln;
    memset(&ln, 0, sizeof ln);
    ln.line = kw.line;
    ln.col = kw.col;
    bool name_ok = false;
    if (ps->tok.kind != PT_WORD) {
        expected(ps, "关联名称（如 技改）");
    } else {
        ln.name = arena_strndup(p->arena, ps->tok.start, ps->tok.len);
        const plan_link *dup = plan_find_link(p, ln.name);
        if (dup) err_at(ps, ps->tok.line, ps->tok.col, "关联“%s”重复（第 %d 行已有）", ln.name, dup->line);
        name_ok = !dup;
        next(ps);
    }
    const char *label = ln.name ? ln.name : "?";
    if (!open_block(ps)) sync_block(ps, keys);
    unsigned seen = 0;
    int cap_items = 0, cap_inds = 0;
    while (ps->tok.kind != PT_EOF && ps->tok.kind != PT_RBRACE) {
        plex_token key = ps->tok;
        int k = key_index(&key, keys);
        if (k < 0) {
            bad_key(ps, keys, "link 块");
            continue;
        }
        next(ps);
        if (k < 4) once(ps, &seen, k, &key);
        else seen |= 1u << k;
        bool ok = true;
        const char *s;
        if (k == 0) {
            if (!is_item_id(&ps->tok)) {
                expected(ps, "条款编号（如 13-12-61）");
                ok = false;
            }
            /* The list ends at the next key or '}'; anything else in it is a bad item. */
            while (ok && ps->tok.kind != PT_EOF && ps->tok.kind != PT_RBRACE && key_index(&ps->tok, keys) < 0) {
                if (!is_item_id(&ps->tok)) {
                    expected(ps, "条款编号（如 13-12-61）");
                    ok = false;
                    break;
                }
                for (int i = 0; i < ln.nitems; i++)
                    if (plex_is(&ps->tok, ln.items[i].id))
                        err_at(ps, ps->tok.line, ps->tok.col, "条款 %s 在关联“%s”中重复", ln.items[i].id, label);
                plan_link_item *a = grow(ps, ln.items, &cap_items, ln.nitems, sizeof *a);
                if (!a) { out_of_memory(ps); return; }
                ln.items = a;
                ln.items[ln.nitems++] = (plan_link_item){arena_strndup(p->arena, ps->tok.start, ps->tok.len),
                                                         ps->tok.line, ps->tok.col};
                next(ps);
            }
        } else if (k == 1) {
            bool any = false;
            while (ps->tok.kind != PT_EOF && ps->tok.kind != PT_RBRACE && key_index(&ps->tok, keys) < 0) {
                plan_link_indicator ref;
                if (!parse_indicator_ref(ps, &ref)) {
                    ok = false;
                    break;
                }
                plan_link_indicator *a = grow(ps, ln.indicators, &cap_inds, ln.nindicators, sizeof *a);
                if (!a) { out_of_memory(ps); return; }
                ln.indicators = a;
                ln.indicators[ln.nindicators++] = ref;
                any = true;
            }
            if (ok && !any) {
                expected(ps, "指标引用（如 shisiwu:8）");
                ok = false;
            }
        } else if (k == 2) {
            if (ps->tok.kind != PT_WORD || is_item_id(&ps->tok)) {
                expected(ps, "年度事实名（policies/facts.hq 中的 yearly 事实）");
                ok = false;
            } else {
                ln.firm_fact = arena_strndup(p->arena, ps->tok.start, ps->tok.len);
                ln.fact_line = ps->tok.line;
                ln.fact_col = ps->tok.col;
                next(ps);
            }
        } else {
            ok = parse_string(ps, &s);
            if (ok) {
                if (k == 3) ln.reason = s;
                else if (k == 4) ln.source = append_line(ps, ln.source, s);
                else ln.note = append_line(ps, ln.note, s);
            }
        }
        if (!ok) sync_block(ps, keys);
    }
    close_block(ps, kw.line, kw.col, "link 块");
    static const char *const what[] = {"items（条款）", "indicators（指标）", "firm_fact（年度事实）",
                                       "reason（理由）", "source（所引原文）"};
    for (int k = 0; k < 5; k++)
        if (!(seen & (1u << k))) err_at(ps, kw.line, kw.col, "关联“%s”缺少 %s", label, what[k]);
    if (!name_ok) return;
    plan_link *a = grow(ps, p->links, &ps->cap_link, p->nlinks, sizeof *a);
    if (!a) { out_of_memory(ps); return; }
    p->links = a;
    p->links[p->nlinks++] = ln;
}

/* file := header { indicator | projects | enterprises | observation | link }
 * The header comes first because `targets` and `footnotes` are checked against it. */
hq_plan *plan_parse(const char *file, const char *src, size_t len, hq_diag *d)
{
    static const char *const top[] = {"plan",        "report", "indicator", "projects", "enterprises",
                                      "observation", "links",  "link",      NULL};
    pstate ps;
    memset(&ps, 0, sizeof ps);
    ps.p = plan_new(file);
    if (!ps.p) {
        diag_at(d, file, 1, 1, "内存不足");
        return NULL;
    }
    ps.d = d;
    ps.file = ps.p->file;
    ps.diag_start = d->count;
    plex_init(&ps.lx, ps.file, src, len, d);
    next(&ps);
    while (ps.tok.kind != PT_EOF) {
        int k = key_index(&ps.tok, top);
        plex_token at = ps.tok;
        if (k < 0) {
            if (ps.tok.kind == PT_WORD)
                err_at(&ps, at.line, at.col, "未知的块“%.*s”（应为 plan、report、links、indicator、projects、enterprises、observation 或 link）",
                       (int)at.len, at.start);
            else
                expected(&ps, "块（plan、indicator …）");
            /* Skip the unknown block whole, braces balanced, to the next top-level keyword. */
            int depth = 0;
            next(&ps);
            while (ps.tok.kind != PT_EOF && (depth > 0 || key_index(&ps.tok, top) < 0)) {
                if (ps.tok.kind == PT_LBRACE) depth++;
                if (ps.tok.kind == PT_RBRACE && depth > 0) depth--;
                next(&ps);
            }
            continue;
        }
        bool header = k <= 1 || k == 6;
        if (!header && !ps.header_seen) {
            err_at(&ps, at.line, at.col, "文件应以 plan、report 或 links 头开始");
            ps.header_seen = true; /* one message, then go on checking the blocks */
        }
        /* Each kind of file holds its own blocks only: a link among a plan's indicators
         * would be read by nothing that reads links. */
        plan_kind in = ps.p->kind;
        bool allowed = header || (k == 5 ? in == PLAN_KIND_REPORT : k == 7 ? in == PLAN_KIND_LINKS : in == PLAN_KIND_PLAN);
        if (!allowed)
            err_at(&ps, at.line, at.col, "%s 块不能出现在 %s 文件中", top[k],
                   in == PLAN_KIND_REPORT ? "report" : in == PLAN_KIND_LINKS ? "links" : "plan");
        switch (k) {
        case 0: parse_header(&ps, PLAN_KIND_PLAN); break;
        case 1: parse_header(&ps, PLAN_KIND_REPORT); break;
        case 6: parse_header(&ps, PLAN_KIND_LINKS); break;
        case 2: parse_indicator(&ps); break;
        case 3: parse_projects(&ps); break;
        case 4: parse_enterprises(&ps); break;
        case 7: parse_link(&ps); break;
        default: parse_observation(&ps); break;
        }
        /* A stray '}' at the top level would otherwise stop nothing: report and skip it. */
        if (ps.tok.kind == PT_RBRACE) {
            err_at(&ps, ps.tok.line, ps.tok.col, "多余的“}”");
            next(&ps);
        }
    }
    if (!ps.header_seen) diag_at(d, ps.file, 1, 1, "文件缺少 plan、report 或 links 头");
    if (d->count > ps.diag_start) {
        plan_free(ps.p);
        return NULL;
    }
    return ps.p;
}

hq_plan *plan_load_file(const char *path, hq_diag *d)
{
    hq_strbuf sb;
    sb_init(&sb, PLAN_FILE_MAX);
    if (sb_read_file(&sb, path) != 0) {
        diag_add(d, path, "无法读取文件：%s", HQ_ERRNO_ZH(errno));
        sb_free(&sb);
        return NULL;
    }
    hq_plan *p = plan_parse(path, sb.data ? sb.data : "", sb.len, d);
    sb_free(&sb);
    return p;
}

static int cmp_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int plan_load_dir(const char *dir, hq_plan ***out, hq_diag *d)
{
    *out = NULL;
    DIR *dh = opendir(dir);
    if (!dh) {
        diag_add(d, dir, "无法打开目录：%s", HQ_ERRNO_ZH(errno));
        return -1;
    }
    char **names = NULL;
    int n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(dh))) {
        size_t len = strlen(e->d_name);
        if (len <= 4 || strcmp(e->d_name + len - 4, ".hqp") != 0) continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **nn = realloc(names, (size_t)cap * sizeof *nn);
            if (!nn) break;
            names = nn;
        }
        names[n] = malloc(strlen(dir) + len + 2);
        if (!names[n]) break;
        sprintf(names[n], "%s/%s", dir, e->d_name);
        n++;
    }
    closedir(dh);
    qsort(names, (size_t)n, sizeof *names, cmp_names);
    hq_plan **plans = calloc((size_t)n + 1, sizeof *plans);
    int m = 0;
    for (int i = 0; i < n; i++) {
        hq_plan *p = plans ? plan_load_file(names[i], d) : NULL;
        if (p) plans[m++] = p;
        free(names[i]);
    }
    free(names);
    if (!plans) {
        diag_add(d, dir, "内存不足");
        return -1;
    }
    *out = plans;
    return m;
}
