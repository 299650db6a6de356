/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "signpost-core.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_CACHE (signpost_cache_get_type ())
G_DECLARE_FINAL_TYPE (SignpostCache, signpost_cache, SIGNPOST, CACHE, GObject)

/*
 * SignpostCache: this PC's copy of what the server lets one user see, in
 * SQLite, one file per (server, user). Records are kept as the server sent
 * them, plus the changes waiting in the outbox laid over them (marked
 * pending). Every read the pages need is a query here; nothing sorts or
 * filters whole tables in GTK.
 *
 * ::records-changed (GPtrArray *changed, GPtrArray *removed) is emitted on
 * the main thread after each batch is committed: @changed holds the
 * records as they now read (SignpostRecord subclasses), @removed the ids
 * (char *) of records gone from view. The list models listen to it.
 */

char          *signpost_cache_build_path      (const char     *server_url,
                                               const char     *username);
SignpostCache *signpost_cache_open            (const char     *path,
                                               GError        **error);
const char    *signpost_cache_get_path        (SignpostCache  *self);

/* Who is using it: the user id stamps local bookings ("booked_by"). */
const char    *signpost_cache_get_user_id     (SignpostCache  *self);
void           signpost_cache_set_user_id     (SignpostCache  *self,
                                               const char     *user_id);

gint64         signpost_cache_get_last_seq    (SignpostCache  *self);
/* Forgets every record the server sent, to be pulled again from the
 * start of the change feed (another role sees other records). The
 * outbox, drafts and views waiting for the audit log are kept. */
gboolean       signpost_cache_reset           (SignpostCache  *self,
                                               GError        **error);
char          *signpost_cache_dup_meta        (SignpostCache  *self,
                                               const char     *key);
gboolean       signpost_cache_set_meta        (SignpostCache  *self,
                                               const char     *key,
                                               const char     *value,
                                               GError        **error);

/* The change feed: one /changes page, applied in one transaction. The
 * async form parses and writes on a worker thread with its own connection
 * and emits ::records-changed on the main thread when it is committed. */
gboolean       signpost_cache_apply_changes        (SignpostCache        *self,
                                                    GBytes               *page,
                                                    gint64               *last_seq,
                                                    gboolean             *more,
                                                    guint                *n_changes,
                                                    GError              **error);
void           signpost_cache_apply_changes_async  (SignpostCache        *self,
                                                    GBytes               *page,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean       signpost_cache_apply_changes_finish (SignpostCache        *self,
                                                    GAsyncResult         *result,
                                                    gint64               *last_seq,
                                                    gboolean             *more,
                                                    guint                *n_changes,
                                                    GError              **error);
/* Stores records as the server's current state (fixtures, benchmarks). */
gboolean       signpost_cache_store_records        (SignpostCache        *self,
                                                    GPtrArray            *records,
                                                    GError              **error);

/* Records of any kind */
gpointer       signpost_cache_get_record      (SignpostCache       *self,
                                               SignpostRecordKind   kind,
                                               const char          *id,
                                               GError             **error);
GPtrArray     *signpost_cache_list_records    (SignpostCache       *self,
                                               SignpostRecordKind   kind,
                                               GError             **error);
guint          signpost_cache_count_records   (SignpostCache       *self,
                                               SignpostRecordKind   kind,
                                               GError             **error);
gboolean       signpost_cache_record_is_pending (SignpostRecord    *record);
const char    *signpost_cache_get_practice_name (SignpostCache     *self,
                                                 const char        *practice_id);

/*
 * The queries below answer one page each (the file that holds them in
 * brackets). A list comes back empty only when nothing matches: a query
 * that could not be run returns NULL and sets @error, so "the query
 * broke" never looks like "no rows". A single record is NULL with no error
 * when there is none.
 */

/* ---- patients: the search and the caller lookup (signpost-cache-patients.c) ---- */

GPtrArray     *signpost_cache_search_patients        (SignpostCache  *self,
                                                      const char     *text,
                                                      const char     *practice_id,
                                                      guint           limit,
                                                      gboolean       *more,
                                                      GError        **error);
GPtrArray     *signpost_cache_find_patients_by_phone (SignpostCache  *self,
                                                      const char     *number,
                                                      GError        **error);
/* The same, finding patients who left the practice (left_at) too when
 * @include_left; the two above leave them out. */
GPtrArray     *signpost_cache_search_patients_full   (SignpostCache  *self,
                                                      const char     *text,
                                                      const char     *practice_id,
                                                      gboolean        include_left,
                                                      guint           limit,
                                                      gboolean       *more,
                                                      GError        **error);
GPtrArray     *signpost_cache_find_patients_by_phone_full (SignpostCache  *self,
                                                           const char     *number,
                                                           gboolean        include_left,
                                                           GError        **error);
/* The other patients on this PC whom a name and a date of birth do not
 * tell apart from @patient (signpost_patient_is_namesake()), by name. */
GPtrArray     *signpost_cache_find_namesakes         (SignpostCache   *self,
                                                      SignpostPatient *patient,
                                                      GError         **error);

/* ---- the queue and the requests (signpost-cache-calls.c) ---- */

/* Calls, in queue order (offered_at, then call_ref). @states is a
 * -1-terminated list; @practice_id and @answered_by narrow when not NULL. */
GPtrArray     *signpost_cache_list_calls      (SignpostCache             *self,
                                               const SignpostCallState   *states,
                                               const char                *practice_id,
                                               const char                *answered_by,
                                               GError                   **error);

/* Triage records by status (-1-terminated), most urgent first, then by
 * last change; @for_clinician_id keeps those routed to the duty doctor or
 * to that clinician by name. */
GPtrArray     *signpost_cache_list_triage     (SignpostCache              *self,
                                               const SignpostTriageStatus *statuses,
                                               const char                 *practice_id,
                                               const char                 *for_clinician_id,
                                               GError                    **error);
GPtrArray     *signpost_cache_list_triage_for_patient (SignpostCache *self,
                                                       const char    *patient_id,
                                                       GError       **error);

/* ---- the Requests page (signpost-cache-requests.c) ---- */

/* Open navigation records of every source (phone, online form, other
 * products), the most urgent first, then the nearest outcome deadline
 * (respond_by; those without one last), then the oldest. @source is a
 * SignpostRequestSource, or -1 for every one; @unmatched_only keeps those
 * with no patient yet. */
#define SIGNPOST_CACHE_NO_DEADLINE G_MAXINT64
GPtrArray     *signpost_cache_list_requests   (SignpostCache  *self,
                                               const char     *practice_id,
                                               int             source,
                                               gboolean        unmatched_only,
                                               GError        **error);
/* How many of those need attention now: as urgent as same day (a red
 * flag), or due by @due_before (overdue included). */
gboolean       signpost_cache_count_requests_needing_attention (SignpostCache  *self,
                                                                const char     *practice_id,
                                                                GDateTime      *due_before,
                                                                guint          *count,
                                                                GError        **error);

/* ---- the diary (signpost-cache-diary.c) ---- */

/* Slots starting in [from, to), by start then clinician. */
GPtrArray     *signpost_cache_list_slots      (SignpostCache  *self,
                                               const char     *practice_id,
                                               GDateTime      *from,
                                               GDateTime      *to,
                                               const char     *clinician_id,
                                               GError        **error);
SignpostAppointment *signpost_cache_get_live_appointment (SignpostCache  *self,
                                                          const char     *slot_id,
                                                          GError        **error);
GPtrArray     *signpost_cache_list_appointments_for_patient (SignpostCache  *self,
                                                             const char     *patient_id,
                                                             GDateTime      *from,
                                                             GError        **error);

/**
 * SignpostSlotQuery:
 * @practice_ids: the practices to look in (%NULL-terminated), or %NULL for
 *   every practice in the cache
 * @clinician_id: one clinician only, or %NULL
 * @profession: a #SignpostProfession, or -1 for any
 * @mode: a #SignpostSlotMode, or -1 for any
 * @from: the first start to consider
 * @to: the end of the range (exclusive)
 * @preferred_clinician_id: whose slots come first (the usual GP, for
 *   continuity), or %NULL
 * @limit: at most this many slots
 * @ignore_release: count embargoed slots as released (to say when the
 *   first of them opens)
 *
 * "First suitable slot": free slots the booker can book now (the booking
 * rule, signpost-booking.h), preferred clinician first, then everyone
 * else, each by start time.
 */
typedef struct {
  const char * const *practice_ids;
  const char *clinician_id;
  int profession;
  int mode;
  GDateTime *from;
  GDateTime *to;
  const char *preferred_clinician_id;
  guint limit;
  gboolean ignore_release;
} SignpostSlotQuery;

#define SIGNPOST_SLOT_QUERY_INIT { NULL, NULL, -1, -1, NULL, NULL, NULL, 50, FALSE }

/* The search runs in the cache (SQLite), never over widgets. */
GPtrArray              *signpost_cache_find_free_slots      (SignpostCache            *self,
                                                             const SignpostSlotQuery  *query,
                                                             const SignpostSlotBooker *booker,
                                                             GError                  **error);
/* Alternatives to @slot (taken by someone else): free slots the booker can
 * book with the same clinician or another of the same profession, in the
 * same practice and mode, nearest in time first (before or after). */
GPtrArray              *signpost_cache_find_nearest_slots   (SignpostCache            *self,
                                                             SignpostSlot             *slot,
                                                             const SignpostSlotBooker *booker,
                                                             guint                     limit,
                                                             GError                  **error);
/* The first live appointment of @patient_id starting in [from, to), other
 * than one in @except_slot_id; NULL (and no error) when there is none. */
SignpostAppointment    *signpost_cache_find_patient_booking (SignpostCache            *self,
                                                             const char               *patient_id,
                                                             GDateTime                *from,
                                                             GDateTime                *to,
                                                             const char               *except_slot_id,
                                                             GError                  **error);

/* Many at once, for a day of the diary: the live appointments of @slot_ids
 * (a SignpostAppointment per slot that has one) and the records of @kind
 * with @ids (those the cache has). One query each. */
GPtrArray              *signpost_cache_list_live_appointments_for_slots (SignpostCache      *self,
                                                                         GPtrArray          *slot_ids,
                                                                         GError            **error);
GPtrArray              *signpost_cache_get_records          (SignpostCache            *self,
                                                             SignpostRecordKind        kind,
                                                             GPtrArray                *ids,
                                                             GError                  **error);
/* Just the names of the patients with @ids, without reading their whole
 * records: id → a NULL-terminated { given_name, family_name }. */
GHashTable             *signpost_cache_get_patient_names    (SignpostCache            *self,
                                                             GPtrArray                *ids,
                                                             GError                  **error);

/* ---- drafts (signpost-cache-drafts.c) ---- */

/* Drafts: what a form holds before it is saved, kept on disk so a crash
 * loses nothing. @key names the form ("triage:<uuid>"). */
gboolean       signpost_cache_save_draft      (SignpostCache  *self,
                                               const char     *key,
                                               JsonObject     *data,
                                               GError        **error);
JsonObject    *signpost_cache_load_draft      (SignpostCache  *self,
                                               const char     *key);
gboolean       signpost_cache_delete_draft    (SignpostCache  *self,
                                               const char     *key,
                                               GError        **error);
/* NULL and @error when the drafts could not be read. */
GStrv          signpost_cache_list_drafts     (SignpostCache  *self,
                                               const char     *prefix,
                                               GError        **error);

/* Patient views to report to the audit log when next online. */
gboolean       signpost_cache_queue_view      (SignpostCache  *self,
                                               const char     *patient_id,
                                               const char     *context,
                                               GError        **error);
/* A request opened (matched to a patient or not), for the same log. */
gboolean       signpost_cache_queue_request_view (SignpostCache  *self,
                                                  const char     *triage_id,
                                                  const char     *context,
                                                  GError        **error);

G_END_DECLS
