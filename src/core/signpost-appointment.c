/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "signpost-accessors-private.h"
#include "signpost-enum-types.h"
#include "signpost-error.h"
#include "signpost-appointment.h"

struct _SignpostAppointment
{
  SignpostRecord parent_instance;
};

enum {
  PROP_0,
  PROP_SLOT_ID,
  PROP_PATIENT_ID,
  PROP_REASON,
  PROP_STATUS,
  PROP_BOOKED_BY,
  PROP_TRIAGE_ID,
  PROP_CANCEL_REASON,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SignpostAppointment, signpost_appointment, SIGNPOST_TYPE_RECORD)

SIGNPOST_STRING_ACCESSORS (SignpostAppointment, signpost_appointment, slot_id, PROP_SLOT_ID)
SIGNPOST_STRING_ACCESSORS (SignpostAppointment, signpost_appointment, patient_id, PROP_PATIENT_ID)
SIGNPOST_STRING_ACCESSORS (SignpostAppointment, signpost_appointment, reason, PROP_REASON)
SIGNPOST_ENUM_ACCESSORS (SignpostAppointment, signpost_appointment, status, PROP_STATUS, SignpostAppointmentStatus)
SIGNPOST_STRING_ACCESSORS (SignpostAppointment, signpost_appointment, booked_by, PROP_BOOKED_BY)
SIGNPOST_STRING_ACCESSORS (SignpostAppointment, signpost_appointment, triage_id, PROP_TRIAGE_ID)
SIGNPOST_STRING_ACCESSORS (SignpostAppointment, signpost_appointment, cancel_reason, PROP_CANCEL_REASON)

static void
signpost_appointment_class_init (SignpostAppointmentClass *klass)
{
  SignpostObjectClass *object_class = SIGNPOST_OBJECT_CLASS (klass);

  SIGNPOST_RECORD_CLASS (klass)->kind = SIGNPOST_RECORD_APPOINTMENT;

  properties[PROP_SLOT_ID] =
    signpost_field_string ("slot_id", SIGNPOST_FORMAT_UUID, 36, SIGNPOST_FIELD_REQUIRED);
  /* Not required on the wire: a manager's copy has it nulled (PROTOCOL.md,
   * "Who sees what"). The server insists on it when booking. */
  properties[PROP_PATIENT_ID] =
    signpost_field_string ("patient_id", SIGNPOST_FORMAT_UUID, 36, 0);
  properties[PROP_REASON] =
    signpost_field_string ("reason", SIGNPOST_FORMAT_MULTILINE, 2000, 0);
  properties[PROP_STATUS] =
    signpost_field_enum ("status", SIGNPOST_TYPE_APPOINTMENT_STATUS, SIGNPOST_APPOINTMENT_BOOKED, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_BOOKED_BY] =
    signpost_field_string ("booked_by", SIGNPOST_FORMAT_UUID, 36, 0);
  properties[PROP_TRIAGE_ID] =
    signpost_field_string ("triage_id", SIGNPOST_FORMAT_UUID, 36, 0);
  properties[PROP_CANCEL_REASON] =
    signpost_field_string ("cancel_reason", SIGNPOST_FORMAT_TEXT, 500, 0);

  signpost_object_class_install_fields (object_class, N_PROPS, properties);
}

static void
signpost_appointment_init (SignpostAppointment *self)
{
}

SignpostAppointment *
signpost_appointment_new (void)
{
  return g_object_new (SIGNPOST_TYPE_APPOINTMENT, NULL);
}
