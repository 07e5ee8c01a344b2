/*
 * Arena allocator: a singly linked list of chunks, each at least 64 KiB, carved from the
 * front. See arena.h for the ownership contract.
 */
#include "base/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ARENA_CHUNK = 64 * 1024, ARENA_ALIGN = 16 };

typedef struct chunk {
    struct chunk *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
} chunk;

struct hq_arena {
    chunk *head;
    size_t limit, total;
};

hq_arena *arena_new(size_t limit)
{
    hq_arena *a = calloc(1, sizeof *a);
    if (a) a->limit = limit;
    return a;
}

void arena_free(hq_arena *a)
{
    if (!a) return;
    for (chunk *c = a->head, *n; c; c = n) {
        n = c->next;
        free(c);
    }
    free(a);
}

void *arena_alloc(hq_arena *a, size_t n)
{
    n = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (n == 0) n = ARENA_ALIGN;
    chunk *c = a->head;
    if (!c || c->size - c->used < n) {
        size_t sz = n > ARENA_CHUNK ? n : ARENA_CHUNK;
        if (a->total + sz > a->limit) return NULL;
        c = malloc(sizeof *c + sz);
        if (!c) return NULL;
        c->size = sz;
        c->used = 0;
        c->next = a->head;
        a->head = c;
        a->total += sz;
    }
    void *p = c->data + c->used;
    c->used += n;
    memset(p, 0, n);
    return p;
}

char *arena_strndup(hq_arena *a, const char *s, size_t n)
{
    char *d = arena_alloc(a, n + 1);
    if (!d) return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *arena_strdup(hq_arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

char *arena_printf(hq_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) return NULL;
    char *d = arena_alloc(a, (size_t)n + 1);
    if (!d) return NULL;
    va_start(ap, fmt);
    vsnprintf(d, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return d;
}

size_t arena_used(const hq_arena *a)
{
    return a->total;
}
