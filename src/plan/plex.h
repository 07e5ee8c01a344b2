/*
 * Lexer for plan files (.hqp, see plan.h for the format). The rule lexer (rules/rlex.h)
 * does not fit: it turns "6871" with a unit into money in 元 and reads "11.1" as a rate-less
 * count, while a plan table's numbers are plain decimals in the indicator's own unit, its
 * indicator numbers are labels ("11.1" is not "11.10"), and its target qualifiers
 * (力争, 左右, 以上, 以下, 省下目标) are words of their own. So this lexer is smaller: words,
 * strings, plain numbers (optionally with a '%' suffix), year-months (2020-07), braces,
 * brackets and a lone '-' meaning "no value".
 *
 * Positions are 1-based lines and columns counted in characters (UTF-8 code points), as an
 * editor shows them. The lexer borrows the source; token text points into it.
 */
#ifndef HQ_PLEX_H
#define HQ_PLEX_H
#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"

typedef enum {
    PT_EOF, PT_WORD, PT_STRING, PT_NUMBER, PT_PERCENT, PT_MONTH,
    PT_LBRACE, PT_RBRACE, PT_LBRACKET, PT_RBRACKET, PT_DASH, PT_ERROR
} plex_kind;

typedef struct {
    plex_kind kind;
    const char *start;   /* the token's text; for PT_STRING without the quotes, escapes kept */
    size_t len;          /* PT_PERCENT: the number's length, without the '%' */
    int line, col;
} plex_token;

typedef struct {
    const char *file;
    const char *p, *end;
    int line, col;
    hq_diag *diag;
} plex_state;

void plex_init(plex_state *ls, const char *file, const char *src, size_t len, hq_diag *diag);
/* The next token. Errors are reported to ls->diag and returned as PT_ERROR. */
plex_token plex_next(plex_state *ls);
/* Does the token's text equal the NUL-terminated `s`? */
bool plex_is(const plex_token *t, const char *s);
const char *plex_kind_name(plex_kind k);

#endif
