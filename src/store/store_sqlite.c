/*
 * The SQLite back end of the ledger store (store.h). One database file in WAL mode, so
 * readers (reports, the web UI) never block the writer and a killed process loses nothing
 * it committed; synchronous=FULL because the file holds payments. The schema is versioned
 * with PRAGMA user_version and brought up to date by the migrations of schema.c (written once
 * for every back end, expanded here for SQLite), each applied in its own transaction.
 *
 * Values of facts are kept as JSON scalars in their canonical text ("\"1234.56\"", "true",
 * "\"鹿城区\""), exactly as the entity format (docs/facts.md) takes them, so the store does
 * not depend on the rule corpus: the same rows serve any version of the rules, and the
 * entity document assembled here goes through the very validation `huiqi eval` uses.
 *
 * Statements are prepared once per connection and cached by their index in SQL[].
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/schema.h"
#include "store/store.h"
#include "store/store_sql.h"

/* ---- statements ------------------------------------------------------------------------- */

/* Shared with the PostgreSQL back end (store_sql.h), which runs most of them as they are. */
/* A new candidate, parameters ?1 … ?18 (store_award_insert, and store_award_upsert before its
 * ON CONFLICT): one text, so the two cannot write a candidate differently. */
#define AWARD_INSERT                                                                                            \
    "INSERT INTO award(entity_id, item, year, document, department, project, basis, kind, voucher, state,"     \
    " entitlement_fen, amount_fen, decision_id, corpus_hash, stage, note, reason, publicity_start, publicity_end," \
    " explanation, match_run, created_at, updated_at)"                                                         \
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'candidate', ?10, ?11, ?12, ?13, ?14, ?15, '', '', '', ?16, ?17, ?18, ?18)"

const char *const HQ_SQLITE_SQL[Q__COUNT] = {
    [Q_BEGIN] = "BEGIN IMMEDIATE",
    [Q_COMMIT] = "COMMIT",
    [Q_ROLLBACK] = "ROLLBACK",
    [Q_META_GET] = "SELECT value FROM meta WHERE key = ?1",
    [Q_META_SET] = "INSERT INTO meta(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    /* Only the latest import of a kind counts: re-sending an older file (an earlier 严重失信名单)
     * is a change, and is imported again. */
    [Q_IMPORT_FIND] = "SELECT id FROM (SELECT id, sha256 FROM import WHERE kind = ?1 ORDER BY id DESC LIMIT 1) WHERE sha256 = ?2",
    [Q_IMPORT_ADD] = "INSERT INTO import(kind, file, sha256, encoding, rows, actor, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [Q_ENTITY_PUT] = "INSERT INTO entity(credit_code, name, import_id, row) VALUES (?1, ?2, ?3, ?4)"
                     " ON CONFLICT(credit_code) DO UPDATE SET name = excluded.name, import_id = excluded.import_id,"
                     " row = excluded.row WHERE excluded.name != '' RETURNING id",
    [Q_ENTITY_FIND] = "SELECT id FROM entity WHERE credit_code = ?1",
    [Q_ENTITY_COUNT] = "SELECT count(*) FROM entity",
    [Q_FACT_VALUES] = "SELECT entity_id, value FROM fact WHERE name = ?1 AND year = ?2 ORDER BY entity_id",
    [Q_FACT_PUT] = "INSERT INTO fact(entity_id, name, year, value, import_id, row) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                   " ON CONFLICT(entity_id, name, year) DO UPDATE SET value = excluded.value,"
                   " import_id = excluded.import_id, row = excluded.row",
    [Q_FACT_FILL] = "INSERT INTO fact(entity_id, name, year, value, import_id, row)"
                    " SELECT id, ?1, ?2, ?3, ?4, 0 FROM entity WHERE id NOT IN"
                    " (SELECT entity_id FROM fact WHERE name = ?1 AND year = ?2 AND import_id = ?4) AND true"
                    " ON CONFLICT(entity_id, name, year) DO UPDATE SET value = excluded.value,"
                    " import_id = excluded.import_id, row = 0",
    [Q_LIST_REPLACE] = "DELETE FROM list_member WHERE list = ?1 AND import_id != ?2",
    [Q_REC_PUT] = "INSERT INTO recognition(entity_id, name, level, grade, date, subject, import_id, row)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?8, ?6, ?7) ON CONFLICT DO NOTHING",
    [Q_LIST_PUT] = "INSERT INTO list_member(entity_id, list, import_id, row) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
    [Q_PAST_PUT] = "INSERT INTO past_award(entity_id, item, project, basis, year, data_year, level, form, amount_fen, note,"
                   " import_id, row, part) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) ON CONFLICT DO NOTHING",
    [Q_ENTITIES] = "SELECT id, credit_code, name FROM entity WHERE id > ?1 ORDER BY id LIMIT ?2",
    /* every entity's id by credit code: the PostgreSQL back end reads them once for an import */
    [Q_ENTITY_CODES] = "SELECT credit_code, id FROM entity",
    [Q_ENTITY_FACTS] = "SELECT f.entity_id, f.name, f.year, f.value, i.kind, i.file, f.row, i.at FROM fact f"
                       " JOIN import i ON i.id = f.import_id WHERE f.entity_id BETWEEN ?1 AND ?2 ORDER BY f.entity_id, f.name, f.year",
    [Q_ENTITY_FACTS_YEAR] = "SELECT entity_id, name, year, value FROM fact WHERE entity_id BETWEEN ?1 AND ?2"
                            " AND year IN (0, ?3, ?3 - 1) ORDER BY entity_id",
    [Q_ENTITY_RECS] = "SELECT entity_id, name, level, grade, date, subject FROM recognition WHERE entity_id BETWEEN ?1 AND ?2"
                      " ORDER BY entity_id, date",
    [Q_ENTITY_LISTS] = "SELECT entity_id, list FROM list_member WHERE entity_id BETWEEN ?1 AND ?2 ORDER BY entity_id",
    /* An entity's history is these three for lo = hi = its id; a match chunk asks for a range. */
    [Q_HIST_PAST] = "SELECT item, project, basis, year, data_year, level, form, amount_fen, part, entity_id FROM past_award"
                    " WHERE entity_id BETWEEN ?1 AND ?2 ORDER BY entity_id, id",
    [Q_HIST_AWARDS] = "SELECT item, year, amount_fen, voucher, entity_id FROM award WHERE entity_id BETWEEN ?1 AND ?4 AND id != ?2"
                      " AND instr(?3, ',' || state || ',') > 0"
                      " AND NOT EXISTS (SELECT 1 FROM award_claim c WHERE c.award_id = award.id) ORDER BY entity_id, id",
    [Q_AWARD_UPSERT] =
        AWARD_INSERT
        " ON CONFLICT(entity_id, item, year) DO UPDATE SET entitlement_fen = excluded.entitlement_fen,"
        " amount_fen = excluded.amount_fen, decision_id = excluded.decision_id, corpus_hash = excluded.corpus_hash,"
        " stage = excluded.stage, note = excluded.note, explanation = excluded.explanation, match_run = excluded.match_run,"
        " document = excluded.document, department = excluded.department, project = excluded.project,"
        " basis = excluded.basis, kind = excluded.kind, voucher = excluded.voucher,"
        " updated_at = CASE WHEN award.decision_id = excluded.decision_id AND award.amount_fen = excluded.amount_fen"
        "   THEN award.updated_at ELSE excluded.updated_at END"
        " WHERE instr(?19, ',' || award.state || ',') > 0",
    [Q_AWARD_ID] = "SELECT id, match_run, decision_id, amount_fen FROM award WHERE entity_id = ?1 AND item = ?2 AND year = ?3",
    [Q_AWARD_INSERT] = AWARD_INSERT " RETURNING id",
    [Q_AWARD_SLOTS] = "SELECT id, entity_id, item, state, decision_id, document, department, project, basis, kind, voucher,"
                      " corpus_hash, stage, note, entitlement_fen, amount_fen FROM award"
                      " WHERE year = ?1 AND entity_id BETWEEN ?2 AND ?3 ORDER BY entity_id, item",
    [Q_AWARD_DROP] = "DELETE FROM award WHERE id = ?1 AND instr(?2, ',' || state || ',') > 0",
    [Q_AWARD_GET] = "SELECT " AWARD_COLS " FROM award a JOIN entity e ON e.id = a.entity_id WHERE a.id = ?1",
    [Q_AWARD_EXPL] = "SELECT explanation FROM award WHERE id = ?1",
    [Q_AWARD_UPDATE] = "UPDATE award SET state = ?2, amount_fen = ?3, note = ?4, reason = ?5, publicity_start = ?6,"
                       " publicity_end = ?7, updated_at = ?8, decision_id = ?9, corpus_hash = ?10, stage = ?11 WHERE id = ?1",
    [Q_AWARD_SET_EXPL] = "UPDATE award SET explanation = ?2 WHERE id = ?1",
    [Q_OBJ_ADD] = "INSERT INTO objection(award_id, lodged_by, text, lodged_at, resolution, resolver, resolved_at, note)"
                  " VALUES (?1, ?2, ?3, ?4, '', '', '', '')",
    [Q_OBJ_GET] = "SELECT id, award_id, lodged_by, text, lodged_at, resolution, resolver, resolved_at, note FROM objection WHERE id = ?1",
    [Q_OBJ_RESOLVE] = "UPDATE objection SET resolution = ?2, resolver = ?3, resolved_at = ?4, note = ?5 WHERE id = ?1 AND resolution = ''",
    [Q_OBJ_OPEN] = "SELECT count(*) FROM objection WHERE award_id = ?1 AND resolution = ''",
    [Q_PAY_ADD] = "INSERT INTO payment(award_id, amount_fen, voucher, batch, actor, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [Q_PAY_SPLIT] = "INSERT INTO payment_split(payment_id, payer, amount_fen) VALUES (?1, ?2, ?3)",
    [Q_PAY_GET] = "SELECT id, award_id, amount_fen, voucher, batch, actor, at FROM payment WHERE award_id = ?1",
    [Q_PAY_SPLITS] = "SELECT payer, amount_fen FROM payment_split WHERE payment_id = ?1 ORDER BY payer != '市财政', payer",
    [Q_BUDGET_SET] = "INSERT INTO budget(year, scope, key, amount_fen, hard_fen) VALUES (?1, ?2, ?3, ?4, ?5)"
                     " ON CONFLICT(year, scope, key) DO UPDATE SET amount_fen = excluded.amount_fen, hard_fen = excluded.hard_fen",
    [Q_BUDGET_GET] = "SELECT amount_fen, hard_fen FROM budget WHERE year = ?1 AND scope = ?2 AND key = ?3",
    [Q_BUDGET_USED_ITEM] = "SELECT coalesce(sum(amount_fen), 0) FROM award WHERE year = ?1 AND item = ?2 AND voucher = 0"
                           " AND instr(?3, ',' || state || ',') > 0",
    [Q_BUDGET_USED_DOC] = "SELECT coalesce(sum(amount_fen), 0) FROM award WHERE year = ?1 AND document = ?2 AND voucher = 0"
                          " AND instr(?3, ',' || state || ',') > 0",
    [Q_BUDGET_LIST] = "SELECT year, scope, key, amount_fen, hard_fen FROM budget WHERE ?1 = 0 OR year = ?1 ORDER BY year, scope, key",
    [Q_FISCAL_SET] = "INSERT INTO fiscal_regime(district, city_share, source, as_of) VALUES (?1, ?2, ?3, ?4)"
                     " ON CONFLICT(district) DO UPDATE SET city_share = excluded.city_share, source = excluded.source,"
                     " as_of = excluded.as_of",
    [Q_FISCAL_GET] = "SELECT district, city_share, source, as_of FROM fiscal_regime WHERE district = ?1",
    [Q_BANK_SET] = "INSERT INTO bank_account(credit_code, bank, account, holder, updated_by, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                   " ON CONFLICT(credit_code) DO UPDATE SET bank = excluded.bank, account = excluded.account,"
                   " holder = excluded.holder, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    [Q_BANK_GET] = "SELECT credit_code, bank, account, holder, updated_by, updated_at FROM bank_account WHERE credit_code = ?1",
    [Q_OBS_PUT] = "INSERT INTO indicator_obs(plan, indicator, area, period, value, source, published, note, import_id, row)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
                  " ON CONFLICT(plan, indicator, area, period) DO UPDATE SET value = excluded.value, source = excluded.source,"
                  " published = excluded.published, note = excluded.note, import_id = excluded.import_id, row = excluded.row",
    /* ?2 '' lists every area */
    [Q_LOGIN_FAIL_GET] = "SELECT failures, last_ms FROM login_failure WHERE username = ?1",
    [Q_LOGIN_FAIL_PUT] = "INSERT INTO login_failure(username, failures, last_ms) VALUES (?1, ?2, ?3)"
                         " ON CONFLICT(username) DO UPDATE SET failures = excluded.failures, last_ms = excluded.last_ms",
    [Q_OBS_LIST] = "SELECT plan, indicator, area, period, value, source, published, note, import_id, row FROM indicator_obs"
                   " WHERE plan = ?1 AND (?2 = '' OR area = ?2) ORDER BY indicator, area, period",
    [Q_AUDIT_ADD] = "INSERT INTO audit(seq, at, actor, action, object, before, after, prev, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [Q_AUDIT_SCAN] = "SELECT seq, at, actor, action, object, before, after, prev, hash FROM audit ORDER BY seq",
    [Q_AUDIT_OF] = "SELECT seq, at, actor, action, object, before, after, prev, hash FROM audit WHERE object = ?1 ORDER BY seq",
    [Q_OBJ_LIST] = "SELECT id, award_id, lodged_by, text, lodged_at, resolution, resolver, resolved_at, note FROM objection"
                   " WHERE award_id = ?1 ORDER BY id",
    [Q_USER_PUT] = "INSERT INTO user(username, password, role, credit_code, department, display_name, created_at, disabled,"
                   " read_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT(username) DO UPDATE SET"
                   " password = excluded.password, role = excluded.role, credit_code = excluded.credit_code,"
                   " department = excluded.department, display_name = excluded.display_name, disabled = excluded.disabled,"
                   " read_at = excluded.read_at RETURNING id",
    [Q_USER_GET] = "SELECT id, username, password, role, credit_code, department, display_name, created_at, disabled, read_at"
                   " FROM user WHERE id = ?1",
    [Q_USER_BY_NAME] = "SELECT id, username, password, role, credit_code, department, display_name, created_at, disabled,"
                       " read_at FROM user WHERE username = ?1",
    [Q_SESSION_DEL_USER] = "DELETE FROM session WHERE user_id = ?1",
    [Q_MAT_ADD] = "INSERT INTO material(award_id, name, type, size, sha256, data, uploaded_by, at)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
    [Q_MAT_LIST] = "SELECT id, award_id, name, type, size, sha256, uploaded_by, at FROM material WHERE award_id = ?1 ORDER BY id",
    [Q_MAT_GET] = "SELECT id, award_id, name, type, size, sha256, uploaded_by, at, data FROM material WHERE id = ?1",
    [Q_SESSION_PUT] = "INSERT INTO session(token_hash, user_id, csrf, expires) VALUES (?1, ?2, ?3, ?4)",
    [Q_SESSION_GET] = "SELECT token_hash, user_id, csrf, expires FROM session WHERE token_hash = ?1",
    [Q_SESSION_DEL] = "DELETE FROM session WHERE token_hash = ?1 OR expires < ?2",
    [Q_USER_LIST] = "SELECT id, username, password, role, credit_code, department, display_name, created_at, disabled,"
                    " read_at FROM user ORDER BY id",
    [Q_HIST_CLAIMS] = "SELECT a.item, c.part, c.project, c.basis, c.year, c.data_year, c.amount_fen, c.voucher, a.entity_id"
                      " FROM award_claim c JOIN award a ON a.id = c.award_id WHERE a.entity_id BETWEEN ?1 AND ?4 AND a.id != ?2"
                      " AND instr(?3, ',' || a.state || ',') > 0 ORDER BY a.entity_id, a.id, c.seq",
    [Q_CLAIMS_DEL] = "DELETE FROM award_claim WHERE award_id = ?1",
    [Q_CLAIM_ADD] = "INSERT INTO award_claim(award_id, seq, part, project, basis, year, data_year, amount_fen, voucher)"
                    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [Q_CLAIMS_GET] = "SELECT part, project, basis, year, data_year, amount_fen, voucher FROM award_claim WHERE award_id = ?1"
                     " ORDER BY seq",
    /* Awards of an item and year that hold a place of its quota: approved and on, with a
     * paying claim of the part (or any claim, for a quota on the whole item). */
    [Q_QUOTA_USED] = "SELECT count(DISTINCT a.id) FROM award a JOIN award_claim c ON c.award_id = a.id"
                     " WHERE a.item = ?1 AND a.year = ?2 AND a.id != ?4 AND c.amount_fen > 0 AND (?3 = '' OR c.part = ?3)"
                     " AND instr(?5, ',' || a.state || ',') > 0",
};

typedef struct {
    hq_store base;
    sqlite3 *db;
    sqlite3_stmt *stmt[Q__COUNT];
    bool bulk;        /* inside begin_bulk's transaction: foreign keys off, cache raised */
    int cache_pages;  /* PRAGMA cache_size to restore after a bulk load */
} sq_store;

static sq_store *SQ(hq_store *s)
{
    return (sq_store *)s;
}

static int fail(sq_store *q, const char *what)
{
    snprintf(q->base.err, sizeof q->base.err, "%s: %s", what, sqlite3_errmsg(q->db));
    return -1;
}

/* The cached statement, reset and with its bindings cleared; NULL on a prepare error. */
static sqlite3_stmt *stmt(sq_store *q, int k)
{
    if (!q->stmt[k]) {
        if (sqlite3_prepare_v3(q->db, HQ_SQLITE_SQL[k], -1, SQLITE_PREPARE_PERSISTENT, &q->stmt[k], NULL) != SQLITE_OK) {
            fail(q, "prepare");
            return NULL;
        }
    } else {
        sqlite3_reset(q->stmt[k]);
        sqlite3_clear_bindings(q->stmt[k]);
    }
    return q->stmt[k];
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
    sqlite3_bind_text(st, i, s ? s : "", -1, SQLITE_TRANSIENT);
}

static void copy_col(char *dst, size_t size, sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    snprintf(dst, size, "%s", t ? (const char *)t : "");
}

/* Run a statement that returns no rows. */
static int exec_done(sq_store *q, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return fail(q, what);
    return 0;
}

/* ---- opening and migration -------------------------------------------------------------- */

static const hq_store_ops SQLITE_OPS;

/* Test only: HUIQI_TEST_MAX_PAGE_COUNT=N caps the database at N pages (PRAGMA
 * max_page_count; SQLite never sets it below the current size), so that the tests can
 * reproduce a full disk: the next write that needs a new page fails with SQLITE_FULL.
 * Unset in any real deployment. */
static void apply_test_page_cap(sqlite3 *db)
{
    const char *cap = getenv("HUIQI_TEST_MAX_PAGE_COUNT");
    if (!cap || !*cap) return;
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld;", strtoll(cap, NULL, 10));
    (void)sqlite3_exec(db, sql, NULL, NULL, NULL);
}

hq_store *store_sqlite_open(const char *path, bool create, hq_diag *diag)
{
    sq_store *q = calloc(1, sizeof *q);
    if (!q) {
        diag_add(diag, path, "out of memory");
        return NULL;
    }
    q->base.ops = &SQLITE_OPS;
    snprintf(q->base.location, sizeof q->base.location, "%s", path);
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &q->db, flags, NULL) != SQLITE_OK) {
        diag_add(diag, path, "cannot open the database: %s%s", q->db ? sqlite3_errmsg(q->db) : "out of memory",
                 create ? "" : " (create it with: huiqi init --db FILE)");
        sqlite3_close(q->db);
        free(q);
        return NULL;
    }
    /* Writers wait for each other instead of failing: approvals from several reviewers
     * queue on the write lock. */
    sqlite3_busy_timeout(q->db, 30000);
    char *msg = NULL;
    if (sqlite3_exec(q->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", NULL, NULL, &msg) !=
        SQLITE_OK) {
        diag_add(diag, path, "not a usable SQLite database: %s", msg ? msg : sqlite3_errmsg(q->db));
        sqlite3_free(msg);
        sqlite3_close(q->db);
        free(q);
        return NULL;
    }
    apply_test_page_cap(q->db);
    return &q->base;
}

/* A read-only connection that can read the data: the probe fails when SQLite cannot open
 * the WAL index (a read-only directory without the -shm file). */
static int open_ro(const char *uri, sqlite3 **db)
{
    if (sqlite3_open_v2(uri, db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) return -1;
    sqlite3_busy_timeout(*db, 30000);
    return sqlite3_exec(*db, "PRAGMA query_only=1; SELECT count(*) FROM sqlite_master;", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/* "file:" and the path with every byte a URI would take for syntax escaped. */
static void file_uri(const char *path, const char *query, char *out, size_t size)
{
    size_t n = (size_t)snprintf(out, size, "file:");
    for (const unsigned char *p = (const unsigned char *)path; *p && n + 4 < size; p++) {
        if (*p == '%' || *p == '?' || *p == '#' || *p < 0x21) n += (size_t)snprintf(out + n, size - n, "%%%02X", *p);
        else out[n++] = (char)*p;
    }
    out[n] = 0;
    snprintf(out + n, size - n, "%s", query);
}

/* Read-only opening, for verification (store.h). SQLite reads a WAL database read-only when
 * it can open or create the -shm and -wal files; in a read-only directory where they are
 * absent it cannot, and the file is then opened as immutable — which ignores a -wal file, so
 * that is done only when there is no WAL content to miss. */
hq_store *store_sqlite_open_read_only(const char *path, hq_diag *diag)
{
    sq_store *q = calloc(1, sizeof *q);
    char uri[3200], wal[1100];
    if (!q || strlen(path) >= sizeof q->base.location) {
        diag_add(diag, path, q ? "路径过长" : "out of memory");
        free(q);
        return NULL;
    }
    q->base.ops = &SQLITE_OPS;
    q->base.read_only = true;
    snprintf(q->base.location, sizeof q->base.location, "%s", path);
    file_uri(path, "", uri, sizeof uri);
    if (open_ro(uri, &q->db)) {
        sqlite3_close(q->db);
        q->db = NULL;
        snprintf(wal, sizeof wal, "%s-wal", path);
        FILE *f = fopen(wal, "rb");
        bool has_wal = f && fgetc(f) != EOF;
        if (f) fclose(f);
        file_uri(path, "?immutable=1", uri, sizeof uri);
        if (has_wal || open_ro(uri, &q->db)) {
            diag_add(diag, path, "无法以只读方式打开数据库：%s", has_wal ? "有尚未合并的预写日志（-wal），且目录不可写" : q->db ? sqlite3_errmsg(q->db) : "无法打开");
            sqlite3_close(q->db);
            free(q);
            return NULL;
        }
    }
    return &q->base;
}

static void sq_close(hq_store *s)
{
    if (!s) return;
    sq_store *q = SQ(s);
    for (int i = 0; i < Q__COUNT; i++) sqlite3_finalize(q->stmt[i]);
    sqlite3_close(q->db);
    free(q);
}

static const char *sq_error(hq_store *s)
{
    return s->err;
}

static int user_version(sq_store *q, int *v)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(q->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK) return fail(q, "schema version");
    int rc = sqlite3_step(st);
    *v = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : fail(q, "schema version");
}

static int sq_migrate(hq_store *s, int *from, int *to)
{
    sq_store *q = SQ(s);
    int v;
    if (user_version(q, &v)) return -1;
    *from = v;
    *to = v;
    if (v > HQ_SCHEMA_VERSION) {
        snprintf(q->base.err, sizeof q->base.err, "the database has schema version %d, newer than this huiqi (%d)", v, HQ_SCHEMA_VERSION);
        return -1;
    }
    for (; v < HQ_SCHEMA_VERSION; v++) {
        char *msg = NULL;
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d;", v + 1);
        char *ddl = schema_migration(v + 1, HQ_DIALECT_SQLITE);
        if (!ddl) {
            snprintf(q->base.err, sizeof q->base.err, "migration to version %d failed: out of memory", v + 1);
            return -1;
        }
        int failed = sqlite3_exec(q->db, "BEGIN IMMEDIATE", NULL, NULL, &msg) != SQLITE_OK ||
                     sqlite3_exec(q->db, ddl, NULL, NULL, &msg) != SQLITE_OK;
        free(ddl);
        if (failed ||
            sqlite3_exec(q->db, pragma, NULL, NULL, &msg) != SQLITE_OK ||
            sqlite3_exec(q->db, "COMMIT", NULL, NULL, &msg) != SQLITE_OK) {
            snprintf(q->base.err, sizeof q->base.err, "migration to version %d failed: %s", v + 1, msg ? msg : sqlite3_errmsg(q->db));
            sqlite3_free(msg);
            sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
        *to = v + 1;
    }
    return 0;
}

static int sq_begin(hq_store *s)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_BEGIN);
    return st ? exec_done(q, st, "begin") : -1;
}

static int pragma_int(sqlite3 *db, const char *sql, int *out)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return -1;
    int rc = sqlite3_step(st) == SQLITE_ROW ? (*out = sqlite3_column_int(st, 0), 0) : -1;
    sqlite3_finalize(st);
    return rc;
}

/* Back to the connection's everyday settings once the bulk transaction is over. */
static void bulk_end(sq_store *q)
{
    if (!q->bulk) return;
    char sql[96];
    snprintf(sql, sizeof sql, "PRAGMA foreign_keys=ON; PRAGMA cache_size=%d;", q->cache_pages);
    sqlite3_exec(q->db, sql, NULL, NULL, NULL);
    q->bulk = false;
}

/* Per-row foreign-key checks are a third of an import's write time (two B-tree probes per
 * fact row), and the importer has already found every entity it writes in this same
 * transaction. SQLite ignores PRAGMA foreign_keys inside a transaction, so it is switched
 * here, before BEGIN, and back by bulk_end after COMMIT or ROLLBACK. The larger page cache
 * keeps the credit-code index of a city's register in memory while it is loaded. */
static int sq_begin_bulk(hq_store *s)
{
    sq_store *q = SQ(s);
    if (pragma_int(q->db, "PRAGMA cache_size", &q->cache_pages) ||
        sqlite3_exec(q->db, "PRAGMA foreign_keys=OFF; PRAGMA cache_size=-131072;", NULL, NULL, NULL) != SQLITE_OK)
        return fail(q, "bulk begin");
    q->bulk = true;
    if (sq_begin(s) == 0) return 0;
    bulk_end(q);
    return -1;
}

static int sq_commit(hq_store *s)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_COMMIT);
    int rc = st ? exec_done(q, st, "commit") : -1;
    if (rc == 0) bulk_end(q);
    return rc;
}

static void sq_rollback(hq_store *s)
{
    sq_store *q = SQ(s);
    if (!sqlite3_get_autocommit(q->db)) sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
    bulk_end(q);
}

static int sq_meta_get(hq_store *s, const char *key, char *out, size_t size)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_META_GET);
    if (!st) return -1;
    bind_text(st, 1, key);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        copy_col(out, size, st, 0);
        sqlite3_reset(st);
        return 0;
    }
    sqlite3_reset(st);
    if (rc == SQLITE_DONE) {
        if (size) out[0] = 0;
        return 1;
    }
    return fail(q, "meta");
}

static int sq_meta_set(hq_store *s, const char *key, const char *value)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_META_SET);
    if (!st) return -1;
    bind_text(st, 1, key);
    bind_text(st, 2, value);
    return exec_done(q, st, "meta");
}

/* ---- imports, entities, facts ----------------------------------------------------------- */

/* One id from a single-row query; 1 when there is no row. */
static int one_id(sq_store *q, sqlite3_stmt *st, int64_t *id, const char *what)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) *id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW) return 0;
    return rc == SQLITE_DONE ? 1 : fail(q, what);
}

static int sq_import_find(hq_store *s, const char *kind, const char *sha256, int64_t *id)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_IMPORT_FIND);
    if (!st) return -1;
    bind_text(st, 1, kind);
    bind_text(st, 2, sha256);
    return one_id(q, st, id, "import lookup");
}

static int sq_import_add(hq_store *s, hq_import_rec *r)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_IMPORT_ADD);
    if (!st) return -1;
    bind_text(st, 1, r->kind);
    bind_text(st, 2, r->file);
    bind_text(st, 3, r->sha256);
    bind_text(st, 4, r->encoding);
    sqlite3_bind_int(st, 5, r->rows);
    bind_text(st, 6, r->actor);
    bind_text(st, 7, r->at);
    if (exec_done(q, st, "import")) return -1;
    r->id = sqlite3_last_insert_rowid(q->db);
    return 0;
}

static int sq_entity_put(hq_store *s, const char *code, const char *name, int64_t import_id, int row, int64_t *id)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_ENTITY_PUT);
    if (!st) return -1;
    bind_text(st, 1, code);
    bind_text(st, 2, name);
    sqlite3_bind_int64(st, 3, import_id);
    sqlite3_bind_int(st, 4, row);
    int rc = one_id(q, st, id, "entity");
    if (rc != 1) return rc;
    /* An existing entity and an empty name: the upsert changed nothing and returned no row. */
    sqlite3_stmt *f = stmt(q, Q_ENTITY_FIND);
    if (!f) return -1;
    bind_text(f, 1, code);
    rc = one_id(q, f, id, "entity");
    return rc == 1 ? fail(q, "entity") : rc;
}

static int sq_entity_find(hq_store *s, const char *code, int64_t *id)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_ENTITY_FIND);
    if (!st) return -1;
    bind_text(st, 1, code);
    return one_id(q, st, id, "entity lookup");
}

static int sq_entity_count(hq_store *s, int64_t *n)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_ENTITY_COUNT);
    if (!st) return -1;
    int rc = one_id(q, st, n, "entity count");
    return rc < 0 ? -1 : 0;
}

static int sq_fact_values(hq_store *s, const char *fact, int year, hq_fact_value_cb cb, void *ud)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_FACT_VALUES);
    if (!st) return -1;
    bind_text(st, 1, fact);
    sqlite3_bind_int(st, 2, year);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *v = sqlite3_column_text(st, 1);
        if (cb(sqlite3_column_int64(st, 0), v ? (const char *)v : "", ud)) break;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : fail(q, "fact values");
}

static int sq_fact_put(hq_store *s, int64_t entity, const char *fact, int year, const char *value, int64_t import_id, int row)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_FACT_PUT);
    if (!st) return -1;
    /* The statement runs to completion before this returns, so the strings need no copy:
     * an import writes tens of millions of these. */
    sqlite3_bind_int64(st, 1, entity);
    sqlite3_bind_text(st, 2, fact, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, year);
    sqlite3_bind_text(st, 4, value, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, import_id);
    sqlite3_bind_int(st, 6, row);
    return exec_done(q, st, "fact");
}

/* Every entity this import did not mention gets `value` for the fact: the dataset is a
 * complete list (亩均论英雄 results), so being absent from the latest one is a fact too. */
static int sq_fact_fill(hq_store *s, const char *fact, int year, const char *value, int64_t import_id)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_FACT_FILL);
    if (!st) return -1;
    bind_text(st, 1, fact);
    sqlite3_bind_int(st, 2, year);
    bind_text(st, 3, value);
    sqlite3_bind_int64(st, 4, import_id);
    return exec_done(q, st, "fact fill");
}

/* The latest import of a list is the list: members from earlier imports that it no longer
 * names are removed (e.g. after 信用修复). */
static int sq_list_replace(hq_store *s, const char *list, int64_t import_id)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_LIST_REPLACE);
    if (!st) return -1;
    bind_text(st, 1, list);
    sqlite3_bind_int64(st, 2, import_id);
    return exec_done(q, st, "list replace");
}

static int sq_recognition_put(hq_store *s, int64_t entity, const char *name, const char *level, const char *grade,
                              const char *date, const char *subject, int64_t import_id, int row)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_REC_PUT);
    if (!st) return -1;
    sqlite3_bind_int64(st, 1, entity);
    bind_text(st, 2, name);
    bind_text(st, 3, level);
    bind_text(st, 4, grade);
    bind_text(st, 5, date);
    sqlite3_bind_int64(st, 6, import_id);
    sqlite3_bind_int(st, 7, row);
    bind_text(st, 8, subject);
    return exec_done(q, st, "recognition");
}

static int sq_list_put(hq_store *s, int64_t entity, const char *list, int64_t import_id, int row)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_LIST_PUT);
    if (!st) return -1;
    sqlite3_bind_int64(st, 1, entity);
    bind_text(st, 2, list);
    sqlite3_bind_int64(st, 3, import_id);
    sqlite3_bind_int(st, 4, row);
    return exec_done(q, st, "list");
}

static int sq_past_award_put(hq_store *s, int64_t entity, const hq_past_rec *p, int64_t import_id, int row)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_PAST_PUT);
    if (!st) return -1;
    sqlite3_bind_int64(st, 1, entity);
    bind_text(st, 2, p->item);
    bind_text(st, 3, p->project);
    bind_text(st, 4, p->basis);
    sqlite3_bind_int(st, 5, p->year);
    sqlite3_bind_int(st, 6, p->data_year);
    bind_text(st, 7, p->level);
    bind_text(st, 8, p->form);
    sqlite3_bind_int64(st, 9, p->amount_fen);
    bind_text(st, 10, p->note);
    sqlite3_bind_int64(st, 11, import_id);
    sqlite3_bind_int(st, 12, row);
    bind_text(st, 13, p->part);
    return exec_done(q, st, "past award");
}

/* ---- entity documents ------------------------------------------------------------------- */

/* Rows grouped per entity: one pass over each query, in entity order, appending to
 * arena arrays sized for the whole chunk. */
static int sq_entity_rows(hq_store *s, int64_t after_id, int limit, int year, hq_arena *ar, hq_entity_rows *out, int64_t *ids,
                          int *n)
{
    sq_store *q = SQ(s);
    *n = 0;
    char lists_known[8], recs_known[8];
    if (sq_meta_get(s, "lists_imported", lists_known, sizeof lists_known) < 0 ||
        sq_meta_get(s, "recognitions_imported", recs_known, sizeof recs_known) < 0)
        return -1;
    sqlite3_stmt *st = stmt(q, Q_ENTITIES);
    if (!st) return -1;
    sqlite3_bind_int64(st, 1, after_id);
    sqlite3_bind_int(st, 2, limit);
    int rc;
    while (*n < limit && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        hq_entity_rows *e = &out[*n];
        memset(e, 0, sizeof *e);
        ids[*n] = sqlite3_column_int64(st, 0);
        e->credit_code = arena_strdup(ar, (const char *)sqlite3_column_text(st, 1));
        e->name = arena_strdup(ar, (const char *)sqlite3_column_text(st, 2));
        e->recs_known = recs_known[0] != 0;
        e->lists_known = lists_known[0] != 0;
        if (!e->credit_code || !e->name) break;
        (*n)++;
    }
    sqlite3_reset(st);
    if (*n == 0) return 0;
    /* Each query returns its rows in entity order; they are gathered into one growing
     * array per kind and each entity remembers where its run starts, so pointers are set
     * only once the array has stopped moving. */
    static const int QUERY[3] = {Q_ENTITY_FACTS_YEAR, Q_ENTITY_RECS, Q_ENTITY_LISTS};
    static const size_t ELEM[3] = {sizeof(hq_fact_row), sizeof(hq_rec_row), sizeof(const char *)};
    int *start = malloc(sizeof *start * (size_t)*n);
    if (!start) return -1;
    for (int p = 0; p < 3; p++) {
        st = stmt(q, QUERY[p]);
        if (!st) {
            free(start);
            return -1;
        }
        sqlite3_bind_int64(st, 1, ids[0]);
        sqlite3_bind_int64(st, 2, ids[*n - 1]);
        if (p == 0) sqlite3_bind_int(st, 3, year);
        for (int k = 0; k < *n; k++) start[k] = -1;
        char *arr = NULL;
        size_t cap = 0, used = 0;
        int k = 0;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            int64_t eid = sqlite3_column_int64(st, 0);
            while (k < *n && ids[k] < eid) k++;
            if (k == *n || ids[k] != eid) continue;
            if (used == cap) {
                size_t ncap = cap ? cap * 2 : 4096;
                char *na = realloc(arr, ELEM[p] * ncap);
                if (!na) break;
                arr = na;
                cap = ncap;
            }
            hq_entity_rows *e = &out[k];
            if (start[k] < 0) start[k] = (int)used;
            const char *c1 = arena_strdup(ar, (const char *)sqlite3_column_text(st, 1));
            if (p == 0) {
                hq_fact_row *fr = (hq_fact_row *)(void *)arr + used;
                *fr = (hq_fact_row){.name = c1}; /* grown by realloc: every field set */
                fr->year = sqlite3_column_int(st, 2);
                fr->value = arena_strdup(ar, (const char *)sqlite3_column_text(st, 3));
                e->nfacts++;
            } else if (p == 1) {
                hq_rec_row *rr = (hq_rec_row *)(void *)arr + used;
                rr->name = c1;
                rr->level = arena_strdup(ar, (const char *)sqlite3_column_text(st, 2));
                rr->grade = arena_strdup(ar, (const char *)sqlite3_column_text(st, 3));
                rr->date = arena_strdup(ar, (const char *)sqlite3_column_text(st, 4));
                rr->subject = arena_strdup(ar, (const char *)sqlite3_column_text(st, 5));
                e->nrecs++;
            } else {
                ((const char **)(void *)arr)[used] = c1;
                e->nlists++;
            }
            used++;
        }
        sqlite3_reset(st);
        char *kept = used ? arena_alloc(ar, ELEM[p] * used) : NULL;
        if (kept) memcpy(kept, arr, ELEM[p] * used);
        free(arr);
        if (rc != SQLITE_DONE || (used && !kept)) {
            free(start);
            if (rc == SQLITE_DONE) snprintf(q->base.err, sizeof q->base.err, "entity chunk too large for memory");
            return rc == SQLITE_DONE ? -1 : fail(q, "entity rows");
        }
        for (int j = 0; j < *n; j++) {
            if (start[j] < 0) continue;
            if (p == 0) out[j].facts = (const hq_fact_row *)(void *)kept + start[j];
            else if (p == 1) out[j].recs = (const hq_rec_row *)(void *)kept + start[j];
            else out[j].lists = (const char *const *)(void *)kept + start[j];
        }
    }
    free(start);
    return 0;
}

/* One entity as rows, with every year's facts and where each came from. */
static int sq_entity_get(hq_store *s, int64_t id, hq_arena *ar, hq_entity_rows *out)
{
    sq_store *q = SQ(s);
    memset(out, 0, sizeof *out);
    char lists_known[8], recs_known[8];
    if (sq_meta_get(s, "lists_imported", lists_known, sizeof lists_known) < 0 ||
        sq_meta_get(s, "recognitions_imported", recs_known, sizeof recs_known) < 0)
        return -1;
    sqlite3_stmt *st = stmt(q, Q_ENTITIES);
    if (!st) return -1;
    sqlite3_bind_int64(st, 1, id - 1);
    sqlite3_bind_int(st, 2, 1);
    int rc = sqlite3_step(st);
    bool found = rc == SQLITE_ROW && sqlite3_column_int64(st, 0) == id;
    if (found) {
        out->credit_code = arena_strdup(ar, (const char *)sqlite3_column_text(st, 1));
        out->name = arena_strdup(ar, (const char *)sqlite3_column_text(st, 2));
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return fail(q, "entity");
    if (!found) return 1;
    out->recs_known = recs_known[0] != 0;
    out->lists_known = lists_known[0] != 0;
    /* Each kind of row into an arena array, counted first by the step that fills it. */
    enum { MAX_ROWS = 1 << 16 };
    hq_fact_row *facts = arena_alloc(ar, sizeof *facts * MAX_ROWS / 16);
    hq_rec_row *recs = arena_alloc(ar, sizeof *recs * 512);
    const char **lists = arena_alloc(ar, sizeof *lists * 64);
    if (!facts || !recs || !lists) return fail(q, "entity (memory)");
    st = stmt(q, Q_ENTITY_FACTS);
    if (!st) return -1;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && out->nfacts < MAX_ROWS / 16) {
        hq_fact_row *f = &facts[out->nfacts++];
        f->name = arena_strdup(ar, (const char *)sqlite3_column_text(st, 1));
        f->year = sqlite3_column_int(st, 2);
        f->value = arena_strdup(ar, (const char *)sqlite3_column_text(st, 3));
        f->dataset = arena_printf(ar, "%s:%s#%d", sqlite3_column_text(st, 4), sqlite3_column_text(st, 5), sqlite3_column_int(st, 6));
        f->date = arena_printf(ar, "%.10s", sqlite3_column_text(st, 7));
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return fail(q, rc == SQLITE_ROW ? "entity (too many facts)" : "facts");
    st = stmt(q, Q_ENTITY_RECS);
    if (!st) return -1;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && out->nrecs < 512) {
        hq_rec_row *r = &recs[out->nrecs++];
        r->name = arena_strdup(ar, (const char *)sqlite3_column_text(st, 1));
        r->level = arena_strdup(ar, (const char *)sqlite3_column_text(st, 2));
        r->grade = arena_strdup(ar, (const char *)sqlite3_column_text(st, 3));
        r->date = arena_strdup(ar, (const char *)sqlite3_column_text(st, 4));
        r->subject = arena_strdup(ar, (const char *)sqlite3_column_text(st, 5));
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return fail(q, rc == SQLITE_ROW ? "entity (too many recognitions)" : "recognitions");
    st = stmt(q, Q_ENTITY_LISTS);
    if (!st) return -1;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && out->nlists < 64) lists[out->nlists++] = arena_strdup(ar, (const char *)sqlite3_column_text(st, 1));
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return fail(q, rc == SQLITE_ROW ? "entity (too many lists)" : "lists");
    out->facts = facts;
    out->recs = recs;
    out->lists = lists;
    return 0;
}

static const char *col_text(sqlite3_stmt *st, int col)
{
    const char *t = (const char *)sqlite3_column_text(st, col);
    return t ? t : "";
}

/* The entity's past awards as rows: the imported ones, the claims of its awards in one of
 * `states`, and (kept before claims were) such awards themselves. */
static int history_between(hq_store *s, int64_t lo, int64_t hi, int64_t except_award, unsigned states, hq_history_cb cb,
                           void *ud)
{
    sq_store *q = SQ(s);
    char mask[256];
    award_states_text(states, mask, sizeof mask);
    sqlite3_stmt *st = stmt(q, Q_HIST_PAST);
    if (!st) return -1;
    sqlite3_bind_int64(st, 1, lo);
    sqlite3_bind_int64(st, 2, hi);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        hq_history_row r = {.item = col_text(st, 0), .project = col_text(st, 1), .basis = col_text(st, 2),
                            .year = sqlite3_column_int(st, 3), .data_year = sqlite3_column_int(st, 4),
                            .district_level = !strcmp(col_text(st, 5), "区"), .voucher = !strcmp(col_text(st, 6), "服务券"),
                            .amount_fen = sqlite3_column_int64(st, 7), .part = col_text(st, 8),
                            .entity = sqlite3_column_int64(st, 9)};
        if (cb(&r, ud)) break;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return fail(q, "history");
    for (int k = 0; k < 2; k++) {
        st = stmt(q, k == 0 ? Q_HIST_CLAIMS : Q_HIST_AWARDS);
        if (!st) return -1;
        sqlite3_bind_int64(st, 1, lo);
        sqlite3_bind_int64(st, 2, except_award);
        bind_text(st, 3, mask);
        sqlite3_bind_int64(st, 4, hi);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            hq_history_row r = {.item = col_text(st, 0), .part = "", .project = "", .basis = ""};
            if (k == 0) {
                r.part = col_text(st, 1);
                r.project = col_text(st, 2);
                r.basis = col_text(st, 3);
                r.year = sqlite3_column_int(st, 4);
                r.data_year = sqlite3_column_int(st, 5);
                r.amount_fen = sqlite3_column_int64(st, 6);
                r.voucher = sqlite3_column_int(st, 7) != 0;
                r.entity = sqlite3_column_int64(st, 8);
            } else {
                r.data_year = sqlite3_column_int(st, 1); /* an award's year is its data year */
                r.amount_fen = sqlite3_column_int64(st, 2);
                r.voucher = sqlite3_column_int(st, 3) != 0;
                r.entity = sqlite3_column_int64(st, 4);
            }
            if (cb(&r, ud)) break;
        }
        sqlite3_reset(st);
        if (rc != SQLITE_DONE && rc != SQLITE_ROW) return fail(q, "history");
    }
    return 0;
}

static int sq_history_rows(hq_store *s, int64_t entity, int64_t except_award, unsigned states, hq_history_cb cb, void *ud)
{
    return history_between(s, entity, entity, except_award, states, cb, ud);
}

static int sq_history_rows_range(hq_store *s, int64_t lo, int64_t hi, unsigned states, hq_history_cb cb, void *ud)
{
    return history_between(s, lo, hi, 0, states, cb, ud);
}

/* ---- awards ----------------------------------------------------------------------------- */

static void read_award(sqlite3_stmt *st, hq_award_rec *a)
{
    memset(a, 0, sizeof *a);
    a->id = sqlite3_column_int64(st, 0);
    a->entity_id = sqlite3_column_int64(st, 1);
    copy_col(a->credit_code, sizeof a->credit_code, st, 2);
    copy_col(a->entity_name, sizeof a->entity_name, st, 3);
    copy_col(a->item, sizeof a->item, st, 4);
    copy_col(a->document, sizeof a->document, st, 5);
    copy_col(a->department, sizeof a->department, st, 6);
    copy_col(a->project, sizeof a->project, st, 7);
    copy_col(a->basis, sizeof a->basis, st, 8);
    copy_col(a->kind, sizeof a->kind, st, 9);
    a->voucher = sqlite3_column_int(st, 10) != 0;
    a->year = sqlite3_column_int(st, 11);
    int state = award_state_parse((const char *)sqlite3_column_text(st, 12));
    a->state = state < 0 ? AWARD_CANDIDATE : (hq_award_state)state;
    a->entitlement_fen = sqlite3_column_int64(st, 13);
    a->amount_fen = sqlite3_column_int64(st, 14);
    copy_col(a->decision_id, sizeof a->decision_id, st, 15);
    copy_col(a->corpus_hash, sizeof a->corpus_hash, st, 16);
    copy_col(a->stage, sizeof a->stage, st, 17);
    copy_col(a->note, sizeof a->note, st, 18);
    copy_col(a->reason, sizeof a->reason, st, 19);
    copy_col(a->publicity_start, sizeof a->publicity_start, st, 20);
    copy_col(a->publicity_end, sizeof a->publicity_end, st, 21);
    copy_col(a->district, sizeof a->district, st, 22);
    copy_col(a->industry, sizeof a->industry, st, 23);
    copy_col(a->updated_at, sizeof a->updated_at, st, 24);
    a->match_run = sqlite3_column_int64(st, 25);
}

/* The parameters ?1 … ?18 of AWARD_INSERT. */
static void bind_candidate(sqlite3_stmt *st, const hq_award_rec *a, const char *explanation)
{
    sqlite3_bind_int64(st, 1, a->entity_id);
    bind_text(st, 2, a->item);
    sqlite3_bind_int(st, 3, a->year);
    bind_text(st, 4, a->document);
    bind_text(st, 5, a->department);
    bind_text(st, 6, a->project);
    bind_text(st, 7, a->basis);
    bind_text(st, 8, a->kind);
    sqlite3_bind_int(st, 9, a->voucher);
    sqlite3_bind_int64(st, 10, a->entitlement_fen);
    sqlite3_bind_int64(st, 11, a->amount_fen);
    bind_text(st, 12, a->decision_id);
    bind_text(st, 13, a->corpus_hash);
    bind_text(st, 14, a->stage);
    bind_text(st, 15, a->note);
    bind_text(st, 16, explanation);
    sqlite3_bind_int64(st, 17, a->match_run);
    bind_text(st, 18, a->updated_at);
}

/* Insert a candidate, or refresh one that is still a candidate or merely pushed; awards a
 * person has acted on are left alone (approval recomputes them). *changed is 1 for a new
 * row, 2 when its decision or amount moved, else 0. */
static int sq_award_upsert(hq_store *s, hq_award_rec *a, unsigned untouched, const char *explanation, int *changed)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *get = stmt(q, Q_AWARD_ID);
    if (!get) return -1;
    sqlite3_bind_int64(get, 1, a->entity_id);
    bind_text(get, 2, a->item);
    sqlite3_bind_int(get, 3, a->year);
    int rc = sqlite3_step(get);
    bool existed = rc == SQLITE_ROW;
    bool same = existed && !strcmp((const char *)sqlite3_column_text(get, 2), a->decision_id) &&
                sqlite3_column_int64(get, 3) == a->amount_fen;
    sqlite3_reset(get);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return fail(q, "award lookup");
    sqlite3_stmt *st = stmt(q, Q_AWARD_UPSERT);
    if (!st) return -1;
    bind_candidate(st, a, explanation);
    char mask[256];
    award_states_text(untouched, mask, sizeof mask);
    bind_text(st, 19, mask);
    if (exec_done(q, st, "award")) return -1;
    int done = sqlite3_changes(q->db);
    get = stmt(q, Q_AWARD_ID);
    sqlite3_bind_int64(get, 1, a->entity_id);
    bind_text(get, 2, a->item);
    sqlite3_bind_int(get, 3, a->year);
    if (sqlite3_step(get) == SQLITE_ROW) a->id = sqlite3_column_int64(get, 0);
    sqlite3_reset(get);
    if (changed) *changed = !existed ? 1 : done > 0 && !same ? 2 : 0;
    return 0;
}

static int sq_award_insert(hq_store *s, hq_award_rec *a)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_AWARD_INSERT);
    if (!st) return -1;
    bind_candidate(st, a, "");
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) a->id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : fail(q, "award");
}

static int sq_award_slots(hq_store *s, int year, int64_t lo, int64_t hi, hq_award_slot_cb cb, void *ud)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_AWARD_SLOTS);
    if (!st) return -1;
    sqlite3_bind_int(st, 1, year);
    sqlite3_bind_int64(st, 2, lo);
    sqlite3_bind_int64(st, 3, hi);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        hq_award_slot a = {.id = sqlite3_column_int64(st, 0), .entity_id = sqlite3_column_int64(st, 1), .item = col_text(st, 2),
                           .state = (hq_award_state)award_state_parse(col_text(st, 3)), .decision_id = col_text(st, 4),
                           .document = col_text(st, 5), .department = col_text(st, 6), .project = col_text(st, 7),
                           .basis = col_text(st, 8), .kind = col_text(st, 9), .voucher = sqlite3_column_int(st, 10) != 0,
                           .corpus_hash = col_text(st, 11), .stage = col_text(st, 12), .note = col_text(st, 13),
                           .entitlement_fen = sqlite3_column_int64(st, 14), .amount_fen = sqlite3_column_int64(st, 15)};
        if (cb(&a, ud)) {
            sqlite3_reset(st);
            return -1;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : fail(q, "award slots");
}

static int sq_award_drop(hq_store *s, int64_t id, unsigned untouched, int *done)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_AWARD_DROP);
    if (!st) return -1;
    char mask[256];
    award_states_text(untouched, mask, sizeof mask);
    sqlite3_bind_int64(st, 1, id);
    bind_text(st, 2, mask);
    if (exec_done(q, st, "award")) return -1;
    *done = sqlite3_changes(q->db) > 0;
    return 0;
}

static int sq_award_get(hq_store *s, int64_t id, hq_award_rec *a)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_AWARD_GET);
    if (!st) return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) read_award(st, a);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW) return 0;
    return rc == SQLITE_DONE ? 1 : fail(q, "award");
}

static int sq_award_explanation(hq_store *s, int64_t id, char **text)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_AWARD_EXPL);
    if (!st) return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    *text = rc == SQLITE_ROW ? strdup((const char *)sqlite3_column_text(st, 0)) : NULL;
    sqlite3_reset(st);
    if (rc == SQLITE_ROW) return *text ? 0 : -1;
    return rc == SQLITE_DONE ? 1 : fail(q, "explanation");
}

static int sq_award_update(hq_store *s, const hq_award_rec *a)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_AWARD_UPDATE);
    if (!st) return -1;
    sqlite3_bind_int64(st, 1, a->id);
    bind_text(st, 2, award_state_code(a->state));
    sqlite3_bind_int64(st, 3, a->amount_fen);
    bind_text(st, 4, a->note);
    bind_text(st, 5, a->reason);
    bind_text(st, 6, a->publicity_start);
    bind_text(st, 7, a->publicity_end);
    bind_text(st, 8, a->updated_at);
    bind_text(st, 9, a->decision_id);
    bind_text(st, 10, a->corpus_hash);
    bind_text(st, 11, a->stage);
    if (exec_done(q, st, "award update")) return -1;
    return sqlite3_changes(q->db) == 1 ? 0 : 1;
}

static int sq_award_set_explanation(hq_store *s, int64_t id, const char *text)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_AWARD_SET_EXPL);
    if (!st) return -1;
    sqlite3_bind_int64(st, 1, id);
    bind_text(st, 2, text);
    return exec_done(q, st, "award explanation");
}

static int sq_award_claims_set(hq_store *s, int64_t award, const hq_claim_rec *v, int n)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_CLAIMS_DEL);
    if (!st) return -1;
    sqlite3_bind_int64(st, 1, award);
    if (exec_done(q, st, "claims")) return -1;
    for (int i = 0; i < n; i++) {
        st = stmt(q, Q_CLAIM_ADD);
        if (!st) return -1;
        sqlite3_bind_int64(st, 1, award);
        sqlite3_bind_int(st, 2, i);
        bind_text(st, 3, v[i].part);
        bind_text(st, 4, v[i].project);
        bind_text(st, 5, v[i].basis);
        sqlite3_bind_int(st, 6, v[i].year);
        sqlite3_bind_int(st, 7, v[i].data_year);
        sqlite3_bind_int64(st, 8, v[i].amount_fen);
        sqlite3_bind_int(st, 9, v[i].voucher);
        if (exec_done(q, st, "claim")) return -1;
    }
    return 0;
}

static int sq_award_claims_get(hq_store *s, int64_t award, hq_claim_rec *v, int max, int *n)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_CLAIMS_GET);
    if (!st) return -1;
    sqlite3_bind_int64(st, 1, award);
    int rc;
    *n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max) {
        hq_claim_rec *c = &v[(*n)++];
        memset(c, 0, sizeof *c);
        copy_col(c->part, sizeof c->part, st, 0);
        copy_col(c->project, sizeof c->project, st, 1);
        copy_col(c->basis, sizeof c->basis, st, 2);
        c->year = sqlite3_column_int(st, 3);
        c->data_year = sqlite3_column_int(st, 4);
        c->amount_fen = sqlite3_column_int64(st, 5);
        c->voucher = sqlite3_column_int(st, 6) != 0;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : fail(q, "claims");
}

static int sq_quota_used(hq_store *s, const char *item, int year, const char *part, int64_t except_award, unsigned states, int *n)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_QUOTA_USED);
    if (!st) return -1;
    bind_text(st, 1, item);
    sqlite3_bind_int(st, 2, year);
    bind_text(st, 3, part);
    sqlite3_bind_int64(st, 4, except_award);
    char mask[256];
    award_states_text(states, mask, sizeof mask);
    bind_text(st, 5, mask);
    int rc = sqlite3_step(st);
    *n = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : fail(q, "quota");
}

static int sq_award_list(hq_store *s, const hq_award_filter *f, hq_award_cb cb, void *ud)
{
    sq_store *q = SQ(s);
    /* Built per call: the filter decides the WHERE clause; values are always bound. */
    char sql[2048];
    snprintf(sql, sizeof sql,
             "SELECT " AWARD_COLS " FROM award a JOIN entity e ON e.id = a.entity_id WHERE 1"
             "%s%s%s%s%s ORDER BY a.id%s",
             f->credit_code ? " AND e.credit_code = ?1" : "", f->item ? " AND a.item = ?2" : "",
             f->department ? " AND a.department = ?3" : "", f->year ? " AND a.year = ?4" : "",
             f->state >= 0 ? " AND a.state = ?5" : "", f->limit > 0 ? " LIMIT ?6" : "");
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(q->db, sql, -1, &st, NULL) != SQLITE_OK) return fail(q, "award list");
    if (f->credit_code) bind_text(st, 1, f->credit_code);
    if (f->item) bind_text(st, 2, f->item);
    if (f->department) bind_text(st, 3, f->department);
    if (f->year) sqlite3_bind_int(st, 4, f->year);
    if (f->state >= 0) bind_text(st, 5, award_state_code((hq_award_state)f->state));
    if (f->limit > 0) sqlite3_bind_int(st, 6, f->limit);
    int rc;
    hq_award_rec a;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        read_award(st, &a);
        if (cb(&a, ud)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    int ret = rc == SQLITE_DONE ? 0 : fail(q, "award list");
    sqlite3_finalize(st);
    return ret;
}

/* ---- objections and payments ------------------------------------------------------------ */

static void read_objection(sqlite3_stmt *st, hq_objection_rec *o);

static int sq_objection_add(hq_store *s, hq_objection_rec *o)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_OBJ_ADD);
    if (!st) return -1;
    sqlite3_bind_int64(st, 1, o->award_id);
    bind_text(st, 2, o->by);
    bind_text(st, 3, o->text);
    bind_text(st, 4, o->lodged_at);
    if (exec_done(q, st, "objection")) return -1;
    o->id = sqlite3_last_insert_rowid(q->db);
    return 0;
}

static int sq_objection_get(hq_store *s, int64_t id, hq_objection_rec *o)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_OBJ_GET);
    if (!st) return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) read_objection(st, o);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW) return 0;
    return rc == SQLITE_DONE ? 1 : fail(q, "objection");
}

static int sq_objection_resolve(hq_store *s, const hq_objection_rec *o)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_OBJ_RESOLVE);
    if (!st) return -1;
    sqlite3_bind_int64(st, 1, o->id);
    bind_text(st, 2, o->resolution);
    bind_text(st, 3, o->resolver);
    bind_text(st, 4, o->resolved_at);
    bind_text(st, 5, o->note);
    if (exec_done(q, st, "objection")) return -1;
    return sqlite3_changes(q->db) == 1 ? 0 : 1;
}

static int sq_objection_open_count(hq_store *s, int64_t award, int *n)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_OBJ_OPEN);
    if (!st) return -1;
    sqlite3_bind_int64(st, 1, award);
    int64_t v = 0;
    int rc = one_id(q, st, &v, "objections");
    *n = (int)v;
    return rc < 0 ? -1 : 0;
}

static int sq_payment_add(hq_store *s, hq_payment_rec *p)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_PAY_ADD);
    if (!st) return -1;
    sqlite3_bind_int64(st, 1, p->award_id);
    sqlite3_bind_int64(st, 2, p->amount_fen);
    sqlite3_bind_int(st, 3, p->voucher);
    bind_text(st, 4, p->batch);
    bind_text(st, 5, p->actor);
    bind_text(st, 6, p->at);
    if (exec_done(q, st, "payment")) return -1;
    p->id = sqlite3_last_insert_rowid(q->db);
    for (int i = 0; i < p->nsplits; i++) {
        st = stmt(q, Q_PAY_SPLIT);
        if (!st) return -1;
        sqlite3_bind_int64(st, 1, p->id);
        bind_text(st, 2, p->splits[i].payer);
        sqlite3_bind_int64(st, 3, p->splits[i].amount_fen);
        if (exec_done(q, st, "payment split")) return -1;
    }
    return 0;
}

static int sq_payment_get(hq_store *s, int64_t award, hq_payment_rec *p)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_PAY_GET);
    if (!st) return -1;
    sqlite3_bind_int64(st, 1, award);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        memset(p, 0, sizeof *p);
        p->id = sqlite3_column_int64(st, 0);
        p->award_id = sqlite3_column_int64(st, 1);
        p->amount_fen = sqlite3_column_int64(st, 2);
        p->voucher = sqlite3_column_int(st, 3) != 0;
        copy_col(p->batch, sizeof p->batch, st, 4);
        copy_col(p->actor, sizeof p->actor, st, 5);
        copy_col(p->at, sizeof p->at, st, 6);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW) return rc == SQLITE_DONE ? 1 : fail(q, "payment");
    st = stmt(q, Q_PAY_SPLITS);
    if (!st) return -1;
    sqlite3_bind_int64(st, 1, p->id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && p->nsplits < HQ_MAX_SPLITS) {
        copy_col(p->splits[p->nsplits].payer, sizeof p->splits[0].payer, st, 0);
        p->splits[p->nsplits++].amount_fen = sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    return 0;
}

/* ---- budgets, fiscal regime, audit, reports --------------------------------------------- */

static int sq_budget_set(hq_store *s, const hq_budget_rec *b)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_BUDGET_SET);
    if (!st) return -1;
    sqlite3_bind_int(st, 1, b->year);
    bind_text(st, 2, b->scope);
    bind_text(st, 3, b->key);
    sqlite3_bind_int64(st, 4, b->amount_fen);
    sqlite3_bind_int64(st, 5, b->hard_fen);
    return exec_done(q, st, "budget");
}

static int sq_budget_get(hq_store *s, int year, const char *scope, const char *key, hq_budget_rec *b)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_BUDGET_GET);
    if (!st) return -1;
    sqlite3_bind_int(st, 1, year);
    bind_text(st, 2, scope);
    bind_text(st, 3, key);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        memset(b, 0, sizeof *b);
        b->year = year;
        snprintf(b->scope, sizeof b->scope, "%s", scope);
        snprintf(b->key, sizeof b->key, "%s", key);
        b->amount_fen = sqlite3_column_int64(st, 0);
        b->hard_fen = sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW) return 0;
    return rc == SQLITE_DONE ? 1 : fail(q, "budget");
}

static int sq_budget_used(hq_store *s, int year, const char *scope, const char *key, unsigned states, int64_t *used)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, !strcmp(scope, "item") ? Q_BUDGET_USED_ITEM : Q_BUDGET_USED_DOC);
    if (!st) return -1;
    char mask[256];
    award_states_text(states, mask, sizeof mask);
    sqlite3_bind_int(st, 1, year);
    bind_text(st, 2, key);
    bind_text(st, 3, mask);
    return one_id(q, st, used, "budget used") < 0 ? -1 : 0;
}

static int sq_budget_list(hq_store *s, int year, int (*cb)(const hq_budget_rec *, void *), void *ud)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_BUDGET_LIST);
    if (!st) return -1;
    sqlite3_bind_int(st, 1, year);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        hq_budget_rec b = {.year = sqlite3_column_int(st, 0)};
        copy_col(b.scope, sizeof b.scope, st, 1);
        copy_col(b.key, sizeof b.key, st, 2);
        b.amount_fen = sqlite3_column_int64(st, 3);
        b.hard_fen = sqlite3_column_int64(st, 4);
        if (cb(&b, ud)) break;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : fail(q, "budgets");
}

static int sq_fiscal_set(hq_store *s, const hq_fiscal_rec *f)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_FISCAL_SET);
    if (!st) return -1;
    bind_text(st, 1, f->district);
    sqlite3_bind_int64(st, 2, f->city_share);
    bind_text(st, 3, f->source);
    bind_text(st, 4, f->as_of);
    return exec_done(q, st, "fiscal regime");
}

static int sq_fiscal_get(hq_store *s, const char *district, hq_fiscal_rec *f)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_FISCAL_GET);
    if (!st) return -1;
    bind_text(st, 1, district);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        memset(f, 0, sizeof *f);
        copy_col(f->district, sizeof f->district, st, 0);
        f->city_share = sqlite3_column_int64(st, 1);
        copy_col(f->source, sizeof f->source, st, 2);
        copy_col(f->as_of, sizeof f->as_of, st, 3);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW) return 0;
    return rc == SQLITE_DONE ? 1 : fail(q, "fiscal regime");
}

static int sq_bank_set(hq_store *s, const hq_bank_rec *b)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_BANK_SET);
    if (!st) return -1;
    bind_text(st, 1, b->credit_code);
    bind_text(st, 2, b->bank);
    bind_text(st, 3, b->account);
    bind_text(st, 4, b->holder);
    bind_text(st, 5, b->by);
    bind_text(st, 6, b->at);
    return exec_done(q, st, "bank account");
}

/* 0 and the account, 1 when the firm has none, -1 on error. */
static int sq_bank_get(hq_store *s, const char *credit_code, hq_bank_rec *b)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_BANK_GET);
    if (!st) return -1;
    bind_text(st, 1, credit_code);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        memset(b, 0, sizeof *b);
        copy_col(b->credit_code, sizeof b->credit_code, st, 0);
        copy_col(b->bank, sizeof b->bank, st, 1);
        copy_col(b->account, sizeof b->account, st, 2);
        copy_col(b->holder, sizeof b->holder, st, 3);
        copy_col(b->by, sizeof b->by, st, 4);
        copy_col(b->at, sizeof b->at, st, 5);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW) return 0;
    return rc == SQLITE_DONE ? 1 : fail(q, "bank account");
}

static int sq_obs_put(hq_store *s, const hq_obs_rec *o)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_OBS_PUT);
    if (!st) return -1;
    bind_text(st, 1, o->plan);
    bind_text(st, 2, o->indicator);
    bind_text(st, 3, o->area);
    bind_text(st, 4, o->period);
    bind_text(st, 5, o->value);
    bind_text(st, 6, o->source);
    bind_text(st, 7, o->published);
    bind_text(st, 8, o->note);
    sqlite3_bind_int64(st, 9, o->import_id);
    sqlite3_bind_int(st, 10, o->row);
    return exec_done(q, st, "indicator observation");
}

static int sq_login_failures_get(hq_store *s, const char *username, int *failures, int64_t *last_ms)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_LOGIN_FAIL_GET);
    if (!st) return -1;
    bind_text(st, 1, username);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *failures = sqlite3_column_int(st, 0);
        *last_ms = sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW) return 0;
    return rc == SQLITE_DONE ? 1 : fail(q, "login failures");
}

static int sq_login_failures_put(hq_store *s, const char *username, int failures, int64_t last_ms)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_LOGIN_FAIL_PUT);
    if (!st) return -1;
    bind_text(st, 1, username);
    sqlite3_bind_int(st, 2, failures);
    sqlite3_bind_int64(st, 3, last_ms);
    return exec_done(q, st, "login failures");
}

static int sq_obs_list(hq_store *s, const char *plan, const char *area, int (*cb)(const hq_obs_rec *, void *), void *ud)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_OBS_LIST);
    if (!st) return -1;
    bind_text(st, 1, plan);
    bind_text(st, 2, area);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        hq_obs_rec o;
        copy_col(o.plan, sizeof o.plan, st, 0);
        copy_col(o.indicator, sizeof o.indicator, st, 1);
        copy_col(o.area, sizeof o.area, st, 2);
        copy_col(o.period, sizeof o.period, st, 3);
        copy_col(o.value, sizeof o.value, st, 4);
        copy_col(o.source, sizeof o.source, st, 5);
        copy_col(o.published, sizeof o.published, st, 6);
        copy_col(o.note, sizeof o.note, st, 7);
        o.import_id = sqlite3_column_int64(st, 8);
        o.row = sqlite3_column_int(st, 9);
        if (cb(&o, ud)) break;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : fail(q, "indicator observations");
}

static int sq_audit_append(hq_store *s, const hq_audit_rec *r)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_AUDIT_ADD);
    if (!st) return -1;
    sqlite3_bind_int64(st, 1, r->seq);
    bind_text(st, 2, r->at);
    bind_text(st, 3, r->actor);
    bind_text(st, 4, r->action);
    bind_text(st, 5, r->object);
    if (r->before) bind_text(st, 6, r->before);
    if (r->after) bind_text(st, 7, r->after);
    bind_text(st, 8, r->prev);
    bind_text(st, 9, r->hash);
    return exec_done(q, st, "audit");
}

static int audit_rows(sq_store *q, sqlite3_stmt *st, hq_audit_cb cb, void *ud)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        hq_audit_rec r = {.seq = sqlite3_column_int64(st, 0)};
        copy_col(r.at, sizeof r.at, st, 1);
        copy_col(r.actor, sizeof r.actor, st, 2);
        copy_col(r.action, sizeof r.action, st, 3);
        copy_col(r.object, sizeof r.object, st, 4);
        r.before = (char *)sqlite3_column_text(st, 5);
        r.after = (char *)sqlite3_column_text(st, 6);
        copy_col(r.prev, sizeof r.prev, st, 7);
        copy_col(r.hash, sizeof r.hash, st, 8);
        if (cb(&r, ud)) break;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : fail(q, "audit");
}

static int sq_audit_scan(hq_store *s, hq_audit_cb cb, void *ud)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_AUDIT_SCAN);
    return st ? audit_rows(q, st, cb, ud) : -1;
}

/* The audit rows of one object ("award#17"), oldest first: an award's history. */
static int sq_audit_of(hq_store *s, const char *object, hq_audit_cb cb, void *ud)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_AUDIT_OF);
    if (!st) return -1;
    bind_text(st, 1, object);
    return audit_rows(q, st, cb, ud);
}

static void read_objection(sqlite3_stmt *st, hq_objection_rec *o)
{
    memset(o, 0, sizeof *o);
    o->id = sqlite3_column_int64(st, 0);
    o->award_id = sqlite3_column_int64(st, 1);
    copy_col(o->by, sizeof o->by, st, 2);
    copy_col(o->text, sizeof o->text, st, 3);
    copy_col(o->lodged_at, sizeof o->lodged_at, st, 4);
    copy_col(o->resolution, sizeof o->resolution, st, 5);
    copy_col(o->resolver, sizeof o->resolver, st, 6);
    copy_col(o->resolved_at, sizeof o->resolved_at, st, 7);
    copy_col(o->note, sizeof o->note, st, 8);
}

static int sq_objection_list(hq_store *s, int64_t award, int (*cb)(const hq_objection_rec *, void *), void *ud)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_OBJ_LIST);
    if (!st) return -1;
    sqlite3_bind_int64(st, 1, award);
    int rc;
    hq_objection_rec o;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        read_objection(st, &o);
        if (cb(&o, ud)) break;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : fail(q, "objections");
}

static int sq_report(hq_store *s, hq_report_by by, int year, hq_report_cb cb, void *ud)
{
    sq_store *q = SQ(s);
    static const char *const KEY[REPORT__COUNT] = {
        [REPORT_DOCUMENT] = "a.document",
        [REPORT_ITEM] = "a.item",
        [REPORT_DEPARTMENT] = "a.department",
        [REPORT_DISTRICT] = "coalesce((SELECT json_extract(value, '$') FROM fact WHERE entity_id = a.entity_id"
                            " AND name = 'district' AND year = 0), '')",
        [REPORT_INDUSTRY] = "coalesce((SELECT json_extract(value, '$') FROM fact WHERE entity_id = a.entity_id"
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
             "SELECT %s AS k, a.state, count(*), sum(a.amount_fen), coalesce(sum(p.amount_fen), 0), a.voucher"
             " FROM award a LEFT JOIN payment p ON p.award_id = a.id WHERE (?1 = 0 OR a.year = ?1)%s"
             " GROUP BY k, a.state, a.voucher ORDER BY k, a.state, a.voucher",
             KEY[by], by == REPORT_MONTH ? " AND p.id IS NOT NULL" : "");
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(q->db, sql, -1, &st, NULL) != SQLITE_OK) return fail(q, "report");
    sqlite3_bind_int(st, 1, year);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        hq_report_row r = {.key = (const char *)sqlite3_column_text(st, 0),
                           .state = (const char *)sqlite3_column_text(st, 1),
                           .count = sqlite3_column_int64(st, 2),
                           .amount_fen = sqlite3_column_int64(st, 3),
                           .paid_fen = sqlite3_column_int64(st, 4),
                           .voucher = sqlite3_column_int(st, 5) != 0};
        if (!r.key) r.key = "";
        if (cb(&r, ud)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    int ret = rc == SQLITE_DONE ? 0 : fail(q, "report");
    sqlite3_finalize(st);
    return ret;
}

/* ---- accounts and sessions ------------------------------------------------------------- */

static int sq_user_put(hq_store *s, hq_user_rec *u)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_USER_PUT);
    if (!st) return -1;
    bind_text(st, 1, u->username);
    bind_text(st, 2, u->password);
    bind_text(st, 3, u->role);
    bind_text(st, 4, u->credit_code);
    bind_text(st, 5, u->department);
    bind_text(st, 6, u->display_name);
    bind_text(st, 7, u->created_at);
    sqlite3_bind_int(st, 8, u->disabled);
    bind_text(st, 9, u->read_at);
    int rc = one_id(q, st, &u->id, "user");
    return rc == 0 ? 0 : fail(q, "user");
}

static void read_user(sqlite3_stmt *st, hq_user_rec *u)
{
    memset(u, 0, sizeof *u);
    u->id = sqlite3_column_int64(st, 0);
    copy_col(u->username, sizeof u->username, st, 1);
    copy_col(u->password, sizeof u->password, st, 2);
    copy_col(u->role, sizeof u->role, st, 3);
    copy_col(u->credit_code, sizeof u->credit_code, st, 4);
    copy_col(u->department, sizeof u->department, st, 5);
    copy_col(u->display_name, sizeof u->display_name, st, 6);
    copy_col(u->created_at, sizeof u->created_at, st, 7);
    u->disabled = sqlite3_column_int(st, 8) != 0;
    copy_col(u->read_at, sizeof u->read_at, st, 9);
}

static int sq_user_list(hq_store *s, int (*cb)(const hq_user_rec *, void *), void *ud)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_USER_LIST);
    if (!st) return -1;
    int rc;
    hq_user_rec u;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        read_user(st, &u);
        if (cb(&u, ud)) break;
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fail(q, "users");
}

static int sq_user_get(hq_store *s, int64_t id, const char *username, hq_user_rec *u)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, username ? Q_USER_BY_NAME : Q_USER_GET);
    if (!st) return -1;
    if (username) bind_text(st, 1, username);
    else sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) read_user(st, u);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW) return 0;
    return rc == SQLITE_DONE ? 1 : fail(q, "user");
}

static int sq_session_end_user(hq_store *s, int64_t user_id)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_SESSION_DEL_USER);
    if (!st) return -1;
    sqlite3_bind_int64(st, 1, user_id);
    return exec_done(q, st, "session");
}

static int sq_material_add(hq_store *s, hq_material_rec *m, const void *data)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_MAT_ADD);
    if (!st) return -1;
    sqlite3_bind_int64(st, 1, m->award_id);
    bind_text(st, 2, m->name);
    bind_text(st, 3, m->type);
    sqlite3_bind_int64(st, 4, m->size);
    bind_text(st, 5, m->sha256);
    sqlite3_bind_blob64(st, 6, data, (sqlite3_uint64)m->size, SQLITE_STATIC);
    bind_text(st, 7, m->by);
    bind_text(st, 8, m->at);
    int rc = one_id(q, st, &m->id, "material");
    return rc == 0 ? 0 : fail(q, "material");
}

static void read_material(sqlite3_stmt *st, hq_material_rec *m)
{
    memset(m, 0, sizeof *m);
    m->id = sqlite3_column_int64(st, 0);
    m->award_id = sqlite3_column_int64(st, 1);
    copy_col(m->name, sizeof m->name, st, 2);
    copy_col(m->type, sizeof m->type, st, 3);
    m->size = sqlite3_column_int64(st, 4);
    copy_col(m->sha256, sizeof m->sha256, st, 5);
    copy_col(m->by, sizeof m->by, st, 6);
    copy_col(m->at, sizeof m->at, st, 7);
}

static int sq_material_list(hq_store *s, int64_t award, int (*cb)(const hq_material_rec *, void *), void *ud)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_MAT_LIST);
    if (!st) return -1;
    sqlite3_bind_int64(st, 1, award);
    int rc;
    hq_material_rec m;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        read_material(st, &m);
        if (cb(&m, ud)) break;
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fail(q, "materials");
}

/* The material and a malloc'd copy of its bytes (the caller frees *data); 1 if none. */
static int sq_material_get(hq_store *s, int64_t id, hq_material_rec *m, void **data)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_MAT_GET);
    if (!st) return -1;
    sqlite3_bind_int64(st, 1, id);
    *data = NULL;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_material(st, m);
        int n = sqlite3_column_bytes(st, 8);
        const void *b = sqlite3_column_blob(st, 8);
        *data = malloc(n > 0 ? (size_t)n : 1);
        if (*data && n > 0) memcpy(*data, b, (size_t)n);
        m->size = n;
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW) {
        if (*data) return 0;
        snprintf(q->base.err, sizeof q->base.err, "out of memory");
        return -1;
    }
    return rc == SQLITE_DONE ? 1 : fail(q, "material");
}

static int sq_session_put(hq_store *s, const hq_session_rec *r)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_SESSION_PUT);
    if (!st) return -1;
    bind_text(st, 1, r->token_hash);
    sqlite3_bind_int64(st, 2, r->user_id);
    bind_text(st, 3, r->csrf);
    sqlite3_bind_int64(st, 4, r->expires);
    return exec_done(q, st, "session");
}

static int sq_session_get(hq_store *s, const char *token_hash, hq_session_rec *r)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_SESSION_GET);
    if (!st) return -1;
    bind_text(st, 1, token_hash);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        memset(r, 0, sizeof *r);
        copy_col(r->token_hash, sizeof r->token_hash, st, 0);
        r->user_id = sqlite3_column_int64(st, 1);
        copy_col(r->csrf, sizeof r->csrf, st, 2);
        r->expires = sqlite3_column_int64(st, 3);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW) return 0;
    return rc == SQLITE_DONE ? 1 : fail(q, "session");
}

/* Remove one session (logout) and every session that expired before the given time. */
static int sq_session_delete(hq_store *s, const char *token_hash, int64_t expired_before)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, Q_SESSION_DEL);
    if (!st) return -1;
    bind_text(st, 1, token_hash);
    sqlite3_bind_int64(st, 2, expired_before);
    return exec_done(q, st, "session");
}

static const hq_store_ops SQLITE_OPS = {
#define X(ret, name, params, args) .name = sq_##name,
    HQ_STORE_OPS(X)
#undef X
};
