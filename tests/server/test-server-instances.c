/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "server-test-util.h"
#include "signpost-auth.h"

/*
 * Two instances on one PostgreSQL database behave as one server: this
 * program's server ("here") and the real signpost-server binary started on
 * the same database ("there"). Tokens, the sign-in limit, mutation ids,
 * webhook de-duplication, the call queue and the one live appointment per
 * slot hold across them; what is written through one reaches WebSockets
 * on the other; killing one in the middle of a burst loses nothing it
 * acknowledged. (A reader following /changes while both write is
 * test-server-database's feed-with-concurrent-writers.)
 */

#define N_BOOKINGS 50
#define BURST_BATCHES 24
#define BURST_BATCH_SIZE 10
#define BURST_IN_FLIGHT 6

static TestServer *
start_other (TestServer *ts)
{
  return test_server_new_instance (ts);
}

/* ---- tokens ------------------------------------------------------------ */

static void
test_shared_tokens (void)
{
  TestServer *here = test_server_new (NULL);
  TestServer *there = start_other (here);
  g_autofree char *token = test_login (here, "nav_a");
  g_autofree char *token_there = test_login (there, "mgr_a");
  g_autoptr(JsonObject) me = NULL;
  g_autoptr(JsonObject) me_here = NULL;
  g_autoptr(TestReply) logout = NULL;
  g_autoptr(TestReply) refused = NULL;

  /* Signed in on one, known on the other, both ways. */
  me = test_get_json (there, "/api/v1/me", token);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (me, "user"),
                                                  "username"), ==, "nav_a");
  me_here = test_get_json (here, "/api/v1/me", token_there);
  g_assert_cmpstr (json_object_get_string_member (me_here, "role"), ==, "manager");

  /* Signed out on the other: refused here at once. */
  logout = test_http (there, NULL, "POST", "/api/v1/logout", token, "{}", -1);
  g_assert_cmpuint (logout->status, ==, 200);
  refused = test_http (here, NULL, "GET", "/api/v1/me", token, NULL, -1);
  test_assert_problem (refused, 401, NULL);

  test_server_free (there);
  test_server_free (here);
}

/* ---- the sign-in limit ------------------------------------------------- */

/* Wrong passwords sent all at once, half to each instance: the limit
 * (SIGNPOST_AUTH_MAX_FAILURES) counts them together, so only that many
 * are even checked and the rest are refused with 429 on either. */
static void
test_login_limit (void)
{
  TestServer *here = test_server_new (NULL);
  TestServer *there = start_other (here);
  const guint n = 4 * 5;
  g_autoptr(GPtrArray) sessions = g_ptr_array_new_with_free_func (g_object_unref);
  TestReply **replies = g_new0 (TestReply *, n);
  guint pending = 0, wrong = 0, limited = 0;
  g_autoptr(TestReply) right = NULL;
  g_autoptr(TestReply) right_there = NULL;
  const char *body = "{\"username\":\"nav_b\",\"password\":\"not-the-password\"}";

  for (guint i = 0; i < n; i++)
    {
      SoupSession *session = soup_session_new ();

      g_ptr_array_add (sessions, session);
      test_http_start (i % 2 ? there : here, session, "POST", "/api/v1/login", NULL, body,
                       &replies[i], &pending);
    }
  while (pending > 0)
    g_main_context_iteration (NULL, TRUE);
  for (guint i = 0; i < n; i++)
    {
      g_assert_no_error (replies[i]->error);
      if (replies[i]->status == 401)
        wrong++;
      else if (replies[i]->status == 429)
        {
          g_assert_nonnull (soup_message_headers_get_one (replies[i]->headers, "Retry-After"));
          limited++;
        }
      else
        g_error ("login answered %u: %s", replies[i]->status, replies[i]->body);
      test_reply_free (replies[i]);
    }
  g_free (replies);
  g_test_message ("%u checked, %u refused by the limit", wrong, limited);
  g_assert_cmpuint (wrong, ==, SIGNPOST_AUTH_MAX_FAILURES);
  g_assert_cmpuint (limited, ==, n - SIGNPOST_AUTH_MAX_FAILURES);

  /* The right password waits too, on both instances. */
  right = test_http (here, NULL, "POST", "/api/v1/login", NULL,
                     "{\"username\":\"nav_b\",\"password\":\"" TEST_PASSWORD "\"}", -1);
  g_assert_cmpuint (right->status, ==, 429);
  right_there = test_http (there, NULL, "POST", "/api/v1/login", NULL,
                           "{\"username\":\"nav_b\",\"password\":\"" TEST_PASSWORD "\"}", -1);
  g_assert_cmpuint (right_there->status, ==, 429);

  test_server_free (there);
  test_server_free (here);
}

/* Right passwords from one address, more of them than the limit, on
 * each instance in turn: each was counted while it was checked, and none
 * still counts once it proved right. */
static void
test_login_right_not_counted (void)
{
  TestServer *here = test_server_new (NULL);
  TestServer *there = start_other (here);
  const char *users[] = { "nav_a", "nav_b", "mgr_a", "clin_a", "hub", "admin" };

  for (guint i = 0; i < 2 * SIGNPOST_AUTH_MAX_FAILURES; i++)
    {
      g_autofree char *token = test_login (i % 2 ? there : here, users[i % G_N_ELEMENTS (users)]);

      g_assert_nonnull (token);
    }

  test_server_free (there);
  test_server_free (here);
}

/* ---- the booking race -------------------------------------------------- */

static char *
booking_body (const char *mutation_id,
              const char *slot_id,
              const char *appointment_id,
              const char *patient_id)
{
  return g_strdup_printf ("{\"mutations\":[{\"mutation_id\":\"%s\",\"type\":\"slot\","
                          "\"op\":\"book\",\"id\":\"%s\",\"data\":{\"appointment_id\":\"%s\","
                          "\"patient_id\":\"%s\",\"reason\":\"Rash\"}}]}",
                          mutation_id, slot_id, appointment_id, patient_id);
}

/* The one result of a one-mutation batch, as text without its status. */
static char *
result_without_status (TestReply *reply,
                       char     **status)
{
  g_autoptr(JsonObject) object = NULL;
  JsonObject *result;

  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, 200);
  object = test_reply_json (reply);
  result = json_array_get_object_element (json_object_get_array_member (object, "results"), 0);
  *status = g_strdup (test_result_status (result));
  json_object_remove_member (result, "status");
  return signpost_json_object_to_string (result, NULL);
}

static void
send_all (TestServer  *one,
          TestServer  *other,
          const char  *token,
          char       **bodies,
          TestReply  **replies,
          gboolean     swap)
{
  SoupSession *sessions[N_BOOKINGS];
  guint pending = 0;

  for (guint i = 0; i < N_BOOKINGS; i++)
    {
      sessions[i] = soup_session_new ();
      test_http_start ((i % 2 == 0) != swap ? one : other, sessions[i], "POST",
                       "/api/v1/mutations", token, bodies[i], &replies[i], &pending);
    }
  while (pending > 0)
    g_main_context_iteration (NULL, TRUE);
  for (guint i = 0; i < N_BOOKINGS; i++)
    g_object_unref (sessions[i]);
}

/* 50 bookings of one slot at once, half through each instance: exactly
 * one applied. Every one sent again, to the other instance: the applied
 * one is a duplicate with the original result, the others the same
 * conflict. */
static void
test_booking_race (void)
{
  TestServer *here = test_server_new (NULL);
  TestServer *there = start_other (here);
  g_autofree char *token = test_login (here, "hub");
  g_autofree char *slot = test_add_slot (here, here->practice_a, 24 * 60, G_MININT, TRUE);
  g_autofree char *patient = test_add_patient (here, here->practice_a);
  char *bodies[N_BOOKINGS];
  TestReply *first[N_BOOKINGS] = { NULL };
  TestReply *again[N_BOOKINGS] = { NULL };
  g_autoptr(SignpostAppointment) live = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *applied_id = NULL;
  guint applied = 0, conflicts = 0;

  for (guint i = 0; i < N_BOOKINGS; i++)
    {
      g_autofree char *mutation_id = g_uuid_string_random ();
      g_autofree char *appointment_id = g_uuid_string_random ();

      bodies[i] = booking_body (mutation_id, slot, appointment_id, patient);
    }
  send_all (here, there, token, bodies, first, FALSE);
  send_all (here, there, token, bodies, again, TRUE);

  for (guint i = 0; i < N_BOOKINGS; i++)
    {
      g_autofree char *status = NULL;
      g_autofree char *status_again = NULL;
      g_autofree char *result = result_without_status (first[i], &status);
      g_autofree char *result_again = result_without_status (again[i], &status_again);

      if (g_str_equal (status, "applied"))
        {
          applied++;
          g_assert_cmpstr (status_again, ==, "duplicate");
          g_autoptr(JsonObject) object = signpost_json_parse_object (result, strlen (result),
                                                                     G_MAXSIZE, NULL);

          applied_id = g_strdup (json_object_get_string_member (object, "id"));
        }
      else
        {
          g_assert_cmpstr (status, ==, "conflict");
          g_assert_cmpstr (status_again, ==, "conflict");
          conflicts++;
        }
      /* The same answer, whichever instance and however often. */
      g_assert_cmpstr (result_again, ==, result);
      test_reply_free (first[i]);
      test_reply_free (again[i]);
      g_free (bodies[i]);
    }
  g_assert_cmpuint (applied, ==, 1);
  g_assert_cmpuint (conflicts, ==, N_BOOKINGS - 1);

  live = signpost_store_find_live_appointment (test_server_store (here), slot, &error);
  g_assert_no_error (error);
  g_assert_nonnull (live);
  g_assert_cmpstr (signpost_record_get_id (SIGNPOST_RECORD (live)), ==, applied_id);

  test_server_free (there);
  test_server_free (here);
}

/* ---- calls ------------------------------------------------------------- */

static char *
offer_on (TestServer *ts,
          const char *call_ref,
          const char *cli,
          const char *status)
{
  g_autofree char *body = test_event_json ("call.offered", call_ref, TEST_LINE_A, cli, NULL, NULL);
  g_autoptr(TestReply) reply = test_webhook (ts, TEST_SECRET_A, body, 0);
  g_autoptr(JsonObject) object = NULL;

  g_assert_cmpuint (reply->status, ==, 200);
  object = test_reply_json (reply);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, status);
  return g_strdup (json_object_get_string_member (object, "call_id"));
}

/* "call_id@position …" of a queue summary. */
static char *
queue_places (JsonObject *summary)
{
  JsonArray *calls = json_object_get_array_member (summary, "calls");
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (calls); i++)
    {
      JsonObject *call = json_array_get_object_element (calls, i);

      g_string_append_printf (text, "%s@%" G_GINT64_FORMAT " ",
                              json_object_get_string_member (call, "call_id"),
                              json_object_get_int_member (call, "position"));
    }
  return g_string_free (text, FALSE);
}

/* Calls offered through both instances make one queue in the order they
 * came; a webhook delivered again to the other instance is a duplicate. */
static void
test_calls_shared (void)
{
  TestServer *here = test_server_new (NULL);
  TestServer *there = start_other (here);
  g_autofree char *nav = test_login (here, "nav_a");
  g_autofree char *body = test_event_json ("call.offered", "dup-1", TEST_LINE_A, "07700900301",
                                           NULL, NULL);
  g_autoptr(TestReply) first = test_webhook (here, TEST_SECRET_A, body, 0);
  g_autoptr(TestReply) again = test_webhook (there, TEST_SECRET_A, body, 0);
  g_autoptr(JsonObject) first_object = test_reply_json (first);
  g_autoptr(JsonObject) again_object = test_reply_json (again);
  g_autoptr(JsonObject) queue_here = NULL;
  g_autoptr(JsonObject) queue_there = NULL;
  g_autofree char *queue_text = NULL;
  g_autofree char *queue_text_there = NULL;
  JsonArray *calls;
  char *ids[6];

  g_assert_cmpstr (json_object_get_string_member (first_object, "status"), ==, "accepted");
  g_assert_cmpstr (json_object_get_string_member (again_object, "status"), ==, "duplicate");
  g_assert_cmpstr (json_object_get_string_member (again_object, "call_id"), ==,
                   json_object_get_string_member (first_object, "call_id"));

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *ref = g_strdup_printf ("q-%u", i);
      g_autofree char *cli = g_strdup_printf ("0770090031%u", i);

      ids[i] = offer_on (i % 2 ? there : here, ref, cli, "accepted");
    }
  queue_here = test_get_json (here, "/api/v1/queue", nav);
  queue_there = test_get_json (there, "/api/v1/queue", nav);
  g_assert_cmpint (json_object_get_int_member (queue_here, "waiting"), ==, 1 + G_N_ELEMENTS (ids));
  calls = json_object_get_array_member (queue_here, "calls");
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      JsonObject *call = json_array_get_object_element (calls, i + 1);
      g_autoptr(SignpostCall) stored = test_get_record (here, SIGNPOST_RECORD_CALL, ids[i]);

      g_assert_cmpstr (json_object_get_string_member (call, "call_id"), ==, ids[i]);
      /* Each got its place in the one queue, whichever instance took it. */
      g_assert_cmpint (signpost_call_get_position (stored), ==, i + 2);
      g_free (ids[i]);
    }
  /* Both instances say the same of the queue: the same calls in the same
   * places (the waits grow between the two reads). */
  queue_text = queue_places (queue_here);
  queue_text_there = queue_places (queue_there);
  g_assert_cmpstr (queue_text_there, ==, queue_text);

  test_server_free (there);
  test_server_free (here);
}

/* ---- live across instances --------------------------------------------- */

/* A change or a call written through one instance reaches the WebSockets
 * of the other, as they reach its own: changes as a notice, calls as the
 * event itself, redacted for a manager, not at all for another practice. */
static void
test_live_across (void)
{
  TestServer *here = test_server_new (NULL);
  TestServer *there = start_other (here);
  g_autofree char *nav = test_login (here, "nav_a");
  g_autofree char *mgr = test_login (here, "mgr_a");
  g_autofree char *nav_b = test_login (here, "nav_b");
  TestLive *nav_there = test_live_connect (there, nav);
  TestLive *mgr_there = test_live_connect (there, mgr);
  TestLive *b_there = test_live_connect (there, nav_b);
  TestLive *nav_here = test_live_connect (here, nav);
  g_autoptr(JsonObject) hello = test_live_wait (nav_there, "hello", 5000);
  g_autoptr(JsonObject) hello_mgr = test_live_wait (mgr_there, "hello", 5000);
  g_autoptr(JsonObject) hello_b = test_live_wait (b_there, "hello", 5000);
  g_autoptr(JsonObject) hello_here = test_live_wait (nav_here, "hello", 5000);
  g_autofree char *patient_id = g_uuid_string_random ();
  g_autofree char *patient = g_strdup_printf ("{\"practice_id\":\"%s\",\"family_name\":\"Across\","
                                              "\"given_name\":\"Ann\",\"date_of_birth\":\"1970-01-01\","
                                              "\"sex\":\"female\"}",
                                              here->practice_a);
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(JsonObject) notice = NULL;
  g_autoptr(JsonObject) call = NULL;
  g_autoptr(JsonObject) redacted = NULL;
  g_autoptr(JsonObject) none = NULL;
  g_autoptr(JsonObject) call_here = NULL;
  g_autoptr(JsonObject) answered = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *call_id = NULL;
  gint64 seq;

  g_assert_nonnull (hello);
  g_assert_nonnull (hello_mgr);
  g_assert_nonnull (hello_b);
  g_assert_nonnull (hello_here);

  /* Written here, heard there. */
  created = test_mutate_one (here, nav, "patient", "create", patient_id, 0, patient);
  g_assert_cmpstr (test_result_status (created), ==, "applied");
  seq = json_object_get_int_member (hello, "last_seq");
  notice = test_live_wait (nav_there, "changes", 5000);
  g_assert_nonnull (notice);
  g_assert_cmpint (json_object_get_int_member (notice, "last_seq"), >, seq);

  /* A call offered here: its event there, as the other instance's own. */
  call_id = offer_on (here, "live-across-1", "07700900555", "accepted");
  call = test_live_wait (nav_there, "call", 5000);
  g_assert_nonnull (call);
  g_assert_cmpstr (json_object_get_string_member (call, "event"), ==, "offered");
  g_assert_cmpstr (json_object_get_string_member (call, "call_id"), ==, call_id);
  g_assert_cmpstr (json_object_get_string_member (call, "cli"), ==, "+447700900555");
  redacted = test_live_wait (mgr_there, "call", 5000);
  g_assert_nonnull (redacted);
  g_assert_true (json_object_get_null_member (redacted, "cli"));
  none = test_live_wait (b_there, "call", 300);
  g_assert_null (none);

  /* Answered there: heard here. */
  answer = test_mutate_one (there, nav, "call", "answer", call_id, 0, NULL);
  g_assert_cmpstr (test_result_status (answer), ==, "applied");
  call_here = test_live_wait (nav_here, "call", 5000);
  g_assert_nonnull (call_here);
  g_assert_cmpstr (json_object_get_string_member (call_here, "event"), ==, "offered");
  answered = test_live_wait (nav_here, "call", 5000);
  g_assert_nonnull (answered);
  g_assert_cmpstr (json_object_get_string_member (answered, "event"), ==, "answered");
  g_assert_cmpstr (json_object_get_string_member (answered, "call_id"), ==, call_id);

  test_live_free (nav_there);
  test_live_free (mgr_there);
  test_live_free (b_there);
  test_live_free (nav_here);
  test_server_free (there);
  test_server_free (here);
}

/* ---- one instance killed mid-burst ------------------------------------- */

typedef struct {
  char *body;
  char **ids;                       /* the records it creates */
  char **mutation_ids;
  TestReply *reply;                 /* from the instance killed */
  guint pending;
  gboolean sent;
} Batch;

static Batch *
batch_new (TestServer *ts,
           guint       number)
{
  Batch *batch = g_new0 (Batch, 1);
  GString *body = g_string_new ("{\"mutations\":[");

  batch->ids = g_new0 (char *, BURST_BATCH_SIZE + 1);
  batch->mutation_ids = g_new0 (char *, BURST_BATCH_SIZE + 1);
  for (guint i = 0; i < BURST_BATCH_SIZE; i++)
    {
      batch->ids[i] = g_uuid_string_random ();
      batch->mutation_ids[i] = g_uuid_string_random ();
      g_string_append_printf (body,
                              "%s{\"mutation_id\":\"%s\",\"type\":\"patient\",\"op\":\"create\","
                              "\"id\":\"%s\",\"data\":{\"practice_id\":\"%s\","
                              "\"family_name\":\"Burst\",\"given_name\":\"B%u-%u\","
                              "\"date_of_birth\":\"1980-02-03\",\"sex\":\"male\"}}",
                              i ? "," : "", batch->mutation_ids[i], batch->ids[i],
                              ts->practice_a, number, i);
    }
  g_string_append (body, "]}");
  batch->body = g_string_free (body, FALSE);
  return batch;
}

static void
batch_free (Batch *batch)
{
  g_strfreev (batch->ids);
  g_strfreev (batch->mutation_ids);
  g_clear_pointer (&batch->reply, test_reply_free);
  g_free (batch->body);
  g_free (batch);
}

/* The other instance is killed with SIGKILL while batches are on their way
 * to it. The first keeps serving; every batch the killed one acknowledged
 * is there; sent again to the survivor, each of its mutations is answered
 * "duplicate" with the result the killed one gave. Batches it never
 * answered are applied now, or found already applied: never twice. */
static void
test_kill_mid_burst (void)
{
  TestServer *here = test_server_new (NULL);
  TestServer *there = start_other (here);
  g_autofree char *token = test_login (here, "nav_a");
  g_autoptr(GPtrArray) batches = g_ptr_array_new_with_free_func ((GDestroyNotify) batch_free);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("max-conns-per-host",
                                                                  BURST_IN_FLIGHT, NULL);
  guint pending = 0, answered = 0, next = 0, acknowledged = 0, unanswered = 0;
  gboolean killed = FALSE;

  for (guint i = 0; i < BURST_BATCHES; i++)
    g_ptr_array_add (batches, batch_new (here, i));

  /* A few in flight at all times; the kill comes once a third have been
   * answered, with the next ones already sent. */
  while (next < batches->len || pending > 0)
    {
      while (!killed && next < batches->len && pending < BURST_IN_FLIGHT)
        {
          Batch *batch = g_ptr_array_index (batches, next++);

          batch->sent = TRUE;
          test_http_start (there, session, "POST", "/api/v1/mutations", token, batch->body,
                           &batch->reply, &pending);
        }
      g_main_context_iteration (NULL, TRUE);
      answered = 0;
      for (guint i = 0; i < next; i++)
        {
          Batch *batch = g_ptr_array_index (batches, i);

          if (batch->reply != NULL && batch->reply->status == 200)
            answered++;
        }
      if (!killed && answered >= BURST_BATCHES / 3)
        {
          g_autoptr(GError) error = NULL;

          g_subprocess_send_signal (there->process, SIGKILL);
          g_assert_true (g_subprocess_wait (there->process, NULL, &error));
          g_assert_no_error (error);
          g_assert_true (g_subprocess_get_if_signaled (there->process));
          g_clear_object (&there->process);
          killed = TRUE;
        }
      if (killed && next < batches->len)
        next = batches->len;
    }
  g_assert_true (killed);

  for (guint b = 0; b < batches->len; b++)
    {
      Batch *batch = g_ptr_array_index (batches, b);
      g_autoptr(TestReply) retry = NULL;
      g_autoptr(JsonObject) retry_object = NULL;
      g_autoptr(JsonObject) first_object = NULL;
      JsonArray *retry_results;
      JsonArray *first_results = NULL;
      gboolean was_acknowledged = batch->reply != NULL && batch->reply->status == 200;

      if (was_acknowledged)
        {
          acknowledged++;
          first_object = test_reply_json (batch->reply);
          first_results = json_object_get_array_member (first_object, "results");
          /* Present, whichever instance is asked. */
          for (guint i = 0; i < BURST_BATCH_SIZE; i++)
            {
              g_autoptr(SignpostRecord) record = test_get_record (here, SIGNPOST_RECORD_PATIENT,
                                                                  batch->ids[i]);
              g_assert_nonnull (record);
            }
        }
      else if (batch->sent)
        unanswered++;

      retry = test_http (here, NULL, "POST", "/api/v1/mutations", token, batch->body, -1);
      g_assert_cmpuint (retry->status, ==, 200);
      retry_object = test_reply_json (retry);
      retry_results = json_object_get_array_member (retry_object, "results");
      g_assert_cmpuint (json_array_get_length (retry_results), ==, BURST_BATCH_SIZE);
      for (guint i = 0; i < BURST_BATCH_SIZE; i++)
        {
          JsonObject *result = json_array_get_object_element (retry_results, i);
          const char *status = test_result_status (result);

          if (was_acknowledged)
            {
              JsonObject *original = json_array_get_object_element (first_results, i);
              g_autofree char *original_text = NULL;
              g_autofree char *result_text = NULL;

              g_assert_cmpstr (test_result_status (original), ==, "applied");
              g_assert_cmpstr (status, ==, "duplicate");
              json_object_remove_member (original, "status");
              json_object_remove_member (result, "status");
              original_text = signpost_json_object_to_string (original, NULL);
              result_text = signpost_json_object_to_string (result, NULL);
              g_assert_cmpstr (result_text, ==, original_text);
            }
          else
            g_assert_true (g_str_equal (status, "applied") || g_str_equal (status, "duplicate"));
        }
    }
  g_test_message ("%u batches acknowledged before the kill, %u sent but unanswered",
                  acknowledged, unanswered);
  g_assert_cmpuint (acknowledged, >=, BURST_BATCHES / 3);

  /* Every record once, at version 1: nothing written twice. */
  for (guint b = 0; b < batches->len; b++)
    {
      Batch *batch = g_ptr_array_index (batches, b);

      for (guint i = 0; i < BURST_BATCH_SIZE; i++)
        {
          g_autoptr(SignpostRecord) record = test_get_record (here, SIGNPOST_RECORD_PATIENT,
                                                              batch->ids[i]);

          g_assert_nonnull (record);
          g_assert_cmpint (signpost_record_get_version (record), ==, 1);
        }
    }

  test_server_free (there);
  test_server_free (here);
}

int
main (int   argc,
      char *argv[])
{
  /* Several instances share a PostgreSQL database (server-pg only). */
  if (!test_database_is_postgresql ())
    {
      printf ("1..0 # SKIP several instances share a PostgreSQL database\n");
      return 0;
    }
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/signpost/server/instances/shared-tokens", test_shared_tokens);
  g_test_add_func ("/signpost/server/instances/login-limit", test_login_limit);
  g_test_add_func ("/signpost/server/instances/login-right-not-counted",
                   test_login_right_not_counted);
  g_test_add_func ("/signpost/server/instances/booking-race", test_booking_race);
  g_test_add_func ("/signpost/server/instances/calls-shared", test_calls_shared);
  g_test_add_func ("/signpost/server/instances/live-across", test_live_across);
  g_test_add_func ("/signpost/server/instances/kill-mid-burst", test_kill_mid_burst);
  return g_test_run ();
}
