/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "signpost-db.h"
#include "signpost-error.h"

/*
 * A SQLite connection set up the way every Signpost database wants it: WAL,
 * a busy timeout, foreign keys, and (unless told otherwise) synchronous=FULL
 * so that an acknowledged write survives a power cut. Prepared statements
 * are cached by their SQL text (always a literal, so the pointer is stable
 * and the set is bounded).
 */

#define BUSY_TIMEOUT_MS 5000

struct _SignpostDb
{
  GObject parent_instance;

  sqlite3 *handle;
  char *path;
  GHashTable *statements; /* const char *sql → sqlite3_stmt * */
  guint transaction_depth;
};

G_DEFINE_FINAL_TYPE (SignpostDb, signpost_db, G_TYPE_OBJECT)

void
signpost_db_set_error (SignpostDb  *self,
                       GError     **error,
                       const char  *what)
{
  int code = sqlite3_extended_errcode (self->handle);
  SignpostErrorCode ecode = SIGNPOST_ERROR_STORAGE;

  if ((code & 0xff) == SQLITE_CONSTRAINT)
    ecode = SIGNPOST_ERROR_CONFLICT;
  g_set_error (error, SIGNPOST_ERROR, ecode, "%s: %s (%d)", what,
               sqlite3_errmsg (self->handle), code);
}

static void
finalize_statement (gpointer data)
{
  sqlite3_finalize (data);
}

static void
signpost_db_finalize (GObject *object)
{
  SignpostDb *self = SIGNPOST_DB (object);

  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->handle != NULL)
    {
      /* Checkpoint is best effort; the WAL is replayed on the next open. */
      sqlite3_close_v2 (self->handle);
      self->handle = NULL;
    }
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (signpost_db_parent_class)->finalize (object);
}

static void
signpost_db_class_init (SignpostDbClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = signpost_db_finalize;
}

static void
signpost_db_init (SignpostDb *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, finalize_statement);
}

SignpostDb *
signpost_db_open (const char       *path,
                  SignpostDbFlags   flags,
                  GError          **error)
{
  g_autoptr(SignpostDb) self = NULL;
  int open_flags;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (SIGNPOST_TYPE_DB, NULL);
  self->path = g_strdup (path);
  open_flags = (flags & SIGNPOST_DB_READ_ONLY) ? SQLITE_OPEN_READONLY
                                               : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  open_flags |= SQLITE_OPEN_NOMUTEX;
  rc = sqlite3_open_v2 (path, &self->handle, open_flags, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_STORAGE,
                   _("Could not open the database “%s”: %s"), path,
                   self->handle ? sqlite3_errmsg (self->handle) : sqlite3_errstr (rc));
      return NULL;
    }
  sqlite3_extended_result_codes (self->handle, 1);
  sqlite3_busy_timeout (self->handle, BUSY_TIMEOUT_MS);

  if (!(flags & SIGNPOST_DB_READ_ONLY) &&
      !signpost_db_exec (self, "PRAGMA journal_mode=WAL", error))
    return NULL;
  if (!signpost_db_exec (self, "PRAGMA foreign_keys=ON", error))
    return NULL;
  if ((flags & SIGNPOST_DB_NO_SYNC)
      ? !signpost_db_exec (self, "PRAGMA synchronous=NORMAL", error)
      : !signpost_db_exec (self, "PRAGMA synchronous=FULL", error))
    return NULL;

  return g_steal_pointer (&self);
}

sqlite3 *
signpost_db_get_handle (SignpostDb *self)
{
  g_return_val_if_fail (SIGNPOST_IS_DB (self), NULL);
  return self->handle;
}

const char *
signpost_db_get_path (SignpostDb *self)
{
  g_return_val_if_fail (SIGNPOST_IS_DB (self), NULL);
  return self->path;
}

gboolean
signpost_db_exec_literal_ (SignpostDb  *self,
                           const char  *sql,
                           GError     **error)
{
  char *message = NULL;

  g_return_val_if_fail (SIGNPOST_IS_DB (self), FALSE);

  if (sqlite3_exec (self->handle, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      int code = sqlite3_extended_errcode (self->handle);
      g_set_error (error, SIGNPOST_ERROR,
                   (code & 0xff) == SQLITE_CONSTRAINT ? SIGNPOST_ERROR_CONFLICT
                                                      : SIGNPOST_ERROR_STORAGE,
                   "%s (%d)", message ? message : sqlite3_errmsg (self->handle), code);
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

/* Returns a reset statement with no bindings, owned by @self. */
sqlite3_stmt *
signpost_db_prepare_literal_ (SignpostDb  *self,
                              const char  *sql,
                              GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SIGNPOST_IS_DB (self), NULL);

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  if (sqlite3_prepare_v3 (self->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL)
      != SQLITE_OK)
    {
      signpost_db_set_error (self, error, "prepare");
      return NULL;
    }
  g_hash_table_insert (self->statements, (gpointer) sql, stmt);
  return stmt;
}

/* @types has one letter per parameter, in order:
 *   s  const char *  (NULL binds NULL)
 *   i  int
 *   I  gint64
 *   d  double
 *   b  boolean (int)
 *   n  NULL (no argument)
 *   B  const void *, gsize: a blob
 */
gboolean
signpost_db_bind_valist (sqlite3_stmt  *stmt,
                         GError       **error,
                         const char    *types,
                         va_list        args)
{
  int index = 1;
  int rc = SQLITE_OK;

  for (const char *t = types ? types : ""; *t != '\0' && rc == SQLITE_OK; t++, index++)
    {
      switch (*t)
        {
        case 's':
          {
            const char *text = va_arg (args, const char *);
            rc = text ? sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT)
                      : sqlite3_bind_null (stmt, index);
          }
          break;
        case 'i':
        case 'b':
          rc = sqlite3_bind_int (stmt, index, va_arg (args, int));
          break;
        case 'I':
          rc = sqlite3_bind_int64 (stmt, index, va_arg (args, gint64));
          break;
        case 'd':
          rc = sqlite3_bind_double (stmt, index, va_arg (args, double));
          break;
        case 'n':
          rc = sqlite3_bind_null (stmt, index);
          break;
        case 'B':
          {
            const void *data = va_arg (args, const void *);
            gsize len = va_arg (args, gsize);
            rc = sqlite3_bind_blob64 (stmt, index, data, len, SQLITE_TRANSIENT);
          }
          break;
        default:
          g_critical ("Unknown binding type '%c'", *t);
          rc = SQLITE_MISUSE;
          break;
        }
    }
  if (rc != SQLITE_OK)
    {
      g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_STORAGE,
                   "bind parameter %d: %s", index - 1, sqlite3_errstr (rc));
      return FALSE;
    }
  return TRUE;
}

gboolean
signpost_db_bind (sqlite3_stmt  *stmt,
                  GError       **error,
                  const char    *types,
                  ...)
{
  va_list args;
  gboolean ok;

  va_start (args, types);
  ok = signpost_db_bind_valist (stmt, error, types, args);
  va_end (args);
  return ok;
}

/* Steps @stmt once: returns SQLITE_ROW, SQLITE_DONE, or -1 with @error set
 * (and the statement reset). */
int
signpost_db_step (SignpostDb    *self,
                  sqlite3_stmt  *stmt,
                  GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    return rc;
  signpost_db_set_error (self, error, "step");
  sqlite3_reset (stmt);
  return -1;
}

/* Prepares, binds, and runs a statement to completion (ignoring rows). */
gboolean
signpost_db_run_literal_ (SignpostDb  *self,
                          const char  *sql,
                          GError     **error,
                          const char  *types,
                          ...)
{
  sqlite3_stmt *stmt;
  va_list args;
  gboolean ok;
  int rc;

  stmt = signpost_db_prepare_literal_ (self, sql, error);
  if (stmt == NULL)
    return FALSE;
  va_start (args, types);
  ok = signpost_db_bind_valist (stmt, error, types, args);
  va_end (args);
  if (!ok)
    return FALSE;
  while ((rc = signpost_db_step (self, stmt, error)) == SQLITE_ROW)
    ;
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE;
}

gint64
signpost_db_changes (SignpostDb *self)
{
  return sqlite3_changes64 (self->handle);
}

/* Transactions nest: only the outermost begin/commit touch SQLite. Writers
 * take the lock up front (IMMEDIATE) so two writers never deadlock on an
 * upgrade from a read lock. */
gboolean
signpost_db_begin (SignpostDb  *self,
                   GError     **error)
{
  if (self->transaction_depth == 0 && !signpost_db_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  self->transaction_depth++;
  return TRUE;
}

gboolean
signpost_db_commit (SignpostDb  *self,
                    GError     **error)
{
  g_return_val_if_fail (self->transaction_depth > 0, FALSE);

  if (self->transaction_depth == 1 && !signpost_db_exec (self, "COMMIT", error))
    {
      signpost_db_rollback (self);
      return FALSE;
    }
  self->transaction_depth--;
  return TRUE;
}

void
signpost_db_rollback (SignpostDb *self)
{
  if (self->transaction_depth == 0)
    return;
  self->transaction_depth = 0;
  if (sqlite3_get_autocommit (self->handle) == 0)
    signpost_db_exec (self, "ROLLBACK", NULL);
}

gboolean
signpost_db_in_transaction (SignpostDb *self)
{
  return self->transaction_depth > 0;
}

int
signpost_db_get_user_version (SignpostDb *self)
{
  sqlite3_stmt *stmt = signpost_db_prepare (self, "PRAGMA user_version", NULL);
  int version = -1;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return version;
}

static gboolean
set_user_version (SignpostDb  *self,
                  int          version,
                  GError     **error)
{
  /* PRAGMA takes no bound parameters; the value is an int we format. */
  g_autofree char *sql = g_strdup_printf ("PRAGMA user_version=%d", version);

  return signpost_db_exec_literal_ (self, sql, error);
}

/* Runs every step newer than the database, each in its own transaction, so
 * an interrupted upgrade resumes at the step that failed. A database newer
 * than this program is refused rather than guessed at. */
gboolean
signpost_db_migrate (SignpostDb               *self,
                     const SignpostMigration  *steps,
                     guint                     n_steps,
                     GError                  **error)
{
  int current;
  int newest = 0;

  g_return_val_if_fail (SIGNPOST_IS_DB (self), FALSE);

  for (guint i = 0; i < n_steps; i++)
    {
      g_return_val_if_fail (steps[i].version == newest + 1, FALSE);
      newest = steps[i].version;
    }

  current = signpost_db_get_user_version (self);
  if (current < 0)
    {
      signpost_db_set_error (self, error, "user_version");
      return FALSE;
    }
  if (current > newest)
    {
      g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_STORAGE,
                   _("The database “%s” has schema version %d, newer than this program "
                     "understands (%d); use a newer Signpost"),
                   self->path, current, newest);
      return FALSE;
    }

  for (guint i = 0; i < n_steps; i++)
    {
      const SignpostMigration *step = &steps[i];

      if (step->version <= current)
        continue;
      if (!signpost_db_begin (self, error))
        return FALSE;
      if ((step->sql != NULL && !signpost_db_exec_literal_ (self, step->sql, error)) ||
          (step->apply != NULL && !step->apply (self, error)) ||
          !set_user_version (self, step->version, error))
        {
          signpost_db_rollback (self);
          g_prefix_error (error, _("Upgrading the database to version %d: "), step->version);
          return FALSE;
        }
      if (!signpost_db_commit (self, error))
        return FALSE;
      g_debug ("Migrated %s to schema version %d", self->path, step->version);
    }
  return TRUE;
}
