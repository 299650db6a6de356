/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "server-test-util.h"
#include "signpost-live.h"

static JsonObject *
create_patient (TestServer *ts,
                const char *token,
                const char *practice_id)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *data = g_strdup_printf ("{\"practice_id\":\"%s\",\"given_name\":\"Live\","
                                           "\"family_name\":\"Push\",\"date_of_birth\":\"1970-05-05\","
                                           "\"sex\":\"female\"}", practice_id);

  return test_mutate_one (ts, token, "patient", "create", id, 0, data);
}

static void
test_push_after_mutation (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *nav_a = test_login (ts, "nav_a");
  g_autofree char *nav_b = test_login (ts, "nav_b");
  g_autoptr(GError) error = NULL;
  TestLive *live_a = test_live_connect (ts, nav_a);
  TestLive *live_b = test_live_connect (ts, nav_b);
  g_autoptr(JsonObject) hello = test_live_wait (live_a, "hello", 2000);
  g_autoptr(JsonObject) hello_b = test_live_wait (live_b, "hello", 2000);
  g_autoptr(JsonObject) result = NULL;
  g_autoptr(JsonObject) notice = NULL;
  g_autoptr(JsonObject) nothing = NULL;
  gint64 sent_at;

  g_assert_nonnull (hello);
  g_assert_nonnull (hello_b);
  g_assert_cmpint (json_object_get_int_member (hello, "last_seq"), ==,
                   signpost_store_get_last_seq (test_server_store (ts), &error));

  sent_at = g_get_monotonic_time ();
  result = create_patient (ts, nav_a, ts->practice_a);
  notice = test_live_wait (live_a, "changes", 2000);
  g_assert_nonnull (notice);
  g_test_message ("notice after %.1f ms", (g_get_monotonic_time () - sent_at) / 1000.0);
  g_assert_cmpint (json_object_get_int_member (notice, "last_seq"), ==,
                   json_object_get_int_member (result, "seq"));
  /* Practice B's navigator is not told about practice A. */
  nothing = test_live_wait (live_b, "changes", 300);
  g_assert_null (nothing);

  test_live_free (live_a);
  test_live_free (live_b);
  test_server_free (ts);
}

static void
test_push_after_webhook (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *nav = test_login (ts, "nav_a");
  g_autofree char *mgr = test_login (ts, "mgr_a");
  g_autofree char *admin = test_login (ts, "admin");
  g_autofree char *nav_b = test_login (ts, "nav_b");
  TestLive *live_nav = test_live_connect (ts, nav);
  TestLive *live_mgr = test_live_connect (ts, mgr);
  TestLive *live_admin = test_live_connect (ts, admin);
  TestLive *live_b = test_live_connect (ts, nav_b);
  g_autofree char *body = test_event_json ("call.offered", "live-1", TEST_LINE_A, "07700900555",
                                           NULL, NULL);
  g_autoptr(TestReply) reply = NULL;
  g_autoptr(JsonObject) accepted = NULL;
  g_autoptr(JsonObject) event = NULL;
  g_autoptr(JsonObject) redacted = NULL;
  g_autoptr(JsonObject) none = NULL;
  g_autoptr(JsonObject) none_b = NULL;
  g_autoptr(JsonObject) changes = NULL;
  g_autoptr(JsonObject) answered = NULL;
  g_autoptr(JsonObject) answer = NULL;

  g_assert_nonnull (test_live_wait (live_nav, "hello", 2000));
  reply = test_webhook (ts, TEST_SECRET_A, body, 0);
  g_assert_cmpuint (reply->status, ==, 200);
  accepted = test_reply_json (reply);

  event = test_live_wait (live_nav, "call", 2000);
  g_assert_nonnull (event);
  g_assert_cmpstr (json_object_get_string_member (event, "event"), ==, "offered");
  g_assert_cmpstr (json_object_get_string_member (event, "call_id"), ==,
                   json_object_get_string_member (accepted, "call_id"));
  g_assert_cmpstr (json_object_get_string_member (event, "cli"), ==, "+447700900555");
  g_assert_cmpstr (json_object_get_string_member (event, "practice_id"), ==, ts->practice_a);
  g_assert_cmpstr (json_object_get_string_member (event, "line"), ==, TEST_LINE_A);
  changes = test_live_wait (live_nav, "changes", 2000);
  g_assert_nonnull (changes);

  /* Managers see the call, not who is calling. */
  redacted = test_live_wait (live_mgr, "call", 2000);
  g_assert_nonnull (redacted);
  g_assert_true (json_object_get_null_member (redacted, "cli"));
  /* Admins see no calls; another practice's navigator neither. */
  none = test_live_wait (live_admin, "call", 300);
  g_assert_null (none);
  none_b = test_live_wait (live_b, "call", 100);
  g_assert_null (none_b);

  answer = test_mutate_one (ts, nav, "call", "answer",
                            json_object_get_string_member (accepted, "call_id"), 0, NULL);
  answered = test_live_wait (live_mgr, "call", 2000);
  g_assert_nonnull (answered);
  g_assert_cmpstr (json_object_get_string_member (answered, "event"), ==, "answered");
  g_assert_nonnull (json_object_get_string_member (answered, "answered_by"));

  test_live_free (live_nav);
  test_live_free (live_mgr);
  test_live_free (live_admin);
  test_live_free (live_b);
  test_server_free (ts);
}

static void
test_ping_idle (void)
{
  SignpostServerOptions options;
  TestServer *ts;
  g_autofree char *token = NULL;
  TestLive *alive, *silent;

  signpost_server_options_init (&options);
  options.ping_interval_ms = 50;
  options.idle_timeout_ms = 300;
  ts = test_server_new (&options);
  token = test_login (ts, "nav_a");
  alive = test_live_connect (ts, token);
  silent = test_live_connect (ts, token);
  silent->answer_pings = FALSE;

  test_sleep (1000);
  /* Pinged about every 50 ms; the one that answers stays. */
  g_assert_cmpuint (alive->pings, >=, 5);
  g_assert_false (alive->closed);
  test_wait_until (&silent->closed, 3000);
  g_assert_cmpuint (silent->close_code, ==, SIGNPOST_LIVE_CLOSE_RESYNC);
  g_assert_cmpuint (signpost_live_get_n_clients (signpost_server_get_live (ts->server)), ==, 1);

  test_live_free (alive);
  test_live_free (silent);
  test_server_free (ts);
}

static void
test_signed_out (void)
{
  SignpostServerOptions options;
  TestServer *ts;
  g_autofree char *token = NULL;
  g_autoptr(TestReply) logout = NULL;
  TestLive *live;

  signpost_server_options_init (&options);
  options.ping_interval_ms = 50;
  ts = test_server_new (&options);
  token = test_login (ts, "nav_a");
  live = test_live_connect (ts, token);
  g_assert_nonnull (test_live_wait (live, "hello", 2000));
  logout = test_http (ts, NULL, "POST", "/api/v1/logout", token, NULL, -1);
  g_assert_cmpuint (logout->status, ==, 200);
  test_wait_until (&live->closed, 3000);
  g_assert_cmpuint (live->close_code, ==, SIGNPOST_LIVE_CLOSE_SIGNED_OUT);
  test_live_free (live);
  test_server_free (ts);
}

static void
test_refused (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autoptr(TestReply) plain = NULL;
  g_autoptr(TestReply) no_token = NULL;
  g_autofree char *token = test_login (ts, "nav_a");

  /* Not a WebSocket handshake. */
  plain = test_http (ts, NULL, "GET", "/api/v1/live", token, NULL, -1);
  test_assert_problem (plain, 400, NULL);
  no_token = test_http (ts, NULL, "GET", "/api/v1/live", NULL, NULL, -1);
  test_assert_problem (no_token, 401, NULL);
  test_server_free (ts);
}

/* ---- a client that stops reading --------------------------------------- */

typedef struct {
  GSocket *socket;
  GByteArray *data;
} RawClient;

static RawClient *
raw_connect (TestServer *ts,
             const char *token)
{
  RawClient *raw = g_new0 (RawClient, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback,
                                                                 signpost_server_get_port (ts->server));
  g_autoptr(GError) error = NULL;
  g_autofree char *request = NULL;
  int small = 4096;

  raw->socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                              G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  /* A small window, so that the server's socket fills soon. */
  setsockopt (g_socket_get_fd (raw->socket), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
  g_assert_true (g_socket_connect (raw->socket, address, NULL, &error));
  request = g_strdup_printf ("GET /api/v1/live HTTP/1.1\r\n"
                             "Host: 127.0.0.1\r\n"
                             "Upgrade: websocket\r\n"
                             "Connection: Upgrade\r\n"
                             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                             "Sec-WebSocket-Version: 13\r\n"
                             "Authorization: Bearer %s\r\n\r\n", token);
  g_assert_cmpint (g_socket_send (raw->socket, request, strlen (request), NULL, &error), ==,
                   (gssize) strlen (request));
  g_socket_set_blocking (raw->socket, FALSE);
  raw->data = g_byte_array_new ();
  return raw;
}

static void
raw_free (RawClient *raw)
{
  g_socket_close (raw->socket, NULL);
  g_object_unref (raw->socket);
  g_byte_array_unref (raw->data);
  g_free (raw);
}

/* Reads everything now waiting; FALSE at end of stream. */
static gboolean
raw_read (RawClient *raw)
{
  guint8 buffer[65536];

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_socket_receive (raw->socket, (char *) buffer, sizeof buffer, NULL, &error);

      if (n > 0)
        g_byte_array_append (raw->data, buffer, n);
      else if (n == 0)
        return FALSE;
      else
        return TRUE;
    }
}

/* Walks the frames received after the handshake: counts text frames and
 * returns the close code, or 0 if no close frame has come yet. */
static guint
raw_frames (RawClient *raw,
            guint     *n_text)
{
  const guint8 *p = raw->data->data;
  const guint8 *end = p + raw->data->len;
  const guint8 *headers_end = NULL;

  *n_text = 0;
  for (const guint8 *q = p; q + 4 <= end; q++)
    if (memcmp (q, "\r\n\r\n", 4) == 0)
      {
        headers_end = q + 4;
        break;
      }
  if (headers_end == NULL)
    return 0;
  g_assert_true (g_str_has_prefix ((const char *) p, "HTTP/1.1 101"));
  p = headers_end;
  while (end - p >= 2)
    {
      guint opcode = p[0] & 0x0f;
      guint64 length = p[1] & 0x7f;
      gsize header = 2;

      g_assert_cmpuint (p[1] & 0x80, ==, 0);  /* servers do not mask */
      if (length == 126)
        {
          if (end - p < 4)
            break;
          length = (p[2] << 8) | p[3];
          header = 4;
        }
      else if (length == 127)
        {
          if (end - p < 10)
            break;
          length = 0;
          for (int i = 0; i < 8; i++)
            length = (length << 8) | p[2 + i];
          header = 10;
        }
      if ((guint64) (end - p) < header + length)
        break;
      if (opcode == 0x1)
        (*n_text)++;
      else if (opcode == 0x8)
        return length >= 2 ? (p[header] << 8) | p[header + 1] : 1005;
      p += header + length;
    }
  return 0;
}

static guint
drain_calls (TestLive *live)
{
  guint n = 0;

  while (!g_queue_is_empty (&live->messages))
    {
      JsonObject *object = g_queue_pop_head (&live->messages);

      if (g_strcmp0 (json_object_get_string_member (object, "kind"), "call") == 0)
        n++;
      json_object_unref (object);
    }
  return n;
}

static void
test_slow_client (void)
{
  SignpostServerOptions options;
  TestServer *ts;
  g_autofree char *token = NULL;
  g_autofree char *padding = NULL;
  SignpostLive *hub;
  TestLive *fast;
  RawClient *slow;
  guint sent = 0, fast_received = 0, slow_received = 0, code = 0;
  gint64 deadline;

  signpost_server_options_init (&options);
  options.max_backlog = 32;
  ts = test_server_new (&options);
  hub = signpost_server_get_live (ts->server);
  token = test_login (ts, "nav_a");
  fast = test_live_connect (ts, token);
  slow = raw_connect (ts, token);
  while (signpost_live_get_n_clients (hub) < 2)
    g_main_context_iteration (NULL, TRUE);

  /* Big call events, as fast as the hub will take them; the slow client
   * reads nothing meanwhile. */
  padding = g_strnfill (8000, 'x');
  for (sent = 0; sent < 400; sent++)
    {
      g_autoptr(JsonObject) event = json_object_new ();

      json_object_set_string_member (event, "kind", "call");
      json_object_set_string_member (event, "event", "offered");
      json_object_set_string_member (event, "practice_id", ts->practice_a);
      json_object_set_string_member (event, "padding", padding);
      signpost_live_send_call_event (hub, event);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      fast_received += drain_calls (fast);
    }

  /* The fast client was never held up. */
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (fast_received < sent && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, TRUE);
      fast_received += drain_calls (fast);
    }
  g_assert_cmpuint (fast_received, ==, sent);
  g_assert_false (fast->closed);

  /* The slow one now reads what was sent to it: some events, then 4000. */
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (code == 0 && g_get_monotonic_time () < deadline)
    {
      gboolean open = raw_read (slow);

      code = raw_frames (slow, &slow_received);
      if (!open)
        break;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_test_message ("slow client got %u of %u events, then close %u", slow_received, sent, code);
  g_assert_cmpuint (code, ==, SIGNPOST_LIVE_CLOSE_RESYNC);
  g_assert_cmpuint (slow_received, <, sent);

  raw_free (slow);
  test_live_free (fast);
  test_server_free (ts);
}

/* ---- shutdown ---------------------------------------------------------- */

static void
shutdown_done (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  g_assert_true (signpost_server_shutdown_finish (SIGNPOST_SERVER (source), result, NULL));
  *(gboolean *) data = TRUE;
}

static void
test_shutdown (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *token = test_login (ts, "nav_a");
  TestLive *live = test_live_connect (ts, token);
  TestReply *login = NULL;
  guint pending = 0;
  gboolean done = FALSE;

  g_assert_nonnull (test_live_wait (live, "hello", 2000));
  /* A sign-in is being checked (in a thread) when the signal comes. */
  test_http_start (ts, NULL, "POST", "/api/v1/login", NULL,
                   "{\"username\":\"nav_b\",\"password\":\"" TEST_PASSWORD "\"}", &login, &pending);
  while (signpost_server_get_n_in_flight (ts->server) == 0)
    g_main_context_iteration (NULL, TRUE);
  signpost_server_shutdown_async (ts->server, NULL, shutdown_done, &done);
  test_wait_until (&done, 12000);
  while (pending > 0)
    g_main_context_iteration (NULL, TRUE);

  /* In flight: finished. Live: closed, going away. */
  g_assert_no_error (login->error);
  g_assert_cmpuint (login->status, ==, 200);
  test_wait_until (&live->closed, 3000);
  g_assert_cmpuint (live->close_code, ==, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);

  test_reply_free (login);
  test_live_free (live);
  test_server_free (ts);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/server/live/push-after-mutation", test_push_after_mutation);
  g_test_add_func ("/signpost/server/live/push-after-webhook", test_push_after_webhook);
  g_test_add_func ("/signpost/server/live/ping-idle", test_ping_idle);
  g_test_add_func ("/signpost/server/live/signed-out", test_signed_out);
  g_test_add_func ("/signpost/server/live/refused", test_refused);
  g_test_add_func ("/signpost/server/live/slow-client", test_slow_client);
  g_test_add_func ("/signpost/server/live/shutdown", test_shutdown);

  return g_test_run ();
}
