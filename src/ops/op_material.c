/*
 * 申报材料: the documents a firm uploads for its award (PDF or images), kept in the ledger
 * with their SHA-256 and shown to the reviewer of the award's department. A material is
 * added while the award is still being applied for (up to 受理); it is never changed or
 * removed afterwards, since the decision rests on it. The type is read from the file's first
 * bytes, not from its name.
 */
#include <stdlib.h>
#include <string.h>

#include "base/sha256.h"
#include "ledger/audit.h"
#include "ledger/clock.h"
#include "ops/handlers.h"

enum {
    MATERIAL_MAX_BYTES = 10 << 20, /* one file */
    MATERIALS_PER_AWARD = 20,
};

const hq_op_param P_MATERIAL_ADD[] = {{.name = "id", .type = PT_ID, .required = true, .zh = "奖补编号"},
                                   {.name = "file", .type = PT_UPLOAD, .required = true, .zh = "材料文件"}, {.name = NULL}};
const hq_op_param P_MATERIALS[] = {{.name = "id", .type = PT_ID, .required = true, .zh = "奖补编号"}, {.name = NULL}};
const hq_op_param P_MATERIAL[] = {{.name = "id", .type = PT_ID, .required = true, .zh = "材料编号"}, {.name = NULL}};

/* The accepted types, by their leading bytes. */
static const struct {
    const char *magic;
    size_t len;
    const char *type, *zh;
} TYPES[] = {
    {"%PDF-", 5, "application/pdf", "PDF"},
    {"\x89PNG\r\n\x1a\n", 8, "image/png", "PNG 图片"},
    {"\xff\xd8\xff", 3, "image/jpeg", "JPEG 图片"},
};

static const char *sniff(const char *data, size_t len)
{
    for (size_t i = 0; i < sizeof TYPES / sizeof *TYPES; i++)
        if (len >= TYPES[i].len && !memcmp(data, TYPES[i].magic, TYPES[i].len)) return TYPES[i].type;
    return NULL;
}

/* The award, if the caller may see it; a refusal is audited on the award (award#ID). */
static bool visible_award(hq_op *o, int64_t id, hq_award_rec *a)
{
    char object[48];
    snprintf(object, sizeof object, "award#%lld", (long long)id);
    return op_award_visible(o, id, a, object, "materials of an award out of scope");
}

static int count_one(const hq_material_rec *m, void *ud)
{
    (void)m;
    ++*(int *)ud;
    return 0;
}

void op_material_add(hq_op *o)
{
    long long id;
    op_int(o, "id", &id);
    hq_award_rec a;
    if (!visible_award(o, id, &a)) return;
    const unsigned open = 1u << AWARD_CANDIDATE | 1u << AWARD_PUSHED | 1u << AWARD_APPLIED | 1u << AWARD_RETURNED |
                          1u << AWARD_ACCEPTED;
    if (!(open >> a.state & 1)) {
        op_fail(o, OPR_REFUSED, NULL, "奖补 #%lld 当前状态为「%s」，已不能补充材料", id, award_state_zh(a.state));
        return;
    }
    const char *type = sniff(o->upload ? o->upload : "", o->upload_len);
    if (!o->upload_len) op_fail(o, OPR_BAD_REQUEST, "file", "材料文件为空");
    else if (o->upload_len > MATERIAL_MAX_BYTES) op_fail(o, OPR_TOO_LARGE, "file", "材料文件超过 %d MB", MATERIAL_MAX_BYTES >> 20);
    else if (!type) op_fail(o, OPR_BAD_REQUEST, "file", "只接受 PDF、PNG 或 JPEG 文件（按文件内容判断）");
    if (o->status != OPR_OK) return;
    hq_store *s = o->ctx->s;
    hq_material_rec m = {.award_id = a.id, .size = (int64_t)o->upload_len};
    op_upload_name(o, "材料", m.name, sizeof m.name);
    snprintf(m.type, sizeof m.type, "%s", type);
    hq_sha256_hex(o->upload, o->upload_len, m.sha256);
    snprintf(m.by, sizeof m.by, "%s", o->ctx->who.actor);
    clock_now(m.at, sizeof m.at);
    int n = 0;
    if (store_begin(s)) {
        op_store_error(o);
        return;
    }
    if (store_material_list(s, a.id, count_one, &n)) {
        store_rollback(s);
        op_store_error(o);
        return;
    }
    if (n >= MATERIALS_PER_AWARD) {
        store_rollback(s);
        op_fail(o, OPR_REFUSED, NULL, "奖补 #%lld 已有 %d 份材料，已达上限", id, n);
        return;
    }
    char object[48];
    snprintf(object, sizeof object, "award#%lld", (long long)a.id);
    json_t *after = json_pack("{s:s, s:s, s:I, s:s}", "name", m.name, "type", m.type, "size", (json_int_t)m.size, "sha256", m.sha256);
    int rc = store_material_add(s, &m, o->upload) || audit_log(s, o->ctx->who.actor, "material", object, NULL, after) ||
             store_commit(s);
    json_decref(after);
    if (rc) {
        store_rollback(s);
        op_store_error(o);
        return;
    }
    op_ok(o, json_pack("{s:I, s:I, s:s, s:s, s:I, s:s, s:s}", "id", (json_int_t)m.id, "award", (json_int_t)a.id, "name", m.name,
                       "type", m.type, "size", (json_int_t)m.size, "sha256", m.sha256, "at", m.at));
    o->status = OPR_CREATED;
}

static int list_one(const hq_material_rec *m, void *ud)
{
    json_array_append_new(ud, json_pack("{s:I, s:s, s:s, s:I, s:s, s:s}", "id", (json_int_t)m->id, "name", m->name, "type",
                                        m->type, "size", (json_int_t)m->size, "sha256", m->sha256, "at", m->at));
    return 0;
}

void op_materials(hq_op *o)
{
    long long id;
    op_int(o, "id", &id);
    hq_award_rec a;
    if (!visible_award(o, id, &a)) return;
    json_t *arr = json_array();
    if (store_material_list(o->ctx->s, a.id, list_one, arr)) {
        json_decref(arr);
        op_store_error(o);
        return;
    }
    op_ok(o, json_pack("{s:I, s:i, s:o}", "award", (json_int_t)a.id, "count", (int)json_array_size(arr), "materials", arr));
}

void op_material(hq_op *o)
{
    long long id;
    op_int(o, "id", &id);
    hq_material_rec m;
    void *data = NULL;
    int rc = store_material_get(o->ctx->s, id, &m, &data);
    if (rc) {
        if (rc < 0) op_store_error(o);
        else op_fail(o, OPR_NOT_FOUND, "id", "材料 #%lld 不存在", id);
        return;
    }
    hq_award_rec a;
    if (!visible_award(o, m.award_id, &a)) {
        free(data);
        return;
    }
    o->status = OPR_OK;
    o->raw = data;
    o->raw_len = (size_t)m.size;
    o->raw_type = !strcmp(m.type, "application/pdf") ? "application/pdf" : !strcmp(m.type, "image/png") ? "image/png" : "image/jpeg";
    snprintf(o->raw_name, sizeof o->raw_name, "%s", m.name);
}
