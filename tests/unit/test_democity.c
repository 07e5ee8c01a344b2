/*
 * Unit tests for the synthetic city (facts/democity.c), run against the real corpus in
 * policies/: the same seed gives the same bytes, entity i does not depend on how many are
 * generated, every credit code checks (GB 32100 and GB 11714) and is unique, the row counts
 * reported match the files, a corpus that lacks what the generator writes is refused with
 * nothing left behind, and the GB18030 copy of the register is written on request.
 * The plan-indicator observations (gen/indicators.c): the same seed gives the same bytes,
 * every indicator with a number in both plans is covered (every 十四五 indicator with a base
 * or a goal, every 在线新经济 indicator × area with a target, 2020–2022), the 2020 value is
 * the base as written (0 for a five-year total), every row says 模拟数据, and the draw gives
 * the page something to show: a 预警, a 约束性 indicator behind, most on their path.
 */
#include "helpers.h"

#include <dirent.h>
#include <unistd.h>

#include "gen/democity.h"
#include "gen/indicators.h"
#include "facts/uscc.h"
#include "io/csv.h"
#include "plan/plan.h"

enum { SMALL = 300, LARGE = 800 };

static hq_corpus *corpus;

static int load_corpus(void **state)
{
    (void)state;
    hq_diag d;
    diag_init(&d);
    const char *dir = getenv("HUIQI_POLICIES");
    corpus = corpus_load(dir && *dir ? dir : "policies", &d);
    if (!corpus) diag_print(&d, stderr);
    diag_free(&d);
    return corpus ? 0 : -1;
}

static int free_corpus(void **state)
{
    (void)state;
    corpus_free(corpus);
    return 0;
}

/* A fresh temporary directory (caller removes it with remove_dir). */
static void make_dir(char out[64])
{
    snprintf(out, 64, "/tmp/hq-democity-XXXXXX");
    assert_non_null(mkdtemp(out));
}

static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    char path[512];
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            remove(path);
        }
    closedir(d);
    rmdir(dir);
}

static int count_files(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
    closedir(d);
    return n;
}

/* The whole file in a malloc'd buffer (NUL-terminated); *len its size. */
static char *slurp(const char *dir, const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static long count_lines(const char *s)
{
    long n = 0;
    for (; *s; s++) n += *s == '\n';
    return n;
}

static void generate(const char *dir, long n, uint64_t seed, bool gbk, democity_counts *k)
{
    democity_opts o = {.out_dir = dir, .entities = n, .seed = seed, .year = 2021, .gbk = gbk};
    hq_diag d;
    diag_init(&d);
    int rc = democity_write(corpus, &o, k, &d);
    if (rc) diag_print(&d, stderr);
    assert_int_equal(rc, 0);
    diag_free(&d);
}

static void same_seed_same_bytes(void **state)
{
    (void)state;
    char a[64], b[64], c[64];
    make_dir(a);
    make_dir(b);
    make_dir(c);
    democity_counts ka, kb, kc;
    generate(a, SMALL, 42, false, &ka);
    generate(b, SMALL, 42, false, &kb);
    generate(c, SMALL, 43, false, &kc);
    for (int f = 0; f < DEMOCITY__FILES; f++) {
        size_t la, lb;
        char *x = slurp(a, democity_file_name((democity_file)f), &la), *y = slurp(b, democity_file_name((democity_file)f), &lb);
        assert_int_equal(la, lb);
        assert_memory_equal(x, y, la);
        free(x);
        free(y);
    }
    size_t la, lc;
    char *x = slurp(a, "entities.csv", &la), *z = slurp(c, "entities.csv", &lc);
    assert_true(la != lc || memcmp(x, z, la) != 0); /* another seed, another city */
    free(x);
    free(z);
    remove_dir(a);
    remove_dir(b);
    remove_dir(c);
}

/* Entity i is a function of (seed, i): a smaller city is a prefix of a larger one. */
static void smaller_city_is_a_prefix(void **state)
{
    (void)state;
    char a[64], b[64];
    make_dir(a);
    make_dir(b);
    democity_counts ka, kb;
    generate(a, SMALL, 7, false, &ka);
    generate(b, LARGE, 7, false, &kb);
    size_t la, lb;
    char *x = slurp(a, "entities.csv", &la), *y = slurp(b, "entities.csv", &lb);
    assert_true(la < lb);
    assert_memory_equal(x, y, la);
    free(x);
    free(y);
    remove_dir(a);
    remove_dir(b);
}

static void credit_codes_valid_and_unique(void **state)
{
    (void)state;
    char dir[64];
    make_dir(dir);
    democity_counts k;
    generate(dir, LARGE, 2021, false, &k);
    size_t len;
    char *s = slurp(dir, "entities.csv", &len);
    char(*codes)[19] = calloc(LARGE, sizeof *codes);
    assert_non_null(codes);
    long n = 0;
    for (char *line = strchr(s, '\n') + 1; *line; line = strchr(line, '\n') + 1) {
        assert_true(n < LARGE);
        assert_int_equal(line[18], ',');
        memcpy(codes[n], line, 18);
        codes[n][18] = '\0';
        char expected;
        const char *e = uscc_check(codes[n], &expected);
        if (e) fprintf(stderr, "%s: %s\n", codes[n], e);
        assert_null(e);
        for (long i = 0; i < n; i++) assert_string_not_equal(codes[i], codes[n]);
        n++;
    }
    assert_int_equal(n, LARGE);
    free(codes);
    free(s);
    remove_dir(dir);

    /* The examples of the standards: GB 32100-2015 gives 91350100M000100Y43, GB 11714 gives
     * D2143569-X for the organisation code. */
    char code[19];
    democity_credit_code("91", "350100", "M000100Y", code);
    assert_string_equal(code, "91350100M000100Y43");
    democity_credit_code("91", "330302", "D2143569", code);
    assert_int_equal(code[16], 'X');
}

static void counts_match_files(void **state)
{
    (void)state;
    char dir[64];
    make_dir(dir);
    democity_counts k;
    generate(dir, SMALL, 5, true, &k);
    assert_int_equal(k.rows[DEMOCITY_ENTITIES], SMALL);
    assert_int_equal(k.governments + k.enterprises + k.organisations, SMALL);
    assert_int_equal(k.governments, 14);
    long bytes = 0;
    for (int f = 0; f < DEMOCITY__FILES; f++) {
        size_t len;
        char *s = slurp(dir, democity_file_name((democity_file)f), &len);
        assert_int_equal(count_lines(s) - 1, k.rows[f]); /* one header line */
        bytes += (long)len;
        free(s);
    }
    assert_int_equal(bytes, k.bytes);
    /* Every entity but the governments has both years of tax data; there are recognitions,
     * past awards and a 亩均 list to import. */
    assert_int_equal(k.rows[DEMOCITY_TAX], 2 * (SMALL - 14));
    assert_true(k.rows[DEMOCITY_RECOGNITIONS] > SMALL / 5);
    assert_true(k.rows[DEMOCITY_AWARDS] > 0);
    assert_true(k.rows[DEMOCITY_MUJUN] > 0);
    size_t lu, lg;
    char *u = slurp(dir, "entities.csv", &lu), *g = slurp(dir, "entities-gbk.csv", &lg);
    assert_true(lg < lu); /* two bytes a Chinese character instead of three */
    assert_int_equal(count_lines(g), count_lines(u));
    free(u);
    free(g);
    assert_int_equal(count_files(dir), DEMOCITY__FILES + 1);
    remove_dir(dir);
}

/* A corpus without the facts the generator writes: refused, nothing left in the directory. */
static void changed_corpus_is_refused(void **state)
{
    (void)state;
    hq_diag d;
    diag_init(&d);
    hq_corpus *tiny = corpus_from_text("", &d);
    assert_int_equal(d.count, 0);
    char dir[64];
    make_dir(dir);
    democity_opts o = {.out_dir = dir, .entities = 50, .seed = 1, .year = 2021};
    democity_counts k;
    assert_int_equal(democity_write(tiny, &o, &k, &d), -1);
    assert_true(diag_has(&d, "规则库已变更"));
    assert_int_equal(count_files(dir), 0);
    diag_free(&d);
    corpus_free(tiny);

    diag_init(&d);
    o.entities = 0;
    assert_int_equal(democity_write(corpus, &o, &k, &d), -1);
    o.entities = 10, o.year = 1999;
    assert_int_equal(democity_write(corpus, &o, &k, &d), -1);
    assert_int_equal(d.count, 2);
    assert_int_equal(count_files(dir), 0);
    diag_free(&d);
    remove_dir(dir);
}

/* ---- plan indicators ----------------------------------------------------------------- */

static hq_plan **plans;
static int nplans;

static const hq_plan *plan_named(const char *id)
{
    for (int i = 0; i < nplans; i++)
        if (!strcmp(plans[i]->id, id)) return plans[i];
    return NULL;
}

static hq_csv *indicator_rows(uint64_t seed, char **text)
{
    hq_strbuf sb;
    sb_init(&sb, (size_t)16 << 20);
    hq_diag d;
    diag_init(&d);
    long n = indicators_csv(plans, nplans, seed, &sb, &d);
    if (n < 0) diag_print(&d, stderr);
    assert_true(n > 0);
    hq_csv *t = csv_parse(sb_str(&sb), sb.len, NULL, &d);
    assert_non_null(t);
    assert_int_equal((long)csv_rows(t), n);
    diag_free(&d);
    if (text) *text = sb_take(&sb);
    sb_free(&sb);
    return t;
}

/* The row of (plan, indicator, area, period), or -1. */
static long find_row(const hq_csv *t, const char *plan, const char *ind, const char *area, const char *period)
{
    for (size_t r = 0; r < csv_rows(t); r++)
        if (!strcmp(csv_field(t, r, 0), plan) && !strcmp(csv_field(t, r, 1), ind) &&
            !strcmp(csv_field(t, r, 2), area) && !strcmp(csv_field(t, r, 3), period))
            return (long)r;
    return -1;
}

static hq_fixed value_at(const hq_csv *t, long r)
{
    hq_fixed v;
    const char *s = csv_field(t, (size_t)r, 4);
    assert_null(fixed_parse(s, strlen(s), 6, &v));
    return v;
}

static void indicators_deterministic(void **state)
{
    (void)state;
    char *a, *b, *c;
    csv_free(indicator_rows(2021, &a));
    csv_free(indicator_rows(2021, &b));
    csv_free(indicator_rows(7, &c));
    assert_string_equal(a, b);
    assert_true(strcmp(a, c) != 0);
    free(a), free(b), free(c);
}

static void indicators_cover_both_plans(void **state)
{
    (void)state;
    const hq_plan *s = plan_named("shisiwu"), *z = plan_named("zaixian");
    assert_non_null(s);
    assert_non_null(z);
    hq_csv *t = indicator_rows(2021, NULL);
    static const char *const years[] = {"2020", "2021", "2022"};
    int covered = 0;
    for (int i = 0; i < s->nindicators; i++) {
        const plan_indicator *ind = &s->indicators[i];
        plan_goal g;
        bool goal = plan_goal_of(s, ind, &g);
        if (!goal && ind->base.kind == PLAN_TARGET_NONE) {
            assert_int_equal(find_row(t, "shisiwu", ind->id, "", "2020"), -1);
            continue;
        }
        covered++;
        for (int y = 0; y < 3; y++) {
            long r = find_row(t, "shisiwu", ind->id, "", years[y]);
            if (r < 0) fail_msg("十四五 %s %s 无模拟值", ind->id, years[y]);
        }
        hq_fixed v2020 = value_at(t, find_row(t, "shisiwu", ind->id, "", "2020"));
        if (goal && g.path == PLAN_PATH_CUMULATIVE) assert_int_equal(v2020, 0);
        else assert_int_equal(v2020, ind->base.value);
    }
    /* 45 rows (1–41, with 11.1, 21.1–21.2 in place of 21, 25.1–25.3 in place of 25), less 17 18 19
     * (省下目标 with no base) */
    assert_int_equal(covered, 42);
    for (int i = 0; i < z->nindicators; i++)
        for (int a = 0; a < z->nareas; a++) {
            const plan_target *tg = plan_area_target(z, &z->indicators[i], z->areas[a]);
            bool has = tg && tg->kind != PLAN_TARGET_NONE;
            for (int y = 0; y < 3; y++)
                if ((find_row(t, "zaixian", z->indicators[i].id, z->areas[a], years[y]) >= 0) != has)
                    fail_msg("在线新经济 %s %s %s", z->indicators[i].id, z->areas[a], years[y]);
        }
    for (size_t r = 0; r < csv_rows(t); r++) assert_non_null(strstr(csv_field(t, r, 5), "模拟数据"));
    csv_free(t);
}

static void indicators_show_a_mix(void **state)
{
    (void)state;
    const hq_plan *s = plan_named("shisiwu");
    hq_csv *t = indicator_rows(2021, NULL);
    int count[PLAN_STATUS_ERROR + 1] = {0}, binding_behind = 0;
    for (int i = 0; i < s->nindicators; i++) {
        const plan_indicator *ind = &s->indicators[i];
        long r = find_row(t, "shisiwu", ind->id, "", "2022");
        if (r < 0) continue;
        plan_status st = plan_indicator_status(s, ind, value_at(t, r), 2022, 12);
        count[st]++;
        if (ind->attribute == PLAN_ATTR_BINDING && (st == PLAN_STATUS_LAGGING || st == PLAN_STATUS_WARNING))
            binding_behind++;
    }
    assert_int_equal(count[PLAN_STATUS_ERROR], 0);
    assert_true(count[PLAN_STATUS_WARNING] >= 1);
    assert_true(count[PLAN_STATUS_LAGGING] >= 1);
    assert_true(binding_behind >= 1);
    assert_true(count[PLAN_STATUS_ON_PATH] + count[PLAN_STATUS_REACHED] > count[PLAN_STATUS_LAGGING] + count[PLAN_STATUS_WARNING]);
    /* lower is better: PM2.5 and the accident rate move down */
    assert_true(value_at(t, find_row(t, "shisiwu", "21.2", "", "2022")) < value_at(t, find_row(t, "shisiwu", "21.2", "", "2020")));
    assert_true(value_at(t, find_row(t, "shisiwu", "40", "", "2022")) < value_at(t, find_row(t, "shisiwu", "40", "", "2020")));
    assert_true(find_row(t, "shisiwu", "1", "", "2022-06") >= 0);
    csv_free(t);
}

static int load_all(void **state)
{
    if (load_corpus(state) != 0) return -1;
    hq_diag d;
    diag_init(&d);
    const char *dir = getenv("HUIQI_PLANS");
    nplans = plan_load_dir(dir && *dir ? dir : "plans", &plans, &d);
    if (nplans < 0) diag_print(&d, stderr);
    diag_free(&d);
    return nplans < 0 ? -1 : 0;
}

static int free_all(void **state)
{
    for (int i = 0; i < nplans; i++) plan_free(plans[i]);
    free(plans);
    return free_corpus(state);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_seed_same_bytes),
        cmocka_unit_test(smaller_city_is_a_prefix),
        cmocka_unit_test(credit_codes_valid_and_unique),
        cmocka_unit_test(counts_match_files),
        cmocka_unit_test(changed_corpus_is_refused),
        cmocka_unit_test(indicators_deterministic),
        cmocka_unit_test(indicators_cover_both_plans),
        cmocka_unit_test(indicators_show_a_mix),
    };
    return cmocka_run_group_tests(tests, load_all, free_all);
}
