/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-sync"

#include "config.h"

#include "signpost-cache-private.h"

/* The phone queue's calls and the navigation requests (the duty list, the
 * patient summary), in the order the pages show them. */

GPtrArray *
signpost_cache_list_calls (SignpostCache           *self,
                           const SignpostCallState *states,
                           const char              *practice_id,
                           const char              *answered_by,
                           GError                 **error)
{
  g_autofree char *json = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), NULL);

  json = signpost_cache_states_json ((const int *) states);
  stmt = signpost_db_prepare (self->db,
                              "SELECT r.kind, r.data, r.pending FROM call_index c"
                              " JOIN records r ON r.rid = c.rid"
                              " WHERE c.state IN (SELECT value FROM json_each (?1))"
                              "  AND (?2 IS NULL OR c.practice_id = ?2)"
                              "  AND (?3 IS NULL OR c.answered_by = ?3)"
                              " ORDER BY c.offered_ms, c.call_ref",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "sss", json, practice_id, answered_by))
    return NULL;
  return signpost_cache_collect_records (self, stmt, error);
}

GPtrArray *
signpost_cache_list_triage (SignpostCache              *self,
                            const SignpostTriageStatus *statuses,
                            const char                 *practice_id,
                            const char                 *for_clinician_id,
                            GError                    **error)
{
  g_autofree char *json = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), NULL);

  json = signpost_cache_states_json ((const int *) statuses);
  stmt = signpost_db_prepare (self->db,
                              "SELECT r.kind, r.data, r.pending FROM triage_index t"
                              " JOIN records r ON r.rid = t.rid"
                              " WHERE t.status IN (SELECT value FROM json_each (?1))"
                              "  AND (?2 IS NULL OR t.practice_id = ?2)"
                              "  AND (?3 IS NULL OR t.route_kind = ?4 OR t.route_clinician_id = ?3)"
                              " ORDER BY t.urgency, t.updated_ms, r.id",
                              error);
  if (stmt == NULL ||
      !signpost_db_bind (stmt, error, "sssi", json, practice_id, for_clinician_id,
                         (int) SIGNPOST_ROUTE_DUTY))
    return NULL;
  return signpost_cache_collect_records (self, stmt, error);
}

GPtrArray *
signpost_cache_list_triage_for_patient (SignpostCache *self,
                                        const char    *patient_id,
                                        GError       **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), NULL);

  stmt = signpost_db_prepare (self->db,
                              "SELECT r.kind, r.data, r.pending FROM triage_index t"
                              " JOIN records r ON r.rid = t.rid"
                              " WHERE t.patient_id = ?1 ORDER BY t.updated_ms DESC",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "s", patient_id))
    return NULL;
  return signpost_cache_collect_records (self, stmt, error);
}
