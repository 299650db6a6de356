/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "signpost-chart-enum-types.h"
#include "signpost-chart-enums.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_CHART_SERIES (signpost_chart_series_get_type ())
G_DECLARE_FINAL_TYPE (SignpostChartSeries, signpost_chart_series, SIGNPOST, CHART_SERIES, GObject)

/* One set of numbers of a SignpostChart: its name in the legend and the
 * table (:title), how it is drawn (:kind, :fill, :marker, :dashed,
 * :color) and what its numbers are (:unit). A series that is not
 * :visible is left out of the chart, the legend and the table. */
SignpostChartSeries     *signpost_chart_series_new         (const char              *title,
                                                            SignpostChartSeriesKind  kind);
const char              *signpost_chart_series_get_title   (SignpostChartSeries *self);
void                     signpost_chart_series_set_title   (SignpostChartSeries *self,
                                                            const char          *title);
SignpostChartSeriesKind  signpost_chart_series_get_kind    (SignpostChartSeries *self);
SignpostChartFill        signpost_chart_series_get_fill    (SignpostChartSeries *self);
SignpostChartMarker      signpost_chart_series_get_marker  (SignpostChartSeries *self);
gboolean                 signpost_chart_series_get_dashed  (SignpostChartSeries *self);
const GdkRGBA           *signpost_chart_series_get_color   (SignpostChartSeries *self);
SignpostChartUnit        signpost_chart_series_get_unit    (SignpostChartSeries *self);
gboolean                 signpost_chart_series_get_visible (SignpostChartSeries *self);
void                     signpost_chart_series_set_visible (SignpostChartSeries *self,
                                                            gboolean             visible);

G_END_DECLS
