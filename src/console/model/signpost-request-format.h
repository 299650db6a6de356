/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-sync.h"

G_BEGIN_DECLS

/* How a request from any channel is written in the Requests list and the
 * navigation form: where it came from, who it says it is for, its red-flag
 * answers and the time left to its one-working-day outcome. Not a class:
 * plain functions. */

/* Time left before respond_by: amber within SIGNPOST_REQUEST_AMBER_SECONDS,
 * red within SIGNPOST_REQUEST_RED_SECONDS and once past. */
#define SIGNPOST_REQUEST_AMBER_SECONDS (4 * 60 * 60)
#define SIGNPOST_REQUEST_RED_SECONDS   (60 * 60)

typedef enum {
  SIGNPOST_DEADLINE_NONE,     /* no respond_by (records from before it) */
  SIGNPOST_DEADLINE_OK,
  SIGNPOST_DEADLINE_SOON,     /* amber */
  SIGNPOST_DEADLINE_DUE,      /* red: within the hour */
  SIGNPOST_DEADLINE_OVERDUE,  /* red: past */
} SignpostDeadlineState;

SignpostDeadlineState signpost_request_deadline_state (SignpostTriage *triage,
                                                       GDateTime      *now);
/* "2 days 3 h left", "24 h 45 min left", "40 min left", "Overdue by 25 min",
 * "No reply-by time". */
char       *signpost_request_format_time_left    (SignpostTriage *triage,
                                                  GDateTime      *now);
/* "Reply by 18:30 today", "… tomorrow", "… Tue 17 Nov", in @tz. */
char       *signpost_request_format_reply_by     (SignpostTriage *triage,
                                                  GDateTime      *now,
                                                  GTimeZone      *tz);
/* The CSS class and symbolic icon beside the time left (never colour
 * alone: the words say it too). */
const char *signpost_request_deadline_class      (SignpostDeadlineState state);
const char *signpost_request_deadline_icon       (SignpostDeadlineState state);

/* "Online form", "Phone", or an intake source's name. */
const char *signpost_request_format_source       (SignpostTriage *triage);
const char *signpost_request_source_icon         (SignpostRequestSource source);

/* The red-flag answers in one line: "Red flag: Chest pain …", "No to all
 * 8 red-flag questions", "No red flags ticked" (a phone request),
 * "Red-flag questions not asked". */
char       *signpost_request_format_flags        (SignpostTriage *triage);
/* "Medical", "Admin: repeat prescription"; NULL for a phone request. */
char       *signpost_request_format_type         (SignpostTriage *triage);
/* "Mornings · a message may be left"; NULL when nothing was said. */
char       *signpost_request_format_contact_times (SignpostTriage *triage);

/* Who the request says the patient is, as the list writes a patient:
 * "SMITH, Ann · born 12-Mar-1980 (45y) · LS1 4AB". NULL without details. */
char       *signpost_request_format_stated_patient (SignpostTriage *triage,
                                                    GDateTime      *now);
/* A search for the stated patient in the patient search's words: family
 * name and date of birth ("smith 12/03/1980"). NULL without details. */
char       *signpost_request_stated_patient_query  (SignpostTriage *triage);

/* The practice's time zone (Europe/London when it is not known). */
GTimeZone  *signpost_request_practice_time_zone  (SignpostCache  *cache,
                                                  const char     *practice_id);

G_END_DECLS
