/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "signpost-chart-panel.h"
#include "signpost-sync.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_LOAD_ONLINE (signpost_load_online_get_type ())
G_DECLARE_FINAL_TYPE (SignpostLoadOnline, signpost_load_online, SIGNPOST, LOAD_ONLINE, GtkBox)

/* The load page's online requests: how many came in each quarter hour
 * (medical and admin, and how often the form's emergency stop was shown),
 * and how long each waited for an outcome against the one-working-day
 * promise. Charts with a table of the same numbers, like the rest of the
 * page; aggregate figures only, nothing that names a patient. */
void                signpost_load_online_set_day   (SignpostLoadOnline *self,
                                                    SignpostDayStats   *day,
                                                    GTimeZone          *tz,
                                                    GDateTime          *now,
                                                    const char         *time_axis);
/* "online" or "online-waits". */
SignpostChartPanel *signpost_load_online_get_panel (SignpostLoadOnline *self,
                                                    const char         *name);

G_END_DECLS
