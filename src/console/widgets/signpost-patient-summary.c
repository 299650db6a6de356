/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-accessible.h"
#include "signpost-navigation.h"
#include "signpost-patient-format.h"
#include "signpost-patient-summary.h"
#include "signpost-triage-format.h"

struct _SignpostPatientSummary
{
  AdwWindow parent_instance;

  AdwWindowTitle *window_title;
  AdwPreferencesGroup *alerts_group;
  GtkLabel *alerts_label;
  AdwActionRow *nhs_row;
  AdwActionRow *born_row;
  AdwActionRow *sex_row;
  AdwActionRow *phones_row;
  AdwActionRow *postcode_row;
  AdwActionRow *practice_row;
  AdwActionRow *usual_gp_row;
  AdwActionRow *requests_row;
  AdwActionRow *appointments_row;
  AdwPreferencesGroup *requests_group;

  SignpostPatient *patient;
};

G_DEFINE_FINAL_TYPE (SignpostPatientSummary, signpost_patient_summary, ADW_TYPE_WINDOW)

static const char *
sex_label (SignpostSex sex)
{
  switch (sex)
    {
    case SIGNPOST_SEX_FEMALE:
      return _("Female");
    case SIGNPOST_SEX_MALE:
      return _("Male");
    case SIGNPOST_SEX_OTHER:
      return _("Other");
    case SIGNPOST_SEX_UNKNOWN:
    default:
      return _("Not known");
    }
}

static void
fill (SignpostPatientSummary *self,
      SignpostCache          *cache)
{
  SignpostPatient *patient = self->patient;
  const char *id = signpost_record_get_id (SIGNPOST_RECORD (patient));
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *name = signpost_patient_format_name (patient);
  g_autofree char *nhs = signpost_patient_format_nhs (patient);
  g_autofree char *born = signpost_patient_format_born (patient, now);
  g_autofree char *alerts = signpost_patient_format_alerts (patient);
  g_autofree char *phones = signpost_patient_format_phones (patient);
  g_autoptr(SignpostClinician) gp = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GPtrArray) appointments = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *gp_name = NULL;
  g_autofree char *requests_text = NULL;
  g_autofree char *next_text = NULL;
  guint open = 0;

  gtk_window_set_title (GTK_WINDOW (self), name);
  adw_window_title_set_title (self->window_title, name);
  adw_window_title_set_subtitle (self->window_title,
                                 signpost_cache_record_is_pending (SIGNPOST_RECORD (patient))
                                 ? _("Changes made here are not yet on the server") : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->alerts_group), *alerts != '\0');
  gtk_label_set_text (self->alerts_label, alerts);
  adw_action_row_set_subtitle (self->nhs_row, nhs);
  adw_action_row_set_subtitle (self->born_row, born);
  adw_action_row_set_subtitle (self->sex_row, sex_label (signpost_patient_get_sex (patient)));
  adw_action_row_set_subtitle (self->phones_row, *phones ? phones : _("None recorded"));
  adw_action_row_set_subtitle (self->postcode_row, signpost_patient_get_postcode (patient)
                                                   ? signpost_patient_get_postcode (patient) : _("None recorded"));
  adw_action_row_set_subtitle (self->practice_row,
                               signpost_cache_get_practice_name (cache, signpost_record_get_practice_id (SIGNPOST_RECORD (patient))));

  gp = signpost_cache_get_record (cache, SIGNPOST_RECORD_CLINICIAN, signpost_patient_get_usual_clinician_id (patient), NULL);
  if (gp != NULL)
    gp_name = g_strdup_printf ("%s %s %s", signpost_clinician_get_title (gp) ? signpost_clinician_get_title (gp) : "",
                               signpost_clinician_get_given_name (gp), signpost_clinician_get_family_name (gp));
  adw_action_row_set_subtitle (self->usual_gp_row, gp_name ? g_strstrip (gp_name) : _("None recorded"));

  requests = signpost_cache_list_triage_for_patient (cache, id, &error);
  if (requests == NULL)
    {
      g_warning ("Could not read the patient's requests: %s", error->message);
      g_clear_error (&error);
    }
  for (guint i = 0; requests != NULL && i < requests->len; i++)
    {
      SignpostTriageStatus status = signpost_triage_get_status (g_ptr_array_index (requests, i));
      if (status == SIGNPOST_TRIAGE_OPEN || status == SIGNPOST_TRIAGE_AWAITING_DUTY)
        open++;
    }
  /* Each request with where it stands: "has the doctor seen it?" */
  for (guint i = 0; i < requests->len && i < 6; i++)
    {
      SignpostTriage *triage = g_ptr_array_index (requests, i);
      SignpostUrgency urgency = signpost_triage_get_urgency (triage);
      g_autoptr(GTimeZone) london = signpost_time_zone_new (SIGNPOST_DEFAULT_TIME_ZONE, NULL);
      GDateTime *arrived = signpost_triage_get_arrived (triage);
      /* Translators: strftime format of when a request was made, "Mon 23 Nov, 09:12" */
      g_autofree char *when = arrived ? signpost_format_local (arrived, london, _("%a %-d %b, %H:%M")) : g_strdup ("");
      /* Translators: a request in the patient summary: "Mon 23 Nov, 09:12 · Red — today · With the duty doctor" */
      g_autofree char *subtitle = g_strdup_printf (_("%s · %s · %s"), when, signpost_navigation_urgency_label (urgency),
                                                   signpost_triage_format_status (triage));
      g_autofree char *title = g_markup_printf_escaped ("“%s”", signpost_triage_get_reason (triage));
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon = gtk_image_new_from_icon_name (signpost_triage_format_urgency_icon (urgency));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      gtk_widget_add_css_class (icon, signpost_triage_format_urgency_class (urgency));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "summary.open-request");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", signpost_record_get_id (SIGNPOST_RECORD (triage)));
      adw_preferences_group_add (self->requests_group, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->requests_group), requests->len > 0);

  requests_text = open == 0 ? g_strdup (_("None"))
                            : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u open request",
                                                            "%u open requests", open), open);
  adw_action_row_set_subtitle (self->requests_row, requests_text);

  appointments = signpost_cache_list_appointments_for_patient (cache, id, now, &error);
  if (appointments == NULL)
    g_warning ("Could not read the patient's appointments: %s", error->message);
  if (appointments != NULL && appointments->len > 0)
    {
      SignpostAppointment *next = g_ptr_array_index (appointments, 0);
      g_autoptr(SignpostSlot) slot = signpost_cache_get_record (cache, SIGNPOST_RECORD_SLOT,
                                                                 signpost_appointment_get_slot_id (next), NULL);
      g_autoptr(GTimeZone) tz = signpost_time_zone_new (SIGNPOST_DEFAULT_TIME_ZONE, NULL);

      if (slot != NULL)
        /* Translators: strftime format of an appointment, as "Mon 23 Nov, 09:10" */
        next_text = signpost_format_local (signpost_slot_get_start (slot), tz, _("%a %-d %b, %H:%M"));
    }
  adw_action_row_set_subtitle (self->appointments_row, next_text ? next_text : _("None booked"));
}

/* The form is a window beside the main one; this (modal) summary makes
 * way for it. */
static void
open_triage (SignpostPatientSummary *self,
             const char             *triage_id)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  const char *patient_id = signpost_record_get_id (SIGNPOST_RECORD (self->patient));

  if (parent == NULL)
    return;
  g_object_ref (parent);
  gtk_window_destroy (GTK_WINDOW (self));
  gtk_widget_activate_action (GTK_WIDGET (parent), "win.open-triage", "(sss)", triage_id, "", patient_id);
  g_object_unref (parent);
}

static void
new_request (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  open_triage (SIGNPOST_PATIENT_SUMMARY (widget), "");
}

static void
open_request (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  open_triage (SIGNPOST_PATIENT_SUMMARY (widget), g_variant_get_string (parameter, NULL));
}

static void
signpost_patient_summary_dispose (GObject *object)
{
  SignpostPatientSummary *self = SIGNPOST_PATIENT_SUMMARY (object);

  g_clear_object (&self->patient);
  gtk_widget_dispose_template (GTK_WIDGET (self), SIGNPOST_TYPE_PATIENT_SUMMARY);

  G_OBJECT_CLASS (signpost_patient_summary_parent_class)->dispose (object);
}

static void
signpost_patient_summary_class_init (SignpostPatientSummaryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  signpost_accessible_init ();
  object_class->dispose = signpost_patient_summary_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/signpost/Signpost/signpost-patient-summary.ui");
  gtk_widget_class_bind_template_child (widget_class, SignpostPatientSummary, window_title);
  gtk_widget_class_bind_template_child (widget_class, SignpostPatientSummary, alerts_group);
  gtk_widget_class_bind_template_child (widget_class, SignpostPatientSummary, alerts_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostPatientSummary, nhs_row);
  gtk_widget_class_bind_template_child (widget_class, SignpostPatientSummary, born_row);
  gtk_widget_class_bind_template_child (widget_class, SignpostPatientSummary, sex_row);
  gtk_widget_class_bind_template_child (widget_class, SignpostPatientSummary, phones_row);
  gtk_widget_class_bind_template_child (widget_class, SignpostPatientSummary, postcode_row);
  gtk_widget_class_bind_template_child (widget_class, SignpostPatientSummary, practice_row);
  gtk_widget_class_bind_template_child (widget_class, SignpostPatientSummary, usual_gp_row);
  gtk_widget_class_bind_template_child (widget_class, SignpostPatientSummary, requests_row);
  gtk_widget_class_bind_template_child (widget_class, SignpostPatientSummary, appointments_row);
  gtk_widget_class_bind_template_child (widget_class, SignpostPatientSummary, requests_group);

  gtk_widget_class_install_action (widget_class, "summary.new-request", NULL, new_request);
  gtk_widget_class_install_action (widget_class, "summary.open-request", "s", open_request);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "summary.new-request", NULL);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
signpost_patient_summary_init (SignpostPatientSummary *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

SignpostPatientSummary *
signpost_patient_summary_new (GtkWindow       *parent,
                              SignpostCache   *cache,
                              SignpostPatient *patient)
{
  SignpostPatientSummary *self;

  g_return_val_if_fail (SIGNPOST_IS_PATIENT (patient), NULL);

  self = g_object_new (SIGNPOST_TYPE_PATIENT_SUMMARY, "transient-for", parent, NULL);
  self->patient = g_object_ref (patient);
  fill (self, cache);
  return self;
}

SignpostPatient *
signpost_patient_summary_get_patient (SignpostPatientSummary *self)
{
  g_return_val_if_fail (SIGNPOST_IS_PATIENT_SUMMARY (self), NULL);
  return self->patient;
}
