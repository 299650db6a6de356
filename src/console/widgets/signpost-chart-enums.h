/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * SignpostChartSeriesKind:
 * @SIGNPOST_CHART_SERIES_BAR: a segment of the stacked bar of each row
 * @SIGNPOST_CHART_SERIES_LINE: a line with a marker at each row
 * @SIGNPOST_CHART_SERIES_TARGET: an outlined bar to the value; whatever the
 *   stacked bars fall short of it is hatched and labelled (the staffing gap)
 * @SIGNPOST_CHART_SERIES_TABLE: shown in the table only
 */
typedef enum {
  SIGNPOST_CHART_SERIES_BAR,    /*< nick=bar >*/
  SIGNPOST_CHART_SERIES_LINE,   /*< nick=line >*/
  SIGNPOST_CHART_SERIES_TARGET, /*< nick=target >*/
  SIGNPOST_CHART_SERIES_TABLE,  /*< nick=table >*/
} SignpostChartSeriesKind;

/* How a bar segment is filled: a pattern as well as a colour, so that
 * nothing is told by colour alone. */
typedef enum {
  SIGNPOST_CHART_FILL_SOLID,        /*< nick=solid >*/
  SIGNPOST_CHART_FILL_HATCHED,      /*< nick=hatched >*/
  SIGNPOST_CHART_FILL_CROSSHATCHED, /*< nick=crosshatched >*/
  SIGNPOST_CHART_FILL_DOTTED,       /*< nick=dotted >*/
  SIGNPOST_CHART_FILL_STRIPED,      /*< nick=striped >*/
  SIGNPOST_CHART_FILL_OUTLINE,      /*< nick=outline >*/
} SignpostChartFill;

typedef enum {
  SIGNPOST_CHART_MARKER_NONE,     /*< nick=none >*/
  SIGNPOST_CHART_MARKER_CIRCLE,   /*< nick=circle >*/
  SIGNPOST_CHART_MARKER_SQUARE,   /*< nick=square >*/
  SIGNPOST_CHART_MARKER_TRIANGLE, /*< nick=triangle >*/
  SIGNPOST_CHART_MARKER_DIAMOND,  /*< nick=diamond >*/
} SignpostChartMarker;

/* What a number is, for the axis and the table. Seconds are plotted in
 * minutes. */
typedef enum {
  SIGNPOST_CHART_UNIT_COUNT,   /*< nick=count >*/
  SIGNPOST_CHART_UNIT_SECONDS, /*< nick=seconds >*/
  SIGNPOST_CHART_UNIT_DECIMAL, /*< nick=decimal >*/
  SIGNPOST_CHART_UNIT_SHARE,   /*< nick=share >*/
} SignpostChartUnit;

G_END_DECLS
