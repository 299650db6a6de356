/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "signpost-accessible.h"
#include "signpost-delivery.h"
#include "signpost-duty-request-view-private.h"
#include "signpost-navigation.h"
#include "signpost-patient-format.h"
#include "signpost-triage-format.h"

/* The duty doctor's commands on the request shown: save the notes, call
 * back, book, close with an outcome, send back to the navigators, edit,
 * take over, merge the notes kept on this PC. */

/* The outcomes a doctor closes a request with, in the order offered. */
static const SignpostTriageOutcome close_outcomes[] = {
  SIGNPOST_OUTCOME_ADVICE_GIVEN,
  SIGNPOST_OUTCOME_BOOKED,
  SIGNPOST_OUTCOME_SIGNPOSTED,
  SIGNPOST_OUTCOME_EMERGENCY,
  SIGNPOST_OUTCOME_FAILED_CONTACT,
};

gboolean
signpost_duty_request_view_save_notes (SignpostDutyRequestView  *self,
                                       GError                  **error)
{
  g_autofree char *notes = NULL;
  g_autofree char *name = NULL;
  g_autofree char *label = NULL;

  g_return_val_if_fail (SIGNPOST_IS_DUTY_REQUEST_VIEW (self), FALSE);
  if (self->triage == NULL)
    return TRUE;
  notes = g_strstrip (signpost_duty_request_view_text_view_get_text (self->duty_notes_view));
  name = signpost_duty_request_view_current_name (self);
  /* Translators: what the problems list shows, "Clinical notes for SMITH, Ann" */
  label = g_strdup_printf (_("Clinical notes for %s"), name);
  if (!signpost_actions_save_duty_notes (self->actions, self->triage_id, notes, label, error))
    return FALSE;
  self->notes_dirty = FALSE;
  g_clear_pointer (&self->notes_saved_at, g_date_time_unref);
  self->notes_saved_at = g_date_time_new_now_utc ();
  signpost_duty_request_view_fill (self);
  return TRUE;
}

void
signpost_duty_request_view_save_notes_action (GtkWidget  *widget,
                                              const char *action_name,
                                              GVariant   *parameter)
{
  SignpostDutyRequestView *self = SIGNPOST_DUTY_REQUEST_VIEW (widget);
  g_autoptr(GError) error = NULL;

  if (!signpost_duty_request_view_save_notes (self, &error))
    signpost_duty_request_view_show_error (self, error);
}

/* Adds a line to the clinical notes: "10:42 Called back: no answer". */
static void
append_note (SignpostDutyRequestView *self,
             const char              *line)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->duty_notes_view);
  GtkTextIter end;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *time = signpost_duty_request_view_local_time (self, now, _("%H:%M"));
  g_autofree char *text = NULL;

  gtk_text_buffer_get_end_iter (buffer, &end);
  text = g_strdup_printf ("%s%s %s", gtk_text_buffer_get_char_count (buffer) > 0 ? "\n" : "", time, line);
  gtk_text_buffer_insert (buffer, &end, text, -1);
}

static guint
count_failed_attempts (SignpostDutyRequestView *self)
{
  g_autofree char *notes = signpost_duty_request_view_text_view_get_text (self->duty_notes_view);
  const char *marker = _("Called back: no answer");
  guint n = 0;

  for (const char *p = strstr (notes, marker); p != NULL; p = strstr (p + 1, marker))
    n++;
  return n;
}

static void close_with (SignpostDutyRequestView *self, SignpostTriageOutcome outcome);

static void
on_failed_contact_response (AdwMessageDialog        *dialog,
                            const char              *response,
                            SignpostDutyRequestView *self)
{
  if (g_str_equal (response, "close"))
    close_with (self, SIGNPOST_OUTCOME_FAILED_CONTACT);
}

void
signpost_duty_request_view_call_back_action (GtkWidget  *widget,
                                             const char *action_name,
                                             GVariant   *parameter)
{
  SignpostDutyRequestView *self = SIGNPOST_DUTY_REQUEST_VIEW (widget);
  const char *outcome = g_variant_get_string (parameter, NULL);
  g_autoptr(GError) error = NULL;

  if (g_str_equal (outcome, "reached"))
    append_note (self, _("Called back: spoke to them."));
  else
    append_note (self, _("Called back: no answer."));
  if (!signpost_duty_request_view_save_notes (self, &error))
    {
      signpost_duty_request_view_show_error (self, error);
      return;
    }
  /* Two attempts that found nobody: the failed-contact rule. */
  if (!g_str_equal (outcome, "reached") && count_failed_attempts (self) >= 2)
    {
      GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                                  _("Two Attempts Without an Answer"),
                                                  _("The practice’s rule is two attempts. Close the request as "
                                                    "failed contact? The patient can ring again."));
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "keep", _("_Keep It Open"),
                                        "close", _("Close as _Failed Contact"),
                                        NULL);
      adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
      g_signal_connect_object (dialog, "response", G_CALLBACK (on_failed_contact_response), self, 0);
      gtk_window_present (GTK_WINDOW (dialog));
    }
}

void
signpost_duty_request_view_book_action (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *parameter)
{
  SignpostDutyRequestView *self = SIGNPOST_DUTY_REQUEST_VIEW (widget);

  if (self->triage_id == NULL)
    return;
  if (self->notes_dirty)
    signpost_duty_request_view_save_notes (self, NULL);
  if (!gtk_widget_activate_action (widget, "win.find-slot", "s", self->triage_id))
    {
      GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                                  _("The Diary Is Not Available Here"),
                                                  _("Book from the Diary page; the request stays on this list until it is booked."));

      g_warning ("No diary to book from (win.find-slot) for request %s", self->triage_id);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }
}

static void
close_with (SignpostDutyRequestView *self,
            SignpostTriageOutcome    outcome)
{
  g_autoptr(SignpostPatient) patient = signpost_duty_request_view_get_patient (self);
  g_autofree char *name = signpost_duty_request_view_patient_name (self, patient);
  g_autofree char *notes = g_strstrip (signpost_duty_request_view_text_view_get_text (self->duty_notes_view));
  g_autofree char *label = NULL;
  g_autoptr(GError) error = NULL;

  if (self->triage_id == NULL)
    return;
  /* Translators: "Closed the request for SMITH, Ann: Advice given" */
  label = g_strdup_printf (_("Closed the request for %s: %s"), name, signpost_triage_format_outcome (outcome));
  if (!signpost_actions_close_request (self->actions, self->triage_id, outcome, notes, label, &error))
    {
      signpost_duty_request_view_show_error (self, error);
      return;
    }
  self->notes_dirty = FALSE;
  signpost_duty_request_view_emit_finished (self, label);
}

static void
on_close_response (AdwMessageDialog        *dialog,
                   const char              *response,
                   SignpostDutyRequestView *self)
{
  GtkWidget *choices = adw_message_dialog_get_extra_child (dialog);
  guint i = 0;

  if (!g_str_equal (response, "close"))
    return;
  for (GtkWidget *child = gtk_widget_get_first_child (choices);
       child != NULL && i < G_N_ELEMENTS (close_outcomes);
       child = gtk_widget_get_next_sibling (child), i++)
    if (gtk_check_button_get_active (GTK_CHECK_BUTTON (child)))
      {
        close_with (self, close_outcomes[i]);
        return;
      }
}

/* The outcomes as a choice of one, the first already chosen: Return
 * closes with it, the arrow keys or a letter choose another. */
static const char *
close_outcome_choice (SignpostTriageOutcome outcome)
{
  switch (outcome)
    {
    case SIGNPOST_OUTCOME_ADVICE_GIVEN:
      return _("_Advice given");
    case SIGNPOST_OUTCOME_BOOKED:
      return _("_Booked an appointment");
    case SIGNPOST_OUTCOME_SIGNPOSTED:
      return _("_Signposted elsewhere");
    case SIGNPOST_OUTCOME_EMERGENCY:
      return _("Sent to _999 or A&E");
    case SIGNPOST_OUTCOME_FAILED_CONTACT:
      return _("Could not reach them (_failed contact)");
    case SIGNPOST_OUTCOME_NONE:
    case SIGNPOST_OUTCOME_SENT_TO_DUTY:
    default:
      return signpost_triage_format_outcome (outcome);
    }
}

void
signpost_duty_request_view_close_action (GtkWidget  *widget,
                                         const char *action_name,
                                         GVariant   *parameter)
{
  SignpostDutyRequestView *self = SIGNPOST_DUTY_REQUEST_VIEW (widget);
  GtkWidget *choices = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkCheckButton *first = NULL;
  GtkWidget *dialog;

  gtk_accessible_update_property (GTK_ACCESSIBLE (choices), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Outcome"), -1);
  for (guint i = 0; i < G_N_ELEMENTS (close_outcomes); i++)
    {
      GtkWidget *choice = g_object_new (GTK_TYPE_CHECK_BUTTON,
                                        "accessible-role", GTK_ACCESSIBLE_ROLE_RADIO,
                                        "label", close_outcome_choice (close_outcomes[i]),
                                        "use-underline", TRUE,
                                        "active", i == 0,
                                        NULL);

      if (first == NULL)
        first = GTK_CHECK_BUTTON (choice);
      else
        gtk_check_button_set_group (GTK_CHECK_BUTTON (choice), first);
      gtk_box_append (GTK_BOX (choices), choice);
    }
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), _("Close the Request"),
                                   _("What was the outcome? Your clinical notes are saved with it."));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), choices);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "close", _("Close _Request"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "close", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_close_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  /* On Close Request: Return closes with the outcome chosen. */
  if (gtk_window_get_default_widget (GTK_WINDOW (dialog)) != NULL)
    gtk_widget_grab_focus (gtk_window_get_default_widget (GTK_WINDOW (dialog)));
}

/* Back to the navigators, with the instructions signed and timed in the
 * navigator's notes. */
static void
send_back (SignpostDutyRequestView *self,
           const char              *instructions)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *time = signpost_duty_request_view_local_time (self, now, _("%H:%M"));
  g_autofree char *who = signpost_triage_format_user (self->cache, signpost_duty_request_view_my_user_id (self));
  g_autofree char *notes = g_strstrip (signpost_duty_request_view_text_view_get_text (self->duty_notes_view));
  g_autofree char *line = NULL;
  g_autofree char *combined = NULL;
  g_autofree char *name = NULL;
  g_autofree char *label = NULL;
  const char *before;
  g_autoptr(GError) error = NULL;

  if (self->triage == NULL)
    return;
  before = signpost_triage_get_navigator_notes (self->triage);
  /* Translators: instructions added to the navigator's notes: "From Dr Dana Duty at 10:42: book with the nurse" */
  line = g_strdup_printf (_("From %s at %s: %s"), who ? who : _("the duty doctor"), time, instructions);
  combined = before && *before ? g_strdup_printf ("%s\n\n%s", before, line) : g_strdup (line);
  name = signpost_duty_request_view_current_name (self);
  label = g_strdup_printf (_("Sent the request for %s back to the navigators"), name);
  if (!signpost_actions_send_back (self->actions, self->triage_id, combined, notes, label, &error))
    {
      signpost_duty_request_view_show_error (self, error);
      return;
    }
  self->notes_dirty = FALSE;
  signpost_duty_request_view_emit_finished (self, label);
}

static void
on_send_back_response (AdwMessageDialog        *dialog,
                       const char              *response,
                       SignpostDutyRequestView *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  if (!g_str_equal (response, "send") || *text == '\0')
    return;
  send_back (self, text);
}

void
signpost_duty_request_view_send_back_action (GtkWidget  *widget,
                                             const char *action_name,
                                             GVariant   *parameter)
{
  SignpostDutyRequestView *self = SIGNPOST_DUTY_REQUEST_VIEW (widget);
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *dialog;

  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("e.g. Book a routine GP appointment next week"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Instructions for the navigators"), -1);
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), _("Send Back to the Navigators"),
                                   _("Say what the navigators should do. They see it with the request and the "
                                     "patient’s record; your clinical notes stay with the clinicians."));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "send", _("_Send Back"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "send", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "send");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_send_back_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

void
signpost_duty_request_view_edit_action (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *parameter)
{
  SignpostDutyRequestView *self = SIGNPOST_DUTY_REQUEST_VIEW (widget);

  if (self->triage_id != NULL)
    gtk_widget_activate_action (widget, "win.open-triage", "(sss)", self->triage_id, "", "");
}

void
signpost_duty_request_view_take_over_action (GtkWidget  *widget,
                                             const char *action_name,
                                             GVariant   *parameter)
{
  SignpostDutyRequestView *self = SIGNPOST_DUTY_REQUEST_VIEW (widget);

  if (self->triage != NULL)
    signpost_duty_request_view_claim (self);
}

/* Sends this PC's notes again on top of the server's version: theirs
 * first, then these. */
void
signpost_duty_request_view_merge_notes_action (GtkWidget  *widget,
                                               const char *action_name,
                                               GVariant   *parameter)
{
  SignpostDutyRequestView *self = SIGNPOST_DUTY_REQUEST_VIEW (widget);
  g_autoptr(GError) error = NULL;

  if (self->conflict_mutation_id == NULL)
    return;
  if (!signpost_actions_retry_merging_notes (self->actions, self->conflict_mutation_id, &error))
    signpost_duty_request_view_show_error (self, error);
}
