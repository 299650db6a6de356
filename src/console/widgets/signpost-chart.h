/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "signpost-chart-row.h"
#include "signpost-chart-series.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_CHART (signpost_chart_get_type ())
G_DECLARE_DERIVABLE_TYPE (SignpostChart, signpost_chart, SIGNPOST, CHART, GtkWidget)

/*
 * SignpostChart: the load page's charts, drawn with cairo in a GtkSnapshot.
 * Rows (15-minute intervals, or categories such as clinicians) across,
 * series (SignpostChartSeries, also as <child> in a .ui file) up. The base
 * class draws the legend (a pattern or marker beside every colour), the
 * labelled axes in the theme's text colour and the "nothing yet" text, and
 * keeps the numbers as a GListModel of SignpostChartRow that a table can
 * show (SignpostChartPanel) and an accessible description summarising them.
 *
 * signpost_chart_set_rows() replaces only the rows whose numbers changed
 * and redraws only when something did (:revision counts those times).
 * signpost_chart_set_window() picks the rows drawn (the hours worth
 * showing); the model keeps them all.
 */

/* Where the subclass draws, in widget coordinates. */
typedef struct {
  double x;
  double y;
  double width;
  double height;
  double top;     /* the value at the top of the axis (seconds for seconds) */
  double slot;    /* the width of one row */
  guint first;    /* the first row drawn */
  guint n;        /* how many */
  GdkRGBA ink;    /* the theme's text colour */
} SignpostChartPlot;

struct _SignpostChartClass
{
  GtkWidgetClass parent_class;

  void (*draw_plot) (SignpostChart           *self,
                     cairo_t                 *cr,
                     const SignpostChartPlot *plot);

  gpointer padding[4];
};

void          signpost_chart_add_series        (SignpostChart       *self,
                                                SignpostChartSeries *series);
GListModel   *signpost_chart_get_series        (SignpostChart       *self);
SignpostChartSeries *signpost_chart_get_series_at (SignpostChart    *self,
                                                guint                index);
GListModel   *signpost_chart_get_rows          (SignpostChart       *self);
GListModel   *signpost_chart_get_shown_rows    (SignpostChart       *self);
gboolean      signpost_chart_set_rows          (SignpostChart       *self,
                                                GPtrArray           *rows);
void          signpost_chart_set_window        (SignpostChart       *self,
                                                guint                first,
                                                guint                count);
guint         signpost_chart_get_first_shown   (SignpostChart       *self);
guint         signpost_chart_get_n_shown       (SignpostChart       *self);
double        signpost_chart_get_value         (SignpostChart       *self,
                                                guint                row,
                                                guint                series);
guint         signpost_chart_get_revision      (SignpostChart       *self);
char         *signpost_chart_describe          (SignpostChart       *self);
const char   *signpost_chart_get_x_title       (SignpostChart       *self);
void          signpost_chart_set_x_title       (SignpostChart       *self,
                                                const char          *title);
const char   *signpost_chart_get_y_title       (SignpostChart       *self);
SignpostChartUnit signpost_chart_get_unit      (SignpostChart       *self);
const char   *signpost_chart_get_empty_text    (SignpostChart       *self);
void          signpost_chart_set_empty_text    (SignpostChart       *self,
                                                const char          *text);
/* The legend's name for the hatched shortfall under a target series. */
void          signpost_chart_set_gap_title     (SignpostChart       *self,
                                                const char          *title);

/* For subclasses: the stacked bars, outlined targets with their hatched
 * shortfall, and the lines with their markers. */
void          signpost_chart_draw_bars         (SignpostChart           *self,
                                                cairo_t                 *cr,
                                                const SignpostChartPlot *plot);
void          signpost_chart_draw_lines        (SignpostChart           *self,
                                                cairo_t                 *cr,
                                                const SignpostChartPlot *plot);
void          signpost_chart_paint_fill        (cairo_t                 *cr,
                                                SignpostChartFill        fill,
                                                const GdkRGBA           *color,
                                                const GdkRGBA           *ink,
                                                double                   x,
                                                double                   y,
                                                double                   width,
                                                double                   height);
void          signpost_chart_paint_marker      (cairo_t                 *cr,
                                                SignpostChartMarker      marker,
                                                const GdkRGBA           *color,
                                                const GdkRGBA           *ink,
                                                double                   x,
                                                double                   y,
                                                double                   radius);

G_END_DECLS
