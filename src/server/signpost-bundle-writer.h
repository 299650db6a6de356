/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-bundle.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_BUNDLE_WRITER (signpost_bundle_writer_get_type ())
G_DECLARE_FINAL_TYPE (SignpostBundleWriter, signpost_bundle_writer, SIGNPOST, BUNDLE_WRITER, GObject)

SignpostBundleWriter *signpost_bundle_writer_new        (SignpostPractice      *practice,
                                                         const char            *passphrase,
                                                         GDateTime             *now,
                                                         GError               **error);
void                  signpost_bundle_writer_add        (SignpostBundleWriter  *self,
                                                         SignpostBundlePart     part,
                                                         JsonObject            *item);
void                  signpost_bundle_writer_add_record (SignpostBundleWriter  *self,
                                                         SignpostBundlePart     part,
                                                         SignpostRecord        *record);
JsonObject           *signpost_bundle_writer_seal       (SignpostBundleWriter  *self,
                                                         const char            *secret);
void                  signpost_bundle_writer_get_info   (SignpostBundleWriter  *self,
                                                         SignpostBundleInfo    *info);
gboolean              signpost_bundle_writer_write      (SignpostBundleWriter  *self,
                                                         const char            *path,
                                                         SignpostBundleInfo    *info,
                                                         GError               **error);

G_END_DECLS
