/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "signpost-admin-private.h"

/*
 * The intake API's sources: another online-consultation product that may
 * send a practice's online requests, each with a signing secret of its
 * own (read from standard input, never the command line).
 */

#define MIN_SECRET_CHARS 24

static int
set_source (SignpostStore *store,
            const char    *name,
            const char    *practice_arg)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SignpostRecord) practice = NULL;
  g_autofree char *current = NULL;
  g_autofree char *secret = NULL;

  if (!signpost_format_check (SIGNPOST_FORMAT_USERNAME, name, NULL))
    {
      g_printerr (_("A source name is lower-case letters, digits, dots, dashes or underscores\n"));
      return 2;
    }
  if (!signpost_store_get_intake_source (store, name, &current, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (practice_arg == NULL && current == NULL)
    {
      g_printerr (_("No intake source %s\n"), name);
      return 1;
    }
  practice = signpost_admin_find_practice (store, practice_arg != NULL ? practice_arg : current);
  if (practice == NULL)
    return 1;
  secret = signpost_admin_read_secret (_("Signing secret: "));
  if (secret == NULL || strlen (secret) < MIN_SECRET_CHARS)
    {
      g_printerr (_("An intake source's secret needs at least %d characters\n"), MIN_SECRET_CHARS);
      return 1;
    }
  if (!signpost_store_begin (store, &error) ||
      !signpost_store_set_intake_source (store, name, signpost_record_get_id (practice), secret, &error) ||
      !signpost_store_commit (store, &error))
    {
      signpost_store_rollback (store);
      g_printerr ("%s\n", error->message);
      return 1;
    }
  return 0;
}

int
signpost_admin_add_intake_source (const char  *db_path,
                                  int          argc,
                                  char       **argv)
{
  g_autofree char *practice = NULL, *name = NULL;
  GOptionEntry entries[] = {
    { "practice", 0, 0, G_OPTION_ARG_STRING, &practice, N_("The practice it sends for (id or ODS code)"), N_("PRACTICE") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("The source's name, as it puts in each request"), N_("NAME") },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("— let another online-consultation product send a practice's requests; "
                            "its signing secret is read from standard input"));

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!signpost_admin_parse (context, &argc, &argv))
    return 2;
  if (practice == NULL || name == NULL)
    {
      g_printerr (_("add-intake-source needs --practice and --name\n"));
      return 2;
    }
  {
    OPEN_STORE (db_path);
    return set_source (store, name, practice);
  }
}

int
signpost_admin_set_intake_source_secret (const char  *db_path,
                                         int          argc,
                                         char       **argv)
{
  g_autofree char *name = NULL;
  GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("The source's name"), N_("NAME") },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("— change an intake source's signing secret (read from standard input)"));

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!signpost_admin_parse (context, &argc, &argv))
    return 2;
  if (name == NULL)
    {
      g_printerr (_("set-intake-source-secret needs --name\n"));
      return 2;
    }
  {
    OPEN_STORE (db_path);
    return set_source (store, name, NULL);
  }
}
