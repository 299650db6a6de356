/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <string.h>
#include <gio/gnetworking.h>
#include <glib/gi18n-lib.h>

#include "signpost-guarded-input-stream.h"
#include "signpost-problem.h"
#include "signpost-soup-workarounds.h"

/*
 * Client connections, for libsoup 3.2.
 *
 * After a complete reply on a kept-alive connection, libsoup 3.2 waits for
 * the next request with a message that has no completion callback until
 * its first byte arrives. A client that hangs up before sending one (most
 * do: a console's idle connection, a phone system that sends each webhook
 * on a new connection) makes libsoup finish that message and stop: nobody
 * disconnects the connection, and its socket stays in CLOSE-WAIT, holding
 * a file descriptor, for as long as the server runs. (Fixed upstream in
 * 3.3.0 by commit d20c6601, "server: do not leak idle connections closed
 * by the client", which disconnects in that case.) The same libsoup
 * keeps an extra reference on the GSocket of every connection its
 * listener accepts (fixed in 3.4.0, commit b545d5f0), and has no timeouts
 * for idle or slow clients.
 *
 * So we accept connections ourselves and hand each to libsoup with
 * soup_server_accept_iostream(), its input side passing through a
 * SignpostGuardedInputStream. Between requests of a kept-alive connection
 * the end of the client's stream (or a reset) is hidden from libsoup,
 * and instead we do what upstream does: the connection is taken back
 * from libsoup through its newest message (soup_server_message_steal_-
 * connection(), which makes libsoup drop the connection, emitting
 * "disconnected") and closed. The same way out serves the timeouts: a
 * connection idle between requests, a request whose headers and body do
 * not arrive in time (slowloris), a TLS handshake that does not finish.
 * WebSockets and refused requests are taken over by their own code
 * (signpost_soup_guard_taken()); closing them closes the socket.
 *
 * libsoup keeps connections alive only while it has a listener, so the
 * listening socket is also given to libsoup; our accept runs at a higher
 * priority on the same socket and so always goes first.
 */

#define ACCEPT_BATCH 64
#define ACCEPT_RETRY_MS 200

typedef enum {
  CONN_HANDSHAKE,     /* TLS handshake in progress */
  CONN_FRESH,         /* with libsoup; no byte of its first request yet */
  CONN_READING,       /* a request is being read */
  CONN_ANSWERING,     /* read; being handled and answered */
  CONN_IDLE,          /* kept alive between requests */
  CONN_TAKEN,         /* taken over from libsoup (WebSocket, refusal) */
  CONN_CLOSED,
} ConnState;

typedef struct {
  SignpostSoupGuard *guard;           /* unowned; outlives its connections */
  GSocket *socket;
  GIOStream *base;                    /* GSocketConnection, or TLS over it */
  GSocketAddress *remote;             /* the object libsoup hands back */
  SignpostGuardedInputStream *input;  /* unowned; alive while we are */
  SoupServerMessage *last;            /* the connection's newest message */
  GCancellable *handshake_cancellable;
  ConnState state;
  guint timeout_id;
  guint release_id;
} Conn;

struct _SignpostSoupGuard
{
  SoupServer *soup;
  guint request_timeout_ms;
  guint idle_timeout_ms;
  GSocket *listener;
  GTlsCertificate *certificate;
  GSource *accept_source;
  guint accept_retry_id;
  GHashTable *conns;                  /* Conn* → Conn*, owned */
  gulong handler_ids[4];
  gboolean warned_accept;
};

static GQuark
conn_quark (void)
{
  static GQuark quark;

  if (quark == 0)
    quark = g_quark_from_static_string ("signpost-soup-guard-conn");
  return quark;
}

static void
conn_free (Conn *conn)
{
  g_clear_handle_id (&conn->timeout_id, g_source_remove);
  g_clear_handle_id (&conn->release_id, g_source_remove);
  if (conn->handshake_cancellable != NULL)
    {
      /* The handshake's callback finds no connection, and returns. */
      g_object_set_qdata (G_OBJECT (conn->handshake_cancellable), conn_quark (), NULL);
      g_cancellable_cancel (conn->handshake_cancellable);
    }
  g_clear_object (&conn->handshake_cancellable);
  if (conn->input != NULL)
    signpost_guarded_input_stream_detach (conn->input);
  if (conn->remote != NULL)
    g_object_set_qdata (G_OBJECT (conn->remote), conn_quark (), NULL);
  if (conn->base != NULL)
    g_io_stream_close (conn->base, NULL, NULL);
  /* Whatever state the stream was in, the descriptor goes now. */
  g_socket_close (conn->socket, NULL);
  g_clear_object (&conn->last);
  g_clear_object (&conn->base);
  g_clear_object (&conn->remote);
  g_clear_object (&conn->socket);
  g_free (conn);
}

static Conn *
conn_for_message (SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  return remote != NULL ? g_object_get_qdata (G_OBJECT (remote), conn_quark ()) : NULL;
}

/* Ends a connection that libsoup no longer holds. */
static void
conn_close (Conn *conn)
{
  conn->state = CONN_CLOSED;
  g_hash_table_remove (conn->guard->conns, conn);
}

/* Best effort, without waiting: a client that is not reading misses it. */
static void
conn_write_timeout_reply (Conn *conn)
{
  g_autoptr(JsonObject) problem = signpost_problem_new (SOUP_STATUS_REQUEST_TIMEOUT, "timeout",
                                                        _("Request timeout"),
                                                        _("The request did not arrive in time"),
                                                        NULL);
  GOutputStream *output = g_io_stream_get_output_stream (conn->base);
  g_autofree char *body = NULL;
  g_autofree char *reply = NULL;
  gsize length = 0;

  body = signpost_json_object_to_string (problem, &length);
  reply = g_strdup_printf ("HTTP/1.1 408 Request Timeout\r\n"
                           "Content-Type: application/problem+json\r\n"
                           "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                           "Cache-Control: no-store\r\n"
                           "Connection: close\r\n\r\n%s",
                           length, body);
  if (G_IS_POLLABLE_OUTPUT_STREAM (output))
    g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (output), reply,
                                                strlen (reply), NULL, NULL);
}

/* Takes the connection back from libsoup and closes it. Never called from
 * inside libsoup's own I/O: from a timeout or an idle callback only. */
static void
conn_release (Conn    *conn,
              gboolean timed_out)
{
  g_autoptr(GIOStream) stolen = NULL;

  if (conn->state == CONN_CLOSED || conn->state == CONN_TAKEN)
    return;
  g_clear_handle_id (&conn->timeout_id, g_source_remove);
  g_clear_handle_id (&conn->release_id, g_source_remove);
  if (timed_out && conn->state == CONN_READING)
    conn_write_timeout_reply (conn);
  if (conn->last != NULL)
    {
      /* libsoup drops the connection (and the message waiting on it);
       * closing what it gives back closes our stream, whose "closed"
       * hook ends the connection. */
      conn->state = CONN_TAKEN;
      stolen = soup_server_message_steal_connection (conn->last);
    }
  if (stolen != NULL)
    g_io_stream_close (stolen, NULL, NULL);
  else
    conn_close (conn);
}

static gboolean
conn_timeout_cb (gpointer data)
{
  Conn *conn = data;

  conn->timeout_id = 0;
  if (conn->state == CONN_HANDSHAKE)
    g_cancellable_cancel (conn->handshake_cancellable);
  else
    conn_release (conn, TRUE);
  return G_SOURCE_REMOVE;
}

static void
conn_set_timeout (Conn  *conn,
                  guint  ms)
{
  g_clear_handle_id (&conn->timeout_id, g_source_remove);
  if (ms > 0)
    conn->timeout_id = g_timeout_add (ms, conn_timeout_cb, conn);
}

static gboolean
conn_release_cb (gpointer data)
{
  Conn *conn = data;

  conn->release_id = 0;
  conn_release (conn, FALSE);
  return G_SOURCE_REMOVE;
}

/* ---- what the input stream tells us ------------------------------------ */

static void
conn_got_data (gpointer data)
{
  Conn *conn = data;

  if (conn->state == CONN_IDLE)
    {
      /* A new request: it has this long to arrive in full. */
      conn->state = CONN_READING;
      conn_set_timeout (conn, conn->guard->request_timeout_ms);
    }
  else if (conn->state == CONN_FRESH)
    conn->state = CONN_READING;     /* the deadline runs from the accept */
}

static gboolean
conn_got_end (gpointer data)
{
  Conn *conn = data;

  /* Only here is libsoup unable to cope (see the top of this file):
   * anywhere else a message with a completion callback is reading. */
  if (conn->state != CONN_IDLE)
    return FALSE;
  if (conn->release_id == 0)
    conn->release_id = g_idle_add_full (G_PRIORITY_HIGH, conn_release_cb, conn, NULL);
  return TRUE;
}

static void
conn_closed (gpointer data)
{
  Conn *conn = data;

  /* libsoup, or whoever took the connection over, is done with it. */
  conn->input = NULL;
  conn_close (conn);
}

static const SignpostGuardedInputStreamHooks conn_hooks = {
  conn_got_data,
  conn_got_end,
  conn_closed,
};

/* ---- libsoup's view of requests ----------------------------------------- */

static void
request_started_cb (SoupServer        *soup,
                    SoupServerMessage *msg,
                    SignpostSoupGuard *guard)
{
  Conn *conn = conn_for_message (msg);

  if (conn == NULL || conn->state == CONN_CLOSED || conn->state == CONN_TAKEN)
    return;
  /* The first message starts with the connection; later ones start with
   * their first byte, which may have been read with the previous request. */
  if (conn->last != NULL && conn->state == CONN_IDLE)
    conn_got_data (conn);
  g_set_object (&conn->last, msg);
}

static void
request_read_cb (SoupServer        *soup,
                 SoupServerMessage *msg,
                 SignpostSoupGuard *guard)
{
  Conn *conn = conn_for_message (msg);

  if (conn != NULL && msg == conn->last &&
      (conn->state == CONN_READING || conn->state == CONN_FRESH))
    {
      conn->state = CONN_ANSWERING;
      conn_set_timeout (conn, 0);
    }
}

static void
request_done_cb (SoupServer        *soup,
                 SoupServerMessage *msg,
                 SignpostSoupGuard *guard)
{
  Conn *conn = conn_for_message (msg);

  /* If libsoup keeps the connection, it waits here for the next request;
   * if not, it closes it straight after, and conn_closed() follows. */
  if (conn != NULL && msg == conn->last &&
      (conn->state == CONN_READING || conn->state == CONN_ANSWERING ||
       conn->state == CONN_FRESH))
    {
      conn->state = CONN_IDLE;
      conn_set_timeout (conn, guard->idle_timeout_ms);
    }
}

/* ---- accepting ---------------------------------------------------------- */

static void
conn_start (Conn *conn)
{
  SignpostSoupGuard *guard = conn->guard;
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (conn->socket, NULL);

  conn->remote = g_socket_get_remote_address (conn->socket, NULL);
  if (conn->remote == NULL || local == NULL)
    {
      conn_close (conn);
      return;
    }
  input = signpost_guarded_input_stream_new (g_io_stream_get_input_stream (conn->base),
                                             &conn_hooks, conn);
  conn->input = SIGNPOST_GUARDED_INPUT_STREAM (input);
  stream = g_simple_io_stream_new (input, g_io_stream_get_output_stream (conn->base));
  g_object_set_qdata (G_OBJECT (conn->remote), conn_quark (), conn);
  conn->state = CONN_FRESH;
  conn_set_timeout (conn, guard->request_timeout_ms);
  /* libsoup starts the first message (request-started) before returning. */
  soup_server_accept_iostream (guard->soup, stream, local, conn->remote, NULL);
}

static void
handshake_done (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  g_autoptr(GCancellable) cancellable = data;
  g_autoptr(GError) error = NULL;
  Conn *conn = g_object_get_qdata (G_OBJECT (cancellable), conn_quark ());
  gboolean done = g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error);

  /* No connection: it was closed (or the server went) meanwhile. */
  if (conn == NULL)
    return;
  g_clear_object (&conn->handshake_cancellable);
  if (!done)
    {
      g_debug ("TLS handshake failed: %s", error->message);
      conn_close (conn);
      return;
    }
  conn_start (conn);
}

static void
accept_one (SignpostSoupGuard *guard,
            GSocket           *socket)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) tcp = NULL;
  Conn *conn;

  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  tcp = g_socket_connection_factory_create_connection (socket);
  conn = g_new0 (Conn, 1);
  conn->guard = guard;
  conn->socket = g_object_ref (socket);
  g_hash_table_add (guard->conns, conn);

  if (guard->certificate == NULL)
    {
      conn->base = G_IO_STREAM (g_steal_pointer (&tcp));
      conn_start (conn);
      return;
    }

  conn->base = g_tls_server_connection_new (G_IO_STREAM (tcp), guard->certificate, &error);
  if (conn->base == NULL)
    {
      g_warning ("Could not start TLS: %s", error->message);
      conn_close (conn);
      return;
    }
  {
    static const char * const protocols[] = { "http/1.1", "http/1.0", NULL };

    g_tls_connection_set_advertised_protocols (G_TLS_CONNECTION (conn->base), protocols);
  }
  g_tls_connection_set_require_close_notify (G_TLS_CONNECTION (conn->base), FALSE);
  conn->state = CONN_HANDSHAKE;
  conn->handshake_cancellable = g_cancellable_new ();
  g_object_set_qdata (G_OBJECT (conn->handshake_cancellable), conn_quark (), conn);
  conn_set_timeout (conn, guard->request_timeout_ms);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (conn->base), G_PRIORITY_DEFAULT,
                                    conn->handshake_cancellable, handshake_done,
                                    g_object_ref (conn->handshake_cancellable));
}

static void accept_watch (SignpostSoupGuard *guard);

static gboolean
accept_retry_cb (gpointer data)
{
  SignpostSoupGuard *guard = data;

  guard->accept_retry_id = 0;
  accept_watch (guard);
  return G_SOURCE_REMOVE;
}

static gboolean
accept_cb (GSocket      *listener,
           GIOCondition  condition,
           gpointer      data)
{
  SignpostSoupGuard *guard = data;

  for (guint i = 0; i < ACCEPT_BATCH; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) socket = g_socket_accept (listener, NULL, &error);

      if (socket != NULL)
        {
          accept_one (guard, socket);
          continue;
        }
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;
      /* Out of descriptors, most likely: the client waits in the backlog
       * while we pause, rather than the loop spinning on it. */
      if (!guard->warned_accept)
        g_warning ("Could not accept a connection (will retry): %s", error->message);
      guard->warned_accept = TRUE;
      g_clear_pointer (&guard->accept_source, g_source_destroy);
      guard->accept_retry_id = g_timeout_add (ACCEPT_RETRY_MS, accept_retry_cb, guard);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
accept_watch (SignpostSoupGuard *guard)
{
  if (guard->listener == NULL || guard->accept_source != NULL)
    return;
  guard->accept_source = g_socket_create_source (guard->listener, G_IO_IN, NULL);
  /* Before libsoup's own accept on the same socket (see the top). */
  g_source_set_priority (guard->accept_source, G_PRIORITY_HIGH);
  g_source_set_callback (guard->accept_source, G_SOURCE_FUNC (accept_cb), guard, NULL);
  g_source_attach (guard->accept_source, NULL);
  g_source_unref (guard->accept_source);
}

/* ---- public ------------------------------------------------------------- */

/**
 * signpost_soup_guard_new:
 * @request_timeout_ms: how long a new connection, or a request from its
 *   first byte, may take to arrive in full (headers and body)
 * @idle_timeout_ms: how long a kept-alive connection may wait for its next
 *   request
 */
SignpostSoupGuard *
signpost_soup_guard_new (SoupServer *soup,
                         guint       request_timeout_ms,
                         guint       idle_timeout_ms)
{
  SignpostSoupGuard *guard = g_new0 (SignpostSoupGuard, 1);

  guard->soup = g_object_ref (soup);
  guard->request_timeout_ms = request_timeout_ms;
  guard->idle_timeout_ms = idle_timeout_ms;
  guard->conns = g_hash_table_new_full (NULL, NULL, (GDestroyNotify) conn_free, NULL);
  guard->handler_ids[0] = g_signal_connect (soup, "request-started",
                                            G_CALLBACK (request_started_cb), guard);
  guard->handler_ids[1] = g_signal_connect (soup, "request-read",
                                            G_CALLBACK (request_read_cb), guard);
  guard->handler_ids[2] = g_signal_connect (soup, "request-finished",
                                            G_CALLBACK (request_done_cb), guard);
  guard->handler_ids[3] = g_signal_connect (soup, "request-aborted",
                                            G_CALLBACK (request_done_cb), guard);
  return guard;
}

/* Stops accepting; connections already made carry on. */
void
signpost_soup_guard_stop (SignpostSoupGuard *guard)
{
  g_clear_pointer (&guard->accept_source, g_source_destroy);
  g_clear_handle_id (&guard->accept_retry_id, g_source_remove);
  g_clear_object (&guard->listener);
}

void
signpost_soup_guard_free (SignpostSoupGuard *guard)
{
  if (guard == NULL)
    return;
  signpost_soup_guard_stop (guard);
  for (guint i = 0; i < G_N_ELEMENTS (guard->handler_ids); i++)
    g_clear_signal_handler (&guard->handler_ids[i], guard->soup);
  /* What is left nobody will close: WebSockets and refusals still going. */
  g_hash_table_remove_all (guard->conns);
  g_hash_table_unref (guard->conns);
  g_clear_object (&guard->certificate);
  g_clear_object (&guard->soup);
  g_free (guard);
}

/**
 * signpost_soup_guard_listen:
 * @listener: a bound, listening socket
 * @certificate: (nullable): serve TLS with this
 *
 * Accepts connections on @listener from now on.
 */
gboolean
signpost_soup_guard_listen (SignpostSoupGuard  *guard,
                            GSocket            *listener,
                            GTlsCertificate    *certificate,
                            GError            **error)
{
  g_return_val_if_fail (guard->listener == NULL, FALSE);

  /* Non-blocking: should libsoup's accept ever run, it finds nothing and
   * gives up watching. */
  g_socket_set_blocking (listener, FALSE);
  guard->listener = g_object_ref (listener);
  g_set_object (&guard->certificate, certificate);
  accept_watch (guard);
  return soup_server_listen_socket (guard->soup, listener, 0, error);
}

/* The socket of @msg's connection, or %NULL. */
GSocket *
signpost_soup_guard_get_socket (SignpostSoupGuard *guard,
                                SoupServerMessage *msg)
{
  Conn *conn = conn_for_message (msg);

  return conn != NULL ? conn->socket : soup_server_message_get_socket (msg);
}

/* @msg's connection is (being) taken over from libsoup by our own code,
 * which closes it when done. */
void
signpost_soup_guard_taken (SignpostSoupGuard *guard,
                           SoupServerMessage *msg)
{
  Conn *conn = conn_for_message (msg);

  if (conn == NULL || conn->state == CONN_CLOSED)
    return;
  conn->state = CONN_TAKEN;
  g_clear_handle_id (&conn->timeout_id, g_source_remove);
  g_clear_handle_id (&conn->release_id, g_source_remove);
}

/* Client connections open now, WebSockets included. */
guint
signpost_soup_guard_get_n_connections (SignpostSoupGuard *guard)
{
  return g_hash_table_size (guard->conns);
}
