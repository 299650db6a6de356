/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-call.h"
#include "signpost-triage.h"

G_BEGIN_DECLS

gboolean          signpost_call_is_failed_contact     (SignpostCall    *call);
gboolean          signpost_call_needs_follow_up       (SignpostCall    *call);
const char       *signpost_call_get_contact_number    (SignpostCall    *call);
SignpostFollowUp  signpost_failed_contact_next_step   (SignpostCall    *call,
                                                       SignpostTriage  *triage);
gboolean          signpost_failed_contact_is_urgent   (SignpostTriage  *triage);

G_END_DECLS
