/* test_event.c — the pieces of business conventions (lib/event) that need
 * no database: slot times with breaks, Paris time to UTC on both sides of
 * the clock changes, and the iCalendar writer (escaping, lines of 75 octets
 * at most folded between UTF-8 characters, CRLF, one VEVENT a meeting). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "event/event.h"
#include "maillage.h"

static void slot_times_count_breaks(void **state)
{
    (void)state;
    ev_event e = {.start_min = 9 * 60, .slot_minutes = 20, .slots = 6};
    e.brk[3] = 30; /* 30 minutes after slot 3 */
    int st, en;
    ev_slot_time(&e, 1, &st, &en);
    assert_int_equal(st, 540), assert_int_equal(en, 560);
    ev_slot_time(&e, 3, &st, &en);
    assert_int_equal(en, 600); /* 10:00 */
    ev_slot_time(&e, 4, &st, &en);
    assert_int_equal(st, 630); /* 10:30, after the break */
    ev_slot_time(&e, 6, &st, &en);
    assert_int_equal(en, 690);
}

static void paris_to_utc(void **state)
{
    (void)state;
    char out[17];
    ev_utc_stamp("2026-06-16", 9 * 60, out); /* summer: UTC+2 */
    assert_string_equal(out, "20260616T070000Z");
    ev_utc_stamp("2026-12-01", 8 * 60 + 15, out); /* winter: UTC+1 */
    assert_string_equal(out, "20261201T071500Z");
    ev_utc_stamp("2026-03-28", 12 * 60, out); /* the Saturday before the change (29 March) */
    assert_string_equal(out, "20260328T110000Z");
    ev_utc_stamp("2026-03-29", 12 * 60, out); /* the day of the change, after it */
    assert_string_equal(out, "20260329T100000Z");
    ev_utc_stamp("2026-10-25", 12 * 60, out); /* back to UTC+1 on the last Sunday of October */
    assert_string_equal(out, "20261025T110000Z");
    ev_utc_stamp("2026-10-24", 12 * 60, out);
    assert_string_equal(out, "20261024T100000Z");
    ev_utc_stamp("2026-01-01", 0, out); /* midnight: the day before in UTC */
    assert_string_equal(out, "20251231T230000Z");
}

/* Unfolds RFC 5545 lines (CRLF then a space joins), after checking each. */
static char *unfold(const char *text)
{
    char *out = malloc(strlen(text) + 1);
    size_t n = 0;
    const char *p = text;
    while (*p) {
        const char *end = strstr(p, "\r\n");
        assert_non_null(end);
        size_t len = (size_t)(end - p);
        assert_true(len <= 75);
        /* never cut inside a UTF-8 character: a line starts on a lead byte */
        const char *start = *p == ' ' ? p + 1 : p;
        if (start < end) assert_true(((unsigned char)*start & 0xC0) != 0x80);
        if (*p == ' ' && n > 0) {
            memcpy(out + n, p + 1, len - 1), n += len - 1;
        } else {
            if (n) out[n++] = '\n';
            memcpy(out + n, p, len), n += len;
        }
        p = end + 2;
    }
    out[n] = '\0';
    return out;
}

static void ics_escapes_and_folds(void **state)
{
    (void)state;
    ml_ctx *ctx = ml_ctx_new();
    const char *name = "Journée « été », acheteurs; vendeurs \\ et une ligne\nde plus — très "
                       "longue pour être pliée éàèùç éàèùç éàèùç éàèùç éàèùç";
    json_t *agenda =
        json_pack("{s:{s:i, s:s, s:s, s:s}, s:{s:i, s:s}, s:[{s:i, s:i, s:i, s:s, s:s, s:{s:s}}]}",
                  "event", "id", 7, "name", name, "date", "2026-06-16", "place", "Halle, quai; 3",
                  "participant", "id", 2, "name", "Équipements, Dupont; fils", "meetings",
                  "request", 5, "slot", 1, "table", 3, "start_utc", "20260616T070000Z", "end_utc",
                  "20260616T072000Z", "with", "name", "Mairie, d'Aix; achats");
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(ml_event_ics(ctx, agenda, &text, &len), ML_OK);
    assert_int_equal(strlen(text), len);
    assert_true(strncmp(text, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 30) == 0);
    char *u = unfold(text);
    assert_non_null(strstr(u, "\nX-WR-CALNAME:Journée « été »\\, acheteurs\\; vendeurs \\\\ et une "
                              "ligne\\nde plus"));
    assert_non_null(strstr(u, "\nSUMMARY:Rendez-vous : Mairie\\, d'Aix\\; achats\n"));
    assert_non_null(strstr(u, "\nLOCATION:Table 3 — Halle\\, quai\\; 3\n"));
    assert_non_null(strstr(u, "\nUID:event-7-request-5-participant-2@maillage\n"));
    assert_non_null(strstr(u, "\nDTSTART:20260616T070000Z\nDTEND:20260616T072000Z\n"));
    assert_non_null(strstr(u, "\nEND:VEVENT\nEND:VCALENDAR"));
    assert_null(strstr(u, "\nDTSTAMP:\n"));
    free(u);
    free(text);
    json_decref(agenda);
    assert_int_equal(ml_event_ics(ctx, NULL, &text, &len), ML_INVALID);
    ml_ctx_free(ctx);
}

/* The worked example of docs/methods.md: 29 -> 29 three of four, 29 -> 56
 * none of two; prior 0.5; factors 1.2 and 0.75; one meeting moves little. */
static void learned_factor_worked_example(void **state)
{
    (void)state;
    ev_learn *L = calloc(1, sizeof *L);
    assert_non_null(L);
    L->held[29][29] = 4, L->success[29][29] = 3, L->held[29][56] = 2;
    L->all_held = 6, L->all_success = 3;
    double f;
    json_t *k = ev_learn_pair(L, "29.32Z", "29.10Z", &f);
    assert_true(fabs(f - 1.2) < 1e-9);
    assert_true(fabs(json_real_value(json_object_get(k, "rate")) - 0.6) < 1e-9);
    assert_non_null(strstr(json_string_value(json_object_get(k, "reason_fr")),
                           "3 sur 4 ont abouti à un devis ou un contrat ; score × 1,20"));
    json_decref(k);
    k = ev_learn_pair(L, "29.32Z", "56.10A", &f);
    assert_true(fabs(f - 0.75) < 1e-9);
    json_decref(k);
    k = ev_learn_pair(L, "25.62A", "29.10Z", &f); /* a kind never met: 1, nothing said */
    assert_true(f == 1.0 && json_is_null(json_object_get(k, "reason_fr")));
    json_decref(k);
    k = ev_learn_pair(L, NULL, "29.10Z", &f); /* a guest: no kind */
    assert_true(f == 1.0 && json_is_null(k));
    memset(L, 0, sizeof *L);
    L->held[29][29] = L->success[29][29] = L->all_held = L->all_success = 1;
    json_decref(ev_learn_pair(L, "29.32Z", "29.10Z", &f));
    assert_true(fabs(f - 1.071) < 1e-9);     /* (5/7) / (2/3) */
    L->success[29][29] = L->all_success = 0; /* one meeting that led nowhere */
    json_decref(ev_learn_pair(L, "29.32Z", "29.10Z", &f));
    assert_true(fabs(f - 0.857) < 1e-9); /* (2/7) / (1/3) */
    L->held[29][29] = L->all_held = 40;  /* many failures: the bound holds */
    L->held[25][29] = 10, L->success[25][29] = 10, L->all_held = 50, L->all_success = 10;
    json_decref(ev_learn_pair(L, "29.32Z", "29.10Z", &f));
    assert_true(f >= 0.5 && f < 1);
    json_decref(ev_learn_pair(L, "25.62A", "29.10Z", &f));
    assert_true(fabs(f - 1.5) < 1e-9);
    free(L);
}

static void cpv_parents(void **state)
{
    (void)state;
    char c[9] = "45213100";
    const char *up[] = {"45213000", "45210000", "45200000", "45000000"};
    for (size_t i = 0; i < 4; i++) {
        assert_true(ev_cpv_parent(c));
        assert_string_equal(c, up[i]);
    }
    assert_false(ev_cpv_parent(c)); /* a division has no parent */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(slot_times_count_breaks),
        cmocka_unit_test(learned_factor_worked_example),
        cmocka_unit_test(cpv_parents),
        cmocka_unit_test(paris_to_utc),
        cmocka_unit_test(ics_escapes_and_folds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
