/*
 * Entity JSON → fact row. Two passes: validate() walks every key the document has and
 * checks it against the corpus (unknown facts, wrong types, bad dates, the credit code's
 * check character); fill() then reads, for each slot of the row layout, the value the rules
 * need for the batch's year. Keeping them apart means a bad document writes nothing.
 */
#include "base/calendar.h"
#include "facts/entity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fixed.h"
#include "rules/corpus.h"
#include "rules/program.h"
#include "facts/uscc.h"

static const char *IDENTITY_FACTS[] = {"district", "registered", "entity_type", "industry"};

bool entity_identity_fact(const char *fact)
{
    for (size_t k = 0; k < sizeof IDENTITY_FACTS / sizeof *IDENTITY_FACTS; k++)
        if (!strcmp(fact, IDENTITY_FACTS[k])) return true;
    return false;
}

static const char *parse_date(const char *s, int64_t *out)
{
    int y, m, d;
    char tail;
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || s[4] != '-' || s[7] != '-')
        return "应为日期，格式 YYYY-MM-DD";
    if (!cal_valid_date(y, m, d)) return "不是有效的日期";
    *out = cal_days_from_civil(y, m, d);
    return NULL;
}

const char *entity_parse_value(const hq_corpus *c, hq_type type, const json_t *v, int64_t *out)
{
    switch (type.kind) {
    case HT_BOOL:
        if (!json_is_boolean(v)) return "应为 true 或 false";
        *out = json_is_true(v);
        return NULL;
    case HT_COUNT:
    case HT_MONEY: {
        /* Amounts and counts are never negative: the importer refuses them, and so does
         * every other way in (eval, explain, the calculator), so one entity reads alike. */
        const char *neg = type.kind == HT_MONEY ? "金额不能为负" : "不能为负";
        if (json_is_integer(v)) {
            if (!fixed_from_int(json_integer_value(v), out)) return "数字过大";
            return *out < 0 ? neg : NULL;
        }
        if (json_is_real(v))
            return type.kind == HT_MONEY ? "金额应为字符串（如 \"1234.56\"）或整数元：JSON 小数不精确"
                                         : "应为整数或小数字符串";
        if (!json_is_string(v)) return type.kind == HT_MONEY ? "应为以元计的金额字符串，如 \"1234.56\"" : "应为数字";
        const char *s = json_string_value(v);
        const char *e = fixed_parse(s, strlen(s), type.kind == HT_MONEY ? 2 : 6, out);
        return e ? e : *out < 0 ? neg : NULL;
    }
    case HT_RATE: {
        if (!json_is_string(v)) return "应为比例字符串，如 \"12.5%\"";
        const char *s = json_string_value(v);
        size_t n = strlen(s);
        bool pct = n > 0 && s[n - 1] == '%';
        const char *e = fixed_parse(s, pct ? n - 1 : n, pct ? 4 : 6, out);
        if (e) return e;
        if (pct) *out /= 100;
        return NULL;
    }
    case HT_DATE:
        if (!json_is_string(v)) return "应为日期，格式 YYYY-MM-DD";
        return parse_date(json_string_value(v), out);
    case HT_ENUM: {
        if (!json_is_string(v)) return "应为文字";
        int k = enum_value(c->enums[type.enum_id], json_string_value(v));
        if (k < 0) return "不是该项数据允许的取值";
        *out = k;
        return NULL;
    }
    default:
        return "不支持的数据类型";
    }
}

/* ---- pass 1: validation ---------------------------------------------------------------- */

/* The name a person reads for a fact: its Chinese label from the corpus (the identifier stays
 * in the diagnostic's `where`, which is the machine-readable field path). */
static const char *fact_label(const hq_fact *f)
{
    return f->label && *f->label ? f->label : f->name;
}

/* "应为以下之一：国家、省、市" for an enum, into buf (borrowed by the caller). */
static const char *enum_choices(const hq_corpus *c, int enum_id, char *buf, size_t size)
{
    const hq_enum *en = c->enums[enum_id];
    size_t o = (size_t)snprintf(buf, size, "应为以下之一：");
    for (int k = 1; k < en->nvalues && o < size; k++)
        o += (size_t)snprintf(buf + o, size - o, "%s%s", k > 1 ? "、" : "", en->values[k]);
    return buf;
}

static void check_fact_value(const hq_corpus *c, int f, const json_t *v, const char *path, hq_diag *d)
{
    if (json_is_null(v)) return; /* explicitly unknown */
    int64_t tmp;
    char buf[512];
    const char *e = entity_parse_value(c, c->facts[f]->type, v, &tmp);
    if (e) {
        if (c->facts[f]->type.kind == HT_ENUM && json_is_string(v))
            diag_add(d, path, "%s：「%s」不是允许的取值，%s", fact_label(c->facts[f]), json_string_value(v), enum_choices(c, c->facts[f]->type.enum_id, buf, sizeof buf));
        else
            diag_add(d, path, "%s：%s", fact_label(c->facts[f]), e);
    }
}

static void check_facts_object(const hq_corpus *c, const json_t *obj, bool yearly, const char *base, hq_diag *d)
{
    const char *key;
    const json_t *v;
    char path[256];
    if (!json_is_object(obj)) {
        diag_add(d, base, "应为对象");
        return;
    }
    json_object_foreach((json_t *)obj, key, v) {
        snprintf(path, sizeof path, "%s.%s", base, key);
        int f = corpus_find_fact(c, key);
        if (f < 0) diag_add(d, path, "未知的数据项「%s」（可用数据项见数据字典）", key);
        else if (c->facts[f]->yearly != yearly)
            diag_add(d, path, yearly ? "「%s」不是年度数据，应放在 facts 下" : "「%s」是年度数据，应放在 years 下对应年份中", fact_label(c->facts[f]));
        else check_fact_value(c, f, v, path, d);
    }
}

static void check_recognitions(const hq_corpus *c, const json_t *arr, hq_diag *d)
{
    if (!json_is_array(arr)) {
        diag_add(d, "$.recognitions", "认定记录应为数组");
        return;
    }
    size_t i;
    const json_t *r;
    char path[128], buf[512];
    json_array_foreach((json_t *)arr, i, r) {
        snprintf(path, sizeof path, "$.recognitions[%zu]", i);
        if (!json_is_object(r)) {
            diag_add(d, path, "认定记录应为对象，含名称、级别与日期");
            continue;
        }
        const char *key;
        const json_t *v;
        json_object_foreach((json_t *)r, key, v) if (strcmp(key, "name") && strcmp(key, "level") && strcmp(key, "grade") &&
                                                     strcmp(key, "date") && strcmp(key, "source") && strcmp(key, "subject"))
            diag_add(d, path, "认定记录中有未知字段「%s」", key);
        const json_t *subject = json_object_get(r, "subject");
        if (subject) {
            const char *e = entity_check_subject(json_string_value(subject));
            if (e) diag_add(d, path, "认定对象：%s", e);
        }
        const json_t *name = json_object_get(r, "name");
        int k = json_is_string(name) ? corpus_find_recognition(c, json_string_value(name)) : -1;
        if (k < 0) {
            diag_add(d, path, json_is_string(name) ? "未知的认定「%s」" : "认定名称：应为文字%s",
                     json_is_string(name) ? json_string_value(name) : "");
            continue;
        }
        const hq_recognition *rec = c->recognitions[k];
        int64_t tmp;
        const json_t *date = json_object_get(r, "date");
        const char *e = json_is_string(date) ? parse_date(json_string_value(date), &tmp) : "应为日期，格式 YYYY-MM-DD";
        if (e) diag_add(d, path, "认定日期：%s", e);
        const json_t *level = json_object_get(r, "level");
        if (rec->levels_enum >= 0) {
            if (!json_is_string(level) || enum_value(c->enums[rec->levels_enum], json_string_value(level)) <= 0)
                diag_add(d, path, "认定级别：%s", enum_choices(c, rec->levels_enum, buf, sizeof buf));
        } else if (level) {
            diag_add(d, path, "认定级别：%s不分级别", rec->label ? rec->label : rec->name);
        }
        const json_t *grade = json_object_get(r, "grade");
        if (rec->grades_enum >= 0) {
            if (!json_is_string(grade) || enum_value(c->enums[rec->grades_enum], json_string_value(grade)) <= 0)
                diag_add(d, path, "认定等级：%s", enum_choices(c, rec->grades_enum, buf, sizeof buf));
        } else if (grade) {
            diag_add(d, path, "认定等级：%s不分等级", rec->label ? rec->label : rec->name);
        }
    }
}

static void check_lists(const hq_corpus *c, const json_t *arr, hq_diag *d)
{
    if (!json_is_array(arr)) {
        diag_add(d, "$.lists", "名录应为名录名称的数组");
        return;
    }
    size_t i;
    const json_t *v;
    char path[64];
    json_array_foreach((json_t *)arr, i, v) {
        snprintf(path, sizeof path, "$.lists[%zu]", i);
        if (!json_is_string(v) || corpus_find_list(c, json_string_value(v)) < 0)
            diag_add(d, path, "未知的名录%s%s", json_is_string(v) ? "：" : "", json_is_string(v) ? json_string_value(v) : "");
    }
}

static void check_years(const hq_corpus *c, const json_t *years, hq_diag *d)
{
    if (!json_is_object(years)) {
        diag_add(d, "$.years", "年度数据应为以年份为键的对象");
        return;
    }
    const char *key;
    const json_t *v;
    char path[64];
    json_object_foreach((json_t *)years, key, v) {
        snprintf(path, sizeof path, "$.years.%s", key);
        char *end;
        long y = strtol(key, &end, 10);
        if (*end || strlen(key) != 4 || y < HQ_YEAR_MIN || y > HQ_YEAR_MAX) diag_add(d, path, "年份应在%d至%d之间", HQ_YEAR_MIN, HQ_YEAR_MAX);
        else check_facts_object(c, v, true, path, d);
    }
}

static void check_provenance(const json_t *p, hq_diag *d)
{
    if (!json_is_object(p)) {
        diag_add(d, "$.provenance", "数据来源应为对象：数据项 → {dataset, date}");
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
            diag_add(d, path, "应为 {\"dataset\": \"…\", \"date\": \"YYYY-MM-DD\"}");
        else if (date && (!json_is_string(date) || parse_date(json_string_value(date), &tmp)))
            diag_add(d, path, "数据日期：应为日期，格式 YYYY-MM-DD");
    }
}

static void validate(const hq_corpus *c, const json_t *root, hq_diag *d)
{
    if (!json_is_object(root)) {
        diag_add(d, "$", "企业数据应为 JSON 对象");
        return;
    }
    const char *key;
    const json_t *v;
    char path[256];
    json_object_foreach((json_t *)root, key, v) {
        snprintf(path, sizeof path, "$.%s", key);
        if (!strcmp(key, "credit_code")) {
            char expected = '\0'; /* stays empty when the value is not even a string */
            const char *e = json_is_string(v) ? uscc_check(json_string_value(v), &expected) : "应为文字";
            if (e && expected) diag_add(d, path, "统一社会信用代码：%s，「%c」应为「%c」（GB 32100-2015）", e, json_string_value(v)[17], expected);
            else if (e) diag_add(d, path, "统一社会信用代码：%s", e);
        } else if (!strcmp(key, "name")) {
            if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) >= sizeof(((hq_entity_id *)0)->name))
                diag_add(d, path, "企业名称：不能为空，且不超过127字节");
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
                diag_add(d, path, "未知字段「%s」", key);
            else check_fact_value(c, f, v, path, d);
        }
    }
    if (!json_is_string(json_object_get(root, "credit_code"))) diag_add(d, "$.credit_code", "统一社会信用代码：必填");
}

/* ---- pass 2: filling the row ---------------------------------------------------------- */

/* A recognition the entity received, resolved against the corpus. */
typedef struct {
    int rec;                /* recognition index */
    int64_t level, grade;   /* enum values (level 1 for recognitions without levels) */
    long day;
    const char *subject;    /* borrowed; NULL when the record names none */
} held_rec;

enum { ENTITY_MAX_RECS = 512, ENTITY_MAX_LISTS = 64 };

/* Best recognition `rec` dated in [lo, hi]: its level (0 if none) and grade. */
static void best_recognition(const held_rec *h, int n, int rec, long lo, long hi, int64_t *level, int64_t *grade)
{
    *level = *grade = 0;
    for (int i = 0; i < n; i++) {
        if (h[i].rec != rec || h[i].day < lo || h[i].day > hi) continue;
        if (h[i].level > *level || (h[i].level == *level && h[i].grade > *grade)) {
            *level = h[i].level;
            *grade = h[i].grade;
        }
    }
}

/* How many distinct subjects of recognition `rec` are dated in [lo, hi]; a record without
 * a subject counts on its own. */
static int64_t count_subjects(const held_rec *h, int n, int rec, long lo, long hi)
{
    int64_t count = 0;
    for (int i = 0; i < n; i++) {
        if (h[i].rec != rec || h[i].day < lo || h[i].day > hi) continue;
        bool seen = false;
        for (int j = 0; j < i && h[i].subject && !seen; j++)
            seen = h[j].rec == rec && h[j].day >= lo && h[j].day <= hi && h[j].subject && !strcmp(h[j].subject, h[i].subject);
        count += !seen;
    }
    return count;
}

/* Keep the subjects of keyed recognitions beside the row for 附则3. 0, or -1 if the batch
 * holds too many. */
static int keep_subjects(const hq_corpus *c, hq_factbatch *fb, int row, const held_rec *recs, int nrecs)
{
    for (int i = 0; i < nrecs; i++) {
        if (!c->recognitions[recs[i].rec]->keyed) continue;
        hq_subject s = {.row = row, .rec = recs[i].rec, .day = recs[i].day, .level = recs[i].level, .grade = recs[i].grade};
        snprintf(s.subject, sizeof s.subject, "%s", recs[i].subject ? recs[i].subject : "");
        if (factbatch_add_subject(fb, &s)) return -1;
    }
    return 0;
}

const char *entity_check_subject(const char *s)
{
    if (!s) return "应为文字（项目或作品名称）";
    size_t n = strlen(s);
    if (n == 0) return "不能为空";
    if (n >= HQ_SUBJECT_MAX) return "超过120字节";
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20) return "含有控制字符";
    return NULL;
}

/* Fill the list and recognition slots. `nrecs` < 0: recognitions unknown; `lists` NULL:
 * lists unknown, else a membership flag per corpus list. */
static void fill_others(const hq_corpus *c, hq_factbatch *fb, int row, const held_rec *recs, int nrecs, const bool *lists)
{
    const hq_slots *s = c->slots;
    long jan1 = cal_days_from_civil(fb->year, 1, 1), dec31 = cal_days_from_civil(fb->year, 12, 31);
    for (int i = 0; i < s->nother; i++) {
        int k = s->other[i];
        const hq_slot *sl = &s->v[k];
        int64_t x, grade;
        switch ((hq_slot_kind)sl->kind) {
        case SLOT_FACT:
            break; /* offsets other than 0 and -1 are never generated */
        case SLOT_LIST:
            if (lists) factbatch_set(fb, row, k, lists[sl->ref]);
            break;
        case SLOT_REC_NEW:
        case SLOT_REC_GRADE:
            if (nrecs < 0) break;
            best_recognition(recs, nrecs, sl->ref, jan1 > sl->win_lo ? jan1 : sl->win_lo, dec31 < sl->win_hi ? dec31 : sl->win_hi,
                             &x, &grade);
            factbatch_set(fb, row, k, sl->kind == SLOT_REC_NEW ? x : grade);
            break;
        case SLOT_REC_HELD:
            if (nrecs < 0) break;
            best_recognition(recs, nrecs, sl->ref, 0, dec31, &x, &grade);
            factbatch_set(fb, row, k, x);
            break;
        case SLOT_REC_COUNT:
            if (nrecs < 0) break;
            x = count_subjects(recs, nrecs, sl->ref, jan1 > sl->win_lo ? jan1 : sl->win_lo, dec31 < sl->win_hi ? dec31 : sl->win_hi);
            factbatch_set(fb, row, k, x * HQ_FIXED_ONE);
            break;
        }
    }
}

static void set_id(hq_factbatch *fb, int row, const char *code, const char *name)
{
    hq_entity_id *id = &fb->ids[row];
    snprintf(id->credit_code, sizeof id->credit_code, "%s", code ? code : "");
    snprintf(id->name, sizeof id->name, "%s", name ? name : "");
}

/* Set the slot of fact `key` (a yearly fact read for year offset `off`) from `v`. */
static void fill_fact(const hq_corpus *c, hq_factbatch *fb, int row, const char *key, const json_t *v, int off, bool yearly)
{
    int f = corpus_find_fact(c, key);
    if (f < 0 || c->facts[f]->yearly != yearly || json_is_null(v)) return;
    int slot = c->slots->by_fact[off][f];
    int64_t x;
    if (slot >= 0 && !entity_parse_value(c, c->facts[f]->type, v, &x)) factbatch_set(fb, row, slot, x);
}

/* The row is filled from the facts the entity has — usually a few dozen — through the
 * layout's by-fact index, rather than by asking the document for every slot of a corpus
 * that reads hundreds; lists and recognitions then fill their own slots. The document has
 * been validated, so every name and value here is known to resolve. */
static int fill(const hq_corpus *c, const json_t *root, hq_factbatch *fb, int row)
{
    const char *key;
    const json_t *v;
    for (size_t k = 0; k < sizeof IDENTITY_FACTS / sizeof *IDENTITY_FACTS; k++)
        if ((v = json_object_get(root, IDENTITY_FACTS[k]))) fill_fact(c, fb, row, IDENTITY_FACTS[k], v, 0, false);
    json_object_foreach((json_t *)json_object_get(root, "facts"), key, v) fill_fact(c, fb, row, key, v, 0, false);
    const json_t *years = json_object_get(root, "years");
    for (int off = 0; off < 2; off++) {
        char y[16];
        snprintf(y, sizeof y, "%d", fb->year - off);
        json_object_foreach((json_t *)json_object_get(years, y), key, v) fill_fact(c, fb, row, key, v, off, true);
    }
    const json_t *jr = json_object_get(root, "recognitions"), *jl = json_object_get(root, "lists");
    held_rec recs[ENTITY_MAX_RECS];
    int nrecs = jr ? 0 : -1;
    size_t i;
    const json_t *r;
    json_array_foreach((json_t *)jr, i, r) {
        if (nrecs == ENTITY_MAX_RECS) break;
        int ri = corpus_find_recognition(c, json_string_value(json_object_get(r, "name")));
        const hq_recognition *rec = c->recognitions[ri];
        held_rec *h = &recs[nrecs++];
        h->rec = ri;
        int64_t day = 0;
        parse_date(json_string_value(json_object_get(r, "date")), &day);
        h->day = (long)day;
        h->level = rec->levels_enum >= 0 ? enum_value(c->enums[rec->levels_enum], json_string_value(json_object_get(r, "level"))) : 1;
        h->grade = rec->grades_enum >= 0 ? enum_value(c->enums[rec->grades_enum], json_string_value(json_object_get(r, "grade"))) : 0;
        h->subject = json_string_value(json_object_get(r, "subject"));
    }
    bool member[HQ_MAX_LISTS] = {false};
    json_array_foreach((json_t *)jl, i, r) {
        int li = corpus_find_list(c, json_string_value(r));
        if (li >= 0) member[li] = true;
    }
    fill_others(c, fb, row, recs, nrecs, jl ? member : NULL);
    const json_t *name = json_object_get(root, "name");
    set_id(fb, row, json_string_value(json_object_get(root, "credit_code")), json_is_string(name) ? json_string_value(name) : "");
    return keep_subjects(c, fb, row, recs, nrecs);
}

/* A stored value's canonical text ("true", "\"1234.56\"") as the fact's type. */
static const char *parse_text(const hq_corpus *c, hq_type type, const char *text, int64_t *out)
{
    size_t n = strlen(text);
    if (type.kind == HT_BOOL) {
        if (!strcmp(text, "true")) *out = 1;
        else if (!strcmp(text, "false")) *out = 0;
        else return "应为 true 或 false";
        return NULL;
    }
    if (n < 2 || text[0] != '"' || text[n - 1] != '"' || n > 256) return "应为带引号的文字";
    char buf[256];
    memcpy(buf, text + 1, n - 2);
    buf[n - 2] = 0;
    switch (type.kind) {
    case HT_MONEY: return fixed_parse(buf, n - 2, 2, out);
    case HT_COUNT: return fixed_parse(buf, n - 2, 6, out);
    case HT_RATE: {
        bool pct = n > 2 && buf[n - 3] == '%';
        const char *e = fixed_parse(buf, pct ? n - 3 : n - 2, pct ? 4 : 6, out);
        if (!e && pct) *out /= 100;
        return e;
    }
    case HT_DATE: return parse_date(buf, out);
    case HT_ENUM: {
        int k = enum_value(c->enums[type.enum_id], buf);
        if (k < 0) return "不是该项数据允许的取值";
        *out = k;
        return NULL;
    }
    default: return "不支持的数据类型";
    }
}

int entity_load_rows(const hq_corpus *c, const hq_entity_rows *e, hq_factbatch *fb, int row, hq_diag *diag)
{
    int before = diag->count;
    char where[96];
    for (int i = 0; i < e->nfacts; i++) {
        const hq_fact_row *fr = &e->facts[i];
        int f = fr->fact > 0 && fr->fact <= c->nfacts ? fr->fact - 1 : corpus_find_fact(c, fr->name);
        if (f < 0) continue; /* a fact the current rules no longer declare: nothing reads it */
        const hq_fact *fa = c->facts[f];
        int off = !fa->yearly ? (fr->year == 0 ? 0 : -1) : fr->year == fb->year ? 0 : fr->year == fb->year - 1 ? 1 : -1;
        if (off < 0) continue;
        int slot = c->slots->by_fact[off][f];
        if (slot < 0) continue;
        int64_t x;
        const char *err = parse_text(c, fa->type, fr->value, &x);
        if (err) {
            snprintf(where, sizeof where, "$.%s", fr->name);
            diag_add(diag, where, "已存数据 %s：%s", fr->value, err);
            continue;
        }
        factbatch_set(fb, row, slot, x);
    }
    held_rec recs[ENTITY_MAX_RECS];
    int nrecs = e->recs_known ? 0 : -1;
    for (int i = 0; i < e->nrecs && nrecs < ENTITY_MAX_RECS; i++) {
        const hq_rec_row *rr = &e->recs[i];
        int ri = corpus_find_recognition(c, rr->name);
        if (ri < 0) continue;
        const hq_recognition *rec = c->recognitions[ri];
        held_rec *h = &recs[nrecs];
        int64_t day;
        h->rec = ri;
        h->level = rec->levels_enum >= 0 ? enum_value(c->enums[rec->levels_enum], rr->level) : 1;
        h->grade = rec->grades_enum >= 0 && rr->grade && *rr->grade ? enum_value(c->enums[rec->grades_enum], rr->grade) : 0;
        if (parse_date(rr->date, &day) || h->level < 0 || h->grade < 0) {
            diag_add(diag, "$.recognitions", "已存认定记录 %s %s %s 与现行规则不符", rr->name, rr->level, rr->date);
            continue;
        }
        h->day = (long)day;
        h->subject = rr->subject && *rr->subject ? rr->subject : NULL;
        nrecs++;
    }
    bool member[HQ_MAX_LISTS] = {false};
    for (int i = 0; i < e->nlists; i++) {
        int li = corpus_find_list(c, e->lists[i]);
        if (li >= 0) member[li] = true;
    }
    fill_others(c, fb, row, recs, nrecs, e->lists_known ? member : NULL);
    set_id(fb, row, e->credit_code, e->name);
    if (keep_subjects(c, fb, row, recs, nrecs)) diag_add(diag, "$.recognitions", "一批中的认定对象过多");
    if (diag->count != before) {
        factbatch_clear_row(fb, row);
        return -1;
    }
    return 0;
}

int entity_load(const hq_corpus *c, const json_t *root, hq_factbatch *fb, int row, hq_diag *diag)
{
    int before = diag->count;
    validate(c, root, diag);
    factbatch_clear_row(fb, row);
    if (diag->count != before) return -1;
    if (fill(c, root, fb, row)) {
        diag_add(diag, "$.recognitions", "一批中的认定对象过多");
        factbatch_clear_row(fb, row);
        return -1;
    }
    return 0;
}

int entity_latest_year(const json_t *entity, int fallback)
{
    int best = 0;
    const char *k;
    json_t *v;
    json_object_foreach(json_object_get(entity, "years"), k, v) {
        int y = atoi(k);
        if (y > best) best = y;
    }
    return best ? best : fallback;
}
