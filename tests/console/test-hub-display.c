/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "console-display-util.h"
#include "console-test-server.h"
#include "signpost-application.h"
#include "signpost-hub-format.h"
#include "signpost-hub-page.h"
#include "signpost-hub-row.h"
#include "signpost-window.h"

/*
 * The Hub page in the real window under Xvfb, against a demo region of
 * three practices with a week replayed by signpost-callgen (fixed dates
 * and seed, so the same history every time): the hub's manager sees the
 * practice the run made slow named in words under the funnel of calls
 * answered within a minute, and the one with many did-not-attends under
 * that funnel; the table has every practice and the hub's total; the CSV
 * has every practice and week. A manager of one practice sees only their
 * own, marked as theirs, and no hub total that would give others away.
 */

#define TIMEOUT_MS 240000
#define FROM "2026-11-16"
#define TO "2026-11-20"

static SignpostApplication *app;
static TestServer *server;
static SignpostWindow *window;
static char *slow_name;   /* the practice that answers slowly */
static char *dna_name;    /* the one with many did-not-attends */

typedef struct {
  char *out;
  gboolean done;
  GError *error;
} Communicate;

static void
communicated (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Communicate *c = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &c->out, NULL, &c->error);
  c->done = TRUE;
}

static gboolean
communicate_done (gpointer data)
{
  return ((Communicate *) data)->done;
}

static char *
run_callgen (void)
{
  g_autoptr(GSubprocess) callgen = NULL;
  g_autoptr(GError) error = NULL;
  Communicate c = { 0, };

  callgen = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              g_getenv ("SIGNPOST_CALLGEN_BIN"), "--server", test_server_get_direct_url (server),
                              "--replay-from", FROM, "--replay-to", TO, "--seed", "3", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (callgen, NULL, NULL, communicated, &c);
  g_assert_true (test_wait_until (communicate_done, &c, TIMEOUT_MS));
  g_assert_no_error (c.error);
  g_assert_true (g_subprocess_get_if_exited (callgen));
  g_assert_cmpint (g_subprocess_get_exit_status (callgen), ==, 0);
  return c.out;
}

/* The name of the practice the run says has @trait. */
static char *
practice_with (const char *out,
               GHashTable *practices,
               const char *trait)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "Y999") && strstr (lines[i], trait) != NULL)
      {
        GHashTableIter iter;
        gpointer id, record;

        g_hash_table_iter_init (&iter, practices);
        while (g_hash_table_iter_next (&iter, &id, &record))
          if (strncmp (json_object_get_string_member (record, "ods_code"), lines[i], 6) == 0)
            return g_strdup (json_object_get_string_member (record, "name"));
      }
  g_error ("no practice “%s” in:\n%s", trait, out);
  return NULL;
}

static SignpostHubPage *
hub_page (void)
{
  return SIGNPOST_HUB_PAGE (display_find_widget_of_type (GTK_WIDGET (window), SIGNPOST_TYPE_HUB_PAGE));
}

static gboolean
page_settled (gpointer data)
{
  SignpostHubPage *page = data;

  if (signpost_hub_page_get_error (page) != NULL)
    g_error ("The Hub page: %s", signpost_hub_page_get_error (page));
  return signpost_hub_page_get_settled (page);
}

static SignpostHubPage *
open_hub_as (const char *username)
{
  SignpostHubPage *page;
  GDate sunday;

  display_sign_out (window);
  display_sign_in (window, server, username, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "hub");
  g_assert_cmpstr (signpost_window_get_visible_page (window), ==, "hub");
  page = hub_page ();
  g_date_clear (&sunday, 1);
  g_date_set_dmy (&sunday, 22, G_DATE_NOVEMBER, 2026);
  signpost_hub_page_set_last_day (page, &sunday);
  g_assert_true (test_wait_until (page_settled, page, TIMEOUT_MS));
  return page;
}

static void
test_outliers_named (void)
{
  SignpostHubPage *page = open_hub_as ("hubmanager");
  SignpostHubStats *stats = signpost_hub_page_get_stats (page);
  GListModel *table = signpost_hub_page_get_table_model (page);
  const char *answered = signpost_hub_page_get_outliers_text (page, "answered_within_60s");
  const char *dna = signpost_hub_page_get_outliers_text (page, "did_not_attend");
  g_autoptr(SignpostHubRow) last = NULL;
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;

  g_test_message ("answered within 60 s: %s", answered);
  g_test_message ("did not attend: %s", dna);
  g_assert_nonnull (stats);
  g_assert_cmpuint (stats->practices->len, ==, 3);
  g_assert_cmpuint (signpost_hub_stats_get_n_weeks (stats), ==, 8);
  g_assert_true (stats->has_hub);

  /* The slow practice, by name, below the limits, in words. */
  g_assert_nonnull (strstr (answered, slow_name));
  g_assert_nonnull (strstr (answered, "answers fewer calls within a minute than the hub"));
  g_assert_nonnull (strstr (dna, dna_name));
  g_assert_nonnull (strstr (dna, "has more missed appointments than the hub"));

  /* Every practice, then the hub's total last. */
  g_assert_cmpuint (g_list_model_get_n_items (table), ==, 4);
  last = g_list_model_get_item (table, 3);
  g_assert_true (signpost_hub_row_is_hub (last));

  /* The tables instead of the charts, and back. */
  signpost_hub_page_show_tables (page, TRUE);
  signpost_hub_page_show_tables (page, FALSE);

  /* The CSV: a header, each practice's span and 8 weeks, the hub's too. */
  csv = signpost_hub_csv (stats);
  lines = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 4 * 9 + 1);
  g_assert_nonnull (strstr (csv, slow_name));
}

static void
test_own_practice (void)
{
  SignpostHubPage *page = open_hub_as ("manager-y99903");
  SignpostHubStats *stats = signpost_hub_page_get_stats (page);
  GListModel *table = signpost_hub_page_get_table_model (page);
  g_autoptr(SignpostHubRow) row = NULL;

  /* Only their own practice, marked as theirs; no total that would give
   * the other two practices' figures away. */
  g_assert_cmpuint (stats->practices->len, ==, 1);
  g_assert_false (stats->has_hub);
  g_assert_cmpuint (g_list_model_get_n_items (table), ==, 1);
  row = g_list_model_get_item (table, 0);
  g_assert_true (signpost_hub_row_is_own (row));
  g_assert_false (signpost_hub_row_is_hub (row));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = g_dir_make_tmp ("signpost-hub-display-XXXXXX", NULL);
  g_autofree char *out = NULL;
  g_autofree char *token = NULL;
  int status;

  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  gtk_test_init (&argc, &argv, NULL);

  app = signpost_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

  /* One region for the program, with a week replayed into it. */
  server = test_server_new ();
  out = run_callgen ();
  token = test_server_login (server, "hubmanager");
  {
    g_autoptr(GHashTable) practices = test_server_fetch_records (server, token, "practice");

    slow_name = practice_with (out, practices, "answers slowly");
    dna_name = practice_with (out, practices, "many did-not-attends");
  }

  g_test_add_func ("/signpost/hub-display/outliers-named", test_outliers_named);
  g_test_add_func ("/signpost/hub-display/own-practice", test_own_practice);

  window = signpost_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  status = g_test_run ();

  display_sign_out (window);
  gtk_window_destroy (GTK_WINDOW (window));
  test_server_free (server);
  g_free (slow_name);
  g_free (dna_name);
  g_clear_object (&app);
  return status;
}
