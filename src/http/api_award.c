/*
 * The award side of the API: lists and details (我的申报, 受理审核台, 财政兑付), the workflow
 * verbs, objections, and the public 公示 list. Who may see and do what:
 *   企业    its own awards only (its credit code); may apply and lodge objections
 *   审核员  awards of its department's items only; accept, approve, reject, publicize,
 *           close publicity, resolve objections
 *   财政    every award; pay and archive
 *   领导    every award, read only
 *   管理员  everything
 * Every refusal of access is answered 403 and written to the audit log; every action goes
 * through ledger/workflow.c, which writes its own audit row.
 */
#include <stdlib.h>
#include <string.h>

#include "base/fixed.h"
#include "http/http.h"
#include "ledger/workflow.h"

/* May the caller see this award? Enterprises their own, reviewers their department's. */
static bool may_see(const hq_req *r, const hq_award_rec *a)
{
    switch (r->role) {
    case ROLE_ENTERPRISE: return !strcmp(a->credit_code, r->user.credit_code);
    case ROLE_REVIEWER: return wf_department_matches(a->department, r->user.department);
    case ROLE_FINANCE:
    case ROLE_LEADER:
    case ROLE_ADMIN: return true;
    default: return false;
    }
}

static json_t *award_json(const hq_award_rec *a)
{
    char amount[32], ent[32];
    fen_format(a->amount_fen, false, amount, sizeof amount);
    fen_format(a->entitlement_fen, false, ent, sizeof ent);
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:I, s:s, s:I, s:s, s:b, s:s, s:s, s:s, s:s, s:s, s:s, "
                     "s:s, s:s, s:s, s:s}",
                     "id", (json_int_t)a->id, "credit_code", a->credit_code, "name", a->entity_name, "item", a->item,
                     "document", a->document, "department", a->department, "kind", a->kind, "year", a->year, "state",
                     award_state_code(a->state), "state_zh", award_state_zh(a->state), "entitlement_fen",
                     (json_int_t)a->entitlement_fen, "entitlement", ent, "amount_fen", (json_int_t)a->amount_fen, "amount",
                     amount, "voucher", a->voucher, "decision_id", a->decision_id, "corpus_hash", a->corpus_hash, "stage",
                     a->stage, "note", a->note, "reason", a->reason, "publicity_start", a->publicity_start, "publicity_end",
                     a->publicity_end, "district", a->district, "industry", a->industry, "updated_at", a->updated_at);
}

typedef struct {
    hq_req *r;
    json_t *arr;
    int limit, n;
} list_ctx;

static int list_one(const hq_award_rec *a, void *ud)
{
    list_ctx *x = ud;
    if (!may_see(x->r, a)) return 0;
    if (x->limit && x->n >= x->limit) return 1;
    json_array_append_new(x->arr, award_json(a));
    x->n++;
    return 0;
}

/* GET /api/awards?state=&item=&year=&entity=&limit= */
void api_awards(hq_req *r)
{
    if (!auth_require(r, ROLES(ROLE_ENTERPRISE, ROLE_REVIEWER, ROLE_FINANCE, ROLE_LEADER, ROLE_ADMIN))) return;
    hq_store *s = http_thread_store(r);
    if (!s) {
        http_error(r, 503, "unavailable", NULL, "数据库不可用");
        return;
    }
    hq_award_filter f = {.state = -1, .item = http_query(r, "item"), .credit_code = http_query(r, "entity")};
    const char *state = http_query(r, "state"), *year = http_query(r, "year"), *limit = http_query(r, "limit");
    if (state && *state && (f.state = award_state_parse(state)) < 0) {
        http_error(r, 400, "bad_request", "state", "未知状态 %s", state);
        return;
    }
    if (year && *year) {
        f.year = atoi(year);
        if (f.year < 2000 || f.year > 2100) {
            http_error(r, 400, "bad_request", "year", "year 须为年度，如 2021");
            return;
        }
    }
    int lim = limit && *limit ? atoi(limit) : 1000;
    if (lim < 1 || lim > 100000) {
        http_error(r, 400, "bad_request", "limit", "limit 须在 1 到 100000 之间");
        return;
    }
    if (r->role == ROLE_ENTERPRISE) {
        if (f.credit_code && *f.credit_code && strcmp(f.credit_code, r->user.credit_code)) {
            auth_audit(r, "denied", f.credit_code, json_pack("{s:s}", "reason", "enterprise listing another enterprise"));
            http_error(r, 403, "forbidden", "entity", "企业用户只能查看本企业的奖补");
            return;
        }
        f.credit_code = r->user.credit_code;
    }
    if (f.credit_code && !*f.credit_code) f.credit_code = NULL;
    if (f.item && !*f.item) f.item = NULL;
    list_ctx x = {.r = r, .arr = json_array(), .limit = lim};
    if (store_award_list(s, &f, list_one, &x)) {
        json_decref(x.arr);
        http_error(r, 503, "unavailable", NULL, "%s", store_error(s));
        return;
    }
    http_json(r, 200, json_pack("{s:i, s:o}", "count", x.n, "awards", x.arr));
}

/* The award named in the path, if the caller may see it; else an error response. */
static bool load_visible(hq_req *r, const char *id_s, hq_award_rec *a)
{
    hq_store *s = http_thread_store(r);
    char *end;
    long long id = strtoll(id_s, &end, 10);
    if (*end || id <= 0) {
        http_error(r, 400, "bad_request", "id", "奖补编号须为正整数");
        return false;
    }
    int rc = s ? store_award_get(s, id, a) : -1;
    if (rc < 0) http_error(r, 503, "unavailable", NULL, "数据库不可用");
    else if (rc == 1 || !may_see(r, a)) {
        if (rc == 0) auth_audit(r, "denied", id_s, json_pack("{s:s, s:s}", "reason", "award of another enterprise or department", "role",
                                                            role_code(r->role)));
        /* Someone else's award is refused, and the attempt is in the audit log. */
        http_error(r, rc == 1 ? 404 : 403, rc == 1 ? "not_found" : "forbidden", NULL,
                   rc == 1 ? "奖补 #%s 不存在" : "无权查看奖补 #%s", id_s);
    }
    return rc == 0 && may_see(r, a);
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

static int objection_row(const hq_objection_rec *o, void *ud)
{
    json_array_append_new(ud, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)o->id, "by", o->by, "text",
                                        o->text, "lodged_at", o->lodged_at, "resolution", o->resolution, "resolved_at",
                                        o->resolved_at, "note", o->note));
    return 0;
}

void api_award(hq_req *r)
{
    if (!auth_require(r, ROLES(ROLE_ENTERPRISE, ROLE_REVIEWER, ROLE_FINANCE, ROLE_LEADER, ROLE_ADMIN))) return;
    hq_award_rec a;
    if (!load_visible(r, r->params[0], &a)) return;
    hq_store *s = http_thread_store(r);
    json_t *j = award_json(&a);
    hq_strbuf expl;
    sb_init(&expl, 1 << 20);
    wf_explain(s, server_config(r->srv)->corpus, &a, &expl);
    json_object_set_new(j, "explanation", json_string(sb_str(&expl)));
    sb_free(&expl);
    /* Where the award has been: its audit rows, and the objections lodged during 公示. */
    char object[48];
    snprintf(object, sizeof object, "award#%lld", (long long)a.id);
    json_t *hist = json_array(), *objs = json_array();
    store_audit_of(s, object, history_row, hist);
    store_objection_list(s, a.id, objection_row, objs);
    json_object_set_new(j, "history", hist);
    json_object_set_new(j, "objections", objs);
    hq_payment_rec p;
    if (store_payment_get(s, a.id, &p) == 0) {
        json_t *sp = json_array();
        for (int i = 0; i < p.nsplits; i++)
            json_array_append_new(sp, json_pack("{s:s, s:I}", "payer", p.splits[i].payer, "amount_fen", (json_int_t)p.splits[i].amount_fen));
        json_object_set_new(j, "payment", json_pack("{s:s, s:s, s:I, s:o}", "at", p.at, "batch", p.batch, "amount_fen",
                                                    (json_int_t)p.amount_fen, "splits", sp));
    }
    http_json(r, 200, j);
}

/* The roles allowed each verb (enterprises and reviewers are further held to their own
 * awards by load_visible, reviewers to their department by the workflow). */
static const struct {
    const char *verb;
    unsigned roles;
} VERBS[] = {
    {"push", 1u << ROLE_ADMIN},
    {"apply", 1u << ROLE_ENTERPRISE | 1u << ROLE_ADMIN},
    {"accept", 1u << ROLE_REVIEWER | 1u << ROLE_ADMIN},
    {"approve", 1u << ROLE_REVIEWER | 1u << ROLE_ADMIN},
    {"reject", 1u << ROLE_REVIEWER | 1u << ROLE_ADMIN},
    {"publicize", 1u << ROLE_REVIEWER | 1u << ROLE_ADMIN},
    {"close", 1u << ROLE_REVIEWER | 1u << ROLE_ADMIN},
    {"pay", 1u << ROLE_FINANCE | 1u << ROLE_ADMIN},
    {"archive", 1u << ROLE_FINANCE | 1u << ROLE_ADMIN},
};

static void answer(hq_req *r, int rc, hq_strbuf *msg, int64_t id)
{
    while (msg->len && msg->data[msg->len - 1] == '\n') msg->data[--msg->len] = 0;
    hq_award_rec a;
    if (rc == WF_OK && store_award_get(http_thread_store(r), id, &a) == 0) {
        json_t *j = award_json(&a);
        json_object_set_new(j, "message", json_string(sb_str(msg)));
        http_json(r, 200, j);
    } else if (rc == WF_NOT_FOUND) {
        http_error(r, 404, "not_found", NULL, "%s", sb_str(msg));
    } else if (rc == WF_REFUSED) {
        http_error(r, 409, "refused", NULL, "%s", sb_str(msg));
    } else {
        http_error(r, 500, "internal", NULL, "%s", sb_str(msg));
    }
}

static const char *actor_of(hq_req *r, char *buf, size_t size)
{
    snprintf(buf, size, "user:%s", r->user.username);
    return buf;
}

/* POST /api/awards/{id}/{verb} {"reason"?, "start"?, "end"?, "batch"?} */
void api_award_action(hq_req *r)
{
    const char *verb = r->params[1];
    size_t k;
    for (k = 0; k < sizeof VERBS / sizeof *VERBS; k++)
        if (!strcmp(VERBS[k].verb, verb)) break;
    if (k == sizeof VERBS / sizeof *VERBS) {
        http_error(r, 404, "not_found", NULL, "没有这个操作：%s", verb);
        return;
    }
    if (!auth_state_change(r)) return;
    if (!(VERBS[k].roles >> r->role & 1)) {
        auth_audit(r, "denied", r->params[0], json_pack("{s:s, s:s}", "verb", verb, "role", role_code(r->role)));
        http_error(r, 403, "forbidden", NULL, "%s不能执行「%s」", role_zh(r->role), verb);
        return;
    }
    hq_award_rec a;
    if (!load_visible(r, r->params[0], &a)) return;
    json_t *b = r->body_len ? http_body_json(r) : json_object();
    if (!b) return;
    hq_strbuf msg;
    sb_init(&msg, 1 << 16);
    char actor[96];
    hq_wf w = {.s = http_thread_store(r), .c = server_config(r->srv)->corpus, .actor = actor_of(r, actor, sizeof actor),
               .department = r->user.department, .admin = r->role == ROLE_ADMIN, .msg = &msg};
    const char *reason = json_string_value(json_object_get(b, "reason"));
    const char *start = json_string_value(json_object_get(b, "start"));
    const char *end = json_string_value(json_object_get(b, "end"));
    const char *batch = json_string_value(json_object_get(b, "batch"));
    int rc;
    if (!strcmp(verb, "push")) rc = wf_push(&w, a.id);
    else if (!strcmp(verb, "apply")) rc = wf_apply(&w, a.id);
    else if (!strcmp(verb, "accept")) rc = wf_accept(&w, a.id);
    else if (!strcmp(verb, "approve")) rc = wf_approve(&w, a.id);
    else if (!strcmp(verb, "reject")) rc = wf_reject(&w, a.id, reason);
    else if (!strcmp(verb, "publicize")) rc = wf_publicize(&w, a.id, start, end);
    else if (!strcmp(verb, "close")) rc = wf_close(&w, a.id);
    else if (!strcmp(verb, "pay")) rc = wf_pay(&w, a.id, batch);
    else rc = wf_archive(&w, a.id);
    if (rc == WF_REFUSED && !strcmp(verb, "reject") && (!reason || !*reason))
        http_error(r, 400, "bad_request", "reason", "驳回须说明理由");
    else if (rc == WF_REFUSED && !strcmp(verb, "publicize") && (!start || !end))
        http_error(r, 400, "bad_request", !start ? "start" : "end", "公示须给出 start 与 end（YYYY-MM-DD）");
    else answer(r, rc, &msg, a.id);
    sb_free(&msg);
    json_decref(b);
}

/* Anyone may object to an award in 公示 (it is public then); any other award is reported
 * as not found unless the caller may see it, so its state is not disclosed. */
static bool objection_target_ok(hq_req *r, int64_t id)
{
    hq_award_rec a;
    int rc = store_award_get(http_thread_store(r), id, &a);
    if (rc == 0 && (a.state == AWARD_PUBLICIZING || may_see(r, &a))) return true;
    if (rc < 0) http_error(r, 503, "unavailable", NULL, "数据库不可用");
    else http_error(r, 404, "not_found", NULL, "没有处于公示中的奖补 #%lld", (long long)id);
    return false;
}

/* POST /api/awards/{id}/objections {"text"}: anyone signed in, during 公示. */
void api_objection_add(hq_req *r)
{
    if (!auth_state_change(r)) return;
    json_t *b = http_body_json(r);
    if (!b) return;
    const char *text = json_string_value(json_object_get(b, "text"));
    char *end;
    long long id = strtoll(r->params[0], &end, 10);
    if (*end || id <= 0) http_error(r, 400, "bad_request", "id", "奖补编号须为正整数");
    else if (!text || !*text) http_error(r, 400, "bad_request", "text", "异议须有内容");
    else if (strlen(text) > 1000) http_error(r, 400, "bad_request", "text", "异议内容不超过1000字节");
    else if (!objection_target_ok(r, id)) {
        /* answered */
    } else {
        hq_strbuf msg;
        sb_init(&msg, 1 << 16);
        char actor[96];
        hq_wf w = {.s = http_thread_store(r), .c = server_config(r->srv)->corpus, .actor = actor_of(r, actor, sizeof actor),
                   .msg = &msg};
        int64_t oid = 0;
        int rc = wf_object(&w, id, text, &oid);
        if (rc == WF_OK)
            http_json(r, 201, json_pack("{s:I, s:I, s:s}", "objection", (json_int_t)oid, "award", (json_int_t)id, "message", sb_str(&msg)));
        else answer(r, rc, &msg, id);
        sb_free(&msg);
    }
    json_decref(b);
}

/* POST /api/objections/{id}/resolve {"upheld": bool, "note"} */
void api_objection_resolve(hq_req *r)
{
    if (!auth_state_change(r) || !auth_require(r, ROLES(ROLE_REVIEWER, ROLE_ADMIN))) return;
    json_t *b = http_body_json(r);
    if (!b) return;
    const json_t *up = json_object_get(b, "upheld");
    const char *note = json_string_value(json_object_get(b, "note"));
    char *end;
    long long id = strtoll(r->params[0], &end, 10);
    if (*end || id <= 0) http_error(r, 400, "bad_request", "id", "异议编号须为正整数");
    else if (!json_is_boolean(up)) http_error(r, 400, "bad_request", "upheld", "upheld 须为 true（异议成立）或 false");
    else if (!note || !*note) http_error(r, 400, "bad_request", "note", "处理异议须说明理由");
    else {
        hq_strbuf msg;
        sb_init(&msg, 1 << 16);
        char actor[96];
        hq_wf w = {.s = http_thread_store(r), .c = server_config(r->srv)->corpus, .actor = actor_of(r, actor, sizeof actor),
                   .department = r->user.department, .admin = r->role == ROLE_ADMIN, .msg = &msg};
        int rc = wf_resolve(&w, id, json_is_true(up), note);
        if (rc == WF_OK) http_json(r, 200, json_pack("{s:I, s:s}", "objection", (json_int_t)id, "message", sb_str(&msg)));
        else if (rc == WF_REFUSED && strstr(sb_str(&msg), "不存在")) http_error(r, 404, "not_found", NULL, "%s", sb_str(&msg));
        else answer(r, rc, &msg, 0);
        sb_free(&msg);
    }
    json_decref(b);
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
    json_array_append_new(x->arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:b, s:s, s:s}", "id", (json_int_t)a->id,
                                            "name", a->entity_name, "credit_code", a->credit_code, "item", a->item, "title",
                                            it ? it->title : "", "document", a->document, "year", a->year, "amount", amount,
                                            "voucher", a->voucher, "publicity_start", a->publicity_start, "publicity_end",
                                            a->publicity_end));
    return 0;
}

/* GET /api/publicity: the awards now in 公示, for everyone (no login). */
void api_publicity(hq_req *r)
{
    hq_store *s = http_thread_store(r);
    if (!s) {
        http_error(r, 503, "unavailable", NULL, "数据库不可用");
        return;
    }
    hq_award_filter f = {.state = AWARD_PUBLICIZING};
    pub_ctx x = {.arr = json_array(), .c = server_config(r->srv)->corpus};
    if (store_award_list(s, &f, pub_one, &x)) {
        json_decref(x.arr);
        http_error(r, 503, "unavailable", NULL, "%s", store_error(s));
        return;
    }
    http_json(r, 200, json_pack("{s:i, s:o}", "count", (int)json_array_size(x.arr), "awards", x.arr));
}
