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
    FAILS("a,b\n1,2\n\n3,4\n", NULL, "line 3, field 2: row has 1 field but the header has 2");
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
          "line 2: not valid UTF-8 text, although the file starts with a UTF-8 byte-order mark "
          "(byte 0xC3 at offset 5)");
    FAILS("\xFF\xFE" "a\0,\0b\0", NULL,
          "line 1: UTF-16 text is not supported (save the sheet as \"CSV UTF-8\" or \"CSV\")");
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
    FAILS("a,b\n1,2\n3,\xFF\n", NULL, "line 3: not valid UTF-8 or GBK text (byte 0xFF at offset 10)");
    /* a UTF-8 file with one bad byte: the offset is that byte, not GBK's first failure */
    /* (read as GBK, 名 E5 90 8D fails at its third byte, offset 2) */
    FAILS("名,值\n1,\xC3(\n", NULL, "line 2: not valid UTF-8 or GBK text (byte 0xC3 at offset 10)");
    /* a GBK file with one bad pair (81 followed by a space): GBK's failure is reported */
    FAILS("\xC3\xFB\xB3\xC6\n\xCE\xC2\xD6\xDD\n\x81 \n", NULL,
          "line 3: not valid UTF-8 or GBK text (byte 0x81 at offset 10)");
    /* a GBK character cut off by the end of the file */
    FAILS("\xC3\xFB\xB3\xC6\n\xCE\xC2\xD6", NULL, "line 2: not valid UTF-8 or GBK text (byte 0xD6 at offset 7)");
    /* a UTF-8 file cut inside its last character (州 = E5 B7 9E): refused as truncated, not
     * read as GBK, which would "succeed" with garbled text */
    FAILS("\xE5\x90\x8D\xE7\xA7\xB0\n\xE6\xB8\xA9\xE5\xB7", NULL,
          "line 2: file truncated in the middle of a UTF-8 character (byte 0xB7 at offset 11 is the last)");
}

static void empty_input(void **state)
{
    (void)state;
    FAILS("", NULL, "line 1: empty file: expected a header row");
    FAILS("\xEF\xBB\xBF", NULL, "line 1: empty file: expected a header row");
    FAILS("\r\n\n", NULL, "line 1: empty file: expected a header row");
}

static void unterminated_quote_stops(void **state)
{
    (void)state;
    /* the error before it is kept; nothing after the open quote is reported */
    FAILS("a,b\n1\n2,\"abc\n3,4\n5\n", NULL, "line 2, field 2: row has 1 field but the header has 2",
          "line 3, field 2: unterminated quoted field (file truncated?)");
    FAILS("名称,\"金额", NULL, "line 1, field 2: unterminated quoted field (file truncated?)");
}

static void ragged_rows(void **state)
{
    (void)state;
    FAILS("a,b,c\n1,2,3\n1,2\n1,2,3,4\n\"x\ny\"\n", NULL,
          "line 3, field 3: row has 2 fields but the header has 3",
          "line 4, field 4: row has 4 fields but the header has 3",
          "line 5, field 2: row has 1 field but the header has 3");
}

static void stray_quotes(void **state)
{
    (void)state;
    FAILS("a,b\n1,ab\"c\n", NULL,
          "line 2, field 2: quote inside an unquoted field (enclose the field in quotes and write the quote twice)");
    FAILS("a,b\n\"ab\"c,2\n3,4\n", NULL,
          "line 2, field 1: text after the closing quote (a quote inside a quoted field is written twice)");
}

static void nul_bytes(void **state)
{
    (void)state;
    FAILS("a,b\n1,x\0y\n", NULL, "line 2, field 2: NUL byte in field");
    /* inside a quoted field, on the line where the NUL is */
    FAILS("a,b\n1,\"x\n\0\"\n", NULL, "line 3, field 2: NUL byte in field");
}

static void header_names(void **state)
{
    (void)state;
    FAILS("名称,,金额\n1,2,3\n", NULL, "line 1, field 2: empty column name");
    FAILS("名称,金额,名称,金额\n", NULL, "line 1, field 3: duplicate column name \"名称\" (also field 1)",
          "line 1, field 4: duplicate column name \"金额\" (also field 2)");
    /* header and data errors are all reported together */
    FAILS("a,,a\n1,2\n", NULL, "line 1, field 2: empty column name",
          "line 1, field 3: duplicate column name \"a\" (also field 1)",
          "line 2, field 3: row has 2 fields but the header has 3");
}

static void limits(void **state)
{
    (void)state;
    /* field bytes count the UTF-8 text after unquoting: "a""b" is 3 bytes */
    hq_csv *t = parse_ok(LIT("h\n\"a\"\"b\"\n"), &(hq_csv_limits){.max_field_bytes = 3});
    csv_free(t);
    FAILS("h\nabcd\n", &(hq_csv_limits){.max_field_bytes = 3},
          "line 2, field 1: field is longer than the limit of 3 bytes");
    FAILS("名称\n", &(hq_csv_limits){.max_field_bytes = 5},
          "line 1, field 1: field is longer than the limit of 5 bytes");
    t = parse_ok(LIT("a,b\n1,2\n"), &(hq_csv_limits){.max_columns = 2});
    csv_free(t);
    FAILS("a,b,c\n1,2,3\n", &(hq_csv_limits){.max_columns = 2}, "line 1, field 3: more than 2 columns");
    t = parse_ok(LIT("a\n1\n2\n\n"), &(hq_csv_limits){.max_rows = 2});
    csv_free(t);
    FAILS("a\n1\n2\n3\n4\n", &(hq_csv_limits){.max_rows = 2}, "line 4: more than 2 data rows");
    t = parse_ok(LIT("a,b\n1,2\n"), &(hq_csv_limits){.max_input_bytes = 8});
    csv_free(t);
    FAILS("a,b\n1,2\n3,4\n", &(hq_csv_limits){.max_input_bytes = 8},
          "line 3: file is larger than the limit of 8 bytes, which it passes on this line (12 bytes in all)");
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
    parse_fails(buf, n, NULL, (const char *const[]){"line 1, field 257: more than 256 columns", NULL});

    n = (size_t)snprintf(buf, cap, "h\n");
    memset(buf + n, 'x', HQ_CSV_DEFAULT_FIELD_BYTES);
    n += HQ_CSV_DEFAULT_FIELD_BYTES;
    t = parse_ok(buf, n, NULL);
    assert_int_equal(strlen(csv_field(t, 0, 0)), HQ_CSV_DEFAULT_FIELD_BYTES);
    csv_free(t);
    buf[n++] = 'x';
    parse_fails(buf, n, NULL,
                (const char *const[]){"line 2, field 1: field is longer than the limit of 65536 bytes", NULL});
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
    snprintf(want, sizeof want, "line 1, field 2: duplicate column name \"%.60s...\" (also field 1)", name);
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
    assert_string_equal(d.items[100].message, "too many errors; stopped reading after 100");
    diag_free(&d);
    FAILS("a,b\n1\n2\n3\n4\n", &(hq_csv_limits){.max_errors = 2},
          "line 2, field 2: row has 1 field but the header has 2",
          "line 3, field 2: row has 1 field but the header has 2",
          "line 3, field 2: too many errors; stopped reading after 2");
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
