/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include "signpost-sqlite-store-private.h"

/*
 * The SQLite store: online requests (the patients to match them with,
 * their times for the day's figures, rate-limit counters, secrets and
 * intake sources).
 */

/* ---- online requests ----------------------------------------------------- */

GPtrArray *
sqlite_list_patients_born (SignpostStore  *store,
                           const char     *practice_id,
                           const char     *date_of_birth,
                           GError        **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  sqlite3_stmt *stmt;

  stmt = signpost_db_prepare (db,
                              "SELECT data FROM records "
                              "WHERE kind = 'patient' AND deleted = 0 AND practice_id = ?1 "
                              "  AND json_extract (data, '$.date_of_birth') = ?2 "
                              "ORDER BY seq",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "ss", practice_id, date_of_birth))
    return NULL;
  return collect_records (db, stmt, SIGNPOST_TYPE_PATIENT, error);
}

gboolean
sqlite_foreach_request_times (SignpostStore             *store,
                              const char                *practice_id,
                              gint64                     from_ms,
                              gint64                     to_ms,
                              SignpostRequestTimesFunc   func,
                              gpointer                   user_data,
                              GError                   **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  sqlite3_stmt *stmt;
  int rc;

  stmt = signpost_db_prepare (db,
                              "SELECT created_ms, json_extract (data, '$.source'),"
                              "       json_extract (data, '$.request_type'),"
                              "       " MS ("json_extract (data, '$.outcome_at')") ","
                              "       " MS ("json_extract (data, '$.respond_by')") " "
                              "FROM records "
                              "WHERE kind = 'triage' AND deleted = 0 AND practice_id = ?1"
                              "  AND json_extract (data, '$.source') IN ('online', 'intake')"
                              "  AND created_ms >= ?2 AND created_ms < ?3 "
                              "ORDER BY created_ms, id",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "sII", practice_id, from_ms, to_ms))
    return FALSE;
  while ((rc = signpost_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      SignpostRequestTimes request = {
        .created_ms = sqlite3_column_int64 (stmt, 0),
        .source = column_text (stmt, 1),
        .request_type = column_text (stmt, 2),
        .outcome_ms = column_ms (stmt, 3),
        .respond_by_ms = column_ms (stmt, 4),
      };

      if (!func (&request, user_data))
        break;
    }
  sqlite3_reset (stmt);
  return rc != -1;
}

gboolean
sqlite_bump_counter (SignpostStore  *store,
                     const char     *key,
                     gint64          bucket,
                     gint64          limit,
                     gint64          expires_at,
                     gint64         *count,
                     GError        **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  sqlite3_stmt *stmt;
  int rc;

  *count = 0;
  if (limit > 0)
    {
      /* Refusals only read: a client over its limit costs no write. */
      stmt = signpost_db_prepare (db, "SELECT count FROM counters WHERE key = ?1 AND bucket = ?2",
                                  error);
      if (stmt == NULL || !signpost_db_bind (stmt, error, "sI", key, bucket))
        return FALSE;
      rc = signpost_db_step (db, stmt, error);
      if (rc == SQLITE_ROW)
        *count = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      if (rc == -1)
        return FALSE;
      if (*count >= limit)
        {
          *count += 1;      /* what this one would have been: over the limit */
          return TRUE;
        }
    }
  if (!signpost_db_run (db, "DELETE FROM counters WHERE expires_at < ?1", error, "I",
                        g_get_real_time ()))
    return FALSE;
  stmt = signpost_db_prepare (db,
                              "INSERT INTO counters (key, bucket, count, expires_at) "
                              "VALUES (?1, ?2, 1, ?3) "
                              "ON CONFLICT (key, bucket) DO UPDATE SET "
                              "  count = counters.count + 1,"
                              "  expires_at = max (counters.expires_at, excluded.expires_at) "
                              "RETURNING count",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "sII", key, bucket, expires_at))
    return FALSE;
  rc = signpost_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    *count = sqlite3_column_int64 (stmt, 0);
  while (rc == SQLITE_ROW)
    rc = signpost_db_step (db, stmt, error);
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE;
}

gboolean
sqlite_foreach_counter (SignpostStore        *store,
                        const char           *key,
                        gint64                from_bucket,
                        gint64                to_bucket,
                        SignpostCounterFunc   func,
                        gpointer              user_data,
                        GError              **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  sqlite3_stmt *stmt;
  int rc;

  stmt = signpost_db_prepare (db,
                              "SELECT bucket, count FROM counters "
                              "WHERE key = ?1 AND bucket >= ?2 AND bucket < ?3 ORDER BY bucket",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "sII", key, from_bucket, to_bucket))
    return FALSE;
  while ((rc = signpost_db_step (db, stmt, error)) == SQLITE_ROW)
    if (!func (sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1), user_data))
      break;
  sqlite3_reset (stmt);
  return rc != -1;
}

char *
sqlite_ensure_secret (SignpostStore  *store,
                      const char     *name,
                      const char     *candidate,
                      GError        **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  sqlite3_stmt *stmt;
  char *value = NULL;
  int rc;

  if (!signpost_db_run (db, "INSERT INTO secrets (name, value) VALUES (?1, ?2) "
                            "ON CONFLICT (name) DO NOTHING",
                        error, "ss", name, candidate))
    return NULL;
  stmt = signpost_db_prepare (db, "SELECT value FROM secrets WHERE name = ?1", error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "s", name))
    return NULL;
  rc = signpost_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    value = g_strdup (column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (value == NULL && rc != -1)
    g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_STORAGE, "the secret %s was not kept", name);
  return value;
}

gboolean
sqlite_get_intake_source (SignpostStore  *store,
                          const char     *name,
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
  stmt = signpost_db_prepare (db, "SELECT practice_id, secret FROM intake_sources WHERE name = ?1",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "s", name))
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
sqlite_set_intake_source (SignpostStore  *store,
                          const char     *name,
                          const char     *practice_id,
                          const char     *secret,
                          GError        **error)
{
  return signpost_db_run (SIGNPOST_SQLITE_STORE (store)->db,
                          "INSERT INTO intake_sources (name, practice_id, secret) VALUES (?1, ?2, ?3) "
                          "ON CONFLICT (name) DO UPDATE SET "
                          "  practice_id = excluded.practice_id, secret = excluded.secret",
                          error, "sss", name, practice_id, secret);
}
