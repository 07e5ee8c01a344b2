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
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)u->id, "username", u->username,
                     "role", role_code(r), "role_zh", role_zh(r), "credit_code", u->credit_code, "department", u->department,
                     "display_name", u->display_name, "created_at", u->created_at, "status", u->disabled ? "disabled" : "active",
                     "status_zh", u->disabled ? "已停用" : "启用");
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

const hq_op_param P_USER_UPDATE[] = {{.name = "username", .type = PT_STR, .required = true, .hi = 60, .zh = "用户名"},
                                  {.name = "role", .type = PT_STR, .hi = 16, .zh = "角色"},
                                  {.name = "credit_code", .type = PT_STR, .hi = 18, .zh = "统一社会信用代码"},
                                  {.name = "department", .type = PT_STR, .hi = 120, .zh = "部门"},
                                  {.name = "name", .type = PT_STR, .hi = 120, .zh = "显示名"},
                                  {.name = "password", .type = PT_STR, .hi = ACCOUNT_PASSWORD_MAX, .zh = "新密码"},
                                  {.name = "status", .type = PT_STR, .hi = 16, .zh = "状态（启用或停用）"},
                                  {.name = NULL}};

/* A change that alters what the account may do or who can use it: its sessions end. */
static bool ends_sessions(const hq_user_rec *was, const hq_user_rec *now, bool new_password)
{
    return new_password || now->disabled || strcmp(was->role, now->role) || strcmp(was->credit_code, now->credit_code) ||
           strcmp(was->department, now->department);
}

/* 管理员 changes an account: role and binding, display name, password (reset), or 停用/启用.
 * Every session of the account ends when its rights or its password change, or it is disabled. */
void op_user_update(hq_op *o)
{
    const char *username = op_str(o, "username"), *status = op_str(o, "status"), *password = op_str(o, "password");
    hq_store *s = o->ctx->s;
    hq_user_rec was, u;
    int rc = store_user_get(s, 0, username, &was);
    if (rc) {
        if (rc < 0) op_store_error(o);
        else op_fail(o, OPR_NOT_FOUND, "username", "没有用户「%s」", username);
        return;
    }
    u = was;
    if (op_str(o, "role")) {
        hq_role role = role_parse(op_str(o, "role"));
        if (role == ROLE_NONE) {
            op_fail(o, OPR_BAD_REQUEST, "role", "角色须为 enterprise、reviewer、finance、leader 或 admin");
            return;
        }
        snprintf(u.role, sizeof u.role, "%s", role_code(role));
    }
    if (op_str(o, "credit_code")) snprintf(u.credit_code, sizeof u.credit_code, "%s", op_str(o, "credit_code"));
    if (op_str(o, "department")) snprintf(u.department, sizeof u.department, "%s", op_str(o, "department"));
    if (op_str(o, "name")) snprintf(u.display_name, sizeof u.display_name, "%s", op_str(o, "name"));
    if (status) {
        if (!strcmp(status, "disabled") || !strcmp(status, "停用")) u.disabled = true;
        else if (!strcmp(status, "active") || !strcmp(status, "启用")) u.disabled = false;
        else {
            op_fail(o, OPR_BAD_REQUEST, "status", "状态须为「启用」或「停用」");
            return;
        }
    }
    hq_role role = role_parse(u.role);
    if (role == ROLE_ENTERPRISE && !*u.credit_code) op_fail(o, OPR_BAD_REQUEST, "credit_code", "企业用户须有统一社会信用代码");
    else if (role == ROLE_REVIEWER && !*u.department) op_fail(o, OPR_BAD_REQUEST, "department", "审核员须有部门");
    else if (password && strlen(password) < ACCOUNT_PASSWORD_MIN) op_fail(o, OPR_BAD_REQUEST, "password", "密码至少%d位", ACCOUNT_PASSWORD_MIN);
    else if (!strcmp(u.username, o->ctx->who.username) && (u.disabled || role != ROLE_ADMIN))
        op_fail(o, OPR_REFUSED, NULL, "不能停用自己的账户或取消自己的管理员角色");
    if (o->status != OPR_OK) return;
    if (password && account_hash_password(password, u.password, sizeof u.password)) {
        op_fail(o, OPR_INTERNAL, NULL, "密码无法加密存储");
        return;
    }
    bool end = ends_sessions(&was, &u, password != NULL);
    json_t *before = json_pack("{s:s, s:s, s:s, s:b}", "role", was.role, "credit_code", was.credit_code, "department",
                               was.department, "disabled", was.disabled);
    json_t *after = json_pack("{s:s, s:s, s:s, s:b, s:b, s:b}", "role", u.role, "credit_code", u.credit_code, "department",
                              u.department, "disabled", u.disabled, "password_reset", password != NULL, "sessions_ended", end);
    rc = store_begin(s) || store_user_put(s, &u) || (end && store_session_end_user(s, u.id)) ||
         audit_log(s, o->ctx->who.actor, "user-update", u.username, before, after) || store_commit(s);
    json_decref(before);
    json_decref(after);
    if (rc) {
        store_rollback(s);
        op_store_error(o);
        return;
    }
    json_t *j = user_json(&u);
    json_object_set_new(j, "sessions_ended", json_boolean(end));
    op_ok(o, j);
}
