/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-patient-format.h"
#include "signpost-request-who-section.h"
#include "signpost-triage-format.h"

enum {
  PATIENT_CHOSEN,
  CHANGED,
  N_SIGNALS
};

struct _SignpostRequestWhoSection
{
  GtkBox parent_instance;

  GtkLabel *patient_label;
  GtkLabel *patient_detail;
  GtkLabel *patient_alerts;
  GtkLabel *patient_search_label;
  GtkSearchEntry *patient_entry;
  GtkListBox *patient_results;
  GtkDropDown *relationship_dropdown;
  GtkLabel *caller_name_label;
  GtkEntry *caller_name_entry;

  SignpostPatientSearchModel *search_model;
};

G_DEFINE_FINAL_TYPE (SignpostRequestWhoSection, signpost_request_who_section, GTK_TYPE_BOX)

static guint signals[N_SIGNALS];

static GtkWidget *
create_patient_row (gpointer item,
                    gpointer user_data)
{
  SignpostPatient *patient = item;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *name = signpost_patient_format_name (patient);
  g_autofree char *born = signpost_patient_format_born (patient, now);
  g_autofree char *nhs = signpost_patient_format_nhs (patient);
  g_autofree char *subtitle = g_strdup_printf (_("Born %s · NHS %s"), born, nhs);
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "patient", g_object_ref (patient), g_object_unref);
  return row;
}

static void
on_patient_row_activated (SignpostRequestWhoSection *self,
                          GtkListBoxRow             *row)
{
  SignpostPatient *patient = g_object_get_data (G_OBJECT (row), "patient");

  if (patient == NULL)
    return;
  g_object_ref (patient);
  g_signal_emit (self, signals[PATIENT_CHOSEN], 0, patient);
  gtk_editable_set_text (GTK_EDITABLE (self->patient_entry), "");
  g_object_unref (patient);
}

static void
update_results (SignpostRequestWhoSection *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->patient_entry));

  gtk_widget_set_visible (GTK_WIDGET (self->patient_results),
                          *text != '\0' && self->search_model != NULL &&
                          g_list_model_get_n_items (G_LIST_MODEL (self->search_model)) > 0);
}

static void
on_patient_search_changed (SignpostRequestWhoSection *self)
{
  if (self->search_model == NULL)
    return;
  signpost_patient_search_model_set_query (self->search_model,
                                           gtk_editable_get_text (GTK_EDITABLE (self->patient_entry)));
  update_results (self);
}

static void
on_patient_search_activate (SignpostRequestWhoSection *self)
{
  GtkListBoxRow *first;

  /* Enter before the entry's search delay: search for what is typed now. */
  on_patient_search_changed (self);
  first = gtk_list_box_get_row_at_index (self->patient_results, 0);
  if (first != NULL && gtk_widget_get_visible (GTK_WIDGET (self->patient_results)))
    on_patient_row_activated (self, first);
}

static void
on_relationship_changed (SignpostRequestWhoSection *self)
{
  gboolean self_calling = gtk_drop_down_get_selected (self->relationship_dropdown) == SIGNPOST_CALLER_SELF;

  gtk_widget_set_sensitive (GTK_WIDGET (self->caller_name_entry), !self_calling);
  gtk_widget_set_sensitive (GTK_WIDGET (self->caller_name_label), !self_calling);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_caller_name_changed (SignpostRequestWhoSection *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
signpost_request_who_section_dispose (GObject *object)
{
  SignpostRequestWhoSection *self = SIGNPOST_REQUEST_WHO_SECTION (object);

  if (self->patient_results != NULL)
    gtk_list_box_bind_model (self->patient_results, NULL, NULL, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), SIGNPOST_TYPE_REQUEST_WHO_SECTION);
  g_clear_object (&self->search_model);

  G_OBJECT_CLASS (signpost_request_who_section_parent_class)->dispose (object);
}

static void
signpost_request_who_section_class_init (SignpostRequestWhoSectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = signpost_request_who_section_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/signpost/Signpost/signpost-request-who-section.ui");
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestWhoSection, patient_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestWhoSection, patient_detail);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestWhoSection, patient_alerts);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestWhoSection, patient_search_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestWhoSection, patient_entry);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestWhoSection, patient_results);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestWhoSection, relationship_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestWhoSection, caller_name_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestWhoSection, caller_name_entry);

  signals[PATIENT_CHOSEN] = g_signal_new ("patient-chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, SIGNPOST_TYPE_PATIENT);
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
signpost_request_who_section_init (SignpostRequestWhoSection *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GtkStringList) relationships = NULL;
  g_auto(GStrv) labels = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  for (int i = 0; i <= SIGNPOST_CALLER_OTHER; i++)
    g_strv_builder_add (builder, signpost_triage_format_relationship (i));
  labels = g_strv_builder_end (builder);
  relationships = gtk_string_list_new ((const char * const *) labels);
  gtk_drop_down_set_model (self->relationship_dropdown, G_LIST_MODEL (relationships));

  g_signal_connect_object (self->patient_entry, "search-changed", G_CALLBACK (on_patient_search_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->patient_entry, "activate", G_CALLBACK (on_patient_search_activate), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->patient_results, "row-activated", G_CALLBACK (on_patient_row_activated), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->relationship_dropdown, "notify::selected", G_CALLBACK (on_relationship_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->caller_name_entry, "changed", G_CALLBACK (on_caller_name_changed), self,
                           G_CONNECT_SWAPPED);
}

void
signpost_request_who_section_set_search_model (SignpostRequestWhoSection  *self,
                                               SignpostPatientSearchModel *model)
{
  g_return_if_fail (SIGNPOST_IS_REQUEST_WHO_SECTION (self));

  if (self->search_model != NULL)
    g_signal_handlers_disconnect_by_data (self->search_model, self);
  g_set_object (&self->search_model, model);
  gtk_list_box_bind_model (self->patient_results, G_LIST_MODEL (model), model ? create_patient_row : NULL,
                           NULL, NULL);
  if (model != NULL)
    g_signal_connect_object (model, "items-changed", G_CALLBACK (update_results), self, G_CONNECT_SWAPPED);
}

void
signpost_request_who_section_show_patient (SignpostRequestWhoSection *self,
                                           SignpostPatient           *patient,
                                           const char                *practice_name)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_return_if_fail (SIGNPOST_IS_REQUEST_WHO_SECTION (self));

  if (patient != NULL)
    {
      g_autofree char *name = signpost_patient_format_name (patient);
      g_autofree char *born = signpost_patient_format_born (patient, now);
      g_autofree char *nhs = signpost_patient_format_nhs (patient);
      g_autofree char *alerts = signpost_patient_format_alerts (patient);
      /* Translators: under the patient's name: "Born 12-Mar-1980 (45y) · NHS 999 000 0019 · Riverside" */
      g_autofree char *detail = g_strdup_printf (_("Born %s · NHS %s · %s"), born, nhs, practice_name);

      gtk_label_set_text (self->patient_label, name);
      gtk_label_set_text (self->patient_detail, detail);
      gtk_label_set_text (self->patient_alerts, alerts);
      gtk_widget_set_visible (GTK_WIDGET (self->patient_alerts), *alerts != '\0');
      gtk_label_set_text_with_mnemonic (self->patient_search_label, _("Change the _patient"));
    }
  else
    {
      gtk_label_set_text (self->patient_label, _("No patient chosen yet"));
      gtk_label_set_text (self->patient_detail,
                          _("Find them below. A request can be saved without a patient and linked later."));
      gtk_widget_set_visible (GTK_WIDGET (self->patient_alerts), FALSE);
      gtk_label_set_text_with_mnemonic (self->patient_search_label, _("Find the _patient"));
    }
}

void
signpost_request_who_section_focus_search (SignpostRequestWhoSection *self)
{
  g_return_if_fail (SIGNPOST_IS_REQUEST_WHO_SECTION (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->patient_entry));
}

void
signpost_request_who_section_set_search_text (SignpostRequestWhoSection *self,
                                              const char                *text)
{
  g_return_if_fail (SIGNPOST_IS_REQUEST_WHO_SECTION (self));
  gtk_editable_set_text (GTK_EDITABLE (self->patient_entry), text ? text : "");
}

const char *
signpost_request_who_section_get_patient_text (SignpostRequestWhoSection *self)
{
  g_return_val_if_fail (SIGNPOST_IS_REQUEST_WHO_SECTION (self), NULL);
  return gtk_label_get_text (self->patient_label);
}

SignpostCallerRelationship
signpost_request_who_section_get_relationship (SignpostRequestWhoSection *self)
{
  g_return_val_if_fail (SIGNPOST_IS_REQUEST_WHO_SECTION (self), SIGNPOST_CALLER_SELF);
  return gtk_drop_down_get_selected (self->relationship_dropdown);
}

void
signpost_request_who_section_set_relationship (SignpostRequestWhoSection  *self,
                                               SignpostCallerRelationship  relationship)
{
  g_return_if_fail (SIGNPOST_IS_REQUEST_WHO_SECTION (self));
  gtk_drop_down_set_selected (self->relationship_dropdown, relationship);
}

const char *
signpost_request_who_section_get_caller_name (SignpostRequestWhoSection *self)
{
  g_return_val_if_fail (SIGNPOST_IS_REQUEST_WHO_SECTION (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->caller_name_entry));
}

void
signpost_request_who_section_set_caller_name (SignpostRequestWhoSection *self,
                                              const char                *name)
{
  g_return_if_fail (SIGNPOST_IS_REQUEST_WHO_SECTION (self));
  gtk_editable_set_text (GTK_EDITABLE (self->caller_name_entry), name ? name : "");
}
