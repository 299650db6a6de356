/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "signpost-accessible.h"
#include "signpost-delivery.h"
#include "signpost-duty-request-view-private.h"
#include "signpost-navigation.h"
#include "signpost-page-shortcuts.h"
#include "signpost-patient-format.h"
#include "signpost-triage-format.h"

/* The duty doctor's view of one request: what it says, who has it open,
 * the state of this PC's changes to it, following the cache and the
 * outbox. The commands on it live beside it (see
 * signpost-duty-request-view-private.h). */

#define PREVIOUS_SHOWN 5

G_DEFINE_FINAL_TYPE (SignpostDutyRequestView, signpost_duty_request_view, ADW_TYPE_BIN)

enum {
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
signpost_duty_request_view_emit_finished (SignpostDutyRequestView *self,
                                          const char              *label)
{
  g_signal_emit (self, signals[FINISHED], 0, label);
}

/* ---- helpers ------------------------------------------------------------------- */

const char *
signpost_duty_request_view_my_user_id (SignpostDutyRequestView *self)
{
  SignpostUser *user = self->actions ? signpost_actions_get_user (self->actions) : NULL;

  return user ? signpost_record_get_id (SIGNPOST_RECORD (user)) : NULL;
}

static gboolean
is_clinician (SignpostDutyRequestView *self)
{
  return self->actions != NULL && signpost_actions_get_role (self->actions) == SIGNPOST_ROLE_CLINICIAN;
}

static gboolean
is_open (SignpostTriage *triage)
{
  SignpostTriageStatus status = signpost_triage_get_status (triage);

  return status == SIGNPOST_TRIAGE_OPEN || status == SIGNPOST_TRIAGE_AWAITING_DUTY;
}

char *
signpost_duty_request_view_text_view_get_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

char *
signpost_duty_request_view_patient_name (SignpostDutyRequestView *self,
                                         SignpostPatient         *patient)
{
  if (patient != NULL)
    return signpost_patient_format_name (patient);
  return g_strdup (_("the caller"));
}

SignpostPatient *
signpost_duty_request_view_get_patient (SignpostDutyRequestView *self)
{
  const char *id = self->triage ? signpost_triage_get_patient_id (self->triage) : NULL;

  return id ? signpost_cache_get_record (self->cache, SIGNPOST_RECORD_PATIENT, id, NULL) : NULL;
}

char *
signpost_duty_request_view_local_time (SignpostDutyRequestView *self,
                                       GDateTime               *instant,
                                       const char              *format)
{
  g_autoptr(GTimeZone) tz = signpost_time_zone_new (SIGNPOST_DEFAULT_TIME_ZONE, NULL);

  return instant ? signpost_format_local (instant, tz, format) : g_strdup ("");
}

void
signpost_duty_request_view_show_error (SignpostDutyRequestView *self,
                                       GError                  *error)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                              _("Could Not Save"), signpost_error_get_detail (error));

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The change of ours with @mutation_id, if it is still on the list. */
static SignpostOutboxItem *
find_change (SignpostDutyRequestView *self,
             const char              *mutation_id)
{
  for (guint i = 0; self->changes != NULL && mutation_id != NULL && i < g_list_model_get_n_items (self->changes); i++)
    {
      g_autoptr(SignpostOutboxItem) item = g_list_model_get_item (self->changes, i);

      if (g_strcmp0 (signpost_outbox_item_get_mutation_id (item), mutation_id) == 0)
        return g_steal_pointer (&item);
    }
  return NULL;
}

char *
signpost_duty_request_view_current_name (SignpostDutyRequestView *self)
{
  g_autoptr(SignpostPatient) patient = signpost_duty_request_view_get_patient (self);

  return signpost_duty_request_view_patient_name (self, patient);
}

/* ---- showing ---------------------------------------------------------------------- */

/* Under the notes: whether they are saved, and where the request truly
 * is (on the server, being sent, waiting for the connection, refused). */
static void
update_state (SignpostDutyRequestView *self)
{
  g_autofree char *text = NULL;
  SignpostDelivery delivery;

  if (self->triage == NULL)
    return;
  delivery = signpost_delivery_of_record (self->changes,
                                          self->actions ? signpost_actions_get_state (self->actions)
                                                        : SIGNPOST_SYNC_STATE_OFFLINE,
                                          self->triage_id);
  if (self->notes_dirty)
    text = g_strdup (_("Clinical notes changed: not saved yet (Ctrl+S saves them)."));
  else if (self->notes_saved_at != NULL)
    {
      g_autofree char *at = signpost_duty_request_view_local_time (self, self->notes_saved_at, _("%H:%M"));

      /* Translators: under the clinical notes: "Clinical notes saved at 10:42 · sent, the server has it" */
      text = g_strdup_printf (_("Clinical notes saved at %s · %s"), at, signpost_delivery_describe (delivery));
    }
  else if (delivery != SIGNPOST_DELIVERY_ON_SERVER)
    /* Translators: under the clinical notes: "Your changes: waiting to send: kept on this PC …" */
    text = g_strdup_printf (_("Your changes: %s"), signpost_delivery_describe (delivery));
  gtk_label_set_text (self->state_label, text ? text : "");
}

static void
update_claim (SignpostDutyRequestView *self)
{
  const char *claimed = signpost_triage_get_claimed_by (self->triage);
  g_autofree char *text = NULL;

  if (claimed != NULL && g_strcmp0 (claimed, signpost_duty_request_view_my_user_id (self)) != 0 && is_open (self->triage))
    {
      g_autofree char *who = signpost_triage_format_user (self->cache, claimed);
      /* Translators: "Dr Dana Duty has this open." */
      text = g_strdup_printf (_("%s has this open. Check with them before you call the patient."),
                              who ? who : _("Another clinician"));
    }
  gtk_label_set_text (self->claim_label, text ? text : "");
  gtk_widget_set_visible (self->take_over_button, is_clinician (self));
  gtk_revealer_set_reveal_child (self->claim_revealer, text != NULL);
}

static void
update_conflict (SignpostDutyRequestView *self)
{
  g_autofree char *found = NULL;
  GListModel *items = self->changes;

  for (guint i = 0; items != NULL && self->triage_id != NULL && i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(SignpostOutboxItem) item = g_list_model_get_item (items, i);

      if (signpost_outbox_item_get_state (item) == SIGNPOST_OUTBOX_CONFLICT &&
          g_strcmp0 (signpost_outbox_item_get_record_id (item), self->triage_id) == 0)
        {
          g_free (found);
          found = g_strdup (signpost_outbox_item_get_mutation_id (item));
        }
    }
  g_free (self->conflict_mutation_id);
  self->conflict_mutation_id = g_steal_pointer (&found);
  if (self->conflict_mutation_id != NULL)
    {
      g_autoptr(SignpostOutboxItem) item = find_change (self, self->conflict_mutation_id);
      SignpostRecord *current = item ? signpost_outbox_item_get_current (item) : NULL;
      g_autofree char *who = NULL;
      g_autofree char *text = NULL;

      if (current != NULL && SIGNPOST_IS_TRIAGE (current))
        who = signpost_triage_format_user (self->cache, signpost_triage_get_reviewed_by (SIGNPOST_TRIAGE (current)));
      if (who == NULL && current != NULL && SIGNPOST_IS_TRIAGE (current))
        who = signpost_triage_format_user (self->cache, signpost_triage_get_claimed_by (SIGNPOST_TRIAGE (current)));
      text = g_strdup_printf (_("%s changed this request while you were working on it. Nothing has been "
                                "overwritten: their version is shown; yours is kept until you decide."),
                              who ? who : _("Someone else"));
      gtk_label_set_text (self->conflict_label, text);
    }
  gtk_revealer_set_reveal_child (self->conflict_revealer, self->conflict_mutation_id != NULL);
}

static gboolean
tick (gpointer data)
{
  SignpostDutyRequestView *self = data;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *waited = NULL;
  g_autofree char *since = NULL;
  g_autofree char *text = NULL;

  if (self->triage == NULL)
    return G_SOURCE_CONTINUE;
  waited = signpost_triage_format_waited (signpost_triage_get_arrived (self->triage), now);
  /* Translators: strftime format of when a request arrived, "09:12" */
  since = signpost_duty_request_view_local_time (self, signpost_triage_get_arrived (self->triage), _("%H:%M"));
  text = g_strdup_printf (_("Waiting %s (since %s) · %s"), waited, since,
                          is_open (self->triage) &&
                          g_strcmp0 (signpost_triage_get_claimed_by (self->triage), signpost_duty_request_view_my_user_id (self)) == 0
                          ? _("you have it open") : signpost_triage_format_status (self->triage));
  gtk_label_set_text (self->waited_label, text);
  return G_SOURCE_CONTINUE;
}

void
signpost_duty_request_view_fill (SignpostDutyRequestView *self)
{
  SignpostTriage *triage = self->triage;
  SignpostUrgency urgency = signpost_triage_get_urgency (triage);
  g_autoptr(SignpostPatient) patient = signpost_duty_request_view_get_patient (self);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *route = signpost_triage_format_route (self->cache, signpost_triage_get_route (triage));
  g_autofree char *navigator = signpost_triage_format_user (self->cache, signpost_triage_get_created_by (triage));
  g_autofree char *arrived = signpost_duty_request_view_local_time (self, signpost_triage_get_arrived (triage), _("%a %-d %b, %H:%M"));
  g_autofree char *flags = signpost_triage_format_red_flags (triage);
  g_autofree char *reason = g_strdup_printf ("“%s”", signpost_triage_get_reason (triage));
  g_autofree char *routed = NULL;
  g_autofree char *contact = NULL;
  g_autofree char *number = NULL;
  GString *previous = g_string_new (NULL);
  const char *urgency_class = signpost_triage_format_urgency_class (urgency);

  if (self->urgency_class != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self->badge_label), self->urgency_class);
  gtk_widget_add_css_class (GTK_WIDGET (self->badge_label), urgency_class);
  self->urgency_class = urgency_class;
  gtk_label_set_text (self->badge_label, signpost_triage_format_urgency_badge (urgency));
  gtk_image_set_from_icon_name (self->urgency_icon, signpost_triage_format_urgency_icon (urgency));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->badge_label), signpost_navigation_urgency_label (urgency));

  if (patient != NULL)
    {
      g_autofree char *name = signpost_patient_format_name (patient);
      g_autofree char *born = signpost_patient_format_born (patient, now);
      g_autofree char *nhs = signpost_patient_format_nhs (patient);
      g_autofree char *alerts = signpost_patient_format_alerts (patient);
      g_autofree char *phones = signpost_patient_format_phones (patient);
      g_autofree char *gp = signpost_triage_format_clinician (self->cache, signpost_patient_get_usual_clinician_id (patient));
      g_autofree char *detail =
        /* Translators: the patient summary in the duty list */
        g_strdup_printf (_("Born %s · NHS %s · %s\nUsual GP: %s\nPhones: %s"), born, nhs,
                         signpost_cache_get_practice_name (self->cache, signpost_record_get_practice_id (SIGNPOST_RECORD (patient))),
                         gp ? gp : _("none recorded"), *phones ? phones : _("none recorded"));
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) requests = signpost_cache_list_triage_for_patient (self->cache,
                                                                             signpost_record_get_id (SIGNPOST_RECORD (patient)),
                                                                             &error);
      guint shown = 0;

      if (requests == NULL)
        {
          g_warning ("Could not read the patient's other requests: %s", error->message);
          requests = g_ptr_array_new_with_free_func (g_object_unref);
        }

      gtk_label_set_text (self->name_label, name);
      gtk_label_set_text (self->patient_label, detail);
      gtk_label_set_text (self->alerts_label, alerts);
      gtk_widget_set_visible (GTK_WIDGET (self->alerts_label), *alerts != '\0');
      for (guint i = 0; i < requests->len && shown < PREVIOUS_SHOWN; i++)
        {
          SignpostTriage *other = g_ptr_array_index (requests, i);
          g_autofree char *when = NULL;

          if (g_strcmp0 (signpost_record_get_id (SIGNPOST_RECORD (other)), self->triage_id) == 0)
            continue;
          /* Translators: strftime format of a previous request's date, "12 Nov 2026" */
          when = signpost_duty_request_view_local_time (self, signpost_triage_get_arrived (other), _("%-d %b %Y"));
          if (previous->len > 0)
            g_string_append_c (previous, '\n');
          /* Translators: a previous request: date — status — "reason" */
          g_string_append_printf (previous, _("%s — %s — “%s”"), when, signpost_triage_format_status (other),
                                  signpost_triage_get_reason (other));
          shown++;
        }
    }
  else
    {
      gtk_label_set_text (self->name_label, signpost_triage_get_caller_name (triage) ? signpost_triage_get_caller_name (triage)
                                                                                   : _("Patient not yet identified"));
      gtk_label_set_text (self->patient_label, _("No patient record is linked to this request yet."));
      gtk_widget_set_visible (GTK_WIDGET (self->alerts_label), FALSE);
    }
  gtk_label_set_text (self->previous_label, previous->len ? previous->str : _("None on record."));
  g_string_free (previous, TRUE);

  number = signpost_triage_get_contact_number (triage) ? signpost_phone_format (signpost_triage_get_contact_number (triage)) : NULL;
  if (signpost_triage_get_caller_relationship (triage) != SIGNPOST_CALLER_SELF)
    /* Translators: how to reach them: "Phone call on 07700 900123 · caller: Parent or guardian, Sam Smith" */
    contact = g_strdup_printf (_("%s on %s · caller: %s%s%s"),
                               signpost_triage_format_contact (signpost_triage_get_contact_method (triage)),
                               number ? number : _("no number given"),
                               signpost_triage_format_relationship (signpost_triage_get_caller_relationship (triage)),
                               signpost_triage_get_caller_name (triage) ? ", " : "",
                               signpost_triage_get_caller_name (triage) ? signpost_triage_get_caller_name (triage) : "");
  else
    contact = g_strdup_printf (_("%s on %s"),
                               signpost_triage_format_contact (signpost_triage_get_contact_method (triage)),
                               number ? number : _("no number given"));
  gtk_label_set_text (self->contact_label, contact);

  gtk_label_set_text (self->reason_label, reason);
  if (*flags != '\0')
    {
      g_autofree char *text = g_strdup_printf (_("Red flags ticked:\n%s"), flags);
      gtk_label_set_text (self->flags_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->flags_label), *flags != '\0');
  gtk_label_set_text (self->notes_label, signpost_triage_get_navigator_notes (triage)
                                         ? signpost_triage_get_navigator_notes (triage) : _("No further notes."));
  /* Translators: "Routed to Duty doctor by Nadia Navigator, Mon 23 Nov, 09:12" */
  routed = g_strdup_printf (_("Routed to %s by %s, %s"), route, navigator ? navigator : _("a navigator"), arrived);
  gtk_label_set_text (self->routed_label, routed);

  if (!self->notes_dirty)
    {
      self->loading = TRUE;
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->duty_notes_view),
                                signpost_triage_get_duty_notes (triage) ? signpost_triage_get_duty_notes (triage) : "", -1);
      self->loading = FALSE;
    }
  update_state (self);
  update_claim (self);
  update_conflict (self);
  tick (self);

  /* The actions are a clinician's, and for open requests. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "duty.save-notes", is_clinician (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "duty.call-back", is_clinician (self) && is_open (triage));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "duty.book", is_open (triage));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "duty.send-back", is_clinician (self) && is_open (triage));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "duty.close", is_clinician (self) && is_open (triage));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "duty.take-over", is_clinician (self));
  gtk_text_view_set_editable (self->duty_notes_view, is_clinician (self));
  /* Navigators never see clinical notes (the server sends them none):
   * they get the form instead. */
  gtk_widget_set_visible (self->clinical_heading, is_clinician (self));
  gtk_widget_set_visible (self->clinical_scroller, is_clinician (self));
  gtk_widget_set_visible (self->actions_box, is_clinician (self));
  gtk_widget_set_visible (self->edit_button, !is_clinician (self));
}

void
signpost_duty_request_view_claim (SignpostDutyRequestView *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *label = NULL;

  if (!is_clinician (self) || signpost_duty_request_view_my_user_id (self) == NULL || !is_open (self->triage))
    return;
  name = signpost_duty_request_view_current_name (self);
  label = g_strdup_printf (_("Opened the request for %s"), name);

  if (!signpost_actions_claim_request (self->actions, self->triage_id, label, &error))
    g_warning ("Could not signpost_duty_request_view_claim request %s: %s", self->triage_id, error->message);
}

/* Lets the request go for colleagues, unless it is finished. */
static void
release (SignpostDutyRequestView *self)
{
  g_autoptr(SignpostTriage) current = NULL;

  if (self->triage_id == NULL || self->cache == NULL || self->changes == NULL)
    return;
  current = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_TRIAGE, self->triage_id, NULL);
  if (current == NULL || !is_open (current) ||
      g_strcmp0 (signpost_triage_get_claimed_by (current), signpost_duty_request_view_my_user_id (self)) != 0)
    return;
  {
    g_autofree char *name = signpost_duty_request_view_current_name (self);
    g_autofree char *label = g_strdup_printf (_("Left the request for %s"), name);
    signpost_actions_release_request (self->actions, self->triage_id, label, NULL);
  }
}

/* ---- following the cache and the outbox --------------------------------------------- */

static void
on_records_changed (SignpostDutyRequestView *self,
                    GPtrArray               *changed,
                    GPtrArray               *removed)
{
  for (guint i = 0; changed != NULL && i < changed->len; i++)
    {
      SignpostRecord *record = g_ptr_array_index (changed, i);

      if (self->triage_id != NULL && SIGNPOST_IS_TRIAGE (record) &&
          g_strcmp0 (signpost_record_get_id (record), self->triage_id) == 0)
        {
          g_set_object (&self->triage, SIGNPOST_TRIAGE (record));
          signpost_duty_request_view_fill (self);
        }
    }
}

/* A signpost_duty_request_view_claim that lost a race is dropped (the view then shows who has it);
 * any other conflict waits for the user. */
static void
on_outbox_changed (SignpostDutyRequestView *self)
{
  signpost_actions_drop_lost_claims (self->actions);
  if (self->triage != NULL)
    {
      update_conflict (self);
      update_state (self);
    }
}

static void
on_notes_changed (SignpostDutyRequestView *self)
{
  if (self->loading)
    return;
  self->notes_dirty = TRUE;
  update_state (self);
}

/* ---- GObject ----------------------------------------------------------------------- */

static void
disconnect (SignpostDutyRequestView *self)
{
  if (self->cache != NULL)
    g_signal_handlers_disconnect_by_data (self->cache, self);
  if (self->changes != NULL)
    g_signal_handlers_disconnect_by_data (self->changes, self);
  g_clear_object (&self->cache);
  g_clear_object (&self->changes);
}

static void
on_session_changed (SignpostDutyRequestView *self)
{
  SignpostCache *cache = signpost_actions_get_cache (self->actions);
  GListModel *changes = signpost_actions_get_changes (self->actions);

  if (cache == self->cache && changes == self->changes)
    return;
  signpost_duty_request_view_show (self, NULL);
  disconnect (self);
  if (cache != NULL && changes != NULL)
    {
      self->cache = g_object_ref (cache);
      self->changes = g_object_ref (changes);
      g_signal_connect_object (cache, "records-changed", G_CALLBACK (on_records_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (changes, "items-changed", G_CALLBACK (on_outbox_changed), self, G_CONNECT_SWAPPED);
    }
}

static void
signpost_duty_request_view_dispose (GObject *object)
{
  SignpostDutyRequestView *self = SIGNPOST_DUTY_REQUEST_VIEW (object);

  g_clear_handle_id (&self->tick_source, g_source_remove);
  disconnect (self);
  if (self->actions != NULL)
    g_signal_handlers_disconnect_by_data (self->actions, self);
  g_clear_object (&self->actions);
  g_clear_object (&self->triage);
  gtk_widget_dispose_template (GTK_WIDGET (self), SIGNPOST_TYPE_DUTY_REQUEST_VIEW);

  G_OBJECT_CLASS (signpost_duty_request_view_parent_class)->dispose (object);
}

static void
signpost_duty_request_view_finalize (GObject *object)
{
  SignpostDutyRequestView *self = SIGNPOST_DUTY_REQUEST_VIEW (object);

  g_free (self->triage_id);
  g_free (self->conflict_mutation_id);
  g_clear_pointer (&self->notes_saved_at, g_date_time_unref);

  G_OBJECT_CLASS (signpost_duty_request_view_parent_class)->finalize (object);
}

static void
signpost_duty_request_view_class_init (SignpostDutyRequestViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  signpost_accessible_init ();
  /* The doctor is done with the request shown (closed it, sent it back):
   * @label says what was done. */
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  object_class->dispose = signpost_duty_request_view_dispose;
  object_class->finalize = signpost_duty_request_view_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/signpost/Signpost/signpost-duty-request-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SignpostDutyRequestView, claim_revealer);
  gtk_widget_class_bind_template_child (widget_class, SignpostDutyRequestView, claim_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostDutyRequestView, take_over_button);
  gtk_widget_class_bind_template_child (widget_class, SignpostDutyRequestView, conflict_revealer);
  gtk_widget_class_bind_template_child (widget_class, SignpostDutyRequestView, conflict_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostDutyRequestView, urgency_icon);
  gtk_widget_class_bind_template_child (widget_class, SignpostDutyRequestView, badge_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostDutyRequestView, name_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostDutyRequestView, patient_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostDutyRequestView, alerts_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostDutyRequestView, waited_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostDutyRequestView, contact_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostDutyRequestView, reason_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostDutyRequestView, flags_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostDutyRequestView, notes_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostDutyRequestView, routed_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostDutyRequestView, previous_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostDutyRequestView, duty_notes_view);
  gtk_widget_class_bind_template_child (widget_class, SignpostDutyRequestView, state_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostDutyRequestView, clinical_heading);
  gtk_widget_class_bind_template_child (widget_class, SignpostDutyRequestView, clinical_scroller);
  gtk_widget_class_bind_template_child (widget_class, SignpostDutyRequestView, actions_box);
  gtk_widget_class_bind_template_child (widget_class, SignpostDutyRequestView, edit_button);

  gtk_widget_class_install_action (widget_class, "duty.save-notes", NULL, signpost_duty_request_view_save_notes_action);
  gtk_widget_class_install_action (widget_class, "duty.call-back", "s", signpost_duty_request_view_call_back_action);
  gtk_widget_class_install_action (widget_class, "duty.book", NULL, signpost_duty_request_view_book_action);
  gtk_widget_class_install_action (widget_class, "duty.send-back", NULL, signpost_duty_request_view_send_back_action);
  gtk_widget_class_install_action (widget_class, "duty.close", NULL, signpost_duty_request_view_close_action);
  gtk_widget_class_install_action (widget_class, "duty.take-over", NULL, signpost_duty_request_view_take_over_action);
  gtk_widget_class_install_action (widget_class, "duty.merge-notes", NULL, signpost_duty_request_view_merge_notes_action);
  gtk_widget_class_install_action (widget_class, "duty.edit", NULL, signpost_duty_request_view_edit_action);
}


/* The bin's own child, not bound by name: dispose_template would unparent
 * it behind AdwBin's back. */
static GtkStack *
view_stack (SignpostDutyRequestView *self)
{
  return GTK_STACK (adw_bin_get_child (ADW_BIN (self)));
}

static void
signpost_duty_request_view_init (SignpostDutyRequestView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The flow box only lays the buttons out: Tab goes button to button,
   * not through the boxes that hold them. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->actions_box), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("What to do with the request"), -1);
  for (GtkWidget *child = gtk_widget_get_first_child (self->actions_box);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_FLOW_BOX_CHILD (child))
      gtk_widget_set_focusable (child, FALSE);
  signpost_page_shortcuts_add (GTK_WIDGET (self), GDK_KEY_s, GDK_CONTROL_MASK, "duty.save-notes", NULL);
  g_signal_connect_object (gtk_text_view_get_buffer (self->duty_notes_view), "changed",
                           G_CALLBACK (on_notes_changed), self, G_CONNECT_SWAPPED);
  /* The waiting time moves on by the minute. */
  self->tick_source = g_timeout_add_seconds (20, tick, self);
}

SignpostDutyRequestView *
signpost_duty_request_view_new (void)
{
  return g_object_new (SIGNPOST_TYPE_DUTY_REQUEST_VIEW, NULL);
}

void
signpost_duty_request_view_set_actions (SignpostDutyRequestView *self,
                                        SignpostActions         *actions)
{
  g_return_if_fail (SIGNPOST_IS_DUTY_REQUEST_VIEW (self));

  if (self->actions == actions)
    return;
  signpost_duty_request_view_show (self, NULL);
  disconnect (self);
  if (self->actions != NULL)
    g_signal_handlers_disconnect_by_data (self->actions, self);
  g_set_object (&self->actions, actions);
  if (actions != NULL)
    {
      g_signal_connect_object (actions, "notify::cache", G_CALLBACK (on_session_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (actions, "notify::changes", G_CALLBACK (on_session_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (actions, "notify::state", G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
      on_session_changed (self);
    }
}

void
signpost_duty_request_view_show (SignpostDutyRequestView *self,
                                 const char              *triage_id)
{
  g_autoptr(SignpostTriage) triage = NULL;

  g_return_if_fail (SIGNPOST_IS_DUTY_REQUEST_VIEW (self));

  if (triage_id != NULL && g_strcmp0 (triage_id, self->triage_id) == 0 && self->triage != NULL)
    return;
  /* Unsaved notes are kept, not lost, when the doctor moves on. */
  if (self->notes_dirty && self->triage != NULL)
    signpost_duty_request_view_save_notes (self, NULL);
  release (self);

  g_clear_pointer (&self->triage_id, g_free);
  g_clear_object (&self->triage);
  g_clear_pointer (&self->notes_saved_at, g_date_time_unref);
  self->notes_dirty = FALSE;
  if (triage_id != NULL && self->cache != NULL)
    triage = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_TRIAGE, triage_id, NULL);
  if (triage == NULL)
    {
      gtk_stack_set_visible_child_name (view_stack (self), "none");
      return;
    }
  self->triage_id = g_strdup (triage_id);
  self->triage = g_steal_pointer (&triage);
  signpost_duty_request_view_fill (self);
  gtk_stack_set_visible_child_name (view_stack (self), "request");
  if (signpost_triage_get_claimed_by (self->triage) == NULL)
    signpost_duty_request_view_claim (self);
  if (signpost_triage_get_patient_id (self->triage) != NULL && self->actions != NULL)
    signpost_actions_report_view (self->actions, signpost_triage_get_patient_id (self->triage), "duty-list");
}

const char *
signpost_duty_request_view_get_triage_id (SignpostDutyRequestView *self)
{
  g_return_val_if_fail (SIGNPOST_IS_DUTY_REQUEST_VIEW (self), NULL);
  return self->triage_id;
}

const char *
signpost_duty_request_view_get_claim_text (SignpostDutyRequestView *self)
{
  g_return_val_if_fail (SIGNPOST_IS_DUTY_REQUEST_VIEW (self), NULL);
  return gtk_revealer_get_reveal_child (self->claim_revealer) ? gtk_label_get_text (self->claim_label) : NULL;
}

gboolean
signpost_duty_request_view_get_conflict_shown (SignpostDutyRequestView *self)
{
  g_return_val_if_fail (SIGNPOST_IS_DUTY_REQUEST_VIEW (self), FALSE);
  return gtk_revealer_get_reveal_child (self->conflict_revealer);
}

void
signpost_duty_request_view_set_notes (SignpostDutyRequestView *self,
                                      const char              *text)
{
  g_return_if_fail (SIGNPOST_IS_DUTY_REQUEST_VIEW (self));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->duty_notes_view), text, -1);
}

/* Where the doctor's work on the request starts: the clinical notes (for
 * anyone else, the first thing they can do with it). */
gboolean
signpost_duty_request_view_focus (SignpostDutyRequestView *self)
{
  g_return_val_if_fail (SIGNPOST_IS_DUTY_REQUEST_VIEW (self), FALSE);

  if (self->triage == NULL)
    return FALSE;
  if (is_clinician (self) && gtk_widget_get_visible (self->clinical_scroller))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->duty_notes_view);
      GtkTextIter end;

      /* Carry on after what is written. */
      gtk_text_buffer_get_end_iter (buffer, &end);
      gtk_text_buffer_place_cursor (buffer, &end);
      return gtk_widget_grab_focus (GTK_WIDGET (self->duty_notes_view));
    }
  return gtk_widget_child_focus (GTK_WIDGET (self), GTK_DIR_TAB_FORWARD);
}
