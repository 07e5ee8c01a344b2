/*
 * Unit tests for the .hq lexer: units and their exact values, dates, comparison words,
 * full-width punctuation, positions counted in characters, and errors.
 */
#include "base/calendar.h"
#include "helpers.h"

#include "rules/rlex.h"

typedef struct {
    rlex_state ls;
    hq_diag d;
} lexfix;

/* Lex the first token of `src`; diagnostics accumulate in f->d until the test frees them. */
static rlex_token first(lexfix *f, const char *src)
{
    rlex_init(&f->ls, "t.hq", src, strlen(src), &f->d);
    return rlex_next(&f->ls);
}

static void units_give_exact_values(void **state)
{
    (void)state;
    lexfix f;
    diag_init(&f.d);
    rlex_token t = first(&f, "100万元");
    assert_int_equal(t.kind, TK_NUMBER);
    assert_int_equal(t.numtype, NUM_MONEY);
    assert_int_equal(t.num, (int64_t)1000000 * HQ_FIXED_ONE);
    t = first(&f, "1.5亿元");
    assert_int_equal(t.num, (int64_t)150000000 * HQ_FIXED_ONE);
    t = first(&f, "3‰");
    assert_int_equal(t.numtype, NUM_RATE);
    assert_int_equal(t.num, 3000);
    t = first(&f, "5000人次");
    assert_int_equal(t.numtype, NUM_COUNT);
    assert_string_equal(t.unit, "人次");
    t = first(&f, "10元/人");
    assert_int_equal(t.numtype, NUM_MONEY);
    assert_string_equal(t.unit, "元/人");
    t = first(&f, "3.5万平方米");
    assert_int_equal(t.num, (int64_t)35000 * HQ_FIXED_ONE);
    diag_free(&f.d);
}

static void number_then_word_splits(void **state)
{
    (void)state;
    lexfix f;
    diag_init(&f.d);
    rlex_token t = first(&f, "500万元以上");
    assert_int_equal(t.kind, TK_NUMBER);
    t = rlex_next(&f.ls);
    assert_int_equal(t.kind, TK_IDENT);
    assert_int_equal((int)t.len, (int)strlen("以上"));
    diag_free(&f.d);
}

static void rates_must_be_exact(void **state)
{
    (void)state;
    lexfix f;
    diag_init(&f.d);
    rlex_token t = first(&f, "0.001%");
    assert_int_equal(t.kind, TK_ERROR);
    assert_true(diag_has(&f.d, "t.hq:1:1: a rate must be a multiple of 0.01%"));
    diag_free(&f.d);
}

static void dates_and_positions(void **state)
{
    (void)state;
    lexfix f;
    diag_init(&f.d);
    rlex_token t = first(&f, "  # comment\n  工业 2020-07-14");
    assert_int_equal(t.kind, TK_IDENT);
    assert_int_equal(t.line, 2);
    assert_int_equal(t.col, 3);
    t = rlex_next(&f.ls);
    assert_int_equal(t.kind, TK_DATE);
    assert_int_equal(t.col, 6); /* 工业 are two characters, not six bytes */
    assert_int_equal(t.num, cal_days_from_civil(2020, 7, 14));
    t = first(&f, "2021-02-29");
    assert_int_equal(t.kind, TK_ERROR);
    assert_true(diag_has(&f.d, "invalid calendar date"));
    diag_free(&f.d);
}

static void fullwidth_punctuation_is_accepted(void **state)
{
    (void)state;
    lexfix f;
    diag_init(&f.d);
    rlex_token t = first(&f, "（a，b：c）");
    assert_int_equal(t.kind, TK_LPAREN);
    assert_int_equal(rlex_next(&f.ls).kind, TK_IDENT);
    assert_int_equal(rlex_next(&f.ls).kind, TK_COMMA);
    assert_int_equal(rlex_next(&f.ls).kind, TK_IDENT);
    assert_int_equal(rlex_next(&f.ls).kind, TK_COLON);
    assert_int_equal(rlex_next(&f.ls).kind, TK_IDENT);
    assert_int_equal(rlex_next(&f.ls).kind, TK_RPAREN);
    diag_free(&f.d);
}

static void strings_and_errors(void **state)
{
    (void)state;
    lexfix f;
    diag_init(&f.d);
    rlex_token t = first(&f, "\"a\\\"b\"");
    assert_int_equal(t.kind, TK_STRING);
    t = first(&f, "\"unterminated\n\"");
    assert_int_equal(t.kind, TK_ERROR);
    assert_true(diag_has(&f.d, "t.hq:1:1: unterminated string"));
    t = first(&f, "@");
    assert_int_equal(t.kind, TK_ERROR);
    diag_free(&f.d);
}

static void date_roundtrip(void **state)
{
    (void)state;
    for (long d = cal_days_from_civil(1999, 12, 25); d < cal_days_from_civil(2031, 1, 3); d += 17) {
        int y, m, dd;
        cal_civil_from_days(d, &y, &m, &dd);
        assert_true(cal_valid_date(y, m, dd));
        assert_int_equal(cal_days_from_civil(y, m, dd), d);
    }
}

/* Weekdays counted by the calendar, against a day-by-day count from a known Monday. */
static void weekdays(void **state)
{
    (void)state;
    long mon = cal_days_from_civil(2022, 2, 28); /* a Monday */
    assert_int_equal(cal_weekdays(cal_days_from_text("2022-03-01"), cal_days_from_text("2022-03-07")), 5); /* Tue … Mon */
    assert_int_equal(cal_weekdays(cal_days_from_text("2022-03-05"), cal_days_from_text("2022-03-06")), 0); /* a weekend */
    assert_int_equal(cal_weekdays(cal_days_from_text("2022-03-07"), cal_days_from_text("2022-03-01")), 0); /* reversed */
    for (long from = mon - 30; from < mon + 30; from += 3)
        for (long to = from - 1; to < from + 40; to += 5) {
            long n = 0;
            for (long d = from; d <= to; d++) n += ((d - mon) % 7 + 7) % 7 < 5;
            assert_int_equal(cal_weekdays(from, to), n);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(units_give_exact_values),     cmocka_unit_test(number_then_word_splits),
        cmocka_unit_test(rates_must_be_exact),         cmocka_unit_test(dates_and_positions),
        cmocka_unit_test(fullwidth_punctuation_is_accepted), cmocka_unit_test(strings_and_errors),
        cmocka_unit_test(date_roundtrip),              cmocka_unit_test(weekdays),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
