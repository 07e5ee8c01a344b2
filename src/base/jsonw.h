/*
 * JSON text written straight into a bounded buffer (strbuf.h), byte for byte as jansson's
 * json_dumps(…, JSON_COMPACT) writes the same document. A large answer (the calculator's
 * assessment, eval/assess_json.h) is written once this way instead of being built as a
 * tree of small allocations and then serialised.
 *
 * The writer keeps no state: a member or an element is separated from the one before by
 * looking at the last byte written (nothing after '{' or '['). Keys are written as given,
 * escaped like any string. A string that is not valid UTF-8 (jansson refuses to hold one)
 * marks the buffer overflowed, so the caller sees a failure through sb_ok() rather than
 * sending invalid JSON.
 */
#ifndef HQ_JSONW_H
#define HQ_JSONW_H
#include <stdbool.h>
#include <stdint.h>

#include "base/strbuf.h"

/* A string value, quoted and escaped as json_dumps escapes it. */
void jw_string(hq_strbuf *sb, const char *s);
/* `"key":`, after a comma unless an object was just opened. */
void jw_key(hq_strbuf *sb, const char *key);
/* The separator before an array's element: a comma unless the array was just opened. */
void jw_next(hq_strbuf *sb);

/* Members: `"key":value`. */
void jw_str(hq_strbuf *sb, const char *key, const char *v);
void jw_int(hq_strbuf *sb, const char *key, int64_t v);
void jw_bool(hq_strbuf *sb, const char *key, bool v);

#endif
