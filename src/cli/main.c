/*
 * huiqi (惠企): the command-line entry point. Each verb lives in its own cmd_*.c file;
 * this file only dispatches and prints the overview.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *help;
} COMMANDS[] = {
    {"check", cmd_check, "检查规则库语法与类型 (parse and check the rule corpus)"},
    {"list", cmd_list, "列出全部政策条款 (list every item)"},
    {"facts", cmd_facts, "列出规则使用的全部事实 (list the facts the rules use)"},
    {"eval", cmd_eval, "测算企业可享受的奖补 (evaluate an entity)"},
    {"explain", cmd_explain, "解释单个条款的测算过程 (explain one item for an entity)"},
    {"test-cases", cmd_test_cases, "运行政策测试用例 (run policy case files)"},
    {"coverage", cmd_coverage, "统计各政策文件的编码与用例覆盖 (encoding and case coverage)"},
    {"disasm", cmd_disasm, "显示条款的编译结果 (show an item's compiled program)"},
    {"init", cmd_init, "创建或升级台账数据库 (create or migrate the ledger store)"},
    {"import", cmd_import, "导入部门数据 CSV/JSON (import department data)"},
    {"match", cmd_match, "免申即享: 全量匹配生成待申报清单 (match every entity)"},
    {"award", cmd_award, "奖补办理: 申报、受理、审核、公示、兑付 (the award workflow)"},
    {"report", cmd_report, "统计报表: 终端、CSV、Excel (reports)"},
    {"budget", cmd_budget, "年度预算设置与执行情况 (budgets)"},
    {"fiscal", cmd_fiscal, "现行财政体制市区分担比例 (fiscal split)"},
    {"audit", cmd_audit, "审计日志校验与查看 (verify the audit log)"},
    {"serve", cmd_serve, "HTTP 接口与中文网页 (HTTP API and web UI)"},
    {"user", cmd_user, "网页账户管理 (accounts of the web UI)"},
    {"demo-data", cmd_demo_data, "生成合成演示数据 (synthetic city data)"},
};

static void usage(FILE *out)
{
    fprintf(out, "用法 usage: huiqi <命令> [选项]\n\n");
    for (size_t i = 0; i < sizeof COMMANDS / sizeof *COMMANDS; i++)
        fprintf(out, "  %-11s %s\n", COMMANDS[i].name, COMMANDS[i].help);
    fprintf(out, "\n每个命令都支持 --help。退出码: 0 成功; 1 发现问题; 2 用法错误; 3 输入数据错误; 4 内部错误。\n");
}

int main(int argc, char **argv)
{
    if (argc < 2 || cli_is_help(argv[1])) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    for (size_t i = 0; i < sizeof COMMANDS / sizeof *COMMANDS; i++)
        if (!strcmp(argv[1], COMMANDS[i].name)) return COMMANDS[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "huiqi: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return EXIT_USAGE;
}
