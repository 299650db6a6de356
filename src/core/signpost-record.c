/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-core"

#include "config.h"

#include "signpost-enum-types.h"
#include "signpost-model.h"
#include "signpost-record.h"

enum {
  PROP_0,
  PROP_ID,
  PROP_PRACTICE_ID,
  PROP_VERSION,
  PROP_UPDATED_AT,
  PROP_SEQ,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_ABSTRACT_TYPE (SignpostRecord, signpost_record, SIGNPOST_TYPE_OBJECT)

static void
signpost_record_class_init (SignpostRecordClass *klass)
{
  /* The id is chosen by the client that creates the record (a UUID), but
   * travels beside the data in a mutation, so it counts as a server field. */
  properties[PROP_ID] =
    signpost_field_string ("id", SIGNPOST_FORMAT_UUID, 36,
                           SIGNPOST_FIELD_REQUIRED | SIGNPOST_FIELD_SERVER);
  properties[PROP_PRACTICE_ID] =
    signpost_field_string ("practice_id", SIGNPOST_FORMAT_UUID, 36, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_VERSION] =
    signpost_field_int ("version", 0, G_MAXINT64, 0,
                        SIGNPOST_FIELD_REQUIRED | SIGNPOST_FIELD_SERVER);
  properties[PROP_UPDATED_AT] =
    signpost_field_instant ("updated_at", SIGNPOST_FIELD_REQUIRED | SIGNPOST_FIELD_SERVER);
  properties[PROP_SEQ] =
    signpost_field_int ("seq", 0, G_MAXINT64, 0,
                        SIGNPOST_FIELD_REQUIRED | SIGNPOST_FIELD_SERVER);

  signpost_object_class_install_fields (SIGNPOST_OBJECT_CLASS (klass), N_PROPS, properties);
}

static void
signpost_record_init (SignpostRecord *self)
{
}

const char *
signpost_record_get_id (SignpostRecord *self)
{
  return signpost_object_get_string (SIGNPOST_OBJECT (self), properties[PROP_ID]);
}

void
signpost_record_set_id (SignpostRecord *self,
                        const char     *id)
{
  signpost_object_set_string (SIGNPOST_OBJECT (self), properties[PROP_ID], id);
}

const char *
signpost_record_get_practice_id (SignpostRecord *self)
{
  return signpost_object_get_string (SIGNPOST_OBJECT (self), properties[PROP_PRACTICE_ID]);
}

void
signpost_record_set_practice_id (SignpostRecord *self,
                                 const char     *practice_id)
{
  signpost_object_set_string (SIGNPOST_OBJECT (self), properties[PROP_PRACTICE_ID], practice_id);
}

gint64
signpost_record_get_version (SignpostRecord *self)
{
  return signpost_object_get_int (SIGNPOST_OBJECT (self), properties[PROP_VERSION]);
}

void
signpost_record_set_version (SignpostRecord *self,
                             gint64          version)
{
  signpost_object_set_int (SIGNPOST_OBJECT (self), properties[PROP_VERSION], version);
}

GDateTime *
signpost_record_get_updated_at (SignpostRecord *self)
{
  return signpost_object_get_instant (SIGNPOST_OBJECT (self), properties[PROP_UPDATED_AT]);
}

void
signpost_record_set_updated_at (SignpostRecord *self,
                                GDateTime      *updated_at)
{
  signpost_object_set_instant (SIGNPOST_OBJECT (self), properties[PROP_UPDATED_AT], updated_at);
}

gint64
signpost_record_get_seq (SignpostRecord *self)
{
  return signpost_object_get_int (SIGNPOST_OBJECT (self), properties[PROP_SEQ]);
}

void
signpost_record_set_seq (SignpostRecord *self,
                         gint64          seq)
{
  signpost_object_set_int (SIGNPOST_OBJECT (self), properties[PROP_SEQ], seq);
}

SignpostRecordKind
signpost_record_get_kind (SignpostRecord *self)
{
  return SIGNPOST_RECORD_GET_CLASS (self)->kind;
}

const char *
signpost_record_kind_to_string (SignpostRecordKind kind)
{
  return signpost_enum_to_nick (SIGNPOST_TYPE_RECORD_KIND, kind);
}

gboolean
signpost_record_kind_from_string (const char         *name,
                                  SignpostRecordKind *kind)
{
  int value;

  if (!signpost_enum_from_nick (SIGNPOST_TYPE_RECORD_KIND, name, &value))
    return FALSE;
  if (kind != NULL)
    *kind = value;
  return TRUE;
}

GType
signpost_record_type_for_kind (SignpostRecordKind kind)
{
  switch (kind)
    {
    case SIGNPOST_RECORD_PRACTICE:    return SIGNPOST_TYPE_PRACTICE;
    case SIGNPOST_RECORD_USER:        return SIGNPOST_TYPE_USER;
    case SIGNPOST_RECORD_CLINICIAN:   return SIGNPOST_TYPE_CLINICIAN;
    case SIGNPOST_RECORD_PATIENT:     return SIGNPOST_TYPE_PATIENT;
    case SIGNPOST_RECORD_CALL:        return SIGNPOST_TYPE_CALL;
    case SIGNPOST_RECORD_TRIAGE:      return SIGNPOST_TYPE_TRIAGE;
    case SIGNPOST_RECORD_SLOT:        return SIGNPOST_TYPE_SLOT;
    case SIGNPOST_RECORD_APPOINTMENT: return SIGNPOST_TYPE_APPOINTMENT;
    default:                          return G_TYPE_INVALID;
    }
}

SignpostRecord *
signpost_record_new_from_json (SignpostRecordKind   kind,
                               JsonObject          *object,
                               SignpostDecodeMode   mode,
                               GError             **error)
{
  GType type = signpost_record_type_for_kind (kind);

  g_return_val_if_fail (type != G_TYPE_INVALID, NULL);
  return signpost_object_new_from_json (type, object, mode, error);
}
