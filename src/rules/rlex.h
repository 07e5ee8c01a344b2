/*
 * Lexer for the .hq rule language (docs/language.md). It turns one file's text into tokens
 * on demand; the parser pulls them one at a time. Positions are 1-based lines and columns
 * counted in characters (UTF-8 code points), as a policy officer's editor shows them.
 *
 * Numbers carry their unit: the lexer knows the unit table (元/万元/亿元, %, ‰, 人次, 张 …)
 * and converts the literal to an exact hq_fixed, so "100万元" reaches the parser as money
 * 1,000,000. Full-width ，：（） are accepted as their ASCII twins because the policy text
 * they are copied from uses them.
 *
 * The lexer borrows the source text; token text points into it.
 */
#ifndef HQ_RLEX_H
#define HQ_RLEX_H
#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"
#include "base/fixed.h"

typedef enum {
    TK_EOF, TK_IDENT, TK_STRING, TK_NUMBER, TK_DATE,
    TK_LBRACE, TK_RBRACE, TK_LPAREN, TK_RPAREN, TK_COMMA, TK_COLON, TK_DOTDOT,
    TK_PLUS, TK_MINUS, TK_STAR, TK_SLASH, TK_LT, TK_LE, TK_GT, TK_GE, TK_EQ, TK_NE,
    TK_ERROR
} rlex_kind;

typedef enum { NUM_COUNT, NUM_MONEY, NUM_RATE } rlex_numtype;

typedef struct {
    rlex_kind kind;
    const char *start;   /* the token's text in the source */
    size_t len;
    int line, col;
    hq_fixed num;        /* TK_NUMBER: exact value; TK_DATE: days since 1970-01-01 */
    rlex_numtype numtype;
    const char *unit;    /* TK_NUMBER: canonical unit ("元", "人次", "%"), static */
} rlex_token;

typedef struct {
    const char *file;
    const char *src, *p, *end;
    int line, col;
    hq_diag *diag;
} rlex_state;

void rlex_init(rlex_state *ls, const char *file, const char *src, size_t len, hq_diag *diag);
/* The next token. Errors are reported to ls->diag and returned as TK_ERROR. */
rlex_token rlex_next(rlex_state *ls);
/* The next token read as an identifier that may contain '-' and start with a digit
 * (item and document ids such as 12-7-12 or wzf-2020-12). */
rlex_token rlex_next_id(rlex_state *ls);
const char *rlex_kind_name(rlex_kind k);

#endif
