/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "bench-server-util.h"
#include "server-test-db.h"

/*
 * The feed scales with the reader, not the region (issue 15). The demo's
 * first practice (Y99901, 10,000 patients) alone in its database, and the
 * same practice among 30 others of the demo region (lists of 2,000 to
 * 20,000 patients): what its navigator's first sync, an incremental pull,
 * its manager's statistics and its queue cost in each, taking turns, and
 * the ratio (the target is at most 1.3). On SQLite and, when a server is
 * named, on PostgreSQL (the same databases copied with admin copy-to).
 * /stats/hub compares the practice with the whole hub by design: it reads
 * each practice's daily totals, never their records.
 *
 *   SIGNPOST_BENCH_REGION_PRACTICES  practices in the region (default 31)
 *   SIGNPOST_BENCH_REGION_SCALE      the demo's list scale (default 1)
 *   SIGNPOST_BENCH_REGION_RUNS       turns of each measurement (default 5)
 */

typedef struct {
  const char *label;
  BenchServer *server;
  char *navigator;
  char *manager;
  GArray *sync;                     /* seconds */
  GArray *pull;                     /* milliseconds, each below */
  GArray *day;
  GArray *hub;
  GArray *queue;
  gint64 changes;
} Config;

static guint
env_uint (const char *name,
          guint       fallback)
{
  const char *text = g_getenv (name);

  return text != NULL && *text != '\0' ? (guint) g_ascii_strtoull (text, NULL, 10) : fallback;
}

static double
env_double (const char *name,
            double      fallback)
{
  const char *text = g_getenv (name);

  return text != NULL && *text != '\0' ? g_ascii_strtod (text, NULL) : fallback;
}

static BenchServer *
seed (guint  practices,
      double scale)
{
  g_autofree char *number = g_strdup_printf ("%u", practices);
  const char *args[] = { "--practices", number, NULL };
  gint64 start = g_get_monotonic_time ();
  BenchServer *server = bench_server_new_demo_with (scale, args);

  printf ("seeded the demo with %u practice%s (scale %.2f) in %.1f s\n", practices,
          practices == 1 ? "" : "s", scale, (g_get_monotonic_time () - start) / 1e6);
  fflush (stdout);
  /* Served as a running practice's database is, not straight after the
   * seeding's one long transaction. */
  bench_server_restart (server);
  return server;
}

/* The same database in PostgreSQL, by admin copy-to, served. */
static BenchServer *
copy_to_postgresql (BenchServer *from)
{
  BenchServer *server;
  g_autoptr(GSubprocess) copy = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  bench_use_store (BENCH_POSTGRESQL);
  server = bench_server_prepare ();
  copy = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                           &error, g_getenv ("SIGNPOST_SERVER_BIN"), "admin", "--db",
                           test_database_location (from->database), "copy-to",
                           test_database_location (server->database), NULL);
  g_assert_no_error (error);
  if (!g_subprocess_wait_check (copy, NULL, &error))
    g_error ("admin copy-to failed: %s", error->message);
  printf ("copied into PostgreSQL in %.1f s\n", (g_get_monotonic_time () - start) / 1e6);
  fflush (stdout);
  bench_server_start (server);
  bench_use_store (BENCH_SQLITE);
  return server;
}

static JsonObject *
get_json (SoupSession *session,
          Config      *config,
          const char  *path,
          const char  *token,
          double      *ms)
{
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  JsonObject *object;
  guint status = 0;

  reply = bench_request (session, config->server, "GET", path, token, NULL, &status);
  if (ms != NULL)
    *ms = (g_get_monotonic_time () - start) / 1000.0;
  if (status != 200)
    g_error ("GET %s (%s): %u %.*s", path, config->label, status, (int) g_bytes_get_size (reply),
             (const char *) g_bytes_get_data (reply, NULL));
  object = signpost_json_parse_object (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply),
                                       G_MAXSIZE, &error);
  g_assert_no_error (error);
  return object;
}

/* The navigator's first sync, in the console's pages of 1,000; returns
 * the last seq. */
static gint64
first_sync (SoupSession *session,
            Config      *config)
{
  gint64 since = 0, start = g_get_monotonic_time (), changes = 0;
  gboolean more = TRUE;
  double seconds;

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT
                                               "&limit=1000", since);
      g_autoptr(JsonObject) page = get_json (session, config, path, config->navigator, NULL);

      changes += json_array_get_length (json_object_get_array_member (page, "changes"));
      since = json_object_get_int_member (page, "last_seq");
      more = json_object_get_boolean_member (page, "more");
    }
  seconds = (g_get_monotonic_time () - start) / 1e6;
  g_array_append_val (config->sync, seconds);
  config->changes = changes;
  return since;
}

static void
timed (SoupSession *session,
       Config      *config,
       const char  *path,
       const char  *token,
       GArray      *into)
{
  g_autoptr(JsonObject) reply = NULL;
  double ms;

  reply = get_json (session, config, path, token, &ms);
  g_array_append_val (into, ms);
}

static double
median (GArray *values)
{
  g_array_sort (values, bench_compare_doubles);
  return bench_percentile (values, 50);
}

static void
print_pair (const char *store,
            const char *what,
            const char *unit,
            double      alone,
            double      region,
            guint       others)
{
  printf ("region (%s): %s: alone %.*f %s, among %u other practices %.*f %s: %.2fx%s\n", store,
          what, alone < 10 ? 2 : 0, alone, unit, others, region < 10 ? 2 : 0, region, unit,
          alone > 0 ? region / alone : 0,
          g_str_equal (what, "navigator's first sync") ? " (target at most 1.3x)" : "");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  guint practices = MAX (env_uint ("SIGNPOST_BENCH_REGION_PRACTICES", 31), 2);
  double scale = env_double ("SIGNPOST_BENCH_REGION_SCALE", 1.0);
  guint runs = MAX (env_uint ("SIGNPOST_BENCH_REGION_RUNS", 5), 1);
  BenchStore stores[2];
  guint n_stores = bench_stores (stores);
  Config configs[4] = { { 0 } };
  guint n = 0;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *week_ago = NULL;

  {
    g_autoptr(GDateTime) before = g_date_time_add_days (now, -7);

    week_ago = g_date_time_format (before, "%Y-%m-%d");
  }
  bench_use_store (BENCH_SQLITE);
  configs[n++] = (Config) { .label = "SQLite, alone", .server = seed (1, scale) };
  configs[n++] = (Config) { .label = "SQLite, region", .server = seed (practices, scale) };
  if (n_stores > 1)
    {
      configs[n++] = (Config) { .label = "PostgreSQL, alone",
                                .server = copy_to_postgresql (configs[0].server) };
      configs[n++] = (Config) { .label = "PostgreSQL, region",
                                .server = copy_to_postgresql (configs[1].server) };
    }
  for (guint i = 0; i < n; i++)
    {
      configs[i].navigator = bench_login (session, configs[i].server, "navigator", "demo-password");
      configs[i].manager = bench_login (session, configs[i].server, "manager-y99901", "demo-password");
      configs[i].sync = g_array_new (FALSE, FALSE, sizeof (double));
      configs[i].pull = g_array_new (FALSE, FALSE, sizeof (double));
      configs[i].day = g_array_new (FALSE, FALSE, sizeof (double));
      configs[i].hub = g_array_new (FALSE, FALSE, sizeof (double));
      configs[i].queue = g_array_new (FALSE, FALSE, sizeof (double));
    }

  /* Each measurement takes turns across the configurations, so that what
   * else the machine does weighs on all alike. One unmeasured sync each
   * first, to warm the caches. */
  for (guint run = 0; run <= runs; run++)
    for (guint k = 0; k < n; k++)
      {
        Config *config = &configs[(run + k) % n];
        g_autofree char *pull = NULL;
        g_autofree char *day = NULL;
        g_autofree char *hub = NULL;
        gint64 last_seq = first_sync (session, config);

        if (run == 0)
          {
            g_array_set_size (config->sync, 0);
            continue;
          }
        pull = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT "&limit=1000", last_seq);
        day = g_strdup_printf ("/api/v1/stats/day?date=%s", today);
        hub = g_strdup_printf ("/api/v1/stats/hub?from=%s&to=%s", week_ago, today);
        for (guint i = 0; i < 5; i++)
          {
            timed (session, config, pull, config->navigator, config->pull);
            timed (session, config, day, config->manager, config->day);
            timed (session, config, hub, config->manager, config->hub);
            timed (session, config, "/api/v1/queue", config->navigator, config->queue);
          }
      }

  printf ("region: the navigator of Y99901 syncs %" G_GINT64_FORMAT " changes, alone or among %u other "
          "practices (demo region, scale %.2f); medians of %u turns\n",
          configs[0].changes, practices - 1, scale, runs);
  for (guint i = 0; i + 1 < n; i += 2)
    {
      Config *alone = &configs[i], *region = &configs[i + 1];
      const char *store = i == 0 ? "SQLite" : "PostgreSQL";

      g_assert_cmpint (alone->changes, ==, region->changes);
      print_pair (store, "navigator's first sync", "s", median (alone->sync), median (region->sync),
                  practices - 1);
      print_pair (store, "incremental pull, nothing new", "ms", median (alone->pull),
                  median (region->pull), practices - 1);
      print_pair (store, "manager's /stats/day", "ms", median (alone->day), median (region->day),
                  practices - 1);
      print_pair (store, "manager's /stats/hub, a week", "ms", median (alone->hub),
                  median (region->hub), practices - 1);
      print_pair (store, "navigator's /queue", "ms", median (alone->queue), median (region->queue),
                  practices - 1);
    }
  printf ("region-sync, first sync among %u other practices / alone:", practices - 1);
  for (guint i = 0; i + 1 < n; i += 2)
    printf ("%s %s %.2fx", i > 0 ? ";" : "", i == 0 ? "SQLite" : "PostgreSQL",
            median (configs[i + 1].sync) / median (configs[i].sync));
  printf (" (target at most 1.3x)\n");

  for (guint i = n; i > 0; i--)
    {
      Config *config = &configs[i - 1];

      bench_server_free (config->server);
      g_free (config->navigator);
      g_free (config->manager);
      g_array_unref (config->sync);
      g_array_unref (config->pull);
      g_array_unref (config->day);
      g_array_unref (config->hub);
      g_array_unref (config->queue);
    }
  return 0;
}
