/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-enums.h"
#include "signpost-record.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_APPOINTMENT (signpost_appointment_get_type ())
G_DECLARE_FINAL_TYPE (SignpostAppointment, signpost_appointment, SIGNPOST, APPOINTMENT, SignpostRecord)

/* A patient booked into a slot. */
SignpostAppointment *signpost_appointment_new (void);

const char *signpost_appointment_get_slot_id (SignpostAppointment *self);
void signpost_appointment_set_slot_id (SignpostAppointment *self, const char *value);
const char *signpost_appointment_get_patient_id (SignpostAppointment *self);
void signpost_appointment_set_patient_id (SignpostAppointment *self, const char *value);
const char *signpost_appointment_get_reason (SignpostAppointment *self);
void signpost_appointment_set_reason (SignpostAppointment *self, const char *value);
SignpostAppointmentStatus signpost_appointment_get_status (SignpostAppointment *self);
void signpost_appointment_set_status (SignpostAppointment *self, SignpostAppointmentStatus value);
const char *signpost_appointment_get_booked_by (SignpostAppointment *self);
void signpost_appointment_set_booked_by (SignpostAppointment *self, const char *value);
const char *signpost_appointment_get_triage_id (SignpostAppointment *self);
void signpost_appointment_set_triage_id (SignpostAppointment *self, const char *value);
const char *signpost_appointment_get_cancel_reason (SignpostAppointment *self);
void signpost_appointment_set_cancel_reason (SignpostAppointment *self, const char *value);

G_END_DECLS
