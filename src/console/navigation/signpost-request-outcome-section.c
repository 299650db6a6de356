/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-request-outcome-section.h"
#include "signpost-triage-format.h"

#define N_OUTCOMES (SIGNPOST_OUTCOME_FAILED_CONTACT + 1)

enum {
  NUMBER_CHANGED,
  OUTCOME_CHANGED,
  CHANGED,
  N_SIGNALS
};

struct _SignpostRequestOutcomeSection
{
  GtkBox parent_instance;

  GtkGrid *grid;
  GtkDropDown *contact_dropdown;
  GtkEntry *number_entry;
  GtkLabel *number_hint;
  GtkTextView *notes_view;
  GtkDropDown *outcome_dropdown;
  GtkWidget *find_slot_button;
};

G_DEFINE_FINAL_TYPE (SignpostRequestOutcomeSection, signpost_request_outcome_section, GTK_TYPE_BOX)

static guint signals[N_SIGNALS];

static void
on_number_changed (SignpostRequestOutcomeSection *self)
{
  g_signal_emit (self, signals[NUMBER_CHANGED], 0);
}

static void
on_outcome_changed (SignpostRequestOutcomeSection *self)
{
  gtk_widget_set_visible (self->find_slot_button,
                          gtk_drop_down_get_selected (self->outcome_dropdown) == SIGNPOST_OUTCOME_BOOKED);
  g_signal_emit (self, signals[OUTCOME_CHANGED], 0);
}

static void
on_changed (SignpostRequestOutcomeSection *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
set_labels (GtkDropDown *dropdown,
            guint        n,
            const char *(*label) (int value))
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GtkStringList) list = NULL;
  g_auto(GStrv) labels = NULL;

  for (guint i = 0; i < n; i++)
    g_strv_builder_add (builder, label (i));
  labels = g_strv_builder_end (builder);
  list = gtk_string_list_new ((const char * const *) labels);
  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (list));
}

static const char *
contact_label (int value)
{
  return signpost_triage_format_contact (value);
}

static const char *
outcome_label (int value)
{
  return signpost_triage_format_outcome (value);
}

static void
signpost_request_outcome_section_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SIGNPOST_TYPE_REQUEST_OUTCOME_SECTION);

  G_OBJECT_CLASS (signpost_request_outcome_section_parent_class)->dispose (object);
}

static void
signpost_request_outcome_section_class_init (SignpostRequestOutcomeSectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = signpost_request_outcome_section_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/signpost/Signpost/signpost-request-outcome-section.ui");
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestOutcomeSection, grid);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestOutcomeSection, contact_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestOutcomeSection, number_entry);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestOutcomeSection, number_hint);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestOutcomeSection, notes_view);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestOutcomeSection, outcome_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestOutcomeSection, find_slot_button);

  signals[NUMBER_CHANGED] = g_signal_new ("number-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[OUTCOME_CHANGED] = g_signal_new ("outcome-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
signpost_request_outcome_section_init (SignpostRequestOutcomeSection *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  set_labels (self->contact_dropdown, SIGNPOST_CONTACT_IN_PERSON + 1, contact_label);
  set_labels (self->outcome_dropdown, N_OUTCOMES, outcome_label);
  gtk_widget_set_visible (self->find_slot_button,
                          gtk_drop_down_get_selected (self->outcome_dropdown) == SIGNPOST_OUTCOME_BOOKED);

  g_signal_connect_object (self->contact_dropdown, "notify::selected", G_CALLBACK (on_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_text_view_get_buffer (self->notes_view), "changed", G_CALLBACK (on_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->number_entry, "changed", G_CALLBACK (on_number_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->outcome_dropdown, "notify::selected", G_CALLBACK (on_outcome_changed), self,
                           G_CONNECT_SWAPPED);
}

SignpostContactMethod
signpost_request_outcome_section_get_contact (SignpostRequestOutcomeSection *self)
{
  g_return_val_if_fail (SIGNPOST_IS_REQUEST_OUTCOME_SECTION (self), SIGNPOST_CONTACT_PHONE);
  return gtk_drop_down_get_selected (self->contact_dropdown);
}

void
signpost_request_outcome_section_set_contact (SignpostRequestOutcomeSection *self,
                                              SignpostContactMethod          contact)
{
  g_return_if_fail (SIGNPOST_IS_REQUEST_OUTCOME_SECTION (self));
  gtk_drop_down_set_selected (self->contact_dropdown, contact);
}

const char *
signpost_request_outcome_section_get_number (SignpostRequestOutcomeSection *self)
{
  g_return_val_if_fail (SIGNPOST_IS_REQUEST_OUTCOME_SECTION (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->number_entry));
}

void
signpost_request_outcome_section_set_number_text (SignpostRequestOutcomeSection *self,
                                                  const char                    *text)
{
  g_return_if_fail (SIGNPOST_IS_REQUEST_OUTCOME_SECTION (self));
  gtk_editable_set_text (GTK_EDITABLE (self->number_entry), text ? text : "");
}

void
signpost_request_outcome_section_set_number_hint (SignpostRequestOutcomeSection *self,
                                                  const char                    *why)
{
  g_return_if_fail (SIGNPOST_IS_REQUEST_OUTCOME_SECTION (self));
  gtk_label_set_text (self->number_hint, why ? why : "");
  gtk_widget_set_visible (GTK_WIDGET (self->number_hint), why != NULL);
}

void
signpost_request_outcome_section_show_number_error (SignpostRequestOutcomeSection *self,
                                                    const char                    *detail)
{
  g_return_if_fail (SIGNPOST_IS_REQUEST_OUTCOME_SECTION (self));
  gtk_widget_add_css_class (GTK_WIDGET (self->number_entry), "error");
  gtk_label_set_text (self->number_hint, detail);
  gtk_widget_set_visible (GTK_WIDGET (self->number_hint), TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->number_entry));
}

void
signpost_request_outcome_section_clear_number_error (SignpostRequestOutcomeSection *self)
{
  g_return_if_fail (SIGNPOST_IS_REQUEST_OUTCOME_SECTION (self));
  gtk_widget_remove_css_class (GTK_WIDGET (self->number_entry), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->number_hint), FALSE);
}

char *
signpost_request_outcome_section_dup_notes (SignpostRequestOutcomeSection *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (SIGNPOST_IS_REQUEST_OUTCOME_SECTION (self), NULL);

  buffer = gtk_text_view_get_buffer (self->notes_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

void
signpost_request_outcome_section_set_notes (SignpostRequestOutcomeSection *self,
                                            const char                    *notes)
{
  g_return_if_fail (SIGNPOST_IS_REQUEST_OUTCOME_SECTION (self));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notes_view), notes ? notes : "", -1);
}

SignpostTriageOutcome
signpost_request_outcome_section_get_outcome (SignpostRequestOutcomeSection *self)
{
  g_return_val_if_fail (SIGNPOST_IS_REQUEST_OUTCOME_SECTION (self), SIGNPOST_OUTCOME_NONE);
  return gtk_drop_down_get_selected (self->outcome_dropdown);
}

void
signpost_request_outcome_section_set_outcome (SignpostRequestOutcomeSection *self,
                                              SignpostTriageOutcome          outcome)
{
  g_return_if_fail (SIGNPOST_IS_REQUEST_OUTCOME_SECTION (self));
  gtk_drop_down_set_selected (self->outcome_dropdown, outcome);
}

/* The labels before the controls line up with the other section's. */
void
signpost_request_outcome_section_align_labels (SignpostRequestOutcomeSection *self,
                                               GtkSizeGroup                  *labels)
{
  g_return_if_fail (SIGNPOST_IS_REQUEST_OUTCOME_SECTION (self));

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->grid)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int column;

      gtk_grid_query_child (self->grid, child, &column, NULL, NULL, NULL);
      if (column == 0)
        gtk_size_group_add_widget (labels, child);
    }
}
