/*
 * 附则3 cross-clause rules; the contract and the order of the rules are in stacking.h.
 */
#include "eval/stacking.h"

#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fixed.h"
#include "facts/entity.h"
#include "rules/rlex.h"

enum { HISTORY_MAX = 10000 };

static const char *project_of(const hq_item *it)
{
    return it->project ? it->project : NULL;
}

/* The data year of an award: items computed from a year's data use the evaluation year. */
static int data_year_of(const hq_item *it, int year)
{
    (void)it;
    return year;
}

int history_load(const hq_corpus *c, const json_t *j, hq_history *h, hq_diag *d)
{
    memset(h, 0, sizeof *h);
    const json_t *arr = json_is_object(j) ? json_object_get(j, "awards") : j;
    if (!json_is_array(arr)) {
        diag_add(d, "$", "a history is an array of past awards (or {\"awards\": [...]})");
        return -1;
    }
    size_t n = json_array_size(arr);
    if (n > HISTORY_MAX) {
        diag_add(d, "$", "more than %d past awards", HISTORY_MAX);
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
        hq_past_award *p = &h->v[i];
        const char *key;
        const json_t *v;
        if (!json_is_object(e)) {
            diag_add(d, path, "expected an object");
            continue;
        }
        json_object_foreach((json_t *)e, key, v) {
            static const char *KEYS[] = {"item", "project", "basis", "year", "data_year", "level", "amount", "form", "note"};
            size_t k;
            for (k = 0; k < sizeof KEYS / sizeof *KEYS; k++)
                if (!strcmp(key, KEYS[k])) break;
            if (k == sizeof KEYS / sizeof *KEYS)
                diag_add(d, path, "unknown key '%s' (expected item, project, basis, year, data_year, level, amount, form, note)", key);
        }
        const char *item = json_string_value(json_object_get(e, "item"));
        const hq_item *it = item ? corpus_find_item(c, item) : NULL;
        if (item) snprintf(p->item_id, sizeof p->item_id, "%s", item);
        const char *project = json_string_value(json_object_get(e, "project"));
        if (!project && it) project = project_of(it);
        if (project) snprintf(p->project, sizeof p->project, "%s", project);
        if (!item && !project) diag_add(d, path, "needs an item id or a project");
        if (item && !it) diag_add(d, path, "item: no item '%s' in the rule corpus", item);
        p->basis = it ? it->basis : BASIS_NONE;
        const char *basis = json_string_value(json_object_get(e, "basis"));
        if (basis) {
            if (!strcmp(basis, "local_contribution")) p->basis = BASIS_LOCAL_CONTRIBUTION;
            else if (!strcmp(basis, "loan_interest")) p->basis = BASIS_LOAN_INTEREST;
            else if (!strcmp(basis, "tech_investment")) p->basis = BASIS_TECH_INVESTMENT;
            else if (strcmp(basis, "")) diag_add(d, path, "basis: expected local_contribution, loan_interest or tech_investment");
        }
        json_int_t year = json_integer_value(json_object_get(e, "year"));
        if (!json_is_integer(json_object_get(e, "year")) || year < 1980 || year > 2100) diag_add(d, path, "year: expected a year");
        p->year = (int)year;
        const json_t *dy = json_object_get(e, "data_year");
        p->data_year = json_is_integer(dy) ? (int)json_integer_value(dy) : p->year;
        const char *level = json_string_value(json_object_get(e, "level"));
        if (level && strcmp(level, "市") && strcmp(level, "区")) diag_add(d, path, "level: expected \"市\" or \"区\"");
        p->district_level = level && !strcmp(level, "区");
        const char *form = json_string_value(json_object_get(e, "form"));
        if (form && strcmp(form, "现金") && strcmp(form, "服务券")) diag_add(d, path, "form: expected \"现金\" or \"服务券\"");
        p->voucher = (form && !strcmp(form, "服务券")) || (it && it->voucher);
        hq_type money = {.kind = HT_MONEY};
        int64_t amt;
        const char *err = entity_parse_value(c, money, json_object_get(e, "amount"), &amt);
        if (!json_object_get(e, "amount")) err = "required";
        if (err) diag_add(d, path, "amount: %s", err);
        else if (amt < 0) diag_add(d, path, "amount: must not be negative");
        else p->amount_fen = fixed_to_fen(amt);
    }
    h->n = (int)n;
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

hq_award award_from_outcome(const hq_corpus *c, const hq_item *it, const hq_outcome *o)
{
    (void)c;
    hq_award a = {.item = it, .amount_fen = o->amount_fen, .final_fen = o->amount_fen};
    return a;
}

static void note_append(hq_award *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note_append(hq_award *a, const char *fmt, ...)
{
    size_t len = strlen(a->note);
    if (len && len + 3 < sizeof a->note) {
        memcpy(a->note + len, "；", strlen("；") + 1);
        len = strlen(a->note);
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->note + len, sizeof a->note - len, fmt, ap);
    va_end(ap);
}

static bool in_window(int past_year, int year, int window)
{
    return past_year <= year && past_year > year - window;
}

/* Rule 1 and 2 share a shape: a key groups awards; only the highest of the group is paid,
 * less what the history already paid under the same key. */
typedef bool (*same_key_fn)(const hq_award *a, const hq_award *b);
typedef int64_t (*paid_fn)(const hq_history *h, const hq_award *a, int year, int window);

static bool same_project(const hq_award *a, const hq_award *b)
{
    const char *pa = project_of(a->item), *pb = project_of(b->item);
    return pa && pb && !strcmp(pa, pb);
}

static bool same_basis(const hq_award *a, const hq_award *b)
{
    return a->item->basis != BASIS_NONE && a->item->basis == b->item->basis;
}

/* An award paid each year from that year's data (数据核校, not staged) is a new award every
 * year: the same project is "the same" only within one data year. A recognition, an
 * upgrade or a staged award is the same across the window. */
static bool recurring(const hq_item *it)
{
    return it->kind == KIND_DATA && !it->nstages;
}

static int64_t paid_same_project(const hq_history *h, const hq_award *a, int year, int window)
{
    const char *p = project_of(a->item);
    int64_t sum = 0;
    for (int i = 0; p && i < h->n; i++)
        if (!strcmp(h->v[i].project, p) && in_window(h->v[i].year, year, window) &&
            (!recurring(a->item) || h->v[i].data_year == data_year_of(a->item, year)))
            sum += h->v[i].amount_fen;
    return sum;
}

static int64_t paid_same_basis(const hq_history *h, const hq_award *a, int year, int window)
{
    (void)window;
    int64_t sum = 0;
    for (int i = 0; a->item->basis != BASIS_NONE && i < h->n; i++)
        if (h->v[i].basis == a->item->basis && h->v[i].data_year == data_year_of(a->item, year)) sum += h->v[i].amount_fen;
    return sum;
}

static void highest_only(hq_award *aw, int n, int year, int window, const hq_history *h, same_key_fn same, paid_fn paid,
                         const char *what, hq_strbuf *log)
{
    for (int i = 0; i < n; i++) {
        if (aw[i].final_fen == 0) continue;
        /* Within this evaluation: the first highest of the group keeps its amount. */
        int best = i;
        for (int k = 0; k < n; k++)
            if (k != i && same(&aw[i], &aw[k]) && aw[k].final_fen > 0 &&
                (aw[k].final_fen > aw[best].final_fen || (aw[k].final_fen == aw[best].final_fen && k < best)))
                best = k;
        if (best != i) {
            note_append(&aw[i], "与%s%s，就高执行，本项不再兑付", aw[best].item->id, what);
            sb_printf(log, "  %s：与%s%s，就高执行，本项 0 元\n", aw[i].item->id, aw[best].item->id, what);
            aw[i].final_fen = 0;
        }
    }
    for (int i = 0; i < n; i++) {
        if (aw[i].final_fen == 0) continue;
        int64_t already = paid(h, &aw[i], year, window);
        if (already <= 0) continue;
        int64_t before = aw[i].final_fen;
        aw[i].final_fen = before > already ? before - already : 0;
        char b[48], a[48], f[48];
        fen_format(before, true, b, sizeof b);
        fen_format(already, true, a, sizeof a);
        fen_format(aw[i].final_fen, true, f, sizeof f);
        if (aw[i].item->nstages && same == same_project) {
            note_append(&aw[i], "前期节点已兑付%s元，本次兑付%s元", a, f);
            sb_printf(log, "  %s：分节点兑付，累计应兑付%s元，前期已兑付%s元，本次%s元\n", aw[i].item->id, b, a, f);
        } else {
            note_append(&aw[i], "%s已获奖补%s元，补足差额%s元", what, a, f);
            sb_printf(log, "  %s：%s已获%s元，应得%s元，补足差额%s元\n", aw[i].item->id, what, a, b, f);
        }
    }
}

/* Rule 3: proportional cut of the cash awards to the remaining room under the cap, by
 * largest remainder. Vouchers (高质量发展服务券) are not 奖补资金 and are left out. */
static void annual_cap(hq_award *aw, int n, int64_t room, hq_strbuf *log)
{
    int64_t total = 0;
    for (int i = 0; i < n; i++)
        if (!aw[i].item->voucher) total += aw[i].final_fen;
    if (total <= room) return;
    __int128 *rem = calloc((size_t)n, sizeof *rem);
    if (!rem) {
        sb_printf(log, "  年度上限：内存不足，未能分摊\n");
        return;
    }
    int64_t given = 0;
    for (int i = 0; i < n; i++) {
        rem[i] = -1;
        if (aw[i].item->voucher) continue;
        __int128 num = (__int128)aw[i].final_fen * room;
        aw[i].final_fen = (int64_t)(num / total);
        rem[i] = num % total;
        given += aw[i].final_fen;
    }
    /* Hand out the leftover 分 one by one: largest remainder first, ties by item order. */
    for (int64_t left = room - given; left > 0; left--) {
        int best = -1;
        for (int i = 0; i < n; i++)
            if (rem[i] >= 0 && (best < 0 || rem[i] > rem[best])) best = i;
        if (best < 0) break;
        aw[best].final_fen++;
        rem[best] = -1;
    }
    free(rem);
    char r[48], t[48];
    fen_format(room, true, r, sizeof r);
    fen_format(total, true, t, sizeof t);
    sb_printf(log, "  年度上限：本年度可兑付余额 %s元 < 合计 %s元，按比例分摊（尾差按最大余数法）\n", r, t);
    for (int i = 0; i < n; i++) {
        if (aw[i].item->voucher) continue;
        char f[48];
        fen_format(aw[i].final_fen, true, f, sizeof f);
        note_append(&aw[i], "受年度上限（上年地方综合贡献度）约束，按比例核定为%s元", f);
    }
}

void stacking_apply(const hq_corpus *c, const hq_factbatch *fb, int row, const hq_history *h, hq_award *aw, int n,
                    hq_strbuf *log)
{
    hq_history empty = {0};
    if (!h) h = &empty;
    int year = fb->year;
    int window = 5, cap_years = 3;
    if (n > 0 && aw[0].item->doc->stacking_window) window = aw[0].item->doc->stacking_window;
    if (n > 0 && aw[0].item->doc->stacking_cap_years) cap_years = aw[0].item->doc->stacking_cap_years;
    highest_only(aw, n, year, window, h, same_project, paid_same_project, "同一项目", log);
    highest_only(aw, n, year, window, h, same_basis, paid_same_basis, "同一年度同一依据", log);

    int64_t registered, prev_lc, type;
    /* "注册时间三年以上的企业…以其上一年度形成的地方综合贡献度为上限": governments, village
     * collectives and other non-enterprises that 15号 pays are outside the cap. */
    if (c->slots->entity_type >= 0 && factbatch_get(fb, row, c->slots->entity_type, &type) &&
        type != c->slots->entity_type_enterprise)
        return;
    bool have_reg = factbatch_get(fb, row, c->slots->registered, &registered);
    if (!have_reg) {
        if (n) sb_printf(log, "  年度上限：注册日期未提供，无法判断是否适用\n");
        return;
    }
    /* 注册时间三年以上 (以上 includes 3): registered on or before 31 Dec of year − 3. */
    if (registered > rlex_days_from_civil(year - cap_years, 12, 31)) return;
    if (!factbatch_get(fb, row, c->slots->prev_local_contribution, &prev_lc)) {
        if (n) sb_printf(log, "  年度上限：上年地方综合贡献度未提供，核定金额待核\n");
        return;
    }
    int64_t cap = fixed_to_fen(prev_lc), used = 0;
    for (int i = 0; i < h->n; i++)
        if (h->v[i].year == year && !h->v[i].voucher) used += h->v[i].amount_fen;
    int64_t room = cap > used ? cap - used : 0;
    annual_cap(aw, n, room, log);
}

void decision_id(const hq_corpus *c, const char *credit_code, int year, const hq_item *it, const hq_outcome *o, char out[24])
{
    char buf[512];
    int len = snprintf(buf, sizeof buf, "%s|%s|%d|%s|%d|%lld", c->hash, credit_code, year, it->id, o->status,
                       (long long)o->amount_fen);
    unsigned char md[32];
    unsigned int mdlen = 0;
    EVP_Digest(buf, (size_t)len, md, &mdlen, EVP_sha256(), NULL);
    snprintf(out, 24, "D-%02x%02x%02x%02x%02x%02x%02x%02x", md[0], md[1], md[2], md[3], md[4], md[5], md[6], md[7]);
}
