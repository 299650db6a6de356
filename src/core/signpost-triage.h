/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-enums.h"
#include "signpost-record.h"
#include "signpost-patient-details.h"
#include "signpost-route.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_TRIAGE (signpost_triage_get_type ())
G_DECLARE_FINAL_TYPE (SignpostTriage, signpost_triage, SIGNPOST, TRIAGE, SignpostRecord)

/* A care-navigation record: the request in the patient's words, red flags, urgency, route and outcome. */
SignpostTriage *signpost_triage_new (void);

const char *signpost_triage_get_patient_id (SignpostTriage *self);
void signpost_triage_set_patient_id (SignpostTriage *self, const char *value);
const char *signpost_triage_get_call_id (SignpostTriage *self);
void signpost_triage_set_call_id (SignpostTriage *self, const char *value);
SignpostCallerRelationship signpost_triage_get_caller_relationship (SignpostTriage *self);
void signpost_triage_set_caller_relationship (SignpostTriage *self, SignpostCallerRelationship value);
const char *signpost_triage_get_caller_name (SignpostTriage *self);
void signpost_triage_set_caller_name (SignpostTriage *self, const char *value);
const char *signpost_triage_get_reason (SignpostTriage *self);
void signpost_triage_set_reason (SignpostTriage *self, const char *value);
const char * const *signpost_triage_get_red_flags (SignpostTriage *self);
void signpost_triage_set_red_flags (SignpostTriage *self, const char * const *value);
SignpostUrgency signpost_triage_get_urgency (SignpostTriage *self);
void signpost_triage_set_urgency (SignpostTriage *self, SignpostUrgency value);
SignpostRoute *signpost_triage_get_route (SignpostTriage *self);
void signpost_triage_set_route (SignpostTriage *self, SignpostRoute *value);
SignpostContactMethod signpost_triage_get_contact_method (SignpostTriage *self);
void signpost_triage_set_contact_method (SignpostTriage *self, SignpostContactMethod value);
const char *signpost_triage_get_contact_number (SignpostTriage *self);
void signpost_triage_set_contact_number (SignpostTriage *self, const char *value);
SignpostTriageStatus signpost_triage_get_status (SignpostTriage *self);
void signpost_triage_set_status (SignpostTriage *self, SignpostTriageStatus value);
SignpostTriageOutcome signpost_triage_get_outcome (SignpostTriage *self);
void signpost_triage_set_outcome (SignpostTriage *self, SignpostTriageOutcome value);
const char *signpost_triage_get_pharmacy_first (SignpostTriage *self);
void signpost_triage_set_pharmacy_first (SignpostTriage *self, const char *value);
gboolean signpost_triage_get_pharmacy_first_taken (SignpostTriage *self);
void signpost_triage_set_pharmacy_first_taken (SignpostTriage *self, gboolean value);
const char *signpost_triage_get_navigator_notes (SignpostTriage *self);
void signpost_triage_set_navigator_notes (SignpostTriage *self, const char *value);
const char *signpost_triage_get_created_by (SignpostTriage *self);
void signpost_triage_set_created_by (SignpostTriage *self, const char *value);
const char *signpost_triage_get_duty_notes (SignpostTriage *self);
void signpost_triage_set_duty_notes (SignpostTriage *self, const char *value);
const char *signpost_triage_get_claimed_by (SignpostTriage *self);
void signpost_triage_set_claimed_by (SignpostTriage *self, const char *value);
const char *signpost_triage_get_reviewed_by (SignpostTriage *self);
void signpost_triage_set_reviewed_by (SignpostTriage *self, const char *value);
GDateTime *signpost_triage_get_reviewed_at (SignpostTriage *self);
void signpost_triage_set_reviewed_at (SignpostTriage *self, GDateTime *value);
const char *signpost_triage_get_appointment_id (SignpostTriage *self);
void signpost_triage_set_appointment_id (SignpostTriage *self, const char *value);
GDateTime *signpost_triage_get_created_at (SignpostTriage *self);
void signpost_triage_set_created_at (SignpostTriage *self, GDateTime *value);
SignpostRequestSource signpost_triage_get_source (SignpostTriage *self);
void signpost_triage_set_source (SignpostTriage *self, SignpostRequestSource value);
const char *signpost_triage_get_source_name (SignpostTriage *self);
void signpost_triage_set_source_name (SignpostTriage *self, const char *value);
const char *signpost_triage_get_source_ref (SignpostTriage *self);
void signpost_triage_set_source_ref (SignpostTriage *self, const char *value);
const char *signpost_triage_get_reference (SignpostTriage *self);
void signpost_triage_set_reference (SignpostTriage *self, const char *value);
const char *signpost_triage_get_request_type (SignpostTriage *self);
void signpost_triage_set_request_type (SignpostTriage *self, const char *value);
const char *signpost_triage_get_admin_topic (SignpostTriage *self);
void signpost_triage_set_admin_topic (SignpostTriage *self, const char *value);
const char *signpost_triage_get_symptom_duration (SignpostTriage *self);
void signpost_triage_set_symptom_duration (SignpostTriage *self, const char *value);
const char *signpost_triage_get_hoped_outcome (SignpostTriage *self);
void signpost_triage_set_hoped_outcome (SignpostTriage *self, const char *value);
SignpostPatientDetails *signpost_triage_get_patient_details (SignpostTriage *self);
void signpost_triage_set_patient_details (SignpostTriage *self, SignpostPatientDetails *value);
const char * const *signpost_triage_get_contact_times (SignpostTriage *self);
void signpost_triage_set_contact_times (SignpostTriage *self, const char * const *value);
gboolean signpost_triage_get_contact_message_ok (SignpostTriage *self);
void signpost_triage_set_contact_message_ok (SignpostTriage *self, gboolean value);
const char * const *signpost_triage_get_screened_flags (SignpostTriage *self);
void signpost_triage_set_screened_flags (SignpostTriage *self, const char * const *value);
GDateTime *signpost_triage_get_respond_by (SignpostTriage *self);
void signpost_triage_set_respond_by (SignpostTriage *self, GDateTime *value);
GDateTime *signpost_triage_get_outcome_at (SignpostTriage *self);
void signpost_triage_set_outcome_at (SignpostTriage *self, GDateTime *value);

G_END_DECLS
