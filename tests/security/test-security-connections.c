/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "security-test-util.h"

/*
 * Connections to a real signpost-server process: that every connection a
 * client closes gives its descriptor back (issue 12, item 1), and that
 * nobody without a token makes the server read a body, nor holds a
 * connection by being slow or silent (item 7).
 */

#define SOAK_CONNECTIONS 5000
#define WARM_UP_CONNECTIONS 400

/* Under AddressSanitizer freed memory waits in a quarantine of up to
 * 256 MiB, so the server's RSS says nothing about leaks there: the
 * figures are printed, and checked only in a normal build. */
#if defined(__SANITIZE_ADDRESS__)
#define CHECK_RSS FALSE
#else
#define CHECK_RSS TRUE
#endif

typedef enum {
  KIND_PLAIN,             /* a complete reply, then the client hangs up */
  KIND_NO_TOKEN,          /* 401, no body */
  KIND_NO_TOKEN_BODY,     /* 401 to a request with a body: refused unread */
  KIND_TOO_LARGE,         /* 413 */
  KIND_CHUNKED,           /* 411 */
  KIND_NOT_FOUND,         /* 404 */
  KIND_GARBAGE,           /* libsoup's own 400 */
  KIND_WEBSOCKET_DROP,    /* a WebSocket whose client just goes */
  KIND_WEBSOCKET_CLOSE,   /* a WebSocket closed properly */
  KIND_RESET,             /* a complete reply, then a reset */
  N_KINDS
} Kind;

static void
one_connection (guint        port,
                const char  *token,
                Kind         kind)
{
  g_autoptr(GSocket) socket = NULL;
  int status = 0;

  switch (kind)
    {
    case KIND_PLAIN:
    case KIND_RESET:
      socket = raw_connect (port);
      raw_send (socket, "GET /api/v1/healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", -1);
      status = raw_read_response (socket, NULL);
      g_assert_cmpint (status, ==, 200);
      if (kind == KIND_RESET)
        {
          /* SO_LINGER 0: close() sends RST instead of FIN. */
          struct linger linger = { 1, 0 };

          setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
        }
      break;
    case KIND_NO_TOKEN:
      socket = raw_connect (port);
      raw_send (socket, "GET /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", -1);
      g_assert_cmpint (raw_read_response (socket, NULL), ==, 401);
      break;
    case KIND_NO_TOKEN_BODY:
      socket = raw_connect (port);
      raw_send (socket, "POST /api/v1/mutations HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        "Content-Type: application/json\r\nContent-Length: 16\r\n\r\n"
                        "{\"mutations\":[]}", -1);
      g_assert_cmpint (raw_read_response (socket, NULL), ==, 401);
      break;
    case KIND_TOO_LARGE:
      socket = raw_connect (port);
      raw_send (socket, "POST /api/v1/mutations HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        "Content-Length: 99999999\r\n\r\n", -1);
      g_assert_cmpint (raw_read_response (socket, NULL), ==, 413);
      break;
    case KIND_CHUNKED:
      socket = raw_connect (port);
      raw_send (socket, "POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        "Transfer-Encoding: chunked\r\n\r\n", -1);
      g_assert_cmpint (raw_read_response (socket, NULL), ==, 411);
      break;
    case KIND_NOT_FOUND:
      socket = raw_connect (port);
      raw_send (socket, "GET /nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", -1);
      g_assert_cmpint (raw_read_response (socket, NULL), ==, 404);
      break;
    case KIND_GARBAGE:
      socket = raw_connect (port);
      raw_send (socket, "HELLO THERE\r\n\r\n", -1);
      g_assert_cmpint (raw_read_response (socket, NULL), ==, 400);
      break;
    case KIND_WEBSOCKET_DROP:
      socket = raw_websocket (port, token);
      break;
    case KIND_WEBSOCKET_CLOSE:
      {
        /* A masked close frame, code 1000; then the server's close. */
        static const guint8 close_frame[] = { 0x88, 0x82, 0x01, 0x02, 0x03, 0x04,
                                              0x03 ^ 0x01, 0xe8 ^ 0x02 };

        socket = raw_websocket (port, token);
        raw_send (socket, (const char *) close_frame, sizeof close_frame);
        g_assert_true (raw_wait_closed (socket, 10000));
      }
      break;
    case N_KINDS:
    default:
      g_assert_not_reached ();
    }
  g_socket_close (socket, NULL);
}

static void
connections (guint       port,
             const char *token,
             guint       n)
{
  for (guint i = 0; i < n; i++)
    one_connection (port, token, i % N_KINDS);
}

/* Item 1: 5,000 connections closed by their clients (complete replies,
 * refusals of every kind, WebSockets dropped or closed, resets), and the
 * server holds no more descriptors than before, nor much more memory. */
static void
test_client_closed_soak (void)
{
  g_autoptr(RealServer) server = real_server_start (NULL);
  g_autofree char *token = real_server_login (server, "nav");
  guint fds_before, fds_after;
  guint64 rss_before, rss_after;

  /* Warm up: threads, caches and the first of every kind of reply. */
  connections (server->port, token, WARM_UP_CONNECTIONS);
  real_server_wait_fds (server, 0, 1000);
  fds_before = real_server_count_fds (server);
  rss_before = real_server_rss_kib (server);

  connections (server->port, token, SOAK_CONNECTIONS);
  /* The server notices each hang-up a moment after it happens. */
  real_server_wait_fds (server, fds_before, 15000);
  fds_after = real_server_count_fds (server);
  rss_after = real_server_rss_kib (server);
  g_test_message ("%u client-closed connections: descriptors %u before, %u after; "
                  "RSS %" G_GUINT64_FORMAT " KiB before, %" G_GUINT64_FORMAT " KiB after",
                  SOAK_CONNECTIONS, fds_before, fds_after, rss_before, rss_after);
  g_assert_cmpuint (fds_after, <=, fds_before);
  /* Each connection libsoup forgot held a few KiB: 5,000 of them 5 MiB. */
  if (CHECK_RSS)
    g_assert_cmpuint (rss_after, <, rss_before + 2 * 1024);
}

/* Item 7: a request without a token is refused before any of its body is
 * read: the reply comes while the body is still unsent. */
static void
test_unauthenticated_body_unread (void)
{
  g_autoptr(RealServer) server = real_server_start (NULL);
  g_autoptr(GSocket) socket = raw_connect (server->port);

  raw_send (socket, "POST /api/v1/mutations HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    "Content-Type: application/json\r\nContent-Length: 900000\r\n\r\n", -1);
  g_assert_cmpint (raw_read_response (socket, NULL), ==, 401);
  g_assert_true (raw_wait_closed (socket, 10000));

  /* Likewise a wrong token, an unknown address and the wrong method. */
  {
    g_autoptr(GSocket) other = raw_connect (server->port);

    raw_send (other, "POST /api/v1/mutations HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "Authorization: Bearer not-a-token\r\nContent-Length: 900000\r\n\r\n", -1);
    g_assert_cmpint (raw_read_response (other, NULL), ==, 401);
  }
  {
    g_autoptr(GSocket) other = raw_connect (server->port);

    raw_send (other, "POST /api/v1/nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "Content-Length: 900000\r\n\r\n", -1);
    g_assert_cmpint (raw_read_response (other, NULL), ==, 404);
  }
  {
    g_autoptr(GSocket) other = raw_connect (server->port);

    raw_send (other, "PUT /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "Content-Length: 60000\r\n\r\n", -1);
    g_assert_cmpint (raw_read_response (other, NULL), ==, 405);
  }
}

/* Item 7: 200 clients without a token each start a ~1 MB body and stall.
 * The server's memory stays put, and it lets every one of them go. */
static void
test_stalled_bodies (void)
{
  g_autoptr(RealServer) server = real_server_start (NULL);
  g_autoptr(GPtrArray) sockets = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *chunk = g_malloc0 (64 * 1024);
  guint64 rss_before, rss_peak = 0;
  guint fds_before, answered = 0;

  memset (chunk, ' ', 64 * 1024);
  /* Warm up (threads, caches): every kind of connection once. */
  connections (server->port, NULL, KIND_WEBSOCKET_DROP);
  real_server_wait_fds (server, 0, 1000);
  fds_before = real_server_count_fds (server);
  rss_before = real_server_rss_kib (server);
  for (guint i = 0; i < 200; i++)
    {
      GSocket *socket = raw_connect (server->port);

      raw_send (socket, "POST /api/v1/mutations HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        "Content-Type: application/json\r\nContent-Length: 1000000\r\n\r\n", -1);
      /* As much of the body as the connection takes without blocking. */
      g_socket_set_blocking (socket, FALSE);
      for (guint sent = 0; sent < 900 * 1024;)
        {
          gssize n = g_socket_send (socket, chunk, 64 * 1024, NULL, NULL);

          if (n <= 0)
            break;
          sent += n;
        }
      g_ptr_array_add (sockets, socket);
      rss_peak = MAX (rss_peak, real_server_rss_kib (server));
    }
  /* Each body held in memory would be ~1 MB: 200 MB in all. */
  g_test_message ("RSS %" G_GUINT64_FORMAT " KiB before, at most %" G_GUINT64_FORMAT
                  " KiB while 200 bodies stall", rss_before, rss_peak);
  if (CHECK_RSS)
    g_assert_cmpuint (rss_peak, <, rss_before + 48 * 1024);
  for (guint i = 0; i < sockets->len; i++)
    {
      GSocket *socket = g_ptr_array_index (sockets, i);

      g_socket_set_blocking (socket, TRUE);
      if (raw_read_response (socket, NULL) == 401)
        answered++;
      rss_peak = MAX (rss_peak, real_server_rss_kib (server));
    }
  real_server_wait_fds (server, fds_before, 20000);
  g_test_message ("200 stalled unauthenticated ~1 MB bodies: RSS %" G_GUINT64_FORMAT
                  " KiB before, at most %" G_GUINT64_FORMAT " KiB during; %u answered 401; "
                  "descriptors %u before, %u after",
                  rss_before, rss_peak, answered, fds_before, real_server_count_fds (server));
  g_assert_cmpuint (answered, ==, 200);
  g_assert_cmpuint (real_server_count_fds (server), <=, fds_before);
}

/* Item 7: the phone system's webhook takes small bodies only, and its
 * signature is checked on a body that must arrive in time. */
static void
test_webhook_bounded (void)
{
  const char * const args[] = { "--request-timeout", "2", NULL };
  g_autoptr(RealServer) server = real_server_start (args);
  g_autoptr(GSocket) stalled = NULL;
  g_autofree char *body = NULL;

  g_assert_cmpint (raw_request (server->port,
                                "POST /api/v1/telephony/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                "Content-Length: 200000\r\n\r\n", &body), ==, 413);
  g_assert_nonnull (strstr (body, "too-large"));

  stalled = raw_connect (server->port);
  raw_send (stalled, "POST /api/v1/telephony/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "X-Signpost-Timestamp: 1\r\nX-Signpost-Signature: sha256=00\r\n"
                     "Content-Length: 1000\r\n\r\n{\"event\":", -1);
  g_assert_cmpint (raw_read_response (stalled, NULL), ==, 408);
  g_assert_true (raw_wait_closed (stalled, 20000));
}

/* Item 7: silent, slow (one header byte at a time) and kept-alive idle
 * connections are all closed in the end. */
static void
test_slow_and_idle (void)
{
  const char * const args[] = { "--request-timeout", "2", "--keepalive-timeout", "2", NULL };
  g_autoptr(RealServer) server = real_server_start (args);
  g_autoptr(GSocket) silent = NULL;
  g_autoptr(GSocket) slow = NULL;
  g_autoptr(GSocket) idle = NULL;
  const char *request = "GET /api/v1/healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";
  gboolean slow_closed = FALSE;
  guint fds_before;

  /* The server's own descriptors, once it has served a request. */
  connections (server->port, NULL, KIND_WEBSOCKET_DROP);
  real_server_wait_fds (server, 0, 1000);
  fds_before = real_server_count_fds (server);

  silent = raw_connect (server->port);
  slow = raw_connect (server->port);
  idle = raw_connect (server->port);
  raw_send (idle, "GET /api/v1/healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", -1);
  g_assert_cmpint (raw_read_response (idle, NULL), ==, 200);

  /* A slowloris client: a byte every 200 ms, for as long as the server
   * takes it. */
  for (const char *p = request; *p != '\0' && !slow_closed; p++)
    {
      if (!raw_send (slow, p, 1))
        slow_closed = TRUE;
      sleep_ms (200);
      if (g_socket_condition_check (slow, G_IO_IN | G_IO_HUP))
        slow_closed = TRUE;
    }
  g_assert_true (slow_closed);
  g_assert_cmpint (raw_read_response (slow, NULL), ==, 408);
  g_assert_true (raw_wait_closed (silent, 20000));
  g_assert_true (raw_wait_closed (idle, 20000));
  /* All three let go: the server holds what it held before them. */
  real_server_wait_fds (server, fds_before, 10000);
  g_assert_cmpuint (real_server_count_fds (server), <=, fds_before);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/security/connections/client-closed-soak", test_client_closed_soak);
  g_test_add_func ("/signpost/security/connections/unauthenticated-body-unread",
                   test_unauthenticated_body_unread);
  g_test_add_func ("/signpost/security/connections/stalled-bodies", test_stalled_bodies);
  g_test_add_func ("/signpost/security/connections/webhook-bounded", test_webhook_bounded);
  g_test_add_func ("/signpost/security/connections/slow-and-idle", test_slow_and_idle);
  return g_test_run ();
}
