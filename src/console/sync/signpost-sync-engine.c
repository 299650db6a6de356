/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-sync"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <sodium.h>
#include <string.h>

#include "signpost-cache-private.h"
#include "signpost-sync-engine-private.h"
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

G_DEFINE_FINAL_TYPE (SignpostSyncEngine, signpost_sync_engine, G_TYPE_OBJECT)

GParamSpec *signpost_sync_engine_properties[N_PROPS];
guint signpost_sync_engine_signals[N_SIGNALS];

/* ---- small helpers -------------------------------------------------------- */

SignpostEngineOp *
signpost_engine_op_new (SignpostSyncEngine *self,
                        SoupMessage        *msg)
{
  SignpostEngineOp *op = g_new0 (SignpostEngineOp, 1);

  op->self = g_object_ref (self);
  op->generation = self->generation;
  op->msg = msg ? g_object_ref (msg) : NULL;
  return op;
}

void
signpost_engine_op_free (SignpostEngineOp *op)
{
  g_clear_object (&op->self);
  g_clear_object (&op->msg);
  g_clear_pointer (&op->items, g_ptr_array_unref);
  g_free (op);
}

gboolean
signpost_engine_op_is_stale (SignpostEngineOp *op)
{
  return op->generation != op->self->generation;
}

void
signpost_sync_engine_set_last_error (SignpostSyncEngine *self,
                                     const char         *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;
  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), signpost_sync_engine_properties[PROP_LAST_ERROR]);
}

/* When this PC's copy was last known to match the server, kept in the
 * cache so that a console started offline knows it too. */
static void
note_current (SignpostSyncEngine *self)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  if (self->cache == NULL)
    return;
  now = g_date_time_new_now_utc ();
  text = signpost_timestamp_format (now);
  if (!signpost_cache_set_meta (self->cache, "current_at", text, &error))
    g_warning ("Could not note when this PC’s copy was up to date: %s", error->message);
}

/* Connected and caught up: every change reaches this PC as it is made. */
static gboolean
is_live (SignpostSyncState state)
{
  return state == SIGNPOST_SYNC_STATE_ONLINE;
}

GDateTime *
signpost_sync_engine_dup_current_at (SignpostSyncEngine *self)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (SIGNPOST_IS_SYNC_ENGINE (self), NULL);

  if (is_live (self->state))
    return g_date_time_new_now_utc ();
  if (self->cache == NULL)
    return NULL;
  text = signpost_cache_dup_meta (self->cache, "current_at");
  return text != NULL ? signpost_timestamp_parse (text, NULL) : NULL;
}

void
signpost_sync_engine_update_state (SignpostSyncEngine *self)
{
  SignpostSyncState state;
  gboolean reconnecting;

  /* Lost after being live: a dropped connection being made again, which
   * the window calls "reconnecting" rather than an error. */
  if (self->ws != NULL)
    self->was_live = TRUE;
  reconnecting = self->started && self->was_live && self->ws == NULL;
  if (reconnecting != self->reconnecting)
    {
      self->reconnecting = reconnecting;
      g_object_notify_by_pspec (G_OBJECT (self), signpost_sync_engine_properties[PROP_RECONNECTING]);
    }

  if (self->ws != NULL)
    state = (self->pulling || self->sending) ? SIGNPOST_SYNC_STATE_SYNCING : SIGNPOST_SYNC_STATE_ONLINE;
  else if (self->connecting)
    state = SIGNPOST_SYNC_STATE_CONNECTING;
  else
    state = SIGNPOST_SYNC_STATE_OFFLINE;

  if (self->call_hub != NULL)
    signpost_call_hub_set_available (self->call_hub, self->ws != NULL);
  if (state == SIGNPOST_SYNC_STATE_ONLINE)
    signpost_sync_engine_set_last_error (self, NULL);
  if (self->state == state)
    return;
  if (is_live (self->state) != is_live (state))
    note_current (self);
  self->state = state;
  g_debug ("State: %s", signpost_enum_to_nick (SIGNPOST_TYPE_SYNC_STATE, state));
  g_object_notify_by_pspec (G_OBJECT (self), signpost_sync_engine_properties[PROP_STATE]);
}

void
signpost_sync_engine_set_progress (SignpostSyncEngine *self,
                                   double              progress)
{
  progress = CLAMP (progress, 0.0, 1.0);
  if (self->progress == progress)
    return;
  self->progress = progress;
  g_object_notify_by_pspec (G_OBJECT (self), signpost_sync_engine_properties[PROP_PROGRESS]);
}

char *
signpost_sync_engine_api_url (SignpostSyncEngine *self,
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
char *
signpost_sync_engine_normalise_server_url (const char  *input,
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

GError *
signpost_sync_engine_transport_error_for (const char   *url,
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

GError *
signpost_sync_engine_transport_error (SignpostSyncEngine *self,
                                      const GError       *error)
{
  return signpost_sync_engine_transport_error_for (self->server_url, error);
}

/* A problem+json body (or anything else) as an error for a reply with
 * @status. */
GError *
signpost_sync_engine_http_error (SignpostSyncEngine *self,
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

  if (status == 429 || status == SOUP_STATUS_BAD_GATEWAY || status == SOUP_STATUS_SERVICE_UNAVAILABLE ||
      status == SOUP_STATUS_GATEWAY_TIMEOUT)
    {
      const char *retry = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                        "Retry-After");
      guint64 seconds;

      /* When to try again, for the next reconnection. */
      if (retry != NULL && g_ascii_string_to_unsigned (retry, 10, 0, 3600, &seconds, NULL))
        self->retry_after_ms = (guint) seconds * 1000;
    }

  switch (status)
    {
    case SOUP_STATUS_BAD_GATEWAY:
    case SOUP_STATUS_SERVICE_UNAVAILABLE:
    case SOUP_STATUS_GATEWAY_TIMEOUT:
      {
        g_autofree char *url = g_uri_to_string (soup_message_get_uri (msg));
        g_autofree char *host = host_of (url);

        /* An instance restarting, its database restarting, or nothing
         * behind the proxy for a moment: not a fault to show, a wait. */
        return g_error_new (SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_UNREACHABLE,
                            _("The server at %s is restarting or busy and cannot answer just now."),
                            host);
      }
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

SoupMessage *
signpost_sync_engine_new_message (SignpostSyncEngine *self,
                                  const char         *method,
                                  const char         *path,
                                  JsonNode           *body)
{
  g_autofree char *url = signpost_sync_engine_api_url (self, path);
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
    case PROP_RECONNECTING:
      g_value_set_boolean (value, self->reconnecting);
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
  signpost_sync_engine_close_cache (self);
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
  signpost_sync_engine_properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, SIGNPOST_TYPE_SYNC_STATE, SIGNPOST_SYNC_STATE_OFFLINE, RO);
  signpost_sync_engine_properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL, RO);
  signpost_sync_engine_properties[PROP_SERVER_URL] = g_param_spec_string ("server-url", NULL, NULL, NULL, RO);
  signpost_sync_engine_properties[PROP_USERNAME] = g_param_spec_string ("username", NULL, NULL, NULL, RO);
  signpost_sync_engine_properties[PROP_USER] = g_param_spec_object ("user", NULL, NULL, SIGNPOST_TYPE_USER, RO);
  signpost_sync_engine_properties[PROP_ROLE] =
    g_param_spec_enum ("role", NULL, NULL, SIGNPOST_TYPE_ROLE, SIGNPOST_ROLE_NAVIGATOR, RO);
  signpost_sync_engine_properties[PROP_PRACTICES] = g_param_spec_object ("practices", NULL, NULL, G_TYPE_LIST_MODEL, RO);
  signpost_sync_engine_properties[PROP_PRACTICE_ID] = g_param_spec_string ("practice-id", NULL, NULL, NULL, RW);
  signpost_sync_engine_properties[PROP_CACHE] = g_param_spec_object ("cache", NULL, NULL, SIGNPOST_TYPE_CACHE, RO);
  signpost_sync_engine_properties[PROP_OUTBOX] = g_param_spec_object ("outbox", NULL, NULL, SIGNPOST_TYPE_OUTBOX, RO);
  signpost_sync_engine_properties[PROP_CALL_HUB] = g_param_spec_object ("call-hub", NULL, NULL, SIGNPOST_TYPE_CALL_HUB, RO);
  signpost_sync_engine_properties[PROP_PROGRESS] = g_param_spec_double ("progress", NULL, NULL, 0.0, 1.0, 0.0, RO);
  signpost_sync_engine_properties[PROP_FIRST_SYNC] = g_param_spec_boolean ("first-sync", NULL, NULL, FALSE, RO);
  signpost_sync_engine_properties[PROP_N_SYNCED] = g_param_spec_uint ("n-synced", NULL, NULL, 0, G_MAXUINT, 0, RO);
  signpost_sync_engine_properties[PROP_RECONNECTING] = g_param_spec_boolean ("reconnecting", NULL, NULL, FALSE, RO);
  signpost_sync_engine_properties[PROP_LOGGED_IN] = g_param_spec_boolean ("logged-in", NULL, NULL, FALSE, RO);
  signpost_sync_engine_properties[PROP_TLS_CA_FILE] = g_param_spec_string ("tls-ca-file", NULL, NULL, NULL, RW);
  signpost_sync_engine_properties[PROP_RECONNECT_MIN_MS] =
    g_param_spec_uint ("reconnect-min-ms", NULL, NULL, 1, G_MAXUINT, 500, RW);
  signpost_sync_engine_properties[PROP_RECONNECT_MAX_MS] =
    g_param_spec_uint ("reconnect-max-ms", NULL, NULL, 1, G_MAXUINT, 30000, RW);
#undef RO
#undef RW
  g_object_class_install_properties (object_class, N_PROPS, signpost_sync_engine_properties);

  /* The cache holds everything the server had at the last notice. */
  signpost_sync_engine_signals[CAUGHT_UP] =
    g_signal_new ("caught-up", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* The server no longer accepts this user's session and the password
   * kept for signing in again failed: show the login page. */
  signpost_sync_engine_signals[SESSION_EXPIRED] =
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
      signpost_sync_engine_update_state (self);
      signpost_sync_engine_schedule_reconnect (self);
      return;
    }
  signpost_sync_engine_connect_live (self);
}

void
signpost_sync_engine_stop (SignpostSyncEngine *self)
{
  g_return_if_fail (SIGNPOST_IS_SYNC_ENGINE (self));

  self->started = FALSE;
  self->was_live = FALSE;
  self->retry_after_ms = 0;
  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  self->generation++;
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
    }
  signpost_sync_engine_drop_websocket (self);
  self->connecting = FALSE;
  self->pulling = FALSE;
  self->pull_again = FALSE;
  self->sending = FALSE;
  self->sending_views = FALSE;
  signpost_sync_engine_update_state (self);
}

void
signpost_sync_engine_reconnect_now (SignpostSyncEngine *self)
{
  g_return_if_fail (SIGNPOST_IS_SYNC_ENGINE (self));

  if (!self->started || self->ws != NULL || self->connecting)
    return;
  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  self->reconnect_attempt = 0;
  signpost_sync_engine_reconnect_cb (self);
}

SignpostSyncState
signpost_sync_engine_get_state (SignpostSyncEngine *self)
{
  g_return_val_if_fail (SIGNPOST_IS_SYNC_ENGINE (self), SIGNPOST_SYNC_STATE_OFFLINE);
  return self->state;
}

gboolean
signpost_sync_engine_get_reconnecting (SignpostSyncEngine *self)
{
  g_return_val_if_fail (SIGNPOST_IS_SYNC_ENGINE (self), FALSE);
  return self->reconnecting;
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
  g_object_notify_by_pspec (G_OBJECT (self), signpost_sync_engine_properties[PROP_PRACTICE_ID]);
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
  g_object_notify_by_pspec (G_OBJECT (self), signpost_sync_engine_properties[PROP_TLS_CA_FILE]);
}
