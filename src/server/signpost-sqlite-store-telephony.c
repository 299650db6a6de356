/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include "signpost-sqlite-store-private.h"

/*
 * The SQLite store: telephony lines, and the keys that tell a webhook
 * event delivered twice.
 */

/* Telephony dedupe keys are only needed for a while. */
#define EVENT_KEEP_USEC ((gint64) G_USEC_PER_SEC * 60 * 60 * 48)

/* ---- telephony --------------------------------------------------------- */

gboolean
sqlite_get_line (SignpostStore  *store,
                 const char     *number,
                 char          **practice_id,
                 char          **secret,
                 GError        **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  sqlite3_stmt *stmt;
  int rc;

  *practice_id = NULL;
  if (secret != NULL)
    *secret = NULL;
  stmt = signpost_db_prepare (db, "SELECT practice_id, secret FROM lines WHERE number = ?1",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "s", number))
    return FALSE;
  rc = signpost_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    {
      *practice_id = g_strdup (column_text (stmt, 0));
      if (secret != NULL)
        *secret = g_strdup (column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  return rc != -1;
}

gboolean
sqlite_set_line (SignpostStore  *store,
                 const char     *number,
                 const char     *practice_id,
                 const char     *secret,
                 GError        **error)
{
  return signpost_db_run (SIGNPOST_SQLITE_STORE (store)->db,
                          "INSERT INTO lines (number, practice_id, secret) VALUES (?1, ?2, ?3) "
                          "ON CONFLICT (number) DO UPDATE SET "
                          "  practice_id = excluded.practice_id, secret = excluded.secret",
                          error, "sss", number, practice_id, secret);
}

gboolean
sqlite_remember_event (SignpostStore  *store,
                       const char     *key,
                       gint64          at,
                       gboolean       *fresh,
                       GError        **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;

  *fresh = FALSE;
  if (!signpost_db_run (db, "DELETE FROM telephony_events WHERE received_at < ?1",
                        error, "I", at - EVENT_KEEP_USEC) ||
      !signpost_db_run (db,
                        "INSERT INTO telephony_events (key, received_at) VALUES (?1, ?2) "
                        "ON CONFLICT (key) DO NOTHING",
                        error, "sI", key, at))
    return FALSE;
  *fresh = signpost_db_changes (db) == 1;
  return TRUE;
}
