/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-core.h"
#include "signpost-store.h"

G_BEGIN_DECLS

/* The longest span /stats/hub covers, in days. */
#define SIGNPOST_HUB_STATS_MAX_DAYS 371
/* The hub's total is shown to someone who cannot see every practice only
 * when at least this many of the practices in it are hidden from them:
 * with fewer, taking their own figures away would give the others'. */
#define SIGNPOST_HUB_STATS_MIN_HIDDEN 3

JsonObject *signpost_hub_stats (SignpostStore  *store,
                                GPtrArray      *practices,
                                GHashTable     *visible,
                                const GDate    *from,
                                const GDate    *to,
                                GDateTime      *now,
                                GError        **error);

G_END_DECLS
