/*
 * `huiqi eval --batch FILE`: many entities without the ledger. FILE holds one entity document
 * per line (JSON Lines, the documents `huiqi eval` takes; "-" reads standard input); each is
 * assessed like `huiqi eval` (every item, 附则3 within the entity) and one row is written per
 * entity × eligible item: credit code, item, title, status, the amount the rule computes, the
 * amount after 附则3 (元, exact from 分) and the decision id. Memory is one line and one
 * assessment at a time, whatever the file's size; a bad line is reported by its number and
 * the run goes on, exiting 3 at the end so that no error passes unseen.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fixed.h"
#include "cli/cli.h"
#include "eval/assess.h"
#include "eval/explain.h"
#include "facts/entity.h"
#include "facts/factbatch.h"

static const char BATCH_USAGE[] =
    "用法: huiqi eval --batch FILE [--format csv|jsonl] [--out FILE] [--year 年度] [--policies DIR]\n"
    "  FILE 每行一份企业数据（JSON，格式同 huiqi eval；- 为标准输入）。每户企业的每个符合条款输出一行：\n"
    "  统一社会信用代码、条款、名称、结论、条款金额、附则3后金额（元）、决策编号。\n"
    "  有错误的行按行号报告并跳过，结束时退出码为 3。\n";

enum { BATCH_LINE_MAX = 1 << 20 };

/* A CSV field: quoted when it holds a comma, quote or line break. */
static void csv_field(FILE *out, const char *s, bool last)
{
    if (strpbrk(s, ",\"\r\n")) {
        fputc('"', out);
        for (; *s; s++) {
            if (*s == '"') fputc('"', out);
            fputc(*s, out);
        }
        fputc('"', out);
    } else {
        fputs(s, out);
    }
    fputc(last ? '\n' : ',', out);
}

static void write_row(FILE *out, bool jsonl, const char *code, const hq_assessment_row *r, const char *id)
{
    char rule[48], final[48];
    fen_format(r->outcome.amount_fen, false, rule, sizeof rule);
    fen_format(r->final_fen, false, final, sizeof final);
    if (jsonl) {
        json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "credit_code", code, "item", r->item->id, "title",
                              r->item->title, "status", status_label_zh((hq_status)r->outcome.status), "amount", rule,
                              "final", final, "decision_id", id);
        char *line = json_dumps(j, JSON_COMPACT);
        fprintf(out, "%s\n", line ? line : "{}");
        free(line);
        json_decref(j);
        return;
    }
    csv_field(out, code, false);
    csv_field(out, r->item->id, false);
    csv_field(out, r->item->title, false);
    csv_field(out, status_label_zh((hq_status)r->outcome.status), false);
    csv_field(out, rule, false);
    csv_field(out, final, false);
    csv_field(out, id, true);
}

/* One line: load, assess, write. false (with the line's problem on stderr) if it is bad. */
static bool batch_line(const hq_corpus *c, hq_vm *vm, const char *src, long lineno, const char *text, size_t len, int year,
                       bool jsonl, FILE *out)
{
    json_error_t err;
    json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
    if (!json_is_object(doc)) {
        fprintf(stderr, "%s:%ld:%d: 不是一份企业数据（JSON 对象）：%s\n", src, lineno, err.column, doc ? "须为对象" : err.text);
        json_decref(doc);
        return false;
    }
    hq_factbatch *fb = factbatch_new(c, year ? year : entity_latest_year(doc, 2021), 1);
    hq_diag d;
    diag_init(&d);
    bool ok = fb && entity_load(c, doc, fb, 0, &d) == 0;
    if (!ok) {
        fprintf(stderr, "%s:%ld: 企业数据有误：%s %s\n", src, lineno, d.count ? d.items[0].where : "", d.count ? d.items[0].message : "内存不足");
    } else {
        hq_assessment a;
        if (assess_entity(c, vm, fb, 0, NULL, &a)) {
            fprintf(stderr, "%s:%ld: 内存不足\n", src, lineno);
            ok = false;
        } else {
            const char *code = json_string_value(json_object_get(doc, "credit_code"));
            for (int i = 0; i < a.nrows; i++) {
                hq_assessment_row *r = &a.rows[i];
                if (r->outcome.status != HQ_ELIGIBLE || !r->awarded) continue;
                write_row(out, jsonl, code ? code : "", r, assessment_decision_id(c, fb, 0, r));
            }
            assessment_free(&a);
        }
    }
    diag_free(&d);
    factbatch_free(fb);
    json_decref(doc);
    return ok;
}

int cmd_eval_batch(int argc, char **argv)
{
    const char *file = NULL, *format = "csv", *outpath = NULL, *year_s = NULL, *policies = NULL, *pos[1];
    int npos;
    cli_opt opts[] = {{"--batch", &file, NULL}, {"--format", &format, NULL}, {"--out", &outpath, NULL},
                      {"--year", &year_s, NULL}, {"--policies", &policies, NULL}};
    int r = cli_parse(argc, argv, opts, 5, pos, 0, &npos, BATCH_USAGE);
    if (r >= 0) return r;
    long long year = 0;
    bool jsonl = !strcmp(format, "jsonl");
    if (!file || (!jsonl && strcmp(format, "csv")) || (year_s && !cli_int("--year", year_s, 2000, 2100, &year))) {
        fputs(BATCH_USAGE, stderr);
        return EXIT_USAGE;
    }
    FILE *in = strcmp(file, "-") ? fopen(file, "rb") : stdin;
    if (!in) {
        fprintf(stderr, "huiqi: 无法打开 %s\n", file);
        return EXIT_USAGE;
    }
    FILE *out = outpath ? fopen(outpath, "w") : stdout;
    hq_corpus *c = out ? cli_load_corpus(cli_policies_dir(policies)) : NULL;
    hq_vm *vm = c ? rvm_new(c) : NULL;
    char *line = malloc(BATCH_LINE_MAX + 2);
    int rc = EXIT_OK;
    if (!out || !c || !vm || !line) {
        if (!out) fprintf(stderr, "huiqi: 无法写入 %s\n", outpath);
        rc = out && c ? EXIT_INTERNAL : EXIT_USAGE;
    } else {
        if (!jsonl) fputs("统一社会信用代码,条款,名称,结论,条款金额(元),附则3后金额(元),决策编号\n", out);
        long lineno = 0, bad = 0;
        while (fgets(line, BATCH_LINE_MAX + 2, in)) {
            lineno++;
            size_t len = strlen(line);
            if (len > BATCH_LINE_MAX) {
                fprintf(stderr, "%s:%ld: 行超过 %d 字节的上限\n", file, lineno, BATCH_LINE_MAX);
                bad++;
                int ch;
                while ((ch = fgetc(in)) != EOF && ch != '\n') {}
                continue;
            }
            while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
            if (!len) continue;
            if (!batch_line(c, vm, file, lineno, line, len, (int)year, jsonl, out)) bad++;
        }
        if (bad) {
            fprintf(stderr, "huiqi: %ld 行有错误，已跳过\n", bad);
            rc = EXIT_DATA;
        }
    }
    free(line);
    if (vm) rvm_free(vm);
    corpus_free(c);
    if (out && out != stdout) fclose(out);
    if (in != stdin) fclose(in);
    return rc;
}
