/*
 * Unit tests for the parser and checker: every error is reported with file:line:col,
 * several broken blocks in one file all get reported, nesting is bounded, names and
 * types are resolved.
 */
#include "helpers.h"

#include <stdlib.h>

static const char ITEM_HEAD[] = "item d-1-1 {\n article 1\n row 1\n title \"t\"\n department \"部门\"\n duty 受理\n"
                                " kind 资格定补\n source \"s\"\n";

static char *item(const char *body)
{
    size_t n = strlen(ITEM_HEAD) + strlen(body) + 8;
    char *s = malloc(n);
    snprintf(s, n, "%s%s\n}\n", ITEM_HEAD, body);
    return s;
}

static void expect_error(const char *body, const char *needle)
{
    hq_diag d;
    diag_init(&d);
    char *text = item(body);
    hq_corpus *c = corpus_from_text(text, &d);
    if (!diag_has(&d, needle)) {
        diag_print(&d, stderr);
        fail_msg("expected an error containing \"%s\"", needle);
    }
    corpus_free(c);
    diag_free(&d);
    free(text);
}

static void valid_item_compiles(void **state)
{
    (void)state;
    hq_diag d;
    diag_init(&d);
    char *text = item(" require sales 以上 500万元\n amount sales * 20% cap 400万元");
    hq_corpus *c = corpus_from_text(text, &d);
    diag_print(&d, stderr);
    assert_int_equal(d.count, 0);
    assert_non_null(corpus_find_item(c, "d-1-1")->program);
    corpus_free(c);
    diag_free(&d);
    free(text);
}

/* Regression: an item-level require is shared by every part; a second check used to see the
 * resolved node and wipe its type, so the second part compared enum values as numbers. */
static void shared_require_keeps_its_type_in_every_part(void **state)
{
    (void)state;
    hq_diag d;
    diag_init(&d);
    char *text = item(" require k == 乙\n part \"a\" { amount 1元 }\n part \"b\" { amount 2元 }");
    hq_corpus *c = corpus_from_text(text, &d);
    diag_print(&d, stderr);
    assert_int_equal(d.count, 0);
    const hq_item *it = corpus_find_item(c, "d-1-1");
    assert_int_equal(it->parts[1].requires[0]->type.kind, HT_BOOL);
    assert_int_equal(it->parts[1].requires[0]->a->type.kind, HT_ENUM);
    assert_int_equal(it->parts[1].requires[0]->b->type.kind, HT_ENUM);
    corpus_free(c);
    diag_free(&d);
    free(text);
}

static void unknown_fact_is_reported_at_its_position(void **state)
{
    (void)state;
    expect_error(" require salez 以上 500万元\n amount 1元", "test.hq:10:10: unknown fact 'salez'");
}

static void unknown_key_is_reported(void **state)
{
    (void)state;
    expect_error(" colour red\n amount 1元", "test.hq:10:2: unknown key 'colour' in item");
}

static void type_errors(void **state)
{
    (void)state;
    expect_error(" amount sales * sales", "cannot multiply money by money");
    expect_error(" require sales 以上 5人次\n amount 1元", "cannot compare money with count");
    expect_error(" amount visitors * 2", "an amount must be money, not count");
    expect_error(" require k 以上 甲\n amount 1元", "needs ordered values");
    expect_error(" require k == 丙\n amount 1元", "'丙' is not a value of kind");
    expect_error(" require new_recognition(不存在) == 国家\n amount 1元", "unknown recognition '不存在'");
    expect_error(" require prev(ok)\n amount 1元", "prev() takes a yearly fact");
    expect_error(" require in_list(白名单)\n amount 1元", "unknown list '白名单'");
    expect_error(" amount match k { 甲: 1元, 甲: 2元 }", "'甲' appears twice");
    expect_error(" amount sales / 2", "'/' is not part of the language");
    expect_error(" amount min(sales)", "min() takes 2 arguments, not 1");
    expect_error(" amount frobnicate(sales)", "unknown function 'frobnicate'");
}

static void structural_errors(void **state)
{
    (void)state;
    expect_error("", "needs an amount");
    expect_error(" kind 遴选\n amount 1元", "listed, not computed");
    expect_error(" except nosuchrule\n amount 1元", "has no rule 'nosuchrule'");
}

static void every_broken_block_is_reported(void **state)
{
    (void)state;
    hq_diag d;
    diag_init(&d);
    const char *text = "fact a bool\nfact b money \"b\"\nenum e { x, y < z }\nfact c wibble \"c\"\n";
    hq_corpus *c = corpus_from_text(text, &d);
    assert_true(diag_has(&d, "test.hq:3:1: expected a string")); /* fact a has no label */
    assert_true(diag_has(&d, "test.hq:4:1: enum 'e' is either ordered")); /* mixed separators */
    corpus_free(c);
    diag_free(&d);
}

static void nesting_is_bounded(void **state)
{
    (void)state;
    size_t depth = 100000;
    char *body = malloc(depth * 2 + 64);
    strcpy(body, " amount ");
    size_t n = strlen(body);
    memset(body + n, '(', depth);
    strcpy(body + n + depth, "1元");
    hq_diag d;
    diag_init(&d);
    char *text = item(body);
    hq_corpus *c = corpus_from_text(text, &d);
    assert_true(diag_has(&d, "nested too deeply"));
    corpus_free(c);
    diag_free(&d);
    free(text);
    free(body);
}

static void duplicates_are_reported(void **state)
{
    (void)state;
    hq_diag d;
    diag_init(&d);
    char *one = item(" amount 1元");
    size_t n = strlen(one) * 2 + 1;
    char *two = malloc(n);
    snprintf(two, n, "%s%s", one, one);
    hq_corpus *c = corpus_from_text(two, &d);
    assert_true(diag_has(&d, "item id 'd-1-1' is used twice"));
    corpus_free(c);
    diag_free(&d);
    free(one);
    free(two);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_item_compiles),
        cmocka_unit_test(unknown_fact_is_reported_at_its_position),
        cmocka_unit_test(shared_require_keeps_its_type_in_every_part),
        cmocka_unit_test(unknown_key_is_reported),
        cmocka_unit_test(type_errors),
        cmocka_unit_test(structural_errors),
        cmocka_unit_test(every_broken_block_is_reported),
        cmocka_unit_test(nesting_is_bounded),
        cmocka_unit_test(duplicates_are_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
