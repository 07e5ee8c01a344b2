/*
 * `huiqi init`: create the ledger store, or bring an older one up to the current schema.
 * `huiqi audit checkpoint`: a signed checkpoint of the audit chain's head, kept elsewhere
 * (ledger/audit.h); a local operator's act, since it needs the key file.
 * (Everything else done on the ledger is an operation: ops/ops.h.)
 */
#include <stdio.h>

#include "cli/cli.h"
#include "ledger/audit.h"
#include "ledger/ledger.h"

/* ---- init ------------------------------------------------------------------------------- */

static const char INIT_USAGE[] =
    "用法: huiqi init --db FILE|postgresql://…\n"
    "  创建台账数据库 (SQLite, WAL；或已存在的 PostgreSQL 数据库中的台账), 或将已有台账升级到当前版本。\n";

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


/* ---- audit checkpoint ------------------------------------------------------------------- */

static const char CHECKPOINT_USAGE[] =
    "用法: huiqi audit checkpoint [--out FILE] [--db FILE]\n"
    "  写出审计链的签名检查点（当前条数、最后一条的哈希、时间，以审计密钥签名），存放到数据库以外的地方；\n"
    "  日后用 huiqi audit verify --checkpoint FILE 核对审计链仍包含这一点（被截断或改写即失败）。\n";

int cmd_audit_checkpoint(int argc, char **argv)
{
    const char *db = NULL, *out = NULL, *pos[1];
    int npos;
    cli_opt opts[] = {{"--db", &db, NULL}, {"--out", &out, NULL}};
    int r = cli_parse(argc, argv, opts, 2, pos, 0, &npos, CHECKPOINT_USAGE);
    if (r >= 0) return r;
    if (!(db = cli_db(db))) return EXIT_USAGE;
    hq_diag d;
    diag_init(&d);
    hq_store *s = store_open_read_only(db, &d);
    if (!s) diag_print(&d, stderr);
    diag_free(&d);
    if (!s) return EXIT_DATA;
    char why[600];
    json_t *cp = audit_checkpoint(s, why, sizeof why);
    store_close(s);
    if (!cp) {
        fprintf(stderr, "huiqi: %s\n", why);
        return EXIT_FOUND;
    }
    int rc = out ? json_dump_file(cp, out, JSON_INDENT(2)) : json_dumpf(cp, stdout, JSON_INDENT(2));
    if (!out) putchar('\n');
    if (rc) fprintf(stderr, "huiqi: 无法写出检查点文件 %s\n", out ? out : "（标准输出）");
    else if (out) printf("已写出审计检查点：第%lld条，%s\n", (long long)json_integer_value(json_object_get(cp, "seq")), out);
    json_decref(cp);
    return rc ? EXIT_DATA : EXIT_OK;
}
