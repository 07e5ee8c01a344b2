/*
 * Wall clock with a test override; see clock.h.
 */
#include "ledger/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rules/rlex.h"

/* HUIQI_NOW=@FILE: the time is the first line of FILE, read at every call. A browser test
 * drives one server through a 公示 period, which no fixed clock can do: the test moves the
 * time by rewriting the file. */
static const char *clock_from_file(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    const char *line = fgets(buf, (int)size, f);
    fclose(f);
    if (!line) return NULL;
    buf[strcspn(buf, "\r\n")] = 0;
    return buf;
}

void clock_now(char *out, unsigned size)
{
    const char *fixed = getenv("HUIQI_NOW");
    char line[64];
    if (fixed && fixed[0] == '@') fixed = clock_from_file(fixed + 1, line, sizeof line);
    if (fixed && strlen(fixed) >= 10) {
        if (strlen(fixed) == 10) snprintf(out, size, "%sT09:00:00+08:00", fixed);
        else snprintf(out, size, "%s", fixed);
        return;
    }
    time_t t = time(NULL) + 8 * 3600;
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02d+08:00", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
             tm.tm_min, tm.tm_sec);
}

int clock_today(char *out, unsigned size)
{
    char now[40];
    clock_now(now, sizeof now);
    snprintf(out, size, "%.10s", now);
    return atoi(now);
}
