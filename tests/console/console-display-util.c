/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "console-display-util.h"

#define TIMEOUT_MS 240000

GtkWidget *
display_find_widget (GtkWidget      *root,
                     gboolean      (*match) (GtkWidget *widget, gconstpointer data),
                     gconstpointer   data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = display_find_widget (child, match, data);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_of_type (GtkWidget     *widget,
            gconstpointer  data)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (data));
}

GtkWidget *
display_find_widget_of_type (GtkWidget *root,
                             GType      type)
{
  return display_find_widget (root, is_of_type, GSIZE_TO_POINTER (type));
}

gboolean
display_is_button_labelled (GtkWidget     *widget,
                            gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

typedef struct {
  SignpostWindow *window;
  gboolean synced;
} SignIn;

static gboolean
login_settled (gpointer data)
{
  SignIn *sign_in = data;
  SignpostLoginPage *page = signpost_window_get_login_page (sign_in->window);
  GtkWidget *choose = display_find_widget (GTK_WIDGET (page), display_is_button_labelled, "_Continue");

  return signpost_window_get_signed_in (sign_in->window) ||
         (!signpost_login_page_get_busy (page) && signpost_login_page_get_error (page) != NULL) ||
         (choose != NULL && gtk_widget_get_mapped (choose) && !signpost_login_page_get_busy (page));
}

static gboolean
ready (gpointer data)
{
  SignIn *sign_in = data;
  SignpostSyncEngine *engine = signpost_window_get_engine (sign_in->window);

  if (!signpost_window_get_signed_in (sign_in->window))
    return FALSE;
  if (!sign_in->synced)
    return TRUE;
  return signpost_sync_engine_get_state (engine) == SIGNPOST_SYNC_STATE_ONLINE &&
         !signpost_sync_engine_get_first_sync (engine);
}

void
display_sign_in (SignpostWindow *window,
                 TestServer     *server,
                 const char     *username,
                 gboolean        synced)
{
  SignIn sign_in = { window, synced };
  SignpostLoginPage *page = signpost_window_get_login_page (window);

  signpost_window_sign_in (window, test_server_get_url (server), username, "demo-password");
  g_assert_true (test_wait_until (login_settled, &sign_in, TIMEOUT_MS));
  if (signpost_login_page_get_error (page) != NULL)
    g_error ("Signing in as %s: %s", username, signpost_login_page_get_error (page));
  if (!signpost_window_get_signed_in (window))
    {
      /* Several practices: take the first choice offered, "All my practices". */
      GtkWidget *button = display_find_widget (GTK_WIDGET (window), display_is_button_labelled, "_Continue");
      g_assert_nonnull (button);
      gtk_widget_activate (button);
    }
  g_assert_true (test_wait_until (ready, &sign_in, TIMEOUT_MS));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
}

static gboolean
engine_signed_out (gpointer data)
{
  return !signpost_sync_engine_get_logged_in (data);
}

void
display_sign_out (SignpostWindow *window)
{
  SignpostSyncEngine *engine = signpost_window_get_engine (window);

  if (signpost_sync_engine_get_logged_in (engine))
    gtk_widget_activate_action (GTK_WIDGET (window), "win.log-out", NULL);
  g_assert_true (test_wait_until (engine_signed_out, engine, TIMEOUT_MS));
}
