/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-sync"

#include "config.h"

#include <string.h>

#include "signpost-cache-private.h"

/* Forms as they were being filled in, kept on disk (synchronous=FULL) so
 * a crash loses nothing. */

#define MAX_RECORD_SIZE (16 * 1024 * 1024)

gboolean
signpost_cache_save_draft (SignpostCache  *self,
                           const char     *key,
                           JsonObject     *data,
                           GError        **error)
{
  g_autofree char *text = NULL;
  g_autofree char *now = signpost_cache_now_timestamp ();

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), FALSE);
  g_return_val_if_fail (key != NULL && data != NULL, FALSE);

  text = signpost_json_object_to_string (data, NULL);
  return signpost_db_run (self->db,
                          "INSERT INTO drafts (key, data, updated_at) VALUES (?1, ?2, ?3)"
                          " ON CONFLICT (key) DO UPDATE SET data = excluded.data,"
                          "  updated_at = excluded.updated_at",
                          error, "sss", key, text, now);
}

JsonObject *
signpost_cache_load_draft (SignpostCache *self,
                           const char    *key)
{
  sqlite3_stmt *stmt;
  JsonObject *object = NULL;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), NULL);

  stmt = signpost_db_prepare (self->db, "SELECT data FROM drafts WHERE key = ?1", NULL);
  if (stmt == NULL || !signpost_db_bind (stmt, NULL, "s", key))
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, 0);
      object = signpost_json_parse_object (text, strlen (text), MAX_RECORD_SIZE, NULL);
    }
  sqlite3_reset (stmt);
  return object;
}

gboolean
signpost_cache_delete_draft (SignpostCache  *self,
                             const char     *key,
                             GError        **error)
{
  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), FALSE);
  return signpost_db_run (self->db, "DELETE FROM drafts WHERE key = ?1", error, "s", key);
}

GStrv
signpost_cache_list_drafts (SignpostCache  *self,
                            const char     *prefix,
                            GError        **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), NULL);

  stmt = signpost_db_prepare (self->db,
                              "SELECT key FROM drafts"
                              " WHERE ?1 IS NULL OR substr (key, 1, length (?1)) = ?1"
                              " ORDER BY updated_at",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "s", prefix))
    return NULL;
  while ((rc = signpost_db_step (self->db, stmt, error)) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  /* A list that could not be read is not "no drafts": the caller says so
   * rather than losing what a crash left. */
  if (rc < 0)
    return NULL;
  return g_strv_builder_end (builder);
}
