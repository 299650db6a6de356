/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "console-test-server.h"
#include "signpost-sync.h"

/*
 * The console's side of a region (issue 15): a hub navigator working for
 * 20 practices of the demo region (--practices 20 at a scale that makes
 * about 200,000 patients). Its first sync through the console's sync
 * engine, with the progress it reports throughout (how often, the longest
 * wait between two reports), then, over the cache it filled: search as
 * you type (one search-model update per keystroke) and the caller lookup
 * behind the caller popup, and the resident memory after the sync.
 * Goals: the first sync under 60 s, a keystroke's p99 under 10 ms, resident
 * memory under 300 MB. (The popup's paint, on top of its lookup, is
 * bench-console-queue's.)
 *
 *   SIGNPOST_BENCH_HUB_PRACTICES  practices (default 20)
 *   SIGNPOST_BENCH_HUB_SCALE      the demo's list scale (default 1.45)
 */

#define N_LOOKUPS 5000

typedef struct {
  gint64 started;
  gint64 last;
  gint64 longest_gap;
  guint reports;
  double last_value;
  gboolean went_back;
} Progress;

static void
on_progress (SignpostSyncEngine *engine,
             GParamSpec         *pspec,
             Progress           *progress)
{
  gint64 now = g_get_monotonic_time ();
  double value = signpost_sync_engine_get_progress (engine);

  if (!signpost_sync_engine_get_first_sync (engine))
    return;
  progress->longest_gap = MAX (progress->longest_gap, now - progress->last);
  progress->last = now;
  progress->reports++;
  if (value < progress->last_value)
    progress->went_back = TRUE;
  progress->last_value = value;
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
result_ready (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static gboolean
caught_up (gpointer data)
{
  return signpost_sync_engine_get_state (data) == SIGNPOST_SYNC_STATE_ONLINE &&
         !signpost_sync_engine_get_first_sync (data);
}

static long
rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  return line ? strtol (line + 6, NULL, 10) : -1;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *sorted,
            double  p)
{
  return g_array_index (sorted, double, MIN ((guint) (sorted->len * p), sorted->len - 1));
}

static void
report (const char *what,
        GArray     *times_ms,
        const char *goal)
{
  g_array_sort (times_ms, compare_doubles);
  g_print ("%-44s n=%-5u p50 %7.3f ms  p99 %7.3f ms  max %7.3f ms%s\n", what, times_ms->len,
           percentile (times_ms, 0.5), percentile (times_ms, 0.99),
           g_array_index (times_ms, double, times_ms->len - 1), goal);
}

static void
type_into (SignpostPatientSearchModel *model,
           const char                 *text,
           GArray                     *times_ms)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      g_autofree char *prefix = g_strndup (text, g_utf8_next_char (p) - text);
      gint64 start = g_get_monotonic_time ();
      double ms;

      signpost_patient_search_model_set_query (model, prefix);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (times_ms, ms);
    }
  signpost_patient_search_model_set_query (model, "");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = g_dir_make_tmp ("signpost-bench-hub-XXXXXX", NULL);
  const char *practices = g_getenv ("SIGNPOST_BENCH_HUB_PRACTICES");
  const char *scale = g_getenv ("SIGNPOST_BENCH_HUB_SCALE");
  g_autoptr(TestServer) server = NULL;
  g_autoptr(SignpostSyncEngine) engine = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Progress progress = { 0 };
  SignpostCache *cache;
  gint64 start;
  double seconds;
  long rss_before, rss_after;
  guint n_practices, n_patients;

  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("SIGNPOST_TEST_DEMO_PRACTICES", practices != NULL ? practices : "20", TRUE);
  g_setenv ("SIGNPOST_TEST_DEMO_SCALE", scale != NULL ? scale : "1.45", TRUE);
  start = g_get_monotonic_time ();
  server = test_server_new ();
  g_print ("Seeded the demo region (--practices %s --demo-scale %s) in %.1f s\n",
           g_getenv ("SIGNPOST_TEST_DEMO_PRACTICES"), g_getenv ("SIGNPOST_TEST_DEMO_SCALE"),
           (g_get_monotonic_time () - start) / 1e6);
  rss_before = rss_kib ();

  engine = signpost_sync_engine_new ();
  signpost_sync_engine_login_async (engine, test_server_get_url (server), "hubnav", "demo-password", NULL,
                                    NULL, store_result, &result);
  g_assert_true (test_wait_until (result_ready, &result, 60000));
  if (!signpost_sync_engine_login_finish (engine, result, &error))
    g_error ("%s", error->message);

  g_signal_connect (engine, "notify::progress", G_CALLBACK (on_progress), &progress);
  start = g_get_monotonic_time ();
  progress.started = progress.last = start;
  signpost_sync_engine_start (engine);
  g_assert_true (test_wait_until (caught_up, engine, 900000));
  seconds = (g_get_monotonic_time () - start) / 1e6;
  rss_after = rss_kib ();
  cache = signpost_sync_engine_get_cache (engine);
  n_practices = g_list_model_get_n_items (signpost_sync_engine_get_practices (engine));
  n_patients = signpost_cache_count_records (cache, SIGNPOST_RECORD_PATIENT, NULL);

  g_print ("Hub navigator's first sync: %u practices, %u patients, %u records in %.1f s "
           "(%.0f records/s; goal under 60 s)\n", n_practices, n_patients,
           signpost_sync_engine_get_n_synced (engine), seconds,
           signpost_sync_engine_get_n_synced (engine) / seconds);
  g_print ("  progress reported %u times, never going back: %s; longest wait between two "
           "reports %.1f s\n", progress.reports, progress.went_back ? "no" : "yes",
           progress.longest_gap / 1e6);
  g_print ("  resident memory of the console's sync and cache: %.0f MB before sign-in, %.0f MB after "
           "the sync (goal under 300 MB)\n", rss_before / 1024.0, rss_after / 1024.0);

  {
    g_autoptr(SignpostPatientSearchModel) model = signpost_patient_search_model_new (cache);
    g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (double));
    const char * const searches[] = { "smith ol", "jones m", "patel a", "o'brien", "999 ", "07700 900",
                                      "12/03/19", "ls1 ", NULL };

    /* Warm once, as the cache's pages would be after a morning's use. */
    for (guint i = 0; searches[i] != NULL; i++)
      type_into (model, searches[i], all);
    g_array_set_size (all, 0);
    for (guint round = 0; round < 5; round++)
      for (guint i = 0; searches[i] != NULL; i++)
        type_into (model, searches[i], all);
    report ("Search as you type, every keystroke", all, " (goal p99 under 10 ms)");
  }

  {
    static const char * const blocks[] = { "+447700900", "+441632960", "+441174960", "+442079460" };
    g_autoptr(GArray) lookups = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(GRand) rand = g_rand_new_with_seed (15);
    guint found = 0;

    for (guint i = 0; i < N_LOOKUPS; i++)
      {
        g_autofree char *cli = g_strdup_printf ("%s%03d", blocks[g_rand_int_range (rand, 0, 4)],
                                                g_rand_int_range (rand, 0, 1000));
        gint64 at = g_get_monotonic_time ();
        g_autoptr(GPtrArray) patients = signpost_cache_find_patients_by_phone (cache, cli, NULL);
        double ms = (g_get_monotonic_time () - at) / 1000.0;

        found += patients->len;
        g_array_append_val (lookups, ms);
      }
    g_print ("Caller lookup for the popup (%.1f patients a number on average):\n",
             (double) found / N_LOOKUPS);
    report ("  E.164 number -> patient records", lookups, " (the popup's goal: p99 under 50 ms)");
  }

  signpost_sync_engine_stop (engine);
  return 0;
}
