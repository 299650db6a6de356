/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>

#include "console-test-server.h"
#include "signpost-sync.h"

/* The sync engine against a real signpost-server: first sync, incremental
 * changes, reconnecting, the outbox (order, lost answers, conflicts) and a
 * console killed with changes unsent. */

#define SYNC_TIMEOUT_MS 60000

typedef struct {
  TestServer *server;
  SignpostSyncEngine *engine;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->server = test_server_new ();
  f->engine = signpost_sync_engine_new ();
  g_object_set (f->engine, "reconnect-min-ms", 50, "reconnect-max-ms", 400, NULL);
}

static gboolean
pointer_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Requests cancelled by stop() still call back from the main loop, each
 * holding the engine until then: wait for them, then insist it is gone. */
static void
finalize_engine (SignpostSyncEngine *engine)
{
  gpointer weak = engine;

  signpost_sync_engine_stop (engine);
  g_object_add_weak_pointer (G_OBJECT (engine), &weak);
  g_object_unref (engine);
  g_assert_true (test_wait_until (pointer_cleared, &weak, 10000));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  finalize_engine (g_steal_pointer (&f->engine));
  test_server_free (f->server);
}

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
login (SignpostSyncEngine  *engine,
       const char          *url,
       const char          *username,
       const char          *password,
       GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  signpost_sync_engine_login_async (engine, url, username, password, NULL, NULL, store_result, &result);
  g_assert_true (test_wait_until (result_ready, &result, SYNC_TIMEOUT_MS));
  return signpost_sync_engine_login_finish (engine, result, error);
}

static gboolean
is_online_and_idle (gpointer data)
{
  SignpostSyncEngine *engine = data;
  SignpostOutbox *outbox = signpost_sync_engine_get_outbox (engine);

  return signpost_sync_engine_get_state (engine) == SIGNPOST_SYNC_STATE_ONLINE &&
         !signpost_sync_engine_get_first_sync (engine) &&
         (outbox == NULL || signpost_outbox_get_n_waiting (outbox) == 0);
}

static gboolean
is_offline (gpointer data)
{
  return signpost_sync_engine_get_state (data) == SIGNPOST_SYNC_STATE_OFFLINE;
}

static void
login_and_sync (Fixture    *f,
                const char *username)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (login (f->engine, test_server_get_url (f->server), username, "demo-password", &error));
  g_assert_no_error (error);
  signpost_sync_engine_start (f->engine);
  g_assert_true (test_wait_until (is_online_and_idle, f->engine, SYNC_TIMEOUT_MS));
}

/* Some patient of the cache, as the server has it. */
static SignpostPatient *
some_patient (Fixture *f,
              guint    nth)
{
  g_autoptr(GPtrArray) patients = signpost_cache_list_records (signpost_sync_engine_get_cache (f->engine),
                                                               SIGNPOST_RECORD_PATIENT, NULL);
  g_assert_cmpuint (patients->len, >, nth);
  return g_object_ref (g_ptr_array_index (patients, nth));
}

static SignpostPatient *
cached_patient (Fixture    *f,
                const char *id)
{
  return signpost_cache_get_record (signpost_sync_engine_get_cache (f->engine), SIGNPOST_RECORD_PATIENT, id, NULL);
}

static JsonObject *
server_patient (Fixture    *f,
                const char *id)
{
  g_autofree char *token = test_server_login (f->server, "navigator");
  g_autoptr(GHashTable) patients = test_server_fetch_records (f->server, token, "patient");
  JsonObject *patient = g_hash_table_lookup (patients, id);

  return patient ? json_object_ref (patient) : NULL;
}

static void
save_postcode (Fixture    *f,
               const char *id,
               const char *postcode)
{
  g_autoptr(SignpostPatient) patient = cached_patient (f, id);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (patient);
  signpost_patient_set_postcode (patient, postcode);
  g_assert_true (signpost_outbox_save (signpost_sync_engine_get_outbox (f->engine),
                                       SIGNPOST_RECORD (patient), "Changed the postcode", &error));
  g_assert_no_error (error);
}

/* Another console changes a patient directly on the server. */
static void
update_on_server (Fixture    *f,
                  const char *id,
                  gint64      base_version,
                  const char *field,
                  const char *value)
{
  g_autofree char *token = test_server_login (f->server, "navigator");
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *body = g_strdup_printf ("{\"mutations\":[{\"mutation_id\":\"%s\",\"type\":\"patient\","
                                           "\"op\":\"update\",\"id\":\"%s\",\"base_version\":%" G_GINT64_FORMAT ","
                                           "\"data\":{\"%s\":\"%s\"}}]}",
                                           uuid, id, base_version, field, value);
  g_autoptr(JsonNode) reply = NULL;
  JsonObject *result;
  guint status = 0;

  reply = test_server_request (f->server, token, "POST", "mutations", body, &status);
  g_assert_cmpuint (status, ==, 200);
  result = json_array_get_object_element (json_object_get_array_member (json_node_get_object (reply), "results"), 0);
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "applied");
}

typedef struct {
  Fixture *f;
  const char *id;
  const char *postcode;
} PostcodeCheck;

static gboolean
cache_has_postcode (gpointer data)
{
  PostcodeCheck *check = data;
  g_autoptr(SignpostPatient) patient = cached_patient (check->f, check->id);

  return patient != NULL && g_strcmp0 (signpost_patient_get_postcode (patient), check->postcode) == 0;
}

/* ---- tests ------------------------------------------------------------------ */

static void
note_progress (SignpostSyncEngine *engine,
               GParamSpec         *pspec,
               GArray             *values)
{
  double progress = signpost_sync_engine_get_progress (engine);
  g_array_append_val (values, progress);
}

static void
test_first_sync (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GArray) progress = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *token = NULL;
  g_autoptr(GHashTable) patients = NULL;
  g_autoptr(GHashTable) slots = NULL;
  SignpostCache *cache;
  gboolean partial = FALSE;
  gboolean more = FALSE;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (login (f->engine, test_server_get_url (f->server), "navigator", "demo-password", &error));
  g_assert_no_error (error);
  g_assert_true (signpost_sync_engine_get_first_sync (f->engine));
  g_assert_cmpint (signpost_sync_engine_get_role (f->engine), ==, SIGNPOST_ROLE_NAVIGATOR);
  g_assert_cmpuint (g_list_model_get_n_items (signpost_sync_engine_get_practices (f->engine)), ==, 1);
  g_signal_connect (f->engine, "notify::progress", G_CALLBACK (note_progress), progress);

  signpost_sync_engine_start (f->engine);
  g_assert_true (test_wait_until (is_online_and_idle, f->engine, SYNC_TIMEOUT_MS));

  /* Several pages, with progress shown between them. */
  for (guint i = 0; i < progress->len; i++)
    if (g_array_index (progress, double, i) > 0.0 && g_array_index (progress, double, i) < 1.0)
      partial = TRUE;
  g_assert_true (partial);
  g_assert_cmpfloat (signpost_sync_engine_get_progress (f->engine), ==, 1.0);

  /* Everything the server lets a navigator see is here. */
  cache = signpost_sync_engine_get_cache (f->engine);
  token = test_server_login (f->server, "navigator");
  patients = test_server_fetch_records (f->server, token, "patient");
  slots = test_server_fetch_records (f->server, token, "slot");
  g_assert_cmpuint (g_hash_table_size (patients), >, 1000);
  g_assert_cmpuint (signpost_cache_count_records (cache, SIGNPOST_RECORD_PATIENT, NULL), ==, g_hash_table_size (patients));
  g_assert_cmpuint (signpost_cache_count_records (cache, SIGNPOST_RECORD_SLOT, NULL), ==, g_hash_table_size (slots));

  /* And searchable. */
  {
    g_autoptr(SignpostPatient) patient = some_patient (f, 10);
    found = signpost_cache_search_patients (cache, signpost_patient_get_nhs_number (patient), NULL, 10, &more, NULL);
    g_assert_cmpuint (found->len, ==, 1);
  }
}

static gboolean
model_has_items (gpointer data)
{
  return g_list_model_get_n_items (data) > 0;
}

static void
test_incremental (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(SignpostPatient) patient = NULL;
  g_autoptr(SignpostPatientSearchModel) model = NULL;
  PostcodeCheck check;

  login_and_sync (f, "navigator");
  patient = some_patient (f, 3);
  model = signpost_patient_search_model_new (signpost_sync_engine_get_cache (f->engine));
  signpost_patient_search_model_set_query (model, "YO10 5DD");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);

  update_on_server (f, signpost_record_get_id (SIGNPOST_RECORD (patient)),
                    signpost_record_get_version (SIGNPOST_RECORD (patient)), "postcode", "YO10 5DD");
  check = (PostcodeCheck) { f, signpost_record_get_id (SIGNPOST_RECORD (patient)), "YO10 5DD" };
  g_assert_true (test_wait_until (cache_has_postcode, &check, 10000));
  /* The model follows once the change is announced on this thread. */
  g_assert_true (test_wait_until (model_has_items, model, 10000));
}

static void
test_reconnect_after_restart (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(SignpostPatient) patient = NULL;
  g_autoptr(SignpostPatient) other = NULL;
  PostcodeCheck check;

  login_and_sync (f, "navigator");
  patient = some_patient (f, 5);
  other = some_patient (f, 6);

  test_server_stop (f->server);
  g_assert_true (test_wait_until (is_offline, f->engine, 10000));
  g_assert_nonnull (signpost_sync_engine_get_last_error (f->engine));
  g_assert_false (signpost_call_hub_get_available (signpost_sync_engine_get_call_hub (f->engine)));

  /* Working offline meanwhile. */
  save_postcode (f, signpost_record_get_id (SIGNPOST_RECORD (other)), "CF10 3AT");
  g_assert_cmpuint (signpost_outbox_get_n_waiting (signpost_sync_engine_get_outbox (f->engine)), ==, 1);

  test_server_start (f->server);
  g_assert_true (test_wait_until (is_online_and_idle, f->engine, SYNC_TIMEOUT_MS));
  {
    g_autoptr(JsonObject) on_server = server_patient (f, signpost_record_get_id (SIGNPOST_RECORD (other)));
    g_assert_cmpstr (json_object_get_string_member (on_server, "postcode"), ==, "CF10 3AT");
  }

  /* Live again: a change elsewhere arrives. */
  update_on_server (f, signpost_record_get_id (SIGNPOST_RECORD (patient)),
                    signpost_record_get_version (SIGNPOST_RECORD (patient)), "postcode", "BS8 1TH");
  check = (PostcodeCheck) { f, signpost_record_get_id (SIGNPOST_RECORD (patient)), "BS8 1TH" };
  g_assert_true (test_wait_until (cache_has_postcode, &check, 10000));
}

static void
test_resync_after_network_loss (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(SignpostPatient) patient = NULL;
  PostcodeCheck check;

  login_and_sync (f, "navigator");
  patient = some_patient (f, 7);

  /* The network drops; the server carries on and things change there. */
  test_server_set_blocked (f->server, TRUE);
  g_assert_true (test_wait_until (is_offline, f->engine, 10000));
  update_on_server (f, signpost_record_get_id (SIGNPOST_RECORD (patient)),
                    signpost_record_get_version (SIGNPOST_RECORD (patient)), "postcode", "NG7 2RD");
  test_server_set_blocked (f->server, FALSE);
  check = (PostcodeCheck) { f, signpost_record_get_id (SIGNPOST_RECORD (patient)), "NG7 2RD" };
  g_assert_true (test_wait_until (cache_has_postcode, &check, SYNC_TIMEOUT_MS));
}

static void
test_outbox_in_order (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(SignpostPatient) patient = NULL;
  g_autoptr(SignpostPatient) created = NULL;
  g_autoptr(JsonObject) on_server = NULL;
  g_autoptr(GError) error = NULL;
  SignpostOutbox *outbox;
  const char *postcodes[] = { "LS1 1AA", "LS1 2AA", "LS1 3AA", "LS1 4AA", "LS1 5AA" };
  g_autofree char *id = NULL;
  g_autofree char *created_id = NULL;
  gint64 version;

  login_and_sync (f, "navigator");
  outbox = signpost_sync_engine_get_outbox (f->engine);
  patient = some_patient (f, 11);
  id = g_strdup (signpost_record_get_id (SIGNPOST_RECORD (patient)));
  version = signpost_record_get_version (SIGNPOST_RECORD (patient));

  test_server_set_blocked (f->server, TRUE);
  g_assert_true (test_wait_until (is_offline, f->engine, 10000));

  for (guint i = 0; i < G_N_ELEMENTS (postcodes); i++)
    save_postcode (f, id, postcodes[i]);

  /* A temporary patient registered offline, then corrected. */
  created = signpost_object_copy (SIGNPOST_OBJECT (patient));
  signpost_record_set_id (SIGNPOST_RECORD (created), NULL);
  signpost_patient_set_nhs_number (created, NULL);
  signpost_patient_set_given_name (created, "Temporary");
  signpost_patient_set_family_name (created, "Resident");
  signpost_patient_set_temporary (created, TRUE);
  signpost_patient_set_phones (created, NULL);
  g_assert_true (signpost_outbox_save (outbox, SIGNPOST_RECORD (created), "Registered", &error));
  g_assert_no_error (error);
  created_id = g_strdup (signpost_record_get_id (SIGNPOST_RECORD (created)));
  save_postcode (f, created_id, "E17 4PP");
  g_assert_cmpuint (signpost_outbox_get_n_waiting (outbox), ==, G_N_ELEMENTS (postcodes) + 2);

  test_server_set_blocked (f->server, FALSE);
  g_assert_true (test_wait_until (is_online_and_idle, f->engine, SYNC_TIMEOUT_MS));

  /* Each change was based on the one before: sent out of order, the
   * server would have answered "conflict". */
  g_assert_cmpuint (signpost_outbox_get_n_problems (outbox), ==, 0);
  on_server = server_patient (f, id);
  g_assert_cmpstr (json_object_get_string_member (on_server, "postcode"), ==, "LS1 5AA");
  g_assert_cmpint (json_object_get_int_member (on_server, "version"), ==, version + G_N_ELEMENTS (postcodes));
  g_clear_pointer (&on_server, json_object_unref);
  on_server = server_patient (f, created_id);
  g_assert_nonnull (on_server);
  g_assert_cmpstr (json_object_get_string_member (on_server, "postcode"), ==, "E17 4PP");
  g_assert_cmpint (json_object_get_int_member (on_server, "version"), ==, 2);
  {
    g_autoptr(SignpostPatient) cached = cached_patient (f, created_id);
    g_assert_false (signpost_cache_record_is_pending (SIGNPOST_RECORD (cached)));
  }
}

static gboolean
nothing_waiting (gpointer data)
{
  SignpostSyncEngine *engine = data;
  return signpost_outbox_get_n_waiting (signpost_sync_engine_get_outbox (engine)) == 0;
}

static void
test_lost_response (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(SignpostPatient) patient = NULL;
  g_autoptr(JsonObject) on_server = NULL;
  g_autofree char *id = NULL;
  gint64 version;

  login_and_sync (f, "navigator");
  patient = some_patient (f, 12);
  id = g_strdup (signpost_record_get_id (SIGNPOST_RECORD (patient)));
  version = signpost_record_get_version (SIGNPOST_RECORD (patient));

  test_server_drop_next_mutation_response (f->server);
  save_postcode (f, id, "M14 5RT");
  g_assert_true (test_wait_until (nothing_waiting, f->engine, SYNC_TIMEOUT_MS));
  g_assert_true (test_wait_until (is_online_and_idle, f->engine, SYNC_TIMEOUT_MS));

  /* The answer was lost and the mutation sent again with the same id: the
   * server wrote it once. */
  g_assert_cmpuint (test_server_get_n_dropped (f->server), ==, 1);
  g_assert_cmpuint (signpost_outbox_get_n_problems (signpost_sync_engine_get_outbox (f->engine)), ==, 0);
  on_server = server_patient (f, id);
  g_assert_cmpstr (json_object_get_string_member (on_server, "postcode"), ==, "M14 5RT");
  g_assert_cmpint (json_object_get_int_member (on_server, "version"), ==, version + 1);
}

static void
test_conflict (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(SignpostPatient) patient = NULL;
  g_autoptr(SignpostPatient) cached = NULL;
  g_autoptr(JsonObject) on_server = NULL;
  g_autoptr(SignpostOutboxItem) item = NULL;
  g_autoptr(GError) error = NULL;
  SignpostOutbox *outbox;
  g_autofree char *id = NULL;
  gint64 version;

  login_and_sync (f, "navigator");
  outbox = signpost_sync_engine_get_outbox (f->engine);
  patient = some_patient (f, 13);
  id = g_strdup (signpost_record_get_id (SIGNPOST_RECORD (patient)));
  version = signpost_record_get_version (SIGNPOST_RECORD (patient));

  test_server_set_blocked (f->server, TRUE);
  g_assert_true (test_wait_until (is_offline, f->engine, 10000));
  save_postcode (f, id, "YO10 3JB");
  update_on_server (f, id, version, "postcode", "B15 2TT");
  test_server_set_blocked (f->server, FALSE);
  g_assert_true (test_wait_until (is_online_and_idle, f->engine, SYNC_TIMEOUT_MS));

  /* Kept for the user, with the server's record; nothing overwritten. */
  g_assert_cmpuint (signpost_outbox_get_n_problems (outbox), ==, 1);
  item = g_list_model_get_item (G_LIST_MODEL (outbox), 0);
  g_assert_cmpint (signpost_outbox_item_get_state (item), ==, SIGNPOST_OUTBOX_CONFLICT);
  g_assert_cmpstr (signpost_outbox_item_get_label (item), ==, "Changed the postcode");
  g_assert_nonnull (signpost_outbox_item_get_current (item));
  g_assert_cmpstr (signpost_patient_get_postcode (SIGNPOST_PATIENT (signpost_outbox_item_get_current (item))),
                   ==, "B15 2TT");
  cached = cached_patient (f, id);
  g_assert_cmpstr (signpost_patient_get_postcode (cached), ==, "B15 2TT");
  on_server = server_patient (f, id);
  g_assert_cmpstr (json_object_get_string_member (on_server, "postcode"), ==, "B15 2TT");
  g_clear_pointer (&on_server, json_object_unref);

  /* The user keeps their change after all. */
  g_assert_true (signpost_outbox_retry (outbox, signpost_outbox_item_get_mutation_id (item), NULL, &error));
  g_assert_no_error (error);
  g_assert_true (test_wait_until (is_online_and_idle, f->engine, SYNC_TIMEOUT_MS));
  g_assert_cmpuint (signpost_outbox_get_n_problems (outbox), ==, 0);
  on_server = server_patient (f, id);
  g_assert_cmpstr (json_object_get_string_member (on_server, "postcode"), ==, "YO10 3JB");
  g_assert_cmpint (json_object_get_int_member (on_server, "version"), ==, version + 2);
}

/* ---- a console killed with work unsent ---------------------------------------- */

static gboolean
has_verifier (gpointer data)
{
  g_autofree char *verifier = signpost_cache_dup_meta (signpost_sync_engine_get_cache (data), "verifier");
  return verifier != NULL;
}

/* Runs in a child process: sign in, sync, lose the network, change three
 * patients, and die without any chance to clean up. */
static int
child_offline_work (const char *url)
{
  g_autoptr(SignpostSyncEngine) engine = signpost_sync_engine_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) patients = NULL;
  SignpostOutbox *outbox;

  if (!login (engine, url, "navigator", "demo-password", &error))
    g_error ("child: %s", error->message);
  signpost_sync_engine_start (engine);
  g_assert_true (test_wait_until (is_online_and_idle, engine, SYNC_TIMEOUT_MS));
  g_assert_true (test_wait_until (has_verifier, engine, SYNC_TIMEOUT_MS));
  signpost_sync_engine_stop (engine);

  outbox = signpost_sync_engine_get_outbox (engine);
  patients = signpost_cache_list_records (signpost_sync_engine_get_cache (engine), SIGNPOST_RECORD_PATIENT, NULL);
  for (guint i = 0; i < 3; i++)
    {
      SignpostPatient *patient = g_ptr_array_index (patients, 20 + i);
      g_autofree char *postcode = g_strdup_printf ("SW1A %uAA", i + 1);
      signpost_patient_set_postcode (patient, postcode);
      if (!signpost_outbox_save (outbox, SIGNPOST_RECORD (patient), "Changed the postcode", &error))
        g_error ("child: %s", error->message);
      g_print ("%s %s\n", signpost_record_get_id (SIGNPOST_RECORD (patient)), postcode);
    }
  raise (SIGKILL);
  return 1;
}

static void
child_exited (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *) user_data = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
test_offline_work_survives_restart (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) postcodes = g_ptr_array_new_with_free_func (g_free);
  gboolean exited = FALSE;
  SignpostOutbox *outbox;

  /* The parent keeps its main loop running (the proxy lives here). */
  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                            g_test_get_filename (G_TEST_BUILT, "test-sync", NULL),
                            "--child-offline-work", test_server_get_url (f->server), NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (child, NULL, child_exited, &exited);
  g_assert_true (test_wait_until (flag_set, &exited, SYNC_TIMEOUT_MS * 2));
  g_assert_true (g_subprocess_get_if_signaled (child));
  g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, NULL);
      g_auto(GStrv) parts = NULL;
      if (line == NULL)
        break;
      parts = g_strsplit (line, " ", 2);
      g_ptr_array_add (ids, g_strdup (parts[0]));
      g_ptr_array_add (postcodes, g_strdup (parts[1]));
    }
  g_assert_cmpuint (ids->len, ==, 3);

  /* Started again while the server is still out of reach: signing in
   * works from this PC's copy, and the three changes are there. */
  test_server_set_blocked (f->server, TRUE);
  g_assert_true (login (f->engine, test_server_get_url (f->server), "navigator", "demo-password", &error));
  g_assert_no_error (error);
  outbox = signpost_sync_engine_get_outbox (f->engine);
  g_assert_cmpuint (signpost_outbox_get_n_waiting (outbox), ==, 3);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(SignpostPatient) patient = cached_patient (f, g_ptr_array_index (ids, i));
      g_assert_cmpstr (signpost_patient_get_postcode (patient), ==, g_ptr_array_index (postcodes, i));
      g_assert_true (signpost_cache_record_is_pending (SIGNPOST_RECORD (patient)));
    }
  signpost_sync_engine_start (f->engine);
  g_assert_cmpint (signpost_sync_engine_get_state (f->engine), ==, SIGNPOST_SYNC_STATE_OFFLINE);

  /* A wrong password does not open the copy. */
  {
    g_autoptr(SignpostSyncEngine) other = signpost_sync_engine_new ();
    g_autoptr(GError) other_error = NULL;
    g_assert_false (login (other, test_server_get_url (f->server), "navigator", "not-the-password", &other_error));
    g_assert_error (other_error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_UNREACHABLE);
  }

  /* The network returns: everything drains. */
  test_server_set_blocked (f->server, FALSE);
  g_assert_true (test_wait_until (is_online_and_idle, f->engine, SYNC_TIMEOUT_MS));
  g_assert_cmpuint (signpost_outbox_get_n_problems (outbox), ==, 0);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(JsonObject) on_server = server_patient (f, g_ptr_array_index (ids, i));
      g_assert_cmpstr (json_object_get_string_member (on_server, "postcode"), ==, g_ptr_array_index (postcodes, i));
    }
}

/* ---- login and calls ------------------------------------------------------------ */

static void
test_login_errors (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (login (f->engine, test_server_get_url (f->server), "navigator", "wrong", &error));
  g_assert_error (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_CREDENTIALS);
  g_clear_error (&error);

  g_assert_false (login (f->engine, "http://127.0.0.1:1", "navigator", "demo-password", &error));
  g_assert_error (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, "127.0.0.1:1"));
  g_clear_error (&error);

  g_assert_false (login (f->engine, "ftp://nowhere", "navigator", "demo-password", &error));
  g_assert_error (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_BAD_ADDRESS);
  g_clear_error (&error);

  g_assert_false (login (f->engine, test_server_get_url (f->server), "", "demo-password", &error));
  g_assert_error (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_CREDENTIALS);
  g_clear_error (&error);
  g_assert_false (signpost_sync_engine_get_logged_in (f->engine));

  /* A hub navigator works for both demo practices. */
  g_assert_true (login (f->engine, test_server_get_url (f->server), "hubnav", "demo-password", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (signpost_sync_engine_get_practices (f->engine)), ==, 2);
}

static void
post_call_event (Fixture    *f,
                 const char *event,
                 const char *call_ref,
                 const char *cli)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = signpost_timestamp_format (now);
  g_autofree char *body = g_strdup_printf ("{\"event\":\"%s\",\"call_ref\":\"%s\",\"line\":\"+442079460001\","
                                           "\"cli\":\"%s\",\"at\":\"%s\"}", event, call_ref, cli, at);
  g_autofree char *timestamp = g_strdup_printf ("%" G_GINT64_FORMAT, g_date_time_to_unix (now));
  g_autofree char *signed_text = g_strconcat (timestamp, ".", body, NULL);
  g_autofree char *hex = g_compute_hmac_for_string (G_CHECKSUM_SHA256, (const guchar *) "demo-line-secret",
                                                    strlen ("demo-line-secret"), signed_text, -1);
  g_autofree char *signature = g_strconcat ("sha256=", hex, NULL);
  g_autofree char *url = g_strconcat (test_server_get_direct_url (f->server), "/api/v1/telephony/events", NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Signpost-Timestamp", timestamp);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Signpost-Signature", signature);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
}

static void
on_call_offered (SignpostCallHub   *hub,
                 SignpostCallEvent *event,
                 SignpostCallEvent **out)
{
  g_set_object (out, event);
}

static gboolean
event_arrived (gpointer data)
{
  return *(SignpostCallEvent **) data != NULL;
}

static void
test_call_events (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(SignpostCallEvent) offered = NULL;
  g_autoptr(SignpostMutation) answer = NULL;
  g_autoptr(SignpostMutationResult) result = NULL;
  g_autoptr(GAsyncResult) async_result = NULL;
  g_autoptr(GError) error = NULL;
  SignpostCallHub *hub;

  login_and_sync (f, "navigator");
  hub = signpost_sync_engine_get_call_hub (f->engine);
  g_assert_true (signpost_call_hub_get_available (hub));
  g_signal_connect (hub, "call-offered", G_CALLBACK (on_call_offered), &offered);

  post_call_event (f, "call.offered", "test-call-1", "+447700900123");
  g_assert_true (test_wait_until (event_arrived, &offered, 5000));
  g_assert_cmpstr (signpost_call_event_get_cli (offered), ==, "+447700900123");
  g_assert_cmpuint (g_list_model_get_n_items (signpost_call_hub_get_active_calls (hub)), ==, 1);
  g_signal_handlers_disconnect_by_func (hub, on_call_offered, &offered);

  /* Answering is a command sent at once. */
  answer = signpost_mutation_new ();
  signpost_mutation_set_kind (answer, SIGNPOST_RECORD_CALL);
  signpost_mutation_set_op (answer, SIGNPOST_OP_ANSWER);
  signpost_mutation_set_id (answer, signpost_call_event_get_call_id (offered));
  signpost_sync_engine_send_command_async (f->engine, answer, NULL, store_result, &async_result);
  g_assert_true (test_wait_until (result_ready, &async_result, 10000));
  result = signpost_sync_engine_send_command_finish (f->engine, async_result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (signpost_mutation_result_get_status (result), ==, SIGNPOST_RESULT_APPLIED);

  /* Offline, it is refused rather than queued. */
  signpost_sync_engine_stop (f->engine);
  g_clear_object (&async_result);
  g_clear_object (&answer);
  answer = signpost_mutation_new ();
  signpost_mutation_set_kind (answer, SIGNPOST_RECORD_CALL);
  signpost_mutation_set_op (answer, SIGNPOST_OP_END);
  signpost_mutation_set_id (answer, signpost_call_event_get_call_id (offered));
  signpost_sync_engine_send_command_async (f->engine, answer, NULL, store_result, &async_result);
  g_assert_true (test_wait_until (result_ready, &async_result, 10000));
  g_assert_null (signpost_sync_engine_send_command_finish (f->engine, async_result, &error));
  g_assert_error (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_OFFLINE);
}

/* A practice that runs its own certificate authority: refused with a
 * message that says what to do, then trusted once its CA file is chosen. */
static void
test_tls_practice_ca (void)
{
  g_autofree char *dir = g_dir_make_tmp ("signpost-ca-XXXXXX", NULL);
  g_autofree char *script = NULL;
  g_autofree char *ca = g_build_filename (dir, "ca.pem", NULL);
  g_autofree char *cert = g_build_filename (dir, "server.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "server.key", NULL);
  g_autofree char *url = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(SignpostSyncEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  int status = 0;

  if (openssl == NULL)
    {
      g_test_skip ("openssl is needed to make a test certificate authority");
      return;
    }
  script = g_strdup_printf (
    "set -e; cd '%s';"
    "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2"
    " -subj '/CN=Signpost Test Practice CA' 2>/dev/null;"
    "openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj '/CN=127.0.0.1' 2>/dev/null;"
    "printf 'subjectAltName=IP:127.0.0.1\\n' > ext.cnf;"
    "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2"
    " -extfile ext.cnf 2>/dev/null", dir);
  {
    const char *argv[] = { "/bin/sh", "-c", script, NULL };
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                                 &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }

  server = test_server_spawn_tls (cert, key, &url);
  engine = signpost_sync_engine_new ();
  g_assert_false (login (engine, url, "navigator", "demo-password", &error));
  g_assert_error (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_TLS);
  g_assert_nonnull (strstr (error->message, "not trusted"));
  g_clear_error (&error);

  signpost_sync_engine_set_tls_ca_file (engine, ca);
  g_assert_true (login (engine, url, "navigator", "demo-password", &error));
  g_assert_no_error (error);
  signpost_sync_engine_start (engine);
  g_assert_true (test_wait_until (is_online_and_idle, engine, SYNC_TIMEOUT_MS));

  signpost_sync_engine_stop (engine);
  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
}

/* ---- a practice moved away ------------------------------------------------------- */

typedef struct {
  SignpostCache *cache;
  const char *practice_a;
  const char *practice_b;
  guint n_a;
  guint n_b;
} Holding;

static void
count_holding (Holding *holding)
{
  const SignpostRecordKind kinds[] = { SIGNPOST_RECORD_PATIENT, SIGNPOST_RECORD_CLINICIAN, SIGNPOST_RECORD_CALL,
                                       SIGNPOST_RECORD_TRIAGE, SIGNPOST_RECORD_SLOT, SIGNPOST_RECORD_APPOINTMENT };

  holding->n_a = holding->n_b = 0;
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autoptr(GPtrArray) records = signpost_cache_list_records (holding->cache, kinds[k], NULL);

      g_assert_nonnull (records);
      for (guint i = 0; i < records->len; i++)
        {
          const char *practice = signpost_record_get_practice_id (g_ptr_array_index (records, i));

          if (g_strcmp0 (practice, holding->practice_a) == 0)
            holding->n_a++;
          else if (g_strcmp0 (practice, holding->practice_b) == 0)
            holding->n_b++;
        }
    }
}

typedef struct {
  SignpostCache *cache;
  GPtrArray *records;
} Sample;

/* Cheap enough to ask at every turn of the main loop: a sample of the
 * practice's records by id. */
static gboolean
sample_dropped (gpointer data)
{
  Sample *sample = data;

  for (guint i = 0; i < sample->records->len; i++)
    {
      SignpostRecord *record = g_ptr_array_index (sample->records, i);
      g_autoptr(SignpostRecord) cached = signpost_cache_get_record (sample->cache,
                                                                    signpost_record_get_kind (record),
                                                                    signpost_record_get_id (record), NULL);
      if (cached != NULL)
        return FALSE;
    }
  return TRUE;
}

/* A hub navigator's console is open while the hub's administrator exports
 * one practice (it is moving to another hub) and removes it: the console
 * hears of it by itself and its cache drops every record of that practice,
 * and keeps the other practice's as they were. */
static void
test_practice_removed (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) practices = NULL;
  g_autofree char *dir = g_dir_make_tmp ("signpost-move-XXXXXX", NULL);
  g_autofree char *bundle = g_build_filename (dir, "practice.spb", NULL);
  Holding holding = { 0 };
  Sample sample = { 0 };
  guint n_b_before;

  login_and_sync (f, "hubnav");
  holding.cache = signpost_sync_engine_get_cache (f->engine);
  practices = signpost_cache_list_records (holding.cache, SIGNPOST_RECORD_PRACTICE, NULL);
  for (guint i = 0; i < practices->len; i++)
    {
      SignpostPractice *practice = g_ptr_array_index (practices, i);
      const char *ods = signpost_practice_get_ods_code (practice);

      if (g_strcmp0 (ods, "Y99901") == 0)
        holding.practice_a = signpost_record_get_id (SIGNPOST_RECORD (practice));
      else if (g_strcmp0 (ods, "Y99902") == 0)
        holding.practice_b = signpost_record_get_id (SIGNPOST_RECORD (practice));
    }
  g_assert_nonnull (holding.practice_a);
  g_assert_nonnull (holding.practice_b);
  count_holding (&holding);
  g_assert_cmpuint (holding.n_a, >, 100);
  g_assert_cmpuint (holding.n_b, >, 100);
  n_b_before = holding.n_b;
  sample.cache = holding.cache;
  sample.records = g_ptr_array_new_with_free_func (g_object_unref);
  {
    const SignpostRecordKind kinds[] = { SIGNPOST_RECORD_PATIENT, SIGNPOST_RECORD_SLOT, SIGNPOST_RECORD_CLINICIAN };

    for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
      {
        g_autoptr(GPtrArray) records = signpost_cache_list_records (holding.cache, kinds[k], NULL);
        guint taken = 0;

        for (guint i = records->len; i > 0 && taken < 5; i--)
          if (g_strcmp0 (signpost_record_get_practice_id (g_ptr_array_index (records, i - 1)),
                         holding.practice_a) == 0)
            {
              g_ptr_array_add (sample.records, g_object_ref (g_ptr_array_index (records, i - 1)));
              taken++;
            }
      }
  }
  g_assert_cmpuint (sample.records->len, ==, 15);

  {
    const char *export_args[] = { "export-practice", "--practice", "Y99901", "--out", bundle, NULL };
    const char *remove_args[] = { "remove-practice", "--practice", "Y99901", "--bundle", bundle, NULL };

    g_assert_cmpint (test_server_admin_running (f->server, "a passphrase for the move\n", export_args), ==, 0);
    g_assert_cmpint (test_server_admin_running (f->server, "a passphrase for the move\n", remove_args), ==, 0);
  }
  g_assert_true (test_wait_until (sample_dropped, &sample, SYNC_TIMEOUT_MS));
  g_assert_true (test_wait_until (is_online_and_idle, f->engine, SYNC_TIMEOUT_MS));
  /* Every record of the practice has gone, and none of the other's. */
  count_holding (&holding);
  g_assert_cmpuint (holding.n_a, ==, 0);
  g_assert_cmpuint (holding.n_b, ==, n_b_before);
  g_ptr_array_unref (sample.records);

  g_unlink (bundle);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = NULL;

  if (argc == 3 && g_str_equal (argv[1], "--child-offline-work"))
    return child_offline_work (argv[2]);

  /* Caches go under the user data dir: keep this run's apart. The child
   * inherits it, so a restarted console finds the same copy. */
  data_home = g_dir_make_tmp ("signpost-data-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/signpost/sync/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("login-errors", test_login_errors);
  ADD ("first-sync", test_first_sync);
  ADD ("incremental", test_incremental);
  ADD ("reconnect-after-restart", test_reconnect_after_restart);
  ADD ("resync-after-network-loss", test_resync_after_network_loss);
  ADD ("outbox-in-order", test_outbox_in_order);
  ADD ("lost-response-written-once", test_lost_response);
  ADD ("conflict-surfaced", test_conflict);
  ADD ("offline-work-survives-restart", test_offline_work_survives_restart);
  ADD ("call-events", test_call_events);
  ADD ("practice-removed", test_practice_removed);
#undef ADD
  g_test_add_func ("/signpost/sync/tls-practice-ca", test_tls_practice_ca);

  return g_test_run ();
}
