/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-core"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "signpost-csv-reader.h"
#include "signpost-error.h"

/*
 * Reads the CSV files that clinical systems and spreadsheets write: RFC
 * 4180 records (a field in double quotes may hold commas, newlines and
 * doubled quotes), lines ending in CRLF, LF or a lone CR, and text in
 * UTF-8 (with or without a byte order mark) or, failing that, in
 * Windows-1252, which is what Excel on a Windows PC saves as "CSV". The
 * whole file is decoded to UTF-8 first, so a file that is neither is
 * refused before a single record is handed out. NUL bytes never occur in
 * such text: a file holding one is UTF-16 or not text at all.
 */

struct _SignpostCsvReader
{
  GObject parent_instance;

  char *text;             /* the whole file as UTF-8, NUL-terminated */
  gsize length;
  gsize pos;
  guint line;             /* of the character at pos, from 1 */
  const char *encoding;
};

G_DEFINE_FINAL_TYPE (SignpostCsvReader, signpost_csv_reader, G_TYPE_OBJECT)

/* Windows-1252's 0x80–0x9F; 0 where the code page defines nothing. Every
 * other byte above 0x7F is the Latin-1 character of the same number. */
static const gunichar cp1252_high[32] = {
  0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
  0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

/* The line (from 1) of the byte at @offset; CRLF, LF and CR end lines. */
static guint
line_of (const guchar *data,
         gsize         length,
         gsize         offset)
{
  guint line = 1;

  for (gsize i = 0; i < offset && i < length; i++)
    if (data[i] == '\n' || (data[i] == '\r' && (i + 1 >= length || data[i + 1] != '\n')))
      line++;
  return line;
}

static char *
from_cp1252 (const guchar  *data,
             gsize          length,
             GError       **error)
{
  g_autoptr(GString) out = g_string_sized_new (length + length / 8 + 1);

  for (gsize i = 0; i < length; i++)
    {
      guchar byte = data[i];

      if (byte < 0x80)
        g_string_append_c (out, byte);
      else if (byte >= 0xA0)
        g_string_append_unichar (out, byte);
      else if (cp1252_high[byte - 0x80] != 0)
        g_string_append_unichar (out, cp1252_high[byte - 0x80]);
      else
        {
          g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                       _("Line %u is neither UTF-8 nor Windows-1252 text: save the file as "
                         "CSV (UTF-8)"),
                       line_of (data, length, i));
          return NULL;
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
signpost_csv_reader_finalize (GObject *object)
{
  SignpostCsvReader *self = SIGNPOST_CSV_READER (object);

  g_free (self->text);

  G_OBJECT_CLASS (signpost_csv_reader_parent_class)->finalize (object);
}

static void
signpost_csv_reader_class_init (SignpostCsvReaderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = signpost_csv_reader_finalize;
}

static void
signpost_csv_reader_init (SignpostCsvReader *self)
{
  self->line = 1;
}

/**
 * signpost_csv_reader_new:
 * @bytes: the whole file
 *
 * Decodes @bytes and gets ready to read records.
 *
 * Returns: (transfer full): the reader, or %NULL with SIGNPOST_ERROR_INVALID
 *   when the file is not text in a known encoding
 */
SignpostCsvReader *
signpost_csv_reader_new (GBytes  *bytes,
                         GError **error)
{
  g_autoptr(SignpostCsvReader) self = NULL;
  gsize length = 0;
  const guchar *data;
  const guchar *nul;

  g_return_val_if_fail (bytes != NULL, NULL);

  data = g_bytes_get_data (bytes, &length);
  if (data == NULL)
    data = (const guchar *) "";
  if (length >= 2 && ((data[0] == 0xFF && data[1] == 0xFE) || (data[0] == 0xFE && data[1] == 0xFF)))
    {
      g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                           _("The file is UTF-16 (“Unicode text”): save it as CSV (UTF-8)"));
      return NULL;
    }
  nul = length > 0 ? memchr (data, '\0', length) : NULL;
  if (nul != NULL)
    {
      g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                   _("Line %u holds a NUL byte: this is not a CSV text file"),
                   line_of (data, length, nul - data));
      return NULL;
    }

  self = g_object_new (SIGNPOST_TYPE_CSV_READER, NULL);
  if (length >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
    {
      const char *end = NULL;

      if (!g_utf8_validate ((const char *) data + 3, length - 3, &end))
        {
          g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                       _("Line %u is not UTF-8, although the file says it is"),
                       line_of (data + 3, length - 3, (const guchar *) end - (data + 3)));
          return NULL;
        }
      self->text = g_strndup ((const char *) data + 3, length - 3);
      self->encoding = "UTF-8";
    }
  else if (g_utf8_validate ((const char *) data, length, NULL))
    {
      self->text = g_strndup ((const char *) data, length);
      self->encoding = "UTF-8";
    }
  else
    {
      self->text = from_cp1252 (data, length, error);
      if (self->text == NULL)
        return NULL;
      self->encoding = "windows-1252";
    }
  self->length = strlen (self->text);
  return g_steal_pointer (&self);
}

/* "UTF-8" or "windows-1252": what the file turned out to be. */
const char *
signpost_csv_reader_get_encoding (SignpostCsvReader *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CSV_READER (self), NULL);

  return self->encoding;
}

/* Steps over a line ending at pos, if there is one. */
static gboolean
take_line_end (SignpostCsvReader *self)
{
  if (self->text[self->pos] == '\r')
    {
      self->pos++;
      if (self->text[self->pos] == '\n')
        self->pos++;
      self->line++;
      return TRUE;
    }
  if (self->text[self->pos] == '\n')
    {
      self->pos++;
      self->line++;
      return TRUE;
    }
  return FALSE;
}

static gboolean
field_too_long (GString  *field,
                guint     line,
                GError  **error)
{
  if (field->len <= SIGNPOST_CSV_MAX_FIELD_BYTES)
    return FALSE;
  g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_TOO_LARGE,
               _("Line %u has a field of more than %u bytes: this is not a patient list"),
               line, SIGNPOST_CSV_MAX_FIELD_BYTES);
  return TRUE;
}

/* Reads one field at pos into @field; leaves pos on the comma, line end or
 * end of text after it. */
static gboolean
read_field (SignpostCsvReader  *self,
            GString            *field,
            guint               record_line,
            GError            **error)
{
  const char *text = self->text;

  if (text[self->pos] == '"')
    {
      guint start_line = self->line;

      self->pos++;
      for (;;)
        {
          const char *quote = strchr (text + self->pos, '"');
          gsize run;

          if (quote == NULL)
            {
              g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                           _("Line %u opens a quoted field that is never closed"), start_line);
              return FALSE;
            }
          run = quote - (text + self->pos);
          for (gsize i = 0; i < run; i++)
            if (text[self->pos + i] == '\n' ||
                (text[self->pos + i] == '\r' && text[self->pos + i + 1] != '\n'))
              self->line++;
          g_string_append_len (field, text + self->pos, run);
          self->pos += run + 1;
          if (field_too_long (field, record_line, error))
            return FALSE;
          if (text[self->pos] == '"')
            {
              g_string_append_c (field, '"');
              self->pos++;
              continue;
            }
          break;
        }
    }
  /* Unquoted text, or what follows a closing quote before the comma
   * (kept as it is, as spreadsheets do). */
  while (text[self->pos] != '\0' && text[self->pos] != ',' &&
         text[self->pos] != '\r' && text[self->pos] != '\n')
    {
      gsize run = strcspn (text + self->pos, ",\r\n");

      g_string_append_len (field, text + self->pos, run);
      self->pos += run;
      if (field_too_long (field, record_line, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * signpost_csv_reader_next:
 * @fields: (out) (transfer full): the record's fields
 * @line: (out) (optional): the line the record starts on, from 1
 *
 * Reads the next record, skipping blank lines.
 *
 * Returns: %TRUE with a record; %FALSE at the end of the file (@fields
 *   %NULL, no error) or when the rest of the file cannot be read
 */
gboolean
signpost_csv_reader_next (SignpostCsvReader  *self,
                          GStrv              *fields,
                          guint              *line,
                          GError            **error)
{
  g_return_val_if_fail (SIGNPOST_IS_CSV_READER (self), FALSE);
  g_return_val_if_fail (fields != NULL, FALSE);

  *fields = NULL;
  for (;;)
    {
      g_autoptr(GStrvBuilder) builder = NULL;
      g_autoptr(GString) field = NULL;
      guint record_line;
      guint n_fields = 0;
      gboolean blank;

      if (self->pos >= self->length)
        return FALSE;
      record_line = self->line;
      /* A blank line is no record. */
      if (take_line_end (self))
        continue;

      builder = g_strv_builder_new ();
      field = g_string_new (NULL);
      blank = TRUE;
      for (;;)
        {
          if (!read_field (self, field, record_line, error))
            return FALSE;
          if (++n_fields > SIGNPOST_CSV_MAX_FIELDS)
            {
              g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_TOO_LARGE,
                           _("Line %u has more than %u fields: this is not a patient list"),
                           record_line, SIGNPOST_CSV_MAX_FIELDS);
              return FALSE;
            }
          if (field->len > 0)
            blank = FALSE;
          g_strv_builder_add (builder, field->str);
          g_string_truncate (field, 0);
          if (self->text[self->pos] == ',')
            {
              self->pos++;
              continue;
            }
          take_line_end (self);
          break;
        }
      /* A line of commas alone is as blank as an empty one. */
      if (blank)
        continue;
      *fields = g_strv_builder_end (builder);
      if (line != NULL)
        *line = record_line;
      return TRUE;
    }
}
