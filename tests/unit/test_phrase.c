/*
 * Golden sentences of phrase.c: every node kind and builtin a condition can hold, rendered
 * as the Chinese a user reads (no identifier, no rule syntax).
 */
#include "helpers.h"

#include "eval/phrase.h"

/* The sentence for `require <cond>` (amount `amount` when the condition is not the point). */
static void expect_sentence(const char *cond, const char *want)
{
    char text[4096];
    snprintf(text, sizeof text,
             "item d-1-1 {\n article 1\n row 1\n title \"t\"\n department \"部门\"\n duty 受理\n kind 数据核校\n"
             " source \"s\"\n require %s\n amount 1元\n}\n", cond);
    hq_diag d;
    diag_init(&d);
    hq_corpus *c = corpus_from_text(text, &d);
    diag_print(&d, stderr);
    assert_int_equal(d.count, 0);
    diag_free(&d);
    hq_strbuf out;
    sb_init(&out, 4096);
    phrase_node(c, corpus_find_item(c, "d-1-1")->parts[0].requires[0], &out);
    if (strcmp(sb_str(&out), want)) fprintf(stderr, "%s\n  got:  %s\n  want: %s\n", cond, sb_str(&out), want);
    assert_string_equal(sb_str(&out), want);
    sb_free(&out);
    corpus_free(c);
}

static void comparisons(void **state)
{
    (void)state;
    expect_sentence("sales 以上 500万元", "销售额达到500万元（含）");
    expect_sentence("sales 超过 500万元", "销售额超过500万元（不含本数）");
    expect_sentence("visitors 以下 100人次", "游客不超过100人次（含）");
    expect_sentence("share 低于 20%", "占比低于20%（不含本数）");
    expect_sentence("k == 甲", "类别为甲");
    expect_sentence("k != 乙", "类别不为乙");
    expect_sentence("registered 以上 2020-07-14", "注册日期达到2020年7月14日（含）");
}

static void logic(void **state)
{
    (void)state;
    expect_sentence("ok", "合格");
    expect_sentence("not ok", "不是合格");
    expect_sentence("ok and flag", "合格，且标记");
    expect_sentence("ok or flag and ok", "合格，或（标记，且合格）");
    expect_sentence("ok == true", "合格为是");
    expect_sentence("prev(sales) 以上 1元", "上年销售额达到1元（含）");
    expect_sentence("k in {甲, 乙}", "类别属于甲或乙");
    expect_sentence("k not in {甲}", "类别不属于甲");
    expect_sentence("not (ok and flag)", "并非「合格，且标记」");
    expect_sentence("not plan_ok", "截至当年末方案未获批");
    expect_sentence("plan_ok and not prev(plan_ok)", "截至当年末方案已获批，且截至上年末方案未获批");
    expect_sentence("prev(plan_ok)", "截至上年末方案已获批");
    expect_sentence("not prev(plan_ok)", "截至上年末方案未获批");
}

static void arithmetic(void **state)
{
    (void)state;
    expect_sentence("sales + sales * 2 - sales 以上 1元", "销售额加销售额乘以2减销售额达到1元（含）");
    expect_sentence("-sales 低于 0元", "负销售额低于0元（不含本数）");
    expect_sentence("min(sales, 100万元) 以上 1元", "销售额与100万元中的较小者达到1元（含）");
    expect_sentence("max(sales, 100万元) 以上 1元", "销售额与100万元中的较大者达到1元（含）");
    expect_sentence("steps(sales, 100万元) 以上 1", "销售额中每满100万元的份数达到1（含）");
    expect_sentence("excess(sales, 100万元) 以上 1元", "销售额超出100万元的部分达到1元（含）");
    expect_sentence("(if ok then sales else 0元) 以上 1元", "若合格，则为销售额，否则为0元达到1元（含）");
    expect_sentence("(match visitors { 1..10: 1元, else: 0元 }) 以上 1元", "按游客分档确定的值达到1元（含）");
}

static void builtins(void **state)
{
    (void)state;
    expect_sentence("years_since(opened) 以上 1", "自运营日期起的年度数达到1（含）");
    expect_sentence("years_between(opened) 以上 3", "自运营日期起的整年数达到3（含）");
    expect_sentence("in_list(黑名单)", "列入黑名单");
    expect_sentence("not in_list(黑名单)", "未列入黑名单");
    expect_sentence("in_region(市区)", "注册地属于市区");
    expect_sentence("not in_region(市区)", "注册地不属于市区");
    expect_sentence("new_recognition(中心) in {国家, 省, 市}", "当年新认定为国家级、省级或市级中心");
    expect_sentence("new_recognition(中心) == 省", "当年新认定为省级中心");
    expect_sentence("recognition_level(中心) 以上 省", "已获省级及以上中心");
    expect_sentence("recognition_level(中心) in {国家}", "已获国家级中心");
    expect_sentence("recognition_level(中心) != 无", "已获中心（任一级别）");
    expect_sentence("new_recognition(中心) != 无", "当年新认定为中心（任一级别）");
    expect_sentence("recognition_level(中心) != 市", "已获的不是市级中心");
    expect_sentence("ok or recognition_level(资格)", "合格，或已获资格");
    expect_sentence("new_count(中心) 以上 2", "当年新获中心的项数达到2（含）");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(comparisons),
        cmocka_unit_test(logic),
        cmocka_unit_test(arithmetic),
        cmocka_unit_test(builtins),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
