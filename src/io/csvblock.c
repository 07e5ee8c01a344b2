/*
 * Reading a CSV file in blocks of whole records (csvblock.h). The buffer holds the header's
 * bytes, then the records of the block being handed out, then what has been read ahead.
 * Records are found by a scan that only tracks whether it is inside quotes: in UTF-8 and in
 * GBK alike the bytes '"' and '\n' never occur inside a multi-byte character, so the scan
 * needs no decoding; everything else about the text is csv.c's to check.
 */
#include "io/csvblock.h"

#include <stdlib.h>
#include <string.h>

struct hq_csvblock {
    FILE *in;
    char file[256];
    char *buf;
    size_t len, cap, max, aim;
    size_t head;          /* the header's bytes, line break included */
    int head_lines;
    size_t from;          /* the next block's records start here (after the header, once moved) */
    int from_line;        /* the file line of buf[from] */
    size_t *rec;          /* the current block's record offsets and first lines */
    int *rec_line;
    size_t nrec, rec_cap;
    size_t end;           /* the current block's records end here, */
    int end_line;         /* on this line */
    bool eof, done;
    long long read_total; /* bytes read from the file */
};

static bool fill(hq_csvblock *b, hq_diag *d)
{
    if (b->eof) return true;
    if (b->len == b->cap) {
        if (b->cap >= b->max) return true;
        size_t cap = b->cap * 2 > b->max ? b->max : b->cap * 2;
        char *n = realloc(b->buf, cap);
        if (!n) {
            diag_add(d, b->file, "内存不足");
            return false;
        }
        b->buf = n;
        b->cap = cap;
    }
    size_t got = fread(b->buf + b->len, 1, b->cap - b->len, b->in);
    b->len += got;
    b->read_total += (long long)got;
    if (got == 0) {
        if (ferror(b->in)) {
            diag_add(d, b->file, "读取文件出错");
            return false;
        }
        b->eof = true;
    }
    return true;
}

/* The end of the record starting at `at` (just past its line break), or 0 when the buffer
 * ends inside it. `lines` gets the line breaks it spans. */
static size_t record_end(const hq_csvblock *b, size_t at, int *lines)
{
    bool quoted = false;
    int n = 0;
    for (size_t i = at; i < b->len; i++) {
        char ch = b->buf[i];
        if (ch == '"') quoted = !quoted;
        else if (ch == '\n') {
            n++;
            if (!quoted) {
                *lines = n;
                return i + 1;
            }
        }
    }
    return 0;
}

static bool note_record(hq_csvblock *b, size_t off, int line, hq_diag *d)
{
    if (b->nrec == b->rec_cap) {
        size_t cap = b->rec_cap ? b->rec_cap * 2 : 4096;
        size_t *r = realloc(b->rec, cap * sizeof *r);
        int *l = r ? realloc(b->rec_line, cap * sizeof *l) : NULL;
        if (r) b->rec = r;
        if (!l) {
            diag_add(d, b->file, "内存不足");
            return false;
        }
        b->rec_line = l;
        b->rec_cap = cap;
    }
    b->rec[b->nrec] = off;
    b->rec_line[b->nrec++] = line;
    return true;
}

hq_csvblock *csvblock_open(FILE *in, const char *file, size_t block_bytes, size_t max_bytes, hq_diag *d)
{
    hq_csvblock *b = calloc(1, sizeof *b);
    if (!b || !(b->buf = malloc(block_bytes * 2 < max_bytes ? block_bytes * 2 : max_bytes))) {
        free(b);
        diag_add(d, file, "内存不足");
        return NULL;
    }
    b->in = in;
    snprintf(b->file, sizeof b->file, "%s", file);
    b->cap = block_bytes * 2 < max_bytes ? block_bytes * 2 : max_bytes;
    b->max = max_bytes;
    b->aim = block_bytes;
    int lines = 0;
    size_t end;
    while (!(end = record_end(b, 0, &lines)) && !b->eof && b->len < b->max)
        if (!fill(b, d)) {
            csvblock_free(b);
            return NULL;
        }
    if (!end && b->eof && b->len) {
        /* a header and nothing else, without a final line break */
        end = b->len;
        lines = 1;
    }
    if (!end) {
        diag_add(d, b->file, b->len ? "表头超过 %zu 字节的上限" : "文件为空，没有表头", b->max);
        csvblock_free(b);
        return NULL;
    }
    b->head = b->from = end;
    b->head_lines = lines;
    b->from_line = lines + 1;
    return b;
}

void csvblock_free(hq_csvblock *b)
{
    if (!b) return;
    free(b->buf);
    free(b->rec);
    free(b->rec_line);
    free(b);
}

hq_csv *csvblock_header(const hq_csvblock *b, hq_diag *d)
{
    hq_csv_limits lim = {.max_input_bytes = b->head};
    return csv_parse(b->buf, b->head, &lim, d);
}

/* Drop the records handed out before (all but those kept): what follows moves up behind
 * the header. */
static void compact(hq_csvblock *b)
{
    if (b->from == b->head) return;
    memmove(b->buf + b->head, b->buf + b->from, b->len - b->from);
    b->len -= b->from - b->head;
    b->from = b->head;
}

/* Find the block's records: whole ones until `aim` bytes are held or the file ends. */
static bool cut(hq_csvblock *b, hq_diag *d)
{
    size_t at = b->from;
    int line = b->from_line;
    b->nrec = 0;
    for (;;) {
        int lines = 0;
        size_t end = record_end(b, at, &lines);
        if (!end) {
            if (!b->eof && (b->len < b->cap || b->cap < b->max)) {
                if (!fill(b, d)) return false;
                continue;
            }
            if (!b->eof) {
                diag_add(d, b->file, "第%d行：一条记录超过 %zu 字节的上限（引号可能未闭合）", line, b->max);
                return false;
            }
            if (at < b->len && !note_record(b, at, line, d)) return false; /* the last record, without a line break */
            at = b->len;
            break;
        }
        if (!note_record(b, at, line, d)) return false;
        at = end;
        line += lines;
        if (at - b->from >= b->aim) break;
    }
    b->end = at;
    b->end_line = line;
    return true;
}

hq_csv *csvblock_next(hq_csvblock *b, bool *last, bool *failed, hq_diag *d)
{
    *failed = false;
    *last = false;
    if (b->done) return NULL;
    compact(b);
    if (!cut(b, d)) {
        *failed = b->done = true;
        return NULL;
    }
    if (b->nrec == 0) {
        b->done = true;
        return NULL;
    }
    *last = b->eof && b->end == b->len;
    hq_csv_limits lim = {.max_input_bytes = b->end, .first_line = b->from_line - b->head_lines};
    hq_csv *t = csv_parse(b->buf, b->end, &lim, d);
    if (t && !*last && csv_rows(t) != b->nrec) {
        /* csv.c drops blank lines that end its text; here they were inside the file */
        diag_add(d, b->file, "第%d行起：文件中间有空行", b->rec_line[csv_rows(t)]);
        csv_free(t);
        t = NULL;
    }
    if (!t) {
        *failed = b->done = true;
        return NULL;
    }
    b->from = b->end;
    b->from_line = b->end_line;
    if (*last) b->done = true;
    return t;
}

void csvblock_keep(hq_csvblock *b, size_t nrows)
{
    if (nrows == 0 || nrows > b->nrec || b->done) return;
    b->from = b->rec[b->nrec - nrows];
    b->from_line = b->rec_line[b->nrec - nrows];
}

long long csvblock_offset(const hq_csvblock *b)
{
    return b->read_total - (long long)(b->len - b->from);
}
