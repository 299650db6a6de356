/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-callgen"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "signpost-callgen-runner-private.h"

/*
 * --replay-from DATE --replay-to DATE: weeks of history for every
 * practice the hub navigator works for, day after day. The history model
 * (signpost-history-model.c) plans it; this file sends it:
 *
 *   1. sign in as everyone who takes part (each practice's manager,
 *      navigator and duty doctor, and the hub's navigator);
 *   2. the sessions of the whole span, as each practice's manager;
 *   3. for each working day: the routine bookings made two days before;
 *      then each practice's calls, played into the webhook by the runner
 *      with a team of that practice's size answering, and the navigation
 *      records and bookings that follow them; then the evening's
 *      outcomes.
 *
 * Mutation batches go one at a time, each with its replayed time; calls
 * go as in --replay, many at once.
 */

#define MAX_PROBLEMS_SHOWN 10
#define HISTORY_PROGRESS_S 5

typedef enum {
  STEP_LOGINS,
  STEP_SESSIONS,
  STEP_BOOKINGS,
  STEP_CALLS,
  STEP_NAVIGATION,
  STEP_OUTCOMES,
} Step;

struct _SignpostCallgenHistoryRun
{
  GPtrArray *clinicians;          /* of SignpostClinician, until the start */
  GPtrArray *patients;            /* practice id, patient id, … until the start */

  SignpostHistoryModel *model;
  GPtrArray *traffic;             /* of SignpostTrafficModel, per practice */
  GHashTable *tokens;             /* username → token */
  char **usernames;
  guint next_login;

  Step step;
  GQueue batches;                 /* of SignpostHistoryBatch */
  GDate day;
  guint *first_calls;             /* each practice's first call in the day's plan, and the end */
  guint problems_shown;

  guint day_calls;
  guint day_mutations;
};

void
signpost_callgen_runner_history_free (SignpostCallgenHistoryRun *history)
{
  if (history == NULL)
    return;
  g_clear_pointer (&history->clinicians, g_ptr_array_unref);
  g_clear_pointer (&history->patients, g_ptr_array_unref);
  g_clear_object (&history->model);
  g_clear_pointer (&history->traffic, g_ptr_array_unref);
  g_clear_pointer (&history->tokens, g_hash_table_unref);
  g_clear_pointer (&history->usernames, g_strfreev);
  g_clear_pointer (&history->first_calls, g_free);
  g_queue_clear_full (&history->batches, (GDestroyNotify) signpost_history_batch_free);
  g_free (history);
}

static SignpostCallgenHistoryRun *
ensure_history (SignpostCallgenRunner *self)
{
  if (self->history == NULL)
    {
      self->history = g_new0 (SignpostCallgenHistoryRun, 1);
      self->history->clinicians = g_ptr_array_new_with_free_func (g_object_unref);
      self->history->patients = g_ptr_array_new_with_free_func (g_free);
      self->history->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_queue_init (&self->history->batches);
    }
  return self->history;
}

/* What the change feed brings that the history needs besides practices:
 * their clinicians, and who their patients are. */
void
signpost_callgen_runner_history_read (SignpostCallgenRunner *self,
                                      SignpostRecord        *record)
{
  SignpostCallgenHistoryRun *history = ensure_history (self);

  if (SIGNPOST_IS_CLINICIAN (record))
    g_ptr_array_add (history->clinicians, g_object_ref (record));
  else if (SIGNPOST_IS_PATIENT (record))
    {
      g_ptr_array_add (history->patients, g_strdup (signpost_record_get_practice_id (record)));
      g_ptr_array_add (history->patients, g_strdup (signpost_record_get_id (record)));
    }
}

static char *
format_date (const GDate *date)
{
  char text[64];

  g_date_strftime (text, sizeof text, "%a %d %b %Y", date);
  return g_strdup (text);
}

static void advance (SignpostCallgenRunner *self);

static void
show_problem (SignpostCallgenRunner *self,
              const char            *username,
              const char            *what)
{
  SignpostCallgenHistoryRun *history = self->history;

  if (history->problems_shown < MAX_PROBLEMS_SHOWN)
    g_printerr (_("A mutation sent as %s was refused: %s\n"), username, what);
  else if (history->problems_shown == MAX_PROBLEMS_SHOWN)
    g_printerr (_("(further refusals are counted but not shown)\n"));
  history->problems_shown++;
}

typedef struct {
  SignpostCallgenRunner *self;
  SignpostHistoryBatch *batch;
} Sending;

static void send_next (SignpostCallgenRunner *self);

static void
batch_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Sending *sending = user_data;
  g_autoptr(SignpostCallgenRunner) self = sending->self;
  g_autoptr(SignpostHistoryBatch) batch = sending->batch;
  g_autoptr(SignpostCallgenReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  guint n = json_array_get_length (batch->mutations);
  JsonNode *results;

  g_free (sending);
  reply = signpost_callgen_client_request_finish (SIGNPOST_CALLGEN_CLIENT (source), result, &error);
  self->last_done_us = g_get_real_time ();
  if (self->task == NULL)
    return;
  if (reply == NULL || reply->status != 200)
    {
      g_autofree char *what = reply != NULL ? signpost_callgen_reply_describe (reply)
                                            : g_strdup (error->message);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->stopping)
        {
          signpost_callgen_runner_complete (self, NULL);
          return;
        }
      /* A server that will not take the history at all (not a demo
       * server, say) stops the run: nothing later would go in either. */
      signpost_callgen_runner_complete (self, g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                                                           _("The server refused a batch of %u mutations sent as %s: %s"),
                                                           n, batch->username, what));
      return;
    }

  results = reply->object != NULL ? json_object_get_member (reply->object, "results") : NULL;
  for (guint i = 0; results != NULL && JSON_NODE_HOLDS_ARRAY (results) &&
                    i < json_array_get_length (json_node_get_array (results)); i++)
    {
      JsonNode *node = json_array_get_element (json_node_get_array (results), i);
      JsonObject *outcome = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *status = signpost_callgen_json_get_string (outcome, "status");

      if (g_strcmp0 (status, "applied") == 0)
        self->stats.mutations_applied++;
      else if (g_strcmp0 (status, "duplicate") == 0)
        self->stats.mutations_duplicate++;
      else
        {
          JsonNode *problem = outcome != NULL ? json_object_get_member (outcome, "problem") : NULL;
          const char *detail = problem != NULL && JSON_NODE_HOLDS_OBJECT (problem)
            ? signpost_callgen_json_get_string (json_node_get_object (problem), "detail") : NULL;
          g_autofree char *what = g_strdup_printf ("%s%s%s", status != NULL ? status : "?",
                                                   detail != NULL ? ": " : "",
                                                   detail != NULL ? detail : "");

          self->stats.mutations_refused++;
          show_problem (self, batch->username, what);
        }
    }
  send_next (self);
}

/* The next batch of the step, or on to the next step. */
static void
send_next (SignpostCallgenRunner *self)
{
  SignpostCallgenHistoryRun *history = self->history;
  SignpostHistoryBatch *batch;
  const char *token;
  Sending *sending;

  if (self->stopping)
    {
      signpost_callgen_runner_complete (self, NULL);
      return;
    }
  batch = g_queue_pop_head (&history->batches);
  if (batch == NULL)
    {
      advance (self);
      return;
    }
  token = g_hash_table_lookup (history->tokens, batch->username);
  if (token == NULL)
    {
      show_problem (self, batch->username, _("nobody of that name signed in"));
      self->stats.mutations_refused += json_array_get_length (batch->mutations);
      signpost_history_batch_free (batch);
      send_next (self);
      return;
    }
  if (self->first_send_us < 0)
    self->first_send_us = g_get_real_time ();
  self->sim_now_us = MAX (self->sim_now_us, batch->at_us);
  history->day_mutations += json_array_get_length (batch->mutations);
  sending = g_new0 (Sending, 1);
  sending->self = g_object_ref (self);
  sending->batch = batch;
  signpost_callgen_client_replay_mutations_async (self->client, token, batch->at_us,
                                                  batch->mutations, self->cancellable,
                                                  batch_cb, sending);
}

static void
send_batches (SignpostCallgenRunner *self,
              Step                   step,
              GPtrArray             *batches)
{
  SignpostCallgenHistoryRun *history = self->history;

  history->step = step;
  g_ptr_array_set_free_func (batches, NULL);
  for (guint i = 0; i < batches->len; i++)
    g_queue_push_tail (&history->batches, g_ptr_array_index (batches, i));
  g_ptr_array_unref (batches);
  send_next (self);
}

/* ---- the days ---------------------------------------------------------- */

static gboolean
is_working_day (const GDate *date)
{
  return signpost_traffic_day_for_weekday (g_date_get_weekday (date)) != SIGNPOST_TRAFFIC_DAY_CLOSED;
}

static void
begin_day (SignpostCallgenRunner *self)
{
  SignpostCallgenHistoryRun *history = self->history;

  while (g_date_compare (&history->day, &self->options.replay_to) <= 0 &&
         !is_working_day (&history->day))
    g_date_add_days (&history->day, 1);
  if (g_date_compare (&history->day, &self->options.replay_to) > 0)
    {
      signpost_callgen_runner_print_line (_("History replayed"));
      signpost_callgen_runner_complete (self, NULL);
      return;
    }
  history->day_calls = 0;
  history->day_mutations = 0;
  self->day = history->day;
  send_batches (self, STEP_BOOKINGS,
                signpost_history_model_plan_bookings (history->model, &history->day));
}

/* Every practice's calls of the day, played together, each practice's
 * answered by its own team. */
static void
play_day (SignpostCallgenRunner *self)
{
  SignpostCallgenHistoryRun *history = self->history;
  GPtrArray *plans = g_ptr_array_new_with_free_func ((GDestroyNotify) signpost_traffic_plan_free);
  SignpostTrafficDay kind = signpost_traffic_day_for_weekday (g_date_get_weekday (&history->day));
  SignpostTrafficPlan *plan;

  for (guint i = 0; i < history->traffic->len; i++)
    g_ptr_array_add (plans, signpost_traffic_model_plan_day (g_ptr_array_index (history->traffic, i),
                                                             &history->day, kind, 0));
  g_free (history->first_calls);
  history->first_calls = g_new0 (guint, history->traffic->len + 1);
  plan = signpost_traffic_plan_merge (plans, history->first_calls);
  history->first_calls[history->traffic->len] = plan->calls->len;
  history->step = STEP_CALLS;
  history->day_calls = plan->calls->len;
  signpost_callgen_runner_play (self, plan);
}

/* The runner has played the day's calls. */
void
signpost_callgen_runner_history_plan_done (SignpostCallgenRunner *self)
{
  SignpostCallgenHistoryRun *history = self->history;
  g_autofree const char **call_ids = NULL;
  GPtrArray *batches = g_ptr_array_new ();
  guint n;

  g_return_if_fail (history != NULL && self->plan != NULL);

  n = self->plan->calls->len;
  call_ids = g_new0 (const char *, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    call_ids[i] = self->calls[i].call_id;
  for (guint p = 0; p < history->traffic->len; p++)
    {
      g_autoptr(GPtrArray) mine = NULL;

      mine = signpost_history_model_plan_navigation (history->model, p, &history->day, self->plan,
                                                     history->first_calls[p],
                                                     history->first_calls[p + 1] - history->first_calls[p],
                                                     (const char * const *) call_ids);
      g_ptr_array_set_free_func (mine, NULL);
      g_ptr_array_extend_and_steal (batches, g_steal_pointer (&mine));
    }
  g_ptr_array_set_free_func (batches, (GDestroyNotify) signpost_history_batch_free);
  send_batches (self, STEP_NAVIGATION, batches);
}

static void
advance (SignpostCallgenRunner *self)
{
  SignpostCallgenHistoryRun *history = self->history;

  switch (history->step)
    {
    case STEP_SESSIONS:
      history->day = self->options.replay_from;
      begin_day (self);
      break;

    case STEP_BOOKINGS:
      play_day (self);
      break;

    case STEP_NAVIGATION:
      send_batches (self, STEP_OUTCOMES,
                    signpost_history_model_plan_outcomes (history->model, &history->day));
      break;

    case STEP_OUTCOMES:
      {
        g_autofree char *date = format_date (&history->day);
        g_autofree char *line = NULL;

        /* Translators: a date, then numbers */
        line = g_strdup_printf (_("%s: %u calls, %u mutations of history"), date,
                                history->day_calls, history->day_mutations);
        signpost_callgen_runner_print_line (line);
        g_date_add_days (&history->day, 1);
        begin_day (self);
      }
      break;

    case STEP_LOGINS:
    case STEP_CALLS:
    default:
      g_return_if_reached ();
    }
}

/* ---- starting ---------------------------------------------------------- */

static void log_in_next (SignpostCallgenRunner *self);

static void
login_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SignpostCallgenRunner) self = user_data;
  SignpostCallgenHistoryRun *history = self->history;
  g_autoptr(SignpostCallgenReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  const char *username = history->usernames[history->next_login];
  const char *token;

  reply = signpost_callgen_client_request_finish (SIGNPOST_CALLGEN_CLIENT (source), result, &error);
  if (self->task == NULL)
    return;
  if (self->stopping)
    {
      signpost_callgen_runner_complete (self, NULL);
      return;
    }
  if (reply == NULL)
    {
      signpost_callgen_runner_complete (self, g_steal_pointer (&error));
      return;
    }
  token = signpost_callgen_json_get_string (reply->object, "token");
  if (reply->status != 200 || token == NULL)
    {
      g_autofree char *what = signpost_callgen_reply_describe (reply);

      signpost_callgen_runner_complete (self,
        g_error_new (G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                     _("Could not log in as “%s” (%s): the history is sent as each practice’s "
                       "manager, navigator and duty doctor of a demo server "
                       "(signpost-server --demo)"),
                     username, what));
      return;
    }
  g_hash_table_replace (history->tokens, g_strdup (username), g_strdup (token));
  history->next_login++;
  log_in_next (self);
}

static void
log_in_next (SignpostCallgenRunner *self)
{
  SignpostCallgenHistoryRun *history = self->history;
  g_autoptr(JsonObject) body = NULL;

  if (history->usernames[history->next_login] == NULL)
    {
      send_batches (self, STEP_SESSIONS,
                    signpost_history_model_plan_sessions (history->model, &self->options.replay_from,
                                                          &self->options.replay_to));
      return;
    }
  body = json_object_new ();
  json_object_set_string_member (body, "username", history->usernames[history->next_login]);
  json_object_set_string_member (body, "password", self->options.password);
  signpost_callgen_client_request_async (self->client, "POST", "login", body, self->cancellable,
                                         login_cb, g_object_ref (self));
}

static gboolean
progress_cb (gpointer user_data)
{
  SignpostCallgenRunner *self = user_data;
  const SignpostCallgenStats *s = &self->stats;
  g_autofree char *date = self->history != NULL && g_date_valid (&self->history->day)
                          ? format_date (&self->history->day) : NULL;
  g_autofree char *line = NULL;

  /* Translators: a progress line; keep it short */
  line = g_strdup_printf (_("[%s] calls offered %u, answered %u, abandoned %u | history %u applied, "
                            "%u duplicate, %u refused"),
                          date != NULL ? date : "…",
                          s->calls_offered, s->calls_answered, s->calls_abandoned,
                          s->mutations_applied, s->mutations_duplicate, s->mutations_refused);
  signpost_callgen_runner_print_line (line);
  return G_SOURCE_CONTINUE;
}

/* The practices, their clinicians and patients are read: plan and go. */
void
signpost_callgen_runner_history_start (SignpostCallgenRunner *self)
{
  SignpostCallgenHistoryRun *history = ensure_history (self);
  guint n;

  history->model = signpost_history_model_new (self->options.seed, self->options.handle_s);
  for (guint i = 0; i < self->practices->len; i++)
    {
      SignpostPractice *practice = g_ptr_array_index (self->practices, i);
      const char * const *lines = signpost_practice_get_lines (practice);

      if (lines != NULL && lines[0] != NULL)
        signpost_history_model_add_practice (history->model, practice);
    }
  for (guint i = 0; i < history->clinicians->len; i++)
    signpost_history_model_add_clinician (history->model, g_ptr_array_index (history->clinicians, i));
  for (guint i = 0; i + 1 < history->patients->len; i += 2)
    signpost_history_model_add_patient (history->model, g_ptr_array_index (history->patients, i),
                                        g_ptr_array_index (history->patients, i + 1));
  g_clear_pointer (&history->clinicians, g_ptr_array_unref);
  g_clear_pointer (&history->patients, g_ptr_array_unref);
  signpost_history_model_choose (history->model);

  /* Each practice's calls are answered by its own team. */
  n = signpost_history_model_get_n_practices (history->model);
  history->traffic = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < n; i++)
    {
      SignpostPractice *practice = signpost_history_model_get_practice (history->model, i);
      const SignpostHistoryProfile *profile = signpost_history_model_get_profile (history->model, i);
      const char *id = signpost_record_get_id (SIGNPOST_RECORD (practice));
      const char * const *lines = signpost_practice_get_lines (practice);
      g_autoptr(GTimeZone) tz = signpost_time_zone_new (signpost_practice_get_time_zone (practice), NULL);
      guint64 seed = self->options.seed * 1000003u + g_str_hash (signpost_practice_get_ods_code (practice)
                                                                 ? signpost_practice_get_ods_code (practice) : id);
      SignpostTrafficModel *traffic = signpost_traffic_model_new (self->pool, seed);
      g_autofree char *line = signpost_history_model_describe (history->model, i);

      if (tz == NULL)
        tz = signpost_time_zone_new (SIGNPOST_DEFAULT_TIME_ZONE, NULL);
      for (guint j = 0; lines[j] != NULL; j++)
        signpost_traffic_model_add_line (traffic, id, lines[j], tz);
      signpost_traffic_model_set_navigators (traffic, profile->navigators, self->options.handle_s);
      g_ptr_array_add (history->traffic, traffic);
      signpost_callgen_runner_print_line (line);
    }

  if (self->options.progress_interval_s > 0)
    self->progress_id = g_timeout_add_seconds (HISTORY_PROGRESS_S, progress_cb, self);
  g_date_clear (&history->day, 1);
  history->step = STEP_LOGINS;
  history->usernames = signpost_history_model_get_usernames (history->model);
  history->next_login = 0;
  log_in_next (self);
}
