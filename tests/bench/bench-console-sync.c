/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "console-test-server.h"
#include "signpost-sync.h"

/*
 * First sync against the demo server: how long the console takes to copy
 * what a hub navigator may see, how many records a second it applies, how
 * long the main loop was ever kept from running meanwhile, and the
 * resident memory afterwards: of this process (the sync library alone)
 * and, when a display is available, of the real `signpost` window signed in
 * and synced (target < 150 MB).
 */

static gint64 last_tick;
static gint64 longest_gap;

static gboolean
tick (gpointer data)
{
  gint64 now = g_get_monotonic_time ();

  if (last_tick != 0)
    longest_gap = MAX (longest_gap, now - last_tick);
  last_tick = now;
  return G_SOURCE_CONTINUE;
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
rss_kib (GPid pid)
{
  g_autofree char *path = pid ? g_strdup_printf ("/proc/%d/status", pid) : g_strdup ("/proc/self/status");
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents (path, &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  return line ? strtol (line + 6, NULL, 10) : -1;
}

typedef struct {
  const char *path;
  gint64 target;
} CacheCheck;

static gboolean
console_cache_done (gpointer data)
{
  CacheCheck *check = data;
  g_autoptr(SignpostDb) db = NULL;
  sqlite3_stmt *stmt;
  gint64 seq = 0;

  if (!g_file_test (check->path, G_FILE_TEST_EXISTS))
    return FALSE;
  db = signpost_db_open (check->path, SIGNPOST_DB_READ_ONLY, NULL);
  if (db == NULL)
    return FALSE;
  stmt = signpost_db_prepare (db, "SELECT value FROM meta WHERE key = 'last_seq'", NULL);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    seq = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return seq >= check->target;
}

static void
measure_console (TestServer *server,
                 gint64      target,
                 const char *renderer)
{
  const char *binary = g_getenv ("SIGNPOST_CONSOLE_BIN");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) console = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = g_dir_make_tmp ("signpost-bench-console-XXXXXX", NULL);
  g_autofree char *config_home = g_dir_make_tmp ("signpost-bench-config-XXXXXX", NULL);
  g_autofree char *saved = g_strdup (g_getenv ("XDG_DATA_HOME"));
  g_autofree char *path = NULL;
  CacheCheck check;
  gint64 start;
  long rss;

  if (binary == NULL || (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL))
    {
      g_print ("Console window: no display here, not measured (run under xvfb-run)\n");
      return;
    }
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_SILENCE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "SIGNPOST_PASSWORD", "demo-password", TRUE);
  g_subprocess_launcher_setenv (launcher, "NO_AT_BRIDGE", "1", TRUE);
  if (renderer != NULL)
    g_subprocess_launcher_setenv (launcher, "GSK_RENDERER", renderer, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "GSK_RENDERER");
  start = g_get_monotonic_time ();
  console = g_subprocess_launcher_spawn (launcher, &error, binary, "--server", test_server_get_url (server),
                                         "--user", "hubnav", NULL);
  g_assert_no_error (error);

  /* The console's cache is where its data home says: watch it fill. */
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  path = signpost_cache_build_path (test_server_get_url (server), "hubnav");
  if (saved != NULL)
    g_setenv ("XDG_DATA_HOME", saved, TRUE);
  check = (CacheCheck) { path, target };
  if (!test_wait_until (console_cache_done, &check, 120000))
    g_print ("Console window: did not finish its first sync in 2 minutes\n");
  else
    {
      /* Let it settle: the window draws the pages, the search model loads. */
      g_usleep (G_USEC_PER_SEC);
      rss = rss_kib (atoi (g_subprocess_get_identifier (console)));
      g_print ("Console window (signpost signed in as hubnav, GSK_RENDERER=%s): first sync done in %.1f s "
               "from launch, resident memory %.1f MB (target < 150 MB)\n",
               renderer ? renderer : "default", (g_get_monotonic_time () - start) / 1e6, rss / 1024.0);
    }
  g_subprocess_send_signal (console, SIGTERM);
  g_subprocess_wait (console, NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = g_dir_make_tmp ("signpost-bench-data-XXXXXX", NULL);
  g_autoptr(TestServer) server = NULL;
  g_autoptr(SignpostSyncEngine) engine = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  long rss_before, rss_after;
  gint64 start;
  double seconds;
  guint n;

  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  server = test_server_new ();
  rss_before = rss_kib (0);

  engine = signpost_sync_engine_new ();
  signpost_sync_engine_login_async (engine, test_server_get_url (server), "hubnav", "demo-password", NULL,
                                    NULL, store_result, &result);
  g_assert_true (test_wait_until (result_ready, &result, 60000));
  if (!signpost_sync_engine_login_finish (engine, result, &error))
    g_error ("%s", error->message);

  g_timeout_add (1, tick, NULL);
  start = g_get_monotonic_time ();
  signpost_sync_engine_start (engine);
  g_assert_true (test_wait_until (caught_up, engine, 300000));
  seconds = (g_get_monotonic_time () - start) / 1e6;
  n = signpost_sync_engine_get_n_synced (engine);
  rss_after = rss_kib (0);

  g_print ("First sync (hub navigator, demo hub of 2 practices): %u records in %.2f s = %.0f records/s, "
           "pages of 1000 applied on a worker thread\n", n, seconds, n / seconds);
  g_print ("Longest main-loop stall during the first sync: %.1f ms\n", longest_gap / 1000.0);
  g_print ("Sync library process resident memory: %.1f MB before sign-in, %.1f MB after first sync\n",
           rss_before / 1024.0, rss_after / 1024.0);
  {
    SignpostCache *cache = signpost_sync_engine_get_cache (engine);
    g_print ("Cache: %u patients, %u slots, %u clinicians\n",
             signpost_cache_count_records (cache, SIGNPOST_RECORD_PATIENT, NULL),
             signpost_cache_count_records (cache, SIGNPOST_RECORD_SLOT, NULL),
             signpost_cache_count_records (cache, SIGNPOST_RECORD_CLINICIAN, NULL));
    /* Under Xvfb the default renderer is GL on llvmpipe, whose software
     * rasteriser alone holds ~80 MB: report cairo's figure beside it. */
    measure_console (server, signpost_cache_get_last_seq (cache), NULL);
    measure_console (server, signpost_cache_get_last_seq (cache), "cairo");
  }

  signpost_sync_engine_stop (engine);
  return 0;
}
