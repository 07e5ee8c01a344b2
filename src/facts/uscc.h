/*
 * The unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters from the
 * 31-character alphabet 0-9 A-H J-N P-R T U W X Y, the last being a check character over the
 * first 17 (weights 3^i mod 31).
 */
#ifndef HQ_USCC_H
#define HQ_USCC_H
#include <stdbool.h>

/* 0 if valid. Otherwise a static message; *expected gets the right check character when
 * only the check character is wrong (else '\0'). */
const char *uscc_check(const char *code, char *expected);

#endif
