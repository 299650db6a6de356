/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-sync"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "signpost-cache-private.h"
#include "signpost-patient-query.h"
#include "signpost-sync-error.h"

/*
 * Two connections to one file. The main thread reads, and writes what the
 * user does (outbox, drafts, results) with synchronous=FULL: an outbox row
 * is on disk before the window says "saved". A worker thread applies the
 * change feed through its own connection with synchronous=NORMAL: losing the
 * last page in a power cut only means pulling it again, and the next FULL
 * commit on the main connection syncs the shared WAL anyway.
 *
 * A record's row holds what the console shows (`data`). While changes made
 * here wait in the outbox the row is `pending`, `base` keeps the server's
 * state (NULL for a record created here), and `data` is base with every
 * waiting change laid over it, recomputed whenever either side moves.
 */

#define MAX_PAGE_SIZE (256 * 1024 * 1024)
#define MAX_RECORD_SIZE (16 * 1024 * 1024)
#define SEARCH_CANDIDATES 300

enum {
  RECORDS_CHANGED,
  N_SIGNALS
};

struct _SignpostCache
{
  GObject parent_instance;

  char *path;
  SignpostDb *db;
  GMutex writer_lock;
  SignpostDb *writer;
  char *user_id;
  gint64 last_seq;
  GHashTable *practice_names;
};

G_DEFINE_FINAL_TYPE (SignpostCache, signpost_cache, G_TYPE_OBJECT)

static guint signals[N_SIGNALS];

static GQuark
pending_mark_quark (void)
{
  static GQuark quark;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("signpost-cache-pending");
  return quark;
}

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
};

/* ---- helpers ------------------------------------------------------------ */

typedef struct {
  GPtrArray *changed; /* SignpostRecord */
  GPtrArray *removed; /* char * */
} Changes;

static void
changes_init (Changes *changes)
{
  changes->changed = g_ptr_array_new_with_free_func (g_object_unref);
  changes->removed = g_ptr_array_new_with_free_func (g_free);
}

static void
changes_clear (Changes *changes)
{
  g_clear_pointer (&changes->changed, g_ptr_array_unref);
  g_clear_pointer (&changes->removed, g_ptr_array_unref);
}

static void
changes_add (Changes        *changes,
             SignpostRecord *record)
{
  if (changes != NULL)
    g_ptr_array_add (changes->changed, g_object_ref (record));
}

static void
changes_remove (Changes    *changes,
                const char *id)
{
  if (changes != NULL)
    g_ptr_array_add (changes->removed, g_strdup (id));
}

void
signpost_record_set_pending_mark (SignpostRecord *record,
                                  gboolean        pending)
{
  g_object_set_qdata (G_OBJECT (record), pending_mark_quark (), GINT_TO_POINTER (pending ? 1 : 0));
}

gboolean
signpost_cache_record_is_pending (SignpostRecord *record)
{
  g_return_val_if_fail (SIGNPOST_IS_RECORD (record), FALSE);
  return GPOINTER_TO_INT (g_object_get_qdata (G_OBJECT (record), pending_mark_quark ()));
}

static char *
now_timestamp (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  return signpost_timestamp_format (now);
}

static gint64
instant_ms (GDateTime *instant)
{
  return instant ? g_date_time_to_unix (instant) * 1000 + g_date_time_get_microsecond (instant) / 1000
                 : 0;
}

static SignpostRecord *
decode_record (SignpostRecordKind  kind,
               const char         *text,
               gboolean            pending)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = NULL;
  SignpostRecord *record;

  if (text == NULL)
    return NULL;
  object = signpost_json_parse_object (text, strlen (text), MAX_RECORD_SIZE, &error);
  if (object == NULL)
    {
      g_warning ("A cached record could not be read: %s", error->message);
      return NULL;
    }
  record = signpost_record_new_from_json (kind, object, SIGNPOST_DECODE_FULL, &error);
  if (record == NULL)
    {
      g_warning ("A cached %s record could not be read: %s",
                 signpost_record_kind_to_string (kind), error->message);
      return NULL;
    }
  signpost_record_set_pending_mark (record, pending);
  return record;
}

static char *
encode_record (SignpostRecord *record)
{
  return signpost_object_to_string (SIGNPOST_OBJECT (record), NULL);
}

/* Reads the (kind, data, pending) rows of @stmt into records. Resets it. */
static GPtrArray *
collect_records (SignpostCache *self,
                 sqlite3_stmt  *stmt)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  int rc;

  while ((rc = signpost_db_step (self->db, stmt, &error)) == SQLITE_ROW)
    {
      SignpostRecord *record = decode_record (sqlite3_column_int (stmt, 0),
                                              (const char *) sqlite3_column_text (stmt, 1),
                                              sqlite3_column_int (stmt, 2));
      if (record != NULL)
        g_ptr_array_add (records, record);
    }
  if (rc < 0)
    g_warning ("Reading the cache failed: %s", error->message);
  sqlite3_reset (stmt);
  return g_steal_pointer (&records);
}

static char *
states_json (const int *values)
{
  GString *json = g_string_new ("[");

  for (guint i = 0; values != NULL && values[i] >= 0; i++)
    g_string_append_printf (json, "%s%d", i ? "," : "", values[i]);
  g_string_append_c (json, ']');
  return g_string_free (json, FALSE);
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

static gboolean
unindex_record (SignpostDb          *db,
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
static gboolean
index_record (SignpostDb      *db,
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
                                instant_ms (signpost_call_get_offered_at (call)),
                                signpost_call_get_call_ref (call),
                                signpost_call_get_answered_by (call));
      }

    case SIGNPOST_RECORD_TRIAGE:
      {
        SignpostTriage *triage = SIGNPOST_TRIAGE (record);
        SignpostRoute *route = signpost_triage_get_route (triage);
        return signpost_db_run (db,
                                "INSERT INTO triage_index"
                                " (rid, practice_id, status, urgency, route_kind,"
                                "  route_clinician_id, patient_id, updated_ms)"
                                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
                                " ON CONFLICT (rid) DO UPDATE SET"
                                "  practice_id = excluded.practice_id, status = excluded.status,"
                                "  urgency = excluded.urgency, route_kind = excluded.route_kind,"
                                "  route_clinician_id = excluded.route_clinician_id,"
                                "  patient_id = excluded.patient_id, updated_ms = excluded.updated_ms",
                                error, "IsiiissI", rid,
                                signpost_record_get_practice_id (record),
                                (int) signpost_triage_get_status (triage),
                                (int) signpost_triage_get_urgency (triage),
                                route ? (int) signpost_route_get_kind (route) : -1,
                                route ? signpost_route_get_clinician_id (route) : NULL,
                                signpost_triage_get_patient_id (triage),
                                instant_ms (signpost_record_get_updated_at (record)));
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
                                instant_ms (signpost_slot_get_start (slot)),
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

/* ---- rows ----------------------------------------------------------------- */

typedef struct {
  gboolean found;
  gint64 rid;
  SignpostRecordKind kind;
  gboolean pending;
  gint64 seq;
  char *data;
  char *base;
} Row;

static void
row_clear (Row *row)
{
  g_clear_pointer (&row->data, g_free);
  g_clear_pointer (&row->base, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Row, row_clear)

static gboolean
read_row (SignpostDb  *db,
          const char  *id,
          Row         *row,
          GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  memset (row, 0, sizeof *row);
  stmt = signpost_db_prepare (db, "SELECT rid, kind, pending, seq, data, base FROM records WHERE id = ?1",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "s", id))
    return FALSE;
  rc = signpost_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    {
      row->found = TRUE;
      row->rid = sqlite3_column_int64 (stmt, 0);
      row->kind = sqlite3_column_int (stmt, 1);
      row->pending = sqlite3_column_int (stmt, 2);
      row->seq = sqlite3_column_int64 (stmt, 3);
      row->data = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      row->base = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
    }
  sqlite3_reset (stmt);
  return rc >= 0;
}

typedef struct {
  SignpostRecordKind kind;
  SignpostOp op;
  char *record_id;
  char *related_id;
  char *practice_id;
  SignpostMutation *mutation;
} Overlay;

static void
overlay_free (gpointer data)
{
  Overlay *overlay = data;

  g_free (overlay->record_id);
  g_free (overlay->related_id);
  g_free (overlay->practice_id);
  g_clear_object (&overlay->mutation);
  g_free (overlay);
}

static GPtrArray *
read_overlays (SignpostDb  *db,
               const char  *id,
               GError     **error)
{
  g_autoptr(GPtrArray) overlays = g_ptr_array_new_with_free_func (overlay_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = signpost_db_prepare (db,
                              "SELECT kind, op, record_id, related_id, practice_id, mutation"
                              " FROM outbox WHERE state = 0 AND (record_id = ?1 OR related_id = ?1)"
                              " ORDER BY position",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "s", id))
    return NULL;
  while ((rc = signpost_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, 5);
      g_autoptr(GError) local_error = NULL;
      Overlay *overlay = g_new0 (Overlay, 1);

      overlay->kind = sqlite3_column_int (stmt, 0);
      overlay->op = sqlite3_column_int (stmt, 1);
      overlay->record_id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      overlay->related_id = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      overlay->practice_id = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      overlay->mutation = signpost_object_new_from_string (SIGNPOST_TYPE_MUTATION, text, strlen (text),
                                                           SIGNPOST_DECODE_FULL, &local_error);
      if (overlay->mutation == NULL)
        {
          g_warning ("An outbox entry could not be read: %s", local_error->message);
          overlay_free (overlay);
          continue;
        }
      g_ptr_array_add (overlays, overlay);
    }
  sqlite3_reset (stmt);
  if (rc < 0)
    return NULL;
  return g_steal_pointer (&overlays);
}

static JsonObject *
mutation_data (SignpostMutation *mutation)
{
  JsonNode *node = signpost_mutation_get_data (mutation);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static const char *
data_string (JsonObject *data,
             const char *key)
{
  JsonNode *node;

  if (data == NULL || (node = json_object_get_member (data, key)) == NULL ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static void
patch_field (SignpostRecord *record,
             const char     *key,
             const char     *value)
{
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(GError) error = NULL;

  if (value != NULL)
    json_object_set_string_member (patch, key, value);
  else
    json_object_set_null_member (patch, key);
  if (!signpost_object_update_from_json (SIGNPOST_OBJECT (record), patch, SIGNPOST_DECODE_PATCH, &error))
    g_debug ("Could not set %s locally: %s", key, error->message);
}

static void
stamp_local (SignpostRecord *record,
             const char     *id)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  signpost_record_set_id (record, id);
  signpost_record_set_updated_at (record, now);
}

/* Lays one waiting change over @record (the state so far, or NULL) as the
 * server is expected to apply it, and returns the result (or NULL when it
 * is gone). @id is the record being computed. */
static SignpostRecord *
apply_overlay (SignpostRecord     *record,
               SignpostRecordKind  kind,
               const char         *id,
               Overlay            *overlay,
               const char         *user_id)
{
  JsonObject *data = mutation_data (overlay->mutation);
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (overlay->record_id, id) == 0)
    {
      switch (overlay->op)
        {
        case SIGNPOST_OP_CREATE:
          {
            SignpostRecord *created;

            if (data == NULL)
              return record;
            created = signpost_record_new_from_json (kind, data, SIGNPOST_DECODE_CREATE, &error);
            if (created == NULL)
              {
                g_debug ("A waiting new %s does not decode: %s",
                         signpost_record_kind_to_string (kind), error->message);
                return record;
              }
            stamp_local (created, id);
            signpost_record_set_version (created, 0);
            g_clear_object (&record);
            return created;
          }

        case SIGNPOST_OP_UPDATE:
        case SIGNPOST_OP_REVIEW:
          if (record != NULL && data != NULL &&
              !signpost_object_update_from_json (SIGNPOST_OBJECT (record), data,
                                                 SIGNPOST_DECODE_PATCH, &error))
            g_debug ("A waiting change does not apply: %s", error->message);
          if (record != NULL && overlay->op == SIGNPOST_OP_REVIEW && SIGNPOST_IS_TRIAGE (record))
            patch_field (record, "reviewed_by", user_id);
          return record;

        case SIGNPOST_OP_DELETE:
          g_clear_object (&record);
          return NULL;

        case SIGNPOST_OP_BOOK:
          if (record != NULL && SIGNPOST_IS_SLOT (record))
            {
              g_autoptr(SignpostBooking) booking = signpost_booking_new_from_json (data);
              g_autoptr(SignpostAppointment) made = booking ? signpost_slot_book (SIGNPOST_SLOT (record), booking, user_id)
                                                            : NULL;
            }
          return record;

        case SIGNPOST_OP_CANCEL:
          if (record != NULL && SIGNPOST_IS_SLOT (record))
            signpost_slot_cancel_booking (SIGNPOST_SLOT (record), NULL, data_string (data, "reason"));
          return record;

        case SIGNPOST_OP_ANSWER:
        case SIGNPOST_OP_COMPLETE:
        case SIGNPOST_OP_END:
        default:
          return record;
        }
    }

  /* The appointment a booking or a cancellation of a slot makes or ends. */
  if (overlay->op == SIGNPOST_OP_BOOK)
    {
      g_autoptr(SignpostBooking) booking = signpost_booking_new_from_json (data);
      g_autoptr(SignpostSlot) slot = NULL;
      SignpostRecord *created;

      if (booking == NULL || booking->patient_id == NULL)
        {
          g_debug ("A waiting booking of slot %s names no patient", overlay->record_id);
          return record;
        }
      /* The slot as the outbox knows it: what booking it makes of the
       * appointment needs only its id and practice. */
      slot = signpost_slot_new ();
      signpost_record_set_id (SIGNPOST_RECORD (slot), overlay->record_id);
      signpost_record_set_practice_id (SIGNPOST_RECORD (slot), overlay->practice_id);
      created = SIGNPOST_RECORD (signpost_slot_book (slot, booking, user_id));
      stamp_local (created, id);
      g_clear_object (&record);
      return created;
    }
  if (overlay->op == SIGNPOST_OP_CANCEL && record != NULL && SIGNPOST_IS_APPOINTMENT (record))
    signpost_slot_cancel_booking (NULL, SIGNPOST_APPOINTMENT (record), data_string (data, "reason"));
  return record;
}

static SignpostRecordKind
overlay_kind_for (Overlay    *overlay,
                  const char *id)
{
  if (g_strcmp0 (overlay->record_id, id) == 0)
    return overlay->kind;
  return SIGNPOST_RECORD_APPOINTMENT;
}

/* Recomputes what the console shows for @id from the server's state and
 * the changes still waiting, and re-indexes it. */
static gboolean
refresh_record (SignpostDb  *db,
                const char  *id,
                const char  *user_id,
                Changes     *changes,
                GError     **error)
{
  g_auto(Row) row = { 0, };
  g_autoptr(GPtrArray) overlays = NULL;
  g_autoptr(SignpostRecord) record = NULL;
  g_autofree char *text = NULL;
  const char *server_text;
  SignpostRecordKind kind;

  if (id == NULL)
    return TRUE;
  if (!read_row (db, id, &row, error))
    return FALSE;
  overlays = read_overlays (db, id, error);
  if (overlays == NULL)
    return FALSE;

  server_text = row.found ? (row.pending ? row.base : row.data) : NULL;

  if (overlays->len == 0)
    {
      if (!row.found || !row.pending)
        return TRUE;
      if (server_text == NULL)
        {
          if (!unindex_record (db, row.rid, row.kind, error) ||
              !signpost_db_run (db, "DELETE FROM records WHERE rid = ?1", error, "I", row.rid))
            return FALSE;
          changes_remove (changes, id);
          return TRUE;
        }
      record = decode_record (row.kind, server_text, FALSE);
      if (!signpost_db_run (db,
                            "UPDATE records SET pending = 0, data = base, base = NULL WHERE rid = ?1",
                            error, "I", row.rid))
        return FALSE;
      if (record == NULL)
        return TRUE;
      if (!index_record (db, row.rid, record, FALSE, error))
        return FALSE;
      changes_add (changes, record);
      return TRUE;
    }

  kind = row.found ? row.kind : overlay_kind_for (g_ptr_array_index (overlays, 0), id);
  record = server_text ? decode_record (kind, server_text, FALSE) : NULL;
  for (guint i = 0; i < overlays->len; i++)
    record = apply_overlay (record, kind, id, g_ptr_array_index (overlays, i), user_id);
  if (record != NULL)
    {
      signpost_record_set_pending_mark (record, TRUE);
      text = encode_record (record);
    }

  if (row.found)
    {
      if (!signpost_db_run (db,
                            "UPDATE records SET pending = 1, base = ?2, data = ?3,"
                            " practice_id = coalesce (?4, practice_id) WHERE rid = ?1",
                            error, "Isss", row.rid, server_text, text,
                            record ? signpost_record_get_practice_id (record) : NULL))
        return FALSE;
    }
  else
    {
      if (record == NULL)
        return TRUE;
      if (!signpost_db_run (db,
                            "INSERT INTO records (id, kind, practice_id, version, seq, pending, data, base)"
                            " VALUES (?1, ?2, ?3, 0, 0, 1, ?4, NULL)",
                            error, "siss", id, (int) kind,
                            signpost_record_get_practice_id (record), text))
        return FALSE;
      row.rid = sqlite3_last_insert_rowid (signpost_db_get_handle (db));
    }

  if (record != NULL)
    {
      if (!index_record (db, row.rid, record, !row.found, error))
        return FALSE;
      changes_add (changes, record);
    }
  else
    {
      if (row.found && !unindex_record (db, row.rid, kind, error))
        return FALSE;
      changes_remove (changes, id);
    }
  return TRUE;
}

/* Records what the server says @id now is (@record, or NULL for gone).
 * With @min_seq checking, an older state than the one held is ignored. */
static gboolean
set_server_state (SignpostDb          *db,
                  const char          *id,
                  SignpostRecordKind   kind,
                  SignpostRecord      *record,
                  gint64               seq,
                  gboolean             check_seq,
                  const char          *user_id,
                  Changes             *changes,
                  GError             **error)
{
  g_auto(Row) row = { 0, };
  g_autofree char *text = NULL;

  if (!read_row (db, id, &row, error))
    return FALSE;

  if (row.found && check_seq && row.seq > seq)
    return TRUE;
  if (record != NULL)
    text = encode_record (record);

  if (row.found && row.pending)
    {
      if (!signpost_db_run (db,
                            "UPDATE records SET base = ?2, version = ?3, seq = ?4,"
                            " practice_id = coalesce (?5, practice_id) WHERE rid = ?1",
                            error, "IsIIs", row.rid, text,
                            record ? signpost_record_get_version (record) : (gint64) 0, seq,
                            record ? signpost_record_get_practice_id (record) : NULL))
        return FALSE;
      return refresh_record (db, id, user_id, changes, error);
    }

  if (row.found)
    {
      if (record == NULL)
        {
          if (!unindex_record (db, row.rid, row.kind, error) ||
              !signpost_db_run (db, "DELETE FROM records WHERE rid = ?1", error, "I", row.rid))
            return FALSE;
          changes_remove (changes, id);
          return TRUE;
        }
      if (row.kind != kind && !unindex_record (db, row.rid, row.kind, error))
        return FALSE;
      if (!signpost_db_run (db,
                            "UPDATE records SET kind = ?2, practice_id = ?3, version = ?4, seq = ?5,"
                            " data = ?6 WHERE rid = ?1",
                            error, "IisIIs", row.rid, (int) kind,
                            signpost_record_get_practice_id (record),
                            signpost_record_get_version (record), seq, text) ||
          !index_record (db, row.rid, record, row.kind != kind, error))
        return FALSE;
      signpost_record_set_pending_mark (record, FALSE);
      changes_add (changes, record);
      return TRUE;
    }

  if (record == NULL)
    return TRUE;
  if (!signpost_db_run (db,
                        "INSERT INTO records (id, kind, practice_id, version, seq, pending, data)"
                        " VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6)",
                        error, "sisIIs", id, (int) kind,
                        signpost_record_get_practice_id (record),
                        signpost_record_get_version (record), seq, text) ||
      !index_record (db, sqlite3_last_insert_rowid (signpost_db_get_handle (db)), record, TRUE, error))
    return FALSE;
  signpost_record_set_pending_mark (record, FALSE);
  changes_add (changes, record);
  return TRUE;
}

/* ---- the change feed ------------------------------------------------------ */

typedef struct {
  GBytes *page;
  char *user_id;
  gint64 last_seq;
  gboolean more;
  guint n_changes;
  Changes changes;
} ApplyData;

static void
apply_data_free (gpointer data)
{
  ApplyData *apply = data;

  g_clear_pointer (&apply->page, g_bytes_unref);
  g_free (apply->user_id);
  changes_clear (&apply->changes);
  g_free (apply);
}

static gboolean
protocol_error (GError     **error,
                const char  *what)
{
  g_set_error (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_PROTOCOL,
               _("The server sent changes this console cannot read (%s)"), what);
  return FALSE;
}

static gboolean
apply_one_change (SignpostDb   *db,
                  JsonNode     *element,
                  ApplyData    *apply,
                  GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SignpostChange) change = NULL;
  g_autoptr(SignpostRecord) record = NULL;
  JsonNode *data;

  if (!JSON_NODE_HOLDS_OBJECT (element))
    {
      g_warning ("Skipping a change that is not an object");
      return TRUE;
    }
  change = signpost_object_new_from_json (SIGNPOST_TYPE_CHANGE, json_node_get_object (element),
                                          SIGNPOST_DECODE_FULL, &local_error);
  if (change == NULL)
    {
      g_warning ("Skipping a change: %s", local_error->message);
      return TRUE;
    }

  if (signpost_change_get_op (change) != SIGNPOST_OP_DELETE)
    {
      data = signpost_change_get_data (change);
      if (data == NULL || !JSON_NODE_HOLDS_OBJECT (data))
        {
          g_warning ("Skipping a change to %s without data", signpost_change_get_id (change));
          return TRUE;
        }
      record = signpost_record_new_from_json (signpost_change_get_kind (change),
                                              json_node_get_object (data),
                                              SIGNPOST_DECODE_FULL, &local_error);
      if (record == NULL)
        {
          g_warning ("Skipping a change to %s: %s", signpost_change_get_id (change),
                     local_error->message);
          return TRUE;
        }
      if (g_strcmp0 (signpost_record_get_id (record), signpost_change_get_id (change)) != 0)
        {
          g_warning ("Skipping a change whose record has another id");
          return TRUE;
        }
    }

  apply->n_changes++;
  return set_server_state (db, signpost_change_get_id (change), signpost_change_get_kind (change),
                           record, signpost_change_get_seq (change), TRUE, apply->user_id,
                           &apply->changes, error);
}

static gboolean
apply_page (SignpostDb  *db,
            ApplyData   *apply,
            GError     **error)
{
  g_autoptr(JsonObject) root = NULL;
  JsonNode *node;
  JsonArray *changes;
  gsize length;
  const char *bytes = g_bytes_get_data (apply->page, &length);

  root = signpost_json_parse_object (bytes, length, MAX_PAGE_SIZE, error);
  if (root == NULL)
    return FALSE;
  node = json_object_get_member (root, "changes");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return protocol_error (error, "changes");
  changes = json_node_get_array (node);
  node = json_object_get_member (root, "last_seq");
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64 || json_node_get_int (node) < 0)
    return protocol_error (error, "last_seq");
  apply->last_seq = json_node_get_int (node);
  node = json_object_get_member (root, "more");
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return protocol_error (error, "more");
  apply->more = json_node_get_boolean (node);

  if (!signpost_db_begin (db, error))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (changes); i++)
    if (!apply_one_change (db, json_array_get_element (changes, i), apply, error))
      {
        signpost_db_rollback (db);
        return FALSE;
      }
  if (!signpost_db_run (db,
                        "INSERT INTO meta (key, value) VALUES ('last_seq', ?1)"
                        " ON CONFLICT (key) DO UPDATE SET value = excluded.value"
                        " WHERE CAST (value AS INTEGER) < CAST (excluded.value AS INTEGER)",
                        error, "I", apply->last_seq) ||
      !signpost_db_commit (db, error))
    {
      signpost_db_rollback (db);
      return FALSE;
    }
  return TRUE;
}

static void
emit_changes (SignpostCache *self,
              Changes       *changes)
{
  if (changes->changed->len == 0 && changes->removed->len == 0)
    return;
  for (guint i = 0; i < changes->changed->len; i++)
    if (SIGNPOST_IS_PRACTICE (g_ptr_array_index (changes->changed, i)))
      {
        g_hash_table_remove_all (self->practice_names);
        break;
      }
  g_signal_emit (self, signals[RECORDS_CHANGED], 0, changes->changed, changes->removed);
}

static void
apply_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  SignpostCache *self = source_object;
  ApplyData *apply = task_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_mutex_lock (&self->writer_lock);
  if (self->writer == NULL)
    self->writer = signpost_db_open (self->path, SIGNPOST_DB_NO_SYNC, &error);
  ok = self->writer != NULL && apply_page (self->writer, apply, &error);
  g_mutex_unlock (&self->writer_lock);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
apply_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  SignpostCache *self = SIGNPOST_CACHE (source);
  g_autoptr(GTask) outer = user_data;
  ApplyData *apply = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (outer, error);
      return;
    }
  self->last_seq = MAX (self->last_seq, apply->last_seq);
  emit_changes (self, &apply->changes);
  g_task_return_boolean (outer, TRUE);
}

/* ---- GObject ------------------------------------------------------------- */

static void
signpost_cache_finalize (GObject *object)
{
  SignpostCache *self = SIGNPOST_CACHE (object);

  g_clear_object (&self->writer);
  g_mutex_clear (&self->writer_lock);
  g_clear_object (&self->db);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->user_id, g_free);
  g_clear_pointer (&self->practice_names, g_hash_table_unref);

  G_OBJECT_CLASS (signpost_cache_parent_class)->finalize (object);
}

static void
signpost_cache_class_init (SignpostCacheClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = signpost_cache_finalize;

  /**
   * SignpostCache::records-changed:
   * @changed: (element-type SignpostRecord): records as they now read
   * @removed: (element-type utf8): ids of records gone
   */
  signals[RECORDS_CHANGED] =
    g_signal_new ("records-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_PTR_ARRAY, G_TYPE_PTR_ARRAY);
}

static void
signpost_cache_init (SignpostCache *self)
{
  g_mutex_init (&self->writer_lock);
  self->practice_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/* ---- public API ------------------------------------------------------------ */

/* One file per (server, user) under the user's data directory, named by a
 * hash so no URL or username ends up as a path. */
char *
signpost_cache_build_path (const char *server_url,
                           const char *username)
{
  g_autofree char *key = g_strconcat (server_url, "\n", username, NULL);
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
  g_autofree char *name = g_strdup_printf ("cache-%.24s.db", digest);

  return g_build_filename (g_get_user_data_dir (), "signpost", name, NULL);
}

SignpostCache *
signpost_cache_open (const char  *path,
                     GError     **error)
{
  g_autoptr(SignpostCache) self = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *seq = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_CACHE,
                   _("Could not create the folder for this PC’s copy (%s): %s"),
                   dir, g_strerror (saved));
      return NULL;
    }

  self = g_object_new (SIGNPOST_TYPE_CACHE, NULL);
  self->path = g_strdup (path);
  self->db = signpost_db_open (path, SIGNPOST_DB_DEFAULT, &local_error);
  if (self->db == NULL ||
      !signpost_db_migrate (self->db, migrations, G_N_ELEMENTS (migrations), &local_error))
    {
      g_set_error (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_CACHE,
                   _("Could not open this PC’s copy of the records: %s"), local_error->message);
      return NULL;
    }
  g_chmod (path, 0600);

  seq = signpost_cache_dup_meta (self, "last_seq");
  self->last_seq = seq ? g_ascii_strtoll (seq, NULL, 10) : 0;
  return g_steal_pointer (&self);
}

const char *
signpost_cache_get_path (SignpostCache *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), NULL);
  return self->path;
}

SignpostDb *
signpost_cache_get_db (SignpostCache *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), NULL);
  return self->db;
}

const char *
signpost_cache_get_user_id (SignpostCache *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), NULL);
  return self->user_id;
}

void
signpost_cache_set_user_id (SignpostCache *self,
                            const char    *user_id)
{
  g_return_if_fail (SIGNPOST_IS_CACHE (self));
  g_free (self->user_id);
  self->user_id = g_strdup (user_id);
}

gint64
signpost_cache_get_last_seq (SignpostCache *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), 0);
  return self->last_seq;
}

char *
signpost_cache_dup_meta (SignpostCache *self,
                         const char    *key)
{
  sqlite3_stmt *stmt;
  char *value = NULL;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), NULL);

  stmt = signpost_db_prepare (self->db, "SELECT value FROM meta WHERE key = ?1", NULL);
  if (stmt == NULL || !signpost_db_bind (stmt, NULL, "s", key))
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

gboolean
signpost_cache_set_meta (SignpostCache  *self,
                         const char     *key,
                         const char     *value,
                         GError        **error)
{
  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), FALSE);

  return signpost_db_run (self->db,
                          "INSERT INTO meta (key, value) VALUES (?1, ?2)"
                          " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                          error, "ss", key, value);
}

gboolean
signpost_cache_apply_changes (SignpostCache  *self,
                              GBytes         *page,
                              gint64         *last_seq,
                              gboolean       *more,
                              guint          *n_changes,
                              GError        **error)
{
  ApplyData apply = { 0, };
  gboolean ok;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), FALSE);
  g_return_val_if_fail (page != NULL, FALSE);

  apply.page = g_bytes_ref (page);
  apply.user_id = g_strdup (self->user_id);
  changes_init (&apply.changes);
  ok = apply_page (self->db, &apply, error);
  if (ok)
    {
      self->last_seq = MAX (self->last_seq, apply.last_seq);
      emit_changes (self, &apply.changes);
      if (last_seq)
        *last_seq = apply.last_seq;
      if (more)
        *more = apply.more;
      if (n_changes)
        *n_changes = apply.n_changes;
    }
  g_bytes_unref (apply.page);
  g_free (apply.user_id);
  changes_clear (&apply.changes);
  return ok;
}

void
signpost_cache_apply_changes_async (SignpostCache       *self,
                                    GBytes              *page,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) inner = NULL;
  ApplyData *apply;

  g_return_if_fail (SIGNPOST_IS_CACHE (self));
  g_return_if_fail (page != NULL);

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, signpost_cache_apply_changes_async);

  apply = g_new0 (ApplyData, 1);
  apply->page = g_bytes_ref (page);
  apply->user_id = g_strdup (self->user_id);
  changes_init (&apply->changes);

  /* The outer task owns the data and reports only after ::records-changed
   * went out on this thread; the worker's task borrows it. */
  g_task_set_task_data (outer, apply, apply_data_free);
  inner = g_task_new (self, NULL, apply_done, g_steal_pointer (&outer));
  g_task_set_source_tag (inner, apply_in_thread);
  g_task_set_task_data (inner, apply, NULL);
  g_task_run_in_thread (inner, apply_in_thread);
}

gboolean
signpost_cache_apply_changes_finish (SignpostCache  *self,
                                     GAsyncResult   *result,
                                     gint64         *last_seq,
                                     gboolean       *more,
                                     guint          *n_changes,
                                     GError        **error)
{
  ApplyData *apply;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  apply = g_task_get_task_data (G_TASK (result));
  if (last_seq)
    *last_seq = apply->last_seq;
  if (more)
    *more = apply->more;
  if (n_changes)
    *n_changes = apply->n_changes;
  return TRUE;
}

gboolean
signpost_cache_store_records (SignpostCache  *self,
                              GPtrArray      *records,
                              GError        **error)
{
  Changes changes;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), FALSE);

  changes_init (&changes);
  if (!signpost_db_begin (self->db, error))
    {
      changes_clear (&changes);
      return FALSE;
    }
  for (guint i = 0; i < records->len; i++)
    {
      SignpostRecord *record = g_ptr_array_index (records, i);

      if (!set_server_state (self->db, signpost_record_get_id (record),
                             signpost_record_get_kind (record), record,
                             signpost_record_get_seq (record), TRUE, self->user_id,
                             &changes, error))
        {
          signpost_db_rollback (self->db);
          changes_clear (&changes);
          return FALSE;
        }
      self->last_seq = MAX (self->last_seq, signpost_record_get_seq (record));
    }
  if (!signpost_db_run (self->db,
                        "INSERT INTO meta (key, value) VALUES ('last_seq', ?1)"
                        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                        error, "I", self->last_seq) ||
      !signpost_db_commit (self->db, error))
    {
      signpost_db_rollback (self->db);
      changes_clear (&changes);
      return FALSE;
    }
  emit_changes (self, &changes);
  changes_clear (&changes);
  return TRUE;
}

gpointer
signpost_cache_get_record (SignpostCache      *self,
                           SignpostRecordKind  kind,
                           const char         *id)
{
  sqlite3_stmt *stmt;
  SignpostRecord *record = NULL;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), NULL);

  if (id == NULL)
    return NULL;
  stmt = signpost_db_prepare (self->db,
                              "SELECT kind, data, pending FROM records WHERE id = ?1", NULL);
  if (stmt == NULL || !signpost_db_bind (stmt, NULL, "s", id))
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0) == (int) kind)
    record = decode_record (kind, (const char *) sqlite3_column_text (stmt, 1),
                            sqlite3_column_int (stmt, 2));
  sqlite3_reset (stmt);
  return record;
}

GPtrArray *
signpost_cache_list_records (SignpostCache      *self,
                             SignpostRecordKind  kind)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), NULL);

  stmt = signpost_db_prepare (self->db,
                              "SELECT kind, data, pending FROM records"
                              " WHERE kind = ?1 AND data IS NOT NULL ORDER BY rid",
                              NULL);
  if (stmt == NULL || !signpost_db_bind (stmt, NULL, "i", (int) kind))
    return g_ptr_array_new_with_free_func (g_object_unref);
  return collect_records (self, stmt);
}

guint
signpost_cache_count_records (SignpostCache      *self,
                              SignpostRecordKind  kind)
{
  sqlite3_stmt *stmt;
  guint count = 0;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), 0);

  stmt = signpost_db_prepare (self->db,
                              "SELECT count(*) FROM records WHERE kind = ?1 AND data IS NOT NULL",
                              NULL);
  if (stmt == NULL || !signpost_db_bind (stmt, NULL, "i", (int) kind))
    return 0;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return count;
}

const char *
signpost_cache_get_practice_name (SignpostCache *self,
                                  const char    *practice_id)
{
  g_autoptr(SignpostPractice) practice = NULL;
  const char *name;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), NULL);

  if (practice_id == NULL)
    return NULL;
  name = g_hash_table_lookup (self->practice_names, practice_id);
  if (name != NULL)
    return name;
  practice = signpost_cache_get_record (self, SIGNPOST_RECORD_PRACTICE, practice_id);
  if (practice == NULL)
    return NULL;
  name = signpost_practice_get_name (practice);
  g_hash_table_insert (self->practice_names, g_strdup (practice_id), g_strdup (name));
  return g_hash_table_lookup (self->practice_names, practice_id);
}

/* ---- patients ----------------------------------------------------------- */

/* A patient with two numbers in a range comes once. */
static void
remove_duplicates (GPtrArray *records)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < records->len;)
    {
      const char *id = signpost_record_get_id (g_ptr_array_index (records, i));
      if (!g_hash_table_add (seen, (gpointer) id))
        g_ptr_array_remove_index (records, i);
      else
        i++;
    }
}

GPtrArray *
signpost_cache_search_patients (SignpostCache *self,
                                const char    *text,
                                const char    *practice_id,
                                guint          limit,
                                gboolean      *more)
{
  g_autoptr(SignpostPatientQuery) query = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *family_from = NULL;
  g_autofree char *family_to = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), NULL);

  if (more)
    *more = FALSE;
  if (limit == 0)
    limit = 50;
  query = signpost_patient_query_parse (text);
  if (signpost_patient_query_is_empty (query))
    return g_ptr_array_new_with_free_func (g_object_unref);

  if (query->phone_from != NULL)
    {
      stmt = signpost_db_prepare (self->db,
                                  /* A number being typed matches thousands: walk the
                                   * index in number order and stop at the limit. */
                                  "SELECT r.kind, r.data, r.pending"
                                  " FROM patient_phones ph"
                                  " JOIN patient_index p ON p.rid = ph.rid"
                                  " JOIN records r ON r.rid = ph.rid"
                                  " WHERE ph.number >= ?1 AND ph.number < ?2"
                                  "  AND (?3 IS NULL OR p.dob = ?3)"
                                  "  AND (?4 IS NULL OR (p.postcode_key >= ?4 AND p.postcode_key < ?5))"
                                  "  AND (?6 IS NULL OR p.rid IN (SELECT rowid FROM patient_fts"
                                  "                              WHERE patient_fts MATCH ?6))"
                                  "  AND (?7 IS NULL OR r.practice_id = ?7)"
                                  " ORDER BY ph.number, p.sort_key, p.dob LIMIT ?8",
                                  NULL);
      ok = stmt != NULL &&
           signpost_db_bind (stmt, NULL, "sssssssi", query->phone_from, query->phone_to,
                             query->dob, query->postcode_from, query->postcode_to, query->fts,
                             practice_id, (int) limit + 1);
    }
  else if (query->nhs_from != NULL)
    {
      stmt = signpost_db_prepare (self->db,
                                  "SELECT r.kind, r.data, r.pending"
                                  " FROM patient_index p JOIN records r ON r.rid = p.rid"
                                  " WHERE p.nhs_number >= ?1 AND p.nhs_number < ?2"
                                  "  AND (?3 IS NULL OR p.dob = ?3)"
                                  "  AND (?4 IS NULL OR (p.postcode_key >= ?4 AND p.postcode_key < ?5))"
                                  "  AND (?6 IS NULL OR p.rid IN (SELECT rowid FROM patient_fts"
                                  "                              WHERE patient_fts MATCH ?6))"
                                  "  AND (?7 IS NULL OR r.practice_id = ?7)"
                                  " ORDER BY p.nhs_number LIMIT ?8",
                                  NULL);
      ok = stmt != NULL &&
           signpost_db_bind (stmt, NULL, "sssssssi", query->nhs_from, query->nhs_to,
                             query->dob, query->postcode_from, query->postcode_to, query->fts,
                             practice_id, (int) limit + 1);
    }
  else if (query->fts != NULL)
    {
      const char *first = g_ptr_array_index (query->name_tokens, 0);

      /* A short prefix can match tens of thousands: rank a bounded set of
       * candidates (exact surname first, then surname prefix, then A–Z)
       * rather than sorting every match. */
      family_from = g_strdup (first);
      family_to = g_strdup (first);
      family_to[strlen (family_to) - 1]++;
      stmt = signpost_db_prepare (self->db,
                                  "SELECT r.kind, r.data, r.pending FROM"
                                  " (SELECT p.rid AS rid, p.family_key AS family_key,"
                                  "         p.sort_key AS sort_key, p.dob AS dob"
                                  "  FROM patient_fts f JOIN patient_index p ON p.rid = f.rowid"
                                  "  WHERE patient_fts MATCH ?1"
                                  "   AND (?2 IS NULL OR p.dob = ?2)"
                                  "   AND (?3 IS NULL OR (p.postcode_key >= ?3 AND p.postcode_key < ?4))"
                                  "  LIMIT ?5) c"
                                  " JOIN records r ON r.rid = c.rid"
                                  " WHERE (?6 IS NULL OR r.practice_id = ?6)"
                                  " ORDER BY c.family_key = ?7 DESC,"
                                  "  (c.family_key >= ?7 AND c.family_key < ?8) DESC,"
                                  "  c.sort_key, c.dob"
                                  " LIMIT ?9",
                                  NULL);
      ok = stmt != NULL &&
           signpost_db_bind (stmt, NULL, "ssssisssi", query->fts, query->dob,
                             query->postcode_from, query->postcode_to, SEARCH_CANDIDATES,
                             practice_id, family_from, family_to, (int) limit + 1);
    }
  else if (query->dob != NULL)
    {
      stmt = signpost_db_prepare (self->db,
                                  "SELECT r.kind, r.data, r.pending"
                                  " FROM patient_index p JOIN records r ON r.rid = p.rid"
                                  " WHERE p.dob = ?1"
                                  "  AND (?2 IS NULL OR (p.postcode_key >= ?2 AND p.postcode_key < ?3))"
                                  "  AND (?4 IS NULL OR r.practice_id = ?4)"
                                  " ORDER BY p.sort_key LIMIT ?5",
                                  NULL);
      ok = stmt != NULL &&
           signpost_db_bind (stmt, NULL, "ssssi", query->dob, query->postcode_from,
                             query->postcode_to, practice_id, (int) limit + 1);
    }
  else
    {
      stmt = signpost_db_prepare (self->db,
                                  "SELECT r.kind, r.data, r.pending"
                                  " FROM patient_index p JOIN records r ON r.rid = p.rid"
                                  " WHERE p.postcode_key >= ?1 AND p.postcode_key < ?2"
                                  "  AND (?3 IS NULL OR r.practice_id = ?3)"
                                  " ORDER BY p.postcode_key, p.sort_key LIMIT ?4",
                                  NULL);
      ok = stmt != NULL &&
           signpost_db_bind (stmt, NULL, "sssi", query->postcode_from, query->postcode_to,
                             practice_id, (int) limit + 1);
    }

  if (!ok)
    return g_ptr_array_new_with_free_func (g_object_unref);
  records = collect_records (self, stmt);
  if (query->phone_from != NULL)
    remove_duplicates (records);
  if (records->len > limit)
    {
      g_ptr_array_set_size (records, limit);
      if (more)
        *more = TRUE;
    }
  return g_steal_pointer (&records);
}

GPtrArray *
signpost_cache_find_patients_by_phone (SignpostCache *self,
                                       const char    *number)
{
  g_autofree char *e164 = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), NULL);

  if (number == NULL || signpost_phone_is_withheld (number))
    return g_ptr_array_new_with_free_func (g_object_unref);
  e164 = signpost_phone_is_e164 (number) ? g_strdup (number) : signpost_phone_normalise (number, NULL);
  if (e164 == NULL)
    return g_ptr_array_new_with_free_func (g_object_unref);

  stmt = signpost_db_prepare (self->db,
                              "SELECT r.kind, r.data, r.pending FROM patient_phones ph"
                              " JOIN records r ON r.rid = ph.rid"
                              " JOIN patient_index p ON p.rid = ph.rid"
                              " WHERE ph.number = ?1 ORDER BY p.dob, p.sort_key",
                              NULL);
  if (stmt == NULL || !signpost_db_bind (stmt, NULL, "s", e164))
    return g_ptr_array_new_with_free_func (g_object_unref);
  return collect_records (self, stmt);
}

/* ---- calls, triage, diary -------------------------------------------------- */

GPtrArray *
signpost_cache_list_calls (SignpostCache           *self,
                           const SignpostCallState *states,
                           const char              *practice_id,
                           const char              *answered_by)
{
  g_autofree char *json = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), NULL);

  json = states_json ((const int *) states);
  stmt = signpost_db_prepare (self->db,
                              "SELECT r.kind, r.data, r.pending FROM call_index c"
                              " JOIN records r ON r.rid = c.rid"
                              " WHERE c.state IN (SELECT value FROM json_each (?1))"
                              "  AND (?2 IS NULL OR c.practice_id = ?2)"
                              "  AND (?3 IS NULL OR c.answered_by = ?3)"
                              " ORDER BY c.offered_ms, c.call_ref",
                              NULL);
  if (stmt == NULL || !signpost_db_bind (stmt, NULL, "sss", json, practice_id, answered_by))
    return g_ptr_array_new_with_free_func (g_object_unref);
  return collect_records (self, stmt);
}

GPtrArray *
signpost_cache_list_triage (SignpostCache              *self,
                            const SignpostTriageStatus *statuses,
                            const char                 *practice_id,
                            const char                 *for_clinician_id)
{
  g_autofree char *json = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), NULL);

  json = states_json ((const int *) statuses);
  stmt = signpost_db_prepare (self->db,
                              "SELECT r.kind, r.data, r.pending FROM triage_index t"
                              " JOIN records r ON r.rid = t.rid"
                              " WHERE t.status IN (SELECT value FROM json_each (?1))"
                              "  AND (?2 IS NULL OR t.practice_id = ?2)"
                              "  AND (?3 IS NULL OR t.route_kind = ?4 OR t.route_clinician_id = ?3)"
                              " ORDER BY t.urgency, t.updated_ms, r.id",
                              NULL);
  if (stmt == NULL ||
      !signpost_db_bind (stmt, NULL, "sssi", json, practice_id, for_clinician_id,
                         (int) SIGNPOST_ROUTE_DUTY))
    return g_ptr_array_new_with_free_func (g_object_unref);
  return collect_records (self, stmt);
}

GPtrArray *
signpost_cache_list_triage_for_patient (SignpostCache *self,
                                        const char    *patient_id)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), NULL);

  stmt = signpost_db_prepare (self->db,
                              "SELECT r.kind, r.data, r.pending FROM triage_index t"
                              " JOIN records r ON r.rid = t.rid"
                              " WHERE t.patient_id = ?1 ORDER BY t.updated_ms DESC",
                              NULL);
  if (stmt == NULL || !signpost_db_bind (stmt, NULL, "s", patient_id))
    return g_ptr_array_new_with_free_func (g_object_unref);
  return collect_records (self, stmt);
}

GPtrArray *
signpost_cache_list_slots (SignpostCache *self,
                           const char    *practice_id,
                           GDateTime     *from,
                           GDateTime     *to,
                           const char    *clinician_id)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), NULL);
  g_return_val_if_fail (from != NULL && to != NULL, NULL);

  stmt = signpost_db_prepare (self->db,
                              "SELECT r.kind, r.data, r.pending FROM slot_index s"
                              " JOIN records r ON r.rid = s.rid"
                              " WHERE s.start_ms >= ?1 AND s.start_ms < ?2"
                              "  AND (?3 IS NULL OR s.practice_id = ?3)"
                              "  AND (?4 IS NULL OR s.clinician_id = ?4)"
                              " ORDER BY s.start_ms, s.clinician_id, r.id",
                              NULL);
  if (stmt == NULL ||
      !signpost_db_bind (stmt, NULL, "IIss", instant_ms (from), instant_ms (to),
                         practice_id, clinician_id))
    return g_ptr_array_new_with_free_func (g_object_unref);
  return collect_records (self, stmt);
}

SignpostAppointment *
signpost_cache_get_live_appointment (SignpostCache *self,
                                     const char    *slot_id)
{
  g_autoptr(GPtrArray) records = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), NULL);

  stmt = signpost_db_prepare (self->db,
                              "SELECT r.kind, r.data, r.pending FROM appointment_index a"
                              " JOIN records r ON r.rid = a.rid"
                              " WHERE a.slot_id = ?1 AND a.status != ?2"
                              " ORDER BY r.rid DESC LIMIT 1",
                              NULL);
  if (stmt == NULL ||
      !signpost_db_bind (stmt, NULL, "si", slot_id, (int) SIGNPOST_APPOINTMENT_CANCELLED))
    return NULL;
  records = collect_records (self, stmt);
  return records->len > 0 ? g_object_ref (g_ptr_array_index (records, 0)) : NULL;
}

GPtrArray *
signpost_cache_list_appointments_for_patient (SignpostCache *self,
                                              const char    *patient_id,
                                              GDateTime     *from)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), NULL);

  stmt = signpost_db_prepare (self->db,
                              "SELECT r.kind, r.data, r.pending FROM appointment_index a"
                              " JOIN records r ON r.rid = a.rid"
                              " JOIN records rs ON rs.id = a.slot_id"
                              " JOIN slot_index s ON s.rid = rs.rid"
                              " WHERE a.patient_id = ?1 AND a.status != ?2 AND s.start_ms >= ?3"
                              " ORDER BY s.start_ms",
                              NULL);
  if (stmt == NULL ||
      !signpost_db_bind (stmt, NULL, "siI", patient_id, (int) SIGNPOST_APPOINTMENT_CANCELLED,
                         from ? instant_ms (from) : G_MININT64))
    return g_ptr_array_new_with_free_func (g_object_unref);
  return collect_records (self, stmt);
}

/* ---- drafts and views ----------------------------------------------------- */

gboolean
signpost_cache_save_draft (SignpostCache  *self,
                           const char     *key,
                           JsonObject     *data,
                           GError        **error)
{
  g_autofree char *text = NULL;
  g_autofree char *now = now_timestamp ();

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), FALSE);
  g_return_val_if_fail (key != NULL && data != NULL, FALSE);

  text = signpost_json_object_to_string (data, NULL);
  return signpost_db_run (self->db,
                          "INSERT INTO drafts (key, data, updated_at) VALUES (?1, ?2, ?3)"
                          " ON CONFLICT (key) DO UPDATE SET data = excluded.data,"
                          "  updated_at = excluded.updated_at",
                          error, "sss", key, text, now);
}

JsonObject *
signpost_cache_load_draft (SignpostCache *self,
                           const char    *key)
{
  sqlite3_stmt *stmt;
  JsonObject *object = NULL;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), NULL);

  stmt = signpost_db_prepare (self->db, "SELECT data FROM drafts WHERE key = ?1", NULL);
  if (stmt == NULL || !signpost_db_bind (stmt, NULL, "s", key))
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, 0);
      object = signpost_json_parse_object (text, strlen (text), MAX_RECORD_SIZE, NULL);
    }
  sqlite3_reset (stmt);
  return object;
}

gboolean
signpost_cache_delete_draft (SignpostCache  *self,
                             const char     *key,
                             GError        **error)
{
  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), FALSE);
  return signpost_db_run (self->db, "DELETE FROM drafts WHERE key = ?1", error, "s", key);
}

GStrv
signpost_cache_list_drafts (SignpostCache *self,
                            const char    *prefix)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), NULL);

  stmt = signpost_db_prepare (self->db,
                              "SELECT key FROM drafts"
                              " WHERE ?1 IS NULL OR substr (key, 1, length (?1)) = ?1"
                              " ORDER BY updated_at",
                              NULL);
  if (stmt != NULL && signpost_db_bind (stmt, NULL, "s", prefix))
    {
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
    }
  return g_strv_builder_end (builder);
}

gboolean
signpost_cache_queue_view (SignpostCache  *self,
                           const char     *patient_id,
                           const char     *context,
                           GError        **error)
{
  g_autofree char *now = now_timestamp ();

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), FALSE);
  return signpost_db_run (self->db,
                          "INSERT INTO pending_views (patient_id, context, at) VALUES (?1, ?2, ?3)",
                          error, "sss", patient_id, context, now);
}

static void
pending_view_free (gpointer data)
{
  SignpostPendingView *view = data;

  g_free (view->patient_id);
  g_free (view->context);
  g_free (view);
}

GPtrArray *
signpost_cache_list_views (SignpostCache *self,
                           guint          max)
{
  GPtrArray *views = g_ptr_array_new_with_free_func (pending_view_free);
  sqlite3_stmt *stmt;

  stmt = signpost_db_prepare (self->db,
                              "SELECT position, patient_id, context FROM pending_views"
                              " ORDER BY position LIMIT ?1",
                              NULL);
  if (stmt == NULL || !signpost_db_bind (stmt, NULL, "i", (int) max))
    return views;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      SignpostPendingView *view = g_new0 (SignpostPendingView, 1);
      view->position = sqlite3_column_int64 (stmt, 0);
      view->patient_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      view->context = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      g_ptr_array_add (views, view);
    }
  sqlite3_reset (stmt);
  return views;
}

gboolean
signpost_cache_remove_view (SignpostCache  *self,
                            gint64          position,
                            GError        **error)
{
  return signpost_db_run (self->db, "DELETE FROM pending_views WHERE position = ?1",
                          error, "I", position);
}

/* ---- the outbox's storage ------------------------------------------------ */

gint64
signpost_cache_expected_version (SignpostCache *self,
                                 const char    *record_id)
{
  sqlite3_stmt *stmt;
  gint64 version = 0;
  gboolean found = FALSE;

  /* After the last change still waiting for this record, it will be at
   * that change's base + 1 (a slot's book and cancel change it too); with
   * none waiting, at the server's version. */
  stmt = signpost_db_prepare (self->db,
                              "SELECT op, mutation FROM outbox"
                              " WHERE state = 0 AND record_id = ?1 AND op IN (?2, ?3, ?4, ?5)"
                              " ORDER BY position DESC LIMIT 1",
                              NULL);
  if (stmt != NULL &&
      signpost_db_bind (stmt, NULL, "siiii", record_id, (int) SIGNPOST_OP_CREATE,
                        (int) SIGNPOST_OP_UPDATE, (int) SIGNPOST_OP_BOOK, (int) SIGNPOST_OP_CANCEL) &&
      sqlite3_step (stmt) == SQLITE_ROW)
    {
      SignpostOp op = sqlite3_column_int (stmt, 0);
      const char *text = (const char *) sqlite3_column_text (stmt, 1);
      g_autoptr(SignpostMutation) mutation =
        signpost_object_new_from_string (SIGNPOST_TYPE_MUTATION, text, strlen (text),
                                         SIGNPOST_DECODE_FULL, NULL);

      found = TRUE;
      if (op == SIGNPOST_OP_CREATE)
        version = 1;
      else if (mutation != NULL)
        version = signpost_mutation_get_base_version (mutation) + 1;
    }
  if (stmt != NULL)
    sqlite3_reset (stmt);
  if (found)
    return version;

  stmt = signpost_db_prepare (self->db, "SELECT version FROM records WHERE id = ?1", NULL);
  if (stmt != NULL && signpost_db_bind (stmt, NULL, "s", record_id) &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return version;
}

gboolean
signpost_cache_outbox_add (SignpostCache     *self,
                           SignpostMutation  *mutation,
                           const char        *related_id,
                           const char        *practice_id,
                           const char        *label,
                           GError           **error)
{
  g_autofree char *text = NULL;
  g_autofree char *now = now_timestamp ();
  Changes changes;
  gboolean ok;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), FALSE);

  text = signpost_object_to_string (SIGNPOST_OBJECT (mutation), NULL);
  changes_init (&changes);
  ok = signpost_db_begin (self->db, error) &&
       signpost_db_run (self->db,
                        "INSERT INTO outbox (mutation_id, kind, op, record_id, related_id,"
                        " practice_id, mutation, state, label, created_at)"
                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8, ?9)",
                        error, "siissssss",
                        signpost_mutation_get_mutation_id (mutation),
                        (int) signpost_mutation_get_kind (mutation),
                        (int) signpost_mutation_get_op (mutation),
                        signpost_mutation_get_id (mutation), related_id, practice_id,
                        text, label, now) &&
       refresh_record (self->db, signpost_mutation_get_id (mutation), self->user_id, &changes, error) &&
       refresh_record (self->db, related_id, self->user_id, &changes, error) &&
       signpost_db_commit (self->db, error);
  if (!ok)
    signpost_db_rollback (self->db);
  else
    emit_changes (self, &changes);
  changes_clear (&changes);
  return ok;
}

GPtrArray *
signpost_cache_outbox_list (SignpostCache *self)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), NULL);

  stmt = signpost_db_prepare (self->db,
                              "SELECT mutation, state, label, created_at, attempts, result,"
                              " last_error, kind FROM outbox ORDER BY position",
                              NULL);
  if (stmt == NULL)
    return g_steal_pointer (&items);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, 0);
      const char *created = (const char *) sqlite3_column_text (stmt, 3);
      const char *result_text = (const char *) sqlite3_column_text (stmt, 5);
      g_autoptr(SignpostMutation) mutation = NULL;
      g_autoptr(GDateTime) created_at = NULL;
      g_autoptr(SignpostOutboxItem) item = NULL;
      g_autoptr(GError) error = NULL;

      mutation = signpost_object_new_from_string (SIGNPOST_TYPE_MUTATION, text, strlen (text),
                                                  SIGNPOST_DECODE_FULL, &error);
      if (mutation == NULL)
        {
          g_warning ("An outbox entry could not be read: %s", error->message);
          continue;
        }
      created_at = signpost_timestamp_parse (created, NULL);
      item = signpost_outbox_item_new (mutation, sqlite3_column_int (stmt, 1),
                                       (const char *) sqlite3_column_text (stmt, 2), created_at);
      signpost_outbox_item_set_attempts (item, sqlite3_column_int (stmt, 4));
      signpost_outbox_item_set_last_error (item, (const char *) sqlite3_column_text (stmt, 6));
      if (result_text != NULL)
        {
          g_autoptr(SignpostMutationResult) result =
            signpost_object_new_from_string (SIGNPOST_TYPE_MUTATION_RESULT, result_text,
                                             strlen (result_text), SIGNPOST_DECODE_PATCH, NULL);
          JsonNode *record = result ? signpost_mutation_result_get_record (result) : NULL;
          JsonNode *problem = result ? signpost_mutation_result_get_problem (result) : NULL;

          if (record != NULL && JSON_NODE_HOLDS_OBJECT (record))
            {
              g_autoptr(SignpostRecord) current =
                signpost_record_new_from_json (sqlite3_column_int (stmt, 7),
                                               json_node_get_object (record),
                                               SIGNPOST_DECODE_FULL, NULL);
              signpost_outbox_item_set_current (item, current);
            }
          if (problem != NULL && JSON_NODE_HOLDS_OBJECT (problem))
            {
              JsonObject *object = json_node_get_object (problem);
              signpost_outbox_item_set_problem (item,
                                                data_string (object, "title"),
                                                data_string (object, "detail"));
            }
        }
      g_ptr_array_add (items, g_steal_pointer (&item));
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&items);
}

/* The server accepted @mutation: what it holds now is its old state with
 * the change applied, at the version the result gives. */
static gboolean
promote (SignpostCache           *self,
         Overlay                 *overlay,
         SignpostMutationResult  *result,
         Changes                 *changes,
         GError                 **error)
{
  g_auto(Row) row = { 0, };
  g_autoptr(SignpostRecord) record = NULL;
  const char *server_text;
  gint64 seq = signpost_mutation_result_get_seq (result);

  if (!read_row (self->db, overlay->record_id, &row, error))
    return FALSE;
  server_text = row.found ? (row.pending ? row.base : row.data) : NULL;
  record = server_text ? decode_record (overlay->kind, server_text, FALSE) : NULL;
  record = apply_overlay (g_steal_pointer (&record), overlay->kind, overlay->record_id, overlay,
                          self->user_id);
  if (record != NULL && overlay->op != SIGNPOST_OP_BOOK && overlay->op != SIGNPOST_OP_CANCEL &&
      signpost_mutation_result_get_version (result) > 0)
    signpost_record_set_version (record, signpost_mutation_result_get_version (result));
  /* A slot command's result carries the appointment's version; the slot
   * itself moved on by one from the version the command was checked
   * against, so a cancel straight after a booking is not refused as stale. */
  else if (record != NULL && (overlay->op == SIGNPOST_OP_BOOK || overlay->op == SIGNPOST_OP_CANCEL) &&
           signpost_mutation_get_base_version (overlay->mutation) > 0)
    signpost_record_set_version (record, signpost_mutation_get_base_version (overlay->mutation) + 1);
  if (record != NULL)
    signpost_record_set_seq (record, MAX (seq, row.seq));
  if (!set_server_state (self->db, overlay->record_id, overlay->kind, record,
                         MAX (seq, row.seq), FALSE, self->user_id, changes, error))
    return FALSE;

  if (overlay->related_id != NULL)
    {
      g_auto(Row) related = { 0, };
      g_autoptr(SignpostRecord) appointment = NULL;
      JsonNode *node = signpost_mutation_result_get_record (result);

      if (overlay->op == SIGNPOST_OP_BOOK && node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        appointment = signpost_record_new_from_json (SIGNPOST_RECORD_APPOINTMENT,
                                                     json_node_get_object (node),
                                                     SIGNPOST_DECODE_FULL, NULL);
      if (!read_row (self->db, overlay->related_id, &related, error))
        return FALSE;
      if (appointment == NULL)
        {
          server_text = related.found ? (related.pending ? related.base : related.data) : NULL;
          appointment = server_text ? decode_record (SIGNPOST_RECORD_APPOINTMENT, server_text, FALSE)
                                    : NULL;
          appointment = apply_overlay (g_steal_pointer (&appointment), SIGNPOST_RECORD_APPOINTMENT,
                                       overlay->related_id, overlay, self->user_id);
        }
      if (appointment != NULL &&
          !set_server_state (self->db, overlay->related_id, SIGNPOST_RECORD_APPOINTMENT, appointment,
                             MAX (related.seq, signpost_record_get_seq (appointment)), FALSE,
                             self->user_id, changes, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
signpost_cache_outbox_resolve (SignpostCache           *self,
                               SignpostMutationResult  *result,
                               GError                 **error)
{
  const char *mutation_id = signpost_mutation_result_get_mutation_id (result);
  g_autoptr(GPtrArray) overlays = NULL;
  g_autofree char *result_text = NULL;
  Overlay *overlay = NULL;
  Changes changes;
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), FALSE);

  /* Find the entry itself (waiting ones only: a result for anything else
   * is a late echo). */
  stmt = signpost_db_prepare (self->db,
                              "SELECT record_id FROM outbox WHERE mutation_id = ?1 AND state = 0",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "s", mutation_id))
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *record_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
      overlays = read_overlays (self->db, record_id, error);
      if (overlays == NULL)
        return FALSE;
      for (guint i = 0; i < overlays->len; i++)
        {
          Overlay *candidate = g_ptr_array_index (overlays, i);
          if (g_strcmp0 (signpost_mutation_get_mutation_id (candidate->mutation), mutation_id) == 0)
            overlay = candidate;
        }
    }
  else
    sqlite3_reset (stmt);
  if (overlay == NULL)
    return TRUE;

  result_text = signpost_object_to_string (SIGNPOST_OBJECT (result), NULL);
  changes_init (&changes);
  if (!signpost_db_begin (self->db, error))
    goto out;

  switch (signpost_mutation_result_get_status (result))
    {
    case SIGNPOST_RESULT_APPLIED:
    case SIGNPOST_RESULT_DUPLICATE:
      if (!promote (self, overlay, result, &changes, error) ||
          !signpost_db_run (self->db, "DELETE FROM outbox WHERE mutation_id = ?1", error,
                            "s", mutation_id))
        goto fail;
      break;

    case SIGNPOST_RESULT_CONFLICT:
      {
        JsonNode *node = signpost_mutation_result_get_record (result);
        g_autoptr(SignpostRecord) current = NULL;

        if (!signpost_db_run (self->db,
                              "UPDATE outbox SET state = 1, result = ?2 WHERE mutation_id = ?1",
                              error, "ss", mutation_id, result_text))
          goto fail;
        if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
          current = signpost_record_new_from_json (overlay->kind, json_node_get_object (node),
                                                   SIGNPOST_DECODE_FULL, NULL);
        if (current != NULL &&
            !set_server_state (self->db, overlay->record_id, overlay->kind, current,
                               signpost_record_get_seq (current), TRUE, self->user_id,
                               &changes, error))
          goto fail;
      }
      break;

    case SIGNPOST_RESULT_REJECTED:
    default:
      if (!signpost_db_run (self->db,
                            "UPDATE outbox SET state = 2, result = ?2 WHERE mutation_id = ?1",
                            error, "ss", mutation_id, result_text))
        goto fail;
      break;
    }

  if (!refresh_record (self->db, overlay->record_id, self->user_id, &changes, error) ||
      !refresh_record (self->db, overlay->related_id, self->user_id, &changes, error) ||
      !signpost_db_commit (self->db, error))
    goto fail;
  emit_changes (self, &changes);
  ok = TRUE;
  goto out;

fail:
  signpost_db_rollback (self->db);
out:
  changes_clear (&changes);
  return ok;
}

gboolean
signpost_cache_outbox_remove (SignpostCache  *self,
                              const char     *mutation_id,
                              GError        **error)
{
  g_autofree char *record_id = NULL;
  g_autofree char *related_id = NULL;
  sqlite3_stmt *stmt;
  Changes changes;
  gboolean ok;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), FALSE);

  stmt = signpost_db_prepare (self->db,
                              "SELECT record_id, related_id FROM outbox WHERE mutation_id = ?1",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "s", mutation_id))
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      record_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      related_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (record_id == NULL)
    return TRUE;

  changes_init (&changes);
  ok = signpost_db_begin (self->db, error) &&
       signpost_db_run (self->db, "DELETE FROM outbox WHERE mutation_id = ?1", error, "s", mutation_id) &&
       refresh_record (self->db, record_id, self->user_id, &changes, error) &&
       refresh_record (self->db, related_id, self->user_id, &changes, error) &&
       signpost_db_commit (self->db, error);
  if (!ok)
    signpost_db_rollback (self->db);
  else
    emit_changes (self, &changes);
  changes_clear (&changes);
  return ok;
}

gboolean
signpost_cache_outbox_note_attempt (SignpostCache  *self,
                                    const char     *mutation_id,
                                    const char     *message,
                                    GError        **error)
{
  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), FALSE);
  return signpost_db_run (self->db,
                          "UPDATE outbox SET attempts = attempts + 1, last_error = ?2"
                          " WHERE mutation_id = ?1",
                          error, "ss", mutation_id, message);
}
