/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "signpost-deadline.h"

SignpostDeadlineState
signpost_triage_deadline_state (SignpostTriage *triage,
                                GDateTime      *now)
{
  SignpostTriageStatus status;
  GDateTime *respond_by;
  GTimeSpan left;

  g_return_val_if_fail (SIGNPOST_IS_TRIAGE (triage), SIGNPOST_DEADLINE_NONE);
  g_return_val_if_fail (now != NULL, SIGNPOST_DEADLINE_NONE);

  status = signpost_triage_get_status (triage);
  if (status != SIGNPOST_TRIAGE_OPEN && status != SIGNPOST_TRIAGE_AWAITING_DUTY)
    return SIGNPOST_DEADLINE_NONE;
  respond_by = signpost_triage_get_respond_by (triage);
  if (respond_by == NULL)
    return SIGNPOST_DEADLINE_NONE;
  left = g_date_time_difference (respond_by, now);
  if (left < 0)
    return SIGNPOST_DEADLINE_PAST;
  if (left <= SIGNPOST_DEADLINE_SOON_MINUTES * G_TIME_SPAN_MINUTE)
    return SIGNPOST_DEADLINE_DUE_SOON;
  return SIGNPOST_DEADLINE_ON_TIME;
}
