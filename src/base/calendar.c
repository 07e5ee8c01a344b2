/*
 * Days from civil dates and back (Howard Hinnant's algorithms); see calendar.h.
 */
#include "base/calendar.h"

#include <stdio.h>
#include <string.h>

long cal_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void cal_civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

bool cal_valid_date(int y, int m, int d)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1) return false;
    int lim = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    return d <= lim;
}

bool cal_valid_text(const char *s)
{
    int y, m, d;
    char tail;
    return s && strlen(s) == 10 && s[4] == '-' && s[7] == '-' && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 &&
           cal_valid_date(y, m, d);
}

long cal_days_from_text(const char *s)
{
    int y = 0, m = 0, d = 0;
    sscanf(s, "%4d-%2d-%2d", &y, &m, &d);
    return cal_days_from_civil(y, m, d);
}

long cal_weekdays(long from, long to)
{
    if (to < from) return 0;
    /* 1970-01-01 was a Thursday: day n is a weekday when (n + 3) mod 7 < 5 (Monday = 0). */
    long n = 0;
    long full = (to - from + 1) / 7;
    n += full * 5;
    for (long day = from + full * 7; day <= to; day++) {
        long wd = ((day + 3) % 7 + 7) % 7;
        n += wd < 5;
    }
    return n;
}
