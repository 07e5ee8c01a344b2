/*
 * Values as people read them; see valuetext.h. Shared by the explanation writer, the condition
 * sentences, the 附则3 notes and the item detail, so that a value reads the same everywhere.
 */
#include "eval/valuetext.h"

#include <stdio.h>

#include "base/calendar.h"
#include "base/fixed.h"

void value_text(const hq_corpus *c, hq_type t, const char *unit, int64_t v, char *buf, size_t size)
{
    char num[64];
    switch (t.kind) {
    case HT_BOOL:
        snprintf(buf, size, "%s", v ? "是" : "否");
        return;
    case HT_MONEY:
        /* People read 分: a finer intermediate is rounded as the award is (四舍五入);
         * value_rounded() tells the caller to write "≈" instead of "=". */
        fen_format(fixed_to_fen(v), true, num, sizeof num);
        snprintf(buf, size, "%s元", num);
        return;
    case HT_RATE:
        fixed_format_short(v * 100, false, num, sizeof num);
        snprintf(buf, size, "%s%%", num);
        return;
    case HT_COUNT:
        fixed_format_short(v, true, num, sizeof num);
        snprintf(buf, size, "%s%s", num, unit ? unit : "");
        return;
    case HT_DATE: {
        int y, m, d;
        cal_civil_from_days((long)v, &y, &m, &d);
        snprintf(buf, size, "%d年%d月%d日", y, m, d);
        return;
    }
    case HT_ENUM:
        if (t.enum_id >= 0 && v >= 0 && v < c->enums[t.enum_id]->nvalues) {
            snprintf(buf, size, "%s", c->enums[t.enum_id]->values[v]);
            return;
        }
        break;
    }
    snprintf(buf, size, "%lld", (long long)v);
}

/* The value as shown: money rounded to whole 分, every other kind exactly as it is. */
int64_t value_shown(hq_type t, int64_t v)
{
    return t.kind == HT_MONEY ? fixed_from_fen(fixed_to_fen(v)) : v;
}

bool value_rounded(hq_type t, int64_t v)
{
    return value_shown(t, v) != v;
}
