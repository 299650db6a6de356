/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-callgen"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "signpost-core.h"
#include "signpost-callgen-client.h"
#include "signpost-webhook-signature.h"

/*
 * The simulator's side of the wire: JSON requests to /api/v1 with the
 * session's bearer token, and signed webhook posts. HTTP statuses are
 * returned, not turned into errors; a GError means the request never got
 * an answer (refused, reset, cancelled).
 */

/* A /changes page of 5000 patients runs to a few MiB. */
#define MAX_REPLY_SIZE (64 * 1024 * 1024)

struct _SignpostCallgenClient
{
  GObject parent_instance;

  SoupSession *session;
  char *base_url;   /* ends in "/api/v1/" */
  char *token;
};

G_DEFINE_FINAL_TYPE (SignpostCallgenClient, signpost_callgen_client, G_TYPE_OBJECT)

void
signpost_callgen_reply_free (SignpostCallgenReply *reply)
{
  if (reply == NULL)
    return;
  g_clear_pointer (&reply->object, json_object_unref);
  g_free (reply);
}

/* A string member of untrusted JSON, or NULL whatever else is there. */
const char *
signpost_callgen_json_get_string (JsonObject *object,
                                  const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* One line for a log: the status and the problem's detail if any. */
char *
signpost_callgen_reply_describe (SignpostCallgenReply *reply)
{
  const char *detail = NULL;
  const char *field;

  g_return_val_if_fail (reply != NULL, NULL);

  detail = signpost_callgen_json_get_string (reply->object, "detail");
  if (detail == NULL)
    detail = signpost_callgen_json_get_string (reply->object, "title");
  field = signpost_callgen_json_get_string (reply->object, "field");
  if (detail != NULL && field != NULL && !g_str_has_prefix (detail, field))
    return g_strdup_printf ("HTTP %u: %s: %s", reply->status, field, detail);
  if (detail != NULL)
    return g_strdup_printf ("HTTP %u: %s", reply->status, detail);
  return g_strdup_printf ("HTTP %u %s", reply->status,
                          soup_status_get_phrase (reply->status));
}

static void
signpost_callgen_client_finalize (GObject *object)
{
  SignpostCallgenClient *self = SIGNPOST_CALLGEN_CLIENT (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->token, g_free);

  G_OBJECT_CLASS (signpost_callgen_client_parent_class)->finalize (object);
}

static void
signpost_callgen_client_class_init (SignpostCallgenClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = signpost_callgen_client_finalize;
}

static void
signpost_callgen_client_init (SignpostCallgenClient *self)
{
}

/**
 * signpost_callgen_client_new:
 * @server_url: the server, "http://127.0.0.1:8080" (a trailing "/api/v1"
 *   is allowed)
 * @max_conns: connections to keep to it; libsoup allows only 2 per host
 *   unless told otherwise
 */
SignpostCallgenClient *
signpost_callgen_client_new (const char  *server_url,
                             guint        max_conns,
                             GError     **error)
{
  g_autoptr(SignpostCallgenClient) self = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *text = NULL;
  const char *scheme;

  g_return_val_if_fail (server_url != NULL, NULL);

  uri = g_uri_parse (server_url, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL ||
      (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an http:// or https:// address"), server_url);
      return NULL;
    }

  text = g_strdup (server_url);
  g_strstrip (text);
  while (g_str_has_suffix (text, "/"))
    text[strlen (text) - 1] = '\0';
  if (g_str_has_suffix (text, "/api/v1"))
    text[strlen (text) - strlen ("/api/v1")] = '\0';

  self = g_object_new (SIGNPOST_TYPE_CALLGEN_CLIENT, NULL);
  self->base_url = g_strconcat (text, "/api/v1/", NULL);
  self->session = g_object_new (SOUP_TYPE_SESSION,
                                "max-conns", MAX (max_conns, 2u) * 2,
                                "max-conns-per-host", MAX (max_conns, 2u),
                                "timeout", 60,
                                "user-agent", "signpost-callgen/" PACKAGE_VERSION,
                                NULL);
  return g_steal_pointer (&self);
}

const char *
signpost_callgen_client_get_base_url (SignpostCallgenClient *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CALLGEN_CLIENT (self), NULL);

  return self->base_url;
}

void
signpost_callgen_client_set_token (SignpostCallgenClient *self,
                                   const char            *token)
{
  g_return_if_fail (SIGNPOST_IS_CALLGEN_CLIENT (self));

  g_free (self->token);
  self->token = g_strdup (token);
}

/**
 * signpost_callgen_client_set_ca_file:
 * @path: a PEM file of certificate authorities
 *
 * Trusts the authorities in @path, and only them, for an https:// server:
 * a hub's own authority, or the self-signed certificate of a test.
 */
gboolean
signpost_callgen_client_set_ca_file (SignpostCallgenClient  *self,
                                     const char             *path,
                                     GError                **error)
{
  g_autoptr(GTlsDatabase) database = NULL;

  g_return_val_if_fail (SIGNPOST_IS_CALLGEN_CLIENT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  database = g_tls_file_database_new (path, error);
  if (database == NULL)
    return FALSE;
  soup_session_set_tls_database (self->session, database);
  return TRUE;
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  SoupSession *session = SOUP_SESSION (source);
  g_autoptr(GTask) task = user_data;
  SoupMessage *msg = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(SignpostCallgenReply) reply = NULL;
  SoupMessageHeaders *headers;
  const char *retry_after;
  const char *content_type;

  bytes = soup_session_send_and_read_finish (session, result, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  reply = g_new0 (SignpostCallgenReply, 1);
  reply->status = soup_message_get_status (msg);
  reply->retry_after_s = -1;

  headers = soup_message_get_response_headers (msg);
  retry_after = soup_message_headers_get_one (headers, "Retry-After");
  if (retry_after != NULL)
    {
      guint64 value;

      if (g_ascii_string_to_unsigned (retry_after, 10, 0, 3600, &value, NULL))
        reply->retry_after_s = (int) value;
    }

  content_type = soup_message_headers_get_content_type (headers, NULL);
  if (content_type != NULL && g_bytes_get_size (bytes) > 0 &&
      (g_str_equal (content_type, "application/json") ||
       g_str_equal (content_type, "application/problem+json")))
    {
      gsize size;
      const char *data = g_bytes_get_data (bytes, &size);
      g_autoptr(GError) parse_error = NULL;

      reply->object = signpost_json_parse_object (data, size, MAX_REPLY_SIZE, &parse_error);
      if (reply->object == NULL && reply->status >= 200 && reply->status < 300)
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                   _("The server sent a reply that is not JSON: %s"),
                                   parse_error->message);
          return;
        }
    }

  g_task_return_pointer (task, g_steal_pointer (&reply), (GDestroyNotify) signpost_callgen_reply_free);
}

static void
send_message (SignpostCallgenClient *self,
              SoupMessage           *msg,
              GCancellable          *cancellable,
              GAsyncReadyCallback    callback,
              gpointer               user_data,
              gpointer               source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, g_object_ref (msg), g_object_unref);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT,
                                    cancellable, send_cb, task);
}

static SoupMessage *
new_message (SignpostCallgenClient  *self,
             const char             *method,
             const char             *path,
             GError                **error)
{
  g_autofree char *url = g_strconcat (self->base_url, path, NULL);
  SoupMessage *msg = soup_message_new (method, url);

  if (msg == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 _("Cannot make a request to “%s”"), url);
  return msg;
}

/**
 * signpost_callgen_client_request_async:
 * @path: below /api/v1/, with any query: "changes?since=0"
 * @body: (nullable): a JSON body to send
 *
 * An ordinary API request with the session's token.
 */
void
signpost_callgen_client_request_async (SignpostCallgenClient *self,
                                       const char            *method,
                                       const char            *path,
                                       JsonObject            *body,
                                       GCancellable          *cancellable,
                                       GAsyncReadyCallback    callback,
                                       gpointer               user_data)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (SIGNPOST_IS_CALLGEN_CLIENT (self));
  g_return_if_fail (method != NULL && path != NULL);

  msg = new_message (self, method, path, &error);
  if (msg == NULL)
    {
      g_task_report_error (self, callback, user_data,
                           signpost_callgen_client_request_async, g_steal_pointer (&error));
      return;
    }
  if (self->token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", self->token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (body != NULL)
    {
      gsize length;
      char *text = signpost_json_object_to_string (body, &length);
      g_autoptr(GBytes) bytes = g_bytes_new_take (text, length);

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  /* Mutations carry their mutation_id: sent twice, applied once. */
  if (g_str_equal (method, "POST") && g_str_equal (path, "mutations"))
    soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);

  send_message (self, msg, cancellable, callback, user_data,
                signpost_callgen_client_request_async);
}

/**
 * signpost_callgen_client_replay_mutations_async:
 * @token: whose batch it is (not the session's token)
 * @at_us: the replayed time the server applies it at
 *   (X-Signpost-Replay-At: demo servers only)
 *
 * POST /mutations as someone else, in the past.
 */
void
signpost_callgen_client_replay_mutations_async (SignpostCallgenClient *self,
                                                const char            *token,
                                                gint64                 at_us,
                                                JsonArray             *mutations,
                                                GCancellable          *cancellable,
                                                GAsyncReadyCallback    callback,
                                                gpointer               user_data)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_utc (at_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) at = g_date_time_add (seconds, at_us % G_USEC_PER_SEC);
  g_autofree char *at_text = signpost_timestamp_format (at);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  SoupMessageHeaders *headers;
  gsize length;
  char *text;
  g_autoptr(GBytes) bytes = NULL;

  g_return_if_fail (SIGNPOST_IS_CALLGEN_CLIENT (self));
  g_return_if_fail (token != NULL && mutations != NULL);

  msg = new_message (self, "POST", "mutations", &error);
  if (msg == NULL)
    {
      g_task_report_error (self, callback, user_data,
                           signpost_callgen_client_replay_mutations_async, g_steal_pointer (&error));
      return;
    }
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Authorization", auth);
  soup_message_headers_replace (headers, "X-Signpost-Replay-At", at_text);
  json_object_set_array_member (body, "mutations", json_array_ref (mutations));
  text = signpost_json_object_to_string (body, &length);
  bytes = g_bytes_new_take (text, length);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);

  send_message (self, msg, cancellable, callback, user_data,
                signpost_callgen_client_replay_mutations_async);
}

/* A telephony event, signed as docs/PROTOCOL.md says with the current
 * time (replayed events carry their simulated time inside the body). */
void
signpost_callgen_client_post_event_async (SignpostCallgenClient *self,
                                          const char            *secret,
                                          GBytes                *body,
                                          GCancellable          *cancellable,
                                          GAsyncReadyCallback    callback,
                                          gpointer               user_data)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *signature = NULL;
  SoupMessageHeaders *headers;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  char stamp[32];
  gsize length;
  const char *data;

  g_return_if_fail (SIGNPOST_IS_CALLGEN_CLIENT (self));
  g_return_if_fail (secret != NULL);
  g_return_if_fail (body != NULL);

  msg = new_message (self, "POST", "telephony/events", &error);
  if (msg == NULL)
    {
      g_task_report_error (self, callback, user_data,
                           signpost_callgen_client_post_event_async, g_steal_pointer (&error));
      return;
    }

  data = g_bytes_get_data (body, &length);
  signature = signpost_webhook_signature (secret, now, data, length);
  g_snprintf (stamp, sizeof stamp, "%" G_GINT64_FORMAT, now);
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, SIGNPOST_WEBHOOK_TIMESTAMP_HEADER, stamp);
  soup_message_headers_replace (headers, SIGNPOST_WEBHOOK_SIGNATURE_HEADER, signature);
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  /* The server applies an event once however often it comes. Said so,
   * libsoup sends it on a connection kept alive instead of opening a new
   * one for every POST: through a TLS proxy, a handshake an event. */
  soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);

  send_message (self, msg, cancellable, callback, user_data,
                signpost_callgen_client_post_event_async);
}

SignpostCallgenReply *
signpost_callgen_client_request_finish (SignpostCallgenClient  *self,
                                        GAsyncResult           *result,
                                        GError                **error)
{
  g_return_val_if_fail (SIGNPOST_IS_CALLGEN_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
