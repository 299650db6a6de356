/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-online-hours-text.h"
#include "signpost-online-rules.h"
#include "signpost-online-settings-window.h"

#define N_DAYS 7

struct _SignpostOnlineSettingsWindow
{
  AdwWindow parent_instance;

  /* template */
  AdwWindowTitle *window_title;
  AdwComboRow *practice_row;
  GtkImage *state_icon;
  GtkLabel *state_label;
  GtkWidget *warnings_box;
  GtkLabel *warnings_label;
  GtkSwitch *paused_switch;
  AdwEntryRow *message_row;
  AdwEntryRow *day_rows[N_DAYS];
  GtkLabel *hours_error;
  GtkSwitch *bank_holidays_switch;
  AdwEntryRow *dates_row;
  GtkSpinButton *limit_spin;

  SignpostActions *actions;
  GPtrArray *practices;        /* SignpostPractice the manager may set */
  SignpostPractice *practice;  /* the one shown, as cached when shown */
  char *warnings;
  gboolean loading;
};

G_DEFINE_FINAL_TYPE (SignpostOnlineSettingsWindow, signpost_online_settings_window, ADW_TYPE_WINDOW)

static void
mark (GtkWidget *widget,
      gboolean   wrong)
{
  if (wrong)
    gtk_widget_add_css_class (widget, "error");
  else
    gtk_widget_remove_css_class (widget, "error");
}

/* ---- reading the widgets ------------------------------------------------------------- */

static SignpostPractice *
build (SignpostOnlineSettingsWindow  *self,
       GtkWidget                    **wrong,
       GError                       **error)
{
  g_autoptr(SignpostPractice) settings = NULL;
  g_autoptr(GListStore) hours = g_list_store_new (SIGNPOST_TYPE_OPENING_HOURS);
  g_auto(GStrv) dates = NULL;
  g_autofree char *message = NULL;

  *wrong = NULL;
  if (self->practice == NULL)
    {
      g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                           _("This practice is not on this PC yet."));
      return NULL;
    }
  settings = signpost_object_copy (SIGNPOST_OBJECT (self->practice));
  for (guint day = 0; day < N_DAYS; day++)
    {
      g_autoptr(GError) local_error = NULL;

      if (!signpost_online_hours_text_parse (gtk_editable_get_text (GTK_EDITABLE (self->day_rows[day])), day,
                                             hours, &local_error))
        {
          *wrong = GTK_WIDGET (self->day_rows[day]);
          g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                       /* Translators: "Monday: “8 till 6” is not an opening time: …" */
                       _("%s: %s"), adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self->day_rows[day])),
                       local_error->message);
          return NULL;
        }
    }
  /* No hours at all would mean the default hours to the server. */
  if (g_list_model_get_n_items (G_LIST_MODEL (hours)) == 0)
    {
      *wrong = GTK_WIDGET (self->day_rows[0]);
      g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                           _("Give opening hours for at least one day. To close the form for now, pause it."));
      return NULL;
    }
  dates = signpost_online_dates_text_parse (gtk_editable_get_text (GTK_EDITABLE (self->dates_row)), error);
  if (dates == NULL)
    {
      *wrong = GTK_WIDGET (self->dates_row);
      return NULL;
    }
  message = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->message_row))));

  signpost_practice_set_online_hours (settings, G_LIST_MODEL (hours));
  signpost_practice_set_online_open_bank_holidays (settings, gtk_switch_get_active (self->bank_holidays_switch));
  signpost_practice_set_online_closed_dates (settings, (const char * const *) dates);
  signpost_practice_set_online_medical_daily_limit (settings, gtk_spin_button_get_value_as_int (self->limit_spin));
  signpost_practice_set_online_paused (settings, gtk_switch_get_active (self->paused_switch));
  signpost_practice_set_online_pause_message (settings, *message != '\0' ? message : NULL);
  if (!signpost_object_validate (SIGNPOST_OBJECT (settings), error))
    {
      *wrong = GTK_WIDGET (self->message_row);
      return NULL;
    }
  return g_steal_pointer (&settings);
}

/* ---- what the form does now, and what these settings would do ------------------------- */

static char *
when_text (SignpostPractice *practice,
           GDateTime        *instant)
{
  g_autoptr(GTimeZone) tz = signpost_online_practice_time_zone (practice);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (instant, tz);
  g_autoptr(GDateTime) now = g_date_time_new_now (tz);

  if (g_date_time_get_year (local) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    return g_date_time_format (local, "%H:%M");
  /* Translators: when the form opens or closes next, "Tue 17 Nov 08:00"; see strftime */
  return g_date_time_format (local, _("%a %d %b %H:%M"));
}

static void
update_state (SignpostOnlineSettingsWindow *self)
{
  g_auto(SignpostOnlineState) state = { 0 };
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *text = NULL;
  g_autofree char *when = NULL;

  if (self->practice == NULL)
    {
      gtk_label_set_text (self->state_label, "");
      return;
    }
  /* Today's count of medical requests is the server's: not shown here. */
  signpost_online_state_init (&state, self->practice, now, 0);
  if (state.status == SIGNPOST_ONLINE_OPEN)
    {
      /* Open round the clock has no closing worth naming. */
      if (state.closes_at != NULL && g_date_time_difference (state.closes_at, now) < 7 * G_TIME_SPAN_DAY)
        when = when_text (self->practice, state.closes_at);
      text = when ? g_strdup_printf (_("The form is open now, until %s."), when)
                  : g_strdup (_("The form is open now."));
      gtk_image_set_from_icon_name (self->state_icon, "object-select-symbolic");
    }
  else
    {
      when = state.opens_at ? when_text (self->practice, state.opens_at) : NULL;
      if (state.status == SIGNPOST_ONLINE_PAUSED)
        text = g_strdup (_("The form is paused now."));
      else
        text = when ? g_strdup_printf (_("The form is closed now; it opens %s."), when)
                    : g_strdup (_("The form is closed now."));
      gtk_image_set_from_icon_name (self->state_icon, "changes-prevent-symbolic");
    }
  gtk_label_set_text (self->state_label, text);
}

static void
update (SignpostOnlineSettingsWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SignpostPractice) settings = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  GtkWidget *wrong = NULL;

  if (self->loading)
    return;
  for (guint day = 0; day < N_DAYS; day++)
    mark (GTK_WIDGET (self->day_rows[day]), FALSE);
  mark (GTK_WIDGET (self->dates_row), FALSE);
  mark (GTK_WIDGET (self->message_row), FALSE);

  settings = build (self, &wrong, &error);
  gtk_widget_set_visible (GTK_WIDGET (self->hours_error), settings == NULL);
  gtk_label_set_text (self->hours_error, error ? error->message : "");
  if (wrong != NULL)
    mark (wrong, TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "online-settings.save", settings != NULL);
  if (settings == NULL)
    return;

  warnings = signpost_online_core_hours_warnings (settings);
  g_ptr_array_add (warnings, NULL);
  g_free (self->warnings);
  self->warnings = g_strjoinv ("\n", (char **) warnings->pdata);
  gtk_label_set_text (self->warnings_label, self->warnings);
  gtk_widget_set_visible (self->warnings_box, *self->warnings != '\0');
}

static void
on_changed (SignpostOnlineSettingsWindow *self)
{
  update (self);
}

/* ---- filling in ------------------------------------------------------------------------ */

static void
show_practice (SignpostOnlineSettingsWindow *self,
               SignpostPractice             *practice)
{
  g_autoptr(GPtrArray) hours = signpost_online_hours (practice);
  g_autoptr(GListStore) store = g_list_store_new (SIGNPOST_TYPE_OPENING_HOURS);
  g_autofree char *dates = signpost_online_dates_text (signpost_practice_get_online_closed_dates (practice));
  const char *message = signpost_practice_get_online_pause_message (practice);

  g_set_object (&self->practice, practice);
  adw_window_title_set_subtitle (self->window_title, signpost_practice_get_name (practice));
  for (guint i = 0; i < hours->len; i++)
    g_list_store_append (store, g_ptr_array_index (hours, i));

  self->loading = TRUE;
  for (guint day = 0; day < N_DAYS; day++)
    {
      g_autofree char *text = signpost_online_hours_text_for_day (G_LIST_MODEL (store), day);
      gtk_editable_set_text (GTK_EDITABLE (self->day_rows[day]), text);
    }
  gtk_switch_set_active (self->paused_switch, signpost_practice_get_online_paused (practice));
  gtk_editable_set_text (GTK_EDITABLE (self->message_row), message ? message : "");
  gtk_switch_set_active (self->bank_holidays_switch, signpost_practice_get_online_open_bank_holidays (practice));
  gtk_editable_set_text (GTK_EDITABLE (self->dates_row), dates);
  gtk_spin_button_set_value (self->limit_spin, (double) signpost_practice_get_online_medical_daily_limit (practice));
  self->loading = FALSE;
  update_state (self);
  update (self);
}

static void
on_practice_selected (SignpostOnlineSettingsWindow *self)
{
  guint row = adw_combo_row_get_selected (self->practice_row);

  if (!self->loading && row < self->practices->len)
    show_practice (self, g_ptr_array_index (self->practices, row));
}

/* ---- saving ---------------------------------------------------------------------------------- */

static char *
save_label (SignpostPractice *practice)
{
  /* Translators: what the problems list shows, "Changed the online form’s settings (Riverside Medical Practice)" */
  return g_strdup_printf (_("Changed the online form’s settings (%s)"), signpost_practice_get_name (practice));
}

gboolean
signpost_online_settings_window_save (SignpostOnlineSettingsWindow  *self,
                                      GError                       **error)
{
  g_autoptr(SignpostPractice) settings = NULL;
  g_autofree char *label = NULL;
  GtkWidget *wrong = NULL;

  g_return_val_if_fail (SIGNPOST_IS_ONLINE_SETTINGS_WINDOW (self), FALSE);

  settings = build (self, &wrong, error);
  if (settings == NULL)
    return FALSE;
  label = save_label (settings);
  return signpost_actions_save_online_settings (self->actions, settings, label, error);
}

static void
save_and_close (SignpostOnlineSettingsWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!signpost_online_settings_window_save (self, &error))
    {
      gtk_label_set_text (self->hours_error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->hours_error), TRUE);
      return;
    }
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_confirmed (AdwMessageDialog             *dialog,
              const char                   *response,
              SignpostOnlineSettingsWindow *self)
{
  if (g_strcmp0 (response, "save") == 0)
    save_and_close (self);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SignpostOnlineSettingsWindow *self = SIGNPOST_ONLINE_SETTINGS_WINDOW (widget);
  AdwMessageDialog *dialog;

  update (self);
  if (self->warnings == NULL || *self->warnings == '\0' ||
      !gtk_widget_get_visible (self->warnings_box))
    {
      save_and_close (self);
      return;
    }
  /* The contract wants the form open all through core hours: saying so
   * once more, before it takes effect for patients. */
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Close the Form Inside Core Hours?"),
                                                       self->warnings));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Go Back"), "save", _("_Save Anyway"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_confirmed), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- GObject ------------------------------------------------------------------------------------ */

static void
signpost_online_settings_window_dispose (GObject *object)
{
  SignpostOnlineSettingsWindow *self = SIGNPOST_ONLINE_SETTINGS_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SIGNPOST_TYPE_ONLINE_SETTINGS_WINDOW);
  g_clear_object (&self->actions);
  g_clear_object (&self->practice);
  g_clear_pointer (&self->practices, g_ptr_array_unref);
  g_clear_pointer (&self->warnings, g_free);

  G_OBJECT_CLASS (signpost_online_settings_window_parent_class)->dispose (object);
}

static void
signpost_online_settings_window_class_init (SignpostOnlineSettingsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const char *day_rows[N_DAYS] = {
    "monday_row", "tuesday_row", "wednesday_row", "thursday_row", "friday_row", "saturday_row", "sunday_row",
  };

  object_class->dispose = signpost_online_settings_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/signpost/Signpost/signpost-online-settings-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SignpostOnlineSettingsWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, SignpostOnlineSettingsWindow, practice_row);
  gtk_widget_class_bind_template_child (widget_class, SignpostOnlineSettingsWindow, state_icon);
  gtk_widget_class_bind_template_child (widget_class, SignpostOnlineSettingsWindow, state_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostOnlineSettingsWindow, warnings_box);
  gtk_widget_class_bind_template_child (widget_class, SignpostOnlineSettingsWindow, warnings_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostOnlineSettingsWindow, paused_switch);
  gtk_widget_class_bind_template_child (widget_class, SignpostOnlineSettingsWindow, message_row);
  gtk_widget_class_bind_template_child (widget_class, SignpostOnlineSettingsWindow, hours_error);
  gtk_widget_class_bind_template_child (widget_class, SignpostOnlineSettingsWindow, bank_holidays_switch);
  gtk_widget_class_bind_template_child (widget_class, SignpostOnlineSettingsWindow, dates_row);
  gtk_widget_class_bind_template_child (widget_class, SignpostOnlineSettingsWindow, limit_spin);
  for (guint day = 0; day < N_DAYS; day++)
    gtk_widget_class_bind_template_child_full (widget_class, day_rows[day], FALSE,
                                               G_STRUCT_OFFSET (SignpostOnlineSettingsWindow, day_rows) +
                                               day * sizeof (AdwEntryRow *));
  gtk_widget_class_bind_template_callback (widget_class, on_changed);

  gtk_widget_class_install_action (widget_class, "online-settings.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "online-settings.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
signpost_online_settings_window_init (SignpostOnlineSettingsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->practices = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect_object (self->practice_row, "notify::selected", G_CALLBACK (on_practice_selected), self,
                           G_CONNECT_SWAPPED);
}

SignpostOnlineSettingsWindow *
signpost_online_settings_window_new (GtkWindow       *parent,
                                     SignpostActions *actions,
                                     const char      *practice_id)
{
  SignpostOnlineSettingsWindow *self;
  GListModel *practices;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint chosen = 0;

  g_return_val_if_fail (SIGNPOST_IS_ACTIONS (actions), NULL);

  self = g_object_new (SIGNPOST_TYPE_ONLINE_SETTINGS_WINDOW, "transient-for", parent, NULL);
  self->actions = g_object_ref (actions);
  practices = signpost_actions_get_practices (actions);
  for (guint i = 0; practices != NULL && i < g_list_model_get_n_items (practices); i++)
    {
      g_autoptr(SignpostPractice) listed = g_list_model_get_item (practices, i);
      const char *id = signpost_record_get_id (SIGNPOST_RECORD (listed));
      /* The cache's copy: the one the last change of it came in. */
      SignpostPractice *cached = signpost_actions_get_cache (actions)
                                 ? signpost_cache_get_record (signpost_actions_get_cache (actions),
                                                              SIGNPOST_RECORD_PRACTICE, id, NULL)
                                 : NULL;

      if (g_strcmp0 (id, practice_id) == 0)
        chosen = self->practices->len;
      g_ptr_array_add (self->practices, cached ? cached : g_object_ref (listed));
      gtk_string_list_append (names, signpost_practice_get_name (listed));
    }
  self->loading = TRUE;
  adw_combo_row_set_model (self->practice_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->practice_row, chosen);
  self->loading = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->practice_row), self->practices->len > 1);
  if (self->practices->len > 0)
    show_practice (self, g_ptr_array_index (self->practices, chosen));
  else
    update (self);
  return self;
}

SignpostPractice *
signpost_online_settings_window_build (SignpostOnlineSettingsWindow  *self,
                                       GError                       **error)
{
  GtkWidget *wrong = NULL;

  g_return_val_if_fail (SIGNPOST_IS_ONLINE_SETTINGS_WINDOW (self), NULL);
  return build (self, &wrong, error);
}

const char *
signpost_online_settings_window_get_warnings (SignpostOnlineSettingsWindow *self)
{
  g_return_val_if_fail (SIGNPOST_IS_ONLINE_SETTINGS_WINDOW (self), NULL);
  return gtk_widget_get_visible (self->warnings_box) && self->warnings ? self->warnings : "";
}
