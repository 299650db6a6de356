/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "signpost-admin-private.h"
#include "signpost-database.h"
#include "signpost-pg-store.h"
#include "signpost-sqlite-store.h"

/*
 * admin copy-to: a practice moving up to a hub's PostgreSQL. Every table
 * of the SQLite database (signpost-store-copy.h) goes into an empty
 * PostgreSQL database in one transaction; before it commits, what arrived
 * is read back, and each table's rows are counted and digested on both
 * sides. Anything different and nothing is kept. Sequence numbers, token
 * hashes and everything else arrive unchanged, so consoles carry on from
 * their last seq, signed in.
 */

typedef struct {
  GChecksum *checksum[SIGNPOST_COPY_N_TABLES];
  guint64 rows[SIGNPOST_COPY_N_TABLES];
} Digest;

static void
digest_init (Digest *digest)
{
  for (guint i = 0; i < SIGNPOST_COPY_N_TABLES; i++)
    {
      digest->checksum[i] = g_checksum_new (G_CHECKSUM_SHA256);
      digest->rows[i] = 0;
    }
}

static void
digest_clear (Digest *digest)
{
  for (guint i = 0; i < SIGNPOST_COPY_N_TABLES; i++)
    g_clear_pointer (&digest->checksum[i], g_checksum_free);
}

/* Each value as its length and bytes, NULL as a mark of its own, so no
 * two different rows digest alike. */
static void
digest_row (Digest              *digest,
            SignpostCopyTable    table,
            const char * const  *values)
{
  GChecksum *checksum = digest->checksum[table];

  for (guint i = 0; i < signpost_copy_table_n_columns (table); i++)
    {
      char prefix[24];

      if (values[i] == NULL)
        {
          g_checksum_update (checksum, (const guchar *) "N;", 2);
          continue;
        }
      g_snprintf (prefix, sizeof prefix, "%" G_GSIZE_FORMAT ":", strlen (values[i]));
      g_checksum_update (checksum, (const guchar *) prefix, -1);
      g_checksum_update (checksum, (const guchar *) values[i], strlen (values[i]));
    }
  g_checksum_update (checksum, (const guchar *) "\n", 1);
  digest->rows[table]++;
}

/* The digest of every table's digest. */
static char *
digest_total (Digest *digest)
{
  g_autoptr(GChecksum) total = g_checksum_new (G_CHECKSUM_SHA256);

  for (guint i = 0; i < SIGNPOST_COPY_N_TABLES; i++)
    g_checksum_update (total, (const guchar *) g_checksum_get_string (digest->checksum[i]), -1);
  return g_strdup (g_checksum_get_string (total));
}

typedef struct {
  Digest source;
  Digest target;
  SignpostPgImport *import;
  guint64 copied;
  gint64 started;
  gboolean progress;
} Copy;

static gboolean
copy_row (SignpostCopyTable    table,
          const char * const  *values,
          gpointer             data,
          GError             **error)
{
  Copy *copy = data;

  digest_row (&copy->source, table, values);
  if (++copy->copied % 50000 == 0 && copy->progress)
    {
      g_printerr (_("… %" G_GUINT64_FORMAT " rows copied\n"), copy->copied);
    }
  return signpost_pg_import_row (copy->import, table, values, error);
}

static gboolean
read_back_row (SignpostCopyTable    table,
               const char * const  *values,
               gpointer             data,
               GError             **error)
{
  Copy *copy = data;

  digest_row (&copy->target, table, values);
  return TRUE;
}

/* One line per table: rows on each side, the digest, and whether they agree. */
static gboolean
report (Copy *copy)
{
  g_autofree char *source_total = digest_total (&copy->source);
  g_autofree char *target_total = digest_total (&copy->target);
  gboolean same = g_str_equal (source_total, target_total);

  g_print ("%-18s %12s %12s  %s\n", _("table"), _("SQLite"), _("PostgreSQL"),
           _("SHA-256 of the rows (SQLite / PostgreSQL)"));
  for (guint i = 0; i < SIGNPOST_COPY_N_TABLES; i++)
    {
      const char *a = g_checksum_get_string (copy->source.checksum[i]);
      const char *b = g_checksum_get_string (copy->target.checksum[i]);
      gboolean table_same = copy->source.rows[i] == copy->target.rows[i] && g_str_equal (a, b);

      g_print ("%-18s %12" G_GUINT64_FORMAT " %12" G_GUINT64_FORMAT "  %.16s / %.16s  %s\n",
               signpost_copy_table_name (i), copy->source.rows[i], copy->target.rows[i], a, b,
               table_same ? _("same") : _("DIFFERENT"));
    }
  g_print (_("digest of everything: %s (SQLite)\n"), source_total);
  g_print (_("                      %s (PostgreSQL)\n"), target_total);
  return same;
}

int
signpost_admin_copy_to (const char  *db_path,
                        int          argc,
                        char       **argv)
{
  g_autofree char *to_file = NULL;
  g_autofree char *target_uri = NULL;
  g_autofree char *shown_source = NULL;
  g_autofree char *shown_target = NULL;
  const GOptionEntry entries[] = {
    { "to-file", 0, 0, G_OPTION_ARG_FILENAME, &to_file,
      N_("Read the target URI from the first line of FILE"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("postgresql://… — copy this SQLite database into an empty PostgreSQL one"));
  g_autoptr(SignpostSqliteStore) source = NULL;
  g_autoptr(SignpostPgStore) target = NULL;
  g_autoptr(GError) error = NULL;
  Copy copy = { 0 };
  gboolean same;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("Stop the server first: what it writes during the copy would not be copied.\n"
      "The target must be empty; nothing is kept unless every table arrives\n"
      "unchanged. Afterwards start the server with --db-file (or SIGNPOST_DB)\n"
      "naming the PostgreSQL database; consoles carry on where they were."));
  if (!signpost_admin_parse (context, &argc, &argv))
    return 2;
  if (signpost_database_is_uri (db_path))
    {
      g_printerr (_("copy-to copies a SQLite database: --db must name its file\n"));
      return 2;
    }
  if ((argc == 2) == (to_file != NULL))
    {
      g_printerr (_("copy-to needs the PostgreSQL database: a postgresql:// URI or --to-file FILE\n"));
      return 2;
    }
  target_uri = signpost_database_resolve (argc == 2 ? argv[1] : NULL, to_file, NULL, &error);
  if (target_uri == NULL || !signpost_database_is_uri (target_uri))
    {
      g_printerr ("%s\n", error ? error->message : _("The target must be a postgresql:// URI"));
      return 2;
    }
  if (!g_file_test (db_path, G_FILE_TEST_IS_REGULAR))
    {
      g_printerr (_("No SQLite database at %s\n"), db_path);
      return 1;
    }

  shown_source = signpost_database_describe (db_path);
  shown_target = signpost_database_describe (target_uri);
  source = signpost_sqlite_store_new (db_path, &error);
  if (source == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  target = signpost_pg_store_new (target_uri, &error);
  if (target == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_print (_("Copying %s into %s\n"), shown_source, shown_target);

  digest_init (&copy.source);
  digest_init (&copy.target);
  copy.progress = TRUE;
  copy.started = g_get_monotonic_time ();
  copy.import = signpost_pg_store_import_begin (target, &error);
  if (copy.import == NULL ||
      !signpost_sqlite_store_export (source, copy_row, &copy, &error) ||
      !signpost_pg_import_end (copy.import, &error) ||
      !signpost_pg_store_export (target, read_back_row, &copy, &error))
    {
      g_clear_pointer (&copy.import, signpost_pg_import_free);
      signpost_store_rollback (SIGNPOST_STORE (target));
      digest_clear (&copy.source);
      digest_clear (&copy.target);
      g_printerr (_("Nothing was copied: %s\n"), error->message);
      return 1;
    }
  g_clear_pointer (&copy.import, signpost_pg_import_free);

  same = report (&copy);
  if (!same)
    {
      signpost_store_rollback (SIGNPOST_STORE (target));
      g_printerr (_("The copy differs from the original: nothing was kept\n"));
    }
  else if (!signpost_store_commit (SIGNPOST_STORE (target), &error))
    {
      g_printerr (_("Nothing was copied: %s\n"), error->message);
      same = FALSE;
    }
  else
    g_print (_("Copied %" G_GUINT64_FORMAT " rows in %.1f s; every table is the same on both "
               "sides\n"), copy.copied, (g_get_monotonic_time () - copy.started) / 1e6);
  digest_clear (&copy.source);
  digest_clear (&copy.target);
  return same ? 0 : 1;
}
