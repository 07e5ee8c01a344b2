/*
 * Commands that read only the rule corpus: check, list, facts, disasm.
 */
#include <stdio.h>
#include <string.h>

#include "base/fixed.h"
#include "cli/cli.h"
#include "eval/explain.h"
#include "eval/assess_json.h"
#include "eval/program.h"

/* Shared option loop: --policies DIR, --json; anything else is returned positionally. */
typedef struct {
    const char *policies;
    bool json;
    const char *pos[4];
    int npos;
} corpus_opts;

static int parse_opts(int argc, char **argv, corpus_opts *o, const char *usage)
{
    memset(o, 0, sizeof *o);
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            printf("%s", usage);
            return EXIT_OK + 100;
        } else if (!strcmp(argv[i], "--json")) {
            o->json = true;
        } else if (!strcmp(argv[i], "--policies") && i + 1 < argc) {
            o->policies = argv[++i];
        } else if (argv[i][0] == '-' || o->npos == 4) {
            fprintf(stderr, "huiqi: unexpected argument '%s'\n%s", argv[i], usage);
            return EXIT_USAGE;
        } else {
            o->pos[o->npos++] = argv[i];
        }
    }
    return -1;
}

static const char CHECK_USAGE[] =
    "用法: huiqi check [DIR|FILE]\n"
    "  解析并检查规则库 (默认 policies/)，报告全部错误，格式 file:line:col。\n"
    "  退出码: 0 无错误; 1 有错误。\n";

int cmd_check(int argc, char **argv)
{
    corpus_opts o;
    int r = parse_opts(argc, argv, &o, CHECK_USAGE);
    if (r >= 0) return r == 100 ? EXIT_OK : r;
    hq_corpus *c = cli_load_corpus(cli_policies_dir(o.npos ? o.pos[0] : o.policies));
    if (!c) return EXIT_FOUND;
    int computable = 0;
    for (int i = 0; i < c->nitems; i++) computable += c->items[i]->program != NULL;
    printf("规则库检查通过: %d 份文件, %d 个条款 (%d 可测算), %d 个事实, 哈希 %.16s\n", c->ndocs, c->nitems, computable,
           c->nfacts, c->hash);
    corpus_free(c);
    return EXIT_OK;
}

static json_t *duty_json(unsigned duty)
{
    static const char *N[] = {"受理", "组织实施", "制定细则", "导向性政策", "考核", "组织遴选"};
    json_t *a = json_array();
    for (int i = 0; i < 6; i++)
        if (duty >> i & 1) json_array_append_new(a, json_string(N[i]));
    return a;
}

/* The 附则3 terms of an item or a part, as written and inherited. */
static json_t *terms_json(const hq_corpus *c, const hq_terms *t)
{
    json_t *o = json_object();
    if (t->project) {
        static const char *KEY[] = {"", "fact", "subject", "each subject"};
        json_object_set_new(o, "project", json_string(t->project));
        if (t->key_kind != PKEY_NONE)
            json_object_set_new(o, "project_key", json_pack("{s:s, s:s}", "by", KEY[t->key_kind], "name", t->key_name));
    }
    if (t->basis != BASIS_NONE) json_object_set_new(o, "basis", json_string(basis_name(t->basis)));
    if (t->limit_total) {
        char buf[48];
        explain_value(c, (hq_type){.kind = HT_MONEY}, NULL, t->limit_total, buf, sizeof buf);
        json_object_set_new(o, "limit_total", json_string(buf));
    }
    if (t->limit_years) json_object_set_new(o, "limit_years", json_integer(t->limit_years));
    if (t->quota) json_object_set_new(o, "quota", json_integer(t->quota));
    return o;
}

static json_t *item_json(const hq_corpus *c, const hq_item *it)
{
    json_t *providers = json_array();
    for (int i = 0; i < it->nproviders; i++) json_array_append_new(providers, json_string(it->providers[i]));
    json_t *o = json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:o, s:o, s:s, s:b, s:s, s:s, s:s, s:o}",
                          "id", it->id, "document", it->doc->id, "number", it->doc->number ? it->doc->number : "",
                          "article", it->article, "row", it->row, "title", it->title, "department", it->department,
                          "providers", providers, "duty", duty_json(it->duty), "kind", item_kind_name(it->kind),
                          "computable", item_kind_computable(it->kind), "source", it->source ? it->source : "",
                          "basis", basis_name(it->terms.basis), "project", it->terms.project ? it->terms.project : "", "cost", cost_json(item_cost(it, -1)));
    json_object_set_new(o, "form", json_string(it->voucher ? "服务券" : "现金"));
    if (item_kind_computable(it->kind)) {
        json_object_set_new(o, "recur", json_string(recur_name(item_recur(it))));
        json_object_set_new(o, "terms", terms_json(c, &it->terms));
    }
    if (it->note) json_object_set_new(o, "note", json_string(it->note));
    if (it->has_parts) {
        json_t *parts = json_array();
        for (int i = 0; i < it->nparts; i++)
            json_array_append_new(parts, json_pack("{s:s, s:o, s:o}", "label", it->parts[i].label ? it->parts[i].label : "",
                                                   "cost", cost_json(item_cost(it, i)), "terms", terms_json(c, &it->parts[i].terms)));
        json_object_set_new(o, "parts", parts);
    }
    if (it->nstages) {
        json_t *st = json_array();
        for (int i = 0; i < it->nstages; i++) {
            char share[32];
            fixed_format_short(it->stages[i].share->num * 100, false, share, sizeof share - 1);
            strcat(share, "%");
            json_array_append_new(st, json_pack("{s:s, s:s}", "label", it->stages[i].label, "share", share));
        }
        json_object_set_new(o, "stages", st);
    }
    if (it->nexcept) {
        json_t *ex = json_array();
        for (int i = 0; i < it->nexcept; i++) json_array_append_new(ex, json_string(it->except_names[i]));
        json_object_set_new(o, "except", ex);
    }
    return o;
}

static const char LIST_USAGE[] =
    "用法: huiqi list [--json] [--policies DIR]\n"
    "  列出规则库中每个条款: 编号、文件、条、项、事项、责任单位、类别。\n";

int cmd_list(int argc, char **argv)
{
    corpus_opts o;
    int r = parse_opts(argc, argv, &o, LIST_USAGE);
    if (r >= 0) return r == 100 ? EXIT_OK : r;
    hq_corpus *c = cli_load_corpus(cli_policies_dir(o.policies));
    if (!c) return EXIT_FOUND;
    if (o.json) {
        json_t *arr = json_array();
        for (int i = 0; i < c->nitems; i++) json_array_append_new(arr, item_json(c, c->items[i]));
        json_t *root = json_pack("{s:s, s:i, s:o}", "corpus_hash", c->hash, "count", c->nitems, "items", arr);
        json_dumpf(root, stdout, JSON_INDENT(2));
        printf("\n");
        json_decref(root);
    } else {
        hq_strbuf sb;
        sb_init(&sb, (size_t)64 << 20);
        cli_cell(&sb, "编号", 11); cli_cell(&sb, "文件", 20); cli_cell(&sb, "条", 4); cli_cell(&sb, "项", 7);
        cli_cell(&sb, "事项", 50); cli_cell(&sb, "责任单位", 20); sb_puts(&sb, "类别\n");
        for (int i = 0; i < c->nitems; i++) {
            const hq_item *it = c->items[i];
            char art[16];
            snprintf(art, sizeof art, "%d", it->article);
            cli_cell(&sb, it->id, 11); cli_cell(&sb, it->doc->number ? it->doc->number : it->doc->id, 20);
            cli_cell(&sb, art, 4); cli_cell(&sb, it->row, 7); cli_cell(&sb, it->title, 50);
            cli_cell(&sb, it->department, 20);
            sb_printf(&sb, "%s\n", item_kind_name(it->kind));
        }
        fputs(sb_str(&sb), stdout);
        printf("共 %d 项\n", c->nitems);
        sb_free(&sb);
    }
    corpus_free(c);
    return EXIT_OK;
}

static const char *type_label(const hq_corpus *c, const hq_fact *f)
{
    switch (f->type.kind) {
    case HT_BOOL: return "bool";
    case HT_COUNT: return "count";
    case HT_MONEY: return "money";
    case HT_RATE: return "rate";
    case HT_DATE: return "date";
    case HT_ENUM: return c->enums[f->type.enum_id]->name;
    default: return "?";
    }
}

static const char FACTS_USAGE[] =
    "用法: huiqi facts [--json] [--all] [--policies DIR]\n"
    "  列出规则库使用的每个事实: 名称、类型、是否按年、中文名称、数据来源。\n"
    "  --all 也列出已声明但未被任何规则使用的事实。名单与认定见 lists / recognitions。\n";

int cmd_facts(int argc, char **argv)
{
    bool all = false;
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--all")) {
            all = true;
            memmove(&argv[i], &argv[i + 1], sizeof *argv * (size_t)(argc - i - 1));
            argc--;
            break;
        }
    corpus_opts o;
    int r = parse_opts(argc, argv, &o, FACTS_USAGE);
    if (r >= 0) return r == 100 ? EXIT_OK : r;
    hq_corpus *c = cli_load_corpus(cli_policies_dir(o.policies));
    if (!c) return EXIT_FOUND;
    json_t *facts = json_array(), *lists = json_array(), *recs = json_array();
    for (int i = 0; i < c->nfacts; i++) {
        const hq_fact *f = c->facts[i];
        if (!f->used && !all) continue;
        json_array_append_new(facts, json_pack("{s:s, s:s, s:b, s:s, s:s, s:s, s:b}", "name", f->name, "type", type_label(c, f),
                                               "yearly", f->yearly, "label", f->label, "from", f->from ? f->from : "",
                                               "unit", f->unit ? f->unit : "", "used", f->used));
    }
    for (int i = 0; i < c->nlists; i++)
        json_array_append_new(lists, json_pack("{s:s, s:s, s:s}", "name", c->lists[i]->name, "label", c->lists[i]->label,
                                               "from", c->lists[i]->from ? c->lists[i]->from : ""));
    for (int i = 0; i < c->nrecognitions; i++) {
        const hq_recognition *rc = c->recognitions[i];
        json_array_append_new(recs, json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", rc->name, "label", rc->label, "levels",
                                              rc->levels_name ? rc->levels_name : "", "grades",
                                              rc->grades_name ? rc->grades_name : "", "from", rc->from ? rc->from : ""));
    }
    if (o.json) {
        json_t *root = json_pack("{s:o, s:o, s:o}", "facts", facts, "lists", lists, "recognitions", recs);
        json_dumpf(root, stdout, JSON_INDENT(2));
        printf("\n");
        json_decref(root);
    } else {
        hq_strbuf sb;
        sb_init(&sb, (size_t)16 << 20);
        cli_cell(&sb, "事实 fact", 34); cli_cell(&sb, "类型", 14); cli_cell(&sb, "按年", 6); cli_cell(&sb, "名称", 44);
        sb_puts(&sb, "数据来源\n");
        size_t i;
        json_t *f;
        json_array_foreach(facts, i, f) {
            cli_cell(&sb, json_string_value(json_object_get(f, "name")), 34);
            cli_cell(&sb, json_string_value(json_object_get(f, "type")), 14);
            cli_cell(&sb, json_is_true(json_object_get(f, "yearly")) ? "是" : "", 6);
            cli_cell(&sb, json_string_value(json_object_get(f, "label")), 44);
            sb_printf(&sb, "%s\n", json_string_value(json_object_get(f, "from")));
        }
        sb_printf(&sb, "\n名单 lists (entity.lists):\n");
        json_array_foreach(lists, i, f) sb_printf(&sb, "  %s — %s\n", json_string_value(json_object_get(f, "name")),
                                                  json_string_value(json_object_get(f, "from")));
        sb_printf(&sb, "\n认定/奖项 recognitions (entity.recognitions):\n");
        json_array_foreach(recs, i, f) sb_printf(&sb, "  %s %s%s — %s\n", json_string_value(json_object_get(f, "name")),
                                                 json_string_value(json_object_get(f, "levels")),
                                                 json_string_value(json_object_get(f, "grades"))[0] ? " +grades" : "",
                                                 json_string_value(json_object_get(f, "from")));
        fputs(sb_str(&sb), stdout);
        sb_free(&sb);
        json_decref(facts);
        json_decref(lists);
        json_decref(recs);
    }
    corpus_free(c);
    return EXIT_OK;
}

static const char DISASM_USAGE[] =
    "用法: huiqi disasm ITEM [--policies DIR]\n"
    "  显示条款编译后的指令 (one line per instruction: register, opcode, operands).\n";

int cmd_disasm(int argc, char **argv)
{
    corpus_opts o;
    int r = parse_opts(argc, argv, &o, DISASM_USAGE);
    if (r >= 0) return r == 100 ? EXIT_OK : r;
    if (o.npos != 1) {
        fprintf(stderr, "%s", DISASM_USAGE);
        return EXIT_USAGE;
    }
    hq_corpus *c = cli_load_corpus(cli_policies_dir(o.policies));
    if (!c) return EXIT_FOUND;
    const hq_item *it = corpus_find_item(c, o.pos[0]);
    if (!it || !it->program) {
        fprintf(stderr, "huiqi: no computable item '%s'\n", o.pos[0]);
        corpus_free(c);
        return EXIT_USAGE;
    }
    const hq_program *p = it->program;
    printf("; item %s: %d instructions, %d registers, %d table rows\n", it->id, p->ncode, p->nregs, p->nrows);
    for (int i = 0; i < p->ncode; i++) {
        const hq_insn *in = &p->code[i];
        printf("%4d  r%-4u = %-13s r%u r%u r%u  imm=%lld%s\n", i, in->dst, hq_opcode_names[in->op], in->a, in->b, in->c,
               (long long)in->imm, in->flag ? " (negated)" : "");
    }
    for (int k = 0; k < p->nparts; k++) {
        printf("; part %d: requires", k);
        for (int q = 0; q < p->parts[k].nreq; q++) printf(" r%u", p->parts[k].req_regs[q]);
        printf("; amount r%u", p->parts[k].amount_reg);
        if (p->parts[k].cap_reg != HQ_NO_REG) printf(" cap r%u", p->parts[k].cap_reg);
        printf("\n");
    }
    corpus_free(c);
    return EXIT_OK;
}
