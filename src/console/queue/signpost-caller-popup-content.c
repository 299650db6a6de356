/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-caller-popup-private.h"

/* What the caller popup shows: the caller's number and how it matched,
 * the patient it is (name, identity, alerts, practice and usual GP, open
 * requests, next appointments), the household to pick from when the
 * number is shared, or a search when the number is unknown or withheld;
 * and each patient record shown, reported once per call. */

/* ---- the content --------------------------------------------------------------------- */

static gboolean
several_practices (SignpostCallerPopup *self)
{
  GListModel *practices = self->actions ? signpost_actions_get_practices (self->actions) : NULL;

  return practices != NULL && g_list_model_get_n_items (practices) > 1;
}

GtkWidget *
signpost_caller_popup_create_patient_row (gpointer item,
                                          gpointer user_data)
{
  SignpostCallerPopup *self = user_data;
  SignpostPatient *patient = item;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *name = signpost_patient_format_name (patient);
  g_autofree char *born = signpost_patient_format_born (patient, now);
  g_autofree char *nhs = signpost_patient_format_nhs (patient);
  g_autofree char *alerts = signpost_patient_format_alerts (patient);
  g_autofree char *namesakes = signpost_patient_format_namesakes (patient, self->cache);
  g_autofree char *left = signpost_patient_format_left (patient);
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();

  /* Translators: a household member: date of birth (age) · NHS number */
  subtitle = g_strdup_printf (_("Born %s · NHS %s"), born, nhs);
  /* The postcode: what a receptionist asks to be sure who it is. */
  if (signpost_patient_get_postcode (patient) != NULL && *signpost_patient_get_postcode (patient) != '\0')
    {
      /* Translators: a patient's identity line, then their postcode: "Born … · NHS … · SW1A 1AA" */
      g_autofree char *with_postcode = g_strdup_printf (_("%s · %s"), subtitle, signpost_patient_get_postcode (patient));

      g_free (subtitle);
      subtitle = g_steal_pointer (&with_postcode);
    }
  if (left != NULL)
    {
      g_autofree char *with_left = g_strdup_printf ("%s\n%s", subtitle, left);

      g_free (subtitle);
      subtitle = g_steal_pointer (&with_left);
    }
  if (several_practices (self) && self->cache != NULL)
    {
      g_autofree char *with_practice =
        g_strdup_printf ("%s · %s", subtitle,
                         signpost_cache_get_practice_name (self->cache,
                                                           signpost_record_get_practice_id (SIGNPOST_RECORD (patient))));
      g_free (subtitle);
      subtitle = g_steal_pointer (&with_practice);
    }
  if (namesakes != NULL)
    {
      /* Said in the row itself: it is what tells the two apart. */
      g_autofree char *with_namesakes = g_strdup_printf ("%s\n%s", subtitle, namesakes);

      g_free (subtitle);
      subtitle = g_steal_pointer (&with_namesakes);
    }
  if (*alerts != '\0' || namesakes != NULL)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
      g_autofree char *with_alerts = *alerts != '\0' ? g_strdup_printf ("%s\n%s", subtitle, alerts)
                                                     : g_strdup (subtitle);

      gtk_widget_set_tooltip_text (icon, *alerts != '\0' ? alerts : namesakes);
      gtk_widget_add_css_class (icon, "alert-text");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
      g_free (subtitle);
      subtitle = g_steal_pointer (&with_alerts);
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), namesakes != NULL ? 6 : 3);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  return row;
}

static char *
clinician_name (SignpostCache *cache,
                const char    *clinician_id)
{
  g_autoptr(SignpostClinician) clinician = NULL;
  g_autofree char *name = NULL;

  if (clinician_id == NULL)
    return NULL;
  clinician = signpost_cache_get_record (cache, SIGNPOST_RECORD_CLINICIAN, clinician_id, NULL);
  if (clinician == NULL)
    return NULL;
  name = g_strdup_printf ("%s %s %s", signpost_clinician_get_title (clinician) ? signpost_clinician_get_title (clinician) : "",
                          signpost_clinician_get_given_name (clinician), signpost_clinician_get_family_name (clinician));
  return g_strdup (g_strstrip (name));
}

void
signpost_caller_popup_report_view (SignpostCallerPopup *self,
                                   SignpostPatient     *patient)
{
  const char *patient_id = signpost_record_get_id (SIGNPOST_RECORD (patient));
  g_autofree char *key = g_strdup_printf ("%s|%s", self->call_id, patient_id);

  /* Once per call and patient: the record was put on screen. */
  if (self->actions == NULL || g_hash_table_contains (self->audited, key))
    return;
  g_hash_table_add (self->audited, g_steal_pointer (&key));
  signpost_actions_report_view (self->actions, patient_id, "caller-popup");
}

/* One patient on the number: what the desk needs before saying hello. */
static void
fill_one (SignpostCallerPopup *self,
          SignpostPatient     *patient)
{
  const char *id = signpost_record_get_id (SIGNPOST_RECORD (patient));
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *name = signpost_patient_format_name (patient);
  g_autofree char *born = signpost_patient_format_born (patient, now);
  g_autofree char *nhs = signpost_patient_format_nhs (patient);
  g_autofree char *alerts = signpost_patient_format_alerts (patient);
  g_autofree char *identity = NULL;
  g_autofree char *namesakes = NULL;
  g_autofree char *gp = clinician_name (self->cache, signpost_patient_get_usual_clinician_id (patient));
  g_autoptr(GError) requests_error = NULL;
  g_autoptr(GError) appointments_error = NULL;
  g_autoptr(GPtrArray) requests = signpost_cache_list_triage_for_patient (self->cache, id, &requests_error);
  g_autoptr(GPtrArray) appointments = signpost_cache_list_appointments_for_patient (self->cache, id, now,
                                                                                   &appointments_error);
  g_autoptr(GTimeZone) tz = signpost_time_zone_new (SIGNPOST_DEFAULT_TIME_ZONE, NULL);
  GString *text = g_string_new (NULL);
  guint open = 0;

  /* What could not be read is left out (and logged), not shown as none. */
  if (requests == NULL)
    {
      g_warning ("Could not read the caller's requests: %s", requests_error->message);
      requests = g_ptr_array_new_with_free_func (g_object_unref);
    }
  if (appointments == NULL)
    {
      g_warning ("Could not read the caller's appointments: %s", appointments_error->message);
      appointments = g_ptr_array_new_with_free_func (g_object_unref);
    }

  signpost_caller_popup_set_label (self->name_label, name);
  /* Translators: "Born 12-Mar-1980 (45y) · NHS 943 476 5919" */
  identity = g_strdup_printf (_("Born %s · NHS %s"), born, nhs);
  signpost_caller_popup_set_label (self->identity_label, identity);
  gtk_widget_set_visible (self->alerts_box, *alerts != '\0');
  signpost_caller_popup_set_label (self->alerts_label, alerts);
  namesakes = signpost_patient_format_namesakes (patient, self->cache);
  gtk_widget_set_visible (self->namesake_box, namesakes != NULL);
  signpost_caller_popup_set_label (self->namesake_label, namesakes ? namesakes : "");
  signpost_caller_popup_set_label (self->practice_label,
             signpost_cache_get_practice_name (self->cache, signpost_record_get_practice_id (SIGNPOST_RECORD (patient))));
  signpost_caller_popup_set_label (self->gp_label, gp ? gp : _("None recorded"));

  for (guint i = 0; i < requests->len; i++)
    {
      SignpostTriage *triage = g_ptr_array_index (requests, i);
      SignpostTriageStatus status = signpost_triage_get_status (triage);
      const char *reason = signpost_triage_get_reason (triage);

      if (status != SIGNPOST_TRIAGE_OPEN && status != SIGNPOST_TRIAGE_AWAITING_DUTY)
        continue;
      if (open++ < 2 && reason != NULL)
        {
          glong length = g_utf8_strlen (reason, -1);
          g_autofree char *line = g_utf8_substring (reason, 0, MIN (length, 60));

          g_string_append_printf (text, "%s“%s%s”%s", text->len ? "\n" : "", g_strstrip (line),
                                  length > 60 ? "…" : "",
                                  status == SIGNPOST_TRIAGE_AWAITING_DUTY ? _(" — with the duty doctor") : "");
        }
    }
  if (open == 0)
    g_string_assign (text, _("None"));
  else if (open > 2)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "\nand %u more", "\nand %u more", open - 2),
                            open - 2);
  signpost_caller_popup_set_label (self->requests_label, text->str);

  g_string_truncate (text, 0);
  for (guint i = 0; i < appointments->len && i < APPOINTMENTS_SHOWN; i++)
    {
      SignpostAppointment *appointment = g_ptr_array_index (appointments, i);
      g_autoptr(SignpostSlot) slot = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_SLOT,
                                                                 signpost_appointment_get_slot_id (appointment), NULL);
      g_autofree char *when = NULL;
      g_autofree char *who = NULL;

      if (slot == NULL)
        continue;
      /* Translators: strftime format of an appointment, as "Mon 23 Nov, 09:10" */
      when = signpost_format_local (signpost_slot_get_start (slot), tz, _("%a %-d %b, %H:%M"));
      who = clinician_name (self->cache, signpost_slot_get_clinician_id (slot));
      g_string_append_printf (text, "%s%s%s%s", text->len ? "\n" : "", when, who ? " — " : "", who ? who : "");
    }
  signpost_caller_popup_set_label (self->appointments_label, text->len ? text->str : _("None booked"));
  g_string_free (text, TRUE);
}

/* @n_left: patients who left the practice and have the caller's number. */
static void
fill_search (SignpostCallerPopup *self,
             guint                n_left)
{
  g_autofree char *national = self->number ? signpost_phone_format (self->number) : NULL;
  g_autofree char *heading = NULL;

  if (self->number == NULL)
    heading = g_strdup (_("The number is withheld. Ask who is calling, then find them here."));
  else if (n_left > 0)
    heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%s is the number of a patient who has left the practice. "
                                            "Tick “Include patients who have left the practice” to see them, "
                                            "or find the caller by name or date of birth.",
                                            "%s is the number of %u patients who have left the practice. "
                                            "Tick “Include patients who have left the practice” to see them, "
                                            "or find the caller by name or date of birth.", n_left),
                               national, n_left);
  else
    heading = g_strdup_printf (_("No patient on this PC has %s. Find them by name or date of birth, "
                                 "or register a temporary patient."), national);
  signpost_caller_popup_set_label (self->search_label, heading);
  /* Each call starts with the practice's own patients only. */
  gtk_check_button_set_active (self->include_left_check, FALSE);
  /* Filled in with the number, all selected: typing a name replaces it. */
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), national ? national : "");
  if (self->search != NULL)
    signpost_patient_search_model_set_query (self->search, national ? national : "");
}

void
signpost_caller_popup_fill_content (SignpostCallerPopup *self)
{
  g_autoptr(GPtrArray) matches = NULL;
  const char *kind;

  g_list_store_remove_all (self->patients);
  if (self->number != NULL && self->cache != NULL)
    {
      g_autoptr(GError) error = NULL;

      matches = signpost_cache_find_patients_by_phone (self->cache, self->number, &error);
      if (matches == NULL)
        g_warning ("Could not look the caller up on this PC: %s", error->message);
    }
  if (matches != NULL)
    g_list_store_splice (self->patients, 0, 0, matches->pdata, matches->len);
  /* Rows are made only for a list that is shown. */
  if (matches != NULL && matches->len > 1)
    g_list_store_splice (self->household, 0, g_list_model_get_n_items (G_LIST_MODEL (self->household)),
                         matches->pdata, matches->len);
  else
    g_list_store_remove_all (self->household);

  if (matches == NULL || matches->len == 0)
    {
      g_autoptr(GPtrArray) left = NULL;

      /* Not a patient of the practice any more: say so rather than "no
       * patient has this number". */
      if (matches != NULL && self->number != NULL)
        left = signpost_cache_find_patients_by_phone_full (self->cache, self->number, TRUE, NULL);
      fill_search (self, left != NULL ? left->len : 0);
      kind = "search";
    }
  else if (matches->len == 1)
    {
      fill_one (self, g_ptr_array_index (matches, 0));
      signpost_caller_popup_report_view (self, g_ptr_array_index (matches, 0));
      kind = "one";
    }
  else
    {
      g_autofree char *heading =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u person has this number. Who is calling?",
                                      "%u people share this number. Who is calling?", matches->len),
                         matches->len);
      signpost_caller_popup_set_label (self->several_label, heading);
      gtk_list_box_select_row (self->household_list, gtk_list_box_get_row_at_index (self->household_list, 0));
      kind = "several";
    }
  gtk_stack_set_visible_child_name (self->content_stack, kind);
}

void
signpost_caller_popup_update_header (SignpostCallerPopup *self)
{
  g_autofree char *number = self->number ? signpost_phone_format (self->number) : g_strdup (_("Number withheld"));
  g_autofree char *subtitle = NULL;
  gboolean offered = self->mode == SIGNPOST_CALLER_POPUP_OFFERED;
  const char *mode;
  const char *hint;

  if (offered)
    mode = self->callback ? _("Next: callback due") : _("Next caller — ringing");
  else
    mode = self->callback ? _("Calling back") : _("On the phone");
  signpost_caller_popup_set_label (self->mode_label, mode);
  gtk_image_set_from_icon_name (self->mode_icon, offered ? "call-incoming-symbolic"
                                                 : self->callback ? "call-outgoing-symbolic" : "call-start-symbolic");
  if (several_practices (self) && self->practice_id != NULL && self->cache != NULL)
    subtitle = g_strdup_printf ("%s · %s", number,
                                signpost_cache_get_practice_name (self->cache, self->practice_id));
  signpost_caller_popup_set_label (self->number_label, subtitle ? subtitle : number);

  gtk_widget_set_visible (self->answer_button, offered);
  gtk_widget_set_visible (self->confirm_button, !offered &&
                          !g_str_equal (gtk_stack_get_visible_child_name (self->content_stack), "register"));
  if (offered)
    hint = _("F2 answers.");
  else if (self->callback)
    hint = _("Enter confirms. Reached or No Answer on the queue page.");
  else
    hint = _("Enter confirms. F3 ends the call.");
  signpost_caller_popup_set_label (self->hint_label, hint);

  gtk_widget_remove_css_class (GTK_WIDGET (self), offered ? "answered" : "offered");
  gtk_widget_add_css_class (GTK_WIDGET (self), offered ? "offered" : "answered");
}

