/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-accessible.h"
#include "signpost-problems-window.h"

struct _SignpostProblemsWindow
{
  AdwWindow parent_instance;

  GtkStack *stack;
  GtkListBox *list_box;

  SignpostActions *actions;
  GtkFilterListModel *problems;
};

G_DEFINE_FINAL_TYPE (SignpostProblemsWindow, signpost_problems_window, ADW_TYPE_WINDOW)

static gboolean
is_problem (gpointer item,
            gpointer user_data)
{
  return signpost_outbox_item_get_state (item) != SIGNPOST_OUTBOX_WAITING;
}

static void
show_error (SignpostProblemsWindow *self,
            GError                 *error)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Could Not Do That"), error->message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_retry_clicked (GtkButton              *button,
                  SignpostProblemsWindow *self)
{
  const char *mutation_id = g_object_get_data (G_OBJECT (button), "mutation-id");
  g_autoptr(GError) error = NULL;

  if (!signpost_actions_retry_change (self->actions, mutation_id, &error))
    show_error (self, error);
}

static void
on_discard_clicked (GtkButton              *button,
                    SignpostProblemsWindow *self)
{
  const char *mutation_id = g_object_get_data (G_OBJECT (button), "mutation-id");
  g_autoptr(GError) error = NULL;

  if (!signpost_actions_discard_change (self->actions, mutation_id, &error))
    show_error (self, error);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  SignpostProblemsWindow *self = user_data;
  SignpostOutboxItem *problem = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *retry = gtk_button_new_with_mnemonic (_("_Send Again"));
  GtkWidget *discard = gtk_button_new_with_mnemonic (_("_Let It Go"));
  const char *label = signpost_outbox_item_get_label (problem);
  g_autofree char *why = NULL;

  if (signpost_outbox_item_get_state (problem) == SIGNPOST_OUTBOX_CONFLICT)
    why = g_strdup (_("Someone else changed this record first. Sending again puts your change on top of theirs."));
  else
    why = g_strdup_printf (_("Refused: %s"),
                           signpost_outbox_item_get_problem_detail (problem)
                           ? signpost_outbox_item_get_problem_detail (problem)
                           : signpost_outbox_item_get_problem_title (problem)
                           ? signpost_outbox_item_get_problem_title (problem) : _("no reason given"));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), label ? label : _("A change"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), why);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);

  for (guint i = 0; i < 2; i++)
    {
      GtkWidget *button = i == 0 ? discard : retry;
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_button_set_use_underline (GTK_BUTTON (button), TRUE);
      g_object_set_data_full (G_OBJECT (button), "mutation-id",
                              g_strdup (signpost_outbox_item_get_mutation_id (problem)), g_free);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  g_signal_connect (retry, "clicked", G_CALLBACK (on_retry_clicked), self);
  g_signal_connect (discard, "clicked", G_CALLBACK (on_discard_clicked), self);
  return row;
}

static void
update_stack (SignpostProblemsWindow *self)
{
  gtk_stack_set_visible_child_name (self->stack,
                                    g_list_model_get_n_items (G_LIST_MODEL (self->problems)) > 0 ? "list" : "none");
}

static void
signpost_problems_window_dispose (GObject *object)
{
  SignpostProblemsWindow *self = SIGNPOST_PROBLEMS_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SIGNPOST_TYPE_PROBLEMS_WINDOW);
  g_clear_object (&self->problems);
  g_clear_object (&self->actions);

  G_OBJECT_CLASS (signpost_problems_window_parent_class)->dispose (object);
}

static void
signpost_problems_window_class_init (SignpostProblemsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  signpost_accessible_init ();
  object_class->dispose = signpost_problems_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/signpost/Signpost/signpost-problems-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SignpostProblemsWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, SignpostProblemsWindow, list_box);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
signpost_problems_window_init (SignpostProblemsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

SignpostProblemsWindow *
signpost_problems_window_new (GtkWindow       *parent,
                              SignpostActions *actions)
{
  SignpostProblemsWindow *self;
  GtkCustomFilter *filter;
  GListModel *changes;

  g_return_val_if_fail (SIGNPOST_IS_ACTIONS (actions), NULL);
  g_return_val_if_fail (signpost_actions_get_changes (actions) != NULL, NULL);

  self = g_object_new (SIGNPOST_TYPE_PROBLEMS_WINDOW, "transient-for", parent, NULL);
  self->actions = g_object_ref (actions);
  changes = signpost_actions_get_changes (actions);
  /* The outbox is short, and its items notify their state: a filter over
   * it costs nothing. */
  filter = gtk_custom_filter_new (is_problem, NULL, NULL);
  self->problems = gtk_filter_list_model_new (g_object_ref (changes), GTK_FILTER (filter));
  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->problems), create_row, self, NULL);
  g_signal_connect_object (self->problems, "items-changed", G_CALLBACK (update_stack), self, G_CONNECT_SWAPPED);
  update_stack (self);
  return self;
}
