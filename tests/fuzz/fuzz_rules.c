/*
 * Fuzz entry point for the rule language: the input is one .hq file, parsed, checked and
 * compiled against a fixed prelude of declarations. Any input must end in diagnostics or
 * a compiled corpus — never a crash, a leak or undefined behaviour. Built with libFuzzer
 * by `make fuzz`, and replayed over tests/fuzz/corpus/rules by `make fuzz-replay`.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rules/corpus.h"

static const char PRELUDE[] =
    "enum level { 区 < 市 < 省 < 国家 }\n"
    "enum district { 鹿城区, 龙湾区, 乐清市 }\n"
    "fact district district \"注册地\"\n"
    "fact registered date \"注册日期\"\n"
    "fact local_contribution money yearly \"地方综合贡献度\"\n"
    "fact visitors count yearly \"游客\" unit 人次\n"
    "fact ok bool \"合格\"\n"
    "fact share rate \"占比\"\n"
    "list 黑名单 \"黑名单\"\n"
    "recognition 中心 \"中心\" levels level\n"
    "region 市区 \"市区\" { 鹿城区, 龙湾区 }\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > HQ_MAX_FILE_BYTES) return 0;
    hq_corpus *c = corpus_new();
    if (!c) return 0;
    /* Token spans point into the text, so it lives in the corpus arena like a real file. */
    char *text = arena_strndup(c->arena, (const char *)data, size);
    hq_diag d;
    diag_init(&d);
    rparse_file(c, "prelude.hq", PRELUDE, strlen(PRELUDE), &d);
    if (text) rparse_file(c, "fuzz.hq", text, size, &d);
    if (d.count == 0) rcheck_corpus(c, &d);
    if (d.count == 0) rcode_corpus(c, &d);
    diag_free(&d);
    corpus_free(c);
    return 0;
}
