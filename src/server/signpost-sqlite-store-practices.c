/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include "signpost-sqlite-store-private.h"

/*
 * The SQLite store: removing a practice, and the practices a user has left.
 */

/* ---- removing a practice ---------------------------------------------- */

typedef struct {
  char *id;
  char *kind;
  gint64 version;
} Doomed;

static void
doomed_clear (Doomed *doomed)
{
  g_free (doomed->id);
  g_free (doomed->kind);
}

gboolean
sqlite_purge_practice (SignpostStore  *store,
                       const char     *practice_id,
                       GDateTime      *now,
                       guint          *n_records,
                       GError        **error)
{
  SignpostSqliteStore *self = SIGNPOST_SQLITE_STORE (store);
  SignpostDb *db = self->db;
  g_autoptr(GArray) doomed = g_array_new (FALSE, TRUE, sizeof (Doomed));
  g_autofree char *updated_at = signpost_timestamp_format (now);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (signpost_db_in_transaction (db), FALSE);

  if (n_records != NULL)
    *n_records = 0;
  g_array_set_clear_func (doomed, (GDestroyNotify) doomed_clear);
  stmt = signpost_db_prepare (db,
                              "SELECT id, kind, version FROM records "
                              "WHERE practice_id = ?1 AND deleted = 0 ORDER BY seq",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "s", practice_id))
    return FALSE;
  while ((rc = signpost_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      Doomed entry = {
        g_strdup (column_text (stmt, 0)), g_strdup (column_text (stmt, 1)),
        sqlite3_column_int64 (stmt, 2),
      };

      g_array_append_val (doomed, entry);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return FALSE;

  for (guint i = 0; i < doomed->len; i++)
    {
      Doomed *entry = &g_array_index (doomed, Doomed, i);
      g_autofree char *data = NULL;
      gint64 seq = next_seq (db, error);

      if (seq < 0)
        return FALSE;
      self->pending_seq = MAX (self->pending_seq, seq);
      /* Ids, practice ids and instants are ours and need no escaping. */
      data = g_strdup_printf ("{\"id\":\"%s\",\"practice_id\":\"%s\",\"version\":%" G_GINT64_FORMAT
                              ",\"updated_at\":\"%s\",\"seq\":%" G_GINT64_FORMAT "}",
                              entry->id, practice_id, entry->version + 1, updated_at, seq);
      if (!signpost_db_run (db,
                            "UPDATE records SET deleted = 1, version = ?2, seq = ?3, "
                            "updated_at = ?4, data = ?5 WHERE id = ?1",
                            error, "sIIss", entry->id, entry->version + 1, seq, updated_at, data))
        return FALSE;
      if (g_str_equal (entry->kind, "user") &&
          (!signpost_db_run (db, "DELETE FROM credentials WHERE user_id = ?1", error, "s",
                             entry->id) ||
           !signpost_db_run (db, "DELETE FROM tokens WHERE user_id = ?1", error, "s", entry->id)))
        return FALSE;
    }
  if (!signpost_db_run (db, "DELETE FROM lines WHERE practice_id = ?1", error, "s", practice_id) ||
      !signpost_db_run (db,
                        "DELETE FROM mutations "
                        "WHERE json_extract (result, '$.record.practice_id') = ?1",
                        error, "s", practice_id))
    return FALSE;
  if (n_records != NULL)
    *n_records = doomed->len;
  return TRUE;
}

gboolean
sqlite_add_former_practice (SignpostStore  *store,
                            const char     *user_id,
                            const char     *practice_id,
                            GError        **error)
{
  return signpost_db_run (SIGNPOST_SQLITE_STORE (store)->db,
                          "INSERT INTO former_practices (user_id, practice_id) VALUES (?1, ?2) "
                          "ON CONFLICT DO NOTHING",
                          error, "ss", user_id, practice_id);
}

GStrv
sqlite_list_former_practices (SignpostStore  *store,
                              const char     *user_id,
                              GError        **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  stmt = signpost_db_prepare (db, "SELECT practice_id FROM former_practices WHERE user_id = ?1",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "s", user_id))
    return NULL;
  while ((rc = signpost_db_step (db, stmt, error)) == SQLITE_ROW)
    g_strv_builder_add (builder, column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return NULL;
  return g_strv_builder_end (builder);
}
