/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-enums.h"
#include "signpost-record.h"
#include "signpost-duty-period.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_CLINICIAN (signpost_clinician_get_type ())
G_DECLARE_FINAL_TYPE (SignpostClinician, signpost_clinician, SIGNPOST, CLINICIAN, SignpostRecord)

/* Someone patients can be booked with or routed to, and when they are duty doctor. */
SignpostClinician *signpost_clinician_new (void);

const char *signpost_clinician_get_title (SignpostClinician *self);
void signpost_clinician_set_title (SignpostClinician *self, const char *value);
const char *signpost_clinician_get_given_name (SignpostClinician *self);
void signpost_clinician_set_given_name (SignpostClinician *self, const char *value);
const char *signpost_clinician_get_family_name (SignpostClinician *self);
void signpost_clinician_set_family_name (SignpostClinician *self, const char *value);
SignpostProfession signpost_clinician_get_profession (SignpostClinician *self);
void signpost_clinician_set_profession (SignpostClinician *self, SignpostProfession value);
GListModel *signpost_clinician_get_duty (SignpostClinician *self);
void signpost_clinician_set_duty (SignpostClinician *self, GListModel *value);

G_END_DECLS
