/*
 * Lexer for plan files (.hqp). See plex.h for what it recognises and why it is not the rule
 * lexer.
 */
#include "plan/plex.h"

#include <string.h>

void plex_init(plex_state *ls, const char *file, const char *src, size_t len, hq_diag *diag)
{
    ls->file = file;
    ls->p = src;
    ls->end = src + len;
    ls->line = 1;
    ls->col = 1;
    ls->diag = diag;
}

/* Columns count code points, so a continuation byte does not move the column. */
static void advance(plex_state *ls)
{
    unsigned char c = (unsigned char)*ls->p++;
    if (c == '\n') {
        ls->line++;
        ls->col = 1;
    } else if ((c & 0xC0) != 0x80) {
        ls->col++;
    }
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Words are ASCII letters, '_' and any non-ASCII character to start, then also digits and
 * '-' (ids such as stats-2020-07). Non-ASCII takes in the CJK words 力争, 省下目标, 预期性. */
static bool word_start(char c)
{
    unsigned char u = (unsigned char)c;
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u == '_' || u >= 0x80;
}

/* ':' and '.' continue a word so that a link's indicator reference (shisiwu:11.1) is one
 * token; neither could follow a word before, so no file that lexed changes. */
static bool word_char(char c) { return word_start(c) || is_digit(c) || c == '-' || c == ':' || c == '.'; }

static plex_token make(plex_kind k, const char *s, size_t n, int line, int col)
{
    plex_token t = {k, s, n, line, col};
    return t;
}

plex_token plex_next(plex_state *ls)
{
    for (;;) {
        while (ls->p < ls->end && (*ls->p == ' ' || *ls->p == '\t' || *ls->p == '\r' || *ls->p == '\n'))
            advance(ls);
        if (ls->p < ls->end && *ls->p == '#') {
            while (ls->p < ls->end && *ls->p != '\n') advance(ls);
            continue;
        }
        break;
    }
    int line = ls->line, col = ls->col;
    const char *s = ls->p;
    if (ls->p >= ls->end) return make(PT_EOF, s, 0, line, col);
    char c = *ls->p;
    switch (c) {
    case '{': advance(ls); return make(PT_LBRACE, s, 1, line, col);
    case '}': advance(ls); return make(PT_RBRACE, s, 1, line, col);
    case '[': advance(ls); return make(PT_LBRACKET, s, 1, line, col);
    case ']': advance(ls); return make(PT_RBRACKET, s, 1, line, col);
    default: break;
    }
    if (c == '"') {
        advance(ls);
        const char *body = ls->p;
        while (ls->p < ls->end && *ls->p != '"') {
            if (*ls->p == '\n') {
                diag_at(ls->diag, ls->file, line, col, "字符串未结束（行尾缺少\"）");
                return make(PT_ERROR, s, (size_t)(ls->p - s), line, col);
            }
            if (*ls->p == '\\' && ls->p + 1 < ls->end && (ls->p[1] == '"' || ls->p[1] == '\\')) advance(ls);
            advance(ls);
        }
        if (ls->p >= ls->end) {
            diag_at(ls->diag, ls->file, line, col, "字符串未结束（文件结尾缺少\"）");
            return make(PT_ERROR, s, (size_t)(ls->p - s), line, col);
        }
        size_t n = (size_t)(ls->p - body);
        advance(ls);
        return make(PT_STRING, body, n, line, col);
    }
    /* A '-' is a negative number only when a digit follows at once; alone it is "no value". */
    if (c == '-' && !(ls->p + 1 < ls->end && is_digit(ls->p[1]))) {
        advance(ls);
        return make(PT_DASH, s, 1, line, col);
    }
    if (c == '-' || is_digit(c)) {
        advance(ls);
        while (ls->p < ls->end && is_digit(*ls->p)) advance(ls);
        /* 2020-07: a year and month, only right after four digits. */
        if (c != '-' && ls->p - s == 4 && ls->p + 2 < ls->end && ls->p[0] == '-' && is_digit(ls->p[1]) &&
            is_digit(ls->p[2]) && !(ls->p + 3 < ls->end && is_digit(ls->p[3]))) {
            advance(ls);
            advance(ls);
            advance(ls);
            return make(PT_MONTH, s, 7, line, col);
        }
        /* 13-12-61: a policy item id, digits joined by '-', read as a word (the month form
         * above has four digits then two, and is taken first). Before this a digit run
         * followed by '-' and a digit lexed as a number then a negative number, which no
         * plan file writes: a base or target always leaves a space before a lone '-'. */
        if (c != '-' && ls->p + 1 < ls->end && ls->p[0] == '-' && is_digit(ls->p[1])) {
            while (ls->p < ls->end && (is_digit(*ls->p) || *ls->p == '-')) advance(ls);
            return make(PT_WORD, s, (size_t)(ls->p - s), line, col);
        }
        if (ls->p < ls->end && *ls->p == '.') {
            advance(ls);
            while (ls->p < ls->end && is_digit(*ls->p)) advance(ls);
        }
        size_t n = (size_t)(ls->p - s);
        if (ls->p < ls->end && *ls->p == '%') {
            advance(ls);
            return make(PT_PERCENT, s, n, line, col);
        }
        if (ls->p < ls->end && word_char(*ls->p) && *ls->p != '-') {
            while (ls->p < ls->end && word_char(*ls->p)) advance(ls);
            diag_at(ls->diag, ls->file, line, col, "数字“%.*s”后有多余字符（数与单位之间请留空格，单位写在 unit 中）",
                    (int)(ls->p - s), s);
            return make(PT_ERROR, s, (size_t)(ls->p - s), line, col);
        }
        return make(PT_NUMBER, s, n, line, col);
    }
    if (word_start(c)) {
        while (ls->p < ls->end && word_char(*ls->p)) advance(ls);
        return make(PT_WORD, s, (size_t)(ls->p - s), line, col);
    }
    advance(ls);
    diag_at(ls->diag, ls->file, line, col, "无法识别的字符“%c”", c);
    return make(PT_ERROR, s, 1, line, col);
}

bool plex_is(const plex_token *t, const char *s)
{
    size_t n = strlen(s);
    return (t->kind == PT_WORD || t->kind == PT_STRING) && t->len == n && memcmp(t->start, s, n) == 0;
}

const char *plex_kind_name(plex_kind k)
{
    switch (k) {
    case PT_EOF: return "文件结尾";
    case PT_WORD: return "词";
    case PT_STRING: return "字符串";
    case PT_NUMBER: return "数字";
    case PT_PERCENT: return "百分数";
    case PT_MONTH: return "年月";
    case PT_LBRACE: return "“{”";
    case PT_RBRACE: return "“}”";
    case PT_LBRACKET: return "“[”";
    case PT_RBRACKET: return "“]”";
    case PT_DASH: return "“-”";
    case PT_ERROR: return "错误";
    }
    return "?";
}
