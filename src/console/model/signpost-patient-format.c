/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-patient-format.h"

/* Clinical systems write the family name first, in capitals:
 * "SMITH, Zoë". */
char *
signpost_patient_format_name (SignpostPatient *patient)
{
  const char *family = signpost_patient_get_family_name (patient);
  const char *given = signpost_patient_get_given_name (patient);
  g_autofree char *upper = g_utf8_strup (family ? family : "", -1);

  if (given == NULL || *given == '\0')
    return g_steal_pointer (&upper);
  return g_strdup_printf ("%s, %s", upper, given);
}

/* "12-Mar-1980 (45y)"; babies in months, as practices write them. */
char *
signpost_patient_format_born (SignpostPatient *patient,
                              GDateTime       *now)
{
  const char *dob = signpost_patient_get_date_of_birth (patient);
  g_autoptr(GTimeZone) tz = signpost_time_zone_new (SIGNPOST_DEFAULT_TIME_ZONE, NULL);
  g_autoptr(GDateTime) local_now = NULL;
  g_autoptr(GDateTime) born = NULL;
  g_autofree char *date = NULL;
  GDate parsed;
  int age;

  if (dob == NULL || !signpost_date_parse (dob, &parsed, NULL))
    return g_strdup (_("Not known"));
  born = g_date_time_new_utc (g_date_get_year (&parsed), g_date_get_month (&parsed),
                              g_date_get_day (&parsed), 12, 0, 0);
  /* Translators: a date of birth as "12-Mar-1980"; see strftime. */
  date = g_date_time_format (born, _("%d-%b-%Y"));
  age = signpost_age_on (&parsed, now, tz);
  if (age < 2)
    {
      int months;
      local_now = g_date_time_to_timezone (now, tz);
      months = (g_date_time_get_year (local_now) - g_date_get_year (&parsed)) * 12 +
               g_date_time_get_month (local_now) - (int) g_date_get_month (&parsed) -
               (g_date_time_get_day_of_month (local_now) < g_date_get_day (&parsed) ? 1 : 0);
      /* Translators: a date of birth and an age in months: "12-Mar-2025 (8m)" */
      return g_strdup_printf (_("%s (%dm)"), date, MAX (months, 0));
    }
  /* Translators: a date of birth and an age in years: "12-Mar-1980 (45y)" */
  return g_strdup_printf (_("%s (%dy)"), date, age);
}

char *
signpost_patient_format_nhs (SignpostPatient *patient)
{
  const char *nhs = signpost_patient_get_nhs_number (patient);

  if (nhs == NULL || *nhs == '\0')
    return g_strdup (signpost_patient_get_temporary (patient) ? _("Temporary") : _("None"));
  return signpost_nhs_number_format (nhs);
}

static const char *
alert_name (SignpostAlertKind kind)
{
  switch (kind)
    {
    case SIGNPOST_ALERT_INTERPRETER:
      return _("Interpreter");
    case SIGNPOST_ALERT_CARER:
      return _("Carer");
    case SIGNPOST_ALERT_HEARING:
      return _("Hearing");
    case SIGNPOST_ALERT_SIGHT:
      return _("Sight");
    case SIGNPOST_ALERT_VULNERABLE:
      return _("Vulnerable");
    case SIGNPOST_ALERT_TEXT_RELAY:
      return _("Text relay");
    case SIGNPOST_ALERT_OTHER:
    default:
      return _("Note");
    }
}

/* "Interpreter (Polish), Carer", or an empty string. */
char *
signpost_patient_format_alerts (SignpostPatient *patient)
{
  GListModel *alerts = signpost_patient_get_alerts (patient);
  GString *text = g_string_new (NULL);

  for (guint i = 0; alerts != NULL && i < g_list_model_get_n_items (alerts); i++)
    {
      g_autoptr(SignpostAlert) alert = g_list_model_get_item (alerts, i);
      const char *detail = signpost_alert_get_text (alert);

      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append (text, alert_name (signpost_alert_get_kind (alert)));
      if (detail != NULL && *detail != '\0')
        g_string_append_printf (text, " (%s)", detail);
    }
  return g_string_free (text, FALSE);
}

char *
signpost_patient_format_phones (SignpostPatient *patient)
{
  GListModel *phones = signpost_patient_get_phones (patient);
  GString *text = g_string_new (NULL);

  for (guint i = 0; phones != NULL && i < g_list_model_get_n_items (phones); i++)
    {
      g_autoptr(SignpostPhone) phone = g_list_model_get_item (phones, i);
      g_autofree char *number = signpost_phone_format (signpost_phone_get_number (phone));
      const char *kind;

      switch (signpost_phone_get_kind (phone))
        {
        case SIGNPOST_PHONE_KIND_MOBILE:
          kind = _("mobile");
          break;
        case SIGNPOST_PHONE_KIND_WORK:
          kind = _("work");
          break;
        case SIGNPOST_PHONE_KIND_HOME:
        default:
          kind = _("home");
          break;
        }
      if (text->len > 0)
        g_string_append (text, "; ");
      g_string_append_printf (text, "%s (%s)", number, kind);
    }
  return g_string_free (text, FALSE);
}

/* "Left the practice on 03-Dec-2026" for a patient whose practice's list
 * no longer holds them (left_at), else NULL. */
char *
signpost_patient_format_left (SignpostPatient *patient)
{
  GDateTime *left_at = signpost_patient_get_left_at (patient);
  g_autoptr(GTimeZone) tz = NULL;
  g_autofree char *date = NULL;

  if (left_at == NULL)
    return NULL;
  tz = signpost_time_zone_new (SIGNPOST_DEFAULT_TIME_ZONE, NULL);
  /* Translators: the day a patient left the practice, as "03-Dec-2026"; see strftime. */
  date = signpost_format_local (left_at, tz, _("%d-%b-%Y"));
  /* Translators: said of a patient no longer on the practice's list */
  return g_strdup_printf (_("Left the practice on %s"), date);
}

/* One sentence for a screen reader: the row read out. */
char *
signpost_patient_describe (SignpostPatient *patient,
                           GDateTime       *now)
{
  g_autofree char *name = signpost_patient_format_name (patient);
  g_autofree char *born = signpost_patient_format_born (patient, now);
  g_autofree char *nhs = signpost_patient_format_nhs (patient);
  g_autofree char *left = signpost_patient_format_left (patient);

  if (left != NULL)
    /* Translators: name, date of birth (age), NHS number, "Left the practice on 03-Dec-2026" */
    return g_strdup_printf (_("%s, born %s, NHS number %s. %s"), name, born, nhs, left);
  /* Translators: name, date of birth (age), NHS number */
  return g_strdup_printf (_("%s, born %s, NHS number %s"), name, born, nhs);
}

char *
signpost_patient_format_namesakes (SignpostPatient *patient,
                                   SignpostCache   *cache)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) namesakes = NULL;

  if (patient == NULL || cache == NULL)
    return NULL;
  namesakes = signpost_cache_find_namesakes (cache, patient, &error);
  if (namesakes == NULL)
    {
      /* Not knowing is said, not taken for "none". */
      g_warning ("Could not look for patients with the same name and date of birth: %s", error->message);
      return g_strdup (_("Could not check for another patient with the same name and date of birth: "
                         "ask for a second identifier, postcode or NHS number."));
    }
  return signpost_namesake_warning (patient, namesakes->len);
}
