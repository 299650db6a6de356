/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-enums.h"
#include "signpost-object.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_RECORD (signpost_record_get_type ())
G_DECLARE_DERIVABLE_TYPE (SignpostRecord, signpost_record, SIGNPOST, RECORD, SignpostObject)

/**
 * SignpostRecordClass:
 * @kind: which record this is on the wire ("patient", "slot", …)
 *
 * A record the server stores and syncs: it has an id, belongs to a practice,
 * and carries the version and change sequence number of its last change.
 */
struct _SignpostRecordClass
{
  SignpostObjectClass parent_class;

  SignpostRecordKind kind;

  /*< private >*/
  gpointer padding[4];
};

const char         *signpost_record_get_id           (SignpostRecord *self);
void                signpost_record_set_id           (SignpostRecord *self,
                                                      const char     *id);
const char         *signpost_record_get_practice_id  (SignpostRecord *self);
void                signpost_record_set_practice_id  (SignpostRecord *self,
                                                      const char     *practice_id);
gint64              signpost_record_get_version      (SignpostRecord *self);
void                signpost_record_set_version      (SignpostRecord *self,
                                                      gint64          version);
GDateTime          *signpost_record_get_updated_at   (SignpostRecord *self);
void                signpost_record_set_updated_at   (SignpostRecord *self,
                                                      GDateTime      *updated_at);
gint64              signpost_record_get_seq          (SignpostRecord *self);
void                signpost_record_set_seq          (SignpostRecord *self,
                                                      gint64          seq);

SignpostRecordKind  signpost_record_get_kind         (SignpostRecord *self);
const char         *signpost_record_kind_to_string   (SignpostRecordKind kind);
gboolean            signpost_record_kind_from_string (const char     *name,
                                                      SignpostRecordKind *kind);
GType               signpost_record_type_for_kind    (SignpostRecordKind kind);
SignpostRecord     *signpost_record_new_from_json    (SignpostRecordKind   kind,
                                                      JsonObject          *object,
                                                      SignpostDecodeMode   mode,
                                                      GError             **error);

G_END_DECLS
