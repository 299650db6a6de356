/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "signpost-accessors-private.h"
#include "signpost-enum-types.h"
#include "signpost-error.h"
#include "signpost-clinician.h"

struct _SignpostClinician
{
  SignpostRecord parent_instance;
};

enum {
  PROP_0,
  PROP_TITLE,
  PROP_GIVEN_NAME,
  PROP_FAMILY_NAME,
  PROP_PROFESSION,
  PROP_DUTY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SignpostClinician, signpost_clinician, SIGNPOST_TYPE_RECORD)

SIGNPOST_STRING_ACCESSORS (SignpostClinician, signpost_clinician, title, PROP_TITLE)
SIGNPOST_STRING_ACCESSORS (SignpostClinician, signpost_clinician, given_name, PROP_GIVEN_NAME)
SIGNPOST_STRING_ACCESSORS (SignpostClinician, signpost_clinician, family_name, PROP_FAMILY_NAME)
SIGNPOST_ENUM_ACCESSORS (SignpostClinician, signpost_clinician, profession, PROP_PROFESSION, SignpostProfession)
SIGNPOST_LIST_ACCESSORS (SignpostClinician, signpost_clinician, duty, PROP_DUTY)

static void
signpost_clinician_class_init (SignpostClinicianClass *klass)
{
  SignpostObjectClass *object_class = SIGNPOST_OBJECT_CLASS (klass);

  SIGNPOST_RECORD_CLASS (klass)->kind = SIGNPOST_RECORD_CLINICIAN;

  properties[PROP_TITLE] =
    signpost_field_string ("title", SIGNPOST_FORMAT_TEXT, 20, 0);
  properties[PROP_GIVEN_NAME] =
    signpost_field_string ("given_name", SIGNPOST_FORMAT_TEXT, 100, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_FAMILY_NAME] =
    signpost_field_string ("family_name", SIGNPOST_FORMAT_TEXT, 100, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_PROFESSION] =
    signpost_field_enum ("profession", SIGNPOST_TYPE_PROFESSION, SIGNPOST_PROFESSION_GP, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_DUTY] =
    signpost_field_list ("duty", SIGNPOST_TYPE_DUTY_PERIOD, 500, 0);

  signpost_object_class_install_fields (object_class, N_PROPS, properties);
}

static void
signpost_clinician_init (SignpostClinician *self)
{
}

SignpostClinician *
signpost_clinician_new (void)
{
  return g_object_new (SIGNPOST_TYPE_CLINICIAN, NULL);
}
