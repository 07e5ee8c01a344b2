/*
 * Unit tests for reading a CSV file in blocks (io/csvblock.c): records cut only at line
 * breaks outside quotes, the file's own line numbers in every block and in csv.c's
 * complaints, rows handed back with csvblock_keep coming first in the next block, a file
 * without a final line break, and a record larger than the most a block may hold.
 */
#include "helpers.h"

#include "io/csvblock.h"

static FILE *mem(const char *s)
{
    FILE *f = fmemopen((void *)s, strlen(s), "rb");
    assert_non_null(f);
    return f;
}

/* Blocks of about 8 bytes: every record its own block, a quoted line break kept inside. */
static void lines_are_the_files(void **state)
{
    (void)state;
    FILE *f = mem("a,b\n1,x\n2,\"y\nz\"\n3,w\n");
    hq_diag d;
    diag_init(&d);
    hq_csvblock *b = csvblock_open(f, "t.csv", 4, 1024, &d);
    assert_non_null(b);
    static const int lines[] = {2, 3, 5};
    static const char *const second[] = {"x", "y\nz", "w"};
    bool last = false, failed = false;
    for (int i = 0; i < 3; i++) {
        hq_csv *t = csvblock_next(b, &last, &failed, &d);
        assert_non_null(t);
        assert_int_equal(csv_rows(t), 1);
        assert_int_equal(csv_row_line(t, 0), lines[i]);
        assert_string_equal(csv_field(t, 0, 1), second[i]);
        assert_string_equal(csv_header(t, 0), "a");
        csv_free(t);
    }
    assert_null(csvblock_next(b, &last, &failed, &d));
    assert_false(failed);
    assert_int_equal(d.count, 0);
    csvblock_free(b);
    fclose(f);
    diag_free(&d);
}

/* Kept rows open the next block, with their lines; the last record has no line break. */
static void kept_rows_come_again(void **state)
{
    (void)state;
    FILE *f = mem("k,v\nA,1\nA,2\nB,3\nB,4");
    hq_diag d;
    diag_init(&d);
    hq_csvblock *b = csvblock_open(f, "t.csv", 10, 1024, &d);
    bool last = false, failed = false;
    hq_csv *t = csvblock_next(b, &last, &failed, &d);
    assert_non_null(t);
    assert_false(last);
    assert_int_equal(csv_rows(t), 3); /* A,1 A,2 B,3: 12 bytes reach the aim of 10 */
    csvblock_keep(b, 1);
    csv_free(t);
    t = csvblock_next(b, &last, &failed, &d);
    assert_non_null(t);
    assert_true(last);
    assert_int_equal(csv_rows(t), 2);
    assert_string_equal(csv_field(t, 0, 1), "3");
    assert_int_equal(csv_row_line(t, 0), 4);
    assert_string_equal(csv_field(t, 1, 1), "4");
    assert_int_equal(csv_row_line(t, 1), 5);
    csv_free(t);
    assert_null(csvblock_next(b, &last, &failed, &d));
    csvblock_free(b);
    fclose(f);
    diag_free(&d);
}

/* csv.c's complaint about a later block names the file's line, not the block's. */
static void complaints_name_the_files_line(void **state)
{
    (void)state;
    FILE *f = mem("a,b\n1,2\n3,4\n5\n");
    hq_diag d;
    diag_init(&d);
    hq_csvblock *b = csvblock_open(f, "t.csv", 4, 1024, &d);
    bool last = false, failed = false;
    hq_csv *t;
    int blocks = 0;
    while ((t = csvblock_next(b, &last, &failed, &d))) {
        blocks++;
        csv_free(t);
    }
    assert_int_equal(blocks, 2);
    assert_true(failed);
    assert_true(d.count >= 1);
    assert_string_equal(d.items[0].where, "line 4, field 2");
    csvblock_free(b);
    fclose(f);
    diag_free(&d);
}

/* A record that cannot fit the most a block may hold (an unclosed quote) is refused by line. */
static void record_too_long(void **state)
{
    (void)state;
    FILE *f = mem("a,b\n1,2\n3,\"never closed\n4,5\n6,7\n8,9\n");
    hq_diag d;
    diag_init(&d);
    hq_csvblock *b = csvblock_open(f, "t.csv", 4, 16, &d);
    bool last = false, failed = false;
    hq_csv *t = csvblock_next(b, &last, &failed, &d);
    assert_non_null(t);
    csv_free(t);
    assert_null(csvblock_next(b, &last, &failed, &d));
    assert_true(failed);
    assert_string_equal(d.items[0].message, "第3行：一条记录超过 16 字节的上限（引号可能未闭合）");
    csvblock_free(b);
    fclose(f);
    diag_free(&d);
}

static void header_alone(void **state)
{
    (void)state;
    FILE *f = mem("a,b");
    hq_diag d;
    diag_init(&d);
    hq_csvblock *b = csvblock_open(f, "t.csv", 4, 1024, &d);
    assert_non_null(b);
    hq_csv *h = csvblock_header(b, &d);
    assert_non_null(h);
    assert_int_equal(csv_columns(h), 2);
    assert_int_equal(csv_rows(h), 0);
    csv_free(h);
    bool last, failed;
    assert_null(csvblock_next(b, &last, &failed, &d));
    assert_false(failed);
    csvblock_free(b);
    fclose(f);
    diag_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lines_are_the_files),   cmocka_unit_test(kept_rows_come_again),
        cmocka_unit_test(complaints_name_the_files_line), cmocka_unit_test(record_too_long),
        cmocka_unit_test(header_alone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
