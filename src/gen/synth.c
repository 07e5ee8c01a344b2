/*
 * The synthetic-entity generator; see synth.h for what it promises. Randomness comes from
 * splitmix64 streams, one per (seed, entity, purpose), never from rand(). Spreads are set
 * by small tables near the top of this file: the size-class mix, the medians each size
 * class scales, per-mille rates for the 附则 facts, and weights for districts, industries
 * and entity types. Everything else follows the declared fact type.
 */
#include "base/calendar.h"
#include "gen/synth.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "facts/entity.h"
#include "facts/uscc.h"

/* ---- random streams --------------------------------------------------------------------- */

typedef struct {
    uint64_t s;
} synth_rng;

/* splitmix64 (Steele, Lea, Flood 2014): one add and a finaliser per draw. */
static uint64_t rng_next(synth_rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform in [0, n); the modulo bias is below 2^-40 for the n used here. */
static int rng_below(synth_rng *r, int n)
{
    return (int)(rng_next(r) % (uint64_t)n);
}

static bool rng_permille(synth_rng *r, int permille)
{
    return rng_below(r, 1000) < permille;
}

/* The stream for one purpose of one entity: FNV-1a of the purpose, mixed with seed and index. */
static synth_rng rng_stream(uint64_t seed, int index, const char *purpose)
{
    uint64_t h = 0xCBF29CE484222325ull;
    for (const unsigned char *p = (const unsigned char *)purpose; *p; p++) h = (h ^ *p) * 0x100000001B3ull;
    synth_rng r = {seed ^ h};
    r.s ^= rng_next(&r) + (uint64_t)(uint32_t)index * 0xD6E8FEB86659FD93ull;
    rng_next(&r);
    return r;
}

/* ---- spreads ---------------------------------------------------------------------------- */

enum { SIZE_MICRO, SIZE_SMALL, SIZE_MEDIUM, SIZE_LARGE, SIZE__COUNT };

static const int SIZE_PERMILLE[SIZE__COUNT] = {600, 280, 100, 20};
static const char *const SIZE_LABEL[SIZE__COUNT] = {"微型", "小型", "中型", "大型"};
/* Median yearly money fact, in 分: 3万元, 30万元, 300万元, 3000万元. */
static const int64_t MONEY_MEDIAN_FEN[SIZE__COUNT] = {3000000, 30000000, 300000000, 3000000000};
static const int64_t COUNT_MEDIAN[SIZE__COUNT] = {10, 50, 300, 2000};
/* Count facts declared with `unit U` are `times` the size median (visitor flows, floor area). */
static const struct {
    const char *unit;
    int times;
} COUNT_UNIT_SCALE[] = {{"人次", 20}, {"人", 5}, {"平方米", 10}, {"亩", 1}};

/* Money facts whose name contains `part` are `times` the size median (sales dwarf tax). */
static const struct {
    const char *part;
    int times;
} MONEY_SCALE[] = {{"sales", 20}, {"revenue", 20}, {"turnover", 20}, {"investment", 2}};

/* Share (‰) of firms with a zero for an activity fact (most firms do not run most of the
 * activities the corpus rewards); local_contribution is never zero. */
enum { ZERO_ACTIVITY_PERMILLE = 700 };

/* ‰ true for bools the 附则 read; every other bool is true for 30% of firms. */
static const struct {
    const char *fact;
    int permille;
} BOOL_PERMILLE[] = {
    {"independent_legal_person", 970}, {"fiscal_revenue_in_city", 950}, {"registration_moved", 10},
    {"mujun_rated", 300}, {"major_accident", 10}, {"illegal_land_use", 20},
};
enum { BOOL_DEFAULT_PERMILLE = 300, LIST_PERMILLE = 50, CREDIT_LIST_PERMILLE = 30, RECOGNITION_PERMILLE = 60 };

/* Weighted values (‰) for some enums; values not listed share the remaining weight evenly. */
typedef struct {
    const char *value;
    int permille;
} synth_weight;

static const synth_weight DISTRICT_WEIGHTS[] = {
    {"鹿城区", 200}, {"龙湾区", 140}, {"瓯海区", 160}, {"洞头区", 40}, {"瓯江口产业集聚区", 80},
    {"浙南产业集聚区", 100}, {"温州市外", 10},
};
static const synth_weight INDUSTRY_WEIGHTS[] = {{"制造业", 250}, {"批发零售", 150}, {"其他", 50}};
static const synth_weight ENTITY_TYPE_WEIGHTS[] = {{"企业", 920}, {"社会组织", 60}, {"个人", 10}, {"行政单位", 10}};
static const synth_weight MUJUN_WEIGHTS[] = {{"A", 300}, {"B", 500}, {"C", 150}, {"D", 50}};

static const struct {
    const char *enum_name;
    const synth_weight *w;
    int n;
} ENUM_WEIGHTS[] = {
    {"district", DISTRICT_WEIGHTS, sizeof DISTRICT_WEIGHTS / sizeof *DISTRICT_WEIGHTS},
    {"industry", INDUSTRY_WEIGHTS, sizeof INDUSTRY_WEIGHTS / sizeof *INDUSTRY_WEIGHTS},
    {"entity_type", ENTITY_TYPE_WEIGHTS, sizeof ENTITY_TYPE_WEIGHTS / sizeof *ENTITY_TYPE_WEIGHTS},
    {"mujun_rating", MUJUN_WEIGHTS, sizeof MUJUN_WEIGHTS / sizeof *MUJUN_WEIGHTS},
};

/* The leading characters of a credit code: 登记管理部门 and 机构类别 codes by entity type. */
static const struct {
    const char *entity_type, *prefix;
} CODE_PREFIX[] = {{"企业", "91"}, {"社会组织", "52"}, {"个人", "92"}, {"行政单位", "11"}};
/* 行政区划代码 of each district; the two 功能区 and 温州市外 use the city's own code. */
static const struct {
    const char *district, *code;
} DISTRICT_CODE[] = {
    {"鹿城区", "330302"}, {"龙湾区", "330303"}, {"瓯海区", "330304"}, {"洞头区", "330305"},
    {"永嘉县", "330324"}, {"平阳县", "330326"}, {"苍南县", "330327"}, {"文成县", "330328"},
    {"泰顺县", "330329"}, {"瑞安市", "330381"}, {"乐清市", "330382"}, {"龙港市", "330383"},
};

/* median × 2^(e/8), e the sum of three uniform draws in [-8, 8]: a log-normal-like bell
 * spanning 1/8 … 8 times the median. Integer arithmetic only. */
static int64_t spread(synth_rng *r, int64_t median)
{
    static const int64_t POW2_EIGHTHS_X1000[8] = {1000, 1091, 1189, 1297, 1414, 1542, 1682, 1834};
    int e = rng_below(r, 17) + rng_below(r, 17) + rng_below(r, 17); /* 0 … 48, centre 24 */
    int64_t v = median * POW2_EIGHTHS_X1000[e % 8] / 1000;
    int doublings = e / 8 - 3;
    return doublings >= 0 ? v << doublings : v >> -doublings;
}

/* This year's value from last year's: growth of −30% … +50% (‰ steps), centred on +10%. */
static int64_t grow(synth_rng *r, int64_t prev)
{
    int permille = 1000 + rng_below(r, 401) - 150 + rng_below(r, 401) - 150;
    return prev * permille / 1000;
}

static int pick_weighted(synth_rng *r, const hq_enum *e, const synth_weight *w, int nw)
{
    int roll = rng_below(r, 1000), listed = 0, at = 0;
    for (int i = 0; i < nw; i++) {
        int v = enum_value(e, w[i].value);
        if (v <= 0) continue;
        listed++;
        at += w[i].permille;
        if (roll < at) return v;
    }
    int rest = e->nvalues - 1 - listed;
    if (rest <= 0) return 1 + rng_below(r, e->nvalues - 1);
    int k = rng_below(r, rest);
    for (int v = 1; v < e->nvalues; v++) {
        bool is_listed = false;
        for (int i = 0; i < nw; i++)
            if (!strcmp(e->values[v], w[i].value)) is_listed = true;
        if (!is_listed && k-- == 0) return v;
    }
    return 1;
}

/* An enum value (never 无), weighted where ENUM_WEIGHTS names the enum, else uniform. */
static const char *pick_enum(synth_rng *r, const hq_enum *e)
{
    if (e->nvalues < 2) return e->values[0];
    for (size_t i = 0; i < sizeof ENUM_WEIGHTS / sizeof *ENUM_WEIGHTS; i++)
        if (!strcmp(ENUM_WEIGHTS[i].enum_name, e->name)) return e->values[pick_weighted(r, e, ENUM_WEIGHTS[i].w, ENUM_WEIGHTS[i].n)];
    return e->values[1 + rng_below(r, e->nvalues - 1)];
}

static int bool_permille(const char *fact)
{
    for (size_t i = 0; i < sizeof BOOL_PERMILLE / sizeof *BOOL_PERMILLE; i++)
        if (!strcmp(BOOL_PERMILLE[i].fact, fact)) return BOOL_PERMILLE[i].permille;
    return BOOL_DEFAULT_PERMILLE;
}

static int64_t count_median(int size, const hq_fact *f)
{
    for (size_t i = 0; f->unit && i < sizeof COUNT_UNIT_SCALE / sizeof *COUNT_UNIT_SCALE; i++)
        if (!strcmp(f->unit, COUNT_UNIT_SCALE[i].unit)) return COUNT_MEDIAN[size] * COUNT_UNIT_SCALE[i].times;
    return COUNT_MEDIAN[size];
}

static int64_t money_median(int size, const char *fact)
{
    for (size_t i = 0; i < sizeof MONEY_SCALE / sizeof *MONEY_SCALE; i++)
        if (strstr(fact, MONEY_SCALE[i].part)) return MONEY_MEDIAN_FEN[size] * MONEY_SCALE[i].times;
    return MONEY_MEDIAN_FEN[size];
}

/* ---- JSON values -------------------------------------------------------------------------- */

static json_t *money_json(int64_t fen)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld.%02lld", (long long)(fen / 100), (long long)(fen % 100));
    return json_string(buf);
}

static json_t *date_json(long days)
{
    int y, m, d;
    char buf[16];
    cal_civil_from_days(days, &y, &m, &d);
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    return json_string(buf);
}

static json_t *random_date_json(synth_rng *r, int from_year, int to_year)
{
    long lo = cal_days_from_civil(from_year, 1, 1), hi = cal_days_from_civil(to_year, 12, 31);
    return date_json(lo + rng_below(r, (int)(hi - lo + 1)));
}

/* A rate of 0 … 30% in steps of 0.01%, written as the entity format expects ("12.34%"). */
static json_t *rate_json(synth_rng *r)
{
    char buf[16];
    int basis_points = rng_below(r, 3001);
    snprintf(buf, sizeof buf, "%d.%02d%%", basis_points / 100, basis_points % 100);
    return json_string(buf);
}

/* ---- one entity ----------------------------------------------------------------------------- */

typedef struct {
    const hq_corpus *c;
    uint64_t seed;
    int index, year, size;
    int reg_year;           /* yearly facts exist only from this year on */
    json_t *root, *facts;
    json_t *years[2];       /* year-1 and year; NULL when the entity did not exist yet */
} synth_ctx;

static bool is_identity_fact(const char *name)
{
    return !strcmp(name, "district") || !strcmp(name, "registered") || !strcmp(name, "entity_type") ||
           !strcmp(name, "industry");
}

/* A value for a fact of type bool, rate, date or enum (drawn afresh for each year). */
static json_t *draw_plain_value(const synth_ctx *x, const hq_fact *f, synth_rng *r)
{
    switch ((hq_tkind)f->type.kind) {
    case HT_BOOL:
        return json_boolean(rng_permille(r, bool_permille(f->name)));
    case HT_RATE:
        return rate_json(r);
    case HT_DATE:
        if (x->c->fact_registered >= 0 && f == x->c->facts[x->c->fact_registered]) return random_date_json(r, 1995, 2022);
        return random_date_json(r, 2010, x->year);
    case HT_ENUM:
        return json_string(pick_enum(r, x->c->enums[f->type.enum_id]));
    default:
        return json_null();
    }
}

/* Money (in 分) or count values for year-1 and year: size-scaled, correlated year to year. */
static void draw_amounts(const synth_ctx *x, const hq_fact *f, synth_rng *r, int64_t out[2])
{
    bool money = f->type.kind == HT_MONEY;
    int64_t median = money ? money_median(x->size, f->name) : count_median(x->size, f);
    bool zero = strcmp(f->name, "local_contribution") && rng_permille(r, ZERO_ACTIVITY_PERMILLE);
    out[0] = zero ? 0 : spread(r, median);
    out[1] = zero ? 0 : grow(r, out[0]);
    if (money && !zero) { /* break the round figures spread() makes: up to 99.99元 */
        out[0] += rng_below(r, 10000);
        out[1] += rng_below(r, 10000);
    }
}

static json_t *amount_json(const hq_fact *f, int64_t v)
{
    return f->type.kind == HT_MONEY ? money_json(v) : json_integer(v);
}

static void put_fact(synth_ctx *x, const hq_fact *f)
{
    synth_rng r = rng_stream(x->seed, x->index, f->name);
    bool numeric = f->type.kind == HT_MONEY || f->type.kind == HT_COUNT;
    int64_t amounts[2] = {0, 0};
    if (numeric) draw_amounts(x, f, &r, amounts);
    if (!f->yearly) {
        json_t *into = is_identity_fact(f->name) ? x->root : x->facts;
        json_object_set_new(into, f->name, numeric ? amount_json(f, amounts[1]) : draw_plain_value(x, f, &r));
        return;
    }
    for (int k = 0; k < 2; k++) {
        json_t *v = numeric ? amount_json(f, amounts[k]) : draw_plain_value(x, f, &r);
        if (x->years[k]) json_object_set_new(x->years[k], f->name, v);
        else json_decref(v);
    }
}

static void put_lists(synth_ctx *x)
{
    json_t *arr = json_array();
    for (int i = 0; i < x->c->nlists; i++) {
        const char *name = x->c->lists[i]->name;
        synth_rng r = rng_stream(x->seed, x->index, name);
        if (rng_permille(&r, !strcmp(name, "严重失信名单") ? CREDIT_LIST_PERMILLE : LIST_PERMILLE))
            json_array_append_new(arr, json_string(name));
    }
    json_object_set_new(x->root, "lists", arr);
}

static json_t *recognition_json(const synth_ctx *x, const hq_recognition *rec, synth_rng *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(rec->name));
    if (rec->levels_enum >= 0) json_object_set_new(o, "level", json_string(pick_enum(r, x->c->enums[rec->levels_enum])));
    if (rec->grades_enum >= 0) json_object_set_new(o, "grade", json_string(pick_enum(r, x->c->enums[rec->grades_enum])));
    json_object_set_new(o, "date", random_date_json(r, 2020, 2022));
    return o;
}

static void put_recognitions(synth_ctx *x)
{
    json_t *arr = json_array();
    for (int i = 0; i < x->c->nrecognitions; i++) {
        const hq_recognition *rec = x->c->recognitions[i];
        synth_rng r = rng_stream(x->seed, x->index, rec->name);
        if (rng_permille(&r, RECOGNITION_PERMILLE)) json_array_append_new(arr, recognition_json(x, rec, &r));
    }
    json_object_set_new(x->root, "recognitions", arr);
}

static const char *lookup_code(const char *key, bool district)
{
    if (!key) return district ? "330300" : "91";
    if (district) {
        for (size_t i = 0; i < sizeof DISTRICT_CODE / sizeof *DISTRICT_CODE; i++)
            if (!strcmp(DISTRICT_CODE[i].district, key)) return DISTRICT_CODE[i].code;
        return "330300";
    }
    for (size_t i = 0; i < sizeof CODE_PREFIX / sizeof *CODE_PREFIX; i++)
        if (!strcmp(CODE_PREFIX[i].entity_type, key)) return CODE_PREFIX[i].prefix;
    return "91";
}

/* A GB 32100 code: prefix, district code, a 9-character body that encodes the index (so
 * distinct entities of one population have distinct codes), then the check character. */
static void put_credit_code(synth_ctx *x)
{
    static const char ALPHABET[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    char code[19];
    synth_rng r = rng_stream(x->seed, x->index, "credit_code");
    int len = snprintf(code, sizeof code, "%s%s", lookup_code(json_string_value(json_object_get(x->root, "entity_type")), false),
                       lookup_code(json_string_value(json_object_get(x->root, "district")), true));
    unsigned idx = (unsigned)x->index;
    for (int i = 16; i >= len; i--) {
        code[i] = i >= 11 ? ALPHABET[idx % 31] : ALPHABET[rng_below(&r, 31)];
        if (i >= 11) idx /= 31;
    }
    code[17] = '0';
    code[18] = '\0';
    char expected;
    if (uscc_check(code, &expected) && expected) code[17] = expected;
    json_object_set_new(x->root, "credit_code", json_string(code));
}

static void put_name(synth_ctx *x)
{
    char name[96];
    snprintf(name, sizeof name, "温州合成样本%s企业%07d号", SIZE_LABEL[x->size], x->index);
    json_object_set_new(x->root, "name", json_string(name));
}

static int draw_size(uint64_t seed, int index)
{
    synth_rng r = rng_stream(seed, index, "size");
    int roll = rng_below(&r, 1000), at = 0;
    for (int s = 0; s < SIZE__COUNT; s++)
        if (roll < (at += SIZE_PERMILLE[s])) return s;
    return SIZE_MICRO;
}

/* The registration year, read back from the generated date (1995 if none is declared). */
static int registration_year(const synth_ctx *x)
{
    if (x->c->fact_registered < 0) return 1995;
    const json_t *d = json_object_get(x->root, x->c->facts[x->c->fact_registered]->name);
    return json_is_string(d) ? (int)strtol(json_string_value(d), NULL, 10) : 1995;
}

/* Every yearly fact goes under years.<y>, for each year the entity existed in. */
static void open_years(synth_ctx *x)
{
    json_t *years = json_object();
    for (int k = 0; k < 2; k++) {
        int y = x->year - 1 + k;
        x->years[k] = NULL;
        if (y < x->reg_year) continue;
        char key[16];
        snprintf(key, sizeof key, "%d", y);
        x->years[k] = json_object();
        json_object_set_new(years, key, x->years[k]);
    }
    json_object_set_new(x->root, "years", years);
}

json_t *synth_entity(const hq_corpus *c, uint64_t seed, int index, int year)
{
    synth_ctx x = {.c = c, .seed = seed, .index = index, .year = year, .size = draw_size(seed, index)};
    x.root = json_object();
    x.facts = json_object();
    if (!x.root || !x.facts) {
        json_decref(x.root);
        json_decref(x.facts);
        return NULL;
    }
    json_object_set_new(x.root, "facts", x.facts);
    if (c->fact_registered >= 0) put_fact(&x, c->facts[c->fact_registered]);
    x.reg_year = registration_year(&x);
    open_years(&x);
    for (int f = 0; f < c->nfacts; f++)
        if (f != c->fact_registered) put_fact(&x, c->facts[f]);
    put_lists(&x);
    put_recognitions(&x);
    put_credit_code(&x);
    put_name(&x);
    return x.root;
}

/* ---- filling a batch ----------------------------------------------------------------------- */

/* Repeat elements [0, k) of `base` until `cap` elements are filled, doubling the copy each
 * time (so the prefix copied is always a whole number of periods). */
static void tile(void *base, size_t elem, int k, int cap)
{
    char *b = base;
    for (int row = k; row < cap;) {
        int m = row < cap - row ? row : cap - row;
        memcpy(b + (size_t)row * elem, b, (size_t)m * elem);
        row += m;
    }
}

static void tile_batch(hq_factbatch *fb, int k)
{
    for (int s = 0; s < fb->nslots; s++) {
        tile(fb->val + (size_t)s * (size_t)fb->cap, sizeof *fb->val, k, fb->cap);
        tile(fb->unk + (size_t)s * (size_t)fb->cap, 1, k, fb->cap);
    }
    tile(fb->ids, sizeof *fb->ids, k, fb->cap);
}

static int load_one(const hq_corpus *c, hq_factbatch *fb, uint64_t seed, int index, hq_diag *d)
{
    json_t *e = synth_entity(c, seed, index, fb->year);
    if (!e) {
        fprintf(stderr, "synth: out of memory at entity %d\n", index);
        return -1;
    }
    int rc = entity_load(c, e, fb, index, d);
    if (rc != 0) {
        fprintf(stderr, "synth: entity %d:\n", index);
        diag_print(d, stderr);
    }
    json_decref(e);
    return rc;
}

int synth_fill_batch(const hq_corpus *c, hq_factbatch *fb, uint64_t seed, int n_distinct)
{
    int k = n_distinct < 1 ? 1 : n_distinct > fb->cap ? fb->cap : n_distinct;
    hq_diag d;
    diag_init(&d);
    int rc = 0;
    for (int i = 0; i < k && rc == 0; i++) rc = load_one(c, fb, seed, i, &d);
    diag_free(&d);
    if (rc != 0) return -1;
    tile_batch(fb, k);
    fb->n = fb->cap;
    return 0;
}
