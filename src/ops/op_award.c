/*
 * Awards: lists and details (我的申报, 受理审核台, 财政兑付), each workflow verb, objections,
 * and the public 公示 list. Who sees what, beyond the table's roles:
 *   企业    its own awards only (its credit code)
 *   审核员  awards of its department's items only
 *   财政, 领导, 管理员  every award
 * A refused look at someone else's award is answered "forbidden" and written to the audit
 * log; every action goes through ledger/workflow.c, which writes its own audit row.
 */
#include <stdlib.h>
#include <string.h>

#include "base/fixed.h"
#include "ops/handlers.h"

const hq_op_param P_AWARDS[] = {
    {.name = "state", .type = PT_STR, .hi = 32, .zh = "状态"}, {.name = "item", .type = PT_STR, .hi = 64, .zh = "条款"}, {.name = "year", .type = PT_YEAR, .zh = "年度"},
    {.name = "entity", .type = PT_STR, .hi = 18, .zh = "统一社会信用代码"}, {.name = "department", .type = PT_STR, .hi = 128, .zh = "责任单位"},
    {.name = "limit", .type = PT_INT, .lo = 1, .hi = 100000, .zh = "条数上限"}, {.name = "payable", .type = PT_BOOL, .zh = "只列可兑付的"}, {.name = NULL}};
const hq_op_param P_AWARD[] = {{.name = "id", .type = PT_ID, .required = true, .zh = "奖补编号"}, {.name = NULL}};
const hq_op_param P_VERB[] = {{.name = "id", .type = PT_ID, .required = true, .zh = "奖补编号"},       {.name = "reason", .type = PT_STR, .hi = 500, .zh = "理由"},
                           {.name = "start", .type = PT_DATE, .zh = "公示开始日期"},    {.name = "end", .type = PT_DATE, .zh = "公示结束日期"},
                           {.name = "batch", .type = PT_STR, .hi = 60, .zh = "兑付批次"},
                           {.name = "pledge", .type = PT_BOOL, .zh = "确认信用承诺"}, {.name = NULL}};
const hq_op_param P_OBJECT[] = {{.name = "id", .type = PT_ID, .required = true, .zh = "奖补编号"}, {.name = "text", .type = PT_STR, .required = true, .hi = 1000, .zh = "异议内容"}, {.name = NULL}};
const hq_op_param P_RESOLVE[] = {{.name = "id", .type = PT_ID, .required = true, .zh = "异议编号"}, {.name = "upheld", .type = PT_BOOL, .required = true, .zh = "异议是否成立"},
                              {.name = "note", .type = PT_STR, .required = true, .hi = 500, .zh = "处理理由"}, {.name = NULL}};

/* Payable now: publicized awards, and approved 资格定补 awards ("即申请即兑付"). */
static bool payable(const hq_award_rec *a)
{
    return a->state == AWARD_PUBLICIZED || (a->state == AWARD_APPROVED && !strcmp(a->kind, "资格定补"));
}

typedef struct {
    hq_op *o;
    json_t *arr;
    long long limit;
    int n;
    bool payable;
} list_ctx;

static int list_one(const hq_award_rec *a, void *ud)
{
    list_ctx *x = ud;
    if (!op_may_see_award(x->o, a) || (x->payable && !payable(a))) return 0;
    if (x->limit && x->n >= x->limit) return 1;
    json_array_append_new(x->arr, award_json(x->o->ctx->c, a, &x->o->ctx->who));
    x->n++;
    return 0;
}

void op_awards(hq_op *o)
{
    const hq_identity *who = &o->ctx->who;
    hq_award_filter f = {.state = -1, .item = op_str(o, "item"), .credit_code = op_str(o, "entity"),
                         .department = op_str(o, "department")};
    const char *state = op_str(o, "state");
    long long year = 0, limit = 1000;
    op_int(o, "year", &year);
    op_int(o, "limit", &limit);
    f.year = (int)year;
    if (state && (f.state = award_state_parse(state)) < 0) {
        op_fail(o, OPR_BAD_REQUEST, "state", "状态：未知状态「%s」", state);
        return;
    }
    if (who->role == ROLE_ENTERPRISE) {
        if (f.credit_code && strcmp(f.credit_code, who->credit_code)) {
            op_audit_denied(o, f.credit_code, json_pack("{s:s}", "reason", "enterprise listing another enterprise"));
            op_fail(o, OPR_FORBIDDEN, "entity", "企业用户只能查看本企业的奖补");
            return;
        }
        f.credit_code = who->credit_code;
    }
    list_ctx x = {.o = o, .arr = json_array(), .limit = limit, .payable = op_bool(o, "payable")};
    if (store_award_list(o->ctx->s, &f, list_one, &x)) {
        json_decref(x.arr);
        op_store_error(o);
        return;
    }
    op_ok(o, json_pack("{s:i, s:o}", "count", x.n, "awards", x.arr));
}

/* What waits for the caller: for each workflow verb, the awards it may use the verb on now
 * (wf_allowed, the same answer as allowed_actions) and their amount — for a firm the awards
 * it can claim (免申即享 pushes) or must correct, for a reviewer its department's queue, for
 * finance what is payable. */
typedef struct {
    hq_op *o;
    int64_t count[WF__COUNT], fen[WF__COUNT];
} inbox_ctx;

static int inbox_one(const hq_award_rec *a, void *ud)
{
    inbox_ctx *x = ud;
    if (!op_may_see_award(x->o, a)) return 0;
    unsigned allowed = wf_allowed(a, &x->o->ctx->who);
    for (int v = 0; v < WF__COUNT; v++)
        if (allowed >> v & 1) {
            x->count[v]++;
            x->fen[v] += a->amount_fen;
        }
    return 0;
}

void op_inbox(hq_op *o)
{
    hq_award_filter f = {.state = -1};
    if (o->ctx->who.role == ROLE_ENTERPRISE) f.credit_code = o->ctx->who.credit_code;
    inbox_ctx x = {.o = o};
    if (store_award_list(o->ctx->s, &f, inbox_one, &x)) {
        op_store_error(o);
        return;
    }
    json_t *todo = json_array();
    int64_t total = 0;
    for (int v = 0; v < WF__COUNT; v++) {
        if (!x.count[v]) continue;
        char amount[32];
        fen_format(x.fen[v], false, amount, sizeof amount);
        json_array_append_new(todo, json_pack("{s:s, s:s, s:I, s:I, s:s}", "verb", WF_VERB[v].code, "verb_zh", WF_VERB[v].zh,
                                              "count", (json_int_t)x.count[v], "amount_fen", (json_int_t)x.fen[v], "amount",
                                              amount));
        total += x.count[v];
    }
    op_ok(o, json_pack("{s:o, s:I}", "todo", todo, "count", (json_int_t)total));
}

/* The award `id`, if the caller may see it; else an error result (not found, or forbidden
 * and audited on the award's number). */
static bool load_visible(hq_op *o, int64_t id, hq_award_rec *a)
{
    char object[48];
    snprintf(object, sizeof object, "%lld", (long long)id);
    return op_award_visible(o, id, a, object, "award of another enterprise or department");
}

static int history_row(const hq_audit_rec *a, void *ud)
{
    if (!strcmp(a->action, "denied")) return 0; /* refused attempts are for auditors, not the award's parties */
    json_t *j = json_pack("{s:s, s:s, s:s}", "at", a->at, "actor", a->actor, "action", a->action);
    json_t *after = a->after ? json_loads(a->after, 0, NULL) : NULL;
    if (after) json_object_set_new(j, "after", after);
    json_array_append_new(ud, j);
    return 0;
}

static int objection_row(const hq_objection_rec *ob, void *ud)
{
    json_array_append_new(ud, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)ob->id, "by", ob->by, "text",
                                        ob->text, "lodged_at", ob->lodged_at, "resolution", ob->resolution, "resolved_at",
                                        ob->resolved_at, "note", ob->note));
    return 0;
}

/* What an approved award counts for 附则3 and the quotas, claim by claim: the part, the
 * project it is for, its basis and years, and the amount after 附则3. */
static json_t *claims_json(const hq_claim_rec *v, int n)
{
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        char amount[32];
        fen_format(v[i].amount_fen, false, amount, sizeof amount);
        hq_basis b = basis_parse(v[i].basis);
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:I, s:s, s:b}", "part", v[i].part, "project",
                                             v[i].project, "basis", v[i].basis, "basis_zh", b == BASIS_NONE ? "" : basis_label(b),
                                             "year", v[i].year, "data_year", v[i].data_year, "amount_fen",
                                             (json_int_t)v[i].amount_fen, "amount", amount, "voucher", v[i].voucher));
    }
    return arr;
}

/* Staff by department and role, never by login name: "市经信局 审核员", "财政"; an enterprise
 * as `firm` (申报企业 on its own award's history). Actors that are not accounts are the
 * command line's operators. */
static void actor_zh(hq_store *s, const char *actor, const char *firm, char *out, size_t size)
{
    hq_user_rec u;
    if (!strncmp(actor, "user:", 5) && store_user_get(s, 0, actor + 5, &u) == 0) {
        hq_role r = role_parse(u.role);
        if (r == ROLE_ENTERPRISE) snprintf(out, size, "%s", firm);
        else if (*u.department) snprintf(out, size, "%s %s", u.department, role_zh(r));
        else snprintf(out, size, "%s", role_zh(r));
    } else {
        snprintf(out, size, "系统管理员");
    }
}

/* Names people read on the history and the objections; an enterprise sees no login names,
 * and never who objected to its award (公示 protects the objector). */
static void name_actors(hq_store *s, const hq_identity *who, json_t *hist, json_t *objs)
{
    bool firm = who->role == ROLE_ENTERPRISE;
    size_t i;
    json_t *e;
    char zh[192];
    json_array_foreach(hist, i, e) {
        actor_zh(s, json_string_value(json_object_get(e, "actor")), "申报企业", zh, sizeof zh);
        json_object_set_new(e, "actor_zh", json_string(zh));
        if (firm) json_object_del(e, "actor");
    }
    json_array_foreach(objs, i, e) {
        const char *by = json_string_value(json_object_get(e, "by"));
        bool own = firm && !strcmp(by, who->actor);
        if (firm && !own) {
            json_object_del(e, "by");
            continue;
        }
        actor_zh(s, by, "企业用户", zh, sizeof zh);
        json_object_set_new(e, "by_zh", json_string(own ? "本企业" : zh));
        if (firm) json_object_del(e, "by");
    }
}

void op_award(hq_op *o)
{
    long long id;
    op_int(o, "id", &id);
    hq_award_rec a;
    if (!load_visible(o, id, &a)) return;
    hq_store *s = o->ctx->s;
    json_t *j = award_json(o->ctx->c, &a, &o->ctx->who);
    hq_strbuf expl;
    sb_init(&expl, 1 << 20);
    wf_explain(s, o->ctx->c, &a, &expl);
    json_object_set_new(j, "explanation", json_string(sb_str(&expl)));
    sb_free(&expl);
    /* Where the award has been: its audit rows, and the objections lodged during 公示. */
    char object[48];
    snprintf(object, sizeof object, "award#%lld", (long long)a.id);
    json_t *hist = json_array(), *objs = json_array();
    if (store_audit_of(s, object, history_row, hist) || store_objection_list(s, a.id, objection_row, objs)) {
        json_decref(hist);
        json_decref(objs);
        json_decref(j);
        op_store_error(o);
        return;
    }
    name_actors(s, &o->ctx->who, hist, objs);
    json_object_set_new(j, "history", hist);
    json_object_set_new(j, "objections", objs);
    hq_payment_rec p;
    int rc = store_payment_get(s, a.id, &p);
    if (rc < 0) {
        json_decref(j);
        op_store_error(o);
        return;
    }
    hq_claim_rec *claims = calloc(HQ_MAX_CLAIMS_PER_AWARD, sizeof *claims);
    int nclaims = 0;
    if (!claims || store_award_claims_get(s, a.id, claims, HQ_MAX_CLAIMS_PER_AWARD, &nclaims)) {
        free(claims);
        json_decref(j);
        op_store_error(o);
        return;
    }
    json_object_set_new(j, "claims", claims_json(claims, nclaims));
    free(claims);
    if (rc == 0) {
        json_t *sp = json_array();
        for (int i = 0; i < p.nsplits; i++)
            json_array_append_new(sp, json_pack("{s:s, s:I}", "payer", p.splits[i].payer, "amount_fen", (json_int_t)p.splits[i].amount_fen));
        json_object_set_new(j, "payment", json_pack("{s:s, s:s, s:I, s:o}", "at", p.at, "batch", p.batch, "amount_fen",
                                                    (json_int_t)p.amount_fen, "splits", sp));
    }
    op_ok(o, j);
}

/* A workflow result as an operation result: the award as it now is, with what happened. */
static void answer(hq_op *o, int rc, hq_strbuf *msg, int64_t id)
{
    while (msg->len && msg->data[msg->len - 1] == '\n') msg->data[--msg->len] = 0;
    hq_award_rec a;
    if (rc == WF_OK) {
        if (store_award_get(o->ctx->s, id, &a)) {
            op_store_error(o);
            return;
        }
        json_t *j = award_json(o->ctx->c, &a, &o->ctx->who);
        json_object_set_new(j, "message", json_string(sb_str(msg)));
        op_ok(o, j);
    } else if (rc == WF_NOT_FOUND) {
        op_fail(o, OPR_NOT_FOUND, NULL, "%s", sb_str(msg));
    } else if (rc == WF_REFUSED) {
        op_fail(o, OPR_REFUSED, NULL, "%s", sb_str(msg));
    } else {
        op_fail(o, OPR_INTERNAL, NULL, "%s", sb_str(msg));
    }
}

void op_award_verb(hq_op *o)
{
    int verb = wf_verb_parse(strrchr(o->def->route, '/') + 1);
    long long id;
    op_int(o, "id", &id);
    hq_wf_args args = {.reason = op_str(o, "reason"), .start = op_str(o, "start"), .end = op_str(o, "end"),
                       .batch = op_str(o, "batch"), .pledge = op_bool(o, "pledge")};
    /* What a verb cannot do without is a bad request, said before anything is looked up. */
    if ((verb == WF_REJECT || verb == WF_RETURN) && !args.reason) {
        op_fail(o, OPR_BAD_REQUEST, "reason", verb == WF_REJECT ? "驳回须说明理由" : "退回补正须说明需补正的内容");
        return;
    }
    if (verb == WF_PUBLICIZE && (!args.start || !args.end)) {
        op_fail(o, OPR_BAD_REQUEST, !args.start ? "start" : "end", "公示须给出开始与结束日期（YYYY-MM-DD）");
        return;
    }
    hq_award_rec a;
    if (verb < 0 || !load_visible(o, id, &a)) {
        if (verb < 0) op_fail(o, OPR_INTERNAL, NULL, "没有这个办理动作");
        return;
    }
    hq_strbuf msg;
    sb_init(&msg, 1 << 16);
    hq_wf w = {.s = o->ctx->s, .c = o->ctx->c, .who = &o->ctx->who, .msg = &msg};
    int rc = wf_do(&w, (hq_wf_verb)verb, a.id, &args);
    answer(o, rc, &msg, a.id);
    sb_free(&msg);
}

/* Anyone signed in may object to an award in 公示 (it is public then); any other award is
 * reported as not found unless the caller may see it, so its state is not disclosed. */
void op_object(hq_op *o)
{
    long long id;
    op_int(o, "id", &id);
    hq_award_rec a;
    int rc = store_award_get(o->ctx->s, id, &a);
    if (rc < 0) {
        op_store_error(o);
        return;
    }
    if (rc == 1 || (a.state != AWARD_PUBLICIZING && !op_may_see_award(o, &a))) {
        op_fail(o, OPR_NOT_FOUND, "id", "没有处于公示中的奖补 #%lld", id);
        return;
    }
    hq_strbuf msg;
    sb_init(&msg, 1 << 16);
    hq_wf w = {.s = o->ctx->s, .c = o->ctx->c, .who = &o->ctx->who, .msg = &msg};
    int64_t oid = 0;
    rc = wf_object(&w, id, op_str(o, "text"), &oid);
    if (rc == WF_OK) {
        while (msg.len && msg.data[msg.len - 1] == '\n') msg.data[--msg.len] = 0;
        op_ok(o, json_pack("{s:I, s:I, s:s}", "objection", (json_int_t)oid, "award", (json_int_t)id, "message", sb_str(&msg)));
        o->status = OPR_CREATED;
    } else {
        answer(o, rc, &msg, id);
    }
    sb_free(&msg);
}

void op_resolve(hq_op *o)
{
    long long id;
    op_int(o, "id", &id);
    hq_strbuf msg;
    sb_init(&msg, 1 << 16);
    hq_wf w = {.s = o->ctx->s, .c = o->ctx->c, .who = &o->ctx->who, .msg = &msg};
    int rc = wf_resolve(&w, id, op_bool(o, "upheld"), op_str(o, "note"));
    while (msg.len && msg.data[msg.len - 1] == '\n') msg.data[--msg.len] = 0;
    if (rc == WF_OK) op_ok(o, json_pack("{s:I, s:s}", "objection", (json_int_t)id, "message", sb_str(&msg)));
    else if (rc == WF_NOT_FOUND) op_fail(o, OPR_NOT_FOUND, "id", "%s", sb_str(&msg));
    else if (rc == WF_REFUSED) op_fail(o, OPR_REFUSED, NULL, "%s", sb_str(&msg));
    else op_fail(o, OPR_INTERNAL, NULL, "%s", sb_str(&msg));
    sb_free(&msg);
}

typedef struct {
    json_t *arr;
    const hq_corpus *c;
} pub_ctx;

static int pub_one(const hq_award_rec *a, void *ud)
{
    pub_ctx *x = ud;
    char amount[32];
    fen_format(a->amount_fen, false, amount, sizeof amount);
    const hq_item *it = corpus_find_item(x->c, a->item);
    json_array_append_new(x->arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:i, s:s, s:b, s:s, s:s}", "id",
                                            (json_int_t)a->id, "name", a->entity_name, "credit_code", a->credit_code, "item",
                                            a->item, "title", it ? it->title : "", "document", a->document, "article",
                                            it ? it->article : 0, "row", it && it->row ? it->row : "", "year", a->year,
                                            "amount", amount, "voucher", a->voucher, "publicity_start", a->publicity_start,
                                            "publicity_end", a->publicity_end));
    return 0;
}

/* The awards now in 公示, for everyone: what the public may see of them. */
void op_publicity(hq_op *o)
{
    hq_award_filter f = {.state = AWARD_PUBLICIZING};
    pub_ctx x = {.arr = json_array(), .c = o->ctx->c};
    if (store_award_list(o->ctx->s, &f, pub_one, &x)) {
        json_decref(x.arr);
        op_store_error(o);
        return;
    }
    op_ok(o, json_pack("{s:i, s:o}", "count", (int)json_array_size(x.arr), "awards", x.arr));
}
