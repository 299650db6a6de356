/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-load-page-private.h"

/* The load page's exports: the day's figures as CSV, and the month's
 * cloud-based telephony figures for NHS England, saved where the manager
 * chooses. */

/* ---- saving --------------------------------------------------------------------------- */

static void
tell (SignpostLoadPage *self,
      const char       *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (message, -1);
      AdwToast *toast = adw_toast_new (escaped);

      adw_toast_set_timeout (toast, 5);
      adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
    }
  else
    g_message ("%s", message);
}

static void
file_written (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
write_bytes (GTask  *task,
             GFile  *file,
             GBytes *bytes)
{
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       g_task_get_cancellable (task), file_written, g_object_ref (task));
}

static void
day_for_csv_fetched (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignpostLoadPage *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(SignpostDayStats) day = NULL;
  g_autoptr(GBytes) bytes = NULL;
  SignpostPractice *practice;
  char *text;
  gsize length;

  day = signpost_actions_get_day_stats_finish (SIGNPOST_ACTIONS (source), result, &error);
  if (day == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  practice = signpost_load_page_find_practice (self, day->practice_id ? day->practice_id : self->practice_id, NULL);
  text = signpost_load_csv_for_day (day, practice ? signpost_practice_get_name (practice) : NULL, self->tz, &length);
  bytes = g_bytes_new_take (text, length);
  write_bytes (task, g_task_get_task_data (task), bytes);
}

/* The day's figures as they are on the server now (today's move on). */
void
signpost_load_page_save_day_csv_async (SignpostLoadPage    *self,
                                       GFile               *file,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SIGNPOST_IS_LOAD_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, signpost_load_page_save_day_csv_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  if (!signpost_load_page_is_allowed (self) || self->practice_id == NULL)
    {
      g_task_return_new_error (task, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_FORBIDDEN,
                               _("Only practice managers and administrators can export these figures."));
      return;
    }
  signpost_actions_get_day_stats_async (self->actions, self->practice_id, &self->date, cancellable,
                                        day_for_csv_fetched, g_steal_pointer (&task));
}

gboolean
signpost_load_page_save_day_csv_finish (SignpostLoadPage  *self,
                                        GAsyncResult      *result,
                                        GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
cbt_fetched (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = signpost_actions_export_telephony_finish (SIGNPOST_ACTIONS (source), result, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Exactly as the server wrote it. */
  write_bytes (task, g_task_get_task_data (task), bytes);
}

/* The month of the day shown, NHS England's nine cloud-based telephony
 * metrics as the server reports them. */
void
signpost_load_page_save_cbt_csv_async (SignpostLoadPage    *self,
                                       GFile               *file,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SIGNPOST_IS_LOAD_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, signpost_load_page_save_cbt_csv_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  if (!signpost_load_page_is_allowed (self) || self->practice_id == NULL)
    {
      g_task_return_new_error (task, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_FORBIDDEN,
                               _("Only practice managers and administrators can export these figures."));
      return;
    }
  signpost_actions_export_telephony_async (self->actions, self->practice_id, g_date_get_year (&self->date),
                                           g_date_get_month (&self->date), cancellable, cbt_fetched,
                                           g_steal_pointer (&task));
}

gboolean
signpost_load_page_save_cbt_csv_finish (SignpostLoadPage  *self,
                                        GAsyncResult      *result,
                                        GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
saved (GObject      *source,
       GAsyncResult *result,
       gpointer      user_data)
{
  SignpostLoadPage *self = SIGNPOST_LOAD_PAGE (source);
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *message = NULL;
  gboolean ok;

  if (g_task_get_source_tag (G_TASK (result)) == signpost_load_page_save_day_csv_async)
    ok = signpost_load_page_save_day_csv_finish (self, result, &error);
  else
    ok = signpost_load_page_save_cbt_csv_finish (self, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (ok)
    /* Translators: a toast after an export, "Saved signpost-calls-2026-11-16.csv" */
    message = g_strdup_printf (_("Saved %s"), name);
  else
    /* Translators: a toast when an export failed, "Could not save calls.csv: …" */
    message = g_strdup_printf (_("Could not save %s: %s"), name, error->message);
  tell (self, message);
}

static void
chooser_responded (GtkNativeDialog  *dialog,
                   int               response,
                   SignpostLoadPage *self)
{
  gboolean day = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "signpost-day"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (day)
        signpost_load_page_save_day_csv_async (self, file, self->cancellable, saved, g_object_ref (file));
      else
        signpost_load_page_save_cbt_csv_async (self, file, self->cancellable, saved, g_object_ref (file));
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

void
signpost_load_page_choose_file (SignpostLoadPage *self,
                                gboolean          day)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *date = signpost_load_page_date_text (&self->date);
  SignpostPractice *practice = signpost_load_page_find_practice (self, self->practice_id, NULL);
  const char *ods = practice ? signpost_practice_get_ods_code (practice) : NULL;
  g_autofree char *name = NULL;

  if (day)
    name = g_strdup_printf ("signpost-calls-%s%s%s.csv", ods ? ods : "", ods ? "-" : "", date);
  else
    name = g_strdup_printf ("nhs-telephony-%s%s%.7s.csv", ods ? ods : "", ods ? "-" : "", date);

  chooser = gtk_file_chooser_native_new (day ? _("Save the Day’s Calls") : _("Save the Month’s NHS Telephony Figures"),
                                         GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("CSV files (spreadsheets)"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_object_set_data (G_OBJECT (chooser), "signpost-day", GINT_TO_POINTER (day));
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_responded), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
