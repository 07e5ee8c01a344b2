/*
 * SHA-256 of a buffer as 64 lowercase hex digits (OpenSSL's EVP digest): what identifies an
 * imported file, an uploaded material and a session token at rest.
 */
#ifndef HQ_SHA256_H
#define HQ_SHA256_H
#include <stddef.h>

void hq_sha256_hex(const void *data, size_t len, char out[65]);

#endif
