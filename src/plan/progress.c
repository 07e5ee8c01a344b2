/*
 * Progress against a plan's indicators: what value is due by a date (序时进度), how much of
 * the way to the target an observed value has come (completion), where the current pace
 * leads by the target year (projection), and a status word for a report (达标 / 序时 / 滞后 /
 * 预警 / 无目标). Pure functions over a plan_goal; exact integer arithmetic, no floating
 * point.
 *
 * Formulas. b = base year, t = target year, n = t − b; a point in time is the end of month
 * m (1–12) of year y, i.e. M = 12·(y − b − 1) + m months after the base (the end of year y
 * is M = 12·(y − b)); N = 12·n; M is clamped to [0, N].
 *
 *   expected (序时进度)
 *     RATE        start·(1+r)^k · (1 + r·j/12), with k = ⌊M/12⌋ whole years and j = M mod 12
 *                 months of the running year (the growth path, linear within a year)
 *     LINEAR      start + (goal − start)·M/N
 *     CUMULATIVE  0 + X·M/N (the five-year total [X] accrues evenly)
 *   completion    (actual − start)/(goal − start); when goal == start, 1 if actual meets the
 *                 goal in the indicator's direction, else 0. The same formula serves
 *                 lower-is-better indicators: both differences are negative.
 *   projected     LINEAR, CUMULATIVE: start + (actual − start)·N/M
 *                 RATE: start·g^N with g the monthly factor of the pace so far, the largest
 *                 g (to 10^-12) with g^M ≤ actual/start; needs start > 0 and actual > 0
 *   status        无目标  the indicator has no goal (省下目标, or "-" without [X])
 *                 达标    actual at or beyond the goal (≥ for higher, ≤ for lower)
 *                 序时    actual at or beyond the expected value
 *                 滞后    behind, by at most PLAN_LAG_TOLERANCE_PERMILLE ‰ of the change due
 *                        so far |expected − start| (the boundary itself is 滞后)
 *                 预警    further behind; also any shortfall when no change is due yet
 *                        (at the base date, or a target that holds the base level)
 *
 * For a RATE indicator the path's end need not equal the target: the 十四五 GDP target 10000
 * is 现价 while the 6.5% is 可比价 (注2), so 6871·1.065^5 ≈ 9414. 序时 is judged against the
 * rate path, 达标 against the target.
 *
 * Rounding: every product and quotient is rounded half away from zero at 10^-6 (the RATE
 * path after each whole year); the projection's factor is kept at 10^-12. Results that do not
 * fit an hq_fixed make the function return false (status PLAN_STATUS_ERROR).
 */
#include "plan/plan.h"

typedef __int128 i128;

static const i128 ONE = HQ_FIXED_ONE;
static const i128 FINE = (i128)1000000000000; /* 10^-12: the projection's factor scale */
static const i128 I128_MAX = (((i128)1 << 126) - 1) * 2 + 1;

/* a/b rounded half away from zero; b != 0. */
static i128 div_round(i128 a, i128 b)
{
    if (b < 0) a = -a, b = -b;
    i128 q = a / b, r = a % b;
    if (r < 0) r = -r;
    if (2 * r >= b) q += a < 0 ? -1 : 1;
    return q;
}

static bool fits(i128 v, hq_fixed *out)
{
    if (v > INT64_MAX || v < INT64_MIN) return false;
    *out = (hq_fixed)v;
    return true;
}

/* Keep the operands of the next product within range: values beyond ±2^80 are overflow. */
static bool sane(i128 v) { return v < ((i128)1 << 80) && v > -((i128)1 << 80); }

static int span_months(const plan_goal *g) { return 12 * (g->target_year - g->base_year); }

static int elapsed_months(const plan_goal *g, int year, int month)
{
    int m = 12 * (year - g->base_year - 1) + month;
    int n = span_months(g);
    return m < 0 ? 0 : m > n ? n : m;
}

bool plan_goal_of(const hq_plan *p, const plan_indicator *ind, plan_goal *out)
{
    if (p->target_year <= p->base_year || ind->direction == PLAN_DIR_UNSET) return false;
    plan_goal g = {PLAN_PATH_LINEAR, 0, 0, 0, ind->direction, p->base_year, p->target_year};
    switch (ind->target.kind) {
    case PLAN_TARGET_PROVINCE_SET:
        return false;
    case PLAN_TARGET_NONE:
        /* "-" with [X]: the five-year total is the target (新引育人才数 [100] 万人). */
        if (ind->growth.kind != PLAN_GROWTH_CUMULATIVE) return false;
        g.path = PLAN_PATH_CUMULATIVE;
        g.goal = ind->growth.value;
        break;
    default:
        if (ind->has_target_base) g.start = ind->target_base;
        else if (ind->base.kind != PLAN_TARGET_NONE) g.start = ind->base.value;
        else return false;
        g.goal = ind->target.value;
        if (ind->growth.kind == PLAN_GROWTH_ANNUAL_RATE) {
            g.path = PLAN_PATH_RATE;
            g.rate = ind->growth.value;
        }
        break;
    }
    *out = g;
    return true;
}

bool plan_area_goal(const hq_plan *p, const plan_indicator *ind, const char *area, hq_fixed base, plan_goal *out)
{
    const plan_target *t = plan_area_target(p, ind, area);
    if (!t || t->kind == PLAN_TARGET_NONE || t->kind == PLAN_TARGET_PROVINCE_SET) return false;
    if (p->target_year <= p->base_year || ind->direction == PLAN_DIR_UNSET) return false;
    plan_goal g = {PLAN_PATH_LINEAR, base, t->value, 0, ind->direction, p->base_year, p->target_year};
    *out = g;
    return true;
}

bool plan_expected(const plan_goal *g, int year, int month, hq_fixed *out)
{
    int n = span_months(g);
    if (n <= 0 || month < 1 || month > 12) return false;
    int m = elapsed_months(g, year, month);
    if (g->path != PLAN_PATH_RATE) return fits((i128)g->start + div_round(((i128)g->goal - g->start) * m, n), out);
    i128 v = g->start;
    for (int k = 0; k < m / 12; k++) {
        v = div_round(v * (ONE + g->rate), ONE);
        if (!sane(v)) return false;
    }
    v += div_round(v * g->rate * (m % 12), ONE * 12);
    return fits(v, out);
}

static bool meets(plan_direction dir, hq_fixed actual, hq_fixed level)
{
    return dir == PLAN_DIR_LOWER ? actual <= level : actual >= level;
}

bool plan_completion(const plan_goal *g, hq_fixed actual, hq_fixed *out)
{
    i128 due = (i128)g->goal - g->start;
    if (due == 0) {
        *out = meets(g->direction, actual, g->goal) ? HQ_FIXED_ONE : 0;
        return true;
    }
    return fits(div_round(((i128)actual - g->start) * ONE, due), out);
}

/* x^e at scale FINE, or -1 once it exceeds `cap` (the bisection only needs "too big"). */
static i128 pow_fine(i128 x, int e, i128 cap)
{
    i128 v = FINE;
    for (int i = 0; i < e; i++) {
        v = div_round(v * x, FINE);
        if (v > cap) return -1;
    }
    return v;
}

bool plan_projected(const plan_goal *g, hq_fixed actual, int year, int month, hq_fixed *out)
{
    int n = span_months(g);
    if (n <= 0 || month < 1 || month > 12) return false;
    int m = elapsed_months(g, year, month);
    if (m == 0) return false;
    if (g->path != PLAN_PATH_RATE) {
        i128 d = (i128)actual - g->start;
        return fits((i128)g->start + div_round(d * n, m), out);
    }
    if (g->start <= 0 || actual <= 0) return false;
    i128 q = div_round((i128)actual * FINE, g->start); /* actual/start at scale FINE */
    /* A ratio beyond ~10^6 is no pace to project; the bound keeps x·x products in range. */
    if (q > ((i128)1 << 60)) return false;
    /* Largest monthly factor x with x^m ≤ q. x ≤ max(q, 1), so that bounds the search. */
    i128 lo = 0, hi = (q > FINE ? q : FINE) + 1;
    while (hi - lo > 1) {
        i128 mid = lo + (hi - lo) / 2;
        i128 pw = pow_fine(mid, m, q);
        if (pw >= 0) lo = mid;
        else hi = mid;
    }
    /* start·x^n; stop as soon as the value leaves hq_fixed's range. */
    i128 v = (i128)g->start * FINE;
    for (int i = 0; i < n; i++) {
        if (lo > 0 && v > I128_MAX / lo) return false;
        v = div_round(v * lo, FINE);
    }
    return fits(div_round(v, FINE), out);
}

plan_status plan_assess(const plan_goal *g, hq_fixed actual, int year, int month)
{
    if (meets(g->direction, actual, g->goal)) return PLAN_STATUS_REACHED;
    hq_fixed e;
    if (!plan_expected(g, year, month, &e)) return PLAN_STATUS_ERROR;
    if (meets(g->direction, actual, e)) return PLAN_STATUS_ON_PATH;
    i128 due = (i128)e - g->start, shortfall = (i128)e - actual;
    if (due < 0) due = -due;
    if (shortfall < 0) shortfall = -shortfall;
    return shortfall * 1000 <= due * PLAN_LAG_TOLERANCE_PERMILLE && due > 0 ? PLAN_STATUS_LAGGING
                                                                          : PLAN_STATUS_WARNING;
}

plan_status plan_indicator_status(const hq_plan *p, const plan_indicator *ind, hq_fixed actual, int year, int month)
{
    plan_goal g;
    if (!plan_goal_of(p, ind, &g)) return PLAN_STATUS_NO_TARGET;
    return plan_assess(&g, actual, year, month);
}

const char *plan_status_name(plan_status s)
{
    switch (s) {
    case PLAN_STATUS_NO_TARGET: return "无目标";
    case PLAN_STATUS_REACHED: return "达标";
    case PLAN_STATUS_ON_PATH: return "序时";
    case PLAN_STATUS_LAGGING: return "滞后";
    case PLAN_STATUS_WARNING: return "预警";
    case PLAN_STATUS_ERROR: return "计算错误";
    }
    return "?";
}
