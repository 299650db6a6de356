/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <libsoup/soup.h>
#include <math.h>
#include <string.h>

#include "console-test-server.h"
#include "signpost-chart-scale.h"
#include "signpost-load-csv.h"
#include "signpost-load-stats.h"
#include "signpost-sync.h"

/* The load page's arithmetic without a display: axis scales and labels
 * (the days the clocks change too), reading the server's statistics, the
 * four-week average, CSV quoting and the day's CSV; and the engine's raw
 * GET against a real server (the telephony export). */

#define TIMEOUT_MS 60000

static GTimeZone *london;

/* ---- days, made independently of the code under test ----------------------------- */

/* The UTC starts of the 15-minute intervals of a local day in London. */
static GPtrArray *
day_starts (int year,
            int month,
            int day)
{
  GPtrArray *starts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_date_time_unref);
  g_autoptr(GDateTime) midnight = g_date_time_new (london, year, month, day, 0, 0, 0);
  g_autoptr(GDateTime) next = g_date_time_add_days (midnight, 1);
  g_autoptr(GDateTime) next_midnight = g_date_time_new (london, g_date_time_get_year (next),
                                                        g_date_time_get_month (next),
                                                        g_date_time_get_day_of_month (next), 0, 0, 0);
  g_autoptr(GDateTime) at = g_date_time_to_utc (midnight);

  while (g_date_time_compare (at, next_midnight) < 0)
    {
      GDateTime *following = g_date_time_add_minutes (at, 15);
      g_ptr_array_add (starts, g_steal_pointer (&at));
      at = following;
    }
  return starts;
}

static guint
index_of_local (GPtrArray  *starts,
                const char *clock,
                guint       occurrence)
{
  for (guint i = 0; i < starts->len; i++)
    {
      g_autoptr(GDateTime) local = g_date_time_to_timezone (g_ptr_array_index (starts, i), london);
      g_autofree char *text = g_date_time_format (local, "%H:%M");
      if (g_str_equal (text, clock) && occurrence-- == 0)
        return i;
    }
  g_assert_not_reached ();
  return 0;
}

/* A /stats/day reply for that day, with @offered(i) calls in interval i. */
static JsonNode *
day_json (int      year,
          int      month,
          int      day,
          double (*offered) (GDateTime *start, guint index))
{
  g_autoptr(GPtrArray) starts = day_starts (year, month, day);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  double total = 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "practice_id");
  json_builder_add_string_value (builder, "6e71a7cd-07fc-4aeb-8bef-a9aa5f8bc001");
  json_builder_set_member_name (builder, "date");
  {
    g_autofree char *date = g_strdup_printf ("%04d-%02d-%02d", year, month, day);
    json_builder_add_string_value (builder, date);
  }
  json_builder_set_member_name (builder, "intervals");
  json_builder_begin_array (builder);
  for (guint i = 0; i < starts->len; i++)
    {
      g_autofree char *start = signpost_timestamp_format (g_ptr_array_index (starts, i));
      double calls = offered ? offered (g_ptr_array_index (starts, i), i) : 0;

      total += calls;
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "start");
      json_builder_add_string_value (builder, start);
      json_builder_set_member_name (builder, "offered");
      json_builder_add_int_value (builder, (gint64) calls);
      json_builder_set_member_name (builder, "answered");
      json_builder_add_int_value (builder, (gint64) calls);
      for (guint k = 0; k < 4; k++)
        {
          static const char *zeros[] = { "abandoned", "missed", "callbacks_requested", "callbacks_made" };
          json_builder_set_member_name (builder, zeros[k]);
          json_builder_add_int_value (builder, 0);
        }
      /* Online requests: counts from a new server; the rest left out, as
       * an older one would. */
      json_builder_set_member_name (builder, "online_requests");
      json_builder_add_int_value (builder, calls > 0 ? 2 : 0);
      json_builder_set_member_name (builder, "mean_wait_s");
      if (calls > 0)
        json_builder_add_double_value (builder, 12.5);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "longest_wait_s");
      if (calls > 0)
        json_builder_add_double_value (builder, 30.0);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "mean_abandon_s");
      json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "mean_talk_s");
      json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "service_level");
      if (calls > 0)
        json_builder_add_double_value (builder, 1.0);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "totals");
  json_builder_begin_object (builder);
  {
    g_autofree char *start = signpost_timestamp_format (g_ptr_array_index (starts, 0));
    json_builder_set_member_name (builder, "start");
    json_builder_add_string_value (builder, start);
  }
  json_builder_set_member_name (builder, "offered");
  json_builder_add_int_value (builder, (gint64) total);
  json_builder_set_member_name (builder, "answered");
  json_builder_add_int_value (builder, (gint64) total);
  for (guint k = 0; k < 4; k++)
    {
      static const char *zeros[] = { "abandoned", "missed", "callbacks_requested", "callbacks_made" };
      json_builder_set_member_name (builder, zeros[k]);
      json_builder_add_int_value (builder, 0);
    }
  json_builder_set_member_name (builder, "mean_wait_s");
  json_builder_add_double_value (builder, 12.5);
  json_builder_set_member_name (builder, "longest_wait_s");
  json_builder_add_double_value (builder, 30.0);
  json_builder_set_member_name (builder, "mean_abandon_s");
  json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "mean_talk_s");
  json_builder_add_double_value (builder, 151.25);
  json_builder_set_member_name (builder, "service_level");
  json_builder_add_double_value (builder, 0.6687);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "appointments");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "triage");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static SignpostDayStats *
parse_day (JsonNode *node)
{
  g_autoptr(GError) error = NULL;
  SignpostDayStats *day = signpost_day_stats_new_from_json (node, &error);

  g_assert_no_error (error);
  g_assert_nonnull (day);
  return day;
}

/* ---- the axes ------------------------------------------------------------------------ */

static void
assert_scale (double   max,
              gboolean integers,
              double   want_top,
              double   want_step)
{
  double top = -1, step = -1;

  signpost_chart_nice_scale (max, 5, integers, &top, &step);
  if (fabs (top - want_top) > 1e-9 || fabs (step - want_step) > 1e-9)
    g_error ("nice_scale (%g): top %g step %g, wanted %g and %g", max, top, step, want_top, want_step);
  /* Every scale holds its maximum in at most five steps. */
  g_assert_cmpfloat (top, >=, MAX (max, 0));
  g_assert_cmpfloat (top / step, <=, 5 + 1e-9);
}

static void
test_nice_scale (void)
{
  assert_scale (0, TRUE, 4, 1);
  assert_scale (NAN, TRUE, 4, 1);
  assert_scale (-3, FALSE, 1, 0.25);
  assert_scale (1, TRUE, 1, 1);
  assert_scale (3, TRUE, 3, 1);
  assert_scale (7, TRUE, 8, 2);
  assert_scale (44, TRUE, 50, 10);
  assert_scale (100, TRUE, 100, 20);
  assert_scale (129, TRUE, 150, 50);
  assert_scale (0.35, FALSE, 0.4, 0.1);
  assert_scale (0.35, TRUE, 1, 1);
  assert_scale (12.15, FALSE, 15, 5);
  assert_scale (1e6, TRUE, 1e6, 2e5);
}

static void
test_hour_step_and_position (void)
{
  g_assert_cmpuint (signpost_chart_hour_step (120, 40), ==, 1);
  g_assert_cmpuint (signpost_chart_hour_step (30, 45), ==, 2);
  g_assert_cmpuint (signpost_chart_hour_step (14, 45), ==, 4);
  g_assert_cmpuint (signpost_chart_hour_step (10, 45), ==, 6);
  g_assert_cmpuint (signpost_chart_hour_step (1, 45), ==, 24);

  g_assert_cmpfloat (signpost_chart_value_to_y (50, 100, 200), ==, 100);
  g_assert_cmpfloat (signpost_chart_value_to_y (0, 100, 200), ==, 200);
  g_assert_cmpfloat (signpost_chart_value_to_y (100, 100, 200), ==, 0);
  g_assert_cmpfloat (signpost_chart_value_to_y (250, 100, 200), ==, 0);
  g_assert_cmpfloat (signpost_chart_value_to_y (NAN, 100, 200), ==, 200);
  g_assert_cmpfloat (signpost_chart_value_to_y (5, 0, 200), ==, 200);
}

static guint
count_ticks (GStrv ticks)
{
  guint n = 0;
  for (guint i = 0; ticks[i] != NULL; i++)
    if (*ticks[i] != '\0')
      n++;
  return n;
}

static void
test_interval_labels (void)
{
  g_autoptr(GPtrArray) monday = day_starts (2026, 11, 16);
  g_autoptr(GPtrArray) spring = day_starts (2026, 3, 29);
  g_autoptr(GPtrArray) autumn = day_starts (2026, 10, 25);
  g_auto(GStrv) ticks = NULL;
  g_auto(GStrv) titles = NULL;

  g_assert_cmpuint (monday->len, ==, 96);
  g_assert_cmpuint (spring->len, ==, 92);
  g_assert_cmpuint (autumn->len, ==, 100);

  signpost_chart_label_intervals ((GDateTime **) monday->pdata, monday->len, london, 15, &ticks, &titles);
  g_assert_cmpuint (g_strv_length (titles), ==, 96);
  g_assert_cmpuint (count_ticks (ticks), ==, 24);
  g_assert_cmpstr (titles[32], ==, "08:00–08:15");
  g_assert_cmpstr (ticks[32], ==, "08:00");
  g_assert_cmpstr (ticks[33], ==, "");
  g_assert_cmpstr (titles[95], ==, "23:45–00:00");
  g_clear_pointer (&ticks, g_strfreev);
  g_clear_pointer (&titles, g_strfreev);

  /* The clocks go forward at 01:00: there is no 01:00 to 01:59. */
  signpost_chart_label_intervals ((GDateTime **) spring->pdata, spring->len, london, 15, &ticks, &titles);
  g_assert_cmpuint (count_ticks (ticks), ==, 23);
  g_assert_cmpstr (titles[3], ==, "00:45–02:00");
  g_assert_cmpstr (ticks[4], ==, "02:00");
  g_assert_cmpstr (titles[28], ==, "08:00–08:15");
  g_assert_false (g_strv_contains ((const char * const *) ticks, "01:00"));
  g_clear_pointer (&ticks, g_strfreev);
  g_clear_pointer (&titles, g_strfreev);

  /* The clocks go back at 02:00: 01:00 comes round twice, each named. */
  signpost_chart_label_intervals ((GDateTime **) autumn->pdata, autumn->len, london, 15, &ticks, &titles);
  g_assert_cmpuint (count_ticks (ticks), ==, 25);
  g_assert_cmpstr (ticks[4], ==, "01:00 BST");
  g_assert_cmpstr (ticks[8], ==, "01:00 GMT");
  g_assert_cmpstr (titles[7], ==, "01:45–01:00 BST");
  g_assert_cmpstr (titles[8], ==, "01:00–01:15 GMT");
  g_assert_cmpstr (ticks[12], ==, "02:00");
  g_assert_cmpstr (titles[36], ==, "08:00–08:15");
}

static void
test_active_span (void)
{
  g_autoptr(GPtrArray) monday = day_starts (2026, 11, 16);
  g_autoptr(GPtrArray) autumn = day_starts (2026, 10, 25);
  gboolean active[100] = { FALSE, };
  guint first = 0, count = 0;

  /* Nothing yet: the opening hours, 08:00 to 18:30. */
  signpost_chart_active_span ((GDateTime **) monday->pdata, NULL, monday->len, london, 8 * 60, 18 * 60 + 30,
                              &first, &count);
  g_assert_cmpuint (first, ==, 32);
  g_assert_cmpuint (count, ==, 42);

  /* A call at 07:10 and one at 19:20 widen it to whole hours. */
  active[index_of_local (monday, "07:00", 0)] = TRUE;
  active[index_of_local (monday, "19:15", 0)] = TRUE;
  signpost_chart_active_span ((GDateTime **) monday->pdata, active, monday->len, london, 8 * 60, 18 * 60 + 30,
                              &first, &count);
  g_assert_cmpuint (first, ==, 28);
  g_assert_cmpuint (first + count, ==, 80);

  /* The long day: 08:00 is four intervals later. */
  memset (active, 0, sizeof active);
  signpost_chart_active_span ((GDateTime **) autumn->pdata, active, autumn->len, london, 8 * 60, 18 * 60 + 30,
                              &first, &count);
  g_assert_cmpuint (first, ==, 36);
  g_assert_cmpuint (count, ==, 42);

  /* A call in the second 01:00 hour reaches back to its start. */
  active[index_of_local (autumn, "01:30", 1)] = TRUE;
  signpost_chart_active_span ((GDateTime **) autumn->pdata, active, autumn->len, london, 8 * 60, 18 * 60 + 30,
                              &first, &count);
  g_assert_cmpuint (first, ==, index_of_local (autumn, "01:00", 1));
  g_assert_cmpuint (first + count, ==, 36 + 42);
}

static void
test_format (void)
{
  const struct { double value; SignpostChartUnit unit; const char *text; } cases[] = {
    { 12, SIGNPOST_CHART_UNIT_COUNT, "12" },
    { 2.5, SIGNPOST_CHART_UNIT_COUNT, "2.5" },
    { NAN, SIGNPOST_CHART_UNIT_COUNT, "—" },
    { 45, SIGNPOST_CHART_UNIT_SECONDS, "45 s" },
    { 59.6, SIGNPOST_CHART_UNIT_SECONDS, "1 min 00 s" },
    { 187.3, SIGNPOST_CHART_UNIT_SECONDS, "3 min 07 s" },
    { 3700, SIGNPOST_CHART_UNIT_SECONDS, "1 h 01 min" },
    { NAN, SIGNPOST_CHART_UNIT_SECONDS, "—" },
    { 0.6687, SIGNPOST_CHART_UNIT_SHARE, "66.9%" },
    { 1, SIGNPOST_CHART_UNIT_SHARE, "100.0%" },
    { 2.25, SIGNPOST_CHART_UNIT_DECIMAL, "2.25" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = signpost_chart_format_value (cases[i].value, cases[i].unit);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
  {
    g_autofree char *minutes = signpost_chart_format_tick (300, SIGNPOST_CHART_UNIT_SECONDS);
    g_autofree char *half = signpost_chart_format_tick (150, SIGNPOST_CHART_UNIT_SECONDS);
    g_autofree char *share = signpost_chart_format_tick (0.25, SIGNPOST_CHART_UNIT_SHARE);
    g_autofree char *count = signpost_chart_format_tick (20, SIGNPOST_CHART_UNIT_COUNT);

    g_assert_cmpstr (minutes, ==, "5");
    g_assert_cmpstr (half, ==, "2.5");
    g_assert_cmpstr (share, ==, "25%");
    g_assert_cmpstr (count, ==, "20");
  }
}

/* ---- reading the statistics ---------------------------------------------------------- */

static double
morning_calls (GDateTime *start,
               guint      index)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (start, london);
  int hour = g_date_time_get_hour (local);

  return hour >= 8 && hour < 12 ? 10 : 0;
}

static void
test_day_stats_read (void)
{
  g_autoptr(JsonNode) node = day_json (2026, 11, 16, morning_calls);
  g_autoptr(SignpostDayStats) day = parse_day (node);
  const SignpostStatsInterval *eight = signpost_day_stats_get_interval (day, 32);
  const SignpostStatsInterval *night = signpost_day_stats_get_interval (day, 0);
  g_autofree char *start = signpost_timestamp_format (eight->start);

  g_assert_cmpuint (signpost_day_stats_get_n_intervals (day), ==, 96);
  g_assert_cmpstr (day->date, ==, "2026-11-16");
  g_assert_cmpstr (start, ==, "2026-11-16T08:00:00Z");
  g_assert_cmpfloat (eight->offered, ==, 10);
  g_assert_cmpfloat (eight->mean_wait_s, ==, 12.5);
  g_assert_true (isnan (night->mean_wait_s));
  g_assert_true (isnan (day->totals.mean_abandon_s));
  g_assert_cmpfloat (day->totals.offered, ==, 160);
  g_assert_cmpfloat (day->totals.service_level, ==, 0.6687);
  g_assert_true (signpost_day_stats_is_active (day, 32));
  g_assert_false (signpost_day_stats_is_active (day, 0));
}

static void
test_day_stats_refused (void)
{
  const char *bad[] = {
    "[]",
    "{\"intervals\": 3, \"totals\": {}}",
    "{\"intervals\": [], \"totals\": 1}",
    "{\"intervals\": [{\"start\": \"2026-11-16T08:00:00Z\", \"offered\": \"many\"}], \"totals\": {}}",
    "{\"intervals\": [{\"start\": \"yesterday\"}], \"totals\": {}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = json_from_string (bad[i], NULL);
      g_autoptr(SignpostDayStats) day = signpost_day_stats_new_from_json (node, &error);

      g_assert_null (day);
      g_assert_error (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_PROTOCOL);
    }
}

static void
test_staffing_read (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (
    "{\"target\": 0.8, \"within_s\": 20, \"intervals\": ["
    "{\"start\": \"2026-11-16T08:00:00Z\", \"offered\": 44, \"aht_s\": 152.3, \"traffic_erlangs\": 7.4449,"
    " \"needed\": 10, \"on_phones\": 4},"
    "{\"start\": \"2026-11-16T08:15:00Z\", \"offered\": 3, \"aht_s\": null, \"traffic_erlangs\": null,"
    " \"needed\": null, \"on_phones\": 0}]}", &error);
  g_autoptr(SignpostStaffingStats) staffing = NULL;
  const SignpostStaffingInterval *interval;

  g_assert_no_error (error);
  staffing = signpost_staffing_stats_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (staffing->target, ==, 0.8);
  g_assert_cmpfloat (staffing->within_s, ==, 20);
  g_assert_cmpuint (signpost_staffing_stats_get_n_intervals (staffing), ==, 2);
  interval = signpost_staffing_stats_get_interval (staffing, 0);
  g_assert_cmpfloat (interval->needed, ==, 10);
  g_assert_cmpfloat (interval->on_phones, ==, 4);
  g_assert_cmpfloat (interval->traffic_erlangs, ==, 7.4449);
  interval = signpost_staffing_stats_get_interval (staffing, 1);
  g_assert_true (isnan (interval->needed));
  g_assert_true (isnan (interval->aht_s));
}

/* ---- the four weeks before ------------------------------------------------------------- */

static double
by_week_1 (GDateTime *start, guint index) { return morning_calls (start, index) * 1; }
static double
by_week_2 (GDateTime *start, guint index) { return morning_calls (start, index) * 2; }
static double
by_week_3 (GDateTime *start, guint index) { return morning_calls (start, index) * 3; }
static double
night_owls (GDateTime *start,
            guint      index)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (start, london);
  return g_date_time_get_hour (local) == 1 ? 8 : morning_calls (start, index) * 6;
}

static void
test_average (void)
{
  g_autoptr(GPtrArray) past = g_ptr_array_new_with_free_func ((GDestroyNotify) signpost_day_stats_unref);
  g_autoptr(JsonNode) today_node = day_json (2026, 4, 5, NULL);
  g_autoptr(SignpostDayStats) today = parse_day (today_node);
  double average[96];
  struct { int month, day; double (*calls) (GDateTime *, guint); } weeks[] = {
    { 3, 29, night_owls }, /* the clocks went forward: no 01:00 */
    { 3, 22, by_week_1 },
    { 3, 15, by_week_2 },
    { 3, 8, by_week_3 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (weeks); i++)
    {
      g_autoptr(JsonNode) node = day_json (2026, weeks[i].month, weeks[i].day, weeks[i].calls);
      g_ptr_array_add (past, parse_day (node));
    }
  g_assert_cmpuint (signpost_day_stats_get_n_intervals (g_ptr_array_index (past, 0)), ==, 92);
  g_assert_cmpuint (signpost_day_stats_get_n_intervals (today), ==, 96);

  signpost_day_stats_average (today, past, london, SIGNPOST_STATS_FIELD (offered), average);
  /* 08:00: (60 + 10 + 20 + 30) / 4 */
  g_assert_cmpfloat (average[32], ==, 30);
  /* 01:00 only happened on three of the days, all quiet at that hour. */
  g_assert_cmpfloat (average[4], ==, 0);
  g_assert_cmpfloat (average[0], ==, 0);
  g_assert_cmpfloat (average[60], ==, 0);

  /* A time that none of them had is no value, not nought. */
  g_ptr_array_set_size (past, 1);
  signpost_day_stats_average (today, past, london, SIGNPOST_STATS_FIELD (offered), average);
  g_assert_true (isnan (average[4]));
  g_assert_cmpfloat (average[32], ==, 60);
  /* The means average too, missing ones left out. */
  signpost_day_stats_average (today, past, london, SIGNPOST_STATS_FIELD (mean_wait_s), average);
  g_assert_cmpfloat (average[32], ==, 12.5);
  g_assert_true (isnan (average[10]));
}

/* ---- CSV -------------------------------------------------------------------------------- */

static void
test_csv_quoting (void)
{
  const struct { const char *field; const char *written; } cases[] = {
    { "Riverside Medical Practice", "Riverside Medical Practice" },
    { "Smith, Jones and Partners", "\"Smith, Jones and Partners\"" },
    { "The \"New\" Surgery", "\"The \"\"New\"\" Surgery\"" },
    { "two\r\nlines", "\"two\r\nlines\"" },
    { "line\nfeed", "\"line\nfeed\"" },
    { "\"", "\"\"\"\"" },
    { "", "" },
    { NULL, "" },
    { "caf\xc3\xa9 ;'|\t", "caf\xc3\xa9 ;'|\t" },
  };
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_string_truncate (out, 0);
      signpost_csv_append_field (out, cases[i].field, TRUE);
      g_assert_cmpstr (out->str, ==, cases[i].written);
    }
  g_string_truncate (out, 0);
  signpost_csv_append_field (out, "a", TRUE);
  signpost_csv_append_field (out, NULL, FALSE);
  signpost_csv_append_field (out, "b,c", FALSE);
  signpost_csv_end_record (out);
  g_assert_cmpstr (out->str, ==, "a,,\"b,c\"\r\n");
}

/* A small RFC 4180 reader, to read back what was written. */
static GPtrArray *
read_csv (const char *text)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *record = g_ptr_array_new_with_free_func (g_free);
  GString *field = g_string_new (NULL);
  const char *p = text;

  while (*p != '\0')
    {
      if (*p == '"')
        {
          for (p++; !(*p == '"' && p[1] != '"'); p++)
            {
              g_assert_true (*p != '\0');
              if (*p == '"')
                p++;
              g_string_append_c (field, *p);
            }
          p++;
        }
      else if (*p == ',')
        {
          g_ptr_array_add (record, g_strdup (field->str));
          g_string_truncate (field, 0);
          p++;
        }
      else if (*p == '\r')
        {
          g_assert_true (p[1] == '\n');
          g_ptr_array_add (record, g_strdup (field->str));
          g_string_truncate (field, 0);
          g_ptr_array_add (records, record);
          record = g_ptr_array_new_with_free_func (g_free);
          p += 2;
        }
      else
        {
          g_assert_true (*p != '\n');
          g_string_append_c (field, *p++);
        }
    }
  g_assert_cmpuint (record->len, ==, 0);
  g_assert_cmpuint (field->len, ==, 0);
  g_ptr_array_unref (record);
  g_string_free (field, TRUE);
  return records;
}

static const char *
cell (GPtrArray *records,
      guint      row,
      guint      column)
{
  return g_ptr_array_index ((GPtrArray *) g_ptr_array_index (records, row), column);
}

static void
test_day_csv (void)
{
  g_autoptr(JsonNode) node = day_json (2026, 10, 25, morning_calls);
  g_autoptr(SignpostDayStats) day = parse_day (node);
  gsize length = 0;
  g_autofree char *text = signpost_load_csv_for_day (day, "Smith, \"Jones\" & Partners", london, &length);
  g_autoptr(GPtrArray) records = read_csv (text);
  double sum = 0;

  g_assert_cmpuint (length, ==, strlen (text));
  g_assert_true (g_str_has_suffix (text, "\r\n"));
  /* header, 100 intervals on the day the clocks go back, the total */
  g_assert_cmpuint (records->len, ==, 102);
  for (guint i = 0; i < records->len; i++)
    g_assert_cmpuint (((GPtrArray *) g_ptr_array_index (records, i))->len, ==, 21);
  g_assert_cmpstr (cell (records, 0, 0), ==, "practice_name");
  g_assert_cmpstr (cell (records, 0, 5), ==, "offered");
  g_assert_cmpstr (cell (records, 1, 0), ==, "Smith, \"Jones\" & Partners");
  g_assert_cmpstr (cell (records, 1, 1), ==, "2026-10-25");
  /* The two 01:00s told apart by their UTC start. */
  g_assert_cmpstr (cell (records, 5, 2), ==, "01:00");
  g_assert_cmpstr (cell (records, 9, 2), ==, "01:00");
  g_assert_cmpstr (cell (records, 5, 4), ==, "2026-10-25T00:00:00Z");
  g_assert_cmpstr (cell (records, 9, 4), ==, "2026-10-25T01:00:00Z");
  g_assert_cmpstr (cell (records, 37, 2), ==, "08:00");
  g_assert_cmpstr (cell (records, 37, 3), ==, "08:15");
  g_assert_cmpstr (cell (records, 37, 5), ==, "10");
  g_assert_cmpstr (cell (records, 37, 11), ==, "12.5");
  g_assert_cmpstr (cell (records, 37, 15), ==, "1.0000");
  /* Online requests per interval, and nothing where the server said nothing. */
  g_assert_cmpstr (cell (records, 0, 16), ==, "online_requests");
  g_assert_cmpstr (cell (records, 0, 20), ==, "emergency_stops");
  g_assert_cmpstr (cell (records, 37, 16), ==, "2");
  g_assert_cmpstr (cell (records, 1, 16), ==, "0");
  g_assert_cmpstr (cell (records, 37, 17), ==, "");
  /* No value is an empty field. */
  g_assert_cmpstr (cell (records, 1, 11), ==, "");
  for (guint i = 1; i < 101; i++)
    sum += g_ascii_strtod (cell (records, i, 5), NULL);
  g_assert_cmpstr (cell (records, 101, 2), ==, "total");
  g_assert_cmpfloat (g_ascii_strtod (cell (records, 101, 5), NULL), ==, sum);
  g_assert_cmpstr (cell (records, 101, 14), ==, "151.2");
  g_assert_cmpstr (cell (records, 101, 15), ==, "0.6687");
}

/* ---- the engine's raw GET ---------------------------------------------------------------- */

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
result_ready (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static GBytes *
get_bytes (SignpostSyncEngine  *engine,
           const char          *path,
           char               **content_type,
           GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  signpost_sync_engine_get_bytes_async (engine, path, NULL, store_result, &result);
  g_assert_true (test_wait_until (result_ready, &result, TIMEOUT_MS));
  return signpost_sync_engine_get_bytes_finish (engine, result, content_type, error);
}

static void
login (SignpostSyncEngine *engine,
       TestServer         *server,
       const char         *username)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  signpost_sync_engine_login_async (engine, test_server_get_url (server), username, "demo-password", NULL, NULL,
                                    store_result, &result);
  g_assert_true (test_wait_until (result_ready, &result, TIMEOUT_MS));
  g_assert_true (signpost_sync_engine_login_finish (engine, result, &error));
  g_assert_no_error (error);
}

static GBytes *
direct_get (TestServer *server,
            const char *token,
            const char *path)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (test_server_get_direct_url (server), "/api/v1/", path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(GError) error = NULL;
  GBytes *body;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  return body;
}

static void
test_engine_get_bytes (void)
{
  g_autoptr(TestServer) server = test_server_new ();
  g_autoptr(SignpostSyncEngine) engine = signpost_sync_engine_new ();
  g_autoptr(SignpostSyncEngine) navigator = signpost_sync_engine_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) direct = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *token = NULL;
  g_autofree char *demo_path = NULL;

  /* Not signed in: no server to ask. */
  bytes = get_bytes (engine, "stats/cbt-export?month=2026-11", &content_type, &error);
  g_assert_error (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_OFFLINE);
  g_assert_null (bytes);
  g_assert_null (content_type);
  g_clear_error (&error);

  login (engine, server, "manager");
  token = test_server_login (server, "manager");
  {
    /* The demo practices have ids of their own: take the manager's first. */
    g_autoptr(GHashTable) practices = test_server_fetch_records (server, token, "practice");
    GHashTableIter iter;
    gpointer id;

    g_hash_table_iter_init (&iter, practices);
    g_assert_true (g_hash_table_iter_next (&iter, &id, NULL));
    demo_path = g_strdup_printf ("stats/cbt-export?practice=%s&month=2026-11", (char *) id);
  }

  bytes = get_bytes (engine, demo_path, &content_type, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bytes);
  g_assert_true (g_str_has_prefix (content_type, "text/csv"));
  direct = direct_get (server, token, demo_path);
  g_assert_true (g_bytes_equal (bytes, direct));
  g_assert_true (g_str_has_prefix (g_bytes_get_data (bytes, NULL), "ods_code,practice_name,date,"));
  g_clear_pointer (&bytes, g_bytes_unref);
  g_clear_pointer (&content_type, g_free);

  /* The server's refusals come through as errors, its words kept. */
  bytes = get_bytes (engine, "stats/cbt-export?month=November", NULL, &error);
  g_assert_null (bytes);
  g_assert_error (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_SERVER);
  g_clear_error (&error);

  login (navigator, server, "navigator");
  bytes = get_bytes (navigator, demo_path, NULL, &error);
  g_assert_null (bytes);
  g_assert_error (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_FORBIDDEN);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = g_dir_make_tmp ("signpost-load-XXXXXX", NULL);
  int status;

  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_test_init (&argc, &argv, NULL);
  london = g_time_zone_new_identifier ("Europe/London");

  g_test_add_func ("/signpost/load/scale/nice", test_nice_scale);
  g_test_add_func ("/signpost/load/scale/hours-and-positions", test_hour_step_and_position);
  g_test_add_func ("/signpost/load/scale/interval-labels", test_interval_labels);
  g_test_add_func ("/signpost/load/scale/active-span", test_active_span);
  g_test_add_func ("/signpost/load/format", test_format);
  g_test_add_func ("/signpost/load/stats/day", test_day_stats_read);
  g_test_add_func ("/signpost/load/stats/day-refused", test_day_stats_refused);
  g_test_add_func ("/signpost/load/stats/staffing", test_staffing_read);
  g_test_add_func ("/signpost/load/stats/average", test_average);
  g_test_add_func ("/signpost/load/csv/quoting", test_csv_quoting);
  g_test_add_func ("/signpost/load/csv/day", test_day_csv);
  g_test_add_func ("/signpost/load/engine/get-bytes", test_engine_get_bytes);

  status = g_test_run ();
  g_time_zone_unref (london);
  return status;
}
