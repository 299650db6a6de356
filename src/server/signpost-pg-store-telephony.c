/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include "signpost-pg-store-private.h"

/* Phone lines (their practice and webhook secret) and the keys that make
 * a webhook event delivered twice count once, across every instance. */

/* Telephony dedupe keys are only needed for a while (as in SQLite). */
#define EVENT_KEEP_USEC ((gint64) G_USEC_PER_SEC * 60 * 60 * 48)

static gboolean
pg_get_line (SignpostStore  *store,
             const char     *number,
             char          **practice_id,
             char          **secret,
             GError        **error)
{
  g_autoptr(PGresult) result = NULL;

  *practice_id = NULL;
  if (secret != NULL)
    *secret = NULL;
  result = signpost_pg_run (SIGNPOST_PG_STORE (store),
                            "SELECT practice_id, secret FROM lines WHERE number = $1",
                            error, "s", number);
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
pg_set_line (SignpostStore  *store,
             const char     *number,
             const char     *practice_id,
             const char     *secret,
             GError        **error)
{
  return signpost_pg_defer (SIGNPOST_PG_STORE (store),
                            "INSERT INTO lines (number, practice_id, secret) VALUES ($1, $2, $3) "
                            "ON CONFLICT (number) DO UPDATE SET "
                            "  practice_id = excluded.practice_id, secret = excluded.secret",
                            error, "sss", number, practice_id, secret);
}

static gboolean
pg_remember_event (SignpostStore  *store,
                   const char     *key,
                   gint64          at,
                   gboolean       *fresh,
                   GError        **error)
{
  g_autoptr(PGresult) result = NULL;

  *fresh = FALSE;
  result = signpost_pg_run (SIGNPOST_PG_STORE (store),
                            "SELECT coalesce (signpost_remember_event ($1, $2, $3), false)",
                            error, "sII", key, at, at - EVENT_KEEP_USEC);
  if (result == NULL)
    return FALSE;
  *fresh = signpost_pg_bool (result, 0, 0);
  return TRUE;
}

void
signpost_pg_store_init_telephony (SignpostStoreInterface *iface)
{
  iface->get_line = pg_get_line;
  iface->set_line = pg_set_line;
  iface->remember_event = pg_remember_event;
}
