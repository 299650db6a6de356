/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "signpost-hub-stats.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_HUB_ROW (signpost_hub_row_get_type ())
G_DECLARE_FINAL_TYPE (SignpostHubRow, signpost_hub_row, SIGNPOST, HUB_ROW, GObject)

/*
 * SignpostHubRow: one line of the Hub page's table: a practice's figures
 * over the span, or the hub's total (@practice NULL).
 */

SignpostHubRow           *signpost_hub_row_new         (SignpostHubStats          *stats,
                                                        const SignpostHubPractice *practice,
                                                        gboolean                   own);
const char               *signpost_hub_row_get_name    (SignpostHubRow            *self);
const char               *signpost_hub_row_get_practice_id (SignpostHubRow        *self);
const SignpostHubFigures *signpost_hub_row_get_figures (SignpostHubRow            *self);
gboolean                  signpost_hub_row_is_hub      (SignpostHubRow            *self);
gboolean                  signpost_hub_row_is_own      (SignpostHubRow            *self);

G_END_DECLS
