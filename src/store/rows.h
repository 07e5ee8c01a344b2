/*
 * An entity as rows, the shape the ledger store keeps it in (store.h hands these out, and
 * entity_load_rows() in entity.h loads them into a fact batch). Plain data, no behaviour:
 * it is the contract between the storage layer and the facts layer.
 */
#ifndef HQ_ROWS_H
#define HQ_ROWS_H
#include <stdbool.h>

/* Values are in the canonical JSON scalar text the store writes; they were validated when
 * imported and are only parsed when loaded (a value the current rules no longer accept is
 * reported then). Strings are borrowed from whoever filled the struct. */
typedef struct {
    const char *name;
    int year;              /* 0 for facts that do not change by year */
    const char *value;     /* "true", "false" or a quoted string: "\"1234.56\"" */
    const char *dataset;   /* where it came from ("tax:税务2021.csv#17"), or NULL when not asked */
    const char *date;      /* when that import was made (YYYY-MM-DD), or NULL */
    int fact;              /* 1 + the fact's index in the corpus when whoever filled the row
                            * resolved the name against it (the batch's CSV sheet); 0: look
                            * the name up */
} hq_fact_row;

typedef struct {
    const char *name, *level, *grade, *date, *subject; /* subject: "" when none */
} hq_rec_row;

typedef struct {
    const char *credit_code, *name;
    const hq_fact_row *facts;
    int nfacts;
    const hq_rec_row *recs;
    int nrecs;
    bool recs_known;       /* recognitions were imported: absent ones are not held */
    const char *const *lists;
    int nlists;
    bool lists_known;
} hq_entity_rows;

#endif
