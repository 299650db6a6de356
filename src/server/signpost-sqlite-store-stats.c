/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include "signpost-sqlite-store-private.h"

/*
 * The SQLite store: what /stats/day reads (the times of each call, how
 * the slots were used, the navigation records by outcome) and what
 * /stats/hub reads (the daily totals per practice, the list size).
 */

/* ---- statistics -------------------------------------------------------- */

gint64
column_ms (sqlite3_stmt *stmt,
           int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return -1;
  return sqlite3_column_int64 (stmt, column);
}

gboolean
sqlite_foreach_call_times (SignpostStore          *store,
                           const char             *practice_id,
                           gint64                  from_ms,
                           gint64                  to_ms,
                           SignpostCallTimesFunc   func,
                           gpointer                user_data,
                           GError                **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  sqlite3_stmt *stmt;
  int rc;

  /* The calls offered in the range, then those answered in it that were
   * offered outside it: one index range each (records_call_offered,
   * records_call_answered). */
#define CALL_COLUMNS \
  MS ("json_extract (data, '$.offered_at')") ", " \
  MS ("json_extract (data, '$.answered_at')") ", " \
  MS ("json_extract (data, '$.abandoned_at')") ", " \
  MS ("json_extract (data, '$.ended_at')") ", " \
  MS ("json_extract (data, '$.callback_requested_at')") ", " \
  MS ("json_extract (data, '$.callback_done_at')") ", " \
  "json_extract (data, '$.callback_attempts'), json_extract (data, '$.state'), " \
  "json_extract (data, '$.answered_by'), json_extract (data, '$.agent')"
  stmt = signpost_db_prepare (db,
                              "SELECT " CALL_COLUMNS " FROM records "
                              "WHERE kind = 'call' AND deleted = 0 AND practice_id = ?1 "
                              "AND " MS ("json_extract (data, '$.offered_at')") " >= ?2 "
                              "AND " MS ("json_extract (data, '$.offered_at')") " < ?3 "
                              "UNION ALL "
                              "SELECT " CALL_COLUMNS " FROM records "
                              "WHERE kind = 'call' AND deleted = 0 AND practice_id = ?1 "
                              "AND json_extract (data, '$.answered_at') IS NOT NULL "
                              "AND " MS ("json_extract (data, '$.answered_at')") " >= ?2 "
                              "AND " MS ("json_extract (data, '$.answered_at')") " < ?3 "
                              "AND NOT (" MS ("json_extract (data, '$.offered_at')") " >= ?2 "
                              "         AND " MS ("json_extract (data, '$.offered_at')") " < ?3)",
                              error);
#undef CALL_COLUMNS
  if (stmt == NULL || !signpost_db_bind (stmt, error, "sII", practice_id, from_ms, to_ms))
    return FALSE;
  while ((rc = signpost_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      SignpostCallTimes call = {
        .offered_ms = column_ms (stmt, 0),
        .answered_ms = column_ms (stmt, 1),
        .abandoned_ms = column_ms (stmt, 2),
        .ended_ms = column_ms (stmt, 3),
        .callback_requested_ms = column_ms (stmt, 4),
        .callback_done_ms = column_ms (stmt, 5),
        .callback_attempts = sqlite3_column_int64 (stmt, 6),
        .answered_by = column_text (stmt, 8),
        .agent = column_text (stmt, 9),
      };
      int state = SIGNPOST_CALL_RINGING;

      if (call.offered_ms < 0 ||
          !signpost_enum_from_nick (SIGNPOST_TYPE_CALL_STATE, column_text (stmt, 7), &state))
        continue;
      call.state = state;
      if (!func (&call, user_data))
        break;
    }
  sqlite3_reset (stmt);
  return rc != -1;
}

gboolean
sqlite_foreach_slot_use (SignpostStore        *store,
                         const char           *practice_id,
                         gint64                from_ms,
                         gint64                to_ms,
                         SignpostSlotUseFunc   func,
                         gpointer              user_data,
                         GError              **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  sqlite3_stmt *stmt;
  int rc;

  /* Slots by records_slot_start; their live appointment by
   * records_live_slot, whose terms the join repeats. (The unary + drops
   * s.id's TEXT affinity, which would otherwise keep the expression
   * index out of the join.) */
  stmt = signpost_db_prepare (db,
                              "SELECT json_extract (s.data, '$.clinician_id'), "
                              "       json_extract (s.data, '$.mode'), "
                              "       json_extract (s.data, '$.status'), "
                              "       json_extract (a.data, '$.status') "
                              "FROM records s LEFT JOIN records a "
                              "  ON a.kind = 'appointment' AND a.deleted = 0 "
                              "  AND json_extract (a.data, '$.status') <> 'cancelled' "
                              "  AND json_extract (a.data, '$.slot_id') = +s.id "
                              "WHERE s.kind = 'slot' AND s.deleted = 0 AND s.practice_id = ?1 "
                              "AND " MS ("json_extract (s.data, '$.start')") " >= ?2 "
                              "AND " MS ("json_extract (s.data, '$.start')") " < ?3",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "sII", practice_id, from_ms, to_ms))
    return FALSE;
  while ((rc = signpost_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      SignpostSlotUse slot = {
        .clinician_id = column_text (stmt, 0),
        .mode = column_text (stmt, 1),
        .status = column_text (stmt, 2),
        .appointment_status = column_text (stmt, 3),
      };

      if (slot.clinician_id == NULL || slot.mode == NULL || slot.status == NULL)
        continue;
      if (!func (&slot, user_data))
        break;
    }
  sqlite3_reset (stmt);
  return rc != -1;
}

gboolean
sqlite_foreach_triage_count (SignpostStore            *store,
                             const char               *practice_id,
                             gint64                    from_ms,
                             gint64                    to_ms,
                             SignpostTriageCountFunc   func,
                             gpointer                  user_data,
                             GError                  **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  sqlite3_stmt *stmt;
  int rc;

  stmt = signpost_db_prepare (db,
                              "SELECT route, target, urgency, outcome, count (*) FROM ("
                              "  SELECT json_extract (data, '$.route.kind') AS route,"
                              "         CASE json_extract (data, '$.route.kind')"
                              "           WHEN 'clinician' THEN json_extract (data, '$.route.clinician_id')"
                              "           WHEN 'profession' THEN json_extract (data, '$.route.profession')"
                              "           WHEN 'signpost' THEN json_extract (data, '$.route.signpost')"
                              "         END AS target,"
                              "         json_extract (data, '$.urgency') AS urgency,"
                              "         json_extract (data, '$.outcome') AS outcome"
                              "  FROM records"
                              "  WHERE kind = 'triage' AND deleted = 0 AND practice_id = ?1"
                              "  AND created_ms >= ?2 AND created_ms < ?3) "
                              "GROUP BY route, target, urgency, outcome "
                              "ORDER BY route, target, urgency, outcome",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "sII", practice_id, from_ms, to_ms))
    return FALSE;
  while ((rc = signpost_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      SignpostTriageCount group = {
        .route = column_text (stmt, 0),
        .target = column_text (stmt, 1),
        .urgency = column_text (stmt, 2),
        .outcome = column_text (stmt, 3),
        .count = sqlite3_column_int64 (stmt, 4),
      };

      if (!func (&group, user_data))
        break;
    }
  sqlite3_reset (stmt);
  return rc != -1;
}

/* ---- the hub's statistics ---------------------------------------------- */

static gboolean
hub_call_tally (SignpostDb             *db,
                const SignpostHubCell  *cell,
                SignpostHubTally       *t,
                GError                **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = signpost_db_prepare (db,
                              "SELECT total (offered), total (answered), total (answered_in_time),"
                              "  total (wait_ms), coalesce (max (wait_max_ms), -1),"
                              "  total (abandoned), total (abandon_n), total (abandon_ms),"
                              "  total (missed + CASE WHEN bucket < ?4 THEN waiting ELSE 0 END),"
                              "  total (callbacks_requested), total (callbacks_made) "
                              "FROM stats_call_days "
                              "WHERE practice_id = ?1 AND bucket >= ?2 AND bucket < ?3",
                              error);
  if (stmt == NULL ||
      !signpost_db_bind (stmt, error, "sIII", cell->practice_id, cell->from_ms, cell->to_ms,
                         cell->settle_ms))
    return FALSE;
  rc = signpost_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    {
      t->offered = sqlite3_column_int64 (stmt, 0);
      t->answered = sqlite3_column_int64 (stmt, 1);
      t->answered_in_time = sqlite3_column_int64 (stmt, 2);
      t->wait_sum_ms = sqlite3_column_int64 (stmt, 3);
      t->wait_max_ms = sqlite3_column_int64 (stmt, 4);
      t->abandoned = sqlite3_column_int64 (stmt, 5);
      t->abandon_n = sqlite3_column_int64 (stmt, 6);
      t->abandon_sum_ms = sqlite3_column_int64 (stmt, 7);
      t->missed = sqlite3_column_int64 (stmt, 8);
      t->callbacks_requested = sqlite3_column_int64 (stmt, 9);
      t->callbacks_made = sqlite3_column_int64 (stmt, 10);
    }
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW;
}

static gboolean
hub_slot_tally (SignpostDb             *db,
                const SignpostHubCell  *cell,
                SignpostHubTally       *t,
                GError                **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = signpost_db_prepare (db,
                              "SELECT total (offered), total (booked), total (used), total (dna),"
                              "  total (CASE WHEN bucket < ?4"
                              "         THEN max (offered - booked, 0) ELSE 0 END),"
                              "  total (hub_booked) "
                              "FROM stats_slot_days "
                              "WHERE practice_id = ?1 AND bucket >= ?2 AND bucket < ?3",
                              error);
  if (stmt == NULL ||
      !signpost_db_bind (stmt, error, "sIII", cell->practice_id, cell->from_ms, cell->to_ms,
                         cell->settle_ms))
    return FALSE;
  rc = signpost_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    {
      t->slots_offered = sqlite3_column_int64 (stmt, 0);
      t->slots_booked = sqlite3_column_int64 (stmt, 1);
      t->slots_used = sqlite3_column_int64 (stmt, 2);
      t->slots_dna = sqlite3_column_int64 (stmt, 3);
      t->slots_unused = sqlite3_column_int64 (stmt, 4);
      t->slots_hub_booked = sqlite3_column_int64 (stmt, 5);
    }
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW;
}

static gboolean
hub_routes (SignpostDb             *db,
            guint                   index,
            const SignpostHubCell  *cell,
            SignpostHubTally       *tally,
            SignpostHubRouteFunc    func,
            gpointer                user_data,
            GError                **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = signpost_db_prepare (db,
                              "SELECT route, target, sum (count), sum (online) FROM stats_triage_days "
                              "WHERE practice_id = ?1 AND bucket >= ?2 AND bucket < ?3 "
                              "GROUP BY route, target HAVING sum (count) > 0 "
                              "ORDER BY route, target",
                              error);
  if (stmt == NULL ||
      !signpost_db_bind (stmt, error, "sII", cell->practice_id, cell->from_ms, cell->to_ms))
    return FALSE;
  while ((rc = signpost_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      tally->online_requests += sqlite3_column_int64 (stmt, 3);
      if (!func (index, column_text (stmt, 0), column_text (stmt, 1),
                 sqlite3_column_int64 (stmt, 2), user_data))
        break;
    }
  sqlite3_reset (stmt);
  return rc != -1;
}

/* One index range of each table of daily totals per cell: five rows a
 * practice-week (a few dozen for the navigation routes), whatever the
 * number of calls. */
gboolean
sqlite_hub_tallies (SignpostStore          *store,
                    const SignpostHubCell  *cells,
                    guint                   n_cells,
                    SignpostHubTally       *tallies,
                    SignpostHubRouteFunc    route_func,
                    gpointer                user_data,
                    GError                **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  gboolean ok = TRUE;

  /* One read transaction: every cell sees the same moment, and the file
   * is locked once rather than once a query. */
  if (!signpost_db_exec (db, "SAVEPOINT hub_read", error))
    return FALSE;
  for (guint i = 0; ok && i < n_cells; i++)
    {
      memset (&tallies[i], 0, sizeof tallies[i]);
      tallies[i].wait_max_ms = -1;
      ok = hub_call_tally (db, &cells[i], &tallies[i], error) &&
           hub_slot_tally (db, &cells[i], &tallies[i], error) &&
           hub_routes (db, i, &cells[i], &tallies[i], route_func, user_data, error);
    }
  if (!signpost_db_exec (db, "RELEASE hub_read", ok ? error : NULL))
    ok = FALSE;
  return ok;
}

gboolean
sqlite_count_list_size (SignpostStore  *store,
                        const char     *practice_id,
                        gint64         *registered,
                        GError        **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  sqlite3_stmt *stmt;
  int rc;

  *registered = 0;
  stmt = signpost_db_prepare (db,
                              "SELECT registered FROM stats_list_sizes WHERE practice_id = ?1",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "s", practice_id))
    return FALSE;
  rc = signpost_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    *registered = MAX (sqlite3_column_int64 (stmt, 0), 0);
  sqlite3_reset (stmt);
  return rc != -1;
}
