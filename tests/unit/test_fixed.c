/*
 * Unit tests for exact decimal arithmetic (base/fixed.c): parsing, products with 128-bit
 * intermediates, overflow detection, the single half-away-from-zero rounding to 分, and
 * formatting.
 */
#include "helpers.h"

#include "base/fixed.h"

static hq_fixed P(const char *s)
{
    hq_fixed v;
    assert_null(fixed_parse(s, strlen(s), 6, &v));
    return v;
}

static void parse_accepts_and_rejects(void **state)
{
    (void)state;
    assert_int_equal(P("1"), HQ_FIXED_ONE);
    assert_int_equal(P("-2.5"), -2500000);
    assert_int_equal(P("0.000001"), 1);
    hq_fixed v;
    assert_non_null(fixed_parse("1.234", 5, 2, &v)); /* money has at most two decimals */
    assert_non_null(fixed_parse("", 0, 2, &v));
    assert_non_null(fixed_parse("1e5", 3, 2, &v));
    assert_non_null(fixed_parse("1.", 2, 2, &v));
    assert_non_null(fixed_parse("99999999999999999999", 20, 2, &v));
}

static void products_are_exact(void **state)
{
    (void)state;
    hq_fixed r;
    /* 技改投入 6,000,000 × 20% = 1,200,000 exactly */
    assert_true(fixed_mul(P("6000000"), P("0.2"), &r));
    assert_int_equal(r, P("1200000"));
    /* 0.01元 × 0.3% is 0.00003元: kept, not lost */
    assert_true(fixed_mul(P("0.01"), P("0.003"), &r));
    assert_int_equal(r, 30);
    /* values near the top of the range overflow instead of wrapping */
    assert_false(fixed_mul(P("9000000000000"), P("9000000000000"), &r));
    assert_false(fixed_add(INT64_MAX, 1, &r));
}

static void rounding_is_half_away_from_zero_to_fen(void **state)
{
    (void)state;
    assert_int_equal(fixed_to_fen(P("0.004999")), 0);
    assert_int_equal(fixed_to_fen(P("0.005")), 1);
    assert_int_equal(fixed_to_fen(P("-0.005")), -1);
    assert_int_equal(fixed_to_fen(P("15000.00501")), 1500001);
    assert_int_equal(fixed_to_fen(P("12000.00003")), 1200000);
}

static void steps_floor(void **state)
{
    (void)state;
    hq_fixed r;
    assert_true(fixed_div_floor(P("49999999.99"), P("5000000"), &r));
    assert_int_equal(r, P("9"));
    assert_true(fixed_div_floor(P("-1"), P("5000000"), &r));
    assert_int_equal(r, P("-1"));
    assert_false(fixed_div_floor(P("1"), 0, &r));
}

static void formatting(void **state)
{
    (void)state;
    char b[64];
    fen_format(123456789, true, b, sizeof b);
    assert_string_equal(b, "1,234,567.89");
    fen_format(-5, false, b, sizeof b);
    assert_string_equal(b, "-0.05");
    /* City-wide totals beyond hq_fixed's range still format exactly. */
    fen_format(INT64_MAX, true, b, sizeof b);
    assert_string_equal(b, "92,233,720,368,547,758.07");
    fen_format(INT64_MIN, false, b, sizeof b);
    assert_string_equal(b, "-92233720368547758.08");
    fen_format(100, true, b, sizeof b);
    assert_string_equal(b, "1.00");
    fixed_format_short(P("0.2"), false, b, sizeof b);
    assert_string_equal(b, "0.2");
    fixed_format_short(P("35000"), true, b, sizeof b);
    assert_string_equal(b, "35,000");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_accepts_and_rejects),
        cmocka_unit_test(products_are_exact),
        cmocka_unit_test(rounding_is_half_away_from_zero_to_fen),
        cmocka_unit_test(steps_floor),
        cmocka_unit_test(formatting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
