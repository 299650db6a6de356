/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "server-test-db.h"
#include "signpost-core.h"

/*
 * The real binary, killed with SIGKILL while a batch is on its way:
 * everything it acknowledged must be there after a restart, and sending
 * the unacknowledged batch again must not write anything twice.
 */

#define BATCH 20
#define ROUNDS 4
#define PASSWORD "crash-test-password"

typedef struct {
  GSubprocess *process;
  char *base;
} Server;

static const char *
server_binary (void)
{
  const char *bin = g_getenv ("SIGNPOST_SERVER_BIN");

  if (bin == NULL)
    g_error ("SIGNPOST_SERVER_BIN is not set");
  return bin;
}

static char *
run_admin (TestDatabase *db,
           const char   *stdin_text,
           const char  **args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  g_ptr_array_add (argv, g_strdup (server_binary ()));
  g_ptr_array_add (argv, g_strdup ("admin"));
  test_database_add_args (db, argv);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                               &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, stdin_text, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  return g_strstrip (g_steal_pointer (&out));
}

static Server *
server_start (TestDatabase *db)
{
  Server *server = g_new0 (Server, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (argv, g_strdup (server_binary ()));
  test_database_add_args (db, argv);
  g_ptr_array_add (argv, g_strdup ("--listen"));
  g_ptr_array_add (argv, g_strdup ("127.0.0.1:0"));
  g_ptr_array_add (argv, NULL);
  server->process = g_subprocess_newv ((const char * const *) argv->pdata,
                                       G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "Listening on http://127.0.0.1:"));
  server->base = g_strndup (line + strlen ("Listening on "), strlen (line) - strlen ("Listening on ") - 1);
  return server;
}

static void
server_free (Server *server)
{
  g_clear_object (&server->process);
  g_free (server->base);
  g_free (server);
}

static void
server_kill (Server *server)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (server->process, SIGKILL);
  g_assert_true (g_subprocess_wait (server->process, NULL, &error));
  g_assert_true (g_subprocess_get_if_signaled (server->process));
}

static JsonObject *
request (SoupSession *session,
         Server      *server,
         const char  *method,
         const char  *path,
         const char  *token,
         const char  *body)
{
  g_autofree char *uri = g_strconcat (server->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  if (token != NULL)
    {
      g_autofree char *header = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  if (soup_message_get_status (msg) != 200)
    g_error ("%s %s: %u %.*s", method, path, soup_message_get_status (msg),
             (int) g_bytes_get_size (reply), (const char *) g_bytes_get_data (reply, NULL));
  object = signpost_json_parse_object (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply),
                                       G_MAXSIZE, &error);
  g_assert_no_error (error);
  return object;
}

static char *
login (SoupSession *session,
       Server      *server)
{
  g_autoptr(JsonObject) reply = request (session, server, "POST", "/api/v1/login", NULL,
                                         "{\"username\":\"crash\",\"password\":\"" PASSWORD "\"}");

  return g_strdup (json_object_get_string_member (reply, "token"));
}

/* id → version of every patient the server has */
static GHashTable *
sync_patients (SoupSession *session,
               Server      *server,
               const char  *token)
{
  GHashTable *patients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 since = 0;
  gboolean more = TRUE;

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT "&limit=5000",
                                               since);
      g_autoptr(JsonObject) page = request (session, server, "GET", path, token, NULL);
      JsonArray *changes = json_object_get_array_member (page, "changes");

      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *change = json_array_get_object_element (changes, i);

          if (g_str_equal (json_object_get_string_member (change, "type"), "patient"))
            g_hash_table_insert (patients, g_strdup (json_object_get_string_member (change, "id")),
                                 GSIZE_TO_POINTER (json_object_get_int_member (change, "version")));
        }
      since = json_object_get_int_member (page, "last_seq");
      more = json_object_get_boolean_member (page, "more");
    }
  return patients;
}

typedef struct {
  char *body;
  char *ids[BATCH];
} Batch;

static Batch *
batch_new (const char *practice_id,
           guint       round)
{
  Batch *batch = g_new0 (Batch, 1);
  g_autoptr(GString) body = g_string_new ("{\"mutations\":[");

  for (guint i = 0; i < BATCH; i++)
    {
      g_autofree char *mutation_id = g_uuid_string_random ();

      batch->ids[i] = g_uuid_string_random ();
      g_string_append_printf (body, "%s{\"mutation_id\":\"%s\",\"type\":\"patient\",\"op\":\"create\","
                              "\"id\":\"%s\",\"data\":{\"practice_id\":\"%s\",\"given_name\":\"Crash\","
                              "\"family_name\":\"Round%u\",\"date_of_birth\":\"1999-09-09\","
                              "\"sex\":\"unknown\"}}",
                              i ? "," : "", mutation_id, batch->ids[i], practice_id, round);
    }
  g_string_append (body, "]}");
  batch->body = g_string_free (g_steal_pointer (&body), FALSE);
  return batch;
}

static void
batch_free (Batch *batch)
{
  for (guint i = 0; i < BATCH; i++)
    g_free (batch->ids[i]);
  g_free (batch->body);
  g_free (batch);
}

static void
acknowledge (GHashTable *acknowledged,
             JsonObject *reply)
{
  JsonArray *results = json_object_get_array_member (reply, "results");

  g_assert_cmpuint (json_array_get_length (results), ==, BATCH);
  for (guint i = 0; i < BATCH; i++)
    {
      JsonObject *result = json_array_get_object_element (results, i);
      const char *status = json_object_get_string_member (result, "status");

      g_assert_true (g_str_equal (status, "applied") || g_str_equal (status, "duplicate"));
      g_hash_table_add (acknowledged, g_strdup (json_object_get_string_member (result, "id")));
    }
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  GBytes *bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  /* Usually killed before it is answered; if it was answered, it is not
   * counted as acknowledged anyway: the test's claim is the stronger one. */
  g_clear_pointer (&bytes, g_bytes_unref);
  *(gboolean *) data = TRUE;
}

static void
test_crash (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TestDatabase) db = test_database_new ();
  g_autoptr(GHashTable) acknowledged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autofree char *practice = NULL;
  g_autofree char *user = NULL;
  const char *add_practice[] = { "add-practice", "--ods", "Y99961", "--name", "Crash Test", NULL };
  const char *add_user[] = { "add-user", "--username", "crash", "--display-name", "Crash",
                             "--role", "navigator", "--practice", "Y99961", NULL };
  const char *set_password[] = { "set-password", "crash", NULL };
  g_autofree char *ignored = NULL;
  guint unacked_committed = 0, unacked_applied = 0;

  practice = run_admin (db, NULL, add_practice);
  g_assert_true (signpost_uuid_is_canonical (practice));
  user = run_admin (db, NULL, add_user);
  g_assert_true (signpost_uuid_is_canonical (user));
  ignored = run_admin (db, PASSWORD "\n", set_password);

  for (guint round = 0; round < ROUNDS; round++)
    {
      g_autoptr(SoupSession) session = soup_session_new ();
      Server *server = server_start (db);
      g_autofree char *token = login (session, server);
      Batch *unacked;
      gboolean sent = FALSE;
      g_autoptr(GHashTable) after = NULL;
      g_autoptr(JsonObject) retry = NULL;
      GHashTableIter iter;
      gpointer key;
      guint delay_us;

      /* Everything acknowledged before is here, once. */
      {
        g_autoptr(GHashTable) present = sync_patients (session, server, token);

        g_hash_table_iter_init (&iter, acknowledged);
        while (g_hash_table_iter_next (&iter, &key, NULL))
          {
            g_assert_true (g_hash_table_contains (present, key));
            g_assert_cmpuint (GPOINTER_TO_SIZE (g_hash_table_lookup (present, key)), ==, 1);
          }
      }

      for (guint b = 0; b < 5; b++)
        {
          Batch *batch = batch_new (practice, round);
          g_autoptr(JsonObject) reply = request (session, server, "POST", "/api/v1/mutations", token,
                                                 batch->body);

          acknowledge (acknowledged, reply);
          batch_free (batch);
        }

      /* One more, and the power goes off while it is on its way. */
      unacked = batch_new (practice, round);
      {
        g_autofree char *uri = g_strconcat (server->base, "/api/v1/mutations", NULL);
        g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
        g_autofree char *header = g_strconcat ("Bearer ", token, NULL);
        g_autoptr(GBytes) bytes = g_bytes_new (unacked->body, strlen (unacked->body));
        gint64 until;

        soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
        soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
        soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, sent_cb, &sent);
        delay_us = g_rand_int_range (rand, 0, 20000);
        until = g_get_monotonic_time () + delay_us;
        while (g_get_monotonic_time () < until)
          g_main_context_iteration (NULL, FALSE);
        server_kill (server);
        while (!sent)
          g_main_context_iteration (NULL, TRUE);
      }
      server_free (server);

      /* Back up on the same database. */
      server = server_start (db);
      g_free (token);
      token = login (session, server);
      after = sync_patients (session, server, token);
      g_hash_table_iter_init (&iter, acknowledged);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_assert_true (g_hash_table_contains (after, key));

      /* The client retries what it never heard back about. */
      retry = request (session, server, "POST", "/api/v1/mutations", token, unacked->body);
      {
        JsonArray *results = json_object_get_array_member (retry, "results");

        for (guint i = 0; i < BATCH; i++)
          {
            JsonObject *result = json_array_get_object_element (results, i);
            const char *status = json_object_get_string_member (result, "status");
            gboolean was_there = g_hash_table_contains (after, unacked->ids[i]);

            /* A batch is one transaction: all of it or none survived. */
            g_assert_cmpstr (status, ==, was_there ? "duplicate" : "applied");
            if (was_there)
              unacked_committed++;
            else
              unacked_applied++;
            g_assert_cmpint (json_object_get_int_member (result, "version"), ==, 1);
          }
        acknowledge (acknowledged, retry);
      }
      {
        g_autoptr(GHashTable) final = sync_patients (session, server, token);

        g_assert_cmpuint (g_hash_table_size (final), ==, g_hash_table_size (acknowledged));
        g_hash_table_iter_init (&iter, final);
        while (g_hash_table_iter_next (&iter, &key, NULL))
          g_assert_cmpuint (GPOINTER_TO_SIZE (g_hash_table_lookup (final, key)), ==, 1);
      }
      g_test_message ("round %u: killed after %u us", round, delay_us);
      batch_free (unacked);

      if (round == ROUNDS - 1)
        {
          /* A clean stop exits 0. */
          g_subprocess_send_signal (server->process, SIGTERM);
          g_assert_true (g_subprocess_wait (server->process, NULL, &error));
          g_assert_true (g_subprocess_get_if_exited (server->process));
          g_assert_cmpint (g_subprocess_get_exit_status (server->process), ==, 0);
        }
      else
        server_kill (server);
      server_free (server);
    }
  g_test_message ("unacknowledged batches: %u mutations had committed, %u had not",
                  unacked_committed, unacked_applied);
  g_assert_cmpuint (g_hash_table_size (acknowledged), ==, ROUNDS * 6 * BATCH);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/server/crash/sigkill", test_crash);

  return g_test_run ();
}
