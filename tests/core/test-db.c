/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <string.h>

#include "signpost-core.h"

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("signpost-test-db-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "test.db", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (f->dir, name, NULL);
      g_assert_cmpint (g_unlink (file), ==, 0);
    }
  g_assert_cmpint (g_rmdir (f->dir), ==, 0);
  g_free (f->path);
  g_free (f->dir);
}

static SignpostDb *
open_db (Fixture         *f,
         SignpostDbFlags  flags)
{
  g_autoptr(GError) error = NULL;
  SignpostDb *db = signpost_db_open (f->path, flags, &error);

  g_assert_no_error (error);
  g_assert_nonnull (db);
  return db;
}

static gint64
query_int (SignpostDb *db,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (signpost_db_get_handle (db), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static char *
query_text (SignpostDb *db,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value;

  g_assert_cmpint (sqlite3_prepare_v2 (signpost_db_get_handle (db), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static gboolean
table_exists (SignpostDb *db,
              const char *name)
{
  sqlite3_stmt *stmt = signpost_db_prepare (db, "SELECT count(*) FROM sqlite_schema "
                                                "WHERE type = 'table' AND name = ?", NULL);
  gboolean exists;

  g_assert_nonnull (stmt);
  g_assert_true (signpost_db_bind (stmt, NULL, "s", name));
  g_assert_cmpint (signpost_db_step (db, stmt, NULL), ==, SQLITE_ROW);
  exists = sqlite3_column_int (stmt, 0) > 0;
  sqlite3_reset (stmt);
  return exists;
}

/* ---- opening ------------------------------------------------------------ */

static void
test_open (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(SignpostDb) db = open_db (f, SIGNPOST_DB_DEFAULT);
  g_autofree char *journal = query_text (db, "PRAGMA journal_mode");

  g_assert_cmpstr (signpost_db_get_path (db), ==, f->path);
  g_assert_true (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_assert_cmpstr (journal, ==, "wal");
  g_assert_cmpint (query_int (db, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (query_int (db, "PRAGMA synchronous"), ==, 2); /* FULL */
  g_assert_cmpint (query_int (db, "PRAGMA busy_timeout"), >, 0);
  g_assert_cmpint (signpost_db_get_user_version (db), ==, 0);
  g_assert_false (signpost_db_in_transaction (db));
}

static void
test_open_no_sync (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(SignpostDb) db = open_db (f, SIGNPOST_DB_NO_SYNC);
  g_autofree char *journal = query_text (db, "PRAGMA journal_mode");

  g_assert_cmpstr (journal, ==, "wal");
  g_assert_cmpint (query_int (db, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (query_int (db, "PRAGMA synchronous"), ==, 1); /* NORMAL */
}

static void
test_open_fails (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *missing_dir = g_build_filename (f->dir, "no-such-dir", "test.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SignpostDb) db = signpost_db_open (missing_dir, SIGNPOST_DB_DEFAULT, &error);
  g_autoptr(SignpostDb) ro = NULL;

  g_assert_null (db);
  g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_STORAGE);
  g_clear_error (&error);

  /* Read-only never creates. */
  ro = signpost_db_open (f->path, SIGNPOST_DB_READ_ONLY, &error);
  g_assert_null (ro);
  g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_STORAGE);
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
}

static void
test_read_only (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SignpostDb) ro = NULL;

  {
    g_autoptr(SignpostDb) db = open_db (f, SIGNPOST_DB_DEFAULT);
    g_assert_true (signpost_db_exec (db, "CREATE TABLE t (x)", &error));
    g_assert_no_error (error);
  }

  ro = open_db (f, SIGNPOST_DB_READ_ONLY);
  g_assert_true (table_exists (ro, "t"));
  g_assert_false (signpost_db_exec (ro, "INSERT INTO t VALUES (1)", &error));
  g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_STORAGE);
}

static void
test_foreign_keys (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(SignpostDb) db = open_db (f, SIGNPOST_DB_DEFAULT);
  g_autoptr(GError) error = NULL;

  g_assert_true (signpost_db_exec (db,
                                   "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
                                   "CREATE TABLE child (id INTEGER PRIMARY KEY,"
                                   "  parent_id INTEGER NOT NULL REFERENCES parent (id))",
                                   &error));
  g_assert_no_error (error);
  g_assert_false (signpost_db_run (db, "INSERT INTO child (parent_id) VALUES (?)", &error, "i", 1));
  /* A constraint failure is a conflict, not a broken database. */
  g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_CONFLICT);
  g_clear_error (&error);

  g_assert_true (signpost_db_run (db, "INSERT INTO parent (id) VALUES (?)", &error, "i", 1));
  g_assert_true (signpost_db_run (db, "INSERT INTO child (parent_id) VALUES (?)", &error, "i", 1));
  g_assert_no_error (error);
}

/* ---- migrations --------------------------------------------------------- */

static guint apply_calls;

static gboolean
apply_seed (SignpostDb  *db,
            GError     **error)
{
  apply_calls++;
  return signpost_db_run (db, "INSERT INTO settings (key, value) VALUES (?, ?)", error,
                          "ss", "schema", "three");
}

static gboolean
apply_fail (SignpostDb  *db,
            GError     **error)
{
  apply_calls++;
  g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_FAILED, "seed data refused");
  return FALSE;
}

static const SignpostMigration schema[] = {
  { 1, "CREATE TABLE patient (id TEXT PRIMARY KEY, name TEXT NOT NULL)", NULL },
  { 2, "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT);"
       "ALTER TABLE patient ADD COLUMN nhs_number TEXT", NULL },
  { 3, "CREATE INDEX patient_nhs ON patient (nhs_number)", apply_seed },
};

static void
test_migrate_fresh (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(SignpostDb) db = open_db (f, SIGNPOST_DB_DEFAULT);
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  apply_calls = 0;
  g_assert_true (signpost_db_migrate (db, schema, G_N_ELEMENTS (schema), &error));
  g_assert_no_error (error);
  g_assert_cmpint (signpost_db_get_user_version (db), ==, 3);
  g_assert_cmpuint (apply_calls, ==, 1);
  g_assert_true (table_exists (db, "patient"));
  g_assert_true (table_exists (db, "settings"));
  g_assert_false (signpost_db_in_transaction (db));
  value = query_text (db, "SELECT value FROM settings WHERE key = 'schema'");
  g_assert_cmpstr (value, ==, "three");

  /* Running it again is a no-op (step 1 would fail if it ran twice). */
  g_assert_true (signpost_db_migrate (db, schema, G_N_ELEMENTS (schema), &error));
  g_assert_no_error (error);
  g_assert_cmpint (signpost_db_get_user_version (db), ==, 3);
  g_assert_cmpuint (apply_calls, ==, 1);

  /* And again after reopening. */
  g_clear_object (&db);
  db = open_db (f, SIGNPOST_DB_DEFAULT);
  g_assert_cmpint (signpost_db_get_user_version (db), ==, 3);
  g_assert_true (signpost_db_migrate (db, schema, G_N_ELEMENTS (schema), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (apply_calls, ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM settings"), ==, 1);
}

static void
test_migrate_partial (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  apply_calls = 0;
  {
    /* An older program knew only step 1. */
    g_autoptr(SignpostDb) db = open_db (f, SIGNPOST_DB_DEFAULT);
    g_assert_true (signpost_db_migrate (db, schema, 1, &error));
    g_assert_no_error (error);
    g_assert_cmpint (signpost_db_get_user_version (db), ==, 1);
    g_assert_true (table_exists (db, "patient"));
    g_assert_false (table_exists (db, "settings"));
    g_assert_true (signpost_db_run (db, "INSERT INTO patient (id, name) VALUES (?, ?)", &error,
                                    "ss", "p1", "Zofia Testperson"));
  }
  {
    g_autoptr(SignpostDb) db = open_db (f, SIGNPOST_DB_DEFAULT);
    g_autofree char *name = NULL;

    g_assert_true (signpost_db_migrate (db, schema, G_N_ELEMENTS (schema), &error));
    g_assert_no_error (error);
    g_assert_cmpint (signpost_db_get_user_version (db), ==, 3);
    g_assert_true (table_exists (db, "settings"));
    g_assert_cmpuint (apply_calls, ==, 1);
    /* The data from before the upgrade is still there. */
    name = query_text (db, "SELECT name FROM patient WHERE id = 'p1'");
    g_assert_cmpstr (name, ==, "Zofia Testperson");
    g_assert_cmpint (query_int (db, "SELECT count(*) FROM patient WHERE nhs_number IS NULL"), ==, 1);
  }
}

static void
test_migrate_failing_step (Fixture       *f,
                           gconstpointer  data)
{
  static const SignpostMigration broken_sql[] = {
    { 1, "CREATE TABLE patient (id TEXT PRIMARY KEY, name TEXT NOT NULL)", NULL },
    { 2, "CREATE TABLE half_done (x); INSERT INTO no_such_table VALUES (1)", NULL },
    { 3, "CREATE TABLE never (x)", NULL },
  };
  static const SignpostMigration broken_apply[] = {
    { 1, "CREATE TABLE patient (id TEXT PRIMARY KEY, name TEXT NOT NULL)", NULL },
    { 2, "CREATE TABLE half_done (x)", apply_fail },
    { 3, "CREATE TABLE never (x)", NULL },
  };
  g_autoptr(SignpostDb) db = open_db (f, SIGNPOST_DB_DEFAULT);
  g_autoptr(GError) error = NULL;

  g_assert_false (signpost_db_migrate (db, broken_sql, G_N_ELEMENTS (broken_sql), &error));
  g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_STORAGE);
  g_assert_nonnull (strstr (error->message, "version 2"));
  g_assert_nonnull (strstr (error->message, "no_such_table"));
  g_clear_error (&error);
  /* Step 1 stays done; step 2 left nothing behind; step 3 never ran. */
  g_assert_cmpint (signpost_db_get_user_version (db), ==, 1);
  g_assert_true (table_exists (db, "patient"));
  g_assert_false (table_exists (db, "half_done"));
  g_assert_false (table_exists (db, "never"));
  g_assert_false (signpost_db_in_transaction (db));

  /* A failing apply() rolls back its step's SQL as well. */
  apply_calls = 0;
  g_assert_false (signpost_db_migrate (db, broken_apply, G_N_ELEMENTS (broken_apply), &error));
  g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "seed data refused"));
  g_clear_error (&error);
  g_assert_cmpuint (apply_calls, ==, 1);
  g_assert_cmpint (signpost_db_get_user_version (db), ==, 1);
  g_assert_false (table_exists (db, "half_done"));
  g_assert_false (table_exists (db, "never"));

  /* Fixed steps pick up where it stopped. */
  g_assert_true (signpost_db_migrate (db, schema, G_N_ELEMENTS (schema), &error));
  g_assert_no_error (error);
  g_assert_cmpint (signpost_db_get_user_version (db), ==, 3);
}

static void
test_migrate_newer (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(SignpostDb) db = open_db (f, SIGNPOST_DB_DEFAULT);
  g_autoptr(GError) error = NULL;

  g_assert_true (signpost_db_exec (db, "PRAGMA user_version=4", &error));
  g_assert_cmpint (signpost_db_get_user_version (db), ==, 4);

  apply_calls = 0;
  g_assert_false (signpost_db_migrate (db, schema, G_N_ELEMENTS (schema), &error));
  g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_STORAGE);
  g_assert_nonnull (strstr (error->message, "newer"));
  g_assert_cmpint (signpost_db_get_user_version (db), ==, 4);
  g_assert_false (table_exists (db, "patient"));
  g_assert_cmpuint (apply_calls, ==, 0);
}

/* ---- bindings ----------------------------------------------------------- */

static void
test_bind_types (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(SignpostDb) db = open_db (f, SIGNPOST_DB_DEFAULT);
  g_autoptr(GError) error = NULL;
  static const guchar blob[] = { 0x00, 0x01, 0xff, 0x00, 'x' };
  sqlite3_stmt *stmt;

  g_assert_true (signpost_db_exec (db, "CREATE TABLE t (s, i, big, d, n, b, flag, null_s)", &error));
  g_assert_true (signpost_db_run (db, "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?)", &error,
                                  "siIdnBbs",
                                  "Siân O’Brien", 42, (gint64) G_MAXINT64, 0.25,
                                  blob, sizeof blob, TRUE, NULL));
  g_assert_no_error (error);
  g_assert_cmpint (signpost_db_changes (db), ==, 1);

  stmt = signpost_db_prepare (db, "SELECT s, i, big, d, n, b, flag, null_s FROM t", &error);
  g_assert_nonnull (stmt);
  g_assert_cmpint (signpost_db_step (db, stmt, &error), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_type (stmt, 0), ==, SQLITE_TEXT);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "Siân O’Brien");
  g_assert_cmpint (sqlite3_column_type (stmt, 1), ==, SQLITE_INTEGER);
  g_assert_cmpint (sqlite3_column_int (stmt, 1), ==, 42);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 2), ==, G_MAXINT64);
  g_assert_cmpint (sqlite3_column_type (stmt, 3), ==, SQLITE_FLOAT);
  g_assert_cmpfloat (sqlite3_column_double (stmt, 3), ==, 0.25);
  g_assert_cmpint (sqlite3_column_type (stmt, 4), ==, SQLITE_NULL);
  g_assert_cmpint (sqlite3_column_type (stmt, 5), ==, SQLITE_BLOB);
  g_assert_cmpmem (sqlite3_column_blob (stmt, 5), sqlite3_column_bytes (stmt, 5), blob, sizeof blob);
  g_assert_cmpint (sqlite3_column_int (stmt, 6), ==, 1);
  g_assert_cmpint (sqlite3_column_type (stmt, 7), ==, SQLITE_NULL);
  g_assert_cmpint (signpost_db_step (db, stmt, &error), ==, SQLITE_DONE);
  g_assert_no_error (error);

  /* Prepared statements are cached by their SQL. */
  g_assert_true (signpost_db_prepare (db, "SELECT s, i, big, d, n, b, flag, null_s FROM t", NULL)
                 == stmt);
}

static void
test_bind_errors (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(SignpostDb) db = open_db (f, SIGNPOST_DB_DEFAULT);
  g_autoptr(GError) error = NULL;

  g_assert_true (signpost_db_exec (db, "CREATE TABLE t (x)", &error));
  /* More values than placeholders. */
  g_assert_false (signpost_db_run (db, "INSERT INTO t VALUES (?)", &error, "ii", 1, 2));
  g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_STORAGE);
  g_assert_nonnull (strstr (error->message, "parameter 2"));
  g_clear_error (&error);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM t"), ==, 0);

  /* Bad SQL fails to prepare. */
  g_assert_null (signpost_db_prepare (db, "SELEKT 1", &error));
  g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_STORAGE);
  g_clear_error (&error);
  g_assert_false (signpost_db_exec (db, "SELEKT 1", &error));
  g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_STORAGE);
}

static void
test_bind_literal (Fixture       *f,
                   gconstpointer  data)
{
  static const char * const values[] = {
    "'); DROP TABLE x; --",
    "Robert'); DROP TABLE patient;--",
    "\" OR 1=1 --",
    "?; ?2; :name; @x; $y",
    "line\nbreak and a \\ backslash",
  };
  g_autoptr(SignpostDb) db = open_db (f, SIGNPOST_DB_DEFAULT);
  g_autoptr(GError) error = NULL;

  g_assert_true (signpost_db_exec (db, "CREATE TABLE x (id INTEGER PRIMARY KEY, v TEXT)", &error));
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_assert_true (signpost_db_run (db, "INSERT INTO x (id, v) VALUES (?, ?)", &error,
                                      "is", (int) i, values[i]));
      g_assert_no_error (error);
    }

  g_assert_true (table_exists (db, "x"));
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM x"), ==, G_N_ELEMENTS (values));
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      sqlite3_stmt *stmt = signpost_db_prepare (db, "SELECT v FROM x WHERE id = ?", &error);

      g_assert_true (signpost_db_bind (stmt, &error, "i", (int) i));
      g_assert_cmpint (signpost_db_step (db, stmt, &error), ==, SQLITE_ROW);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, values[i]);
    }

  /* And looked up by the same value, it matches itself only. */
  {
    sqlite3_stmt *stmt = signpost_db_prepare (db, "SELECT count(*) FROM x WHERE v = ?", &error);
    g_assert_true (signpost_db_bind (stmt, &error, "s", values[2]));
    g_assert_cmpint (signpost_db_step (db, stmt, &error), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  }
}

/* ---- transactions ------------------------------------------------------- */

static gint64
count_rows (SignpostDb *db)
{
  return query_int (db, "SELECT count(*) FROM t");
}

static void
test_transaction_commit (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(SignpostDb) db = open_db (f, SIGNPOST_DB_DEFAULT);
  g_autoptr(SignpostDb) other = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (signpost_db_exec (db, "CREATE TABLE t (x)", &error));
  other = open_db (f, SIGNPOST_DB_DEFAULT);

  g_assert_true (signpost_db_begin (db, &error));
  g_assert_true (signpost_db_in_transaction (db));
  g_assert_cmpint (sqlite3_get_autocommit (signpost_db_get_handle (db)), ==, 0);
  g_assert_true (signpost_db_run (db, "INSERT INTO t VALUES (?)", &error, "i", 1));
  g_assert_cmpint (count_rows (db), ==, 1);
  g_assert_cmpint (count_rows (other), ==, 0); /* not yet visible */
  g_assert_true (signpost_db_commit (db, &error));
  g_assert_no_error (error);
  g_assert_false (signpost_db_in_transaction (db));
  g_assert_cmpint (sqlite3_get_autocommit (signpost_db_get_handle (db)), !=, 0);
  g_assert_cmpint (count_rows (other), ==, 1);
}

static void
test_transaction_nested (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(SignpostDb) db = open_db (f, SIGNPOST_DB_DEFAULT);
  g_autoptr(SignpostDb) other = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (signpost_db_exec (db, "CREATE TABLE t (x)", &error));
  other = open_db (f, SIGNPOST_DB_DEFAULT);

  g_assert_true (signpost_db_begin (db, &error));
  g_assert_true (signpost_db_run (db, "INSERT INTO t VALUES (?)", &error, "i", 1));
  g_assert_true (signpost_db_begin (db, &error));
  g_assert_true (signpost_db_run (db, "INSERT INTO t VALUES (?)", &error, "i", 2));
  g_assert_true (signpost_db_commit (db, &error));
  /* The inner commit commits nothing yet. */
  g_assert_true (signpost_db_in_transaction (db));
  g_assert_cmpint (sqlite3_get_autocommit (signpost_db_get_handle (db)), ==, 0);
  g_assert_cmpint (count_rows (other), ==, 0);
  g_assert_true (signpost_db_commit (db, &error));
  g_assert_no_error (error);
  g_assert_false (signpost_db_in_transaction (db));
  g_assert_cmpint (count_rows (other), ==, 2);
}

static void
test_transaction_rollback (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(SignpostDb) db = open_db (f, SIGNPOST_DB_DEFAULT);
  g_autoptr(GError) error = NULL;

  g_assert_true (signpost_db_exec (db, "CREATE TABLE t (x)", &error));
  g_assert_true (signpost_db_run (db, "INSERT INTO t VALUES (?)", &error, "i", 1));

  g_assert_true (signpost_db_begin (db, &error));
  g_assert_true (signpost_db_run (db, "INSERT INTO t VALUES (?)", &error, "i", 2));
  g_assert_true (signpost_db_run (db, "DELETE FROM t WHERE x = ?", &error, "i", 1));
  signpost_db_rollback (db);
  g_assert_false (signpost_db_in_transaction (db));
  g_assert_cmpint (count_rows (db), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT x FROM t"), ==, 1);

  /* Rolling back outside a transaction does nothing. */
  signpost_db_rollback (db);
  g_assert_cmpint (count_rows (db), ==, 1);

  /* An inner rollback abandons the whole transaction … */
  g_assert_true (signpost_db_begin (db, &error));
  g_assert_true (signpost_db_run (db, "INSERT INTO t VALUES (?)", &error, "i", 3));
  g_assert_true (signpost_db_begin (db, &error));
  g_assert_true (signpost_db_run (db, "INSERT INTO t VALUES (?)", &error, "i", 4));
  signpost_db_rollback (db);
  g_assert_false (signpost_db_in_transaction (db));
  g_assert_cmpint (sqlite3_get_autocommit (signpost_db_get_handle (db)), !=, 0);
  /* … and the outer one's rollback is then a no-op. */
  signpost_db_rollback (db);
  g_assert_cmpint (count_rows (db), ==, 1);

  /* The connection is usable afterwards. */
  g_assert_true (signpost_db_begin (db, &error));
  g_assert_true (signpost_db_run (db, "INSERT INTO t VALUES (?)", &error, "i", 5));
  g_assert_true (signpost_db_commit (db, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (db), ==, 2);
}

static void
test_transaction_commit_fails (Fixture       *f,
                               gconstpointer  data)
{
  /* A deferred foreign key is only checked at COMMIT: the commit fails,
   * everything is rolled back, and the error says it was a conflict. */
  g_autoptr(SignpostDb) db = open_db (f, SIGNPOST_DB_DEFAULT);
  g_autoptr(GError) error = NULL;

  g_assert_true (signpost_db_exec (db,
                                   "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
                                   "CREATE TABLE child (parent_id INTEGER REFERENCES parent (id)"
                                   "  DEFERRABLE INITIALLY DEFERRED)", &error));
  g_assert_true (signpost_db_begin (db, &error));
  g_assert_true (signpost_db_run (db, "INSERT INTO parent (id) VALUES (?)", &error, "i", 1));
  g_assert_true (signpost_db_run (db, "INSERT INTO child (parent_id) VALUES (?)", &error, "i", 2));
  g_assert_no_error (error);
  g_assert_false (signpost_db_commit (db, &error));
  g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_CONFLICT);
  g_assert_false (signpost_db_in_transaction (db));
  g_assert_cmpint (sqlite3_get_autocommit (signpost_db_get_handle (db)), !=, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM parent"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM child"), ==, 0);
}

static void
test_unique_conflict (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(SignpostDb) db = open_db (f, SIGNPOST_DB_DEFAULT);
  g_autoptr(GError) error = NULL;

  g_assert_true (signpost_db_exec (db, "CREATE TABLE booking (slot_id TEXT UNIQUE)", &error));
  g_assert_true (signpost_db_run (db, "INSERT INTO booking VALUES (?)", &error, "s", "slot-1"));
  g_assert_false (signpost_db_run (db, "INSERT INTO booking VALUES (?)", &error, "s", "slot-1"));
  g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_CONFLICT);
  g_assert_cmpuint (signpost_error_http_status (error), ==, 409);
  g_clear_error (&error);

  /* The cached statement is reset and works again. */
  g_assert_true (signpost_db_run (db, "INSERT INTO booking VALUES (?)", &error, "s", "slot-2"));
  g_assert_no_error (error);
  g_assert_true (signpost_db_run (db, "UPDATE booking SET slot_id = slot_id || ?", &error, "s", "x"));
  g_assert_cmpint (signpost_db_changes (db), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/signpost/db/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("open", test_open);
  ADD ("open-no-sync", test_open_no_sync);
  ADD ("open-fails", test_open_fails);
  ADD ("read-only", test_read_only);
  ADD ("foreign-keys", test_foreign_keys);
  ADD ("migrate/fresh", test_migrate_fresh);
  ADD ("migrate/partial", test_migrate_partial);
  ADD ("migrate/failing-step", test_migrate_failing_step);
  ADD ("migrate/newer", test_migrate_newer);
  ADD ("bind/types", test_bind_types);
  ADD ("bind/errors", test_bind_errors);
  ADD ("bind/literal", test_bind_literal);
  ADD ("transaction/commit", test_transaction_commit);
  ADD ("transaction/nested", test_transaction_nested);
  ADD ("transaction/rollback", test_transaction_rollback);
  ADD ("transaction/commit-fails", test_transaction_commit_fails);
  ADD ("unique-conflict", test_unique_conflict);

#undef ADD

  return g_test_run ();
}
