/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-core.h"

G_BEGIN_DECLS

/* A practice bundle: everything of one practice, to move it between
 * servers (docs/BUNDLE.md describes the format). */

#define SIGNPOST_BUNDLE_FORMAT "signpost-practice-bundle"
#define SIGNPOST_BUNDLE_VERSION 1
#define SIGNPOST_BUNDLE_MIN_PASSPHRASE 12

typedef enum {
  SIGNPOST_BUNDLE_PRACTICE,
  SIGNPOST_BUNDLE_LINES,
  SIGNPOST_BUNDLE_USERS,
  SIGNPOST_BUNDLE_CREDENTIALS,
  SIGNPOST_BUNDLE_CLINICIANS,
  SIGNPOST_BUNDLE_PATIENTS,
  SIGNPOST_BUNDLE_SLOTS,
  SIGNPOST_BUNDLE_APPOINTMENTS,
  SIGNPOST_BUNDLE_CALLS,
  SIGNPOST_BUNDLE_TRIAGE,
  SIGNPOST_BUNDLE_AUDIT,
  SIGNPOST_BUNDLE_N_PARTS
} SignpostBundlePart;

const char *signpost_bundle_part_name        (SignpostBundlePart  part);
gboolean    signpost_bundle_part_is_record   (SignpostBundlePart  part,
                                              SignpostRecordKind *kind);

/* What the manifest says. */
typedef struct {
  int version;
  char *practice_id;
  char *ods_code;
  char *name;
  char *exported_at;
  gint64 counts[SIGNPOST_BUNDLE_N_PARTS];
  char *digests[SIGNPOST_BUNDLE_N_PARTS];  /* SHA-256, hex */
  char *file_digest;                       /* of the whole file, hex */
} SignpostBundleInfo;

void signpost_bundle_info_clear (SignpostBundleInfo *info);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SignpostBundleInfo, signpost_bundle_info_clear)

/* The keys a passphrase gives: one seals secrets, one signs the manifest.
 * Cleared with signpost_bundle_key_clear(). */
typedef struct {
  guint8 box[32];
  guint8 mac[32];
} SignpostBundleKey;

gboolean    signpost_bundle_derive_key   (const char              *passphrase,
                                          const guint8            *salt,
                                          guint64                  opslimit,
                                          gsize                    memlimit,
                                          SignpostBundleKey       *key,
                                          GError                 **error);
void        signpost_bundle_key_clear    (SignpostBundleKey       *key);
JsonObject *signpost_bundle_seal         (const SignpostBundleKey *key,
                                          const char              *plaintext);
char       *signpost_bundle_open         (const SignpostBundleKey *key,
                                          JsonNode                *sealed,
                                          GError                 **error);
char       *signpost_bundle_sign         (const SignpostBundleKey *key,
                                          const SignpostBundleInfo *info);
gboolean    signpost_bundle_verify_signature (const SignpostBundleKey  *key,
                                          const SignpostBundleInfo *info,
                                          const char               *signature);

/* Returns FALSE with @error set to stop. */
typedef gboolean (*SignpostBundleItemFunc) (SignpostBundlePart   part,
                                            JsonObject          *item,
                                            gpointer             user_data,
                                            GError             **error);

G_END_DECLS
