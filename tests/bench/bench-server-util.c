/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "bench-server-util.h"
#include "server-test-db.h"
#include <libpq-fe.h>

static const char *
server_binary (void)
{
  const char *bin = g_getenv ("SIGNPOST_SERVER_BIN");

  if (bin == NULL)
    g_error ("SIGNPOST_SERVER_BIN is not set");
  return bin;
}

static BenchStore current_store = BENCH_SQLITE;

/* The stores to measure, SQLite first. */
guint
bench_stores (BenchStore stores[2])
{
  guint n = 0;

  const char *uri = g_getenv ("SIGNPOST_TEST_PG");

  stores[n++] = BENCH_SQLITE;
  if ((uri != NULL && *uri != '\0') || g_getenv ("PGHOST") != NULL || g_getenv ("PGPORT") != NULL)
    {
      PGconn *conn = PQconnectdb (uri != NULL && *uri != '\0' ? uri : "postgresql://");
      PGresult *result = PQexec (conn, "SELECT current_setting ('fsync'),"
                                       " current_setting ('synchronous_commit'), version ()");

      /* Said, so that a comparison with fsync off is never taken for one. */
      if (PQresultStatus (result) == PGRES_TUPLES_OK)
        printf ("PostgreSQL: fsync %s, synchronous_commit %s; %s\n", PQgetvalue (result, 0, 0),
                PQgetvalue (result, 0, 1), PQgetvalue (result, 0, 2));
      PQclear (result);
      PQfinish (conn);
      stores[n++] = BENCH_POSTGRESQL;
    }
  else
    printf ("(PostgreSQL not measured: no server named; build-aux/run bench starts one)\n");
  return n;
}

const char *
bench_store_name (BenchStore store)
{
  return store == BENCH_POSTGRESQL ? "PostgreSQL" : "SQLite";
}

void
bench_use_store (BenchStore store)
{
  current_store = store;
}

/* "WHAT: SQLite N UNIT, PostgreSQL M UNIT (PostgreSQL/SQLite 0.xx)" */
void
bench_print_ratio (const char   *what,
                   const char   *unit,
                   const double  values[2],
                   guint         n_stores)
{
  if (n_stores < 2)
    {
      printf ("%s: SQLite %.0f %s\n", what, values[0], unit);
      return;
    }
  printf ("%s: SQLite %.0f %s, PostgreSQL %.0f %s (PostgreSQL/SQLite %.2f)\n", what, values[0],
          unit, values[1], unit, values[0] > 0 ? values[1] / values[0] : 0);
  fflush (stdout);
}

static char *
admin (BenchServer  *server,
       const char   *input,
       const char  **args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  g_ptr_array_add (argv, g_strdup (server_binary ()));
  g_ptr_array_add (argv, g_strdup ("admin"));
  test_database_add_args (server->database, argv);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  if (process == NULL || !g_subprocess_communicate_utf8 (process, input, NULL, &out, NULL, &error) ||
      !g_subprocess_get_successful (process))
    g_error ("signpost-server admin %s failed", args[0]);
  return g_strstrip (g_steal_pointer (&out));
}

static BenchServer *
start (BenchServer *server,
       gboolean     demo)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *line = NULL;
  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDOUT_PIPE;

  g_ptr_array_add (argv, g_strdup (server_binary ()));
  if (demo)
    {
      char scale[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_dtostr (scale, sizeof scale, server->demo_scale > 0 ? server->demo_scale : 1.0);
      g_ptr_array_add (argv, g_strdup ("--demo"));
      g_ptr_array_add (argv, g_strdup ("--demo-scale"));
      g_ptr_array_add (argv, g_strdup (scale));
      flags |= G_SUBPROCESS_FLAGS_STDERR_SILENCE;
    }
  /* As a user would point it at its database (--db, or --db-file for a
   * URI with a password). */
  test_database_add_args (server->database, argv);
  g_ptr_array_add (argv, g_strdup ("--listen"));
  g_ptr_array_add (argv, g_strdup ("127.0.0.1:0"));
  for (guint i = 0; demo && server->extra_args != NULL && server->extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (server->extra_args[i]));
  g_ptr_array_add (argv, NULL);
  server->process = g_subprocess_newv ((const char * const *) argv->pdata, flags, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  if (line == NULL || !g_str_has_prefix (line, "Listening on "))
    g_error ("the server did not start");
  server->base = g_strndup (line + strlen ("Listening on "),
                            strlen (line) - strlen ("Listening on ") - 1);
  return server;
}

static BenchServer *
prepare (void)
{
  BenchServer *server = g_new0 (BenchServer, 1);

  server->database = test_database_new_of_kind (current_store == BENCH_POSTGRESQL);
  return server;
}

BenchServer *
bench_server_new_demo (void)
{
  return start (prepare (), TRUE);
}

/* The demo hub with its lists scaled: 3.125 makes 50,000 patients. */
BenchServer *
bench_server_new_demo_scale (double scale)
{
  BenchServer *server = prepare ();

  server->demo_scale = scale;
  return start (server, TRUE);
}

/* The demo hub with more command-line options for the server. */
BenchServer *
bench_server_new_demo_with (double              scale,
                            const char * const *extra_args)
{
  BenchServer *server = prepare ();

  server->demo_scale = scale;
  server->extra_args = g_strdupv ((char **) extra_args);
  return start (server, TRUE);
}

/* A temporary directory and database path (server->db) to fill before
 * bench_server_start() serves it. */
BenchServer *
bench_server_prepare (void)
{
  return prepare ();
}

void
bench_server_start (BenchServer *server)
{
  start (server, FALSE);
}

/* One practice with a line, a navigator "bench" and an admin "boss". */
BenchServer *
bench_server_new_basic (void)
{
  BenchServer *server = prepare ();
  const char *practice[] = { "add-practice", "--ods", "Y99971", "--name", "Bench Practice", NULL };
  const char *user[] = { "add-user", "--username", "bench", "--display-name", "Bench",
                         "--role", "navigator", "--practice", "Y99971", NULL };
  const char *password[] = { "set-password", "bench", NULL };
  const char *line[] = { "add-line", "--practice", "Y99971", "--number", BENCH_LINE, NULL };
  g_autofree char *a = NULL, *b = NULL, *c = NULL;

  server->practice_id = admin (server, NULL, practice);
  a = admin (server, NULL, user);
  b = admin (server, BENCH_PASSWORD "\n", password);
  c = admin (server, BENCH_SECRET "\n", line);
  return start (server, FALSE);
}

/* A second instance of the server on @first's database (PostgreSQL: two
 * instances behave as one server). Free it before @first. */
BenchServer *
bench_server_new_instance (BenchServer *first)
{
  BenchServer *server = g_new0 (BenchServer, 1);

  server->database = first->database;
  server->shares_database = TRUE;
  server->practice_id = g_strdup (first->practice_id);
  return start (server, FALSE);
}

/* Stops the server and starts it again on its database, as after a
 * restart (a demo seeded in one transaction leaves it a long journal). */
void
bench_server_restart (BenchServer *server)
{
  g_subprocess_send_signal (server->process, SIGTERM);
  g_subprocess_wait (server->process, NULL, NULL);
  g_clear_object (&server->process);
  g_clear_pointer (&server->base, g_free);
  start (server, FALSE);
}

void
bench_server_free (BenchServer *server)
{
  g_subprocess_send_signal (server->process, SIGTERM);
  g_subprocess_wait (server->process, NULL, NULL);
  g_clear_object (&server->process);
  if (!server->shares_database)
    g_clear_pointer (&server->database, test_database_free);
  g_free (server->base);
  g_free (server->practice_id);
  g_strfreev (server->extra_args);
  g_free (server);
}

/* User and system CPU the server has used so far. */
gint64
bench_server_cpu_ms (BenchServer *server)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", g_subprocess_get_identifier (server->process));
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *close_paren;

  if (!g_file_get_contents (path, &stat, NULL, NULL) || (close_paren = strrchr (stat, ')')) == NULL)
    return 0;
  fields = g_strsplit (close_paren + 2, " ", 0);
  /* utime and stime: fields 14 and 15 of stat(5), 12 and 13 after the name */
  return (g_ascii_strtoll (fields[11], NULL, 10) + g_ascii_strtoll (fields[12], NULL, 10)) *
         1000 / sysconf (_SC_CLK_TCK);
}

gint64
bench_server_rss_kb (BenchServer *server)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status",
                                           g_subprocess_get_identifier (server->process));
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents (path, &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  return line ? g_ascii_strtoll (line + strlen ("VmRSS:"), NULL, 10) : -1;
}

GBytes *
bench_request (SoupSession *session,
               BenchServer *server,
               const char  *method,
               const char  *path,
               const char  *token,
               const char  *body,
               guint       *status)
{
  g_autofree char *uri = g_strconcat (server->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GError) error = NULL;
  GBytes *reply;

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
  *status = soup_message_get_status (msg);
  return reply;
}

char *
bench_login (SoupSession *session,
             BenchServer *server,
             const char  *username,
             const char  *password)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\"}",
                                           username, password);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(JsonObject) object = NULL;
  guint status = 0;

  reply = bench_request (session, server, "POST", "/api/v1/login", NULL, body, &status);
  g_assert_cmpuint (status, ==, 200);
  object = signpost_json_parse_object (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply),
                                       G_MAXSIZE, NULL);
  return g_strdup (json_object_get_string_member (object, "token"));
}

int
bench_compare_doubles (gconstpointer a,
                       gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

double
bench_percentile (GArray *sorted,
                  double  p)
{
  guint index;

  if (sorted->len == 0)
    return 0;
  index = MIN ((guint) (p / 100.0 * sorted->len), sorted->len - 1);
  return g_array_index (sorted, double, index);
}
