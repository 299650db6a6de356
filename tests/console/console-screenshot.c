/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "console-screenshot-diary.h"
#include "signpost-application.h"
#include "signpost-window.h"

/*
 * Puts the real console into a state worth a screenshot, then leaves it
 * running for /work/shared/tools/screenshot.sh (or a person) to look at:
 *
 *   console-screenshot login  [URL USER]
 *   console-screenshot sync   URL USER      (set SIGNPOST_SYNC_PAGE_SIZE=20 to slow it)
 *   console-screenshot main   URL USER      (stop the server for the offline banner)
 *   console-screenshot search URL USER TEXT
 *   console-screenshot diary… URL USER [DATE]   (see console-screenshot-diary.c)
 *
 * The password is "demo-password": demo servers only.
 */

static char **args;

static gboolean
type_search (gpointer data)
{
  SignpostWindow *window = data;
  SignpostSyncEngine *engine = signpost_window_get_engine (window);

  if (!signpost_window_get_signed_in (window) ||
      signpost_sync_engine_get_state (engine) != SIGNPOST_SYNC_STATE_ONLINE ||
      signpost_sync_engine_get_first_sync (engine))
    return G_SOURCE_CONTINUE;
  gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL);
  signpost_patient_search_set_text (signpost_window_get_patient_search (window), args[4]);
  return G_SOURCE_REMOVE;
}

static void
on_activate (GApplication *app)
{
  SignpostWindow *window = SIGNPOST_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));

  if (console_screenshot_diary_start (window, args))
    return;
  if (g_str_equal (args[1], "login"))
    {
      /* Filled in as a returning user finds it, waiting for the password. */
      if (args[2] != NULL && args[3] != NULL)
        signpost_window_sign_in (window, args[2], args[3], NULL);
      return;
    }
  signpost_window_sign_in (window, args[2], args[3], "demo-password");
  if (g_str_equal (args[1], "search"))
    g_timeout_add (100, type_search, window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SignpostApplication) app = NULL;
  char *plain[] = { argv[0], NULL };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2 || (!g_str_equal (argv[1], "login") && argc < 4) || argc == 3 ||
      (g_str_equal (argv[1], "search") && argc < 5))
    {
      g_printerr ("usage: %s login [URL USER] | sync URL USER | main URL USER | search URL USER TEXT\n", argv[0]);
      return 2;
    }
  args = argv;
  app = signpost_application_new ();
  /* After the application's own activate has made the window. */
  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate), NULL);
  return g_application_run (G_APPLICATION (app), 1, plain);
}
