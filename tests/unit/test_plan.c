/*
 * Unit tests for plan indicators as data (src/plan): the three transcribed files under
 * plans/ load and hold what the source tables say (counts and chosen cells), every target
 * form parses, bad files give every error with its file:line:col, and the progress
 * arithmetic behaves at its boundaries (base date, target date, exactly on the path, exactly
 * at the lag threshold, target reached, lower-is-better, target == base).
 */
#include "helpers.h"

#include "plan/plan.h"

static hq_plan *shisiwu, *zaixian, *stats;

static hq_fixed P(const char *s)
{
    hq_fixed v;
    assert_null(fixed_parse(s, strlen(s), 6, &v));
    return v;
}

static hq_plan *load(const char *name)
{
    const char *dir = getenv("HUIQI_PLANS");
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "plans", name);
    hq_diag d;
    diag_init(&d);
    hq_plan *p = plan_load_file(path, &d);
    if (!p) diag_print(&d, stderr);
    diag_free(&d);
    return p;
}

static int load_plans(void **state)
{
    (void)state;
    shisiwu = load("shisiwu.hqp");
    zaixian = load("zaixian.hqp");
    stats = load("stats-2020-07.hqp");
    return shisiwu && zaixian && stats ? 0 : -1;
}

static int free_plans(void **state)
{
    (void)state;
    plan_free(shisiwu);
    plan_free(zaixian);
    plan_free(stats);
    return 0;
}

static const plan_indicator *S(const char *id)
{
    const plan_indicator *ind = plan_find_indicator(shisiwu, id);
    assert_non_null(ind);
    return ind;
}

static void shisiwu_counts(void **state)
{
    (void)state;
    assert_int_equal(shisiwu->kind, PLAN_KIND_PLAN);
    assert_int_equal(shisiwu->base_year, 2020);
    assert_int_equal(shisiwu->target_year, 2025);
    assert_int_equal(shisiwu->nfootnotes, 5);
    /* 41 numbers; 21 and 25 exist only as sub-rows, 11 has one sub-row too: 45 blocks. */
    assert_int_equal(shisiwu->nindicators, 45);
    bool seen[42] = {false};
    int subs = 0;
    for (int i = 0; i < shisiwu->nindicators; i++) {
        const plan_indicator *ind = &shisiwu->indicators[i];
        assert_true(ind->number >= 1 && ind->number <= 41);
        seen[ind->number] = true;
        subs += ind->sub > 0;
        /* direction is explicit on every row, and every row quotes the table */
        assert_int_not_equal(ind->direction, PLAN_DIR_UNSET);
        assert_int_not_equal(ind->attribute, PLAN_ATTR_UNSET);
        assert_non_null(ind->source);
    }
    for (int n = 1; n <= 41; n++) assert_true(seen[n]);
    assert_int_equal(subs, 6);
    assert_null(plan_find_indicator(shisiwu, "21"));
    assert_null(plan_find_indicator(shisiwu, "25"));
    assert_non_null(plan_find_indicator(shisiwu, "11"));
    assert_string_equal(S("25.2")->group, "常住居民人均可支配收入");
    assert_string_equal(S("25.2")->name, "城镇");
}

static void shisiwu_cells(void **state)
{
    (void)state;
    const plan_indicator *i1 = S("1");
    assert_int_equal(i1->target.kind, PLAN_TARGET_EXACT);
    assert_int_equal(i1->target.value, P("10000"));
    assert_int_equal(i1->base.value, P("6871"));
    assert_int_equal(i1->growth.kind, PLAN_GROWTH_ANNUAL_RATE);
    assert_int_equal(i1->growth.value, P("0.065"));
    assert_string_equal(i1->price, "现价");
    assert_string_equal(i1->growth_price, "可比价");

    const plan_indicator *i3 = S("3");
    assert_int_equal(i3->target.kind, PLAN_TARGET_ASPIRE);
    assert_int_equal(i3->target.value, P("1000"));
    assert_int_equal(i3->growth.value, P("0.107"));

    const plan_indicator *pm = S("21.2");
    assert_int_equal(pm->target.kind, PLAN_TARGET_AT_MOST);
    assert_int_equal(pm->target.value, P("27"));
    assert_int_equal(pm->direction, PLAN_DIR_LOWER);
    assert_true(pm->has_target_base);
    assert_int_equal(pm->target_base, P("31.8"));
    assert_int_equal(pm->base.value, P("25"));
    assert_int_equal(pm->attribute, PLAN_ATTR_BINDING);

    const plan_indicator *i16 = S("16");
    assert_int_equal(i16->target.kind, PLAN_TARGET_AT_LEAST);
    assert_int_equal(i16->target.value, P("90"));
    assert_int_equal(i16->growth.kind, PLAN_GROWTH_CUMULATIVE);
    assert_int_equal(i16->growth.value, P("8.4"));

    const plan_indicator *i8 = S("8");
    assert_int_equal(i8->base.kind, PLAN_TARGET_APPROX);
    assert_int_equal(i8->base.value, P("2.2"));
    assert_int_equal(i8->target.kind, PLAN_TARGET_APPROX);
    assert_int_equal(i8->target.value, P("3"));

    assert_int_equal(S("17")->target.kind, PLAN_TARGET_PROVINCE_SET);
    assert_int_equal(S("17")->base.kind, PLAN_TARGET_NONE);
    assert_int_equal(S("17")->growth.kind, PLAN_GROWTH_NONE);
    assert_int_equal(S("9")->target.kind, PLAN_TARGET_NONE);
    assert_int_equal(S("9")->growth.value, P("100"));
    assert_int_equal(S("11.1")->target.kind, PLAN_TARGET_APPROX);
    assert_int_equal(S("11.1")->target.value, P("10"));
    assert_int_equal(S("40")->direction, PLAN_DIR_LOWER);
    assert_int_equal(S("40")->base.value, P("0.016"));
    assert_int_equal(S("18")->direction, PLAN_DIR_HIGHER); /* a larger 降低 is better */
    assert_string_equal(S("31")->caliber, "户籍");
    assert_string_equal(S("2")->caliber, "常住");
    assert_int_equal(S("25.3")->growth.value, P("0.078"));

    /* Every target form of the grammar occurs in the table. */
    int kinds[PLAN_TARGET_NONE + 1] = {0};
    for (int i = 0; i < shisiwu->nindicators; i++) kinds[shisiwu->indicators[i].target.kind]++;
    for (int k = 0; k <= PLAN_TARGET_NONE; k++) assert_true(kinds[k] > 0);
    assert_int_equal(kinds[PLAN_TARGET_PROVINCE_SET], 4);
    assert_int_equal(kinds[PLAN_TARGET_ASPIRE], 1);
}

static void zaixian_table(void **state)
{
    (void)state;
    assert_int_equal(zaixian->nindicators, 10);
    /* 温州市 and the 14 areas of the header; the blank header column is not an area. */
    assert_int_equal(zaixian->nareas, 15);
    assert_string_equal(zaixian->areas[0], "温州市");
    assert_string_equal(zaixian->areas[1], "鹿城区");
    assert_string_equal(zaixian->areas[14], "浙南产业集聚区");
    int cells = 0, none = 0;
    for (int i = 0; i < zaixian->nindicators; i++) {
        assert_non_null(zaixian->indicators[i].area_targets);
        for (int a = 0; a < zaixian->nareas; a++) {
            cells++;
            none += zaixian->indicators[i].area_targets[a].kind == PLAN_TARGET_NONE;
        }
    }
    assert_int_equal(cells, 150);
    assert_int_equal(none, 6);

    const plan_indicator *cloud = NULL, *retail = NULL;
    for (int i = 0; i < zaixian->nindicators; i++) {
        if (strcmp(zaixian->indicators[i].name, "企业上云") == 0) cloud = &zaixian->indicators[i];
        if (strcmp(zaixian->indicators[i].name, "网络零售额") == 0) retail = &zaixian->indicators[i];
    }
    assert_non_null(cloud);
    assert_non_null(retail);
    assert_int_equal(plan_area_target(zaixian, cloud, "鹿城区")->value, P("2700"));
    assert_int_equal(plan_area_target(zaixian, cloud, "温州市")->value, P("30000"));
    assert_int_equal(plan_area_target(zaixian, retail, "瓯江口产业集聚区")->kind, PLAN_TARGET_NONE);
    assert_int_equal(plan_area_target(zaixian, retail, "洞头区")->value, P("7"));
    assert_null(plan_area_target(zaixian, retail, "温州"));
    /* the 14 areas add up to the city's 30000 */
    hq_fixed sum = 0;
    for (int a = 1; a < zaixian->nareas; a++) sum += cloud->area_targets[a].value;
    assert_int_equal(sum, P("30000"));

    /* Indicator 1, the row printed before its name, cell by cell: 温州市 12 (its merged cell's
     * 15 is a note), every area 12. */
    const plan_indicator *rate = plan_find_indicator(zaixian, "1");
    assert_non_null(rate);
    assert_int_equal(plan_area_target(zaixian, rate, "温州市")->value, P("12"));
    assert_int_equal(plan_area_target(zaixian, rate, "鹿城区")->value, P("12"));
    for (int a = 2; a < zaixian->nareas; a++) assert_int_equal(rate->area_targets[a].value, P("12"));
}

static void zaixian_lists(void **state)
{
    (void)state;
    assert_int_equal(zaixian->nprojects, 59);
    assert_int_equal(zaixian->nenterprises, 64);
    hq_fixed total = 0, invest = 0;
    int categories = 0;
    for (int i = 0; i < zaixian->nprojects; i++) {
        const plan_project *pr = &zaixian->projects[i];
        assert_int_equal(pr->number, i + 1);
        total += pr->total;
        invest += pr->invest;
        categories += i == 0 || strcmp(pr->category, zaixian->projects[i - 1].category) != 0;
    }
    assert_int_equal(categories, 12);
    /* the rows as written; the header's 1567 / 1038.5 do not match them (noted in the file) */
    assert_int_equal(total, P("1533.57"));
    assert_int_equal(invest, P("1016.36"));
    assert_int_equal(zaixian->project_total, P("1567"));
    assert_int_equal(zaixian->project_invest, P("1038.5"));
    const plan_project *p8 = plan_find_project(zaixian, 8);
    assert_int_equal(p8->invest, P("9.04"));
    assert_string_equal(p8->type, "续建");
    assert_string_equal(plan_find_project(zaixian, 10)->period, "2020-");
    assert_string_equal(plan_find_project(zaixian, 22)->category, "三、在线金融");

    int regions = 0;
    for (int i = 0; i < zaixian->nenterprises; i++) {
        assert_int_equal(zaixian->enterprises[i].number, i + 1);
        regions += i == 0 || strcmp(zaixian->enterprises[i].region, zaixian->enterprises[i - 1].region) != 0;
    }
    assert_int_equal(regions, 12);
    assert_string_equal(zaixian->enterprises[36].region, "瑞安市");  /* 37, shifted row */
    assert_string_equal(zaixian->enterprises[39].region, "瑞安市");  /* 40, name in 区域 column */
    assert_string_equal(zaixian->enterprises[63].region, "浙南科技城");
    assert_string_equal(zaixian->enterprises[63].name, "大唐网络有限公司");
}

static void stats_observations(void **state)
{
    (void)state;
    assert_int_equal(stats->kind, PLAN_KIND_REPORT);
    assert_int_equal(stats->period_year, 2020);
    assert_int_equal(stats->period_month, 7);
    assert_int_equal(stats->nobservations, 9);
    const plan_observation *o1 = plan_find_observation(stats, "1");
    assert_int_equal(o1->month.value, P("92.98"));
    assert_int_equal(o1->ytd_yoy.value, P("-2.3"));
    const plan_observation *o31 = plan_find_observation(stats, "3.1");
    assert_int_equal(o31->part_of, 3);
    assert_int_equal(o31->ytd.value, P("394.36"));
    const plan_observation *o4 = plan_find_observation(stats, "4");
    assert_false(o4->month.present);
    assert_true(o4->ytd.present);
    assert_int_equal(o4->ytd.value, P("14567.25"));
}

static void load_dir_reads_all(void **state)
{
    (void)state;
    const char *dir = getenv("HUIQI_PLANS");
    hq_diag d;
    diag_init(&d);
    hq_plan **plans;
    int n = plan_load_dir(dir && *dir ? dir : "plans", &plans, &d);
    if (d.count) diag_print(&d, stderr);
    assert_int_equal(d.count, 0);
    assert_int_equal(n, 4);
    assert_string_equal(plans[0]->id, "performance"); /* name order */
    assert_string_equal(plans[1]->id, "shisiwu");
    for (int i = 0; i < n; i++) plan_free(plans[i]);
    free(plans);
    diag_free(&d);
    assert_int_equal(plan_load_dir("/nonexistent-plans-dir", &plans, &d), -1);
    diag_free(&d);
}

static const char HEAD[] = "plan t {\n  title \"t\"\n  base_year 2020\n  target_year 2025\n  footnote 1 \"注\"\n}\n";

/* Parse HEAD + body; return the plan (or NULL) and leave the diagnostics in *d. */
static hq_plan *parse_text(const char *body, hq_diag *d)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s%s", HEAD, body);
    diag_init(d);
    return plan_parse("t.hqp", buf, strlen(buf), d);
}

static void every_target_form_parses(void **state)
{
    (void)state;
    hq_diag d;
    hq_plan *p = parse_text("indicator 1 { name \"a\" unit \"%\" direction higher target 10000 }\n"
                            "indicator 2 { name \"a\" unit \"%\" direction higher target 力争 1000 }\n"
                            "indicator 3 { name \"a\" unit \"%\" direction higher target 2.2 左右 base 2.2 左右 }\n"
                            "indicator 4 { name \"a\" unit \"%\" direction higher target 90 以上 growth [8.4] }\n"
                            "indicator 5 { name \"a\" unit \"%\" direction lower target 27 以下 growth - }\n"
                            "indicator 6 { name \"a\" unit \"%\" direction higher target 省下目标 }\n"
                            "indicator 7 { name \"a\" unit \"%\" direction higher target - growth 6.5% base - }\n"
                            "indicator 8.1 { name \"a\" unit \"%\" direction lower target -0.5 footnotes 1 }\n",
                            &d);
    if (!p) diag_print(&d, stderr);
    assert_non_null(p);
    static const plan_target_kind want[] = {PLAN_TARGET_EXACT,    PLAN_TARGET_ASPIRE,      PLAN_TARGET_APPROX,
                                            PLAN_TARGET_AT_LEAST, PLAN_TARGET_AT_MOST,     PLAN_TARGET_PROVINCE_SET,
                                            PLAN_TARGET_NONE,     PLAN_TARGET_EXACT};
    static const char *const vals[] = {"10000", "1000", "2.2", "90", "27", "0", "0", "-0.5"};
    assert_int_equal(p->nindicators, 8);
    for (int i = 0; i < 8; i++) {
        assert_int_equal(p->indicators[i].target.kind, want[i]);
        assert_int_equal(p->indicators[i].target.value, P(vals[i]));
    }
    assert_int_equal(p->indicators[2].base.kind, PLAN_TARGET_APPROX);
    assert_int_equal(p->indicators[6].base.kind, PLAN_TARGET_NONE);
    assert_int_equal(p->indicators[6].growth.value, P("0.065"));
    assert_int_equal(p->indicators[7].sub, 1);
    plan_free(p);
    diag_free(&d);
}

/* Is there a diagnostic at exactly `where` whose message contains `text`? */
static bool has_error(const hq_diag *d, const char *where, const char *text)
{
    for (int i = 0; i < d->count && i < HQ_DIAG_MAX; i++)
        if (strcmp(d->items[i].where, where) == 0 && strstr(d->items[i].message, text)) return true;
    diag_print(d, stderr);
    return false;
}

static void bad_files_report_every_error(void **state)
{
    (void)state;
    hq_diag d;
    /* HEAD is 6 lines: the body starts on line 7. Four errors, all reported. */
    assert_null(parse_text("indicator 1 { name \"a\" unit \"%\" direction higher target 1 colour 3 }\n"
                           "indicator 2 {\n  name \"b\"\n  unit \"%\"\n  direction higher\n  base 1.1234567\n  target 5\n}\n"
                           "indicator 3 { name \"c\" unit \"%\" direction higher }\n"
                           "indicator 1 { name \"d\" unit \"%\" direction higher target 2 }\n",
                           &d));
    assert_int_equal(d.count, 4);
    assert_true(has_error(&d, "t.hqp:7:59", "未知的键“colour”"));
    assert_true(has_error(&d, "t.hqp:12:8", "数字“1.1234567”有误"));
    assert_true(has_error(&d, "t.hqp:15:1", "缺少 target"));
    assert_true(has_error(&d, "t.hqp:16:11", "指标编号 1 重复"));
    diag_free(&d);

    /* columns count characters, not bytes: the error after a Chinese string */
    assert_null(parse_text("indicator 1 { name \"地区\" unit \"%\" direction 高 target 1 }\n", &d));
    assert_true(has_error(&d, "t.hqp:7:44", "应为方向"));
    diag_free(&d);

    assert_null(parse_text("indicator 1 { name \"a\" unit \"%\" target 27 以下 }\n", &d));
    assert_true(has_error(&d, "t.hqp:7:1", "缺少 direction"));
    diag_free(&d);

    assert_null(parse_text("indicator 1 { name \"a\" unit \"%\" direction higher target 27 以下 }\n", &d));
    assert_true(has_error(&d, "t.hqp:7:1", "与 direction 相反"));
    diag_free(&d);

    assert_null(parse_text("indicator 1 { name \"a\" unit \"%\" direction higher target 力争 }\n", &d));
    assert_true(has_error(&d, "t.hqp:7:60", "应为数字"));
    diag_free(&d);

    assert_null(parse_text("indicator 1 { name \"a\" unit \"%\" direction higher target 1 footnotes 2 }\n", &d));
    assert_true(has_error(&d, "t.hqp:7:69", "没有注2"));
    diag_free(&d);

    assert_null(parse_text("indicator 1 { name \"a\n", &d));
    assert_true(has_error(&d, "t.hqp:7:20", "字符串未结束"));
    assert_true(has_error(&d, "t.hqp:7:1", "indicator 块未结束"));
    diag_free(&d);

    assert_null(parse_text("widget 1 { }\nindicator 1 { name \"a\" unit \"%\" direction higher target 1 }\n", &d));
    assert_int_equal(d.count, 1);
    assert_true(has_error(&d, "t.hqp:7:1", "未知的块“widget”"));
    diag_free(&d);

    /* per-area targets must match the header's areas */
    const char *areas = "plan z {\n title \"z\" base_year 2020 target_year 2022 areas \"甲\" \"乙\"\n}\n"
                        "indicator 1 { name \"a\" unit \"个\" direction higher targets 1 2 3 }\n";
    diag_init(&d);
    assert_null(plan_parse("z.hqp", areas, strlen(areas), &d));
    assert_true(has_error(&d, "z.hqp:4:50", "targets 有 3 个值，而 areas 有 2 个地区"));
    diag_free(&d);

    const char *noheader = "indicator 1 { name \"a\" unit \"%\" direction higher target 1 }\n";
    diag_init(&d);
    assert_null(plan_parse("h.hqp", noheader, strlen(noheader), &d));
    assert_true(has_error(&d, "h.hqp:1:1", "应以 plan、report 或 links 头开始"));
    diag_free(&d);

    /* a malformed number is one error */
    assert_null(parse_text("indicator x { name \"a\" unit \"%\" direction higher target 1 }\n", &d));
    assert_int_equal(d.count, 1);
    assert_true(has_error(&d, "t.hqp:7:11", "应为编号"));
    diag_free(&d);

    /* a missing '{' is one error; the keys after it are still checked */
    assert_null(parse_text("indicator 1 name \"a\" unit \"%\" direction higher target 1 }\n", &d));
    assert_int_equal(d.count, 1);
    assert_true(has_error(&d, "t.hqp:7:13", "应为“{”"));
    diag_free(&d);
}

/* Every prefix of a real file (a file cut off anywhere) gives errors or a plan, never a
 * crash; run under ASan by the sanitizer build. */
static void truncated_files_do_not_crash(void **state)
{
    (void)state;
    const char *dir = getenv("HUIQI_PLANS");
    char path[512];
    snprintf(path, sizeof path, "%s/zaixian.hqp", dir && *dir ? dir : "plans");
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[1 << 17];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    assert_true(n > 1000 && n < sizeof buf);
    for (size_t len = 0; len <= n; len += len < 4000 ? 7 : 61) {
        hq_diag d;
        diag_init(&d);
        hq_plan *p = plan_parse("cut.hqp", buf, len, &d);
        assert_true(p ? d.count == 0 : d.count > 0);
        plan_free(p);
        diag_free(&d);
    }
}

static plan_goal G(plan_path_kind path, const char *start, const char *goal, const char *rate, plan_direction dir,
                   int b, int t)
{
    plan_goal g = {path, P(start), P(goal), P(rate), dir, b, t};
    return g;
}

static hq_fixed E(const plan_goal *g, int y, int m)
{
    hq_fixed v;
    assert_true(plan_expected(g, y, m, &v));
    return v;
}

static void progress_linear(void **state)
{
    (void)state;
    plan_goal g = G(PLAN_PATH_LINEAR, "100", "200", "0", PLAN_DIR_HIGHER, 2020, 2025);
    assert_int_equal(E(&g, 2020, 12), P("100")); /* y = b gives the base */
    assert_int_equal(E(&g, 2019, 3), P("100"));  /* before the base: clamped */
    assert_int_equal(E(&g, 2025, 12), P("200")); /* y = t gives the target */
    assert_int_equal(E(&g, 2030, 12), P("200"));
    assert_int_equal(E(&g, 2023, 6), P("150"));  /* 30 of 60 months */
    assert_int_equal(E(&g, 2021, 1), P("101.666667")); /* 100/60, rounded half away */
    hq_fixed c, pr;
    assert_true(plan_completion(&g, P("150"), &c));
    assert_int_equal(c, P("0.5"));
    assert_true(plan_projected(&g, P("150"), 2023, 6, &pr));
    assert_int_equal(pr, P("200"));
    assert_true(plan_projected(&g, P("140"), 2023, 6, &pr));
    assert_int_equal(pr, P("180"));
    assert_false(plan_projected(&g, P("140"), 2020, 12, &pr)); /* no time has passed */

    assert_int_equal(plan_assess(&g, P("150"), 2023, 6), PLAN_STATUS_ON_PATH);     /* exactly on path */
    assert_int_equal(plan_assess(&g, P("145"), 2023, 6), PLAN_STATUS_LAGGING);     /* exactly 10% of 50 short */
    assert_int_equal(plan_assess(&g, P("144.999999"), 2023, 6), PLAN_STATUS_WARNING);
    assert_int_equal(plan_assess(&g, P("200"), 2023, 6), PLAN_STATUS_REACHED);
    assert_int_equal(plan_assess(&g, P("99"), 2020, 12), PLAN_STATUS_WARNING); /* nothing due, yet short */
    assert_int_equal(plan_assess(&g, P("100"), 2020, 12), PLAN_STATUS_ON_PATH);
}

static void progress_rate(void **state)
{
    (void)state;
    plan_goal g = G(PLAN_PATH_RATE, "100", "125", "0.1", PLAN_DIR_HIGHER, 2020, 2022);
    assert_int_equal(E(&g, 2020, 12), P("100"));
    assert_int_equal(E(&g, 2021, 12), P("110"));
    assert_int_equal(E(&g, 2021, 6), P("105"));    /* linear within the first year */
    assert_int_equal(E(&g, 2022, 6), P("115.5"));  /* 110 + 110·10%·6/12 */
    assert_int_equal(E(&g, 2022, 12), P("121"));   /* the path's end, not the target 125 */
    hq_fixed pr;
    assert_true(plan_projected(&g, P("110"), 2021, 12, &pr));
    assert_true(pr >= P("120.999999") && pr <= P("121.000001"));
    assert_true(plan_projected(&g, P("121"), 2022, 12, &pr));
    assert_true(pr >= P("120.999999") && pr <= P("121.000001"));
    assert_false(plan_projected(&g, P("0"), 2021, 12, &pr));
    assert_int_equal(plan_assess(&g, P("121"), 2022, 12), PLAN_STATUS_ON_PATH); /* on path, below target */
    assert_int_equal(plan_assess(&g, P("125"), 2022, 12), PLAN_STATUS_REACHED);
    assert_int_equal(plan_assess(&g, P("118.9"), 2022, 12), PLAN_STATUS_LAGGING);  /* 2.1 of 21 due */
    assert_int_equal(plan_assess(&g, P("118.899999"), 2022, 12), PLAN_STATUS_WARNING);

    /* the 十四五 GDP path: 6871·1.065^5, each year rounded half away at 10^-6 */
    plan_goal gdp;
    assert_true(plan_goal_of(shisiwu, S("1"), &gdp));
    assert_int_equal(gdp.path, PLAN_PATH_RATE);
    assert_int_equal(E(&gdp, 2025, 12), P("9413.865464"));
    assert_int_equal(plan_indicator_status(shisiwu, S("1"), P("9500"), 2025, 12), PLAN_STATUS_ON_PATH);
    assert_int_equal(plan_indicator_status(shisiwu, S("1"), P("10000"), 2025, 12), PLAN_STATUS_REACHED);
}

static void progress_lower_is_better(void **state)
{
    (void)state;
    /* PM2.5: from 注5's 31.8 to at most 27 */
    plan_goal g;
    assert_true(plan_goal_of(shisiwu, S("21.2"), &g));
    assert_int_equal(g.path, PLAN_PATH_LINEAR);
    assert_int_equal(g.start, P("31.8"));
    assert_int_equal(g.direction, PLAN_DIR_LOWER);
    assert_int_equal(E(&g, 2025, 12), P("27"));
    assert_int_equal(E(&g, 2023, 12), P("28.92"));
    assert_int_equal(plan_assess(&g, P("28.92"), 2023, 12), PLAN_STATUS_ON_PATH);
    assert_int_equal(plan_assess(&g, P("29.208"), 2023, 12), PLAN_STATUS_LAGGING); /* 10% of 2.88 */
    assert_int_equal(plan_assess(&g, P("29.208001"), 2023, 12), PLAN_STATUS_WARNING);
    assert_int_equal(plan_assess(&g, P("25"), 2021, 12), PLAN_STATUS_REACHED);
    hq_fixed c;
    assert_true(plan_completion(&g, P("29.4"), &c));
    assert_int_equal(c, P("0.5"));
    assert_true(plan_completion(&g, P("33"), &c)); /* worse than the start: negative */
    assert_int_equal(c, P("-0.25"));
}

static void progress_target_equals_base(void **state)
{
    (void)state;
    /* 39 粮食综合生产能力 176.5 → 176.5 */
    plan_goal g;
    assert_true(plan_goal_of(shisiwu, S("39"), &g));
    assert_int_equal(E(&g, 2023, 12), P("176.5"));
    hq_fixed c;
    assert_true(plan_completion(&g, P("176.5"), &c));
    assert_int_equal(c, HQ_FIXED_ONE);
    assert_true(plan_completion(&g, P("176"), &c));
    assert_int_equal(c, 0);
    assert_int_equal(plan_assess(&g, P("177"), 2023, 12), PLAN_STATUS_REACHED);
    assert_int_equal(plan_assess(&g, P("176.4"), 2023, 12), PLAN_STATUS_WARNING);
    plan_goal low = G(PLAN_PATH_LINEAR, "5", "5", "0", PLAN_DIR_LOWER, 2020, 2025);
    assert_true(plan_completion(&low, P("4"), &c));
    assert_int_equal(c, HQ_FIXED_ONE);
}

static void progress_goals_of_the_plans(void **state)
{
    (void)state;
    plan_goal g;
    /* 省下目标 and "-" without [X]: 无目标 */
    assert_false(plan_goal_of(shisiwu, S("17"), &g));
    assert_int_equal(plan_indicator_status(shisiwu, S("18"), P("3"), 2022, 12), PLAN_STATUS_NO_TARGET);
    assert_int_equal(plan_indicator_status(shisiwu, S("21.1"), P("97"), 2022, 12), PLAN_STATUS_NO_TARGET);
    /* "-" with [100]: the five-year total from 0 */
    assert_true(plan_goal_of(shisiwu, S("9"), &g));
    assert_int_equal(g.path, PLAN_PATH_CUMULATIVE);
    assert_int_equal(E(&g, 2023, 12), P("60"));
    assert_int_equal(plan_indicator_status(shisiwu, S("9"), P("54"), 2023, 12), PLAN_STATUS_LAGGING); /* 6 of 60 */
    assert_int_equal(plan_indicator_status(shisiwu, S("9"), P("53.9"), 2023, 12), PLAN_STATUS_WARNING);
    /* a level target with [X] beside it is linear to the level */
    assert_true(plan_goal_of(shisiwu, S("16"), &g));
    assert_int_equal(g.path, PLAN_PATH_LINEAR);
    assert_int_equal(E(&g, 2025, 12), P("90"));

    /* per-area targets: the caller supplies the base */
    const plan_indicator *cloud = plan_find_indicator(zaixian, "6");
    assert_true(plan_area_goal(zaixian, cloud, "鹿城区", 0, &g));
    assert_int_equal(E(&g, 2021, 12), P("1350"));
    assert_int_equal(E(&g, 2022, 12), P("2700"));
    const plan_indicator *retail = plan_find_indicator(zaixian, "8");
    assert_false(plan_area_goal(zaixian, retail, "瓯江口产业集聚区", 0, &g));
    assert_false(plan_area_goal(zaixian, retail, "不存在", 0, &g));
}

/* ---- Links (plans/performance.hqp) ------------------------------------------------------ */

static const char LINKS_HEAD[] = "links t {\n  title \"t\"\n}\n";

static hq_plan *parse_links(const char *body, hq_diag *d)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s%s", LINKS_HEAD, body);
    diag_init(d);
    return plan_parse("t.hqp", buf, strlen(buf), d);
}

static void links_file_loads(void **state)
{
    (void)state;
    hq_plan *p = load("performance.hqp");
    assert_non_null(p);
    assert_int_equal(p->kind, PLAN_KIND_LINKS);
    assert_int_equal(p->nlinks, 3);
    const plan_link *l = plan_find_link(p, "技改");
    assert_non_null(l);
    assert_int_equal(l->nitems, 6);
    assert_string_equal(l->items[0].id, "13-12-61");
    assert_string_equal(l->indicators[0].plan, "shisiwu");
    assert_string_equal(l->indicators[0].id, "5");
    assert_string_equal(l->firm_fact, "revenue");
    assert_non_null(l->reason);
    assert_non_null(strstr(l->source, "支持实施智能化改造"));
    /* Every link cites a sentence and names an indicator of a plan that exists. */
    for (int i = 0; i < p->nlinks; i++) {
        assert_non_null(p->links[i].source);
        for (int k = 0; k < p->links[i].nindicators; k++) {
            const plan_link_indicator *r = &p->links[i].indicators[k];
            const hq_plan *of = !strcmp(r->plan, "shisiwu") ? shisiwu : !strcmp(r->plan, "zaixian") ? zaixian : NULL;
            assert_non_null(of);
            assert_non_null(plan_find_indicator(of, r->id));
        }
    }
    assert_non_null(plan_find_link(p, "研发"));
    plan_free(p);

    hq_diag d;
    p = parse_links("link a { items 13-12-61 12-16-40 indicators shisiwu:11.1 zaixian:9 firm_fact revenue\n"
                    "  reason \"r\" source \"s\" source \"t\" note \"n\" }\n", &d);
    if (!p) diag_print(&d, stderr);
    assert_non_null(p);
    assert_int_equal(p->links[0].nitems, 2);
    assert_string_equal(p->links[0].items[1].id, "12-16-40");
    assert_int_equal(p->links[0].items[1].line, 4);
    assert_int_equal(p->links[0].items[1].col, 25);
    assert_string_equal(p->links[0].indicators[0].id, "11.1");
    assert_string_equal(p->links[0].source, "s\nt");
    plan_free(p);
    diag_free(&d);
}

static void bad_links_report_every_error(void **state)
{
    (void)state;
    hq_diag d;
    /* LINKS_HEAD is 3 lines: the body starts on line 4. */
    assert_null(parse_links("link a { items 13-12-61 abc 13-12-62 indicators shisiwu:5 firm_fact revenue reason \"r\" source \"s\" }\n",
                            &d));
    assert_int_equal(d.count, 1);
    assert_true(has_error(&d, "t.hqp:4:25", "应为条款编号"));
    diag_free(&d);

    assert_null(parse_links("link a { items 13-12-61 13-12-61 indicators shisiwu:5 firm_fact revenue reason \"r\" source \"s\" }\n",
                            &d));
    assert_true(has_error(&d, "t.hqp:4:25", "条款 13-12-61 在关联“a”中重复"));
    diag_free(&d);

    assert_null(parse_links("link a { items 13-12-61 indicators shisiwu:5 firm_fact revenue source \"s\" }\n", &d));
    assert_int_equal(d.count, 1);
    assert_true(has_error(&d, "t.hqp:4:1", "关联“a”缺少 reason"));
    diag_free(&d);

    assert_null(parse_links("link a {\n  items\n  indicators shisiwu 5 firm_fact revenue reason \"r\" source \"s\" }\n"
                            "link a { items 13-12-61 indicators shisiwu:05 firm_fact revenue reason \"r\" source \"s\" }\n",
                            &d));
    assert_true(has_error(&d, "t.hqp:6:3", "应为条款编号"));
    assert_true(has_error(&d, "t.hqp:6:14", "应为指标引用"));
    assert_true(has_error(&d, "t.hqp:7:6", "关联“a”重复（第 4 行已有）"));
    assert_true(has_error(&d, "t.hqp:7:36", "指标引用“shisiwu:05”有误"));
    diag_free(&d);

    /* A link in a plan file, an indicator in a links file. */
    assert_null(parse_text("link a { items 13-12-61 indicators shisiwu:5 firm_fact revenue reason \"r\" source \"s\" }\n", &d));
    assert_true(has_error(&d, "t.hqp:7:1", "link 块不能出现在 plan 文件中"));
    diag_free(&d);
    assert_null(parse_links("indicator 1 { name \"a\" unit \"%\" direction higher target 1 }\n", &d));
    assert_true(has_error(&d, "t.hqp:4:1", "indicator 块不能出现在 links 文件中"));
    diag_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shisiwu_counts),
        cmocka_unit_test(shisiwu_cells),
        cmocka_unit_test(zaixian_table),
        cmocka_unit_test(zaixian_lists),
        cmocka_unit_test(stats_observations),
        cmocka_unit_test(load_dir_reads_all),
        cmocka_unit_test(every_target_form_parses),
        cmocka_unit_test(bad_files_report_every_error),
        cmocka_unit_test(truncated_files_do_not_crash),
        cmocka_unit_test(progress_linear),
        cmocka_unit_test(progress_rate),
        cmocka_unit_test(progress_lower_is_better),
        cmocka_unit_test(progress_target_equals_base),
        cmocka_unit_test(progress_goals_of_the_plans),
        cmocka_unit_test(links_file_loads),
        cmocka_unit_test(bad_links_report_every_error),
    };
    return cmocka_run_group_tests(tests, load_plans, free_plans);
}
