/*
 * Entity assessment: evaluate, stack, stamp. See assess.h.
 */
#include "eval/assess.h"

#include <stdlib.h>
#include <string.h>

int assess_entity(const hq_corpus *c, hq_vm *vm, const hq_factbatch *fb, int row, const hq_history *history,
                  hq_assessment *a)
{
    memset(a, 0, sizeof *a);
    sb_init(&a->log, 1 << 20);
    a->nrows = c->nitems;
    a->rows = calloc((size_t)c->nitems + 1, sizeof *a->rows);
    hq_outcome *out = calloc((size_t)c->nitems + 1, sizeof *out);
    hq_award *aw = calloc((size_t)c->nitems + 1, sizeof *aw);
    if (!a->rows || !out || !aw || claims_init(&a->claims, HQ_ASSESS_MAX_CLAIMS)) {
        free(out);
        free(aw);
        assessment_free(a);
        return -1;
    }
    rvm_eval_block(vm, fb, row, 1, out);
    int n = 0;
    for (int i = 0; i < c->nitems; i++)
        if (out[i].status == HQ_ELIGIBLE) aw[n++] = award_from_outcome(c, c->items[i], &out[i]);
    stacking_apply(c, vm, fb, row, history, aw, n, &a->claims, &a->log);
    for (int i = 0, k = 0; i < c->nitems; i++) {
        hq_assessment_row *r = &a->rows[i];
        r->item = c->items[i];
        r->outcome = out[i];
        if (k < n && aw[k].item == r->item && aw[k].key_missing && aw[k].final_fen == 0) {
            /* Nothing can be paid until the project is identified: the item needs data. */
            r->outcome.status = HQ_NEEDS_DATA;
            r->key_missing = true;
            k++;
        }
        a->counts[r->outcome.status]++;
        if (k < n && aw[k].item == r->item) {
            r->awarded = true;
            r->final_fen = aw[k].final_fen;
            r->claim0 = aw[k].claim0;
            r->nclaims = aw[k].nclaims;
            memcpy(r->note, aw[k].note, sizeof r->note);
            if (r->item->voucher) {
                a->voucher_total_fen += aw[k].amount_fen;
                a->voucher_final_fen += aw[k].final_fen;
            } else {
                a->total_fen += aw[k].amount_fen;
                a->final_total_fen += aw[k].final_fen;
            }
            k++;
        }
    }
    free(out);
    free(aw);
    return 0;
}

void assessment_free(hq_assessment *a)
{
    free(a->rows);
    claims_free(&a->claims);
    sb_free(&a->log);
    memset(a, 0, sizeof *a);
}

const char *assessment_decision_id(const hq_corpus *c, const hq_factbatch *fb, int row, hq_assessment_row *r)
{
    if (!r->decision_id[0]) decision_id(c, fb->ids[row].credit_code, fb->year, r->item, &r->outcome, r->decision_id);
    return r->decision_id;
}
