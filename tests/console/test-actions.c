/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "console-test-server.h"
#include "console-test-telephony.h"
#include "signpost-navigation.h"
#include "signpost-sync.h"

/*
 * SignpostActions against a real signpost-server, every command with what
 * it returns, what the cache shows at once (pending), the outbox entry it
 * makes, the server's answer, and what happens when someone else got
 * there first. No display.
 *
 * Consoles: "me" (navigator) and "duty" (the duty doctor) reach the server
 * through the test proxy, so that cutting the network takes them offline;
 * "other" (a hub navigator), "duty2" (the duty doctor at another PC) and
 * "manager" talk to it directly, and change things meanwhile.
 */

#define TIMEOUT_MS 60000

typedef struct {
  SignpostSyncEngine *engine;
  SignpostActions *actions;
  char *username;
} Session;

static TestServer *server;
static Session *me;
static Session *other;
static Session *duty;
static Session *duty2;
static Session *manager;
static guint call_counter;

/* ---- waiting ------------------------------------------------------------------------ */

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
result_ready (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static SignpostOutbox *
outbox_of (Session *session)
{
  return SIGNPOST_OUTBOX (signpost_actions_get_changes (session->actions));
}

static SignpostCache *
cache_of (Session *session)
{
  return signpost_actions_get_cache (session->actions);
}

static gboolean
settled (gpointer data)
{
  Session *session = data;

  return signpost_sync_engine_get_state (session->engine) == SIGNPOST_SYNC_STATE_ONLINE &&
         !signpost_sync_engine_get_first_sync (session->engine) &&
         signpost_outbox_get_n_waiting (outbox_of (session)) == 0;
}

static gboolean
is_offline (gpointer data)
{
  return signpost_sync_engine_get_state (((Session *) data)->engine) == SIGNPOST_SYNC_STATE_OFFLINE;
}

/* Everything sent, and the change feed pulled after it. */
static void
wait_settled (Session *session)
{
  g_assert_true (test_wait_until (settled, session, TIMEOUT_MS));
}

static void
go_offline (void)
{
  test_server_set_blocked (server, TRUE);
  g_assert_true (test_wait_until (is_offline, me, TIMEOUT_MS));
  g_assert_true (test_wait_until (is_offline, duty, TIMEOUT_MS));
}

static void
go_online (void)
{
  test_server_set_blocked (server, FALSE);
  signpost_sync_engine_reconnect_now (me->engine);
  signpost_sync_engine_reconnect_now (duty->engine);
}

typedef struct {
  Session *session;
  SignpostRecordKind kind;
  const char *id;
  gint64 min_version;
} RecordWait;

/* The cache holds @id as the server has it (not pending), at
 * @min_version or later. */
static gboolean
record_settled (gpointer data)
{
  RecordWait *wait = data;
  g_autoptr(SignpostRecord) record = signpost_cache_get_record (cache_of (wait->session), wait->kind, wait->id, NULL);

  return record != NULL && !signpost_cache_record_is_pending (record) &&
         signpost_record_get_version (record) >= wait->min_version;
}

static gpointer
server_state (Session            *session,
              SignpostRecordKind  kind,
              const char         *id,
              gint64              min_version)
{
  RecordWait wait = { session, kind, id, min_version };

  g_assert_true (test_wait_until (record_settled, &wait, TIMEOUT_MS));
  return signpost_cache_get_record (cache_of (session), kind, id, NULL);
}

/* ---- sessions --------------------------------------------------------------------------- */

static Session *
session_open (const char *username,
              gboolean    through_proxy)
{
  Session *session = g_new0 (Session, 1);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  session->username = g_strdup (username);
  session->engine = signpost_sync_engine_new ();
  g_object_set (session->engine, "reconnect-min-ms", 50, "reconnect-max-ms", 400, NULL);
  session->actions = signpost_actions_get_for_engine (session->engine);
  signpost_sync_engine_login_async (session->engine,
                                    through_proxy ? test_server_get_url (server) : test_server_get_direct_url (server),
                                    username, "demo-password", NULL, NULL, store_result, &result);
  g_assert_true (test_wait_until (result_ready, &result, TIMEOUT_MS));
  g_assert_true (signpost_sync_engine_login_finish (session->engine, result, &error));
  g_assert_no_error (error);
  signpost_sync_engine_start (session->engine);
  wait_settled (session);
  return session;
}

static gboolean
pointer_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
session_close (Session *session)
{
  gpointer weak = session->engine;

  signpost_sync_engine_stop (session->engine);
  g_object_add_weak_pointer (G_OBJECT (session->engine), &weak);
  g_object_unref (session->engine);
  g_assert_true (test_wait_until (pointer_cleared, &weak, 10000));
  g_free (session->username);
  g_free (session);
}

/* ---- the records used -------------------------------------------------------------------- */

static const char *
practice_of (Session *session)
{
  return signpost_user_get_practice_ids (signpost_actions_get_user (session->actions))[0];
}

static SignpostPatient *
some_patient (Session *session,
              guint    nth)
{
  g_autoptr(GPtrArray) patients = signpost_cache_search_patients (cache_of (session), "", practice_of (session),
                                                                  nth + 1, NULL, NULL);

  if (patients->len <= nth)
    {
      /* An empty search may find nothing: every patient of the practice. */
      g_autoptr(GPtrArray) all = signpost_cache_list_records (cache_of (session), SIGNPOST_RECORD_PATIENT, NULL);
      guint seen = 0;

      for (guint i = 0; i < all->len; i++)
        if (g_strcmp0 (signpost_record_get_practice_id (g_ptr_array_index (all, i)), practice_of (session)) == 0 &&
            seen++ == nth)
          return g_object_ref (g_ptr_array_index (all, i));
      g_assert_not_reached ();
    }
  return g_object_ref (g_ptr_array_index (patients, nth));
}

/* A practice of the hub that @session does not work for. */
static const char *
foreign_practice (Session *session)
{
  GListModel *practices = signpost_actions_get_practices (other->actions);

  for (guint i = 0; i < g_list_model_get_n_items (practices); i++)
    {
      g_autoptr(SignpostRecord) practice = g_list_model_get_item (practices, i);

      if (g_strcmp0 (signpost_record_get_id (practice), practice_of (session)) != 0)
        return signpost_record_get_id (practice); /* the list keeps it */
    }
  g_assert_not_reached ();
}

static const char *
id_of (gpointer record)
{
  return signpost_record_get_id (SIGNPOST_RECORD (record));
}

/* Free slots @session may book, from an hour on, in its practice. */
static GPtrArray *
bookable_slots (Session *session,
                guint    limit)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) from = g_date_time_add_hours (now, 1);
  g_autoptr(GDateTime) to = g_date_time_add_days (now, 14);
  const char * const practices[] = { practice_of (session), NULL };
  SignpostSlotQuery query = SIGNPOST_SLOT_QUERY_INIT;
  SignpostSlotBooker booker;

  signpost_actions_init_booker (session->actions, &booker, now);
  query.practice_ids = practices;
  query.from = from;
  query.to = to;
  query.limit = limit;
  return signpost_cache_find_free_slots (cache_of (session), &query, &booker, NULL);
}

static SignpostOutboxItem *
last_change (Session *session)
{
  GListModel *changes = signpost_actions_get_changes (session->actions);
  guint n = g_list_model_get_n_items (changes);

  g_assert_cmpuint (n, >, 0);
  return g_list_model_get_item (changes, n - 1);
}

/* The newest change is @op on @kind @id, labelled @label, waiting. */
static SignpostOutboxItem *
assert_change (Session            *session,
               SignpostRecordKind  kind,
               SignpostOp          op,
               const char         *id,
               const char         *label)
{
  SignpostOutboxItem *item = last_change (session);

  g_assert_cmpint (signpost_outbox_item_get_kind (item), ==, kind);
  g_assert_cmpint (signpost_outbox_item_get_op (item), ==, op);
  g_assert_cmpstr (signpost_outbox_item_get_record_id (item), ==, id);
  g_assert_cmpstr (signpost_outbox_item_get_label (item), ==, label);
  g_assert_cmpint (signpost_outbox_item_get_state (item), ==, SIGNPOST_OUTBOX_WAITING);
  return item;
}

/* The server's answers to @session's changes, as they come. */
typedef struct {
  GPtrArray *results;
} Answers;

static void
on_result (SignpostOutbox         *outbox,
           SignpostMutationResult *result,
           Answers                *answers)
{
  g_ptr_array_add (answers->results, g_object_ref (result));
}

static Answers *
listen_answers (Session *session)
{
  Answers *answers = g_new0 (Answers, 1);

  answers->results = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (outbox_of (session), "result", G_CALLBACK (on_result), answers);
  return answers;
}

static void
answers_free (Session *session,
              Answers *answers)
{
  g_signal_handlers_disconnect_by_data (outbox_of (session), answers);
  g_ptr_array_unref (answers->results);
  g_free (answers);
}

/* The server answered @mutation_id with @status. */
static void
assert_answer (Answers                *answers,
               const char             *mutation_id,
               SignpostResultStatus    status)
{
  for (guint i = 0; i < answers->results->len; i++)
    {
      SignpostMutationResult *result = g_ptr_array_index (answers->results, i);

      if (g_strcmp0 (signpost_mutation_result_get_mutation_id (result), mutation_id) == 0)
        {
          g_assert_cmpint (signpost_mutation_result_get_status (result), ==, status);
          return;
        }
    }
  g_test_message ("no answer to %s among %u", mutation_id, answers->results->len);
  g_assert_not_reached ();
}

static gboolean
has_problem (gpointer data)
{
  return signpost_outbox_get_n_problems (outbox_of (data)) > 0;
}

/* The change @session could not make: the one problem on its list. */
static SignpostOutboxItem *
the_problem (Session *session)
{
  GListModel *changes = signpost_actions_get_changes (session->actions);

  g_assert_true (test_wait_until (has_problem, session, TIMEOUT_MS));
  for (guint i = 0; i < g_list_model_get_n_items (changes); i++)
    {
      g_autoptr(SignpostOutboxItem) item = g_list_model_get_item (changes, i);

      g_test_message ("%s: %s (%s: %s)", signpost_outbox_item_get_label (item),
                      signpost_enum_to_nick (SIGNPOST_TYPE_OUTBOX_STATE, signpost_outbox_item_get_state (item)),
                      signpost_outbox_item_get_problem_title (item), signpost_outbox_item_get_problem_detail (item));
    }
  g_assert_cmpuint (signpost_outbox_get_n_problems (outbox_of (session)), ==, 1);
  for (guint i = 0; i < g_list_model_get_n_items (changes); i++)
    {
      g_autoptr(SignpostOutboxItem) item = g_list_model_get_item (changes, i);

      if (signpost_outbox_item_get_state (item) != SIGNPOST_OUTBOX_WAITING)
        return g_steal_pointer (&item);
    }
  g_assert_not_reached ();
}

/* ---- the session ---------------------------------------------------------------------------- */

static guint n_cache_notes;

static void
count_notify (void)
{
  n_cache_notes++;
}

static void
test_session (void)
{
  SignpostActions *actions = me->actions;
  SignpostUser *user = signpost_actions_get_user (actions);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  SignpostSlotBooker booker;

  g_assert_true (actions == signpost_actions_get_for_engine (me->engine));
  g_assert_nonnull (signpost_actions_get_cache (actions));
  g_assert_true (signpost_actions_get_cache (actions) == signpost_sync_engine_get_cache (me->engine));
  g_assert_true (signpost_actions_get_changes (actions) == G_LIST_MODEL (signpost_sync_engine_get_outbox (me->engine)));
  g_assert_nonnull (user);
  g_assert_cmpstr (signpost_user_get_username (user), ==, "navigator");
  g_assert_cmpstr (signpost_actions_get_user_id (actions), ==, id_of (user));
  g_assert_cmpint (signpost_actions_get_role (actions), ==, SIGNPOST_ROLE_NAVIGATOR);
  g_assert_cmpuint (g_list_model_get_n_items (signpost_actions_get_practices (actions)), ==, 1);
  g_assert_cmpint (signpost_actions_get_state (actions), ==, SIGNPOST_SYNC_STATE_ONLINE);
  g_assert_true (signpost_actions_get_call_hub (actions) == signpost_sync_engine_get_call_hub (me->engine));

  signpost_actions_init_booker (actions, &booker, now);
  g_assert_false (booker.hub);
  g_assert_cmpstr (booker.practice_ids[0], ==, practice_of (me));
  g_assert_true (booker.now == now);
  signpost_actions_init_booker (other->actions, &booker, now);
  g_assert_true (booker.hub);

  /* The state follows the engine's, notified once per change. */
  g_signal_connect_swapped (actions, "notify::state", G_CALLBACK (count_notify), NULL);
  n_cache_notes = 0;
  go_offline ();
  g_assert_cmpint (signpost_actions_get_state (actions), ==, SIGNPOST_SYNC_STATE_OFFLINE);
  g_assert_cmpuint (n_cache_notes, >=, 1);
  go_online ();
  wait_settled (me);
  wait_settled (duty);
  g_assert_cmpint (signpost_actions_get_state (actions), ==, SIGNPOST_SYNC_STATE_ONLINE);
  g_signal_handlers_disconnect_by_func (actions, count_notify, NULL);
}

/* ---- the phones ----------------------------------------------------------------------------- */

static const char *
line_of (Session *session)
{
  g_autoptr(SignpostPractice) practice = g_list_model_get_item (signpost_actions_get_practices (session->actions), 0);

  return signpost_practice_get_lines (practice)[0];
}

static gboolean
call_known (gpointer data)
{
  gpointer *args = data;
  g_autoptr(SignpostCall) call = signpost_cache_get_record (cache_of (args[0]), SIGNPOST_RECORD_CALL, args[1], NULL);

  return call != NULL;
}

static gboolean
list_has_items (gpointer data)
{
  return g_list_model_get_n_items (G_LIST_MODEL (data)) > 0;
}

static gboolean
list_is_empty (gpointer data)
{
  return g_list_model_get_n_items (G_LIST_MODEL (data)) == 0;
}

static char *
offer (const char *event_after)
{
  g_autofree char *ref = g_strdup_printf ("actions-test-%u", ++call_counter);
  char *call_id = NULL;

  g_assert_cmpuint (test_post_call_event (server, "call.offered", ref, line_of (me), "+447700900321", NULL, &call_id),
                    ==, 200);
  g_assert_nonnull (call_id);
  if (event_after != NULL)
    g_assert_cmpuint (test_post_call_event (server, event_after, ref, line_of (me), "+447700900321",
                                            "+447700900321", NULL),
                      ==, 200);
  {
    gpointer args[] = { me, call_id };
    g_assert_true (test_wait_until (call_known, args, TIMEOUT_MS));
  }
  {
    gpointer args[] = { other, call_id };
    g_assert_true (test_wait_until (call_known, args, TIMEOUT_MS));
  }
  return call_id;
}

static SignpostCall *
call_command (Session    *session,
              SignpostOp  op,
              const char *call_id,
              GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  switch (op)
    {
    case SIGNPOST_OP_ANSWER:
      signpost_actions_answer_call_async (session->actions, call_id, NULL, store_result, &result);
      g_assert_true (test_wait_until (result_ready, &result, TIMEOUT_MS));
      return signpost_actions_answer_call_finish (session->actions, result, error);
    case SIGNPOST_OP_END:
      signpost_actions_end_call_async (session->actions, call_id, NULL, store_result, &result);
      g_assert_true (test_wait_until (result_ready, &result, TIMEOUT_MS));
      return signpost_actions_end_call_finish (session->actions, result, error);
    case SIGNPOST_OP_COMPLETE:
      signpost_actions_complete_callback_async (session->actions, call_id, SIGNPOST_CALLBACK_OUTCOME_REACHED, NULL,
                                                store_result, &result);
      g_assert_true (test_wait_until (result_ready, &result, TIMEOUT_MS));
      return signpost_actions_complete_callback_finish (session->actions, result, error);
    default:
      g_assert_not_reached ();
    }
}

static void
test_phones (void)
{
  g_autofree char *call_id = offer (NULL);
  g_autofree char *callback_id = NULL;
  g_autofree char *late_id = NULL;
  g_autoptr(SignpostCall) answered = NULL;
  g_autoptr(SignpostCall) ended = NULL;
  g_autoptr(SignpostCall) lost = NULL;
  g_autoptr(SignpostCall) done = NULL;
  g_autoptr(SignpostCall) linked = NULL;
  g_autoptr(SignpostPatient) patient = some_patient (me, 3);
  g_autoptr(SignpostOutboxItem) link = NULL;
  g_autoptr(GError) error = NULL;
  Answers *answers = listen_answers (me);
  guint n_changes = g_list_model_get_n_items (signpost_actions_get_changes (me->actions));

  /* Answer: the server's call back at once, never through the outbox. */
  answered = call_command (me, SIGNPOST_OP_ANSWER, call_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (answered);
  g_assert_cmpstr (id_of (answered), ==, call_id);
  g_assert_cmpint (signpost_call_get_state (answered), ==, SIGNPOST_CALL_ANSWERED);
  g_assert_cmpstr (signpost_call_get_answered_by (answered), ==, signpost_actions_get_user_id (me->actions));
  g_assert_cmpuint (g_list_model_get_n_items (signpost_actions_get_changes (me->actions)), ==, n_changes);

  /* Someone else got there first: words for the navigator. */
  lost = call_command (other, SIGNPOST_OP_ANSWER, call_id, &error);
  g_assert_null (lost);
  g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_CONFLICT);
  g_assert_cmpstr (error->message, ==, "Another navigator answered that call.");
  g_clear_error (&error);

  /* Link the caller: on top of the version the answer made, at once. */
  g_assert_true (signpost_actions_link_caller (me->actions, call_id, id_of (patient), "Linked the caller", &error));
  g_assert_no_error (error);
  link = assert_change (me, SIGNPOST_RECORD_CALL, SIGNPOST_OP_UPDATE, call_id, "Linked the caller");
  g_assert_cmpint (signpost_mutation_get_base_version (signpost_outbox_item_get_mutation (link)), ==,
                   signpost_record_get_version (SIGNPOST_RECORD (answered)));
  linked = signpost_cache_get_record (cache_of (me), SIGNPOST_RECORD_CALL, call_id, NULL);
  g_assert_cmpstr (signpost_call_get_patient_id (linked), ==, id_of (patient));
  g_assert_true (signpost_cache_record_is_pending (SIGNPOST_RECORD (linked)));
  wait_settled (me);
  assert_answer (answers, signpost_outbox_item_get_mutation_id (link), SIGNPOST_RESULT_APPLIED);
  g_clear_object (&linked);
  linked = server_state (me, SIGNPOST_RECORD_CALL, call_id, signpost_record_get_version (SIGNPOST_RECORD (answered)) + 1);
  g_assert_cmpstr (signpost_call_get_patient_id (linked), ==, id_of (patient));
  /* The same link again sends nothing. */
  g_assert_true (signpost_actions_link_caller (me->actions, call_id, id_of (patient), "Again", &error));
  g_assert_cmpuint (signpost_outbox_get_n_waiting (outbox_of (me)), ==, 0);

  /* End it; ending it again is "already ended". */
  ended = call_command (me, SIGNPOST_OP_END, call_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (signpost_call_get_state (ended), ==, SIGNPOST_CALL_ENDED);
  lost = call_command (other, SIGNPOST_OP_END, call_id, &error);
  g_assert_null (lost);
  g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_CONFLICT);
  g_assert_cmpstr (error->message, ==, "That call has already ended; nothing more to do.");
  g_clear_error (&error);

  /* A callback, made and reached; made again, it is "already made". */
  callback_id = offer ("call.callback_requested");
  done = call_command (me, SIGNPOST_OP_COMPLETE, callback_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (signpost_call_get_state (done), ==, SIGNPOST_CALL_CALLBACK_DONE);
  g_assert_cmpint (signpost_call_get_callback_outcome (done), ==, SIGNPOST_CALLBACK_OUTCOME_REACHED);
  lost = call_command (other, SIGNPOST_OP_COMPLETE, callback_id, &error);
  g_assert_null (lost);
  g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_CONFLICT);
  g_assert_cmpstr (error->message, ==, "That callback has already been made.");
  g_clear_error (&error);

  /* Two tries that found nobody: a failed contact, on the list of those
   * to follow up until the follow-up is recorded. */
  {
    g_autofree char *failed_id = offer ("call.callback_requested");
    g_autoptr(SignpostCallListModel) failed = signpost_call_list_model_new (cache_of (me),
                                                                            SIGNPOST_CALL_LIST_FAILED_CONTACTS);
    g_autoptr(SignpostCall) followed = NULL;

    for (guint i = 0; i < 2; i++)
      {
        g_autoptr(GAsyncResult) result = NULL;
        g_autoptr(SignpostCall) missed = NULL;

        signpost_actions_complete_callback_async (me->actions, failed_id, SIGNPOST_CALLBACK_OUTCOME_NO_ANSWER, NULL,
                                                  store_result, &result);
        g_assert_true (test_wait_until (result_ready, &result, TIMEOUT_MS));
        missed = signpost_actions_complete_callback_finish (me->actions, result, &error);
        g_assert_no_error (error);
        g_assert_cmpint (signpost_call_get_callback_outcome (missed), ==,
                         i == 0 ? SIGNPOST_CALLBACK_OUTCOME_NO_ANSWER : SIGNPOST_CALLBACK_OUTCOME_FAILED_CONTACT);
      }
    g_assert_true (test_wait_until (list_has_items, failed, TIMEOUT_MS));
    {
      g_autoptr(SignpostCall) listed = g_list_model_get_item (G_LIST_MODEL (failed), 0);

      g_assert_cmpstr (id_of (listed), ==, failed_id);
      g_assert_nonnull (signpost_call_get_callback_first_attempt_at (listed));
    }
    {
      g_autoptr(GAsyncResult) result = NULL;

      signpost_actions_record_follow_up_async (me->actions, failed_id, SIGNPOST_FOLLOW_UP_TEXT, NULL,
                                               store_result, &result);
      g_assert_true (test_wait_until (result_ready, &result, TIMEOUT_MS));
      followed = signpost_actions_record_follow_up_finish (me->actions, result, &error);
      g_assert_no_error (error);
      g_assert_cmpint (signpost_call_get_follow_up (followed), ==, SIGNPOST_FOLLOW_UP_TEXT);
    }
    g_assert_true (test_wait_until (list_is_empty, failed, TIMEOUT_MS));
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(SignpostCall) twice = NULL;

      signpost_actions_record_follow_up_async (other->actions, failed_id, SIGNPOST_FOLLOW_UP_LETTER, NULL,
                                               store_result, &result);
      g_assert_true (test_wait_until (result_ready, &result, TIMEOUT_MS));
      twice = signpost_actions_record_follow_up_finish (other->actions, result, &error);
      g_assert_null (twice);
      g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_CONFLICT);
      g_clear_error (&error);
    }
  }

  /* Offline, the phones are unavailable: nothing is queued. */
  late_id = offer (NULL);
  go_offline ();
  lost = call_command (me, SIGNPOST_OP_ANSWER, late_id, &error);
  g_assert_null (lost);
  g_assert_error (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_OFFLINE);
  g_clear_error (&error);
  g_assert_cmpuint (signpost_outbox_get_n_waiting (outbox_of (me)), ==, 0);
  go_online ();
  wait_settled (me);
  wait_settled (duty);
  answers_free (me, answers);
}

/* ---- requests ----------------------------------------------------------------------------- */

static SignpostTriage *
new_request (Session         *session,
             SignpostPatient *patient,
             const char      *reason,
             gboolean         for_duty)
{
  SignpostTriage *request = signpost_triage_new ();
  g_autoptr(SignpostRoute) route = signpost_route_new ();

  signpost_record_set_practice_id (SIGNPOST_RECORD (request), signpost_record_get_practice_id (SIGNPOST_RECORD (patient)));
  signpost_triage_set_patient_id (request, id_of (patient));
  signpost_triage_set_reason (request, reason);
  signpost_triage_set_urgency (request, SIGNPOST_URGENCY_SAME_DAY);
  if (for_duty)
    signpost_route_set_kind (route, SIGNPOST_ROUTE_DUTY);
  else
    {
      signpost_route_set_kind (route, SIGNPOST_ROUTE_PROFESSION);
      signpost_route_set_profession (route, "gp");
    }
  signpost_triage_set_route (request, route);
  signpost_triage_set_contact_method (request, SIGNPOST_CONTACT_IN_PERSON);
  signpost_triage_set_status (request, for_duty ? SIGNPOST_TRIAGE_AWAITING_DUTY : SIGNPOST_TRIAGE_OPEN);
  return request;
}

static char *
saved_request (Session    *session,
               guint       nth_patient,
               const char *reason,
               gboolean    for_duty)
{
  g_autoptr(SignpostPatient) patient = some_patient (session, nth_patient);
  g_autoptr(SignpostTriage) request = new_request (session, patient, reason, for_duty);
  g_autoptr(GError) error = NULL;

  g_assert_true (signpost_actions_save_request (session->actions, request, "Request", &error));
  g_assert_no_error (error);
  wait_settled (session);
  return g_strdup (id_of (request));
}

static void
test_requests (void)
{
  g_autoptr(SignpostPatient) patient = some_patient (me, 5);
  g_autoptr(SignpostTriage) request = new_request (me, patient, "Rash on both arms since Friday", FALSE);
  g_autoptr(SignpostTriage) cached = NULL;
  g_autoptr(SignpostTriage) theirs = NULL;
  g_autoptr(SignpostCall) call = NULL;
  g_autoptr(SignpostOutboxItem) item = NULL;
  g_autoptr(SignpostOutboxItem) problem = NULL;
  g_autoptr(SignpostPatient) temporary = signpost_patient_new ();
  g_autoptr(SignpostPatient) elsewhere = signpost_patient_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *call_id = offer (NULL);
  Answers *answers = listen_answers (me);
  const char *triage_id;

  /* A new request: an id is given, the cache has it at once. */
  g_assert_null (id_of (request));
  g_assert_true (signpost_actions_save_request (me->actions, request, "New request", &error));
  g_assert_no_error (error);
  triage_id = id_of (request);
  g_assert_nonnull (triage_id);
  item = assert_change (me, SIGNPOST_RECORD_TRIAGE, SIGNPOST_OP_CREATE, triage_id, "New request");
  cached = signpost_cache_get_record (cache_of (me), SIGNPOST_RECORD_TRIAGE, triage_id, NULL);
  g_assert_nonnull (cached);
  g_assert_true (signpost_cache_record_is_pending (SIGNPOST_RECORD (cached)));
  g_assert_cmpstr (signpost_triage_get_reason (cached), ==, "Rash on both arms since Friday");
  wait_settled (me);
  assert_answer (answers, signpost_outbox_item_get_mutation_id (item), SIGNPOST_RESULT_APPLIED);
  g_clear_object (&cached);
  cached = server_state (me, SIGNPOST_RECORD_TRIAGE, triage_id, 1);
  g_assert_cmpstr (signpost_triage_get_reason (cached), ==, "Rash on both arms since Friday");

  /* The call it was taken on: linked to the request and its patient. */
  g_assert_true (signpost_actions_link_call_to_request (me->actions, call_id, triage_id, id_of (patient), &error));
  g_assert_no_error (error);
  g_clear_object (&item);
  item = assert_change (me, SIGNPOST_RECORD_CALL, SIGNPOST_OP_UPDATE, call_id, "Linked a call to its request");
  call = signpost_cache_get_record (cache_of (me), SIGNPOST_RECORD_CALL, call_id, NULL);
  g_assert_cmpstr (signpost_call_get_triage_id (call), ==, triage_id);
  g_assert_cmpstr (signpost_call_get_patient_id (call), ==, id_of (patient));
  wait_settled (me);
  assert_answer (answers, signpost_outbox_item_get_mutation_id (item), SIGNPOST_RESULT_APPLIED);
  /* Linked already: nothing more is sent. */
  g_assert_true (signpost_actions_link_call_to_request (me->actions, call_id, triage_id, id_of (patient), &error));
  g_assert_cmpuint (signpost_outbox_get_n_waiting (outbox_of (me)), ==, 0);

  /* Changed here offline and at another PC meanwhile: a conflict, kept
   * with the server's version until sent again on top of it. */
  go_offline ();
  g_clear_object (&cached);
  cached = signpost_cache_get_record (cache_of (me), SIGNPOST_RECORD_TRIAGE, triage_id, NULL);
  signpost_triage_set_reason (cached, "Rash on both arms since Friday, now itching");
  g_assert_true (signpost_actions_save_request (me->actions, cached, "Changed the reason", &error));
  g_assert_no_error (error);
  g_clear_object (&item);
  item = assert_change (me, SIGNPOST_RECORD_TRIAGE, SIGNPOST_OP_UPDATE, triage_id, "Changed the reason");
  theirs = server_state (other, SIGNPOST_RECORD_TRIAGE, triage_id, 1);
  signpost_triage_set_navigator_notes (theirs, "Patient will send a photo");
  g_assert_true (signpost_actions_save_request (other->actions, theirs, "Notes", &error));
  g_assert_no_error (error);
  wait_settled (other);
  go_online ();
  problem = the_problem (me);
  g_assert_cmpstr (signpost_outbox_item_get_mutation_id (problem), ==, signpost_outbox_item_get_mutation_id (item));
  g_assert_cmpint (signpost_outbox_item_get_state (problem), ==, SIGNPOST_OUTBOX_CONFLICT);
  assert_answer (answers, signpost_outbox_item_get_mutation_id (item), SIGNPOST_RESULT_CONFLICT);
  g_assert_true (SIGNPOST_IS_TRIAGE (signpost_outbox_item_get_current (problem)));
  g_assert_true (signpost_actions_retry_change (me->actions, signpost_outbox_item_get_mutation_id (problem), &error));
  g_assert_no_error (error);
  wait_settled (me);
  g_assert_cmpuint (signpost_outbox_get_n_problems (outbox_of (me)), ==, 0);
  g_clear_object (&cached);
  cached = server_state (me, SIGNPOST_RECORD_TRIAGE, triage_id, 3);
  g_assert_cmpstr (signpost_triage_get_reason (cached), ==, "Rash on both arms since Friday, now itching");
  g_assert_cmpstr (signpost_triage_get_navigator_notes (cached), ==, "Patient will send a photo");

  /* A temporary patient: a new record, temporary whatever was set. */
  signpost_record_set_practice_id (SIGNPOST_RECORD (temporary), practice_of (me));
  signpost_patient_set_given_name (temporary, "Tamsin");
  signpost_patient_set_family_name (temporary, "Visitor");
  signpost_patient_set_date_of_birth (temporary, "1990-04-02");
  signpost_patient_set_sex (temporary, SIGNPOST_SEX_UNKNOWN);
  g_assert_true (signpost_actions_register_temporary_patient (me->actions, temporary, "Registered VISITOR, Tamsin",
                                                              &error));
  g_assert_no_error (error);
  g_clear_object (&item);
  item = assert_change (me, SIGNPOST_RECORD_PATIENT, SIGNPOST_OP_CREATE, id_of (temporary), "Registered VISITOR, Tamsin");
  {
    g_autoptr(SignpostPatient) shown = signpost_cache_get_record (cache_of (me), SIGNPOST_RECORD_PATIENT, id_of (temporary), NULL);
    g_autoptr(SignpostPatient) kept = NULL;

    g_assert_true (signpost_patient_get_temporary (shown));
    g_assert_true (signpost_cache_record_is_pending (SIGNPOST_RECORD (shown)));
    wait_settled (me);
    assert_answer (answers, signpost_outbox_item_get_mutation_id (item), SIGNPOST_RESULT_APPLIED);
    kept = server_state (me, SIGNPOST_RECORD_PATIENT, id_of (temporary), 1);
    g_assert_true (signpost_patient_get_temporary (kept));
  }

  /* A patient of a practice this navigator does not work for: refused,
   * kept as a problem until let go. */
  signpost_record_set_practice_id (SIGNPOST_RECORD (elsewhere), foreign_practice (me));
  signpost_patient_set_given_name (elsewhere, "Nobody");
  signpost_patient_set_family_name (elsewhere, "Here");
  signpost_patient_set_date_of_birth (elsewhere, "1985-07-19");
  signpost_patient_set_sex (elsewhere, SIGNPOST_SEX_UNKNOWN);
  g_assert_true (signpost_actions_register_temporary_patient (me->actions, elsewhere, "Registered HERE, Nobody",
                                                              &error));
  g_assert_no_error (error);
  g_clear_object (&problem);
  problem = the_problem (me);
  g_assert_cmpint (signpost_outbox_item_get_state (problem), ==, SIGNPOST_OUTBOX_REJECTED);
  g_assert_nonnull (signpost_outbox_item_get_problem_title (problem));
  assert_answer (answers, signpost_outbox_item_get_mutation_id (problem), SIGNPOST_RESULT_REJECTED);
  g_assert_true (signpost_actions_discard_change (me->actions, signpost_outbox_item_get_mutation_id (problem), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (signpost_outbox_get_n_problems (outbox_of (me)), ==, 0);
  {
    g_autoptr(SignpostPatient) gone = signpost_cache_get_record (cache_of (me), SIGNPOST_RECORD_PATIENT, id_of (elsewhere), NULL);
    g_assert_null (gone);
  }

  answers_free (me, answers);
}

/* ---- the duty doctor --------------------------------------------------------------------- */

static void
test_duty (void)
{
  g_autofree char *first = saved_request (me, 7, "Chest pain on and off for two days", TRUE);
  g_autofree char *second = saved_request (me, 8, "Dizzy since starting new tablets", TRUE);
  g_autofree char *third = saved_request (me, 9, "Cough with green phlegm", TRUE);
  g_autoptr(SignpostTriage) shown = NULL;
  g_autoptr(SignpostOutboxItem) item = NULL;
  g_autoptr(SignpostOutboxItem) item2 = NULL;
  g_autoptr(SignpostOutboxItem) problem = NULL;
  g_autoptr(GError) error = NULL;
  const char *duty_id = signpost_actions_get_user_id (duty->actions);
  Answers *answers = listen_answers (duty);

  shown = server_state (duty, SIGNPOST_RECORD_TRIAGE, first, 1);
  g_clear_object (&shown);
  (void) server_state (duty2, SIGNPOST_RECORD_TRIAGE, third, 1);

  /* Claim, then let go. */
  g_assert_true (signpost_actions_claim_request (duty->actions, first, "Opened the request", &error));
  g_assert_no_error (error);
  item = assert_change (duty, SIGNPOST_RECORD_TRIAGE, SIGNPOST_OP_UPDATE, first, "Opened the request");
  shown = signpost_cache_get_record (cache_of (duty), SIGNPOST_RECORD_TRIAGE, first, NULL);
  g_assert_cmpstr (signpost_triage_get_claimed_by (shown), ==, duty_id);
  g_assert_true (signpost_cache_record_is_pending (SIGNPOST_RECORD (shown)));
  wait_settled (duty);
  assert_answer (answers, signpost_outbox_item_get_mutation_id (item), SIGNPOST_RESULT_APPLIED);
  g_clear_object (&shown);
  shown = server_state (duty, SIGNPOST_RECORD_TRIAGE, first, 2);
  g_assert_cmpstr (signpost_triage_get_claimed_by (shown), ==, duty_id);
  g_assert_true (signpost_actions_release_request (duty->actions, first, "Left the request", &error));
  g_assert_no_error (error);
  g_clear_object (&item);
  item = assert_change (duty, SIGNPOST_RECORD_TRIAGE, SIGNPOST_OP_UPDATE, first, "Left the request");
  wait_settled (duty);
  assert_answer (answers, signpost_outbox_item_get_mutation_id (item), SIGNPOST_RESULT_APPLIED);
  g_clear_object (&shown);
  shown = server_state (duty, SIGNPOST_RECORD_TRIAGE, first, 3);
  g_assert_null (signpost_triage_get_claimed_by (shown));

  /* Clinical notes. */
  g_assert_true (signpost_actions_save_duty_notes (duty->actions, first, "ECG today", "Clinical notes", &error));
  g_assert_no_error (error);
  g_clear_object (&item);
  item = assert_change (duty, SIGNPOST_RECORD_TRIAGE, SIGNPOST_OP_UPDATE, first, "Clinical notes");
  g_clear_object (&shown);
  shown = signpost_cache_get_record (cache_of (duty), SIGNPOST_RECORD_TRIAGE, first, NULL);
  g_assert_cmpstr (signpost_triage_get_duty_notes (shown), ==, "ECG today");
  wait_settled (duty);
  assert_answer (answers, signpost_outbox_item_get_mutation_id (item), SIGNPOST_RESULT_APPLIED);

  /* Closed with an outcome: the status that outcome means. */
  g_assert_true (signpost_actions_close_request (duty->actions, first, SIGNPOST_OUTCOME_ADVICE_GIVEN,
                                                 "ECG normal; advice given", "Closed the request", &error));
  g_assert_no_error (error);
  g_clear_object (&item);
  item = assert_change (duty, SIGNPOST_RECORD_TRIAGE, SIGNPOST_OP_REVIEW, first, "Closed the request");
  g_clear_object (&shown);
  shown = signpost_cache_get_record (cache_of (duty), SIGNPOST_RECORD_TRIAGE, first, NULL);
  g_assert_cmpint (signpost_triage_get_status (shown), ==,
                   signpost_navigation_status_for_outcome (SIGNPOST_OUTCOME_ADVICE_GIVEN));
  g_assert_cmpstr (signpost_triage_get_reviewed_by (shown), ==, duty_id);
  wait_settled (duty);
  assert_answer (answers, signpost_outbox_item_get_mutation_id (item), SIGNPOST_RESULT_APPLIED);
  g_clear_object (&shown);
  shown = server_state (duty, SIGNPOST_RECORD_TRIAGE, first, 5);
  g_assert_cmpint (signpost_triage_get_outcome (shown), ==, SIGNPOST_OUTCOME_ADVICE_GIVEN);
  g_assert_cmpstr (signpost_triage_get_duty_notes (shown), ==, "ECG normal; advice given");
  g_assert_cmpstr (signpost_triage_get_reviewed_by (shown), ==, duty_id);

  /* Sent back: the instructions in the navigator's notes, open again. */
  g_assert_true (signpost_actions_send_back (duty->actions, second, "From the duty doctor: book a GP this week",
                                             "Not urgent", "Sent the request back", &error));
  g_assert_no_error (error);
  {
    GListModel *changes = signpost_actions_get_changes (duty->actions);
    guint n = g_list_model_get_n_items (changes);

    g_clear_object (&item);
    item = g_list_model_get_item (changes, n - 2);
    g_assert_cmpint (signpost_outbox_item_get_op (item), ==, SIGNPOST_OP_UPDATE);
    g_assert_cmpstr (signpost_outbox_item_get_label (item), ==, "Sent the request back");
  }
  item2 = assert_change (duty, SIGNPOST_RECORD_TRIAGE, SIGNPOST_OP_REVIEW, second,
                         "Sent a request back to the navigators");
  g_clear_object (&shown);
  shown = signpost_cache_get_record (cache_of (duty), SIGNPOST_RECORD_TRIAGE, second, NULL);
  g_assert_cmpstr (signpost_triage_get_navigator_notes (shown), ==, "From the duty doctor: book a GP this week");
  g_assert_cmpint (signpost_triage_get_status (shown), ==, SIGNPOST_TRIAGE_OPEN);
  wait_settled (duty);
  assert_answer (answers, signpost_outbox_item_get_mutation_id (item), SIGNPOST_RESULT_APPLIED);
  assert_answer (answers, signpost_outbox_item_get_mutation_id (item2), SIGNPOST_RESULT_APPLIED);
  g_clear_object (&shown);
  shown = server_state (me, SIGNPOST_RECORD_TRIAGE, second, 3);
  g_assert_cmpint (signpost_triage_get_status (shown), ==, SIGNPOST_TRIAGE_OPEN);
  g_assert_cmpint (signpost_triage_get_outcome (shown), ==, SIGNPOST_OUTCOME_NONE);
  g_assert_cmpstr (signpost_triage_get_navigator_notes (shown), ==, "From the duty doctor: book a GP this week");

  /* A claim lost to the same doctor at another PC is let go; notes
   * written at both PCs are merged, theirs first. */
  go_offline ();
  g_assert_true (signpost_actions_claim_request (duty->actions, third, "Opened the request", &error));
  g_assert_true (signpost_actions_save_duty_notes (duty->actions, third, "Mine: call back after 4", "Notes", &error));
  g_assert_no_error (error);
  g_assert_true (signpost_actions_claim_request (duty2->actions, third, "Opened it there", &error));
  g_assert_true (signpost_actions_save_duty_notes (duty2->actions, third, "Theirs: allergic to penicillin", "Notes",
                                                   &error));
  g_assert_no_error (error);
  wait_settled (duty2);
  go_online ();
  g_assert_true (test_wait_until (has_problem, duty, TIMEOUT_MS));
  wait_settled (duty);
  g_assert_cmpuint (signpost_outbox_get_n_problems (outbox_of (duty)), ==, 2);
  signpost_actions_drop_lost_claims (duty->actions);
  problem = the_problem (duty);
  g_assert_cmpint (signpost_outbox_item_get_state (problem), ==, SIGNPOST_OUTBOX_CONFLICT);
  g_assert_cmpint (signpost_outbox_item_get_op (problem), ==, SIGNPOST_OP_UPDATE);
  g_assert_true (signpost_actions_retry_merging_notes (duty->actions, signpost_outbox_item_get_mutation_id (problem),
                                                       &error));
  g_assert_no_error (error);
  wait_settled (duty);
  g_assert_cmpuint (signpost_outbox_get_n_problems (outbox_of (duty)), ==, 0);
  g_clear_object (&shown);
  shown = server_state (duty2, SIGNPOST_RECORD_TRIAGE, third, 4);
  g_assert_cmpstr (signpost_triage_get_duty_notes (shown), ==,
                   "Theirs: allergic to penicillin\n\nMine: call back after 4");
  /* The claim stayed the other PC's (the same doctor). */
  g_assert_cmpstr (signpost_triage_get_claimed_by (shown), ==, duty_id);

  /* A review of a request closed at the other PC first: a conflict. */
  go_offline ();
  g_assert_true (signpost_actions_review_request (duty->actions, third, SIGNPOST_TRIAGE_REVIEWED,
                                                  SIGNPOST_OUTCOME_NONE, NULL, "Reviewed", &error));
  g_assert_no_error (error);
  g_assert_true (signpost_actions_close_request (duty2->actions, third, SIGNPOST_OUTCOME_ADVICE_GIVEN, NULL,
                                                 "Closed there", &error));
  wait_settled (duty2);
  go_online ();
  g_clear_object (&problem);
  problem = the_problem (duty);
  g_assert_cmpint (signpost_outbox_item_get_state (problem), ==, SIGNPOST_OUTBOX_CONFLICT);
  g_assert_cmpint (signpost_outbox_item_get_op (problem), ==, SIGNPOST_OP_REVIEW);
  g_assert_true (signpost_actions_discard_change (duty->actions, signpost_outbox_item_get_mutation_id (problem), &error));
  g_assert_no_error (error);
  wait_settled (duty);
  g_clear_object (&shown);
  shown = server_state (duty, SIGNPOST_RECORD_TRIAGE, third, 5);
  g_assert_cmpint (signpost_triage_get_outcome (shown), ==, SIGNPOST_OUTCOME_ADVICE_GIVEN);

  answers_free (duty, answers);
}

/* ---- the diary --------------------------------------------------------------------------------- */

static char *already_booked_patient;

static void
on_already_booked (SignpostActions *actions,
                   const char      *patient_id,
                   const char      *appointment_id)
{
  g_free (already_booked_patient);
  already_booked_patient = g_strdup (patient_id);
}

static gboolean
warned (gpointer data)
{
  return already_booked_patient != NULL;
}

static gboolean
holds_appointment (gpointer data)
{
  gpointer *args = data;
  g_autoptr(SignpostAppointment) live = signpost_cache_get_live_appointment (cache_of (args[0]), args[1], NULL);

  return live != NULL && g_strcmp0 (id_of (live), args[2]) == 0;
}

static void
test_diary (void)
{
  g_autoptr(GPtrArray) slots = bookable_slots (me, 40);
  g_autoptr(SignpostPatient) patient = some_patient (me, 11);
  g_autoptr(SignpostPatient) theirs = some_patient (me, 12);
  g_autoptr(SignpostAppointment) appointment = NULL;
  g_autoptr(SignpostSlot) slot = NULL;
  g_autoptr(SignpostOutboxItem) item = NULL;
  g_autoptr(SignpostOutboxItem) problem = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *appointment_id = NULL;
  g_autofree char *elsewhere = NULL;
  g_autofree char *rebooked = NULL;
  g_autofree char *triage_id = saved_request (me, 11, "Knee pain after a fall", FALSE);
  SignpostSlot *first, *taken, *alternative, *same_day;
  Answers *answers = listen_answers (me);

  g_assert_cmpuint (slots->len, >=, 6);
  first = g_ptr_array_index (slots, 0);
  taken = g_ptr_array_index (slots, 1);
  alternative = g_ptr_array_index (slots, 2);
  same_day = NULL;
  for (guint i = 3; i < slots->len - 1 && same_day == NULL; i++)
    {
      SignpostSlot *candidate = g_ptr_array_index (slots, i);
      g_autoptr(GTimeZone) london = g_time_zone_new_identifier ("Europe/London");
      g_autoptr(GDateTime) from = NULL;
      g_autoptr(GDateTime) to = NULL;

      signpost_slot_get_local_day (first, london, &from, &to);
      if (candidate != taken && candidate != alternative &&
          g_date_time_compare (signpost_slot_get_start (candidate), to) < 0)
        same_day = candidate;
    }

  /* Book: the new appointment's id comes back; the slot shows booked and
   * the appointment appears, both pending, then as the server has them. */
  appointment_id = signpost_actions_book_slot (me->actions, id_of (first), id_of (patient), "Knee pain", triage_id,
                                               "Booked the knee", &error);
  g_assert_no_error (error);
  g_assert_nonnull (appointment_id);
  item = assert_change (me, SIGNPOST_RECORD_SLOT, SIGNPOST_OP_BOOK, id_of (first), "Booked the knee");
  {
    g_autoptr(SignpostBooking) booking = signpost_outbox_item_dup_booking (item);

    g_assert_cmpstr (booking->appointment_id, ==, appointment_id);
    g_assert_cmpstr (booking->patient_id, ==, id_of (patient));
    g_assert_cmpstr (booking->reason, ==, "Knee pain");
    g_assert_cmpstr (booking->triage_id, ==, triage_id);
  }
  slot = signpost_cache_get_record (cache_of (me), SIGNPOST_RECORD_SLOT, id_of (first), NULL);
  g_assert_cmpint (signpost_slot_get_status (slot), ==, SIGNPOST_SLOT_BOOKED);
  g_assert_true (signpost_cache_record_is_pending (SIGNPOST_RECORD (slot)));
  appointment = signpost_cache_get_live_appointment (cache_of (me), id_of (first), NULL);
  g_assert_nonnull (appointment);
  g_assert_cmpstr (id_of (appointment), ==, appointment_id);
  g_assert_cmpstr (signpost_appointment_get_patient_id (appointment), ==, id_of (patient));
  g_assert_cmpstr (signpost_appointment_get_booked_by (appointment), ==, signpost_actions_get_user_id (me->actions));
  g_assert_true (signpost_cache_record_is_pending (SIGNPOST_RECORD (appointment)));
  wait_settled (me);
  assert_answer (answers, signpost_outbox_item_get_mutation_id (item), SIGNPOST_RESULT_APPLIED);
  g_clear_object (&appointment);
  appointment = server_state (me, SIGNPOST_RECORD_APPOINTMENT, appointment_id, 1);
  g_assert_cmpint (signpost_appointment_get_status (appointment), ==, SIGNPOST_APPOINTMENT_BOOKED);
  g_assert_cmpstr (signpost_appointment_get_triage_id (appointment), ==, triage_id);
  {
    g_autoptr(SignpostTriage) request = server_state (me, SIGNPOST_RECORD_TRIAGE, triage_id, 2);
    g_assert_cmpint (signpost_triage_get_status (request), ==, SIGNPOST_TRIAGE_BOOKED);
    g_assert_cmpstr (signpost_triage_get_appointment_id (request), ==, appointment_id);
  }

  /* Arrived; "seen" is the clinician's to say. */
  g_assert_true (signpost_actions_set_appointment_status (me->actions, appointment_id, SIGNPOST_APPOINTMENT_ARRIVED,
                                                          "Arrived", &error));
  g_assert_no_error (error);
  g_clear_object (&item);
  item = assert_change (me, SIGNPOST_RECORD_APPOINTMENT, SIGNPOST_OP_UPDATE, appointment_id, "Arrived");
  g_clear_object (&appointment);
  appointment = signpost_cache_get_record (cache_of (me), SIGNPOST_RECORD_APPOINTMENT, appointment_id, NULL);
  g_assert_cmpint (signpost_appointment_get_status (appointment), ==, SIGNPOST_APPOINTMENT_ARRIVED);
  wait_settled (me);
  assert_answer (answers, signpost_outbox_item_get_mutation_id (item), SIGNPOST_RESULT_APPLIED);
  /* "Seen" is the clinician's to say: refused for a navigator. */
  g_assert_true (signpost_actions_set_appointment_status (me->actions, appointment_id, SIGNPOST_APPOINTMENT_SEEN,
                                                          "Seen", &error));
  g_assert_no_error (error);
  g_clear_object (&problem);
  problem = the_problem (me);
  g_assert_cmpint (signpost_outbox_item_get_state (problem), ==, SIGNPOST_OUTBOX_REJECTED);
  g_assert_true (signpost_actions_discard_change (me->actions, signpost_outbox_item_get_mutation_id (problem), &error));
  g_clear_object (&appointment);
  appointment = server_state (duty, SIGNPOST_RECORD_APPOINTMENT, appointment_id, 2);
  g_assert_true (signpost_actions_set_appointment_status (duty->actions, appointment_id, SIGNPOST_APPOINTMENT_SEEN,
                                                          "Seen", &error));
  g_assert_no_error (error);
  wait_settled (duty);
  g_clear_object (&appointment);
  appointment = server_state (me, SIGNPOST_RECORD_APPOINTMENT, appointment_id, 3);
  g_assert_cmpint (signpost_appointment_get_status (appointment), ==, SIGNPOST_APPOINTMENT_SEEN);

  /* Booked offline; someone else booked the slot meanwhile: told, and
   * made again in another slot for the same patient and request. */
  go_offline ();
  g_free (appointment_id);
  appointment_id = signpost_actions_book_slot (me->actions, id_of (taken), id_of (patient), "Knee pain again",
                                               NULL, "Booked offline", &error);
  g_assert_no_error (error);
  elsewhere = signpost_actions_book_slot (other->actions, id_of (taken), id_of (theirs), NULL, NULL,
                                          "Booked elsewhere", &error);
  g_assert_no_error (error);
  wait_settled (other);
  go_online ();
  g_clear_object (&problem);
  problem = the_problem (me);
  g_assert_cmpint (signpost_outbox_item_get_state (problem), ==, SIGNPOST_OUTBOX_CONFLICT);
  g_assert_cmpint (signpost_outbox_item_get_op (problem), ==, SIGNPOST_OP_BOOK);
  {
    gpointer args[] = { me, (gpointer) id_of (taken), elsewhere };
    g_assert_true (test_wait_until (holds_appointment, args, TIMEOUT_MS));
  }
  rebooked = signpost_actions_rebook (me->actions, signpost_outbox_item_get_mutation_id (problem), id_of (alternative),
                                      "Booked the alternative", &error);
  g_assert_no_error (error);
  g_assert_nonnull (rebooked);
  g_assert_cmpstr (rebooked, !=, appointment_id);
  g_clear_object (&item);
  item = assert_change (me, SIGNPOST_RECORD_SLOT, SIGNPOST_OP_BOOK, id_of (alternative), "Booked the alternative");
  {
    g_autoptr(SignpostBooking) booking = signpost_outbox_item_dup_booking (item);
    g_assert_cmpstr (booking->patient_id, ==, id_of (patient));
    g_assert_cmpstr (booking->reason, ==, "Knee pain again");
    g_assert_null (booking->triage_id);
  }
  wait_settled (me);
  g_assert_cmpuint (signpost_outbox_get_n_problems (outbox_of (me)), ==, 0);
  assert_answer (answers, signpost_outbox_item_get_mutation_id (item), SIGNPOST_RESULT_APPLIED);
  g_clear_object (&appointment);
  appointment = server_state (me, SIGNPOST_RECORD_APPOINTMENT, rebooked, 1);
  g_assert_cmpstr (signpost_appointment_get_slot_id (appointment), ==, id_of (alternative));

  /* Cancel: the appointment cancelled, the slot free, then the server's. */
  g_assert_true (signpost_actions_cancel_booking (me->actions, id_of (alternative), "Feels better", "Cancelled",
                                                  &error));
  g_assert_no_error (error);
  g_clear_object (&item);
  item = assert_change (me, SIGNPOST_RECORD_SLOT, SIGNPOST_OP_CANCEL, id_of (alternative), "Cancelled");
  g_clear_object (&slot);
  slot = signpost_cache_get_record (cache_of (me), SIGNPOST_RECORD_SLOT, id_of (alternative), NULL);
  g_assert_cmpint (signpost_slot_get_status (slot), ==, SIGNPOST_SLOT_FREE);
  g_clear_object (&appointment);
  appointment = signpost_cache_get_record (cache_of (me), SIGNPOST_RECORD_APPOINTMENT, rebooked, NULL);
  g_assert_cmpint (signpost_appointment_get_status (appointment), ==, SIGNPOST_APPOINTMENT_CANCELLED);
  g_assert_cmpstr (signpost_appointment_get_cancel_reason (appointment), ==, "Feels better");
  wait_settled (me);
  assert_answer (answers, signpost_outbox_item_get_mutation_id (item), SIGNPOST_RESULT_APPLIED);
  g_clear_object (&appointment);
  appointment = server_state (me, SIGNPOST_RECORD_APPOINTMENT, rebooked, 2);
  g_assert_cmpint (signpost_appointment_get_status (appointment), ==, SIGNPOST_APPOINTMENT_CANCELLED);

  /* Cancelling what someone else cancelled first: a conflict. */
  {
    g_autofree char *again = signpost_actions_book_slot (me->actions, id_of (alternative), id_of (patient), NULL, NULL,
                                                         "Booked", &error);
    g_assert_no_error (error);
    wait_settled (me);
    g_clear_object (&slot);
    slot = server_state (me, SIGNPOST_RECORD_SLOT, id_of (alternative), 1);
    /* The other PC has heard of it too. */
    g_object_unref (server_state (other, SIGNPOST_RECORD_SLOT, id_of (alternative),
                                  signpost_record_get_version (SIGNPOST_RECORD (slot))));
    go_offline ();
    g_assert_true (signpost_actions_cancel_booking (me->actions, id_of (alternative), NULL, "Cancelled here", &error));
    g_assert_true (signpost_actions_cancel_booking (other->actions, id_of (alternative), NULL, "Cancelled there",
                                                    &error));
    g_assert_no_error (error);
    wait_settled (other);
    go_online ();
    g_clear_object (&problem);
    problem = the_problem (me);
    g_assert_cmpint (signpost_outbox_item_get_op (problem), ==, SIGNPOST_OP_CANCEL);
    g_assert_true (signpost_actions_discard_change (me->actions, signpost_outbox_item_get_mutation_id (problem), &error));
    wait_settled (me);
  }

  /* The same patient twice on one day: booked, with a warning. Then
   * they did not come. */
  {
    g_autofree char *second = NULL;
    gulong handler = g_signal_connect (me->actions, "patient-already-booked", G_CALLBACK (on_already_booked), NULL);

    g_clear_pointer (&already_booked_patient, g_free);
    second = signpost_actions_book_slot (me->actions, id_of (same_day ? same_day : g_ptr_array_index (slots, 3)),
                                         id_of (patient), NULL, NULL, "Booked twice", &error);
    g_assert_no_error (error);
    if (same_day != NULL)
      {
        g_assert_true (test_wait_until (warned, NULL, TIMEOUT_MS));
        g_assert_cmpstr (already_booked_patient, ==, id_of (patient));
      }
    g_signal_handler_disconnect (me->actions, handler);
    wait_settled (me);

    g_object_unref (server_state (me, SIGNPOST_RECORD_APPOINTMENT, second, 1));
    g_assert_true (signpost_actions_set_appointment_status (me->actions, second, SIGNPOST_APPOINTMENT_DID_NOT_ATTEND,
                                                            "Did not attend", &error));
    g_assert_no_error (error);
    g_clear_object (&item);
    item = assert_change (me, SIGNPOST_RECORD_APPOINTMENT, SIGNPOST_OP_UPDATE, second, "Did not attend");
    g_clear_object (&appointment);
    appointment = signpost_cache_get_record (cache_of (me), SIGNPOST_RECORD_APPOINTMENT, second, NULL);
    g_assert_cmpint (signpost_appointment_get_status (appointment), ==, SIGNPOST_APPOINTMENT_DID_NOT_ATTEND);
    g_assert_true (signpost_cache_record_is_pending (SIGNPOST_RECORD (appointment)));
    wait_settled (me);
    assert_answer (answers, signpost_outbox_item_get_mutation_id (item), SIGNPOST_RESULT_APPLIED);
    g_clear_object (&appointment);
    appointment = server_state (me, SIGNPOST_RECORD_APPOINTMENT, second, 2);
    g_assert_cmpint (signpost_appointment_get_status (appointment), ==, SIGNPOST_APPOINTMENT_DID_NOT_ATTEND);
  }

  /* Block and unblock: the clinician's (a navigator may not). */
  {
    SignpostSlot *spare = g_ptr_array_index (slots, slots->len - 1);
    Answers *duty_answers = listen_answers (duty);

    g_object_unref (server_state (duty, SIGNPOST_RECORD_SLOT, id_of (spare),
                                  signpost_record_get_version (SIGNPOST_RECORD (spare))));
    g_assert_true (signpost_actions_set_slot_blocked (duty->actions, id_of (spare), TRUE, "Blocked", &error));
    g_assert_no_error (error);
    g_clear_object (&item);
    item = assert_change (duty, SIGNPOST_RECORD_SLOT, SIGNPOST_OP_UPDATE, id_of (spare), "Blocked");
    g_clear_object (&slot);
    slot = signpost_cache_get_record (cache_of (duty), SIGNPOST_RECORD_SLOT, id_of (spare), NULL);
    g_assert_cmpint (signpost_slot_get_status (slot), ==, SIGNPOST_SLOT_BLOCKED);
    wait_settled (duty);
    assert_answer (duty_answers, signpost_outbox_item_get_mutation_id (item), SIGNPOST_RESULT_APPLIED);
    g_assert_true (signpost_actions_set_slot_blocked (duty->actions, id_of (spare), FALSE, "Unblocked", &error));
    wait_settled (duty);
    g_clear_object (&slot);
    slot = server_state (duty, SIGNPOST_RECORD_SLOT, id_of (spare), signpost_record_get_version (SIGNPOST_RECORD (spare)) + 2);
    g_assert_cmpint (signpost_slot_get_status (slot), ==, SIGNPOST_SLOT_FREE);

    /* A new slot in a session. */
    {
      g_autoptr(SignpostSlot) fresh = signpost_slot_new ();
      g_autoptr(GDateTime) start = g_date_time_add_days (signpost_slot_get_start (spare), 1);

      signpost_record_set_practice_id (SIGNPOST_RECORD (fresh), signpost_record_get_practice_id (SIGNPOST_RECORD (spare)));
      signpost_slot_set_clinician_id (fresh, signpost_slot_get_clinician_id (spare));
      signpost_slot_set_start (fresh, start);
      signpost_slot_set_duration_minutes (fresh, 10);
      signpost_slot_set_mode (fresh, SIGNPOST_SLOT_MODE_TELEPHONE);
      signpost_slot_set_hub_bookable (fresh, TRUE);
      signpost_slot_set_status (fresh, SIGNPOST_SLOT_FREE);
      g_assert_true (signpost_actions_add_slot (duty->actions, fresh, "New slot", &error));
      g_assert_no_error (error);
      g_clear_object (&item);
      item = assert_change (duty, SIGNPOST_RECORD_SLOT, SIGNPOST_OP_CREATE, id_of (fresh), "New slot");
      wait_settled (duty);
      assert_answer (duty_answers, signpost_outbox_item_get_mutation_id (item), SIGNPOST_RESULT_APPLIED);
      g_clear_object (&slot);
      slot = server_state (me, SIGNPOST_RECORD_SLOT, id_of (fresh), 1);
      g_assert_cmpint (signpost_slot_get_mode (slot), ==, SIGNPOST_SLOT_MODE_TELEPHONE);
    }
    /* A navigator's block is refused. */
    g_assert_true (signpost_actions_set_slot_blocked (me->actions, id_of (spare), TRUE, "Blocked", &error));
    g_clear_object (&problem);
    problem = the_problem (me);
    g_assert_cmpint (signpost_outbox_item_get_state (problem), ==, SIGNPOST_OUTBOX_REJECTED);
    g_assert_true (signpost_actions_discard_change (me->actions, signpost_outbox_item_get_mutation_id (problem), &error));
    answers_free (duty, duty_answers);
  }

  answers_free (me, answers);
}

/* ---- the audit log ------------------------------------------------------------------------------- */

static gboolean
view_audited (gpointer data)
{
  const char *patient_id = data;
  g_autofree char *token = test_server_login (server, "admin");
  g_autofree char *path = g_strdup_printf ("audit?patient_id=%s", patient_id);
  g_autoptr(JsonNode) reply = test_server_request (server, token, "GET", path, NULL, NULL);
  JsonArray *events;

  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    return FALSE;
  events = json_object_get_array_member (json_node_get_object (reply), "events");
  for (guint i = 0; events != NULL && i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);

      if (g_strcmp0 (json_object_get_string_member (event, "action"), "view") == 0)
        return TRUE;
    }
  return FALSE;
}

static void
test_report_view (void)
{
  g_autoptr(SignpostPatient) patient = some_patient (me, 14);

  /* Offline: kept on this PC, sent when back. */
  go_offline ();
  signpost_actions_report_view (me->actions, id_of (patient), "search");
  g_assert_false (view_audited ((gpointer) id_of (patient)));
  go_online ();
  wait_settled (me);
  wait_settled (duty);
  g_assert_true (test_wait_until (view_audited, (gpointer) id_of (patient), TIMEOUT_MS));
}

/* ---- reads ------------------------------------------------------------------------------------ */

static void
test_reads (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SignpostDayStats) day = NULL;
  g_autoptr(SignpostStaffingStats) staffing = NULL;
  g_autoptr(SignpostQueueSummary) summary = NULL;
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  const char *practice_id = practice_of (me);
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, g_date_time_get_day_of_month (now), g_date_time_get_month (now), g_date_time_get_year (now));

  /* The day's statistics. */
  signpost_actions_get_day_stats_async (manager->actions, practice_id, &today, NULL, store_result, &result);
  g_assert_true (test_wait_until (result_ready, &result, TIMEOUT_MS));
  day = signpost_actions_get_day_stats_finish (manager->actions, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (day);
  g_assert_cmpstr (day->practice_id, ==, practice_id);
  g_assert_cmpuint (signpost_day_stats_get_n_intervals (day), >=, 92);
  g_assert_cmpfloat (day->totals.offered, >=, call_counter);
  g_clear_object (&result);

  /* Staffing, with a handling time and without. */
  signpost_actions_get_staffing_async (manager->actions, practice_id, &today, 0.8, 20, 240, NULL, store_result, &result);
  g_assert_true (test_wait_until (result_ready, &result, TIMEOUT_MS));
  staffing = signpost_actions_get_staffing_finish (manager->actions, result, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (staffing->target, ==, 0.8);
  g_assert_cmpfloat (staffing->within_s, ==, 20);
  g_assert_cmpuint (signpost_staffing_stats_get_n_intervals (staffing), ==, signpost_day_stats_get_n_intervals (day));
  g_assert_cmpfloat (signpost_staffing_stats_get_interval (staffing, 0)->aht_s, ==, 240);
  g_clear_object (&result);
  g_clear_pointer (&staffing, signpost_staffing_stats_unref);
  signpost_actions_get_staffing_async (manager->actions, practice_id, &today, 0.9, 30, NAN, NULL, store_result, &result);
  g_assert_true (test_wait_until (result_ready, &result, TIMEOUT_MS));
  staffing = signpost_actions_get_staffing_finish (manager->actions, result, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (staffing->target, ==, 0.9);
  g_clear_object (&result);

  /* The queue's figures: the calls answered today include this test's. */
  signpost_actions_get_queue_summary_async (me->actions, practice_id, NULL, store_result, &result);
  g_assert_true (test_wait_until (result_ready, &result, TIMEOUT_MS));
  summary = signpost_actions_get_queue_summary_finish (me->actions, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (signpost_queue_summary_get_practice_id (summary), ==, practice_id);
  g_assert_cmpuint (signpost_queue_summary_get_answered_today (summary), >=, 1);
  g_clear_object (&result);

  /* The month's telephony export, as the server wrote it. */
  signpost_actions_export_telephony_async (manager->actions, practice_id, g_date_get_year (&today),
                                           g_date_get_month (&today), NULL, store_result, &result);
  g_assert_true (test_wait_until (result_ready, &result, TIMEOUT_MS));
  csv = signpost_actions_export_telephony_finish (manager->actions, result, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (g_bytes_get_data (csv, NULL), "ods_code,practice_name,date,"));
  g_clear_object (&result);

  /* Not a navigator's to ask: refused, in words for the page. */
  g_clear_pointer (&day, signpost_day_stats_unref);
  signpost_actions_get_day_stats_async (me->actions, practice_id, &today, NULL, store_result, &result);
  g_assert_true (test_wait_until (result_ready, &result, TIMEOUT_MS));
  day = signpost_actions_get_day_stats_finish (me->actions, result, &error);
  g_assert_null (day);
  g_assert_error (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_FORBIDDEN);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = NULL;
  int status;

  /* Caches go under the user data dir: keep this run's apart. */
  data_home = g_dir_make_tmp ("signpost-data-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  g_test_init (&argc, &argv, NULL);

  server = test_server_new ();
  me = session_open ("navigator", TRUE);
  duty = session_open ("duty", TRUE);
  other = session_open ("hubnav", FALSE);
  duty2 = session_open ("duty", FALSE);
  manager = session_open ("manager", FALSE);

  g_test_add_func ("/signpost/actions/session", test_session);
  g_test_add_func ("/signpost/actions/phones", test_phones);
  g_test_add_func ("/signpost/actions/requests", test_requests);
  g_test_add_func ("/signpost/actions/duty", test_duty);
  g_test_add_func ("/signpost/actions/diary", test_diary);
  g_test_add_func ("/signpost/actions/report-view", test_report_view);
  g_test_add_func ("/signpost/actions/reads", test_reads);
  status = g_test_run ();

  session_close (g_steal_pointer (&manager));
  session_close (g_steal_pointer (&duty2));
  session_close (g_steal_pointer (&other));
  session_close (g_steal_pointer (&duty));
  session_close (g_steal_pointer (&me));
  test_server_free (g_steal_pointer (&server));
  g_clear_pointer (&already_booked_patient, g_free);
  return status;
}
