/*
 * 绩效评价表; see performance.h. One pass over the year's awards keeps the committed cash
 * awards of linked items; each link's fact is read for Y−1 and Y through store_fact_values
 * (sorted by entity, so lookups are binary searches) and summed exactly in 128-bit integers
 * of 10^-6 units; every rate is one integer division rounded once at the end.
 */
#include "ledger/performance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/calendar.h"
#include "base/fixed.h"
#include "ledger/report.h"
#include "plan/plan.h"

typedef __int128 i128;

/* Bounds. A year's committed awards of the linked items and a fact's values are held in
 * memory; a million of each is far beyond a city and bounds a runaway ledger. */
enum { PERF_MAX_AWARDS = 4 << 20, PERF_MAX_VALUES = 8 << 20, PERF_MAX_ROWS = 4096 };

const char *performance_plans_dir(const hq_corpus *c, char *buf, size_t size)
{
    const char *env = getenv("HUIQI_PLANS");
    if (env && *env) {
        snprintf(buf, size, "%s", env);
        return buf;
    }
    /* The corpus's files are named by the directory they were loaded from
     * ("policies/facts.hq"): plans/ is its sibling, as for the CLI's --plans default. */
    const char *file = c && c->nfacts ? c->facts[0]->file : NULL;
    const char *slash = file ? strrchr(file, '/') : NULL;
    snprintf(buf, size, "plans");
    if (!slash) return buf;
    int dlen = (int)(slash - file);
    while (dlen > 0 && file[dlen - 1] == '/') dlen--;
    int p = dlen - 1;
    while (p >= 0 && file[p] != '/') p--;
    if (p >= 0) snprintf(buf, size, "%.*s/plans", p, file);
    return buf;
}

/* ---- the links and the plans they name ------------------------------------------------ */

typedef struct {
    hq_plan **plans;
    int nplans;
    const hq_plan *links;
} plan_set;

static void plans_free(plan_set *ps)
{
    for (int i = 0; i < ps->nplans; i++) plan_free(ps->plans[i]);
    free(ps->plans);
    memset(ps, 0, sizeof *ps);
}

static const hq_plan *plan_named(const plan_set *ps, const char *id)
{
    for (int i = 0; i < ps->nplans; i++)
        if (ps->plans[i]->kind == PLAN_KIND_PLAN && ps->plans[i]->id && !strcmp(ps->plans[i]->id, id)) return ps->plans[i];
    return NULL;
}

static bool is_links_file(const char *file)
{
    size_t n = strlen(file), m = strlen(PERFORMANCE_LINKS_FILE);
    return n >= m && !strcmp(file + n - m, PERFORMANCE_LINKS_FILE) && (n == m || file[n - m - 1] == '/');
}

/* Every plan file must load: a link to an indicator of a plan with a wrong cell would be
 * reported beside figures nobody can trust. */
static bool load_plans(const char *dir, plan_set *ps, hq_diag *d)
{
    int start = d->count;
    int n = plan_load_dir(dir, &ps->plans, d);
    if (n < 0) return false;
    ps->nplans = n;
    for (int i = 0; i < n; i++)
        if (ps->plans[i]->kind == PLAN_KIND_LINKS && is_links_file(ps->plans[i]->file)) ps->links = ps->plans[i];
    if (d->count > start) return false;
    if (!ps->links) {
        diag_add(d, dir, "规划目录中没有可用的关联文件 %s", PERFORMANCE_LINKS_FILE);
        return false;
    }
    return true;
}

/* Items in the corpus, indicators in a plan, the fact yearly and numeric: each failure at the
 * place in the links file that names it. */
static bool check_links(const plan_set *ps, const hq_corpus *c, hq_diag *d)
{
    const hq_plan *L = ps->links;
    int start = d->count;
    for (int i = 0; i < L->nlinks; i++) {
        const plan_link *ln = &L->links[i];
        for (int k = 0; k < ln->nitems; k++)
            if (!corpus_find_item(c, ln->items[k].id))
                diag_at(d, L->file, ln->items[k].line, ln->items[k].col, "关联“%s”（第 %d 行）的条款 %s 不在规则库中", ln->name,
                        ln->line, ln->items[k].id);
        for (int k = 0; k < ln->nindicators; k++) {
            const plan_link_indicator *r = &ln->indicators[k];
            const hq_plan *p = plan_named(ps, r->plan);
            if (!p)
                diag_at(d, L->file, r->line, r->col, "关联“%s”（第 %d 行）引用的规划 %s 不存在", ln->name, ln->line, r->plan);
            else if (!plan_find_indicator(p, r->id))
                diag_at(d, L->file, r->line, r->col, "关联“%s”（第 %d 行）引用的规划 %s 没有指标 %s", ln->name, ln->line, r->plan, r->id);
        }
        int f = corpus_find_fact(c, ln->firm_fact);
        const hq_fact *fact = f >= 0 ? c->facts[f] : NULL;
        if (!fact)
            diag_at(d, L->file, ln->fact_line, ln->fact_col, "关联“%s”（第 %d 行）的事实 %s 不在规则库中", ln->name, ln->line,
                    ln->firm_fact);
        else if (!fact->yearly)
            diag_at(d, L->file, ln->fact_line, ln->fact_col, "关联“%s”（第 %d 行）的事实 %s 不是按年度的事实", ln->name, ln->line,
                    ln->firm_fact);
        else if (fact->type.kind != HT_MONEY && fact->type.kind != HT_COUNT && fact->type.kind != HT_RATE)
            diag_at(d, L->file, ln->fact_line, ln->fact_col, "关联“%s”（第 %d 行）的事实 %s 不是数值（金额、数量或比率）", ln->name,
                    ln->line, ln->firm_fact);
    }
    return d->count == start;
}

static bool link_has_item(const plan_link *ln, const char *item)
{
    for (int k = 0; k < ln->nitems; k++)
        if (!strcmp(ln->items[k].id, item)) return true;
    return false;
}

/* ---- the year's committed awards of linked items ------------------------------------------ */

typedef struct {
    int64_t entity, amount_fen, paid_fen;
    bool paid;
    char item[64], document[32], district[32];
} p_award;

typedef struct {
    hq_store *s;
    const hq_plan *L;
    p_award *a;
    int n, cap;
    bool failed;
} award_walk;

static int take_award(const hq_award_rec *r, void *ud)
{
    award_walk *w = ud;
    bool paid = r->state == AWARD_PAID || r->state == AWARD_ARCHIVED;
    bool committed = paid || r->state == AWARD_APPROVED || r->state == AWARD_PUBLICIZING || r->state == AWARD_PUBLICIZED;
    if (!committed || r->voucher) return 0;
    bool linked = false;
    for (int i = 0; i < w->L->nlinks && !linked; i++) linked = link_has_item(&w->L->links[i], r->item);
    if (!linked) return 0;
    if (w->n == w->cap) {
        int cap = w->cap ? w->cap * 2 : 256;
        p_award *na = cap <= PERF_MAX_AWARDS ? realloc(w->a, sizeof *na * (size_t)cap) : NULL;
        if (!na) {
            w->failed = true;
            return 1;
        }
        w->a = na;
        w->cap = cap;
    }
    p_award *a = &w->a[w->n++];
    memset(a, 0, sizeof *a);
    a->entity = r->entity_id;
    a->amount_fen = r->amount_fen;
    a->paid = paid;
    snprintf(a->item, sizeof a->item, "%s", r->item);
    snprintf(a->document, sizeof a->document, "%s", r->document);
    snprintf(a->district, sizeof a->district, "%s", r->district);
    if (paid) {
        /* Paid is what the payment says was paid, not the award's amount. */
        hq_payment_rec p;
        if (store_payment_get(w->s, r->id, &p)) {
            w->failed = true;
            return 1;
        }
        a->paid_fen = p.amount_fen;
    }
    return 0;
}

/* ---- fact values --------------------------------------------------------------------------- */

typedef struct {
    int64_t entity;
    i128 v;                 /* 10^-6 units */
} fval;

typedef struct {
    fval *v;
    int n, cap;
    int64_t skipped;        /* values that are not a number (null, text): not counted */
    bool oom;
} fvals;

/* A stored value is JSON text: 1234.5 or "1234.50". */
static int take_value(int64_t entity, const char *value, void *ud)
{
    fvals *f = ud;
    size_t n = strlen(value);
    const char *s = value;
    if (n >= 2 && s[0] == '"' && s[n - 1] == '"') s++, n -= 2;
    hq_fixed x;
    if (n == 0 || fixed_parse(s, n, HQ_FIXED_DECIMALS, &x)) {
        f->skipped++;
        return 0;
    }
    if (f->n == f->cap) {
        int cap = f->cap ? f->cap * 2 : 1024;
        fval *nv = cap <= PERF_MAX_VALUES ? realloc(f->v, sizeof *nv * (size_t)cap) : NULL;
        if (!nv) {
            f->oom = true;
            return 1;
        }
        f->v = nv;
        f->cap = cap;
    }
    f->v[f->n++] = (fval){entity, x};
    return 0;
}

static bool load_values(hq_store *s, const char *fact, int year, fvals *f, hq_diag *d)
{
    memset(f, 0, sizeof *f);
    if (store_fact_values(s, fact, year, take_value, f) || f->oom) {
        diag_add(d, "performance", "读取事实 %s（%d 年）失败：%s", fact, year, f->oom ? "数据过多" : store_error(s));
        free(f->v);
        f->v = NULL;
        return false;
    }
    return true;
}

/* The store streams in entity order, so the array is sorted. */
static const fval *value_of(const fvals *f, int64_t entity)
{
    int lo = 0, hi = f->n - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (f->v[mid].entity == entity) return &f->v[mid];
        if (f->v[mid].entity < entity) lo = mid + 1;
        else hi = mid - 1;
    }
    return NULL;
}

/* Districts of all entities (fact district, year 0), for a district row's other firms. */
typedef struct {
    int64_t entity;
    char name[32];
} fdistrict;

typedef struct {
    fdistrict *v;
    int n, cap;
    bool oom;
} fdistricts;

static int take_district(int64_t entity, const char *value, void *ud)
{
    fdistricts *f = ud;
    if (f->n == f->cap) {
        int cap = f->cap ? f->cap * 2 : 1024;
        fdistrict *nv = cap <= PERF_MAX_VALUES ? realloc(f->v, sizeof *nv * (size_t)cap) : NULL;
        if (!nv) {
            f->oom = true;
            return 1;
        }
        f->v = nv;
        f->cap = cap;
    }
    size_t n = strlen(value);
    if (n >= 2 && value[0] == '"' && value[n - 1] == '"') value++, n -= 2;
    fdistrict *e = &f->v[f->n++];
    e->entity = entity;
    snprintf(e->name, sizeof e->name, "%.*s", (int)(n < sizeof e->name ? n : sizeof e->name - 1), value);
    return 0;
}

static const char *district_of(const fdistricts *f, int64_t entity)
{
    int lo = 0, hi = f->n - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (f->v[mid].entity == entity) return f->v[mid].name;
        if (f->v[mid].entity < entity) lo = mid + 1;
        else hi = mid - 1;
    }
    return "";
}

/* ---- rows ----------------------------------------------------------------------------------- */

typedef struct {
    i128 prev, cur;         /* ΣY−1 and ΣY over firms with the fact in both years */
    int64_t firms;
} fsum;

enum { G_LINK, G_ITEM, G_DOCUMENT, G_DISTRICT, G_TIMELINESS };
static const char *const GROUP_ZH[] = {"关联", "条款", "文件", "区域", "兑现时效"};

typedef struct {
    int group;
    char name[256];
    const plan_link *link;
    int64_t awards, committed_fen, paid_fen, reached;
    fsum in, out;
} prow;

typedef struct {
    int year;
    plan_set ps;
    prow *rows;
    int nrows, cap;
    ledger_timeliness t;
} perf_result;

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static bool in_sorted(const int64_t *v, int n, int64_t e)
{
    return n > 0 && bsearch(&e, v, (size_t)n, sizeof *v, cmp_i64) != NULL;
}

static bool row_has(const p_award *a, int group, const char *key)
{
    switch (group) {
    case G_ITEM: return !strcmp(a->item, key);
    case G_DOCUMENT: return !strcmp(a->document, key);
    case G_DISTRICT: return !strcmp(a->district, key);
    default: return true;
    }
}

/* One row: money and reach from the awards, the fact's sums from the two years' values.
 * `link_reached` (sorted) are the firms any item of the link reached: the others are the
 * firms not among them. */
static bool fill_row(prow *r, const p_award *aw, int naw, const int64_t *link_reached, int nlink, const fvals *prev,
                     const fvals *cur, const fdistricts *dist, const char *key)
{
    int64_t *ents = naw ? malloc(sizeof *ents * (size_t)naw) : NULL;
    if (naw && !ents) return false;
    int ne = 0;
    for (int i = 0; i < naw; i++) {
        const p_award *a = &aw[i];
        if (!link_has_item(r->link, a->item) || !row_has(a, r->group, key)) continue;
        r->awards++;
        r->committed_fen += a->amount_fen;
        if (a->paid) r->paid_fen += a->paid_fen;
        ents[ne++] = a->entity;
    }
    if (ne) qsort(ents, (size_t)ne, sizeof *ents, cmp_i64);
    int u = 0;
    for (int i = 0; i < ne; i++)
        if (u == 0 || ents[u - 1] != ents[i]) ents[u++] = ents[i];
    r->reached = u;
    for (int i = 0; i < u; i++) {
        const fval *p = value_of(prev, ents[i]), *q = value_of(cur, ents[i]);
        if (!p || !q) continue;
        r->in.prev += p->v;
        r->in.cur += q->v;
        r->in.firms++;
    }
    free(ents);
    for (int i = 0; i < prev->n; i++) {
        int64_t e = prev->v[i].entity;
        if (in_sorted(link_reached, nlink, e)) continue;
        if (r->group == G_DISTRICT && strcmp(district_of(dist, e), key)) continue;
        const fval *q = value_of(cur, e);
        if (!q) continue;
        r->out.prev += prev->v[i].v;
        r->out.cur += q->v;
        r->out.firms++;
    }
    return true;
}

static prow *add_row(perf_result *res, int group, const plan_link *ln, const char *name)
{
    if (res->nrows >= PERF_MAX_ROWS) return NULL;
    if (res->nrows == res->cap) {
        int cap = res->cap ? res->cap * 2 : 16;
        prow *nr = realloc(res->rows, sizeof *nr * (size_t)cap);
        if (!nr) return NULL;
        res->rows = nr;
        res->cap = cap;
    }
    prow *r = &res->rows[res->nrows++];
    memset(r, 0, sizeof *r);
    r->group = group;
    r->link = ln;
    snprintf(r->name, sizeof r->name, "%s", name);
    return r;
}

static int district_rank(const hq_corpus *c, const char *name)
{
    int v = c && c->enum_district >= 0 ? enum_value(c->enums[c->enum_district], name) : -1;
    return v >= 0 ? v : 1 << 20;
}

/* The rows of one link: the link, its items, their documents, the districts reached. */
static bool link_rows(perf_result *res, hq_store *s, const hq_corpus *c, const plan_link *ln, const p_award *aw, int naw,
                      const fdistricts *dist, hq_diag *d)
{
    fvals prev, cur;
    if (!load_values(s, ln->firm_fact, res->year - 1, &prev, d)) return false;
    if (!load_values(s, ln->firm_fact, res->year, &cur, d)) {
        free(prev.v);
        return false;
    }
    bool ok = true;
    int64_t *reached = naw ? malloc(sizeof *reached * (size_t)naw) : NULL;
    int nr = 0;
    if (naw && !reached) ok = false;
    for (int i = 0; ok && i < naw; i++)
        if (link_has_item(ln, aw[i].item)) reached[nr++] = aw[i].entity;
    if (nr) qsort(reached, (size_t)nr, sizeof *reached, cmp_i64);
    /* Keys of the document and district rows, each once, in order. A link's items come from
     * a few documents and a city has 14 areas; past 64 the report refuses rather than drop
     * rows silently. */
    enum { KEYS_MAX = 64 };
    const char *docs[KEYS_MAX], *dists[KEYS_MAX];
    int ndocs = 0, ndists = 0;
    for (int k = 0; ok && k < ln->nitems; k++) {
        const hq_item *it = corpus_find_item(c, ln->items[k].id);
        const char *doc = it && it->doc ? (it->doc->number ? it->doc->number : it->doc->id) : "";
        bool seen = false;
        for (int j = 0; j < ndocs; j++) seen |= !strcmp(docs[j], doc);
        if (!seen && ndocs == KEYS_MAX) ok = false;
        else if (!seen) docs[ndocs++] = doc;
    }
    for (int i = 0; ok && i < naw; i++) {
        if (!link_has_item(ln, aw[i].item)) continue;
        bool seen = false;
        for (int j = 0; j < ndists; j++) seen |= !strcmp(dists[j], aw[i].district);
        if (!seen && ndists == KEYS_MAX) ok = false;
        else if (!seen) dists[ndists++] = aw[i].district;
    }
    for (int i = 1; i < ndists; i++) /* insertion sort by the gazette's district order */
        for (int j = i; j > 0 && (district_rank(c, dists[j]) < district_rank(c, dists[j - 1]) ||
                                  (district_rank(c, dists[j]) == district_rank(c, dists[j - 1]) && strcmp(dists[j], dists[j - 1]) < 0));
             j--) {
            const char *t = dists[j];
            dists[j] = dists[j - 1];
            dists[j - 1] = t;
        }
    prow *r = ok ? add_row(res, G_LINK, ln, ln->name) : NULL;
    ok = r && fill_row(r, aw, naw, reached, nr, &prev, &cur, dist, "");
    for (int k = 0; ok && k < ln->nitems; k++) {
        const hq_item *it = corpus_find_item(c, ln->items[k].id);
        char name[256];
        snprintf(name, sizeof name, "%s %s", ln->items[k].id, it && it->title ? it->title : "");
        r = add_row(res, G_ITEM, ln, name);
        ok = r && fill_row(r, aw, naw, reached, nr, &prev, &cur, dist, ln->items[k].id);
    }
    for (int k = 0; ok && k < ndocs; k++) {
        r = add_row(res, G_DOCUMENT, ln, docs[k]);
        ok = r && fill_row(r, aw, naw, reached, nr, &prev, &cur, dist, docs[k]);
    }
    for (int k = 0; ok && k < ndists; k++) {
        r = add_row(res, G_DISTRICT, ln, *dists[k] ? dists[k] : "(未知)");
        ok = r && fill_row(r, aw, naw, reached, nr, &prev, &cur, dist, dists[k]);
    }
    if (!ok) diag_add(d, "performance", "内存不足或行数过多");
    free(reached);
    free(prev.v);
    free(cur.v);
    return ok;
}

static void result_free(perf_result *res)
{
    plans_free(&res->ps);
    free(res->rows);
    memset(res, 0, sizeof *res);
}

static bool build(hq_store *s, const hq_corpus *c, const char *plans_dir, int year, perf_result *res, hq_diag *d)
{
    memset(res, 0, sizeof *res);
    res->year = year;
    if (year < HQ_YEAR_MIN + 1 || year > HQ_YEAR_MAX) {
        diag_add(d, "year", "绩效评价须指定年度（%d–%d）", HQ_YEAR_MIN + 1, HQ_YEAR_MAX);
        return false;
    }
    if (!load_plans(plans_dir, &res->ps, d) || !check_links(&res->ps, c, d)) {
        plans_free(&res->ps);
        return false;
    }
    award_walk w = {.s = s, .L = res->ps.links};
    hq_award_filter f = {.state = -1, .year = year};
    fdistricts dist = {0};
    bool ok = true;
    if (store_award_list(s, &f, take_award, &w) || w.failed) {
        diag_add(d, "performance", "读取奖补失败：%s", w.failed && !*store_error(s) ? "数据过多" : store_error(s));
        ok = false;
    } else if (store_fact_values(s, "district", 0, take_district, &dist) || dist.oom) {
        diag_add(d, "performance", "读取企业所在区域失败：%s", dist.oom ? "数据过多" : store_error(s));
        ok = false;
    }
    for (int i = 0; ok && i < res->ps.links->nlinks; i++)
        ok = link_rows(res, s, c, &res->ps.links->links[i], w.a, w.n, &dist, d);
    free(w.a);
    free(dist.v);
    if (ok) ok = ledger_timeliness_of(s, year, &res->t, d) == 0;
    if (!ok) result_free(res);
    return ok;
}

/* ---- exact rates ---------------------------------------------------------------------------- */

/* n/d rounded half away from zero; d > 0. */
static i128 round_div(i128 n, i128 d)
{
    return n >= 0 ? (2 * n + d) / (2 * d) : -((-2 * n + d) / (2 * d));
}

/* Growth in tenths of a percent; false without a positive base (no firm with data, or a sum
 * of Y−1 at or below zero, where a growth rate means nothing). */
static bool growth_tenths(const fsum *f, i128 *out)
{
    if (f->firms == 0 || f->prev <= 0) return false;
    *out = round_div(1000 * (f->cur - f->prev), f->prev);
    return true;
}

/* The difference of the two growths in tenths of a percentage point, from the exact
 * fractions: 1000·(a·d − c·b)/(b·d) for a/b and c/d, rounded once. The four sums are first
 * divided by the power of ten they share (money in 元 with 分 shares 10^4 in 10^-6 units);
 * beyond 10^17 each, the products could leave 128 bits, and the difference is not given. */
static bool diff_tenths(const fsum *in, const fsum *out, i128 *res)
{
    i128 dummy;
    if (!growth_tenths(in, &dummy) || !growth_tenths(out, &dummy)) return false;
    i128 v[4] = {in->prev, in->cur, out->prev, out->cur};
    for (int k = 0; k < 6; k++) {
        bool all = true;
        for (int i = 0; i < 4; i++) all &= v[i] % 10 == 0;
        if (!all) break;
        for (int i = 0; i < 4; i++) v[i] /= 10;
    }
    const i128 LIMIT = (i128)100000000000000000LL; /* 10^17 */
    for (int i = 0; i < 4; i++)
        if (v[i] > LIMIT || v[i] < -LIMIT) return false;
    i128 a = v[1] - v[0], b = v[0], c2 = v[3] - v[2], d2 = v[2];
    *res = round_div(1000 * (a * d2 - c2 * b), b * d2);
    return true;
}

/* Tenths as "12.3" with `suffix`, a '+' before a positive value when `sign`; "—" beyond
 * any real figure (a base of a few 10^-6 under a large sum). */
static void tenths_text(i128 t, const char *suffix, bool sign, char *buf, size_t size)
{
    i128 a = t < 0 ? -t : t;
    if (a > (i128)1000000000000000000LL) {
        snprintf(buf, size, "—");
        return;
    }
    snprintf(buf, size, "%s%lld.%lld%s", t < 0 ? "-" : sign && t > 0 ? "+" : "", (long long)(a / 10), (long long)(a % 10), suffix);
}

/* A sum of 10^-6 units as a decimal with thousands separators and at least `min_dec`
 * decimals (more only where digits are not zero). Exact: no double. */
static void sum_text(i128 v, int min_dec, bool group, char *buf, size_t size)
{
    bool neg = v < 0;
    unsigned __int128 a = neg ? (unsigned __int128)(-(v + 1)) + 1 : (unsigned __int128)v;
    unsigned __int128 whole = a / 1000000;
    unsigned frac = (unsigned)(a % 1000000);
    char digits[48];
    int n = 0;
    do {
        digits[n++] = (char)('0' + (int)(whole % 10));
        whole /= 10;
    } while (whole && n < 40);
    char out[96];
    int o = 0;
    if (neg) out[o++] = '-';
    for (int i = n - 1; i >= 0; i--) {
        out[o++] = digits[i];
        if (group && i > 0 && i % 3 == 0) out[o++] = ',';
    }
    char f[8];
    snprintf(f, sizeof f, "%06u", frac);
    int dec = 6;
    while (dec > min_dec && f[dec - 1] == '0') dec--;
    if (dec > 0) {
        out[o++] = '.';
        memcpy(out + o, f, (size_t)dec);
        o += dec;
    }
    out[o] = 0;
    snprintf(buf, size, "%s", out);
}

static int fact_decimals(const hq_corpus *c, const char *fact)
{
    int f = corpus_find_fact(c, fact);
    return f >= 0 && c->facts[f]->type.kind == HT_MONEY ? 2 : 0;
}

static const char *fact_label(const hq_corpus *c, const char *fact)
{
    int f = corpus_find_fact(c, fact);
    return f >= 0 && c->facts[f]->label ? c->facts[f]->label : fact;
}

static void indicators_text(const plan_set *ps, const plan_link *ln, char *buf, size_t size)
{
    size_t o = 0;
    buf[0] = 0;
    for (int k = 0; k < ln->nindicators && o < size; k++) {
        const plan_link_indicator *r = &ln->indicators[k];
        const hq_plan *p = plan_named(ps, r->plan);
        const plan_indicator *ind = p ? plan_find_indicator(p, r->id) : NULL;
        int w = snprintf(buf + o, size - o, "%s%s:%s %s", k ? "；" : "", r->plan, r->id, ind ? ind->name : "");
        if (w < 0) break;
        o += (size_t)w;
    }
}

#define ROUNDING_ZH                                                                                                    \
    "增长 = (ΣY − ΣY−1) ÷ ΣY−1，只计两年都有数据的企业；增长与增长差均由整数精确计算，最后一次四舍五入（远离零）到 0.1；" \
    "ΣY−1 不大于零或无企业有数据时不计增长（—）。兑付比例按金额，同样四舍五入到 0.1%，是否达标按精确整数比较。"

/* ---- the table ------------------------------------------------------------------------------ */

enum {
    C_GROUP, C_NAME, C_LINK, C_INDICATORS, C_FACT, C_AWARDS, C_COMMITTED, C_PAID, C_REACHED,
    C_IN_FIRMS, C_IN_PREV, C_IN_CUR, C_IN_GROWTH, C_OUT_FIRMS, C_OUT_PREV, C_OUT_CUR, C_OUT_GROWTH, C_DIFF, NCOLS
};

static void timeliness_name(const ledger_timeliness *t, bool midyear, char *buf, size_t size)
{
    int64_t paid = midyear ? t->paid_mid_fen : t->paid_end_fen;
    char share[32];
    tenths_text(ledger_share_tenths(paid, t->due_fen), "%", false, share, sizeof share);
    bool met = midyear ? paid * LEDGER_MIDYEAR_DEN >= t->due_fen * LEDGER_MIDYEAR_NUM : paid >= t->due_fen;
    snprintf(buf, size, "截至%d年%s已兑付 %s（要求%s）%s", t->year + 1, midyear ? "6月30日" : "12月31日", t->due_fen ? share : "—",
             midyear ? "不低于60%" : "100%", !t->due_fen ? "无应兑付奖补" : met ? "达标" : "未达标");
}

hq_table *ledger_performance(hq_store *s, const hq_corpus *c, const char *plans_dir, int year, hq_diag *diag)
{
    perf_result res;
    if (!build(s, c, plans_dir, year, &res, diag)) return NULL;
    char title[128];
    snprintf(title, sizeof title, "绩效评价表（%d年度）", year);
    hq_table *t = table_new(title);
    if (!t) {
        result_free(&res);
        return NULL;
    }
    char h[NCOLS][96];
    static const char *const FIXED[NCOLS] = {
        [C_GROUP] = "分组", [C_NAME] = "名称", [C_LINK] = "关联", [C_INDICATORS] = "规划指标", [C_FACT] = "度量事实",
        [C_AWARDS] = "笔数", [C_COMMITTED] = "已核定金额", [C_PAID] = "已兑付金额", [C_REACHED] = "惠及企业数",
        [C_IN_FIRMS] = "受惠企业(两年有数据)户数", [C_IN_GROWTH] = "受惠企业增长", [C_OUT_FIRMS] = "其他企业(两年有数据)户数",
        [C_OUT_GROWTH] = "其他企业增长", [C_DIFF] = "增长差(百分点)"};
    for (int k = 0; k < NCOLS; k++) snprintf(h[k], sizeof h[k], "%s", FIXED[k] ? FIXED[k] : "");
    snprintf(h[C_IN_PREV], sizeof h[0], "受惠企业%d年合计", year - 1);
    snprintf(h[C_IN_CUR], sizeof h[0], "受惠企业%d年合计", year);
    snprintf(h[C_OUT_PREV], sizeof h[0], "其他企业%d年合计", year - 1);
    snprintf(h[C_OUT_CUR], sizeof h[0], "其他企业%d年合计", year);
    for (int k = 0; k < NCOLS; k++) {
        hq_col_kind kind = k == C_AWARDS || k == C_REACHED || k == C_IN_FIRMS || k == C_OUT_FIRMS ? HQ_COL_INT
                           : k == C_COMMITTED || k == C_PAID                                     ? HQ_COL_MONEY_FEN
                                                                                                  : HQ_COL_TEXT;
        table_add_column(t, h[k], kind);
    }
    char buf[1024];
    for (int i = 0; i < res.nrows; i++) {
        const prow *r = &res.rows[i];
        const plan_link *ln = r->link;
        int dec = fact_decimals(c, ln->firm_fact);
        table_add_row(t);
        table_set_text(t, C_GROUP, GROUP_ZH[r->group]);
        table_set_text(t, C_NAME, r->name);
        table_set_text(t, C_LINK, ln->name);
        if (r->group == G_LINK) {
            indicators_text(&res.ps, ln, buf, sizeof buf);
            table_set_text(t, C_INDICATORS, buf);
        }
        table_set_text(t, C_FACT, fact_label(c, ln->firm_fact));
        table_set_int(t, C_AWARDS, r->awards);
        table_set_fen(t, C_COMMITTED, r->committed_fen);
        table_set_fen(t, C_PAID, r->paid_fen);
        table_set_int(t, C_REACHED, r->reached);
        const fsum *sums[2] = {&r->in, &r->out};
        for (int g = 0; g < 2; g++) {
            int base = g ? C_OUT_FIRMS : C_IN_FIRMS;
            table_set_int(t, base, sums[g]->firms);
            /* No thousands separators: the CSV cell stays a number a spreadsheet reads. */
            sum_text(sums[g]->prev, dec, false, buf, sizeof buf);
            table_set_text(t, base + 1, sums[g]->firms ? buf : "—");
            sum_text(sums[g]->cur, dec, false, buf, sizeof buf);
            table_set_text(t, base + 2, sums[g]->firms ? buf : "—");
            i128 gt;
            if (growth_tenths(sums[g], &gt)) tenths_text(gt, "%", false, buf, sizeof buf);
            else snprintf(buf, sizeof buf, "—");
            table_set_text(t, base + 3, buf);
        }
        i128 dt;
        /* No '+': the CSV writer guards a leading '+' against formula injection with a quote. */
        if (diff_tenths(&r->in, &r->out, &dt)) tenths_text(dt, "", false, buf, sizeof buf);
        else snprintf(buf, sizeof buf, "—");
        table_set_text(t, C_DIFF, buf);
    }
    /* 兑现时效 of the year, all items: the same rows whichever links there are. */
    for (int m = 0; m < 2; m++) {
        timeliness_name(&res.t, m == 0, buf, sizeof buf);
        table_add_row(t);
        table_set_text(t, C_GROUP, GROUP_ZH[G_TIMELINESS]);
        table_set_text(t, C_NAME, buf);
        table_set_text(t, C_LINK, "全部条款（现金）");
        table_set_int(t, C_AWARDS, m == 0 ? res.t.paid_mid : res.t.paid_end);
        table_set_fen(t, C_COMMITTED, res.t.due_fen);
        table_set_fen(t, C_PAID, m == 0 ? res.t.paid_mid_fen : res.t.paid_end_fen);
    }
    result_free(&res);
    if (table_error(t)) {
        diag_add(diag, "performance", "%s", table_error(t));
        table_free(t);
        return NULL;
    }
    return t;
}

/* ---- JSON ------------------------------------------------------------------------------------ */

static json_t *sum_json(const fsum *f, int dec)
{
    char p[96], q[96], g[32];
    sum_text(f->prev, dec, false, p, sizeof p);
    sum_text(f->cur, dec, false, q, sizeof q);
    i128 gt;
    bool has = growth_tenths(f, &gt);
    if (has) tenths_text(gt, "%", false, g, sizeof g);
    return json_pack("{s:I, s:o, s:o, s:o, s:o}", "firms", (json_int_t)f->firms, "prev", f->firms ? json_string(p) : json_null(), "cur",
                     f->firms ? json_string(q) : json_null(), "growth_tenths", has ? json_integer((json_int_t)gt) : json_null(), "growth",
                     has ? json_string(g) : json_null());
}

static json_t *timeliness_json(const ledger_timeliness *t)
{
    return json_pack("{s:i, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:b, s:b, s:s}", "year", t->year, "due",
                     (json_int_t)t->due, "due_fen", (json_int_t)t->due_fen, "paid", (json_int_t)t->paid, "paid_fen",
                     (json_int_t)t->paid_fen, "paid_by_midyear", (json_int_t)t->paid_mid, "paid_by_midyear_fen",
                     (json_int_t)t->paid_mid_fen, "paid_by_yearend", (json_int_t)t->paid_end, "paid_by_yearend_fen",
                     (json_int_t)t->paid_end_fen, "midyear_tenths", (json_int_t)ledger_share_tenths(t->paid_mid_fen, t->due_fen),
                     "yearend_tenths", (json_int_t)ledger_share_tenths(t->paid_end_fen, t->due_fen), "midyear_met",
                     t->paid_mid_fen * LEDGER_MIDYEAR_DEN >= t->due_fen * LEDGER_MIDYEAR_NUM, "yearend_met",
                     t->paid_end_fen >= t->due_fen, "rule", "应兑付金额于次年6月30日前兑付不低于60%，12月31日前全部兑付");
}

json_t *ledger_performance_json(hq_store *s, const hq_corpus *c, const char *plans_dir, int year, hq_diag *diag)
{
    perf_result res;
    if (!build(s, c, plans_dir, year, &res, diag)) return NULL;
    json_t *links = json_array(), *rows = json_array();
    const hq_plan *L = res.ps.links;
    for (int i = 0; i < L->nlinks; i++) {
        const plan_link *ln = &L->links[i];
        json_t *items = json_array(), *inds = json_array();
        for (int k = 0; k < ln->nitems; k++) json_array_append_new(items, json_string(ln->items[k].id));
        for (int k = 0; k < ln->nindicators; k++) {
            const plan_link_indicator *r = &ln->indicators[k];
            const hq_plan *p = plan_named(&res.ps, r->plan);
            const plan_indicator *ind = p ? plan_find_indicator(p, r->id) : NULL;
            char ref[64];
            snprintf(ref, sizeof ref, "%s:%s", r->plan, r->id);
            json_array_append_new(inds, json_pack("{s:s, s:s}", "ref", ref, "name", ind ? ind->name : ""));
        }
        json_array_append_new(links, json_pack("{s:s, s:o, s:o, s:s, s:s, s:s, s:s, s:i}", "name", ln->name, "items", items,
                                               "indicators", inds, "fact", ln->firm_fact, "fact_label", fact_label(c, ln->firm_fact),
                                               "reason", ln->reason, "source", ln->source, "line", ln->line));
    }
    for (int i = 0; i < res.nrows; i++) {
        const prow *r = &res.rows[i];
        int dec = fact_decimals(c, r->link->firm_fact);
        i128 dt;
        bool has = diff_tenths(&r->in, &r->out, &dt);
        char dtext[32];
        if (has) tenths_text(dt, "", false, dtext, sizeof dtext);
        json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:o}", "group", GROUP_ZH[r->group],
                                              "name", r->name, "link", r->link->name, "awards", (json_int_t)r->awards,
                                              "committed_fen", (json_int_t)r->committed_fen, "paid_fen", (json_int_t)r->paid_fen,
                                              "firms_reached", (json_int_t)r->reached, "reached", sum_json(&r->in, dec), "others",
                                              sum_json(&r->out, dec), "diff_tenths", has ? json_integer((json_int_t)dt) : json_null(),
                                              "diff", has ? json_string(dtext) : json_null()));
    }
    json_t *j = json_pack("{s:i, s:o, s:o, s:o, s:s}", "year", year, "links", links, "rows", rows, "timeliness", timeliness_json(&res.t),
                          "rounding", ROUNDING_ZH);
    result_free(&res);
    return j;
}
