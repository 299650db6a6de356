/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "security-test-util.h"
#include "server-test-util.h"

/*
 * The edges of issue 12, item 9: instants compared as instants, days the
 * server cannot hold, webhook instants far from now, a body's length that
 * is no length, and requests that say one thing twice.
 */

static GDateTime *
local_midnight_in (int days)
{
  g_autoptr(GTimeZone) london = g_time_zone_new_identifier ("Europe/London");
  g_autoptr(GDateTime) now = g_date_time_new_now (london);
  g_autoptr(GDateTime) later = g_date_time_add_days (now, days);

  return g_date_time_new (london, g_date_time_get_year (later), g_date_time_get_month (later),
                          g_date_time_get_day_of_month (later), 0, 0, 0);
}

static void
move_slot (TestServer *ts,
           const char *slot_id,
           GDateTime  *start)
{
  g_autoptr(SignpostSlot) slot = test_get_record (ts, SIGNPOST_RECORD_SLOT, slot_id);

  signpost_slot_set_start (slot, start);
  test_put_record (ts, slot);
}

/* A patient booked at half a second past local midnight is booked that
 * day (as text, "…T00:00:00.500Z" sorts before "…T00:00:00Z"). */
static void
test_same_day_instants (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *nav = test_login (ts, "nav_a");
  g_autofree char *first_slot = NULL;
  g_autofree char *appointment = test_add_appointment (ts, ts->practice_a, &first_slot);
  g_autofree char *second_slot = test_add_slot (ts, ts->practice_a, 60, G_MININT, TRUE);
  g_autoptr(SignpostAppointment) booked = test_get_record (ts, SIGNPOST_RECORD_APPOINTMENT, appointment);
  g_autoptr(GDateTime) midnight = local_midnight_in (3);
  g_autoptr(GDateTime) just_after = g_date_time_add (midnight, 500 * G_TIME_SPAN_MILLISECOND);
  g_autoptr(GDateTime) morning = g_date_time_add_hours (midnight, 10);
  g_autofree char *book = NULL;
  g_autoptr(JsonObject) result = NULL;
  JsonArray *warnings;

  move_slot (ts, first_slot, just_after);
  move_slot (ts, second_slot, morning);
  book = g_strdup_printf ("{\"appointment_id\":\"%s\",\"patient_id\":\"%s\"}",
                          "00000000-0000-4000-8000-0000000b00c1",
                          signpost_appointment_get_patient_id (booked));
  result = test_mutate_one (ts, nav, "slot", "book", second_slot, 0, book);
  g_assert_cmpstr (test_result_status (result), ==, "applied");
  g_assert_true (json_object_has_member (result, "warnings"));
  warnings = json_object_get_array_member (result, "warnings");
  g_assert_nonnull (warnings);
  g_assert_cmpuint (json_array_get_length (warnings), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (warnings, 0), ==, "patient_already_booked_today");
  test_server_free (ts);
}

/* The last day of the year 9999 ends at an instant the server cannot
 * hold: it is refused, not answered with one interval. */
static void
test_days_out_of_range (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *manager = test_login (ts, "mgr_a");
  g_autofree char *last = g_strdup_printf ("/api/v1/stats/day?practice=%s&date=9999-12-31",
                                           ts->practice_a);
  g_autofree char *before = g_strdup_printf ("/api/v1/stats/day?practice=%s&date=9999-12-30",
                                             ts->practice_a);
  g_autofree char *month = g_strdup_printf ("/api/v1/stats/cbt-export?practice=%s&month=9999-12",
                                            ts->practice_a);
  g_autoptr(TestReply) refused = test_http (ts, NULL, "GET", last, manager, NULL, -1);
  g_autoptr(TestReply) refused_month = test_http (ts, NULL, "GET", month, manager, NULL, -1);
  g_autoptr(JsonObject) day = test_get_json (ts, before, manager);

  test_assert_problem (refused, 422, "date");
  test_assert_problem (refused_month, 422, "month");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (day, "intervals")), ==, 96);
  test_server_free (ts);
}

static guint
offer_at (TestServer *ts,
          const char *ref,
          GDateTime  *at)
{
  g_autofree char *text = signpost_timestamp_format (at);
  g_autofree char *event = test_event_json ("call.offered", ref, TEST_LINE_A, "+447700900321", text, NULL);
  g_autoptr(TestReply) reply = test_webhook (ts, TEST_SECRET_A, event, 0);

  if (reply->status == 422)
    test_assert_problem (reply, 422, "at");
  return reply->status;
}

/* A signed event's "at" far from now is refused: no queue wait of two
 * thousand years. Replays of recent days still go in. */
static void
test_webhook_instants (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) year_one = g_date_time_new_utc (1, 1, 1, 0, 0, 0);
  g_autoptr(GDateTime) long_ago = g_date_time_add_days (now, -800);
  g_autoptr(GDateTime) last_week = g_date_time_add_days (now, -7);
  g_autoptr(GDateTime) next_week = g_date_time_add_days (now, 7);

  g_assert_cmpuint (offer_at (ts, "year-one", year_one), ==, 422);
  g_assert_cmpuint (offer_at (ts, "long-ago", long_ago), ==, 422);
  g_assert_cmpuint (offer_at (ts, "next-week", next_week), ==, 422);
  g_assert_cmpuint (offer_at (ts, "last-week", last_week), ==, 200);
  g_assert_cmpuint (offer_at (ts, "now", now), ==, 200);
  test_server_free (ts);
}

/* A body whose length is no length, and a request with two tokens, are
 * answered at once (400), not waited on. */
static void
test_framing (void)
{
  g_autoptr(RealServer) server = real_server_start (NULL);
  g_autofree char *token = real_server_login (server, "nav");
  g_autofree char *two_tokens = g_strdup_printf ("GET /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                                 "Authorization: Bearer %s\r\n"
                                                 "Authorization: Bearer someone-else\r\n\r\n", token);
  g_autofree char *body = NULL;

  g_assert_cmpint (raw_request (server->port, "POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                              "Content-Length: -5\r\n\r\n", NULL), ==, 400);
  g_assert_cmpint (raw_request (server->port, "POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                              "Content-Length: 5\r\nContent-Length: 6\r\n\r\nabcde", NULL),
                   ==, 400);
  g_assert_cmpint (raw_request (server->port, two_tokens, &body), ==, 400);
  g_assert_nonnull (strstr (body, "Authorization"));
}

/* {"username":"admin","username":"navigator"}: which is it? Neither. */
static void
test_repeated_members (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *nav = test_login (ts, "nav_a");
  g_autoptr(TestReply) login = NULL;
  g_autoptr(TestReply) escaped = NULL;
  g_autoptr(TestReply) nested = NULL;

  login = test_http (ts, NULL, "POST", "/api/v1/login", NULL,
                     "{\"username\":\"admin\",\"username\":\"nav_a\",\"password\":\"" TEST_PASSWORD "\"}",
                     -1);
  test_assert_problem (login, 400, NULL);
  escaped = test_http (ts, NULL, "POST", "/api/v1/login", NULL,
                       "{\"username\":\"admin\",\"user\\u006eame\":\"nav_a\",\"password\":\"" TEST_PASSWORD "\"}",
                       -1);
  test_assert_problem (escaped, 400, NULL);
  nested = test_http (ts, NULL, "POST", "/api/v1/mutations", nav,
                      "{\"mutations\":[{\"mutation_id\":\"00000000-0000-4000-8000-000000000001\","
                      "\"type\":\"patient\",\"op\":\"update\",\"id\":\"00000000-0000-4000-8000-000000000002\","
                      "\"base_version\":1,\"data\":{\"postcode\":\"LS1 4AP\",\"postcode\":\"LS2 9JT\"}}]}",
                      -1);
  test_assert_problem (nested, 400, NULL);
  test_server_free (ts);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/security/edges/same-day-instants", test_same_day_instants);
  g_test_add_func ("/signpost/security/edges/days-out-of-range", test_days_out_of_range);
  g_test_add_func ("/signpost/security/edges/webhook-instants", test_webhook_instants);
  g_test_add_func ("/signpost/security/edges/framing", test_framing);
  g_test_add_func ("/signpost/security/edges/repeated-members", test_repeated_members);
  return g_test_run ();
}
