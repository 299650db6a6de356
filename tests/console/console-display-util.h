/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "console-test-server.h"
#include "signpost-window.h"

G_BEGIN_DECLS

/* Helpers for display tests that drive the real window: finding widgets,
 * signing in (taking the first practice choice offered) and out. */

GtkWidget *display_find_widget         (GtkWidget      *root,
                                        gboolean      (*match) (GtkWidget *widget, gconstpointer data),
                                        gconstpointer   data);
GtkWidget *display_find_widget_of_type (GtkWidget      *root,
                                        GType           type);
gboolean   display_is_button_labelled  (GtkWidget      *widget,
                                        gconstpointer   label);
/* Signs in as @username (password "demo-password") and waits for the
 * window to show its pages; with @synced, for the first copy too. */
void       display_sign_in             (SignpostWindow *window,
                                        TestServer     *server,
                                        const char     *username,
                                        gboolean        synced);
void       display_sign_out            (SignpostWindow *window);

G_END_DECLS
