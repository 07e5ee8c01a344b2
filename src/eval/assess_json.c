/*
 * Assessment → JSON; see assess_json.h.
 */
#include "eval/assess_json.h"

#include <string.h>

#include "base/fixed.h"
#include "eval/explain.h"

/* What would identify the item's project: the key fact, or "R的认定对象" for a subject. The
 * parts' terms are read (the item's are merged into them, and only they are resolved). A
 * label is the corpus's, of any length: a fixed buffer cut long recognition labels in the
 * middle of a character, and the answer then lost the whole text. */
static void project_key_missing(const hq_corpus *c, const hq_item *it, hq_strbuf *why)
{
    size_t start = why->len;
    hq_strbuf name;
    sb_init(&name, 4096);
    for (int p = 0; p < it->nparts; p++) {
        const hq_terms *t = &it->parts[p].terms;
        if (!t->project || t->key_kind == PKEY_NONE || t->key_ref < 0) continue;
        sb_reset(&name);
        if (t->key_kind == PKEY_FACT) sb_puts(&name, c->facts[t->key_ref]->label);
        else sb_printf(&name, "%s的认定对象", c->recognitions[t->key_ref]->label);
        if (strstr(why->data ? why->data + start : "", sb_str(&name))) continue;
        sb_printf(why, "%s%s", why->len > start ? " " : "", sb_str(&name));
    }
    sb_free(&name);
}

void assessment_reason(const hq_corpus *c, hq_vm *vm, const hq_factbatch *fb, int row, const hq_assessment_row *r,
                       hq_strbuf *why)
{
    if (r->outcome.status == HQ_INELIGIBLE) explain_failed_reason(c, r->item, &r->outcome, why);
    else if (r->key_missing) {
        project_key_missing(c, r->item, why);
    } else if (r->outcome.status == HQ_NEEDS_DATA) {
        rvm_eval_one(vm, fb, row, r->item);
        hq_strbuf names;
        sb_init(&names, 4096);
        explain_missing(vm, c, r->item, &names);
        explain_missing_labels(c, sb_str(&names), why);
        sb_free(&names);
    } else {
        sb_puts(why, r->note);
        if (r->outcome.unknown) {
            /* The amount is of the known parts only: name the parts still waiting for data. */
            sb_printf(why, "%s仅含已知分项；待补充数据：", r->note[0] ? "；" : "");
            for (int p = 0, n = 0; p < r->item->nparts; p++)
                if (r->outcome.unknown >> p & 1) sb_printf(why, "%s「%s」", n++ ? "、" : "", r->item->parts[p].label);
        }
    }
}

static json_t *row_json(const hq_corpus *c, hq_vm *vm, const hq_factbatch *fb, int row, hq_assessment_row *r,
                        const char *why, bool explain)
{
    const hq_item *it = r->item;
    const hq_outcome *oc = &r->outcome;
    char amt[48], fin[48];
    fen_format(oc->amount_fen, false, amt, sizeof amt);
    fen_format(r->final_fen, false, fin, sizeof fin);
    json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s}", "item", it->id, "title", it->title,
                          "document", it->doc->number ? it->doc->number : it->doc->id, "department", it->department,
                          "status", status_code((hq_status)oc->status), "status_zh", status_label_zh((hq_status)oc->status),
                          "amount_fen", (json_int_t)oc->amount_fen, "amount", amt, "decision_id", assessment_decision_id(c, fb, row, r), "kind",
                          item_kind_name(it->kind), "form", it->voucher ? "服务券" : "现金");
    if (r->awarded) {
        json_object_set_new(j, "final_fen", json_integer(r->final_fen));
        json_object_set_new(j, "final", json_string(fin));
        if (r->note[0]) json_object_set_new(j, "stacking", json_string(r->note));
    }
    if (oc->status == HQ_ELIGIBLE && oc->unknown) {
        /* The amount is what the known parts pay; these parts wait for data. */
        json_t *parts = json_array();
        for (int p = 0; p < it->nparts && it->has_parts; p++) {
            if (!(oc->unknown >> p & 1)) continue;
            hq_strbuf miss;
            sb_init(&miss, 4096);
            rvm_eval_one(vm, fb, row, it);
            explain_part_missing(vm, c, it, p, &miss);
            hq_strbuf labels;
            sb_init(&labels, 4096);
            explain_missing_labels(c, sb_str(&miss), &labels);
            json_array_append_new(parts, json_pack("{s:s, s:s, s:s}", "part", it->parts[p].label, "missing", sb_str(&labels),
                                                   "missing_facts", sb_str(&miss)));
            sb_free(&labels);
            sb_free(&miss);
        }
        json_object_set_new(j, "partial", json_true());
        json_object_set_new(j, "parts_needing_data", parts);
    }
    if (oc->status == HQ_INELIGIBLE) json_object_set_new(j, "failed", json_string(why));
    if (oc->status == HQ_NEEDS_DATA) {
        /* `missing` is for people (labels); `missing_facts` names the facts for forms. The
         * labels are worded from the same search (`why` is NULL then): it re-runs the item,
         * which is most of what a calculator answer costs. */
        hq_strbuf names, labels;
        sb_init(&names, 4096);
        sb_init(&labels, 4096);
        if (!r->key_missing) {
            rvm_eval_one(vm, fb, row, it);
            explain_missing(vm, c, it, &names);
        }
        if (!why) explain_missing_labels(c, sb_str(&names), &labels);
        json_object_set_new(j, "missing", json_string(why ? why : sb_str(&labels)));
        json_object_set_new(j, "missing_facts", json_string(sb_str(&names)));
        sb_free(&labels);
        sb_free(&names);
    }
    if (explain && oc->status != HQ_INELIGIBLE) {
        hq_strbuf ex;
        sb_init(&ex, 1 << 20);
        hq_outcome one = rvm_eval_one(vm, fb, row, it);
        explain_item(vm, c, it, &one, &ex);
        if (r->key_missing) { /* the item's own verdict is 符合; 附则3 cannot place it yet */
            sb_puts(&ex, "  附则3：无法确定奖补对应的具体项目（缺少：");
            project_key_missing(c, it, &ex);
            sb_puts(&ex, "），待补充数据，本项暂不兑付\n");
        }
        json_object_set_new(j, "explanation", json_string(sb_str(&ex)));
        sb_free(&ex);
    }
    return j;
}

json_t *assessment_json(const hq_corpus *c, hq_vm *vm, const hq_factbatch *fb, int row, const hq_assessment *a, bool explain,
                        bool all)
{
    const hq_entity_id *id = &fb->ids[row];
    json_t *results = json_array();
    hq_strbuf why;
    sb_init(&why, 1 << 16);
    static const hq_status ORDER[] = {HQ_ELIGIBLE, HQ_NEEDS_DATA, HQ_ERROR, HQ_INELIGIBLE};
    for (size_t pass = 0; pass < sizeof ORDER / sizeof *ORDER; pass++)
        for (int i = 0; i < a->nrows; i++) {
            hq_assessment_row *r = &a->rows[i];
            if (r->outcome.status != ORDER[pass] || (r->outcome.status == HQ_INELIGIBLE && !all)) continue;
            bool words_own = r->outcome.status == HQ_NEEDS_DATA && !r->key_missing;
            sb_reset(&why);
            if (!words_own) assessment_reason(c, vm, fb, row, r, &why);
            json_array_append_new(results, row_json(c, vm, fb, row, r, words_own ? NULL : sb_str(&why), explain));
        }
    sb_free(&why);
    char total[48], final[48], voucher[48];
    fen_format(a->total_fen, false, total, sizeof total);
    fen_format(a->final_total_fen, false, final, sizeof final);
    fen_format(a->voucher_final_fen, false, voucher, sizeof voucher);
    return json_pack("{s:s, s:s, s:i, s:s, s:o, s:{s:i, s:i, s:i, s:i}, s:I, s:I, s:I, s:s, s:s, s:s, s:s}", "credit_code",
                     id->credit_code, "name", id->name, "year", fb->year, "corpus_hash", c->hash, "results", results,
                     "counts", "eligible", a->counts[HQ_ELIGIBLE], "needs_data", a->counts[HQ_NEEDS_DATA], "ineligible",
                     a->counts[HQ_INELIGIBLE], "error", a->counts[HQ_ERROR], "total_fen", (json_int_t)a->total_fen,
                     "final_total_fen", (json_int_t)a->final_total_fen, "voucher_final_fen",
                     (json_int_t)a->voucher_final_fen, "total", total, "final_total", final, "voucher_final", voucher,
                     "stacking_log", sb_str((hq_strbuf *)&a->log));
}

json_t *cost_json(const hq_cost *k)
{
    json_t *payers = json_array();
    for (int i = 0; k && i < k->n; i++) {
        char share[40];
        fixed_format_short(k->v[i].share * 100, false, share, sizeof share - 1);
        strcat(share, "%");
        json_array_append_new(payers, json_pack("{s:s, s:s}", "payer", k->v[i].payer, "share", share));
    }
    return json_pack("{s:s, s:o}", "text", k ? k->text : "", "payers", payers);
}
