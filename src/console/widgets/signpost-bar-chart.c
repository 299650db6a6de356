/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include "signpost-bar-chart.h"

struct _SignpostBarChart
{
  SignpostChart parent_instance;
};

G_DEFINE_FINAL_TYPE (SignpostBarChart, signpost_bar_chart, SIGNPOST_TYPE_CHART)

static void
signpost_bar_chart_draw_plot (SignpostChart           *chart,
                              cairo_t                 *cr,
                              const SignpostChartPlot *plot)
{
  signpost_chart_draw_bars (chart, cr, plot);
  signpost_chart_draw_lines (chart, cr, plot);
}

static void
signpost_bar_chart_class_init (SignpostBarChartClass *klass)
{
  SIGNPOST_CHART_CLASS (klass)->draw_plot = signpost_bar_chart_draw_plot;
}

static void
signpost_bar_chart_init (SignpostBarChart *self)
{
}

SignpostBarChart *
signpost_bar_chart_new (void)
{
  return g_object_new (SIGNPOST_TYPE_BAR_CHART, NULL);
}
