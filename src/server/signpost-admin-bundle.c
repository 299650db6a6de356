/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <stdio.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>

#include "signpost-admin-private.h"
#include "signpost-practice-move.h"

/*
 * `signpost-server admin export-practice | import-practice |
 * remove-practice`: moving a practice to another server. The bundle's
 * passphrase is read from standard input (asked twice on a terminal when
 * exporting), never from the command line. Exit status 0 on success, 1
 * when nothing was done (the reason on standard error), 2 for a mistake on
 * the command line.
 */

#define CLIENT "signpost-server admin"

static char *
read_passphrase (gboolean confirm)
{
  g_autofree char *first = signpost_admin_read_secret (_("Bundle passphrase: "));

  if (first == NULL)
    return NULL;
  if (confirm && isatty (fileno (stdin)))
    {
      g_autofree char *again = signpost_admin_read_secret (_("The same passphrase again: "));

      if (g_strcmp0 (first, again) != 0)
        {
          g_printerr (_("The two passphrases differ\n"));
          return NULL;
        }
    }
  return g_steal_pointer (&first);
}

int
signpost_admin_export_practice (const char  *db_path,
                                int          argc,
                                char       **argv)
{
  g_autofree char *practice_arg = NULL, *out = NULL;
  GOptionEntry entries[] = {
    { "practice", 0, 0, G_OPTION_ARG_STRING, &practice_arg, N_("The practice (id or ODS code)"), N_("PRACTICE") },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, N_("Where to write the bundle"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("— write a practice’s bundle (passphrase on standard input)"));
  g_autoptr(SignpostRecord) practice = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  g_auto(SignpostBundleInfo) info = { 0 };
  g_autofree char *passphrase = NULL;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!signpost_admin_parse (context, &argc, &argv))
    return 2;
  if (practice_arg == NULL || out == NULL || argc != 1)
    {
      g_printerr (_("export-practice needs --practice and --out\n"));
      return 2;
    }
  OPEN_STORE (db_path);
  practice = signpost_admin_find_practice (store, practice_arg);
  if (practice == NULL)
    return 1;
  passphrase = read_passphrase (TRUE);
  if (passphrase == NULL)
    {
      g_printerr (_("A passphrase is needed on standard input\n"));
      return 1;
    }
  if (!signpost_practice_export (store, SIGNPOST_PRACTICE (practice), passphrase, out, now, CLIENT,
                                 &info, &error))
    {
      g_printerr (_("Nothing was exported: %s\n"), error->message);
      return 1;
    }
  g_print (_("Wrote %s: practice %s (%s)\n"), out, info.ods_code, info.name);
  for (guint i = 0; i < SIGNPOST_BUNDLE_N_PARTS; i++)
    g_print ("  %-13s %" G_GINT64_FORMAT "\n", signpost_bundle_part_name (i), info.counts[i]);
  g_print (_("Checksum (sha256): %s\n"), info.file_digest);
  return 0;
}

int
signpost_admin_import_practice (const char  *db_path,
                                int          argc,
                                char       **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE — import a practice’s bundle (passphrase on standard input)"));
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  g_auto(SignpostBundleInfo) info = { 0 };
  g_autofree char *passphrase = NULL;

  if (!signpost_admin_parse (context, &argc, &argv))
    return 2;
  if (argc != 2)
    {
      g_printerr (_("import-practice needs one bundle\n"));
      return 2;
    }
  OPEN_STORE (db_path);
  passphrase = read_passphrase (FALSE);
  if (passphrase == NULL)
    {
      g_printerr (_("A passphrase is needed on standard input\n"));
      return 1;
    }
  if (!signpost_practice_import (store, argv[1], passphrase, now, CLIENT, &info, &error))
    {
      g_printerr (_("Nothing was imported: %s\n"), error->message);
      return 1;
    }
  g_print (_("Imported practice %s (%s)\n"), info.ods_code, info.name);
  for (guint i = 0; i < SIGNPOST_BUNDLE_N_PARTS; i++)
    g_print ("  %-13s %" G_GINT64_FORMAT "\n", signpost_bundle_part_name (i), info.counts[i]);
  return 0;
}

int
signpost_admin_remove_practice (const char  *db_path,
                                int          argc,
                                char       **argv)
{
  g_autofree char *practice_arg = NULL, *bundle = NULL;
  GOptionEntry entries[] = {
    { "practice", 0, 0, G_OPTION_ARG_STRING, &practice_arg, N_("The practice (id or ODS code)"), N_("PRACTICE") },
    { "bundle", 0, 0, G_OPTION_ARG_FILENAME, &bundle, N_("The bundle exported from this server"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("— remove a practice that was exported (its bundle’s passphrase on standard input)"));
  g_autoptr(SignpostRecord) practice = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  g_auto(SignpostBundleInfo) info = { 0 };
  g_autofree char *passphrase = NULL;
  SignpostPracticeRemoval removal;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!signpost_admin_parse (context, &argc, &argv))
    return 2;
  if (practice_arg == NULL || bundle == NULL || argc != 1)
    {
      g_printerr (_("remove-practice needs --practice and --bundle\n"));
      return 2;
    }
  OPEN_STORE (db_path);
  practice = signpost_admin_find_practice (store, practice_arg);
  if (practice == NULL)
    return 1;
  passphrase = read_passphrase (FALSE);
  if (passphrase == NULL)
    {
      g_printerr (_("A passphrase is needed on standard input\n"));
      return 1;
    }
  if (!signpost_practice_remove (store, SIGNPOST_PRACTICE (practice), bundle, passphrase, now, CLIENT,
                                 &removal, &info, &error))
    {
      g_printerr (_("Nothing was removed: %s\n"), error->message);
      return 1;
    }
  g_print (_("Removed practice %s: %u records, %u users who worked for it alone; %u users keep "
             "their other practices\n"),
           info.ods_code, removal.records, removal.users_removed, removal.users_kept);
  return 0;
}
