/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-accessible.h"
#include "signpost-booking-conflict-dialog.h"
#include "signpost-diary-format.h"
#include "signpost-patient-format.h"

enum {
  RESOLVED,
  CHOOSE_IN_DIARY,
  N_SIGNALS
};

struct _SignpostBookingConflictDialog
{
  AdwWindow parent_instance;

  /* template */
  GtkLabel *heading_label;
  GtkLabel *body_label;
  GtkLabel *alternatives_heading;
  GtkListBox *alternatives_list;
  GtkLabel *none_label;

  SignpostActions    *actions;
  SignpostOutboxItem *item;
  SignpostSlot *slot;
  GListStore *alternatives;
  char *patient_name;
  char *message;
};

G_DEFINE_FINAL_TYPE (SignpostBookingConflictDialog, signpost_booking_conflict_dialog, ADW_TYPE_WINDOW)

static guint signals[N_SIGNALS];

static SignpostCache *
get_cache (SignpostBookingConflictDialog *self)
{
  return signpost_actions_get_cache (self->actions);
}


static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  SignpostBookingConflictDialog *self = user_data;
  SignpostSlot *slot = item;
  g_autoptr(SignpostClinician) clinician = signpost_cache_get_record (get_cache (self), SIGNPOST_RECORD_CLINICIAN,
                                                                      signpost_slot_get_clinician_id (slot), NULL);
  g_autoptr(GTimeZone) tz = signpost_practice_time_zone (get_cache (self),
                                                         signpost_record_get_practice_id (SIGNPOST_RECORD (slot)));
  g_autofree char *when = signpost_slot_format_when (slot, tz);
  g_autofree char *name = signpost_clinician_format_name (clinician);
  g_autofree char *subtitle = NULL;
  g_autofree char *description = signpost_slot_describe (slot, clinician, tz);
  g_autofree char *accessible = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *book = gtk_label_new (_("Book this"));

  /* Translators: an alternative slot: "Dr Asha Patel (GP) · Face to face" */
  subtitle = g_strdup_printf (_("%s (%s) · %s"), name,
                              clinician ? signpost_profession_label (signpost_clinician_get_profession (clinician)) : "",
                              signpost_slot_mode_label (signpost_slot_get_mode (slot)));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), when);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_add_css_class (book, "accent");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), book);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  /* Translators: read out for an alternative slot: "Book Mon 23 Nov, 09:20, Dr Asha Patel (GP), face to face" */
  accessible = g_strdup_printf (_("Book %s"), description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  return row;
}

static void
load_alternatives (SignpostBookingConflictDialog *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GPtrArray) nearest = NULL;
  g_autoptr(GError) error = NULL;
  SignpostSlotBooker booker;

  signpost_actions_init_booker (self->actions, &booker, now);
  nearest = signpost_cache_find_nearest_slots (get_cache (self), self->slot, &booker, 5, &error);
  if (nearest == NULL)
    {
      g_warning ("Could not look for alternatives: %s", error->message);
      nearest = g_ptr_array_new_with_free_func (g_object_unref);
    }
  g_list_store_splice (self->alternatives, 0, g_list_model_get_n_items (G_LIST_MODEL (self->alternatives)),
                       nearest->pdata, nearest->len);
  gtk_widget_set_visible (GTK_WIDGET (self->alternatives_list), nearest->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->alternatives_heading), nearest->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->none_label), nearest->len == 0);
  /* Return books the nearest free slot, the first offered; without this
   * the first Tab stop, "Decide Later", took Return and nothing was booked. */
  if (nearest->len > 0)
    gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (gtk_list_box_get_row_at_index (self->alternatives_list, 0)));
}

static void
finish (SignpostBookingConflictDialog *self,
        const char                    *message)
{
  g_free (self->message);
  self->message = g_strdup (message);
  g_signal_emit (self, signals[RESOLVED], 0, message);
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_row_activated (SignpostBookingConflictDialog *self,
                  GtkListBoxRow                 *row)
{
  signpost_booking_conflict_dialog_rebook (self, gtk_list_box_row_get_index (row));
}

static void
on_give_up_clicked (SignpostBookingConflictDialog *self)
{
  signpost_booking_conflict_dialog_give_up (self);
}

static void
on_choose_clicked (SignpostBookingConflictDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  g_signal_emit (self, signals[CHOOSE_IN_DIARY], 0, self->item);
  if (!signpost_actions_discard_change (self->actions, signpost_outbox_item_get_mutation_id (self->item), &error))
    {
      gtk_label_set_text (self->body_label, error->message);
      return;
    }
  /* Translators: after a taken slot, the user chose to pick another in the diary */
  message = g_strdup_printf (_("Choose another slot for %s"), self->patient_name);
  finish (self, message);
}

static void
signpost_booking_conflict_dialog_dispose (GObject *object)
{
  SignpostBookingConflictDialog *self = SIGNPOST_BOOKING_CONFLICT_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SIGNPOST_TYPE_BOOKING_CONFLICT_DIALOG);
  g_clear_object (&self->actions);
  g_clear_object (&self->item);
  g_clear_object (&self->slot);
  g_clear_object (&self->alternatives);

  G_OBJECT_CLASS (signpost_booking_conflict_dialog_parent_class)->dispose (object);
}

static void
signpost_booking_conflict_dialog_finalize (GObject *object)
{
  SignpostBookingConflictDialog *self = SIGNPOST_BOOKING_CONFLICT_DIALOG (object);

  g_clear_pointer (&self->patient_name, g_free);
  g_clear_pointer (&self->message, g_free);

  G_OBJECT_CLASS (signpost_booking_conflict_dialog_parent_class)->finalize (object);
}

static void
signpost_booking_conflict_dialog_class_init (SignpostBookingConflictDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  signpost_accessible_init ();
  object_class->dispose = signpost_booking_conflict_dialog_dispose;
  object_class->finalize = signpost_booking_conflict_dialog_finalize;

  signals[RESOLVED] =
    g_signal_new ("resolved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[CHOOSE_IN_DIARY] =
    g_signal_new ("choose-in-diary", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, SIGNPOST_TYPE_OUTBOX_ITEM);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/signpost/Signpost/signpost-booking-conflict-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SignpostBookingConflictDialog, heading_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostBookingConflictDialog, body_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostBookingConflictDialog, alternatives_heading);
  gtk_widget_class_bind_template_child (widget_class, SignpostBookingConflictDialog, alternatives_list);
  gtk_widget_class_bind_template_child (widget_class, SignpostBookingConflictDialog, none_label);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_give_up_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_clicked);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
signpost_booking_conflict_dialog_init (SignpostBookingConflictDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->alternatives = g_list_store_new (SIGNPOST_TYPE_SLOT);
  gtk_list_box_bind_model (self->alternatives_list, G_LIST_MODEL (self->alternatives), create_row, self, NULL);
}

SignpostBookingConflictDialog *
signpost_booking_conflict_dialog_new (GtkWindow          *parent,
                                      SignpostActions    *actions,
                                      SignpostOutboxItem *item)
{
  SignpostBookingConflictDialog *self;
  SignpostRecord *current;
  g_autoptr(SignpostPatient) patient = NULL;
  g_autoptr(SignpostClinician) clinician = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  g_autofree char *when = NULL;
  g_autofree char *with = NULL;
  g_autofree char *body = NULL;
  g_autoptr(SignpostBooking) booking = NULL;

  g_return_val_if_fail (SIGNPOST_IS_ACTIONS (actions), NULL);
  g_return_val_if_fail (SIGNPOST_IS_OUTBOX_ITEM (item), NULL);

  self = g_object_new (SIGNPOST_TYPE_BOOKING_CONFLICT_DIALOG, "transient-for", parent, NULL);
  self->actions = g_object_ref (actions);
  self->item = g_object_ref (item);
  booking = signpost_outbox_item_dup_booking (item);

  current = signpost_outbox_item_get_current (item);
  if (current != NULL && SIGNPOST_IS_SLOT (current))
    self->slot = g_object_ref (SIGNPOST_SLOT (current));
  else
    self->slot = signpost_cache_get_record (get_cache (self), SIGNPOST_RECORD_SLOT,
                                            signpost_outbox_item_get_record_id (item), NULL);

  patient = booking ? signpost_cache_get_record (get_cache (self), SIGNPOST_RECORD_PATIENT, booking->patient_id, NULL) : NULL;
  self->patient_name = patient ? signpost_patient_format_name (patient) : g_strdup (_("the patient"));

  if (self->slot == NULL)
    {
      gtk_label_set_text (self->heading_label, _("This booking was not made"));
      body = g_strdup_printf (_("“%s” could not be saved on the server, and the slot is no longer in the diary."),
                              signpost_outbox_item_get_label (item));
      gtk_label_set_text (self->body_label, body);
      gtk_widget_set_visible (GTK_WIDGET (self->alternatives_list), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->alternatives_heading), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->none_label), TRUE);
      return self;
    }

  clinician = signpost_cache_get_record (get_cache (self), SIGNPOST_RECORD_CLINICIAN,
                                         signpost_slot_get_clinician_id (self->slot), NULL);
  tz = signpost_practice_time_zone (get_cache (self), signpost_record_get_practice_id (SIGNPOST_RECORD (self->slot)));
  when = signpost_slot_format_when (self->slot, tz);
  with = signpost_clinician_format_name (clinician);

  if (signpost_outbox_item_get_state (item) == SIGNPOST_OUTBOX_CONFLICT &&
      signpost_slot_get_status (self->slot) == SIGNPOST_SLOT_BLOCKED)
    {
      gtk_label_set_text (self->heading_label, _("This slot was blocked"));
      /* Translators: "Dr Asha Patel, Mon 23 Nov, 09:10 was blocked before your booking for SMITH, Ann reached the server. Nothing is booked for SMITH, Ann yet." */
      body = g_strdup_printf (_("%s, %s was blocked before your booking for %s reached the server. "
                                "Nothing is booked for %s yet."),
                              with, when, self->patient_name, self->patient_name);
    }
  else if (signpost_outbox_item_get_state (item) == SIGNPOST_OUTBOX_CONFLICT)
    {
      gtk_label_set_text (self->heading_label, _("Someone else booked this slot first"));
      /* Translators: "Dr Asha Patel, Mon 23 Nov, 09:10 was booked by someone else before your booking for SMITH, Ann reached the server. Nothing is booked for SMITH, Ann yet." */
      body = g_strdup_printf (_("%s, %s was booked by someone else before your booking for %s reached the server. "
                                "Nothing is booked for %s yet."),
                              with, when, self->patient_name, self->patient_name);
    }
  else
    {
      const char *detail = signpost_outbox_item_get_problem_detail (item);
      gtk_label_set_text (self->heading_label, _("The server refused this booking"));
      /* Translators: "Booking SMITH, Ann with Dr Asha Patel, Mon 23 Nov, 09:10 was refused: the slot is embargoed until 08:00. Nothing is booked for SMITH, Ann yet." */
      body = g_strdup_printf (_("Booking %s with %s, %s was refused: %s. Nothing is booked for %s yet."),
                              self->patient_name, with, when,
                              detail ? detail : signpost_outbox_item_get_problem_title (item),
                              self->patient_name);
    }
  gtk_label_set_text (self->body_label, body);
  load_alternatives (self);
  return self;
}

const char *
signpost_booking_conflict_dialog_get_mutation_id (SignpostBookingConflictDialog *self)
{
  g_return_val_if_fail (SIGNPOST_IS_BOOKING_CONFLICT_DIALOG (self), NULL);
  return signpost_outbox_item_get_mutation_id (self->item);
}

const char *
signpost_booking_conflict_dialog_get_message (SignpostBookingConflictDialog *self)
{
  g_return_val_if_fail (SIGNPOST_IS_BOOKING_CONFLICT_DIALOG (self), NULL);
  return gtk_label_get_text (self->body_label);
}

GListModel *
signpost_booking_conflict_dialog_get_alternatives (SignpostBookingConflictDialog *self)
{
  g_return_val_if_fail (SIGNPOST_IS_BOOKING_CONFLICT_DIALOG (self), NULL);
  return G_LIST_MODEL (self->alternatives);
}

gboolean
signpost_booking_conflict_dialog_rebook (SignpostBookingConflictDialog *self,
                                         guint                          position)
{
  g_autoptr(SignpostSlot) choice = NULL;
  g_autoptr(SignpostSlot) current = NULL;
  g_autoptr(SignpostClinician) clinician = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(SignpostAppointment) live = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *when = NULL;
  g_autofree char *with = NULL;
  g_autofree char *label = NULL;
  g_autofree char *appointment_id = NULL;
  SignpostSlotBooker booker;

  g_return_val_if_fail (SIGNPOST_IS_BOOKING_CONFLICT_DIALOG (self), FALSE);

  choice = g_list_model_get_item (G_LIST_MODEL (self->alternatives), position);
  if (choice == NULL)
    return FALSE;
  /* Taken meanwhile as well? Then show what is free now. */
  current = signpost_cache_get_record (get_cache (self), SIGNPOST_RECORD_SLOT,
                                       signpost_record_get_id (SIGNPOST_RECORD (choice)), NULL);
  signpost_actions_init_booker (self->actions, &booker, now);
  live = current ? signpost_cache_get_live_appointment (get_cache (self), signpost_record_get_id (SIGNPOST_RECORD (current)),
                                                       &error)
                 : NULL;
  if (error != NULL)
    {
      gtk_label_set_text (self->body_label, error->message);
      return FALSE;
    }
  if (current == NULL || signpost_slot_check_bookable (current, live, &booker) != SIGNPOST_SLOT_BOOKABLE)
    {
      load_alternatives (self);
      gtk_label_set_text (self->body_label, _("That slot has just gone too. Here are the free ones now."));
      return FALSE;
    }

  clinician = signpost_cache_get_record (get_cache (self), SIGNPOST_RECORD_CLINICIAN,
                                         signpost_slot_get_clinician_id (choice), NULL);
  tz = signpost_practice_time_zone (get_cache (self), signpost_record_get_practice_id (SIGNPOST_RECORD (choice)));
  when = signpost_slot_format_when (choice, tz);
  with = signpost_clinician_format_name (clinician);
  label = g_strdup_printf (_("Booked %s with %s, %s"), self->patient_name, with, when);

  /* The refused booking goes, and the new one is saved in the same
   * moment: nothing is lost between the two. */
  appointment_id = signpost_actions_rebook (self->actions, signpost_outbox_item_get_mutation_id (self->item),
                                            signpost_record_get_id (SIGNPOST_RECORD (choice)), label, &error);
  if (appointment_id == NULL)
    {
      gtk_label_set_text (self->body_label, error->message);
      return FALSE;
    }
  finish (self, label);
  return TRUE;
}

gboolean
signpost_booking_conflict_dialog_give_up (SignpostBookingConflictDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  g_return_val_if_fail (SIGNPOST_IS_BOOKING_CONFLICT_DIALOG (self), FALSE);

  if (!signpost_actions_discard_change (self->actions, signpost_outbox_item_get_mutation_id (self->item), &error))
    {
      gtk_label_set_text (self->body_label, error->message);
      return FALSE;
    }
  /* Translators: the user gave up a booking that could not be made */
  message = g_strdup_printf (_("Not booked: %s"), signpost_outbox_item_get_label (self->item));
  finish (self, message);
  return TRUE;
}
