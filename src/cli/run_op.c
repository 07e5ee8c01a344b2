/*
 * The CLI as an adapter over the operation layer (ops/ops.h): one option parser for every
 * operation — `--name VALUE` for each of its parameters (a flag for a yes/no one, a file
 * for a JSON document or an upload), the route's {…} parameters as positional arguments —
 * then the operation is called as the local operator (管理员) and its result printed: the
 * document with --json, or its text rendering (render.c) for people. Several award ids
 * run the operation once each. Exit codes are those of cli.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/render.h"
#include "ledger/accounts.h"
#include "ops/ops.h"
#include "plan/plan.h"

enum { CLI_MAX_IDS = 100000, CLI_UPLOAD_MAX = 256 << 20 };

/* Options every operation takes, besides its own parameters. */
typedef struct {
    const char *db, *policies, *plans, *actor, *department, *out, *format;
    bool json, admin, quiet, all, password_stdin, help;
    const char **pos;          /* argc of them at most, owned */
    int npos;
} common_opts;

static int exit_of(hq_op_status s)
{
    switch (s) {
    case OPR_OK:
    case OPR_CREATED: return EXIT_OK;
    case OPR_BAD_REQUEST: return EXIT_USAGE;
    case OPR_BAD_DATA:
    case OPR_TOO_LARGE: return EXIT_DATA;
    case OPR_UNAVAILABLE: return EXIT_DATA;
    case OPR_INTERNAL: return EXIT_INTERNAL;
    case OPR_UNAUTHORIZED:
    case OPR_FORBIDDEN:
    case OPR_NOT_FOUND:
    case OPR_REFUSED: return EXIT_FOUND;
    case OPR__COUNT: break;
    }
    return EXIT_INTERNAL;
}

/* "--credit-code" for the parameter credit_code. */
static void option_name(const char *param, char *out, size_t size)
{
    snprintf(out, size, "--%s", param);
    for (char *p = out + 2; *p; p++)
        if (*p == '_') *p = '-';
}

static const hq_op_param *param_by_option(const hq_op_def *def, const char *opt)
{
    char name[80];
    for (const hq_op_param *p = def->params; p->name; p++) {
        option_name(p->name, name, sizeof name);
        if (!strcmp(name, opt)) return p;
    }
    return NULL;
}

static void usage(const hq_op_def *def, FILE *f)
{
    fprintf(f, "用法: huiqi %s", def->cli);
    for (const char *r = strchr(def->route, '{'); r; r = strchr(r + 1, '{')) fprintf(f, " %.*s", (int)(strchr(r, '}') - r - 1), r + 1);
    char name[80];
    for (const hq_op_param *p = def->params; p->name; p++) {
        char brace[72];
        snprintf(brace, sizeof brace, "{%s}", p->name);
        if (strstr(def->route, brace)) continue;
        option_name(p->name, name, sizeof name);
        const char *v = p->type == PT_BOOL ? "" : p->type == PT_JSON || p->type == PT_UPLOAD ? " FILE" : " VALUE";
        fprintf(f, " %s%s%s%s", p->required ? "" : "[", name, v, p->required ? "" : "]");
    }
    fprintf(f, " [--json] [--db FILE] [--policies DIR] [--plans DIR] [--actor 操作人]\n");
    fprintf(f, "  接口: %s %s；可用角色:", def->method, def->route);
    for (int r = ROLE_NONE; r < ROLE__COUNT; r++)
        if (def->roles >> r & 1) fprintf(f, " %s", role_zh((hq_role)r));
    fprintf(f, "\n");
    for (const hq_op_param *p = def->params; p->name; p++) {
        option_name(p->name, name, sizeof name);
        fprintf(f, "  %-18s %s%s\n", name, p->zh ? p->zh : "", p->required ? "（必填）" : "");
    }
}

/* Read `path` whole (at most `max` bytes); NULL with a message. */
static char *read_file(const char *path, size_t max, size_t *len)
{
    hq_strbuf sb;
    sb_init(&sb, max);
    if (sb_read_file(&sb, path)) {
        fprintf(stderr, "%s: error: 无法读取（%s）\n", path, sb.overflow ? "文件过大" : "文件不存在或不可读");
        sb_free(&sb);
        return NULL;
    }
    *len = sb.len;
    if (!sb.data) return calloc(1, 1);
    return sb.data; /* owned by the caller now */
}

/* argv into the input document; -1 to go on, else an exit code. */
static int parse(const hq_op_def *def, int argc, char **argv, common_opts *co, json_t *in, hq_op *o, char **upload)
{
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char **common = NULL;
        if (cli_is_help(a)) {
            usage(def, stdout);
            return EXIT_OK;
        }
        if (!strcmp(a, "--json")) co->json = true;
        else if (!strcmp(a, "--admin")) co->admin = true;
        else if (!strcmp(a, "--quiet")) co->quiet = true;
        else if (!strcmp(a, "--all")) co->all = true;
        else if (!strcmp(a, "--password-stdin")) co->password_stdin = true;
        else if (!strcmp(a, "--dismissed") && param_by_option(def, "--upheld")) json_object_set_new(in, "upheld", json_false());
        else if (!strcmp(a, "--db")) common = &co->db;
        else if (!strcmp(a, "--policies")) common = &co->policies;
        else if (!strcmp(a, "--plans")) common = &co->plans;
        else if (!strcmp(a, "--actor")) common = &co->actor;
        else if (!strcmp(a, "--out")) common = &co->out;
        else if (a[0] == '-' && a[1] == '-') {
            const hq_op_param *p = param_by_option(def, a);
            if (!strcmp(a, "--department")) co->department = i + 1 < argc ? argv[i + 1] : NULL;
            if (!strcmp(a, "--format")) co->format = i + 1 < argc ? argv[i + 1] : NULL;
            if (!p && !strcmp(a, "--department")) {
                i++;
                continue;
            }
            if (!p) {
                fprintf(stderr, "huiqi %s: 未知选项「%s」\n", def->cli, a);
                usage(def, stderr);
                return EXIT_USAGE;
            }
            if (p->type == PT_BOOL) {
                json_object_set_new(in, p->name, json_true());
                continue;
            }
            if (i + 1 >= argc) {
                fprintf(stderr, "huiqi %s: %s needs a value\n", def->cli, a);
                return EXIT_USAGE;
            }
            const char *v = argv[++i];
            if (p->type == PT_JSON) {
                json_t *j = cli_read_json(v);
                if (!j) return EXIT_DATA;
                json_object_set_new(in, p->name, j);
            } else if (p->type == PT_UPLOAD) {
                size_t len;
                if (!(*upload = read_file(v, CLI_UPLOAD_MAX, &len))) return EXIT_DATA;
                o->upload = *upload;
                o->upload_len = len;
                o->upload_name = strrchr(v, '/') ? strrchr(v, '/') + 1 : v;
            } else {
                json_object_set_new(in, p->name, json_string(v));
            }
            continue;
        } else {
            co->pos[co->npos++] = a;
        }
        if (common) {
            if (i + 1 >= argc) {
                fprintf(stderr, "huiqi %s: %s needs a value\n", def->cli, a);
                return EXIT_USAGE;
            }
            *common = argv[++i];
        }
    }
    return -1;
}

/* The route's {…} parameters from the positional arguments, in order; the ones left over
 * are ids to repeat the operation for (award verbs), or the file of an upload. */
static int positionals(const hq_op_def *def, common_opts *co, json_t *in, hq_op *o, char **upload, int *first_id)
{
    int k = 0;
    *first_id = -1;
    for (const char *r = strchr(def->route, '{'); r; r = strchr(r + 1, '{')) {
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(strchr(r, '}') - r - 1), r + 1);
        if (!strcmp(name, "id")) {
            *first_id = k;
            /* An operation that takes a file for one id (material add 17 FILE): the file
             * follows the id, instead of more ids. */
            if (def->flags & OPF_UPLOAD && !o->upload && co->npos == k + 2) {
                size_t len;
                const char *path = co->pos[k + 1];
                if (!(*upload = read_file(path, CLI_UPLOAD_MAX, &len))) return EXIT_DATA;
                o->upload = *upload;
                o->upload_len = len;
                o->upload_name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
                co->npos = k + 1;
            }
            return co->npos > k || co->all ? -1 : (usage(def, stderr), EXIT_USAGE);
        }
        if (k >= co->npos) {
            fprintf(stderr, "huiqi %s: 缺少必填参数 %s（见下方用法）\n", def->cli, name);
            usage(def, stderr);
            return EXIT_USAGE;
        }
        json_object_set_new(in, name, json_string(co->pos[k++]));
    }
    if (def->flags & OPF_UPLOAD && !o->upload && k < co->npos) {
        size_t len;
        const char *path = co->pos[k++];
        if (!(*upload = read_file(path, CLI_UPLOAD_MAX, &len))) return EXIT_DATA;
        o->upload = *upload;
        o->upload_len = len;
        o->upload_name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    }
    if (k < co->npos) {
        fprintf(stderr, "huiqi %s: 多余的参数「%s」\n", def->cli, co->pos[k]);
        usage(def, stderr);
        return EXIT_USAGE;
    }
    return -1;
}

/* A refusal: every problem as "where: error: message" (file:line for imports, a JSON path
 * for entity documents), then what it amounts to. */
static void print_error(const hq_op *o)
{
    size_t i;
    json_t *e;
    json_array_foreach(o->errors, i, e) {
        const char *where = json_string_value(json_object_get(e, "where"));
        if (!where) where = json_string_value(json_object_get(e, "field"));
        fprintf(stderr, "%s: error: %s\n", where ? where : "", json_string_value(json_object_get(e, "message")));
    }
    fprintf(stderr, "%s\n", o->message);
}

/* Run one call and print its result; returns the exit code. */
static int run_one(const hq_op_def *def, hq_op_ctx *ctx, json_t *in, const hq_op *proto, const common_opts *co)
{
    hq_op o = *proto;
    o.def = def;
    o.ctx = ctx;
    o.in = in;
    ops_call(&o);
    int rc = exit_of(o.status);
    if (o.status != OPR_OK && o.status != OPR_CREATED) {
        print_error(&o);
    } else if (o.raw) {
        FILE *f = co->out ? fopen(co->out, "wb") : stdout;
        if (!f) {
            fprintf(stderr, "huiqi: 无法写入 %s\n", co->out);
            rc = EXIT_USAGE;
        } else {
            fwrite(o.raw, 1, o.raw_len, f);
            if (co->out) {
                fclose(f);
                if (!co->json) printf("已写入 %s\n", co->out);
            }
        }
    } else if (co->json) {
        json_dumpf(op_result(&o), stdout, JSON_INDENT(2));
        printf("\n");
    } else {
        rc = render_text(def->id, op_result(&o), ctx->c, stdout);
    }
    ops_free(&o);
    return rc;
}

typedef struct {
    int64_t *v;
    int n, cap;
} ids;

static bool ids_add(ids *x, int64_t id)
{
    if (x->n == x->cap) {
        if (x->cap >= CLI_MAX_IDS) return false;
        int cap = x->cap ? x->cap * 2 : 64;
        int64_t *v = realloc(x->v, sizeof *v * (size_t)cap);
        if (!v) return false;
        x->v = v;
        x->cap = cap;
    }
    x->v[x->n++] = id;
    return true;
}

/* `award pay --all`: every award payable now, as the list operation sees it. */
static int payable_ids(hq_op_ctx *ctx, ids *out)
{
    hq_op o = {.def = &OPS[OP_ID_AWARDS], .ctx = ctx, .in = json_pack("{s:b}", "payable", 1)};
    ops_call(&o);
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(o.out, "awards"), i, a) ids_add(out, json_integer_value(json_object_get(a, "id")));
    int rc = o.status == OPR_OK ? 0 : -1;
    if (rc) print_error(&o);
    ops_free(&o);
    return rc;
}

int cli_run_op(const hq_op_def *def, int argc, char **argv)
{
    common_opts co = {.pos = calloc((size_t)argc + 1, sizeof(char *))};
    json_t *in = json_object();
    if (!co.pos) return EXIT_INTERNAL;
    hq_op proto = {0};
    char *upload = NULL;
    int rc = parse(def, argc, argv, &co, in, &proto, &upload);
    int first_id = -1;
    if (rc < 0) rc = positionals(def, &co, in, &proto, &upload, &first_id);
    if (rc < 0 && co.password_stdin) {
        char line[ACCOUNT_PASSWORD_MAX + 8];
        if (!fgets(line, sizeof line, stdin)) line[0] = 0;
        line[strcspn(line, "\r\n")] = 0;
        json_object_set_new(in, "password", json_string(line));
    }
    /* A table operation's (report, payment list, plan status, performance) text table is the CLI's own format: the
     * operation gives it as a download. */
    bool tabular = def->id == OP_ID_REPORT || def->id == OP_ID_PAYMENTS || def->id == OP_ID_PLAN_STATUS ||
                   def->id == OP_ID_PERFORMANCE;
    if (rc < 0 && tabular && !co.format) json_object_set_new(in, "format", json_string(co.json ? "json" : "text"));
    if (rc < 0 && tabular && co.format && !strcmp(co.format, "table")) json_object_set_new(in, "format", json_string("text"));
    if (rc < 0 && tabular && co.format && !strcmp(co.format, "xlsx") && !co.out) {
        fprintf(stderr, "huiqi: --format xlsx 须同时给出 --out 文件名.xlsx\n");
        rc = EXIT_USAGE;
    }
    hq_corpus *c = NULL;
    hq_store *s = NULL;
    hq_vm *vm = NULL;
    if (rc < 0 && !(c = cli_load_corpus(cli_policies_dir(co.policies)))) rc = EXIT_FOUND;
    if (rc < 0 && (def->flags & OPF_STORE)) {
        if (!(co.db = cli_db(co.db))) rc = EXIT_USAGE;
        /* Verification reads only: it must work on a read-only copy and change nothing. */
        else if (!(s = def->id == OP_ID_AUDIT_VERIFY ? cli_open_store_read_only(co.db) : cli_open_store(co.db, false)))
            rc = EXIT_DATA;
    }
    if (rc < 0 && !(vm = rvm_new(c))) rc = EXIT_INTERNAL;
    /* The plans, for the operations that read them (an indicators import, plan status): a
     * plan file with errors is left out and its errors shown, as `huiqi check` would. Other
     * imports do not read them, and a corpus without plans beside it is no fault of theirs. */
    hq_plan **plans = NULL;
    int nplans = 0;
    const char *kind = json_string_value(json_object_get(in, "kind"));
    bool indicators = def->id == OP_ID_IMPORT && kind && !strcmp(kind, "indicators");
    if (rc < 0 && (indicators || def->id == OP_ID_PLAN_STATUS)) {
        hq_diag pd;
        diag_init(&pd);
        nplans = plan_load_dir(cli_plans_dir(co.plans, cli_policies_dir(co.policies)), &plans, &pd);
        if (pd.count) diag_print(&pd, stderr);
        diag_free(&pd);
        if (nplans < 0) nplans = 0;
    }
    if (rc < 0) {
        hq_op_ctx ctx = {.c = c, .plans = (const hq_plan *const *)plans, .nplans = nplans, .s = s, .vm = vm, .db_path = co.db,
                         .progress = !co.quiet && !co.json && isatty(2) ? stderr : NULL};
        ctx.who.role = ROLE_ADMIN;
        ctx.who.acting_admin = co.admin;
        snprintf(ctx.who.actor, sizeof ctx.who.actor, "%s", cli_actor(co.actor));
        snprintf(ctx.who.username, sizeof ctx.who.username, "%s", ctx.who.actor);
        snprintf(ctx.who.department, sizeof ctx.who.department, "%s", co.department ? co.department : "");
        if (first_id < 0) {
            rc = run_one(def, &ctx, in, &proto, &co);
            in = NULL;
        } else {
            ids list = {0};
            rc = EXIT_OK;
            for (int i = first_id; i < co.npos && rc == EXIT_OK; i++) {
                long long v;
                if (!cli_int("编号", co.pos[i], 1, INT64_MAX, &v) || !ids_add(&list, v)) rc = EXIT_USAGE;
            }
            if (rc == EXIT_OK && co.all && payable_ids(&ctx, &list)) rc = EXIT_INTERNAL;
            if (rc == EXIT_OK && list.n == 0 && co.all) printf("没有可兑付的奖补\n");
            else if (rc == EXIT_OK && list.n == 0) {
                fprintf(stderr, "huiqi %s: 未给出奖补编号\n", def->cli);
                rc = EXIT_USAGE;
            }
            for (int i = 0; rc != EXIT_USAGE && i < list.n; i++) {
                json_t *one = json_deep_copy(in);
                json_object_set_new(one, "id", json_integer(list.v[i]));
                int r = run_one(def, &ctx, one, &proto, &co);
                if (r > rc) rc = r;
            }
            free(list.v);
        }
    }
    json_decref(in);
    free(co.pos);
    free(upload);
    rvm_free(vm);
    if (s) store_close(s);
    corpus_free(c);
    for (int i = 0; i < nplans; i++) plan_free(plans[i]);
    free(plans);
    return rc;
}
