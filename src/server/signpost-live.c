/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "signpost-access.h"
#include "signpost-live.h"

/*
 * The WebSocket hub behind /api/v1/live.
 *
 * libsoup 3.2 queues every frame it is given without limit and never times
 * out a silent peer (keepalive-pong-timeout came in 3.5). So each client
 * has a queue of its own, and a frame is handed to libsoup only while the
 * socket is writable: the queue length is then the real backlog. A client
 * more than max_backlog frames behind, or silent for longer than the idle
 * timeout, is closed with 4000 and resyncs from its last seq; nobody else
 * waits for it. "changes" notices still in the queue are merged, since the
 * newest last_seq says all the older ones did.
 */

#define FORCE_CLOSE_MS 5000
/* Frames handed to libsoup between two checks that the socket can take
 * more: a check is a poll(2), and libsoup's own queue then holds at most
 * this many. */
#define WRITABLE_CHECK_EVERY 8
#define NOTIFY_COALESCE_MS 20

typedef struct {
  char *text;
  char *practice_id;                  /* a call event's practice */
  gboolean is_changes;
} Frame;

typedef struct {
  SignpostLive *live;                 /* unowned; outlives its clients */
  SoupWebsocketConnection *connection;
  SignpostPrincipal *principal;
  GPollableOutputStream *output;      /* NULL if not pollable */
  GQueue frames;                      /* Frame*, not yet handed to libsoup */
  Frame *pending_changes;             /* a changes notice in @frames */
  gint64 notify_seq;                  /* a changes notice to queue, or 0 */
  guint unchecked;                    /* frames sent since the last writable check */
  gint64 last_heard;                  /* monotonic µs */
  GSource *writable_source;
  guint force_close_id;
  guint remove_id;
  gboolean closing;
  const char *enqueue_practice_id;    /* set while a call event is queued */
} Client;

struct _SignpostLive
{
  GObject parent_instance;

  GPtrArray *clients;                 /* Client*, owned */
  guint ping_interval_ms;
  guint idle_timeout_ms;
  guint max_backlog;
  guint tick_id;
  guint notify_id;

  SignpostLiveRefreshFunc refresh_func;
  gpointer refresh_data;
};

G_DEFINE_FINAL_TYPE (SignpostLive, signpost_live, G_TYPE_OBJECT)

static void
frame_free (Frame *frame)
{
  g_free (frame->text);
  g_free (frame->practice_id);
  g_free (frame);
}

static void
client_free (Client *client)
{
  g_signal_handlers_disconnect_by_data (client->connection, client);
  if (client->writable_source != NULL)
    {
      g_source_destroy (client->writable_source);
      g_source_unref (client->writable_source);
    }
  g_clear_handle_id (&client->force_close_id, g_source_remove);
  g_clear_handle_id (&client->remove_id, g_source_remove);
  g_queue_clear_full (&client->frames, (GDestroyNotify) frame_free);
  g_clear_object (&client->output);
  g_clear_object (&client->principal);
  g_clear_object (&client->connection);
  g_free (client);
}

static gboolean
remove_cb (gpointer data)
{
  Client *client = data;
  SignpostLive *self = client->live;

  client->remove_id = 0;
  g_debug ("Live client %s gone (%u left)",
           signpost_principal_get_username (client->principal), self->clients->len - 1);
  g_ptr_array_remove_fast (self->clients, client);
  return G_SOURCE_REMOVE;
}

/* Removal waits for an idle moment: libsoup may report a close from inside
 * a send, while this client is still being used further up the stack. */
static void
client_remove (Client *client)
{
  client->closing = TRUE;
  g_queue_clear_full (&client->frames, (GDestroyNotify) frame_free);
  client->pending_changes = NULL;
  if (client->remove_id == 0)
    client->remove_id = g_idle_add (remove_cb, client);
}

static gboolean
force_close_cb (gpointer data)
{
  Client *client = data;
  GIOStream *stream = soup_websocket_connection_get_io_stream (client->connection);

  /* The peer never answered our close (or could not even be sent it):
   * pull the socket out from under libsoup. */
  client->force_close_id = 0;
  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
  client_remove (client);
  return G_SOURCE_REMOVE;
}

static void
client_close (Client     *client,
              gushort     code,
              const char *reason)
{
  if (client->closing)
    return;
  client->closing = TRUE;
  g_debug ("Closing live client %s: %s", signpost_principal_get_username (client->principal),
           reason);
  g_queue_clear_full (&client->frames, (GDestroyNotify) frame_free);
  client->pending_changes = NULL;
  if (soup_websocket_connection_get_state (client->connection) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (client->connection, code, reason);
  client->force_close_id = g_timeout_add (FORCE_CLOSE_MS, force_close_cb, client);
}

static void client_flush (Client *client);

static gboolean
writable_cb (GObject  *stream,
             gpointer  data)
{
  Client *client = data;

  g_clear_pointer (&client->writable_source, g_source_unref);
  client->unchecked = 0;
  client_flush (client);
  return G_SOURCE_REMOVE;
}

/* Whether frames can still go out: the peer may have begun to close, or
 * the socket be gone, before libsoup tells us with "closed". */
static gboolean
client_is_open (Client *client)
{
  return soup_websocket_connection_get_state (client->connection) == SOUP_WEBSOCKET_STATE_OPEN &&
         (client->output == NULL || !g_output_stream_is_closed (G_OUTPUT_STREAM (client->output)));
}

static void
client_flush (Client *client)
{
  while (!client->closing && !g_queue_is_empty (&client->frames))
    {
      Frame *frame;

      if (!client_is_open (client))
        {
          g_queue_clear_full (&client->frames, (GDestroyNotify) frame_free);
          client->pending_changes = NULL;
          return;
        }
      if (client->output != NULL &&
          (client->unchecked >= WRITABLE_CHECK_EVERY || client->writable_source != NULL) &&
          !g_pollable_output_stream_is_writable (client->output))
        {
          if (client->writable_source == NULL)
            {
              client->writable_source = g_pollable_output_stream_create_source (client->output,
                                                                                NULL);
              g_source_set_callback (client->writable_source, G_SOURCE_FUNC (writable_cb),
                                     client, NULL);
              g_source_attach (client->writable_source, NULL);
            }
          return;
        }
      if (client->unchecked >= WRITABLE_CHECK_EVERY)
        client->unchecked = 0;
      frame = g_queue_pop_head (&client->frames);
      if (frame == client->pending_changes)
        client->pending_changes = NULL;
      client->unchecked++;
      soup_websocket_connection_send_text (client->connection, frame->text);
      frame_free (frame);
    }
}

static void
client_enqueue_call (Client     *client,
                     char       *text,
                     const char *practice_id);

static void
client_enqueue (Client *client,
                char   *text,
                gboolean is_changes)
{
  Frame *frame;

  if (client->closing)
    {
      g_free (text);
      return;
    }
  if (is_changes && client->pending_changes != NULL)
    {
      g_free (client->pending_changes->text);
      client->pending_changes->text = text;
      return;
    }
  frame = g_new0 (Frame, 1);
  frame->text = text;
  frame->is_changes = is_changes;
  frame->practice_id = g_strdup (client->enqueue_practice_id);
  g_queue_push_tail (&client->frames, frame);
  if (is_changes)
    client->pending_changes = frame;
  if (g_queue_get_length (&client->frames) > client->live->max_backlog)
    {
      client_close (client, SIGNPOST_LIVE_CLOSE_RESYNC, "too far behind; resync");
      return;
    }
  client_flush (client);
}

static void
client_enqueue_call (Client     *client,
                     char       *text,
                     const char *practice_id)
{
  client->enqueue_practice_id = practice_id;
  client_enqueue (client, text, FALSE);
  client->enqueue_practice_id = NULL;
}

/* The client's account changed (wherever the change was made): its
 * sign-in is checked again, and it sees from now on only what the
 * account as it stands may see; call events already queued for a
 * practice it no longer works for are dropped. */
static void
client_refresh (Client *client)
{
  SignpostLive *self = client->live;
  g_autoptr(SignpostPrincipal) principal = NULL;
  GList *link;

  if (client->closing || self->refresh_func == NULL)
    return;
  principal = self->refresh_func (client->principal, self->refresh_data);
  if (principal == NULL)
    {
      client_close (client, SIGNPOST_LIVE_CLOSE_SIGNED_OUT, "signed out");
      return;
    }
  if (principal == client->principal)
    return;
  g_set_object (&client->principal, principal);
  link = client->frames.head;
  while (link != NULL)
    {
      Frame *frame = link->data;
      GList *next = link->next;

      if (frame->practice_id != NULL &&
          signpost_access_check_read (principal, SIGNPOST_RECORD_CALL, frame->practice_id,
                                      NULL) == SIGNPOST_VISIBILITY_HIDDEN)
        {
          g_queue_delete_link (&client->frames, link);
          frame_free (frame);
        }
      link = next;
    }
}

static void
message_cb (SoupWebsocketConnection *connection,
            SoupWebsocketDataType    type,
            GBytes                  *message,
            gpointer                 data)
{
  Client *client = data;
  g_autoptr(JsonObject) object = NULL;
  gsize length = 0;
  const char *bytes = g_bytes_get_data (message, &length);

  /* Anything well-formed from the client shows it is alive; pongs are
   * what it is expected to send. */
  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    return;
  object = signpost_json_parse_object (bytes, length, 64 * 1024, NULL);
  if (object == NULL)
    return;
  client->last_heard = g_get_monotonic_time ();
}

static void
closed_cb (SoupWebsocketConnection *connection,
           gpointer                 data)
{
  client_remove (data);
}

/* A copy of the client list to walk while clients may close. (A plain
 * g_ptr_array_copy() would inherit the list's free function.) */
static GPtrArray *
snapshot_clients (SignpostLive *self)
{
  GPtrArray *copy = g_ptr_array_sized_new (self->clients->len);

  for (guint i = 0; i < self->clients->len; i++)
    g_ptr_array_add (copy, g_ptr_array_index (self->clients, i));
  return copy;
}

static char *
changes_text (gint64 last_seq)
{
  return g_strdup_printf ("{\"kind\":\"changes\",\"last_seq\":%" G_GINT64_FORMAT "}", last_seq);
}

static gboolean
tick_cb (gpointer data)
{
  SignpostLive *self = data;
  gint64 now = g_get_monotonic_time ();
  gint64 wall_ms = g_get_real_time () / 1000;
  g_autoptr(GPtrArray) snapshot = snapshot_clients (self);

  for (guint i = 0; i < snapshot->len; i++)
    {
      Client *client = g_ptr_array_index (snapshot, i);

      if (client->closing)
        continue;
      if (now - client->last_heard > (gint64) self->idle_timeout_ms * 1000)
        {
          client_close (client, SIGNPOST_LIVE_CLOSE_RESYNC, "no pong; resync");
          continue;
        }
      /* Also catches account changes no notice told us of (another
       * process writing the same database). */
      client_refresh (client);
      if (!client->closing)
        client_enqueue (client,
                        g_strdup_printf ("{\"kind\":\"ping\",\"t\":%" G_GINT64_FORMAT "}", wall_ms),
                        FALSE);
    }
  return G_SOURCE_CONTINUE;
}

static void
signpost_live_dispose (GObject *object)
{
  SignpostLive *self = SIGNPOST_LIVE (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_handle_id (&self->notify_id, g_source_remove);
  if (self->clients != NULL)
    g_ptr_array_set_size (self->clients, 0);

  G_OBJECT_CLASS (signpost_live_parent_class)->dispose (object);
}

static void
signpost_live_finalize (GObject *object)
{
  SignpostLive *self = SIGNPOST_LIVE (object);

  g_clear_pointer (&self->clients, g_ptr_array_unref);

  G_OBJECT_CLASS (signpost_live_parent_class)->finalize (object);
}

static void
signpost_live_class_init (SignpostLiveClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = signpost_live_dispose;
  object_class->finalize = signpost_live_finalize;
}

static void
signpost_live_init (SignpostLive *self)
{
  self->clients = g_ptr_array_new_with_free_func ((GDestroyNotify) client_free);
}

SignpostLive *
signpost_live_new (guint ping_interval_ms,
                   guint idle_timeout_ms,
                   guint max_backlog)
{
  SignpostLive *self = g_object_new (SIGNPOST_TYPE_LIVE, NULL);

  self->ping_interval_ms = MAX (ping_interval_ms, 10);
  self->idle_timeout_ms = MAX (idle_timeout_ms, self->ping_interval_ms);
  self->max_backlog = MAX (max_backlog, 1);
  self->tick_id = g_timeout_add (self->ping_interval_ms, tick_cb, self);
  return self;
}

void
signpost_live_set_refresh_func (SignpostLive            *self,
                                SignpostLiveRefreshFunc  func,
                                gpointer                 user_data)
{
  g_return_if_fail (SIGNPOST_IS_LIVE (self));

  self->refresh_func = func;
  self->refresh_data = user_data;
}

/**
 * signpost_live_refresh_users:
 * @changed: records that changed (any kind; user records are looked at)
 *
 * Checks again the sign-in of every client whose user is among @changed,
 * and narrows or closes it (see client_refresh()).
 */
void
signpost_live_refresh_users (SignpostLive *self,
                             GPtrArray    *changed)
{
  g_autoptr(GPtrArray) snapshot = NULL;
  g_autoptr(GHashTable) users = NULL;

  g_return_if_fail (SIGNPOST_IS_LIVE (self));

  for (guint i = 0; changed != NULL && i < changed->len; i++)
    {
      SignpostRecord *record = g_ptr_array_index (changed, i);

      if (!SIGNPOST_IS_USER (record))
        continue;
      if (users == NULL)
        users = g_hash_table_new (g_str_hash, g_str_equal);
      g_hash_table_add (users, (gpointer) signpost_record_get_id (record));
    }
  if (users == NULL)
    return;
  snapshot = snapshot_clients (self);
  for (guint i = 0; i < snapshot->len; i++)
    {
      Client *client = g_ptr_array_index (snapshot, i);

      if (g_hash_table_contains (users, signpost_principal_get_user_id (client->principal)))
        client_refresh (client);
    }
}

void
signpost_live_add_client (SignpostLive            *self,
                          SoupWebsocketConnection *connection,
                          SignpostPrincipal       *principal,
                          gint64                   last_seq)
{
  Client *client;
  GIOStream *stream;

  g_return_if_fail (SIGNPOST_IS_LIVE (self));

  client = g_new0 (Client, 1);
  client->live = self;
  client->connection = g_object_ref (connection);
  client->principal = g_object_ref (principal);
  client->last_heard = g_get_monotonic_time ();
  stream = soup_websocket_connection_get_io_stream (connection);
  if (stream != NULL && G_IS_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (stream)))
    client->output = g_object_ref (G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (stream)));
  soup_websocket_connection_set_max_incoming_payload_size (connection, 64 * 1024);
  g_signal_connect (connection, "message", G_CALLBACK (message_cb), client);
  g_signal_connect (connection, "closed", G_CALLBACK (closed_cb), client);
  g_ptr_array_add (self->clients, client);

  client_enqueue (client,
                  g_strdup_printf ("{\"kind\":\"hello\",\"last_seq\":%" G_GINT64_FORMAT "}",
                                   last_seq),
                  FALSE);
}

static gboolean
client_may_see (Client    *client,
                GPtrArray *changed)
{
  for (guint i = 0; i < changed->len; i++)
    {
      SignpostRecord *record = g_ptr_array_index (changed, i);
      const char * const *user_practices = NULL;

      if (SIGNPOST_IS_USER (record))
        user_practices = signpost_user_get_practice_ids (SIGNPOST_USER (record));
      if (signpost_access_check_read (client->principal, signpost_record_get_kind (record),
                                      signpost_record_get_practice_id (record),
                                      user_practices) != SIGNPOST_VISIBILITY_HIDDEN)
        return TRUE;
    }
  return FALSE;
}

/* Change notices wait a moment (NOTIFY_COALESCE_MS), so that the commits
 * of a busy stretch make one notice per client: the newest last_seq says
 * what the older ones would have. At the 8 am surge this halves the
 * frames a commit fans out (a call event goes at once). */
static gboolean
notify_cb (gpointer data)
{
  SignpostLive *self = data;
  g_autoptr(GPtrArray) snapshot = snapshot_clients (self);

  self->notify_id = 0;
  for (guint i = 0; i < snapshot->len; i++)
    {
      Client *client = g_ptr_array_index (snapshot, i);
      gint64 seq = client->notify_seq;

      if (seq > 0)
        {
          client->notify_seq = 0;
          client_enqueue (client, changes_text (seq), TRUE);
        }
    }
  return G_SOURCE_REMOVE;
}

void
signpost_live_notify_changes (SignpostLive *self,
                              gint64        last_seq,
                              GPtrArray    *changed)
{
  gboolean any = FALSE;

  g_return_if_fail (SIGNPOST_IS_LIVE (self));

  if (changed == NULL || changed->len == 0)
    return;
  for (guint i = 0; i < self->clients->len; i++)
    {
      Client *client = g_ptr_array_index (self->clients, i);

      if (!client->closing && client_may_see (client, changed))
        {
          client->notify_seq = MAX (client->notify_seq, last_seq);
          any = TRUE;
        }
    }
  if (any && self->notify_id == 0)
    self->notify_id = g_timeout_add_full (G_PRIORITY_DEFAULT, NOTIFY_COALESCE_MS, notify_cb, self, NULL);
}

void
signpost_live_send_call_event (SignpostLive *self,
                               JsonObject   *event)
{
  g_autoptr(GPtrArray) snapshot = NULL;
  g_autoptr(JsonObject) redacted = NULL;
  g_autofree char *full_text = NULL;
  g_autofree char *redacted_text = NULL;
  const char *practice_id;

  g_return_if_fail (SIGNPOST_IS_LIVE (self));

  practice_id = json_object_get_string_member_with_default (event, "practice_id", NULL);
  full_text = signpost_json_object_to_string (event, NULL);
  redacted = json_object_new ();
  {
    JsonObjectIter iter;
    const char *key;
    JsonNode *member;

    json_object_iter_init (&iter, event);
    while (json_object_iter_next (&iter, &key, &member))
      json_object_set_member (redacted, key, json_node_copy (member));
  }
  json_object_set_null_member (redacted, "cli");
  redacted_text = signpost_json_object_to_string (redacted, NULL);

  snapshot = snapshot_clients (self);
  for (guint i = 0; i < snapshot->len; i++)
    {
      Client *client = g_ptr_array_index (snapshot, i);
      SignpostVisibility visibility;

      visibility = signpost_access_check_read (client->principal, SIGNPOST_RECORD_CALL,
                                               practice_id, NULL);
      if (visibility == SIGNPOST_VISIBILITY_FULL)
        client_enqueue_call (client, g_strdup (full_text), practice_id);
      else if (visibility == SIGNPOST_VISIBILITY_REDACTED)
        client_enqueue_call (client, g_strdup (redacted_text), practice_id);
    }
}

void
signpost_live_close_all (SignpostLive *self,
                         gushort       code,
                         const char   *reason)
{
  g_autoptr(GPtrArray) snapshot = NULL;

  g_return_if_fail (SIGNPOST_IS_LIVE (self));

  snapshot = snapshot_clients (self);
  for (guint i = 0; i < snapshot->len; i++)
    client_close (g_ptr_array_index (snapshot, i), code, reason);
}

guint
signpost_live_get_n_clients (SignpostLive *self)
{
  g_return_val_if_fail (SIGNPOST_IS_LIVE (self), 0);

  return self->clients->len;
}

JsonObject *
signpost_live_call_event_new (SignpostCall *call,
                              const char   *event,
                              GDateTime    *at)
{
  JsonObject *object = json_object_new ();
  g_autofree char *at_text = signpost_timestamp_format (at);
  const char *cli = signpost_call_get_cli (call);
  const char *answered_by = signpost_call_get_answered_by (call);

  json_object_set_string_member (object, "kind", "call");
  json_object_set_string_member (object, "event", event);
  json_object_set_string_member (object, "call_id", signpost_record_get_id (SIGNPOST_RECORD (call)));
  json_object_set_string_member (object, "practice_id",
                                 signpost_record_get_practice_id (SIGNPOST_RECORD (call)));
  json_object_set_string_member (object, "line", signpost_call_get_line (call));
  if (cli != NULL)
    json_object_set_string_member (object, "cli", cli);
  else
    json_object_set_null_member (object, "cli");
  json_object_set_string_member (object, "at", at_text);
  if (answered_by != NULL)
    json_object_set_string_member (object, "answered_by", answered_by);
  else
    json_object_set_null_member (object, "answered_by");
  return object;
}
