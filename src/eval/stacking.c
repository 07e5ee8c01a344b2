/*
 * 附则3 cross-clause rules; the contract and the order of the rules are in stacking.h, the
 * readings behind them in docs/stacking.md.
 */
#include "base/calendar.h"
#include "eval/valuetext.h"
#include "eval/stacking.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fixed.h"
#include "base/sha256.h"
#include "eval/explain.h"
#include "facts/entity.h"


/* The separator between a project's name and the value that tells its instances apart. */
#define KEY_SEP "·"



/* ---- claims ------------------------------------------------------------------------------- */

enum { CLAIMS_FIRST = 32 };

int claims_init(hq_claims *cl, int cap)
{
    cl->cap = cap > 0 ? cap : 1;
    cl->room = cl->cap < CLAIMS_FIRST ? cl->cap : CLAIMS_FIRST;
    cl->v = malloc((size_t)cl->room * sizeof *cl->v);
    cl->n = 0;
    if (!cl->v) cl->cap = cl->room = 0;
    return cl->v ? 0 : -1;
}

void claims_free(hq_claims *cl)
{
    free(cl->v);
    memset(cl, 0, sizeof *cl);
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
    if (len && len + 4 < sizeof a->note) {
        memcpy(a->note + len, "；", strlen("；") + 1);
        len = strlen(a->note);
    }
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(a->note + len, sizeof a->note - len, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n >= sizeof a->note - len) {
        /* Cut, but not inside a character: a note that is not UTF-8 cannot be sent as JSON. */
        size_t end = strlen(a->note), lead = end;
        while (lead > len && ((unsigned char)a->note[lead - 1] & 0xC0) == 0x80) lead--;
        if (lead > len) { /* a->note[lead - 1] starts the last character */
            unsigned c = (unsigned char)a->note[lead - 1];
            size_t need = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
            if (end - (lead - 1) < need) a->note[lead - 1] = 0;
        }
    }
}

static void yuan(int64_t fen, char *out, size_t size)
{
    fen_format(fen, true, out, size);
}

/* The validity window of a document clipped to the evaluation year, as days. */
static void year_window(const hq_item *it, int year, long *lo, long *hi)
{
    long jan1 = cal_days_from_civil(year, 1, 1), dec31 = cal_days_from_civil(year, 12, 31);
    *lo = jan1 > it->doc->issued ? jan1 : it->doc->issued;
    *hi = dec31 < it->doc->expires ? dec31 : it->doc->expires;
}

/* The subject of the best new recognition R of the row this year, or NULL. */
static const char *best_subject(const hq_factbatch *fb, int row, const hq_item *it, int rec)
{
    long lo, hi;
    year_window(it, fb->year, &lo, &hi);
    const hq_subject *best = NULL;
    for (int i = 0; i < fb->nsubj; i++) {
        const hq_subject *s = &fb->subj[i];
        if (s->row != row || s->rec != rec || s->day < lo || s->day > hi) continue;
        if (!best || s->level > best->level || (s->level == best->level && s->grade > best->grade)) best = s;
    }
    return best && best->subject[0] ? best->subject : NULL;
}

/* "境外并购·2021-04-01": the project's name and what tells its instances apart. */
static void claim_key(const hq_corpus *c, const hq_factbatch *fb, int row, hq_claim *cl, const char *subject)
{
    const hq_terms *t = cl->terms;
    cl->key[0] = 0;
    if (!t->project) return;
    /* The value is a subject or a fact's text (a date, an enum value, a count): a name's
     * size, so that NAME·VALUE fits a key (base/limits.h). */
    char val[HQ_NAME_MAX] = "";
    int64_t v;
    switch ((hq_pkey)t->key_kind) {
    case PKEY_NONE:
        snprintf(cl->key, sizeof cl->key, "%s", t->project);
        return;
    case PKEY_FACT:
        if (t->key_ref < 0 || !factbatch_get(fb, row, t->key_slot, &v)) break;
        /* A key is compared with claims stored in the ledger: a date keeps its ISO form there,
         * whatever people are shown. */
        if (c->facts[t->key_ref]->type.kind == HT_DATE) {
            int y, m, d;
            cal_civil_from_days((long)v, &y, &m, &d);
            snprintf(val, sizeof val, "%04d-%02d-%02d", y, m, d);
        } else {
            value_text(c, c->facts[t->key_ref]->type, NULL, v, val, sizeof val);
        }
        break;
    case PKEY_SUBJECT:
        subject = t->key_ref >= 0 ? best_subject(fb, row, cl->item, t->key_ref) : NULL;
        if (subject) snprintf(val, sizeof val, "%s", subject);
        break;
    case PKEY_EACH:
        if (subject) snprintf(val, sizeof val, "%s", subject);
        break;
    }
    if (!val[0]) {
        cl->key_missing = true;
        snprintf(cl->key, sizeof cl->key, "%s", t->project);
        return;
    }
    snprintf(cl->key, sizeof cl->key, "%s" KEY_SEP "%s", t->project, val);
}

static hq_claim *claim_new(hq_claims *cl, const hq_item *it, int part, int year)
{
    if (cl->n == cl->cap) return NULL;
    if (cl->n == cl->room) {
        int room = cl->room * 2 < cl->cap ? cl->room * 2 : cl->cap;
        hq_claim *v = realloc(cl->v, (size_t)room * sizeof *v);
        if (!v) return NULL;
        cl->v = v;
        cl->room = room;
    }
    hq_claim *x = &cl->v[cl->n++];
    memset(x, 0, sizeof *x);
    x->item = it;
    x->part = part;
    x->terms = &it->parts[part < 0 ? 0 : part].terms;
    x->data_year = year;
    x->basis_year = year + x->terms->basis_offset;
    x->year = item_received_year(it, year);
    x->voucher = it->voucher;
    return x;
}

/* One claim per subject of R received this year: the amount (the per-subject amount times
 * their number) is shared equally, any odd 分 to the first. A record without a subject is an
 * instance no one can check: its share stays unpaid until the subject is supplied. */
static int claims_each(const hq_corpus *c, const hq_factbatch *fb, int row, hq_claims *cl, const hq_item *it, int part,
                       int64_t fen)
{
    const hq_terms *t = &it->parts[part < 0 ? 0 : part].terms;
    long lo, hi;
    year_window(it, fb->year, &lo, &hi);
    const char *names[64];
    int named = 0, unnamed = 0;
    for (int i = 0; i < fb->nsubj; i++) {
        const hq_subject *s = &fb->subj[i];
        if (s->row != row || s->rec != t->key_ref || s->day < lo || s->day > hi) continue;
        if (!s->subject[0]) {
            unnamed++;
            continue;
        }
        bool seen = false;
        for (int k = 0; k < named && !seen; k++) seen = !strcmp(names[k], s->subject);
        if (!seen && named < 64) names[named++] = s->subject;
    }
    int total = named + unnamed;
    if (total == 0) total = 1;
    for (int k = 0; k < named + unnamed; k++) {
        hq_claim *x = claim_new(cl, it, part, fb->year);
        if (!x) return -1;
        x->amount_fen = x->final_fen = fen / total + (k == 0 ? fen % total : 0);
        claim_key(c, fb, row, x, k < named ? names[k] : NULL);
    }
    if (named + unnamed == 0) { /* the count said otherwise: keep the money unidentified */
        hq_claim *x = claim_new(cl, it, part, fb->year);
        if (!x) return -1;
        x->amount_fen = x->final_fen = fen;
        claim_key(c, fb, row, x, NULL);
    }
    return 0;
}

static int claims_of_part(const hq_corpus *c, const hq_factbatch *fb, int row, hq_claims *cl, const hq_item *it, int part,
                          int64_t fen)
{
    if (it->parts[part < 0 ? 0 : part].terms.key_kind == PKEY_EACH) return claims_each(c, fb, row, cl, it, part, fen);
    hq_claim *x = claim_new(cl, it, part, fb->year);
    if (!x) return -1;
    x->amount_fen = x->final_fen = fen;
    claim_key(c, fb, row, x, NULL);
    return 0;
}

/* Cut an award into its claims: each paying part of an item with parts (the best one when
 * its parts are alternatives), else the item as a whole. */
static int award_claims(const hq_corpus *c, hq_vm *vm, const hq_factbatch *fb, int row, hq_award *a, hq_claims *cl)
{
    const hq_item *it = a->item;
    a->claim0 = cl->n;
    if (!it->has_parts || it->nparts == 1) {
        if (claims_of_part(c, fb, row, cl, it, it->has_parts ? 0 : -1, a->amount_fen)) return -1;
    } else {
        rvm_eval_one(vm, fb, row, it);
        int64_t fen[32] = {0}, sum = 0;
        int best = -1;
        for (int p = 0; p < it->nparts && p < 32; p++) {
            fen[p] = rvm_part_fen(vm, it, p);
            sum += fen[p];
            if (fen[p] > 0 && (best < 0 || fen[p] > fen[best])) best = p;
        }
        if (it->combine_max) {
            if (best < 0 || fen[best] != a->amount_fen) return -1;
            if (claims_of_part(c, fb, row, cl, it, best, a->amount_fen)) return -1;
        } else {
            if (sum != a->amount_fen) return -1; /* the parts must add up to what the item computed */
            for (int p = 0; p < it->nparts && p < 32; p++)
                if (fen[p] > 0 && claims_of_part(c, fb, row, cl, it, p, fen[p])) return -1;
        }
    }
    a->nclaims = cl->n - a->claim0;
    return 0;
}

static const char *part_label(const hq_claim *x)
{
    return x->part >= 0 && x->item->has_parts ? x->item->parts[x->part].label : "";
}

/* ---- what counts as the same ---------------------------------------------------------------- */

/* A past award is for the claim's project when its key is the claim's, or when it names the
 * project alone: a past award that does not say which instance it was for is taken to be
 * for every instance — it may cut an award, never let one be paid twice. */
static bool same_project_key(const hq_past_award *h, const hq_claim *x)
{
    if (!x->key[0] || !h->project[0]) return false;
    if (!strcmp(h->project, x->key)) return true;
    return !strstr(h->project, KEY_SEP) && !strcmp(h->project, x->terms->project);
}

static bool in_window(int past, int year, int window)
{
    return past <= year && past > year - window;
}

/* Rule 1 across years: the past award is the same project in the sense of the item's recur.
 * A past award of a yearly item was a new award for its own data year only, whatever the
 * item now asking: it overlaps that year alone. */
static bool same_project_past(const hq_past_award *h, const hq_claim *x, int window)
{
    if (!same_project_key(h, x)) return false;
    if (h->recur == RECUR_YEARLY) return h->data_year == x->data_year;
    switch (item_recur(x->item)) {
    case RECUR_UPGRADE: return in_window(h->data_year, x->data_year, window);
    case RECUR_YEARLY: return h->data_year == x->data_year;
    case RECUR_ONCE: return true;
    case RECUR__COUNT: break;
    }
    return false;
}

static bool same_basis_past(const hq_past_award *h, const hq_claim *x)
{
    return x->terms->basis != BASIS_NONE && h->basis == x->terms->basis && h->basis_year == x->basis_year;
}

/* For lifetime limits and one-off awards without a project: the same item and part. */
/* A past award of the claim's item and part (and project). One recorded without its part (an
 * import that did not say) counts against every part of the item: like a project name
 * without its instance, it may cut an award, never let one be paid twice. */
static bool same_item_part(const hq_past_award *h, const hq_claim *x)
{
    return !strcmp(h->item_id, x->item->id) && (!h->part[0] || !strcmp(h->part, part_label(x))) &&
           (!x->key[0] || !h->project[0] || same_project_key(h, x));
}

/* ---- groups: the claims of one award with one project and one basis --------------------- */

typedef struct {
    const hq_corpus *c;
    hq_award *aw;
    int naw;
    hq_claim *v;
    int n;
    int *owner;               /* award index of each claim */
    int *group;               /* first claim of each claim's group */
    const hq_history *h;
    int window;
    hq_strbuf *log;
} stack;

static int64_t group_total(const stack *s, int g)
{
    int64_t t = 0;
    for (int i = g; i < s->n; i++)
        if (s->group[i] == g) t += s->v[i].final_fen;
    return t;
}

static void group_zero(stack *s, int g)
{
    for (int i = g; i < s->n; i++)
        if (s->group[i] == g) s->v[i].final_fen = 0;
}

/* Take `cut` 分 off the claims of group g in proportion to what each pays, the odd 分 from
 * the largest shares first (so the cut is exact and no claim goes below zero). */
static void group_cut(stack *s, int g, int64_t cut)
{
    int64_t total = group_total(s, g);
    if (cut >= total) {
        group_zero(s, g);
        return;
    }
    int64_t keep = total - cut, given = 0;
    for (int i = g; i < s->n; i++) {
        if (s->group[i] != g) continue;
        int64_t k = (int64_t)((__int128)s->v[i].final_fen * keep / total);
        given += k;
        s->v[i].final_fen = k;
    }
    /* The leftover (fewer than the number of claims) goes to the first claims of the group. */
    for (int i = g; i < s->n && given < keep; i++)
        if (s->group[i] == g) {
            s->v[i].final_fen++;
            given++;
        }
}

static bool groups_overlap_project(const stack *s, int a, int b)
{
    return s->v[a].key[0] && !s->v[a].key_missing && !strcmp(s->v[a].key, s->v[b].key);
}

static bool groups_overlap_basis(const stack *s, int a, int b)
{
    return s->v[a].terms->basis != BASIS_NONE && s->v[a].terms->basis == s->v[b].terms->basis &&
           s->v[a].basis_year == s->v[b].basis_year;
}

/* Within this evaluation: of the groups of different awards that overlap, the highest
 * total keeps its amount (ties: the first), the others pay nothing. */
static void highest_only(stack *s, bool (*overlap)(const stack *, int, int))
{
    for (int g = 0; g < s->n; g++) {
        if (s->group[g] != g) continue;
        int64_t mine = group_total(s, g);
        if (mine <= 0) continue;
        int best = g;
        int64_t best_total = mine;
        for (int k = 0; k < s->n; k++) {
            if (s->group[k] != k || k == g || s->owner[k] == s->owner[g] || !overlap(s, g, k)) continue;
            int64_t t = group_total(s, k);
            if (t > best_total || (t == best_total && t > 0 && k < best)) {
                best = k;
                best_total = t;
            }
        }
        if (best == g) continue;
        hq_award *a = &s->aw[s->owner[g]];
        const char *other = s->v[best].item->id;
        char why[HQ_KEY_MAX + 64];
        if (overlap == groups_overlap_project) snprintf(why, sizeof why, "同一项目（%s）", s->v[g].key);
        else snprintf(why, sizeof why, "以同一年度（%d年）%s为依据", s->v[g].basis_year, basis_label(s->v[g].terms->basis));
        const char *label = part_label(&s->v[g]);
        note_append(a, "%s%s与%s%s，就高执行，不再兑付", label, label[0] ? "部分" : "本项", other, why);
        sb_printf(s->log, "  %s%s%s：与%s%s，就高执行，本项 0 元\n", a->item->id, label[0] ? " " : "", label, other, why);
        group_zero(s, g);
    }
}

/* Across years: what the history paid for the group's project or on its basis is deducted
 * from the group once (a past award overlapping both ways counts once); a one-off award
 * already paid pays nothing more. */
static void deduct_history(stack *s)
{
    for (int g = 0; g < s->n; g++) {
        if (s->group[g] != g || group_total(s, g) <= 0) continue;
        const hq_claim *x = &s->v[g];
        hq_award *a = &s->aw[s->owner[g]];
        bool once = item_recur(x->item) == RECUR_ONCE;
        int64_t paid = 0;
        int once_year = 0;
        bool by_project = false, by_basis = false;
        for (int i = 0; i < s->h->n; i++) {
            const hq_past_award *p = &s->h->v[i];
            bool proj = x->key[0] ? same_project_past(p, x, s->window) : once && same_item_part(p, x);
            bool basis = same_basis_past(p, x);
            if (once && proj && p->amount_fen > 0) once_year = once_year ? once_year : p->year;
            if (!proj && !basis) continue;
            paid += p->amount_fen;
            by_project |= proj;
            by_basis |= basis && !proj;
        }
        if (once_year) {
            note_append(a, "一次性奖励：%s已于%d年获奖补，不再兑付", x->key[0] ? x->key : "本项", once_year);
            sb_printf(s->log, "  %s：一次性奖励，%s已于%d年获奖补，本项 0 元\n", a->item->id, x->key[0] ? x->key : "本项", once_year);
            group_zero(s, g);
            continue;
        }
        if (paid <= 0) continue;
        int64_t before = group_total(s, g);
        group_cut(s, g, paid);
        int64_t after = group_total(s, g);
        char b[48], p[48], f[48];
        yuan(before, b, sizeof b);
        yuan(paid, p, sizeof p);
        yuan(after, f, sizeof f);
        if (x->item->nstages && by_project) {
            note_append(a, "前期节点已兑付%s元，本次兑付%s元", p, f);
            sb_printf(s->log, "  %s：分节点兑付，累计应兑付%s元，前期已兑付%s元，本次%s元\n", a->item->id, b, p, f);
            continue;
        }
        char what[HQ_KEY_MAX + 64];
        if (by_project && by_basis)
            snprintf(what, sizeof what, "同一项目（%s）及以%d年度%s为依据", x->key, x->basis_year, basis_label(x->terms->basis));
        else if (by_project) snprintf(what, sizeof what, "同一项目（%s）", x->key);
        else snprintf(what, sizeof what, "以%d年度%s为依据", x->basis_year, basis_label(x->terms->basis));
        note_append(a, "%s已获奖补%s元，补足差额%s元", what, p, f);
        sb_printf(s->log, "  %s：%s已获%s元，应得%s元，补足差额%s元\n", a->item->id, what, p, b, f);
    }
}

/* Lifetime limits of a part, per project: at most N data years (the years it was paid,
 * this one excepted), at most a total over all years. */
static void lifetime_limits(stack *s)
{
    for (int i = 0; i < s->n; i++) {
        hq_claim *x = &s->v[i];
        const hq_terms *t = x->terms;
        if (x->final_fen <= 0 || (!t->limit_years && !t->limit_total)) continue;
        hq_award *a = &s->aw[s->owner[i]];
        int years[64], ny = 0;
        int64_t paid = 0;
        for (int k = 0; k < s->h->n; k++) {
            const hq_past_award *p = &s->h->v[k];
            if (!same_item_part(p, x) || p->amount_fen <= 0) continue;
            paid += p->amount_fen;
            bool seen = p->data_year == x->data_year;
            for (int y = 0; y < ny && !seen; y++) seen = years[y] == p->data_year;
            if (!seen && ny < 64) years[ny++] = p->data_year;
        }
        const char *label = part_label(x);
        if (t->limit_years && ny >= t->limit_years) {
            note_append(a, "%s%s连续奖励限%d年，已于此前%d个年度获奖补，本年度不再兑付", label, label[0] ? "部分" : "", t->limit_years, ny);
            sb_printf(s->log, "  %s%s%s：限%d年，已获%d个年度，本项 0 元\n", a->item->id, label[0] ? " " : "", label, t->limit_years, ny);
            x->final_fen = 0;
            continue;
        }
        if (t->limit_total) {
            int64_t cap = fixed_to_fen(t->limit_total), room = cap > paid ? cap - paid : 0;
            if (x->final_fen <= room) continue;
            char cp[48], pd[48], f[48];
            yuan(cap, cp, sizeof cp);
            yuan(paid, pd, sizeof pd);
            yuan(room, f, sizeof f);
            note_append(a, "%s%s累计总额不超过%s元，此前已获%s元，本次%s元", label, label[0] ? "部分" : "", cp, pd, f);
            sb_printf(s->log, "  %s%s%s：累计总额上限%s元，已获%s元，本次%s元\n", a->item->id, label[0] ? " " : "", label, cp, pd, f);
            x->final_fen = room;
        }
    }
}

/* ---- rule 4: the annual cap ------------------------------------------------------------------ */

/* Proportional cut of the cash claims received in `year` to `room`, by largest remainder. */
static void cap_year_cut(stack *s, int year, int64_t room)
{
    int64_t total = 0;
    for (int i = 0; i < s->n; i++)
        if (!s->v[i].voucher && s->v[i].year == year) total += s->v[i].final_fen;
    if (total <= room) return;
    __int128 *rem = calloc((size_t)s->n + 1, sizeof *rem);
    if (!rem) {
        sb_printf(s->log, "  年度上限：内存不足，未能分摊\n");
        return;
    }
    int64_t given = 0;
    for (int i = 0; i < s->n; i++) {
        rem[i] = -1;
        if (s->v[i].voucher || s->v[i].year != year) continue;
        __int128 num = (__int128)s->v[i].final_fen * room;
        s->v[i].final_fen = (int64_t)(num / total);
        rem[i] = num % total;
        given += s->v[i].final_fen;
    }
    for (int64_t left = room - given; left > 0; left--) {
        int best = -1;
        for (int i = 0; i < s->n; i++)
            if (rem[i] >= 0 && (best < 0 || rem[i] > rem[best])) best = i;
        if (best < 0) break;
        s->v[best].final_fen++;
        rem[best] = -1;
    }
    free(rem);
    char r[48], t[48];
    yuan(room, r, sizeof r);
    yuan(total, t, sizeof t);
    sb_printf(s->log, "  年度上限（%d年度所获奖补）：可兑付余额 %s元 < 合计 %s元，按比例分摊（尾差按最大余数法）\n", year, r, t);
    for (int i = 0; i < s->naw; i++) {
        bool hit = false;
        for (int k = 0; k < s->n; k++) hit |= s->owner[k] == i && !s->v[k].voucher && s->v[k].year == year;
        if (hit) note_append(&s->aw[i], "受%d年度奖补总额上限（%d年度地方综合贡献度）约束，按比例核减", year, year - 1);
    }
}

static void annual_cap(stack *s, const hq_factbatch *fb, int row, int cap_years)
{
    const hq_slots *sl = s->c->slots;
    int64_t type, registered;
    /* "注册时间三年以上的企业…以其上一年度形成的地方综合贡献度为上限": governments, village
     * collectives and other non-enterprises that 15号 pays are outside the cap. */
    if (sl->entity_type >= 0 && factbatch_get(fb, row, sl->entity_type, &type) && type != sl->entity_type_enterprise) return;
    bool have_reg = factbatch_get(fb, row, sl->registered, &registered);
    for (int i = 0; i < s->n; i++) {
        int year = s->v[i].year;
        bool first = true;
        for (int k = 0; k < i && first; k++) first = s->v[k].year != year || s->v[k].voucher;
        if (s->v[i].voucher || !first) continue;
        if (!have_reg) {
            sb_printf(s->log, "  年度上限：注册日期未提供，无法判断是否适用\n");
            return;
        }
        /* 注册时间三年以上 (以上 includes 3): registered on or before 31 Dec of year − 3. */
        if (registered > cal_days_from_civil(year - cap_years, 12, 31)) continue;
        int slot = year - 1 == fb->year ? sl->local_contribution : year - 1 == fb->year - 1 ? sl->prev_local_contribution : -1;
        int64_t lc;
        if (!factbatch_get(fb, row, slot, &lc)) {
            sb_printf(s->log, "  年度上限：%d年度地方综合贡献度未提供，%d年度核定金额待核\n", year - 1, year);
            continue;
        }
        int64_t cap = fixed_to_fen(lc), used = 0;
        for (int k = 0; k < s->h->n; k++)
            if (s->h->v[k].year == year && !s->h->v[k].voucher) used += s->h->v[k].amount_fen;
        cap_year_cut(s, year, cap > used ? cap - used : 0);
    }
}

/* ---- the whole -------------------------------------------------------------------------------- */

int stacking_apply(const hq_corpus *c, hq_vm *vm, const hq_factbatch *fb, int row, const hq_history *h, hq_award *aw, int n,
                   hq_claims *cl, hq_strbuf *log)
{
    hq_history empty = {0};
    if (!h) h = &empty;
    cl->n = 0;
    for (int i = 0; i < n; i++) {
        aw[i].final_fen = aw[i].amount_fen;
        aw[i].key_missing = false;
        if (award_claims(c, vm, fb, row, &aw[i], cl)) {
            for (int k = 0; k < n; k++) aw[k].final_fen = 0;
            sb_printf(log, "  附则3：奖补项拆分失败（%s），均不予测算兑付\n", aw[i].item->id);
            return -1;
        }
    }
    int *owner = calloc((size_t)cl->n + 1, sizeof *owner), *group = calloc((size_t)cl->n + 1, sizeof *group);
    if (!owner || !group) {
        free(owner);
        free(group);
        for (int k = 0; k < n; k++) aw[k].final_fen = 0;
        return -1;
    }
    for (int i = 0; i < n; i++)
        for (int k = aw[i].claim0; k < aw[i].claim0 + aw[i].nclaims; k++) owner[k] = i;
    for (int k = 0; k < cl->n; k++) {
        group[k] = k;
        for (int j = aw[owner[k]].claim0; j < k; j++)
            if (!strcmp(cl->v[j].key, cl->v[k].key) && cl->v[j].terms->basis == cl->v[k].terms->basis &&
                cl->v[j].key_missing == cl->v[k].key_missing) {
                group[k] = group[j];
                break;
            }
    }
    int window = 5, cap_years = 3;
    if (n > 0 && aw[0].item->doc->stacking_window) window = aw[0].item->doc->stacking_window;
    if (n > 0 && aw[0].item->doc->stacking_cap_years) cap_years = aw[0].item->doc->stacking_cap_years;
    stack s = {.c = c, .aw = aw, .naw = n, .v = cl->v, .n = cl->n, .owner = owner, .group = group, .h = h, .window = window, .log = log};
    /* A claim whose project cannot be told apart from others cannot be checked against the
     * history: it waits for the data that identifies it. */
    for (int k = 0; k < cl->n; k++)
        if (cl->v[k].key_missing && cl->v[k].final_fen > 0) {
            hq_award *a = &aw[owner[k]];
            a->key_missing = true;
            cl->v[k].final_fen = 0;
            note_append(a, "无法确定所奖励的具体项目（%s），待补充数据", cl->v[k].terms->key_name);
            sb_printf(log, "  %s：无法确定具体项目（%s），待补充数据，本项暂不兑付\n", a->item->id, cl->v[k].terms->key_name);
        }
    /* What each award can still be paid comes first (what the history paid for it, its
     * lifetime room, a one-off award already made); "就高" then compares those amounts, so
     * an award whose room is spent does not push aside one that can still pay. */
    deduct_history(&s);
    lifetime_limits(&s);
    highest_only(&s, groups_overlap_project);
    highest_only(&s, groups_overlap_basis);
    annual_cap(&s, fb, row, cap_years);
    for (int i = 0; i < n; i++) {
        int64_t sum = 0;
        for (int k = aw[i].claim0; k < aw[i].claim0 + aw[i].nclaims; k++) sum += cl->v[k].final_fen;
        aw[i].final_fen = sum;
    }
    free(owner);
    free(group);
    return 0;
}

/* At most 128 bytes of `s` at buf[at…]; the new end. */
static size_t put_text(char *buf, size_t at, const char *s)
{
    for (size_t n = 0; n < 128 && s[n]; n++) buf[at++] = s[n];
    return at;
}

/* `v` in decimal at buf[at…] (at most 21 bytes); the new end. */
static size_t put_int(char *buf, size_t at, int64_t v)
{
    if (v < 0) buf[at++] = '-';
    return at + (size_t)fixed_digits(v < 0 ? 0 - (uint64_t)v : (uint64_t)v, buf + at);
}

void decision_id(const hq_corpus *c, const char *credit_code, int year, const hq_item *it, const hq_outcome *o, char out[24])
{
    /* HASH|CODE|YEAR|ITEM|STATUS|AMOUNT, without printf: every result shown gets one. The
     * texts are a hash, a credit code and an item id, far below the 128 bytes each may take. */
    char buf[3 * 128 + 3 * 21 + 5];
    size_t len = put_text(buf, 0, c->hash);
    buf[len++] = '|';
    len = put_text(buf, len, credit_code);
    buf[len++] = '|';
    len = put_int(buf, len, year);
    buf[len++] = '|';
    len = put_text(buf, len, it->id);
    buf[len++] = '|';
    len = put_int(buf, len, o->status);
    buf[len++] = '|';
    len = put_int(buf, len, o->amount_fen);
    unsigned char md[32];
    hq_sha256(buf, len, md);
    out[0] = 'D';
    out[1] = '-';
    hq_hex(md, 8, out + 2);
}
