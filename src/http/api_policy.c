/*
 * The policy side of the API: documents and items with their source text (政策库), the
 * facts the rules read (the calculator's form), evaluation of an entity posted as JSON or
 * kept in the ledger (政策计算器), and what-if pricing of a rule change (政策测算).
 * Evaluation runs on the calling thread's evaluator; an overlay gets a private evaluator
 * over a derived corpus (eval/overlay.h) and its results are labelled as a what-if.
 */
#include <stdlib.h>
#include <string.h>

#include "base/fixed.h"
#include "eval/assess_json.h"
#include "eval/explain.h"
#include "rules/rlex.h"
#include "eval/overlay.h"
#include "facts/entity.h"
#include "http/http.h"
#include "ledger/match.h"

static const hq_corpus *corpus_of(hq_req *r)
{
    return server_config(r->srv)->corpus;
}

void api_health(hq_req *r)
{
    const hq_corpus *c = corpus_of(r);
    hq_store *s = http_thread_store(r);
    int64_t n = -1;
    if (s) store_entity_count(s, &n);
    http_json(r, s ? 200 : 503,
              json_pack("{s:s, s:s, s:i, s:I}", "status", s ? "ok" : "no database", "corpus_hash", c->hash, "items",
                        c->nitems, "entities", (json_int_t)n));
}

static json_t *item_brief(const hq_item *it)
{
    return json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:b, s:s}", "id", it->id, "document", it->doc->id, "number",
                     it->doc->number ? it->doc->number : "", "article", it->article, "row", it->row, "title", it->title,
                     "department", it->department, "kind", item_kind_name(it->kind), "computable",
                     item_kind_computable(it->kind), "form", it->voucher ? "服务券" : "现金");
}

void api_documents(hq_req *r)
{
    const hq_corpus *c = corpus_of(r);
    json_t *docs = json_array();
    for (int d = 0; d < c->ndocs; d++) {
        const hq_doc *doc = c->docs[d];
        int computable = 0;
        for (int k = 0; k < doc->nitems; k++) computable += item_kind_computable(doc->items[k]->kind);
        char issued[16], expires[16];
        int y, m, dd;
        rlex_civil_from_days(doc->issued, &y, &m, &dd);
        snprintf(issued, sizeof issued, "%04d-%02d-%02d", y, m, dd);
        rlex_civil_from_days(doc->expires, &y, &m, &dd);
        snprintf(expires, sizeof expires, "%04d-%02d-%02d", y, m, dd);
        json_array_append_new(docs, json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:i}", "id", doc->id, "number",
                                              doc->number ? doc->number : "", "title", doc->title ? doc->title : "", "issued",
                                              issued, "expires", expires, "table_rows", doc->table_rows, "items",
                                              doc->nitems, "computable", computable));
    }
    http_json(r, 200, json_pack("{s:s, s:o}", "corpus_hash", c->hash, "documents", docs));
}

/* GET /api/items?q=&document=&department=&kind= — q matches id, title, source or department. */
void api_items(hq_req *r)
{
    const hq_corpus *c = corpus_of(r);
    const char *q = http_query(r, "q"), *doc = http_query(r, "document"), *dept = http_query(r, "department"),
               *kind = http_query(r, "kind");
    json_t *items = json_array();
    for (int i = 0; i < c->nitems; i++) {
        const hq_item *it = c->items[i];
        if (doc && *doc && strcmp(it->doc->id, doc) && (!it->doc->number || strcmp(it->doc->number, doc))) continue;
        if (dept && *dept && !strstr(it->department, dept)) continue;
        if (kind && *kind && strcmp(item_kind_name(it->kind), kind)) continue;
        if (q && *q && !strstr(it->id, q) && !strstr(it->title, q) && !(it->source && strstr(it->source, q)) &&
            !strstr(it->department, q))
            continue;
        json_t *j = item_brief(it);
        json_object_set_new(j, "source", json_string(it->source ? it->source : ""));
        json_array_append_new(items, j);
    }
    http_json(r, 200, json_pack("{s:i, s:o}", "count", (int)json_array_size(items), "items", items));
}

void api_item(hq_req *r)
{
    const hq_item *it = corpus_find_item(corpus_of(r), r->params[0]);
    if (!it) {
        http_error(r, 404, "not_found", NULL, "没有条款 %s", r->params[0]);
        return;
    }
    json_t *j = item_brief(it);
    json_object_set_new(j, "source", json_string(it->source ? it->source : ""));
    if (it->note) json_object_set_new(j, "note", json_string(it->note));
    json_object_set_new(j, "project", json_string(it->terms.project ? it->terms.project : ""));
    json_object_set_new(j, "basis", json_string(basis_name(it->terms.basis)));
    json_t *cj = cost_json(item_cost(it, -1)); /* the API gives the payers list: [{payer, share}] */
    json_object_set(j, "cost", json_object_get(cj, "payers"));
    json_decref(cj);
    json_t *facts = json_array();
    int f[64];
    int n = explain_item_facts(it, f, 64);
    for (int k = 0; k < n; k++) json_array_append_new(facts, json_string(corpus_of(r)->facts[f[k]]->name));
    json_object_set_new(j, "facts", facts);
    json_t *conds = json_array();
    for (int p = 0; p < it->nparts; p++)
        for (int q = 0; q < it->parts[p].nrequires; q++) json_array_append_new(conds, json_string(it->parts[p].require_text[q]));
    json_object_set_new(j, "conditions", conds);
    json_t *rules = json_array();
    for (int d = 0; d < it->doc->nrules; d++)
        if (!(it->except_mask >> d & 1)) json_array_append_new(rules, json_string(it->doc->rules[d]->title));
    json_object_set_new(j, "document_rules", rules);
    http_json(r, 200, j);
}

static const char *type_code(const hq_corpus *c, hq_type t)
{
    static const char *N[] = {"", "bool", "count", "money", "rate", "date", "enum", "symbol"};
    return t.kind == HT_ENUM ? c->enums[t.enum_id]->name : N[t.kind];
}

/* GET /api/facts[?item=ID,ID…] — the facts the rules read, with their types, enum values,
 * and the items that read each; ?item= narrows to what those items need (the form). */
void api_facts(hq_req *r)
{
    const hq_corpus *c = corpus_of(r);
    const char *only = http_query(r, "item");
    bool *want = calloc((size_t)c->nfacts + 1, sizeof *want);
    if (!want) {
        http_error(r, 500, "internal", NULL, "out of memory");
        return;
    }
    for (int i = 0; i < c->nitems; i++) {
        const hq_item *it = c->items[i];
        if (only && *only) {
            const char *p = strstr(only, it->id);
            size_t n = strlen(it->id);
            if (!p || (p != only && p[-1] != ',') || (p[n] && p[n] != ',')) continue;
        }
        int f[64];
        int n = explain_item_facts(it, f, 64);
        for (int k = 0; k < n; k++) want[f[k]] = true;
        n = explain_rule_facts(it, f, 64); /* the 附则 conditions every item of the document needs */
        for (int k = 0; k < n; k++) want[f[k]] = true;
    }
    json_t *facts = json_array();
    for (int f = 0; f < c->nfacts; f++) {
        const hq_fact *fa = c->facts[f];
        if (!want[f] && !(!only && fa->used)) continue;
        json_t *j = json_pack("{s:s, s:s, s:s, s:b, s:s}", "name", fa->name, "label", fa->label ? fa->label : fa->name, "type",
                              type_code(c, fa->type), "yearly", fa->yearly, "from", fa->from ? fa->from : "");
        if (fa->unit) json_object_set_new(j, "unit", json_string(fa->unit));
        if (fa->type.kind == HT_ENUM) {
            json_t *vals = json_array();
            const hq_enum *e = c->enums[fa->type.enum_id];
            for (int v = 1; v < e->nvalues; v++) json_array_append_new(vals, json_string(e->values[v]));
            json_object_set_new(j, "values", vals);
        }
        json_array_append_new(facts, j);
    }
    free(want);
    json_t *recs = json_array();
    for (int i = 0; i < c->nrecognitions; i++) {
        const hq_recognition *rc = c->recognitions[i];
        json_t *j = json_pack("{s:s, s:s}", "name", rc->name, "label", rc->label ? rc->label : rc->name);
        if (rc->levels_enum >= 0) {
            json_t *vals = json_array();
            const hq_enum *e = c->enums[rc->levels_enum];
            for (int v = 1; v < e->nvalues; v++) json_array_append_new(vals, json_string(e->values[v]));
            json_object_set_new(j, "levels", vals);
        }
        json_array_append_new(recs, j);
    }
    json_t *lists = json_array();
    for (int i = 0; i < c->nlists; i++) json_array_append_new(lists, json_string(c->lists[i]->name));
    http_json(r, 200, json_pack("{s:o, s:o, s:o}", "facts", facts, "recognitions", recs, "lists", lists));
}

/* ---- evaluation -------------------------------------------------------------------------- */

static int pick_year(const json_t *entity, const json_t *year)
{
    return json_is_integer(year) ? (int)json_integer_value(year) : entity_latest_year(entity, 2021);
}

static void diag_error(hq_req *r, int status, const char *code, const char *prefix, const hq_diag *d)
{
    json_t *errs = json_array();
    for (int i = 0; i < d->count && i < HQ_DIAG_MAX; i++)
        json_array_append_new(errs, json_pack("{s:s, s:s}", "field", d->items[i].where, "message", d->items[i].message));
    http_error(r, status, code, d->count ? d->items[0].where : NULL, "%s%s", prefix, d->count ? d->items[0].message : "");
    json_object_set_new(json_object_get(r->json, "error"), "errors", errs);
}

/* Evaluate `entity` (validated here) for `year` with `history`, under `overlay` if given,
 * and answer with the assessment. `overlay` changes may be reported in `changes`. */
static void evaluate(hq_req *r, const hq_corpus *base, hq_vm *thread_vm, const json_t *entity, const json_t *year_j,
                     const json_t *history, const json_t *overlay, bool explain, bool all)
{
    const hq_corpus *c = base;
    hq_corpus *derived = NULL;
    hq_vm *own_vm = NULL, *vm;
    json_t *changes = NULL;
    hq_diag d;
    diag_init(&d);
    int year = pick_year(entity, year_j);
    if (year_j && !json_is_integer(year_j)) {
        http_error(r, 400, "bad_request", "year", "year 须为整数年度，如 2021");
        goto out;
    }
    if (year < 2000 || year > 2100) {
        http_error(r, 400, "bad_request", "year", "year 超出范围：%d", year);
        goto out;
    }
    if (overlay && !json_is_null(overlay)) {
        changes = json_array();
        derived = overlay_new(base, overlay, changes, &d);
        if (!derived) {
            diag_error(r, 400, "bad_overlay", "overlay ", &d);
            goto out;
        }
        c = derived;
        vm = own_vm = rvm_new(c);
    } else {
        vm = thread_vm;
    }
    hq_factbatch *fb = vm ? factbatch_new(c, year, 1) : NULL;
    if (!fb) {
        http_error(r, 500, "internal", NULL, "out of memory");
        goto out;
    }
    hq_history h = {0};
    if (entity_load(c, entity, fb, 0, &d)) {
        diag_error(r, 422, "bad_entity", "企业数据有误：", &d);
    } else if (history && history_load(c, history, &h, &d)) {
        diag_error(r, 422, "bad_history", "既往奖补记录有误：", &d);
    } else {
        hq_assessment a;
        if (assess_entity(c, vm, fb, 0, history ? &h : NULL, &a)) {
            http_error(r, 500, "internal", NULL, "out of memory");
        } else {
            json_t *out = assessment_json(c, vm, fb, 0, &a, explain, all);
            if (derived) {
                json_object_set_new(out, "whatif", json_true());
                json_object_set_new(out, "base_corpus_hash", json_string(base->hash));
                json_object_set_new(out, "overlay_changes", json_incref(changes));
            }
            http_json(r, 200, out);
            assessment_free(&a);
        }
    }
    history_free(&h);
    factbatch_free(fb);
out:
    rvm_free(own_vm);
    overlay_free(derived);
    json_decref(changes);
    diag_free(&d);
}

/* POST /api/evaluate {"entity": {…}, "year"?, "history"?, "overlay"?, "explain"?, "all"?}:
 * the public policy calculator; it reads nothing from the ledger. */
void api_evaluate_body(hq_req *r, const hq_corpus *c, hq_vm *vm)
{
    json_t *b = http_body_json(r);
    if (!b) return;
    const json_t *entity = json_object_get(b, "entity");
    if (!json_is_object(entity)) http_error(r, 400, "bad_request", "entity", "缺少 entity（企业数据对象，格式见 docs/facts.md）");
    else {
        const json_t *ex = json_object_get(b, "explain"), *all = json_object_get(b, "all");
        evaluate(r, c, vm, entity, json_object_get(b, "year"), json_object_get(b, "history"), json_object_get(b, "overlay"),
                 !json_is_false(ex), json_is_true(all));
    }
    json_decref(b);
}

void api_evaluate(hq_req *r)
{
    api_evaluate_body(r, corpus_of(r), http_thread_vm(r));
}

/* An enterprise may read only its own credit code; the other roles may read any entity. */
static bool may_read_entity(hq_req *r, const char *code)
{
    if (!auth_require(r, ROLES(ROLE_ENTERPRISE, ROLE_REVIEWER, ROLE_FINANCE, ROLE_LEADER, ROLE_ADMIN))) return false;
    if (r->role == ROLE_ENTERPRISE && strcmp(r->user.credit_code, code)) {
        auth_audit(r, "denied", code, json_pack("{s:s}", "reason", "enterprise reading another enterprise"));
        http_error(r, 403, "forbidden", NULL, "企业用户只能查看本企业（%s）的数据", r->user.credit_code);
        return false;
    }
    return true;
}

/* The stored entity document and its id, or an error response. */
static json_t *stored_entity(hq_req *r, const char *code, int64_t *id)
{
    hq_store *s = http_thread_store(r);
    json_t *doc = NULL;
    int rc = s ? store_entity_find(s, code, id) : -1;
    if (rc == 0) rc = store_entity_doc(s, *id, &doc);
    if (rc == 1) http_error(r, 404, "not_found", NULL, "企业 %s 不在名录中", code);
    else if (rc) http_error(r, 503, "unavailable", NULL, "数据库不可用");
    return rc == 0 ? doc : NULL;
}

void api_entity(hq_req *r)
{
    if (!may_read_entity(r, r->params[0])) return;
    int64_t id;
    json_t *doc = stored_entity(r, r->params[0], &id);
    if (doc) http_json(r, 200, doc);
}

/* POST /api/entities/{code}/evaluate {"year"?, "overlay"?}: the entity as the ledger knows
 * it, with the awards the ledger has approved or paid as history. */
void api_entity_evaluate(hq_req *r)
{
    if (!may_read_entity(r, r->params[0])) return;
    json_t *b = r->body_len ? http_body_json(r) : json_object();
    if (!b) return;
    int64_t id;
    json_t *doc = stored_entity(r, r->params[0], &id), *hist = NULL;
    hq_store *s = http_thread_store(r);
    if (doc && store_history(s, id, 0, &hist) == 0)
        evaluate(r, corpus_of(r), http_thread_vm(r), doc, json_object_get(b, "year"), hist, json_object_get(b, "overlay"), true,
                 json_is_true(json_object_get(b, "all")));
    json_decref(hist);
    json_decref(doc);
    json_decref(b);
}

/* ---- what-if pricing --------------------------------------------------------------------- */

typedef struct {
    char key[96];
    int64_t before, after;
} tally;

typedef struct {
    tally *v;
    int n, cap;
    bool after;
    int64_t total_before, total_after;
} tallies;

static tally *tally_of(tallies *t, const char *key)
{
    for (int i = 0; i < t->n; i++)
        if (!strcmp(t->v[i].key, key)) return &t->v[i];
    if (t->n == t->cap) {
        int cap = t->cap ? t->cap * 2 : 64;
        tally *nv = realloc(t->v, sizeof *nv * (size_t)cap);
        if (!nv) return NULL;
        t->v = nv;
        t->cap = cap;
    }
    tally *x = &t->v[t->n++];
    memset(x, 0, sizeof *x);
    snprintf(x->key, sizeof x->key, "%s", key);
    return x;
}

typedef struct {
    tallies items, districts;
    bool after;
} whatif_acc;

static void whatif_sink(void *ud, const char *district, const hq_item *it, int64_t fen)
{
    whatif_acc *w = ud;
    if (it->voucher) return; /* pricing is of cash; 服务券 are not 奖补资金 */
    tally *a = tally_of(&w->items, it->id), *b = tally_of(&w->districts, district && *district ? district : "(未知)");
    if (w->after) {
        if (a) a->after += fen;
        if (b) b->after += fen;
        w->items.total_after += fen;
    } else {
        if (a) a->before += fen;
        if (b) b->before += fen;
        w->items.total_before += fen;
    }
}

static json_t *tallies_json(const tallies *t, const hq_corpus *c, bool items)
{
    json_t *a = json_array();
    for (int i = 0; i < t->n; i++) {
        const tally *x = &t->v[i];
        if (x->before == x->after && items) continue;
        json_t *j = json_pack("{s:s, s:I, s:I, s:I}", "key", x->key, "before_fen", (json_int_t)x->before, "after_fen",
                              (json_int_t)x->after, "change_fen", (json_int_t)(x->after - x->before));
        const hq_item *it = items ? corpus_find_item(c, x->key) : NULL;
        if (it) json_object_set_new(j, "title", json_string(it->title));
        json_array_append_new(a, j);
    }
    return a;
}

/* POST /api/whatif {"year", "overlay"}: every entity in the ledger evaluated under the
 * current rules and under the overlay (附则3 against the ledger in both), the cash awards
 * totalled before and after, by item and by district. Nothing is written. */
void api_whatif(hq_req *r)
{
    if (!auth_state_change(r) || !auth_require(r, ROLES(ROLE_FINANCE, ROLE_LEADER, ROLE_ADMIN))) return;
    json_t *b = http_body_json(r);
    if (!b) return;
    const json_t *year_j = json_object_get(b, "year"), *overlay = json_object_get(b, "overlay");
    const hq_corpus *base = corpus_of(r);
    hq_diag d;
    diag_init(&d);
    json_t *changes = json_array();
    hq_corpus *derived = NULL;
    hq_store *s = http_thread_store(r);
    if (!json_is_integer(year_j)) http_error(r, 400, "bad_request", "year", "year 须为整数年度，如 2021");
    else if (!json_is_array(overlay)) http_error(r, 400, "bad_request", "overlay", "overlay 须为变更列表（见 docs/api.md）");
    else if (!(derived = overlay_new(base, overlay, changes, &d))) diag_error(r, 400, "bad_overlay", "overlay ", &d);
    else if (!s) http_error(r, 503, "unavailable", NULL, "数据库不可用");
    else {
        whatif_acc acc = {0};
        hq_match_opts o = {.year = (int)json_integer_value(year_j), .db_path = server_config(r->srv)->db_path,
                           .actor = "whatif", .sink = whatif_sink, .sink_ud = &acc};
        hq_match_result res = {.diag = &d};
        int rc = ledger_match(s, base, &o, &res);
        acc.after = true;
        hq_match_result res2 = {.diag = &d};
        if (rc == 0) rc = ledger_match(s, derived, &o, &res2);
        if (rc) http_error(r, 500, "internal", NULL, "测算失败：%s", d.count ? d.items[0].message : "");
        else {
            json_t *out = json_pack("{s:b, s:i, s:s, s:s, s:O, s:I, s:I, s:I, s:I, s:o, s:o}", "whatif", 1, "year",
                                    o.year, "base_corpus_hash", base->hash, "overlay_corpus_hash", derived->hash,
                                    "overlay_changes", changes, "entities", (json_int_t)res.entities, "before_fen",
                                    (json_int_t)acc.items.total_before, "after_fen", (json_int_t)acc.items.total_after,
                                    "change_fen", (json_int_t)(acc.items.total_after - acc.items.total_before), "by_item",
                                    tallies_json(&acc.items, base, true), "by_district",
                                    tallies_json(&acc.districts, base, false));
            http_json(r, 200, out);
            auth_audit(r, "whatif", "overlay", json_pack("{s:O, s:i}", "overlay", overlay, "year", o.year));
        }
        free(acc.items.v);
        free(acc.districts.v);
    }
    overlay_free(derived);
    json_decref(changes);
    diag_free(&d);
    json_decref(b);
}
