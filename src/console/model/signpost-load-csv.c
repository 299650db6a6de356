/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <math.h>
#include <string.h>

#include "signpost-load-csv.h"
#include "signpost-sync.h"

void
signpost_csv_append_field (GString    *out,
                           const char *field,
                           gboolean    first)
{
  g_return_if_fail (out != NULL);

  if (!first)
    g_string_append_c (out, ',');
  signpost_csv_append (out, field, TRUE);
}

void
signpost_csv_end_record (GString *out)
{
  g_return_if_fail (out != NULL);
  g_string_append (out, "\r\n");
}

static void
append_number (GString    *out,
               double      value,
               const char *format)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  /* A number, never guarded: a negative gap stays a number. */
  g_string_append_c (out, ',');
  if (!isnan (value))
    signpost_csv_append (out, g_ascii_formatd (buffer, sizeof buffer, format, value), FALSE);
}

static void
append_interval (GString                     *out,
                 const char                  *practice_name,
                 const char                  *date,
                 const char                  *local_start,
                 const char                  *local_end,
                 const SignpostStatsInterval *interval)
{
  g_autofree char *utc = signpost_timestamp_format (interval->start);

  signpost_csv_append_field (out, practice_name, TRUE);
  signpost_csv_append_field (out, date, FALSE);
  signpost_csv_append_field (out, local_start, FALSE);
  signpost_csv_append_field (out, local_end, FALSE);
  signpost_csv_append_field (out, utc, FALSE);
  append_number (out, interval->offered, "%.0f");
  append_number (out, interval->answered, "%.0f");
  append_number (out, interval->abandoned, "%.0f");
  append_number (out, interval->missed, "%.0f");
  append_number (out, interval->callbacks_requested, "%.0f");
  append_number (out, interval->callbacks_made, "%.0f");
  append_number (out, interval->mean_wait_s, "%.1f");
  append_number (out, interval->longest_wait_s, "%.1f");
  append_number (out, interval->mean_abandon_s, "%.1f");
  append_number (out, interval->mean_talk_s, "%.1f");
  append_number (out, interval->service_level, "%.4f");
  append_number (out, interval->online_requests, "%.0f");
  append_number (out, interval->online_with_outcome, "%.0f");
  append_number (out, interval->online_mean_wait_for_outcome_s, "%.1f");
  append_number (out, interval->online_late, "%.0f");
  append_number (out, interval->emergency_stops, "%.0f");
  signpost_csv_end_record (out);
}

char *
signpost_load_csv_for_day (SignpostDayStats *day,
                           const char       *practice_name,
                           GTimeZone        *tz,
                           gsize            *length)
{
  static const char *header[] = {
    "practice_name", "date", "local_start", "local_end", "utc_start",
    "offered", "answered", "abandoned", "missed", "callbacks_requested", "callbacks_made",
    "mean_wait_seconds", "longest_wait_seconds", "mean_time_before_abandonment_seconds",
    "mean_call_length_seconds", "answered_within_60_seconds_share",
    "online_requests", "online_requests_with_outcome", "online_mean_wait_for_outcome_seconds",
    "online_requests_late", "emergency_stops",
  };
  GString *out;

  g_return_val_if_fail (day != NULL, NULL);
  g_return_val_if_fail (tz != NULL, NULL);

  out = g_string_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (header); i++)
    signpost_csv_append_field (out, header[i], i == 0);
  signpost_csv_end_record (out);

  for (guint i = 0; i < day->intervals->len; i++)
    {
      const SignpostStatsInterval *interval = &g_array_index (day->intervals, SignpostStatsInterval, i);
      g_autoptr(GDateTime) start = g_date_time_to_timezone (interval->start, tz);
      g_autoptr(GDateTime) end = g_date_time_add_minutes (start, 15);
      /* utc_start tells the two 01:00s of the day the clocks go back apart. */
      g_autofree char *from = g_date_time_format (start, "%H:%M");
      g_autofree char *to = g_date_time_format (end, "%H:%M");

      append_interval (out, practice_name, day->date, from, to, interval);
    }
  append_interval (out, practice_name, day->date, "total", NULL, &day->totals);

  if (length != NULL)
    *length = out->len;
  return g_string_free (out, FALSE);
}
