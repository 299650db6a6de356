/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "signpost-accessors-private.h"
#include "signpost-enum-types.h"
#include "signpost-error.h"
#include "signpost-mutation.h"

struct _SignpostMutation
{
  SignpostObject parent_instance;
};

enum {
  PROP_0,
  PROP_MUTATION_ID,
  PROP_TYPE,
  PROP_OP,
  PROP_ID,
  PROP_BASE_VERSION,
  PROP_DATA,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SignpostMutation, signpost_mutation, SIGNPOST_TYPE_OBJECT)

SIGNPOST_STRING_ACCESSORS (SignpostMutation, signpost_mutation, mutation_id, PROP_MUTATION_ID)
SIGNPOST_ENUM_ACCESSORS (SignpostMutation, signpost_mutation, kind, PROP_TYPE, SignpostRecordKind)
SIGNPOST_ENUM_ACCESSORS (SignpostMutation, signpost_mutation, op, PROP_OP, SignpostOp)
SIGNPOST_STRING_ACCESSORS (SignpostMutation, signpost_mutation, id, PROP_ID)
SIGNPOST_INT_ACCESSORS (SignpostMutation, signpost_mutation, base_version, PROP_BASE_VERSION)
SIGNPOST_JSON_ACCESSORS (SignpostMutation, signpost_mutation, data, PROP_DATA)

static void
signpost_mutation_class_init (SignpostMutationClass *klass)
{
  SignpostObjectClass *object_class = SIGNPOST_OBJECT_CLASS (klass);


  properties[PROP_MUTATION_ID] =
    signpost_field_string ("mutation_id", SIGNPOST_FORMAT_UUID, 36, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_TYPE] =
    signpost_field_enum ("type", SIGNPOST_TYPE_RECORD_KIND, SIGNPOST_RECORD_PATIENT, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_OP] =
    signpost_field_enum ("op", SIGNPOST_TYPE_OP, SIGNPOST_OP_UPDATE, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_ID] =
    signpost_field_string ("id", SIGNPOST_FORMAT_UUID, 36, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_BASE_VERSION] =
    signpost_field_int ("base_version", 0, G_MAXINT64, 0, 0);
  properties[PROP_DATA] =
    signpost_field_json ("data", 0);

  signpost_object_class_install_fields (object_class, N_PROPS, properties);
}

static void
signpost_mutation_init (SignpostMutation *self)
{
}

SignpostMutation *
signpost_mutation_new (void)
{
  return g_object_new (SIGNPOST_TYPE_MUTATION, NULL);
}
