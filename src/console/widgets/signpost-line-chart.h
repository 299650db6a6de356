/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-chart.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_LINE_CHART (signpost_line_chart_get_type ())
G_DECLARE_FINAL_TYPE (SignpostLineChart, signpost_line_chart, SIGNPOST, LINE_CHART, SignpostChart)

/* Lines for measures through the day (the mean and the longest wait): each
 * "line" series with its own marker and dash, broken where there is no
 * value (no call answered in that quarter hour). */
SignpostLineChart *signpost_line_chart_new (void);

G_END_DECLS
