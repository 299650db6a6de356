/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "signpost-live.h"
#include "signpost-telephony.h"

/* How far from now a webhook event's "at" may be. */
#define MAX_EVENT_AGE_DAYS 731
#define MAX_EVENT_AHEAD_DAYS 1

/*
 * The phone system's side of the server: a signed webhook that turns call
 * events into call records, and the queue those records form.
 *
 * The queue is a rule, not a stored list: the calls of a practice in state
 * queued or callback_requested, ordered by offered_at then call_ref. A
 * callback keeps the offered_at of the call it came from, so it keeps its
 * place. Answering one call therefore changes nobody else's record: each
 * record holds the position it had at its own last change, and live
 * positions come from /queue.
 */

struct _SignpostTelephony
{
  GObject parent_instance;

  SignpostStore *store;
};

G_DEFINE_FINAL_TYPE (SignpostTelephony, signpost_telephony, G_TYPE_OBJECT)

static const char * const events[] = {
  "call.offered", "call.callback_requested", "call.answered", "call.abandoned", "call.ended",
  "call.missed", NULL
};

static int
compare_calls (gconstpointer a,
               gconstpointer b)
{
  SignpostCall *x = *(SignpostCall **) a;
  SignpostCall *y = *(SignpostCall **) b;
  int order = g_date_time_compare (signpost_call_get_offered_at (x),
                                   signpost_call_get_offered_at (y));

  if (order != 0)
    return order;
  return g_strcmp0 (signpost_call_get_call_ref (x), signpost_call_get_call_ref (y));
}

void
signpost_queue_sort (GPtrArray *calls)
{
  g_ptr_array_sort (calls, compare_calls);
}

static gboolean
is_waiting (SignpostCall *call)
{
  SignpostCallState state = signpost_call_get_state (call);

  return state == SIGNPOST_CALL_QUEUED || state == SIGNPOST_CALL_CALLBACK_REQUESTED;
}

/* The 1-based place of @call in its practice's queue as it would be with
 * @call in its present state, or 0 when it is not waiting; -1 on error.
 * The store counts, so this costs no more with a long queue. */
gint64
signpost_queue_position (SignpostStore  *store,
                         SignpostCall   *call,
                         GError        **error)
{
  gint64 before = 0;

  if (!is_waiting (call))
    return 0;
  if (!signpost_store_count_queue_before (store,
                                          signpost_record_get_practice_id (SIGNPOST_RECORD (call)),
                                          signpost_call_get_offered_at (call),
                                          signpost_call_get_call_ref (call),
                                          &before, error))
    return -1;
  return before + 1;
}

char *
signpost_telephony_sign (const char *secret,
                         const char *timestamp,
                         const char *body,
                         gsize       length)
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) secret, strlen (secret));

  g_hmac_update (hmac, (const guchar *) timestamp, strlen (timestamp));
  g_hmac_update (hmac, (const guchar *) ".", 1);
  g_hmac_update (hmac, (const guchar *) body, length);
  return g_strdup (g_hmac_get_string (hmac));
}

/* Compares in time that depends only on the length, so a forger learns
 * nothing from how long a wrong signature took to refuse. */
static gboolean
equal_constant_time (const char *a,
                     const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  guchar diff = la != lb;

  for (gsize i = 0; i < la && i < lb; i++)
    diff |= (guchar) g_ascii_tolower (a[i]) ^ (guchar) b[i];
  return diff == 0;
}

static gboolean
parse_timestamp (const char *text,
                 gint64     *seconds)
{
  guint64 value;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64, &value, NULL))
    return FALSE;
  *seconds = value;
  return TRUE;
}

static const char *
member_string (JsonObject  *object,
               const char  *key,
               gboolean     required,
               GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, key, _("is required"));
      return NULL;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, key, _("must be a string"));
      return NULL;
    }
  return json_node_get_string (node);
}

/* The caller's number as we store it: E.164, or NULL when withheld or not
 * a number we understand (the call is still taken; it just cannot pop). */
static char *
normalise_cli (const char *cli)
{
  if (cli == NULL || signpost_phone_is_withheld (cli))
    return NULL;
  return signpost_phone_normalise (cli, NULL);
}

static gboolean
check_event (JsonObject  *object,
             GError     **error)
{
  static const char * const known[] = {
    "event", "call_ref", "line", "cli", "at", "number", "agent", NULL
  };
  JsonObjectIter iter;
  const char *key;
  JsonNode *member;
  const char *text;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &key, &member))
    if (!g_strv_contains (known, key))
      {
        if (signpost_format_check (SIGNPOST_FORMAT_KEY, key, NULL))
          signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, key, _("is not a known field"));
        else
          g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                               _("The event has a member whose name is not a known field"));
        return FALSE;
      }
  text = member_string (object, "event", TRUE, error);
  if (text == NULL)
    return FALSE;
  if (!g_strv_contains (events, text))
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "event",
                                _("is not one of the allowed values"));
      return FALSE;
    }
  text = member_string (object, "call_ref", TRUE, error);
  if (text == NULL)
    return FALSE;
  if (*text == '\0' || g_utf8_strlen (text, -1) > 128 ||
      !signpost_format_check (SIGNPOST_FORMAT_TEXT, text, NULL))
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "call_ref",
                                _("must be one line of up to 128 characters"));
      return FALSE;
    }
  member_string (object, "cli", FALSE, error);
  if (error != NULL && *error != NULL)
    return FALSE;
  member_string (object, "number", FALSE, error);
  if (error != NULL && *error != NULL)
    return FALSE;
  text = member_string (object, "agent", FALSE, error);
  if (error != NULL && *error != NULL)
    return FALSE;
  if (text != NULL && (g_utf8_strlen (text, -1) > 128 ||
                       !signpost_format_check (SIGNPOST_FORMAT_TEXT, text, NULL)))
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "agent",
                                _("must be one line of up to 128 characters"));
      return FALSE;
    }
  text = member_string (object, "at", TRUE, error);
  if (text == NULL)
    return FALSE;
  {
    g_autoptr(GDateTime) at = signpost_timestamp_parse (text, NULL);
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

    if (at == NULL)
      {
        signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "at",
                                  _("must be an ISO 8601 timestamp with a zone"));
        return FALSE;
      }
    /* Replays of past days are fine; an instant years away is a mistake
     * (a queue wait of two thousand years, say). */
    if (g_date_time_difference (now, at) > MAX_EVENT_AGE_DAYS * G_TIME_SPAN_DAY ||
        g_date_time_difference (at, now) > MAX_EVENT_AHEAD_DAYS * G_TIME_SPAN_DAY)
      {
        signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "at",
                                  _("must be within the last two years and no later than tomorrow"));
        return FALSE;
      }
  }
  return TRUE;
}

static JsonObject *
reply_new (const char *status,
           const char *call_id)
{
  JsonObject *reply = json_object_new ();

  json_object_set_string_member (reply, "status", status);
  if (call_id != NULL)
    json_object_set_string_member (reply, "call_id", call_id);
  return reply;
}

/* Moves @call on after @event; returns the live event name, or NULL when
 * the event changes nothing (a caller hanging up after asking for a
 * callback, say). */
static const char *
advance_call (SignpostCall *call,
              const char   *event,
              GDateTime    *at,
              const char   *number,
              const char   *agent)
{
  SignpostCallState state = signpost_call_get_state (call);
  gboolean waiting = state == SIGNPOST_CALL_QUEUED || state == SIGNPOST_CALL_RINGING;

  if (g_str_equal (event, "call.answered"))
    {
      /* Answered at the phone system, not through Signpost. */
      if (!waiting && state != SIGNPOST_CALL_CALLBACK_REQUESTED)
        return NULL;
      if (state == SIGNPOST_CALL_CALLBACK_REQUESTED)
        {
          /* The callback was made and the caller reached. */
          signpost_call_set_callback_outcome (call, SIGNPOST_CALLBACK_OUTCOME_REACHED);
          signpost_call_set_callback_done_at (call, at);
        }
      signpost_call_set_state (call, SIGNPOST_CALL_ANSWERED);
      signpost_call_set_answered_at (call, at);
      signpost_call_set_agent (call, agent);
      return "answered";
    }

  if (g_str_equal (event, "call.callback_requested"))
    {
      g_autofree char *normalised = normalise_cli (number);

      if (!waiting)
        return NULL;
      signpost_call_set_state (call, SIGNPOST_CALL_CALLBACK_REQUESTED);
      signpost_call_set_callback_requested_at (call, at);
      signpost_call_set_callback_number (call, normalised ? normalised : signpost_call_get_cli (call));
      return "callback_requested";
    }
  if (g_str_equal (event, "call.abandoned"))
    {
      if (!waiting)
        return NULL;
      signpost_call_set_state (call, SIGNPOST_CALL_ABANDONED);
      signpost_call_set_abandoned_at (call, at);
      return "abandoned";
    }
  if (g_str_equal (event, "call.missed"))
    {
      /* The phone system ended a waiting call without a person answering
       * (voicemail, a full queue, the closed message): ended, never
       * answered. The statistics count it as missed; consoles see an end. */
      if (!waiting)
        return NULL;
      signpost_call_set_state (call, SIGNPOST_CALL_ENDED);
      signpost_call_set_ended_at (call, at);
      return "ended";
    }
  if (g_str_equal (event, "call.ended"))
    {
      if (waiting)
        {
          /* Hung up while waiting: that is an abandoned call. */
          signpost_call_set_state (call, SIGNPOST_CALL_ABANDONED);
          signpost_call_set_abandoned_at (call, at);
          return "abandoned";
        }
      if (state != SIGNPOST_CALL_ANSWERED)
        return NULL;
      signpost_call_set_state (call, SIGNPOST_CALL_ENDED);
      signpost_call_set_ended_at (call, at);
      return "ended";
    }
  return NULL;
}

static JsonObject *
apply_event (SignpostTelephony     *self,
             JsonObject            *object,
             const char            *practice_id,
             SignpostApplyContext  *ctx,
             GError               **error)
{
  const char *event = json_object_get_string_member (object, "event");
  const char *line = json_object_get_string_member (object, "line");
  const char *call_ref = json_object_get_string_member (object, "call_ref");
  const char *cli = json_object_get_string_member_with_default (object, "cli", NULL);
  const char *number = json_object_get_string_member_with_default (object, "number", NULL);
  g_autoptr(GDateTime) at = signpost_timestamp_parse (json_object_get_string_member (object, "at"),
                                                      NULL);
  g_autofree char *key = g_strconcat (line, "\n", call_ref, "\n", event, NULL);
  g_autoptr(SignpostCall) call = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *live_event = NULL;
  gboolean fresh = FALSE;
  gint64 position;

  if (!signpost_store_remember_event (self->store, key, g_get_real_time (), &fresh, error))
    return NULL;
  call = signpost_store_find_call (self->store, line, call_ref, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (!fresh)
    return reply_new ("duplicate", call ? signpost_record_get_id (SIGNPOST_RECORD (call)) : NULL);

  if (g_str_equal (event, "call.offered"))
    {
      g_autofree char *id = NULL;
      g_autofree char *normalised = NULL;

      if (call != NULL)
        return reply_new ("duplicate", signpost_record_get_id (SIGNPOST_RECORD (call)));
      id = g_uuid_string_random ();
      normalised = normalise_cli (cli);
      call = signpost_call_new ();
      signpost_record_set_id (SIGNPOST_RECORD (call), id);
      signpost_record_set_practice_id (SIGNPOST_RECORD (call), practice_id);
      signpost_call_set_call_ref (call, call_ref);
      signpost_call_set_line (call, line);
      signpost_call_set_cli (call, normalised);
      signpost_call_set_state (call, SIGNPOST_CALL_QUEUED);
      signpost_call_set_offered_at (call, at);
      live_event = "offered";
    }
  else
    {
      if (call == NULL)
        {
          signpost_set_field_error (error, SIGNPOST_ERROR_NOT_FOUND, "call_ref",
                                    _("no call with this reference was offered on this line"));
          return NULL;
        }
      live_event = advance_call (call, event, at, number,
                                 json_object_get_string_member_with_default (object, "agent", NULL));
    }

  if (live_event != NULL)
    {
      position = signpost_queue_position (self->store, call, error);
      if (position < 0)
        return NULL;
      signpost_call_set_position (call, position);
      if (!signpost_apply_write (ctx, SIGNPOST_RECORD (call), FALSE, error) ||
          !signpost_apply_audit (ctx, "telephony", SIGNPOST_RECORD (call), event, error) ||
          !signpost_apply_call_event (ctx, call, live_event, at, error))
        return NULL;
    }
  return reply_new ("accepted", signpost_record_get_id (SIGNPOST_RECORD (call)));
}

/**
 * signpost_telephony_check:
 * @practice_id: (out): the practice whose line the event is on
 *
 * Checks one webhook delivery (signature, timestamp, line, members)
 * without writing anything. Returns the event, or %NULL with @error set
 * (its code gives the HTTP status).
 */
JsonObject *
signpost_telephony_check (SignpostTelephony  *self,
                          const char         *timestamp,
                          const char         *signature,
                          const char         *body,
                          gsize               length,
                          char              **practice_id,
                          GError            **error)
{
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *practice = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *expected = NULL;
  JsonNode *line_node;
  const char *line;
  gint64 sent;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_return_val_if_fail (SIGNPOST_IS_TELEPHONY (self), NULL);
  g_return_val_if_fail (practice_id != NULL, NULL);

  *practice_id = NULL;
  if (timestamp == NULL || signature == NULL || !g_str_has_prefix (signature, "sha256="))
    {
      g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_UNAUTHORIZED,
                           _("The event is not signed"));
      return NULL;
    }
  object = signpost_json_parse_strict_object (body, length, 0, error);
  if (object == NULL)
    return NULL;
  line_node = json_object_get_member (object, "line");
  if (line_node == NULL || !JSON_NODE_HOLDS_VALUE (line_node) ||
      json_node_get_value_type (line_node) != G_TYPE_STRING)
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "line", _("is required"));
      return NULL;
    }
  line = json_node_get_string (line_node);
  if (!signpost_store_get_line (self->store, line, &practice, &secret, error))
    return NULL;
  if (practice == NULL)
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_NOT_FOUND, "line",
                                _("is not a line of any practice here"));
      return NULL;
    }
  if (!parse_timestamp (timestamp, &sent) ||
      ABS (now - sent) > SIGNPOST_TELEPHONY_WINDOW_SECONDS)
    {
      g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_UNAUTHORIZED,
                           _("The event’s timestamp is too far from the server’s clock"));
      return NULL;
    }
  expected = signpost_telephony_sign (secret, timestamp, body, length);
  if (!equal_constant_time (signature + strlen ("sha256="), expected))
    {
      g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_UNAUTHORIZED,
                           _("The event’s signature is wrong"));
      return NULL;
    }
  if (!check_event (object, error))
    return NULL;
  *practice_id = g_steal_pointer (&practice);
  return g_steal_pointer (&object);
}

/**
 * signpost_telephony_apply:
 * @event: an event signpost_telephony_check() passed
 *
 * Applies @event inside the caller's transaction. Returns the reply body,
 * or %NULL with @error set, in which case the caller must undo what the
 * event may have written. The records written and call events to send
 * are added to @ctx, for after the commit.
 */
JsonObject *
signpost_telephony_apply (SignpostTelephony     *self,
                          JsonObject            *event,
                          const char            *practice_id,
                          SignpostApplyContext  *ctx,
                          GError               **error)
{
  g_return_val_if_fail (SIGNPOST_IS_TELEPHONY (self), NULL);

  return apply_event (self, event, practice_id, ctx, error);
}

/**
 * signpost_telephony_receive:
 *
 * Checks and applies one webhook delivery in a transaction of its own.
 * Returns the reply body, or %NULL with @error set (its code gives the
 * HTTP status). The records written and call events to send are left in
 * @ctx for after the commit.
 */
JsonObject *
signpost_telephony_receive (SignpostTelephony     *self,
                            const char            *timestamp,
                            const char            *signature,
                            const char            *body,
                            gsize                  length,
                            SignpostApplyContext  *ctx,
                            GError               **error)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autofree char *practice_id = NULL;

  g_return_val_if_fail (SIGNPOST_IS_TELEPHONY (self), NULL);

  object = signpost_telephony_check (self, timestamp, signature, body, length, &practice_id, error);
  if (object == NULL)
    return NULL;
  if (!signpost_store_begin (self->store, error))
    return NULL;
  reply = apply_event (self, object, practice_id, ctx, error);
  if (reply == NULL || !signpost_store_commit (self->store, error))
    {
      signpost_store_rollback (self->store);
      signpost_apply_context_reset (ctx);
      return NULL;
    }
  return g_steal_pointer (&reply);
}

static gint64
seconds_between (GDateTime *from,
                 GDateTime *to)
{
  return MAX (g_date_time_difference (to, from) / G_USEC_PER_SEC, 0);
}

JsonObject *
signpost_telephony_queue_summary (SignpostTelephony  *self,
                                  const char         *practice_id,
                                  GDateTime          *now,
                                  GError            **error)
{
  g_autoptr(GPtrArray) queue = NULL;
  g_autoptr(SignpostRecord) practice = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) midnight = NULL;
  g_autofree char *now_text = signpost_timestamp_format (now);
  g_autoptr(GError) local_error = NULL;
  JsonObject *summary;
  JsonArray *calls;
  gint64 waiting = 0, longest = 0, answered = 0, on_calls = 0;
  GDate today;

  g_return_val_if_fail (SIGNPOST_IS_TELEPHONY (self), NULL);

  practice = signpost_store_get_record (self->store, SIGNPOST_RECORD_PRACTICE, practice_id, NULL,
                                        &local_error);
  if (practice == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_NOT_FOUND,
                             _("There is no such practice"));
      return NULL;
    }
  queue = signpost_store_list_queue (self->store, practice_id, error);
  if (queue == NULL)
    return NULL;
  signpost_queue_sort (queue);
  tz = signpost_time_zone_new (signpost_practice_get_time_zone (SIGNPOST_PRACTICE (practice)), NULL);
  if (tz == NULL)
    tz = g_time_zone_new_utc ();
  signpost_local_date (now, tz, &today);
  midnight = signpost_local_time_to_utc (&today, 0, 0, tz);
  if (!signpost_store_count_calls (self->store, practice_id, midnight, &answered, &on_calls, error))
    return NULL;

  calls = json_array_new ();
  for (guint i = 0; i < queue->len; i++)
    {
      SignpostCall *call = g_ptr_array_index (queue, i);
      JsonObject *entry = json_object_new ();
      gboolean callback = signpost_call_get_state (call) == SIGNPOST_CALL_CALLBACK_REQUESTED;
      gint64 wait = seconds_between (signpost_call_get_offered_at (call), now);

      json_object_set_string_member (entry, "call_id", signpost_record_get_id (SIGNPOST_RECORD (call)));
      json_object_set_int_member (entry, "position", i + 1);
      json_object_set_string_member (entry, "state",
                                     signpost_enum_to_nick (SIGNPOST_TYPE_CALL_STATE,
                                                            signpost_call_get_state (call)));
      json_object_set_int_member (entry, "waiting_s", wait);
      json_object_set_boolean_member (entry, "callback", callback);
      json_array_add_object_element (calls, entry);
      if (!callback)
        {
          waiting++;
          longest = MAX (longest, wait);
        }
    }

  summary = json_object_new ();
  json_object_set_string_member (summary, "practice_id", practice_id);
  json_object_set_string_member (summary, "at", now_text);
  json_object_set_array_member (summary, "calls", calls);
  json_object_set_int_member (summary, "waiting", waiting);
  json_object_set_int_member (summary, "longest_wait_s", longest);
  /* Those further back than the first caller still holding are booked,
   * not due yet. */
  json_object_set_int_member (summary, "callbacks_due",
                              signpost_call_count_callbacks_due ((SignpostCall * const *) queue->pdata, queue->len));
  json_object_set_int_member (summary, "answered_today", answered);
  json_object_set_int_member (summary, "on_calls", on_calls);
  return summary;
}

static void
signpost_telephony_finalize (GObject *object)
{
  SignpostTelephony *self = SIGNPOST_TELEPHONY (object);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (signpost_telephony_parent_class)->finalize (object);
}

static void
signpost_telephony_class_init (SignpostTelephonyClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = signpost_telephony_finalize;
}

static void
signpost_telephony_init (SignpostTelephony *self)
{
}

SignpostTelephony *
signpost_telephony_new (SignpostStore *store)
{
  SignpostTelephony *self;

  g_return_val_if_fail (SIGNPOST_IS_STORE (store), NULL);

  self = g_object_new (SIGNPOST_TYPE_TELEPHONY, NULL);
  self->store = g_object_ref (store);
  return self;
}
