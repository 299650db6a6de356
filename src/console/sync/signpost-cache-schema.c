/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-sync"

#include "config.h"

#include "signpost-cache-private.h"
#include "signpost-patient-query.h"

/*
 * What this PC's copy is made of: the tables (and how an older copy is
 * brought up to date), the indexes each page's queries read, and a reset
 * that empties every table the server's records fill.
 */

static gboolean reindex_requests (SignpostDb *db, GError **error);

static const SignpostMigration migrations[] = {
  { 1,
    "CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT) WITHOUT ROWID;"
    "CREATE TABLE records ("
    "  rid INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL UNIQUE,"
    "  kind INTEGER NOT NULL,"
    "  practice_id TEXT,"
    "  version INTEGER NOT NULL DEFAULT 0,"
    "  seq INTEGER NOT NULL DEFAULT 0,"
    "  pending INTEGER NOT NULL DEFAULT 0,"
    "  data TEXT,"
    "  base TEXT);"
    "CREATE INDEX records_by_kind ON records (kind);"
    "CREATE TABLE patient_index ("
    "  rid INTEGER PRIMARY KEY,"
    "  nhs_number TEXT,"
    "  dob TEXT,"
    "  postcode_key TEXT,"
    "  family_key TEXT,"
    "  sort_key TEXT NOT NULL);"
    "CREATE INDEX patient_by_nhs ON patient_index (nhs_number);"
    "CREATE INDEX patient_by_dob ON patient_index (dob);"
    "CREATE INDEX patient_by_postcode ON patient_index (postcode_key);"
    "CREATE VIRTUAL TABLE patient_fts USING fts5 ("
    "  names, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3');"
    "CREATE TABLE patient_phones ("
    "  number TEXT NOT NULL, rid INTEGER NOT NULL,"
    "  PRIMARY KEY (number, rid)) WITHOUT ROWID;"
    "CREATE INDEX patient_phones_by_rid ON patient_phones (rid);"
    "CREATE TABLE call_index ("
    "  rid INTEGER PRIMARY KEY, practice_id TEXT, state INTEGER,"
    "  offered_ms INTEGER, call_ref TEXT, answered_by TEXT);"
    "CREATE INDEX call_by_state ON call_index (state, offered_ms);"
    "CREATE TABLE triage_index ("
    "  rid INTEGER PRIMARY KEY, practice_id TEXT, status INTEGER, urgency INTEGER,"
    "  route_kind INTEGER, route_clinician_id TEXT, patient_id TEXT, updated_ms INTEGER);"
    "CREATE INDEX triage_by_status ON triage_index (status);"
    "CREATE INDEX triage_by_patient ON triage_index (patient_id);"
    "CREATE TABLE slot_index ("
    "  rid INTEGER PRIMARY KEY, practice_id TEXT, clinician_id TEXT,"
    "  start_ms INTEGER, status INTEGER);"
    "CREATE INDEX slot_by_start ON slot_index (start_ms);"
    "CREATE TABLE appointment_index ("
    "  rid INTEGER PRIMARY KEY, slot_id TEXT, patient_id TEXT, status INTEGER);"
    "CREATE INDEX appointment_by_slot ON appointment_index (slot_id);"
    "CREATE INDEX appointment_by_patient ON appointment_index (patient_id);"
    "CREATE TABLE outbox ("
    "  position INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  mutation_id TEXT NOT NULL UNIQUE,"
    "  kind INTEGER NOT NULL,"
    "  op INTEGER NOT NULL,"
    "  record_id TEXT NOT NULL,"
    "  related_id TEXT,"
    "  practice_id TEXT,"
    "  mutation TEXT NOT NULL,"
    "  state INTEGER NOT NULL DEFAULT 0,"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  label TEXT,"
    "  created_at TEXT NOT NULL,"
    "  result TEXT,"
    "  last_error TEXT);"
    "CREATE INDEX outbox_by_record ON outbox (record_id);"
    "CREATE INDEX outbox_by_related ON outbox (related_id);"
    "CREATE TABLE drafts ("
    "  key TEXT PRIMARY KEY NOT NULL, data TEXT NOT NULL, updated_at TEXT NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE TABLE pending_views ("
    "  position INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  patient_id TEXT NOT NULL, context TEXT, at TEXT NOT NULL);",
    NULL },
  /* Requests of every source (online, other products, the phone): where
   * each came from and by when it needs an outcome; and the audit of who
   * opened a request, which may name no patient yet. */
  { 2,
    "ALTER TABLE triage_index ADD COLUMN source INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE triage_index ADD COLUMN respond_by_ms INTEGER;"
    "ALTER TABLE triage_index ADD COLUMN arrived_ms INTEGER;"
    "CREATE INDEX triage_requests ON triage_index (status, urgency, respond_by_ms);"
    "CREATE TABLE pending_views_2 ("
    "  position INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  patient_id TEXT, triage_id TEXT, context TEXT, at TEXT NOT NULL,"
    "  CHECK ((patient_id IS NULL) <> (triage_id IS NULL)));"
    "INSERT INTO pending_views_2 (position, patient_id, context, at)"
    "  SELECT position, patient_id, context, at FROM pending_views;"
    "DROP TABLE pending_views;"
    "ALTER TABLE pending_views_2 RENAME TO pending_views;",
    reindex_requests },
};

gboolean
signpost_cache_migrate (SignpostDb  *db,
                        GError     **error)
{
  return signpost_db_migrate (db, migrations, G_N_ELEMENTS (migrations), error);
}

/* ---- indexes ------------------------------------------------------------ */

static char *
patient_names (SignpostPatient *patient)
{
  const char *given = signpost_patient_get_given_name (patient);
  const char *family = signpost_patient_get_family_name (patient);
  g_autofree char *words = NULL;
  g_autofree char *given_joined = signpost_fold_word (given);
  g_autofree char *family_joined = signpost_fold_word (family);
  g_autofree char *all = g_strjoin (" ", given ? given : "", family ? family : "", NULL);

  /* Both the words and each name run together, so "smith-jones", "smith
   * jones" and "smithjones" all find Ann Smith-Jones, and "obrien" finds
   * O'Brien. */
  words = signpost_fold_text (all);
  return g_strjoin (" ", words, given_joined, family_joined, NULL);
}

gboolean
signpost_cache_unindex_record (SignpostDb          *db,
                               gint64               rid,
                               SignpostRecordKind   kind,
                               GError             **error)
{
  switch (kind)
    {
    case SIGNPOST_RECORD_PATIENT:
      return signpost_db_run (db, "DELETE FROM patient_index WHERE rid = ?1", error, "I", rid) &&
             signpost_db_run (db, "DELETE FROM patient_fts WHERE rowid = ?1", error, "I", rid) &&
             signpost_db_run (db, "DELETE FROM patient_phones WHERE rid = ?1", error, "I", rid);
    case SIGNPOST_RECORD_CALL:
      return signpost_db_run (db, "DELETE FROM call_index WHERE rid = ?1", error, "I", rid);
    case SIGNPOST_RECORD_TRIAGE:
      return signpost_db_run (db, "DELETE FROM triage_index WHERE rid = ?1", error, "I", rid);
    case SIGNPOST_RECORD_SLOT:
      return signpost_db_run (db, "DELETE FROM slot_index WHERE rid = ?1", error, "I", rid);
    case SIGNPOST_RECORD_APPOINTMENT:
      return signpost_db_run (db, "DELETE FROM appointment_index WHERE rid = ?1", error, "I", rid);
    case SIGNPOST_RECORD_PRACTICE:
    case SIGNPOST_RECORD_USER:
    case SIGNPOST_RECORD_CLINICIAN:
    default:
      return TRUE;
    }
}

/* @fresh: the row is new, so there is nothing to delete first. */
gboolean
signpost_cache_index_record (SignpostDb      *db,
                             gint64           rid,
                             SignpostRecord  *record,
                             gboolean         fresh,
                             GError         **error)
{
  switch (signpost_record_get_kind (record))
    {
    case SIGNPOST_RECORD_PATIENT:
      {
        SignpostPatient *patient = SIGNPOST_PATIENT (record);
        g_autofree char *family_key = signpost_fold_word (signpost_patient_get_family_name (patient));
        g_autofree char *given = signpost_fold_text (signpost_patient_get_given_name (patient));
        g_autofree char *sort_key = g_strconcat (family_key, " ", given, NULL);
        g_autofree char *postcode = signpost_postcode_key (signpost_patient_get_postcode (patient));
        g_autofree char *names = patient_names (patient);
        GListModel *phones = signpost_patient_get_phones (patient);

        if (!fresh &&
            (!signpost_db_run (db, "DELETE FROM patient_fts WHERE rowid = ?1", error, "I", rid) ||
             !signpost_db_run (db, "DELETE FROM patient_phones WHERE rid = ?1", error, "I", rid)))
          return FALSE;
        if (!signpost_db_run (db,
                              "INSERT OR REPLACE INTO patient_index"
                              " (rid, nhs_number, dob, postcode_key, family_key, sort_key)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                              error, "Isssss", rid,
                              signpost_patient_get_nhs_number (patient),
                              signpost_patient_get_date_of_birth (patient),
                              postcode[0] ? postcode : NULL, family_key, sort_key) ||
            !signpost_db_run (db, "INSERT INTO patient_fts (rowid, names) VALUES (?1, ?2)",
                              error, "Is", rid, names))
          return FALSE;
        for (guint i = 0; phones != NULL && i < g_list_model_get_n_items (phones); i++)
          {
            g_autoptr(SignpostPhone) phone = g_list_model_get_item (phones, i);
            const char *number = signpost_phone_get_number (phone);

            if (number != NULL &&
                !signpost_db_run (db,
                                  "INSERT OR IGNORE INTO patient_phones (number, rid) VALUES (?1, ?2)",
                                  error, "sI", number, rid))
              return FALSE;
          }
        return TRUE;
      }

    case SIGNPOST_RECORD_CALL:
      {
        SignpostCall *call = SIGNPOST_CALL (record);
        return signpost_db_run (db,
                                "INSERT OR REPLACE INTO call_index"
                                " (rid, practice_id, state, offered_ms, call_ref, answered_by)"
                                " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                error, "IsiIss", rid,
                                signpost_record_get_practice_id (record),
                                (int) signpost_call_get_state (call),
                                signpost_cache_instant_ms (signpost_call_get_offered_at (call)),
                                signpost_call_get_call_ref (call),
                                signpost_call_get_answered_by (call));
      }

    case SIGNPOST_RECORD_TRIAGE:
      {
        SignpostTriage *triage = SIGNPOST_TRIAGE (record);
        SignpostRoute *route = signpost_triage_get_route (triage);
        GDateTime *respond_by = signpost_triage_get_respond_by (triage);
        GDateTime *created = signpost_triage_get_created_at (triage);

        return signpost_db_run (db,
                                "INSERT INTO triage_index"
                                " (rid, practice_id, status, urgency, route_kind,"
                                "  route_clinician_id, patient_id, updated_ms,"
                                "  source, respond_by_ms, arrived_ms)"
                                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
                                " ON CONFLICT (rid) DO UPDATE SET"
                                "  practice_id = excluded.practice_id, status = excluded.status,"
                                "  urgency = excluded.urgency, route_kind = excluded.route_kind,"
                                "  route_clinician_id = excluded.route_clinician_id,"
                                "  patient_id = excluded.patient_id, updated_ms = excluded.updated_ms,"
                                "  source = excluded.source, respond_by_ms = excluded.respond_by_ms,"
                                "  arrived_ms = excluded.arrived_ms",
                                error, "IsiiissIiII", rid,
                                signpost_record_get_practice_id (record),
                                (int) signpost_triage_get_status (triage),
                                (int) signpost_triage_get_urgency (triage),
                                route ? (int) signpost_route_get_kind (route) : -1,
                                route ? signpost_route_get_clinician_id (route) : NULL,
                                signpost_triage_get_patient_id (triage),
                                signpost_cache_instant_ms (signpost_record_get_updated_at (record)),
                                (int) signpost_triage_get_source (triage),
                                respond_by ? signpost_cache_instant_ms (respond_by) : SIGNPOST_CACHE_NO_DEADLINE,
                                signpost_cache_instant_ms (created ? created : signpost_record_get_updated_at (record)));
      }

    case SIGNPOST_RECORD_SLOT:
      {
        SignpostSlot *slot = SIGNPOST_SLOT (record);
        return signpost_db_run (db,
                                "INSERT OR REPLACE INTO slot_index"
                                " (rid, practice_id, clinician_id, start_ms, status)"
                                " VALUES (?1, ?2, ?3, ?4, ?5)",
                                error, "IssIi", rid,
                                signpost_record_get_practice_id (record),
                                signpost_slot_get_clinician_id (slot),
                                signpost_cache_instant_ms (signpost_slot_get_start (slot)),
                                (int) signpost_slot_get_status (slot));
      }

    case SIGNPOST_RECORD_APPOINTMENT:
      {
        SignpostAppointment *appointment = SIGNPOST_APPOINTMENT (record);
        return signpost_db_run (db,
                                "INSERT OR REPLACE INTO appointment_index"
                                " (rid, slot_id, patient_id, status) VALUES (?1, ?2, ?3, ?4)",
                                error, "Issi", rid,
                                signpost_appointment_get_slot_id (appointment),
                                signpost_appointment_get_patient_id (appointment),
                                (int) signpost_appointment_get_status (appointment));
      }

    case SIGNPOST_RECORD_PRACTICE:
    case SIGNPOST_RECORD_USER:
    case SIGNPOST_RECORD_CLINICIAN:
    default:
      return TRUE;
    }
}

/* Migration 2: the request columns of every triage record already here. */
static gboolean
reindex_requests (SignpostDb  *db,
                  GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = signpost_db_prepare (db, "SELECT rid, data FROM records WHERE kind = ?1 AND data IS NOT NULL", error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "i", (int) SIGNPOST_RECORD_TRIAGE))
    return FALSE;
  while ((rc = signpost_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      g_autoptr(SignpostRecord) record = signpost_cache_decode_record (SIGNPOST_RECORD_TRIAGE,
                                                                       (const char *) sqlite3_column_text (stmt, 1),
                                                                       FALSE);

      if (record != NULL && !signpost_cache_index_record (db, sqlite3_column_int64 (stmt, 0), record, FALSE, error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
    }
  sqlite3_reset (stmt);
  return rc >= 0;
}

/* ---- starting again ----------------------------------------------------------- */

gboolean
signpost_cache_reset (SignpostCache  *self,
                      GError        **error)
{
  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), FALSE);

  /* The server's records and the indexes over them; the outbox, the
   * drafts and the views waiting for the audit log are this PC's own. */
  if (!signpost_db_begin (self->db, error))
    return FALSE;
  if (!signpost_db_exec (self->db,
                         "DELETE FROM patient_fts; DELETE FROM patient_index;"
                         "DELETE FROM patient_phones; DELETE FROM call_index;"
                         "DELETE FROM triage_index; DELETE FROM slot_index;"
                         "DELETE FROM appointment_index; DELETE FROM records;"
                         "DELETE FROM meta WHERE key = 'last_seq';",
                         error) ||
      !signpost_db_commit (self->db, error))
    {
      signpost_db_rollback (self->db);
      return FALSE;
    }
  self->last_seq = 0;
  g_hash_table_remove_all (self->practice_names);
  return TRUE;
}
