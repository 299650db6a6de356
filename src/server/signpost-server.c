/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "signpost-problem.h"
#include "signpost-server-private.h"
#include "signpost-soup-workarounds.h"

/*
 * The HTTP side: routing, the early checks every request goes through, and
 * replies. The handlers themselves are in signpost-server-routes.c.
 *
 * Debian 12's libsoup 3.2 has no request-body limit and reads a body in
 * full once the headers are in, whatever status an early handler has set.
 * So a body that is too large (or chunked, with no length to judge) is
 * refused by taking the connection away from libsoup before it reads a
 * byte of the body: we write the problem reply ourselves, let the client
 * finish sending for a moment so that it sees the reply rather than a
 * reset, and close.
 */

#define PRINCIPAL_KEY "signpost-principal"
#define LIVE_PATH "/api/v1/live"
#define SHUTDOWN_POLL_MS 20
#define SHUTDOWN_GRACE_MS 10000
#define REFUSE_DRAIN_MS 2000
#define REFUSE_DRAIN_BYTES (64 * 1024 * 1024)
#define LISTEN_BACKLOG 1024

/* Bodies of requests that anyone may send (sign-in, the phone system's
 * webhook) and of GETs are small: a larger one is refused unread. */
#define SMALL_BODY (64 * 1024)

typedef struct {
  const char *path;
  const char *method;
  gboolean needs_token;
  SignpostRouteHandler handler;     /* NULL: the WebSocket */
  gsize max_body;                   /* 0: the server's limit */
  gboolean admin_only;
} Route;

static const Route routes[] = {
  { "/api/v1/healthz", "GET", FALSE, signpost_server_handle_healthz, SMALL_BODY },
  { "/api/v1/login", "POST", FALSE, signpost_server_handle_login, SMALL_BODY },
  { "/api/v1/logout", "POST", TRUE, signpost_server_handle_logout, SMALL_BODY },
  { "/api/v1/me", "GET", TRUE, signpost_server_handle_me, SMALL_BODY },
  { "/api/v1/changes", "GET", TRUE, signpost_server_handle_changes, SMALL_BODY },
  { "/api/v1/mutations", "POST", TRUE, signpost_server_handle_mutations },
  { "/api/v1/queue", "GET", TRUE, signpost_server_handle_queue, SMALL_BODY },
  { "/api/v1/telephony/events", "POST", FALSE, signpost_server_handle_telephony, SMALL_BODY },
  { "/api/v1/intake/requests", "POST", FALSE, signpost_server_handle_intake },
  { "/api/v1/audit/views", "POST", TRUE, signpost_server_handle_audit_views, SMALL_BODY },
  { "/api/v1/audit", "GET", TRUE, signpost_server_handle_audit, SMALL_BODY },
  { "/api/v1/stats/day", "GET", TRUE, signpost_server_handle_stats_day, SMALL_BODY },
  { "/api/v1/stats/staffing", "GET", TRUE, signpost_server_handle_stats_staffing, SMALL_BODY },
  { "/api/v1/stats/cbt-export", "GET", TRUE, signpost_server_handle_stats_cbt_export, SMALL_BODY },
  { "/api/v1/stats/hub", "GET", TRUE, signpost_server_handle_stats_hub, SMALL_BODY },
  { "/api/v1/admin/import/patients", "POST", TRUE, signpost_server_handle_import_patients,
    SIGNPOST_SERVER_MAX_IMPORT_BODY, TRUE },
  { "/api/v1/admin/import/clinicians", "POST", TRUE, signpost_server_handle_import_clinicians,
    SIGNPOST_SERVER_MAX_IMPORT_BODY, TRUE },
  { "/api/v1/admin/import/sessions", "POST", TRUE, signpost_server_handle_import_sessions,
    SIGNPOST_SERVER_MAX_IMPORT_BODY, TRUE },
  { LIVE_PATH, "GET", TRUE, NULL, SMALL_BODY },
};

G_DEFINE_FINAL_TYPE (SignpostServer, signpost_server, G_TYPE_OBJECT)

void
signpost_server_options_init (SignpostServerOptions *options)
{
  memset (options, 0, sizeof *options);
  options->ping_interval_ms = 15000;
  options->idle_timeout_ms = 45000;
  options->max_backlog = 256;
  options->token_lifetime_s = 12 * 60 * 60;
  options->max_body = SIGNPOST_SERVER_MAX_BODY;
  signpost_form_limits_init (&options->form_limits);
  options->request_timeout_ms = 30000;
  options->connection_idle_ms = 100000;
}

static const Route *
find_route (const char *path)
{
  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    if (g_str_equal (routes[i].path, path))
      return &routes[i];
  return NULL;
}

static gboolean
method_matches (const Route *route,
                const char  *method)
{
  if (g_str_equal (route->method, method))
    return TRUE;
  return g_str_equal (route->method, "GET") && g_str_equal (method, "HEAD");
}

/* ---- replies ----------------------------------------------------------- */

static void
set_common_headers (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
}

void
signpost_server_reply_text (SoupServerMessage *msg,
                            guint              status,
                            const char        *content_type,
                            char              *text,
                            gsize              length)
{
  set_common_headers (msg);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE, text, length);
}

void
signpost_server_reply_json (SoupServerMessage *msg,
                            guint              status,
                            JsonObject        *object)
{
  gsize length = 0;
  char *text = signpost_json_object_to_string (object, &length);

  signpost_server_reply_text (msg, status, "application/json", text, length);
}

static void
reply_problem_object (SoupServerMessage *msg,
                      JsonObject        *problem)
{
  gsize length = 0;
  char *text = signpost_json_object_to_string (problem, &length);
  guint status = json_object_get_int_member (problem, "status");

  signpost_server_reply_text (msg, status, "application/problem+json", text, length);
}

void
signpost_server_reply_error (SoupServerMessage *msg,
                             const GError      *error)
{
  g_autoptr(JsonObject) problem = signpost_problem_from_error (error);
  guint status = signpost_error_http_status (error);

  if (status == SOUP_STATUS_INTERNAL_SERVER_ERROR)
    g_warning ("%s %s failed: %s", soup_server_message_get_method (msg),
               g_uri_get_path (soup_server_message_get_uri (msg)), error->message);
  if (status == SOUP_STATUS_UNAUTHORIZED)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "WWW-Authenticate", "Bearer realm=\"signpost\"");
  /* Unavailable for now (shutting down, the database reconnecting): say
   * when to come back, unless the handler already has. */
  if (status == SOUP_STATUS_SERVICE_UNAVAILABLE &&
      soup_message_headers_get_one (soup_server_message_get_response_headers (msg),
                                    "Retry-After") == NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "Retry-After", SIGNPOST_SERVER_RETRY_AFTER_S);
  reply_problem_object (msg, problem);
}

void
signpost_server_reply_problem (SoupServerMessage *msg,
                               SignpostErrorCode  code,
                               const char        *field,
                               const char        *detail)
{
  g_autoptr(GError) error = NULL;

  signpost_set_field_error (&error, code, field, "%s", detail);
  signpost_server_reply_error (msg, error);
}

JsonObject *
signpost_server_read_json_object (SignpostServer     *self,
                                  SoupServerMessage  *msg,
                                  GError            **error)
{
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  gsize length = 0;
  const char *data = g_bytes_get_data (body, &length);

  return signpost_json_parse_strict_object (data, length, self->max_body, error);
}

/* ---- client address ---------------------------------------------------- */

/* The client's address: the peer's, unless the peer is the trusted
 * reverse proxy, in which case the address it appended to
 * X-Forwarded-For (the last one; anything before it is the client's word). */
const char *
signpost_server_client_address (SignpostServer    *self,
                                SoupServerMessage *msg)
{
  const char *peer = soup_server_message_get_remote_host (msg);
  const char *forwarded;
  const char *last;
  g_autofree char *candidate = NULL;

  if (self->trusted_proxy == NULL || g_strcmp0 (peer, self->trusted_proxy) != 0)
    return peer;
  forwarded = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                             "X-Forwarded-For");
  if (forwarded == NULL)
    return peer;
  last = strrchr (forwarded, ',');
  candidate = g_strstrip (g_strdup (last ? last + 1 : forwarded));
  if (!g_hostname_is_ip_address (candidate))
    return peer;
  /* Kept on the message so the string lives as long as the request. */
  g_object_set_data_full (G_OBJECT (msg), "signpost-client", g_steal_pointer (&candidate), g_free);
  return g_object_get_data (G_OBJECT (msg), "signpost-client");
}

/* Whether the visitor's own connection is HTTPS: ours, or the trusted
 * proxy's (which says so in X-Forwarded-Proto). */
gboolean
signpost_server_client_is_secure (SignpostServer    *self,
                                  SoupServerMessage *msg)
{
  const char *proto;

  if (self->https)
    return TRUE;
  if (self->trusted_proxy == NULL ||
      g_strcmp0 (soup_server_message_get_remote_host (msg), self->trusted_proxy) != 0)
    return FALSE;
  proto = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                        "X-Forwarded-Proto");
  return proto != NULL && g_ascii_strcasecmp (proto, "https") == 0;
}

/* ---- in-flight requests ------------------------------------------------ */

static void message_finalized (gpointer data, GObject *where);

static void
in_flight_remove (SignpostServer    *self,
                  SoupServerMessage *msg)
{
  if (g_hash_table_remove (self->in_flight, msg))
    g_object_weak_unref (G_OBJECT (msg), message_finalized, self);
}

static void
message_finalized (gpointer  data,
                   GObject  *where)
{
  SignpostServer *self = data;

  g_hash_table_remove (self->in_flight, where);
}

/* A request counts from when its headers are in: an idle keep-alive
 * connection has a message waiting too, but nothing to finish. */
static void
in_flight_add (SignpostServer    *self,
               SoupServerMessage *msg)
{
  if (g_hash_table_add (self->in_flight, msg))
    g_object_weak_ref (G_OBJECT (msg), message_finalized, self);
}

static void
request_done_cb (SoupServer        *soup,
                 SoupServerMessage *msg,
                 SignpostServer    *self)
{
  in_flight_remove (self, msg);
}

/* ---- refusing a body before it is read --------------------------------- */

typedef struct {
  GIOStream *stream;
  GSocket *socket;
  GBytes *reply;
  guint8 buffer[16 * 1024];
  gsize drained;
  gint64 deadline;
  /* A client that stops reading or sending must not hold the connection:
   * everything is given up after twice the drain time. */
  GCancellable *cancellable;
  guint give_up_id;
} Refusal;

static gboolean
refusal_give_up (gpointer data)
{
  Refusal *refusal = data;

  refusal->give_up_id = 0;
  g_cancellable_cancel (refusal->cancellable);
  return G_SOURCE_REMOVE;
}

static void
refusal_free (Refusal *refusal)
{
  g_clear_handle_id (&refusal->give_up_id, g_source_remove);
  g_clear_object (&refusal->cancellable);
  g_clear_object (&refusal->stream);
  g_clear_object (&refusal->socket);
  g_clear_pointer (&refusal->reply, g_bytes_unref);
  g_free (refusal);
}

static void
refusal_closed (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  g_io_stream_close_finish (G_IO_STREAM (source), result, NULL);
  refusal_free (data);
}

static void
refusal_close (Refusal *refusal)
{
  g_io_stream_close_async (refusal->stream, G_PRIORITY_DEFAULT, NULL, refusal_closed, refusal);
}

static void
refusal_drained (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  Refusal *refusal = data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n <= 0 || (refusal->drained += n) >= REFUSE_DRAIN_BYTES ||
      g_get_monotonic_time () >= refusal->deadline)
    {
      refusal_close (refusal);
      return;
    }
  g_input_stream_read_async (G_INPUT_STREAM (source), refusal->buffer, sizeof refusal->buffer,
                             G_PRIORITY_DEFAULT, refusal->cancellable, refusal_drained, refusal);
}

static void
refusal_written (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  Refusal *refusal = data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL) ||
      refusal->socket == NULL)
    {
      refusal_close (refusal);
      return;
    }
  /* Tell the client we are done, then swallow what it is still sending
   * (for a short while) so that closing does not reset the connection
   * under our reply. */
  g_output_stream_flush (G_OUTPUT_STREAM (source), NULL, NULL);
  g_socket_shutdown (refusal->socket, FALSE, TRUE, NULL);
  refusal->deadline = g_get_monotonic_time () + REFUSE_DRAIN_MS * 1000;
  g_input_stream_read_async (g_io_stream_get_input_stream (refusal->stream), refusal->buffer,
                             sizeof refusal->buffer, G_PRIORITY_DEFAULT, refusal->cancellable,
                             refusal_drained, refusal);
}

static void
refuse_and_close (SignpostServer    *self,
                  SoupServerMessage *msg,
                  JsonObject        *problem,
                  const char        *extra_headers)
{
  g_autofree char *body = NULL;
  g_autofree char *head = NULL;
  const char *content_type = "application/problem+json";
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  Refusal *refusal;
  gsize length = 0;
  GSocket *socket;
  guint status = json_object_get_int_member (problem, "status");

  /* A patient's browser gets a page it can show. */
  if (g_str_has_prefix (path, SIGNPOST_FORM_PREFIX))
    {
      body = signpost_request_form_refusal_page (status, &length);
      content_type = "text/html; charset=utf-8";
    }
  else
    body = signpost_json_object_to_string (problem, &length);
  head = g_strdup_printf ("HTTP/1.1 %u %s\r\n"
                          "Content-Type: %s\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                          "Cache-Control: no-store\r\n"
                          "X-Content-Type-Options: nosniff\r\n"
                          "%s"
                          "Connection: close\r\n\r\n",
                          status, soup_status_get_phrase (status), content_type, length,
                          extra_headers ? extra_headers : "");
  refusal = g_new0 (Refusal, 1);
  socket = signpost_soup_guard_get_socket (self->guard, msg);
  refusal->socket = socket ? g_object_ref (socket) : NULL;
  {
    GString *reply = g_string_new (head);

    g_string_append_len (reply, body, length);
    refusal->reply = g_string_free_to_bytes (reply);
  }
  in_flight_remove (self, msg);
  signpost_soup_guard_taken (self->guard, msg);
  refusal->stream = soup_server_message_steal_connection (msg);
  if (refusal->stream == NULL)
    {
      refusal_free (refusal);
      return;
    }
  refusal->cancellable = g_cancellable_new ();
  refusal->give_up_id = g_timeout_add (2 * REFUSE_DRAIN_MS, refusal_give_up, refusal);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (refusal->stream),
                                   g_bytes_get_data (refusal->reply, NULL),
                                   g_bytes_get_size (refusal->reply),
                                   G_PRIORITY_DEFAULT, refusal->cancellable, refusal_written, refusal);
}

static gboolean
has_body (SoupMessageHeaders *headers)
{
  switch (soup_message_headers_get_encoding (headers))
    {
    case SOUP_ENCODING_CONTENT_LENGTH:
      return soup_message_headers_get_content_length (headers) != 0;
    case SOUP_ENCODING_CHUNKED:
    case SOUP_ENCODING_EOF:
    case SOUP_ENCODING_UNRECOGNIZED:
    case SOUP_ENCODING_BYTERANGES:
      return TRUE;
    case SOUP_ENCODING_NONE:
    default:
      return FALSE;
    }
}

/* Refuses @msg in the early handler. libsoup 3.2 would go on to read the
 * body (into memory) whatever the status; a request with a body is
 * therefore answered and closed before any of it is read. */
static void
early_refuse (SignpostServer    *self,
              SoupServerMessage *msg,
              const GError      *error,
              const char        *extra_header,
              const char        *extra_value)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(JsonObject) problem = NULL;
  g_autofree char *extra = NULL;

  if (signpost_error_http_status (error) == SOUP_STATUS_UNAUTHORIZED && extra_header == NULL)
    {
      extra_header = "WWW-Authenticate";
      extra_value = "Bearer realm=\"signpost\"";
    }
  /* Unavailable for now (the database reconnecting): when to come back. */
  if (signpost_error_http_status (error) == SOUP_STATUS_SERVICE_UNAVAILABLE && extra_header == NULL)
    {
      extra_header = "Retry-After";
      extra_value = SIGNPOST_SERVER_RETRY_AFTER_S;
    }
  if (!has_body (headers))
    {
      if (extra_header != NULL)
        soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                      extra_header, extra_value);
      signpost_server_reply_error (msg, error);
      return;
    }
  problem = signpost_problem_from_error (error);
  if (extra_header != NULL)
    extra = g_strdup_printf ("%s: %s\r\n", extra_header, extra_value);
  refuse_and_close (self, msg, problem, extra);
}

G_GNUC_PRINTF (3, 4)
static void
early_refuse_with (SignpostServer    *self,
                   SoupServerMessage *msg,
                   const char        *format,
                   ...)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (&error, SIGNPOST_ERROR, SIGNPOST_ERROR_MALFORMED, detail);
  early_refuse (self, msg, error, NULL, NULL);
}

/* RFC 9112 §6.3: a Content-Length that is not one whole number makes the
 * message's length unknowable; libsoup 3.2 would wait for ever. */
static gboolean
content_length_is_valid (SoupMessageHeaders *headers)
{
  const char *value = soup_message_headers_get_list (headers, "Content-Length");
  guint64 parsed;

  return value == NULL ||
         g_ascii_string_to_unsigned (value, 10, 0, G_MAXINT64, &parsed, NULL);
}

typedef struct {
  const char *name;
  guint count;
} HeaderCount;

static void
count_header (const char *name,
              const char *value,
              gpointer    data)
{
  HeaderCount *count = data;

  if (g_ascii_strcasecmp (name, count->name) == 0)
    count->count++;
}

static guint
header_count (SoupMessageHeaders *headers,
              const char         *name)
{
  HeaderCount count = { name, 0 };

  soup_message_headers_foreach (headers, count_header, &count);
  return count.count;
}

/* ---- handlers ---------------------------------------------------------- */

static void
early_handler (SoupServer        *soup,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           data)
{
  SignpostServer *self = data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *method = soup_server_message_get_method (msg);
  const Route *route = find_route (path);
  gsize max_body;

  in_flight_add (self, msg);
  if (g_str_has_prefix (path, SIGNPOST_FORM_PREFIX))
    max_body = SIGNPOST_FORM_MAX_BODY;
  else
    max_body = route != NULL && route->max_body > 0 ? route->max_body : self->max_body;

  /* Framing and size first: nothing else may make libsoup read a body we
   * refuse. Every refusal below is made before any of the body is read. */
  if (!content_length_is_valid (headers))
    {
      g_autoptr(JsonObject) problem = signpost_problem_new (SOUP_STATUS_BAD_REQUEST,
                                                            signpost_error_code_nick (SIGNPOST_ERROR_MALFORMED),
                                                            signpost_error_code_title (SIGNPOST_ERROR_MALFORMED),
                                                            _("Content-Length must be one whole number"),
                                                            NULL);

      refuse_and_close (self, msg, problem, NULL);
      return;
    }
  switch (soup_message_headers_get_encoding (headers))
    {
    case SOUP_ENCODING_CHUNKED:
      {
        g_autoptr(JsonObject) problem = signpost_problem_new (SOUP_STATUS_LENGTH_REQUIRED,
                                                              "length-required",
                                                              _("Length required"),
                                                              _("Send the body with a Content-Length, not chunked"),
                                                              NULL);

        refuse_and_close (self, msg, problem, NULL);
        return;
      }
    case SOUP_ENCODING_CONTENT_LENGTH:
      {
        if (soup_message_headers_get_content_length (headers) > (goffset) max_body)
          {
            g_autofree char *size = g_strdup_printf ("%" G_GOFFSET_FORMAT,
                                                     soup_message_headers_get_content_length (headers));
            g_autofree char *limit_text = g_strdup_printf ("%" G_GSIZE_FORMAT, max_body);
            /* Translators: two sizes in bytes */
            g_autofree char *detail = g_strdup_printf (_("The body is %s bytes; the limit is %s"),
                                                       size, limit_text);
            g_autoptr(JsonObject) problem = NULL;

            problem = signpost_problem_new (SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                                            signpost_error_code_nick (SIGNPOST_ERROR_TOO_LARGE),
                                            signpost_error_code_title (SIGNPOST_ERROR_TOO_LARGE),
                                            detail, NULL);
            refuse_and_close (self, msg, problem, NULL);
            return;
          }
      }
      break;
    case SOUP_ENCODING_UNRECOGNIZED:
    case SOUP_ENCODING_NONE:
    case SOUP_ENCODING_EOF:
    case SOUP_ENCODING_BYTERANGES:
    default:
      break;
    }

  if (self->shutting_down)
    {
      g_autoptr(GError) error = NULL;

      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Connection", "close");
      g_set_error_literal (&error, SIGNPOST_ERROR, SIGNPOST_ERROR_UNAVAILABLE,
                           _("The server is shutting down"));
      early_refuse (self, msg, error, NULL, NULL);
      return;
    }

  /* The public pages answer for themselves, with pages, not problems. */
  if (g_str_has_prefix (path, SIGNPOST_FORM_PREFIX))
    return;
  if (route == NULL)
    {
      g_autoptr(GError) error = NULL;

      g_set_error_literal (&error, SIGNPOST_ERROR, SIGNPOST_ERROR_NOT_FOUND,
                           _("There is nothing at this address"));
      early_refuse (self, msg, error, NULL, NULL);
      return;
    }
  if (!method_matches (route, method))
    {
      g_autoptr(GError) error = NULL;

      g_set_error_literal (&error, SIGNPOST_ERROR, SIGNPOST_ERROR_METHOD,
                           _("This address does not take that method"));
      early_refuse (self, msg, error, "Allow",
                    g_str_equal (route->method, "GET") ? "GET, HEAD" : route->method);
      return;
    }
  /* Two tokens could be read two ways (by us, by a proxy in front). */
  if (header_count (headers, "Authorization") > 1)
    {
      early_refuse_with (self, msg, "%s", _("Send one Authorization header, not several"));
      return;
    }
  if (route->needs_token)
    {
      g_autoptr(GError) error = NULL;
      SignpostPrincipal *principal;

      principal = signpost_auth_authenticate (self->auth,
                                              soup_message_headers_get_one (headers, "Authorization"),
                                              signpost_server_client_address (self, msg), &error);
      /* A body (a list to import, past the usual limit, say) is read
       * only for someone allowed to send it. */
      if (principal == NULL)
        {
          early_refuse (self, msg, error, NULL, NULL);
          return;
        }
      g_object_set_data_full (G_OBJECT (msg), PRINCIPAL_KEY, principal, g_object_unref);
      if (route->admin_only && signpost_principal_get_role (principal) != SIGNPOST_ROLE_ADMIN)
        {
          g_set_error_literal (&error, SIGNPOST_ERROR, SIGNPOST_ERROR_FORBIDDEN,
                               _("Only an administrator may do this"));
          early_refuse (self, msg, error, NULL, NULL);
          return;
        }
    }
  /* libsoup would refuse a plain GET here with a bare 400 of its own. */
  if (route->handler == NULL &&
      !soup_message_headers_header_contains (headers, "Upgrade", "websocket"))
    early_refuse_with (self, msg, "%s", _("This address takes WebSocket connections only"));
}

static void
handler (SoupServer        *soup,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           data)
{
  SignpostServer *self = data;
  const Route *route = find_route (path);

  if (g_str_has_prefix (path, SIGNPOST_FORM_PREFIX))
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      SignpostApplyContext ctx;

      signpost_apply_context_init (&ctx, self->store, NULL, now);
      signpost_request_form_handle (self->form, msg, path, signpost_server_client_address (self, msg),
                                    signpost_server_client_is_secure (self, msg), &ctx);
      signpost_server_publish (self, ctx.changed, ctx.call_events);
      signpost_apply_context_clear (&ctx);
      return;
    }
  /* The early handler has answered anything it refused. */
  if (route == NULL)
    {
      signpost_server_reply_problem (msg, SIGNPOST_ERROR_NOT_FOUND, NULL,
                                     _("There is nothing at this address"));
      return;
    }
  if (route->handler == NULL)
    {
      signpost_server_reply_problem (msg, SIGNPOST_ERROR_MALFORMED, NULL,
                                     _("This address takes WebSocket connections only"));
      return;
    }
  route->handler (self, msg, query, g_object_get_data (G_OBJECT (msg), PRINCIPAL_KEY));
}

static void
websocket_handler (SoupServer              *soup,
                   SoupServerMessage       *msg,
                   const char              *path,
                   SoupWebsocketConnection *connection,
                   gpointer                 data)
{
  SignpostServer *self = data;
  SignpostPrincipal *principal = g_object_get_data (G_OBJECT (msg), PRINCIPAL_KEY);
  g_autoptr(GError) error = NULL;
  gint64 last_seq;

  in_flight_remove (self, msg);
  signpost_soup_guard_taken (self->guard, msg);
  if (principal == NULL || self->shutting_down)
    {
      soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, NULL);
      return;
    }
  last_seq = signpost_store_get_last_seq (self->store, &error);
  if (last_seq < 0)
    {
      g_warning ("Could not read the last change number: %s", error->message);
      soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_SERVER_ERROR, NULL);
      return;
    }
  signpost_live_add_client (self->live, connection, principal, last_seq);
}

static SignpostPrincipal *
refresh_live_client (SignpostPrincipal *principal,
                     gpointer           data)
{
  SignpostServer *self = data;

  return signpost_auth_refresh (self->auth, principal);
}

void
signpost_server_publish (SignpostServer *self,
                         GPtrArray      *changed,
                         GPtrArray      *call_events)
{
  g_autoptr(GError) error = NULL;

  /* Accounts first, whoever changed them (this instance's requests, the
   * notices of another): nothing below may go to a socket whose user has
   * just lost the right to it. Then call events: a ringing phone is the
   * more urgent news. */
  signpost_live_refresh_users (self->live, changed);
  for (guint i = 0; call_events != NULL && i < call_events->len; i++)
    signpost_live_send_call_event (self->live, g_ptr_array_index (call_events, i));
  if (changed != NULL && changed->len > 0)
    {
      gint64 last_seq = signpost_store_get_last_seq (self->store, &error);

      if (last_seq >= 0)
        signpost_live_notify_changes (self->live, last_seq, changed);
      else
        g_warning ("Could not read the last change number: %s", error->message);
    }
}

/* ---- writes made elsewhere --------------------------------------------- */

#define ELSEWHERE_PAGE 50000

typedef struct {
  GPtrArray *changed;
  GHashTable *seen;               /* "kind practice_id" */
  gint64 last_seq;
  guint rows;
} Elsewhere;

/* What the live notices need of a change: its kind and practice, and for
 * a user the practices they work for. One stand-in per kind and practice
 * is enough, however many records an import wrote. */
static gboolean
gather_change (const SignpostStoredChange *change,
               gpointer                    data)
{
  Elsewhere *gather = data;
  g_autofree char *key = NULL;
  SignpostRecord *record = NULL;

  gather->last_seq = change->seq;
  gather->rows++;
  if (change->kind == SIGNPOST_RECORD_USER && !change->deleted)
    record = signpost_object_new_from_string (SIGNPOST_TYPE_USER, change->data,
                                              change->data_length, SIGNPOST_DECODE_FULL, NULL);
  if (record == NULL)
    {
      key = g_strdup_printf ("%d %s", change->kind, change->practice_id);
      if (g_hash_table_contains (gather->seen, key))
        return TRUE;
      record = g_object_new (signpost_record_type_for_kind (change->kind), NULL);
      signpost_record_set_id (record, change->id);
      signpost_record_set_practice_id (record, change->practice_id);
      g_hash_table_add (gather->seen, g_steal_pointer (&key));
    }
  g_ptr_array_add (gather->changed, record);
  return TRUE;
}

/* An admin command (or another instance) wrote to our database: tell the
 * consoles, through the same path as our own writes. */
static void
changed_elsewhere_cb (SignpostStore  *store,
                      gint64          since,
                      SignpostServer *self)
{
  g_autoptr(GError) error = NULL;
  Elsewhere gather = { 0 };

  gather.changed = g_ptr_array_new_with_free_func (g_object_unref);
  gather.seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gather.last_seq = since;
  do
    {
      gather.rows = 0;
      if (!signpost_store_foreach_change (store, gather.last_seq, ELSEWHERE_PAGE, gather_change,
                                          &gather, &error))
        {
          g_warning ("Could not read changes made elsewhere: %s", error->message);
          break;
        }
    }
  while (gather.rows == ELSEWHERE_PAGE);
  g_debug ("%u kinds of change made elsewhere after %" G_GINT64_FORMAT, gather.changed->len, since);
  signpost_server_publish (self, gather.changed, NULL);
  g_ptr_array_unref (gather.changed);
  g_hash_table_unref (gather.seen);
}

/* A call event that another instance on the database wrote: to this
 * instance's consoles, as if written here. It comes from our own
 * database, but is checked as input all the same. */
static void
announced_elsewhere_cb (SignpostStore  *store,
                        const char     *text,
                        SignpostServer *self)
{
  g_autoptr(JsonObject) event = NULL;
  g_autoptr(GPtrArray) events = NULL;

  event = signpost_json_parse_object (text, strlen (text), SIGNPOST_STORE_ANNOUNCE_MAX, NULL);
  if (event == NULL ||
      g_strcmp0 (json_object_get_string_member_with_default (event, "kind", NULL), "call") != 0 ||
      json_object_get_string_member_with_default (event, "practice_id", NULL) == NULL)
    {
      g_debug ("Ignoring an announcement that is not a call event");
      return;
    }
  events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_ptr_array_add (events, g_steal_pointer (&event));
  signpost_server_publish (self, NULL, events);
}

/* ---- object ------------------------------------------------------------ */

static void
signpost_server_dispose (GObject *object)
{
  SignpostServer *self = SIGNPOST_SERVER (object);

  if (self->store != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->store, changed_elsewhere_cb, self);
      g_signal_handlers_disconnect_by_func (self->store, announced_elsewhere_cb, self);
    }
  /* Received in full and checked: store them before going. */
  if (self->store != NULL && self->telephony != NULL)
    signpost_server_flush_webhooks (self);
  g_clear_handle_id (&self->webhook_flush_id, g_source_remove);

  if (self->guard != NULL)
    signpost_soup_guard_stop (self->guard);
  if (self->soup != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->soup, self);
      soup_server_disconnect (self->soup);
    }
  if (self->in_flight != NULL)
    {
      GHashTableIter iter;
      gpointer msg;

      g_hash_table_iter_init (&iter, self->in_flight);
      while (g_hash_table_iter_next (&iter, &msg, NULL))
        {
          g_object_weak_unref (msg, message_finalized, self);
          g_hash_table_iter_remove (&iter);
        }
    }
  g_clear_handle_id (&self->shutdown_timeout_id, g_source_remove);
  g_clear_object (&self->live);
  g_clear_pointer (&self->guard, signpost_soup_guard_free);
  g_clear_object (&self->soup);
  g_clear_object (&self->telephony);
  g_clear_object (&self->form);
  g_clear_object (&self->intake);
  g_clear_object (&self->auth);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (signpost_server_parent_class)->dispose (object);
}

static void
signpost_server_finalize (GObject *object)
{
  SignpostServer *self = SIGNPOST_SERVER (object);

  g_clear_pointer (&self->in_flight, g_hash_table_unref);
  g_clear_pointer (&self->trusted_proxy, g_free);
  g_clear_pointer (&self->webhooks, g_ptr_array_unref);

  G_OBJECT_CLASS (signpost_server_parent_class)->finalize (object);
}

static void
signpost_server_class_init (SignpostServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = signpost_server_dispose;
  object_class->finalize = signpost_server_finalize;
}

static void
signpost_server_init (SignpostServer *self)
{
  self->in_flight = g_hash_table_new (NULL, NULL);
  self->webhooks = signpost_server_webhook_queue_new ();
}

SignpostServer *
signpost_server_new (SignpostStore               *store,
                     const SignpostServerOptions *options)
{
  SignpostServerOptions defaults;
  SignpostServer *self;

  g_return_val_if_fail (SIGNPOST_IS_STORE (store), NULL);

  if (options == NULL)
    {
      signpost_server_options_init (&defaults);
      options = &defaults;
    }
  self = g_object_new (SIGNPOST_TYPE_SERVER, NULL);
  self->store = g_object_ref (store);
  self->trusted_proxy = g_strdup (options->trusted_proxy);
  self->max_body = options->max_body ? options->max_body : SIGNPOST_SERVER_MAX_BODY;
  self->replayed_time = options->replayed_time;
  self->auth = signpost_auth_new (store, options->token_lifetime_s);
  self->live = signpost_live_new (options->ping_interval_ms, options->idle_timeout_ms,
                                  options->max_backlog);
  signpost_live_set_refresh_func (self->live, refresh_live_client, self);
  self->telephony = signpost_telephony_new (store);
  self->intake = signpost_intake_new (store);
  self->form = signpost_request_form_new (store, self->intake, &options->form_limits);
  g_signal_connect (store, "changed-elsewhere", G_CALLBACK (changed_elsewhere_cb), self);
  g_signal_connect (store, "announced-elsewhere", G_CALLBACK (announced_elsewhere_cb), self);
  {
    g_autoptr(GError) error = NULL;

    if (!signpost_store_watch_changes (store, &error))
      g_warning ("Writes by other processes will not reach live consoles: %s", error->message);
  }

  self->soup = soup_server_new ("server-header", "signpost/" PACKAGE_VERSION " ", NULL);
  self->guard = signpost_soup_guard_new (self->soup, options->request_timeout_ms,
                                         options->connection_idle_ms);
  soup_server_add_early_handler (self->soup, NULL, early_handler, self, NULL);
  soup_server_add_handler (self->soup, NULL, handler, self, NULL);
  soup_server_add_early_handler (self->soup, LIVE_PATH, early_handler, self, NULL);
  soup_server_add_websocket_handler (self->soup, LIVE_PATH, NULL, NULL, websocket_handler,
                                     self, NULL);
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (request_done_cb), self);
  g_signal_connect (self->soup, "request-aborted", G_CALLBACK (request_done_cb), self);
  return self;
}

gboolean
signpost_server_listen (SignpostServer  *self,
                        const char      *address,
                        guint            port,
                        const char      *tls_cert,
                        const char      *tls_key,
                        GError         **error)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;

  g_return_val_if_fail (SIGNPOST_IS_SERVER (self), FALSE);

  inet = g_inet_address_new_from_string (address ? address : "127.0.0.1");
  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an IP address"), address);
      return FALSE;
    }
  if (tls_cert != NULL || tls_key != NULL)
    {
      if (tls_cert == NULL || tls_key == NULL)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("TLS needs both a certificate and a key"));
          return FALSE;
        }
      certificate = g_tls_certificate_new_from_files (tls_cert, tls_key, error);
      if (certificate == NULL)
        return FALSE;
    }
  /* Our own socket, for a deeper accept queue than GSocket's default of
   * ten: at 08:00 every console in a hub connects at once. */
  socket_address = g_inet_socket_address_new (inet, port);
  listener = g_socket_new (g_inet_address_get_family (inet), G_SOCKET_TYPE_STREAM,
                           G_SOCKET_PROTOCOL_TCP, error);
  if (listener == NULL)
    return FALSE;
  g_socket_set_listen_backlog (listener, LISTEN_BACKLOG);
  if (!g_socket_bind (listener, socket_address, TRUE, error) ||
      !g_socket_listen (listener, error))
    return FALSE;
  bound = g_socket_get_local_address (listener, error);
  if (bound == NULL ||
      !signpost_soup_guard_listen (self->guard, listener, certificate, error))
    return FALSE;
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  self->https = certificate != NULL;
  return TRUE;
}

guint
signpost_server_get_port (SignpostServer *self)
{
  g_return_val_if_fail (SIGNPOST_IS_SERVER (self), 0);
  return self->port;
}

gboolean
signpost_server_is_https (SignpostServer *self)
{
  g_return_val_if_fail (SIGNPOST_IS_SERVER (self), FALSE);
  return self->https;
}

SignpostStore *
signpost_server_get_store (SignpostServer *self)
{
  g_return_val_if_fail (SIGNPOST_IS_SERVER (self), NULL);
  return self->store;
}

/* Requests whose headers are in and whose reply is not yet out. */
guint
signpost_server_get_n_in_flight (SignpostServer *self)
{
  g_return_val_if_fail (SIGNPOST_IS_SERVER (self), 0);
  return g_hash_table_size (self->in_flight);
}

SignpostLive *
signpost_server_get_live (SignpostServer *self)
{
  g_return_val_if_fail (SIGNPOST_IS_SERVER (self), NULL);
  return self->live;
}

static gboolean
shutdown_poll_cb (gpointer data)
{
  SignpostServer *self = data;
  g_autoptr(GTask) task = NULL;

  if ((g_hash_table_size (self->in_flight) > 0 || signpost_live_get_n_clients (self->live) > 0) &&
      g_get_monotonic_time () < self->shutdown_deadline)
    return G_SOURCE_CONTINUE;

  self->shutdown_timeout_id = 0;
  task = g_steal_pointer (&self->shutdown_task);
  if (g_hash_table_size (self->in_flight) > 0)
    g_message ("Shutting down with %u requests unfinished", g_hash_table_size (self->in_flight));
  signpost_soup_guard_stop (self->guard);
  soup_server_disconnect (self->soup);
  g_task_return_boolean (task, TRUE);
  return G_SOURCE_REMOVE;
}

/**
 * signpost_server_shutdown_async:
 *
 * Stops taking requests (new ones get 503), lets those in progress finish,
 * closes every WebSocket with 1001, then closes the listeners. The store
 * is left to the caller.
 */
void
signpost_server_shutdown_async (SignpostServer      *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SIGNPOST_IS_SERVER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, signpost_server_shutdown_async);
  if (self->shutdown_task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("The server is already shutting down"));
      return;
    }
  self->shutting_down = TRUE;
  signpost_live_close_all (self->live, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "server shutting down");
  self->shutdown_deadline = g_get_monotonic_time () + SHUTDOWN_GRACE_MS * 1000;
  self->shutdown_task = g_steal_pointer (&task);
  self->shutdown_timeout_id = g_timeout_add (SHUTDOWN_POLL_MS, shutdown_poll_cb, self);
}

gboolean
signpost_server_shutdown_finish (SignpostServer  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
