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
