/* ledger.c — the ledger's arithmetic (issue 13), pure functions of entries:
 * sums at a day, the least headroom over the days that follow, the split of
 * an advance into instalments that sum to it to the cent, a company's size. */
#include "programme/programme.h"

void prog_sums(const prog_entry *e, size_t n, const char *at, int64_t sums[K_COUNT])
{
    memset(sums, 0, sizeof(int64_t) * K_COUNT);
    for (size_t i = 0; i < n; i++)
        if (!at || strcmp(e[i].day, at) <= 0) sums[e[i].kind] += e[i].amount;
}

int64_t prog_headroom(const prog_entry *e, size_t n, const char *from, int64_t base,
                      const int coef[K_COUNT])
{
    int64_t v = base;
    size_t i = 0;
    for (; i < n && strcmp(e[i].day, from) <= 0; i++)
        v += coef[e[i].kind] * e[i].amount;
    int64_t least = v;
    while (i < n) {
        const char *day = e[i].day;
        for (; i < n && strcmp(e[i].day, day) == 0; i++)
            v += coef[e[i].kind] * e[i].amount;
        if (v < least) least = v;
    }
    return least;
}

void prog_split(int64_t amount, int n, int64_t *out)
{
    int64_t each = amount / n, rest = amount % n;
    for (int i = 0; i < n; i++)
        out[i] = each + (i < rest ? 1 : 0);
}

int prog_company_size(const char *category, const char *size_band)
{
    if (category && (strcmp(category, "GE") == 0 || strcmp(category, "ETI") == 0)) return 2;
    /* trancheEffectifs: NN, 00, 01, 02, 03, 11, 12 under 50; 21, 22, 31 under 250 */
    if (!size_band || !*size_band || strcmp(size_band, "NN") == 0 || strcmp(size_band, "12") <= 0)
        return 0;
    if (strcmp(size_band, "31") <= 0) return 1;
    return 2;
}

const char *prog_size_name(int size)
{
    return size == 0 ? "small" : size == 1 ? "medium" : "large";
}

int64_t prog_owed(int64_t amount, int64_t paid, int64_t before)
{
    int64_t owed = paid - before;
    return owed < 0 ? 0 : owed > amount ? amount : owed;
}

int64_t prog_covered(int64_t owed, int64_t repaid, int64_t before)
{
    int64_t covered = repaid - before;
    return covered < 0 ? 0 : covered > owed ? owed : covered;
}

const char *prog_inst_state(const char *due, int64_t owed, int64_t covered, const char *at)
{
    char defaulted_from[11];
    prog_add_months(due, PROG_DEFAULT_MONTHS, defaulted_from);
    return owed == 0                         ? "not_paid_out"
           : covered >= owed                 ? "paid"
           : strcmp(due, at) >= 0            ? "due"
           : strcmp(defaulted_from, at) <= 0 ? "defaulted"
                                             : "late";
}
