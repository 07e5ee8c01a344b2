/*
 * The benchmark's yardstick: the eight items of bench/eight/wzf-2020-12.hq and the
 * document's 附则 rules written by hand in plain C, over the same columnar fact batch the
 * compiled evaluator reads (facts/factbatch.h). Each fact's column is found once through
 * the corpus's slot layout; the loop then walks rows, reads values and unknown flags, and
 * writes hq_outcomes in the layout rvm_eval_block() uses, so that the benchmark can both
 * time the two and check that they agree on every entity.
 *
 * Arithmetic is the evaluator's: values are hq_fixed (10^-6 of their unit), a product is
 * truncated toward zero at 10^-6, and an award is rounded once to whole 分, half away from
 * zero. Unknown facts follow docs/language.md (Kleene and/or; anything else unknown if an
 * input is). Where a hand-written loop would naturally do better — skipping the items of
 * an entity the 附则 already exclude, or testing years_since() as a date range — it does.
 *
 * The handloop owns nothing but itself; the corpus and batch are borrowed read-only, so
 * one handloop may be used by several threads at once.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/calendar.h"
#include "base/fixed.h"
#include "eval/rvm.h"

/* The interface bench/hqbench.c uses (declared there too). */
typedef struct handloop handloop;
handloop *handloop_new(const hq_corpus *c);
void handloop_free(handloop *h);
void handloop_eval_block(const handloop *h, const hq_factbatch *fb, int row0, int n, hq_outcome *out);

#define ONE HQ_FIXED_ONE
#define YUAN(x) ((hq_fixed)(x) * ONE)
#define WAN_YUAN(x) ((hq_fixed)(x) * 10000 * ONE)

/* The columns the rules read, as slot indexes into the batch. */
enum {
    C_DISTRICT, C_FISCAL, C_LEGAL_PERSON, C_ENTITY_TYPE, C_INDUSTRY, C_MUJUN_RATED, C_MUJUN_RATING,
    C_CREDIT_LIST, C_ACCIDENT, C_LAND, C_MOVED,
    C_DESIGN_CENTRE, C_LC, C_LC_PREV, C_ABOVE_SCALE, C_FIRST_SCALE_UP, C_RETAIL, C_RETAIL_PREV,
    C_ABOVE_QUOTA, C_LOGISTICS_INV, C_B2C, C_B2B, C_DEMO_BASE, C_TOURISTS, C_INBOUND,
    C_PRIVATE_ELDERLY, C_BEDS_OWN, C_BEDS_LEASED, C_NURSING_OWN, C_NURSING_LEASED,
    C__COUNT
};

/* The eight items, in the order handloop_eval_block() computes them. */
enum { I_DESIGN, I_TRAVEL, I_SOFTWARE, I_SCALE_UP, I_LOGISTICS, I_ECOMMERCE, I_RETAIL, I_ELDERLY, I__COUNT };
static const char *const ITEM_IDS[I__COUNT] = {
    "12-7-12", "12-12-25", "12-16-40", "12-18-47", "12-21-53", "12-22-58", "12-23-62", "12-32-100",
};

struct handloop {
    const hq_corpus *c;
    int slot[C__COUNT];
    int item_index[I__COUNT];
    uint64_t urban_mask;             /* district values inside 市区 */
    int64_t government, real_estate, mujun_c, mujun_d, software, smart_mfg, travel, logistics, elderly,
        cars, petroleum, lv_city, lv_province, lv_national;
    int64_t scale_up_from, scale_up_to;  /* years_since(first_scale_up) in 1..3, as days */
};

/* ---- setting up: slots and enum values, looked up once ------------------------------------ */

static int find_slot(const hq_corpus *c, hq_slot_kind kind, int ref, int year_offset)
{
    for (int i = 0; i < c->slots->n; i++) {
        const hq_slot *s = &c->slots->v[i];
        if (s->kind == kind && s->ref == ref && s->year_offset == year_offset) return i;
    }
    return -1;
}

static int fact_slot(const hq_corpus *c, const char *fact, int year_offset)
{
    int f = corpus_find_fact(c, fact);
    return f < 0 ? -1 : find_slot(c, SLOT_FACT, f, year_offset);
}

static bool resolve_slots(handloop *h)
{
    static const struct {
        int col;
        const char *fact;
        int year_offset;
    } FACTS[] = {
        {C_DISTRICT, "district", 0}, {C_FISCAL, "fiscal_revenue_in_city", 0},
        {C_LEGAL_PERSON, "independent_legal_person", 0}, {C_ENTITY_TYPE, "entity_type", 0},
        {C_INDUSTRY, "industry", 0}, {C_MUJUN_RATED, "mujun_rated", 0}, {C_MUJUN_RATING, "mujun_rating", 0},
        {C_ACCIDENT, "major_accident", 0}, {C_LAND, "illegal_land_use", 0}, {C_MOVED, "registration_moved", 0},
        {C_LC, "local_contribution", 0}, {C_LC_PREV, "local_contribution", -1},
        {C_ABOVE_SCALE, "above_scale_service", 0}, {C_FIRST_SCALE_UP, "first_scale_up", 0},
        {C_RETAIL, "retail_sales", 0}, {C_RETAIL_PREV, "retail_sales", -1}, {C_ABOVE_QUOTA, "above_quota_trade", 0},
        {C_LOGISTICS_INV, "logistics_equipment_investment", 0}, {C_B2C, "b2c_online_sales", 0},
        {C_B2B, "b2b_online_sales", 0}, {C_DEMO_BASE, "in_ecommerce_demo_base", 0},
        {C_TOURISTS, "tourists_overnight", 0}, {C_INBOUND, "inbound_tourists_overnight", 0},
        {C_PRIVATE_ELDERLY, "private_elderly_institution", 0}, {C_BEDS_OWN, "new_beds_owned_premises", 0},
        {C_BEDS_LEASED, "new_beds_leased_premises", 0}, {C_NURSING_OWN, "new_nursing_beds_owned", 0},
        {C_NURSING_LEASED, "new_nursing_beds_leased", 0},
    };
    const hq_corpus *c = h->c;
    for (size_t i = 0; i < sizeof FACTS / sizeof *FACTS; i++)
        h->slot[FACTS[i].col] = fact_slot(c, FACTS[i].fact, FACTS[i].year_offset);
    int list = corpus_find_list(c, "严重失信名单"), rec = corpus_find_recognition(c, "工业设计中心");
    h->slot[C_CREDIT_LIST] = list < 0 ? -1 : find_slot(c, SLOT_LIST, list, 0);
    h->slot[C_DESIGN_CENTRE] = rec < 0 ? -1 : find_slot(c, SLOT_REC_NEW, rec, 0);
    for (int k = 0; k < C__COUNT; k++)
        if (h->slot[k] < 0) return false;
    return true;
}

static int64_t value_of(const hq_corpus *c, const char *enum_name, const char *value)
{
    int e = corpus_find_enum(c, enum_name);
    return e < 0 ? -1 : enum_value(c->enums[e], value);
}

static bool resolve_values(handloop *h)
{
    static const char *const URBAN[] = {"鹿城区", "龙湾区", "瓯海区", "洞头区", "瓯江口产业集聚区", "浙南产业集聚区"};
    const hq_corpus *c = h->c;
    for (size_t i = 0; i < sizeof URBAN / sizeof *URBAN; i++) {
        int64_t v = value_of(c, "district", URBAN[i]);
        if (v <= 0) return false;
        h->urban_mask |= (uint64_t)1 << v;
    }
    h->government = value_of(c, "entity_type", "行政单位");
    h->real_estate = value_of(c, "industry", "房地产");
    h->software = value_of(c, "industry", "软件和信息技术服务");
    h->smart_mfg = value_of(c, "industry", "智能制造工程服务");
    h->travel = value_of(c, "industry", "旅行社");
    h->logistics = value_of(c, "industry", "物流");
    h->elderly = value_of(c, "industry", "养老");
    h->cars = value_of(c, "industry", "汽车销售");
    h->petroleum = value_of(c, "industry", "石油及制品销售");
    h->mujun_c = value_of(c, "mujun_rating", "C");
    h->mujun_d = value_of(c, "mujun_rating", "D");
    h->lv_city = value_of(c, "level", "市");
    h->lv_province = value_of(c, "level", "省");
    h->lv_national = value_of(c, "level", "国家");
    const int64_t *all[] = {&h->government, &h->real_estate, &h->software, &h->smart_mfg, &h->travel, &h->logistics,
                            &h->elderly, &h->cars, &h->petroleum, &h->mujun_c, &h->mujun_d, &h->lv_city,
                            &h->lv_province, &h->lv_national};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        if (*all[i] <= 0) return false;
    return true;
}

/* Only for the eight-item corpus: the same item ids and nothing else. */
handloop *handloop_new(const hq_corpus *c)
{
    if (c->nitems != I__COUNT || c->ndocs != 1) return NULL;
    handloop *h = calloc(1, sizeof *h);
    if (!h) return NULL;
    h->c = c;
    for (int k = 0; k < I__COUNT; k++) {
        const hq_item *it = corpus_find_item(c, ITEM_IDS[k]);
        h->item_index[k] = it ? it->index : -1;
        if (!it) {
            free(h);
            return NULL;
        }
    }
    if (!resolve_slots(h) || !resolve_values(h)) {
        free(h);
        return NULL;
    }
    return h;
}

void handloop_free(handloop *h)
{
    free(h);
}

/* ---- three-valued logic and the fold to an outcome ---------------------------------------- */

typedef enum { T_FALSE, T_TRUE, T_UNKNOWN } tri;

static inline tri tri_of(bool unknown, bool v)
{
    return unknown ? T_UNKNOWN : v ? T_TRUE : T_FALSE;
}

static inline tri tri_not(tri a)
{
    return a == T_UNKNOWN ? a : a == T_TRUE ? T_FALSE : T_TRUE;
}

static inline tri tri_or(tri a, tri b)
{
    return a == T_TRUE || b == T_TRUE ? T_TRUE : a == T_UNKNOWN || b == T_UNKNOWN ? T_UNKNOWN : T_FALSE;
}

/* A verdict (of the 附则 or of a part's requires): any false fails, else any unknown. */
typedef enum { V_OK, V_UNKNOWN, V_FAIL } verdict;

static inline verdict verdict_add(verdict v, tri t)
{
    if (v == V_FAIL || t == T_FALSE) return V_FAIL;
    return t == T_UNKNOWN ? V_UNKNOWN : v;
}

typedef struct {
    verdict v;       /* V_FAIL also when the amount rounds to 0 分 */
    int64_t fen;
} part_result;

/* A part's result from its requires' verdict and its (capped) amount in hq_fixed 元. */
static inline part_result part_of(verdict req, bool amount_unknown, hq_fixed amount)
{
    if (req == V_FAIL) return (part_result){V_FAIL, 0};
    if (amount_unknown) return (part_result){V_UNKNOWN, 0};
    int64_t fen = fixed_to_fen(amount);
    if (req == V_OK && fen <= 0) return (part_result){V_FAIL, 0};
    return (part_result){req, fen};
}

static inline hq_outcome outcome_of(verdict doc, const part_result *p, int nparts)
{
    hq_outcome o = {.status = HQ_INELIGIBLE};
    if (doc == V_FAIL) return o;
    bool eligible = false, unknown = false;
    for (int i = 0; i < nparts; i++) {
        if (p[i].v == V_OK) {
            eligible = true;
            o.amount_fen += p[i].fen;
        }
        unknown |= p[i].v == V_UNKNOWN;
    }
    if (eligible) o.status = doc == V_UNKNOWN ? HQ_NEEDS_DATA : HQ_ELIGIBLE;
    else if (unknown) o.status = HQ_NEEDS_DATA;
    o.amount_fen = eligible ? o.amount_fen : 0;
    return o;
}

static inline hq_fixed mul(hq_fixed a, hq_fixed b)
{
    return (hq_fixed)((__int128)a * b / ONE);
}

/* ⌊a / b⌋ as a count in hq_fixed, like steps(). */
static inline hq_fixed steps(hq_fixed a, hq_fixed b)
{
    int64_t q = a / b;
    if (a % b != 0 && (a < 0) != (b < 0)) q--;
    return q * ONE;
}

static inline hq_fixed cap_at(hq_fixed amount, hq_fixed cap)
{
    return amount > cap ? cap : amount;
}

/* ---- one row -------------------------------------------------------------------------------- */

/* Column c of the current row: value and unknown flag. */
typedef struct {
    const int64_t *val[C__COUNT];
    const uint8_t *unk[C__COUNT];
} columns;

#define V(col) (cols->val[col][i])
#define U(col) (cols->unk[col][i])

static inline verdict document_rules(const handloop *h, const columns *cols, int i)
{
    verdict v = V_OK;
    v = verdict_add(v, tri_of(U(C_DISTRICT), (h->urban_mask >> (V(C_DISTRICT) & 63)) & 1));
    v = verdict_add(v, tri_of(U(C_FISCAL), V(C_FISCAL)));
    v = verdict_add(v, tri_of(U(C_LEGAL_PERSON), V(C_LEGAL_PERSON)));
    v = verdict_add(v, tri_of(U(C_ENTITY_TYPE), V(C_ENTITY_TYPE) != h->government));
    v = verdict_add(v, tri_of(U(C_INDUSTRY), V(C_INDUSTRY) != h->real_estate));
    tri not_cd = tri_of(U(C_MUJUN_RATING), V(C_MUJUN_RATING) != h->mujun_c && V(C_MUJUN_RATING) != h->mujun_d);
    v = verdict_add(v, tri_or(tri_not(tri_of(U(C_MUJUN_RATED), V(C_MUJUN_RATED))), not_cd));
    v = verdict_add(v, tri_of(U(C_CREDIT_LIST), !V(C_CREDIT_LIST)));
    v = verdict_add(v, tri_of(U(C_ACCIDENT), !V(C_ACCIDENT)));
    v = verdict_add(v, tri_of(U(C_LAND), !V(C_LAND)));
    v = verdict_add(v, tri_of(U(C_MOVED), !V(C_MOVED)));
    return v;
}

static inline tri industry_is(const columns *cols, int i, int64_t value)
{
    return tri_of(U(C_INDUSTRY), V(C_INDUSTRY) == value);
}

/* 12-7-12: 新认定的国家级、省级、市级工业设计中心 100万元、30万元、10万元. */
static inline hq_outcome design_centre(const handloop *h, verdict doc, const columns *cols, int i)
{
    int64_t lv = V(C_DESIGN_CENTRE);
    bool u = U(C_DESIGN_CENTRE);
    verdict req = verdict_add(V_OK, tri_of(u, lv == h->lv_city || lv == h->lv_province || lv == h->lv_national));
    hq_fixed amount = lv == h->lv_national ? WAN_YUAN(100) : lv == h->lv_province ? WAN_YUAN(30) : lv == h->lv_city ? WAN_YUAN(10) : 0;
    part_result p = part_of(req, u, amount);
    return outcome_of(doc, &p, 1);
}

/* 12-12-25: 市外过夜游客超过5000人次, 超出部分10元/人; 境外过夜游客超过800人次, 超出部分30元/人. */
static inline hq_outcome travel_agency(const handloop *h, verdict doc, const columns *cols, int i)
{
    tri agency = industry_is(cols, i, h->travel);
    int64_t t = V(C_TOURISTS), b = V(C_INBOUND);
    bool ut = U(C_TOURISTS), ub = U(C_INBOUND);
    part_result p[2];
    p[0] = part_of(verdict_add(verdict_add(V_OK, agency), tri_of(ut, t > 5000 * ONE)), ut,
                   mul(t > 5000 * ONE ? t - 5000 * ONE : 0, YUAN(10)));
    p[1] = part_of(verdict_add(verdict_add(V_OK, agency), tri_of(ub, b > 800 * ONE)), ub,
                   mul(b > 800 * ONE ? b - 800 * ONE : 0, YUAN(30)));
    return outcome_of(doc, p, 2);
}

/* 12-16-40: 新增地方综合贡献50万元以上的软件和信息技术服务、智能制造工程服务公司, 新增的50%, 最高100万元. */
static inline hq_outcome software_growth(const handloop *h, verdict doc, const columns *cols, int i)
{
    int64_t ind = V(C_INDUSTRY);
    bool u = U(C_LC) || U(C_LC_PREV);
    hq_fixed growth = V(C_LC) - V(C_LC_PREV);
    verdict req = verdict_add(V_OK, tri_of(U(C_INDUSTRY), ind == h->software || ind == h->smart_mfg));
    req = verdict_add(req, tri_of(u, growth >= WAN_YUAN(50)));
    part_result p = part_of(req, u, cap_at(mul(growth, 500000), WAN_YUAN(100)));
    return outcome_of(doc, &p, 1);
}

/* 12-18-47: 首次小升规三年内, 当年地方综合贡献度超过20万元, 比上年新增部分, 最高50万元. */
static inline hq_outcome scale_up(const handloop *h, verdict doc, const columns *cols, int i)
{
    int64_t since = V(C_FIRST_SCALE_UP);
    bool us = U(C_FIRST_SCALE_UP);
    verdict req = verdict_add(V_OK, tri_of(U(C_ABOVE_SCALE), V(C_ABOVE_SCALE)));
    req = verdict_add(req, tri_of(us, since <= h->scale_up_to));
    req = verdict_add(req, tri_of(us, since >= h->scale_up_from));
    req = verdict_add(req, tri_of(U(C_LC), V(C_LC) > WAN_YUAN(20)));
    part_result p = part_of(req, U(C_LC) || U(C_LC_PREV), cap_at(V(C_LC) - V(C_LC_PREV), WAN_YUAN(50)));
    return outcome_of(doc, &p, 1);
}

/* 12-21-53: 物流企业一年内设备投入200万元以上, 10%, 不超过100万元. */
static inline hq_outcome logistics_equipment(const handloop *h, verdict doc, const columns *cols, int i)
{
    hq_fixed inv = V(C_LOGISTICS_INV);
    bool u = U(C_LOGISTICS_INV);
    verdict req = verdict_add(V_OK, industry_is(cols, i, h->logistics));
    req = verdict_add(req, tri_of(u, inv >= WAN_YUAN(200)));
    part_result p = part_of(req, u, cap_at(mul(inv, 100000), WAN_YUAN(100)));
    return outcome_of(doc, &p, 1);
}

/* 12-22-58: 每500万元B2C、5000万元B2B网络销售额2万元, 最高20万元 (示范基地30万元). */
static inline hq_outcome ecommerce(const handloop *h, verdict doc, const columns *cols, int i)
{
    (void)h;
    hq_fixed b2c = V(C_B2C), b2b = V(C_B2B);
    bool uc = U(C_B2C), ub = U(C_B2B);
    verdict req = verdict_add(V_OK, tri_or(tri_of(uc, b2c >= WAN_YUAN(500)), tri_of(ub, b2b >= WAN_YUAN(5000))));
    hq_fixed cap = V(C_DEMO_BASE) ? WAN_YUAN(30) : WAN_YUAN(20);
    hq_fixed amount = mul(steps(b2c, WAN_YUAN(500)) + steps(b2b, WAN_YUAN(5000)), WAN_YUAN(2));
    part_result p = part_of(req, uc || ub || U(C_DEMO_BASE), cap_at(amount, cap));
    return outcome_of(doc, &p, 1);
}

/* 12-23-62: 限上商贸企业零售额超过3000万元且增幅超过10%, 增量的3‰ (汽车、石油减半), 不超过20万元. */
static inline hq_outcome retail_growth(const handloop *h, verdict doc, const columns *cols, int i)
{
    hq_fixed cur = V(C_RETAIL), prev = V(C_RETAIL_PREV);
    bool u = U(C_RETAIL) || U(C_RETAIL_PREV);
    verdict req = verdict_add(V_OK, tri_of(U(C_ABOVE_QUOTA), V(C_ABOVE_QUOTA)));
    req = verdict_add(req, tri_of(U(C_RETAIL), cur > WAN_YUAN(3000)));
    req = verdict_add(req, tri_of(u, cur - prev > mul(prev, 100000)));
    bool halved = V(C_INDUSTRY) == h->cars || V(C_INDUSTRY) == h->petroleum;
    hq_fixed amount = mul(mul(cur - prev, 3000), halved ? 500000 : ONE);
    part_result p = part_of(req, u || U(C_INDUSTRY), cap_at(amount, WAN_YUAN(20)));
    return outcome_of(doc, &p, 1);
}

static inline hq_fixed min_of(hq_fixed a, hq_fixed b)
{
    return a < b ? a : b;
}

/* 12-32-100: 民办养老机构每张床位1万元(自有房产)、5000元(租赁房产), 护理型床位提高20%. */
static inline hq_outcome elderly_beds(const handloop *h, verdict doc, const columns *cols, int i)
{
    hq_fixed own = V(C_BEDS_OWN), leased = V(C_BEDS_LEASED);
    bool u_beds = U(C_BEDS_OWN) || U(C_BEDS_LEASED);
    verdict req = verdict_add(V_OK, industry_is(cols, i, h->elderly));
    req = verdict_add(req, tri_of(U(C_PRIVATE_ELDERLY), V(C_PRIVATE_ELDERLY)));
    req = verdict_add(req, tri_of(u_beds, own + leased >= ONE));
    hq_fixed nursing = mul(min_of(V(C_NURSING_OWN), own), WAN_YUAN(1)) + mul(min_of(V(C_NURSING_LEASED), leased), YUAN(5000));
    hq_fixed amount = mul(own, WAN_YUAN(1)) + mul(leased, YUAN(5000)) + mul(nursing, 200000);
    part_result p = part_of(req, u_beds || U(C_NURSING_OWN) || U(C_NURSING_LEASED), amount);
    return outcome_of(doc, &p, 1);
}

#undef V
#undef U

/* ---- the loop ------------------------------------------------------------------------------- */

static void point_columns(const handloop *h, const hq_factbatch *fb, int row0, columns *cols)
{
    for (int k = 0; k < C__COUNT; k++) {
        size_t off = (size_t)h->slot[k] * (size_t)fb->cap + (size_t)row0;
        cols->val[k] = fb->val + off;
        cols->unk[k] = fb->unk + off;
    }
}

/* years_since(d) in 1..3 for the batch's year ⟺ d in [1 Jan of year−2, 31 Dec of year]. */
static void set_year_bounds(handloop *h, int year)
{
    h->scale_up_from = cal_days_from_civil(year - 2, 1, 1);
    h->scale_up_to = cal_days_from_civil(year, 12, 31);
}

void handloop_eval_block(const handloop *h, const hq_factbatch *fb, int row0, int n, hq_outcome *out)
{
    handloop yh = *h; /* h with this batch's year bounds */
    set_year_bounds(&yh, fb->year);
    columns cols;
    point_columns(h, fb, row0, &cols);
    const int *ix = h->item_index;
    const size_t stride = (size_t)h->c->nitems;
    for (int i = 0; i < n; i++) {
        hq_outcome *o = out + (size_t)i * stride;
        verdict doc = document_rules(&yh, &cols, i);
        if (doc == V_FAIL) {
            for (int k = 0; k < I__COUNT; k++) o[ix[k]] = (hq_outcome){.status = HQ_INELIGIBLE};
            continue;
        }
        o[ix[I_DESIGN]] = design_centre(&yh, doc, &cols, i);
        o[ix[I_TRAVEL]] = travel_agency(&yh, doc, &cols, i);
        o[ix[I_SOFTWARE]] = software_growth(&yh, doc, &cols, i);
        o[ix[I_SCALE_UP]] = scale_up(&yh, doc, &cols, i);
        o[ix[I_LOGISTICS]] = logistics_equipment(&yh, doc, &cols, i);
        o[ix[I_ECOMMERCE]] = ecommerce(&yh, doc, &cols, i);
        o[ix[I_RETAIL]] = retail_growth(&yh, doc, &cols, i);
        o[ix[I_ELDERLY]] = elderly_beds(&yh, doc, &cols, i);
    }
}
