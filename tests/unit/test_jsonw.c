/*
 * Unit tests for the JSON text writer (base/jsonw.c): what it writes must be what jansson's
 * json_dumps(…, JSON_COMPACT) writes for the same document, since the calculator's answer
 * went from one to the other and clients compare answers byte for byte.
 */
#include "helpers.h"

#include "base/jsonw.h"

/* {"k": s} written both ways. */
static void same_as_jansson(const char *s)
{
    hq_strbuf sb;
    sb_init(&sb, 1 << 16);
    sb_append(&sb, "{", 1);
    jw_str(&sb, "k", s);
    sb_append(&sb, "}", 1);
    json_t *j = json_pack("{s:s}", "k", s);
    assert_non_null(j);
    char *want = json_dumps(j, JSON_COMPACT);
    assert_true(sb_ok(&sb));
    assert_string_equal(sb_str(&sb), want);
    free(want);
    json_decref(j);
    sb_free(&sb);
}

static void strings_escape_as_jansson_does(void **state)
{
    (void)state;
    char one[2] = {0, 0};
    for (int c = 1; c < 0x80; c++) {
        one[0] = (char)c;
        same_as_jansson(one);
    }
    same_as_jansson("");
    same_as_jansson("温州示例科技有限公司「引号\"」\\ 斜杠/ 换行\n制表\t\x01\x1f\x7f");
    same_as_jansson("𝄞 U+10FFFF \xf4\x8f\xbf\xbf, U+FFFF \xef\xbf\xbf, U+0080 \xc2\x80");
}

static void invalid_utf8_fails_the_buffer(void **state)
{
    (void)state;
    static const char *const BAD[] = {"\x80", "\xc0\xaf", "\xc1\xbf", "\xe0\x80\xaf", "\xed\xa0\x80",
                                      "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xe5\xae", "ok\xe5"};
    for (size_t i = 0; i < sizeof BAD / sizeof *BAD; i++) {
        assert_null(json_string(BAD[i])); /* jansson refuses it too */
        hq_strbuf sb;
        sb_init(&sb, 1024);
        jw_string(&sb, BAD[i]);
        assert_false(sb_ok(&sb));
        sb_free(&sb);
    }
}

/* Random byte strings, mostly pieces of UTF-8: accepted and written exactly when jansson
 * accepts and writes them. */
static void random_text_agrees_with_jansson(void **state)
{
    (void)state;
    static const unsigned char BYTES[] = {'a', '"', '\\', '\n', 0x01, 0x7f, 0x80, 0xbf, 0xc2, 0xdf, 0xe0, 0xe5,
                                          0xed, 0xef, 0xf0, 0xf4, 0xf5, 0x9f, 0xa0, 0x8f, 0x90};
    unsigned seed = 12345;
    char s[9];
    int accepted = 0, refused = 0;
    for (int round = 0; round < 200000; round++) {
        int n = 1 + round % 8;
        for (int i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            s[i] = (char)BYTES[(seed >> 16) % sizeof BYTES];
        }
        s[n] = 0;
        json_t *j = json_string(s);
        hq_strbuf sb;
        sb_init(&sb, 1024);
        jw_string(&sb, s);
        assert_int_equal(j != NULL, sb_ok(&sb));
        *(j ? &accepted : &refused) += 1;
        if (j) {
            char *want = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
            assert_string_equal(sb_str(&sb), want);
            free(want);
        }
        json_decref(j);
        sb_free(&sb);
    }
    assert_true(accepted > 10000 && refused > 10000);
}

static void members_and_numbers(void **state)
{
    (void)state;
    hq_strbuf sb;
    sb_init(&sb, 1024);
    sb_append(&sb, "{", 1);
    jw_int(&sb, "zero", 0);
    jw_int(&sb, "min", INT64_MIN);
    jw_int(&sb, "max", INT64_MAX);
    jw_int(&sb, "neg", -100000000);
    jw_bool(&sb, "t", true);
    jw_bool(&sb, "f", false);
    jw_key(&sb, "a");
    sb_append(&sb, "[", 1);
    for (int i = 0; i < 2; i++) {
        jw_next(&sb);
        sb_append(&sb, "{", 1);
        jw_str(&sb, "s", "x");
        sb_append(&sb, "}", 1);
    }
    sb_append(&sb, "]}", 2);
    json_t *j = json_pack("{s:I, s:I, s:I, s:I, s:b, s:b, s:[{s:s}, {s:s}]}", "zero", (json_int_t)0, "min",
                          (json_int_t)INT64_MIN, "max", (json_int_t)INT64_MAX, "neg", (json_int_t)-100000000, "t", 1,
                          "f", 0, "a", "s", "x", "s", "x");
    char *want = json_dumps(j, JSON_COMPACT);
    assert_string_equal(sb_str(&sb), want);
    free(want);
    json_decref(j);
    sb_free(&sb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(strings_escape_as_jansson_does),
        cmocka_unit_test(invalid_utf8_fails_the_buffer),
        cmocka_unit_test(random_text_agrees_with_jansson),
        cmocka_unit_test(members_and_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
