/*
 * `plan status`, GET /api/plans/status: progress against a plan's indicators from the
 * observed values imported with `huiqi import indicators` (ledger/indicators.h). For each
 * indicator the latest observation at or before the period asked is judged at its own date
 * (a 2021 figure against what was due by the end of 2021, not by the month asked), with the
 * arithmetic of plan/progress.c: 序时 expected value, completion, the target-year value the
 * pace leads to, and the status. A plan with per-area targets (在线新经济) is judged for each
 * area too, and the areas ranked (六比竞赛): by the share of their targeted indicators at 序时
 * or better, ties by average completion. docs/plans.md says all of this for people.
 *
 * Everything numeric leaves as an exact decimal string ("6871.5", completion "45.2%").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fixed.h"
#include "ledger/clock.h"
#include "ledger/indicators.h"
#include "ops/handlers.h"
#include "plan/plan.h"

const hq_op_param P_PLAN_STATUS[] = {{.name = "plan", .type = PT_STR, .hi = 32, .zh = "规划"},
                                     {.name = "year", .type = PT_YEAR, .zh = "年度"},
                                     {.name = "month", .type = PT_INT, .lo = 1, .hi = 12, .zh = "月份"},
                                     {.name = "area", .type = PT_STR, .hi = 64, .zh = "地区"},
                                     {.name = "format", .type = PT_STR, .hi = 8, .zh = "格式"},
                                     {.name = NULL}};

#define CITY "温州市"

typedef __int128 i128;

/* ---- the observations ------------------------------------------------------------------- */

typedef struct {
    hq_obs_rec *v;
    size_t n, cap;
    bool oom;
} obs_vec;

static int collect(const hq_obs_rec *r, void *ud)
{
    obs_vec *x = ud;
    if (x->n == x->cap) {
        size_t cap = x->cap ? 2 * x->cap : 64;
        hq_obs_rec *n = realloc(x->v, sizeof *n * cap);
        if (!n) {
            x->oom = true;
            return 1;
        }
        x->v = n;
        x->cap = cap;
    }
    x->v[x->n++] = *r;
    return 0;
}

/* A figure for the whole year outranks a quarter's, a quarter's a month's, at the same end. */
static int granularity(const char *period) { return strlen(period) == 4 ? 3 : strchr(period, 'Q') ? 2 : 1; }

/* The latest observation of an indicator in an area whose period ends at or before the end
 * of month m of year y; *oy, *om its own end. NULL when there is none. */
static const hq_obs_rec *latest(const obs_vec *v, const char *ind, const char *area, int y, int m, int *oy, int *om)
{
    const hq_obs_rec *best = NULL;
    int best_end = 0, best_gran = 0;
    for (size_t i = 0; i < v->n; i++) {
        const hq_obs_rec *r = &v->v[i];
        int py, pm;
        if (strcmp(r->indicator, ind) || strcmp(r->area, area) || !obs_period_parse(r->period, &py, &pm)) continue;
        int end = py * 12 + pm, gran = granularity(r->period);
        if (end > y * 12 + m) continue;
        if (!best || end > best_end || (end == best_end && gran > best_gran)) {
            best = r;
            best_end = end;
            best_gran = gran;
            *oy = py;
            *om = pm;
        }
    }
    return best;
}

static bool value_of(const hq_obs_rec *r, hq_fixed *out) { return fixed_parse(r->value, strlen(r->value), 6, out) == NULL; }

/* An area's goal. The 任务分解表 gives targets but no bases: the base is the area's imported
 * figure for the base year; without one, a count (家, 个, 亿元 …) starts from 0 — the table's
 * targets are what is to be built up over the plan — but a rate or share (unit %) has no
 * such zero, so it has no goal until its base-year figure is imported. */
static bool area_goal(const hq_plan *p, const plan_indicator *ind, const char *area, const obs_vec *v, plan_goal *g)
{
    char by[8];
    snprintf(by, sizeof by, "%d", p->base_year);
    hq_fixed base = 0;
    bool have = false;
    for (size_t i = 0; i < v->n && !have; i++)
        if (!strcmp(v->v[i].indicator, ind->id) && !strcmp(v->v[i].area, area) && !strcmp(v->v[i].period, by))
            have = value_of(&v->v[i], &base);
    if (!have && ind->unit && !strcmp(ind->unit, "%")) return false;
    return plan_area_goal(p, ind, area, base, g);
}

/* ---- judging one reading ---------------------------------------------------------------- */

typedef struct {
    const hq_obs_rec *obs;
    bool has_goal, has_expected, has_completion, has_projected;
    hq_fixed actual, expected, completion, projected;
    const char *status, *status_zh;
    plan_status st;
    bool no_data;
} reading;

static const char *status_code(plan_status s)
{
    switch (s) {
    case PLAN_STATUS_NO_TARGET: return "no_target";
    case PLAN_STATUS_REACHED: return "reached";
    case PLAN_STATUS_ON_PATH: return "on_path";
    case PLAN_STATUS_LAGGING: return "lagging";
    case PLAN_STATUS_WARNING: return "warning";
    case PLAN_STATUS_ERROR: return "error";
    }
    return "error";
}

static void judge(reading *r, bool has_goal, const plan_goal *g, const obs_vec *v, const char *ind, const char *area, int y,
                  int m)
{
    memset(r, 0, sizeof *r);
    int oy = 0, om = 0;
    r->obs = latest(v, ind, area, y, m, &oy, &om);
    r->has_goal = has_goal;
    bool have = r->obs && value_of(r->obs, &r->actual);
    if (!has_goal) {
        r->st = PLAN_STATUS_NO_TARGET;
    } else if (!have) {
        r->no_data = true;
    } else {
        r->has_expected = plan_expected(g, oy, om, &r->expected);
        r->has_completion = plan_completion(g, r->actual, &r->completion);
        r->has_projected = plan_projected(g, r->actual, oy, om, &r->projected);
        r->st = plan_assess(g, r->actual, oy, om);
    }
    r->status = r->no_data ? "no_data" : status_code(r->st);
    r->status_zh = r->no_data ? "无数据" : plan_status_name(r->st);
}

static bool on_track(const reading *r)
{
    return !r->no_data && r->has_goal && (r->st == PLAN_STATUS_REACHED || r->st == PLAN_STATUS_ON_PATH);
}

static json_t *num(bool has, hq_fixed v)
{
    if (!has) return json_null();
    char b[48];
    fixed_format_short(v, false, b, sizeof b);
    return json_string(b);
}

/* A fraction as a percentage to one decimal, rounded half away from zero: 0.4523 → "45.2%". */
static json_t *pct(bool has, hq_fixed frac)
{
    if (!has) return json_null();
    i128 t = (i128)frac * 1000, q = t / HQ_FIXED_ONE, rem = t % HQ_FIXED_ONE;
    if (2 * (rem < 0 ? -rem : rem) >= HQ_FIXED_ONE) q += t < 0 ? -1 : 1;
    i128 a = q < 0 ? -q : q;
    return json_sprintf("%s%lld.%lld%%", q < 0 ? "-" : "", (long long)(a / 10), (long long)(a % 10));
}

/* ---- the document ----------------------------------------------------------------------- */

static const char *attribute_zh(plan_attribute a) { return a == PLAN_ATTR_BINDING ? "约束性" : a == PLAN_ATTR_EXPECTED ? "预期性" : ""; }
static const char *direction_zh(plan_direction d) { return d == PLAN_DIR_HIGHER ? "越高越好" : d == PLAN_DIR_LOWER ? "越低越好" : ""; }

/* 约束性 first (the binding indicators are the ones a leader answers for), then by id. */
static int cmp_indicator(const void *a, const void *b)
{
    const plan_indicator *x = *(const plan_indicator *const *)a, *y = *(const plan_indicator *const *)b;
    int bx = x->attribute == PLAN_ATTR_BINDING, by = y->attribute == PLAN_ATTR_BINDING;
    if (bx != by) return by - bx;
    if (x->number != y->number) return x->number - y->number;
    return x->sub - y->sub;
}

/* `target`: the indicator's own, or the area's where the plan sets one per area. */
static json_t *indicator_json(const plan_indicator *ind, const plan_target *target_of, const reading *r)
{
    char base[64], target[64];
    plan_target_format(&ind->base, base, sizeof base);
    plan_target_format(target_of, target, sizeof target);
    json_t *j = json_object();
    json_object_set_new(j, "id", json_string(ind->id));
    json_object_set_new(j, "name", json_string(ind->name ? ind->name : ""));
    json_object_set_new(j, "unit", json_string(ind->unit ? ind->unit : ""));
    json_object_set_new(j, "attribute_zh", json_string(attribute_zh(ind->attribute)));
    json_object_set_new(j, "direction_zh", json_string(direction_zh(ind->direction)));
    json_object_set_new(j, "base", ind->base.kind == PLAN_TARGET_NONE ? json_null() : json_string(base));
    json_object_set_new(j, "target_text", json_string(target));
    json_object_set_new(j, "period", r->obs ? json_string(r->obs->period) : json_null());
    json_object_set_new(j, "actual", r->obs ? json_string(r->obs->value) : json_null());
    json_object_set_new(j, "expected", num(r->has_expected, r->expected));
    json_object_set_new(j, "completion", pct(r->has_completion, r->completion));
    json_object_set_new(j, "projected", num(r->has_projected, r->projected));
    json_object_set_new(j, "status", json_string(r->status));
    json_object_set_new(j, "status_zh", json_string(r->status_zh));
    json_object_set_new(j, "source", r->obs ? json_string(r->obs->source) : json_null());
    json_object_set_new(j, "published", r->obs ? json_string(r->obs->published) : json_null());
    return j;
}

typedef struct {
    const char *area;
    int on_track, targeted, ncompleted;
    i128 completion_sum;
    hq_fixed average;      /* mean completion of the readings that have one */
    int rank;
    json_t *indicators;
} area_score;

/* Better first: the larger share at 序时 or better (cross-multiplied, exact), then the larger
 * average completion; an area with no completion at all after every one that has one. */
static int cmp_score(const area_score *a, const area_score *b)
{
    long long l = (long long)a->on_track * (b->targeted ? b->targeted : 1), r = (long long)b->on_track * (a->targeted ? a->targeted : 1);
    if (!a->targeted) l = 0;
    if (!b->targeted) r = 0;
    if (l != r) return l > r ? -1 : 1;
    if (!!a->ncompleted != !!b->ncompleted) return a->ncompleted ? -1 : 1;
    if (a->average != b->average) return a->average > b->average ? -1 : 1;
    return 0;
}

static int cmp_score_sort(const void *a, const void *b)
{
    const area_score *x = *(area_score *const *)a, *y = *(area_score *const *)b;
    int c = cmp_score(x, y);
    return c ? c : (x < y ? -1 : x > y);
}

static void score_areas(const hq_plan *p, const plan_indicator *const *order, int nind, const obs_vec *v, int y, int m,
                        area_score *sc, int *nsc)
{
    int n = 0;
    for (int a = 0; a < p->nareas; a++) {
        if (!strcmp(p->areas[a], CITY)) continue; /* the city is the sum of the areas, not a contestant */
        area_score *s = &sc[n++];
        memset(s, 0, sizeof *s);
        s->area = p->areas[a];
        s->indicators = json_array();
        for (int i = 0; i < nind; i++) {
            const plan_indicator *ind = order[i];
            plan_goal g;
            bool has = area_goal(p, ind, s->area, v, &g);
            reading r;
            judge(&r, has, &g, v, ind->id, s->area, y, m);
            if (has) s->targeted++;
            if (on_track(&r)) s->on_track++;
            if (r.has_completion) {
                s->completion_sum += r.completion;
                s->ncompleted++;
            }
            json_array_append_new(s->indicators,
                                  json_pack("{s:s, s:o, s:o, s:o, s:s, s:s}", "id", ind->id, "actual",
                                            r.obs ? json_string(r.obs->value) : json_null(), "expected",
                                            num(r.has_expected, r.expected), "completion", pct(r.has_completion, r.completion),
                                            "status", r.status, "status_zh", r.status_zh));
        }
        if (s->ncompleted) {
            i128 q = s->completion_sum / s->ncompleted, rem = s->completion_sum % s->ncompleted;
            if (2 * (rem < 0 ? -rem : rem) >= s->ncompleted) q += s->completion_sum < 0 ? -1 : 1;
            s->average = (hq_fixed)q;
        }
    }
    area_score *sorted[64];
    for (int i = 0; i < n; i++) sorted[i] = &sc[i];
    qsort(sorted, (size_t)n, sizeof *sorted, cmp_score_sort);
    /* Equal scores share a rank (1, 1, 3); the list is in rank order, the file's order within. */
    for (int i = 0; i < n; i++) sorted[i]->rank = i && !cmp_score(sorted[i], sorted[i - 1]) ? sorted[i - 1]->rank : i + 1;
    area_score tmp[64];
    for (int i = 0; i < n; i++) tmp[i] = *sorted[i];
    memcpy(sc, tmp, sizeof *sc * (size_t)n);
    *nsc = n;
}

/* ---- tables (text, CSV, XLSX) ----------------------------------------------------------- */

static const char *jstr(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static hq_table *indicators_table(const json_t *doc)
{
    char title[512];
    long long month = json_integer_value(json_object_get(doc, "month"));
    snprintf(title, sizeof title, "%s：指标进度（截至 %lld 年 %lld 月%s%s）", jstr(doc, "title"),
             (long long)json_integer_value(json_object_get(doc, "year")), month, *jstr(doc, "area") ? "，" : "", jstr(doc, "area"));
    hq_table *t = table_new(title);
    static const char *const H[] = {"编号", "指标", "单位", "属性", "基数", "目标", "期间", "实际值", "序时进度值", "完成度", "预计期末值", "状态", "来源", "发布日期"};
    static const char *const K[] = {"id", "name", "unit", "attribute_zh", "base", "target_text", "period", "actual", "expected", "completion", "projected", "status_zh", "source", "published"};
    for (size_t c = 0; c < sizeof H / sizeof *H; c++) table_add_column(t, H[c], HQ_COL_TEXT);
    size_t i;
    json_t *ind;
    json_array_foreach(json_object_get(doc, "indicators"), i, ind) {
        table_add_row(t);
        for (size_t c = 0; c < sizeof K / sizeof *K; c++) table_set_text(t, (int)c, *jstr(ind, K[c]) ? jstr(ind, K[c]) : "—");
    }
    return t;
}

static hq_table *areas_table(const json_t *doc)
{
    char title[512];
    snprintf(title, sizeof title, "%s：各地进度排名（六比竞赛：序时及以上指标占比，同比按平均完成度）", jstr(doc, "title"));
    hq_table *t = table_new(title);
    table_add_column(t, "排名", HQ_COL_INT);
    table_exclude_from_total(t, 0);
    table_add_column(t, "地区", HQ_COL_TEXT);
    table_add_column(t, "有目标指标", HQ_COL_INT);
    table_add_column(t, "序时或达标", HQ_COL_INT);
    table_add_column(t, "平均完成度", HQ_COL_TEXT);
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(doc, "areas"), i, a) {
        table_add_row(t);
        table_set_int(t, 0, json_integer_value(json_object_get(a, "rank")));
        table_set_text(t, 1, jstr(a, "area"));
        table_set_int(t, 2, json_integer_value(json_object_get(a, "targeted")));
        table_set_int(t, 3, json_integer_value(json_object_get(a, "on_track")));
        table_set_text(t, 4, *jstr(a, "average_completion") ? jstr(a, "average_completion") : "—");
    }
    table_add_total(t, NULL);
    return t;
}

static void download(hq_op *o, json_t *doc, const char *format)
{
    hq_diag d;
    diag_init(&d);
    bool areas = json_array_size(json_object_get(doc, "areas")) > 1;
    char name[64];
    snprintf(name, sizeof name, "huiqi-plan-%s", jstr(doc, "plan"));
    if (!strcmp(format, "text") && areas) {
        /* On a terminal both views, one under the other. */
        char *buf = NULL;
        size_t len = 0;
        FILE *m = open_memstream(&buf, &len);
        hq_table *a = indicators_table(doc), *b = areas_table(doc);
        int bad = !m;
        if (m) {
            bad |= table_write_text(a, m);
            fputc('\n', m);
            bad |= table_write_text(b, m);
            fclose(m);
        }
        table_free(a);
        table_free(b);
        if (bad || !buf) {
            free(buf);
            op_fail(o, OPR_INTERNAL, NULL, "报表生成失败");
        } else {
            o->status = OPR_OK;
            o->raw = buf;
            o->raw_len = len;
            o->raw_type = "text/plain; charset=utf-8";
            snprintf(o->raw_name, sizeof o->raw_name, "%s.text", name);
        }
    } else {
        /* A file holds one table: the ranking when every area was asked for, else the indicators. */
        op_table_download(o, areas ? areas_table(doc) : indicators_table(doc), format, name, &d);
    }
    diag_free(&d);
    json_decref(doc);
}

void op_plan_status(hq_op *o)
{
    const char *plan_id = op_str(o, "plan"), *area = op_str(o, "area"), *format = op_str(o, "format");
    long long year = 0, month = 0;
    bool year_given = op_int(o, "year", &year), month_given = op_int(o, "month", &month);
    if (!format) format = "json";
    if (strcmp(format, "json") && strcmp(format, "csv") && strcmp(format, "xlsx") && strcmp(format, "text")) {
        op_fail(o, OPR_BAD_REQUEST, "format", "格式须为 json、csv、xlsx 或 text");
        return;
    }
    if (!o->ctx->nplans) {
        op_fail(o, OPR_UNAVAILABLE, NULL, "没有载入规划文件（plans/），无法计算进度");
        return;
    }
    if (!plan_id) plan_id = "shisiwu";
    const hq_plan *p = plans_find(o->ctx->plans, o->ctx->nplans, plan_id);
    if (!p || !p->nindicators) {
        op_fail(o, OPR_NOT_FOUND, "plan", "没有规划「%s」", plan_id);
        return;
    }
    if (area && (p->nareas ? plan_area_index(p, area) < 0 : strcmp(area, CITY))) {
        op_fail(o, OPR_BAD_REQUEST, "area", p->nareas ? "规划 %s 没有地区「%s」" : "规划 %s 只有全市的指标，没有地区「%s」", p->id, area);
        return;
    }
    if (month_given && !year_given) {
        op_fail(o, OPR_BAD_REQUEST, "month", "给出月份时须同时给出年度");
        return;
    }
    if (year_given && (year < p->base_year || year > p->target_year)) {
        op_fail(o, OPR_BAD_REQUEST, "year", "年度须在规划 %s 的 %d–%d 之内", p->id, p->base_year, p->target_year);
        return;
    }
    obs_vec v = {0};
    if (store_obs_list(o->ctx->s, p->id, NULL, collect, &v) || v.oom) {
        free(v.v);
        if (v.oom) op_fail(o, OPR_INTERNAL, NULL, "内存不足");
        else op_store_error(o);
        return;
    }
    const char *focus = area ? area : CITY;
    if (!year_given) {
        /* The latest year with data (for the area asked, or any), else this year within the plan. */
        for (size_t i = 0; i < v.n; i++) {
            int py, pm;
            if ((area && strcmp(v.v[i].area, area)) || !obs_period_parse(v.v[i].period, &py, &pm)) continue;
            if (py > year) year = py;
        }
        if (!year) {
            char today[16];
            year = clock_today(today, sizeof today);
            if (year < p->base_year) year = p->base_year;
            if (year > p->target_year) year = p->target_year;
        }
    }
    if (!month_given) month = 12;
    const plan_indicator **order = malloc(sizeof *order * (size_t)p->nindicators);
    area_score *sc = calloc((size_t)p->nareas + 1, sizeof *sc);
    if (!order || !sc || p->nareas > 64) {
        free(order);
        free(sc);
        free(v.v);
        op_fail(o, OPR_INTERNAL, NULL, "内存不足");
        return;
    }
    for (int i = 0; i < p->nindicators; i++) order[i] = &p->indicators[i];
    qsort(order, (size_t)p->nindicators, sizeof *order, cmp_indicator);
    json_t *inds = json_array();
    for (int i = 0; i < p->nindicators; i++) {
        plan_goal g;
        bool has = p->nareas ? area_goal(p, order[i], focus, &v, &g) : plan_goal_of(p, order[i], &g);
        reading r;
        judge(&r, has, &g, &v, order[i]->id, focus, (int)year, (int)month);
        const plan_target *t = p->nareas ? plan_area_target(p, order[i], focus) : NULL;
        json_array_append_new(inds, indicator_json(order[i], t ? t : &order[i]->target, &r));
    }
    json_t *doc = json_pack("{s:s, s:s, s:i, s:i, s:s, s:o}", "plan", p->id, "title", p->title ? p->title : p->id, "year", (int)year,
                            "month", (int)month, "area", focus, "indicators", inds);
    if (p->nareas) {
        int nsc = 0;
        score_areas(p, (const plan_indicator *const *)order, p->nindicators, &v, (int)year, (int)month, sc, &nsc);
        json_t *areas = json_array();
        for (int i = 0; i < nsc; i++) {
            area_score *s = &sc[i];
            if (area && strcmp(area, CITY) && strcmp(area, s->area)) {
                json_decref(s->indicators);
                continue;
            }
            json_array_append_new(areas, json_pack("{s:s, s:i, s:i, s:i, s:o, s:o}", "area", s->area, "rank", s->rank, "on_track",
                                                   s->on_track, "targeted", s->targeted, "average_completion",
                                                   pct(s->ncompleted > 0, s->average), "indicators", s->indicators));
        }
        json_object_set_new(doc, "areas", areas);
    }
    free(order);
    free(sc);
    free(v.v);
    if (!strcmp(format, "json")) op_ok(o, doc);
    else download(o, doc, format);
}
