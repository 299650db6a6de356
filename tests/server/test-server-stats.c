/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "server-test-util.h"
#include "signpost-erlang.h"
#include "signpost-stats.h"

/*
 * The statistics against a day of telephony the test writes itself: every
 * call's timeline is chosen here, sent as signed webhook events with those
 * times, and the expected figures are counted here from the same
 * timelines, independently of the server's code. The counting rules are
 * the ones docs/PROTOCOL.md gives for /stats/day.
 */

#define MINUTE_MS ((gint64) 60 * 1000)
#define HOUR_MS (60 * MINUTE_MS)
#define QUARTER_MS (15 * MINUTE_MS)

typedef enum {
  FATE_ANSWERED,          /* answered, then ended */
  FATE_ON_THE_PHONE,      /* answered, not ended yet */
  FATE_ABANDONED,         /* call.abandoned */
  FATE_HUNG_UP,           /* call.ended while waiting: abandoned too */
  FATE_CALLBACK,          /* took a callback that nobody has made */
  FATE_CALLBACK_MADE,     /* took a callback, called back, ended */
  FATE_VOICEMAIL,         /* call.missed */
  FATE_LOST,              /* never heard of again: still queued */
} Fate;

typedef struct {
  char *ref;
  Fate fate;
  gint64 offered;
  gint64 second;          /* answer, hang-up, callback request or voicemail */
  gint64 answered;        /* -1 if never */
  gint64 ended;           /* -1 if never */
  const char *agent;
} Call;

typedef struct {
  gint64 offered, answered, abandoned, missed, callbacks_requested, callbacks_made;
  gint64 wait_sum, wait_max, in_60;
  gint64 abandon_sum, abandon_n;
  gint64 talk_sum, talk_n;
  GHashTable *agents;
} Expected;

static void
call_clear (Call *call)
{
  g_free (call->ref);
}

static char *
ms_text (gint64 ms)
{
  g_autoptr(GDateTime) epoch = g_date_time_new_from_unix_utc (0);
  g_autoptr(GDateTime) at = g_date_time_add (epoch, ms * 1000);

  return signpost_timestamp_format (at);
}

/* Local midnight, found with GLib directly rather than the server's helper. */
static gint64
midnight_ms (int year,
             int month,
             int day)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/London");
  g_autoptr(GDateTime) local = g_date_time_new (tz, year, month, day, 0, 0, 0);

  g_assert_nonnull (local);
  return g_date_time_to_unix (local) * 1000;
}

static gint64
utc_ms (const char *text)
{
  g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 (text, NULL);

  g_assert_nonnull (at);
  return g_date_time_to_unix (at) * 1000 + g_date_time_get_microsecond (at) / 1000;
}

static void
post_event (TestServer *ts,
            const char *line,
            const char *secret,
            const char *event,
            const char *ref,
            gint64      at,
            const char *agent,
            const char *expect)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autofree char *at_text = ms_text (at);
  g_autofree char *body = NULL;
  g_autoptr(TestReply) reply = NULL;
  g_autoptr(JsonObject) answer = NULL;

  json_object_set_string_member (object, "event", event);
  json_object_set_string_member (object, "call_ref", ref);
  json_object_set_string_member (object, "line", line);
  json_object_set_string_member (object, "cli", "+447700900123");
  json_object_set_string_member (object, "at", at_text);
  if (agent != NULL)
    json_object_set_string_member (object, "agent", agent);
  body = signpost_json_object_to_string (object, NULL);
  reply = test_webhook (ts, secret, body, 0);
  if (reply->status != 200)
    g_error ("%s %s: %u %s", event, ref, reply->status, reply->body);
  answer = test_reply_json (reply);
  g_assert_cmpstr (json_object_get_string_member (answer, "status"), ==, expect);
}

typedef struct {
  gint64 at;
  const char *event;
  const Call *call;
} Event;

static int
compare_events (gconstpointer a,
                gconstpointer b)
{
  const Event *x = a, *y = b;

  return x->at < y->at ? -1 : x->at > y->at;
}

/* Sends every call's events in time order, the calls interleaved as a
 * phone system would send them. */
static void
send_calls (TestServer *ts,
            const char *line,
            const char *secret,
            GArray     *calls)
{
  g_autoptr(GArray) events = g_array_new (FALSE, FALSE, sizeof (Event));

  for (guint i = 0; i < calls->len; i++)
    {
      const Call *c = &g_array_index (calls, Call, i);
      Event e = { c->offered, "call.offered", c };

      g_array_append_val (events, e);
      e.at = c->second;
      switch (c->fate)
        {
        case FATE_ANSWERED:
        case FATE_ON_THE_PHONE:
          e.event = "call.answered";
          break;
        case FATE_ABANDONED:
          e.event = "call.abandoned";
          break;
        case FATE_HUNG_UP:
          e.event = "call.ended";
          break;
        case FATE_CALLBACK:
        case FATE_CALLBACK_MADE:
          e.event = "call.callback_requested";
          break;
        case FATE_VOICEMAIL:
          e.event = "call.missed";
          break;
        case FATE_LOST:
        default:
          e.event = NULL;
          break;
        }
      if (e.event != NULL)
        g_array_append_val (events, e);
      if (c->fate == FATE_CALLBACK_MADE)
        {
          e.at = c->answered;
          e.event = "call.answered";
          g_array_append_val (events, e);
        }
      if (c->ended >= 0)
        {
          e.at = c->ended;
          e.event = "call.ended";
          g_array_append_val (events, e);
        }
    }
  g_array_sort (events, compare_events);
  for (guint i = 0; i < events->len; i++)
    {
      const Event *e = &g_array_index (events, Event, i);

      post_event (ts, line, secret, e->event, e->call->ref, e->at,
                  g_str_equal (e->event, "call.answered") ? e->call->agent : NULL, "accepted");
    }
}

static void
add_call (GArray     *calls,
          const char *prefix,
          Fate        fate,
          gint64      offered,
          gint64      after,
          gint64      talk,
          const char *agent)
{
  Call c = { NULL, fate, offered, offered + after, -1, -1, agent };

  c.ref = g_strdup_printf ("%s-%u", prefix, calls->len);
  switch (fate)
    {
    case FATE_ANSWERED:
      c.answered = c.second;
      c.ended = c.answered + talk;
      break;
    case FATE_ON_THE_PHONE:
      c.answered = c.second;
      break;
    case FATE_CALLBACK_MADE:
      c.answered = c.second + 20 * MINUTE_MS;
      c.ended = c.answered + talk;
      break;
    case FATE_ABANDONED:
    case FATE_HUNG_UP:
    case FATE_CALLBACK:
    case FATE_VOICEMAIL:
    case FATE_LOST:
    default:
      break;
    }
  g_array_append_val (calls, c);
}

/* The counting rules, written out again: the test's own reckoning. */
static Expected *
expect (GArray *calls,
        gint64  start,
        guint   n_intervals,
        guint   interval_ms,
        gboolean by_answer)
{
  Expected *e = g_new0 (Expected, n_intervals);

  for (guint i = 0; i < n_intervals; i++)
    e[i].agents = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < calls->len; i++)
    {
      const Call *c = &g_array_index (calls, Call, i);
      gint64 k = c->offered >= start ? (c->offered - start) / interval_ms : -1;
      gint64 a = c->answered >= start ? (c->answered - start) / interval_ms : -1;

      if (by_answer && c->answered >= 0 && a >= 0 && a < n_intervals)
        g_hash_table_add (e[a].agents, (gpointer) c->agent);
      if (k < 0 || k >= n_intervals)
        continue;
      e[k].offered++;
      switch (c->fate)
        {
        case FATE_ANSWERED:
        case FATE_ON_THE_PHONE:
          e[k].answered++;
          e[k].wait_sum += c->answered - c->offered;
          e[k].wait_max = MAX (e[k].wait_max, c->answered - c->offered);
          if (c->answered - c->offered <= 60000)
            e[k].in_60++;
          break;
        case FATE_ABANDONED:
        case FATE_HUNG_UP:
          e[k].abandoned++;
          e[k].abandon_sum += c->second - c->offered;
          e[k].abandon_n++;
          break;
        case FATE_CALLBACK:
          e[k].callbacks_requested++;
          break;
        case FATE_CALLBACK_MADE:
          e[k].callbacks_requested++;
          e[k].callbacks_made++;
          break;
        case FATE_VOICEMAIL:
        case FATE_LOST:
        default:
          e[k].missed++;
          break;
        }
      if (c->answered >= 0 && c->ended >= 0)
        {
          e[k].talk_sum += c->ended - c->answered;
          e[k].talk_n++;
        }
    }
  return e;
}

static void
expected_free (Expected *e,
               guint     n)
{
  for (guint i = 0; i < n; i++)
    g_hash_table_unref (e[i].agents);
  g_free (e);
}

static void
assert_seconds (JsonObject *object,
                const char *key,
                gint64      sum_ms,
                gint64      n)
{
  JsonNode *node = json_object_get_member (object, key);

  g_assert_nonnull (node);
  if (n == 0)
    {
      g_assert_true (JSON_NODE_HOLDS_NULL (node));
      return;
    }
  g_assert_cmpfloat_with_epsilon (json_node_get_double (node), (double) sum_ms / n / 1000.0, 0.0501);
}

static void
assert_interval (JsonObject     *got,
                 const Expected *e)
{
  static const char * const keys[] = {
    "start", "offered", "answered", "abandoned", "missed", "callbacks_requested",
    "callbacks_made", "mean_wait_s", "longest_wait_s", "mean_abandon_s", "mean_talk_s",
    "service_level",
    /* Online requests (issue 18): none in these days of calls. */
    "online_requests", "online_medical", "online_admin", "online_with_outcome",
    "online_mean_wait_for_outcome_s", "online_longest_wait_for_outcome_s", "online_late",
    "emergency_stops", NULL
  };
  JsonNode *sl = json_object_get_member (got, "service_level");
  JsonNode *longest = json_object_get_member (got, "longest_wait_s");

  /* The keys, exactly. */
  g_assert_cmpuint (json_object_get_size (got), ==, g_strv_length ((char **) keys));
  for (guint i = 0; keys[i] != NULL; i++)
    g_assert_true (json_object_has_member (got, keys[i]));

  g_assert_cmpint (json_object_get_int_member (got, "online_requests"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (got, "offered"), ==, e->offered);
  g_assert_cmpint (json_object_get_int_member (got, "answered"), ==, e->answered);
  g_assert_cmpint (json_object_get_int_member (got, "abandoned"), ==, e->abandoned);
  g_assert_cmpint (json_object_get_int_member (got, "missed"), ==, e->missed);
  g_assert_cmpint (json_object_get_int_member (got, "callbacks_requested"), ==,
                   e->callbacks_requested);
  g_assert_cmpint (json_object_get_int_member (got, "callbacks_made"), ==, e->callbacks_made);
  assert_seconds (got, "mean_wait_s", e->wait_sum, e->answered);
  assert_seconds (got, "mean_abandon_s", e->abandon_sum, e->abandon_n);
  assert_seconds (got, "mean_talk_s", e->talk_sum, e->talk_n);
  if (e->answered == 0)
    g_assert_true (JSON_NODE_HOLDS_NULL (longest));
  else
    g_assert_cmpfloat_with_epsilon (json_node_get_double (longest), e->wait_max / 1000.0, 0.0501);
  if (e->offered == 0)
    g_assert_true (JSON_NODE_HOLDS_NULL (sl));
  else
    g_assert_cmpfloat_with_epsilon (json_node_get_double (sl), (double) e->in_60 / e->offered,
                                    0.00005001);
}

static JsonObject *
get_day (TestServer *ts,
         const char *token,
         const char *practice,
         const char *date)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/stats/day?practice=%s&date=%s", practice, date);

  return test_get_json (ts, path, token);
}

/* Checks the whole of /stats/day for @date against the test's reckoning. */
static void
check_day (TestServer *ts,
           const char *token,
           GArray     *calls,
           const char *date,
           gint64      start,
           gint64      end,
           guint       n_intervals)
{
  g_autoptr(JsonObject) day = get_day (ts, token, ts->practice_a, date);
  JsonArray *intervals = json_object_get_array_member (day, "intervals");
  Expected *e = expect (calls, start, n_intervals, QUARTER_MS, FALSE);
  Expected *total = expect (calls, start, 1, end - start, FALSE);

  g_assert_cmpuint (json_object_get_size (day), ==, 7);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (day, "requests")), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (day, "practice_id"), ==, ts->practice_a);
  g_assert_cmpstr (json_object_get_string_member (day, "date"), ==, date);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (day, "appointments")));
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (day, "triage")));
  g_assert_cmpuint (json_array_get_length (intervals), ==, n_intervals);
  for (guint i = 0; i < n_intervals; i++)
    {
      JsonObject *interval = json_array_get_object_element (intervals, i);
      g_autofree char *start_text = ms_text (start + i * QUARTER_MS);

      g_assert_cmpstr (json_object_get_string_member (interval, "start"), ==, start_text);
      assert_interval (interval, &e[i]);
    }
  {
    JsonObject *totals = json_object_get_object_member (day, "totals");
    g_autofree char *start_text = ms_text (start);

    g_assert_cmpstr (json_object_get_string_member (totals, "start"), ==, start_text);
    assert_interval (totals, &total[0]);
    /* The day is over: every call is accounted for. */
    g_assert_cmpint (total[0].offered, ==,
                     total[0].answered + total[0].abandoned + total[0].missed +
                     total[0].callbacks_requested);
  }
  expected_free (e, n_intervals);
  expected_free (total, 1);
}

static const char * const agents[] = { "agent-amy", "agent-bo", "agent-cai", "agent-dee" };

/* A Monday morning surge and a quiet afternoon, with every fate, a wait of
 * exactly 60 s and one of 61 s, and calls just either side of midnight. */
static GArray *
make_monday (gint64 midnight)
{
  GArray *calls = g_array_new (FALSE, FALSE, sizeof (Call));
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261116);

  g_array_set_clear_func (calls, (GDestroyNotify) call_clear);
  add_call (calls, "mon", FATE_ANSWERED, midnight - 5 * MINUTE_MS, 30000, 60000, agents[0]);
  add_call (calls, "mon", FATE_VOICEMAIL, midnight + 2 * MINUTE_MS, 20000, 0, NULL);
  add_call (calls, "mon", FATE_ANSWERED, midnight + 8 * HOUR_MS, 60000, 120000, agents[1]);
  add_call (calls, "mon", FATE_ANSWERED, midnight + 8 * HOUR_MS + 1000, 61000, 90000, agents[2]);
  for (guint i = 0; i < 60; i++)
    {
      gint64 offered = midnight + 8 * HOUR_MS + g_rand_int_range (rand, 0, 2 * 60 * 60) * 1000 +
                       g_rand_int_range (rand, 0, 1000);
      Fate fate = (Fate) g_rand_int_range (rand, 0, FATE_LOST + 1);
      gint64 after = g_rand_int_range (rand, 5, 900) * 1000 + g_rand_int_range (rand, 0, 1000);
      gint64 talk = g_rand_int_range (rand, 30, 600) * 1000;

      add_call (calls, "mon", fate, offered, after, talk,
                agents[g_rand_int_range (rand, 0, G_N_ELEMENTS (agents))]);
    }
  add_call (calls, "mon", FATE_ABANDONED, midnight + 14 * HOUR_MS, 3000, 0, NULL);
  add_call (calls, "mon", FATE_CALLBACK_MADE, midnight + 24 * HOUR_MS - 4 * MINUTE_MS, 60000,
            240000, agents[3]);
  add_call (calls, "mon", FATE_ANSWERED, midnight + 24 * HOUR_MS + MINUTE_MS, 10000, 10000,
            agents[0]);
  return calls;
}

static void
test_day (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *manager = test_login (ts, "mgr_a");
  gint64 midnight = midnight_ms (2026, 11, 16);
  g_autoptr(GArray) calls = make_monday (midnight);
  g_autoptr(SignpostCall) voicemail = NULL;
  g_autoptr(JsonObject) other = NULL;

  send_calls (ts, TEST_LINE_A, TEST_SECRET_A, calls);
  /* The same event twice is taken once. */
  post_event (ts, TEST_LINE_A, TEST_SECRET_A, "call.offered", g_array_index (calls, Call, 2).ref,
              g_array_index (calls, Call, 2).offered, NULL, "duplicate");
  check_day (ts, manager, calls, "2026-11-16", midnight, midnight + 24 * HOUR_MS, 96);

  /* The days either side hold only the calls offered on them. */
  other = get_day (ts, manager, ts->practice_a, "2026-11-15");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (other, "totals"),
                                               "offered"), ==, 1);
  g_clear_pointer (&other, json_object_unref);
  other = get_day (ts, manager, ts->practice_a, "2026-11-17");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (other, "totals"),
                                               "offered"), ==, 1);

  /* call.missed ends a waiting call without an answer. */
  {
    g_autoptr(GPtrArray) all = signpost_store_list_records (test_server_store (ts),
                                                            SIGNPOST_RECORD_CALL, ts->practice_a,
                                                            NULL);

    for (guint i = 0; i < all->len; i++)
      if (g_str_equal (signpost_call_get_call_ref (g_ptr_array_index (all, i)),
                       g_array_index (calls, Call, 1).ref))
        voicemail = g_object_ref (g_ptr_array_index (all, i));
  }
  g_assert_nonnull (voicemail);
  g_assert_cmpint (signpost_call_get_state (voicemail), ==, SIGNPOST_CALL_ENDED);
  g_assert_null (signpost_call_get_answered_at (voicemail));
  g_assert_nonnull (signpost_call_get_ended_at (voicemail));

  test_server_free (ts);
}

/* The clocks go forward at 01:00 GMT on 29 March 2026 (a 23-hour day of
 * 92 intervals) and back at 01:00 GMT on 25 October (25 hours, 100). */
static void
test_clock_changes (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *manager = test_login (ts, "mgr_a");
  g_autoptr(GArray) spring = g_array_new (FALSE, FALSE, sizeof (Call));
  g_autoptr(GArray) autumn = g_array_new (FALSE, FALSE, sizeof (Call));
  gint64 spring_start = midnight_ms (2026, 3, 29), spring_end = midnight_ms (2026, 3, 30);
  gint64 autumn_start = midnight_ms (2026, 10, 25), autumn_end = midnight_ms (2026, 10, 26);

  g_array_set_clear_func (spring, (GDestroyNotify) call_clear);
  g_array_set_clear_func (autumn, (GDestroyNotify) call_clear);
  g_assert_cmpint (spring_start, ==, utc_ms ("2026-03-29T00:00:00Z"));
  g_assert_cmpint (spring_end - spring_start, ==, 23 * HOUR_MS);
  g_assert_cmpint (autumn_start, ==, utc_ms ("2026-10-24T23:00:00Z"));
  g_assert_cmpint (autumn_end - autumn_start, ==, 25 * HOUR_MS);

  /* 00:50 GMT, 02:10 BST (twenty minutes later), 23:50 BST, and 00:10 BST
   * the next day. */
  add_call (spring, "spr", FATE_ANSWERED, utc_ms ("2026-03-29T00:50:00Z"), 40000, 100000, agents[0]);
  add_call (spring, "spr", FATE_ABANDONED, utc_ms ("2026-03-29T01:10:00Z"), 70000, 0, NULL);
  add_call (spring, "spr", FATE_CALLBACK, utc_ms ("2026-03-29T22:50:00Z"), 90000, 0, NULL);
  add_call (spring, "spr", FATE_ANSWERED, utc_ms ("2026-03-29T23:10:00Z"), 5000, 5000, agents[1]);
  send_calls (ts, TEST_LINE_A, TEST_SECRET_A, spring);
  check_day (ts, manager, spring, "2026-03-29", spring_start, spring_end, 92);

  /* 01:40 BST and, an hour later, 01:40 GMT: the same wall-clock time in
   * two different intervals; 23:59 GMT; and 23:30 BST the day before. */
  add_call (autumn, "aut", FATE_ANSWERED, utc_ms ("2026-10-25T00:40:00Z"), 20000, 300000, agents[0]);
  add_call (autumn, "aut", FATE_HUNG_UP, utc_ms ("2026-10-25T01:40:00Z"), 45000, 0, NULL);
  add_call (autumn, "aut", FATE_CALLBACK_MADE, utc_ms ("2026-10-25T01:41:00Z"), 30000, 200000, agents[2]);
  add_call (autumn, "aut", FATE_LOST, utc_ms ("2026-10-25T23:59:00Z"), 0, 0, NULL);
  add_call (autumn, "aut", FATE_ANSWERED, utc_ms ("2026-10-24T22:30:00Z"), 5000, 5000, agents[1]);
  send_calls (ts, TEST_LINE_A, TEST_SECRET_A, autumn);
  check_day (ts, manager, autumn, "2026-10-25", autumn_start, autumn_end, 100);

  test_server_free (ts);
}

static void
check_staffing (TestServer *ts,
                const char *token,
                GArray     *calls,
                gint64      midnight,
                const char *query,
                double      target,
                double      within,
                double      aht)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/stats/staffing?practice=%s&date=2026-11-16%s",
                                           ts->practice_a, query);
  g_autoptr(JsonObject) reply = test_get_json (ts, path, token);
  JsonArray *intervals = json_object_get_array_member (reply, "intervals");
  Expected *e = expect (calls, midnight, 96, QUARTER_MS, TRUE);
  guint busy = 0;

  g_assert_cmpuint (json_object_get_size (reply), ==, 3);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (reply, "target"), target, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (reply, "within_s"), within, 1e-9);
  g_assert_cmpuint (json_array_get_length (intervals), ==, 96);
  for (guint i = 0; i < 96; i++)
    {
      JsonObject *interval = json_array_get_object_element (intervals, i);
      g_autofree char *start = ms_text (midnight + i * QUARTER_MS);
      /* Offered calls in a quarter of an hour, times four, times the
       * handling time in hours. */
      double traffic = e[i].offered * 4.0 * aht / 3600.0;
      guint needed = 0;

      g_assert_cmpuint (json_object_get_size (interval), ==, 6);
      g_assert_cmpstr (json_object_get_string_member (interval, "start"), ==, start);
      g_assert_cmpint (json_object_get_int_member (interval, "offered"), ==, e[i].offered);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (interval, "aht_s"), aht, 0.0501);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (interval, "traffic_erlangs"),
                                      traffic, 0.0001);
      g_assert_true (signpost_erlang_agents_needed (traffic, aht, target, within, &needed));
      g_assert_cmpint (json_object_get_int_member (interval, "needed"), ==, needed);
      g_assert_cmpint (json_object_get_int_member (interval, "on_phones"), ==,
                       g_hash_table_size (e[i].agents));
      if (e[i].offered == 0)
        g_assert_cmpint (needed, ==, 0);
      else
        busy++;
    }
  g_assert_cmpuint (busy, >, 4);
  expected_free (e, 96);
}

static void
test_staffing (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *manager = test_login (ts, "mgr_a");
  g_autofree char *navigator = test_login (ts, "nav_a");
  gint64 midnight = midnight_ms (2026, 11, 16);
  g_autoptr(GArray) calls = make_monday (midnight);
  Expected *day = NULL;
  double measured;

  send_calls (ts, TEST_LINE_A, TEST_SECRET_A, calls);
  day = expect (calls, midnight, 1, 24 * HOUR_MS, FALSE);
  g_assert_cmpint (day->talk_n, >, 10);
  measured = (double) day->talk_sum / day->talk_n / 1000.0;
  expected_free (day, 1);

  /* The day's measured mean call length, 80 % in 20 s by default. */
  check_staffing (ts, manager, calls, midnight, "", 0.8, 20, measured);
  check_staffing (ts, manager, calls, midnight, "&target=0.9&within=30&aht=240", 0.9, 30, 240);

  /* on_phones counts Signpost users as well as the phone system's agents:
   * one call answered at the switchboard, one through the console. */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/London");
    g_autoptr(GDateTime) local = g_date_time_to_timezone (now, tz);
    g_autofree char *today = g_date_time_format (local, "%Y-%m-%d");
    g_autofree char *path = g_strdup_printf ("/api/v1/stats/staffing?practice=%s&date=%s&aht=100",
                                             ts->practice_a, today);
    gint64 now_ms = g_date_time_to_unix (now) * 1000;
    g_autoptr(JsonObject) reply = NULL;
    g_autoptr(JsonObject) result = NULL;
    g_autoptr(JsonObject) answer = NULL;
    g_autoptr(TestReply) offer = NULL;
    g_autofree char *body = test_event_json ("call.offered", "now-2", TEST_LINE_A, NULL, NULL, NULL);
    JsonArray *intervals;
    gint64 on_phones = 0;

    post_event (ts, TEST_LINE_A, TEST_SECRET_A, "call.offered", "now-1", now_ms, NULL, "accepted");
    post_event (ts, TEST_LINE_A, TEST_SECRET_A, "call.answered", "now-1", now_ms, "agent-eve",
                "accepted");
    offer = test_webhook (ts, TEST_SECRET_A, body, 0);
    answer = test_reply_json (offer);
    result = test_mutate_one (ts, navigator, "call", "answer",
                              json_object_get_string_member (answer, "call_id"), 0, NULL);
    g_assert_cmpstr (test_result_status (result), ==, "applied");

    reply = test_get_json (ts, path, manager);
    intervals = json_object_get_array_member (reply, "intervals");
    for (guint i = 0; i < json_array_get_length (intervals); i++)
      on_phones += json_object_get_int_member (json_array_get_object_element (intervals, i),
                                               "on_phones");
    /* Both in the same quarter hour, unless it turned over in between. */
    g_assert_cmpint (on_phones, >=, 2);
  }

  test_server_free (ts);
}

/* A day with no answered call has no measured handling time: intervals
 * with calls have no figure unless ?aht= gives one; empty ones need 0. */
static void
test_staffing_no_answers (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *manager = test_login (ts, "mgr_a");
  g_autoptr(GArray) calls = g_array_new (FALSE, FALSE, sizeof (Call));
  gint64 midnight = midnight_ms (2026, 11, 16);
  g_autofree char *path = g_strdup_printf ("/api/v1/stats/staffing?practice=%s&date=2026-11-16",
                                           ts->practice_a);
  g_autofree char *with_aht = g_strconcat (path, "&aht=36000&target=0.999999&within=0.001", NULL);
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(JsonObject) heavy = NULL;
  JsonObject *busy, *quiet;

  g_array_set_clear_func (calls, (GDestroyNotify) call_clear);
  for (guint i = 0; i < 40; i++)
    add_call (calls, "none", FATE_ABANDONED, midnight + 8 * HOUR_MS + i * 1000, 30000, 0, NULL);
  send_calls (ts, TEST_LINE_A, TEST_SECRET_A, calls);

  reply = test_get_json (ts, path, manager);
  busy = json_array_get_object_element (json_object_get_array_member (reply, "intervals"), 32);
  quiet = json_array_get_object_element (json_object_get_array_member (reply, "intervals"), 0);
  g_assert_cmpint (json_object_get_int_member (busy, "offered"), ==, 40);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (busy, "aht_s")));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (busy, "traffic_erlangs")));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (busy, "needed")));
  g_assert_cmpint (json_object_get_int_member (quiet, "needed"), ==, 0);
  g_assert_cmpfloat (json_object_get_double_member (quiet, "traffic_erlangs"), ==, 0.0);

  /* 160 calls an hour of ten hours each is 1,600 erlangs: far beyond
   * any factorial, and still a finite answer. */
  heavy = test_get_json (ts, with_aht, manager);
  busy = json_array_get_object_element (json_object_get_array_member (heavy, "intervals"), 32);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (busy, "traffic_erlangs"), 1600.0,
                                  1e-9);
  g_assert_cmpint (json_object_get_int_member (busy, "needed"), >, 1600);

  test_server_free (ts);
}

/* ---- appointments and triage ----------------------------------------- */

static char *
put_slot (TestServer       *ts,
          const char       *clinician,
          GDateTime        *start,
          SignpostSlotMode  mode,
          SignpostSlotStatus status)
{
  g_autoptr(SignpostSlot) slot = signpost_slot_new ();
  char *id = g_uuid_string_random ();

  signpost_record_set_id (SIGNPOST_RECORD (slot), id);
  signpost_record_set_practice_id (SIGNPOST_RECORD (slot), ts->practice_a);
  signpost_slot_set_clinician_id (slot, clinician);
  signpost_slot_set_start (slot, start);
  signpost_slot_set_duration_minutes (slot, 10);
  signpost_slot_set_mode (slot, mode);
  signpost_slot_set_hub_bookable (slot, TRUE);
  signpost_slot_set_status (slot, status);
  test_put_record (ts, slot);
  return id;
}

static void
put_appointment (TestServer                *ts,
                 const char                *slot_id,
                 SignpostAppointmentStatus  status)
{
  g_autoptr(SignpostAppointment) appointment = signpost_appointment_new ();
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *patient = test_add_patient (ts, ts->practice_a);

  signpost_record_set_id (SIGNPOST_RECORD (appointment), id);
  signpost_record_set_practice_id (SIGNPOST_RECORD (appointment), ts->practice_a);
  signpost_appointment_set_slot_id (appointment, slot_id);
  signpost_appointment_set_patient_id (appointment, patient);
  signpost_appointment_set_reason (appointment, "Sore knee since Tuesday");
  signpost_appointment_set_status (appointment, status);
  test_put_record (ts, appointment);
}

static JsonObject *
find_row (JsonArray  *rows,
          const char *key_1,
          const char *value_1,
          const char *key_2,
          const char *value_2)
{
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (row, key_1, NULL), value_1) == 0 &&
          (key_2 == NULL ||
           g_strcmp0 (json_object_get_string_member_with_default (row, key_2, NULL), value_2) == 0))
        return row;
    }
  return NULL;
}

static void
assert_counts (JsonObject *row,
               gint64      offered,
               gint64      booked,
               gint64      used,
               gint64      dna)
{
  g_assert_nonnull (row);
  g_assert_cmpuint (json_object_get_size (row), ==, 8);
  g_assert_cmpint (json_object_get_int_member (row, "offered"), ==, offered);
  g_assert_cmpint (json_object_get_int_member (row, "booked"), ==, booked);
  g_assert_cmpint (json_object_get_int_member (row, "used"), ==, used);
  g_assert_cmpint (json_object_get_int_member (row, "dna"), ==, dna);
}

static void
create_triage (TestServer *ts,
               const char *token,
               const char *urgency,
               const char *route_json,
               const char *outcome)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *patient = test_add_patient (ts, ts->practice_a);
  g_autofree char *data = g_strdup_printf ("{\"id\":\"%s\",\"practice_id\":\"%s\","
                                           "\"patient_id\":\"%s\",\"reason\":\"Rash on my arm, "
                                           "itchy for a week\",\"urgency\":\"%s\",\"route\":%s,"
                                           "\"status\":\"open\",\"outcome\":\"%s\","
                                           "\"contact_number\":\"+447700900555\"}",
                                           id, ts->practice_a, patient, urgency, route_json, outcome);
  g_autoptr(JsonObject) result = test_mutate_one (ts, token, "triage", "create", id, 0, data);

  if (g_strcmp0 (test_result_status (result), "applied") != 0)
    g_error ("triage create: %s", signpost_json_object_to_string (result, NULL));
}

static void
test_appointments_and_triage (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *manager = test_login (ts, "mgr_a");
  g_autofree char *navigator = test_login (ts, "nav_a");
  g_autofree char *nurse = test_add_clinician (ts, ts->practice_a);
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/London");
  g_autoptr(GDateTime) now = g_date_time_new_now (tz);
  g_autoptr(GDateTime) day = g_date_time_add_days (now, 3);
  g_autoptr(GDateTime) nine = g_date_time_new (tz, g_date_time_get_year (day),
                                               g_date_time_get_month (day),
                                               g_date_time_get_day_of_month (day), 9, 0, 0);
  g_autoptr(GDateTime) late = g_date_time_add_minutes (nine, 14 * 60 + 50);
  g_autoptr(GDateTime) next_day = g_date_time_add_days (nine, 1);
  g_autofree char *date = g_date_time_format (nine, "%Y-%m-%d");
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(JsonObject) today_reply = NULL;
  g_autoptr(TestReply) raw = NULL;
  JsonArray *rows;
  const char *modes[] = { "face_to_face", "telephone" };

  /* GP: face to face: 2 free, 1 blocked, booked ×2, arrived, seen, DNA,
   * and one whose appointment was cancelled (free again); telephone: 1
   * booked. The nurse: 1 video, seen, at 23:50. Nothing the next day. */
  {
    g_autoptr(GDateTime) t = g_date_time_ref (nine);
    SignpostAppointmentStatus statuses[] = {
      SIGNPOST_APPOINTMENT_BOOKED, SIGNPOST_APPOINTMENT_BOOKED, SIGNPOST_APPOINTMENT_ARRIVED,
      SIGNPOST_APPOINTMENT_SEEN, SIGNPOST_APPOINTMENT_DID_NOT_ATTEND,
    };
    g_autofree char *cancelled_slot = NULL;
    g_autofree char *phone_slot = NULL;
    g_autofree char *nurse_slot = NULL;
    g_autofree char *tomorrow_slot = NULL;

    for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
      {
        g_autofree char *slot = put_slot (ts, ts->gp_a, t, SIGNPOST_SLOT_MODE_FACE_TO_FACE,
                                          SIGNPOST_SLOT_BOOKED);
        GDateTime *next = g_date_time_add_minutes (t, 10);

        put_appointment (ts, slot, statuses[i]);
        g_date_time_unref (t);
        t = next;
      }
    g_free (put_slot (ts, ts->gp_a, t, SIGNPOST_SLOT_MODE_FACE_TO_FACE, SIGNPOST_SLOT_FREE));
    g_free (put_slot (ts, ts->gp_a, t, SIGNPOST_SLOT_MODE_FACE_TO_FACE, SIGNPOST_SLOT_FREE));
    g_free (put_slot (ts, ts->gp_a, t, SIGNPOST_SLOT_MODE_FACE_TO_FACE, SIGNPOST_SLOT_BLOCKED));
    cancelled_slot = put_slot (ts, ts->gp_a, t, SIGNPOST_SLOT_MODE_FACE_TO_FACE, SIGNPOST_SLOT_FREE);
    put_appointment (ts, cancelled_slot, SIGNPOST_APPOINTMENT_CANCELLED);
    phone_slot = put_slot (ts, ts->gp_a, t, SIGNPOST_SLOT_MODE_TELEPHONE, SIGNPOST_SLOT_BOOKED);
    put_appointment (ts, phone_slot, SIGNPOST_APPOINTMENT_BOOKED);
    nurse_slot = put_slot (ts, nurse, late, SIGNPOST_SLOT_MODE_VIDEO, SIGNPOST_SLOT_BOOKED);
    put_appointment (ts, nurse_slot, SIGNPOST_APPOINTMENT_SEEN);
    tomorrow_slot = put_slot (ts, nurse, next_day, SIGNPOST_SLOT_MODE_VIDEO, SIGNPOST_SLOT_FREE);
  }

  reply = get_day (ts, manager, ts->practice_a, date);
  rows = json_object_get_array_member (reply, "appointments");
  g_assert_cmpuint (json_array_get_length (rows), ==, 3);
  assert_counts (find_row (rows, "clinician_id", ts->gp_a, "mode", modes[0]), 8, 5, 2, 1);
  assert_counts (find_row (rows, "clinician_id", ts->gp_a, "mode", modes[1]), 1, 1, 0, 0);
  assert_counts (find_row (rows, "clinician_id", nurse, "mode", "video"), 1, 1, 1, 0);
  g_assert_cmpstr (json_object_get_string_member (find_row (rows, "clinician_id", nurse, NULL, NULL),
                                                  "clinician_name"), ==, "Gemma Pearce");
  g_assert_cmpstr (json_object_get_string_member (find_row (rows, "clinician_id", nurse, NULL, NULL),
                                                  "profession"), ==, "gp");

  /* Triage records by route, urgency and outcome: today's. */
  create_triage (ts, navigator, "same_day", "{\"kind\":\"duty\"}", "sent_to_duty");
  create_triage (ts, navigator, "same_day", "{\"kind\":\"duty\"}", "sent_to_duty");
  create_triage (ts, navigator, "routine", "{\"kind\":\"signpost\",\"signpost\":\"pharmacy_first\"}",
                 "signposted");
  create_triage (ts, navigator, "routine", "{\"kind\":\"signpost\",\"signpost\":\"pharmacy_first\"}",
                 "none");
  create_triage (ts, navigator, "within_2_weeks",
                 "{\"kind\":\"profession\",\"profession\":\"first_contact_physio\"}", "booked");
  create_triage (ts, navigator, "emergency", "{\"kind\":\"signpost\",\"signpost\":\"emergency_999\"}",
                 "signposted");
  g_free (test_add_triage (ts, ts->practice_b));

  {
    g_autofree char *path = g_strdup_printf ("/api/v1/stats/day?practice=%s&date=%s",
                                             ts->practice_a, today);

    raw = test_http (ts, NULL, "GET", path, manager, NULL, -1);
    g_assert_cmpuint (raw->status, ==, 200);
    /* Counts only: no patient, no words of theirs, no numbers. */
    g_assert_null (strstr (raw->body, "Rash"));
    g_assert_null (strstr (raw->body, "+4477"));
    g_assert_null (strstr (raw->body, "patient"));
    today_reply = test_reply_json (raw);
  }
  rows = json_object_get_array_member (today_reply, "triage");
  g_assert_cmpuint (json_array_get_length (rows), ==, 5);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    g_assert_cmpuint (json_object_get_size (json_array_get_object_element (rows, i)), ==, 5);
  {
    JsonObject *duty = find_row (rows, "route", "duty", NULL, NULL);
    JsonObject *physio = find_row (rows, "route", "profession", NULL, NULL);
    JsonObject *emergency = find_row (rows, "urgency", "emergency", NULL, NULL);
    JsonObject *signposted = find_row (rows, "target", "pharmacy_first", "outcome", "signposted");
    JsonObject *open = find_row (rows, "target", "pharmacy_first", "outcome", "none");

    g_assert_nonnull (duty);
    g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (duty, "target")));
    g_assert_cmpstr (json_object_get_string_member (duty, "urgency"), ==, "same_day");
    g_assert_cmpstr (json_object_get_string_member (duty, "outcome"), ==, "sent_to_duty");
    g_assert_cmpint (json_object_get_int_member (duty, "count"), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (physio, "target"), ==, "first_contact_physio");
    g_assert_cmpint (json_object_get_int_member (physio, "count"), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (emergency, "target"), ==, "emergency_999");
    g_assert_cmpint (json_object_get_int_member (signposted, "count"), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (open, "urgency"), ==, "routine");
  }
  /* Not on the appointments' day. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply, "triage")), ==, 0);

  test_server_free (ts);
}

/* ---- who may ask, and how -------------------------------------------- */

/* @template with its "@P@" replaced by @practice. */
static char *
fill (const char *template,
      const char *practice)
{
  GString *text = g_string_new (template);

  g_string_replace (text, "@P@", practice, 0);
  return g_string_free (text, FALSE);
}

static void
test_access_and_params (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *manager = test_login (ts, "mgr_a");
  g_autofree char *admin = test_login (ts, "admin");
  g_autofree char *navigator = test_login (ts, "nav_a");
  g_autofree char *hub = test_login (ts, "hub");
  g_autofree char *clinician = test_login (ts, "clin_a");
  g_autofree char *unknown = g_uuid_string_random ();
  const char *endpoints[] = {
    "/api/v1/stats/day?date=2026-11-16&practice=@P@",
    "/api/v1/stats/staffing?date=2026-11-16&practice=@P@",
    "/api/v1/stats/cbt-export?month=2026-11&practice=@P@",
  };
  struct {
    const char *query;
    const char *field;
  } bad[] = {
    { "/api/v1/stats/day?practice=@P@", "date" },
    { "/api/v1/stats/day?practice=@P@&date=2026-02-30", "date" },
    { "/api/v1/stats/day?practice=@P@&date=16/11/2026", "date" },
    { "/api/v1/stats/day?practice=@P@&date=2026-11-16T00:00:00Z", "date" },
    { "/api/v1/stats/day?practice=@P@&date=2026-11-16&practice=x", NULL },
    { "/api/v1/stats/staffing?practice=@P@&date=2026-11-16&target=0", "target" },
    { "/api/v1/stats/staffing?practice=@P@&date=2026-11-16&target=1", "target" },
    { "/api/v1/stats/staffing?practice=@P@&date=2026-11-16&target=80", "target" },
    { "/api/v1/stats/staffing?practice=@P@&date=2026-11-16&target=-0.5", "target" },
    { "/api/v1/stats/staffing?practice=@P@&date=2026-11-16&target=nan", "target" },
    { "/api/v1/stats/staffing?practice=@P@&date=2026-11-16&target=0.8x", "target" },
    { "/api/v1/stats/staffing?practice=@P@&date=2026-11-16&within=0", "within" },
    { "/api/v1/stats/staffing?practice=@P@&date=2026-11-16&within=-20", "within" },
    { "/api/v1/stats/staffing?practice=@P@&date=2026-11-16&within=", "within" },
    { "/api/v1/stats/staffing?practice=@P@&date=2026-11-16&aht=0", "aht" },
    { "/api/v1/stats/staffing?practice=@P@&date=2026-11-16&aht=three", "aht" },
    { "/api/v1/stats/staffing?practice=@P@&date=2026-11-16&aht=inf", "aht" },
    { "/api/v1/stats/staffing?practice=@P@&date=x&aht=0", "date" },
    { "/api/v1/stats/cbt-export?practice=@P@", "month" },
    { "/api/v1/stats/cbt-export?practice=@P@&month=2026-13", "month" },
    { "/api/v1/stats/cbt-export?practice=@P@&month=2026-1", "month" },
    { "/api/v1/stats/cbt-export?practice=@P@&month=2026-11-01", "month" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (endpoints); i++)
    {
      g_autofree char *a = fill (endpoints[i], ts->practice_a);
      g_autofree char *b = fill (endpoints[i], ts->practice_b);
      g_autofree char *nobody = fill (endpoints[i], unknown);
      g_autofree char *malformed = fill (endpoints[i], "Y99951");
      g_autoptr(TestReply) r1 = test_http (ts, NULL, "GET", a, navigator, NULL, -1);
      g_autoptr(TestReply) r2 = test_http (ts, NULL, "GET", a, hub, NULL, -1);
      g_autoptr(TestReply) r3 = test_http (ts, NULL, "GET", a, clinician, NULL, -1);
      g_autoptr(TestReply) r4 = test_http (ts, NULL, "GET", a, NULL, NULL, -1);
      g_autoptr(TestReply) r5 = test_http (ts, NULL, "GET", a, manager, NULL, -1);
      g_autoptr(TestReply) r6 = test_http (ts, NULL, "GET", b, manager, NULL, -1);
      g_autoptr(TestReply) r7 = test_http (ts, NULL, "GET", b, admin, NULL, -1);
      g_autoptr(TestReply) r8 = test_http (ts, NULL, "GET", nobody, manager, NULL, -1);
      g_autoptr(TestReply) r9 = test_http (ts, NULL, "GET", malformed, admin, NULL, -1);
      g_autoptr(TestReply) r10 = test_http (ts, NULL, "POST", a, manager, "{}", -1);

      /* Navigators and clinicians, whatever the practice: 403. */
      test_assert_problem (r1, 403, NULL);
      test_assert_problem (r2, 403, NULL);
      test_assert_problem (r3, 403, NULL);
      test_assert_problem (r4, 401, NULL);
      g_assert_cmpuint (r5->status, ==, 200);
      /* A manager only for their own practices; an administrator for all. */
      test_assert_problem (r6, 403, "practice");
      g_assert_cmpuint (r7->status, ==, 200);
      test_assert_problem (r8, 404, "practice");
      test_assert_problem (r9, 422, "practice");
      test_assert_problem (r10, 405, NULL);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *path = fill (bad[i].query, ts->practice_a);
      g_autoptr(TestReply) reply = test_http (ts, NULL, "GET", path, manager, NULL, -1);

      if (bad[i].field == NULL)
        g_assert_cmpuint (reply->status / 100, ==, 4);
      else
        test_assert_problem (reply, 422, bad[i].field);
    }

  /* Someone of one practice may leave it out. */
  {
    g_autoptr(JsonObject) day = test_get_json (ts, "/api/v1/stats/day?date=2026-11-16", manager);

    g_assert_cmpstr (json_object_get_string_member (day, "practice_id"), ==, ts->practice_a);
  }
  test_server_free (ts);
}

/* ---- the NHS export -------------------------------------------------- */

/* RFC 4180, strictly: CRLF ends every record; a field is plain (no quote,
 * comma, CR or LF) or quoted with doubled quotes inside. */
static GPtrArray *
parse_csv (const char *text,
           gsize       length)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *row = g_ptr_array_new_with_free_func (g_free);
  GString *field = g_string_new (NULL);
  gsize i = 0;

  g_assert_cmpuint (length, >, 2);
  g_assert_true (text[length - 2] == '\r' && text[length - 1] == '\n');
  while (i < length)
    {
      if (text[i] == '"')
        {
          for (i++;; i++)
            {
              g_assert_cmpuint (i, <, length);
              if (text[i] == '"')
                {
                  if (i + 1 < length && text[i + 1] == '"')
                    {
                      g_string_append_c (field, '"');
                      i++;
                      continue;
                    }
                  i++;
                  break;
                }
              g_string_append_c (field, text[i]);
            }
        }
      else
        while (i < length && text[i] != ',' && text[i] != '\r')
          {
            g_assert_true (text[i] != '"' && text[i] != '\n');
            g_string_append_c (field, text[i++]);
          }
      g_ptr_array_add (row, g_strdup (field->str));
      g_string_truncate (field, 0);
      g_assert_cmpuint (i, <, length);
      if (text[i] == ',')
        i++;
      else
        {
          g_assert_true (text[i] == '\r' && i + 1 < length && text[i + 1] == '\n');
          i += 2;
          g_ptr_array_add (rows, row);
          row = g_ptr_array_new_with_free_func (g_free);
        }
    }
  g_ptr_array_unref (row);
  g_string_free (field, TRUE);
  return rows;
}

#define CSV_COLUMNS 12

static const char *
cell (GPtrArray *rows,
      guint      row,
      guint      column)
{
  return g_ptr_array_index ((GPtrArray *) g_ptr_array_index (rows, row), column);
}

static void
test_cbt_export (void)
{
  TestServer *ts = test_server_new (NULL);
  static const char tricky[] = "Riverside \"North\", Ltd";
  static const char line_c[] = "+442079460103";
  static const char secret_c[] = "line-secret-practice-c";
  g_autoptr(SignpostPractice) practice = signpost_practice_new ();
  g_autofree char *practice_c = g_uuid_string_random ();
  g_autofree char *both = NULL;
  g_autofree char *manager = NULL;
  g_autofree char *admin = NULL;
  g_autofree char *path = g_strdup_printf ("/api/v1/stats/cbt-export?month=2026-11&practice=%s",
                                           practice_c);
  g_autoptr(TestReply) one = NULL;
  g_autoptr(TestReply) mine = NULL;
  g_autoptr(TestReply) all = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) mine_rows = NULL;
  g_autoptr(GPtrArray) all_rows = NULL;
  g_autoptr(GArray) calls = NULL;
  g_autoptr(GError) error = NULL;
  const char * const lines[] = { line_c, NULL };
  gint64 midnight = midnight_ms (2026, 11, 16);
  Expected *e;

  signpost_record_set_id (SIGNPOST_RECORD (practice), practice_c);
  signpost_record_set_practice_id (SIGNPOST_RECORD (practice), practice_c);
  signpost_practice_set_ods_code (practice, "Y99953");
  signpost_practice_set_name (practice, tricky);
  signpost_practice_set_lines (practice, lines);
  signpost_practice_set_time_zone (practice, "Europe/London");
  test_put_record (ts, practice);
  g_assert_true (signpost_store_set_line (test_server_store (ts), line_c, practice_c, secret_c,
                                          &error));
  both = test_add_user (ts, "mgr_ac", SIGNPOST_ROLE_MANAGER, ts->practice_a, practice_c, FALSE);
  manager = test_login (ts, "mgr_ac");
  admin = test_login (ts, "admin");

  calls = make_monday (midnight);
  send_calls (ts, line_c, secret_c, calls);

  one = test_http (ts, NULL, "GET", path, manager, NULL, -1);
  g_assert_cmpuint (one->status, ==, 200);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (one->headers, NULL),
                                   "text/csv"));
  rows = parse_csv (one->body, one->length);
  g_assert_cmpuint (rows->len, ==, 1 + 30);
  for (guint i = 0; i < rows->len; i++)
    g_assert_cmpuint (((GPtrArray *) g_ptr_array_index (rows, i))->len, ==, CSV_COLUMNS);
  g_assert_cmpstr (cell (rows, 0, 0), ==, "ods_code");
  g_assert_cmpstr (cell (rows, 0, 3), ==, "call_volume");
  g_assert_cmpstr (cell (rows, 0, 11), ==, "mean_call_length_seconds");
  /* The name comes back whole, and was quoted on the wire. */
  g_assert_nonnull (strstr (one->body, ",\"Riverside \"\"North\"\", Ltd\","));
  for (guint day = 1; day <= 30; day++)
    {
      g_autofree char *date = g_strdup_printf ("2026-11-%02u", day);

      g_assert_cmpstr (cell (rows, day, 0), ==, "Y99953");
      g_assert_cmpstr (cell (rows, day, 1), ==, tricky);
      g_assert_cmpstr (cell (rows, day, 2), ==, date);
    }

  /* Monday 16th, counted in the test; the 15th and 17th hold a call each. */
  e = expect (calls, midnight, 1, 24 * HOUR_MS, FALSE);
  g_assert_cmpint (g_ascii_strtoll (cell (rows, 16, 3), NULL, 10), ==, e->offered);
  g_assert_cmpint (g_ascii_strtoll (cell (rows, 16, 4), NULL, 10), ==, e->answered);
  g_assert_cmpint (g_ascii_strtoll (cell (rows, 16, 5), NULL, 10), ==, e->abandoned);
  g_assert_cmpint (g_ascii_strtoll (cell (rows, 16, 6), NULL, 10), ==, e->missed);
  g_assert_cmpfloat_with_epsilon (g_ascii_strtod (cell (rows, 16, 7), NULL),
                                  (double) e->wait_sum / e->answered / 1000.0, 0.0501);
  g_assert_cmpfloat_with_epsilon (g_ascii_strtod (cell (rows, 16, 8), NULL),
                                  (double) e->abandon_sum / e->abandon_n / 1000.0, 0.0501);
  g_assert_cmpint (g_ascii_strtoll (cell (rows, 16, 9), NULL, 10), ==, e->callbacks_requested);
  g_assert_cmpint (g_ascii_strtoll (cell (rows, 16, 10), NULL, 10), ==, e->callbacks_made);
  g_assert_cmpfloat_with_epsilon (g_ascii_strtod (cell (rows, 16, 11), NULL),
                                  (double) e->talk_sum / e->talk_n / 1000.0, 0.0501);
  expected_free (e, 1);
  g_assert_cmpstr (cell (rows, 15, 3), ==, "1");
  g_assert_cmpstr (cell (rows, 17, 3), ==, "1");
  /* A day with no calls: zero counts, empty means. */
  g_assert_cmpstr (cell (rows, 1, 3), ==, "0");
  g_assert_cmpstr (cell (rows, 1, 7), ==, "");

  /* Without ?practice: every practice the caller may see, by ODS code. */
  mine = test_http (ts, NULL, "GET", "/api/v1/stats/cbt-export?month=2026-11", manager, NULL, -1);
  g_assert_cmpuint (mine->status, ==, 200);
  mine_rows = parse_csv (mine->body, mine->length);
  g_assert_cmpuint (mine_rows->len, ==, 1 + 2 * 30);
  g_assert_cmpstr (cell (mine_rows, 1, 0), ==, "Y99951");
  g_assert_cmpstr (cell (mine_rows, 31, 0), ==, "Y99953");
  g_assert_cmpstr (cell (mine_rows, 31 + 15, 1), ==, tricky);
  all = test_http (ts, NULL, "GET", "/api/v1/stats/cbt-export?month=2026-02", admin, NULL, -1);
  g_assert_cmpuint (all->status, ==, 200);
  all_rows = parse_csv (all->body, all->length);
  g_assert_cmpuint (all_rows->len, ==, 1 + 3 * 28);
  for (guint i = 0; i < all_rows->len; i++)
    g_assert_cmpuint (((GPtrArray *) g_ptr_array_index (all_rows, i))->len, ==, CSV_COLUMNS);

  test_server_free (ts);
}

/* The quoting rule on its own, with the awkward characters. */
static void
test_csv_field (void)
{
  struct {
    const char *in;
    const char *out;
  } cases[] = {
    { "Hillview Surgery", "Hillview Surgery" },
    { "Riverside \"North\", Ltd", "\"Riverside \"\"North\"\", Ltd\"" },
    { "a,b", "\"a,b\"" },
    { "two\r\nlines", "\"two\r\nlines\"" },
    { "line\nfeed", "\"line\nfeed\"" },
    { "\"", "\"\"\"\"" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) out = g_string_new (NULL);
      g_autoptr(GPtrArray) rows = NULL;

      signpost_stats_csv_append_field (out, cases[i].in);
      g_assert_cmpstr (out->str, ==, cases[i].out);
      g_string_append (out, ",x\r\n");
      rows = parse_csv (out->str, out->len);
      g_assert_cmpuint (rows->len, ==, 1);
      g_assert_cmpstr (cell (rows, 0, 0), ==, cases[i].in);
      g_assert_cmpstr (cell (rows, 0, 1), ==, "x");
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/server/stats/day", test_day);
  g_test_add_func ("/signpost/server/stats/clock-changes", test_clock_changes);
  g_test_add_func ("/signpost/server/stats/staffing", test_staffing);
  g_test_add_func ("/signpost/server/stats/staffing-no-answers", test_staffing_no_answers);
  g_test_add_func ("/signpost/server/stats/appointments-and-triage", test_appointments_and_triage);
  g_test_add_func ("/signpost/server/stats/access-and-params", test_access_and_params);
  g_test_add_func ("/signpost/server/stats/cbt-export", test_cbt_export);
  g_test_add_func ("/signpost/server/stats/csv-field", test_csv_field);

  return g_test_run ();
}
