/*
 * `huiqi migrate --from FILE --to postgresql://…`: move a SQLite ledger into PostgreSQL
 * (issue 15). The target database must exist and hold no ledger yet; huiqi creates the
 * schema there, copies every table in one transaction (store/store_copy.h), compares row
 * counts, and then verifies the audit chain on both sides — the copy is only good if the
 * chain still proves itself where it now lives.
 *
 * The chain's HMAC key travels with it: the source's key file ("<FILE>.key", or the file
 * HUIQI_AUDIT_KEY_FILE names) is copied to where the PostgreSQL store looks for its own
 * (store_pg.c: under ~/.config/huiqi/pg/, unless HUIQI_AUDIT_KEY_FILE). A key already there
 * must be the same key, or nothing is copied.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "ledger/audit.h"
#include "ledger/ledger.h"
#include "store/store_copy.h"

static const char MIGRATE_USAGE[] =
    "用法: huiqi migrate --from FILE --to postgresql://…\n"
    "  将 SQLite 台账整体迁移到 PostgreSQL：目标数据库须已存在且尚无台账；在一个事务中按依赖顺序复制全部表，\n"
    "  核对各表行数，并复制审计密钥文件，最后在两边分别校验审计链。\n";

/* The key file's text, or 1 when there is none; -1 unreadable. */
static int read_small(const char *path, char *out, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return errno == ENOENT ? 1 : -1;
    ssize_t n = read(fd, out, size - 1);
    close(fd);
    if (n < 0) return -1;
    out[n] = 0;
    return 0;
}

/* The source's audit key where the target looks for it; 0 done (or nothing to do). */
static int carry_key(hq_store *src, hq_store *dst)
{
    char from[1100], to[1100], key[128], there[128];
    audit_key_path(src, from, sizeof from);
    audit_key_path(dst, to, sizeof to);
    if (!strcmp(from, to)) return 0;
    int rc = read_small(from, key, sizeof key);
    if (rc == 1) {
        printf("源台账没有审计密钥文件 %s：不复制密钥\n", from);
        return 0;
    }
    if (rc < 0) {
        fprintf(stderr, "huiqi: 无法读取审计密钥文件 %s：%s\n", from, HQ_ERRNO_ZH(errno));
        return -1;
    }
    rc = read_small(to, there, sizeof there);
    if (rc == 0) {
        if (strcmp(key, there)) {
            fprintf(stderr, "huiqi: 目标的审计密钥文件 %s 已存在且与源台账的密钥不同；请先移走它\n", to);
            return -1;
        }
        return 0;
    }
    int fd = open(to, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    bool ok = fd >= 0 && write(fd, key, strlen(key)) == (ssize_t)strlen(key) && fsync(fd) == 0;
    int err = errno;
    if (fd >= 0) close(fd);
    if (!ok) {
        fprintf(stderr, "huiqi: 无法写出审计密钥文件 %s：%s\n", to, HQ_ERRNO_ZH(err));
        return -1;
    }
    printf("审计密钥已复制：%s → %s\n", from, to);
    return 0;
}

static void told(const char *table, long long rows, void *ud)
{
    (void)ud;
    printf("  %-16s %10lld 行\n", table, rows);
}

/* audit verify of one side, printed; 0 intact. */
static int verify(hq_store *s, const char *which)
{
    hq_diag d;
    diag_init(&d);
    hq_audit_check x;
    int rc = audit_verify(s, NULL, &d, &x);
    if (rc < 0) fprintf(stderr, "huiqi: %s审计链校验出错：%s\n", which, store_error(s));
    else if (rc == 0 && (x.unchecked == 0))
        printf("%s审计链完整：%lld 条记录%s，%lld 项奖补、%lld 笔兑付与之一致\n", which, x.rows, x.key ? "（含密钥签名）" : "",
               x.awards, x.payments);
    else {
        printf("%s审计链校验未通过%s\n", which, x.unchecked ? "（缺少审计密钥，有记录无法核验）" : "");
        diag_print(&d, stdout);
    }
    diag_free(&d);
    return rc == 0 && x.unchecked == 0 ? 0 : -1;
}

int cmd_migrate(int argc, char **argv)
{
    const char *from = NULL, *to = NULL, *pos[1];
    int npos;
    cli_opt opts[] = {{"--from", &from, NULL}, {"--to", &to, NULL}};
    int r = cli_parse(argc, argv, opts, 2, pos, 0, &npos, MIGRATE_USAGE);
    if (r >= 0) return r;
    if (!from || !to || store_location_is_pg(from) || !store_location_is_pg(to)) {
        fputs(MIGRATE_USAGE, stderr);
        return EXIT_USAGE;
    }
    /* The source is brought to the current schema like any command would; the target is
     * created there (its database must exist). */
    hq_store *src = cli_open_store(from, false);
    if (!src) return EXIT_DATA;
    hq_store *dst = cli_open_store(to, true);
    if (!dst) {
        store_close(src);
        return EXIT_DATA;
    }
    int rc = EXIT_OK;
    char err[1024];
    if (carry_key(src, dst)) {
        rc = EXIT_DATA;
    } else {
        printf("迁移 %s → PostgreSQL：\n", from);
        if (store_copy_sqlite_to_pg(from, dst, told, NULL, err, sizeof err)) {
            fprintf(stderr, "huiqi: 迁移失败，目标未写入任何数据：%s\n", err);
            rc = EXIT_DATA;
        } else {
            printf("各表行数核对一致，已提交。\n");
            if (verify(src, "源台账 (SQLite) ") | verify(dst, "新台账 (PostgreSQL) ")) rc = EXIT_FOUND;
        }
    }
    store_close(src);
    store_close(dst);
    return rc;
}
