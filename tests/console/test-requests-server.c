/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "console-test-fixtures.h"
#include "console-test-online.h"
#include "console-test-server.h"
#include "signpost-online-hours-text.h"
#include "signpost-online-rules.h"
#include "signpost-sync.h"

/*
 * The typed actions behind the Requests list against a real server: an
 * online request sent through the practice's form arrives in the list, is
 * matched to a patient and its opening is audited; a manager saves the
 * online form's settings.
 */

#define TIMEOUT_MS 60000

typedef struct {
  SignpostSyncEngine *engine;
  SignpostActions *actions;
} Session;

static TestServer *server;

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

static gboolean
settled (gpointer data)
{
  Session *session = data;

  return signpost_sync_engine_get_state (session->engine) == SIGNPOST_SYNC_STATE_ONLINE &&
         !signpost_sync_engine_get_first_sync (session->engine) &&
         signpost_outbox_get_n_waiting (SIGNPOST_OUTBOX (signpost_actions_get_changes (session->actions))) == 0;
}

static Session *
session_open (const char *username)
{
  Session *session = g_new0 (Session, 1);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  session->engine = signpost_sync_engine_new ();
  session->actions = signpost_actions_get_for_engine (session->engine);
  signpost_sync_engine_login_async (session->engine, test_server_get_url (server), username, "demo-password",
                                    NULL, NULL, store_result, &result);
  g_assert_true (test_wait_until (result_ready, &result, TIMEOUT_MS));
  g_assert_true (signpost_sync_engine_login_finish (session->engine, result, &error));
  g_assert_no_error (error);
  signpost_sync_engine_start (session->engine);
  g_assert_true (test_wait_until (settled, session, TIMEOUT_MS));
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
  g_free (session);
}

typedef struct {
  SignpostRequestListModel *model;
  const char *reference;
} Arrival;

static SignpostTriage *
find_reference (GListModel *model,
                const char *reference)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(SignpostTriage) triage = g_list_model_get_item (model, i);

      if (g_strcmp0 (signpost_triage_get_reference (triage), reference) == 0)
        return g_steal_pointer (&triage);
    }
  return NULL;
}

static gboolean
arrived (gpointer data)
{
  Arrival *arrival = data;
  g_autoptr(SignpostTriage) triage = find_reference (G_LIST_MODEL (arrival->model), arrival->reference);

  return triage != NULL;
}

typedef struct {
  SignpostCache *cache;
  const char *id;
  const char *patient_id;
} MatchWait;

static gboolean
matched_on_server (gpointer data)
{
  MatchWait *wait = data;
  g_autoptr(SignpostTriage) triage = signpost_cache_get_record (wait->cache, SIGNPOST_RECORD_TRIAGE, wait->id, NULL);

  return triage != NULL && !signpost_cache_record_is_pending (SIGNPOST_RECORD (triage)) &&
         g_strcmp0 (signpost_triage_get_patient_id (triage), wait->patient_id) == 0;
}

/* The audit log has @user's view of request @triage_id. */
static gboolean
request_view_audited (gpointer data)
{
  const char *triage_id = data;
  g_autofree char *token = test_server_login (server, "admin");
  gint64 since = 0;

  for (;;)
    {
      g_autofree char *path = g_strdup_printf ("audit?since=%" G_GINT64_FORMAT "&limit=1000", since);
      g_autoptr(JsonNode) reply = test_server_request (server, token, "GET", path, NULL, NULL);
      JsonArray *events;
      guint n;

      if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
        return FALSE;
      events = json_object_get_array_member (json_node_get_object (reply), "events");
      n = events ? json_array_get_length (events) : 0;
      for (guint i = 0; i < n; i++)
        {
          JsonObject *event = json_array_get_object_element (events, i);

          if (g_strcmp0 (json_object_get_string_member (event, "action"), "view") == 0 &&
              g_strcmp0 (json_object_get_string_member_with_default (event, "type", NULL), "triage") == 0 &&
              g_strcmp0 (json_object_get_string_member_with_default (event, "record_id", NULL), triage_id) == 0 &&
              g_strcmp0 (json_object_get_string_member_with_default (event, "username", NULL), "navigator") == 0)
            return TRUE;
        }
      if (n < 1000)
        return FALSE;
      since = json_object_get_int_member (json_array_get_object_element (events, n - 1), "id");
    }
}

/* A registered patient of the navigator's practice with an NHS number
 * and a postcode, for a request the server can match. */
static SignpostPatient *
registered_patient (Session *session)
{
  g_autoptr(GPtrArray) all = signpost_cache_list_records (signpost_actions_get_cache (session->actions),
                                                          SIGNPOST_RECORD_PATIENT, NULL);
  const char *practice_id = signpost_user_get_practice_ids (signpost_actions_get_user (session->actions))[0];

  for (guint i = 0; i < all->len; i++)
    {
      SignpostPatient *patient = g_ptr_array_index (all, i);

      if (g_strcmp0 (signpost_record_get_practice_id (SIGNPOST_RECORD (patient)), practice_id) == 0 &&
          signpost_patient_get_nhs_number (patient) != NULL && signpost_patient_get_postcode (patient) != NULL &&
          !signpost_patient_get_temporary (patient) && g_strcmp0 (signpost_patient_get_date_of_birth (patient), "2000") < 0)
        return g_object_ref (patient);
    }
  g_assert_not_reached ();
}

static void
test_server_requests (void)
{
  Session *navigator = session_open ("navigator");
  SignpostCache *cache = signpost_actions_get_cache (navigator->actions);
  g_autoptr(SignpostRequestListModel) model = signpost_request_list_model_new (cache);
  g_autoptr(SignpostPatient) patient = registered_patient (navigator);
  g_autoptr(SignpostTriage) unknown = NULL;
  g_autoptr(SignpostTriage) known = NULL;
  g_autoptr(SignpostTriage) pending = NULL;
  g_autoptr(GPtrArray) hillview = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ref_unknown = NULL;
  g_autofree char *ref_known = NULL;
  TestOnlineRequest request = {
    "Ada", "Testcase", "1980-02-29", "LS1 4AP", NULL,
    "A cough for three weeks, worse at night", "medical", "3 weeks", "Some advice", NULL,
  };
  Arrival arrival = { model, NULL };
  MatchWait wait = { cache, NULL, NULL };

  test_online_open_round_the_clock (server, TEST_ONLINE_ODS);
  ref_unknown = test_online_submit (server, TEST_ONLINE_ODS, &request);
  request.given_name = signpost_patient_get_given_name (patient);
  request.family_name = signpost_patient_get_family_name (patient);
  request.date_of_birth = signpost_patient_get_date_of_birth (patient);
  request.postcode = signpost_patient_get_postcode (patient);
  request.nhs_number = signpost_patient_get_nhs_number (patient);
  request.kind = "repeat_prescription";
  request.reason = "My inhaler prescription has run out";
  ref_known = test_online_submit (server, TEST_ONLINE_ODS, &request);

  /* Both reach the list by the change feed, as they would any console. */
  arrival.reference = ref_unknown;
  g_assert_true (test_wait_until (arrived, &arrival, TIMEOUT_MS));
  arrival.reference = ref_known;
  g_assert_true (test_wait_until (arrived, &arrival, TIMEOUT_MS));
  unknown = find_reference (G_LIST_MODEL (model), ref_unknown);
  known = find_reference (G_LIST_MODEL (model), ref_known);
  g_assert_cmpint (signpost_triage_get_source (unknown), ==, SIGNPOST_REQUEST_SOURCE_ONLINE);
  g_assert_null (signpost_triage_get_patient_id (unknown));
  g_assert_nonnull (signpost_triage_get_patient_details (unknown));
  g_assert_nonnull (signpost_triage_get_respond_by (unknown));
  g_assert_cmpstr (signpost_triage_get_symptom_duration (unknown), ==, "3 weeks");
  g_assert_cmpstr (signpost_triage_get_patient_id (known), ==, signpost_record_get_id (SIGNPOST_RECORD (patient)));
  g_assert_cmpstr (signpost_triage_get_request_type (known), ==, "admin");

  /* Opening one is audited, though it names no patient. */
  signpost_actions_report_request_view (navigator->actions, signpost_record_get_id (SIGNPOST_RECORD (unknown)),
                                        "requests");
  g_assert_true (test_wait_until (request_view_audited, (gpointer) signpost_record_get_id (SIGNPOST_RECORD (unknown)),
                                  TIMEOUT_MS));

  /* A patient of another practice is refused on this PC. */
  hillview = signpost_cache_search_patients (cache, "", NULL, 2000, NULL, NULL);
  for (guint i = 0; i < hillview->len; i++)
    if (g_strcmp0 (signpost_record_get_practice_id (g_ptr_array_index (hillview, i)),
                   signpost_record_get_practice_id (SIGNPOST_RECORD (unknown))) != 0)
      {
        g_assert_false (signpost_actions_match_request (navigator->actions,
                                                        signpost_record_get_id (SIGNPOST_RECORD (unknown)),
                                                        signpost_record_get_id (g_ptr_array_index (hillview, i)),
                                                        "Matched a request", &error));
        g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID);
        g_clear_error (&error);
        break;
      }

  /* Matching is one update of patient_id: shown at once, then the
   * server's. */
  g_assert_true (signpost_actions_match_request (navigator->actions, signpost_record_get_id (SIGNPOST_RECORD (unknown)),
                                                 signpost_record_get_id (SIGNPOST_RECORD (patient)),
                                                 "Matched a request to TESTCASE, Ada", &error));
  g_assert_no_error (error);
  pending = signpost_cache_get_record (cache, SIGNPOST_RECORD_TRIAGE, signpost_record_get_id (SIGNPOST_RECORD (unknown)), NULL);
  g_assert_cmpstr (signpost_triage_get_patient_id (pending), ==, signpost_record_get_id (SIGNPOST_RECORD (patient)));
  wait.id = signpost_record_get_id (SIGNPOST_RECORD (unknown));
  wait.patient_id = signpost_record_get_id (SIGNPOST_RECORD (patient));
  g_assert_true (test_wait_until (matched_on_server, &wait, TIMEOUT_MS));
  /* Matching the same patient again sends nothing. */
  g_assert_true (signpost_actions_match_request (navigator->actions, wait.id, wait.patient_id, "again", &error));
  g_assert_cmpuint (signpost_outbox_get_n_waiting (SIGNPOST_OUTBOX (signpost_actions_get_changes (navigator->actions))),
                    ==, 0);

  session_close (navigator);
}

typedef struct {
  SignpostCache *cache;
  const char *practice_id;
  gint64 limit;
} PracticeWait;

static gboolean
practice_settled (gpointer data)
{
  PracticeWait *wait = data;
  g_autoptr(SignpostPractice) practice = signpost_cache_get_record (wait->cache, SIGNPOST_RECORD_PRACTICE,
                                                                    wait->practice_id, NULL);

  return practice != NULL && !signpost_cache_record_is_pending (SIGNPOST_RECORD (practice)) &&
         signpost_practice_get_online_medical_daily_limit (practice) == wait->limit;
}

static void
test_server_settings (void)
{
  Session *manager = session_open ("manager");
  SignpostCache *cache = signpost_actions_get_cache (manager->actions);
  const char *practice_id = signpost_user_get_practice_ids (signpost_actions_get_user (manager->actions))[0];
  g_autoptr(SignpostPractice) cached = signpost_cache_get_record (cache, SIGNPOST_RECORD_PRACTICE, practice_id, NULL);
  g_autoptr(SignpostPractice) settings = signpost_object_copy (SIGNPOST_OBJECT (cached));
  g_autoptr(GListStore) hours = g_list_store_new (SIGNPOST_TYPE_OPENING_HOURS);
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SignpostPractice) saved = NULL;
  g_autofree char *token = NULL;
  g_autoptr(GHashTable) practices = NULL;
  JsonObject *on_server;
  const char *closed[] = { "2026-12-24", NULL };
  PracticeWait wait = { cache, practice_id, 40 };

  g_assert_true (signpost_online_hours_text_parse ("08:00–18:30", SIGNPOST_WEEKDAY_MONDAY, hours, &error));
  g_assert_true (signpost_online_hours_text_parse ("08:00–12:00", SIGNPOST_WEEKDAY_TUESDAY, hours, &error));
  signpost_practice_set_online_hours (settings, G_LIST_MODEL (hours));
  signpost_practice_set_online_medical_daily_limit (settings, 40);
  signpost_practice_set_online_closed_dates (settings, closed);
  signpost_practice_set_online_pause_message (settings, "Back at 2pm");
  /* Something a manager may not change here is not sent. */
  signpost_practice_set_name (settings, "Another name");

  /* What the manager is warned of: Tuesday to Friday, and the limit. */
  warnings = signpost_online_core_hours_warnings (settings);
  g_assert_cmpuint (warnings->len, ==, 5);

  g_assert_true (signpost_actions_save_online_settings (manager->actions, settings, "Changed the online form’s settings",
                                                        &error));
  g_assert_no_error (error);
  saved = signpost_cache_get_record (cache, SIGNPOST_RECORD_PRACTICE, practice_id, NULL);
  g_assert_cmpint (signpost_practice_get_online_medical_daily_limit (saved), ==, 40);
  g_assert_cmpstr (signpost_practice_get_name (saved), ==, signpost_practice_get_name (cached));
  g_assert_true (test_wait_until (practice_settled, &wait, TIMEOUT_MS));

  token = test_server_login (server, "manager");
  practices = test_server_fetch_records (server, token, "practice");
  on_server = g_hash_table_lookup (practices, practice_id);
  g_assert_nonnull (on_server);
  g_assert_cmpint (json_object_get_int_member (on_server, "online_medical_daily_limit"), ==, 40);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (on_server, "online_hours")), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (on_server, "online_pause_message"), ==, "Back at 2pm");
  g_assert_cmpstr (json_object_get_string_member (on_server, "name"), ==, signpost_practice_get_name (cached));

  session_close (manager);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = NULL;
  int status;

  data_home = g_dir_make_tmp ("signpost-data-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("TZ", "Europe/London", TRUE);
  /* A small demo hub keeps each sign-in quick. */
  g_setenv ("SIGNPOST_TEST_DEMO_SCALE", "0.05", FALSE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/requests/server/match-and-audit", test_server_requests);
  g_test_add_func ("/signpost/requests/server/settings", test_server_settings);

  server = test_server_new ();
  status = g_test_run ();
  test_server_free (server);
  return status;
}
