/*
 * JSON text into a buffer; see jsonw.h.
 */
#include "base/jsonw.h"

#include <string.h>

/* The length of the UTF-8 sequence at `p` if it is one jansson accepts (shortest form, no
 * surrogates, at most U+10FFFF), else 0. */
static size_t utf8_len(const unsigned char *p)
{
    unsigned c = p[0], n, cp;
    if (c < 0xC2 || c > 0xF4) return 0;
    n = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    cp = c & (0x7F >> n);
    for (unsigned i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) return 0; /* also stops at the NUL */
        cp = cp << 6 | (p[i] & 0x3F);
    }
    if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;
    return n;
}

void jw_string(hq_strbuf *sb, const char *s)
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

void jw_next(hq_strbuf *sb)
{
    char last = sb->len ? sb->data[sb->len - 1] : '[';
    if (last != '{' && last != '[') sb_append(sb, ",", 1);
}

void jw_key(hq_strbuf *sb, const char *key)
{
    jw_next(sb);
    jw_string(sb, key);
    sb_append(sb, ":", 1);
}

void jw_str(hq_strbuf *sb, const char *key, const char *v)
{
    jw_key(sb, key);
    jw_string(sb, v);
}

void jw_int(hq_strbuf *sb, const char *key, int64_t v)
{
    char digits[24], *d = digits + sizeof digits;
    /* In unsigned arithmetic, so that INT64_MIN has a magnitude. */
    uint64_t m = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do *--d = (char)('0' + m % 10);
    while (m /= 10);
    if (v < 0) *--d = '-';
    jw_key(sb, key);
    sb_append(sb, d, (size_t)(digits + sizeof digits - d));
}

void jw_bool(hq_strbuf *sb, const char *key, bool v)
{
    jw_key(sb, key);
    sb_puts(sb, v ? "true" : "false");
}
