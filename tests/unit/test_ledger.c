/*
 * Unit tests for the ledger layer below the CLI: schema migration, all-or-nothing imports
 * with provenance and idempotence, the hash-chained audit log catching an edited row,
 * and what-if overlays changing a derived corpus while the shared one stays as it was.
 * Each test uses a fresh SQLite file in a temporary directory.
 */
#include "helpers.h"

#include <sys/stat.h>

#include <sqlite3.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "eval/overlay.h"
#include "ledger/audit.h"
#include "ledger/entity_doc.h"
#include "ledger/importer.h"
#include "base/strbuf.h"
#include "store/store.h"

static char dir[] = "/tmp/huiqi-ledger-test-XXXXXX";
static char dbpath[256];
static hq_corpus *policies;

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(dir)) return -1;
    hq_diag d;
    diag_init(&d);
    policies = corpus_load("policies", &d);
    diag_free(&d);
    return policies ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    corpus_free(policies);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static hq_store *fresh_store(const char *name)
{
    snprintf(dbpath, sizeof dbpath, "%s/%s.db", dir, name);
    hq_diag d;
    diag_init(&d);
    hq_store *s = store_open(dbpath, true, &d);
    diag_free(&d);
    assert_non_null(s);
    int from, to;
    assert_int_equal(store_migrate(s, &from, &to), 0);
    return s;
}

static void migration_is_versioned_and_idempotent(void **state)
{
    (void)state;
    hq_store *s = fresh_store("migrate");
    int from, to;
    assert_int_equal(store_migrate(s, &from, &to), 0);
    assert_int_equal(from, HQ_SCHEMA_VERSION);
    assert_int_equal(to, HQ_SCHEMA_VERSION);
    store_close(s);
}

static const char ENTITIES[] =
    "credit_code,name,district,registered,entity_type,industry\n"
    "91330302MA285XT30K,温州示例科技有限公司,鹿城区,2015-03-02,企业,创意设计\n";

static int import_text(hq_store *s, const char *kind, const char *name, const char *text, hq_import_result *r, hq_diag *d)
{
    return ledger_import_buffer(s, policies, kind, name, text, strlen(text), "test", NULL, r, d);
}

static void import_is_idempotent_and_keeps_provenance(void **state)
{
    (void)state;
    setenv("HUIQI_NOW", "2022-03-01", 1);
    hq_store *s = fresh_store("import");
    hq_diag d;
    diag_init(&d);
    hq_import_result r;
    assert_int_equal(import_text(s, "entities", "entities.csv", ENTITIES, &r, &d), 0);
    assert_false(r.duplicate);
    assert_int_equal(r.entities, 1);
    assert_int_equal(import_text(s, "entities", "again.csv", ENTITIES, &r, &d), 0);
    assert_true(r.duplicate);
    assert_int_equal(import_text(s, "tax", "tax.csv", "credit_code,year,local_contribution\n91330302MA285XT30K,2021,1234.56\n", &r, &d), 0);
    int64_t id;
    assert_int_equal(store_entity_find(s, "91330302MA285XT30K", &id), 0);
    json_t *doc = NULL;
    assert_int_equal(ledger_entity_doc(s, id, &doc), 0);
    assert_string_equal(json_string_value(json_object_get(json_object_get(json_object_get(doc, "years"), "2021"), "local_contribution")),
                        "1234.56");
    assert_string_equal(json_string_value(json_object_get(doc, "district")), "鹿城区");
    const char *ds = json_string_value(json_object_get(json_object_get(json_object_get(doc, "provenance"), "local_contribution"), "dataset"));
    assert_string_equal(ds, "tax:tax.csv#2");
    json_decref(doc);
    assert_int_equal(d.count, 0);
    diag_free(&d);
    store_close(s);
}

static void bad_import_changes_nothing(void **state)
{
    (void)state;
    setenv("HUIQI_NOW", "2022-03-01", 1);
    hq_store *s = fresh_store("bad");
    hq_diag d;
    diag_init(&d);
    hq_import_result r;
    assert_int_equal(import_text(s, "entities", "entities.csv", ENTITIES, &r, &d), 0);
    /* A good row, a negative amount and a duplicate key: the whole file is refused. */
    const char *bad = "credit_code,year,local_contribution\n"
                      "91330302MA285XT30K,2020,100.00\n"
                      "91330302MA285XT30K,2021,-5.00\n"
                      "91330302MA285XT30K,2020,7.00\n";
    assert_int_equal(import_text(s, "tax", "tax.csv", bad, &r, &d), 1);
    assert_true(diag_has(&d, "tax.csv:3: 第3行第3列「local_contribution」：「-5.00」：金额不能为负"));
    assert_true(diag_has(&d, "tax.csv:4: 第4行：与第 2 行重复"));
    int64_t id;
    json_t *doc = NULL;
    assert_int_equal(store_entity_find(s, "91330302MA285XT30K", &id), 0);
    assert_int_equal(ledger_entity_doc(s, id, &doc), 0);
    assert_int_equal(json_object_size(json_object_get(doc, "years")), 0); /* nothing of the file was written */
    json_decref(doc);
    diag_free(&d);
    diag_init(&d);
    /* A wrong check character names the right one. */
    assert_int_equal(import_text(s, "entities", "e2.csv", "credit_code,name\n91330302MA285XT30X,某公司\n", &r, &d), 1);
    assert_true(diag_has(&d, "校验位应为「K」"));
    diag_free(&d);
    store_close(s);
}

/* An import skips the store's per-row reference checks (it has checked every entity
 * itself); afterwards, whether it committed or was refused, an ordinary write to an entity
 * that does not exist must be refused again. */
static bool dangling_fact_refused(hq_store *s)
{
    if (store_begin(s)) return false;
    int rc = store_fact_put(s, 987654321, "district", 0, "\"鹿城区\"", 1, 1);
    store_rollback(s);
    return rc != 0;
}

static void references_are_checked_again_after_an_import(void **state)
{
    (void)state;
    setenv("HUIQI_NOW", "2022-03-01", 1);
    hq_store *s = fresh_store("bulk");
    hq_diag d;
    diag_init(&d);
    hq_import_result r;
    assert_true(dangling_fact_refused(s));
    assert_int_equal(import_text(s, "entities", "entities.csv", ENTITIES, &r, &d), 0);
    assert_true(dangling_fact_refused(s));
    assert_int_equal(import_text(s, "tax", "tax.csv", "credit_code,year,local_contribution\n91330302MA285XT30K,2021,-1\n", &r, &d), 1);
    assert_true(dangling_fact_refused(s));
    diag_free(&d);
    store_close(s);
}

/* A department's Excel workbook imports as its CSV would, with the same checks: an amount
 * typed in a money format, a registration date in a date format, and a bad row named by
 * its row number in the sheet. */
static void excel_workbook_imports_like_csv(void **state)
{
    (void)state;
    setenv("HUIQI_NOW", "2022-03-01", 1);
    hq_store *s = fresh_store("xlsx");
    char book[600];
    snprintf(book, sizeof book, "%s/entities.xlsx", dir);
    lxw_workbook *wb = workbook_new(book);
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy/m/d");
    const char *head[] = {"统一社会信用代码", "企业名称", "注册地", "注册日期"};
    for (int c = 0; c < 4; c++) worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], NULL);
    worksheet_write_string(ws, 1, 0, "91330302MA285XT30K", NULL);
    worksheet_write_string(ws, 1, 1, "温州示例科技有限公司", NULL);
    worksheet_write_string(ws, 1, 2, "鹿城区", NULL);
    lxw_datetime reg = {2015, 3, 2, 0, 0, 0};
    worksheet_write_datetime(ws, 1, 3, &reg, date);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    hq_strbuf bytes;
    sb_init(&bytes, 1 << 20);
    assert_int_equal(sb_read_file(&bytes, book), 0);
    hq_diag d;
    diag_init(&d);
    hq_import_result r;
    assert_int_equal(ledger_import_buffer(s, policies, "entities", "entities.xlsx", bytes.data, bytes.len, "test", NULL, &r, &d), 0);
    assert_int_equal(r.entities, 1);
    assert_string_equal(r.encoding, "XLSX");
    int64_t id;
    json_t *doc = NULL;
    assert_int_equal(store_entity_find(s, "91330302MA285XT30K", &id), 0);
    assert_int_equal(ledger_entity_doc(s, id, &doc), 0);
    assert_string_equal(json_string_value(json_object_get(doc, "registered")), "2015-03-02");
    json_decref(doc);
    sb_free(&bytes);

    /* row 3 of the sheet has a district that is not one */
    wb = workbook_new(book);
    ws = workbook_add_worksheet(wb, NULL);
    for (int c = 0; c < 3; c++) worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], NULL);
    worksheet_write_string(ws, 1, 0, "91330302MA285XT30K", NULL);
    worksheet_write_string(ws, 1, 1, "温州示例科技有限公司", NULL);
    worksheet_write_string(ws, 2, 0, "91330302MA285XT30K", NULL);
    worksheet_write_string(ws, 2, 1, "温州示例科技有限公司", NULL);
    worksheet_write_string(ws, 2, 2, "火星区", NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    sb_init(&bytes, 1 << 20);
    assert_int_equal(sb_read_file(&bytes, book), 0);
    assert_int_equal(ledger_import_buffer(s, policies, "entities", "e2.xlsx", bytes.data, bytes.len, "test", NULL, &r, &d), 1);
    assert_true(diag_has(&d, "e2.xlsx:3: 第3行第3列「注册地」"));
    sb_free(&bytes);
    diag_free(&d);
    store_close(s);
}

static void audit_chain_detects_an_edited_row(void **state)
{
    (void)state;
    hq_store *s = fresh_store("audit");
    for (int i = 0; i < 3; i++) {
        assert_int_equal(store_begin(s), 0);
        json_t *after = json_pack("{s:i}", "n", i);
        assert_int_equal(audit_log(s, "tester", "test", "object", NULL, after), 0);
        json_decref(after);
        assert_int_equal(store_commit(s), 0);
    }
    hq_diag d;
    diag_init(&d);
    hq_audit_check x;
    assert_int_equal(audit_verify(s, NULL, &d, &x), 0);
    assert_int_equal(x.rows, 3);
    /* A new ledger is keyed from its first row, with a private key file beside it. */
    assert_int_equal(x.keyed_from, 1);
    assert_true(x.key);
    char keyfile[600];
    struct stat st;
    snprintf(keyfile, sizeof keyfile, "%s.key", dbpath);
    assert_int_equal(stat(keyfile, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    store_close(s);
    /* Someone with the database file edits row 2 behind huiqi's back. */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "UPDATE audit SET actor = 'mallory' WHERE seq = 2", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'mallory' WHERE seq = 2", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    diag_init(&d);
    hq_diag od;
    diag_init(&od);
    s = store_open(dbpath, false, &od);
    assert_non_null(s);
    assert_int_equal(audit_verify(s, NULL, &d, &x), 1);
    assert_true(diag_has(&d, "审计记录第2条: 内容与其哈希不符"));
    diag_free(&d);
    diag_free(&od);
    store_close(s);
}

static void overlay_changes_a_derived_corpus_only(void **state)
{
    (void)state;
    hq_diag d;
    diag_init(&d);
    char text[] = "item d-1-1 {\n article 1\n row 1\n title \"技改\"\n department \"部门\"\n duty 受理\n kind 数据核校\n"
                  " source \"按投资额的20%给予不超过400万元的补助\"\n require sales 以上 500万元\n amount sales * 20% cap 400万元\n}\n";
    hq_corpus *c = corpus_from_text(text, &d);
    assert_int_equal(d.count, 0);
    json_error_t je;
    json_t *ov = json_loads("[{\"item\": \"d-1-1\", \"cap\": \"500万元\"}, {\"item\": \"d-1-1\", \"replace\": \"20%\", \"with\": \"12%\"}]", 0, &je);
    json_t *changes = json_array();
    hq_corpus *w = overlay_new(c, ov, changes, &d);
    assert_non_null(w);
    assert_int_equal(json_array_size(changes), 2);
    assert_string_not_equal(w->hash, c->hash);
    const char *e = ENTITY(", \"years\": {\"2021\": {\"sales\": \"50000000.00\"}}");
    /* 5000万 × 20% = 1000万, capped at 400万; under the overlay × 12% = 600万, capped at 500万. */
    assert_int_equal(eval_text(c, "d-1-1", e, 2021).amount_fen, 400000000);
    assert_int_equal(eval_text(w, "d-1-1", e, 2021).amount_fen, 500000000);
    const char *small = ENTITY(", \"years\": {\"2021\": {\"sales\": \"10000000.00\"}}");
    assert_int_equal(eval_text(w, "d-1-1", small, 2021).amount_fen, 120000000);
    assert_int_equal(eval_text(c, "d-1-1", small, 2021).amount_fen, 200000000);
    overlay_free(w);
    json_decref(ov);
    /* Errors name the change at fault. */
    ov = json_loads("[{\"item\": \"d-1-1\", \"replace\": \"20%\", \"with\": \"12元\"}, {\"item\": \"nope\", \"cap\": \"1元\"}]", 0, &je);
    assert_null(overlay_new(c, ov, NULL, &d));
    assert_true(diag_has(&d, "$[0]: 新值：须与"));
    assert_true(diag_has(&d, "$[1]: 条款：没有这个条款"));
    json_decref(ov);
    json_decref(changes);
    corpus_free(c);
    diag_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(migration_is_versioned_and_idempotent),
        cmocka_unit_test(import_is_idempotent_and_keeps_provenance),
        cmocka_unit_test(bad_import_changes_nothing),
        cmocka_unit_test(references_are_checked_again_after_an_import),
        cmocka_unit_test(excel_workbook_imports_like_csv),
        cmocka_unit_test(audit_chain_detects_an_edited_row),
        cmocka_unit_test(overlay_changes_a_derived_corpus_only),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
