/*
 * Entities from one CSV table, for `huiqi eval --batch FILE.csv`: the import formats'
 * columns in one sheet — 统一社会信用代码, 企业名称, 年度, 名单 and any declared fact by
 * identifier or label — with one or more adjacent rows per entity (a row per year, say).
 * Every cell is checked as `huiqi import` checks it (ledger/cells.h); an entity's rows
 * become the hq_entity_rows the evaluator loads, as if its facts had been imported.
 *
 * Readings: a fact that changes by year needs the row's 年度; one that does not is the
 * entity's whichever row gives it, and may not be given twice. When the sheet has a 名单
 * column it is the complete list for the entities it names (as the `credit` import is):
 * an entity with no 名单 cell is in no list. Recognitions and past awards are not columns of
 * this sheet (a directory of import files or JSON Lines carries them).
 */
#ifndef HQ_ENTITY_SHEET_H
#define HQ_ENTITY_SHEET_H
#include "base/arena.h"
#include "base/diag.h"
#include "io/csv.h"
#include "rules/corpus.h"
#include "store/rows.h"

typedef struct hq_entity_sheet hq_entity_sheet;

/* Resolve the header of `t` (any block of the file: they share it). NULL with every
 * problem in `d`. */
hq_entity_sheet *entity_sheet_new(const hq_corpus *c, const hq_csv *t, const char *file, hq_diag *d);
void entity_sheet_free(hq_entity_sheet *s);

/* The credit code cell of row `row` ("" when empty). */
const char *entity_sheet_code(const hq_entity_sheet *s, const hq_csv *t, size_t row);

/* One past the last row of the entity whose rows start at `lo`: rows with the same code. */
size_t entity_sheet_group_end(const hq_entity_sheet *s, const hq_csv *t, size_t lo);

/* Check rows [lo, hi) of one entity and describe it in `e`, its strings in `ar`. 0, or -1
 * with every problem in `d` ("FILE:LINE: 第N行第M列「列」：…"). */
int entity_sheet_rows(const hq_entity_sheet *s, const hq_csv *t, size_t lo, size_t hi, hq_arena *ar, hq_entity_rows *e,
                      hq_diag *d);

#endif
