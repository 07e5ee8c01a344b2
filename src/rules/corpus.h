/*
 * The rule corpus: every declaration and item of the .hq files in one directory, parsed,
 * checked and compiled. This is the unit the rest of huiqi works with: the evaluator runs
 * a corpus, results cite the corpus hash (SHA-256 over the files' names and bytes, in name
 * order) so that an award can be traced to the exact rules it ran on.
 *
 * A corpus is immutable after corpus_load() returns and may be shared by threads.
 * corpus_free() releases it and everything reachable from it.
 */
#ifndef HQ_CORPUS_H
#define HQ_CORPUS_H
#include "base/arena.h"
#include "base/diag.h"
#include "rules/ast.h"

enum {
    HQ_MAX_ENUMS = 256, HQ_MAX_FACTS = 4096, HQ_MAX_LISTS = 512, HQ_MAX_RECOGNITIONS = 1024,
    HQ_MAX_REGIONS = 64, HQ_MAX_DOCS = 64, HQ_MAX_ITEMS = 4096, HQ_MAX_RULES_PER_DOC = 64,
    HQ_MAX_FILES = 256,
};
#define HQ_MAX_FILE_BYTES ((size_t)8 << 20)

typedef struct hq_slots hq_slots;

typedef struct hq_corpus {
    hq_arena *arena;
    hq_enum *enums[HQ_MAX_ENUMS];
    int nenums;
    hq_fact *facts[HQ_MAX_FACTS];
    int nfacts;
    hq_param *params[HQ_MAX_LISTS];
    int nparams;
    hq_list *lists[HQ_MAX_LISTS];
    int nlists;
    hq_recognition *recognitions[HQ_MAX_RECOGNITIONS];
    int nrecognitions;
    hq_region *regions[HQ_MAX_REGIONS];
    int nregions;
    hq_doc *docs[HQ_MAX_DOCS];
    int ndocs;
    hq_rule *pending_rules[HQ_MAX_DOCS * HQ_MAX_RULES_PER_DOC]; /* before docs are resolved */
    const char *pending_rule_doc[HQ_MAX_DOCS * HQ_MAX_RULES_PER_DOC];
    int npending_rules;
    hq_item *items[HQ_MAX_ITEMS];
    int nitems;
    char hash[65];                    /* hex SHA-256 of the corpus files */
    int fact_district, fact_registered;  /* indexes of facts the engine itself needs */
    int enum_district;
    hq_slots *slots;                  /* fact-row layout chosen by the compiler */
    int *fact_hash;                   /* open addressing over fact names (built with the layout) */
    unsigned fact_hash_mask;
} hq_corpus;

/* Parse, check and compile every *.hq file in `dir` (or a single file). Returns NULL and
 * fills `diag` with every error found; never returns a partly checked corpus. */
hq_corpus *corpus_load(const char *dir, hq_diag *diag);
void corpus_free(hq_corpus *c);

/* Internal steps, exposed for the unit tests and the fuzzer. */
hq_corpus *corpus_new(void);
void rparse_file(hq_corpus *c, const char *file, const char *src, size_t len, hq_diag *diag);
void rcheck_corpus(hq_corpus *c, hq_diag *diag);
void rcode_corpus(hq_corpus *c, hq_diag *diag);

int corpus_find_fact(const hq_corpus *c, const char *name);
/* Build the fact-name index corpus_find_fact uses once the facts are final (it searches
 * linearly until then). Entity loading looks up every key of every entity by name. */
void corpus_index_facts(hq_corpus *c);
int corpus_find_enum(const hq_corpus *c, const char *name);
int corpus_find_list(const hq_corpus *c, const char *name);
int corpus_find_recognition(const hq_corpus *c, const char *name);
int corpus_find_region(const hq_corpus *c, const char *name);
int corpus_find_param(const hq_corpus *c, const char *name);
hq_doc *corpus_find_doc(const hq_corpus *c, const char *id);
/* By id (wzf-2020-12) or number (温政发〔2020〕12号). */
hq_doc *corpus_find_doc_any(const hq_corpus *c, const char *id_or_number);
hq_item *corpus_find_item(const hq_corpus *c, const char *id);
/* Enum value index by name (0 for 无), or -1. */
int enum_value(const hq_enum *e, const char *name);
/* A type as rule files and the API write it: an enum type by its enum's name. */
const char *type_name(const hq_corpus *c, hq_type t);
/* The declarable base type written `s` (bool, count, money, rate, date), or HT_NONE. */
hq_tkind type_parse(const char *s);

#endif
