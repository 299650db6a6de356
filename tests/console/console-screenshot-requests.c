/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "console-screenshot-diary.h"
#include "console-screenshot-requests.h"
#include "signpost-load-online.h"
#include "signpost-load-page.h"
#include "signpost-match-dialog.h"
#include "signpost-requests-page.h"

/*
 * console-screenshot requests         URL USER   the Requests list
 * console-screenshot requests-match   URL USER [REF]  matching the request (or the first not matched yet)
 * console-screenshot requests-open    URL USER [REF]  the request (or the first) in the navigation form
 * console-screenshot online-settings   URL USER   a manager's settings for the online form
 * console-screenshot load-online       URL USER   the load page's online requests, today
 *
 * Send the requests first (tests/journeys/online_form.py URL).
 */

typedef struct {
  SignpostWindow *window;
  char *mode;
  char *reference;
} Shot;

static gboolean
chosen (Shot           *shot,
        SignpostTriage *triage)
{
  if (shot->reference != NULL)
    return g_strcmp0 (signpost_triage_get_reference (triage), shot->reference) == 0;
  return g_str_equal (shot->mode, "requests-open") || signpost_triage_get_patient_id (triage) == NULL;
}

static GtkWidget *
find_requests_page (GtkWidget *widget)
{
  if (SIGNPOST_IS_REQUESTS_PAGE (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_requests_page (child);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The load page scrolled to its online requests once its figures came. */
static gboolean
scroll_to_online (gpointer data)
{
  Shot *shot = data;
  SignpostLoadPage *page = SIGNPOST_LOAD_PAGE (find_type (GTK_WIDGET (shot->window), SIGNPOST_TYPE_LOAD_PAGE));
  GtkWidget *online = find_type (GTK_WIDGET (page), SIGNPOST_TYPE_LOAD_ONLINE);
  GtkWidget *scroller = gtk_widget_get_ancestor (online, GTK_TYPE_SCROLLED_WINDOW);
  graphene_point_t point;

  if (!signpost_load_page_get_settled (page) ||
      !gtk_widget_compute_point (online, gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller)),
                                 &GRAPHENE_POINT_INIT (0, 0), &point))
    return G_SOURCE_CONTINUE;
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller)), point.y - 8);
  g_free (shot->mode);
  g_free (shot);
  return G_SOURCE_REMOVE;
}

static gboolean
step (gpointer data)
{
  Shot *shot = data;
  SignpostSyncEngine *engine = signpost_window_get_engine (shot->window);
  SignpostRequestsPage *page;
  GListModel *model;

  if (!signpost_window_get_signed_in (shot->window))
    {
      GtkWidget *next = console_screenshot_find_continue (GTK_WIDGET (shot->window));
      if (next != NULL)
        gtk_widget_activate (next);
      return G_SOURCE_CONTINUE;
    }
  if (signpost_sync_engine_get_state (engine) != SIGNPOST_SYNC_STATE_ONLINE ||
      signpost_sync_engine_get_first_sync (engine))
    return G_SOURCE_CONTINUE;
  if (g_str_equal (shot->mode, "load-online"))
    {
      gtk_widget_activate_action (GTK_WIDGET (shot->window), "win.show-page", "s", "load");
      g_timeout_add (200, scroll_to_online, shot);
      return G_SOURCE_REMOVE;
    }
  if (g_str_equal (shot->mode, "online-settings"))
    {
      gtk_widget_activate_action (GTK_WIDGET (shot->window), "win.online-settings", NULL);
      g_free (shot->mode);
      g_free (shot);
      return G_SOURCE_REMOVE;
    }
  gtk_widget_activate_action (GTK_WIDGET (shot->window), "win.show-page", "s", "requests");
  page = SIGNPOST_REQUESTS_PAGE (find_requests_page (GTK_WIDGET (shot->window)));
  model = signpost_requests_page_get_model (page);
  if (model == NULL || g_list_model_get_n_items (model) == 0)
    return G_SOURCE_CONTINUE;

  for (guint i = 0; !g_str_equal (shot->mode, "requests") && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(SignpostTriage) triage = g_list_model_get_item (model, i);

      if (!chosen (shot, triage))
        continue;
      if (g_str_equal (shot->mode, "requests-match"))
        {
          SignpostMatchDialog *dialog = signpost_match_dialog_new (GTK_WINDOW (shot->window),
                                                                   signpost_actions_get_for_engine (engine),
                                                                   signpost_record_get_id (SIGNPOST_RECORD (triage)));
          gtk_window_present (GTK_WINDOW (dialog));
        }
      else
        signpost_requests_page_open (page, signpost_record_get_id (SIGNPOST_RECORD (triage)));
      break;
    }
  g_free (shot->mode);
  g_free (shot->reference);
  g_free (shot);
  return G_SOURCE_REMOVE;
}

gboolean
console_screenshot_requests_start (SignpostWindow  *window,
                                   char           **args)
{
  Shot *shot;

  if (!g_str_equal (args[1], "requests") && !g_str_equal (args[1], "requests-match") &&
      !g_str_equal (args[1], "requests-open") && !g_str_equal (args[1], "online-settings") &&
      !g_str_equal (args[1], "load-online"))
    return FALSE;
  shot = g_new0 (Shot, 1);
  shot->window = window;
  shot->mode = g_strdup (args[1]);
  shot->reference = g_strdup (args[4]);
  signpost_window_sign_in (window, args[2], args[3], "demo-password");
  g_timeout_add (100, step, shot);
  return TRUE;
}
