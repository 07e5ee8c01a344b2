/*
 * .hq lexer; see rlex.h. The unit table below is the one place that decides what "万元" or
 * "人次" means.
 */
#include "base/calendar.h"
#include "rules/rlex.h"

#include <string.h>

typedef struct {
    const char *text;    /* as written, after an optional 万/亿 multiplier */
    rlex_numtype type;
    const char *canon;
} unit_def;

/* Longest first where one unit is a prefix of another (人次 before 人). */
static const unit_def UNITS[] = {
    {"元/人次", NUM_MONEY, "元/人次"}, {"元/平方米", NUM_MONEY, "元/平方米"}, {"元/人", NUM_MONEY, "元/人"},
    {"元/张", NUM_MONEY, "元/张"}, {"元/个", NUM_MONEY, "元/个"}, {"元/件", NUM_MONEY, "元/件"},
    {"元/集", NUM_MONEY, "元/集"}, {"元/年", NUM_MONEY, "元/年"}, {"元/亩", NUM_MONEY, "元/亩"},
    {"元/床", NUM_MONEY, "元/床"}, {"元/家", NUM_MONEY, "元/家"}, {"元/部", NUM_MONEY, "元/部"},
    {"元/项", NUM_MONEY, "元/项"}, {"元/名", NUM_MONEY, "元/名"}, {"元/次", NUM_MONEY, "元/次"},
    {"元/美元", NUM_MONEY, "元/美元"}, {"元/公斤", NUM_MONEY, "元/公斤"}, {"元/大柜", NUM_MONEY, "元/大柜"},
    {"元/小柜", NUM_MONEY, "元/小柜"}, {"元/头", NUM_MONEY, "元/头"},
    {"元", NUM_MONEY, "元"},
    {"美元", NUM_COUNT, "美元"}, {"公斤", NUM_COUNT, "公斤"}, {"大柜", NUM_COUNT, "大柜"}, {"小柜", NUM_COUNT, "小柜"},
    {"头", NUM_COUNT, "头"},
    {"人次", NUM_COUNT, "人次"}, {"平方米", NUM_COUNT, "平方米"}, {"分钟", NUM_COUNT, "分钟"},
    {"人", NUM_COUNT, "人"}, {"张", NUM_COUNT, "张"}, {"个", NUM_COUNT, "个"}, {"件", NUM_COUNT, "件"},
    {"家", NUM_COUNT, "家"}, {"项", NUM_COUNT, "项"}, {"部", NUM_COUNT, "部"}, {"集", NUM_COUNT, "集"},
    {"场", NUM_COUNT, "场"}, {"天", NUM_COUNT, "天"}, {"年", NUM_COUNT, "年"}, {"月", NUM_COUNT, "月"},
    {"次", NUM_COUNT, "次"}, {"亩", NUM_COUNT, "亩"}, {"名", NUM_COUNT, "名"}, {"辆", NUM_COUNT, "辆"},
    {"台", NUM_COUNT, "台"}, {"套", NUM_COUNT, "套"}, {"间", NUM_COUNT, "间"}, {"床", NUM_COUNT, "床"},
    {"倍", NUM_COUNT, "倍"},
};

const char *rlex_kind_name(rlex_kind k)
{
    static const char *names[] = {
        "end of file", "identifier", "string", "number", "date", "'{'", "'}'", "'('", "')'", "','", "':'",
        "'..'", "'+'", "'-'", "'*'", "'/'", "'<'", "'<='", "'>'", "'>='", "'=='", "'!='", "error",
    };
    return names[k];
}

void rlex_init(rlex_state *ls, const char *file, const char *src, size_t len, hq_diag *diag)
{
    ls->file = file;
    ls->src = ls->p = src;
    ls->end = src + len;
    ls->line = ls->col = 1;
    ls->diag = diag;
    /* A UTF-8 byte-order mark is not part of the text. */
    if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) ls->p += 3;
}

/* Advance one byte, keeping line/column in characters. */
static void step(rlex_state *ls)
{
    unsigned char c = (unsigned char)*ls->p++;
    if (c == '\n') {
        ls->line++;
        ls->col = 1;
    } else if ((c & 0xC0) != 0x80) {
        ls->col++;
    }
    /* Continuation bytes were counted with their lead byte. */
}

static bool at(const rlex_state *ls, const char *s)
{
    size_t n = strlen(s);
    return (size_t)(ls->end - ls->p) >= n && memcmp(ls->p, s, n) == 0;
}

static void skip(rlex_state *ls, size_t n)
{
    while (n-- && ls->p < ls->end) step(ls);
}

/* Full-width punctuation that means the same as its ASCII twin. */
static int fullwidth_punct(const rlex_state *ls, rlex_kind *k)
{
    static const struct { const char *s; rlex_kind k; } FW[] = {
        {"，", TK_COMMA}, {"：", TK_COLON}, {"（", TK_LPAREN}, {"）", TK_RPAREN},
    };
    for (size_t i = 0; i < sizeof FW / sizeof FW[0]; i++)
        if (at(ls, FW[i].s)) {
            *k = FW[i].k;
            return (int)strlen(FW[i].s);
        }
    return 0;
}

static bool is_ident_byte(const rlex_state *ls, bool allow_dash)
{
    if (ls->p >= ls->end) return false;
    unsigned char c = (unsigned char)*ls->p;
    rlex_kind k;
    if (c >= 0x80)
        return fullwidth_punct(ls, &k) == 0 && !at(ls, "‰") && !at(ls, "、") && !at(ls, "。") && !at(ls, "×") &&
               !at(ls, "≥") && !at(ls, "≤") && !at(ls, "\xE3\x80\x80");
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           (allow_dash && c == '-');
}

static void skip_space(rlex_state *ls)
{
    while (ls->p < ls->end) {
        char c = *ls->p;
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            step(ls);
        } else if (c == '#') {
            while (ls->p < ls->end && *ls->p != '\n') step(ls);
        } else if (at(ls, "\xE3\x80\x80")) { /* ideographic space */
            skip(ls, 3);
        } else {
            break;
        }
    }
}

static rlex_token make(const rlex_state *ls, rlex_kind k, const char *start, int line, int col)
{
    rlex_token t = {.kind = k, .start = start, .len = (size_t)(ls->p - start), .line = line, .col = col};
    return t;
}

static rlex_token error_token(rlex_state *ls, const char *start, int line, int col, const char *msg)
{
    diag_at(ls->diag, ls->file, line, col, "%s", msg);
    return make(ls, TK_ERROR, start, line, col);
}

static int digits_at(const char *p, const char *end, int n)
{
    for (int i = 0; i < n; i++)
        if (p + i >= end || p[i] < '0' || p[i] > '9') return 0;
    return 1;
}

static rlex_token lex_date(rlex_state *ls, const char *start, int line, int col)
{
    int y = (start[0] - '0') * 1000 + (start[1] - '0') * 100 + (start[2] - '0') * 10 + (start[3] - '0');
    int m = (start[5] - '0') * 10 + (start[6] - '0');
    int d = (start[8] - '0') * 10 + (start[9] - '0');
    skip(ls, 10);
    if (!cal_valid_date(y, m, d)) return error_token(ls, start, line, col, "invalid calendar date");
    rlex_token t = make(ls, TK_DATE, start, line, col);
    t.num = cal_days_from_civil(y, m, d);
    return t;
}

static rlex_token lex_number(rlex_state *ls)
{
    const char *start = ls->p;
    int line = ls->line, col = ls->col;
    if (digits_at(ls->p, ls->end, 4) && ls->p + 10 <= ls->end && ls->p[4] == '-' &&
        digits_at(ls->p + 5, ls->end, 2) && ls->p[7] == '-' && digits_at(ls->p + 8, ls->end, 2))
        return lex_date(ls, start, line, col);
    while (ls->p < ls->end && *ls->p >= '0' && *ls->p <= '9') step(ls);
    if (ls->p + 1 < ls->end && *ls->p == '.' && ls->p[1] >= '0' && ls->p[1] <= '9') {
        step(ls);
        while (ls->p < ls->end && *ls->p >= '0' && *ls->p <= '9') step(ls);
    }
    hq_fixed v;
    const char *err = fixed_parse(start, (size_t)(ls->p - start), 6, &v);
    if (err) return error_token(ls, start, line, col, err);

    rlex_token t = make(ls, TK_NUMBER, start, line, col);
    t.numtype = NUM_COUNT;
    t.unit = "";
    hq_fixed scale = 1;
    if (at(ls, "%")) {
        skip(ls, 1);
        t.numtype = NUM_RATE;
        t.unit = "%";
        scale = -100;
    } else if (at(ls, "‰")) {
        skip(ls, strlen("‰"));
        t.numtype = NUM_RATE;
        t.unit = "‰";
        scale = -1000;
    } else {
        const char *save = ls->p;
        int sl = ls->line, sc = ls->col;
        if (at(ls, "万")) {
            skip(ls, strlen("万"));
            scale = 10000;
        } else if (at(ls, "亿")) {
            skip(ls, strlen("亿"));
            scale = 100000000;
        }
        const unit_def *u = NULL;
        for (size_t i = 0; i < sizeof UNITS / sizeof UNITS[0]; i++)
            if (at(ls, UNITS[i].text)) {
                u = &UNITS[i];
                break;
            }
        if (u) {
            skip(ls, strlen(u->text));
            t.numtype = u->type;
            t.unit = u->canon;
        } else if (scale != 1) {
            /* "100万" alone: a count in units of 10^4 (万人次 etc. are handled above). */
            t.unit = "";
        } else {
            ls->p = save;
            ls->line = sl;
            ls->col = sc;
        }
    }
    if (scale < 0) {
        /* Rates: 20% = 0.2; must be a multiple of 0.01% so money × rate stays exact. */
        hq_fixed r = v / -scale;
        if (v % -scale != 0 || r % 100 != 0)
            return error_token(ls, start, line, col, "a rate must be a multiple of 0.01% (so that money × rate is exact)");
        v = r;
    } else if (scale > 1) {
        hq_fixed r;
        if (__builtin_mul_overflow(v, scale, &r)) return error_token(ls, start, line, col, "number too large");
        v = r;
    }
    t.len = (size_t)(ls->p - start);
    t.num = v;
    return t;
}

static rlex_token lex_string(rlex_state *ls)
{
    const char *start = ls->p;
    int line = ls->line, col = ls->col;
    step(ls);
    while (ls->p < ls->end && *ls->p != '"') {
        if (*ls->p == '\n') return error_token(ls, start, line, col, "unterminated string (strings end on their line; join long quotations with adjacent strings)");
        if (*ls->p == '\\') {
            step(ls);
            if (ls->p >= ls->end || (*ls->p != '"' && *ls->p != '\\'))
                return error_token(ls, start, line, col, "unknown escape in string (only \\\" and \\\\)");
        }
        step(ls);
    }
    if (ls->p >= ls->end) return error_token(ls, start, line, col, "unterminated string");
    step(ls);
    return make(ls, TK_STRING, start, line, col);
}

static rlex_token lex_ident(rlex_state *ls, bool allow_dash)
{
    const char *start = ls->p;
    int line = ls->line, col = ls->col;
    while (is_ident_byte(ls, allow_dash)) step(ls);
    return make(ls, TK_IDENT, start, line, col);
}

static rlex_token lex_any(rlex_state *ls, bool id_mode)
{
    skip_space(ls);
    const char *start = ls->p;
    int line = ls->line, col = ls->col;
    if (ls->p >= ls->end) return make(ls, TK_EOF, start, line, col);
    if (id_mode && is_ident_byte(ls, true)) return lex_ident(ls, true);
    char c = *ls->p;
    if (c >= '0' && c <= '9') return lex_number(ls);
    if (c == '"') return lex_string(ls);
    rlex_kind k;
    int fw = fullwidth_punct(ls, &k);
    if (fw) {
        skip(ls, (size_t)fw);
        return make(ls, k, start, line, col);
    }
    if (is_ident_byte(ls, false)) return lex_ident(ls, false);
    static const struct { const char *s; rlex_kind k; } OPS[] = {
        {"..", TK_DOTDOT}, {"<=", TK_LE}, {">=", TK_GE}, {"==", TK_EQ}, {"!=", TK_NE}, {"{", TK_LBRACE},
        {"}", TK_RBRACE}, {"(", TK_LPAREN}, {")", TK_RPAREN}, {",", TK_COMMA}, {":", TK_COLON},
        {"+", TK_PLUS}, {"-", TK_MINUS}, {"*", TK_STAR}, {"×", TK_STAR}, {"/", TK_SLASH}, {"<", TK_LT},
        {">", TK_GT}, {"≥", TK_GE}, {"≤", TK_LE},
    };
    for (size_t i = 0; i < sizeof OPS / sizeof OPS[0]; i++)
        if (at(ls, OPS[i].s)) {
            skip(ls, strlen(OPS[i].s));
            return make(ls, OPS[i].k, start, line, col);
        }
    /* Skip the whole offending character so the next token starts cleanly. */
    step(ls);
    while (ls->p < ls->end && ((unsigned char)*ls->p & 0xC0) == 0x80) step(ls);
    return error_token(ls, start, line, col, "unexpected character");
}

rlex_token rlex_next(rlex_state *ls)
{
    return lex_any(ls, false);
}

rlex_token rlex_next_id(rlex_state *ls)
{
    return lex_any(ls, true);
}
