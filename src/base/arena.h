/*
 * Bump allocator for data that lives exactly as long as one parse, one check or one
 * evaluation: the AST of a corpus, the strings of an explanation, the temporaries of a
 * request. Everything taken from an arena is released together by arena_free(); nothing
 * in it is freed one by one. An arena has a hard ceiling set at creation, so a hostile
 * input can exhaust the arena but never the process.
 *
 * Not thread-safe: one arena belongs to one thread at a time.
 */
#ifndef HQ_ARENA_H
#define HQ_ARENA_H
#include <stddef.h>

typedef struct hq_arena hq_arena;

/* Create an arena that will refuse to grow beyond `limit` bytes in total. */
hq_arena *arena_new(size_t limit);
void arena_free(hq_arena *a);

/* Zeroed, 16-byte aligned memory owned by the arena, or NULL when the limit is reached. */
void *arena_alloc(hq_arena *a, size_t n);
/* Copies owned by the arena. */
char *arena_strndup(hq_arena *a, const char *s, size_t n);
char *arena_strdup(hq_arena *a, const char *s);
/* printf into arena memory. */
char *arena_printf(hq_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Bytes handed out so far. */
size_t arena_used(const hq_arena *a);

#endif
