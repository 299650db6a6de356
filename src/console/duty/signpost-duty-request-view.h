/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "signpost-sync.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_DUTY_REQUEST_VIEW (signpost_duty_request_view_get_type ())
G_DECLARE_FINAL_TYPE (SignpostDutyRequestView, signpost_duty_request_view, SIGNPOST, DUTY_REQUEST_VIEW, AdwBin)

/*
 * One request as the duty doctor works on it: the navigator's notes as
 * written, the patient, their previous requests, the clinical notes, and
 * the actions (call back, book, send back to the navigators, close with an
 * outcome). Opening a request claims it (claimed_by, a versioned update):
 * a colleague who opens it too is told who has it; if both write, the
 * second save is a conflict shown here and in the problems window, and
 * nothing is overwritten.
 *
 * Actions: duty.save-notes (Ctrl+S), duty.call-back ("reached" or
 * "no_answer"), duty.book, duty.send-back, duty.close, duty.take-over,
 * duty.merge-notes.
 *
 * ::finished (label): the doctor closed the request shown or sent it
 * back; @label says what was done, in their words.
 */

SignpostDutyRequestView *signpost_duty_request_view_new            (void);
void                     signpost_duty_request_view_set_actions     (SignpostDutyRequestView *self,
                                                                    SignpostActions         *actions);
/* Shows (and, for a clinician, claims) the request; NULL shows nothing
 * and lets go of the one that was open. */
void                     signpost_duty_request_view_show           (SignpostDutyRequestView *self,
                                                                    const char              *triage_id);
const char              *signpost_duty_request_view_get_triage_id  (SignpostDutyRequestView *self);
/* Puts the keyboard where work on the request starts (the clinical notes
 * for a clinician); FALSE when no request is shown. */
gboolean                 signpost_duty_request_view_focus          (SignpostDutyRequestView *self);

/* For tests: what the view says and does. */
const char              *signpost_duty_request_view_get_claim_text (SignpostDutyRequestView *self);
gboolean                 signpost_duty_request_view_get_conflict_shown (SignpostDutyRequestView *self);
void                     signpost_duty_request_view_set_notes      (SignpostDutyRequestView *self,
                                                                    const char              *text);
gboolean                 signpost_duty_request_view_save_notes     (SignpostDutyRequestView *self,
                                                                    GError                 **error);

G_END_DECLS
