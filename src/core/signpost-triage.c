/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "signpost-accessors-private.h"
#include "signpost-enum-types.h"
#include "signpost-error.h"
#include "signpost-patient-details.h"
#include "signpost-triage.h"

struct _SignpostTriage
{
  SignpostRecord parent_instance;
};

enum {
  PROP_0,
  PROP_PATIENT_ID,
  PROP_CALL_ID,
  PROP_CALLER_RELATIONSHIP,
  PROP_CALLER_NAME,
  PROP_REASON,
  PROP_RED_FLAGS,
  PROP_URGENCY,
  PROP_ROUTE,
  PROP_CONTACT_METHOD,
  PROP_CONTACT_NUMBER,
  PROP_STATUS,
  PROP_OUTCOME,
  PROP_PHARMACY_FIRST,
  PROP_PHARMACY_FIRST_TAKEN,
  PROP_NAVIGATOR_NOTES,
  PROP_CREATED_BY,
  PROP_DUTY_NOTES,
  PROP_CLAIMED_BY,
  PROP_REVIEWED_BY,
  PROP_REVIEWED_AT,
  PROP_APPOINTMENT_ID,
  PROP_CREATED_AT,
  PROP_SOURCE,
  PROP_SOURCE_NAME,
  PROP_SOURCE_REF,
  PROP_REFERENCE,
  PROP_REQUEST_TYPE,
  PROP_ADMIN_TOPIC,
  PROP_SYMPTOM_DURATION,
  PROP_HOPED_OUTCOME,
  PROP_PATIENT_DETAILS,
  PROP_CONTACT_TIMES,
  PROP_CONTACT_MESSAGE_OK,
  PROP_SCREENED_FLAGS,
  PROP_RESPOND_BY,
  PROP_OUTCOME_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SignpostTriage, signpost_triage, SIGNPOST_TYPE_RECORD)

SIGNPOST_STRING_ACCESSORS (SignpostTriage, signpost_triage, patient_id, PROP_PATIENT_ID)
SIGNPOST_STRING_ACCESSORS (SignpostTriage, signpost_triage, call_id, PROP_CALL_ID)
SIGNPOST_ENUM_ACCESSORS (SignpostTriage, signpost_triage, caller_relationship, PROP_CALLER_RELATIONSHIP, SignpostCallerRelationship)
SIGNPOST_STRING_ACCESSORS (SignpostTriage, signpost_triage, caller_name, PROP_CALLER_NAME)
SIGNPOST_STRING_ACCESSORS (SignpostTriage, signpost_triage, reason, PROP_REASON)
SIGNPOST_STRV_ACCESSORS (SignpostTriage, signpost_triage, red_flags, PROP_RED_FLAGS)
SIGNPOST_ENUM_ACCESSORS (SignpostTriage, signpost_triage, urgency, PROP_URGENCY, SignpostUrgency)
SIGNPOST_OBJECT_ACCESSORS (SignpostTriage, signpost_triage, route, PROP_ROUTE, SignpostRoute)
SIGNPOST_ENUM_ACCESSORS (SignpostTriage, signpost_triage, contact_method, PROP_CONTACT_METHOD, SignpostContactMethod)
SIGNPOST_STRING_ACCESSORS (SignpostTriage, signpost_triage, contact_number, PROP_CONTACT_NUMBER)
SIGNPOST_ENUM_ACCESSORS (SignpostTriage, signpost_triage, status, PROP_STATUS, SignpostTriageStatus)
SIGNPOST_ENUM_ACCESSORS (SignpostTriage, signpost_triage, outcome, PROP_OUTCOME, SignpostTriageOutcome)
SIGNPOST_STRING_ACCESSORS (SignpostTriage, signpost_triage, pharmacy_first, PROP_PHARMACY_FIRST)
SIGNPOST_BOOLEAN_ACCESSORS (SignpostTriage, signpost_triage, pharmacy_first_taken, PROP_PHARMACY_FIRST_TAKEN)
SIGNPOST_STRING_ACCESSORS (SignpostTriage, signpost_triage, navigator_notes, PROP_NAVIGATOR_NOTES)
SIGNPOST_STRING_ACCESSORS (SignpostTriage, signpost_triage, created_by, PROP_CREATED_BY)
SIGNPOST_STRING_ACCESSORS (SignpostTriage, signpost_triage, duty_notes, PROP_DUTY_NOTES)
SIGNPOST_STRING_ACCESSORS (SignpostTriage, signpost_triage, claimed_by, PROP_CLAIMED_BY)
SIGNPOST_STRING_ACCESSORS (SignpostTriage, signpost_triage, reviewed_by, PROP_REVIEWED_BY)
SIGNPOST_INSTANT_ACCESSORS (SignpostTriage, signpost_triage, reviewed_at, PROP_REVIEWED_AT)
SIGNPOST_STRING_ACCESSORS (SignpostTriage, signpost_triage, appointment_id, PROP_APPOINTMENT_ID)
SIGNPOST_INSTANT_ACCESSORS (SignpostTriage, signpost_triage, created_at, PROP_CREATED_AT)
SIGNPOST_ENUM_ACCESSORS (SignpostTriage, signpost_triage, source, PROP_SOURCE, SignpostRequestSource)
SIGNPOST_STRING_ACCESSORS (SignpostTriage, signpost_triage, source_name, PROP_SOURCE_NAME)
SIGNPOST_STRING_ACCESSORS (SignpostTriage, signpost_triage, source_ref, PROP_SOURCE_REF)
SIGNPOST_STRING_ACCESSORS (SignpostTriage, signpost_triage, reference, PROP_REFERENCE)
SIGNPOST_STRING_ACCESSORS (SignpostTriage, signpost_triage, request_type, PROP_REQUEST_TYPE)
SIGNPOST_STRING_ACCESSORS (SignpostTriage, signpost_triage, admin_topic, PROP_ADMIN_TOPIC)
SIGNPOST_STRING_ACCESSORS (SignpostTriage, signpost_triage, symptom_duration, PROP_SYMPTOM_DURATION)
SIGNPOST_STRING_ACCESSORS (SignpostTriage, signpost_triage, hoped_outcome, PROP_HOPED_OUTCOME)
SIGNPOST_OBJECT_ACCESSORS (SignpostTriage, signpost_triage, patient_details, PROP_PATIENT_DETAILS, SignpostPatientDetails)
SIGNPOST_STRV_ACCESSORS (SignpostTriage, signpost_triage, contact_times, PROP_CONTACT_TIMES)
SIGNPOST_BOOLEAN_ACCESSORS (SignpostTriage, signpost_triage, contact_message_ok, PROP_CONTACT_MESSAGE_OK)
SIGNPOST_STRV_ACCESSORS (SignpostTriage, signpost_triage, screened_flags, PROP_SCREENED_FLAGS)
SIGNPOST_INSTANT_ACCESSORS (SignpostTriage, signpost_triage, respond_by, PROP_RESPOND_BY)
SIGNPOST_INSTANT_ACCESSORS (SignpostTriage, signpost_triage, outcome_at, PROP_OUTCOME_AT)

/* A red flag means 999 or the duty doctor now: such a request can never be
 * recorded as anything less urgent than same day. */
static gboolean
signpost_triage_validate (SignpostObject  *object,
                          GError         **error)
{
  SignpostTriage *self = SIGNPOST_TRIAGE (object);
  const char * const *flags = signpost_triage_get_red_flags (self);
  SignpostUrgency urgency = signpost_triage_get_urgency (self);

  if (flags != NULL && flags[0] != NULL &&
      urgency != SIGNPOST_URGENCY_EMERGENCY && urgency != SIGNPOST_URGENCY_SAME_DAY)
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "urgency",
                                _("must be emergency or same day when a red flag is ticked"));
      return FALSE;
    }
  return TRUE;
}

static void
signpost_triage_class_init (SignpostTriageClass *klass)
{
  SignpostObjectClass *object_class = SIGNPOST_OBJECT_CLASS (klass);

  SIGNPOST_RECORD_CLASS (klass)->kind = SIGNPOST_RECORD_TRIAGE;
  object_class->validate = signpost_triage_validate;

  properties[PROP_PATIENT_ID] =
    signpost_field_string ("patient_id", SIGNPOST_FORMAT_UUID, 36, 0);
  properties[PROP_CALL_ID] =
    signpost_field_string ("call_id", SIGNPOST_FORMAT_UUID, 36, 0);
  properties[PROP_CALLER_RELATIONSHIP] =
    signpost_field_enum ("caller_relationship", SIGNPOST_TYPE_CALLER_RELATIONSHIP, SIGNPOST_CALLER_SELF, 0);
  properties[PROP_CALLER_NAME] =
    signpost_field_string ("caller_name", SIGNPOST_FORMAT_TEXT, 200, 0);
  properties[PROP_REASON] =
    signpost_field_string ("reason", SIGNPOST_FORMAT_MULTILINE, 4000, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_RED_FLAGS] =
    signpost_field_strv ("red_flags", SIGNPOST_FORMAT_KEY, 32, 0);
  properties[PROP_URGENCY] =
    signpost_field_enum ("urgency", SIGNPOST_TYPE_URGENCY, SIGNPOST_URGENCY_ROUTINE, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_ROUTE] =
    signpost_field_object ("route", SIGNPOST_TYPE_ROUTE, 0);
  properties[PROP_CONTACT_METHOD] =
    signpost_field_enum ("contact_method", SIGNPOST_TYPE_CONTACT_METHOD, SIGNPOST_CONTACT_PHONE, 0);
  properties[PROP_CONTACT_NUMBER] =
    signpost_field_string ("contact_number", SIGNPOST_FORMAT_E164, 16, 0);
  properties[PROP_STATUS] =
    signpost_field_enum ("status", SIGNPOST_TYPE_TRIAGE_STATUS, SIGNPOST_TRIAGE_OPEN, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_OUTCOME] =
    signpost_field_enum ("outcome", SIGNPOST_TYPE_TRIAGE_OUTCOME, SIGNPOST_OUTCOME_NONE, 0);
  properties[PROP_PHARMACY_FIRST] =
    signpost_field_string ("pharmacy_first", SIGNPOST_FORMAT_KEY, 64, 0);
  properties[PROP_PHARMACY_FIRST_TAKEN] =
    signpost_field_boolean ("pharmacy_first_taken", FALSE, 0);
  properties[PROP_NAVIGATOR_NOTES] =
    signpost_field_string ("navigator_notes", SIGNPOST_FORMAT_MULTILINE, 4000, 0);
  properties[PROP_CREATED_BY] =
    signpost_field_string ("created_by", SIGNPOST_FORMAT_UUID, 36, 0);
  properties[PROP_DUTY_NOTES] =
    signpost_field_string ("duty_notes", SIGNPOST_FORMAT_MULTILINE, 8000, 0);
  properties[PROP_CLAIMED_BY] =
    signpost_field_string ("claimed_by", SIGNPOST_FORMAT_UUID, 36, 0);
  properties[PROP_REVIEWED_BY] =
    signpost_field_string ("reviewed_by", SIGNPOST_FORMAT_UUID, 36, 0);
  properties[PROP_REVIEWED_AT] =
    signpost_field_instant ("reviewed_at", 0);
  properties[PROP_APPOINTMENT_ID] =
    signpost_field_string ("appointment_id", SIGNPOST_FORMAT_UUID, 36, 0);
  /* When the server first stored the request (how long it has waited).
   * Set by the server on create; null on records older than the field. */
  properties[PROP_CREATED_AT] =
    signpost_field_instant ("created_at", SIGNPOST_FIELD_SERVER);
  /* Online requests (issue 18). Where the request came from, and for one
   * that came in online, the reference the patient was given, what they
   * asked for, who they said the patient is and how to contact them.
   * The server sets the source, the reference, the one-working-day
   * deadline (respond_by, on every new record) and when the request
   * first had an outcome. */
  properties[PROP_SOURCE] =
    signpost_field_enum ("source", SIGNPOST_TYPE_REQUEST_SOURCE, SIGNPOST_REQUEST_SOURCE_PHONE,
                         SIGNPOST_FIELD_SERVER);
  properties[PROP_SOURCE_NAME] =
    signpost_field_string ("source_name", SIGNPOST_FORMAT_USERNAME, 64, SIGNPOST_FIELD_SERVER);
  properties[PROP_SOURCE_REF] =
    signpost_field_string ("source_ref", SIGNPOST_FORMAT_TEXT, 128, SIGNPOST_FIELD_SERVER);
  properties[PROP_REFERENCE] =
    signpost_field_string ("reference", SIGNPOST_FORMAT_REFERENCE, 8, SIGNPOST_FIELD_SERVER);
  properties[PROP_REQUEST_TYPE] =
    signpost_field_enum_nick ("request_type", SIGNPOST_TYPE_REQUEST_TYPE, 0);
  properties[PROP_ADMIN_TOPIC] =
    signpost_field_enum_nick ("admin_topic", SIGNPOST_TYPE_ADMIN_TOPIC, 0);
  properties[PROP_SYMPTOM_DURATION] =
    signpost_field_string ("symptom_duration", SIGNPOST_FORMAT_TEXT, 200, 0);
  properties[PROP_HOPED_OUTCOME] =
    signpost_field_string ("hoped_outcome", SIGNPOST_FORMAT_MULTILINE, 1000, 0);
  properties[PROP_PATIENT_DETAILS] =
    signpost_field_object ("patient_details", SIGNPOST_TYPE_PATIENT_DETAILS, 0);
  properties[PROP_CONTACT_TIMES] =
    signpost_field_enum_list ("contact_times", SIGNPOST_TYPE_CONTACT_TIME, 0);
  properties[PROP_CONTACT_MESSAGE_OK] =
    signpost_field_boolean ("contact_message_ok", FALSE, 0);
  properties[PROP_SCREENED_FLAGS] =
    signpost_field_strv ("screened_flags", SIGNPOST_FORMAT_KEY, 32, 0);
  properties[PROP_RESPOND_BY] =
    signpost_field_instant ("respond_by", SIGNPOST_FIELD_SERVER);
  properties[PROP_OUTCOME_AT] =
    signpost_field_instant ("outcome_at", SIGNPOST_FIELD_SERVER);

  signpost_object_class_install_fields (object_class, N_PROPS, properties);
}

static void
signpost_triage_init (SignpostTriage *self)
{
}

SignpostTriage *
signpost_triage_new (void)
{
  return g_object_new (SIGNPOST_TYPE_TRIAGE, NULL);
}
