/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "signpost-accessors-private.h"
#include "signpost-enum-types.h"
#include "signpost-error.h"
#include "signpost-mutation-result.h"

struct _SignpostMutationResult
{
  SignpostObject parent_instance;
};

enum {
  PROP_0,
  PROP_MUTATION_ID,
  PROP_STATUS,
  PROP_ID,
  PROP_VERSION,
  PROP_SEQ,
  PROP_RECORD,
  PROP_PROBLEM,
  PROP_WARNINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SignpostMutationResult, signpost_mutation_result, SIGNPOST_TYPE_OBJECT)

SIGNPOST_STRING_ACCESSORS (SignpostMutationResult, signpost_mutation_result, mutation_id, PROP_MUTATION_ID)
SIGNPOST_ENUM_ACCESSORS (SignpostMutationResult, signpost_mutation_result, status, PROP_STATUS, SignpostResultStatus)
SIGNPOST_STRING_ACCESSORS (SignpostMutationResult, signpost_mutation_result, id, PROP_ID)
SIGNPOST_INT_ACCESSORS (SignpostMutationResult, signpost_mutation_result, version, PROP_VERSION)
SIGNPOST_INT_ACCESSORS (SignpostMutationResult, signpost_mutation_result, seq, PROP_SEQ)
SIGNPOST_JSON_ACCESSORS (SignpostMutationResult, signpost_mutation_result, record, PROP_RECORD)
SIGNPOST_JSON_ACCESSORS (SignpostMutationResult, signpost_mutation_result, problem, PROP_PROBLEM)
SIGNPOST_STRV_ACCESSORS (SignpostMutationResult, signpost_mutation_result, warnings, PROP_WARNINGS)

static void
signpost_mutation_result_class_init (SignpostMutationResultClass *klass)
{
  SignpostObjectClass *object_class = SIGNPOST_OBJECT_CLASS (klass);


  properties[PROP_MUTATION_ID] =
    signpost_field_string ("mutation_id", SIGNPOST_FORMAT_UUID, 36, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_STATUS] =
    signpost_field_enum ("status", SIGNPOST_TYPE_RESULT_STATUS, SIGNPOST_RESULT_APPLIED, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_ID] =
    signpost_field_string ("id", SIGNPOST_FORMAT_UUID, 36, 0);
  properties[PROP_VERSION] =
    signpost_field_int ("version", 0, G_MAXINT64, 0, 0);
  properties[PROP_SEQ] =
    signpost_field_int ("seq", 0, G_MAXINT64, 0, 0);
  properties[PROP_RECORD] =
    signpost_field_json ("record", 0);
  properties[PROP_PROBLEM] =
    signpost_field_json ("problem", 0);
  /* Applied, but worth telling the user ("patient_already_booked_today"). */
  properties[PROP_WARNINGS] =
    signpost_field_strv ("warnings", SIGNPOST_FORMAT_KEY, 16, 0);

  signpost_object_class_install_fields (object_class, N_PROPS, properties);
}

static void
signpost_mutation_result_init (SignpostMutationResult *self)
{
}

SignpostMutationResult *
signpost_mutation_result_new (void)
{
  return g_object_new (SIGNPOST_TYPE_MUTATION_RESULT, NULL);
}
