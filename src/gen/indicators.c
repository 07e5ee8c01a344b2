/*
 * Synthetic plan-indicator observations (gen/indicators.h). Values are hq_fixed, moved
 * along the plan's own path (plan_goal_of / plan_area_goal, plan_expected) by a drawn share
 * of the change due, so the status the server computes from them follows the draw:
 * a share ≥ 100% is 序时 (or 达标), 90–100% 滞后, less 预警 (PLAN_LAG_TOLERANCE_PERMILLE).
 * The shares keep a margin from those boundaries so that rounding to the printed decimals
 * does not move an indicator across one.
 */
#include "gen/indicators.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

typedef __int128 i128;

enum { YEAR_FIRST = 2020, YEAR_LAST = 2022, MONTHLY_YEAR = 2022, MONTHLY_MONTH = 6 };

/* The draw: what share of the change due an indicator makes. */
typedef enum { PACE_ON_PATH, PACE_LAGGING, PACE_WARNING } pace;

/* 十四五 rows whose pace is fixed rather than drawn, so that the demo always shows a
 * 约束性 indicator in 预警 (22 地表水) and one 滞后 (16 一网通办). */
static const struct { const char *id; pace p; } FIXED_PACE[] = {{"22", PACE_WARNING}, {"16", PACE_LAGGING}};

/* A few indicators also get a mid-year value, to show a monthly 序时进度. */
static const char *const MONTHLY[] = {"1", "3", "4", "13", "37", "41"};

typedef struct {
    uint64_t s;
} rng;

static uint64_t rng_next(rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static uint64_t fnv(uint64_t h, const char *s)
{
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 0x100000001B3ULL;
    return (h ^ 0xFF) * 0x100000001B3ULL;
}

/* Each (plan, indicator, area) has its own stream: adding an area or an indicator to a
 * plan file leaves the other rows as they were. */
static rng stream(uint64_t seed, const char *plan, const char *ind, const char *area)
{
    rng r = {fnv(fnv(fnv(0xCBF29CE484222325ULL ^ seed, plan), ind), area)};
    rng_next(&r);
    return r;
}

static int64_t uniform(rng *r, int64_t lo, int64_t hi) { return lo + (int64_t)(rng_next(r) % (uint64_t)(hi - lo + 1)); }

static int64_t pow10i(int n)
{
    int64_t v = 1;
    while (n-- > 0) v *= 10;
    return v;
}

/* Significant decimals of a value (3.27 → 2). */
static int decimals_of(hq_fixed v)
{
    if (v < 0) v = -v;
    int d = HQ_FIXED_DECIMALS;
    while (d > 0 && v % 10 == 0) v /= 10, d--;
    return d;
}

/* Round half away from zero to `d` decimals. */
static hq_fixed round_to(i128 v, int d)
{
    i128 unit = pow10i(HQ_FIXED_DECIMALS - d);
    i128 q = (v < 0 ? -v : v), r = q % unit;
    q -= r;
    if (2 * r >= unit) q += unit;
    return (hq_fixed)(v < 0 ? -q : q);
}

static int64_t share_permille(rng *r, pace p, bool wide)
{
    switch (p) {
    case PACE_ON_PATH: return uniform(r, 1015, wide ? 1300 : 1150);
    case PACE_LAGGING: return uniform(r, 925, 980);
    default: return uniform(r, wide ? 450 : 600, 840);
    }
}

/* from + (expected − start)·share: the value at a point when `share` ‰ of the change due
 * by then was made. */
static bool move(const plan_goal *g, hq_fixed from, int year, int month, int64_t share, int d, hq_fixed *out)
{
    hq_fixed e;
    if (!plan_expected(g, year, month, &e)) return false;
    i128 delta = ((i128)e - g->start) * share;
    i128 v = (i128)from + (delta >= 0 ? (delta + 500) / 1000 : (delta - 500) / 1000);
    if (v > INT64_MAX / 2 || v < INT64_MIN / 2) return false;
    *out = round_to(v, d);
    return true;
}

/* ---- CSV ---------------------------------------------------------------------------- */

static void field(hq_strbuf *sb, const char *s, bool first)
{
    if (!first) sb_puts(sb, ",");
    if (!strpbrk(s, ",\"\r\n")) {
        sb_puts(sb, s);
        return;
    }
    sb_puts(sb, "\"");
    for (; *s; s++) sb_append(sb, *s == '"' ? "\"\"" : s, 1 + (*s == '"'));
    sb_puts(sb, "\"");
}

static void row(hq_strbuf *sb, const char *plan, const char *ind, const char *area, int year, int month, hq_fixed v,
                int d, const char *note, long *rows)
{
    char period[24], value[48], published[24]; /* room for any int year: -O1 builds check it */
    if (month) {
        snprintf(period, sizeof period, "%04d-%02d", year, month);
        /* a monthly bulletin appears about three weeks after the month */
        snprintf(published, sizeof published, "%04d-%02d-20", year + month / 12, month % 12 + 1);
    } else {
        snprintf(period, sizeof period, "%04d", year);
        /* the yearly 统计公报 appears in the spring after the year */
        snprintf(published, sizeof published, "%04d-03-20", year + 1);
    }
    fixed_format(v, d, false, value, sizeof value);
    field(sb, plan, true);
    field(sb, ind, false);
    field(sb, area, false);
    field(sb, period, false);
    field(sb, value, false);
    field(sb, INDICATORS_SOURCE, false);
    field(sb, published, false);
    field(sb, note ? note : "", false);
    sb_puts(sb, "\n");
    (*rows)++;
}

/* ---- 十四五 ------------------------------------------------------------------------- */

static pace shisiwu_pace(const plan_indicator *ind, rng *r)
{
    for (size_t i = 0; i < sizeof FIXED_PACE / sizeof *FIXED_PACE; i++)
        if (!strcmp(FIXED_PACE[i].id, ind->id)) return FIXED_PACE[i].p;
    int64_t c = uniform(r, 0, 99);
    return c < 62 ? PACE_ON_PATH : c < 84 ? PACE_LAGGING : PACE_WARNING;
}

static bool is_monthly(const char *id)
{
    for (size_t i = 0; i < sizeof MONTHLY / sizeof *MONTHLY; i++)
        if (!strcmp(MONTHLY[i], id)) return true;
    return false;
}

static bool shisiwu(const hq_plan *p, uint64_t seed, hq_strbuf *sb, long *rows, hq_diag *d)
{
    for (int i = 0; i < p->nindicators; i++) {
        const plan_indicator *ind = &p->indicators[i];
        rng r = stream(seed, p->id, ind->id, "");
        plan_goal g;
        bool has_goal = plan_goal_of(p, ind, &g);
        bool has_base = ind->base.kind != PLAN_TARGET_NONE;
        if (!has_goal && !has_base) continue; /* 省下目标 with no base: nothing to move */

        int dec = has_base ? decimals_of(ind->base.value) : 0;
        if (ind->target.kind <= PLAN_TARGET_AT_MOST && decimals_of(ind->target.value) > dec)
            dec = decimals_of(ind->target.value);
        if (ind->growth.kind == PLAN_GROWTH_CUMULATIVE && decimals_of(ind->growth.value) > dec)
            dec = decimals_of(ind->growth.value);
        /* one decimal more than the plan writes, except for large levels (亿元 GDP, 元 income) */
        hq_fixed scale = has_base ? ind->base.value : has_goal ? g.goal : 0;
        if (scale < 1000 * HQ_FIXED_ONE && scale > -1000 * HQ_FIXED_ONE) dec++;
        if (dec > 4) dec = 4;

        if (!has_goal) {
            /* a base but no number to reach (21.1 省下目标): drift near the base */
            hq_fixed v = ind->base.value;
            row(sb, p->id, ind->id, "", YEAR_FIRST, 0, v, dec, "目标由省下达，无序时进度", rows);
            for (int y = YEAR_FIRST + 1; y <= YEAR_LAST; y++) {
                i128 step = (i128)ind->base.value * uniform(&r, -4, 8) / 1000;
                v = round_to((i128)v + step, dec);
                row(sb, p->id, ind->id, "", y, 0, v, dec, "目标由省下达，无序时进度", rows);
            }
            continue;
        }

        bool cumulative = g.path == PLAN_PATH_CUMULATIVE;
        const char *note = cumulative ? "自2021年起累计值" : NULL;
        hq_fixed from = cumulative ? 0 : ind->base.value;
        pace pc = shisiwu_pace(ind, &r);
        row(sb, p->id, ind->id, "", YEAR_FIRST, 0, from, dec, note, rows);
        int64_t share = 0;
        for (int y = YEAR_FIRST + 1; y <= YEAR_LAST; y++) {
            share = share_permille(&r, pc, false);
            hq_fixed v, e;
            if (!plan_expected(&g, y, 12, &e)) goto overflow;
            if (e == g.start) {
                /* a level to hold (23 森林覆盖率, 39 粮食产能): a little either side */
                int64_t pm = pc == PACE_WARNING ? -uniform(&r, 3, 12) : uniform(&r, 0, 6);
                if (g.direction == PLAN_DIR_LOWER) pm = -pm;
                v = round_to((i128)from + (i128)from * pm / 1000, dec);
            } else if (!move(&g, from, y, 12, share, dec, &v)) {
                goto overflow;
            }
            row(sb, p->id, ind->id, "", y, 0, v, dec, note, rows);
        }
        if (is_monthly(ind->id) && !cumulative) {
            hq_fixed v;
            if (!move(&g, from, MONTHLY_YEAR, MONTHLY_MONTH, share, dec, &v)) goto overflow;
            row(sb, p->id, ind->id, "", MONTHLY_YEAR, MONTHLY_MONTH, v, dec, "月度快报", rows);
        }
        continue;
    overflow:
        diag_add(d, p->file, "指标 %s 的模拟数值超出范围", ind->id);
        return false;
    }
    return true;
}

/* ---- 在线新经济 --------------------------------------------------------------------- */

static bool is_count(const char *unit)
{
    return !strcmp(unit, "家") || !strcmp(unit, "个") || !strcmp(unit, "项") || !strcmp(unit, "台");
}

static int zaixian_decimals(const char *unit) { return is_count(unit) ? 0 : !strcmp(unit, "亿元") ? 2 : 1; }

/* A 2020 value below the area's target: the table gives none. */
static hq_fixed area_base(const plan_indicator *ind, hq_fixed target, rng *r, int dec)
{
    const char *u = ind->unit ? ind->unit : "";
    if (!strcmp(u, "%")) {
        /* a rate or a share: some points under the target */
        i128 gap = (i128)uniform(r, ind->number == 1 ? 10 : 50, ind->number == 1 ? 40 : 150) * HQ_FIXED_ONE / 10;
        i128 b = (i128)target - gap;
        if (b < HQ_FIXED_ONE) b = HQ_FIXED_ONE;
        return round_to(b, dec);
    }
    int64_t pm = !strcmp(u, "亿元") ? uniform(r, 550, 800) : uniform(r, 150, 450);
    return round_to((i128)target * pm / 1000, dec);
}

static bool zaixian(const hq_plan *p, uint64_t seed, hq_strbuf *sb, long *rows, hq_diag *d)
{
    enum { YEARS = YEAR_LAST - YEAR_FIRST + 1 };
    if (p->nareas < 2 || strcmp(p->areas[0], "温州市") != 0) {
        diag_add(d, p->file, "在线新经济规划的第一个地区应为温州市");
        return false;
    }
    for (int i = 0; i < p->nindicators; i++) {
        const plan_indicator *ind = &p->indicators[i];
        if (!ind->area_targets) continue;
        const char *unit = ind->unit ? ind->unit : "";
        int dec = zaixian_decimals(unit);
        hq_fixed sum[YEARS] = {0}, area_targets = 0;
        for (int a = 1; a < p->nareas; a++)
            if (ind->area_targets[a].kind != PLAN_TARGET_NONE && ind->area_targets[a].kind != PLAN_TARGET_PROVINCE_SET)
                area_targets += ind->area_targets[a].value;
        /* the city is the sum of its areas where the table's counts add up */
        bool city_is_sum = is_count(unit) && ind->area_targets[0].kind != PLAN_TARGET_NONE &&
                           area_targets == ind->area_targets[0].value;

        /* the areas first, so that a summed 温州市 row has their totals; 温州市 is written first */
        hq_strbuf areas;
        sb_init(&areas, sb->max);
        for (int pass = 0; pass < 2; pass++)
            for (int a = pass == 0 ? 1 : 0; pass == 0 ? a < p->nareas : a < 1; a++) {
                const plan_target *t = &ind->area_targets[a];
                if (t->kind == PLAN_TARGET_NONE || t->kind == PLAN_TARGET_PROVINCE_SET) continue;
                hq_strbuf *to = a == 0 ? sb : &areas;
                if (a == 0 && city_is_sum) {
                    for (int y = 0; y < YEARS; y++)
                        row(to, p->id, ind->id, p->areas[a], YEAR_FIRST + y, 0, sum[y], dec, "各地合计", rows);
                    continue;
                }
                rng r = stream(seed, p->id, ind->id, p->areas[a]);
                hq_fixed b = area_base(ind, t->value, &r, dec);
                plan_goal g;
                if (!plan_area_goal(p, ind, p->areas[a], b, &g)) continue;
                int64_t c = uniform(&r, 0, 99);
                pace pc = c < 45 ? PACE_ON_PATH : c < 72 ? PACE_LAGGING : PACE_WARNING;
                for (int y = 0; y < YEARS; y++) {
                    hq_fixed v = b;
                    if (y > 0 && !move(&g, b, YEAR_FIRST + y, 12, share_permille(&r, pc, true), dec, &v)) {
                        diag_add(d, p->file, "指标 %s（%s）的模拟数值超出范围", ind->id, p->areas[a]);
                        sb_free(&areas);
                        return false;
                    }
                    if (a > 0) sum[y] += v;
                    row(to, p->id, ind->id, p->areas[a], YEAR_FIRST + y, 0, v, dec, NULL, rows);
                }
            }
        sb_append(sb, areas.data ? areas.data : "", areas.len);
        bool ok = sb_ok(&areas);
        sb_free(&areas);
        if (!ok) {
            diag_add(d, p->file, "模拟指标数据过大");
            return false;
        }
    }
    return true;
}

long indicators_csv(hq_plan *const *plans, int nplans, uint64_t seed, hq_strbuf *out, hq_diag *d)
{
    long rows = 0;
    sb_puts(out, "plan,indicator,area,period,value,source,published,note\n");
    for (int k = 0; k < nplans; k++) {
        const hq_plan *p = plans[k];
        if (!p->id) continue;
        bool ok = !strcmp(p->id, "shisiwu") ? shisiwu(p, seed, out, &rows, d)
                  : !strcmp(p->id, "zaixian") ? zaixian(p, seed, out, &rows, d)
                                              : true;
        if (!ok) return -1;
    }
    if (!sb_ok(out)) {
        diag_add(d, INDICATORS_FILE, "模拟指标数据过大");
        return -1;
    }
    return rows;
}

long indicators_write(hq_plan *const *plans, int nplans, uint64_t seed, const char *dir, hq_diag *d)
{
    hq_strbuf sb;
    sb_init(&sb, (size_t)16 << 20);
    long rows = indicators_csv(plans, nplans, seed, &sb, d);
    if (rows < 0) {
        sb_free(&sb);
        return -1;
    }
    char tmp[4096], path[4096];
    snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, INDICATORS_FILE);
    snprintf(path, sizeof path, "%s/%s", dir, INDICATORS_FILE);
    FILE *f = fopen(tmp, "wb");
    bool ok = f && fwrite(sb_str(&sb), 1, sb.len, f) == sb.len;
    if (f && fclose(f) != 0) ok = false;
    if (ok && rename(tmp, path) != 0) ok = false;
    if (!ok) {
        diag_add(d, path, "无法写入：%s", HQ_ERRNO_ZH(errno));
        remove(tmp);
        rows = -1;
    }
    sb_free(&sb);
    return rows;
}
