/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include "signpost-accessible.h"
#include "signpost-diary-format.h"
#include "signpost-session-dialog.h"

enum {
  CREATED,
  N_SIGNALS
};

#define N_MODES (SIGNPOST_SLOT_MODE_HOME_VISIT + 1)
#define MAX_SLOTS 200

struct _SignpostSessionDialog
{
  AdwWindow parent_instance;

  /* template */
  AdwComboRow *clinician_row;
  GtkMenuButton *date_button;
  GtkPopover *date_popover;
  GtkCalendar *calendar;
  AdwEntryRow *start_row;
  AdwEntryRow *end_row;
  GtkSpinButton *length_spin;
  AdwComboRow *mode_row;
  AdwComboRow *release_row;
  AdwActionRow *days_before_row;
  GtkSpinButton *days_before_spin;
  GtkSwitch *hub_switch;
  GtkLabel *summary_label;
  GtkLabel *error_label;

  SignpostActions    *actions;
  GPtrArray *clinicians; /* SignpostClinician, in the combo's order */
  char *date;
  char *summary;
};

G_DEFINE_FINAL_TYPE (SignpostSessionDialog, signpost_session_dialog, ADW_TYPE_WINDOW)

static guint signals[N_SIGNALS];

static gboolean
parse_time (const char *text,
            int        *minutes)
{
  g_auto(GStrv) parts = NULL;
  char *end;
  long hours, mins;

  if (text == NULL)
    return FALSE;
  parts = g_strsplit (g_strstrip (g_strdup (text)), ":", 2);
  if (g_strv_length (parts) != 2 || *parts[0] == '\0' || *parts[1] == '\0')
    {
      g_strfreev (g_steal_pointer (&parts));
      /* "0830" */
      if (strlen (text) == 4 && g_ascii_isdigit (text[0]) && g_ascii_isdigit (text[1]) &&
          g_ascii_isdigit (text[2]) && g_ascii_isdigit (text[3]))
        {
          *minutes = ((text[0] - '0') * 10 + (text[1] - '0')) * 60 + (text[2] - '0') * 10 + (text[3] - '0');
          return (text[2] - '0') < 6 && *minutes < 24 * 60;
        }
      return FALSE;
    }
  hours = strtol (parts[0], &end, 10);
  if (*end != '\0' || hours < 0 || hours > 23)
    return FALSE;
  mins = strtol (parts[1], &end, 10);
  if (*end != '\0' || mins < 0 || mins > 59 || strlen (parts[1]) != 2)
    return FALSE;
  *minutes = (int) (hours * 60 + mins);
  return TRUE;
}

static SignpostClinician *
selected_clinician (SignpostSessionDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->clinician_row);

  if (selected == GTK_INVALID_LIST_POSITION || selected >= self->clinicians->len)
    return NULL;
  return g_ptr_array_index (self->clinicians, selected);
}

/* The session as instants: [first, end) and the time zone; NULL and a
 * reason when the template does not make sense. */
static GPtrArray *
plan (SignpostSessionDialog  *self,
      GError                **error)
{
  SignpostClinician *clinician = selected_clinician (self);
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autoptr(GPtrArray) starts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_date_time_unref);
  int from, to, length = gtk_spin_button_get_value_as_int (self->length_spin);
  GDate day;

  if (clinician == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Choose the clinician."));
      return NULL;
    }
  if (self->date == NULL || !signpost_date_parse (self->date, &day, NULL))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Choose the day."));
      return NULL;
    }
  if (!parse_time (gtk_editable_get_text (GTK_EDITABLE (self->start_row)), &from))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("The start is not a time like 08:30."));
      return NULL;
    }
  if (!parse_time (gtk_editable_get_text (GTK_EDITABLE (self->end_row)), &to))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("The end is not a time like 12:00."));
      return NULL;
    }
  tz = signpost_practice_time_zone (signpost_actions_get_cache (self->actions),
                                    signpost_record_get_practice_id (SIGNPOST_RECORD (clinician)));
  start = signpost_local_time_to_utc (&day, from / 60, from % 60, tz);
  end = signpost_local_time_to_utc (&day, to / 60, to % 60, tz);
  if (start == NULL || end == NULL || g_date_time_compare (end, start) <= 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("The session must end after it starts."));
      return NULL;
    }
  /* Slots follow each other in real time, so a session across a clock
   * change has the slots it really has time for. */
  for (g_autoptr(GDateTime) at = g_date_time_ref (start);;)
    {
      g_autoptr(GDateTime) next = g_date_time_add_minutes (at, length);

      if (g_date_time_compare (next, end) > 0)
        break;
      g_ptr_array_add (starts, g_date_time_ref (at));
      g_date_time_unref (at);
      at = g_steal_pointer (&next);
      if (starts->len > MAX_SLOTS)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("That would make more than %d slots: check the times."), MAX_SLOTS);
          return NULL;
        }
    }
  if (starts->len == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The session is shorter than one slot."));
      return NULL;
    }
  return g_steal_pointer (&starts);
}

static void
update_summary (SignpostSessionDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) starts = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->days_before_row),
                          adw_combo_row_get_selected (self->release_row) == SIGNPOST_SESSION_RELEASE_DAYS_BEFORE);
  g_clear_pointer (&self->summary, g_free);
  if (self->actions == NULL)
    return;
  starts = plan (self, &error);
  if (starts == NULL)
    self->summary = g_strdup (error->message);
  else
    {
      SignpostClinician *clinician = selected_clinician (self);
      g_autoptr(GTimeZone) tz = signpost_practice_time_zone (signpost_actions_get_cache (self->actions),
                                                             signpost_record_get_practice_id (SIGNPOST_RECORD (clinician)));
      g_autoptr(GDateTime) last_end = g_date_time_add_minutes (g_ptr_array_index (starts, starts->len - 1),
                                                               gtk_spin_button_get_value_as_int (self->length_spin));
      g_autofree char *first = signpost_format_local (g_ptr_array_index (starts, 0), tz, "%H:%M");
      g_autofree char *last = signpost_format_local (last_end, tz, "%H:%M");

      /* Translators: "Makes 21 slots of 10 minutes, 08:30 to 12:00." */
      self->summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Makes %u slot of %d minutes, %s to %s.",
                                                    "Makes %u slots of %d minutes, %s to %s.", starts->len),
                                       starts->len, gtk_spin_button_get_value_as_int (self->length_spin), first, last);
    }
  gtk_label_set_text (self->summary_label, self->summary);
}

static void
update_date_button (SignpostSessionDialog *self)
{
  GDate day;
  char buffer[64];

  if (self->date == NULL || !signpost_date_parse (self->date, &day, NULL))
    return;
  g_date_strftime (buffer, sizeof buffer, "%a %-d %b %Y", &day);
  gtk_menu_button_set_label (self->date_button, buffer);
}

static void
on_day_selected (SignpostSessionDialog *self)
{
  g_autoptr(GDateTime) chosen = gtk_calendar_get_date (self->calendar);

  g_free (self->date);
  self->date = g_strdup_printf ("%04d-%02d-%02d", g_date_time_get_year (chosen),
                                g_date_time_get_month (chosen), g_date_time_get_day_of_month (chosen));
  update_date_button (self);
  gtk_popover_popdown (self->date_popover);
  update_summary (self);
}

static void
on_create_clicked (SignpostSessionDialog *self)
{
  g_autoptr(GError) error = NULL;

  if (signpost_session_dialog_create (self, &error) == 0)
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
    }
}

static void
signpost_session_dialog_dispose (GObject *object)
{
  SignpostSessionDialog *self = SIGNPOST_SESSION_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SIGNPOST_TYPE_SESSION_DIALOG);
  g_clear_object (&self->actions);
  g_clear_pointer (&self->clinicians, g_ptr_array_unref);

  G_OBJECT_CLASS (signpost_session_dialog_parent_class)->dispose (object);
}

static void
signpost_session_dialog_finalize (GObject *object)
{
  SignpostSessionDialog *self = SIGNPOST_SESSION_DIALOG (object);

  g_clear_pointer (&self->date, g_free);
  g_clear_pointer (&self->summary, g_free);

  G_OBJECT_CLASS (signpost_session_dialog_parent_class)->finalize (object);
}

static void
signpost_session_dialog_class_init (SignpostSessionDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  signpost_accessible_init ();
  object_class->dispose = signpost_session_dialog_dispose;
  object_class->finalize = signpost_session_dialog_finalize;

  signals[CREATED] =
    g_signal_new ("created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/signpost/Signpost/signpost-session-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SignpostSessionDialog, clinician_row);
  gtk_widget_class_bind_template_child (widget_class, SignpostSessionDialog, date_button);
  gtk_widget_class_bind_template_child (widget_class, SignpostSessionDialog, date_popover);
  gtk_widget_class_bind_template_child (widget_class, SignpostSessionDialog, calendar);
  gtk_widget_class_bind_template_child (widget_class, SignpostSessionDialog, start_row);
  gtk_widget_class_bind_template_child (widget_class, SignpostSessionDialog, end_row);
  gtk_widget_class_bind_template_child (widget_class, SignpostSessionDialog, length_spin);
  gtk_widget_class_bind_template_child (widget_class, SignpostSessionDialog, mode_row);
  gtk_widget_class_bind_template_child (widget_class, SignpostSessionDialog, release_row);
  gtk_widget_class_bind_template_child (widget_class, SignpostSessionDialog, days_before_row);
  gtk_widget_class_bind_template_child (widget_class, SignpostSessionDialog, days_before_spin);
  gtk_widget_class_bind_template_child (widget_class, SignpostSessionDialog, hub_switch);
  gtk_widget_class_bind_template_child (widget_class, SignpostSessionDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostSessionDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_create_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_day_selected);
  gtk_widget_class_bind_template_callback (widget_class, update_summary);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
signpost_session_dialog_init (SignpostSessionDialog *self)
{
  g_autoptr(GtkStringList) modes = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) releases = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->clinicians = g_ptr_array_new_with_free_func (g_object_unref);
  for (int i = 0; i < N_MODES; i++)
    gtk_string_list_append (modes, signpost_slot_mode_label (i));
  adw_combo_row_set_model (self->mode_row, G_LIST_MODEL (modes));
  gtk_string_list_append (releases, _("Straight away"));
  gtk_string_list_append (releases, _("At 08:00 on the day (embargoed)"));
  gtk_string_list_append (releases, _("At 08:00, some days before"));
  adw_combo_row_set_model (self->release_row, G_LIST_MODEL (releases));
  g_signal_connect_swapped (self->clinician_row, "notify::selected", G_CALLBACK (update_summary), self);
  g_signal_connect_swapped (self->release_row, "notify::selected", G_CALLBACK (update_summary), self);
}

SignpostSessionDialog *
signpost_session_dialog_new (GtkWindow          *parent,
                             SignpostActions    *actions,
                             const char         *practice_id,
                             const char         *date)
{
  SignpostSessionDialog *self;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  SignpostUser *user;
  GDate day;

  g_return_val_if_fail (SIGNPOST_IS_ACTIONS (actions), NULL);

  self = g_object_new (SIGNPOST_TYPE_SESSION_DIALOG, "transient-for", parent, NULL);
  self->actions = g_object_ref (actions);
  user = signpost_actions_get_user (actions);
  all = signpost_cache_list_records (signpost_actions_get_cache (actions), SIGNPOST_RECORD_CLINICIAN, &error);
  if (all == NULL)
    {
      g_warning ("Could not read the clinicians: %s", error->message);
      all = g_ptr_array_new_with_free_func (g_object_unref);
    }
  for (guint i = 0; i < all->len; i++)
    {
      SignpostClinician *clinician = g_ptr_array_index (all, i);
      g_autofree char *name = NULL;
      g_autofree char *label = NULL;

      if (practice_id != NULL &&
          g_strcmp0 (signpost_record_get_practice_id (SIGNPOST_RECORD (clinician)), practice_id) != 0)
        continue;
      name = signpost_clinician_format_name (clinician);
      label = g_strdup_printf (_("%s (%s)"), name, signpost_profession_label (signpost_clinician_get_profession (clinician)));
      gtk_string_list_append (names, label);
      g_ptr_array_add (self->clinicians, g_object_ref (clinician));
    }
  adw_combo_row_set_model (self->clinician_row, G_LIST_MODEL (names));
  /* A clinician makes sessions for themselves, most of the time. */
  for (guint i = 0; user != NULL && i < self->clinicians->len; i++)
    if (g_strcmp0 (signpost_record_get_id (g_ptr_array_index (self->clinicians, i)),
                   signpost_user_get_clinician_id (user)) == 0)
      adw_combo_row_set_selected (self->clinician_row, i);

  self->date = g_strdup (date);
  if (date != NULL && signpost_date_parse (date, &day, NULL))
    {
      g_autoptr(GDateTime) noon = g_date_time_new_utc (g_date_get_year (&day), g_date_get_month (&day),
                                                       g_date_get_day (&day), 12, 0, 0);
      gtk_calendar_select_day (self->calendar, noon);
    }
  g_free (self->date);
  self->date = g_strdup (date);
  update_date_button (self);
  update_summary (self);
  return self;
}

void
signpost_session_dialog_set_template (SignpostSessionDialog  *self,
                                      const char             *clinician_id,
                                      const char             *date,
                                      const char             *start,
                                      const char             *end,
                                      int                     slot_minutes,
                                      SignpostSlotMode        mode,
                                      SignpostSessionRelease  release,
                                      int                     days_before,
                                      gboolean                hub_bookable)
{
  g_return_if_fail (SIGNPOST_IS_SESSION_DIALOG (self));

  for (guint i = 0; i < self->clinicians->len; i++)
    if (g_strcmp0 (signpost_record_get_id (g_ptr_array_index (self->clinicians, i)), clinician_id) == 0)
      adw_combo_row_set_selected (self->clinician_row, i);
  g_free (self->date);
  self->date = g_strdup (date);
  update_date_button (self);
  gtk_editable_set_text (GTK_EDITABLE (self->start_row), start);
  gtk_editable_set_text (GTK_EDITABLE (self->end_row), end);
  gtk_spin_button_set_value (self->length_spin, slot_minutes);
  adw_combo_row_set_selected (self->mode_row, mode);
  adw_combo_row_set_selected (self->release_row, release);
  gtk_spin_button_set_value (self->days_before_spin, days_before);
  gtk_switch_set_active (self->hub_switch, hub_bookable);
  update_summary (self);
}

const char *
signpost_session_dialog_get_summary (SignpostSessionDialog *self)
{
  g_return_val_if_fail (SIGNPOST_IS_SESSION_DIALOG (self), NULL);
  return self->summary;
}

guint
signpost_session_dialog_create (SignpostSessionDialog  *self,
                                GError                **error)
{
  SignpostClinician *clinician;
  g_autoptr(GPtrArray) starts = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) release = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;
  SignpostSessionRelease rule;
  int length;
  GDate day;

  g_return_val_if_fail (SIGNPOST_IS_SESSION_DIALOG (self), 0);

  starts = plan (self, error);
  if (starts == NULL)
    return 0;
  clinician = selected_clinician (self);
  tz = signpost_practice_time_zone (signpost_actions_get_cache (self->actions),
                                    signpost_record_get_practice_id (SIGNPOST_RECORD (clinician)));
  length = gtk_spin_button_get_value_as_int (self->length_spin);
  rule = adw_combo_row_get_selected (self->release_row);
  signpost_date_parse (self->date, &day, NULL);
  if (rule == SIGNPOST_SESSION_RELEASE_DAYS_BEFORE)
    g_date_subtract_days (&day, gtk_spin_button_get_value_as_int (self->days_before_spin));
  if (rule != SIGNPOST_SESSION_RELEASE_NOW)
    release = signpost_local_time_to_utc (&day, 8, 0, tz);
  name = signpost_clinician_format_name (clinician);

  for (guint i = 0; i < starts->len; i++)
    {
      g_autoptr(SignpostSlot) slot = signpost_slot_new ();
      g_autofree char *id = g_uuid_string_random ();
      g_autofree char *when = NULL;
      g_autofree char *label = NULL;

      signpost_record_set_id (SIGNPOST_RECORD (slot), id);
      signpost_record_set_practice_id (SIGNPOST_RECORD (slot), signpost_record_get_practice_id (SIGNPOST_RECORD (clinician)));
      signpost_slot_set_clinician_id (slot, signpost_record_get_id (SIGNPOST_RECORD (clinician)));
      signpost_slot_set_start (slot, g_ptr_array_index (starts, i));
      signpost_slot_set_duration_minutes (slot, length);
      signpost_slot_set_mode (slot, adw_combo_row_get_selected (self->mode_row));
      signpost_slot_set_release_at (slot, release);
      signpost_slot_set_hub_bookable (slot, gtk_switch_get_active (self->hub_switch));
      signpost_slot_set_status (slot, SIGNPOST_SLOT_FREE);
      when = signpost_slot_format_when (slot, tz);
      /* Translators: a change in the outbox: "New slot: Dr Asha Patel, Mon 23 Nov, 09:10" */
      label = g_strdup_printf (_("New slot: %s, %s"), name, when);
      if (!signpost_actions_add_slot (self->actions, slot, label, error))
        return i;
    }
  /* Translators: after making a session: "21 slots made for Dr Asha Patel" */
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u slot made for %s", "%u slots made for %s", starts->len),
                             starts->len, name);
  g_signal_emit (self, signals[CREATED], 0, message);
  gtk_window_close (GTK_WINDOW (self));
  return starts->len;
}
