/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * The server's statistics (docs/PROTOCOL.md, Statistics) as the load page
 * reads them: /stats/day and /stats/staffing decoded once, with NaN for
 * every null. Aggregate numbers only: nothing here names a patient. Not
 * classes: reference-counted plain structs.
 */

typedef struct {
  GDateTime *start; /* UTC */
  double offered;
  double answered;
  double abandoned;
  double missed;
  double callbacks_requested;
  double callbacks_made;
  double mean_wait_s;
  double longest_wait_s;
  double mean_abandon_s;
  double mean_talk_s;
  double service_level;
  /* Online requests (NaN from a server without them). */
  double online_requests;
  double online_with_outcome;
  double online_mean_wait_for_outcome_s;
  double online_late;
  double emergency_stops;
  double online_medical;
  double online_admin;
  double online_longest_wait_for_outcome_s;
} SignpostStatsInterval;

/* A field of SignpostStatsInterval, for signpost_day_stats_average(). */
#define SIGNPOST_STATS_FIELD(name) G_STRUCT_OFFSET (SignpostStatsInterval, name)
#define SIGNPOST_STATS_VALUE(interval, offset) G_STRUCT_MEMBER (double, (interval), (offset))

typedef struct {
  char *clinician_id;
  char *clinician_name; /* NULL when the server no longer has them */
  char *profession;
  char *mode;
  guint offered;
  guint booked;
  guint used;
  guint dna;
} SignpostStatsAppointments;

typedef struct {
  char *route;   /* NULL when none */
  char *target;  /* NULL for the duty doctor */
  char *urgency;
  char *outcome;
  guint count;
} SignpostStatsTriage;

/* One online request of the day (no patient data). */
typedef struct {
  GDateTime *received_at;
  char *source;          /* "online" or "intake" */
  char *request_type;    /* "medical", "admin" or NULL */
  GDateTime *outcome_at; /* NULL: no outcome yet */
  double wait_for_outcome_s; /* NaN without an outcome */
  GDateTime *respond_by;
  gboolean late;
} SignpostStatsRequest;

typedef struct {
  char *practice_id;
  char *date;
  GArray *intervals;     /* SignpostStatsInterval */
  SignpostStatsInterval totals;
  GPtrArray *appointments; /* SignpostStatsAppointments */
  GPtrArray *triage;       /* SignpostStatsTriage */
  GPtrArray *requests;     /* SignpostStatsRequest, by arrival (empty from older servers) */
} SignpostDayStats;

typedef struct {
  GDateTime *start;
  double offered;
  double aht_s;
  double traffic_erlangs;
  double needed;
  double on_phones;
} SignpostStaffingInterval;

typedef struct {
  double target;
  double within_s;
  GArray *intervals; /* SignpostStaffingInterval */
} SignpostStaffingStats;

SignpostDayStats      *signpost_day_stats_new_from_json      (JsonNode          *node,
                                                             GError           **error);
SignpostDayStats      *signpost_day_stats_ref                (SignpostDayStats  *self);
void                   signpost_day_stats_unref              (SignpostDayStats  *self);
guint                  signpost_day_stats_get_n_intervals    (SignpostDayStats  *self);
const SignpostStatsInterval *signpost_day_stats_get_interval (SignpostDayStats  *self,
                                                             guint              index);
gboolean               signpost_day_stats_is_active          (SignpostDayStats  *self,
                                                             guint              index);
/* For each interval of @self, the mean of @field over @past (days of
 * SignpostDayStats) at the same local wall-clock time; a time a past day
 * did not have (the clocks went forward) is averaged over the days that
 * had it, and NaN when none did. @out holds one per interval. */
void                   signpost_day_stats_average            (SignpostDayStats  *self,
                                                             GPtrArray         *past,
                                                             GTimeZone         *tz,
                                                             gsize              field,
                                                             double            *out);

SignpostStaffingStats *signpost_staffing_stats_new_from_json (JsonNode              *node,
                                                             GError               **error);
SignpostStaffingStats *signpost_staffing_stats_ref           (SignpostStaffingStats *self);
void                   signpost_staffing_stats_unref         (SignpostStaffingStats *self);
guint                  signpost_staffing_stats_get_n_intervals (SignpostStaffingStats *self);
const SignpostStaffingInterval *signpost_staffing_stats_get_interval (SignpostStaffingStats *self,
                                                             guint                  index);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SignpostDayStats, signpost_day_stats_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SignpostStaffingStats, signpost_staffing_stats_unref)

G_END_DECLS
