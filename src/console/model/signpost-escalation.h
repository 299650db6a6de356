/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-sync.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_ESCALATION (signpost_escalation_get_type ())
G_DECLARE_FINAL_TYPE (SignpostEscalation, signpost_escalation, SIGNPOST, ESCALATION, GObject)

/* Requests near or past their deadline, for the duty doctor and the
 * practice manager (the hazard log's C-03.3 and C-10.3): every request of
 * the user's practices still waiting for an outcome whose deadline is
 * past or within the hour (signpost_request_deadline_state(): red), counted
 * again when the requests change and when it is told the time (the
 * window does, once a minute). :text is what to tell them, NULL while
 * nothing is due. */
SignpostEscalation *signpost_escalation_new          (SignpostCache      *cache);
void                signpost_escalation_set_now      (SignpostEscalation *self,
                                                      GDateTime          *now);
guint               signpost_escalation_get_n_past     (SignpostEscalation *self);
guint               signpost_escalation_get_n_due_soon (SignpostEscalation *self);
const char         *signpost_escalation_get_text     (SignpostEscalation *self);

G_END_DECLS
