/* siret.c — the one SIRET / SIREN type: text to number with the checks of
 * INSEE's register (exactly 14 or 9 digits, Luhn checksum; La Poste's
 * establishments, SIREN 356000000, use a digit sum multiple of 5), number
 * back to text with its leading zeros. */
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

/* The digits as a number (the caller checked they are digits). */
static int64_t number_of(const char *s, size_t len)
{
    int64_t v = 0;
    for (size_t i = 0; i < len; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

static bool siret_checksum(const char *s)
{
    if (luhn_sum(s, ML_SIRET_DIGITS) % 10 == 0) return true;
    if (memcmp(s, "356000000", 9) == 0) {
        int sum = 0;
        for (size_t i = 0; i < ML_SIRET_DIGITS; i++)
            sum += s[i] - '0';
        return sum % 5 == 0;
    }
    return false;
}

ml_id_check ml_siret_digits(const char *s, size_t len, int64_t *out)
{
    if (!all_digits(s, len, ML_SIRET_DIGITS)) return ML_ID_NOT_DIGITS;
    if (out) *out = number_of(s, len);
    return ML_ID_OK;
}

ml_id_check ml_siret_parse(const char *s, size_t len, int64_t *out)
{
    if (!all_digits(s, len, ML_SIRET_DIGITS)) return ML_ID_NOT_DIGITS;
    if (!siret_checksum(s)) return ML_ID_CHECKSUM;
    if (out) *out = number_of(s, len);
    return ML_ID_OK;
}

ml_id_check ml_siren_digits(const char *s, size_t len, int64_t *out)
{
    if (!all_digits(s, len, ML_SIREN_DIGITS)) return ML_ID_NOT_DIGITS;
    if (out) *out = number_of(s, len);
    return ML_ID_OK;
}

ml_id_check ml_siren_parse(const char *s, size_t len, int64_t *out)
{
    if (!all_digits(s, len, ML_SIREN_DIGITS)) return ML_ID_NOT_DIGITS;
    if (luhn_sum(s, ML_SIREN_DIGITS) % 10 != 0) return ML_ID_CHECKSUM;
    if (out) *out = number_of(s, len);
    return ML_ID_OK;
}

bool ml_siret_valid(const char *s, size_t len)
{
    return ml_siret_parse(s, len, NULL) == ML_ID_OK;
}

bool ml_siren_valid(const char *s, size_t len)
{
    return ml_siren_parse(s, len, NULL) == ML_ID_OK;
}

const char *ml_siret_format(int64_t siret, char out[ML_SIRET_SIZE])
{
    assert(siret >= 0 && siret <= 99999999999999LL);
    snprintf(out, ML_SIRET_SIZE, "%014lld", (long long)siret);
    return out;
}

const char *ml_siren_format(int64_t siren, char out[ML_SIREN_SIZE])
{
    assert(siren >= 0 && siren <= 999999999LL);
    snprintf(out, ML_SIREN_SIZE, "%09lld", (long long)siren);
    return out;
}
