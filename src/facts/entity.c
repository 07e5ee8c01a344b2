/*
 * Entity JSON → fact row. Two passes: validate() walks every key the document has and
 * checks it against the corpus (unknown facts, wrong types, bad dates, the credit code's
 * check character); fill() then reads, for each slot of the row layout, the value the rules
 * need for the batch's year. Keeping them apart means a bad document writes nothing.
 */
#include "facts/entity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fixed.h"
#include "eval/program.h"
#include "facts/uscc.h"
#include "rules/rlex.h"

static const char *IDENTITY_FACTS[] = {"district", "registered", "entity_type", "industry"};

static const char *parse_date(const char *s, int64_t *out)
{
    int y, m, d;
    char tail;
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || s[4] != '-' || s[7] != '-')
        return "expected a date as \"YYYY-MM-DD\"";
    if (!rlex_valid_date(y, m, d)) return "not a calendar date";
    *out = rlex_days_from_civil(y, m, d);
    return NULL;
}

const char *entity_parse_value(const hq_corpus *c, hq_type type, const json_t *v, int64_t *out)
{
    switch (type.kind) {
    case HT_BOOL:
        if (!json_is_boolean(v)) return "expected true or false";
        *out = json_is_true(v);
        return NULL;
    case HT_COUNT:
    case HT_MONEY: {
        if (json_is_integer(v)) {
            if (!fixed_from_int(json_integer_value(v), out)) return "number too large";
            return NULL;
        }
        if (json_is_real(v))
            return type.kind == HT_MONEY ? "money must be a string such as \"1234.56\" or a whole number of 元: "
                                           "floating-point JSON numbers are not exact"
                                         : "expected a whole number or a decimal string";
        if (!json_is_string(v)) return type.kind == HT_MONEY ? "expected money in 元 as a string such as \"1234.56\"" : "expected a number";
        const char *s = json_string_value(v);
        return fixed_parse(s, strlen(s), type.kind == HT_MONEY ? 2 : 6, out);
    }
    case HT_RATE: {
        if (!json_is_string(v)) return "expected a rate as a string such as \"12.5%\"";
        const char *s = json_string_value(v);
        size_t n = strlen(s);
        bool pct = n > 0 && s[n - 1] == '%';
        const char *e = fixed_parse(s, pct ? n - 1 : n, pct ? 4 : 6, out);
        if (e) return e;
        if (pct) *out /= 100;
        return NULL;
    }
    case HT_DATE:
        if (!json_is_string(v)) return "expected a date as \"YYYY-MM-DD\"";
        return parse_date(json_string_value(v), out);
    case HT_ENUM: {
        if (!json_is_string(v)) return "expected a string";
        int k = enum_value(c->enums[type.enum_id], json_string_value(v));
        if (k < 0) return "not one of the values declared for this fact";
        *out = k;
        return NULL;
    }
    default:
        return "unsupported type";
    }
}

/* ---- pass 1: validation ---------------------------------------------------------------- */

static void check_fact_value(const hq_corpus *c, int f, const json_t *v, const char *path, hq_diag *d)
{
    if (json_is_null(v)) return; /* explicitly unknown */
    int64_t tmp;
    const char *e = entity_parse_value(c, c->facts[f]->type, v, &tmp);
    if (e) {
        if (c->facts[f]->type.kind == HT_ENUM && json_is_string(v))
            diag_add(d, path, "'%s' is not a value of %s", json_string_value(v), c->enums[c->facts[f]->type.enum_id]->name);
        else
            diag_add(d, path, "%s", e);
    }
}

static void check_facts_object(const hq_corpus *c, const json_t *obj, bool yearly, const char *base, hq_diag *d)
{
    const char *key;
    const json_t *v;
    char path[256];
    if (!json_is_object(obj)) {
        diag_add(d, base, "expected an object");
        return;
    }
    json_object_foreach((json_t *)obj, key, v) {
        snprintf(path, sizeof path, "%s.%s", base, key);
        int f = corpus_find_fact(c, key);
        if (f < 0) diag_add(d, path, "unknown fact '%s' (see `huiqi facts`)", key);
        else if (c->facts[f]->yearly != yearly)
            diag_add(d, path, yearly ? "'%s' is not a yearly fact: put it under facts" : "'%s' is a yearly fact: put it under years.YYYY", key);
        else check_fact_value(c, f, v, path, d);
    }
}

static void check_recognitions(const hq_corpus *c, const json_t *arr, hq_diag *d)
{
    if (!json_is_array(arr)) {
        diag_add(d, "$.recognitions", "expected an array");
        return;
    }
    size_t i;
    const json_t *r;
    char path[128];
    json_array_foreach((json_t *)arr, i, r) {
        snprintf(path, sizeof path, "$.recognitions[%zu]", i);
        if (!json_is_object(r)) {
            diag_add(d, path, "expected an object with name, level and date");
            continue;
        }
        const char *key;
        const json_t *v;
        json_object_foreach((json_t *)r, key, v) if (strcmp(key, "name") && strcmp(key, "level") && strcmp(key, "grade") &&
                                                     strcmp(key, "date") && strcmp(key, "source"))
            diag_add(d, path, "unknown key '%s' (expected name, level, grade, date, source)", key);
        const json_t *name = json_object_get(r, "name");
        int k = json_is_string(name) ? corpus_find_recognition(c, json_string_value(name)) : -1;
        if (k < 0) {
            diag_add(d, path, json_is_string(name) ? "unknown recognition '%s'" : "name: expected a string%s",
                     json_is_string(name) ? json_string_value(name) : "");
            continue;
        }
        const hq_recognition *rec = c->recognitions[k];
        int64_t tmp;
        const json_t *date = json_object_get(r, "date");
        const char *e = json_is_string(date) ? parse_date(json_string_value(date), &tmp) : "expected a date as \"YYYY-MM-DD\"";
        if (e) diag_add(d, path, "date: %s", e);
        const json_t *level = json_object_get(r, "level");
        if (rec->levels_enum >= 0) {
            if (!json_is_string(level) || enum_value(c->enums[rec->levels_enum], json_string_value(level)) <= 0)
                diag_add(d, path, "level: expected one of the levels of %s", c->enums[rec->levels_enum]->name);
        } else if (level) {
            diag_add(d, path, "level: recognition '%s' has no levels", rec->name);
        }
        const json_t *grade = json_object_get(r, "grade");
        if (rec->grades_enum >= 0) {
            if (!json_is_string(grade) || enum_value(c->enums[rec->grades_enum], json_string_value(grade)) <= 0)
                diag_add(d, path, "grade: expected one of the grades of %s", c->enums[rec->grades_enum]->name);
        } else if (grade) {
            diag_add(d, path, "grade: recognition '%s' has no grades", rec->name);
        }
    }
}

static void check_lists(const hq_corpus *c, const json_t *arr, hq_diag *d)
{
    if (!json_is_array(arr)) {
        diag_add(d, "$.lists", "expected an array of list names");
        return;
    }
    size_t i;
    const json_t *v;
    char path[64];
    json_array_foreach((json_t *)arr, i, v) {
        snprintf(path, sizeof path, "$.lists[%zu]", i);
        if (!json_is_string(v) || corpus_find_list(c, json_string_value(v)) < 0)
            diag_add(d, path, "unknown list%s%s", json_is_string(v) ? " " : "", json_is_string(v) ? json_string_value(v) : "");
    }
}

static void check_years(const hq_corpus *c, const json_t *years, hq_diag *d)
{
    if (!json_is_object(years)) {
        diag_add(d, "$.years", "expected an object keyed by year");
        return;
    }
    const char *key;
    const json_t *v;
    char path[64];
    json_object_foreach((json_t *)years, key, v) {
        snprintf(path, sizeof path, "$.years.%s", key);
        char *end;
        long y = strtol(key, &end, 10);
        if (*end || strlen(key) != 4 || y < 1980 || y > 2100) diag_add(d, path, "expected a four-digit year as the key");
        else check_facts_object(c, v, true, path, d);
    }
}

static void check_provenance(const json_t *p, hq_diag *d)
{
    if (!json_is_object(p)) {
        diag_add(d, "$.provenance", "expected an object: fact name → {dataset, date}");
        return;
    }
    const char *key;
    const json_t *v;
    char path[256];
    json_object_foreach((json_t *)p, key, v) {
        snprintf(path, sizeof path, "$.provenance.%s", key);
        int64_t tmp;
        const json_t *date = json_object_get(v, "date");
        if (!json_is_object(v) || !json_is_string(json_object_get(v, "dataset")))
            diag_add(d, path, "expected {\"dataset\": \"…\", \"date\": \"YYYY-MM-DD\"}");
        else if (date && (!json_is_string(date) || parse_date(json_string_value(date), &tmp)))
            diag_add(d, path, "date: expected \"YYYY-MM-DD\"");
    }
}

static void validate(const hq_corpus *c, const json_t *root, hq_diag *d)
{
    if (!json_is_object(root)) {
        diag_add(d, "$", "an entity is a JSON object");
        return;
    }
    const char *key;
    const json_t *v;
    char path[256];
    json_object_foreach((json_t *)root, key, v) {
        snprintf(path, sizeof path, "$.%s", key);
        if (!strcmp(key, "credit_code")) {
            char expected = '\0'; /* stays empty when the value is not even a string */
            const char *e = json_is_string(v) ? uscc_check(json_string_value(v), &expected) : "expected a string";
            if (e && expected) diag_add(d, path, "%s: '%c' should be '%c' (GB 32100-2015)", e, json_string_value(v)[17], expected);
            else if (e) diag_add(d, path, "%s", e);
        } else if (!strcmp(key, "name")) {
            if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) >= sizeof(((hq_entity_id *)0)->name))
                diag_add(d, path, "expected a non-empty name of at most 127 bytes");
        } else if (!strcmp(key, "facts")) check_facts_object(c, v, false, "$.facts", d);
        else if (!strcmp(key, "years")) check_years(c, v, d);
        else if (!strcmp(key, "lists")) check_lists(c, v, d);
        else if (!strcmp(key, "recognitions")) check_recognitions(c, v, d);
        else if (!strcmp(key, "provenance")) check_provenance(v, d);
        else {
            size_t k;
            for (k = 0; k < sizeof IDENTITY_FACTS / sizeof *IDENTITY_FACTS; k++)
                if (!strcmp(key, IDENTITY_FACTS[k])) break;
            int f = corpus_find_fact(c, key);
            if (k == sizeof IDENTITY_FACTS / sizeof *IDENTITY_FACTS || f < 0)
                diag_add(d, path, "unknown key '%s' (expected credit_code, name, district, registered, entity_type, "
                                  "industry, facts, years, lists, recognitions, provenance)", key);
            else check_fact_value(c, f, v, path, d);
        }
    }
    if (!json_is_string(json_object_get(root, "credit_code"))) diag_add(d, "$.credit_code", "required");
}

/* ---- pass 2: filling the row ---------------------------------------------------------- */

static const json_t *fact_json(const json_t *root, const hq_fact *f, int year)
{
    if (f->yearly) {
        char y[8];
        snprintf(y, sizeof y, "%d", year);
        const json_t *obj = json_object_get(json_object_get(root, "years"), y);
        return obj ? json_object_get(obj, f->name) : NULL;
    }
    const json_t *v = json_object_get(root, f->name);
    if (!v) v = json_object_get(json_object_get(root, "facts"), f->name);
    return v;
}

/* Best recognition of `rec` dated in [lo, hi]: its level (or 1 without levels) and grade. */
static void best_recognition(const hq_corpus *c, const json_t *arr, const hq_recognition *rec, long lo, long hi,
                             int64_t *level, int64_t *grade)
{
    *level = *grade = 0;
    size_t i;
    const json_t *r;
    json_array_foreach((json_t *)arr, i, r) {
        if (strcmp(json_string_value(json_object_get(r, "name")), rec->name)) continue;
        int64_t day;
        parse_date(json_string_value(json_object_get(r, "date")), &day);
        if (day < lo || day > hi) continue;
        int64_t lv = rec->levels_enum >= 0 ? enum_value(c->enums[rec->levels_enum], json_string_value(json_object_get(r, "level"))) : 1;
        int64_t gr = rec->grades_enum >= 0 ? enum_value(c->enums[rec->grades_enum], json_string_value(json_object_get(r, "grade"))) : 0;
        if (lv > *level || (lv == *level && gr > *grade)) {
            *level = lv;
            *grade = gr;
        }
    }
}

static void fill(const hq_corpus *c, const json_t *root, hq_factbatch *fb, int row)
{
    const hq_slots *s = c->slots;
    long jan1 = rlex_days_from_civil(fb->year, 1, 1), dec31 = rlex_days_from_civil(fb->year, 12, 31);
    const json_t *lists = json_object_get(root, "lists");
    const json_t *recs = json_object_get(root, "recognitions");
    for (int k = 0; k < s->n; k++) {
        const hq_slot *sl = &s->v[k];
        int64_t v, grade;
        switch ((hq_slot_kind)sl->kind) {
        case SLOT_FACT: {
            const hq_fact *f = c->facts[sl->ref];
            const json_t *j = fact_json(root, f, fb->year + sl->year_offset);
            if (j && !json_is_null(j) && !entity_parse_value(c, f->type, j, &v)) factbatch_set(fb, row, k, v);
            break;
        }
        case SLOT_LIST:
            if (!lists) break;
            v = 0;
            for (size_t i = 0; i < json_array_size(lists); i++)
                if (!strcmp(json_string_value(json_array_get(lists, i)), c->lists[sl->ref]->name)) v = 1;
            factbatch_set(fb, row, k, v);
            break;
        case SLOT_REC_NEW:
        case SLOT_REC_GRADE:
            if (!recs) break;
            best_recognition(c, recs, c->recognitions[sl->ref], jan1 > sl->win_lo ? jan1 : sl->win_lo,
                             dec31 < sl->win_hi ? dec31 : sl->win_hi, &v, &grade);
            factbatch_set(fb, row, k, sl->kind == SLOT_REC_NEW ? v : grade);
            break;
        case SLOT_REC_HELD:
            if (!recs) break;
            best_recognition(c, recs, c->recognitions[sl->ref], 0, dec31, &v, &grade);
            factbatch_set(fb, row, k, v);
            break;
        }
    }
    hq_entity_id *id = &fb->ids[row];
    snprintf(id->credit_code, sizeof id->credit_code, "%s", json_string_value(json_object_get(root, "credit_code")));
    const json_t *name = json_object_get(root, "name");
    snprintf(id->name, sizeof id->name, "%s", json_is_string(name) ? json_string_value(name) : "");
}

int entity_load(const hq_corpus *c, const json_t *root, hq_factbatch *fb, int row, hq_diag *diag)
{
    int before = diag->count;
    validate(c, root, diag);
    factbatch_clear_row(fb, row);
    if (diag->count != before) return -1;
    fill(c, root, fb, row);
    return 0;
}
