/*
 * Operation results as text for people (render.c).
 */
#ifndef HQ_CLI_RENDER_H
#define HQ_CLI_RENDER_H
#include <jansson.h>
#include <stdio.h>

#include "ops/ops.h"

/* Print `out`, the result of operation `id`, as text; returns the exit code it implies
 * (an audit chain that does not verify is 1). */
int render_text(hq_op_id id, const json_t *out, const hq_corpus *c, FILE *f);

#endif
