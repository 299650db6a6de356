/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <string.h>

#include "signpost-pg-store-private.h"

/* Mutation results (idempotency), password hashes, tokens and login
 * failures: shared by every instance, so none of it lives in memory. */

/* Login failures are only needed for a while (as in the SQLite store). */
#define FAILURE_KEEP_USEC ((gint64) G_USEC_PER_SEC * 60 * 60 * 24)
/* Expired tokens are cleared out a day after they expire. */
#define TOKEN_KEEP_USEC ((gint64) G_USEC_PER_SEC * 60 * 60 * 24)

static gboolean
pg_lookup_mutation (SignpostStore  *store,
                    const char     *mutation_id,
                    char          **user_id,
                    char          **result_text,
                    GError        **error)
{
  SignpostPgStore *self = SIGNPOST_PG_STORE (store);
  g_autoptr(PGresult) result = NULL;

  *user_id = NULL;
  *result_text = NULL;
  result = signpost_pg_run (self, "SELECT user_id, result FROM mutations WHERE mutation_id = $1",
                            error, "s", mutation_id);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    {
      *user_id = g_strdup (signpost_pg_text (result, 0, 0));
      *result_text = g_strdup (signpost_pg_text (result, 0, 1));
    }
  return TRUE;
}

static gboolean
pg_save_mutation (SignpostStore  *store,
                  const char     *mutation_id,
                  const char     *user_id,
                  const char     *result_text,
                  GError        **error)
{
  return signpost_pg_defer (SIGNPOST_PG_STORE (store),
                            "INSERT INTO mutations (mutation_id, user_id, result) "
                            "VALUES ($1, $2, $3)",
                            error, "sss", mutation_id, user_id, result_text);
}

static char *
pg_get_password_hash (SignpostStore  *store,
                      const char     *user_id,
                      GError        **error)
{
  g_autoptr(PGresult) result = NULL;

  result = signpost_pg_run (SIGNPOST_PG_STORE (store),
                            "SELECT hash FROM credentials WHERE user_id = $1",
                            error, "s", user_id);
  if (result == NULL || PQntuples (result) == 0)
    return NULL;
  return g_strdup (signpost_pg_text (result, 0, 0));
}

static gboolean
pg_set_password_hash (SignpostStore  *store,
                      const char     *user_id,
                      const char     *hash,
                      GError        **error)
{
  return signpost_pg_defer (SIGNPOST_PG_STORE (store),
                            "INSERT INTO credentials (user_id, hash) VALUES ($1, $2) "
                            "ON CONFLICT (user_id) DO UPDATE SET hash = excluded.hash",
                            error, "ss", user_id, hash);
}

static gboolean
pg_save_token (SignpostStore  *store,
               const char     *token_hash,
               const char     *user_id,
               const char     *role,
               gint64          expires_at,
               GError        **error)
{
  /* Expired tokens are of no further use; clear them out as we go (one
   * round trip: the rows deleted are never the one inserted). */
  return signpost_pg_defer (SIGNPOST_PG_STORE (store),
                            "WITH expired AS (DELETE FROM tokens WHERE expires_at < $5) "
                            "INSERT INTO tokens (hash, user_id, role, expires_at, revoked) "
                            "VALUES ($1, $2, $3, $4, false)",
                            error, "sssII", token_hash, user_id, role, expires_at,
                            g_get_real_time () - TOKEN_KEEP_USEC);
}

static gboolean
pg_lookup_token (SignpostStore      *store,
                 const char         *token_hash,
                 SignpostTokenInfo  *info,
                 GError            **error)
{
  g_autoptr(PGresult) result = NULL;

  memset (info, 0, sizeof *info);
  result = signpost_pg_run (SIGNPOST_PG_STORE (store),
                            "SELECT user_id, role, expires_at, revoked FROM tokens WHERE hash = $1",
                            error, "s", token_hash);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    {
      info->user_id = g_strdup (signpost_pg_text (result, 0, 0));
      info->role = g_strdup (signpost_pg_text (result, 0, 1));
      info->expires_at = signpost_pg_int64 (result, 0, 2);
      info->revoked = signpost_pg_bool (result, 0, 3);
    }
  return TRUE;
}

static gboolean
pg_revoke_token (SignpostStore  *store,
                 const char     *token_hash,
                 GError        **error)
{
  return signpost_pg_defer (SIGNPOST_PG_STORE (store),
                            "UPDATE tokens SET revoked = true WHERE hash = $1",
                            error, "s", token_hash);
}

static gboolean
pg_revoke_user_tokens (SignpostStore  *store,
                       const char     *user_id,
                       GError        **error)
{
  return signpost_pg_defer (SIGNPOST_PG_STORE (store),
                            "UPDATE tokens SET revoked = true WHERE user_id = $1",
                            error, "s", user_id);
}

static gboolean
pg_add_login_failure (SignpostStore  *store,
                      const char     *key,
                      gint64          at,
                      GError        **error)
{
  return signpost_pg_defer (SIGNPOST_PG_STORE (store),
                            "WITH old AS (DELETE FROM login_failures WHERE key = $1 AND at < $3) "
                            "INSERT INTO login_failures (key, at) VALUES ($1, $2)",
                            error, "sII", key, at, at - FAILURE_KEEP_USEC);
}

static gboolean
pg_count_login_failures (SignpostStore  *store,
                         const char     *key,
                         gint64          since,
                         guint          *count,
                         gint64         *oldest,
                         GError        **error)
{
  g_autoptr(PGresult) result = NULL;

  *count = 0;
  *oldest = 0;
  result = signpost_pg_run (SIGNPOST_PG_STORE (store),
                            "SELECT count (*), min (at) FROM login_failures "
                            "WHERE key = $1 AND at >= $2",
                            error, "sI", key, since);
  if (result == NULL)
    return FALSE;
  *count = (guint) signpost_pg_int64 (result, 0, 0);
  *oldest = signpost_pg_int64 (result, 0, 1);
  return TRUE;
}

static gboolean
pg_clear_login_failures (SignpostStore  *store,
                         const char     *key,
                         GError        **error)
{
  return signpost_pg_defer (SIGNPOST_PG_STORE (store),
                            "DELETE FROM login_failures WHERE key = $1", error, "s", key);
}

static gboolean
pg_remove_login_failure (SignpostStore  *store,
                         const char     *key,
                         gint64          at,
                         GError        **error)
{
  return signpost_pg_defer (SIGNPOST_PG_STORE (store),
                            "DELETE FROM login_failures WHERE ctid = "
                            "(SELECT ctid FROM login_failures WHERE key = $1 AND at = $2 LIMIT 1)",
                            error, "sI", key, at);
}

void
signpost_pg_store_init_auth (SignpostStoreInterface *iface)
{
  iface->lookup_mutation = pg_lookup_mutation;
  iface->save_mutation = pg_save_mutation;
  iface->get_password_hash = pg_get_password_hash;
  iface->set_password_hash = pg_set_password_hash;
  iface->save_token = pg_save_token;
  iface->lookup_token = pg_lookup_token;
  iface->revoke_token = pg_revoke_token;
  iface->revoke_user_tokens = pg_revoke_user_tokens;
  iface->add_login_failure = pg_add_login_failure;
  iface->count_login_failures = pg_count_login_failures;
  iface->clear_login_failures = pg_clear_login_failures;
  iface->remove_login_failure = pg_remove_login_failure;
}
