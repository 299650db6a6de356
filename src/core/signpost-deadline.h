/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-triage.h"

G_BEGIN_DECLS

/* Where a request stands against its deadline (respond_by: the end of the
 * next working day, given by the server to every request). One rule for
 * the server and the consoles: the hazard log's H-03 and H-10. */
typedef enum {
  SIGNPOST_DEADLINE_NONE,      /* it has an outcome, or no deadline */
  SIGNPOST_DEADLINE_ON_TIME,
  SIGNPOST_DEADLINE_DUE_SOON,  /* due within SIGNPOST_DEADLINE_SOON_MINUTES */
  SIGNPOST_DEADLINE_PAST,
} SignpostDeadlineState;

#define SIGNPOST_DEADLINE_SOON_MINUTES 60

/* @triage's state at @now: only requests still waiting for an outcome
 * (open, or with the duty doctor) have one. Due at exactly respond_by is
 * due soon; a moment after, past. */
SignpostDeadlineState signpost_triage_deadline_state (SignpostTriage *triage,
                                                      GDateTime      *now);

G_END_DECLS
