/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "signpost-sqlite-store-private.h"

/*
 * The embedded store: one SQLite file in WAL mode with synchronous=FULL
 * (SignpostDb's default), so a committed transaction survives a power cut.
 * Every record is one row holding its canonical JSON; the few fields that
 * queries need are reached through json_extract() expression indexes. All
 * SQLite specifics stay in the store's files, which share
 * signpost-sqlite-store-private.h (it lists them); this one holds
 * transactions, records, mutations and the object.
 */

static void signpost_sqlite_store_iface_init (SignpostStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SignpostSqliteStore, signpost_sqlite_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SIGNPOST_TYPE_STORE,
                                                      signpost_sqlite_store_iface_init))

const char *
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
GPtrArray *
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

gint64
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

gint64
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

/*
 * One reader's feed: a branch per practice, read in seq order from
 * records_practice_seq, and one per kind followed everywhere, from
 * records_kind_seq. SQLite merges the branches of a compound SELECT
 * ordered by seq (MERGE (UNION ALL), each branch an index range) and stops
 * at the limit, so a page costs its own rows and an index probe per
 * branch, whatever else the database holds. One statement, one snapshot:
 * no change is skipped for a later one. The text depends only on the
 * number of practices and kinds.
 */
static const char *
feed_in_sql (guint n_practices,
             guint n_kinds)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GString) elsewhere = g_string_new (NULL);
  guint branches = 0;

  /* ?1 since, ?2 rows, ?3… the kinds, then the practices. */
  for (guint k = 0; k < n_kinds; k++)
    g_string_append_printf (elsewhere, "%s?%u", k > 0 ? ", " : " AND kind NOT IN (", 3 + k);
  if (n_kinds > 0)
    g_string_append_c (elsewhere, ')');
  for (guint i = 0; i < n_practices; i++)
    g_string_append_printf (sql,
                            "%sSELECT seq, kind, id, practice_id, version, deleted, data "
                            "FROM records WHERE practice_id = ?%u AND seq > ?1%s",
                            branches++ > 0 ? " UNION ALL " : "", 3 + n_kinds + i, elsewhere->str);
  for (guint k = 0; k < n_kinds; k++)
    g_string_append_printf (sql,
                            "%sSELECT seq, kind, id, practice_id, version, deleted, data "
                            "FROM records WHERE kind = ?%u AND seq > ?1",
                            branches++ > 0 ? " UNION ALL " : "", 3 + k);
  g_string_append (sql, " ORDER BY seq LIMIT ?2");
  /* Prepared statements are kept by their text, which must outlive them. */
  return g_intern_string (sql->str);
}

static gboolean
sqlite_foreach_change_in (SignpostStore             *store,
                          gint64                     since,
                          const char * const        *practice_ids,
                          guint                      everywhere,
                          guint                      max_rows,
                          SignpostStoredChangeFunc   func,
                          gpointer                   user_data,
                          GError                   **error)
{
  SignpostDb *db = SIGNPOST_SQLITE_STORE (store)->db;
  g_autoptr(GPtrArray) kinds = g_ptr_array_new ();
  guint n_practices = practice_ids != NULL ? g_strv_length ((char **) practice_ids) : 0;
  sqlite3_stmt *stmt;
  int index = 3;
  int rc = SQLITE_OK;

  for (guint kind = 0; kind < 32; kind++)
    if ((everywhere & (1u << kind)) != 0 && signpost_record_kind_to_string (kind) != NULL)
      g_ptr_array_add (kinds, (gpointer) signpost_record_kind_to_string (kind));
  if (n_practices == 0 && kinds->len == 0)
    return TRUE;
  stmt = signpost_db_prepare_literal_ (db, feed_in_sql (n_practices, kinds->len), error);
  if (stmt == NULL ||
      !signpost_db_bind (stmt, error, "Ii", since, (int) MIN (max_rows, (guint) G_MAXINT)))
    return FALSE;
  for (guint k = 0; rc == SQLITE_OK && k < kinds->len; k++)
    rc = sqlite3_bind_text (stmt, index++, g_ptr_array_index (kinds, k), -1, SQLITE_STATIC);
  for (guint i = 0; rc == SQLITE_OK && i < n_practices; i++)
    rc = sqlite3_bind_text (stmt, index++, practice_ids[i], -1, SQLITE_TRANSIENT);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_STORAGE, "could not bind the feed's practices");
      sqlite3_reset (stmt);
      return FALSE;
    }
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

  /* The fields that identify a patient are read from the data here: a
   * json_extract () for each costs more than finding them in the text. */
  stmt = signpost_db_prepare (db,
                              "SELECT id, version, data FROM records "
                              "WHERE kind = 'patient' AND practice_id = ?1 AND deleted = 0",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "s", practice_id))
    return FALSE;
  while ((rc = signpost_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      const char *data = column_text (stmt, 2);
      gsize length = sqlite3_column_bytes (stmt, 2);
      g_autofree char *ref = NULL, *nhs = NULL, *family = NULL, *given = NULL, *born = NULL;
      g_autofree char *temporary = NULL;
      gboolean left_null = TRUE;
      SignpostStoredPatient patient = {
        .id = column_text (stmt, 0),
        .version = sqlite3_column_int64 (stmt, 1),
        .data = data,
        .data_length = length,
      };

      signpost_json_canonical_member (data, length, "patient_ref", &ref, NULL);
      signpost_json_canonical_member (data, length, "nhs_number", &nhs, NULL);
      signpost_json_canonical_member (data, length, "family_name", &family, NULL);
      signpost_json_canonical_member (data, length, "given_name", &given, NULL);
      signpost_json_canonical_member (data, length, "date_of_birth", &born, NULL);
      signpost_json_canonical_member (data, length, "temporary", &temporary, NULL);
      if (!signpost_json_canonical_member (data, length, "left_at", NULL, &left_null))
        left_null = TRUE;
      patient.patient_ref = ref;
      patient.nhs_number = nhs;
      patient.family_name = family;
      patient.given_name = given;
      patient.date_of_birth = born;
      patient.left = !left_null;
      patient.temporary = g_strcmp0 (temporary, "true") == 0;
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
  iface->foreach_change_in = sqlite_foreach_change_in;
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
      !signpost_db_migrate (self->db, sqlite_migrations, sqlite_n_migrations, error) ||
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
