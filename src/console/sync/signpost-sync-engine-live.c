/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-sync"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "signpost-cache-private.h"
#include "signpost-sync-engine-private.h"
#include "signpost-sync-enum-types.h"
#include "signpost-sync-error.h"

/* Connected: the live WebSocket, the change feed pulled in pages, then the
 * outbox sent in order and the patient views to audit. */

/* ---- the live connection -------------------------------------------------- */

void
signpost_sync_engine_stop_watchdog (SignpostSyncEngine *self)
{
  g_clear_handle_id (&self->watchdog_source, g_source_remove);
}

void
signpost_sync_engine_drop_websocket (SignpostSyncEngine *self)
{
  g_autoptr(SoupWebsocketConnection) ws = g_steal_pointer (&self->ws);

  signpost_sync_engine_stop_watchdog (self);
  if (ws == NULL)
    return;
  g_signal_handlers_disconnect_by_data (ws, self);
  if (soup_websocket_connection_get_state (ws) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
}

gboolean
signpost_sync_engine_reconnect_cb (gpointer user_data)
{
  SignpostSyncEngine *self = user_data;

  self->reconnect_source = 0;
  if (self->token == NULL)
    signpost_sync_engine_relogin (self);
  else
    signpost_sync_engine_connect_live (self);
  return G_SOURCE_REMOVE;
}

void
signpost_sync_engine_schedule_reconnect (SignpostSyncEngine *self)
{
  guint64 delay;

  if (!self->started || self->reconnect_source != 0)
    return;
  /* Exponential backoff with "equal jitter": half fixed, half random, so a
   * practice's PCs do not all come back in the same millisecond. */
  delay = (guint64) self->reconnect_min_ms << MIN (self->reconnect_attempt, 16);
  delay = MIN (delay, self->reconnect_max_ms);
  delay = delay / 2 + g_random_int_range (0, (gint32) MAX (delay / 2, 1) + 1);
  /* The server (or the proxy) said when it expects to answer again. */
  delay = MAX (delay, MIN (self->retry_after_ms, self->reconnect_max_ms));
  self->retry_after_ms = 0;
  self->reconnect_attempt++;
  g_debug ("Reconnecting in %" G_GUINT64_FORMAT " ms", delay);
  self->reconnect_source = g_timeout_add ((guint) delay, signpost_sync_engine_reconnect_cb, self);
}

void
signpost_sync_engine_connection_lost (SignpostSyncEngine *self,
                                      const GError       *error)
{
  self->generation++;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  signpost_sync_engine_drop_websocket (self);
  self->connecting = FALSE;
  self->pulling = FALSE;
  self->pull_again = FALSE;
  self->sending = FALSE;
  self->sending_views = FALSE;
  if (self->call_hub != NULL)
    signpost_call_hub_reset (self->call_hub);
  if (error != NULL)
    signpost_sync_engine_set_last_error (self, error->message);
  signpost_sync_engine_update_state (self);
  signpost_sync_engine_schedule_reconnect (self);
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
      signpost_sync_engine_request_pull (self);
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
  signpost_sync_engine_connection_lost (self, error);
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
      signpost_sync_engine_connection_lost (self, error);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
websocket_connected (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(SignpostEngineOp) op = user_data;
  SignpostSyncEngine *self = op->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupWebsocketConnection) ws = NULL;

  ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (signpost_engine_op_is_stale (op))
    return;
  self->connecting = FALSE;

  if (ws == NULL)
    {
      if (soup_message_get_status (op->msg) == SOUP_STATUS_UNAUTHORIZED)
        {
          g_clear_pointer (&self->token, g_free);
          signpost_sync_engine_relogin (self);
          return;
        }
      if (soup_message_get_status (op->msg) != SOUP_STATUS_NONE)
        {
          g_autoptr(GError) http = signpost_sync_engine_http_error (self, op->msg, NULL);
          signpost_sync_engine_connection_lost (self, http);
        }
      else
        {
          g_autoptr(GError) mapped = signpost_sync_engine_transport_error (self, error);
          signpost_sync_engine_connection_lost (self, mapped);
        }
      return;
    }

  self->ws = g_steal_pointer (&ws);
  self->last_frame_us = g_get_monotonic_time ();
  g_signal_connect (self->ws, "message", G_CALLBACK (on_ws_message), self);
  g_signal_connect (self->ws, "closed", G_CALLBACK (on_ws_closed), self);
  g_signal_connect (self->ws, "error", G_CALLBACK (on_ws_error), self);
  self->watchdog_source = g_timeout_add_seconds (WATCHDOG_INTERVAL_S, watchdog_cb, self);
  signpost_sync_engine_update_state (self);

  /* The hello frame says how far to go; pull now anyway. */
  signpost_sync_engine_request_pull (self);
}

void
signpost_sync_engine_connect_live (SignpostSyncEngine *self)
{
  g_autoptr(SoupMessage) msg = NULL;

  if (!self->started || self->ws != NULL || self->connecting)
    return;
  msg = signpost_sync_engine_new_message (self, "GET", "live", NULL);
  if (msg == NULL)
    return;
  self->connecting = TRUE;
  signpost_sync_engine_update_state (self);
  soup_session_websocket_connect_async (self->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        self->cancellable, websocket_connected, signpost_engine_op_new (self, msg));
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
      g_object_notify_by_pspec (G_OBJECT (self), signpost_sync_engine_properties[PROP_FIRST_SYNC]);
    }
  signpost_sync_engine_set_progress (self, 1.0);
  signpost_sync_engine_update_state (self);
  g_signal_emit (self, signpost_sync_engine_signals[CAUGHT_UP], 0);
  if (!self->sending)
    signpost_sync_engine_drain_outbox (self);
  signpost_sync_engine_send_views (self);
}

static void
page_applied (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SignpostEngineOp) op = user_data;
  SignpostSyncEngine *self = op->self;
  g_autoptr(GError) error = NULL;
  gint64 last_seq = 0;
  gboolean more = FALSE;
  guint n_changes = 0;

  if (!signpost_cache_apply_changes_finish (SIGNPOST_CACHE (source), result, &last_seq, &more,
                                            &n_changes, &error))
    {
      if (signpost_engine_op_is_stale (op))
        return;
      g_warning ("Could not apply changes: %s", error->message);
      signpost_sync_engine_connection_lost (self, error);
      return;
    }
  if (signpost_engine_op_is_stale (op))
    return;

  self->n_synced += n_changes;
  g_object_notify_by_pspec (G_OBJECT (self), signpost_sync_engine_properties[PROP_N_SYNCED]);
  self->target_seq = MAX (self->target_seq, last_seq);
  if (self->target_seq > self->start_seq)
    signpost_sync_engine_set_progress (self, (double) (last_seq - self->start_seq) / (double) (self->target_seq - self->start_seq));

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
  g_autoptr(SignpostEngineOp) op = user_data;
  SignpostSyncEngine *self = op->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (signpost_engine_op_is_stale (op))
    return;
  if (body == NULL)
    {
      g_autoptr(GError) mapped = signpost_sync_engine_transport_error (self, error);
      signpost_sync_engine_connection_lost (self, mapped);
      return;
    }
  if (soup_message_get_status (op->msg) == SOUP_STATUS_UNAUTHORIZED)
    {
      g_clear_pointer (&self->token, g_free);
      signpost_sync_engine_drop_websocket (self);
      signpost_sync_engine_relogin (self);
      return;
    }
  if (soup_message_get_status (op->msg) != SOUP_STATUS_OK)
    {
      g_autoptr(GError) http = signpost_sync_engine_http_error (self, op->msg, body);
      signpost_sync_engine_connection_lost (self, http);
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
  signpost_sync_engine_update_state (self);
  path = g_strdup_printf ("changes?since=%" G_GINT64_FORMAT "&limit=%u",
                          signpost_cache_get_last_seq (self->cache), self->page_size);
  msg = signpost_sync_engine_new_message (self, "GET", path, NULL);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, self->cancellable,
                                    page_received, signpost_engine_op_new (self, msg));
}

void
signpost_sync_engine_request_pull (SignpostSyncEngine *self)
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
  g_object_notify_by_pspec (G_OBJECT (self), signpost_sync_engine_properties[PROP_N_SYNCED]);
  if (self->first_sync)
    signpost_sync_engine_set_progress (self, 0.0);
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
  signpost_sync_engine_update_state (self);
}

static void
batch_sent (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SignpostEngineOp) op = user_data;
  SignpostSyncEngine *self = op->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonObject) reply = NULL;
  JsonNode *results_node;
  JsonArray *results;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (signpost_engine_op_is_stale (op))
    return;

  if (body == NULL)
    {
      /* The request or its answer was lost: the same mutation_ids go again
       * after the reconnect, and the server answers "duplicate" for any it
       * did apply. */
      g_autoptr(GError) mapped = signpost_sync_engine_transport_error (self, error);
      for (guint i = 0; i < op->items->len; i++)
        signpost_outbox_note_failure (self->outbox,
                                      signpost_outbox_item_get_mutation_id (g_ptr_array_index (op->items, i)),
                                      mapped->message);
      signpost_sync_engine_connection_lost (self, mapped);
      return;
    }

  status = soup_message_get_status (op->msg);
  if (status == SOUP_STATUS_UNAUTHORIZED)
    {
      g_clear_pointer (&self->token, g_free);
      signpost_sync_engine_drop_websocket (self);
      signpost_sync_engine_relogin (self);
      return;
    }
  if (status == SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE && op->items->len > 1)
    {
      self->batch_limit = MAX (op->items->len / 2, 1);
      signpost_sync_engine_drain_outbox (self);
      return;
    }
  if ((status == SOUP_STATUS_BAD_REQUEST || status == SOUP_STATUS_UNPROCESSABLE_ENTITY ||
       status == SOUP_STATUS_FORBIDDEN || status == SOUP_STATUS_NOT_FOUND ||
       status == SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE))
    {
      g_autoptr(GError) http = signpost_sync_engine_http_error (self, op->msg, body);

      if (op->items->len > 1)
        {
          /* One bad change refuses the whole envelope: find it by sending
           * them one at a time. */
          self->batch_limit = 1;
          signpost_sync_engine_drain_outbox (self);
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
      signpost_sync_engine_drain_outbox (self);
      return;
    }
  if (status != SOUP_STATUS_OK)
    {
      g_autoptr(GError) http = signpost_sync_engine_http_error (self, op->msg, body);
      for (guint i = 0; i < op->items->len; i++)
        signpost_outbox_note_failure (self->outbox,
                                      signpost_outbox_item_get_mutation_id (g_ptr_array_index (op->items, i)),
                                      http->message);
      signpost_sync_engine_connection_lost (self, http);
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
      signpost_sync_engine_connection_lost (self, protocol);
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
  signpost_sync_engine_drain_outbox (self);
}

void
signpost_sync_engine_drain_outbox (SignpostSyncEngine *self)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(JsonArray) mutations = NULL;
  g_autoptr(JsonObject) envelope = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  SignpostEngineOp *op;

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
  signpost_sync_engine_update_state (self);
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
  msg = signpost_sync_engine_new_message (self, "POST", "mutations", body);
  op = signpost_engine_op_new (self, msg);
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
  g_autoptr(SignpostEngineOp) op = user_data;
  SignpostSyncEngine *self = op->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  gint64 position = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (op->msg), "position"));
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (signpost_engine_op_is_stale (op))
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
      signpost_sync_engine_send_views (self);
    }
}

void
signpost_sync_engine_send_views (SignpostSyncEngine *self)
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
  if (view->triage_id != NULL)
    json_object_set_string_member (object, "triage_id", view->triage_id);
  else
    json_object_set_string_member (object, "patient_id", view->patient_id);
  json_object_set_string_member (object, "context", view->context ? view->context : "search");
  body = json_node_init_object (json_node_alloc (), object);
  msg = signpost_sync_engine_new_message (self, "POST", "audit/views", body);
  g_object_set_data (G_OBJECT (msg), "position", GSIZE_TO_POINTER ((gsize) view->position));
  self->sending_views = TRUE;
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_LOW, self->cancellable,
                                    view_sent, signpost_engine_op_new (self, msg));
}
