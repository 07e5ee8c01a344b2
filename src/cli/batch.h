/*
 * `huiqi eval --batch`: the input side (batch_read.c) and the evaluating side (cmd_batch.c)
 * meet at a block — up to BLOCK_LINES entities read ahead while the block before is
 * assessed. Three inputs fill blocks: JSON Lines (a line per entity), a directory of import
 * files (through a temporary ledger: its entities as stored rows, with their ids for their
 * past awards), and one CSV sheet (entities as adjacent rows, ledger/entity_sheet.h).
 */
#ifndef HQ_CLI_BATCH_H
#define HQ_CLI_BATCH_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/arena.h"
#include "base/strbuf.h"
#include "io/csvblock.h"
#include "ledger/entity_sheet.h"
#include "rules/corpus.h"
#include "store/rows.h"
#include "store/store.h"

enum { BLOCK_LINES = 4096, BLOCK_BYTES = 64 << 20, BATCH_LINE_MAX = 1 << 20 };

typedef struct {
    /* JSON Lines: the lines' text (owned) and numbers */
    char **text;
    size_t *len;
    long *lineno;
    /* a directory: the temporary ledger's entities, in `ar`, and their ids */
    hq_entity_rows *rows;
    int64_t *ids;
    hq_arena *ar;
    /* a CSV sheet: the rows, and where each entity's start (group[i] .. group[i + 1]) */
    hq_csv *t;
    size_t *group;
    size_t group_cap;
    int n;                 /* entities (lines) in the block */
    long bad;              /* entities refused while reading, */
    char *errs;            /* with the complaints, printed before the block's own */
    size_t errlen;
} batch_block;

typedef enum { BATCH_LINES, BATCH_DIRECTORY, BATCH_SHEET } batch_kind;

typedef struct {
    struct seen_code *slot;
    size_t cap, n;
} batch_code_set;

typedef struct {
    batch_kind kind;
    const hq_corpus *c;
    const char *file;
    int year;
    FILE *in;              /* lines and sheet */
    long long size;        /* of the file, when known, for progress */
    char *line;
    long lineno;
    char dir[4096], db[4200]; /* a directory's temporary ledger */
    hq_store *ledger;
    int64_t after, total;
    hq_csvblock *blocks;   /* a sheet */
    hq_strbuf workbook;    /* a sheet sent as an Excel workbook: its first worksheet as CSV */
    hq_entity_sheet *sheet;
    batch_code_set seen;
    bool failed;           /* a store or memory fault: the run is cut short */
    bool bad_table;        /* the sheet cannot be read past a fault: the run stops there */
} batch_input;

/* Open FILE ("-" for standard input) as `kind`; a directory's files are imported into a
 * temporary ledger first. 0, or an exit code after saying why on stderr. */
int batch_input_open(batch_input *in, batch_kind kind, const hq_corpus *c, const char *file, int year);
void batch_input_close(batch_input *in);

/* Fill `b` with the next entities; false at the end, or when in->failed / in->bad_table.
 * Complaints about refused entities go to b->errs, counted in b->bad. */
bool batch_input_next(batch_input *in, batch_block *b);

/* Where reading is and how far it goes, in the units of a progress bar (bytes, or the
 * ledger's entities); total 0 when not known. */
long long batch_input_at(const batch_input *in, long done);
long long batch_input_total(const batch_input *in);

bool batch_block_init(batch_block *b);
/* The block's storage, and what it still holds of an input of `kind`. */
void batch_block_free(batch_block *b, batch_kind kind);

#endif
