/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include "signpost-sqlite-store-private.h"

/*
 * The SQLite store: passwords, session tokens and failed logins.
 */

/* Failed logins are only needed for a while. */
#define FAILURE_KEEP_USEC ((gint64) G_USEC_PER_SEC * 60 * 60 * 24)

/* ---- credentials and tokens -------------------------------------------- */

char *
sqlite_get_password_hash (SignpostStore  *store,
                          const char     *user_id,
                          GError        **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  sqlite3_stmt *stmt;
  char *hash = NULL;

  stmt = signpost_db_prepare (db, "SELECT hash FROM credentials WHERE user_id = ?1", error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "s", user_id))
    return NULL;
  if (signpost_db_step (db, stmt, error) == SQLITE_ROW)
    hash = g_strdup (column_text (stmt, 0));
  sqlite3_reset (stmt);
  return hash;
}

gboolean
sqlite_set_password_hash (SignpostStore  *store,
                          const char     *user_id,
                          const char     *hash,
                          GError        **error)
{
  return signpost_db_run (SIGNPOST_SQLITE_STORE (store)->db,
                          "INSERT INTO credentials (user_id, hash) VALUES (?1, ?2) "
                          "ON CONFLICT (user_id) DO UPDATE SET hash = excluded.hash",
                          error, "ss", user_id, hash);
}

gboolean
sqlite_save_token (SignpostStore  *store,
                   const char     *token_hash,
                   const char     *user_id,
                   const char     *role,
                   gint64          expires_at,
                   GError        **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;

  /* Expired tokens are of no further use; clear them out as we go. */
  return signpost_db_run (db, "DELETE FROM tokens WHERE expires_at < ?1", error, "I",
                          g_get_real_time () - (gint64) G_USEC_PER_SEC * 60 * 60 * 24) &&
         signpost_db_run (db,
                          "INSERT INTO tokens (hash, user_id, role, expires_at, revoked) "
                          "VALUES (?1, ?2, ?3, ?4, 0)",
                          error, "sssI", token_hash, user_id, role, expires_at);
}

gboolean
sqlite_lookup_token (SignpostStore      *store,
                     const char         *token_hash,
                     SignpostTokenInfo  *info,
                     GError            **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  sqlite3_stmt *stmt;
  int rc;

  memset (info, 0, sizeof *info);
  stmt = signpost_db_prepare (db,
                              "SELECT user_id, role, expires_at, revoked FROM tokens "
                              "WHERE hash = ?1",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "s", token_hash))
    return FALSE;
  rc = signpost_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    {
      info->user_id = g_strdup (column_text (stmt, 0));
      info->role = g_strdup (column_text (stmt, 1));
      info->expires_at = sqlite3_column_int64 (stmt, 2);
      info->revoked = sqlite3_column_int (stmt, 3) != 0;
    }
  sqlite3_reset (stmt);
  return rc != -1;
}

gboolean
sqlite_revoke_token (SignpostStore  *store,
                     const char     *token_hash,
                     GError        **error)
{
  return signpost_db_run (SIGNPOST_SQLITE_STORE (store)->db,
                          "UPDATE tokens SET revoked = 1 WHERE hash = ?1",
                          error, "s", token_hash);
}

gboolean
sqlite_revoke_user_tokens (SignpostStore  *store,
                           const char     *user_id,
                           GError        **error)
{
  return signpost_db_run (SIGNPOST_SQLITE_STORE (store)->db,
                          "UPDATE tokens SET revoked = 1 WHERE user_id = ?1",
                          error, "s", user_id);
}

gboolean
sqlite_add_login_failure (SignpostStore  *store,
                          const char     *key,
                          gint64          at,
                          GError        **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;

  return signpost_db_run (db, "DELETE FROM login_failures WHERE key = ?1 AND at < ?2",
                          error, "sI", key, at - FAILURE_KEEP_USEC) &&
         signpost_db_run (db, "INSERT INTO login_failures (key, at) VALUES (?1, ?2)",
                          error, "sI", key, at);
}

gboolean
sqlite_count_login_failures (SignpostStore  *store,
                             const char     *key,
                             gint64          since,
                             guint          *count,
                             gint64         *oldest,
                             GError        **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  sqlite3_stmt *stmt;
  int rc;

  *count = 0;
  *oldest = 0;
  stmt = signpost_db_prepare (db,
                              "SELECT count (*), min (at) FROM login_failures "
                              "WHERE key = ?1 AND at >= ?2",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "sI", key, since))
    return FALSE;
  rc = signpost_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    {
      *count = sqlite3_column_int (stmt, 0);
      *oldest = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  return rc != -1;
}

gboolean
sqlite_clear_login_failures (SignpostStore  *store,
                             const char     *key,
                             GError        **error)
{
  return signpost_db_run (SIGNPOST_SQLITE_STORE (store)->db,
                          "DELETE FROM login_failures WHERE key = ?1", error, "s", key);
}

gboolean
sqlite_remove_login_failure (SignpostStore  *store,
                             const char     *key,
                             gint64          at,
                             GError        **error)
{
  return signpost_db_run (SIGNPOST_SQLITE_STORE (store)->db,
                          "DELETE FROM login_failures WHERE rowid = "
                          "(SELECT rowid FROM login_failures WHERE key = ?1 AND at = ?2 LIMIT 1)",
                          error, "sI", key, at);
}
