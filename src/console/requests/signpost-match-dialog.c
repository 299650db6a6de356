/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-match-dialog.h"
#include "signpost-patient-format.h"
#include "signpost-patient-search.h"
#include "signpost-request-format.h"
#include "signpost-triage-format.h"

enum {
  MATCHED,
  N_SIGNALS
};

struct _SignpostMatchDialog
{
  AdwWindow parent_instance;

  /* template */
  AdwWindowTitle *window_title;
  GtkLabel *stated_label;
  GtkLabel *stated_detail;
  GtkLabel *sender_label;
  GtkLabel *error_label;
  SignpostPatientSearch *search;

  SignpostActions *actions;
  char *triage_id;
};

G_DEFINE_FINAL_TYPE (SignpostMatchDialog, signpost_match_dialog, ADW_TYPE_WINDOW)

static guint signals[N_SIGNALS];

static void
on_patient_activated (SignpostMatchDialog *self,
                      SignpostPatient     *patient)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = signpost_patient_format_name (patient);
  /* Translators: what the problems list shows, "Matched a request to SMITH, Ann" */
  g_autofree char *label = g_strdup_printf (_("Matched a request to %s"), name);
  const char *patient_id = signpost_record_get_id (SIGNPOST_RECORD (patient));

  if (!signpost_actions_match_request (self->actions, self->triage_id, patient_id, label, &error))
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return;
    }
  signpost_actions_report_view (self->actions, patient_id, "request-match");
  g_signal_emit (self, signals[MATCHED], 0, patient_id);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_search_closed (SignpostMatchDialog *self)
{
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
show_request (SignpostMatchDialog *self,
              SignpostTriage      *request)
{
  SignpostPatientDetails *details = signpost_triage_get_patient_details (request);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *stated = signpost_request_format_stated_patient (request, now);
  g_autofree char *query = signpost_request_stated_patient_query (request);
  g_autofree char *detail = NULL;
  const char *reference = signpost_triage_get_reference (request);
  const char *caller = signpost_triage_get_caller_name (request);
  SignpostCallerRelationship relationship = signpost_triage_get_caller_relationship (request);

  if (reference != NULL)
    {
      /* Translators: the match window's subtitle, "Online form, ABC-1234" */
      g_autofree char *subtitle = g_strdup_printf (_("%s, %s"), signpost_request_format_source (request), reference);
      adw_window_title_set_subtitle (self->window_title, subtitle);
    }
  else
    adw_window_title_set_subtitle (self->window_title, signpost_request_format_source (request));

  gtk_label_set_text (self->stated_label, stated ? stated : _("Nothing about the patient was given: ask them."));
  if (details != NULL)
    {
      const char *phone = signpost_patient_details_get_phone (details);
      const char *nhs = signpost_patient_details_get_nhs_number (details);

      if (phone != NULL)
        {
          g_autofree char *shown = signpost_phone_format (phone);
          g_ptr_array_add (parts, g_strdup_printf (_("Phone %s"), shown));
        }
      if (nhs != NULL)
        {
          g_autofree char *shown = signpost_nhs_number_format (nhs);
          g_ptr_array_add (parts, g_strdup_printf (_("NHS number %s"), shown));
        }
      else
        g_ptr_array_add (parts, g_strdup (_("No NHS number given")));
    }
  g_ptr_array_add (parts, NULL);
  detail = g_strjoinv (" · ", (char **) parts->pdata);
  gtk_label_set_text (self->stated_detail, detail);
  gtk_widget_set_visible (GTK_WIDGET (self->stated_detail), parts->len > 1);
  if (relationship != SIGNPOST_CALLER_SELF && caller != NULL)
    {
      /* Translators: who sent a request for someone else, "Sent by Jane SMITH (Parent or guardian)" */
      g_autofree char *sender = g_strdup_printf (_("Sent by %s (%s)"), caller,
                                                 signpost_triage_format_relationship (relationship));
      gtk_label_set_text (self->sender_label, sender);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->sender_label),
                          relationship != SIGNPOST_CALLER_SELF && caller != NULL);
  if (query != NULL)
    signpost_patient_search_set_text (self->search, query);
}

/* The keyboard goes to the search once the window is on screen: focus
 * given before that is not announced to screen readers (GTK 4.8). */
static void
signpost_match_dialog_map (GtkWidget *widget)
{
  SignpostMatchDialog *self = SIGNPOST_MATCH_DIALOG (widget);

  GTK_WIDGET_CLASS (signpost_match_dialog_parent_class)->map (widget);
  signpost_patient_search_focus (self->search);
}

static void
signpost_match_dialog_dispose (GObject *object)
{
  SignpostMatchDialog *self = SIGNPOST_MATCH_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SIGNPOST_TYPE_MATCH_DIALOG);
  g_clear_object (&self->actions);
  g_clear_pointer (&self->triage_id, g_free);

  G_OBJECT_CLASS (signpost_match_dialog_parent_class)->dispose (object);
}

static void
signpost_match_dialog_class_init (SignpostMatchDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = signpost_match_dialog_dispose;
  widget_class->map = signpost_match_dialog_map;

  signals[MATCHED] =
    g_signal_new ("matched", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (SIGNPOST_TYPE_PATIENT_SEARCH);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/signpost/Signpost/signpost-match-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SignpostMatchDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, SignpostMatchDialog, stated_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostMatchDialog, stated_detail);
  gtk_widget_class_bind_template_child (widget_class, SignpostMatchDialog, sender_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostMatchDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostMatchDialog, search);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
signpost_match_dialog_init (SignpostMatchDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->search, "patient-activated", G_CALLBACK (on_patient_activated), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search, "closed", G_CALLBACK (on_search_closed), self, G_CONNECT_SWAPPED);
}

SignpostMatchDialog *
signpost_match_dialog_new (GtkWindow       *parent,
                           SignpostActions *actions,
                           const char      *triage_id)
{
  SignpostMatchDialog *self;
  g_autoptr(SignpostTriage) request = NULL;

  g_return_val_if_fail (SIGNPOST_IS_ACTIONS (actions), NULL);
  g_return_val_if_fail (triage_id != NULL, NULL);

  self = g_object_new (SIGNPOST_TYPE_MATCH_DIALOG, "transient-for", parent, NULL);
  self->actions = g_object_ref (actions);
  self->triage_id = g_strdup (triage_id);
  signpost_patient_search_set_actions (self->search, actions);
  if (signpost_actions_get_cache (actions) != NULL)
    request = signpost_cache_get_record (signpost_actions_get_cache (actions), SIGNPOST_RECORD_TRIAGE, triage_id, NULL);
  if (request != NULL)
    show_request (self, request);
  return self;
}

GtkWidget *
signpost_match_dialog_get_search (SignpostMatchDialog *self)
{
  g_return_val_if_fail (SIGNPOST_IS_MATCH_DIALOG (self), NULL);
  return GTK_WIDGET (self->search);
}
