/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "server-test-util.h"
#include "signpost-telephony.h"

static char *
at_offset (int seconds)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) at = g_date_time_add_seconds (now, seconds);

  return signpost_timestamp_format (at);
}

/* Offers a call on line A and returns its id. */
static char *
offer (TestServer *ts,
       const char *call_ref,
       const char *cli,
       int         at_seconds)
{
  g_autofree char *at = at_offset (at_seconds);
  g_autofree char *body = test_event_json ("call.offered", call_ref, TEST_LINE_A, cli, at, NULL);
  g_autoptr(TestReply) reply = test_webhook (ts, TEST_SECRET_A, body, 0);
  g_autoptr(JsonObject) object = NULL;

  if (reply->status != 200)
    g_error ("offer: %u %s", reply->status, reply->body);
  object = test_reply_json (reply);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "accepted");
  return g_strdup (json_object_get_string_member (object, "call_id"));
}

static void
send_event (TestServer *ts,
            const char *event,
            const char *call_ref,
            const char *number)
{
  g_autofree char *body = test_event_json (event, call_ref, TEST_LINE_A, NULL, NULL, number);
  g_autoptr(TestReply) reply = test_webhook (ts, TEST_SECRET_A, body, 0);

  if (reply->status != 200)
    g_error ("%s: %u %s", event, reply->status, reply->body);
}

static void
test_signatures (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *body = test_event_json ("call.offered", "ref-1", TEST_LINE_A, "07700 900123",
                                           NULL, NULL);
  g_autofree char *other_line = test_event_json ("call.offered", "ref-2", "+442079469999", NULL,
                                                 NULL, NULL);
  g_autoptr(TestReply) unsigned_reply = NULL, bad = NULL, stale = NULL, ahead = NULL;
  g_autoptr(TestReply) ok = NULL, replay = NULL, wrong_line = NULL, cross = NULL;
  g_autoptr(TestReply) malformed = NULL, unknown_field = NULL, bad_event = NULL;
  g_autoptr(JsonObject) accepted = NULL, duplicate = NULL;
  g_autoptr(SignpostCall) call = NULL;
  g_autoptr(GError) error = NULL;
  gint64 seq;

  unsigned_reply = test_webhook (ts, NULL, body, 0);
  test_assert_problem (unsigned_reply, 401, NULL);
  bad = test_webhook (ts, "not-the-secret", body, 0);
  test_assert_problem (bad, 401, NULL);
  /* Line B's secret does not sign line A's events. */
  cross = test_webhook (ts, TEST_SECRET_B, body, 0);
  test_assert_problem (cross, 401, NULL);
  stale = test_webhook (ts, TEST_SECRET_A, body, -301);
  test_assert_problem (stale, 401, NULL);
  /* Well ahead: a loaded machine may take a few seconds to answer. */
  ahead = test_webhook (ts, TEST_SECRET_A, body, 330);
  test_assert_problem (ahead, 401, NULL);
  wrong_line = test_webhook (ts, TEST_SECRET_A, other_line, 0);
  test_assert_problem (wrong_line, 404, "line");
  malformed = test_webhook (ts, TEST_SECRET_A, "{\"event\":", 0);
  test_assert_problem (malformed, 400, NULL);
  unknown_field = test_webhook (ts, TEST_SECRET_A,
                                "{\"event\":\"call.offered\",\"call_ref\":\"x\",\"line\":\"" TEST_LINE_A
                                "\",\"at\":\"2026-11-23T08:00:00Z\",\"colour\":\"red\"}", 0);
  test_assert_problem (unknown_field, 422, "colour");
  bad_event = test_webhook (ts, TEST_SECRET_A,
                            "{\"event\":\"call.exploded\",\"call_ref\":\"x\",\"line\":\"" TEST_LINE_A
                            "\",\"at\":\"2026-11-23T08:00:00Z\"}", 0);
  test_assert_problem (bad_event, 422, "event");

  /* Nothing refused above left a trace. */
  {
    g_autoptr(GPtrArray) waiting = signpost_store_list_queue (test_server_store (ts), ts->practice_a,
                                                              NULL);
    g_assert_cmpuint (waiting->len, ==, 0);
  }

  ok = test_webhook (ts, TEST_SECRET_A, body, 0);
  g_assert_cmpuint (ok->status, ==, 200);
  accepted = test_reply_json (ok);
  g_assert_cmpstr (json_object_get_string_member (accepted, "status"), ==, "accepted");
  seq = signpost_store_get_last_seq (test_server_store (ts), &error);

  /* The phone system retries: applied once. */
  replay = test_webhook (ts, TEST_SECRET_A, body, 0);
  g_assert_cmpuint (replay->status, ==, 200);
  duplicate = test_reply_json (replay);
  g_assert_cmpstr (json_object_get_string_member (duplicate, "status"), ==, "duplicate");
  g_assert_cmpstr (json_object_get_string_member (duplicate, "call_id"), ==,
                   json_object_get_string_member (accepted, "call_id"));
  g_assert_cmpint (signpost_store_get_last_seq (test_server_store (ts), &error), ==, seq);

  call = test_get_record (ts, SIGNPOST_RECORD_CALL, json_object_get_string_member (accepted, "call_id"));
  g_assert_cmpint (signpost_call_get_state (call), ==, SIGNPOST_CALL_QUEUED);
  g_assert_cmpstr (signpost_call_get_cli (call), ==, "+447700900123");
  g_assert_cmpint (signpost_call_get_position (call), ==, 1);
  g_assert_cmpstr (signpost_record_get_practice_id (SIGNPOST_RECORD (call)), ==, ts->practice_a);
  test_server_free (ts);
}

static JsonObject *
queue (TestServer *ts,
       const char *token)
{
  return test_get_json (ts, "/api/v1/queue", token);
}

static const char *
queue_call (JsonObject *summary,
            guint       index)
{
  JsonArray *calls = json_object_get_array_member (summary, "calls");

  if (index >= json_array_get_length (calls))
    return NULL;
  return json_object_get_string_member (json_array_get_object_element (calls, index), "call_id");
}

static void
test_queue (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *nav = test_login (ts, "nav_a");
  g_autofree char *c1 = offer (ts, "q-1", "+447700900201", -30);
  g_autofree char *c2 = offer (ts, "q-2", "+447700900202", -20);
  g_autofree char *c3 = offer (ts, "q-3", "withheld", -10);
  g_autoptr(JsonObject) before = NULL, after = NULL, again = NULL, ended = NULL;
  g_autoptr(SignpostCall) stored = NULL;
  g_autoptr(SignpostCall) withheld = NULL;
  g_autoptr(SignpostCall) gone = NULL;
  g_autoptr(JsonObject) twice = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) end = NULL;
  g_autofree char *c4 = NULL;

  before = queue (ts, nav);
  g_assert_cmpint (json_object_get_int_member (before, "waiting"), ==, 3);
  g_assert_cmpstr (queue_call (before, 0), ==, c1);
  g_assert_cmpstr (queue_call (before, 1), ==, c2);
  g_assert_cmpstr (queue_call (before, 2), ==, c3);
  g_assert_cmpint (json_object_get_int_member (before, "longest_wait_s"), >=, 29);
  withheld = test_get_record (ts, SIGNPOST_RECORD_CALL, c3);
  g_assert_null (signpost_call_get_cli (withheld));
  g_assert_cmpint (signpost_call_get_position (withheld), ==, 3);

  answer = test_mutate_one (ts, nav, "call", "answer", c1, 0, NULL);
  g_assert_cmpstr (test_result_status (answer), ==, "applied");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (answer, "record"),
                                               "position"), ==, 0);
  /* Another navigator got there first. */
  twice = test_mutate_one (ts, nav, "call", "answer", c1, 0, NULL);
  g_assert_cmpstr (test_result_status (twice), ==, "conflict");

  after = queue (ts, nav);
  g_assert_cmpint (json_object_get_int_member (after, "waiting"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (after, "on_calls"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (after, "answered_today"), ==, 1);
  g_assert_cmpstr (queue_call (after, 0), ==, c2);
  /* Positions are derived: answering one call rewrote no other record. */
  stored = test_get_record (ts, SIGNPOST_RECORD_CALL, c2);
  g_assert_cmpint (signpost_call_get_position (stored), ==, 2);
  g_assert_cmpint (signpost_record_get_version (SIGNPOST_RECORD (stored)), ==, 1);

  end = test_mutate_one (ts, nav, "call", "end", c1, 0, NULL);
  g_assert_cmpstr (test_result_status (end), ==, "applied");

  /* The caller on q-3 hangs up while waiting: abandoned. */
  send_event (ts, "call.ended", "q-3", NULL);
  gone = test_get_record (ts, SIGNPOST_RECORD_CALL, c3);
  g_assert_cmpint (signpost_call_get_state (gone), ==, SIGNPOST_CALL_ABANDONED);
  g_assert_nonnull (signpost_call_get_abandoned_at (gone));

  c4 = offer (ts, "q-4", "+447700900204", 0);
  again = queue (ts, nav);
  g_assert_cmpstr (queue_call (again, 0), ==, c2);
  g_assert_cmpstr (queue_call (again, 1), ==, c4);
  g_assert_null (queue_call (again, 2));
  ended = test_get_json (ts, "/api/v1/queue", nav);
  g_assert_cmpint (json_object_get_int_member (ended, "on_calls"), ==, 0);
  test_server_free (ts);
}

static void
test_callbacks (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *nav = test_login (ts, "nav_a");
  g_autofree char *c1 = offer (ts, "cb-1", "+447700900301", -60);
  g_autofree char *c2 = offer (ts, "cb-2", "+447700900302", -50);
  g_autofree char *c3 = offer (ts, "cb-3", "+447700900303", -40);
  g_autoptr(JsonObject) q1 = NULL, q1b = NULL, q2 = NULL, q3 = NULL;
  g_autoptr(JsonObject) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL, r5 = NULL;
  g_autoptr(SignpostCall) call = NULL;
  g_autofree char *c4 = NULL;
  JsonObject *entry;

  /* cb-2 asks to be called back and hangs up: it keeps its place. */
  send_event (ts, "call.callback_requested", "cb-2", "07700 900999");
  send_event (ts, "call.abandoned", "cb-2", NULL);
  call = test_get_record (ts, SIGNPOST_RECORD_CALL, c2);
  g_assert_cmpint (signpost_call_get_state (call), ==, SIGNPOST_CALL_CALLBACK_REQUESTED);
  g_assert_cmpstr (signpost_call_get_callback_number (call), ==, "+447700900999");
  g_clear_object (&call);

  c4 = offer (ts, "cb-4", "+447700900304", 0);
  q1 = queue (ts, nav);
  g_assert_cmpstr (queue_call (q1, 0), ==, c1);
  g_assert_cmpstr (queue_call (q1, 1), ==, c2);
  g_assert_cmpstr (queue_call (q1, 2), ==, c3);
  g_assert_cmpstr (queue_call (q1, 3), ==, c4);
  entry = json_array_get_object_element (json_object_get_array_member (q1, "calls"), 1);
  g_assert_true (json_object_get_boolean_member (entry, "callback"));
  g_assert_cmpint (json_object_get_int_member (entry, "position"), ==, 2);
  /* cb-1 still holds ahead of it: the callback's place has not come. */
  g_assert_cmpint (json_object_get_int_member (q1, "callbacks_due"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (q1, "waiting"), ==, 3);

  r1 = test_mutate_one (ts, nav, "call", "answer", c1, 0, NULL);
  g_assert_cmpstr (test_result_status (r1), ==, "applied");
  q1b = queue (ts, nav);
  g_assert_cmpint (json_object_get_int_member (q1b, "callbacks_due"), ==, 1);
  /* The callback is now at the front; a navigator takes it, no answer. */
  r2 = test_mutate_one (ts, nav, "call", "answer", c2, 0, NULL);
  g_assert_cmpstr (test_result_status (r2), ==, "applied");
  r3 = test_mutate_one (ts, nav, "call", "complete", c2, 0, "{\"outcome\":\"no_answer\"}");
  g_assert_cmpstr (test_result_status (r3), ==, "applied");
  q2 = queue (ts, nav);
  /* Back in its old place, ahead of later callers. */
  g_assert_cmpstr (queue_call (q2, 0), ==, c2);
  g_assert_cmpstr (queue_call (q2, 1), ==, c3);

  /* Second failed attempt closes it: the failed-contact rule. */
  r4 = test_mutate_one (ts, nav, "call", "complete", c2, 0, "{\"outcome\":\"no_answer\"}");
  g_assert_cmpstr (test_result_status (r4), ==, "applied");
  call = test_get_record (ts, SIGNPOST_RECORD_CALL, c2);
  g_assert_cmpint (signpost_call_get_state (call), ==, SIGNPOST_CALL_CALLBACK_DONE);
  g_assert_cmpint (signpost_call_get_callback_outcome (call), ==,
                   SIGNPOST_CALLBACK_OUTCOME_FAILED_CONTACT);
  g_assert_cmpint (signpost_call_get_callback_attempts (call), ==, 2);
  /* Both tries are on the record, with their times. */
  g_assert_nonnull (signpost_call_get_callback_first_attempt_at (call));
  g_assert_nonnull (signpost_call_get_callback_done_at (call));
  g_assert_cmpint (g_date_time_compare (signpost_call_get_callback_first_attempt_at (call),
                                        signpost_call_get_callback_done_at (call)), <=, 0);
  g_assert_true (signpost_call_needs_follow_up (call));
  g_assert_cmpint (signpost_failed_contact_next_step (call, NULL), ==, SIGNPOST_FOLLOW_UP_TEXT);
  q3 = queue (ts, nav);
  g_assert_cmpstr (queue_call (q3, 0), ==, c3);

  /* Only a callback can be completed. */
  r5 = test_mutate_one (ts, nav, "call", "complete", c3, 0, "{\"outcome\":\"reached\"}");
  g_assert_cmpstr (test_result_status (r5), ==, "conflict");
  test_server_free (ts);
}

/* A failed contact stays to be followed up until someone records what
 * the practice did next; once. */
static void
test_failed_contact_follow_up (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *nav = test_login (ts, "nav_a");
  g_autofree char *c1 = offer (ts, "fc-1", "+447700900311", -60);
  g_autofree char *c2 = offer (ts, "fc-2", "+447700900312", -50);
  g_autoptr(JsonObject) early = NULL, bad = NULL, mixed = NULL, done = NULL, again = NULL;
  g_autoptr(SignpostCall) call = NULL;

  send_event (ts, "call.callback_requested", "fc-1", NULL);
  send_event (ts, "call.abandoned", "fc-1", NULL);

  /* Still a callback: nothing to follow up yet. */
  early = test_mutate_one (ts, nav, "call", "complete", c1, 0,
                           "{\"outcome\":\"followed_up\",\"follow_up\":\"text\"}");
  g_assert_cmpstr (test_result_status (early), ==, "conflict");

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(JsonObject) answered = test_mutate_one (ts, nav, "call", "answer", c1, 0, NULL);
      g_autoptr(JsonObject) missed = NULL;

      g_assert_cmpstr (test_result_status (answered), ==, "applied");
      missed = test_mutate_one (ts, nav, "call", "complete", c1, 0, "{\"outcome\":\"no_answer\"}");
      g_assert_cmpstr (test_result_status (missed), ==, "applied");
    }

  bad = test_mutate_one (ts, nav, "call", "complete", c1, 0,
                         "{\"outcome\":\"followed_up\",\"follow_up\":\"carrier_pigeon\"}");
  g_assert_cmpstr (test_result_status (bad), ==, "rejected");
  g_assert_cmpuint (test_result_problem_status (bad), ==, 422);
  mixed = test_mutate_one (ts, nav, "call", "complete", c2, 0,
                           "{\"outcome\":\"no_answer\",\"follow_up\":\"letter\"}");
  g_assert_cmpstr (test_result_status (mixed), ==, "rejected");

  done = test_mutate_one (ts, nav, "call", "complete", c1, 0,
                          "{\"outcome\":\"followed_up\",\"follow_up\":\"letter\"}");
  g_assert_cmpstr (test_result_status (done), ==, "applied");
  call = test_get_record (ts, SIGNPOST_RECORD_CALL, c1);
  g_assert_cmpint (signpost_call_get_follow_up (call), ==, SIGNPOST_FOLLOW_UP_LETTER);
  g_assert_nonnull (signpost_call_get_followed_up_at (call));
  g_assert_nonnull (signpost_call_get_followed_up_by (call));
  g_assert_false (signpost_call_needs_follow_up (call));
  g_assert_cmpint (signpost_call_get_state (call), ==, SIGNPOST_CALL_CALLBACK_DONE);

  again = test_mutate_one (ts, nav, "call", "complete", c1, 0,
                           "{\"outcome\":\"followed_up\",\"follow_up\":\"text\"}");
  g_assert_cmpstr (test_result_status (again), ==, "conflict");
  test_server_free (ts);
}

/* Calls answered at the phone system (callgen's simulated navigators). */
static void
test_answered_elsewhere (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *c1 = offer (ts, "pbx-1", "+447700900401", -20);
  g_autofree char *c2 = offer (ts, "pbx-2", "+447700900402", -10);
  g_autofree char *answered = NULL;
  g_autofree char *too_long = NULL;
  g_autofree char *agent = g_strnfill (129, 'a');
  g_autoptr(TestReply) reply = NULL, bad = NULL;
  g_autoptr(SignpostCall) call = NULL;
  g_autoptr(SignpostCall) callback = NULL;

  answered = g_strdup_printf ("{\"event\":\"call.answered\",\"call_ref\":\"pbx-1\",\"line\":\"%s\","
                              "\"cli\":null,\"at\":\"2026-11-23T08:01:00Z\",\"agent\":\"desk 3\"}",
                              TEST_LINE_A);
  reply = test_webhook (ts, TEST_SECRET_A, answered, 0);
  g_assert_cmpuint (reply->status, ==, 200);
  call = test_get_record (ts, SIGNPOST_RECORD_CALL, c1);
  g_assert_cmpint (signpost_call_get_state (call), ==, SIGNPOST_CALL_ANSWERED);
  g_assert_cmpstr (signpost_call_get_agent (call), ==, "desk 3");
  g_assert_null (signpost_call_get_answered_by (call));
  g_assert_cmpint (signpost_call_get_position (call), ==, 0);
  send_event (ts, "call.ended", "pbx-1", NULL);
  g_clear_object (&call);
  call = test_get_record (ts, SIGNPOST_RECORD_CALL, c1);
  g_assert_cmpint (signpost_call_get_state (call), ==, SIGNPOST_CALL_ENDED);

  /* On a callback: it was made, and the caller reached. */
  send_event (ts, "call.callback_requested", "pbx-2", NULL);
  send_event (ts, "call.answered", "pbx-2", NULL);
  callback = test_get_record (ts, SIGNPOST_RECORD_CALL, c2);
  g_assert_cmpint (signpost_call_get_state (callback), ==, SIGNPOST_CALL_ANSWERED);
  g_assert_cmpint (signpost_call_get_callback_outcome (callback), ==, SIGNPOST_CALLBACK_OUTCOME_REACHED);
  g_assert_nonnull (signpost_call_get_callback_done_at (callback));

  too_long = g_strdup_printf ("{\"event\":\"call.answered\",\"call_ref\":\"pbx-2\",\"line\":\"%s\","
                              "\"at\":\"2026-11-23T08:01:00Z\",\"agent\":\"%s\"}", TEST_LINE_A, agent);
  bad = test_webhook (ts, TEST_SECRET_A, too_long, 0);
  test_assert_problem (bad, 422, "agent");
  test_server_free (ts);
}

typedef struct {
  SoupMessage *msg;
  TestReply **slot;
  guint *pending;
} AsyncPost;

static void
async_post_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  AsyncPost *post = data;
  TestReply *reply = g_new0 (TestReply, 1);
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                               &reply->error);

  reply->status = soup_message_get_status (post->msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (post->msg));
  if (bytes != NULL)
    {
      reply->length = g_bytes_get_size (bytes);
      reply->body = g_strndup (g_bytes_get_data (bytes, NULL), reply->length);
    }
  *post->slot = reply;
  (*post->pending)--;
  g_object_unref (post->msg);
  g_free (post);
}

/* Starts a signed webhook post without waiting for it. */
static void
webhook_start (TestServer  *ts,
               const char  *secret,
               const char  *body,
               TestReply  **slot,
               guint       *pending)
{
  g_autofree char *uri = g_strconcat (ts->base, "/api/v1/telephony/events", NULL);
  g_autofree char *timestamp = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);
  g_autofree char *hex = signpost_telephony_sign (secret, timestamp, body, strlen (body));
  g_autofree char *signature = g_strconcat ("sha256=", hex, NULL);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  AsyncPost *post = g_new0 (AsyncPost, 1);

  post->msg = soup_message_new ("POST", uri);
  post->slot = slot;
  post->pending = pending;
  soup_message_headers_replace (soup_message_get_request_headers (post->msg), "X-Signpost-Timestamp",
                                timestamp);
  soup_message_headers_replace (soup_message_get_request_headers (post->msg), "X-Signpost-Signature",
                                signature);
  soup_message_set_request_body_from_bytes (post->msg, "application/json", bytes);
  (*pending)++;
  soup_session_send_and_read_async (ts->session, post->msg, G_PRIORITY_DEFAULT, NULL,
                                    async_post_done, post);
}

/* Many events at once are committed in groups: each still gets its own
 * answer, a refused one takes nothing else with it, and a duplicate in
 * the same group is seen as one. */
static void
test_groups (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *nav = test_login (ts, "nav_a");
  TestLive *live = test_live_connect (ts, nav);
  TestReply *replies[34] = { NULL };
  g_autoptr(JsonObject) summary = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  guint pending = 0, accepted = 0, duplicate = 0, offered_events = 0;
  JsonObject *hello;

  hello = test_live_wait (live, "hello", 2000);
  g_assert_nonnull (hello);
  json_object_unref (hello);

  for (guint i = 0; i < 32; i++)
    {
      g_autofree char *ref = i < 30 ? g_strdup_printf ("g-%u", i) : g_strdup ("g-dup");
      g_autofree char *at = at_offset (-100 + (int) MIN (i, 30));
      g_autofree char *body = test_event_json ("call.offered", ref, TEST_LINE_A, "+447700900777",
                                               at, NULL);

      webhook_start (ts, TEST_SECRET_A, body, &replies[i], &pending);
    }
  {
    g_autofree char *never = test_event_json ("call.answered", "g-never", TEST_LINE_A, NULL, NULL, NULL);
    g_autofree char *forged = test_event_json ("call.offered", "g-forged", TEST_LINE_A, NULL, NULL, NULL);

    webhook_start (ts, TEST_SECRET_A, never, &replies[32], &pending);
    webhook_start (ts, TEST_SECRET_B, forged, &replies[33], &pending);
  }
  while (pending > 0)
    g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < 32; i++)
    {
      g_autoptr(JsonObject) object = NULL;
      const char *status;

      g_assert_no_error (replies[i]->error);
      g_assert_cmpuint (replies[i]->status, ==, 200);
      object = test_reply_json (replies[i]);
      status = json_object_get_string_member (object, "status");
      if (g_str_equal (status, "accepted"))
        accepted++;
      else if (g_str_equal (status, "duplicate"))
        duplicate++;
      g_assert_nonnull (json_object_get_string_member (object, "call_id"));
    }
  g_assert_cmpuint (accepted, ==, 31);
  g_assert_cmpuint (duplicate, ==, 1);
  test_assert_problem (replies[32], 404, "call_ref");
  test_assert_problem (replies[33], 401, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (replies); i++)
    test_reply_free (replies[i]);

  /* Every accepted event is in the store and went out live. */
  calls = signpost_store_list_records (test_server_store (ts), SIGNPOST_RECORD_CALL, ts->practice_a,
                                       NULL);
  g_assert_cmpuint (calls->len, ==, 31);
  summary = test_get_json (ts, "/api/v1/queue", nav);
  g_assert_cmpint (json_object_get_int_member (summary, "waiting"), ==, 31);
  while (offered_events < 31)
    {
      JsonObject *event = test_live_wait (live, "call", 5000);

      g_assert_nonnull (event);
      g_assert_cmpstr (json_object_get_string_member (event, "event"), ==, "offered");
      offered_events++;
      json_object_unref (event);
    }
  test_live_free (live);
  test_server_free (ts);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/server/telephony/signatures", test_signatures);
  g_test_add_func ("/signpost/server/telephony/queue", test_queue);
  g_test_add_func ("/signpost/server/telephony/callbacks", test_callbacks);
  g_test_add_func ("/signpost/server/telephony/failed-contact-follow-up", test_failed_contact_follow_up);
  g_test_add_func ("/signpost/server/telephony/answered-elsewhere", test_answered_elsewhere);
  g_test_add_func ("/signpost/server/telephony/groups", test_groups);

  return g_test_run ();
}
