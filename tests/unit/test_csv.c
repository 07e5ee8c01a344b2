/*
 * Unit tests for the CSV reader (io/csv.c): RFC 4180 quoting and line ends, UTF-8 with
 * and without a byte-order mark, GBK decoding from known bytes, and every error with the
 * exact "line L, field F: message" it must produce, limits and the error cap included.
 */
#include "helpers.h"

#include "io/csv.h"

/* A string literal and its length, embedded NULs included. */
#define LIT(s) (s), sizeof(s) - 1

/* Parse text that must be accepted; fails the test with the diagnostics otherwise. */
static hq_csv *parse_ok(const char *data, size_t len, const hq_csv_limits *lim)
{
    hq_diag d;
    diag_init(&d);
    hq_csv *t = csv_parse(data, len, lim, &d);
    if (!t) diag_print(&d, stderr);
    assert_non_null(t);
    assert_int_equal(d.count, 0);
    diag_free(&d);
    return t;
}

/* Parse text that must be rejected with exactly the errors `want` (NULL-terminated), in
 * order, each as "where: message". */
static void parse_fails(const char *data, size_t len, const hq_csv_limits *lim, const char *const *want)
{
    hq_diag d;
    diag_init(&d);
    hq_csv *t = csv_parse(data, len, lim, &d);
    assert_null(t);
    int n = 0;
    for (; want[n]; n++) {
        char got[1024];
        assert_true(n < d.count);
        snprintf(got, sizeof got, "%s: %s", d.items[n].where, d.items[n].message);
        assert_string_equal(got, want[n]);
    }
    if (d.count != n) diag_print(&d, stderr);
    assert_int_equal(d.count, n);
    diag_free(&d);
}

#define FAILS(data, lim, ...) parse_fails(LIT(data), (lim), (const char *const[]){__VA_ARGS__, NULL})

static void plain_table(void **state)
{
    (void)state;
    hq_csv *t = parse_ok(LIT("统一社会信用代码,名称,金额\n"
                             "91330302MA285XT30K,甲公司,100\n"
                             "91330302MA285XT31K,乙公司,200"),
                         NULL);
    assert_int_equal(t->encoding, HQ_CSV_UTF8);
    assert_string_equal(csv_encoding_name(t->encoding), "UTF-8");
    assert_int_equal(csv_columns(t), 3);
    assert_int_equal(csv_rows(t), 2);
    assert_string_equal(csv_header(t, 1), "名称");
    assert_string_equal(csv_field(t, 0, 0), "91330302MA285XT30K");
    assert_string_equal(csv_field(t, 1, 2), "200"); /* the last row needs no line break */
    assert_int_equal(csv_row_line(t, 0), 2);
    assert_int_equal(csv_row_line(t, 1), 3);
    assert_int_equal(csv_column(t, "金额"), 2);
    assert_int_equal(csv_column(t, "地址"), -1);
    /* out of range is refused, not read */
    assert_null(csv_field(t, 2, 0));
    assert_null(csv_field(t, 0, 3));
    assert_null(csv_header(t, 3));
    assert_int_equal(csv_row_line(t, 2), 0);
    csv_free(t);
}

static void quoting_and_line_ends(void **state)
{
    (void)state;
    /* CRLF; a quoted comma; a quoted CRLF and LF spanning lines; doubled quotes; an empty
     * quoted field; a field that is only a doubled quote. */
    hq_csv *t = parse_ok(LIT("名称,备注,数\r\n"
                             "\"温州,鹿城\",\"第一行\r\n第二行\n第三行\",1\r\n"
                             "\"他说\"\"好\"\"\",\"\",\"\"\"\"\r\n"
                             ",,\r\n"),
                         NULL);
    assert_int_equal(csv_rows(t), 3);
    assert_string_equal(csv_field(t, 0, 0), "温州,鹿城");
    assert_string_equal(csv_field(t, 0, 1), "第一行\r\n第二行\n第三行");
    assert_string_equal(csv_field(t, 0, 2), "1");
    assert_string_equal(csv_field(t, 1, 0), "他说\"好\"");
    assert_string_equal(csv_field(t, 1, 1), "");
    assert_string_equal(csv_field(t, 1, 2), "\"");
    assert_string_equal(csv_field(t, 2, 0), "");
    assert_string_equal(csv_field(t, 2, 2), "");
    /* a row's line is where it starts: row 1 began on line 2 and took three lines */
    assert_int_equal(csv_row_line(t, 0), 2);
    assert_int_equal(csv_row_line(t, 1), 5);
    assert_int_equal(csv_row_line(t, 2), 6);
    csv_free(t);
}

static void whitespace_is_kept(void **state)
{
    (void)state;
    hq_csv *t = parse_ok(LIT(" 名称,代码\n  甲公司 ,\t0012 \n"), NULL);
    assert_string_equal(csv_field(t, 0, 0), "  甲公司 ");
    assert_string_equal(csv_field(t, 0, 1), "\t0012 ");
    /* names are matched exactly, so a padded header name is not found unpadded */
    assert_int_equal(csv_column(t, "名称"), -1);
    assert_int_equal(csv_column(t, " 名称"), 0);
    csv_free(t);
}

static void blank_lines(void **state)
{
    (void)state;
    /* blank lines at the end, LF or CRLF, are ignored */
    hq_csv *t = parse_ok(LIT("a,b\n1,2\n\n"), NULL);
    assert_int_equal(csv_rows(t), 1);
    csv_free(t);
    t = parse_ok(LIT("a,b\r\n1,2\r\n\r\n\n\r\n"), NULL);
    assert_int_equal(csv_rows(t), 1);
    csv_free(t);
    /* in the middle, a blank line is a row of one empty field: fine for one column... */
    t = parse_ok(LIT("备注\n甲\n\n乙\n"), NULL);
    assert_int_equal(csv_rows(t), 3);
    assert_string_equal(csv_field(t, 1, 0), "");
    assert_int_equal(csv_row_line(t, 2), 4);
    csv_free(t);
    /* ...and a short row otherwise */
    FAILS("a,b\n1,2\n\n3,4\n", NULL, "line 3, field 2: 第3行第2列：该行有1个字段，表头有2列");
}

static void header_only(void **state)
{
    (void)state;
    hq_csv *t = parse_ok(LIT("名称,金额\r\n"), NULL);
    assert_int_equal(csv_rows(t), 0);
    assert_int_equal(csv_columns(t), 2);
    assert_int_equal(csv_column(t, "金额"), 1);
    csv_free(t);
    t = parse_ok(LIT("名称"), NULL);
    assert_int_equal(csv_columns(t), 1);
    csv_free(t);
}

static void byte_order_mark(void **state)
{
    (void)state;
    hq_csv *t = parse_ok(LIT("\xEF\xBB\xBF名称,金额\n甲,1\n"), NULL);
    assert_int_equal(t->encoding, HQ_CSV_UTF8_BOM);
    assert_string_equal(csv_encoding_name(t->encoding), "UTF-8 with BOM");
    assert_int_equal(csv_column(t, "名称"), 0); /* the mark is not part of the first name */
    csv_free(t);
    /* a mark declares UTF-8: bytes that are not UTF-8 after it are not guessed as GBK */
    FAILS("\xEF\xBB\xBF" "a\n\xC3\xFB\n", NULL,
          "line 2: 第2行：文件以 UTF-8 字节顺序标记开头，但内容不是合法的 UTF-8 文字"
          "（字节 0xC3，偏移 5）");
    FAILS("\xFF\xFE" "a\0,\0b\0", NULL,
          "line 1: 第1行：不支持 UTF-16 编码（请将表格另存为“CSV UTF-8”或“CSV”）");
}

static void gbk_input(void **state)
{
    (void)state;
    /* 名称,金额 / 温州,100 / 鹿城区,"1,5" in GBK, as Chinese Excel saves "CSV" */
    static const char gbk[] = "\xC3\xFB\xB3\xC6,\xBD\xF0\xB6\xEE\r\n"
                              "\xCE\xC2\xD6\xDD,100\r\n"
                              "\xC2\xB9\xB3\xC7\xC7\xF8,\"1,5\"\r\n";
    hq_csv *t = parse_ok(LIT(gbk), NULL);
    assert_int_equal(t->encoding, HQ_CSV_GB18030);
    assert_string_equal(csv_encoding_name(t->encoding), "GB18030");
    assert_string_equal(csv_header(t, 0), "\xE5\x90\x8D\xE7\xA7\xB0"); /* 名称 */
    assert_string_equal(csv_header(t, 1), "金额");
    assert_int_equal(csv_column(t, "名称"), 0);
    assert_string_equal(csv_field(t, 0, 0), "温州");
    assert_string_equal(csv_field(t, 1, 0), "鹿城区");
    assert_string_equal(csv_field(t, 1, 1), "1,5");
    assert_int_equal(csv_row_line(t, 1), 3);
    csv_free(t);
    /* an overlong UTF-8 form is not UTF-8, but C0 AF is GBK for 蜡 */
    t = parse_ok(LIT("a\n\xC0\xAF\n"), NULL);
    assert_int_equal(t->encoding, HQ_CSV_GB18030);
    assert_string_equal(csv_field(t, 0, 0), "蜡");
    csv_free(t);
    /* GB18030's four-byte form and its byte-order mark 84 31 95 33 (dropped) */
    t = parse_ok(LIT("\x84\x31\x95\x33" "a\n\x81\x30\x81\x30\n"), NULL);
    assert_int_equal(t->encoding, HQ_CSV_GB18030);
    assert_string_equal(csv_header(t, 0), "a");
    assert_string_equal(csv_field(t, 0, 0), "\xC2\x80");
    csv_free(t);
}

static void invalid_bytes(void **state)
{
    (void)state;
    /* FF is neither UTF-8 nor GBK */
    FAILS("a,b\n1,2\n3,\xFF\n", NULL, "line 3: 第3行：不是合法的 UTF-8 或 GBK 文字（字节 0xFF，偏移 10）");
    /* a UTF-8 file with one bad byte: the offset is that byte, not GBK's first failure */
    /* (read as GBK, 名 E5 90 8D fails at its third byte, offset 2) */
    FAILS("名,值\n1,\xC3(\n", NULL, "line 2: 第2行：不是合法的 UTF-8 或 GBK 文字（字节 0xC3，偏移 10）");
    /* a GBK file with one bad pair (81 followed by a space): GBK's failure is reported */
    FAILS("\xC3\xFB\xB3\xC6\n\xCE\xC2\xD6\xDD\n\x81 \n", NULL,
          "line 3: 第3行：不是合法的 UTF-8 或 GBK 文字（字节 0x81，偏移 10）");
    /* a GBK character cut off by the end of the file */
    FAILS("\xC3\xFB\xB3\xC6\n\xCE\xC2\xD6", NULL, "line 2: 第2行：不是合法的 UTF-8 或 GBK 文字（字节 0xD6，偏移 7）");
    /* a UTF-8 file cut inside its last character (州 = E5 B7 9E): refused as truncated, not
     * read as GBK, which would "succeed" with garbled text */
    FAILS("\xE5\x90\x8D\xE7\xA7\xB0\n\xE6\xB8\xA9\xE5\xB7", NULL,
          "line 2: 第2行：文件在一个 UTF-8 字符中间被截断（最后一个字节 0xB7，偏移 11）");
}

static void empty_input(void **state)
{
    (void)state;
    FAILS("", NULL, "line 1: 第1行：文件为空：应有表头行");
    FAILS("\xEF\xBB\xBF", NULL, "line 1: 第1行：文件为空：应有表头行");
    FAILS("\r\n\n", NULL, "line 1: 第1行：文件为空：应有表头行");
}

static void unterminated_quote_stops(void **state)
{
    (void)state;
    /* the error before it is kept; nothing after the open quote is reported */
    FAILS("a,b\n1\n2,\"abc\n3,4\n5\n", NULL, "line 2, field 2: 第2行第2列：该行有1个字段，表头有2列",
          "line 3, field 2: 第3行第2列：引号未闭合（文件可能被截断）");
    FAILS("名称,\"金额", NULL, "line 1, field 2: 第1行第2列：引号未闭合（文件可能被截断）");
}

static void ragged_rows(void **state)
{
    (void)state;
    FAILS("a,b,c\n1,2,3\n1,2\n1,2,3,4\n\"x\ny\"\n", NULL,
          "line 3, field 3: 第3行第3列：该行有2个字段，表头有3列",
          "line 4, field 4: 第4行第4列：该行有4个字段，表头有3列",
          "line 5, field 2: 第5行第2列：该行有1个字段，表头有3列");
}

static void stray_quotes(void **state)
{
    (void)state;
    FAILS("a,b\n1,ab\"c\n", NULL,
          "line 2, field 2: 第2行第2列：未加引号的字段中有引号（请给字段加引号，并把其中的引号写两次）");
    FAILS("a,b\n\"ab\"c,2\n3,4\n", NULL,
          "line 2, field 1: 第2行第1列：右引号后还有文字（引号内的引号须写两次）");
}

static void nul_bytes(void **state)
{
    (void)state;
    FAILS("a,b\n1,x\0y\n", NULL, "line 2, field 2: 第2行第2列：字段中有空字符");
    /* inside a quoted field, on the line where the NUL is */
    FAILS("a,b\n1,\"x\n\0\"\n", NULL, "line 3, field 2: 第3行第2列：字段中有空字符");
}

static void header_names(void **state)
{
    (void)state;
    FAILS("名称,,金额\n1,2,3\n", NULL, "line 1, field 2: 第1行第2列：列名为空");
    FAILS("名称,金额,名称,金额\n", NULL, "line 1, field 3: 第1行第3列：列名「名称」重复（与第1列相同）",
          "line 1, field 4: 第1行第4列：列名「金额」重复（与第2列相同）");
    /* header and data errors are all reported together */
    FAILS("a,,a\n1,2\n", NULL, "line 1, field 2: 第1行第2列：列名为空",
          "line 1, field 3: 第1行第3列：列名「a」重复（与第1列相同）",
          "line 2, field 3: 第2行第3列：该行有2个字段，表头有3列");
}

static void limits(void **state)
{
    (void)state;
    /* field bytes count the UTF-8 text after unquoting: "a""b" is 3 bytes */
    hq_csv *t = parse_ok(LIT("h\n\"a\"\"b\"\n"), &(hq_csv_limits){.max_field_bytes = 3});
    csv_free(t);
    FAILS("h\nabcd\n", &(hq_csv_limits){.max_field_bytes = 3},
          "line 2, field 1: 第2行第1列：字段超过上限 3 字节");
    FAILS("名称\n", &(hq_csv_limits){.max_field_bytes = 5},
          "line 1, field 1: 第1行第1列：字段超过上限 5 字节");
    t = parse_ok(LIT("a,b\n1,2\n"), &(hq_csv_limits){.max_columns = 2});
    csv_free(t);
    FAILS("a,b,c\n1,2,3\n", &(hq_csv_limits){.max_columns = 2}, "line 1, field 3: 第1行第3列：超过2列");
    t = parse_ok(LIT("a\n1\n2\n\n"), &(hq_csv_limits){.max_rows = 2});
    csv_free(t);
    FAILS("a\n1\n2\n3\n4\n", &(hq_csv_limits){.max_rows = 2}, "line 4: 第4行：数据行超过2行");
    t = parse_ok(LIT("a,b\n1,2\n"), &(hq_csv_limits){.max_input_bytes = 8});
    csv_free(t);
    FAILS("a,b\n1,2\n3,4\n", &(hq_csv_limits){.max_input_bytes = 8},
          "line 3: 第3行：文件超过上限 8 字节，在此行超出（共 12 字节）");
}

static void default_limits(void **state)
{
    (void)state;
    /* 256 columns and a 64 KiB field pass with the defaults; one more of either does not */
    size_t cap = 2 * 300 * 4 + HQ_CSV_DEFAULT_FIELD_BYTES + 16;
    char *buf = malloc(cap);
    assert_non_null(buf);
    size_t n = 0;
    for (int c = 1; c <= 256; c++) n += (size_t)snprintf(buf + n, cap - n, c == 1 ? "c%d" : ",c%d", c);
    hq_csv *t = parse_ok(buf, n, NULL);
    assert_int_equal(csv_columns(t), 256);
    assert_int_equal(csv_column(t, "c256"), 255);
    csv_free(t);
    n += (size_t)snprintf(buf + n, cap - n, ",c257\n");
    parse_fails(buf, n, NULL, (const char *const[]){"line 1, field 257: 第1行第257列：超过256列", NULL});

    n = (size_t)snprintf(buf, cap, "h\n");
    memset(buf + n, 'x', HQ_CSV_DEFAULT_FIELD_BYTES);
    n += HQ_CSV_DEFAULT_FIELD_BYTES;
    t = parse_ok(buf, n, NULL);
    assert_int_equal(strlen(csv_field(t, 0, 0)), HQ_CSV_DEFAULT_FIELD_BYTES);
    csv_free(t);
    buf[n++] = 'x';
    parse_fails(buf, n, NULL,
                (const char *const[]){"line 2, field 1: 第2行第1列：字段超过上限 65536 字节", NULL});
    free(buf);
}

static void long_duplicate_name_is_clipped(void **state)
{
    (void)state;
    /* 30 × 名 is 90 bytes; a message quotes 60 of them, whole characters only */
    char row[256] = "", name[100] = "";
    for (int i = 0; i < 30; i++) strcat(name, "名");
    snprintf(row, sizeof row, "%s,%s\n", name, name);
    char want[256];
    snprintf(want, sizeof want, "line 1, field 2: 第1行第2列：列名「%.60s...」重复（与第1列相同）", name);
    parse_fails(row, strlen(row), NULL, (const char *const[]){want, NULL});
}

static void error_cap(void **state)
{
    (void)state;
    /* 150 short rows: the first 100 are reported, then a note, then nothing */
    char buf[512];
    size_t n = (size_t)snprintf(buf, sizeof buf, "a,b\n");
    for (int i = 0; i < 150; i++) buf[n++] = '\n', buf[n++] = 'x';
    hq_diag d;
    diag_init(&d);
    assert_null(csv_parse(buf, n, NULL, &d));
    assert_int_equal(d.count, HQ_CSV_DEFAULT_ERRORS + 1);
    assert_string_equal(d.items[99].where, "line 101, field 2");
    assert_string_equal(d.items[100].where, "line 101, field 2");
    assert_string_equal(d.items[100].message, "错误过多，在第100处错误后停止读取");
    diag_free(&d);
    FAILS("a,b\n1\n2\n3\n4\n", &(hq_csv_limits){.max_errors = 2},
          "line 2, field 2: 第2行第2列：该行有1个字段，表头有2列",
          "line 3, field 2: 第3行第2列：该行有1个字段，表头有2列",
          "line 3, field 2: 错误过多，在第2处错误后停止读取");
}

static void input_not_kept(void **state)
{
    (void)state;
    /* the table copies what it needs: the caller's buffer may go at once */
    static const char text[] = "名称,金额\n甲,\"1\"\"\"\n";
    char *copy = malloc(sizeof text);
    assert_non_null(copy);
    memcpy(copy, text, sizeof text);
    hq_csv *t = parse_ok(copy, sizeof text - 1, NULL);
    memset(copy, 'x', sizeof text);
    free(copy);
    assert_string_equal(csv_header(t, 1), "金额");
    assert_string_equal(csv_field(t, 0, 1), "1\"");
    csv_free(t);
    csv_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_table),
        cmocka_unit_test(quoting_and_line_ends),
        cmocka_unit_test(whitespace_is_kept),
        cmocka_unit_test(blank_lines),
        cmocka_unit_test(header_only),
        cmocka_unit_test(byte_order_mark),
        cmocka_unit_test(gbk_input),
        cmocka_unit_test(invalid_bytes),
        cmocka_unit_test(empty_input),
        cmocka_unit_test(unterminated_quote_stops),
        cmocka_unit_test(ragged_rows),
        cmocka_unit_test(stray_quotes),
        cmocka_unit_test(nul_bytes),
        cmocka_unit_test(header_names),
        cmocka_unit_test(limits),
        cmocka_unit_test(default_limits),
        cmocka_unit_test(long_duplicate_name_is_clipped),
        cmocka_unit_test(error_cap),
        cmocka_unit_test(input_not_kept),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
