/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-sync"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "signpost-cache-private.h"
#include "signpost-sync-engine-private.h"
#include "signpost-sync-error.h"

/* What SignpostActions sends and asks for directly: call commands (at
 * once, never queued) and the raw GETs under /api/v1 behind its reads. */

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
        g_task_return_error (task, signpost_sync_engine_transport_error (self, error));
      return;
    }
  if (soup_message_get_status (msg) != SOUP_STATUS_OK)
    {
      g_task_return_error (task, signpost_sync_engine_http_error (self, msg, body));
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
  msg = signpost_sync_engine_new_message (self, "POST", "mutations", body);
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
        g_task_return_error (task, signpost_sync_engine_transport_error (self, error));
      return NULL;
    }
  if (soup_message_get_status (msg) != SOUP_STATUS_OK)
    {
      g_task_return_error (task, signpost_sync_engine_http_error (self, msg, body));
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
  msg = signpost_sync_engine_new_message (self, "GET", path, NULL);
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
  signpost_sync_engine_send_views (self);
}

void
signpost_sync_engine_report_request_view (SignpostSyncEngine *self,
                                          const char         *triage_id,
                                          const char         *context)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (SIGNPOST_IS_SYNC_ENGINE (self));

  if (self->cache == NULL || triage_id == NULL)
    return;
  if (!signpost_cache_queue_request_view (self->cache, triage_id, context, &error))
    g_warning ("Could not keep a request view for the audit log: %s", error->message);
  signpost_sync_engine_send_views (self);
}
