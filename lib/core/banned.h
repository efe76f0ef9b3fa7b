/* banned.h — stops unsafe libc calls at compile time (after git's banned.h).
 * Included in every translation unit by the Makefile (-include). */
#ifndef ML_BANNED_H
#define ML_BANNED_H

#define ML_BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) ML_BANNED(strcpy)
#undef strcat
#define strcat(x, y) ML_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) ML_BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) ML_BANNED(strncat)
#undef sprintf
#define sprintf(...) ML_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) ML_BANNED(vsprintf)
#undef gets
#define gets(x) ML_BANNED(gets)
#undef atoi
#define atoi(x) ML_BANNED(atoi)
#undef atol
#define atol(x) ML_BANNED(atol)
#undef atof
#define atof(x) ML_BANNED(atof)
#undef strtok
#define strtok(x, y) ML_BANNED(strtok)

#endif
