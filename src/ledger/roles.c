/*
 * The roles' names; see roles.h.
 */
#include "ledger/roles.h"

#include <string.h>

static const struct {
    const char *code, *zh;
} ROLE[ROLE__COUNT] = {
#define X(id, code, zh) [ROLE_##id] = {code, zh},
    HQ_ROLES(X)
#undef X
};

const char *role_code(hq_role r)
{
    return (unsigned)r < ROLE__COUNT ? ROLE[r].code : "?";
}

const char *role_zh(hq_role r)
{
    return (unsigned)r < ROLE__COUNT ? ROLE[r].zh : "?";
}

hq_role role_parse(const char *s)
{
    for (int i = ROLE_ENTERPRISE; i < ROLE__COUNT; i++)
        if (s && (!strcmp(s, ROLE[i].code) || !strcmp(s, ROLE[i].zh))) return (hq_role)i;
    return ROLE_NONE;
}
