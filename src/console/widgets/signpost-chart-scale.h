/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "signpost-chart-enums.h"

G_BEGIN_DECLS

/* The arithmetic of the load charts, kept apart from drawing so that it
 * can be tested without a display. Not a class: plain functions. */

/* An axis from 0 to *top in steps of *step, with at most @max_ticks steps,
 * whose step is 1, 2 or 5 times a power of ten (whole numbers only when
 * @integers). An empty axis (max <= 0 or NaN) still has a top. */
void      signpost_chart_nice_scale       (double       max,
                                           guint        max_ticks,
                                           gboolean     integers,
                                           double      *top,
                                           double      *step);

/* Every how many hours a time label fits, when an hour is @hour_px wide
 * and a label needs @label_px: 1, 2, 3, 4, 6 or 12. */
guint     signpost_chart_hour_step        (double       hour_px,
                                           double       label_px);

/* Where @value lands between @bottom (0) and @top of an axis @height high
 * (y grows downwards). */
double    signpost_chart_value_to_y       (double       value,
                                           double       top,
                                           double       height);

/* The 15-minute intervals of a local day, starting at the UTC instants
 * @starts: an axis label at each whole hour ("08:00"; "" elsewhere) and a
 * title for each row ("08:00–08:15"). A wall-clock time that happens twice
 * (the day the clocks go back) carries its zone ("01:00 BST", "01:00 GMT"). */
void      signpost_chart_label_intervals  (GDateTime * const *starts,
                                           guint        n,
                                           GTimeZone   *tz,
                                           guint        minutes,
                                           GStrv       *ticks,
                                           GStrv       *titles);

/* The rows worth showing of a day: the opening hours (@open_minute to
 * @close_minute after local midnight), widened to whole hours to take in
 * every row where @active is TRUE. */
void      signpost_chart_active_span      (GDateTime * const *starts,
                                           const gboolean *active,
                                           guint        n,
                                           GTimeZone   *tz,
                                           guint        open_minute,
                                           guint        close_minute,
                                           guint       *first,
                                           guint       *count);

/* A number as the table and the axis show it: "12", "3 min 07 s", "2.25",
 * "67.3%"; "—" for no value (NaN). */
char     *signpost_chart_format_value     (double            value,
                                           SignpostChartUnit unit);
/* An axis tick: counts as "20", seconds as minutes ("5"), shares as "50%". */
char     *signpost_chart_format_tick      (double            value,
                                           SignpostChartUnit unit);
char     *signpost_chart_format_duration  (double       seconds);

G_END_DECLS
