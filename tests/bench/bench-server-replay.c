/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-server-util.h"

/*
 * A Monday for a 50,000-patient hub, replayed at full speed: the real
 * signpost-callgen --replay against the real signpost-server seeded with
 * the demo hub scaled to 50,000 patients (synthetic, Ofcom drama
 * numbers). Figures:
 *
 *  1. events accepted a second by the server, and server CPU per event;
 *  2. GET /stats/day on that day (and /stats/staffing, the month's CSV);
 *  3. events a second again with 2,000 calls waiting in the queue, the
 *     state in which per-event costs that grow with the queue show;
 *  4. what the webhook takes from a phone system delivering on 8
 *     connections at once (offers and hang-ups, signed here), when the
 *     server rather than the simulator is the limit.
 *
 *   bench-server-replay [SCALE]     (default 3.125: 31,250 + 18,750 patients)
 *
 * On SQLite and, when a server is named, on PostgreSQL with one instance
 * and with two instances on one database, side by side. With two, the
 * simulator's phone system posts to the first (one address, as a phone
 * system has) while the second hears every commit; the phone system on 8
 * connections spreads them over both.
 */

#define MONDAY "2026-11-16"
#define SECOND_MONDAY "2026-11-09"
#define WAITING 2000
#define STATS_REPEATS 20
#define FLOOD_CONNECTIONS 8
#define FLOOD_CALLS 1500

typedef struct {
  double events_per_s;
  double cpu_ms_per_event;
  guint events;
  guint offered;
  double wall_s;
} Replay;

static double
summary_number (const char *out,
                const char *label)
{
  g_autofree char *pattern = g_strdup_printf ("^  %s +([0-9.]+)", label);
  g_autoptr(GRegex) regex = g_regex_new (pattern, G_REGEX_MULTILINE, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *digits = NULL;

  if (!g_regex_match (regex, out, 0, &match))
    g_error ("no “%s” in the simulator's summary:\n%s", label, out);
  digits = g_match_info_fetch (match, 1);
  return g_ascii_strtod (digits, NULL);
}

/* Runs the simulator to the end. The server's CPU is counted from the
 * moment the simulator starts sending (it first reads the lines and the
 * 50,000 patients from the change feed); without stdbuf(1) the output
 * comes at the end, and the count includes the feed. */
static Replay
replay (BenchServer *server,
        const char  *day,
        const char  *seed)
{
  const char *bin = g_getenv ("SIGNPOST_CALLGEN_BIN");
  g_autoptr(GSubprocess) callgen = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *stdbuf = NULL;
  gint64 cpu_before = -1, start = 0;
  Replay r = { 0 };
  char *line;

  if (bin == NULL)
    g_error ("SIGNPOST_CALLGEN_BIN is not set");
  /* Line-buffered, so that "Replaying …" arrives when it is printed. */
  stdbuf = g_find_program_in_path ("stdbuf");
  if (stdbuf != NULL)
    callgen = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                &error, stdbuf, "-oL", bin, "--server", server->base, "--replay", day,
                                "--seed", seed, "--navigators", "12", "--handle-time", "180", NULL);
  else
    callgen = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                &error, bin, "--server", server->base, "--replay", day, "--seed", seed,
                                "--navigators", "12", "--handle-time", "180", NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (callgen));
  while ((line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error)) != NULL)
    {
      if (cpu_before < 0 && g_str_has_prefix (line, "Replaying "))
        {
          cpu_before = bench_server_cpu_ms (server);
          start = g_get_monotonic_time ();
        }
      g_string_append_printf (out, "%s\n", line);
      g_free (line);
    }
  g_assert_no_error (error);
  g_subprocess_wait (callgen, NULL, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (callgen) || cpu_before < 0)
    g_error ("signpost-callgen failed:\n%s", out->str);
  r.wall_s = (g_get_monotonic_time () - start) / 1e6;
  r.events = summary_number (out->str, "events accepted");
  r.offered = summary_number (out->str, "calls offered");
  r.events_per_s = summary_number (out->str, "events/s");
  r.cpu_ms_per_event = r.events > 0 ? (double) (bench_server_cpu_ms (server) - cpu_before) / r.events : 0;
  g_assert_cmpuint (summary_number (out->str, "events failed"), ==, 0);
  return r;
}

/* @n calls offered on line 1 on the Friday before, never answered: they
 * wait, ahead of everything the replay offers. */
static void
fill_queue (SoupSession *session,
            BenchServer *server,
            guint        n)
{
  g_autofree char *uri = g_strconcat (server->base, "/api/v1/telephony/events", NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
      g_autofree char *body = g_strdup_printf ("{\"event\":\"call.offered\",\"call_ref\":\"bench-wait-%u\","
                                               "\"line\":\"+442079460001\",\"cli\":\"+447700900%03u\","
                                               "\"at\":\"2026-11-13T%02u:%02u:%02uZ\"}",
                                               i, i % 1000, 8 + i / 3600, i / 60 % 60, i % 60);
      g_autofree char *timestamp = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);
      g_autofree char *signed_text = g_strconcat (timestamp, ".", body, NULL);
      g_autofree char *hex = g_compute_hmac_for_string (G_CHECKSUM_SHA256,
                                                        (const guchar *) "demo-line-secret",
                                                        strlen ("demo-line-secret"), signed_text, -1);
      g_autofree char *signature = g_strconcat ("sha256=", hex, NULL);
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      g_autoptr(GBytes) reply = NULL;
      g_autoptr(GError) error = NULL;

      soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Signpost-Timestamp", timestamp);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Signpost-Signature", signature);
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
      reply = soup_session_send_and_read (session, msg, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
    }
}

typedef struct {
  SoupSession *session;
  char *uris[2];
  guint n_uris;
  guint done;
  guint failed;
} Flood;

/* One connection's worth: calls k, k + FLOOD_CONNECTIONS, …, each offered
 * and then hung up, one request in flight at a time. */
typedef struct {
  Flood *flood;
  guint lane;
  guint call;
  gboolean hang_up;
} Lane;

static void lane_send (Lane *lane);

static void
lane_done (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  Lane *lane = data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) reply = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  if (reply == NULL || soup_message_get_status (msg) != 200)
    lane->flood->failed++;
  lane->flood->done++;
  if (lane->hang_up)
    lane->call += FLOOD_CONNECTIONS;
  lane->hang_up = !lane->hang_up;
  lane_send (lane);
}

static void
lane_send (Lane *lane)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *body = NULL;
  g_autofree char *timestamp = NULL;
  g_autofree char *signed_text = NULL;
  g_autofree char *hex = NULL;
  g_autofree char *signature = NULL;
  g_autoptr(GBytes) bytes = NULL;
  guint call = lane->call;

  if (call >= FLOOD_CALLS)
    return;
  body = g_strdup_printf ("{\"event\":\"%s\",\"call_ref\":\"bench-flood-%u\","
                          "\"line\":\"+442079460002\",\"cli\":null,"
                          "\"at\":\"2026-11-20T%02u:%02u:%02uZ\"}",
                          lane->hang_up ? "call.abandoned" : "call.offered", call,
                          8 + call / 3600, call / 60 % 60, call % 60);
  timestamp = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);
  signed_text = g_strconcat (timestamp, ".", body, NULL);
  hex = g_compute_hmac_for_string (G_CHECKSUM_SHA256, (const guchar *) "demo-line-secret",
                                   strlen ("demo-line-secret"), signed_text, -1);
  signature = g_strconcat ("sha256=", hex, NULL);
  bytes = g_bytes_new (body, strlen (body));
  msg = soup_message_new ("POST", lane->flood->uris[lane->lane % lane->flood->n_uris]);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Signpost-Timestamp", timestamp);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Signpost-Signature", signature);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  soup_session_send_and_read_async (lane->flood->session, msg, G_PRIORITY_DEFAULT, NULL, lane_done,
                                    lane);
}

/* Offers and hang-ups on FLOOD_CONNECTIONS connections at once, spread
 * over @server and @other (if not %NULL). */
static Replay
flood (BenchServer *server,
       BenchServer *other)
{
  Flood f = { 0 };
  Lane lanes[FLOOD_CONNECTIONS];
  gint64 cpu_before = bench_server_cpu_ms (server);
  gint64 start = g_get_monotonic_time ();
  Replay r = { 0 };

  f.session = soup_session_new_with_options ("max-conns-per-host", FLOOD_CONNECTIONS,
                                             "max-conns", FLOOD_CONNECTIONS, NULL);
  f.uris[f.n_uris++] = g_strconcat (server->base, "/api/v1/telephony/events", NULL);
  if (other != NULL)
    f.uris[f.n_uris++] = g_strconcat (other->base, "/api/v1/telephony/events", NULL);
  for (guint k = 0; k < FLOOD_CONNECTIONS; k++)
    {
      lanes[k] = (Lane) { &f, k, k, FALSE };
      lane_send (&lanes[k]);
    }
  while (f.done < 2 * FLOOD_CALLS)
    g_main_context_iteration (NULL, TRUE);
  r.wall_s = (g_get_monotonic_time () - start) / 1e6;
  r.events = f.done - f.failed;
  r.events_per_s = r.events / r.wall_s;
  r.cpu_ms_per_event = (double) (bench_server_cpu_ms (server) - cpu_before) / f.done;
  g_assert_cmpuint (f.failed, ==, 0);
  g_object_unref (f.session);
  g_free (f.uris[0]);
  g_free (f.uris[1]);
  return r;
}

static double
time_get (SoupSession *session,
          BenchServer *server,
          const char  *path,
          const char  *token,
          gsize       *size)
{
  gint64 start = g_get_monotonic_time ();
  g_autoptr(GBytes) reply = NULL;
  guint status = 0;
  double ms;

  reply = bench_request (session, server, "GET", path, token, NULL, &status);
  ms = (g_get_monotonic_time () - start) / 1000.0;
  g_assert_cmpuint (status, ==, 200);
  if (size != NULL)
    *size = g_bytes_get_size (reply);
  return ms;
}

typedef struct {
  const char *label;
  BenchServer *server;
  BenchServer *other;               /* a second instance, or NULL */
  SoupSession *session;
  char *token;
  double seed_s;
  Replay first, second, burst;
  GArray *day_ms;
  double staffing_ms, export_ms;
  gsize day_size, export_size;
} Run;

static void
stats (Run *run)
{
  g_autoptr(JsonObject) me = NULL;
  g_autoptr(GBytes) me_bytes = NULL;
  g_autofree char *day_path = NULL;
  g_autofree char *staffing_path = NULL;
  const char *practice_id;
  guint status = 0;

  run->token = bench_login (run->session, run->server, "manager", "demo-password");
  me_bytes = bench_request (run->session, run->server, "GET", "/api/v1/me", run->token, NULL, &status);
  me = signpost_json_parse_object (g_bytes_get_data (me_bytes, NULL), g_bytes_get_size (me_bytes),
                                   G_MAXSIZE, NULL);
  /* The first demo practice: the larger list. */
  practice_id = json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (me, "practices"), 0), "id");
  day_path = g_strdup_printf ("/api/v1/stats/day?practice=%s&date=" MONDAY, practice_id);
  staffing_path = g_strdup_printf ("/api/v1/stats/staffing?practice=%s&date=" MONDAY, practice_id);
  for (guint i = 0; i < STATS_REPEATS; i++)
    {
      double ms = time_get (run->session, run->server, day_path, run->token, &run->day_size);

      g_array_append_val (run->day_ms, ms);
    }
  g_array_sort (run->day_ms, bench_compare_doubles);
  run->staffing_ms = time_get (run->session, run->server, staffing_path, run->token, NULL);
  run->export_ms = time_get (run->session, run->server, "/api/v1/stats/cbt-export?month=2026-11",
                             run->token, &run->export_size);
}

static void
report (Run        *run,
        const char *store,
        double      scale)
{
  printf ("replay (%s): demo hub at scale %.3f seeded in %.1f s; Monday " MONDAY
          ", 12 simulated navigators\n", store, scale, run->seed_s);
  printf ("replay (%s): %u calls, %u events accepted in %.1f s: %.0f events/s; "
          "server CPU %.2f ms/event\n", store, run->first.offered, run->first.events,
          run->first.wall_s, run->first.events_per_s, run->first.cpu_ms_per_event);
  printf ("replay (%s) with %u calls waiting: %u calls, %u events: %.0f events/s; "
          "server CPU %.2f ms/event\n", store, WAITING, run->second.offered, run->second.events,
          run->second.events_per_s, run->second.cpu_ms_per_event);
  printf ("phone system (%s) on %u connections at once: %u events in %.1f s: %.0f events/s; "
          "server CPU %.2f ms/event\n", store, FLOOD_CONNECTIONS, run->burst.events,
          run->burst.wall_s, run->burst.events_per_s, run->burst.cpu_ms_per_event);
  printf ("/stats/day (%s) for that Monday, the larger practice (%" G_GSIZE_FORMAT " bytes): "
          "p50 %.1f ms, p90 %.1f ms, max %.1f ms over %u requests\n", store, run->day_size,
          bench_percentile (run->day_ms, 50), bench_percentile (run->day_ms, 90),
          bench_percentile (run->day_ms, 100), STATS_REPEATS);
  printf ("/stats/staffing (%s) %.1f ms; /stats/cbt-export for the month, both practices "
          "(%" G_GSIZE_FORMAT " bytes) %.1f ms\n", store, run->staffing_ms, run->export_size,
          run->export_ms);
}

static void
print_side_by_side (const char   *what,
                    const char   *unit,
                    Run          *runs,
                    const double *values,
                    guint         n)
{
  printf ("%s:", what);
  for (guint i = 0; i < n; i++)
    {
      if (i == 0)
        printf (" %s %.0f %s", runs[i].label, values[i], unit);
      else
        printf ("; %s %.0f %s (%.2f of SQLite)", runs[i].label, values[i], unit,
                values[0] > 0 ? values[i] / values[0] : 0);
    }
  printf ("\n");
}

int
main (int    argc,
      char **argv)
{
  double scale = argc > 1 ? g_ascii_strtod (argv[1], NULL) : 3.125;
  BenchStore stores[2];
  guint n_stores = bench_stores (stores);
  Run runs[3] = { { 0 } };
  double events[3] = { 0 }, queued[3] = { 0 }, flooded[3] = { 0 }, stats_rate[3] = { 0 };
  guint n = 0;

  /* The configurations take turns at each step, so that whatever else the
   * machine is doing weighs on all alike. */
  for (guint i = 0; i < n_stores; i++)
    for (guint instances = 1; instances <= (stores[i] == BENCH_POSTGRESQL ? 2u : 1u); instances++)
      {
        gint64 seed_start = g_get_monotonic_time ();
        Run *run = &runs[n++];

        bench_use_store (stores[i]);
        run->label = instances == 2 ? "PostgreSQL, two instances" : bench_store_name (stores[i]);
        run->session = soup_session_new ();
        run->day_ms = g_array_new (FALSE, FALSE, sizeof (double));
        run->server = bench_server_new_demo_scale (scale);
        if (instances == 2)
          run->other = bench_server_new_instance (run->server);
        run->seed_s = (g_get_monotonic_time () - seed_start) / 1e6;
      }
  for (guint i = 0; i < n; i++)
    runs[i].first = replay (runs[i].server, MONDAY, "1");
  for (guint i = 0; i < n; i++)
    stats (&runs[i]);
  for (guint i = 0; i < n; i++)
    fill_queue (runs[i].session, runs[i].server, WAITING);
  for (guint i = 0; i < n; i++)
    runs[i].second = replay (runs[i].server, SECOND_MONDAY, "2");
  for (guint i = 0; i < n; i++)
    runs[i].burst = flood (runs[i].server, runs[i].other);

  for (guint i = 0; i < n; i++)
    {
      report (&runs[i], runs[i].label, scale);
      events[i] = runs[i].first.events_per_s;
      queued[i] = runs[i].second.events_per_s;
      flooded[i] = runs[i].burst.events_per_s;
      stats_rate[i] = 1000.0 / MAX (bench_percentile (runs[i].day_ms, 50), 0.001);
    }
  print_side_by_side ("replayed Monday webhook events", "events/s", runs, events, n);
  print_side_by_side ("replayed Monday, 2,000 calls waiting", "events/s", runs, queued, n);
  print_side_by_side ("phone system on 8 connections", "events/s", runs, flooded, n);
  print_side_by_side ("/stats/day at its p50", "requests/s", runs, stats_rate, n);
  for (guint i = 0; i < n; i++)
    {
      if (runs[i].other != NULL)
        bench_server_free (runs[i].other);
      bench_server_free (runs[i].server);
      g_object_unref (runs[i].session);
      g_free (runs[i].token);
      g_array_unref (runs[i].day_ms);
    }
  return 0;
}
