/*
 * GB 32100-2015 check-character validation; see uscc.h.
 */
#include "facts/uscc.h"

#include <string.h>

static const char ALPHABET[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int WEIGHTS[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

static int value_of(char ch)
{
    const char *p = ch ? strchr(ALPHABET, ch) : NULL;
    return p ? (int)(p - ALPHABET) : -1;
}

const char *uscc_check(const char *code, char *expected)
{
    *expected = '\0';
    if (strlen(code) != 18) return "应为18位";
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        int v = value_of(code[i]);
        if (v < 0) return "含有 GB 32100 不允许的字符（只能是数字0-9和除 I、O、S、V、Z 外的大写字母）";
        sum += v * WEIGHTS[i];
    }
    int check = 31 - sum % 31;
    if (check == 31) check = 0;
    if (value_of(code[17]) != check) {
        *expected = ALPHABET[check];
        return "校验位错误";
    }
    return NULL;
}
