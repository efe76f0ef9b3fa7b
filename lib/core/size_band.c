/* size_band.c — SIRENE's headcount bands (see size_band.h). */
#include <string.h>

#include "core/size_band.h"

const ml_size_band ml_size_bands[ML_SIZE_BANDS] = {
    {"00", "0 employees", "0 salarié", 0.5},
    {"01", "1-2 employees", "1 ou 2 salariés", 1.5},
    {"02", "3-5 employees", "3 à 5 salariés", 4},
    {"03", "6-9 employees", "6 à 9 salariés", 7.5},
    {"11", "10-19 employees", "10 à 19 salariés", 15},
    {"12", "20-49 employees", "20 à 49 salariés", 35},
    {"21", "50-99 employees", "50 à 99 salariés", 75},
    {"22", "100-199 employees", "100 à 199 salariés", 150},
    {"31", "200-249 employees", "200 à 249 salariés", 225},
    {"32", "250-499 employees", "250 à 499 salariés", 375},
    {"41", "500-999 employees", "500 à 999 salariés", 750},
    {"42", "1,000-1,999 employees", "1 000 à 1 999 salariés", 1500},
    {"51", "2,000-4,999 employees", "2 000 à 4 999 salariés", 3500},
    {"52", "5,000-9,999 employees", "5 000 à 9 999 salariés", 7500},
    {"53", "10,000 employees or more", "10 000 salariés et plus", 12000},
};

const ml_size_band ml_size_unknown = {"NN", "unknown headcount", "effectif inconnu", 0};

int ml_size_rank(const char *code)
{
    if (!code) return 0;
    for (int i = 0; i < ML_SIZE_BANDS; i++)
        if (strcmp(code, ml_size_bands[i].code) == 0) return i + 1;
    return 0;
}

const ml_size_band *ml_size_band_of(const char *code)
{
    if (!code || strcmp(code, "NN") == 0) return &ml_size_unknown;
    int r = ml_size_rank(code);
    return r ? &ml_size_bands[r - 1] : NULL;
}

bool ml_size_code_valid(const char *code)
{
    return code && (strcmp(code, "NN") == 0 || ml_size_rank(code) > 0);
}
