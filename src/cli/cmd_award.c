/*
 * `huiqi award`: the award ledger from the command line — list and show awards, and one
 * verb per workflow step (push, apply, accept, approve, reject, publicize, object, resolve,
 * close, pay, archive). The verbs are thin: ledger/workflow.c checks and does the work;
 * this file parses arguments and prints what happened. Several ids may be given; each is
 * its own transaction, and the exit status is 1 if any was refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fixed.h"
#include "cli/cli.h"
#include "eval/explain.h"
#include "eval/rvm.h"
#include "eval/stacking.h"
#include "facts/entity.h"
#include "ledger/workflow.h"
#include "store/store.h"

static const char AWARD_USAGE[] =
    "用法: huiqi award <动作> [编号…] [选项]   (--db FILE 或 HUIQI_DB; --actor 操作人)\n"
    "  list    [--entity 信用代码] [--state 状态] [--item 条款] [--department 部门] [--year Y] [--limit N] [--json]\n"
    "  show    编号 [--json]                 奖补详情与测算说明\n"
    "  push    编号…                         待申报 → 已推送 (免申即享推送)\n"
    "  apply   编号…                         → 已申报 (数据核校类须在数据年度次年)\n"
    "  accept  编号… --department 部门       已申报 → 已受理 (条款的责任单位)\n"
    "  approve 编号… --department 部门       已受理 → 审核通过 (按台账复核附则3、预算)\n"
    "  reject  编号… --department 部门 --reason 理由\n"
    "  publicize 编号… --department 部门 --start YYYY-MM-DD --end YYYY-MM-DD   → 公示中\n"
    "  object  编号 --text 异议内容          公示期内提出异议\n"
    "  resolve 异议编号 --department 部门 (--upheld | --dismissed) --note 理由\n"
    "  close   编号…                         公示期满且无未决异议 → 公示期满\n"
    "  pay     编号… | --all [--batch 批次]  → 已兑付 (记录市、区分担; 资格定补审核通过即可兑付)\n"
    "  archive 编号…                         已兑付 → 已归档\n"
    "  --admin 以管理员身份办理任意部门的事项。状态: 待申报 已推送 已申报 已受理 审核通过 已驳回 公示中 公示期满 已兑付 已归档\n";

typedef struct {
    const char *db, *actor, *department, *reason, *start, *end, *text, *note, *batch, *policies;
    const char *entity, *state, *item, *year, *limit;
    bool json, all, upheld, dismissed, admin;
} award_opts;

static json_t *award_to_json(const hq_award_rec *a)
{
    char amount[32], ent[32];
    fen_format(a->amount_fen, false, amount, sizeof amount);
    fen_format(a->entitlement_fen, false, ent, sizeof ent);
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
                     "id", (json_int_t)a->id, "credit_code", a->credit_code, "name", a->entity_name, "item", a->item,
                     "document", a->document, "department", a->department, "year", a->year, "state",
                     award_state_code(a->state), "state_zh", award_state_zh(a->state), "entitlement", ent, "amount",
                     amount, "voucher", a->voucher, "kind", a->kind, "decision_id", a->decision_id, "corpus_hash",
                     a->corpus_hash, "stage", a->stage, "note", a->note, "reason", a->reason, "district", a->district,
                     "publicity_end", a->publicity_end, "updated_at", a->updated_at);
}

typedef struct {
    bool json;
    json_t *arr;
    int n;
} list_ctx;

static int list_row(const hq_award_rec *a, void *ud)
{
    list_ctx *x = ud;
    x->n++;
    if (x->json) {
        json_array_append_new(x->arr, award_to_json(a));
        return 0;
    }
    char amount[48];
    fen_format(a->amount_fen, true, amount, sizeof amount);
    hq_strbuf sb;
    sb_init(&sb, 4096);
    sb_printf(&sb, "%-6lld ", (long long)a->id);
    cli_cell(&sb, a->credit_code, 19);
    cli_cell(&sb, a->entity_name, 26);
    cli_cell(&sb, a->item, 13);
    cli_cell(&sb, award_state_zh(a->state), 10);
    cli_cell_right(&sb, amount, 16);
    sb_printf(&sb, "%s  %d %s\n", a->voucher ? "(券)" : "", a->year, a->note);
    fputs(sb_str(&sb), stdout);
    sb_free(&sb);
    return 0;
}

static int do_list(hq_store *s, const award_opts *o)
{
    hq_award_filter f = {.credit_code = o->entity, .item = o->item, .department = o->department, .state = -1};
    long long v;
    if (o->year) {
        if (!cli_int("--year", o->year, 2000, 2100, &v)) return EXIT_USAGE;
        f.year = (int)v;
    }
    if (o->limit) {
        if (!cli_int("--limit", o->limit, 1, 10000000, &v)) return EXIT_USAGE;
        f.limit = (int)v;
    }
    if (o->state && (f.state = award_state_parse(o->state)) < 0) {
        fprintf(stderr, "huiqi: --state: unknown state '%s'\n", o->state);
        return EXIT_USAGE;
    }
    list_ctx x = {.json = o->json, .arr = json_array()};
    if (!o->json) printf("编号   信用代码           企业名称                  条款         状态                金额(元)  年度 说明\n");
    if (store_award_list(s, &f, list_row, &x)) {
        fprintf(stderr, "huiqi: %s\n", store_error(s));
        json_decref(x.arr);
        return EXIT_INTERNAL;
    }
    if (o->json) {
        json_t *root = json_pack("{s:i, s:o}", "count", x.n, "awards", x.arr);
        json_dumpf(root, stdout, JSON_INDENT(2));
        printf("\n");
        json_decref(root);
    } else {
        json_decref(x.arr);
        printf("共 %d 条\n", x.n);
    }
    return EXIT_OK;
}

static int do_show(hq_store *s, const hq_corpus *c, const award_opts *o, const char *id_s)
{
    long long id;
    if (!cli_int("编号", id_s, 1, INT64_MAX, &id)) return EXIT_USAGE;
    hq_award_rec a;
    int rc = store_award_get(s, id, &a);
    if (rc) {
        if (rc == 1) fprintf(stderr, "huiqi: 奖补 #%lld 不存在\n", id);
        else fprintf(stderr, "huiqi: %s\n", store_error(s));
        return rc == 1 ? EXIT_FOUND : EXIT_INTERNAL;
    }
    hq_strbuf expl;
    sb_init(&expl, 1 << 20);
    wf_explain(s, c, &a, &expl);
    hq_payment_rec p;
    bool paid = store_payment_get(s, id, &p) == 0;
    if (o->json) {
        json_t *j = award_to_json(&a);
        json_object_set_new(j, "explanation", json_string(sb_str(&expl)));
        if (paid) {
            json_t *sp = json_array();
            for (int i = 0; i < p.nsplits; i++) {
                char f[32];
                fen_format(p.splits[i].amount_fen, false, f, sizeof f);
                json_array_append_new(sp, json_pack("{s:s, s:s}", "payer", p.splits[i].payer, "amount", f));
            }
            json_object_set_new(j, "payment", json_pack("{s:s, s:s, s:o}", "at", p.at, "batch", p.batch, "splits", sp));
        }
        json_dumpf(j, stdout, JSON_INDENT(2));
        printf("\n");
        json_decref(j);
    } else {
        char amount[48], ent[48];
        fen_format(a.amount_fen, true, amount, sizeof amount);
        fen_format(a.entitlement_fen, true, ent, sizeof ent);
        printf("奖补 #%lld  %s %s\n", (long long)a.id, a.credit_code, a.entity_name);
        printf("  条款 %s（%s，%s）  年度 %d  状态 %s\n", a.item, a.document, a.kind, a.year, award_state_zh(a.state));
        printf("  应得 %s元  核定 %s元%s  责任单位 %s\n", ent, amount, a.voucher ? "（高质量发展服务券）" : "", a.department);
        printf("  决策编号 %s  规则库 %.12s\n", a.decision_id, a.corpus_hash);
        if (a.stage[0]) printf("  分节点：%s\n", a.stage);
        if (a.note[0]) printf("  附则3/说明：%s\n", a.note);
        if (a.reason[0]) printf("  驳回理由：%s\n", a.reason);
        if (a.publicity_start[0]) printf("  公示：%s 至 %s\n", a.publicity_start, a.publicity_end);
        if (paid) {
            printf("  兑付：%s 批次「%s」 ", p.at, p.batch);
            for (int i = 0; i < p.nsplits; i++) {
                char f[48];
                fen_format(p.splits[i].amount_fen, true, f, sizeof f);
                printf("%s%s %s元", i ? "，" : "", p.splits[i].payer, f);
            }
            printf("\n");
        }
        printf("%s", sb_str(&expl));
    }
    sb_free(&expl);
    return EXIT_OK;
}

typedef struct {
    hq_store *s;
    int64_t *ids;
    int n, cap;
} collect_ctx;

static int collect_id(const hq_award_rec *a, void *ud)
{
    collect_ctx *x = ud;
    if (x->n == x->cap) {
        int cap = x->cap ? x->cap * 2 : 256;
        int64_t *v = realloc(x->ids, sizeof *v * (size_t)cap);
        if (!v) return 1;
        x->ids = v;
        x->cap = cap;
    }
    x->ids[x->n++] = a->id;
    return 0;
}

/* Apply one verb to each id; prints each result, returns the worst exit code. */
static int run_verb(hq_wf *w, const char *verb, const award_opts *o, const int64_t *ids, int n)
{
    int worst = EXIT_OK;
    for (int i = 0; i < n; i++) {
        int64_t id = ids[i], objection = 0;
        int rc;
        if (!strcmp(verb, "push")) rc = wf_push(w, id);
        else if (!strcmp(verb, "apply")) rc = wf_apply(w, id);
        else if (!strcmp(verb, "accept")) rc = wf_accept(w, id);
        else if (!strcmp(verb, "approve")) rc = wf_approve(w, id);
        else if (!strcmp(verb, "reject")) rc = wf_reject(w, id, o->reason);
        else if (!strcmp(verb, "publicize")) rc = wf_publicize(w, id, o->start, o->end);
        else if (!strcmp(verb, "object")) rc = wf_object(w, id, o->text, &objection);
        else if (!strcmp(verb, "resolve")) rc = wf_resolve(w, id, o->upheld, o->note);
        else if (!strcmp(verb, "close")) rc = wf_close(w, id);
        else if (!strcmp(verb, "pay")) rc = wf_pay(w, id, o->batch);
        else rc = wf_archive(w, id);
        fputs(sb_str(w->msg), rc == WF_OK ? stdout : stderr);
        sb_reset(w->msg);
        int code = rc == WF_OK ? EXIT_OK : rc == WF_ERROR ? EXIT_INTERNAL : EXIT_FOUND;
        if (code > worst) worst = code;
    }
    return worst;
}

static const char *const VERBS[] = {"push", "apply", "accept", "approve", "reject", "publicize",
                                    "object", "resolve", "close", "pay", "archive"};

int cmd_award(int argc, char **argv)
{
    award_opts o = {0};
    const char *pos[1024];
    int npos;
    cli_opt opts[] = {
        {"--db", &o.db, NULL},           {"--actor", &o.actor, NULL},   {"--department", &o.department, NULL},
        {"--reason", &o.reason, NULL},   {"--start", &o.start, NULL},   {"--end", &o.end, NULL},
        {"--text", &o.text, NULL},       {"--note", &o.note, NULL},     {"--batch", &o.batch, NULL},
        {"--policies", &o.policies, NULL}, {"--entity", &o.entity, NULL}, {"--state", &o.state, NULL},
        {"--item", &o.item, NULL},       {"--year", &o.year, NULL},     {"--limit", &o.limit, NULL},
        {"--json", NULL, &o.json},       {"--all", NULL, &o.all},       {"--upheld", NULL, &o.upheld},
        {"--dismissed", NULL, &o.dismissed}, {"--admin", NULL, &o.admin},
    };
    int r = cli_parse(argc, argv, opts, (int)(sizeof opts / sizeof *opts), pos, 1024, &npos, AWARD_USAGE);
    if (r >= 0) return r;
    if (npos < 1) {
        fprintf(stderr, "%s", AWARD_USAGE);
        return EXIT_USAGE;
    }
    const char *verb = pos[0];
    bool known = !strcmp(verb, "list") || !strcmp(verb, "show");
    for (size_t i = 0; i < sizeof VERBS / sizeof *VERBS; i++) known |= !strcmp(verb, VERBS[i]);
    if (!known) {
        fprintf(stderr, "huiqi award: unknown action '%s'\n%s", verb, AWARD_USAGE);
        return EXIT_USAGE;
    }
    if (!strcmp(verb, "resolve") && o.upheld == o.dismissed) {
        fprintf(stderr, "huiqi award resolve: give --upheld or --dismissed\n");
        return EXIT_USAGE;
    }
    if (!(o.db = cli_db(o.db))) return EXIT_USAGE;
    hq_store *s = cli_open_store(o.db, false);
    if (!s) return EXIT_DATA;
    if (!strcmp(verb, "list")) {
        int rc = do_list(s, &o);
        store_close(s);
        return rc;
    }
    hq_diag d;
    diag_init(&d);
    hq_corpus *c = corpus_load(cli_policies_dir(o.policies), &d);
    if (!c && strcmp(verb, "show")) {
        diag_print(&d, stderr);
        diag_free(&d);
        store_close(s);
        return EXIT_FOUND;
    }
    diag_free(&d);
    int rc;
    if (!strcmp(verb, "show")) {
        rc = npos == 2 ? do_show(s, c, &o, pos[1]) : (fprintf(stderr, "%s", AWARD_USAGE), EXIT_USAGE);
    } else {
        collect_ctx ids = {.s = s};
        rc = EXIT_OK;
        for (int i = 1; i < npos && rc == EXIT_OK; i++) {
            long long v;
            if (!cli_int("编号", pos[i], 1, INT64_MAX, &v)) rc = EXIT_USAGE;
            else collect_id(&(hq_award_rec){.id = v}, &ids);
        }
        if (rc == EXIT_OK && o.all && !strcmp(verb, "pay")) {
            /* Everything payable now: publicized awards, and approved 资格定补 awards. */
            hq_award_filter f = {.state = AWARD_PUBLICIZED};
            store_award_list(s, &f, collect_id, &ids);
            f.state = AWARD_APPROVED;
            collect_ctx approved = {.s = s};
            store_award_list(s, &f, collect_id, &approved);
            for (int i = 0; i < approved.n; i++) {
                hq_award_rec a;
                if (store_award_get(s, approved.ids[i], &a) == 0 && !strcmp(a.kind, "资格定补")) collect_id(&a, &ids);
            }
            free(approved.ids);
        }
        if (rc == EXIT_OK && ids.n == 0 && o.all) {
            printf("没有可兑付的奖补\n");
            free(ids.ids);
            corpus_free(c);
            store_close(s);
            return EXIT_OK;
        }
        if (rc == EXIT_OK && ids.n == 0) {
            fprintf(stderr, "huiqi award %s: no award ids given\n", verb);
            rc = EXIT_USAGE;
        }
        if (rc == EXIT_OK) {
            hq_strbuf msg;
            sb_init(&msg, 1 << 16);
            hq_wf w = {.s = s, .c = c, .actor = cli_actor(o.actor), .department = o.department, .admin = o.admin, .msg = &msg};
            rc = run_verb(&w, verb, &o, ids.ids, ids.n);
            sb_free(&msg);
        }
        free(ids.ids);
    }
    corpus_free(c);
    store_close(s);
    return rc;
}
