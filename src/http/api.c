/*
 * A request as an operation: its route parameters, query parameters and JSON body become
 * the operation's input (route parameters win, so a body cannot name another award than
 * the path), or its body is the upload of an import; the session becomes the identity; the
 * result becomes the response. State changes need the session's CSRF token.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "ops/ops.h"

/* Merge `from` into `into` without replacing what `into` has. */
static void merge_under(json_t *into, json_t *from)
{
    const char *k;
    json_t *v;
    json_object_foreach(from, k, v) if (!json_object_get(into, k)) json_object_set(into, k, v);
}

/* A job's own copies of the input and the body (a JSON value's count of references is not
 * safe to share between threads). A parameter that came from the body stays the body's own
 * value, as ops_call checks typed parameters by identity. Takes `in` and `body`; *body_out
 * gets the copy. */
static json_t *job_input(json_t *in, json_t *body, json_t **body_out)
{
    json_t *copy = body ? json_deep_copy(body) : NULL, *out = json_object();
    const char *k;
    json_t *v;
    json_object_foreach(in, k, v) {
        json_t *b = body ? json_object_get(body, k) : NULL;
        json_object_set_new(out, k, b == v ? json_incref(json_object_get(copy, k)) : json_deep_copy(v));
    }
    json_decref(in);
    json_decref(body);
    *body_out = copy;
    return out;
}

static void identity_of(hq_req *r, hq_identity *who)
{
    memset(who, 0, sizeof *who);
    who->role = r->role;
    snprintf(who->username, sizeof who->username, "%s", r->user.username);
    snprintf(who->credit_code, sizeof who->credit_code, "%s", r->user.credit_code);
    snprintf(who->department, sizeof who->department, "%s", r->user.department);
    who->acting_admin = r->role == ROLE_ADMIN;
    if (r->user.username[0]) snprintf(who->actor, sizeof who->actor, "user:%.58s", r->user.username);
    else snprintf(who->actor, sizeof who->actor, "anonymous");
}

/* Content-Disposition for a download: the name as an ASCII fallback (other bytes and quotes
 * become '_') and, when it is not plain ASCII, in full as RFC 6266 filename*=UTF-8''…, so a
 * material called 营业执照.pdf downloads under its own name and no name can break the header. */
static void content_disposition(const char *name, char *out, size_t size)
{
    char ascii[128], enc[200];
    size_t a = 0, e = 0;
    bool plain = true;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        bool safe = isalnum(*p) || strchr("-._~", *p);
        if (a + 1 < sizeof ascii) ascii[a++] = *p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\' ? (char)*p : '_';
        if (*p >= 0x80) plain = false;
        if (e + 4 < sizeof enc) e += (size_t)snprintf(enc + e, sizeof enc - e, safe ? "%c" : "%%%02X", *p);
    }
    ascii[a] = enc[e] = 0;
    if (plain) snprintf(out, size, "attachment; filename=\"%s\"", ascii);
    else snprintf(out, size, "attachment; filename=\"%s\"; filename*=UTF-8''%s", ascii, enc);
}

static void respond(hq_req *r, hq_op *o)
{
    if (o->status == OPR_OK || o->status == OPR_CREATED) {
        if (o->raw) {
            content_disposition(o->raw_name, r->disposition, sizeof r->disposition);
            http_raw(r, 200, o->raw_type, o->raw, o->raw_len);
            o->raw = NULL;
        } else if (o->text) {
            http_raw(r, op_http_status(o->status), "application/json; charset=utf-8", o->text, o->text_len);
            o->text = NULL;
        } else {
            http_json(r, op_http_status(o->status), json_incref(o->out));
        }
        return;
    }
    http_error(r, op_http_status(o->status), o->code, o->field[0] ? o->field : NULL, "%s", o->message);
    if (o->errors) json_object_set(json_object_get(r->json, "error"), "errors", o->errors);
}

void http_run_op(hq_req *r, const hq_op_def *def, json_t *in)
{
    if ((def->flags & OPF_WRITE) && !auth_state_change(r)) {
        json_decref(in);
        return;
    }
    json_t *query = json_object();
    http_query_all(r, query);
    merge_under(in, query);
    json_decref(query);
    hq_op o = {.def = def, .in = in};
    if (def->flags & OPF_UPLOAD) {
        o.upload = r->body ? r->body : "";
        o.upload_len = r->body_len;
        o.upload_name = http_header(r, "X-Filename");
    }
    json_t *body = NULL;
    if (!(def->flags & OPF_UPLOAD) && r->body_len) {
        if (!(body = http_body_json(r))) {
            json_decref(in);
            return;
        }
        merge_under(in, body);
        o.body = body;
    }
    hq_op_ctx ctx = {.c = http_config(r)->corpus, .plans = http_config(r)->plans, .nplans = http_config(r)->nplans, .vm = http_thread_vm(r), .db_path = http_config(r)->db_path};
    identity_of(r, &ctx.who);
    if (jobs_wanted(r, def)) {
        json_t *job_body = NULL, *job_in = job_input(in, body, &job_body);
        char *upload = NULL;
        if (def->flags & OPF_UPLOAD) { /* the job takes the body; the server's count of it stays until the request ends */
            upload = r->body;
            r->body = NULL;
        }
        jobs_start(r, def, &ctx.who, job_in, job_body, upload, o.upload_len, o.upload_name);
        return;
    }
    if (def->flags & OPF_STORE) ctx.s = http_thread_store(r);
    o.ctx = &ctx;
    ops_call(&o);
    respond(r, &o);
    ops_free(&o);
    json_decref(body);
}
