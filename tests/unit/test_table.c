/*
 * Unit tests for the report table (io/table.c): terminal layout with Chinese and ASCII
 * mixed, CSV quoting and the BOM, exact totals near the top of the int64 range, the hard
 * caps and the sticky error, Excel sheet names, and an XLSX smoke test (the file is a ZIP
 * and libxlsxwriter reported success; its contents are libxlsxwriter's business).
 */
#include "helpers.h"

#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "io/table.h"

/* The text writer's output as a string the caller frees. */
static char *render(const hq_table *t, int (*writer)(const hq_table *, FILE *))
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(writer(t, f), 0);
    fclose(f);
    return buf;
}

/* The awards table used by several tests: 序号 is excluded from the total, one count and
 * one rate are blank. */
static hq_table *awards_table(void)
{
    hq_table *t = table_new("2021年奖励汇总");
    assert_int_equal(table_add_column(t, "序号", HQ_COL_INT), 0);
    assert_int_equal(table_add_column(t, "企业名称", HQ_COL_TEXT), 1);
    assert_int_equal(table_add_column(t, "件数", HQ_COL_INT), 2);
    assert_int_equal(table_add_column(t, "奖励金额", HQ_COL_MONEY_FEN), 3);
    assert_int_equal(table_add_column(t, "比例", HQ_COL_RATE), 4);
    assert_int_equal(table_exclude_from_total(t, 0), 0);

    assert_int_equal(table_add_row(t), 0);
    table_set_int(t, 0, 1);
    table_set_text(t, 1, "温州设计有限公司");
    table_set_int(t, 2, 3);
    table_set_fen(t, 3, 123456789);
    table_set_rate(t, 4, 200000);

    assert_int_equal(table_add_row(t), 0);
    table_set_int(t, 0, 2);
    table_set_text(t, 1, "ABC 贸易");
    table_set_int(t, 2, 12);
    table_set_fen(t, 3, 5);
    table_set_rate(t, 4, 123456);

    assert_int_equal(table_add_row(t), 0);
    table_set_int(t, 0, 3);
    table_set_text(t, 1, "Ｆ全角");
    table_set_fen(t, 3, -250);
    assert_null(table_error(t));
    return t;
}

static void display_width_counts_wide_characters_twice(void **state)
{
    (void)state;
    assert_int_equal(table_display_width(""), 0);
    assert_int_equal(table_display_width("abc"), 3);
    assert_int_equal(table_display_width("温州A"), 5);
    assert_int_equal(table_display_width("ＡＢ"), 4);          /* fullwidth forms */
    assert_int_equal(table_display_width("〔2020〕"), 8);      /* CJK brackets */
    assert_int_equal(table_display_width("\xF0\xA0\x80\x80"), 2); /* U+20000, plane 2 */
    assert_int_equal(table_display_width("한"), 2);             /* Hangul syllable */
    assert_int_equal(table_display_width("e\xCC\x81"), 1);      /* e + combining acute */
    assert_int_equal(table_display_width("é"), 1);
    assert_int_equal(table_display_width("\xFF"), 1);           /* invalid byte */
}

static void text_aligns_mixed_chinese_and_ascii(void **state)
{
    (void)state;
    hq_table *t = awards_table();
    assert_int_equal(table_add_total(t, NULL), 0);
    char *out = render(t, table_write_text);
    /* Widths: 序号 4, 企业名称 16 (温州设计有限公司), 件数 4, 奖励金额 12, 比例 8 (12.3456%). */
    const char *want =
        "2021年奖励汇总\n"
        "序号  企业名称          件数      奖励金额      比例\n"
        "----  ----------------  ----  ------------  --------\n"
        "   1  温州设计有限公司     3  1,234,567.89    20.00%\n"
        "   2  ABC 贸易            12          0.05  12.3456%\n"
        "   3  Ｆ全角                         -2.50\n"
        "----  ----------------  ----  ------------  --------\n"
        "      合计                15  1,234,565.44\n";
    assert_string_equal(out, want);
    free(out);
    table_free(t);
}

static void text_shows_controls_as_spaces(void **state)
{
    (void)state;
    hq_table *t = table_new(NULL);
    table_add_column(t, "名称", HQ_COL_TEXT);
    table_add_row(t);
    table_set_text(t, 0, "a\nb\x1b[31mc");
    char *out = render(t, table_write_text);
    /* The cell is 9 columns wide: every control character takes one, as a space. */
    assert_string_equal(out, "名称\n"
                             "---------\n"
                             "a b [31mc\n");
    free(out);
    table_free(t);
}

static void csv_quotes_and_starts_with_bom(void **state)
{
    (void)state;
    hq_table *t = table_new("csv");
    table_add_column(t, "名称", HQ_COL_TEXT);
    table_add_column(t, "金额", HQ_COL_MONEY_FEN);
    table_add_column(t, "比例", HQ_COL_RATE);
    table_add_column(t, "备注", HQ_COL_TEXT);
    table_add_row(t);
    table_set_text(t, 0, "温州,鹿城");
    table_set_fen(t, 1, 123456789);
    table_set_rate(t, 2, 200000);
    table_set_text(t, 3, "他说\"好\"");
    table_add_row(t);
    table_set_text(t, 0, "=HYPERLINK(\"x\")");
    table_set_fen(t, 1, -5);
    table_set_text(t, 3, "line1\nline2");
    table_add_row(t);
    table_set_text(t, 0, "-");
    table_set_fen(t, 1, INT64_C(100000000000000));
    table_set_rate(t, 2, 0);
    table_set_text(t, 3, "");
    assert_int_equal(table_add_total(t, "合计"), 0);
    char *out = render(t, table_write_csv);
    const char *want = "\xEF\xBB\xBF"
                       "名称,金额,比例,备注\r\n"
                       "\"温州,鹿城\",1234567.89,20.00%,\"他说\"\"好\"\"\"\r\n"
                       "\"'=HYPERLINK(\"\"x\"\")\",-0.05,,\"line1\nline2\"\r\n"
                       "'-,1000000000000.00,0.00%,\r\n"
                       "合计,1000001234567.84,,\r\n";
    assert_string_equal(out, want);
    free(out);
    table_free(t);
}

static void totals_are_exact_integers(void **state)
{
    (void)state;
    hq_table *t = table_new("大额");
    table_add_column(t, "项目", HQ_COL_TEXT);
    table_add_column(t, "金额", HQ_COL_MONEY_FEN);
    table_add_column(t, "件数", HQ_COL_INT);
    const int64_t fen[] = {INT64_C(333333333333333), INT64_C(333333333333333), INT64_C(333333333333334)};
    for (int i = 0; i < 3; i++) {
        table_add_row(t);
        table_set_fen(t, 1, fen[i]);
        table_set_int(t, 2, INT64_C(9007199254740993)); /* 2^53 + 1: a double would lose the 1 */
    }
    assert_int_equal(table_add_total(t, NULL), 0);
    int64_t v;
    assert_true(table_get_number(t, 3, 1, &v));
    assert_int_equal(v, INT64_C(1000000000000000)); /* 10^15 分 */
    assert_true(table_get_number(t, 3, 2, &v));
    assert_int_equal(v, INT64_C(27021597764222979));
    assert_false(table_get_number(t, 3, 0, &v)); /* the label is text */
    assert_false(table_get_number(t, 4, 1, &v));
    char *out = render(t, table_write_text);
    assert_non_null(strstr(out, "合计  10,000,000,000,000.00  27021597764222979\n"));
    free(out);
    out = render(t, table_write_csv);
    assert_non_null(strstr(out, "合计,10000000000000.00,27021597764222979\r\n"));
    free(out);
    table_free(t);

    /* Intermediate sums may pass int64 as long as the total fits. */
    t = table_new(NULL);
    table_add_column(t, "金额", HQ_COL_MONEY_FEN);
    const int64_t swing[] = {INT64_MAX, INT64_MAX, -INT64_MAX};
    for (int i = 0; i < 3; i++) {
        table_add_row(t);
        table_set_fen(t, 0, swing[i]);
    }
    assert_int_equal(table_add_total(t, NULL), 0);
    assert_true(table_get_number(t, 3, 0, &v));
    assert_int_equal(v, INT64_MAX);
    out = render(t, table_write_csv);
    assert_non_null(strstr(out, "\r\n92233720368547758.07\r\n"));
    free(out);
    table_free(t);

    /* A total that does not fit is refused, never wrapped. */
    t = table_new(NULL);
    table_add_column(t, "金额", HQ_COL_MONEY_FEN);
    for (int i = 0; i < 2; i++) {
        table_add_row(t);
        table_set_fen(t, 0, INT64_MIN);
    }
    assert_int_equal(table_add_total(t, NULL), -1);
    assert_non_null(strstr(table_error(t), "overflows"));
    table_free(t);
}

static void extreme_amounts_format_without_overflow(void **state)
{
    (void)state;
    hq_table *t = table_new(NULL);
    table_add_column(t, "金额", HQ_COL_MONEY_FEN);
    table_add_column(t, "比例", HQ_COL_RATE);
    table_add_row(t);
    table_set_fen(t, 0, INT64_MIN);
    table_set_rate(t, 1, INT64_MIN);
    table_add_row(t);
    table_set_fen(t, 0, -1);
    table_set_rate(t, 1, -5);
    char *out = render(t, table_write_csv);
    assert_string_equal(out, "\xEF\xBB\xBF金额,比例\r\n"
                             "-92233720368547758.08,-922337203685477.5808%\r\n"
                             "-0.01,-0.0005%\r\n");
    free(out);
    out = render(t, table_write_text);
    assert_non_null(strstr(out, "-92,233,720,368,547,758.08"));
    free(out);
    table_free(t);
}

static void rows_span_storage_blocks(void **state)
{
    (void)state;
    hq_table *t = table_new(NULL);
    table_add_column(t, "n", HQ_COL_INT);
    table_add_column(t, "名", HQ_COL_TEXT);
    for (int i = 0; i < 600; i++) {
        assert_int_equal(table_add_row(t), 0);
        table_set_int(t, 0, i);
        if (i % 2) table_set_text(t, 1, "奇");
    }
    assert_int_equal(table_add_total(t, NULL), 0);
    assert_int_equal(table_rows(t), 600);
    int64_t v;
    for (int r = 254; r < 260; r++) {
        assert_true(table_get_number(t, r, 0, &v));
        assert_int_equal(v, r);
    }
    assert_true(table_get_number(t, 600, 0, &v));
    assert_int_equal(v, 599 * 600 / 2);
    table_free(t);
}

/* One misuse per fresh table, since the first error freezes a table. */
static void misuse_is_an_error_and_sticks(void **state)
{
    (void)state;
    hq_table *t = table_new(NULL);
    table_add_column(t, "金额", HQ_COL_MONEY_FEN);
    assert_int_equal(table_set_fen(t, 0, 1), -1); /* before any row */
    assert_non_null(strstr(table_error(t), "before table_add_row"));
    assert_int_equal(table_add_row(t), -1); /* sticky */
    assert_int_equal(table_write_text(t, stdout), -1);
    table_free(t);

    t = table_new(NULL);
    table_add_column(t, "金额", HQ_COL_MONEY_FEN);
    table_add_row(t);
    assert_int_equal(table_set_int(t, 0, 1), -1); /* kind mismatch */
    assert_non_null(strstr(table_error(t), "金额"));
    table_free(t);

    t = table_new(NULL);
    table_add_column(t, "a", HQ_COL_TEXT);
    table_add_row(t);
    assert_int_equal(table_add_column(t, "b", HQ_COL_TEXT), -1);
    table_free(t);

    t = table_new(NULL);
    table_add_column(t, "a", HQ_COL_TEXT);
    table_add_row(t);
    assert_int_equal(table_set_text(t, 1, "x"), -1); /* no such column */
    table_free(t);

    t = table_new(NULL);
    table_add_column(t, "a", HQ_COL_INT);
    assert_int_equal(table_add_total(t, NULL), 0);
    assert_int_equal(table_add_row(t), -1);
    table_free(t);

    t = table_new(NULL);
    table_add_column(t, "a", HQ_COL_INT);
    table_add_total(t, NULL);
    assert_int_equal(table_add_total(t, NULL), -1);
    table_free(t);

    const char *bad_utf8[] = {"\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE6\xB8", "\x80"};
    for (size_t i = 0; i < sizeof bad_utf8 / sizeof *bad_utf8; i++) {
        t = table_new(NULL);
        table_add_column(t, "a", HQ_COL_TEXT);
        table_add_row(t);
        assert_int_equal(table_set_text(t, 0, bad_utf8[i]), -1);
        assert_non_null(strstr(table_error(t), "UTF-8"));
        table_free(t);
    }

    t = table_new("\xFF");
    assert_non_null(table_error(t));
    table_free(t);
}

static void caps_are_errors_not_crashes(void **state)
{
    (void)state;
    hq_table *t = table_new(NULL);
    for (int c = 0; c < HQ_TABLE_MAX_COLS; c++) assert_int_equal(table_add_column(t, "列", HQ_COL_INT), c);
    assert_int_equal(table_add_column(t, "列", HQ_COL_INT), -1);
    assert_non_null(strstr(table_error(t), "64 columns"));
    table_free(t);

    t = table_new(NULL);
    table_add_column(t, "n", HQ_COL_INT);
    for (int r = 0; r < HQ_TABLE_MAX_ROWS; r++)
        if (table_add_row(t) != 0) fail_msg("row %d refused: %s", r, table_error(t));
    assert_int_equal(table_add_row(t), -1);
    assert_non_null(strstr(table_error(t), "1000000 行"));
    assert_int_equal(table_rows(t), HQ_TABLE_MAX_ROWS);
    table_free(t);

    char *big = malloc(HQ_TABLE_MAX_CELL + 2);
    memset(big, 'x', HQ_TABLE_MAX_CELL + 1);
    big[HQ_TABLE_MAX_CELL + 1] = '\0';
    t = table_new(NULL);
    table_add_column(t, "a", HQ_COL_TEXT);
    table_add_row(t);
    assert_int_equal(table_set_text(t, 0, big), -1);
    assert_non_null(strstr(table_error(t), "32767"));
    table_free(t);
    big[HQ_TABLE_MAX_CELL] = '\0';
    t = table_new(NULL);
    table_add_column(t, "a", HQ_COL_TEXT);
    table_add_row(t);
    assert_int_equal(table_set_text(t, 0, big), 0);
    table_free(t);
    free(big);
}

static void sheet_names_follow_excel_rules(void **state)
{
    (void)state;
    char name[HQ_TABLE_SHEET_NAME_SIZE];
    table_xlsx_sheet_name("2021年/奖励:汇总[温州]*?\\", name);
    assert_string_equal(name, "2021年_奖励_汇总_温州____");
    table_xlsx_sheet_name("'引号'", name);
    assert_string_equal(name, "引号");
    table_xlsx_sheet_name("", name);
    assert_string_equal(name, "Sheet1");
    table_xlsx_sheet_name(NULL, name);
    assert_string_equal(name, "Sheet1");
    table_xlsx_sheet_name("'''", name);
    assert_string_equal(name, "Sheet1");
    table_xlsx_sheet_name("HISTORY", name);
    assert_string_equal(name, "HISTORY_");
    table_xlsx_sheet_name("a\tb", name);
    assert_string_equal(name, "a_b");

    /* 40 CJK characters are cut to 31, each whole. */
    char long_title[200] = "";
    for (int i = 0; i < 40; i++) strcat(long_title, "温");
    table_xlsx_sheet_name(long_title, name);
    assert_int_equal(strlen(name), 31 * 3);
    /* A plane-2 character is two UTF-16 units and does not fit after 30 others. */
    table_xlsx_sheet_name("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xF0\xA0\x80\x80", name);
    assert_string_equal(name, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    /* Cutting must not leave an apostrophe at the end. */
    table_xlsx_sheet_name("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'b", name);
    assert_string_equal(name, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
}

/* A private directory for the XLSX files, removed by the caller. */
static void make_temp_dir(char *dir, size_t size)
{
    const char *base = getenv("TMPDIR");
    snprintf(dir, size, "%s/hq-table-XXXXXX", base && *base ? base : "/tmp");
    assert_non_null(mkdtemp(dir));
}

static void xlsx_smoke(void **state)
{
    (void)state;
    char dir[512], path[600];
    make_temp_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/奖励.xlsx", dir);

    hq_table *t = awards_table();
    table_add_row(t);
    table_set_text(t, 1, "=1+1\x01"); /* a would-be formula and a control character */
    assert_int_equal(table_add_total(t, NULL), 0);
    hq_diag d;
    diag_init(&d);
    int rc = table_write_xlsx(t, path, &d);
    if (rc != 0) diag_print(&d, stderr);
    assert_int_equal(rc, 0);
    assert_int_equal(d.count, 0);

    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    unsigned char sig[4] = {0};
    assert_int_equal(fread(sig, 1, 4, f), 4);
    fclose(f);
    assert_memory_equal(sig, "PK\x03\x04", 4);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_size > 1000);
    assert_int_equal(unlink(path), 0);
    table_free(t);

    /* The sanitised names are ones libxlsxwriter itself accepts. */
    snprintf(path, sizeof path, "%s/names.xlsx", dir);
    lxw_workbook *wb = workbook_new(path);
    const char *titles[] = {"2021年/奖励:汇总[温州]*?\\", "'x'", "", "温温温温温温温温温温温温温温温温温温温温温温温温温温温温温温温温温"};
    for (size_t i = 0; i < sizeof titles / sizeof *titles; i++) {
        char name[HQ_TABLE_SHEET_NAME_SIZE];
        table_xlsx_sheet_name(titles[i], name);
        assert_int_equal(workbook_validate_sheet_name(wb, name), LXW_NO_ERROR);
    }
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    unlink(path);

    /* Failures come back through the diagnostics, and leave no file behind. */
    t = awards_table();
    snprintf(path, sizeof path, "%s/missing/x.xlsx", dir);
    assert_int_equal(table_write_xlsx(t, path, &d), -1);
    assert_true(diag_has(&d, "无法写出 Excel 文件"));
    diag_free(&d);
    table_add_column(t, "late", HQ_COL_TEXT); /* refused: the table is now in error */
    snprintf(path, sizeof path, "%s/refused.xlsx", dir);
    assert_int_equal(table_write_xlsx(t, path, &d), -1);
    assert_true(diag_has(&d, "表格未写出"));
    assert_int_not_equal(access(path, F_OK), 0);
    diag_free(&d);
    table_free(t);
    assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(display_width_counts_wide_characters_twice),
        cmocka_unit_test(text_aligns_mixed_chinese_and_ascii),
        cmocka_unit_test(text_shows_controls_as_spaces),
        cmocka_unit_test(csv_quotes_and_starts_with_bom),
        cmocka_unit_test(totals_are_exact_integers),
        cmocka_unit_test(extreme_amounts_format_without_overflow),
        cmocka_unit_test(rows_span_storage_blocks),
        cmocka_unit_test(misuse_is_an_error_and_sticks),
        cmocka_unit_test(caps_are_errors_not_crashes),
        cmocka_unit_test(sheet_names_follow_excel_rules),
        cmocka_unit_test(xlsx_smoke),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
