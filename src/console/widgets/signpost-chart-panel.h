/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "signpost-chart.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_CHART_PANEL (signpost_chart_panel_get_type ())
G_DECLARE_FINAL_TYPE (SignpostChartPanel, signpost_chart_panel, SIGNPOST, CHART_PANEL, AdwBin)

/* A chart in a card: its :title and :subtitle, and a "Show as Table"
 * toggle (:show-table) that swaps the drawing for a GtkColumnView of the
 * same numbers, one column per series, the rows named in :row-title. */
SignpostChart  *signpost_chart_panel_get_chart       (SignpostChartPanel *self);
void            signpost_chart_panel_set_chart       (SignpostChartPanel *self,
                                                      SignpostChart      *chart);
const char     *signpost_chart_panel_get_title       (SignpostChartPanel *self);
void            signpost_chart_panel_set_title       (SignpostChartPanel *self,
                                                      const char         *title);
void            signpost_chart_panel_set_subtitle    (SignpostChartPanel *self,
                                                      const char         *subtitle);
gboolean        signpost_chart_panel_get_show_table  (SignpostChartPanel *self);
void            signpost_chart_panel_set_show_table  (SignpostChartPanel *self,
                                                      gboolean            show_table);
GtkColumnView  *signpost_chart_panel_get_table       (SignpostChartPanel *self);
/* The text of the table's cell at @row (of the rows shown) and @column
 * (0: the row's name), as it is on screen. */
char           *signpost_chart_panel_get_cell_text   (SignpostChartPanel *self,
                                                      guint               row,
                                                      guint               column);

G_END_DECLS
