/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include "signpost-sqlite-store-private.h"

/*
 * The SQLite store: the audit log.
 */

/* ---- audit ------------------------------------------------------------- */

gboolean
sqlite_append_audit (SignpostStore             *store,
                     const SignpostAuditEvent  *event,
                     GError                   **error)
{
  return signpost_db_run (SIGNPOST_SQLITE_STORE (store)->db,
                          "INSERT INTO audit (at, user_id, username, role, action, type, "
                          "                   record_id, patient_id, client, detail) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                          error, "Isssssssss",
                          event->at, event->user_id, event->username, event->role,
                          event->action, event->type, event->record_id, event->patient_id,
                          event->client, event->detail);
}

gboolean
sqlite_foreach_audit (SignpostStore      *store,
                      const char         *patient_id,
                      const char         *user_id,
                      gint64              since_id,
                      guint               limit,
                      SignpostAuditFunc   func,
                      gpointer            user_data,
                      GError            **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  sqlite3_stmt *stmt;
  int rc;

  stmt = signpost_db_prepare (db,
                              "SELECT id, at, user_id, username, role, action, type, record_id, "
                              "       patient_id, client, detail FROM audit "
                              "WHERE id > ?1 AND (?2 IS NULL OR patient_id = ?2) "
                              "AND (?3 IS NULL OR user_id = ?3) ORDER BY id LIMIT ?4",
                              error);
  if (stmt == NULL ||
      !signpost_db_bind (stmt, error, "Issi", since_id, patient_id, user_id, (int) limit))
    return FALSE;
  while ((rc = signpost_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      SignpostAuditEvent event = {
        .id = sqlite3_column_int64 (stmt, 0),
        .at = sqlite3_column_int64 (stmt, 1),
        .user_id = column_text (stmt, 2),
        .username = column_text (stmt, 3),
        .role = column_text (stmt, 4),
        .action = column_text (stmt, 5),
        .type = column_text (stmt, 6),
        .record_id = column_text (stmt, 7),
        .patient_id = column_text (stmt, 8),
        .client = column_text (stmt, 9),
        .detail = column_text (stmt, 10),
      };

      if (!func (&event, user_data))
        break;
    }
  sqlite3_reset (stmt);
  return rc != -1;
}
