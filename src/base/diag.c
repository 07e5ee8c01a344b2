/*
 * Diagnostic list; see diag.h.
 */
#include "base/diag.h"

#include <errno.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void diag_init(hq_diag *d)
{
    memset(d, 0, sizeof *d);
}

void diag_free(hq_diag *d)
{
    int n = d->count < HQ_DIAG_MAX ? d->count : HQ_DIAG_MAX;
    for (int i = 0; i < n; i++) {
        free(d->items[i].where);
        free(d->items[i].message);
    }
    diag_init(d);
}

static char *vformat(const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0) return NULL;
    char *s = malloc((size_t)n + 1);
    if (s) vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

static void diag_push(hq_diag *d, char *where, char *msg)
{
    if (d->count < HQ_DIAG_MAX) {
        d->items[d->count].where = where;
        d->items[d->count].message = msg;
    } else {
        free(where);
        free(msg);
    }
    d->count++;
}

void diag_add(hq_diag *d, const char *where, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = vformat(fmt, ap);
    va_end(ap);
    diag_push(d, strdup(where ? where : ""), msg);
}

void diag_at(hq_diag *d, const char *file, int line, int col, const char *fmt, ...)
{
    char where[512];
    snprintf(where, sizeof where, "%s:%d:%d", file ? file : "<input>", line, col);
    va_list ap;
    va_start(ap, fmt);
    char *msg = vformat(fmt, ap);
    va_end(ap);
    diag_push(d, strdup(where), msg);
}

void diag_print(const hq_diag *d, FILE *out)
{
    int n = d->count < HQ_DIAG_MAX ? d->count : HQ_DIAG_MAX;
    for (int i = 0; i < n; i++)
        fprintf(out, "%s: error: %s\n", d->items[i].where, d->items[i].message ? d->items[i].message : "");
    if (d->count > n) fprintf(out, "... and %d more errors\n", d->count - n);
}

const char *diag_errno_zh(int err, char *buf, unsigned size)
{
    switch (err) {
    case ENOENT: return "文件或目录不存在";
    case EACCES:
    case EPERM: return "没有权限";
    case ENOSPC: return "磁盘空间已满";
    case EDQUOT: return "超出磁盘配额";
    case EROFS: return "文件系统只读";
    case EISDIR: return "是一个目录";
    case ENOTDIR: return "路径中有一段不是目录";
    case EEXIST: return "已经存在";
    case EMFILE:
    case ENFILE: return "打开的文件过多";
    case ENOMEM: return "内存不足";
    case EIO: return "读写设备出错";
    case EFBIG: return "文件过大";
    case EADDRINUSE: return "地址或端口已被占用";
    case EADDRNOTAVAIL: return "本机没有这个地址";
    case EINVAL: return "参数无效";
    case EAGAIN: return "资源暂时不可用";
    case EILSEQ: return "含有无法转换的字符";
    default: snprintf(buf, size, "系统错误（编号 %d）", err); return buf;
    }
}
