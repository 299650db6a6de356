/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-import.h"

G_BEGIN_DECLS

/* Shared by the three importers (signpost-import.c). */

typedef struct _SignpostClinicianMatcher SignpostClinicianMatcher;

SignpostClinicianMatcher *signpost_clinician_matcher_new  (GPtrArray                *clinicians);
void                      signpost_clinician_matcher_free (SignpostClinicianMatcher *matcher);
const char               *signpost_clinician_matcher_find (SignpostClinicianMatcher *matcher,
                                                           const char               *text,
                                                           const char              **reason);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SignpostClinicianMatcher, signpost_clinician_matcher_free)

gboolean  signpost_import_text          (const char                  *cell,
                                         guint                        max_chars,
                                         char                       **text,
                                         char                       **reason);
char     *signpost_import_file_digest   (GBytes                      *file);
SignpostImportTable *signpost_import_open (SignpostImportKind         kind,
                                         GBytes                      *file,
                                         const SignpostImportOptions *options,
                                         SignpostImportReport        *report);
gboolean  signpost_import_changed_since (SignpostStore               *store,
                                         const char                  *practice_id,
                                         SignpostRecordKind           kind,
                                         gint64                       since,
                                         gboolean                    *changed,
                                         GError                     **error);
gboolean  signpost_import_audit         (SignpostApplyContext        *ctx,
                                         const SignpostImportOptions *options,
                                         const char                  *action,
                                         SignpostRecord              *record,
                                         const char                  *detail,
                                         GError                     **error);
/* Writes gathered and sent a batch at a time (signpost_store_put_records()),
 * each with its "import" audit event. */
typedef struct {
  SignpostApplyContext *ctx;
  const SignpostImportOptions *options;
  GPtrArray *records;     /* SignpostRecord, their next versions */
} SignpostImportBatch;

void      signpost_import_batch_init    (SignpostImportBatch         *batch,
                                         SignpostApplyContext        *ctx,
                                         const SignpostImportOptions *options);
void      signpost_import_batch_clear   (SignpostImportBatch         *batch);
gboolean  signpost_import_batch_add     (SignpostImportBatch         *batch,
                                         SignpostRecord              *record,
                                         GError                     **error);
gboolean  signpost_import_batch_flush   (SignpostImportBatch         *batch,
                                         GError                     **error);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SignpostImportBatch, signpost_import_batch_clear)

G_END_DECLS
