/*
 * `huiqi ops`: the operation table itself (ops/ops.h) — each operation's command, route,
 * roles and parameters — for people and, with --json, for the tests that walk it and for
 * the reference in docs/api.md.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "ops/ops.h"

static const char *const PT_NAME[] = {
    [PT_STR] = "string", [PT_INT] = "integer", [PT_YEAR] = "year", [PT_ID] = "id", [PT_BOOL] = "boolean",
    [PT_MONEY] = "money", [PT_RATE] = "rate", [PT_DATE] = "date", [PT_JSON] = "json", [PT_UPLOAD] = "file",
};

static json_t *op_json_of(const hq_op_def *d)
{
    json_t *roles = json_array(), *params = json_array();
    for (int r = ROLE_NONE; r < ROLE__COUNT; r++)
        if (d->roles >> r & 1) json_array_append_new(roles, json_string(role_code((hq_role)r)));
    for (const hq_op_param *p = d->params; p->name; p++)
        json_array_append_new(params, json_pack("{s:s, s:s, s:b, s:s}", "name", p->name, "type", PT_NAME[p->type], "required",
                                                p->required, "zh", p->zh ? p->zh : ""));
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:b, s:b, s:b, s:o}", "name", d->name, "cli", d->cli, "zh", d->zh,
                     "method", d->method,
                     "route", d->route, "roles", roles, "store", (d->flags & OPF_STORE) != 0, "write", (d->flags & OPF_WRITE) != 0,
                     "upload", (d->flags & OPF_UPLOAD) != 0, "params", params);
}

int cmd_ops(int argc, char **argv)
{
    bool json = false;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            printf("用法: huiqi ops [--json]\n  列出全部操作: 命令、接口、可用角色与参数 (the operation table).\n");
            return EXIT_OK;
        }
        if (!strcmp(argv[i], "--json")) json = true;
        else {
            fprintf(stderr, "huiqi ops: 多余的参数「%s」\n", argv[i]);
            return EXIT_USAGE;
        }
    }
    if (json) {
        json_t *arr = json_array();
        for (int i = 0; i < OP_ID__COUNT; i++) json_array_append_new(arr, op_json_of(&OPS[i]));
        json_t *doc = json_pack("{s:o}", "operations", arr);
        json_dumpf(doc, stdout, JSON_INDENT(2));
        json_decref(doc);
        printf("\n");
        return EXIT_OK;
    }
    for (int i = 0; i < OP_ID__COUNT; i++) {
        const hq_op_def *d = &OPS[i];
        printf("%-18s %-5s %-34s", d->cli, d->method, d->route);
        for (int r = ROLE_NONE; r < ROLE__COUNT; r++)
            if (d->roles >> r & 1) printf(" %s", role_zh((hq_role)r));
        printf("  —— %s\n", d->zh);
    }
    return EXIT_OK;
}
