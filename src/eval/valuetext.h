/*
 * A value of a rule type written for people: money "1,234.56元" (rounded to 分, 四舍五入),
 * rates "20%", counts with their unit, dates as people write them (2021年4月1日), enum values.
 */
#ifndef HQ_VALUETEXT_H
#define HQ_VALUETEXT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rules/corpus.h"

void value_text(const hq_corpus *c, hq_type t, const char *unit, int64_t v, char *buf, size_t size);
/* The value as shown: money rounded to whole 分, every other kind exactly as it is. */
int64_t value_shown(hq_type t, int64_t v);
/* Whether value_text shows v rounded (money finer than 分): write "≈", not "=". */
bool value_rounded(hq_type t, int64_t v);

#endif
