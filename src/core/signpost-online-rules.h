/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "signpost-patient.h"
#include "signpost-patient-details.h"
#include "signpost-practice.h"
#include "signpost-enums.h"

G_BEGIN_DECLS

/*
 * The rules of online requests (DOMAIN.md, "Online requests"), in one place
 * for the server's form and intake API and for the console: bank holidays
 * in England, working days and the one-working-day outcome deadline, when
 * a practice's online form is open, the strong identity match and the
 * shape of a request's reference. No GTK, no server code.
 */

/* Core hours, Monday to Friday except bank holidays, in minutes. */
#define SIGNPOST_CORE_HOURS_OPEN   (8 * 60)
#define SIGNPOST_CORE_HOURS_CLOSE  (18 * 60 + 30)

/* ---- bank holidays and working days ------------------------------------ */

/* Easter Sunday of @year (Gregorian). */
void         signpost_easter_sunday          (int          year,
                                              GDate       *date);
/* The name of the bank holiday in England and Wales on @date, or NULL. */
const char  *signpost_bank_holiday_name      (const GDate *date);
gboolean     signpost_is_bank_holiday        (const GDate *date);
/* Monday to Friday and not a bank holiday. */
gboolean     signpost_is_working_day         (const GDate *date);
/* The first working day after @date. */
void         signpost_next_working_day       (const GDate *date,
                                              GDate       *next);
/* When a request that arrived at @received must have had an outcome: the
 * end of core hours (18:30) on the working day after the one it counts
 * from. A request counts from the day it arrived when that is a working
 * day and it arrived before 18:30, else from the next working day. */
GDateTime   *signpost_respond_by             (GDateTime   *received,
                                              GTimeZone   *tz);

/* Whether a request in @status has had its outcome (reviewed, booked,
 * signposted or closed): what the one-working-day clock waits for. */
gboolean     signpost_triage_status_has_outcome (SignpostTriageStatus status);

/* ---- when the online form is open -------------------------------------- */

typedef enum {
  SIGNPOST_ONLINE_OPEN,
  SIGNPOST_ONLINE_CLOSED_HOURS,        /* outside the opening hours */
  SIGNPOST_ONLINE_CLOSED_BANK_HOLIDAY,
  SIGNPOST_ONLINE_CLOSED_DATE,         /* one of the practice's closed dates */
  SIGNPOST_ONLINE_PAUSED,
} SignpostOnlineStatus;

/**
 * SignpostOnlineState:
 * @status: open, or why not
 * @medical_full: open, but today's limit of medical requests is reached
 *   (admin requests are still taken)
 * @opens_at: when not open, the next opening (NULL if none in a year);
 *   when @medical_full, the next opening on a later day
 * @closes_at: when open, the end of the present opening (NULL if none
 *   within a year)
 * @bank_holiday: the holiday's name when that is why it is closed
 */
typedef struct {
  SignpostOnlineStatus status;
  gboolean medical_full;
  GDateTime *opens_at;
  GDateTime *closes_at;
  const char *bank_holiday;
} SignpostOnlineState;

void         signpost_online_state_init      (SignpostOnlineState *state,
                                              SignpostPractice    *practice,
                                              GDateTime           *now,
                                              gint64               medical_today);
void         signpost_online_state_clear     (SignpostOnlineState *state);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SignpostOnlineState, signpost_online_state_clear)

/* The opening hours in force: the practice's, or the default. A new
 * array of SignpostOpeningHours. */
GPtrArray   *signpost_online_hours           (SignpostPractice *practice);
/* Whether the hours, bank holidays and closed dates leave the form open
 * at @instant (the pause and the daily limit aside). */
gboolean     signpost_online_is_open_at      (SignpostPractice     *practice,
                                              GDateTime            *instant,
                                              SignpostOnlineStatus *why);
GDateTime   *signpost_online_next_opening    (SignpostPractice *practice,
                                              GDateTime        *after);
GTimeZone   *signpost_online_practice_time_zone (SignpostPractice *practice);

/* What in the practice's settings could close the form inside core
 * hours, in plain words for a practice manager (the contract wants it
 * open throughout them). Empty when nothing does. */
GPtrArray   *signpost_online_core_hours_warnings (SignpostPractice *practice);

/* ---- identity ------------------------------------------------------------ */

/* A name for comparison: case and accents folded, spaces, hyphens and
 * apostrophes dropped ("O’Brien-Smith" and "obrien smith" agree). */
char        *signpost_name_fold              (const char *name);
/* The one registered patient among @candidates (SignpostPatient records,
 * usually those of the practice born on the stated date) who is a strong
 * match for @details: NHS number and date of birth, or family name, date
 * of birth and postcode. NULL when none, or more than one, is. */
SignpostPatient *signpost_online_match_patient (SignpostPatientDetails *details,
                                                GPtrArray              *candidates);

/* ---- references ------------------------------------------------------------ */

/* "ABC-1234" from five random 32-bit numbers: three consonants (no vowels,
 * so no words, and none that look like digits) and four digits. */
char        *signpost_online_reference_new   (const guint32 random[5]);

G_END_DECLS
