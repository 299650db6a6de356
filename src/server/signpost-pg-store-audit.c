/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include "signpost-pg-store-private.h"

/* The audit log: append-only (the schema's triggers refuse anything else). */

static gboolean
pg_append_audit (SignpostStore             *store,
                 const SignpostAuditEvent  *event,
                 GError                   **error)
{
  return signpost_pg_defer (SIGNPOST_PG_STORE (store),
                            "INSERT INTO audit (at, user_id, username, role, action, type, "
                            "                   record_id, patient_id, client, detail) "
                            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                            error, "Isssssssss",
                            event->at, event->user_id, event->username, event->role,
                            event->action, event->type, event->record_id, event->patient_id,
                            event->client, event->detail);
}

#define AUDIT_BATCH 1000

/* A list import's audit events, a batch to a statement. */
static gboolean
pg_append_audits (SignpostStore             *store,
                  const SignpostAuditEvent  *events,
                  guint                      n_events,
                  GError                   **error)
{
  for (guint start = 0; start < n_events; start += AUDIT_BATCH)
    {
      guint n = MIN (AUDIT_BATCH, n_events - start);
      GString *arrays[10];
      g_autoptr(PGresult) result = NULL;

      for (guint c = 0; c < G_N_ELEMENTS (arrays); c++)
        arrays[c] = g_string_new ("{");
      for (guint i = start; i < start + n; i++)
        {
          signpost_pg_array_add_int (arrays[0], events[i].at, FALSE);
          signpost_pg_array_add_text (arrays[1], events[i].user_id);
          signpost_pg_array_add_text (arrays[2], events[i].username);
          signpost_pg_array_add_text (arrays[3], events[i].role);
          signpost_pg_array_add_text (arrays[4], events[i].action);
          signpost_pg_array_add_text (arrays[5], events[i].type);
          signpost_pg_array_add_text (arrays[6], events[i].record_id);
          signpost_pg_array_add_text (arrays[7], events[i].patient_id);
          signpost_pg_array_add_text (arrays[8], events[i].client);
          signpost_pg_array_add_text (arrays[9], events[i].detail);
        }
      for (guint c = 0; c < G_N_ELEMENTS (arrays); c++)
        g_string_append_c (arrays[c], '}');
      /* WITH ORDINALITY keeps the events in their order for their ids. */
      result = signpost_pg_run (SIGNPOST_PG_STORE (store),
                                "INSERT INTO audit (at, user_id, username, role, action, type, "
                                "                   record_id, patient_id, client, detail) "
                                "SELECT at, user_id, username, role, action, type, record_id,"
                                "       patient_id, client, detail "
                                "FROM unnest ($1::bigint[], $2::text[], $3::text[], $4::text[],"
                                "             $5::text[], $6::text[], $7::text[], $8::text[],"
                                "             $9::text[], $10::text[])"
                                "  WITH ORDINALITY AS e (at, user_id, username, role, action, type,"
                                "                       record_id, patient_id, client, detail, n) "
                                "ORDER BY n",
                                error, "ssssssssss",
                                arrays[0]->str, arrays[1]->str, arrays[2]->str, arrays[3]->str,
                                arrays[4]->str, arrays[5]->str, arrays[6]->str, arrays[7]->str,
                                arrays[8]->str, arrays[9]->str);
      for (guint c = 0; c < G_N_ELEMENTS (arrays); c++)
        g_string_free (arrays[c], TRUE);
      if (result == NULL)
        return FALSE;
    }
  return TRUE;
}

static gboolean
pg_foreach_audit (SignpostStore      *store,
                  const char         *patient_id,
                  const char         *user_id,
                  gint64              since_id,
                  guint               limit,
                  SignpostAuditFunc   func,
                  gpointer            user_data,
                  GError            **error)
{
  SignpostPgStore *self = SIGNPOST_PG_STORE (store);
  g_autoptr(PGresult) result = NULL;
  int rows;

#define AUDIT_COLUMNS \
  "SELECT id, at, user_id, username, role, action, type, record_id, patient_id, client, detail " \
  "FROM audit "
  /* One statement per filter, so each has a plan of its own that walks
   * its index (audit_patient, audit_user, the primary key). */
  if (patient_id != NULL && user_id != NULL)
    result = signpost_pg_run (self,
                              AUDIT_COLUMNS "WHERE patient_id = $1 AND user_id = $2 AND id > $3 "
                              "ORDER BY id LIMIT $4",
                              error, "ssIi", patient_id, user_id, since_id, (int) limit);
  else if (patient_id != NULL)
    result = signpost_pg_run (self,
                              AUDIT_COLUMNS "WHERE patient_id = $1 AND id > $2 ORDER BY id LIMIT $3",
                              error, "sIi", patient_id, since_id, (int) limit);
  else if (user_id != NULL)
    result = signpost_pg_run (self,
                              AUDIT_COLUMNS "WHERE user_id = $1 AND id > $2 ORDER BY id LIMIT $3",
                              error, "sIi", user_id, since_id, (int) limit);
  else
    result = signpost_pg_run (self, AUDIT_COLUMNS "WHERE id > $1 ORDER BY id LIMIT $2",
                              error, "Ii", since_id, (int) limit);
#undef AUDIT_COLUMNS
  if (result == NULL)
    return FALSE;
  rows = PQntuples (result);
  for (int row = 0; row < rows; row++)
    {
      SignpostAuditEvent event = {
        .id = signpost_pg_int64 (result, row, 0),
        .at = signpost_pg_int64 (result, row, 1),
        .user_id = signpost_pg_text (result, row, 2),
        .username = signpost_pg_text (result, row, 3),
        .role = signpost_pg_text (result, row, 4),
        .action = signpost_pg_text (result, row, 5),
        .type = signpost_pg_text (result, row, 6),
        .record_id = signpost_pg_text (result, row, 7),
        .patient_id = signpost_pg_text (result, row, 8),
        .client = signpost_pg_text (result, row, 9),
        .detail = signpost_pg_text (result, row, 10),
      };

      if (!func (&event, user_data))
        break;
    }
  return TRUE;
}

void
signpost_pg_store_init_audit (SignpostStoreInterface *iface)
{
  iface->append_audit = pg_append_audit;
  iface->append_audits = pg_append_audits;
  iface->foreach_audit = pg_foreach_audit;
}
