/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-sync"

#include "config.h"

#include "signpost-cache-private.h"

/* The Requests page: open navigation records of every source, in the
 * order navigators work them, and how many need attention now. */

GPtrArray *
signpost_cache_list_requests (SignpostCache  *self,
                              const char     *practice_id,
                              int             source,
                              gboolean        unmatched_only,
                              GError        **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), NULL);

  /* The order of signpost_request_list_compare(). */
  stmt = signpost_db_prepare (self->db,
                              "SELECT r.kind, r.data, r.pending FROM triage_index t"
                              " JOIN records r ON r.rid = t.rid"
                              " WHERE t.status = ?1"
                              "  AND (?2 IS NULL OR t.practice_id = ?2)"
                              "  AND (?3 < 0 OR t.source = ?3)"
                              "  AND (?4 = 0 OR t.patient_id IS NULL)"
                              " ORDER BY t.urgency, t.respond_by_ms, t.arrived_ms, r.id",
                              error);
  if (stmt == NULL ||
      !signpost_db_bind (stmt, error, "isii", (int) SIGNPOST_TRIAGE_OPEN, practice_id, source,
                         unmatched_only ? 1 : 0))
    return NULL;
  return signpost_cache_collect_records (self, stmt, error);
}

gboolean
signpost_cache_count_requests_needing_attention (SignpostCache  *self,
                                                 const char     *practice_id,
                                                 GDateTime      *due_before,
                                                 guint          *count,
                                                 GError        **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), FALSE);
  g_return_val_if_fail (due_before != NULL && count != NULL, FALSE);

  stmt = signpost_db_prepare (self->db,
                              "SELECT count(*) FROM triage_index"
                              " WHERE status = ?1 AND (?2 IS NULL OR practice_id = ?2)"
                              "  AND (urgency <= ?3 OR respond_by_ms <= ?4)",
                              error);
  if (stmt == NULL ||
      !signpost_db_bind (stmt, error, "isiI", (int) SIGNPOST_TRIAGE_OPEN, practice_id,
                         (int) SIGNPOST_URGENCY_SAME_DAY, signpost_cache_instant_ms (due_before)))
    return FALSE;
  rc = signpost_db_step (self->db, stmt, error);
  if (rc == SQLITE_ROW)
    *count = (guint) sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW;
}
