/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "signpost-accessors-private.h"
#include "signpost-enum-types.h"
#include "signpost-error.h"
#include "signpost-change.h"

struct _SignpostChange
{
  SignpostObject parent_instance;
};

enum {
  PROP_0,
  PROP_SEQ,
  PROP_TYPE,
  PROP_ID,
  PROP_OP,
  PROP_VERSION,
  PROP_DATA,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SignpostChange, signpost_change, SIGNPOST_TYPE_OBJECT)

SIGNPOST_INT_ACCESSORS (SignpostChange, signpost_change, seq, PROP_SEQ)
SIGNPOST_ENUM_ACCESSORS (SignpostChange, signpost_change, kind, PROP_TYPE, SignpostRecordKind)
SIGNPOST_STRING_ACCESSORS (SignpostChange, signpost_change, id, PROP_ID)
SIGNPOST_ENUM_ACCESSORS (SignpostChange, signpost_change, op, PROP_OP, SignpostOp)
SIGNPOST_INT_ACCESSORS (SignpostChange, signpost_change, version, PROP_VERSION)
SIGNPOST_JSON_ACCESSORS (SignpostChange, signpost_change, data, PROP_DATA)

static void
signpost_change_class_init (SignpostChangeClass *klass)
{
  SignpostObjectClass *object_class = SIGNPOST_OBJECT_CLASS (klass);


  properties[PROP_SEQ] =
    signpost_field_int ("seq", 1, G_MAXINT64, 1, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_TYPE] =
    signpost_field_enum ("type", SIGNPOST_TYPE_RECORD_KIND, SIGNPOST_RECORD_PATIENT, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_ID] =
    signpost_field_string ("id", SIGNPOST_FORMAT_UUID, 36, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_OP] =
    signpost_field_enum ("op", SIGNPOST_TYPE_OP, SIGNPOST_OP_UPDATE, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_VERSION] =
    signpost_field_int ("version", 0, G_MAXINT64, 0, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_DATA] =
    signpost_field_json ("data", 0);

  signpost_object_class_install_fields (object_class, N_PROPS, properties);
}

static void
signpost_change_init (SignpostChange *self)
{
}

SignpostChange *
signpost_change_new (void)
{
  return g_object_new (SIGNPOST_TYPE_CHANGE, NULL);
}
