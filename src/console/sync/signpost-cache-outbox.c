/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-sync"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "signpost-cache-private.h"
#include "signpost-sync-error.h"

static const char *
string_member (JsonObject *object,
               const char *key)
{
  JsonNode *node = object ? json_object_get_member (object, key) : NULL;

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* The outbox's rows (SignpostOutbox is the model over them) and the
 * patient views waiting to reach the audit log. */

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
  g_autofree char *now = signpost_cache_now_timestamp ();
  SignpostCacheChanges changes;
  gboolean ok;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), FALSE);

  text = signpost_object_to_string (SIGNPOST_OBJECT (mutation), NULL);
  signpost_cache_changes_init (&changes);
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
       signpost_cache_refresh_record (self->db, signpost_mutation_get_id (mutation), self->user_id, &changes, error) &&
       signpost_cache_refresh_record (self->db, related_id, self->user_id, &changes, error) &&
       signpost_db_commit (self->db, error);
  if (!ok)
    signpost_db_rollback (self->db);
  else
    signpost_cache_emit_changes (self, &changes);
  signpost_cache_changes_clear (&changes);
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
                                                string_member (object, "title"),
                                                string_member (object, "detail"));
            }
        }
      g_ptr_array_add (items, g_steal_pointer (&item));
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&items);
}

gboolean
signpost_cache_outbox_resolve (SignpostCache           *self,
                               SignpostMutationResult  *result,
                               GError                 **error)
{
  const char *mutation_id = signpost_mutation_result_get_mutation_id (result);
  g_autoptr(GPtrArray) overlays = NULL;
  g_autofree char *result_text = NULL;
  SignpostCacheOverlay *overlay = NULL;
  SignpostCacheChanges changes;
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
      overlays = signpost_cache_read_overlays (self->db, record_id, error);
      if (overlays == NULL)
        return FALSE;
      for (guint i = 0; i < overlays->len; i++)
        {
          SignpostCacheOverlay *candidate = g_ptr_array_index (overlays, i);
          if (g_strcmp0 (signpost_mutation_get_mutation_id (candidate->mutation), mutation_id) == 0)
            overlay = candidate;
        }
    }
  else
    sqlite3_reset (stmt);
  if (overlay == NULL)
    return TRUE;

  result_text = signpost_object_to_string (SIGNPOST_OBJECT (result), NULL);
  signpost_cache_changes_init (&changes);
  if (!signpost_db_begin (self->db, error))
    goto out;

  switch (signpost_mutation_result_get_status (result))
    {
    case SIGNPOST_RESULT_APPLIED:
    case SIGNPOST_RESULT_DUPLICATE:
      if (!signpost_cache_promote_overlay (self, overlay, result, &changes, error) ||
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
            !signpost_cache_set_server_state (self->db, overlay->record_id, overlay->kind, current,
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

  if (!signpost_cache_refresh_record (self->db, overlay->record_id, self->user_id, &changes, error) ||
      !signpost_cache_refresh_record (self->db, overlay->related_id, self->user_id, &changes, error) ||
      !signpost_db_commit (self->db, error))
    goto fail;
  signpost_cache_emit_changes (self, &changes);
  ok = TRUE;
  goto out;

fail:
  signpost_db_rollback (self->db);
out:
  signpost_cache_changes_clear (&changes);
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
  SignpostCacheChanges changes;
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

  signpost_cache_changes_init (&changes);
  ok = signpost_db_begin (self->db, error) &&
       signpost_db_run (self->db, "DELETE FROM outbox WHERE mutation_id = ?1", error, "s", mutation_id) &&
       signpost_cache_refresh_record (self->db, record_id, self->user_id, &changes, error) &&
       signpost_cache_refresh_record (self->db, related_id, self->user_id, &changes, error) &&
       signpost_db_commit (self->db, error);
  if (!ok)
    signpost_db_rollback (self->db);
  else
    signpost_cache_emit_changes (self, &changes);
  signpost_cache_changes_clear (&changes);
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

/* ---- patient and request views for the audit log ------------------------------ */

gboolean
signpost_cache_queue_view (SignpostCache  *self,
                           const char     *patient_id,
                           const char     *context,
                           GError        **error)
{
  g_autofree char *now = signpost_cache_now_timestamp ();

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), FALSE);
  g_return_val_if_fail (patient_id != NULL, FALSE);
  return signpost_db_run (self->db,
                          "INSERT INTO pending_views (patient_id, context, at) VALUES (?1, ?2, ?3)",
                          error, "sss", patient_id, context, now);
}

gboolean
signpost_cache_queue_request_view (SignpostCache  *self,
                                   const char     *triage_id,
                                   const char     *context,
                                   GError        **error)
{
  g_autofree char *now = signpost_cache_now_timestamp ();

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), FALSE);
  g_return_val_if_fail (triage_id != NULL, FALSE);
  return signpost_db_run (self->db,
                          "INSERT INTO pending_views (triage_id, context, at) VALUES (?1, ?2, ?3)",
                          error, "sss", triage_id, context, now);
}

static void
pending_view_free (gpointer data)
{
  SignpostPendingView *view = data;

  g_free (view->patient_id);
  g_free (view->triage_id);
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
                              "SELECT position, patient_id, context, triage_id FROM pending_views"
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
      view->triage_id = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
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
