/*
 * The award workflow, 申报 → 受理 → 审核 → 公示 → 兑付 → 归档, as the 附则 of every policy
 * describe it. Each verb is one transaction on the store: it reads the award, checks that
 * the transition is legal from its state and that the actor may make it, does it, writes
 * the audit row, and commits — or changes nothing and says why.
 *
 *   candidate/pushed --apply--> applied --accept--> accepted --approve--> approved
 *   applied/accepted --reject--> rejected
 *   applied/accepted --return--> returned --resubmit--> applied   (退回补正: the firm corrects
 *                                                                and applies again)
 *   approved --publicize--> publicizing --close--> publicized --pay--> paid --archive--> archived
 *   approved --pay--> paid                      (资格定补 only: "即申请即兑付")
 *   publicizing: objections are lodged and resolved; an upheld one rejects the award, and
 *   publicity cannot close while one is open.
 *
 * Rules from the 附则 enforced here:
 *  - 受理 and 审核 are for the item's responsible department (its 责任单位) only;
 *  - a 数据核校 item opens for application only in the year after its data year
 *    (附则2 "按年度投入或产出基数奖补的数据核校类项目可安排在次年组织申报");
 *  - at approval the item is re-evaluated on the entity's current data and the 附则3 rules
 *    are applied again against every award the ledger has approved or paid, and the
 *    past awards imported: same project, same basis, upgrades and the annual cap. Because
 *    approval holds the store's write lock from reading to writing, two reviewers
 *    approving conflicting awards at once are serialised and the second sees the first;
 *  - budgets: approval warns when an item's or document's yearly budget would be exceeded
 *    and refuses past its hard limit;
 *  - payment records the split between 市财政 and the districts that the item's cost rule
 *    names, and a payment can be made once per award (the store refuses a second).
 */
#ifndef HQ_WORKFLOW_H
#define HQ_WORKFLOW_H
#include "base/strbuf.h"
#include "ledger/roles.h"
#include "rules/corpus.h"
#include "store/store.h"

typedef struct {
    hq_store *s;
    const hq_corpus *c;
    const hq_identity *who;     /* who acts: the audit's actor, the reviewer's department */
    hq_strbuf *msg;             /* what happened, or why not (Chinese), one line each; after
                                 * WF_ERROR only the error: a verb's own buffer, not shared */
} hq_wf;

/* What a verb may need besides the award. */
typedef struct {
    const char *reason;         /* reject, return: why (shown to the firm) */
    const char *start, *end;    /* publicize: YYYY-MM-DD */
    const char *batch;          /* pay */
    bool pledge;                /* apply, resubmit: the firm confirms WF_PLEDGE (信用承诺) */
} hq_wf_args;

/* The 信用承诺 a firm confirms when it applies (recorded in the audit log with the account
 * it is to be paid into). */
#define WF_PLEDGE "本企业承诺：申报所依据的数据和材料真实、准确、完整；未就同一事项重复申领；如有弄虚作假，自愿退回奖补资金并承担相应责任，相关失信行为纳入信用记录。"

typedef int (*hq_wf_fn)(hq_wf *w, int64_t award, const hq_wf_args *a);

#define WF_FROM(x) (1u << AWARD_##x)

/* Awards that count: approved and on — what 附则3 deducts from later awards, what budgets
 * have used, who holds a quota's places. */
#define WF_COMMITTED (WF_FROM(APPROVED) | WF_FROM(PUBLICIZING) | WF_FROM(PUBLICIZED) | WF_FROM(PAID) | WF_FROM(ARCHIVED))
/* Awards nobody has acted on: matching may rewrite or remove them. */
#define WF_UNTOUCHED (WF_FROM(CANDIDATE) | WF_FROM(PUSHED))

/* The workflow, listed once: each verb with its Chinese name, the states it leaves from, the
 * state it reaches, the roles that may use it, and whether it is a step of the item's
 * responsible department (受理, 审核, 公示 belong to its 责任单位). The CLI, the HTTP API and
 * the award's allowed_actions are all read from this list; the last column is the function in
 * workflow.c that does the step and its re-checks. Objections (lodged by anyone
 * during 公示, resolved by the department) act on objections and are operations of their own.
 * Payment also leaves from 审核通过 for 资格定补 awards only ("即申请即兑付"). */
#define HQ_WF_VERBS(X)  \
    X(PUSH, "push", "推送", WF_FROM(CANDIDATE), PUSHED, ROLE_BIT(ADMIN), false, verb_push) \
    X(APPLY, "apply", "申报", WF_FROM(CANDIDATE) | WF_FROM(PUSHED), APPLIED, ROLE_BIT(ENTERPRISE) | ROLE_BIT(ADMIN), false, verb_apply) \
    X(ACCEPT, "accept", "受理", WF_FROM(APPLIED), ACCEPTED, ROLE_BIT(REVIEWER) | ROLE_BIT(ADMIN), true, verb_accept) \
    X(REJECT, "reject", "驳回", WF_FROM(APPLIED) | WF_FROM(ACCEPTED), REJECTED, ROLE_BIT(REVIEWER) | ROLE_BIT(ADMIN), true, verb_reject) \
    X(RETURN, "return", "退回补正", WF_FROM(APPLIED) | WF_FROM(ACCEPTED), RETURNED, ROLE_BIT(REVIEWER) | ROLE_BIT(ADMIN), true, verb_return) \
    X(RESUBMIT, "resubmit", "重新申报", WF_FROM(RETURNED), APPLIED, ROLE_BIT(ENTERPRISE) | ROLE_BIT(ADMIN), false, verb_resubmit) \
    X(APPROVE, "approve", "审核通过", WF_FROM(ACCEPTED), APPROVED, ROLE_BIT(REVIEWER) | ROLE_BIT(ADMIN), true, verb_approve) \
    X(PUBLICIZE, "publicize", "公示", WF_FROM(APPROVED), PUBLICIZING, ROLE_BIT(REVIEWER) | ROLE_BIT(ADMIN), true, verb_publicize) \
    X(CLOSE, "close", "结束公示", WF_FROM(PUBLICIZING), PUBLICIZED, ROLE_BIT(REVIEWER) | ROLE_BIT(ADMIN), false, verb_close) \
    X(PAY, "pay", "兑付", WF_FROM(PUBLICIZED) | WF_FROM(APPROVED), PAID, ROLE_BIT(FINANCE) | ROLE_BIT(ADMIN), false, verb_pay) \
    X(ARCHIVE, "archive", "归档", WF_FROM(PAID), ARCHIVED, ROLE_BIT(FINANCE) | ROLE_BIT(ADMIN), false, verb_archive)

typedef enum {
#define X(id, code, zh, from, to, roles, dept, fn) WF_##id,
    HQ_WF_VERBS(X)
#undef X
    WF__COUNT
} hq_wf_verb;

typedef struct {
    const char *code, *zh;
    unsigned from;              /* award states it leaves from (WF_FROM bits) */
    hq_award_state to;
    unsigned roles;             /* ROLE_BIT mask */
    bool department;            /* a step of the item's 责任单位 */
} hq_wf_verb_def;

extern const hq_wf_verb_def WF_VERB[WF__COUNT];

/* The verb with this code ("approve"), or -1. */
int wf_verb_parse(const char *code);

/* Carry out `verb` on award `id`: one transaction that loads, checks (state, department,
 * the 附则 rules of the verb), changes, audits and commits — or changes nothing and says why
 * in w->msg. */
int wf_do(hq_wf *w, hq_wf_verb verb, int64_t id, const hq_wf_args *a);

/* The verbs `who` may use on award `a` now, as a bit mask over hq_wf_verb: the state allows
 * it, the role may use it, an enterprise's own award, a reviewer's own department. (A verb
 * shown may still be refused by a 附则 rule checked when it is done, with the reason.) */
unsigned wf_allowed(const hq_award_rec *a, const hq_identity *who);

/* Objections, during 公示: lodged by anyone who may see the award, resolved by the item's
 * department (an upheld objection rejects the award). */
int wf_object(hq_wf *w, int64_t award, const char *text, int64_t *objection);
int wf_resolve(hq_wf *w, int64_t objection, bool upheld, const char *note);

/* True when `dept` is one of the departments an item's 责任单位 field names ("市科技局、
 * 市委宣传部", "市经信局(市税务局配合提供数据)"). */
bool wf_department_matches(const char *item_dept, const char *dept);

/* The explanation of an award: the one stored at approval, or else the item evaluated now
 * on the entity's current data, saying whether the decision id still matches the one the
 * award was entered with. Appends to `out`. */
void wf_explain(hq_store *s, const hq_corpus *c, const hq_award_rec *a, hq_strbuf *out);

/* The shortest 公示: 5 working days, Monday to Friday. The policies do not say how long 公示
 * lasts; 5 working days is the default the 兑现 office asked for, and a department may set a
 * longer period. Public holidays are not known to the system: a period over one should be set
 * longer by hand. */
enum { WF_PUBLICITY_WORKDAYS = 5 };
/* Objections one person may lodge against one award's 公示: each must be resolved before
 * publicity closes, so an unbounded number would let one objector delay an award at will. */
enum { WF_OBJECTIONS_PER_AWARD = 3 };

/* Return codes of every verb. */
enum { WF_OK = 0, WF_REFUSED = 1, WF_NOT_FOUND = 2, WF_ERROR = -1 };

#endif
