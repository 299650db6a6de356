/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>

#include "signpost-chart-row.h"
#include "signpost-chart-scale.h"
#include "signpost-load-csv.h"
#include "signpost-load-stats.h"
#include "signpost-sync.h"

/*
 * What one live update of the load page costs before anything is drawn:
 * reading a /stats/day reply (a Monday of 96 quarter hours), labelling the
 * intervals, the four-week average, building the calls and waits rows and
 * finding which differ from the last update (one interval changed, as when
 * a call arrives). Also the day's CSV. The page asks for /stats/day at
 * most every 3 s, so anything under a few milliseconds is invisible.
 */

#define N_UPDATES 2000

static GTimeZone *london;

static char *
day_reply (int    day,
           double bump)
{
  g_autoptr(GDateTime) midnight = g_date_time_new (london, 2026, 11, day, 0, 0, 0);
  g_autoptr(GDateTime) utc = g_date_time_to_utc (midnight);
  GString *out = g_string_new ("{\"practice_id\":\"p\",\"date\":\"2026-11-16\",\"intervals\":[");

  for (guint i = 0; i < 96; i++)
    {
      g_autoptr(GDateTime) start = g_date_time_add_minutes (utc, 15 * i);
      g_autofree char *text = signpost_timestamp_format (start);
      double offered = i >= 32 && i < 74 ? floor (60.0 * exp (-((double) i - 32.0) / 4.0) + 5 + (i == 40 ? bump : 0)) : 0;
      char wait[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (wait, sizeof wait, "%.1f", 20.0 + i);
      g_string_append_printf (out, "%s{\"start\":\"%s\",\"offered\":%.0f,\"answered\":%.0f,\"abandoned\":%.0f,"
                              "\"missed\":0,\"callbacks_requested\":%.0f,\"callbacks_made\":%.0f,"
                              "\"mean_wait_s\":%s,\"longest_wait_s\":%s,\"mean_abandon_s\":null,"
                              "\"mean_talk_s\":151.2,\"service_level\":%s}",
                              i ? "," : "", text, offered, floor (offered * 0.7), floor (offered * 0.2),
                              offered - floor (offered * 0.7) - floor (offered * 0.2),
                              offered - floor (offered * 0.7) - floor (offered * 0.2),
                              offered > 0 ? wait : "null", offered > 0 ? wait : "null",
                              offered > 0 ? "0.5" : "null");
    }
  g_string_append (out, "],\"totals\":{\"start\":\"2026-11-16T00:00:00Z\",\"offered\":900,\"answered\":600,"
                        "\"abandoned\":180,\"missed\":0,\"callbacks_requested\":120,\"callbacks_made\":100,"
                        "\"mean_wait_s\":40.2,\"longest_wait_s\":729.3,\"mean_abandon_s\":203.2,"
                        "\"mean_talk_s\":152.3,\"service_level\":0.6687},\"appointments\":[],\"triage\":[]}");
  return g_string_free (out, FALSE);
}

static SignpostDayStats *
parse (const char *text)
{
  g_autoptr(JsonNode) node = json_from_string (text, NULL);
  return signpost_day_stats_new_from_json (node, NULL);
}

/* The page's apply_day() without the widgets: the rows, and how many of
 * them differ from @previous. */
static GPtrArray *
build_rows (SignpostDayStats *day,
            GPtrArray        *past,
            GPtrArray        *previous,
            guint            *n_changed)
{
  guint n = signpost_day_stats_get_n_intervals (day), first, count;
  g_autofree GDateTime **starts = g_new0 (GDateTime *, n);
  g_autofree gboolean *active = g_new0 (gboolean, n);
  g_autofree double *average = g_new0 (double, n);
  g_auto(GStrv) ticks = NULL;
  g_auto(GStrv) titles = NULL;
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      starts[i] = signpost_day_stats_get_interval (day, i)->start;
      active[i] = signpost_day_stats_is_active (day, i);
    }
  signpost_chart_label_intervals (starts, n, london, 15, &ticks, &titles);
  signpost_chart_active_span (starts, active, n, london, 8 * 60, 18 * 60 + 30, &first, &count);
  signpost_day_stats_average (day, past, london, SIGNPOST_STATS_FIELD (offered), average);
  *n_changed = 0;
  for (guint i = 0; i < n; i++)
    {
      const SignpostStatsInterval *interval = signpost_day_stats_get_interval (day, i);
      double calls[8] = { interval->answered, interval->callbacks_requested, interval->abandoned, interval->missed,
                          0, average[i], interval->offered, interval->service_level };
      double waits[4] = { interval->mean_wait_s, interval->longest_wait_s, interval->mean_abandon_s,
                          interval->mean_talk_s };
      SignpostChartRow *row = signpost_chart_row_new (ticks[i], titles[i], calls, G_N_ELEMENTS (calls));

      g_ptr_array_add (rows, row);
      g_ptr_array_add (rows, signpost_chart_row_new (ticks[i], titles[i], waits, G_N_ELEMENTS (waits)));
      if (previous != NULL && !signpost_chart_row_equal (g_ptr_array_index (previous, 2 * i), row))
        (*n_changed)++;
    }
  return rows;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) past = g_ptr_array_new_with_free_func ((GDestroyNotify) signpost_day_stats_unref);
  g_autoptr(GPtrArray) previous = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gint64 start;
  double parse_us, rows_us, csv_us;
  guint changed = 0;
  gsize csv_bytes = 0;

  setlocale (LC_ALL, "");
  london = g_time_zone_new_identifier ("Europe/London");
  for (int week = 1; week <= 4; week++)
    {
      g_autofree char *text = day_reply (2 + week, week);
      g_ptr_array_add (past, parse (text));
    }
  before = day_reply (16, 0);
  after = day_reply (16, 1);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < N_UPDATES; i++)
    {
      g_autoptr(SignpostDayStats) day = parse (i % 2 ? after : before);
      g_assert_nonnull (day);
    }
  parse_us = (g_get_monotonic_time () - start) / (double) N_UPDATES;

  {
    g_autoptr(SignpostDayStats) first = parse (before);
    g_autoptr(SignpostDayStats) second = parse (after);

    previous = build_rows (first, past, NULL, &changed);
    start = g_get_monotonic_time ();
    for (guint i = 0; i < N_UPDATES; i++)
      {
        GPtrArray *rows = build_rows (i % 2 ? first : second, past, previous, &changed);
        g_assert_cmpuint (changed, ==, 1);
        g_ptr_array_unref (previous);
        previous = rows;
      }
    rows_us = (g_get_monotonic_time () - start) / (double) N_UPDATES;

    start = g_get_monotonic_time ();
    for (guint i = 0; i < N_UPDATES; i++)
      {
        g_autofree char *csv = signpost_load_csv_for_day (first, "Riverside Medical Practice", london, &csv_bytes);
      }
    csv_us = (g_get_monotonic_time () - start) / (double) N_UPDATES;
  }

  g_print ("load page, one live update of a 96-interval Monday (%u updates):\n", N_UPDATES);
  g_print ("  read /stats/day (%zu bytes)          %8.1f µs\n", strlen (before), parse_us);
  g_print ("  labels, span, 4-week average, rows  %8.1f µs (rows that differ: %u of 96)\n", rows_us, changed);
  g_print ("  the day's CSV (%zu bytes)            %8.1f µs\n", csv_bytes, csv_us);
  g_print ("  in all                              %8.1f µs (at most one update every 3 s)\n",
           parse_us + rows_us);

  g_time_zone_unref (london);
  return 0;
}
