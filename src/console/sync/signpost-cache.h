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
                                               const char          *id);
GPtrArray     *signpost_cache_list_records    (SignpostCache       *self,
                                               SignpostRecordKind   kind);
guint          signpost_cache_count_records   (SignpostCache       *self,
                                               SignpostRecordKind   kind);
gboolean       signpost_cache_record_is_pending (SignpostRecord    *record);
const char    *signpost_cache_get_practice_name (SignpostCache     *self,
                                                 const char        *practice_id);

/* Patients */
GPtrArray     *signpost_cache_search_patients        (SignpostCache  *self,
                                                      const char     *text,
                                                      const char     *practice_id,
                                                      guint           limit,
                                                      gboolean       *more);
GPtrArray     *signpost_cache_find_patients_by_phone (SignpostCache  *self,
                                                      const char     *number);

/* Calls, in queue order (offered_at, then call_ref). @states is a
 * -1-terminated list; @practice_id and @answered_by narrow when not NULL. */
GPtrArray     *signpost_cache_list_calls      (SignpostCache             *self,
                                               const SignpostCallState   *states,
                                               const char                *practice_id,
                                               const char                *answered_by);

/* Triage records by status (-1-terminated), most urgent first, then by
 * last change; @for_clinician_id keeps those routed to the duty doctor or
 * to that clinician by name. */
GPtrArray     *signpost_cache_list_triage     (SignpostCache              *self,
                                               const SignpostTriageStatus *statuses,
                                               const char                 *practice_id,
                                               const char                 *for_clinician_id);
GPtrArray     *signpost_cache_list_triage_for_patient (SignpostCache *self,
                                                       const char    *patient_id);

/* The diary: slots starting in [from, to), by clinician then start. */
GPtrArray     *signpost_cache_list_slots      (SignpostCache  *self,
                                               const char     *practice_id,
                                               GDateTime      *from,
                                               GDateTime      *to,
                                               const char     *clinician_id);
SignpostAppointment *signpost_cache_get_live_appointment (SignpostCache *self,
                                                          const char    *slot_id);
GPtrArray     *signpost_cache_list_appointments_for_patient (SignpostCache *self,
                                                             const char    *patient_id,
                                                             GDateTime     *from);

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
GStrv          signpost_cache_list_drafts     (SignpostCache  *self,
                                               const char     *prefix);

/* Patient views to report to the audit log when next online. */
gboolean       signpost_cache_queue_view      (SignpostCache  *self,
                                               const char     *patient_id,
                                               const char     *context,
                                               GError        **error);

G_END_DECLS
