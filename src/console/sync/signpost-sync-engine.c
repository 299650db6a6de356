/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-sync"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <sodium.h>
#include <string.h>

#include "signpost-cache-private.h"
#include "signpost-sync-engine.h"
#include "signpost-sync-enum-types.h"
#include "signpost-sync-error.h"

/*
 * Everything here runs on the main thread and never waits: each request is
 * an async libsoup call whose callback moves the state machine on. A
 * "generation" number, bumped whenever the engine stops, makes callbacks of
 * an earlier connection drop out quietly.
 *
 *   offline ──connect──▶ connecting ──WebSocket up──▶ syncing ⇄ online
 *      ▲                      │                         │
 *      └──── backoff ◀────────┴──── lost / refused ◀────┘
 *
 * While connected: "hello" and "changes" frames ask for a pull; a pull
 * fetches /changes pages until `more` is false; then the outbox is sent in
 * order, one batch at a time. Syncing means a pull or a send is running.
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

G_DEFINE_FINAL_TYPE (SignpostSyncEngine, signpost_sync_engine, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void connect_live        (SignpostSyncEngine *self);
static void connection_lost     (SignpostSyncEngine *self,
                                 const GError       *error);
static void request_pull        (SignpostSyncEngine *self);
static void drain_outbox        (SignpostSyncEngine *self);
static void send_views          (SignpostSyncEngine *self);
static void relogin             (SignpostSyncEngine *self);

/* ---- small helpers -------------------------------------------------------- */

typedef struct {
  SignpostSyncEngine *self;
  guint generation;
  SoupMessage *msg;
  GPtrArray *items;
} Op;

static Op *
op_new (SignpostSyncEngine *self,
        SoupMessage        *msg)
{
  Op *op = g_new0 (Op, 1);

  op->self = g_object_ref (self);
  op->generation = self->generation;
  op->msg = msg ? g_object_ref (msg) : NULL;
  return op;
}

static void
op_free (Op *op)
{
  g_clear_object (&op->self);
  g_clear_object (&op->msg);
  g_clear_pointer (&op->items, g_ptr_array_unref);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Op, op_free)

static gboolean
op_is_stale (Op *op)
{
  return op->generation != op->self->generation;
}

static void
set_last_error (SignpostSyncEngine *self,
                const char         *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;
  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static void
update_state (SignpostSyncEngine *self)
{
  SignpostSyncState state;

  if (self->ws != NULL)
    state = (self->pulling || self->sending) ? SIGNPOST_SYNC_STATE_SYNCING : SIGNPOST_SYNC_STATE_ONLINE;
  else if (self->connecting)
    state = SIGNPOST_SYNC_STATE_CONNECTING;
  else
    state = SIGNPOST_SYNC_STATE_OFFLINE;

  if (self->call_hub != NULL)
    signpost_call_hub_set_available (self->call_hub, self->ws != NULL);
  if (state == SIGNPOST_SYNC_STATE_ONLINE)
    set_last_error (self, NULL);
  if (self->state == state)
    return;
  self->state = state;
  g_debug ("State: %s", signpost_enum_to_nick (SIGNPOST_TYPE_SYNC_STATE, state));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_progress (SignpostSyncEngine *self,
              double              progress)
{
  progress = CLAMP (progress, 0.0, 1.0);
  if (self->progress == progress)
    return;
  self->progress = progress;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
}

static char *
api_url (SignpostSyncEngine *self,
         const char         *path)
{
  return g_strconcat (self->server_url, "/api/v1/", path, NULL);
}

static char *
host_of (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup (url);
  if (g_uri_get_port (uri) > 0)
    return g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));
  return g_strdup (g_uri_get_host (uri));
}

static gboolean
host_looks_valid (const char *host)
{
  if (host == NULL || *host == '\0')
    return FALSE;
  if (g_hostname_is_ip_address (host))
    return TRUE;
  for (const char *p = host; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-')
      return FALSE;
  return TRUE;
}

/* "127.0.0.1:8765", "https://gp.example/", "http://host/api/v1" →
 * scheme://host[:port], or NULL with an error fit to show. */
static char *
normalise_server_url (const char  *input,
                      GError     **error)
{
  g_autofree char *text = g_strstrip (g_strdup (input ? input : ""));
  g_autofree char *with_scheme = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (text[0] == '\0')
    {
      g_set_error_literal (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_BAD_ADDRESS,
                           _("Enter the address of your practice’s Signpost server"));
      return NULL;
    }
  with_scheme = strstr (text, "://") ? g_strdup (text) : g_strconcat ("https://", text, NULL);
  uri = g_uri_parse (with_scheme, G_URI_FLAGS_NONE, NULL);
  scheme = uri ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || !host_looks_valid (g_uri_get_host (uri)) ||
      (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0))
    {
      g_set_error (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_BAD_ADDRESS,
                   _("“%s” is not a server address. It looks like https://signpost.example.nhs.uk "
                     "or 127.0.0.1:8765"), text);
      return NULL;
    }
  if (g_uri_get_port (uri) > 0)
    return g_strdup_printf ("%s://%s:%d", scheme, g_uri_get_host (uri), g_uri_get_port (uri));
  return g_strdup_printf ("%s://%s", scheme, g_uri_get_host (uri));
}

static GError *
transport_error_for (const char   *url,
                     const GError *error)
{
  g_autofree char *host = host_of (url ? url : "");

  if (error->domain == G_TLS_ERROR)
    {
      if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
        return g_error_new (SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_TLS,
                            _("The security certificate of %s is not trusted by this PC. If your "
                              "practice uses its own certificate authority, choose its certificate "
                              "file under “Trust a certificate”."), host);
      if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_NOT_TLS))
        return g_error_new (SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_TLS,
                            _("%s does not offer a secure connection. Check whether the address "
                              "should start with http:// instead of https://."), host);
      return g_error_new (SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_TLS,
                          _("A secure connection to %s could not be made (%s)."),
                          host, error->message);
    }
  if (error->domain == G_RESOLVER_ERROR)
    return g_error_new (SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_UNREACHABLE,
                        _("The server name in “%s” could not be found. Check the address."), host);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    return g_error_new (SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_UNREACHABLE,
                        _("Nothing is answering at %s. Check the address, and that the Signpost "
                          "server is running."), host);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_UNREACHABLE,
                        _("The server at %s did not answer in time."), host);
  return g_error_new (SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_UNREACHABLE,
                      _("Could not reach the server at %s (%s)."), host, error->message);
}

static GError *
transport_error (SignpostSyncEngine *self,
                 const GError       *error)
{
  return transport_error_for (self->server_url, error);
}

/* A problem+json body (or anything else) as an error for a reply with
 * @status. */
static GError *
http_error (SignpostSyncEngine *self,
            SoupMessage        *msg,
            GBytes             *body)
{
  guint status = soup_message_get_status (msg);
  g_autoptr(JsonObject) problem = NULL;
  const char *detail = NULL;
  const char *title = NULL;

  if (body != NULL)
    {
      gsize length;
      const char *data = g_bytes_get_data (body, &length);
      problem = signpost_json_parse_object (data, length, 0, NULL);
    }
  if (problem != NULL)
    {
      if (json_object_has_member (problem, "detail") &&
          json_node_get_value_type (json_object_get_member (problem, "detail")) == G_TYPE_STRING)
        detail = json_object_get_string_member (problem, "detail");
      if (json_object_has_member (problem, "title") &&
          json_node_get_value_type (json_object_get_member (problem, "title")) == G_TYPE_STRING)
        title = json_object_get_string_member (problem, "title");
    }

  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
      return g_error_new_literal (SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_SESSION_EXPIRED,
                                  _("Your session has ended. Sign in again."));
    case SOUP_STATUS_FORBIDDEN:
      return g_error_new (SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_FORBIDDEN,
                          _("Your role does not allow this (%s)."),
                          detail ? detail : soup_message_get_reason_phrase (msg));
    case 429:
      {
        const char *retry = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                          "Retry-After");
        guint64 seconds = retry ? g_ascii_strtoull (retry, NULL, 10) : 60;
        guint64 minutes = MAX ((seconds + 59) / 60, 1);
        return g_error_new (SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_RATE_LIMITED,
                            g_dngettext (GETTEXT_PACKAGE,
                                         "Too many attempts. Wait %u minute and try again.",
                                         "Too many attempts. Wait %u minutes and try again.",
                                         (gulong) minutes),
                            (guint) minutes);
      }
    default:
      if (status >= 500)
        return g_error_new (SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_SERVER,
                            _("The server had a problem (%u %s)."), status,
                            detail ? detail : title ? title : soup_message_get_reason_phrase (msg));
      return g_error_new (SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_SERVER,
                          _("The server refused the request (%u %s)."), status,
                          detail ? detail : title ? title : soup_message_get_reason_phrase (msg));
    }
}

static gboolean
on_accept_certificate (SoupMessage          *msg,
                       GTlsCertificate      *peer,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  SignpostSyncEngine *self = user_data;
  g_autoptr(GSocketConnectable) identity = NULL;
  GUri *uri = soup_message_get_uri (msg);

  /* Trust the practice's own CA in addition to the system's: accept a
   * chain that verifies against one of its certificates, for this host. */
  if (!(errors & G_TLS_CERTIFICATE_UNKNOWN_CA) || self->ca_certificates == NULL)
    return FALSE;
  identity = g_network_address_new (g_uri_get_host (uri), g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : 443);
  for (GList *l = self->ca_certificates; l != NULL; l = l->next)
    {
      G_GNUC_BEGIN_IGNORE_DEPRECATIONS
      GTlsCertificateFlags flags = g_tls_certificate_verify (peer, identity, l->data);
      G_GNUC_END_IGNORE_DEPRECATIONS
      if (flags == 0)
        return TRUE;
    }
  return FALSE;
}

static SoupMessage *
new_message (SignpostSyncEngine *self,
             const char         *method,
             const char         *path,
             JsonNode           *body)
{
  g_autofree char *url = api_url (self, path);
  SoupMessage *msg = soup_message_new (method, url);

  if (msg == NULL)
    return NULL;
  if (self->token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", self->token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (body != NULL)
    {
      gsize length;
      char *text = signpost_json_to_string (body, &length);
      g_autoptr(GBytes) bytes = g_bytes_new_take (text, length);
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  g_signal_connect_object (msg, "accept-certificate", G_CALLBACK (on_accept_certificate), self, 0);
  return msg;
}

/* ---- session and cache ---------------------------------------------------- */

static void
outbox_changed (SignpostSyncEngine *self)
{
  if (self->ws != NULL && !self->pulling && !self->sending)
    drain_outbox (self);
}

static void
close_cache (SignpostSyncEngine *self)
{
  if (self->outbox != NULL)
    g_clear_signal_handler (&self->outbox_handler, self->outbox);
  g_clear_object (&self->outbox);
  g_clear_object (&self->cache);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTBOX]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CACHE]);
}

static gboolean
open_cache (SignpostSyncEngine  *self,
            const char          *role_nick,
            GError             **error)
{
  g_autofree char *path = signpost_cache_build_path (self->server_url, self->username);
  g_autoptr(SignpostCache) cache = NULL;
  g_autofree char *cached_role = NULL;

  /* Signing in again (an expired token, a session begun offline) keeps the
   * open copy: the pages' models are bound to it. */
  if (self->cache != NULL && g_strcmp0 (signpost_cache_get_path (self->cache), path) == 0)
    {
      g_autofree char *open_role = signpost_cache_dup_meta (self->cache, "role");
      if (role_nick == NULL || g_strcmp0 (open_role, role_nick) == 0)
        return TRUE;
    }

  cache = signpost_cache_open (path, error);
  if (cache == NULL)
    return FALSE;

  /* What a user may see depends on the role: a copy made under another
   * role is started again rather than mixed. Its outbox is kept. */
  cached_role = signpost_cache_dup_meta (cache, "role");
  if (role_nick != NULL && cached_role != NULL && strcmp (cached_role, role_nick) != 0 &&
      signpost_cache_get_last_seq (cache) > 0)
    {
      if (!signpost_cache_reset (cache, error))
        return FALSE;
    }

  close_cache (self);
  self->cache = g_steal_pointer (&cache);
  if (self->user != NULL)
    signpost_cache_set_user_id (self->cache, signpost_record_get_id (SIGNPOST_RECORD (self->user)));
  self->outbox = signpost_outbox_new (self->cache);
  self->outbox_handler = g_signal_connect_object (self->outbox, "notify::n-waiting",
                                                  G_CALLBACK (outbox_changed), self,
                                                  G_CONNECT_SWAPPED);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CACHE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTBOX]);
  return TRUE;
}

static void
set_user (SignpostSyncEngine *self,
          SignpostUser       *user,
          SignpostRole        role,
          GPtrArray          *practices)
{
  g_set_object (&self->user, user);
  self->role = role;
  g_debug ("Signed in with %u practices", practices ? practices->len : 0);
  g_list_store_remove_all (self->practices);
  for (guint i = 0; practices != NULL && i < practices->len; i++)
    g_list_store_append (self->practices, g_ptr_array_index (practices, i));
  signpost_call_hub_set_user_id (self->call_hub,
                                 user ? signpost_record_get_id (SIGNPOST_RECORD (user)) : NULL);
  if (self->cache != NULL && user != NULL)
    signpost_cache_set_user_id (self->cache, signpost_record_get_id (SIGNPOST_RECORD (user)));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLE]);
}

/* ---- the live connection -------------------------------------------------- */

static void
stop_watchdog (SignpostSyncEngine *self)
{
  g_clear_handle_id (&self->watchdog_source, g_source_remove);
}

static void
drop_websocket (SignpostSyncEngine *self)
{
  g_autoptr(SoupWebsocketConnection) ws = g_steal_pointer (&self->ws);

  stop_watchdog (self);
  if (ws == NULL)
    return;
  g_signal_handlers_disconnect_by_data (ws, self);
  if (soup_websocket_connection_get_state (ws) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
}

static gboolean
reconnect_cb (gpointer user_data)
{
  SignpostSyncEngine *self = user_data;

  self->reconnect_source = 0;
  if (self->token == NULL)
    relogin (self);
  else
    connect_live (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_reconnect (SignpostSyncEngine *self)
{
  guint64 delay;

  if (!self->started || self->reconnect_source != 0)
    return;
  /* Exponential backoff with "equal jitter": half fixed, half random, so a
   * practice's PCs do not all come back in the same millisecond. */
  delay = (guint64) self->reconnect_min_ms << MIN (self->reconnect_attempt, 16);
  delay = MIN (delay, self->reconnect_max_ms);
  delay = delay / 2 + g_random_int_range (0, (gint32) MAX (delay / 2, 1) + 1);
  self->reconnect_attempt++;
  g_debug ("Reconnecting in %" G_GUINT64_FORMAT " ms", delay);
  self->reconnect_source = g_timeout_add ((guint) delay, reconnect_cb, self);
}

static void
connection_lost (SignpostSyncEngine *self,
                 const GError       *error)
{
  self->generation++;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  drop_websocket (self);
  self->connecting = FALSE;
  self->pulling = FALSE;
  self->pull_again = FALSE;
  self->sending = FALSE;
  self->sending_views = FALSE;
  if (self->call_hub != NULL)
    signpost_call_hub_reset (self->call_hub);
  if (error != NULL)
    set_last_error (self, error->message);
  update_state (self);
  schedule_reconnect (self);
}

static void
send_frame (SignpostSyncEngine *self,
            JsonObject         *frame)
{
  g_autofree char *text = NULL;

  if (self->ws == NULL || soup_websocket_connection_get_state (self->ws) != SOUP_WEBSOCKET_STATE_OPEN)
    return;
  text = signpost_json_object_to_string (frame, NULL);
  soup_websocket_connection_send_text (self->ws, text);
}

static void
on_ws_message (SoupWebsocketConnection *ws,
               int                      type,
               GBytes                  *message,
               SignpostSyncEngine      *self)
{
  g_autoptr(JsonObject) frame = NULL;
  g_autoptr(GError) error = NULL;
  const char *kind;
  gsize length;
  const char *data;

  self->last_frame_us = g_get_monotonic_time ();
  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    return;
  data = g_bytes_get_data (message, &length);
  frame = signpost_json_parse_object (data, length, MAX_FRAME_SIZE, &error);
  if (frame == NULL)
    {
      g_warning ("Ignoring a live frame: %s", error->message);
      return;
    }
  if (!json_object_has_member (frame, "kind") ||
      json_node_get_value_type (json_object_get_member (frame, "kind")) != G_TYPE_STRING)
    return;
  kind = json_object_get_string_member (frame, "kind");

  if (g_str_equal (kind, "hello") || g_str_equal (kind, "changes"))
    {
      JsonNode *seq = json_object_get_member (frame, "last_seq");
      if (seq != NULL && json_node_get_value_type (seq) == G_TYPE_INT64)
        self->target_seq = MAX (self->target_seq, json_node_get_int (seq));
      if (g_str_equal (kind, "hello"))
        self->reconnect_attempt = 0;
      request_pull (self);
    }
  else if (g_str_equal (kind, "ping"))
    {
      g_autoptr(JsonObject) pong = json_object_new ();
      JsonNode *t = json_object_get_member (frame, "t");

      json_object_set_string_member (pong, "kind", "pong");
      if (t != NULL && json_node_get_value_type (t) == G_TYPE_INT64)
        json_object_set_int_member (pong, "t", json_node_get_int (t));
      send_frame (self, pong);
    }
  else if (g_str_equal (kind, "call"))
    {
      g_autoptr(SignpostCallEvent) event = signpost_call_event_new_from_json (frame, &error);

      if (event == NULL)
        g_warning ("Ignoring a call frame: %s", error->message);
      else
        signpost_call_hub_dispatch (self->call_hub, event);
    }
}

static void
on_ws_closed (SoupWebsocketConnection *ws,
              SignpostSyncEngine      *self)
{
  g_autoptr(GError) error = NULL;
  gushort code = soup_websocket_connection_get_close_code (ws);

  g_debug ("Live connection closed (%u)", code);
  /* 4000: we fell behind; come straight back and resync. */
  if (code == 4000)
    self->reconnect_attempt = 0;
  error = g_error_new_literal (SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_UNREACHABLE,
                               _("The connection to the server was lost."));
  connection_lost (self, error);
}

static void
on_ws_error (SoupWebsocketConnection *ws,
             GError                  *error,
             SignpostSyncEngine      *self)
{
  g_debug ("Live connection error: %s", error->message);
}

static gboolean
watchdog_cb (gpointer user_data)
{
  SignpostSyncEngine *self = user_data;

  /* libsoup 3.2 has no pong timeout: a server that vanished without closing
   * the socket is noticed by its missing pings (every 15 s). */
  if (self->ws != NULL && g_get_monotonic_time () - self->last_frame_us > SILENCE_LIMIT_US)
    {
      g_autoptr(GError) error =
        g_error_new_literal (SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_UNREACHABLE,
                             _("The server stopped answering."));
      self->watchdog_source = 0;
      connection_lost (self, error);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
websocket_connected (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  SignpostSyncEngine *self = op->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupWebsocketConnection) ws = NULL;

  ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (op_is_stale (op))
    return;
  self->connecting = FALSE;

  if (ws == NULL)
    {
      if (soup_message_get_status (op->msg) == SOUP_STATUS_UNAUTHORIZED)
        {
          g_clear_pointer (&self->token, g_free);
          relogin (self);
          return;
        }
      if (soup_message_get_status (op->msg) != SOUP_STATUS_NONE)
        {
          g_autoptr(GError) http = http_error (self, op->msg, NULL);
          connection_lost (self, http);
        }
      else
        {
          g_autoptr(GError) mapped = transport_error (self, error);
          connection_lost (self, mapped);
        }
      return;
    }

  self->ws = g_steal_pointer (&ws);
  self->last_frame_us = g_get_monotonic_time ();
  g_signal_connect (self->ws, "message", G_CALLBACK (on_ws_message), self);
  g_signal_connect (self->ws, "closed", G_CALLBACK (on_ws_closed), self);
  g_signal_connect (self->ws, "error", G_CALLBACK (on_ws_error), self);
  self->watchdog_source = g_timeout_add_seconds (WATCHDOG_INTERVAL_S, watchdog_cb, self);
  update_state (self);

  /* The hello frame says how far to go; pull now anyway. */
  request_pull (self);
}

static void
connect_live (SignpostSyncEngine *self)
{
  g_autoptr(SoupMessage) msg = NULL;

  if (!self->started || self->ws != NULL || self->connecting)
    return;
  msg = new_message (self, "GET", "live", NULL);
  if (msg == NULL)
    return;
  self->connecting = TRUE;
  update_state (self);
  soup_session_websocket_connect_async (self->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        self->cancellable, websocket_connected, op_new (self, msg));
}

/* ---- pulling the change feed ---------------------------------------------- */

static void pull_next (SignpostSyncEngine *self);

static void
caught_up (SignpostSyncEngine *self)
{
  self->pulling = FALSE;
  if (self->first_sync)
    {
      self->first_sync = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIRST_SYNC]);
    }
  set_progress (self, 1.0);
  update_state (self);
  g_signal_emit (self, signals[CAUGHT_UP], 0);
  if (!self->sending)
    drain_outbox (self);
  send_views (self);
}

static void
page_applied (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  SignpostSyncEngine *self = op->self;
  g_autoptr(GError) error = NULL;
  gint64 last_seq = 0;
  gboolean more = FALSE;
  guint n_changes = 0;

  if (!signpost_cache_apply_changes_finish (SIGNPOST_CACHE (source), result, &last_seq, &more,
                                            &n_changes, &error))
    {
      if (op_is_stale (op))
        return;
      g_warning ("Could not apply changes: %s", error->message);
      connection_lost (self, error);
      return;
    }
  if (op_is_stale (op))
    return;

  self->n_synced += n_changes;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SYNCED]);
  self->target_seq = MAX (self->target_seq, last_seq);
  if (self->target_seq > self->start_seq)
    set_progress (self, (double) (last_seq - self->start_seq) / (double) (self->target_seq - self->start_seq));

  if (more || (self->pull_again && signpost_cache_get_last_seq (self->cache) < self->target_seq))
    {
      self->pull_again = FALSE;
      pull_next (self);
    }
  else
    caught_up (self);
}

static void
page_received (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  SignpostSyncEngine *self = op->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (op_is_stale (op))
    return;
  if (body == NULL)
    {
      g_autoptr(GError) mapped = transport_error (self, error);
      connection_lost (self, mapped);
      return;
    }
  if (soup_message_get_status (op->msg) == SOUP_STATUS_UNAUTHORIZED)
    {
      g_clear_pointer (&self->token, g_free);
      drop_websocket (self);
      relogin (self);
      return;
    }
  if (soup_message_get_status (op->msg) != SOUP_STATUS_OK)
    {
      g_autoptr(GError) http = http_error (self, op->msg, body);
      connection_lost (self, http);
      return;
    }

  signpost_cache_apply_changes_async (self->cache, body, NULL, page_applied,
                                      g_steal_pointer (&op));
}

static void
pull_next (SignpostSyncEngine *self)
{
  g_autofree char *path = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  self->pulling = TRUE;
  update_state (self);
  path = g_strdup_printf ("changes?since=%" G_GINT64_FORMAT "&limit=%u",
                          signpost_cache_get_last_seq (self->cache), self->page_size);
  msg = new_message (self, "GET", path, NULL);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, self->cancellable,
                                    page_received, op_new (self, msg));
}

static void
request_pull (SignpostSyncEngine *self)
{
  if (self->ws == NULL || self->cache == NULL)
    return;
  if (self->pulling)
    {
      self->pull_again = TRUE;
      return;
    }
  self->start_seq = signpost_cache_get_last_seq (self->cache);
  self->n_synced = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SYNCED]);
  if (self->first_sync)
    set_progress (self, 0.0);
  pull_next (self);
}

/* ---- sending the outbox ----------------------------------------------------- */

static SignpostMutationResult *
rejected_result (const char *mutation_id,
                 GError     *error)
{
  SignpostMutationResult *result = signpost_mutation_result_new ();
  g_autoptr(JsonObject) problem = json_object_new ();
  g_autoptr(JsonNode) node = NULL;

  json_object_set_string_member (problem, "title", _("Refused by the server"));
  json_object_set_string_member (problem, "detail", error->message);
  node = json_node_init_object (json_node_alloc (), problem);
  signpost_mutation_result_set_mutation_id (result, mutation_id);
  signpost_mutation_result_set_status (result, SIGNPOST_RESULT_REJECTED);
  signpost_mutation_result_set_problem (result, node);
  return result;
}

static void
send_done (SignpostSyncEngine *self)
{
  self->sending = FALSE;
  update_state (self);
}

static void
batch_sent (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  SignpostSyncEngine *self = op->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonObject) reply = NULL;
  JsonNode *results_node;
  JsonArray *results;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (op_is_stale (op))
    return;

  if (body == NULL)
    {
      /* The request or its answer was lost: the same mutation_ids go again
       * after the reconnect, and the server answers "duplicate" for any it
       * did apply. */
      g_autoptr(GError) mapped = transport_error (self, error);
      for (guint i = 0; i < op->items->len; i++)
        signpost_outbox_note_failure (self->outbox,
                                      signpost_outbox_item_get_mutation_id (g_ptr_array_index (op->items, i)),
                                      mapped->message);
      connection_lost (self, mapped);
      return;
    }

  status = soup_message_get_status (op->msg);
  if (status == SOUP_STATUS_UNAUTHORIZED)
    {
      g_clear_pointer (&self->token, g_free);
      drop_websocket (self);
      relogin (self);
      return;
    }
  if (status == SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE && op->items->len > 1)
    {
      self->batch_limit = MAX (op->items->len / 2, 1);
      drain_outbox (self);
      return;
    }
  if ((status == SOUP_STATUS_BAD_REQUEST || status == SOUP_STATUS_UNPROCESSABLE_ENTITY ||
       status == SOUP_STATUS_FORBIDDEN || status == SOUP_STATUS_NOT_FOUND ||
       status == SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE))
    {
      g_autoptr(GError) http = http_error (self, op->msg, body);

      if (op->items->len > 1)
        {
          /* One bad change refuses the whole envelope: find it by sending
           * them one at a time. */
          self->batch_limit = 1;
          drain_outbox (self);
          return;
        }
      {
        SignpostOutboxItem *item = g_ptr_array_index (op->items, 0);
        g_autoptr(SignpostMutationResult) rejected =
          rejected_result (signpost_outbox_item_get_mutation_id (item), http);
        g_autoptr(GError) local_error = NULL;
        if (!signpost_outbox_apply_result (self->outbox, rejected, &local_error))
          g_warning ("Could not record a refusal: %s", local_error->message);
      }
      drain_outbox (self);
      return;
    }
  if (status != SOUP_STATUS_OK)
    {
      g_autoptr(GError) http = http_error (self, op->msg, body);
      for (guint i = 0; i < op->items->len; i++)
        signpost_outbox_note_failure (self->outbox,
                                      signpost_outbox_item_get_mutation_id (g_ptr_array_index (op->items, i)),
                                      http->message);
      connection_lost (self, http);
      return;
    }

  {
    gsize length;
    const char *data = g_bytes_get_data (body, &length);
    reply = signpost_json_parse_object (data, length, MAX_RESPONSE_SIZE, &error);
  }
  results_node = reply ? json_object_get_member (reply, "results") : NULL;
  if (results_node == NULL || !JSON_NODE_HOLDS_ARRAY (results_node))
    {
      g_autoptr(GError) protocol =
        g_error_new_literal (SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_PROTOCOL,
                             _("The server’s answer to the saved changes could not be read."));
      connection_lost (self, protocol);
      return;
    }
  results = json_node_get_array (results_node);
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonNode *element = json_array_get_element (results, i);
      g_autoptr(SignpostMutationResult) mutation_result = NULL;
      g_autoptr(GError) local_error = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      mutation_result = signpost_object_new_from_json (SIGNPOST_TYPE_MUTATION_RESULT,
                                                       json_node_get_object (element),
                                                       SIGNPOST_DECODE_PATCH, &local_error);
      if (mutation_result == NULL)
        {
          g_warning ("Ignoring a mutation result: %s", local_error->message);
          continue;
        }
      if (!signpost_outbox_apply_result (self->outbox, mutation_result, &local_error))
        g_warning ("Could not record a result: %s", local_error->message);
    }
  self->batch_limit = OUTBOX_BATCH;
  drain_outbox (self);
}

static void
drain_outbox (SignpostSyncEngine *self)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(JsonArray) mutations = NULL;
  g_autoptr(JsonObject) envelope = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  Op *op;

  if (self->ws == NULL || self->outbox == NULL || self->pulling)
    {
      if (self->sending)
        send_done (self);
      return;
    }
  items = signpost_outbox_peek_waiting (self->outbox, self->batch_limit);
  if (items->len == 0)
    {
      send_done (self);
      return;
    }

  self->sending = TRUE;
  update_state (self);
  mutations = json_array_new ();
  for (guint i = 0; i < items->len; i++)
    {
      SignpostOutboxItem *item = g_ptr_array_index (items, i);
      json_array_add_element (mutations,
                              signpost_object_to_json_node (SIGNPOST_OBJECT (signpost_outbox_item_get_mutation (item))));
    }
  envelope = json_object_new ();
  json_object_set_array_member (envelope, "mutations", json_array_ref (mutations));
  body = json_node_init_object (json_node_alloc (), envelope);
  msg = new_message (self, "POST", "mutations", body);
  op = op_new (self, msg);
  op->items = g_steal_pointer (&items);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, self->cancellable,
                                    batch_sent, op);
}

/* ---- audit views ------------------------------------------------------------ */

static void
view_sent (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  SignpostSyncEngine *self = op->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  gint64 position = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (op->msg), "position"));
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (op_is_stale (op))
    return;
  self->sending_views = FALSE;
  if (body == NULL)
    return;
  status = soup_message_get_status (op->msg);
  /* Sent, or refused for good (a view the server cannot take is not worth
   * keeping forever); anything else stays for later. */
  if ((status >= 200 && status < 300) || status == SOUP_STATUS_BAD_REQUEST ||
      status == SOUP_STATUS_UNPROCESSABLE_ENTITY || status == SOUP_STATUS_NOT_FOUND ||
      status == SOUP_STATUS_FORBIDDEN)
    {
      if (!signpost_cache_remove_view (self->cache, position, &error))
        g_warning ("Could not clear a sent view: %s", error->message);
      send_views (self);
    }
}

static void
send_views (SignpostSyncEngine *self)
{
  g_autoptr(GPtrArray) views = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  SignpostPendingView *view;

  if (self->ws == NULL || self->cache == NULL || self->sending_views)
    return;
  views = signpost_cache_list_views (self->cache, 1);
  if (views->len == 0)
    return;
  view = g_ptr_array_index (views, 0);
  object = json_object_new ();
  json_object_set_string_member (object, "patient_id", view->patient_id);
  json_object_set_string_member (object, "context", view->context ? view->context : "search");
  body = json_node_init_object (json_node_alloc (), object);
  msg = new_message (self, "POST", "audit/views", body);
  g_object_set_data (G_OBJECT (msg), "position", GSIZE_TO_POINTER ((gsize) view->position));
  self->sending_views = TRUE;
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_LOW, self->cancellable,
                                    view_sent, op_new (self, msg));
}

/* ---- login ------------------------------------------------------------------ */

typedef struct {
  char *server_url;
  char *username;
  char *password;
  char *role;
  gboolean allow_offline;
  SoupMessage *msg;
} LoginData;

static void
login_data_free (gpointer data)
{
  LoginData *login = data;

  g_free (login->server_url);
  g_free (login->username);
  if (login->password != NULL)
    sodium_memzero (login->password, strlen (login->password));
  g_free (login->password);
  g_free (login->role);
  g_clear_object (&login->msg);
  g_free (login);
}

static void
store_verifier_in_thread (GTask        *task,
                          gpointer      source_object,
                          gpointer      task_data,
                          GCancellable *cancellable)
{
  char hash[crypto_pwhash_STRBYTES];
  const char *password = task_data;

  if (crypto_pwhash_str (hash, password, strlen (password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    g_task_return_pointer (task, NULL, NULL);
  else
    g_task_return_pointer (task, g_strdup (hash), g_free);
}

static void
verifier_stored (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SignpostCache) cache = user_data;
  g_autofree char *hash = g_task_propagate_pointer (G_TASK (result), NULL);
  g_autoptr(GError) error = NULL;

  if (hash != NULL && !signpost_cache_set_meta (cache, "verifier", hash, &error))
    g_warning ("Could not store the offline sign-in check: %s", error->message);
}

static void
secret_free (gpointer data)
{
  char *secret = data;

  sodium_memzero (secret, strlen (secret));
  g_free (secret);
}

/* A salted argon2id hash of the password, so the same user can sign in on
 * this PC while the server is unreachable and work from its copy. */
static void
store_verifier (SignpostSyncEngine *self,
                const char         *password)
{
  /* The cache, not the engine, waits for it: signing out need not. */
  g_autoptr(GTask) task = g_task_new (self->cache, NULL, verifier_stored, g_object_ref (self->cache));

  g_task_set_source_tag (task, store_verifier);
  g_task_set_task_data (task, g_strdup (password), secret_free);
  g_task_run_in_thread (task, store_verifier_in_thread);
}

static GPtrArray *
decode_practices (JsonNode  *node,
                  GError   **error)
{
  g_autoptr(GPtrArray) practices = g_ptr_array_new_with_free_func (g_object_unref);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error_literal (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_PROTOCOL,
                           _("The server’s answer to signing in could not be read."));
      return NULL;
    }
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      SignpostRecord *practice;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      practice = signpost_record_new_from_json (SIGNPOST_RECORD_PRACTICE, json_node_get_object (element),
                                                SIGNPOST_DECODE_FULL, NULL);
      if (practice != NULL)
        g_ptr_array_add (practices, practice);
    }
  return g_steal_pointer (&practices);
}

/* Applies a /login answer (or what the cache kept of the last one). */
static gboolean
apply_session (SignpostSyncEngine  *self,
               JsonObject          *reply,
               gboolean             from_cache,
               GError             **error)
{
  g_autoptr(SignpostRecord) user = NULL;
  g_autoptr(GPtrArray) practices = NULL;
  JsonNode *node;
  const char *role_nick = NULL;
  int role = SIGNPOST_ROLE_NAVIGATOR;

  node = json_object_get_member (reply, "user");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    user = signpost_record_new_from_json (SIGNPOST_RECORD_USER, json_node_get_object (node),
                                          SIGNPOST_DECODE_FULL, error);
  else
    g_set_error_literal (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_PROTOCOL,
                         _("The server’s answer to signing in could not be read."));
  if (user == NULL)
    return FALSE;
  node = json_object_get_member (reply, "role");
  if (node != NULL && json_node_get_value_type (node) == G_TYPE_STRING)
    role_nick = json_node_get_string (node);
  if (role_nick == NULL || !signpost_enum_from_nick (SIGNPOST_TYPE_ROLE, role_nick, &role))
    {
      role = signpost_user_get_role (SIGNPOST_USER (user));
      role_nick = signpost_enum_to_nick (SIGNPOST_TYPE_ROLE, role);
    }
  practices = decode_practices (json_object_get_member (reply, "practices"), error);
  if (practices == NULL)
    return FALSE;

  if (!from_cache)
    {
      g_autofree char *text = signpost_json_object_to_string (reply, NULL);

      /* The user is known before the cache opens, so bookings made here are
       * stamped with the right id from the start. */
      g_set_object (&self->user, SIGNPOST_USER (user));
      if (!open_cache (self, role_nick, error) ||
          !signpost_cache_set_meta (self->cache, "session", text, error) ||
          !signpost_cache_set_meta (self->cache, "role", role_nick, error) ||
          !signpost_cache_set_meta (self->cache, "server_url", self->server_url, error) ||
          !signpost_cache_set_meta (self->cache, "username", self->username, error))
        return FALSE;
    }
  set_user (self, SIGNPOST_USER (user), role, practices);
  return TRUE;
}

static void
finish_login (SignpostSyncEngine *self,
              GTask              *task)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_URL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USERNAME]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOGGED_IN]);
  self->first_sync = signpost_cache_get_last_seq (self->cache) == 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIRST_SYNC]);
  g_task_return_boolean (task, TRUE);
}

static void
verify_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  LoginData *login = task_data;
  const char *hash = g_object_get_data (G_OBJECT (task), "verifier");

  g_task_return_boolean (task, crypto_pwhash_str_verify (hash, login->password,
                                                         strlen (login->password)) == 0);
}

static void
offline_verified (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignpostSyncEngine *self = g_task_get_source_object (task);
  LoginData *login = g_task_get_task_data (task);
  g_autoptr(SignpostCache) cache = g_object_steal_data (G_OBJECT (task), "cache");
  GError *unreachable = g_object_steal_data (G_OBJECT (task), "error");
  g_autoptr(GError) error = NULL;
  g_autofree char *session = NULL;
  g_autoptr(JsonObject) reply = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), NULL))
    {
      /* Not the password this PC knows: say the server is unreachable, as
       * that is what stops the sign-in. */
      g_task_return_error (task, unreachable);
      return;
    }
  g_clear_error (&unreachable);

  session = signpost_cache_dup_meta (cache, "session");
  reply = session ? signpost_json_parse_object (session, strlen (session), 0, NULL) : NULL;
  if (reply == NULL)
    {
      g_task_return_new_error (task, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_UNREACHABLE,
                               _("The server cannot be reached and this PC has no copy to work from."));
      return;
    }

  close_cache (self);
  self->cache = g_steal_pointer (&cache);
  self->outbox = signpost_outbox_new (self->cache);
  self->outbox_handler = g_signal_connect_object (self->outbox, "notify::n-waiting",
                                                  G_CALLBACK (outbox_changed), self,
                                                  G_CONNECT_SWAPPED);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CACHE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTBOX]);
  if (!apply_session (self, reply, TRUE, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_free (self->server_url);
  self->server_url = g_strdup (login->server_url);
  g_free (self->username);
  self->username = g_strdup (login->username);
  g_free (self->password);
  self->password = g_strdup (login->password);
  g_clear_pointer (&self->token, g_free);
  set_last_error (self, _("Working offline: the server could not be reached."));
  finish_login (self, task);
}

/* The server is unreachable: sign in against this PC's copy if it has one
 * for this user and the password matches the one last used here. */
static void
try_offline_login (SignpostSyncEngine *self,
                   GTask              *task,
                   GError             *unreachable)
{
  LoginData *login = g_task_get_task_data (task);
  g_autofree char *path = signpost_cache_build_path (login->server_url, login->username);
  g_autoptr(SignpostCache) cache = NULL;
  g_autofree char *verifier = NULL;
  g_autofree char *role = NULL;
  g_autoptr(GTask) check = NULL;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    cache = signpost_cache_open (path, NULL);
  if (cache != NULL)
    {
      verifier = signpost_cache_dup_meta (cache, "verifier");
      role = signpost_cache_dup_meta (cache, "role");
    }
  if (verifier == NULL || (login->role != NULL && g_strcmp0 (role, login->role) != 0))
    {
      g_task_return_error (task, unreachable);
      g_object_unref (task);
      return;
    }

  check = g_task_new (self, NULL, offline_verified, task);
  g_task_set_source_tag (check, try_offline_login);
  g_task_set_task_data (check, login, NULL);
  g_object_set_data_full (G_OBJECT (check), "verifier", g_steal_pointer (&verifier), g_free);
  g_object_set_data_full (G_OBJECT (task), "cache", g_steal_pointer (&cache), g_object_unref);
  g_object_set_data (G_OBJECT (task), "error", unreachable);
  g_task_run_in_thread (check, verify_in_thread);
}

static void
login_replied (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  SignpostSyncEngine *self = g_task_get_source_object (task);
  LoginData *login = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonObject) reply = NULL;
  guint status;
  JsonNode *token;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      GError *mapped;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          g_object_unref (task);
          return;
        }
      mapped = transport_error_for (login->server_url, error);
      if (mapped->code == SIGNPOST_SYNC_ERROR_UNREACHABLE && login->allow_offline)
        {
          try_offline_login (self, task, mapped);
          return;
        }
      g_task_return_error (task, mapped);
      g_object_unref (task);
      return;
    }

  status = soup_message_get_status (login->msg);
  if (status == SOUP_STATUS_UNAUTHORIZED)
    {
      g_task_return_new_error (task, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_CREDENTIALS,
                               _("The username or password is not right. Check them and try again."));
      g_object_unref (task);
      return;
    }
  if (status != SOUP_STATUS_OK)
    {
      g_task_return_error (task, http_error (self, login->msg, body));
      g_object_unref (task);
      return;
    }

  {
    gsize length;
    const char *data = g_bytes_get_data (body, &length);
    reply = signpost_json_parse_object (data, length, 0, NULL);
  }
  token = reply ? json_object_get_member (reply, "token") : NULL;
  if (token == NULL || json_node_get_value_type (token) != G_TYPE_STRING)
    {
      g_task_return_new_error (task, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_PROTOCOL,
                               _("This does not look like a Signpost server: its answer to signing "
                                 "in could not be read."));
      g_object_unref (task);
      return;
    }

  g_free (self->server_url);
  self->server_url = g_strdup (login->server_url);
  g_free (self->username);
  self->username = g_strdup (login->username);
  if (self->password != NULL)
    sodium_memzero (self->password, strlen (self->password));
  g_free (self->password);
  self->password = g_strdup (login->password);
  g_free (self->token);
  self->token = g_strdup (json_node_get_string (token));
  json_object_remove_member (reply, "token");

  if (!apply_session (self, reply, FALSE, &error))
    {
      g_clear_pointer (&self->token, g_free);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  store_verifier (self, login->password);
  set_last_error (self, NULL);
  finish_login (self, task);
  g_object_unref (task);
}

static void
send_login (SignpostSyncEngine *self,
            GTask              *task)
{
  LoginData *login = g_task_get_task_data (task);
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *saved_url = g_steal_pointer (&self->server_url);
  g_autofree char *saved_token = g_steal_pointer (&self->token);

  json_object_set_string_member (object, "username", login->username);
  json_object_set_string_member (object, "password", login->password);
  if (login->role != NULL)
    json_object_set_string_member (object, "role", login->role);
  body = json_node_init_object (json_node_alloc (), object);

  self->server_url = g_strdup (login->server_url);
  login->msg = new_message (self, "POST", "login", body);
  g_free (self->server_url);
  self->server_url = g_steal_pointer (&saved_url);
  self->token = g_steal_pointer (&saved_token);

  soup_session_send_and_read_async (self->session, login->msg, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), login_replied, task);
}

static void
relogged_in (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  SignpostSyncEngine *self = op->self;
  g_autoptr(GError) error = NULL;

  if (!signpost_sync_engine_login_finish (self, result, &error))
    {
      if (op_is_stale (op))
        return;
      self->connecting = FALSE;
      if (g_error_matches (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_CREDENTIALS) ||
          g_error_matches (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_FORBIDDEN))
        {
          set_last_error (self, _("Your session has ended. Sign in again."));
          self->started = FALSE;
          update_state (self);
          g_signal_emit (self, signals[SESSION_EXPIRED], 0);
          return;
        }
      connection_lost (self, error);
      return;
    }
  if (op_is_stale (op))
    return;
  self->connecting = FALSE;
  if (self->token == NULL)
    {
      /* Signed in against the cache again: still unreachable. */
      connection_lost (self, NULL);
      return;
    }
  connect_live (self);
}

/* Sign in again with the remembered password: the token expired, or the
 * session began offline. The cache and outbox stay as they are. */
static void
relogin (SignpostSyncEngine *self)
{
  g_autoptr(GTask) task = NULL;
  LoginData *login;

  if (self->password == NULL || self->username == NULL || self->server_url == NULL)
    {
      set_last_error (self, _("Your session has ended. Sign in again."));
      self->started = FALSE;
      update_state (self);
      g_signal_emit (self, signals[SESSION_EXPIRED], 0);
      return;
    }
  self->connecting = TRUE;
  update_state (self);

  task = g_task_new (self, self->cancellable, relogged_in, op_new (self, NULL));
  g_task_set_source_tag (task, signpost_sync_engine_login_async);
  login = g_new0 (LoginData, 1);
  login->server_url = g_strdup (self->server_url);
  login->username = g_strdup (self->username);
  login->password = g_strdup (self->password);
  login->role = g_strdup (signpost_enum_to_nick (SIGNPOST_TYPE_ROLE, self->role));
  g_task_set_task_data (task, login, login_data_free);
  send_login (self, g_steal_pointer (&task));
}

/* ---- GObject ----------------------------------------------------------------- */

static void
signpost_sync_engine_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  SignpostSyncEngine *self = SIGNPOST_SYNC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    case PROP_SERVER_URL:
      g_value_set_string (value, self->server_url);
      break;
    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;
    case PROP_USER:
      g_value_set_object (value, self->user);
      break;
    case PROP_ROLE:
      g_value_set_enum (value, self->role);
      break;
    case PROP_PRACTICES:
      g_value_set_object (value, self->practices);
      break;
    case PROP_PRACTICE_ID:
      g_value_set_string (value, self->practice_id);
      break;
    case PROP_CACHE:
      g_value_set_object (value, self->cache);
      break;
    case PROP_OUTBOX:
      g_value_set_object (value, self->outbox);
      break;
    case PROP_CALL_HUB:
      g_value_set_object (value, self->call_hub);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_FIRST_SYNC:
      g_value_set_boolean (value, self->first_sync);
      break;
    case PROP_N_SYNCED:
      g_value_set_uint (value, self->n_synced);
      break;
    case PROP_LOGGED_IN:
      g_value_set_boolean (value, self->cache != NULL);
      break;
    case PROP_TLS_CA_FILE:
      g_value_set_string (value, self->ca_file);
      break;
    case PROP_RECONNECT_MIN_MS:
      g_value_set_uint (value, self->reconnect_min_ms);
      break;
    case PROP_RECONNECT_MAX_MS:
      g_value_set_uint (value, self->reconnect_max_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_sync_engine_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  SignpostSyncEngine *self = SIGNPOST_SYNC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_PRACTICE_ID:
      signpost_sync_engine_set_practice_id (self, g_value_get_string (value));
      break;
    case PROP_TLS_CA_FILE:
      signpost_sync_engine_set_tls_ca_file (self, g_value_get_string (value));
      break;
    case PROP_RECONNECT_MIN_MS:
      self->reconnect_min_ms = MAX (g_value_get_uint (value), 1);
      break;
    case PROP_RECONNECT_MAX_MS:
      self->reconnect_max_ms = MAX (g_value_get_uint (value), 1);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_sync_engine_dispose (GObject *object)
{
  SignpostSyncEngine *self = SIGNPOST_SYNC_ENGINE (object);

  signpost_sync_engine_stop (self);
  close_cache (self);
  if (self->session != NULL)
    soup_session_abort (self->session);

  G_OBJECT_CLASS (signpost_sync_engine_parent_class)->dispose (object);
}

static void
signpost_sync_engine_finalize (GObject *object)
{
  SignpostSyncEngine *self = SIGNPOST_SYNC_ENGINE (object);

  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->user);
  g_clear_object (&self->practices);
  g_clear_object (&self->call_hub);
  g_clear_pointer (&self->server_url, g_free);
  g_clear_pointer (&self->username, g_free);
  if (self->password != NULL)
    sodium_memzero (self->password, strlen (self->password));
  g_clear_pointer (&self->password, g_free);
  g_clear_pointer (&self->token, g_free);
  g_clear_pointer (&self->practice_id, g_free);
  g_clear_pointer (&self->ca_file, g_free);
  g_list_free_full (g_steal_pointer (&self->ca_certificates), g_object_unref);
  g_clear_pointer (&self->last_error, g_free);

  G_OBJECT_CLASS (signpost_sync_engine_parent_class)->finalize (object);
}

static void
signpost_sync_engine_class_init (SignpostSyncEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = signpost_sync_engine_get_property;
  object_class->set_property = signpost_sync_engine_set_property;
  object_class->dispose = signpost_sync_engine_dispose;
  object_class->finalize = signpost_sync_engine_finalize;

#define RO (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)
#define RW (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, SIGNPOST_TYPE_SYNC_STATE, SIGNPOST_SYNC_STATE_OFFLINE, RO);
  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL, RO);
  properties[PROP_SERVER_URL] = g_param_spec_string ("server-url", NULL, NULL, NULL, RO);
  properties[PROP_USERNAME] = g_param_spec_string ("username", NULL, NULL, NULL, RO);
  properties[PROP_USER] = g_param_spec_object ("user", NULL, NULL, SIGNPOST_TYPE_USER, RO);
  properties[PROP_ROLE] =
    g_param_spec_enum ("role", NULL, NULL, SIGNPOST_TYPE_ROLE, SIGNPOST_ROLE_NAVIGATOR, RO);
  properties[PROP_PRACTICES] = g_param_spec_object ("practices", NULL, NULL, G_TYPE_LIST_MODEL, RO);
  properties[PROP_PRACTICE_ID] = g_param_spec_string ("practice-id", NULL, NULL, NULL, RW);
  properties[PROP_CACHE] = g_param_spec_object ("cache", NULL, NULL, SIGNPOST_TYPE_CACHE, RO);
  properties[PROP_OUTBOX] = g_param_spec_object ("outbox", NULL, NULL, SIGNPOST_TYPE_OUTBOX, RO);
  properties[PROP_CALL_HUB] = g_param_spec_object ("call-hub", NULL, NULL, SIGNPOST_TYPE_CALL_HUB, RO);
  properties[PROP_PROGRESS] = g_param_spec_double ("progress", NULL, NULL, 0.0, 1.0, 0.0, RO);
  properties[PROP_FIRST_SYNC] = g_param_spec_boolean ("first-sync", NULL, NULL, FALSE, RO);
  properties[PROP_N_SYNCED] = g_param_spec_uint ("n-synced", NULL, NULL, 0, G_MAXUINT, 0, RO);
  properties[PROP_LOGGED_IN] = g_param_spec_boolean ("logged-in", NULL, NULL, FALSE, RO);
  properties[PROP_TLS_CA_FILE] = g_param_spec_string ("tls-ca-file", NULL, NULL, NULL, RW);
  properties[PROP_RECONNECT_MIN_MS] =
    g_param_spec_uint ("reconnect-min-ms", NULL, NULL, 1, G_MAXUINT, 500, RW);
  properties[PROP_RECONNECT_MAX_MS] =
    g_param_spec_uint ("reconnect-max-ms", NULL, NULL, 1, G_MAXUINT, 30000, RW);
#undef RO
#undef RW
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The cache holds everything the server had at the last notice. */
  signals[CAUGHT_UP] =
    g_signal_new ("caught-up", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* The server no longer accepts this user's session and the password
   * kept for signing in again failed: show the login page. */
  signals[SESSION_EXPIRED] =
    g_signal_new ("session-expired", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
signpost_sync_engine_init (SignpostSyncEngine *self)
{
  if (sodium_init () < 0)
    g_warning ("libsodium could not start: offline sign-in is off");

  /* libsoup allows 2 connections per host by default: the WebSocket holds
   * one for good, and a slow /changes page must not hold up a save. */
  self->session = soup_session_new_with_options ("max-conns-per-host", 8,
                                                 "timeout", 60,
                                                 "idle-timeout", 90,
                                                 "user-agent", "Signpost/" PACKAGE_VERSION,
                                                 NULL);
  self->cancellable = g_cancellable_new ();
  self->practices = g_list_store_new (SIGNPOST_TYPE_PRACTICE);
  self->call_hub = signpost_call_hub_new ();
  self->reconnect_min_ms = 500;
  self->reconnect_max_ms = 30000;
  self->batch_limit = OUTBOX_BATCH;
  self->role = SIGNPOST_ROLE_NAVIGATOR;
  /* Smaller pages make a first sync slow enough to watch (screenshots and
   * tests of the progress banner); not for production use. */
  self->page_size = PAGE_SIZE;
  if (g_getenv ("SIGNPOST_SYNC_PAGE_SIZE") != NULL)
    self->page_size = CLAMP (g_ascii_strtoull (g_getenv ("SIGNPOST_SYNC_PAGE_SIZE"), NULL, 10), 1, 5000);
}

/* ---- public API ----------------------------------------------------------------- */

SignpostSyncEngine *
signpost_sync_engine_new (void)
{
  return g_object_new (SIGNPOST_TYPE_SYNC_ENGINE, NULL);
}

void
signpost_sync_engine_login_async (SignpostSyncEngine  *self,
                                  const char          *server_url,
                                  const char          *username,
                                  const char          *password,
                                  const char          *role,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  LoginData *login;

  g_return_if_fail (SIGNPOST_IS_SYNC_ENGINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, signpost_sync_engine_login_async);

  url = normalise_server_url (server_url, &error);
  if (url == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (username == NULL || *username == '\0')
    {
      g_task_return_new_error (task, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_CREDENTIALS,
                               _("Enter your username"));
      return;
    }
  if (password == NULL || *password == '\0')
    {
      g_task_return_new_error (task, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_CREDENTIALS,
                               _("Enter your password"));
      return;
    }

  login = g_new0 (LoginData, 1);
  login->server_url = g_steal_pointer (&url);
  login->username = g_strdup (username);
  login->password = g_strdup (password);
  login->role = g_strdup (role);
  login->allow_offline = TRUE;
  g_task_set_task_data (task, login, login_data_free);
  send_login (self, g_steal_pointer (&task));
}

gboolean
signpost_sync_engine_login_finish (SignpostSyncEngine  *self,
                                   GAsyncResult        *result,
                                   GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
signpost_sync_engine_start (SignpostSyncEngine *self)
{
  g_return_if_fail (SIGNPOST_IS_SYNC_ENGINE (self));
  g_return_if_fail (self->cache != NULL);

  if (self->started)
    return;
  self->started = TRUE;
  self->reconnect_attempt = 0;
  if (self->token == NULL)
    {
      /* Signed in offline: keep trying the server in the background. */
      update_state (self);
      schedule_reconnect (self);
      return;
    }
  connect_live (self);
}

void
signpost_sync_engine_stop (SignpostSyncEngine *self)
{
  g_return_if_fail (SIGNPOST_IS_SYNC_ENGINE (self));

  self->started = FALSE;
  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  self->generation++;
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
    }
  drop_websocket (self);
  self->connecting = FALSE;
  self->pulling = FALSE;
  self->pull_again = FALSE;
  self->sending = FALSE;
  self->sending_views = FALSE;
  update_state (self);
}

void
signpost_sync_engine_reconnect_now (SignpostSyncEngine *self)
{
  g_return_if_fail (SIGNPOST_IS_SYNC_ENGINE (self));

  if (!self->started || self->ws != NULL || self->connecting)
    return;
  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  self->reconnect_attempt = 0;
  reconnect_cb (self);
}

static void
logout_replied (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  /* Signing out here always succeeds; telling the server is best effort. */
  g_task_return_boolean (task, TRUE);
}

void
signpost_sync_engine_logout_async (SignpostSyncEngine  *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  g_return_if_fail (SIGNPOST_IS_SYNC_ENGINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, signpost_sync_engine_logout_async);

  signpost_sync_engine_stop (self);
  if (self->token != NULL && self->server_url != NULL)
    msg = new_message (self, "POST", "logout", NULL);

  g_clear_pointer (&self->token, g_free);
  if (self->password != NULL)
    sodium_memzero (self->password, strlen (self->password));
  g_clear_pointer (&self->password, g_free);
  close_cache (self);
  set_user (self, NULL, SIGNPOST_ROLE_NAVIGATOR, NULL);
  g_clear_pointer (&self->practice_id, g_free);
  set_last_error (self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRACTICE_ID]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOGGED_IN]);

  if (msg == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  soup_message_set_priority (msg, SOUP_MESSAGE_PRIORITY_HIGH);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    logout_replied, g_steal_pointer (&task));
}

gboolean
signpost_sync_engine_logout_finish (SignpostSyncEngine  *self,
                                    GAsyncResult        *result,
                                    GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
command_replied (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignpostSyncEngine *self = g_task_get_source_object (task);
  SoupMessage *msg = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonObject) reply = NULL;
  JsonNode *results;
  SignpostMutationResult *mutation_result = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_error (task, transport_error (self, error));
      return;
    }
  if (soup_message_get_status (msg) != SOUP_STATUS_OK)
    {
      g_task_return_error (task, http_error (self, msg, body));
      return;
    }
  {
    gsize length;
    const char *data = g_bytes_get_data (body, &length);
    reply = signpost_json_parse_object (data, length, 0, NULL);
  }
  results = reply ? json_object_get_member (reply, "results") : NULL;
  if (results != NULL && JSON_NODE_HOLDS_ARRAY (results) &&
      json_array_get_length (json_node_get_array (results)) == 1 &&
      JSON_NODE_HOLDS_OBJECT (json_array_get_element (json_node_get_array (results), 0)))
    mutation_result = signpost_object_new_from_json (SIGNPOST_TYPE_MUTATION_RESULT,
                                                     json_array_get_object_element (json_node_get_array (results), 0),
                                                     SIGNPOST_DECODE_PATCH, NULL);
  if (mutation_result == NULL)
    {
      g_task_return_new_error (task, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_PROTOCOL,
                               _("The server’s answer could not be read."));
      return;
    }
  g_task_return_pointer (task, mutation_result, g_object_unref);
}

void
signpost_sync_engine_send_command_async (SignpostSyncEngine  *self,
                                         SignpostMutation    *mutation,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonArray) mutations = NULL;
  g_autoptr(JsonObject) envelope = NULL;
  g_autoptr(JsonNode) body = NULL;
  SoupMessage *msg;

  g_return_if_fail (SIGNPOST_IS_SYNC_ENGINE (self));
  g_return_if_fail (SIGNPOST_IS_MUTATION (mutation));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, signpost_sync_engine_send_command_async);

  if (self->ws == NULL || self->token == NULL)
    {
      g_task_return_new_error (task, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_OFFLINE,
                               _("Phones are unavailable while this PC is offline."));
      return;
    }
  if (signpost_mutation_get_mutation_id (mutation) == NULL)
    {
      g_autofree char *uuid = g_uuid_string_random ();
      signpost_mutation_set_mutation_id (mutation, uuid);
    }
  mutations = json_array_new ();
  json_array_add_element (mutations, signpost_object_to_json_node (SIGNPOST_OBJECT (mutation)));
  envelope = json_object_new ();
  json_object_set_array_member (envelope, "mutations", json_array_ref (mutations));
  body = json_node_init_object (json_node_alloc (), envelope);
  msg = new_message (self, "POST", "mutations", body);
  /* A call waiting on a key press goes before any background work. */
  soup_message_set_priority (msg, SOUP_MESSAGE_PRIORITY_VERY_HIGH);
  g_task_set_task_data (task, msg, g_object_unref);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_HIGH, cancellable,
                                    command_replied, g_steal_pointer (&task));
}

SignpostMutationResult *
signpost_sync_engine_send_command_finish (SignpostSyncEngine  *self,
                                          GAsyncResult        *result,
                                          GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The body of a GET's 200 answer, or an error already returned on @task. */
static GBytes *
read_reply (GTask        *task,
            GObject      *source,
            GAsyncResult *result)
{
  SignpostSyncEngine *self = g_task_get_source_object (task);
  SoupMessage *msg = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_error (task, transport_error (self, error));
      return NULL;
    }
  if (soup_message_get_status (msg) != SOUP_STATUS_OK)
    {
      g_task_return_error (task, http_error (self, msg, body));
      return NULL;
    }
  if (g_bytes_get_size (body) > MAX_RESPONSE_SIZE)
    {
      g_task_return_new_error (task, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_PROTOCOL,
                               _("The server’s answer was too large to read."));
      return NULL;
    }
  return g_steal_pointer (&body);
}

static void
json_replied (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) body = read_reply (task, source, result);
  g_autoptr(GError) error = NULL;
  const char *data;
  gsize length;
  JsonNode *node;

  if (body == NULL)
    return;
  data = g_bytes_get_data (body, &length);
  node = signpost_json_parse (data, length, MAX_RESPONSE_SIZE, &error);
  if (node == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
}

/* Sends GET @path for a new task tagged @source_tag (its task data
 * becomes the message), or returns why it cannot on the task. */
static void
send_get (SignpostSyncEngine  *self,
          const char          *path,
          gpointer             source_tag,
          GAsyncReadyCallback  replied,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  SoupMessage *msg;

  g_task_set_source_tag (task, source_tag);

  if (self->token == NULL || self->server_url == NULL)
    {
      g_task_return_new_error (task, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_OFFLINE,
                               _("This needs the server, and this PC is offline."));
      g_object_unref (task);
      return;
    }
  msg = new_message (self, "GET", path, NULL);
  if (msg == NULL)
    {
      g_task_return_new_error (task, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_FAILED,
                               "Not a valid path: %s", path);
      g_object_unref (task);
      return;
    }
  g_task_set_task_data (task, msg, g_object_unref);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), replied, task);
}

void
signpost_sync_engine_get_json_async (SignpostSyncEngine  *self,
                                     const char          *path,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (SIGNPOST_IS_SYNC_ENGINE (self));
  g_return_if_fail (path != NULL);

  send_get (self, path, signpost_sync_engine_get_json_async, json_replied, cancellable, callback, user_data);
}

JsonNode *
signpost_sync_engine_get_json_finish (SignpostSyncEngine  *self,
                                      GAsyncResult        *result,
                                      GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
bytes_replied (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GBytes *body = read_reply (task, source, result);

  if (body != NULL)
    g_task_return_pointer (task, body, (GDestroyNotify) g_bytes_unref);
}

void
signpost_sync_engine_get_bytes_async (SignpostSyncEngine  *self,
                                      const char          *path,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (SIGNPOST_IS_SYNC_ENGINE (self));
  g_return_if_fail (path != NULL);

  send_get (self, path, signpost_sync_engine_get_bytes_async, bytes_replied, cancellable, callback, user_data);
}

GBytes *
signpost_sync_engine_get_bytes_finish (SignpostSyncEngine  *self,
                                       GAsyncResult        *result,
                                       char               **content_type,
                                       GError             **error)
{
  GBytes *bytes;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == signpost_sync_engine_get_bytes_async, NULL);

  bytes = g_task_propagate_pointer (G_TASK (result), error);
  if (content_type != NULL)
    {
      SoupMessage *msg = g_task_get_task_data (G_TASK (result));

      *content_type = bytes != NULL && msg != NULL
        ? g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Content-Type"))
        : NULL;
    }
  return bytes;
}

void
signpost_sync_engine_report_view (SignpostSyncEngine *self,
                                  const char         *patient_id,
                                  const char         *context)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (SIGNPOST_IS_SYNC_ENGINE (self));

  if (self->cache == NULL || patient_id == NULL)
    return;
  if (!signpost_cache_queue_view (self->cache, patient_id, context, &error))
    g_warning ("Could not keep a patient view for the audit log: %s", error->message);
  send_views (self);
}

SignpostSyncState
signpost_sync_engine_get_state (SignpostSyncEngine *self)
{
  g_return_val_if_fail (SIGNPOST_IS_SYNC_ENGINE (self), SIGNPOST_SYNC_STATE_OFFLINE);
  return self->state;
}

const char *
signpost_sync_engine_get_last_error (SignpostSyncEngine *self)
{
  g_return_val_if_fail (SIGNPOST_IS_SYNC_ENGINE (self), NULL);
  return self->last_error;
}

const char *
signpost_sync_engine_get_server_url (SignpostSyncEngine *self)
{
  g_return_val_if_fail (SIGNPOST_IS_SYNC_ENGINE (self), NULL);
  return self->server_url;
}

const char *
signpost_sync_engine_get_username (SignpostSyncEngine *self)
{
  g_return_val_if_fail (SIGNPOST_IS_SYNC_ENGINE (self), NULL);
  return self->username;
}

SignpostUser *
signpost_sync_engine_get_user (SignpostSyncEngine *self)
{
  g_return_val_if_fail (SIGNPOST_IS_SYNC_ENGINE (self), NULL);
  return self->user;
}

SignpostRole
signpost_sync_engine_get_role (SignpostSyncEngine *self)
{
  g_return_val_if_fail (SIGNPOST_IS_SYNC_ENGINE (self), SIGNPOST_ROLE_NAVIGATOR);
  return self->role;
}

GListModel *
signpost_sync_engine_get_practices (SignpostSyncEngine *self)
{
  g_return_val_if_fail (SIGNPOST_IS_SYNC_ENGINE (self), NULL);
  return G_LIST_MODEL (self->practices);
}

const char *
signpost_sync_engine_get_practice_id (SignpostSyncEngine *self)
{
  g_return_val_if_fail (SIGNPOST_IS_SYNC_ENGINE (self), NULL);
  return self->practice_id;
}

void
signpost_sync_engine_set_practice_id (SignpostSyncEngine *self,
                                      const char         *practice_id)
{
  g_return_if_fail (SIGNPOST_IS_SYNC_ENGINE (self));

  if (practice_id != NULL && *practice_id == '\0')
    practice_id = NULL;
  if (g_strcmp0 (self->practice_id, practice_id) == 0)
    return;
  g_free (self->practice_id);
  self->practice_id = g_strdup (practice_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRACTICE_ID]);
}

SignpostCache *
signpost_sync_engine_get_cache (SignpostSyncEngine *self)
{
  g_return_val_if_fail (SIGNPOST_IS_SYNC_ENGINE (self), NULL);
  return self->cache;
}

SignpostOutbox *
signpost_sync_engine_get_outbox (SignpostSyncEngine *self)
{
  g_return_val_if_fail (SIGNPOST_IS_SYNC_ENGINE (self), NULL);
  return self->outbox;
}

SignpostCallHub *
signpost_sync_engine_get_call_hub (SignpostSyncEngine *self)
{
  g_return_val_if_fail (SIGNPOST_IS_SYNC_ENGINE (self), NULL);
  return self->call_hub;
}

double
signpost_sync_engine_get_progress (SignpostSyncEngine *self)
{
  g_return_val_if_fail (SIGNPOST_IS_SYNC_ENGINE (self), 0.0);
  return self->progress;
}

gboolean
signpost_sync_engine_get_first_sync (SignpostSyncEngine *self)
{
  g_return_val_if_fail (SIGNPOST_IS_SYNC_ENGINE (self), FALSE);
  return self->first_sync;
}

guint
signpost_sync_engine_get_n_synced (SignpostSyncEngine *self)
{
  g_return_val_if_fail (SIGNPOST_IS_SYNC_ENGINE (self), 0);
  return self->n_synced;
}

gboolean
signpost_sync_engine_get_logged_in (SignpostSyncEngine *self)
{
  g_return_val_if_fail (SIGNPOST_IS_SYNC_ENGINE (self), FALSE);
  return self->cache != NULL;
}

const char *
signpost_sync_engine_get_tls_ca_file (SignpostSyncEngine *self)
{
  g_return_val_if_fail (SIGNPOST_IS_SYNC_ENGINE (self), NULL);
  return self->ca_file;
}

void
signpost_sync_engine_set_tls_ca_file (SignpostSyncEngine *self,
                                      const char         *path)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (SIGNPOST_IS_SYNC_ENGINE (self));

  if (path != NULL && *path == '\0')
    path = NULL;
  if (g_strcmp0 (self->ca_file, path) == 0)
    return;
  g_free (self->ca_file);
  self->ca_file = g_strdup (path);
  g_list_free_full (g_steal_pointer (&self->ca_certificates), g_object_unref);
  if (path != NULL)
    {
      self->ca_certificates = g_tls_certificate_list_new_from_file (path, &error);
      if (error != NULL)
        g_warning ("Could not read the certificate file %s: %s", path, error->message);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TLS_CA_FILE]);
}
