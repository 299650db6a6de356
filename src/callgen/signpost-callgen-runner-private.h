/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-callgen-client.h"
#include "signpost-callgen-runner.h"
#include "signpost-caller-pool.h"
#include "signpost-history-model.h"
#include "signpost-traffic-model.h"

G_BEGIN_DECLS

/* The runner is split over two files: signpost-callgen-runner.c plays
 * traffic plans into the webhook; signpost-callgen-runner-history.c
 * drives --replay-from/--replay-to, weeks of history around them. */

typedef struct {
  gboolean busy;      /* an event of this call is ready or in flight */
  gboolean dead;      /* its offer failed: nothing more to send */
  gboolean taken;     /* answered by someone else */
  char *call_id;      /* the server's, from the accepted offer */
  guint retries;      /* of the event in flight */
  gint64 first_try_us; /* when the event in flight was first sent */
  gint64 at_us;       /* realtime: the `at` it carries, kept for resends */
  GQueue parked;      /* later events, waiting their turn */
} CallState;

typedef struct _SignpostCallgenHistoryRun SignpostCallgenHistoryRun;

struct _SignpostCallgenRunner
{
  GObject parent_instance;

  SignpostCallgenOptions options;
  SignpostCallgenStats stats;

  GTask *task;
  GCancellable *cancellable;
  gulong cancelled_id;
  gboolean stopping;

  SignpostCallgenClient *client;
  const char *user_tried;
  char *user_id;
  gint64 last_seq;
  GPtrArray *practices;       /* of SignpostPractice */
  SignpostCallerPool *pool;
  SignpostTrafficModel *model;
  GTimeZone *tz;

  /* the plan being played */
  SignpostTrafficPlan *plan;
  CallState *calls;
  GHashTable *refs;           /* call_ref → index + 1 (realtime) */
  GDate day;
  guint cursor;
  GQueue ready;
  guint in_flight;
  gint64 sim_start_us;
  gint64 wall_start_us;
  gint64 sim_now_us;

  guint timer_id;
  guint progress_id;
  guint poll_id;
  gboolean poll_in_flight;
  guint failures_shown;
  gint64 first_send_us;
  gint64 last_done_us;
  gint64 unanswered_since_us; /* 0 while the server answers */
  gboolean unanswered_said;
  gint64 start_us;            /* when the first login was sent */
  guint start_retries;
  guint start_retry_id;
  gboolean signed_in;

  /* --replay-from/--replay-to */
  SignpostCallgenHistoryRun *history;
};


/* signpost-callgen-runner.c */
void     signpost_callgen_runner_print_line  (const char                *text);
void     signpost_callgen_runner_complete    (SignpostCallgenRunner     *self,
                                              GError                    *error);
void     signpost_callgen_runner_play        (SignpostCallgenRunner     *self,
                                              SignpostTrafficPlan       *plan);

/* signpost-callgen-runner-history.c */
void     signpost_callgen_runner_history_free      (SignpostCallgenHistoryRun *history);
void     signpost_callgen_runner_history_read      (SignpostCallgenRunner     *self,
                                                    SignpostRecord            *record);
void     signpost_callgen_runner_history_start     (SignpostCallgenRunner     *self);
void     signpost_callgen_runner_history_plan_done (SignpostCallgenRunner     *self);

G_END_DECLS
