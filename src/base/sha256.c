/*
 * SHA-256 as hex and HMAC-SHA256; see sha256.h.
 */
#include "base/sha256.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

enum { BLOCK = 64 };

void hq_hex(const unsigned char *bytes, size_t n, char *out)
{
    static const char DIGITS[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = DIGITS[bytes[i] >> 4];
        out[2 * i + 1] = DIGITS[bytes[i] & 15];
    }
    out[2 * n] = 0;
}

/* SHA-256 fetched from the provider once: EVP_sha256() is fetched again, under OpenSSL's
 * locks, on every digest, which shows when every result of an assessment gets a decision id.
 * Kept for the life of the process. */
static EVP_MD *sha256_md;
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;

static void sha256_fetch(void)
{
    sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
}

void hq_sha256(const void *data, size_t len, unsigned char out[32])
{
    pthread_once(&sha256_once, sha256_fetch);
    unsigned int dl = 0;
    EVP_Digest(data, len, out, &dl, sha256_md ? sha256_md : EVP_sha256(), NULL);
}

void hq_sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char d[32];
    hq_sha256(data, len, d);
    hq_hex(d, 32, out);
}

/* SHA-256 over a 64-byte pad followed by the data. */
static void padded_hash(const unsigned char pad[BLOCK], const void *data, size_t len, unsigned char out[32])
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned int dl = 0;
    EVP_DigestInit_ex(md, EVP_sha256(), NULL);
    EVP_DigestUpdate(md, pad, BLOCK);
    EVP_DigestUpdate(md, data, len);
    EVP_DigestFinal_ex(md, out, &dl);
    EVP_MD_CTX_free(md);
}

void hq_hmac_sha256(const void *key, size_t klen, const void *data, size_t len, unsigned char out[32])
{
    unsigned char k[BLOCK] = {0}, ipad[BLOCK], opad[BLOCK], inner[32];
    if (klen > BLOCK) {
        unsigned int dl = 0;
        EVP_Digest(key, klen, k, &dl, EVP_sha256(), NULL);
    } else if (klen) {
        memcpy(k, key, klen);
    }
    for (int i = 0; i < BLOCK; i++) {
        ipad[i] = k[i] ^ 0x36;
        opad[i] = k[i] ^ 0x5c;
    }
    padded_hash(ipad, data, len, inner);
    padded_hash(opad, inner, sizeof inner, out);
}
