/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A page's keys that work whenever the page is on screen, wherever the
 * focus is in its window (the header, a banner, nowhere yet), and never
 * while another page is shown. */
void signpost_page_shortcuts_add (GtkWidget       *page,
                                  guint            keyval,
                                  GdkModifierType  modifiers,
                                  const char      *action_name,
                                  const char      *format_string,
                                  ...);

G_END_DECLS
