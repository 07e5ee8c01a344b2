/*
 * Unit tests for HMAC-SHA256 (base/sha256.c), which keys the audit chain: the test vectors
 * of RFC 4231 (cases 1–4, 6 and 7; case 5 checks a truncated output, which huiqi never uses).
 */
#include "helpers.h"

#include "base/sha256.h"

static void check(const void *key, size_t klen, const void *data, size_t len, const char *want)
{
    unsigned char mac[32];
    char hex[65];
    hq_hmac_sha256(key, klen, data, len, mac);
    hq_hex(mac, sizeof mac, hex);
    assert_string_equal(hex, want);
}

static void rfc4231_short_keys(void **state)
{
    (void)state;
    unsigned char k1[20], k3[20], k4[25], d3[50], d4[50];
    memset(k1, 0x0b, sizeof k1);
    check(k1, sizeof k1, "Hi There", 8, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    check("Jefe", 4, "what do ya want for nothing?", 28, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    memset(k3, 0xaa, sizeof k3);
    memset(d3, 0xdd, sizeof d3);
    check(k3, sizeof k3, d3, sizeof d3, "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
    for (int i = 0; i < 25; i++) k4[i] = (unsigned char)(i + 1);
    memset(d4, 0xcd, sizeof d4);
    check(k4, sizeof k4, d4, sizeof d4, "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
}

static void rfc4231_keys_longer_than_a_block(void **state)
{
    (void)state;
    unsigned char k[131];
    memset(k, 0xaa, sizeof k);
    const char *d6 = "Test Using Larger Than Block-Size Key - Hash Key First";
    check(k, sizeof k, d6, strlen(d6), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    const char *d7 = "This is a test using a larger than block-size key and a larger than block-size data. The key needs to "
                     "be hashed before being used by the HMAC algorithm.";
    check(k, sizeof k, d7, strlen(d7), "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rfc4231_short_keys),
        cmocka_unit_test(rfc4231_keys_longer_than_a_block),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
