/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "console-screenshot-diary.h"
#include "console-screenshot-requests.h"
#include "signpost-application.h"
#include "signpost-hub-page.h"
#include "signpost-load-page.h"
#include "signpost-window.h"

/*
 * Puts the real console into a state worth a screenshot, then leaves it
 * running for build-aux/screenshot (or a person) to look at:
 *
 *   console-screenshot login  [URL USER]
 *   console-screenshot sync   URL USER      (set SIGNPOST_SYNC_PAGE_SIZE=20 to slow it)
 *   console-screenshot main   URL USER      (stop the server for the offline banner)
 *   console-screenshot search URL USER TEXT
 *   console-screenshot load   URL USER DATE [day|staffing|compare|table]
 *   console-screenshot hub    URL USER DATE [charts|tables]   (DATE: the last day of the 8 weeks)
 *   console-screenshot diary… URL USER [DATE]   (see console-screenshot-diary.c)
 *   console-screenshot requests… URL USER       (see console-screenshot-requests.c)
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

static GtkWidget *
find_load_page (GtkWidget *widget)
{
  if (SIGNPOST_IS_LOAD_PAGE (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_load_page (child);
      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
console_screenshot_find_continue (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), "_Continue") == 0 &&
      gtk_widget_get_mapped (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = console_screenshot_find_continue (child);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The load page on a day (args[4]), in a view (args[5]); a manager of
 * several practices takes the first choice at sign-in. */
static gboolean
show_load (gpointer data)
{
  SignpostWindow *window = data;
  SignpostSyncEngine *engine = signpost_window_get_engine (window);
  SignpostLoadPage *page;
  const char *how = args[5] ? args[5] : "day";
  GDate date;

  if (!signpost_window_get_signed_in (window) && console_screenshot_find_continue (GTK_WIDGET (window)) != NULL)
    gtk_widget_activate (console_screenshot_find_continue (GTK_WIDGET (window)));
  /* The figures come from the server: no need to wait for the first copy. */
  if (!signpost_window_get_signed_in (window) || signpost_sync_engine_get_state (engine) == SIGNPOST_SYNC_STATE_OFFLINE)
    return G_SOURCE_CONTINUE;
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "load");
  page = SIGNPOST_LOAD_PAGE (find_load_page (GTK_WIDGET (window)));
  if (signpost_load_page_get_practice_id (page) == NULL)
    return G_SOURCE_CONTINUE;
  g_date_clear (&date, 1);
  if (!signpost_date_parse (args[4], &date, NULL))
    g_error ("Not a date: %s", args[4]);
  signpost_load_page_set_date (page, &date);
  if (g_str_equal (how, "staffing"))
    signpost_load_page_set_view (page, "staffing");
  else if (g_str_equal (how, "compare"))
    signpost_load_page_set_compare (page, TRUE);
  else if (g_str_equal (how, "table"))
    signpost_chart_panel_set_show_table (signpost_load_page_get_panel (page, "calls"), TRUE);
  return G_SOURCE_REMOVE;
}

static GtkWidget *
find_hub_page (GtkWidget *widget)
{
  if (SIGNPOST_IS_HUB_PAGE (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_hub_page (child);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The Hub page's eight weeks up to args[4], as charts or as tables. */
static gboolean
show_hub (gpointer data)
{
  SignpostWindow *window = data;
  SignpostSyncEngine *engine = signpost_window_get_engine (window);
  SignpostHubPage *page;
  GDate date;

  if (!signpost_window_get_signed_in (window) && console_screenshot_find_continue (GTK_WIDGET (window)) != NULL)
    gtk_widget_activate (console_screenshot_find_continue (GTK_WIDGET (window)));
  if (!signpost_window_get_signed_in (window) || signpost_sync_engine_get_state (engine) == SIGNPOST_SYNC_STATE_OFFLINE)
    return G_SOURCE_CONTINUE;
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "hub");
  page = SIGNPOST_HUB_PAGE (find_hub_page (GTK_WIDGET (window)));
  g_date_clear (&date, 1);
  if (!signpost_date_parse (args[4], &date, NULL))
    g_error ("Not a date: %s", args[4]);
  signpost_hub_page_set_last_day (page, &date);
  signpost_hub_page_show_tables (page, args[5] != NULL && g_str_equal (args[5], "tables"));
  return G_SOURCE_REMOVE;
}

static void
on_activate (GApplication *app)
{
  SignpostWindow *window = SIGNPOST_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));

  if (console_screenshot_diary_start (window, args) || console_screenshot_requests_start (window, args))
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
  else if (g_str_equal (args[1], "load"))
    g_timeout_add (100, show_load, window);
  else if (g_str_equal (args[1], "hub"))
    g_timeout_add (100, show_hub, window);
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
      ((g_str_equal (argv[1], "search") || g_str_equal (argv[1], "load") || g_str_equal (argv[1], "hub")) &&
       argc < 5))
    {
      g_printerr ("usage: %s login [URL USER] | sync URL USER | main URL USER | search URL USER TEXT"
                  " | load URL USER DATE [day|staffing|compare|table] | hub URL USER DATE [charts|tables]\n", argv[0]);
      return 2;
    }
  args = argv;
  /* The Hub page is long: a window the height of the screen shows it all
   * (there is no window manager under Xvfb to maximise it). */
  if (g_str_equal (argv[1], "hub") && g_getenv ("SIGNPOST_SCREENSHOT_SIZE") != NULL)
    {
      g_autoptr(GSettings) settings = g_settings_new ("io.github.signpost.Signpost");
      int width = 0, height = 0;

      if (sscanf (g_getenv ("SIGNPOST_SCREENSHOT_SIZE"), "%dx%d", &width, &height) == 2)
        {
          g_settings_set_int (settings, "window-width", width);
          g_settings_set_int (settings, "window-height", height);
        }
    }
  app = signpost_application_new ();
  /* After the application's own activate has made the window. */
  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate), NULL);
  return g_application_run (G_APPLICATION (app), 1, plain);
}
