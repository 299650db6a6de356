/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-sync.h"

G_BEGIN_DECLS

/* How a navigation request is written on screen, the same in the form, the
 * duty list and a patient's request list. Not a class: plain functions. */

/* "Open", "With the duty doctor", "Reviewed", "Booked", "Signposted",
 * "Closed" — what a navigator tells a patient who rings again. "Sent
 * back to you" when a doctor returned it with instructions. */
const char *signpost_triage_format_status       (SignpostTriage *triage);
/* The CSS class and symbolic icon of the urgency: nothing is told by
 * colour alone, so the icon and word go beside it. */
const char *signpost_triage_format_urgency_class (SignpostUrgency urgency);
const char *signpost_triage_format_urgency_icon  (SignpostUrgency urgency);
/* "RED", "AMBER", "GREEN", "999" — the badge word. */
const char *signpost_triage_format_urgency_badge (SignpostUrgency urgency);
/* "12 min", "1 h 05 min", "2 days" */
char       *signpost_triage_format_waited        (GDateTime      *since,
                                                  GDateTime      *now);
/* When it arrived: created_at, else (older records, and ones still on
 * this PC) the last change. */
GDateTime  *signpost_triage_get_arrived          (SignpostTriage *triage);
/* "Dr Amir SHAH (GP)" or NULL */
char       *signpost_triage_format_clinician     (SignpostCache  *cache,
                                                  const char     *clinician_id);
/* "Duty doctor", "Dr Amir Shah", "Nurse", "Pharmacy First", … */
char       *signpost_triage_format_route         (SignpostCache  *cache,
                                                  SignpostRoute  *route);
const char *signpost_triage_format_profession    (SignpostProfession profession);
const char *signpost_triage_format_signpost      (SignpostSignpost   signpost);
const char *signpost_triage_format_outcome       (SignpostTriageOutcome outcome);
const char *signpost_triage_format_relationship  (SignpostCallerRelationship relationship);
const char *signpost_triage_format_contact       (SignpostContactMethod method);
/* The display name of a user the cache knows, or NULL. */
char       *signpost_triage_format_user          (SignpostCache  *cache,
                                                  const char     *user_id);
/* The red flags ticked, as their labels, one a line. */
char       *signpost_triage_format_red_flags     (SignpostTriage *triage);

G_END_DECLS
