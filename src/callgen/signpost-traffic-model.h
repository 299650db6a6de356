/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-caller-pool.h"
#include "signpost-traffic-profile.h"

G_BEGIN_DECLS

typedef enum {
  SIGNPOST_TRAFFIC_OFFERED,
  SIGNPOST_TRAFFIC_CALLBACK_REQUESTED,
  SIGNPOST_TRAFFIC_ABANDONED,
  SIGNPOST_TRAFFIC_ANSWERED,
  SIGNPOST_TRAFFIC_ENDED,
} SignpostTrafficEventKind;

/* One thing that happens to one call, at a simulated instant. */
typedef struct {
  gint64 at_us;                  /* µs since the Unix epoch */
  SignpostTrafficEventKind kind;
  guint call;                    /* index into the plan's calls */
} SignpostTrafficEvent;

typedef struct {
  char *call_ref;
  char *practice_id;
  char *line;
  char *cli;                     /* NULL: withheld */
  SignpostCallerKind caller;
  char *callback_number;         /* set once a callback is requested */
  guint agent;                   /* 1-based simulated navigator; 0: none */
  gboolean callback;             /* the caller took the callback offer */
  gboolean answered;
  gboolean abandoned;
  gint64 offered_us;
  gint64 answered_us;            /* -1 until answered */
  /* drawn when the call arrives */
  double patience_s;
  double handle_s;
  gboolean accepts_callback;
} SignpostTrafficCall;

/**
 * SignpostTrafficPlan:
 *
 * A day (or a load test) worked out in advance: every call with what
 * happens to it, as events in time order, and what they add up to.
 */
typedef struct {
  GArray *calls;                 /* of SignpostTrafficCall */
  GArray *events;                /* of SignpostTrafficEvent, in time order */
  guint n_offered;
  guint n_answered;
  guint n_abandoned;
  guint n_callbacks_requested;
  guint n_callbacks_made;
} SignpostTrafficPlan;

void        signpost_traffic_plan_free            (SignpostTrafficPlan  *plan);
SignpostTrafficPlan *signpost_traffic_plan_merge  (GPtrArray            *plans,
                                                   guint                *first_calls);
char       *signpost_traffic_plan_event_to_json   (SignpostTrafficPlan  *plan,
                                                   guint                 index,
                                                   gint64                at_us,
                                                   gsize                *length);
const char *signpost_traffic_event_kind_to_string (SignpostTrafficEventKind kind);
char       *signpost_traffic_agent_name           (guint                 agent);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SignpostTrafficPlan, signpost_traffic_plan_free)

#define SIGNPOST_TYPE_TRAFFIC_MODEL (signpost_traffic_model_get_type ())
G_DECLARE_FINAL_TYPE (SignpostTrafficModel, signpost_traffic_model, SIGNPOST, TRAFFIC_MODEL, GObject)

SignpostTrafficModel  *signpost_traffic_model_new            (SignpostCallerPool   *pool,
                                                              guint64               seed);
SignpostTrafficParams *signpost_traffic_model_get_params     (SignpostTrafficModel *self);
void                   signpost_traffic_model_add_line       (SignpostTrafficModel *self,
                                                              const char           *practice_id,
                                                              const char           *line,
                                                              GTimeZone            *tz);
guint                  signpost_traffic_model_get_n_lines    (SignpostTrafficModel *self);
void                   signpost_traffic_model_set_navigators (SignpostTrafficModel *self,
                                                              guint                 navigators,
                                                              double                handle_s);
GTimeZone             *signpost_traffic_model_get_time_zone  (SignpostTrafficModel *self);
SignpostTrafficPlan   *signpost_traffic_model_plan_day       (SignpostTrafficModel *self,
                                                              const GDate          *date,
                                                              SignpostTrafficDay    day,
                                                              gint64                from_us);
SignpostTrafficPlan   *signpost_traffic_model_plan_rate      (SignpostTrafficModel *self,
                                                              double                calls_per_s,
                                                              double                duration_s,
                                                              gint64                start_us);

G_END_DECLS
