/*
 * Fixed-point decimal arithmetic; the representation and rounding rule are in fixed.h.
 */
#include "base/fixed.h"

#include <stdio.h>
#include <string.h>

typedef __int128 i128;

static bool fits(i128 v, hq_fixed *out)
{
    if (v > INT64_MAX || v < INT64_MIN) return false;
    *out = (hq_fixed)v;
    return true;
}

bool fixed_mul(hq_fixed a, hq_fixed b, hq_fixed *out)
{
    return fits((i128)a * b / HQ_FIXED_ONE, out);
}

bool fixed_div_floor(hq_fixed a, hq_fixed b, hq_fixed *out)
{
    if (b == 0) return false;
    i128 q = (i128)a / b;
    if (((a % b) != 0) && ((a < 0) != (b < 0))) q -= 1;
    return fits(q * HQ_FIXED_ONE, out);
}

bool fixed_add(hq_fixed a, hq_fixed b, hq_fixed *out)
{
    return !__builtin_add_overflow(a, b, out);
}

bool fixed_sub(hq_fixed a, hq_fixed b, hq_fixed *out)
{
    return !__builtin_sub_overflow(a, b, out);
}

int64_t fixed_to_fen(hq_fixed yuan)
{
    hq_fixed half = HQ_FIXED_PER_FEN / 2;
    if (yuan >= 0) return (yuan + half) / HQ_FIXED_PER_FEN;
    return -((-yuan + half) / HQ_FIXED_PER_FEN);
}

hq_fixed fixed_from_fen(int64_t fen)
{
    return fen * HQ_FIXED_PER_FEN;
}

bool fixed_from_int(int64_t v, hq_fixed *out)
{
    return !__builtin_mul_overflow(v, HQ_FIXED_ONE, out);
}

const char *fixed_parse(const char *s, size_t n, int max_decimals, hq_fixed *out)
{
    size_t i = 0;
    bool neg = false;
    if (i < n && s[i] == '-') {
        neg = true;
        i++;
    }
    if (i >= n || s[i] < '0' || s[i] > '9') return "应为数字";
    i128 v = 0;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
        v = v * 10 + (s[i] - '0');
        if (v > (i128)INT64_MAX) return "数字过大";
    }
    int dec = 0;
    i128 frac = 0;
    if (i < n && s[i] == '.') {
        i++;
        if (i >= n || s[i] < '0' || s[i] > '9') return "小数点后应为数字";
        for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
            if (++dec > max_decimals) return max_decimals == 2 ? "小数超过2位（金额精确到0.01元）"
                                                               : "小数位数过多";
            frac = frac * 10 + (s[i] - '0');
        }
    }
    if (i != n) return "数字中有非法字符";
    for (int d = dec; d < HQ_FIXED_DECIMALS; d++) frac *= 10;
    i128 r = v * HQ_FIXED_ONE + frac;
    if (neg) r = -r;
    if (!fits(r, out)) return "数字过大";
    return NULL;
}

/* Sign, integer digits (grouped by thousands if asked), then `frac` as `decimals` digits,
 * into buf (truncated to size like snprintf). Written by hand: formatting is on the batch
 * evaluator's, the importer's and the calculator's per-value paths, where snprintf's parsing
 * of a format string was a tenth of the time. */
static void format_parts(bool neg, uint64_t ip, uint64_t frac, int decimals, bool group, char *buf, size_t size)
{
    char digits[20], out[64];
    int n = fixed_digits(ip, digits);
    size_t k = 0;
    if (neg) out[k++] = '-';
    for (int i = 0; i < n; i++) {
        if (group && i > 0 && (n - i) % 3 == 0) out[k++] = ',';
        out[k++] = digits[i];
    }
    if (decimals) {
        out[k++] = '.';
        for (int i = decimals - 1; i >= 0; i--) {
            out[k + (size_t)i] = (char)('0' + frac % 10);
            frac /= 10;
        }
        k += (size_t)decimals;
    }
    out[k] = '\0';
    if (!size) return;
    size_t m = k < size - 1 ? k : size - 1;
    memcpy(buf, out, m);
    buf[m] = '\0';
}

void fixed_format(hq_fixed v, int decimals, bool group, char *buf, size_t size)
{
    unsigned __int128 m = v < 0 ? (unsigned __int128)(-(i128)v) : (unsigned __int128)v;
    uint64_t ip = (uint64_t)(m / HQ_FIXED_ONE), fp = (uint64_t)(m % HQ_FIXED_ONE);
    if (decimals > 6) decimals = 6;
    if (decimals < 0) decimals = 0;
    for (int d = decimals; d < 6; d++) fp /= 10; /* truncated, as the six-digit text cut short was */
    format_parts(v < 0, ip, fp, decimals, group, buf, size);
}

void fixed_format_short(hq_fixed v, bool group, char *buf, size_t size)
{
    int decimals = 6;
    hq_fixed m = v < 0 ? -v : v;
    while (decimals > 0 && m % 10 == 0) {
        m /= 10;
        decimals--;
    }
    /* m now has `decimals` significant fractional digits; re-derive from v. */
    fixed_format(v, decimals, group, buf, size);
}

int fixed_digits(uint64_t v, char out[20])
{
    char rev[20];
    int n = 0;
    do rev[n++] = (char)('0' + v % 10);
    while (v /= 10);
    for (int i = 0; i < n; i++) out[i] = rev[n - 1 - i];
    return n;
}

/* Formatted from 分 directly: converting to hq_fixed first would overflow above about
 * 9.2 × 10^14 分, which yearly totals of a city can approach. */
void fen_format(int64_t fen, bool group, char *buf, size_t size)
{
    uint64_t mag = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
    format_parts(fen < 0, mag / 100, mag % 100, 2, group, buf, size);
}
