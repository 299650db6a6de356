/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib-unix.h>

#include "signpost-pg-store-private.h"

/*
 * The hub's store: one PostgreSQL database (libpq), shared by any number of
 * signpost-server processes. It keeps exactly the semantics of the SQLite
 * store; the schema is in signpost-pg-store-schema.c.
 *
 * Write transactions, and a change feed without holes
 * ---------------------------------------------------
 * Every transaction begins by locking the one row of seq_counter
 * (SELECT … FOR UPDATE) and holds it until COMMIT or ROLLBACK, in
 * whichever process it runs. Writers therefore run one at a time across
 * all instances, as SQLite's BEGIN IMMEDIATE makes them within one file:
 * every check made inside a transaction (a slot's live appointment, a
 * mutation id already used, a call's place in the queue) still holds when
 * it commits, and sequence numbers are handed out in the order in which
 * their transactions commit. PostgreSQL makes a transaction visible before
 * it releases its locks, so the next writer's changes can only become
 * visible after the previous writer's: whatever a reader's snapshot holds
 * is every change up to some sequence number, never a later one without an
 * earlier one. A reader following /changes from its last seq can thus
 * never skip a change committed late by another process. (A feed read in
 * several statements sees a longer prefix in each; it may repeat a record
 * that moved on in between, never miss one.) The sequence number is read
 * once, under the lock, when the transaction begins; each write then takes
 * the next, and the last is stored back into seq_counter just before
 * COMMIT.
 * Holding the lock for the whole of a short transaction costs little: a
 * request's transaction is a few statements on a local connection.
 *
 * Transactions nest: only the outermost begin and commit reach the
 * server. Savepoints are named like SQLite's and undo the sequence numbers
 * handed out after them.
 *
 * Other processes
 * ---------------
 * A commit that wrote records also sends NOTIFY signpost_changes (no
 * payload: a listener reads seq_counter), in the same round trip as the
 * COMMIT. Once signpost_store_watch_changes() is called, the store LISTENs
 * on its own connection: notifications arrive with the results of its own
 * statements, or, between requests, make the socket readable; those sent
 * by other backends (another instance, an admin command) are announced
 * with "changed-elsewhere" from the main loop, never in the middle of a
 * request. After a reconnection it is announced anyway: commits made
 * meanwhile were not heard.
 *
 * The connection
 * --------------
 * The server calls the store synchronously on its main loop, so nothing
 * here may wait long. The first connection is made in signpost_pg_store_new()
 * with a connect timeout; if the database cannot be reached then, that is
 * an error naming the host. If the connection is lost later (the database
 * restarted, the network dropped), the statement that found out fails with
 * SIGNPOST_ERROR_UNAVAILABLE (503 with Retry-After to the client), as does
 * everything until a new connection is made; that is done without blocking,
 * by PQconnectStart()/PQconnectPoll() driven from the main context, again
 * and again with a growing pause until it succeeds. A transaction that
 * lost its connection is never acknowledged: only a COMMIT that returned
 * "COMMIT" counts as written.
 */

#define CONNECT_TIMEOUT_S 10
#define RECONNECT_ATTEMPT_S 10
#define RECONNECT_FIRST_MS 100
#define RECONNECT_MAX_MS 5000

static void signpost_pg_store_iface_init (SignpostStoreInterface *iface);
static void start_reconnecting (SignpostPgStore *self);
static void watch_socket (SignpostPgStore *self);
static void notice_notifies (SignpostPgStore *self);

G_DEFINE_FINAL_TYPE_WITH_CODE (SignpostPgStore, signpost_pg_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SIGNPOST_TYPE_STORE,
                                                      signpost_pg_store_iface_init))

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
static char *
first_line (const char *message)
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
  g_autofree char *message = first_line (primary ? primary
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

/* ---- statements -------------------------------------------------------- */

/*
 * A statement waiting to be sent: inside a transaction, those whose answer
 * nobody waits for (SAVEPOINT, RELEASE, a mutation's result, an audit
 * event) go with the next statement that is waited for, in one pipeline,
 * one round trip. Their failure is that statement's failure, and leaves
 * the transaction to be rolled back, so nothing of it is acknowledged.
 */
typedef struct {
  const char *sql;              /* a literal */
  gboolean prepared;            /* as a prepared statement, or sent as it is */
  int n_values;
  char **values;                /* NULL for SQL NULL */
  gboolean begins;              /* BEGIN: from here on the server has a transaction */
  gint64 *capture;              /* takes the first value of its one row */
  PGresult **keep;              /* takes its result */
} Pending;

static void
pending_free (gpointer data)
{
  Pending *pending = data;

  for (int i = 0; i < pending->n_values; i++)
    g_free (pending->values[i]);
  g_free (pending->values);
  g_free (pending);
}

#define MAX_PARAMS 24

/* @values from @types and @args (see signpost_pg_run_literal_()). */
static int
collect_values (const char *types,
                va_list     args,
                char      **values)
{
  int n = 0;

  for (const char *t = types; *t != '\0'; t++, n++)
    {
      g_assert (n < MAX_PARAMS);
      switch (*t)
        {
        case 's':
          values[n] = g_strdup (va_arg (args, const char *));
          break;
        case 'i':
          values[n] = g_strdup_printf ("%d", va_arg (args, int));
          break;
        case 'I':
          values[n] = g_strdup_printf ("%" G_GINT64_FORMAT, va_arg (args, gint64));
          break;
        case 'm':
          {
            gint64 value = va_arg (args, gint64);

            values[n] = value < 0 ? NULL : g_strdup_printf ("%" G_GINT64_FORMAT, value);
          }
          break;
        case 'b':
          values[n] = g_strdup (va_arg (args, gboolean) ? "t" : "f");
          break;
        default:
          g_assert_not_reached ();
        }
    }
  return n;
}

static char *
statement_name (guint number)
{
  return g_strdup_printf ("signpost_%u", number);
}

/* Sends @pending into the pipeline (preparing it first if this connection
 * has not); returns how many results it will give. */
static guint
send_pending (SignpostPgStore *self,
              Pending         *pending)
{
  g_autofree char *name = NULL;
  gpointer number;
  guint results = 0;

  if (!pending->prepared)
    {
      PQsendQueryParams (self->conn, pending->sql, 0, NULL, NULL, NULL, NULL, 0);
      return 1;
    }
  if (!g_hash_table_lookup_extended (self->statements, pending->sql, NULL, &number))
    {
      /* Counted as prepared at once, so that the same statement later in
       * this pipeline is not prepared twice; forgotten again if it fails. */
      number = GUINT_TO_POINTER (++self->n_statements);
      g_hash_table_insert (self->statements, (gpointer) pending->sql, number);
      name = statement_name (GPOINTER_TO_UINT (number));
      PQsendPrepare (self->conn, name, pending->sql, 0, NULL);
      results++;
    }
  else
    name = statement_name (GPOINTER_TO_UINT (number));
  PQsendQueryPrepared (self->conn, name, pending->n_values,
                       (const char * const *) pending->values, NULL, NULL, 0);
  return results + 1;
}

/*
 * Sends every pending statement in one pipeline and reads their answers.
 * Returns the result of the last, or %NULL with @error set by the first
 * that failed (those after it were not run).
 */
static PGresult *
flush_pending (SignpostPgStore  *self,
               GError          **error)
{
  g_autoptr(GPtrArray) pending = g_steal_pointer (&self->pending);
  g_autoptr(GArray) expected = g_array_new (FALSE, FALSE, sizeof (guint));
  PGresult *last = NULL;
  gboolean failed = FALSE;
  PGresult *result;

  self->pending = g_ptr_array_new_with_free_func (pending_free);
  self->head_known = FALSE;
  if (!signpost_pg_store_ready (self, error))
    return NULL;
  if (!PQenterPipelineMode (self->conn))
    {
      signpost_pg_store_set_error (self, NULL, error, "pipeline");
      return NULL;
    }
  for (guint i = 0; i < pending->len; i++)
    {
      Pending *item = g_ptr_array_index (pending, i);
      guint n = send_pending (self, item);

      if (item->begins)
        self->transaction_sent = TRUE;
      g_array_append_val (expected, n);
    }
  if (!PQpipelineSync (self->conn))
    {
      signpost_pg_store_set_error (self, NULL, error, "pipeline");
      return NULL;
    }

  for (guint i = 0; i < pending->len && self->conn != NULL; i++)
    {
      Pending *item = g_ptr_array_index (pending, i);

      for (guint r = 0; r < g_array_index (expected, guint, i) && self->conn != NULL; r++)
        {
          ExecStatusType status;
          gboolean is_prepare = item->prepared && r + 1 < g_array_index (expected, guint, i);

          result = PQgetResult (self->conn);
          status = result ? PQresultStatus (result) : PGRES_FATAL_ERROR;
          if (!is_prepare && item->capture != NULL && status == PGRES_TUPLES_OK &&
              PQntuples (result) == 0 && !failed)
            {
              failed = TRUE;
              g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_STORAGE,
                           "the change counter is missing");
            }
          else if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
            {
              if (!is_prepare && item->capture != NULL)
                *item->capture = signpost_pg_int64 (result, 0, 0);
              if (!is_prepare && item->keep != NULL)
                *item->keep = g_steal_pointer (&result);
              else if (!is_prepare && i + 1 == pending->len)
                last = g_steal_pointer (&result);
            }
          else if (!failed)
            {
              failed = TRUE;
              if (is_prepare)
                g_hash_table_remove (self->statements, item->sql);
              signpost_pg_store_set_error (self, result, error, "query");
            }
          else if (is_prepare)
            g_hash_table_remove (self->statements, item->sql);
          g_clear_pointer (&result, PQclear);
          /* Each answer, even an aborted one, ends with a NULL. */
          if (self->conn != NULL)
            while ((result = PQgetResult (self->conn)) != NULL)
              PQclear (result);
        }
    }
  if (self->conn != NULL)
    {
      /* The sync's own answer, then out of pipeline mode. */
      while ((result = PQgetResult (self->conn)) != NULL)
        {
          ExecStatusType status = PQresultStatus (result);

          PQclear (result);
          if (status == PGRES_PIPELINE_SYNC)
            break;
        }
      PQexitPipelineMode (self->conn);
      notice_notifies (self);
    }
  /* The lock's answer: where this transaction's numbers start. */
  if (self->depth > 0 && !self->seq_known && self->start_seq >= 0)
    {
      self->seq = self->start_seq;
      self->seq_known = TRUE;
    }
  if (failed || self->conn == NULL)
    {
      if (!failed)
        g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_UNAVAILABLE,
                     _("The database cannot be reached just now; try again shortly"));
      g_clear_pointer (&last, PQclear);
      return NULL;
    }
  return last;
}

/* Queues a parameterless command (SAVEPOINT, RELEASE) to go with the next
 * statement. */
void
signpost_pg_defer_command_literal_ (SignpostPgStore *self,
                                    const char      *sql)
{
  Pending *pending = g_new0 (Pending, 1);

  g_return_if_fail (self->depth > 0);

  pending->sql = sql;
  g_ptr_array_add (self->pending, pending);
}

/**
 * signpost_pg_defer_literal_:
 *
 * As signpost_pg_run_literal_() for a statement whose answer is not
 * needed: inside a transaction it goes with the next statement that is
 * waited for (and any failure is reported by that one); outside, it runs
 * at once.
 */
gboolean
signpost_pg_defer_literal_ (SignpostPgStore  *self,
                            const char       *sql,
                            GError          **error,
                            const char       *types,
                            ...)
{
  char *values[MAX_PARAMS];
  Pending *pending;
  va_list args;
  int n;

  va_start (args, types);
  n = collect_values (types, args, values);
  va_end (args);
  pending = g_new0 (Pending, 1);
  pending->sql = sql;
  pending->prepared = TRUE;
  pending->n_values = n;
  pending->values = g_memdup2 (values, sizeof (char *) * MAX (n, 1));
  g_ptr_array_add (self->pending, pending);
  if (self->depth > 0)
    return TRUE;
  {
    g_autoptr(PGresult) result = flush_pending (self, error);

    return result != NULL;
  }
}

/* Runs @sql (one or more statements, no parameters) as a simple query,
 * after whatever is pending. */
gboolean
signpost_pg_exec_literal_ (SignpostPgStore  *self,
                           const char       *sql,
                           GError          **error)
{
  g_autoptr(PGresult) result = NULL;
  ExecStatusType status;

  self->head_known = FALSE;
  if (self->pending->len > 0)
    {
      g_autoptr(PGresult) flushed = flush_pending (self, error);

      if (flushed == NULL)
        return FALSE;
    }
  if (!signpost_pg_store_ready (self, error))
    return FALSE;
  result = PQexec (self->conn, sql);
  status = result ? PQresultStatus (result) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      signpost_pg_store_set_error (self, result, error, "exec");
      return FALSE;
    }
  notice_notifies (self);
  return TRUE;
}

/* Sends whatever is pending now (before a COPY, say). */
gboolean
signpost_pg_store_flush (SignpostPgStore  *self,
                         GError          **error)
{
  g_autoptr(PGresult) result = NULL;

  if (self->pending->len == 0)
    return TRUE;
  result = flush_pending (self, error);
  return result != NULL;
}

/* Makes sure the open transaction knows its sequence numbers (its lock
 * may not have been sent yet). */
gboolean
signpost_pg_store_know_seq (SignpostPgStore  *self,
                            GError          **error)
{
  if (self->seq_known)
    return TRUE;
  if (!signpost_pg_store_flush (self, error))
    return FALSE;
  if (!self->seq_known)
    {
      g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_STORAGE, "the transaction holds no lock");
      return FALSE;
    }
  return TRUE;
}

/* Forgets what is pending: the transaction is being rolled back. */
void
signpost_pg_store_drop_pending (SignpostPgStore *self)
{
  g_ptr_array_set_size (self->pending, 0);
}

/*
 * Prepares @sql once per connection (it is a literal, so its address names
 * it), binds the values and runs it, with whatever is pending before it.
 * @types has one letter per parameter:
 *   s  const char *  (NULL binds NULL)
 *   i  int
 *   I  gint64
 *   m  gint64, NULL when negative (instants in milliseconds)
 *   b  gboolean
 * Returns the result (command or rows), or %NULL with @error set.
 */
PGresult *
signpost_pg_run_literal_ (SignpostPgStore  *self,
                          const char       *sql,
                          GError          **error,
                          const char       *types,
                          ...)
{
  char *values[MAX_PARAMS];
  g_autofree char *name = NULL;
  PGresult *result;
  ExecStatusType status;
  gpointer number;
  va_list args;
  int n;

  va_start (args, types);
  n = collect_values (types, args, values);
  va_end (args);

  if (self->pending->len > 0)
    {
      Pending *pending = g_new0 (Pending, 1);

      pending->sql = sql;
      pending->prepared = TRUE;
      pending->n_values = n;
      pending->values = g_memdup2 (values, sizeof (char *) * MAX (n, 1));
      g_ptr_array_add (self->pending, pending);
      return flush_pending (self, error);
    }

  self->head_known = FALSE;
  if (!signpost_pg_store_ready (self, error))
    goto failed;
  if (!g_hash_table_lookup_extended (self->statements, sql, NULL, &number))
    {
      g_autoptr(PGresult) prepared = NULL;

      number = GUINT_TO_POINTER (++self->n_statements);
      name = statement_name (GPOINTER_TO_UINT (number));
      prepared = PQprepare (self->conn, name, sql, 0, NULL);
      if (prepared == NULL || PQresultStatus (prepared) != PGRES_COMMAND_OK)
        {
          signpost_pg_store_set_error (self, prepared, error, "prepare");
          goto failed;
        }
      g_hash_table_insert (self->statements, (gpointer) sql, number);
    }
  else
    name = statement_name (GPOINTER_TO_UINT (number));

  result = PQexecPrepared (self->conn, name, n, (const char * const *) values, NULL, NULL, 0);
  for (int i = 0; i < n; i++)
    g_free (values[i]);
  status = result ? PQresultStatus (result) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      signpost_pg_store_set_error (self, result, error, "query");
      PQclear (result);
      return NULL;
    }
  notice_notifies (self);
  return result;

failed:
  for (int i = 0; i < n; i++)
    g_free (values[i]);
  return NULL;
}

/* ---- connecting -------------------------------------------------------- */

/* Ours first, so that the URI's own settings win; the encoding last. */
static PGconn *
connect_with (const char *uri,
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
static gboolean
set_up_session (SignpostPgStore  *self,
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
      g_autofree char *message = first_line (PQerrorMessage (conn));

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

static void
clear_source (GSource **source)
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
  clear_source (&self->connect_watch);
  clear_source (&self->connect_timeout);
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

  clear_source (&self->connect_watch);
  clear_source (&self->connect_timeout);
  if (!set_up_session (self, self->connecting, &error))
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
      g_autoptr(PGresult) listen = PQexec (self->conn, "LISTEN " SIGNPOST_PG_CHANGES_CHANNEL);

      if (listen == NULL || PQresultStatus (listen) != PGRES_COMMAND_OK)
        g_message ("Could not listen for changes made elsewhere: %s", PQerrorMessage (self->conn));
      watch_socket (self);
      /* Whatever others committed meanwhile went unheard. */
      self->heard = TRUE;
      notice_notifies (self);
    }
}

static gboolean socket_ready_cb (int fd, GIOCondition condition, gpointer data);

static void
poll_connecting (SignpostPgStore                *self,
                 PostgresPollingStatusType       status)
{
  clear_source (&self->connect_watch);
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
        g_autofree char *message = first_line (PQerrorMessage (self->connecting));

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
  self->connecting = connect_with (self->uri, TRUE);
  if (self->connecting == NULL || PQstatus (self->connecting) == CONNECTION_BAD)
    {
      g_autofree char *message = first_line (self->connecting ? PQerrorMessage (self->connecting)
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
static char *
describe (PGconn *conn)
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
static void
notice_notifies (SignpostPgStore *self)
{
  PGnotify *notify;
  int own = self->conn ? PQbackendPID (self->conn) : 0;

  while (self->conn != NULL && (notify = PQnotifies (self->conn)) != NULL)
    {
      if (notify->be_pid != own)
        self->heard = TRUE;
      PQfreemem (notify);
    }
  if (self->heard && self->watching && self->elsewhere == NULL)
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
  notice_notifies (self);
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

static gboolean
pg_watch_changes (SignpostStore  *store,
                  GError        **error)
{
  SignpostPgStore *self = SIGNPOST_PG_STORE (store);
  gint64 head;

  if (self->watching)
    return TRUE;
  if (!signpost_pg_exec (self, "LISTEN " SIGNPOST_PG_CHANGES_CHANNEL, error))
    return FALSE;
  head = signpost_store_get_last_seq (store, error);
  if (head < 0)
    return FALSE;
  self->seen_seq = head;
  self->watching = TRUE;
  watch_socket (self);
  return TRUE;
}

/* ---- transactions ------------------------------------------------------ */

static gboolean
pg_begin (SignpostStore  *store,
          GError        **error)
{
  SignpostPgStore *self = SIGNPOST_PG_STORE (store);
  Pending *lock;

  if (self->depth > 0)
    {
      self->depth++;
      return TRUE;
    }
  signpost_pg_store_drop_pending (self);
  self->head_known = FALSE;
  self->transaction_sent = FALSE;
  self->depth = 1;
  /* The transaction, and the lock that puts writers in line (see the top
   * of this file), go with the transaction's first statement; a failure
   * to take the lock is that statement's. */
  signpost_pg_defer_command (self, "BEGIN");
  ((Pending *) g_ptr_array_index (self->pending, self->pending->len - 1))->begins = TRUE;
  lock = g_new0 (Pending, 1);
  lock->sql = "SELECT value FROM seq_counter WHERE id = 1 FOR UPDATE";
  lock->prepared = TRUE;
  lock->capture = &self->start_seq;
  g_ptr_array_add (self->pending, lock);
  self->start_seq = -1;
  self->seq = -1;
  self->seq_known = FALSE;
  self->wrote_records = FALSE;
  signpost_pg_store_forget_reads (self);
  g_array_set_size (self->savepoint_seqs, 0);
  return TRUE;
}

static void
pg_rollback (SignpostStore *store)
{
  SignpostPgStore *self = SIGNPOST_PG_STORE (store);

  if (self->depth == 0)
    return;
  self->depth = 0;
  g_array_set_size (self->savepoint_seqs, 0);
  signpost_pg_store_drop_pending (self);
  signpost_pg_store_forget_reads (self);
  self->transaction_sent = FALSE;
  if (self->conn != NULL && PQstatus (self->conn) == CONNECTION_OK &&
      PQtransactionStatus (self->conn) != PQTRANS_IDLE)
    {
      g_autoptr(PGresult) result = PQexec (self->conn, "ROLLBACK");

      if (result == NULL || PQresultStatus (result) != PGRES_COMMAND_OK)
        signpost_pg_store_set_error (self, result, NULL, "rollback");
    }
}

static gboolean
pg_commit (SignpostStore  *store,
           GError        **error)
{
  SignpostPgStore *self = SIGNPOST_PG_STORE (store);
  g_autoptr(PGresult) result = NULL;
  g_autoptr(PGresult) committed = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean wrote = self->wrote_records;
  gint64 head = -1;
  Pending *commit;

  g_return_val_if_fail (self->depth > 0, FALSE);

  if (self->depth > 1)
    {
      self->depth--;
      return TRUE;
    }
  /* One round trip for what is pending, the counter, the notice to other
   * processes, the COMMIT, and the head of the feed just after it (the
   * server tells its consoles next). The counter is written once per
   * transaction, not per record: every update of the one row would leave
   * another version of it for the next to step over. */
  if (wrote)
    {
      signpost_pg_defer (self, "UPDATE seq_counter SET value = $1 WHERE id = 1", NULL, "I",
                         self->seq);
      signpost_pg_defer_command (self, "NOTIFY " SIGNPOST_PG_CHANGES_CHANNEL);
    }
  signpost_pg_defer_command (self, "COMMIT");
  commit = g_ptr_array_index (self->pending, self->pending->len - 1);
  commit->keep = &committed;
  if (wrote)
    {
      Pending *read_head = g_new0 (Pending, 1);

      read_head->sql = "SELECT value FROM seq_counter WHERE id = 1";
      read_head->prepared = TRUE;
      read_head->capture = &head;
      g_ptr_array_add (self->pending, read_head);
    }
  result = flush_pending (self, &local_error);
  /* A transaction that had failed "commits" as ROLLBACK. */
  if (committed == NULL || g_strcmp0 (PQcmdStatus (committed), "COMMIT") != 0)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_STORAGE,
                     _("The transaction had failed and was rolled back"));
      pg_rollback (store);
      return FALSE;
    }
  self->depth = 0;
  self->transaction_sent = FALSE;
  signpost_pg_store_forget_reads (self);
  if (wrote)
    self->committed_seq = MAX (self->committed_seq, self->seq);
  if (result != NULL && head >= 0)
    {
      self->head = head;
      self->head_known = TRUE;
    }
  return TRUE;
}

static gboolean
pg_savepoint (SignpostStore  *store,
              GError        **error)
{
  SignpostPgStore *self = SIGNPOST_PG_STORE (store);

  g_return_val_if_fail (self->depth > 0, FALSE);

  /* Sent with the statement after it. -1: where the transaction started,
   * not known yet. */
  signpost_pg_defer_command (self, "SAVEPOINT mutation");
  {
    gint64 seq = self->seq_known ? self->seq : -1;

    g_array_append_val (self->savepoint_seqs, seq);
  }
  return TRUE;
}

static gboolean
pg_release_savepoint (SignpostStore  *store,
                      GError        **error)
{
  SignpostPgStore *self = SIGNPOST_PG_STORE (store);

  g_return_val_if_fail (self->depth > 0, FALSE);

  signpost_pg_defer_command (self, "RELEASE mutation");
  if (self->savepoint_seqs->len > 0)
    g_array_set_size (self->savepoint_seqs, self->savepoint_seqs->len - 1);
  return TRUE;
}

static gboolean
pg_rollback_to_savepoint (SignpostStore *store)
{
  SignpostPgStore *self = SIGNPOST_PG_STORE (store);
  guint n = self->savepoint_seqs->len;

  /* What was written since may be undone: read it again. */
  signpost_pg_store_forget_reads (self);
  if (self->depth > 0 && self->pending->len > 0)
    {
      /* The savepoint itself may not have been sent yet. What failed
       * after it is undone below. */
      g_autoptr(PGresult) flushed = flush_pending (self, NULL);
    }
  /* ROLLBACK TO keeps the savepoint open; RELEASE closes it. */
  if (self->depth > 0 && n > 0 &&
      signpost_pg_exec (self, "ROLLBACK TO mutation; RELEASE mutation", NULL) &&
      PQtransactionStatus (self->conn) == PQTRANS_INTRANS)
    {
      gint64 seq = g_array_index (self->savepoint_seqs, gint64, n - 1);

      self->seq = seq >= 0 ? seq : self->start_seq;
      self->seq_known = self->seq >= 0;
      g_array_set_size (self->savepoint_seqs, n - 1);
      return TRUE;
    }
  if (self->conn == NULL)
    g_message ("Could not roll back to a savepoint: the connection is gone");
  else
    g_warning ("Could not roll back to a savepoint: the transaction is gone");
  return FALSE;
}

static gboolean
pg_check (SignpostStore  *store,
          GError        **error)
{
  SignpostPgStore *self = SIGNPOST_PG_STORE (store);

  /* Inside a transaction the connection has just been used. */
  if (self->depth > 0)
    return signpost_pg_store_ready (self, error);
  return signpost_pg_exec (self, "SELECT 1", error);
}

/* ---- object ------------------------------------------------------------ */

static void
signpost_pg_store_finalize (GObject *object)
{
  SignpostPgStore *self = SIGNPOST_PG_STORE (object);

  clear_source (&self->connect_watch);
  clear_source (&self->connect_timeout);
  clear_source (&self->retry);
  clear_source (&self->socket_watch);
  clear_source (&self->elsewhere);
  g_clear_pointer (&self->connecting, PQfinish);
  g_clear_pointer (&self->conn, PQfinish);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_pointer (&self->read_cache, g_hash_table_unref);
  g_clear_pointer (&self->savepoint_seqs, g_array_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  if (self->uri != NULL)
    {
      /* It may hold a password. */
      memset (self->uri, 0, strlen (self->uri));
      g_clear_pointer (&self->uri, g_free);
    }
  g_clear_pointer (&self->location, g_free);

  G_OBJECT_CLASS (signpost_pg_store_parent_class)->finalize (object);
}

static void
signpost_pg_store_class_init (SignpostPgStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = signpost_pg_store_finalize;
}

static void
signpost_pg_store_init (SignpostPgStore *self)
{
  self->statements = g_hash_table_new (g_direct_hash, g_direct_equal);
  self->pending = g_ptr_array_new_with_free_func (pending_free);
  self->read_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, signpost_pg_cached_row_free);
  self->savepoint_seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->context = g_main_context_ref_thread_default ();
}

static void
signpost_pg_store_iface_init (SignpostStoreInterface *iface)
{
  iface->begin = pg_begin;
  iface->commit = pg_commit;
  iface->rollback = pg_rollback;
  iface->savepoint = pg_savepoint;
  iface->release_savepoint = pg_release_savepoint;
  iface->rollback_to_savepoint = pg_rollback_to_savepoint;
  iface->check = pg_check;
  iface->watch_changes = pg_watch_changes;
  signpost_pg_store_init_records (iface);
  signpost_pg_store_init_auth (iface);
  signpost_pg_store_init_telephony (iface);
  signpost_pg_store_init_audit (iface);
  signpost_pg_store_init_stats (iface);
  signpost_pg_store_init_requests (iface);
  signpost_pg_store_init_practices (iface);
}

/**
 * signpost_pg_store_new:
 * @uri: a libpq connection URI (postgresql://… or postgres://…)
 *
 * Connects (waiting at most CONNECT_TIMEOUT_S unless the URI says
 * otherwise) and brings the schema up to date.
 *
 * Returns: the store, or %NULL with a one-line @error that names the
 *   host and never shows the password.
 */
SignpostPgStore *
signpost_pg_store_new (const char  *uri,
                       GError     **error)
{
  g_autoptr(SignpostPgStore) self = NULL;
  PQconninfoOption *options;
  char *parse_error = NULL;

  g_return_val_if_fail (uri != NULL, NULL);

  /* libpq's complaints about a malformed URI can quote it: say nothing of
   * its text. */
  options = PQconninfoParse (uri, &parse_error);
  if (options == NULL)
    {
      PQfreemem (parse_error);
      g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                   _("The database URI is not one PostgreSQL understands "
                     "(postgresql://USER@HOST:PORT/DATABASE)"));
      return NULL;
    }
  PQconninfoFree (options);

  self = g_object_new (SIGNPOST_TYPE_PG_STORE, NULL);
  self->uri = g_strdup (uri);
  self->conn = connect_with (uri, FALSE);
  if (self->conn == NULL)
    {
      g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_UNAVAILABLE, _("Out of memory"));
      return NULL;
    }
  self->location = describe (self->conn);
  if (PQstatus (self->conn) != CONNECTION_OK)
    {
      g_autofree char *message = first_line (PQerrorMessage (self->conn));

      g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_UNAVAILABLE,
                   _("Could not connect to the database at %s: %s"), self->location, message);
      return NULL;
    }
  if (!set_up_session (self, self->conn, error) || !signpost_pg_store_migrate (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* Where the database is, for messages: never the password. */
const char *
signpost_pg_store_get_location (SignpostPgStore *self)
{
  g_return_val_if_fail (SIGNPOST_IS_PG_STORE (self), NULL);

  return self->location;
}

/* The URI the store was opened with, password and all: for opening more
 * connections to the same database (a LISTEN connection, copy-to). */
const char *
signpost_pg_store_get_uri (SignpostPgStore *self)
{
  g_return_val_if_fail (SIGNPOST_IS_PG_STORE (self), NULL);

  return self->uri;
}

gboolean
signpost_pg_store_is_connected (SignpostPgStore *self)
{
  g_return_val_if_fail (SIGNPOST_IS_PG_STORE (self), FALSE);

  return self->conn != NULL && PQstatus (self->conn) == CONNECTION_OK;
}
