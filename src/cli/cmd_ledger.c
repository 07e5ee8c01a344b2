/*
 * `huiqi init`: create the ledger store, or bring an older one up to the current schema.
 * (Everything else done on the ledger is an operation: ops/ops.h.)
 */
#include <stdio.h>

#include "cli/cli.h"
#include "ledger/ledger.h"

/* ---- init ------------------------------------------------------------------------------- */

static const char INIT_USAGE[] =
    "用法: huiqi init --db FILE\n"
    "  创建台账数据库 (SQLite, WAL), 或将已有数据库升级到当前版本。\n";

int cmd_init(int argc, char **argv)
{
    const char *db = NULL, *pos[1];
    int npos;
    cli_opt opts[] = {{"--db", &db, NULL}};
    int r = cli_parse(argc, argv, opts, 1, pos, 0, &npos, INIT_USAGE);
    if (r >= 0) return r;
    if (!(db = cli_db(db))) return EXIT_USAGE;
    hq_diag d;
    diag_init(&d);
    int from = 0, to = 0;
    hq_store *s = ledger_open(db, true, &from, &to, &d);
    if (!s) diag_print(&d, stderr);
    diag_free(&d);
    if (!s) return EXIT_DATA;
    if (from == to) printf("台账数据库 %s 已是最新版本 (schema %d)\n", db, to);
    else printf("台账数据库 %s 已%s (schema %d → %d)\n", db, from ? "升级" : "创建", from, to);
    store_close(s);
    return EXIT_OK;
}

