/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-chart.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_BAR_CHART (signpost_bar_chart_get_type ())
G_DECLARE_FINAL_TYPE (SignpostBarChart, signpost_bar_chart, SIGNPOST, BAR_CHART, SignpostChart)

/* Bars for counts: the "bar" series stacked (calls answered, called back,
 * abandoned… making up the calls offered), a "target" series outlined
 * with the shortfall of the bars under it hatched and labelled (navigators
 * needed against those on the phones), and any "line" series drawn over
 * them (the average of the last four weeks). */
SignpostBarChart *signpost_bar_chart_new (void);

G_END_DECLS
