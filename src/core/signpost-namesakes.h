/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-patient.h"

G_BEGIN_DECLS

/* Namesakes: registered patients whom a name and a date of birth do not
 * tell apart. Reception checks who a caller is by name and date of birth;
 * for namesakes that check passes for the wrong person, so whoever links a
 * caller to one of them must ask for a second identifier (NHS number,
 * postcode or first line of the address). The hazard log's H-01. */

/* TRUE when @a and @b are different patients, neither has left the
 * practice's list, they were born on the same date and their given and
 * family names agree once folded (signpost_name_fold(): case, accents,
 * spaces, hyphens and apostrophes). */
gboolean    signpost_patient_is_namesake       (SignpostPatient *a,
                                                SignpostPatient *b);

/* The ids of the patients in @patients (SignpostPatient) that have a
 * namesake among the others, as a set; empty when none has. */
GHashTable *signpost_patients_find_namesakes   (GListModel      *patients);

/* What to say to the navigator about @patient, who has @n_namesakes
 * namesakes: which second identifiers to ask for, with @patient's own
 * (so that the answer can be checked against it). */
char       *signpost_namesake_warning          (SignpostPatient *patient,
                                                guint            n_namesakes);

G_END_DECLS
