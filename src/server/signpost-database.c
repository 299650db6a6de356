/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "signpost-database.h"
#include "signpost-pg-store.h"
#include "signpost-sqlite-store.h"

/*
 * Which database: a SQLite file (a practice) or a PostgreSQL URI (a hub).
 * The server and its admin commands take it from --db, else --db-file,
 * else $SIGNPOST_DB, else their default file. A URI may hold a password:
 * it is never printed, and signpost_database_hide_passwords() takes it out
 * of the command line that ps shows.
 */

static const char * const uri_schemes[] = { "postgresql://", "postgres://" };

gboolean
signpost_database_is_uri (const char *location)
{
  for (guint i = 0; location != NULL && i < G_N_ELEMENTS (uri_schemes); i++)
    if (g_str_has_prefix (location, uri_schemes[i]))
      return TRUE;
  return FALSE;
}

/* Where @text's URI starts, or NULL. */
static char *
find_uri (char *text)
{
  char *found = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (uri_schemes); i++)
    {
      char *at = strstr (text, uri_schemes[i]);

      if (at != NULL && (found == NULL || at < found))
        found = at;
    }
  return found;
}

/* Removes the password of the URI at @uri (user:PASSWORD@host, and any
 * password=… parameter) in place; returns whether there was one. */
static gboolean
remove_password (char *uri)
{
  char *authority = strstr (uri, "://") + 3;
  gsize authority_length = strcspn (authority, "/?");
  gboolean found = FALSE;
  char *at = NULL;
  char *query;

  for (gsize i = 0; i < authority_length; i++)
    if (authority[i] == '@')
      at = authority + i;
  if (at != NULL)
    {
      char *colon = memchr (authority, ':', at - authority);

      if (colon != NULL)
        {
          memmove (colon, at, strlen (at) + 1);
          found = TRUE;
        }
    }

  query = strchr (uri, '?');
  while (query != NULL)
    {
      char *param = query + 1;
      gsize length = strcspn (param, "&");

      if (g_str_has_prefix (param, "password="))
        {
          /* Drop "password=…" and the separator that follows or precedes it. */
          char *end = param + length;

          found = TRUE;
          if (*end != '&')
            {
              *query = '\0';
              break;
            }
          memmove (param, end + 1, strlen (end + 1) + 1);
          continue;
        }
      query = param[length] == '&' ? param + length : NULL;
    }
  return found;
}

/**
 * signpost_database_without_password:
 *
 * Returns: @uri (or any text holding one) with its password taken out.
 */
char *
signpost_database_without_password (const char *uri)
{
  char *copy = g_strdup (uri);
  char *start = find_uri (copy);

  if (start != NULL)
    remove_password (start);
  return copy;
}

/* The database as it may be shown: a path, or the URI without password. */
char *
signpost_database_describe (const char *location)
{
  if (signpost_database_is_uri (location))
    return signpost_database_without_password (location);
  return g_strdup (location);
}

/**
 * signpost_database_hide_passwords:
 *
 * Takes any password out of the database URIs on the command line as
 * other users see it (/proc/PID/cmdline, ps), before anything is
 * parsed: each such argument is overwritten where it lies, and @argv is
 * pointed at a private copy of it, which lives as long as the process.
 */
void
signpost_database_hide_passwords (int    argc,
                                  char **argv)
{
  static GPtrArray *kept;

  for (int i = 1; i < argc; i++)
    {
      char *start = find_uri (argv[i]);
      g_autofree char *copy = NULL;
      gsize before;

      if (start == NULL)
        continue;
      copy = g_strdup (argv[i]);
      before = strlen (argv[i]);
      if (!remove_password (start))
        continue;
      /* Overwrite what is left of the old text, so none of it shows. */
      memset (argv[i] + strlen (argv[i]), 0, before - strlen (argv[i]));
      if (kept == NULL)
        kept = g_ptr_array_new ();
      g_ptr_array_add (kept, copy);
      argv[i] = g_steal_pointer (&copy);
    }
}

/**
 * signpost_database_resolve:
 * @db: (nullable): --db
 * @db_file: (nullable): --db-file: a file whose first line names the database
 * @fallback: (nullable): the default when nothing names one
 *
 * Returns: the database (a path or a URI), or %NULL with @error set.
 */
char *
signpost_database_resolve (const char  *db,
                           const char  *db_file,
                           const char  *fallback,
                           GError     **error)
{
  const char *env = g_getenv (SIGNPOST_DATABASE_ENV);

  if (db != NULL && db_file != NULL)
    {
      g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                   _("Give either --db or --db-file, not both"));
      return NULL;
    }
  if (db != NULL)
    {
      if (*db == '\0')
        {
          g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID, _("--db is empty"));
          return NULL;
        }
      return g_strdup (db);
    }
  if (db_file != NULL)
    {
      g_autofree char *contents = NULL;
      g_autoptr(GError) local_error = NULL;
      char *line;
      GStatBuf info;

      if (!g_file_get_contents (db_file, &contents, NULL, &local_error))
        {
          g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                       _("Could not read --db-file: %s"), local_error->message);
          return NULL;
        }
      line = g_strstrip (g_strndup (contents, strcspn (contents, "\r\n")));
      memset (contents, 0, strlen (contents));
      if (*line == '\0')
        {
          g_free (line);
          g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                       _("The first line of %s should name the database"), db_file);
          return NULL;
        }
      if (signpost_database_is_uri (line) && g_stat (db_file, &info) == 0 &&
          (info.st_mode & (S_IRWXG | S_IRWXO)) != 0)
        g_warning (_("%s can be read by other users; it should be readable by the server's "
                     "user only (chmod 600)"), db_file);
      return line;
    }
  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_strdup (fallback);
}

/**
 * signpost_database_open:
 * @location: a SQLite file, or a postgresql:// or postgres:// URI
 *
 * Returns: (transfer full): the store, or %NULL with a one-line @error
 *   that shows no password.
 */
SignpostStore *
signpost_database_open (const char  *location,
                        GError     **error)
{
  g_return_val_if_fail (location != NULL, NULL);

  if (signpost_database_is_uri (location))
    return SIGNPOST_STORE (signpost_pg_store_new (location, error));
  return SIGNPOST_STORE (signpost_sqlite_store_new (location, error));
}
