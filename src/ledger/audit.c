/*
 * Hash-chained audit rows; see audit.h for the guarantees.
 *
 * The hashed text is every field, each prefixed by its length, so that no two different
 * rows can produce the same byte string by moving text between fields.
 */
#include "ledger/audit.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/clock.h"

static const char GENESIS[65] = "0000000000000000000000000000000000000000000000000000000000000000";

static void feed(EVP_MD_CTX *md, const char *s)
{
    char len[24];
    size_t n = s ? strlen(s) : 0;
    snprintf(len, sizeof len, "%zu:", n);
    EVP_DigestUpdate(md, len, strlen(len));
    if (n) EVP_DigestUpdate(md, s, n);
}

static void row_hash(const hq_audit_rec *r, char out[65])
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char d[32];
    unsigned int dl = 0;
    char seq[24];
    snprintf(seq, sizeof seq, "%lld", (long long)r->seq);
    EVP_DigestInit_ex(md, EVP_sha256(), NULL);
    feed(md, seq);
    feed(md, r->at);
    feed(md, r->actor);
    feed(md, r->action);
    feed(md, r->object);
    feed(md, r->before);
    feed(md, r->after);
    feed(md, r->prev);
    EVP_DigestFinal_ex(md, d, &dl);
    EVP_MD_CTX_free(md);
    for (int i = 0; i < 32; i++) snprintf(out + 2 * i, 3, "%02x", d[i]);
}

int audit_log(hq_store *s, const char *actor, const char *action, const char *object, const json_t *before,
              const json_t *after)
{
    char seq[32], head[65];
    if (store_meta_get(s, "audit_seq", seq, sizeof seq) < 0 || store_meta_get(s, "audit_head", head, sizeof head) < 0)
        return -1;
    hq_audit_rec r = {.seq = atoll(seq) + 1};
    clock_now(r.at, sizeof r.at);
    snprintf(r.actor, sizeof r.actor, "%s", actor ? actor : "");
    snprintf(r.action, sizeof r.action, "%s", action);
    snprintf(r.object, sizeof r.object, "%s", object ? object : "");
    snprintf(r.prev, sizeof r.prev, "%s", head[0] ? head : GENESIS);
    r.before = before ? json_dumps(before, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    r.after = after ? json_dumps(after, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    row_hash(&r, r.hash);
    snprintf(seq, sizeof seq, "%lld", (long long)r.seq);
    int rc = store_audit_append(s, &r) || store_meta_set(s, "audit_seq", seq) || store_meta_set(s, "audit_head", r.hash)
                 ? -1
                 : 0;
    free(r.before);
    free(r.after);
    return rc;
}

int audit_record(hq_store *s, const char *actor, const char *action, const char *object, const json_t *after)
{
    if (store_begin(s)) return -1;
    if (audit_log(s, actor, action, object, NULL, after) || store_commit(s)) {
        store_rollback(s);
        return -1;
    }
    return 0;
}

typedef struct {
    hq_diag *diag;
    long long rows, expect_seq;
    char prev[65];
    bool broken;
} verify_state;

static int verify_row(const hq_audit_rec *r, void *ud)
{
    verify_state *v = ud;
    char where[48], h[65];
    snprintf(where, sizeof where, "audit #%lld", (long long)r->seq);
    if (r->seq != v->expect_seq) {
        diag_add(v->diag, where, "sequence jumps from %lld: rows %lld–%lld are missing", v->expect_seq - 1, v->expect_seq,
                 (long long)r->seq - 1);
        v->broken = true;
    }
    if (strcmp(r->prev, v->prev)) {
        diag_add(v->diag, where, "does not follow the previous row (its prev hash differs): a row before it was changed or removed");
        v->broken = true;
    }
    row_hash(r, h);
    if (strcmp(h, r->hash)) {
        diag_add(v->diag, where, "content does not match its hash: the row (%s %s by %s) was edited", r->action, r->object,
                 r->actor);
        v->broken = true;
    }
    snprintf(v->prev, sizeof v->prev, "%s", r->hash);
    v->expect_seq = r->seq + 1;
    v->rows++;
    return 0;
}

int audit_verify(hq_store *s, hq_diag *diag, long long *rows)
{
    verify_state v = {.diag = diag, .expect_seq = 1};
    snprintf(v.prev, sizeof v.prev, "%s", GENESIS);
    if (store_audit_scan(s, verify_row, &v)) return -1;
    char seq[32], head[65];
    if (store_meta_get(s, "audit_seq", seq, sizeof seq) < 0 || store_meta_get(s, "audit_head", head, sizeof head) < 0)
        return -1;
    long long want = atoll(seq);
    if (want != v.rows || (want && strcmp(head, v.prev))) {
        diag_add(diag, "audit", "the log ends at row %lld but the recorded head is row %lld: rows at the end were removed or added",
                 v.rows, want);
        v.broken = true;
    }
    *rows = v.rows;
    return v.broken ? 1 : 0;
}
