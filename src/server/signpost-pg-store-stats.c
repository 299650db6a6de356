/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <string.h>

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

/* ---- the hub's statistics (their tables: signpost-pg-store-schema.c) --- */

/* The cells as arrays, for unnest (): "{a,b}" and "{1,2}". Ids are UUIDs
 * and need no quoting. */
static void
cell_arrays (const SignpostHubCell *cells,
             guint                  n_cells,
             char                 **ids,
             char                 **from,
             char                 **to,
             char                 **settle)
{
  GString *a = g_string_new ("{"), *b = g_string_new ("{");
  GString *c = g_string_new ("{"), *d = g_string_new ("{");

  for (guint i = 0; i < n_cells; i++)
    {
      const char *sep = i > 0 ? "," : "";

      g_string_append_printf (a, "%s%s", sep, cells[i].practice_id);
      g_string_append_printf (b, "%s%" G_GINT64_FORMAT, sep, cells[i].from_ms);
      g_string_append_printf (c, "%s%" G_GINT64_FORMAT, sep, cells[i].to_ms);
      g_string_append_printf (d, "%s%" G_GINT64_FORMAT, sep, cells[i].settle_ms);
    }
  *ids = g_string_free (g_string_append_c (a, '}'), FALSE);
  *from = g_string_free (g_string_append_c (b, '}'), FALSE);
  *to = g_string_free (g_string_append_c (c, '}'), FALSE);
  *settle = g_string_free (g_string_append_c (d, '}'), FALSE);
}

#define CELLS \
  "unnest ($1::text[], $2::bigint[], $3::bigint[], $4::bigint[]) WITH ORDINALITY" \
  "  AS c (practice_id, from_ms, to_ms, settle_ms, i)"

/* Three queries for every cell at once (a round trip each), each an index
 * range of the daily totals per cell. */
static gboolean
pg_hub_tallies (SignpostStore          *store,
                const SignpostHubCell  *cells,
                guint                   n_cells,
                SignpostHubTally       *tallies,
                SignpostHubRouteFunc    route_func,
                gpointer                user_data,
                GError                **error)
{
  SignpostPgStore *self = SIGNPOST_PG_STORE (store);
  g_autoptr(PGresult) calls = NULL;
  g_autoptr(PGresult) slots = NULL;
  g_autoptr(PGresult) routes = NULL;
  g_autofree char *ids = NULL, *from = NULL, *to = NULL, *settle = NULL;

  for (guint i = 0; i < n_cells; i++)
    {
      memset (&tallies[i], 0, sizeof tallies[i]);
      tallies[i].wait_max_ms = -1;
    }
  if (n_cells == 0)
    return TRUE;
  cell_arrays (cells, n_cells, &ids, &from, &to, &settle);

  calls = signpost_pg_run (self,
                           "SELECT c.i, coalesce (sum (d.offered), 0), coalesce (sum (d.answered), 0),"
                           "  coalesce (sum (d.answered_in_time), 0), coalesce (sum (d.wait_ms), 0),"
                           "  coalesce (max (d.wait_max_ms), -1), coalesce (sum (d.abandoned), 0),"
                           "  coalesce (sum (d.abandon_n), 0), coalesce (sum (d.abandon_ms), 0),"
                           "  coalesce (sum (d.missed + CASE WHEN d.bucket < c.settle_ms"
                           "                             THEN d.waiting ELSE 0 END), 0),"
                           "  coalesce (sum (d.callbacks_requested), 0),"
                           "  coalesce (sum (d.callbacks_made), 0) "
                           "FROM " CELLS " JOIN stats_call_days d"
                           "  ON d.practice_id = c.practice_id AND d.bucket >= c.from_ms"
                           "  AND d.bucket < c.to_ms "
                           "GROUP BY c.i",
                           error, "ssss", ids, from, to, settle);
  if (calls == NULL)
    return FALSE;
  for (int row = 0; row < PQntuples (calls); row++)
    {
      gint64 i = signpost_pg_int64 (calls, row, 0) - 1;
      SignpostHubTally *t;

      if (i < 0 || i >= n_cells)
        continue;
      t = &tallies[i];
      t->offered = signpost_pg_int64 (calls, row, 1);
      t->answered = signpost_pg_int64 (calls, row, 2);
      t->answered_in_time = signpost_pg_int64 (calls, row, 3);
      t->wait_sum_ms = signpost_pg_int64 (calls, row, 4);
      t->wait_max_ms = signpost_pg_int64 (calls, row, 5);
      t->abandoned = signpost_pg_int64 (calls, row, 6);
      t->abandon_n = signpost_pg_int64 (calls, row, 7);
      t->abandon_sum_ms = signpost_pg_int64 (calls, row, 8);
      t->missed = signpost_pg_int64 (calls, row, 9);
      t->callbacks_requested = signpost_pg_int64 (calls, row, 10);
      t->callbacks_made = signpost_pg_int64 (calls, row, 11);
    }

  slots = signpost_pg_run (self,
                           "SELECT c.i, coalesce (sum (d.offered), 0), coalesce (sum (d.booked), 0),"
                           "  coalesce (sum (d.used), 0), coalesce (sum (d.dna), 0),"
                           "  coalesce (sum (CASE WHEN d.bucket < c.settle_ms"
                           "                 THEN greatest (d.offered - d.booked, 0) ELSE 0 END), 0),"
                           "  coalesce (sum (d.hub_booked), 0) "
                           "FROM " CELLS " JOIN stats_slot_days d"
                           "  ON d.practice_id = c.practice_id AND d.bucket >= c.from_ms"
                           "  AND d.bucket < c.to_ms "
                           "GROUP BY c.i",
                           error, "ssss", ids, from, to, settle);
  if (slots == NULL)
    return FALSE;
  for (int row = 0; row < PQntuples (slots); row++)
    {
      gint64 i = signpost_pg_int64 (slots, row, 0) - 1;
      SignpostHubTally *t;

      if (i < 0 || i >= n_cells)
        continue;
      t = &tallies[i];
      t->slots_offered = signpost_pg_int64 (slots, row, 1);
      t->slots_booked = signpost_pg_int64 (slots, row, 2);
      t->slots_used = signpost_pg_int64 (slots, row, 3);
      t->slots_dna = signpost_pg_int64 (slots, row, 4);
      t->slots_unused = signpost_pg_int64 (slots, row, 5);
      t->slots_hub_booked = signpost_pg_int64 (slots, row, 6);
    }

  /* Ordered as SQLite orders them: bytes. */
  routes = signpost_pg_run (self,
                            "SELECT c.i, d.route, d.target, sum (d.count), sum (d.online) "
                            "FROM " CELLS " JOIN stats_triage_days d"
                            "  ON d.practice_id = c.practice_id AND d.bucket >= c.from_ms"
                            "  AND d.bucket < c.to_ms "
                            "GROUP BY c.i, d.route, d.target HAVING sum (d.count) > 0 "
                            "ORDER BY c.i, d.route COLLATE \"C\", d.target COLLATE \"C\"",
                            error, "ssss", ids, from, to, settle);
  if (routes == NULL)
    return FALSE;
  for (int row = 0; row < PQntuples (routes); row++)
    {
      gint64 i = signpost_pg_int64 (routes, row, 0) - 1;

      if (i < 0 || i >= n_cells)
        continue;
      tallies[i].online_requests += signpost_pg_int64 (routes, row, 4);
      if (!route_func ((guint) i, signpost_pg_text (routes, row, 1), signpost_pg_text (routes, row, 2),
                       signpost_pg_int64 (routes, row, 3), user_data))
        break;
    }
  return TRUE;
}

static gboolean
pg_count_list_size (SignpostStore  *store,
                    const char     *practice_id,
                    gint64         *registered,
                    GError        **error)
{
  g_autoptr(PGresult) result = NULL;

  *registered = 0;
  result = signpost_pg_run (SIGNPOST_PG_STORE (store),
                            "SELECT coalesce (sum (registered), 0) FROM stats_list_sizes"
                            " WHERE practice_id = $1",
                            error, "s", practice_id);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    *registered = MAX (signpost_pg_int64 (result, 0, 0), 0);
  return TRUE;
}

void
signpost_pg_store_init_stats (SignpostStoreInterface *iface)
{
  iface->foreach_call_times = pg_foreach_call_times;
  iface->foreach_slot_use = pg_foreach_slot_use;
  iface->foreach_triage_count = pg_foreach_triage_count;
  iface->hub_tallies = pg_hub_tallies;
  iface->count_list_size = pg_count_list_size;
}
