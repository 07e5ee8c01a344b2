/*
 * Progress of a long job (an import, matching, batch evaluation, what-if pricing), told to
 * whoever is waiting: a bar with rate and time left on a terminal, and/or a counter that
 * a background job exposes to the web page that started it. One hq_progress per job, on
 * the stack of the function that runs it; it owns nothing.
 *
 * The bar is drawn at most PROGRESS_HZ times a second (a city-sized import reports every
 * few thousand rows; redrawing each time would cost more than the rows) and always at the
 * end, which also ends the line. Text is Chinese; the unit names what is counted (行, 户).
 */
#ifndef HQ_PROGRESS_H
#define HQ_PROGRESS_H
#include <stdio.h>
#include <time.h>

enum { PROGRESS_HZ = 8 };

typedef void (*hq_progress_fn)(void *ud, long long done, long long total);

typedef struct {
    FILE *bar;           /* a terminal, or NULL for no bar */
    hq_progress_fn on;   /* a background job's counter, or NULL */
    void *ud;
    const char *label;   /* 导入中, 匹配中 … */
    const char *unit;    /* 行, 户 … */
    struct timespec start, drawn;
    int drew;            /* a bar line is open on the terminal */
} hq_progress;

/* Start timing now. `bar` and `on` may both be NULL: then updates cost a comparison. */
void progress_start(hq_progress *p, FILE *bar, hq_progress_fn on, void *ud, const char *label, const char *unit);
/* `done` of `total` units. The bar shows `items` counted in the unit with their rate (pass
 * done again when the units are the items; batch evaluation counts bytes read for the
 * share and entities for the rate). */
void progress_update(hq_progress *p, long long done, long long total, long long items);
/* The job is over: a last bar at its final figures (when one was drawn) and a newline. */
void progress_finish(hq_progress *p, long long items);

#endif
