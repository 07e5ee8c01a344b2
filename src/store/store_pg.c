/*
 * The PostgreSQL back end of the ledger store (store.h), over libpq, chosen by a location
 * that is a libpq connection URI ("postgresql://…" or "postgres://…"). It keeps the same
 * rows as the SQLite back end, in the schema written once in schema.c, and runs the same
 * statements (store_sql.h): each is taken from SQLite's text with ?N rewritten to $N and
 * instr() to strpos(), or from a PostgreSQL variant below where SQLite-only syntax is used
 * (json_extract, last_insert_rowid, a table named user, a subquery without an alias).
 * Statements are prepared once per connection (PQprepare) and run with text parameters
 * (PQexecPrepared); results are read whole, so a callback may call the store again. An
 * import's facts are copied in bulk (COPY into a staging table, then one merge: drain, below).
 *
 * The write lock. store.h promises that store_begin takes the write lock at once, so that
 * a read-check-write sequence (an approval re-checking 附则3 and the budget, a payment made
 * once, the audit chain appended in one order) is never interleaved with another writer.
 * SQLite has one writer per file; here every writer, on every server sharing the database,
 * runs BEGIN (READ COMMITTED) and then pg_advisory_xact_lock(HQ_PG_WRITE_LOCK), which waits
 * until the previous writer's transaction has ended and is released by COMMIT or ROLLBACK.
 * READ COMMITTED takes a fresh snapshot for each statement, so once the lock is held every
 * read sees all that earlier writers committed: writers are serialised exactly as SQLite
 * serialises them, and readers, outside any write transaction, never wait. The wait is
 * bounded by lock_timeout (30 s, as SQLite's busy timeout).
 *
 * The audit key. The chain's HMAC key must live outside the database (ledger/audit.h):
 * audit.c looks for "<location>.key" unless HUIQI_AUDIT_KEY_FILE names the file. For a
 * PostgreSQL store `location` is therefore not the URL but a local path derived from it —
 * $XDG_CONFIG_HOME (or ~/.config)/huiqi/pg/<host>-<port>-<database> — so the key of a
 * database is found again on the next run; several servers sharing one database must share
 * one key, and are given it with HUIQI_AUDIT_KEY_FILE (docs/ledger.md, "PostgreSQL").
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store/schema.h"
#include "store/store.h"
#include "store/store_pg.h"
#include "store/store_sql.h"

/* pg_advisory_xact_lock's key for the ledger's write lock: "huiqi" in ASCII. Every huiqi
 * writer of every version takes this one lock; nothing else in the database should. */
#define HQ_PG_WRITE_LOCK "448646443369"

/* ---- statements ------------------------------------------------------------------------- */

#define PG_AWARD_COLS                                                                                            \
    "a.id, a.entity_id, e.credit_code, e.name, a.item, a.document, a.department, a.project, a.basis, a.kind,"    \
    " a.voucher, a.year, a.state, a.entitlement_fen, a.amount_fen, a.decision_id, a.corpus_hash, a.stage, a.note," \
    " a.reason, a.publicity_start, a.publicity_end,"                                                             \
    " coalesce((SELECT value::jsonb #>> '{}' FROM fact WHERE entity_id = a.entity_id AND name = 'district' AND year = 0), ''),"  \
    " coalesce((SELECT value::jsonb #>> '{}' FROM fact WHERE entity_id = a.entity_id AND name = 'industry' AND year = 0), ''),"  \
    " a.updated_at, a.match_run"

#define USER_COLS "id, username, password, role, credit_code, department, display_name, created_at, disabled, read_at"

/* Where PostgreSQL needs other text than SQLite's. ORDER BY on text uses COLLATE "C" so rows
 * come in SQLite's byte order whatever the database's locale. */
static const char *const PG_SQL[Q__COUNT] = {
    /* PostgreSQL wants an alias on a subquery in FROM */
    [Q_IMPORT_FIND] = "SELECT id FROM (SELECT id, sha256 FROM import WHERE kind = $1 ORDER BY id DESC LIMIT 1) latest"
                      " WHERE sha256 = $2",
    [Q_IMPORT_ADD] = "INSERT INTO import(kind, file, sha256, encoding, rows, actor, at) VALUES ($1, $2, $3, $4, $5, $6, $7)"
                     " RETURNING id",
    /* parameters only in a SELECT list have no type PostgreSQL could infer */
    [Q_FACT_FILL] = "INSERT INTO fact(entity_id, name, year, value, import_id, row)"
                    " SELECT id, $1::text, $2::bigint, $3::text, $4::bigint, 0 FROM entity WHERE id NOT IN"
                    " (SELECT entity_id FROM fact WHERE name = $1 AND year = $2 AND import_id = $4)"
                    " ON CONFLICT(entity_id, name, year) DO UPDATE SET value = excluded.value,"
                    " import_id = excluded.import_id, row = 0",
    /* $3 alone and in $3 - 1 would be typed apart (bigint, integer) */
    [Q_ENTITY_FACTS_YEAR] = "SELECT entity_id, name, year, value FROM fact WHERE entity_id BETWEEN $1 AND $2"
                            " AND year IN (0, $3::bigint, $3::bigint - 1) ORDER BY entity_id",
    [Q_ENTITY_FACTS] = "SELECT f.entity_id, f.name, f.year, f.value, i.kind, i.file, f.row, i.at FROM fact f"
                       " JOIN import i ON i.id = f.import_id WHERE f.entity_id BETWEEN $1 AND $2"
                       " ORDER BY f.entity_id, f.name COLLATE \"C\", f.year",
    [Q_ENTITY_RECS] = "SELECT entity_id, name, level, grade, date, subject FROM recognition WHERE entity_id BETWEEN $1 AND $2"
                      " ORDER BY entity_id, date COLLATE \"C\"",
    [Q_AWARD_SLOTS] = "SELECT id, entity_id, item, state, decision_id, document, department, project, basis, kind, voucher,"
                      " corpus_hash, stage, note, entitlement_fen, amount_fen FROM award"
                      " WHERE year = $1 AND entity_id BETWEEN $2 AND $3 ORDER BY entity_id, item COLLATE \"C\"",
    [Q_AWARD_GET] = "SELECT " PG_AWARD_COLS " FROM award a JOIN entity e ON e.id = a.entity_id WHERE a.id = $1",
    [Q_OBJ_ADD] = "INSERT INTO objection(award_id, lodged_by, text, lodged_at, resolution, resolver, resolved_at, note)"
                  " VALUES ($1, $2, $3, $4, '', '', '', '') RETURNING id",
    [Q_PAY_ADD] = "INSERT INTO payment(award_id, amount_fen, voucher, batch, actor, at) VALUES ($1, $2, $3, $4, $5, $6)"
                  " RETURNING id",
    [Q_PAY_SPLITS] = "SELECT payer, amount_fen FROM payment_split WHERE payment_id = $1"
                     " ORDER BY payer != '市财政', payer COLLATE \"C\"",
    [Q_BUDGET_LIST] = "SELECT year, scope, key, amount_fen, hard_fen FROM budget WHERE $1::bigint = 0 OR year = $1"
                      " ORDER BY year, scope COLLATE \"C\", key COLLATE \"C\"",
    [Q_OBS_LIST] = "SELECT plan, indicator, area, period, value, source, published, note, import_id, row FROM indicator_obs"
                   " WHERE plan = $1 AND ($2 = '' OR area = $2)"
                   " ORDER BY indicator COLLATE \"C\", area COLLATE \"C\", period COLLATE \"C\"",
    [Q_USER_PUT] = "INSERT INTO \"user\"(username, password, role, credit_code, department, display_name, created_at, disabled,"
                   " read_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT(username) DO UPDATE SET"
                   " password = excluded.password, role = excluded.role, credit_code = excluded.credit_code,"
                   " department = excluded.department, display_name = excluded.display_name, disabled = excluded.disabled,"
                   " read_at = excluded.read_at RETURNING id",
    [Q_USER_GET] = "SELECT " USER_COLS " FROM \"user\" WHERE id = $1",
    [Q_USER_BY_NAME] = "SELECT " USER_COLS " FROM \"user\" WHERE username = $1",
    [Q_USER_LIST] = "SELECT " USER_COLS " FROM \"user\" ORDER BY id",
};

/* SQLite's text for PostgreSQL: ?N → $N, instr( → strpos( (the same arguments in the same
 * order: the haystack, then the needle). A '?' or "instr(" inside a string literal would be
 * rewritten too; none of the statements has one. malloc'd. */
static char *translate(const char *sql)
{
    size_t n = strlen(sql);
    char *out = malloc(n + n / 4 + 16);
    if (!out) return NULL;
    size_t o = 0;
    for (const char *p = sql; *p;) {
        if (*p == '?' && p[1] >= '0' && p[1] <= '9') {
            out[o++] = '$';
            p++;
        } else if (!strncmp(p, "instr(", 6)) {
            memcpy(out + o, "strpos(", 7);
            o += 7;
            p += 6;
        } else {
            out[o++] = *p++;
        }
    }
    out[o] = 0;
    return out;
}

/* ---- the connection --------------------------------------------------------------------- */

typedef struct {
    hq_store base;
    PGconn *conn;
    bool prepared[Q__COUNT];
    /* An import's facts not yet written: COPY text rows for the staging table (drain). */
    char *stage;
    size_t staged, stage_cap;
    int stage_rows;
    /* Inside a bulk transaction (an import): every entity's id by credit code, read in one
     * query at the first lookup instead of a round trip per row; the write lock held for
     * the transaction keeps it true, and entity_put keeps it up to date. */
    bool bulk;
    struct known_entity {
        char code[19];
        int64_t id;
    } *known;
    size_t known_n, known_cap;
    bool known_loaded;
} pg_store;

static pg_store *PG(hq_store *s)
{
    return (pg_store *)s;
}

/* The error of a result (or of the connection): the server's primary message alone, as
 * SQLite gives one line ("what: message"), without libpq's "ERROR:" and trailing newline. */
static int fail_res(pg_store *q, const char *what, const PGresult *r)
{
    const char *m = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (!m || !*m) m = r ? PQresultErrorMessage(r) : NULL;
    if (!m || !*m) m = PQerrorMessage(q->conn);
    snprintf(q->base.err, sizeof q->base.err, "%s: %s", what, m && *m ? m : "unknown PostgreSQL error");
    size_t n = strlen(q->base.err);
    while (n && (q->base.err[n - 1] == '\n' || q->base.err[n - 1] == ' ')) q->base.err[--n] = 0;
    return -1;
}

/* Parameters of one statement, all as text except bytes (binary), 1-based like $N. */
enum { MAXP = 24 };
typedef struct {
    const char *v[MAXP];
    int len[MAXP], fmt[MAXP];
    char num[MAXP][24];
    int n;
} pg_args;

static void a_text(pg_args *a, int i, const char *s)
{
    a->v[i - 1] = s ? s : "";
    if (i > a->n) a->n = i;
}

static void a_int(pg_args *a, int i, int64_t x)
{
    snprintf(a->num[i - 1], sizeof a->num[0], "%lld", (long long)x);
    a_text(a, i, a->num[i - 1]);
}

static void a_null(pg_args *a, int i)
{
    a->v[i - 1] = NULL;
    if (i > a->n) a->n = i;
}

static void a_bytes(pg_args *a, int i, const void *data, size_t size)
{
    a->v[i - 1] = data ? data : "";
    a->len[i - 1] = (int)size;
    a->fmt[i - 1] = 1;
    if (i > a->n) a->n = i;
}

/* A lost connection is reopened between transactions (a server restarted under a running
 * huiqi serve); inside one the transaction is lost anyway and the error stands. Prepared
 * statements die with the old session. */
static void reconnect_if_lost(pg_store *q)
{
    if (PQstatus(q->conn) != CONNECTION_BAD) return;
    PQreset(q->conn);
    memset(q->prepared, 0, sizeof q->prepared);
}

static int settings(pg_store *q);

/* Statement k prepared on this connection under the name "hq<k>"; 0 or -1. */
static int prepare(pg_store *q, int k, const char *name, const char *what)
{
    if (q->prepared[k]) return 0;
    char *sql = PG_SQL[k] ? strdup(PG_SQL[k]) : translate(HQ_SQLITE_SQL[k]);
    if (!sql) {
        snprintf(q->base.err, sizeof q->base.err, "%s: out of memory", what);
        return -1;
    }
    PGresult *r = PQprepare(q->conn, name, sql, 0, NULL);
    free(sql);
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : fail_res(q, what, r);
    PQclear(r);
    if (rc == 0) q->prepared[k] = true;
    return rc;
}

/* The facts of an import are gathered as COPY text rows (pg_fact_put) and written by drain:
 * COPY into a staging table that lives for the transaction, then one INSERT … ON CONFLICT
 * that keeps, of several puts of one key, the last — what the same statements one by one
 * would have left. A statement each had cost a round trip and a plan execution per fact
 * (650 entities/s); a few statements per STAGE_MAX bytes do not. Every other statement
 * that may touch facts drains first (leaves_facts_staged names the two that cannot), so
 * statements still take effect in the order they were called; an error in the
 * facts is reported by the call that drains them (at the latest the commit), and the
 * transaction is lost with it as with any error. */
enum { STAGE_MAX = 8 << 20 };

static const char STAGE_TABLE[] =
    "CREATE TEMP TABLE IF NOT EXISTS hq_fact_stage(seq bigserial, entity_id bigint, name text, year bigint, value text,"
    " import_id bigint, row bigint) ON COMMIT DROP";
static const char STAGE_COPY[] = "COPY hq_fact_stage(entity_id, name, year, value, import_id, row) FROM STDIN";
static const char STAGE_MERGE[] =
    "INSERT INTO fact(entity_id, name, year, value, import_id, row)"
    " SELECT DISTINCT ON (entity_id, name, year) entity_id, name, year, value, import_id, row FROM hq_fact_stage"
    " ORDER BY entity_id, name, year, seq DESC"
    " ON CONFLICT(entity_id, name, year) DO UPDATE SET value = excluded.value, import_id = excluded.import_id, row = excluded.row;"
    " DELETE FROM hq_fact_stage";

static int stage_exec(pg_store *q, const char *sql, ExecStatusType want)
{
    PGresult *r = PQexec(q->conn, sql);
    int rc = PQresultStatus(r) == want ? 0 : fail_res(q, "fact", r);
    PQclear(r);
    return rc;
}

/* Send the staged rows through COPY; 0 or -1 (the copy is ended either way). */
static int stage_copy(pg_store *q)
{
    if (stage_exec(q, STAGE_COPY, PGRES_COPY_IN)) return -1;
    int sent = PQputCopyData(q->conn, q->stage, (int)q->staged) == 1;
    if (PQputCopyEnd(q->conn, sent ? NULL : "huiqi: copy aborted") != 1) sent = 0;
    int rc = sent ? 0 : fail_res(q, "fact", NULL);
    PGresult *r;
    while ((r = PQgetResult(q->conn))) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK && !rc) rc = fail_res(q, "fact", r);
        PQclear(r);
    }
    return rc;
}

static int drain(pg_store *q)
{
    if (!q->stage_rows) return 0;
    int rc = stage_exec(q, STAGE_TABLE, PGRES_COMMAND_OK);
    if (!rc) rc = stage_copy(q);
    if (!rc) rc = stage_exec(q, STAGE_MERGE, PGRES_COMMAND_OK);
    q->staged = 0;
    q->stage_rows = 0;
    return rc;
}

/* Append `s` to the staged text as a COPY text field: backslash, tab and line breaks escaped. */
static void stage_text(pg_store *q, const char *s, char end)
{
    for (; *s; s++) {
        char c = *s, esc = c == '\\' ? '\\' : c == '\t' ? 't' : c == '\n' ? 'n' : c == '\r' ? 'r' : 0;
        if (esc) q->stage[q->staged++] = '\\';
        q->stage[q->staged++] = esc ? esc : c;
    }
    q->stage[q->staged++] = end;
}

/* Room for one more row of at most `need` bytes; false out of memory. */
static bool stage_room(pg_store *q, size_t need)
{
    if (q->staged + need <= q->stage_cap) return true;
    size_t cap = q->stage_cap ? q->stage_cap : 1 << 16;
    while (cap < q->staged + need) cap *= 2;
    char *n = realloc(q->stage, cap);
    if (!n) return false;
    q->stage = n;
    q->stage_cap = cap;
    return true;
}

/* Before a statement: a connection known to be lost is reopened (between transactions
 * only: inside one, the transaction is gone and the error must stand). */
static int ensure_connected(pg_store *q)
{
    if (PQtransactionStatus(q->conn) != PQTRANS_UNKNOWN) return 0;
    reconnect_if_lost(q);
    return PQstatus(q->conn) == CONNECTION_OK ? settings(q) : 0;
}

/* A statement that failed because the connection broke under it — a server restarted while
 * huiqi serve idled — and that ran outside any transaction, so nothing was lost: reopen the
 * connection, and the caller runs the statement once more. */
static bool lost_and_back(pg_store *q, bool was_idle)
{
    if (!was_idle || PQstatus(q->conn) != CONNECTION_BAD) return false;
    reconnect_if_lost(q);
    return PQstatus(q->conn) == CONNECTION_OK && settings(q) == 0;
}

static bool result_ok(const PGresult *r)
{
    ExecStatusType st = PQresultStatus(r);
    return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

/* Run statement k; the result (tuples or command) or NULL with the error in s->err. */
/* Statements that neither read nor write facts, so staged facts may wait behind them: an
 * entities import registers each entity between its facts, and draining there had cost a
 * COPY and a merge per row. */
static bool leaves_facts_staged(int k)
{
    return k == Q_ENTITY_PUT || k == Q_ENTITY_FIND || k == Q_ENTITY_CODES;
}

static PGresult *pq_run(pg_store *q, int k, const pg_args *a, const char *what)
{
    if ((!leaves_facts_staged(k) && drain(q)) || ensure_connected(q)) return NULL;
    char name[16];
    snprintf(name, sizeof name, "hq%d", k);
    for (int attempt = 0;; attempt++) {
        bool idle = PQtransactionStatus(q->conn) == PQTRANS_IDLE;
        if (prepare(q, k, name, what)) {
            if (attempt == 0 && lost_and_back(q, idle)) continue;
            return NULL;
        }
        PGresult *r = PQexecPrepared(q->conn, name, a ? a->n : 0, a ? a->v : NULL, a ? a->len : NULL, a ? a->fmt : NULL, 0);
        if (result_ok(r)) return r;
        fail_res(q, what, r);
        PQclear(r);
        if (attempt == 0 && lost_and_back(q, idle)) continue;
        return NULL;
    }
}

/* Run a statement whose rows are not wanted. */
static int exec_done(pg_store *q, int k, const pg_args *a, const char *what)
{
    PGresult *r = pq_run(q, k, a, what);
    PQclear(r);
    return r ? 0 : -1;
}

/* Run a statement built for this call (a filter's WHERE clause): not prepared. */
static PGresult *run_sql(pg_store *q, const char *sql, const pg_args *a, const char *what)
{
    if (drain(q) || ensure_connected(q)) return NULL;
    for (int attempt = 0;; attempt++) {
        bool idle = PQtransactionStatus(q->conn) == PQTRANS_IDLE;
        PGresult *r = PQexecParams(q->conn, sql, a->n, NULL, a->v, a->len, a->fmt, 0);
        if (result_ok(r)) return r;
        fail_res(q, what, r);
        PQclear(r);
        if (attempt == 0 && lost_and_back(q, idle)) continue;
        return NULL;
    }
}

/* Simple-protocol commands (BEGIN, settings, DDL): 0 or -1. */
static int exec_simple(pg_store *q, const char *sql, const char *what)
{
    if (drain(q)) return -1;
    PGresult *r = PQexec(q->conn, sql);
    ExecStatusType st = PQresultStatus(r);
    int rc = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? 0 : fail_res(q, what, r);
    PQclear(r);
    return rc;
}

static const char *val(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? "" : PQgetvalue(r, row, col);
}

static int64_t ival(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? 0 : strtoll(PQgetvalue(r, row, col), NULL, 10);
}

static void copy(char *dst, size_t size, const PGresult *r, int row, int col)
{
    snprintf(dst, size, "%s", val(r, row, col));
}

/* ---- opening and migration -------------------------------------------------------------- */

static const hq_store_ops PG_OPS;

/* The location without a password, for messages: "postgresql://user:secret@host/db" is
 * shown as "postgresql://user:…@host/db" (a password=… keyword in the query as well). */
static void redact(const char *url, char *out, size_t size)
{
    const char *scheme = strstr(url, "://");
    const char *host = scheme ? scheme + 3 : NULL;
    const char *at = host ? strchr(host, '@') : NULL;
    const char *colon = host ? strchr(host, ':') : NULL;
    const char *slash = host ? strchr(host, '/') : NULL;
    if (at && colon && colon < at && (!slash || at < slash))
        snprintf(out, size, "%.*s\u2026%s", (int)(colon + 1 - url), url, at);
    else snprintf(out, size, "%s", url);
    char *pw = strstr(out, "password=");
    if (pw) {
        pw += 9;
        char *end = strchr(pw, '&');
        if (!end) end = pw + strlen(pw);
        memmove(pw, end, strlen(end) + 1);
    }
}

/* mkdir -p for the key's directory, private to the user. */
static void make_dirs(const char *path)
{
    char d[1024];
    snprintf(d, sizeof d, "%s", path);
    for (char *p = d + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        (void)mkdir(d, 0700);
        *p = '/';
    }
}

/* The local path that names this database's audit key file (the file comment): one per
 * host, port and database the URL reaches. */
static void key_base(const char *url, char *out, size_t size)
{
    const char *host = "", *port = "5432", *db = "";
    PQconninfoOption *opts = PQconninfoParse(url, NULL);
    for (PQconninfoOption *o = opts; o && o->keyword; o++) {
        if (!o->val || !*o->val) continue;
        if (!strcmp(o->keyword, "host")) host = o->val;
        else if (!strcmp(o->keyword, "port")) port = o->val;
        else if (!strcmp(o->keyword, "dbname")) db = o->val;
    }
    char name[512];
    snprintf(name, sizeof name, "%s-%s-%s", *host ? host : "local", port, *db ? db : "postgres");
    for (char *p = name; *p; p++)
        if (*p == '/' || *p == ' ' || *p == '?' || *p == '&' || *p == '=') *p = '_';
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    if (xdg && *xdg) snprintf(out, size, "%s/huiqi/pg/%s", xdg, name);
    else snprintf(out, size, "%s/.config/huiqi/pg/%s", home && *home ? home : ".", name);
    PQconninfoFree(opts);
}

/* libpq's notices (a table that already exists, …) would go to stderr: huiqi reports its
 * own errors. */
static void quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/* Per-session settings, again after a reconnection. */
static int settings(pg_store *q)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SET client_encoding = 'UTF8'; SET lock_timeout = '30s'; SET default_transaction_isolation = 'read committed';%s",
             q->base.read_only ? " SET default_transaction_read_only = on;" : "");
    return exec_simple(q, sql, "connection settings");
}

/* Whether huiqi has created its schema in this database (the version table exists). */
static int has_schema(pg_store *q, bool *yes)
{
    if (drain(q)) return -1;
    PGresult *r = PQexec(q->conn, "SELECT to_regclass('schema_version') IS NOT NULL");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        fail_res(q, "schema version", r);
        PQclear(r);
        return -1;
    }
    *yes = !strcmp(PQgetvalue(r, 0, 0), "t");
    PQclear(r);
    return 0;
}

static hq_store *open_pg(const char *url, bool create, bool read_only, hq_diag *diag)
{
    char shown[1024];
    redact(url, shown, sizeof shown);
    pg_store *q = calloc(1, sizeof *q);
    if (!q) {
        diag_add(diag, shown, "out of memory");
        return NULL;
    }
    q->base.ops = &PG_OPS;
    q->base.read_only = read_only;
    key_base(url, q->base.location, sizeof q->base.location);
    if (!read_only && !getenv("HUIQI_AUDIT_KEY_FILE")) make_dirs(q->base.location);
    q->conn = PQconnectdb(url);
    if (PQstatus(q->conn) != CONNECTION_OK) {
        char m[512];
        snprintf(m, sizeof m, "%s", PQerrorMessage(q->conn));
        m[strcspn(m, "\n")] = 0;
        diag_add(diag, shown, "cannot connect to PostgreSQL: %s", m);
        PQfinish(q->conn);
        free(q);
        return NULL;
    }
    PQsetNoticeProcessor(q->conn, quiet, NULL);
    bool schema = false;
    if (settings(q) || has_schema(q, &schema) || (!schema && !create)) {
        if (q->base.err[0]) diag_add(diag, shown, "not a usable PostgreSQL database: %s", q->base.err);
        else diag_add(diag, shown, "no huiqi ledger in this database (create it with: huiqi init --db URL)");
        PQfinish(q->conn);
        free(q);
        return NULL;
    }
    return &q->base;
}

hq_store *store_pg_open(const char *url, bool create, hq_diag *diag)
{
    return open_pg(url, create, false, diag);
}

hq_store *store_pg_open_read_only(const char *url, hq_diag *diag)
{
    return open_pg(url, false, true, diag);
}

PGconn *store_pg_conn(hq_store *s)
{
    return s && s->ops == &PG_OPS ? PG(s)->conn : NULL;
}

static void pg_close(hq_store *s)
{
    if (!s) return;
    PQfinish(PG(s)->conn);
    free(PG(s)->stage);
    free(s);
}

static const char *pg_error(hq_store *s)
{
    return s->err;
}

/* BEGIN and the write lock (the file comment). */
static int begin_locked(pg_store *q, const char *what)
{
    if (drain(q) || ensure_connected(q)) return -1;
    if (PQstatus(q->conn) != CONNECTION_OK) return fail_res(q, what, NULL);
    if (PQtransactionStatus(q->conn) != PQTRANS_IDLE) {
        snprintf(q->base.err, sizeof q->base.err, "%s: cannot start a transaction within a transaction", what);
        return -1;
    }
    for (int attempt = 0;; attempt++) {
        if (!exec_simple(q, "BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock(" HQ_PG_WRITE_LOCK ")", what))
            return 0;
        if (attempt == 0 && lost_and_back(q, true)) continue;
        if (PQtransactionStatus(q->conn) != PQTRANS_IDLE) PQclear(PQexec(q->conn, "ROLLBACK"));
        return -1;
    }
}

/* COMMIT of a failed transaction is answered "ROLLBACK" without an error: that is a failure. */
/* ---- the entities a bulk transaction knows (pg_store.known) ----------------------------- */

static void known_forget(pg_store *q)
{
    free(q->known);
    q->known = NULL;
    q->known_n = q->known_cap = 0;
    q->known_loaded = q->bulk = false;
}

/* Out of memory for the table: drop it for the rest of the transaction, lookups going to the
 * server again (still in bulk, already loaded once). */
static void known_drop(pg_store *q)
{
    bool bulk = q->bulk;
    known_forget(q);
    q->bulk = bulk;
    q->known_loaded = true;
}

static uint64_t known_hash(const char *code)
{
    uint64_t h = 1469598103934665603u;
    for (; *code; code++) h = (h ^ (unsigned char)*code) * 1099511628211u;
    return h;
}

/* The slot of `code`: its entry, or the empty slot where it would go. */
static struct known_entity *known_slot(pg_store *q, const char *code)
{
    size_t mask = q->known_cap - 1, j = known_hash(code) & mask;
    while (q->known[j].code[0] && strcmp(q->known[j].code, code)) j = (j + 1) & mask;
    return &q->known[j];
}

/* Record code → id; false out of memory (the table is then dropped and lookups go to the server). */
static bool known_add(pg_store *q, const char *code, int64_t id)
{
    if (strlen(code) >= sizeof q->known->code) return true; /* not a credit code: never looked up */
    if (2 * (q->known_n + 1) > q->known_cap) {
        size_t cap = q->known_cap ? q->known_cap * 2 : 1 << 16;
        struct known_entity *old = q->known, *n = calloc(cap, sizeof *n);
        if (!n) return false;
        size_t oldcap = q->known_cap;
        q->known = n;
        q->known_cap = cap;
        for (size_t i = 0; i < oldcap; i++)
            if (old[i].code[0]) *known_slot(q, old[i].code) = old[i];
        free(old);
    }
    struct known_entity *e = known_slot(q, code);
    if (!e->code[0]) q->known_n++;
    snprintf(e->code, sizeof e->code, "%s", code);
    e->id = id;
    return true;
}

/* Read every entity's id once; false when it cannot be (the lookups then go to the server). */
static bool known_load(pg_store *q)
{
    q->known_loaded = true;
    PGresult *r = pq_run(q, Q_ENTITY_CODES, NULL, "entities");
    if (!r) return false;
    bool ok = true;
    for (int i = 0; ok && i < PQntuples(r); i++) ok = known_add(q, val(r, i, 0), ival(r, i, 1));
    PQclear(r);
    if (!ok) known_drop(q);
    return ok;
}

static int pq_commit(pg_store *q, const char *what)
{
    known_forget(q);
    if (drain(q)) {
        PQclear(PQexec(q->conn, "ROLLBACK"));
        return -1;
    }
    PGresult *r = PQexec(q->conn, "COMMIT");
    int rc = 0;
    if (PQresultStatus(r) != PGRES_COMMAND_OK) rc = fail_res(q, what, r);
    else if (strcmp(PQcmdStatus(r), "COMMIT")) {
        snprintf(q->base.err, sizeof q->base.err, "%s: the transaction had failed and was rolled back", what);
        rc = -1;
    }
    PQclear(r);
    return rc;
}

static void pq_rollback(pg_store *q)
{
    known_forget(q);
    q->staged = 0; /* facts not yet sent are dropped with the rest */
    q->stage_rows = 0;
    PGTransactionStatusType t = PQtransactionStatus(q->conn);
    if (t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE) {
        PGresult *r = PQexec(q->conn, "ROLLBACK");
        PQclear(r);
    }
}

/* The version in the one-row table schema_version, 0 when huiqi has not created it yet. */
static int read_version(pg_store *q, int *v)
{
    bool exists;
    if (has_schema(q, &exists)) return -1;
    *v = 0;
    if (!exists) return 0;
    PGresult *r = PQexec(q->conn, "SELECT version FROM schema_version");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        fail_res(q, "schema version", r);
        PQclear(r);
        return -1;
    }
    if (PQntuples(r) == 1) *v = (int)ival(r, 0, 0);
    PQclear(r);
    return 0;
}

/* Each version in its own transaction holding the write lock, so two huiqi starting at once
 * on an old database migrate it once: the second finds the version already raised. DDL is
 * transactional in PostgreSQL, so a failed step leaves the previous version intact. */
static int pg_migrate(hq_store *s, int *from, int *to)
{
    pg_store *q = PG(s);
    int v;
    if (s->read_only) {
        if (read_version(q, &v)) return -1;
        *from = *to = v;
        if (v != HQ_SCHEMA_VERSION) {
            snprintf(s->err, sizeof s->err, "the database has schema version %d, this huiqi reads %d", v, HQ_SCHEMA_VERSION);
            return -1;
        }
        return 0;
    }
    /* Up to date (every run but the first after an upgrade): nothing to lock, so a command
     * that only reads never waits for a writer. */
    if (read_version(q, &v)) return -1;
    if (v == HQ_SCHEMA_VERSION) {
        *from = *to = v;
        return 0;
    }
    for (bool first = true;; first = false) {
        if (begin_locked(q, "migration")) return -1;
        if (exec_simple(q,
                        "CREATE TABLE IF NOT EXISTS schema_version(one BOOLEAN PRIMARY KEY DEFAULT true CHECK(one),"
                        " version INTEGER NOT NULL);"
                        "INSERT INTO schema_version(one, version) VALUES (true, 0) ON CONFLICT DO NOTHING",
                        "schema version") ||
            read_version(q, &v)) {
            pq_rollback(q);
            return -1;
        }
        if (first) *from = *to = v;
        if (v > HQ_SCHEMA_VERSION) {
            pq_rollback(q);
            snprintf(s->err, sizeof s->err, "the database has schema version %d, newer than this huiqi (%d)", v, HQ_SCHEMA_VERSION);
            return -1;
        }
        if (v == HQ_SCHEMA_VERSION) return pq_commit(q, "migration");
        char *ddl = schema_migration(v + 1, HQ_DIALECT_PG);
        char what[64], bump[96];
        snprintf(what, sizeof what, "migration to version %d failed", v + 1);
        snprintf(bump, sizeof bump, "UPDATE schema_version SET version = %d", v + 1);
        if (!ddl) {
            pq_rollback(q);
            snprintf(s->err, sizeof s->err, "%s: out of memory", what);
            return -1;
        }
        int rc = exec_simple(q, ddl, what);
        free(ddl);
        if (rc || exec_simple(q, bump, what) || pq_commit(q, what)) {
            pq_rollback(q);
            return -1;
        }
        *to = v + 1;
    }
}

static int pg_begin(hq_store *s)
{
    return begin_locked(PG(s), "begin");
}

/* PostgreSQL checks foreign keys at the end of each statement, cheaply against the primary
 * keys' indexes; there is nothing to switch off, and the import's checks stay. */
static int pg_begin_bulk(hq_store *s)
{
    int rc = begin_locked(PG(s), "bulk begin");
    PG(s)->bulk = rc == 0;
    return rc;
}

static int pg_commit(hq_store *s)
{
    return pq_commit(PG(s), "commit");
}

static void pg_rollback(hq_store *s)
{
    pq_rollback(PG(s));
}

static int pg_meta_get(hq_store *s, const char *key, char *out, size_t size)
{
    pg_store *q = PG(s);
    pg_args a = {0};
    a_text(&a, 1, key);
    PGresult *r = pq_run(q, Q_META_GET, &a, "meta");
    if (!r) return -1;
    int rc = PQntuples(r) ? 0 : 1;
    if (rc == 0) copy(out, size, r, 0, 0);
    else if (size) out[0] = 0;
    PQclear(r);
    return rc;
}

static int pg_meta_set(hq_store *s, const char *key, const char *value)
{
    pg_args a = {0};
    a_text(&a, 1, key);
    a_text(&a, 2, value);
    return exec_done(PG(s), Q_META_SET, &a, "meta");
}

/* ---- imports, entities, facts ----------------------------------------------------------- */

/* One id from a single-row query; 1 when there is no row. */
static int one_id(pg_store *q, int k, const pg_args *a, int64_t *id, const char *what)
{
    PGresult *r = pq_run(q, k, a, what);
    if (!r) return -1;
    int rc = PQntuples(r) ? 0 : 1;
    if (rc == 0) *id = ival(r, 0, 0);
    PQclear(r);
    return rc;
}

static int pg_import_find(hq_store *s, const char *kind, const char *sha256, int64_t *id)
{
    pg_args a = {0};
    a_text(&a, 1, kind);
    a_text(&a, 2, sha256);
    return one_id(PG(s), Q_IMPORT_FIND, &a, id, "import lookup");
}

static int pg_import_add(hq_store *s, hq_import_rec *r)
{
    pg_args a = {0};
    a_text(&a, 1, r->kind);
    a_text(&a, 2, r->file);
    a_text(&a, 3, r->sha256);
    a_text(&a, 4, r->encoding);
    a_int(&a, 5, r->rows);
    a_text(&a, 6, r->actor);
    a_text(&a, 7, r->at);
    return one_id(PG(s), Q_IMPORT_ADD, &a, &r->id, "import") ? -1 : 0;
}

static int pg_entity_put(hq_store *s, const char *code, const char *name, int64_t import_id, int row, int64_t *id)
{
    pg_store *q = PG(s);
    pg_args a = {0};
    a_text(&a, 1, code);
    a_text(&a, 2, name);
    a_int(&a, 3, import_id);
    a_int(&a, 4, row);
    int rc = one_id(q, Q_ENTITY_PUT, &a, id, "entity");
    if (rc == 0 && q->known && !known_add(q, code, *id)) known_drop(q);
    if (rc != 1) return rc;
    /* An existing entity and an empty name: the upsert changed nothing and returned no row. */
    pg_args f = {0};
    a_text(&f, 1, code);
    rc = one_id(q, Q_ENTITY_FIND, &f, id, "entity");
    if (rc == 1) snprintf(q->base.err, sizeof q->base.err, "entity: %s vanished", code);
    return rc == 1 ? -1 : rc;
}

static int pg_entity_find(hq_store *s, const char *code, int64_t *id)
{
    pg_store *q = PG(s);
    if (q->bulk && !q->known_loaded) known_load(q);
    if (q->bulk && q->known) {
        const struct known_entity *e = strlen(code) < sizeof e->code ? known_slot(q, code) : NULL;
        if (!e || !e->code[0]) return 1;
        *id = e->id;
        return 0;
    }
    pg_args a = {0};
    a_text(&a, 1, code);
    return one_id(PG(s), Q_ENTITY_FIND, &a, id, "entity lookup");
}

static int pg_entity_count(hq_store *s, int64_t *n)
{
    return one_id(PG(s), Q_ENTITY_COUNT, NULL, n, "entity count") < 0 ? -1 : 0;
}

/* Every entity's value of one fact for one year, in entity order. */
static int pg_fact_values(hq_store *s, const char *fact, int year, hq_fact_value_cb cb, void *ud)
{
    pg_args a = {0};
    a_text(&a, 1, fact);
    a_int(&a, 2, year);
    PGresult *r = pq_run(PG(s), Q_FACT_VALUES, &a, "fact values");
    if (!r) return -1;
    for (int i = 0; i < PQntuples(r); i++)
        if (cb(ival(r, i, 0), val(r, i, 1), ud)) break;
    PQclear(r);
    return 0;
}

static int pg_fact_put(hq_store *s, int64_t entity, const char *fact, int year, const char *value, int64_t import_id, int row)
{
    pg_store *q = PG(s);
    /* Staged inside a transaction only (drain above): outside one each fact commits alone. */
    if (PQtransactionStatus(q->conn) != PQTRANS_INTRANS) {
        pg_args a = {0};
        a_int(&a, 1, entity);
        a_text(&a, 2, fact);
        a_int(&a, 3, year);
        a_text(&a, 4, value);
        a_int(&a, 5, import_id);
        a_int(&a, 6, row);
        return exec_done(q, Q_FACT_PUT, &a, "fact");
    }
    char nums[3][24];
    snprintf(nums[0], sizeof nums[0], "%lld", (long long)entity);
    snprintf(nums[1], sizeof nums[1], "%d", year);
    snprintf(nums[2], sizeof nums[2], "%lld", (long long)import_id);
    char rowtext[16];
    snprintf(rowtext, sizeof rowtext, "%d", row);
    if (!stage_room(q, 2 * (strlen(fact) + strlen(value)) + 96)) {
        snprintf(q->base.err, sizeof q->base.err, "fact: out of memory");
        return -1;
    }
    stage_text(q, nums[0], '\t');
    stage_text(q, fact, '\t');
    stage_text(q, nums[1], '\t');
    stage_text(q, value, '\t');
    stage_text(q, nums[2], '\t');
    stage_text(q, rowtext, '\n');
    q->stage_rows++;
    return q->staged >= STAGE_MAX ? drain(q) : 0;
}

/* Every entity this import did not mention gets `value` for the fact (store_sqlite.c). */
static int pg_fact_fill(hq_store *s, const char *fact, int year, const char *value, int64_t import_id)
{
    pg_args a = {0};
    a_text(&a, 1, fact);
    a_int(&a, 2, year);
    a_text(&a, 3, value);
    a_int(&a, 4, import_id);
    return exec_done(PG(s), Q_FACT_FILL, &a, "fact fill");
}

static int pg_list_replace(hq_store *s, const char *list, int64_t import_id)
{
    pg_args a = {0};
    a_text(&a, 1, list);
    a_int(&a, 2, import_id);
    return exec_done(PG(s), Q_LIST_REPLACE, &a, "list replace");
}

static int pg_recognition_put(hq_store *s, int64_t entity, const char *name, const char *level, const char *grade,
                              const char *date, const char *subject, int64_t import_id, int row)
{
    pg_args a = {0};
    a_int(&a, 1, entity);
    a_text(&a, 2, name);
    a_text(&a, 3, level);
    a_text(&a, 4, grade);
    a_text(&a, 5, date);
    a_int(&a, 6, import_id);
    a_int(&a, 7, row);
    a_text(&a, 8, subject);
    return exec_done(PG(s), Q_REC_PUT, &a, "recognition");
}

static int pg_list_put(hq_store *s, int64_t entity, const char *list, int64_t import_id, int row)
{
    pg_args a = {0};
    a_int(&a, 1, entity);
    a_text(&a, 2, list);
    a_int(&a, 3, import_id);
    a_int(&a, 4, row);
    return exec_done(PG(s), Q_LIST_PUT, &a, "list");
}

static int pg_past_award_put(hq_store *s, int64_t entity, const hq_past_rec *p, int64_t import_id, int row)
{
    pg_args a = {0};
    a_int(&a, 1, entity);
    a_text(&a, 2, p->item);
    a_text(&a, 3, p->project);
    a_text(&a, 4, p->basis);
    a_int(&a, 5, p->year);
    a_int(&a, 6, p->data_year);
    a_text(&a, 7, p->level);
    a_text(&a, 8, p->form);
    a_int(&a, 9, p->amount_fen);
    a_text(&a, 10, p->note);
    a_int(&a, 11, import_id);
    a_int(&a, 12, row);
    a_text(&a, 13, p->part);
    return exec_done(PG(s), Q_PAST_PUT, &a, "past award");
}

/* ---- entity documents ------------------------------------------------------------------- */

static int known_flags(hq_store *s, bool *lists, bool *recs)
{
    char l[8], r[8];
    if (pg_meta_get(s, "lists_imported", l, sizeof l) < 0 || pg_meta_get(s, "recognitions_imported", r, sizeof r) < 0) return -1;
    *lists = l[0] != 0;
    *recs = r[0] != 0;
    return 0;
}

/* Rows grouped per entity, as store_sqlite.c does: one query per kind of row over the
 * chunk's id range, in entity order, into arena arrays. */
static int pg_entity_rows(hq_store *s, int64_t after_id, int limit, int year, hq_arena *ar, hq_entity_rows *out, int64_t *ids,
                          int *n)
{
    pg_store *q = PG(s);
    *n = 0;
    bool lists_known, recs_known;
    if (known_flags(s, &lists_known, &recs_known)) return -1;
    pg_args a = {0};
    a_int(&a, 1, after_id);
    a_int(&a, 2, limit);
    PGresult *r = pq_run(q, Q_ENTITIES, &a, "entities");
    if (!r) return -1;
    for (int i = 0; i < PQntuples(r) && *n < limit; i++) {
        hq_entity_rows *e = &out[*n];
        memset(e, 0, sizeof *e);
        ids[*n] = ival(r, i, 0);
        e->credit_code = arena_strdup(ar, val(r, i, 1));
        e->name = arena_strdup(ar, val(r, i, 2));
        e->recs_known = recs_known;
        e->lists_known = lists_known;
        if (!e->credit_code || !e->name) break;
        (*n)++;
    }
    PQclear(r);
    if (*n == 0) return 0;
    static const int QUERY[3] = {Q_ENTITY_FACTS_YEAR, Q_ENTITY_RECS, Q_ENTITY_LISTS};
    static const size_t ELEM[3] = {sizeof(hq_fact_row), sizeof(hq_rec_row), sizeof(const char *)};
    for (int p = 0; p < 3; p++) {
        pg_args b = {0};
        a_int(&b, 1, ids[0]);
        a_int(&b, 2, ids[*n - 1]);
        if (p == 0) a_int(&b, 3, year);
        r = pq_run(q, QUERY[p], &b, "entity rows");
        if (!r) return -1;
        int rows = PQntuples(r);
        /* The whole result is here: one arena array of its size, and each entity's run of
         * rows is a slice of it. */
        char *arr = rows ? arena_alloc(ar, ELEM[p] * (size_t)rows) : NULL;
        if (rows && !arr) {
            PQclear(r);
            snprintf(q->base.err, sizeof q->base.err, "entity chunk too large for memory");
            return -1;
        }
        int k = 0, used = 0;
        for (int i = 0; i < rows; i++) {
            int64_t eid = ival(r, i, 0);
            while (k < *n && ids[k] < eid) k++;
            if (k == *n || ids[k] != eid) continue;
            hq_entity_rows *e = &out[k];
            const char *c1 = arena_strdup(ar, val(r, i, 1));
            if (p == 0) {
                hq_fact_row *fr = (hq_fact_row *)(void *)arr + used;
                if (!e->nfacts) e->facts = fr;
                *fr = (hq_fact_row){.name = c1}; /* grown by realloc: every field set */
                fr->year = (int)ival(r, i, 2);
                fr->value = arena_strdup(ar, val(r, i, 3));
                e->nfacts++;
            } else if (p == 1) {
                hq_rec_row *rr = (hq_rec_row *)(void *)arr + used;
                if (!e->nrecs) e->recs = rr;
                rr->name = c1;
                rr->level = arena_strdup(ar, val(r, i, 2));
                rr->grade = arena_strdup(ar, val(r, i, 3));
                rr->date = arena_strdup(ar, val(r, i, 4));
                rr->subject = arena_strdup(ar, val(r, i, 5));
                e->nrecs++;
            } else {
                const char **lr = (const char **)(void *)arr + used;
                if (!e->nlists) e->lists = lr;
                *lr = c1;
                e->nlists++;
            }
            used++;
        }
        PQclear(r);
    }
    return 0;
}

/* One entity as rows, with every year's facts and where each came from. */
static int pg_entity_get(hq_store *s, int64_t id, hq_arena *ar, hq_entity_rows *out)
{
    pg_store *q = PG(s);
    memset(out, 0, sizeof *out);
    bool lists_known, recs_known;
    if (known_flags(s, &lists_known, &recs_known)) return -1;
    pg_args a = {0};
    a_int(&a, 1, id - 1);
    a_int(&a, 2, 1);
    PGresult *r = pq_run(q, Q_ENTITIES, &a, "entity");
    if (!r) return -1;
    bool found = PQntuples(r) == 1 && ival(r, 0, 0) == id;
    if (found) {
        out->credit_code = arena_strdup(ar, val(r, 0, 1));
        out->name = arena_strdup(ar, val(r, 0, 2));
    }
    PQclear(r);
    if (!found) return 1;
    out->recs_known = recs_known;
    out->lists_known = lists_known;
    /* The same bounds as the SQLite back end. */
    enum { MAX_FACTS = (1 << 16) / 16, MAX_RECS = 512, MAX_LISTS = 64 };
    pg_args b = {0};
    a_int(&b, 1, id);
    a_int(&b, 2, id);
    r = pq_run(q, Q_ENTITY_FACTS, &b, "facts");
    if (!r) return -1;
    int rows = PQntuples(r);
    if (rows > MAX_FACTS) {
        PQclear(r);
        snprintf(q->base.err, sizeof q->base.err, "entity (too many facts)");
        return -1;
    }
    hq_fact_row *facts = arena_alloc(ar, sizeof *facts * (size_t)(rows ? rows : 1));
    if (!facts) {
        PQclear(r);
        snprintf(q->base.err, sizeof q->base.err, "entity (memory)");
        return -1;
    }
    for (int i = 0; i < rows; i++) {
        hq_fact_row *f = &facts[out->nfacts++];
        f->name = arena_strdup(ar, val(r, i, 1));
        f->year = (int)ival(r, i, 2);
        f->value = arena_strdup(ar, val(r, i, 3));
        f->dataset = arena_printf(ar, "%s:%s#%d", val(r, i, 4), val(r, i, 5), (int)ival(r, i, 6));
        f->date = arena_printf(ar, "%.10s", val(r, i, 7));
    }
    PQclear(r);
    r = pq_run(q, Q_ENTITY_RECS, &b, "recognitions");
    if (!r) return -1;
    rows = PQntuples(r);
    hq_rec_row *recs = arena_alloc(ar, sizeof *recs * (size_t)(rows ? rows : 1));
    if (rows > MAX_RECS || !recs) {
        PQclear(r);
        snprintf(q->base.err, sizeof q->base.err, rows > MAX_RECS ? "entity (too many recognitions)" : "entity (memory)");
        return -1;
    }
    for (int i = 0; i < rows; i++) {
        hq_rec_row *rr = &recs[out->nrecs++];
        rr->name = arena_strdup(ar, val(r, i, 1));
        rr->level = arena_strdup(ar, val(r, i, 2));
        rr->grade = arena_strdup(ar, val(r, i, 3));
        rr->date = arena_strdup(ar, val(r, i, 4));
        rr->subject = arena_strdup(ar, val(r, i, 5));
    }
    PQclear(r);
    r = pq_run(q, Q_ENTITY_LISTS, &b, "lists");
    if (!r) return -1;
    rows = PQntuples(r);
    const char **lists = arena_alloc(ar, sizeof *lists * (size_t)(rows ? rows : 1));
    if (rows > MAX_LISTS || !lists) {
        PQclear(r);
        snprintf(q->base.err, sizeof q->base.err, rows > MAX_LISTS ? "entity (too many lists)" : "entity (memory)");
        return -1;
    }
    for (int i = 0; i < rows; i++) lists[out->nlists++] = arena_strdup(ar, val(r, i, 1));
    PQclear(r);
    out->facts = facts;
    out->recs = recs;
    out->lists = lists;
    return 0;
}

/* The entity's past awards as rows: the imported ones, the claims of its awards in one of
 * `states`, and (kept before claims were) such awards themselves. */
static int history_between(hq_store *s, int64_t lo, int64_t hi, int64_t except_award, unsigned states, hq_history_cb cb,
                           void *ud)
{
    pg_store *q = PG(s);
    char mask[256];
    award_states_text(states, mask, sizeof mask);
    pg_args a = {0};
    a_int(&a, 1, lo);
    a_int(&a, 2, hi);
    PGresult *r = pq_run(q, Q_HIST_PAST, &a, "history");
    if (!r) return -1;
    bool stop = false;
    for (int i = 0; i < PQntuples(r) && !stop; i++) {
        hq_history_row h = {.item = val(r, i, 0), .project = val(r, i, 1), .basis = val(r, i, 2),
                            .year = (int)ival(r, i, 3), .data_year = (int)ival(r, i, 4),
                            .district_level = !strcmp(val(r, i, 5), "区"), .voucher = !strcmp(val(r, i, 6), "服务券"),
                            .amount_fen = ival(r, i, 7), .part = val(r, i, 8), .entity = ival(r, i, 9)};
        stop = cb(&h, ud) != 0;
    }
    PQclear(r);
    /* As SQLite does: a callback's stop ends one query's rows, not the next query. */
    for (int k = 0; k < 2; k++) {
        pg_args b = {0};
        a_int(&b, 1, lo);
        a_int(&b, 2, except_award);
        a_text(&b, 3, mask);
        a_int(&b, 4, hi);
        r = pq_run(q, k == 0 ? Q_HIST_CLAIMS : Q_HIST_AWARDS, &b, "history");
        if (!r) return -1;
        for (int i = 0; i < PQntuples(r); i++) {
            hq_history_row h = {.item = val(r, i, 0), .part = "", .project = "", .basis = ""};
            if (k == 0) {
                h.part = val(r, i, 1);
                h.project = val(r, i, 2);
                h.basis = val(r, i, 3);
                h.year = (int)ival(r, i, 4);
                h.data_year = (int)ival(r, i, 5);
                h.amount_fen = ival(r, i, 6);
                h.voucher = ival(r, i, 7) != 0;
                h.entity = ival(r, i, 8);
            } else {
                h.data_year = (int)ival(r, i, 1); /* an award's year is its data year */
                h.amount_fen = ival(r, i, 2);
                h.voucher = ival(r, i, 3) != 0;
                h.entity = ival(r, i, 4);
            }
            if (cb(&h, ud)) break;
        }
        PQclear(r);
    }
    return 0;
}

static int pg_history_rows(hq_store *s, int64_t entity, int64_t except_award, unsigned states, hq_history_cb cb, void *ud)
{
    return history_between(s, entity, entity, except_award, states, cb, ud);
}

static int pg_history_rows_range(hq_store *s, int64_t lo, int64_t hi, unsigned states, hq_history_cb cb, void *ud)
{
    return history_between(s, lo, hi, 0, states, cb, ud);
}

/* ---- awards ----------------------------------------------------------------------------- */

static void read_award(const PGresult *r, int i, hq_award_rec *a)
{
    memset(a, 0, sizeof *a);
    a->id = ival(r, i, 0);
    a->entity_id = ival(r, i, 1);
    copy(a->credit_code, sizeof a->credit_code, r, i, 2);
    copy(a->entity_name, sizeof a->entity_name, r, i, 3);
    copy(a->item, sizeof a->item, r, i, 4);
    copy(a->document, sizeof a->document, r, i, 5);
    copy(a->department, sizeof a->department, r, i, 6);
    copy(a->project, sizeof a->project, r, i, 7);
    copy(a->basis, sizeof a->basis, r, i, 8);
    copy(a->kind, sizeof a->kind, r, i, 9);
    a->voucher = ival(r, i, 10) != 0;
    a->year = (int)ival(r, i, 11);
    int state = award_state_parse(val(r, i, 12));
    a->state = state < 0 ? AWARD_CANDIDATE : (hq_award_state)state;
    a->entitlement_fen = ival(r, i, 13);
    a->amount_fen = ival(r, i, 14);
    copy(a->decision_id, sizeof a->decision_id, r, i, 15);
    copy(a->corpus_hash, sizeof a->corpus_hash, r, i, 16);
    copy(a->stage, sizeof a->stage, r, i, 17);
    copy(a->note, sizeof a->note, r, i, 18);
    copy(a->reason, sizeof a->reason, r, i, 19);
    copy(a->publicity_start, sizeof a->publicity_start, r, i, 20);
    copy(a->publicity_end, sizeof a->publicity_end, r, i, 21);
    copy(a->district, sizeof a->district, r, i, 22);
    copy(a->industry, sizeof a->industry, r, i, 23);
    copy(a->updated_at, sizeof a->updated_at, r, i, 24);
    a->match_run = ival(r, i, 25);
}

static void award_key(pg_args *a, const hq_award_rec *w)
{
    a_int(a, 1, w->entity_id);
    a_text(a, 2, w->item);
    a_int(a, 3, w->year);
}

/* The parameters $1 … $18 of a new candidate (store_sqlite.c's AWARD_INSERT). */
static void candidate_args(pg_args *a, const hq_award_rec *w, const char *explanation)
{
    award_key(a, w);
    a_text(a, 4, w->document);
    a_text(a, 5, w->department);
    a_text(a, 6, w->project);
    a_text(a, 7, w->basis);
    a_text(a, 8, w->kind);
    a_int(a, 9, w->voucher);
    a_int(a, 10, w->entitlement_fen);
    a_int(a, 11, w->amount_fen);
    a_text(a, 12, w->decision_id);
    a_text(a, 13, w->corpus_hash);
    a_text(a, 14, w->stage);
    a_text(a, 15, w->note);
    a_text(a, 16, explanation);
    a_int(a, 17, w->match_run);
    a_text(a, 18, w->updated_at);
}

/* Insert a candidate, or refresh one in an `untouched` state; *changed is 1 for a new row,
 * 2 when its decision or amount moved, else 0 (store_sqlite.c). */
static int pg_award_upsert(hq_store *s, hq_award_rec *w, unsigned untouched, const char *explanation, int *changed)
{
    pg_store *q = PG(s);
    pg_args k = {0};
    award_key(&k, w);
    PGresult *r = pq_run(q, Q_AWARD_ID, &k, "award lookup");
    if (!r) return -1;
    bool existed = PQntuples(r) == 1;
    bool same = existed && !strcmp(val(r, 0, 2), w->decision_id) && ival(r, 0, 3) == w->amount_fen;
    PQclear(r);
    pg_args a = {0};
    candidate_args(&a, w, explanation);
    char mask[256];
    award_states_text(untouched, mask, sizeof mask);
    a_text(&a, 19, mask);
    r = pq_run(q, Q_AWARD_UPSERT, &a, "award");
    if (!r) return -1;
    int done = atoi(PQcmdTuples(r));
    PQclear(r);
    r = pq_run(q, Q_AWARD_ID, &k, "award lookup");
    if (!r) return -1;
    if (PQntuples(r) == 1) w->id = ival(r, 0, 0);
    PQclear(r);
    if (changed) *changed = !existed ? 1 : done > 0 && !same ? 2 : 0;
    return 0;
}

static int pg_award_insert(hq_store *s, hq_award_rec *w)
{
    pg_args a = {0};
    candidate_args(&a, w, "");
    PGresult *r = pq_run(PG(s), Q_AWARD_INSERT, &a, "award");
    if (!r) return -1;
    w->id = PQntuples(r) == 1 ? ival(r, 0, 0) : 0;
    PQclear(r);
    return 0;
}

static int pg_award_slots(hq_store *s, int year, int64_t lo, int64_t hi, hq_award_slot_cb cb, void *ud)
{
    pg_args a = {0};
    a_int(&a, 1, year);
    a_int(&a, 2, lo);
    a_int(&a, 3, hi);
    PGresult *r = pq_run(PG(s), Q_AWARD_SLOTS, &a, "award slots");
    if (!r) return -1;
    int rc = 0;
    for (int i = 0; rc == 0 && i < PQntuples(r); i++) {
        hq_award_slot w = {.id = ival(r, i, 0), .entity_id = ival(r, i, 1), .item = val(r, i, 2),
                           .state = (hq_award_state)award_state_parse(val(r, i, 3)), .decision_id = val(r, i, 4),
                           .document = val(r, i, 5), .department = val(r, i, 6), .project = val(r, i, 7), .basis = val(r, i, 8),
                           .kind = val(r, i, 9), .voucher = ival(r, i, 10) != 0, .corpus_hash = val(r, i, 11),
                           .stage = val(r, i, 12), .note = val(r, i, 13), .entitlement_fen = ival(r, i, 14),
                           .amount_fen = ival(r, i, 15)};
        if (cb(&w, ud)) rc = -1;
    }
    PQclear(r);
    return rc;
}

static int pg_award_drop(hq_store *s, int64_t id, unsigned untouched, int *done)
{
    char mask[256];
    award_states_text(untouched, mask, sizeof mask);
    pg_args a = {0};
    a_int(&a, 1, id);
    a_text(&a, 2, mask);
    PGresult *r = pq_run(PG(s), Q_AWARD_DROP, &a, "award");
    if (!r) return -1;
    *done = atoi(PQcmdTuples(r)) > 0;
    PQclear(r);
    return 0;
}

static int pg_award_get(hq_store *s, int64_t id, hq_award_rec *w)
{
    pg_args a = {0};
    a_int(&a, 1, id);
    PGresult *r = pq_run(PG(s), Q_AWARD_GET, &a, "award");
    if (!r) return -1;
    int rc = PQntuples(r) ? 0 : 1;
    if (rc == 0) read_award(r, 0, w);
    PQclear(r);
    return rc;
}

static int pg_award_explanation(hq_store *s, int64_t id, char **text)
{
    pg_args a = {0};
    a_int(&a, 1, id);
    PGresult *r = pq_run(PG(s), Q_AWARD_EXPL, &a, "explanation");
    if (!r) return -1;
    *text = PQntuples(r) ? strdup(val(r, 0, 0)) : NULL;
    int rc = PQntuples(r) ? (*text ? 0 : -1) : 1;
    PQclear(r);
    return rc;
}

/* 0 when the command changed exactly one row, 1 when none. */
static int one_row_changed(pg_store *q, int k, const pg_args *a, const char *what)
{
    PGresult *r = pq_run(q, k, a, what);
    if (!r) return -1;
    int n = atoi(PQcmdTuples(r));
    PQclear(r);
    return n == 1 ? 0 : 1;
}

static int pg_award_update(hq_store *s, const hq_award_rec *w)
{
    pg_args a = {0};
    a_int(&a, 1, w->id);
    a_text(&a, 2, award_state_code(w->state));
    a_int(&a, 3, w->amount_fen);
    a_text(&a, 4, w->note);
    a_text(&a, 5, w->reason);
    a_text(&a, 6, w->publicity_start);
    a_text(&a, 7, w->publicity_end);
    a_text(&a, 8, w->updated_at);
    a_text(&a, 9, w->decision_id);
    a_text(&a, 10, w->corpus_hash);
    a_text(&a, 11, w->stage);
    return one_row_changed(PG(s), Q_AWARD_UPDATE, &a, "award update");
}

static int pg_award_set_explanation(hq_store *s, int64_t id, const char *text)
{
    pg_args a = {0};
    a_int(&a, 1, id);
    a_text(&a, 2, text);
    return exec_done(PG(s), Q_AWARD_SET_EXPL, &a, "award explanation");
}

static int pg_award_claims_set(hq_store *s, int64_t award, const hq_claim_rec *v, int n)
{
    pg_store *q = PG(s);
    pg_args d = {0};
    a_int(&d, 1, award);
    if (exec_done(q, Q_CLAIMS_DEL, &d, "claims")) return -1;
    for (int i = 0; i < n; i++) {
        pg_args a = {0};
        a_int(&a, 1, award);
        a_int(&a, 2, i);
        a_text(&a, 3, v[i].part);
        a_text(&a, 4, v[i].project);
        a_text(&a, 5, v[i].basis);
        a_int(&a, 6, v[i].year);
        a_int(&a, 7, v[i].data_year);
        a_int(&a, 8, v[i].amount_fen);
        a_int(&a, 9, v[i].voucher);
        if (exec_done(q, Q_CLAIM_ADD, &a, "claim")) return -1;
    }
    return 0;
}

static int pg_award_claims_get(hq_store *s, int64_t award, hq_claim_rec *v, int max, int *n)
{
    pg_args a = {0};
    a_int(&a, 1, award);
    PGresult *r = pq_run(PG(s), Q_CLAIMS_GET, &a, "claims");
    *n = 0;
    if (!r) return -1;
    for (int i = 0; i < PQntuples(r) && *n < max; i++) {
        hq_claim_rec *c = &v[(*n)++];
        memset(c, 0, sizeof *c);
        copy(c->part, sizeof c->part, r, i, 0);
        copy(c->project, sizeof c->project, r, i, 1);
        copy(c->basis, sizeof c->basis, r, i, 2);
        c->year = (int)ival(r, i, 3);
        c->data_year = (int)ival(r, i, 4);
        c->amount_fen = ival(r, i, 5);
        c->voucher = ival(r, i, 6) != 0;
    }
    PQclear(r);
    return 0;
}

static int pg_quota_used(hq_store *s, const char *item, int year, const char *part, int64_t except_award, unsigned states, int *n)
{
    char mask[256];
    award_states_text(states, mask, sizeof mask);
    pg_args a = {0};
    a_text(&a, 1, item);
    a_int(&a, 2, year);
    a_text(&a, 3, part);
    a_int(&a, 4, except_award);
    a_text(&a, 5, mask);
    int64_t v = 0;
    int rc = one_id(PG(s), Q_QUOTA_USED, &a, &v, "quota");
    *n = (int)v;
    return rc < 0 ? -1 : 0;
}

static int pg_award_list(hq_store *s, const hq_award_filter *f, hq_award_cb cb, void *ud)
{
    pg_store *q = PG(s);
    /* Built per call: the filter decides the WHERE clause; values are always parameters,
     * numbered in the order they appear (PostgreSQL refuses a parameter it cannot type). */
    pg_args a = {0};
    char where[512] = "", p[64];
    size_t w = 0;
#define COND(test, fmt, set)                                                  \
    if (test) {                                                               \
        set;                                                                  \
        snprintf(p, sizeof p, fmt, a.n);                                      \
        w += (size_t)snprintf(where + w, sizeof where - w, "%s", p);          \
    }
    COND(f->credit_code, " AND e.credit_code = $%d", a_text(&a, a.n + 1, f->credit_code))
    COND(f->item, " AND a.item = $%d", a_text(&a, a.n + 1, f->item))
    COND(f->department, " AND a.department = $%d", a_text(&a, a.n + 1, f->department))
    COND(f->year, " AND a.year = $%d", a_int(&a, a.n + 1, f->year))
    COND(f->state >= 0, " AND a.state = $%d", a_text(&a, a.n + 1, award_state_code((hq_award_state)f->state)))
#undef COND
    char limit[32] = "";
    if (f->limit > 0) snprintf(limit, sizeof limit, " LIMIT %d", f->limit);
    char sql[2048];
    snprintf(sql, sizeof sql, "SELECT " PG_AWARD_COLS " FROM award a JOIN entity e ON e.id = a.entity_id WHERE true%s ORDER BY a.id%s",
             where, limit);
    PGresult *r = run_sql(q, sql, &a, "award list");
    if (!r) return -1;
    hq_award_rec w2;
    for (int i = 0; i < PQntuples(r); i++) {
        read_award(r, i, &w2);
        if (cb(&w2, ud)) break;
    }
    PQclear(r);
    return 0;
}

/* ---- objections and payments ------------------------------------------------------------ */

static void read_objection(const PGresult *r, int i, hq_objection_rec *o)
{
    memset(o, 0, sizeof *o);
    o->id = ival(r, i, 0);
    o->award_id = ival(r, i, 1);
    copy(o->by, sizeof o->by, r, i, 2);
    copy(o->text, sizeof o->text, r, i, 3);
    copy(o->lodged_at, sizeof o->lodged_at, r, i, 4);
    copy(o->resolution, sizeof o->resolution, r, i, 5);
    copy(o->resolver, sizeof o->resolver, r, i, 6);
    copy(o->resolved_at, sizeof o->resolved_at, r, i, 7);
    copy(o->note, sizeof o->note, r, i, 8);
}

static int pg_objection_add(hq_store *s, hq_objection_rec *o)
{
    pg_args a = {0};
    a_int(&a, 1, o->award_id);
    a_text(&a, 2, o->by);
    a_text(&a, 3, o->text);
    a_text(&a, 4, o->lodged_at);
    return one_id(PG(s), Q_OBJ_ADD, &a, &o->id, "objection") ? -1 : 0;
}

static int pg_objection_get(hq_store *s, int64_t id, hq_objection_rec *o)
{
    pg_args a = {0};
    a_int(&a, 1, id);
    PGresult *r = pq_run(PG(s), Q_OBJ_GET, &a, "objection");
    if (!r) return -1;
    int rc = PQntuples(r) ? 0 : 1;
    if (rc == 0) read_objection(r, 0, o);
    PQclear(r);
    return rc;
}

static int pg_objection_resolve(hq_store *s, const hq_objection_rec *o)
{
    pg_args a = {0};
    a_int(&a, 1, o->id);
    a_text(&a, 2, o->resolution);
    a_text(&a, 3, o->resolver);
    a_text(&a, 4, o->resolved_at);
    a_text(&a, 5, o->note);
    return one_row_changed(PG(s), Q_OBJ_RESOLVE, &a, "objection");
}

static int pg_objection_open_count(hq_store *s, int64_t award, int *n)
{
    pg_args a = {0};
    a_int(&a, 1, award);
    int64_t v = 0;
    int rc = one_id(PG(s), Q_OBJ_OPEN, &a, &v, "objections");
    *n = (int)v;
    return rc < 0 ? -1 : 0;
}

static int pg_objection_list(hq_store *s, int64_t award, int (*cb)(const hq_objection_rec *, void *), void *ud)
{
    pg_args a = {0};
    a_int(&a, 1, award);
    PGresult *r = pq_run(PG(s), Q_OBJ_LIST, &a, "objections");
    if (!r) return -1;
    hq_objection_rec o;
    for (int i = 0; i < PQntuples(r); i++) {
        read_objection(r, i, &o);
        if (cb(&o, ud)) break;
    }
    PQclear(r);
    return 0;
}

static int pg_payment_add(hq_store *s, hq_payment_rec *p)
{
    pg_store *q = PG(s);
    pg_args a = {0};
    a_int(&a, 1, p->award_id);
    a_int(&a, 2, p->amount_fen);
    a_int(&a, 3, p->voucher);
    a_text(&a, 4, p->batch);
    a_text(&a, 5, p->actor);
    a_text(&a, 6, p->at);
    if (one_id(q, Q_PAY_ADD, &a, &p->id, "payment")) return -1;
    for (int i = 0; i < p->nsplits; i++) {
        pg_args b = {0};
        a_int(&b, 1, p->id);
        a_text(&b, 2, p->splits[i].payer);
        a_int(&b, 3, p->splits[i].amount_fen);
        if (exec_done(q, Q_PAY_SPLIT, &b, "payment split")) return -1;
    }
    return 0;
}

static int pg_payment_get(hq_store *s, int64_t award, hq_payment_rec *p)
{
    pg_store *q = PG(s);
    pg_args a = {0};
    a_int(&a, 1, award);
    PGresult *r = pq_run(q, Q_PAY_GET, &a, "payment");
    if (!r) return -1;
    if (!PQntuples(r)) {
        PQclear(r);
        return 1;
    }
    memset(p, 0, sizeof *p);
    p->id = ival(r, 0, 0);
    p->award_id = ival(r, 0, 1);
    p->amount_fen = ival(r, 0, 2);
    p->voucher = ival(r, 0, 3) != 0;
    copy(p->batch, sizeof p->batch, r, 0, 4);
    copy(p->actor, sizeof p->actor, r, 0, 5);
    copy(p->at, sizeof p->at, r, 0, 6);
    PQclear(r);
    pg_args b = {0};
    a_int(&b, 1, p->id);
    r = pq_run(q, Q_PAY_SPLITS, &b, "payment splits");
    /* As SQLite: the payment stands even when its splits cannot be read. */
    if (!r) return 0;
    for (int i = 0; i < PQntuples(r) && p->nsplits < HQ_MAX_SPLITS; i++) {
        copy(p->splits[p->nsplits].payer, sizeof p->splits[0].payer, r, i, 0);
        p->splits[p->nsplits++].amount_fen = ival(r, i, 1);
    }
    PQclear(r);
    return 0;
}

/* ---- budgets, fiscal regime, bank accounts, indicators ---------------------------------- */

static int pg_budget_set(hq_store *s, const hq_budget_rec *b)
{
    pg_args a = {0};
    a_int(&a, 1, b->year);
    a_text(&a, 2, b->scope);
    a_text(&a, 3, b->key);
    a_int(&a, 4, b->amount_fen);
    a_int(&a, 5, b->hard_fen);
    return exec_done(PG(s), Q_BUDGET_SET, &a, "budget");
}

static int pg_budget_get(hq_store *s, int year, const char *scope, const char *key, hq_budget_rec *b)
{
    pg_args a = {0};
    a_int(&a, 1, year);
    a_text(&a, 2, scope);
    a_text(&a, 3, key);
    PGresult *r = pq_run(PG(s), Q_BUDGET_GET, &a, "budget");
    if (!r) return -1;
    int rc = PQntuples(r) ? 0 : 1;
    if (rc == 0) {
        memset(b, 0, sizeof *b);
        b->year = year;
        snprintf(b->scope, sizeof b->scope, "%s", scope);
        snprintf(b->key, sizeof b->key, "%s", key);
        b->amount_fen = ival(r, 0, 0);
        b->hard_fen = ival(r, 0, 1);
    }
    PQclear(r);
    return rc;
}

static int pg_budget_used(hq_store *s, int year, const char *scope, const char *key, unsigned states, int64_t *used)
{
    char mask[256];
    award_states_text(states, mask, sizeof mask);
    pg_args a = {0};
    a_int(&a, 1, year);
    a_text(&a, 2, key);
    a_text(&a, 3, mask);
    return one_id(PG(s), !strcmp(scope, "item") ? Q_BUDGET_USED_ITEM : Q_BUDGET_USED_DOC, &a, used, "budget used") < 0 ? -1 : 0;
}

static int pg_budget_list(hq_store *s, int year, int (*cb)(const hq_budget_rec *, void *), void *ud)
{
    pg_args a = {0};
    a_int(&a, 1, year);
    PGresult *r = pq_run(PG(s), Q_BUDGET_LIST, &a, "budgets");
    if (!r) return -1;
    for (int i = 0; i < PQntuples(r); i++) {
        hq_budget_rec b = {.year = (int)ival(r, i, 0)};
        copy(b.scope, sizeof b.scope, r, i, 1);
        copy(b.key, sizeof b.key, r, i, 2);
        b.amount_fen = ival(r, i, 3);
        b.hard_fen = ival(r, i, 4);
        if (cb(&b, ud)) break;
    }
    PQclear(r);
    return 0;
}

static int pg_fiscal_set(hq_store *s, const hq_fiscal_rec *f)
{
    pg_args a = {0};
    a_text(&a, 1, f->district);
    a_int(&a, 2, f->city_share);
    a_text(&a, 3, f->source);
    a_text(&a, 4, f->as_of);
    return exec_done(PG(s), Q_FISCAL_SET, &a, "fiscal regime");
}

static int pg_fiscal_get(hq_store *s, const char *district, hq_fiscal_rec *f)
{
    pg_args a = {0};
    a_text(&a, 1, district);
    PGresult *r = pq_run(PG(s), Q_FISCAL_GET, &a, "fiscal regime");
    if (!r) return -1;
    int rc = PQntuples(r) ? 0 : 1;
    if (rc == 0) {
        memset(f, 0, sizeof *f);
        copy(f->district, sizeof f->district, r, 0, 0);
        f->city_share = ival(r, 0, 1);
        copy(f->source, sizeof f->source, r, 0, 2);
        copy(f->as_of, sizeof f->as_of, r, 0, 3);
    }
    PQclear(r);
    return rc;
}

static int pg_bank_set(hq_store *s, const hq_bank_rec *b)
{
    pg_args a = {0};
    a_text(&a, 1, b->credit_code);
    a_text(&a, 2, b->bank);
    a_text(&a, 3, b->account);
    a_text(&a, 4, b->holder);
    a_text(&a, 5, b->by);
    a_text(&a, 6, b->at);
    return exec_done(PG(s), Q_BANK_SET, &a, "bank account");
}

static int pg_bank_get(hq_store *s, const char *credit_code, hq_bank_rec *b)
{
    pg_args a = {0};
    a_text(&a, 1, credit_code);
    PGresult *r = pq_run(PG(s), Q_BANK_GET, &a, "bank account");
    if (!r) return -1;
    int rc = PQntuples(r) ? 0 : 1;
    if (rc == 0) {
        memset(b, 0, sizeof *b);
        copy(b->credit_code, sizeof b->credit_code, r, 0, 0);
        copy(b->bank, sizeof b->bank, r, 0, 1);
        copy(b->account, sizeof b->account, r, 0, 2);
        copy(b->holder, sizeof b->holder, r, 0, 3);
        copy(b->by, sizeof b->by, r, 0, 4);
        copy(b->at, sizeof b->at, r, 0, 5);
    }
    PQclear(r);
    return rc;
}

static int pg_obs_put(hq_store *s, const hq_obs_rec *o)
{
    pg_args a = {0};
    a_text(&a, 1, o->plan);
    a_text(&a, 2, o->indicator);
    a_text(&a, 3, o->area);
    a_text(&a, 4, o->period);
    a_text(&a, 5, o->value);
    a_text(&a, 6, o->source);
    a_text(&a, 7, o->published);
    a_text(&a, 8, o->note);
    a_int(&a, 9, o->import_id);
    a_int(&a, 10, o->row);
    return exec_done(PG(s), Q_OBS_PUT, &a, "indicator observation");
}

static int pg_obs_list(hq_store *s, const char *plan, const char *area, int (*cb)(const hq_obs_rec *, void *), void *ud)
{
    pg_args a = {0};
    a_text(&a, 1, plan);
    a_text(&a, 2, area);
    PGresult *r = pq_run(PG(s), Q_OBS_LIST, &a, "indicator observations");
    if (!r) return -1;
    for (int i = 0; i < PQntuples(r); i++) {
        hq_obs_rec o;
        copy(o.plan, sizeof o.plan, r, i, 0);
        copy(o.indicator, sizeof o.indicator, r, i, 1);
        copy(o.area, sizeof o.area, r, i, 2);
        copy(o.period, sizeof o.period, r, i, 3);
        copy(o.value, sizeof o.value, r, i, 4);
        copy(o.source, sizeof o.source, r, i, 5);
        copy(o.published, sizeof o.published, r, i, 6);
        copy(o.note, sizeof o.note, r, i, 7);
        o.import_id = ival(r, i, 8);
        o.row = (int)ival(r, i, 9);
        if (cb(&o, ud)) break;
    }
    PQclear(r);
    return 0;
}

/* ---- the login limiter ----------------------------------------------------------------- */

static int pg_login_failures_get(hq_store *s, const char *username, int *failures, int64_t *last_ms)
{
    pg_args a = {0};
    a_text(&a, 1, username);
    PGresult *r = pq_run(PG(s), Q_LOGIN_FAIL_GET, &a, "login failures");
    if (!r) return -1;
    int rc = PQntuples(r) ? 0 : 1;
    if (rc == 0) {
        *failures = (int)ival(r, 0, 0);
        *last_ms = ival(r, 0, 1);
    }
    PQclear(r);
    return rc;
}

static int pg_login_failures_put(hq_store *s, const char *username, int failures, int64_t last_ms)
{
    pg_args a = {0};
    a_text(&a, 1, username);
    a_int(&a, 2, failures);
    a_int(&a, 3, last_ms);
    return exec_done(PG(s), Q_LOGIN_FAIL_PUT, &a, "login failures");
}

/* ---- audit and reports ------------------------------------------------------------------ */

static int pg_audit_append(hq_store *s, const hq_audit_rec *w)
{
    pg_args a = {0};
    a_int(&a, 1, w->seq);
    a_text(&a, 2, w->at);
    a_text(&a, 3, w->actor);
    a_text(&a, 4, w->action);
    a_text(&a, 5, w->object);
    if (w->before) a_text(&a, 6, w->before);
    else a_null(&a, 6);
    if (w->after) a_text(&a, 7, w->after);
    else a_null(&a, 7);
    a_text(&a, 8, w->prev);
    a_text(&a, 9, w->hash);
    return exec_done(PG(s), Q_AUDIT_ADD, &a, "audit");
}

static int audit_rows(pg_store *q, int k, const pg_args *a, hq_audit_cb cb, void *ud)
{
    PGresult *r = pq_run(q, k, a, "audit");
    if (!r) return -1;
    for (int i = 0; i < PQntuples(r); i++) {
        hq_audit_rec w = {.seq = ival(r, i, 0)};
        copy(w.at, sizeof w.at, r, i, 1);
        copy(w.actor, sizeof w.actor, r, i, 2);
        copy(w.action, sizeof w.action, r, i, 3);
        copy(w.object, sizeof w.object, r, i, 4);
        /* NULL stays NULL: the hash tells a missing before/after from an empty one */
        w.before = PQgetisnull(r, i, 5) ? NULL : PQgetvalue(r, i, 5);
        w.after = PQgetisnull(r, i, 6) ? NULL : PQgetvalue(r, i, 6);
        copy(w.prev, sizeof w.prev, r, i, 7);
        copy(w.hash, sizeof w.hash, r, i, 8);
        if (cb(&w, ud)) break;
    }
    PQclear(r);
    return 0;
}

static int pg_audit_scan(hq_store *s, hq_audit_cb cb, void *ud)
{
    return audit_rows(PG(s), Q_AUDIT_SCAN, NULL, cb, ud);
}

static int pg_audit_of(hq_store *s, const char *object, hq_audit_cb cb, void *ud)
{
    pg_args a = {0};
    a_text(&a, 1, object);
    return audit_rows(PG(s), Q_AUDIT_OF, &a, cb, ud);
}

static int pg_report(hq_store *s, hq_report_by by, int year, hq_report_cb cb, void *ud)
{
    pg_store *q = PG(s);
    static const char *const KEY[REPORT__COUNT] = {
        [REPORT_DOCUMENT] = "a.document",
        [REPORT_ITEM] = "a.item",
        [REPORT_DEPARTMENT] = "a.department",
        [REPORT_DISTRICT] = "coalesce((SELECT value::jsonb #>> '{}' FROM fact WHERE entity_id = a.entity_id"
                            " AND name = 'district' AND year = 0), '')",
        [REPORT_INDUSTRY] = "coalesce((SELECT value::jsonb #>> '{}' FROM fact WHERE entity_id = a.entity_id"
                            " AND name = 'industry' AND year = 0), '')",
        [REPORT_YEAR] = "CAST(a.year AS TEXT)",
        [REPORT_STATE] = "a.state",
        [REPORT_MONTH] = "coalesce(substr(p.at, 1, 7), '')",
    };
    if ((unsigned)by >= REPORT__COUNT) {
        snprintf(q->base.err, sizeof q->base.err, "unknown report grouping");
        return -1;
    }
    char sql[1024];
    snprintf(sql, sizeof sql,
             "SELECT k, state, count(*), sum(amount_fen), sum(paid), voucher FROM"
             " (SELECT %s AS k, a.state, a.amount_fen, coalesce(p.amount_fen, 0) AS paid, a.voucher"
             "  FROM award a LEFT JOIN payment p ON p.award_id = a.id WHERE ($1::bigint = 0 OR a.year = $1)%s) g"
             " GROUP BY k, state, voucher ORDER BY k COLLATE \"C\", state COLLATE \"C\", voucher",
             KEY[by], by == REPORT_MONTH ? " AND p.id IS NOT NULL" : "");
    pg_args a = {0};
    a_int(&a, 1, year);
    PGresult *r = run_sql(q, sql, &a, "report");
    if (!r) return -1;
    for (int i = 0; i < PQntuples(r); i++) {
        hq_report_row w = {.key = val(r, i, 0), .state = val(r, i, 1), .count = ival(r, i, 2), .amount_fen = ival(r, i, 3),
                           .paid_fen = ival(r, i, 4), .voucher = ival(r, i, 5) != 0};
        if (cb(&w, ud)) break;
    }
    PQclear(r);
    return 0;
}

/* ---- accounts, sessions, materials ------------------------------------------------------ */

static int pg_user_put(hq_store *s, hq_user_rec *u)
{
    pg_args a = {0};
    a_text(&a, 1, u->username);
    a_text(&a, 2, u->password);
    a_text(&a, 3, u->role);
    a_text(&a, 4, u->credit_code);
    a_text(&a, 5, u->department);
    a_text(&a, 6, u->display_name);
    a_text(&a, 7, u->created_at);
    a_int(&a, 8, u->disabled);
    a_text(&a, 9, u->read_at);
    return one_id(PG(s), Q_USER_PUT, &a, &u->id, "user") ? -1 : 0;
}

static void read_user(const PGresult *r, int i, hq_user_rec *u)
{
    memset(u, 0, sizeof *u);
    u->id = ival(r, i, 0);
    copy(u->username, sizeof u->username, r, i, 1);
    copy(u->password, sizeof u->password, r, i, 2);
    copy(u->role, sizeof u->role, r, i, 3);
    copy(u->credit_code, sizeof u->credit_code, r, i, 4);
    copy(u->department, sizeof u->department, r, i, 5);
    copy(u->display_name, sizeof u->display_name, r, i, 6);
    copy(u->created_at, sizeof u->created_at, r, i, 7);
    u->disabled = ival(r, i, 8) != 0;
    copy(u->read_at, sizeof u->read_at, r, i, 9);
}

static int pg_user_get(hq_store *s, int64_t id, const char *username, hq_user_rec *u)
{
    pg_args a = {0};
    if (username) a_text(&a, 1, username);
    else a_int(&a, 1, id);
    PGresult *r = pq_run(PG(s), username ? Q_USER_BY_NAME : Q_USER_GET, &a, "user");
    if (!r) return -1;
    int rc = PQntuples(r) ? 0 : 1;
    if (rc == 0) read_user(r, 0, u);
    PQclear(r);
    return rc;
}

static int pg_user_list(hq_store *s, int (*cb)(const hq_user_rec *, void *), void *ud)
{
    PGresult *r = pq_run(PG(s), Q_USER_LIST, NULL, "users");
    if (!r) return -1;
    hq_user_rec u;
    for (int i = 0; i < PQntuples(r); i++) {
        read_user(r, i, &u);
        if (cb(&u, ud)) break;
    }
    PQclear(r);
    return 0;
}

static int pg_session_put(hq_store *s, const hq_session_rec *w)
{
    pg_args a = {0};
    a_text(&a, 1, w->token_hash);
    a_int(&a, 2, w->user_id);
    a_text(&a, 3, w->csrf);
    a_int(&a, 4, w->expires);
    return exec_done(PG(s), Q_SESSION_PUT, &a, "session");
}

static int pg_session_get(hq_store *s, const char *token_hash, hq_session_rec *w)
{
    pg_args a = {0};
    a_text(&a, 1, token_hash);
    PGresult *r = pq_run(PG(s), Q_SESSION_GET, &a, "session");
    if (!r) return -1;
    int rc = PQntuples(r) ? 0 : 1;
    if (rc == 0) {
        memset(w, 0, sizeof *w);
        copy(w->token_hash, sizeof w->token_hash, r, 0, 0);
        w->user_id = ival(r, 0, 1);
        copy(w->csrf, sizeof w->csrf, r, 0, 2);
        w->expires = ival(r, 0, 3);
    }
    PQclear(r);
    return rc;
}

static int pg_session_delete(hq_store *s, const char *token_hash, int64_t expired_before)
{
    pg_args a = {0};
    a_text(&a, 1, token_hash);
    a_int(&a, 2, expired_before);
    return exec_done(PG(s), Q_SESSION_DEL, &a, "session");
}

static int pg_session_end_user(hq_store *s, int64_t user_id)
{
    pg_args a = {0};
    a_int(&a, 1, user_id);
    return exec_done(PG(s), Q_SESSION_DEL_USER, &a, "session");
}

static int pg_material_add(hq_store *s, hq_material_rec *m, const void *data)
{
    pg_args a = {0};
    a_int(&a, 1, m->award_id);
    a_text(&a, 2, m->name);
    a_text(&a, 3, m->type);
    a_int(&a, 4, m->size);
    a_text(&a, 5, m->sha256);
    a_bytes(&a, 6, data, (size_t)m->size);
    a_text(&a, 7, m->by);
    a_text(&a, 8, m->at);
    return one_id(PG(s), Q_MAT_ADD, &a, &m->id, "material") ? -1 : 0;
}

static void read_material(const PGresult *r, int i, hq_material_rec *m)
{
    memset(m, 0, sizeof *m);
    m->id = ival(r, i, 0);
    m->award_id = ival(r, i, 1);
    copy(m->name, sizeof m->name, r, i, 2);
    copy(m->type, sizeof m->type, r, i, 3);
    m->size = ival(r, i, 4);
    copy(m->sha256, sizeof m->sha256, r, i, 5);
    copy(m->by, sizeof m->by, r, i, 6);
    copy(m->at, sizeof m->at, r, i, 7);
}

static int pg_material_list(hq_store *s, int64_t award, int (*cb)(const hq_material_rec *, void *), void *ud)
{
    pg_args a = {0};
    a_int(&a, 1, award);
    PGresult *r = pq_run(PG(s), Q_MAT_LIST, &a, "materials");
    if (!r) return -1;
    hq_material_rec m;
    for (int i = 0; i < PQntuples(r); i++) {
        read_material(r, i, &m);
        if (cb(&m, ud)) break;
    }
    PQclear(r);
    return 0;
}

/* The material and a malloc'd copy of its bytes (the caller frees *data); 1 if none. The
 * bytes come as bytea's text form and are decoded by libpq. */
static int pg_material_get(hq_store *s, int64_t id, hq_material_rec *m, void **data)
{
    pg_store *q = PG(s);
    pg_args a = {0};
    a_int(&a, 1, id);
    *data = NULL;
    PGresult *r = pq_run(q, Q_MAT_GET, &a, "material");
    if (!r) return -1;
    if (!PQntuples(r)) {
        PQclear(r);
        return 1;
    }
    read_material(r, 0, m);
    size_t n = 0;
    unsigned char *b = PQunescapeBytea((const unsigned char *)PQgetvalue(r, 0, 8), &n);
    PQclear(r);
    if (b) *data = malloc(n ? n : 1);
    if (!*data) {
        PQfreemem(b);
        snprintf(q->base.err, sizeof q->base.err, "out of memory");
        return -1;
    }
    if (n) memcpy(*data, b, n);
    PQfreemem(b);
    m->size = (int64_t)n;
    return 0;
}

static const hq_store_ops PG_OPS = {
#define X(ret, name, params, args) .name = pg_##name,
    HQ_STORE_OPS(X)
#undef X
};
