/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "signpost-sync.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_TRIAGE_FORM (signpost_triage_form_get_type ())
G_DECLARE_FINAL_TYPE (SignpostTriageForm, signpost_triage_form, SIGNPOST, TRIAGE_FORM, AdwWindow)

/*
 * SignpostTriageForm: the care-navigation form, one non-modal window per
 * request beside the main window, so that a navigator mid-call keeps the
 * queue and the caller popup in sight and can have a second request open
 * (a callback) at the same time. What is typed is kept as a draft on this
 * PC (cache drafts, "triage:<id>") as it is typed; Save goes through the
 * outbox, so it is instant and works offline.
 *
 * Actions: triage.save (Ctrl+S), triage.save-close (Ctrl+Enter),
 * triage.find-slot (Ctrl+Shift+F), triage.accept-pharmacy-first,
 * triage.decline-pharmacy-first; Escape closes, asking first when
 * something is not saved.
 */

/* Opens the request with @triage_id (or a new one, for @call_id and
 * @patient_id; each may be NULL or ""), or brings forward the window
 * already open for it. */
SignpostTriageForm *signpost_triage_form_open             (GtkWindow          *parent,
                                                           SignpostActions    *actions,
                                                           const char         *triage_id,
                                                           const char         *call_id,
                                                           const char         *patient_id);
/* Reopens the draft of request @triage_id left by a crash. */
SignpostTriageForm *signpost_triage_form_open_draft       (GtkWindow          *parent,
                                                           SignpostActions    *actions,
                                                           const char         *triage_id);
/* After signing in: offers to reopen the drafts of forms that were never
 * saved or closed (the console crashed, or the PC went off). */
void                signpost_triage_form_offer_drafts     (GtkWindow          *parent,
                                                           SignpostActions    *actions);

const char         *signpost_triage_form_get_triage_id    (SignpostTriageForm *self);
const char         *signpost_triage_form_get_call_id      (SignpostTriageForm *self);
gboolean            signpost_triage_form_get_dirty        (SignpostTriageForm *self);
/* For tests: what the form would save now (NULL and @error when it
 * would refuse). */
SignpostTriage     *signpost_triage_form_build            (SignpostTriageForm *self,
                                                           GError            **error);
gboolean            signpost_triage_form_save             (SignpostTriageForm *self,
                                                           GError            **error);

/* Filling in, as the widgets do (tests, screenshots). */
void                signpost_triage_form_set_reason       (SignpostTriageForm *self,
                                                           const char         *text);
void                signpost_triage_form_set_red_flag     (SignpostTriageForm *self,
                                                           const char         *key,
                                                           gboolean            ticked);
void                signpost_triage_form_set_urgency      (SignpostTriageForm *self,
                                                           SignpostUrgency     urgency);
/* As a choice in the route list would (the outcome follows it until one
 * is chosen). */
void                signpost_triage_form_set_route_kind   (SignpostTriageForm *self,
                                                           SignpostRouteKind   kind);
/* The outcome the form shows. */
SignpostTriageOutcome signpost_triage_form_get_outcome    (SignpostTriageForm *self);
gboolean            signpost_triage_form_get_red_flag_shown (SignpostTriageForm *self);
const char         *signpost_triage_form_get_red_flag_advice (SignpostTriageForm *self);
/* The Pharmacy First condition suggested now, or NULL. */
const char         *signpost_triage_form_get_pharmacy_first (SignpostTriageForm *self);
const char         *signpost_triage_form_get_contact_number (SignpostTriageForm *self);
gboolean            signpost_triage_form_get_urgency_allowed (SignpostTriageForm *self,
                                                              SignpostUrgency     urgency);

G_END_DECLS
