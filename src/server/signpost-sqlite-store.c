/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "signpost-sqlite-store.h"

/*
 * The embedded store: one SQLite file in WAL mode with synchronous=FULL
 * (SignpostDb's default), so a committed transaction survives a power cut.
 * Every record is one row holding its canonical JSON; the few fields that
 * queries need are reached through json_extract() expression indexes. All
 * SQLite specifics stay in this file.
 */

struct _SignpostSqliteStore
{
  GObject parent_instance;

  SignpostDb *db;

  /* Checkpoints run in a thread of their own, on a connection of their
   * own: inline, every thousandth commit would stall the main loop (and
   * live fan-out) for the time it takes to copy the WAL and fsync. */
  GThread *checkpointer;
  GMutex lock;
  GCond wake;
  gboolean stopping;

  /* Noticing commits of other connections (signpost_store_watch_changes):
   * PRAGMA data_version moves when one happened. seen_seq is the change
   * feed's head as last seen; our own commits move it too. */
  guint watch_id;
  gint64 data_version;
  gint64 seen_seq;
  gint64 pending_seq;             /* our highest seq in the open transaction */
  gint64 committed_seq;           /* our highest committed seq */
};

#define CHECKPOINT_INTERVAL_US (500 * 1000)
#define WATCH_INTERVAL_MS 250

static void signpost_sqlite_store_iface_init (SignpostStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SignpostSqliteStore, signpost_sqlite_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SIGNPOST_TYPE_STORE,
                                                      signpost_sqlite_store_iface_init))

/* An ISO 8601 instant (text, "Z" or an offset) as Unix milliseconds; NULL
 * stays NULL. Instants are compared this way because their text drops
 * ".000" and so does not sort. An index on it is used only by queries that
 * spell the same expression. */
#define MS(instant) \
  "CAST (round ((julianday (" instant ") - 2440587.5) * 86400000.0) AS INTEGER)"

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
static const SignpostMigration migrations[] = {
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
};

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

static gboolean
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

/* Telephony dedupe keys and login failures are only needed for a while. */
#define EVENT_KEEP_USEC    ((gint64) G_USEC_PER_SEC * 60 * 60 * 48)
#define FAILURE_KEEP_USEC  ((gint64) G_USEC_PER_SEC * 60 * 60 * 24)

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

static gpointer
record_from_column (SignpostDb          *db,
                    sqlite3_stmt        *stmt,
                    int                  column,
                    GType                type,
                    GError             **error)
{
  const char *data = column_text (stmt, column);
  gsize length = sqlite3_column_bytes (stmt, column);
  g_autoptr(GError) local_error = NULL;
  gpointer record;

  record = signpost_object_new_from_string (type, data, length, SIGNPOST_DECODE_FULL,
                                            &local_error);
  if (record == NULL)
    g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_STORAGE,
                 "stored record is unreadable: %s", local_error->message);
  return record;
}

/* Collects every row of a prepared, bound statement whose column 0 holds
 * a record of @type. */
static GPtrArray *
collect_records (SignpostDb    *db,
                 sqlite3_stmt  *stmt,
                 GType          type,
                 GError       **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  while ((rc = signpost_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      gpointer record = record_from_column (db, stmt, 0, type, error);

      if (record == NULL)
        {
          sqlite3_reset (stmt);
          return NULL;
        }
      g_ptr_array_add (records, record);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&records);
}

/* ---- transactions ------------------------------------------------------ */

static gboolean
sqlite_begin (SignpostStore  *store,
              GError        **error)
{
  return signpost_db_begin (SIGNPOST_SQLITE_STORE (store)->db, error);
}

static gboolean
sqlite_commit (SignpostStore  *store,
               GError        **error)
{
  SignpostSqliteStore *self = SIGNPOST_SQLITE_STORE (store);

  if (!signpost_db_commit (self->db, error))
    {
      self->pending_seq = 0;
      return FALSE;
    }
  if (!signpost_db_in_transaction (self->db))
    {
      self->committed_seq = MAX (self->committed_seq, self->pending_seq);
      self->pending_seq = 0;
    }
  return TRUE;
}

static void
sqlite_rollback (SignpostStore *store)
{
  SignpostSqliteStore *self = SIGNPOST_SQLITE_STORE (store);

  signpost_db_rollback (self->db);
  self->pending_seq = 0;
}

static gboolean
sqlite_savepoint (SignpostStore  *store,
                  GError        **error)
{
  return signpost_db_exec (SIGNPOST_SQLITE_STORE (store)->db, "SAVEPOINT mutation", error);
}

static gboolean
sqlite_release_savepoint (SignpostStore  *store,
                          GError        **error)
{
  return signpost_db_exec (SIGNPOST_SQLITE_STORE (store)->db, "RELEASE mutation", error);
}

static gboolean
sqlite_rollback_to_savepoint (SignpostStore *store)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;

  /* ROLLBACK TO keeps the savepoint open; RELEASE closes it. */
  if (signpost_db_in_transaction (db) &&
      signpost_db_exec (db, "ROLLBACK TO mutation", NULL) &&
      signpost_db_exec (db, "RELEASE mutation", NULL) &&
      signpost_db_in_transaction (db))
    return TRUE;
  g_warning ("Could not roll back to a savepoint: the transaction is gone");
  return FALSE;
}

/* ---- records ----------------------------------------------------------- */

static gint64
sqlite_get_last_seq (SignpostStore  *store,
                     GError        **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  sqlite3_stmt *stmt = signpost_db_prepare (db, "SELECT value FROM seq_counter WHERE id = 1",
                                            error);
  gint64 seq = -1;

  if (stmt == NULL)
    return -1;
  if (signpost_db_step (db, stmt, error) == SQLITE_ROW)
    seq = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return seq;
}

static gint64
next_seq (SignpostDb  *db,
          GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 seq = -1;

  stmt = signpost_db_prepare (db,
                              "UPDATE seq_counter SET value = value + 1 WHERE id = 1 "
                              "RETURNING value",
                              error);
  if (stmt == NULL)
    return -1;
  if (signpost_db_step (db, stmt, error) == SQLITE_ROW)
    seq = sqlite3_column_int64 (stmt, 0);
  /* Step to the end so the UPDATE completes before the reset. */
  while (sqlite3_step (stmt) == SQLITE_ROW)
    ;
  sqlite3_reset (stmt);
  return seq;
}

/* Unix milliseconds of @instant, or of now when there is none. */
static gint64
instant_ms (GDateTime *instant)
{
  if (instant == NULL)
    return g_get_real_time () / 1000;
  return g_date_time_to_unix (instant) * 1000 + g_date_time_get_microsecond (instant) / 1000;
}

static gboolean
sqlite_put_record (SignpostStore   *store,
                   SignpostRecord  *record,
                   gboolean         deleted,
                   GError         **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  g_autofree char *data = NULL;
  g_autofree char *updated_at = NULL;
  GDateTime *created_at;
  sqlite3_stmt *stmt;
  gint64 seq;
  int rc;

  g_return_val_if_fail (signpost_db_in_transaction (db), FALSE);

  /* When the record was first stored (statistics count triage records by
   * it): a triage record says so itself, which matters when it comes from
   * another server in a practice bundle. Only an INSERT sets it. */
  if (SIGNPOST_IS_TRIAGE (record) && signpost_triage_get_created_at (SIGNPOST_TRIAGE (record)) != NULL)
    created_at = signpost_triage_get_created_at (SIGNPOST_TRIAGE (record));
  else
    created_at = signpost_record_get_updated_at (record);
  seq = next_seq (db, error);
  if (seq < 0)
    return FALSE;
  SIGNPOST_SQLITE_STORE (store)->pending_seq = MAX (SIGNPOST_SQLITE_STORE (store)->pending_seq, seq);
  signpost_record_set_seq (record, seq);
  data = signpost_object_to_string (SIGNPOST_OBJECT (record), NULL);
  updated_at = signpost_timestamp_format (signpost_record_get_updated_at (record));

  /* An UPSERT on the id only: any other uniqueness violation (a second
   * live appointment for a slot, a second user of one name) is an error,
   * and an id already used by another kind of record is left alone. */
  stmt = signpost_db_prepare (db,
                              "INSERT INTO records (id, kind, practice_id, version, seq, "
                              "                     updated_at, deleted, data, created_ms) "
                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
                              "ON CONFLICT (id) DO UPDATE SET "
                              "  practice_id = excluded.practice_id,"
                              "  version = excluded.version,"
                              "  seq = excluded.seq,"
                              "  updated_at = excluded.updated_at,"
                              "  deleted = excluded.deleted,"
                              "  data = excluded.data "
                              "WHERE records.kind = excluded.kind",
                              error);
  if (stmt == NULL ||
      !signpost_db_bind (stmt, error, "sssIIsisI",
                         signpost_record_get_id (record),
                         signpost_record_kind_to_string (signpost_record_get_kind (record)),
                         signpost_record_get_practice_id (record),
                         signpost_record_get_version (record),
                         seq,
                         updated_at ? updated_at : "",
                         deleted ? 1 : 0,
                         data,
                         instant_ms (created_at)))
    return FALSE;
  rc = signpost_db_step (db, stmt, error);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return FALSE;
  if (signpost_db_changes (db) != 1)
    {
      g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_CONFLICT,
                   _("The id %s already belongs to another kind of record"),
                   signpost_record_get_id (record));
      return FALSE;
    }
  return TRUE;
}

/* A purged tombstone (signpost_store_purge_practice()) as a record with
 * its metadata only, from the row's columns 2–6. */
static SignpostRecord *
tombstone_from_columns (sqlite3_stmt       *stmt,
                        SignpostRecordKind  kind)
{
  SignpostRecord *record = g_object_new (signpost_record_type_for_kind (kind), NULL);
  g_autoptr(GDateTime) updated_at = signpost_timestamp_parse (column_text (stmt, 5), NULL);

  signpost_record_set_id (record, column_text (stmt, 2));
  signpost_record_set_practice_id (record, column_text (stmt, 3));
  signpost_record_set_version (record, sqlite3_column_int64 (stmt, 4));
  signpost_record_set_updated_at (record, updated_at);
  signpost_record_set_seq (record, sqlite3_column_int64 (stmt, 6));
  return record;
}

static SignpostRecord *
sqlite_get_record (SignpostStore       *store,
                   SignpostRecordKind   kind,
                   const char          *id,
                   gboolean            *deleted,
                   GError             **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  sqlite3_stmt *stmt;
  SignpostRecord *record = NULL;
  int rc;

  if (deleted != NULL)
    *deleted = FALSE;
  stmt = signpost_db_prepare (db,
                              "SELECT data, deleted, id, practice_id, version, updated_at, seq "
                              "FROM records WHERE id = ?1 AND kind = ?2",
                              error);
  if (stmt == NULL ||
      !signpost_db_bind (stmt, error, "ss", id, signpost_record_kind_to_string (kind)))
    return NULL;
  rc = signpost_db_step (db, stmt, error);
  if (rc == SQLITE_ROW && sqlite3_column_int (stmt, 1) != 0)
    {
      /* A tombstone: what it still holds may be its metadata only. */
      record = signpost_object_new_from_string (signpost_record_type_for_kind (kind),
                                                column_text (stmt, 0),
                                                sqlite3_column_bytes (stmt, 0),
                                                SIGNPOST_DECODE_FULL, NULL);
      if (record == NULL)
        record = tombstone_from_columns (stmt, kind);
      if (deleted != NULL)
        *deleted = TRUE;
    }
  else if (rc == SQLITE_ROW)
    record = record_from_column (db, stmt, 0, signpost_record_type_for_kind (kind), error);
  sqlite3_reset (stmt);
  return record;
}

static GPtrArray *
sqlite_list_records (SignpostStore       *store,
                     SignpostRecordKind   kind,
                     const char          *practice_id,
                     GError             **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  sqlite3_stmt *stmt;

  if (practice_id == NULL)
    {
      stmt = signpost_db_prepare (db,
                                  "SELECT data FROM records "
                                  "WHERE kind = ?1 AND deleted = 0 ORDER BY seq",
                                  error);
      if (stmt == NULL ||
          !signpost_db_bind (stmt, error, "s", signpost_record_kind_to_string (kind)))
        return NULL;
    }
  else
    {
      stmt = signpost_db_prepare (db,
                                  "SELECT data FROM records "
                                  "WHERE kind = ?1 AND practice_id = ?2 AND deleted = 0 "
                                  "ORDER BY seq",
                                  error);
      if (stmt == NULL ||
          !signpost_db_bind (stmt, error, "ss", signpost_record_kind_to_string (kind),
                             practice_id))
        return NULL;
    }
  return collect_records (db, stmt, signpost_record_type_for_kind (kind), error);
}

static gboolean
sqlite_foreach_change (SignpostStore             *store,
                       gint64                     since,
                       guint                      max_rows,
                       SignpostStoredChangeFunc   func,
                       gpointer                   user_data,
                       GError                   **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  sqlite3_stmt *stmt;
  int rc;

  stmt = signpost_db_prepare (db,
                              "SELECT seq, kind, id, practice_id, version, deleted, data "
                              "FROM records WHERE seq > ?1 ORDER BY seq LIMIT ?2",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "Ii", since, (int) max_rows))
    return FALSE;
  while ((rc = signpost_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      SignpostStoredChange change;
      SignpostRecordKind kind;

      if (!signpost_record_kind_from_string (column_text (stmt, 1), &kind))
        continue;
      change.seq = sqlite3_column_int64 (stmt, 0);
      change.kind = kind;
      change.id = column_text (stmt, 2);
      change.practice_id = column_text (stmt, 3);
      change.version = sqlite3_column_int64 (stmt, 4);
      change.deleted = sqlite3_column_int (stmt, 5) != 0;
      change.data = column_text (stmt, 6);
      change.data_length = sqlite3_column_bytes (stmt, 6);
      if (!func (&change, user_data))
        break;
    }
  sqlite3_reset (stmt);
  return rc != -1;
}

static gboolean
sqlite_foreach_patient (SignpostStore              *store,
                        const char                 *practice_id,
                        SignpostStoredPatientFunc   func,
                        gpointer                    user_data,
                        GError                    **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  sqlite3_stmt *stmt;
  int rc;

  stmt = signpost_db_prepare (db,
                              "SELECT id, version, json_extract (data, '$.patient_ref'),"
                              "       json_extract (data, '$.nhs_number'),"
                              "       json_extract (data, '$.family_name'),"
                              "       json_extract (data, '$.given_name'),"
                              "       json_extract (data, '$.date_of_birth'),"
                              "       json_extract (data, '$.left_at') IS NOT NULL,"
                              "       json_extract (data, '$.temporary'), data "
                              "FROM records WHERE kind = 'patient' AND practice_id = ?1 "
                              "AND deleted = 0 ORDER BY seq",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "s", practice_id))
    return FALSE;
  while ((rc = signpost_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      SignpostStoredPatient patient = {
        .id = column_text (stmt, 0),
        .version = sqlite3_column_int64 (stmt, 1),
        .patient_ref = column_text (stmt, 2),
        .nhs_number = column_text (stmt, 3),
        .family_name = column_text (stmt, 4),
        .given_name = column_text (stmt, 5),
        .date_of_birth = column_text (stmt, 6),
        .left = sqlite3_column_int (stmt, 7) != 0,
        .temporary = sqlite3_column_int (stmt, 8) != 0,
        .data = column_text (stmt, 9),
        .data_length = sqlite3_column_bytes (stmt, 9),
      };

      if (!func (&patient, user_data))
        break;
    }
  sqlite3_reset (stmt);
  return rc != -1;
}

static SignpostUser *
sqlite_find_user (SignpostStore  *store,
                  const char     *username,
                  GError        **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  sqlite3_stmt *stmt;
  g_autoptr(GPtrArray) users = NULL;

  stmt = signpost_db_prepare (db,
                              "SELECT data FROM records WHERE kind = 'user' AND deleted = 0 "
                              "AND json_extract (data, '$.username') = ?1",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "s", username))
    return NULL;
  users = collect_records (db, stmt, SIGNPOST_TYPE_USER, error);
  if (users == NULL || users->len == 0)
    return NULL;
  return g_object_ref (g_ptr_array_index (users, 0));
}

static SignpostAppointment *
sqlite_find_live_appointment (SignpostStore  *store,
                              const char     *slot_id,
                              GError        **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  sqlite3_stmt *stmt;
  g_autoptr(GPtrArray) found = NULL;

  stmt = signpost_db_prepare (db,
                              "SELECT data FROM records "
                              "WHERE kind = 'appointment' AND deleted = 0 "
                              "AND json_extract (data, '$.status') <> 'cancelled' "
                              "AND json_extract (data, '$.slot_id') = ?1",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "s", slot_id))
    return NULL;
  found = collect_records (db, stmt, SIGNPOST_TYPE_APPOINTMENT, error);
  if (found == NULL || found->len == 0)
    return NULL;
  return g_object_ref (g_ptr_array_index (found, 0));
}

static gboolean
sqlite_patient_booked_between (SignpostStore  *store,
                               const char     *patient_id,
                               GDateTime      *from,
                               GDateTime      *to,
                               gboolean       *booked,
                               GError        **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  sqlite3_stmt *stmt;
  int rc;

  /* As instants, not text: "…T00:00:00.5Z" sorts before "…T00:00:00Z". */
  stmt = signpost_db_prepare (db,
                              "SELECT 1 FROM records a JOIN records s "
                              "  ON s.id = json_extract (a.data, '$.slot_id') "
                              "WHERE a.kind = 'appointment' AND a.deleted = 0 "
                              "AND json_extract (a.data, '$.patient_id') = ?1 "
                              "AND json_extract (a.data, '$.status') <> 'cancelled' "
                              "AND " MS ("json_extract (s.data, '$.start')") " >= ?2 "
                              "AND " MS ("json_extract (s.data, '$.start')") " < ?3 LIMIT 1",
                              error);
  if (stmt == NULL ||
      !signpost_db_bind (stmt, error, "sII", patient_id, instant_ms (from), instant_ms (to)))
    return FALSE;
  rc = signpost_db_step (db, stmt, error);
  sqlite3_reset (stmt);
  *booked = rc == SQLITE_ROW;
  return rc != -1;
}

static SignpostCall *
sqlite_find_call (SignpostStore  *store,
                  const char     *line,
                  const char     *call_ref,
                  GError        **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  sqlite3_stmt *stmt;
  g_autoptr(GPtrArray) found = NULL;

  stmt = signpost_db_prepare (db,
                              "SELECT data FROM records WHERE kind = 'call' "
                              "AND json_extract (data, '$.line') = ?1 "
                              "AND json_extract (data, '$.call_ref') = ?2",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "ss", line, call_ref))
    return NULL;
  found = collect_records (db, stmt, SIGNPOST_TYPE_CALL, error);
  if (found == NULL || found->len == 0)
    return NULL;
  return g_object_ref (g_ptr_array_index (found, 0));
}

static GPtrArray *
sqlite_list_queue (SignpostStore  *store,
                   const char     *practice_id,
                   GError        **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  sqlite3_stmt *stmt;

  stmt = signpost_db_prepare (db,
                              "SELECT data FROM records WHERE kind = 'call' "
                              "AND practice_id = ?1 AND deleted = 0 "
                              "AND json_extract (data, '$.state') IN ('queued', 'callback_requested')",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "s", practice_id))
    return NULL;
  return collect_records (db, stmt, SIGNPOST_TYPE_CALL, error);
}

static gboolean
sqlite_count_queue_before (SignpostStore  *store,
                           const char     *practice_id,
                           GDateTime      *offered_at,
                           const char     *call_ref,
                           gint64         *count,
                           GError        **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  gint64 offered_ms = g_date_time_to_unix (offered_at) * 1000 +
                      g_date_time_get_microsecond (offered_at) / 1000;
  sqlite3_stmt *stmt;
  int rc;

  /* Instants compared as milliseconds: the text form drops ".000", so it
   * does not sort. Both counts walk records_call_queue only, which holds
   * the waiting calls and nothing else: INDEXED BY, because the planner
   * would otherwise take records_call_offered (the same leading columns)
   * and read every call the practice ever had. */
  stmt = signpost_db_prepare (db,
                              "SELECT (SELECT count (*) FROM records INDEXED BY records_call_queue"
                              "  WHERE kind = 'call' AND deleted = 0"
                              "  AND json_extract (data, '$.state') IN ('queued', 'callback_requested')"
                              "  AND practice_id = ?1"
                              "  AND CAST (round ((julianday (json_extract (data, '$.offered_at')) - 2440587.5)"
                              "                   * 86400000.0) AS INTEGER) < ?2)"
                              " + (SELECT count (*) FROM records INDEXED BY records_call_queue"
                              "  WHERE kind = 'call' AND deleted = 0"
                              "  AND json_extract (data, '$.state') IN ('queued', 'callback_requested')"
                              "  AND practice_id = ?1"
                              "  AND CAST (round ((julianday (json_extract (data, '$.offered_at')) - 2440587.5)"
                              "                   * 86400000.0) AS INTEGER) = ?2"
                              "  AND json_extract (data, '$.call_ref') < ?3)",
                              error);
  if (stmt == NULL ||
      !signpost_db_bind (stmt, error, "sIs", practice_id, offered_ms, call_ref))
    return FALSE;
  rc = signpost_db_step (db, stmt, error);
  *count = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  return rc != -1;
}

static gboolean
sqlite_count_calls (SignpostStore  *store,
                    const char     *practice_id,
                    GDateTime      *answered_since,
                    gint64         *answered,
                    gint64         *on_calls,
                    GError        **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  sqlite3_stmt *stmt;
  int rc;

  /* The calls answered since then: a range of records_call_answered. */
  stmt = signpost_db_prepare (db,
                              "SELECT count (*) FROM records WHERE kind = 'call' "
                              "AND practice_id = ?1 AND deleted = 0 "
                              "AND json_extract (data, '$.answered_at') IS NOT NULL "
                              "AND " MS ("json_extract (data, '$.answered_at')") " >= ?2",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "sI", practice_id, instant_ms (answered_since)))
    return FALSE;
  rc = signpost_db_step (db, stmt, error);
  *answered = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  if (rc == -1)
    return FALSE;

  stmt = signpost_db_prepare (db,
                              "SELECT count (*) FROM records WHERE kind = 'call' "
                              "AND practice_id = ?1 AND deleted = 0 "
                              "AND json_extract (data, '$.state') = 'answered'",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "s", practice_id))
    return FALSE;
  rc = signpost_db_step (db, stmt, error);
  *on_calls = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  return rc != -1;
}

/* ---- statistics -------------------------------------------------------- */

static gint64
column_ms (sqlite3_stmt *stmt,
           int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return -1;
  return sqlite3_column_int64 (stmt, column);
}

static gboolean
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

static gboolean
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

static gboolean
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
static gboolean
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

static gboolean
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

/* ---- mutations --------------------------------------------------------- */

static gboolean
sqlite_lookup_mutation (SignpostStore  *store,
                        const char     *mutation_id,
                        char          **user_id,
                        char          **result,
                        GError        **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  sqlite3_stmt *stmt;
  int rc;

  *user_id = NULL;
  *result = NULL;
  stmt = signpost_db_prepare (db, "SELECT user_id, result FROM mutations WHERE mutation_id = ?1",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "s", mutation_id))
    return FALSE;
  rc = signpost_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    {
      *user_id = g_strdup (column_text (stmt, 0));
      *result = g_strdup (column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  return rc != -1;
}

static gboolean
sqlite_save_mutation (SignpostStore  *store,
                      const char     *mutation_id,
                      const char     *user_id,
                      const char     *result,
                      GError        **error)
{
  return signpost_db_run (SIGNPOST_SQLITE_STORE (store)->db,
                          "INSERT INTO mutations (mutation_id, user_id, result) "
                          "VALUES (?1, ?2, ?3)",
                          error, "sss", mutation_id, user_id, result);
}

/* ---- credentials and tokens -------------------------------------------- */

static char *
sqlite_get_password_hash (SignpostStore  *store,
                          const char     *user_id,
                          GError        **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  sqlite3_stmt *stmt;
  char *hash = NULL;

  stmt = signpost_db_prepare (db, "SELECT hash FROM credentials WHERE user_id = ?1", error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "s", user_id))
    return NULL;
  if (signpost_db_step (db, stmt, error) == SQLITE_ROW)
    hash = g_strdup (column_text (stmt, 0));
  sqlite3_reset (stmt);
  return hash;
}

static gboolean
sqlite_set_password_hash (SignpostStore  *store,
                          const char     *user_id,
                          const char     *hash,
                          GError        **error)
{
  return signpost_db_run (SIGNPOST_SQLITE_STORE (store)->db,
                          "INSERT INTO credentials (user_id, hash) VALUES (?1, ?2) "
                          "ON CONFLICT (user_id) DO UPDATE SET hash = excluded.hash",
                          error, "ss", user_id, hash);
}

static gboolean
sqlite_save_token (SignpostStore  *store,
                   const char     *token_hash,
                   const char     *user_id,
                   const char     *role,
                   gint64          expires_at,
                   GError        **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;

  /* Expired tokens are of no further use; clear them out as we go. */
  return signpost_db_run (db, "DELETE FROM tokens WHERE expires_at < ?1", error, "I",
                          g_get_real_time () - (gint64) G_USEC_PER_SEC * 60 * 60 * 24) &&
         signpost_db_run (db,
                          "INSERT INTO tokens (hash, user_id, role, expires_at, revoked) "
                          "VALUES (?1, ?2, ?3, ?4, 0)",
                          error, "sssI", token_hash, user_id, role, expires_at);
}

static gboolean
sqlite_lookup_token (SignpostStore      *store,
                     const char         *token_hash,
                     SignpostTokenInfo  *info,
                     GError            **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  sqlite3_stmt *stmt;
  int rc;

  memset (info, 0, sizeof *info);
  stmt = signpost_db_prepare (db,
                              "SELECT user_id, role, expires_at, revoked FROM tokens "
                              "WHERE hash = ?1",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "s", token_hash))
    return FALSE;
  rc = signpost_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    {
      info->user_id = g_strdup (column_text (stmt, 0));
      info->role = g_strdup (column_text (stmt, 1));
      info->expires_at = sqlite3_column_int64 (stmt, 2);
      info->revoked = sqlite3_column_int (stmt, 3) != 0;
    }
  sqlite3_reset (stmt);
  return rc != -1;
}

static gboolean
sqlite_revoke_token (SignpostStore  *store,
                     const char     *token_hash,
                     GError        **error)
{
  return signpost_db_run (SIGNPOST_SQLITE_STORE (store)->db,
                          "UPDATE tokens SET revoked = 1 WHERE hash = ?1",
                          error, "s", token_hash);
}

static gboolean
sqlite_revoke_user_tokens (SignpostStore  *store,
                           const char     *user_id,
                           GError        **error)
{
  return signpost_db_run (SIGNPOST_SQLITE_STORE (store)->db,
                          "UPDATE tokens SET revoked = 1 WHERE user_id = ?1",
                          error, "s", user_id);
}

static gboolean
sqlite_add_login_failure (SignpostStore  *store,
                          const char     *key,
                          gint64          at,
                          GError        **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;

  return signpost_db_run (db, "DELETE FROM login_failures WHERE key = ?1 AND at < ?2",
                          error, "sI", key, at - FAILURE_KEEP_USEC) &&
         signpost_db_run (db, "INSERT INTO login_failures (key, at) VALUES (?1, ?2)",
                          error, "sI", key, at);
}

static gboolean
sqlite_count_login_failures (SignpostStore  *store,
                             const char     *key,
                             gint64          since,
                             guint          *count,
                             gint64         *oldest,
                             GError        **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  sqlite3_stmt *stmt;
  int rc;

  *count = 0;
  *oldest = 0;
  stmt = signpost_db_prepare (db,
                              "SELECT count (*), min (at) FROM login_failures "
                              "WHERE key = ?1 AND at >= ?2",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "sI", key, since))
    return FALSE;
  rc = signpost_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    {
      *count = sqlite3_column_int (stmt, 0);
      *oldest = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  return rc != -1;
}

static gboolean
sqlite_clear_login_failures (SignpostStore  *store,
                             const char     *key,
                             GError        **error)
{
  return signpost_db_run (SIGNPOST_SQLITE_STORE (store)->db,
                          "DELETE FROM login_failures WHERE key = ?1", error, "s", key);
}

static gboolean
sqlite_remove_login_failure (SignpostStore  *store,
                             const char     *key,
                             gint64          at,
                             GError        **error)
{
  return signpost_db_run (SIGNPOST_SQLITE_STORE (store)->db,
                          "DELETE FROM login_failures WHERE rowid = "
                          "(SELECT rowid FROM login_failures WHERE key = ?1 AND at = ?2 LIMIT 1)",
                          error, "sI", key, at);
}

/* ---- telephony --------------------------------------------------------- */

static gboolean
sqlite_get_line (SignpostStore  *store,
                 const char     *number,
                 char          **practice_id,
                 char          **secret,
                 GError        **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  sqlite3_stmt *stmt;
  int rc;

  *practice_id = NULL;
  if (secret != NULL)
    *secret = NULL;
  stmt = signpost_db_prepare (db, "SELECT practice_id, secret FROM lines WHERE number = ?1",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "s", number))
    return FALSE;
  rc = signpost_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    {
      *practice_id = g_strdup (column_text (stmt, 0));
      if (secret != NULL)
        *secret = g_strdup (column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  return rc != -1;
}

static gboolean
sqlite_set_line (SignpostStore  *store,
                 const char     *number,
                 const char     *practice_id,
                 const char     *secret,
                 GError        **error)
{
  return signpost_db_run (SIGNPOST_SQLITE_STORE (store)->db,
                          "INSERT INTO lines (number, practice_id, secret) VALUES (?1, ?2, ?3) "
                          "ON CONFLICT (number) DO UPDATE SET "
                          "  practice_id = excluded.practice_id, secret = excluded.secret",
                          error, "sss", number, practice_id, secret);
}

static gboolean
sqlite_remember_event (SignpostStore  *store,
                       const char     *key,
                       gint64          at,
                       gboolean       *fresh,
                       GError        **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;

  *fresh = FALSE;
  if (!signpost_db_run (db, "DELETE FROM telephony_events WHERE received_at < ?1",
                        error, "I", at - EVENT_KEEP_USEC) ||
      !signpost_db_run (db,
                        "INSERT INTO telephony_events (key, received_at) VALUES (?1, ?2) "
                        "ON CONFLICT (key) DO NOTHING",
                        error, "sI", key, at))
    return FALSE;
  *fresh = signpost_db_changes (db) == 1;
  return TRUE;
}

/* ---- audit ------------------------------------------------------------- */

static gboolean
sqlite_append_audit (SignpostStore             *store,
                     const SignpostAuditEvent  *event,
                     GError                   **error)
{
  return signpost_db_run (SIGNPOST_SQLITE_STORE (store)->db,
                          "INSERT INTO audit (at, user_id, username, role, action, type, "
                          "                   record_id, patient_id, client, detail) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                          error, "Isssssssss",
                          event->at, event->user_id, event->username, event->role,
                          event->action, event->type, event->record_id, event->patient_id,
                          event->client, event->detail);
}

static gboolean
sqlite_foreach_audit (SignpostStore      *store,
                      const char         *patient_id,
                      const char         *user_id,
                      gint64              since_id,
                      guint               limit,
                      SignpostAuditFunc   func,
                      gpointer            user_data,
                      GError            **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  sqlite3_stmt *stmt;
  int rc;

  stmt = signpost_db_prepare (db,
                              "SELECT id, at, user_id, username, role, action, type, record_id, "
                              "       patient_id, client, detail FROM audit "
                              "WHERE id > ?1 AND (?2 IS NULL OR patient_id = ?2) "
                              "AND (?3 IS NULL OR user_id = ?3) ORDER BY id LIMIT ?4",
                              error);
  if (stmt == NULL ||
      !signpost_db_bind (stmt, error, "Issi", since_id, patient_id, user_id, (int) limit))
    return FALSE;
  while ((rc = signpost_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      SignpostAuditEvent event = {
        .id = sqlite3_column_int64 (stmt, 0),
        .at = sqlite3_column_int64 (stmt, 1),
        .user_id = column_text (stmt, 2),
        .username = column_text (stmt, 3),
        .role = column_text (stmt, 4),
        .action = column_text (stmt, 5),
        .type = column_text (stmt, 6),
        .record_id = column_text (stmt, 7),
        .patient_id = column_text (stmt, 8),
        .client = column_text (stmt, 9),
        .detail = column_text (stmt, 10),
      };

      if (!func (&event, user_data))
        break;
    }
  sqlite3_reset (stmt);
  return rc != -1;
}

/* ---- removing a practice ---------------------------------------------- */

typedef struct {
  char *id;
  char *kind;
  gint64 version;
} Doomed;

static void
doomed_clear (Doomed *doomed)
{
  g_free (doomed->id);
  g_free (doomed->kind);
}

static gboolean
sqlite_purge_practice (SignpostStore  *store,
                       const char     *practice_id,
                       GDateTime      *now,
                       guint          *n_records,
                       GError        **error)
{
  SignpostSqliteStore *self = SIGNPOST_SQLITE_STORE (store);
  SignpostDb *db = self->db;
  g_autoptr(GArray) doomed = g_array_new (FALSE, TRUE, sizeof (Doomed));
  g_autofree char *updated_at = signpost_timestamp_format (now);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (signpost_db_in_transaction (db), FALSE);

  if (n_records != NULL)
    *n_records = 0;
  g_array_set_clear_func (doomed, (GDestroyNotify) doomed_clear);
  stmt = signpost_db_prepare (db,
                              "SELECT id, kind, version FROM records "
                              "WHERE practice_id = ?1 AND deleted = 0 ORDER BY seq",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "s", practice_id))
    return FALSE;
  while ((rc = signpost_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      Doomed entry = {
        g_strdup (column_text (stmt, 0)), g_strdup (column_text (stmt, 1)),
        sqlite3_column_int64 (stmt, 2),
      };

      g_array_append_val (doomed, entry);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return FALSE;

  for (guint i = 0; i < doomed->len; i++)
    {
      Doomed *entry = &g_array_index (doomed, Doomed, i);
      g_autofree char *data = NULL;
      gint64 seq = next_seq (db, error);

      if (seq < 0)
        return FALSE;
      self->pending_seq = MAX (self->pending_seq, seq);
      /* Ids, practice ids and instants are ours and need no escaping. */
      data = g_strdup_printf ("{\"id\":\"%s\",\"practice_id\":\"%s\",\"version\":%" G_GINT64_FORMAT
                              ",\"updated_at\":\"%s\",\"seq\":%" G_GINT64_FORMAT "}",
                              entry->id, practice_id, entry->version + 1, updated_at, seq);
      if (!signpost_db_run (db,
                            "UPDATE records SET deleted = 1, version = ?2, seq = ?3, "
                            "updated_at = ?4, data = ?5 WHERE id = ?1",
                            error, "sIIss", entry->id, entry->version + 1, seq, updated_at, data))
        return FALSE;
      if (g_str_equal (entry->kind, "user") &&
          (!signpost_db_run (db, "DELETE FROM credentials WHERE user_id = ?1", error, "s",
                             entry->id) ||
           !signpost_db_run (db, "DELETE FROM tokens WHERE user_id = ?1", error, "s", entry->id)))
        return FALSE;
    }
  if (!signpost_db_run (db, "DELETE FROM lines WHERE practice_id = ?1", error, "s", practice_id) ||
      !signpost_db_run (db,
                        "DELETE FROM mutations "
                        "WHERE json_extract (result, '$.record.practice_id') = ?1",
                        error, "s", practice_id))
    return FALSE;
  if (n_records != NULL)
    *n_records = doomed->len;
  return TRUE;
}

static gboolean
sqlite_add_former_practice (SignpostStore  *store,
                            const char     *user_id,
                            const char     *practice_id,
                            GError        **error)
{
  return signpost_db_run (SIGNPOST_SQLITE_STORE (store)->db,
                          "INSERT INTO former_practices (user_id, practice_id) VALUES (?1, ?2) "
                          "ON CONFLICT DO NOTHING",
                          error, "ss", user_id, practice_id);
}

static GStrv
sqlite_list_former_practices (SignpostStore  *store,
                              const char     *user_id,
                              GError        **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  stmt = signpost_db_prepare (db, "SELECT practice_id FROM former_practices WHERE user_id = ?1",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "s", user_id))
    return NULL;
  while ((rc = signpost_db_step (db, stmt, error)) == SQLITE_ROW)
    g_strv_builder_add (builder, column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return NULL;
  return g_strv_builder_end (builder);
}

/* ---- commits made elsewhere --------------------------------------------- */

static gboolean
read_data_version (SignpostDb *db,
                   gint64     *version)
{
  sqlite3_stmt *stmt = signpost_db_prepare (db, "PRAGMA data_version", NULL);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = signpost_db_step (db, stmt, NULL);
  if (rc == SQLITE_ROW)
    *version = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW;
}

static gboolean
watch_tick (gpointer data)
{
  SignpostSqliteStore *self = data;
  gint64 version = 0;
  gint64 head;
  gint64 since;

  /* Between requests only: a transaction of ours is never left open across
   * the main loop, but a handler may be running one now. */
  if (signpost_db_in_transaction (self->db) || !read_data_version (self->db, &version))
    return G_SOURCE_CONTINUE;
  if (version == self->data_version)
    {
      self->seen_seq = MAX (self->seen_seq, self->committed_seq);
      return G_SOURCE_CONTINUE;
    }
  self->data_version = version;
  head = sqlite_get_last_seq (SIGNPOST_STORE (self), NULL);
  if (head < 0)
    return G_SOURCE_CONTINUE;
  since = self->seen_seq;
  self->seen_seq = MAX (head, self->committed_seq);
  if (head > since)
    g_signal_emit_by_name (self, "changed-elsewhere", since);
  return G_SOURCE_CONTINUE;
}

/* A SQLite file is one practice's server: a second instance sharing it
 * (which works, one writer at a time) hears its writes through
 * data_version, but live call events between instances need a database
 * that can carry them (PostgreSQL's NOTIFY). Nobody to tell here. */
static gboolean
sqlite_announce (SignpostStore  *store,
                 const char     *event,
                 GError        **error)
{
  return TRUE;
}

static gboolean
sqlite_watch_changes (SignpostStore  *store,
                      GError        **error)
{
  SignpostSqliteStore *self = SIGNPOST_SQLITE_STORE (store);
  gint64 head;

  if (self->watch_id != 0)
    return TRUE;
  head = sqlite_get_last_seq (store, error);
  if (head < 0)
    return FALSE;
  if (!read_data_version (self->db, &self->data_version))
    {
      signpost_db_set_error (self->db, error, "PRAGMA data_version");
      return FALSE;
    }
  self->seen_seq = head;
  self->watch_id = g_timeout_add (WATCH_INTERVAL_MS, watch_tick, self);
  return TRUE;
}

static gboolean
sqlite_check (SignpostStore  *store,
              GError        **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  sqlite3_stmt *stmt = signpost_db_prepare (db, "SELECT 1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = signpost_db_step (db, stmt, error);
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW;
}

/* ---- checkpoints ------------------------------------------------------- */

static gpointer
checkpoint_thread (gpointer data)
{
  SignpostSqliteStore *self = data;
  g_autoptr(SignpostDb) db = NULL;
  g_autoptr(GError) error = NULL;

  db = signpost_db_open (signpost_db_get_path (self->db), SIGNPOST_DB_DEFAULT, &error);
  if (db == NULL)
    {
      g_warning ("No checkpoints: %s", error->message);
      return NULL;
    }
  g_mutex_lock (&self->lock);
  while (!self->stopping)
    {
      gint64 until = g_get_monotonic_time () + CHECKPOINT_INTERVAL_US;

      while (!self->stopping && g_cond_wait_until (&self->wake, &self->lock, until))
        ;
      if (self->stopping)
        break;
      g_mutex_unlock (&self->lock);
      /* PASSIVE: never waits for, or blocks, the writer. */
      if (!signpost_db_exec (db, "PRAGMA wal_checkpoint(PASSIVE)", &error))
        {
          g_debug ("Checkpoint: %s", error->message);
          g_clear_error (&error);
        }
      g_mutex_lock (&self->lock);
    }
  g_mutex_unlock (&self->lock);
  return NULL;
}


/* ---- online requests ----------------------------------------------------- */

static GPtrArray *
sqlite_list_patients_born (SignpostStore  *store,
                           const char     *practice_id,
                           const char     *date_of_birth,
                           GError        **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  sqlite3_stmt *stmt;

  stmt = signpost_db_prepare (db,
                              "SELECT data FROM records "
                              "WHERE kind = 'patient' AND deleted = 0 AND practice_id = ?1 "
                              "  AND json_extract (data, '$.date_of_birth') = ?2 "
                              "ORDER BY seq",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "ss", practice_id, date_of_birth))
    return NULL;
  return collect_records (db, stmt, SIGNPOST_TYPE_PATIENT, error);
}

static gboolean
sqlite_foreach_request_times (SignpostStore             *store,
                              const char                *practice_id,
                              gint64                     from_ms,
                              gint64                     to_ms,
                              SignpostRequestTimesFunc   func,
                              gpointer                   user_data,
                              GError                   **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  sqlite3_stmt *stmt;
  int rc;

  stmt = signpost_db_prepare (db,
                              "SELECT created_ms, json_extract (data, '$.source'),"
                              "       json_extract (data, '$.request_type'),"
                              "       " MS ("json_extract (data, '$.outcome_at')") ","
                              "       " MS ("json_extract (data, '$.respond_by')") " "
                              "FROM records "
                              "WHERE kind = 'triage' AND deleted = 0 AND practice_id = ?1"
                              "  AND json_extract (data, '$.source') IN ('online', 'intake')"
                              "  AND created_ms >= ?2 AND created_ms < ?3 "
                              "ORDER BY created_ms, id",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "sII", practice_id, from_ms, to_ms))
    return FALSE;
  while ((rc = signpost_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      SignpostRequestTimes request = {
        .created_ms = sqlite3_column_int64 (stmt, 0),
        .source = column_text (stmt, 1),
        .request_type = column_text (stmt, 2),
        .outcome_ms = column_ms (stmt, 3),
        .respond_by_ms = column_ms (stmt, 4),
      };

      if (!func (&request, user_data))
        break;
    }
  sqlite3_reset (stmt);
  return rc != -1;
}

static gboolean
sqlite_bump_counter (SignpostStore  *store,
                     const char     *key,
                     gint64          bucket,
                     gint64          limit,
                     gint64          expires_at,
                     gint64         *count,
                     GError        **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  sqlite3_stmt *stmt;
  int rc;

  *count = 0;
  if (limit > 0)
    {
      /* Refusals only read: a client over its limit costs no write. */
      stmt = signpost_db_prepare (db, "SELECT count FROM counters WHERE key = ?1 AND bucket = ?2",
                                  error);
      if (stmt == NULL || !signpost_db_bind (stmt, error, "sI", key, bucket))
        return FALSE;
      rc = signpost_db_step (db, stmt, error);
      if (rc == SQLITE_ROW)
        *count = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      if (rc == -1)
        return FALSE;
      if (*count >= limit)
        {
          *count += 1;      /* what this one would have been: over the limit */
          return TRUE;
        }
    }
  if (!signpost_db_run (db, "DELETE FROM counters WHERE expires_at < ?1", error, "I",
                        g_get_real_time ()))
    return FALSE;
  stmt = signpost_db_prepare (db,
                              "INSERT INTO counters (key, bucket, count, expires_at) "
                              "VALUES (?1, ?2, 1, ?3) "
                              "ON CONFLICT (key, bucket) DO UPDATE SET "
                              "  count = counters.count + 1,"
                              "  expires_at = max (counters.expires_at, excluded.expires_at) "
                              "RETURNING count",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "sII", key, bucket, expires_at))
    return FALSE;
  rc = signpost_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    *count = sqlite3_column_int64 (stmt, 0);
  while (rc == SQLITE_ROW)
    rc = signpost_db_step (db, stmt, error);
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE;
}

static gboolean
sqlite_foreach_counter (SignpostStore        *store,
                        const char           *key,
                        gint64                from_bucket,
                        gint64                to_bucket,
                        SignpostCounterFunc   func,
                        gpointer              user_data,
                        GError              **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  sqlite3_stmt *stmt;
  int rc;

  stmt = signpost_db_prepare (db,
                              "SELECT bucket, count FROM counters "
                              "WHERE key = ?1 AND bucket >= ?2 AND bucket < ?3 ORDER BY bucket",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "sII", key, from_bucket, to_bucket))
    return FALSE;
  while ((rc = signpost_db_step (db, stmt, error)) == SQLITE_ROW)
    if (!func (sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1), user_data))
      break;
  sqlite3_reset (stmt);
  return rc != -1;
}

static char *
sqlite_ensure_secret (SignpostStore  *store,
                      const char     *name,
                      const char     *candidate,
                      GError        **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  sqlite3_stmt *stmt;
  char *value = NULL;
  int rc;

  if (!signpost_db_run (db, "INSERT INTO secrets (name, value) VALUES (?1, ?2) "
                            "ON CONFLICT (name) DO NOTHING",
                        error, "ss", name, candidate))
    return NULL;
  stmt = signpost_db_prepare (db, "SELECT value FROM secrets WHERE name = ?1", error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "s", name))
    return NULL;
  rc = signpost_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    value = g_strdup (column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (value == NULL && rc != -1)
    g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_STORAGE, "the secret %s was not kept", name);
  return value;
}

static gboolean
sqlite_get_intake_source (SignpostStore  *store,
                          const char     *name,
                          char          **practice_id,
                          char          **secret,
                          GError        **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  sqlite3_stmt *stmt;
  int rc;

  *practice_id = NULL;
  if (secret != NULL)
    *secret = NULL;
  stmt = signpost_db_prepare (db, "SELECT practice_id, secret FROM intake_sources WHERE name = ?1",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "s", name))
    return FALSE;
  rc = signpost_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    {
      *practice_id = g_strdup (column_text (stmt, 0));
      if (secret != NULL)
        *secret = g_strdup (column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  return rc != -1;
}

static gboolean
sqlite_set_intake_source (SignpostStore  *store,
                          const char     *name,
                          const char     *practice_id,
                          const char     *secret,
                          GError        **error)
{
  return signpost_db_run (SIGNPOST_SQLITE_STORE (store)->db,
                          "INSERT INTO intake_sources (name, practice_id, secret) VALUES (?1, ?2, ?3) "
                          "ON CONFLICT (name) DO UPDATE SET "
                          "  practice_id = excluded.practice_id, secret = excluded.secret",
                          error, "sss", name, practice_id, secret);
}

/* ---- object ------------------------------------------------------------ */

static void
signpost_sqlite_store_finalize (GObject *object)
{
  SignpostSqliteStore *self = SIGNPOST_SQLITE_STORE (object);

  g_clear_handle_id (&self->watch_id, g_source_remove);
  if (self->checkpointer != NULL)
    {
      g_mutex_lock (&self->lock);
      self->stopping = TRUE;
      g_cond_signal (&self->wake);
      g_mutex_unlock (&self->lock);
      g_thread_join (self->checkpointer);
      self->checkpointer = NULL;
    }
  /* Fold the WAL into the database before closing, if nobody else uses it. */
  if (self->db != NULL)
    signpost_db_exec (self->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL);
  g_clear_object (&self->db);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->wake);

  G_OBJECT_CLASS (signpost_sqlite_store_parent_class)->finalize (object);
}

static void
signpost_sqlite_store_class_init (SignpostSqliteStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = signpost_sqlite_store_finalize;
}

static void
signpost_sqlite_store_init (SignpostSqliteStore *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->wake);
}

static void
signpost_sqlite_store_iface_init (SignpostStoreInterface *iface)
{
  iface->begin = sqlite_begin;
  iface->commit = sqlite_commit;
  iface->rollback = sqlite_rollback;
  iface->savepoint = sqlite_savepoint;
  iface->release_savepoint = sqlite_release_savepoint;
  iface->rollback_to_savepoint = sqlite_rollback_to_savepoint;
  iface->get_last_seq = sqlite_get_last_seq;
  iface->put_record = sqlite_put_record;
  iface->get_record = sqlite_get_record;
  iface->list_records = sqlite_list_records;
  iface->foreach_change = sqlite_foreach_change;
  iface->find_user = sqlite_find_user;
  iface->find_live_appointment = sqlite_find_live_appointment;
  iface->patient_booked_between = sqlite_patient_booked_between;
  iface->find_call = sqlite_find_call;
  iface->list_queue = sqlite_list_queue;
  iface->count_queue_before = sqlite_count_queue_before;
  iface->count_calls = sqlite_count_calls;
  iface->lookup_mutation = sqlite_lookup_mutation;
  iface->save_mutation = sqlite_save_mutation;
  iface->get_password_hash = sqlite_get_password_hash;
  iface->set_password_hash = sqlite_set_password_hash;
  iface->save_token = sqlite_save_token;
  iface->lookup_token = sqlite_lookup_token;
  iface->revoke_token = sqlite_revoke_token;
  iface->revoke_user_tokens = sqlite_revoke_user_tokens;
  iface->add_login_failure = sqlite_add_login_failure;
  iface->count_login_failures = sqlite_count_login_failures;
  iface->clear_login_failures = sqlite_clear_login_failures;
  iface->remove_login_failure = sqlite_remove_login_failure;
  iface->get_line = sqlite_get_line;
  iface->set_line = sqlite_set_line;
  iface->remember_event = sqlite_remember_event;
  iface->append_audit = sqlite_append_audit;
  iface->foreach_audit = sqlite_foreach_audit;
  iface->foreach_call_times = sqlite_foreach_call_times;
  iface->foreach_slot_use = sqlite_foreach_slot_use;
  iface->foreach_triage_count = sqlite_foreach_triage_count;
  iface->watch_changes = sqlite_watch_changes;
  iface->announce = sqlite_announce;
  iface->check = sqlite_check;
  iface->list_patients_born = sqlite_list_patients_born;
  iface->foreach_request_times = sqlite_foreach_request_times;
  iface->bump_counter = sqlite_bump_counter;
  iface->foreach_counter = sqlite_foreach_counter;
  iface->ensure_secret = sqlite_ensure_secret;
  iface->get_intake_source = sqlite_get_intake_source;
  iface->set_intake_source = sqlite_set_intake_source;
  iface->foreach_patient = sqlite_foreach_patient;
  iface->purge_practice = sqlite_purge_practice;
  iface->add_former_practice = sqlite_add_former_practice;
  iface->list_former_practices = sqlite_list_former_practices;
  iface->hub_tallies = sqlite_hub_tallies;
  iface->count_list_size = sqlite_count_list_size;
}

/* ---- a damaged database -------------------------------------------------- */

#define RESTORE_ADVICE \
  N_("Signpost will not start on it: acknowledged writes would be lost or wrong. Stop " \
     "anything else using the database, keep these files for inspection, and restore " \
     "the latest backup (README.md, “Backups and a damaged database”).")

G_GNUC_PRINTF (3, 4)
static gboolean
damaged (GError    **error,
         const char *path,
         const char *format,
         ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_STORAGE,
               /* Translators: the database's path, what is wrong, then advice */
               _("The database “%s” is damaged: %s. %s"), path, what, _(RESTORE_ADVICE));
  return FALSE;
}

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static gboolean
file_size (const char *path,
           goffset    *size)
{
  GStatBuf buf;

  if (g_stat (path, &buf) != 0)
    return FALSE;
  *size = buf.st_size;
  return TRUE;
}

static gsize
read_start (const char *path,
            guint8     *buffer,
            gsize       length)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, NULL);
  gsize got = 0;

  if (in == NULL ||
      !g_input_stream_read_all (G_INPUT_STREAM (in), buffer, length, &got, NULL, NULL))
    return 0;
  return got;
}

/* The wal-index header in PATH-shm, as SQLite documents it (walformat.html):
 * two copies of a 48-byte header in native byte order, then the checkpoint
 * information. Returns FALSE if there is no usable header. */
typedef struct {
  guint32 page_size;
  guint32 max_frame;            /* frames of the WAL that are valid */
  guint32 backfilled;           /* of those, already copied into the database */
  guint8 salt[8];
} WalIndex;

static gboolean
read_wal_index (const char *shm_path,
                WalIndex   *index)
{
  guint8 buffer[136];
  guint8 is_init;
  guint16 page_size;

  if (read_start (shm_path, buffer, sizeof buffer) != sizeof buffer)
    return FALSE;
  /* A header being rewritten (the copies differ) is SQLite's to recover. */
  if (memcmp (buffer, buffer + 48, 48) != 0)
    return FALSE;
  memcpy (&is_init, buffer + 12, 1);
  if (!is_init)
    return FALSE;
  memcpy (&page_size, buffer + 14, 2);
  memcpy (&index->max_frame, buffer + 16, 4);
  memcpy (index->salt, buffer + 32, 8);
  memcpy (&index->backfilled, buffer + 96, 4);
  index->page_size = (page_size & 0xfe00) | ((page_size & 0x0001) << 16);
  return index->page_size >= 512;
}

/**
 * signpost_sqlite_store_check_files:
 *
 * What can be told of a damaged database before SQLite opens it (and, by
 * opening, makes the damage permanent): an empty file, a file that is not
 * a database or is shorter than its own header says, and a write-ahead
 * log that is missing or shorter than the last writes need (the -shm
 * file that SQLite keeps beside it says how long it was). Call it before
 * signpost_sqlite_store_new(), when nothing else has the database open.
 */
gboolean
signpost_sqlite_store_check_files (const char  *path,
                                   GError     **error)
{
  g_autofree char *wal_path = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm_path = g_strconcat (path, "-shm", NULL);
  goffset size = 0, wal_size = 0;
  gboolean have_wal, have_index, wal_pending;
  WalIndex index;

  g_return_val_if_fail (path != NULL, FALSE);

  have_wal = file_size (wal_path, &wal_size);
  if (!file_size (path, &size))
    {
      if (have_wal && wal_size > 0)
        return damaged (error, path, _("it is missing, but its write-ahead log (%s) is there"),
                        wal_path);
      return TRUE;      /* a new server */
    }
  if (size == 0)
    return damaged (error, path,
                    _("it is empty (0 bytes). If this is a new server, delete the empty file "
                      "and start again"));
  have_index = read_wal_index (shm_path, &index);
  wal_pending = have_wal && wal_size > 0 && !(have_index && index.max_frame <= index.backfilled);
  if (size >= 100)
    {
      guint8 header[100];
      guint32 page_size, pages;

      if (read_start (path, header, sizeof header) != sizeof header ||
          memcmp (header, "SQLite format 3", 16) != 0)
        return damaged (error, path, _("it is not an SQLite database"));
      page_size = ((guint32) header[16] << 8) | header[17];
      if (page_size == 1)
        page_size = 65536;
      pages = read_be32 (header + 28);
      /* The size in the header counts only when it is up to date, and only
       * when no write waits in the log: a checkpoint cut short (the
       * process killed) leaves page 1 written before the pages after the
       * old end, and SQLite finishes it from the log on opening. */
      if (!wal_pending && read_be32 (header + 92) == read_be32 (header + 24) && page_size >= 512 &&
          (goffset) pages * page_size > size)
        return damaged (error, path,
                        _("it is %" G_GOFFSET_FORMAT " bytes, but its header says %" G_GOFFSET_FORMAT),
                        size, (goffset) pages * page_size);
    }
  else
    return damaged (error, path, _("it is too short to be a database"));

  if (have_index && index.max_frame > index.backfilled)
    {
      goffset needed = 32 + (goffset) index.max_frame * (24 + index.page_size);
      guint8 wal_header[32];

      if (!have_wal)
        return damaged (error, path,
                        _("its write-ahead log (%s) is missing, with %u pages of writes that "
                          "were never copied into the database"),
                        wal_path, index.max_frame - index.backfilled);
      if (wal_size < needed)
        return damaged (error, path,
                        _("its write-ahead log (%s) is %" G_GOFFSET_FORMAT " bytes, but the "
                          "writes in it need %" G_GOFFSET_FORMAT),
                        wal_path, wal_size, needed);
      if (read_start (wal_path, wal_header, sizeof wal_header) != sizeof wal_header ||
          memcmp (wal_header + 16, index.salt, 8) != 0)
        return damaged (error, path,
                        _("its write-ahead log (%s) is not the one its writes went to"), wal_path);
    }
  return TRUE;
}

/* SQLite's own check of every page's structure (not of the indexes'
 * contents, which PRAGMA integrity_check adds at many times the cost). */
static gboolean
quick_check (SignpostDb  *db,
             const char  *path,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GString) problems = g_string_new (NULL);
  sqlite3_stmt *stmt;
  int rc;

  stmt = signpost_db_prepare (db, "PRAGMA quick_check (5)", &local_error);
  if (stmt == NULL)
    return damaged (error, path, "%s", local_error->message);
  while ((rc = signpost_db_step (db, stmt, &local_error)) == SQLITE_ROW)
    {
      const char *line = (const char *) sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (line, "ok") != 0)
        {
          g_autofree char *one = g_strdup (line ? line : "?");

          g_string_append_printf (problems, "%s%s", problems->len ? "; " : "",
                                  g_strstrip (g_strdelimit (one, "\n", ' ')));
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return damaged (error, path, "%s", local_error ? local_error->message : "quick_check failed");
  if (problems->len > 0)
    return damaged (error, path, _("SQLite’s check found: %s"), problems->str);
  return TRUE;
}

SignpostSqliteStore *
signpost_sqlite_store_new (const char  *path,
                           GError     **error)
{
  g_autoptr(SignpostSqliteStore) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (SIGNPOST_TYPE_SQLITE_STORE, NULL);
  /* Never SIGNPOST_DB_NO_SYNC: an acknowledged write must survive. */
  self->db = signpost_db_open (path, SIGNPOST_DB_DEFAULT, error);
  if (self->db == NULL)
    return NULL;
  /* Before anything is written to it. */
  if (!quick_check (self->db, path, error))
    return NULL;
  /* temp_store=MEMORY: the statement journal behind each savepoint (one
   * per mutation of a batch, one per webhook event of a group) is kept in
   * memory rather than written to a temporary file for every write. */
  if (!add_functions (self, error) ||
      !signpost_db_migrate (self->db, migrations, G_N_ELEMENTS (migrations), error) ||
      !signpost_db_exec (self->db, "PRAGMA wal_autocheckpoint=0", error) ||
      !signpost_db_exec (self->db, "PRAGMA temp_store=MEMORY", error))
    return NULL;
  self->checkpointer = g_thread_new ("signpost-checkpoint", checkpoint_thread, self);
  return g_steal_pointer (&self);
}

SignpostDb *
signpost_sqlite_store_get_db (SignpostSqliteStore *self)
{
  g_return_val_if_fail (SIGNPOST_IS_SQLITE_STORE (self), NULL);

  return self->db;
}
