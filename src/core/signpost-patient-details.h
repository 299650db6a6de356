/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-object.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_PATIENT_DETAILS (signpost_patient_details_get_type ())
G_DECLARE_FINAL_TYPE (SignpostPatientDetails, signpost_patient_details, SIGNPOST, PATIENT_DETAILS, SignpostObject)

/* Who an online request says the patient is, in the requester's words
 * (normalised): kept on the request so that a navigator can confirm who
 * it is, whether or not the server matched a registered patient. */
SignpostPatientDetails *signpost_patient_details_new (void);

const char *signpost_patient_details_get_given_name (SignpostPatientDetails *self);
void signpost_patient_details_set_given_name (SignpostPatientDetails *self, const char *value);
const char *signpost_patient_details_get_family_name (SignpostPatientDetails *self);
void signpost_patient_details_set_family_name (SignpostPatientDetails *self, const char *value);
const char *signpost_patient_details_get_date_of_birth (SignpostPatientDetails *self);
void signpost_patient_details_set_date_of_birth (SignpostPatientDetails *self, const char *value);
const char *signpost_patient_details_get_postcode (SignpostPatientDetails *self);
void signpost_patient_details_set_postcode (SignpostPatientDetails *self, const char *value);
const char *signpost_patient_details_get_phone (SignpostPatientDetails *self);
void signpost_patient_details_set_phone (SignpostPatientDetails *self, const char *value);
const char *signpost_patient_details_get_nhs_number (SignpostPatientDetails *self);
void signpost_patient_details_set_nhs_number (SignpostPatientDetails *self, const char *value);

G_END_DECLS
