/*
 * The web UI's files, served from the web directory (--web, default ./web): no build
 * step, so what is in the repository is what the browser gets. Paths are confined to that
 * directory (no "..", no hidden files, no symbolic links), and each file has a fixed
 * content type.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* The file at url under the web directory, opened only if no symbolic link stands anywhere
 * on its way (a link in web/ could otherwise serve any file the server can read): the path
 * resolved must be the path written, and the last step is opened with O_NOFOLLOW. */
static FILE *open_confined(const char *web_dir, const char *url, char *path, size_t size)
{
    char root[PATH_MAX], real[PATH_MAX];
    if (!realpath(web_dir, root)) return NULL;
    snprintf(path, size, "%s%s", root, url);
    if (!realpath(path, real) || strcmp(real, path)) return NULL;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    FILE *f = fd >= 0 ? fdopen(fd, "rb") : NULL;
    if (fd >= 0 && !f) close(fd);
    return f;
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
    char path[PATH_MAX + 256];
    FILE *f = type ? open_confined(http_config(r)->web_dir, url, path, sizeof path) : NULL;
    struct stat st;
    if (f && (fstat(fileno(f), &st) || !S_ISREG(st.st_mode) || st.st_size >= STATIC_MAX_BYTES)) {
        fclose(f);
        f = NULL;
    }
    if (!f) {
        http_error(r, 404, "not_found", NULL, "没有这个页面");
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
