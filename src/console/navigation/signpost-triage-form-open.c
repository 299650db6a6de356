/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "signpost-request-format.h"
#include "signpost-triage-form-private.h"

/* Opening a form: filling it in from a request, a call and a draft,
 * following the session, and finding the window already open. */

#define PATIENT_RESULTS 5

/* Signed out (or another user signed in): the draft stays on disk for
 * next time, and the window goes without asking. */
static void
on_session_cache_changed (SignpostTriageForm *self)
{
  if (signpost_actions_get_cache (self->actions) == self->cache)
    return;
  signpost_triage_form_write_draft (self);
  self->closing = TRUE;
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_records_changed (SignpostTriageForm *self,
                    GPtrArray          *changed_records,
                    GPtrArray          *removed)
{
  for (guint i = 0; changed_records != NULL && i < changed_records->len; i++)
    if (g_strcmp0 (signpost_record_get_id (g_ptr_array_index (changed_records, i)), self->triage_id) == 0)
      {
        /* The server's copy (version, status) becomes what the next
         * save is compared with; what is typed here stays. */
        if (self->original != NULL && !self->dirty)
          g_set_object (&self->original, g_ptr_array_index (changed_records, i));
        signpost_triage_form_update_state (self);
      }
}

/* ---- filling in ------------------------------------------------------------------------ */

static void
fill_from_record (SignpostTriageForm *self,
                  SignpostTriage     *triage)
{
  SignpostRoute *route = signpost_triage_get_route (triage);
  int value;

  signpost_request_who_section_set_relationship (self->who_section, signpost_triage_get_caller_relationship (triage));
  signpost_request_who_section_set_caller_name (self->who_section, signpost_triage_get_caller_name (triage));
  signpost_request_reason_section_set_reason (self->reason_section, signpost_triage_get_reason (triage));
  signpost_request_outcome_section_set_notes (self->outcome_section, signpost_triage_get_navigator_notes (triage));
  signpost_request_reason_section_set_ticked_flags (self->reason_section, signpost_triage_get_red_flags (triage));
  /* Routine is only where a request starts: the navigator decides. */
  if (!(self->navigating && signpost_triage_get_urgency (triage) == SIGNPOST_URGENCY_ROUTINE))
    signpost_request_route_section_set_rag (self->route_section,
                                            signpost_navigation_rag_for_urgency (signpost_triage_get_urgency (triage)));
  if (route != NULL)
    {
      self->route_touched = TRUE;
      signpost_request_route_section_set_route_kind (self->route_section, signpost_route_get_kind (route));
      switch (signpost_route_get_kind (route))
        {
        case SIGNPOST_ROUTE_CLINICIAN:
          signpost_request_route_section_set_clinician_id (self->route_section, signpost_route_get_clinician_id (route));
          break;
        case SIGNPOST_ROUTE_PROFESSION:
          if (signpost_enum_from_nick (SIGNPOST_TYPE_PROFESSION, signpost_route_get_profession (route), &value))
            signpost_request_route_section_set_profession (self->route_section, value);
          break;
        case SIGNPOST_ROUTE_SIGNPOST:
          if (signpost_enum_from_nick (SIGNPOST_TYPE_SIGNPOST, signpost_route_get_signpost (route), &value))
            signpost_request_route_section_set_signpost (self->route_section, value);
          break;
        case SIGNPOST_ROUTE_DUTY:
        default:
          break;
        }
    }
  signpost_request_outcome_section_set_contact (self->outcome_section, signpost_triage_get_contact_method (triage));
  signpost_triage_form_set_number (self, signpost_triage_get_contact_number (triage), NULL);
  self->number_touched = signpost_triage_get_contact_number (triage) != NULL;
  if (!self->navigating)
    signpost_request_outcome_section_set_outcome (self->outcome_section, signpost_triage_get_outcome (triage));
  g_free (self->pharmacy_first);
  self->pharmacy_first = g_strdup (signpost_triage_get_pharmacy_first (triage));
  self->pharmacy_first_taken = signpost_triage_get_pharmacy_first_taken (triage);
  self->pharmacy_dismissed = self->pharmacy_first != NULL && !self->pharmacy_first_taken;
}

static void
apply_draft (SignpostTriageForm         *self,
             const SignpostRequestDraft *draft)
{
  signpost_request_who_section_set_relationship (self->who_section, draft->relationship);
  signpost_request_who_section_set_caller_name (self->who_section, draft->caller_name);
  signpost_request_reason_section_set_reason (self->reason_section, draft->reason);
  signpost_request_outcome_section_set_notes (self->outcome_section, draft->notes);
  signpost_request_reason_section_set_ticked_flags (self->reason_section, (const char * const *) draft->red_flags);
  if (draft->rag >= 0)
    signpost_request_route_section_set_rag (self->route_section, draft->rag);
  signpost_request_route_section_set_route_kind (self->route_section, draft->route);
  signpost_request_route_section_set_clinician_id (self->route_section, draft->clinician_id);
  signpost_request_route_section_set_profession (self->route_section, MAX (draft->profession, 0));
  signpost_request_route_section_set_signpost (self->route_section, MAX (draft->signpost, 0));
  signpost_request_outcome_section_set_contact (self->outcome_section, draft->contact);
  signpost_request_outcome_section_set_number_text (self->outcome_section, draft->number);
  signpost_request_outcome_section_set_outcome (self->outcome_section, draft->outcome);
  g_free (self->pharmacy_first);
  self->pharmacy_first = g_strdup (draft->pharmacy_first);
  self->pharmacy_first_taken = draft->pharmacy_first_taken;
  self->pharmacy_dismissed = draft->pharmacy_dismissed;
  self->route_touched = draft->route_touched;
  self->outcome_touched = draft->outcome_touched;
  /* A draft showing another outcome than the request's had it follow the
   * route: it is saved as it was shown. */
  self->outcome_followed = self->original != NULL && draft->outcome != signpost_triage_get_outcome (self->original);
  self->number_touched = draft->number_touched;
}

static void
setup (SignpostTriageForm *self,
       SignpostActions    *actions,
       const char         *triage_id,
       const char         *call_id,
       const char         *patient_id,
       const SignpostRequestDraft *draft)
{
  g_autoptr(SignpostPatient) patient = NULL;
  g_autoptr(SignpostCall) call = NULL;
  const char *practice_id = NULL;

  self->actions = g_object_ref (actions);
  self->cache = g_object_ref (signpost_actions_get_cache (actions));
  g_signal_connect_object (actions, "notify::cache", G_CALLBACK (on_session_cache_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->cache, "records-changed", G_CALLBACK (on_records_changed), self, G_CONNECT_SWAPPED);

  self->search_model = signpost_patient_search_model_new (self->cache);
  signpost_patient_search_model_set_limit (self->search_model, PATIENT_RESULTS);
  signpost_request_who_section_set_search_model (self->who_section, self->search_model);

  if (triage_id != NULL && *triage_id != '\0')
    self->original = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_TRIAGE, triage_id, NULL);
  self->triage_id = triage_id && *triage_id ? g_strdup (triage_id) : g_uuid_string_random ();
  if (self->original != NULL)
    {
      call_id = signpost_triage_get_call_id (self->original);
      patient_id = signpost_triage_get_patient_id (self->original);
      practice_id = signpost_record_get_practice_id (SIGNPOST_RECORD (self->original));
    }
  self->call_id = call_id && *call_id ? g_strdup (call_id) : NULL;
  if (self->call_id != NULL)
    call = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_CALL, self->call_id, NULL);
  if ((patient_id == NULL || *patient_id == '\0') && call != NULL)
    patient_id = signpost_call_get_patient_id (call);
  if (patient_id != NULL && *patient_id != '\0')
    patient = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_PATIENT, patient_id, NULL);

  /* Which practice: the request's, the patient's, the call's, the one
   * chosen at sign-in, or the user's only one. */
  if (practice_id == NULL && patient != NULL)
    practice_id = signpost_record_get_practice_id (SIGNPOST_RECORD (patient));
  if (practice_id == NULL && call != NULL)
    practice_id = signpost_record_get_practice_id (SIGNPOST_RECORD (call));
  if (practice_id == NULL)
    practice_id = signpost_actions_get_practice_id (actions);
  if (practice_id == NULL && signpost_actions_get_user (actions) != NULL)
    {
      const char * const *ids = signpost_user_get_practice_ids (signpost_actions_get_user (actions));
      if (ids != NULL && ids[0] != NULL)
        practice_id = ids[0];
    }
  self->practice_id = g_strdup (practice_id);
  signpost_patient_search_model_set_practice_id (self->search_model, signpost_actions_get_practice_id (actions));

  self->loading = TRUE;
  signpost_triage_form_fill_clinicians (self);
  signpost_triage_form_set_patient (self, patient);
  signpost_triage_form_show_patient (self);
  signpost_triage_form_rebuild_red_flags (self);
  signpost_triage_form_apply_default_route (self);

  if (call != NULL && signpost_call_get_cli (call) != NULL &&
      !signpost_phone_is_withheld (signpost_call_get_cli (call)))
    signpost_triage_form_set_number (self, signpost_call_get_cli (call), _("The number they rang from."));
  else if (call != NULL)
    signpost_triage_form_set_number (self, NULL, _("The caller’s number was withheld: ask for one."));

  if (self->original != NULL)
    {
      SignpostRoute *route = signpost_triage_get_route (self->original);

      self->navigating = route == NULL &&
                         signpost_triage_get_status (self->original) == SIGNPOST_TRIAGE_OPEN &&
                         signpost_triage_get_outcome (self->original) == SIGNPOST_OUTCOME_NONE;
      fill_from_record (self, self->original);
      adw_window_title_set_title (self->window_title, _("Request"));
      signpost_request_details_set_request (self->request_details, self->original, self->cache);
      /* Not matched yet: the search starts with who they say it is. */
      if (patient == NULL && draft == NULL)
        {
          g_autofree char *query = signpost_request_stated_patient_query (self->original);
          if (query != NULL)
            signpost_request_who_section_set_search_text (self->who_section, query);
        }
    }
  if (draft != NULL)
    apply_draft (self, draft);
  signpost_triage_form_update_red_flags (self);
  signpost_triage_form_update_route_hint (self);
  signpost_triage_form_update_pharmacy_first (self);
  self->loading = FALSE;
  self->dirty = draft != NULL;
  signpost_triage_form_update_state (self);
}

/* ---- public API ------------------------------------------------------------------------- */

static SignpostTriageForm *
find_open (const char *triage_id,
           const char *call_id)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);
      SignpostTriageForm *form;

      if (!SIGNPOST_IS_TRIAGE_FORM (window))
        continue;
      form = SIGNPOST_TRIAGE_FORM (window);
      if ((triage_id != NULL && *triage_id != '\0' && g_strcmp0 (form->triage_id, triage_id) == 0) ||
          ((triage_id == NULL || *triage_id == '\0') && call_id != NULL && *call_id != '\0' &&
           g_strcmp0 (form->call_id, call_id) == 0))
        return form;
    }
  return NULL;
}

static SignpostTriageForm *
create (GtkWindow          *parent,
        SignpostActions    *actions,
        const char         *triage_id,
        const char         *call_id,
        const char         *patient_id,
        const SignpostRequestDraft *draft)
{
  SignpostTriageForm *self;

  /* Not modal: the queue and the popup stay usable behind it. */
  self = g_object_new (SIGNPOST_TYPE_TRIAGE_FORM, "transient-for", parent, "modal", FALSE, NULL);
  setup (self, actions, triage_id, call_id, patient_id, draft);
  gtk_window_present (GTK_WINDOW (self));
  if (self->patient == NULL && self->original == NULL)
    signpost_request_who_section_focus_search (self->who_section);
  else
    signpost_request_reason_section_focus_reason (self->reason_section);
  return self;
}

SignpostTriageForm *
signpost_triage_form_open (GtkWindow          *parent,
                           SignpostActions    *actions,
                           const char         *triage_id,
                           const char         *call_id,
                           const char         *patient_id)
{
  SignpostTriageForm *open;

  g_return_val_if_fail (SIGNPOST_IS_ACTIONS (actions), NULL);
  if (signpost_actions_get_cache (actions) == NULL)
    return NULL;

  open = find_open (triage_id, call_id);
  if (open != NULL)
    {
      gtk_window_present (GTK_WINDOW (open));
      return open;
    }
  return create (parent, actions, triage_id, call_id, patient_id, NULL);
}

SignpostTriageForm *
signpost_triage_form_open_draft (GtkWindow          *parent,
                                 SignpostActions    *actions,
                                 const char         *triage_id)
{
  SignpostCache *cache;
  g_autoptr(SignpostRequestDraft) draft = NULL;
  SignpostTriageForm *open;

  g_return_val_if_fail (SIGNPOST_IS_ACTIONS (actions), NULL);
  cache = signpost_actions_get_cache (actions);
  if (cache == NULL || (draft = signpost_request_draft_load (cache, triage_id)) == NULL)
    return NULL;
  open = find_open (draft->triage_id, NULL);
  if (open != NULL)
    {
      gtk_window_present (GTK_WINDOW (open));
      return open;
    }
  return create (parent, actions, draft->triage_id, draft->call_id, draft->patient_id, draft);
}

typedef struct {
  GtkWindow *parent;
  SignpostActions *actions;
  GStrv ids;   /* the requests' triage ids */
} DraftOffer;

static void
draft_offer_free (DraftOffer *offer)
{
  g_clear_object (&offer->parent);
  g_clear_object (&offer->actions);
  g_strfreev (offer->ids);
  g_free (offer);
}

static void
on_drafts_response (AdwMessageDialog *dialog,
                    const char       *response,
                    DraftOffer       *offer)
{
  SignpostCache *cache = signpost_actions_get_cache (offer->actions);

  for (guint i = 0; offer->ids[i] != NULL && cache != NULL; i++)
    {
      if (g_str_equal (response, "open"))
        signpost_triage_form_open_draft (offer->parent, offer->actions, offer->ids[i]);
      else if (g_str_equal (response, "discard"))
        signpost_request_draft_delete (cache, offer->ids[i], NULL);
    }
}

void
signpost_triage_form_offer_drafts (GtkWindow          *parent,
                                   SignpostActions    *actions)
{
  SignpostCache *cache;
  g_auto(GStrv) ids = NULL;
  GtkWidget *dialog;
  DraftOffer *offer;
  g_autofree char *body = NULL;
  g_autoptr(GError) error = NULL;
  guint n;

  g_return_if_fail (SIGNPOST_IS_ACTIONS (actions));
  cache = signpost_actions_get_cache (actions);
  if (cache == NULL)
    return;
  ids = signpost_request_draft_list (cache, &error);
  if (ids == NULL)
    {
      /* Drafts there may be: say so rather than offer nothing. */
      g_warning ("The unsaved requests on this PC could not be read: %s", error->message);
      dialog = adw_message_dialog_new (parent, _("Unsaved Requests"),
                                       _("Requests left unsaved when Signpost last closed could not be read from "
                                         "this PC. Nothing has been deleted; ask for help if this happens again."));
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
  /* Forms open now have their drafts in hand. */
  {
    g_autoptr(GStrvBuilder) left = g_strv_builder_new ();
    for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
      if (find_open (ids[i], NULL) == NULL)
        g_strv_builder_add (left, ids[i]);
    g_strfreev (ids);
    ids = g_strv_builder_end (left);
  }
  n = g_strv_length (ids);
  if (n == 0)
    return;

  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "A request was being written when Signpost last closed, and was not saved. "
                                       "Open it to finish and save it?",
                                       "%u requests were being written when Signpost last closed, and were not saved. "
                                       "Open them to finish and save them?", n), n);
  dialog = adw_message_dialog_new (parent, _("Unsaved Requests"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "later", _("_Not Now"),
                                    "discard", _("_Discard"),
                                    "open", _("_Open"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "open", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "open");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "later");
  offer = g_new0 (DraftOffer, 1);
  offer->parent = parent ? g_object_ref (parent) : NULL;
  offer->actions = g_object_ref (actions);
  offer->ids = g_steal_pointer (&ids);
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_drafts_response), offer,
                         (GClosureNotify) (void (*) (void)) draft_offer_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}