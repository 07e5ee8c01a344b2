/*
 * SHA-256 of a buffer as 64 lowercase hex digits (OpenSSL's EVP digest): what identifies an
 * imported file, an uploaded material and a session token at rest. HMAC-SHA256 (RFC 2104)
 * keys the audit chain with a secret kept outside the database.
 */
#ifndef HQ_SHA256_H
#define HQ_SHA256_H
#include <stddef.h>

void hq_sha256_hex(const void *data, size_t len, char out[65]);
/* The 32-byte digest. Thread-safe. */
void hq_sha256(const void *data, size_t len, unsigned char out[32]);

/* HMAC-SHA256 of `len` bytes under a key of any length (longer than the 64-byte block: hashed
 * first, as RFC 2104 says). */
void hq_hmac_sha256(const void *key, size_t klen, const void *data, size_t len, unsigned char out[32]);

/* `n` bytes as 2n lowercase hex digits and a NUL. */
void hq_hex(const unsigned char *bytes, size_t n, char *out);

#endif
