/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The one-sided tail probabilities of the two pairs of control limits:
 * 95 % (about two standard errors) and 99.8 % (about three). */
#define SIGNPOST_FUNNEL_TAIL_95  0.025
#define SIGNPOST_FUNNEL_TAIL_998 0.001

/**
 * SignpostFunnelLimits:
 *
 * The control limits of a funnel plot for a proportion at one volume,
 * as proportions in [0, 1].
 */
typedef struct {
  double lower_95;
  double upper_95;
  double lower_998;
  double upper_998;
} SignpostFunnelLimits;

/**
 * SignpostFunnelPosition:
 * @SIGNPOST_FUNNEL_NONE: no volume, so no rate to place
 * @SIGNPOST_FUNNEL_WITHIN: inside the 95 % limits
 * @SIGNPOST_FUNNEL_ABOVE_95: above the upper 95 % limit, not the 99.8 %
 * @SIGNPOST_FUNNEL_ABOVE_998: above the upper 99.8 % limit
 * @SIGNPOST_FUNNEL_BELOW_95: below the lower 95 % limit, not the 99.8 %
 * @SIGNPOST_FUNNEL_BELOW_998: below the lower 99.8 % limit
 */
typedef enum {
  SIGNPOST_FUNNEL_NONE,
  SIGNPOST_FUNNEL_WITHIN,
  SIGNPOST_FUNNEL_ABOVE_95,
  SIGNPOST_FUNNEL_ABOVE_998,
  SIGNPOST_FUNNEL_BELOW_95,
  SIGNPOST_FUNNEL_BELOW_998,
} SignpostFunnelPosition;

double                 signpost_binomial_cdf            (guint64                 k,
                                                         guint64                 n,
                                                         double                  p);
double                 signpost_binomial_pmf            (guint64                 k,
                                                         guint64                 n,
                                                         double                  p);
double                 signpost_funnel_limit            (double                  overall,
                                                         guint64                 n,
                                                         double                  probability);
gboolean               signpost_funnel_limits           (double                  overall,
                                                         guint64                 n,
                                                         SignpostFunnelLimits   *limits);
SignpostFunnelPosition signpost_funnel_position         (guint64                 events,
                                                         guint64                 n,
                                                         double                  overall);
const char            *signpost_funnel_position_to_nick (SignpostFunnelPosition  position);

G_END_DECLS
