/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-enums.h"
#include "signpost-record.h"
#include "signpost-phone.h"
#include "signpost-alert.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_PATIENT (signpost_patient_get_type ())
G_DECLARE_FINAL_TYPE (SignpostPatient, signpost_patient, SIGNPOST, PATIENT, SignpostRecord)

/* A registered (or temporary) patient of a practice. */
SignpostPatient *signpost_patient_new (void);

const char *signpost_patient_get_nhs_number (SignpostPatient *self);
void signpost_patient_set_nhs_number (SignpostPatient *self, const char *value);
const char *signpost_patient_get_given_name (SignpostPatient *self);
void signpost_patient_set_given_name (SignpostPatient *self, const char *value);
const char *signpost_patient_get_family_name (SignpostPatient *self);
void signpost_patient_set_family_name (SignpostPatient *self, const char *value);
const char *signpost_patient_get_date_of_birth (SignpostPatient *self);
void signpost_patient_set_date_of_birth (SignpostPatient *self, const char *value);
SignpostSex signpost_patient_get_sex (SignpostPatient *self);
void signpost_patient_set_sex (SignpostPatient *self, SignpostSex value);
GListModel *signpost_patient_get_phones (SignpostPatient *self);
void signpost_patient_set_phones (SignpostPatient *self, GListModel *value);
const char *signpost_patient_get_postcode (SignpostPatient *self);
void signpost_patient_set_postcode (SignpostPatient *self, const char *value);
const char *signpost_patient_get_usual_clinician_id (SignpostPatient *self);
void signpost_patient_set_usual_clinician_id (SignpostPatient *self, const char *value);
GListModel *signpost_patient_get_alerts (SignpostPatient *self);
void signpost_patient_set_alerts (SignpostPatient *self, GListModel *value);
gboolean signpost_patient_get_temporary (SignpostPatient *self);
void signpost_patient_set_temporary (SignpostPatient *self, gboolean value);
const char *signpost_patient_get_patient_ref (SignpostPatient *self);
void signpost_patient_set_patient_ref (SignpostPatient *self, const char *value);
GDateTime *signpost_patient_get_left_at (SignpostPatient *self);
void signpost_patient_set_left_at (SignpostPatient *self, GDateTime *value);

G_END_DECLS
