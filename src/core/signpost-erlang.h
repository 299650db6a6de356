/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The largest team signpost_erlang_agents_needed() will try before it gives
 * up on a target (a target of exactly 1.0 with a wait of 0 s, say). */
#define SIGNPOST_ERLANG_MAX_AGENTS 100000

double   signpost_erlang_traffic        (double  calls_per_hour,
                                         double  aht_s);
double   signpost_erlang_c              (guint   agents,
                                         double  traffic);
double   signpost_erlang_service_level  (guint   agents,
                                         double  traffic,
                                         double  aht_s,
                                         double  within_s);
double   signpost_erlang_asa            (guint   agents,
                                         double  traffic,
                                         double  aht_s);
gboolean signpost_erlang_agents_needed  (double  traffic,
                                         double  aht_s,
                                         double  target,
                                         double  within_s,
                                         guint  *agents);

G_END_DECLS
