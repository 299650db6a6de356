/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "signpost-pg-store-private.h"

/*
 * The PostgreSQL schema, step by step. schema_version holds one row per
 * step applied; several instances starting at once take turns through an
 * advisory lock, so each step runs once, in its own transaction.
 *
 * The records table mirrors SQLite's: one row per record holding its
 * canonical JSON. The fields that queries and constraints need are kept in
 * columns of their own, taken from that JSON as the row is written
 * (SQLite reaches them through json_extract() expression indexes). Text
 * that is compared or sorted is COLLATE "C": byte order, as in SQLite.
 */

/* 'Signpost' in ASCII. */
#define SCHEMA_LOCK_KEY "6009226386024084340"

typedef struct {
  int version;
  const char *sql;
} Step;

/*
 * The hub's statistics (/stats/hub): running totals per practice and
 * local day, kept by triggers, as the SQLite store keeps them (see the
 * long comment above HUB_STATS_SCHEMA in signpost-sqlite-store-schema.c). Each
 * call, slot (with its live appointment) and navigation record has a row
 * of facts, worked out again whenever it or its appointment is written;
 * the daily totals add each new row of facts and take off each one
 * removed. A day is named by its local midnight in Unix milliseconds
 * (signpost_local_day ()), in the practice's time zone, kept beside the
 * totals: a missing zone is Europe/London and one PostgreSQL does not
 * know is UTC, as signpost-hub-stats.c has it. admin copy-to pauses the
 * triggers (signpost.stats_paused) and builds everything once at the end.
 */
#define MS_OF(doc, key) \
  "round (extract (epoch FROM (" doc " ->> '" key "')::timestamptz) * 1000)::bigint"
#define ZONE_OF(practice) \
  "(SELECT z.time_zone FROM stats_practice_zones z WHERE z.practice_id = " practice ")"
#define REGISTERED_ROW(row) \
  "(NOT " row ".deleted AND NOT coalesce ((" row ".data::jsonb ->> 'temporary')::boolean, false)" \
  " AND " row ".data::jsonb ->> 'left_at' IS NULL)::int"
/* The same for a record's parsed JSON @j. */
#define REGISTERED_JSON(deleted, j) \
  "(NOT " deleted " AND NOT coalesce ((" j " ->> 'temporary')::boolean, false)" \
  " AND " j " ->> 'left_at' IS NULL)::int"

#define HUB_STATS_STEP \
  "CREATE FUNCTION signpost_local_day (zone text, ms bigint) RETURNS bigint" \
  "  LANGUAGE sql IMMUTABLE AS $$" \
  "    SELECT (extract (epoch FROM date_trunc ('day', to_timestamp (ms / 1000.0)" \
  "              AT TIME ZONE coalesce (zone, 'Europe/London'))" \
  "              AT TIME ZONE coalesce (zone, 'Europe/London')) * 1000)::bigint $$;" \
  /* A practice's zone as the statistics use it. */ \
  "CREATE FUNCTION signpost_stats_zone (zone text) RETURNS text LANGUAGE plpgsql AS $$" \
  "  BEGIN" \
  "    IF zone IS NULL OR zone = '' THEN RETURN 'Europe/London'; END IF;" \
  "    PERFORM now () AT TIME ZONE zone;" \
  "    RETURN zone;" \
  "  EXCEPTION WHEN OTHERS THEN RETURN 'UTC';" \
  "  END $$;" \
  "CREATE TABLE stats_practice_zones ("                                 \
  "  practice_id text COLLATE \"C\" PRIMARY KEY,"                       \
  "  time_zone text NOT NULL"                                           \
  ");"                                                                  \
  \
  "CREATE TABLE stats_call_facts ("                                     \
  "  id text COLLATE \"C\" PRIMARY KEY,"                                \
  "  practice_id text COLLATE \"C\" NOT NULL,"                          \
  "  bucket bigint NOT NULL,"                                           \
  "  offered bigint NOT NULL, answered bigint NOT NULL,"                \
  "  answered_in_time bigint NOT NULL, wait_ms bigint NOT NULL,"        \
  "  abandoned bigint NOT NULL, abandon_n bigint NOT NULL,"             \
  "  abandon_ms bigint NOT NULL, missed bigint NOT NULL,"               \
  "  waiting bigint NOT NULL, callbacks_requested bigint NOT NULL,"     \
  "  callbacks_made bigint NOT NULL"                                    \
  ");"                                                                  \
  "CREATE INDEX stats_call_facts_day ON stats_call_facts (practice_id, bucket, wait_ms);" \
  "CREATE TABLE stats_call_days ("                                      \
  "  practice_id text COLLATE \"C\" NOT NULL,"                          \
  "  bucket bigint NOT NULL,"                                           \
  "  offered bigint NOT NULL, answered bigint NOT NULL,"                \
  "  answered_in_time bigint NOT NULL, wait_ms bigint NOT NULL,"        \
  "  wait_max_ms bigint NOT NULL,"                                      \
  "  abandoned bigint NOT NULL, abandon_n bigint NOT NULL,"             \
  "  abandon_ms bigint NOT NULL, missed bigint NOT NULL,"               \
  "  waiting bigint NOT NULL, callbacks_requested bigint NOT NULL,"     \
  "  callbacks_made bigint NOT NULL,"                                   \
  "  PRIMARY KEY (practice_id, bucket)"                                 \
  ");"                                                                  \
  /* The rules of signpost-stats.c's tally_call (), for one call (no row \
   * for anything else). The facts are worked out from the record's own \
   * row, not looked up again, so that no query plan made while the table \
   * was small (a demo or an import in one transaction) can turn each \
   * write into a scan. */                                              \
  "CREATE FUNCTION signpost_stats_call_fact (r records) RETURNS SETOF stats_call_facts" \
  "  LANGUAGE sql STABLE AS $$"                                         \
  "  SELECT r.id, r.practice_id,"                                       \
  "    signpost_local_day (" ZONE_OF ("r.practice_id") ", o) AS bucket," \
  "    1::bigint, answered::int::bigint,"                               \
  "    (answered AND a - o <= 60000)::int::bigint,"                     \
  "    CASE WHEN answered THEN greatest (a - o, 0) ELSE 0 END,"         \
  "    abandoned::int::bigint, (abandoned AND ab IS NOT NULL)::int::bigint," \
  "    CASE WHEN abandoned AND ab IS NOT NULL THEN greatest (ab - o, 0) ELSE 0 END," \
  "    (NOT cb AND NOT answered AND NOT abandoned AND NOT still)::int::bigint," \
  "    (NOT cb AND NOT answered AND NOT abandoned AND still)::int::bigint," \
  "    cb::int::bigint,"                                                \
  "    (cb AND (a IS NOT NULL OR done IS NOT NULL OR attempts > 0))::int::bigint" \
  "  FROM (SELECT *, NOT cb AND a IS NOT NULL AS answered,"             \
  "               NOT cb AND a IS NULL AND (ab IS NOT NULL OR coalesce (state = 'abandoned', false))" \
  "                 AS abandoned,"                                      \
  "               coalesce (state IN ('ringing', 'queued', 'callback_requested'), false) AS still" \
  "        FROM (SELECT r.offered_ms AS o, r.answered_ms AS a, r.state AS state," \
  "                " MS_OF ("j", "abandoned_at") " AS ab,"              \
  "                " MS_OF ("j", "callback_done_at") " AS done,"        \
  "                j ->> 'callback_requested_at' IS NOT NULL AS cb,"    \
  "                coalesce ((j ->> 'callback_attempts')::bigint, 0) AS attempts" \
  "              FROM (SELECT r.data::jsonb AS j) d) x) c"              \
  "  WHERE r.kind = 'call' AND NOT r.deleted AND o >= 0 $$;"            \
  \
  "CREATE TABLE stats_slot_facts ("                                     \
  "  id text COLLATE \"C\" PRIMARY KEY,"                                \
  "  practice_id text COLLATE \"C\" NOT NULL,"                          \
  "  bucket bigint NOT NULL,"                                           \
  "  offered bigint NOT NULL, booked bigint NOT NULL, used bigint NOT NULL," \
  "  dna bigint NOT NULL, hub_booked bigint NOT NULL"                   \
  ");"                                                                  \
  "CREATE INDEX stats_slot_facts_practice ON stats_slot_facts (practice_id);" \
  "CREATE TABLE stats_slot_days ("                                      \
  "  practice_id text COLLATE \"C\" NOT NULL,"                          \
  "  bucket bigint NOT NULL,"                                           \
  "  offered bigint NOT NULL, booked bigint NOT NULL, used bigint NOT NULL," \
  "  dna bigint NOT NULL, hub_booked bigint NOT NULL,"                  \
  "  PRIMARY KEY (practice_id, bucket)"                                 \
  ");"                                                                  \
  /* A slot and the live appointment in it (by records_live_slot). */   \
  "CREATE FUNCTION signpost_stats_slot_fact (s records) RETURNS SETOF stats_slot_facts" \
  "  LANGUAGE sql STABLE AS $$"                                         \
  "  SELECT s.id, s.practice_id,"                                       \
  "    signpost_local_day (" ZONE_OF ("s.practice_id") ", s.start_ms)," \
  "    (s.status IS DISTINCT FROM 'blocked')::int::bigint,"             \
  "    (a.status IS NOT NULL)::int::bigint,"                            \
  "    coalesce (a.status IN ('arrived', 'seen'), false)::int::bigint,"  \
  "    coalesce (a.status = 'did_not_attend', false)::int::bigint,"     \
  "    (a.status IS NOT NULL AND coalesce ((SELECT CASE WHEN u.kind = 'user'" \
  "         THEN (u.data::jsonb ->> 'hub')::boolean END"                \
  "       FROM records u WHERE u.id = a.booked_by), false))::int::bigint" \
  "  FROM (SELECT 1) one LEFT JOIN LATERAL ("                           \
  "    SELECT l.status, l.data::jsonb ->> 'booked_by' AS booked_by FROM records l" \
  "    WHERE l.slot_id = s.id AND l.kind = 'appointment' AND NOT l.deleted" \
  "    AND l.status <> 'cancelled') a ON true"                          \
  "  WHERE s.kind = 'slot' AND NOT s.deleted AND s.start_ms >= 0 $$;"   \
  /* The facts of the slot @id, worked out again. */                    \
  "CREATE FUNCTION signpost_stats_slot_refresh (slot text) RETURNS void LANGUAGE plpgsql AS $$" \
  "  BEGIN" \
  "    DELETE FROM stats_slot_facts WHERE id = slot;" \
  "    INSERT INTO stats_slot_facts" \
  "      SELECT f.* FROM records s, signpost_stats_slot_fact (s) f WHERE s.id = slot;" \
  "  END $$;" \
  \
  "CREATE TABLE stats_triage_facts ("                                   \
  "  id text COLLATE \"C\" PRIMARY KEY,"                                \
  "  practice_id text COLLATE \"C\" NOT NULL,"                          \
  "  bucket bigint NOT NULL,"                                           \
  "  route text COLLATE \"C\" NOT NULL,"                                \
  "  target text COLLATE \"C\" NOT NULL,"                               \
  "  online bigint NOT NULL"                                            \
  ");"                                                                  \
  "CREATE INDEX stats_triage_facts_practice ON stats_triage_facts (practice_id);" \
  "CREATE TABLE stats_triage_days ("                                    \
  "  practice_id text COLLATE \"C\" NOT NULL,"                          \
  "  bucket bigint NOT NULL,"                                           \
  "  route text COLLATE \"C\" NOT NULL,"                                \
  "  target text COLLATE \"C\" NOT NULL,"                               \
  "  count bigint NOT NULL,"                                            \
  "  online bigint NOT NULL,"                                           \
  "  PRIMARY KEY (practice_id, bucket, route, target)"                  \
  ");"                                                                  \
  "CREATE FUNCTION signpost_stats_triage_fact (t records) RETURNS SETOF stats_triage_facts" \
  "  LANGUAGE sql STABLE AS $$"                                         \
  "  SELECT t.id, t.practice_id,"                                       \
  "    signpost_local_day (" ZONE_OF ("t.practice_id") ", t.created_ms)," \
  "    coalesce (j -> 'route' ->> 'kind', ''),"                         \
  "    coalesce (CASE j -> 'route' ->> 'kind'"                          \
  "                WHEN 'profession' THEN j -> 'route' ->> 'profession'" \
  "                WHEN 'signpost' THEN j -> 'route' ->> 'signpost'"    \
  "              END, ''),"                                             \
  "    coalesce (t.source IN ('online', 'intake'), false)::int::bigint" \
  "  FROM (SELECT t.data::jsonb AS j) d"                                \
  "  WHERE t.kind = 'triage' AND NOT t.deleted AND t.created_ms >= 0 $$;" \
  \
  /* The registered list, counted in 128 shards by patient: a practice's \
   * list written in one transaction (an import, the demo) would otherwise \
   * update one row tens of thousands of times, and PostgreSQL keeps every \
   * version of it until the transaction ends. */                       \
  "CREATE TABLE stats_list_sizes ("                                     \
  "  practice_id text COLLATE \"C\" NOT NULL,"                          \
  "  shard integer NOT NULL,"                                           \
  "  registered bigint NOT NULL,"                                       \
  "  PRIMARY KEY (practice_id, shard)"                                  \
  ");"                                                                  \
  \
  /* Facts in, facts out: the daily totals follow. */                   \
  "CREATE FUNCTION signpost_stats_call_facts () RETURNS trigger LANGUAGE plpgsql AS $$" \
  "  BEGIN" \
  "    IF TG_OP = 'INSERT' THEN" \
  "      INSERT INTO stats_call_days AS d VALUES (NEW.practice_id, NEW.bucket, NEW.offered," \
  "          NEW.answered, NEW.answered_in_time, NEW.wait_ms," \
  "          CASE WHEN NEW.answered = 1 THEN NEW.wait_ms ELSE -1 END," \
  "          NEW.abandoned, NEW.abandon_n, NEW.abandon_ms, NEW.missed, NEW.waiting," \
  "          NEW.callbacks_requested, NEW.callbacks_made)" \
  "        ON CONFLICT (practice_id, bucket) DO UPDATE SET" \
  "          offered = d.offered + excluded.offered," \
  "          answered = d.answered + excluded.answered," \
  "          answered_in_time = d.answered_in_time + excluded.answered_in_time," \
  "          wait_ms = d.wait_ms + excluded.wait_ms," \
  "          wait_max_ms = greatest (d.wait_max_ms, excluded.wait_max_ms)," \
  "          abandoned = d.abandoned + excluded.abandoned," \
  "          abandon_n = d.abandon_n + excluded.abandon_n," \
  "          abandon_ms = d.abandon_ms + excluded.abandon_ms," \
  "          missed = d.missed + excluded.missed," \
  "          waiting = d.waiting + excluded.waiting," \
  "          callbacks_requested = d.callbacks_requested + excluded.callbacks_requested," \
  "          callbacks_made = d.callbacks_made + excluded.callbacks_made;" \
  "    ELSE" \
  "      UPDATE stats_call_days d SET" \
  "          offered = d.offered - OLD.offered," \
  "          answered = d.answered - OLD.answered," \
  "          answered_in_time = d.answered_in_time - OLD.answered_in_time," \
  "          wait_ms = d.wait_ms - OLD.wait_ms," \
  "          wait_max_ms = CASE WHEN OLD.answered = 1 AND OLD.wait_ms >= d.wait_max_ms" \
  "            THEN coalesce ((SELECT max (f.wait_ms) FROM stats_call_facts f" \
  "                            WHERE f.practice_id = OLD.practice_id AND f.bucket = OLD.bucket" \
  "                            AND f.answered = 1), -1)" \
  "            ELSE d.wait_max_ms END," \
  "          abandoned = d.abandoned - OLD.abandoned," \
  "          abandon_n = d.abandon_n - OLD.abandon_n," \
  "          abandon_ms = d.abandon_ms - OLD.abandon_ms," \
  "          missed = d.missed - OLD.missed," \
  "          waiting = d.waiting - OLD.waiting," \
  "          callbacks_requested = d.callbacks_requested - OLD.callbacks_requested," \
  "          callbacks_made = d.callbacks_made - OLD.callbacks_made" \
  "        WHERE d.practice_id = OLD.practice_id AND d.bucket = OLD.bucket;" \
  "    END IF;" \
  "    RETURN NULL;" \
  "  END $$;" \
  "CREATE TRIGGER stats_call_facts_changed AFTER INSERT OR DELETE ON stats_call_facts" \
  "  FOR EACH ROW EXECUTE FUNCTION signpost_stats_call_facts ();" \
  "CREATE FUNCTION signpost_stats_slot_facts () RETURNS trigger LANGUAGE plpgsql AS $$" \
  "  BEGIN" \
  "    IF TG_OP = 'INSERT' THEN" \
  "      INSERT INTO stats_slot_days AS d VALUES (NEW.practice_id, NEW.bucket, NEW.offered," \
  "          NEW.booked, NEW.used, NEW.dna, NEW.hub_booked)" \
  "        ON CONFLICT (practice_id, bucket) DO UPDATE SET" \
  "          offered = d.offered + excluded.offered, booked = d.booked + excluded.booked," \
  "          used = d.used + excluded.used, dna = d.dna + excluded.dna," \
  "          hub_booked = d.hub_booked + excluded.hub_booked;" \
  "    ELSE" \
  "      UPDATE stats_slot_days d SET offered = d.offered - OLD.offered," \
  "          booked = d.booked - OLD.booked, used = d.used - OLD.used," \
  "          dna = d.dna - OLD.dna, hub_booked = d.hub_booked - OLD.hub_booked" \
  "        WHERE d.practice_id = OLD.practice_id AND d.bucket = OLD.bucket;" \
  "    END IF;" \
  "    RETURN NULL;" \
  "  END $$;" \
  "CREATE TRIGGER stats_slot_facts_changed AFTER INSERT OR DELETE ON stats_slot_facts" \
  "  FOR EACH ROW EXECUTE FUNCTION signpost_stats_slot_facts ();" \
  "CREATE FUNCTION signpost_stats_triage_facts () RETURNS trigger LANGUAGE plpgsql AS $$" \
  "  BEGIN" \
  "    IF TG_OP = 'INSERT' THEN" \
  "      INSERT INTO stats_triage_days AS d VALUES (NEW.practice_id, NEW.bucket, NEW.route," \
  "          NEW.target, 1, NEW.online)" \
  "        ON CONFLICT (practice_id, bucket, route, target) DO UPDATE SET" \
  "          count = d.count + 1, online = d.online + excluded.online;" \
  "    ELSE" \
  "      UPDATE stats_triage_days d SET count = d.count - 1, online = d.online - OLD.online" \
  "        WHERE d.practice_id = OLD.practice_id AND d.bucket = OLD.bucket" \
  "        AND d.route = OLD.route AND d.target = OLD.target;" \
  "    END IF;" \
  "    RETURN NULL;" \
  "  END $$;" \
  "CREATE TRIGGER stats_triage_facts_changed AFTER INSERT OR DELETE ON stats_triage_facts" \
  "  FOR EACH ROW EXECUTE FUNCTION signpost_stats_triage_facts ();" \
  \
  /* A practice's facts, worked out again (its zone changed). */        \
  "CREATE FUNCTION signpost_stats_rework (practice text) RETURNS void LANGUAGE plpgsql AS $$" \
  "  BEGIN" \
  "    DELETE FROM stats_call_facts WHERE practice_id = practice;" \
  "    INSERT INTO stats_call_facts SELECT f.* FROM records r, signpost_stats_call_fact (r) f" \
  "      WHERE r.practice_id = practice AND r.kind = 'call';" \
  "    DELETE FROM stats_slot_facts WHERE practice_id = practice;" \
  "    INSERT INTO stats_slot_facts SELECT f.* FROM records r, signpost_stats_slot_fact (r) f" \
  "      WHERE r.practice_id = practice AND r.kind = 'slot';" \
  "    DELETE FROM stats_triage_facts WHERE practice_id = practice;" \
  "    INSERT INTO stats_triage_facts SELECT f.* FROM records r, signpost_stats_triage_fact (r) f" \
  "      WHERE r.practice_id = practice AND r.kind = 'triage';" \
  "  END $$;" \
  /* Everything from the records (after admin copy-to). */              \
  "CREATE FUNCTION signpost_stats_rebuild () RETURNS void LANGUAGE plpgsql AS $$" \
  "  BEGIN" \
  "    DELETE FROM stats_call_facts; DELETE FROM stats_call_days;" \
  "    DELETE FROM stats_slot_facts; DELETE FROM stats_slot_days;" \
  "    DELETE FROM stats_triage_facts; DELETE FROM stats_triage_days;" \
  "    DELETE FROM stats_list_sizes; DELETE FROM stats_practice_zones;" \
  "    INSERT INTO stats_practice_zones SELECT id, signpost_stats_zone (data::jsonb ->> 'time_zone')" \
  "      FROM records WHERE kind = 'practice' AND NOT deleted;" \
  "    INSERT INTO stats_call_facts SELECT f.* FROM records r, signpost_stats_call_fact (r) f" \
  "      WHERE r.kind = 'call';" \
  "    INSERT INTO stats_slot_facts SELECT f.* FROM records r, signpost_stats_slot_fact (r) f" \
  "      WHERE r.kind = 'slot';" \
  "    INSERT INTO stats_triage_facts SELECT f.* FROM records r, signpost_stats_triage_fact (r) f" \
  "      WHERE r.kind = 'triage';" \
  "    INSERT INTO stats_list_sizes SELECT practice_id, (hashtext (id) & 127)," \
  "        sum (" REGISTERED_ROW ("r") ")" \
  "      FROM records r WHERE kind = 'patient' GROUP BY 1, 2;" \
  "  END $$;" \
  \
  /* Each record of interest, as it is written. */                      \
  "CREATE FUNCTION signpost_stats_record () RETURNS trigger LANGUAGE plpgsql AS $$" \
  "  DECLARE zone text; j jsonb;" \
  "  BEGIN" \
  "    IF current_setting ('signpost.stats_paused', true) = 'on' THEN RETURN NULL; END IF;" \
  "    IF NEW.kind = 'call' THEN" \
  "      DELETE FROM stats_call_facts WHERE id = NEW.id;" \
  "      INSERT INTO stats_call_facts SELECT * FROM signpost_stats_call_fact (NEW);" \
  "    ELSIF NEW.kind = 'slot' THEN" \
  "      DELETE FROM stats_slot_facts WHERE id = NEW.id;" \
  "      INSERT INTO stats_slot_facts SELECT * FROM signpost_stats_slot_fact (NEW);" \
  "    ELSIF NEW.kind = 'appointment' THEN" \
  "      IF TG_OP = 'UPDATE' AND OLD.slot_id IS DISTINCT FROM NEW.slot_id THEN" \
  "        PERFORM signpost_stats_slot_refresh (OLD.slot_id);" \
  "      END IF;" \
  "      PERFORM signpost_stats_slot_refresh (NEW.slot_id);" \
  "    ELSIF NEW.kind = 'triage' THEN" \
  "      DELETE FROM stats_triage_facts WHERE id = NEW.id;" \
  "      INSERT INTO stats_triage_facts SELECT * FROM signpost_stats_triage_fact (NEW);" \
  "    ELSIF NEW.kind = 'patient' THEN" \
  "      IF TG_OP = 'UPDATE' THEN" \
  "        j := OLD.data::jsonb;" \
  "        UPDATE stats_list_sizes SET registered = registered - " REGISTERED_JSON ("OLD.deleted", "j") \
  "          WHERE practice_id = OLD.practice_id AND shard = (hashtext (OLD.id) & 127);" \
  "      END IF;" \
  "      j := NEW.data::jsonb;" \
  "      INSERT INTO stats_list_sizes AS l" \
  "        VALUES (NEW.practice_id, (hashtext (NEW.id) & 127), " REGISTERED_JSON ("NEW.deleted", "j") ")" \
  "        ON CONFLICT (practice_id, shard) DO UPDATE SET registered = l.registered + excluded.registered;" \
  "    ELSIF NEW.kind = 'practice' THEN" \
  "      zone := signpost_stats_zone (NEW.data::jsonb ->> 'time_zone');" \
  "      IF zone IS DISTINCT FROM (SELECT time_zone FROM stats_practice_zones" \
  "                                WHERE practice_id = NEW.id) THEN" \
  "        INSERT INTO stats_practice_zones AS z VALUES (NEW.id, zone)" \
  "          ON CONFLICT (practice_id) DO UPDATE SET time_zone = excluded.time_zone;" \
  "        PERFORM signpost_stats_rework (NEW.id);" \
  "      END IF;" \
  "    END IF;" \
  "    RETURN NULL;" \
  "  END $$;" \
  "CREATE TRIGGER stats_record_written AFTER INSERT OR UPDATE ON records" \
  "  FOR EACH ROW WHEN (NEW.kind IN ('call', 'slot', 'appointment', 'triage', 'patient', 'practice'))" \
  "  EXECUTE FUNCTION signpost_stats_record ();" \
  "SELECT signpost_stats_rebuild ();"

/*
 * The list sizes a statement at a time rather than a row at a time: a list
 * import writes a thousand patients in one statement (put_records), and a
 * trigger run for each of them, parsing each record, cost several times
 * the writing itself. The statement's inserted and updated rows come as
 * transition tables, one trigger for each (PostgreSQL shows an INSERT …
 * ON CONFLICT DO UPDATE's inserted rows to the one and its updated rows to
 * the other); the row trigger keeps the rest of the statistics.
 */
#define LIST_SIZE_STATEMENT_STEP \
  "DROP TRIGGER stats_record_written ON records;" \
  "CREATE TRIGGER stats_record_written AFTER INSERT OR UPDATE ON records" \
  "  FOR EACH ROW WHEN (NEW.kind IN ('call', 'slot', 'appointment', 'triage', 'practice'))" \
  "  EXECUTE FUNCTION signpost_stats_record ();" \
  "CREATE FUNCTION signpost_stats_patients_inserted () RETURNS trigger LANGUAGE plpgsql AS $$" \
  "  BEGIN" \
  "    IF current_setting ('signpost.stats_paused', true) = 'on' THEN RETURN NULL; END IF;" \
  "    INSERT INTO stats_list_sizes AS l" \
  "      SELECT practice_id, (hashtext (id) & 127), sum (" REGISTERED_ROW ("n") ")" \
  "      FROM inserted_rows n WHERE kind = 'patient' GROUP BY 1, 2" \
  "      ON CONFLICT (practice_id, shard) DO UPDATE SET registered = l.registered + excluded.registered;" \
  "    RETURN NULL;" \
  "  END $$;" \
  "CREATE TRIGGER stats_patients_inserted AFTER INSERT ON records" \
  "  REFERENCING NEW TABLE AS inserted_rows" \
  "  FOR EACH STATEMENT EXECUTE FUNCTION signpost_stats_patients_inserted ();" \
  "CREATE FUNCTION signpost_stats_patients_updated () RETURNS trigger LANGUAGE plpgsql AS $$" \
  "  BEGIN" \
  "    IF current_setting ('signpost.stats_paused', true) = 'on' THEN RETURN NULL; END IF;" \
  "    INSERT INTO stats_list_sizes AS l" \
  "      SELECT practice_id, shard, sum (change) FROM (" \
  "          SELECT practice_id, (hashtext (id) & 127) AS shard, " REGISTERED_ROW ("n") " AS change" \
  "          FROM new_rows n WHERE kind = 'patient'" \
  "        UNION ALL" \
  "          SELECT practice_id, (hashtext (id) & 127), -" REGISTERED_ROW ("o") \
  "          FROM old_rows o WHERE kind = 'patient') changes" \
  "      GROUP BY 1, 2" \
  "      ON CONFLICT (practice_id, shard) DO UPDATE SET registered = l.registered + excluded.registered;" \
  "    RETURN NULL;" \
  "  END $$;" \
  "CREATE TRIGGER stats_patients_updated AFTER UPDATE ON records" \
  "  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows" \
  "  FOR EACH STATEMENT EXECUTE FUNCTION signpost_stats_patients_updated ();"

/* Never edit a step that has shipped; add a new one. */
static const Step steps[] = {
  { 1,
    "CREATE TABLE records ("
    "  id text COLLATE \"C\" PRIMARY KEY,"
    "  kind text COLLATE \"C\" NOT NULL,"
    "  practice_id text COLLATE \"C\" NOT NULL,"
    "  version bigint NOT NULL,"
    "  seq bigint NOT NULL UNIQUE,"
    "  updated_at text NOT NULL,"
    "  deleted boolean NOT NULL DEFAULT false,"
    "  data text NOT NULL,"
    "  created_ms bigint,"
    "  slot_id text COLLATE \"C\","
    "  patient_id text COLLATE \"C\","
    "  status text COLLATE \"C\","
    "  username text COLLATE \"C\","
    "  line text COLLATE \"C\","
    "  call_ref text COLLATE \"C\","
    "  state text COLLATE \"C\","
    "  offered_ms bigint,"
    "  answered_ms bigint,"
    "  start_ms bigint,"
    "  date_of_birth text COLLATE \"C\","
    "  reference text COLLATE \"C\","
    "  source text COLLATE \"C\""
    ");"
    "CREATE INDEX records_kind_practice ON records (kind, practice_id);"
    /* The last line of defence for the diary: whatever the code does, one
     * slot never holds two appointments that are not cancelled. */
    "CREATE UNIQUE INDEX records_live_slot ON records (slot_id)"
    "  WHERE kind = 'appointment' AND NOT deleted AND status <> 'cancelled';"
    "CREATE INDEX records_appointment_patient ON records (patient_id)"
    "  WHERE kind = 'appointment';"
    "CREATE INDEX records_call_ref ON records (line, call_ref) WHERE kind = 'call';"
    "CREATE INDEX records_call_state ON records (practice_id, state) WHERE kind = 'call';"
    "CREATE UNIQUE INDEX records_username ON records (username) WHERE kind = 'user';"
    /* The queue in its own order, so a call's place is counted in the
     * index rather than by reading every waiting call. */
    "CREATE INDEX records_call_queue ON records (practice_id, offered_ms, call_ref)"
    "  WHERE kind = 'call' AND NOT deleted AND state IN ('queued', 'callback_requested');"
    /* Statistics: an index range each, however long the history. */
    "CREATE INDEX records_call_offered ON records (practice_id, offered_ms)"
    "  WHERE kind = 'call' AND NOT deleted;"
    "CREATE INDEX records_call_answered ON records (practice_id, answered_ms)"
    "  WHERE kind = 'call' AND NOT deleted AND answered_ms IS NOT NULL;"
    "CREATE INDEX records_slot_start ON records (practice_id, start_ms)"
    "  WHERE kind = 'slot' AND NOT deleted;"
    "CREATE INDEX records_triage_created ON records (practice_id, created_ms)"
    "  WHERE kind = 'triage' AND NOT deleted;"
    /* Online requests: matching finds a practice's patients by date of
     * birth; a reference is never given twice; the requests that came in
     * online, by when. */
    "CREATE INDEX records_patient_born ON records (practice_id, date_of_birth)"
    "  WHERE kind = 'patient' AND NOT deleted;"
    "CREATE UNIQUE INDEX records_triage_reference ON records (reference)"
    "  WHERE kind = 'triage' AND reference IS NOT NULL;"
    "CREATE INDEX records_request_created ON records (practice_id, created_ms)"
    "  WHERE kind = 'triage' AND NOT deleted AND source IN ('online', 'intake');"
    /* One row; every write transaction locks it first (see
     * signpost-pg-store.c), which is what keeps the change feed whole. */
    "CREATE TABLE seq_counter ("
    "  id integer PRIMARY KEY CHECK (id = 1),"
    "  value bigint NOT NULL"
    ");"
    "INSERT INTO seq_counter (id, value) VALUES (1, 0);"
    "CREATE TABLE mutations ("
    "  mutation_id text COLLATE \"C\" PRIMARY KEY,"
    "  user_id text COLLATE \"C\" NOT NULL,"
    "  result text NOT NULL"
    ");"
    "CREATE TABLE credentials ("
    "  user_id text COLLATE \"C\" PRIMARY KEY,"
    "  hash text NOT NULL"
    ");"
    "CREATE TABLE tokens ("
    "  hash text COLLATE \"C\" PRIMARY KEY,"
    "  user_id text COLLATE \"C\" NOT NULL,"
    "  role text NOT NULL,"
    "  expires_at bigint NOT NULL,"
    "  revoked boolean NOT NULL DEFAULT false"
    ");"
    "CREATE INDEX tokens_user ON tokens (user_id);"
    "CREATE INDEX tokens_expires ON tokens (expires_at);"
    "CREATE TABLE lines ("
    "  number text COLLATE \"C\" PRIMARY KEY,"
    "  practice_id text COLLATE \"C\" NOT NULL,"
    "  secret text NOT NULL"
    ");"
    "CREATE TABLE telephony_events ("
    "  key text COLLATE \"C\" PRIMARY KEY,"
    "  received_at bigint NOT NULL"
    ");"
    "CREATE INDEX telephony_events_received ON telephony_events (received_at);"
    /* Forgets the keys older than @keep_from, then remembers this one:
     * true when it is new. One round trip per webhook event. */
    "CREATE FUNCTION signpost_remember_event (event_key text, received bigint, keep_from bigint)"
    "  RETURNS boolean LANGUAGE sql AS $$"
    "    DELETE FROM telephony_events WHERE received_at < keep_from;"
    "    INSERT INTO telephony_events (key, received_at) VALUES (event_key, received)"
    "      ON CONFLICT (key) DO NOTHING RETURNING true;"
    "  $$;"
    "CREATE TABLE login_failures ("
    "  key text COLLATE \"C\" NOT NULL,"
    "  at bigint NOT NULL"
    ");"
    "CREATE INDEX login_failures_key ON login_failures (key, at);"
    /* Counters (rate limits, the emergency page) and secrets shared by
     * every instance; the intake API's sources. */
    "CREATE TABLE counters ("
    "  key text COLLATE \"C\" NOT NULL,"
    "  bucket bigint NOT NULL,"
    "  count bigint NOT NULL,"
    "  expires_at bigint NOT NULL,"
    "  PRIMARY KEY (key, bucket)"
    ");"
    "CREATE INDEX counters_expiry ON counters (expires_at);"
    /* Adds one unless the bucket holds @counter_limit already (0: no
     * limit), in one statement, so that instances counting at once never
     * let one more through; returns the number this one is, over the
     * limit when it was not counted. */
    "CREATE FUNCTION signpost_bump_counter (counter_key text, counter_bucket bigint,"
    "    counter_limit bigint, expiry bigint, now_us bigint)"
    "  RETURNS bigint LANGUAGE plpgsql AS $$"
    "  DECLARE counted bigint;"
    "  BEGIN"
    "    IF counter_limit > 0 THEN"
    "      SELECT c.count INTO counted FROM counters c"
    "        WHERE c.key = counter_key AND c.bucket = counter_bucket;"
    "      IF counted >= counter_limit THEN RETURN counted + 1; END IF;"
    "    END IF;"
    "    DELETE FROM counters c WHERE c.expires_at < now_us;"
    "    INSERT INTO counters AS c (key, bucket, count, expires_at)"
    "      VALUES (counter_key, counter_bucket, 1, expiry)"
    "      ON CONFLICT (key, bucket) DO UPDATE SET count = c.count + 1,"
    "        expires_at = greatest (c.expires_at, excluded.expires_at)"
    "      WHERE counter_limit <= 0 OR c.count < counter_limit"
    "      RETURNING c.count INTO counted;"
    "    IF counted IS NULL THEN"
    "      SELECT c.count + 1 INTO counted FROM counters c"
    "        WHERE c.key = counter_key AND c.bucket = counter_bucket;"
    "    END IF;"
    "    RETURN counted;"
    "  END $$;"
    "CREATE TABLE secrets ("
    "  name text COLLATE \"C\" PRIMARY KEY,"
    "  value text NOT NULL"
    ");"
    "CREATE TABLE intake_sources ("
    "  name text COLLATE \"C\" PRIMARY KEY,"
    "  practice_id text COLLATE \"C\" NOT NULL,"
    "  secret text NOT NULL"
    ");"
    /* Practices removed from this server (they moved to another), and
     * who worked for them. */
    "CREATE TABLE former_practices ("
    "  user_id text COLLATE \"C\" NOT NULL,"
    "  practice_id text COLLATE \"C\" NOT NULL,"
    "  PRIMARY KEY (user_id, practice_id)"
    ");"
    "CREATE TABLE audit ("
    "  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
    "  at bigint NOT NULL,"
    "  user_id text COLLATE \"C\","
    "  username text,"
    "  role text,"
    "  action text NOT NULL,"
    "  type text,"
    "  record_id text,"
    "  patient_id text COLLATE \"C\","
    "  client text,"
    "  detail text"
    ");"
    "CREATE INDEX audit_patient ON audit (patient_id, id);"
    "CREATE INDEX audit_user ON audit (user_id, id);"
    /* Append-only, even for SQL that tries otherwise. */
    "CREATE FUNCTION signpost_audit_append_only () RETURNS trigger LANGUAGE plpgsql AS $$"
    "  BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;"
    "CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit"
    "  FOR EACH ROW EXECUTE FUNCTION signpost_audit_append_only ();"
    "CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit"
    "  FOR EACH STATEMENT EXECUTE FUNCTION signpost_audit_append_only ();" },
  { 2, HUB_STATS_STEP },
  { 3,
    /* The change feed by practice and by kind (issue 15): a reader's
     * pages are merged from the branches of the practices it may see,
     * each an index range in seq order, so that a sync costs what those
     * practices hold, whatever else the database does. */
    "CREATE INDEX records_practice_seq ON records (practice_id, seq);"
    "CREATE INDEX records_kind_seq ON records (kind, seq);" },
  { 4, LIST_SIZE_STATEMENT_STEP },
};

static int
current_version (SignpostPgStore  *self,
                 GError          **error)
{
  g_autoptr(PGresult) result = NULL;

  result = signpost_pg_run (self, "SELECT coalesce (max (version), 0) FROM schema_version",
                            error, "");
  if (result == NULL)
    return -1;
  return (int) signpost_pg_int64 (result, 0, 0);
}

static gboolean
apply_step (SignpostPgStore  *self,
            const Step       *step,
            GError          **error)
{
  g_autoptr(PGresult) result = NULL;

  g_debug ("Migrating the PostgreSQL schema to version %d", step->version);
  if (!signpost_pg_exec (self, "BEGIN", error))
    return FALSE;
  /* The step's text comes from the table above: literals only. */
  if (!signpost_pg_exec_literal_ (self, step->sql, error))
    goto failed;
  result = signpost_pg_run (self, "INSERT INTO schema_version (version) VALUES ($1)", error,
                            "i", step->version);
  if (result == NULL || !signpost_pg_exec (self, "COMMIT", error))
    goto failed;
  return TRUE;

failed:
  signpost_pg_exec (self, "ROLLBACK", NULL);
  return FALSE;
}

/* Brings the database up to the newest step. A database newer than this
 * program is refused rather than guessed at. */
gboolean
signpost_pg_store_migrate (SignpostPgStore  *self,
                           GError          **error)
{
  int current;
  int newest = steps[G_N_ELEMENTS (steps) - 1].version;
  gboolean ok = TRUE;

  if (!signpost_pg_exec (self, "SELECT pg_advisory_lock (" SCHEMA_LOCK_KEY ")", error))
    return FALSE;
  if (!signpost_pg_exec (self,
                         "CREATE TABLE IF NOT EXISTS schema_version ("
                         "  version integer PRIMARY KEY,"
                         "  applied_at timestamptz NOT NULL DEFAULT now ()"
                         ")",
                         error))
    ok = FALSE;
  current = ok ? current_version (self, error) : -1;
  if (current < 0)
    ok = FALSE;
  else if (current > newest)
    {
      g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_STORAGE,
                   _("The database at %s has schema version %d, newer than this server knows (%d); "
                     "run a newer signpost-server"),
                   self->location, current, newest);
      ok = FALSE;
    }
  for (guint i = 0; ok && i < G_N_ELEMENTS (steps); i++)
    if (steps[i].version > current && !apply_step (self, &steps[i], error))
      ok = FALSE;
  signpost_pg_exec (self, "SELECT pg_advisory_unlock (" SCHEMA_LOCK_KEY ")", NULL);
  return ok;
}
