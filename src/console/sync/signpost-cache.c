/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-sync"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "signpost-cache-private.h"
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

#define MAX_RECORD_SIZE (16 * 1024 * 1024)

enum {
  RECORDS_CHANGED,
  N_SIGNALS
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

/* ---- helpers ------------------------------------------------------------ */

void
signpost_cache_changes_init (SignpostCacheChanges *changes)
{
  changes->changed = g_ptr_array_new_with_free_func (g_object_unref);
  changes->removed = g_ptr_array_new_with_free_func (g_free);
}

void
signpost_cache_changes_clear (SignpostCacheChanges *changes)
{
  g_clear_pointer (&changes->changed, g_ptr_array_unref);
  g_clear_pointer (&changes->removed, g_ptr_array_unref);
}

void
signpost_cache_changes_add (SignpostCacheChanges *changes,
                            SignpostRecord       *record)
{
  if (changes != NULL)
    g_ptr_array_add (changes->changed, g_object_ref (record));
}

void
signpost_cache_changes_remove (SignpostCacheChanges *changes,
                               const char           *id)
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

char *
signpost_cache_now_timestamp (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  return signpost_timestamp_format (now);
}

gint64
signpost_cache_instant_ms (GDateTime *instant)
{
  return instant ? g_date_time_to_unix (instant) * 1000 + g_date_time_get_microsecond (instant) / 1000
                 : 0;
}

SignpostRecord *
signpost_cache_decode_record (SignpostRecordKind  kind,
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

char *
signpost_cache_encode_record (SignpostRecord *record)
{
  return signpost_object_to_string (SIGNPOST_OBJECT (record), NULL);
}

/* A record that no longer decodes is left out with a warning (one bad row
 * must not hide the rest); a query that fails is an error, never an empty
 * list. */
GPtrArray *
signpost_cache_collect_records (SignpostCache  *self,
                                sqlite3_stmt   *stmt,
                                GError        **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  while ((rc = signpost_db_step (self->db, stmt, error)) == SQLITE_ROW)
    {
      SignpostRecord *record = signpost_cache_decode_record (sqlite3_column_int (stmt, 0),
                                                             (const char *) sqlite3_column_text (stmt, 1),
                                                             sqlite3_column_int (stmt, 2));
      if (record != NULL)
        g_ptr_array_add (records, record);
    }
  sqlite3_reset (stmt);
  if (rc < 0)
    return NULL;
  return g_steal_pointer (&records);
}

char *
signpost_cache_states_json (const int *values)
{
  GString *json = g_string_new ("[");

  for (guint i = 0; values != NULL && values[i] >= 0; i++)
    g_string_append_printf (json, "%s%d", i ? "," : "", values[i]);
  g_string_append_c (json, ']');
  return g_string_free (json, FALSE);
}

void
signpost_cache_emit_changes (SignpostCache *self,
                             SignpostCacheChanges       *changes)
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
      !signpost_cache_migrate (self->db, &local_error))
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

/* ---- records of any kind ------------------------------------------------- */

/* NULL without @error when there is no record @id of @kind on this PC (or
 * it no longer decodes: warned, as a list leaves such a row out); NULL
 * with @error when the cache could not be asked. */
gpointer
signpost_cache_get_record (SignpostCache       *self,
                           SignpostRecordKind   kind,
                           const char          *id,
                           GError             **error)
{
  sqlite3_stmt *stmt;
  SignpostRecord *record = NULL;
  int rc;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (id == NULL)
    return NULL;
  stmt = signpost_db_prepare (self->db,
                              "SELECT kind, data, pending FROM records WHERE id = ?1", error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "s", id))
    return NULL;
  rc = signpost_db_step (self->db, stmt, error);
  if (rc < 0)
    return NULL;
  if (rc == SQLITE_ROW && sqlite3_column_int (stmt, 0) == (int) kind)
    record = signpost_cache_decode_record (kind, (const char *) sqlite3_column_text (stmt, 1),
                                           sqlite3_column_int (stmt, 2));
  sqlite3_reset (stmt);
  return record;
}

GPtrArray *
signpost_cache_list_records (SignpostCache      *self,
                             SignpostRecordKind  kind,
                             GError            **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), NULL);

  stmt = signpost_db_prepare (self->db,
                              "SELECT kind, data, pending FROM records"
                              " WHERE kind = ?1 AND data IS NOT NULL ORDER BY rid",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "i", (int) kind))
    return NULL;
  return signpost_cache_collect_records (self, stmt, error);
}

guint
signpost_cache_count_records (SignpostCache      *self,
                              SignpostRecordKind  kind,
                              GError            **error)
{
  sqlite3_stmt *stmt;
  guint count = 0;
  int rc;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), 0);

  stmt = signpost_db_prepare (self->db,
                              "SELECT count(*) FROM records WHERE kind = ?1 AND data IS NOT NULL",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "i", (int) kind))
    return 0;
  rc = signpost_db_step (self->db, stmt, error);
  if (rc == SQLITE_ROW)
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
  practice = signpost_cache_get_record (self, SIGNPOST_RECORD_PRACTICE, practice_id, NULL);
  if (practice == NULL)
    return NULL;
  name = signpost_practice_get_name (practice);
  g_hash_table_insert (self->practice_names, g_strdup (practice_id), g_strdup (name));
  return g_hash_table_lookup (self->practice_names, practice_id);
}
