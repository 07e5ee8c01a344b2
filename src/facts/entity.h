/*
 * Entity input: one enterprise (or organisation) as JSON, documented in docs/facts.md,
 * turned into one row of a fact batch for one evaluation year. Every key and value is
 * validated against the corpus's declarations first; any problem is reported with its
 * JSON path and nothing is written to the batch.
 */
#ifndef HQ_ENTITY_H
#define HQ_ENTITY_H
#include <jansson.h>

#include "base/diag.h"
#include "facts/factbatch.h"
#include "store/rows.h"

/* Validate `root` and fill row `row` of `fb` (for fb->year). Returns 0, or -1 with every
 * problem in `diag` and the row left all-unknown. */
int entity_load(const hq_corpus *c, const json_t *root, hq_factbatch *fb, int row, hq_diag *diag);

/* Fill row `row` of `fb` from stored rows; the row must be all-unknown already (a new batch,
 * or factbatch_clear). 0, or -1 with problems in `diag` (and the row cleared). */
int entity_load_rows(const hq_corpus *c, const hq_entity_rows *e, hq_factbatch *fb, int row, hq_diag *diag);

/* The latest year the entity has yearly data for, or `fallback`: the default year to
 * evaluate an entity in. */
int entity_latest_year(const json_t *entity, int fallback);

/* Is `fact` one of the facts an entity document carries at its top level (district,
 * registered, entity_type, industry) rather than under "facts"? */
bool entity_identity_fact(const char *fact);

/* A recognition's subject (the project or work it is for): NULL if acceptable, else why not. */
const char *entity_check_subject(const char *s);

/* Parse a value of `type` from JSON as the entity format allows. NULL or a message. */
const char *entity_parse_value(const hq_corpus *c, hq_type type, const json_t *v, int64_t *out);

#endif
