/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include "signpost-pg-store-private.h"

/* Statistics: each query is an index range of its own (records_call_offered,
 * records_call_answered, records_slot_start, records_triage_created); the
 * fields no index needs are read from the record's JSON, parsed once per
 * row (OFFSET 0 keeps the planner from parsing it once per field). */

/* An instant of the JSON @doc as Unix milliseconds; NULL stays NULL. */
#define MS(doc, key) \
  "round (extract (epoch FROM (" doc " ->> '" key "')::timestamptz) * 1000)::bigint"

static gboolean
pg_foreach_call_times (SignpostStore          *store,
                       const char             *practice_id,
                       gint64                  from_ms,
                       gint64                  to_ms,
                       SignpostCallTimesFunc   func,
                       gpointer                user_data,
                       GError                **error)
{
  g_autoptr(PGresult) result = NULL;
  int rows;

  /* The calls offered in the range, then those answered in it that were
   * offered outside it. */
  result = signpost_pg_run (SIGNPOST_PG_STORE (store),
                            "SELECT offered_ms, answered_ms, " MS ("j", "abandoned_at") ", "
                            "       " MS ("j", "ended_at") ", " MS ("j", "callback_requested_at") ", "
                            "       " MS ("j", "callback_done_at") ", "
                            "       j ->> 'callback_attempts', state, j ->> 'answered_by',"
                            "       j ->> 'agent' "
                            "FROM ("
                            "  SELECT offered_ms, answered_ms, state, data::jsonb AS j FROM records"
                            "  WHERE kind = 'call' AND NOT deleted AND practice_id = $1"
                            "  AND offered_ms >= $2 AND offered_ms < $3"
                            "  UNION ALL"
                            "  SELECT offered_ms, answered_ms, state, data::jsonb AS j FROM records"
                            "  WHERE kind = 'call' AND NOT deleted AND practice_id = $1"
                            "  AND answered_ms IS NOT NULL AND answered_ms >= $2 AND answered_ms < $3"
                            "  AND NOT (offered_ms >= $2 AND offered_ms < $3)"
                            "  OFFSET 0) calls",
                            error, "sII", practice_id, from_ms, to_ms);
  if (result == NULL)
    return FALSE;
  rows = PQntuples (result);
  for (int row = 0; row < rows; row++)
    {
      SignpostCallTimes call = {
        .offered_ms = signpost_pg_ms (result, row, 0),
        .answered_ms = signpost_pg_ms (result, row, 1),
        .abandoned_ms = signpost_pg_ms (result, row, 2),
        .ended_ms = signpost_pg_ms (result, row, 3),
        .callback_requested_ms = signpost_pg_ms (result, row, 4),
        .callback_done_ms = signpost_pg_ms (result, row, 5),
        .callback_attempts = signpost_pg_int64 (result, row, 6),
        .answered_by = signpost_pg_text (result, row, 8),
        .agent = signpost_pg_text (result, row, 9),
      };
      int state = SIGNPOST_CALL_RINGING;

      if (call.offered_ms < 0 ||
          !signpost_enum_from_nick (SIGNPOST_TYPE_CALL_STATE, signpost_pg_text (result, row, 7),
                                    &state))
        continue;
      call.state = state;
      if (!func (&call, user_data))
        break;
    }
  return TRUE;
}

static gboolean
pg_foreach_slot_use (SignpostStore        *store,
                     const char           *practice_id,
                     gint64                from_ms,
                     gint64                to_ms,
                     SignpostSlotUseFunc   func,
                     gpointer              user_data,
                     GError              **error)
{
  g_autoptr(PGresult) result = NULL;
  int rows;

  /* Slots by records_slot_start; their live appointment by
   * records_live_slot, whose terms the join repeats. */
  result = signpost_pg_run (SIGNPOST_PG_STORE (store),
                            "SELECT j ->> 'clinician_id', j ->> 'mode', status, live FROM ("
                            "  SELECT s.data::jsonb AS j, s.status, a.status AS live"
                            "  FROM records s LEFT JOIN records a"
                            "    ON a.kind = 'appointment' AND NOT a.deleted"
                            "    AND a.status <> 'cancelled' AND a.slot_id = s.id"
                            "  WHERE s.kind = 'slot' AND NOT s.deleted AND s.practice_id = $1"
                            "  AND s.start_ms >= $2 AND s.start_ms < $3"
                            "  OFFSET 0) slots",
                            error, "sII", practice_id, from_ms, to_ms);
  if (result == NULL)
    return FALSE;
  rows = PQntuples (result);
  for (int row = 0; row < rows; row++)
    {
      SignpostSlotUse slot = {
        .clinician_id = signpost_pg_text (result, row, 0),
        .mode = signpost_pg_text (result, row, 1),
        .status = signpost_pg_text (result, row, 2),
        .appointment_status = signpost_pg_text (result, row, 3),
      };

      if (slot.clinician_id == NULL || slot.mode == NULL || slot.status == NULL)
        continue;
      if (!func (&slot, user_data))
        break;
    }
  return TRUE;
}

static gboolean
pg_foreach_triage_count (SignpostStore            *store,
                         const char               *practice_id,
                         gint64                    from_ms,
                         gint64                    to_ms,
                         SignpostTriageCountFunc   func,
                         gpointer                  user_data,
                         GError                  **error)
{
  g_autoptr(PGresult) result = NULL;
  int rows;

  /* Ordered as SQLite orders them: bytes, NULL first. */
  result = signpost_pg_run (SIGNPOST_PG_STORE (store),
                            "SELECT route, target, urgency, outcome, count (*) FROM ("
                            "  SELECT j -> 'route' ->> 'kind' AS route,"
                            "         CASE j -> 'route' ->> 'kind'"
                            "           WHEN 'clinician' THEN j -> 'route' ->> 'clinician_id'"
                            "           WHEN 'profession' THEN j -> 'route' ->> 'profession'"
                            "           WHEN 'signpost' THEN j -> 'route' ->> 'signpost'"
                            "         END AS target,"
                            "         j ->> 'urgency' AS urgency,"
                            "         j ->> 'outcome' AS outcome"
                            "  FROM (SELECT data::jsonb AS j FROM records"
                            "        WHERE kind = 'triage' AND NOT deleted AND practice_id = $1"
                            "        AND created_ms >= $2 AND created_ms < $3 OFFSET 0) triage"
                            ") groups "
                            "GROUP BY route, target, urgency, outcome "
                            "ORDER BY route COLLATE \"C\" NULLS FIRST, target COLLATE \"C\" NULLS FIRST,"
                            "  urgency COLLATE \"C\" NULLS FIRST, outcome COLLATE \"C\" NULLS FIRST",
                            error, "sII", practice_id, from_ms, to_ms);
  if (result == NULL)
    return FALSE;
  rows = PQntuples (result);
  for (int row = 0; row < rows; row++)
    {
      SignpostTriageCount group = {
        .route = signpost_pg_text (result, row, 0),
        .target = signpost_pg_text (result, row, 1),
        .urgency = signpost_pg_text (result, row, 2),
        .outcome = signpost_pg_text (result, row, 3),
        .count = signpost_pg_int64 (result, row, 4),
      };

      if (!func (&group, user_data))
        break;
    }
  return TRUE;
}

void
signpost_pg_store_init_stats (SignpostStoreInterface *iface)
{
  iface->foreach_call_times = pg_foreach_call_times;
  iface->foreach_slot_use = pg_foreach_slot_use;
  iface->foreach_triage_count = pg_foreach_triage_count;
}
