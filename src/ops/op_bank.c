/*
 * 收款账户: the bank account a firm's awards are paid into. A firm records its own before it
 * applies (申报 asks for it, with the 信用承诺); an administrator may record one for any firm;
 * finance and leaders read them for the treasury's payment list. The account holder must be
 * the firm itself (户名 = the name in the ledger's 名录): the treasury pays a firm's award
 * to the firm, never to a third party. Every change is an audit row.
 */
#include <ctype.h>
#include <string.h>

#include "ledger/audit.h"
#include "ledger/clock.h"
#include "ledger/entity_doc.h"
#include "ops/handlers.h"

const hq_op_param P_BANK[] = {{.name = "entity", .type = PT_STR, .hi = 18, .zh = "统一社会信用代码"}, {.name = NULL}};
const hq_op_param P_BANK_SET[] = {{.name = "entity", .type = PT_STR, .hi = 18, .zh = "统一社会信用代码"},
                                  {.name = "bank", .type = PT_STR, .required = true, .hi = 120, .zh = "开户银行"},
                                  {.name = "account", .type = PT_STR, .required = true, .hi = 40, .zh = "银行账号"},
                                  {.name = "holder", .type = PT_STR, .required = true, .hi = 250, .zh = "户名"},
                                  {.name = NULL}};

/* Whose account: a firm's own (it may not name another), or the entity named by staff. */
static const char *bank_entity(hq_op *o)
{
    const hq_identity *who = &o->ctx->who;
    const char *code = op_str(o, "entity");
    if (who->role == ROLE_ENTERPRISE) {
        if (code && strcmp(code, who->credit_code)) {
            op_audit_denied(o, code, json_pack("{s:s}", "reason", "enterprise reading another enterprise's bank account"));
            op_fail(o, OPR_FORBIDDEN, "entity", "企业用户只能查看和登记本企业（%s）的收款账户", who->credit_code);
            return NULL;
        }
        return who->credit_code;
    }
    if (!code) op_fail(o, OPR_BAD_REQUEST, "entity", "须给出企业的统一社会信用代码");
    return code;
}

static json_t *bank_json(const hq_bank_rec *b)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s}", "entity", b->credit_code, "bank", b->bank, "account", b->account, "holder",
                     b->holder, "updated_at", b->at);
}

void op_bank(hq_op *o)
{
    const char *code = bank_entity(o);
    if (!code) return;
    hq_bank_rec b;
    int rc = store_bank_get(o->ctx->s, code, &b);
    if (rc < 0) op_store_error(o);
    else if (rc == 1) op_fail(o, OPR_NOT_FOUND, "entity", "企业 %s 尚未登记收款账户", code);
    else op_ok(o, bank_json(&b));
}

/* A bank account number as the bank prints it, spaces and hyphens dropped: 8 to 32 digits. */
static bool account_number(const char *in, char *out, size_t size)
{
    size_t n = 0;
    for (const char *p = in; *p; p++) {
        if (*p == ' ' || *p == '-') continue;
        if (!isdigit((unsigned char)*p) || n + 1 >= size) return false;
        out[n++] = *p;
    }
    out[n] = 0;
    return n >= 8 && n <= 32;
}

/* The firm's name in the 名录, into name; false with an error result. */
static bool entity_name(hq_op *o, const char *code, char *name, size_t size)
{
    int64_t id;
    json_t *doc = NULL;
    int rc = store_entity_find(o->ctx->s, code, &id);
    if (rc == 0) rc = ledger_entity_doc(o->ctx->s, id, &doc);
    if (rc == 1) op_fail(o, OPR_NOT_FOUND, "entity", "企业 %s 不在名录中", code);
    else if (rc) op_store_error(o);
    if (rc) return false;
    snprintf(name, size, "%s", json_string_value(json_object_get(doc, "name")) ? json_string_value(json_object_get(doc, "name")) : "");
    json_decref(doc);
    return true;
}

void op_bank_set(hq_op *o)
{
    const char *code = bank_entity(o);
    if (!code) return;
    const char *bank = op_str(o, "bank"), *holder = op_str(o, "holder");
    hq_bank_rec b = {0};
    char name[256];
    if (strlen(bank) < 4) op_fail(o, OPR_BAD_REQUEST, "bank", "开户银行：请填写开户行全称，如「中国工商银行温州分行」");
    else if (!account_number(op_str(o, "account"), b.account, sizeof b.account))
        op_fail(o, OPR_BAD_REQUEST, "account", "银行账号：须为8至32位数字（可含空格或连字符）");
    if (o->status != OPR_OK || !entity_name(o, code, name, sizeof name)) return;
    if (strcmp(holder, name)) {
        op_fail(o, OPR_BAD_REQUEST, "holder", "户名须与企业名称「%s」一致：奖补资金只拨付至企业本身的账户", name);
        return;
    }
    snprintf(b.credit_code, sizeof b.credit_code, "%s", code);
    snprintf(b.bank, sizeof b.bank, "%s", bank);
    snprintf(b.holder, sizeof b.holder, "%s", holder);
    snprintf(b.by, sizeof b.by, "%s", o->ctx->who.actor);
    clock_now(b.at, sizeof b.at);
    char object[48];
    snprintf(object, sizeof object, "bank:%s", code);
    json_t *after = bank_json(&b);
    hq_store *s = o->ctx->s;
    if (store_begin(s) || store_bank_set(s, &b) || audit_log(s, o->ctx->who.actor, "bank-account", object, NULL, after) ||
        store_commit(s)) {
        store_rollback(s);
        json_decref(after);
        op_store_error(o);
        return;
    }
    op_ok(o, after);
}
