/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <string.h>
#include <sodium.h>
#include <glib/gi18n-lib.h>

#include "signpost-bundle-writer.h"

/*
 * Writes a practice bundle (docs/BUNDLE.md): the manifest on the first
 * line, then each part as a header line and one JSON object per line.
 * Items are added part by part in any order; each part is sorted by its
 * items' text before writing, so that the same records always make the
 * same bytes. The file appears whole or not at all (written beside, then
 * renamed).
 */

#define CHECK_TEXT SIGNPOST_BUNDLE_FORMAT

struct _SignpostBundleWriter
{
  GObject parent_instance;

  SignpostBundleInfo info;
  SignpostBundleKey key;
  guint8 salt[crypto_pwhash_SALTBYTES];
  GPtrArray *parts[SIGNPOST_BUNDLE_N_PARTS];  /* char*: one line each, without "\n" */
};

G_DEFINE_FINAL_TYPE (SignpostBundleWriter, signpost_bundle_writer, G_TYPE_OBJECT)

static void
signpost_bundle_writer_finalize (GObject *object)
{
  SignpostBundleWriter *self = SIGNPOST_BUNDLE_WRITER (object);

  signpost_bundle_info_clear (&self->info);
  signpost_bundle_key_clear (&self->key);
  for (guint i = 0; i < SIGNPOST_BUNDLE_N_PARTS; i++)
    g_clear_pointer (&self->parts[i], g_ptr_array_unref);

  G_OBJECT_CLASS (signpost_bundle_writer_parent_class)->finalize (object);
}

static void
signpost_bundle_writer_class_init (SignpostBundleWriterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = signpost_bundle_writer_finalize;
}

static void
signpost_bundle_writer_init (SignpostBundleWriter *self)
{
  for (guint i = 0; i < SIGNPOST_BUNDLE_N_PARTS; i++)
    self->parts[i] = g_ptr_array_new_with_free_func (g_free);
}

/**
 * signpost_bundle_writer_new:
 * @passphrase: what the secrets are sealed with (at least 12 characters)
 */
SignpostBundleWriter *
signpost_bundle_writer_new (SignpostPractice  *practice,
                            const char        *passphrase,
                            GDateTime         *now,
                            GError           **error)
{
  g_autoptr(SignpostBundleWriter) self = NULL;

  g_return_val_if_fail (SIGNPOST_IS_PRACTICE (practice), NULL);

  if (passphrase == NULL || g_utf8_strlen (passphrase, -1) < SIGNPOST_BUNDLE_MIN_PASSPHRASE)
    {
      g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                   _("A bundle’s passphrase needs at least %d characters"),
                   SIGNPOST_BUNDLE_MIN_PASSPHRASE);
      return NULL;
    }
  self = g_object_new (SIGNPOST_TYPE_BUNDLE_WRITER, NULL);
  self->info.version = SIGNPOST_BUNDLE_VERSION;
  self->info.practice_id = g_strdup (signpost_record_get_id (SIGNPOST_RECORD (practice)));
  self->info.ods_code = g_strdup (signpost_practice_get_ods_code (practice));
  self->info.name = g_strdup (signpost_practice_get_name (practice));
  self->info.exported_at = signpost_timestamp_format (now);
  if (sodium_init () < 0)
    g_error ("libsodium could not be initialised");
  randombytes_buf (self->salt, sizeof self->salt);
  if (!signpost_bundle_derive_key (passphrase, self->salt, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                   crypto_pwhash_MEMLIMIT_INTERACTIVE, &self->key, error))
    return NULL;
  return g_steal_pointer (&self);
}

void
signpost_bundle_writer_add (SignpostBundleWriter *self,
                            SignpostBundlePart    part,
                            JsonObject           *item)
{
  g_return_if_fail (SIGNPOST_IS_BUNDLE_WRITER (self));
  g_return_if_fail ((guint) part < SIGNPOST_BUNDLE_N_PARTS);

  g_ptr_array_add (self->parts[part], signpost_json_object_to_string (item, NULL));
}

/* A record as it is stored, less its seq. */
void
signpost_bundle_writer_add_record (SignpostBundleWriter *self,
                                   SignpostBundlePart    part,
                                   SignpostRecord       *record)
{
  g_autoptr(JsonObject) object = signpost_object_to_json (SIGNPOST_OBJECT (record));

  json_object_remove_member (object, "seq");
  signpost_bundle_writer_add (self, part, object);
}

/* @secret sealed with the passphrase, as a bundle item's member. */
JsonObject *
signpost_bundle_writer_seal (SignpostBundleWriter *self,
                             const char           *secret)
{
  g_return_val_if_fail (SIGNPOST_IS_BUNDLE_WRITER (self), NULL);

  return signpost_bundle_seal (&self->key, secret);
}

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Sorts the parts and works out their counts and digests. */
static void
close_parts (SignpostBundleWriter *self)
{
  for (guint i = 0; i < SIGNPOST_BUNDLE_N_PARTS; i++)
    {
      g_autoptr(GChecksum) sha = g_checksum_new (G_CHECKSUM_SHA256);
      GPtrArray *lines = self->parts[i];

      /* The audit keeps its order: it is a history. */
      if (i != SIGNPOST_BUNDLE_AUDIT)
        g_ptr_array_sort (lines, compare_lines);
      for (guint j = 0; j < lines->len; j++)
        {
          const char *line = g_ptr_array_index (lines, j);

          g_checksum_update (sha, (const guchar *) line, strlen (line));
          g_checksum_update (sha, (const guchar *) "\n", 1);
        }
      self->info.counts[i] = lines->len;
      g_free (self->info.digests[i]);
      self->info.digests[i] = g_strdup (g_checksum_get_string (sha));
    }
}

static void
copy_info (const SignpostBundleInfo *from,
           SignpostBundleInfo       *to)
{
  signpost_bundle_info_clear (to);
  to->version = from->version;
  to->practice_id = g_strdup (from->practice_id);
  to->ods_code = g_strdup (from->ods_code);
  to->name = g_strdup (from->name);
  to->exported_at = g_strdup (from->exported_at);
  for (guint i = 0; i < SIGNPOST_BUNDLE_N_PARTS; i++)
    {
      to->counts[i] = from->counts[i];
      to->digests[i] = g_strdup (from->digests[i]);
    }
  to->file_digest = g_strdup (from->file_digest);
}

/* The counts and digests of what has been added, without writing. */
void
signpost_bundle_writer_get_info (SignpostBundleWriter *self,
                                 SignpostBundleInfo   *info)
{
  g_return_if_fail (SIGNPOST_IS_BUNDLE_WRITER (self));

  close_parts (self);
  copy_info (&self->info, info);
}

static char *
manifest (SignpostBundleWriter *self)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonObject) practice = json_object_new ();
  g_autoptr(JsonObject) passphrase = json_object_new ();
  g_autoptr(JsonArray) parts = json_array_new ();
  g_autofree char *salt = g_base64_encode (self->salt, sizeof self->salt);
  g_autofree char *signature = signpost_bundle_sign (&self->key, &self->info);

  json_object_set_string_member (object, "format", SIGNPOST_BUNDLE_FORMAT);
  json_object_set_int_member (object, "version", self->info.version);
  json_object_set_string_member (object, "exported_at", self->info.exported_at);
  json_object_set_string_member (object, "generator", "signpost-server " PACKAGE_VERSION);
  json_object_set_string_member (practice, "id", self->info.practice_id);
  json_object_set_string_member (practice, "ods_code", self->info.ods_code);
  json_object_set_string_member (practice, "name", self->info.name);
  json_object_set_object_member (object, "practice", g_steal_pointer (&practice));
  json_object_set_string_member (passphrase, "kdf", "argon2id13");
  json_object_set_int_member (passphrase, "opslimit", crypto_pwhash_OPSLIMIT_INTERACTIVE);
  json_object_set_int_member (passphrase, "memlimit", crypto_pwhash_MEMLIMIT_INTERACTIVE);
  json_object_set_string_member (passphrase, "salt", salt);
  json_object_set_string_member (passphrase, "cipher", "xsalsa20poly1305");
  json_object_set_object_member (passphrase, "check", signpost_bundle_seal (&self->key, CHECK_TEXT));
  json_object_set_object_member (object, "passphrase", g_steal_pointer (&passphrase));
  for (guint i = 0; i < SIGNPOST_BUNDLE_N_PARTS; i++)
    {
      JsonObject *part = json_object_new ();

      json_object_set_string_member (part, "name", signpost_bundle_part_name (i));
      json_object_set_int_member (part, "count", self->info.counts[i]);
      json_object_set_string_member (part, "sha256", self->info.digests[i]);
      json_array_add_object_element (parts, part);
    }
  json_object_set_array_member (object, "parts", g_steal_pointer (&parts));
  json_object_set_string_member (object, "signature", signature);
  return signpost_json_object_to_string (object, NULL);
}

static gboolean
write_line (GOutputStream  *out,
            GChecksum      *sha,
            const char     *line,
            GError        **error)
{
  gsize length = strlen (line);

  g_checksum_update (sha, (const guchar *) line, length);
  g_checksum_update (sha, (const guchar *) "\n", 1);
  return g_output_stream_write_all (out, line, length, NULL, NULL, error) &&
         g_output_stream_write_all (out, "\n", 1, NULL, NULL, error);
}

/**
 * signpost_bundle_writer_write:
 * @info: (out caller-allocates) (optional): what was written, with the
 *   file's digest
 *
 * Writes the bundle to @path, replacing nothing until it is complete.
 */
gboolean
signpost_bundle_writer_write (SignpostBundleWriter  *self,
                              const char            *path,
                              SignpostBundleInfo    *info,
                              GError               **error)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GChecksum) sha = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *head = NULL;

  g_return_val_if_fail (SIGNPOST_IS_BUNDLE_WRITER (self), FALSE);

  close_parts (self);
  head = manifest (self);
  /* Readable by its owner only: it holds patient data. */
  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                           NULL, error);
  if (stream == NULL)
    return FALSE;
  out = g_buffered_output_stream_new_sized (G_OUTPUT_STREAM (stream), 1024 * 1024);
  if (!write_line (out, sha, head, error))
    goto failed;
  for (guint i = 0; i < SIGNPOST_BUNDLE_N_PARTS; i++)
    {
      g_autofree char *header = g_strdup_printf ("{\"part\":\"%s\",\"count\":%u}",
                                                 signpost_bundle_part_name (i),
                                                 self->parts[i]->len);

      if (!write_line (out, sha, header, error))
        goto failed;
      for (guint j = 0; j < self->parts[i]->len; j++)
        if (!write_line (out, sha, g_ptr_array_index (self->parts[i], j), error))
          goto failed;
    }
  if (!g_output_stream_close (out, NULL, error))
    goto failed;
  g_free (self->info.file_digest);
  self->info.file_digest = g_strdup (g_checksum_get_string (sha));
  if (info != NULL)
    copy_info (&self->info, info);
  return TRUE;

failed:
  /* The half-written file is dropped; whatever was at @path stays. */
  {
    g_autoptr(GCancellable) cancelled = g_cancellable_new ();

    g_cancellable_cancel (cancelled);
    g_output_stream_close (G_OUTPUT_STREAM (stream), cancelled, NULL);
  }
  return FALSE;
}
