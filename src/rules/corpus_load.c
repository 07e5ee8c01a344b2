/*
 * Loading a corpus: read every *.hq file of a directory in name order, parse them all, then
 * check and compile, and hash the bytes that were read. The order matters only for the
 * hash and for the order of items in listings (documents sort by file name, items keep
 * their order in the file).
 */
#include "rules/corpus.h"

#include <dirent.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/strbuf.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

/* The .hq files to read: `path` itself, or the *.hq entries of the directory, sorted. */
static int list_files(const char *path, char **out, int max, hq_diag *diag)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        diag_add(diag, path, "无法打开：%s", HQ_ERRNO_ZH(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        out[0] = strdup(path);
        return 1;
    }
    DIR *d = opendir(path);
    if (!d) {
        diag_add(diag, path, "无法打开目录：%s", HQ_ERRNO_ZH(errno));
        return -1;
    }
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || !has_suffix(e->d_name, ".hq")) continue;
        if (n == max) {
            diag_add(diag, path, "more than %d rule files", max);
            break;
        }
        size_t len = strlen(path) + strlen(e->d_name) + 2;
        out[n] = malloc(len);
        if (!out[n]) break;
        snprintf(out[n], len, "%s%s%s", path, has_suffix(path, "/") ? "" : "/", e->d_name);
        n++;
    }
    closedir(d);
    qsort(out, (size_t)n, sizeof *out, cmp_str);
    if (n == 0) diag_add(diag, path, "no .hq rule files found");
    return n;
}

hq_corpus *corpus_load(const char *path, hq_diag *diag)
{
    char *files[HQ_MAX_FILES];
    int nfiles = list_files(path, files, HQ_MAX_FILES, diag);
    if (nfiles <= 0) return NULL;
    hq_corpus *c = corpus_new();
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (!c || !md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
        diag_add(diag, path, "out of memory");
        goto fail;
    }
    for (int i = 0; i < nfiles; i++) {
        hq_strbuf sb;
        sb_init(&sb, HQ_MAX_FILE_BYTES);
        if (sb_read_file(&sb, files[i]) != 0) {
            diag_add(diag, files[i], "无法读取：%s", errno == EFBIG ? "文件超过 8 MiB" : HQ_ERRNO_ZH(errno));
            sb_free(&sb);
            continue;
        }
        /* The text must outlive parsing: token spans point into it. */
        char *text = arena_strndup(c->arena, sb.data, sb.len);
        const char *base = strrchr(files[i], '/');
        base = base ? base + 1 : files[i];
        EVP_DigestUpdate(md, base, strlen(base) + 1);
        EVP_DigestUpdate(md, sb.data, sb.len);
        if (text) rparse_file(c, files[i], text, sb.len, diag);
        sb_free(&sb);
    }
    unsigned char digest[32];
    unsigned int dlen = 0;
    EVP_DigestFinal_ex(md, digest, &dlen);
    for (unsigned i = 0; i < dlen && i < 32; i++) snprintf(c->hash + 2 * i, 3, "%02x", digest[i]);
    if (diag->count) goto fail;
    rcheck_corpus(c, diag);
    if (diag->count) goto fail;
    rcode_corpus(c, diag);
    if (diag->count) goto fail;
    EVP_MD_CTX_free(md);
    for (int i = 0; i < nfiles; i++) free(files[i]);
    return c;
fail:
    EVP_MD_CTX_free(md);
    for (int i = 0; i < nfiles; i++) free(files[i]);
    corpus_free(c);
    return NULL;
}
