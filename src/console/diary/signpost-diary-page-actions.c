/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-delivery.h"
#include "signpost-diary-page-private.h"

/* What the diary page does: the booking conflicts the server sends back,
 * booking (from the grid or the slot finder), moving between days,
 * cancelling, arrived, seen, did not attend, blocking and unblocking,
 * new sessions and printing the day list. */

/* ---- conflicts -------------------------------------------------------------------- */

static void
on_conflict_resolved (SignpostDiaryPage *self,
                      const char        *message)
{
  signpost_diary_page_show_message (self, message, 6);
}

static void
on_choose_in_diary (SignpostDiaryPage  *self,
                    SignpostOutboxItem *item)
{
  g_autoptr(SignpostBooking) booking = signpost_outbox_item_dup_booking (item);
  g_autoptr(SignpostSlot) slot = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_SLOT,
                                                            signpost_outbox_item_get_record_id (item), NULL);
  g_autoptr(SignpostClinician) clinician = NULL;
  g_autoptr(SignpostPatient) patient = NULL;
  g_autofree char *name = NULL;
  g_autofree char *context = NULL;

  g_free (self->context_patient_id);
  g_free (self->context_reason);
  g_free (self->context_triage_id);
  self->context_patient_id = booking ? g_strdup (booking->patient_id) : NULL;
  self->context_reason = booking ? g_strdup (booking->reason) : NULL;
  self->context_triage_id = booking ? g_strdup (booking->triage_id) : NULL;
  patient = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_PATIENT, self->context_patient_id, NULL);
  name = patient ? signpost_patient_format_name (patient) : g_strdup (_("the patient"));
  if (slot != NULL)
    clinician = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_CLINICIAN, signpost_slot_get_clinician_id (slot), NULL);
  /* Translators: the slot search after a taken slot: "For SMITH, Ann: the slot they had is gone; choose another." */
  context = g_strdup_printf (_("For %s: the slot chosen was taken; choose another."), name);
  signpost_diary_page_reveal_finder (self, TRUE);
  signpost_slot_finder_set_clinician_tags (self->finder,
                                           patient ? signpost_patient_get_usual_clinician_id (patient) : NULL,
                                           NULL);
  signpost_slot_finder_set_filters (self->finder, NULL,
                                    clinician ? (int) signpost_clinician_get_profession (clinician) : -1,
                                    slot ? (int) signpost_slot_get_mode (slot) : -1, 14,
                                    slot ? signpost_slot_get_clinician_id (slot) : NULL, context);
}

static gboolean
check_problems_cb (gpointer data)
{
  signpost_diary_page_check_problems (data);
  return G_SOURCE_REMOVE;
}

static void
on_conflict_dialog_destroyed (SignpostDiaryPage *self)
{
  self->conflict_dialog = NULL;
  /* The next one, if more came back meanwhile. */
  g_idle_add_full (G_PRIORITY_DEFAULT, check_problems_cb, g_object_ref (self), g_object_unref);
}

/* A booking of ours the server did not take is told at once, with the
 * nearest alternatives; one dialog at a time. */
void
signpost_diary_page_check_problems (SignpostDiaryPage *self)
{
  GListModel *items = self->changes;
  GtkWindow *window = signpost_diary_page_get_window (self);
  guint n = items ? g_list_model_get_n_items (items) : 0;

  if (self->conflict_dialog != NULL || window == NULL || self->actions == NULL)
    return;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SignpostOutboxItem) item = g_list_model_get_item (items, i);
      SignpostBookingConflictDialog *dialog;

      if (signpost_outbox_item_get_state (item) == SIGNPOST_OUTBOX_WAITING ||
          signpost_outbox_item_get_kind (item) != SIGNPOST_RECORD_SLOT ||
          signpost_outbox_item_get_op (item) != SIGNPOST_OP_BOOK ||
          !g_hash_table_add (self->problems_seen, g_strdup (signpost_outbox_item_get_mutation_id (item))))
        continue;

      dialog = signpost_booking_conflict_dialog_new (window, self->actions, item);
      self->conflict_dialog = GTK_WINDOW (dialog);
      g_signal_connect_object (dialog, "resolved", G_CALLBACK (on_conflict_resolved), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (dialog, "choose-in-diary", G_CALLBACK (on_choose_in_diary), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (dialog, "destroy", G_CALLBACK (on_conflict_dialog_destroyed), self, G_CONNECT_SWAPPED);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
}

void
signpost_diary_page_on_outbox_items_changed (SignpostDiaryPage *self)
{
  signpost_diary_page_check_problems (self);
}

/* The server's warning on a booking of ours (already booked that day). */
void
signpost_diary_page_on_patient_already_booked (SignpostDiaryPage *self,
                                               const char        *patient_id)
{
  g_autoptr(SignpostPatient) patient = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;

  if (self->cache != NULL && patient_id != NULL)
    patient = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_PATIENT, patient_id, NULL);
  name = patient ? signpost_patient_format_name (patient) : g_strdup (_("The patient"));
  /* Translators: the server's warning after a booking went through */
  message = g_strdup_printf (_("Booked, but note: %s already has another appointment that day."), name);
  signpost_diary_page_show_message (self, message, 0);
}

/* ---- booking ------------------------------------------------------------------------ */

/* Who a booking from the grid is for: the request the page was opened
 * for, the patient set by another page, or whoever is on the user's
 * current call. */
static SignpostPatient *
default_patient (SignpostDiaryPage *self)
{
  const SignpostCallState answered[] = { SIGNPOST_CALL_ANSWERED, -1 };
  SignpostUser *user = signpost_diary_page_page_user (self);
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(GError) error = NULL;

  if (self->context_patient_id != NULL)
    return signpost_cache_get_record (self->cache, SIGNPOST_RECORD_PATIENT, self->context_patient_id, NULL);
  if (self->booking_patient_id != NULL)
    return signpost_cache_get_record (self->cache, SIGNPOST_RECORD_PATIENT, self->booking_patient_id, NULL);
  if (user == NULL)
    return NULL;
  calls = signpost_cache_list_calls (self->cache, answered, NULL, signpost_record_get_id (SIGNPOST_RECORD (user)), &error);
  if (calls == NULL)
    {
      g_warning ("Could not read this navigator's calls: %s", error->message);
      return NULL;
    }
  for (guint i = calls->len; i > 0; i--)
    {
      const char *patient_id = signpost_call_get_patient_id (g_ptr_array_index (calls, i - 1));
      if (patient_id != NULL)
        return signpost_cache_get_record (self->cache, SIGNPOST_RECORD_PATIENT, patient_id, NULL);
    }
  return NULL;
}

static void
on_booked (SignpostDiaryPage *self,
           const char        *label)
{
  g_autofree char *message = NULL;

  /* Translators: after booking: "Booked SMITH, Ann with Dr Asha Patel, Mon 23 Nov, 09:10".
   * Catching up with the feed is online too: only a booking that cannot be
   * sent now is said to wait for the connection. */
  if (self->actions != NULL && !signpost_delivery_can_send (signpost_actions_get_state (self->actions)))
    message = g_strdup_printf (_("%s (saved on this PC; it goes to the server when the connection is back)"), label);
  else
    message = g_strdup (label);
  signpost_diary_page_show_message (self, message, 5);
  /* One request, one booking. */
  g_clear_pointer (&self->context_patient_id, g_free);
  g_clear_pointer (&self->context_reason, g_free);
  g_clear_pointer (&self->context_triage_id, g_free);
}

GtkWindow *
signpost_diary_page_book_slot (SignpostDiaryPage *self,
                               const char        *slot_id)
{
  g_autoptr(SignpostSlot) slot = NULL;
  g_autoptr(SignpostPatient) patient = NULL;
  SignpostBookingDialog *dialog;

  g_return_val_if_fail (SIGNPOST_IS_DIARY_PAGE (self), NULL);

  if (self->cache == NULL || self->actions == NULL)
    return NULL;
  slot = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_SLOT, slot_id, NULL);
  if (slot == NULL)
    return NULL;
  dialog = signpost_booking_dialog_new (signpost_diary_page_get_window (self), self->actions, slot);
  patient = default_patient (self);
  if (patient != NULL)
    signpost_booking_dialog_set_patient (dialog, patient);
  if (self->context_reason != NULL)
    signpost_booking_dialog_set_reason (dialog, self->context_reason);
  if (self->context_triage_id != NULL)
    signpost_booking_dialog_set_triage_id (dialog, self->context_triage_id);
  g_signal_connect_object (dialog, "booked", G_CALLBACK (on_booked), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WINDOW (dialog);
}

void
signpost_diary_page_on_finder_slot_activated (SignpostDiaryPage *self,
                                              SignpostSlot      *slot)
{
  g_autoptr(GTimeZone) tz = signpost_practice_time_zone (self->cache, signpost_record_get_practice_id (SIGNPOST_RECORD (slot)));
  g_autofree char *date = NULL;
  GDate day;

  /* Show that day behind the dialog. */
  signpost_local_date (signpost_slot_get_start (slot), tz, &day);
  date = signpost_date_format (&day);
  signpost_diary_page_show_date (self, date);
  signpost_diary_page_book_slot (self, signpost_record_get_id (SIGNPOST_RECORD (slot)));
}

/* ---- actions ------------------------------------------------------------------------- */

void
signpost_diary_page_previous_day (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  signpost_diary_page_move_days (SIGNPOST_DIARY_PAGE (widget), -1);
}

void
signpost_diary_page_next_day (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  signpost_diary_page_move_days (SIGNPOST_DIARY_PAGE (widget), 1);
}

void
signpost_diary_page_go_today (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  SignpostDiaryPage *self = SIGNPOST_DIARY_PAGE (widget);
  g_autofree char *today = signpost_diary_page_today_string (self);

  signpost_diary_page_show_date (self, today);
}

void
signpost_diary_page_go_to_date (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  gtk_menu_button_popup (SIGNPOST_DIARY_PAGE (widget)->date_button);
}

void
signpost_diary_page_book_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  signpost_diary_page_book_slot (SIGNPOST_DIARY_PAGE (widget), g_variant_get_string (parameter, NULL));
}

static SignpostSlot *
slot_for_action (SignpostDiaryPage *self,
                 GVariant          *parameter)
{
  if (self->cache == NULL)
    return NULL;
  return signpost_cache_get_record (self->cache, SIGNPOST_RECORD_SLOT, g_variant_get_string (parameter, NULL), NULL);
}

/* "SMITH, Ann with Dr Asha Patel, Mon 23 Nov, 09:10", for the labels of
 * changes. */
static char *
describe_booking (SignpostDiaryPage   *self,
                  SignpostSlot        *slot,
                  SignpostAppointment *appointment)
{
  g_autoptr(SignpostPatient) patient = NULL;
  g_autoptr(SignpostClinician) clinician = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_CLINICIAN,
                                                                      signpost_slot_get_clinician_id (slot), NULL);
  g_autoptr(GTimeZone) tz = signpost_practice_time_zone (self->cache, signpost_record_get_practice_id (SIGNPOST_RECORD (slot)));
  g_autofree char *who = NULL;
  g_autofree char *with = signpost_clinician_format_name (clinician);
  g_autofree char *when = signpost_slot_format_when (slot, tz);

  if (appointment != NULL)
    patient = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_PATIENT,
                                         signpost_appointment_get_patient_id (appointment), NULL);
  who = patient ? signpost_patient_format_name (patient) : g_strdup (_("the patient"));
  return g_strdup_printf (_("%s with %s, %s"), who, with, when);
}

static void
on_cancel_response (AdwMessageDialog  *dialog,
                    const char        *response,
                    SignpostDiaryPage *self)
{
  const char *slot_id = g_object_get_data (G_OBJECT (dialog), "slot-id");
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "reason-entry");
  g_autoptr(SignpostSlot) slot = NULL;
  g_autoptr(SignpostAppointment) appointment = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *what = NULL;
  g_autofree char *label = NULL;
  g_autofree char *reason = NULL;

  if (!g_str_equal (response, "cancel-appointment") || self->cache == NULL)
    return;
  slot = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_SLOT, slot_id, NULL);
  if (slot == NULL)
    return;
  /* For the words in the list of changes only. */
  appointment = signpost_cache_get_live_appointment (self->cache, slot_id, NULL);
  reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  what = describe_booking (self, slot, appointment);
  /* Translators: a change in the outbox: "Cancelled SMITH, Ann with Dr Asha Patel, Mon 23 Nov, 09:10" */
  label = g_strdup_printf (_("Cancelled %s"), what);
  if (!signpost_actions_cancel_booking (self->actions, slot_id, *reason != '\0' ? reason : NULL, label, &error))
    signpost_diary_page_show_message (self, error->message, 0);
  else
    signpost_diary_page_show_message (self, label, 5);
}

/* The appointment in @slot_id; NULL when there is none, or (said on the
 * page) when it could not be read. */
static SignpostAppointment *
live_appointment (SignpostDiaryPage *self,
                  const char        *slot_id)
{
  g_autoptr(GError) error = NULL;
  SignpostAppointment *appointment = signpost_cache_get_live_appointment (self->cache, slot_id, &error);

  if (error != NULL)
    signpost_diary_page_show_message (self, error->message, 0);
  return appointment;
}

void
signpost_diary_page_cancel_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  SignpostDiaryPage *self = SIGNPOST_DIARY_PAGE (widget);
  g_autoptr(SignpostSlot) slot = slot_for_action (self, parameter);
  g_autoptr(SignpostAppointment) appointment = NULL;
  g_autofree char *what = NULL;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  if (slot == NULL)
    return;
  appointment = live_appointment (self, g_variant_get_string (parameter, NULL));
  if (appointment == NULL)
    return;
  what = describe_booking (self, slot, appointment);
  body = g_strdup_printf (_("Cancel %s? The slot becomes free for someone else."), what);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (signpost_diary_page_get_window (self), _("Cancel the Appointment?"), body));
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason, e.g. patient feels better"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reason for cancelling"), -1);
  adw_message_dialog_set_extra_child (dialog, entry);
  adw_message_dialog_add_responses (dialog, "keep", _("_Keep It"), "cancel-appointment", _("_Cancel Appointment"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "cancel-appointment", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel-appointment");
  adw_message_dialog_set_close_response (dialog, "keep");
  g_object_set_data_full (G_OBJECT (dialog), "slot-id", g_strdup (g_variant_get_string (parameter, NULL)), g_free);
  g_object_set_data (G_OBJECT (dialog), "reason-entry", entry);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_cancel_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
set_appointment_status (SignpostDiaryPage         *self,
                        GVariant                  *parameter,
                        SignpostAppointmentStatus  status)
{
  g_autoptr(SignpostSlot) slot = slot_for_action (self, parameter);
  g_autoptr(SignpostAppointment) appointment = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *what = NULL;
  g_autofree char *label = NULL;

  if (slot == NULL)
    return;
  appointment = live_appointment (self, g_variant_get_string (parameter, NULL));
  if (appointment == NULL)
    return;
  what = describe_booking (self, slot, appointment);
  /* Translators: a change in the outbox: "Arrived: SMITH, Ann with Dr Asha Patel, Mon 23 Nov, 09:10" */
  label = g_strdup_printf (_("%s: %s"), signpost_appointment_status_label (status), what);
  if (!signpost_actions_set_appointment_status (self->actions, signpost_record_get_id (SIGNPOST_RECORD (appointment)),
                                                status, label, &error))
    signpost_diary_page_show_message (self, error->message, 0);
  else
    signpost_diary_page_show_message (self, label, 4);
}

void
signpost_diary_page_mark_arrived (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  set_appointment_status (SIGNPOST_DIARY_PAGE (widget), parameter, SIGNPOST_APPOINTMENT_ARRIVED);
}

void
signpost_diary_page_mark_seen (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  set_appointment_status (SIGNPOST_DIARY_PAGE (widget), parameter, SIGNPOST_APPOINTMENT_SEEN);
}

void
signpost_diary_page_mark_dna (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  set_appointment_status (SIGNPOST_DIARY_PAGE (widget), parameter, SIGNPOST_APPOINTMENT_DID_NOT_ATTEND);
}

static void
set_slot_status (SignpostDiaryPage  *self,
                 GVariant           *parameter,
                 SignpostSlotStatus  status)
{
  g_autoptr(SignpostSlot) slot = slot_for_action (self, parameter);
  g_autoptr(SignpostClinician) clinician = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *with = NULL;
  g_autofree char *when = NULL;
  g_autofree char *label = NULL;

  if (slot == NULL)
    return;
  clinician = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_CLINICIAN, signpost_slot_get_clinician_id (slot), NULL);
  tz = signpost_practice_time_zone (self->cache, signpost_record_get_practice_id (SIGNPOST_RECORD (slot)));
  with = signpost_clinician_format_name (clinician);
  when = signpost_slot_format_when (slot, tz);
  if (status == SIGNPOST_SLOT_BLOCKED)
    /* Translators: a change in the outbox: "Blocked Dr Asha Patel, Mon 23 Nov, 09:10" */
    label = g_strdup_printf (_("Blocked %s, %s"), with, when);
  else
    /* Translators: a change in the outbox: "Unblocked Dr Asha Patel, Mon 23 Nov, 09:10" */
    label = g_strdup_printf (_("Unblocked %s, %s"), with, when);
  if (!signpost_actions_set_slot_blocked (self->actions, signpost_record_get_id (SIGNPOST_RECORD (slot)),
                                         status == SIGNPOST_SLOT_BLOCKED, label, &error))
    signpost_diary_page_show_message (self, error->message, 0);
  else
    signpost_diary_page_show_message (self, label, 4);
}

void
signpost_diary_page_block_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  set_slot_status (SIGNPOST_DIARY_PAGE (widget), parameter, SIGNPOST_SLOT_BLOCKED);
}

void
signpost_diary_page_unblock_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  set_slot_status (SIGNPOST_DIARY_PAGE (widget), parameter, SIGNPOST_SLOT_FREE);
}

static void
on_sessions_created (SignpostDiaryPage *self,
                     const char        *message)
{
  signpost_diary_page_show_message (self, message, 5);
}

void
signpost_diary_page_new_session (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  SignpostDiaryPage *self = SIGNPOST_DIARY_PAGE (widget);
  SignpostSessionDialog *dialog;

  if (self->actions == NULL || self->cache == NULL)
    return;
  dialog = signpost_session_dialog_new (signpost_diary_page_get_window (self), self->actions, self->practice_id, self->date);
  g_signal_connect_object (dialog, "created", G_CALLBACK (on_sessions_created), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_print_done (GtkPrintOperation       *operation,
               GtkPrintOperationResult  result,
               SignpostDiaryPage       *self)
{
  g_autoptr(GError) error = NULL;

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      gtk_print_operation_get_error (operation, &error);
      signpost_diary_page_show_message (self, error ? error->message : _("The day list could not be printed."), 0);
    }
}

void
signpost_diary_page_print_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  SignpostDiaryPage *self = SIGNPOST_DIARY_PAGE (widget);
  const char *clinician_id = parameter ? g_variant_get_string (parameter, NULL) : "";
  g_autoptr(SignpostDayListPrint) operation = NULL;
  g_autoptr(GError) error = NULL;

  if (self->day == NULL)
    return;
  operation = signpost_day_list_print_new (self->day, *clinician_id ? clinician_id : NULL);
  gtk_print_operation_set_allow_async (GTK_PRINT_OPERATION (operation), TRUE);
  g_signal_connect_object (operation, "done", G_CALLBACK (on_print_done), self, 0);
  if (gtk_print_operation_run (GTK_PRINT_OPERATION (operation), GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               signpost_diary_page_get_window (self), &error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    signpost_diary_page_show_message (self, error->message, 0);
}
