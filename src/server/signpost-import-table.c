/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "signpost-import-table.h"

/*
 * A list to import, as rows of cells in Signpost's column order. The
 * header row says which column is which: Signpost's own names, the names
 * EMIS Web and SystmOne reports use (docs/IMPORT.md says where each comes
 * from), or the names a mapping file gives. Headers match without regard
 * to case, spacing or underscores; columns nobody asked for are ignored
 * and listed in the report.
 */

typedef struct {
  const char *name;
  gboolean required;
  const char * const *emis;
  const char * const *systmone;
} ColumnSpec;

#define NAMES(...) ((const char * const[]) { __VA_ARGS__, NULL })

static const ColumnSpec patient_columns[SIGNPOST_PATIENT_N_COLUMNS] = {
  { "patient_ref", FALSE,
    NAMES ("Patient Number", "EMIS Number", "EMIS No", "Patient ID"),
    NAMES ("Patient ID", "SystmOne Number", "Patient Number") },
  { "nhs_number", TRUE, NAMES ("NHS Number", "NHS No"), NAMES ("NHS Number", "NHS No") },
  { "family_name", TRUE, NAMES ("Family Name", "Surname"), NAMES ("Surname", "Family Name") },
  { "given_name", TRUE, NAMES ("Given Name", "Forenames", "Forename", "First Name"),
    NAMES ("First Name", "Forename", "Forenames", "Given Name") },
  { "date_of_birth", TRUE, NAMES ("Date of Birth", "DOB"), NAMES ("Date of Birth", "DOB") },
  { "sex", FALSE, NAMES ("Gender", "Sex"), NAMES ("Gender", "Sex") },
  { "postcode", FALSE, NAMES ("Postcode", "Post Code"), NAMES ("Postcode", "Post Code") },
  { "mobile", FALSE, NAMES ("Mobile Telephone", "Mobile Number", "Mobile"),
    NAMES ("Mobile Telephone", "Mobile Number", "Mobile") },
  { "home_phone", FALSE, NAMES ("Home Telephone", "Home Phone"),
    NAMES ("Home Telephone", "Home Phone") },
  { "work_phone", FALSE, NAMES ("Work Telephone", "Work Phone"),
    NAMES ("Work Telephone", "Work Phone") },
  { "usual_gp", FALSE, NAMES ("Usual GP"), NAMES ("Usual GP", "Registered GP") },
  { "alerts", FALSE, NULL, NULL },
};

static const ColumnSpec clinician_columns[SIGNPOST_CLINICIAN_N_COLUMNS] = {
  { "title", FALSE, NULL, NULL },
  { "given_name", TRUE, NULL, NULL },
  { "family_name", TRUE, NULL, NULL },
  { "profession", TRUE, NULL, NULL },
  { "duty", FALSE, NULL, NULL },
};

static const ColumnSpec session_columns[SIGNPOST_SESSION_N_COLUMNS] = {
  { "date", TRUE, NULL, NULL },
  { "clinician", TRUE, NULL, NULL },
  { "start", TRUE, NULL, NULL },
  { "end", TRUE, NULL, NULL },
  { "slot_length", TRUE, NULL, NULL },
  { "mode", FALSE, NULL, NULL },
  { "release", FALSE, NULL, NULL },
  { "hub_bookable", FALSE, NULL, NULL },
};

#undef NAMES

struct _SignpostImportTable
{
  GObject parent_instance;

  SignpostCsvReader *reader;
  const ColumnSpec *specs;
  guint n_columns;
  int *source;                    /* per column: index in the file, or -1 */
  GStrv header;
  GStrv ignored;
};

G_DEFINE_FINAL_TYPE (SignpostImportTable, signpost_import_table, G_TYPE_OBJECT)

static const ColumnSpec *
specs_for (SignpostImportKind  kind,
           guint              *n_columns)
{
  switch (kind)
    {
    case SIGNPOST_IMPORT_CLINICIANS:
      *n_columns = G_N_ELEMENTS (clinician_columns);
      return clinician_columns;
    case SIGNPOST_IMPORT_SESSIONS:
      *n_columns = G_N_ELEMENTS (session_columns);
      return session_columns;
    case SIGNPOST_IMPORT_PATIENTS:
    default:
      *n_columns = G_N_ELEMENTS (patient_columns);
      return patient_columns;
    }
}

const char *
signpost_import_kind_to_string (SignpostImportKind kind)
{
  switch (kind)
    {
    case SIGNPOST_IMPORT_CLINICIANS:
      return "clinicians";
    case SIGNPOST_IMPORT_SESSIONS:
      return "sessions";
    case SIGNPOST_IMPORT_PATIENTS:
    default:
      return "patients";
    }
}

gboolean
signpost_import_format_is_known (const char *format)
{
  return format == NULL || g_str_equal (format, "signpost") || g_str_equal (format, "emis") ||
         g_str_equal (format, "systmone");
}

/* Header text for matching: case folded, runs of spaces and underscores
 * made one space. */
static char *
header_key (const char *text)
{
  g_autofree char *clean = signpost_import_clean_text (text);
  g_autofree char *folded = NULL;
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;

  if (clean == NULL)
    return g_string_free (out, FALSE);
  folded = g_utf8_casefold (clean, -1);
  for (const char *p = folded; *p != '\0'; p++)
    {
      if (*p == ' ' || *p == '_' || *p == '\t')
        {
          space = out->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/**
 * signpost_import_mapping_parse:
 *
 * Reads a mapping file: a [columns] group whose keys are Signpost column
 * names and whose values are the headers the file uses for them.
 *
 * Returns: (transfer full): the mapping, or %NULL with an error on the
 *   field "mapping"
 */
GKeyFile *
signpost_import_mapping_parse (const char  *data,
                               gsize        length,
                               GError     **error)
{
  g_autoptr(GKeyFile) mapping = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;

  if (length > 64 * 1024 || !g_utf8_validate (data, length, NULL) ||
      !g_key_file_load_from_data (mapping, data, length, G_KEY_FILE_NONE, &local_error))
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "mapping",
                                _("is not a mapping file: a [columns] group of "
                                  "“signpost_name = Header in the file” lines"));
      return NULL;
    }
  if (!g_key_file_has_group (mapping, "columns"))
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "mapping",
                                _("has no [columns] group"));
      return NULL;
    }
  return g_steal_pointer (&mapping);
}

static void
signpost_import_table_finalize (GObject *object)
{
  SignpostImportTable *self = SIGNPOST_IMPORT_TABLE (object);

  g_clear_object (&self->reader);
  g_free (self->source);
  g_strfreev (self->header);
  g_strfreev (self->ignored);

  G_OBJECT_CLASS (signpost_import_table_parent_class)->finalize (object);
}

static void
signpost_import_table_class_init (SignpostImportTableClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = signpost_import_table_finalize;
}

static void
signpost_import_table_init (SignpostImportTable *self)
{
}

/* The header names a column may have in this format. */
static GStrv
candidates (const ColumnSpec *spec,
            const char       *format,
            GKeyFile         *mapping)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (mapping != NULL && g_key_file_has_key (mapping, "columns", spec->name, NULL))
    {
      g_autofree char *value = g_key_file_get_string (mapping, "columns", spec->name, NULL);

      if (value != NULL)
        g_strv_builder_add (builder, value);
      return g_strv_builder_end (builder);
    }
  if (g_strcmp0 (format, "emis") == 0 && spec->emis != NULL)
    g_strv_builder_addv (builder, (const char **) spec->emis);
  else if (g_strcmp0 (format, "systmone") == 0 && spec->systmone != NULL)
    g_strv_builder_addv (builder, (const char **) spec->systmone);
  g_strv_builder_add (builder, spec->name);
  return g_strv_builder_end (builder);
}

static gboolean
check_mapping (GKeyFile          *mapping,
               const ColumnSpec  *specs,
               guint              n_columns,
               GError           **error)
{
  g_auto(GStrv) keys = NULL;

  if (mapping == NULL)
    return TRUE;
  keys = g_key_file_get_keys (mapping, "columns", NULL, NULL);
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      gboolean known = FALSE;

      for (guint j = 0; j < n_columns; j++)
        known = known || g_str_equal (keys[i], specs[j].name);
      if (!known)
        {
          if (signpost_format_check (SIGNPOST_FORMAT_KEY, keys[i], NULL))
            signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "mapping",
                                      _("names “%s”, which is not a column of this list"),
                                      keys[i]);
          else
            signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "mapping",
                                      _("names a column this list does not have"));
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * signpost_import_table_new:
 * @format: (nullable): "signpost" (the default), "emis" or "systmone"
 * @mapping: (nullable): a mapping file, which overrides @format
 *
 * Decodes @file and reads its header.
 *
 * Returns: (transfer full): the table, or %NULL with an error naming
 *   "file" (or the missing column) when the file cannot be used
 */
SignpostImportTable *
signpost_import_table_new (SignpostImportKind   kind,
                           GBytes              *file,
                           const char          *format,
                           GKeyFile            *mapping,
                           GError             **error)
{
  g_autoptr(SignpostImportTable) self = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GStrvBuilder) ignored = g_strv_builder_new ();
  g_autofree char **keys = NULL;
  guint n_header;

  g_return_val_if_fail (file != NULL, NULL);

  if (!signpost_import_format_is_known (format))
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "format",
                                _("must be signpost, emis or systmone"));
      return NULL;
    }
  self = g_object_new (SIGNPOST_TYPE_IMPORT_TABLE, NULL);
  self->specs = specs_for (kind, &self->n_columns);
  if (format != NULL && !g_str_equal (format, "signpost") && kind != SIGNPOST_IMPORT_PATIENTS)
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "format",
                                _("EMIS Web and SystmOne names exist for patient lists only"));
      return NULL;
    }
  if (!check_mapping (mapping, self->specs, self->n_columns, error))
    return NULL;

  if (g_bytes_get_size (file) > SIGNPOST_IMPORT_MAX_FILE_BYTES)
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_TOO_LARGE, "file",
                                _("is larger than %u MiB"),
                                SIGNPOST_IMPORT_MAX_FILE_BYTES / (1024 * 1024));
      return NULL;
    }
  self->reader = signpost_csv_reader_new (file, &local_error);
  if (self->reader == NULL ||
      !signpost_csv_reader_next (self->reader, &self->header, NULL, &local_error))
    {
      if (local_error == NULL)
        signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "file", _("is empty"));
      else
        signpost_set_field_error (error, local_error->code, "file", "%s", local_error->message);
      return NULL;
    }

  n_header = g_strv_length (self->header);
  keys = g_new0 (char *, n_header + 1);
  for (guint i = 0; i < n_header; i++)
    keys[i] = header_key (self->header[i]);
  self->source = g_new (int, self->n_columns);
  for (guint c = 0; c < self->n_columns; c++)
    {
      g_auto(GStrv) names = candidates (&self->specs[c], format, mapping);

      self->source[c] = -1;
      for (guint n = 0; names[n] != NULL && self->source[c] < 0; n++)
        {
          g_autofree char *want = header_key (names[n]);

          for (guint i = 0; i < n_header; i++)
            if (*want != '\0' && g_str_equal (keys[i], want))
              {
                if (self->source[c] >= 0)
                  {
                    signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "file",
                                              _("has two columns called “%s”"), names[n]);
                    goto fail;
                  }
                self->source[c] = i;
              }
        }
      if (self->source[c] < 0 && self->specs[c].required)
        {
          if (g_str_equal (names[0], self->specs[c].name))
            signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, self->specs[c].name,
                                      _("The file has no “%s” column, which is needed"),
                                      names[0]);
          else
            /* Translators: the first %s is a column's name in the file, the
             * second Signpost's name for it */
            signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, self->specs[c].name,
                                      _("The file has no “%s” column (Signpost’s %s), which is "
                                        "needed"),
                                      names[0], self->specs[c].name);
          goto fail;
        }
    }
  /* A column two fields claim is a mapping mistake. */
  for (guint c = 0; c < self->n_columns; c++)
    for (guint d = c + 1; d < self->n_columns; d++)
      if (self->source[c] >= 0 && self->source[c] == self->source[d])
        {
          signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "mapping",
                                    _("gives the column “%s” to both %s and %s"),
                                    self->header[self->source[c]], self->specs[c].name,
                                    self->specs[d].name);
          goto fail;
        }
  for (guint i = 0; i < n_header; i++)
    {
      gboolean used = FALSE;

      for (guint c = 0; c < self->n_columns; c++)
        used = used || self->source[c] == (int) i;
      if (!used && *keys[i] != '\0')
        g_strv_builder_add (ignored, self->header[i]);
    }
  self->ignored = g_strv_builder_end (ignored);
  for (guint i = 0; i < n_header; i++)
    g_free (keys[i]);
  return g_steal_pointer (&self);

fail:
  for (guint i = 0; i < n_header; i++)
    g_free (keys[i]);
  return NULL;
}

const char *
signpost_import_table_get_encoding (SignpostImportTable *self)
{
  g_return_val_if_fail (SIGNPOST_IS_IMPORT_TABLE (self), NULL);

  return signpost_csv_reader_get_encoding (self->reader);
}

/* Header names of the columns that mean nothing to this import. */
GStrv
signpost_import_table_get_ignored (SignpostImportTable *self)
{
  g_return_val_if_fail (SIGNPOST_IS_IMPORT_TABLE (self), NULL);

  return self->ignored;
}

gboolean
signpost_import_table_has_column (SignpostImportTable *self,
                                  guint                column)
{
  g_return_val_if_fail (SIGNPOST_IS_IMPORT_TABLE (self), FALSE);
  g_return_val_if_fail (column < self->n_columns, FALSE);

  return self->source[column] >= 0;
}

/* The column's name as the file's header writes it (for the report). */
const char *
signpost_import_table_get_label (SignpostImportTable *self,
                                 guint                column)
{
  g_return_val_if_fail (SIGNPOST_IS_IMPORT_TABLE (self), NULL);
  g_return_val_if_fail (column < self->n_columns, NULL);

  if (self->source[column] < 0)
    return self->specs[column].name;
  return self->header[self->source[column]];
}

/**
 * signpost_import_table_next:
 * @cells: (out) (transfer full): the row's cells in column order; "" for a
 *   column the file does not have or a row too short to reach
 * @line: (out): the line the row starts on
 * @too_many_fields: (out): the row has more fields than the header
 *
 * Returns: %TRUE with a row; %FALSE at the end, or with an error when the
 *   rest of the file cannot be read
 */
gboolean
signpost_import_table_next (SignpostImportTable  *self,
                            GStrv                *cells,
                            guint                *line,
                            gboolean             *too_many_fields,
                            GError              **error)
{
  g_auto(GStrv) fields = NULL;
  g_autoptr(GError) local_error = NULL;
  guint n_fields;

  g_return_val_if_fail (SIGNPOST_IS_IMPORT_TABLE (self), FALSE);

  *cells = NULL;
  if (!signpost_csv_reader_next (self->reader, &fields, line, &local_error))
    {
      if (local_error != NULL)
        signpost_set_field_error (error, local_error->code, "file", "%s", local_error->message);
      return FALSE;
    }
  n_fields = g_strv_length (fields);
  *too_many_fields = n_fields > g_strv_length (self->header);
  *cells = g_new0 (char *, self->n_columns + 1);
  for (guint c = 0; c < self->n_columns; c++)
    {
      int source = self->source[c];

      (*cells)[c] = g_strdup (source >= 0 && (guint) source < n_fields ? fields[source] : "");
    }
  return TRUE;
}
