/*
 * Helpers shared by the cmocka unit tests: build a corpus from in-memory rule text (with
 * a small prelude of declarations) and evaluate JSON entities against it.
 */
#ifndef HQ_TEST_HELPERS_H
#define HQ_TEST_HELPERS_H
#include <jansson.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "eval/rvm.h"
#include "facts/entity.h"
#include "rules/corpus.h"

static const char PRELUDE[] =
    "enum level { 区 < 市 < 省 < 国家 }\n"
    "enum district { 鹿城区, 龙湾区, 乐清市 }\n"
    "enum kind { 甲, 乙 }\n"
    "fact district district \"注册地\"\n"
    "fact registered date \"注册日期\"\n"
    "fact sales money yearly \"销售额\"\n"
    "fact visitors count yearly \"游客\" unit 人次\n"
    "fact ok bool \"合格\"\n"
    "fact flag bool \"标记\"\n"
    "fact share rate \"占比\"\n"
    "fact k kind \"类别\"\n"
    "fact opened date \"运营日期\"\n"
    "fact plan_ok bool yearly \"截至当年末方案已获批\"\n"
    "list 黑名单 \"黑名单\"\n"
    "recognition 中心 \"中心\" levels level\n"
    "recognition 资格 \"资格\"\n"
    "region 市区 \"市区\" { 鹿城区, 龙湾区 }\n"
    "rule d scope { title \"市区\" require in_region(市区) }\n";

/* Items belong to the document block before them in the same file: one line. */
static const char DOC_LINE[] = "document d { number \"测试\" title \"测试文件\" issued 2020-07-14 expires 2022-12-31 }\n";

/* Parse prelude + `text` as two files; check and compile when parsing succeeded. The
 * caller frees the corpus (it may be NULL) and the diagnostics. */
static inline hq_corpus *corpus_from_text(const char *text, hq_diag *d)
{
    hq_corpus *c = corpus_new();
    rparse_file(c, "prelude.hq", PRELUDE, strlen(PRELUDE), d);
    /* Token spans point into the text, so it lives in the corpus arena. */
    char *full = arena_printf(c->arena, "%s%s", DOC_LINE, text);
    rparse_file(c, "test.hq", full, strlen(full), d);
    if (d->count == 0) rcheck_corpus(c, d);
    if (d->count == 0) rcode_corpus(c, d);
    return c;
}

/* True when some diagnostic's "where: message" contains `needle`. */
static inline int diag_has(const hq_diag *d, const char *needle)
{
    char line[1024];
    for (int i = 0; i < d->count && i < HQ_DIAG_MAX; i++) {
        snprintf(line, sizeof line, "%s: %s", d->items[i].where, d->items[i].message);
        if (strstr(line, needle)) return 1;
    }
    return 0;
}

/* Evaluate item `id` for the entity JSON text in `year`. */
static inline hq_outcome eval_text(const hq_corpus *c, const char *id, const char *entity_json, int year)
{
    json_error_t err;
    json_t *j = json_loads(entity_json, 0, &err);
    assert_non_null(j);
    hq_factbatch *fb = factbatch_new(c, year, 1);
    hq_diag d;
    diag_init(&d);
    int rc = entity_load(c, j, fb, 0, &d);
    if (rc != 0) diag_print(&d, stderr);
    assert_int_equal(rc, 0);
    hq_vm *vm = rvm_new(c);
    hq_outcome o = rvm_eval_one(vm, fb, 0, corpus_find_item(c, id));
    rvm_free(vm);
    diag_free(&d);
    factbatch_free(fb);
    json_decref(j);
    return o;
}

#define ENTITY(extra) "{\"credit_code\": \"91330302MA285XT30K\", \"district\": \"鹿城区\"" extra "}"

#endif
