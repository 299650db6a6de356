/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-enums.h"
#include "signpost-record.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_CALL (signpost_call_get_type ())
G_DECLARE_FINAL_TYPE (SignpostCall, signpost_call, SIGNPOST, CALL, SignpostRecord)

/* One phone call into a practice line, from ringing to its end, with any callback it turned into. */
SignpostCall *signpost_call_new (void);

const char *signpost_call_get_call_ref (SignpostCall *self);
void signpost_call_set_call_ref (SignpostCall *self, const char *value);
const char *signpost_call_get_line (SignpostCall *self);
void signpost_call_set_line (SignpostCall *self, const char *value);
const char *signpost_call_get_cli (SignpostCall *self);
void signpost_call_set_cli (SignpostCall *self, const char *value);
SignpostCallState signpost_call_get_state (SignpostCall *self);
void signpost_call_set_state (SignpostCall *self, SignpostCallState value);
gint64 signpost_call_get_position (SignpostCall *self);
void signpost_call_set_position (SignpostCall *self, gint64 value);
GDateTime *signpost_call_get_offered_at (SignpostCall *self);
void signpost_call_set_offered_at (SignpostCall *self, GDateTime *value);
GDateTime *signpost_call_get_answered_at (SignpostCall *self);
void signpost_call_set_answered_at (SignpostCall *self, GDateTime *value);
const char *signpost_call_get_answered_by (SignpostCall *self);
void signpost_call_set_answered_by (SignpostCall *self, const char *value);
GDateTime *signpost_call_get_ended_at (SignpostCall *self);
void signpost_call_set_ended_at (SignpostCall *self, GDateTime *value);
GDateTime *signpost_call_get_abandoned_at (SignpostCall *self);
void signpost_call_set_abandoned_at (SignpostCall *self, GDateTime *value);
const char *signpost_call_get_callback_number (SignpostCall *self);
void signpost_call_set_callback_number (SignpostCall *self, const char *value);
GDateTime *signpost_call_get_callback_requested_at (SignpostCall *self);
void signpost_call_set_callback_requested_at (SignpostCall *self, GDateTime *value);
GDateTime *signpost_call_get_callback_done_at (SignpostCall *self);
void signpost_call_set_callback_done_at (SignpostCall *self, GDateTime *value);
gint64 signpost_call_get_callback_attempts (SignpostCall *self);
void signpost_call_set_callback_attempts (SignpostCall *self, gint64 value);
SignpostCallbackOutcome signpost_call_get_callback_outcome (SignpostCall *self);
void signpost_call_set_callback_outcome (SignpostCall *self, SignpostCallbackOutcome value);
const char *signpost_call_get_patient_id (SignpostCall *self);
void signpost_call_set_patient_id (SignpostCall *self, const char *value);
const char *signpost_call_get_triage_id (SignpostCall *self);
void signpost_call_set_triage_id (SignpostCall *self, const char *value);
const char *signpost_call_get_agent (SignpostCall *self);
void signpost_call_set_agent (SignpostCall *self, const char *value);
GDateTime *signpost_call_get_callback_first_attempt_at (SignpostCall *self);
void signpost_call_set_callback_first_attempt_at (SignpostCall *self, GDateTime *value);
SignpostFollowUp signpost_call_get_follow_up (SignpostCall *self);
void signpost_call_set_follow_up (SignpostCall *self, SignpostFollowUp value);
GDateTime *signpost_call_get_followed_up_at (SignpostCall *self);
void signpost_call_set_followed_up_at (SignpostCall *self, GDateTime *value);
const char *signpost_call_get_followed_up_by (SignpostCall *self);
void signpost_call_set_followed_up_by (SignpostCall *self, const char *value);

/* Of a practice's waiting calls in queue order, how many are callbacks
 * due now: their place has come, nobody still holding having rung before
 * them. The server's /queue and the console's queue page count alike. */
guint signpost_call_count_callbacks_due (SignpostCall * const *queue,
                                         guint                 n_calls);

G_END_DECLS
