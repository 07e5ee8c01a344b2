/*
 * `huiqi eval` and `huiqi explain`: evaluate one entity (JSON) against the corpus, show
 * every item's status, amount and why, apply the 附则3 cross-clause rules against the
 * supplied award history, and stamp each result with a decision id and the corpus hash.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fixed.h"
#include "cli/cli.h"
#include "eval/explain.h"
#include "eval/rvm.h"
#include "eval/assess.h"
#include "eval/assess_json.h"
#include "eval/overlay.h"
#include "facts/entity.h"

typedef struct {
    const char *entity, *history, *policies, *item, *overlay;
    int year;
    bool json, all;
} eval_opts;

static int parse(int argc, char **argv, eval_opts *o, const char *usage, bool want_item)
{
    memset(o, 0, sizeof *o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has = i + 1 < argc;
        if (cli_is_help(a)) {
            printf("%s", usage);
            return EXIT_OK;
        } else if (!strcmp(a, "--entity") && has) o->entity = argv[++i];
        else if (!strcmp(a, "--history") && has) o->history = argv[++i];
        else if (!strcmp(a, "--overlay") && has) o->overlay = argv[++i];
        else if (!strcmp(a, "--policies") && has) o->policies = argv[++i];
        else if (!strcmp(a, "--year") && has) {
            char *end;
            long y = strtol(argv[++i], &end, 10);
            if (*end || y < 1980 || y > 2100) {
                fprintf(stderr, "huiqi: --year: expected a year such as 2021\n");
                return EXIT_USAGE;
            }
            o->year = (int)y;
        } else if (!strcmp(a, "--json")) o->json = true;
        else if (!strcmp(a, "--all")) o->all = true;
        else if (want_item && !o->item && a[0] != '-') o->item = a;
        else {
            fprintf(stderr, "huiqi: unexpected argument '%s'\n%s", a, usage);
            return EXIT_USAGE;
        }
    }
    if (!o->entity || (want_item && !o->item)) {
        fprintf(stderr, "%s", usage);
        return EXIT_USAGE;
    }
    return -1;
}

/* The evaluation year: --year, else the latest year the entity has data for. */
static int pick_year(const json_t *entity, int opt)
{
    return opt ? opt : entity_latest_year(entity, 2021);
}

typedef struct {
    hq_corpus *c, *base;        /* c is the overlay's derived corpus when --overlay is given */
    json_t *entity, *history;
    hq_factbatch *fb;
    hq_vm *vm;
    int year;
} eval_session;

static void session_close(eval_session *s)
{
    rvm_free(s->vm);
    factbatch_free(s->fb);
    json_decref(s->entity);
    json_decref(s->history);
    if (s->base) {
        overlay_free(s->c);
        corpus_free(s->base);
    } else {
        corpus_free(s->c);
    }
}

static int session_open(eval_session *s, const eval_opts *o)
{
    memset(s, 0, sizeof *s);
    s->entity = cli_read_json(o->entity);
    if (!s->entity) return EXIT_DATA;
    if (o->history && !(s->history = cli_read_json(o->history))) return EXIT_DATA;
    s->c = cli_load_corpus(cli_policies_dir(o->policies));
    if (!s->c) return EXIT_FOUND;
    if (o->overlay) {
        json_t *ov = cli_read_json(o->overlay);
        if (!ov) return EXIT_DATA;
        hq_diag od;
        diag_init(&od);
        json_t *changes = json_array();
        hq_corpus *w = overlay_new(s->c, ov, changes, &od);
        for (int i = 0; i < od.count && i < HQ_DIAG_MAX; i++)
            fprintf(stderr, "%s: %s: error: %s\n", o->overlay, od.items[i].where, od.items[i].message);
        size_t k;
        json_t *ch;
        json_array_foreach(changes, k, ch) fprintf(stderr, "测算假设 (what-if): %s\n", json_string_value(ch));
        diag_free(&od);
        json_decref(changes);
        json_decref(ov);
        if (!w) return EXIT_DATA;
        s->base = s->c;
        s->c = w;
    }
    s->year = pick_year(s->entity, o->year);
    s->fb = factbatch_new(s->c, s->year, 1);
    s->vm = rvm_new(s->c);
    if (!s->fb || !s->vm) return EXIT_INTERNAL;
    hq_diag d;
    diag_init(&d);
    int rc = entity_load(s->c, s->entity, s->fb, 0, &d);
    if (rc != 0) {
        for (int i = 0; i < d.count && i < HQ_DIAG_MAX; i++)
            fprintf(stderr, "%s: %s: error: %s\n", o->entity, d.items[i].where, d.items[i].message);
    }
    diag_free(&d);
    return rc == 0 ? -1 : EXIT_DATA;
}

static const char EVAL_USAGE[] =
    "用法: huiqi eval --entity FILE [--year Y] [--history FILE] [--overlay FILE] [--json] [--all] [--policies DIR]\n"
    "  测算一个企业在某年度可享受的全部奖补: 每个条款的结论 (符合/不符合/待补充数据)、金额与理由,\n"
    "  再按附则3处理同一项目、同一依据、晋级差额与年度上限。\n"
    "  --year     测算年度 (默认: 企业数据中最近的年度)\n"
    "  --history  既往奖补记录 JSON (docs/facts.md#history)\n"
    "  --overlay  测算假设 JSON: 修改条款的上限或数值后重新测算 (docs/api.md#what-if)\n"
    "  --all      表格中也列出不符合的条款\n"
    "  退出码: 0 成功; 2 用法错误; 3 输入数据错误。\n";

/* The reason column: the failed condition, the missing facts, or the 附则3 note. */
static void row_reason(eval_session *s, const hq_assessment_row *r, hq_strbuf *why)
{
    assessment_reason(s->c, s->vm, s->fb, 0, r, why);
}

static void table_header(hq_strbuf *sb, const hq_entity_id *id, int year, const char *hash)
{
    sb_printf(sb, "企业：%s（%s）  测算年度：%d  规则库：%.12s\n\n", id->name, id->credit_code, year, hash);
    cli_cell(sb, "编号", 11);
    cli_cell(sb, "事项", 46);
    cli_cell(sb, "结论", 11);
    cli_cell_right(sb, "测算金额(元)", 16);
    sb_puts(sb, "  ");
    cli_cell_right(sb, "核定金额(元)", 16);
    sb_puts(sb, "  说明\n");
}

static void table_row(hq_strbuf *sb, const hq_assessment_row *r, const char *why)
{
    const hq_outcome *oc = &r->outcome;
    char amt[48] = "", fin[48] = "";
    if (oc->status == HQ_ELIGIBLE || (oc->status == HQ_NEEDS_DATA && oc->amount_fen)) fen_format(oc->amount_fen, true, amt, sizeof amt);
    if (r->awarded) fen_format(r->final_fen, true, fin, sizeof fin);
    cli_cell(sb, r->item->id, 11);
    cli_cell(sb, r->item->title, 46);
    char label[64];
    snprintf(label, sizeof label, "%s%s%s", status_label_zh((hq_status)oc->status),
             oc->status == HQ_ELIGIBLE && oc->unknown ? "(部分)" : "", r->item->voucher ? "(券)" : "");
    cli_cell(sb, label, 11);
    cli_cell_right(sb, amt, 16);
    sb_puts(sb, "  ");
    cli_cell_right(sb, fin, 16);
    sb_printf(sb, "  %s\n", why);
}

static void table_footer(hq_strbuf *sb, const hq_assessment *a, bool all)
{
    char tb[48], ta[48];
    fen_format(a->total_fen, true, tb, sizeof tb);
    fen_format(a->final_total_fen, true, ta, sizeof ta);
    sb_printf(sb, "\n符合 %d 项，待补充数据 %d 项，不符合 %d 项%s。\n", a->counts[HQ_ELIGIBLE], a->counts[HQ_NEEDS_DATA],
              a->counts[HQ_INELIGIBLE] + a->counts[HQ_ERROR], all ? "" : "（--all 显示不符合的条款）");
    sb_printf(sb, "测算合计 %s元；按附则3处理后核定合计 %s元。\n", tb, ta);
    if (a->voucher_total_fen) {
        fen_format(a->voucher_final_fen, true, ta, sizeof ta);
        sb_printf(sb, "另核定高质量发展服务券 %s元（不计入现金合计与年度上限）。\n", ta);
    }
    if (a->log.len) sb_printf(sb, "\n附则3处理：\n%s", sb_str((hq_strbuf *)&a->log));
}

static int load_history(eval_session *s, const char *path, hq_history *h)
{
    memset(h, 0, sizeof *h);
    if (!s->history) return 0;
    hq_diag d;
    diag_init(&d);
    int rc = history_load(s->c, s->history, h, &d);
    for (int i = 0; i < d.count && i < HQ_DIAG_MAX; i++) fprintf(stderr, "%s: %s: error: %s\n", path, d.items[i].where, d.items[i].message);
    diag_free(&d);
    return rc;
}

int cmd_eval(int argc, char **argv)
{
    eval_opts o;
    int r = parse(argc, argv, &o, EVAL_USAGE, false);
    if (r >= 0) return r;
    eval_session s;
    r = session_open(&s, &o);
    hq_history hist;
    if (r < 0 && load_history(&s, o.history, &hist) != 0) r = EXIT_DATA;
    if (r >= 0) {
        session_close(&s);
        return r;
    }
    hq_assessment a;
    if (assess_entity(s.c, s.vm, s.fb, 0, &hist, &a) != 0) {
        history_free(&hist);
        session_close(&s);
        return EXIT_INTERNAL;
    }
    const hq_entity_id *id = &s.fb->ids[0];
    json_t *results = json_array();
    hq_strbuf sb, why;
    sb_init(&sb, (size_t)16 << 20);
    sb_init(&why, 1 << 16);
    table_header(&sb, id, s.year, s.c->hash);
    /* Eligible items first, then those that need data, then (with --all) the rest. */
    static const hq_status ORDER[] = {HQ_ELIGIBLE, HQ_NEEDS_DATA, HQ_ERROR, HQ_INELIGIBLE};
    for (size_t pass = 0; pass < sizeof ORDER / sizeof *ORDER; pass++)
        for (int i = 0; i < a.nrows; i++) {
            const hq_assessment_row *row = &a.rows[i];
            if (row->outcome.status != ORDER[pass]) continue;
            if (o.json) continue;
            sb_reset(&why);
            row_reason(&s, row, &why);
            if (!o.json && (row->outcome.status != HQ_INELIGIBLE || o.all)) table_row(&sb, row, sb_str(&why));
        }
    table_footer(&sb, &a, o.all);
    if (o.json) {
        json_decref(results);
        json_t *root = assessment_json(s.c, s.vm, s.fb, 0, &a, true, true);
        json_dumpf(root, stdout, JSON_INDENT(2));
        printf("\n");
        json_decref(root);
    } else {
        fputs(sb_str(&sb), stdout);
        json_decref(results);
    }
    sb_free(&why);
    sb_free(&sb);
    assessment_free(&a);
    history_free(&hist);
    session_close(&s);
    return EXIT_OK;
}

/* 数据来源: for each fact the item reads, the dataset and date the entity's provenance gives,
 * else the source the corpus declares for it. */
static void append_provenance(const hq_corpus *c, const hq_item *it, const json_t *entity, hq_strbuf *sb)
{
    int facts[64];
    int n = explain_item_facts(it, facts, 64);
    if (!n) return;
    const json_t *prov = json_object_get(entity, "provenance");
    sb_puts(sb, "  数据来源：\n");
    for (int i = 0; i < n; i++) {
        const hq_fact *f = c->facts[facts[i]];
        const json_t *p = json_object_get(prov, f->name);
        const char *dataset = json_string_value(json_object_get(p, "dataset"));
        const char *date = json_string_value(json_object_get(p, "date"));
        if (dataset) sb_printf(sb, "    %s ← %s%s%s%s\n", f->label, dataset, date ? "（" : "", date ? date : "", date ? "）" : "");
        else sb_printf(sb, "    %s ← %s（规则库声明的数据来源）\n", f->label, f->from ? f->from : "未声明");
    }
}

static const char EXPLAIN_USAGE[] =
    "用法: huiqi explain ITEM --entity FILE [--year Y] [--json] [--policies DIR]\n"
    "  详细解释一个条款对某企业的测算: 政策原文、附则适用条件、每个条件的取值与结论、金额算式。\n";

int cmd_explain(int argc, char **argv)
{
    eval_opts o;
    int r = parse(argc, argv, &o, EXPLAIN_USAGE, true);
    if (r >= 0) return r;
    eval_session s;
    r = session_open(&s, &o);
    if (r >= 0) {
        session_close(&s);
        return r;
    }
    const hq_item *it = corpus_find_item(s.c, o.item);
    if (!it) {
        fprintf(stderr, "huiqi: no item '%s' (see huiqi list)\n", o.item);
        session_close(&s);
        return EXIT_USAGE;
    }
    hq_outcome oc = rvm_eval_one(s.vm, s.fb, 0, it);
    hq_strbuf sb;
    sb_init(&sb, 1 << 20);
    explain_item(s.vm, s.c, it, &oc, &sb);
    append_provenance(s.c, it, s.entity, &sb);
    char decision[24];
    decision_id(s.c, s.fb->ids[0].credit_code, s.year, it, &oc, decision);
    if (o.json) {
        json_t *root = json_pack("{s:s, s:s, s:i, s:s, s:I, s:s, s:s, s:s}", "item", it->id, "credit_code",
                                 s.fb->ids[0].credit_code, "year", s.year, "status", status_code((hq_status)oc.status),
                                 "amount_fen", (json_int_t)oc.amount_fen, "decision_id", decision, "corpus_hash", s.c->hash,
                                 "explanation", sb_str(&sb));
        json_dumpf(root, stdout, JSON_INDENT(2));
        printf("\n");
        json_decref(root);
    } else {
        printf("%s  决策编号：%s  规则库：%.12s  测算年度：%d\n", sb_str(&sb), decision, s.c->hash, s.year);
    }
    sb_free(&sb);
    session_close(&s);
    return EXIT_OK;
}
