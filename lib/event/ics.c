/* ics.c — a participant's agenda as iCalendar (RFC 5545): one VEVENT a
 * meeting, times in UTC, text values escaped (backslash, ';', ',' and
 * newlines), lines folded at 75 octets without cutting a UTF-8 character,
 * CRLF line ends. */
#include <time.h>

#include "event/event.h"

/* One content line "NAME:value" (value escaped when `text`), folded. */
static void line(ml_buf *b, const char *name, const char *value, bool text)
{
    ml_buf v;
    ml_buf_init(&v, 1 << 16);
    ml_buf_addstr(&v, name);
    ml_buf_addch(&v, ':');
    for (const char *p = value ? value : ""; *p; p++) {
        char c = *p;
        if (text && (c == '\\' || c == ';' || c == ',')) {
            ml_buf_addch(&v, '\\'), ml_buf_addch(&v, c);
        } else if (text && c == '\n') {
            ml_buf_addstr(&v, "\\n");
        } else if (text && c == '\r') {
            continue;
        } else if ((unsigned char)c < 0x20 || c == 0x7f) {
            ml_buf_addch(&v, ' '); /* no control character in a content line */
        } else {
            ml_buf_addch(&v, c);
        }
    }
    if (ml_buf_failed(&v)) {
        b->failed = true;
        ml_buf_release(&v);
        return;
    }
    /* Fold: at most 75 octets a line, a continuation starts with a space
     * (which counts in its 75), never inside a UTF-8 sequence. */
    size_t i = 0, room = 75;
    while (i < v.len) {
        size_t k = v.len - i <= room ? v.len - i : room;
        while (k > 0 && i + k < v.len && ((unsigned char)v.data[i + k] & 0xC0) == 0x80)
            k--;
        ml_buf_add(b, v.data + i, k);
        ml_buf_addstr(b, "\r\n");
        i += k;
        if (i < v.len) ml_buf_addch(b, ' ');
        room = 74;
    }
    ml_buf_release(&v);
}

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

ml_err ml_event_ics(ml_ctx *ctx, json_t *agenda, char **text, size_t *len)
{
    *text = NULL, *len = 0;
    json_t *e = json_object_get(agenda, "event"), *p = json_object_get(agenda, "participant");
    if (!json_is_object(e) || !json_is_object(p)) return ml_fail(ctx, ML_INVALID, "not an agenda");
    ml_buf b;
    ml_buf_init(&b, 16u << 20);
    char stamp[17], buf[600];
    time_t now = time(NULL);
    struct tm u;
    gmtime_r(&now, &u);
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &u);
    line(&b, "BEGIN", "VCALENDAR", false);
    line(&b, "VERSION", "2.0", false);
    line(&b, "PRODID", "-//maillage//business conventions//FR", false);
    line(&b, "CALSCALE", "GREGORIAN", false);
    line(&b, "METHOD", "PUBLISH", false);
    ml_snprintf(buf, sizeof buf, "%s — %s", str(e, "name"), str(p, "name"));
    line(&b, "X-WR-CALNAME", buf, true);
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(agenda, "meetings"), i, m)
    {
        json_t *w = json_object_get(m, "with");
        line(&b, "BEGIN", "VEVENT", false);
        ml_snprintf(buf, sizeof buf, "event-%lld-request-%lld-participant-%lld@maillage",
                    (long long)json_integer_value(json_object_get(e, "id")),
                    (long long)json_integer_value(json_object_get(m, "request")),
                    (long long)json_integer_value(json_object_get(p, "id")));
        line(&b, "UID", buf, false);
        line(&b, "DTSTAMP", stamp, false);
        line(&b, "DTSTART", str(m, "start_utc"), false);
        line(&b, "DTEND", str(m, "end_utc"), false);
        ml_snprintf(buf, sizeof buf, "Rendez-vous : %s", str(w, "name"));
        line(&b, "SUMMARY", buf, true);
        const char *place = str(e, "place");
        ml_snprintf(buf, sizeof buf, "Table %lld%s%s",
                    (long long)json_integer_value(json_object_get(m, "table")), *place ? " — " : "",
                    place);
        line(&b, "LOCATION", buf, true);
        ml_snprintf(buf, sizeof buf, "%s\ncréneau %lld, table %lld\navec %s", str(e, "name"),
                    (long long)json_integer_value(json_object_get(m, "slot")),
                    (long long)json_integer_value(json_object_get(m, "table")), str(w, "name"));
        line(&b, "DESCRIPTION", buf, true);
        line(&b, "END", "VEVENT", false);
    }
    line(&b, "END", "VCALENDAR", false);
    if (ml_buf_failed(&b)) {
        ml_buf_release(&b);
        return ml_fail(ctx, ML_NOMEM, "the calendar is too large or memory ran out");
    }
    *len = b.len;
    *text = b.data; /* the caller frees it */
    return ML_OK;
}
