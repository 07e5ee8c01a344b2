/*
 * The award workflow, 申报 → 受理 → 审核 → 公示 → 兑付 → 归档, as the 附则 of every policy
 * describe it. Each verb is one transaction on the store: it reads the award, checks that
 * the transition is legal from its state and that the actor may make it, does it, writes
 * the audit row, and commits — or changes nothing and says why.
 *
 *   candidate/pushed --apply--> applied --accept--> accepted --approve--> approved
 *   applied/accepted --reject--> rejected
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
#include "rules/corpus.h"
#include "store/store.h"

typedef struct {
    hq_store *s;
    const hq_corpus *c;
    const char *actor;          /* who acts (audit) */
    const char *department;     /* the reviewer's department, for 受理/审核; NULL: not a reviewer */
    bool admin;                 /* 管理员: may act for any department */
    hq_strbuf *msg;             /* what happened, or why not (Chinese), one line each */
} hq_wf;

int wf_push(hq_wf *w, int64_t award);
int wf_apply(hq_wf *w, int64_t award);
int wf_accept(hq_wf *w, int64_t award);
int wf_approve(hq_wf *w, int64_t award);
int wf_reject(hq_wf *w, int64_t award, const char *reason);
int wf_publicize(hq_wf *w, int64_t award, const char *start, const char *end);
int wf_object(hq_wf *w, int64_t award, const char *text, int64_t *objection);
int wf_resolve(hq_wf *w, int64_t objection, bool upheld, const char *note);
int wf_close(hq_wf *w, int64_t award);
int wf_pay(hq_wf *w, int64_t award, const char *batch);
int wf_archive(hq_wf *w, int64_t award);

/* True when `dept` is one of the departments an item's 责任单位 field names ("市科技局、
 * 市委宣传部", "市经信局(市税务局配合提供数据)"). */
bool wf_department_matches(const char *item_dept, const char *dept);

/* The explanation of an award: the one stored at approval, or else the item evaluated now
 * on the entity's current data, saying whether the decision id still matches the one the
 * award was entered with. Appends to `out`. */
void wf_explain(hq_store *s, const hq_corpus *c, const hq_award_rec *a, hq_strbuf *out);

/* Return codes of every verb. */
enum { WF_OK = 0, WF_REFUSED = 1, WF_NOT_FOUND = 2, WF_ERROR = -1 };

#endif
