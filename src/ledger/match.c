/*
 * Matching every entity against the corpus; see match.h. A chunk of entity documents is
 * read, split between worker threads that load, evaluate (RVM_BLOCK entities at a time)
 * and stack, and their awards are written back in one transaction.
 */
#include "ledger/match.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/progress.h"
#include "eval/assess.h"
#include "eval/explain.h"
#include "eval/rvm.h"
#include "eval/stacking.h"
#include "facts/entity.h"
#include "ledger/audit.h"
#include "ledger/clock.h"
#include "ledger/entity_doc.h"
#include "ledger/workflow.h"

enum { CHUNK = 4096, MAX_THREADS = 64, MAX_AWARDS_PER_WORKER = CHUNK * 64 };

typedef struct {
    int64_t entity_id;
    int district;               /* enum value, for dry runs */
    const hq_item *item;
    int64_t entitlement_fen, final_fen;
    char decision_id[24];
    char stage[64];
    char note[512];
} match_award;

/* One chunk of entities read from the store. Chunks are read on a thread of their own, over a
 * connection of their own, while the workers evaluate the chunk before and the main thread
 * writes its candidates: reading no longer waits for the other two phases. */
typedef struct chunk {
    const hq_corpus *c;
    hq_store *store;       /* the reader's connection */
    int year;
    int64_t after;         /* read the entities after this id */
    hq_arena *ar;          /* the rows' strings; replaced at each read */
    hq_entity_rows *rows;  /* CHUNK */
    int64_t *ids;          /* CHUNK, ascending */
    /* Each entity's past awards for 附则3, read for the whole chunk in three queries instead
     * of three per entity (on PostgreSQL each query is a round trip). An entity whose
     * history cannot be taken (a past award naming an item the rules dropped) is left out of
     * the run and reported, as before. */
    hq_history *hist;      /* CHUNK */
    char (*hist_err)[200]; /* CHUNK: "" or why the history was refused */
    int n;
    bool failed;
    char error[256];
} chunk;

typedef struct {
    const hq_corpus *c;
    const hq_match_opts *o;
    const hq_entity_rows *rows;
    const int64_t *ids;
    int lo, hi;                 /* rows of the chunk this worker takes */
    const chunk *chunk;         /* the chunk, with its entities' histories */
    hq_vm *vm;
    hq_factbatch *fb;
    hq_outcome *out;            /* RVM_BLOCK × nitems */
    hq_award *aw;               /* nitems */
    hq_claims claims;           /* one entity's at a time */
    match_award *res;
    int nres;
    long long rejected;
    hq_diag diag;
    bool failed;
    char error[256];
} worker;

/* The stages a staged item has reached, for the award record ("获批创建、验收命名"). */
static void stages_reached(hq_vm *vm, const hq_factbatch *fb, int row, const hq_item *it, char *out, size_t size)
{
    out[0] = 0;
    if (!it->nstages) return;
    rvm_eval_one(vm, fb, row, it);
    size_t len = 0;
    for (int s = 0; s < it->nstages; s++) {
        int64_t v;
        uint8_t st;
        rvm_reg(vm, it->stages[s].cond->reg, &v, &st);
        if (st || !v) continue;
        int w = snprintf(out + len, size - len, "%s%s", len ? "、" : "", it->stages[s].label);
        if (w < 0 || (size_t)w >= size - len) break;
        len += (size_t)w;
    }
}

/* Stack one entity's eligible outcomes against its ledger history and keep what pays. */
static int settle_entity(worker *w, int row, const hq_outcome *out)
{
    const hq_corpus *c = w->c;
    int n = 0;
    for (int i = 0; i < c->nitems; i++)
        if (out[i].status == HQ_ELIGIBLE) w->aw[n++] = award_from_outcome(c, c->items[i], &out[i]);
    if (n == 0) return 0;
    int64_t entity_id = w->ids[w->lo + row];
    const char *refused = w->chunk->hist_err[w->lo + row];
    if (refused[0]) {
        /* Without its history an entity could be offered what it was already paid: it is
         * left out of this run and reported (a past award naming an item the rules dropped). */
        diag_add(&w->diag, w->fb->ids[row].credit_code, "history: %s", refused);
        w->rejected++;
        return 0;
    }
    hq_strbuf log;
    sb_init(&log, 1 << 16);
    stacking_apply(c, w->vm, w->fb, row, &w->chunk->hist[w->lo + row], w->aw, n, &w->claims, &log);
    sb_free(&log);
    for (int k = 0; k < n; k++) {
        /* A dry run (what-if) also hears of what 附则3 absorbed whole, to say where a change went. */
        if (w->aw[k].final_fen <= 0 && (!w->o->sink || w->aw[k].amount_fen <= 0)) continue;
        if (w->nres == MAX_AWARDS_PER_WORKER) {
            snprintf(w->error, sizeof w->error, "more than %d awards in one chunk", MAX_AWARDS_PER_WORKER);
            return -1;
        }
        match_award *m = &w->res[w->nres++];
        const hq_item *it = w->aw[k].item;
        m->entity_id = entity_id;
        int64_t dv = 0;
        m->district = factbatch_get(w->fb, row, c->slots->district, &dv) ? (int)dv : 0;
        m->item = it;
        m->entitlement_fen = w->aw[k].amount_fen;
        m->final_fen = w->aw[k].final_fen;
        snprintf(m->note, sizeof m->note, "%s", w->aw[k].note);
        decision_id(c, w->fb->ids[row].credit_code, w->fb->year, it, &out[it->index], m->decision_id);
        stages_reached(w->vm, w->fb, row, it, m->stage, sizeof m->stage);
    }
    return 0;
}

static void *work(void *arg)
{
    worker *w = arg;
    const hq_corpus *c = w->c;
    int rows = w->hi - w->lo;
    bool valid[CHUNK];
    factbatch_clear(w->fb);
    for (int i = 0; i < rows; i++) {
        char where[64];
        hq_diag d;
        diag_init(&d);
        valid[i] = entity_load_rows(c, &w->rows[w->lo + i], w->fb, i, &d) == 0;
        if (!valid[i]) {
            w->rejected++;
            snprintf(where, sizeof where, "%s", w->rows[w->lo + i].credit_code);
            if (d.count) diag_add(&w->diag, where, "%s %s", d.items[0].where, d.items[0].message);
        }
        diag_free(&d);
    }
    for (int b0 = 0; b0 < rows && !w->failed; b0 += RVM_BLOCK) {
        int n = rows - b0 < RVM_BLOCK ? rows - b0 : RVM_BLOCK;
        rvm_eval_block(w->vm, w->fb, b0, n, w->out);
        for (int r = 0; r < n; r++)
            if (valid[b0 + r] && settle_entity(w, b0 + r, w->out + (size_t)r * (size_t)c->nitems)) {
                w->failed = true;
                break;
            }
    }
    return NULL;
}

static int ncores(const hq_match_opts *o)
{
    long n = o->threads > 0 ? o->threads : sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (int)n;
}

static void worker_free(worker *w)
{
    free(w->out);
    free(w->aw);
    free(w->res);
    claims_free(&w->claims);
    factbatch_free(w->fb);
    rvm_free(w->vm);
    diag_free(&w->diag);
}

static int worker_init(worker *w, const hq_corpus *c, const hq_match_opts *o, int cap)
{
    memset(w, 0, sizeof *w);
    diag_init(&w->diag);
    w->c = c;
    w->o = o;
    w->vm = rvm_new(c);
    w->fb = factbatch_new(c, o->year, cap);
    w->out = calloc((size_t)RVM_BLOCK * (size_t)c->nitems + 1, sizeof *w->out);
    w->aw = calloc((size_t)c->nitems + 1, sizeof *w->aw);
    w->res = calloc(MAX_AWARDS_PER_WORKER, sizeof *w->res);
    if (claims_init(&w->claims, HQ_ASSESS_MAX_CLAIMS)) return -1;
    return w->vm && w->fb && w->out && w->aw && w->res ? 0 : -1;
}

/* The awards a chunk's entities already have for the year, to write only what changed: a
 * candidate the run finds again unchanged is not written at all, a new one is inserted
 * without looking it up, and an untouched one the run no longer finds is dropped here, in
 * the chunk's transaction, instead of by a pass over the whole year at the end. */
typedef struct {
    int64_t id, entity_id;
    char item[64];
    hq_award_state state;
    uint64_t sum;          /* of the fields a run writes (held_sum) */
    bool seen;
} held_award;

typedef struct {
    held_award *v;
    size_t n, cap;
    bool oom;
} held_list;

/* FNV-1a over the fields a match run writes: equal sums mean nothing to write (a sum that
 * collided would leave one candidate's wording stale until its decision changed; 2^-64). */
static uint64_t sum_text(uint64_t h, const char *s)
{
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211u;
    return (h ^ 0xff) * 1099511628211u; /* a separator, so "ab","c" differs from "a","bc" */
}

static uint64_t held_sum(const char *decision_id, int64_t entitlement_fen, int64_t amount_fen, const char *document,
                         const char *department, const char *project, const char *basis, const char *kind, bool voucher,
                         const char *corpus_hash, const char *stage, const char *note)
{
    uint64_t h = 1469598103934665603u;
    const char *const text[] = {decision_id, document, department, project, basis, kind, corpus_hash, stage, note};
    for (size_t i = 0; i < sizeof text / sizeof *text; i++) h = sum_text(h, text[i]);
    const int64_t num[] = {entitlement_fen, amount_fen, voucher};
    for (size_t i = 0; i < 3; i++)
        for (int k = 0; k < 8; k++) h = (h ^ (uint8_t)((uint64_t)num[i] >> (8 * k))) * 1099511628211u;
    return h;
}

static int take_held(const hq_award_slot *a, void *ud)
{
    held_list *l = ud;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 1024;
        held_award *v = realloc(l->v, cap * sizeof *v);
        if (!v) {
            l->oom = true;
            return -1;
        }
        l->v = v;
        l->cap = cap;
    }
    held_award *h = &l->v[l->n++];
    *h = (held_award){.id = a->id, .entity_id = a->entity_id, .state = a->state,
                      .sum = held_sum(a->decision_id, a->entitlement_fen, a->amount_fen, a->document, a->department, a->project,
                                      a->basis, a->kind, a->voucher, a->corpus_hash, a->stage, a->note)};
    snprintf(h->item, sizeof h->item, "%s", a->item);
    return 0;
}

static int held_cmp(int64_t entity_id, const char *item, const held_award *h)
{
    if (entity_id != h->entity_id) return entity_id < h->entity_id ? -1 : 1;
    return strcmp(item, h->item);
}

/* The held award of that entity and item (the list is in entity, then byte order of item). */
static held_award *held_find(held_list *l, int64_t entity_id, const char *item)
{
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = held_cmp(entity_id, item, &l->v[mid]);
        if (c == 0) return &l->v[mid];
        if (c < 0) hi = mid;
        else lo = mid + 1;
    }
    return NULL;
}

/* A candidate as the ledger keeps it. */
static void award_of(const hq_corpus *c, const match_award *m, const hq_match_opts *o, long long run, const char *now,
                     hq_award_rec *a)
{
    const hq_item *it = m->item;
    memset(a, 0, sizeof *a);
    a->entity_id = m->entity_id;
    snprintf(a->item, sizeof a->item, "%s", it->id);
    snprintf(a->document, sizeof a->document, "%s", it->doc->number ? it->doc->number : it->doc->id);
    snprintf(a->department, sizeof a->department, "%s", it->department);
    snprintf(a->project, sizeof a->project, "%s", it->terms.project ? it->terms.project : "");
    snprintf(a->basis, sizeof a->basis, "%s", basis_name(it->terms.basis));
    snprintf(a->kind, sizeof a->kind, "%s", item_kind_name(it->kind));
    a->voucher = it->voucher;
    a->year = o->year;
    a->entitlement_fen = m->entitlement_fen;
    a->amount_fen = m->final_fen;
    snprintf(a->decision_id, sizeof a->decision_id, "%s", m->decision_id);
    snprintf(a->corpus_hash, sizeof a->corpus_hash, "%s", c->hash);
    snprintf(a->stage, sizeof a->stage, "%s", m->stage);
    snprintf(a->note, sizeof a->note, "%s", m->note);
    snprintf(a->updated_at, sizeof a->updated_at, "%s", now);
    a->match_run = run;
}

/* Write one worker's awards against what the chunk held; counts what is new and what changed. */
static int write_awards(hq_store *s, const hq_corpus *c, const worker *w, const hq_match_opts *o, long long run, held_list *held,
                        hq_match_result *r)
{
    if (o->sink) {
        const hq_enum *de = c->enum_district >= 0 ? c->enums[c->enum_district] : NULL;
        for (int i = 0; i < w->nres; i++) {
            const match_award *m = &w->res[i];
            const char *district = de && m->district > 0 && m->district < de->nvalues ? de->values[m->district] : "";
            o->sink(o->sink_ud, district, m->item, m->entitlement_fen, m->final_fen);
            if (m->final_fen > 0) r->candidates++;
        }
        return 0;
    }
    hq_award_rec a;
    char now[32];
    clock_now(now, sizeof now);
    for (int i = 0; i < w->nres; i++) {
        const match_award *m = &w->res[i];
        held_award *h = held_find(held, m->entity_id, m->item->id);
        r->candidates++;
        if (h) h->seen = true;
        /* a person has acted on it: approval, not matching, recomputes it */
        if (h && !(WF_UNTOUCHED >> h->state & 1)) continue;
        award_of(c, m, o, run, now, &a);
        if (h && h->sum == held_sum(a.decision_id, a.entitlement_fen, a.amount_fen, a.document, a.department, a.project, a.basis,
                                    a.kind, a.voucher, a.corpus_hash, a.stage, a.note))
            continue;
        int changed = 1;
        if (h ? store_award_upsert(s, &a, WF_UNTOUCHED, "", &changed) : store_award_insert(s, &a)) return -1;
        r->added += changed == 1;
        r->updated += changed == 2;
    }
    return 0;
}

/* Drop the chunk's untouched awards the run did not find again. */
static int drop_unseen(hq_store *s, const held_list *held, hq_match_result *r)
{
    for (size_t i = 0; i < held->n; i++) {
        const held_award *h = &held->v[i];
        int done = 0;
        if (h->seen || !(WF_UNTOUCHED >> h->state & 1)) continue;
        if (store_award_drop(s, h->id, WF_UNTOUCHED, &done)) return -1;
        r->removed += done;
    }
    return 0;
}

static void chunk_clear_history(chunk *k)
{
    for (int i = 0; i < k->n; i++) history_free(&k->hist[i]);
}

typedef struct {
    chunk *k;
    hq_diag d;
} hist_fill;

static int take_history(const hq_history_row *r, void *ud)
{
    hist_fill *f = ud;
    chunk *k = f->k;
    int lo = 0, hi = k->n - 1, at = -1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (k->ids[mid] == r->entity) {
            at = mid;
            break;
        }
        if (k->ids[mid] < r->entity) lo = mid + 1;
        else hi = mid - 1;
    }
    if (at < 0 || k->hist_err[at][0]) return 0; /* not of this chunk, or already refused */
    hq_past_award_text a = {.item = r->item, .part = r->part, .project = r->project, .basis = r->basis, .year = r->year,
                            .data_year = r->data_year, .district_level = r->district_level, .voucher = r->voucher,
                            .amount_fen = r->amount_fen};
    diag_free(&f->d);
    diag_init(&f->d);
    if (history_add(k->c, &k->hist[at], &a, &f->d))
        snprintf(k->hist_err[at], sizeof k->hist_err[at], "%s %s", f->d.count ? f->d.items[0].where : "",
                 f->d.count ? f->d.items[0].message : "");
    return 0;
}

static void *chunk_read(void *arg)
{
    chunk *k = arg;
    chunk_clear_history(k);
    k->n = 0;
    arena_free(k->ar);
    k->ar = arena_new((size_t)1 << 30);
    if (!k->ar || store_entity_rows(k->store, k->after, CHUNK, k->year, k->ar, k->rows, k->ids, &k->n)) {
        k->failed = true;
        snprintf(k->error, sizeof k->error, "%s", k->ar ? store_error(k->store) : "out of memory");
        k->n = 0;
        return NULL;
    }
    memset(k->hist, 0, sizeof *k->hist * (size_t)k->n);
    for (int i = 0; i < k->n; i++) k->hist_err[i][0] = 0;
    hist_fill f = {.k = k};
    diag_init(&f.d);
    if (k->n && store_history_rows_range(k->store, k->ids[0], k->ids[k->n - 1], WF_COMMITTED, take_history, &f)) {
        k->failed = true;
        snprintf(k->error, sizeof k->error, "history: %s", store_error(k->store));
    }
    diag_free(&f.d);
    return NULL;
}

int ledger_match(hq_store *s, const hq_corpus *c, const hq_match_opts *o, hq_match_result *r)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    hq_diag *diag = r->diag;
    long long total = 0;
    char runs[32];
    if (store_entity_count(s, (int64_t *)&total) || store_meta_get(s, "match_run", runs, sizeof runs) < 0) {
        diag_add(diag, "store", "%s", store_error(s));
        return -1;
    }
    long long run = atoll(runs) + (o->sink ? 0 : 1);
    r->run = run;
    int nt = ncores(o);
    int cap = (CHUNK + nt - 1) / nt;
    worker *ws = calloc((size_t)nt, sizeof *ws);
    chunk K[2] = {{.c = c, .year = o->year}, {.c = c, .year = o->year}};
    for (int b = 0; b < 2; b++) {
        K[b].rows = calloc(CHUNK, sizeof *K[b].rows);
        K[b].ids = calloc(CHUNK, sizeof *K[b].ids);
        K[b].hist = calloc(CHUNK, sizeof *K[b].hist);
        K[b].hist_err = calloc(CHUNK, sizeof *K[b].hist_err);
    }
    int rc = ws && K[0].rows && K[0].ids && K[1].rows && K[1].ids && K[0].hist && K[1].hist && K[0].hist_err && K[1].hist_err ? 0 : -1;
    hq_store *reader = rc == 0 ? store_open(o->db_path, false, diag) : NULL;
    if (!reader) rc = -1;
    K[0].store = K[1].store = reader;
    for (int t = 0; rc == 0 && t < nt; t++) rc = worker_init(&ws[t], c, o, cap);
    if (rc) diag_add(diag, "match", "无法启动匹配（内存或数据库不可用）");
    hq_progress bar;
    progress_start(&bar, o->progress, o->on_progress, o->progress_ud, "匹配中", "户");
    int cur = 0;
    held_list held = {0};
    pthread_t reading;
    bool read_async = false;
    if (rc == 0) chunk_read(&K[cur]);
    while (rc == 0) {
        if (K[cur].failed) {
            diag_add(diag, "store", "%s", K[cur].error);
            rc = -1;
            break;
        }
        int n = K[cur].n;
        if (n == 0) break;
        hq_entity_rows *rows = K[cur].rows;
        int64_t *ids = K[cur].ids;
        for (int t = 0; t < nt; t++) ws[t].chunk = &K[cur];
        chunk *next = &K[1 - cur];
        next->after = ids[n - 1];
        next->failed = false;
        read_async = pthread_create(&reading, NULL, chunk_read, next) == 0;
        pthread_t th[MAX_THREADS];
        int started = 0;
        for (int t = 0; t < nt; t++) {
            worker *w = &ws[t];
            w->rows = rows;
            w->ids = ids;
            w->lo = t * cap < n ? t * cap : n;
            w->hi = (t + 1) * cap < n ? (t + 1) * cap : n;
            w->nres = 0;
            if (w->lo < w->hi && pthread_create(&th[t], NULL, work, w) == 0) started |= 1 << (t & 31);
            else if (w->lo < w->hi) work(w);
        }
        for (int t = 0; t < nt; t++)
            if (started >> (t & 31) & 1) pthread_join(th[t], NULL);
        if (!o->sink && store_begin(s)) rc = -1;
        held.n = 0;
        if (rc == 0 && !o->sink && store_award_slots(s, o->year, ids[0], ids[n - 1], take_held, &held)) {
            diag_add(diag, "store", "%s", held.oom ? "内存不足" : store_error(s));
            rc = -1;
        }
        for (int t = 0; rc == 0 && t < nt; t++) {
            if (ws[t].failed) {
                diag_add(diag, "match", "%s", ws[t].error);
                rc = -1;
            } else if (write_awards(s, c, &ws[t], o, run, &held, r)) {
                diag_add(diag, "store", "%s", store_error(s));
                rc = -1;
            }
        }
        if (rc == 0 && !o->sink && drop_unseen(s, &held, r)) {
            diag_add(diag, "store", "%s", store_error(s));
            rc = -1;
        }
        if (rc == 0 && !o->sink && store_commit(s)) rc = -1;
        if (rc && !o->sink) store_rollback(s);
        if (read_async) pthread_join(reading, NULL);
        else chunk_read(next);
        read_async = false;
        r->entities += n;
        clock_gettime(CLOCK_MONOTONIC, &t1);
        progress_update(&bar, r->entities, total, r->entities);
        cur = 1 - cur;
    }
    if (rc == 0) progress_finish(&bar, r->entities);
    for (int t = 0; ws && t < nt; t++) {
        r->rejected += ws[t].rejected;
        for (int k = 0; k < ws[t].diag.count && k < HQ_DIAG_MAX; k++)
            diag_add(diag, ws[t].diag.items[k].where, "%s", ws[t].diag.items[k].message);
    }
    if (rc == 0 && !o->sink) {
        if (store_begin(s) || store_meta_set(s, "match_run", (snprintf(runs, sizeof runs, "%lld", run), runs))) {
            diag_add(diag, "store", "%s", store_error(s));
            rc = -1;
        } else {
            char object[48];
            snprintf(object, sizeof object, "match#%lld", run);
            json_t *after_j = json_pack("{s:i, s:s, s:I, s:I, s:I, s:I, s:I}", "year", o->year, "corpus_hash", c->hash,
                                        "entities", (json_int_t)r->entities, "rejected", (json_int_t)r->rejected,
                                        "candidates", (json_int_t)r->candidates, "changed", (json_int_t)r->updated,
                                        "removed", (json_int_t)r->removed);
            if (audit_log(s, o->actor, "match", object, NULL, after_j) || store_commit(s)) {
                diag_add(diag, "store", "%s", store_error(s));
                rc = -1;
            }
            json_decref(after_j);
        }
        if (rc) store_rollback(s);
    }
    for (int t = 0; ws && t < nt; t++) worker_free(&ws[t]);
    free(ws);
    free(held.v);
    for (int b = 0; b < 2; b++) {
        if (K[b].hist) chunk_clear_history(&K[b]);
        arena_free(K[b].ar);
        free(K[b].rows);
        free(K[b].ids);
        free(K[b].hist);
        free(K[b].hist_err);
    }
    if (reader) store_close(reader);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    r->seconds = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    return rc;
}
