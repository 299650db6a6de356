/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "signpost-accessors-private.h"
#include "signpost-enum-types.h"
#include "signpost-error.h"
#include "signpost-patient.h"

struct _SignpostPatient
{
  SignpostRecord parent_instance;
};

enum {
  PROP_0,
  PROP_NHS_NUMBER,
  PROP_GIVEN_NAME,
  PROP_FAMILY_NAME,
  PROP_DATE_OF_BIRTH,
  PROP_SEX,
  PROP_PHONES,
  PROP_POSTCODE,
  PROP_USUAL_CLINICIAN_ID,
  PROP_ALERTS,
  PROP_TEMPORARY,
  PROP_PATIENT_REF,
  PROP_LEFT_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SignpostPatient, signpost_patient, SIGNPOST_TYPE_RECORD)

SIGNPOST_STRING_ACCESSORS (SignpostPatient, signpost_patient, nhs_number, PROP_NHS_NUMBER)
SIGNPOST_STRING_ACCESSORS (SignpostPatient, signpost_patient, given_name, PROP_GIVEN_NAME)
SIGNPOST_STRING_ACCESSORS (SignpostPatient, signpost_patient, family_name, PROP_FAMILY_NAME)
SIGNPOST_STRING_ACCESSORS (SignpostPatient, signpost_patient, date_of_birth, PROP_DATE_OF_BIRTH)
SIGNPOST_ENUM_ACCESSORS (SignpostPatient, signpost_patient, sex, PROP_SEX, SignpostSex)
SIGNPOST_LIST_ACCESSORS (SignpostPatient, signpost_patient, phones, PROP_PHONES)
SIGNPOST_STRING_ACCESSORS (SignpostPatient, signpost_patient, postcode, PROP_POSTCODE)
SIGNPOST_STRING_ACCESSORS (SignpostPatient, signpost_patient, usual_clinician_id, PROP_USUAL_CLINICIAN_ID)
SIGNPOST_LIST_ACCESSORS (SignpostPatient, signpost_patient, alerts, PROP_ALERTS)
SIGNPOST_BOOLEAN_ACCESSORS (SignpostPatient, signpost_patient, temporary, PROP_TEMPORARY)
SIGNPOST_STRING_ACCESSORS (SignpostPatient, signpost_patient, patient_ref, PROP_PATIENT_REF)
SIGNPOST_INSTANT_ACCESSORS (SignpostPatient, signpost_patient, left_at, PROP_LEFT_AT)

static void
signpost_patient_class_init (SignpostPatientClass *klass)
{
  SignpostObjectClass *object_class = SIGNPOST_OBJECT_CLASS (klass);

  SIGNPOST_RECORD_CLASS (klass)->kind = SIGNPOST_RECORD_PATIENT;

  properties[PROP_NHS_NUMBER] =
    signpost_field_string ("nhs_number", SIGNPOST_FORMAT_NHS_NUMBER, 10, 0);
  properties[PROP_GIVEN_NAME] =
    signpost_field_string ("given_name", SIGNPOST_FORMAT_TEXT, 100, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_FAMILY_NAME] =
    signpost_field_string ("family_name", SIGNPOST_FORMAT_TEXT, 100, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_DATE_OF_BIRTH] =
    signpost_field_string ("date_of_birth", SIGNPOST_FORMAT_DATE, 10, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_SEX] =
    signpost_field_enum ("sex", SIGNPOST_TYPE_SEX, SIGNPOST_SEX_UNKNOWN, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_PHONES] =
    signpost_field_list ("phones", SIGNPOST_TYPE_PHONE, 10, 0);
  properties[PROP_POSTCODE] =
    signpost_field_string ("postcode", SIGNPOST_FORMAT_POSTCODE, 8, 0);
  properties[PROP_USUAL_CLINICIAN_ID] =
    signpost_field_string ("usual_clinician_id", SIGNPOST_FORMAT_UUID, 36, 0);
  properties[PROP_ALERTS] =
    signpost_field_list ("alerts", SIGNPOST_TYPE_ALERT, 20, 0);
  properties[PROP_TEMPORARY] =
    signpost_field_boolean ("temporary", FALSE, 0);
  /* The practice's clinical system's own reference for the patient (an
   * EMIS patient number, a SystmOne id): what a list import matches on. */
  properties[PROP_PATIENT_REF] =
    signpost_field_string ("patient_ref", SIGNPOST_FORMAT_TEXT, 64, 0);
  /* When a full list import no longer included the patient: they left the
   * practice. Kept for audit and history; null while registered. */
  properties[PROP_LEFT_AT] =
    signpost_field_instant ("left_at", 0);

  signpost_object_class_install_fields (object_class, N_PROPS, properties);
}

static void
signpost_patient_init (SignpostPatient *self)
{
}

SignpostPatient *
signpost_patient_new (void)
{
  return g_object_new (SIGNPOST_TYPE_PATIENT, NULL);
}
