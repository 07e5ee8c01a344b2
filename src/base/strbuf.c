/*
 * Bounded growing buffer; see strbuf.h.
 */
#include "base/strbuf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sb_init(hq_strbuf *sb, size_t max)
{
    memset(sb, 0, sizeof *sb);
    sb->max = max;
}

void sb_free(hq_strbuf *sb)
{
    free(sb->data);
    sb_init(sb, sb->max);
}

void sb_reset(hq_strbuf *sb)
{
    sb->len = 0;
    sb->overflow = false;
    if (sb->data) sb->data[0] = '\0';
}

static bool sb_reserve(hq_strbuf *sb, size_t extra)
{
    if (sb->overflow) return false;
    if (extra > sb->max || sb->len > sb->max - extra) {
        sb->overflow = true;
        return false;
    }
    size_t need = sb->len + extra + 1;
    if (need <= sb->cap) return true;
    size_t cap = sb->cap ? sb->cap : 256;
    while (cap < need) cap *= 2;
    if (cap > sb->max + 1) cap = sb->max + 1;
    char *p = realloc(sb->data, cap);
    if (!p) {
        sb->overflow = true;
        return false;
    }
    sb->data = p;
    sb->cap = cap;
    return true;
}

void sb_append(hq_strbuf *sb, const char *s, size_t n)
{
    if (!sb_reserve(sb, n)) return;
    memcpy(sb->data + sb->len, s, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
}

char *sb_extend(hq_strbuf *sb, size_t n)
{
    if (!sb_reserve(sb, n)) return NULL;
    char *at = sb->data + sb->len;
    sb->len += n;
    sb->data[sb->len] = '\0';
    return at;
}

void sb_puts(hq_strbuf *sb, const char *s)
{
    sb_append(sb, s, strlen(s));
}

void sb_printf(hq_strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !sb_reserve(sb, (size_t)n)) return;
    va_start(ap, fmt);
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb->len += (size_t)n;
}

bool sb_ok(const hq_strbuf *sb)
{
    return !sb->overflow;
}

const char *sb_str(hq_strbuf *sb)
{
    return sb->data ? sb->data : "";
}

char *sb_take(hq_strbuf *sb)
{
    char *p = sb->data;
    if (!p) p = calloc(1, 1);
    sb_init(sb, sb->max);
    return p;
}

int sb_read_file(hq_strbuf *sb, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        sb_append(sb, buf, n);
        if (sb->overflow) {
            fclose(f);
            errno = EFBIG;
            return -1;
        }
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        errno = EIO;
        return -1;
    }
    if (!sb->data) sb_append(sb, "", 0);
    return 0;
}
