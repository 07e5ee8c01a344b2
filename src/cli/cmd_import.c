/*
 * `huiqi import KIND FILE`: department data into the ledger (ledger/importer.h says what
 * each KIND holds and what is checked). Prints what was imported, or every error by file,
 * line and column, and exits 3 with nothing changed.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "ledger/importer.h"

static const char IMPORT_USAGE[] =
    "用法: huiqi import KIND FILE [--db FILE] [--actor 操作人] [--policies DIR]\n"
    "  KIND: entities (企业名录), tax (税务), stats (统计), projects (项目), mujun (亩均论英雄),\n"
    "        credit (严重失信名单), recognitions (认定名单), awards (既往奖补)\n"
    "  FILE: CSV (UTF-8 或 GBK) 或 JSON 数组。整个文件作为一个事务导入: 有任何错误则不写入, 并逐行列出错误。\n"
    "  同一内容重复导入不会重复写入。列名见 docs/import.md。\n";

int cmd_import(int argc, char **argv)
{
    const char *db = NULL, *actor = NULL, *policies = NULL, *pos[2];
    int npos;
    cli_opt opts[] = {{"--db", &db, NULL}, {"--actor", &actor, NULL}, {"--policies", &policies, NULL}};
    int r = cli_parse(argc, argv, opts, 3, pos, 2, &npos, IMPORT_USAGE);
    if (r >= 0) return r;
    if (npos != 2) {
        fprintf(stderr, "%s", IMPORT_USAGE);
        return EXIT_USAGE;
    }
    if (!import_kind_known(pos[0])) {
        fprintf(stderr, "huiqi import: unknown kind '%s'\n%s", pos[0], IMPORT_USAGE);
        return EXIT_USAGE;
    }
    if (!(db = cli_db(db))) return EXIT_USAGE;
    hq_corpus *c = cli_load_corpus(cli_policies_dir(policies));
    if (!c) return EXIT_FOUND;
    hq_store *s = cli_open_store(db, false);
    if (!s) {
        corpus_free(c);
        return EXIT_DATA;
    }
    hq_diag d;
    diag_init(&d);
    hq_import_opts o = {.kind = pos[0], .path = pos[1], .actor = cli_actor(actor)};
    hq_import_result res;
    int rc = ledger_import(s, c, &o, &res, &d);
    if (rc == 0 && res.duplicate) {
        printf("%s 的内容已于导入 #%lld 导入过, 未作改动\n", pos[1], (long long)res.import_id);
    } else if (rc == 0) {
        printf("导入 #%lld %s (%s, %s): %d 行", (long long)res.import_id, pos[1], pos[0], res.encoding, res.rows);
        if (res.entities) printf(", 企业 %d", res.entities);
        if (res.facts) printf(", 事实 %d", res.facts);
        if (res.recognitions) printf(", 认定 %d", res.recognitions);
        if (res.lists) printf(", 名单 %d", res.lists);
        if (res.awards) printf(", 既往奖补 %d", res.awards);
        printf("\n");
    } else {
        diag_print(&d, stderr);
        fprintf(stderr, "导入失败, 数据库未作任何改动: %d 处错误\n", d.count);
    }
    diag_free(&d);
    store_close(s);
    corpus_free(c);
    return rc == 0 ? EXIT_OK : rc > 0 ? EXIT_DATA : EXIT_INTERNAL;
}
