/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "signpost-funnel.h"

G_BEGIN_DECLS

/*
 * The hub's statistics (docs/PROTOCOL.md, GET /stats/hub) as the Hub page
 * reads them: decoded once, NaN for every null. Counts only: nothing here
 * names a patient. A reference-counted plain struct, not a class.
 */

typedef struct {
  double list_size;             /* the practice's (or hub's) registered list */
  double offered;               /* calls */
  double offered_per_1000;      /* calls per 1,000 patients a week */
  double answered;
  double answered_within_60s;
  double answered_within_60s_rate;
  double abandoned;
  double abandoned_rate;
  double mean_wait_s;
  double longest_wait_s;
  double callbacks_requested;
  double callbacks_made;
  double online;
  double online_per_1000;
  double appointments_offered;
  double appointments_per_1000;
  double booked;
  double used;
  double unused;
  double did_not_attend;
  double did_not_attend_rate;
  double booked_by_hub;
  double navigation;
  double signposted;            /* navigation records signposted outside the practice */
} SignpostHubFigures;

#define SIGNPOST_HUB_FIELD(name) G_STRUCT_OFFSET (SignpostHubFigures, name)
#define SIGNPOST_HUB_VALUE(figures, offset) G_STRUCT_MEMBER (double, (figures), (offset))

typedef struct {
  char *practice_id;
  char *ods_code;
  char *name;
  SignpostHubFigures totals;
  GArray *weeks;                /* SignpostHubFigures, one per week of the span */
} SignpostHubPractice;

typedef struct {
  char *practice_id;
  double events;
  double n;
  double rate;                  /* NaN with no volume */
  SignpostFunnelLimits limits;  /* NaN with no volume */
  SignpostFunnelPosition position;
} SignpostHubFunnelPoint;

typedef struct {
  char *measure;                /* "answered_within_60s", "abandoned", "did_not_attend" */
  double events;
  double n;
  double overall;               /* NaN with no volume anywhere */
  GArray *points;               /* SignpostHubFunnelPoint */
} SignpostHubFunnel;

typedef struct {
  char *from;                   /* YYYY-MM-DD, local days, both included */
  char *to;
  GStrv week_starts;            /* YYYY-MM-DD of each week's first day */
  GStrv week_ends;
  GPtrArray *practices;         /* SignpostHubPractice, in ODS code order */
  /* The hub's total: only when the server gives it (PROTOCOL.md). */
  gboolean has_hub;
  guint hub_practices;
  SignpostHubFigures hub_totals;
  GArray *hub_weeks;            /* SignpostHubFigures */
  GPtrArray *funnels;           /* SignpostHubFunnel */
} SignpostHubStats;

SignpostHubStats          *signpost_hub_stats_new_from_json (JsonNode          *node,
                                                             GError           **error);
SignpostHubStats          *signpost_hub_stats_ref           (SignpostHubStats  *self);
void                       signpost_hub_stats_unref         (SignpostHubStats  *self);
guint                      signpost_hub_stats_get_n_weeks   (SignpostHubStats  *self);
const SignpostHubPractice *signpost_hub_stats_find_practice (SignpostHubStats  *self,
                                                             const char        *practice_id);
const SignpostHubFunnel   *signpost_hub_stats_get_funnel    (SignpostHubStats  *self,
                                                             const char        *measure);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SignpostHubStats, signpost_hub_stats_unref)

G_END_DECLS
