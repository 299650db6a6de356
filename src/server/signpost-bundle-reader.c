/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <string.h>
#include <sodium.h>
#include <glib/gi18n-lib.h>

#include "signpost-bundle-reader.h"

/*
 * Reads a practice bundle. Opening one checks all of it: the manifest's
 * format and version, the passphrase, the manifest's signature, and every
 * part's header, count and digest, reading the file once from end to
 * end. Only then are the items handed out, on a second reading that
 * checks the same things again as it goes (the caller writes them in a
 * transaction it can still roll back if the file changed in between).
 * Lines are capped in length, so a hostile file cannot make the reader
 * hold it whole.
 */

#define MAX_LINE (4 * 1024 * 1024)
#define MAX_OPSLIMIT 16
#define MAX_MEMLIMIT ((gsize) 1024 * 1024 * 1024)

struct _SignpostBundleReader
{
  GObject parent_instance;

  char *path;
  SignpostBundleInfo info;
  SignpostBundleKey key;
};

G_DEFINE_FINAL_TYPE (SignpostBundleReader, signpost_bundle_reader, G_TYPE_OBJECT)

/* ---- lines ------------------------------------------------------------- */

typedef struct {
  GInputStream *in;
  GByteArray *buffer;
  gsize start;            /* of the next line in @buffer */
  gboolean eof;
  guint number;
  GChecksum *file;        /* every byte read */
} LineReader;

static void
line_reader_clear (LineReader *reader)
{
  g_clear_object (&reader->in);
  g_clear_pointer (&reader->buffer, g_byte_array_unref);
  g_clear_pointer (&reader->file, g_checksum_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LineReader, line_reader_clear)

static gboolean
line_reader_open (LineReader  *reader,
                  const char  *path,
                  GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);

  memset (reader, 0, sizeof *reader);
  reader->in = G_INPUT_STREAM (g_file_read (file, NULL, error));
  if (reader->in == NULL)
    return FALSE;
  reader->buffer = g_byte_array_new ();
  reader->file = g_checksum_new (G_CHECKSUM_SHA256);
  return TRUE;
}

static gboolean
not_a_bundle (GError    **error,
              guint       line,
              const char *what)
{
  /* Translators: a line number, and what is wrong there */
  g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
               _("This is not a readable practice bundle (line %u: %s)"), line, what);
  return FALSE;
}

/* The next line, without its "\n", or NULL at the end (error unset) or on
 * error. Borrowed until the next call. */
static const char *
line_reader_next (LineReader  *reader,
                  gsize       *length,
                  GError     **error)
{
  for (;;)
    {
      guint8 *data = reader->buffer->data + reader->start;
      gsize available = reader->buffer->len - reader->start;
      guint8 *newline = available > 0 ? memchr (data, '\n', available) : NULL;
      guint8 chunk[64 * 1024];
      gssize n;

      if (newline != NULL)
        {
          *newline = '\0';
          *length = newline - data;
          reader->start += *length + 1;
          reader->number++;
          return (const char *) data;
        }
      if (available > MAX_LINE)
        {
          not_a_bundle (error, reader->number + 1, _("the line is too long"));
          return NULL;
        }
      if (reader->eof)
        {
          if (available > 0)
            not_a_bundle (error, reader->number + 1, _("the file ends in the middle of a line"));
          return NULL;
        }
      /* Keep what is left of the buffer, and read more. */
      if (reader->start > 0)
        {
          g_byte_array_remove_range (reader->buffer, 0, reader->start);
          reader->start = 0;
        }
      n = g_input_stream_read (reader->in, chunk, sizeof chunk, NULL, error);
      if (n < 0)
        return NULL;
      if (n == 0)
        reader->eof = TRUE;
      g_checksum_update (reader->file, chunk, n);
      g_byte_array_append (reader->buffer, chunk, n);
    }
}

/* ---- the manifest ------------------------------------------------------ */

static guint8 *
base64_member (JsonObject *object,
               const char *member,
               gsize       expected)
{
  const char *text = json_object_get_string_member_with_default (object, member, NULL);
  g_autofree guint8 *data = NULL;
  gsize length = 0;

  if (text == NULL || strlen (text) > 1024)
    return NULL;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/' && *p != '=')
      return NULL;
  data = g_base64_decode (text, &length);
  return length == expected ? g_steal_pointer (&data) : NULL;
}

static const char *
string_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gint64
int_member (JsonObject *object,
            const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return -1;
  return json_node_get_int (node);
}

static JsonObject *
object_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static gboolean
read_manifest (SignpostBundleReader  *self,
               LineReader            *reader,
               const char            *passphrase,
               GError               **error)
{
  g_autoptr(JsonObject) manifest = NULL;
  g_autofree guint8 *salt = NULL;
  g_autofree char *check = NULL;
  JsonObject *practice, *secrets;
  JsonNode *parts;
  const char *line;
  gsize length = 0;
  gint64 opslimit, memlimit;

  line = line_reader_next (reader, &length, error);
  if (line == NULL)
    return *error != NULL ? FALSE : not_a_bundle (error, 1, _("the file is empty"));
  manifest = signpost_json_parse_object (line, length, MAX_LINE, NULL);
  if (manifest == NULL || g_strcmp0 (string_member (manifest, "format"), SIGNPOST_BUNDLE_FORMAT) != 0)
    return not_a_bundle (error, 1, _("there is no bundle manifest"));
  self->info.version = int_member (manifest, "version");
  if (self->info.version > SIGNPOST_BUNDLE_VERSION)
    {
      g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                   _("This bundle is of version %d, made by a newer Signpost; this server reads "
                     "version %d and earlier: upgrade it first"),
                   self->info.version, SIGNPOST_BUNDLE_VERSION);
      return FALSE;
    }
  if (self->info.version < 1)
    return not_a_bundle (error, 1, _("the manifest has no version"));

  practice = object_member (manifest, "practice");
  self->info.practice_id = g_strdup (string_member (practice, "id"));
  self->info.ods_code = g_strdup (string_member (practice, "ods_code"));
  self->info.name = g_strdup (string_member (practice, "name"));
  self->info.exported_at = g_strdup (string_member (manifest, "exported_at"));
  if (self->info.practice_id == NULL || !signpost_uuid_is_canonical (self->info.practice_id) ||
      self->info.ods_code == NULL || self->info.name == NULL || self->info.exported_at == NULL)
    return not_a_bundle (error, 1, _("the manifest does not say which practice"));

  parts = json_object_get_member (manifest, "parts");
  if (parts == NULL || !JSON_NODE_HOLDS_ARRAY (parts) ||
      json_array_get_length (json_node_get_array (parts)) != SIGNPOST_BUNDLE_N_PARTS)
    return not_a_bundle (error, 1, _("the manifest does not list the parts"));
  for (guint i = 0; i < SIGNPOST_BUNDLE_N_PARTS; i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (parts), i);
      JsonObject *part = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      const char *digest = string_member (part, "sha256");

      if (g_strcmp0 (string_member (part, "name"), signpost_bundle_part_name (i)) != 0 ||
          int_member (part, "count") < 0 || digest == NULL || strlen (digest) != 64)
        return not_a_bundle (error, 1, _("the manifest does not list the parts"));
      self->info.counts[i] = int_member (part, "count");
      self->info.digests[i] = g_strdup (digest);
    }

  secrets = object_member (manifest, "passphrase");
  opslimit = int_member (secrets, "opslimit");
  memlimit = int_member (secrets, "memlimit");
  salt = base64_member (secrets, "salt", crypto_pwhash_SALTBYTES);
  if (g_strcmp0 (string_member (secrets, "kdf"), "argon2id13") != 0 ||
      g_strcmp0 (string_member (secrets, "cipher"), "xsalsa20poly1305") != 0 ||
      salt == NULL || opslimit < (gint64) crypto_pwhash_OPSLIMIT_MIN || opslimit > MAX_OPSLIMIT ||
      memlimit < (gint64) crypto_pwhash_MEMLIMIT_MIN || (guint64) memlimit > MAX_MEMLIMIT)
    return not_a_bundle (error, 1, _("the manifest’s passphrase settings are not ones Signpost uses"));
  if (!signpost_bundle_derive_key (passphrase, salt, opslimit, memlimit, &self->key, error))
    return FALSE;
  check = signpost_bundle_open (&self->key, json_object_get_member (secrets, "check"), NULL);
  if (g_strcmp0 (check, SIGNPOST_BUNDLE_FORMAT) != 0)
    {
      g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_FORBIDDEN,
                           _("The passphrase is not the one this bundle was written with"));
      return FALSE;
    }
  if (!signpost_bundle_verify_signature (&self->key, &self->info,
                                         string_member (manifest, "signature")))
    {
      g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                           _("The bundle’s manifest has been altered: its signature does not match"));
      return FALSE;
    }
  return TRUE;
}

/* ---- the parts --------------------------------------------------------- */

/* Reads every part, checking it against the manifest; hands each item to
 * @func when there is one. */
static gboolean
read_parts (SignpostBundleReader    *self,
            LineReader              *reader,
            SignpostBundleItemFunc   func,
            gpointer                 user_data,
            GError                 **error)
{
  for (guint i = 0; i < SIGNPOST_BUNDLE_N_PARTS; i++)
    {
      g_autoptr(GChecksum) sha = g_checksum_new (G_CHECKSUM_SHA256);
      g_autoptr(JsonObject) header = NULL;
      const char *line;
      gsize length = 0;

      line = line_reader_next (reader, &length, error);
      if (line == NULL && *error == NULL)
        return not_a_bundle (error, reader->number + 1, _("the file ends before the last part"));
      if (line == NULL)
        return FALSE;
      header = signpost_json_parse_object (line, length, MAX_LINE, NULL);
      if (header == NULL || g_strcmp0 (string_member (header, "part"), signpost_bundle_part_name (i)) != 0 ||
          int_member (header, "count") != self->info.counts[i])
        return not_a_bundle (error, reader->number, _("a part is missing or out of place"));
      for (gint64 n = 0; n < self->info.counts[i]; n++)
        {
          line = line_reader_next (reader, &length, error);
          if (line == NULL && *error == NULL)
            return not_a_bundle (error, reader->number + 1,
                                 _("a part has fewer items than the manifest says"));
          if (line == NULL)
            return FALSE;
          g_checksum_update (sha, (const guchar *) line, length);
          g_checksum_update (sha, (const guchar *) "\n", 1);
          if (func != NULL)
            {
              g_autoptr(JsonObject) item = signpost_json_parse_object (line, length, MAX_LINE, NULL);

              if (item == NULL)
                return not_a_bundle (error, reader->number, _("an item is not a JSON object"));
              if (!func (i, item, user_data, error))
                return FALSE;
            }
        }
      if (g_strcmp0 (g_checksum_get_string (sha), self->info.digests[i]) != 0)
        {
          g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                       _("The bundle’s “%s” part is damaged: its checksum does not match the "
                         "manifest"),
                       signpost_bundle_part_name (i));
          return FALSE;
        }
    }
  {
    gsize length = 0;
    const char *line = line_reader_next (reader, &length, error);

    if (line != NULL)
      return not_a_bundle (error, reader->number, _("there is more after the last part"));
    return *error == NULL;
  }
}

static void
signpost_bundle_reader_finalize (GObject *object)
{
  SignpostBundleReader *self = SIGNPOST_BUNDLE_READER (object);

  g_free (self->path);
  signpost_bundle_info_clear (&self->info);
  signpost_bundle_key_clear (&self->key);

  G_OBJECT_CLASS (signpost_bundle_reader_parent_class)->finalize (object);
}

static void
signpost_bundle_reader_class_init (SignpostBundleReaderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = signpost_bundle_reader_finalize;
}

static void
signpost_bundle_reader_init (SignpostBundleReader *self)
{
}

/**
 * signpost_bundle_reader_new:
 * @info: (out caller-allocates) (optional): what the manifest says, and
 *   the whole file's digest
 *
 * Opens and checks the bundle at @path (see the top of this file).
 */
SignpostBundleReader *
signpost_bundle_reader_new (const char          *path,
                            const char          *passphrase,
                            SignpostBundleInfo  *info,
                            GError             **error)
{
  g_autoptr(SignpostBundleReader) self = g_object_new (SIGNPOST_TYPE_BUNDLE_READER, NULL);
  g_auto(LineReader) reader = { 0 };
  g_autoptr(GError) local_error = NULL;

  self->path = g_strdup (path);
  if (!line_reader_open (&reader, path, &local_error) ||
      !read_manifest (self, &reader, passphrase != NULL ? passphrase : "", &local_error) ||
      !read_parts (self, &reader, NULL, NULL, &local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  self->info.file_digest = g_strdup (g_checksum_get_string (reader.file));
  if (info != NULL)
    {
      signpost_bundle_info_clear (info);
      info->version = self->info.version;
      info->practice_id = g_strdup (self->info.practice_id);
      info->ods_code = g_strdup (self->info.ods_code);
      info->name = g_strdup (self->info.name);
      info->exported_at = g_strdup (self->info.exported_at);
      for (guint i = 0; i < SIGNPOST_BUNDLE_N_PARTS; i++)
        {
          info->counts[i] = self->info.counts[i];
          info->digests[i] = g_strdup (self->info.digests[i]);
        }
      info->file_digest = g_strdup (self->info.file_digest);
    }
  return g_steal_pointer (&self);
}

/**
 * signpost_bundle_reader_foreach:
 *
 * Reads the bundle again, handing @func every item, part by part. Fails
 * if the file no longer matches what was checked when it was opened.
 */
gboolean
signpost_bundle_reader_foreach (SignpostBundleReader    *self,
                                SignpostBundleItemFunc   func,
                                gpointer                 user_data,
                                GError                 **error)
{
  g_auto(LineReader) reader = { 0 };
  g_autoptr(GError) local_error = NULL;
  const char *line;
  gsize length = 0;

  g_return_val_if_fail (SIGNPOST_IS_BUNDLE_READER (self), FALSE);

  if (!line_reader_open (&reader, self->path, &local_error) ||
      ((line = line_reader_next (&reader, &length, &local_error)) == NULL &&
       (local_error != NULL || !not_a_bundle (&local_error, 1, _("the file is empty")))) ||
      !read_parts (self, &reader, func, user_data, &local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (g_strcmp0 (g_checksum_get_string (reader.file), self->info.file_digest) != 0)
    {
      g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_CONFLICT,
                           _("The bundle changed while it was being read"));
      return FALSE;
    }
  return TRUE;
}

/* A secret sealed in the bundle, opened with the passphrase. */
char *
signpost_bundle_reader_open (SignpostBundleReader  *self,
                             JsonNode              *sealed,
                             GError               **error)
{
  g_return_val_if_fail (SIGNPOST_IS_BUNDLE_READER (self), NULL);

  return signpost_bundle_open (&self->key, sealed, error);
}
