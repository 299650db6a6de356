/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <libpq-fe.h>

#include "server-test-db.h"
#include "signpost-db.h"

struct _TestDatabase
{
  char *dir;
  char *location;         /* the SQLite file, or the database's URI */
  char *name;             /* PostgreSQL: the database's name */
  char *password;         /* PostgreSQL: the password in the URI, or NULL */
};

gboolean
test_database_is_postgresql (void)
{
  return g_strcmp0 (g_getenv ("SIGNPOST_TEST_STORE"), "postgresql") == 0;
}

/* The server to make databases on: SIGNPOST_TEST_PG, or libpq's own
 * environment (pg_virtualenv sets PGHOST, PGPORT, PGUSER, PGPASSWORD). */
static const char *
server_uri (void)
{
  const char *uri = g_getenv ("SIGNPOST_TEST_PG");

  if (uri != NULL && *uri != '\0')
    return uri;
  if (g_getenv ("PGHOST") != NULL || g_getenv ("PGPORT") != NULL ||
      g_getenv ("PGSERVICE") != NULL)
    return "postgresql://";
  return NULL;
}

/* A server-pg program with no server to use says so in TAP and stops,
 * before main(): meson counts it as skipped. SIGNPOST_TEST_PG named but
 * unreachable is a failure, found by the first test. */
static void __attribute__ ((constructor))
skip_without_postgresql (void)
{
  if (test_database_is_postgresql () && server_uri () == NULL)
    {
      printf ("1..0 # SKIP no PostgreSQL server: set SIGNPOST_TEST_PG or run under pg_virtualenv\n");
      fflush (stdout);
      _exit (0);
    }
}

static PGconn *
server_connection (void)
{
  /* One per test program, kept to its end. */
  static PGconn *conn;

  if (conn != NULL && PQstatus (conn) == CONNECTION_OK)
    return conn;
  g_clear_pointer (&conn, PQfinish);
  conn = PQconnectdb (server_uri ());
  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("Cannot reach the PostgreSQL server for the tests: %s", PQerrorMessage (conn));
  return conn;
}

static void
server_exec (const char *sql)
{
  PGconn *conn = server_connection ();
  PGresult *result = PQexec (conn, sql);

  /* The cluster may have been restarted since (test-server-reconnect). */
  if (PQresultStatus (result) != PGRES_COMMAND_OK && PQstatus (conn) != CONNECTION_OK)
    {
      PQclear (result);
      result = PQexec (server_connection (), sql);
    }
  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    g_error ("%s: %s", sql, PQresultErrorMessage (result));
  PQclear (result);
}

static char *
escape (const char *text)
{
  return g_uri_escape_string (text, NULL, FALSE);
}

/* The URI a user would write for the database @name on the server the
 * tests use, password and all. */
static char *
database_uri (const char  *name,
              char       **password)
{
  PGconn *conn = server_connection ();
  const char *host = PQhost (conn);
  const char *port = PQport (conn);
  const char *pass = PQpass (conn);
  g_autofree char *user = escape (PQuser (conn));
  g_autofree char *secret = pass && *pass ? escape (pass) : NULL;

  *password = pass && *pass ? g_strdup (pass) : NULL;
  if (host != NULL && host[0] == '/')
    {
      g_autofree char *socket_dir = escape (host);

      return g_strdup_printf ("postgresql:///%s?host=%s&port=%s&user=%s%s%s", name, socket_dir,
                              port, user, secret ? "&password=" : "", secret ? secret : "");
    }
  return g_strdup_printf ("postgresql://%s%s%s@%s:%s/%s", user, secret ? ":" : "",
                          secret ? secret : "", host, port, name);
}

TestDatabase *
test_database_new (void)
{
  return test_database_new_of_kind (test_database_is_postgresql ());
}

/* A SQLite or a PostgreSQL database, whichever the suite (copy-to needs
 * one of each). */
TestDatabase *
test_database_new_of_kind (gboolean postgresql)
{
  static guint counter;
  TestDatabase *db = g_new0 (TestDatabase, 1);
  g_autoptr(GError) error = NULL;

  db->dir = g_dir_make_tmp ("signpost-test-db-XXXXXX", &error);
  g_assert_no_error (error);
  if (!postgresql)
    {
      db->location = g_build_filename (db->dir, "server.db", NULL);
      return db;
    }

  /* Names of [a-z0-9_] only: nothing to quote. */
  db->name = g_strdup_printf ("signpost_test_%d_%u_%08x", (int) getpid (), ++counter,
                              g_random_int ());
  {
    g_autofree char *create = g_strdup_printf ("CREATE DATABASE %s ENCODING 'UTF8' "
                                               "TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'",
                                               db->name);
    server_exec (create);
  }
  db->location = database_uri (db->name, &db->password);
  return db;
}

void
test_database_free (TestDatabase *db)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (db == NULL)
    return;
  if (db->name != NULL)
    {
      /* FORCE: a server the test killed may not have let go yet. */
      g_autofree char *drop = g_strdup_printf ("DROP DATABASE IF EXISTS %s WITH (FORCE)", db->name);

      server_exec (drop);
    }
  dir = g_dir_open (db->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (db->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (db->dir);
  g_free (db->dir);
  g_free (db->location);
  g_free (db->name);
  g_free (db->password);
  g_free (db);
}

/* What to give signpost_database_open(), or --db. */
const char *
test_database_location (TestDatabase *db)
{
  return db->location;
}

/* A temporary directory that lives as long as @db. */
const char *
test_database_dir (TestDatabase *db)
{
  return db->dir;
}

const char *
test_database_password (TestDatabase *db)
{
  return db->password;
}

/* Appends the options that point signpost-server (or its admin commands)
 * at @db, as a user would: a SQLite path with --db; a URI, which holds a
 * password, in a file only its owner can read, with --db-file. */
void
test_database_add_args (TestDatabase *db,
                        GPtrArray    *argv)
{
  if (db->name == NULL)
    {
      g_ptr_array_add (argv, g_strdup ("--db"));
      g_ptr_array_add (argv, g_strdup (db->location));
      return;
    }
  {
    g_autofree char *file = g_build_filename (db->dir, "database-uri", NULL);
    g_autofree char *contents = g_strconcat (db->location, "\n", NULL);
    g_autoptr(GError) error = NULL;

    g_file_set_contents_full (file, contents, -1, G_FILE_SET_CONTENTS_NONE, 0600, &error);
    g_assert_no_error (error);
    g_ptr_array_add (argv, g_strdup ("--db-file"));
    g_ptr_array_add (argv, g_steal_pointer (&file));
  }
}

/* Runs @sql on @db directly, as someone with the database's password
 * could (not through the server). */
gboolean
test_database_exec (TestDatabase  *db,
                    const char    *sql,
                    GError       **error)
{
  if (db->name == NULL)
    {
      g_autoptr(SignpostDb) handle = signpost_db_open (db->location, SIGNPOST_DB_DEFAULT, error);

      return handle != NULL && signpost_db_exec_literal_ (handle, sql, error);
    }
  {
    PGconn *conn = PQconnectdb (db->location);
    PGresult *result = PQexec (conn, sql);
    ExecStatusType status = PQresultStatus (result);
    gboolean ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;

    if (!ok)
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", PQresultErrorMessage (result));
    PQclear (result);
    PQfinish (conn);
    return ok;
  }
}

/* Whether @needle is anywhere in what @db stores: the bytes of the SQLite
 * file and its write-ahead log, or every row of every PostgreSQL table. */
gboolean
test_database_contains (TestDatabase *db,
                        const char   *needle)
{
  if (db->name == NULL)
    {
      const char * const suffixes[] = { "", "-wal" };

      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *path = g_strconcat (db->location, suffixes[i], NULL);
          g_autofree char *contents = NULL;
          gsize length = 0;

          if (g_file_get_contents (path, &contents, &length, NULL) &&
              g_strstr_len (contents, length, needle) != NULL)
            return TRUE;
        }
      return FALSE;
    }
  {
    PGconn *conn = PQconnectdb (db->location);
    PGresult *tables = PQexec (conn, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
    gboolean found = FALSE;

    g_assert_cmpint (PQresultStatus (tables), ==, PGRES_TUPLES_OK);
    for (int t = 0; !found && t < PQntuples (tables); t++)
      {
        /* Our own tables' names: [a-z_] only. */
        g_autofree char *sql = g_strdup_printf ("SELECT row_data::text FROM %s row_data",
                                                PQgetvalue (tables, t, 0));
        PGresult *rows = PQexec (conn, sql);

        g_assert_cmpint (PQresultStatus (rows), ==, PGRES_TUPLES_OK);
        for (int r = 0; !found && r < PQntuples (rows); r++)
          found = strstr (PQgetvalue (rows, r, 0), needle) != NULL;
        PQclear (rows);
      }
    PQclear (tables);
    PQfinish (conn);
    return found;
  }
}
