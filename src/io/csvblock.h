/*
 * A CSV file too large to hold, read a block of whole records at a time. Each block is the
 * file's header followed by the next records, parsed by csv.c with the file's own line
 * numbers (hq_csv_limits.first_line), so a block is checked exactly as a whole file would
 * be and every complaint names the file's line. Records are cut at line breaks outside
 * quotes; the caller may hand the last records of a block back (csvblock_keep) to have
 * them again at the head of the next one, which is how rows that belong together (one
 * entity's years) are never split between blocks.
 *
 * Memory: one buffer of at most `max_bytes` plus the parsed block. A record longer than
 * that is an error naming its line.
 */
#ifndef HQ_CSVBLOCK_H
#define HQ_CSVBLOCK_H
#include <stdbool.h>
#include <stdio.h>

#include "base/diag.h"
#include "io/csv.h"

typedef struct hq_csvblock hq_csvblock;

/* Read the header of `in`. `block_bytes` is how much a block aims to hold, `max_bytes` the
 * most it may (a block grows only to fit kept records). NULL with the problem in `d`. */
hq_csvblock *csvblock_open(FILE *in, const char *file, size_t block_bytes, size_t max_bytes, hq_diag *d);
void csvblock_free(hq_csvblock *b);

/* The header alone as a table of no rows (owned by the caller: csv_free), so that the
 * columns are checked even when no record follows; NULL with the problems in `d`. */
hq_csv *csvblock_header(const hq_csvblock *b, hq_diag *d);

/* The next block (owned by the caller: csv_free), *last set when it ends the file; NULL at
 * the end, or with every problem in `d` (then *failed is set and nothing more can be read). */
hq_csv *csvblock_next(hq_csvblock *b, bool *last, bool *failed, hq_diag *d);

/* Give back the last `nrows` data rows of the block just returned: they start the next one.
 * Not after the last block. */
void csvblock_keep(hq_csvblock *b, size_t nrows);

/* Bytes of the file consumed so far (for a progress bar). */
long long csvblock_offset(const hq_csvblock *b);

#endif
