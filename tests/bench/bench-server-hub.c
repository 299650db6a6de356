/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <stdio.h>

#include "bench-server-util.h"
#include "signpost-apply.h"
#include "signpost-demo.h"
#include "signpost-hub-stats.h"
#include "signpost-sqlite-store.h"
#include "server-test-db.h"

/*
 * GET /stats/hub for a hub of 50 practices over 4 weeks (the target is
 * under 200 ms). The region is the demo's (--practices 50, lists of 2,000
 * to 20,000, about 365,000 patients); four weeks of history are written
 * straight into its store: each practice's calls at about 120 a week per
 * 1,000 patients, sessions at 85 slots a week per 1,000, most of them
 * booked and with outcomes, and a navigation record for most answered
 * calls — about 250,000 calls and 400,000 other records. Then:
 *
 *  - the figures straight from the store (signpost_hub_stats(), no HTTP);
 *  - the real signpost-server on that database, as the hub manager;
 *  - as a baseline in the same run, /stats/day of the largest practice's
 *    busiest day, which reads its calls one by one.
 *
 * Building the database takes minutes.
 */

#define N_PRACTICES 50
#define WEEKS 4
#define RUNS 15

typedef struct {
  SignpostStore *store;
  SignpostApplyContext ctx;
  GRand *rand;
  GTimeZone *tz;
  gint64 calls, slots, appointments, navigation;
} Filler;

static GDateTime *
at_ms (gint64 ms)
{
  g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_utc (ms / 1000);

  return g_date_time_add (seconds, (ms % 1000) * 1000);
}

static gint64
local_ms (Filler      *f,
          const GDate *date,
          int          hour,
          int          minute)
{
  g_autoptr(GDateTime) dt = signpost_local_time_to_utc (date, hour, minute, f->tz);

  return g_date_time_to_unix (dt) * 1000;
}

static void
put (Filler   *f,
     gpointer  record,
     gint64    when_ms)
{
  g_autoptr(GDateTime) when = at_ms (when_ms);
  g_autoptr(GError) error = NULL;

  g_date_time_unref (f->ctx.now);
  f->ctx.now = g_date_time_ref (when);
  if (!signpost_apply_write (&f->ctx, SIGNPOST_RECORD (record), FALSE, &error))
    g_error ("writing the history: %s", error->message);
  g_ptr_array_set_size (f->ctx.changed, 0);
}

static char *
uuid (Filler *f)
{
  return g_strdup_printf ("%08x-%04x-4%03x-8%03x-%08x%04x", g_rand_int (f->rand),
                          g_rand_int_range (f->rand, 0, 0x10000), g_rand_int_range (f->rand, 0, 0x1000),
                          g_rand_int_range (f->rand, 0, 0x1000), g_rand_int (f->rand),
                          g_rand_int_range (f->rand, 0, 0x10000));
}

/* A day of one practice's calls: the 08:00 scramble, then a taper. */
static void
fill_calls (Filler      *f,
            const char  *practice_id,
            const char  *line,
            gint64       list_size,
            const GDate *date)
{
  gboolean monday = g_date_get_weekday (date) == G_DATE_MONDAY;
  guint n = (guint) (list_size / 10000.0 * (monday ? 310 : 217));
  gint64 open = local_ms (f, date, 8, 0);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SignpostCall) call = signpost_call_new ();
      g_autofree char *id = uuid (f);
      g_autofree char *ref = g_strdup_printf ("bench-%s-%u", id, i);
      double r = g_rand_double (f->rand);
      /* Half the day's calls in its first two hours. */
      gint64 offered = open + (gint64) (g_rand_double (f->rand) < 0.5
                                          ? g_rand_double (f->rand) * 7200000.0
                                          : g_rand_double (f->rand) * 37800000.0);
      gint64 wait = (gint64) (-90000.0 * log (1.0 - g_rand_double (f->rand)));
      g_autoptr(GDateTime) offered_at = at_ms (offered);
      g_autoptr(GDateTime) later = at_ms (offered + wait);
      g_autoptr(GDateTime) ended = at_ms (offered + wait + 200000);
      gint64 last = offered + wait + 200000;

      signpost_record_set_id (SIGNPOST_RECORD (call), id);
      signpost_record_set_practice_id (SIGNPOST_RECORD (call), practice_id);
      signpost_call_set_call_ref (call, ref);
      signpost_call_set_line (call, line);
      signpost_call_set_offered_at (call, offered_at);
      if (r < 0.72)
        {
          signpost_call_set_state (call, SIGNPOST_CALL_ENDED);
          signpost_call_set_answered_at (call, later);
          signpost_call_set_ended_at (call, ended);
          signpost_call_set_agent (call, "bench");
        }
      else if (r < 0.86)
        {
          signpost_call_set_state (call, SIGNPOST_CALL_ABANDONED);
          signpost_call_set_abandoned_at (call, later);
          last = offered + wait;
        }
      else if (r < 0.96)
        {
          g_autoptr(GDateTime) requested = at_ms (offered + 30000);

          signpost_call_set_callback_requested_at (call, requested);
          signpost_call_set_callback_number (call, "+447700900123");
          signpost_call_set_state (call, SIGNPOST_CALL_ENDED);
          signpost_call_set_answered_at (call, ended);
          last = offered + wait + 200000;
        }
      else
        {
          signpost_call_set_state (call, SIGNPOST_CALL_ENDED);
          signpost_call_set_ended_at (call, later);
          last = offered + wait;
        }
      put (f, call, last);
      f->calls++;
      if (r < 0.72 && g_rand_double (f->rand) < 0.65)
        {
          g_autoptr(SignpostTriage) triage = signpost_triage_new ();
          g_autoptr(SignpostRoute) route = signpost_route_new ();
          g_autofree char *triage_id = uuid (f);
          static const char * const signposts[] = { "pharmacy_first", "community_pharmacy", "nhs_111", "self_care" };
          double k = g_rand_double (f->rand);

          signpost_record_set_id (SIGNPOST_RECORD (triage), triage_id);
          signpost_record_set_practice_id (SIGNPOST_RECORD (triage), practice_id);
          signpost_triage_set_reason (triage, "Sore throat");
          signpost_triage_set_urgency (triage, SIGNPOST_URGENCY_ROUTINE);
          signpost_triage_set_status (triage, SIGNPOST_TRIAGE_CLOSED);
          signpost_triage_set_call_id (triage, id);
          if (k < 0.2)
            {
              signpost_route_set_kind (route, SIGNPOST_ROUTE_SIGNPOST);
              signpost_route_set_signpost (route, signposts[g_rand_int_range (f->rand, 0, 4)]);
            }
          else if (k < 0.35)
            signpost_route_set_kind (route, SIGNPOST_ROUTE_DUTY);
          else if (k < 0.5)
            {
              signpost_route_set_kind (route, SIGNPOST_ROUTE_PROFESSION);
              signpost_route_set_profession (route, "nurse");
            }
          else
            signpost_route_set_kind (route, SIGNPOST_ROUTE_CLINICIAN);
          signpost_triage_set_route (triage, route);
          put (f, triage, last + 60000);
          f->navigation++;
        }
    }
}

/* A day's sessions: 85 slots a week per 1,000 patients, nine in ten
 * booked two days ahead (by the hub for one in five), and their outcomes
 * in the evening. */
static void
fill_diary (Filler      *f,
            const char  *practice_id,
            gint64       list_size,
            GPtrArray   *clinicians,
            GPtrArray   *patients,
            const char  *navigator,
            const char  *hub_navigator,
            const GDate *date)
{
  guint n = (guint) (list_size / 1000.0 * 85 / 5);
  gint64 start = local_ms (f, date, 8, 30);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SignpostSlot) slot = signpost_slot_new ();
      g_autofree char *slot_id = uuid (f);
      const char *clinician = g_ptr_array_index (clinicians, i % clinicians->len);
      gint64 at = start + (i / clinicians->len) * 600000;
      g_autoptr(GDateTime) start_at = at_ms (at);

      signpost_record_set_id (SIGNPOST_RECORD (slot), slot_id);
      signpost_record_set_practice_id (SIGNPOST_RECORD (slot), practice_id);
      signpost_slot_set_clinician_id (slot, clinician);
      signpost_slot_set_start (slot, start_at);
      signpost_slot_set_duration_minutes (slot, 10);
      signpost_slot_set_mode (slot, SIGNPOST_SLOT_MODE_FACE_TO_FACE);
      signpost_slot_set_hub_bookable (slot, TRUE);
      signpost_slot_set_status (slot, SIGNPOST_SLOT_FREE);
      put (f, slot, at - 21 * 86400000LL);
      f->slots++;
      if (g_rand_double (f->rand) < 0.9)
        {
          g_autoptr(SignpostAppointment) appointment = signpost_appointment_new ();
          g_autofree char *appointment_id = uuid (f);
          double o = g_rand_double (f->rand);

          signpost_record_set_id (SIGNPOST_RECORD (appointment), appointment_id);
          signpost_record_set_practice_id (SIGNPOST_RECORD (appointment), practice_id);
          signpost_appointment_set_slot_id (appointment, slot_id);
          signpost_appointment_set_patient_id (appointment,
                                               g_ptr_array_index (patients, g_rand_int_range (f->rand, 0, patients->len)));
          signpost_appointment_set_booked_by (appointment, g_rand_double (f->rand) < 0.2 ? hub_navigator
                                                                                         : navigator);
          signpost_appointment_set_status (appointment, SIGNPOST_APPOINTMENT_BOOKED);
          put (f, appointment, at - 2 * 86400000LL);
          signpost_slot_set_status (slot, SIGNPOST_SLOT_BOOKED);
          put (f, slot, at - 2 * 86400000LL);
          signpost_appointment_set_status (appointment, o < 0.05 ? SIGNPOST_APPOINTMENT_DID_NOT_ATTEND
                                                        : o < 0.2 ? SIGNPOST_APPOINTMENT_ARRIVED
                                                                  : SIGNPOST_APPOINTMENT_SEEN);
          put (f, appointment, at + 10 * 3600000LL);
          f->appointments++;
        }
    }
}

static void
first_monday_of (GDate *first_monday)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/London");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GDate today;

  signpost_local_date (now, tz, &today);
  *first_monday = today;
  g_date_subtract_days (first_monday, g_date_get_weekday (&today) - G_DATE_MONDAY + 7 * WEEKS);
}

static void
fill_history (SignpostStore *store,
              GDate         *first_monday)
{
  g_autoptr(GPtrArray) practices = signpost_store_list_records (store, SIGNPOST_RECORD_PRACTICE, NULL, NULL);
  g_autoptr(GPtrArray) users = signpost_store_list_records (store, SIGNPOST_RECORD_USER, NULL, NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *hub_navigator = NULL;
  Filler f = { 0 };

  f.store = store;
  f.rand = g_rand_new_with_seed (50);
  f.tz = g_time_zone_new_identifier ("Europe/London");
  signpost_apply_context_init (&f.ctx, store, NULL, now);
  first_monday_of (first_monday);

  for (guint u = 0; u < users->len; u++)
    if (g_str_equal (signpost_user_get_username (g_ptr_array_index (users, u)), "hubnav"))
      hub_navigator = signpost_record_get_id (g_ptr_array_index (users, u));

  for (guint i = 0; i < practices->len; i++)
    {
      SignpostPractice *practice = g_ptr_array_index (practices, i);
      const char *id = signpost_record_get_id (SIGNPOST_RECORD (practice));
      g_autoptr(GPtrArray) staff = signpost_store_list_records (store, SIGNPOST_RECORD_CLINICIAN, id, NULL);
      g_autoptr(GPtrArray) people = signpost_store_list_records (store, SIGNPOST_RECORD_PATIENT, id, NULL);
      g_autoptr(GPtrArray) clinicians = g_ptr_array_new ();
      g_autoptr(GPtrArray) patients = g_ptr_array_new ();
      const char *navigator = hub_navigator;
      gint64 list_size = 0;
      g_autoptr(GError) error = NULL;

      for (guint c = 0; c < staff->len; c++)
        g_ptr_array_add (clinicians, (gpointer) signpost_record_get_id (g_ptr_array_index (staff, c)));
      for (guint p = 0; p < people->len; p++)
        g_ptr_array_add (patients, (gpointer) signpost_record_get_id (g_ptr_array_index (people, p)));
      for (guint u = 0; u < users->len; u++)
        {
          SignpostUser *user = g_ptr_array_index (users, u);

          if (g_str_has_prefix (signpost_user_get_username (user), "navigator-") &&
              g_strcmp0 (signpost_record_get_practice_id (SIGNPOST_RECORD (user)), id) == 0)
            navigator = signpost_record_get_id (SIGNPOST_RECORD (user));
        }
      g_assert_true (signpost_store_count_list_size (store, id, &list_size, &error));
      g_assert_true (signpost_store_begin (store, &error));
      for (guint d = 0; d < 7 * WEEKS; d++)
        {
          GDate date = *first_monday;

          g_date_add_days (&date, d);
          if (g_date_get_weekday (&date) >= G_DATE_SATURDAY)
            continue;
          fill_calls (&f, id, signpost_practice_get_lines (practice)[0], list_size, &date);
          fill_diary (&f, id, list_size, clinicians, patients, navigator, hub_navigator, &date);
        }
      g_assert_true (signpost_store_commit (store, &error));
    }
  printf ("history: %" G_GINT64_FORMAT " calls, %" G_GINT64_FORMAT " slots, %" G_GINT64_FORMAT
          " appointments, %" G_GINT64_FORMAT " navigation records\n",
          f.calls, f.slots, f.appointments, f.navigation);
  signpost_apply_context_clear (&f.ctx);
  g_time_zone_unref (f.tz);
  g_rand_free (f.rand);
}

static double
median_of (GArray *times)
{
  g_array_sort (times, bench_compare_doubles);
  return bench_percentile (times, 50);
}

int
main (int    argc,
      char **argv)
{
  BenchServer *server = bench_server_prepare ();
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GArray) direct = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) http = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) day = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *monday = NULL;
  g_autofree char *hub_path = NULL;
  g_autofree char *day_path = NULL;
  char *largest = NULL;
  gint64 largest_size = -1, start;
  GDate first_monday, last_sunday;
  gsize reply_size = 0;
  gboolean reuse = FALSE;
  gint64 hub_cpu_ms = 0, day_cpu_ms = 0;

  {
    g_autoptr(SignpostSqliteStore) store = signpost_sqlite_store_new (test_database_location (server->database),
                                                                      &error);
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GPtrArray) practices = NULL;
    g_autoptr(GHashTable) visible = g_hash_table_new (g_str_hash, g_str_equal);

    g_assert_no_error (error);
    if (reuse)
      {
        first_monday_of (&first_monday);
        printf ("using the database in %s as it is\n", test_database_location (server->database));
      }
    else
      {
        start = g_get_monotonic_time ();
        g_assert_true (signpost_demo_seed_practices (SIGNPOST_STORE (store), N_PRACTICES, 1.0, now,
                                                     &error));
        printf ("seeded the demo region of %d practices in %.1f s\n", N_PRACTICES,
                (g_get_monotonic_time () - start) / 1e6);
        start = g_get_monotonic_time ();
        fill_history (SIGNPOST_STORE (store), &first_monday);
        printf ("wrote %d weeks of history in %.1f s\n", WEEKS, (g_get_monotonic_time () - start) / 1e6);
      }

    last_sunday = first_monday;
    g_date_add_days (&last_sunday, 7 * WEEKS - 1);
    practices = signpost_store_list_records (SIGNPOST_STORE (store), SIGNPOST_RECORD_PRACTICE, NULL, NULL);
    for (guint i = 0; i < practices->len; i++)
      {
        const char *id = signpost_record_get_id (g_ptr_array_index (practices, i));
        gint64 size = 0;

        g_hash_table_add (visible, (gpointer) id);
        signpost_store_count_list_size (SIGNPOST_STORE (store), id, &size, NULL);
        if (size > largest_size)
          {
            largest_size = size;
            g_free (largest);
            largest = g_strdup (id);
          }
      }
    for (guint run = 0; run < RUNS; run++)
      {
        g_autoptr(JsonObject) reply = NULL;
        double ms;

        start = g_get_monotonic_time ();
        reply = signpost_hub_stats (SIGNPOST_STORE (store), practices, visible, &first_monday,
                                    &last_sunday, now, &error);
        g_free (signpost_json_object_to_string (reply, NULL));
        ms = (g_get_monotonic_time () - start) / 1000.0;
        g_assert_no_error (error);
        g_assert_nonnull (reply);
        g_array_append_val (direct, ms);
      }
  }

  bench_server_start (server);
  token = bench_login (session, server, "hubmanager", "demo-password");
  from = signpost_date_format (&first_monday);
  to = signpost_date_format (&last_sunday);
  monday = signpost_date_format (&first_monday);
  hub_path = g_strdup_printf ("/api/v1/stats/hub?from=%s&to=%s", from, to);
  day_path = g_strdup_printf ("/api/v1/stats/day?practice=%s&date=%s", largest, monday);
  for (guint run = 0; run < RUNS + 1; run++)
    {
      g_autoptr(GBytes) a = NULL, b = NULL;
      guint status = 0;
      gint64 cpu = bench_server_cpu_ms (server);
      double ms;

      start = g_get_monotonic_time ();
      a = bench_request (session, server, "GET", hub_path, token, NULL, &status);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_assert_cmpuint (status, ==, 200);
      reply_size = g_bytes_get_size (a);
      /* The first request of each warms the page cache. */
      if (run > 0)
        {
          g_array_append_val (http, ms);
          hub_cpu_ms += bench_server_cpu_ms (server) - cpu;
        }

      cpu = bench_server_cpu_ms (server);
      start = g_get_monotonic_time ();
      b = bench_request (session, server, "GET", day_path, token, NULL, &status);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_assert_cmpuint (status, ==, 200);
      if (run > 0)
        {
          g_array_append_val (day, ms);
          day_cpu_ms += bench_server_cpu_ms (server) - cpu;
        }
    }

  {
    double hub_ms = median_of (http), day_ms = median_of (day), direct_ms = median_of (direct);

    printf ("hub-stats: %d practices x %d weeks, reply %.0f kB\n", N_PRACTICES, WEEKS, reply_size / 1e3);
    printf ("hub-stats: in the store + JSON, serialised: p50 %.1f ms, worst %.1f ms\n", direct_ms,
            g_array_index (direct, double, direct->len - 1));
    printf ("hub-stats: GET /stats/hub over HTTP: p50 %.1f ms, p90 %.1f ms, worst %.1f ms (target: under 200 ms)\n",
            hub_ms, bench_percentile (http, 90), g_array_index (http, double, http->len - 1));
    printf ("hub-stats: the server's CPU per request: /stats/hub %.1f ms, /stats/day %.1f ms\n",
            (double) hub_cpu_ms / RUNS, (double) day_cpu_ms / RUNS);
    printf ("hub-stats: baseline GET /stats/day of the largest practice's Monday: p50 %.1f ms\n", day_ms);
    printf ("hub-stats: the hub's 4 weeks cost %.1f times one practice's day\n", hub_ms / day_ms);
  }
  g_free (largest);
  bench_server_free (server);
  return 0;
}
