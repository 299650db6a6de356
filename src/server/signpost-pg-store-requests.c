/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include "signpost-pg-store-private.h"

/* Online requests: finding the patient a request is from, the figures of
 * the requests that came in online, counters and secrets that every
 * instance shares, and the intake API's sources. */

#define MS(doc, key) \
  "round (extract (epoch FROM (" doc " ->> '" key "')::timestamptz) * 1000)::bigint"

static GPtrArray *
pg_list_patients_born (SignpostStore  *store,
                       const char     *practice_id,
                       const char     *date_of_birth,
                       GError        **error)
{
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GPtrArray) patients = g_ptr_array_new_with_free_func (g_object_unref);
  int rows;

  result = signpost_pg_run (SIGNPOST_PG_STORE (store),
                            "SELECT data FROM records "
                            "WHERE kind = 'patient' AND NOT deleted AND practice_id = $1"
                            "  AND date_of_birth = $2 "
                            "ORDER BY seq",
                            error, "ss", practice_id, date_of_birth);
  if (result == NULL)
    return NULL;
  rows = PQntuples (result);
  for (int row = 0; row < rows; row++)
    {
      g_autoptr(GError) local_error = NULL;
      gpointer patient = signpost_object_new_from_string (SIGNPOST_TYPE_PATIENT,
                                                          PQgetvalue (result, row, 0),
                                                          PQgetlength (result, row, 0),
                                                          SIGNPOST_DECODE_FULL, &local_error);

      if (patient == NULL)
        {
          g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_STORAGE,
                       "stored record is unreadable: %s", local_error->message);
          return NULL;
        }
      g_ptr_array_add (patients, patient);
    }
  return g_steal_pointer (&patients);
}

static gboolean
pg_foreach_request_times (SignpostStore             *store,
                          const char                *practice_id,
                          gint64                     from_ms,
                          gint64                     to_ms,
                          SignpostRequestTimesFunc   func,
                          gpointer                   user_data,
                          GError                   **error)
{
  g_autoptr(PGresult) result = NULL;
  int rows;

  /* A range of records_request_created; the rest read from the JSON. */
  result = signpost_pg_run (SIGNPOST_PG_STORE (store),
                            "SELECT created_ms, source, j ->> 'request_type',"
                            "       " MS ("j", "outcome_at") ", " MS ("j", "respond_by") " "
                            "FROM (SELECT created_ms, source, id, data::jsonb AS j FROM records"
                            "      WHERE kind = 'triage' AND NOT deleted AND practice_id = $1"
                            "      AND source IN ('online', 'intake')"
                            "      AND created_ms >= $2 AND created_ms < $3 OFFSET 0) requests "
                            "ORDER BY created_ms, id",
                            error, "sII", practice_id, from_ms, to_ms);
  if (result == NULL)
    return FALSE;
  rows = PQntuples (result);
  for (int row = 0; row < rows; row++)
    {
      SignpostRequestTimes request = {
        .created_ms = signpost_pg_int64 (result, row, 0),
        .source = signpost_pg_text (result, row, 1),
        .request_type = signpost_pg_text (result, row, 2),
        .outcome_ms = signpost_pg_ms (result, row, 3),
        .respond_by_ms = signpost_pg_ms (result, row, 4),
      };

      if (!func (&request, user_data))
        break;
    }
  return TRUE;
}

static gboolean
pg_bump_counter (SignpostStore  *store,
                 const char     *key,
                 gint64          bucket,
                 gint64          limit,
                 gint64          expires_at,
                 gint64         *count,
                 GError        **error)
{
  g_autoptr(PGresult) result = NULL;

  /* One round trip; the limit holds across instances (see the schema). */
  *count = 0;
  result = signpost_pg_run (SIGNPOST_PG_STORE (store),
                            "SELECT signpost_bump_counter ($1, $2, $3, $4, $5)",
                            error, "sIIII", key, bucket, limit, expires_at, g_get_real_time ());
  if (result == NULL)
    return FALSE;
  *count = signpost_pg_int64 (result, 0, 0);
  return TRUE;
}

static gboolean
pg_foreach_counter (SignpostStore        *store,
                    const char           *key,
                    gint64                from_bucket,
                    gint64                to_bucket,
                    SignpostCounterFunc   func,
                    gpointer              user_data,
                    GError              **error)
{
  g_autoptr(PGresult) result = NULL;
  int rows;

  result = signpost_pg_run (SIGNPOST_PG_STORE (store),
                            "SELECT bucket, count FROM counters "
                            "WHERE key = $1 AND bucket >= $2 AND bucket < $3 ORDER BY bucket",
                            error, "sII", key, from_bucket, to_bucket);
  if (result == NULL)
    return FALSE;
  rows = PQntuples (result);
  for (int row = 0; row < rows; row++)
    if (!func (signpost_pg_int64 (result, row, 0), signpost_pg_int64 (result, row, 1), user_data))
      break;
  return TRUE;
}

static char *
pg_ensure_secret (SignpostStore  *store,
                  const char     *name,
                  const char     *candidate,
                  GError        **error)
{
  SignpostPgStore *self = SIGNPOST_PG_STORE (store);
  g_autoptr(PGresult) inserted = NULL;
  g_autoptr(PGresult) result = NULL;

  /* Two statements: the second must see whichever instance's candidate
   * won, committed after the first began. */
  inserted = signpost_pg_run (self,
                              "INSERT INTO secrets (name, value) VALUES ($1, $2) "
                              "ON CONFLICT (name) DO NOTHING",
                              error, "ss", name, candidate);
  if (inserted == NULL)
    return NULL;
  result = signpost_pg_run (self, "SELECT value FROM secrets WHERE name = $1", error, "s", name);
  if (result == NULL)
    return NULL;
  if (PQntuples (result) == 0)
    {
      g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_STORAGE, "the secret %s was not kept", name);
      return NULL;
    }
  return g_strdup (signpost_pg_text (result, 0, 0));
}

static gboolean
pg_get_intake_source (SignpostStore  *store,
                      const char     *name,
                      char          **practice_id,
                      char          **secret,
                      GError        **error)
{
  g_autoptr(PGresult) result = NULL;

  *practice_id = NULL;
  if (secret != NULL)
    *secret = NULL;
  result = signpost_pg_run (SIGNPOST_PG_STORE (store),
                            "SELECT practice_id, secret FROM intake_sources WHERE name = $1",
                            error, "s", name);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    {
      *practice_id = g_strdup (signpost_pg_text (result, 0, 0));
      if (secret != NULL)
        *secret = g_strdup (signpost_pg_text (result, 0, 1));
    }
  return TRUE;
}

static gboolean
pg_set_intake_source (SignpostStore  *store,
                      const char     *name,
                      const char     *practice_id,
                      const char     *secret,
                      GError        **error)
{
  return signpost_pg_defer (SIGNPOST_PG_STORE (store),
                            "INSERT INTO intake_sources (name, practice_id, secret) "
                            "VALUES ($1, $2, $3) "
                            "ON CONFLICT (name) DO UPDATE SET "
                            "  practice_id = excluded.practice_id, secret = excluded.secret",
                            error, "sss", name, practice_id, secret);
}

void
signpost_pg_store_init_requests (SignpostStoreInterface *iface)
{
  iface->list_patients_born = pg_list_patients_born;
  iface->foreach_request_times = pg_foreach_request_times;
  iface->bump_counter = pg_bump_counter;
  iface->foreach_counter = pg_foreach_counter;
  iface->ensure_secret = pg_ensure_secret;
  iface->get_intake_source = pg_get_intake_source;
  iface->set_intake_source = pg_set_intake_source;
}
