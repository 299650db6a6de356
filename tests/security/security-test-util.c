/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <stdarg.h>
#include <sys/prctl.h>
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "security-test-util.h"

#define RAW_TIMEOUT_S 20

void
sleep_ms (guint ms)
{
  g_usleep ((gulong) ms * 1000);
}

static const char *
server_bin (void)
{
  const char *bin = g_getenv ("SIGNPOST_SERVER_BIN");

  if (bin == NULL)
    g_error ("SIGNPOST_SERVER_BIN is not set");
  return bin;
}

int
run_admin (const char *db_path,
           const char *stdin_text,
           const char *first_arg,
           ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (char *) server_bin ());
  g_ptr_array_add (argv, (char *) "admin");
  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, (char *) db_path);
  va_start (args, first_arg);
  for (arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
                               &error);
  g_assert_no_error (error);
  /* Written by hand: GLib 2.74's communicate() leaks a little. */
  if (stdin_text != NULL)
    g_output_stream_write_all (g_subprocess_get_stdin_pipe (process), stdin_text,
                               strlen (stdin_text), NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (g_subprocess_get_stdin_pipe (process), NULL, &error);
  g_assert_no_error (error);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

RealServer *
real_server_start (const char * const *extra_args)
{
  RealServer *server = g_new0 (RealServer, 1);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *line = NULL;
  const char *colon;

  server->dir = g_dir_make_tmp ("signpost-security-XXXXXX", &error);
  g_assert_no_error (error);
  server->db_path = g_build_filename (server->dir, "server.db", NULL);
  g_assert_cmpint (run_admin (server->db_path, NULL, "add-practice", "--ods", "Y00001",
                              "--name", "Test Practice", NULL), ==, 0);
  g_assert_cmpint (run_admin (server->db_path, NULL, "add-user", "--username", "nav",
                              "--display-name", "Test Navigator", "--role", "navigator",
                              "--practice", "Y00001", NULL), ==, 0);
  g_assert_cmpint (run_admin (server->db_path, REAL_PASSWORD "\n", "set-password", "nav", NULL),
                   ==, 0);

  g_ptr_array_add (argv, (char *) server_bin ());
  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, server->db_path);
  g_ptr_array_add (argv, (char *) "--listen");
  g_ptr_array_add (argv, (char *) "127.0.0.1:0");
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) extra_args[i]);
  g_ptr_array_add (argv, NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  /* A test that fails mid-way must not leave its server behind. */
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  server->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                                  &error);
  g_assert_no_error (error);
  server->pid = g_strdup (g_subprocess_get_identifier (server->process));

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "Listening on http://127.0.0.1:"));
  colon = strrchr (line, ':');
  server->port = (guint) g_ascii_strtoull (colon + 1, NULL, 10);
  g_assert_cmpuint (server->port, >, 0);
  return server;
}

void
real_server_free (RealServer *server)
{
  g_autoptr(GError) error = NULL;

  if (server == NULL)
    return;
  if (server->process != NULL)
    {
      g_subprocess_send_signal (server->process, SIGTERM);
      g_subprocess_wait (server->process, NULL, &error);
      g_assert_no_error (error);
      /* A clean exit; in a sanitizer build, nothing leaked either. */
      g_assert_true (g_subprocess_get_if_exited (server->process));
      g_assert_cmpint (g_subprocess_get_exit_status (server->process), ==, 0);
      g_clear_object (&server->process);
    }
  if (server->dir != NULL)
    {
      g_autoptr(GDir) dir = g_dir_open (server->dir, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (server->dir, name, NULL);

          g_remove (path);
        }
      g_rmdir (server->dir);
    }
  g_free (server->dir);
  g_free (server->db_path);
  g_free (server->pid);
  g_free (server);
}

guint
real_server_count_fds (RealServer *server)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/fd", server->pid);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* Waits (up to @timeout_ms) for the server to hold no more than @at_most
 * descriptors: closing a connection follows the client's close. */
void
real_server_wait_fds (RealServer *server,
                      guint       at_most,
                      guint       timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (real_server_count_fds (server) > at_most && g_get_monotonic_time () < deadline)
    sleep_ms (50);
}

guint64
real_server_rss_kib (RealServer *server)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status", server->pid);
  g_autofree char *text = NULL;
  const char *line;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  line = strstr (text, "VmRSS:");
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen ("VmRSS:"), NULL, 10);
}

GSocket *
raw_connect (guint port)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);
  g_autoptr(GError) error = NULL;
  GSocket *socket;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_set_timeout (socket, RAW_TIMEOUT_S);
  g_socket_connect (socket, address, NULL, &error);
  g_assert_no_error (error);
  return socket;
}

gboolean
raw_send (GSocket    *socket,
          const char *data,
          gssize      length)
{
  gsize sent = 0;
  gsize total = length < 0 ? strlen (data) : (gsize) length;

  while (sent < total)
    {
      gssize n = g_socket_send (socket, data + sent, total - sent, NULL, NULL);

      if (n <= 0)
        return FALSE;
      sent += n;
    }
  return TRUE;
}

/* Reads one response: its status (-1 if the connection ended first) and
 * body (by Content-Length; none for 1xx). */
int
raw_read_response (GSocket  *socket,
                   char    **body)
{
  g_autoptr(GString) in = g_string_new (NULL);
  char buffer[4096];
  const char *end = NULL;
  const char *length_header;
  gsize header_length, content_length = 0;
  int status;

  if (body != NULL)
    *body = NULL;
  /* The head, and not a byte more: what follows a 101 is the WebSocket's. */
  while ((end = strstr (in->str, "\r\n\r\n")) == NULL)
    {
      GInputVector vector = { buffer, sizeof buffer - 1 };
      int flags = G_SOCKET_MSG_PEEK;
      gssize n = g_socket_receive_message (socket, NULL, &vector, 1, NULL, NULL, &flags, NULL, NULL);
      gsize keep = in->len;
      const char *found;

      if (n <= 0)
        return -1;
      g_string_append_len (in, buffer, n);
      found = strstr (in->str + (keep >= 3 ? keep - 3 : 0), "\r\n\r\n");
      n = found != NULL ? (gssize) (found + 4 - in->str - keep) : n;
      g_string_truncate (in, keep);
      n = g_socket_receive (socket, buffer, n, NULL, NULL);
      if (n <= 0)
        return -1;
      g_string_append_len (in, buffer, n);
    }
  header_length = end + 4 - in->str;
  if (!g_str_has_prefix (in->str, "HTTP/1.1 ") && !g_str_has_prefix (in->str, "HTTP/1.0 "))
    return -1;
  status = (int) g_ascii_strtoll (in->str + 9, NULL, 10);
  if (status >= 200)
    {
      g_autofree char *lower = g_ascii_strdown (in->str, header_length);

      length_header = strstr (lower, "\r\ncontent-length:");
      if (length_header != NULL)
        content_length = g_ascii_strtoull (length_header + strlen ("\r\ncontent-length:"), NULL, 10);
    }
  while (in->len < header_length + content_length)
    {
      gssize n = g_socket_receive (socket, buffer, sizeof buffer, NULL, NULL);

      if (n <= 0)
        return -1;
      g_string_append_len (in, buffer, n);
    }
  if (body != NULL)
    *body = g_strndup (in->str + header_length, content_length);
  return status;
}

/* Reads and drops whatever comes until the server closes; FALSE if it has
 * not within @timeout_ms. */
gboolean
raw_wait_closed (GSocket *socket,
                 guint    timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  char buffer[4096];

  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(GError) error = NULL;
      gssize n;

      if (!g_socket_condition_timed_wait (socket, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                          deadline - g_get_monotonic_time (), NULL, NULL))
        return FALSE;
      n = g_socket_receive (socket, buffer, sizeof buffer, NULL, &error);
      if (n == 0 || (n < 0 && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK) &&
                     !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)))
        return TRUE;
    }
  return FALSE;
}

int
raw_request (guint        port,
             const char  *request,
             char       **body)
{
  g_autoptr(GSocket) socket = raw_connect (port);

  g_assert_true (raw_send (socket, request, -1));
  return raw_read_response (socket, body);
}

char *
real_server_login (RealServer *server,
                   const char *username)
{
  g_autofree char *json = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"" REAL_PASSWORD "\"}",
                                           username);
  g_autofree char *request = g_strdup_printf ("POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                              "Content-Type: application/json\r\n"
                                              "Content-Length: %zu\r\n\r\n%s",
                                              strlen (json), json);
  g_autofree char *body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (raw_request (server->port, request, &body), ==, 200);
  json_parser_load_from_data (parser, body, -1, &error);
  g_assert_no_error (error);
  return g_strdup (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)),
                                                  "token"));
}

/* A WebSocket on /api/v1/live, its hello frame read. */
GSocket *
raw_websocket (guint       port,
               const char *token)
{
  GSocket *socket = raw_connect (port);
  g_autofree char *request = g_strdup_printf ("GET /api/v1/live HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                              "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                                              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                              "Sec-WebSocket-Version: 13\r\n"
                                              "Authorization: Bearer %s\r\n\r\n", token);
  guint8 head[2];
  g_autofree char *payload = NULL;
  gsize length, got = 0;

  g_assert_true (raw_send (socket, request, -1));
  g_assert_cmpint (raw_read_response (socket, NULL), ==, 101);
  /* The hello: a short unmasked text frame. */
  g_assert_cmpint (g_socket_receive (socket, (char *) head, 2, NULL, NULL), ==, 2);
  g_assert_cmpuint (head[0], ==, 0x81);
  length = head[1] & 0x7f;
  g_assert_cmpuint (length, <, 126);
  payload = g_malloc0 (length + 1);
  while (got < length)
    {
      gssize n = g_socket_receive (socket, payload + got, length - got, NULL, NULL);

      g_assert_cmpint (n, >, 0);
      got += n;
    }
  g_assert_nonnull (strstr (payload, "\"hello\""));
  return socket;
}
