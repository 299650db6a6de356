/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "signpost-chart-scale.h"

void
signpost_chart_nice_scale (double    max,
                           guint     max_ticks,
                           gboolean  integers,
                           double   *top,
                           double   *step)
{
  static const double steps[] = { 1.0, 2.0, 5.0, 10.0 };
  double raw, magnitude;

  g_return_if_fail (top != NULL && step != NULL);

  max_ticks = MAX (max_ticks, 1);
  if (!(max > 0.0) || !isfinite (max))
    {
      /* Nothing to show: a small axis rather than none. */
      *step = integers ? 1.0 : 0.25;
      *top = *step * MIN (max_ticks, 4);
      return;
    }

  raw = max / max_ticks;
  magnitude = pow (10.0, floor (log10 (raw)));
  *step = magnitude * 10.0;
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (magnitude * steps[i] >= raw * (1.0 - 1e-9))
      {
        *step = magnitude * steps[i];
        break;
      }
  if (integers && *step < 1.0)
    *step = 1.0;
  *top = ceil (max / *step - 1e-9) * *step;
  if (*top <= 0.0)
    *top = *step;
}

guint
signpost_chart_hour_step (double hour_px,
                          double label_px)
{
  static const guint steps[] = { 1, 2, 3, 4, 6, 12 };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (hour_px * steps[i] >= label_px)
      return steps[i];
  return 24;
}

double
signpost_chart_value_to_y (double value,
                           double top,
                           double height)
{
  if (!(top > 0.0) || isnan (value))
    return height;
  return height - CLAMP (value / top, 0.0, 1.0) * height;
}

/* The wall-clock key of an instant, "08:00". */
static char *
wall_clock (GDateTime *instant,
            GTimeZone *tz)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (instant, tz);
  return g_date_time_format (local, "%H:%M");
}

static char *
zone_of (GDateTime *instant,
         GTimeZone *tz)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (instant, tz);
  return g_date_time_format (local, "%Z");
}

void
signpost_chart_label_intervals (GDateTime * const *starts,
                                guint              n,
                                GTimeZone         *tz,
                                guint              minutes,
                                GStrv             *ticks_out,
                                GStrv             *titles_out)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GStrvBuilder) ticks = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) titles = g_strv_builder_new ();

  /* Which wall-clock times come round twice today. */
  for (guint i = 0; i < n; i++)
    {
      char *key = wall_clock (starts[i], tz);
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (seen, key));
      g_hash_table_replace (seen, key, GUINT_TO_POINTER (count + 1));
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GDateTime) local = g_date_time_to_timezone (starts[i], tz);
      g_autoptr(GDateTime) end = g_date_time_add_minutes (starts[i], minutes);
      g_autofree char *from = wall_clock (starts[i], tz);
      g_autofree char *to = wall_clock (end, tz);
      gboolean twice = GPOINTER_TO_UINT (g_hash_table_lookup (seen, from)) > 1;
      g_autofree char *zone = twice ? zone_of (starts[i], tz) : NULL;
      g_autofree char *title = NULL;
      g_autofree char *tick = NULL;

      if (twice)
        /* Translators: a 15-minute interval on the day the clocks go back, "01:00–01:15 BST" */
        title = g_strdup_printf (_("%s–%s %s"), from, to, zone);
      else
        /* Translators: a 15-minute interval, "08:00–08:15" */
        title = g_strdup_printf (_("%s–%s"), from, to);
      if (g_date_time_get_minute (local) == 0)
        tick = twice ? g_strdup_printf ("%s %s", from, zone) : g_strdup (from);
      else
        tick = g_strdup ("");
      g_strv_builder_add (ticks, tick);
      g_strv_builder_add (titles, title);
    }
  if (ticks_out != NULL)
    *ticks_out = g_strv_builder_end (ticks);
  if (titles_out != NULL)
    *titles_out = g_strv_builder_end (titles);
}

static gint64
local_minutes (GDateTime *instant,
               GTimeZone *tz)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (instant, tz);
  return g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local);
}

void
signpost_chart_active_span (GDateTime * const *starts,
                            const gboolean    *active,
                            guint              n,
                            GTimeZone         *tz,
                            guint              open_minute,
                            guint              close_minute,
                            guint             *first,
                            guint             *count)
{
  guint from = n, to = 0;

  g_return_if_fail (first != NULL && count != NULL);

  if (n == 0)
    {
      *first = 0;
      *count = 0;
      return;
    }
  /* The opening hours by the wall clock. */
  for (guint i = 0; i < n; i++)
    {
      gint64 minute = local_minutes (starts[i], tz);
      if (minute >= open_minute && minute < close_minute)
        {
          from = MIN (from, i);
          to = MAX (to, i + 1);
        }
    }
  /* Anything outside them, to the whole hour. */
  for (guint i = 0; active != NULL && i < n; i++)
    {
      if (!active[i])
        continue;
      if (i < from)
        {
          from = i;
          while (from > 0 && local_minutes (starts[from], tz) % 60 != 0)
            from--;
        }
      if (i + 1 > to)
        {
          to = i + 1;
          while (to < n && local_minutes (starts[to], tz) % 60 != 0)
            to++;
        }
    }
  if (from >= to)
    {
      from = 0;
      to = n;
    }
  *first = from;
  *count = to - from;
}

char *
signpost_chart_format_duration (double seconds)
{
  guint64 whole;

  if (isnan (seconds))
    return g_strdup ("—");
  whole = (guint64) llround (MAX (seconds, 0.0));
  if (whole < 60)
    /* Translators: a wait in seconds, "45 s" */
    return g_strdup_printf (_("%u s"), (guint) whole);
  if (whole < 3600)
    /* Translators: a wait in minutes and seconds, "3 min 07 s" */
    return g_strdup_printf (_("%u min %02u s"), (guint) (whole / 60), (guint) (whole % 60));
  /* Translators: a wait in hours and minutes, "1 h 05 min" */
  return g_strdup_printf (_("%u h %02u min"), (guint) (whole / 3600), (guint) (whole % 3600 / 60));
}

char *
signpost_chart_format_value (double            value,
                             SignpostChartUnit unit)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (value))
    return g_strdup ("—");
  switch (unit)
    {
    case SIGNPOST_CHART_UNIT_SECONDS:
      return signpost_chart_format_duration (value);
    case SIGNPOST_CHART_UNIT_DECIMAL:
      return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.2f", value));
    case SIGNPOST_CHART_UNIT_SHARE:
      /* Translators: a share of calls, "67.3%" */
      return g_strdup_printf (_("%s%%"), g_ascii_formatd (buffer, sizeof buffer, "%.1f", value * 100.0));
    case SIGNPOST_CHART_UNIT_COUNT:
    default:
      if (fabs (value - round (value)) < 1e-9)
        return g_strdup_printf ("%.0f", value);
      return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.1f", value));
    }
}

char *
signpost_chart_format_tick (double            value,
                            SignpostChartUnit unit)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  switch (unit)
    {
    case SIGNPOST_CHART_UNIT_SECONDS:
      value /= 60.0;
      break;
    case SIGNPOST_CHART_UNIT_SHARE:
      return g_strdup_printf (_("%s%%"), g_ascii_formatd (buffer, sizeof buffer, "%g", round (value * 1000.0) / 10.0));
    case SIGNPOST_CHART_UNIT_COUNT:
    case SIGNPOST_CHART_UNIT_DECIMAL:
    default:
      break;
    }
  /* %g drops the zeros: 2.5, 10, 0.25 */
  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%g", round (value * 1000.0) / 1000.0));
}
