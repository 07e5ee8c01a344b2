/*
 * A synthetic city for demonstrations and load tests: `huiqi demo-data` writes the eight
 * department files that `huiqi import` reads (ledger/importer.h), for a population of
 * enterprises, social organisations, institutes and the district and county governments of
 * Wenzhou, with two years of data (Y-1 and Y) so that prev() has something to read.
 *
 * The population is built from archetypes — manufacturers, software and design firms,
 * service firms, traders, foreign-invested firms, agricultural firms and cooperatives,
 * institutes and associations, and one government body per district and county — each
 * given the facts and recognitions that the items of 温政发〔2020〕12、13、14、15号 read,
 * with values spread so that some land just above a threshold and some just below. Past
 * awards (awards.csv) give the 附则3 rules history to deduct. docs/demo-data.md describes
 * the archetypes and files.
 *
 * Determinism: entity number i is a function of (seed, i, Y) only, drawn from its own
 * xoshiro256** stream, so the first N entities of a larger city are the same as a city of
 * N, and the same arguments always give the same bytes. No floating point touches an
 * amount: money is generated in whole 分 with integer arithmetic.
 *
 * Validation: every fact, recognition, level, grade, enum value, list, item and project the
 * generator writes is checked against the corpus it is given, the fact names and types
 * before anything is written, the rest as each value is written. On any mismatch the
 * generation stops, the partial files are removed and the diagnostics name what changed.
 * Files are written under temporary names (DIR/.NAME.tmp) and renamed only when all are
 * complete, so a failed run leaves the files of an earlier run as they were.
 *
 * Memory is constant: entities are generated and written one at a time.
 */
#ifndef HQ_DEMOCITY_H
#define HQ_DEMOCITY_H
#include <stdbool.h>
#include <stdint.h>

#include "base/diag.h"
#include "rules/corpus.h"

#define DEMOCITY_MAX_ENTITIES 2000000L
#define DEMOCITY_MIN_YEAR 2010
#define DEMOCITY_MAX_YEAR 2030

/* The files, in the order they are to be imported (entities first). */
typedef enum {
    DEMOCITY_ENTITIES, DEMOCITY_TAX, DEMOCITY_STATS, DEMOCITY_PROJECTS, DEMOCITY_MUJUN, DEMOCITY_CREDIT,
    DEMOCITY_RECOGNITIONS, DEMOCITY_AWARDS, DEMOCITY__FILES
} democity_file;

/* "entities.csv" … and the import kind that reads it ("entities" …). */
const char *democity_file_name(democity_file f);
const char *democity_file_kind(democity_file f);

typedef struct {
    const char *out_dir;   /* must exist */
    long entities;         /* 1 … DEMOCITY_MAX_ENTITIES; the governments come first */
    uint64_t seed;
    int year;              /* Y: yearly facts for Y-1 and Y, dates up to 31 Dec of Y (the importer
                              refuses dates after today: import after Y, or set HUIQI_NOW) */
    bool gbk;              /* also write entities-gbk.csv, the entities file in GB18030 */
} democity_opts;

typedef struct {
    long rows[DEMOCITY__FILES];  /* data rows per file (headers excluded) */
    long governments, enterprises, organisations; /* 行政单位; 企业; the other entity types */
    long bytes;                  /* total size of the files written */
} democity_counts;

/* Write the city into o->out_dir. Returns 0, or -1 with every problem in `diag` (bad
 * options, a corpus that no longer declares what the generator writes, an I/O error);
 * on failure no new file is left behind. Calls share no state; two must not write into
 * the same directory at once. */
int democity_write(const hq_corpus *c, const democity_opts *o, democity_counts *counts, hq_diag *diag);

/* The GB 32100-2015 unified social credit code for registration authority and type
 * `kind` ("91", "93", "N2" …), administrative division `division` (6 digits) and the 8
 * characters of the organisation code body (GB 11714 check character added), into out
 * (at least 19 bytes). Exposed for the unit test. */
void democity_credit_code(const char *kind, const char *division, const char *body8, char out[19]);

#endif
