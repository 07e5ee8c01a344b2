/*
 * Columnar fact batch; see factbatch.h.
 */
#include "facts/factbatch.h"

#include <stdlib.h>
#include <string.h>

#include "rules/program.h"

hq_factbatch *factbatch_new(const hq_corpus *c, int year, int cap)
{
    hq_factbatch *fb = calloc(1, sizeof *fb);
    if (!fb) return NULL;
    fb->corpus = c;
    fb->year = year;
    fb->cap = cap > 0 ? cap : 1;
    fb->nslots = c->slots->n;
    size_t cells = (size_t)fb->nslots * (size_t)fb->cap;
    fb->val = calloc(cells ? cells : 1, sizeof *fb->val);
    fb->unk = malloc(cells ? cells : 1);
    fb->ids = calloc((size_t)fb->cap, sizeof *fb->ids);
    if (!fb->val || !fb->unk || !fb->ids) {
        factbatch_free(fb);
        return NULL;
    }
    memset(fb->unk, 1, cells ? cells : 1);
    return fb;
}

void factbatch_free(hq_factbatch *fb)
{
    if (!fb) return;
    free(fb->val);
    free(fb->unk);
    free(fb->ids);
    free(fb->subj);
    free(fb);
}

int factbatch_add_subject(hq_factbatch *fb, const hq_subject *s)
{
    if (fb->nsubj == fb->subj_cap) {
        if (fb->subj_cap >= HQ_SUBJECTS_MAX) return -1;
        int cap = fb->subj_cap ? fb->subj_cap * 2 : 16;
        hq_subject *v = realloc(fb->subj, sizeof *v * (size_t)cap);
        if (!v) return -1;
        fb->subj = v;
        fb->subj_cap = cap;
    }
    fb->subj[fb->nsubj++] = *s;
    return 0;
}

/* Drop the row's keyed recognitions, keeping the others in place. */
static void drop_subjects(hq_factbatch *fb, int row)
{
    int k = 0;
    for (int i = 0; i < fb->nsubj; i++)
        if (fb->subj[i].row != row) fb->subj[k++] = fb->subj[i];
    fb->nsubj = k;
}

void factbatch_clear_row(hq_factbatch *fb, int row)
{
    for (int s = 0; s < fb->nslots; s++) {
        fb->val[(int64_t)s * fb->cap + row] = 0;
        fb->unk[(int64_t)s * fb->cap + row] = 1;
    }
    memset(&fb->ids[row], 0, sizeof fb->ids[row]);
    drop_subjects(fb, row);
}

void factbatch_clear(hq_factbatch *fb)
{
    size_t cells = (size_t)fb->nslots * (size_t)fb->cap;
    memset(fb->val, 0, sizeof *fb->val * (cells ? cells : 1));
    memset(fb->unk, 1, cells ? cells : 1);
    memset(fb->ids, 0, sizeof *fb->ids * (size_t)fb->cap);
    fb->nsubj = 0;
}
