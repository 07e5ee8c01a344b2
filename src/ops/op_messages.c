/*
 * 站内信: what happened to a firm's awards, as messages — a 免申即享 push, acceptance, a
 * return for correction or a rejection with its reason, approval with the amount, 公示, payment.
 * They are read from the audit log (the record of every step), so a message can never say
 * something the ledger did not do; the account keeps only the time it last read them, and
 * later ones count as unread.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fixed.h"
#include "ledger/clock.h"
#include "ops/handlers.h"

enum { MESSAGES_MAX = 500 };

typedef struct {
    json_t *arr;
    const hq_award_rec *a;
    const char *title;
    const char *read_at;
    int unread;
} msg_ctx;

static const char *str(const json_t *after, const char *key)
{
    const char *v = json_string_value(json_object_get(after, key));
    return v ? v : "";
}

/* "2022-03-01" → "2022年3月1日", as people write dates. */
static void zh_date(const char *iso, char *out, size_t size)
{
    int y, m, d;
    if (sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) == 3) snprintf(out, size, "%d年%d月%d日", y, m, d);
    else snprintf(out, size, "%s", iso);
}

/* The sentence for one step of award `a`, or "" for steps a firm is not told about. */
static void sentence(const char *action, const json_t *after, const msg_ctx *x, char *out, size_t size)
{
    /* The audit row keeps the amount as "1000000.00"; people read 1,000,000.00. */
    char amount[48];
    hq_fixed v;
    const char *raw = str(after, "amount");
    if (fixed_parse(raw, strlen(raw), 2, &v) == NULL) fixed_format(v, 2, true, amount, sizeof amount);
    else snprintf(amount, sizeof amount, "%s", raw);
    const char *t = x->title;
    out[0] = 0;
    if (!strcmp(action, "push")) snprintf(out, size, "免申即享：您可申领「%s」，金额 %s元，请在“我的申报”中确认申领。", t, amount);
    else if (!strcmp(action, "apply")) snprintf(out, size, "已提交「%s」的申报，等待%s受理。", t, x->a->department);
    else if (!strcmp(action, "accept")) snprintf(out, size, "「%s」的申报已受理，进入审核。", t);
    else if (!strcmp(action, "return")) snprintf(out, size, "「%s」的申报被退回补正：%s。请补正后重新申报。", t, str(after, "reason"));
    else if (!strcmp(action, "resubmit")) snprintf(out, size, "已重新申报「%s」。", t);
    else if (!strcmp(action, "approve")) snprintf(out, size, "「%s」审核通过，核定金额 %s元。", t, amount);
    else if (!strcmp(action, "reject")) snprintf(out, size, "「%s」未通过审核：%s。", t, str(after, "reason"));
    else if (!strcmp(action, "publicize")) {
        char from[32], to[32];
        zh_date(str(after, "publicity_start"), from, sizeof from);
        zh_date(str(after, "publicity_end"), to, sizeof to);
        snprintf(out, size, "「%s」进入公示：%s至%s。", t, from, to);
    }
    else if (!strcmp(action, "close-publicity")) snprintf(out, size, "「%s」公示期满，等待兑付。", t);
    else if (!strcmp(action, "pay")) snprintf(out, size, "「%s」已兑付 %s元。", t, amount);
}

static int one_step(const hq_audit_rec *r, void *ud)
{
    msg_ctx *x = ud;
    if (json_array_size(x->arr) >= MESSAGES_MAX) return 1;
    json_t *after = r->after ? json_loads(r->after, 0, NULL) : NULL;
    char text[768];
    sentence(r->action, after, x, text, sizeof text);
    json_decref(after);
    if (!*text) return 0;
    bool unread = strcmp(r->at, x->read_at) > 0;
    x->unread += unread;
    json_array_append_new(x->arr, json_pack("{s:s, s:I, s:s, s:s, s:b}", "at", r->at, "award", (json_int_t)x->a->id, "action",
                                            r->action, "text", text, "unread", unread));
    return 0;
}

typedef struct {
    hq_op *o;
    msg_ctx m;
    bool failed;
} walk;

static int one_award(const hq_award_rec *a, void *ud)
{
    walk *w = ud;
    const hq_item *it = corpus_find_item(w->o->ctx->c, a->item);
    char object[48];
    snprintf(object, sizeof object, "award#%lld", (long long)a->id);
    w->m.a = a;
    w->m.title = it ? it->title : a->item;
    if (store_audit_of(w->o->ctx->s, object, one_step, &w->m)) w->failed = true;
    return w->failed;
}

static int newest_first(const void *x, const void *y)
{
    const char *a = json_string_value(json_object_get(*(json_t *const *)x, "at"));
    const char *b = json_string_value(json_object_get(*(json_t *const *)y, "at"));
    return strcmp(b, a);
}

void op_messages(hq_op *o)
{
    hq_user_rec u;
    int rc = store_user_get(o->ctx->s, 0, o->ctx->who.username, &u);
    if (rc) {
        if (rc < 0) op_store_error(o);
        else op_fail(o, OPR_NOT_FOUND, NULL, "没有当前用户的账户");
        return;
    }
    walk w = {.o = o, .m = {.arr = json_array(), .read_at = u.read_at}};
    hq_award_filter f = {.state = -1, .credit_code = o->ctx->who.credit_code};
    if (store_award_list(o->ctx->s, &f, one_award, &w) || w.failed) {
        json_decref(w.m.arr);
        op_store_error(o);
        return;
    }
    /* newest first */
    size_t n = json_array_size(w.m.arr);
    json_t **v = n ? malloc(n * sizeof *v) : NULL;
    json_t *sorted = json_array();
    if (n && v) {
        for (size_t i = 0; i < n; i++) v[i] = json_array_get(w.m.arr, i);
        qsort(v, n, sizeof *v, newest_first);
        for (size_t i = 0; i < n; i++) json_array_append(sorted, v[i]);
    }
    free(v);
    json_decref(w.m.arr);
    op_ok(o, json_pack("{s:o, s:i, s:s}", "messages", sorted, "unread", w.m.unread, "read_at", u.read_at));
}

/* All messages up to now are read. */
void op_messages_read(hq_op *o)
{
    hq_store *s = o->ctx->s;
    hq_user_rec u;
    int rc = store_user_get(s, 0, o->ctx->who.username, &u);
    if (rc) {
        if (rc < 0) op_store_error(o);
        else op_fail(o, OPR_NOT_FOUND, NULL, "没有当前用户的账户");
        return;
    }
    clock_now(u.read_at, sizeof u.read_at);
    if (store_begin(s) || store_user_put(s, &u) || store_commit(s)) {
        store_rollback(s);
        op_store_error(o);
        return;
    }
    op_ok(o, json_pack("{s:s, s:i}", "read_at", u.read_at, "unread", 0));
}
