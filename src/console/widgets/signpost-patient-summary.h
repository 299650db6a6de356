/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "signpost-sync.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_PATIENT_SUMMARY (signpost_patient_summary_get_type ())
G_DECLARE_FINAL_TYPE (SignpostPatientSummary, signpost_patient_summary, SIGNPOST, PATIENT_SUMMARY, AdwWindow)

/* What the desk needs to know about one patient, from the cache. */
SignpostPatientSummary *signpost_patient_summary_new         (GtkWindow       *parent,
                                                              SignpostCache   *cache,
                                                              SignpostPatient *patient);
SignpostPatient        *signpost_patient_summary_get_patient (SignpostPatientSummary *self);

G_END_DECLS
