/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "hub-console.h"

/*
 * Losing an instance at 8 am loses nothing. A hub as DEPLOY.md sets it
 * up (PostgreSQL, two instances, nginx with TLS); signpost-callgen replays
 * Mondays through nginx, one after another, with simulated navigators
 * answering; three consoles' sync engines (navigator, hub navigator, duty
 * doctor) follow the feed and save changes all the while. One instance is
 * killed with SIGKILL at ten random moments and started again each time,
 * and PostgreSQL is restarted twice in the same run.
 *
 * At the end: every event the simulator sent is on the server once (one
 * call record per call, in the state its last event left it, no event
 * failed); every change the consoles saved is applied once, in order, with
 * no conflict; each console's copy equals the server's record by record;
 * and each console's live connection came back after each kill. How long
 * that took is printed (p50, p90, max): the benchmark bench-hub measures
 * it properly.
 */

#define N_CONSOLES 3
#define N_KILLS 10
#define PATIENTS_EACH 20
#define TYPING_MS 60
#define RECOVERY_TIMEOUT_MS 60000
#define REPLAY_DATE "2026-11-16"
#define PG_RESTART_AFTER_KILL_A 3
#define PG_RESTART_AFTER_KILL_B 7

static const char * const usernames[N_CONSOLES] = { "navigator", "hubnav", "duty" };

typedef struct {
  HubConsole *console;
  GPtrArray *ids;           /* its own patients, no one else's */
  GHashTable *base;         /* id → version before the run */
  GHashTable *saved;        /* id → changes saved */
  GHashTable *last;         /* id → the postcode last saved */
  guint next;
  guint source;
} Typist;

typedef struct {
  Hub *hub;
  Typist typists[N_CONSOLES];
  GRand *rand;

  /* the replays, one after another */
  GSubprocess *callgen;
  guint seed;
  gboolean stop_replays;
  GPtrArray *outputs;       /* "SEED\nOUTPUT" of each finished replay */
  guint replays_running;

  GArray *recoveries_ms;    /* of each console cut off by a kill */
  GArray *pg_recoveries_ms; /* of each console cut off by a PostgreSQL restart */
  gint64 start_us;
} Run;

static double
elapsed_s (Run *run)
{
  return (g_get_monotonic_time () - run->start_us) / (double) G_USEC_PER_SEC;
}

/* ---- the consoles at work ------------------------------------------------------- */

static gboolean
type_one (gpointer data)
{
  Typist *typist = data;
  const char *id = g_ptr_array_index (typist->ids, typist->next % typist->ids->len);
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (typist->saved, id)) + 1;
  g_autofree char *postcode = g_strdup_printf ("LS%u %uAB", 1 + n % 29, 1 + n % 9);

  hub_console_save_postcode (typist->console, id, postcode);
  g_hash_table_replace (typist->saved, g_strdup (id), GUINT_TO_POINTER (n));
  g_hash_table_replace (typist->last, g_strdup (id), g_steal_pointer (&postcode));
  typist->next++;
  return G_SOURCE_CONTINUE;
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

/* The console's patients of @practice_id, in id order, from @skip on. */
static void
typist_init (Typist      *typist,
             HubConsole  *console,
             const char  *practice_id,
             guint        skip)
{
  SignpostCache *cache = signpost_sync_engine_get_cache (console->engine);
  g_autoptr(GPtrArray) patients = signpost_cache_list_records (cache, SIGNPOST_RECORD_PATIENT, NULL);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();

  typist->console = console;
  typist->ids = g_ptr_array_new_with_free_func (g_free);
  typist->base = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  typist->saved = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  typist->last = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < patients->len; i++)
    if (g_strcmp0 (signpost_record_get_practice_id (g_ptr_array_index (patients, i)), practice_id) == 0)
      g_ptr_array_add (ids, (gpointer) signpost_record_get_id (g_ptr_array_index (patients, i)));
  g_ptr_array_sort (ids, compare_ids);
  g_assert_cmpuint (ids->len, >=, skip + PATIENTS_EACH);
  for (guint i = skip; i < skip + PATIENTS_EACH; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      g_autoptr(SignpostRecord) record = signpost_cache_get_record (cache, SIGNPOST_RECORD_PATIENT, id, NULL);

      g_ptr_array_add (typist->ids, g_strdup (id));
      g_hash_table_insert (typist->base, g_strdup (id),
                           GINT_TO_POINTER ((int) signpost_record_get_version (record)));
    }
}

static void
typist_clear (Typist *typist)
{
  g_clear_handle_id (&typist->source, g_source_remove);
  g_clear_pointer (&typist->ids, g_ptr_array_unref);
  g_clear_pointer (&typist->base, g_hash_table_unref);
  g_clear_pointer (&typist->saved, g_hash_table_unref);
  g_clear_pointer (&typist->last, g_hash_table_unref);
}

/* Each change applied once and in order: the postcode last saved, one
 * version up for each change saved. */
static void
typist_check (Typist *typist,
              Hub    *hub)
{
  g_autofree char *token = hub_login (hub, typist->console->username);
  g_autoptr(GHashTable) on_server = hub_fetch_records (hub, token, SIGNPOST_RECORD_PATIENT);
  SignpostOutbox *outbox = signpost_sync_engine_get_outbox (typist->console->engine);
  guint total = 0;

  g_assert_cmpuint (signpost_outbox_get_n_problems (outbox), ==, 0);
  for (guint i = 0; i < typist->ids->len; i++)
    {
      const char *id = g_ptr_array_index (typist->ids, i);
      JsonObject *patient = g_hash_table_lookup (on_server, id);
      guint saved = GPOINTER_TO_UINT (g_hash_table_lookup (typist->saved, id));
      gint64 base = GPOINTER_TO_INT (g_hash_table_lookup (typist->base, id));

      g_assert_nonnull (patient);
      g_assert_cmpuint (saved, >, 0);
      g_assert_cmpstr (json_object_get_string_member (patient, "postcode"), ==,
                       g_hash_table_lookup (typist->last, id));
      g_assert_cmpint (json_object_get_int_member (patient, "version"), ==, base + saved);
      total += saved;
    }
  g_test_message ("%s saved %u changes, each applied once", typist->console->username, total);
}

/* ---- Mondays, replayed through nginx --------------------------------------------- */

static void start_replay (Run *run);

static void
replay_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Run *run = user_data;
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (G_SUBPROCESS (source)));
  g_ptr_array_add (run->outputs, g_strdup_printf ("%u\n%d\n%s", run->seed,
                                                  g_subprocess_get_exit_status (G_SUBPROCESS (source)),
                                                  out));
  g_clear_object (&run->callgen);
  run->replays_running--;
  if (!run->stop_replays)
    start_replay (run);
}

static void
start_replay (Run *run)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *seed = NULL;

  run->seed++;
  seed = g_strdup_printf ("%u", run->seed);
  run->callgen = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE, &error,
                                   g_getenv ("SIGNPOST_CALLGEN_BIN"), "--server", hub_url (run->hub),
                                   "--ca-file", hub_ca_file (run->hub), "--replay", REPLAY_DATE,
                                   "--seed", seed, "--navigators", "3", "--handle-time", "150", NULL);
  g_assert_no_error (error);
  run->replays_running++;
  g_subprocess_communicate_utf8_async (run->callgen, NULL, NULL, replay_done, run);
}

static gboolean
no_replay_running (gpointer data)
{
  return ((Run *) data)->replays_running == 0;
}

static guint
summary_value (const char *out,
               const char *label)
{
  g_autofree char *pattern = g_strdup_printf ("^  %s +([0-9]+)$", label);
  g_autoptr(GRegex) regex = g_regex_new (pattern, G_REGEX_MULTILINE, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *digits = NULL;

  if (!g_regex_match (regex, out, 0, &match))
    return 0;
  digits = g_match_info_fetch (match, 1);
  return (guint) g_ascii_strtoull (digits, NULL, 10);
}

/* Every call of every replay: on the server once, in its final state. */
static void
check_replays (Run *run)
{
  g_autofree char *token = hub_login (run->hub, "hubnav");
  g_autoptr(GHashTable) calls = hub_fetch_records (run->hub, token, SIGNPOST_RECORD_CALL);
  guint events = 0, retried = 0;

  g_assert_cmpuint (run->outputs->len, >, 0);
  for (guint r = 0; r < run->outputs->len; r++)
    {
      g_auto(GStrv) parts = g_strsplit (g_ptr_array_index (run->outputs, r), "\n", 3);
      guint seed = (guint) g_ascii_strtoull (parts[0], NULL, 10);
      const char *out = parts[2];
      g_autofree char *prefix = g_strdup_printf ("cg-%x-20261116-", seed);
      g_autoptr(GHashTable) refs = g_hash_table_new (g_str_hash, g_str_equal);
      guint offered = summary_value (out, "calls offered");
      guint records = 0, ended = 0, abandoned = 0;
      GHashTableIter iter;
      gpointer value;

      if (g_strcmp0 (parts[1], "0") != 0)
        g_test_message ("replay %u:\n%s", seed, out);
      g_assert_cmpstr (parts[1], ==, "0");
      g_assert_cmpuint (summary_value (out, "events failed"), ==, 0);
      g_assert_cmpuint (summary_value (out, "events skipped"), ==, 0);
      g_assert_cmpuint (offered, >, 0);

      g_hash_table_iter_init (&iter, calls);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          const char *ref = json_object_get_string_member (value, "call_ref");
          const char *state = json_object_get_string_member (value, "state");

          if (!g_str_has_prefix (ref, prefix))
            continue;
          records++;
          g_hash_table_add (refs, (gpointer) ref);
          ended += g_str_equal (state, "ended");
          abandoned += g_str_equal (state, "abandoned");
        }
      g_assert_cmpuint (records, ==, offered);
      g_assert_cmpuint (g_hash_table_size (refs), ==, offered);
      g_assert_cmpuint (ended, ==, summary_value (out, "calls answered"));
      g_assert_cmpuint (abandoned, ==, summary_value (out, "calls abandoned"));
      {
        g_autoptr(GRegex) rate = g_regex_new ("^  (elapsed|events/s) +(.*)$", G_REGEX_MULTILINE, 0, NULL);
        g_autoptr(GMatchInfo) match = NULL;
        GString *figures = g_string_new (NULL);

        g_regex_match (rate, out, 0, &match);
        while (g_match_info_matches (match))
          {
            g_autofree char *name = g_match_info_fetch (match, 1);
            g_autofree char *figure = g_match_info_fetch (match, 2);
            g_string_append_printf (figures, " %s %s", name, figure);
            g_match_info_next (match, NULL);
          }
        g_test_message ("replay %u: %u calls;%s", seed, offered, figures->str);
        g_string_free (figures, TRUE);
      }
      events += summary_value (out, "events accepted") + summary_value (out, "events duplicate");
      retried += summary_value (out, "events retried");
    }
  g_test_message ("%u Mondays replayed: %u events acknowledged, %u sent again", run->outputs->len,
                  events, retried);
}

/* ---- the run --------------------------------------------------------------------- */

static gboolean
all_live (gpointer data)
{
  Run *run = data;

  for (guint i = 0; i < N_CONSOLES; i++)
    if (!run->typists[i].console->live)
      return FALSE;
  return TRUE;
}

static void
note_recoveries (Run    *run,
                 GArray *into,
                 gint64  since_us)
{
  for (guint i = 0; i < N_CONSOLES; i++)
    {
      HubConsole *console = run->typists[i].console;

      /* Only the ones this trouble cut off. */
      if (console->back_us > since_us)
        {
          double ms = (console->back_us - since_us) / 1000.0;
          g_array_append_val (into, ms);
        }
    }
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static void
report_recoveries (GArray     *ms,
                   const char *what)
{
  g_autofree char *line = NULL;

  if (ms->len == 0)
    {
      g_test_message ("%s: no console was cut off", what);
      return;
    }
  g_array_sort (ms, compare_doubles);
  line = g_strdup_printf ("%s: a console cut off was live again after p50 %.0f ms, p90 %.0f ms, "
                          "max %.0f ms (%u times)",
                          what, g_array_index (ms, double, ms->len / 2),
                          g_array_index (ms, double, (ms->len * 9) / 10),
                          g_array_index (ms, double, ms->len - 1), ms->len);
  g_test_message ("%s", line);
}

static void
test_failover (void)
{
  Run run = { 0 };
  g_autofree char *practice_a = NULL;
  g_autofree char *practice_b = NULL;

  run.start_us = g_get_monotonic_time ();
  /* A quarter of the demo hub (4,000 patients): Mondays replay in
   * seconds, so that one runs during each kill. */
  run.hub = hub_new (&(HubOptions) { .n_instances = 2, .postgresql = TRUE, .demo_scale = 0.25,
                                     /* a replay is a flood: not the limit's to pace */
                                     .telephony_rate = 100000 });
  run.rand = g_rand_new_with_seed (1601);
  run.outputs = g_ptr_array_new_with_free_func (g_free);
  run.recoveries_ms = g_array_new (FALSE, FALSE, sizeof (double));
  run.pg_recoveries_ms = g_array_new (FALSE, FALSE, sizeof (double));
  run.seed = 1000;
  g_test_message ("%.0f s: the hub is up; three consoles signing in through nginx", elapsed_s (&run));

  for (guint i = 0; i < N_CONSOLES; i++)
    {
      HubConsole *console = hub_console_new (run.hub, usernames[i]);
      GListModel *practices = signpost_sync_engine_get_practices (console->engine);

      if (i == 1)
        {
          /* the hub navigator's other practice */
          for (guint p = 0; p < g_list_model_get_n_items (practices); p++)
            {
              g_autoptr(SignpostRecord) practice = g_list_model_get_item (practices, p);
              if (g_strcmp0 (signpost_record_get_id (practice), practice_a) != 0)
                practice_b = g_strdup (signpost_record_get_id (practice));
            }
        }
      else if (practice_a == NULL)
        {
          g_autoptr(SignpostRecord) practice = g_list_model_get_item (practices, 0);
          practice_a = g_strdup (signpost_record_get_id (practice));
        }
      run.typists[i].console = console;
    }
  g_assert_nonnull (practice_b);
  typist_init (&run.typists[0], run.typists[0].console, practice_a, 0);
  typist_init (&run.typists[1], run.typists[1].console, practice_b, 0);
  typist_init (&run.typists[2], run.typists[2].console, practice_a, PATIENTS_EACH);

  /* Work begins: the phones and the keyboards. */
  g_test_message ("%.0f s: consoles in sync; the replays, the typing and the kills begin", elapsed_s (&run));
  start_replay (&run);
  for (guint i = 0; i < N_CONSOLES; i++)
    run.typists[i].source = g_timeout_add (TYPING_MS + 17 * i, type_one, &run.typists[i]);

  for (guint k = 0; k < N_KILLS; k++)
    {
      /* After the first, every console is on the instance that was not
       * killed last: killing them in turn cuts every console off. */
      guint victim = k % 2;
      gint64 t0;

      /* A random moment once the instance started last is back in
       * nginx's rotation (a failed instance is left out for 3 s): as when
       * a machine is lost, the others have been serving a while. */
      hub_run_for (g_rand_int_range (run.rand, 3000, 4500));
      t0 = g_get_monotonic_time ();
      hub_kill_instance (run.hub, victim);
      hub_run_for (g_rand_int_range (run.rand, 100, 1000));
      hub_start_instance (run.hub, victim);
      g_assert_true (hub_wait_until (all_live, &run, RECOVERY_TIMEOUT_MS));
      note_recoveries (&run, run.recoveries_ms, t0);

      if ((k == PG_RESTART_AFTER_KILL_A || k == PG_RESTART_AFTER_KILL_B) &&
          hub_can_restart_postgresql (run.hub))
        {
          hub_run_for (g_rand_int_range (run.rand, 300, 1500));
          t0 = g_get_monotonic_time ();
          hub_restart_postgresql (run.hub);
          /* Every instance answers again once it has its database back. */
          hub_run_for (500);
          g_assert_true (hub_wait_until (all_live, &run, RECOVERY_TIMEOUT_MS));
          note_recoveries (&run, run.pg_recoveries_ms, t0);
        }
    }

  /* The end of the morning: the last replay finishes, the consoles send
   * what they hold and catch up. */
  for (guint i = 0; i < N_CONSOLES; i++)
    g_clear_handle_id (&run.typists[i].source, g_source_remove);
  run.stop_replays = TRUE;
  g_test_message ("%.0f s: the kills are over; waiting for the last replay and the consoles",
                  elapsed_s (&run));
  g_assert_true (hub_wait_until (no_replay_running, &run, 600000));
  for (guint i = 0; i < N_CONSOLES; i++)
    g_assert_true (hub_console_wait_caught_up (run.typists[i].console, run.hub, RECOVERY_TIMEOUT_MS));

  g_test_message ("%.0f s: all caught up; checking", elapsed_s (&run));
  check_replays (&run);
  for (guint i = 0; i < N_CONSOLES; i++)
    {
      typist_check (&run.typists[i], run.hub);
      g_assert_cmpuint (hub_console_count_differences (run.typists[i].console, run.hub), ==, 0);
    }
  /* After the first kill every console is on the instance killed next. */
  g_assert_cmpuint (run.recoveries_ms->len, >=, N_KILLS - 1);
  report_recoveries (run.recoveries_ms, "instance killed");
  if (hub_can_restart_postgresql (run.hub))
    report_recoveries (run.pg_recoveries_ms, "PostgreSQL restarted");
  else
    g_test_message ("PostgreSQL was not restarted: not a throwaway cluster of pg_virtualenv");

  for (guint i = 0; i < N_CONSOLES; i++)
    {
      hub_console_free (run.typists[i].console);
      typist_clear (&run.typists[i]);
    }
  g_ptr_array_unref (run.outputs);
  g_array_unref (run.recoveries_ms);
  g_array_unref (run.pg_recoveries_ms);
  g_rand_free (run.rand);
  hub_free (run.hub);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = g_dir_make_tmp ("signpost-hub-data-XXXXXX", NULL);

  /* The consoles' copies go under the user data dir: this run's own. */
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/hub/failover", test_failover);
  return g_test_run ();
}
