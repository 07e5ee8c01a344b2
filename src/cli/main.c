/*
 * huiqi (惠企): the command-line entry point. A command is either an operation of the
 * operation table (ops/ops.h: huiqi eval, huiqi award approve, huiqi import …), run by the
 * one adapter in run_op.c, or one of the tools below that only the command line has.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "ops/ops.h"

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *help;
} TOOLS[] = {
    {"ops", cmd_ops, "列出全部操作、接口与可用角色 (the operation table)"},
    {"check", cmd_check, "检查规则库与规划文件 (parse and check the rule corpus and plans/)"},
    {"plan", cmd_plan, "规划指标：plan list 列出指标；plan status 指标进度 (plan indicators and progress)"},
    {"test-cases", cmd_test_cases, "运行政策测试用例 (run policy case files)"},
    {"coverage", cmd_coverage, "统计各政策文件的编码与用例覆盖 (encoding and case coverage)"},
    {"disasm", cmd_disasm, "显示条款的编译结果 (show an item's compiled program)"},
    {"init", cmd_init, "创建或升级台账数据库 (create or migrate the ledger store)"},
    {"migrate", cmd_migrate, "将 SQLite 台账迁移到 PostgreSQL (copy a ledger into PostgreSQL)"},
    {"serve", cmd_serve, "HTTP 接口与中文网页 (HTTP API and web UI)"},
    {"demo-data", cmd_demo_data, "生成合成演示数据 (synthetic city data)"},
};

static void usage(FILE *out)
{
    fprintf(out, "用法 usage: huiqi <命令> [选项]\n\n");
    for (int i = 0; i < OP_ID__COUNT; i++) fprintf(out, "  %-18s %s\n", OPS[i].cli, OPS[i].zh);
    fprintf(out, "\n");
    for (size_t i = 0; i < sizeof TOOLS / sizeof *TOOLS; i++) fprintf(out, "  %-18s %s\n", TOOLS[i].name, TOOLS[i].help);
    fprintf(out, "  %-18s %s\n", "eval --batch", "批量测算：每行一户企业数据 (many entities, JSON Lines)");
    fprintf(out, "  %-18s %s\n", "audit checkpoint", "写出审计链的签名检查点 (signed checkpoint of the audit chain)");
    fprintf(out, "\n每个命令都支持 --help。退出码: 0 成功; 1 发现问题或被拒绝; 2 用法错误; 3 输入数据错误; 4 内部错误。\n");
}

int main(int argc, char **argv)
{
    if (argc < 2 || cli_is_help(argv[1])) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    /* `plan status` reads the ledger, so it is an operation; `plan list` reads only the plan
     * files and stays a tool. A two-word operation is matched before the tools' first word. */
    int words0 = 0;
    const hq_op_def *def0 = ops_by_cli(argc - 1, argv + 1, &words0);
    if (def0 && words0 == 2) return cli_run_op(def0, argc - 3, argv + 3);
    for (size_t i = 0; i < sizeof TOOLS / sizeof *TOOLS; i++)
        if (!strcmp(argv[1], TOOLS[i].name)) return TOOLS[i].fn(argc - 1, argv + 1);
    /* Many entities from a file, streamed: a tool of the command line, not an operation. */
    if (!strcmp(argv[1], "eval"))
        for (int i = 2; i < argc; i++)
            if (!strcmp(argv[i], "--batch")) return cmd_eval_batch(argc - 1, argv + 1);
    /* Not an operation: it needs the key file, which only the host holds. */
    if (argc >= 3 && !strcmp(argv[1], "audit") && !strcmp(argv[2], "checkpoint")) return cmd_audit_checkpoint(argc - 2, argv + 2);
    int words = 0;
    const hq_op_def *def = ops_by_cli(argc - 1, argv + 1, &words);
    if (def) return cli_run_op(def, argc - 1 - words, argv + 1 + words);
    fprintf(stderr, "huiqi: 未知命令「%s」\n", argv[1]);
    usage(stderr);
    return EXIT_USAGE;
}
