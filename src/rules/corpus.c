/*
 * The corpus as a data structure: creating and freeing it, and finding a declaration by
 * name. The parser, the checker and the compiler look names up here; loading a whole
 * corpus from files (corpus_load.c) drives them.
 */
#include "rules/corpus.h"

#include <stdlib.h>
#include <string.h>

#define CORPUS_ARENA_LIMIT ((size_t)256 << 20)

hq_corpus *corpus_new(void)
{
    hq_corpus *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->arena = arena_new(CORPUS_ARENA_LIMIT);
    if (!c->arena) {
        free(c);
        return NULL;
    }
    c->fact_district = c->fact_registered = c->enum_district = -1;
    return c;
}

void corpus_free(hq_corpus *c)
{
    if (!c) return;
    arena_free(c->arena);
    free(c);
}

#define FIND(fn, arr, n)                                   \
    int fn(const hq_corpus *c, const char *name)           \
    {                                                      \
        for (int i = 0; i < c->n; i++)                     \
            if (strcmp(c->arr[i]->name, name) == 0) return i; \
        return -1;                                         \
    }
static unsigned name_hash(const char *s)
{
    unsigned h = 2166136261u; /* FNV-1a */
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

void corpus_index_facts(hq_corpus *c)
{
    unsigned size = 16;
    while (size < (unsigned)c->nfacts * 2 + 1) size *= 2;
    int *t = arena_alloc(c->arena, sizeof *t * size);
    if (!t) return;
    for (unsigned i = 0; i < size; i++) t[i] = -1;
    for (int f = 0; f < c->nfacts; f++) {
        unsigned h = name_hash(c->facts[f]->name) & (size - 1);
        while (t[h] >= 0) h = (h + 1) & (size - 1);
        t[h] = f;
    }
    c->fact_hash = t;
    c->fact_hash_mask = size - 1;
}

int corpus_find_fact(const hq_corpus *c, const char *name)
{
    if (c->fact_hash) {
        for (unsigned h = name_hash(name) & c->fact_hash_mask; c->fact_hash[h] >= 0; h = (h + 1) & c->fact_hash_mask)
            if (c->facts[c->fact_hash[h]]->name == name || !strcmp(c->facts[c->fact_hash[h]]->name, name)) return c->fact_hash[h];
        return -1;
    }
    for (int i = 0; i < c->nfacts; i++)
        if (strcmp(c->facts[i]->name, name) == 0) return i;
    return -1;
}

FIND(corpus_find_enum, enums, nenums)
FIND(corpus_find_list, lists, nlists)
FIND(corpus_find_recognition, recognitions, nrecognitions)
FIND(corpus_find_region, regions, nregions)
FIND(corpus_find_param, params, nparams)
#undef FIND

hq_doc *corpus_find_doc(const hq_corpus *c, const char *id)
{
    for (int i = 0; i < c->ndocs; i++)
        if (strcmp(c->docs[i]->id, id) == 0) return c->docs[i];
    return NULL;
}

hq_doc *corpus_find_doc_any(const hq_corpus *c, const char *id_or_number)
{
    hq_doc *d = corpus_find_doc(c, id_or_number);
    for (int i = 0; !d && i < c->ndocs; i++)
        if (c->docs[i]->number && strcmp(c->docs[i]->number, id_or_number) == 0) d = c->docs[i];
    return d;
}

hq_item *corpus_find_item(const hq_corpus *c, const char *id)
{
    for (int i = 0; i < c->nitems; i++)
        if (strcmp(c->items[i]->id, id) == 0) return c->items[i];
    return NULL;
}

#define TYPE_ROW(k, name, decl) [k] = {name, decl},
static const struct {
    const char *name;
    bool declarable;
} TYPES[] = {HQ_TYPES(TYPE_ROW)};
#undef TYPE_ROW

const char *type_name(const hq_corpus *c, hq_type t)
{
    if (t.kind == HT_ENUM) return c->enums[t.enum_id]->name;
    return t.kind < HT__COUNT ? TYPES[t.kind].name : "nothing";
}

hq_tkind type_parse(const char *s)
{
    for (int k = 0; k < HT__COUNT; k++)
        if (TYPES[k].declarable && !strcmp(TYPES[k].name, s)) return (hq_tkind)k;
    return HT_NONE;
}

int enum_value(const hq_enum *e, const char *name)
{
    for (int i = 0; i < e->nvalues; i++)
        if (strcmp(e->values[i], name) == 0) return i;
    return -1;
}
