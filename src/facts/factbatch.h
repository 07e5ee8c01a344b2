/*
 * Columnar fact storage: the facts of many entities for one evaluation year, laid out as
 * one column per slot (rules/program.h) so the evaluator streams through memory. A value is
 * an int64 in the representation the rules use (hq_fixed for numbers, days for dates, the
 * value index for enums, 0/1 for bools); a parallel byte per value says whether it is
 * known. A new batch has every value unknown.
 *
 * A batch belongs to its creator; it is filled by one thread and may then be read by many.
 */
#ifndef HQ_FACTBATCH_H
#define HQ_FACTBATCH_H
#include <stdbool.h>
#include <stdint.h>

#include "base/limits.h"
#include "rules/corpus.h"

typedef struct {
    char credit_code[19];
    char name[128];
} hq_entity_id;

/* A recognition received with a subject (the project or work it is for), kept beside the
 * columns for the recognitions that 附则3 keys projects by (`project X by subject(R)`,
 * `each subject(R)`): the evaluator never reads them, stacking does. */
enum { HQ_SUBJECT_MAX = HQ_NAME_MAX, HQ_SUBJECTS_MAX = 1 << 16 };
typedef struct {
    int row, rec;
    long day;
    int64_t level, grade;
    char subject[HQ_SUBJECT_MAX];
} hq_subject;

typedef struct hq_factbatch {
    const hq_corpus *corpus;
    int year;                 /* the evaluation year */
    int cap, n;               /* rows allocated, rows in use */
    int nslots;
    int64_t *val;             /* val[slot * cap + row] */
    uint8_t *unk;             /* 1 = unknown */
    hq_entity_id *ids;
    hq_subject *subj;         /* every row's keyed recognitions, in no order; nsubj ≤ HQ_SUBJECTS_MAX */
    int nsubj, subj_cap;
} hq_factbatch;

hq_factbatch *factbatch_new(const hq_corpus *c, int year, int cap);
void factbatch_free(hq_factbatch *fb);

static inline void factbatch_set(hq_factbatch *fb, int row, int slot, int64_t v)
{
    fb->val[(int64_t)slot * fb->cap + row] = v;
    fb->unk[(int64_t)slot * fb->cap + row] = 0;
}

static inline bool factbatch_get(const hq_factbatch *fb, int row, int slot, int64_t *v)
{
    if (slot < 0 || fb->unk[(int64_t)slot * fb->cap + row]) return false;
    *v = fb->val[(int64_t)slot * fb->cap + row];
    return true;
}

/* Record a keyed recognition of `row`. 0, or -1 past HQ_SUBJECTS_MAX or out of memory. */
int factbatch_add_subject(hq_factbatch *fb, const hq_subject *s);

/* Reset one row to all-unknown (touches one byte per slot, scattered). */
void factbatch_clear_row(hq_factbatch *fb, int row);
/* Reset every row: one sequential pass, for refilling a whole batch. */
void factbatch_clear(hq_factbatch *fb);

#endif
