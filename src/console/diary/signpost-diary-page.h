/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "signpost-diary-day.h"
#include "signpost-slot-finder.h"
#include "signpost-sync.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_DIARY_PAGE (signpost_diary_page_get_type ())
G_DECLARE_FINAL_TYPE (SignpostDiaryPage, signpost_diary_page, SIGNPOST, DIARY_PAGE, AdwBin)

/*
 * The day diary: one column per clinician (name, profession, the duty
 * doctor marked), one row per time, each slot with its type, what it is
 * (free, booked with the patient and reason, blocked, embargoed, practice
 * only) in the practice's local time; moves by day (Alt+Left, Alt+Right,
 * Ctrl+T, a calendar); hub navigators choose a practice or see them all.
 * "First suitable slot" search, booking, cancelling, arrived / seen / did
 * not attend, blocking, new sessions, and the printed day list. A booking
 * the server did not take is shown at once with the nearest alternatives.
 *
 * Actions (prefix "diary."): previous-day, next-day, today, go-to-date,
 * find-slot, print (s: clinician id, "" for everyone), new-session; and
 * for one slot (s: slot id) book, cancel-appointment, mark-arrived,
 * mark-seen, mark-dna, block, unblock.
 */
SignpostActions    *signpost_diary_page_get_actions           (SignpostDiaryPage  *self);
void                signpost_diary_page_set_actions           (SignpostDiaryPage  *self,
                                                              SignpostActions    *actions);
/* Opens the first-suitable-slot search filled in from a triage record
 * (win.find-slot): urgency, route, the usual GP and the contact method. */
void                signpost_diary_page_find_slot_for_triage (SignpostDiaryPage *self,
                                                              const char        *triage_id);
/* The first-suitable-slot search with no request (Ctrl+Shift+F). */
gboolean            signpost_diary_page_get_finder_open      (SignpostDiaryPage *self);
void                signpost_diary_page_set_finder_open      (SignpostDiaryPage *self,
                                                              gboolean           open);
/* The patient a booking made from the grid is for (the caller popup's
 * patient, say), or NULL for the patient on the user's current call. */
void                signpost_diary_page_set_booking_patient  (SignpostDiaryPage *self,
                                                              const char        *patient_id);

/* For tests, the screenshot helper and other pages. */
/* The page's clock, told the time every minute: a new day in the
 * practice's time zone moves a page that showed today to the new today
 * (a console left open overnight); one showing another day stays there. */
void                signpost_diary_page_set_now              (SignpostDiaryPage *self,
                                                              GDateTime         *now);
const char         *signpost_diary_page_get_date             (SignpostDiaryPage *self);
void                signpost_diary_page_set_date             (SignpostDiaryPage *self,
                                                              const char        *date);
void                signpost_diary_page_set_practice_id      (SignpostDiaryPage *self,
                                                              const char        *practice_id);
SignpostDiaryDay   *signpost_diary_page_get_day              (SignpostDiaryPage *self);
SignpostSlotFinder *signpost_diary_page_get_finder           (SignpostDiaryPage *self);
GtkColumnView      *signpost_diary_page_get_column_view      (SignpostDiaryPage *self);
const char         *signpost_diary_page_get_day_note         (SignpostDiaryPage *self);
/* Opens the booking dialog for @slot_id (as diary.book does) and returns it. */
GtkWindow          *signpost_diary_page_book_slot            (SignpostDiaryPage *self,
                                                              const char        *slot_id);
/* The dialog about a booking the server did not take, when one is open. */
GtkWindow          *signpost_diary_page_get_conflict_dialog  (SignpostDiaryPage *self);
/* The last message shown at the foot of the page. */
const char         *signpost_diary_page_get_last_message     (SignpostDiaryPage *self);
/* Shows @cache's diary as @user sees it, without a sync engine (for
 * benchmarks over a synthetic cache): reading only; nothing is saved. */
void                signpost_diary_page_show_cache           (SignpostDiaryPage  *self,
                                                              SignpostCache      *cache,
                                                              SignpostUser       *user);
/* The day list as a PDF (GtkPrintOperation's export), for everyone
 * (@clinician_id NULL) or one clinician. */
gboolean            signpost_diary_page_export_day_list      (SignpostDiaryPage  *self,
                                                              const char         *clinician_id,
                                                              const char         *pdf_path,
                                                              GError            **error);

G_END_DECLS
