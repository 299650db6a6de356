/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-core"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "signpost-error.h"
#include "signpost-time.h"

/*
 * Instants travel and are stored in UTC; people see them in the practice's
 * time zone. The UK moves between GMT and BST twice a year, so never add
 * hours by hand: convert through GTimeZone.
 */

gboolean
signpost_time_zone_is_known (const char *identifier)
{
  g_autoptr(GTimeZone) tz = NULL;
  g_autofree char *path = NULL;
  const char *tzdir;

  if (identifier == NULL || *identifier == '\0' || strlen (identifier) > 64)
    return FALSE;
  /* Only IANA names: no POSIX TZ strings or offsets, which parse but have
   * no daylight-saving rules a practice would expect. */
  for (const char *p = identifier; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '/' && *p != '_' && *p != '-' && *p != '+')
      return FALSE;
  if (!g_ascii_isalpha (identifier[0]) || strstr (identifier, "..") != NULL)
    return FALSE;
  /* GLib also takes POSIX TZ strings such as "UTC+5" (which means five
   * hours *behind* UTC): an IANA name is a file in the zone database. */
  tzdir = g_getenv ("TZDIR");
  path = g_build_filename (tzdir != NULL && *tzdir != '\0' ? tzdir : "/usr/share/zoneinfo",
                           identifier, NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return FALSE;
  tz = g_time_zone_new_identifier (identifier);
  return tz != NULL;
}

GTimeZone *
signpost_time_zone_new (const char  *identifier,
                        GError     **error)
{
  if (identifier == NULL || *identifier == '\0')
    identifier = SIGNPOST_DEFAULT_TIME_ZONE;
  if (!signpost_time_zone_is_known (identifier))
    {
      g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                   _("Unknown time zone “%s”"), identifier);
      return NULL;
    }
  return g_time_zone_new_identifier (identifier);
}

/* "2026-11-23T08:00:00Z", with milliseconds only when there are some. The
 * year always has four digits (GLib's %Y does not pad years before 1000,
 * and the parser rightly wants the date part to be ten characters). */
char *
signpost_timestamp_format (GDateTime *instant)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *date_time = NULL;
  int ms;

  if (instant == NULL)
    return NULL;
  utc = g_date_time_to_utc (instant);
  ms = g_date_time_get_microsecond (utc) / 1000;
  date_time = g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d",
                               g_date_time_get_year (utc), g_date_time_get_month (utc),
                               g_date_time_get_day_of_month (utc), g_date_time_get_hour (utc),
                               g_date_time_get_minute (utc), g_date_time_get_second (utc));
  if (ms == 0)
    return g_strconcat (date_time, "Z", NULL);
  return g_strdup_printf ("%s.%03dZ", date_time, ms);
}

/* Accepts ISO 8601 date-times with an explicit zone ("Z" or "+01:00");
 * a time without a zone is ambiguous around the clock changes. The result is
 * in UTC, truncated to milliseconds so it survives a round trip. */
GDateTime *
signpost_timestamp_parse (const char  *text,
                          GError     **error)
{
  g_autoptr(GDateTime) parsed = NULL;
  g_autoptr(GDateTime) utc = NULL;
  gsize len;
  const char *t;

  if (text == NULL || (len = strlen (text)) < 20 || len > 40)
    goto bad;
  t = strchr (text, 'T');
  if (t == NULL || t - text != 10)
    goto bad;
  /* GLib quietly turns a 60th or 61st second into the 59th. */
  if (t[3] != ':' || t[6] != ':' || !g_ascii_isdigit (t[7]) || !g_ascii_isdigit (t[8]) ||
      t[7] > '5')
    goto bad;
  if (text[len - 1] != 'Z' && text[len - 1] != 'z' &&
      strchr (t, '+') == NULL && strchr (t, '-') == NULL)
    goto bad;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && strchr ("-:T.Z+z", *p) == NULL)
      goto bad;

  parsed = g_date_time_new_from_iso8601 (text, NULL);
  if (parsed == NULL)
    goto bad;
  utc = g_date_time_to_utc (parsed);
  if (utc == NULL)
    goto bad;
  return g_date_time_add (utc, -(g_date_time_get_microsecond (utc) % 1000));

bad:
  g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                       _("not a UTC timestamp like 2026-11-23T08:00:00Z"));
  return NULL;
}

/* Strict YYYY-MM-DD: a real calendar date, nothing else. */
gboolean
signpost_date_parse (const char  *text,
                     GDate       *date,
                     GError     **error)
{
  int y, m, d;

  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    goto bad;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      goto bad;
  y = atoi (text);
  m = atoi (text + 5);
  d = atoi (text + 8);
  if (y < 1800 || y > 9999 || !g_date_valid_dmy (d, m, y))
    goto bad;
  if (date != NULL)
    {
      g_date_clear (date, 1);
      g_date_set_dmy (date, d, m, y);
    }
  return TRUE;

bad:
  g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                       _("not a date like 2026-11-23"));
  return FALSE;
}

char *
signpost_date_format (const GDate *date)
{
  if (date == NULL || !g_date_valid (date))
    return NULL;
  return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (date),
                          g_date_get_month (date), g_date_get_day (date));
}

/* The calendar date of @instant as people in @tz see it. */
void
signpost_local_date (GDateTime *instant,
                     GTimeZone *tz,
                     GDate     *date)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (instant, tz);

  g_date_clear (date, 1);
  g_date_set_dmy (date, g_date_time_get_day_of_month (local),
                  g_date_time_get_month (local), g_date_time_get_year (local));
}

/* Whole years on the local date of @now. Someone born on 29 February
 * becomes a year older on 1 March in common years, as in UK law. */
int
signpost_age_on (const GDate *date_of_birth,
                 GDateTime   *now,
                 GTimeZone   *tz)
{
  GDate today;
  int age;
  int bm, bd, tm, td;

  g_return_val_if_fail (date_of_birth != NULL && g_date_valid (date_of_birth), -1);
  g_return_val_if_fail (now != NULL, -1);

  signpost_local_date (now, tz, &today);
  if (g_date_compare (&today, date_of_birth) < 0)
    return -1;

  age = g_date_get_year (&today) - g_date_get_year (date_of_birth);
  bm = g_date_get_month (date_of_birth);
  bd = g_date_get_day (date_of_birth);
  tm = g_date_get_month (&today);
  td = g_date_get_day (&today);
  if (tm < bm || (tm == bm && td < bd))
    age--;
  return age;
}

int
signpost_age_from_iso_date (const char *date_of_birth,
                            GDateTime  *now,
                            GTimeZone  *tz)
{
  GDate dob;

  if (!signpost_date_parse (date_of_birth, &dob, NULL))
    return -1;
  return signpost_age_on (&dob, now, tz);
}

/* A wall-clock time on a date in @tz, as a UTC instant. In the hour that
 * does not exist when the clocks go forward, GLib moves forward to the
 * first valid time; in the repeated hour in autumn we take the first. */
GDateTime *
signpost_local_time_to_utc (const GDate *date,
                            int          hour,
                            int          minute,
                            GTimeZone   *tz)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) day_before = NULL;

  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);
  local = g_date_time_new (tz, g_date_get_year (date), g_date_get_month (date),
                           g_date_get_day (date), hour, minute, 0);
  if (local == NULL)
    return NULL;

  /* GLib resolves a repeated time to the later (standard time) instant.
   * If the clocks went back within the last day by @shift, the same wall
   * time was also shown @shift earlier: that is the first. */
  day_before = g_date_time_add (local, -G_TIME_SPAN_DAY);
  if (day_before != NULL)
    {
      GTimeSpan shift = g_date_time_get_utc_offset (day_before) -
                        g_date_time_get_utc_offset (local);

      if (shift > 0)
        {
          g_autoptr(GDateTime) earlier = g_date_time_add (local, -shift);

          if (earlier != NULL &&
              g_date_time_get_day_of_month (earlier) == g_date_time_get_day_of_month (local) &&
              g_date_time_get_hour (earlier) == g_date_time_get_hour (local) &&
              g_date_time_get_minute (earlier) == g_date_time_get_minute (local))
            return g_date_time_to_utc (earlier);
        }
    }
  return g_date_time_to_utc (local);
}

char *
signpost_format_local (GDateTime  *instant,
                       GTimeZone  *tz,
                       const char *format)
{
  g_autoptr(GDateTime) local = NULL;

  if (instant == NULL)
    return NULL;
  local = g_date_time_to_timezone (instant, tz);
  return g_date_time_format (local, format);
}

/* "HH:MM" on the 24-hour clock, as minutes since midnight; "24:00" is the
 * end of the day (1440). Nothing else: no seconds, no spaces, two digits
 * each. */
gboolean
signpost_time_of_day_parse (const char *text,
                            int        *minutes)
{
  int hours, mins;

  if (text == NULL || strlen (text) != 5 || text[2] != ':' ||
      !g_ascii_isdigit (text[0]) || !g_ascii_isdigit (text[1]) ||
      !g_ascii_isdigit (text[3]) || !g_ascii_isdigit (text[4]))
    return FALSE;
  hours = (text[0] - '0') * 10 + (text[1] - '0');
  mins = (text[3] - '0') * 10 + (text[4] - '0');
  if (mins > 59 || hours > 24 || (hours == 24 && mins != 0))
    return FALSE;
  if (minutes != NULL)
    *minutes = hours * 60 + mins;
  return TRUE;
}

char *
signpost_time_of_day_format (int minutes)
{
  g_return_val_if_fail (minutes >= 0 && minutes <= 24 * 60, NULL);

  return g_strdup_printf ("%02d:%02d", minutes / 60, minutes % 60);
}
