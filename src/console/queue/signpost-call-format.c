/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "signpost-call-format.h"
#include "signpost-patient-format.h"

gint64
signpost_call_seconds_since (GDateTime *at,
                             gint64     now_us)
{
  gint64 at_us;

  if (at == NULL)
    return 0;
  at_us = g_date_time_to_unix (at) * G_USEC_PER_SEC + g_date_time_get_microsecond (at);
  return MAX (now_us - at_us, 0) / G_USEC_PER_SEC;
}

/* "0:42", "12:05", "1:02:10": the way a wallboard shows it. */
char *
signpost_call_format_duration (gint64 seconds)
{
  seconds = MAX (seconds, 0);
  if (seconds >= 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d", seconds / 3600,
                            (int) (seconds / 60 % 60), (int) (seconds % 60));
  return g_strdup_printf ("%d:%02d", (int) (seconds / 60), (int) (seconds % 60));
}

/* For a screen reader: "12 minutes", "under a minute". */
char *
signpost_call_describe_duration (gint64 seconds)
{
  /* Read out again only when the minute changes: seconds would go stale
   * ("waiting 0 seconds" for a whole minute). */
  if (seconds < 60)
    return g_strdup (_("under a minute"));
  if (seconds < 3600)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute", "%d minutes", (gulong) (seconds / 60)),
                            (int) (seconds / 60));
  /* Translators: hours and minutes, "1 h 05 min" */
  return g_strdup_printf (_("%d h %02d min"), (int) (seconds / 3600), (int) (seconds / 60 % 60));
}

SignpostWaitLevel
signpost_call_wait_level (gint64 seconds)
{
  if (seconds >= 15 * 60)
    return SIGNPOST_WAIT_VERY_LONG;
  if (seconds >= 5 * 60)
    return SIGNPOST_WAIT_LONG;
  return SIGNPOST_WAIT_SHORT;
}

const char *
signpost_call_wait_level_css (SignpostWaitLevel level)
{
  switch (level)
    {
    case SIGNPOST_WAIT_VERY_LONG:
      return "wait-very-long";
    case SIGNPOST_WAIT_LONG:
      return "wait-long";
    case SIGNPOST_WAIT_SHORT:
    default:
      return "wait-short";
    }
}

gboolean
signpost_call_is_callback (SignpostCall *call)
{
  return signpost_call_get_callback_requested_at (call) != NULL;
}

const char *
signpost_call_get_number (SignpostCall *call)
{
  const char *number = signpost_call_get_callback_number (call);

  if (number != NULL && *number != '\0')
    return number;
  number = signpost_call_get_cli (call);
  return number != NULL && *number != '\0' ? number : NULL;
}

char *
signpost_call_format_number (SignpostCall *call)
{
  const char *number = signpost_call_get_number (call);

  return number ? signpost_phone_format (number) : g_strdup (_("Number withheld"));
}

char *
signpost_call_describe_caller (const char *number,
                               GPtrArray  *patients,
                               GDateTime  *now)
{
  GString *text;

  if (number == NULL)
    return g_strdup (_("Number withheld"));
  if (patients == NULL || patients->len == 0)
    return g_strdup (_("Unknown caller"));
  if (patients->len == 1)
    {
      SignpostPatient *patient = g_ptr_array_index (patients, 0);
      g_autofree char *name = signpost_patient_format_name (patient);
      g_autofree char *born = signpost_patient_format_born (patient, now);

      /* Translators: a caller: "SMITH, Olivia · 12-Mar-1980 (45y)" */
      return g_strdup_printf (_("%s · %s"), name, born);
    }

  /* A household line: who might be calling, first names enough when they
   * share a surname ("COOPER household: Emily, Paul, Imran"). */
  {
    const char *family = signpost_patient_get_family_name (g_ptr_array_index (patients, 0));
    gboolean same = TRUE;

    for (guint i = 1; i < patients->len; i++)
      same = same && g_strcmp0 (family, signpost_patient_get_family_name (g_ptr_array_index (patients, i))) == 0;

    text = g_string_new (NULL);
    if (same && family != NULL)
      {
        g_autofree char *upper = g_utf8_strup (family, -1);
        /* Translators: a shared landline, "COOPER household (4): Emily, Paul, …" */
        g_string_printf (text, _("%s household (%u): "), upper, patients->len);
      }
    else
      g_string_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u person shares this number: ",
                                          "%u people share this number: ", patients->len),
                       patients->len);
    for (guint i = 0; i < patients->len; i++)
      {
        SignpostPatient *patient = g_ptr_array_index (patients, i);
        const char *given = signpost_patient_get_given_name (patient);
        g_autofree char *name = same ? g_strdup (given && *given ? given : family)
                                     : signpost_patient_format_name (patient);

        if (i > 0)
          g_string_append (text, same ? ", " : "; ");
        g_string_append (text, name);
      }
    return g_string_free (text, FALSE);
  }
}

void
signpost_call_open_triage (GtkWidget    *widget,
                           SignpostCall *call,
                           const char   *patient_id)
{
  const char *triage_id;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (SIGNPOST_IS_CALL (call));

  if (patient_id == NULL)
    patient_id = signpost_call_get_patient_id (call);
  triage_id = signpost_call_get_triage_id (call);
  if (!gtk_widget_activate_action (widget, "win.open-triage", "(sss)",
                                   triage_id ? triage_id : "",
                                   signpost_record_get_id (SIGNPOST_RECORD (call)),
                                   patient_id ? patient_id : ""))
    g_message ("No triage form to open for call %s (win.open-triage is missing)",
               signpost_record_get_id (SIGNPOST_RECORD (call)));
}

static void
on_toast_dismissed (AdwToast *toast,
                    GObject  *overlay)
{
  if (g_object_get_data (overlay, "signpost-call-toast") == toast)
    g_object_set_data (overlay, "signpost-call-toast", NULL);
}

void
signpost_call_show_toast (GtkWidget  *widget,
                          const char *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  g_autofree char *escaped = NULL;
  AdwToast *toast;

  g_debug ("Told the navigator: %s", message);
  if (overlay == NULL)
    {
      g_message ("%s", message);
      return;
    }
  /* Toast titles are markup. */
  escaped = g_markup_escape_text (message, -1);
  /* The newest word is the truth: a toast still showing (or waiting its
   * turn) from before takes the new words, so "keeps its place" never
   * outlives "failed contact". (Not dismissed and replaced: dismissing a
   * toast while it animates crashes libadwaita 1.2.) */
  toast = g_object_get_data (G_OBJECT (overlay), "signpost-call-toast");
  if (toast != NULL)
    {
      adw_toast_set_title (toast, escaped);
      return;
    }
  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, 5);
  g_object_set_data (G_OBJECT (overlay), "signpost-call-toast", toast);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_toast_dismissed), overlay, 0);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}
