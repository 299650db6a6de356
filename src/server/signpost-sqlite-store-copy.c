/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include "signpost-sqlite-store.h"
#include "signpost-store-copy.h"

/* Writing out everything the SQLite store keeps (admin copy-to), table
 * by table in the order of each key, from one read snapshot: a server
 * writing meanwhile neither waits nor shows half its work. */

static gboolean
export_rows (SignpostDb           *db,
             sqlite3_stmt         *stmt,
             SignpostCopyTable     table,
             SignpostCopyRowFunc   func,
             gpointer              user_data,
             GError              **error)
{
  guint n = signpost_copy_table_n_columns (table);
  const char *values[SIGNPOST_COPY_MAX_COLUMNS];
  int rc;

  if (stmt == NULL)
    return FALSE;
  g_assert ((guint) sqlite3_column_count (stmt) == n);
  while ((rc = signpost_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      for (guint i = 0; i < n; i++)
        values[i] = sqlite3_column_type (stmt, i) == SQLITE_NULL
                      ? NULL : (const char *) sqlite3_column_text (stmt, i);
      if (!func (table, values, user_data, error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
    }
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE;
}

/**
 * signpost_sqlite_store_export:
 *
 * Calls @func for every row of every table (signpost-store-copy.h).
 */
gboolean
signpost_sqlite_store_export (SignpostSqliteStore  *self,
                              SignpostCopyRowFunc   func,
                              gpointer              user_data,
                              GError              **error)
{
  SignpostDb *db = signpost_sqlite_store_get_db (self);
  gboolean ok;

  g_return_val_if_fail (!signpost_db_in_transaction (db), FALSE);

  /* A read transaction: one snapshot of the WAL for every table. */
  if (!signpost_db_exec (db, "BEGIN DEFERRED", error))
    return FALSE;
  ok = export_rows (db, signpost_db_prepare (db, "SELECT value FROM seq_counter WHERE id = 1", error),
                    SIGNPOST_COPY_SEQ_COUNTER, func, user_data, error) &&
       export_rows (db, signpost_db_prepare (db,
                                             "SELECT id, kind, practice_id, version, seq, updated_at,"
                                             "  deleted, data, created_ms FROM records ORDER BY seq",
                                             error),
                    SIGNPOST_COPY_RECORDS, func, user_data, error) &&
       export_rows (db, signpost_db_prepare (db,
                                             "SELECT mutation_id, user_id, result FROM mutations "
                                             "ORDER BY mutation_id",
                                             error),
                    SIGNPOST_COPY_MUTATIONS, func, user_data, error) &&
       export_rows (db, signpost_db_prepare (db,
                                             "SELECT user_id, hash FROM credentials ORDER BY user_id",
                                             error),
                    SIGNPOST_COPY_CREDENTIALS, func, user_data, error) &&
       export_rows (db, signpost_db_prepare (db,
                                             "SELECT hash, user_id, role, expires_at, revoked "
                                             "FROM tokens ORDER BY hash",
                                             error),
                    SIGNPOST_COPY_TOKENS, func, user_data, error) &&
       export_rows (db, signpost_db_prepare (db,
                                             "SELECT number, practice_id, secret FROM lines "
                                             "ORDER BY number",
                                             error),
                    SIGNPOST_COPY_LINES, func, user_data, error) &&
       export_rows (db, signpost_db_prepare (db,
                                             "SELECT key, received_at FROM telephony_events "
                                             "ORDER BY key",
                                             error),
                    SIGNPOST_COPY_TELEPHONY_EVENTS, func, user_data, error) &&
       export_rows (db, signpost_db_prepare (db,
                                             "SELECT key, at FROM login_failures ORDER BY key, at",
                                             error),
                    SIGNPOST_COPY_LOGIN_FAILURES, func, user_data, error) &&
       export_rows (db, signpost_db_prepare (db,
                                             "SELECT id, at, user_id, username, role, action, type,"
                                             "  record_id, patient_id, client, detail "
                                             "FROM audit ORDER BY id",
                                             error),
                    SIGNPOST_COPY_AUDIT, func, user_data, error) &&
       export_rows (db, signpost_db_prepare (db,
                                             "SELECT key, bucket, count, expires_at FROM counters "
                                             "ORDER BY key, bucket",
                                             error),
                    SIGNPOST_COPY_COUNTERS, func, user_data, error) &&
       export_rows (db, signpost_db_prepare (db, "SELECT name, value FROM secrets ORDER BY name",
                                             error),
                    SIGNPOST_COPY_SECRETS, func, user_data, error) &&
       export_rows (db, signpost_db_prepare (db,
                                             "SELECT name, practice_id, secret FROM intake_sources "
                                             "ORDER BY name",
                                             error),
                    SIGNPOST_COPY_INTAKE_SOURCES, func, user_data, error) &&
       export_rows (db, signpost_db_prepare (db,
                                             "SELECT user_id, practice_id FROM former_practices "
                                             "ORDER BY user_id, practice_id",
                                             error),
                    SIGNPOST_COPY_FORMER_PRACTICES, func, user_data, error);
  if (!ok)
    {
      signpost_db_exec (db, "ROLLBACK", NULL);
      return FALSE;
    }
  return signpost_db_exec (db, "COMMIT", error);
}
