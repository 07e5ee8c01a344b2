/*
 * Unit tests for the evaluator: Kleene three-valued logic, missing data, overflow, match
 * tables, the block path agreeing with the single-entity path, and the GB 32100 check.
 */
#include "helpers.h"

#include <stdlib.h>

#include "facts/uscc.h"

static hq_corpus *compile(const char *body)
{
    char text[4096];
    snprintf(text, sizeof text,
             "item d-1-1 {\n article 1\n row 1\n title \"t\"\n department \"部门\"\n duty 受理\n kind 数据核校\n"
             " source \"s\"\n%s\n}\n", body);
    hq_diag d;
    diag_init(&d);
    hq_corpus *c = corpus_from_text(text, &d);
    diag_print(&d, stderr);
    assert_int_equal(d.count, 0);
    diag_free(&d);
    return c;
}

static void kleene_and_or(void **state)
{
    (void)state;
    hq_corpus *c = compile(" require ok or flag\n amount 1元");
    /* true or unknown = true */
    assert_int_equal(eval_text(c, "d-1-1", ENTITY(", \"facts\": {\"ok\": true}"), 2021).status, HQ_ELIGIBLE);
    /* false or unknown = unknown */
    assert_int_equal(eval_text(c, "d-1-1", ENTITY(", \"facts\": {\"ok\": false}"), 2021).status, HQ_NEEDS_DATA);
    corpus_free(c);
    c = compile(" require ok and flag\n amount 1元");
    /* false and unknown = false */
    hq_outcome o = eval_text(c, "d-1-1", ENTITY(", \"facts\": {\"flag\": false}"), 2021);
    assert_int_equal(o.status, HQ_INELIGIBLE);
    assert_int_equal(o.failed, RVM_FAIL_REQ + 0);
    corpus_free(c);
}

static void first_failing_condition_is_named(void **state)
{
    (void)state;
    hq_corpus *c = compile(" require ok\n require flag\n amount 1元");
    hq_outcome o = eval_text(c, "d-1-1", ENTITY(", \"facts\": {\"ok\": true, \"flag\": false}"), 2021);
    assert_int_equal(o.failed, RVM_FAIL_REQ + 1);
    /* the document rule comes first */
    o = eval_text(c, "d-1-1", "{\"credit_code\": \"91330302MA285XT30K\", \"district\": \"乐清市\", \"facts\": {\"ok\": false}}", 2021);
    assert_int_equal(o.failed, 0);
    corpus_free(c);
}

static void overflow_is_an_error_not_a_wrap(void **state)
{
    (void)state;
    hq_corpus *c = compile(" amount sales * visitors");
    hq_outcome o = eval_text(c, "d-1-1", ENTITY(", \"years\": {\"2021\": {\"sales\": \"9000000000000.00\", \"visitors\": 9000000}}"), 2021);
    assert_int_equal(o.status, HQ_ERROR);
    corpus_free(c);
}

static void match_ranges_and_else(void **state)
{
    (void)state;
    hq_corpus *c = compile(" amount match years_since(opened) { 1..3: 100元, 4: 80元, else: 1元 }");
    assert_int_equal(eval_text(c, "d-1-1", ENTITY(", \"facts\": {\"opened\": \"2019-12-31\"}"), 2021).amount_fen, 10000);
    assert_int_equal(eval_text(c, "d-1-1", ENTITY(", \"facts\": {\"opened\": \"2018-01-01\"}"), 2021).amount_fen, 8000);
    assert_int_equal(eval_text(c, "d-1-1", ENTITY(", \"facts\": {\"opened\": \"2010-01-01\"}"), 2021).amount_fen, 100);
    assert_int_equal(eval_text(c, "d-1-1", ENTITY(""), 2021).status, HQ_NEEDS_DATA);
    corpus_free(c);
}

static void block_agrees_with_single(void **state)
{
    (void)state;
    hq_corpus *c = compile(" require sales 超过 100元\n amount excess(sales, 100元) * 3‰ cap 1元");
    enum { N = 600 };
    hq_factbatch *fb = factbatch_new(c, 2021, N);
    hq_diag d;
    diag_init(&d);
    for (int i = 0; i < N; i++) {
        char buf[256];
        snprintf(buf, sizeof buf, ENTITY(", \"years\": {\"2021\": {\"sales\": \"%d.%02d\"}}"), 90 + i, i % 100);
        json_t *j = json_loads(buf, 0, NULL);
        assert_int_equal(entity_load(c, j, fb, i, &d), 0);
        json_decref(j);
    }
    hq_vm *vm = rvm_new(c);
    hq_outcome *out = calloc((size_t)N, sizeof *out);
    for (int r0 = 0; r0 < N; r0 += RVM_BLOCK) rvm_eval_block(vm, fb, r0, N - r0 < RVM_BLOCK ? N - r0 : RVM_BLOCK, out + r0);
    const hq_item *it = corpus_find_item(c, "d-1-1");
    int eligible = 0;
    for (int i = 0; i < N; i++) {
        hq_outcome one = rvm_eval_one(vm, fb, i, it);
        assert_int_equal(one.status, out[i].status);
        assert_int_equal(one.amount_fen, out[i].amount_fen);
        eligible += one.status == HQ_ELIGIBLE;
    }
    assert_true(eligible > 0 && eligible < N);
    free(out);
    rvm_free(vm);
    factbatch_free(fb);
    diag_free(&d);
    corpus_free(c);
}

static void credit_code_check_character(void **state)
{
    (void)state;
    char expected;
    assert_null(uscc_check("91330302MA285XT30K", &expected));
    assert_non_null(uscc_check("91330302MA285XT30X", &expected));
    assert_int_equal(expected, 'K');
    assert_non_null(uscc_check("91330302MA285XT30", &expected));
    assert_non_null(uscc_check("91330302MA285XT3OK", &expected)); /* letter O is not in the alphabet */
    assert_null(uscc_check("91330301MA2AAAAA17", &expected));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(kleene_and_or),
        cmocka_unit_test(first_failing_condition_is_named),
        cmocka_unit_test(overflow_is_an_error_not_a_wrap),
        cmocka_unit_test(match_ranges_and_else),
        cmocka_unit_test(block_agrees_with_single),
        cmocka_unit_test(credit_code_check_character),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
