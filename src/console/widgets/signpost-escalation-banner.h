/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "signpost-sync.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_ESCALATION_BANNER (signpost_escalation_banner_get_type ())
G_DECLARE_FINAL_TYPE (SignpostEscalationBanner, signpost_escalation_banner,
                      SIGNPOST, ESCALATION_BANNER, AdwBin)

/* A banner over every page, for the duty doctor (clinician) and the
 * practice manager, while requests are near or past their deadline
 * (SignpostEscalation): how many, in words, and a button to the duty
 * list. Nothing for other roles. */
SignpostEscalationBanner *signpost_escalation_banner_new         (void);
void                      signpost_escalation_banner_set_actions (SignpostEscalationBanner *self,
                                                                  SignpostActions          *actions);
/* What it says, or NULL while it is hidden. */
const char               *signpost_escalation_banner_get_text    (SignpostEscalationBanner *self);
/* The model it shows, or NULL (no cache, or a role it is not for). */
gpointer                  signpost_escalation_banner_get_escalation (SignpostEscalationBanner *self);

G_END_DECLS
