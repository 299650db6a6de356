/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-hub-stats.h"

G_BEGIN_DECLS

/*
 * The Hub page's words and its CSV, worked out without GTK: what each
 * funnel's measure is called, the practices outside its limits named in a
 * sentence, and the figures of every practice (and the hub) for the whole
 * span and week by week as CSV (RFC 4180, numbers in the C locale).
 */

/* "Calls answered within 60 seconds", … for a funnel's measure. */
const char *signpost_hub_measure_title     (const char             *measure);
/* What a point outside the limits means for @measure in plain words
 * ("answers fewer calls within a minute"); NULL when within. */
const char *signpost_hub_position_words    (const char             *measure,
                                            SignpostFunnelPosition  position);
/* "Outside the limits: …", or that every practice is within them. */
char       *signpost_hub_describe_outliers (SignpostHubStats       *stats,
                                            const SignpostHubFunnel *funnel);
/* "52.9% (640 of 1,210)": a rate with its count beside it; "—" for none. */
char       *signpost_hub_format_rate       (double                  rate,
                                            double                  events,
                                            double                  n);
char       *signpost_hub_csv               (SignpostHubStats       *stats);

G_END_DECLS
