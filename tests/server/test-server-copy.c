/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "server-test-util.h"

/*
 * A practice moving up: signpost-server admin --db PRACTICE.db copy-to
 * into an empty PostgreSQL database. Everything arrives (records with
 * their versions and seqs, tokens, mutation results, webhook
 * de-duplication, the audit log), both sides are counted and digested,
 * and a console that synced from the SQLite server carries on against
 * the PostgreSQL one from its last seq, signed in, without a full resync.
 */

static int
copy_to (TestDatabase  *from,
         TestDatabase  *to,
         char         **out,
         char         **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *target = g_build_filename (test_database_dir (to), "target", NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  /* The URI holds a password: from a file, as DEPLOY.md says. */
  g_assert_true (g_file_set_contents_full (target, test_database_location (to), -1,
                                           G_FILE_SET_CONTENTS_NONE, 0600, &error));
  g_ptr_array_add (argv, g_strdup (g_getenv ("SIGNPOST_SERVER_BIN")));
  g_ptr_array_add (argv, g_strdup ("admin"));
  test_database_add_args (from, argv);
  g_ptr_array_add (argv, g_strdup ("copy-to"));
  g_ptr_array_add (argv, g_strdup ("--to-file"));
  g_ptr_array_add (argv, g_strdup (target));
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_test_message ("copy-to said:\n%s%s", *out, *err);
  return g_subprocess_get_exit_status (process);
}

static char *
patient_batch (const char *mutation_id,
               const char *id,
               const char *practice_id)
{
  return g_strdup_printf ("[{\"mutation_id\":\"%s\",\"type\":\"patient\",\"op\":\"create\","
                          "\"id\":\"%s\",\"data\":{\"practice_id\":\"%s\",\"given_name\":\"Moving\","
                          "\"family_name\":\"Up\",\"date_of_birth\":\"1950-05-05\","
                          "\"sex\":\"female\"}}]",
                          mutation_id, id, practice_id);
}

static JsonArray *
audit_events (TestServer *ts,
              const char *token)
{
  g_autoptr(JsonObject) log = test_get_json (ts, "/api/v1/audit?limit=1000", token);

  return json_array_ref (json_object_get_array_member (log, "events"));
}

static void
test_copy_to (void)
{
  g_autoptr(TestDatabase) practice = test_database_new_of_kind (FALSE);
  g_autoptr(TestDatabase) hub = test_database_new_of_kind (TRUE);
  TestServer *ts = test_server_new_on (practice, TRUE, NULL);
  g_autofree char *practice_a = g_strdup (ts->practice_a);
  g_autofree char *nav = test_login (ts, "nav_a");
  g_autofree char *admin = test_login (ts, "admin");
  g_autofree char *mutation_id = g_uuid_string_random ();
  g_autofree char *patient_id = g_uuid_string_random ();
  g_autofree char *batch = patient_batch (mutation_id, patient_id, practice_a);
  g_autofree char *call_ref = g_uuid_string_random ();
  g_autofree char *event = test_event_json ("call.offered", call_ref, TEST_LINE_A, "+447700900123",
                                            NULL, NULL);
  g_autoptr(JsonArray) applied = NULL;
  g_autoptr(JsonArray) audit_before = NULL;
  g_autoptr(GHashTable) before = NULL;
  g_autofree char *out = NULL, *err = NULL;
  gint64 last_seq = 0;

  /* A little of everything: records, a mutation result, a webhook event,
   * a failed sign-in, the audit log. */
  applied = test_mutate (ts, nav, batch);
  g_assert_cmpstr (test_result_status (json_array_get_object_element (applied, 0)), ==, "applied");
  {
    g_autoptr(TestReply) offered = test_webhook (ts, TEST_SECRET_A, event, 0);
    g_autoptr(TestReply) wrong = test_http (ts, NULL, "POST", "/api/v1/login", NULL,
                                            "{\"username\":\"nav_a\",\"password\":\"not it\"}", -1);

    g_assert_cmpuint (offered->status, ==, 200);
    g_assert_cmpuint (wrong->status, ==, 401);
  }
  before = test_sync (ts, nav, &last_seq);
  audit_before = audit_events (ts, admin);
  test_server_free (ts);

  g_assert_cmpint (copy_to (practice, hub, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "every table is the same on both sides"));
  g_assert_null (strstr (out, "DIFFERENT"));
  if (test_database_password (hub) != NULL)
    {
      g_assert_null (strstr (out, test_database_password (hub)));
      g_assert_null (strstr (err, test_database_password (hub)));
    }

  ts = test_server_new_on (hub, FALSE, NULL);
  {
    /* The console carries on: same token, same last seq, nothing new. */
    g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT, last_seq);
    g_autoptr(JsonObject) page = test_get_json (ts, path, nav);

    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "changes")), ==, 0);
    g_assert_cmpint (json_object_get_int_member (page, "last_seq"), ==, last_seq);
  }
  {
    /* Every record as it was: the same version at the same seq. */
    g_autoptr(GHashTable) after = test_sync (ts, nav, NULL);
    GHashTableIter iter;
    gpointer id;
    JsonObject *change;

    g_assert_cmpuint (g_hash_table_size (after), ==, g_hash_table_size (before));
    g_hash_table_iter_init (&iter, before);
    while (g_hash_table_iter_next (&iter, &id, (gpointer *) &change))
      {
        JsonObject *copied = g_hash_table_lookup (after, id);

        g_assert_nonnull (copied);
        g_assert_cmpint (json_object_get_int_member (copied, "seq"), ==,
                         json_object_get_int_member (change, "seq"));
        g_assert_cmpint (json_object_get_int_member (copied, "version"), ==,
                         json_object_get_int_member (change, "version"));
      }
  }
  {
    /* Retries are answered from the copied results and dedupe keys. */
    g_autoptr(JsonArray) again = test_mutate (ts, nav, batch);
    g_autoptr(TestReply) redelivered = test_webhook (ts, TEST_SECRET_A, event, 0);
    g_autoptr(JsonObject) reply = NULL;

    g_assert_cmpstr (test_result_status (json_array_get_object_element (again, 0)), ==, "duplicate");
    g_assert_cmpuint (redelivered->status, ==, 200);
    reply = test_reply_json (redelivered);
    g_assert_cmpstr (json_object_get_string_member (reply, "status"), ==, "duplicate");
  }
  {
    /* The audit log as it was, and it carries on numbering after it. */
    g_autoptr(JsonArray) audit_after = audit_events (ts, admin);
    g_autofree char *id = g_uuid_string_random ();
    g_autofree char *mid = g_uuid_string_random ();
    g_autofree char *more = patient_batch (mid, id, practice_a);
    g_autoptr(JsonArray) result = NULL;
    g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT, last_seq);
    g_autoptr(JsonObject) page = NULL;
    JsonArray *changes;
    guint n = json_array_get_length (audit_before);

    g_assert_cmpuint (json_array_get_length (audit_after), >=, n);
    for (guint i = 0; i < n; i++)
      {
        JsonObject *a = json_array_get_object_element (audit_before, i);
        JsonObject *b = json_array_get_object_element (audit_after, i);

        g_assert_cmpint (json_object_get_int_member (a, "id"), ==, json_object_get_int_member (b, "id"));
        g_assert_cmpstr (json_object_get_string_member (a, "action"), ==,
                         json_object_get_string_member (b, "action"));
      }
    result = test_mutate (ts, nav, more);
    g_assert_cmpstr (test_result_status (json_array_get_object_element (result, 0)), ==, "applied");
    page = test_get_json (ts, path, nav);
    changes = json_object_get_array_member (page, "changes");
    g_assert_cmpuint (json_array_get_length (changes), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (changes, 0), "id"),
                     ==, id);
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (changes, 0), "seq"),
                     ==, last_seq + 1);
  }
  test_server_free (ts);

  /* Never into a database that holds anything. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (copy_to (practice, hub, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "already holds data"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/server/copy/copy-to", test_copy_to);

  return g_test_run ();
}
