/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  SIGNPOST_CALLGEN_MODE_REALTIME,
  SIGNPOST_CALLGEN_MODE_REPLAY,
  SIGNPOST_CALLGEN_MODE_RATE,
  SIGNPOST_CALLGEN_MODE_HISTORY,
} SignpostCallgenMode;

#define SIGNPOST_CALLGEN_DEMO_SECRET "demo-line-secret"
#define SIGNPOST_CALLGEN_DEMO_PASSWORD "demo-password"
/* --replay-from to --replay-to: half a year at most. */
#define SIGNPOST_CALLGEN_MAX_HISTORY_DAYS 183

/**
 * SignpostCallgenOptions:
 * @user: (nullable): who logs in; %NULL tries the demo's "hubnav", then
 *   "navigator"
 * @concurrency: requests in flight at once
 * @progress_interval_s: seconds between progress lines; 0 for none
 * @ca_file: (nullable): trust the certificate authorities in this PEM file
 *   (instead of the system's) for an https:// server
 * @surge: realtime mode only: begin at once with a Monday's opening,
 *   whatever the day and hour (the demo's start), with the callers who
 *   were ringing before 08:00 getting through in the first minute
 *
 * The command line, parsed.
 */
typedef struct {
  char *server;
  char *secret;
  SignpostCallgenMode mode;
  double speed;
  GDate replay_date;
  GDate replay_from;
  GDate replay_to;
  double rate;
  double duration_s;
  guint64 seed;
  guint navigators;
  double handle_s;
  char *user;
  char *password;
  guint concurrency;
  double progress_interval_s;
  gboolean surge;
  char *ca_file;
} SignpostCallgenOptions;

void signpost_callgen_options_init  (SignpostCallgenOptions *options);
void signpost_callgen_options_clear (SignpostCallgenOptions *options);

typedef struct {
  guint practices;
  guint lines;
  guint patients;
  guint calls_offered;
  guint calls_answered;
  guint calls_abandoned;
  guint callbacks_requested;
  guint callbacks_made;
  guint answered_elsewhere;
  guint events_accepted;
  guint events_duplicate;
  guint events_failed;
  guint events_skipped;
  guint events_retried;
  guint mutations_applied;
  guint mutations_duplicate;
  guint mutations_refused;
  double elapsed_s;
} SignpostCallgenStats;

char *signpost_callgen_stats_format_summary (const SignpostCallgenStats *stats);

#define SIGNPOST_TYPE_CALLGEN_RUNNER (signpost_callgen_runner_get_type ())
G_DECLARE_FINAL_TYPE (SignpostCallgenRunner, signpost_callgen_runner, SIGNPOST, CALLGEN_RUNNER, GObject)

SignpostCallgenRunner      *signpost_callgen_runner_new        (const SignpostCallgenOptions *options);
void                        signpost_callgen_runner_run_async  (SignpostCallgenRunner        *self,
                                                                GCancellable                 *cancellable,
                                                                GAsyncReadyCallback           callback,
                                                                gpointer                      user_data);
gboolean                    signpost_callgen_runner_run_finish (SignpostCallgenRunner        *self,
                                                                GAsyncResult                 *result,
                                                                GError                      **error);
void                        signpost_callgen_runner_stop       (SignpostCallgenRunner        *self);
const SignpostCallgenStats *signpost_callgen_runner_get_stats  (SignpostCallgenRunner        *self);

G_END_DECLS
