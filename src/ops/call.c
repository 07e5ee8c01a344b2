/*
 * Calling an operation: the one place where the caller's role is checked against the
 * table and every parameter is read, checked and typed, so a handler sees only valid
 * input and an adapter only a typed result. A parameter that is missing or malformed is
 * refused with its name and a Chinese message that says what was expected ("year：须为
 * 2000到2100之间的年度，收到「abc」").
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/calendar.h"
#include "base/fixed.h"
#include "ledger/audit.h"
#include "ops/handlers.h"

int op_http_status(hq_op_status s)
{
    static const int H[OPR__COUNT] = {
#define X(id, http, code) [OPR_##id] = http,
        HQ_OP_STATUSES(X)
#undef X
    };
    return (unsigned)s < OPR__COUNT ? H[s] : 500;
}

static const char *status_code_of(hq_op_status s)
{
    static const char *C[OPR__COUNT] = {
#define X(id, http, code) [OPR_##id] = code,
        HQ_OP_STATUSES(X)
#undef X
    };
    return (unsigned)s < OPR__COUNT ? C[s] : "internal";
}

void op_fail(hq_op *o, hq_op_status status, const char *field, const char *fmt, ...)
{
    o->status = status;
    snprintf(o->code, sizeof o->code, "%s", status_code_of(status));
    snprintf(o->field, sizeof o->field, "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o->message, sizeof o->message, fmt, ap);
    va_end(ap);
    json_decref(o->out);
    o->out = NULL;
    free(o->text);
    o->text = NULL;
}

void op_fail_diag(hq_op *o, hq_op_status status, const char *code, const char *prefix, const hq_diag *d)
{
    op_fail(o, status, d->count ? d->items[0].where : NULL, "%s%s", prefix, d->count ? d->items[0].message : "");
    snprintf(o->code, sizeof o->code, "%s", code);
    json_decref(o->errors);
    o->errors = diag_json(d, "field");
}

void op_ok(hq_op *o, json_t *out)
{
    json_decref(o->out);
    o->out = out;
    o->status = out ? OPR_OK : OPR_INTERNAL;
    if (!out) snprintf(o->message, sizeof o->message, "内存不足");
}

void op_ok_text(hq_op *o, hq_strbuf *text)
{
    if (!sb_ok(text)) {
        sb_free(text);
        op_fail(o, OPR_INTERNAL, NULL, "应答无法生成（超过上限、内存不足或含非法文字）");
        return;
    }
    json_decref(o->out);
    o->out = NULL;
    free(o->text);
    o->text_len = text->len;
    o->text = sb_take(text);
    o->status = OPR_OK;
}

const json_t *op_result(hq_op *o)
{
    if (!o->out && o->text) o->out = json_loadb(o->text, o->text_len, 0, NULL);
    return o->out;
}

void op_store_error(hq_op *o)
{
    op_fail(o, OPR_UNAVAILABLE, NULL, "数据库不可用：%s", o->ctx->s ? store_error(o->ctx->s) : "未打开");
}

void ops_free(hq_op *o)
{
    json_decref(o->out);
    json_decref(o->errors);
    json_decref(o->in);
    free(o->raw);
    free(o->text);
    o->out = o->errors = o->in = NULL;
    o->raw = o->text = NULL;
}

/* ---- typed parameters ---------------------------------------------------------------------- */

static const char *PT_ZH[] = {
    [PT_STR] = "文字", [PT_INT] = "整数", [PT_YEAR] = "年度", [PT_ID] = "编号", [PT_BOOL] = "是或否",
    [PT_MONEY] = "金额（元）", [PT_RATE] = "比例", [PT_DATE] = "日期", [PT_JSON] = "JSON", [PT_UPLOAD] = "文件",
};

/* The text a parameter was given as, for messages; "" for structured values. */
static const char *as_text(const json_t *v, char *buf, size_t size)
{
    if (json_is_string(v)) return json_string_value(v);
    if (json_is_integer(v)) {
        snprintf(buf, size, "%lld", (long long)json_integer_value(v));
        return buf;
    }
    return json_is_true(v) ? "true" : json_is_false(v) ? "false" : "";
}

/* A whole number from JSON (an integer) or text (decimal digits only). */
static bool whole(const json_t *v, long long *out)
{
    if (json_is_integer(v)) {
        *out = (long long)json_integer_value(v);
        return true;
    }
    const char *s = json_string_value(v);
    if (!s || !*s || strlen(s) > 19) return false;
    char *end;
    *out = strtoll(s, &end, 10);
    return !*end && (s[0] == '-' || (s[0] >= '0' && s[0] <= '9'));
}

/* Money in 元: "1234.56", "500万", "1.5亿" (as the rule language writes them). */
static bool money_fen(const char *s, int64_t *fen)
{
    size_t n = strlen(s);
    int64_t mul = 1;
    if (n > 3 && !strcmp(s + n - 3, "万")) mul = 10000, n -= 3;
    else if (n > 3 && !strcmp(s + n - 3, "亿")) mul = 100000000, n -= 3;
    if (n > 3 && !strncmp(s + n - 3, "元", 3)) n -= 3;
    hq_fixed v;
    if (n == 0 || fixed_parse(s, n, mul == 1 ? 2 : 6, &v) || v < 0) return false;
    __int128 f = (__int128)v * mul / (HQ_FIXED_ONE / 100);
    if ((__int128)v * mul % (HQ_FIXED_ONE / 100) || f > INT64_MAX) return false;
    *fen = (int64_t)f;
    return true;
}

static bool rate_value(const char *s, int64_t *rate)
{
    size_t n = strlen(s);
    bool pct = n && s[n - 1] == '%';
    hq_fixed v;
    if (fixed_parse(s, pct ? n - 1 : n, pct ? 4 : 6, &v)) return false;
    if (pct) v /= 100;
    *rate = v;
    return v >= 0 && v <= HQ_FIXED_ONE;
}

/* Read parameter `p` from o->in, replacing it by its typed value; false after a refusal. */
static bool read_param(hq_op *o, const hq_op_param *p)
{
    json_t *v = json_object_get(o->in, p->name);
    const char *zh = p->zh ? p->zh : PT_ZH[p->type];
    /* Messages name the parameter in Chinese; its identifier is in the error's `field`. */
    const char *label = p->zh ? p->zh : "参数";
    char buf[32];
    if (p->type == PT_UPLOAD) {
        if (p->required && !o->upload) {
            op_fail(o, OPR_BAD_REQUEST, p->name, "缺少%s", zh);
            return false;
        }
        return true;
    }
    if (!v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v))) {
        if (v) json_object_del(o->in, p->name);
        if (!p->required) return true;
        op_fail(o, OPR_BAD_REQUEST, p->name, "缺少%s", zh);
        return false;
    }
    long long n = 0;
    int64_t x = 0;
    const char *s = json_string_value(v);
    /* From a JSON body a number is a number and a yes/no a boolean: "2021" is refused there. */
    bool typed = o->body && json_object_get(o->body, p->name) == v;
    if (typed && json_is_string(v) && (p->type == PT_INT || p->type == PT_YEAR || p->type == PT_ID || p->type == PT_BOOL)) {
        op_fail(o, OPR_BAD_REQUEST, p->name, "%s：须为%s（JSON %s），收到字符串「%s」", label, PT_ZH[p->type],
                p->type == PT_BOOL ? "true/false" : "数字", s);
        return false;
    }
    switch (p->type) {
    case PT_STR: {
        long long max = p->hi ? p->hi : 1000;
        if (!s) break;
        if ((long long)strlen(s) > max) {
            op_fail(o, OPR_BAD_REQUEST, p->name, "%s：不能超过%lld字节", label, max);
            return false;
        }
        return true;
    }
    case PT_INT:
    case PT_YEAR:
    case PT_ID: {
        long long lo = p->type == PT_YEAR ? HQ_YEAR_MIN : p->type == PT_ID ? 1 : p->lo;
        long long hi = p->type == PT_YEAR ? HQ_YEAR_MAX : p->type == PT_ID ? INT64_MAX : p->hi;
        if (!whole(v, &n) || n < lo || n > hi) {
            if (p->type == PT_YEAR) op_fail(o, OPR_BAD_REQUEST, p->name, "%s：须为%d到%d之间的年度，收到「%s」", label, HQ_YEAR_MIN, HQ_YEAR_MAX, as_text(v, buf, sizeof buf));
            else if (p->type == PT_ID) op_fail(o, OPR_BAD_REQUEST, p->name, "%s：须为正整数编号，收到「%s」", label, as_text(v, buf, sizeof buf));
            else op_fail(o, OPR_BAD_REQUEST, p->name, "%s：须为%lld到%lld之间的整数，收到「%s」", label, lo, hi, as_text(v, buf, sizeof buf));
            return false;
        }
        json_object_set_new(o->in, p->name, json_integer(n));
        return true;
    }
    case PT_BOOL:
        if (json_is_boolean(v)) return true;
        if (s && (!strcmp(s, "true") || !strcmp(s, "1") || !strcmp(s, "是"))) {
            json_object_set_new(o->in, p->name, json_true());
            return true;
        }
        if (s && (!strcmp(s, "false") || !strcmp(s, "0") || !strcmp(s, "否"))) {
            json_object_set_new(o->in, p->name, json_false());
            return true;
        }
        op_fail(o, OPR_BAD_REQUEST, p->name, "%s：须为 true 或 false，收到「%s」", label, as_text(v, buf, sizeof buf));
        return false;
    case PT_MONEY:
        if (!s || !money_fen(s, &x)) {
            op_fail(o, OPR_BAD_REQUEST, p->name, "%s：须为以元计的非负金额，如 \"5000000.00\" 或 \"500万\"，收到「%s」", label,
                    as_text(v, buf, sizeof buf));
            return false;
        }
        json_object_set_new(o->in, p->name, json_integer(x));
        return true;
    case PT_RATE:
        if (!s || !rate_value(s, &x)) {
            op_fail(o, OPR_BAD_REQUEST, p->name, "%s：须为0%%到100%%之间的比例，如 \"50%%\"，收到「%s」", label, as_text(v, buf, sizeof buf));
            return false;
        }
        json_object_set_new(o->in, p->name, json_integer(x));
        return true;
    case PT_DATE:
        if (!cal_valid_text(s)) {
            op_fail(o, OPR_BAD_REQUEST, p->name, "%s：须为日期，格式 YYYY-MM-DD，收到「%s」", label, as_text(v, buf, sizeof buf));
            return false;
        }
        return true;
    case PT_JSON:
        return true;
    case PT_UPLOAD:
        return true;
    }
    op_fail(o, OPR_BAD_REQUEST, p->name, "%s：须为%s", label, zh);
    return false;
}

/* Every key of the input is a declared parameter: a misspelt option or query parameter is
 * refused, not ignored. (Keys of a JSON body that no parameter names are dropped: a client
 * may send more than this version reads.) */
static bool known_keys(hq_op *o)
{
    const char *k;
    json_t *v;
    void *tmp;
    json_object_foreach_safe(o->in, tmp, k, v) {
        const hq_op_param *p = o->def->params;
        while (p->name && strcmp(p->name, k)) p++;
        if (!p->name && o->body && json_object_get(o->body, k) == v) {
            json_object_del(o->in, k);
            continue;
        }
        if (!p->name) {
            char list[512] = "";
            for (p = o->def->params; p->name; p++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", list[0] ? "、" : "", p->zh ? p->zh : p->name);
            op_fail(o, OPR_BAD_REQUEST, k, "此操作不接受参数「%s」（可用：%s）", k, list[0] ? list : "无");
            return false;
        }
    }
    return true;
}

void ops_call(hq_op *o)
{
    hq_op_ctx *ctx = o->ctx;
    o->status = OPR_OK;
    if (!o->in) o->in = json_object();
    if (!(o->def->roles >> ctx->who.role & 1)) {
        if (ctx->who.role == ROLE_NONE) op_fail(o, OPR_UNAUTHORIZED, NULL, "请先登录");
        else {
            /* The attempt is evidence: recorded against the object it was aimed at. */
            char object[96], buf[32];
            const json_t *target = json_object_get(o->in, "id");
            if (!target) target = json_object_get(o->in, "entity");
            snprintf(object, sizeof object, "%s", target ? as_text(target, buf, sizeof buf) : o->def->cli);
            op_fail(o, OPR_FORBIDDEN, NULL, "%s无权进行此操作（%s）", role_zh(ctx->who.role), o->def->zh);
            op_audit_denied(o, object, json_pack("{s:s, s:s}", "operation", o->def->cli, "role", role_code(ctx->who.role)));
        }
        return;
    }
    if (!known_keys(o)) return;
    for (const hq_op_param *p = o->def->params; p->name; p++)
        if (!read_param(o, p)) return;
    if ((o->def->flags & OPF_STORE) && !ctx->s) {
        op_fail(o, OPR_UNAVAILABLE, NULL, "数据库不可用");
        return;
    }
    o->def->fn(o);
}

/* ---- typed access ---------------------------------------------------------------------------- */

const char *op_str(const hq_op *o, const char *name)
{
    return json_string_value(json_object_get(o->in, name));
}

bool op_int(const hq_op *o, const char *name, long long *v)
{
    const json_t *j = json_object_get(o->in, name);
    if (!json_is_integer(j)) return false;
    *v = (long long)json_integer_value(j);
    return true;
}

bool op_bool(const hq_op *o, const char *name)
{
    return json_is_true(json_object_get(o->in, name));
}

const json_t *op_json(const hq_op *o, const char *name)
{
    return json_object_get(o->in, name);
}

/* ---- access to objects -------------------------------------------------------------------- */

bool op_may_see_award(const hq_op *o, const hq_award_rec *a)
{
    const hq_identity *w = &o->ctx->who;
    switch (w->role) {
    case ROLE_ENTERPRISE: return !strcmp(a->credit_code, w->credit_code);
    case ROLE_REVIEWER: return wf_department_matches(a->department, w->department);
    case ROLE_FINANCE:
    case ROLE_LEADER:
    case ROLE_ADMIN: return true;
    case ROLE_NONE:
    case ROLE__COUNT: return false;
    }
    return false;
}

void op_audit_denied(hq_op *o, const char *object, json_t *why)
{
    hq_store *s = o->ctx->s;
    const char *actor = o->ctx->who.actor[0] ? o->ctx->who.actor : "anonymous";
    /* The refusal stands either way; a record that could not be written is said aloud. */
    if (s && audit_record(s, actor, "denied", object, why))
        fprintf(stderr, "huiqi: 拒绝访问的审计记录未能写入（%s）：%s\n", object, store_error(s));
    json_decref(why);
}

/* Keep only whole, well-formed UTF-8 sequences of `s` (in place): a name cut at the buffer's
 * end or sent with stray bytes must still be valid text for JSON and the pages. */
static void utf8_only(char *s)
{
    unsigned char *r = (unsigned char *)s, *w = r;
    while (*r) {
        int len = *r < 0x80 ? 1 : (*r & 0xE0) == 0xC0 && *r >= 0xC2 ? 2 : (*r & 0xF0) == 0xE0 ? 3 : (*r & 0xF8) == 0xF0 && *r <= 0xF4 ? 4 : 0;
        bool ok = len > 0;
        for (int i = 1; ok && i < len; i++) ok = (r[i] & 0xC0) == 0x80;
        /* no overlong forms, surrogates or code points past U+10FFFF */
        if (ok && len == 3) ok = !(r[0] == 0xE0 && r[1] < 0xA0) && !(r[0] == 0xED && r[1] >= 0xA0);
        if (ok && len == 4) ok = !(r[0] == 0xF0 && r[1] < 0x90) && !(r[0] == 0xF4 && r[1] >= 0x90);
        if (ok) {
            memmove(w, r, (size_t)len);
            w += len;
            r += len;
        } else {
            r++;
        }
    }
    *w = 0;
}

/* The file's name as sent (X-Filename, percent-encoded by the web UI so that Chinese names
 * survive an HTTP header): decoded, without a path, control characters dropped. */
void op_upload_name(const hq_op *o, const char *fallback, char *out, size_t size)
{
    const char *sent = o->upload_name;
    size_t n = 0;
    const char *base = sent ? strrchr(sent, '/') : NULL;
    const char *p = base ? base + 1 : sent ? sent : "";
    for (; *p && n + 1 < size; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '%' && isxdigit((unsigned char)p[1]) && isxdigit((unsigned char)p[2])) {
            char hex[3] = {p[1], p[2], 0};
            c = (unsigned char)strtol(hex, NULL, 16);
            p += 2;
        }
        if (c >= 0x20 && c != 0x7f && c != '/' && c != '\\') out[n++] = (char)c;
    }
    out[n] = 0;
    utf8_only(out);
    if (!*out) snprintf(out, size, "%s", fallback);
}

bool op_award_visible(hq_op *o, int64_t id, hq_award_rec *a, const char *object, const char *reason)
{
    int rc = store_award_get(o->ctx->s, id, a);
    if (rc < 0) op_store_error(o);
    else if (rc == 1) op_fail(o, OPR_NOT_FOUND, "id", "奖补 #%lld 不存在", (long long)id);
    else if (!op_may_see_award(o, a)) {
        op_audit_denied(o, object, json_pack("{s:s, s:s}", "reason", reason, "role", role_code(o->ctx->who.role)));
        op_fail(o, OPR_FORBIDDEN, NULL, "无权查看奖补 #%lld", (long long)id);
    } else return true;
    return false;
}
