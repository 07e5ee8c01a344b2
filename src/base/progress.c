/*
 * Progress bars and job counters; the contract is in progress.h. Time left is the
 * remaining share at the average rate so far, which on these jobs (uniform rows) is a
 * fair guess after the first second and needs no smoothing state.
 */
#include "base/progress.h"

#include <string.h>

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

void progress_start(hq_progress *p, FILE *bar, hq_progress_fn on, void *ud, const char *label, const char *unit)
{
    memset(p, 0, sizeof *p);
    p->bar = bar;
    p->on = on;
    p->ud = ud;
    p->label = label;
    p->unit = unit;
    clock_gettime(CLOCK_MONOTONIC, &p->start);
}

/* "1小时2分", "3分5秒", "12秒": the largest two units that matter. */
static void duration_zh(double secs, char *out, size_t size)
{
    long s = secs < 0 ? 0 : (long)(secs + 0.5);
    if (s >= 3600) snprintf(out, size, "%ld小时%ld分", s / 3600, s % 3600 / 60);
    else if (s >= 60) snprintf(out, size, "%ld分%ld秒", s / 60, s % 60);
    else snprintf(out, size, "%ld秒", s);
}

static void draw(hq_progress *p, long long done, long long total, long long items, double secs, int last)
{
    enum { WIDTH = 30 };
    int full = total > 0 ? (int)(done * WIDTH / total) : WIDTH;
    char bar[WIDTH + 1];
    for (int i = 0; i < WIDTH; i++) bar[i] = i < full ? '#' : '.';
    bar[WIDTH] = 0;
    double rate = secs > 0 ? (double)items / secs : 0;
    char when[32];
    if (last) duration_zh(secs, when, sizeof when);
    else if (done > 0 && total > done) duration_zh(secs * (double)(total - done) / (double)done, when, sizeof when);
    else snprintf(when, sizeof when, "—");
    fprintf(p->bar, "\r%s [%s] %3lld%%  %lld %s  %.0f %s/秒  %s%s \033[K", p->label, bar, total > 0 ? done * 100 / total : 100,
            items, p->unit, rate, p->unit, last ? "用时 " : "剩余 ", when);
    if (last) fputc('\n', p->bar);
    fflush(p->bar);
    p->drew = !last;
}

void progress_update(hq_progress *p, long long done, long long total, long long items)
{
    if (p->on) p->on(p->ud, done, total);
    if (!p->bar) return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double since = (double)(now.tv_sec - p->drawn.tv_sec) + (double)(now.tv_nsec - p->drawn.tv_nsec) / 1e9;
    if (p->drew && since < 1.0 / PROGRESS_HZ) return;
    p->drawn = now;
    draw(p, done, total, items, seconds_since(&p->start), 0);
    p->drew = 1;
}

void progress_finish(hq_progress *p, long long items)
{
    if (!p->bar || !p->drew) return;
    draw(p, 1, 1, items, seconds_since(&p->start), 1);
}
