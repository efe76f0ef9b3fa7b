/* siret.c — SIREN/SIRET checks: 9 or 14 digits with a Luhn checksum; La
 * Poste's establishments (SIREN 356000000) use a digit sum multiple of 5. */
#include "core/core.h"

static bool all_digits(const char *s, size_t len, size_t want)
{
    if (!s || len != want) return false;
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

static int luhn_sum(const char *s, size_t len)
{
    int sum = 0;
    for (size_t i = 0; i < len; i++) {
        int d = s[len - 1 - i] - '0';
        if (i % 2 == 1) {
            d *= 2;
            if (d > 9) d -= 9;
        }
        sum += d;
    }
    return sum;
}

bool ml_siren_valid(const char *s, size_t len)
{
    return all_digits(s, len, 9) && luhn_sum(s, 9) % 10 == 0;
}

bool ml_siret_valid(const char *s, size_t len)
{
    if (!all_digits(s, len, 14)) return false;
    if (luhn_sum(s, 14) % 10 == 0) return true;
    if (memcmp(s, "356000000", 9) == 0) {
        int sum = 0;
        for (size_t i = 0; i < 14; i++)
            sum += s[i] - '0';
        return sum % 5 == 0;
    }
    return false;
}
