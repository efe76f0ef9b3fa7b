/* test_event.c — the pieces of business conventions (lib/event) that need
 * no database: slot times with breaks, Paris time to UTC on both sides of
 * the clock changes, and the iCalendar writer (escaping, lines of 75 octets
 * at most folded between UTF-8 characters, CRLF, one VEVENT a meeting). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(slot_times_count_breaks),
        cmocka_unit_test(paris_to_utc),
        cmocka_unit_test(ics_escapes_and_folds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
