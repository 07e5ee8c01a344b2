/*
 * Accounts: listed and added by 管理员. An enterprise account is bound to a credit code and
 * sees only that enterprise; a reviewer is bound to a department.
 */
#include <string.h>

#include "ledger/accounts.h"
#include "ledger/audit.h"
#include "ledger/clock.h"
#include "ops/handlers.h"

const hq_op_param P_USER_ADD[] = {{.name = "username", .type = PT_STR, .required = true, .hi = 60, .zh = "用户名"},
                               {.name = "role", .type = PT_STR, .required = true, .hi = 16, .zh = "角色"},
                               {.name = "credit_code", .type = PT_STR, .hi = 18, .zh = "统一社会信用代码"},
                               {.name = "department", .type = PT_STR, .hi = 120, .zh = "部门"},
                               {.name = "name", .type = PT_STR, .hi = 120, .zh = "显示名"},
                               {.name = "password", .type = PT_STR, .required = true, .hi = ACCOUNT_PASSWORD_MAX, .zh = "密码"},
                               {.name = NULL}};

static json_t *user_json(const hq_user_rec *u)
{
    hq_role r = role_parse(u->role);
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)u->id, "username", u->username, "role",
                     role_code(r), "role_zh", role_zh(r), "credit_code", u->credit_code, "department", u->department,
                     "display_name", u->display_name, "created_at", u->created_at);
}

static int user_one(const hq_user_rec *u, void *ud)
{
    json_array_append_new(ud, user_json(u));
    return 0;
}

void op_users(hq_op *o)
{
    json_t *arr = json_array();
    if (store_user_list(o->ctx->s, user_one, arr)) {
        json_decref(arr);
        op_store_error(o);
        return;
    }
    op_ok(o, json_pack("{s:i, s:o}", "count", (int)json_array_size(arr), "users", arr));
}

void op_user_add(hq_op *o)
{
    const char *username = op_str(o, "username"), *code = op_str(o, "credit_code"), *dept = op_str(o, "department"),
               *name = op_str(o, "name"), *password = op_str(o, "password");
    hq_role role = role_parse(op_str(o, "role"));
    if (role == ROLE_NONE) op_fail(o, OPR_BAD_REQUEST, "role", "角色：须为 enterprise（企业）、reviewer（审核员）、finance（财政）、leader（领导）或 admin（管理员）");
    else if (strlen(password) < ACCOUNT_PASSWORD_MIN) op_fail(o, OPR_BAD_REQUEST, "password", "密码至少%d位", ACCOUNT_PASSWORD_MIN);
    else if (role == ROLE_ENTERPRISE && !code) op_fail(o, OPR_BAD_REQUEST, "credit_code", "企业用户须给出统一社会信用代码");
    else if (role == ROLE_REVIEWER && !dept) op_fail(o, OPR_BAD_REQUEST, "department", "审核员须给出部门");
    if (o->status != OPR_OK) return;
    hq_user_rec u = {0};
    snprintf(u.username, sizeof u.username, "%s", username);
    snprintf(u.role, sizeof u.role, "%s", role_code(role));
    snprintf(u.credit_code, sizeof u.credit_code, "%s", code ? code : "");
    snprintf(u.department, sizeof u.department, "%s", dept ? dept : "");
    snprintf(u.display_name, sizeof u.display_name, "%s", name ? name : username);
    clock_now(u.created_at, sizeof u.created_at);
    if (account_hash_password(password, u.password, sizeof u.password)) {
        op_fail(o, OPR_INTERNAL, NULL, "密码无法加密存储");
        return;
    }
    hq_store *s = o->ctx->s;
    json_t *after = json_pack("{s:s, s:s, s:s, s:s}", "username", u.username, "role", u.role, "credit_code", u.credit_code,
                              "department", u.department);
    int rc = store_begin(s) || store_user_put(s, &u) || audit_log(s, o->ctx->who.actor, "user", u.username, NULL, after) ||
             store_commit(s);
    json_decref(after);
    if (rc) {
        store_rollback(s);
        op_store_error(o);
        return;
    }
    op_ok(o, user_json(&u));
    o->status = OPR_CREATED;
}
