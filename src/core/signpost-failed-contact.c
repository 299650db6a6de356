/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-core"

#include "config.h"

#include <string.h>

#include "signpost-failed-contact.h"

/*
 * The failed-contact policy, one rule for server and console: a callback
 * that found nobody at its second try is a failed contact, and stays on
 * the practice's list until someone records what was done next:
 *
 *  - a request judged urgent (red: emergency or same day) goes to the
 *    duty doctor's review: a clinician decides whether to try again,
 *    write, or ask for a welfare check;
 *  - otherwise a text when the number is a mobile (the patient can ring
 *    back), else a letter.
 */

gboolean
signpost_call_is_failed_contact (SignpostCall *call)
{
  g_return_val_if_fail (SIGNPOST_IS_CALL (call), FALSE);

  return signpost_call_get_state (call) == SIGNPOST_CALL_CALLBACK_DONE &&
         signpost_call_get_callback_outcome (call) == SIGNPOST_CALLBACK_OUTCOME_FAILED_CONTACT;
}

/* A failed contact nobody has followed up yet. */
gboolean
signpost_call_needs_follow_up (SignpostCall *call)
{
  g_return_val_if_fail (SIGNPOST_IS_CALL (call), FALSE);

  return signpost_call_is_failed_contact (call) &&
         signpost_call_get_follow_up (call) == SIGNPOST_FOLLOW_UP_NONE;
}

/* The number the callback rang: the one the caller left, else the one
 * they rang from. NULL when withheld and none was left. */
const char *
signpost_call_get_contact_number (SignpostCall *call)
{
  const char *number;

  g_return_val_if_fail (SIGNPOST_IS_CALL (call), NULL);

  number = signpost_call_get_callback_number (call);
  if (number == NULL || *number == '\0')
    number = signpost_call_get_cli (call);
  return number != NULL && *number != '\0' ? number : NULL;
}

gboolean
signpost_failed_contact_is_urgent (SignpostTriage *triage)
{
  SignpostUrgency urgency;

  if (triage == NULL)
    return FALSE;
  g_return_val_if_fail (SIGNPOST_IS_TRIAGE (triage), FALSE);
  urgency = signpost_triage_get_urgency (triage);
  return urgency == SIGNPOST_URGENCY_EMERGENCY || urgency == SIGNPOST_URGENCY_SAME_DAY;
}

/* UK mobiles: +44 7xxx, except 070 (personal numbers) and 076 (pagers). */
static gboolean
is_uk_mobile (const char *e164)
{
  return e164 != NULL && g_str_has_prefix (e164, "+447") && strlen (e164) == 13 &&
         e164[4] != '0' && e164[4] != '6';
}

/**
 * signpost_failed_contact_next_step:
 * @call: a failed contact
 * @triage: (nullable): the request the call led to, if any
 *
 * Returns: what the practice's failed-contact policy says to do next
 */
SignpostFollowUp
signpost_failed_contact_next_step (SignpostCall   *call,
                                   SignpostTriage *triage)
{
  g_return_val_if_fail (SIGNPOST_IS_CALL (call), SIGNPOST_FOLLOW_UP_LETTER);

  if (signpost_failed_contact_is_urgent (triage))
    return SIGNPOST_FOLLOW_UP_DUTY_REVIEW;
  if (is_uk_mobile (signpost_call_get_contact_number (call)))
    return SIGNPOST_FOLLOW_UP_TEXT;
  return SIGNPOST_FOLLOW_UP_LETTER;
}
