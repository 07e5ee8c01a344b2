/*
 * Calendar arithmetic on proleptic Gregorian dates, as days since 1970-01-01: what the rule
 * language's dates, the evaluator's year functions, the 附则3 windows, imports and the
 * workflow's publicity dates all count in. Pure functions, no time zone, no allocation.
 */
#ifndef HQ_CALENDAR_H
#define HQ_CALENDAR_H
#include <stdbool.h>

/* The years huiqi reads anywhere — an evaluation, a data year, a past award, a budget:
 * one range, so that no door admits a year another refuses. */
enum { HQ_YEAR_MIN = 2000, HQ_YEAR_MAX = 2100 };

long cal_days_from_civil(int y, int m, int d);
void cal_civil_from_days(long days, int *y, int *m, int *d);
/* A real date of the years 1900–2200. */
bool cal_valid_date(int y, int m, int d);
/* "YYYY-MM-DD" exactly, a real date. */
bool cal_valid_text(const char *s);
/* The days since 1970-01-01 of a "YYYY-MM-DD" that cal_valid_text accepts. */
long cal_days_from_text(const char *s);
/* Monday to Friday from `from` to `to`, both included (0 if to < from). Public holidays and
 * the weekends worked in their place are not known here. */
long cal_weekdays(long from, long to);

#endif
