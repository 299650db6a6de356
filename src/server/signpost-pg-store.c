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

static void signpost_pg_store_iface_init (SignpostStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SignpostPgStore, signpost_pg_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SIGNPOST_TYPE_STORE,
                                                      signpost_pg_store_iface_init))

/* ---- transactions ------------------------------------------------------ */

static gboolean
pg_begin (SignpostStore  *store,
          GError        **error)
{
  SignpostPgStore *self = SIGNPOST_PG_STORE (store);
  SignpostPgPending *lock;

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
  ((SignpostPgPending *) g_ptr_array_index (self->pending, self->pending->len - 1))->begins = TRUE;
  lock = g_new0 (SignpostPgPending, 1);
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
  SignpostPgPending *commit;

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
      SignpostPgPending *read_head = g_new0 (SignpostPgPending, 1);

      read_head->sql = "SELECT value FROM seq_counter WHERE id = 1";
      read_head->prepared = TRUE;
      read_head->capture = &head;
      g_ptr_array_add (self->pending, read_head);
    }
  result = signpost_pg_store_flush_pending (self, &local_error);
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
      g_autoptr(PGresult) flushed = signpost_pg_store_flush_pending (self, NULL);
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

/* Sent with the transaction's next statement; PostgreSQL delivers it to
 * the listeners when the transaction commits, in the order of commits,
 * and drops it with a savepoint rolled back or a transaction that fails. */
static gboolean
pg_announce (SignpostStore  *store,
             const char     *event,
             GError        **error)
{
  SignpostPgStore *self = SIGNPOST_PG_STORE (store);

  g_return_val_if_fail (self->depth > 0, FALSE);

  if (strlen (event) > SIGNPOST_STORE_ANNOUNCE_MAX)
    {
      g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_STORAGE,
                   "an announcement of %" G_GSIZE_FORMAT " bytes is too long to send",
                   strlen (event));
      return FALSE;
    }
  return signpost_pg_defer (self, "SELECT pg_notify ('" SIGNPOST_PG_EVENTS_CHANNEL "', $1)",
                            error, "s", event);
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

  signpost_pg_clear_source (&self->connect_watch);
  signpost_pg_clear_source (&self->connect_timeout);
  signpost_pg_clear_source (&self->retry);
  signpost_pg_clear_source (&self->socket_watch);
  signpost_pg_clear_source (&self->elsewhere);
  g_queue_clear_full (&self->announced, g_free);
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
  self->pending = g_ptr_array_new_with_free_func (signpost_pg_pending_free);
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
  iface->watch_changes = signpost_pg_store_watch_changes;
  iface->announce = pg_announce;
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
  self->conn = signpost_pg_connect (uri, FALSE);
  if (self->conn == NULL)
    {
      g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_UNAVAILABLE, _("Out of memory"));
      return NULL;
    }
  self->location = signpost_pg_describe (self->conn);
  if (PQstatus (self->conn) != CONNECTION_OK)
    {
      g_autofree char *message = signpost_pg_first_line (PQerrorMessage (self->conn));

      g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_UNAVAILABLE,
                   _("Could not connect to the database at %s: %s"), self->location, message);
      return NULL;
    }
  if (!signpost_pg_store_set_up_session (self, self->conn, error) || !signpost_pg_store_migrate (self, error))
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
