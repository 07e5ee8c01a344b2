/*
 * Entity documents and histories from the store's rows; see entity_doc.h.
 */
#include "ledger/entity_doc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "facts/entity.h"
#include "ledger/importer.h"
#include "ledger/workflow.h"

/* A stored value (a JSON scalar in canonical text) as JSON. */
static json_t *scalar(const char *text)
{
    size_t len = strlen(text);
    if (!strcmp(text, "true")) return json_true();
    if (!strcmp(text, "false")) return json_false();
    if (len >= 2 && text[0] == '"' && text[len - 1] == '"' && !memchr(text + 1, '\\', len - 2)) return json_stringn(text + 1, len - 2);
    return json_loadb(text, len, JSON_DECODE_ANY, NULL);
}

/* Where a fact came from: the store's "kind:file#row" for those who audit the import, and the
 * same in people's words ("市场监管局登记信息 第2行") for the pages, which show no file names. */
static json_t *provenance_json(const hq_fact_row *f)
{
    char kind[32] = "", zh[96];
    const char *colon = strchr(f->dataset, ':'), *hash = strrchr(f->dataset, '#');
    if (colon && (size_t)(colon - f->dataset) < sizeof kind) snprintf(kind, sizeof kind, "%.*s", (int)(colon - f->dataset), f->dataset);
    const char *name = import_kind_zh(kind);
    int row = hash ? atoi(hash + 1) : 0;
    if (row > 0) snprintf(zh, sizeof zh, "%s 第%d行", name ? name : "导入数据", row);
    else snprintf(zh, sizeof zh, "%s", name ? name : "导入数据");
    return json_pack("{s:s, s:s, s:s}", "dataset", f->dataset, "source_zh", zh, "date", f->date ? f->date : "");
}

static json_t *doc_of(const hq_entity_rows *e)
{
    json_t *doc = json_pack("{s:s, s:s, s:{}, s:{}, s:{}}", "credit_code", e->credit_code, "name", e->name, "facts", "years",
                            "provenance");
    for (int i = 0; i < e->nfacts; i++) {
        const hq_fact_row *f = &e->facts[i];
        json_t *v = scalar(f->value);
        if (!v) continue;
        if (f->year == 0 && entity_identity_fact(f->name)) json_object_set_new(doc, f->name, v);
        else if (f->year == 0) json_object_set_new(json_object_get(doc, "facts"), f->name, v);
        else {
            char y[16];
            snprintf(y, sizeof y, "%d", f->year);
            json_t *years = json_object_get(doc, "years"), *yr = json_object_get(years, y);
            if (!yr) json_object_set_new(years, y, yr = json_object());
            json_object_set_new(yr, f->name, v);
        }
        if (f->dataset)
            json_object_set_new(json_object_get(doc, "provenance"), f->name, provenance_json(f));
    }
    if (e->recs_known) {
        json_t *arr = json_array();
        for (int i = 0; i < e->nrecs; i++) {
            const hq_rec_row *r = &e->recs[i];
            json_t *j = json_pack("{s:s, s:s}", "name", r->name, "date", r->date);
            if (r->level && *r->level) json_object_set_new(j, "level", json_string(r->level));
            if (r->grade && *r->grade) json_object_set_new(j, "grade", json_string(r->grade));
            if (r->subject && *r->subject) json_object_set_new(j, "subject", json_string(r->subject));
            json_array_append_new(arr, j);
        }
        json_object_set_new(doc, "recognitions", arr);
    }
    if (e->lists_known) {
        json_t *arr = json_array();
        for (int i = 0; i < e->nlists; i++) json_array_append_new(arr, json_string(e->lists[i]));
        json_object_set_new(doc, "lists", arr);
    }
    return doc;
}

int ledger_entity_doc(hq_store *s, int64_t id, json_t **doc)
{
    *doc = NULL;
    hq_arena *ar = arena_new((size_t)64 << 20);
    if (!ar) return -1;
    hq_entity_rows e;
    int rc = store_entity_get(s, id, ar, &e);
    if (rc == 0) *doc = doc_of(&e);
    arena_free(ar);
    return rc;
}

typedef struct {
    const hq_corpus *c;
    hq_history *h;
    hq_diag *d;
    bool failed;
} hist_ctx;

static int add_row(const hq_history_row *r, void *ud)
{
    hist_ctx *x = ud;
    hq_past_award_text a = {.item = r->item, .part = r->part, .project = r->project, .basis = r->basis, .year = r->year,
                            .data_year = r->data_year, .district_level = r->district_level, .voucher = r->voucher,
                            .amount_fen = r->amount_fen};
    if (history_add(x->c, x->h, &a, x->d)) {
        x->failed = true;
        return 1;
    }
    return 0;
}

int ledger_history(hq_store *s, const hq_corpus *c, int64_t entity, int64_t except_award, hq_history *h, hq_diag *d)
{
    memset(h, 0, sizeof *h);
    hist_ctx x = {.c = c, .h = h, .d = d};
    if (store_history_rows(s, entity, except_award, WF_COMMITTED, add_row, &x)) {
        diag_add(d, "history", "%s", store_error(s));
        history_free(h);
        return -1;
    }
    if (x.failed) {
        history_free(h);
        return -1;
    }
    return 0;
}
