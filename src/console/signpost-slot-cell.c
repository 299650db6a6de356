/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-diary-format.h"
#include "signpost-patient-format.h"
#include "signpost-slot-cell.h"

struct _SignpostSlotCell
{
  GtkButton parent_instance;

  /* template */
  GtkLabel *time_label;
  GtkImage *mode_icon;
  GtkLabel *mode_label;
  GtkImage *pending_icon;
  GtkImage *status_icon;
  GtkLabel *status_label;
  GtkLabel *detail_label;

  SignpostDiaryDay *day;
  SignpostDiaryRow *row;
  char *clinician_id;
  const SignpostSlotBooker *booker;
  gulong changed_handler;
  SignpostSlot *slot;
  char *text;
};

G_DEFINE_FINAL_TYPE (SignpostSlotCell, signpost_slot_cell, GTK_TYPE_BUTTON)

static const char * const state_classes[] = {
  "slot-free", "slot-booked", "slot-blocked", "slot-embargoed", "slot-practice-only",
  "slot-passed", "slot-arrived", "slot-seen", "slot-dna", "slot-pending", NULL
};

static void
set_state (SignpostSlotCell *self,
           const char       *state,
           const char       *icon_name)
{
  for (guint i = 0; state_classes[i] != NULL; i++)
    if (g_strcmp0 (state_classes[i], state) != 0)
      gtk_widget_remove_css_class (GTK_WIDGET (self), state_classes[i]);
  if (state != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self), state);
  gtk_image_set_from_icon_name (self->status_icon, icon_name);
  gtk_widget_set_visible (GTK_WIDGET (self->status_icon), icon_name != NULL);
}

static void
refresh (SignpostSlotCell *self)
{
  SignpostSlot *slot = self->row ? signpost_diary_row_get_slot (self->row, self->clinician_id) : NULL;
  SignpostSlotMode mode;
  g_autofree char *status = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *clinician = NULL;
  gboolean pending;

  g_set_object (&self->slot, slot);
  if (slot == NULL || self->day == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      g_clear_pointer (&self->text, g_free);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);

  mode = signpost_slot_get_mode (slot);
  gtk_label_set_text (self->time_label, signpost_diary_row_get_label (self->row));
  gtk_image_set_from_icon_name (self->mode_icon, signpost_slot_mode_icon_name (mode));
  gtk_label_set_text (self->mode_label, signpost_slot_mode_label (mode));
  pending = signpost_cache_record_is_pending (SIGNPOST_RECORD (slot));

  switch (signpost_slot_get_status (slot))
    {
    case SIGNPOST_SLOT_BOOKED:
      {
        SignpostAppointment *appointment = signpost_diary_day_get_appointment (self->day, slot);
        SignpostPatient *patient = NULL;
        const char *state = "slot-booked";

        if (appointment != NULL)
          {
            SignpostAppointmentStatus done = signpost_appointment_get_status (appointment);
            g_autofree char *name = NULL;

            patient = signpost_diary_day_get_patient (self->day, signpost_appointment_get_patient_id (appointment));
            pending |= signpost_cache_record_is_pending (SIGNPOST_RECORD (appointment));
            name = patient ? signpost_patient_format_name (patient) : g_strdup (_("Booked"));
            if (done == SIGNPOST_APPOINTMENT_DID_NOT_ATTEND)
              /* Translators: a booked slot whose patient did not come; DNA is what practices call it */
              status = g_strdup_printf (_("%s · DNA"), name);
            else if (done != SIGNPOST_APPOINTMENT_BOOKED)
              /* Translators: a booked slot: "SMITH, Ann · Arrived" */
              status = g_strdup_printf (_("%s · %s"), name, signpost_appointment_status_label (done));
            else
              status = g_steal_pointer (&name);
            detail = g_strdup (signpost_appointment_get_reason (appointment));
            if (done == SIGNPOST_APPOINTMENT_ARRIVED)
              state = "slot-arrived";
            else if (done == SIGNPOST_APPOINTMENT_SEEN)
              state = "slot-seen";
            else if (done == SIGNPOST_APPOINTMENT_DID_NOT_ATTEND)
              state = "slot-dna";
          }
        else
          status = g_strdup (_("Booked"));
        set_state (self, state, NULL);
      }
      break;

    case SIGNPOST_SLOT_BLOCKED:
      status = g_strdup (_("Blocked"));
      set_state (self, "slot-blocked", "action-unavailable-symbolic");
      break;

    case SIGNPOST_SLOT_FREE:
    default:
      switch (signpost_slot_check_bookable (slot, self->booker))
        {
        case SIGNPOST_SLOT_EMBARGOED:
          status = signpost_slot_format_embargo (slot, signpost_diary_day_get_time_zone (self->day));
          set_state (self, "slot-embargoed", "alarm-symbolic");
          break;
        case SIGNPOST_SLOT_PRACTICE_ONLY:
          status = g_strdup (_("Practice only"));
          set_state (self, "slot-practice-only", "changes-prevent-symbolic");
          break;
        case SIGNPOST_SLOT_STARTED:
          status = g_strdup (_("Free (time passed)"));
          set_state (self, "slot-passed", NULL);
          break;
        case SIGNPOST_SLOT_BOOKABLE:
        case SIGNPOST_SLOT_NOT_FREE:
        default:
          status = g_strdup (_("Free"));
          if (!signpost_slot_get_hub_bookable (slot))
            detail = g_strdup (_("Practice staff only"));
          set_state (self, "slot-free", NULL);
          break;
        }
      break;
    }

  gtk_label_set_text (self->status_label, status);
  gtk_label_set_text (self->detail_label, detail ? detail : "");
  gtk_widget_set_visible (GTK_WIDGET (self->pending_icon), pending);
  if (pending)
    gtk_widget_add_css_class (GTK_WIDGET (self), "slot-pending");

  clinician = signpost_clinician_format_name (signpost_diary_day_lookup_clinician (self->day, self->clinician_id));
  g_free (self->text);
  /* Translators: one slot in the diary, read out: "09:10, Dr Asha Patel, Telephone: Free" */
  self->text = g_strdup_printf (_("%s, %s, %s: %s"), signpost_diary_row_get_label (self->row), clinician,
                                signpost_slot_mode_label (mode), status);
  if (detail != NULL && *detail != '\0')
    {
      char *longer = g_strdup_printf ("%s (%s)", self->text, detail);
      g_free (self->text);
      self->text = longer;
    }
  if (pending)
    {
      /* Translators: added to a slot's description while a change waits to be sent */
      char *longer = g_strdup_printf (_("%s, not yet sent"), self->text);
      g_free (self->text);
      self->text = longer;
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, self->text, -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), detail);
}

static void
signpost_slot_cell_dispose (GObject *object)
{
  SignpostSlotCell *self = SIGNPOST_SLOT_CELL (object);

  signpost_slot_cell_unbind (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SIGNPOST_TYPE_SLOT_CELL);

  G_OBJECT_CLASS (signpost_slot_cell_parent_class)->dispose (object);
}

static void
signpost_slot_cell_finalize (GObject *object)
{
  SignpostSlotCell *self = SIGNPOST_SLOT_CELL (object);

  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->clinician_id, g_free);

  G_OBJECT_CLASS (signpost_slot_cell_parent_class)->finalize (object);
}

static void
signpost_slot_cell_class_init (SignpostSlotCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = signpost_slot_cell_dispose;
  object_class->finalize = signpost_slot_cell_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/signpost/Signpost/signpost-slot-cell.ui");
  gtk_widget_class_bind_template_child (widget_class, SignpostSlotCell, time_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostSlotCell, mode_icon);
  gtk_widget_class_bind_template_child (widget_class, SignpostSlotCell, mode_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostSlotCell, pending_icon);
  gtk_widget_class_bind_template_child (widget_class, SignpostSlotCell, status_icon);
  gtk_widget_class_bind_template_child (widget_class, SignpostSlotCell, status_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostSlotCell, detail_label);
}

static void
signpost_slot_cell_init (SignpostSlotCell *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

SignpostSlotCell *
signpost_slot_cell_new (void)
{
  return g_object_new (SIGNPOST_TYPE_SLOT_CELL, NULL);
}

void
signpost_slot_cell_bind (SignpostSlotCell         *self,
                         SignpostDiaryDay         *day,
                         SignpostDiaryRow         *row,
                         const char               *clinician_id,
                         const SignpostSlotBooker *booker)
{
  g_return_if_fail (SIGNPOST_IS_SLOT_CELL (self));

  signpost_slot_cell_unbind (self);
  self->day = g_object_ref (day);
  self->row = g_object_ref (row);
  self->clinician_id = g_strdup (clinician_id);
  self->booker = booker;
  self->changed_handler = g_signal_connect_swapped (row, "changed", G_CALLBACK (refresh), self);
  refresh (self);
}

void
signpost_slot_cell_unbind (SignpostSlotCell *self)
{
  g_return_if_fail (SIGNPOST_IS_SLOT_CELL (self));

  if (self->row != NULL)
    g_clear_signal_handler (&self->changed_handler, self->row);
  g_clear_object (&self->row);
  g_clear_object (&self->day);
  g_clear_object (&self->slot);
  g_clear_pointer (&self->clinician_id, g_free);
  self->booker = NULL;
}

SignpostSlot *
signpost_slot_cell_get_slot (SignpostSlotCell *self)
{
  g_return_val_if_fail (SIGNPOST_IS_SLOT_CELL (self), NULL);
  return self->slot;
}

const char *
signpost_slot_cell_get_text (SignpostSlotCell *self)
{
  g_return_val_if_fail (SIGNPOST_IS_SLOT_CELL (self), NULL);
  return self->text;
}
