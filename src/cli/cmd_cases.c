/*
 * `huiqi test-cases`: runs policy case files (docs/cases.md) through the compiled
 * evaluator, like jq's data-driven tests. Every case names an entity (merged onto the
 * shared base entity), a year and the expected outcome of one item; a case passes only
 * if status, amount, failed condition and missing facts all match.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/calendar.h"
#include "base/fixed.h"
#include "cli/cli.h"
#include "eval/assess_json.h"
#include "eval/explain.h"
#include "eval/rvm.h"
#include "eval/assess.h"
#include "facts/entity.h"

/* Merge `over` onto a copy of `base`: objects key by key, recursively; null deletes;
 * anything else replaces. Returns a new reference. */
static json_t *merge(const json_t *base, const json_t *over)
{
    if (!json_is_object(base) || !json_is_object(over)) return json_deep_copy(over);
    json_t *out = json_deep_copy(base);
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)over, k, v) {
        if (json_is_null(v)) {
            json_object_del(out, k);
            continue;
        }
        json_t *b = json_object_get(out, k);
        json_object_set_new(out, k, b ? merge(b, v) : json_deep_copy(v));
    }
    return out;
}

typedef struct {
    const hq_corpus *c;
    hq_vm *vm;
    int passed, failed;
    bool verbose;
} runner;

static void fail_case(runner *r, const char *file, size_t idx, const char *name, const char *why, const char *expl)
{
    r->failed++;
    printf("FAIL %s[%zu] %s\n     %s\n", file, idx, name, why);
    if (expl && *expl) printf("%s", expl);
}

/* expect.partial: the labels of the parts that need data, in order, exactly. */
static void check_partial(const hq_item *it, const hq_outcome *o, const json_t *want, char *why, size_t size)
{
    char got[512] = "", exp[512] = "";
    size_t i;
    json_t *v;
    json_array_foreach((json_t *)want, i, v) snprintf(exp + strlen(exp), sizeof exp - strlen(exp), "%s%s", i ? "," : "",
                                                       json_is_string(v) ? json_string_value(v) : "?");
    for (int p = 0, n = 0; p < it->nparts && it->has_parts; p++)
        if (o->unknown >> p & 1) snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", n++ ? "," : "", it->parts[p].label);
    if (strcmp(got, exp)) snprintf(why, size, "partial: expected [%s], got [%s]", exp, got);
}

/* A case with a history, or that expects what is paid after 附则3 (expect.final, .note),
 * runs the whole assessment of the entity with that history, as the ledger would: the
 * item's own amount is checked against expect.amount, what 附则3 leaves against
 * expect.final. Returns false for a plain case (one item, no history). */
/* Every fact the case expects to be asked for is among those the result names. */
static void check_missing(const char *have, const json_t *want, char *why, size_t size)
{
    size_t i;
    json_t *m;
    json_array_foreach((json_t *)want, i, m) if (json_is_string(m) && !strstr(have, json_string_value(m)))
        snprintf(why, size, "missing: expected %s among [%s]", json_string_value(m), have);
}

static bool stacked_case(runner *r, const hq_item *it, const json_t *cs, const json_t *expect, hq_factbatch *fb, char *why,
                         size_t size, hq_strbuf *expl)
{
    const json_t *hist = json_object_get(cs, "history");
    const char *want_final = json_string_value(json_object_get(expect, "final"));
    const char *want_note = json_string_value(json_object_get(expect, "note"));
    if (!hist && !want_final && !want_note) return false;
    hq_history h = {0};
    hq_diag d;
    diag_init(&d);
    if (hist && history_load(r->c, hist, &h, &d)) {
        snprintf(why, size, "history rejected: %s: %s", d.items[0].where, d.items[0].message);
        diag_free(&d);
        return true;
    }
    diag_free(&d);
    hq_assessment a;
    if (assess_entity(r->c, r->vm, fb, 0, &h, &a)) {
        snprintf(why, size, "out of memory");
        history_free(&h);
        return true;
    }
    const hq_assessment_row *row = &a.rows[it->index];
    hq_outcome o = rvm_eval_one(r->vm, fb, 0, it);
    explain_item(r->vm, r->c, it, &o, expl);
    sb_printf(expl, "  附则3：%s\n%s", row->note, sb_str(&a.log));
    const char *want_status = json_string_value(json_object_get(expect, "status"));
    const char *want_amount = json_string_value(json_object_get(expect, "amount"));
    char got[48], gotf[48];
    fen_format(row->outcome.amount_fen, false, got, sizeof got);
    fen_format(row->awarded ? row->final_fen : 0, false, gotf, sizeof gotf);
    hq_fixed want;
    if (!want_status) snprintf(why, size, "expect.status is required");
    else if (strcmp(want_status, status_code((hq_status)row->outcome.status)))
        snprintf(why, size, "status: expected %s, got %s", want_status, status_code((hq_status)row->outcome.status));
    else if (want_amount && (fixed_parse(want_amount, strlen(want_amount), 2, &want) || fixed_to_fen(want) != row->outcome.amount_fen))
        snprintf(why, size, "amount: expected %s, got %s", want_amount, got);
    else if (want_final && (fixed_parse(want_final, strlen(want_final), 2, &want) || fixed_to_fen(want) != (row->awarded ? row->final_fen : 0)))
        snprintf(why, size, "final (after 附则3): expected %s, got %s", want_final, gotf);
    else if (want_note && !strstr(row->note, want_note))
        snprintf(why, size, "note: expected \"%s\" in \"%s\"", want_note, row->note);
    else if (json_object_get(expect, "partial")) check_partial(it, &row->outcome, json_object_get(expect, "partial"), why, size);
    if (!*why && json_object_get(expect, "missing")) {
        /* After 附则3 too: an item whose project cannot be identified names the key. */
        hq_strbuf miss;
        sb_init(&miss, 4096);
        assessment_reason(r->c, r->vm, fb, 0, row, &miss);
        check_missing(sb_str(&miss), json_object_get(expect, "missing"), why, size);
        sb_free(&miss);
    }
    assessment_free(&a);
    history_free(&h);
    return true;
}

static void run_case(runner *r, const char *file, size_t idx, const json_t *base, const hq_item *it, const json_t *cs)
{
    const char *name = json_string_value(json_object_get(cs, "name"));
    if (!name) name = "(unnamed)";
    const json_t *expect = json_object_get(cs, "expect");
    json_int_t year = json_integer_value(json_object_get(cs, "year"));
    const json_t *over = json_object_get(cs, "entity");
    if (!json_is_object(expect) || year < HQ_YEAR_MIN || year > HQ_YEAR_MAX || (over && !json_is_object(over))) {
        fail_case(r, file, idx, name, "case needs name, year (integer), entity (object) and expect (object)", NULL);
        return;
    }
    json_t *entity = merge(base, over ? over : json_object());
    hq_factbatch *fb = factbatch_new(r->c, (int)year, 1);
    hq_diag d;
    diag_init(&d);
    int rc = fb ? entity_load(r->c, entity, fb, 0, &d) : -1;
    const char *want_load_error = json_string_value(json_object_get(expect, "load_error"));
    char why[1024] = "";
    hq_strbuf expl;
    sb_init(&expl, 1 << 20);
    if (want_load_error) {
        bool found = false;
        for (int i = 0; i < d.count && i < HQ_DIAG_MAX; i++) {
            char line[1024];
            snprintf(line, sizeof line, "%s: %s", d.items[i].where, d.items[i].message);
            if (strstr(line, want_load_error)) found = true;
        }
        if (rc == 0 || !found) snprintf(why, sizeof why, "expected the entity to be rejected with \"%s\"", want_load_error);
    } else if (rc != 0) {
        snprintf(why, sizeof why, "entity rejected: %s: %s", d.items[0].where, d.items[0].message);
    } else if (!stacked_case(r, it, cs, expect, fb, why, sizeof why, &expl)) {
        hq_outcome o = rvm_eval_one(r->vm, fb, 0, it);
        explain_item(r->vm, r->c, it, &o, &expl);
        const char *want_status = json_string_value(json_object_get(expect, "status"));
        const char *want_amount = json_string_value(json_object_get(expect, "amount"));
        const char *want_failed = json_string_value(json_object_get(expect, "failed"));
        const json_t *want_missing = json_object_get(expect, "missing");
        char got_amount[64];
        fen_format(o.amount_fen, false, got_amount, sizeof got_amount);
        if (!want_status) {
            snprintf(why, sizeof why, "expect.status is required");
        } else if (strcmp(want_status, status_code((hq_status)o.status))) {
            snprintf(why, sizeof why, "status: expected %s, got %s", want_status, status_code((hq_status)o.status));
        } else if (o.status == HQ_ELIGIBLE && !want_amount) {
            snprintf(why, sizeof why, "expect.amount is required for an eligible case (got %s)", got_amount);
        } else if (want_amount) {
            hq_fixed want;
            const char *e = fixed_parse(want_amount, strlen(want_amount), 2, &want);
            if (e) snprintf(why, sizeof why, "expect.amount: %s", e);
            else if (fixed_to_fen(want) != o.amount_fen)
                snprintf(why, sizeof why, "amount: expected %s, got %s", want_amount, got_amount);
        }
        if (!*why && want_failed) {
            const char *f = explain_failed_condition(it, &o);
            if (!strstr(f, want_failed) && !strstr(sb_str(&expl), want_failed))
                snprintf(why, sizeof why, "failed condition: expected \"%s\", got \"%s\"", want_failed, f);
        }
        /* An item paying only the parts it knows must say which parts wait for data. */
        if (!*why && (json_object_get(expect, "partial") || (o.status == HQ_ELIGIBLE && o.unknown))) {
            json_t *none = json_array();
            const json_t *want = json_object_get(expect, "partial");
            check_partial(it, &o, want ? want : none, why, sizeof why);
            json_decref(none);
        }
        if (!*why && want_missing) {
            hq_strbuf miss;
            sb_init(&miss, 4096);
            explain_missing(r->vm, r->c, it, &miss);
            check_missing(sb_str(&miss), want_missing, why, sizeof why);
            sb_free(&miss);
        }
    }
    if (*why) fail_case(r, file, idx, name, why, sb_str(&expl));
    else {
        r->passed++;
        if (r->verbose) printf("ok   %s[%zu] %s\n", file, idx, name);
    }
    sb_free(&expl);
    diag_free(&d);
    factbatch_free(fb);
    json_decref(entity);
}

/* A stacking case evaluates every item, applies 附则3 with the case's history and compares
 * the final amounts: expect.final {item: "元"} and optionally expect.total and expect.log. */
static void run_stacking_case(runner *r, const char *file, size_t idx, const json_t *base, const json_t *cs)
{
    const char *name = json_string_value(json_object_get(cs, "name"));
    if (!name) name = "(unnamed)";
    const json_t *expect = json_object_get(cs, "expect");
    json_int_t year = json_integer_value(json_object_get(cs, "year"));
    json_t *entity = merge(base, json_object_get(cs, "entity") ? json_object_get(cs, "entity") : json_object());
    hq_factbatch *fb = factbatch_new(r->c, (int)year, 1);
    hq_diag d;
    diag_init(&d);
    hq_history h = {0};
    hq_strbuf log;
    sb_init(&log, 1 << 20);
    char why[1024] = "";
    const json_t *hist = json_object_get(cs, "history");
    if (!fb || !json_is_object(expect)) snprintf(why, sizeof why, "case needs year, entity and expect");
    else if (entity_load(r->c, entity, fb, 0, &d) != 0)
        snprintf(why, sizeof why, "entity rejected: %s: %s", d.items[0].where, d.items[0].message);
    else if (hist && history_load(r->c, hist, &h, &d) != 0) {
        const char *want = json_string_value(json_object_get(expect, "history_error"));
        char got[512];
        snprintf(got, sizeof got, "%s: %s", d.items[0].where, d.items[0].message);
        if (!want || !strstr(got, want)) snprintf(why, sizeof why, "history rejected: %s", got);
    } else if (json_object_get(expect, "history_error")) {
        snprintf(why, sizeof why, "expected the history to be rejected");
    } else {
        hq_assessment a;
        if (assess_entity(r->c, r->vm, fb, 0, &h, &a) != 0) {
            snprintf(why, sizeof why, "out of memory");
            goto done;
        }
        sb_puts(&log, sb_str(&a.log));
        int64_t total = a.final_total_fen;
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)json_object_get(expect, "final"), k, v) {
            hq_fixed want;
            const char *e = json_is_string(v) ? fixed_parse(json_string_value(v), strlen(json_string_value(v)), 2, &want) : "not a string";
            const hq_item *it = corpus_find_item(r->c, k);
            const hq_assessment_row *row = it ? &a.rows[it->index] : NULL;
            int64_t got = row && row->awarded ? row->final_fen : 0;
            char g[48];
            fen_format(got, false, g, sizeof g);
            if (e) snprintf(why, sizeof why, "expect.final.%s: %s", k, e);
            else if (!row) snprintf(why, sizeof why, "expect.final names unknown item %s", k);
            else if (fixed_to_fen(want) != got) snprintf(why, sizeof why, "final %s: expected %s, got %s", k, json_string_value(v), g);
            if (*why) break;
        }
        assessment_free(&a);
        const char *want_total = json_string_value(json_object_get(expect, "total"));
        hq_fixed wt;
        if (!*why && want_total && (fixed_parse(want_total, strlen(want_total), 2, &wt) || fixed_to_fen(wt) != total)) {
            char g[48];
            fen_format(total, false, g, sizeof g);
            snprintf(why, sizeof why, "total: expected %s, got %s", want_total, g);
        }
        const char *want_log = json_string_value(json_object_get(expect, "log"));
        if (!*why && want_log && !strstr(sb_str(&log), want_log))
            snprintf(why, sizeof why, "log: expected \"%s\"", want_log);
    }
done:
    if (*why) fail_case(r, file, idx, name, why, sb_str(&log));
    else {
        r->passed++;
        if (r->verbose) printf("ok   %s[%zu] %s\n", file, idx, name);
    }
    sb_free(&log);
    history_free(&h);
    diag_free(&d);
    factbatch_free(fb);
    json_decref(entity);
}

static json_t *load_base(const char *case_file)
{
    char dir[1024], path[1100];
    snprintf(dir, sizeof dir, "%s", case_file);
    char *slash = strrchr(dir, '/');
    if (slash) *slash = '\0';
    else snprintf(dir, sizeof dir, ".");
    snprintf(path, sizeof path, "%s/../base.json", dir);
    struct stat st;
    if (stat(path, &st) != 0) snprintf(path, sizeof path, "%s/base.json", dir);
    if (stat(path, &st) != 0) return json_object();
    return cli_read_json(path);
}

static void run_file(runner *r, const char *file)
{
    json_t *root = cli_read_json(file);
    if (!root) {
        r->failed++;
        return;
    }
    const char *item_id = json_string_value(json_object_get(root, "item"));
    const json_t *cases = json_object_get(root, "cases");
    const hq_item *it = item_id ? corpus_find_item(r->c, item_id) : NULL;
    json_t *base = load_base(file);
    bool stacking = json_is_true(json_object_get(root, "stacking"));
    if (stacking && json_is_array(cases) && base) {
        size_t i;
        json_t *cs;
        json_array_foreach((json_t *)cases, i, cs) run_stacking_case(r, file, i, base, cs);
    } else if (!it || !json_is_array(cases) || !base) {
        r->failed++;
        printf("FAIL %s: %s\n", file, !it ? "\"item\" names no item of the corpus" : "needs a \"cases\" array");
    } else {
        size_t i;
        json_t *cs;
        json_array_foreach((json_t *)cases, i, cs) run_case(r, file, i, base, it, cs);
    }
    json_decref(base);
    json_decref(root);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_path(runner *r, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        printf("FAIL %s: no such file or directory\n", path);
        r->failed++;
        return;
    }
    if (!S_ISDIR(st.st_mode)) {
        run_file(r, path);
        return;
    }
    DIR *dir = opendir(path);
    char *names[4096];
    int n = 0;
    struct dirent *e;
    while (dir && (e = readdir(dir)) && n < 4096) {
        if (e->d_name[0] == '.') continue;
        size_t len = strlen(path) + strlen(e->d_name) + 2;
        names[n] = malloc(len);
        snprintf(names[n], len, "%s/%s", path, e->d_name);
        n++;
    }
    if (dir) closedir(dir);
    qsort(names, (size_t)n, sizeof *names, cmp_str);
    for (int i = 0; i < n; i++) {
        size_t l = strlen(names[i]);
        struct stat s2;
        bool is_dir = stat(names[i], &s2) == 0 && S_ISDIR(s2.st_mode);
        if (is_dir) run_path(r, names[i]);
        else if (l > 5 && !strcmp(names[i] + l - 5, ".json") && !strstr(names[i], "base.json")) run_file(r, names[i]);
        free(names[i]);
    }
}

static const char USAGE[] =
    "用法: huiqi test-cases [POLICYDIR] [CASEFILE|CASEDIR ...] [-v]\n"
    "  运行政策测试用例 (docs/cases.md)。默认 policies/ 与 policies/cases/。\n"
    "  最后一行为 \"cases: N passed, M failed\"。退出码: 0 全部通过; 1 有失败。\n";

int cmd_test_cases(int argc, char **argv)
{
    runner r = {0};
    const char *paths[256];
    int npaths = 0;
    const char *policies = NULL;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            printf("%s", USAGE);
            return EXIT_OK;
        }
        if (!strcmp(argv[i], "-v")) r.verbose = true;
        else if (!policies) policies = argv[i];
        else if (npaths < 256) paths[npaths++] = argv[i];
    }
    policies = cli_policies_dir(policies);
    hq_corpus *c = cli_load_corpus(policies);
    if (!c) return EXIT_FOUND;
    r.c = c;
    r.vm = rvm_new(c);
    if (!r.vm) {
        corpus_free(c);
        return EXIT_INTERNAL;
    }
    char defpath[1024];
    if (npaths == 0) {
        snprintf(defpath, sizeof defpath, "%s/cases", policies);
        paths[npaths++] = defpath;
    }
    for (int i = 0; i < npaths; i++) run_path(&r, paths[i]);
    printf("cases: %d passed, %d failed\n", r.passed, r.failed);
    rvm_free(r.vm);
    corpus_free(c);
    return r.failed ? EXIT_FOUND : EXIT_OK;
}
