/*
 * Department data into the ledger: `huiqi import KIND FILE`. A file is CSV (UTF-8 or GBK,
 * see io/csv.h) or JSON (an array of flat objects with the same keys as the CSV columns).
 * KIND names the dataset and decides which columns are required:
 *
 *   entities      市场监管局 register: credit_code, name, and any facts that do not change
 *                 by year (district, registered, entity_type, industry, …)
 *   tax           税务局: credit_code, year, yearly facts (地方综合贡献度, 入库税收 …)
 *   stats         统计局: credit_code, year, yearly facts (规上, 增加值, 零售额 …)
 *   projects      project data from any department: credit_code, year, facts
 *   mujun         经信局 亩均论英雄: credit_code, mujun_rating; the file is the complete list,
 *                 so every entity it does not name is recorded as not rated
 *   credit        信用办: credit_code [, list] — the complete 严重失信名单 (or the list named)
 *   recognitions  认定名单: credit_code, recognition, level [, grade], date
 *   awards        past awards: credit_code, item or project, year, amount [, data_year, level,
 *                 form, basis, note]
 *   indicators    observed values of the plans' indicators: plan, indicator, period, value,
 *                 source, published [, area, note] — about the city, not an entity, so imported
 *                 by ledger/indicators.h against the plans; only its name is known here
 *
 * A column is named by the fact's identifier or its Chinese label (地方综合贡献度); the fixed
 * columns have Chinese names too (统一社会信用代码, 年度 …). Every value is checked against
 * the corpus's declarations: the credit code's check character, types, enums, negative
 * amounts, dates in the future, years, duplicate keys within the file, facts of unknown
 * entities. Every error is reported as "FILE:LINE: column: message"; if there is any, the
 * store is not touched. Otherwise the whole file is written in one transaction with its
 * provenance (dataset, file, row, time) and an audit row. A file whose content is that of the
 * latest import of the same KIND is recognised by its SHA-256 and changes nothing; an older
 * file sent again (a previous list) is imported again, since it changes what is current.
 */
#ifndef HQ_IMPORTER_H
#define HQ_IMPORTER_H
#include "base/progress.h"
#include "rules/corpus.h"
#include "store/store.h"

typedef struct {
    const char *kind, *path, *actor;
} hq_import_opts;

typedef struct {
    int64_t import_id;
    bool duplicate;          /* the same content was imported before: nothing done */
    int rows, entities, facts, recognitions, lists, awards;
    char encoding[24];
} hq_import_result;

/* 0 imported (or a duplicate); 1 bad data, every problem in diag, nothing changed;
 * -1 a store or system error (diag says which), nothing changed. */
int ledger_import(hq_store *s, const hq_corpus *c, const hq_import_opts *o, hq_import_result *r, hq_diag *diag);

/* The same for a file already in memory (an HTTP upload); `name` is its file name, whose
 * ".json" ending selects JSON. `bar` (may be NULL) follows the rows checked, then written. */
int ledger_import_buffer(hq_store *s, const hq_corpus *c, const char *kind, const char *name, const char *data, size_t len,
                         const char *actor, hq_progress *bar, hq_import_result *r, hq_diag *diag);

/* The dataset of KIND as people name it ("市场监管局登记信息"), NULL if KIND is not a kind. */
const char *import_kind_zh(const char *kind);

/* True if KIND is one of the kinds above. */
bool import_kind_known(const char *kind);
/* The kinds, listed once: the k-th kind's name (NULL past the last), and all of them as
 * "entities, tax, …" for messages. */
const char *import_kind_name(int k);
const char *import_kinds_text(void);

#endif
