/*
 * Observed values of the plans' indicators (issue 14): `huiqi import indicators FILE`, and
 * POST /api/imports/indicators. A file is CSV (UTF-8 or GBK, io/csv.h) or JSON (an array of
 * flat objects with the same keys), one observation a row:
 *
 *   规划 plan         a plan's id: shisiwu, zaixian (the .hqp files of plans/)
 *   指标 indicator    the indicator's id as in the plan file ("11.1", "21.2", "3")
 *   地区 area         温州市 (the default when the column is absent or the cell empty) or
 *                    one of the plan's areas; a plan without areas takes only 温州市
 *   期间 period       "2021" (the year), "2021-06" (a month), "2021Q2" (a quarter), within
 *                    the plan's years (base year to target year)
 *   数值 value        an exact decimal in the indicator's own unit, at most 6 decimals
 *   来源 source       the bulletin or department the figure is from (required)
 *   发布日期 published YYYY-MM-DD, not after today (ledger/clock.h: HUIQI_NOW)
 *   备注 note         optional
 *
 * The importer's other kinds are about entities (a credit code on every row); these rows
 * are about the city, so they are checked against the plans rather than the corpus. The
 * guarantees are the same: every error listed as FILE:LINE with 第N行第M列「列」, nothing
 * written unless the whole file is good, one transaction with one import row and one audit
 * row, and a file whose content is that of the latest indicators import changes nothing.
 * A row whose plan, indicator, area and period are already stored replaces the value (a
 * revised figure supersedes a preliminary one); the row keeps its import and line.
 */
#ifndef HQ_INDICATORS_H
#define HQ_INDICATORS_H
#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"
#include "plan/plan.h"
#include "store/store.h"

typedef struct {
    int64_t import_id;
    bool duplicate;        /* the same content was the latest import: nothing done */
    int rows;              /* observations written */
    int replaced;          /* of which replaced a stored value of the same key */
    char encoding[24];
} hq_obs_import_result;

/* 0 imported (or a duplicate); 1 bad data, every problem in diag, nothing changed; -1 a
 * store or system error, nothing changed. `name` is the file's name (".json" selects JSON). */
int indicator_import_buffer(hq_store *s, const hq_plan *const *plans, int nplans, const char *name, const char *data,
                            size_t len, const char *actor, hq_obs_import_result *r, hq_diag *diag);

/* The plan `id` (a plan, not a report) among `plans`, or NULL. */
const hq_plan *plans_find(const hq_plan *const *plans, int nplans, const char *id);

/* A period as the store keeps it: "2021", "2021-06", "2021Q2". *year, and *month the last
 * month it covers (12 for a year, 6 for 2021Q2). False when it is none of these. */
bool obs_period_parse(const char *s, int *year, int *month);

#endif
