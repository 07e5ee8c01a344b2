/*
 * What-if overlays; see overlay.h. A change is found in the item's expression trees (a
 * numeric literal of the right type), and the compiled program's CONST instruction that
 * loads that literal's register is patched in a private copy of the program.
 */
#include "eval/overlay.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/program.h"
#include "rules/rlex.h"

enum { OVERLAY_MAX_CHANGES = 64, OVERLAY_ARENA = 1 << 22 };

/* A number written as in rule files: "500万元", "12%", "3000". */
static const char *parse_number(const char *text, hq_fixed *v, int *numtype)
{
    if (!text || !*text) return "应为带单位的数字，如 500万元 或 12%";
    hq_diag d;
    diag_init(&d);
    rlex_state ls;
    rlex_init(&ls, "overlay", text, strlen(text), &d);
    rlex_token t = rlex_next(&ls);
    rlex_token end = rlex_next(&ls);
    const char *err = NULL;
    if (t.kind == TK_MINUS) err = "不能为负";
    else if (t.kind != TK_NUMBER || end.kind != TK_EOF || d.count) err = "应为带单位的数字，如 500万元 或 12%";
    diag_free(&d);
    if (err) return err;
    *v = t.num;
    *numtype = t.numtype;
    return NULL;
}

static int node_numtype(const hq_node *n)
{
    return n->type.kind == HT_MONEY ? NUM_MONEY : n->type.kind == HT_RATE ? NUM_RATE : NUM_COUNT;
}

typedef struct {
    hq_fixed from, to;
    int numtype;
    hq_program *prog;
    int count;
} patch;

static void patch_reg(hq_program *p, int reg, hq_fixed to)
{
    for (int i = 0; i < p->ncode; i++)
        if (p->code[i].op == OP_CONST && p->code[i].dst == reg) p->code[i].imm = to;
}

static void walk(const hq_node *n, patch *pt)
{
    if (!n) return;
    if (n->kind == NK_NUM && n->param < 0 && n->reg >= 0 && n->num == pt->from && node_numtype(n) == pt->numtype &&
        n->type.kind != HT_NONE) {
        patch_reg(pt->prog, n->reg, pt->to);
        pt->count++;
    }
    walk(n->a, pt);
    walk(n->b, pt);
    walk(n->c, pt);
    for (int i = 0; i < n->nlist; i++) walk(n->list[i], pt);
    for (int i = 0; i < n->narms; i++) walk(n->arms[i].value, pt);
    walk(n->else_value, pt);
}

static bool derive_doc(hq_corpus *d, hq_arena *ar, const hq_corpus *base, hq_item *it)
{
    int k;
    for (k = 0; k < base->ndocs; k++)
        if (base->docs[k] == it->doc) break;
    if (k == base->ndocs) return false;
    hq_doc *doc = d->docs[k];
    if (doc == base->docs[k]) {
        doc = arena_alloc(ar, sizeof *doc);
        hq_item **items = arena_alloc(ar, sizeof *items * (size_t)(base->docs[k]->nitems + 1));
        if (!doc || !items) return false;
        *doc = *base->docs[k];
        memcpy(items, base->docs[k]->items, sizeof *items * (size_t)doc->nitems);
        doc->items = items;
        d->docs[k] = doc;
    }
    for (int i = 0; i < doc->nitems; i++)
        if (doc->items[i]->index == it->index) doc->items[i] = it;
    it->doc = doc;
    return true;
}

hq_corpus *overlay_new(const hq_corpus *base, const json_t *overlay, json_t *changes, hq_diag *diag)
{
    if (!json_is_array(overlay) || json_array_size(overlay) > OVERLAY_MAX_CHANGES) {
        diag_add(diag, "$", "测算假设应为变更列表，最多%d项", OVERLAY_MAX_CHANGES);
        return NULL;
    }
    hq_corpus *d = malloc(sizeof *d);
    hq_arena *ar = arena_new(OVERLAY_ARENA);
    bool *copied = calloc((size_t)base->nitems + 1, sizeof *copied);
    if (!d || !ar || !copied) {
        free(d);
        arena_free(ar);
        free(copied);
        diag_add(diag, "$", "内存不足");
        return NULL;
    }
    memcpy(d, base, sizeof *d);
    d->arena = ar; /* overlay_free releases only what the overlay made */
    size_t i;
    json_t *ch;
    char path[64];
    int before = diag->count;
    json_array_foreach(overlay, i, ch) {
        snprintf(path, sizeof path, "$[%zu]", i);
        const char *id = json_string_value(json_object_get(ch, "item"));
        const hq_item *bit = id ? corpus_find_item(base, id) : NULL;
        if (!json_is_object(ch) || !bit) {
            diag_add(diag, path, "条款：%s", id ? "没有这个条款" : "必填（条款编号，如 13-12-61）");
            continue;
        }
        if (!bit->program) {
            diag_add(diag, path, "条款 %s 属于%s，没有可调整的金额", id, item_kind_name(bit->kind));
            continue;
        }
        if (!copied[bit->index]) {
            hq_item *it = arena_alloc(ar, sizeof *it);
            hq_program *p = arena_alloc(ar, sizeof *p);
            hq_insn *code = arena_alloc(ar, sizeof *code * (size_t)(bit->program->ncode ? bit->program->ncode : 1));
            if (!it || !p || !code) {
                diag_add(diag, path, "内存不足");
                continue;
            }
            *it = *bit;
            *p = *bit->program;
            memcpy(code, bit->program->code, sizeof *code * (size_t)bit->program->ncode);
            p->code = code;
            it->program = p;
            d->items[bit->index] = it;
            copied[bit->index] = true;
            /* The evaluator walks each document's item list, so the document is copied too
             * and its list points at the changed item. */
            if (!derive_doc(d, ar, base, it)) {
                diag_add(diag, path, "内存不足");
                continue;
            }
        }
        hq_item *it = d->items[bit->index];
        const char *cap = json_string_value(json_object_get(ch, "cap"));
        const char *from = json_string_value(json_object_get(ch, "replace"));
        const char *to = json_string_value(json_object_get(ch, "with"));
        const char *part = json_string_value(json_object_get(ch, "part"));
        hq_fixed vto = 0, vfrom = 0;
        int tto = 0, tfrom = 0;
        if (cap) {
            const char *e = parse_number(cap, &vto, &tto);
            if (!e && tto != NUM_MONEY) e = "上限应为金额，如 500万元";
            if (e) {
                diag_add(diag, path, "上限：%s", e);
                continue;
            }
            int n = 0;
            for (int p = 0; p < it->nparts; p++) {
                const hq_part *pt = &it->parts[p];
                if (part && (!pt->label || strcmp(pt->label, part))) continue;
                if (!pt->cap || pt->cap->kind != NK_NUM) continue;
                char old[64], neu[64];
                fixed_format_short(pt->cap->num, true, old, sizeof old);
                fixed_format_short(vto, true, neu, sizeof neu);
                patch_reg(it->program, pt->cap->reg, vto);
                if (changes)
                    json_array_append_new(changes, json_sprintf("%s%s%s 上限 %s元 → %s元", id, pt->label ? " " : "",
                                                                pt->label ? pt->label : "", old, neu));
                n++;
            }
            if (!n) diag_add(diag, path, "条款 %s%s%s%s 没有可调整的固定上限", id, part ? "「" : "", part ? part : "", part ? "」" : "");
            continue;
        }
        if (!from || !to) {
            diag_add(diag, path, "须给出新上限，或给出要替换的原值与新值");
            continue;
        }
        const char *e1 = parse_number(from, &vfrom, &tfrom), *e2 = parse_number(to, &vto, &tto);
        if (e1 || e2) {
            diag_add(diag, path, "%s：%s", e1 ? "原值" : "新值", e1 ? e1 : e2);
            continue;
        }
        if (tfrom != tto) {
            diag_add(diag, path, "新值：须与 %s 同类（金额、比例或数量）", from);
            continue;
        }
        patch pt = {.from = vfrom, .to = vto, .numtype = tfrom, .prog = it->program};
        for (int p = 0; p < it->nparts; p++) {
            const hq_part *q = &it->parts[p];
            for (int r = 0; r < q->nrequires; r++) walk(q->requires[r], &pt);
            walk(q->amount, &pt);
            walk(q->cap, &pt);
        }
        if (!pt.count) diag_add(diag, path, "条款 %s 的规则中没有数值 %s", id, from);
        else if (changes) json_array_append_new(changes, json_sprintf("%s %s → %s（%d处）", id, from, to, pt.count));
    }
    free(copied);
    if (diag->count != before) {
        overlay_free(d);
        return NULL;
    }
    /* The derived corpus is a different rule set: its hash covers the base and the overlay. */
    char *text = json_dumps(overlay, JSON_SORT_KEYS | JSON_COMPACT);
    unsigned char md[32];
    unsigned int mdlen = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    EVP_DigestUpdate(ctx, base->hash, strlen(base->hash));
    EVP_DigestUpdate(ctx, "|overlay|", 9);
    if (text) EVP_DigestUpdate(ctx, text, strlen(text));
    EVP_DigestFinal_ex(ctx, md, &mdlen);
    EVP_MD_CTX_free(ctx);
    free(text);
    for (int k = 0; k < 32; k++) snprintf(d->hash + 2 * k, 3, "%02x", md[k]);
    return d;
}

void overlay_free(hq_corpus *d)
{
    if (!d) return;
    arena_free(d->arena);
    free(d);
}
