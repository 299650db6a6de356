/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "signpost-bar-chart.h"
#include "signpost-chart-scale.h"
#include "signpost-load-online.h"

/* The opening hours always drawn, by the practice's clock (as the calls). */
#define OPEN_MINUTE (8 * 60)
#define CLOSE_MINUTE (18 * 60 + 30)

/* Series, in the order of the .ui file. */
enum { REQUESTS_MEDICAL, REQUESTS_ADMIN, REQUESTS_STOPS, REQUESTS_ALL, REQUESTS_OUTCOME, REQUESTS_MEAN_WAIT,
       REQUESTS_LATE, N_REQUESTS_SERIES };
enum { WAITS_IN_TIME, WAITS_LATE, WAITS_OPEN, WAITS_WAITED, WAITS_ALLOWED, N_WAITS_SERIES };

struct _SignpostLoadOnline
{
  GtkBox parent_instance;

  SignpostChartPanel *requests_panel;
  SignpostChart *requests_chart;
  SignpostChartPanel *waits_panel;
  SignpostChart *waits_chart;
};

G_DEFINE_FINAL_TYPE (SignpostLoadOnline, signpost_load_online, GTK_TYPE_BOX)

static double
seconds_between (GDateTime *from,
                 GDateTime *to)
{
  return MAX (g_date_time_difference (to, from), 0) / (double) G_TIME_SPAN_SECOND;
}

static const char *
source_label (const char *source)
{
  return g_strcmp0 (source, "intake") == 0 ? _("another online service") : _("online form");
}

static const char *
type_label (const char *type)
{
  if (g_strcmp0 (type, "medical") == 0)
    return _("medical");
  if (g_strcmp0 (type, "admin") == 0)
    return _("admin");
  return _("not said");
}

static void
apply_intervals (SignpostLoadOnline *self,
                 SignpostDayStats   *day,
                 GTimeZone          *tz)
{
  guint n = signpost_day_stats_get_n_intervals (day), first = 0, count = 0;
  g_autofree GDateTime **starts = g_new0 (GDateTime *, MAX (n, 1));
  g_autofree gboolean *active = g_new0 (gboolean, MAX (n, 1));
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(GStrv) ticks = NULL;
  g_auto(GStrv) titles = NULL;

  for (guint i = 0; i < n; i++)
    {
      const SignpostStatsInterval *interval = signpost_day_stats_get_interval (day, i);

      starts[i] = interval->start;
      /* The form is open when the phones are not: the evening's requests
       * widen the span as calls do. */
      active[i] = interval->online_requests > 0 || interval->emergency_stops > 0;
    }
  signpost_chart_label_intervals (starts, n, tz, 15, &ticks, &titles);
  signpost_chart_active_span (starts, active, n, tz, OPEN_MINUTE, CLOSE_MINUTE, &first, &count);
  for (guint i = 0; i < n; i++)
    {
      const SignpostStatsInterval *interval = signpost_day_stats_get_interval (day, i);
      double values[N_REQUESTS_SERIES] = {
        [REQUESTS_MEDICAL] = interval->online_medical,
        [REQUESTS_ADMIN] = interval->online_admin,
        [REQUESTS_STOPS] = interval->emergency_stops,
        [REQUESTS_ALL] = interval->online_requests,
        [REQUESTS_OUTCOME] = interval->online_with_outcome,
        [REQUESTS_MEAN_WAIT] = interval->online_mean_wait_for_outcome_s,
        [REQUESTS_LATE] = interval->online_late,
      };

      g_ptr_array_add (rows, signpost_chart_row_new (ticks[i], titles[i], values, N_REQUESTS_SERIES));
    }
  signpost_chart_set_rows (self->requests_chart, rows);
  signpost_chart_set_window (self->requests_chart, first, count);
}

static void
apply_requests (SignpostLoadOnline *self,
                SignpostDayStats   *day,
                GTimeZone          *tz,
                GDateTime          *now)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < day->requests->len; i++)
    {
      SignpostStatsRequest *request = g_ptr_array_index (day->requests, i);
      g_autoptr(GDateTime) local = g_date_time_to_timezone (request->received_at, tz);
      g_autofree char *tick = g_date_time_format (local, "%H:%M");
      g_autofree char *title = NULL;
      double values[N_WAITS_SERIES] = { NAN, NAN, NAN, NAN, NAN };

      /* The bars in hours; the table also in hours and minutes. */
      values[WAITS_WAITED] = seconds_between (request->received_at,
                                              request->outcome_at != NULL ? request->outcome_at : now);
      if (request->outcome_at != NULL)
        values[request->late ? WAITS_LATE : WAITS_IN_TIME] = values[WAITS_WAITED] / 3600.0;
      else
        values[WAITS_OPEN] = values[WAITS_WAITED] / 3600.0;
      if (request->respond_by != NULL)
        values[WAITS_ALLOWED] = seconds_between (request->received_at, request->respond_by);
      /* Translators: a request in the table, "08:03, online form, medical" */
      title = g_strdup_printf (_("%s, %s, %s"), tick, source_label (request->source),
                               type_label (request->request_type));
      g_ptr_array_add (rows, signpost_chart_row_new (tick, title, values, N_WAITS_SERIES));
    }
  signpost_chart_set_rows (self->waits_chart, rows);
  signpost_chart_set_window (self->waits_chart, 0, rows->len);
}

static void
signpost_load_online_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SIGNPOST_TYPE_LOAD_ONLINE);

  G_OBJECT_CLASS (signpost_load_online_parent_class)->dispose (object);
}

static void
signpost_load_online_class_init (SignpostLoadOnlineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = signpost_load_online_dispose;

  g_type_ensure (SIGNPOST_TYPE_CHART_PANEL);
  g_type_ensure (SIGNPOST_TYPE_BAR_CHART);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/signpost/Signpost/signpost-load-online.ui");
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadOnline, requests_panel);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadOnline, requests_chart);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadOnline, waits_panel);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadOnline, waits_chart);
}

static void
signpost_load_online_init (SignpostLoadOnline *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
signpost_load_online_set_day (SignpostLoadOnline *self,
                              SignpostDayStats   *day,
                              GTimeZone          *tz,
                              GDateTime          *now,
                              const char         *time_axis)
{
  g_return_if_fail (SIGNPOST_IS_LOAD_ONLINE (self));

  if (day == NULL)
    {
      g_autoptr(GPtrArray) none = g_ptr_array_new_with_free_func (g_object_unref);

      signpost_chart_set_rows (self->requests_chart, none);
      signpost_chart_set_rows (self->waits_chart, none);
      return;
    }
  signpost_chart_set_x_title (self->requests_chart, time_axis);
  /* Translators: the x axis of the chart with a bar for each request */
  signpost_chart_set_x_title (self->waits_chart, _("When each request came, in the order they came"));
  apply_intervals (self, day, tz);
  apply_requests (self, day, tz, now);
}

SignpostChartPanel *
signpost_load_online_get_panel (SignpostLoadOnline *self,
                                const char         *name)
{
  g_return_val_if_fail (SIGNPOST_IS_LOAD_ONLINE (self), NULL);

  if (g_strcmp0 (name, "online") == 0)
    return self->requests_panel;
  if (g_strcmp0 (name, "online-waits") == 0)
    return self->waits_panel;
  return NULL;
}
