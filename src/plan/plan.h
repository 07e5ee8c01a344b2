/*
 * Plan indicators as data (issue 14). A city plan — the 十四五 outline's indicator table,
 * the 在线新经济 action plan's 任务分解表 — states indicators with a base value, a target
 * and a growth column; a statistics bulletin states observed values. Each is transcribed
 * into a .hqp file under plans/ that quotes the text it encodes, and this module loads those
 * files into the model below and computes progress against them (progress.c).
 *
 * The .hqp format, in the style of the rule language (docs/language.md): `#` comments,
 * `key value` lines, quoted strings, `source "…"` quoting the text, `note "…"` for a
 * reading. One header, then blocks:
 *
 *   plan shisiwu { title "…" base_year 2020 target_year 2025 footnote 1 "…" areas "…" … }
 *   indicator 11.1 { name "…" unit "%" base 7.1 target 10 左右 growth - attribute 预期性
 *                    direction higher source "…" }
 *   projects "一、智能工厂" { project 1 { name "…" type 新建 period "2020-2023"
 *                                      place "永嘉县" total 20 invest 19.2 } }
 *   enterprises "鹿城区" { enterprise 1 "电信温州分公司" }
 *   report stats-2020-07 { title "…" period 2020-07 }
 *   observation 3.1 { name "…" part_of 3 unit "亿元" month 57.14 month_yoy 23.6 ytd … }
 *   links performance { title "…" }
 *   link 技改 { items 13-12-61 13-12-62  indicators shisiwu:5 zaixian:9  firm_fact sales_output
 *               reason "…" source "…" }
 *
 * Target forms: `10000` (EXACT), `力争 1000` (ASPIRE), `2.2 左右` (APPROX), `90 以上`
 * (AT_LEAST), `27 以下` (AT_MOST), `省下目标` (PROVINCE_SET: set by the province, no number),
 * `-` (NONE). A base is `-`, a number, or a number with 左右. Growth is `6.5%` (a yearly
 * rate), `[17.7]` (the five-year cumulative change, in the indicator's unit) or `-`.
 *
 * Numbers are exact hq_fixed values (10^-6) in the indicator's own unit as written: a base
 * of "31" with unit "%" is 31, not 0.31. Only a growth rate is stored as a fraction
 * (6.5% → 0.065), because it multiplies. Everything a plan holds lives in its arena and is
 * released by plan_free().
 */
#ifndef HQ_PLAN_H
#define HQ_PLAN_H
#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/diag.h"
#include "base/fixed.h"

typedef enum {
    PLAN_TARGET_EXACT,        /* 10000 */
    PLAN_TARGET_ASPIRE,       /* 力争 1000 */
    PLAN_TARGET_APPROX,       /* 2.2 左右 */
    PLAN_TARGET_AT_LEAST,     /* 90 以上 */
    PLAN_TARGET_AT_MOST,      /* 27 以下 */
    PLAN_TARGET_PROVINCE_SET, /* 省下目标: no number */
    PLAN_TARGET_NONE,         /* "-" or absent */
} plan_target_kind;

typedef struct {
    plan_target_kind kind;
    hq_fixed value;           /* meaningless for PROVINCE_SET and NONE */
} plan_target;

typedef enum { PLAN_DIR_UNSET, PLAN_DIR_HIGHER, PLAN_DIR_LOWER } plan_direction;
typedef enum { PLAN_GROWTH_NONE, PLAN_GROWTH_ANNUAL_RATE, PLAN_GROWTH_CUMULATIVE } plan_growth_kind;
typedef enum { PLAN_ATTR_UNSET, PLAN_ATTR_EXPECTED /* 预期性 */, PLAN_ATTR_BINDING /* 约束性 */ } plan_attribute;

typedef struct {
    plan_growth_kind kind;
    hq_fixed value;           /* ANNUAL_RATE: a fraction (0.065); CUMULATIVE: in the unit */
} plan_growth;

enum { PLAN_ID_MAX = 16, PLAN_FOOTNOTES_MAX = 8 };

typedef struct {
    char id[PLAN_ID_MAX];     /* "11.1" as written */
    int number, sub;          /* 11 and 1; sub 0 for a top-level row */
    const char *name, *group, *unit;
    plan_target base;         /* EXACT, APPROX (左右) or NONE */
    plan_target target;
    plan_growth growth;
    plan_attribute attribute;
    plan_direction direction;
    const char *price, *growth_price;  /* 现价 / 可比价 (注2, 注3), or NULL */
    const char *caliber;               /* 户籍 / 常住 (注4), or NULL */
    bool has_target_base;              /* 注5: the base the target was set from */
    hq_fixed target_base;
    int footnotes[PLAN_FOOTNOTES_MAX];
    int nfootnotes;
    plan_target *area_targets;         /* one per plan area, or NULL */
    const char *source;                /* the quoted rows, joined by '\n' */
    const char *note;
    int line;
} plan_indicator;

typedef struct {
    int number;
    const char *category;     /* "一、智能工厂" */
    const char *name, *type, *period, *place;
    hq_fixed total, invest;   /* 亿元: 总投资, 2020-2022年投资 */
    int line;
} plan_project;

typedef struct {
    int number;
    const char *region, *name;
    int line;
} plan_enterprise;

typedef struct {
    bool present;             /* false for "-" (— in the text) */
    hq_fixed value;
} plan_opt;

typedef struct {
    char id[PLAN_ID_MAX];
    int number, sub, part_of; /* part_of: the row this is a "#" part of, 0 if none */
    const char *name, *unit;
    plan_opt month, month_yoy, ytd, ytd_yoy;  /* 当月, 同比±%, 累计, 同比±% */
    const char *source, *note;
    int line;
} plan_observation;

typedef struct {
    int number;
    const char *text;
} plan_footnote;

/* A link (issue 14, 绩效评价): policy items declared to serve plan indicators, with the
 * yearly firm fact that measures what the items are meant to move, and the sentence of the
 * policy or plan that says so. The parser checks the form only; whether the items, the
 * indicators and the fact exist is checked against the corpus and the plans by whoever uses
 * the links (ledger/performance.c), naming the line written here. */
typedef struct {
    const char *id;           /* "13-12-61" */
    int line, col;
} plan_link_item;

typedef struct {
    const char *plan;         /* "shisiwu" */
    char id[PLAN_ID_MAX];     /* "11.1" */
    int line, col;
} plan_link_indicator;

typedef struct {
    const char *name;         /* 技改 */
    plan_link_item *items;
    int nitems;
    plan_link_indicator *indicators;
    int nindicators;
    const char *firm_fact;
    int fact_line, fact_col;
    const char *reason, *source, *note;
    int line, col;
} plan_link;

typedef enum { PLAN_KIND_PLAN, PLAN_KIND_REPORT, PLAN_KIND_LINKS } plan_kind;

typedef struct hq_plan {
    hq_arena *arena;
    plan_kind kind;
    const char *file, *id;
    const char *title, *number, *table, *published, *issued, *source_file, *compiled_by;
    const char *source, *note;
    int base_year, target_year;        /* 0 when absent (a report) */
    int period_year, period_month;     /* a report's period, 0 when absent */
    bool has_project_totals;
    hq_fixed project_total, project_invest;  /* the header's totals as printed */
    plan_footnote *footnotes;
    int nfootnotes;
    const char **areas;
    int nareas;
    plan_indicator *indicators;
    int nindicators;
    plan_project *projects;
    int nprojects;
    plan_enterprise *enterprises;
    int nenterprises;
    plan_observation *observations;
    int nobservations;
    plan_link *links;
    int nlinks;
} hq_plan;

/* Parse one plan file's text. Every error goes to `d` as file:line:col; the result is NULL
 * when there was any. */
hq_plan *plan_parse(const char *file, const char *src, size_t len, hq_diag *d);
hq_plan *plan_load_file(const char *path, hq_diag *d);
/* Load every *.hqp in `dir`, in name order. *out gets a malloc'd array of the plans that
 * loaded without error (free each with plan_free, then the array with free); the return is
 * its length, or -1 when the directory cannot be read. Errors of all files go to `d`. */
int plan_load_dir(const char *dir, hq_plan ***out, hq_diag *d);

hq_plan *plan_new(const char *file);
void plan_free(hq_plan *p);

const plan_indicator *plan_find_indicator(const hq_plan *p, const char *id);
const plan_observation *plan_find_observation(const hq_plan *p, const char *id);
const plan_project *plan_find_project(const hq_plan *p, int number);
const plan_link *plan_find_link(const hq_plan *p, const char *name);
/* The index of an area in p->areas, or -1. */
int plan_area_index(const hq_plan *p, const char *area);
/* An indicator's target for one area; NULL when the indicator has no per-area targets or
 * the area is unknown. */
const plan_target *plan_area_target(const hq_plan *p, const plan_indicator *ind, const char *area);

const char *plan_target_kind_name(plan_target_kind k);
/* A target (or base) as people read it: "10000", "力争 1000", "2.2 左右", "90 以上",
 * "27 以下", "省下目标", "—". */
void plan_target_format(const plan_target *t, char *out, size_t size);

/* ---- Progress (progress.c) ------------------------------------------------------------ */

typedef enum {
    PLAN_PATH_RATE,        /* start·(1+r)^years: an indicator with a yearly growth rate */
    PLAN_PATH_LINEAR,      /* start + (goal−start)·years/n: a level or share target */
    PLAN_PATH_CUMULATIVE,  /* a five-year total [X] with no level target: 0 → X linearly */
} plan_path_kind;

/* What an indicator's progress is measured against. */
typedef struct {
    plan_path_kind path;
    hq_fixed start;        /* the base value, 注5's target_base, or 0 for a cumulative total */
    hq_fixed goal;         /* the target value, or X of [X] */
    hq_fixed rate;         /* PLAN_PATH_RATE: the yearly rate as a fraction */
    plan_direction direction;
    int base_year, target_year;
} plan_goal;

typedef enum {
    PLAN_STATUS_NO_TARGET,  /* 无目标 */
    PLAN_STATUS_REACHED,    /* 达标 */
    PLAN_STATUS_ON_PATH,    /* 序时 */
    PLAN_STATUS_LAGGING,    /* 滞后 */
    PLAN_STATUS_WARNING,    /* 预警 */
    PLAN_STATUS_ERROR,      /* the arithmetic overflowed or the goal is malformed */
} plan_status;

/* A shortfall against the path of at most this share of the change due so far is 滞后;
 * more is 预警. In per mille: 100 = 10%. The boundary itself is 滞后. */
#define PLAN_LAG_TOLERANCE_PERMILLE 100

/* The goal of one indicator of the plan. False (无目标) when the target is PROVINCE_SET,
 * or NONE without a cumulative [X], or a numeric target has no base to start from. */
bool plan_goal_of(const hq_plan *p, const plan_indicator *ind, plan_goal *out);
/* The goal of one area's target (the 任务分解表 gives no bases: the caller supplies the
 * area's base-year value). Linear. False when the area has no target. */
bool plan_area_goal(const hq_plan *p, const plan_indicator *ind, const char *area, hq_fixed base,
                    plan_goal *out);

/* 序时进度: the value due at the end of month `month` (1–12) of `year`. */
bool plan_expected(const plan_goal *g, int year, int month, hq_fixed *out);
/* (actual − start)/(goal − start) as a fraction (HQ_FIXED_ONE = 100%). */
bool plan_completion(const plan_goal *g, hq_fixed actual, hq_fixed *out);
/* The target-year value if the pace from start to `actual` (at the end of `month` of
 * `year`) continued. False before any time has passed. */
bool plan_projected(const plan_goal *g, hq_fixed actual, int year, int month, hq_fixed *out);
plan_status plan_assess(const plan_goal *g, hq_fixed actual, int year, int month);
/* The same for an indicator, 无目标 when it has no goal. */
plan_status plan_indicator_status(const hq_plan *p, const plan_indicator *ind, hq_fixed actual, int year,
                                  int month);
const char *plan_status_name(plan_status s);

#endif
