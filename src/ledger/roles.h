/*
 * Who uses huiqi: the roles of its accounts, listed once (X-macro) with their code and
 * Chinese name. The operation table (ops/ops.h) and the workflow table (ledger/workflow.h)
 * say which roles may do what as a mask of these; the HTTP layer resolves a session into
 * one, the CLI acts as the local operator (管理员).
 */
#ifndef HQ_ROLES_H
#define HQ_ROLES_H
#include <stdbool.h>

#define HQ_ROLES(X)                      \
    X(NONE, "anonymous", "访客")         \
    X(ENTERPRISE, "enterprise", "企业")  \
    X(REVIEWER, "reviewer", "审核员")    \
    X(FINANCE, "finance", "财政")        \
    X(LEADER, "leader", "领导")          \
    X(ADMIN, "admin", "管理员")

typedef enum {
#define X(id, code, zh) ROLE_##id,
    HQ_ROLES(X)
#undef X
    ROLE__COUNT
} hq_role;

/* A set of roles: bit r for role r. */
#define ROLE_BIT(r) (1u << ROLE_##r)
#define ROLES_SIGNED_IN (ROLE_BIT(ENTERPRISE) | ROLE_BIT(REVIEWER) | ROLE_BIT(FINANCE) | ROLE_BIT(LEADER) | ROLE_BIT(ADMIN))
#define ROLES_ANYONE (ROLE_BIT(NONE) | ROLES_SIGNED_IN)

const char *role_code(hq_role r);
const char *role_zh(hq_role r);
/* By code or Chinese name; ROLE_NONE when neither (anonymous is not a role one can hold). */
hq_role role_parse(const char *s);

/* Who acts: the role, and what binds it to objects (an enterprise to its credit code, a
 * reviewer to its department). `acting_admin` is the CLI's --admin: a local operator who
 * takes a reviewer's steps for any department. */
typedef struct {
    hq_role role;
    char username[64];
    char credit_code[19];
    char department[128];
    bool acting_admin;
    char actor[64];            /* as the audit log records it: "user:NAME", or the CLI's --actor */
} hq_identity;

#endif
