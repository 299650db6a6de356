/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "signpost-sync.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_REQUEST_OUTCOME_SECTION (signpost_request_outcome_section_get_type ())
G_DECLARE_FINAL_TYPE (SignpostRequestOutcomeSection, signpost_request_outcome_section, SIGNPOST, REQUEST_OUTCOME_SECTION, GtkBox)

/*
 * SignpostRequestOutcomeSection: the navigation form's contact (how, and
 * the number to call or text back), the navigator's notes for the
 * clinician, and the outcome ("Booked" offers the diary).
 *
 * ::number-changed, ::outcome-changed and ::changed (how to contact, the
 * notes) follow what the navigator does.
 */

SignpostContactMethod  signpost_request_outcome_section_get_contact     (SignpostRequestOutcomeSection *self);
void                   signpost_request_outcome_section_set_contact     (SignpostRequestOutcomeSection *self,
                                                                         SignpostContactMethod          contact);
/* As typed. */
const char            *signpost_request_outcome_section_get_number      (SignpostRequestOutcomeSection *self);
void                   signpost_request_outcome_section_set_number_text (SignpostRequestOutcomeSection *self,
                                                                         const char                    *text);
/* @why under the number (NULL: nothing). */
void                   signpost_request_outcome_section_set_number_hint (SignpostRequestOutcomeSection *self,
                                                                         const char                    *why);
/* The number is wrong (@detail says why); the cursor goes there. */
void                   signpost_request_outcome_section_show_number_error (SignpostRequestOutcomeSection *self,
                                                                           const char                    *detail);
void                   signpost_request_outcome_section_clear_number_error (SignpostRequestOutcomeSection *self);
/* As typed (not trimmed). */
char                  *signpost_request_outcome_section_dup_notes       (SignpostRequestOutcomeSection *self);
void                   signpost_request_outcome_section_set_notes       (SignpostRequestOutcomeSection *self,
                                                                         const char                    *notes);
SignpostTriageOutcome  signpost_request_outcome_section_get_outcome     (SignpostRequestOutcomeSection *self);
void                   signpost_request_outcome_section_set_outcome     (SignpostRequestOutcomeSection *self,
                                                                         SignpostTriageOutcome          outcome);
/* Puts the labels of its controls in @labels (a horizontal GtkSizeGroup). */
void signpost_request_outcome_section_align_labels (SignpostRequestOutcomeSection *self,
                                                    GtkSizeGroup *labels);

G_END_DECLS
