/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "signpost-sync.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_PATIENT_SEARCH (signpost_patient_search_get_type ())
G_DECLARE_FINAL_TYPE (SignpostPatientSearch, signpost_patient_search, SIGNPOST, PATIENT_SEARCH, AdwBin)

/* Type-ahead search over the cache: an entry and a table of results,
 * searched and sorted in SQLite (SignpostPatientSearchModel). Enter opens
 * the highlighted patient (::patient-activated); Escape emits ::closed. */
void            signpost_patient_search_set_actions  (SignpostPatientSearch *self,
                                                     SignpostActions       *actions);
void            signpost_patient_search_focus       (SignpostPatientSearch *self);
void            signpost_patient_search_set_text    (SignpostPatientSearch *self,
                                                     const char            *text);
void            signpost_patient_search_clear       (SignpostPatientSearch *self);
GListModel     *signpost_patient_search_get_results (SignpostPatientSearch *self);
/* What the line under the search box says ("2 patients found. …"). */
const char     *signpost_patient_search_get_status  (SignpostPatientSearch *self);
void            signpost_patient_search_activate_selected (SignpostPatientSearch *self);
/* Patients who left the practice are found only when the user ticks
 * "Include patients who have left the practice" (or this sets it). */
void            signpost_patient_search_set_include_left (SignpostPatientSearch *self,
                                                         gboolean               include_left);

G_END_DECLS
