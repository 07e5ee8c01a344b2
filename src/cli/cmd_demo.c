/*
 * `huiqi demo-data`: writes a synthetic city (gen/democity.h) as the eight department
 * files `huiqi import` reads, validated against the rule corpus, and prints the order to
 * import them in. The same arguments always give the same files.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"
#include "gen/democity.h"
#include "gen/indicators.h"
#include "plan/plan.h"

static const char DEMO_USAGE[] =
    "用法: huiqi demo-data --out DIR [--entities N] [--seed S] [--year Y] [--policies DIR] [--plans DIR] [--gbk]\n"
    "  生成合成演示数据: 一座虚拟城市的企业名录与各部门数据, 写入 DIR 下的\n"
    "  entities.csv tax.csv stats.csv projects.csv mujun.csv credit.csv recognitions.csv awards.csv,\n"
    "  格式即 huiqi import 各类数据的格式; 每个事实、认定、条款都按规则库校验。\n"
    "  另写 indicators.csv: 十四五与在线新经济规划指标的模拟观测值 (标注模拟数据, 非统计公报)。\n"
    "  --entities N  主体数 (默认 2000, 至多 2000000; 前 14 个为各区县(功能区)政府)\n"
    "  --seed S      随机种子 (默认 2021); 相同参数总是生成相同的文件\n"
    "  --year Y      测算年度 (默认 2021): 生成 Y-1 与 Y 两年的年度数据\n"
    "  --gbk         另写 entities-gbk.csv (GB18030 编码的企业名录)\n"
    "  --plans DIR   规划文件目录 (默认规则库旁的 plans/)\n"
    "  导入顺序: entities, tax, stats, projects, mujun, credit, recognitions, awards; 另 indicators。\n";

static void free_plans(hq_plan **plans, int n)
{
    for (int i = 0; i < n; i++) plan_free(plans[i]);
    free(plans);
}

int cmd_demo_data(int argc, char **argv)
{
    const char *out = NULL, *entities = NULL, *seed = NULL, *year = NULL, *policies = NULL, *plans_dir = NULL, *pos[1];
    bool gbk = false;
    int npos;
    cli_opt opts[] = {{"--out", &out, NULL},   {"--entities", &entities, NULL}, {"--seed", &seed, NULL},
                      {"--year", &year, NULL}, {"--policies", &policies, NULL}, {"--plans", &plans_dir, NULL},
                      {"--gbk", NULL, &gbk}};
    int r = cli_parse(argc, argv, opts, (int)(sizeof opts / sizeof *opts), pos, 0, &npos, DEMO_USAGE);
    if (r >= 0) return r;
    if (!out || !*out) {
        fprintf(stderr, "huiqi demo-data: 须给出 --out 目录\n%s", DEMO_USAGE);
        return EXIT_USAGE;
    }
    long long n = 2000, s = 2021, y = 2021;
    if ((entities && !cli_int("--entities", entities, 1, DEMOCITY_MAX_ENTITIES, &n)) ||
        (seed && !cli_int("--seed", seed, 0, 9223372036854775807LL, &s)) ||
        (year && !cli_int("--year", year, DEMOCITY_MIN_YEAR, DEMOCITY_MAX_YEAR, &y)))
        return EXIT_USAGE;
    hq_corpus *c = cli_load_corpus(cli_policies_dir(policies));
    if (!c) return EXIT_FOUND;
    /* The plans first: a plan file that does not load stops the run before anything is written. */
    hq_diag d;
    diag_init(&d);
    hq_plan **plans = NULL;
    int nplans = plan_load_dir(cli_plans_dir(plans_dir, cli_policies_dir(policies)), &plans, &d);
    if (nplans < 0 || d.count > 0) {
        diag_print(&d, stderr);
        fprintf(stderr, "huiqi demo-data: 规划文件有误，未写入任何内容：%s\n", out);
        free_plans(plans, nplans);
        diag_free(&d);
        corpus_free(c);
        return EXIT_FOUND;
    }
    if (mkdir(out, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "huiqi demo-data: 无法创建 %s：%s\n", out, HQ_ERRNO_ZH(errno));
        free_plans(plans, nplans);
        diag_free(&d);
        corpus_free(c);
        return EXIT_DATA;
    }

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    democity_opts o = {.out_dir = out, .entities = (long)n, .seed = (uint64_t)s, .year = (int)y, .gbk = gbk};
    democity_counts k;
    int rc = democity_write(c, &o, &k, &d);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (rc != 0) {
        diag_print(&d, stderr);
        fprintf(stderr, "huiqi demo-data: 未写入任何内容：%s\n", out);
        free_plans(plans, nplans);
        diag_free(&d);
        corpus_free(c);
        return EXIT_FOUND;
    }
    /* The plan indicators are independent of the city; the same seed draws them. */
    long nobs = indicators_write(plans, nplans, (uint64_t)s, out, &d);
    free_plans(plans, nplans);
    if (nobs < 0) {
        diag_print(&d, stderr);
        fprintf(stderr, "huiqi demo-data: 未能写入规划指标模拟数据 %s/%s\n", out, INDICATORS_FILE);
        diag_free(&d);
        corpus_free(c);
        return EXIT_DATA;
    }
    long long ms = (long long)(t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    printf("合成城市 (种子 %lld, %lld 年度, 规则库 %.16s): %ld 个政府, %ld 家企业, %ld 个社会组织、事业单位与村集体\n", s, y,
           c->hash, k.governments, k.enterprises, k.organisations);
    for (int f = 0; f < DEMOCITY__FILES; f++)
        printf("  %s/%-17s %9ld 行\n", out, democity_file_name((democity_file)f), k.rows[f]);
    printf("  %s/%-17s %9ld 行 (规划指标, 模拟数据)\n", out, INDICATORS_FILE, nobs);
    if (gbk) printf("  %s/%-17s (GB18030)\n", out, "entities-gbk.csv");
    printf("共 %ld.%ld MB, 用时 %lld.%03lld 秒。导入:\n", k.bytes / 1000000, k.bytes / 100000 % 10, ms / 1000, ms % 1000);
    for (int f = 0; f < DEMOCITY__FILES; f++)
        printf("  huiqi import %s %s/%s\n", democity_file_kind((democity_file)f), out, democity_file_name((democity_file)f));
    printf("  huiqi import indicators %s/%s\n", out, INDICATORS_FILE);
    diag_free(&d);
    corpus_free(c);
    return EXIT_OK;
}
