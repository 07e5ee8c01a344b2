/*
 * The ledger's sense of "now": timestamps for the audit log and workflow, and "today" for
 * the rules that depend on the calendar (数据核校 items open the year after their data
 * year; imported dates may not lie in the future; 公示 ends on a date). Wenzhou time
 * (UTC+8) is used throughout. HUIQI_NOW (e.g. "2022-03-01T09:30:00+08:00" or "2022-03-01")
 * fixes the clock, so that tests and the demo are reproducible; HUIQI_NOW=@FILE reads the
 * time from FILE's first line at every call, so a test can move a running server's clock.
 */
#ifndef HQ_CLOCK_H
#define HQ_CLOCK_H

/* "YYYY-MM-DDTHH:MM:SS+08:00" into out (at least 32 bytes). */
void clock_now(char *out, unsigned size);
/* Today's date as "YYYY-MM-DD" into out (at least 11 bytes), and its year. */
int clock_today(char *out, unsigned size);

#endif
