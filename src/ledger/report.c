/*
 * Report tables from the store's grouped totals; see report.h. The store returns one row
 * per (group, state); this file folds the states into workflow-stage columns.
 */
#include "ledger/report.h"

#include "base/calendar.h"

#include <stdlib.h>
#include <string.h>

static const struct {
    const char *code, *zh;
} BY[REPORT__COUNT] = {
    [REPORT_DOCUMENT] = {"document", "文件"}, [REPORT_ITEM] = {"item", "条款"},
    [REPORT_DEPARTMENT] = {"department", "责任单位"}, [REPORT_DISTRICT] = {"district", "区域"},
    [REPORT_INDUSTRY] = {"industry", "行业"}, [REPORT_YEAR] = {"year", "年度"},
    [REPORT_STATE] = {"state", "状态"}, [REPORT_MONTH] = {"month", "兑付月份"},
};

int report_by_parse(const char *s)
{
    for (int i = 0; i < REPORT__COUNT; i++)
        if (!strcmp(s, BY[i].code) || !strcmp(s, BY[i].zh)) return i;
    return -1;
}

const char *report_by_zh(int by)
{
    return by >= 0 && by < REPORT__COUNT ? BY[by].zh : "";
}

/* Workflow stages as report columns, cash only; 服务券 (vouchers) are a column of their own,
 * since they are not money the treasury pays out. The total is the cash the city has
 * committed (approved and on): 待申报 is what matching found and nobody has claimed yet, and
 * 办理中 is not decided, so neither is added to money already committed. */
enum { COL_PUSH, COL_PROCESS, COL_APPROVED, COL_PAID, COL_REJECTED, COL_VOUCHER, NCOLS };
static const char *const COL_ZH[NCOLS] = {"待申报(免申即享)", "办理中", "已核定待兑付", "已兑付", "已驳回", "服务券(不含驳回)"};
#define TOTAL_ZH "已核定现金合计"

static bool in_total(int col)
{
    return col == COL_APPROVED || col == COL_PAID;
}

static int stage_of(const char *state)
{
    int st = award_state_parse(state);
    if (st < 0) return COL_REJECTED;
    switch ((hq_award_state)st) {
    case AWARD_CANDIDATE:
    case AWARD_PUSHED: return COL_PUSH;
    case AWARD_APPLIED:
    case AWARD_RETURNED:
    case AWARD_ACCEPTED: return COL_PROCESS;
    case AWARD_APPROVED:
    case AWARD_PUBLICIZING:
    case AWARD_PUBLICIZED: return COL_APPROVED;
    case AWARD_PAID:
    case AWARD_ARCHIVED: return COL_PAID;
    case AWARD_REJECTED:
    case AWARD__COUNT: break;
    }
    return COL_REJECTED;
}

typedef struct {
    char key[160];
    int rank;                  /* place in the official order, where there is one */
    int64_t count, fen[NCOLS];
} group;

typedef struct {
    group *g;
    int n, cap;
    bool oom;
} groups;

static int collect(const hq_report_row *r, void *ud)
{
    groups *gs = ud;
    if (gs->n == 0 || strcmp(gs->g[gs->n - 1].key, r->key)) {
        if (gs->n == gs->cap) {
            int cap = gs->cap ? gs->cap * 2 : 64;
            group *ng = cap <= 200000 ? realloc(gs->g, sizeof *ng * (size_t)cap) : NULL;
            if (!ng) {
                gs->oom = true;
                return 1;
            }
            gs->g = ng;
            gs->cap = cap;
        }
        memset(&gs->g[gs->n], 0, sizeof gs->g[0]);
        snprintf(gs->g[gs->n].key, sizeof gs->g[0].key, "%s", r->key);
        gs->n++;
    }
    group *g = &gs->g[gs->n - 1];
    int stage = stage_of(r->state);
    int col = r->voucher && stage != COL_REJECTED ? COL_VOUCHER : stage;
    g->count += r->count;
    g->fen[col] += stage == COL_PAID ? r->paid_fen : r->amount_fen;
    return 0;
}

/* Departments in the order the policies themselves name them: each policy's 附则 says who
 * carries it out ("具体由市政府办公室商市委宣传部、市发展改革委、市经信局、…、市投促局等部门承担",
 * 温政发〔2020〕12号 附则5; 13、14号 add none; 15号 附则 adds "市农业农村局、…、市供销社"),
 * which is the city's official order. Names the 分工表 spells another way share a place. */
static const char *const DEPARTMENT_ORDER[][2] = {
    {"市委宣传部", NULL}, {"市发展改革委", NULL}, {"市经信局", NULL}, {"市科技局", NULL}, {"市财政局", NULL},
    {"市人力社保局", NULL}, {"市民政局", NULL}, {"市住建局", NULL}, {"市商务局", NULL}, {"市文广旅局", NULL},
    {"市体育局", NULL}, {"市市场监管局", NULL}, {"市金融办", NULL}, {"市投促局", "市投资促进局"},
    {"市农业农村局", NULL}, {"市自然资源和规划局", NULL}, {"市水利局", NULL}, {"市生态环境局", NULL},
    {"市粮食和物资储备局", "市粮食物资局"}, {"市供销社", NULL},
};

/* The place of a department group (by the first department it names); others after. */
static int department_rank(const char *key)
{
    static const char *const SEPARATORS[] = {"、", " ", "(", "（"};
    size_t len = strlen(key);
    for (size_t i = 0; i < sizeof SEPARATORS / sizeof *SEPARATORS; i++) {
        const char *at = strstr(key, SEPARATORS[i]);
        if (at && (size_t)(at - key) < len) len = (size_t)(at - key);
    }
    for (size_t i = 0; i < sizeof DEPARTMENT_ORDER / sizeof *DEPARTMENT_ORDER; i++)
        for (int k = 0; k < 2; k++) {
            const char *name = DEPARTMENT_ORDER[i][k];
            if (name && strlen(name) == len && !strncmp(key, name, len)) return (int)i;
        }
    return 1 << 20;
}

/* Districts in the official order of the gazette's tables (the order of the district enum
 * in policies/facts.hq: 鹿城区 … 浙南产业集聚区, then the counties), states in workflow order;
 * others after, by name. */
static int by_rank(const void *x, const void *y)
{
    const group *a = x, *b = y;
    return a->rank != b->rank ? (a->rank < b->rank ? -1 : 1) : strcmp(a->key, b->key);
}

/* The groups of a report, folded into columns and put in order; NULL gs.g on failure. */
static bool fold(hq_store *s, const hq_corpus *c, int by, int year, groups *gs, hq_diag *diag)
{
    if (store_report(s, (hq_report_by)by, year, collect, gs) || gs->oom) {
        diag_add(diag, "report", "%s", gs->oom ? "分组过多" : store_error(s));
        free(gs->g);
        gs->g = NULL;
        return false;
    }
    bool districts = by == REPORT_DISTRICT && c && c->enum_district >= 0;
    if ((districts || by == REPORT_STATE || by == REPORT_DEPARTMENT) && gs->n > 1) {
        for (int i = 0; i < gs->n; i++) {
            const char *key = gs->g[i].key;
            int v = by == REPORT_DEPARTMENT ? department_rank(key)
                    : districts            ? enum_value(c->enums[c->enum_district], key)
                                           : award_state_parse(key);
            gs->g[i].rank = v >= 0 ? v : 1 << 20;
        }
        qsort(gs->g, (size_t)gs->n, sizeof *gs->g, by_rank);
    }
    return true;
}

static void key_label(const hq_corpus *c, int by, const char *key, char *out, size_t size)
{
    if (by == REPORT_STATE) {
        int s = award_state_parse(key);
        snprintf(out, size, "%s", s >= 0 ? award_state_zh((hq_award_state)s) : key);
    } else if (by == REPORT_ITEM && c && corpus_find_item(c, key)) {
        snprintf(out, size, "%s %s", key, corpus_find_item(c, key)->title);
    } else {
        snprintf(out, size, "%s", *key ? key : "(未知)");
    }
}

hq_table *ledger_report(hq_store *s, const hq_corpus *c, int by, int year, hq_diag *diag)
{
    groups gs = {0};
    if (!fold(s, c, by, year, &gs, diag)) return NULL;
    char title[96];
    if (year) snprintf(title, sizeof title, "奖补兑现统计(按%s, %d年度)", report_by_zh(by), year);
    else snprintf(title, sizeof title, "奖补兑现统计(按%s)", report_by_zh(by));
    hq_table *t = table_new(title);
    if (!t) {
        free(gs.g);
        return NULL;
    }
    table_add_column(t, report_by_zh(by), HQ_COL_TEXT);
    table_add_column(t, "笔数", HQ_COL_INT);
    for (int k = 0; k < NCOLS; k++) table_add_column(t, COL_ZH[k], HQ_COL_MONEY_FEN);
    table_add_column(t, TOTAL_ZH, HQ_COL_MONEY_FEN);
    for (int i = 0; i < gs.n; i++) {
        char label[256];
        key_label(c, by, gs.g[i].key, label, sizeof label);
        table_add_row(t);
        table_set_text(t, 0, label);
        table_set_int(t, 1, gs.g[i].count);
        int64_t sum = 0;
        for (int k = 0; k < NCOLS; k++) {
            table_set_fen(t, 2 + k, gs.g[i].fen[k]);
            if (in_total(k)) sum += gs.g[i].fen[k];
        }
        table_set_fen(t, 2 + NCOLS, sum);
    }
    table_add_total(t, "合计");
    free(gs.g);
    if (table_error(t)) {
        diag_add(diag, "report", "%s", table_error(t));
        table_free(t);
        return NULL;
    }
    return t;
}

json_t *ledger_report_json(hq_store *s, const hq_corpus *c, int by, int year, hq_diag *diag)
{
    groups gs = {0};
    if (!fold(s, c, by, year, &gs, diag)) return NULL;
    json_t *cols = json_array(), *rows = json_array();
    for (int k = 0; k < NCOLS; k++) json_array_append_new(cols, json_string(COL_ZH[k]));
    int64_t tot[NCOLS] = {0}, tcount = 0, tsum = 0;
    for (int i = 0; i < gs.n; i++) {
        char label[256];
        key_label(c, by, gs.g[i].key, label, sizeof label);
        json_t *fen = json_array();
        int64_t sum = 0;
        for (int k = 0; k < NCOLS; k++) {
            json_array_append_new(fen, json_integer(gs.g[i].fen[k]));
            tot[k] += gs.g[i].fen[k];
            if (in_total(k)) sum += gs.g[i].fen[k];
        }
        tcount += gs.g[i].count;
        tsum += sum;
        json_array_append_new(rows, json_pack("{s:s, s:s, s:I, s:o, s:I}", "key", gs.g[i].key, "label", label, "count",
                                              (json_int_t)gs.g[i].count, "fen", fen, "total_fen", (json_int_t)sum));
    }
    json_t *tf = json_array();
    for (int k = 0; k < NCOLS; k++) json_array_append_new(tf, json_integer(tot[k]));
    free(gs.g);
    return json_pack("{s:s, s:s, s:i, s:o, s:s, s:o, s:{s:I, s:o, s:I}}", "by", BY[by].code, "by_zh", BY[by].zh, "year", year,
                     "columns", cols, "total_zh", TOTAL_ZH, "rows", rows, "total", "count", (json_int_t)tcount, "fen", tf,
                     "total_fen", (json_int_t)tsum);
}

/* ---- 兑现 at a glance ------------------------------------------------------------------- */

enum { SUMMARY_MAX_FIRMS = 1 << 20 };

typedef struct {
    hq_store *s;
    ledger_timeliness t;
    char mid[11], end[11];     /* the deadlines as YYYY-MM-DD, "" for all years */
    char (*firms)[20];
    int nfirms, cap;
    bool failed;
} summary_walk;

static int first_apply(const hq_audit_rec *r, void *ud)
{
    if (strcmp(r->action, "apply") && strcmp(r->action, "push")) return 0;
    snprintf(ud, 32, "%s", r->at);
    return !strcmp(r->action, "apply"); /* the application, or failing that the push */
}

/* The day of a timestamp "2022-03-01T09:30:00+08:00", or -1. */
static long day_of(const char *iso)
{
    char day[11];
    snprintf(day, sizeof day, "%.10s", iso);
    return cal_valid_text(day) ? cal_days_from_text(day) : -1;
}

static void note_firm(summary_walk *w, const char *code)
{
    for (int i = 0; i < w->nfirms; i++)
        if (!strcmp(w->firms[i], code)) return;
    if (w->nfirms == w->cap) {
        int cap = w->cap ? w->cap * 2 : 256;
        char(*f)[20] = cap <= SUMMARY_MAX_FIRMS ? realloc(w->firms, sizeof *f * (size_t)cap) : NULL;
        if (!f) {
            w->failed = true;
            return;
        }
        w->firms = f;
        w->cap = cap;
    }
    snprintf(w->firms[w->nfirms++], sizeof w->firms[0], "%s", code);
}

static int summary_one(const hq_award_rec *a, void *ud)
{
    summary_walk *w = ud;
    bool paid = a->state == AWARD_PAID || a->state == AWARD_ARCHIVED;
    bool due = paid || a->state == AWARD_APPROVED || a->state == AWARD_PUBLICIZING || a->state == AWARD_PUBLICIZED;
    if (!due || a->voucher) return 0;
    w->t.due++;
    w->t.due_fen += a->amount_fen;
    if (!paid) return 0;
    w->t.paid++;
    w->t.paid_fen += a->amount_fen;
    note_firm(w, a->credit_code);
    hq_payment_rec p;
    char applied[32] = "", object[48];
    snprintf(object, sizeof object, "award#%lld", (long long)a->id);
    if (store_payment_get(w->s, a->id, &p) || store_audit_of(w->s, object, first_apply, applied)) {
        w->failed = true;
        return 1;
    }
    long from = *applied ? day_of(applied) : -1, to = day_of(p.at);
    if (from >= 0 && to >= from) {
        w->t.days_sum += to - from;
        w->t.days_n++;
    }
    /* ISO dates compare as text; the award's amount, as the share above is by amount. */
    if (*w->mid && strncmp(p.at, w->mid, 10) <= 0) w->t.paid_mid++, w->t.paid_mid_fen += a->amount_fen;
    if (*w->end && strncmp(p.at, w->end, 10) <= 0) w->t.paid_end++, w->t.paid_end_fen += a->amount_fen;
    return w->failed;
}

int ledger_timeliness_of(hq_store *s, int year, ledger_timeliness *out, hq_diag *diag)
{
    summary_walk w = {.s = s};
    w.t.year = year;
    if (year >= HQ_YEAR_MIN && year <= HQ_YEAR_MAX) { /* four digits: the bound tells the compiler so */
        snprintf(w.mid, sizeof w.mid, "%04d-06-30", (year + 1) % 10000);
        snprintf(w.end, sizeof w.end, "%04d-12-31", (year + 1) % 10000);
    }
    hq_award_filter f = {.state = -1, .year = year};
    if (store_award_list(s, &f, summary_one, &w) || w.failed) {
        diag_add(diag, "summary", "%s", w.failed && !*store_error(s) ? "企业过多" : store_error(s));
        free(w.firms);
        return -1;
    }
    free(w.firms);
    w.t.firms_paid = w.nfirms;
    *out = w.t;
    return 0;
}

int64_t ledger_share_tenths(int64_t paid_fen, int64_t due_fen)
{
    if (due_fen <= 0) return 0;
    /* Amounts are below 2^53 分 in any real ledger; 2000·paid stays far inside int64. */
    int64_t n = paid_fen * 2000 + (paid_fen >= 0 ? due_fen : -due_fen);
    return n / (2 * due_fen);
}

json_t *ledger_summary_json(hq_store *s, int year, hq_diag *diag)
{
    ledger_timeliness t;
    if (ledger_timeliness_of(s, year, &t, diag)) return NULL;
    /* Share paid in parts per thousand, by amount: integers only, as every figure here. */
    int64_t permille = t.due_fen ? t.paid_fen * 1000 / t.due_fen : 0;
    json_t *j = json_pack("{s:i, s:i, s:I, s:I, s:I, s:I, s:I, s:o}", "year", year, "firms_paid", t.firms_paid, "due",
                          (json_int_t)t.due, "paid", (json_int_t)t.paid, "due_fen", (json_int_t)t.due_fen, "paid_fen",
                          (json_int_t)t.paid_fen, "paid_permille", (json_int_t)permille, "avg_days_to_pay",
                          t.days_n ? json_integer((json_int_t)((t.days_sum + t.days_n / 2) / t.days_n)) : json_null());
    if (j && year) {
        json_object_set_new(j, "paid_by_midyear_fen", json_integer((json_int_t)t.paid_mid_fen));
        json_object_set_new(j, "paid_by_yearend_fen", json_integer((json_int_t)t.paid_end_fen));
    }
    return j;
}
