/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "server-test-util.h"

/* Raw bytes to the server and whatever comes back within @timeout_ms. */
static char *
raw_exchange (TestServer *ts,
              const char *request,
              gsize       length,
              guint       timeout_ms,
              gboolean   *closed)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback,
                                                                 signpost_server_get_port (ts->server));
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) reply = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  *closed = FALSE;
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_true (g_socket_connect (socket, address, NULL, &error));
  g_assert_cmpint (g_socket_send (socket, request, length, NULL, &error), ==, (gssize) length);
  g_socket_set_blocking (socket, FALSE);
  while (g_get_monotonic_time () < deadline)
    {
      char buffer[4096];
      gssize n;

      g_clear_error (&error);
      n = g_socket_receive (socket, buffer, sizeof buffer, NULL, &error);
      if (n > 0)
        g_string_append_len (reply, buffer, n);
      else if (n == 0)
        {
          *closed = TRUE;
          break;
        }
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          *closed = TRUE;
          break;
        }
      else
        {
          g_main_context_iteration (NULL, FALSE);
          g_usleep (500);
        }
    }
  return g_string_free (g_steal_pointer (&reply), FALSE);
}

/* 50 MiB announced, not a byte sent: the 413 must come at once, so the
 * server cannot have waited for (or read) the body. */
static void
test_too_large (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *token = test_login (ts, "nav_a");
  g_autofree char *request = g_strdup_printf ("POST /api/v1/mutations HTTP/1.1\r\n"
                                              "Host: 127.0.0.1\r\n"
                                              "Authorization: Bearer %s\r\n"
                                              "Content-Type: application/json\r\n"
                                              "Content-Length: 52428800\r\n\r\n", token);
  g_autofree char *reply = NULL;
  g_autofree char *login = NULL;
  g_autofree char *big = NULL;
  g_autoptr(TestReply) posted = NULL;
  gboolean closed = FALSE;
  gint64 start = g_get_monotonic_time ();

  reply = raw_exchange (ts, request, strlen (request), 2000, &closed);
  g_test_message ("413 after %.1f ms", (g_get_monotonic_time () - start) / 1000.0);
  g_assert_true (g_str_has_prefix (reply, "HTTP/1.1 413 "));
  g_assert_nonnull (strstr (reply, "application/problem+json"));
  g_assert_nonnull (strstr (reply, "urn:signpost:problem:too-large"));
  g_assert_true (closed);

  /* Before authentication too. */
  login = g_strdup ("POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    "Content-Length: 52428800\r\n\r\n");
  g_free (reply);
  reply = raw_exchange (ts, login, strlen (login), 2000, &closed);
  g_assert_true (g_str_has_prefix (reply, "HTTP/1.1 413 "));

  /* And a client that does send 2 MiB gets the answer, not a reset. */
  big = g_strnfill (2 * 1024 * 1024, ' ');
  posted = test_http (ts, NULL, "POST", "/api/v1/mutations", token, big, -1);
  test_assert_problem (posted, 413, NULL);

  /* The server is fine afterwards. */
  {
    g_autoptr(TestReply) health = test_http (ts, NULL, "GET", "/api/v1/healthz", NULL, NULL, -1);
    g_assert_cmpuint (health->status, ==, 200);
  }
  test_server_free (ts);
}

static void
test_chunked (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *token = test_login (ts, "nav_a");
  g_autofree char *request = g_strdup_printf ("POST /api/v1/mutations HTTP/1.1\r\n"
                                              "Host: 127.0.0.1\r\n"
                                              "Authorization: Bearer %s\r\n"
                                              "Transfer-Encoding: chunked\r\n\r\n"
                                              "5\r\n{\"mut\r\n", token);
  g_autofree char *reply = NULL;
  gboolean closed = FALSE;

  reply = raw_exchange (ts, request, strlen (request), 2000, &closed);
  g_assert_true (g_str_has_prefix (reply, "HTTP/1.1 411 "));
  g_assert_nonnull (strstr (reply, "application/problem+json"));
  test_server_free (ts);
}

static void
test_malformed (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *token = test_login (ts, "nav_a");
  g_autofree char *deep = NULL;
  static const struct {
    const char *body;
    gssize length;
    guint status;
    const char *field;
  } cases[] = {
    { "", 0, 400, NULL },
    { "{", -1, 400, NULL },
    { "{\"mutations\": [}", -1, 400, NULL },
    { "[]", -1, 400, NULL },
    { "null", -1, 400, NULL },
    { "{\"mutations\":[]}\0x", 19, 400, NULL },
    { "{\"mutations\":\"\xff\xfe\"}", -1, 400, NULL },      /* invalid UTF-8 */
    { "{\"mutations\":\"\\ud800\"}", -1, 400, NULL },        /* lone surrogate */
    { "{\"mutations\":[], \"extra\":1}", -1, 422, "extra" },
    { "{\"mutations\":{}}", -1, 422, "mutations" },
    { "{\"mutations\":[1]}", -1, 422, "mutations[0]" },
    { "{\"mutations\":[{\"mutation_id\":\"x\",\"type\":\"patient\",\"op\":\"create\","
      "\"id\":\"00000000-0000-4000-8000-000000000001\"}]}", -1, 422, "mutations[0].mutation_id" },
    { "{\"mutations\":[{\"mutation_id\":\"00000000-0000-4000-8000-000000000001\","
      "\"type\":\"spaceship\",\"op\":\"create\","
      "\"id\":\"00000000-0000-4000-8000-000000000001\"}]}", -1, 422, "mutations[0].type" },
    { "{\"mutations\":[{\"mutation_id\":\"00000000-0000-4000-8000-000000000001\","
      "\"type\":\"patient\",\"op\":\"create\",\"base_version\":\"one\","
      "\"id\":\"00000000-0000-4000-8000-000000000001\"}]}", -1, 422, "mutations[0].base_version" },
  };
  g_autoptr(TestReply) too_deep = NULL;
  g_autoptr(TestReply) not_json_login = NULL;
  g_autoptr(TestReply) wrong_type_login = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TestReply) reply = NULL;

      g_test_message ("case %u", i);
      reply = test_http (ts, NULL, "POST", "/api/v1/mutations", token, cases[i].body,
                         cases[i].length);
      test_assert_problem (reply, cases[i].status, cases[i].field);
    }

  /* 100 KB of '[' would overflow json-glib's stack. */
  deep = g_strnfill (100 * 1024, '[');
  too_deep = test_http (ts, NULL, "POST", "/api/v1/mutations", token, deep, -1);
  test_assert_problem (too_deep, 400, NULL);

  not_json_login = test_http (ts, NULL, "POST", "/api/v1/login", NULL, "username=a&password=b", -1);
  test_assert_problem (not_json_login, 400, NULL);
  wrong_type_login = test_http (ts, NULL, "POST", "/api/v1/login", NULL,
                                "{\"username\":[\"nav_a\"],\"password\":\"x\"}", -1);
  test_assert_problem (wrong_type_login, 422, "username");
  test_server_free (ts);
}

static void
test_routes (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *token = test_login (ts, "nav_a");
  g_autoptr(TestReply) unknown = NULL, root = NULL, method = NULL, method2 = NULL, head = NULL;

  unknown = test_http (ts, NULL, "GET", "/api/v1/nothing-here", token, NULL, -1);
  test_assert_problem (unknown, 404, NULL);
  root = test_http (ts, NULL, "GET", "/", NULL, NULL, -1);
  test_assert_problem (root, 404, NULL);
  method = test_http (ts, NULL, "DELETE", "/api/v1/mutations", token, NULL, -1);
  test_assert_problem (method, 405, NULL);
  g_assert_cmpstr (soup_message_headers_get_one (method->headers, "Allow"), ==, "POST");
  method2 = test_http (ts, NULL, "POST", "/api/v1/changes", token, "{}", -1);
  test_assert_problem (method2, 405, NULL);
  g_assert_cmpstr (soup_message_headers_get_one (method2->headers, "Allow"), ==, "GET, HEAD");
  head = test_http (ts, NULL, "HEAD", "/api/v1/healthz", NULL, NULL, -1);
  g_assert_cmpuint (head->status, ==, 200);
  test_server_free (ts);
}

/* Junk of every kind, then a check that nothing was half written and
 * the server still answers. */
static void
test_garbage (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *token = test_login (ts, "nav_a");
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GError) error = NULL;
  static const char * const pieces[] = {
    "{", "}", "[", "]", "\"", ":", ",", "\"mutations\"", "\"mutation_id\"", "\"type\"", "\"op\"",
    "\"id\"", "\"data\"", "\"patient\"", "\"slot\"", "\"book\"", "\"create\"", "null", "true",
    "1e999", "-0", "\"00000000-0000-4000-8000-000000000001\"", "\\u0000", "\xc3\x28", " ",
    "\"practice_id\"", "\"given_name\"", "99999999999999999999999", "\"\\ud83d\\ude00\"",
  };
  gint64 seq_before = signpost_store_get_last_seq (test_server_store (ts), &error);
  g_autoptr(TestReply) health = NULL;

  for (guint i = 0; i < 300; i++)
    {
      g_autoptr(GString) body = g_string_new (NULL);
      g_autoptr(TestReply) reply = NULL;
      guint n = g_rand_int_range (rand, 1, 40);
      const char *path = (i % 3 == 0) ? "/api/v1/login" : (i % 3 == 1) ? "/api/v1/mutations"
                                                                        : "/api/v1/audit/views";

      if (i % 2 == 0)
        g_string_append (body, "{\"mutations\":[{");
      for (guint j = 0; j < n; j++)
        g_string_append (body, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);
      reply = test_http (ts, NULL, "POST", path, token, body->str, body->len);
      g_assert_cmpuint (reply->status, >=, 200);
      g_assert_cmpuint (reply->status, <, 500);
      if (reply->status >= 400)
        test_assert_problem (reply, reply->status, NULL);
    }
  g_assert_cmpint (signpost_store_get_last_seq (test_server_store (ts), &error), ==, seq_before);
  health = test_http (ts, NULL, "GET", "/api/v1/healthz", NULL, NULL, -1);
  g_assert_cmpuint (health->status, ==, 200);
  test_server_free (ts);
}

static gboolean
flag_set_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static guint
count_open_files (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* A client that announces a huge body, then neither sends nor reads: the
 * server answers 413 and, within a few seconds, lets go of the connection
 * altogether (it must not hold a file descriptor for every such client). */
static void
test_refused_client_let_go (void)
{
  TestServer *ts = test_server_new (NULL);
  const char *request = "POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        "Content-Length: 52428800\r\n\r\n";
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback,
                                                                 signpost_server_get_port (ts->server));
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GError) error = NULL;
  gboolean waited = FALSE;
  guint before;

  /* The server is in this process: its sockets are among our files. */
  before = count_open_files ();
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_true (g_socket_connect (socket, address, NULL, &error));
  g_assert_cmpint (g_socket_send (socket, request, strlen (request), NULL, &error), ==, (gssize) strlen (request));
  /* Silent for longer than the server gives a refused client. */
  g_timeout_add (5000, flag_set_cb, &waited);
  while (!waited)
    g_main_context_iteration (NULL, TRUE);
  /* Only this end is still open. */
  g_assert_cmpuint (count_open_files (), ==, before + 1);
  test_server_free (ts);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/server/bad-input/too-large", test_too_large);
  g_test_add_func ("/signpost/server/bad-input/refused-client-let-go", test_refused_client_let_go);
  g_test_add_func ("/signpost/server/bad-input/chunked", test_chunked);
  g_test_add_func ("/signpost/server/bad-input/malformed", test_malformed);
  g_test_add_func ("/signpost/server/bad-input/routes", test_routes);
  g_test_add_func ("/signpost/server/bad-input/garbage", test_garbage);

  return g_test_run ();
}
