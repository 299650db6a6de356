/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-apply.h"
#include "signpost-import-report.h"
#include "signpost-import-table.h"

G_BEGIN_DECLS

/**
 * SignpostImportOptions:
 * @format: (nullable): "signpost" (default), "emis" or "systmone"
 * @mapping: (nullable): a mapping file's column names, over @format
 * @dry_run: check and count, write nothing
 * @partial: a patient list that is not the whole practice: nobody is
 *   marked as having left
 * @client: who runs the import, for the audit log when @ctx has no
 *   principal (the admin command)
 *
 * How a list is read and applied. The importers work through the store
 * interface only, in one transaction: a file is applied whole (less the
 * rows it rejects) or not at all.
 */
typedef struct {
  const char *format;
  GKeyFile *mapping;
  gboolean dry_run;
  gboolean partial;
  const char *client;
} SignpostImportOptions;

void                  signpost_import_options_init (SignpostImportOptions *options);

SignpostImportReport *signpost_import_patients     (SignpostApplyContext        *ctx,
                                                    SignpostPractice            *practice,
                                                    GBytes                      *file,
                                                    const SignpostImportOptions *options,
                                                    GError                     **error);
SignpostImportReport *signpost_import_clinicians   (SignpostApplyContext        *ctx,
                                                    SignpostPractice            *practice,
                                                    GBytes                      *file,
                                                    const SignpostImportOptions *options,
                                                    GError                     **error);
SignpostImportReport *signpost_import_sessions     (SignpostApplyContext        *ctx,
                                                    SignpostPractice            *practice,
                                                    GBytes                      *file,
                                                    const SignpostImportOptions *options,
                                                    GError                     **error);

G_END_DECLS
