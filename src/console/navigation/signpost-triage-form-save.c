/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "signpost-patient-format.h"
#include "signpost-triage-form-private.h"

/* Saving the form: the draft kept as it is typed, the record built from
 * the sections, Save (through SignpostActions), and closing with
 * something unsaved. */

#define DRAFT_DELAY_MS 400

/* ---- small helpers ------------------------------------------------------------ */

/* Trimmed; NULL when nothing is left. */
static char *
nonempty (char *text)
{
  if (text == NULL)
    return NULL;
  g_strstrip (text);
  if (*text == '\0')
    {
      g_free (text);
      return NULL;
    }
  return text;
}

/* ---- drafts ---------------------------------------------------------------------- */

/* What is typed, as values: nicks and ids, never a list's row numbers. */
static SignpostRequestDraft *
draft_from_form (SignpostTriageForm *self)
{
  SignpostRequestDraft *draft = signpost_request_draft_new (self->triage_id);

  draft->call_id = g_strdup (self->call_id);
  draft->patient_id = g_strdup (self->patient ? signpost_record_get_id (SIGNPOST_RECORD (self->patient)) : NULL);
  draft->practice_id = g_strdup (self->practice_id);
  draft->relationship = signpost_request_who_section_get_relationship (self->who_section);
  draft->caller_name = g_strdup (signpost_request_who_section_get_caller_name (self->who_section));
  draft->reason = signpost_request_reason_section_dup_reason (self->reason_section);
  draft->red_flags = signpost_triage_form_ticked_flags (self);
  draft->rag = signpost_triage_form_chosen_rag (self);
  draft->route = signpost_request_route_section_get_route_kind (self->route_section);
  draft->clinician_id = g_strdup (signpost_request_route_section_get_clinician_id (self->route_section));
  draft->profession = signpost_request_route_section_get_profession (self->route_section);
  draft->signpost = signpost_request_route_section_get_signpost (self->route_section);
  draft->contact = signpost_request_outcome_section_get_contact (self->outcome_section);
  draft->number = g_strdup (signpost_request_outcome_section_get_number (self->outcome_section));
  draft->notes = signpost_request_outcome_section_dup_notes (self->outcome_section);
  draft->outcome = signpost_request_outcome_section_get_outcome (self->outcome_section);
  draft->pharmacy_first = g_strdup (self->pharmacy_first);
  draft->pharmacy_first_taken = self->pharmacy_first_taken;
  draft->pharmacy_dismissed = self->pharmacy_dismissed;
  draft->route_touched = self->route_touched;
  draft->outcome_touched = self->outcome_touched;
  draft->number_touched = self->number_touched;
  return draft;
}

void
signpost_triage_form_write_draft (SignpostTriageForm *self)
{
  g_autoptr(SignpostRequestDraft) draft = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (&self->draft_source, g_source_remove);
  if (!self->dirty || self->cache == NULL)
    return;
  draft = draft_from_form (self);
  if (!signpost_request_draft_save (draft, self->cache, &error))
    g_warning ("Could not keep the draft of request %s: %s", self->triage_id, error->message);
}

static gboolean
draft_timeout (gpointer data)
{
  SignpostTriageForm *self = data;

  self->draft_source = 0;
  signpost_triage_form_write_draft (self);
  return G_SOURCE_REMOVE;
}

void
signpost_triage_form_forget_draft (SignpostTriageForm *self)
{
  g_clear_handle_id (&self->draft_source, g_source_remove);
  if (self->cache != NULL)
    signpost_request_draft_delete (self->cache, self->triage_id, NULL);
}

/* Something the user did: kept on disk within DRAFT_DELAY_MS, so a crash
 * loses at most the last moment's typing. */
void
signpost_triage_form_changed (SignpostTriageForm *self)
{
  if (self->loading)
    return;
  self->dirty = TRUE;
  if (self->draft_source == 0)
    self->draft_source = g_timeout_add (DRAFT_DELAY_MS, draft_timeout, self);
  signpost_triage_form_update_state (self);
}

/* ---- building the record --------------------------------------------------------------- */

SignpostTriage *
signpost_triage_form_build (SignpostTriageForm  *self,
                            GError             **error)
{
  g_autoptr(SignpostTriage) triage = NULL;
  g_autoptr(SignpostRoute) route = signpost_route_new ();
  g_autofree char *reason = nonempty (signpost_request_reason_section_dup_reason (self->reason_section));
  g_autofree char *notes = nonempty (signpost_request_outcome_section_dup_notes (self->outcome_section));
  g_autofree char *caller = nonempty (g_strdup (signpost_request_who_section_get_caller_name (self->who_section)));
  g_autofree char *typed = nonempty (g_strdup (signpost_request_outcome_section_get_number (self->outcome_section)));
  g_autofree char *number = NULL;
  g_auto(GStrv) flags = signpost_triage_form_ticked_flags (self);
  SignpostRedFlagAction action;
  gboolean emergency;
  int rag = signpost_triage_form_chosen_rag (self);
  SignpostCallerRelationship relationship = signpost_request_who_section_get_relationship (self->who_section);
  SignpostTriageOutcome outcome = signpost_request_outcome_section_get_outcome (self->outcome_section);
  SignpostContactMethod contact = signpost_request_outcome_section_get_contact (self->outcome_section);
  SignpostUrgency urgency;

  g_return_val_if_fail (SIGNPOST_IS_TRIAGE_FORM (self), NULL);

  if (reason == NULL)
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "reason",
                                _("Write down the reason in the patient’s own words."));
      return NULL;
    }
  if (rag < 0)
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "urgency",
                                _("Choose Red, Amber or Green."));
      return NULL;
    }
  emergency = signpost_navigation_red_flag_action ((const char * const *) flags, &action) &&
              action == SIGNPOST_RED_FLAG_CALL_999;
  urgency = signpost_navigation_urgency_for_rag (rag, emergency);
  if (!signpost_navigation_check_urgency ((const char * const *) flags, urgency, error))
    return NULL;
  if (typed != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      number = signpost_phone_normalise (typed, &local_error);
      if (number == NULL)
        {
          signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "contact_number",
                                    _("The call-back number is not a phone number: %s"), local_error->message);
          return NULL;
        }
    }
  else if (contact == SIGNPOST_CONTACT_PHONE || contact == SIGNPOST_CONTACT_TEXT)
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "contact_number",
                                _("Give a number to call or text back."));
      return NULL;
    }
  if (self->practice_id == NULL)
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "practice_id",
                                _("Choose the patient first: it is not known which practice this is for."));
      return NULL;
    }

  switch (signpost_request_route_section_get_route_kind (self->route_section))
    {
    case SIGNPOST_ROUTE_CLINICIAN:
      signpost_route_set_kind (route, SIGNPOST_ROUTE_CLINICIAN);
      signpost_route_set_clinician_id (route, signpost_request_route_section_get_clinician_id (self->route_section));
      break;
    case SIGNPOST_ROUTE_PROFESSION:
      signpost_route_set_kind (route, SIGNPOST_ROUTE_PROFESSION);
      signpost_route_set_profession (route, signpost_enum_to_nick (SIGNPOST_TYPE_PROFESSION,
                                                                   signpost_request_route_section_get_profession (self->route_section)));
      break;
    case SIGNPOST_ROUTE_SIGNPOST:
      signpost_route_set_kind (route, SIGNPOST_ROUTE_SIGNPOST);
      signpost_route_set_signpost (route, signpost_enum_to_nick (SIGNPOST_TYPE_SIGNPOST,
                                                                 signpost_request_route_section_get_signpost (self->route_section)));
      break;
    case SIGNPOST_ROUTE_DUTY:
    default:
      signpost_route_set_kind (route, SIGNPOST_ROUTE_DUTY);
      break;
    }
  if (!signpost_object_validate (SIGNPOST_OBJECT (route), error))
    return NULL;

  /* On top of what this PC has now (a doctor may have opened or
   * reviewed it meanwhile): only the fields this form fills differ. */
  if (self->original != NULL && self->cache != NULL)
    triage = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_TRIAGE, self->triage_id, NULL);
  if (triage == NULL)
    triage = self->original ? signpost_object_copy (SIGNPOST_OBJECT (self->original)) : signpost_triage_new ();
  signpost_record_set_id (SIGNPOST_RECORD (triage), self->triage_id);
  if (self->original == NULL)
    signpost_record_set_practice_id (SIGNPOST_RECORD (triage), self->practice_id);
  signpost_triage_set_patient_id (triage, self->patient ? signpost_record_get_id (SIGNPOST_RECORD (self->patient)) : NULL);
  signpost_triage_set_call_id (triage, self->call_id);
  signpost_triage_set_caller_relationship (triage, relationship);
  signpost_triage_set_caller_name (triage, relationship == SIGNPOST_CALLER_SELF ? NULL : caller);
  signpost_triage_set_reason (triage, reason);
  signpost_triage_set_red_flags (triage, (const char * const *) flags);
  signpost_triage_set_urgency (triage, urgency);
  signpost_triage_set_route (triage, route);
  signpost_triage_set_contact_method (triage, contact);
  signpost_triage_set_contact_number (triage, number);
  signpost_triage_set_navigator_notes (triage, notes);
  signpost_triage_set_pharmacy_first (triage, self->pharmacy_first);
  signpost_triage_set_pharmacy_first_taken (triage, self->pharmacy_first != NULL && self->pharmacy_first_taken);
  /* The status follows the outcome chosen here (or shown here since the
   * last save, following the route), not a doctor's later one. */
  if (self->original == NULL || self->outcome_touched || self->outcome_followed || self->navigating)
    {
      signpost_triage_set_outcome (triage, outcome);
      /* "Booked" is true once the diary books it (the slot's book command
       * links the request); until then it stays open. */
      signpost_triage_set_status (triage, outcome == SIGNPOST_OUTCOME_BOOKED &&
                                          signpost_triage_get_appointment_id (triage) == NULL
                                          ? SIGNPOST_TRIAGE_OPEN
                                          : signpost_navigation_status_for_outcome (outcome));
    }
  if (!signpost_object_validate (SIGNPOST_OBJECT (triage), error))
    return NULL;
  return g_steal_pointer (&triage);
}

static char *
save_label (SignpostTriageForm *self,
            SignpostTriage     *triage)
{
  g_autofree char *who = self->patient ? signpost_patient_format_name (self->patient) : g_strdup (_("an unknown caller"));
  g_autofree char *reason = g_strdup (signpost_triage_get_reason (triage));

  if (g_utf8_strlen (reason, -1) > 40)
    {
      char *cut = g_utf8_offset_to_pointer (reason, 40);
      *cut = '\0';
    }
  /* Translators: what the problems list shows: "Request for SMITH, Ann: sore throat…" */
  return g_strdup_printf (_("Request for %s: %s…"), who, reason);
}

/* The call this request came from points back at it. */
static void
link_call (SignpostTriageForm *self)
{
  g_autoptr(SignpostCall) call = NULL;
  g_autoptr(GError) error = NULL;

  /* A call this PC has not heard of (yet) keeps its links as they are. */
  if (self->call_id == NULL)
    return;
  call = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_CALL, self->call_id, NULL);
  if (call == NULL)
    return;
  if (!signpost_actions_link_call_to_request (self->actions, self->call_id, self->triage_id,
                                              self->patient ? signpost_record_get_id (SIGNPOST_RECORD (self->patient))
                                                            : NULL,
                                              &error))
    g_warning ("Could not link call %s to its request: %s", self->call_id, error->message);
}

static void
show_save_error (SignpostTriageForm *self,
                 GError             *error)
{
  g_autofree char *field = signpost_error_dup_field (error);
  const char *detail = signpost_error_get_detail (error);

  if (g_strcmp0 (field, "reason") == 0)
    signpost_request_reason_section_show_reason_error (self->reason_section);
  else if (g_strcmp0 (field, "urgency") == 0)
    signpost_request_route_section_focus_urgency (self->route_section);
  else if (g_strcmp0 (field, "contact_number") == 0)
    signpost_request_outcome_section_show_number_error (self->outcome_section, detail);
  else if (g_strcmp0 (field, "practice_id") == 0)
    signpost_request_who_section_focus_search (self->who_section);
  signpost_triage_form_toast (self, detail);
}

gboolean
signpost_triage_form_save (SignpostTriageForm  *self,
                           GError             **error)
{
  g_autoptr(SignpostTriage) triage = NULL;
  g_autofree char *label = NULL;

  g_return_val_if_fail (SIGNPOST_IS_TRIAGE_FORM (self), FALSE);

  if (signpost_actions_get_changes (self->actions) == NULL)
    {
      g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID, _("Sign in again to save."));
      return FALSE;
    }
  triage = signpost_triage_form_build (self, error);
  if (triage == NULL)
    return FALSE;
  label = save_label (self, triage);
  if (!signpost_actions_save_request (self->actions, triage, label, error))
    return FALSE;
  link_call (self);

  signpost_triage_form_forget_draft (self);
  g_clear_object (&self->original);
  self->original = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_TRIAGE, self->triage_id, NULL);
  if (self->original == NULL)
    self->original = g_steal_pointer (&triage);
  self->dirty = FALSE;
  self->outcome_touched = FALSE;
  self->outcome_followed = FALSE;
  self->navigating = FALSE;
  adw_window_title_set_title (self->window_title, _("Request"));
  signpost_triage_form_update_state (self);
  return TRUE;
}

static gboolean
save_now (SignpostTriageForm *self)
{
  g_autoptr(GError) error = NULL;

  if (!signpost_triage_form_save (self, &error))
    {
      show_save_error (self, error);
      return FALSE;
    }
  return TRUE;
}

void
signpost_triage_form_save_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  SignpostTriageForm *self = SIGNPOST_TRIAGE_FORM (widget);

  if (save_now (self))
    signpost_triage_form_toast (self, signpost_actions_get_state (self->actions) == SIGNPOST_SYNC_STATE_OFFLINE
                 ? _("Saved on this PC; it will be sent when the server is back")
                 : _("Saved"));
}

void
signpost_triage_form_save_close_action (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *parameter)
{
  SignpostTriageForm *self = SIGNPOST_TRIAGE_FORM (widget);

  if (save_now (self))
    gtk_window_destroy (GTK_WINDOW (self));
}

/* Opening the diary on suitable slots is the diary's own action
 * (win.find-slot on the main window, with the request's id). */
void
signpost_triage_form_find_slot_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *parameter)
{
  SignpostTriageForm *self = SIGNPOST_TRIAGE_FORM (widget);
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  if (!save_now (self))
    return;
  if (parent == NULL ||
      !gtk_widget_activate_action (GTK_WIDGET (parent), "win.find-slot", "s", self->triage_id))
    {
      g_warning ("No diary to book from (win.find-slot) for request %s", self->triage_id);
      signpost_triage_form_toast (self, _("Saved. The diary could not be opened from here: book from the Diary page."));
      return;
    }
  signpost_triage_form_toast (self, _("Saved. Pick a slot in the diary."));
}

/* ---- closing --------------------------------------------------------------------------- */

static gboolean
destroy_later (gpointer data)
{
  gtk_window_destroy (GTK_WINDOW (data));
  return G_SOURCE_REMOVE;
}

static void
on_close_response (AdwMessageDialog   *dialog,
                   const char         *response,
                   SignpostTriageForm *self)
{
  if (g_str_equal (response, "save"))
    {
      if (!save_now (self))
        return;
    }
  else if (g_str_equal (response, "discard"))
    {
      signpost_triage_form_forget_draft (self);
      self->dirty = FALSE;
    }
  else
    return;
  /* The dialog closes after this handler: the form (its parent) goes
   * once it has. */
  self->closing = TRUE;
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, destroy_later, g_object_ref (self), g_object_unref);
}

gboolean
signpost_triage_form_close_request (GtkWindow *window)
{
  SignpostTriageForm *self = SIGNPOST_TRIAGE_FORM (window);
  GtkWidget *dialog;
  g_autofree char *body = NULL;

  if (!self->dirty || self->closing)
    return GTK_WINDOW_CLASS (g_type_class_peek (ADW_TYPE_WINDOW))->close_request (window);

  body = self->patient
         ? g_strdup_printf (_("The request for %s has changes that are not saved."),
                            signpost_request_who_section_get_patient_text (self->who_section))
         : g_strdup (_("This request has changes that are not saved."));
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Save the Request?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Keep Editing"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_close_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}
