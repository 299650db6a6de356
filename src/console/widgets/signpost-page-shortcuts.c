/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include "signpost-page-shortcuts.h"

/* Keys bound on a widget's class act only while the focus is inside it:
 * after signing in or switching pages nothing may have the focus yet, and
 * a page's keys would do nothing until someone pressed Tab. A managed
 * shortcut controller is run by the window for every key that nothing
 * focused took, and only for widgets that are mapped: the page on
 * screen. */

#define CONTROLLER_KEY "signpost-page-shortcuts"

void
signpost_page_shortcuts_add (GtkWidget       *page,
                             guint            keyval,
                             GdkModifierType  modifiers,
                             const char      *action_name,
                             const char      *format_string,
                             ...)
{
  GtkEventController *controller;
  GtkShortcut *shortcut;

  g_return_if_fail (GTK_IS_WIDGET (page));
  g_return_if_fail (action_name != NULL);

  controller = g_object_get_data (G_OBJECT (page), CONTROLLER_KEY);
  if (controller == NULL)
    {
      controller = gtk_shortcut_controller_new ();
      gtk_event_controller_set_name (controller, "signpost-page-shortcuts");
      gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (controller), GTK_SHORTCUT_SCOPE_MANAGED);
      gtk_widget_add_controller (page, controller);
      g_object_set_data (G_OBJECT (page), CONTROLLER_KEY, controller);
    }
  shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (keyval, modifiers), gtk_named_action_new (action_name));
  if (format_string != NULL)
    {
      va_list args;

      va_start (args, format_string);
      gtk_shortcut_set_arguments (shortcut, g_variant_new_va (format_string, NULL, &args));
      va_end (args);
    }
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), shortcut);
}
