/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-core.h"
#include "signpost-store.h"

G_BEGIN_DECLS

/* Calls answered within this many seconds count towards the service level. */
#define SIGNPOST_STATS_SERVICE_LEVEL_S 60
/* The length of one interval of /stats/day and /stats/staffing. */
#define SIGNPOST_STATS_INTERVAL_MINUTES 15

JsonObject *signpost_stats_day       (SignpostStore     *store,
                                      SignpostPractice  *practice,
                                      const GDate       *date,
                                      GDateTime         *now,
                                      GError           **error);
JsonObject *signpost_stats_staffing  (SignpostStore     *store,
                                      SignpostPractice  *practice,
                                      const GDate       *date,
                                      GDateTime         *now,
                                      double             target,
                                      double             within_s,
                                      double             aht_s,
                                      GError           **error);
char       *signpost_stats_cbt_csv   (SignpostStore     *store,
                                      GPtrArray         *practices,
                                      int                year,
                                      int                month,
                                      GDateTime         *now,
                                      gsize             *length,
                                      GError           **error);

void        signpost_stats_csv_append_field (GString    *out,
                                             const char *field);

G_END_DECLS
