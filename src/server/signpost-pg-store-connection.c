/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib-unix.h>

#include "signpost-pg-store-private.h"

/* The connection: values as libpq gives them, errors and the lost
 * connection, connecting and reconnecting without blocking, and the
 * notifications of commits made elsewhere that arrive on it (see the top
 * of signpost-pg-store.c). */

#define CONNECT_TIMEOUT_S 10
#define RECONNECT_ATTEMPT_S 10
#define RECONNECT_FIRST_MS 100
#define RECONNECT_MAX_MS 5000

static void start_reconnecting (SignpostPgStore *self);
static void watch_socket (SignpostPgStore *self);

/* ---- values ------------------------------------------------------------ */

const char *
signpost_pg_text (const PGresult *result,
                  int             row,
                  int             column)
{
  if (PQgetisnull (result, row, column))
    return NULL;
  return PQgetvalue (result, row, column);
}

gint64
signpost_pg_int64 (const PGresult *result,
                   int             row,
                   int             column)
{
  if (PQgetisnull (result, row, column))
    return 0;
  return g_ascii_strtoll (PQgetvalue (result, row, column), NULL, 10);
}

gint64
signpost_pg_ms (const PGresult *result,
                int             row,
                int             column)
{
  if (PQgetisnull (result, row, column))
    return -1;
  return g_ascii_strtoll (PQgetvalue (result, row, column), NULL, 10);
}

gboolean
signpost_pg_bool (const PGresult *result,
                  int             row,
                  int             column)
{
  return !PQgetisnull (result, row, column) && PQgetvalue (result, row, column)[0] == 't';
}

gint64
signpost_pg_changes (const PGresult *result)
{
  const char *tuples = PQcmdTuples ((PGresult *) result);

  return tuples[0] != '\0' ? g_ascii_strtoll (tuples, NULL, 10) : 0;
}

/* Unix milliseconds of @instant, or of now when there is none (as the
 * SQLite store counts them). */
gint64
signpost_pg_instant_ms (GDateTime *instant)
{
  if (instant == NULL)
    return g_get_real_time () / 1000;
  return g_date_time_to_unix (instant) * 1000 + g_date_time_get_microsecond (instant) / 1000;
}

/* ---- errors and the lost connection ------------------------------------ */

static void
notice_cb (void       *data,
           const char *message)
{
  g_debug ("PostgreSQL: %s", message);
}

/* The first line of libpq's message: it spans several for one failure. */
char *
signpost_pg_first_line (const char *message)
{
  const char *text = message != NULL && *message != '\0' ? message : "unknown error";

  return g_strstrip (g_strndup (text, strcspn (text, "\r\n")));
}

static void
connection_lost (SignpostPgStore *self)
{
  if (self->conn == NULL)
    return;
  /* Not a warning: it is expected (the database restarted), and dealt with. */
  g_message ("Lost the connection to the database at %s; reconnecting", self->location);
  if (self->socket_watch != NULL)
    {
      g_source_destroy (self->socket_watch);
      g_clear_pointer (&self->socket_watch, g_source_unref);
    }
  PQfinish (self->conn);
  self->conn = NULL;
  g_hash_table_remove_all (self->statements);
  start_reconnecting (self);
}

static gboolean
is_connection_failure (const char *sqlstate)
{
  /* 08: connection exception; 57P01-57P03: the server is shutting down,
   * crashed, or not yet accepting connections. */
  return sqlstate == NULL ||
         g_str_has_prefix (sqlstate, "08") ||
         g_str_equal (sqlstate, "57P01") ||
         g_str_equal (sqlstate, "57P02") ||
         g_str_equal (sqlstate, "57P03");
}

void
signpost_pg_store_set_error (SignpostPgStore *self,
                             const PGresult  *result,
                             GError         **error,
                             const char      *what)
{
  const char *sqlstate = result ? PQresultErrorField (result, PG_DIAG_SQLSTATE) : NULL;
  const char *primary = result ? PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY) : NULL;
  g_autofree char *message = signpost_pg_first_line (primary ? primary
                                                 : self->conn ? PQerrorMessage (self->conn) : NULL);

  if (self->conn == NULL || PQstatus (self->conn) != CONNECTION_OK ||
      (sqlstate == NULL && result == NULL) || (sqlstate != NULL && is_connection_failure (sqlstate)))
    {
      /* The client is told no more than that; the log says where. */
      if (self->conn != NULL)
        g_message ("%s on %s: %s", what, self->location, message);
      connection_lost (self);
      g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_UNAVAILABLE,
                   _("The database cannot be reached just now; try again shortly"));
      return;
    }
  if (sqlstate != NULL && g_str_has_prefix (sqlstate, "23"))
    g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_CONFLICT, "%s: %s (%s)", what, message,
                 sqlstate);
  else if (sqlstate != NULL &&
           (g_str_equal (sqlstate, "55P03") || g_str_equal (sqlstate, "40P01") ||
            g_str_equal (sqlstate, "40001")))
    {
      /* Another instance held the lock too long: worth trying again. */
      g_debug ("%s on %s: %s (%s)", what, self->location, message, sqlstate);
      g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_UNAVAILABLE,
                   _("The database is busy; try again shortly"));
    }
  else
    g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_STORAGE, "%s: %s (%s)", what, message,
                 sqlstate ? sqlstate : "?");
}

/* Whether statements can be sent now; if not, says so and makes sure a
 * new connection is on its way. */
gboolean
signpost_pg_store_ready (SignpostPgStore  *self,
                         GError          **error)
{
  if (self->conn != NULL && PQstatus (self->conn) == CONNECTION_OK)
    {
      if (self->depth > 0 && self->transaction_sent &&
          PQtransactionStatus (self->conn) == PQTRANS_IDLE)
        {
          /* The transaction went with an earlier connection. */
          g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_UNAVAILABLE,
                       _("The database connection was lost during the transaction; "
                         "try again shortly"));
          return FALSE;
        }
      return TRUE;
    }
  connection_lost (self);
  start_reconnecting (self);
  g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_UNAVAILABLE,
               _("The database cannot be reached just now; try again shortly"));
  return FALSE;
}

PGconn *
signpost_pg_store_get_conn (SignpostPgStore *self)
{
  return self->conn;
}

/* ---- connecting -------------------------------------------------------- */

/* Ours first, so that the URI's own settings win; the encoding last. */
PGconn *
signpost_pg_connect (const char *uri,
                     gboolean    start_only)
{
  g_autofree char *timeout = g_strdup_printf ("%d", CONNECT_TIMEOUT_S);
  const char * const keywords[] = {
    "connect_timeout", "application_name", "keepalives_idle", "keepalives_interval",
    "keepalives_count", "dbname", "client_encoding", NULL
  };
  const char * const values[] = {
    timeout, "signpost-server", "30", "10", "3", uri, "UTF8", NULL
  };

  if (start_only)
    return PQconnectStartParams (keywords, values, 1);
  return PQconnectdbParams (keywords, values, 1);
}

/* The settings every connection of ours has. */
gboolean
signpost_pg_store_set_up_session (SignpostPgStore  *self,
                                  PGconn           *conn,
                                  GError          **error)
{
  g_autoptr(PGresult) result = NULL;

  PQsetNoticeProcessor (conn, notice_cb, NULL);
  /* As long as SQLite waits for a busy database. */
  result = PQexec (conn,
                   "SET lock_timeout = '5s';"
                   "SET TIME ZONE 'UTC';"
                   "SELECT current_setting ('server_encoding')");
  if (result == NULL || PQresultStatus (result) != PGRES_TUPLES_OK)
    {
      g_autofree char *message = signpost_pg_first_line (PQerrorMessage (conn));

      g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_STORAGE,
                   _("Could not set up the connection to %s: %s"), self->location, message);
      return FALSE;
    }
  if (g_strcmp0 (PQgetvalue (result, 0, 0), "UTF8") != 0)
    {
      g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_STORAGE,
                   _("The database at %s is encoded as %s; Signpost needs UTF8 "
                     "(CREATE DATABASE … ENCODING 'UTF8')"),
                   self->location, PQgetvalue (result, 0, 0));
      return FALSE;
    }
  return TRUE;
}

void
signpost_pg_clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void attempt_connect (SignpostPgStore *self);

static gboolean
retry_cb (gpointer data)
{
  SignpostPgStore *self = data;

  g_clear_pointer (&self->retry, g_source_unref);
  attempt_connect (self);
  return G_SOURCE_REMOVE;
}

static void
attempt_failed (SignpostPgStore *self,
                const char      *why)
{
  signpost_pg_clear_source (&self->connect_watch);
  signpost_pg_clear_source (&self->connect_timeout);
  g_clear_pointer (&self->connecting, PQfinish);
  g_debug ("Reconnecting to %s failed: %s", self->location, why);
  self->backoff_ms = self->backoff_ms == 0 ? RECONNECT_FIRST_MS
                                           : MIN (self->backoff_ms * 2, RECONNECT_MAX_MS);
  self->retry = g_timeout_source_new (self->backoff_ms);
  g_source_set_callback (self->retry, retry_cb, self, NULL);
  g_source_attach (self->retry, self->context);
}

static void
connected (SignpostPgStore *self)
{
  g_autoptr(GError) error = NULL;

  signpost_pg_clear_source (&self->connect_watch);
  signpost_pg_clear_source (&self->connect_timeout);
  if (!signpost_pg_store_set_up_session (self, self->connecting, &error))
    {
      attempt_failed (self, error->message);
      return;
    }
  g_clear_pointer (&self->conn, PQfinish);
  self->conn = g_steal_pointer (&self->connecting);
  g_hash_table_remove_all (self->statements);
  self->backoff_ms = 0;
  g_message ("Reconnected to the database at %s", self->location);
  if (self->watching)
    {
      g_autoptr(PGresult) listen = PQexec (self->conn, "LISTEN " SIGNPOST_PG_CHANGES_CHANNEL "; "
                                                       "LISTEN " SIGNPOST_PG_EVENTS_CHANNEL);

      if (listen == NULL || PQresultStatus (listen) != PGRES_COMMAND_OK)
        g_message ("Could not listen for changes made elsewhere: %s", PQerrorMessage (self->conn));
      watch_socket (self);
      /* Whatever others committed meanwhile went unheard. */
      self->heard = TRUE;
      signpost_pg_store_notice_notifies (self);
    }
}

static gboolean socket_ready_cb (int fd, GIOCondition condition, gpointer data);

static void
poll_connecting (SignpostPgStore                *self,
                 PostgresPollingStatusType       status)
{
  signpost_pg_clear_source (&self->connect_watch);
  switch (status)
    {
    case PGRES_POLLING_READING:
    case PGRES_POLLING_WRITING:
      /* The socket may be another one after each step. */
      self->connect_watch = g_unix_fd_source_new (PQsocket (self->connecting),
                                                  status == PGRES_POLLING_READING ? G_IO_IN
                                                                                  : G_IO_OUT);
      g_source_set_callback (self->connect_watch, G_SOURCE_FUNC (socket_ready_cb), self, NULL);
      g_source_attach (self->connect_watch, self->context);
      break;
    case PGRES_POLLING_OK:
      connected (self);
      break;
    case PGRES_POLLING_FAILED:
    case PGRES_POLLING_ACTIVE:
    default:
      {
        g_autofree char *message = signpost_pg_first_line (PQerrorMessage (self->connecting));

        attempt_failed (self, message);
      }
      break;
    }
}

static gboolean
socket_ready_cb (int           fd,
                 GIOCondition  condition,
                 gpointer      data)
{
  SignpostPgStore *self = data;

  /* poll_connecting() destroys this source, and watches the socket anew
   * if need be. */
  poll_connecting (self, PQconnectPoll (self->connecting));
  return G_SOURCE_REMOVE;
}

static gboolean
attempt_timeout_cb (gpointer data)
{
  SignpostPgStore *self = data;

  /* libpq's connect_timeout does not apply to PQconnectPoll(). */
  g_clear_pointer (&self->connect_timeout, g_source_unref);
  attempt_failed (self, "timed out");
  return G_SOURCE_REMOVE;
}

static void
attempt_connect (SignpostPgStore *self)
{
  self->connecting = signpost_pg_connect (self->uri, TRUE);
  if (self->connecting == NULL || PQstatus (self->connecting) == CONNECTION_BAD)
    {
      g_autofree char *message = signpost_pg_first_line (self->connecting ? PQerrorMessage (self->connecting)
                                                              : "out of memory");

      attempt_failed (self, message);
      return;
    }
  self->connect_timeout = g_timeout_source_new_seconds (RECONNECT_ATTEMPT_S);
  g_source_set_callback (self->connect_timeout, attempt_timeout_cb, self, NULL);
  g_source_attach (self->connect_timeout, self->context);
  poll_connecting (self, PGRES_POLLING_WRITING);
}

static void
start_reconnecting (SignpostPgStore *self)
{
  if (self->conn != NULL || self->connecting != NULL || self->retry != NULL)
    return;
  attempt_connect (self);
}

/* "host:port/database", or the socket directory for a local socket. */
char *
signpost_pg_describe (PGconn *conn)
{
  const char *host = PQhost (conn);
  const char *port = PQport (conn);
  const char *db = PQdb (conn);

  if (host == NULL || *host == '\0')
    host = "localhost";
  return g_strdup_printf ("%s%s%s/%s", host, port && *port ? ":" : "", port ? port : "",
                          db ? db : "");
}

/* ---- commits made elsewhere --------------------------------------------- */

static gboolean
elsewhere_cb (gpointer data)
{
  SignpostPgStore *self = data;
  g_autoptr(GError) error = NULL;
  gint64 head;
  gint64 since;

  /* A transaction is never left open across the main loop; should one be,
   * wait for its end. */
  if (self->depth > 0)
    return G_SOURCE_CONTINUE;
  g_clear_pointer (&self->elsewhere, g_source_unref);
  /* Call events first, as the instance that wrote them sent them. */
  while (!g_queue_is_empty (&self->announced))
    {
      g_autofree char *event = g_queue_pop_head (&self->announced);

      g_signal_emit_by_name (self, "announced-elsewhere", event);
    }
  if (!self->heard)
    return G_SOURCE_REMOVE;
  self->heard = FALSE;
  head = signpost_store_get_last_seq (SIGNPOST_STORE (self), &error);
  if (head < 0)
    {
      /* Lost: the reconnection announces it again. */
      g_debug ("Changes made elsewhere: %s", error->message);
      return G_SOURCE_REMOVE;
    }
  since = self->seen_seq;
  self->seen_seq = MAX (head, self->committed_seq);
  if (head > since)
    g_signal_emit_by_name (self, "changed-elsewhere", since);
  return G_SOURCE_REMOVE;
}

/* Takes in the notifications that came with the last result (or were
 * read from the socket); another backend's commit is announced from the
 * main loop once the request at hand is done. */
void
signpost_pg_store_notice_notifies (SignpostPgStore *self)
{
  PGnotify *notify;
  int own = self->conn ? PQbackendPID (self->conn) : 0;

  while (self->conn != NULL && (notify = PQnotifies (self->conn)) != NULL)
    {
      if (notify->be_pid == own)
        ;
      else if (g_strcmp0 (notify->relname, SIGNPOST_PG_EVENTS_CHANNEL) == 0)
        {
          if (self->watching)
            g_queue_push_tail (&self->announced, g_strdup (notify->extra));
        }
      else
        self->heard = TRUE;
      PQfreemem (notify);
    }
  if ((self->heard || !g_queue_is_empty (&self->announced)) && self->watching &&
      self->elsewhere == NULL)
    {
      self->elsewhere = g_timeout_source_new (0);
      g_source_set_callback (self->elsewhere, elsewhere_cb, self, NULL);
      g_source_attach (self->elsewhere, self->context);
    }
}

static gboolean
socket_readable_cb (int           fd,
                    GIOCondition  condition,
                    gpointer      data)
{
  SignpostPgStore *self = data;

  if (!PQconsumeInput (self->conn))
    {
      /* Closed under us (the database restarted): reconnect now rather
       * than at the next request. */
      g_clear_pointer (&self->socket_watch, g_source_unref);
      connection_lost (self);
      return G_SOURCE_REMOVE;
    }
  signpost_pg_store_notice_notifies (self);
  return G_SOURCE_CONTINUE;
}

static void
watch_socket (SignpostPgStore *self)
{
  if (self->socket_watch != NULL)
    {
      g_source_destroy (self->socket_watch);
      g_clear_pointer (&self->socket_watch, g_source_unref);
    }
  if (self->conn == NULL || !self->watching)
    return;
  self->socket_watch = g_unix_fd_source_new (PQsocket (self->conn), G_IO_IN);
  g_source_set_callback (self->socket_watch, G_SOURCE_FUNC (socket_readable_cb), self, NULL);
  g_source_attach (self->socket_watch, self->context);
}

gboolean
signpost_pg_store_watch_changes (SignpostStore  *store,
                                 GError        **error)
{
  SignpostPgStore *self = SIGNPOST_PG_STORE (store);
  gint64 head;

  if (self->watching)
    return TRUE;
  if (!signpost_pg_exec (self, "LISTEN " SIGNPOST_PG_CHANGES_CHANNEL "; "
                        "LISTEN " SIGNPOST_PG_EVENTS_CHANNEL, error))
    return FALSE;
  head = signpost_store_get_last_seq (store, error);
  if (head < 0)
    return FALSE;
  self->seen_seq = head;
  self->watching = TRUE;
  watch_socket (self);
  return TRUE;
}
