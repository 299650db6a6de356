/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "signpost-cache.h"
#include "signpost-call-hub.h"
#include "signpost-outbox.h"
#include "signpost-sync-enums.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_SYNC_ENGINE (signpost_sync_engine_get_type ())
G_DECLARE_FINAL_TYPE (SignpostSyncEngine, signpost_sync_engine, SIGNPOST, SYNC_ENGINE, GObject)

/*
 * SignpostSyncEngine: the console's one connection to its server. One
 * SoupSession on the main thread, async calls only.
 *
 * login → (cache opened for this server, user and role) → start():
 * WebSocket /live; on "hello" and every "changes" notice, pull /changes from
 * the cache's last seq in pages (applied on a worker thread); then send the
 * outbox in order. On loss: :state goes offline and it reconnects with
 * exponential backoff and jitter, then resyncs. Live "call" frames go to
 * :call-hub.
 *
 * Properties for the window to bind: :state, :last-error, :progress and
 * :first-sync (the first download), :reconnecting (the live connection
 * was lost and is being made again, perhaps to another instance of a
 * hub: a wait, not a fault), :n-synced, :user, :role, :practices,
 * :practice-id (the practice chosen at login; NULL for all of a hub
 * user's), :cache, :outbox, :call-hub.
 */

SignpostSyncEngine *signpost_sync_engine_new                (void);

void                signpost_sync_engine_login_async        (SignpostSyncEngine   *self,
                                                             const char           *server_url,
                                                             const char           *username,
                                                             const char           *password,
                                                             const char           *role,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
gboolean            signpost_sync_engine_login_finish       (SignpostSyncEngine   *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);
void                signpost_sync_engine_start              (SignpostSyncEngine   *self);
void                signpost_sync_engine_stop               (SignpostSyncEngine   *self);
void                signpost_sync_engine_reconnect_now      (SignpostSyncEngine   *self);
void                signpost_sync_engine_logout_async       (SignpostSyncEngine   *self,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
gboolean            signpost_sync_engine_logout_finish      (SignpostSyncEngine   *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);

/* Call commands (answer, end, complete): sent at once, never queued; fails
 * with SIGNPOST_SYNC_ERROR_OFFLINE when not connected. */
void                signpost_sync_engine_send_command_async  (SignpostSyncEngine   *self,
                                                              SignpostMutation     *mutation,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
SignpostMutationResult *signpost_sync_engine_send_command_finish (SignpostSyncEngine *self,
                                                                  GAsyncResult       *result,
                                                                  GError            **error);

/* GET a JSON resource under /api/v1 ("queue?practice=…", "stats/day?…"). */
void                signpost_sync_engine_get_json_async      (SignpostSyncEngine   *self,
                                                              const char           *path,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
JsonNode           *signpost_sync_engine_get_json_finish     (SignpostSyncEngine   *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);

/* GET a resource under /api/v1 as it comes, unparsed (the telephony export
 * is CSV: "stats/cbt-export?…"); its Content-Type in @content_type. */
void                signpost_sync_engine_get_bytes_async     (SignpostSyncEngine   *self,
                                                              const char           *path,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
GBytes             *signpost_sync_engine_get_bytes_finish    (SignpostSyncEngine   *self,
                                                              GAsyncResult         *result,
                                                              char                **content_type,
                                                              GError              **error);

/* Records that the user opened a patient (POST /audit/views); kept on disk
 * and sent later when offline. */
void                signpost_sync_engine_report_view         (SignpostSyncEngine   *self,
                                                              const char           *patient_id,
                                                              const char           *context);
/* The same for a request, whether or not it names a patient yet. */
void                signpost_sync_engine_report_request_view (SignpostSyncEngine   *self,
                                                              const char           *triage_id,
                                                              const char           *context);

SignpostSyncState   signpost_sync_engine_get_state           (SignpostSyncEngine *self);
gboolean            signpost_sync_engine_get_reconnecting    (SignpostSyncEngine *self);
const char         *signpost_sync_engine_get_last_error      (SignpostSyncEngine *self);
const char         *signpost_sync_engine_get_server_url      (SignpostSyncEngine *self);
const char         *signpost_sync_engine_get_username        (SignpostSyncEngine *self);
SignpostUser       *signpost_sync_engine_get_user            (SignpostSyncEngine *self);
SignpostRole        signpost_sync_engine_get_role            (SignpostSyncEngine *self);
GListModel         *signpost_sync_engine_get_practices       (SignpostSyncEngine *self);
const char         *signpost_sync_engine_get_practice_id     (SignpostSyncEngine *self);
void                signpost_sync_engine_set_practice_id     (SignpostSyncEngine *self,
                                                              const char         *practice_id);
SignpostCache      *signpost_sync_engine_get_cache           (SignpostSyncEngine *self);
SignpostOutbox     *signpost_sync_engine_get_outbox          (SignpostSyncEngine *self);
SignpostCallHub    *signpost_sync_engine_get_call_hub        (SignpostSyncEngine *self);
double              signpost_sync_engine_get_progress        (SignpostSyncEngine *self);
gboolean            signpost_sync_engine_get_first_sync      (SignpostSyncEngine *self);
guint               signpost_sync_engine_get_n_synced        (SignpostSyncEngine *self);
gboolean            signpost_sync_engine_get_logged_in       (SignpostSyncEngine *self);
const char         *signpost_sync_engine_get_tls_ca_file     (SignpostSyncEngine *self);
void                signpost_sync_engine_set_tls_ca_file     (SignpostSyncEngine *self,
                                                              const char         *path);
/* When this PC's copy was last known to match the server: now while
 * online and caught up, else the last time it was (kept in the cache),
 * or NULL when never. */
GDateTime          *signpost_sync_engine_dup_current_at      (SignpostSyncEngine *self);

G_END_DECLS
