/*
 * `huiqi plan list`: the city's plan indicators (the .hqp files of plans/, src/plan) as a table a
 * leader or a 发改委 officer reads — the 十四五 table with each indicator's base, target,
 * growth column, 属性 and direction, and the 在线新经济 任务分解表 with a target per area —
 * each row with the text it was transcribed from. Text on a terminal, CSV or XLSX to a
 * file, through io/table.c like every other listing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "io/table.h"
#include "plan/plan.h"

static const char PLAN_USAGE[] =
    "用法: huiqi plan list [--plan 规划] [--list indicators|projects|enterprises] [--format text|csv|xlsx] [--out FILE] [--plans DIR]\n"
    "      huiqi plan status [--plan shisiwu|zaixian] [--year Y] [--month M] [--area 地区] [--format text|csv|xlsx|json]\n"
    "      （进度：按已导入的统计数据计算序时进度、完成度与预计期末值，见 docs/plans.md）\n"
    "  列出规划指标：十四五主要指标（基数、目标、年均增长或累计、属性、方向）与\n"
    "  在线新经济主要指标任务分解表（各地目标），每行附其原文。规划文件见 plans/。\n"
    "  --list projects 列出示范项目推进计划（附件2），--list enterprises 列出示范企业名单（附件3）。\n";

/* plans/ beside the policies directory unless told otherwise. */
const char *cli_plans_dir(const char *opt, const char *policies)
{
    if (opt) return opt;
    const char *env = getenv("HUIQI_PLANS");
    if (env && *env) return env;
    static char dir[4096];
    char pol[4096];
    snprintf(pol, sizeof pol, "%s", policies);
    size_t len = strlen(pol);
    while (len > 1 && pol[len - 1] == '/') pol[--len] = 0;
    const char *slash = strrchr(pol, '/');
    if (!slash) return "plans";
    snprintf(dir, sizeof dir, "%.*s/plans", (int)(slash - pol), pol);
    return dir;
}

/* "力争 1000", "2.2 左右", "90 以上", "省下目标", "—": the target as the table prints it. */
static void target_text(const plan_target *t, char *out, size_t size) { plan_target_format(t, out, size); }

static void growth_text(const plan_growth *g, char *out, size_t size)
{
    char v[48];
    if (g->kind == PLAN_GROWTH_ANNUAL_RATE) {
        hq_fixed pct = 0;
        fixed_mul(g->value, 100 * HQ_FIXED_ONE, &pct);
        fixed_format_short(pct, false, v, sizeof v);
        snprintf(out, size, "%s%%", v);
    } else if (g->kind == PLAN_GROWTH_CUMULATIVE) {
        fixed_format_short(g->value, false, v, sizeof v);
        snprintf(out, size, "[%s]", v);
    } else {
        snprintf(out, size, "—");
    }
}

/* One line of quoted text: the source rows joined by "；". */
static void source_line(const char *s, char *out, size_t size)
{
    size_t n = 0;
    for (; s && *s && n + 4 < size; s++) {
        if (*s == '\n') {
            if (n + 4 >= size) break;
            memcpy(out + n, "；", 3);
            n += 3;
        } else {
            out[n++] = *s;
        }
    }
    out[n] = 0;
    /* never cut a UTF-8 sequence in half */
    while (n && ((unsigned char)out[n - 1] & 0xC0) == 0x80) n--;
    if (n && (unsigned char)out[n - 1] >= 0xC0) n--;
    out[n] = 0;
}

/* A table of indicators with one base and one target each (the 十四五 table). */
static hq_table *indicator_table(const hq_plan *p)
{
    char title[512], h_base[32], h_target[32];
    snprintf(title, sizeof title, "%s（%s）", p->title ? p->title : p->id, p->id);
    snprintf(h_base, sizeof h_base, "%d年基数", p->base_year);
    snprintf(h_target, sizeof h_target, "%d年目标", p->target_year);
    hq_table *t = table_new(title);
    const char *heads[] = {"序号", "指标", "单位", h_base, h_target, "年均增长[累计]", "属性", "方向", "原文"};
    for (size_t i = 0; t && i < sizeof heads / sizeof *heads; i++) table_add_column(t, heads[i], HQ_COL_TEXT);
    for (int i = 0; t && i < p->nindicators; i++) {
        const plan_indicator *ind = &p->indicators[i];
        char base[64], target[64], growth[64], src[1024];
        target_text(&ind->base, base, sizeof base);
        target_text(&ind->target, target, sizeof target);
        growth_text(&ind->growth, growth, sizeof growth);
        source_line(ind->source, src, sizeof src);
        table_add_row(t);
        table_set_text(t, 0, ind->id);
        table_set_text(t, 1, ind->name ? ind->name : "");
        table_set_text(t, 2, ind->unit ? ind->unit : "");
        table_set_text(t, 3, base);
        table_set_text(t, 4, target);
        table_set_text(t, 5, growth);
        table_set_text(t, 6, ind->attribute == PLAN_ATTR_BINDING ? "约束性" : ind->attribute == PLAN_ATTR_EXPECTED ? "预期性" : "");
        table_set_text(t, 7, ind->direction == PLAN_DIR_LOWER ? "越低越好" : "越高越好");
        table_set_text(t, 8, src);
    }
    return t;
}

/* 附件2: the demonstration projects, with their investment (亿元, exact) and a total row
 * that is the sum of the rows (the header's printed totals differ: plans/zaixian.hqp). */
static hq_table *project_table(const hq_plan *p)
{
    char title[512];
    snprintf(title, sizeof title, "%s：示范项目推进计划", p->title ? p->title : p->id);
    hq_table *t = table_new(title);
    const char *heads[] = {"序号", "类别", "项目名称", "项目类型", "项目期限", "建设地点", "总投资（亿元）", "2020-2022年投资（亿元）"};
    for (size_t i = 0; t && i < sizeof heads / sizeof *heads; i++) table_add_column(t, heads[i], HQ_COL_TEXT);
    hq_fixed total = 0, invest = 0;
    for (int i = 0; t && i < p->nprojects; i++) {
        const plan_project *pr = &p->projects[i];
        char num[16], a[48], b[48];
        snprintf(num, sizeof num, "%d", pr->number);
        fixed_format_short(pr->total, false, a, sizeof a);
        fixed_format_short(pr->invest, false, b, sizeof b);
        fixed_add(total, pr->total, &total);
        fixed_add(invest, pr->invest, &invest);
        table_add_row(t);
        table_set_text(t, 0, num);
        table_set_text(t, 1, pr->category ? pr->category : "");
        table_set_text(t, 2, pr->name ? pr->name : "");
        table_set_text(t, 3, pr->type ? pr->type : "");
        table_set_text(t, 4, pr->period ? pr->period : "");
        table_set_text(t, 5, pr->place ? pr->place : "");
        table_set_text(t, 6, a);
        table_set_text(t, 7, b);
    }
    if (t) {
        char a[48], b[48];
        fixed_format_short(total, false, a, sizeof a);
        fixed_format_short(invest, false, b, sizeof b);
        table_add_row(t);
        table_set_text(t, 0, "合计");
        table_set_text(t, 6, a);
        table_set_text(t, 7, b);
    }
    return t;
}

/* 附件3: the demonstration enterprises by area. */
static hq_table *enterprise_table(const hq_plan *p)
{
    char title[512];
    snprintf(title, sizeof title, "%s：示范企业名单", p->title ? p->title : p->id);
    hq_table *t = table_new(title);
    const char *heads[] = {"序号", "地区", "企业名称"};
    for (size_t i = 0; t && i < sizeof heads / sizeof *heads; i++) table_add_column(t, heads[i], HQ_COL_TEXT);
    for (int i = 0; t && i < p->nenterprises; i++) {
        const plan_enterprise *e = &p->enterprises[i];
        char num[16];
        snprintf(num, sizeof num, "%d", e->number);
        table_add_row(t);
        table_set_text(t, 0, num);
        table_set_text(t, 1, e->region ? e->region : "");
        table_set_text(t, 2, e->name ? e->name : "");
    }
    return t;
}

/* A table of indicators × areas (the 任务分解表). */
static hq_table *area_table(const hq_plan *p)
{
    char title[512];
    snprintf(title, sizeof title, "%s（%s）", p->title ? p->title : p->id, p->id);
    hq_table *t = table_new(title);
    if (t) table_add_column(t, "指标", HQ_COL_TEXT);
    if (t) table_add_column(t, "单位", HQ_COL_TEXT);
    for (int a = 0; t && a < p->nareas; a++) table_add_column(t, p->areas[a], HQ_COL_TEXT);
    if (t) table_add_column(t, "原文", HQ_COL_TEXT);
    for (int i = 0; t && i < p->nindicators; i++) {
        const plan_indicator *ind = &p->indicators[i];
        char src[1024];
        source_line(ind->source, src, sizeof src);
        table_add_row(t);
        table_set_text(t, 0, ind->name ? ind->name : "");
        table_set_text(t, 1, ind->unit ? ind->unit : "");
        for (int a = 0; a < p->nareas; a++) {
            char v[64] = "—";
            if (ind->area_targets) target_text(&ind->area_targets[a], v, sizeof v);
            table_set_text(t, 2 + a, v);
        }
        table_set_text(t, 2 + p->nareas, src);
    }
    return t;
}

static int write_table(hq_table *t, const char *format, const char *out, bool append)
{
    if (!t || table_error(t)) {
        fprintf(stderr, "huiqi: 无法生成表格：%s\n", t ? table_error(t) : "内存不足");
        return EXIT_INTERNAL;
    }
    if (!strcmp(format, "xlsx")) {
        hq_diag d;
        diag_init(&d);
        int rc = table_write_xlsx(t, out, &d);
        if (rc) diag_print(&d, stderr);
        diag_free(&d);
        return rc ? EXIT_INTERNAL : EXIT_OK;
    }
    FILE *f = out ? fopen(out, append ? "a" : "w") : stdout;
    if (!f) {
        fprintf(stderr, "huiqi: 无法写入 %s\n", out);
        return EXIT_USAGE;
    }
    int rc = !strcmp(format, "csv") ? table_write_csv(t, f) : table_write_text(t, f);
    if (f != stdout) fclose(f);
    return rc ? EXIT_INTERNAL : EXIT_OK;
}

static int plan_list(int argc, char **argv)
{
    const char *plan = NULL, *format = "text", *out = NULL, *dir = NULL, *what = "indicators", *pos[1];
    int npos;
    cli_opt opts[] = {{"--plan", &plan, NULL}, {"--format", &format, NULL}, {"--out", &out, NULL}, {"--plans", &dir, NULL},
                      {"--list", &what, NULL}};
    int r = cli_parse(argc, argv, opts, 5, pos, 0, &npos, PLAN_USAGE);
    if (r >= 0) return r;
    bool xlsx = !strcmp(format, "xlsx");
    bool projects = !strcmp(what, "projects"), enterprises = !strcmp(what, "enterprises");
    if ((strcmp(format, "text") && strcmp(format, "csv") && !xlsx) || (xlsx && !out) ||
        (!projects && !enterprises && strcmp(what, "indicators"))) {
        fputs(xlsx ? "huiqi: --format xlsx 需要 --out FILE\n" : PLAN_USAGE, stderr);
        return EXIT_USAGE;
    }
    hq_diag d;
    diag_init(&d);
    hq_plan **plans = NULL;
    const char *where = cli_plans_dir(dir, cli_policies_dir(NULL));
    int n = plan_load_dir(where, &plans, &d);
    if (n < 0 || d.count) {
        diag_print(&d, stderr);
        fprintf(stderr, "huiqi: 规划文件有误或无法读取（%s）\n", where);
        diag_free(&d);
        for (int i = 0; i < n; i++) plan_free(plans[i]);
        free(plans);
        return EXIT_FOUND;
    }
    diag_free(&d);
    int rc = EXIT_OK, shown = 0;
    for (int i = 0; i < n && rc == EXIT_OK; i++) {
        const hq_plan *p = plans[i];
        if (p->kind != PLAN_KIND_PLAN || !p->nindicators || (plan && strcmp(plan, p->id))) continue;
        if ((projects && !p->nprojects) || (enterprises && !p->nenterprises)) continue;
        /* XLSX holds one table per file: the first plan chosen, or the one --plan names. */
        if (xlsx && shown) break;
        if (shown && !out) putchar('\n');
        hq_table *t = projects ? project_table(p) : enterprises ? enterprise_table(p) : p->nareas ? area_table(p) : indicator_table(p);
        rc = write_table(t, format, out, shown > 0);
        table_free(t);
        shown++;
    }
    if (rc == EXIT_OK && !shown) {
        fprintf(stderr, "huiqi: 没有规划「%s」\n", plan ? plan : "");
        rc = EXIT_USAGE;
    }
    for (int i = 0; i < n; i++) plan_free(plans[i]);
    free(plans);
    return rc;
}

int cmd_plan(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "list")) return plan_list(argc - 1, argv + 1);
    fputs(PLAN_USAGE, argc >= 2 && cli_is_help(argv[1]) ? stdout : stderr);
    return argc >= 2 && cli_is_help(argv[1]) ? EXIT_OK : EXIT_USAGE;
}

/* For `huiqi check`: every plan file parses; the count of plans and indicators, or -1. */
int cli_check_plans(const char *dir, int *nplans, int *nindicators)
{
    hq_diag d;
    diag_init(&d);
    hq_plan **plans = NULL;
    int n = plan_load_dir(dir, &plans, &d);
    int bad = n < 0 || d.count;
    if (bad) diag_print(&d, stderr);
    diag_free(&d);
    *nplans = n < 0 ? 0 : n;
    *nindicators = 0;
    for (int i = 0; i < n; i++) {
        *nindicators += plans[i]->nindicators;
        plan_free(plans[i]);
    }
    free(plans);
    return bad ? -1 : 0;
}
