/*
 * `huiqi report`: the ledger's awards totalled by document, item, department, district,
 * industry, year, state or payment month, one row per group and one column per stage of
 * the workflow, with a total row. The result is an hq_table, so the same figures go to the
 * terminal, to CSV and to XLSX — and the web dashboard reads the same function.
 */
#ifndef HQ_REPORT_H
#define HQ_REPORT_H
#include <jansson.h>

#include "io/table.h"
#include "rules/corpus.h"
#include "store/store.h"

/* "document" → REPORT_DOCUMENT …; -1 if unknown. Chinese names (文件, 条款 …) are accepted. */
int report_by_parse(const char *s);
const char *report_by_zh(int by);

/* A new table (caller frees) or NULL with the reason in diag. c may be NULL (item titles are
 * then not shown). year 0: all years. */
hq_table *ledger_report(hq_store *s, const hq_corpus *c, int by, int year, hq_diag *diag);

/* The same figures as JSON (for the API and the dashboard): {"by", "year", "columns",
 * "rows": [{"key", "label", "count", "fen": [per column], "total_fen"}], "total": {…}}. */
json_t *ledger_report_json(hq_store *s, const hq_corpus *c, int by, int year, hq_diag *diag);

/* 兑现 at a glance for year `year` (0: all), cash only: awards due (approved and on) and paid,
 * their amounts and the share paid (‰ of the amount), 惠及企业户数 (firms with a payment), and
 * the average days from application to payment (null without a paid award):
 * {"year", "firms_paid", "due", "paid", "due_fen", "paid_fen", "paid_permille", "avg_days_to_pay"}. */
json_t *ledger_summary_json(hq_store *s, int year, hq_diag *diag);

/* 兑现时效 of one year's awards, the figures both the summary above and the 绩效评价 report
 * (ledger/performance.h) give. Cash only. The city's rule (the dashboard's warning): a data
 * year's awards are paid in the year after it, at least 60% of the amount due by 30 June and
 * all of it by 31 December. "By" a day counts payments dated on or before it (the payment's
 * own timestamp, its first ten characters). year 0: all years, and no deadlines. */
typedef struct {
    int year;
    int64_t due, paid, due_fen, paid_fen;     /* due: approved and on; paid: paid or archived */
    int64_t paid_mid, paid_mid_fen;           /* paid by (year+1)-06-30 */
    int64_t paid_end, paid_end_fen;           /* paid by (year+1)-12-31 */
    int firms_paid;
    int64_t days_sum, days_n;                 /* application to payment, over paid awards */
} ledger_timeliness;

/* The share rules, exact in integers: 10·paid ≥ 6·due, and paid ≥ due. */
#define LEDGER_MIDYEAR_NUM 6
#define LEDGER_MIDYEAR_DEN 10
int ledger_timeliness_of(hq_store *s, int year, ledger_timeliness *out, hq_diag *diag);
/* paid/due in tenths of a percent, rounded half away from zero ("58.1%"); 0 when nothing
 * is due. */
int64_t ledger_share_tenths(int64_t paid_fen, int64_t due_fen);

#endif
