/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include "signpost-sqlite-store-private.h"

/*
 * The SQLite store's schema: its migrations, the tables and triggers that
 * keep the hub's daily totals, and the SQL function they use.
 */

/*
 * The hub's statistics (/stats/hub) compare weeks of every practice at
 * once, which is too much history to read call by call in a request. So
 * the database keeps running totals per practice and local day (the day
 * in the practice's own time zone), and a request adds up a few dozen of
 * those rows per practice.
 *
 * Triggers keep them, so that no write path can forget to. Each record
 * of interest has one row of "facts" — what it adds to its day,
 * recomputed from the record (and, for a slot, the live appointment in
 * it) whenever either is written; the daily totals follow the facts by
 * adding each new row and taking off each row removed. The counting rules
 * are those of /stats/day (signpost-stats.c): a call counts on the day it
 * was offered, a slot on the day it starts, a navigation record on the
 * day the server first stored it. A day is named by its local midnight
 * in Unix milliseconds, from signpost_local_day(), a function this store
 * gives SQLite (below); a practice's time zone is kept beside the totals,
 * and a practice that changes it has its facts worked out again.
 *
 * The longest wait cannot be taken off a total; when the call holding it
 * changes, it is found again among the facts of its day.
 */
#define DAY(zone_of, ms) \
  "signpost_local_day ((SELECT time_zone FROM stats_practice_zones" \
  "                     WHERE practice_id = " zone_of "), " ms ")"

/* Whether a patient row (new, old or records) is on the registered list. */
#define REGISTERED(row) \
  "(" row ".deleted = 0 AND coalesce (json_extract (" row ".data, '$.temporary'), 0) = 0" \
  " AND json_extract (" row ".data, '$.left_at') IS NULL)"

#define HUB_STATS_SCHEMA \
  /* Each practice's time zone, which names its days. */                \
  "CREATE TABLE stats_practice_zones ("                                 \
  "  practice_id TEXT PRIMARY KEY,"                                     \
  "  time_zone TEXT"                                                    \
  ");"                                                                  \
  /* A call's facts: each flag 0 or 1 (offered is always 1); wait_ms \
   * and abandon_ms are 0 unless answered or abandoned at a known time. */ \
  "CREATE TABLE stats_call_facts ("                                     \
  "  id TEXT PRIMARY KEY,"                                              \
  "  practice_id TEXT NOT NULL,"                                        \
  "  bucket INTEGER NOT NULL,"                                          \
  "  offered INTEGER NOT NULL,"                                         \
  "  answered INTEGER NOT NULL,"                                        \
  "  answered_in_time INTEGER NOT NULL,"                                \
  "  wait_ms INTEGER NOT NULL,"                                         \
  "  abandoned INTEGER NOT NULL,"                                       \
  "  abandon_n INTEGER NOT NULL,"                                       \
  "  abandon_ms INTEGER NOT NULL,"                                      \
  "  missed INTEGER NOT NULL,"                                          \
  "  waiting INTEGER NOT NULL,"                                         \
  "  callbacks_requested INTEGER NOT NULL,"                             \
  "  callbacks_made INTEGER NOT NULL"                                   \
  ");"                                                                  \
  "CREATE INDEX stats_call_facts_wait"                                  \
  "  ON stats_call_facts (practice_id, bucket, wait_ms) WHERE answered = 1;" \
  "CREATE TABLE stats_call_days ("                                  \
  "  practice_id TEXT NOT NULL,"                                        \
  "  bucket INTEGER NOT NULL,"                                          \
  "  offered INTEGER NOT NULL,"                                         \
  "  answered INTEGER NOT NULL,"                                        \
  "  answered_in_time INTEGER NOT NULL,"                                \
  "  wait_ms INTEGER NOT NULL,"                                         \
  "  wait_max_ms INTEGER NOT NULL,"                                     \
  "  abandoned INTEGER NOT NULL,"                                       \
  "  abandon_n INTEGER NOT NULL,"                                       \
  "  abandon_ms INTEGER NOT NULL,"                                      \
  "  missed INTEGER NOT NULL,"                                          \
  "  waiting INTEGER NOT NULL,"                                         \
  "  callbacks_requested INTEGER NOT NULL,"                             \
  "  callbacks_made INTEGER NOT NULL,"                                  \
  "  PRIMARY KEY (practice_id, bucket)"                                 \
  ") WITHOUT ROWID;"                                                    \
  /* The rules of signpost-stats.c's tally_call(), one call at a time. */ \
  "CREATE VIEW stats_call_source AS"                                    \
  "  SELECT id, practice_id, " DAY ("c.practice_id", "o") " AS bucket, 1 AS offered," \
  "    answered, answered AND a - o <= 60000 AS answered_in_time,"     \
  "    CASE WHEN answered THEN max (a - o, 0) ELSE 0 END AS wait_ms,"   \
  "    abandoned, abandoned AND ab IS NOT NULL AS abandon_n,"           \
  "    CASE WHEN abandoned AND ab IS NOT NULL THEN max (ab - o, 0) ELSE 0 END AS abandon_ms," \
  "    NOT cb AND NOT answered AND NOT abandoned AND NOT still AS missed," \
  "    NOT cb AND NOT answered AND NOT abandoned AND still AS waiting," \
  "    cb AS callbacks_requested,"                                      \
  "    cb AND (a IS NOT NULL OR done IS NOT NULL OR attempts > 0) AS callbacks_made" \
  "  FROM (SELECT *, NOT cb AND a IS NOT NULL AS answered,"             \
  "               NOT cb AND a IS NULL AND (ab IS NOT NULL OR state = 'abandoned') AS abandoned," \
  "               state IN ('ringing', 'queued', 'callback_requested') AS still" \
  "        FROM (SELECT id, practice_id,"                               \
  "                " MS ("json_extract (data, '$.offered_at')") " AS o," \
  "                " MS ("json_extract (data, '$.answered_at')") " AS a," \
  "                " MS ("json_extract (data, '$.abandoned_at')") " AS ab," \
  "                " MS ("json_extract (data, '$.callback_done_at')") " AS done," \
  "                json_extract (data, '$.callback_requested_at') IS NOT NULL AS cb," \
  "                coalesce (json_extract (data, '$.callback_attempts'), 0) AS attempts," \
  "                json_extract (data, '$.state') AS state"             \
  "              FROM records WHERE kind = 'call' AND deleted = 0)) c"  \
  "  WHERE o >= 0;"                                                     \
  "CREATE TRIGGER stats_call_facts_added AFTER INSERT ON stats_call_facts BEGIN" \
  "  INSERT INTO stats_call_days VALUES (new.practice_id, new.bucket, new.offered," \
  "      new.answered, new.answered_in_time, new.wait_ms,"              \
  "      CASE WHEN new.answered THEN new.wait_ms ELSE -1 END,"          \
  "      new.abandoned, new.abandon_n, new.abandon_ms, new.missed, new.waiting," \
  "      new.callbacks_requested, new.callbacks_made)"                  \
  "    ON CONFLICT (practice_id, bucket) DO UPDATE SET"                 \
  "      offered = offered + excluded.offered,"                         \
  "      answered = answered + excluded.answered,"                      \
  "      answered_in_time = answered_in_time + excluded.answered_in_time," \
  "      wait_ms = wait_ms + excluded.wait_ms,"                         \
  "      wait_max_ms = max (wait_max_ms, excluded.wait_max_ms),"        \
  "      abandoned = abandoned + excluded.abandoned,"                   \
  "      abandon_n = abandon_n + excluded.abandon_n,"                   \
  "      abandon_ms = abandon_ms + excluded.abandon_ms,"                \
  "      missed = missed + excluded.missed,"                            \
  "      waiting = waiting + excluded.waiting,"                         \
  "      callbacks_requested = callbacks_requested + excluded.callbacks_requested," \
  "      callbacks_made = callbacks_made + excluded.callbacks_made;"    \
  "END;"                                                                \
  "CREATE TRIGGER stats_call_facts_removed AFTER DELETE ON stats_call_facts BEGIN" \
  "  UPDATE stats_call_days SET"                                    \
  "      offered = offered - old.offered,"                              \
  "      answered = answered - old.answered,"                           \
  "      answered_in_time = answered_in_time - old.answered_in_time,"   \
  "      wait_ms = wait_ms - old.wait_ms,"                              \
  "      wait_max_ms = CASE WHEN old.answered AND old.wait_ms >= wait_max_ms" \
  "        THEN coalesce ((SELECT max (wait_ms) FROM stats_call_facts"  \
  "                        WHERE practice_id = old.practice_id AND bucket = old.bucket" \
  "                        AND answered = 1), -1)"                      \
  "        ELSE wait_max_ms END,"                                       \
  "      abandoned = abandoned - old.abandoned,"                        \
  "      abandon_n = abandon_n - old.abandon_n,"                        \
  "      abandon_ms = abandon_ms - old.abandon_ms,"                     \
  "      missed = missed - old.missed,"                                 \
  "      waiting = waiting - old.waiting,"                              \
  "      callbacks_requested = callbacks_requested - old.callbacks_requested," \
  "      callbacks_made = callbacks_made - old.callbacks_made"          \
  "    WHERE practice_id = old.practice_id AND bucket = old.bucket;"    \
  "END;"                                                                \
  "CREATE TRIGGER stats_call_inserted AFTER INSERT ON records WHEN new.kind = 'call' BEGIN" \
  "  INSERT INTO stats_call_facts SELECT * FROM stats_call_source WHERE id = new.id;" \
  "END;"                                                                \
  "CREATE TRIGGER stats_call_updated AFTER UPDATE ON records WHEN new.kind = 'call' BEGIN" \
  "  DELETE FROM stats_call_facts WHERE id = new.id;"                   \
  "  INSERT INTO stats_call_facts SELECT * FROM stats_call_source WHERE id = new.id;" \
  "END;"                                                                \
                                                                        \
  /* A slot's facts, with the live appointment in it: offered unless \
   * blocked; booked, used (arrived or seen), did not attend, and booked \
   * by hub staff (a user marked hub). */                               \
  "CREATE TABLE stats_slot_facts ("                                     \
  "  id TEXT PRIMARY KEY,"                                              \
  "  practice_id TEXT NOT NULL,"                                        \
  "  bucket INTEGER NOT NULL,"                                          \
  "  offered INTEGER NOT NULL,"                                         \
  "  booked INTEGER NOT NULL,"                                          \
  "  used INTEGER NOT NULL,"                                            \
  "  dna INTEGER NOT NULL,"                                             \
  "  hub_booked INTEGER NOT NULL"                                       \
  ");"                                                                  \
  "CREATE TABLE stats_slot_days ("                                  \
  "  practice_id TEXT NOT NULL,"                                        \
  "  bucket INTEGER NOT NULL,"                                          \
  "  offered INTEGER NOT NULL,"                                         \
  "  booked INTEGER NOT NULL,"                                          \
  "  used INTEGER NOT NULL,"                                            \
  "  dna INTEGER NOT NULL,"                                             \
  "  hub_booked INTEGER NOT NULL,"                                      \
  "  PRIMARY KEY (practice_id, bucket)"                                 \
  ") WITHOUT ROWID;"                                                    \
  /* The live appointment by records_live_slot, whose terms the join \
   * repeats (+s.id: see sqlite_foreach_slot_use()). */                 \
  "CREATE VIEW stats_slot_source AS"                                    \
  "  SELECT id, practice_id, " DAY ("s2.practice_id", "start") " AS bucket," \
  "    status IS NOT 'blocked' AS offered, booking IS NOT NULL AS booked," \
  "    coalesce (booking IN ('arrived', 'seen'), 0) AS used,"           \
  "    coalesce (booking = 'did_not_attend', 0) AS dna,"                \
  "    booking IS NOT NULL AND coalesce (hub, 0) <> 0 AS hub_booked"    \
  "  FROM (SELECT s.id AS id, s.practice_id AS practice_id,"            \
  "          " MS ("json_extract (s.data, '$.start')") " AS start,"     \
  "          json_extract (s.data, '$.status') AS status,"              \
  "          json_extract (a.data, '$.status') AS booking,"             \
  "          (SELECT json_extract (u.data, '$.hub') FROM records u"     \
  "           WHERE u.id = json_extract (a.data, '$.booked_by') AND u.kind = 'user') AS hub" \
  "        FROM records s LEFT JOIN records a"                          \
  "          ON a.kind = 'appointment' AND a.deleted = 0"               \
  "          AND json_extract (a.data, '$.status') <> 'cancelled'"      \
  "          AND json_extract (a.data, '$.slot_id') = +s.id"            \
  "        WHERE s.kind = 'slot' AND s.deleted = 0) s2"                 \
  "  WHERE start >= 0;"                                                 \
  "CREATE TRIGGER stats_slot_facts_added AFTER INSERT ON stats_slot_facts BEGIN" \
  "  INSERT INTO stats_slot_days VALUES (new.practice_id, new.bucket, new.offered," \
  "      new.booked, new.used, new.dna, new.hub_booked)"                \
  "    ON CONFLICT (practice_id, bucket) DO UPDATE SET"                 \
  "      offered = offered + excluded.offered,"                         \
  "      booked = booked + excluded.booked,"                            \
  "      used = used + excluded.used,"                                  \
  "      dna = dna + excluded.dna,"                                     \
  "      hub_booked = hub_booked + excluded.hub_booked;"                \
  "END;"                                                                \
  "CREATE TRIGGER stats_slot_facts_removed AFTER DELETE ON stats_slot_facts BEGIN" \
  "  UPDATE stats_slot_days SET"                                    \
  "      offered = offered - old.offered,"                              \
  "      booked = booked - old.booked,"                                 \
  "      used = used - old.used,"                                       \
  "      dna = dna - old.dna,"                                          \
  "      hub_booked = hub_booked - old.hub_booked"                      \
  "    WHERE practice_id = old.practice_id AND bucket = old.bucket;"    \
  "END;"                                                                \
  "CREATE TRIGGER stats_slot_inserted AFTER INSERT ON records WHEN new.kind = 'slot' BEGIN" \
  "  INSERT INTO stats_slot_facts SELECT * FROM stats_slot_source WHERE id = new.id;" \
  "END;"                                                                \
  "CREATE TRIGGER stats_slot_updated AFTER UPDATE ON records WHEN new.kind = 'slot' BEGIN" \
  "  DELETE FROM stats_slot_facts WHERE id = new.id;"                   \
  "  INSERT INTO stats_slot_facts SELECT * FROM stats_slot_source WHERE id = new.id;" \
  "END;"                                                                \
  "CREATE TRIGGER stats_appointment_inserted AFTER INSERT ON records"   \
  "  WHEN new.kind = 'appointment' BEGIN"                               \
  "  DELETE FROM stats_slot_facts WHERE id = json_extract (new.data, '$.slot_id');" \
  "  INSERT INTO stats_slot_facts SELECT * FROM stats_slot_source"      \
  "    WHERE id = json_extract (new.data, '$.slot_id');"                \
  "END;"                                                                \
  "CREATE TRIGGER stats_appointment_updated AFTER UPDATE ON records"    \
  "  WHEN new.kind = 'appointment' BEGIN"                               \
  "  DELETE FROM stats_slot_facts WHERE id = json_extract (old.data, '$.slot_id')" \
  "    AND id IS NOT json_extract (new.data, '$.slot_id');"             \
  "  INSERT INTO stats_slot_facts SELECT * FROM stats_slot_source"      \
  "    WHERE id = json_extract (old.data, '$.slot_id')"                 \
  "    AND id IS NOT json_extract (new.data, '$.slot_id');"             \
  "  DELETE FROM stats_slot_facts WHERE id = json_extract (new.data, '$.slot_id');" \
  "  INSERT INTO stats_slot_facts SELECT * FROM stats_slot_source"      \
  "    WHERE id = json_extract (new.data, '$.slot_id');"                \
  "END;"                                                                \
                                                                        \
  /* A navigation record's route: its kind ('' for none) and, for a \
   * profession or a service outside the practice, which. */            \
  "CREATE TABLE stats_triage_facts ("                                   \
  "  id TEXT PRIMARY KEY,"                                              \
  "  practice_id TEXT NOT NULL,"                                        \
  "  bucket INTEGER NOT NULL,"                                          \
  "  route TEXT NOT NULL,"                                              \
  "  target TEXT NOT NULL,"                                             \
  "  online INTEGER NOT NULL"                                           \
  ");"                                                                  \
  "CREATE TABLE stats_triage_days ("                                \
  "  practice_id TEXT NOT NULL,"                                        \
  "  bucket INTEGER NOT NULL,"                                          \
  "  route TEXT NOT NULL,"                                              \
  "  target TEXT NOT NULL,"                                             \
  "  count INTEGER NOT NULL,"                                           \
  "  online INTEGER NOT NULL,"                                          \
  "  PRIMARY KEY (practice_id, bucket, route, target)"                  \
  ") WITHOUT ROWID;"                                                    \
  "CREATE VIEW stats_triage_source AS"                                  \
  "  SELECT id, practice_id, " DAY ("r.practice_id", "created_ms") " AS bucket," \
  "    coalesce (json_extract (data, '$.route.kind'), '') AS route,"    \
  "    coalesce (CASE json_extract (data, '$.route.kind')"              \
  "                WHEN 'profession' THEN json_extract (data, '$.route.profession')" \
  "                WHEN 'signpost' THEN json_extract (data, '$.route.signpost')" \
  "              END, '') AS target,"                                   \
  "    coalesce (json_extract (data, '$.source') IN ('online', 'intake'), 0) AS online" \
  "  FROM records r WHERE kind = 'triage' AND deleted = 0 AND created_ms >= 0;" \
  "CREATE TRIGGER stats_triage_facts_added AFTER INSERT ON stats_triage_facts BEGIN" \
  "  INSERT INTO stats_triage_days VALUES (new.practice_id, new.bucket, new.route," \
  "      new.target, 1, new.online)"                                    \
  "    ON CONFLICT (practice_id, bucket, route, target) DO UPDATE SET count = count + 1," \
  "      online = online + excluded.online;"                            \
  "END;"                                                                \
  "CREATE TRIGGER stats_triage_facts_removed AFTER DELETE ON stats_triage_facts BEGIN" \
  "  UPDATE stats_triage_days SET count = count - 1, online = online - old.online" \
  "    WHERE practice_id = old.practice_id AND bucket = old.bucket"     \
  "    AND route = old.route AND target = old.target;"                  \
  "END;"                                                                \
  "CREATE TRIGGER stats_triage_inserted AFTER INSERT ON records WHEN new.kind = 'triage' BEGIN" \
  "  INSERT INTO stats_triage_facts SELECT * FROM stats_triage_source WHERE id = new.id;" \
  "END;"                                                                \
  "CREATE TRIGGER stats_triage_updated AFTER UPDATE ON records WHEN new.kind = 'triage' BEGIN" \
  "  DELETE FROM stats_triage_facts WHERE id = new.id;"                 \
  "  INSERT INTO stats_triage_facts SELECT * FROM stats_triage_source WHERE id = new.id;" \
  "END;"                                                                \
                                                                        \
  /* The registered list: patients who are not temporary residents \
   * and have not left. */                                             \
  "CREATE TABLE stats_list_sizes ("                                     \
  "  practice_id TEXT PRIMARY KEY,"                                     \
  "  registered INTEGER NOT NULL"                                       \
  ");"                                                                  \
  "CREATE TRIGGER stats_patient_inserted AFTER INSERT ON records WHEN new.kind = 'patient' BEGIN" \
  "  INSERT INTO stats_list_sizes VALUES (new.practice_id,"             \
  "      " REGISTERED ("new") ")" \
  "    ON CONFLICT (practice_id) DO UPDATE SET registered = registered + excluded.registered;" \
  "END;"                                                                \
  "CREATE TRIGGER stats_patient_updated AFTER UPDATE ON records WHEN new.kind = 'patient' BEGIN" \
  "  UPDATE stats_list_sizes SET registered = registered -"             \
  "      (" REGISTERED ("old") ")" \
  "    WHERE practice_id = old.practice_id;"                            \
  "  INSERT INTO stats_list_sizes VALUES (new.practice_id,"             \
  "      " REGISTERED ("new") ")" \
  "    ON CONFLICT (practice_id) DO UPDATE SET registered = registered + excluded.registered;" \
  "END;"                                                                \
                                                                        \
  /* A practice's days follow its time zone: a change of zone works its \
   * facts out again. (Upserts: the conflict clause of the statement that \
   * fires a trigger overrides an OR REPLACE inside it.) */             \
  "CREATE TRIGGER stats_practice_inserted AFTER INSERT ON records"      \
  "  WHEN new.kind = 'practice' BEGIN"                                  \
  "  INSERT INTO stats_practice_zones"                                  \
  "    VALUES (new.id, json_extract (new.data, '$.time_zone'))"         \
  "    ON CONFLICT (practice_id) DO UPDATE SET time_zone = excluded.time_zone;" \
  "END;"                                                                \
  "CREATE TRIGGER stats_practice_moved AFTER UPDATE ON records"         \
  "  WHEN new.kind = 'practice' AND json_extract (new.data, '$.time_zone')" \
  "       IS NOT (SELECT time_zone FROM stats_practice_zones WHERE practice_id = new.id) BEGIN" \
  "  INSERT INTO stats_practice_zones"                                  \
  "    VALUES (new.id, json_extract (new.data, '$.time_zone'))"         \
  "    ON CONFLICT (practice_id) DO UPDATE SET time_zone = excluded.time_zone;" \
  "  DELETE FROM stats_call_facts WHERE practice_id = new.id;"          \
  "  INSERT INTO stats_call_facts SELECT * FROM stats_call_source WHERE practice_id = new.id;" \
  "  DELETE FROM stats_slot_facts WHERE practice_id = new.id;"          \
  "  INSERT INTO stats_slot_facts SELECT * FROM stats_slot_source WHERE practice_id = new.id;" \
  "  DELETE FROM stats_triage_facts WHERE practice_id = new.id;"        \
  "  INSERT INTO stats_triage_facts SELECT * FROM stats_triage_source WHERE practice_id = new.id;" \
  "END;"                                                                \
                                                                        \
  /* What is already stored. */                                         \
  "INSERT INTO stats_practice_zones"                                    \
  "  SELECT id, json_extract (data, '$.time_zone') FROM records WHERE kind = 'practice';" \
  "INSERT INTO stats_call_facts SELECT * FROM stats_call_source;"       \
  "INSERT INTO stats_slot_facts SELECT * FROM stats_slot_source;"       \
  "INSERT INTO stats_triage_facts SELECT * FROM stats_triage_source;"   \
  "INSERT INTO stats_list_sizes"                                        \
  "  SELECT practice_id, sum (" REGISTERED ("records") ")"                \
  "  FROM records WHERE kind = 'patient' GROUP BY practice_id;"

/* Schema. Never edit a step that has shipped; add a new one. */
const SignpostMigration sqlite_migrations[] = {
  { 1,
    /* Every synced record. seq is the global change number of the
     * record's last change; data is its canonical JSON. */
    "CREATE TABLE records ("
    "  id TEXT PRIMARY KEY,"
    "  kind TEXT NOT NULL,"
    "  practice_id TEXT NOT NULL,"
    "  version INTEGER NOT NULL,"
    "  seq INTEGER NOT NULL UNIQUE,"
    "  updated_at TEXT NOT NULL,"
    "  deleted INTEGER NOT NULL DEFAULT 0,"
    "  data TEXT NOT NULL"
    ");"
    "CREATE INDEX records_kind_practice ON records (kind, practice_id);"
    /* The last line of defence for the diary: whatever the code does, one
     * slot never holds two appointments that are not cancelled. */
    "CREATE UNIQUE INDEX records_live_slot"
    "  ON records (json_extract (data, '$.slot_id'))"
    "  WHERE kind = 'appointment' AND deleted = 0"
    "    AND json_extract (data, '$.status') <> 'cancelled';"
    "CREATE INDEX records_appointment_patient"
    "  ON records (json_extract (data, '$.patient_id'))"
    "  WHERE kind = 'appointment';"
    "CREATE INDEX records_call_ref"
    "  ON records (json_extract (data, '$.line'), json_extract (data, '$.call_ref'))"
    "  WHERE kind = 'call';"
    "CREATE INDEX records_call_state"
    "  ON records (practice_id, json_extract (data, '$.state'))"
    "  WHERE kind = 'call';"
    "CREATE UNIQUE INDEX records_username"
    "  ON records (json_extract (data, '$.username'))"
    "  WHERE kind = 'user';"
    "CREATE TABLE seq_counter ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  value INTEGER NOT NULL"
    ");"
    "INSERT INTO seq_counter (id, value) VALUES (1, 0);"
    /* Idempotency: the result of every applied mutation, by its id. */
    "CREATE TABLE mutations ("
    "  mutation_id TEXT PRIMARY KEY,"
    "  user_id TEXT NOT NULL,"
    "  result TEXT NOT NULL"
    ");"
    "CREATE TABLE credentials ("
    "  user_id TEXT PRIMARY KEY,"
    "  hash TEXT NOT NULL"
    ");"
    "CREATE TABLE tokens ("
    "  hash TEXT PRIMARY KEY,"
    "  user_id TEXT NOT NULL,"
    "  role TEXT NOT NULL,"
    "  expires_at INTEGER NOT NULL,"
    "  revoked INTEGER NOT NULL DEFAULT 0"
    ");"
    "CREATE INDEX tokens_user ON tokens (user_id);"
    "CREATE TABLE lines ("
    "  number TEXT PRIMARY KEY,"
    "  practice_id TEXT NOT NULL,"
    "  secret TEXT NOT NULL"
    ");"
    "CREATE TABLE telephony_events ("
    "  key TEXT PRIMARY KEY,"
    "  received_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX telephony_events_received ON telephony_events (received_at);"
    "CREATE TABLE login_failures ("
    "  key TEXT NOT NULL,"
    "  at INTEGER NOT NULL"
    ");"
    "CREATE INDEX login_failures_key ON login_failures (key, at);"
    "CREATE TABLE audit ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  at INTEGER NOT NULL,"
    "  user_id TEXT,"
    "  username TEXT,"
    "  role TEXT,"
    "  action TEXT NOT NULL,"
    "  type TEXT,"
    "  record_id TEXT,"
    "  patient_id TEXT,"
    "  client TEXT,"
    "  detail TEXT"
    ");"
    "CREATE INDEX audit_patient ON audit (patient_id, id);"
    "CREATE INDEX audit_user ON audit (user_id, id);"
    /* Append-only, even for code that tries otherwise. */
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
    "  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    "  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;",
    NULL },
  { 2,
    /* The queue in its own order (offered_at in milliseconds, then
     * call_ref), so that a call's place is counted in the index rather
     * than by reading every waiting call. */
    "CREATE INDEX records_call_queue ON records ("
    "  practice_id,"
    "  CAST (round ((julianday (json_extract (data, '$.offered_at')) - 2440587.5)"
    "               * 86400000.0) AS INTEGER),"
    "  json_extract (data, '$.call_ref'))"
    "  WHERE kind = 'call' AND deleted = 0"
    "    AND json_extract (data, '$.state') IN ('queued', 'callback_requested');",
    NULL },
  { 3,
    /* Statistics. created_ms is when the server first stored a record
     * (records already here only know their last change). Calls are
     * found by when they were offered and when answered, slots by their
     * start, triage records by when they arrived: an index range each,
     * however long the history. */
    "ALTER TABLE records ADD COLUMN created_ms INTEGER;"
    "UPDATE records SET created_ms = " MS ("updated_at") " WHERE kind = 'triage';"
    "CREATE INDEX records_call_offered"
    "  ON records (practice_id, " MS ("json_extract (data, '$.offered_at')") ")"
    "  WHERE kind = 'call' AND deleted = 0;"
    "CREATE INDEX records_call_answered"
    "  ON records (practice_id, " MS ("json_extract (data, '$.answered_at')") ")"
    "  WHERE kind = 'call' AND deleted = 0"
    "    AND json_extract (data, '$.answered_at') IS NOT NULL;"
    "CREATE INDEX records_slot_start"
    "  ON records (practice_id, " MS ("json_extract (data, '$.start')") ")"
    "  WHERE kind = 'slot' AND deleted = 0;"
    "CREATE INDEX records_triage_created ON records (practice_id, created_ms)"
    "  WHERE kind = 'triage' AND deleted = 0;",
    NULL },
  { 4,
    /* Online requests (issue 18): matching finds a practice's patients
     * by date of birth; a reference is never given twice; the requests
     * that came in online, by when; counters (rate limits, the emergency
     * page) and secrets shared by every instance; the intake API's
     * sources. */
    "CREATE INDEX records_patient_born"
    "  ON records (practice_id, json_extract (data, '$.date_of_birth'))"
    "  WHERE kind = 'patient' AND deleted = 0;"
    "CREATE UNIQUE INDEX records_triage_reference"
    "  ON records (json_extract (data, '$.reference'))"
    "  WHERE kind = 'triage' AND json_extract (data, '$.reference') IS NOT NULL;"
    "CREATE INDEX records_request_created ON records (practice_id, created_ms)"
    "  WHERE kind = 'triage' AND deleted = 0"
    "    AND json_extract (data, '$.source') IN ('online', 'intake');"
    "CREATE TABLE counters ("
    "  key TEXT NOT NULL,"
    "  bucket INTEGER NOT NULL,"
    "  count INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL,"
    "  PRIMARY KEY (key, bucket)"
    ");"
    "CREATE INDEX counters_expiry ON counters (expires_at);"
    "CREATE TABLE secrets ("
    "  name TEXT PRIMARY KEY,"
    "  value TEXT NOT NULL"
    ");"
    "CREATE TABLE intake_sources ("
    "  name TEXT PRIMARY KEY,"
    "  practice_id TEXT NOT NULL,"
    "  secret TEXT NOT NULL"
    ");",
    NULL },
  { 5,
    /* Practices removed from this server (they moved to another), and who
     * worked for them: the change feed still brings those users the
     * tombstones. */
    "CREATE TABLE former_practices ("
    "  user_id TEXT NOT NULL,"
    "  practice_id TEXT NOT NULL,"
    "  PRIMARY KEY (user_id, practice_id)"
    ");",
    NULL },
  { 6, HUB_STATS_SCHEMA, NULL },
  { 7,
    /* The change feed by practice and by kind (issue 15): a reader's
     * pages are merged from the branches of the practices it may see,
     * each an index range in seq order, so that a sync costs what those
     * practices hold, whatever else the database does. */
    "CREATE INDEX records_practice_seq ON records (practice_id, seq);"
    "CREATE INDEX records_kind_seq ON records (kind, seq);",
    NULL },
};

const guint sqlite_n_migrations = G_N_ELEMENTS (sqlite_migrations);

/* signpost_local_day (ZONE, MS): the local midnight, in Unix milliseconds,
 * that begins the day of the instant MS in the time zone ZONE, for the
 * hub's daily totals. A zone that is missing is Europe/London and one this
 * machine does not know is UTC, as signpost-hub-stats.c has it. */
static void
local_day_function (sqlite3_context  *context,
                    int               argc,
                    sqlite3_value   **argv)
{
  GHashTable *zones = sqlite3_user_data (context);
  const char *name = (const char *) sqlite3_value_text (argv[0]);
  g_autoptr(GDateTime) instant = NULL;
  g_autoptr(GDateTime) midnight = NULL;
  GTimeZone *tz;
  gint64 ms;
  GDate day;

  if (sqlite3_value_type (argv[1]) == SQLITE_NULL)
    {
      sqlite3_result_null (context);
      return;
    }
  ms = sqlite3_value_int64 (argv[1]);
  tz = g_hash_table_lookup (zones, name != NULL ? name : "");
  if (tz == NULL)
    {
      tz = signpost_time_zone_new (name, NULL);
      if (tz == NULL)
        tz = g_time_zone_new_utc ();
      g_hash_table_insert (zones, g_strdup (name != NULL ? name : ""), tz);
    }
  instant = g_date_time_new_from_unix_utc (ms / 1000 - (ms % 1000 < 0 ? 1 : 0));
  if (instant == NULL)
    {
      sqlite3_result_null (context);
      return;
    }
  signpost_local_date (instant, tz, &day);
  midnight = signpost_local_time_to_utc (&day, 0, 0, tz);
  if (midnight == NULL)
    sqlite3_result_null (context);
  else
    sqlite3_result_int64 (context, g_date_time_to_unix (midnight) * 1000);
}

gboolean
add_functions (SignpostSqliteStore  *self,
               GError              **error)
{
  GHashTable *zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) g_time_zone_unref);
  int rc;

  rc = sqlite3_create_function_v2 (signpost_db_get_handle (self->db), "signpost_local_day", 2,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC, zones, local_day_function,
                                   NULL, NULL, (void (*) (void *)) g_hash_table_unref);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_STORAGE,
                   "Could not add a function to the database: %s", sqlite3_errstr (rc));
      return FALSE;
    }
  return TRUE;
}
