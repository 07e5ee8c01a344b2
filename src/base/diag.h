/*
 * Diagnostics gathered on one object while a job runs (after SQLite's Parse.zErrMsg, but
 * keeping all of them): a rule-file check or an entity load reports every problem it finds,
 * each with its position, and the caller decides how to print them. Positions are either
 * file:line:col (rule files) or a JSON path ($.years.2021.local_contribution).
 *
 * The list owns its messages. At most HQ_DIAG_MAX are kept; the count goes on.
 */
#ifndef HQ_DIAG_H
#define HQ_DIAG_H
#include <stdio.h>

enum { HQ_DIAG_MAX = 200 };

typedef struct {
    char *where;   /* "policies/x.hq:12:7" or "$.facts.paid_in_capital" */
    char *message;
} hq_diag_entry;

typedef struct {
    hq_diag_entry items[HQ_DIAG_MAX];
    int count;     /* all reported, even past HQ_DIAG_MAX */
} hq_diag;

void diag_init(hq_diag *d);
void diag_free(hq_diag *d);
void diag_add(hq_diag *d, const char *where, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void diag_at(hq_diag *d, const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void diag_print(const hq_diag *d, FILE *out);

/* What a system error number means, in Chinese, for messages people read (strerror speaks
 * the C locale's English). Common causes by name, the rest as "系统错误（编号 N）" — the
 * number written into `buf` (at least 48 bytes), which is returned then. */
const char *diag_errno_zh(int err, char *buf, unsigned size);
/* The same with a buffer that lives as long as the enclosing block. */
#define HQ_ERRNO_ZH(err) diag_errno_zh((err), (char[48]){0}, 48)

#endif
