/*
 * The sizes of the names that cross layers and are kept in fixed buffers: a part's label
 * (from the rules), a project's name and a recognition's subject (rules and input), and the
 * project instance key built from them ("工业设计中心·温州示例设计中心"). The checker and every
 * input (entity JSON, history, imports) refuse what does not fit, so no layer has to
 * truncate — a truncated label or key would silently stop matching its history.
 */
#ifndef HQ_LIMITS_H
#define HQ_LIMITS_H

enum {
    HQ_LABEL_MAX = 192,   /* a part's label, bytes with the NUL */
    HQ_NAME_MAX = 121,    /* a project name, a recognition's subject */
    HQ_KEY_MAX = 256,     /* NAME "·" VALUE: a project instance key */
};

#endif
