/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include "signpost-line-chart.h"

struct _SignpostLineChart
{
  SignpostChart parent_instance;
};

G_DEFINE_FINAL_TYPE (SignpostLineChart, signpost_line_chart, SIGNPOST_TYPE_CHART)

static void
signpost_line_chart_draw_plot (SignpostChart           *chart,
                               cairo_t                 *cr,
                               const SignpostChartPlot *plot)
{
  signpost_chart_draw_lines (chart, cr, plot);
}

static void
signpost_line_chart_class_init (SignpostLineChartClass *klass)
{
  SIGNPOST_CHART_CLASS (klass)->draw_plot = signpost_line_chart_draw_plot;
}

static void
signpost_line_chart_init (SignpostLineChart *self)
{
}

SignpostLineChart *
signpost_line_chart_new (void)
{
  return g_object_new (SIGNPOST_TYPE_LINE_CHART, NULL);
}
