/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-callgen"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "signpost-core.h"
#include "signpost-callgen-client.h"
#include "signpost-callgen-runner-private.h"
#include "signpost-caller-pool.h"
#include "signpost-traffic-model.h"

/*
 * The runner logs in, learns the practices' lines and patients from the
 * change feed, has the traffic model plan the calls, and plays the plan
 * into the server:
 *
 *  - replay: every event as soon as there is room, with its simulated
 *    `at`; simulated navigators' answers and hang-ups are telephony events
 *    (call.answered with the agent, call.ended) so the server's statistics
 *    see the simulated times;
 *  - realtime: each event when the (possibly sped-up) clock reaches it,
 *    stamped with the wall clock; simulated navigators answer and end
 *    through /mutations as the logged-in user, like any navigator, and a
 *    call someone else answered first is left to them;
 *  - rate: a load test, the same as realtime with a flat arrival rate.
 *
 * At most `concurrency` requests are in flight. The events of one call are
 * sent one after the other (an answer never overtakes its offer); calls
 * are independent of each other.
 *
 * An event whose answer never came (refused, reset, timed out: the server
 * or its instance died, or a proxy lost the answer), or came as 429, 502,
 * 503 or 504, is sent again, as a phone system would: the same event with
 * the same `at` (or mutation_id), after the server's Retry-After or an
 * exponential backoff with jitter, for up to two minutes. The server
 * applies an event it already has once and answers "duplicate".
 */

#define CHANGES_PAGE 5000
#define RETRY_FIRST_MS 250
#define RETRY_MAX_MS 4000
#define RETRY_AFTER_MAX_S 10
#define RETRY_WINDOW_US (120 * G_USEC_PER_SEC)
#define UNANSWERED_SAY_US (G_USEC_PER_SEC / 2)
#define MAX_FAILURES_SHOWN 10
#define REALTIME_POLL_S 2
/* --surge: callers per 10,000 patients already ringing when the lines open
 * (DOMAIN.md: a practice can see hundreds of call attempts at 08:00; these
 * are the people behind them, each counted once). */
#define SURGE_OPENING_BURST 20.0

G_DEFINE_FINAL_TYPE (SignpostCallgenRunner, signpost_callgen_runner, G_TYPE_OBJECT)

static void pump (SignpostCallgenRunner *self);
static void fetch_changes (SignpostCallgenRunner *self);
static void login (SignpostCallgenRunner *self,
                   const char            *username);
static void start_realtime_day (SignpostCallgenRunner *self,
                                gboolean               first);

void
signpost_callgen_options_init (SignpostCallgenOptions *options)
{
  g_return_if_fail (options != NULL);

  *options = (SignpostCallgenOptions) {
    .mode = SIGNPOST_CALLGEN_MODE_REALTIME,
    .speed = 1.0,
    .handle_s = 180,
    .concurrency = 16,
    .progress_interval_s = 5,
  };
  g_date_clear (&options->replay_date, 1);
  g_date_clear (&options->replay_from, 1);
  g_date_clear (&options->replay_to, 1);
}

void
signpost_callgen_options_clear (SignpostCallgenOptions *options)
{
  g_return_if_fail (options != NULL);

  g_clear_pointer (&options->server, g_free);
  g_clear_pointer (&options->secret, g_free);
  g_clear_pointer (&options->user, g_free);
  g_clear_pointer (&options->password, g_free);
  g_clear_pointer (&options->ca_file, g_free);
}

static void
print_line (const char *text)
{
  g_print ("%s\n", text);
}

void
signpost_callgen_runner_print_line (const char *text)
{
  print_line (text);
}

/* The wall clock the events use, in µs since the epoch. */
static gint64
wall_now (void)
{
  return g_get_real_time ();
}

static const SignpostTrafficEvent *
plan_event (SignpostCallgenRunner *self,
            guint                  index)
{
  return &g_array_index (self->plan->events, SignpostTrafficEvent, index);
}

static SignpostTrafficCall *
plan_call (SignpostCallgenRunner *self,
           guint                  index)
{
  return &g_array_index (self->plan->calls, SignpostTrafficCall, index);
}

static void
drop_plan (SignpostCallgenRunner *self)
{
  if (self->plan != NULL)
    {
      for (guint i = 0; i < self->plan->calls->len; i++)
        {
          g_free (self->calls[i].call_id);
          g_queue_clear (&self->calls[i].parked);
        }
    }
  g_hash_table_remove_all (self->refs);
  g_clear_pointer (&self->calls, g_free);
  g_clear_pointer (&self->plan, signpost_traffic_plan_free);
  g_queue_clear (&self->ready);
  self->cursor = 0;
}

static void
use_plan (SignpostCallgenRunner *self,
          SignpostTrafficPlan   *plan)
{
  drop_plan (self);
  self->plan = plan;
  self->calls = g_new0 (CallState, MAX (plan->calls->len, 1));
  if (self->options.mode == SIGNPOST_CALLGEN_MODE_REALTIME)
    for (guint i = 0; i < plan->calls->len; i++)
      g_hash_table_insert (self->refs, plan_call (self, i)->call_ref, GUINT_TO_POINTER (i + 1));
}

/* signpost-callgen-runner-history.c hands the runner a practice's day. */
void
signpost_callgen_runner_play (SignpostCallgenRunner *self,
                              SignpostTrafficPlan   *plan)
{
  use_plan (self, plan);
  pump (self);
}

static void
signpost_callgen_runner_dispose (GObject *object)
{
  SignpostCallgenRunner *self = SIGNPOST_CALLGEN_RUNNER (object);

  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_clear_handle_id (&self->progress_id, g_source_remove);
  g_clear_handle_id (&self->poll_id, g_source_remove);
  drop_plan (self);
  g_clear_object (&self->client);
  g_clear_object (&self->model);
  g_clear_object (&self->pool);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->history, signpost_callgen_runner_history_free);

  G_OBJECT_CLASS (signpost_callgen_runner_parent_class)->dispose (object);
}

static void
signpost_callgen_runner_finalize (GObject *object)
{
  SignpostCallgenRunner *self = SIGNPOST_CALLGEN_RUNNER (object);

  signpost_callgen_options_clear (&self->options);
  g_clear_pointer (&self->user_id, g_free);
  g_clear_pointer (&self->practices, g_ptr_array_unref);
  g_clear_pointer (&self->refs, g_hash_table_unref);
  g_clear_pointer (&self->tz, g_time_zone_unref);

  G_OBJECT_CLASS (signpost_callgen_runner_parent_class)->finalize (object);
}

static void
signpost_callgen_runner_class_init (SignpostCallgenRunnerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = signpost_callgen_runner_dispose;
  object_class->finalize = signpost_callgen_runner_finalize;
}

static void
signpost_callgen_runner_init (SignpostCallgenRunner *self)
{
  self->practices = g_ptr_array_new_with_free_func (g_object_unref);
  self->refs = g_hash_table_new (g_str_hash, g_str_equal);
  self->cancellable = g_cancellable_new ();
  self->first_send_us = -1;
  g_queue_init (&self->ready);
}

SignpostCallgenRunner *
signpost_callgen_runner_new (const SignpostCallgenOptions *options)
{
  SignpostCallgenRunner *self;

  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (options->server != NULL, NULL);

  self = g_object_new (SIGNPOST_TYPE_CALLGEN_RUNNER, NULL);
  self->options = *options;
  self->options.server = g_strdup (options->server);
  self->options.secret = g_strdup (options->secret != NULL ? options->secret : SIGNPOST_CALLGEN_DEMO_SECRET);
  self->options.user = g_strdup (options->user);
  self->options.password = g_strdup (options->password != NULL ? options->password : SIGNPOST_CALLGEN_DEMO_PASSWORD);
  self->options.ca_file = g_strdup (options->ca_file);
  self->options.concurrency = CLAMP (options->concurrency, 1, 256);
  if (!(self->options.speed > 0))
    self->options.speed = 1.0;
  return self;
}

const SignpostCallgenStats *
signpost_callgen_runner_get_stats (SignpostCallgenRunner *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CALLGEN_RUNNER (self), NULL);

  return &self->stats;
}

/* Finishing */

static void
update_elapsed (SignpostCallgenRunner *self)
{
  if (self->first_send_us >= 0 && self->last_done_us > self->first_send_us)
    self->stats.elapsed_s = (self->last_done_us - self->first_send_us) / (double) G_USEC_PER_SEC;
}

static void
complete (SignpostCallgenRunner *self,
          GError                *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  if (task == NULL)
    {
      g_clear_error (&error);
      return;
    }
  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_clear_handle_id (&self->progress_id, g_source_remove);
  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_clear_handle_id (&self->start_retry_id, g_source_remove);
  if (self->cancelled_id != 0)
    {
      g_cancellable_disconnect (g_task_get_cancellable (task), self->cancelled_id);
      self->cancelled_id = 0;
    }
  update_elapsed (self);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
signpost_callgen_runner_complete (SignpostCallgenRunner *self,
                                  GError                *error)
{
  complete (self, error);
}

/**
 * signpost_callgen_runner_stop:
 *
 * What Ctrl+C does: stop sending, give up on requests in flight, and
 * finish the run normally so that the summary can be printed.
 */
void
signpost_callgen_runner_stop (SignpostCallgenRunner *self)
{
  g_return_if_fail (SIGNPOST_IS_CALLGEN_RUNNER (self));

  if (self->stopping)
    return;
  self->stopping = TRUE;
  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  if (self->in_flight == 0 && !self->poll_in_flight)
    complete (self, NULL);
}

/* Progress */

static char *
format_sim_clock (SignpostCallgenRunner *self)
{
  g_autoptr(GDateTime) utc = NULL;
  gint64 sim = self->sim_now_us;

  if (self->options.mode == SIGNPOST_CALLGEN_MODE_RATE || sim <= 0 || self->tz == NULL)
    return g_strdup_printf ("%5.1fs", self->first_send_us >= 0
                            ? (wall_now () - self->first_send_us) / (double) G_USEC_PER_SEC : 0.0);
  if (self->options.mode == SIGNPOST_CALLGEN_MODE_REALTIME)
    sim = self->sim_start_us + (gint64) ((wall_now () - self->wall_start_us) * self->options.speed);
  utc = g_date_time_new_from_unix_utc (sim / G_USEC_PER_SEC);
  return signpost_format_local (utc, self->tz, "%a %H:%M");
}

static void
print_progress (SignpostCallgenRunner *self)
{
  const SignpostCallgenStats *s = &self->stats;
  g_autofree char *clock = format_sim_clock (self);
  g_autofree char *line = NULL;
  guint gone = s->calls_answered + s->calls_abandoned + s->answered_elsewhere;
  guint waiting = s->calls_offered - MIN (s->calls_offered, gone);
  double elapsed = self->first_send_us >= 0 ? (wall_now () - self->first_send_us) / (double) G_USEC_PER_SEC : 0;

  /* Translators: a progress line; keep it short */
  line = g_strdup_printf (_("[%s] offered %u, answered %u, abandoned %u, callbacks %u/%u, waiting %u | "
                            "events %u accepted, %u duplicate, %u failed | %.0f/s"),
                          clock, s->calls_offered, s->calls_answered, s->calls_abandoned,
                          s->callbacks_made, s->callbacks_requested, waiting,
                          s->events_accepted, s->events_duplicate, s->events_failed,
                          elapsed > 0 ? (s->events_accepted + s->events_duplicate) / elapsed : 0.0);
  print_line (line);
}

static gboolean
progress_cb (gpointer user_data)
{
  print_progress (user_data);
  return G_SOURCE_CONTINUE;
}

char *
signpost_callgen_stats_format_summary (const SignpostCallgenStats *s)
{
  GString *out = g_string_new (NULL);
  double delivered = s->events_accepted + s->events_duplicate;

  g_return_val_if_fail (s != NULL, NULL);

  g_string_append_printf (out, "%s\n", _("Summary"));
  g_string_append_printf (out, _("  practices, lines, patients  %u, %u, %u\n"), s->practices, s->lines, s->patients);
  g_string_append_printf (out, _("  calls offered               %u\n"), s->calls_offered);
  g_string_append_printf (out, _("  calls answered              %u\n"), s->calls_answered);
  g_string_append_printf (out, _("  calls abandoned             %u\n"), s->calls_abandoned);
  g_string_append_printf (out, _("  callbacks requested         %u\n"), s->callbacks_requested);
  g_string_append_printf (out, _("  callbacks made              %u\n"), s->callbacks_made);
  if (s->answered_elsewhere > 0)
    g_string_append_printf (out, _("  answered by others          %u\n"), s->answered_elsewhere);
  g_string_append_printf (out, _("  events accepted             %u\n"), s->events_accepted);
  g_string_append_printf (out, _("  events duplicate            %u\n"), s->events_duplicate);
  g_string_append_printf (out, _("  events failed               %u\n"), s->events_failed);
  if (s->events_skipped > 0)
    g_string_append_printf (out, _("  events skipped              %u\n"), s->events_skipped);
  if (s->events_retried > 0)
    g_string_append_printf (out, _("  events retried              %u\n"), s->events_retried);
  if (s->mutations_applied + s->mutations_duplicate + s->mutations_refused > 0)
    {
      g_string_append_printf (out, _("  history mutations applied   %u\n"), s->mutations_applied);
      g_string_append_printf (out, _("  history mutations duplicate %u\n"), s->mutations_duplicate);
      g_string_append_printf (out, _("  history mutations refused   %u\n"), s->mutations_refused);
    }
  g_string_append_printf (out, _("  elapsed                     %.1f s\n"), s->elapsed_s);
  g_string_append_printf (out, _("  events/s                    %.1f\n"),
                          s->elapsed_s > 0 ? delivered / s->elapsed_s : 0.0);
  return g_string_free (out, FALSE);
}

/* Sending */

typedef struct {
  SignpostCallgenRunner *self;
  guint index;
  gboolean mutation;
} Send;

static void
send_free (Send *send)
{
  g_object_unref (send->self);
  g_free (send);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Send, send_free)

/* An event is done (whatever happened): let the call's next one go. */
static void
finish_event (SignpostCallgenRunner *self,
              guint                  index)
{
  CallState *cs = &self->calls[plan_event (self, index)->call];

  cs->busy = FALSE;
  cs->retries = 0;
  cs->first_try_us = 0;
  cs->at_us = 0;
  if (!g_queue_is_empty (&cs->parked))
    {
      cs->busy = TRUE;
      g_queue_push_tail (&self->ready, g_queue_pop_head (&cs->parked));
    }
}

static void
release_event (SignpostCallgenRunner *self,
               guint                  index)
{
  CallState *cs = &self->calls[plan_event (self, index)->call];

  if (cs->busy)
    g_queue_push_tail (&cs->parked, GUINT_TO_POINTER (index));
  else
    {
      cs->busy = TRUE;
      g_queue_push_tail (&self->ready, GUINT_TO_POINTER (index));
    }
}

static void
count_delivered (SignpostCallgenRunner *self,
                 guint                  index)
{
  const SignpostTrafficEvent *ev = plan_event (self, index);

  switch (ev->kind)
    {
    case SIGNPOST_TRAFFIC_OFFERED:
      self->stats.calls_offered++;
      break;
    case SIGNPOST_TRAFFIC_CALLBACK_REQUESTED:
      self->stats.callbacks_requested++;
      break;
    case SIGNPOST_TRAFFIC_ABANDONED:
      self->stats.calls_abandoned++;
      break;
    case SIGNPOST_TRAFFIC_ANSWERED:
      self->stats.calls_answered++;
      if (plan_call (self, ev->call)->callback)
        self->stats.callbacks_made++;
      break;
    case SIGNPOST_TRAFFIC_ENDED:
    default:
      break;
    }
}

static void
report_failure (SignpostCallgenRunner *self,
                guint                  index,
                const char            *what)
{
  const SignpostTrafficEvent *ev = plan_event (self, index);

  self->stats.events_failed++;
  if (self->failures_shown < MAX_FAILURES_SHOWN)
    g_printerr (_("%s for call %s failed: %s\n"),
                signpost_traffic_event_kind_to_string (ev->kind),
                plan_call (self, ev->call)->call_ref, what);
  else if (self->failures_shown == MAX_FAILURES_SHOWN)
    g_printerr (_("(further failures are counted but not shown)\n"));
  self->failures_shown++;
}

static void send_event (SignpostCallgenRunner *self,
                        guint                  index);

static gboolean
retry_cb (gpointer user_data)
{
  g_autoptr(Send) send = user_data;
  SignpostCallgenRunner *self = send->self;

  self->in_flight--;
  if (self->stopping)
    {
      finish_event (self, send->index);
      if (self->in_flight == 0 && !self->poll_in_flight)
        complete (self, NULL);
      return G_SOURCE_REMOVE;
    }
  self->stats.events_retried++;
  send_event (self, send->index);
  pump (self);
  return G_SOURCE_REMOVE;
}

/* Says once when the server has stopped answering for a while (an
 * answer lost now and then is not worth a line), and once when it is
 * back. */
static void
note_answered (SignpostCallgenRunner *self,
               gboolean               answered,
               const char            *why)
{
  gint64 now = g_get_monotonic_time ();

  if (answered)
    {
      if (self->unanswered_said)
        g_printerr (_("The server answers again (after %.1f s)\n"),
                    (now - self->unanswered_since_us) / (double) G_USEC_PER_SEC);
      self->unanswered_since_us = 0;
      self->unanswered_said = FALSE;
    }
  else if (self->unanswered_since_us == 0)
    self->unanswered_since_us = now;
  else if (!self->unanswered_said && now - self->unanswered_since_us >= UNANSWERED_SAY_US)
    {
      g_printerr (_("No answer from the server (%s): sending again with backoff\n"), why);
      self->unanswered_said = TRUE;
    }
}

/* Whether to send the event again: no answer at all (@reply NULL, @error
 * not a cancellation), or one that says "later" (429, 502, 503, 504). */
static gboolean
maybe_retry (SignpostCallgenRunner *self,
             Send                  *send,
             SignpostCallgenReply  *reply,
             const GError          *error)
{
  CallState *cs = &self->calls[plan_event (self, send->index)->call];
  guint64 delay_ms;

  if (self->stopping)
    return FALSE;
  if (reply == NULL)
    {
      /* A certificate refused now is refused on every resend. */
      if (error->domain == G_TLS_ERROR ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA))
        return FALSE;
      note_answered (self, FALSE, error->message);
    }
  else
    {
      if (reply->status != 429 && reply->status != 502 && reply->status != 503 && reply->status != 504)
        return FALSE;
      if (reply->status != 429)
        {
          g_autofree char *what = signpost_callgen_reply_describe (reply);
          note_answered (self, FALSE, what);
        }
    }
  if (wall_now () - cs->first_try_us > RETRY_WINDOW_US)
    return FALSE;

  if (reply != NULL && reply->retry_after_s >= 0)
    delay_ms = (guint64) MIN (reply->retry_after_s, RETRY_AFTER_MAX_S) * 1000;
  else
    {
      /* Exponential, with "equal jitter": the senders of one surge do not
       * all come back in the same millisecond. */
      delay_ms = MIN ((guint64) RETRY_FIRST_MS << MIN (cs->retries, 8), RETRY_MAX_MS);
      delay_ms = delay_ms / 2 + g_random_int_range (0, (gint32) (delay_ms / 2) + 1);
    }
  cs->retries++;
  self->in_flight++;
  g_timeout_add ((guint) MAX (delay_ms, 10), retry_cb, g_memdup2 (send, sizeof *send));
  g_object_ref (send->self);
  return TRUE;
}

static void
event_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(Send) send = user_data;
  SignpostCallgenRunner *self = send->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(SignpostCallgenReply) reply = NULL;
  const SignpostTrafficEvent *ev = plan_event (self, send->index);
  CallState *cs = &self->calls[ev->call];

  reply = signpost_callgen_client_request_finish (SIGNPOST_CALLGEN_CLIENT (source), result, &error);
  self->in_flight--;
  self->last_done_us = wall_now ();

  if (maybe_retry (self, send, reply, error))
    {
      pump (self);
      return;
    }
  if (reply != NULL && reply->status < 500)
    note_answered (self, TRUE, NULL);

  if (reply == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        report_failure (self, send->index, error->message);
      if (ev->kind == SIGNPOST_TRAFFIC_OFFERED || ev->kind == SIGNPOST_TRAFFIC_ANSWERED)
        cs->dead = TRUE;
    }
  else if (reply->status != 200)
    {
      g_autofree char *what = signpost_callgen_reply_describe (reply);

      report_failure (self, send->index, what);
      /* a call the server never took, or never saw answered, goes no further */
      if (ev->kind == SIGNPOST_TRAFFIC_OFFERED || ev->kind == SIGNPOST_TRAFFIC_ANSWERED)
        cs->dead = TRUE;
    }
  else if (send->mutation)
    {
      JsonNode *results = reply->object != NULL ? json_object_get_member (reply->object, "results") : NULL;
      JsonArray *array = results != NULL && JSON_NODE_HOLDS_ARRAY (results) ? json_node_get_array (results) : NULL;
      JsonNode *first = array != NULL && json_array_get_length (array) > 0 ? json_array_get_element (array, 0) : NULL;
      JsonObject *outcome = first != NULL && JSON_NODE_HOLDS_OBJECT (first) ? json_node_get_object (first) : NULL;
      const char *status = signpost_callgen_json_get_string (outcome, "status");

      if (g_strcmp0 (status, "applied") == 0 || g_strcmp0 (status, "duplicate") == 0)
        {
          if (g_str_equal (status, "applied"))
            self->stats.events_accepted++;
          else
            self->stats.events_duplicate++;
          count_delivered (self, send->index);
        }
      else if (g_strcmp0 (status, "conflict") == 0 && ev->kind == SIGNPOST_TRAFFIC_ANSWERED)
        {
          /* a person got there first: the call is theirs now */
          if (!cs->taken)
            self->stats.answered_elsewhere++;
          cs->taken = TRUE;
          self->stats.events_skipped++;
        }
      else
        {
          JsonNode *problem = outcome != NULL ? json_object_get_member (outcome, "problem") : NULL;
          const char *detail = problem != NULL && JSON_NODE_HOLDS_OBJECT (problem)
            ? signpost_callgen_json_get_string (json_node_get_object (problem), "detail") : NULL;
          g_autofree char *what = g_strdup_printf ("%s%s%s", status != NULL ? status : "?",
                                                   detail != NULL ? ": " : "",
                                                   detail != NULL ? detail : "");

          report_failure (self, send->index, what);
          if (ev->kind == SIGNPOST_TRAFFIC_ANSWERED)
            cs->dead = TRUE;
        }
    }
  else
    {
      const char *status = signpost_callgen_json_get_string (reply->object, "status");
      const char *call_id = signpost_callgen_json_get_string (reply->object, "call_id");

      if (g_strcmp0 (status, "duplicate") == 0)
        self->stats.events_duplicate++;
      else
        self->stats.events_accepted++;
      count_delivered (self, send->index);
      if (call_id != NULL && cs->call_id == NULL)
        cs->call_id = g_strdup (call_id);
    }

  finish_event (self, send->index);
  pump (self);
}

static char *
mutation_uuid (SignpostCallgenRunner *self,
               const char            *call_ref,
               const char            *op)
{
  g_autofree char *key = g_strdup_printf ("%s/%s/%s/%" G_GUINT64_FORMAT,
                                          self->options.server, call_ref, op, self->options.seed);
  g_autofree char *hex = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);

  /* a version 4 layout, so that it is a valid UUID; retries reuse it */
  hex[12] = '4';
  hex[16] = "89ab"[g_ascii_xdigit_value (hex[16]) & 3];
  return g_strdup_printf ("%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}

static void
send_mutation (SignpostCallgenRunner *self,
               Send                  *send,
               SignpostOp             op,
               const char            *op_name)
{
  const SignpostTrafficEvent *ev = plan_event (self, send->index);
  CallState *cs = &self->calls[ev->call];
  g_autoptr(SignpostMutation) mutation = signpost_mutation_new ();
  g_autofree char *mutation_id = mutation_uuid (self, plan_call (self, ev->call)->call_ref, op_name);
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonArray) list = json_array_new ();

  signpost_mutation_set_mutation_id (mutation, mutation_id);
  signpost_mutation_set_kind (mutation, SIGNPOST_RECORD_CALL);
  signpost_mutation_set_op (mutation, op);
  signpost_mutation_set_id (mutation, cs->call_id);
  json_array_add_element (list, signpost_object_to_json_node (SIGNPOST_OBJECT (mutation)));
  json_object_set_array_member (body, "mutations", g_steal_pointer (&list));

  send->mutation = TRUE;
  signpost_callgen_client_request_async (self->client, "POST", "mutations", body,
                                         self->cancellable, event_cb, send);
}

static void
send_event (SignpostCallgenRunner *self,
            guint                  index)
{
  const SignpostTrafficEvent *ev = plan_event (self, index);
  CallState *cs = &self->calls[ev->call];
  gboolean realtime = self->options.mode == SIGNPOST_CALLGEN_MODE_REALTIME;
  Send *send;

  if (cs->dead || (cs->taken && ev->kind != SIGNPOST_TRAFFIC_OFFERED) ||
      (realtime && cs->call_id == NULL &&
       (ev->kind == SIGNPOST_TRAFFIC_ANSWERED || ev->kind == SIGNPOST_TRAFFIC_ENDED)))
    {
      self->stats.events_skipped++;
      finish_event (self, index);
      return;
    }

  if (self->first_send_us < 0)
    self->first_send_us = wall_now ();
  if (self->options.mode != SIGNPOST_CALLGEN_MODE_RATE)
    self->sim_now_us = MAX (self->sim_now_us, ev->at_us);

  send = g_new0 (Send, 1);
  send->self = g_object_ref (self);
  send->index = index;
  self->in_flight++;
  if (cs->first_try_us == 0)
    cs->first_try_us = wall_now ();

  if (realtime && ev->kind == SIGNPOST_TRAFFIC_ANSWERED)
    send_mutation (self, send, SIGNPOST_OP_ANSWER, "answer");
  else if (realtime && ev->kind == SIGNPOST_TRAFFIC_ENDED)
    send_mutation (self, send, SIGNPOST_OP_END, "end");
  else
    {
      gint64 at;
      gsize length;
      char *body;
      g_autoptr(GBytes) bytes = NULL;

      /* A resend says when the event happened, as the first try did. */
      if (self->options.mode == SIGNPOST_CALLGEN_MODE_REPLAY ||
          self->options.mode == SIGNPOST_CALLGEN_MODE_HISTORY)
        at = ev->at_us;
      else
        at = cs->at_us != 0 ? cs->at_us : (cs->at_us = wall_now ());
      body = signpost_traffic_plan_event_to_json (self->plan, index, at, &length);
      bytes = g_bytes_new_take (body, length);

      signpost_callgen_client_post_event_async (self->client, self->options.secret, bytes,
                                                self->cancellable, event_cb, send);
    }
}

/* When an event is due on the wall clock; replay sends at once. */
static gint64
due_us (SignpostCallgenRunner *self,
        guint                  index)
{
  const SignpostTrafficEvent *ev = plan_event (self, index);

  if (self->options.mode == SIGNPOST_CALLGEN_MODE_REPLAY ||
      self->options.mode == SIGNPOST_CALLGEN_MODE_HISTORY)
    return 0;
  return self->wall_start_us + (gint64) ((ev->at_us - self->sim_start_us) / self->options.speed);
}

static gboolean
timer_cb (gpointer user_data)
{
  SignpostCallgenRunner *self = user_data;

  self->timer_id = 0;
  pump (self);
  return G_SOURCE_REMOVE;
}

static void
plan_done (SignpostCallgenRunner *self)
{
  if (self->options.mode == SIGNPOST_CALLGEN_MODE_HISTORY && !self->stopping)
    signpost_callgen_runner_history_plan_done (self);
  else if (self->options.mode == SIGNPOST_CALLGEN_MODE_REALTIME && !self->stopping)
    start_realtime_day (self, FALSE);
  else
    complete (self, NULL);
}

static gboolean
next_day_cb (gpointer user_data)
{
  SignpostCallgenRunner *self = user_data;

  self->timer_id = 0;
  plan_done (self);
  return G_SOURCE_REMOVE;
}

static void
check_done (SignpostCallgenRunner *self)
{
  gint64 close_wall;

  if (self->task == NULL || self->in_flight > 0 || self->poll_in_flight)
    return;
  if (self->stopping)
    {
      complete (self, NULL);
      return;
    }
  if (self->plan == NULL || self->cursor < self->plan->events->len ||
      !g_queue_is_empty (&self->ready) || self->timer_id != 0)
    return;

  if (self->options.mode != SIGNPOST_CALLGEN_MODE_REALTIME)
    {
      plan_done (self);
      return;
    }

  /* realtime: the next day begins once this one has closed */
  {
    g_autoptr(GDateTime) close = signpost_local_time_to_utc (&self->day, SIGNPOST_TRAFFIC_CLOSE_MINUTE / 60,
                                                             SIGNPOST_TRAFFIC_CLOSE_MINUTE % 60, self->tz);
    gint64 close_sim = g_date_time_to_unix (close) * G_USEC_PER_SEC;

    close_wall = self->wall_start_us + (gint64) ((close_sim - self->sim_start_us) / self->options.speed);
  }
  if (close_wall > wall_now ())
    self->timer_id = g_timeout_add ((guint) MIN ((close_wall - wall_now ()) / 1000 + 1, G_MAXINT),
                                    next_day_cb, self);
  else
    plan_done (self);
}

static void
pump (SignpostCallgenRunner *self)
{
  guint window = self->options.concurrency * 2;
  gboolean progress = TRUE;

  if (self->task == NULL)
    return;

  while (progress && !self->stopping && self->plan != NULL)
    {
      gint64 now = wall_now ();

      progress = FALSE;
      while (self->cursor < self->plan->events->len && g_queue_get_length (&self->ready) < window)
        {
          gint64 due = due_us (self, self->cursor);

          if (due > now)
            {
              if (self->timer_id == 0)
                self->timer_id = g_timeout_add ((guint) MIN ((due - now) / 1000, 60000),
                                                timer_cb, self);
              break;
            }
          release_event (self, self->cursor++);
          progress = TRUE;
        }
      while (self->in_flight < self->options.concurrency && !g_queue_is_empty (&self->ready))
        {
          send_event (self, GPOINTER_TO_UINT (g_queue_pop_head (&self->ready)));
          progress = TRUE;
        }
    }

  check_done (self);
}

/* Realtime */

static void
poll_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(SignpostCallgenRunner) self = user_data;
  g_autoptr(SignpostCallgenReply) reply = NULL;
  JsonNode *changes;
  gboolean more = FALSE;

  self->poll_in_flight = FALSE;
  reply = signpost_callgen_client_request_finish (SIGNPOST_CALLGEN_CLIENT (source), result, NULL);
  if (reply != NULL && reply->status == 200 && reply->object != NULL && self->plan != NULL)
    {
      changes = json_object_get_member (reply->object, "changes");
      if (changes != NULL && JSON_NODE_HOLDS_ARRAY (changes))
        {
          JsonArray *array = json_node_get_array (changes);

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *node = json_array_get_element (array, i);
              JsonObject *change = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
              JsonNode *data_node = change != NULL ? json_object_get_member (change, "data") : NULL;
              JsonObject *data = data_node != NULL && JSON_NODE_HOLDS_OBJECT (data_node) ? json_node_get_object (data_node) : NULL;
              const char *call_ref = signpost_callgen_json_get_string (data, "call_ref");
              const char *answered_by = signpost_callgen_json_get_string (data, "answered_by");
              guint index;

              if (g_strcmp0 (signpost_callgen_json_get_string (change, "type"), "call") != 0 ||
                  call_ref == NULL || answered_by == NULL)
                continue;
              index = GPOINTER_TO_UINT (g_hash_table_lookup (self->refs, call_ref));
              if (index == 0 || g_strcmp0 (answered_by, self->user_id) == 0)
                continue;
              if (!self->calls[index - 1].taken)
                self->stats.answered_elsewhere++;
              self->calls[index - 1].taken = TRUE;
            }
        }
      if (json_object_has_member (reply->object, "last_seq"))
        {
          JsonNode *node = json_object_get_member (reply->object, "last_seq");

          if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
            self->last_seq = MAX (self->last_seq, json_node_get_int (node));
        }
      if (json_object_has_member (reply->object, "more"))
        {
          JsonNode *node = json_object_get_member (reply->object, "more");

          more = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
                 json_node_get_boolean (node);
        }
    }

  if (self->stopping)
    {
      if (self->in_flight == 0)
        complete (self, NULL);
      return;
    }
  if (more && self->task != NULL)
    {
      g_autofree char *path = g_strdup_printf ("changes?since=%" G_GINT64_FORMAT "&limit=1000", self->last_seq);

      self->poll_in_flight = TRUE;
      signpost_callgen_client_request_async (self->client, "GET", path, NULL, self->cancellable,
                                             poll_cb, g_object_ref (self));
    }
}

/* Someone at a console may answer a simulated caller: watch the feed so
 * that the simulation leaves that call alone. */
static gboolean
poll_timer_cb (gpointer user_data)
{
  SignpostCallgenRunner *self = user_data;
  g_autofree char *path = NULL;

  if (self->poll_in_flight || self->stopping)
    return G_SOURCE_CONTINUE;
  path = g_strdup_printf ("changes?since=%" G_GINT64_FORMAT "&limit=1000", self->last_seq);
  self->poll_in_flight = TRUE;
  signpost_callgen_client_request_async (self->client, "GET", path, NULL, self->cancellable,
                                         poll_cb, g_object_ref (self));
  return G_SOURCE_CONTINUE;
}

static void
local_date_and_minute (gint64      at_us,
                       GTimeZone  *tz,
                       GDate      *date,
                       double     *minute)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (at_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, tz);

  g_date_clear (date, 1);
  g_date_set_dmy (date, g_date_time_get_day_of_month (local),
                  g_date_time_get_month (local), g_date_time_get_year (local));
  *minute = g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local) +
            g_date_time_get_second (local) / 60.0;
}

static gint64
opening_us (const GDate *date,
            GTimeZone   *tz)
{
  g_autoptr(GDateTime) open = signpost_local_time_to_utc (date, SIGNPOST_TRAFFIC_OPEN_MINUTE / 60,
                                                          SIGNPOST_TRAFFIC_OPEN_MINUTE % 60, tz);

  return g_date_time_to_unix (open) * G_USEC_PER_SEC;
}

static char *
format_date (const GDate *date)
{
  char text[64];

  /* g_date_strftime() follows the locale, as a person reading it wants */
  if (g_date_strftime (text, sizeof text, "%A %-d %B %Y", date) == 0)
    return signpost_date_format (date);
  return g_strdup (text);
}

static void
print_plan (SignpostCallgenRunner *self,
            const char            *what)
{
  g_autofree char *line = NULL;

  /* Translators: the first %s says which day or test, e.g. "Monday 23 November 2026" */
  line = g_strdup_printf (_("%s: %u calls planned (simulated: %u answered, %u abandoned, "
                            "%u callbacks requested, %u made); %u events"),
                          what, self->plan->n_offered, self->plan->n_answered,
                          self->plan->n_abandoned, self->plan->n_callbacks_requested,
                          self->plan->n_callbacks_made, self->plan->events->len);
  print_line (line);
}

static void
start_realtime_day (SignpostCallgenRunner *self,
                    gboolean               first)
{
  gint64 now = wall_now ();
  gint64 from = 0;
  GDate date;
  double minute;
  g_autofree char *day_text = NULL;
  g_autofree char *what = NULL;

  if (first && self->options.surge)
    {
      /* The demo: today (whatever it is) plays as a Monday from 08:00,
       * and 08:00 is now. */
      local_date_and_minute (now, self->tz, &date, &minute);
      self->sim_start_us = opening_us (&date, self->tz);
      self->day = date;
      self->wall_start_us = now;
      self->sim_now_us = self->sim_start_us;
      use_plan (self, signpost_traffic_model_plan_day (self->model, &date, SIGNPOST_TRAFFIC_DAY_MONDAY, 0));
      day_text = format_date (&date);
      what = g_strdup_printf (_("The 8 am surge, now: %s played as a Monday from 08:00 at %g× speed"),
                              day_text, self->options.speed);
      print_plan (self, what);
      pump (self);
      return;
    }

  if (first)
    {
      SignpostTrafficDay kind;

      local_date_and_minute (now, self->tz, &date, &minute);
      kind = signpost_traffic_day_for_weekday (g_date_get_weekday (&date));
      if (kind != SIGNPOST_TRAFFIC_DAY_CLOSED &&
          minute >= SIGNPOST_TRAFFIC_OPEN_MINUTE && minute < SIGNPOST_TRAFFIC_CLOSE_MINUTE)
        {
          from = now;
          self->sim_start_us = now;
        }
      else
        {
          if (kind == SIGNPOST_TRAFFIC_DAY_CLOSED || minute >= SIGNPOST_TRAFFIC_OPEN_MINUTE)
            g_date_add_days (&date, 1);
          while (signpost_traffic_day_for_weekday (g_date_get_weekday (&date)) == SIGNPOST_TRAFFIC_DAY_CLOSED)
            g_date_add_days (&date, 1);
          self->sim_start_us = opening_us (&date, self->tz);
          day_text = format_date (&date);
          what = g_strdup_printf (_("Phones are closed now; playing %s from 08:00 instead"), day_text);
          print_line (what);
          g_clear_pointer (&what, g_free);
        }
    }
  else
    {
      date = self->day;
      do
        g_date_add_days (&date, 1);
      while (signpost_traffic_day_for_weekday (g_date_get_weekday (&date)) == SIGNPOST_TRAFFIC_DAY_CLOSED);
      self->sim_start_us = opening_us (&date, self->tz);
    }

  self->day = date;
  self->wall_start_us = now;
  self->sim_now_us = self->sim_start_us;
  use_plan (self, signpost_traffic_model_plan_day (self->model, &date,
                                                   signpost_traffic_day_for_weekday (g_date_get_weekday (&date)),
                                                   from));
  g_clear_pointer (&day_text, g_free);
  day_text = format_date (&date);
  what = g_strdup_printf (_("%s at %g× speed"), day_text, self->options.speed);
  print_plan (self, what);
  pump (self);
}

/* Starting */

static void
start_playing (SignpostCallgenRunner *self)
{
  g_autofree char *what = NULL;
  g_autofree char *date_text = NULL;

  if (self->options.progress_interval_s > 0)
    self->progress_id = g_timeout_add ((guint) (self->options.progress_interval_s * 1000), progress_cb, self);

  switch (self->options.mode)
    {
    case SIGNPOST_CALLGEN_MODE_REPLAY:
      {
        SignpostTrafficDay day = signpost_traffic_day_for_weekday (g_date_get_weekday (&self->options.replay_date));

        self->day = self->options.replay_date;
        use_plan (self, signpost_traffic_model_plan_day (self->model, &self->options.replay_date, day, 0));
        date_text = format_date (&self->options.replay_date);
        if (day == SIGNPOST_TRAFFIC_DAY_CLOSED)
          {
            what = g_strdup_printf (_("Phones are closed on %s: nothing to replay"), date_text);
            print_line (what);
          }
        else
          {
            /* Translators: %s is a date */
            what = g_strdup_printf (_("Replaying %s"), date_text);
            print_plan (self, what);
          }
      }
      break;

    case SIGNPOST_CALLGEN_MODE_RATE:
      self->wall_start_us = wall_now () + G_USEC_PER_SEC / 5;
      self->sim_start_us = self->wall_start_us;
      self->options.speed = 1.0;
      use_plan (self, signpost_traffic_model_plan_rate (self->model, self->options.rate,
                                                        self->options.duration_s, self->sim_start_us));
      what = g_strdup_printf (_("Load test: %g calls/s for %g s"), self->options.rate, self->options.duration_s);
      print_plan (self, what);
      break;

    case SIGNPOST_CALLGEN_MODE_REALTIME:
    default:
      self->poll_id = g_timeout_add_seconds (REALTIME_POLL_S, poll_timer_cb, self);
      start_realtime_day (self, TRUE);
      return;
    }

  pump (self);
}

static void
discovered (SignpostCallgenRunner *self)
{
  g_autofree char *line = NULL;
  g_autofree char *seed = NULL;

  self->model = signpost_traffic_model_new (self->pool, self->options.seed);
  signpost_traffic_model_set_navigators (self->model, self->options.navigators, self->options.handle_s);
  if (self->options.surge)
    signpost_traffic_model_get_params (self->model)->opening_burst = SURGE_OPENING_BURST;

  for (guint i = 0; i < self->practices->len; i++)
    {
      SignpostPractice *practice = g_ptr_array_index (self->practices, i);
      const char *id = signpost_record_get_id (SIGNPOST_RECORD (practice));
      const char * const *lines = signpost_practice_get_lines (practice);
      g_autoptr(GTimeZone) tz = signpost_time_zone_new (signpost_practice_get_time_zone (practice), NULL);

      if (tz == NULL)
        tz = signpost_time_zone_new (SIGNPOST_DEFAULT_TIME_ZONE, NULL);
      if (lines == NULL || lines[0] == NULL)
        continue;
      self->stats.practices++;
      self->stats.patients += signpost_caller_pool_get_n_patients (self->pool, id);
      for (guint j = 0; lines[j] != NULL; j++)
        signpost_traffic_model_add_line (self->model, id, lines[j], tz);
      if (self->tz == NULL)
        self->tz = g_time_zone_ref (tz);
    }
  self->stats.lines = signpost_traffic_model_get_n_lines (self->model);

  if (self->stats.lines == 0)
    {
      complete (self, g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                   _("No practice with a phone line is visible to user “%s”"),
                                   self->user_tried));
      return;
    }
  if (self->stats.patients == 0 && self->options.mode != SIGNPOST_CALLGEN_MODE_RATE)
    {
      complete (self, g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                   _("The practices have no patients, so nobody would ring")));
      return;
    }

  /* Translators: practices, lines, patients, the server, the seed */
  seed = g_strdup_printf ("%" G_GUINT64_FORMAT, self->options.seed);
  line = g_strdup_printf (_("Practices: %u, lines: %u, patients: %u on %s (seed %s)"),
                          self->stats.practices, self->stats.lines, self->stats.patients,
                          signpost_callgen_client_get_base_url (self->client), seed);
  print_line (line);
  if (self->options.mode == SIGNPOST_CALLGEN_MODE_HISTORY)
    signpost_callgen_runner_history_start (self);
  else
    start_playing (self);
}

static void
read_change (SignpostCallgenRunner *self,
             JsonObject            *change)
{
  const char *type = signpost_callgen_json_get_string (change, "type");
  const char *op = signpost_callgen_json_get_string (change, "op");
  JsonNode *data_node = json_object_get_member (change, "data");
  SignpostRecordKind kind;
  g_autoptr(SignpostRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  if (type == NULL || g_strcmp0 (op, "delete") == 0 || data_node == NULL || !JSON_NODE_HOLDS_OBJECT (data_node))
    return;
  if (!signpost_record_kind_from_string (type, &kind) ||
      (kind != SIGNPOST_RECORD_PRACTICE && kind != SIGNPOST_RECORD_PATIENT &&
       (kind != SIGNPOST_RECORD_CLINICIAN || self->options.mode != SIGNPOST_CALLGEN_MODE_HISTORY)))
    return;

  record = signpost_record_new_from_json (kind, json_node_get_object (data_node), SIGNPOST_DECODE_FULL, &error);
  if (record == NULL)
    {
      g_warning ("Ignoring a %s the server sent: %s", type, error->message);
      return;
    }
  if (self->options.mode == SIGNPOST_CALLGEN_MODE_HISTORY)
    signpost_callgen_runner_history_read (self, record);
  if (kind == SIGNPOST_RECORD_PRACTICE)
    g_ptr_array_add (self->practices, g_steal_pointer (&record));
  else if (kind == SIGNPOST_RECORD_PATIENT)
    signpost_caller_pool_add_patient (self->pool, SIGNPOST_PATIENT (record));
}

/* Starting: an answer that says "later" (429, or 502, 503, 504 from a
 * proxy whose instances are restarting, or from a server whose database
 * is) is asked again after its Retry-After or a growing pause, for as long
 * as an event would be; anything else, or nothing listening at all, ends
 * the run at once. */
static gboolean
start_retry_cb (gpointer user_data)
{
  SignpostCallgenRunner *self = user_data;

  self->start_retry_id = 0;
  if (self->stopping)
    complete (self, NULL);
  else if (!self->signed_in)
    login (self, self->user_tried);
  else
    fetch_changes (self);
  return G_SOURCE_REMOVE;
}

static gboolean
maybe_retry_start (SignpostCallgenRunner *self,
                   SignpostCallgenReply  *reply)
{
  guint64 delay_ms;

  if (self->stopping ||
      (reply->status != 429 && reply->status != 502 && reply->status != 503 && reply->status != 504) ||
      wall_now () - self->start_us > RETRY_WINDOW_US)
    return FALSE;
  if (reply->retry_after_s >= 0)
    delay_ms = (guint64) MIN (reply->retry_after_s, RETRY_AFTER_MAX_S) * 1000;
  else
    delay_ms = MIN ((guint64) RETRY_FIRST_MS << MIN (self->start_retries, 8), RETRY_MAX_MS);
  self->start_retries++;
  self->start_retry_id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) MAX (delay_ms, 10), start_retry_cb,
                                             g_object_ref (self), g_object_unref);
  return TRUE;
}

static void
changes_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SignpostCallgenRunner) self = user_data;
  g_autoptr(SignpostCallgenReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *changes, *last_seq, *more;

  reply = signpost_callgen_client_request_finish (SIGNPOST_CALLGEN_CLIENT (source), result, &error);
  if (self->task == NULL || self->stopping)
    {
      /* stopped while starting: nothing was sent, the summary is all zero */
      complete (self, NULL);
      return;
    }
  if (reply == NULL)
    {
      complete (self, g_steal_pointer (&error));
      return;
    }
  if (reply->status != 200 && maybe_retry_start (self, reply))
    return;
  if (reply->status != 200 || reply->object == NULL)
    {
      g_autofree char *what = signpost_callgen_reply_describe (reply);

      complete (self, g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                                   _("Could not read the practices and patients: %s"), what));
      return;
    }

  changes = json_object_get_member (reply->object, "changes");
  last_seq = json_object_get_member (reply->object, "last_seq");
  more = json_object_get_member (reply->object, "more");
  if (changes == NULL || !JSON_NODE_HOLDS_ARRAY (changes) ||
      last_seq == NULL || !JSON_NODE_HOLDS_VALUE (last_seq) ||
      json_node_get_value_type (last_seq) != G_TYPE_INT64)
    {
      complete (self, g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                   _("The server’s change feed is not as docs/PROTOCOL.md describes")));
      return;
    }

  for (guint i = 0; i < json_array_get_length (json_node_get_array (changes)); i++)
    {
      JsonNode *node = json_array_get_element (json_node_get_array (changes), i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        read_change (self, json_node_get_object (node));
    }

  if (json_node_get_int (last_seq) <= self->last_seq && json_array_get_length (json_node_get_array (changes)) == 0)
    more = NULL; /* a server that says "more" without moving on would loop */
  self->last_seq = MAX (self->last_seq, json_node_get_int (last_seq));

  if (more != NULL && JSON_NODE_HOLDS_VALUE (more) &&
      json_node_get_value_type (more) == G_TYPE_BOOLEAN && json_node_get_boolean (more))
    fetch_changes (self);
  else
    discovered (self);
}

static void
fetch_changes (SignpostCallgenRunner *self)
{
  g_autofree char *path = g_strdup_printf ("changes?since=%" G_GINT64_FORMAT "&limit=%d",
                                           self->last_seq, CHANGES_PAGE);

  signpost_callgen_client_request_async (self->client, "GET", path, NULL, self->cancellable,
                                         changes_cb, g_object_ref (self));
}

static void
login_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SignpostCallgenRunner) self = user_data;
  g_autoptr(SignpostCallgenReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  const char *token;
  JsonNode *user;

  reply = signpost_callgen_client_request_finish (SIGNPOST_CALLGEN_CLIENT (source), result, &error);
  if (self->task == NULL || self->stopping)
    {
      /* stopped while starting: nothing was sent, the summary is all zero */
      complete (self, NULL);
      return;
    }
  if (reply == NULL)
    {
      complete (self, g_steal_pointer (&error));
      return;
    }
  if (reply->status == 401 && self->options.user == NULL &&
      g_str_equal (self->user_tried, "hubnav"))
    {
      login (self, "navigator");
      return;
    }
  if (reply->status != 200 && maybe_retry_start (self, reply))
    return;
  token = signpost_callgen_json_get_string (reply->object, "token");
  if (reply->status != 200 || token == NULL)
    {
      g_autofree char *what = signpost_callgen_reply_describe (reply);

      complete (self, g_error_new (G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                                   _("Could not log in as “%s”: %s"), self->user_tried, what));
      return;
    }

  signpost_callgen_client_set_token (self->client, token);
  self->signed_in = TRUE;
  user = json_object_get_member (reply->object, "user");
  if (user != NULL && JSON_NODE_HOLDS_OBJECT (user))
    self->user_id = g_strdup (signpost_callgen_json_get_string (json_node_get_object (user), "id"));
  fetch_changes (self);
}

static void
login (SignpostCallgenRunner *self,
       const char            *username)
{
  g_autoptr(JsonObject) body = json_object_new ();

  self->user_tried = username;
  json_object_set_string_member (body, "username", username);
  json_object_set_string_member (body, "password", self->options.password);
  signpost_callgen_client_request_async (self->client, "POST", "login", body, self->cancellable,
                                         login_cb, g_object_ref (self));
}

static gboolean
stop_idle_cb (gpointer user_data)
{
  signpost_callgen_runner_stop (user_data);
  return G_SOURCE_REMOVE;
}

static void
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  /* may run in whichever thread cancelled: hop to the main context */
  g_idle_add_full (G_PRIORITY_DEFAULT, stop_idle_cb, g_object_ref (user_data), g_object_unref);
}

/**
 * signpost_callgen_runner_run_async:
 *
 * Logs in, reads the practices and patients, and plays the traffic.
 * Replay and rate runs finish when their last event is answered; realtime
 * runs go on, day after day, until signpost_callgen_runner_stop() or
 * @cancellable. Either way the run finishes without an error and the
 * statistics say what happened; an error means the run could not start.
 */
void
signpost_callgen_runner_run_async (SignpostCallgenRunner *self,
                                   GCancellable          *cancellable,
                                   GAsyncReadyCallback    callback,
                                   gpointer               user_data)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (SIGNPOST_IS_CALLGEN_RUNNER (self));
  g_return_if_fail (self->task == NULL);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, signpost_callgen_runner_run_async);

  self->client = signpost_callgen_client_new (self->options.server, self->options.concurrency, &error);
  if (self->client != NULL && self->options.ca_file != NULL &&
      !signpost_callgen_client_set_ca_file (self->client, self->options.ca_file, &error))
    g_clear_object (&self->client);
  if (self->client == NULL)
    {
      complete (self, g_steal_pointer (&error));
      return;
    }
  self->pool = signpost_caller_pool_new ();
  if (cancellable != NULL)
    self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), self, NULL);

  self->start_us = wall_now ();
  login (self, self->options.user != NULL ? self->options.user : "hubnav");
}

gboolean
signpost_callgen_runner_run_finish (SignpostCallgenRunner  *self,
                                    GAsyncResult           *result,
                                    GError                **error)
{
  g_return_val_if_fail (SIGNPOST_IS_CALLGEN_RUNNER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
