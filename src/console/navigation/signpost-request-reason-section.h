/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "signpost-navigation.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_REQUEST_REASON_SECTION (signpost_request_reason_section_get_type ())
G_DECLARE_FINAL_TYPE (SignpostRequestReasonSection, signpost_request_reason_section, SIGNPOST, REQUEST_REASON_SECTION, GtkBox)

/*
 * SignpostRequestReasonSection: the navigation form's reason, in the
 * patient's own words, and the red flags to ask about for the patient's
 * age (DOMAIN.md, "Triage vocabulary").
 *
 * ::reason-changed and ::flags-changed follow what the navigator does.
 */

/* As typed (not trimmed). */
char     *signpost_request_reason_section_dup_reason        (SignpostRequestReasonSection *self);
void      signpost_request_reason_section_set_reason        (SignpostRequestReasonSection *self,
                                                             const char                   *reason);
/* Says a reason is needed, and puts the cursor there. */
void      signpost_request_reason_section_show_reason_error (SignpostRequestReasonSection *self);
void      signpost_request_reason_section_focus_reason      (SignpostRequestReasonSection *self);

/* The flags to ask about for @group; a flag ticked before stays shown. */
void      signpost_request_reason_section_set_flag_group    (SignpostRequestReasonSection *self,
                                                             SignpostRedFlagGroup          group);
GStrv     signpost_request_reason_section_dup_ticked_flags  (SignpostRequestReasonSection *self);
void      signpost_request_reason_section_set_ticked_flags  (SignpostRequestReasonSection *self,
                                                             const char * const           *keys);
void      signpost_request_reason_section_set_flag          (SignpostRequestReasonSection *self,
                                                             const char                   *key,
                                                             gboolean                      ticked);

G_END_DECLS
