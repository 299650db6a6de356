/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SIGNPOST_TYPE_CHART_ROW (signpost_chart_row_get_type ())
G_DECLARE_FINAL_TYPE (SignpostChartRow, signpost_chart_row, SIGNPOST, CHART_ROW, GObject)

/* One row of a SignpostChart: a 15-minute interval or a category, with
 * one number per series (NaN for none). Rows never change: a chart whose
 * numbers change replaces the rows that differ, so that its table hears
 * exactly which. */
SignpostChartRow *signpost_chart_row_new          (const char       *tick,
                                                   const char       *title,
                                                   const double     *values,
                                                   guint             n_values);
const char       *signpost_chart_row_get_tick     (SignpostChartRow *self);
const char       *signpost_chart_row_get_title    (SignpostChartRow *self);
guint             signpost_chart_row_get_n_values (SignpostChartRow *self);
double            signpost_chart_row_get_value    (SignpostChartRow *self,
                                                   guint             index);
gboolean          signpost_chart_row_equal        (SignpostChartRow *a,
                                                   SignpostChartRow *b);

G_END_DECLS
