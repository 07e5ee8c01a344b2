/*
 * Diagnostic list; see diag.h.
 */
#include "base/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void diag_init(hq_diag *d)
{
    memset(d, 0, sizeof *d);
}

void diag_free(hq_diag *d)
{
    int n = d->count < HQ_DIAG_MAX ? d->count : HQ_DIAG_MAX;
    for (int i = 0; i < n; i++) {
        free(d->items[i].where);
        free(d->items[i].message);
    }
    diag_init(d);
}

static char *vformat(const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0) return NULL;
    char *s = malloc((size_t)n + 1);
    if (s) vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

static void diag_push(hq_diag *d, char *where, char *msg)
{
    if (d->count < HQ_DIAG_MAX) {
        d->items[d->count].where = where;
        d->items[d->count].message = msg;
    } else {
        free(where);
        free(msg);
    }
    d->count++;
}

void diag_add(hq_diag *d, const char *where, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = vformat(fmt, ap);
    va_end(ap);
    diag_push(d, strdup(where ? where : ""), msg);
}

void diag_at(hq_diag *d, const char *file, int line, int col, const char *fmt, ...)
{
    char where[512];
    snprintf(where, sizeof where, "%s:%d:%d", file ? file : "<input>", line, col);
    va_list ap;
    va_start(ap, fmt);
    char *msg = vformat(fmt, ap);
    va_end(ap);
    diag_push(d, strdup(where), msg);
}

void diag_print(const hq_diag *d, FILE *out)
{
    int n = d->count < HQ_DIAG_MAX ? d->count : HQ_DIAG_MAX;
    for (int i = 0; i < n; i++)
        fprintf(out, "%s: error: %s\n", d->items[i].where, d->items[i].message ? d->items[i].message : "");
    if (d->count > n) fprintf(out, "... and %d more errors\n", d->count - n);
}
