/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-hub-stats.h"
#include "signpost-load-stats.h"
#include "signpost-queue-summary.h"
#include "signpost-sync-engine.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_ACTIONS (signpost_actions_get_type ())
G_DECLARE_FINAL_TYPE (SignpostActions, signpost_actions, SIGNPOST, ACTIONS, GObject)

/*
 * SignpostActions: what a page may do and ask, in typed calls. Pages get
 * this and the cache's models, nothing else from the sync engine; they
 * never build a mutation, a REST path or wire JSON.
 *
 * Commands through the outbox (book, cancel, arrived, seen, did not
 * attend, block, new slots, save a navigation record, claim, notes,
 * review, close, send back, link a caller, register a temporary patient)
 * are saved on this PC before they return TRUE, show in the cache at once
 * (pending) and reach the server in order when it is online. @label is
 * what the user did, in their words: the problems list shows it.
 *
 * Call commands (answer, end, complete a callback) go to the server at
 * once and are never queued: a call cannot be answered offline. A lost
 * race comes back as SIGNPOST_ERROR_CONFLICT with words for the navigator.
 *
 * Reads for what the cache does not hold (day statistics, staffing, the
 * queue's figures, the telephony export) return decoded objects.
 *
 * Read-only properties for the pages to follow: :cache (another user
 * signing in brings another), :changes (the outbox: a GListModel of
 * SignpostOutboxItem, waiting changes and the problems to resolve), :user,
 * :role, :practices, :practice-id (chosen at sign-in; NULL for all of a
 * hub user's), :state and :call-hub.
 *
 * ::patient-already-booked (patient id, appointment id): the server took a
 * booking made here and noted the patient has another that day.
 */

SignpostActions     *signpost_actions_get_for_engine          (SignpostSyncEngine   *engine);

/* ---- who is signed in, and where things are ---------------------------------------- */

SignpostCache       *signpost_actions_get_cache               (SignpostActions      *self);
GListModel          *signpost_actions_get_changes             (SignpostActions      *self);
SignpostUser        *signpost_actions_get_user                (SignpostActions      *self);
const char          *signpost_actions_get_user_id             (SignpostActions      *self);
SignpostRole         signpost_actions_get_role                (SignpostActions      *self);
GListModel          *signpost_actions_get_practices           (SignpostActions      *self);
const char          *signpost_actions_get_practice_id         (SignpostActions      *self);
SignpostSyncState    signpost_actions_get_state               (SignpostActions      *self);
SignpostCallHub     *signpost_actions_get_call_hub            (SignpostActions      *self);
/* Who books, for the booking rule: the user signed in, judged at @now. */
void                 signpost_actions_init_booker             (SignpostActions      *self,
                                                               SignpostSlotBooker   *booker,
                                                               GDateTime            *now);

/* ---- the phones: at once, never queued ------------------------------------------------ */

void                 signpost_actions_answer_call_async       (SignpostActions      *self,
                                                               const char           *call_id,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
SignpostCall        *signpost_actions_answer_call_finish      (SignpostActions      *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);
void                 signpost_actions_end_call_async          (SignpostActions      *self,
                                                               const char           *call_id,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
SignpostCall        *signpost_actions_end_call_finish         (SignpostActions      *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);
/* @outcome is REACHED or NO_ANSWER; the server closes the callback as
 * failed contact after the second no answer. */
void                 signpost_actions_complete_callback_async (SignpostActions         *self,
                                                               const char              *call_id,
                                                               SignpostCallbackOutcome  outcome,
                                                               GCancellable            *cancellable,
                                                               GAsyncReadyCallback      callback,
                                                               gpointer                 user_data);
SignpostCall        *signpost_actions_complete_callback_finish (SignpostActions     *self,
                                                                GAsyncResult        *result,
                                                                GError             **error);
/* After a failed contact: what the practice did next (not NONE). Sent
 * at once, like the other call commands. */
void                 signpost_actions_record_follow_up_async  (SignpostActions      *self,
                                                               const char           *call_id,
                                                               SignpostFollowUp      follow_up,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
SignpostCall        *signpost_actions_record_follow_up_finish (SignpostActions      *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);

/* ---- callers and requests ------------------------------------------------------------- */

/* Who is calling (call.patient_id): offline too, and on top of the
 * version this console's own answer produced. */
gboolean             signpost_actions_link_caller             (SignpostActions      *self,
                                                               const char           *call_id,
                                                               const char           *patient_id,
                                                               const char           *label,
                                                               GError              **error);
/* The request taken on a call: the call's triage_id and, when it has none
 * yet, its patient. TRUE with nothing sent when both are already set. */
gboolean             signpost_actions_link_call_to_request    (SignpostActions      *self,
                                                               const char           *call_id,
                                                               const char           *triage_id,
                                                               const char           *patient_id,
                                                               GError              **error);
/* A new patient record with temporary set; an id is given when it has none. */
gboolean             signpost_actions_register_temporary_patient (SignpostActions   *self,
                                                                  SignpostPatient   *patient,
                                                                  const char        *label,
                                                                  GError           **error);
/* A navigation record, new or changed (only the fields that differ from
 * the cache's copy are sent); an id is given when it has none. */
gboolean             signpost_actions_save_request            (SignpostActions      *self,
                                                               SignpostTriage       *request,
                                                               const char           *label,
                                                               GError              **error);

/* ---- requests from any channel (signpost-actions-requests.c) --------------------------- */

/* The user opened request @triage_id (@context: "requests", "triage"),
 * matched to a patient or not; kept on this PC while offline. */
void                 signpost_actions_report_request_view     (SignpostActions      *self,
                                                               const char           *triage_id,
                                                               const char           *context);
/* Which registered patient a request is for: its patient_id, at once and
 * offline too. The patient must be of the request's practice. */
gboolean             signpost_actions_match_request           (SignpostActions      *self,
                                                               const char           *triage_id,
                                                               const char           *patient_id,
                                                               const char           *label,
                                                               GError              **error);
/* A manager's settings for the practice's online form: the online_*
 * fields of @settings (a copy of the practice, id set) and nothing else
 * are saved. signpost_online_core_hours_warnings() says what in them
 * would close the form inside core hours. */
gboolean             signpost_actions_save_online_settings    (SignpostActions      *self,
                                                               SignpostPractice     *settings,
                                                               const char           *label,
                                                               GError              **error);

/* ---- the duty doctor's list ----------------------------------------------------------- */

/* "I have this open": claimed_by is the user signed in. */
gboolean             signpost_actions_claim_request           (SignpostActions      *self,
                                                               const char           *triage_id,
                                                               const char           *label,
                                                               GError              **error);
/* Lets it go for colleagues: claimed_by is nobody. */
gboolean             signpost_actions_release_request         (SignpostActions      *self,
                                                               const char           *triage_id,
                                                               const char           *label,
                                                               GError              **error);
gboolean             signpost_actions_save_duty_notes         (SignpostActions      *self,
                                                               const char           *triage_id,
                                                               const char           *notes,
                                                               const char           *label,
                                                               GError              **error);
/* The review command: the duty doctor's decision and notes. */
gboolean             signpost_actions_review_request          (SignpostActions       *self,
                                                               const char            *triage_id,
                                                               SignpostTriageStatus   status,
                                                               SignpostTriageOutcome  outcome,
                                                               const char            *duty_notes,
                                                               const char            *label,
                                                               GError               **error);
/* A review with @outcome that closes the loop: the status the outcome
 * means, and "reviewed" where that would leave it open. */
gboolean             signpost_actions_close_request           (SignpostActions       *self,
                                                               const char            *triage_id,
                                                               SignpostTriageOutcome  outcome,
                                                               const char            *duty_notes,
                                                               const char            *label,
                                                               GError               **error);
/* Back to the navigators: @navigator_notes (with the instructions) and
 * nobody holding it, then a review that opens it again. */
gboolean             signpost_actions_send_back               (SignpostActions      *self,
                                                               const char           *triage_id,
                                                               const char           *navigator_notes,
                                                               const char           *duty_notes,
                                                               const char           *label,
                                                               GError              **error);

/* ---- the diary -------------------------------------------------------------------------- */

/* Returns the new appointment's id (it shows at once, pending), or NULL. */
char                *signpost_actions_book_slot               (SignpostActions      *self,
                                                               const char           *slot_id,
                                                               const char           *patient_id,
                                                               const char           *reason,
                                                               const char           *triage_id,
                                                               const char           *label,
                                                               GError              **error);
gboolean             signpost_actions_cancel_booking          (SignpostActions      *self,
                                                               const char           *slot_id,
                                                               const char           *reason,
                                                               const char           *label,
                                                               GError              **error);
/* Arrived, seen or did not attend. */
gboolean             signpost_actions_set_appointment_status  (SignpostActions           *self,
                                                               const char                *appointment_id,
                                                               SignpostAppointmentStatus  status,
                                                               const char                *label,
                                                               GError                   **error);
gboolean             signpost_actions_set_slot_blocked        (SignpostActions      *self,
                                                               const char           *slot_id,
                                                               gboolean              blocked,
                                                               const char           *label,
                                                               GError              **error);
/* A new slot in a clinician's session; an id is given when it has none. */
gboolean             signpost_actions_add_slot                (SignpostActions      *self,
                                                               SignpostSlot         *slot,
                                                               const char           *label,
                                                               GError              **error);

/* ---- changes that came back --------------------------------------------------------------- */

gboolean             signpost_actions_discard_change          (SignpostActions      *self,
                                                               const char           *mutation_id,
                                                               GError              **error);
/* Sends it again on top of the server's version. */
gboolean             signpost_actions_retry_change            (SignpostActions      *self,
                                                               const char           *mutation_id,
                                                               GError              **error);
/* A booking that was not taken, made again in @slot_id for the same
 * patient, reason and request. Returns the new appointment's id. */
char                *signpost_actions_rebook                  (SignpostActions      *self,
                                                               const char           *mutation_id,
                                                               const char           *slot_id,
                                                               const char           *label,
                                                               GError              **error);
/* A change to a request's duty notes that conflicted, sent again with the
 * server's notes first and this PC's after them. */
gboolean             signpost_actions_retry_merging_notes     (SignpostActions      *self,
                                                               const char           *mutation_id,
                                                               GError              **error);
/* Claims that lost a race are let go: the request shows who has it. */
void                 signpost_actions_drop_lost_claims        (SignpostActions      *self);

/* ---- the audit log ---------------------------------------------------------------------- */

/* The user opened @patient_id's record (@context: "search", "triage", …);
 * kept on this PC and sent later when offline. */
void                 signpost_actions_report_view             (SignpostActions      *self,
                                                               const char           *patient_id,
                                                               const char           *context);

/* ---- reads the cache cannot answer -------------------------------------------------------- */

void                 signpost_actions_get_day_stats_async     (SignpostActions      *self,
                                                               const char           *practice_id,
                                                               const GDate          *date,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
SignpostDayStats    *signpost_actions_get_day_stats_finish    (SignpostActions      *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);
/* @target in (0, 1), @within_s seconds; @aht_s the handling time to plan
 * with, or NaN for the day's measured one. */
void                 signpost_actions_get_staffing_async      (SignpostActions      *self,
                                                               const char           *practice_id,
                                                               const GDate          *date,
                                                               double                target,
                                                               double                within_s,
                                                               double                aht_s,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
SignpostStaffingStats *signpost_actions_get_staffing_finish   (SignpostActions      *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);
void                 signpost_actions_get_queue_summary_async (SignpostActions      *self,
                                                               const char           *practice_id,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
SignpostQueueSummary *signpost_actions_get_queue_summary_finish (SignpostActions    *self,
                                                                 GAsyncResult       *result,
                                                                 GError            **error);
/* NHS England's cloud-based telephony metrics for a month, as the server
 * writes them (CSV). */
void                 signpost_actions_export_telephony_async  (SignpostActions      *self,
                                                               const char           *practice_id,
                                                               guint                 year,
                                                               guint                 month,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
GBytes              *signpost_actions_export_telephony_finish (SignpostActions      *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);

/* The hub's figures per practice and week from @from to @to (local days,
 * both included) for the practices this manager may see. */
void                 signpost_actions_get_hub_stats_async     (SignpostActions      *self,
                                                               const GDate          *from,
                                                               const GDate          *to,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
SignpostHubStats    *signpost_actions_get_hub_stats_finish    (SignpostActions      *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);

G_END_DECLS
