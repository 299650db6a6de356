/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "server-test-db.h"
#include "signpost-core.h"

/*
 * signpost-callgen sends again an event whose answer it did not get, and
 * the server applies it once:
 *
 *  - lost-answers: a proxy between them lets the server act on every
 *    fourth webhook delivery and then cuts the connection before the
 *    answer gets back;
 *  - server-killed: the server itself is killed with SIGKILL twice in the
 *    middle of a run and started again on the same port a moment later.
 *
 * Either way every call of the run is on the server exactly once, in its
 * final state, and the simulator counts no failure.
 */

#define RUN_TIMEOUT_S 180

typedef struct {
  TestDatabase *db;
  guint16 port;
  GSubprocess *process;
} Server;

/* ---- the server ------------------------------------------------------------ */

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
server_start (Server *server)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *line = NULL;
  const char *at;

  g_ptr_array_add (argv, g_strdup (g_getenv ("SIGNPOST_SERVER_BINARY")));
  g_ptr_array_add (argv, g_strdup ("--demo"));
  test_database_add_args (server->db, argv);
  g_ptr_array_add (argv, g_strdup ("--listen"));
  g_ptr_array_add (argv, g_strdup_printf ("127.0.0.1:%u", server->port));
  g_ptr_array_add (argv, NULL);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  server->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                                  &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  at = strstr (line, "Listening on http://127.0.0.1:");
  g_assert_nonnull (at);
  server->port = (guint16) g_ascii_strtoull (at + strlen ("Listening on http://127.0.0.1:"), NULL, 10);
}

static void
server_kill (Server *server)
{
  g_subprocess_force_exit (server->process);
  g_subprocess_wait (server->process, NULL, NULL);
  g_clear_object (&server->process);
}

static Server *
server_new (void)
{
  Server *server = g_new0 (Server, 1);

  server->db = test_database_new ();
  server_start (server);
  return server;
}

static void
server_free (Server *server)
{
  if (server->process != NULL)
    {
      g_subprocess_send_signal (server->process, SIGTERM);
      g_subprocess_wait (server->process, NULL, NULL);
      g_clear_object (&server->process);
    }
  g_clear_pointer (&server->db, test_database_free);
  g_free (server);
}

/* ---- a proxy that loses answers -------------------------------------------- */

typedef struct {
  guint16 upstream_port;
  guint every;          /* lose the answer to every Nth webhook delivery */
  guint deliveries;
  guint lost;
  GSocketService *service;
  guint16 port;
} Proxy;

typedef struct {
  Proxy *proxy;
  GSocketConnection *client;
  GSocketConnection *upstream;
  gboolean lose;
  gboolean closed;
  guint8 up[65536];
  guint8 down[65536];
} Pair;

static void
pair_close (Pair *pair)
{
  if (pair->closed)
    return;
  pair->closed = TRUE;
  g_io_stream_close (G_IO_STREAM (pair->client), NULL, NULL);
  if (pair->upstream != NULL)
    g_io_stream_close (G_IO_STREAM (pair->upstream), NULL, NULL);
}

static void
pair_clear (Pair *pair)
{
  g_clear_object (&pair->client);
  g_clear_object (&pair->upstream);
}

static void
pair_unref (Pair *pair)
{
  g_rc_box_release_full (pair, (GDestroyNotify) pair_clear);
}

static void pump_up (Pair *pair);
static void pump_down (Pair *pair);

static void
wrote (GObject      *source,
       GAsyncResult *result,
       gpointer      user_data)
{
  Pair *pair = user_data;
  gboolean up = g_object_get_data (source, "up") != NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL) || pair->closed)
    pair_close (pair);
  else if (up)
    pump_up (pair);
  else
    pump_down (pair);
  pair_unref (pair);
}

static void
read_up (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Pair *pair = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);
  GOutputStream *to;

  if (n <= 0 || pair->closed)
    {
      pair_close (pair);
      pair_unref (pair);
      return;
    }
  /* One request at a time on a connection: the next answer is this one's. */
  if (g_strstr_len ((const char *) pair->up, MIN (n, 64), "POST /api/v1/telephony/events") != NULL &&
      ++pair->proxy->deliveries % pair->proxy->every == 0)
    {
      pair->lose = TRUE;
      pair->proxy->lost++;
    }
  to = g_io_stream_get_output_stream (G_IO_STREAM (pair->upstream));
  g_object_set_data (G_OBJECT (to), "up", GINT_TO_POINTER (1));
  g_output_stream_write_all_async (to, pair->up, n, G_PRIORITY_DEFAULT, NULL, wrote, pair);
}

static void
pump_up (Pair *pair)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (pair->client)),
                             pair->up, sizeof pair->up, G_PRIORITY_DEFAULT, NULL, read_up,
                             g_rc_box_acquire (pair));
}

static void
read_down (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Pair *pair = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  /* The server has acted and answered; the client never hears of it. */
  if (n <= 0 || pair->closed || pair->lose)
    {
      pair_close (pair);
      pair_unref (pair);
      return;
    }
  g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (pair->client)),
                                   pair->down, n, G_PRIORITY_DEFAULT, NULL, wrote, pair);
}

static void
pump_down (Pair *pair)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (pair->upstream)),
                             pair->down, sizeof pair->down, G_PRIORITY_DEFAULT, NULL, read_down,
                             g_rc_box_acquire (pair));
}

static void
upstream_connected (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Pair *pair = user_data;

  pair->upstream = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (source), result, NULL);
  if (pair->upstream == NULL)
    pair_close (pair);
  else
    {
      pump_up (pair);
      pump_down (pair);
    }
  pair_unref (pair);
}

static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             Proxy             *proxy)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  Pair *pair = g_rc_box_new0 (Pair);

  pair->proxy = proxy;
  pair->client = g_object_ref (connection);
  g_socket_client_connect_to_host_async (client, "127.0.0.1", proxy->upstream_port, NULL,
                                         upstream_connected, pair);
  return TRUE;
}

static Proxy *
proxy_new (guint16 upstream_port,
           guint   every)
{
  Proxy *proxy = g_new0 (Proxy, 1);
  g_autoptr(GError) error = NULL;

  proxy->upstream_port = upstream_port;
  proxy->every = every;
  proxy->service = g_socket_service_new ();
  proxy->port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (proxy->service), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (proxy->service, "incoming", G_CALLBACK (on_incoming), proxy);
  g_socket_service_start (proxy->service);
  return proxy;
}

static void
proxy_free (Proxy *proxy)
{
  g_socket_service_stop (proxy->service);
  g_socket_listener_close (G_SOCKET_LISTENER (proxy->service));
  g_clear_object (&proxy->service);
  /* Let the pairs' last callbacks run and drop their references. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_free (proxy);
}

/* ---- signpost-callgen ------------------------------------------------------ */

typedef struct {
  GSubprocess *process;
  GDataInputStream *out;
  GString *text;
  guint progress_lines;
  gboolean done;
  void (*on_progress) (gpointer data, guint n);
  gpointer data;
} Callgen;

static void read_next_line (Callgen *run);

static void
line_read (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Callgen *run = user_data;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source),
                                                                     result, NULL, NULL);

  if (line == NULL)
    {
      run->done = TRUE;
      return;
    }
  g_string_append_printf (run->text, "%s\n", line);
  if (line[0] == '[' && run->on_progress != NULL)
    run->on_progress (run->data, ++run->progress_lines);
  read_next_line (run);
}

static void
read_next_line (Callgen *run)
{
  g_data_input_stream_read_line_async (run->out, G_PRIORITY_DEFAULT, NULL, line_read, run);
}

static gboolean
timed_out_cb (gpointer data)
{
  g_error ("signpost-callgen did not finish in %d s", RUN_TIMEOUT_S);
  return G_SOURCE_REMOVE;
}

/* Runs signpost-callgen against @port until it exits, calling
 * @on_progress for each progress line; returns its output and status. */
static char *
run_callgen (guint16   port,
             guint     seed,
             void    (*on_progress) (gpointer data, guint n),
             gpointer  data,
             int      *status)
{
  Callgen run = { 0, };
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_autofree char *seed_text = g_strdup_printf ("%u", seed);
  guint timeout_id;

  run.text = g_string_new (NULL);
  run.on_progress = on_progress;
  run.data = data;
  run.process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE, &error,
                                  g_getenv ("SIGNPOST_CALLGEN_BINARY"), "--server", url,
                                  "--rate", "25", "--duration", "5", "--seed", seed_text, NULL);
  g_assert_no_error (error);
  run.out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (run.process));
  timeout_id = g_timeout_add_seconds (RUN_TIMEOUT_S, timed_out_cb, NULL);
  read_next_line (&run);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout_id);
  g_subprocess_wait (run.process, NULL, &error);
  g_assert_no_error (error);
  *status = g_subprocess_get_if_exited (run.process) ? g_subprocess_get_exit_status (run.process) : -1;
  g_clear_object (&run.out);
  g_clear_object (&run.process);
  g_test_message ("%s", run.text->str);
  return g_string_free (run.text, FALSE);
}

/* A number from the summary: "  events accepted             120", or 0
 * when the line is not there (it is left out when 0). */
static guint
summary_value (const char *out,
               const char *label)
{
  g_autofree char *pattern = g_strdup_printf ("^  %s +([0-9]+)$", label);
  g_autoptr(GRegex) regex = g_regex_new (pattern, G_REGEX_MULTILINE, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *digits = NULL;

  if (!g_regex_match (regex, out, 0, &match))
    return 0;
  digits = g_match_info_fetch (match, 1);
  return (guint) g_ascii_strtoull (digits, NULL, 10);
}

/* ---- the server's record, read independently --------------------------------- */

static JsonObject *
api (guint16     port,
     const char *method,
     const char *path,
     const char *token,
     const char *body)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/api/v1/%s", port, path);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  const char *data;
  gsize size;

  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  data = g_bytes_get_data (reply, &size);
  object = signpost_json_parse_object (data, size, 256 * 1024 * 1024, &error);
  g_assert_no_error (error);
  return object;
}

/* The calls whose call_ref starts with @prefix: how many records, how many
 * distinct call_refs among them, how many abandoned. */
static void
count_calls (guint16     port,
             const char *prefix,
             guint      *records,
             guint      *refs,
             guint      *abandoned)
{
  g_autoptr(JsonObject) login = api (port, "POST", "login", NULL,
                                     "{\"username\":\"hubnav\",\"password\":\"demo-password\"}");
  const char *token = json_object_get_string_member (login, "token");
  g_autoptr(GHashTable) by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) seen_refs = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer id, state;
  gint64 since = 0;
  gboolean more = TRUE;

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("changes?since=%" G_GINT64_FORMAT "&limit=5000", since);
      g_autoptr(JsonObject) page = api (port, "GET", path, token, NULL);
      JsonArray *changes = json_object_get_array_member (page, "changes");

      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *change = json_array_get_object_element (changes, i);
          JsonObject *call;
          const char *ref;

          if (!g_str_equal (json_object_get_string_member (change, "type"), "call"))
            continue;
          call = json_object_get_object_member (change, "data");
          ref = json_object_get_string_member (call, "call_ref");
          if (!g_str_has_prefix (ref, prefix))
            continue;
          /* the latest version of each record wins */
          g_hash_table_insert (by_id, g_strdup (json_object_get_string_member (change, "id")),
                               g_strconcat (json_object_get_string_member (call, "state"), "\n", ref, NULL));
        }
      since = json_object_get_int_member (page, "last_seq");
      more = json_object_get_boolean_member (page, "more");
    }

  *records = g_hash_table_size (by_id);
  *abandoned = 0;
  g_hash_table_iter_init (&iter, by_id);
  while (g_hash_table_iter_next (&iter, &id, &state))
    {
      g_hash_table_add (seen_refs, strchr (state, '\n') + 1);
      if (g_str_has_prefix (state, "abandoned\n"))
        (*abandoned)++;
    }
  *refs = g_hash_table_size (seen_refs);
}

static void
assert_every_call_once (guint16     port,
                        const char *prefix,
                        const char *out)
{
  guint offered = summary_value (out, "calls offered");
  guint records, refs, abandoned;

  /* 25 calls a second for 5 s, each offered and hung up */
  g_assert_cmpuint (offered, ==, 125);
  g_assert_cmpuint (summary_value (out, "calls abandoned"), ==, offered);
  g_assert_cmpuint (summary_value (out, "events failed"), ==, 0);
  g_assert_cmpuint (summary_value (out, "events accepted") + summary_value (out, "events duplicate"),
                    ==, 2 * offered);

  count_calls (port, prefix, &records, &refs, &abandoned);
  g_assert_cmpuint (records, ==, offered);
  g_assert_cmpuint (refs, ==, offered);
  g_assert_cmpuint (abandoned, ==, offered);
}

/* ---- the tests ----------------------------------------------------------------- */

static void
test_lost_answers (void)
{
  Server *server = server_new ();
  Proxy *proxy = proxy_new (server->port, 4);
  g_autofree char *out = NULL;
  int status = -1;

  out = run_callgen (proxy->port, 515, NULL, NULL, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpuint (proxy->lost, >, 10);

  /* Every lost answer was a delivery the server had acted on: each was
   * sent again, and the event whose answer was lost came back "duplicate". */
  g_assert_cmpuint (summary_value (out, "events retried"), ==, proxy->lost);
  g_assert_cmpuint (summary_value (out, "events duplicate"), >, 0);
  g_assert_cmpuint (summary_value (out, "events duplicate"), <=, proxy->lost);

  /* seed 515 is 0x203, which the run's call refs carry */
  assert_every_call_once (server->port, "cg-203-r-", out);
  proxy_free (proxy);
  server_free (server);
}

typedef struct {
  Server *server;
  guint kills;
} Killer;

static gboolean
restart_cb (gpointer data)
{
  Killer *killer = data;

  server_start (killer->server);
  return G_SOURCE_REMOVE;
}

/* On the 2nd and 4th progress lines (a second apart): SIGKILL, and back
 * 700 ms later on the same port and database. */
static void
kill_on_progress (gpointer data,
                  guint    n)
{
  Killer *killer = data;

  if ((n != 2 && n != 4) || killer->server->process == NULL)
    return;
  server_kill (killer->server);
  killer->kills++;
  g_timeout_add (700, restart_cb, killer);
}

static void
test_server_killed (void)
{
  Server *server = server_new ();
  Killer killer = { server, 0 };
  g_autofree char *out = NULL;
  int status = -1;

  out = run_callgen (server->port, 616, kill_on_progress, &killer, &status);
  g_assert_cmpuint (killer.kills, ==, 2);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpuint (summary_value (out, "events retried"), >, 0);
  g_assert_nonnull (strstr (out, "No answer from the server"));
  g_assert_nonnull (strstr (out, "The server answers again"));

  /* seed 616 is 0x268 */
  assert_every_call_once (server->port, "cg-268-r-", out);
  server_free (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("SIGNPOST_SERVER_BINARY") == NULL || g_getenv ("SIGNPOST_CALLGEN_BINARY") == NULL)
    g_error ("SIGNPOST_SERVER_BINARY and SIGNPOST_CALLGEN_BINARY must name the binaries");

  g_test_add_func ("/signpost/callgen/retry/lost-answers", test_lost_answers);
  g_test_add_func ("/signpost/callgen/retry/server-killed", test_server_killed);
  return g_test_run ();
}
