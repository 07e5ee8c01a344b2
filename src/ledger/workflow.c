/*
 * The award workflow; the states, transitions and 附则 rules are in workflow.h. Every verb
 * follows one shape: open a write transaction, load the award, check, change, audit,
 * commit; any refusal rolls back and leaves a Chinese message saying why.
 */
#include "base/calendar.h"
#include "ledger/workflow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fixed.h"
#include "eval/explain.h"
#include "eval/rvm.h"
#include "eval/stacking.h"
#include "facts/entity.h"
#include "ledger/audit.h"
#include "ledger/clock.h"
#include "ledger/entity_doc.h"
#include <stdarg.h>

/* ---- shared steps ----------------------------------------------------------------------- */

static json_t *award_audit_json(const hq_award_rec *a)
{
    char amount[32];
    fen_format(a->amount_fen, false, amount, sizeof amount);
    /* The reason and the publicity period are kept too: the firm's messages (站内信) are read
     * from these rows, and a reason is cleared from the award when it is resubmitted. */
    return json_pack("{s:I, s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)a->id, "credit_code",
                     a->credit_code, "item", a->item, "year", a->year, "state", award_state_code(a->state), "amount", amount,
                     "decision_id", a->decision_id, "note", a->note, "reason", a->reason, "publicity_start",
                     a->publicity_start, "publicity_end", a->publicity_end);
}

/* Begin and load; WF_NOT_FOUND / WF_ERROR leave no transaction open. */
static int load(hq_wf *w, int64_t id, hq_award_rec *a)
{
    if (store_begin(w->s)) {
        sb_printf(w->msg, "数据库错误：%s\n", store_error(w->s));
        return WF_ERROR;
    }
    int rc = store_award_get(w->s, id, a);
    if (rc == 0) return WF_OK;
    store_rollback(w->s);
    if (rc == 1) {
        sb_printf(w->msg, "奖补记录 #%lld 不存在\n", (long long)id);
        return WF_NOT_FOUND;
    }
    sb_printf(w->msg, "数据库错误：%s\n", store_error(w->s));
    return WF_ERROR;
}

static int refuse(hq_wf *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int refuse(hq_wf *w, const char *fmt, ...)
{
    store_rollback(w->s);
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    sb_printf(w->msg, "%s\n", buf);
    return WF_REFUSED;
}

/* The step failed in the store and rolled back: the message is the error alone. A verb may
 * already have written what it did (finish() comes last), and an error must never read as
 * a success ("已兑付" beside "数据库错误"), so that text is dropped. */
static int db_error(hq_wf *w)
{
    sb_reset(w->msg);
    const char *why = store_error(w->s);
    if (strstr(why, "database or disk is full")) sb_printf(w->msg, "数据库错误：磁盘已满，本次操作未执行\n");
    else sb_printf(w->msg, "数据库错误：%s\n", why);
    store_rollback(w->s);
    return WF_ERROR;
}

/* The transition is legal from the award's state, or a refusal naming both states. */
static bool from_states(hq_wf *w, const hq_award_rec *a, const char *verb, unsigned allowed)
{
    if (allowed >> a->state & 1) return true;
    char list[256] = "";
    for (int s = 0; s < AWARD__COUNT; s++)
        if (allowed >> s & 1) {
            strncat(list, list[0] ? "、" : "", sizeof list - strlen(list) - 1);
            strncat(list, award_state_zh((hq_award_state)s), sizeof list - strlen(list) - 1);
        }
    refuse(w, "不能%s：奖补 #%lld 当前状态为「%s」，只有「%s」状态可以%s", verb, (long long)a->id, award_state_zh(a->state),
           list, verb);
    return false;
}


bool wf_department_matches(const char *item_dept, const char *dept)
{
    if (!dept || !*dept) return false;
    size_t n = strlen(dept);
    for (const char *p = item_dept; (p = strstr(p, dept)) != NULL; p += n) {
        bool start = p == item_dept || !strncmp(p - 3, "、", 3) || p[-1] == ',' || !strncmp(p - 3, "，", 3);
        const char *e = p + n;
        bool end = !*e || !strncmp(e, "、", 3) || *e == ',' || !strncmp(e, "，", 3) || *e == '(' || !strncmp(e, "（", 3);
        if (start && end) return true;
    }
    return false;
}

static bool may_review(hq_wf *w, const hq_award_rec *a, const char *verb)
{
    if (w->who->acting_admin || wf_department_matches(a->department, w->who->department)) return true;
    refuse(w, "不能%s：奖补 #%lld 的条款 %s 由「%s」负责，%s无权办理", verb, (long long)a->id, a->item, a->department,
           w->who->department[0] ? w->who->department : "未指定部门的用户");
    /* The attempt itself is recorded: a reviewer acting on another department's item. */
    char object[48];
    snprintf(object, sizeof object, "award#%lld", (long long)a->id);
    json_t *after = json_pack("{s:s, s:s, s:s}", "verb", verb, "department", w->who->department, "item_department",
                              a->department);
    if (audit_record(w->s, w->who->actor, "denied", object, after))
        fprintf(stderr, "huiqi: 拒绝办理的审计记录未能写入（%s）：%s\n", object, store_error(w->s));
    json_decref(after);
    return false;
}

/* The states a verb may leave from for this award: the table's, narrowed for payment,
 * which leaves from 审核通过 only for 资格定补 awards ("即申请即兑付"); 数据核校 awards are
 * paid after 公示. */
static unsigned from_of(hq_wf_verb v, const hq_award_rec *a)
{
    unsigned from = WF_VERB[v].from;
    if (v == WF_PAY && strcmp(a->kind, "资格定补")) from &= ~WF_FROM(APPROVED);
    return from;
}

/* The verb is legal from the award's state and, for a department's step, the actor is of
 * that department; otherwise refused with the reason. */
static bool verb_may(hq_wf *w, hq_wf_verb v, const hq_award_rec *a)
{
    if (!from_states(w, a, WF_VERB[v].zh, from_of(v, a))) {
        if (v == WF_PAY && a->state == AWARD_APPROVED) sb_printf(w->msg, "（数据核校类项目须经公示期满后兑付；资格定补类可审核通过即兑付）\n");
        return false;
    }
    return !WF_VERB[v].department || may_review(w, a, WF_VERB[v].zh);
}

/* Write the award back with its audit row and commit. */
static int finish(hq_wf *w, hq_award_rec *a, json_t *before, const char *action)
{
    clock_now(a->updated_at, sizeof a->updated_at);
    json_t *after = award_audit_json(a);
    char object[48];
    snprintf(object, sizeof object, "award#%lld", (long long)a->id);
    int rc = store_award_update(w->s, a) || audit_log(w->s, w->who->actor, action, object, before, after) || store_commit(w->s);
    json_decref(before);
    json_decref(after);
    if (rc) return db_error(w);
    return WF_OK;
}

/* ---- the verbs -------------------------------------------------------------------------- */

static int verb_push(hq_wf *w, int64_t id, const hq_wf_args *args)
{
    (void)args;
    hq_award_rec a;
    int rc = load(w, id, &a);
    if (rc) return rc;
    if (!verb_may(w, WF_PUSH, &a)) return WF_REFUSED;
    json_t *before = award_audit_json(&a);
    a.state = AWARD_PUSHED;
    sb_printf(w->msg, "奖补 #%lld 已推送给企业 %s（免申即享）\n", (long long)id, a.credit_code);
    return finish(w, &a, before, "push");
}

/* What a firm commits to when it claims an award itself: the 信用承诺, and the 收款账户 the
 * treasury will pay into, both written to the audit log with the claim. An administrator
 * entering a paper application holds the firm's signed form instead, so neither is asked. */
static int firm_commitments(hq_wf *w, const hq_award_rec *a, const hq_wf_args *args)
{
    if (w->who->role != ROLE_ENTERPRISE) return WF_OK;
    if (!args->pledge) return refuse(w, "申报前须确认信用承诺：%s", WF_PLEDGE);
    hq_bank_rec b;
    int rc = store_bank_get(w->s, a->credit_code, &b);
    if (rc < 0) return db_error(w);
    if (rc == 1) return refuse(w, "申报前须登记收款账户（开户银行、账号、户名），奖补资金将拨付至该账户");
    char object[48];
    snprintf(object, sizeof object, "award#%lld", (long long)a->id);
    json_t *after = json_pack("{s:s, s:s, s:s, s:s}", "pledge", WF_PLEDGE, "bank", b.bank, "account", b.account, "holder", b.holder);
    rc = audit_log(w->s, w->who->actor, "pledge", object, NULL, after);
    json_decref(after);
    return rc ? db_error(w) : WF_OK;
}

static int verb_apply(hq_wf *w, int64_t id, const hq_wf_args *args)
{
    hq_award_rec a;
    int rc = load(w, id, &a);
    if (rc) return rc;
    if (!verb_may(w, WF_APPLY, &a)) return WF_REFUSED;
    char today[16];
    int this_year = clock_today(today, sizeof today);
    if (!strcmp(a.kind, "数据核校") && this_year <= a.year)
        return refuse(w, "不能申报：%s 为数据核校类项目，按%d年度数据奖补，须在%d年起申报（附则2：数据核校类项目可安排在次年组织申报）",
                      a.item, a.year, a.year + 1);
    if ((rc = firm_commitments(w, &a, args))) return rc;
    json_t *before = award_audit_json(&a);
    a.state = AWARD_APPLIED;
    sb_printf(w->msg, "奖补 #%lld 已申报，待「%s」受理\n", (long long)id, a.department);
    return finish(w, &a, before, "apply");
}

/* A reviewer's 审核意见 on a decision (受理, 审核通过), kept on the award for the firm to read
 * and in the step's audit row; a decision without one keeps the earlier text. */
static void keep_opinion(hq_award_rec *a, const hq_wf_args *args)
{
    if (args->reason && *args->reason) snprintf(a->reason, sizeof a->reason, "%s", args->reason);
}

static int verb_accept(hq_wf *w, int64_t id, const hq_wf_args *args)
{
    hq_award_rec a;
    int rc = load(w, id, &a);
    if (rc) return rc;
    if (!verb_may(w, WF_ACCEPT, &a)) return WF_REFUSED;
    json_t *before = award_audit_json(&a);
    a.state = AWARD_ACCEPTED;
    keep_opinion(&a, args);
    sb_printf(w->msg, "奖补 #%lld 已受理\n", (long long)id);
    return finish(w, &a, before, "accept");
}

static int verb_reject(hq_wf *w, int64_t id, const hq_wf_args *args)
{
    const char *reason = args->reason;
    hq_award_rec a;
    int rc = load(w, id, &a);
    if (rc) return rc;
    if (!verb_may(w, WF_REJECT, &a)) return WF_REFUSED;
    if (!reason || !*reason) return refuse(w, "驳回须说明理由（--reason）");
    json_t *before = award_audit_json(&a);
    a.state = AWARD_REJECTED;
    snprintf(a.reason, sizeof a.reason, "%s", reason);
    sb_printf(w->msg, "奖补 #%lld 已驳回：%s\n", (long long)id, reason);
    return finish(w, &a, before, "reject");
}

/* 退回补正: the application goes back to the firm with what to correct; unlike a rejection
 * the award stays open and the firm resubmits it. */
static int verb_return(hq_wf *w, int64_t id, const hq_wf_args *args)
{
    hq_award_rec a;
    int rc = load(w, id, &a);
    if (rc) return rc;
    if (!verb_may(w, WF_RETURN, &a)) return WF_REFUSED;
    if (!args->reason || !*args->reason) return refuse(w, "退回补正须说明需补正的内容（--reason）");
    json_t *before = award_audit_json(&a);
    a.state = AWARD_RETURNED;
    snprintf(a.reason, sizeof a.reason, "%s", args->reason);
    sb_printf(w->msg, "奖补 #%lld 已退回补正：%s\n", (long long)id, args->reason);
    return finish(w, &a, before, "return");
}

/* The firm has corrected its application: it goes back to the department's queue, and the
 * reason it was returned for is kept in the audit log, not on the award. */
static int verb_resubmit(hq_wf *w, int64_t id, const hq_wf_args *args)
{
    hq_award_rec a;
    int rc = load(w, id, &a);
    if (rc) return rc;
    if (!verb_may(w, WF_RESUBMIT, &a)) return WF_REFUSED;
    if ((rc = firm_commitments(w, &a, args))) return rc;
    json_t *before = award_audit_json(&a);
    a.state = AWARD_APPLIED;
    a.reason[0] = 0;
    sb_printf(w->msg, "奖补 #%lld 已重新申报，待「%s」受理\n", (long long)id, a.department);
    return finish(w, &a, before, "resubmit");
}

/* What re-evaluating an award on the ledger as it is now gives: the amount 附则3 leaves,
 * why, and the claims (parts, projects, bases) that make it up. */
typedef struct {
    hq_outcome o;
    int64_t final_fen;
    char note[HQ_NOTE_MAX];
    char stage[64];
    char partial[256];        /* labels of parts that still need data, "" if none */
    hq_claim_rec claims[HQ_MAX_CLAIMS_PER_AWARD];
    const hq_terms *terms[HQ_MAX_CLAIMS_PER_AWARD];
    int nclaims;
} recheck_result;

static void keep_claims(recheck_result *r, const hq_claims *cl, const hq_award *aw)
{
    r->nclaims = 0;
    for (int k = aw->claim0; k < aw->claim0 + aw->nclaims && r->nclaims < HQ_MAX_CLAIMS_PER_AWARD; k++) {
        const hq_claim *x = &cl->v[k];
        hq_claim_rec *c = &r->claims[r->nclaims];
        memset(c, 0, sizeof *c);
        if (x->part >= 0 && x->item->has_parts) snprintf(c->part, sizeof c->part, "%s", x->item->parts[x->part].label);
        snprintf(c->project, sizeof c->project, "%s", x->key);
        snprintf(c->basis, sizeof c->basis, "%s", basis_name(x->terms->basis));
        c->year = x->year;
        c->data_year = x->data_year;
        c->amount_fen = x->final_fen;
        c->voucher = x->voucher;
        r->terms[r->nclaims++] = x->terms;
    }
}

/* Re-evaluation, at approval and again at payment: the item on the entity's data as it is
 * now (a change since matching — a firm put on the 严重失信名单 — is caught), then 附则3
 * against every other award the ledger has approved or paid and the imported past awards.
 * WF_OK with the result, WF_REFUSED with the reason in w->msg, or WF_ERROR. */
static int recheck(hq_wf *w, const hq_award_rec *a, const hq_item *it, recheck_result *r, hq_strbuf *expl)
{
    json_t *doc = NULL;
    hq_factbatch *fb = NULL;
    hq_vm *vm = NULL;
    hq_history h = {0};
    hq_claims cl = {0};
    hq_diag d;
    diag_init(&d);
    memset(r, 0, sizeof *r);
    int rc = WF_ERROR;
    if (ledger_entity_doc(w->s, a->entity_id, &doc)) goto out;
    fb = factbatch_new(w->c, a->year, 1);
    vm = rvm_new(w->c);
    if (!fb || !vm || claims_init(&cl, HQ_MAX_CLAIMS_PER_AWARD)) goto out;
    if (entity_load(w->c, doc, fb, 0, &d)) {
        rc = WF_REFUSED;
        sb_printf(w->msg, "企业数据未通过校验：%s %s\n", d.count ? d.items[0].where : "", d.count ? d.items[0].message : "");
        goto out;
    }
    r->o = rvm_eval_one(vm, fb, 0, it);
    if (r->o.status != HQ_ELIGIBLE) {
        rc = WF_REFUSED;
        if (r->o.status == HQ_NEEDS_DATA) {
            hq_strbuf miss;
            sb_init(&miss, 4096);
            explain_missing(vm, w->c, it, &miss);
            hq_strbuf labels;
            sb_init(&labels, 4096);
            explain_missing_labels(w->c, sb_str(&miss), &labels);
            sb_printf(w->msg, "按当前数据重新测算为「待补充数据」，缺少：%s\n", sb_str(&labels));
            sb_free(&labels);
            sb_free(&miss);
        } else {
            sb_printf(w->msg, "按当前数据重新测算为「%s」：", status_label_zh((hq_status)r->o.status));
            explain_failed_reason(w->c, it, &r->o, w->msg);
            sb_puts(w->msg, "\n");
        }
        goto out;
    }
    if (expl) explain_item(vm, w->c, it, &r->o, expl);
    for (int s = 0, len = 0; s < it->nstages; s++) {
        int64_t v;
        uint8_t st;
        rvm_reg(vm, it->stages[s].cond->reg, &v, &st);
        if (!st && v && len < (int)sizeof r->stage)
            len += snprintf(r->stage + len, sizeof r->stage - (size_t)len, "%s%s", len ? "、" : "", it->stages[s].label);
    }
    for (int p = 0, len = 0; p < it->nparts && it->has_parts; p++)
        if (r->o.unknown >> p & 1 && len < (int)sizeof r->partial)
            len += snprintf(r->partial + len, sizeof r->partial - (size_t)len, "%s「%s」", len ? "、" : "", it->parts[p].label);
    if (ledger_history(w->s, w->c, a->entity_id, a->id, &h, &d)) {
        sb_printf(w->msg, "既往奖补记录无法读取：%s %s\n", d.count ? d.items[0].where : "", d.count ? d.items[0].message : "");
        goto out;
    }
    hq_award aw = award_from_outcome(w->c, it, &r->o);
    hq_strbuf log;
    sb_init(&log, 1 << 16);
    if (stacking_apply(w->c, vm, fb, 0, &h, &aw, 1, &cl, &log)) {
        sb_free(&log);
        sb_printf(w->msg, "附则3复核失败：奖补项无法拆分核对\n");
        goto out;
    }
    if (expl && log.len) sb_printf(expl, "  附则3（按台账复核）：\n%s", sb_str(&log));
    sb_free(&log);
    if (aw.key_missing && aw.final_fen == 0) {
        rc = WF_REFUSED;
        sb_printf(w->msg, "按当前数据重新测算为「待补充数据」：%s\n", aw.note);
        goto out;
    }
    r->final_fen = aw.final_fen;
    snprintf(r->note, sizeof r->note, "%s", aw.note);
    keep_claims(r, &cl, &aw);
    rc = WF_OK;
out:
    if (rc == WF_ERROR) sb_puts(w->msg, "重新测算失败\n"); /* the caller adds the store's error */
    history_free(&h);
    claims_free(&cl);
    json_decref(doc);
    factbatch_free(fb);
    rvm_free(vm);
    diag_free(&d);
    return rc;
}

/* Quotas (名额): an item or a part that the text limits to N awards a year ("优秀（2个）")
 * takes no more approvals once N awards of that year hold a place. */
static int check_quotas(hq_wf *w, const hq_award_rec *a, const hq_item *it, const recheck_result *r)
{
    for (int k = 0; k < r->nclaims; k++) {
        const hq_terms *t = r->terms[k];
        if (!t->quota || r->claims[k].amount_fen <= 0) continue;
        bool whole = (it->terms.set & TERMS_QUOTA) != 0;
        const char *part = whole ? "" : r->claims[k].part;
        int used = 0;
        if (store_quota_used(w->s, it->id, a->year, part, a->id, WF_COMMITTED, &used)) return WF_ERROR;
        if (used >= t->quota) {
            sb_printf(w->msg, "不能审核通过：%s %s%s%s %d年度名额为%d个，已核定%d个，名额已满\n", it->id, part[0] ? "「" : "", part,
                      part[0] ? "」" : "", a->year, t->quota, used);
            return WF_REFUSED;
        }
    }
    return WF_OK;
}

/* The yearly budgets of the item and of its document: a refusal past a hard limit, a
 * warning (appended to `warn`) past the planned amount. */
static int check_budgets(hq_wf *w, const hq_award_rec *a, const hq_item *it, int64_t amount, char *warn, size_t size)
{
    if (a->voucher) return WF_OK; /* 服务券 are not drawn from the cash budget */
    const char *scopes[2] = {"item", "document"};
    /* Document budgets are keyed by the document's number, as awards record it. */
    const char *keys[2] = {it->id, it->doc->number ? it->doc->number : it->doc->id};
    for (int k = 0; k < 2; k++) {
        hq_budget_rec b;
        int rc = store_budget_get(w->s, a->year, scopes[k], keys[k], &b);
        if (rc < 0) return WF_ERROR;
        if (rc == 1) continue;
        int64_t used;
        if (store_budget_used(w->s, a->year, scopes[k], keys[k], WF_COMMITTED, &used)) return WF_ERROR;
        char u[48], am[48], lim[48];
        fen_format(used, true, u, sizeof u);
        fen_format(amount, true, am, sizeof am);
        if (b.hard_fen > 0 && used + amount > b.hard_fen) {
            fen_format(b.hard_fen, true, lim, sizeof lim);
            sb_printf(w->msg, "不能审核通过：%s %s %d年度预算硬上限 %s元，已用 %s元，本笔 %s元，将超出上限\n",
                      k ? "文件" : "条款", keys[k], a->year, lim, u, am);
            return WF_REFUSED;
        }
        if (b.amount_fen > 0 && used + amount > b.amount_fen) {
            fen_format(b.amount_fen, true, lim, sizeof lim);
            size_t len = strlen(warn);
            snprintf(warn + len, size - len, "%s预算提醒：%s %s %d年度预算 %s元，已用 %s元，加本笔 %s元后超出", len ? "；" : "",
                     k ? "文件" : "条款", keys[k], a->year, lim, u, am);
        }
    }
    return WF_OK;
}

static int verb_approve(hq_wf *w, int64_t id, const hq_wf_args *args)
{
    hq_award_rec a;
    int rc = load(w, id, &a);
    if (rc) return rc;
    if (!verb_may(w, WF_APPROVE, &a)) return WF_REFUSED;
    const hq_item *it = corpus_find_item(w->c, a.item);
    if (!it) return refuse(w, "条款 %s 不在当前规则库中，不能审核", a.item);
    char warn[512] = "";
    recheck_result *r = malloc(sizeof *r);
    hq_strbuf expl;
    sb_init(&expl, 1 << 20);
    rc = r ? recheck(w, &a, it, r, &expl) : WF_ERROR;
    if (rc == WF_OK && r->final_fen <= 0) {
        sb_printf(w->msg, "不能审核通过：按附则3复核后本项可兑付金额为0（%s）\n", r->note);
        rc = WF_REFUSED;
    }
    if (rc == WF_OK) rc = check_quotas(w, &a, it, r);
    if (rc == WF_OK) rc = check_budgets(w, &a, it, r->final_fen, warn, sizeof warn);
    if (rc != WF_OK) {
        sb_free(&expl);
        free(r);
        if (rc == WF_ERROR) return db_error(w);
        store_rollback(w->s);
        return rc;
    }
    json_t *before = award_audit_json(&a);
    a.state = AWARD_APPROVED;
    keep_opinion(&a, args);
    a.amount_fen = r->final_fen;
    decision_id(w->c, a.credit_code, a.year, it, &r->o, a.decision_id);
    snprintf(a.corpus_hash, sizeof a.corpus_hash, "%s", w->c->hash);
    snprintf(a.stage, sizeof a.stage, "%s", r->stage);
    char partial[400] = "";
    if (r->partial[0]) snprintf(partial, sizeof partial, "其中%s部分待补充数据，未计入本次核定金额", r->partial);
    hq_strbuf joined;
    sb_init(&joined, sizeof a.note - 1);
    sb_printf(&joined, "%s%s%s%s%s", r->note, r->note[0] && partial[0] ? "；" : "", partial,
              (r->note[0] || partial[0]) && warn[0] ? "；" : "", warn);
    snprintf(a.note, sizeof a.note, "%s", sb_str(&joined));
    sb_free(&joined);
    char amount[48];
    fen_format(r->final_fen, true, amount, sizeof amount);
    /* The decision id stays on the award (award show, --json) for audit; people read the amount. */
    sb_printf(w->msg, "奖补 #%lld 审核通过，核定金额 %s元%s%s\n", (long long)id, amount, a.note[0] ? "：" : "", a.note);
    if (store_award_set_explanation(w->s, a.id, sb_str(&expl)) || store_award_claims_set(w->s, a.id, r->claims, r->nclaims)) {
        sb_free(&expl);
        free(r);
        json_decref(before);
        return db_error(w);
    }
    sb_free(&expl);
    free(r);
    return finish(w, &a, before, "approve");
}

static int verb_publicize(hq_wf *w, int64_t id, const hq_wf_args *args)
{
    const char *start = args->start, *end = args->end;
    hq_award_rec a;
    int rc = load(w, id, &a);
    if (rc) return rc;
    if (!verb_may(w, WF_PUBLICIZE, &a)) return WF_REFUSED;
    if (!cal_valid_text(start) || !cal_valid_text(end)) return refuse(w, "公示起止日期须为 YYYY-MM-DD（--start、--end）");
    if (strcmp(start, end) > 0) return refuse(w, "公示开始日期 %s 晚于结束日期 %s", start, end);
    /* A period that began before it was published is not a 公示 anyone could have read. */
    char today[16];
    clock_today(today, sizeof today);
    if (strcmp(start, today) < 0) return refuse(w, "公示开始日期 %s 早于今天 %s：公示不能倒签", start, today);
    long workdays = cal_weekdays(cal_days_from_text(start), cal_days_from_text(end));
    if (workdays < WF_PUBLICITY_WORKDAYS)
        return refuse(w, "公示期不得少于%d个工作日：%s 至 %s 只有%ld个工作日", WF_PUBLICITY_WORKDAYS, start, end, workdays);
    json_t *before = award_audit_json(&a);
    a.state = AWARD_PUBLICIZING;
    snprintf(a.publicity_start, sizeof a.publicity_start, "%s", start);
    snprintf(a.publicity_end, sizeof a.publicity_end, "%s", end);
    sb_printf(w->msg, "奖补 #%lld 公示中：%s 至 %s\n", (long long)id, start, end);
    return finish(w, &a, before, "publicize");
}

typedef struct {
    const char *by;
    int n;
} count_by;

static int count_objection(const hq_objection_rec *ob, void *ud)
{
    count_by *c = ud;
    c->n += !strcmp(ob->by, c->by);
    return 0;
}

int wf_object(hq_wf *w, int64_t id, const char *text, int64_t *objection)
{
    hq_award_rec a;
    int rc = load(w, id, &a);
    if (rc) return rc;
    if (!from_states(w, &a, "提出异议", WF_FROM(PUBLICIZING))) return WF_REFUSED;
    if (!text || !*text) return refuse(w, "异议须有内容（--text）");
    char today[16];
    clock_today(today, sizeof today);
    if (strcmp(today, a.publicity_end) > 0) return refuse(w, "公示期已于 %s 结束，不再受理异议", a.publicity_end);
    /* One person cannot hold an award's 公示 open indefinitely by objecting again and again. */
    count_by mine = {.by = w->who->actor};
    if (store_objection_list(w->s, id, count_objection, &mine)) return db_error(w);
    if (mine.n >= WF_OBJECTIONS_PER_AWARD)
        return refuse(w, "您已对奖补 #%lld 提出%d件异议，同一公示每人最多%d件；如有新情况请联系责任单位", (long long)id, mine.n,
                      WF_OBJECTIONS_PER_AWARD);
    hq_objection_rec ob = {.award_id = id};
    snprintf(ob.by, sizeof ob.by, "%s", w->who->actor);
    snprintf(ob.text, sizeof ob.text, "%s", text);
    clock_now(ob.lodged_at, sizeof ob.lodged_at);
    if (store_objection_add(w->s, &ob)) return db_error(w);
    char object[48];
    snprintf(object, sizeof object, "objection#%lld", (long long)ob.id);
    json_t *after = json_pack("{s:I, s:I, s:s}", "id", (json_int_t)ob.id, "award", (json_int_t)id, "text", text);
    rc = audit_log(w->s, w->who->actor, "object", object, NULL, after) || store_commit(w->s);
    json_decref(after);
    if (rc) return db_error(w);
    *objection = ob.id;
    sb_printf(w->msg, "已登记对奖补 #%lld 的异议 #%lld，须处理后方可结束公示\n", (long long)id, (long long)ob.id);
    return WF_OK;
}

int wf_resolve(hq_wf *w, int64_t objection, bool upheld, const char *note)
{
    if (store_begin(w->s)) return db_error(w);
    hq_objection_rec ob;
    int rc = store_objection_get(w->s, objection, &ob);
    if (rc) {
        if (rc < 0) return db_error(w);
        refuse(w, "异议 #%lld 不存在", (long long)objection);
        return WF_NOT_FOUND;
    }
    if (ob.resolution[0]) return refuse(w, "异议 #%lld 已于 %s 处理（%s）", (long long)objection, ob.resolved_at, ob.resolution);
    hq_award_rec a;
    if (store_award_get(w->s, ob.award_id, &a)) return db_error(w);
    if (!may_review(w, &a, "处理异议")) return WF_REFUSED;
    if (!note || !*note) return refuse(w, "处理异议须说明理由（--note）");
    snprintf(ob.resolution, sizeof ob.resolution, "%s", upheld ? "upheld" : "dismissed");
    snprintf(ob.resolver, sizeof ob.resolver, "%s", w->who->actor);
    clock_now(ob.resolved_at, sizeof ob.resolved_at);
    snprintf(ob.note, sizeof ob.note, "%s", note);
    if (store_objection_resolve(w->s, &ob)) return db_error(w);
    char object[48];
    snprintf(object, sizeof object, "objection#%lld", (long long)objection);
    json_t *after = json_pack("{s:s, s:s}", "resolution", ob.resolution, "note", note);
    rc = audit_log(w->s, w->who->actor, "resolve", object, NULL, after);
    json_decref(after);
    if (rc) return db_error(w);
    if (!upheld) {
        if (store_commit(w->s)) return db_error(w);
        sb_printf(w->msg, "异议 #%lld 不成立，奖补 #%lld 继续公示\n", (long long)objection, (long long)a.id);
        return WF_OK;
    }
    /* An upheld objection ends the award: it is rejected with the objection as reason. */
    json_t *before = award_audit_json(&a);
    a.state = AWARD_REJECTED;
    snprintf(a.reason, sizeof a.reason, "公示异议成立：%s", note);
    sb_printf(w->msg, "异议 #%lld 成立，奖补 #%lld 已驳回\n", (long long)objection, (long long)a.id);
    return finish(w, &a, before, "reject");
}

static int verb_close(hq_wf *w, int64_t id, const hq_wf_args *args)
{
    (void)args;
    hq_award_rec a;
    int rc = load(w, id, &a);
    if (rc) return rc;
    if (!verb_may(w, WF_CLOSE, &a)) return WF_REFUSED;
    char today[16];
    clock_today(today, sizeof today);
    if (strcmp(today, a.publicity_end) <= 0)
        return refuse(w, "公示期至 %s，尚未届满（今天 %s）", a.publicity_end, today);
    int open = 0;
    if (store_objection_open_count(w->s, id, &open)) return db_error(w);
    if (open) return refuse(w, "奖补 #%lld 尚有 %d 件异议未处理，不能结束公示", (long long)id, open);
    json_t *before = award_audit_json(&a);
    a.state = AWARD_PUBLICIZED;
    sb_printf(w->msg, "奖补 #%lld 公示期满无异议，可兑付\n", (long long)id);
    return finish(w, &a, before, "close-publicity");
}

/* ---- payment and the fiscal split ------------------------------------------------------- */

typedef struct {
    hq_split v[HQ_MAX_SPLITS * 4];
    int n;
} splits;

static int add_split(splits *sp, const char *payer, int64_t fen)
{
    if (fen == 0) return 0;
    for (int i = 0; i < sp->n; i++)
        if (!strcmp(sp->v[i].payer, payer)) {
            sp->v[i].amount_fen += fen;
            return 0;
        }
    if (sp->n == (int)(sizeof sp->v / sizeof *sp->v)) return -1;
    snprintf(sp->v[sp->n].payer, sizeof sp->v[0].payer, "%s", payer);
    sp->v[sp->n++].amount_fen = fen;
    return 0;
}

/* fen × share (rate ×10⁶) for each share, the leftover 分 to the largest remainders. */
static void apportion(int64_t fen, const int64_t *share, int n, int64_t *out)
{
    __int128 rem[HQ_COST_MAX_PAYERS + 2];
    int64_t given = 0;
    for (int i = 0; i < n; i++) {
        __int128 num = (__int128)fen * share[i];
        out[i] = (int64_t)(num / HQ_FIXED_ONE);
        rem[i] = num % HQ_FIXED_ONE;
        given += out[i];
    }
    for (int64_t left = fen - given; left > 0; left--) {
        int best = 0;
        for (int i = 1; i < n; i++)
            if (rem[i] > rem[best]) best = i;
        out[best]++;
        rem[best] = -1;
    }
}

/* Split `fen` by one cost rule for an entity in `district`. */
static int split_by_rule(hq_wf *w, const hq_cost *k, int64_t fen, const char *district, splits *sp)
{
    int64_t share[HQ_COST_MAX_PAYERS] = {0}, part[HQ_COST_MAX_PAYERS] = {0};
    int n = k && k->n > 0 ? k->n : 1;
    for (int i = 0; i < n; i++) share[i] = k ? k->v[i].share : HQ_FIXED_ONE;
    apportion(fen, share, n, part);
    for (int i = 0; i < n; i++) {
        const char *payer = k ? k->v[i].payer : "按现行财政体制分担";
        if (!strcmp(payer, "属地财政")) payer = district;
        if (strcmp(payer, "按现行财政体制分担")) {
            if (add_split(sp, payer, part[i])) return -1;
            continue;
        }
        hq_fiscal_rec f;
        int rc = store_fiscal_get(w->s, district, &f);
        if (rc < 0) return -1;
        if (rc == 1) {
            sb_printf(w->msg, "不能兑付：未配置「%s」的现行财政体制分担比例（huiqi fiscal set --district %s --city-share …）\n",
                      district, district);
            return 1;
        }
        int64_t two[2] = {f.city_share, HQ_FIXED_ONE - f.city_share}, got[2];
        apportion(part[i], two, 2, got);
        if (add_split(sp, "市财政", got[0]) || add_split(sp, district, got[1])) return -1;
    }
    return 0;
}

/* The payers of an award: each claim kept at approval is split by the cost rule of its part
 * (a part's own payer, else the item's, else the document's). An award approved before
 * claims were kept is split by the item's rule. */
static int fiscal_split(hq_wf *w, const hq_award_rec *a, const hq_item *it, splits *sp)
{
    hq_claim_rec *v = malloc(sizeof *v * HQ_MAX_CLAIMS_PER_AWARD);
    int n = 0;
    if (!v || store_award_claims_get(w->s, a->id, v, HQ_MAX_CLAIMS_PER_AWARD, &n)) {
        free(v);
        return -1;
    }
    int64_t sum = 0;
    for (int k = 0; k < n; k++) sum += v[k].amount_fen;
    int rc = 0;
    if (n == 0 || sum != a->amount_fen) {
        rc = split_by_rule(w, item_cost(it, -1), a->amount_fen, a->district, sp);
    } else {
        for (int k = 0; rc == 0 && k < n; k++) {
            int part = -1;
            for (int p = 0; p < it->nparts && it->has_parts; p++)
                if (!strcmp(it->parts[p].label, v[k].part)) part = p;
            rc = split_by_rule(w, item_cost(it, part), v[k].amount_fen, a->district, sp);
        }
    }
    free(v);
    return rc;
}

static int verb_pay(hq_wf *w, int64_t id, const hq_wf_args *args)
{
    const char *batch = args->batch;
    hq_award_rec a;
    int rc = load(w, id, &a);
    if (rc) return rc;
    if (!verb_may(w, WF_PAY, &a)) return WF_REFUSED;
    const hq_item *it = corpus_find_item(w->c, a.item);
    if (!it) return refuse(w, "条款 %s 不在当前规则库中，不能计算分担", a.item);
    /* Payment re-checks what approval checked, on the data and ledger of today: a firm that
     * no longer qualifies (put on the 严重失信名单, 亩均 rated D, moved away) is not paid. */
    recheck_result *r = malloc(sizeof *r);
    if (!r) return db_error(w);
    hq_strbuf why;
    sb_init(&why, 4096);
    hq_strbuf *msg = w->msg;
    w->msg = &why;
    rc = recheck(w, &a, it, r, NULL);
    w->msg = msg;
    int64_t now_fen = r->final_fen;
    free(r);
    if (rc == WF_ERROR) { /* recheck said why (the store, or the entity's data); say it */
        while (why.len && why.data[why.len - 1] == '\n') why.data[--why.len] = 0;
        sb_printf(w->msg, "不能兑付：奖补 #%lld 复核失败：%s\n", (long long)id, sb_str(&why));
        sb_free(&why);
        store_rollback(w->s);
        return WF_ERROR;
    }
    if (rc == WF_REFUSED) {
        while (why.len && why.data[why.len - 1] == '\n') why.data[--why.len] = 0;
        rc = refuse(w, "不能兑付：奖补 #%lld 按当前数据复核不再符合条件：%s", (long long)id, sb_str(&why));
        sb_free(&why);
        return rc;
    }
    sb_free(&why);
    if (now_fen < a.amount_fen) {
        char was[48], now[48];
        fen_format(a.amount_fen, true, was, sizeof was);
        fen_format(now_fen, true, now, sizeof now);
        return refuse(w, "不能兑付：奖补 #%lld 按当前数据与台账复核可兑付%s元，低于核定金额%s元，须退回重新审核", (long long)id, now,
                      was);
    }
    splits sp = {0};
    rc = fiscal_split(w, &a, it, &sp);
    if (rc) {
        if (rc < 0) return db_error(w);
        store_rollback(w->s);
        return WF_REFUSED;
    }
    hq_payment_rec p = {.award_id = id, .amount_fen = a.amount_fen, .voucher = a.voucher};
    if (sp.n > HQ_MAX_SPLITS) return refuse(w, "分担主体超过%d个", HQ_MAX_SPLITS);
    memcpy(p.splits, sp.v, sizeof(hq_split) * (size_t)sp.n);
    p.nsplits = sp.n;
    snprintf(p.batch, sizeof p.batch, "%s", batch ? batch : "");
    snprintf(p.actor, sizeof p.actor, "%s", w->who->actor);
    clock_now(p.at, sizeof p.at);
    if (store_payment_add(w->s, &p)) return db_error(w); /* UNIQUE(award_id): never twice */
    json_t *before = award_audit_json(&a);
    a.state = AWARD_PAID;
    char amount[48];
    fen_format(a.amount_fen, true, amount, sizeof amount);
    sb_printf(w->msg, "奖补 #%lld 已兑付%s %s元：", (long long)id, a.voucher ? "（高质量发展服务券）" : "", amount);
    for (int i = 0; i < sp.n; i++) {
        char f[48];
        fen_format(sp.v[i].amount_fen, true, f, sizeof f);
        sb_printf(w->msg, "%s%s %s元", i ? "，" : "", sp.v[i].payer, f);
    }
    sb_puts(w->msg, "\n");
    return finish(w, &a, before, "pay");
}

static int verb_archive(hq_wf *w, int64_t id, const hq_wf_args *args)
{
    (void)args;
    hq_award_rec a;
    int rc = load(w, id, &a);
    if (rc) return rc;
    if (!verb_may(w, WF_ARCHIVE, &a)) return WF_REFUSED;
    json_t *before = award_audit_json(&a);
    a.state = AWARD_ARCHIVED;
    sb_printf(w->msg, "奖补 #%lld 已归档\n", (long long)id);
    return finish(w, &a, before, "archive");
}

void wf_explain(hq_store *s, const hq_corpus *c, const hq_award_rec *a, hq_strbuf *out)
{
    char *stored = NULL;
    if (store_award_explanation(s, a->id, &stored) == 0 && stored && *stored) {
        sb_puts(out, stored);
        free(stored);
        return;
    }
    free(stored);
    const hq_item *it = c ? corpus_find_item(c, a->item) : NULL;
    json_t *doc = NULL;
    hq_factbatch *fb = it ? factbatch_new(c, a->year, 1) : NULL;
    hq_vm *vm = it ? rvm_new(c) : NULL;
    hq_diag d;
    diag_init(&d);
    if (fb && vm && ledger_entity_doc(s, a->entity_id, &doc) == 0 && entity_load(c, doc, fb, 0, &d) == 0) {
        hq_outcome o = rvm_eval_one(vm, fb, 0, it);
        char did[24];
        decision_id(c, a->credit_code, a->year, it, &o, did);
        sb_printf(out, "（按当前数据与规则库测算；%s）\n",
                  strcmp(did, a->decision_id) ? "测算依据与入账时不同：数据或规则已变化" : "测算依据与入账时一致");
        explain_item(vm, c, it, &o, out);
    } else {
        sb_printf(out, "（无法测算：%s）\n", it ? "企业数据未通过校验" : "条款不在当前规则库中");
    }
    json_decref(doc);
    factbatch_free(fb);
    rvm_free(vm);
    diag_free(&d);
}

/* ---- the table ---------------------------------------------------------------------------- */

const hq_wf_verb_def WF_VERB[WF__COUNT] = {
#define X(id, code, zh, from, to, roles, dept, fn) [WF_##id] = {code, zh, from, AWARD_##to, roles, dept},
    HQ_WF_VERBS(X)
#undef X
};

static const hq_wf_fn VERB_FN[WF__COUNT] = {
#define X(id, code, zh, from, to, roles, dept, fn) [WF_##id] = fn,
    HQ_WF_VERBS(X)
#undef X
};

int wf_verb_parse(const char *code)
{
    for (int v = 0; v < WF__COUNT; v++)
        if (code && !strcmp(code, WF_VERB[v].code)) return v;
    return -1;
}

int wf_do(hq_wf *w, hq_wf_verb verb, int64_t id, const hq_wf_args *a)
{
    static const hq_wf_args none = {0};
    return VERB_FN[verb](w, id, a ? a : &none);
}

unsigned wf_allowed(const hq_award_rec *a, const hq_identity *who)
{
    unsigned out = 0;
    for (int v = 0; v < WF__COUNT; v++) {
        const hq_wf_verb_def *d = &WF_VERB[v];
        if (!(from_of((hq_wf_verb)v, a) >> a->state & 1) || !(d->roles >> who->role & 1)) continue;
        if (who->role == ROLE_ENTERPRISE && strcmp(a->credit_code, who->credit_code)) continue;
        if (d->department && !who->acting_admin && !wf_department_matches(a->department, who->department)) continue;
        out |= 1u << v;
    }
    return out;
}
