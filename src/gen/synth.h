/*
 * Synthetic entities for the benchmark (`make bench`) and for load tests: a deterministic
 * generator of enterprise JSON in the entity format (docs/facts.md, facts/entity.h) with
 * plausible spreads — districts mostly in 市区, industries from the corpus's `industry` enum,
 * a size class (micro/small/medium/large) that scales money and count facts, registration
 * dates 1995–2022, a few firms on 严重失信名单 or rated 亩均 C/D, and recognitions dated
 * 2020–2022.
 *
 * The generator walks the corpus's declarations (facts, lists, recognitions), so it keeps
 * producing complete entities as the corpus grows: every fact gets a value chosen by its
 * type. Each (seed, index) pair always yields the same entity, and each fact draws from
 * its own stream, so adding a fact to the corpus does not change the values of the others.
 * Money is generated in whole 分 with integer arithmetic only.
 *
 * Not a model of the real economy: the spreads are chosen so that every branch of the
 * rules is exercised at realistic rates, not calibrated against statistics.
 */
#ifndef HQ_SYNTH_H
#define HQ_SYNTH_H
#include <jansson.h>
#include <stdint.h>

#include "facts/factbatch.h"

/* Entity number `index` of the population `seed`, with yearly facts for year-1 and year
 * (omitted for years before the entity was registered, as a data source would). Returns a
 * new reference the caller must json_decref(), or NULL when out of memory. The result
 * passes entity_load() for any corpus. */
json_t *synth_entity(const hq_corpus *c, uint64_t seed, int index, int year);

/* Fill every row of `fb` (fb->cap rows, for fb->year): entities 0 … n_distinct-1 are
 * generated and loaded into rows 0 … n_distinct-1, and the rest of the batch repeats them
 * (column segments are copied, so loading costs n_distinct entities, not fb->cap). Sets
 * fb->n = fb->cap. Returns 0, or -1 if an entity failed to load (printed to stderr) or
 * memory ran out. */
int synth_fill_batch(const hq_corpus *c, hq_factbatch *fb, uint64_t seed, int n_distinct);

#endif
