/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>

#include "server-test-util.h"
#include "signpost-database.h"

/*
 * The database under the server, on whichever store the suite runs: two
 * processes writing at once while a reader follows the change feed, the
 * schema's versions, and how the server is told where its database is
 * (--db, --db-file, SIGNPOST_DB) without a password ever showing.
 */

#define WRITE_BATCHES 12
#define BATCH_SIZE 20

typedef struct {
  TestServer *ts;
  const char *token;
  char *practice_id;
  guint batches_sent;
  guint pending;
  TestReply *reply;
  GHashTable *acknowledged;     /* ids written and answered */
  GPtrArray *ids;               /* of the batch in flight */
} Writer;

typedef struct {
  TestServer *ts;
  const char *token;
  gint64 since;
  guint pending;
  TestReply *reply;
  GHashTable *seen;             /* id → the seq it was seen at */
  guint pulls;
} Reader;

static void
writer_send (Writer *writer)
{
  g_autoptr(GString) body = g_string_new ("{\"mutations\":[");

  g_ptr_array_set_size (writer->ids, 0);
  for (guint i = 0; i < BATCH_SIZE; i++)
    {
      g_autofree char *mutation_id = g_uuid_string_random ();
      char *id = g_uuid_string_random ();

      g_ptr_array_add (writer->ids, id);
      g_string_append_printf (body, "%s{\"mutation_id\":\"%s\",\"type\":\"patient\","
                              "\"op\":\"create\",\"id\":\"%s\",\"data\":{\"practice_id\":\"%s\","
                              "\"given_name\":\"Feed\",\"family_name\":\"Writer\","
                              "\"date_of_birth\":\"1970-01-01\",\"sex\":\"unknown\"}}",
                              i ? "," : "", mutation_id, id, writer->practice_id);
    }
  g_string_append (body, "]}");
  test_http_start (writer->ts, NULL, "POST", "/api/v1/mutations", writer->token, body->str,
                   &writer->reply, &writer->pending);
  writer->batches_sent++;
}

/* Counts the answered batch in, and sends the next; FALSE when done. */
static gboolean
writer_step (Writer *writer)
{
  g_autoptr(JsonObject) object = NULL;
  JsonArray *results;

  if (writer->pending > 0)
    return TRUE;
  if (writer->reply != NULL)
    {
      if (writer->reply->status != 200)
        g_error ("mutations: %u %s", writer->reply->status, writer->reply->body);
      object = test_reply_json (writer->reply);
      results = json_object_get_array_member (object, "results");
      g_assert_cmpuint (json_array_get_length (results), ==, BATCH_SIZE);
      for (guint i = 0; i < BATCH_SIZE; i++)
        {
          JsonObject *result = json_array_get_object_element (results, i);

          g_assert_cmpstr (test_result_status (result), ==, "applied");
          g_hash_table_add (writer->acknowledged, g_strdup (g_ptr_array_index (writer->ids, i)));
        }
      g_clear_pointer (&writer->reply, test_reply_free);
    }
  if (writer->batches_sent == WRITE_BATCHES)
    return FALSE;
  writer_send (writer);
  return TRUE;
}

static void
reader_pull (Reader *reader)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT "&limit=5000",
                                           reader->since);

  test_http_start (reader->ts, NULL, "GET", path, reader->token, NULL, &reader->reply,
                   &reader->pending);
}

/* Takes in an answered page, as a console does: from its last seq on.
 * Returns whether the server said there is more. */
static gboolean
reader_take (Reader *reader)
{
  g_autoptr(JsonObject) page = NULL;
  JsonArray *changes;
  gint64 last_seq;

  if (reader->reply->status != 200)
    g_error ("changes: %u %s", reader->reply->status, reader->reply->body);
  page = test_reply_json (reader->reply);
  changes = json_object_get_array_member (page, "changes");
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);
      gint64 seq = json_object_get_int_member (change, "seq");

      g_assert_cmpint (seq, >, reader->since);
      g_hash_table_replace (reader->seen, g_strdup (json_object_get_string_member (change, "id")),
                            GINT_TO_POINTER ((int) seq));
    }
  last_seq = json_object_get_int_member (page, "last_seq");
  g_assert_cmpint (last_seq, >=, reader->since);
  reader->since = last_seq;
  reader->pulls++;
  g_clear_pointer (&reader->reply, test_reply_free);
  return json_object_get_boolean_member (page, "more");
}

/*
 * Two processes write batches at once, each in a transaction of its own
 * (this test program's server and a second signpost-server on the same
 * database), while a reader follows /changes from its last seq the whole
 * time. If a later seq could become visible before an earlier one, the
 * reader would move past the earlier one and never see it.
 */
static void
test_feed_with_concurrent_writers (void)
{
  TestServer *ts = test_server_new (NULL);
  TestServer *other = test_server_new_instance (ts);
  g_autofree char *token_here = test_login (ts, "hub");
  g_autofree char *token_there = test_login (other, "hub");
  g_autoptr(GHashTable) acknowledged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Writer writers[2] = {
    { .ts = ts, .token = token_here, .practice_id = ts->practice_a },
    { .ts = other, .token = token_there, .practice_id = ts->practice_b },
  };
  Reader reader = {
    .ts = ts, .token = token_here,
    .seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
  };
  gboolean writing = TRUE;
  GHashTableIter iter;
  gpointer key;
  guint missing = 0;

  for (guint w = 0; w < G_N_ELEMENTS (writers); w++)
    {
      writers[w].acknowledged = acknowledged;
      writers[w].ids = g_ptr_array_new_with_free_func (g_free);
    }

  reader_pull (&reader);
  while (writing)
    {
      g_main_context_iteration (NULL, TRUE);
      writing = FALSE;
      for (guint w = 0; w < G_N_ELEMENTS (writers); w++)
        writing |= writer_step (&writers[w]);
      if (reader.pending == 0)
        {
          reader_take (&reader);
          reader_pull (&reader);
        }
    }
  /* The writers are done: the reader catches up as a console would. */
  while (reader.pending > 0)
    g_main_context_iteration (NULL, TRUE);
  while (reader_take (&reader))
    {
      reader_pull (&reader);
      while (reader.pending > 0)
        g_main_context_iteration (NULL, TRUE);
    }

  g_assert_cmpuint (g_hash_table_size (acknowledged), ==, 2 * WRITE_BATCHES * BATCH_SIZE);
  g_hash_table_iter_init (&iter, acknowledged);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (reader.seen, key))
      missing++;
  g_test_message ("%u pulls while %u records were written; %u never reached the reader",
                  reader.pulls, g_hash_table_size (acknowledged), missing);
  g_assert_cmpuint (missing, ==, 0);

  for (guint w = 0; w < G_N_ELEMENTS (writers); w++)
    g_ptr_array_unref (writers[w].ids);
  g_hash_table_unref (reader.seen);
  test_server_free (other);
  test_server_free (ts);
}

/* ---- schema versions --------------------------------------------------- */

static void
test_schema_newer_refused (void)
{
  g_autoptr(TestDatabase) db = test_database_new ();
  g_autoptr(SignpostStore) store = NULL;
  g_autoptr(GError) error = NULL;

  /* Made, then opened again: the steps are not run twice. */
  store = signpost_database_open (test_database_location (db), &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  store = signpost_database_open (test_database_location (db), &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  /* A database from a newer server is left alone. */
  if (test_database_is_postgresql ())
    g_assert_true (test_database_exec (db, "INSERT INTO schema_version (version) VALUES (9999)",
                                       &error));
  else
    g_assert_true (test_database_exec (db, "PRAGMA user_version = 9999", &error));
  g_assert_no_error (error);
  store = signpost_database_open (test_database_location (db), &error);
  g_assert_null (store);
  g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_STORAGE);
  g_assert_nonnull (strstr (error->message, "9999"));
}

/* ---- naming the database ----------------------------------------------- */

static void
test_resolve (void)
{
  g_autoptr(TestDatabase) db = test_database_new ();
  g_autofree char *file = g_build_filename (test_database_dir (db), "uri", NULL);
  g_autofree char *empty = g_build_filename (test_database_dir (db), "empty", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *from_option = NULL;
  g_autofree char *from_file = NULL;
  g_autofree char *from_env = NULL;
  g_autofree char *fallback = NULL;
  char *both;

  g_assert_true (g_file_set_contents_full (file, "postgresql://u:pw@db.example/signpost\n# note\n",
                                           -1, G_FILE_SET_CONTENTS_NONE, 0600, &error));
  g_assert_true (g_file_set_contents (empty, "\n", -1, &error));

  g_setenv (SIGNPOST_DATABASE_ENV, "postgres://from-env/signpost", TRUE);
  from_option = signpost_database_resolve ("/srv/practice.db", NULL, "default.db", &error);
  g_assert_cmpstr (from_option, ==, "/srv/practice.db");
  from_file = signpost_database_resolve (NULL, file, "default.db", &error);
  g_assert_cmpstr (from_file, ==, "postgresql://u:pw@db.example/signpost");
  from_env = signpost_database_resolve (NULL, NULL, "default.db", &error);
  g_assert_cmpstr (from_env, ==, "postgres://from-env/signpost");
  g_unsetenv (SIGNPOST_DATABASE_ENV);
  fallback = signpost_database_resolve (NULL, NULL, "default.db", &error);
  g_assert_cmpstr (fallback, ==, "default.db");
  g_assert_no_error (error);

  both = signpost_database_resolve ("a.db", file, NULL, &error);
  g_assert_null (both);
  g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (signpost_database_resolve (NULL, empty, NULL, &error));
  g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID);

  g_assert_true (signpost_database_is_uri ("postgresql://h/d"));
  g_assert_true (signpost_database_is_uri ("postgres://h/d"));
  g_assert_false (signpost_database_is_uri ("/var/lib/signpost/postgresql://x"));
  g_assert_false (signpost_database_is_uri ("signpost.db"));
}

static void
test_without_password (void)
{
  static const struct {
    const char *in;
    const char *out;
  } cases[] = {
    { "postgresql://hub:s3cr%40t@db.example:5432/signpost", "postgresql://hub@db.example:5432/signpost" },
    { "postgres://hub@db.example/signpost", "postgres://hub@db.example/signpost" },
    { "postgresql:///signpost?host=%2Frun&password=s3cret&port=5432", "postgresql:///signpost?host=%2Frun&port=5432" },
    { "postgresql:///signpost?password=s3cret", "postgresql:///signpost" },
    { "postgresql:///signpost?sslmode=require&password=s3cret", "postgresql:///signpost?sslmode=require" },
    { "--db=postgresql://a:b@h1,h2:5433/d?password=c&x=y", "--db=postgresql://a@h1,h2:5433/d?x=y" },
    { "/srv/signpost.db", "/srv/signpost.db" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = signpost_database_without_password (cases[i].in);
      char buffer[128];
      char *argv[] = { (char *) "signpost-server", buffer, NULL };

      g_assert_cmpstr (out, ==, cases[i].out);

      /* The command line is rewritten where it lies; the program keeps
       * the whole of it. */
      g_strlcpy (buffer, cases[i].in, sizeof buffer);
      signpost_database_hide_passwords (2, argv);
      g_assert_cmpstr (buffer, ==, cases[i].out);
      g_assert_cmpstr (argv[1], ==, cases[i].in);
      for (gsize j = strlen (buffer); j < strlen (cases[i].in); j++)
        g_assert_cmpint (buffer[j], ==, 0);
    }
}

/* The real binary, told of a database it cannot reach, with a password:
 * one line that names the host, no password, a non-zero exit. */
static void
test_unreachable (void)
{
  const char *bin = g_getenv ("SIGNPOST_SERVER_BIN");
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_nonnull (bin);
  /* Port 1 on 127.0.0.1: nobody listens there. */
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, bin, "--db",
                              "postgresql://signpost:Very-Secret-99@127.0.0.1:1/hub",
                              "--listen", "127.0.0.1:0", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), !=, 0);
  g_test_message ("%s", err);
  g_assert_nonnull (strstr (err, "127.0.0.1:1"));
  g_assert_null (strstr (err, "Very-Secret-99"));
  g_assert_null (strstr (out, "Very-Secret-99"));
  g_assert_cmpint (strchr (err, '\n') - err, ==, strlen (err) - 1);

  /* A URI libpq cannot read is refused without being quoted. */
  g_clear_object (&process);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, bin, "--db", "postgresql://signpost:Very%zzSecret@[::1/hub",
                              NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error));
  g_assert_cmpint (g_subprocess_get_exit_status (process), !=, 0);
  g_assert_null (strstr (err, "Secret"));
}

/* The server on the suite's database, its URI (password and all, for
 * PostgreSQL) given by each of the three ways in turn: ps never shows
 * the password, and the server serves. */
static void
test_password_hidden (void)
{
  const char *bin = g_getenv ("SIGNPOST_SERVER_BIN");
  g_autoptr(TestDatabase) db = test_database_new ();
  const char *password = test_database_password (db);
  g_autofree char *file = g_build_filename (test_database_dir (db), "database", NULL);

  g_assert_nonnull (bin);
  g_assert_true (g_file_set_contents_full (file, test_database_location (db), -1,
                                           G_FILE_SET_CONTENTS_NONE, 0600, NULL));
  for (guint way = 0; way < 3; way++)
    {
      g_autoptr(GSubprocessLauncher) launcher = NULL;
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(GDataInputStream) out = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *line = NULL;
      g_autofree char *cmdline_path = NULL;
      g_autofree char *cmdline = NULL;
      gsize length = 0;

      launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
      g_subprocess_launcher_unsetenv (launcher, SIGNPOST_DATABASE_ENV);
      if (way == 0)
        process = g_subprocess_launcher_spawn (launcher, &error, bin, "--db",
                                               test_database_location (db),
                                               "--listen", "127.0.0.1:0", NULL);
      else if (way == 1)
        process = g_subprocess_launcher_spawn (launcher, &error, bin, "--db-file", file,
                                               "--listen", "127.0.0.1:0", NULL);
      else
        {
          g_subprocess_launcher_setenv (launcher, SIGNPOST_DATABASE_ENV,
                                        test_database_location (db), TRUE);
          process = g_subprocess_launcher_spawn (launcher, &error, bin,
                                                 "--listen", "127.0.0.1:0", NULL);
        }
      g_assert_no_error (error);
      out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
      line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (line);
      g_assert_true (g_str_has_prefix (line, "Listening on http://127.0.0.1:"));

      cmdline_path = g_strdup_printf ("/proc/%s/cmdline", g_subprocess_get_identifier (process));
      g_assert_true (g_file_get_contents (cmdline_path, &cmdline, &length, &error));
      for (gsize i = 0; i + 1 < length; i++)
        if (cmdline[i] == '\0')
          cmdline[i] = ' ';
      g_test_message ("way %u: %s", way, cmdline);
      g_assert_true (g_str_has_prefix (cmdline, bin));
      if (password != NULL)
        g_assert_null (strstr (cmdline, password));
      if (way == 0 && test_database_is_postgresql ())
        g_assert_nonnull (strstr (cmdline, "postgresql://"));

      g_subprocess_send_signal (process, SIGTERM);
      g_assert_true (g_subprocess_wait (process, NULL, &error));
      g_assert_true (g_subprocess_get_if_exited (process));
      g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/server/database/feed-with-concurrent-writers",
                   test_feed_with_concurrent_writers);
  g_test_add_func ("/signpost/server/database/schema-newer-refused", test_schema_newer_refused);
  g_test_add_func ("/signpost/server/database/resolve", test_resolve);
  g_test_add_func ("/signpost/server/database/without-password", test_without_password);
  g_test_add_func ("/signpost/server/database/unreachable", test_unreachable);
  g_test_add_func ("/signpost/server/database/password-hidden", test_password_hidden);

  return g_test_run ();
}
