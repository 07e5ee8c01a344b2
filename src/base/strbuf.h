/*
 * Growing byte buffer with a hard maximum fixed at creation (after curl's dynbuf): an
 * explanation, a table or a file read can never grow without bound. Once an append would
 * pass the maximum, the buffer is marked overflowed, further appends are ignored, and the
 * caller sees it through sb_ok().
 *
 * The buffer owns its memory: sb_free() releases it, sb_take() hands it to the caller.
 */
#ifndef HQ_STRBUF_H
#define HQ_STRBUF_H
#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char *data;
    size_t len, cap, max;
    bool overflow;
} hq_strbuf;

void sb_init(hq_strbuf *sb, size_t max);
void sb_free(hq_strbuf *sb);
void sb_append(hq_strbuf *sb, const char *s, size_t n);
void sb_puts(hq_strbuf *sb, const char *s);
void sb_printf(hq_strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Room for `n` more bytes at the end, already counted in the length, for the caller to fill
 * (the NUL after them is written); NULL when that would pass the maximum, which marks the
 * buffer overflowed. Several pieces go in all or none, as one sb_printf would. */
char *sb_extend(hq_strbuf *sb, size_t n);
void sb_reset(hq_strbuf *sb);
bool sb_ok(const hq_strbuf *sb);
/* NUL-terminated contents ("" when empty); valid until the next append. */
const char *sb_str(hq_strbuf *sb);
/* Hand the malloc'd contents to the caller, leaving the buffer empty. */
char *sb_take(hq_strbuf *sb);

/* Read a whole file into `sb` (at most sb->max bytes). Returns 0, or -1 with errno set
 * (EFBIG when the file is larger than the maximum). */
int sb_read_file(hq_strbuf *sb, const char *path);

#endif
