/*
 * The storage interface's dispatch: each store_X() forwards to the back end's table, so the
 * ledger is written once against store.h and never against a particular database; and the
 * award states' names, which every back end stores. Choosing a back end is open.c's: the
 * back ends use this file, and this file uses none of them.
 */
#include "store/store.h"

#include <stdio.h>
#include <string.h>

#define X(ret, name, params, args) \
    ret store_##name params { return s->ops->name args; }
HQ_STORE_OPS(X)
#undef X

static const char *const STATE_CODE[] = {
#define X(id, code, zh) code,
    HQ_AWARD_STATES(X)
#undef X
};
static const char *const STATE_ZH[] = {
#define X(id, code, zh) zh,
    HQ_AWARD_STATES(X)
#undef X
};

const char *award_state_code(hq_award_state s)
{
    return (unsigned)s < AWARD__COUNT ? STATE_CODE[s] : "?";
}

const char *award_state_zh(hq_award_state s)
{
    return (unsigned)s < AWARD__COUNT ? STATE_ZH[s] : "?";
}

void award_states_text(unsigned states, char *out, size_t size)
{
    size_t n = (size_t)snprintf(out, size, ",");
    for (int i = 0; i < AWARD__COUNT && n < size; i++)
        if (states >> i & 1) n += (size_t)snprintf(out + n, size - n, "%s,", STATE_CODE[i]);
}

int award_state_parse(const char *s)
{
    for (int i = 0; i < AWARD__COUNT; i++)
        if (!strcmp(s, STATE_CODE[i]) || !strcmp(s, STATE_ZH[i])) return i;
    return -1;
}
