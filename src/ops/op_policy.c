/*
 * The rules and evaluation: documents and items with their source text (政策库), the facts
 * the rules read (the calculator's form), an entity assessed from its JSON (政策计算器) or
 * as the ledger keeps it, one item explained, and what-if pricing of a rule change over
 * the whole ledger (政策测算). An overlay gets a private evaluator over a derived corpus
 * (eval/overlay.h) and its results are labelled as a what-if.
 */
#include <stdlib.h>
#include <string.h>

#include "base/calendar.h"
#include "eval/valuetext.h"
#include "base/fixed.h"
#include "base/jsonw.h"
#include "eval/assess_json.h"
#include "eval/explain.h"
#include "eval/phrase.h"
#include "eval/overlay.h"
#include "facts/entity.h"
#include "ledger/audit.h"
#include "ledger/entity_doc.h"
#include "ledger/match.h"
#include "ops/handlers.h"

/* The year an entity is assessed in when none is asked for: the latest year it has data
 * for, else this one. */
enum { DEFAULT_YEAR = 2021 };

/* An assessment's answer with every explanation is under a megabyte (356 items); this bounds
 * a pathological one. */
enum { ANSWER_MAX = 64 << 20 };

const hq_op_param P_ITEMS[] = {{.name = "q", .type = PT_STR, .hi = 200, .zh = "检索词"}, {.name = "document", .type = PT_STR, .hi = 64, .zh = "文件"},
                            {.name = "department", .type = PT_STR, .hi = 128, .zh = "责任单位"}, {.name = "kind", .type = PT_STR, .hi = 32, .zh = "类别"}, {.name = NULL}};
const hq_op_param P_ITEM[] = {{.name = "item", .type = PT_STR, .required = true, .hi = 64, .zh = "条款编号"}, {.name = NULL}};
const hq_op_param P_FACTS[] = {{.name = "item", .type = PT_STR, .hi = 4000, .zh = "条款编号（逗号分隔）"},
                               {.name = "all", .type = PT_BOOL, .zh = "含未被规则使用的事实"}, {.name = NULL}};
const hq_op_param P_EVALUATE[] = {{.name = "entity", .type = PT_JSON, .required = true, .zh = "企业数据"}, {.name = "year", .type = PT_YEAR, .zh = "年度"}, {.name = "history", .type = PT_JSON, .zh = "既往奖补"},
                               {.name = "overlay", .type = PT_JSON, .zh = "测算假设"},  {.name = "explain", .type = PT_BOOL, .zh = "附测算说明"},
                               {.name = "all", .type = PT_BOOL, .zh = "含不符合的条款"}, {.name = NULL}};
const hq_op_param P_EXPLAIN[] = {{.name = "item", .type = PT_STR, .required = true, .hi = 64, .zh = "条款编号"}, {.name = "entity", .type = PT_JSON, .required = true, .zh = "企业数据"},
                              {.name = "year", .type = PT_YEAR, .zh = "年度"}, {.name = NULL}};
const hq_op_param P_ENTITY[] = {{.name = "entity", .type = PT_STR, .required = true, .hi = 18, .zh = "统一社会信用代码"}, {.name = NULL}};
const hq_op_param P_ENTITY_EVALUATE[] = {{.name = "entity", .type = PT_STR, .required = true, .hi = 18, .zh = "统一社会信用代码"}, {.name = "year", .type = PT_YEAR, .zh = "年度"},
                                      {.name = "overlay", .type = PT_JSON, .zh = "测算假设"}, {.name = "all", .type = PT_BOOL, .zh = "含不符合的条款"}, {.name = NULL}};
const hq_op_param P_WHATIF[] = {{.name = "year", .type = PT_YEAR, .required = true, .zh = "年度"}, {.name = "overlay", .type = PT_JSON, .required = true, .zh = "测算假设"}, {.name = NULL}};

static json_t *item_brief(const hq_item *it)
{
    return json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:b, s:s}", "id", it->id, "document", it->doc->id, "number",
                     it->doc->number ? it->doc->number : "", "article", it->article, "row", it->row, "title", it->title,
                     "department", it->department, "kind", item_kind_name(it->kind), "computable",
                     item_kind_computable(it->kind), "form", it->voucher ? "服务券" : "现金");
}

static void day_text(long days, char out[16])
{
    int y, m, d;
    cal_civil_from_days(days, &y, &m, &d);
    snprintf(out, 16, "%04d-%02d-%02d", y, m, d);
}

void op_documents(hq_op *o)
{
    const hq_corpus *c = o->ctx->c;
    json_t *docs = json_array();
    for (int d = 0; d < c->ndocs; d++) {
        const hq_doc *doc = c->docs[d];
        int computable = 0;
        for (int k = 0; k < doc->nitems; k++) computable += item_kind_computable(doc->items[k]->kind);
        char issued[16], expires[16];
        day_text(doc->issued, issued);
        day_text(doc->expires, expires);
        json_array_append_new(docs, json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:i}", "id", doc->id, "number",
                                              doc->number ? doc->number : "", "title", doc->title ? doc->title : "", "issued",
                                              issued, "expires", expires, "table_rows", doc->table_rows, "items",
                                              doc->nitems, "computable", computable));
    }
    op_ok(o, json_pack("{s:s, s:o}", "corpus_hash", c->hash, "documents", docs));
}

/* q matches the id, title, source or department. */
/* Words people search by that the policy text spells out (or the other way round): a query
 * for 技改 finds 技术改造. Each pair is tried both ways; listed once, here. */
static const char *const SYNONYMS[][2] = {
    {"技改", "技术改造"}, {"规上", "规模以上"},   {"高企", "高新技术企业"}, {"电商", "电子商务"},
    {"文旅", "文化和旅游"}, {"非遗", "非物质文化遗产"}, {"研发", "研究开发"}, {"外贸", "进出口"},
};

/* True if `text` holds `term`, or `term` with one synonym put for the word it contains. */
static bool term_in(const char *text, const char *term)
{
    if (!text) return false;
    if (strstr(text, term)) return true;
    for (size_t i = 0; i < sizeof SYNONYMS / sizeof *SYNONYMS; i++)
        for (int way = 0; way < 2; way++) {
            const char *from = SYNONYMS[i][way], *to = SYNONYMS[i][!way], *at = strstr(term, from);
            if (!at) continue;
            char alt[512];
            int n = snprintf(alt, sizeof alt, "%.*s%s%s", (int)(at - term), term, to, at + strlen(from));
            if (n > 0 && (size_t)n < sizeof alt && strstr(text, alt)) return true;
        }
    return false;
}

/* A search: every space-separated term in the item's number, title, 原文, 解读 or department. */
static bool item_matches(const hq_item *it, const char *q)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", q);
    /* A full-width space (U+3000) separates terms too; strtok works on bytes, so it becomes
     * ASCII spaces first (its bytes also occur inside other characters). */
    for (char *w = buf; (w = strstr(w, "\xE3\x80\x80"));) memset(w, ' ', 3);
    char *save = NULL;
    for (char *t = strtok_r(buf, " \t", &save); t; t = strtok_r(NULL, " \t", &save))
        if (!term_in(it->id, t) && !term_in(it->title, t) && !term_in(it->source, t) && !term_in(it->guide, t) &&
            !term_in(it->department, t))
            return false;
    return true;
}

void op_items(hq_op *o)
{
    const hq_corpus *c = o->ctx->c;
    const char *q = op_str(o, "q"), *doc = op_str(o, "document"), *dept = op_str(o, "department"), *kind = op_str(o, "kind");
    json_t *items = json_array();
    for (int i = 0; i < c->nitems; i++) {
        const hq_item *it = c->items[i];
        if (doc && strcmp(it->doc->id, doc) && (!it->doc->number || strcmp(it->doc->number, doc))) continue;
        if (dept && !strstr(it->department, dept)) continue;
        if (kind && strcmp(item_kind_name(it->kind), kind)) continue;
        if (q && !item_matches(it, q)) continue;
        json_t *j = item_brief(it);
        json_object_set_new(j, "source", json_string(it->source ? it->source : ""));
        json_array_append_new(items, j);
    }
    op_ok(o, json_pack("{s:i, s:o}", "count", (int)json_array_size(items), "items", items));
}

/* Who pays, as [{payer, share}]. */
static json_t *payers_json(const hq_cost *k)
{
    json_t *cj = cost_json(k), *payers = json_incref(json_object_get(cj, "payers"));
    json_decref(cj);
    return payers ? payers : json_array();
}

/* The 附则3 terms of an item or a part, as written and inherited. */
static json_t *terms_json(const hq_corpus *c, const hq_terms *t)
{
    json_t *o = json_object();
    if (t->project) {
        static const char *const KEY[] = {[PKEY_NONE] = "", [PKEY_FACT] = "fact", [PKEY_SUBJECT] = "subject",
                                          [PKEY_EACH] = "each subject"};
        json_object_set_new(o, "project", json_string(t->project));
        if (t->key_kind != PKEY_NONE)
            json_object_set_new(o, "project_key", json_pack("{s:s, s:s}", "by", KEY[t->key_kind], "name", t->key_name));
    }
    if (t->basis != BASIS_NONE) {
        json_object_set_new(o, "basis", json_string(basis_name(t->basis)));
        json_object_set_new(o, "basis_zh", json_string(basis_label(t->basis)));
        if (t->basis_offset) json_object_set_new(o, "basis_year", json_string("上年度"));
    }
    if (t->limit_total) {
        char buf[48];
        value_text(c, (hq_type){.kind = HT_MONEY}, NULL, t->limit_total, buf, sizeof buf);
        json_object_set_new(o, "limit_total", json_string(buf));
    }
    if (t->limit_years) json_object_set_new(o, "limit_years", json_integer(t->limit_years));
    if (t->quota) json_object_set_new(o, "quota", json_integer(t->quota));
    return o;
}

/* What the item is, beyond its brief: who does what (the table's responsibility types and
 * data providers), how its awards repeat and combine (附则3 terms, per part), its stages and
 * the 附则 rules it is exempt from. */
static void item_structure(const hq_corpus *c, const hq_item *it, json_t *j)
{
    json_t *providers = json_array(), *duty = json_array();
    for (int i = 0; i < it->nproviders; i++) json_array_append_new(providers, json_string(it->providers[i]));
    for (int b = 0; b < DUTY__COUNT; b++)
        if (it->duty >> b & 1) json_array_append_new(duty, json_string(duty_name((hq_duty_bit)b)));
    json_object_set_new(j, "providers", providers);
    json_object_set_new(j, "duty", duty);
    if (!item_kind_computable(it->kind)) return;
    json_object_set_new(j, "recur", json_string(recur_name(item_recur(it))));
    json_object_set_new(j, "recur_zh", json_string(recur_zh(item_recur(it))));
    json_object_set_new(j, "terms", terms_json(c, &it->terms));
    if (it->has_parts) {
        json_t *parts = json_array();
        for (int i = 0; i < it->nparts; i++)
            json_array_append_new(parts, json_pack("{s:s, s:o, s:o}", "label", it->parts[i].label ? it->parts[i].label : "",
                                                   "cost", payers_json(item_cost(it, i)),
                                                   "terms", terms_json(c, &it->parts[i].terms)));
        json_object_set_new(j, "parts", parts);
    }
    if (it->nstages) {
        json_t *st = json_array();
        for (int i = 0; i < it->nstages; i++) {
            char share[32];
            value_text(c, (hq_type){.kind = HT_RATE}, NULL, it->stages[i].share->num, share, sizeof share);
            json_array_append_new(st, json_pack("{s:s, s:s}", "label", it->stages[i].label, "share", share));
        }
        json_object_set_new(j, "stages", st);
    }
    json_t *ex = json_array();
    for (int i = 0; i < it->nexcept; i++) json_array_append_new(ex, json_string(it->except_names[i]));
    json_object_set_new(j, "except", ex);
}

void op_item(hq_op *o)
{
    const hq_corpus *c = o->ctx->c;
    const hq_item *it = corpus_find_item(c, op_str(o, "item"));
    if (!it) {
        op_fail(o, OPR_NOT_FOUND, "item", "没有条款 %s", op_str(o, "item"));
        return;
    }
    json_t *j = item_brief(it);
    json_object_set_new(j, "source", json_string(it->source ? it->source : ""));
    if (it->guide) json_object_set_new(j, "guide", json_string(it->guide));
    json_object_set_new(j, "project", json_string(it->terms.project ? it->terms.project : ""));
    json_object_set_new(j, "basis", json_string(basis_name(it->terms.basis)));
    json_object_set_new(j, "cost", payers_json(item_cost(it, -1)));
    json_t *facts = json_array();
    int f[64];
    int n = explain_item_facts(it, f, 64);
    json_t *labels = json_array();
    for (int k = 0; k < n; k++) {
        json_array_append_new(facts, json_string(c->facts[f[k]]->name));
        json_array_append_new(labels, json_string(c->facts[f[k]]->label));
    }
    /* `facts` names them for forms and code; `fact_labels` is what people read. */
    json_object_set_new(j, "facts", facts);
    json_object_set_new(j, "fact_labels", labels);
    /* `conditions` are what people read; `condition_rules` the rule text, for developers. */
    json_t *conds = json_array(), *rule_text = json_array();
    for (int p = 0; p < it->nparts; p++)
        for (int q = 0; q < it->parts[p].nrequires; q++) {
            hq_strbuf s;
            sb_init(&s, 1 << 16);
            phrase_node(c, it->parts[p].requires[q], &s);
            json_array_append_new(conds, json_string(sb_str(&s)));
            json_array_append_new(rule_text, json_string(it->parts[p].require_text[q]));
            sb_free(&s);
        }
    json_object_set_new(j, "conditions", conds);
    json_object_set_new(j, "condition_rules", rule_text);
    json_t *rules = json_array();
    for (int d = 0; d < it->doc->nrules; d++)
        if (!(it->except_mask >> d & 1)) json_array_append_new(rules, json_string(it->doc->rules[d]->title));
    json_object_set_new(j, "document_rules", rules);
    item_structure(c, it, j);
    op_ok(o, j);
}

static bool item_in_list(const char *list, const char *id)
{
    size_t n = strlen(id);
    for (const char *p = list; (p = strstr(p, id)) != NULL; p += n)
        if ((p == list || p[-1] == ',') && (!p[n] || p[n] == ',')) return true;
    return false;
}

/* The facts the rules read, with their types, enum values and sources; with `item`, only
 * what those items (and their documents' 附则 rules) need: the calculator's form. */
void op_facts(hq_op *o)
{
    const hq_corpus *c = o->ctx->c;
    const char *only = op_str(o, "item");
    bool *want = calloc((size_t)c->nfacts + 1, sizeof *want);
    if (!want) {
        op_fail(o, OPR_INTERNAL, NULL, "内存不足");
        return;
    }
    for (int i = 0; i < c->nitems; i++) {
        const hq_item *it = c->items[i];
        if (only && !item_in_list(only, it->id)) continue;
        int f[64];
        int n = explain_item_facts(it, f, 64);
        for (int k = 0; k < n; k++) want[f[k]] = true;
        n = explain_rule_facts(it, f, 64);
        for (int k = 0; k < n; k++) want[f[k]] = true;
    }
    json_t *facts = json_array();
    for (int f = 0; f < c->nfacts; f++) {
        const hq_fact *fa = c->facts[f];
        if (!want[f] && !(!only && (fa->used || op_bool(o, "all")))) continue;
        json_t *j = json_pack("{s:s, s:s, s:s, s:b, s:s, s:b}", "name", fa->name, "label", fa->label ? fa->label : fa->name, "type",
                              type_name(c, fa->type), "yearly", fa->yearly, "from", fa->from ? fa->from : "", "used", fa->used);
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
        json_t *j = json_pack("{s:s, s:s, s:s}", "name", rc->name, "label", rc->label ? rc->label : rc->name, "from",
                              rc->from ? rc->from : "");
        static const char *const KEY[2] = {"levels", "grades"};
        int which[2] = {rc->levels_enum, rc->grades_enum};
        for (int k = 0; k < 2; k++) {
            if (which[k] < 0) continue;
            json_t *vals = json_array();
            const hq_enum *e = c->enums[which[k]];
            for (int v = 1; v < e->nvalues; v++) json_array_append_new(vals, json_string(e->values[v]));
            json_object_set_new(j, KEY[k], vals);
        }
        json_array_append_new(recs, j);
    }
    json_t *lists = json_array();
    for (int i = 0; i < c->nlists; i++)
        json_array_append_new(lists, json_pack("{s:s, s:s, s:s}", "name", c->lists[i]->name, "label", c->lists[i]->label,
                                               "from", c->lists[i]->from ? c->lists[i]->from : ""));
    op_ok(o, json_pack("{s:o, s:o, s:o}", "facts", facts, "recognitions", recs, "lists", lists));
}

/* ---- assessing an entity ------------------------------------------------------------------- */

static int year_for(const hq_op *o, const json_t *entity)
{
    long long y;
    return op_int(o, "year", &y) ? (int)y : entity_latest_year(entity, DEFAULT_YEAR);
}

/* Assess `entity` for `year` with `history`, under `overlay` if given; the result is the
 * assessment document (eval/assess_json.h), marked as a what-if under an overlay. */
static void assess_with(hq_op *o, const json_t *entity, int year, const hq_history *history, const json_t *overlay,
                        bool explain, bool all)
{
    const hq_corpus *base = o->ctx->c, *c = base;
    hq_corpus *derived = NULL;
    hq_vm *own_vm = NULL, *vm = o->ctx->vm;
    json_t *changes = NULL;
    hq_factbatch *fb = NULL;
    hq_diag d;
    diag_init(&d);
    if (!json_is_object(entity)) {
        op_fail(o, OPR_BAD_REQUEST, "entity", "企业数据：须为 JSON 对象（格式见数据字典）");
        goto out;
    }
    if (overlay) {
        changes = json_array();
        if (!(derived = overlay_new(base, overlay, changes, &d))) {
            op_fail_diag(o, OPR_BAD_REQUEST, "bad_overlay", "测算假设有误：", &d);
            goto out;
        }
        c = derived;
        vm = own_vm = rvm_new(c);
    }
    if (!vm || !(fb = factbatch_new(c, year, 1))) {
        op_fail(o, OPR_INTERNAL, NULL, "内存不足");
        goto out;
    }
    if (entity_load(c, entity, fb, 0, &d)) {
        op_fail_diag(o, OPR_BAD_DATA, "bad_entity", "企业数据有误：", &d);
    } else {
        hq_assessment a;
        if (assess_entity(c, vm, fb, 0, history, &a)) {
            op_fail(o, OPR_INTERNAL, NULL, "内存不足");
        } else {
            hq_strbuf out;
            sb_init(&out, ANSWER_MAX);
            sb_append(&out, "{", 1);
            assessment_write(c, vm, fb, 0, &a, explain, all, &out);
            if (derived) {
                jw_bool(&out, "whatif", true);
                jw_str(&out, "base_corpus_hash", base->hash);
                char *text = json_dumps(changes, JSON_COMPACT);
                jw_key(&out, "overlay_changes");
                if (text) sb_puts(&out, text);
                else out.overflow = true;
                free(text);
            }
            sb_append(&out, "}", 1);
            op_ok_text(o, &out);
            assessment_free(&a);
        }
    }
out:
    factbatch_free(fb);
    rvm_free(own_vm);
    overlay_free(derived);
    json_decref(changes);
    diag_free(&d);
}

/* The public policy calculator: the entity is given whole; nothing is read from the ledger. */
void op_evaluate(hq_op *o)
{
    const json_t *entity = op_json(o, "entity"), *hj = op_json(o, "history");
    hq_history h = {0};
    hq_diag d;
    diag_init(&d);
    if (hj && history_load(o->ctx->c, hj, &h, &d)) op_fail_diag(o, OPR_BAD_DATA, "bad_history", "既往奖补记录有误：", &d);
    else
        assess_with(o, entity, year_for(o, entity), hj ? &h : NULL, op_json(o, "overlay"), !json_is_false(op_json(o, "explain")),
                    op_bool(o, "all"));
    history_free(&h);
    diag_free(&d);
}

/* 数据来源: for each fact the item reads, the dataset and date the entity's provenance gives,
 * else the source the corpus declares for it. */
static void append_provenance(const hq_corpus *c, const hq_item *it, const json_t *entity, hq_strbuf *sb)
{
    int facts[64];
    int n = explain_item_facts(it, facts, 64);
    if (!n) return;
    const json_t *prov = json_object_get(entity, "provenance");
    sb_puts(sb, "  数据来源：\n");
    for (int i = 0; i < n; i++) {
        const hq_fact *f = c->facts[facts[i]];
        const json_t *p = json_object_get(prov, f->name);
        const char *dataset = json_string_value(json_object_get(p, "dataset"));
        const char *date = json_string_value(json_object_get(p, "date"));
        if (dataset) sb_printf(sb, "    %s ← %s%s%s%s\n", f->label, dataset, date ? "（" : "", date ? date : "", date ? "）" : "");
        else sb_printf(sb, "    %s ← %s（规则库声明的数据来源）\n", f->label, f->from ? f->from : "未声明");
    }
}

/* One item for one entity in full: the source sentence, the 附则 conditions, each condition
 * with its values, the arithmetic, and where each value came from. */
void op_explain(hq_op *o)
{
    const hq_corpus *c = o->ctx->c;
    const hq_item *it = corpus_find_item(c, op_str(o, "item"));
    const json_t *entity = op_json(o, "entity");
    if (!it) {
        op_fail(o, OPR_NOT_FOUND, "item", "没有条款 %s", op_str(o, "item"));
        return;
    }
    if (!json_is_object(entity)) {
        op_fail(o, OPR_BAD_REQUEST, "entity", "企业数据：须为 JSON 对象（格式见数据字典）");
        return;
    }
    int year = year_for(o, entity);
    hq_factbatch *fb = factbatch_new(c, year, 1);
    hq_diag d;
    diag_init(&d);
    if (!fb) op_fail(o, OPR_INTERNAL, NULL, "内存不足");
    else if (entity_load(c, entity, fb, 0, &d)) op_fail_diag(o, OPR_BAD_DATA, "bad_entity", "企业数据有误：", &d);
    else {
        hq_outcome oc = rvm_eval_one(o->ctx->vm, fb, 0, it);
        hq_strbuf sb;
        sb_init(&sb, 1 << 20);
        explain_item(o->ctx->vm, c, it, &oc, &sb);
        append_provenance(c, it, entity, &sb);
        char decision[24], amount[32];
        decision_id(c, fb->ids[0].credit_code, year, it, &oc, decision);
        fen_format(oc.amount_fen, false, amount, sizeof amount);
        op_ok(o, json_pack("{s:s, s:s, s:i, s:s, s:s, s:I, s:s, s:s, s:s, s:s}", "item", it->id, "credit_code",
                           fb->ids[0].credit_code, "year", year, "status", status_code((hq_status)oc.status), "status_zh",
                           status_label_zh((hq_status)oc.status), "amount_fen", (json_int_t)oc.amount_fen, "amount", amount,
                           "decision_id", decision, "corpus_hash", c->hash, "explanation", sb_str(&sb)));
        sb_free(&sb);
    }
    diag_free(&d);
    factbatch_free(fb);
}

/* An enterprise may read only its own credit code; the other roles may read any entity. */
static bool may_read_entity(hq_op *o, const char *code)
{
    const hq_identity *who = &o->ctx->who;
    if (who->role != ROLE_ENTERPRISE || !strcmp(who->credit_code, code)) return true;
    op_audit_denied(o, code, json_pack("{s:s}", "reason", "enterprise reading another enterprise"));
    op_fail(o, OPR_FORBIDDEN, "entity", "企业用户只能查看本企业（%s）的数据", who->credit_code);
    return false;
}

/* The stored entity document and its id, or an error result. */
static json_t *stored_entity(hq_op *o, const char *code, int64_t *id)
{
    json_t *doc = NULL;
    int rc = store_entity_find(o->ctx->s, code, id);
    if (rc == 0) rc = ledger_entity_doc(o->ctx->s, *id, &doc);
    if (rc == 1) op_fail(o, OPR_NOT_FOUND, "entity", "企业 %s 不在名录中", code);
    else if (rc) op_store_error(o);
    return rc == 0 ? doc : NULL;
}

void op_entity(hq_op *o)
{
    const char *code = op_str(o, "entity");
    int64_t id;
    json_t *doc;
    if (may_read_entity(o, code) && (doc = stored_entity(o, code, &id))) op_ok(o, doc);
}

/* The entity as the ledger knows it, with the awards the ledger has approved or paid and
 * the imported past awards as history. */
void op_entity_evaluate(hq_op *o)
{
    const char *code = op_str(o, "entity");
    int64_t id;
    json_t *doc;
    if (!may_read_entity(o, code) || !(doc = stored_entity(o, code, &id))) return;
    hq_history h;
    hq_diag d;
    diag_init(&d);
    if (ledger_history(o->ctx->s, o->ctx->c, id, 0, &h, &d)) op_fail_diag(o, OPR_UNAVAILABLE, "unavailable", "既往奖补记录无法读取：", &d);
    else assess_with(o, doc, year_for(o, doc), &h, op_json(o, "overlay"), true, op_bool(o, "all"));
    history_free(&h);
    diag_free(&d);
    json_decref(doc);
}

/* ---- what-if pricing ------------------------------------------------------------------------ */

/* Per item or district: what would be paid before and after the change, and what the rules
 * compute before 附则3 (no stacking, the annual cap…) takes its share. */
typedef struct {
    char key[96];
    int64_t before, after, rule_before, rule_after;
} tally;

typedef struct {
    tally *v;
    int n, cap;
    int64_t total_before, total_after, rule_before, rule_after;
} tallies;

enum { TALLIES_MAX = 100000 };

static tally *tally_of(tallies *t, const char *key)
{
    for (int i = 0; i < t->n; i++)
        if (!strcmp(t->v[i].key, key)) return &t->v[i];
    if (t->n == t->cap) {
        if (t->cap >= TALLIES_MAX) return NULL;
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

static void whatif_sink(void *ud, const char *district, const hq_item *it, int64_t rule_fen, int64_t fen)
{
    whatif_acc *w = ud;
    if (it->voucher) return; /* pricing is of cash; 服务券 are not 奖补资金 */
    tally *a = tally_of(&w->items, it->id), *b = tally_of(&w->districts, district && *district ? district : "(未知)");
    tally *t[] = {a, b};
    for (int i = 0; i < 2; i++) {
        if (!t[i]) continue;
        *(w->after ? &t[i]->after : &t[i]->before) += fen;
        *(w->after ? &t[i]->rule_after : &t[i]->rule_before) += rule_fen;
    }
    *(w->after ? &w->items.total_after : &w->items.total_before) += fen;
    *(w->after ? &w->items.rule_after : &w->items.rule_before) += rule_fen;
}

/* Where a change went: the rules' own change, minus the change that reaches firms, is what
 * 附则3 took (positive: absorbed; negative: a cut the annual cap had already absorbed). */
static json_t *absorbed_json(int64_t rule_before, int64_t rule_after, int64_t before, int64_t after)
{
    return json_pack("{s:I, s:I, s:I, s:I}", "rule_before_fen", (json_int_t)rule_before, "rule_after_fen", (json_int_t)rule_after,
                     "rule_change_fen", (json_int_t)(rule_after - rule_before), "absorbed_fen",
                     (json_int_t)((rule_after - rule_before) - (after - before)));
}

static json_t *tallies_json(const tallies *t, const hq_corpus *c, bool items)
{
    json_t *a = json_array();
    for (int i = 0; i < t->n; i++) {
        const tally *x = &t->v[i];
        if (x->before == x->after && x->rule_before == x->rule_after && items) continue;
        json_t *j = json_pack("{s:s, s:I, s:I, s:I}", "key", x->key, "before_fen", (json_int_t)x->before, "after_fen",
                              (json_int_t)x->after, "change_fen", (json_int_t)(x->after - x->before));
        json_t *absorbed = absorbed_json(x->rule_before, x->rule_after, x->before, x->after);
        json_object_update(j, absorbed);
        json_decref(absorbed);
        const hq_item *it = items ? corpus_find_item(c, x->key) : NULL;
        if (it) json_object_set_new(j, "title", json_string(it->title));
        json_array_append_new(a, j);
    }
    return a;
}

/* The dashboard's figure the pricing's baseline corresponds to: the year's cash awards not
 * yet decided (待申报 and 办理中), as the ledger holds them since the last match. */
static int open_one(const hq_award_rec *a, void *ud)
{
    unsigned open = WF_UNTOUCHED | WF_FROM(APPLIED) | WF_FROM(ACCEPTED) | WF_FROM(RETURNED);
    if (!a->voucher && (open >> a->state & 1)) *(int64_t *)ud += a->amount_fen;
    return 0;
}

/* Pricing matches the ledger twice (current rules, then the overlay): a job's progress counts
 * both passes as one run. */
typedef struct {
    const hq_op_ctx *ctx;
    bool second;
} two_passes;

static void pass_progress(void *ud, long long done, long long total)
{
    const two_passes *p = ud;
    p->ctx->on_progress(p->ctx->progress_ud, (p->second ? total : 0) + done, 2 * total);
}

/* Every entity in the ledger evaluated under the current rules and under the overlay (附则3
 * against the ledger in both), the cash awards totalled before and after, by item and by
 * district. Nothing is written but the audit row saying who priced what. */
void op_whatif(hq_op *o)
{
    long long year;
    op_int(o, "year", &year);
    const json_t *overlay = op_json(o, "overlay");
    const hq_corpus *base = o->ctx->c;
    hq_diag d;
    diag_init(&d);
    json_t *changes = json_array();
    hq_corpus *derived = NULL;
    if (!json_is_array(overlay)) op_fail(o, OPR_BAD_REQUEST, "overlay", "测算假设：须为变更列表");
    else if (!(derived = overlay_new(base, overlay, changes, &d))) op_fail_diag(o, OPR_BAD_REQUEST, "bad_overlay", "测算假设有误：", &d);
    else {
        whatif_acc acc = {0};
        two_passes passes = {.ctx = o->ctx, .second = false};
        hq_match_opts mo = {.year = (int)year, .db_path = o->ctx->db_path, .actor = "whatif", .sink = whatif_sink, .sink_ud = &acc,
                            .progress = o->ctx->progress, .on_progress = o->ctx->on_progress ? pass_progress : NULL,
                            .progress_ud = &passes};
        hq_match_result res = {.diag = &d};
        int rc = ledger_match(o->ctx->s, base, &mo, &res);
        acc.after = passes.second = true;
        hq_match_result res2 = {.diag = &d};
        if (rc == 0) rc = ledger_match(o->ctx->s, derived, &mo, &res2);
        if (rc) op_fail(o, OPR_INTERNAL, NULL, "测算失败：%s", d.count ? d.items[0].message : "");
        else {
            json_t *out = json_pack("{s:b, s:i, s:s, s:s, s:O, s:I, s:I, s:I, s:I, s:o, s:o}", "whatif", 1, "year", (int)year,
                                    "base_corpus_hash", base->hash, "overlay_corpus_hash", derived->hash, "overlay_changes",
                                    changes, "entities", (json_int_t)res.entities, "before_fen",
                                    (json_int_t)acc.items.total_before, "after_fen", (json_int_t)acc.items.total_after,
                                    "change_fen", (json_int_t)(acc.items.total_after - acc.items.total_before), "by_item",
                                    tallies_json(&acc.items, base, true), "by_district", tallies_json(&acc.districts, base, false));
            int64_t open_fen = 0;
            hq_award_filter f = {.year = (int)year, .state = -1};
            if (store_award_list(o->ctx->s, &f, open_one, &open_fen) == 0)
                json_object_set_new(out, "ledger_open_fen", json_integer(open_fen));
            json_t *absorbed = absorbed_json(acc.items.rule_before, acc.items.rule_after, acc.items.total_before, acc.items.total_after);
            json_object_update(out, absorbed);
            json_decref(absorbed);
            json_t *after = json_pack("{s:O, s:i}", "overlay", overlay, "year", (int)year);
            hq_store *s = o->ctx->s;
            if (store_begin(s) || audit_log(s, o->ctx->who.actor, "whatif", "overlay", NULL, after) || store_commit(s)) {
                store_rollback(s);
                json_decref(out);
                op_store_error(o);
            } else {
                op_ok(o, out);
            }
            json_decref(after);
        }
        free(acc.items.v);
        free(acc.districts.v);
    }
    overlay_free(derived);
    json_decref(changes);
    diag_free(&d);
}
