/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SIGNPOST_TYPE_SPARKLINE (signpost_sparkline_get_type ())
G_DECLARE_FINAL_TYPE (SignpostSparkline, signpost_sparkline, SIGNPOST, SPARKLINE, GtkWidget)

/*
 * SignpostSparkline: one small chart of a series of small multiples: the
 * values week by week as a solid line with a dot per week, and a
 * reference (the hub's) dashed, on a scale the caller shares between all
 * the multiples so that they compare. NaN is a gap.
 */

GtkWidget *signpost_sparkline_new        (void);
void       signpost_sparkline_set_values (SignpostSparkline *self,
                                          const double      *values,
                                          const double      *reference, /* nullable */
                                          guint              n,
                                          double             low,
                                          double             high);

G_END_DECLS
