/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "signpost-navigation.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_REQUEST_ROUTE_SECTION (signpost_request_route_section_get_type ())
G_DECLARE_FINAL_TYPE (SignpostRequestRouteSection, signpost_request_route_section, SIGNPOST, REQUEST_ROUTE_SECTION, GtkBox)

/*
 * SignpostRequestRouteSection: the navigation form's urgency (Red, Amber
 * or Green), the Pharmacy First suggestion, and the route: a named
 * clinician, the duty doctor, another profession or a service outside
 * the practice.
 *
 * ::urgency-chosen: a colour was chosen (or forced by a red flag).
 * ::route-changed: the route or its target changed.
 */

/* -1 when no colour is chosen yet. */
int               signpost_request_route_section_get_rag            (SignpostRequestRouteSection *self);
/* Whatever a red flag allows (filling in a saved request or a draft). */
void              signpost_request_route_section_set_rag            (SignpostRequestRouteSection *self,
                                                                     SignpostRag                  rag);
/* As a click would: a colour that cannot be chosen is not. */
void              signpost_request_route_section_choose_rag         (SignpostRequestRouteSection *self,
                                                                     SignpostRag                  rag);
gboolean          signpost_request_route_section_get_rag_allowed    (SignpostRequestRouteSection *self,
                                                                     SignpostRag                  rag);
void              signpost_request_route_section_focus_urgency      (SignpostRequestRouteSection *self);
/* A ticked red flag (@any) makes the request Red and takes Amber and
 * Green away; @action says which words Red carries. */
void              signpost_request_route_section_set_red_flag       (SignpostRequestRouteSection *self,
                                                                     gboolean                     any,
                                                                     SignpostRedFlagAction        action);
/* @text NULL hides it; @offer shows the buttons to take it or not. */
void              signpost_request_route_section_show_pharmacy_first (SignpostRequestRouteSection *self,
                                                                      const char                  *text,
                                                                      gboolean                     offer);

SignpostRouteKind signpost_request_route_section_get_route_kind     (SignpostRequestRouteSection *self);
void              signpost_request_route_section_set_route_kind     (SignpostRequestRouteSection *self,
                                                                     SignpostRouteKind            kind);
/* The clinicians to name (@ids and their @labels, in order); the one
 * chosen stays chosen if still there. */
void              signpost_request_route_section_set_clinicians     (SignpostRequestRouteSection *self,
                                                                     GPtrArray                   *ids,
                                                                     const char * const          *labels);
const char       *signpost_request_route_section_get_clinician_id   (SignpostRequestRouteSection *self);
void              signpost_request_route_section_set_clinician_id   (SignpostRequestRouteSection *self,
                                                                     const char                  *clinician_id);
SignpostProfession signpost_request_route_section_get_profession    (SignpostRequestRouteSection *self);
void              signpost_request_route_section_set_profession     (SignpostRequestRouteSection *self,
                                                                     SignpostProfession           profession);
SignpostSignpost  signpost_request_route_section_get_signpost       (SignpostRequestRouteSection *self);
void              signpost_request_route_section_set_signpost       (SignpostRequestRouteSection *self,
                                                                     SignpostSignpost             signpost);
/* Who is on duty now (words), and the patient's usual GP (NULL: none). */
void              signpost_request_route_section_set_people         (SignpostRequestRouteSection *self,
                                                                     const char                  *duty_text,
                                                                     const char                  *usual_gp_name);
/* Puts the labels of its controls in @labels (a horizontal GtkSizeGroup). */
void signpost_request_route_section_align_labels (SignpostRequestRouteSection *self,
                                                  GtkSizeGroup *labels);

G_END_DECLS
