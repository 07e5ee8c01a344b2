/*
 * The input side of `huiqi eval --batch` (batch.h): JSON Lines a block of lines at a time,
 * a directory of import files through a temporary ledger, or a CSV sheet a block of whole
 * entities at a time. Reading runs on a thread of its own while the block before is
 * assessed, so everything here writes its complaints into the block, not to stderr, and
 * they come out in input order.
 */
#include "cli/batch.h"
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/sheet.h"
#include "ledger/importer.h"
#include "ledger/ledger.h"

enum { SHEET_BLOCK_BYTES = 4 << 20, SHEET_MAX_BYTES = 64 << 20 };

bool batch_block_init(batch_block *b)
{
    *b = (batch_block){.text = malloc(sizeof *b->text * BLOCK_LINES), .len = malloc(sizeof *b->len * BLOCK_LINES),
                       .lineno = malloc(sizeof *b->lineno * BLOCK_LINES), .rows = malloc(sizeof *b->rows * BLOCK_LINES),
                       .ids = malloc(sizeof *b->ids * BLOCK_LINES)};
    return b->text && b->len && b->lineno && b->rows && b->ids;
}

/* What the block held: its lines, rows and complaints. */
static void block_empty(batch_block *b, batch_kind kind)
{
    if (kind == BATCH_LINES)
        for (int i = 0; i < b->n; i++) free(b->text[i]);
    arena_free(b->ar);
    b->ar = NULL;
    csv_free(b->t);
    b->t = NULL;
    free(b->errs);
    b->errs = NULL;
    b->errlen = 0;
    b->n = 0;
    b->bad = 0;
}

void batch_block_free(batch_block *b, batch_kind kind)
{
    if (b->text) block_empty(b, kind);
    free(b->group);
    free(b->rows);
    free(b->ids);
    free(b->text);
    free(b->len);
    free(b->lineno);
}

/* ---- JSON Lines ------------------------------------------------------------------------- */

/* Over-long lines are refused here; blank ones skipped. */
static void lines_block(batch_input *in, batch_block *b, FILE *errs)
{
    size_t bytes = 0;
    while (b->n < BLOCK_LINES && bytes < BLOCK_BYTES && fgets(in->line, BATCH_LINE_MAX + 2, in->in)) {
        in->lineno++;
        size_t len = strlen(in->line);
        if (len > BATCH_LINE_MAX) {
            fprintf(errs, "%s:%ld: 行超过 %d 字节的上限\n", in->file, in->lineno, BATCH_LINE_MAX);
            b->bad++;
            int ch;
            while ((ch = fgetc(in->in)) != EOF && ch != '\n') {}
            continue;
        }
        while (len && (in->line[len - 1] == '\n' || in->line[len - 1] == '\r')) in->line[--len] = 0;
        if (!len) continue;
        char *copy = malloc(len + 1);
        if (!copy) {
            fprintf(errs, "%s:%ld: 内存不足\n", in->file, in->lineno);
            b->bad++;
            continue;
        }
        memcpy(copy, in->line, len + 1);
        b->text[b->n] = copy;
        b->len[b->n] = len;
        b->lineno[b->n++] = in->lineno;
        bytes += len;
    }
}

/* ---- a directory of import files -------------------------------------------------------- */

static void temp_ledger_remove(batch_input *in)
{
    static const char *const SUFFIX[] = {"", "-wal", "-shm", ".key"};
    char path[4300];
    for (size_t i = 0; i < sizeof SUFFIX / sizeof *SUFFIX; i++) {
        snprintf(path, sizeof path, "%s%s", in->db, SUFFIX[i]);
        unlink(path);
    }
    rmdir(in->dir);
}

/* Import every department file of the directory into a new temporary ledger. NULL (after
 * printing every error) when a file is refused or nothing could be made. */
static hq_store *temp_ledger_fill(batch_input *in)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(in->dir, sizeof in->dir, "%s/huiqi-batch-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(in->dir)) {
        fprintf(stderr, "huiqi: 无法创建临时目录 %s\n", in->dir);
        in->dir[0] = 0;
        return NULL;
    }
    snprintf(in->db, sizeof in->db, "%s/ledger.db", in->dir);
    hq_diag d;
    diag_init(&d);
    hq_store *s = ledger_open(in->db, true, NULL, NULL, &d);
    int found = 0;
    for (int k = 0; s && import_kind_name(k); k++) {
        const char *kind = import_kind_name(k);
        if (!strcmp(kind, "indicators")) continue; /* plan observations are not entity data */
        char path[4400];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s.csv", in->file, kind);
        if (stat(path, &st) != 0) snprintf(path, sizeof path, "%s/%s.json", in->file, kind);
        if (stat(path, &st) != 0) continue;
        found++;
        hq_import_opts o = {.kind = kind, .path = path, .actor = "batch"};
        hq_import_result r;
        if (ledger_import(s, in->c, &o, &r, &d)) {
            store_close(s);
            s = NULL;
        } else {
            fprintf(stderr, "已读入 %s：%d 行\n", path, r.rows);
        }
    }
    if (s && !found) {
        fprintf(stderr, "huiqi: %s 中没有部门数据文件（entities.csv、tax.csv …，见 docs/import.md）\n", in->file);
        store_close(s);
        s = NULL;
    }
    diag_print(&d, stderr);
    diag_free(&d);
    if (!s) {
        temp_ledger_remove(in);
        in->dir[0] = 0;
    }
    return s;
}

static void ledger_block(batch_input *in, batch_block *b, FILE *errs)
{
    b->ar = arena_new((size_t)1 << 30);
    if (!b->ar || store_entity_rows(in->ledger, in->after, BLOCK_LINES, in->year, b->ar, b->rows, b->ids, &b->n)) {
        fprintf(errs, "huiqi: 读取临时台账失败：%s\n", b->ar ? store_error(in->ledger) : "内存不足");
        in->failed = true;
        b->n = 0;
        return;
    }
    if (b->n) in->after = b->ids[b->n - 1];
}

/* ---- a CSV sheet ------------------------------------------------------------------------ */

/* The credit codes seen so far and the line of each, so that an entity whose rows are not
 * adjacent is refused rather than assessed twice on part of its data (24 bytes an entity,
 * half the slots free). */
struct seen_code {
    char code[19];
    int line;
};

static uint64_t code_hash(const char *s)
{
    uint64_t h = 1469598103934665603u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static bool code_set_grow(batch_code_set *cs)
{
    size_t cap = cs->cap ? cs->cap * 2 : 1 << 16;
    struct seen_code *n = calloc(cap, sizeof *n);
    if (!n) return false;
    for (size_t i = 0; i < cs->cap; i++) {
        if (!cs->slot[i].line) continue;
        size_t j = code_hash(cs->slot[i].code) & (cap - 1);
        while (n[j].line) j = (j + 1) & (cap - 1);
        n[j] = cs->slot[i];
    }
    free(cs->slot);
    cs->slot = n;
    cs->cap = cap;
    return true;
}

/* The line `code` was first seen on, or 0 after recording it on `line`; -1 out of memory. */
static int code_set_add(batch_code_set *cs, const char *code, int line)
{
    if (strlen(code) >= sizeof cs->slot->code) return 0; /* not a code: its own check complains */
    if (2 * (cs->n + 1) > cs->cap && !code_set_grow(cs)) return -1;
    size_t j = code_hash(code) & (cs->cap - 1);
    for (; cs->slot[j].line; j = (j + 1) & (cs->cap - 1))
        if (!strcmp(cs->slot[j].code, code)) return cs->slot[j].line;
    snprintf(cs->slot[j].code, sizeof cs->slot[j].code, "%s", code);
    cs->slot[j].line = line;
    cs->n++;
    return 0;
}

/* Faults of the table itself (csv.c's and the header's). Every message names its line in
 * Chinese, so the file is put before it rather than csv.c's English location. */
static void sheet_faults(const char *file, const hq_diag *d, FILE *errs)
{
    for (int i = 0; i < (d->count < HQ_DIAG_MAX ? d->count : HQ_DIAG_MAX); i++) {
        const char *w = d->items[i].where;
        bool located = !strncmp(w, file, strlen(file));
        fprintf(errs, "%s: %s\n", located ? w : file, d->items[i].message);
    }
}

/* Split rows [0, nrows) into entities, refusing codes seen in earlier groups; false when
 * memory ran out. */
static bool group_rows(batch_input *in, batch_block *b, size_t nrows, FILE *errs)
{
    b->n = 0;
    for (size_t lo = 0, hi; lo < nrows; lo = hi) {
        hi = entity_sheet_group_end(in->sheet, b->t, lo);
        if ((size_t)b->n + 2 > b->group_cap) {
            size_t cap = b->group_cap ? b->group_cap * 2 : 4096, *g = realloc(b->group, cap * sizeof *g);
            if (!g) return false;
            b->group = g;
            b->group_cap = cap;
        }
        const char *code = entity_sheet_code(in->sheet, b->t, lo);
        int first = code_set_add(&in->seen, code, csv_row_line(b->t, lo));
        if (first < 0) return false;
        if (first > 0) {
            fprintf(errs, "%s:%d: 统一社会信用代码 %s 已在第%d行出现（同一企业的各行须相邻）\n", in->file, csv_row_line(b->t, lo), code, first);
            b->bad++;
            continue;
        }
        b->group[b->n++] = lo;
        b->group[b->n] = hi;
    }
    return true;
}

/* The next block's entities; the last entity is kept for the next block unless the file
 * ends, since its rows may go on there. */
static void sheet_block(batch_input *in, batch_block *b, FILE *errs)
{
    hq_diag d;
    diag_init(&d);
    bool last, failed = false;
    for (;;) {
        csv_free(b->t);
        b->t = csvblock_next(in->blocks, &last, &failed, &d);
        if (!b->t) break;
        size_t nrows = csv_rows(b->t);
        if (failed || nrows == 0) break;
        size_t tail = nrows;
        const char *final = entity_sheet_code(in->sheet, b->t, nrows - 1);
        if (!last)
            while (tail > 0 && !strcmp(entity_sheet_code(in->sheet, b->t, tail - 1), final)) tail--;
        if (tail == 0 && !last) {
            diag_add(&d, in->file, "第%d行起：同一企业的行超过 %d 字节", csv_row_line(b->t, 0), SHEET_BLOCK_BYTES);
            failed = true;
            break;
        }
        if (!last) csvblock_keep(in->blocks, nrows - tail);
        if (!group_rows(in, b, tail, errs)) {
            diag_add(&d, in->file, "内存不足");
            failed = true;
        }
        if (failed || b->n > 0 || last) break;
    }
    sheet_faults(in->file, &d, errs);
    diag_free(&d);
    if (failed) {
        in->bad_table = true;
        b->n = 0;
    }
}

/* ---- the input -------------------------------------------------------------------------- */

/* Did opening a sheet fail on its content (a workbook), not on opening the file? */
static bool xlsx_failed(const hq_diag *d)
{
    return d->count > 0 && strncmp(d->items[0].message, "无法打开", strlen("无法打开")) != 0;
}

int batch_input_open(batch_input *in, batch_kind kind, const hq_corpus *c, const char *file, int year)
{
    *in = (batch_input){.kind = kind, .c = c, .file = file, .year = year};
    if (kind == BATCH_DIRECTORY) {
        if (!(in->ledger = temp_ledger_fill(in))) return EXIT_DATA;
        if (store_entity_count(in->ledger, &in->total)) in->total = 0;
        return 0;
    }
    hq_diag d;
    diag_init(&d);
    sb_init(&in->workbook, (size_t)256 << 20);
    if (kind == BATCH_SHEET) in->in = sheet_open_stream(file, &in->workbook, &d);
    else in->in = strcmp(file, "-") ? fopen(file, "rb") : stdin;
    if (!in->in) {
        /* a workbook that cannot be read is bad data; a file that cannot be opened, a bad call */
        int rc = kind == BATCH_SHEET && xlsx_failed(&d) ? EXIT_DATA : EXIT_USAGE;
        if (d.count) sheet_faults(file, &d, stderr);
        else fprintf(stderr, "huiqi: 无法打开 %s\n", file);
        diag_free(&d);
        return rc;
    }
    struct stat st;
    if (in->in != stdin && fstat(fileno(in->in), &st) == 0 && S_ISREG(st.st_mode)) in->size = (long long)st.st_size;
    if (kind == BATCH_LINES) {
        diag_free(&d);
        if (!(in->line = malloc(BATCH_LINE_MAX + 2))) return EXIT_INTERNAL;
        return 0;
    }
    in->blocks = csvblock_open(in->in, file, SHEET_BLOCK_BYTES, SHEET_MAX_BYTES, &d);
    hq_csv *head = in->blocks ? csvblock_header(in->blocks, &d) : NULL;
    if (head) in->sheet = entity_sheet_new(c, head, file, &d);
    csv_free(head);
    sheet_faults(file, &d, stderr);
    diag_free(&d);
    return in->sheet ? 0 : EXIT_DATA;
}

void batch_input_close(batch_input *in)
{
    if (in->ledger) store_close(in->ledger);
    if (in->dir[0]) temp_ledger_remove(in);
    csvblock_free(in->blocks);
    entity_sheet_free(in->sheet);
    free(in->seen.slot);
    free(in->line);
    if (in->in && in->in != stdin) fclose(in->in);
    sb_free(&in->workbook);
}

bool batch_input_next(batch_input *in, batch_block *b)
{
    block_empty(b, in->kind);
    if (in->failed || in->bad_table) return false;
    FILE *errs = open_memstream(&b->errs, &b->errlen);
    if (!errs) {
        in->failed = true;
        return false;
    }
    switch (in->kind) {
    case BATCH_LINES: lines_block(in, b, errs); break;
    case BATCH_DIRECTORY: ledger_block(in, b, errs); break;
    case BATCH_SHEET: sheet_block(in, b, errs); break;
    }
    fclose(errs);
    return b->n > 0 || b->bad > 0 || b->errlen > 0;
}

long long batch_input_at(const batch_input *in, long done)
{
    if (in->kind == BATCH_DIRECTORY) return done;
    if (!in->size) return 0;
    return in->kind == BATCH_SHEET ? csvblock_offset(in->blocks) : (long long)ftello(in->in);
}

long long batch_input_total(const batch_input *in)
{
    return in->kind == BATCH_DIRECTORY ? in->total : in->size;
}
