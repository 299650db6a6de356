/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-diary-format.h"
#include "signpost-patient-format.h"
#include "signpost-slot-popover.h"

struct _SignpostSlotPopover
{
  GtkPopover parent_instance;

  /* template */
  GtkLabel *title_label;
  GtkLabel *subtitle_label;
  GtkBox *patient_box;
  GtkLabel *patient_label;
  GtkLabel *patient_detail_label;
  GtkLabel *reason_label;
  GtkLabel *note_label;
  GtkBox *button_box;
  GtkButton *book_button;
  GtkButton *arrived_button;
  GtkButton *seen_button;
  GtkButton *dna_button;
  GtkButton *cancel_button;
  GtkButton *block_button;
  GtkButton *unblock_button;
};

G_DEFINE_FINAL_TYPE (SignpostSlotPopover, signpost_slot_popover, GTK_TYPE_POPOVER)

static void
on_button_clicked (SignpostSlotPopover *self)
{
  gtk_popover_popdown (GTK_POPOVER (self));
}

static void
signpost_slot_popover_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SIGNPOST_TYPE_SLOT_POPOVER);
  G_OBJECT_CLASS (signpost_slot_popover_parent_class)->dispose (object);
}

static void
signpost_slot_popover_class_init (SignpostSlotPopoverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = signpost_slot_popover_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/signpost/Signpost/signpost-slot-popover.ui");
  gtk_widget_class_bind_template_child (widget_class, SignpostSlotPopover, title_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostSlotPopover, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostSlotPopover, patient_box);
  gtk_widget_class_bind_template_child (widget_class, SignpostSlotPopover, patient_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostSlotPopover, patient_detail_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostSlotPopover, reason_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostSlotPopover, note_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostSlotPopover, button_box);
  gtk_widget_class_bind_template_child (widget_class, SignpostSlotPopover, book_button);
  gtk_widget_class_bind_template_child (widget_class, SignpostSlotPopover, arrived_button);
  gtk_widget_class_bind_template_child (widget_class, SignpostSlotPopover, seen_button);
  gtk_widget_class_bind_template_child (widget_class, SignpostSlotPopover, dna_button);
  gtk_widget_class_bind_template_child (widget_class, SignpostSlotPopover, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, SignpostSlotPopover, block_button);
  gtk_widget_class_bind_template_child (widget_class, SignpostSlotPopover, unblock_button);
}

static void
signpost_slot_popover_init (SignpostSlotPopover *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->button_box)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    g_signal_connect_swapped (child, "clicked", G_CALLBACK (on_button_clicked), self);
}

SignpostSlotPopover *
signpost_slot_popover_new (void)
{
  return g_object_new (SIGNPOST_TYPE_SLOT_POPOVER, NULL);
}

static void
show_button (GtkButton  *button,
             const char *action,
             gboolean    visible,
             const char *slot_id)
{
  gtk_widget_set_visible (GTK_WIDGET (button), visible);
  /* The target first, so the action is never looked at without one. */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", slot_id);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
}

void
signpost_slot_popover_set_slot (SignpostSlotPopover      *self,
                                SignpostDiaryDay         *day,
                                SignpostSlot             *slot,
                                const SignpostSlotBooker *booker,
                                SignpostRole              role)
{
  SignpostClinician *clinician;
  SignpostAppointment *appointment = NULL;
  SignpostSlotStatus status;
  SignpostSlotBookability bookable;
  GTimeZone *tz;
  const char *id;
  g_autofree char *when = NULL;
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;
  g_autofree char *state = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *note = NULL;
  gboolean booker_role, staff, live;

  g_return_if_fail (SIGNPOST_IS_SLOT_POPOVER (self));
  g_return_if_fail (SIGNPOST_IS_SLOT (slot));

  id = signpost_record_get_id (SIGNPOST_RECORD (slot));
  tz = signpost_diary_day_get_time_zone (day);
  clinician = signpost_diary_day_lookup_clinician (day, signpost_slot_get_clinician_id (slot));
  status = signpost_slot_get_status (slot);
  if (status == SIGNPOST_SLOT_BOOKED)
    appointment = signpost_diary_day_get_appointment (day, slot);
  bookable = signpost_slot_check_bookable (slot, appointment, booker);

  when = signpost_slot_format_when (slot, tz);
  name = signpost_clinician_format_name (clinician);
  /* Translators: a slot's heading: "Mon 23 Nov, 09:10 · Dr Asha Patel" */
  title = g_strdup_printf (_("%s · %s"), when, name);
  gtk_label_set_text (self->title_label, title);
  state = signpost_slot_format_status (slot, booker, tz);
  /* Translators: "Telephone · 10 minutes · Free" */
  subtitle = g_strdup_printf (_("%s · %d minutes · %s"), signpost_slot_mode_label (signpost_slot_get_mode (slot)),
                              (int) signpost_slot_get_duration_minutes (slot), state);
  gtk_label_set_text (self->subtitle_label, subtitle);

  gtk_widget_set_visible (GTK_WIDGET (self->patient_box), appointment != NULL);
  if (appointment != NULL)
    {
      SignpostPatient *patient = signpost_diary_day_get_patient (day, signpost_appointment_get_patient_id (appointment));
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      const char *reason = signpost_appointment_get_reason (appointment);
      g_autofree char *reason_text = NULL;

      if (patient != NULL)
        {
          g_autofree char *patient_name = signpost_patient_format_name (patient);
          g_autofree char *born = signpost_patient_format_born (patient, now);
          g_autofree char *nhs = signpost_patient_format_nhs (patient);
          g_autofree char *detail = g_strdup_printf (_("Born %s · NHS number %s"), born, nhs);
          /* Translators: "SMITH, Ann · Arrived" */
          g_autofree char *line = g_strdup_printf (_("%s · %s"), patient_name,
                                                   signpost_appointment_status_label (signpost_appointment_get_status (appointment)));

          gtk_label_set_text (self->patient_label, line);
          gtk_label_set_text (self->patient_detail_label, detail);
        }
      else
        {
          gtk_label_set_text (self->patient_label,
                              signpost_appointment_status_label (signpost_appointment_get_status (appointment)));
          gtk_label_set_text (self->patient_detail_label,
                              signpost_appointment_get_patient_id (appointment) ? _("The patient’s record is not on this PC yet.")
                                                                                 : _("Patient details are not shown to your role."));
        }
      reason_text = g_strdup_printf (_("Reason: %s"), reason && *reason ? reason : _("none given"));
      gtk_label_set_text (self->reason_label, reason_text);
    }

  if (signpost_cache_record_is_pending (SIGNPOST_RECORD (slot)) ||
      (appointment != NULL && signpost_cache_record_is_pending (SIGNPOST_RECORD (appointment))))
    note = g_strdup (_("Saved on this PC; not yet accepted by the server."));
  else if (status == SIGNPOST_SLOT_FREE && bookable == SIGNPOST_SLOT_EMBARGOED)
    note = g_strdup (_("Embargoed slots open for booking at their release time, usually 08:00 on the day."));
  else if (status == SIGNPOST_SLOT_FREE && bookable == SIGNPOST_SLOT_PRACTICE_ONLY)
    note = g_strdup (_("Only the practice’s own staff can book this slot; hub navigators cannot."));
  else if (status == SIGNPOST_SLOT_FREE && bookable == SIGNPOST_SLOT_STARTED)
    note = g_strdup (_("This slot’s time has passed."));
  gtk_label_set_text (self->note_label, note ? note : "");
  gtk_widget_set_visible (GTK_WIDGET (self->note_label), note != NULL);

  booker_role = role == SIGNPOST_ROLE_NAVIGATOR || role == SIGNPOST_ROLE_CLINICIAN;
  staff = role == SIGNPOST_ROLE_CLINICIAN || role == SIGNPOST_ROLE_MANAGER;
  live = appointment != NULL && signpost_appointment_get_status (appointment) != SIGNPOST_APPOINTMENT_CANCELLED;
  show_button (self->book_button, "diary.book", booker_role && bookable == SIGNPOST_SLOT_BOOKABLE, id);
  show_button (self->arrived_button, "diary.mark-arrived", booker_role && live &&
               signpost_appointment_get_status (appointment) == SIGNPOST_APPOINTMENT_BOOKED, id);
  show_button (self->seen_button, "diary.mark-seen", role == SIGNPOST_ROLE_CLINICIAN && live &&
               signpost_appointment_get_status (appointment) != SIGNPOST_APPOINTMENT_SEEN, id);
  show_button (self->dna_button, "diary.mark-dna", booker_role && live &&
               signpost_appointment_get_status (appointment) != SIGNPOST_APPOINTMENT_DID_NOT_ATTEND, id);
  show_button (self->cancel_button, "diary.cancel-appointment", booker_role && live, id);
  show_button (self->block_button, "diary.block", staff && status == SIGNPOST_SLOT_FREE, id);
  show_button (self->unblock_button, "diary.unblock", staff && status == SIGNPOST_SLOT_BLOCKED, id);
}
