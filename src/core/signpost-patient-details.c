/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-core"

#include "config.h"

#include "signpost-accessors-private.h"
#include "signpost-patient-details.h"

struct _SignpostPatientDetails
{
  SignpostObject parent_instance;
};

enum {
  PROP_0,
  PROP_GIVEN_NAME,
  PROP_FAMILY_NAME,
  PROP_DATE_OF_BIRTH,
  PROP_POSTCODE,
  PROP_PHONE,
  PROP_NHS_NUMBER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SignpostPatientDetails, signpost_patient_details, SIGNPOST_TYPE_OBJECT)

SIGNPOST_STRING_ACCESSORS (SignpostPatientDetails, signpost_patient_details, given_name, PROP_GIVEN_NAME)
SIGNPOST_STRING_ACCESSORS (SignpostPatientDetails, signpost_patient_details, family_name, PROP_FAMILY_NAME)
SIGNPOST_STRING_ACCESSORS (SignpostPatientDetails, signpost_patient_details, date_of_birth, PROP_DATE_OF_BIRTH)
SIGNPOST_STRING_ACCESSORS (SignpostPatientDetails, signpost_patient_details, postcode, PROP_POSTCODE)
SIGNPOST_STRING_ACCESSORS (SignpostPatientDetails, signpost_patient_details, phone, PROP_PHONE)
SIGNPOST_STRING_ACCESSORS (SignpostPatientDetails, signpost_patient_details, nhs_number, PROP_NHS_NUMBER)

static void
signpost_patient_details_class_init (SignpostPatientDetailsClass *klass)
{
  SignpostObjectClass *object_class = SIGNPOST_OBJECT_CLASS (klass);

  properties[PROP_GIVEN_NAME] =
    signpost_field_string ("given_name", SIGNPOST_FORMAT_TEXT, 100, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_FAMILY_NAME] =
    signpost_field_string ("family_name", SIGNPOST_FORMAT_TEXT, 100, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_DATE_OF_BIRTH] =
    signpost_field_string ("date_of_birth", SIGNPOST_FORMAT_DATE, 10, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_POSTCODE] =
    signpost_field_string ("postcode", SIGNPOST_FORMAT_POSTCODE, 8, 0);
  properties[PROP_PHONE] =
    signpost_field_string ("phone", SIGNPOST_FORMAT_E164, 16, 0);
  properties[PROP_NHS_NUMBER] =
    signpost_field_string ("nhs_number", SIGNPOST_FORMAT_NHS_NUMBER, 10, 0);

  signpost_object_class_install_fields (object_class, N_PROPS, properties);
}

static void
signpost_patient_details_init (SignpostPatientDetails *self)
{
}

SignpostPatientDetails *
signpost_patient_details_new (void)
{
  return g_object_new (SIGNPOST_TYPE_PATIENT_DETAILS, NULL);
}
