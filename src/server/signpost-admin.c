/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>

#include "signpost-access.h"
#include "signpost-admin-private.h"
#include "signpost-apply.h"
#include "signpost-auth.h"
#include "signpost-database.h"

/*
 * Setting up a server by hand: practices, users, passwords, phone lines.
 * Secrets (passwords, line secrets) are read from standard input, never
 * from the command line, where other users could see them in ps.
 */

typedef int (*AdminCommand) (const char *db_path, int argc, char **argv);

SignpostStore *
signpost_admin_open_store (const char *db_path)
{
  g_autoptr(GError) error = NULL;
  SignpostStore *store = signpost_database_open (db_path, &error);

  if (store == NULL)
    g_printerr ("%s\n", error->message);
  return store;
}

char *
signpost_admin_read_secret (const char *prompt)
{
  char buffer[1024];
  gsize length;

  if (isatty (fileno (stdin)))
    {
      g_printerr ("%s", prompt);
      fflush (stderr);
    }
  if (fgets (buffer, sizeof buffer, stdin) == NULL)
    return NULL;
  length = strcspn (buffer, "\r\n");
  buffer[length] = '\0';
  if (length == 0)
    return NULL;
  return g_strdup (buffer);
}

gboolean
signpost_admin_parse (GOptionContext  *context,
                      int             *argc,
                      char          ***argv)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return FALSE;
    }
  return TRUE;
}

SignpostRecord *
signpost_admin_find_practice (SignpostStore *store,
                              const char    *id_or_ods)
{
  g_autoptr(GPtrArray) practices = NULL;
  g_autoptr(GError) error = NULL;

  practices = signpost_store_list_records (store, SIGNPOST_RECORD_PRACTICE, NULL, &error);
  for (guint i = 0; practices != NULL && i < practices->len; i++)
    {
      SignpostRecord *practice = g_ptr_array_index (practices, i);

      if (g_strcmp0 (signpost_record_get_id (practice), id_or_ods) == 0 ||
          g_strcmp0 (signpost_practice_get_ods_code (SIGNPOST_PRACTICE (practice)), id_or_ods) == 0)
        return g_object_ref (practice);
    }
  g_printerr (_("No practice “%s”\n"), id_or_ods);
  return NULL;
}

/* Writes @record (validated first) and an audit entry in one transaction. */
static gboolean
write_record (SignpostStore  *store,
              SignpostRecord *record,
              const char     *action,
              GError        **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(JsonObject) json = signpost_object_to_json (SIGNPOST_OBJECT (record));
  g_autoptr(SignpostRecord) check = NULL;
  g_autofree char *granted = NULL;
  SignpostApplyContext ctx;
  gboolean ok;

  /* Run the wire rules over it, as if a client had sent it. */
  check = signpost_record_new_from_json (signpost_record_get_kind (record), json,
                                         SIGNPOST_DECODE_CREATE, error);
  if (check == NULL)
    return FALSE;
  /* A clinical role given is audited on its own, as through the API. */
  if (SIGNPOST_IS_USER (record))
    granted = signpost_access_granted_clinical_roles (NULL, SIGNPOST_USER (record));
  signpost_apply_context_init (&ctx, store, NULL, now);
  ok = signpost_store_begin (store, error) &&
       signpost_apply_write (&ctx, record, FALSE, error) &&
       signpost_apply_audit (&ctx, action, record, "signpost-server admin", error) &&
       (granted == NULL || signpost_apply_audit (&ctx, "grant-role", record, granted, error)) &&
       signpost_store_commit (store, error);
  if (!ok)
    signpost_store_rollback (store);
  signpost_apply_context_clear (&ctx);
  return ok;
}

static int
cmd_add_practice (const char    *db_path,
                  int            argc,
                  char         **argv)
{
  g_autofree char *ods = NULL, *name = NULL, *tz = NULL;
  GOptionEntry entries[] = {
    { "ods", 0, 0, G_OPTION_ARG_STRING, &ods, N_("ODS code, e.g. Y01234"), N_("CODE") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("Practice name"), N_("NAME") },
    { "time-zone", 0, 0, G_OPTION_ARG_STRING, &tz, N_("Time zone (default Europe/London)"), N_("ZONE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("— add a practice"));
  g_autoptr(SignpostPractice) practice = signpost_practice_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_uuid_string_random ();

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!signpost_admin_parse (context, &argc, &argv))
    return 2;
  OPEN_STORE (db_path);
  if (ods == NULL || name == NULL)
    {
      g_printerr (_("add-practice needs --ods and --name\n"));
      return 2;
    }
  signpost_record_set_id (SIGNPOST_RECORD (practice), id);
  signpost_record_set_practice_id (SIGNPOST_RECORD (practice), id);
  signpost_practice_set_ods_code (practice, ods);
  signpost_practice_set_name (practice, name);
  signpost_practice_set_time_zone (practice, tz ? tz : SIGNPOST_DEFAULT_TIME_ZONE);
  if (!write_record (store, SIGNPOST_RECORD (practice), "admin-add-practice", &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_print ("%s\n", id);
  return 0;
}

static int
cmd_add_user (const char    *db_path,
              int            argc,
              char         **argv)
{
  g_autofree char *username = NULL, *display = NULL, *role = NULL, *roles = NULL;
  g_autofree char *clinician = NULL;
  g_auto(GStrv) practices = NULL;
  gboolean hub = FALSE;
  GOptionEntry entries[] = {
    { "username", 0, 0, G_OPTION_ARG_STRING, &username, N_("Sign-in name (lower case)"), N_("NAME") },
    { "display-name", 0, 0, G_OPTION_ARG_STRING, &display, N_("Name shown to colleagues"), N_("TEXT") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role, N_("navigator, clinician, manager or admin"), N_("ROLE") },
    { "roles", 0, 0, G_OPTION_ARG_STRING, &roles, N_("Further roles, comma-separated"), N_("ROLES") },
    { "practice", 0, 0, G_OPTION_ARG_STRING_ARRAY, &practices, N_("A practice to work for (id or ODS code; repeat for several)"), N_("PRACTICE") },
    { "hub", 0, 0, G_OPTION_ARG_NONE, &hub, N_("Works for a regional hub (may not book practice-only slots)"), NULL },
    { "clinician", 0, 0, G_OPTION_ARG_STRING, &clinician, N_("The clinician record of this user"), N_("ID") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("— add a user (then set-password)"));
  g_autoptr(SignpostUser) user = signpost_user_new ();
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_auto(GStrv) practice_ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_uuid_string_random ();
  int value;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!signpost_admin_parse (context, &argc, &argv))
    return 2;
  OPEN_STORE (db_path);
  if (username == NULL || display == NULL || role == NULL || practices == NULL)
    {
      g_printerr (_("add-user needs --username, --display-name, --role and --practice\n"));
      return 2;
    }
  if (!signpost_enum_from_nick (SIGNPOST_TYPE_ROLE, role, &value))
    {
      g_printerr (_("Unknown role “%s”\n"), role);
      return 2;
    }
  for (guint i = 0; practices[i] != NULL; i++)
    {
      g_autoptr(SignpostRecord) practice = signpost_admin_find_practice (store, practices[i]);

      if (practice == NULL)
        return 1;
      g_strv_builder_add (ids, signpost_record_get_id (practice));
    }
  practice_ids = g_strv_builder_end (ids);
  signpost_record_set_id (SIGNPOST_RECORD (user), id);
  signpost_record_set_practice_id (SIGNPOST_RECORD (user), practice_ids[0]);
  signpost_user_set_username (user, username);
  signpost_user_set_display_name (user, display);
  signpost_user_set_role (user, value);
  if (roles != NULL)
    {
      g_auto(GStrv) list = g_strsplit (roles, ",", -1);

      signpost_user_set_roles (user, (const char * const *) list);
    }
  signpost_user_set_practice_ids (user, (const char * const *) practice_ids);
  signpost_user_set_hub (user, hub);
  signpost_user_set_clinician_id (user, clinician);
  if (!write_record (store, SIGNPOST_RECORD (user), "admin-add-user", &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_print ("%s\n", id);
  return 0;
}

static int
cmd_set_password (const char    *db_path,
                  int            argc,
                  char         **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("USERNAME — set a password (read from standard input)"));
  g_autoptr(SignpostUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  g_autofree char *hash = NULL;

  if (!signpost_admin_parse (context, &argc, &argv))
    return 2;
  OPEN_STORE (db_path);
  if (argc != 2)
    {
      g_printerr (_("set-password needs a username\n"));
      return 2;
    }
  user = signpost_store_find_user (store, argv[1], &error);
  if (user == NULL)
    {
      g_printerr (_("No user “%s”\n"), argv[1]);
      return 1;
    }
  password = signpost_admin_read_secret (_("New password: "));
  if (password == NULL || strlen (password) < 8)
    {
      g_printerr (_("A password needs at least 8 characters\n"));
      return 1;
    }
  hash = signpost_auth_hash_password (password, &error);
  if (hash == NULL ||
      !signpost_store_begin (store, &error) ||
      !signpost_store_set_password_hash (store, signpost_record_get_id (SIGNPOST_RECORD (user)),
                                         hash, &error) ||
      !signpost_store_commit (store, &error))
    {
      signpost_store_rollback (store);
      g_printerr ("%s\n", error->message);
      return 1;
    }
  return 0;
}

static int
set_line (SignpostStore *store,
          const char    *number,
          const char    *practice_arg)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SignpostRecord) practice = NULL;
  g_autofree char *e164 = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *current = NULL;

  e164 = signpost_phone_normalise (number, &error);
  if (e164 == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (practice_arg != NULL)
    practice = signpost_admin_find_practice (store, practice_arg);
  else
    {
      if (!signpost_store_get_line (store, e164, &current, NULL, &error) || current == NULL)
        {
          g_printerr (_("No line %s\n"), e164);
          return 1;
        }
      practice = signpost_admin_find_practice (store, current);
    }
  if (practice == NULL)
    return 1;
  secret = signpost_admin_read_secret (_("Webhook secret: "));
  if (secret == NULL || strlen (secret) < 12)
    {
      g_printerr (_("A line secret needs at least 12 characters\n"));
      return 1;
    }
  if (practice_arg != NULL)
    {
      const char * const *lines = signpost_practice_get_lines (SIGNPOST_PRACTICE (practice));

      if (lines == NULL || !g_strv_contains (lines, e164))
        {
          g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
          g_auto(GStrv) updated = NULL;

          if (lines != NULL)
            g_strv_builder_addv (builder, (const char **) lines);
          g_strv_builder_add (builder, e164);
          updated = g_strv_builder_end (builder);
          signpost_practice_set_lines (SIGNPOST_PRACTICE (practice), (const char * const *) updated);
          if (!write_record (store, practice, "admin-add-line", &error))
            {
              g_printerr ("%s\n", error->message);
              return 1;
            }
        }
    }
  if (!signpost_store_begin (store, &error) ||
      !signpost_store_set_line (store, e164, signpost_record_get_id (practice), secret, &error) ||
      !signpost_store_commit (store, &error))
    {
      signpost_store_rollback (store);
      g_printerr ("%s\n", error->message);
      return 1;
    }
  return 0;
}

static int
cmd_add_line (const char    *db_path,
              int            argc,
              char         **argv)
{
  g_autofree char *practice = NULL, *number = NULL;
  GOptionEntry entries[] = {
    { "practice", 0, 0, G_OPTION_ARG_STRING, &practice, N_("The practice (id or ODS code)"), N_("PRACTICE") },
    { "number", 0, 0, G_OPTION_ARG_STRING, &number, N_("The line's phone number"), N_("NUMBER") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("— add a phone line; its webhook secret is read from standard input"));

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!signpost_admin_parse (context, &argc, &argv))
    return 2;
  OPEN_STORE (db_path);
  if (practice == NULL || number == NULL)
    {
      g_printerr (_("add-line needs --practice and --number\n"));
      return 2;
    }
  return set_line (store, number, practice);
}

static int
cmd_set_line_secret (const char    *db_path,
                     int            argc,
                     char         **argv)
{
  g_autofree char *number = NULL;
  GOptionEntry entries[] = {
    { "number", 0, 0, G_OPTION_ARG_STRING, &number, N_("The line's phone number"), N_("NUMBER") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("— change a line's webhook secret (read from standard input)"));

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!signpost_admin_parse (context, &argc, &argv))
    return 2;
  OPEN_STORE (db_path);
  if (number == NULL)
    {
      g_printerr (_("set-line-secret needs --number\n"));
      return 2;
    }
  return set_line (store, number, NULL);
}

static int
cmd_list_users (const char    *db_path,
                int            argc,
                char         **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("— list users"));
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GError) error = NULL;

  if (!signpost_admin_parse (context, &argc, &argv))
    return 2;
  OPEN_STORE (db_path);
  users = signpost_store_list_records (store, SIGNPOST_RECORD_USER, NULL, &error);
  if (users == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  for (guint i = 0; i < users->len; i++)
    {
      SignpostUser *user = g_ptr_array_index (users, i);
      g_autofree char *practices = g_strjoinv (",", (char **) signpost_user_get_practice_ids (user));

      g_print ("%s\t%s\t%s\t%s%s%s\n", signpost_user_get_username (user),
               signpost_enum_to_nick (SIGNPOST_TYPE_ROLE, signpost_user_get_role (user)),
               signpost_user_get_display_name (user), practices,
               signpost_user_get_hub (user) ? "\thub" : "",
               signpost_user_get_disabled (user) ? "\tdisabled" : "");
    }
  return 0;
}

static int
cmd_revoke_tokens (const char    *db_path,
                   int            argc,
                   char         **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("USERNAME — sign a user out everywhere"));
  g_autoptr(SignpostUser) user = NULL;
  g_autoptr(GError) error = NULL;

  if (!signpost_admin_parse (context, &argc, &argv))
    return 2;
  OPEN_STORE (db_path);
  if (argc != 2)
    {
      g_printerr (_("revoke-tokens needs a username\n"));
      return 2;
    }
  user = signpost_store_find_user (store, argv[1], &error);
  if (user == NULL)
    {
      g_printerr (_("No user “%s”\n"), argv[1]);
      return 1;
    }
  if (!signpost_store_begin (store, &error) ||
      !signpost_store_revoke_user_tokens (store, signpost_record_get_id (SIGNPOST_RECORD (user)),
                                          &error) ||
      !signpost_store_commit (store, &error))
    {
      signpost_store_rollback (store);
      g_printerr ("%s\n", error->message);
      return 1;
    }
  return 0;
}

static const struct {
  const char *name;
  AdminCommand func;
  const char *help;
} commands[] = {
  { "add-practice", cmd_add_practice, N_("--ods CODE --name NAME [--time-zone ZONE]") },
  { "add-user", cmd_add_user, N_("--username NAME --display-name TEXT --role ROLE --practice P… [--hub] [--roles R,R] [--clinician ID]") },
  { "set-password", cmd_set_password, N_("USERNAME (password on standard input)") },
  { "add-line", cmd_add_line, N_("--practice P --number NUMBER (secret on standard input)") },
  { "set-line-secret", cmd_set_line_secret, N_("--number NUMBER (secret on standard input)") },
  { "add-intake-source", signpost_admin_add_intake_source,
    N_("--practice P --name NAME (secret on standard input)") },
  { "set-intake-source-secret", signpost_admin_set_intake_source_secret,
    N_("--name NAME (secret on standard input)") },
  { "list-users", cmd_list_users, "" },
  { "revoke-tokens", cmd_revoke_tokens, N_("USERNAME") },
  { "import-patients", signpost_admin_import_patients,
    N_("--practice P FILE.csv [--format signpost|emis|systmone | --mapping FILE] [--partial] [--dry-run]") },
  { "import-clinicians", signpost_admin_import_clinicians,
    N_("--practice P FILE.csv [--mapping FILE] [--dry-run]") },
  { "import-sessions", signpost_admin_import_sessions,
    N_("--practice P FILE.csv [--mapping FILE] [--dry-run]") },
  { "export-practice", signpost_admin_export_practice,
    N_("--practice P --out FILE (passphrase on standard input)") },
  { "import-practice", signpost_admin_import_practice, N_("FILE (passphrase on standard input)") },
  { "remove-practice", signpost_admin_remove_practice,
    N_("--practice P --bundle FILE (its passphrase on standard input)") },
  { "copy-to", signpost_admin_copy_to,
    N_("postgresql://… | --to-file FILE (copy this SQLite database into an empty PostgreSQL one)") },
};

static char *
admin_summary (void)
{
  GString *text = g_string_new (_("Commands:"));

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (text, "\n  %-16s %s", commands[i].name, _(commands[i].help));
  return g_string_free (text, FALSE);
}

int
signpost_admin_main (int    argc,
                     char **argv)
{
  g_autofree char *db_option = NULL;
  g_autofree char *db_file = NULL;
  g_autofree char *db_path = NULL;
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_option,
      N_("The server's database: a SQLite file or a postgresql:// URI"), N_("PATH|URI") },
    { "db-file", 0, 0, G_OPTION_ARG_FILENAME, &db_file,
      N_("Read --db from the first line of FILE (for a URI with a password)"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("COMMAND [OPTIONS…] — manage practices, users and lines"));
  g_autofree char *summary = admin_summary ();

  g_set_prgname ("signpost-server admin");
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  /* Options after the command belong to the command. */
  g_option_context_set_strict_posix (context, TRUE);
  if (!signpost_admin_parse (context, &argc, &argv))
    return 2;
  if (argc < 2)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      g_printerr ("%s", help);
      return 2;
    }
  db_path = signpost_database_resolve (db_option, db_file, NULL, &error);
  if (db_path == NULL && error != NULL)
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (db_path == NULL)
    {
      g_printerr (_("Say which database with --db PATH|URI, --db-file FILE or SIGNPOST_DB\n"));
      return 2;
    }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      {
        g_autofree char *prgname = g_strconcat ("signpost-server admin ", commands[i].name, NULL);

        g_set_prgname (prgname);
        return commands[i].func (db_path, argc - 1, argv + 1);
      }
  g_printerr (_("Unknown command “%s”\n%s\n"), argv[1], summary);
  return 2;
}
