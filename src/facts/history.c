/*
 * A history of past awards read from its JSON form; see history.h.
 */
#include "facts/history.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/calendar.h"
#include "base/fixed.h"
#include "facts/entity.h"

enum { HISTORY_MAX = 10000 };


static bool year_ok(const json_t *v)
{
    return json_is_integer(v) && json_integer_value(v) >= HQ_YEAR_MIN && json_integer_value(v) <= HQ_YEAR_MAX;
}

/* Fill `p` from what a source says of a past award, taking the rest from the item: its
 * project and basis, the year received from the data year (附则2) or the other way round.
 * `year` or `data_year` may be 0 (not given), not both. Problems go to `d` under `path`. */
static void fill(const hq_corpus *c, hq_past_award *p, const char *item, const char *part, const char *project,
                 const char *basis, int year, int data_year, const char *path, hq_diag *d)
{
    const hq_item *it = item && *item ? corpus_find_item(c, item) : NULL;
    if (item && *item) snprintf(p->item_id, sizeof p->item_id, "%s", item);
    if (item && *item && !it) diag_add(d, path, "条款：规则库中没有条款 %s", item);
    int pi = -1;
    if (part && *part && it) {
        for (int i = 0; i < it->nparts && it->has_parts; i++)
            if (!strcmp(it->parts[i].label, part)) pi = i;
        if (pi < 0) diag_add(d, path, "部分：条款 %s 没有部分「%s」", it->id, part);
    } else if (part && *part && !it) {
        diag_add(d, path, "部分：须同时给出所属条款%s", "");
    }
    if (part) snprintf(p->part, sizeof p->part, "%s", part);
    const hq_terms *t = it ? &it->parts[pi >= 0 ? pi : 0].terms : NULL;
    if (it && pi < 0 && it->has_parts) t = &it->terms;
    if ((!project || !*project) && t) project = t->project;
    if (project && strlen(project) >= sizeof p->project)
        diag_add(d, path, "项目名称：超过%d字节", (int)sizeof p->project - 1);
    else if (project) snprintf(p->project, sizeof p->project, "%s", project);
    if (!it && !p->project[0]) diag_add(d, path, "须给出条款编号或项目名称%s", "");
    p->basis = t ? t->basis : BASIS_NONE;
    if (basis && *basis) {
        p->basis = basis_parse(basis);
        if (p->basis == BASIS_NONE) diag_add(d, path, "计奖依据：应为 %s 之一", basis_names_text());
    }
    /* Either year gives the other: an award is received the year its data year says
     * (附则2), and a past award given by the year received rests on that year's data. */
    p->data_year = data_year ? data_year : year;
    p->year = year ? year : item_received_year(it, p->data_year);
    p->basis_year = p->data_year + (t && p->basis == t->basis ? t->basis_offset : 0);
    p->recur = it ? item_recur(it) : RECUR__COUNT;
    p->voucher = p->voucher || (it && it->voucher);
}

static void past_award_load(const hq_corpus *c, const json_t *e, const char *path, hq_past_award *p, hq_diag *d)
{
    static const char *KEYS[] = {"item", "part", "project", "basis", "year", "data_year", "level", "amount", "form", "note"};
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)e, key, v) {
        size_t k;
        for (k = 0; k < sizeof KEYS / sizeof *KEYS; k++)
            if (!strcmp(key, KEYS[k])) break;
        if (k == sizeof KEYS / sizeof *KEYS)
            diag_add(d, path, "既往奖补记录中有未知字段「%s」", key);
    }
    const json_t *yj = json_object_get(e, "year"), *dyj = json_object_get(e, "data_year");
    if (yj && !year_ok(yj)) diag_add(d, path, "奖补年度：应为年份%s", "");
    if (dyj && !year_ok(dyj)) diag_add(d, path, "数据年度：应为年份%s", "");
    if (!yj && !dyj) diag_add(d, path, "奖补年度：应为年份（或给出数据年度）%s", "");
    const char *level = json_string_value(json_object_get(e, "level"));
    if (level && strcmp(level, "市") && strcmp(level, "区")) diag_add(d, path, "兑付层级：应为「市」或「区」%s", "");
    p->district_level = level && !strcmp(level, "区");
    const char *form = json_string_value(json_object_get(e, "form"));
    if (form && strcmp(form, "现金") && strcmp(form, "服务券")) diag_add(d, path, "兑付形式：应为「现金」或「服务券」%s", "");
    p->voucher = form && !strcmp(form, "服务券");
    fill(c, p, json_string_value(json_object_get(e, "item")), json_string_value(json_object_get(e, "part")),
         json_string_value(json_object_get(e, "project")), json_string_value(json_object_get(e, "basis")),
         year_ok(yj) ? (int)json_integer_value(yj) : 0, year_ok(dyj) ? (int)json_integer_value(dyj) : 0, path, d);
    hq_type money = {.kind = HT_MONEY};
    int64_t amt;
    const char *err = json_object_get(e, "amount") ? entity_parse_value(c, money, json_object_get(e, "amount"), &amt) : "必填";
    if (err) diag_add(d, path, "金额：%s", err);
    else p->amount_fen = fixed_to_fen(amt);
}

int history_add(const hq_corpus *c, hq_history *h, const hq_past_award_text *a, hq_diag *d)
{
    if (h->n == h->cap) {
        if (h->cap >= HISTORY_MAX) {
            diag_add(d, "history", "既往奖补超过%d条", HISTORY_MAX);
            return -1;
        }
        int cap = h->cap ? h->cap * 2 : 16;
        hq_past_award *v = realloc(h->v, sizeof *v * (size_t)cap);
        if (!v) return -1;
        h->v = v;
        h->cap = cap;
    }
    hq_past_award *p = &h->v[h->n];
    memset(p, 0, sizeof *p);
    p->district_level = a->district_level;
    p->voucher = a->voucher;
    p->amount_fen = a->amount_fen;
    int before = d->count;
    char where[96];
    snprintf(where, sizeof where, "history[%d]", h->n);
    fill(c, p, a->item, a->part, a->project, a->basis, a->year, a->data_year, where, d);
    if (d->count != before) return -1;
    h->n++;
    return 0;
}

int history_load(const hq_corpus *c, const json_t *j, hq_history *h, hq_diag *d)
{
    memset(h, 0, sizeof *h);
    const json_t *arr = json_is_object(j) ? json_object_get(j, "awards") : j;
    if (!json_is_array(arr)) {
        diag_add(d, "$", "既往奖补记录应为数组（或 {\"awards\": [...]}）");
        return -1;
    }
    size_t n = json_array_size(arr);
    if (n > HISTORY_MAX) {
        diag_add(d, "$", "既往奖补超过%d条", HISTORY_MAX);
        return -1;
    }
    h->v = calloc(n ? n : 1, sizeof *h->v);
    if (!h->v) return -1;
    int before = d->count;
    size_t i;
    const json_t *e;
    char path[64];
    json_array_foreach((json_t *)arr, i, e) {
        snprintf(path, sizeof path, "$[%zu]", i);
        if (!json_is_object(e)) diag_add(d, path, "应为对象");
        else past_award_load(c, e, path, &h->v[i], d);
    }
    h->n = h->cap = (int)n;
    if (d->count != before) {
        history_free(h);
        return -1;
    }
    return 0;
}

void history_free(hq_history *h)
{
    free(h->v);
    memset(h, 0, sizeof *h);
}

