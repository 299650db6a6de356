/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "console-test-telephony.h"
#include "signpost-core.h"
#include "signpost-webhook-signature.h"

#define DEMO_LINE_SECRET "demo-line-secret"

guint
test_post_call_event (TestServer  *server,
                      const char  *event,
                      const char  *call_ref,
                      const char  *line,
                      const char  *cli,
                      const char  *number,
                      char       **call_id)
{
  /* One session per thread: benchmarks send from threads of their own. */
  static GPrivate sessions = G_PRIVATE_INIT (g_object_unref);
  SoupSession *session = g_private_get (&sessions);
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = signpost_timestamp_format (now);
  g_autofree char *text = NULL;
  g_autofree char *url = g_strconcat (test_server_get_direct_url (server), "/api/v1/telephony/events", NULL);
  g_autofree char *signature = NULL;
  g_autofree char *stamp = NULL;
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  gint64 timestamp = g_get_real_time () / G_USEC_PER_SEC;
  gsize length;

  if (session == NULL)
    {
      session = soup_session_new ();
      g_private_set (&sessions, session);
    }

  json_object_set_string_member (body, "event", event);
  json_object_set_string_member (body, "call_ref", call_ref);
  json_object_set_string_member (body, "line", line);
  json_object_set_string_member (body, "cli", cli ? cli : "withheld");
  json_object_set_string_member (body, "at", at);
  if (number != NULL)
    json_object_set_string_member (body, "number", number);
  node = json_node_init_object (json_node_alloc (), body);
  text = signpost_json_to_string (node, &length);

  signature = signpost_webhook_signature (DEMO_LINE_SECRET, timestamp, text, length);
  stamp = g_strdup_printf ("%" G_GINT64_FORMAT, timestamp);
  soup_message_headers_replace (soup_message_get_request_headers (msg), SIGNPOST_WEBHOOK_TIMESTAMP_HEADER, stamp);
  soup_message_headers_replace (soup_message_get_request_headers (msg), SIGNPOST_WEBHOOK_SIGNATURE_HEADER, signature);
  bytes = g_bytes_new (text, length);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);

  if (call_id != NULL)
    {
      const char *data = g_bytes_get_data (reply, &length);
      g_autoptr(JsonObject) answer = signpost_json_parse_object (data, length, 0, NULL);

      *call_id = answer && json_object_has_member (answer, "call_id")
                 ? g_strdup (json_object_get_string_member (answer, "call_id")) : NULL;
    }
  return soup_message_get_status (msg);
}
