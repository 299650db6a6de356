/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "console-display-util.h"
#include "hub-fixture.h"
#include "signpost-application.h"
#include "signpost-window.h"

/*
 * The console through a hub's front door, under Xvfb: nginx running the
 * shipped site with TLS (a certificate made for the test, for "localhost")
 * in front of a signpost-server instance. The window signs in only once
 * the console trusts that certificate as its settings allow (what "Trust a
 * certificate" on the sign-in page stores); then the instance behind nginx
 * is killed, and the header says "Reconnecting…", not an error, until the
 * instance is back and a change saved meanwhile has gone through.
 */

#define TIMEOUT_MS 240000

static SignpostApplication *app;
static Hub *hub;

static SignpostWindow *
new_window (const char *ca_file)
{
  GSettings *settings = signpost_application_get_settings (app);
  SignpostWindow *window;

  /* Read by the sign-in page when the window is made. */
  g_settings_set_string (settings, "ca-file", ca_file != NULL ? ca_file : "");
  window = signpost_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  return window;
}

static gboolean
engine_signed_out (gpointer data)
{
  return !signpost_sync_engine_get_logged_in (data);
}

static void
close_window (SignpostWindow *window)
{
  SignpostSyncEngine *engine = signpost_application_get_engine (app);

  if (signpost_sync_engine_get_logged_in (engine))
    gtk_widget_activate_action (GTK_WIDGET (window), "win.log-out", NULL);
  g_assert_true (hub_wait_until (engine_signed_out, engine, TIMEOUT_MS));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
login_settled (gpointer data)
{
  SignpostWindow *window = data;
  SignpostLoginPage *page = signpost_window_get_login_page (window);

  return signpost_window_get_signed_in (window) ||
         (!signpost_login_page_get_busy (page) && signpost_login_page_get_error (page) != NULL);
}

static gboolean
is_caught_up (gpointer data)
{
  SignpostSyncEngine *engine = data;
  SignpostOutbox *outbox = signpost_sync_engine_get_outbox (engine);

  return signpost_sync_engine_get_state (engine) == SIGNPOST_SYNC_STATE_ONLINE &&
         !signpost_sync_engine_get_first_sync (engine) &&
         (outbox == NULL || signpost_outbox_get_n_waiting (outbox) == 0);
}

static gboolean
label_has_text (GtkWidget     *widget,
                gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
         strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL;
}

typedef struct {
  SignpostWindow *window;
  const char *text;
} Shown;

static gboolean
text_shown (gpointer data)
{
  Shown *shown = data;

  return display_find_widget (GTK_WIDGET (shown->window), label_has_text, shown->text) != NULL;
}

/* Any window other than the main one: a dialog. */
static guint
n_other_windows (SignpostWindow *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);

      if (toplevel != GTK_WIDGET (window) && gtk_widget_get_visible (toplevel))
        n++;
    }
  return n;
}

/* Not trusted: the sign-in page says so, in a receptionist's words. */
static void
test_untrusted (void)
{
  SignpostWindow *window = new_window (NULL);
  const char *message;

  signpost_window_sign_in (window, hub_url (hub), "navigator", "demo-password");
  g_assert_true (hub_wait_until (login_settled, window, TIMEOUT_MS));
  g_assert_false (signpost_window_get_signed_in (window));
  message = signpost_login_page_get_error (signpost_window_get_login_page (window));
  g_assert_nonnull (strstr (message, "security certificate"));
  g_assert_nonnull (strstr (message, "is not trusted by this PC"));
  close_window (window);
}

static void
test_through_nginx (void)
{
  SignpostWindow *window = new_window (hub_ca_file (hub));
  SignpostSyncEngine *engine = signpost_window_get_engine (window);
  Shown reconnecting = { window, "Reconnecting…" };
  Shown up_to_date = { window, "Up to date" };
  g_autoptr(GPtrArray) patients = NULL;
  SignpostPatient *patient;
  g_autoptr(GError) error = NULL;

  g_object_set (engine, "reconnect-min-ms", 100, "reconnect-max-ms", 1000, NULL);
  signpost_window_sign_in (window, hub_url (hub), "navigator", "demo-password");
  g_assert_true (hub_wait_until (login_settled, window, TIMEOUT_MS));
  if (!signpost_window_get_signed_in (window))
    g_error ("Signing in through nginx: %s",
             signpost_login_page_get_error (signpost_window_get_login_page (window)));
  g_assert_cmpstr (signpost_sync_engine_get_tls_ca_file (engine), ==, hub_ca_file (hub));
  g_assert_true (hub_wait_until (is_caught_up, engine, TIMEOUT_MS));
  g_assert_true (hub_wait_until (text_shown, &up_to_date, TIMEOUT_MS));

  /* The instance is lost: nginx has nobody to send the console to and
   * answers 503 with Retry-After, a wait. */
  hub_kill_instance (hub, 0);
  g_assert_true (hub_wait_until (text_shown, &reconnecting, 60000));
  g_assert_cmpuint (n_other_windows (window), ==, 0);

  /* Work goes on from the copy. */
  patients = signpost_cache_list_records (signpost_sync_engine_get_cache (engine), SIGNPOST_RECORD_PATIENT, NULL);
  g_assert_cmpuint (patients->len, >, 0);
  patient = g_ptr_array_index (patients, 0);
  signpost_patient_set_postcode (patient, "LS6 3AB");
  g_assert_true (signpost_outbox_save (signpost_sync_engine_get_outbox (engine), SIGNPOST_RECORD (patient),
                                       "Changed the postcode", &error));
  g_assert_no_error (error);
  /* Still a wait, whatever nginx and the engine try meanwhile. */
  hub_run_for (1500);
  g_assert_true (text_shown (&reconnecting));
  g_assert_cmpuint (n_other_windows (window), ==, 0);

  hub_start_instance (hub, 0);
  g_assert_true (hub_wait_until (is_caught_up, engine, TIMEOUT_MS));
  g_assert_true (hub_wait_until (text_shown, &up_to_date, TIMEOUT_MS));
  g_assert_false (text_shown (&reconnecting));
  g_assert_cmpuint (signpost_outbox_get_n_problems (signpost_sync_engine_get_outbox (engine)), ==, 0);
  g_assert_cmpuint (n_other_windows (window), ==, 0);
  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = g_dir_make_tmp ("signpost-hub-display-XXXXXX", NULL);
  int status;

  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  gtk_test_init (&argc, &argv, NULL);

  app = signpost_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  /* One instance on SQLite is enough for the front door; the failover
   * test has two on PostgreSQL. */
  hub = hub_new (&(HubOptions) { .n_instances = 1, .postgresql = FALSE, .demo_scale = 0.25 });

  g_test_add_func ("/signpost/hub-display/untrusted", test_untrusted);
  g_test_add_func ("/signpost/hub-display/through-nginx", test_through_nginx);

  status = g_test_run ();
  hub_free (hub);
  g_clear_object (&app);
  return status;
}
