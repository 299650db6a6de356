/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "console-test-server.h"
#include "signpost-sync.h"

/*
 * The sync engine rides through a server that dies (SIGKILL, as when its
 * machine is lost) and comes back:
 *
 *  - it says it is reconnecting, comes back by itself, and resumes the
 *    change feed from its last seq: only what changed meanwhile is pulled,
 *    never the whole copy again;
 *  - changes saved while the server was dead, and a batch that was on its
 *    way when it died, are each applied once;
 *  - killed again and again at random moments while changes flow, every
 *    change saved is on the server once and the copy equals the server's
 *    record by record.
 */

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
  /* A quick test, the same shape of backoff as a console's. */
  g_object_set (f->engine, "reconnect-min-ms", 100, "reconnect-max-ms", 1000, NULL);
}

static gboolean
pointer_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gpointer weak = f->engine;

  signpost_sync_engine_stop (f->engine);
  g_object_add_weak_pointer (G_OBJECT (f->engine), &weak);
  g_clear_object (&f->engine);
  g_assert_true (test_wait_until (pointer_cleared, &weak, 10000));
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
is_online_and_idle (gpointer data)
{
  SignpostSyncEngine *engine = data;
  SignpostOutbox *outbox = signpost_sync_engine_get_outbox (engine);

  return signpost_sync_engine_get_state (engine) == SIGNPOST_SYNC_STATE_ONLINE &&
         !signpost_sync_engine_get_first_sync (engine) &&
         (outbox == NULL || signpost_outbox_get_n_waiting (outbox) == 0);
}

static gboolean
is_not_live (gpointer data)
{
  SignpostSyncState state = signpost_sync_engine_get_state (data);

  return state == SIGNPOST_SYNC_STATE_OFFLINE || state == SIGNPOST_SYNC_STATE_CONNECTING;
}

static void
login_and_sync (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  signpost_sync_engine_login_async (f->engine, test_server_get_url (f->server), "navigator",
                                    "demo-password", NULL, NULL, store_result, &result);
  g_assert_true (test_wait_until (result_ready, &result, SYNC_TIMEOUT_MS));
  g_assert_true (signpost_sync_engine_login_finish (f->engine, result, &error));
  g_assert_no_error (error);
  signpost_sync_engine_start (f->engine);
  g_assert_true (test_wait_until (is_online_and_idle, f->engine, SYNC_TIMEOUT_MS));
}

static SignpostPatient *
cached_patient (Fixture    *f,
                const char *id)
{
  return signpost_cache_get_record (signpost_sync_engine_get_cache (f->engine), SIGNPOST_RECORD_PATIENT, id, NULL);
}

static GPtrArray *
some_patient_ids (Fixture *f,
                  guint    first,
                  guint    n)
{
  g_autoptr(GPtrArray) patients = signpost_cache_list_records (signpost_sync_engine_get_cache (f->engine),
                                                               SIGNPOST_RECORD_PATIENT, NULL);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  g_assert_cmpuint (patients->len, >=, first + n);
  for (guint i = first; i < first + n; i++)
    g_ptr_array_add (ids, g_strdup (signpost_record_get_id (g_ptr_array_index (patients, i))));
  return ids;
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

/* Another console changes a patient straight on the server. */
static void
update_on_server (Fixture    *f,
                  const char *id,
                  const char *postcode)
{
  g_autofree char *token = test_server_login (f->server, "navigator");
  g_autoptr(GHashTable) patients = test_server_fetch_records (f->server, token, "patient");
  JsonObject *patient = g_hash_table_lookup (patients, id);
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) reply = NULL;
  guint status = 0;

  g_assert_nonnull (patient);
  body = g_strdup_printf ("{\"mutations\":[{\"mutation_id\":\"%s\",\"type\":\"patient\",\"op\":\"update\","
                          "\"id\":\"%s\",\"base_version\":%" G_GINT64_FORMAT ",\"data\":{\"postcode\":\"%s\"}}]}",
                          uuid, id, json_object_get_int_member (patient, "version"), postcode);
  reply = test_server_request (f->server, token, "POST", "mutations", body, &status);
  g_assert_cmpuint (status, ==, 200);
}

/* Every record of @kind the navigator may see: the server's copy against
 * this console's, record by record (version and every field). */
static void
assert_cache_equals_server (Fixture            *f,
                            SignpostRecordKind  kind,
                            const char         *kind_name)
{
  g_autofree char *token = test_server_login (f->server, "navigator");
  g_autoptr(GHashTable) on_server = test_server_fetch_records (f->server, token, kind_name);
  g_autoptr(GPtrArray) cached = signpost_cache_list_records (signpost_sync_engine_get_cache (f->engine), kind, NULL);
  guint differ = 0;

  g_assert_cmpuint (cached->len, ==, g_hash_table_size (on_server));
  for (guint i = 0; i < cached->len; i++)
    {
      SignpostRecord *record = g_ptr_array_index (cached, i);
      JsonObject *server_json = g_hash_table_lookup (on_server, signpost_record_get_id (record));
      g_autoptr(SignpostObject) server_record = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_nonnull (server_json);
      server_record = signpost_object_new_from_json (G_OBJECT_TYPE (record), server_json,
                                                     SIGNPOST_DECODE_FULL, &error);
      g_assert_no_error (error);
      if (!signpost_object_equal (SIGNPOST_OBJECT (record), server_record))
        {
          if (differ++ < 3)
            {
              g_autofree char *mine = signpost_object_to_string (SIGNPOST_OBJECT (record), NULL);
              g_autofree char *theirs = signpost_object_to_string (server_record, NULL);
              g_test_message ("this console: %s\nthe server:   %s", mine, theirs);
            }
        }
    }
  g_assert_cmpuint (differ, ==, 0);
}

/* ---- tests ------------------------------------------------------------------ */

typedef struct {
  guint max_n_synced;
} SyncedWatch;

static void
note_n_synced (SignpostSyncEngine *engine,
               GParamSpec         *pspec,
               SyncedWatch        *watch)
{
  watch->max_n_synced = MAX (watch->max_n_synced, signpost_sync_engine_get_n_synced (engine));
}

static void
test_resume_from_last_seq (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = NULL;
  SignpostCache *cache;
  SyncedWatch watch = { 0 };
  gint64 last_seq;
  guint total;
  gulong handler;

  login_and_sync (f);
  cache = signpost_sync_engine_get_cache (f->engine);
  total = signpost_cache_count_records (cache, SIGNPOST_RECORD_PATIENT, NULL);
  g_assert_cmpuint (total, >, 1000);
  last_seq = signpost_cache_get_last_seq (cache);
  ids = some_patient_ids (f, 30, 3);

  g_assert_false (signpost_sync_engine_get_reconnecting (f->engine));
  test_server_kill (f->server);
  g_assert_true (test_wait_until (is_not_live, f->engine, 10000));
  /* A wait, not a fault: reconnecting, with the reason for whoever asks. */
  g_assert_true (signpost_sync_engine_get_reconnecting (f->engine));
  g_assert_nonnull (signpost_sync_engine_get_last_error (f->engine));

  /* Back, and three records change before this console is on again. */
  test_server_start (f->server);
  for (guint i = 0; i < ids->len; i++)
    update_on_server (f, g_ptr_array_index (ids, i), "LS6 2AB");
  handler = g_signal_connect (f->engine, "notify::n-synced", G_CALLBACK (note_n_synced), &watch);
  g_assert_true (test_wait_until (is_online_and_idle, f->engine, SYNC_TIMEOUT_MS));
  g_signal_handler_disconnect (f->engine, handler);

  g_assert_false (signpost_sync_engine_get_reconnecting (f->engine));

  /* From where it was: the three changes, not the whole copy again. */
  g_assert_cmpint (signpost_cache_get_last_seq (cache), >, last_seq);
  g_assert_cmpuint (watch.max_n_synced, >=, 1);
  g_assert_cmpuint (watch.max_n_synced, <=, ids->len);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(SignpostPatient) patient = cached_patient (f, g_ptr_array_index (ids, i));
      g_assert_cmpstr (signpost_patient_get_postcode (patient), ==, "LS6 2AB");
    }
  g_assert_cmpuint (signpost_cache_count_records (cache, SIGNPOST_RECORD_PATIENT, NULL), ==, total);
}

static void
test_outbox_through_kill (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GHashTable) versions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *token = NULL;
  g_autoptr(GHashTable) on_server = NULL;
  SignpostOutbox *outbox;

  login_and_sync (f);
  outbox = signpost_sync_engine_get_outbox (f->engine);
  ids = some_patient_ids (f, 40, 40);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(SignpostPatient) patient = cached_patient (f, g_ptr_array_index (ids, i));
      g_hash_table_insert (versions, g_strdup (g_ptr_array_index (ids, i)),
                           GINT_TO_POINTER (signpost_record_get_version (SIGNPOST_RECORD (patient))));
    }

  /* Half saved while it is up (their batch goes at once), and the server
   * dies under it; half saved while it is dead. */
  for (guint i = 0; i < 20; i++)
    save_postcode (f, g_ptr_array_index (ids, i), "HX1 1AA");
  test_server_kill (f->server);
  for (guint i = 20; i < ids->len; i++)
    save_postcode (f, g_ptr_array_index (ids, i), "HX1 1AA");
  g_assert_cmpuint (signpost_outbox_get_n_waiting (outbox), >=, 20);
  test_server_start (f->server);
  g_assert_true (test_wait_until (is_online_and_idle, f->engine, SYNC_TIMEOUT_MS));

  /* Each change once: one version more, no conflict, nothing refused. */
  g_assert_cmpuint (signpost_outbox_get_n_problems (outbox), ==, 0);
  token = test_server_login (f->server, "navigator");
  on_server = test_server_fetch_records (f->server, token, "patient");
  for (guint i = 0; i < ids->len; i++)
    {
      JsonObject *patient = g_hash_table_lookup (on_server, g_ptr_array_index (ids, i));
      gint64 before = GPOINTER_TO_INT (g_hash_table_lookup (versions, g_ptr_array_index (ids, i)));

      g_assert_cmpstr (json_object_get_string_member (patient, "postcode"), ==, "HX1 1AA");
      g_assert_cmpint (json_object_get_int_member (patient, "version"), ==, before + 1);
    }
  assert_cache_equals_server (f, SIGNPOST_RECORD_PATIENT, "patient");
}

typedef struct {
  Fixture *f;
  GPtrArray *ids;
  guint next;
  guint saved;
  guint source;
} Typist;

/* A navigator at work: a change every 40 ms, online or not. */
static gboolean
type_one (gpointer data)
{
  Typist *typist = data;
  g_autofree char *postcode = g_strdup_printf ("BD%u 1AA", 1 + typist->next / typist->ids->len);

  save_postcode (typist->f, g_ptr_array_index (typist->ids, typist->next % typist->ids->len), postcode);
  typist->next++;
  typist->saved++;
  return G_SOURCE_CONTINUE;
}

static gboolean
set_flag (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_flag, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_killed_again_and_again (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (16);
  g_autofree char *token = NULL;
  g_autoptr(GHashTable) on_server = NULL;
  g_autoptr(GHashTable) versions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Typist typist = { f, NULL, 0, 0, 0 };

  login_and_sync (f);
  ids = some_patient_ids (f, 100, 25);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(SignpostPatient) patient = cached_patient (f, g_ptr_array_index (ids, i));
      g_hash_table_insert (versions, g_strdup (g_ptr_array_index (ids, i)),
                           GINT_TO_POINTER (signpost_record_get_version (SIGNPOST_RECORD (patient))));
    }
  typist.ids = ids;
  typist.source = g_timeout_add (40, type_one, &typist);

  for (guint round = 0; round < 5; round++)
    {
      run_for (g_rand_int_range (rand, 200, 1200));
      test_server_kill (f->server);
      run_for (g_rand_int_range (rand, 100, 800));
      test_server_start (f->server);
      /* Live again before the next kill, as a console would be. */
      g_assert_true (test_wait_until (is_online_and_idle, f->engine, SYNC_TIMEOUT_MS));
    }
  g_source_remove (typist.source);
  g_assert_true (test_wait_until (is_online_and_idle, f->engine, SYNC_TIMEOUT_MS));
  g_assert_cmpuint (typist.saved, >, 25);

  /* Every change saved was applied once, in order: each patient is at its
   * last postcode, one version up for each change made to it. */
  g_assert_cmpuint (signpost_outbox_get_n_problems (signpost_sync_engine_get_outbox (f->engine)), ==, 0);
  token = test_server_login (f->server, "navigator");
  on_server = test_server_fetch_records (f->server, token, "patient");
  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      JsonObject *patient = g_hash_table_lookup (on_server, id);
      guint changes = typist.saved / ids->len + (i < typist.saved % ids->len ? 1 : 0);
      guint last = i + (changes - 1) * ids->len;
      g_autofree char *postcode = g_strdup_printf ("BD%u 1AA", 1 + last / ids->len);
      gint64 before = GPOINTER_TO_INT (g_hash_table_lookup (versions, id));

      g_assert_cmpuint (changes, >, 0);
      g_assert_cmpstr (json_object_get_string_member (patient, "postcode"), ==, postcode);
      g_assert_cmpint (json_object_get_int_member (patient, "version"), ==, before + changes);
    }
  assert_cache_equals_server (f, SIGNPOST_RECORD_PATIENT, "patient");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = NULL;

  /* Caches go under the user data dir: keep this run's apart. */
  data_home = g_dir_make_tmp ("signpost-data-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/signpost/sync-failover/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("resume-from-last-seq", test_resume_from_last_seq);
  ADD ("outbox-through-kill", test_outbox_through_kill);
  ADD ("killed-again-and-again", test_killed_again_and_again);
#undef ADD

  return g_test_run ();
}
