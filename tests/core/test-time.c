/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "signpost-core.h"

/* Europe/London in 2026: BST starts at 01:00 UTC on 29 March (clocks go
 * from 01:00 to 02:00) and ends at 01:00 UTC on 25 October (clocks go from
 * 02:00 back to 01:00). */

static GTimeZone *
london (void)
{
  g_autoptr(GError) error = NULL;
  GTimeZone *tz = signpost_time_zone_new ("Europe/London", &error);

  g_assert_no_error (error);
  g_assert_nonnull (tz);
  return tz;
}

static GDateTime *
utc (const char *text)
{
  g_autoptr(GError) error = NULL;
  GDateTime *dt = signpost_timestamp_parse (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (dt);
  return dt;
}

static void
test_timestamp_round_trip (void)
{
  static const struct {
    const char *input;
    const char *output;
  } cases[] = {
    { "2026-11-23T08:00:00Z", "2026-11-23T08:00:00Z" },
    { "2026-11-23T08:00:00.123Z", "2026-11-23T08:00:00.123Z" },
    { "2026-11-23T08:00:00.100Z", "2026-11-23T08:00:00.100Z" },
    { "2026-11-23T08:00:00.001Z", "2026-11-23T08:00:00.001Z" },
    { "2026-11-23T08:00:00.000Z", "2026-11-23T08:00:00Z" },
    { "2026-11-23T08:00:00.123456Z", "2026-11-23T08:00:00.123Z" }, /* truncated to ms */
    { "2026-11-23T08:00:00.999999Z", "2026-11-23T08:00:00.999Z" },
    { "2026-06-14T09:00:00+01:00", "2026-06-14T08:00:00Z" },
    { "2026-11-23T08:00:00-05:00", "2026-11-23T13:00:00Z" },
    { "2026-11-23T08:00:00+00:00", "2026-11-23T08:00:00Z" },
    { "2026-12-31T23:30:00-01:00", "2027-01-01T00:30:00Z" }, /* across a year */
    { "2026-01-01T00:30:00+05:30", "2025-12-31T19:00:00Z" },
    { "2024-02-29T12:00:00Z", "2024-02-29T12:00:00Z" },
    { "1900-01-01T00:00:00Z", "1900-01-01T00:00:00Z" },
    { "0999-01-01T00:00:00Z", "0999-01-01T00:00:00Z" }, /* four-digit years always */
    { "0001-01-01T00:00:00.500Z", "0001-01-01T00:00:00.500Z" },
    { "9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) parsed = NULL;
      g_autoptr(GDateTime) again = NULL;
      g_autofree char *text = NULL;

      g_test_message ("%s", cases[i].input);
      parsed = utc (cases[i].input);
      g_assert_cmpint (g_date_time_get_utc_offset (parsed), ==, 0);
      text = signpost_timestamp_format (parsed);
      g_assert_cmpstr (text, ==, cases[i].output);

      /* The output parses back to the same instant. */
      again = utc (text);
      g_assert_true (g_date_time_equal (parsed, again));
    }
}

static void
test_timestamp_format (void)
{
  g_autoptr(GTimeZone) tz = london ();
  g_autoptr(GDateTime) summer = g_date_time_new (tz, 2026, 6, 14, 9, 0, 0);
  g_autoptr(GDateTime) winter = g_date_time_new (tz, 2026, 11, 23, 8, 0, 0.25);
  g_autofree char *summer_text = signpost_timestamp_format (summer);
  g_autofree char *winter_text = signpost_timestamp_format (winter);

  /* Local times are written in UTC. */
  g_assert_cmpstr (summer_text, ==, "2026-06-14T08:00:00Z");
  g_assert_cmpstr (winter_text, ==, "2026-11-23T08:00:00.250Z");
  g_assert_null (signpost_timestamp_format (NULL));
}

static void
test_timestamp_reject (void)
{
  static const char * const bad[] = {
    "",
    "garbage",
    "2026-11-23",
    "2026-11-23T08:00:00",        /* no zone: ambiguous at the clock changes */
    "2026-11-23T08:00:00.123",
    "2026-11-23 08:00:00Z",
    "2026-11-23t08:00:00Z",
    "2026-11-23T08:00Z",          /* no seconds */
    "2026-11-23T08:00:00ZZ",
    "2026-11-23T08:00:00Z ",
    " 2026-11-23T08:00:00Z",
    "2026-13-01T00:00:00Z",
    "2026-02-29T00:00:00Z",
    "2026-04-31T00:00:00Z",
    "2026-11-23T24:00:01Z",
    "2026-11-23T08:60:00Z",
    "2026-11-23T08:00:61Z",
    "2026-11-23T08:00:00+25:00",
    "20261123T080000Z",
    "2026-11-23T08:00:00 GMT",
    "2026-11-23T08:00:00Europe/London",
    "0000-01-01T00:00:00Z",
    "0001-01-01T00:00:00+01:00",   /* before year 1 in UTC */
    "9999-12-31T23:30:00-01:00",   /* after year 9999 in UTC */
    "2026-11-23T08:00:00.123456789012345678901234567Z",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GDateTime) dt = signpost_timestamp_parse (bad[i], &error);

      g_test_message ("“%s”", bad[i]);
      g_assert_null (dt);
      g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID);
    }

  {
    g_autoptr(GError) error = NULL;
    g_assert_null (signpost_timestamp_parse (NULL, &error));
    g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID);
  }
}

static void
test_date_parse (void)
{
  static const struct {
    const char *text;
    int year, month, day; /* year 0: rejected */
  } cases[] = {
    { "2026-11-23", 2026, 11, 23 },
    { "2026-01-01", 2026, 1, 1 },
    { "2026-12-31", 2026, 12, 31 },
    { "2024-02-29", 2024, 2, 29 }, /* leap year */
    { "2000-02-29", 2000, 2, 29 }, /* divisible by 400: leap */
    { "1800-01-01", 1800, 1, 1 },
    { "9999-12-31", 9999, 12, 31 },
    { "2026-02-29", 0 },           /* not a leap year */
    { "1900-02-29", 0 },           /* divisible by 100: not leap */
    { "2026-02-30", 0 },
    { "2026-02-31", 0 },
    { "2026-04-31", 0 },
    { "2026-13-01", 0 },
    { "2026-00-10", 0 },
    { "2026-01-00", 0 },
    { "2026-01-32", 0 },
    { "1799-12-31", 0 },           /* before any living patient */
    { "0000-01-01", 0 },
    { "2026-1-01", 0 },
    { "2026-01-1", 0 },
    { "26-01-01", 0 },
    { "2026/01/01", 0 },
    { "01-01-2026", 0 },
    { "2026-01-01T00:00:00Z", 0 },
    { " 2026-01-01", 0 },
    { "2026-01-01 ", 0 },
    { "2026-0a-01", 0 },
    { "+026-01-01", 0 },
    { "2026--1-01", 0 },
    { "2026-+1-01", 0 },
    { "", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      GDate date;
      gboolean ok;

      g_test_message ("“%s”", cases[i].text);
      g_date_clear (&date, 1);
      ok = signpost_date_parse (cases[i].text, &date, &error);
      if (cases[i].year != 0)
        {
          g_autofree char *again = NULL;

          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpint (g_date_get_year (&date), ==, cases[i].year);
          g_assert_cmpint (g_date_get_month (&date), ==, cases[i].month);
          g_assert_cmpint (g_date_get_day (&date), ==, cases[i].day);
          again = signpost_date_format (&date);
          g_assert_cmpstr (again, ==, cases[i].text);
          g_assert_true (signpost_format_check (SIGNPOST_FORMAT_DATE, cases[i].text, NULL));
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID);
          g_assert_false (signpost_format_check (SIGNPOST_FORMAT_DATE, cases[i].text, NULL));
        }
    }

  g_assert_false (signpost_date_parse (NULL, NULL, NULL));
  /* A date pointer is optional. */
  g_assert_true (signpost_date_parse ("2026-11-23", NULL, NULL));
}

static void
test_date_format (void)
{
  GDate date;
  g_autofree char *text = NULL;

  g_date_clear (&date, 1);
  g_assert_null (signpost_date_format (&date)); /* cleared: not valid */
  g_assert_null (signpost_date_format (NULL));
  g_date_set_dmy (&date, 5, 3, 1950);
  text = signpost_date_format (&date);
  g_assert_cmpstr (text, ==, "1950-03-05");
}

typedef struct {
  const char *date_of_birth;
  const char *now;
  int age;
} AgeCase;

static void
check_ages (const AgeCase *cases,
            guint          n_cases,
            GTimeZone     *tz)
{
  for (guint i = 0; i < n_cases; i++)
    {
      g_autoptr(GDateTime) now = utc (cases[i].now);
      GDate dob;

      g_test_message ("born %s, now %s", cases[i].date_of_birth, cases[i].now);
      g_assert_true (signpost_date_parse (cases[i].date_of_birth, &dob, NULL));
      g_assert_cmpint (signpost_age_on (&dob, now, tz), ==, cases[i].age);
      g_assert_cmpint (signpost_age_from_iso_date (cases[i].date_of_birth, now, tz), ==,
                       cases[i].age);
    }
}

static void
test_age_birthday (void)
{
  g_autoptr(GTimeZone) tz = london ();
  static const AgeCase cases[] = {
    { "2000-11-23", "2026-11-22T12:00:00Z", 25 }, /* the day before */
    { "2000-11-23", "2026-11-23T12:00:00Z", 26 }, /* the birthday */
    { "2000-11-23", "2026-11-24T12:00:00Z", 26 }, /* the day after */
    { "2000-11-23", "2026-10-23T12:00:00Z", 25 }, /* a month before */
    { "2000-11-23", "2026-12-23T12:00:00Z", 26 },
    { "2000-01-01", "2025-12-31T23:59:59Z", 25 }, /* new year's eve (GMT) */
    { "2000-01-01", "2026-01-01T00:00:00Z", 26 },
    { "2026-11-23", "2026-11-23T12:00:00Z", 0 },  /* born today */
    { "2025-11-24", "2026-11-23T12:00:00Z", 0 },  /* one tomorrow */
    { "2025-11-23", "2026-11-23T12:00:00Z", 1 },
    { "1926-11-23", "2026-11-23T12:00:00Z", 100 },
    { "2026-11-24", "2026-11-23T12:00:00Z", -1 }, /* not yet born */
  };

  check_ages (cases, G_N_ELEMENTS (cases), tz);
}

static void
test_age_leap_day (void)
{
  g_autoptr(GTimeZone) tz = london ();
  static const AgeCase cases[] = {
    /* Born on 29 February: a year older on 1 March in common years. */
    { "2008-02-29", "2026-02-28T12:00:00Z", 17 },
    { "2008-02-29", "2026-03-01T12:00:00Z", 18 },
    { "2008-02-29", "2028-02-28T12:00:00Z", 19 },
    { "2008-02-29", "2028-02-29T12:00:00Z", 20 },
    { "2008-02-29", "2028-03-01T12:00:00Z", 20 },
    { "2008-02-29", "2009-02-28T12:00:00Z", 0 },
    { "2008-02-29", "2009-03-01T12:00:00Z", 1 },
    /* Born on 28 February or 1 March: nothing special. */
    { "2008-02-28", "2026-02-28T12:00:00Z", 18 },
    { "2008-03-01", "2026-02-28T12:00:00Z", 17 },
    { "2008-03-01", "2026-03-01T12:00:00Z", 18 },
  };

  check_ages (cases, G_N_ELEMENTS (cases), tz);
}

static void
test_age_local_midnight (void)
{
  g_autoptr(GTimeZone) tz = london ();
  g_autoptr(GTimeZone) tz_utc = g_time_zone_new_utc ();
  static const AgeCase bst[] = {
    /* 23:30 UTC on 14 June is 00:30 BST on 15 June: the birthday. */
    { "2000-06-15", "2026-06-14T23:30:00Z", 26 },
    { "2000-06-15", "2026-06-14T22:59:59Z", 25 }, /* 23:59:59 BST on the 14th */
    { "2000-06-15", "2026-06-14T23:00:00Z", 26 }, /* 00:00 BST on the 15th */
  };
  static const AgeCase in_utc[] = {
    { "2000-06-15", "2026-06-14T23:30:00Z", 25 },
  };
  static const AgeCase gmt[] = {
    /* In winter London is on UTC: 23:30 UTC is still the 14th. */
    { "2000-12-15", "2026-12-14T23:30:00Z", 25 },
    { "2000-12-15", "2026-12-15T00:00:00Z", 26 },
    { "2000-12-15", "2026-12-15T00:30:00Z", 26 },
  };

  check_ages (bst, G_N_ELEMENTS (bst), tz);
  check_ages (in_utc, G_N_ELEMENTS (in_utc), tz_utc);
  check_ages (gmt, G_N_ELEMENTS (gmt), tz);
}

static void
test_age_bad_input (void)
{
  g_autoptr(GTimeZone) tz = london ();
  g_autoptr(GDateTime) now = utc ("2026-11-23T12:00:00Z");

  g_assert_cmpint (signpost_age_from_iso_date ("2026-02-29", now, tz), ==, -1);
  g_assert_cmpint (signpost_age_from_iso_date ("", now, tz), ==, -1);
  g_assert_cmpint (signpost_age_from_iso_date (NULL, now, tz), ==, -1);
}

static void
test_local_date (void)
{
  g_autoptr(GTimeZone) tz = london ();
  static const struct {
    const char *instant;
    int year, month, day;
  } cases[] = {
    { "2026-06-14T22:59:59Z", 2026, 6, 14 },
    { "2026-06-14T23:00:00Z", 2026, 6, 15 }, /* BST */
    { "2026-12-14T23:30:00Z", 2026, 12, 14 }, /* GMT */
    { "2026-12-31T23:30:00Z", 2026, 12, 31 },
    { "2026-03-28T23:30:00Z", 2026, 3, 28 }, /* the night the clocks go forward */
    { "2026-10-24T23:30:00Z", 2026, 10, 25 }, /* the night they go back: still BST */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) instant = utc (cases[i].instant);
      GDate date;

      g_test_message ("%s", cases[i].instant);
      signpost_local_date (instant, tz, &date);
      g_assert_true (g_date_valid (&date));
      g_assert_cmpint (g_date_get_year (&date), ==, cases[i].year);
      g_assert_cmpint (g_date_get_month (&date), ==, cases[i].month);
      g_assert_cmpint (g_date_get_day (&date), ==, cases[i].day);
    }
}

typedef struct {
  int year, month, day, hour, minute;
  const char *expected;
} WallCase;

static void
check_wall_times (const WallCase *cases,
                  guint           n_cases)
{
  g_autoptr(GTimeZone) tz = london ();

  for (guint i = 0; i < n_cases; i++)
    {
      g_autoptr(GDateTime) instant = NULL;
      g_autofree char *text = NULL;
      GDate date;

      g_test_message ("%04d-%02d-%02d %02d:%02d", cases[i].year, cases[i].month, cases[i].day,
                      cases[i].hour, cases[i].minute);
      g_date_clear (&date, 1);
      g_date_set_dmy (&date, cases[i].day, cases[i].month, cases[i].year);
      instant = signpost_local_time_to_utc (&date, cases[i].hour, cases[i].minute, tz);
      g_assert_nonnull (instant);
      g_assert_cmpint (g_date_time_get_utc_offset (instant), ==, 0);
      text = signpost_timestamp_format (instant);
      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

static void
test_local_time_spring (void)
{
  static const WallCase cases[] = {
    { 2026, 3, 28, 8, 0, "2026-03-28T08:00:00Z" },  /* GMT, the day before */
    { 2026, 3, 29, 0, 30, "2026-03-29T00:30:00Z" }, /* GMT, before the change */
    { 2026, 3, 29, 0, 59, "2026-03-29T00:59:00Z" },
    /* 01:00–01:59 do not exist; the first valid time is 02:00 BST. */
    { 2026, 3, 29, 1, 0, "2026-03-29T01:00:00Z" },
    { 2026, 3, 29, 1, 30, "2026-03-29T01:00:00Z" },
    { 2026, 3, 29, 2, 0, "2026-03-29T01:00:00Z" },  /* BST from here */
    { 2026, 3, 29, 2, 30, "2026-03-29T01:30:00Z" },
    { 2026, 3, 29, 8, 0, "2026-03-29T07:00:00Z" },
    { 2026, 3, 30, 8, 0, "2026-03-30T07:00:00Z" },
  };

  check_wall_times (cases, G_N_ELEMENTS (cases));
}

static void
test_local_time_autumn (void)
{
  static const WallCase cases[] = {
    { 2026, 10, 24, 8, 0, "2026-10-24T07:00:00Z" },   /* BST, the day before */
    { 2026, 10, 25, 0, 30, "2026-10-24T23:30:00Z" },  /* BST */
    { 2026, 10, 25, 0, 59, "2026-10-24T23:59:00Z" },
    /* 01:00–01:59 happen twice (BST, then GMT): the first is taken. */
    { 2026, 10, 25, 1, 0, "2026-10-25T00:00:00Z" },
    { 2026, 10, 25, 1, 30, "2026-10-25T00:30:00Z" },
    { 2026, 10, 25, 1, 59, "2026-10-25T00:59:00Z" },
    { 2026, 10, 25, 2, 0, "2026-10-25T02:00:00Z" },   /* GMT from here */
    { 2026, 10, 25, 8, 0, "2026-10-25T08:00:00Z" },
    { 2026, 10, 26, 8, 0, "2026-10-26T08:00:00Z" },
  };

  check_wall_times (cases, G_N_ELEMENTS (cases));
}

static void
test_format_local (void)
{
  g_autoptr(GTimeZone) tz = london ();
  static const struct {
    const char *instant;
    const char *local;
  } cases[] = {
    { "2026-03-29T00:59:00Z", "2026-03-29 00:59 GMT" },
    { "2026-03-29T01:00:00Z", "2026-03-29 02:00 BST" },
    { "2026-06-14T23:30:00Z", "2026-06-15 00:30 BST" },
    { "2026-10-25T00:00:00Z", "2026-10-25 01:00 BST" },
    { "2026-10-25T00:59:00Z", "2026-10-25 01:59 BST" },
    { "2026-10-25T01:00:00Z", "2026-10-25 01:00 GMT" },
    { "2026-10-25T01:30:00Z", "2026-10-25 01:30 GMT" },
    { "2026-11-23T08:00:00Z", "2026-11-23 08:00 GMT" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) instant = utc (cases[i].instant);
      g_autofree char *text = signpost_format_local (instant, tz, "%Y-%m-%d %H:%M %Z");

      g_assert_cmpstr (text, ==, cases[i].local);
    }
  g_assert_null (signpost_format_local (NULL, tz, "%H:%M"));
}

static void
test_time_zone (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) fallback = signpost_time_zone_new (NULL, &error);
  g_autoptr(GTimeZone) empty = NULL;
  g_autoptr(GTimeZone) bad = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (g_time_zone_get_identifier (fallback), ==, SIGNPOST_DEFAULT_TIME_ZONE);
  empty = signpost_time_zone_new ("", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_time_zone_get_identifier (empty), ==, SIGNPOST_DEFAULT_TIME_ZONE);

  bad = signpost_time_zone_new ("Mars/Olympus_Mons", &error);
  g_assert_null (bad);
  g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/time/timestamp-round-trip", test_timestamp_round_trip);
  g_test_add_func ("/signpost/time/timestamp-format", test_timestamp_format);
  g_test_add_func ("/signpost/time/timestamp-reject", test_timestamp_reject);
  g_test_add_func ("/signpost/time/date-parse", test_date_parse);
  g_test_add_func ("/signpost/time/date-format", test_date_format);
  g_test_add_func ("/signpost/time/age-birthday", test_age_birthday);
  g_test_add_func ("/signpost/time/age-leap-day", test_age_leap_day);
  g_test_add_func ("/signpost/time/age-local-midnight", test_age_local_midnight);
  g_test_add_func ("/signpost/time/age-bad-input", test_age_bad_input);
  g_test_add_func ("/signpost/time/local-date", test_local_date);
  g_test_add_func ("/signpost/time/local-time-spring", test_local_time_spring);
  g_test_add_func ("/signpost/time/local-time-autumn", test_local_time_autumn);
  g_test_add_func ("/signpost/time/format-local", test_format_local);
  g_test_add_func ("/signpost/time/time-zone", test_time_zone);

  return g_test_run ();
}
