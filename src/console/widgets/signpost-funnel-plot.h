/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "signpost-funnel.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_FUNNEL_PLOT (signpost_funnel_plot_get_type ())
G_DECLARE_FINAL_TYPE (SignpostFunnelPlot, signpost_funnel_plot, SIGNPOST, FUNNEL_PLOT, GtkWidget)

/*
 * SignpostFunnelPlot: a rate against its volume, one point per practice,
 * with the overall rate and its 95 % and 99.8 % control limits drawn as
 * funnels (src/core/signpost-funnel.c). Points outside the limits have
 * their own marker shape and are named beside it; the highlighted one
 * (the manager's own practice) is ringed and named, so nothing depends on
 * colour. Its accessible description says the same in words.
 */

typedef struct {
  const char *name;
  double events;
  double n;
  SignpostFunnelPosition position;
  gboolean highlight;
} SignpostFunnelPlotPoint;

GtkWidget  *signpost_funnel_plot_new      (void);
/* @points are copied. @overall NaN: nothing to plot. */
void        signpost_funnel_plot_set_data (SignpostFunnelPlot            *self,
                                           double                         overall,
                                           const SignpostFunnelPlotPoint *points,
                                           guint                          n_points);
void        signpost_funnel_plot_set_x_title (SignpostFunnelPlot         *self,
                                              const char                 *title);
guint       signpost_funnel_plot_get_n_points (SignpostFunnelPlot        *self);

G_END_DECLS
