/*
 * Cross-clause rules of 附则3: what happens when several awards meet. They run after the
 * per-item evaluation of one entity, over its eligible awards and the history of awards it
 * already received, and set each award's final amount with a Chinese note saying why. The
 * order is fixed and documented in docs/stacking.md:
 *   1. the same project (item `project` key) within the window → only the highest; a past
 *      award of the same project (at any level, city or district) is deducted, which also
 *      gives "晋级只奖励差额" and "市区两级就高不叠加";
 *   2. the same basis (地方综合贡献度 / 贷款利息 / 技改投入) of the same data year → only the
 *      highest, past awards on that basis deducted;
 *   3. firms registered three years or more: the year's cash total (city + district, history
 *      included; vouchers are not 奖补资金) is capped at the previous year's 地方综合贡献度, the cut shared in
 *      proportion to the amounts, remainders by largest remainder, ties by item order.
 *
 * Awards and history are owned by the caller; stacking only writes final_fen and note.
 */
#ifndef HQ_STACKING_H
#define HQ_STACKING_H
#include <jansson.h>

#include "base/diag.h"
#include "base/strbuf.h"
#include "eval/rvm.h"

typedef struct {
    const hq_item *item;
    int64_t amount_fen;     /* what the item's rule computes */
    int64_t final_fen;      /* what may be paid after 附则3 */
    char note[512];
} hq_award;

typedef struct {
    char item_id[64];
    char project[128];
    hq_basis basis;
    int year;               /* the year the award was granted */
    int data_year;          /* the year of the data it was based on */
    bool district_level;    /* 区级 (incl. 功能区) rather than 市级 */
    bool voucher;           /* paid as 服务券, outside the annual cap */
    int64_t amount_fen;
} hq_past_award;

typedef struct {
    hq_past_award *v;
    int n;
} hq_history;

/* Parse a history document (docs/facts.md#history). 0, or -1 with errors by JSON path. */
int history_load(const hq_corpus *c, const json_t *j, hq_history *h, hq_diag *d);
void history_free(hq_history *h);

hq_award award_from_outcome(const hq_corpus *c, const hq_item *it, const hq_outcome *o);

/* Apply 附则3 to the awards of entity `row` of `fb` (year fb->year). Writes a line per
 * adjustment to `log`. Awards must be in corpus item order. */
void stacking_apply(const hq_corpus *c, const hq_factbatch *fb, int row, const hq_history *h, hq_award *awards, int n,
                    hq_strbuf *log);

/* "D-" and 16 hex digits of SHA-256(corpus hash, credit code, year, item, status, amount). */
void decision_id(const hq_corpus *c, const char *credit_code, int year, const hq_item *it, const hq_outcome *o, char out[24]);

#endif
