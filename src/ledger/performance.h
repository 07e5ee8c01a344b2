/*
 * `huiqi report performance` (绩效评价, issue 14): what the policy money bought. For each
 * link of plans/performance.hqp — policy items declared to serve plan indicators, with a
 * yearly firm fact that measures what the items are meant to move — and within it per item,
 * per document and per district of the firms reached:
 *   - money committed (审核通过, 公示中, 公示期满, 已兑付, 已归档) and paid, cash only, in 分;
 *   - firms reached: distinct entities with a committed award of those items in the year;
 *   - the fact's movement from year Y−1 to Y among the firms reached that have the fact in
 *     both years, against all other firms with the fact in both years (those reached by no
 *     item of the link; for a district row, the others in that district): the two sums,
 *     growth = (ΣY − ΣY−1)/ΣY−1, and the difference of the two growths in percentage
 *     points, each computed exactly in integers and rounded once, half away from zero, to
 *     0.1 (of a percent, of a point);
 * and, for the year, 兑现时效 (ledger/report.h's ledger_timeliness_of, the dashboard's
 * figures) against the city's 60% by 30 June / 100% by 31 December of the year after.
 *
 * The comparison describes; it does not prove that the money caused the difference: the
 * firms reached chose to apply and were selected by the policy's own conditions
 * (docs/performance.md).
 *
 * Every item, indicator and fact a link names is checked when the report runs; an unknown
 * one is an error at the link file's line and column, and there is no report.
 */
#ifndef HQ_PERFORMANCE_H
#define HQ_PERFORMANCE_H
#include <jansson.h>
#include <stddef.h>

#include "io/table.h"
#include "rules/corpus.h"
#include "store/store.h"

/* The links file within the plans directory. */
#define PERFORMANCE_LINKS_FILE "performance.hqp"

/* The plans directory: $HUIQI_PLANS, else plans/ beside the corpus's directory (as the CLI's
 * --plans default), else "plans". Written into buf. */
const char *performance_plans_dir(const hq_corpus *c, char *buf, size_t size);

/* The 绩效评价表 of `year` (a table the caller frees), or NULL with every reason in diag. */
hq_table *ledger_performance(hq_store *s, const hq_corpus *c, const char *plans_dir, int year, hq_diag *diag);

/* The same as JSON: {"year", "links": [{"name", "items", "indicators": [{"ref", "name"}],
 * "fact", "fact_label", "reason", "source"}], "rows": [{"group", "name", "link", "awards",
 * "committed_fen", "paid_fen", "firms_reached", "reached": {"firms", "prev", "cur",
 * "growth_tenths", "growth"}, "others": {…}, "diff_tenths", "diff"}], "timeliness": {…},
 * "rounding"}. Sums are decimal strings (exact; they may exceed a double's precision). */
json_t *ledger_performance_json(hq_store *s, const hq_corpus *c, const char *plans_dir, int year, hq_diag *diag);

#endif
