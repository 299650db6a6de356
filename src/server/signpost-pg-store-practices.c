/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include "signpost-pg-store-private.h"

/* Removing a practice that moved to another server, and remembering who
 * worked for it: its users' change feed still brings them its tombstones. */

static gboolean
pg_purge_practice (SignpostStore  *store,
                   const char     *practice_id,
                   GDateTime      *now,
                   guint          *n_records,
                   GError        **error)
{
  SignpostPgStore *self = SIGNPOST_PG_STORE (store);
  g_autofree char *updated_at = signpost_timestamp_format (now);
  g_autoptr(PGresult) result = NULL;
  gint64 purged;

  g_return_val_if_fail (self->depth > 0, FALSE);

  if (n_records != NULL)
    *n_records = 0;
  if (!signpost_pg_store_know_seq (self, error))
    return FALSE;
  /* One statement: every live record of the practice becomes a tombstone
   * with the next version and a seq of its own, in the order of the old
   * ones, holding the metadata only (the same text as SQLite writes), and
   * what the queries read from it goes too; its users' credentials and
   * tokens, its lines and its mutation results go with it. */
  result = signpost_pg_run (self,
                            "WITH doomed AS ("
                            "  SELECT id, kind, version, row_number () OVER (ORDER BY seq) AS n"
                            "  FROM records WHERE practice_id = $1 AND NOT deleted),"
                            " credentials_gone AS (DELETE FROM credentials"
                            "  WHERE user_id IN (SELECT id FROM doomed WHERE kind = 'user')),"
                            " tokens_gone AS (DELETE FROM tokens"
                            "  WHERE user_id IN (SELECT id FROM doomed WHERE kind = 'user')),"
                            " lines_gone AS (DELETE FROM lines WHERE practice_id = $1),"
                            " mutations_gone AS (DELETE FROM mutations"
                            "  WHERE (result::jsonb -> 'record' ->> 'practice_id') = $1),"
                            " tombstones AS (UPDATE records r SET deleted = true,"
                            "    version = d.version + 1, seq = $2 + d.n, updated_at = $3,"
                            "    data = '{\"id\":\"' || d.id || '\",\"practice_id\":\"' || $1"
                            "      || '\",\"version\":' || (d.version + 1)"
                            "      || ',\"updated_at\":\"' || $3 || '\",\"seq\":' || ($2 + d.n) || '}',"
                            "    slot_id = NULL, patient_id = NULL, status = NULL, username = NULL,"
                            "    line = NULL, call_ref = NULL, state = NULL, offered_ms = NULL,"
                            "    answered_ms = NULL, start_ms = NULL, date_of_birth = NULL,"
                            "    reference = NULL, source = NULL"
                            "  FROM doomed d WHERE r.id = d.id RETURNING 1) "
                            "SELECT count (*) FROM tombstones",
                            error, "sIs", practice_id, self->seq, updated_at);
  /* Every record of the practice changed in one go. */
  signpost_pg_store_forget_reads (self);
  if (result == NULL)
    return FALSE;
  purged = signpost_pg_int64 (result, 0, 0);
  self->seq += purged;
  if (purged > 0)
    self->wrote_records = TRUE;
  if (n_records != NULL)
    *n_records = (guint) purged;
  return TRUE;
}

static gboolean
pg_add_former_practice (SignpostStore  *store,
                        const char     *user_id,
                        const char     *practice_id,
                        GError        **error)
{
  return signpost_pg_defer (SIGNPOST_PG_STORE (store),
                            "INSERT INTO former_practices (user_id, practice_id) VALUES ($1, $2) "
                            "ON CONFLICT DO NOTHING",
                            error, "ss", user_id, practice_id);
}

static GStrv
pg_list_former_practices (SignpostStore  *store,
                          const char     *user_id,
                          GError        **error)
{
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  result = signpost_pg_run (SIGNPOST_PG_STORE (store),
                            "SELECT practice_id FROM former_practices WHERE user_id = $1",
                            error, "s", user_id);
  if (result == NULL)
    return NULL;
  for (int row = 0; row < PQntuples (result); row++)
    g_strv_builder_add (builder, PQgetvalue (result, row, 0));
  return g_strv_builder_end (builder);
}

void
signpost_pg_store_init_practices (SignpostStoreInterface *iface)
{
  iface->purge_practice = pg_purge_practice;
  iface->add_former_practice = pg_add_former_practice;
  iface->list_former_practices = pg_list_former_practices;
}
