/*
 * CLI helpers; see cli.h.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fixed.h"
#include "ledger/ledger.h"

const char *cli_policies_dir(const char *opt)
{
    if (opt) return opt;
    const char *env = getenv("HUIQI_POLICIES");
    return env && *env ? env : "policies";
}

hq_corpus *cli_load_corpus(const char *dir)
{
    hq_diag d;
    diag_init(&d);
    hq_corpus *c = corpus_load(dir, &d);
    if (!c) {
        diag_print(&d, stderr);
        fprintf(stderr, "规则库加载失败：%d 处错误\n", d.count);
    }
    diag_free(&d);
    return c;
}

json_t *cli_read_json(const char *path)
{
    hq_strbuf sb;
    sb_init(&sb, HQ_MAX_JSON_BYTES);
    if (sb_read_file(&sb, path) != 0) {
        fprintf(stderr, "%s: error: 无法读取（%s）\n", path, sb.overflow ? "超过 16 MiB" : "文件不存在或不可读");
        sb_free(&sb);
        return NULL;
    }
    json_error_t err;
    json_t *j = json_loadb(sb.data, sb.len, JSON_REJECT_DUPLICATES, &err);
    if (!j) fprintf(stderr, "%s:%d:%d: error: %s\n", path, err.line, err.column, err.text);
    sb_free(&sb);
    return j;
}

bool cli_is_help(const char *arg)
{
    return !strcmp(arg, "--help") || !strcmp(arg, "-h");
}

static int char_width(unsigned cp)
{
    if (cp < 0x1100) return 1;
    if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
        (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
        (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD))
        return 2;
    return 1;
}

/* Decode one UTF-8 character; returns its byte length (1 for invalid bytes). */
static int utf8_next(const unsigned char *s, unsigned *cp)
{
    if (s[0] < 0x80) { *cp = s[0]; return 1; }
    if ((s[0] & 0xE0) == 0xC0 && s[1]) { *cp = (unsigned)(s[0] & 0x1F) << 6 | (s[1] & 0x3F); return 2; }
    if ((s[0] & 0xF0) == 0xE0 && s[1] && s[2]) {
        *cp = (unsigned)(s[0] & 0x0F) << 12 | (unsigned)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
        return 3;
    }
    if ((s[0] & 0xF8) == 0xF0 && s[1] && s[2] && s[3]) {
        *cp = (unsigned)(s[0] & 0x07) << 18 | (unsigned)(s[1] & 0x3F) << 12 | (unsigned)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
        return 4;
    }
    *cp = '?';
    return 1;
}

int cli_width(const char *s)
{
    int w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        unsigned cp;
        p += utf8_next(p, &cp);
        w += char_width(cp);
    }
    return w;
}

void cli_cell(hq_strbuf *sb, const char *s, int width)
{
    width--; /* the last column is the gap to the next cell */
    int w = 0;
    const unsigned char *p = (const unsigned char *)s;
    bool cut = cli_width(s) > width;
    while (*p) {
        unsigned cp;
        int n = utf8_next(p, &cp);
        int cw = char_width(cp);
        if (w + cw > width - (cut ? 1 : 0)) break;
        sb_append(sb, (const char *)p, (size_t)n);
        w += cw;
        p += n;
    }
    if (cut) {
        sb_puts(sb, "…");
        w++;
    }
    for (; w < width; w++) sb_puts(sb, " ");
    sb_puts(sb, " ");
}

void cli_cell_right(hq_strbuf *sb, const char *s, int width)
{
    for (int w = cli_width(s); w < width; w++) sb_puts(sb, " ");
    sb_puts(sb, s);
}

int cli_parse(int argc, char **argv, const cli_opt *opts, int nopts, const char **pos, int maxpos, int *npos,
              const char *usage)
{
    *npos = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) {
            printf("%s", usage);
            return EXIT_OK;
        }
        int k;
        for (k = 0; k < nopts; k++)
            if (!strcmp(a, opts[k].name)) break;
        if (k < nopts && opts[k].flag) {
            *opts[k].flag = true;
        } else if (k < nopts) {
            if (i + 1 >= argc) {
                fprintf(stderr, "huiqi: %s needs a value\n%s", a, usage);
                return EXIT_USAGE;
            }
            *opts[k].val = argv[++i];
        } else if (a[0] == '-' && a[1] == '-') {
            fprintf(stderr, "huiqi: 未知选项「%s」\n%s", a, usage);
            return EXIT_USAGE;
        } else if (*npos < maxpos) {
            pos[(*npos)++] = a;
        } else {
            fprintf(stderr, "huiqi: 多余的参数「%s」\n%s", a, usage);
            return EXIT_USAGE;
        }
    }
    return -1;
}

const char *cli_db(const char *opt)
{
    if (opt && *opt) return opt;
    const char *env = getenv("HUIQI_DB");
    if (env && *env) return env;
    fprintf(stderr, "huiqi: 未指定台账：请给出 --db 文件（或 postgresql://…），或设置 HUIQI_DB\n");
    return NULL;
}

const char *cli_actor(const char *opt)
{
    if (opt && *opt) return opt;
    const char *env = getenv("HUIQI_ACTOR");
    if (env && *env) return env;
    env = getenv("USER");
    return env && *env ? env : "cli";
}

struct hq_store *cli_open_store(const char *db, bool create)
{
    hq_diag d;
    diag_init(&d);
    hq_store *s = ledger_open(db, create, NULL, NULL, &d);
    if (!s) diag_print(&d, stderr);
    diag_free(&d);
    return s;
}

struct hq_store *cli_open_store_read_only(const char *db)
{
    hq_diag d;
    diag_init(&d);
    hq_store *s = store_open_read_only(db, &d);
    if (!s) diag_print(&d, stderr);
    diag_free(&d);
    return s;
}

bool cli_int(const char *opt, const char *s, long long lo, long long hi, long long *out)
{
    char *end;
    long long v = s ? strtoll(s, &end, 10) : 0;
    if (!s || !*s || *end || v < lo || v > hi) {
        fprintf(stderr, "huiqi: %s：须为%lld到%lld之间的整数\n", opt, lo, hi);
        return false;
    }
    *out = v;
    return true;
}

bool cli_money(const char *opt, const char *s, int64_t *fen)
{
    size_t n = s ? strlen(s) : 0;
    hq_fixed scale = HQ_FIXED_ONE, v;
    if (n > 3 && !strcmp(s + n - 3, "万")) {
        scale *= 10000;
        n -= 3;
    } else if (n > 3 && !strcmp(s + n - 3, "亿")) {
        scale *= 100000000;
        n -= 3;
    } else if (n > 3 && !strcmp(s + n - 3, "元")) {
        n -= 3;
    }
    const char *err = s ? fixed_parse(s, n, 2, &v) : "missing";
    if (!err && !fixed_mul(v, scale, &v)) err = "too large";
    if (!err && v < 0) err = "must not be negative";
    if (err) {
        fprintf(stderr, "huiqi: %s: %s (expected an amount in 元 such as 1234.56 or 500万)\n", opt, err);
        return false;
    }
    *fen = fixed_to_fen(v);
    return true;
}
