/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-bundle.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_BUNDLE_READER (signpost_bundle_reader_get_type ())
G_DECLARE_FINAL_TYPE (SignpostBundleReader, signpost_bundle_reader, SIGNPOST, BUNDLE_READER, GObject)

SignpostBundleReader *signpost_bundle_reader_new     (const char            *path,
                                                      const char            *passphrase,
                                                      SignpostBundleInfo    *info,
                                                      GError               **error);
gboolean              signpost_bundle_reader_foreach (SignpostBundleReader  *self,
                                                      SignpostBundleItemFunc func,
                                                      gpointer              user_data,
                                                      GError               **error);
char                 *signpost_bundle_reader_open    (SignpostBundleReader  *self,
                                                      JsonNode              *sealed,
                                                      GError               **error);

G_END_DECLS
