/*
 * The operation layer: every operation a user can ask of huiqi — assess an entity, explain
 * an item, list and show awards, each workflow verb, objections, imports, matching,
 * budgets, the fiscal split, reports, audit verification, accounts — written once, with
 * typed input, a JSON result in one shape, and who may call it. The CLI (src/cli) and the
 * HTTP API (src/http) are adapters: they turn arguments or a request into an input
 * document, call ops_call(), and print or send the result. Neither decides what an
 * operation does or who may do it.
 *
 * The table below is the one place to add an operation: its name, CLI command, HTTP method
 * and route, the roles allowed, its flags, its parameters and its handler. The workflow's
 * verbs (ledger/workflow.h) are expanded into it, one operation each, so a verb added there
 * is a CLI command, a route and an allowed action at once.
 *
 * Threading: an hq_op is used by one thread; the context's store and evaluator belong to
 * that thread, the corpus is shared read-only.
 */
#ifndef HQ_OPS_H
#define HQ_OPS_H
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "base/calendar.h"
#include "base/strbuf.h"
#include "eval/rvm.h"
#include "ledger/roles.h"
#include "ledger/workflow.h"
#include "rules/corpus.h"
#include "store/store.h"

/* ---- parameters ----------------------------------------------------------------------------- */

/* Parameter types. Each is read from a JSON value (HTTP bodies) or from text (CLI options,
 * URL query and path segments) and stored typed in the input document:
 *   PT_STR    a string (at most `hi` bytes, default 1000)
 *   PT_INT    a whole number in [lo, hi]
 *   PT_YEAR   a year in [HQ_YEAR_MIN, HQ_YEAR_MAX]
 *   PT_ID     a positive record number
 *   PT_BOOL   true/false (CLI: a flag)
 *   PT_MONEY  元 as a decimal string or with 万/亿 ("5000000.00", "500万") → whole 分 (integer)
 *   PT_RATE   "50%" or "0.5" → a rate ×10⁶ (integer), in [0, 100%]
 *   PT_DATE   "YYYY-MM-DD"
 *   PT_JSON   a JSON value (CLI: a file holding it)
 *   PT_UPLOAD the request body itself (CLI: a file), for imports */
typedef enum { PT_STR, PT_INT, PT_YEAR, PT_ID, PT_BOOL, PT_MONEY, PT_RATE, PT_DATE, PT_JSON, PT_UPLOAD } hq_ptype;

typedef struct {
    const char *name;          /* the key in the input; the CLI option is --name (with '_' as '-') */
    hq_ptype type;
    bool required;
    long long lo, hi;
    const char *zh;            /* what it is, for messages ("年度") */
} hq_op_param;


/* ---- results --------------------------------------------------------------------------------- */

/* How an operation ended; each adapter maps these to its own codes (HTTP status, exit code). */
#define HQ_OP_STATUSES(X)                                  \
    X(OK, 200, "ok")                                       \
    X(CREATED, 201, "ok")                                  \
    X(BAD_REQUEST, 400, "bad_request")                     \
    X(UNAUTHORIZED, 401, "unauthorized")                   \
    X(FORBIDDEN, 403, "forbidden")                         \
    X(NOT_FOUND, 404, "not_found")                         \
    X(REFUSED, 409, "refused")                             \
    X(TOO_LARGE, 413, "payload_too_large")                 \
    X(BAD_DATA, 422, "bad_data")                           \
    X(UNAVAILABLE, 503, "unavailable")                     \
    X(INTERNAL, 500, "internal")

typedef enum {
#define X(id, http, code) OPR_##id,
    HQ_OP_STATUSES(X)
#undef X
    OPR__COUNT
} hq_op_status;

int op_http_status(hq_op_status s);

/* ---- the table -------------------------------------------------------------------------------- */

enum {
    OPF_STORE = 1,    /* needs the ledger store */
    OPF_WRITE = 2,    /* changes state: over HTTP a session and its CSRF token are required */
    OPF_UPLOAD = 4,   /* takes a file as its body (PT_UPLOAD) */
    OPF_JOB = 8,      /* long: over HTTP it may run as a background job, reporting progress */
};

#define R_(x) ROLE_BIT(x)
#define ROLES_STAFF (R_(REVIEWER) | R_(FINANCE) | R_(LEADER) | R_(ADMIN))

/* X(ID, CLI, ZH, METHOD, ROUTE, ROLES, FLAGS, PARAMS, HANDLER); CLI is the command words
 * ("award list"), ZH what it does in the users' words (help, the operation list), ROUTE the
 * path with {name} segments filled into parameters of that name. */
#define HQ_OPS(X)                                                                                                            \
    X(DOCUMENTS, "documents", "政策文件", "GET", "/api/documents", ROLES_ANYONE, 0, P_NONE, op_documents)                                 \
    X(ITEMS, "list", "条款列表", "GET", "/api/items", ROLES_ANYONE, 0, P_ITEMS, op_items)                                                 \
    X(ITEM, "item", "条款详情", "GET", "/api/items/{item}", ROLES_ANYONE, 0, P_ITEM, op_item)                                             \
    X(FACTS, "facts", "数据项说明", "GET", "/api/facts", ROLES_ANYONE, 0, P_FACTS, op_facts)                                                \
    X(EVALUATE, "eval", "政策计算器：按企业数据测算", "POST", "/api/evaluate", ROLES_ANYONE, 0, P_EVALUATE, op_evaluate)                                     \
    X(EXPLAIN, "explain", "一个条款的计算说明", "POST", "/api/items/{item}/explain", ROLES_ANYONE, 0, P_EXPLAIN, op_explain)                         \
    X(ENTITY, "entity show", "企业档案", "GET", "/api/entities/{entity}", ROLES_SIGNED_IN, OPF_STORE, P_ENTITY, op_entity)                \
    X(ENTITY_EVALUATE, "entity eval", "台账企业政策体检", "POST", "/api/entities/{entity}/evaluate", ROLES_SIGNED_IN, OPF_STORE,                  \
      P_ENTITY_EVALUATE, op_entity_evaluate)                                                                                  \
    X(WHATIF, "whatif", "政策测算（假设调整）", "POST", "/api/whatif", R_(FINANCE) | R_(LEADER) | R_(ADMIN), OPF_STORE | OPF_WRITE | OPF_JOB, P_WHATIF, \
      op_whatif)                                                                                                              \
    X(AWARDS, "award list", "奖补列表", "GET", "/api/awards", ROLES_SIGNED_IN, OPF_STORE, P_AWARDS, op_awards)                            \
    X(AWARD, "award show", "奖补详情", "GET", "/api/awards/{id}", ROLES_SIGNED_IN, OPF_STORE, P_AWARD, op_award)                           \
    X(INBOX, "inbox", "待办事项", "GET", "/api/inbox", ROLES_SIGNED_IN, OPF_STORE, P_NONE, op_inbox)                                  \
    X(MESSAGES, "message list", "站内信", "GET", "/api/messages", R_(ENTERPRISE), OPF_STORE, P_NONE, op_messages)                   \
    X(MESSAGES_READ, "message read", "站内信全部已读", "POST", "/api/messages/read", R_(ENTERPRISE), OPF_STORE | OPF_WRITE, P_NONE,      \
      op_messages_read)                                                                                                     \
    X(BANK, "bank show", "收款账户", "GET", "/api/bank-account", R_(ENTERPRISE) | R_(FINANCE) | R_(ADMIN), OPF_STORE, P_BANK, op_bank)   \
    X(BANK_SET, "bank set", "登记收款账户", "POST", "/api/bank-account", R_(ENTERPRISE) | R_(ADMIN), OPF_STORE | OPF_WRITE, P_BANK_SET,  \
      op_bank_set)                                                                                                          \
    HQ_WF_VERBS(HQ_WF_OP)                                                                                                     \
    X(OBJECT, "award object", "对公示提出异议", "POST", "/api/awards/{id}/objections", ROLES_SIGNED_IN, OPF_STORE | OPF_WRITE, P_OBJECT,         \
      op_object)                                                                                                              \
    X(RESOLVE, "award resolve", "处理异议", "POST", "/api/objections/{id}/resolve", R_(REVIEWER) | R_(ADMIN), OPF_STORE | OPF_WRITE,       \
      P_RESOLVE, op_resolve)                                                                                                  \
    X(MATERIAL_ADD, "material add", "上传申报材料", "POST", "/api/awards/{id}/materials", R_(ENTERPRISE) | R_(ADMIN),            \
      OPF_STORE | OPF_WRITE | OPF_UPLOAD, P_MATERIAL_ADD, op_material_add)                                                  \
    X(MATERIALS, "material list", "申报材料列表", "GET", "/api/awards/{id}/materials", ROLES_SIGNED_IN, OPF_STORE, P_MATERIALS,       \
      op_materials)                                                                                                         \
    X(MATERIAL, "material get", "下载申报材料", "GET", "/api/materials/{id}", ROLES_SIGNED_IN, OPF_STORE, P_MATERIAL, op_material)  \
    X(PUBLICITY, "award publicity", "公示名单", "GET", "/api/publicity", ROLES_ANYONE, OPF_STORE, P_NONE, op_publicity)                    \
    X(IMPORT, "import", "导入数据文件", "POST", "/api/imports/{kind}", R_(ADMIN), OPF_STORE | OPF_WRITE | OPF_UPLOAD | OPF_JOB, P_IMPORT, op_import)     \
    X(MATCH, "match", "免申即享匹配", "POST", "/api/match", R_(ADMIN), OPF_STORE | OPF_WRITE | OPF_JOB, P_MATCH, op_match)                    \
    X(BUDGETS, "budget report", "预算执行情况", "GET", "/api/budgets", R_(FINANCE) | R_(LEADER) | R_(ADMIN), OPF_STORE, P_BUDGETS, op_budgets) \
    X(BUDGET_SET, "budget set", "设置预算", "POST", "/api/budgets", R_(FINANCE) | R_(ADMIN), OPF_STORE | OPF_WRITE, P_BUDGET_SET,          \
      op_budget_set)                                                                                                          \
    X(FISCAL, "fiscal list", "市区财政分担比例", "GET", "/api/fiscal", R_(FINANCE) | R_(LEADER) | R_(ADMIN), OPF_STORE, P_NONE, op_fiscal)         \
    X(FISCAL_SET, "fiscal set", "设置财政分担比例", "POST", "/api/fiscal", R_(FINANCE) | R_(ADMIN), OPF_STORE | OPF_WRITE, P_FISCAL_SET,           \
      op_fiscal_set)                                                                                                          \
    X(REPORT, "report", "统计报表", "GET", "/api/reports", ROLES_STAFF, OPF_STORE, P_REPORT, op_report)                                   \
    X(PERFORMANCE, "report performance", "绩效评价表", "GET", "/api/reports/performance", R_(FINANCE) | R_(LEADER) | R_(ADMIN), OPF_STORE, \
      P_PERFORMANCE, op_performance)                                                                                          \
    X(PLAN_STATUS, "plan status", "规划指标进度（序时、完成度、预计、六比竞赛排名）", "GET", "/api/plans/status", R_(LEADER) | R_(FINANCE) | R_(ADMIN), OPF_STORE, \
      P_PLAN_STATUS, op_plan_status)                                                                                        \
    X(PAYMENTS, "payment list", "兑付清单", "GET", "/api/payments", R_(FINANCE) | R_(LEADER) | R_(ADMIN), OPF_STORE, P_PAYMENTS, op_payments) \
    X(AUDIT_VERIFY, "audit verify", "校验审计链", "GET", "/api/audit/verify", R_(LEADER) | R_(ADMIN), OPF_STORE, P_AUDIT_VERIFY, op_audit_verify)    \
    X(AUDIT_LOG, "audit log", "审计日志", "GET", "/api/audit", R_(LEADER) | R_(ADMIN), OPF_STORE, P_AUDIT_LOG, op_audit_log)              \
    X(USERS, "user list", "用户列表", "GET", "/api/users", R_(ADMIN), OPF_STORE, P_NONE, op_users)                                         \
    X(USER_ADD, "user add", "新增用户", "POST", "/api/users", R_(ADMIN), OPF_STORE | OPF_WRITE, P_USER_ADD, op_user_add)    \
    X(USER_UPDATE, "user update", "修改用户（角色、重置密码、停用）", "POST", "/api/users/{username}", R_(ADMIN), OPF_STORE | OPF_WRITE,       \
      P_USER_UPDATE, op_user_update)

/* A workflow verb as an operation: "award approve", POST /api/awards/{id}/approve. */
#define HQ_WF_OP(id, code, zh, from, to, roles, dept, fn) \
    X(WF_##id, "award " code, "奖补" zh, "POST", "/api/awards/{id}/" code, roles, OPF_STORE | OPF_WRITE, P_VERB, op_award_verb)

typedef enum {
#define X(id, cli, zh, method, route, roles, flags, params, fn) OP_ID_##id,
    HQ_OPS(X)
#undef X
    OP_ID__COUNT
} hq_op_id;

typedef struct hq_op hq_op;
typedef void (*hq_op_fn)(hq_op *o);

typedef struct hq_op_def {
    hq_op_id id;
    const char *name;          /* "AWARDS" */
    const char *cli;           /* "award list" */
    const char *zh;            /* "奖补列表" */
    const char *method, *route;
    unsigned roles;
    unsigned flags;
    const hq_op_param *params;    /* ends with {0} */
    hq_op_fn fn;
} hq_op_def;

extern const hq_op_def OPS[OP_ID__COUNT];

/* The operation whose CLI command is argv[0] (argv[1]), or NULL; *words says how many
 * words it took. */
const hq_op_def *ops_by_cli(int argc, char **argv, int *words);
/* The operation at `method` `path`, its route's {name} segments added to `in`; NULL when no
 * route matches the path (*path_known: one does with another method). */
const hq_op_def *ops_by_route(const char *method, const char *path, json_t *in, bool *path_known, char *allow, size_t allow_size);

/* ---- calling -------------------------------------------------------------------------------- */

/* What an operation runs with. The adapter owns all of it. */
typedef struct {
    const hq_corpus *c;
    /* The plans (the .hqp files of plans/, plan/plan.h), loaded once by the adapter; 0 when none could
     * be: the plan operations and the indicators import then say so. */
    const struct hq_plan *const *plans;
    int nplans;
    hq_store *s;               /* NULL for operations without OPF_STORE */
    hq_vm *vm;                 /* an evaluator over c */
    const char *db_path;       /* matching opens its own connections */
    hq_identity who;
    FILE *progress;            /* a terminal for progress bars, or NULL */
    /* A background job's progress counter (done of total units), or NULL. */
    void (*on_progress)(void *ud, long long done, long long total);
    void *progress_ud;
} hq_op_ctx;

struct hq_op {
    const hq_op_def *def;
    hq_op_ctx *ctx;
    json_t *in;                /* the parameters, typed once ops_call has read them */
    const json_t *body;        /* borrowed: the JSON body the input came from, if any. Its
                                * values must have their JSON types (a year is a number,
                                * not "2021"), and its keys that are not parameters are
                                * ignored; text (CLI options, a URL) is read leniently and
                                * strictly named */
    const char *upload;        /* PT_UPLOAD: the bytes and the file's name */
    size_t upload_len;
    const char *upload_name;
    /* the result */
    hq_op_status status;
    json_t *out;               /* the result document (OPR_OK, OPR_CREATED) */
    char *text;                /* or that document as compact JSON text, owned (op_ok_text) */
    size_t text_len;
    char code[32];             /* an error's stable code ("bad_request") */
    char field[96];            /* the parameter at fault, or "" */
    char message[2048];        /* Chinese, for people */
    json_t *errors;            /* every problem, for imports and entity documents: [{field|where, message}] */
    char *raw;                 /* a download instead of JSON (CSV, XLSX), owned */
    size_t raw_len;
    const char *raw_type;
    char raw_name[128];
};

/* Check the caller's role, read and type the parameters, run the handler. The result is
 * in o->status and o->out (or code, field, message). */
void ops_call(hq_op *o);
void ops_free(hq_op *o);

/* For handlers: set an error result. */
void op_fail(hq_op *o, hq_op_status status, const char *field, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* An error from a list of problems (diagnostics of an entity, an import, an overlay). */
void op_fail_diag(hq_op *o, hq_op_status status, const char *code, const char *prefix, const hq_diag *d);
void op_ok(hq_op *o, json_t *out);            /* takes the reference */
/* The result written as compact JSON text (base/jsonw.h) rather than built as a tree: takes
 * the buffer's contents. A buffer that overflowed is an internal error. */
void op_ok_text(hq_op *o, hq_strbuf *text);
/* The result document as a tree: o->out, parsed from o->text the first time it is asked for
 * by an adapter that renders or re-indents it (the HTTP adapter sends the text as it is).
 * Borrowed; NULL for an error result. */
const json_t *op_result(hq_op *o);
void op_store_error(hq_op *o);                /* the store failed: 503 with its message */

/* Typed parameters (after ops_call has read them); the `present` variants say whether given. */
const char *op_str(const hq_op *o, const char *name);
bool op_int(const hq_op *o, const char *name, long long *v);
bool op_bool(const hq_op *o, const char *name);
const json_t *op_json(const hq_op *o, const char *name);

/* The identity as one operation sees it: may it see this award (an enterprise its own, a
 * reviewer its department's, the other staff all)? */
bool op_may_see_award(const hq_op *o, const hq_award_rec *a);
/* Load award `id` if the caller may see it; otherwise an error result (not found; or forbidden,
 * the refusal audited on `object` with `reason`) and false. */
bool op_award_visible(hq_op *o, int64_t id, hq_award_rec *a, const char *object, const char *reason);
/* An uploaded file's name as sent (X-Filename, percent-encoded by the web UI so that Chinese
 * names survive a header): decoded, without a path or control characters; `fallback` if empty. */
void op_upload_name(const hq_op *o, const char *fallback, char *out, size_t size);
/* Write a refused access to the audit log (the attempt is evidence). */
void op_audit_denied(hq_op *o, const char *object, json_t *why);

/* The result documents' shapes, one each (ops/codec.c). */
json_t *award_json(const hq_corpus *c, const hq_award_rec *a, const hq_identity *who);
/* Every problem a diagnostics list holds, as [{KEY, message}]: KEY is "field" where the
 * position is a JSON path, "where" where it is FILE:LINE. */
json_t *diag_json(const hq_diag *d, const char *key);

#endif
