/*
 * The operation table, expanded from HQ_OPS (ops.h), and the two ways in: by CLI command
 * words and by HTTP method and path.
 */
#include <string.h>

#include "ops/handlers.h"

const hq_op_param P_NONE[] = {{.name = NULL}};

const hq_op_def OPS[OP_ID__COUNT] = {
#define X(id, cli, zh, method, route, roles, flags, params, fn) \
    [OP_ID_##id] = {OP_ID_##id, #id, cli, zh, method, route, roles, flags, params, fn},
    HQ_OPS(X)
#undef X
};

const hq_op_def *ops_by_cli(int argc, char **argv, int *words)
{
    const hq_op_def *best = NULL;
    for (int i = 0; i < OP_ID__COUNT; i++) {
        const char *cli = OPS[i].cli, *sp = strchr(cli, ' ');
        if (!sp && argc >= 1 && !strcmp(argv[0], cli)) {
            best = &OPS[i];
            *words = 1;
        } else if (sp && argc >= 2 && strlen(argv[0]) == (size_t)(sp - cli) && !strncmp(argv[0], cli, (size_t)(sp - cli)) &&
                   !strcmp(argv[1], sp + 1)) {
            *words = 2;
            return &OPS[i];
        }
    }
    return best;
}

/* Match `path` against `route`: literal text, and {name} segments put into `in` as strings. */
static bool route_match(const char *route, const char *path, json_t *in)
{
    const char *r = route, *p = path;
    while (*r && *p) {
        if (*r == '{') {
            const char *close = strchr(r, '}');
            const char *end = strchr(p, '/');
            size_t n = end ? (size_t)(end - p) : strlen(p);
            if (!close || n == 0 || n > 256) return false;
            if (in) {
                char name[64], val[257];
                snprintf(name, sizeof name, "%.*s", (int)(close - r - 1), r + 1);
                snprintf(val, sizeof val, "%.*s", (int)n, p);
                json_object_set_new(in, name, json_string(val));
            }
            r = close + 1;
            p += n;
        } else if (*r++ != *p++) {
            return false;
        }
    }
    return !*r && !*p;
}

const hq_op_def *ops_by_route(const char *method, const char *path, json_t *in, bool *path_known, char *allow, size_t allow_size)
{
    *path_known = false;
    if (allow_size) allow[0] = 0;
    for (int i = 0; i < OP_ID__COUNT; i++) {
        if (!route_match(OPS[i].route, path, NULL)) continue;
        if (!strcmp(OPS[i].method, method)) {
            route_match(OPS[i].route, path, in);
            return &OPS[i];
        }
        *path_known = true;
        if (!strstr(allow, OPS[i].method))
            snprintf(allow + strlen(allow), allow_size - strlen(allow), "%s%s", allow[0] ? ", " : "", OPS[i].method);
    }
    return NULL;
}
