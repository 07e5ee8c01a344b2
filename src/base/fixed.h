/*
 * Exact decimal arithmetic for money, counts and rates.
 *
 * Every number huiqi computes with is an hq_fixed: an int64 holding the value times 10^6
 * in its own unit. Money is counted in 元, so one hq_fixed step is 10^-4 分; a rate of 20%
 * is 200000. Products and quotients go through 128-bit intermediates and report overflow
 * instead of wrapping. Because rates in the corpus are multiples of 0.01% (the checker
 * enforces it) and inputs are whole 分, a money × rate product is exact; an award is rounded
 * once, half away from zero (四舍五入), to a whole 分 by fixed_to_fen().
 *
 * There is no floating point in this module or anywhere money flows.
 */
#ifndef HQ_FIXED_H
#define HQ_FIXED_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int64_t hq_fixed;

#define HQ_FIXED_ONE ((hq_fixed)1000000)
#define HQ_FIXED_DECIMALS 6
#define HQ_FIXED_PER_FEN ((hq_fixed)10000)

/* a × b, truncated toward zero at 10^-6. False on overflow. */
bool fixed_mul(hq_fixed a, hq_fixed b, hq_fixed *out);
/* ⌊a / b⌋ as a whole number (in fixed representation). False on b == 0 or overflow. */
bool fixed_div_floor(hq_fixed a, hq_fixed b, hq_fixed *out);
bool fixed_add(hq_fixed a, hq_fixed b, hq_fixed *out);
bool fixed_sub(hq_fixed a, hq_fixed b, hq_fixed *out);

/* Money in fixed 元 → whole 分, rounded half away from zero. */
int64_t fixed_to_fen(hq_fixed yuan);
hq_fixed fixed_from_fen(int64_t fen);
bool fixed_from_int(int64_t v, hq_fixed *out);

/* Parse an optional '-', digits, and an optional '.' with at most `max_decimals` digits
 * (≤ 6). The whole of s[0..n) must be consumed. Returns 0, or a static message. */
const char *fixed_parse(const char *s, size_t n, int max_decimals, hq_fixed *out);

/* Format with exactly `decimals` places (≤ 6, truncating toward zero), with thousands
 * separators when `group`. Writes at most `size` bytes including the NUL. */
void fixed_format(hq_fixed v, int decimals, bool group, char *buf, size_t size);
/* Format as few decimals as needed (20%, 3.5, 0.003). */
void fixed_format_short(hq_fixed v, bool group, char *buf, size_t size);
/* 分 → "1,234,567.89". */
void fen_format(int64_t fen, bool group, char *buf, size_t size);
/* The decimal digits of `v` (at most 20, no NUL), without printf; returns how many. */
int fixed_digits(uint64_t v, char out[20]);

#endif
