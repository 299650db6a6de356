/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "server-test-util.h"

static void
test_login_ok (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autoptr(TestReply) reply = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonObject) me = NULL;
  JsonArray *practices;
  const char *token;
  g_autofree char *me_token = NULL;

  reply = test_http (ts, NULL, "POST", "/api/v1/login", NULL,
                     "{\"username\":\"hub\",\"password\":\"" TEST_PASSWORD "\"}", -1);
  g_assert_cmpuint (reply->status, ==, 200);
  object = test_reply_json (reply);
  token = json_object_get_string_member (object, "token");
  /* 32 random bytes, base64url without padding */
  g_assert_cmpuint (strlen (token), ==, 43);
  g_assert_null (strpbrk (token, "+/="));
  g_assert_cmpstr (json_object_get_string_member (object, "role"), ==, "navigator");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "user"),
                                                  "username"), ==, "hub");
  practices = json_object_get_array_member (object, "practices");
  g_assert_cmpuint (json_array_get_length (practices), ==, 2);
  g_assert_nonnull (json_object_get_string_member (object, "expires_at"));

  me = test_get_json (ts, "/api/v1/me", token);
  g_assert_cmpstr (json_object_get_string_member (me, "role"), ==, "navigator");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (me, "practices")), ==, 2);

  /* Usernames are not case sensitive. */
  me_token = test_login (ts, "NAV_A");
  g_assert_nonnull (me_token);
  test_server_free (ts);
}

static void
test_login_wrong (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autoptr(TestReply) wrong = NULL;
  g_autoptr(TestReply) unknown = NULL;
  g_autoptr(TestReply) missing = NULL;
  g_autoptr(JsonObject) a = NULL;
  g_autoptr(JsonObject) b = NULL;

  wrong = test_http (ts, NULL, "POST", "/api/v1/login", NULL,
                     "{\"username\":\"nav_a\",\"password\":\"not-it\"}", -1);
  test_assert_problem (wrong, 401, NULL);
  unknown = test_http (ts, NULL, "POST", "/api/v1/login", NULL,
                       "{\"username\":\"nobody\",\"password\":\"not-it\"}", -1);
  test_assert_problem (unknown, 401, NULL);
  /* The same answer either way. */
  a = test_reply_json (wrong);
  b = test_reply_json (unknown);
  g_assert_cmpstr (json_object_get_string_member (a, "detail"), ==,
                   json_object_get_string_member (b, "detail"));
  missing = test_http (ts, NULL, "POST", "/api/v1/login", NULL, "{\"username\":\"nav_a\"}", -1);
  test_assert_problem (missing, 422, "password");
  test_server_free (ts);
}

static void
test_login_rate_limit (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autoptr(TestReply) limited = NULL;
  g_autoptr(TestReply) right = NULL;
  g_autoptr(TestReply) other = NULL;
  const char *retry;

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(TestReply) reply = test_http (ts, NULL, "POST", "/api/v1/login", NULL,
                                              "{\"username\":\"nav_a\",\"password\":\"guess\"}", -1);
      test_assert_problem (reply, 401, NULL);
    }
  limited = test_http (ts, NULL, "POST", "/api/v1/login", NULL,
                       "{\"username\":\"nav_a\",\"password\":\"guess\"}", -1);
  test_assert_problem (limited, 429, NULL);
  retry = soup_message_headers_get_one (limited->headers, "Retry-After");
  g_assert_nonnull (retry);
  g_assert_cmpint (atoi (retry), >, 0);
  g_assert_cmpint (atoi (retry), <=, 300);

  /* Even the right password waits now. */
  right = test_http (ts, NULL, "POST", "/api/v1/login", NULL,
                     "{\"username\":\"nav_a\",\"password\":\"" TEST_PASSWORD "\"}", -1);
  test_assert_problem (right, 429, NULL);

  /* The client address is limited too: another user from here is refused. */
  other = test_http (ts, NULL, "POST", "/api/v1/login", NULL,
                     "{\"username\":\"nav_b\",\"password\":\"" TEST_PASSWORD "\"}", -1);
  test_assert_problem (other, 429, NULL);
  test_server_free (ts);
}

static void
test_token_expired (void)
{
  SignpostServerOptions options;
  TestServer *ts;
  g_autofree char *token = NULL;
  g_autoptr(TestReply) before = NULL;
  g_autoptr(TestReply) after = NULL;

  signpost_server_options_init (&options);
  options.token_lifetime_s = 1;
  ts = test_server_new (&options);
  token = test_login (ts, "nav_a");
  before = test_http (ts, NULL, "GET", "/api/v1/me", token, NULL, -1);
  g_assert_cmpuint (before->status, ==, 200);
  test_sleep (1100);
  after = test_http (ts, NULL, "GET", "/api/v1/me", token, NULL, -1);
  test_assert_problem (after, 401, NULL);
  g_assert_nonnull (soup_message_headers_get_one (after->headers, "WWW-Authenticate"));
  test_server_free (ts);
}

static void
test_token_revoked (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *token = test_login (ts, "nav_a");
  g_autofree char *other = test_login (ts, "nav_a");
  g_autoptr(TestReply) logout = NULL;
  g_autoptr(TestReply) after = NULL;
  g_autoptr(TestReply) still = NULL;
  g_autoptr(TestReply) none = NULL;
  g_autoptr(TestReply) bogus = NULL;

  logout = test_http (ts, NULL, "POST", "/api/v1/logout", token, NULL, -1);
  g_assert_cmpuint (logout->status, ==, 200);
  after = test_http (ts, NULL, "GET", "/api/v1/changes", token, NULL, -1);
  test_assert_problem (after, 401, NULL);
  /* Only that token. */
  still = test_http (ts, NULL, "GET", "/api/v1/me", other, NULL, -1);
  g_assert_cmpuint (still->status, ==, 200);
  none = test_http (ts, NULL, "GET", "/api/v1/me", NULL, NULL, -1);
  test_assert_problem (none, 401, NULL);
  bogus = test_http (ts, NULL, "GET", "/api/v1/me", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                     NULL, -1);
  test_assert_problem (bogus, 401, NULL);
  test_server_free (ts);
}

static void
test_login_role (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autoptr(TestReply) wrong_role = NULL;

  /* nav_a holds no clinician role. */
  wrong_role = test_http (ts, NULL, "POST", "/api/v1/login", NULL,
                          "{\"username\":\"nav_a\",\"password\":\"" TEST_PASSWORD "\","
                          "\"role\":\"clinician\"}", -1);
  test_assert_problem (wrong_role, 403, "role");
  test_server_free (ts);
}

static void
test_healthz (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autoptr(TestReply) reply = test_http (ts, NULL, "GET", "/api/v1/healthz", NULL, NULL, -1);
  g_autoptr(JsonObject) object = test_reply_json (reply);

  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "ok");
  test_server_free (ts);
}

static void
tls_done (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  g_autoptr(GError) error = NULL;
  GBytes **body = data;

  *body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
}

static TestReply *
login_from (TestServer *ts,
            const char *username,
            const char *forwarded_for)
{
  g_autofree char *uri = g_strconcat (ts->base, "/api/v1/login", NULL);
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"wrong\"}", username);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) reply_body = NULL;
  TestReply *reply = g_new0 (TestReply, 1);

  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Forwarded-For",
                                forwarded_for);
  soup_session_send_and_read_async (ts->session, msg, G_PRIORITY_DEFAULT, NULL, tls_done, &reply_body);
  while (reply_body == NULL)
    g_main_context_iteration (NULL, TRUE);
  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  reply->length = g_bytes_get_size (reply_body);
  reply->body = g_strndup (g_bytes_get_data (reply_body, NULL), reply->length);
  return reply;
}

/* Behind the trusted proxy the client is the address the proxy appended;
 * anyone else's X-Forwarded-For is ignored. (TEST-NET addresses.) */
static void
test_trusted_proxy (void)
{
  SignpostServerOptions options;
  TestServer *ts, *direct;
  g_autoptr(TestReply) limited = NULL;
  g_autoptr(TestReply) other = NULL;
  g_autoptr(TestReply) spoofed = NULL;

  signpost_server_options_init (&options);
  options.trusted_proxy = "127.0.0.1";
  ts = test_server_new (&options);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("nobody%u", i);
      g_autoptr(TestReply) reply = login_from (ts, name, "198.51.100.7, 203.0.113.5");

      test_assert_problem (reply, 401, NULL);
    }
  limited = login_from (ts, "nobody9", "203.0.113.5");
  test_assert_problem (limited, 429, NULL);
  other = login_from (ts, "nobody9", "203.0.113.6");
  test_assert_problem (other, 401, NULL);
  test_server_free (ts);

  /* No trusted proxy: the header is the client's word, and ignored. */
  direct = test_server_new (NULL);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("nobody%u", i);
      g_autofree char *forged = g_strdup_printf ("203.0.113.%u", 10 + i);
      g_autoptr(TestReply) reply = login_from (direct, name, forged);

      test_assert_problem (reply, 401, NULL);
    }
  spoofed = login_from (direct, "nobody9", "203.0.113.99");
  test_assert_problem (spoofed, 429, NULL);
  test_server_free (direct);
}

/* A client that hangs up while its password is being checked: the server
 * drops the answer, and still counts the failure. */
static void
test_login_disconnect (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(TestReply) limited = NULL;
  g_autoptr(GError) error = NULL;
  const char *body = "{\"username\":\"nav_a\",\"password\":\"guess\"}";
  g_autofree char *request = g_strdup_printf ("POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                              "Content-Length: %zu\r\n\r\n%s", strlen (body), body);

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(GSocketConnection) connection = NULL;

      connection = g_socket_client_connect_to_host (client, "127.0.0.1",
                                                    signpost_server_get_port (ts->server), NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                                request, strlen (request), NULL, NULL, &error));
      /* Wait until the server has it, then hang up. */
      while (signpost_server_get_n_in_flight (ts->server) == 0)
        g_main_context_iteration (NULL, TRUE);
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      while (signpost_server_get_n_in_flight (ts->server) > 0)
        g_main_context_iteration (NULL, TRUE);
    }
  /* Let the password checks finish. */
  test_sleep (1500);
  limited = test_http (ts, NULL, "POST", "/api/v1/login", NULL,
                       "{\"username\":\"nav_a\",\"password\":\"" TEST_PASSWORD "\"}", -1);
  test_assert_problem (limited, 429, NULL);
  test_server_free (ts);
}

static void
wss_connected (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  g_autoptr(GError) error = NULL;

  *(SoupWebsocketConnection **) data = soup_session_websocket_connect_finish (SOUP_SESSION (source),
                                                                              result, &error);
  g_assert_no_error (error);
}

static void
wss_message (SoupWebsocketConnection *connection,
             SoupWebsocketDataType    type,
             GBytes                  *message,
             gpointer                 data)
{
  *(gboolean *) data = g_strstr_len (g_bytes_get_data (message, NULL), g_bytes_get_size (message),
                                     "\"hello\"") != NULL;
}

/* HTTPS and WSS with --tls-cert/--tls-key. Run in a child process that
 * leaves with _exit(): LeakSanitizer crashes on the thread-local storage of
 * the dlopen()ed TLS backend (a known sanitizer bug), so the process that
 * loads glib-networking must not reach its leak check. */
static void
tls_in_child (void)
{
  g_autofree char *cert = g_test_build_filename (G_TEST_DIST, "tls-test-cert.pem", NULL);
  g_autofree char *key = g_test_build_filename (G_TEST_DIST, "tls-test-key.pem", NULL);
  TestServer *ts = NULL;
  g_autoptr(SignpostServer) server = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(SoupMessage) upgrade = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(JsonObject) login = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *live_uri = NULL;
  g_autofree char *header = NULL;
  SoupWebsocketConnection *connection = NULL;
  gboolean hello = FALSE;

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("no TLS backend (glib-networking)");
      return;
    }
  ts = test_server_new (NULL);
  server = signpost_server_new (test_server_store (ts), NULL);
  signpost_server_listen (server, "127.0.0.1", 0, cert, key, &error);
  g_assert_no_error (error);
  g_assert_true (signpost_server_is_https (server));

  /* The client trusts our test certificate and nothing else. */
  database = g_tls_file_database_new (cert, &error);
  g_assert_no_error (error);
  session = soup_session_new_with_options ("tls-database", database, NULL);
  uri = g_strdup_printf ("https://127.0.0.1:%u/api/v1/login", signpost_server_get_port (server));
  msg = soup_message_new ("POST", uri);
  {
    const char *text = "{\"username\":\"nav_a\",\"password\":\"" TEST_PASSWORD "\"}";
    g_autoptr(GBytes) request = g_bytes_new_static (text, strlen (text));

    soup_message_set_request_body_from_bytes (msg, "application/json", request);
  }
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, tls_done, &body);
  while (body == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  login = signpost_json_parse_object (g_bytes_get_data (body, NULL), g_bytes_get_size (body), 0, NULL);
  g_assert_nonnull (login);

  live_uri = g_strdup_printf ("wss://127.0.0.1:%u/api/v1/live", signpost_server_get_port (server));
  upgrade = soup_message_new ("GET", live_uri);
  header = g_strconcat ("Bearer ", json_object_get_string_member (login, "token"), NULL);
  soup_message_headers_replace (soup_message_get_request_headers (upgrade), "Authorization", header);
  soup_session_websocket_connect_async (session, upgrade, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        wss_connected, &connection);
  while (connection == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_signal_connect (connection, "message", G_CALLBACK (wss_message), &hello);
  test_wait_until (&hello, 5000);
  soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_signal_handlers_disconnect_by_data (connection, &hello);
  g_object_unref (connection);

  g_clear_object (&server);
  test_server_free (ts);
  _exit (0);
}

static void
test_tls (void)
{
  if (g_test_subprocess ())
    {
      tls_in_child ();
      return;
    }
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/server/auth/healthz", test_healthz);
  g_test_add_func ("/signpost/server/auth/login", test_login_ok);
  g_test_add_func ("/signpost/server/auth/wrong", test_login_wrong);
  g_test_add_func ("/signpost/server/auth/rate-limit", test_login_rate_limit);
  g_test_add_func ("/signpost/server/auth/expired", test_token_expired);
  g_test_add_func ("/signpost/server/auth/revoked", test_token_revoked);
  g_test_add_func ("/signpost/server/auth/role", test_login_role);
  g_test_add_func ("/signpost/server/auth/disconnect", test_login_disconnect);
  g_test_add_func ("/signpost/server/auth/trusted-proxy", test_trusted_proxy);
  g_test_add_func ("/signpost/server/auth/tls", test_tls);

  return g_test_run ();
}
