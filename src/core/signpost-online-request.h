/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-enums.h"
#include "signpost-object.h"
#include "signpost-patient-details.h"
#include "signpost-triage.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_ONLINE_REQUEST (signpost_online_request_get_type ())
G_DECLARE_FINAL_TYPE (SignpostOnlineRequest, signpost_online_request, SIGNPOST, ONLINE_REQUEST, SignpostObject)

/* What a patient (or someone for them) asks online: from the practice's own
 * form, or from another online-consultation product through the intake
 * API (its "request" member). One description, so that both channels are
 * held to the same rules and become the same kind of navigation record. */
SignpostOnlineRequest *signpost_online_request_new (void);

SignpostCallerRelationship signpost_online_request_get_relationship (SignpostOnlineRequest *self);
void signpost_online_request_set_relationship (SignpostOnlineRequest *self, SignpostCallerRelationship value);
const char *signpost_online_request_get_requester_name (SignpostOnlineRequest *self);
void signpost_online_request_set_requester_name (SignpostOnlineRequest *self, const char *value);
SignpostPatientDetails *signpost_online_request_get_patient (SignpostOnlineRequest *self);
void signpost_online_request_set_patient (SignpostOnlineRequest *self, SignpostPatientDetails *value);
SignpostRequestType signpost_online_request_get_request_type (SignpostOnlineRequest *self);
void signpost_online_request_set_request_type (SignpostOnlineRequest *self, SignpostRequestType value);
const char *signpost_online_request_get_admin_topic (SignpostOnlineRequest *self);
void signpost_online_request_set_admin_topic (SignpostOnlineRequest *self, const char *value);
const char *signpost_online_request_get_reason (SignpostOnlineRequest *self);
void signpost_online_request_set_reason (SignpostOnlineRequest *self, const char *value);
const char *signpost_online_request_get_symptom_duration (SignpostOnlineRequest *self);
void signpost_online_request_set_symptom_duration (SignpostOnlineRequest *self, const char *value);
const char *signpost_online_request_get_hoped_outcome (SignpostOnlineRequest *self);
void signpost_online_request_set_hoped_outcome (SignpostOnlineRequest *self, const char *value);
const char * const *signpost_online_request_get_screened_flags (SignpostOnlineRequest *self);
void signpost_online_request_set_screened_flags (SignpostOnlineRequest *self, const char * const *value);
const char * const *signpost_online_request_get_red_flags (SignpostOnlineRequest *self);
void signpost_online_request_set_red_flags (SignpostOnlineRequest *self, const char * const *value);
SignpostContactMethod signpost_online_request_get_contact_method (SignpostOnlineRequest *self);
void signpost_online_request_set_contact_method (SignpostOnlineRequest *self, SignpostContactMethod value);
const char *signpost_online_request_get_contact_number (SignpostOnlineRequest *self);
void signpost_online_request_set_contact_number (SignpostOnlineRequest *self, const char *value);
const char * const *signpost_online_request_get_contact_times (SignpostOnlineRequest *self);
void signpost_online_request_set_contact_times (SignpostOnlineRequest *self, const char * const *value);
gboolean signpost_online_request_get_contact_message_ok (SignpostOnlineRequest *self);
void signpost_online_request_set_contact_message_ok (SignpostOnlineRequest *self, gboolean value);

/* The navigation record it becomes: everything the request says, open,
 * routine unless a red flag was answered yes (then as urgent as the
 * flags call for). Id, practice, source, reference and times are the
 * server's to set. */
SignpostTriage *signpost_online_request_to_triage (SignpostOnlineRequest *self);

G_END_DECLS
