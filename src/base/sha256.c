/*
 * SHA-256 as hex; see sha256.h.
 */
#include "base/sha256.h"

#include <openssl/evp.h>
#include <stdio.h>

void hq_sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char d[32];
    unsigned int dl = 0;
    EVP_Digest(data, len, d, &dl, EVP_sha256(), NULL);
    for (int i = 0; i < 32; i++) snprintf(out + 2 * i, 3, "%02x", d[i]);
}
