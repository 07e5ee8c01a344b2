/*
 * hqbench: how fast the compiled evaluator is. It loads a corpus, fills a fact batch with
 * synthetic entities (gen/synth.h), and times rvm_eval_block() over the whole batch on
 * one thread and on T threads, reporting entities/s and entity×item evaluations/s. When the
 * corpus is the eight-item benchmark corpus (bench/eight), it also times the hand-written
 * C loop of bench/handloop.c over the same batch, prints the ratio, and checks that the
 * two agree on the status and amount of every item for every entity.
 *
 * Each timing is the best of --repeat runs. Outcomes are folded into per-thread tallies
 * (counts and 分 totals) block by block and never stored, as a bulk run would. The batch is
 * built once and shared read-only by all threads; each thread has its own hq_vm.
 *
 * `make bench` runs bench/run.sh, which runs this program; docs/benchmarks.md records
 * the figures. Exit status: 0, 1 when a check fails, 2 on a usage error.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/fixed.h"
#include "eval/rvm.h"
#include "facts/entity.h"
#include "gen/synth.h"

/* bench/handloop.c (declared there too). */
typedef struct handloop handloop;
handloop *handloop_new(const hq_corpus *c);
void handloop_free(handloop *h);
void handloop_eval_block(const handloop *h, const hq_factbatch *fb, int row0, int n, hq_outcome *out);

enum { MAX_THREADS = 256, SAMPLE_ENTITIES = 5000 };

typedef struct {
    int entities, distinct, threads, repeat, year;
    uint64_t seed;
    const char *policies;
} bench_opts;

/* Outcomes of entity×item evaluations, summed. */
typedef struct {
    int64_t eligible, needs_data, errors, fen;
} tally;

typedef enum { ENGINE_COMPILED, ENGINE_HAND } engine;

typedef struct {
    const hq_factbatch *fb;
    const handloop *hand;
    engine eng;
    int row0, row1;
    tally t;
    bool failed;
} worker;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* "1234567" → "1,234,567" */
static const char *grouped(int64_t v, char *buf, size_t size)
{
    char raw[32];
    int n = snprintf(raw, sizeof raw, "%lld", (long long)(v < 0 ? -v : v));
    size_t o = 0;
    if (v < 0 && o + 1 < size) buf[o++] = '-';
    for (int i = 0; i < n && o + 2 < size; i++) {
        buf[o++] = raw[i];
        if ((n - i - 1) % 3 == 0 && i != n - 1) buf[o++] = ',';
    }
    buf[o] = '\0';
    return buf;
}

/* ---- running an engine over the batch -------------------------------------------------- */

static void tally_outcomes(tally *t, const hq_outcome *out, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        t->eligible += out[k].status == HQ_ELIGIBLE;
        t->needs_data += out[k].status == HQ_NEEDS_DATA;
        t->errors += out[k].status == HQ_ERROR;
        t->fen += out[k].status == HQ_ELIGIBLE ? out[k].amount_fen : 0;
    }
}

/* One thread's share: rows [row0, row1) block by block, tallied as it goes. */
static void *run_worker(void *arg)
{
    worker *w = arg;
    const hq_corpus *c = w->fb->corpus;
    size_t per_block = (size_t)RVM_BLOCK * (size_t)(c->nitems ? c->nitems : 1);
    hq_outcome *out = malloc(per_block * sizeof *out);
    hq_vm *vm = w->eng == ENGINE_COMPILED ? rvm_new(c) : NULL;
    if (!out || (w->eng == ENGINE_COMPILED && !vm)) {
        w->failed = true;
    } else {
        for (int row = w->row0; row < w->row1; row += RVM_BLOCK) {
            int n = w->row1 - row < RVM_BLOCK ? w->row1 - row : RVM_BLOCK;
            if (w->eng == ENGINE_COMPILED) rvm_eval_block(vm, w->fb, row, n, out);
            else handloop_eval_block(w->hand, w->fb, row, n, out);
            tally_outcomes(&w->t, out, (size_t)n * (size_t)c->nitems);
        }
    }
    rvm_free(vm);
    free(out);
    return NULL;
}

/* Split the batch into `threads` runs of whole blocks, run them, and sum their tallies.
 * Returns the wall-clock seconds, or a negative number if a thread could not start. */
static double run_engine(const hq_factbatch *fb, const handloop *hand, engine eng, int threads, tally *sum)
{
    worker w[MAX_THREADS];
    pthread_t tid[MAX_THREADS];
    int blocks = (fb->n + RVM_BLOCK - 1) / RVM_BLOCK;
    double t0 = now_seconds();
    bool ok = true;
    for (int k = 0; k < threads; k++) {
        w[k] = (worker){.fb = fb, .hand = hand, .eng = eng};
        w[k].row0 = (int)((int64_t)blocks * k / threads) * RVM_BLOCK;
        w[k].row1 = k == threads - 1 ? fb->n : (int)((int64_t)blocks * (k + 1) / threads) * RVM_BLOCK;
        if (threads == 1) run_worker(&w[k]);
        else if (pthread_create(&tid[k], NULL, run_worker, &w[k]) != 0) {
            ok = false;
            threads = k;
        }
    }
    for (int k = 0; k < threads && threads > 1; k++) pthread_join(tid[k], NULL);
    double secs = now_seconds() - t0;
    *sum = (tally){0};
    for (int k = 0; k < threads; k++) {
        ok &= !w[k].failed;
        sum->eligible += w[k].t.eligible;
        sum->needs_data += w[k].t.needs_data;
        sum->errors += w[k].t.errors;
        sum->fen += w[k].t.fen;
    }
    return ok ? secs : -1;
}

/* The best of `repeat` runs; the tally is the last run's (every run gives the same). */
static double time_engine(const hq_factbatch *fb, const handloop *hand, engine eng, int threads, int repeat, tally *t)
{
    double best = -1;
    for (int r = 0; r < repeat; r++) {
        double s = run_engine(fb, hand, eng, threads, t);
        if (s < 0) return s;
        if (best < 0 || s < best) best = s;
    }
    return best;
}

/* ---- reporting ------------------------------------------------------------------------------ */

static int computable_items(const hq_corpus *c)
{
    int n = 0;
    for (int i = 0; i < c->nitems; i++) n += c->items[i]->program != NULL;
    return n;
}

static void print_timing(const char *label, int threads, double secs, const hq_factbatch *fb, int items)
{
    char a[32], b[32];
    double ents = (double)fb->n / secs, evals = (double)fb->n * items / secs;
    printf("  %-18s %3d thread%s %8.3f s  %14s entities/s", label, threads, threads == 1 ? " " : "s", secs,
           grouped((int64_t)ents, a, sizeof a));
    if (items)
        printf("  %16s entity×item/s  %6.2f ns/eval\n", grouped((int64_t)evals, b, sizeof b),
               secs * 1e9 / ((double)fb->n * items));
    else
        printf("  (no computable items: the 附则 rules only)\n");
}

static void print_tally(const char *label, const tally *t)
{
    char a[32], b[32], c[32], money[48];
    fen_format(t->fen, true, money, sizeof money);
    printf("  %-18s eligible %s, needs data %s, errors %s; total %s 元\n", label, grouped(t->eligible, a, sizeof a),
           grouped(t->needs_data, b, sizeof b), grouped(t->errors, c, sizeof c), money);
}

/* What the measured rate means for the requirement: 2,000,000 entities in under 10 s. */
static void print_projection(double secs, int n, int threads)
{
    enum { TARGET_ENTITIES = 2000000 };
    char a[32];
    printf("  at this rate, %s entities take %.2f s on %d thread%s (target: under 10 s on 2 cores)\n",
           grouped(TARGET_ENTITIES, a, sizeof a), secs * TARGET_ENTITIES / n, threads, threads == 1 ? "" : "s");
}

static bool tallies_equal(const tally *x, const tally *y)
{
    return x->eligible == y->eligible && x->needs_data == y->needs_data && x->errors == y->errors && x->fen == y->fen;
}

/* ---- per-item outcomes and the differential check (untimed) --------------------------------- */

typedef struct {
    int64_t eligible, needs_data, fen;
} item_tally;

/* The length of the longest prefix of s of at most `max` bytes that ends on a character. */
static int utf8_prefix(const char *s, int max)
{
    int n = s ? (int)strlen(s) : 0;
    if (n <= max) return n;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80) max--;
    return max;
}

static void tally_items(item_tally *per, const hq_outcome *out, int n, int nitems)
{
    for (int i = 0; i < n; i++)
        for (int k = 0; k < nitems; k++) {
            const hq_outcome *o = &out[(size_t)i * nitems + k];
            per[k].eligible += o->status == HQ_ELIGIBLE;
            per[k].needs_data += o->status == HQ_NEEDS_DATA;
            per[k].fen += o->status == HQ_ELIGIBLE ? o->amount_fen : 0;
        }
}

/* Outcomes that differ in status or amount; the first is described on stderr unless
 * `seen` already counts earlier ones. */
static int64_t count_mismatches(const hq_outcome *x, const hq_outcome *y, size_t n, const hq_factbatch *fb, int row0,
                                int nitems, int64_t seen)
{
    int64_t bad = 0;
    for (size_t k = 0; k < n; k++) {
        if (x[k].status == y[k].status && x[k].amount_fen == y[k].amount_fen) continue;
        if (bad + seen == 0)
            fprintf(stderr, "hqbench: first mismatch: row %d (%s) item %s: compiled status %d %lld 分, hand status %d %lld 分\n",
                    row0 + (int)(k / (size_t)nitems), fb->ids[row0 + k / (size_t)nitems].credit_code,
                    fb->corpus->items[k % (size_t)nitems]->id, x[k].status, (long long)x[k].amount_fen, y[k].status,
                    (long long)y[k].amount_fen);
        bad++;
    }
    return bad;
}

/* One pass over every row with the compiled evaluator (and the hand loop, if any): fills
 * per-item tallies and returns the number of entity×item outcomes on which they differ. */
static int64_t outcome_pass(const hq_factbatch *fb, const handloop *hand, item_tally *per)
{
    const hq_corpus *c = fb->corpus;
    size_t per_block = (size_t)RVM_BLOCK * (size_t)(c->nitems ? c->nitems : 1);
    hq_outcome *x = malloc(per_block * sizeof *x), *y = malloc(per_block * sizeof *y);
    hq_vm *vm = rvm_new(c);
    int64_t bad = -1;
    if (x && y && vm) {
        bad = 0;
        for (int row = 0; row < fb->n; row += RVM_BLOCK) {
            int n = fb->n - row < RVM_BLOCK ? fb->n - row : RVM_BLOCK;
            rvm_eval_block(vm, fb, row, n, x);
            tally_items(per, x, n, c->nitems);
            if (!hand) continue;
            handloop_eval_block(hand, fb, row, n, y);
            bad += count_mismatches(x, y, (size_t)n * (size_t)c->nitems, fb, row, c->nitems, bad);
        }
    }
    rvm_free(vm);
    free(x);
    free(y);
    return bad;
}

static void print_items(const hq_corpus *c, const item_tally *per)
{
    printf("\nper item (compiled evaluator, every entity):\n");
    printf("  %-11s %12s %12s %20s  %s\n", "item", "eligible", "needs data", "total 元", "title");
    for (int k = 0; k < c->nitems; k++) {
        char a[32], b[32], money[48];
        fen_format(per[k].fen, true, money, sizeof money);
        printf("  %-11s %12s %12s %20s  %.*s\n", c->items[k]->id, grouped(per[k].eligible, a, sizeof a),
               grouped(per[k].needs_data, b, sizeof b), money, utf8_prefix(c->items[k]->title, 60), c->items[k]->title ? c->items[k]->title : "");
    }
}

/* ---- building the batch ---------------------------------------------------------------------- */

/* Generation and loading timed apart on a sample, so each cost is visible on its own. */
static int time_generation(const hq_corpus *c, const bench_opts *o)
{
    int n = o->distinct < SAMPLE_ENTITIES ? o->distinct : SAMPLE_ENTITIES;
    json_t **e = calloc((size_t)n, sizeof *e);
    hq_factbatch *fb = factbatch_new(c, o->year, n);
    int rc = e && fb ? 0 : -1;
    double t0 = now_seconds();
    for (int i = 0; i < n && rc == 0; i++)
        if (!(e[i] = synth_entity(c, o->seed, i, o->year))) rc = -1;
    double t1 = now_seconds();
    hq_diag d;
    diag_init(&d);
    for (int i = 0; i < n && rc == 0; i++) rc = entity_load(c, e[i], fb, i, &d);
    double t2 = now_seconds();
    diag_free(&d);
    char a[32], b[32], g[32];
    if (rc == 0)
        printf("  synth_entity       %8s entities → JSON   %14s entities/s\n"
               "  entity_load        %8s JSON → fact rows  %14s entities/s\n",
               grouped(n, a, sizeof a), grouped((int64_t)(n / (t1 - t0)), b, sizeof b), a,
               grouped((int64_t)(n / (t2 - t1)), g, sizeof g));
    for (int i = 0; i < n && e; i++) json_decref(e[i]);
    free(e);
    factbatch_free(fb);
    return rc;
}

static hq_factbatch *build_batch(const hq_corpus *c, const bench_opts *o)
{
    hq_factbatch *fb = factbatch_new(c, o->year, o->entities);
    if (!fb) {
        fprintf(stderr, "hqbench: out of memory for %d entities\n", o->entities);
        return NULL;
    }
    double t0 = now_seconds();
    if (synth_fill_batch(c, fb, o->seed, o->distinct) != 0) {
        factbatch_free(fb);
        return NULL;
    }
    char a[32], b[32];
    printf("  synth_fill_batch   %8s distinct, tiled to %s rows in %.3f s\n", grouped(o->distinct, a, sizeof a),
           grouped(fb->n, b, sizeof b), now_seconds() - t0);
    return fb;
}

/* The batch holds nslots × N values (8 bytes) and unknown flags (1 byte), plus ids. */
static bool batch_fits(const hq_corpus *c, const bench_opts *o)
{
    double bytes = ((double)c->slots->n * 9.0 + (double)sizeof(hq_entity_id)) * o->entities;
    double mem = (double)sysconf(_SC_PHYS_PAGES) * (double)sysconf(_SC_PAGESIZE);
    char a[32];
    printf("fact batch: %s entities × %d slots = %.0f MB with ids (of %.0f MB RAM)\n", grouped(o->entities, a, sizeof a),
           c->slots->n, bytes / 1e6, mem / 1e6);
    if (mem > 0 && bytes > 0.75 * mem) {
        fprintf(stderr, "hqbench: the batch would take more than 75%% of RAM; use fewer --entities\n");
        return false;
    }
    return true;
}

/* ---- the run ------------------------------------------------------------------------------- */

static void print_header(const hq_corpus *c, const bench_opts *o)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    printf("hqbench: corpus %s: %d document%s, %d items (%d computable), %d facts, %d fact slots, hash %.16s\n",
           o->policies, c->ndocs, c->ndocs == 1 ? "" : "s", c->nitems, computable_items(c), c->nfacts, c->slots->n, c->hash);
    printf("machine: %ld cores online; evaluation year %d; seed %llu\n", cores, o->year, (unsigned long long)o->seed);
}

/* Time one engine on 1 and on T threads; check that both runs tally alike. */
static bool bench_engine(const char *label, const hq_factbatch *fb, const handloop *hand, engine eng, const bench_opts *o,
                         double secs[2], tally *t1)
{
    tally tn;
    int items = computable_items(fb->corpus);
    secs[0] = time_engine(fb, hand, eng, 1, o->repeat, t1);
    if (secs[0] < 0) return false;
    print_timing(label, 1, secs[0], fb, items);
    secs[1] = secs[0];
    if (o->threads > 1) {
        secs[1] = time_engine(fb, hand, eng, o->threads, o->repeat, &tn);
        if (secs[1] < 0) return false;
        print_timing(label, o->threads, secs[1], fb, items);
        if (!tallies_equal(t1, &tn)) {
            fprintf(stderr, "hqbench: %s: 1-thread and %d-thread tallies differ\n", label, o->threads);
            return false;
        }
    }
    return true;
}

/* Time the compiled evaluator and, for the eight-item corpus, the hand loop. */
static bool time_engines(const hq_factbatch *fb, const handloop *hand, const bench_opts *o, tally *tc, tally *th)
{
    double comp[2], hs[2];
    printf("\nevaluation (best of %d):\n", o->repeat);
    if (!bench_engine("compiled (rvm)", fb, hand, ENGINE_COMPILED, o, comp, tc)) return false;
    if (hand && !bench_engine("hand loop (C)", fb, hand, ENGINE_HAND, o, hs, th)) return false;
    if (hand) {
        printf("  compiled / hand:   %.2fx on 1 thread", comp[0] / hs[0]);
        if (o->threads > 1) printf(", %.2fx on %d threads", comp[1] / hs[1], o->threads);
        printf("\n");
    }
    print_projection(comp[1], fb->n, o->threads);
    return true;
}

/* The tallies, the differential check and the per-item table. False if a check failed. */
static bool report_outcomes(const hq_factbatch *fb, const handloop *hand, const tally *tc, const tally *th)
{
    const hq_corpus *c = fb->corpus;
    printf("\noutcomes (entity×item):\n");
    print_tally("compiled", tc);
    if (hand) print_tally("hand loop", th);
    item_tally *per = calloc((size_t)(c->nitems ? c->nitems : 1), sizeof *per);
    int64_t bad = per ? outcome_pass(fb, hand, per) : -1;
    if (hand && bad >= 0) {
        char a[32], b[32];
        printf("  differential check: %s entities × %d items, %s mismatches\n", grouped(fb->n, a, sizeof a), c->nitems,
               grouped(bad, b, sizeof b));
    }
    if (bad >= 0 && c->nitems > 0 && c->nitems <= 16) print_items(c, per);
    free(per);
    return bad == 0;
}

static int run(const hq_corpus *c, const bench_opts *o)
{
    print_header(c, o);
    if (!batch_fits(c, o)) return 1;
    printf("\nbuilding the batch:\n");
    if (time_generation(c, o) != 0) return 1;
    hq_factbatch *fb = build_batch(c, o);
    if (!fb) return 1;
    handloop *hand = handloop_new(c);
    tally tc, th;
    bool ok = time_engines(fb, hand, o, &tc, &th) && report_outcomes(fb, hand, &tc, &th);
    handloop_free(hand);
    factbatch_free(fb);
    return ok ? 0 : 1;
}

static const char USAGE[] =
    "usage: hqbench [--entities N] [--distinct K] [--threads T] [--policies DIR] [--repeat R] [--seed S] [--year Y]\n"
    "  N entities (default 1000000) built from K distinct synthetic ones (default 20000), evaluated\n"
    "  on 1 and on T threads (default: all cores); each timing is the best of R runs (default 3).\n";

static bool parse_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end || v < lo || v > hi) return false;
    *out = v;
    return true;
}

/* 0 to run, 1 after --help, 2 on a usage error. */
static int parse_args(int argc, char **argv, bench_opts *o)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    *o = (bench_opts){.entities = 1000000, .distinct = 20000, .threads = cores > 0 ? (int)cores : 1, .repeat = 3,
                      .year = 2021, .seed = 20200714, .policies = "policies"};
    for (int i = 1; i < argc; i++) {
        long v = 0;
        bool has = i + 1 < argc, ok = true;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("%s", USAGE);
            return 1;
        } else if (!strcmp(argv[i], "--policies") && has) o->policies = argv[++i];
        else if (!strcmp(argv[i], "--entities") && has && (ok = parse_int(argv[++i], 1, 100000000, &v))) o->entities = (int)v;
        else if (!strcmp(argv[i], "--distinct") && has && (ok = parse_int(argv[++i], 1, 100000000, &v))) o->distinct = (int)v;
        else if (!strcmp(argv[i], "--threads") && has && (ok = parse_int(argv[++i], 1, MAX_THREADS, &v))) o->threads = (int)v;
        else if (!strcmp(argv[i], "--repeat") && has && (ok = parse_int(argv[++i], 1, 100, &v))) o->repeat = (int)v;
        else if (!strcmp(argv[i], "--year") && has && (ok = parse_int(argv[++i], 1981, 2100, &v))) o->year = (int)v;
        else if (!strcmp(argv[i], "--seed") && has && (ok = parse_int(argv[++i], 0, 0x7fffffffL, &v))) o->seed = (uint64_t)v;
        else ok = false;
        if (!ok) {
            fprintf(stderr, "%s", USAGE);
            return 2;
        }
    }
    if (o->distinct > o->entities) o->distinct = o->entities;
    return 0;
}

int main(int argc, char **argv)
{
    bench_opts o;
    int usage = parse_args(argc, argv, &o);
    if (usage) return usage == 1 ? 0 : 2;
    hq_diag d;
    diag_init(&d);
    hq_corpus *c = corpus_load(o.policies, &d);
    if (!c) {
        diag_print(&d, stderr);
        diag_free(&d);
        return 1;
    }
    diag_free(&d);
    int rc = run(c, &o);
    corpus_free(c);
    return rc;
}
