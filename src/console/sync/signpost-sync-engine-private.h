/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "signpost-sync-engine.h"

G_BEGIN_DECLS

/*
 * SignpostSyncEngine is one class over four files sharing this header (as
 * GNOME Text Editor's window is):
 *
 *   signpost-sync-engine.c          the object, its state, messages, errors
 *   signpost-sync-engine-live.c     the WebSocket, pulling the change feed,
 *                                   sending the outbox and the audit views
 *   signpost-sync-engine-session.c  signing in (online and offline), out,
 *                                   and the cache that goes with a session
 *   signpost-sync-engine-requests.c call commands and the raw GETs that
 *                                   SignpostActions' reads use
 */

#define PAGE_SIZE 1000
#define OUTBOX_BATCH 100
#define WATCHDOG_INTERVAL_S 5
#define SILENCE_LIMIT_US (45 * G_USEC_PER_SEC)
#define MAX_RESPONSE_SIZE (256 * 1024 * 1024)
#define MAX_FRAME_SIZE (64 * 1024)

enum {
  PROP_0,
  PROP_STATE,
  PROP_LAST_ERROR,
  PROP_SERVER_URL,
  PROP_USERNAME,
  PROP_USER,
  PROP_ROLE,
  PROP_PRACTICES,
  PROP_PRACTICE_ID,
  PROP_CACHE,
  PROP_OUTBOX,
  PROP_CALL_HUB,
  PROP_PROGRESS,
  PROP_FIRST_SYNC,
  PROP_N_SYNCED,
  PROP_LOGGED_IN,
  PROP_TLS_CA_FILE,
  PROP_RECONNECT_MIN_MS,
  PROP_RECONNECT_MAX_MS,
  PROP_RECONNECTING,
  N_PROPS
};

enum {
  CAUGHT_UP,
  SESSION_EXPIRED,
  N_SIGNALS
};

struct _SignpostSyncEngine
{
  GObject parent_instance;

  SoupSession *session;
  GCancellable *cancellable;
  guint generation;

  char *server_url; /* "https://host:port", no trailing slash */
  char *username;
  char *password;   /* kept for signing in again when the token expires */
  char *token;
  SignpostUser *user;
  SignpostRole role;
  GListStore *practices;
  char *practice_id;
  char *ca_file;
  GList *ca_certificates; /* GTlsCertificate */

  SignpostCache *cache;
  SignpostOutbox *outbox;
  SignpostCallHub *call_hub;
  gulong outbox_handler;

  SignpostSyncState state;
  char *last_error;
  gboolean started;
  gboolean connecting;
  SoupWebsocketConnection *ws;
  guint reconnect_source;
  guint watchdog_source;
  guint reconnect_attempt;
  guint reconnect_min_ms;
  guint reconnect_max_ms;
  guint retry_after_ms;   /* the server's Retry-After, for the next reconnect */
  gboolean was_live;      /* live since start(): a loss is a reconnect */
  gboolean reconnecting;
  gint64 last_frame_us;

  gboolean pulling;
  gboolean pull_again;
  gint64 target_seq;
  gint64 start_seq;
  gboolean first_sync;
  double progress;
  guint n_synced;

  gboolean sending;
  guint batch_limit;
  guint page_size;
  gboolean sending_views;
};

/* The small state every request carries: a callback from an earlier
 * connection (another generation) drops out quietly. */
typedef struct {
  SignpostSyncEngine *self;
  guint generation;
  SoupMessage *msg;
  GPtrArray *items;
} SignpostEngineOp;

SignpostEngineOp *signpost_engine_op_new          (SignpostSyncEngine *self,
                                                   SoupMessage        *msg);
void              signpost_engine_op_free         (SignpostEngineOp   *op);
gboolean          signpost_engine_op_is_stale     (SignpostEngineOp   *op);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SignpostEngineOp, signpost_engine_op_free)

extern GParamSpec *signpost_sync_engine_properties[N_PROPS];
extern guint signpost_sync_engine_signals[N_SIGNALS];

/* signpost-sync-engine.c: state, messages, errors */
void         signpost_sync_engine_set_last_error  (SignpostSyncEngine *self,
                                                   const char         *message);
void         signpost_sync_engine_update_state    (SignpostSyncEngine *self);
void         signpost_sync_engine_set_progress    (SignpostSyncEngine *self,
                                                   double              progress);
char        *signpost_sync_engine_api_url         (SignpostSyncEngine *self,
                                                   const char         *path);
char        *signpost_sync_engine_normalise_server_url (const char    *input,
                                                        GError       **error);
GError      *signpost_sync_engine_transport_error_for (const char     *url,
                                                       const GError   *error);
GError      *signpost_sync_engine_transport_error (SignpostSyncEngine *self,
                                                   const GError       *error);
GError      *signpost_sync_engine_http_error      (SignpostSyncEngine *self,
                                                   SoupMessage        *msg,
                                                   GBytes             *body);
SoupMessage *signpost_sync_engine_new_message     (SignpostSyncEngine *self,
                                                   const char         *method,
                                                   const char         *path,
                                                   JsonNode           *body);

/* signpost-sync-engine-live.c: the WebSocket, the change feed, the outbox */
void         signpost_sync_engine_connect_live    (SignpostSyncEngine *self);
void         signpost_sync_engine_connection_lost (SignpostSyncEngine *self,
                                                   const GError       *error);
void         signpost_sync_engine_stop_watchdog   (SignpostSyncEngine *self);
void         signpost_sync_engine_drop_websocket  (SignpostSyncEngine *self);
void         signpost_sync_engine_schedule_reconnect (SignpostSyncEngine *self);
/* Connects now (a GSourceFunc: the reconnect timer's). */
gboolean     signpost_sync_engine_reconnect_cb    (gpointer            user_data);
void         signpost_sync_engine_request_pull    (SignpostSyncEngine *self);
void         signpost_sync_engine_drain_outbox    (SignpostSyncEngine *self);
void         signpost_sync_engine_send_views      (SignpostSyncEngine *self);

/* signpost-sync-engine-session.c: signing in and out, the cache's lifecycle */
void         signpost_sync_engine_outbox_changed  (SignpostSyncEngine *self);
void         signpost_sync_engine_close_cache     (SignpostSyncEngine *self);
gboolean     signpost_sync_engine_open_cache      (SignpostSyncEngine  *self,
                                                   const char          *role_nick,
                                                   GError             **error);
void         signpost_sync_engine_set_user        (SignpostSyncEngine *self,
                                                   SignpostUser       *user,
                                                   SignpostRole        role,
                                                   GPtrArray          *practices);
void         signpost_sync_engine_relogin         (SignpostSyncEngine *self);

G_END_DECLS
