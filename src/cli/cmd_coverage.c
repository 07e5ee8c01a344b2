/*
 * `huiqi coverage`: how much of each policy document is encoded and tested. For every
 * document: the rows of its 执行责任分工表, the rows encoded as items, computable versus
 * listed-only, and the case files' coverage: a computable item needs at least one eligible
 * and one ineligible case. Exits 1 when a computable item lacks either, or when a document
 * has fewer items than its table has rows.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"

typedef struct {
    int cases, eligible, ineligible, needs_data;
} item_cov;

static void count_file(const hq_corpus *c, const char *path, item_cov *cov)
{
    json_t *root = cli_read_json(path);
    if (!root) return;
    const char *id = json_string_value(json_object_get(root, "item"));
    const hq_item *it = id ? corpus_find_item(c, id) : NULL;
    if (it) {
        size_t i;
        json_t *cs;
        json_array_foreach(json_object_get(root, "cases"), i, cs) {
            const char *st = json_string_value(json_object_get(json_object_get(cs, "expect"), "status"));
            item_cov *ic = &cov[it->index];
            ic->cases++;
            if (st && !strcmp(st, "eligible")) ic->eligible++;
            else if (st && !strcmp(st, "ineligible")) ic->ineligible++;
            else if (st && !strcmp(st, "needs_data")) ic->needs_data++;
        }
    }
    json_decref(root);
}

static void scan(const hq_corpus *c, const char *dir, item_cov *cov, int depth)
{
    DIR *d = opendir(dir);
    if (!d || depth > 4) {
        if (d) closedir(d);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0) continue;
        size_t l = strlen(e->d_name);
        if (S_ISDIR(st.st_mode)) scan(c, path, cov, depth + 1);
        else if (l > 5 && !strcmp(e->d_name + l - 5, ".json") && strcmp(e->d_name, "base.json")) count_file(c, path, cov);
    }
    closedir(d);
}

static const char USAGE[] =
    "用法: huiqi coverage [--json] [--items] [--policies DIR]\n"
    "  每份政策文件: 分工表行数、已编码条款、可测算/仅列示、用例数; 列出缺少用例的可测算条款。\n"
    "  --items 逐条列出每个条款的用例数。退出码: 0 完整; 1 有可测算条款缺少符合或不符合用例, 或已编码行少于表中行数。\n";

int cmd_coverage(int argc, char **argv)
{
    const char *policies = NULL;
    bool json = false, items = false;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            printf("%s", USAGE);
            return EXIT_OK;
        } else if (!strcmp(argv[i], "--json")) json = true;
        else if (!strcmp(argv[i], "--items")) items = true;
        else if (!strcmp(argv[i], "--policies") && i + 1 < argc) policies = argv[++i];
        else {
            fprintf(stderr, "huiqi: 多余的参数「%s」\n%s", argv[i], USAGE);
            return EXIT_USAGE;
        }
    }
    policies = cli_policies_dir(policies);
    hq_corpus *c = cli_load_corpus(policies);
    if (!c) return EXIT_FOUND;
    item_cov *cov = calloc((size_t)c->nitems + 1, sizeof *cov);
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/cases", policies);
    scan(c, dir, cov, 0);
    int problems = 0;
    json_t *docs = json_array();
    hq_strbuf sb;
    sb_init(&sb, (size_t)8 << 20);
    sb_puts(&sb, "| 文件 | 分工表行数 | 已编码行 | 无序号行 | 条款数 | 可测算 | 仅列示 | 用例数 | 缺用例的可测算条款 |\n");
    sb_puts(&sb, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
    for (int d = 0; d < c->ndocs; d++) {
        const hq_doc *doc = c->docs[d];
        int computable = 0, listed = 0, ncases = 0, rows = 0, unnumbered = 0;
        hq_strbuf gaps;
        sb_init(&gaps, 1 << 16);
        json_t *jitems = json_array();
        for (int k = 0; k < doc->nitems; k++) {
            const hq_item *it = doc->items[k];
            const item_cov *ic = &cov[it->index];
            bool comp = item_kind_computable(it->kind);
            /* A row the table numbers counts once however many items encode it; rows the
             * table leaves unnumbered (导向性政策 headings, row "无序号") are counted apart. */
            if (!strncmp(it->row, "无", 3)) unnumbered++;
            else {
                bool first = true;
                for (int j = 0; j < k; j++) first &= strcmp(doc->items[j]->row, it->row) != 0;
                rows += first;
            }
            computable += comp;
            listed += !comp;
            ncases += ic->cases;
            if (comp && (!ic->eligible || !ic->ineligible)) {
                sb_printf(&gaps, "%s%s(%s)", gaps.len ? ", " : "", it->id, !ic->cases ? "无用例" : !ic->eligible ? "缺符合" : "缺不符合");
                problems++;
            }
            json_array_append_new(jitems, json_pack("{s:s, s:b, s:i, s:i, s:i, s:i}", "id", it->id, "computable", comp, "cases",
                                                    ic->cases, "eligible", ic->eligible, "ineligible", ic->ineligible,
                                                    "needs_data", ic->needs_data));
        }
        if (doc->table_rows && rows < doc->table_rows) problems++;
        sb_printf(&sb, "| %s | %d | %d | %d | %d | %d | %d | %d | %s |\n", doc->number ? doc->number : doc->id, doc->table_rows,
                  rows, unnumbered, doc->nitems, computable, listed, ncases, gaps.len ? sb_str(&gaps) : "无");
        json_array_append_new(docs, json_pack("{s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:s, s:o}", "document", doc->id,
                                              "number", doc->number ? doc->number : "", "table_rows", doc->table_rows,
                                              "rows_encoded", rows, "unnumbered_rows", unnumbered, "items", doc->nitems,
                                              "computable", computable, "listed_only", listed, "cases", ncases,
                                              "computable_without_cases", sb_str(&gaps), "item_cases", jitems));
        sb_free(&gaps);
    }
    if (json) {
        json_t *root = json_pack("{s:s, s:o, s:i}", "corpus_hash", c->hash, "documents", docs, "problems", problems);
        json_dumpf(root, stdout, JSON_INDENT(2));
        printf("\n");
        json_decref(root);
    } else {
        fputs(sb_str(&sb), stdout);
        if (items)
            for (int i = 0; i < c->nitems; i++)
                printf("%-12s %-8s 用例 %2d (符合 %d, 不符合 %d, 待补充 %d)\n", c->items[i]->id, item_kind_name(c->items[i]->kind),
                       cov[i].cases, cov[i].eligible, cov[i].ineligible, cov[i].needs_data);
        json_decref(docs);
    }
    sb_free(&sb);
    free(cov);
    corpus_free(c);
    return problems ? EXIT_FOUND : EXIT_OK;
}
