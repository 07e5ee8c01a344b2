/*
 * The shapes of the documents operations return, one each, so that `huiqi award show 17
 * --json` and GET /api/awards/17 cannot differ.
 */
#include "base/fixed.h"
#include "ops/ops.h"

json_t *award_json(const hq_corpus *c, const hq_award_rec *a, const hq_identity *who)
{
    char amount[32], ent[32];
    fen_format(a->amount_fen, false, amount, sizeof amount);
    fen_format(a->entitlement_fen, false, ent, sizeof ent);
    const hq_item *it = c ? corpus_find_item(c, a->item) : NULL;
    json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:I, s:s, s:I, s:s, s:b, s:s, s:s, s:s, "
                          "s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
                          "id", (json_int_t)a->id, "credit_code", a->credit_code, "name", a->entity_name, "item", a->item,
                          "title", it ? it->title : "", "document", a->document, "department", a->department, "kind", a->kind,
                          "year", a->year, "state", award_state_code(a->state), "state_zh", award_state_zh(a->state),
                          "entitlement_fen", (json_int_t)a->entitlement_fen, "entitlement", ent, "amount_fen",
                          (json_int_t)a->amount_fen, "amount", amount, "voucher", a->voucher, "decision_id", a->decision_id,
                          "corpus_hash", a->corpus_hash, "stage", a->stage, "note", a->note, "reason", a->reason,
                          "publicity_start", a->publicity_start, "publicity_end", a->publicity_end, "district", a->district,
                          "industry", a->industry, "updated_at", a->updated_at);
    /* Where the item sits in its document, so that pages can name it as people do
     * (第7条第(12)项) rather than by its identifier. */
    json_object_set_new(j, "article", json_integer(it ? it->article : 0));
    json_object_set_new(j, "row", json_string(it && it->row ? it->row : ""));
    if (who) {
        json_t *acts = json_array();
        unsigned allowed = wf_allowed(a, who);
        for (int v = 0; v < WF__COUNT; v++)
            if (allowed >> v & 1) json_array_append_new(acts, json_string(WF_VERB[v].code));
        json_object_set_new(j, "allowed_actions", acts);
        /* What the firm confirms with its claim, shown to it word for word before it does. */
        if (who->role == ROLE_ENTERPRISE && allowed & (1u << WF_APPLY | 1u << WF_RESUBMIT))
            json_object_set_new(j, "pledge", json_string(WF_PLEDGE));
    }
    return j;
}

json_t *diag_json(const hq_diag *d, const char *key)
{
    json_t *arr = json_array();
    for (int i = 0; i < d->count && i < HQ_DIAG_MAX; i++)
        json_array_append_new(arr, json_pack("{s:s, s:s}", key, d->items[i].where, "message", d->items[i].message));
    return arr;
}
