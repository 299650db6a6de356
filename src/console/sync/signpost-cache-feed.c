/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-sync"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "signpost-cache-private.h"
#include "signpost-sync-error.h"

/*
 * The change feed (PROTOCOL.md, Changes): one /changes page applied in
 * one transaction, on a worker thread with its own connection
 * (synchronous=NORMAL) so the window never waits for it.
 */

#define MAX_PAGE_SIZE (256 * 1024 * 1024)

typedef struct {
  GBytes *page;
  char *user_id;
  gint64 last_seq;
  gboolean more;
  guint n_changes;
  SignpostCacheChanges changes;
} ApplyData;

static void
apply_data_free (gpointer data)
{
  ApplyData *apply = data;

  g_clear_pointer (&apply->page, g_bytes_unref);
  g_free (apply->user_id);
  signpost_cache_changes_clear (&apply->changes);
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
  return signpost_cache_set_server_state (db, signpost_change_get_id (change), signpost_change_get_kind (change),
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
  signpost_cache_emit_changes (self, &apply->changes);
  g_task_return_boolean (outer, TRUE);
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
  signpost_cache_changes_init (&apply.changes);
  ok = apply_page (self->db, &apply, error);
  if (ok)
    {
      self->last_seq = MAX (self->last_seq, apply.last_seq);
      signpost_cache_emit_changes (self, &apply.changes);
      if (last_seq)
        *last_seq = apply.last_seq;
      if (more)
        *more = apply.more;
      if (n_changes)
        *n_changes = apply.n_changes;
    }
  g_bytes_unref (apply.page);
  g_free (apply.user_id);
  signpost_cache_changes_clear (&apply.changes);
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
  signpost_cache_changes_init (&apply->changes);

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
  SignpostCacheChanges changes;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), FALSE);

  signpost_cache_changes_init (&changes);
  if (!signpost_db_begin (self->db, error))
    {
      signpost_cache_changes_clear (&changes);
      return FALSE;
    }
  for (guint i = 0; i < records->len; i++)
    {
      SignpostRecord *record = g_ptr_array_index (records, i);

      if (!signpost_cache_set_server_state (self->db, signpost_record_get_id (record),
                                            signpost_record_get_kind (record), record,
                                            signpost_record_get_seq (record), TRUE, self->user_id,
                                            &changes, error))
        {
          signpost_db_rollback (self->db);
          signpost_cache_changes_clear (&changes);
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
      signpost_cache_changes_clear (&changes);
      return FALSE;
    }
  signpost_cache_emit_changes (self, &changes);
  signpost_cache_changes_clear (&changes);
  return TRUE;
}
