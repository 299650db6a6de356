/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-sync.h"

G_BEGIN_DECLS

/* How a patient is written on screen, the same everywhere (search results,
 * summary, and the pages to come). Not a class: plain functions. */

char *signpost_patient_format_name     (SignpostPatient *patient);
char *signpost_patient_format_born     (SignpostPatient *patient,
                                        GDateTime       *now);
char *signpost_patient_format_nhs      (SignpostPatient *patient);
char *signpost_patient_format_alerts   (SignpostPatient *patient);
char *signpost_patient_format_phones   (SignpostPatient *patient);
char *signpost_patient_format_left     (SignpostPatient *patient);
char *signpost_patient_describe        (SignpostPatient *patient,
                                        GDateTime       *now);
/* When other patients on this PC have @patient's name and date of birth:
 * what to tell the navigator (signpost_namesake_warning()); else NULL. */
char *signpost_patient_format_namesakes (SignpostPatient *patient,
                                         SignpostCache   *cache);

G_END_DECLS
