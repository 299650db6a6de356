/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include "signpost-sqlite-store-private.h"

/*
 * The SQLite store beside other connections: noticing commits made
 * elsewhere, and checkpoints on a thread and connection of their own.
 */

#define CHECKPOINT_INTERVAL_US (500 * 1000)
#define WATCH_INTERVAL_MS 250

/* ---- commits made elsewhere --------------------------------------------- */

static gboolean
read_data_version (SignpostDb *db,
                   gint64     *version)
{
  sqlite3_stmt *stmt = signpost_db_prepare (db, "PRAGMA data_version", NULL);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = signpost_db_step (db, stmt, NULL);
  if (rc == SQLITE_ROW)
    *version = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW;
}

static gboolean
watch_tick (gpointer data)
{
  SignpostSqliteStore *self = data;
  gint64 version = 0;
  gint64 head;
  gint64 since;

  /* Between requests only: a transaction of ours is never left open across
   * the main loop, but a handler may be running one now. */
  if (signpost_db_in_transaction (self->db) || !read_data_version (self->db, &version))
    return G_SOURCE_CONTINUE;
  if (version == self->data_version)
    {
      self->seen_seq = MAX (self->seen_seq, self->committed_seq);
      return G_SOURCE_CONTINUE;
    }
  self->data_version = version;
  head = sqlite_get_last_seq (SIGNPOST_STORE (self), NULL);
  if (head < 0)
    return G_SOURCE_CONTINUE;
  since = self->seen_seq;
  self->seen_seq = MAX (head, self->committed_seq);
  if (head > since)
    g_signal_emit_by_name (self, "changed-elsewhere", since);
  return G_SOURCE_CONTINUE;
}

/* A SQLite file is one practice's server: a second instance sharing it
 * (which works, one writer at a time) hears its writes through
 * data_version, but live call events between instances need a database
 * that can carry them (PostgreSQL's NOTIFY). Nobody to tell here. */
gboolean
sqlite_announce (SignpostStore  *store,
                 const char     *event,
                 GError        **error)
{
  return TRUE;
}

gboolean
sqlite_watch_changes (SignpostStore  *store,
                      GError        **error)
{
  SignpostSqliteStore *self = SIGNPOST_SQLITE_STORE (store);
  gint64 head;

  if (self->watch_id != 0)
    return TRUE;
  head = sqlite_get_last_seq (store, error);
  if (head < 0)
    return FALSE;
  if (!read_data_version (self->db, &self->data_version))
    {
      signpost_db_set_error (self->db, error, "PRAGMA data_version");
      return FALSE;
    }
  self->seen_seq = head;
  self->watch_id = g_timeout_add (WATCH_INTERVAL_MS, watch_tick, self);
  return TRUE;
}

gboolean
sqlite_check (SignpostStore  *store,
              GError        **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  sqlite3_stmt *stmt = signpost_db_prepare (db, "SELECT 1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = signpost_db_step (db, stmt, error);
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW;
}

/* ---- checkpoints ------------------------------------------------------- */

gpointer
checkpoint_thread (gpointer data)
{
  SignpostSqliteStore *self = data;
  g_autoptr(SignpostDb) db = NULL;
  g_autoptr(GError) error = NULL;

  db = signpost_db_open (signpost_db_get_path (self->db), SIGNPOST_DB_DEFAULT, &error);
  if (db == NULL)
    {
      g_warning ("No checkpoints: %s", error->message);
      return NULL;
    }
  g_mutex_lock (&self->lock);
  while (!self->stopping)
    {
      gint64 until = g_get_monotonic_time () + CHECKPOINT_INTERVAL_US;

      while (!self->stopping && g_cond_wait_until (&self->wake, &self->lock, until))
        ;
      if (self->stopping)
        break;
      g_mutex_unlock (&self->lock);
      /* PASSIVE: never waits for, or blocks, the writer. */
      if (!signpost_db_exec (db, "PRAGMA wal_checkpoint(PASSIVE)", &error))
        {
          g_debug ("Checkpoint: %s", error->message);
          g_clear_error (&error);
        }
      g_mutex_lock (&self->lock);
    }
  g_mutex_unlock (&self->lock);
  return NULL;
}
