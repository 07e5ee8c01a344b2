/*
 * The web UI's files, served from the web directory (--web, default ./web): no build
 * step, so what is in the repository is what the browser gets. Paths are confined to that
 * directory (no "..", no hidden files), and each file has a fixed content type.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "http/http.h"

enum { STATIC_MAX_BYTES = 8 << 20 };

static const char *content_type(const char *path)
{
    static const struct {
        const char *ext, *type;
    } T[] = {
        {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
        {".svg", "image/svg+xml"},             {".png", "image/png"},                      {".json", "application/json"},
        {".ico", "image/x-icon"},              {".txt", "text/plain; charset=utf-8"},
    };
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof T / sizeof *T; i++)
        if (!strcmp(dot, T[i].ext)) return T[i].type;
    return NULL;
}

void static_file(hq_req *r)
{
    const char *url = r->url;
    if (!strcmp(url, "/")) url = "/index.html";
    if (strstr(url, "/.") || strstr(url, "..") || strlen(url) > 200) {
        http_error(r, 404, "not_found", NULL, "没有这个页面");
        return;
    }
    const char *type = content_type(url);
    char path[512];
    snprintf(path, sizeof path, "%s%s", http_config(r)->web_dir, url);
    struct stat st;
    FILE *f = type && stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size < STATIC_MAX_BYTES ? fopen(path, "rb") : NULL;
    if (!f) {
        http_error(r, 404, "not_found", NULL, "没有这个页面：%s", r->url);
        return;
    }
    char *buf = malloc((size_t)st.st_size + 1);
    size_t n = buf ? fread(buf, 1, (size_t)st.st_size, f) : 0;
    fclose(f);
    if (!buf) {
        http_error(r, 500, "internal", NULL, "内存不足");
        return;
    }
    http_raw(r, 200, type, buf, n);
}
