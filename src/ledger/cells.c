/*
 * Department table cells: the fixed columns' names and a fact cell's canonical value,
 * shared by the importer and the CSV batch reader (cells.h says why they must agree).
 */
#include "ledger/cells.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/calendar.h"
#include "base/fixed.h"

static const struct {
    const char *en, *zh, *zh2;
} FIXED[COL__FIXED] = {
    [COL_CODE] = {"credit_code", "统一社会信用代码", "信用代码"},
    [COL_NAME] = {"name", "企业名称", "名称"},
    [COL_YEAR] = {"year", "年度", "年份"},
    [COL_RECOG] = {"recognition", "认定名称", "认定"},
    [COL_LEVEL] = {"level", "级别", "等级"},
    [COL_GRADE] = {"grade", "等次", "奖项等次"},
    [COL_DATE] = {"date", "认定日期", "日期"},
    [COL_LIST] = {"list", "名单", "名单名称"},
    [COL_ITEM] = {"item", "条款", "条款编号"},
    [COL_PROJECT] = {"project", "项目", "项目名称"},
    [COL_DATA_YEAR] = {"data_year", "数据年度", "依据年度"},
    [COL_FORM] = {"form", "兑付形式", "形式"},
    [COL_AMOUNT] = {"amount", "金额", "奖补金额"},
    [COL_BASIS] = {"basis", "依据", "奖补依据"},
    [COL_NOTE] = {"note", "备注", "说明"},
    [COL_SUBJECT] = {"subject", "认定对象", "作品名称"},
    [COL_PART] = {"part", "奖补部分", "部分"},
};

int cells_fixed_column(const char *h, unsigned allowed)
{
    for (int k = 0; k < COL__FIXED; k++)
        if ((allowed >> k & 1) && (!strcmp(h, FIXED[k].en) || !strcmp(h, FIXED[k].zh) || !strcmp(h, FIXED[k].zh2))) return k;
    return -1;
}

const char *cells_fixed_zh(hq_col_kind k)
{
    return FIXED[k].zh;
}

const char *cells_fixed_en(hq_col_kind k)
{
    return FIXED[k].en;
}

int cells_find_fact(const hq_corpus *c, const char *name)
{
    int f = corpus_find_fact(c, name);
    if (f >= 0) return f;
    for (int i = 0; i < c->nfacts; i++)
        if (c->facts[i]->label && !strcmp(c->facts[i]->label, name)) return i;
    return -1;
}

/* Up to `most` digits at *s into *v; false if none. */
static bool digits(const char **s, int most, int *v)
{
    int n = 0;
    *v = 0;
    for (; n < most && **s >= '0' && **s <= '9'; n++, ++*s) *v = *v * 10 + (**s - '0');
    return n > 0;
}

const char *cells_norm_date(hq_arena *ar, const char *s)
{
    int y, m, d;
    char sep;
    if (!digits(&s, 4, &y) || (*s != '-' && *s != '/')) return NULL;
    sep = *s++;
    if (!digits(&s, 2, &m) || *s++ != sep || !digits(&s, 2, &d) || *s || !cal_valid_date(y, m, d)) return NULL;
    char *out = arena_alloc(ar, 11);
    if (!out) return NULL;
    out[0] = (char)('0' + y / 1000), out[1] = (char)('0' + y / 100 % 10), out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10), out[4] = '-', out[5] = (char)('0' + m / 10), out[6] = (char)('0' + m % 10);
    out[7] = '-', out[8] = (char)('0' + d / 10), out[9] = (char)('0' + d % 10);
    return out;
}

/* s as a JSON string in `ar`. Cell values reaching here are canonical numbers, dates and
 * enum values, none of which holds a quote or a backslash. */
static const char *quoted(hq_arena *ar, const char *s)
{
    size_t n = strlen(s);
    char *q = arena_alloc(ar, n + 3);
    if (!q) return NULL;
    q[0] = '"';
    memcpy(q + 1, s, n);
    q[n + 1] = '"';
    q[n + 2] = '\0';
    return q;
}

static bool word_in(const char *v, const char *const *words)
{
    for (; *words; words++)
        if (!strcmp(v, *words)) return true;
    return false;
}

/* A number cell's canonical text: money always with two decimals, counts in short form. */
static const char *number_value(const hq_fact *f, const char *v, hq_arena *ar, char *why, size_t whysz)
{
    bool money = f->type.kind == HT_MONEY;
    hq_fixed x;
    const char *e = strchr(v, ',') ? "不要使用千位分隔符，应写作 1234567.89" : fixed_parse(v, strlen(v), money ? 2 : 6, &x);
    if (!e && x < 0) e = money ? "金额不能为负" : "不能为负";
    if (e) {
        snprintf(why, whysz, "「%s」：%s%s", v, e, money ? "（金额以元为单位，至多两位小数）" : "");
        return NULL;
    }
    char buf[64];
    if (money) fixed_format(x, 2, false, buf, sizeof buf);
    else fixed_format_short(x, false, buf, sizeof buf);
    return quoted(ar, buf);
}

static const char *enum_cell(const hq_corpus *c, const hq_fact *f, const char *v, hq_arena *ar, char *why, size_t whysz)
{
    const hq_enum *en = c->enums[f->type.enum_id];
    if (enum_value(en, v) >= 0) return quoted(ar, v);
    char list[512] = "";
    for (int i = 1; i < en->nvalues && strlen(list) < 400; i++) {
        strcat(list, i > 1 ? "、" : "");
        strcat(list, en->values[i]);
    }
    snprintf(why, whysz, "「%s」不是%s的取值（%s）", v, f->label && *f->label ? f->label : f->name, list);
    return NULL;
}

const char *cells_fact_value(const hq_corpus *c, const hq_fact *f, const char *v, const char *today, hq_arena *ar, char *why,
                             size_t whysz)
{
    static const char *const YES[] = {"是", "true", "TRUE", "1", "Y", NULL}, *const NO[] = {"否", "false", "FALSE", "0", "N", NULL};
    switch (f->type.kind) {
    case HT_BOOL:
        if (word_in(v, YES)) return "true";
        if (word_in(v, NO)) return "false";
        snprintf(why, whysz, "「%s」不是 是/否", v);
        return NULL;
    case HT_MONEY:
    case HT_COUNT:
        return number_value(f, v, ar, why, whysz);
    case HT_RATE: {
        size_t n = strlen(v);
        bool pct = n && v[n - 1] == '%';
        hq_fixed x;
        const char *e = fixed_parse(v, pct ? n - 1 : n, pct ? 4 : 6, &x);
        if (!e) return quoted(ar, v);
        snprintf(why, whysz, "「%s」：%s（比例如 12.5%%）", v, e);
        return NULL;
    }
    case HT_DATE: {
        const char *d = cells_norm_date(ar, v);
        if (!d) snprintf(why, whysz, "「%s」不是日期（应为 YYYY-MM-DD）", v);
        else if (strcmp(d, today) > 0) snprintf(why, whysz, "日期 %s 晚于今天 %s", d, today);
        else return quoted(ar, d);
        return NULL;
    }
    case HT_ENUM:
        return enum_cell(c, f, v, ar, why, whysz);
    default:
        snprintf(why, whysz, "不支持的数据类型");
        return NULL;
    }
}

int cells_year(const char *v, int year_now, int *year, char *why, size_t whysz)
{
    long y = 0;
    bool digits = v && strlen(v) == 4;
    for (int i = 0; digits && i < 4; i++) digits = v[i] >= '0' && v[i] <= '9';
    if (digits) y = strtol(v, NULL, 10);
    if (!digits || y < 2000) {
        snprintf(why, whysz, "「%s」不是年度（应为年份，如 2021）", v ? v : "");
        return -1;
    }
    if (y > year_now) {
        snprintf(why, whysz, "%ld 年度尚未到来", y);
        return -1;
    }
    *year = (int)y;
    return 0;
}
