/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "signpost-actions.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_HUB_PAGE (signpost_hub_page_get_type ())
G_DECLARE_FINAL_TYPE (SignpostHubPage, signpost_hub_page, SIGNPOST, HUB_PAGE, AdwBin)

/*
 * SignpostHubPage: the practices a manager may see side by side over the
 * last eight weeks (GET /stats/hub through SignpostActions): a sortable
 * table with the hub's total, funnel plots of calls answered within
 * 60 seconds, abandoned calls and missed appointments with the practices
 * outside the limits named, and each practice's week-by-week trend as
 * small multiples. Every chart has a table; the figures export as CSV.
 */

void              signpost_hub_page_set_actions     (SignpostHubPage *self,
                                                     SignpostActions *actions);
/* The last day of the eight weeks shown (a Sunday is usual). */
void              signpost_hub_page_set_last_day    (SignpostHubPage *self,
                                                     const GDate     *day);
void              signpost_hub_page_refresh         (SignpostHubPage *self);
/* For tests and the screenshots. */
gboolean          signpost_hub_page_get_settled     (SignpostHubPage *self);
const char       *signpost_hub_page_get_error       (SignpostHubPage *self);
SignpostHubStats *signpost_hub_page_get_stats       (SignpostHubPage *self);
/* The words under the funnel of @measure naming the practices outside. */
const char       *signpost_hub_page_get_outliers_text (SignpostHubPage *self,
                                                       const char      *measure);
GListModel       *signpost_hub_page_get_table_model (SignpostHubPage *self);
void              signpost_hub_page_show_tables     (SignpostHubPage *self,
                                                     gboolean         tables);

G_END_DECLS
