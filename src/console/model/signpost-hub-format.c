/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "signpost-hub-format.h"
#include "signpost-load-csv.h"

const char *
signpost_hub_measure_title (const char *measure)
{
  if (g_strcmp0 (measure, "answered_within_60s") == 0)
    return _("Calls answered within 60 seconds");
  if (g_strcmp0 (measure, "abandoned") == 0)
    return _("Calls abandoned");
  if (g_strcmp0 (measure, "did_not_attend") == 0)
    return _("Appointments not attended");
  return measure;
}

const char *
signpost_hub_position_words (const char             *measure,
                             SignpostFunnelPosition  position)
{
  gboolean above = position == SIGNPOST_FUNNEL_ABOVE_95 || position == SIGNPOST_FUNNEL_ABOVE_998;

  if (position == SIGNPOST_FUNNEL_WITHIN || position == SIGNPOST_FUNNEL_NONE)
    return NULL;
  if (g_strcmp0 (measure, "answered_within_60s") == 0)
    return above ? _("answers more calls within a minute than the hub")
                 : _("answers fewer calls within a minute than the hub");
  if (g_strcmp0 (measure, "abandoned") == 0)
    return above ? _("has more callers hanging up before an answer than the hub")
                 : _("has fewer callers hanging up before an answer than the hub");
  return above ? _("has more missed appointments than the hub")
               : _("has fewer missed appointments than the hub");
}

char *
signpost_hub_format_rate (double rate,
                          double events,
                          double n)
{
  if (isnan (rate) || isnan (n) || n <= 0)
    return g_strdup ("—");
  /* TRANSLATORS: a rate with its count: "52.9% (640 of 1,210)" */
  return g_strdup_printf (_("%.1f%% (%'.0f of %'.0f)"), rate * 100, events, n);
}

char *
signpost_hub_describe_outliers (SignpostHubStats        *stats,
                                const SignpostHubFunnel *funnel)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < funnel->points->len; i++)
    {
      const SignpostHubFunnelPoint *point = &g_array_index (funnel->points, SignpostHubFunnelPoint, i);
      const SignpostHubPractice *practice = signpost_hub_stats_find_practice (stats, point->practice_id);
      const char *words = signpost_hub_position_words (funnel->measure, point->position);
      gboolean far = point->position == SIGNPOST_FUNNEL_ABOVE_998 || point->position == SIGNPOST_FUNNEL_BELOW_998;
      g_autofree char *rate = NULL;

      if (words == NULL || practice == NULL)
        continue;
      rate = signpost_hub_format_rate (point->rate, point->events, point->n);
      if (text->len > 0)
        g_string_append (text, " ");
      /* TRANSLATORS: "Ashby Surgery answers fewer calls within a minute than the hub: 41.2% (…), outside the 99.8% limits." */
      g_string_append_printf (text, far ? _("%s %s: %s, outside the 99.8%% limits.")
                                        : _("%s %s: %s, outside the 95%% limits."),
                              practice->name, words, rate);
    }
  if (text->len == 0)
    return g_strdup (_("Every practice is within the limits: the differences are no bigger than chance would make."));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* ---- CSV ------------------------------------------------------------------------------- */

static void
number (GString *out,
        double   value,
        gboolean rate)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_c (out, ',');
  if (isnan (value))
    return;
  g_string_append (out, g_ascii_formatd (buffer, sizeof buffer, rate ? "%.4f" : "%.1f", value));
  if (!rate && g_str_has_suffix (out->str, ".0"))
    g_string_truncate (out, out->len - 2);
}

static void
row (GString                  *out,
     const char               *name,
     const char               *ods,
     const char               *from,
     const char               *to,
     const SignpostHubFigures *f)
{
  signpost_csv_append_field (out, name, TRUE);
  signpost_csv_append_field (out, ods ? ods : "", FALSE);
  signpost_csv_append_field (out, from, FALSE);
  signpost_csv_append_field (out, to, FALSE);
  number (out, f->list_size, FALSE);
  number (out, f->offered, FALSE);
  number (out, f->offered_per_1000, FALSE);
  number (out, f->answered, FALSE);
  number (out, f->answered_within_60s, FALSE);
  number (out, f->answered_within_60s_rate, TRUE);
  number (out, f->abandoned, FALSE);
  number (out, f->abandoned_rate, TRUE);
  number (out, f->mean_wait_s, FALSE);
  number (out, f->longest_wait_s, FALSE);
  number (out, f->callbacks_requested, FALSE);
  number (out, f->callbacks_made, FALSE);
  number (out, f->online, FALSE);
  number (out, f->online_per_1000, FALSE);
  number (out, f->appointments_offered, FALSE);
  number (out, f->appointments_per_1000, FALSE);
  number (out, f->booked, FALSE);
  number (out, f->used, FALSE);
  number (out, f->unused, FALSE);
  number (out, f->did_not_attend, FALSE);
  number (out, f->did_not_attend_rate, TRUE);
  number (out, f->booked_by_hub, FALSE);
  number (out, f->navigation, FALSE);
  number (out, f->signposted, FALSE);
  signpost_csv_end_record (out);
}

/**
 * signpost_hub_csv:
 *
 * Each practice's figures for the whole span, then week by week; the
 * hub's last when the server gave them. Rates as fractions, times in
 * seconds, "per 1,000" figures per 1,000 registered patients a week.
 */
char *
signpost_hub_csv (SignpostHubStats *stats)
{
  static const char * const header[] = {
    "practice", "ods_code", "from", "to", "list_size", "calls_offered", "calls_per_1000_per_week",
    "answered", "answered_within_60s", "answered_within_60s_rate", "abandoned", "abandoned_rate",
    "mean_wait_s", "longest_wait_s", "callbacks_requested", "callbacks_made", "online_requests",
    "online_requests_per_1000_per_week", "appointments_offered", "appointments_per_1000_per_week",
    "booked", "used", "unused", "did_not_attend", "did_not_attend_rate", "booked_by_hub",
    "navigation_records", "signposted_outside",
  };
  g_autoptr(GString) out = g_string_new (NULL);
  guint n_weeks = signpost_hub_stats_get_n_weeks (stats);

  for (guint i = 0; i < G_N_ELEMENTS (header); i++)
    signpost_csv_append_field (out, header[i], i == 0);
  signpost_csv_end_record (out);
  for (guint i = 0; i < stats->practices->len; i++)
    {
      const SignpostHubPractice *p = g_ptr_array_index (stats->practices, i);

      row (out, p->name, p->ods_code, stats->from, stats->to, &p->totals);
      for (guint w = 0; w < n_weeks; w++)
        row (out, p->name, p->ods_code, stats->week_starts[w], stats->week_ends[w],
             &g_array_index (p->weeks, SignpostHubFigures, w));
    }
  if (stats->has_hub)
    {
      /* TRANSLATORS: the name of the hub's total row */
      row (out, _("All practices in the hub"), NULL, stats->from, stats->to, &stats->hub_totals);
      for (guint w = 0; w < n_weeks; w++)
        row (out, _("All practices in the hub"), NULL, stats->week_starts[w], stats->week_ends[w],
             &g_array_index (stats->hub_weeks, SignpostHubFigures, w));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}
