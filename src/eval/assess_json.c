/*
 * Assessment → JSON; see assess_json.h.
 */
#include "eval/assess_json.h"

#include <string.h>

#include "base/fixed.h"
#include "base/jsonw.h"
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

/* The buffers one assessment's rows are worded in, reused from row to row (each is reset
 * before use, and keeps the maximum its text always had). */
typedef struct {
    hq_strbuf why, names, labels, ex;
} row_scratch;

static void money(hq_strbuf *out, const char *key, int64_t fen)
{
    char text[48];
    fen_format(fen, false, text, sizeof text);
    jw_str(out, key, text);
}

static void write_row(hq_strbuf *out, row_scratch *s, const hq_corpus *c, hq_vm *vm, const hq_factbatch *fb, int row,
                      hq_assessment_row *r, const char *why, bool explain)
{
    const hq_item *it = r->item;
    const hq_outcome *oc = &r->outcome;
    jw_next(out);
    sb_append(out, "{", 1);
    jw_str(out, "item", it->id);
    jw_str(out, "title", it->title);
    jw_str(out, "document", it->doc->number ? it->doc->number : it->doc->id);
    jw_str(out, "department", it->department);
    jw_str(out, "status", status_code((hq_status)oc->status));
    jw_str(out, "status_zh", status_label_zh((hq_status)oc->status));
    jw_int(out, "amount_fen", oc->amount_fen);
    money(out, "amount", oc->amount_fen);
    jw_str(out, "decision_id", assessment_decision_id(c, fb, row, r));
    jw_str(out, "kind", item_kind_name(it->kind));
    jw_str(out, "form", it->voucher ? "服务券" : "现金");
    if (r->awarded) {
        jw_int(out, "final_fen", r->final_fen);
        money(out, "final", r->final_fen);
        if (r->note[0]) jw_str(out, "stacking", r->note);
    }
    if (oc->status == HQ_ELIGIBLE && oc->unknown) {
        /* The amount is what the known parts pay; these parts wait for data. */
        jw_bool(out, "partial", true);
        jw_key(out, "parts_needing_data");
        sb_append(out, "[", 1);
        for (int p = 0; p < it->nparts && it->has_parts; p++) {
            if (!(oc->unknown >> p & 1)) continue;
            sb_reset(&s->names);
            sb_reset(&s->labels);
            rvm_eval_one(vm, fb, row, it);
            explain_part_missing(vm, c, it, p, &s->names);
            explain_missing_labels(c, sb_str(&s->names), &s->labels);
            jw_next(out);
            sb_append(out, "{", 1);
            jw_str(out, "part", it->parts[p].label);
            jw_str(out, "missing", sb_str(&s->labels));
            jw_str(out, "missing_facts", sb_str(&s->names));
            sb_append(out, "}", 1);
        }
        sb_append(out, "]", 1);
    }
    if (oc->status == HQ_INELIGIBLE) jw_str(out, "failed", why);
    if (oc->status == HQ_NEEDS_DATA) {
        /* `missing` is for people (labels); `missing_facts` names the facts for forms. The
         * labels are worded from the same search (`why` is NULL then): it re-runs the item,
         * which is most of what a calculator answer costs. */
        sb_reset(&s->names);
        sb_reset(&s->labels);
        if (!r->key_missing) {
            rvm_eval_one(vm, fb, row, it);
            explain_missing(vm, c, it, &s->names);
        }
        if (!why) explain_missing_labels(c, sb_str(&s->names), &s->labels);
        jw_str(out, "missing", why ? why : sb_str(&s->labels));
        jw_str(out, "missing_facts", sb_str(&s->names));
    }
    if (explain && oc->status != HQ_INELIGIBLE) {
        sb_reset(&s->ex);
        hq_outcome one = rvm_eval_one(vm, fb, row, it);
        explain_item(vm, c, it, &one, &s->ex);
        if (r->key_missing) { /* the item's own verdict is 符合; 附则3 cannot place it yet */
            sb_puts(&s->ex, "  附则3：无法确定奖补对应的具体项目（缺少：");
            project_key_missing(c, it, &s->ex);
            sb_puts(&s->ex, "），待补充数据，本项暂不兑付\n");
        }
        jw_str(out, "explanation", sb_str(&s->ex));
    }
    sb_append(out, "}", 1);
}

void assessment_write(const hq_corpus *c, hq_vm *vm, const hq_factbatch *fb, int row, hq_assessment *a, bool explain,
                      bool all, hq_strbuf *out)
{
    const hq_entity_id *id = &fb->ids[row];
    jw_str(out, "credit_code", id->credit_code);
    jw_str(out, "name", id->name);
    jw_int(out, "year", fb->year);
    jw_str(out, "corpus_hash", c->hash);
    jw_key(out, "results");
    sb_append(out, "[", 1);
    row_scratch s;
    sb_init(&s.why, 1 << 16);
    sb_init(&s.names, 4096);
    sb_init(&s.labels, 4096);
    sb_init(&s.ex, 1 << 20);
    static const hq_status ORDER[] = {HQ_ELIGIBLE, HQ_NEEDS_DATA, HQ_ERROR, HQ_INELIGIBLE};
    for (size_t pass = 0; pass < sizeof ORDER / sizeof *ORDER; pass++)
        for (int i = 0; i < a->nrows; i++) {
            hq_assessment_row *r = &a->rows[i];
            if (r->outcome.status != ORDER[pass] || (r->outcome.status == HQ_INELIGIBLE && !all)) continue;
            bool words_own = r->outcome.status == HQ_NEEDS_DATA && !r->key_missing;
            sb_reset(&s.why);
            if (!words_own) assessment_reason(c, vm, fb, row, r, &s.why);
            write_row(out, &s, c, vm, fb, row, r, words_own ? NULL : sb_str(&s.why), explain);
        }
    sb_free(&s.why);
    sb_free(&s.names);
    sb_free(&s.labels);
    sb_free(&s.ex);
    sb_append(out, "]", 1);
    jw_key(out, "counts");
    sb_append(out, "{", 1);
    jw_int(out, "eligible", a->counts[HQ_ELIGIBLE]);
    jw_int(out, "needs_data", a->counts[HQ_NEEDS_DATA]);
    jw_int(out, "ineligible", a->counts[HQ_INELIGIBLE]);
    jw_int(out, "error", a->counts[HQ_ERROR]);
    sb_append(out, "}", 1);
    jw_int(out, "total_fen", a->total_fen);
    jw_int(out, "final_total_fen", a->final_total_fen);
    jw_int(out, "voucher_final_fen", a->voucher_final_fen);
    money(out, "total", a->total_fen);
    money(out, "final_total", a->final_total_fen);
    money(out, "voucher_final", a->voucher_final_fen);
    jw_str(out, "stacking_log", sb_str(&a->log));
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
