/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "signpost-accessors-private.h"
#include "signpost-enum-types.h"
#include "signpost-error.h"
#include "signpost-navigation.h"
#include "signpost-online-request.h"

struct _SignpostOnlineRequest
{
  SignpostObject parent_instance;
};

enum {
  PROP_0,
  PROP_RELATIONSHIP,
  PROP_REQUESTER_NAME,
  PROP_PATIENT,
  PROP_REQUEST_TYPE,
  PROP_ADMIN_TOPIC,
  PROP_REASON,
  PROP_SYMPTOM_DURATION,
  PROP_HOPED_OUTCOME,
  PROP_SCREENED_FLAGS,
  PROP_RED_FLAGS,
  PROP_CONTACT_METHOD,
  PROP_CONTACT_NUMBER,
  PROP_CONTACT_TIMES,
  PROP_CONTACT_MESSAGE_OK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SignpostOnlineRequest, signpost_online_request, SIGNPOST_TYPE_OBJECT)

SIGNPOST_ENUM_ACCESSORS (SignpostOnlineRequest, signpost_online_request, relationship, PROP_RELATIONSHIP, SignpostCallerRelationship)
SIGNPOST_STRING_ACCESSORS (SignpostOnlineRequest, signpost_online_request, requester_name, PROP_REQUESTER_NAME)
SIGNPOST_OBJECT_ACCESSORS (SignpostOnlineRequest, signpost_online_request, patient, PROP_PATIENT, SignpostPatientDetails)
SIGNPOST_ENUM_ACCESSORS (SignpostOnlineRequest, signpost_online_request, request_type, PROP_REQUEST_TYPE, SignpostRequestType)
SIGNPOST_STRING_ACCESSORS (SignpostOnlineRequest, signpost_online_request, admin_topic, PROP_ADMIN_TOPIC)
SIGNPOST_STRING_ACCESSORS (SignpostOnlineRequest, signpost_online_request, reason, PROP_REASON)
SIGNPOST_STRING_ACCESSORS (SignpostOnlineRequest, signpost_online_request, symptom_duration, PROP_SYMPTOM_DURATION)
SIGNPOST_STRING_ACCESSORS (SignpostOnlineRequest, signpost_online_request, hoped_outcome, PROP_HOPED_OUTCOME)
SIGNPOST_STRV_ACCESSORS (SignpostOnlineRequest, signpost_online_request, screened_flags, PROP_SCREENED_FLAGS)
SIGNPOST_STRV_ACCESSORS (SignpostOnlineRequest, signpost_online_request, red_flags, PROP_RED_FLAGS)
SIGNPOST_ENUM_ACCESSORS (SignpostOnlineRequest, signpost_online_request, contact_method, PROP_CONTACT_METHOD, SignpostContactMethod)
SIGNPOST_STRING_ACCESSORS (SignpostOnlineRequest, signpost_online_request, contact_number, PROP_CONTACT_NUMBER)
SIGNPOST_STRV_ACCESSORS (SignpostOnlineRequest, signpost_online_request, contact_times, PROP_CONTACT_TIMES)
SIGNPOST_BOOLEAN_ACCESSORS (SignpostOnlineRequest, signpost_online_request, contact_message_ok, PROP_CONTACT_MESSAGE_OK)

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

static gboolean
check_flags (const char * const  *keys,
             const char          *field,
             GError             **error)
{
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    if (signpost_navigation_find_red_flag (keys[i]) == NULL)
      {
        g_autofree char *path = g_strdup_printf ("%s[%u]", field, i);

        signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, path, _("is not a known red flag"));
        return FALSE;
      }
  return TRUE;
}

static gboolean
signpost_online_request_validate (SignpostObject  *object,
                                  GError         **error)
{
  SignpostOnlineRequest *self = SIGNPOST_ONLINE_REQUEST (object);
  const char *topic = signpost_online_request_get_admin_topic (self);
  SignpostContactMethod method = signpost_online_request_get_contact_method (self);

  if (signpost_online_request_get_relationship (self) != SIGNPOST_CALLER_SELF &&
      is_blank (signpost_online_request_get_requester_name (self)))
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "requester_name",
                                _("is required when asking for someone else"));
      return FALSE;
    }
  if (signpost_online_request_get_request_type (self) == SIGNPOST_REQUEST_TYPE_ADMIN && topic == NULL)
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "admin_topic",
                                _("is required for an admin request"));
      return FALSE;
    }
  if (signpost_online_request_get_request_type (self) != SIGNPOST_REQUEST_TYPE_ADMIN && topic != NULL)
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "admin_topic",
                                _("is only for admin requests"));
      return FALSE;
    }
  if (is_blank (signpost_online_request_get_reason (self)))
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "reason", _("must not be empty"));
      return FALSE;
    }
  if (method != SIGNPOST_CONTACT_PHONE && method != SIGNPOST_CONTACT_TEXT)
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "contact_method",
                                _("must be phone or text"));
      return FALSE;
    }
  return check_flags (signpost_online_request_get_screened_flags (self), "screened_flags", error) &&
         check_flags (signpost_online_request_get_red_flags (self), "red_flags", error);
}

static void
signpost_online_request_class_init (SignpostOnlineRequestClass *klass)
{
  SignpostObjectClass *object_class = SIGNPOST_OBJECT_CLASS (klass);

  object_class->validate = signpost_online_request_validate;

  properties[PROP_RELATIONSHIP] =
    signpost_field_enum ("relationship", SIGNPOST_TYPE_CALLER_RELATIONSHIP, SIGNPOST_CALLER_SELF, 0);
  properties[PROP_REQUESTER_NAME] =
    signpost_field_string ("requester_name", SIGNPOST_FORMAT_TEXT, 100, 0);
  properties[PROP_PATIENT] =
    signpost_field_object ("patient", SIGNPOST_TYPE_PATIENT_DETAILS, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_REQUEST_TYPE] =
    signpost_field_enum ("request_type", SIGNPOST_TYPE_REQUEST_TYPE, SIGNPOST_REQUEST_TYPE_MEDICAL,
                         SIGNPOST_FIELD_REQUIRED);
  properties[PROP_ADMIN_TOPIC] =
    signpost_field_enum_nick ("admin_topic", SIGNPOST_TYPE_ADMIN_TOPIC, 0);
  properties[PROP_REASON] =
    signpost_field_string ("reason", SIGNPOST_FORMAT_MULTILINE, 4000, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_SYMPTOM_DURATION] =
    signpost_field_string ("symptom_duration", SIGNPOST_FORMAT_TEXT, 200, 0);
  properties[PROP_HOPED_OUTCOME] =
    signpost_field_string ("hoped_outcome", SIGNPOST_FORMAT_MULTILINE, 1000, 0);
  properties[PROP_SCREENED_FLAGS] =
    signpost_field_strv ("screened_flags", SIGNPOST_FORMAT_KEY, 32, 0);
  properties[PROP_RED_FLAGS] =
    signpost_field_strv ("red_flags", SIGNPOST_FORMAT_KEY, 32, 0);
  properties[PROP_CONTACT_METHOD] =
    signpost_field_enum ("contact_method", SIGNPOST_TYPE_CONTACT_METHOD, SIGNPOST_CONTACT_PHONE, 0);
  properties[PROP_CONTACT_NUMBER] =
    signpost_field_string ("contact_number", SIGNPOST_FORMAT_E164, 16, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_CONTACT_TIMES] =
    signpost_field_enum_list ("contact_times", SIGNPOST_TYPE_CONTACT_TIME, 0);
  properties[PROP_CONTACT_MESSAGE_OK] =
    signpost_field_boolean ("contact_message_ok", FALSE, 0);

  signpost_object_class_install_fields (object_class, N_PROPS, properties);
}

static void
signpost_online_request_init (SignpostOnlineRequest *self)
{
}

SignpostOnlineRequest *
signpost_online_request_new (void)
{
  return g_object_new (SIGNPOST_TYPE_ONLINE_REQUEST, NULL);
}

static char *
full_name (SignpostPatientDetails *details)
{
  return g_strdup_printf ("%s %s", signpost_patient_details_get_given_name (details),
                          signpost_patient_details_get_family_name (details));
}

SignpostTriage *
signpost_online_request_to_triage (SignpostOnlineRequest *self)
{
  SignpostTriage *triage;
  SignpostPatientDetails *patient;
  const char * const *flags;
  g_autofree char *name = NULL;
  g_autoptr(SignpostPatientDetails) details = NULL;

  g_return_val_if_fail (SIGNPOST_IS_ONLINE_REQUEST (self), NULL);

  patient = signpost_online_request_get_patient (self);
  flags = signpost_online_request_get_red_flags (self);
  triage = signpost_triage_new ();
  signpost_triage_set_caller_relationship (triage, signpost_online_request_get_relationship (self));
  if (signpost_online_request_get_relationship (self) == SIGNPOST_CALLER_SELF && patient != NULL)
    name = full_name (patient);
  else
    name = g_strdup (signpost_online_request_get_requester_name (self));
  signpost_triage_set_caller_name (triage, name);
  signpost_triage_set_reason (triage, signpost_online_request_get_reason (self));
  signpost_triage_set_red_flags (triage, flags);
  signpost_triage_set_urgency (triage, signpost_navigation_minimum_urgency (flags));
  signpost_triage_set_contact_method (triage, signpost_online_request_get_contact_method (self));
  signpost_triage_set_contact_number (triage, signpost_online_request_get_contact_number (self));
  signpost_triage_set_contact_times (triage, signpost_online_request_get_contact_times (self));
  signpost_triage_set_contact_message_ok (triage, signpost_online_request_get_contact_message_ok (self));
  signpost_triage_set_status (triage, SIGNPOST_TRIAGE_OPEN);
  signpost_triage_set_request_type (triage,
                                    signpost_enum_to_nick (SIGNPOST_TYPE_REQUEST_TYPE,
                                                           signpost_online_request_get_request_type (self)));
  signpost_triage_set_admin_topic (triage, signpost_online_request_get_admin_topic (self));
  signpost_triage_set_symptom_duration (triage, signpost_online_request_get_symptom_duration (self));
  signpost_triage_set_hoped_outcome (triage, signpost_online_request_get_hoped_outcome (self));
  signpost_triage_set_screened_flags (triage, signpost_online_request_get_screened_flags (self));
  if (patient != NULL)
    {
      details = signpost_object_copy (SIGNPOST_OBJECT (patient));
      signpost_triage_set_patient_details (triage, details);
    }
  return triage;
}
