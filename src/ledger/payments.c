/*
 * The treasury's payment list; see payments.h. Paid and archived awards are walked in id
 * order and each one's payment is read with its split; the batch and year filters apply to
 * the payment and the award.
 */
#include "ledger/payments.h"

#include <stdlib.h>
#include <string.h>

enum { MAX_PAYERS = 32 };

typedef struct {
    hq_store *s;
    const hq_corpus *c;
    const char *batch;
    int year;
    json_t *rows;
    int64_t total_fen;
    struct {
        char name[32];
        int64_t fen;
    } payer[MAX_PAYERS];
    int npayers;
    bool failed;
} walk;

static void add_payer(walk *w, const char *payer, int64_t fen)
{
    int i;
    for (i = 0; i < w->npayers && strcmp(w->payer[i].name, payer); i++)
        ;
    if (i == w->npayers) {
        if (w->npayers == MAX_PAYERS) return;
        snprintf(w->payer[w->npayers++].name, sizeof w->payer[0].name, "%s", payer);
    }
    w->payer[i].fen += fen;
}

static int one(const hq_award_rec *a, void *ud)
{
    walk *w = ud;
    if (a->state != AWARD_PAID && a->state != AWARD_ARCHIVED) return 0;
    if (w->year && a->year != w->year) return 0;
    hq_payment_rec p;
    int rc = store_payment_get(w->s, a->id, &p);
    if (rc < 0) {
        w->failed = true;
        return 1;
    }
    if (rc || (w->batch && strcmp(p.batch, w->batch))) return 0;
    /* The treasury pays into the firm's 收款账户; an award applied for on paper may have none
     * recorded here (its form carries it). */
    hq_bank_rec b = {0};
    if (store_bank_get(w->s, a->credit_code, &b) < 0) {
        w->failed = true;
        return 1;
    }
    const hq_item *it = w->c ? corpus_find_item(w->c, a->item) : NULL;
    json_t *splits = json_array();
    for (int i = 0; i < p.nsplits; i++) {
        json_array_append_new(splits, json_pack("{s:s, s:I}", "payer", p.splits[i].payer, "amount_fen",
                                                (json_int_t)p.splits[i].amount_fen));
        add_payer(w, p.splits[i].payer, p.splits[i].amount_fen);
    }
    json_array_append_new(w->rows, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:b, s:i, s:s, s:s, s:I, s:o}", "award",
                                             (json_int_t)a->id, "credit_code", a->credit_code, "name", a->entity_name,
                                             "item", a->item, "title", it ? it->title : "", "document", a->document,
                                             "voucher", p.voucher, "year", a->year, "batch", p.batch, "at", p.at,
                                             "amount_fen", (json_int_t)p.amount_fen, "splits", splits));
    json_t *row = json_array_get(w->rows, json_array_size(w->rows) - 1);
    json_object_set_new(row, "bank", json_string(b.bank));
    json_object_set_new(row, "account", json_string(b.account));
    w->total_fen += p.amount_fen;
    return 0;
}

json_t *ledger_payments_json(hq_store *s, const hq_corpus *c, const char *batch, int year, hq_diag *diag)
{
    walk w = {.s = s, .c = c, .batch = batch, .year = year, .rows = json_array()};
    hq_award_filter f = {.state = -1};
    if (store_award_list(s, &f, one, &w) || w.failed) {
        diag_add(diag, "payments", "%s", store_error(s));
        json_decref(w.rows);
        return NULL;
    }
    json_t *by = json_array();
    for (int i = 0; i < w.npayers; i++)
        json_array_append_new(by, json_pack("{s:s, s:I}", "payer", w.payer[i].name, "amount_fen", (json_int_t)w.payer[i].fen));
    return json_pack("{s:o, s:I, s:I, s:o}", "payments", w.rows, "count", (json_int_t)json_array_size(w.rows), "amount_fen",
                     (json_int_t)w.total_fen, "by_payer", by);
}

/* 市财政 in its own column; the district's share beside the district's name (a payment is
 * split between 市财政 and at most the one district the firm is registered in, or paid by
 * one of them alone). */
hq_table *ledger_payments(hq_store *s, const hq_corpus *c, const char *batch, int year, hq_diag *diag)
{
    json_t *j = ledger_payments_json(s, c, batch, year, diag);
    if (!j) return NULL;
    char title[128];
    snprintf(title, sizeof title, "兑付清单%s%s", batch ? "：批次 " : "", batch ? batch : "");
    hq_table *t = table_new(title);
    if (!t) {
        json_decref(j);
        return NULL;
    }
    static const struct {
        const char *zh;
        hq_col_kind kind;
    } COLS[] = {{"奖补编号", HQ_COL_INT},     {"企业名称", HQ_COL_TEXT},   {"统一社会信用代码", HQ_COL_TEXT},
                {"条款", HQ_COL_TEXT},        {"政策文件", HQ_COL_TEXT},   {"年度", HQ_COL_INT},
                {"兑付金额(元)", HQ_COL_MONEY_FEN}, {"市财政承担(元)", HQ_COL_MONEY_FEN}, {"区(县、市)", HQ_COL_TEXT},
                {"区(县、市)承担(元)", HQ_COL_MONEY_FEN}, {"形式", HQ_COL_TEXT}, {"兑付批次", HQ_COL_TEXT},
                {"兑付时间", HQ_COL_TEXT},   {"收款开户银行", HQ_COL_TEXT}, {"收款账号", HQ_COL_TEXT}};
    for (size_t k = 0; k < sizeof COLS / sizeof *COLS; k++) table_add_column(t, COLS[k].zh, COLS[k].kind);
    table_exclude_from_total(t, 0);
    table_exclude_from_total(t, 5);
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(j, "payments"), i, p) {
        int64_t city = 0, local = 0;
        char district[128] = "";
        size_t k;
        json_t *sp;
        json_array_foreach(json_object_get(p, "splits"), k, sp) {
            const char *payer = json_string_value(json_object_get(sp, "payer"));
            int64_t fen = json_integer_value(json_object_get(sp, "amount_fen"));
            if (!strcmp(payer, "市财政")) city += fen;
            else {
                local += fen;
                if (!strstr(district, payer))
                    snprintf(district + strlen(district), sizeof district - strlen(district), "%s%s", *district ? "、" : "", payer);
            }
        }
        table_add_row(t);
        table_set_int(t, 0, json_integer_value(json_object_get(p, "award")));
        table_set_text(t, 1, json_string_value(json_object_get(p, "name")));
        table_set_text(t, 2, json_string_value(json_object_get(p, "credit_code")));
        table_set_text(t, 3, json_string_value(json_object_get(p, "title")));
        table_set_text(t, 4, json_string_value(json_object_get(p, "document")));
        table_set_int(t, 5, json_integer_value(json_object_get(p, "year")));
        table_set_fen(t, 6, json_integer_value(json_object_get(p, "amount_fen")));
        table_set_fen(t, 7, city);
        table_set_text(t, 8, district);
        table_set_fen(t, 9, local);
        table_set_text(t, 10, json_is_true(json_object_get(p, "voucher")) ? "服务券" : "现金");
        table_set_text(t, 11, json_string_value(json_object_get(p, "batch")));
        table_set_text(t, 12, json_string_value(json_object_get(p, "at")));
        const char *bank = json_string_value(json_object_get(p, "bank"));
        table_set_text(t, 13, bank && *bank ? bank : "未登记");
        table_set_text(t, 14, json_string_value(json_object_get(p, "account")));
    }
    table_add_total(t, "合计");
    json_decref(j);
    if (table_error(t)) {
        diag_add(diag, "payments", "%s", table_error(t));
        table_free(t);
        return NULL;
    }
    return t;
}
