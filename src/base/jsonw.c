/*
 * JSON text into a buffer; see jsonw.h.
 */
#include "base/jsonw.h"

#include <string.h>

#include "base/fixed.h"

/* What a byte starts: 0 something to escape or not UTF-8 (and the NUL), 1 a plain ASCII
 * character, 2–4 a UTF-8 sequence of that length (C0, C1 and F5–FF never start one). */
static inline unsigned start_len(unsigned c)
{
    if (c >= 0x20 && c < 0x80) return c != '"' && c != '\\';
    return c < 0xC2 ? 0 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF5 ? 4 : 0;
}

/* The length of the UTF-8 sequence at `p` if it is one jansson accepts (shortest form, no
 * surrogates, at most U+10FFFF), else 0. The second byte's range is what rules out the
 * overlong forms (after E0, F0), the surrogates (after ED) and what passes U+10FFFF (after F4). */
static size_t utf8_len(const unsigned char *p)
{
    unsigned n = start_len(p[0]);
    if (n < 2) return 0;
    unsigned lo = p[0] == 0xE0 ? 0xA0 : p[0] == 0xF0 ? 0x90 : 0x80;
    unsigned hi = p[0] == 0xED ? 0x9F : p[0] == 0xF4 ? 0x8F : 0xBF;
    if (p[1] < lo || p[1] > hi) return 0;
    for (unsigned i = 2; i < n; i++)
        if ((p[i] & 0xC0) != 0x80) return 0; /* also stops at the NUL */
    return n;
}

/* The length of `s` when it can be written as it is (valid UTF-8, nothing to escape), else
 * (size_t)-1. */
static size_t plain_len(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    for (;;) {
        size_t n = start_len(*p) == 1 ? 1 : utf8_len(p);
        if (!n) return *p ? (size_t)-1 : (size_t)(p - (const unsigned char *)s);
        p += n;
    }
}

/* The string with its escapes, a run of plain bytes at a time. */
static void escaped(hq_strbuf *sb, const char *s)
{
    static const char HEX[] = "0123456789ABCDEF";
    const unsigned char *p = (const unsigned char *)s, *run = p;
    sb_append(sb, "\"", 1);
    for (;;) {
        unsigned c = *p;
        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
            p++;
            continue;
        }
        if (c >= 0x80) {
            size_t n = utf8_len(p);
            if (!n) {
                sb->overflow = true;
                return;
            }
            p += n;
            continue;
        }
        sb_append(sb, (const char *)run, (size_t)(p - run));
        if (!c) break;
        char esc[6] = {'\\', 0};
        size_t len = 2;
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            memcpy(esc + 1, "u00", 3);
            esc[4] = HEX[c >> 4];
            esc[5] = HEX[c & 15];
            len = 6;
        }
        sb_append(sb, esc, len);
        run = ++p;
    }
    sb_append(sb, "\"", 1);
}

/* `before` "s" `after` in one piece when s needs no escape (most text: an answer is tens of
 * thousands of small pieces), else piece by piece. */
static void quoted(hq_strbuf *sb, const char *before, const char *s, const char *after)
{
    size_t n = plain_len(s), lb = strlen(before), la = strlen(after);
    if (n == (size_t)-1) {
        sb_append(sb, before, lb);
        escaped(sb, s);
        sb_append(sb, after, la);
        return;
    }
    char *at = sb_extend(sb, lb + n + 2 + la);
    if (!at) return;
    memcpy(at, before, lb);
    at += lb;
    *at++ = '"';
    memcpy(at, s, n);
    at += n;
    *at++ = '"';
    memcpy(at, after, la);
}

void jw_string(hq_strbuf *sb, const char *s)
{
    quoted(sb, "", s, "");
}

/* After '{' or '[' nothing; else a comma. */
static const char *separator(const hq_strbuf *sb)
{
    char last = sb->len ? sb->data[sb->len - 1] : '[';
    return last == '{' || last == '[' ? "" : ",";
}

void jw_next(hq_strbuf *sb)
{
    sb_puts(sb, separator(sb));
}

void jw_key(hq_strbuf *sb, const char *key)
{
    quoted(sb, separator(sb), key, ":");
}

void jw_str(hq_strbuf *sb, const char *key, const char *v)
{
    jw_key(sb, key);
    jw_string(sb, v);
}

void jw_int(hq_strbuf *sb, const char *key, int64_t v)
{
    char text[21];
    /* In unsigned arithmetic, so that INT64_MIN has a magnitude. */
    int n = v < 0;
    text[0] = '-';
    n += fixed_digits(v < 0 ? 0 - (uint64_t)v : (uint64_t)v, text + n);
    jw_key(sb, key);
    sb_append(sb, text, (size_t)n);
}

void jw_bool(hq_strbuf *sb, const char *key, bool v)
{
    jw_key(sb, key);
    sb_puts(sb, v ? "true" : "false");
}
