/*
 * Cross-clause rules of 附则3: what happens when several awards meet, in one year and across
 * years. They run after the per-item evaluation of one entity, over its eligible awards and
 * the history of awards it already received, and set each award's final amount with a
 * Chinese note saying why. docs/stacking.md states the rules; in short:
 *
 * An eligible award is first cut into claims, the units the rules act on: the whole item,
 * or each paying part when the item has parts (a part may name its own project, basis,
 * limits and payer), or one claim per subject for `each subject(R)` items. Each claim knows
 * its project instance key ("境外并购·2021-04-01"), basis, data year and the year the award
 * is received (数据核校 items the year after their data year, 附则2). Then, in this order:
 *   1. what the history already paid for the same project is deducted — within the window
 *      for levelled awards (晋升只奖励差额, 市区两级就高), within the data year for yearly ones —
 *      and a one-off award (一次性, 只奖一次) already made pays nothing; so is what the history
 *      paid on the same basis (地方综合贡献度 / 银行贷款利息 / 技改投入) of the same year (a past
 *      award overlapping both ways is deducted once);
 *   2. lifetime limits of a part: at most N data years, at most a total, per project;
 *   3. of this evaluation's awards for the same project, then on the same basis of the same
 *      year, only the highest of what each can still pay is paid;
 *   4. the annual cap: for an enterprise registered three years or more, the cash received
 *      in one year (city + district, history included; 服务券 are not 奖补资金) is capped at
 *      the previous year's 地方综合贡献度, the cut shared in proportion, whole 分 by largest
 *      remainder, ties by claim order.
 *
 * Awards, claims and history are owned by the caller; stacking writes final amounts, notes
 * and the claims.
 */
#ifndef HQ_STACKING_H
#define HQ_STACKING_H
#include <jansson.h>

#include "base/diag.h"
#include "base/strbuf.h"
#include "eval/rvm.h"
#include "facts/history.h"

enum { HQ_NOTE_MAX = 512 };

/* One unit 附则3 acts on: an item, one of its parts, or one subject of an `each` item. */
typedef struct {
    const hq_item *item;
    int part;                 /* part index, or -1 for an item without parts */
    const hq_terms *terms;    /* the part's (merged) terms */
    char key[HQ_KEY_MAX];     /* project instance, "" without a project */
    bool key_missing;         /* the fact or subject that identifies the project is not known */
    int data_year, year;      /* the data it rests on; the year it is received (附则2) */
    int basis_year;           /* the year of its basis (the data year, or the one before) */
    bool voucher;
    int64_t amount_fen, final_fen;
} hq_claim;

/* Claims of one assessment, in award order; a fixed capacity chosen by the owner. */
/* Claims grow as an entity needs them, up to `cap`: a typical entity has a handful, and
 * zeroing room for the cap (8,192 claims, 3 MB) on every assessment was three quarters of
 * a batch evaluation's time. A claim is addressed by its index; pointers to one are valid
 * until the next claim is added. */
typedef struct {
    hq_claim *v;
    int n, cap;       /* cap: the hard limit */
    int room;         /* allocated */
} hq_claims;

int claims_init(hq_claims *cl, int cap);
void claims_free(hq_claims *cl);

typedef struct {
    const hq_item *item;
    int64_t amount_fen;       /* what the item's rule computes */
    int64_t final_fen;        /* what may be paid after 附则3 */
    int claim0, nclaims;      /* its claims in the hq_claims given to stacking_apply */
    bool key_missing;         /* some claim could not be identified (待补充数据) */
    char note[HQ_NOTE_MAX];
} hq_award;

hq_award award_from_outcome(const hq_corpus *c, const hq_item *it, const hq_outcome *o);

/* Apply 附则3 to the awards of entity `row` of `fb` (year fb->year), in corpus item order.
 * `vm` re-evaluates items with parts to learn what each part pays. Writes a line per
 * adjustment to `log`. 0, or -1 when the claims do not fit (nothing is paid then). */
int stacking_apply(const hq_corpus *c, hq_vm *vm, const hq_factbatch *fb, int row, const hq_history *h, hq_award *awards,
                   int n, hq_claims *claims, hq_strbuf *log);


/* "D-" and 16 hex digits of SHA-256(corpus hash, credit code, year, item, status, amount). */
void decision_id(const hq_corpus *c, const char *credit_code, int year, const hq_item *it, const hq_outcome *o, char out[24]);

#endif
