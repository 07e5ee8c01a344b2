/*
 * Inside the operation layer: each handler and its parameter list, declared once for the
 * table (ops/table.c). Handlers live in op_policy.c (rules and evaluation), op_award.c
 * (awards, the workflow, objections), op_material.c (申报材料), op_bank.c (收款账户), op_ledger.c (imports, matching, budgets, the fiscal
 * split, reports, audit), op_plan.c (progress against the plans' indicators) and op_users.c (accounts).
 */
#ifndef HQ_OPS_HANDLERS_H
#define HQ_OPS_HANDLERS_H
#include "io/table.h"
#include "ops/ops.h"

#define X(id, cli, zh, method, route, roles, flags, params, fn) void fn(hq_op *o);
HQ_OPS(X)
#undef X

extern const hq_op_param P_NONE[], P_ITEMS[], P_ITEM[], P_FACTS[], P_EVALUATE[], P_EXPLAIN[], P_ENTITY[], P_ENTITY_EVALUATE[],
    P_WHATIF[], P_AWARDS[], P_AWARD[], P_VERB[], P_OBJECT[], P_RESOLVE[], P_IMPORT[], P_MATCH[], P_BUDGETS[], P_BUDGET_SET[],
    P_FISCAL_SET[], P_REPORT[], P_PAYMENTS[], P_AUDIT_LOG[], P_AUDIT_VERIFY[], P_USER_ADD[], P_USER_UPDATE[], P_MATERIAL_ADD[],
    P_MATERIALS[], P_MATERIAL[], P_BANK[], P_BANK_SET[], P_PLAN_STATUS[], P_PERFORMANCE[];

/* A table as the download asked for ("text", "csv", "xlsx"), named `name`.FORMAT; frees t. */
void op_table_download(hq_op *o, hq_table *t, const char *format, const char *name, hq_diag *d);

#endif
