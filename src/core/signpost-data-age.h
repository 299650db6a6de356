/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How old what a screen shows is, in words, once it is older than a
 * minute: "last up to date 5 minutes ago", "… at 18:02", "… on Fri 4 Dec
 * at 18:02" (practice time, @tz). NULL while it is a minute old or less,
 * and when @current_at is NULL (never up to date: the caller says so). */
char *signpost_data_age_describe (GDateTime *current_at,
                                  GDateTime *now,
                                  GTimeZone *tz);

G_END_DECLS
