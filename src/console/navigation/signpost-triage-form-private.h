/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-request-details.h"
#include "signpost-request-outcome-section.h"
#include "signpost-request-reason-section.h"
#include "signpost-request-route-section.h"
#include "signpost-request-who-section.h"
#include "signpost-triage-form.h"

G_BEGIN_DECLS

/*
 * SignpostTriageForm is one class over three files sharing this header:
 *
 *   signpost-triage-form.c       the rules of care navigation across the
 *                                four sections (a red flag makes the
 *                                request Red and may change its route;
 *                                the patient decides which flags to ask,
 *                                the usual GP and the number; Pharmacy
 *                                First), the state line, the GObject
 *   signpost-triage-form-save.c  the draft kept as it is typed, the record
 *                                built from the sections, Save, closing
 *   signpost-triage-form-open.c  filling a form in (a request, a call, a
 *                                draft), following the session, finding
 *                                the window already open, offering drafts
 *
 * The sections themselves (signpost-request-*-section.c) know their
 * controls and say what the navigator did; they know nothing of each
 * other.
 */

struct _SignpostTriageForm
{
  AdwWindow parent_instance;

  /* template */
  AdwWindowTitle *window_title;
  GtkRevealer *red_flag_revealer;
  GtkLabel *red_flag_title;
  GtkLabel *red_flag_detail;
  AdwToastOverlay *toast_overlay;
  GtkScrolledWindow *scroller;
  SignpostRequestWhoSection *who_section;
  SignpostRequestReasonSection *reason_section;
  SignpostRequestRouteSection *route_section;
  SignpostRequestOutcomeSection *outcome_section;
  GtkImage *state_icon;
  GtkLabel *state_label;
  SignpostRequestDetails *request_details;

  SignpostActions    *actions;
  SignpostCache *cache;
  SignpostPatientSearchModel *search_model;

  char *triage_id;
  char *call_id;
  char *practice_id;
  SignpostTriage *original;      /* as last saved or loaded; NULL: never saved */
  SignpostPatient *patient;
  GPtrArray *clinicians;         /* SignpostClinician of the practice */
  char *usual_gp_id;

  char *pharmacy_first;          /* condition key suggested, NULL none */
  gboolean pharmacy_first_taken;
  gboolean pharmacy_dismissed;

  gboolean loading;              /* filling widgets: not the user typing */
  gboolean dirty;
  gboolean route_touched;
  gboolean outcome_touched;
  /* The outcome shown followed a change of route (or of urgency) since
   * the request was last saved or loaded: it is saved as shown. */
  gboolean outcome_followed;
  gboolean number_touched;
  SignpostCallerRelationship caller_default;  /* "Caller is" as the patient's age set it */
  /* A request that came by another channel (the online form) and that no
   * navigator has routed yet: urgency, route and outcome are decided
   * here as for a new one, and saving routes it as a call's would be. */
  gboolean navigating;
  gboolean closing;
  gboolean close_after_save;
  guint draft_source;
};

/* signpost-triage-form.c */
void     signpost_triage_form_update_state         (SignpostTriageForm *self);
void     signpost_triage_form_toast                (SignpostTriageForm *self,
                                                    const char         *text);
GStrv    signpost_triage_form_ticked_flags         (SignpostTriageForm *self);
/* -1 when nothing is chosen yet: there is no default urgency, on purpose. */
int      signpost_triage_form_chosen_rag           (SignpostTriageForm *self);
void     signpost_triage_form_fill_clinicians      (SignpostTriageForm *self);
void     signpost_triage_form_set_patient          (SignpostTriageForm *self,
                                                    SignpostPatient    *patient);
void     signpost_triage_form_show_patient         (SignpostTriageForm *self);
void     signpost_triage_form_set_number           (SignpostTriageForm *self,
                                                    const char         *e164,
                                                    const char         *why);
void     signpost_triage_form_rebuild_red_flags    (SignpostTriageForm *self);
void     signpost_triage_form_update_red_flags     (SignpostTriageForm *self);
void     signpost_triage_form_apply_default_route  (SignpostTriageForm *self);
void     signpost_triage_form_update_route_hint    (SignpostTriageForm *self);
void     signpost_triage_form_update_pharmacy_first (SignpostTriageForm *self);

/* signpost-triage-form-save.c */
/* Something the user did: marks the form dirty and keeps a draft soon. */
void     signpost_triage_form_changed              (SignpostTriageForm *self);
void     signpost_triage_form_write_draft          (SignpostTriageForm *self);
void     signpost_triage_form_forget_draft         (SignpostTriageForm *self);
void     signpost_triage_form_save_action          (GtkWidget          *widget,
                                                    const char         *action_name,
                                                    GVariant           *parameter);
void     signpost_triage_form_save_close_action    (GtkWidget          *widget,
                                                    const char         *action_name,
                                                    GVariant           *parameter);
void     signpost_triage_form_find_slot_action     (GtkWidget          *widget,
                                                    const char         *action_name,
                                                    GVariant           *parameter);
gboolean signpost_triage_form_close_request        (GtkWindow          *window);

G_END_DECLS
