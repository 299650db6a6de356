/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "signpost-admin-private.h"
#include "signpost-import.h"

/*
 * `signpost-server admin import-patients | import-clinicians |
 * import-sessions`: a list from a file into the database, with the
 * report on standard output. Exit status 0 when every row was applied, 3
 * when some were rejected (and the rest applied), 1 when nothing was
 * (the file could not be used), 2 for a mistake on the command line.
 * A server running on the same database sees the changes within a second
 * and tells its consoles.
 */

#define MAX_MAPPING_BYTES (64 * 1024)

/* The whole file, refused before it is read when it is larger than
 * @limit (and, for a pipe, as soon as more than @limit has come). */
static GBytes *
read_file (const char  *path,
           gsize        limit,
           GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GByteArray) data = g_byte_array_new ();
  guint8 buffer[64 * 1024];
  gssize n;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, NULL, error);
  if (info == NULL)
    return NULL;
  if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY, _("%s is a directory"), path);
      return NULL;
    }
  if (g_file_info_get_size (info) > (goffset) limit)
    {
      g_autofree char *size = g_format_size (g_file_info_get_size (info));
      g_autofree char *most = g_format_size_full (limit, G_FORMAT_SIZE_IEC_UNITS);

      /* Translators: a file name, its size, the largest size taken */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                   _("%s is %s; files of at most %s are imported (nothing was read)"),
                   path, size, most);
      return NULL;
    }
  stream = g_file_read (file, NULL, error);
  if (stream == NULL)
    return NULL;
  while ((n = g_input_stream_read (G_INPUT_STREAM (stream), buffer, sizeof buffer, NULL, error)) > 0)
    {
      if (data->len + (gsize) n > limit)
        {
          g_autofree char *most = g_format_size_full (limit, G_FORMAT_SIZE_IEC_UNITS);

          g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                       _("%s is larger than %s, the most that is imported"), path, most);
          return NULL;
        }
      g_byte_array_append (data, buffer, n);
    }
  if (n < 0)
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&data));
}

typedef SignpostImportReport *(*ImportFunc) (SignpostApplyContext        *ctx,
                                             SignpostPractice            *practice,
                                             GBytes                      *file,
                                             const SignpostImportOptions *options,
                                             GError                     **error);

static int
run_import (const char          *db_path,
            int                  argc,
            char               **argv,
            SignpostImportKind   kind,
            ImportFunc           func)
{
  g_autofree char *practice_arg = NULL, *format = NULL, *mapping_path = NULL;
  gboolean dry_run = FALSE, partial = FALSE;
  GOptionEntry patient_entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format,
      N_("Column names: signpost (default), emis or systmone"), N_("FORMAT") },
    { "partial", 0, 0, G_OPTION_ARG_NONE, &partial,
      N_("The file is not the whole list: mark nobody as having left"), NULL },
    { NULL }
  };
  GOptionEntry entries[] = {
    { "practice", 0, 0, G_OPTION_ARG_STRING, &practice_arg,
      N_("The practice (id or ODS code)"), N_("PRACTICE") },
    { "mapping", 0, 0, G_OPTION_ARG_FILENAME, &mapping_path,
      N_("A file naming the columns (docs/IMPORT.md)"), N_("FILE") },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run,
      N_("Check the file and report; write nothing"), NULL },
    { NULL }
  };
  g_autofree char *parameter = g_strdup_printf (_("FILE.csv — import %s (docs/IMPORT.md)"),
                                                signpost_import_kind_to_string (kind));
  g_autoptr(GOptionContext) context = g_option_context_new (parameter);
  g_autoptr(GKeyFile) mapping = NULL;
  g_autoptr(GBytes) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SignpostRecord) practice = NULL;
  g_autoptr(SignpostImportReport) report = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *text = NULL;
  SignpostImportOptions options;
  SignpostApplyContext ctx;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (kind == SIGNPOST_IMPORT_PATIENTS)
    g_option_context_add_main_entries (context, patient_entries, GETTEXT_PACKAGE);
  if (!signpost_admin_parse (context, &argc, &argv))
    return 2;
  if (practice_arg == NULL || argc != 2)
    {
      g_printerr (_("This needs --practice and one file\n"));
      return 2;
    }
  if (!signpost_import_format_is_known (format))
    {
      g_printerr (_("--format is signpost, emis or systmone\n"));
      return 2;
    }
  if (mapping_path != NULL)
    {
      g_autoptr(GBytes) data = read_file (mapping_path, MAX_MAPPING_BYTES, &error);
      gsize length = 0;
      const char *bytes;

      if (data == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      bytes = g_bytes_get_data (data, &length);
      mapping = signpost_import_mapping_parse (bytes, length, &error);
      if (mapping == NULL)
        {
          g_printerr (_("The mapping file %s %s\n"), mapping_path,
                      signpost_error_get_detail (error));
          return 1;
        }
    }
  file = read_file (argv[1], SIGNPOST_IMPORT_MAX_FILE_BYTES, &error);
  if (file == NULL)
    {
      g_printerr (_("Nothing was imported: %s\n"), error->message);
      return 1;
    }

  OPEN_STORE (db_path);
  practice = signpost_admin_find_practice (store, practice_arg);
  if (practice == NULL)
    return 1;

  signpost_import_options_init (&options);
  options.format = format;
  options.mapping = mapping;
  options.dry_run = dry_run;
  options.partial = partial;
  signpost_apply_context_init (&ctx, store, NULL, now);
  report = func (&ctx, SIGNPOST_PRACTICE (practice), file, &options, &error);
  signpost_apply_context_clear (&ctx);
  if (report == NULL)
    {
      g_printerr (_("Nothing was imported: %s\n"), error->message);
      return 1;
    }
  text = signpost_import_report_to_text (report);
  g_print ("%s", text);
  return signpost_import_report_get_exit_status (report);
}

int
signpost_admin_import_patients (const char  *db_path,
                                int          argc,
                                char       **argv)
{
  return run_import (db_path, argc, argv, SIGNPOST_IMPORT_PATIENTS, signpost_import_patients);
}

int
signpost_admin_import_clinicians (const char  *db_path,
                                  int          argc,
                                  char       **argv)
{
  return run_import (db_path, argc, argv, SIGNPOST_IMPORT_CLINICIANS, signpost_import_clinicians);
}

int
signpost_admin_import_sessions (const char  *db_path,
                                int          argc,
                                char       **argv)
{
  return run_import (db_path, argc, argv, SIGNPOST_IMPORT_SESSIONS, signpost_import_sessions);
}
