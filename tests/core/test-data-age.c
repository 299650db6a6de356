/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "signpost-core.h"
#include "signpost-data-age.h"

/* How old the data on screen is, in words (the hazard log's C-07.5): said
 * once it is older than a minute, never before; the clock changes and
 * midnight in practice time. Fixed instants: the same whenever it runs. */

static GTimeZone *london;

static char *
describe (int then_h, int then_m, int then_s, int now_day, int now_h, int now_m, int now_s)
{
  g_autoptr(GDateTime) then = g_date_time_new (london, 2026, 3, 28, then_h, then_m, then_s);
  g_autoptr(GDateTime) now = g_date_time_new (london, 2026, 3, now_day, now_h, now_m, now_s);

  return signpost_data_age_describe (then, now, london);
}

static void
test_minutes (void)
{
  g_autofree char *same = describe (9, 0, 0, 28, 9, 0, 0);
  g_autofree char *sixty = describe (9, 0, 0, 28, 9, 1, 0);
  g_autofree char *sixty_one = describe (9, 0, 0, 28, 9, 1, 1);
  g_autofree char *five = describe (9, 0, 0, 28, 9, 5, 59);
  g_autofree char *fifty_nine = describe (9, 0, 0, 28, 9, 59, 59);
  g_autoptr(GDateTime) now = g_date_time_new (london, 2026, 3, 28, 9, 0, 0);

  g_assert_null (same);
  g_assert_null (sixty);
  g_assert_cmpstr (sixty_one, ==, "last up to date 1 minute ago");
  g_assert_cmpstr (five, ==, "last up to date 5 minutes ago");
  g_assert_cmpstr (fifty_nine, ==, "last up to date 59 minutes ago");
  g_assert_null (signpost_data_age_describe (NULL, now, london));
}

static void
test_hours_and_days (void)
{
  g_autofree char *hour = describe (9, 0, 0, 28, 10, 0, 0);
  g_autofree char *evening = describe (18, 2, 0, 28, 23, 59, 0);
  /* The clocks go forward at 01:00 GMT on 29 March 2026: 18:02 GMT the
   * evening before is still 18:02 on Saturday. */
  g_autofree char *overnight = describe (18, 2, 0, 29, 8, 0, 0);
  g_autofree char *past_midnight = describe (23, 59, 0, 29, 0, 1, 0);

  g_assert_cmpstr (hour, ==, "last up to date at 09:00");
  g_assert_cmpstr (evening, ==, "last up to date at 18:02");
  g_assert_cmpstr (overnight, ==, "last up to date on Sat 28 Mar at 18:02");
  /* Two minutes across midnight: minutes, not a date. */
  g_assert_cmpstr (past_midnight, ==, "last up to date 2 minutes ago");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  london = g_time_zone_new_identifier ("Europe/London");
  g_assert_nonnull (london);

  g_test_add_func ("/signpost/data-age/minutes", test_minutes);
  g_test_add_func ("/signpost/data-age/hours-and-days", test_hours_and_days);
  return g_test_run ();
}
