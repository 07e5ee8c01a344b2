/*
 * Synthetic observations of the city's plan indicators (issue 14), for the 规划监测 page
 * of the demo: `huiqi demo-data` writes them as DIR/indicators.csv, the file
 * `huiqi import indicators` reads (columns plan,indicator,area,period,value,source,
 * published,note).
 *
 * Every row is labelled 模拟数据 in its source column: these are NOT statistics. They are
 * drawn so that the page has something to show — most indicators on their path, some
 * lagging, a few far behind (预警), at least one 约束性 indicator behind — and stay
 * consistent with the plan text: the 2020 value of a 十四五 indicator is its base as
 * written (a five-year total [X] starts from 0 and is given as the running total), later
 * years move from there along a share of the path the plan sets (plan_expected), so that
 * lower-is-better indicators (21.2 PM2.5, 40 事故死亡率) move down.
 *
 * 十四五: 2020, 2021, 2022 for every indicator with a number (17–19 are 省下目标 with no
 * base and are skipped; 21.1 has a base and is given values with a note), and 2022-06 for
 * a few. 在线新经济: 2020–2022 for 温州市 and every area with a target; the table gives no
 * base values, so an area's 2020 value is drawn below its target. Where the 14 areas' count
 * targets add up to the 温州市 target, the 温州市 value is the sum of the areas'.
 *
 * Deterministic: a row depends only on (seed, plan, indicator, area); no floating point.
 */
#ifndef HQ_GEN_INDICATORS_H
#define HQ_GEN_INDICATORS_H
#include <stdint.h>

#include "base/diag.h"
#include "base/strbuf.h"
#include "plan/plan.h"

#define INDICATORS_FILE "indicators.csv"
#define INDICATORS_SOURCE "模拟数据（演示用，非统计公报）"

/* Append the CSV (header and rows) for the plans among `plans` that the generator knows
 * (ids "shisiwu" and "zaixian"; others are ignored). Returns the number of data rows, or -1
 * with the problem in `d` (a known plan lacks what the generator reads, the buffer is full). */
long indicators_csv(hq_plan *const *plans, int nplans, uint64_t seed, hq_strbuf *out, hq_diag *d);

/* The same into DIR/indicators.csv (written under a temporary name, then renamed). */
long indicators_write(hq_plan *const *plans, int nplans, uint64_t seed, const char *dir, hq_diag *d);

#endif
