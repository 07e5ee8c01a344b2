/*
 * Responses (JSON, errors, raw downloads) and what a handler reads of a request (query
 * parameters, headers, a JSON body).
 */
#include <microhttpd.h>
#include <stdarg.h>
#include <stdlib.h>

#include "http/http.h"

void http_json(hq_req *r, int status, json_t *body)
{
    json_decref(r->json);
    r->status = status;
    r->json = body;
}

void http_error(hq_req *r, int status, const char *code, const char *field, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_t *e = json_pack("{s:s, s:s}", "code", code, "message", msg);
    if (field) json_object_set_new(e, "field", json_string(field));
    http_json(r, status, json_pack("{s:o}", "error", e));
}

void http_raw(hq_req *r, int status, const char *content_type, char *data, size_t len)
{
    free(r->raw);
    r->status = status;
    r->raw = data;
    r->raw_len = len;
    r->content_type = content_type;
}

const char *http_query(hq_req *r, const char *key)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
}

const char *http_header(hq_req *r, const char *key)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, key);
}

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    if (key) json_object_set_new(cls, key, json_string(value ? value : ""));
    return MHD_YES;
}

void http_query_all(hq_req *r, json_t *in)
{
    if (r->conn) MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, add_arg, in);
}

/* What went wrong in a JSON text, in Chinese: jansson's own text is English. */
static const char *json_error_zh(const json_error_t *e)
{
    switch (json_error_code(e)) {
    case json_error_out_of_memory: return "内存不足";
    case json_error_stack_overflow: return "嵌套层数过多";
    case json_error_invalid_utf8: return "不是合法的 UTF-8 文字";
    case json_error_premature_end_of_input: return "内容不完整，提前结束";
    case json_error_end_of_input_expected: return "结尾处有多余的内容";
    case json_error_null_character:
    case json_error_null_byte_in_key: return "含有空字符";
    case json_error_duplicate_key: return "对象中有重复的键";
    case json_error_numeric_overflow: return "数字过大";
    default: return "语法错误";
    }
}

json_t *http_body_json(hq_req *r)
{
    json_error_t err;
    json_t *j = json_loadb(r->body ? r->body : "", r->body_len, JSON_REJECT_DUPLICATES, &err);
    if (!j) {
        http_error(r, 400, "bad_json", NULL, "请求体不是合法的 JSON：第%d行第%d列（第%d字节）：%s", err.line, err.column,
                   err.position, json_error_zh(&err));
        return NULL;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        http_error(r, 400, "bad_json", NULL, "请求体须为 JSON 对象");
        return NULL;
    }
    return j;
}
