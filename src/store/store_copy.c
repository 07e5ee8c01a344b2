/*
 * SQLite to PostgreSQL, table by table (store_copy.h). The rows are read with sqlite3 and
 * written with PostgreSQL's COPY … FROM STDIN in its text format, the fastest way into
 * PostgreSQL and exact for every value huiqi keeps: integers as their decimal text, text
 * as it is (escaped for COPY), NULL as \N, BLOB as bytea's hex form. Knowing both back ends,
 * it lives in the storage layer beside them; the CLI only opens the two stores and checks
 * the audit chain on both sides afterwards.
 */
#include "store/store_copy.h"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/schema.h"
#include "store/store_pg.h"

typedef struct {
    char *p;
    size_t n, cap;
    bool oom;
} buf;

static void put(buf *b, const char *s, size_t n)
{
    if (b->oom) return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = (b->cap ? b->cap * 2 : 4096) + n;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

static void puts_(buf *b, const char *s)
{
    put(b, s, strlen(s));
}

/* One value in COPY's text format. */
static void put_value(buf *b, sqlite3_stmt *st, int col)
{
    int type = sqlite3_column_type(st, col);
    if (type == SQLITE_NULL) {
        puts_(b, "\\N");
    } else if (type == SQLITE_BLOB) {
        static const char HEX[] = "0123456789abcdef";
        const unsigned char *d = sqlite3_column_blob(st, col);
        int n = sqlite3_column_bytes(st, col);
        puts_(b, "\\\\x"); /* bytea's \x, its backslash escaped for COPY */
        for (int i = 0; i < n; i++) {
            char h[2] = {HEX[d[i] >> 4], HEX[d[i] & 15]};
            put(b, h, 2);
        }
    } else {
        const char *t = (const char *)sqlite3_column_text(st, col);
        int n = sqlite3_column_bytes(st, col);
        for (int i = 0; i < n; i++) {
            switch (t[i]) {
            case '\\': puts_(b, "\\\\"); break;
            case '\t': puts_(b, "\\t"); break;
            case '\n': puts_(b, "\\n"); break;
            case '\r': puts_(b, "\\r"); break;
            default: put(b, &t[i], 1);
            }
        }
    }
}

static int failf(char *err, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int failf(char *err, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, size, fmt, ap);
    va_end(ap);
    size_t n = strlen(err);
    while (n && (err[n - 1] == '\n' || err[n - 1] == ' ')) err[--n] = 0;
    return -1;
}

/* One number from a PostgreSQL query; -1 on error. */
static long long pg_count(PGconn *c, const char *sql, char *err, size_t size)
{
    PGresult *r = PQexec(c, sql);
    long long n = -1;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) n = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    else failf(err, size, "%s: %s", sql, PQresultErrorMessage(r));
    PQclear(r);
    return n;
}

static long long sq_count(sqlite3 *db, const char *sql, char *err, size_t size)
{
    sqlite3_stmt *st;
    long long n = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
    else failf(err, size, "%s: %s", sql, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return n;
}

/* The column list of a table as SQLite has it, quoted for either database. */
static int columns(sqlite3 *db, const char *table, buf *cols, char *err, size_t size)
{
    char sql[128];
    snprintf(sql, sizeof sql, "PRAGMA table_info(\"%s\")", table);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return failf(err, size, "%s: %s", table, sqlite3_errmsg(db));
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (n++) puts_(cols, ", ");
        puts_(cols, "\"");
        puts_(cols, (const char *)sqlite3_column_text(st, 1));
        puts_(cols, "\"");
    }
    sqlite3_finalize(st);
    put(cols, "", 0);
    if (cols->oom) return failf(err, size, "out of memory");
    cols->p[cols->n] = 0;
    return n ? 0 : failf(err, size, "table %s is missing from the SQLite ledger", table);
}

/* COPY one table; its row count in *rows. */
static int copy_table(sqlite3 *db, PGconn *c, const char *table, long long *rows, char *err, size_t size)
{
    buf cols = {0}, line = {0};
    int rc = -1;
    sqlite3_stmt *st = NULL;
    PGresult *r = NULL;
    if (columns(db, table, &cols, err, size)) goto out;
    char *sql = malloc(cols.n + 128);
    if (!sql) {
        failf(err, size, "out of memory");
        goto out;
    }
    snprintf(sql, cols.n + 128, "SELECT %s FROM \"%s\"", cols.p, table);
    int ok = sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK;
    snprintf(sql, cols.n + 128, "COPY \"%s\"(%s) FROM STDIN", table, cols.p);
    if (!ok) {
        free(sql);
        failf(err, size, "%s: %s", table, sqlite3_errmsg(db));
        goto out;
    }
    r = PQexec(c, sql);
    free(sql);
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        failf(err, size, "COPY %s: %s", table, PQresultErrorMessage(r));
        goto out;
    }
    PQclear(r);
    r = NULL;
    int ncols = sqlite3_column_count(st), step;
    *rows = 0;
    bool sent = true;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        line.n = 0;
        for (int i = 0; i < ncols; i++) {
            if (i) puts_(&line, "\t");
            put_value(&line, st, i);
        }
        puts_(&line, "\n");
        if (line.oom || PQputCopyData(c, line.p, (int)line.n) != 1) {
            sent = false;
            break;
        }
        (*rows)++;
    }
    const char *why = step != SQLITE_DONE && sent ? sqlite3_errmsg(db) : line.oom ? "out of memory" : NULL;
    /* Ending the COPY with an error message makes the server refuse it (and the
     * transaction): nothing half-copied can be committed. */
    if (PQputCopyEnd(c, sent && step == SQLITE_DONE ? NULL : (why ? why : "copy interrupted")) != 1) {
        failf(err, size, "COPY %s: %s", table, PQerrorMessage(c));
        goto out;
    }
    r = PQgetResult(c);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) failf(err, size, "COPY %s: %s", table, why ? why : PQresultErrorMessage(r));
    else rc = 0;
    PGresult *more;
    while ((more = PQgetResult(c))) PQclear(more);
out:
    PQclear(r);
    sqlite3_finalize(st);
    free(cols.p);
    free(line.p);
    return rc;
}

int store_copy_sqlite_to_pg(const char *sqlite_path, hq_store *pg, hq_copy_cb cb, void *ud, char *err, size_t size)
{
    PGconn *c = store_pg_conn(pg);
    if (!c) return failf(err, size, "the target is not a PostgreSQL store");
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(sqlite_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        failf(err, size, "%s: %s", sqlite_path, db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return -1;
    }
    sqlite3_busy_timeout(db, 30000);
    int rc = -1;
    bool begun = false;
    long long v = sq_count(db, "PRAGMA user_version", err, size);
    if (v < 0) goto out;
    if (v != HQ_SCHEMA_VERSION) {
        failf(err, size, "%s has schema version %lld, not %d: bring it up to date first (huiqi init --db %s)", sqlite_path, v,
              HQ_SCHEMA_VERSION, sqlite_path);
        goto out;
    }
    /* One read transaction: every table is read as of the same moment, even while the
     * SQLite ledger is still in use. */
    if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK || sq_count(db, "SELECT count(*) FROM meta", err, size) < 0)
        goto out;
    /* A table this list does not know (a schema version newer than the list) would be left
     * behind without a word: refuse instead. */
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", -1, &st,
                           NULL) != SQLITE_OK) {
        failf(err, size, "%s: %s", sqlite_path, sqlite3_errmsg(db));
        goto out;
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        const char *const *t = HQ_SCHEMA_TABLES;
        while (*t && strcmp(*t, name)) t++;
        if (!*t) {
            failf(err, size, "table %s of the SQLite ledger is not in the schema's table list (store/schema.c)", name);
            sqlite3_finalize(st);
            goto out;
        }
    }
    sqlite3_finalize(st);
    if (store_begin(pg)) {
        failf(err, size, "%s", store_error(pg));
        goto out;
    }
    begun = true;
    char sql[256];
    for (const char *const *t = HQ_SCHEMA_TABLES; *t; t++) {
        snprintf(sql, sizeof sql, "SELECT count(*) FROM (SELECT 1 FROM \"%s\" LIMIT 1) x", *t);
        long long n = pg_count(c, sql, err, size);
        if (n < 0) goto out;
        if (n) {
            failf(err, size, "the target already holds a ledger (table %s has rows): migrate copies into an empty database", *t);
            goto out;
        }
    }
    for (const char *const *t = HQ_SCHEMA_TABLES; *t; t++) {
        long long rows = 0;
        if (copy_table(db, c, *t, &rows, err, size)) goto out;
        /* An identity column would next hand out 1: it starts after the copied ids. A table
         * without one gets NULL from pg_get_serial_sequence, and setval(NULL, …) is NULL. */
        snprintf(sql, sizeof sql, "SELECT count(*) FROM pragma_table_info('%s') WHERE name = 'id'", *t);
        long long has_id = sq_count(db, sql, err, size);
        if (has_id < 0) goto out;
        snprintf(sql, sizeof sql,
                 "SELECT 0 FROM (SELECT setval(pg_get_serial_sequence('\"%s\"', 'id'), coalesce(max(id), 0) + 1, false)"
                 " FROM \"%s\") x",
                 *t, *t);
        if (has_id && pg_count(c, sql, err, size) < 0) goto out;
        if (cb) cb(*t, rows, ud);
    }
    /* Both sides counted again inside their transactions: what is committed is all there was. */
    for (const char *const *t = HQ_SCHEMA_TABLES; *t; t++) {
        snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"", *t);
        long long a = sq_count(db, sql, err, size), b = pg_count(c, sql, err, size);
        if (a < 0 || b < 0) goto out;
        if (a != b) {
            failf(err, size, "table %s: %lld rows in SQLite, %lld copied", *t, a, b);
            goto out;
        }
    }
    if (store_commit(pg)) {
        failf(err, size, "%s", store_error(pg));
        goto out;
    }
    begun = false;
    rc = 0;
out:
    if (begun) store_rollback(pg);
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(db);
    return rc;
}
