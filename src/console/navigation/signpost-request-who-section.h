/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "signpost-sync.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_REQUEST_WHO_SECTION (signpost_request_who_section_get_type ())
G_DECLARE_FINAL_TYPE (SignpostRequestWhoSection, signpost_request_who_section, SIGNPOST, REQUEST_WHO_SECTION, GtkBox)

/*
 * SignpostRequestWhoSection: the navigation form's "who" — the patient
 * the request is for (shown, or found with the search below it), who is
 * calling and their name.
 *
 * ::patient-chosen (SignpostPatient *): a patient was picked from the
 * search (Enter takes the first). ::changed: who is calling changed.
 */

void                       signpost_request_who_section_set_search_model  (SignpostRequestWhoSection  *self,
                                                                          SignpostPatientSearchModel *model);
/* @patient may be NULL (not chosen yet); @practice_name says where they are registered. */
void                       signpost_request_who_section_show_patient      (SignpostRequestWhoSection  *self,
                                                                          SignpostPatient            *patient,
                                                                          const char                 *practice_name);
void                       signpost_request_who_section_focus_search      (SignpostRequestWhoSection  *self);
/* Puts @text in the patient search, as if typed. */
void                       signpost_request_who_section_set_search_text   (SignpostRequestWhoSection  *self,
                                                                          const char                 *text);
const char                *signpost_request_who_section_get_patient_text  (SignpostRequestWhoSection  *self);

SignpostCallerRelationship signpost_request_who_section_get_relationship  (SignpostRequestWhoSection  *self);
void                       signpost_request_who_section_set_relationship  (SignpostRequestWhoSection  *self,
                                                                          SignpostCallerRelationship  relationship);
/* As typed (not trimmed). */
const char                *signpost_request_who_section_get_caller_name   (SignpostRequestWhoSection  *self);
void                       signpost_request_who_section_set_caller_name   (SignpostRequestWhoSection  *self,
                                                                          const char                 *name);

G_END_DECLS
