/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <string.h>
#include <sodium.h>
#include <glib/gi18n-lib.h>

#include "signpost-bundle.h"

/*
 * What the bundle writer and reader share: the parts, in their order in
 * the file, and the cryptography. A passphrase (Argon2id, with the salt
 * and costs in the manifest) gives two keys: one seals each secret (line
 * secrets and password hashes, XSalsa20-Poly1305 with a nonce of its own),
 * the other signs the manifest (HMAC-SHA-512/256), whose digest of each
 * part in turn covers every byte of it. So a wrong passphrase, a damaged
 * file and an altered one are all refused before anything is written.
 */

static const char * const part_names[SIGNPOST_BUNDLE_N_PARTS] = {
  "practice", "lines", "users", "credentials", "clinicians", "patients", "slots",
  "appointments", "calls", "triage", "audit",
};

const char *
signpost_bundle_part_name (SignpostBundlePart part)
{
  g_return_val_if_fail ((guint) part < SIGNPOST_BUNDLE_N_PARTS, NULL);

  return part_names[part];
}

/* Whether the part's items are records (as they are stored, less the
 * seq, which belongs to the server that stores them), and of what kind. */
gboolean
signpost_bundle_part_is_record (SignpostBundlePart  part,
                                SignpostRecordKind *kind)
{
  static const int kinds[SIGNPOST_BUNDLE_N_PARTS] = {
    SIGNPOST_RECORD_PRACTICE, -1, SIGNPOST_RECORD_USER, -1, SIGNPOST_RECORD_CLINICIAN,
    SIGNPOST_RECORD_PATIENT,
    SIGNPOST_RECORD_SLOT, SIGNPOST_RECORD_APPOINTMENT, SIGNPOST_RECORD_CALL,
    SIGNPOST_RECORD_TRIAGE, -1,
  };

  g_return_val_if_fail ((guint) part < SIGNPOST_BUNDLE_N_PARTS, FALSE);

  if (kinds[part] < 0)
    return FALSE;
  if (kind != NULL)
    *kind = kinds[part];
  return TRUE;
}

void
signpost_bundle_info_clear (SignpostBundleInfo *info)
{
  g_clear_pointer (&info->practice_id, g_free);
  g_clear_pointer (&info->ods_code, g_free);
  g_clear_pointer (&info->name, g_free);
  g_clear_pointer (&info->exported_at, g_free);
  for (guint i = 0; i < SIGNPOST_BUNDLE_N_PARTS; i++)
    g_clear_pointer (&info->digests[i], g_free);
  g_clear_pointer (&info->file_digest, g_free);
  memset (info, 0, sizeof *info);
}

/* ---- keys -------------------------------------------------------------- */

gboolean
signpost_bundle_derive_key (const char         *passphrase,
                            const guint8       *salt,
                            guint64             opslimit,
                            gsize               memlimit,
                            SignpostBundleKey  *key,
                            GError            **error)
{
  guint8 out[64];

  if (sodium_init () < 0)
    g_error ("libsodium could not be initialised");
  if (crypto_pwhash (out, sizeof out, passphrase, strlen (passphrase), salt, opslimit, memlimit,
                     crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_FAILED,
                           _("Not enough memory to derive the key from the passphrase"));
      return FALSE;
    }
  memcpy (key->box, out, 32);
  memcpy (key->mac, out + 32, 32);
  sodium_memzero (out, sizeof out);
  return TRUE;
}

void
signpost_bundle_key_clear (SignpostBundleKey *key)
{
  sodium_memzero (key, sizeof *key);
}

JsonObject *
signpost_bundle_seal (const SignpostBundleKey *key,
                      const char              *plaintext)
{
  gsize length = strlen (plaintext);
  g_autofree guint8 *box = g_malloc (length + crypto_secretbox_MACBYTES);
  guint8 nonce[crypto_secretbox_NONCEBYTES];
  g_autofree char *nonce64 = NULL;
  g_autofree char *box64 = NULL;
  JsonObject *sealed = json_object_new ();

  randombytes_buf (nonce, sizeof nonce);
  crypto_secretbox_easy (box, (const guint8 *) plaintext, length, nonce, key->box);
  nonce64 = g_base64_encode (nonce, sizeof nonce);
  box64 = g_base64_encode (box, length + crypto_secretbox_MACBYTES);
  json_object_set_string_member (sealed, "nonce", nonce64);
  json_object_set_string_member (sealed, "box", box64);
  return sealed;
}

static guint8 *
decode_base64 (JsonObject *object,
               const char *member,
               gsize      *length)
{
  const char *text = json_object_get_string_member_with_default (object, member, NULL);

  *length = 0;
  if (text == NULL || strlen (text) > 64 * 1024)
    return NULL;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/' && *p != '=')
      return NULL;
  return g_base64_decode (text, length);
}

/* The secret sealed in @sealed, or NULL when it is not one of ours. */
char *
signpost_bundle_open (const SignpostBundleKey  *key,
                      JsonNode                 *sealed,
                      GError                  **error)
{
  g_autofree guint8 *nonce = NULL;
  g_autofree guint8 *box = NULL;
  g_autofree char *plain = NULL;
  gsize nonce_length = 0, box_length = 0;
  JsonObject *object;

  if (sealed == NULL || !JSON_NODE_HOLDS_OBJECT (sealed))
    goto bad;
  object = json_node_get_object (sealed);
  nonce = decode_base64 (object, "nonce", &nonce_length);
  box = decode_base64 (object, "box", &box_length);
  if (nonce == NULL || box == NULL || nonce_length != crypto_secretbox_NONCEBYTES ||
      box_length < crypto_secretbox_MACBYTES)
    goto bad;
  plain = g_malloc0 (box_length - crypto_secretbox_MACBYTES + 1);
  if (crypto_secretbox_open_easy ((guint8 *) plain, box, box_length, nonce, key->box) != 0 ||
      !g_utf8_validate (plain, box_length - crypto_secretbox_MACBYTES, NULL) ||
      strlen (plain) != box_length - crypto_secretbox_MACBYTES)
    goto bad;
  return g_steal_pointer (&plain);

bad:
  g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                       _("A sealed secret in the bundle cannot be opened with this passphrase"));
  return NULL;
}

/* What the signature covers: the practice (id, code and name), when, and
 * every part's count and digest. */
static char *
signed_text (const SignpostBundleInfo *info)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "%s\n%d\n%s\n%s\n%s\n%s\n", SIGNPOST_BUNDLE_FORMAT, info->version,
                          info->practice_id, info->ods_code, info->name, info->exported_at);
  for (guint i = 0; i < SIGNPOST_BUNDLE_N_PARTS; i++)
    g_string_append_printf (text, "%s %" G_GINT64_FORMAT " %s\n", part_names[i], info->counts[i],
                            info->digests[i] ? info->digests[i] : "");
  return g_string_free (text, FALSE);
}

char *
signpost_bundle_sign (const SignpostBundleKey  *key,
                      const SignpostBundleInfo *info)
{
  g_autofree char *text = signed_text (info);
  guint8 mac[crypto_auth_BYTES];

  crypto_auth (mac, (const guint8 *) text, strlen (text), key->mac);
  return g_base64_encode (mac, sizeof mac);
}

gboolean
signpost_bundle_verify_signature (const SignpostBundleKey  *key,
                                  const SignpostBundleInfo *info,
                                  const char               *signature)
{
  g_autofree char *text = signed_text (info);
  g_autofree guint8 *mac = NULL;
  gsize length = 0;

  if (signature == NULL || strlen (signature) > 256)
    return FALSE;
  mac = g_base64_decode (signature, &length);
  return length == crypto_auth_BYTES &&
         crypto_auth_verify (mac, (const guint8 *) text, strlen (text), key->mac) == 0;
}
