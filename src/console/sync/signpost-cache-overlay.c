/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-sync"

#include "config.h"

#include <string.h>

#include "signpost-cache-private.h"

/*
 * The changes waiting in the outbox, laid over the server's records: a
 * record's row holds the server's state in `base` while it is pending and
 * `data` is that state with every waiting change applied as the server is
 * expected to apply it (signpost-booking.h for bookings). Recomputed
 * whenever either side moves.
 */

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

void
signpost_cache_overlay_free (gpointer data)
{
  SignpostCacheOverlay *overlay = data;

  g_free (overlay->record_id);
  g_free (overlay->related_id);
  g_free (overlay->practice_id);
  g_clear_object (&overlay->mutation);
  g_free (overlay);
}

GPtrArray *
signpost_cache_read_overlays (SignpostDb  *db,
                              const char  *id,
                              GError     **error)
{
  g_autoptr(GPtrArray) overlays = g_ptr_array_new_with_free_func (signpost_cache_overlay_free);
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
      SignpostCacheOverlay *overlay = g_new0 (SignpostCacheOverlay, 1);

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
          signpost_cache_overlay_free (overlay);
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
               SignpostCacheOverlay            *overlay,
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
overlay_kind_for (SignpostCacheOverlay    *overlay,
                  const char *id)
{
  if (g_strcmp0 (overlay->record_id, id) == 0)
    return overlay->kind;
  return SIGNPOST_RECORD_APPOINTMENT;
}

/* Recomputes what the console shows for @id from the server's state and
 * the changes still waiting, and re-indexes it. */
gboolean
signpost_cache_refresh_record (SignpostDb  *db,
                               const char  *id,
                               const char  *user_id,
                               SignpostCacheChanges     *changes,
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
  overlays = signpost_cache_read_overlays (db, id, error);
  if (overlays == NULL)
    return FALSE;

  server_text = row.found ? (row.pending ? row.base : row.data) : NULL;

  if (overlays->len == 0)
    {
      if (!row.found || !row.pending)
        return TRUE;
      if (server_text == NULL)
        {
          if (!signpost_cache_unindex_record (db, row.rid, row.kind, error) ||
              !signpost_db_run (db, "DELETE FROM records WHERE rid = ?1", error, "I", row.rid))
            return FALSE;
          signpost_cache_changes_remove (changes, id);
          return TRUE;
        }
      record = signpost_cache_decode_record (row.kind, server_text, FALSE);
      if (!signpost_db_run (db,
                            "UPDATE records SET pending = 0, data = base, base = NULL WHERE rid = ?1",
                            error, "I", row.rid))
        return FALSE;
      if (record == NULL)
        return TRUE;
      if (!signpost_cache_index_record (db, row.rid, record, FALSE, error))
        return FALSE;
      signpost_cache_changes_add (changes, record);
      return TRUE;
    }

  kind = row.found ? row.kind : overlay_kind_for (g_ptr_array_index (overlays, 0), id);
  record = server_text ? signpost_cache_decode_record (kind, server_text, FALSE) : NULL;
  for (guint i = 0; i < overlays->len; i++)
    record = apply_overlay (record, kind, id, g_ptr_array_index (overlays, i), user_id);
  if (record != NULL)
    {
      signpost_record_set_pending_mark (record, TRUE);
      text = signpost_cache_encode_record (record);
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
      if (!signpost_cache_index_record (db, row.rid, record, !row.found, error))
        return FALSE;
      signpost_cache_changes_add (changes, record);
    }
  else
    {
      if (row.found && !signpost_cache_unindex_record (db, row.rid, kind, error))
        return FALSE;
      signpost_cache_changes_remove (changes, id);
    }
  return TRUE;
}

/* Records what the server says @id now is (@record, or NULL for gone).
 * With @min_seq checking, an older state than the one held is ignored. */
gboolean
signpost_cache_set_server_state (SignpostDb          *db,
                                 const char          *id,
                                 SignpostRecordKind   kind,
                                 SignpostRecord      *record,
                                 gint64               seq,
                                 gboolean             check_seq,
                                 const char          *user_id,
                                 SignpostCacheChanges             *changes,
                                 GError             **error)
{
  g_auto(Row) row = { 0, };
  g_autofree char *text = NULL;

  if (!read_row (db, id, &row, error))
    return FALSE;

  if (row.found && check_seq && row.seq > seq)
    return TRUE;
  if (record != NULL)
    text = signpost_cache_encode_record (record);

  if (row.found && row.pending)
    {
      if (!signpost_db_run (db,
                            "UPDATE records SET base = ?2, version = ?3, seq = ?4,"
                            " practice_id = coalesce (?5, practice_id) WHERE rid = ?1",
                            error, "IsIIs", row.rid, text,
                            record ? signpost_record_get_version (record) : (gint64) 0, seq,
                            record ? signpost_record_get_practice_id (record) : NULL))
        return FALSE;
      return signpost_cache_refresh_record (db, id, user_id, changes, error);
    }

  if (row.found)
    {
      if (record == NULL)
        {
          if (!signpost_cache_unindex_record (db, row.rid, row.kind, error) ||
              !signpost_db_run (db, "DELETE FROM records WHERE rid = ?1", error, "I", row.rid))
            return FALSE;
          signpost_cache_changes_remove (changes, id);
          return TRUE;
        }
      if (row.kind != kind && !signpost_cache_unindex_record (db, row.rid, row.kind, error))
        return FALSE;
      if (!signpost_db_run (db,
                            "UPDATE records SET kind = ?2, practice_id = ?3, version = ?4, seq = ?5,"
                            " data = ?6 WHERE rid = ?1",
                            error, "IisIIs", row.rid, (int) kind,
                            signpost_record_get_practice_id (record),
                            signpost_record_get_version (record), seq, text) ||
          !signpost_cache_index_record (db, row.rid, record, row.kind != kind, error))
        return FALSE;
      signpost_record_set_pending_mark (record, FALSE);
      signpost_cache_changes_add (changes, record);
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
      !signpost_cache_index_record (db, sqlite3_last_insert_rowid (signpost_db_get_handle (db)), record, TRUE, error))
    return FALSE;
  signpost_record_set_pending_mark (record, FALSE);
  signpost_cache_changes_add (changes, record);
  return TRUE;
}

/* The server accepted @mutation: what it holds now is its old state with
 * the change applied, at the version the result gives. */
gboolean
signpost_cache_promote_overlay (SignpostCache           *self,
                                SignpostCacheOverlay    *overlay,
                                SignpostMutationResult  *result,
                                SignpostCacheChanges    *changes,
                                GError                 **error)
{
  g_auto(Row) row = { 0, };
  g_autoptr(SignpostRecord) record = NULL;
  const char *server_text;
  gint64 seq = signpost_mutation_result_get_seq (result);
  JsonNode *node = signpost_mutation_result_get_record (result);
  gboolean same_record = overlay->op != SIGNPOST_OP_BOOK && overlay->op != SIGNPOST_OP_CANCEL &&
                         overlay->op != SIGNPOST_OP_DELETE;

  if (!read_row (self->db, overlay->record_id, &row, error))
    return FALSE;
  server_text = row.found ? (row.pending ? row.base : row.data) : NULL;

  /* The server says what it holds now (its times, its own fields): take
   * that, as the feed would bring it, unless the feed already brought
   * something newer. Only without it is the change worked out here. */
  if (same_record && row.found && row.seq > seq && server_text != NULL)
    record = signpost_cache_decode_record (overlay->kind, server_text, FALSE);
  else if (same_record && node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      record = signpost_record_new_from_json (overlay->kind, json_node_get_object (node),
                                              SIGNPOST_DECODE_FULL, NULL);
      if (record != NULL && g_strcmp0 (signpost_record_get_id (record), overlay->record_id) != 0)
        g_clear_object (&record);
    }
  if (record == NULL)
    {
      record = server_text ? signpost_cache_decode_record (overlay->kind, server_text, FALSE) : NULL;
      record = apply_overlay (g_steal_pointer (&record), overlay->kind, overlay->record_id, overlay,
                              self->user_id);
    }
  if (record != NULL && overlay->op != SIGNPOST_OP_BOOK && overlay->op != SIGNPOST_OP_CANCEL &&
      signpost_record_get_seq (record) < seq && signpost_mutation_result_get_version (result) > 0)
    signpost_record_set_version (record, signpost_mutation_result_get_version (result));
  /* A slot command's result carries the appointment's version; the slot
   * itself moved on by one from the version the command was checked
   * against, so a cancel straight after a booking is not refused as stale. */
  else if (record != NULL && (overlay->op == SIGNPOST_OP_BOOK || overlay->op == SIGNPOST_OP_CANCEL) &&
           signpost_mutation_get_base_version (overlay->mutation) > 0)
    signpost_record_set_version (record, signpost_mutation_get_base_version (overlay->mutation) + 1);
  if (record != NULL)
    signpost_record_set_seq (record, MAX (seq, row.seq));
  if (!signpost_cache_set_server_state (self->db, overlay->record_id, overlay->kind, record,
                                        MAX (seq, row.seq), FALSE, self->user_id, changes, error))
    return FALSE;

  if (overlay->related_id != NULL)
    {
      g_auto(Row) related = { 0, };
      g_autoptr(SignpostRecord) appointment = NULL;

      if (overlay->op == SIGNPOST_OP_BOOK && node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        appointment = signpost_record_new_from_json (SIGNPOST_RECORD_APPOINTMENT,
                                                     json_node_get_object (node),
                                                     SIGNPOST_DECODE_FULL, NULL);
      if (!read_row (self->db, overlay->related_id, &related, error))
        return FALSE;
      if (appointment == NULL)
        {
          server_text = related.found ? (related.pending ? related.base : related.data) : NULL;
          appointment = server_text ? signpost_cache_decode_record (SIGNPOST_RECORD_APPOINTMENT, server_text, FALSE)
                                    : NULL;
          appointment = apply_overlay (g_steal_pointer (&appointment), SIGNPOST_RECORD_APPOINTMENT,
                                       overlay->related_id, overlay, self->user_id);
        }
      if (appointment != NULL &&
          !signpost_cache_set_server_state (self->db, overlay->related_id, SIGNPOST_RECORD_APPOINTMENT, appointment,
                                            MAX (related.seq, signpost_record_get_seq (appointment)), FALSE,
                                            self->user_id, changes, error))
        return FALSE;
    }
  return TRUE;
}
