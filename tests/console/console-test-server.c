/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "console-test-server.h"
#include "signpost-core.h"

struct _TestServer
{
  char *dir;
  char *db_path;
  GSubprocess *process;
  guint16 server_port;
  GSocketService *proxy;
  guint16 proxy_port;
  char *url;
  char *direct_url;
  gboolean blocked;
  gboolean drop_next;
  guint n_dropped;
  GPtrArray *pairs;
  SoupSession *session;
};

/* ---- the server process ---------------------------------------------------- */

static char *template_dir;

/* A test that fails aborts: take its server down with it. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static GSubprocess *
spawn_server_full (const char *db_path,
                   guint16     port,
                   const char *tls_cert,
                   const char *tls_key,
                   guint16    *port_out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", port);
  const char *binary = g_getenv ("SIGNPOST_SERVER_BIN");
  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDOUT_PIPE;

  g_assert_nonnull (binary);
  if (g_getenv ("SIGNPOST_TEST_SERVER_LOG") == NULL)
    flags |= G_SUBPROCESS_FLAGS_STDERR_SILENCE;
  launcher = g_subprocess_launcher_new (flags);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  if (tls_cert != NULL)
    process = g_subprocess_launcher_spawn (launcher, &error, binary, "--listen", listen, "--db", db_path,
                                           "--demo", "--tls-cert", tls_cert, "--tls-key", tls_key, NULL);
  /* A region of several practices, small (the Hub page's test) unless a
   * scale is given too (the hub benchmark). */
  else if (g_getenv ("SIGNPOST_TEST_DEMO_PRACTICES") != NULL)
    process = g_subprocess_launcher_spawn (launcher, &error, binary, "--listen", listen, "--db", db_path,
                                           "--demo", "--practices", g_getenv ("SIGNPOST_TEST_DEMO_PRACTICES"),
                                           "--demo-scale", g_getenv ("SIGNPOST_TEST_DEMO_SCALE") != NULL
                                                             ? g_getenv ("SIGNPOST_TEST_DEMO_SCALE") : "0.2",
                                           NULL);
  /* A smaller hub, for test programs that do not need 16,000 patients. */
  else if (g_getenv ("SIGNPOST_TEST_DEMO_SCALE") != NULL)
    process = g_subprocess_launcher_spawn (launcher, &error, binary, "--listen", listen, "--db", db_path,
                                           "--demo", "--demo-scale", g_getenv ("SIGNPOST_TEST_DEMO_SCALE"), NULL);
  else
    process = g_subprocess_launcher_spawn (launcher, &error, binary, "--listen", listen, "--db", db_path,
                                           "--demo", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
      const char *prefix = tls_cert ? "Listening on https://127.0.0.1:" : "Listening on http://127.0.0.1:";

      g_assert_no_error (error);
      g_assert_nonnull (line);
      if (g_str_has_prefix (line, prefix))
        {
          *port_out = (guint16) g_ascii_strtoull (line + strlen (prefix), NULL, 10);
          break;
        }
    }
  return g_steal_pointer (&process);
}

static GSubprocess *
spawn_server (const char *db_path,
              guint16     port,
              guint16    *port_out)
{
  return spawn_server_full (db_path, port, NULL, NULL, port_out);
}

static void
process_exited (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, &error);
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* The main loop keeps running meanwhile, so that this process's consoles
 * answer the server's closing of their WebSockets; otherwise the server
 * waits out libsoup's close timeout (seconds) for each. */
static void
stop_process (GSubprocess *process)
{
  gboolean exited = FALSE;

  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait_async (process, NULL, process_exited, &exited);
  while (!exited)
    g_main_context_iteration (NULL, TRUE);
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autoptr(GFile) source = g_file_new_for_path (from);
  g_autoptr(GFile) destination = g_file_new_for_path (to);
  g_autoptr(GError) error = NULL;

  if (!g_file_test (from, G_FILE_TEST_EXISTS))
    return;
  g_file_copy (source, destination, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
}

/* Seeding the demo hub takes seconds: do it once per program and copy. */
static const char *
ensure_template (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *db = NULL;
  guint16 port;

  if (template_dir != NULL)
    return template_dir;
  template_dir = g_dir_make_tmp ("signpost-demo-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (template_dir, "demo.db", NULL);
  process = spawn_server (db, 0, &port);
  stop_process (process);
  return template_dir;
}

/* ---- the proxy ------------------------------------------------------------- */

typedef struct {
  TestServer *server;
  GSocketConnection *client;
  GSocketConnection *upstream;
  gboolean drop;
  gboolean closed;
  guint8 up[65536];
  guint8 down[65536];
} Pair;

static Pair *
pair_ref (Pair *pair)
{
  return g_atomic_rc_box_acquire (pair);
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
  g_atomic_rc_box_release_full (pair, (GDestroyNotify) pair_clear);
}

static void
pair_close (Pair *pair)
{
  if (pair->closed)
    return;
  pair->closed = TRUE;
  if (pair->client != NULL)
    g_io_stream_close (G_IO_STREAM (pair->client), NULL, NULL);
  if (pair->upstream != NULL)
    g_io_stream_close (G_IO_STREAM (pair->upstream), NULL, NULL);
  if (pair->server != NULL)
    {
      TestServer *server = g_steal_pointer (&pair->server);
      g_ptr_array_remove (server->pairs, pair);
    }
}

static void pump_up (Pair *pair);
static void pump_down (Pair *pair);

static void
wrote_up (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Pair *pair = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL) || pair->closed)
    pair_close (pair);
  else
    pump_up (pair);
  pair_unref (pair);
}

static void
read_up (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Pair *pair = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n <= 0 || pair->closed)
    {
      pair_close (pair);
      pair_unref (pair);
      return;
    }
  if (pair->server != NULL && pair->server->drop_next &&
      g_strstr_len ((const char *) pair->up, n, "POST /api/v1/mutations") != NULL)
    {
      pair->drop = TRUE;
      pair->server->drop_next = FALSE;
      pair->server->n_dropped++;
    }
  g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (pair->upstream)),
                                   pair->up, n, G_PRIORITY_DEFAULT, NULL, wrote_up, pair);
}

static void
pump_up (Pair *pair)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (pair->client)),
                             pair->up, sizeof pair->up, G_PRIORITY_DEFAULT, NULL, read_up,
                             pair_ref (pair));
}

static void
wrote_down (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Pair *pair = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL) || pair->closed)
    pair_close (pair);
  else
    pump_down (pair);
  pair_unref (pair);
}

static void
read_down (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Pair *pair = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n <= 0 || pair->closed || pair->drop)
    {
      /* A dropped answer: the server has acted, the client never hears. */
      pair_close (pair);
      pair_unref (pair);
      return;
    }
  g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (pair->client)),
                                   pair->down, n, G_PRIORITY_DEFAULT, NULL, wrote_down, pair);
}

static void
pump_down (Pair *pair)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (pair->upstream)),
                             pair->down, sizeof pair->down, G_PRIORITY_DEFAULT, NULL, read_down,
                             pair_ref (pair));
}

static void
upstream_connected (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Pair *pair = user_data;

  pair->upstream = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (source), result, NULL);
  if (pair->upstream == NULL || pair->closed)
    {
      pair_close (pair);
      pair_unref (pair);
      return;
    }
  pump_up (pair);
  pump_down (pair);
  pair_unref (pair);
}

static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             TestServer        *server)
{
  g_autoptr(GSocketClient) client = NULL;
  Pair *pair;

  if (server->blocked || server->process == NULL)
    {
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      return TRUE;
    }
  pair = g_atomic_rc_box_new0 (Pair);
  pair->server = server;
  pair->client = g_object_ref (connection);
  g_ptr_array_add (server->pairs, pair_ref (pair));
  client = g_socket_client_new ();
  g_socket_client_connect_to_host_async (client, "127.0.0.1", server->server_port, NULL,
                                         upstream_connected, pair);
  return TRUE;
}

static void
close_all_pairs (TestServer *server)
{
  while (server->pairs->len > 0)
    pair_close (g_ptr_array_index (server->pairs, 0));
}

/* ---- public ----------------------------------------------------------------- */

TestServer *
test_server_new (void)
{
  TestServer *server = g_new0 (TestServer, 1);
  g_autoptr(GError) error = NULL;
  const char *template = ensure_template ();
  const char *suffixes[] = { "", "-wal", "-shm" };

  server->dir = g_dir_make_tmp ("signpost-server-XXXXXX", &error);
  g_assert_no_error (error);
  server->db_path = g_build_filename (server->dir, "server.db", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = g_strconcat ("demo.db", suffixes[i], NULL);
      g_autofree char *from = g_build_filename (template, name, NULL);
      g_autofree char *to = g_strconcat (server->db_path, suffixes[i], NULL);
      copy_file (from, to);
    }

  server->pairs = g_ptr_array_new_with_free_func ((GDestroyNotify) pair_unref);
  server->proxy = g_socket_service_new ();
  server->proxy_port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (server->proxy), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (server->proxy, "incoming", G_CALLBACK (on_incoming), server);
  g_socket_service_start (server->proxy);
  server->url = g_strdup_printf ("http://127.0.0.1:%u", server->proxy_port);
  server->session = soup_session_new ();

  test_server_start (server);
  return server;
}

void
test_server_free (TestServer *server)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  if (server->process != NULL)
    test_server_stop (server);
  g_socket_service_stop (server->proxy);
  g_socket_listener_close (G_SOCKET_LISTENER (server->proxy));
  close_all_pairs (server);
  g_clear_object (&server->proxy);
  g_clear_pointer (&server->pairs, g_ptr_array_unref);
  g_clear_object (&server->session);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (server->db_path, suffixes[i], NULL);
      g_unlink (path);
    }
  g_rmdir (server->dir);
  g_free (server->db_path);
  g_free (server->dir);
  g_free (server->url);
  g_free (server->direct_url);
  g_free (server);
}

const char *
test_server_get_url (TestServer *server)
{
  return server->url;
}

/* A server of its own speaking HTTPS with @cert/@key on 127.0.0.1, no
 * proxy; its URL in @url. Stop it with g_subprocess_send_signal(). */
GSubprocess *
test_server_spawn_tls (const char  *cert,
                       const char  *key,
                       char       **url)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("signpost-tls-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "server.db", NULL);
  g_autofree char *from = g_build_filename (ensure_template (), "demo.db", NULL);
  GSubprocess *process;
  guint16 port;

  g_assert_no_error (error);
  copy_file (from, db);
  process = spawn_server_full (db, 0, cert, key, &port);
  *url = g_strdup_printf ("https://127.0.0.1:%u", port);
  return process;
}

/* The server itself: for blocking calls, which would stall the proxy. */
const char *
test_server_get_direct_url (TestServer *server)
{
  return server->direct_url;
}

void
test_server_stop (TestServer *server)
{
  g_assert_nonnull (server->process);
  stop_process (server->process);
  g_clear_object (&server->process);
  close_all_pairs (server);
  /* Its kept-alive connections died with it. */
  soup_session_abort (server->session);
}

/* As a machine or process dies: SIGKILL, nothing closed in good order. */
void
test_server_kill (TestServer *server)
{
  gboolean exited = FALSE;

  g_assert_nonnull (server->process);
  g_subprocess_force_exit (server->process);
  g_subprocess_wait_async (server->process, NULL, process_exited, &exited);
  while (!exited)
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&server->process);
  close_all_pairs (server);
  soup_session_abort (server->session);
}

void
test_server_start (TestServer *server)
{
  g_assert_null (server->process);
  server->process = spawn_server (server->db_path, 0, &server->server_port);
  g_free (server->direct_url);
  server->direct_url = g_strdup_printf ("http://127.0.0.1:%u", server->server_port);
}

void
test_server_set_blocked (TestServer *server,
                         gboolean    blocked)
{
  server->blocked = blocked;
  if (blocked)
    close_all_pairs (server);
}

void
test_server_drop_next_mutation_response (TestServer *server)
{
  server->drop_next = TRUE;
}

guint
test_server_get_n_dropped (TestServer *server)
{
  return server->n_dropped;
}

JsonNode *
test_server_request (TestServer *server,
                     const char *token,
                     const char *method,
                     const char *path,
                     const char *body,
                     guint      *status)
{
  g_autofree char *url = g_strconcat (server->direct_url, "/api/v1/", path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *data;

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
  reply = soup_session_send_and_read (server->session, msg, NULL, &error);
  g_assert_no_error (error);
  if (status != NULL)
    *status = soup_message_get_status (msg);
  data = g_bytes_get_data (reply, &length);
  if (length == 0)
    return NULL;
  return signpost_json_parse (data, length, 256 * 1024 * 1024, NULL);
}

char *
test_server_login (TestServer *server,
                   const char *username)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"demo-password\"}", username);
  g_autoptr(JsonNode) reply = NULL;
  guint status = 0;

  reply = test_server_request (server, NULL, "POST", "login", body, &status);
  g_assert_cmpuint (status, ==, 200);
  return g_strdup (json_object_get_string_member (json_node_get_object (reply), "token"));
}

GHashTable *
test_server_fetch_records (TestServer *server,
                           const char *token,
                           const char *kind)
{
  GHashTable *records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify) json_object_unref);
  gint64 since = 0;
  gboolean more = TRUE;

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("changes?since=%" G_GINT64_FORMAT "&limit=5000", since);
      g_autoptr(JsonNode) reply = test_server_request (server, token, "GET", path, NULL, NULL);
      JsonObject *page = json_node_get_object (reply);
      JsonArray *changes = json_object_get_array_member (page, "changes");

      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *change = json_array_get_object_element (changes, i);
          if (!g_str_equal (json_object_get_string_member (change, "type"), kind))
            continue;
          if (g_str_equal (json_object_get_string_member (change, "op"), "delete"))
            g_hash_table_remove (records, json_object_get_string_member (change, "id"));
          else
            g_hash_table_replace (records, g_strdup (json_object_get_string_member (change, "id")),
                                  json_object_ref (json_object_get_object_member (change, "data")));
        }
      since = json_object_get_int_member (page, "last_seq");
      more = json_object_get_boolean_member (page, "more");
    }
  return records;
}

static gboolean
timed_out (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
test_wait_until (gboolean (*condition) (gpointer data),
                 gpointer   data,
                 guint      timeout_ms)
{
  gboolean expired = FALSE;
  guint source;

  if (condition (data))
    return TRUE;
  source = g_timeout_add (timeout_ms, timed_out, &expired);
  while (!expired && !condition (data))
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (source);
  return condition (data);
}

/* Runs `signpost-server admin ARGS…` on this server's database, with
 * @input on standard input (a password), while the server is stopped:
 * the admin commands write the store directly. */
void
test_server_admin (TestServer         *server,
                   const char         *input,
                   const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gboolean running = server->process != NULL;

  if (running)
    test_server_stop (server);
  g_ptr_array_add (argv, (gpointer) g_getenv ("SIGNPOST_SERVER_BIN"));
  g_ptr_array_add (argv, (gpointer) "admin");
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, server->db_path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, input, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (process));
  if (running)
    test_server_start (server);
}

int
test_server_admin_running (TestServer         *server,
                           const char         *input,
                           const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (gpointer) g_getenv ("SIGNPOST_SERVER_BIN"));
  g_ptr_array_add (argv, (gpointer) "admin");
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, server->db_path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, input, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}
