/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "signpost-accessors-private.h"
#include "signpost-enum-types.h"
#include "signpost-error.h"
#include "signpost-practice.h"

struct _SignpostPractice
{
  SignpostRecord parent_instance;
};

enum {
  PROP_0,
  PROP_ODS_CODE,
  PROP_NAME,
  PROP_LINES,
  PROP_TIME_ZONE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SignpostPractice, signpost_practice, SIGNPOST_TYPE_RECORD)

SIGNPOST_STRING_ACCESSORS (SignpostPractice, signpost_practice, ods_code, PROP_ODS_CODE)
SIGNPOST_STRING_ACCESSORS (SignpostPractice, signpost_practice, name, PROP_NAME)
SIGNPOST_STRV_ACCESSORS (SignpostPractice, signpost_practice, lines, PROP_LINES)
SIGNPOST_STRING_ACCESSORS (SignpostPractice, signpost_practice, time_zone, PROP_TIME_ZONE)

static void
signpost_practice_class_init (SignpostPracticeClass *klass)
{
  SignpostObjectClass *object_class = SIGNPOST_OBJECT_CLASS (klass);

  SIGNPOST_RECORD_CLASS (klass)->kind = SIGNPOST_RECORD_PRACTICE;

  properties[PROP_ODS_CODE] =
    signpost_field_string ("ods_code", SIGNPOST_FORMAT_ODS_CODE, 10, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_NAME] =
    signpost_field_string ("name", SIGNPOST_FORMAT_TEXT, 200, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_LINES] =
    signpost_field_strv ("lines", SIGNPOST_FORMAT_E164, 50, 0);
  properties[PROP_TIME_ZONE] =
    signpost_field_string ("time_zone", SIGNPOST_FORMAT_TIME_ZONE, 64, SIGNPOST_FIELD_REQUIRED);

  signpost_object_class_install_fields (object_class, N_PROPS, properties);
}

static void
signpost_practice_init (SignpostPractice *self)
{
}

SignpostPractice *
signpost_practice_new (void)
{
  return g_object_new (SIGNPOST_TYPE_PRACTICE, NULL);
}
