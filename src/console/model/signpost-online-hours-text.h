/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-sync.h"

G_BEGIN_DECLS

/* The online form's settings as a practice manager types them: a day's
 * opening hours as "08:00–18:30" (several with commas, "08:00–12:30,
 * 13:30–18:30"; empty for closed) and closed dates as "24/12/2026,
 * 31/12/2026". Not a class: plain functions. */

/* The openings of @hours (SignpostOpeningHours) on @day, in time order. */
char      *signpost_online_hours_text_for_day (GListModel       *hours,
                                               SignpostWeekday   day);
/* Appends @day's openings read from @text to @store (of
 * SignpostOpeningHours). "8-6.30pm" is not understood: times are 24-hour
 * "HH:MM" or "H:MM", "–", "-" or "to" between; the closing time is after
 * the opening one ("24:00" for midnight); openings may not overlap.
 * Empty: closed that day. FALSE with @error in a manager's words. */
gboolean   signpost_online_hours_text_parse   (const char       *text,
                                               SignpostWeekday   day,
                                               GListStore       *store,
                                               GError          **error);
char      *signpost_online_dates_text         (const char * const *dates);
/* "24/12/2026, 2026-12-31" → {"2026-12-24", "2026-12-31"}, sorted, once
 * each. NULL with @error for anything that is not a date. */
GStrv      signpost_online_dates_text_parse   (const char       *text,
                                               GError          **error);

G_END_DECLS
