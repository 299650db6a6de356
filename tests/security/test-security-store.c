/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "security-test-util.h"
#include "signpost-core.h"

/*
 * A damaged database is noticed when the server starts, and the server
 * refuses to run on it, saying what to do (issue 12, item 8): a lost or
 * truncated write-ahead log, a truncated or scribbled-on database, an
 * empty file. An intact one left by a crash starts as before.
 */

#define WRITER_PATH_VAR "SIGNPOST_TEST_CRASHING_WRITER_DB"

/* Run as a subprocess: writes to the database and dies without closing
 * it, as a server killed mid-day does, so that the writes are in the
 * write-ahead log only. */
static void
test_writer_that_dies (void)
{
  g_autoptr(GError) error = NULL;
  SignpostDb *db;

  if (!g_test_subprocess ())
    {
      g_test_skip ("run by the other tests");
      return;
    }
  db = signpost_db_open (g_getenv (WRITER_PATH_VAR), SIGNPOST_DB_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (signpost_db_exec (db, "PRAGMA wal_autocheckpoint=0", &error));
  for (int i = 0; i < 40; i++)
    g_assert_true (signpost_db_exec (db, "INSERT INTO login_failures (key, at) "
                                     "VALUES (hex (randomblob (1500)), 1)", &error));
  g_assert_no_error (error);
  _exit (0);
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autofree char *data = NULL;
  gsize length = 0;

  if (!g_file_get_contents (from, &data, &length, NULL))
    return;
  g_assert_true (g_file_set_contents (to, data, length, NULL));
}

/* A directory holding the database, its -wal and its -shm as a crash
 * left them. */
static char *
crashed_copy (const char *source_db,
              const char *name)
{
  g_autofree char *parent = g_path_get_dirname (source_db);
  g_autofree char *dir = g_build_filename (parent, name, NULL);
  const char *suffixes[] = { "", "-wal", "-shm" };

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *from = g_strconcat (source_db, suffixes[i], NULL);
      g_autofree char *to = g_strconcat (dir, "/server.db", suffixes[i], NULL);

      copy_file (from, to);
    }
  return g_build_filename (dir, "server.db", NULL);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

static void
truncate_file (const char *path,
               double      fraction)
{
  GStatBuf buf;

  g_assert_cmpint (g_stat (path, &buf), ==, 0);
  g_assert_cmpint (truncate (path, (off_t) (buf.st_size * fraction)), ==, 0);
}

/* Copies the newest page 1 in @db's write-ahead log into the database
 * file, as a checkpoint killed after its first page leaves it: the
 * header then counts pages that are still only in the log. */
static void
checkpoint_first_page (const char *db)
{
  g_autofree char *wal_path = g_strconcat (db, "-wal", NULL);
  g_autofree char *wal = NULL;
  FILE *file;
  gsize length = 0;
  gsize page_size, frame;
  const guint8 *last_first = NULL;

  g_assert_true (g_file_get_contents (wal_path, &wal, &length, NULL));
  g_assert_cmpuint (length, >, 32);
  page_size = ((gsize) (guint8) wal[8] << 24) | ((gsize) (guint8) wal[9] << 16) |
              ((gsize) (guint8) wal[10] << 8) | (guint8) wal[11];
  g_assert_cmpuint (page_size, >=, 512);
  for (frame = 32; frame + 24 + page_size <= length; frame += 24 + page_size)
    {
      const guint8 *header = (const guint8 *) wal + frame;

      if (header[0] == 0 && header[1] == 0 && header[2] == 0 && header[3] == 1)
        last_first = header + 24;
    }
  g_assert_nonnull (last_first);
  file = fopen (db, "r+b");
  g_assert_nonnull (file);
  g_assert_cmpuint (fwrite (last_first, 1, page_size, file), ==, page_size);
  g_assert_cmpint (fclose (file), ==, 0);
}

static void
remove_sidecars (const char *db)
{
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db, "-shm", NULL);

  g_remove (wal);
  g_remove (shm);
}

/* Starts the server on @db: TRUE if it listens (it is then stopped);
 * otherwise its message is in @message. */
static gboolean
server_starts (const char  *db,
               char       **message)
{
  const char *bin = g_getenv ("SIGNPOST_SERVER_BIN");
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  g_autofree char *err = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              bin, "--db", db, "--listen", "127.0.0.1:0", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  if (line != NULL && g_str_has_prefix (line, "Listening on "))
    {
      g_subprocess_send_signal (process, SIGTERM);
      g_subprocess_wait (process, NULL, &error);
      return TRUE;
    }
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
  {
    g_autoptr(GDataInputStream) in = g_data_input_stream_new (g_subprocess_get_stderr_pipe (process));

    err = g_data_input_stream_read_upto (in, "", 0, NULL, NULL, NULL);
  }
  *message = g_steal_pointer (&err);
  return FALSE;
}

static void
assert_refused (const char *db,
                const char *what)
{
  g_autofree char *message = NULL;

  g_assert_false (server_starts (db, &message));
  g_test_message ("%s: %s", what, message);
  g_assert_nonnull (strstr (message, "is damaged"));
  g_assert_nonnull (strstr (message, what));
  g_assert_nonnull (strstr (message, "restore the latest backup"));
}

static void
test_damaged_database (void)
{
  g_autofree char *dir = g_dir_make_tmp ("signpost-store-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "server.db", NULL);
  g_autofree char *message = NULL;

  g_assert_cmpint (run_admin (db, NULL, "add-practice", "--ods", "Y00001", "--name", "Test Practice",
                              NULL), ==, 0);
  g_setenv (WRITER_PATH_VAR, db, TRUE);
  g_test_trap_subprocess ("/signpost/security/store/writer-that-dies", 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();

  /* Left by a crash, whole: it starts, as ever. */
  {
    g_autofree char *intact = crashed_copy (db, "intact");

    g_assert_true (server_starts (intact, &message));
  }
  /* A checkpoint killed after it wrote page 1: the header counts pages
   * still only in the log, and SQLite finishes the copy on opening. */
  {
    g_autofree char *cut_short = crashed_copy (db, "checkpoint-cut-short");
    g_autofree char *message_cut = NULL;
    gboolean started;

    checkpoint_first_page (cut_short);
    started = server_starts (cut_short, &message_cut);
    if (!started)
      g_test_message ("%s", message_cut);
    g_assert_true (started);
  }
  /* The log of the last writes deleted, or cut short. */
  {
    g_autofree char *lost = crashed_copy (db, "lost-wal");
    g_autofree char *wal = g_strconcat (lost, "-wal", NULL);

    g_assert_cmpint (g_remove (wal), ==, 0);
    assert_refused (lost, "write-ahead log");
  }
  {
    g_autofree char *cut = crashed_copy (db, "cut-wal");
    g_autofree char *wal = g_strconcat (cut, "-wal", NULL);

    truncate_file (wal, 0.5);
    assert_refused (cut, "write-ahead log");
  }
  /* The database itself: cut in half, scribbled on, emptied. */
  {
    g_autofree char *half = crashed_copy (db, "half");

    remove_sidecars (half);
    truncate_file (half, 0.5);
    assert_refused (half, "its header says");
  }
  {
    g_autofree char *scribbled = crashed_copy (db, "scribbled");
    g_autoptr(GError) error = NULL;
    g_autofree char *data = NULL;
    gsize length = 0;

    remove_sidecars (scribbled);
    g_assert_true (g_file_get_contents (scribbled, &data, &length, NULL));
    g_assert_cmpuint (length, >, 8 * 4096);
    memset (data + 3 * 4096, 0x55, 3 * 4096);
    g_assert_true (g_file_set_contents (scribbled, data, length, NULL));
    assert_refused (scribbled, "SQLite’s check found");
    /* The admin commands will not work on it either. */
    g_assert_cmpint (run_admin (scribbled, NULL, "list-users", NULL), ==, 1);
  }
  {
    g_autofree char *empty = crashed_copy (db, "empty");

    remove_sidecars (empty);
    g_assert_true (g_file_set_contents (empty, "", 0, NULL));
    assert_refused (empty, "it is empty");
  }
  g_unsetenv (WRITER_PATH_VAR);
  remove_tree (dir);
}

/* Item 5, through the admin command: a user made with a clinical role is
 * audited as a grant, as through the API. */
static void
test_admin_command_grants (void)
{
  g_autofree char *dir = g_dir_make_tmp ("signpost-store-XXXXXX", NULL);
  g_autofree char *db_path = g_build_filename (dir, "server.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SignpostDb) db = NULL;
  sqlite3_stmt *stmt;
  guint grants = 0;

  g_assert_cmpint (run_admin (db_path, NULL, "add-practice", "--ods", "Y00001", "--name", "Test",
                              NULL), ==, 0);
  g_assert_cmpint (run_admin (db_path, NULL, "add-user", "--username", "newnav", "--display-name",
                              "New Navigator", "--role", "navigator", "--roles", "clinician",
                              "--practice", "Y00001", NULL), ==, 0);
  g_assert_cmpint (run_admin (db_path, NULL, "add-user", "--username", "newmgr", "--display-name",
                              "New Manager", "--role", "manager", "--practice", "Y00001", NULL), ==, 0);
  db = signpost_db_open (db_path, SIGNPOST_DB_READ_ONLY, &error);
  g_assert_no_error (error);
  stmt = signpost_db_prepare (db, "SELECT detail FROM audit WHERE action = 'grant-role'", &error);
  g_assert_no_error (error);
  while (signpost_db_step (db, stmt, &error) == SQLITE_ROW)
    {
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "navigator,clinician");
      grants++;
    }
  sqlite3_reset (stmt);
  g_assert_no_error (error);
  g_assert_cmpuint (grants, ==, 1);
  g_clear_object (&db);
  remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/security/store/damaged-database", test_damaged_database);
  g_test_add_func ("/signpost/security/store/writer-that-dies", test_writer_that_dies);
  g_test_add_func ("/signpost/security/store/admin-command-grants", test_admin_command_grants);
  return g_test_run ();
}
