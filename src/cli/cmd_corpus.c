/*
 * Tools for the rule corpus: `huiqi check` and `huiqi disasm`. (Listing items and facts is
 * an operation: ops/op_policy.c.)
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "base/fixed.h"
#include "cli/cli.h"
#include "eval/explain.h"
#include "eval/assess_json.h"
#include "rules/program.h"

/* Shared option loop: --policies DIR, --json; anything else is returned positionally. */
typedef struct {
    const char *policies;
    bool json;
    const char *pos[4];
    int npos;
} corpus_opts;

static int parse_opts(int argc, char **argv, corpus_opts *o, const char *usage)
{
    memset(o, 0, sizeof *o);
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            printf("%s", usage);
            return EXIT_OK + 100;
        } else if (!strcmp(argv[i], "--json")) {
            o->json = true;
        } else if (!strcmp(argv[i], "--policies") && i + 1 < argc) {
            o->policies = argv[++i];
        } else if (argv[i][0] == '-' || o->npos == 4) {
            fprintf(stderr, "huiqi: 多余的参数「%s」\n%s", argv[i], usage);
            return EXIT_USAGE;
        } else {
            o->pos[o->npos++] = argv[i];
        }
    }
    return -1;
}

static const char CHECK_USAGE[] =
    "用法: huiqi check [DIR|FILE]\n"
    "  解析并检查规则库 (默认 policies/)，报告全部错误，格式 file:line:col。\n"
    "  退出码: 0 无错误; 1 有错误。\n";

int cmd_check(int argc, char **argv)
{
    corpus_opts o;
    int r = parse_opts(argc, argv, &o, CHECK_USAGE);
    if (r >= 0) return r == 100 ? EXIT_OK : r;
    const char *dir = cli_policies_dir(o.npos ? o.pos[0] : o.policies);
    hq_corpus *c = cli_load_corpus(dir);
    if (!c) return EXIT_FOUND;
    int computable = 0;
    for (int i = 0; i < c->nitems; i++) computable += c->items[i]->program != NULL;
    printf("规则库检查通过: %d 份文件, %d 个条款 (%d 可测算), %d 个事实, 哈希 %.16s\n", c->ndocs, c->nitems, computable,
           c->nfacts, c->hash);
    corpus_free(c);
    /* The plans beside the corpus, when there are any (a test corpus has none). */
    const char *plans = cli_plans_dir(NULL, dir);
    struct stat st;
    if (stat(plans, &st) != 0 || !S_ISDIR(st.st_mode)) return EXIT_OK;
    int np, ni;
    if (cli_check_plans(plans, &np, &ni)) {
        fprintf(stderr, "规划文件检查未通过（%s）\n", plans);
        return EXIT_FOUND;
    }
    printf("规划文件检查通过: %d 份文件, %d 个指标\n", np, ni);
    return EXIT_OK;
}

static const char DISASM_USAGE[] =
    "用法: huiqi disasm ITEM [--policies DIR]\n"
    "  显示条款编译后的指令 (one line per instruction: register, opcode, operands).\n";

int cmd_disasm(int argc, char **argv)
{
    corpus_opts o;
    int r = parse_opts(argc, argv, &o, DISASM_USAGE);
    if (r >= 0) return r == 100 ? EXIT_OK : r;
    if (o.npos != 1) {
        fprintf(stderr, "%s", DISASM_USAGE);
        return EXIT_USAGE;
    }
    hq_corpus *c = cli_load_corpus(cli_policies_dir(o.policies));
    if (!c) return EXIT_FOUND;
    const hq_item *it = corpus_find_item(c, o.pos[0]);
    if (!it || !it->program) {
        fprintf(stderr, "huiqi: 没有可测算的条款「%s」\n", o.pos[0]);
        corpus_free(c);
        return EXIT_USAGE;
    }
    const hq_program *p = it->program;
    printf("; item %s: %d instructions, %d registers, %d table rows\n", it->id, p->ncode, p->nregs, p->nrows);
    for (int i = 0; i < p->ncode; i++) {
        const hq_insn *in = &p->code[i];
        printf("%4d  r%-4u = %-13s r%u r%u r%u  imm=%lld%s\n", i, in->dst, hq_opcode_names[in->op], in->a, in->b, in->c,
               (long long)in->imm, in->flag ? " (negated)" : "");
    }
    for (int k = 0; k < p->nparts; k++) {
        printf("; part %d: requires", k);
        for (int q = 0; q < p->parts[k].nreq; q++) printf(" r%u", p->parts[k].req_regs[q]);
        printf("; amount r%u", p->parts[k].amount_reg);
        if (p->parts[k].cap_reg != HQ_NO_REG) printf(" cap r%u", p->parts[k].cap_reg);
        printf("\n");
    }
    corpus_free(c);
    return EXIT_OK;
}
