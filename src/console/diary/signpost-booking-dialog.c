/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-accessible.h"
#include "signpost-booking-dialog.h"
#include "signpost-diary-format.h"
#include "signpost-patient-format.h"
#include "signpost-patient-search.h"

enum {
  BOOKED,
  N_SIGNALS
};

struct _SignpostBookingDialog
{
  AdwWindow parent_instance;

  /* template */
  GtkButton *book_button;
  GtkLabel *slot_label;
  GtkLabel *slot_detail_label;
  AdwActionRow *patient_row;
  GtkButton *find_button;
  GtkRevealer *search_revealer;
  SignpostPatientSearch *patient_search;
  AdwEntryRow *reason_row;
  GtkBox *warning_box;
  GtkLabel *warning_label;
  GtkLabel *error_label;

  SignpostActions    *actions;
  SignpostSlot *slot;
  SignpostClinician *clinician;
  SignpostPatient *patient;
  GTimeZone *tz;
  char *triage_id;
  char *warning;
  char *error;
  gboolean focus_placed;
};

G_DEFINE_FINAL_TYPE (SignpostBookingDialog, signpost_booking_dialog, ADW_TYPE_WINDOW)

static guint signals[N_SIGNALS];

static SignpostCache *
get_cache (SignpostBookingDialog *self)
{
  return signpost_actions_get_cache (self->actions);
}

static void
show_error (SignpostBookingDialog *self,
            const char            *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

/* The local check: the patient already holds a live appointment that day
 * (the server says so too, after booking). */
static void
update_warning (SignpostBookingDialog *self)
{
  g_autoptr(SignpostAppointment) other = NULL;
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->warning, g_free);
  if (self->patient != NULL)
    {
      signpost_slot_get_local_day (self->slot, self->tz, &from, &to);
      other = signpost_cache_find_patient_booking (get_cache (self),
                                                   signpost_record_get_id (SIGNPOST_RECORD (self->patient)),
                                                   from, to, signpost_record_get_id (SIGNPOST_RECORD (self->slot)),
                                                   &error);
      /* Only a warning: the server checks again when it books. */
      if (error != NULL)
        g_warning ("Could not check the patient's other bookings: %s", error->message);
    }
  if (other != NULL)
    {
      g_autoptr(SignpostSlot) slot = signpost_cache_get_record (get_cache (self), SIGNPOST_RECORD_SLOT,
                                                                signpost_appointment_get_slot_id (other), NULL);
      g_autoptr(SignpostClinician) clinician = slot ? signpost_cache_get_record (get_cache (self), SIGNPOST_RECORD_CLINICIAN,
                                                                                 signpost_slot_get_clinician_id (slot), NULL)
                                                    : NULL;
      g_autofree char *name = signpost_patient_format_name (self->patient);
      g_autofree char *time = slot ? signpost_format_local (signpost_slot_get_start (slot), self->tz, "%H:%M") : NULL;
      g_autofree char *with = signpost_clinician_format_name (clinician);

      /* Translators: "SMITH, Ann already has an appointment that day: 10:40 with Dr Asha Patel. You can still book this one." */
      self->warning = g_strdup_printf (_("%s already has an appointment that day: %s with %s. "
                                         "You can still book this one."),
                                       name, time ? time : "?", with);
    }
  gtk_label_set_text (self->warning_label, self->warning ? self->warning : "");
  gtk_widget_set_visible (GTK_WIDGET (self->warning_box), self->warning != NULL);
}

static void
update_patient_row (SignpostBookingDialog *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  if (self->patient == NULL)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->patient_row), _("No patient chosen yet"));
      adw_action_row_set_subtitle (self->patient_row, _("Find the patient by name, NHS number, date of birth or phone"));
      gtk_button_set_label (self->find_button, _("_Find Patient…"));
    }
  else
    {
      g_autofree char *name = signpost_patient_format_name (self->patient);
      g_autofree char *born = signpost_patient_format_born (self->patient, now);
      g_autofree char *nhs = signpost_patient_format_nhs (self->patient);
      g_autofree char *alerts = signpost_patient_format_alerts (self->patient);
      g_autofree char *subtitle = NULL;

      if (alerts != NULL && *alerts != '\0')
        /* Translators: the patient to book: "Born 12 Mar 1980 (46y) · NHS number 999 123 4567 · Alerts: Interpreter (Polish)" */
        subtitle = g_strdup_printf (_("Born %s · NHS number %s · Alerts: %s"), born, nhs, alerts);
      else
        subtitle = g_strdup_printf (_("Born %s · NHS number %s"), born, nhs);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->patient_row), name);
      adw_action_row_set_subtitle (self->patient_row, subtitle);
      gtk_button_set_label (self->find_button, _("_Change Patient…"));
    }
  update_warning (self);
}

static void
on_find_clicked (SignpostBookingDialog *self)
{
  gtk_revealer_set_reveal_child (self->search_revealer, TRUE);
  signpost_patient_search_focus (self->patient_search);
}

static void
on_patient_activated (SignpostBookingDialog *self,
                      SignpostPatient       *patient)
{
  signpost_booking_dialog_set_patient (self, patient);
  gtk_revealer_set_reveal_child (self->search_revealer, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->reason_row));
}

static void
on_search_closed (SignpostBookingDialog *self)
{
  gtk_revealer_set_reveal_child (self->search_revealer, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->find_button));
}

static void
on_book_clicked (SignpostBookingDialog *self)
{
  signpost_booking_dialog_book (self);
}

/* The keyboard starts where the booking goes on: on Book once the patient
 * is known (Return books, as the dialog says), otherwise on Find Patient;
 * never on Cancel, the first button in the header. */
static void
signpost_booking_dialog_map (GtkWidget *widget)
{
  SignpostBookingDialog *self = SIGNPOST_BOOKING_DIALOG (widget);

  GTK_WIDGET_CLASS (signpost_booking_dialog_parent_class)->map (widget);
  if (self->focus_placed)
    return;
  self->focus_placed = TRUE;
  if (self->patient != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->book_button));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->find_button));
}

static void
signpost_booking_dialog_dispose (GObject *object)
{
  SignpostBookingDialog *self = SIGNPOST_BOOKING_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SIGNPOST_TYPE_BOOKING_DIALOG);
  g_clear_object (&self->actions);
  g_clear_object (&self->slot);
  g_clear_object (&self->clinician);
  g_clear_object (&self->patient);

  G_OBJECT_CLASS (signpost_booking_dialog_parent_class)->dispose (object);
}

static void
signpost_booking_dialog_finalize (GObject *object)
{
  SignpostBookingDialog *self = SIGNPOST_BOOKING_DIALOG (object);

  g_clear_pointer (&self->tz, g_time_zone_unref);
  g_clear_pointer (&self->triage_id, g_free);
  g_clear_pointer (&self->warning, g_free);
  g_clear_pointer (&self->error, g_free);

  G_OBJECT_CLASS (signpost_booking_dialog_parent_class)->finalize (object);
}

static void
signpost_booking_dialog_class_init (SignpostBookingDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  signpost_accessible_init ();
  object_class->dispose = signpost_booking_dialog_dispose;
  object_class->finalize = signpost_booking_dialog_finalize;
  widget_class->map = signpost_booking_dialog_map;

  signals[BOOKED] =
    g_signal_new ("booked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (SIGNPOST_TYPE_PATIENT_SEARCH);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/signpost/Signpost/signpost-booking-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SignpostBookingDialog, book_button);
  gtk_widget_class_bind_template_child (widget_class, SignpostBookingDialog, slot_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostBookingDialog, slot_detail_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostBookingDialog, patient_row);
  gtk_widget_class_bind_template_child (widget_class, SignpostBookingDialog, find_button);
  gtk_widget_class_bind_template_child (widget_class, SignpostBookingDialog, search_revealer);
  gtk_widget_class_bind_template_child (widget_class, SignpostBookingDialog, patient_search);
  gtk_widget_class_bind_template_child (widget_class, SignpostBookingDialog, reason_row);
  gtk_widget_class_bind_template_child (widget_class, SignpostBookingDialog, warning_box);
  gtk_widget_class_bind_template_child (widget_class, SignpostBookingDialog, warning_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostBookingDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_book_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_find_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_patient_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_search_closed);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
signpost_booking_dialog_init (SignpostBookingDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

SignpostBookingDialog *
signpost_booking_dialog_new (GtkWindow          *parent,
                             SignpostActions    *actions,
                             SignpostSlot       *slot)
{
  SignpostBookingDialog *self;
  g_autofree char *when = NULL;
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;
  g_autofree char *detail = NULL;
  const char *practice;

  g_return_val_if_fail (SIGNPOST_IS_ACTIONS (actions), NULL);
  g_return_val_if_fail (SIGNPOST_IS_SLOT (slot), NULL);

  self = g_object_new (SIGNPOST_TYPE_BOOKING_DIALOG, "transient-for", parent, NULL);
  self->actions = g_object_ref (actions);
  self->slot = g_object_ref (slot);
  self->clinician = signpost_cache_get_record (get_cache (self), SIGNPOST_RECORD_CLINICIAN,
                                               signpost_slot_get_clinician_id (slot), NULL);
  self->tz = signpost_practice_time_zone (get_cache (self), signpost_record_get_practice_id (SIGNPOST_RECORD (slot)));
  signpost_patient_search_set_actions (self->patient_search, actions);

  when = signpost_slot_format_when (slot, self->tz);
  name = signpost_clinician_format_name (self->clinician);
  /* Translators: the booking dialog's heading: "Mon 23 Nov, 09:10 with Dr Asha Patel" */
  title = g_strdup_printf (_("%s with %s"), when, name);
  gtk_label_set_text (self->slot_label, title);
  practice = signpost_cache_get_practice_name (get_cache (self), signpost_record_get_practice_id (SIGNPOST_RECORD (slot)));
  /* Translators: "Telephone · 10 minutes · GP · Riverside Medical Practice" */
  detail = g_strdup_printf (_("%s · %d minutes · %s · %s"),
                            signpost_slot_mode_label (signpost_slot_get_mode (slot)),
                            (int) signpost_slot_get_duration_minutes (slot),
                            self->clinician ? signpost_profession_label (signpost_clinician_get_profession (self->clinician)) : "",
                            practice ? practice : "");
  gtk_label_set_text (self->slot_detail_label, detail);
  update_patient_row (self);
  return self;
}

void
signpost_booking_dialog_set_patient (SignpostBookingDialog *self,
                                     SignpostPatient       *patient)
{
  g_return_if_fail (SIGNPOST_IS_BOOKING_DIALOG (self));

  g_set_object (&self->patient, patient);
  show_error (self, NULL);
  update_patient_row (self);
}

SignpostPatient *
signpost_booking_dialog_get_patient (SignpostBookingDialog *self)
{
  g_return_val_if_fail (SIGNPOST_IS_BOOKING_DIALOG (self), NULL);
  return self->patient;
}

void
signpost_booking_dialog_set_reason (SignpostBookingDialog *self,
                                    const char            *reason)
{
  g_return_if_fail (SIGNPOST_IS_BOOKING_DIALOG (self));
  gtk_editable_set_text (GTK_EDITABLE (self->reason_row), reason ? reason : "");
}

void
signpost_booking_dialog_set_triage_id (SignpostBookingDialog *self,
                                       const char            *triage_id)
{
  g_return_if_fail (SIGNPOST_IS_BOOKING_DIALOG (self));
  g_free (self->triage_id);
  self->triage_id = g_strdup (triage_id);
}

SignpostSlot *
signpost_booking_dialog_get_slot (SignpostBookingDialog *self)
{
  g_return_val_if_fail (SIGNPOST_IS_BOOKING_DIALOG (self), NULL);
  return self->slot;
}

const char *
signpost_booking_dialog_get_warning (SignpostBookingDialog *self)
{
  g_return_val_if_fail (SIGNPOST_IS_BOOKING_DIALOG (self), NULL);
  return self->warning;
}

const char *
signpost_booking_dialog_get_error (SignpostBookingDialog *self)
{
  g_return_val_if_fail (SIGNPOST_IS_BOOKING_DIALOG (self), NULL);
  return self->error;
}

gboolean
signpost_booking_dialog_book (SignpostBookingDialog *self)
{
  SignpostCache *cache;
  g_autoptr(SignpostSlot) current = NULL;
  g_autoptr(SignpostAppointment) live = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  g_autofree char *patient_name = NULL;
  g_autofree char *clinician_name = NULL;
  g_autofree char *when = NULL;
  g_autofree char *label = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *appointment_id = NULL;
  SignpostSlotBooker booker;

  g_return_val_if_fail (SIGNPOST_IS_BOOKING_DIALOG (self), FALSE);

  cache = get_cache (self);
  if (cache == NULL || signpost_actions_get_changes (self->actions) == NULL)
    {
      show_error (self, _("You are signed out. Sign in again to book."));
      return FALSE;
    }
  if (self->patient == NULL)
    {
      show_error (self, _("Choose the patient first: press Find Patient."));
      gtk_widget_grab_focus (GTK_WIDGET (self->find_button));
      return FALSE;
    }
  if (g_strcmp0 (signpost_record_get_practice_id (SIGNPOST_RECORD (self->patient)),
                 signpost_record_get_practice_id (SIGNPOST_RECORD (self->slot))) != 0)
    {
      const char *theirs = signpost_cache_get_practice_name (cache, signpost_record_get_practice_id (SIGNPOST_RECORD (self->patient)));
      g_autofree char *message =
        /* Translators: the patient is registered at another practice of the hub */
        g_strdup_printf (_("This patient is registered at %s. Book them into that practice’s diary."),
                         theirs ? theirs : _("another practice"));
      show_error (self, message);
      return FALSE;
    }

  /* The diary may have moved on since the dialog opened. */
  current = signpost_cache_get_record (cache, SIGNPOST_RECORD_SLOT, signpost_record_get_id (SIGNPOST_RECORD (self->slot)), NULL);
  signpost_actions_init_booker (self->actions, &booker, now);
  live = current ? signpost_cache_get_live_appointment (cache, signpost_record_get_id (SIGNPOST_RECORD (current)), &error)
                 : NULL;
  if (error != NULL)
    {
      show_error (self, error->message);
      return FALSE;
    }
  switch (current ? signpost_slot_check_bookable (current, live, &booker) : SIGNPOST_SLOT_NOT_FREE)
    {
    case SIGNPOST_SLOT_NOT_FREE:
      show_error (self, _("This slot has just been taken or blocked. Close this and choose another: "
                          "First Suitable Slot lists the nearest free ones."));
      return FALSE;
    case SIGNPOST_SLOT_STARTED:
      show_error (self, _("This slot has already started. Choose a later one."));
      return FALSE;
    case SIGNPOST_SLOT_EMBARGOED:
      {
        g_autofree char *embargo = signpost_slot_format_embargo (current, self->tz);
        g_autofree char *message = g_strdup_printf (_("%s: it cannot be booked before then."), embargo);
        show_error (self, message);
        return FALSE;
      }
    case SIGNPOST_SLOT_PRACTICE_ONLY:
      show_error (self, _("This slot is for the practice’s own staff to book. Choose a slot open to the hub."));
      return FALSE;
    case SIGNPOST_SLOT_BOOKABLE:
    default:
      break;
    }

  reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->reason_row))));

  patient_name = signpost_patient_format_name (self->patient);
  clinician_name = signpost_clinician_format_name (self->clinician);
  when = signpost_slot_format_when (self->slot, self->tz);
  /* Translators: what the user did, as the list of changes shows it: "Booked SMITH, Ann with Dr Asha Patel, Mon 23 Nov, 09:10" */
  label = g_strdup_printf (_("Booked %s with %s, %s"), patient_name, clinician_name, when);
  appointment_id = signpost_actions_book_slot (self->actions, signpost_record_get_id (SIGNPOST_RECORD (self->slot)),
                                               signpost_record_get_id (SIGNPOST_RECORD (self->patient)),
                                               *reason != '\0' ? reason : NULL, self->triage_id, label, &error);
  if (appointment_id == NULL)
    {
      show_error (self, error->message);
      return FALSE;
    }
  show_error (self, NULL);
  g_signal_emit (self, signals[BOOKED], 0, label);
  gtk_window_close (GTK_WINDOW (self));
  return TRUE;
}
