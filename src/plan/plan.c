/*
 * The plan model's lifetime and lookups (plan.h). A plan's strings and arrays all live in
 * its arena, so plan_free() is one call however the plan was built.
 */
#include "plan/plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A transcribed table is a few hundred rows; 64 MiB leaves room for large plans while a
 * hostile file still cannot take the process's memory. */
enum { PLAN_ARENA_LIMIT = 64 << 20 };

hq_plan *plan_new(const char *file)
{
    hq_arena *a = arena_new(PLAN_ARENA_LIMIT);
    if (!a) return NULL;
    hq_plan *p = arena_alloc(a, sizeof *p);
    if (!p) {
        arena_free(a);
        return NULL;
    }
    p->arena = a;
    p->file = arena_strdup(a, file ? file : "");
    return p;
}

void plan_free(hq_plan *p)
{
    if (p) arena_free(p->arena);
}

const plan_indicator *plan_find_indicator(const hq_plan *p, const char *id)
{
    for (int i = 0; i < p->nindicators; i++)
        if (strcmp(p->indicators[i].id, id) == 0) return &p->indicators[i];
    return NULL;
}

const plan_observation *plan_find_observation(const hq_plan *p, const char *id)
{
    for (int i = 0; i < p->nobservations; i++)
        if (strcmp(p->observations[i].id, id) == 0) return &p->observations[i];
    return NULL;
}

const plan_project *plan_find_project(const hq_plan *p, int number)
{
    for (int i = 0; i < p->nprojects; i++)
        if (p->projects[i].number == number) return &p->projects[i];
    return NULL;
}

const plan_link *plan_find_link(const hq_plan *p, const char *name)
{
    for (int i = 0; i < p->nlinks; i++)
        if (strcmp(p->links[i].name, name) == 0) return &p->links[i];
    return NULL;
}

int plan_area_index(const hq_plan *p, const char *area)
{
    for (int i = 0; i < p->nareas; i++)
        if (strcmp(p->areas[i], area) == 0) return i;
    return -1;
}

const plan_target *plan_area_target(const hq_plan *p, const plan_indicator *ind, const char *area)
{
    int i = plan_area_index(p, area);
    if (i < 0 || !ind->area_targets) return NULL;
    return &ind->area_targets[i];
}

const char *plan_target_kind_name(plan_target_kind k)
{
    switch (k) {
    case PLAN_TARGET_EXACT: return "目标值";
    case PLAN_TARGET_ASPIRE: return "力争";
    case PLAN_TARGET_APPROX: return "左右";
    case PLAN_TARGET_AT_LEAST: return "以上";
    case PLAN_TARGET_AT_MOST: return "以下";
    case PLAN_TARGET_PROVINCE_SET: return "省下目标";
    case PLAN_TARGET_NONE: return "无";
    }
    return "?";
}

void plan_target_format(const plan_target *t, char *out, size_t size)
{
    char v[48];
    fixed_format_short(t->value, false, v, sizeof v);
    switch (t->kind) {
    case PLAN_TARGET_EXACT: snprintf(out, size, "%s", v); break;
    case PLAN_TARGET_ASPIRE: snprintf(out, size, "力争 %s", v); break;
    case PLAN_TARGET_APPROX: snprintf(out, size, "%s 左右", v); break;
    case PLAN_TARGET_AT_LEAST: snprintf(out, size, "%s 以上", v); break;
    case PLAN_TARGET_AT_MOST: snprintf(out, size, "%s 以下", v); break;
    case PLAN_TARGET_PROVINCE_SET: snprintf(out, size, "省下目标"); break;
    case PLAN_TARGET_NONE: snprintf(out, size, "—"); break;
    }
}
