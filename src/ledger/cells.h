/*
 * The cells of department tables, as every reader of them must understand them: the fixed
 * columns and their Chinese names (统一社会信用代码 …), a column named by a fact's identifier
 * or label, and a fact's cell text turned into the canonical JSON text the store keeps
 * ("1234.5" → "\"1234.50\"", 是 → true). `huiqi import` and `huiqi eval --batch` on a CSV
 * file both read cells through here, so a value one accepts the other accepts, and the
 * complaint about a bad one is the same sentence.
 */
#ifndef HQ_CELLS_H
#define HQ_CELLS_H
#include <stddef.h>

#include "base/arena.h"
#include "rules/corpus.h"

typedef enum {
    COL_CODE, COL_NAME, COL_YEAR, COL_RECOG, COL_LEVEL, COL_GRADE, COL_DATE, COL_LIST, COL_ITEM, COL_PROJECT,
    COL_DATA_YEAR, COL_FORM, COL_AMOUNT, COL_BASIS, COL_NOTE, COL_SUBJECT, COL_PART, COL__FIXED, COL_FACT = COL__FIXED
} hq_col_kind;

/* The fixed column among `allowed` (a bit per hq_col_kind) that `header` names in English
 * or either Chinese form, or -1. */
int cells_fixed_column(const char *header, unsigned allowed);
/* A fixed column's Chinese and English names, for messages. */
const char *cells_fixed_zh(hq_col_kind k);
const char *cells_fixed_en(hq_col_kind k);

/* The fact a column header names, by identifier or Chinese label, or -1. */
int cells_find_fact(const hq_corpus *c, const char *name);

/* "2021-5-1", "2021/05/01" → "2021-05-01" in `ar`; NULL if not a calendar date (digits and
 * one kind of separator only: no spaces or signs). */
const char *cells_norm_date(hq_arena *ar, const char *s);

/* Fact `f`'s value in cell text `v` (not empty) as canonical JSON text in `ar`; NULL with
 * the complaint in why[0..whysz) when it is not one. A date after `today` (YYYY-MM-DD) is
 * refused. */
const char *cells_fact_value(const hq_corpus *c, const hq_fact *f, const char *v, const char *today, hq_arena *ar, char *why,
                             size_t whysz);

/* A 4-digit data year from 2000 up to `year_now`: 0 and the year, or -1 with why. */
int cells_year(const char *v, int year_now, int *year, char *why, size_t whysz);

#endif
