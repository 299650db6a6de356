/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-navigation.h"
#include "signpost-online-rules.h"
#include "signpost-patient-format.h"
#include "signpost-request-format.h"

/* ---- the deadline ------------------------------------------------------------------ */

SignpostDeadlineState
signpost_request_deadline_state (SignpostTriage *triage,
                                 GDateTime      *now)
{
  GDateTime *respond_by = signpost_triage_get_respond_by (triage);
  GTimeSpan left;

  if (respond_by == NULL)
    return SIGNPOST_DEADLINE_NONE;
  left = g_date_time_difference (respond_by, now);
  if (left <= 0)
    return SIGNPOST_DEADLINE_OVERDUE;
  if (left <= SIGNPOST_REQUEST_RED_SECONDS * G_TIME_SPAN_SECOND)
    return SIGNPOST_DEADLINE_DUE;
  if (left <= SIGNPOST_REQUEST_AMBER_SECONDS * G_TIME_SPAN_SECOND)
    return SIGNPOST_DEADLINE_SOON;
  return SIGNPOST_DEADLINE_OK;
}

/* "2 days 3 h", "24 h 45 min", "40 min", "under a minute" */
static char *
span_text (GTimeSpan span)
{
  gint64 minutes = span / G_TIME_SPAN_MINUTE;
  gint64 hours = minutes / 60;
  gint64 days = hours / 24;

  if (minutes < 1)
    return g_strdup (_("under a minute"));
  if (hours < 1)
    /* Translators: a time span, "40 min" */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d min", "%d min", (gulong) minutes), (int) minutes);
  /* Under two days in hours: "1 day" would hide that the end of
   * tomorrow and the start of tomorrow are very different. */
  if (days < 2)
    /* Translators: a time span, "5 h 20 min" */
    return g_strdup_printf (_("%d h %02d min"), (int) hours, (int) (minutes % 60));
  if (hours % 24 == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day", "%d days", (gulong) days), (int) days);
  /* Translators: a time span, "1 day 3 h" or "2 days 3 h" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day %d h", "%d days %d h", (gulong) days),
                          (int) days, (int) (hours % 24));
}

char *
signpost_request_format_time_left (SignpostTriage *triage,
                                   GDateTime      *now)
{
  GDateTime *respond_by = signpost_triage_get_respond_by (triage);
  g_autofree char *span = NULL;
  GTimeSpan left;

  if (respond_by == NULL)
    return g_strdup (_("No reply-by time"));
  left = g_date_time_difference (respond_by, now);
  if (left <= 0)
    {
      span = span_text (-left);
      /* Translators: a request past its reply-by time, "Overdue by 25 min" */
      return g_strdup_printf (_("Overdue by %s"), span);
    }
  span = span_text (left);
  /* Translators: time before a request's reply-by time, "3 h 20 min left" */
  return g_strdup_printf (_("%s left"), span);
}

char *
signpost_request_format_reply_by (SignpostTriage *triage,
                                  GDateTime      *now,
                                  GTimeZone      *tz)
{
  GDateTime *respond_by = signpost_triage_get_respond_by (triage);
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *clock = NULL;
  GDate day, today;
  int days;

  if (respond_by == NULL)
    return NULL;
  local = g_date_time_to_timezone (respond_by, tz);
  clock = g_date_time_format (local, "%H:%M");
  signpost_local_date (respond_by, tz, &day);
  signpost_local_date (now, tz, &today);
  days = g_date_days_between (&today, &day);
  if (days == 0)
    /* Translators: "Reply by 18:30 today" */
    return g_strdup_printf (_("Reply by %s today"), clock);
  if (days == 1)
    return g_strdup_printf (_("Reply by %s tomorrow"), clock);
  if (days == -1)
    return g_strdup_printf (_("Reply was due by %s yesterday"), clock);
  {
    /* Translators: a day as "Tue 17 Nov"; see strftime */
    g_autofree char *date = g_date_time_format (local, _("%a %d %b"));
    if (days < 0)
      return g_strdup_printf (_("Reply was due by %s on %s"), clock, date);
    /* Translators: "Reply by 18:30 on Tue 17 Nov" */
    return g_strdup_printf (_("Reply by %s on %s"), clock, date);
  }
}

const char *
signpost_request_deadline_class (SignpostDeadlineState state)
{
  switch (state)
    {
    case SIGNPOST_DEADLINE_SOON:
      return "deadline-amber";
    case SIGNPOST_DEADLINE_DUE:
    case SIGNPOST_DEADLINE_OVERDUE:
      return "deadline-red";
    case SIGNPOST_DEADLINE_OK:
    case SIGNPOST_DEADLINE_NONE:
    default:
      return "deadline-ok";
    }
}

const char *
signpost_request_deadline_icon (SignpostDeadlineState state)
{
  switch (state)
    {
    case SIGNPOST_DEADLINE_SOON:
      return "alarm-symbolic";
    case SIGNPOST_DEADLINE_DUE:
      return "dialog-warning-symbolic";
    case SIGNPOST_DEADLINE_OVERDUE:
      return "dialog-error-symbolic";
    case SIGNPOST_DEADLINE_OK:
    case SIGNPOST_DEADLINE_NONE:
    default:
      return "document-open-recent-symbolic";
    }
}

/* ---- where it came from ------------------------------------------------------------- */

const char *
signpost_request_format_source (SignpostTriage *triage)
{
  switch (signpost_triage_get_source (triage))
    {
    case SIGNPOST_REQUEST_SOURCE_ONLINE:
      return _("Online form");
    case SIGNPOST_REQUEST_SOURCE_INTAKE:
      return signpost_triage_get_source_name (triage) ? signpost_triage_get_source_name (triage)
                                                       : _("Another online service");
    case SIGNPOST_REQUEST_SOURCE_PHONE:
    default:
      return _("Phone");
    }
}

const char *
signpost_request_source_icon (SignpostRequestSource source)
{
  switch (source)
    {
    case SIGNPOST_REQUEST_SOURCE_ONLINE:
      return "mail-unread-symbolic";
    case SIGNPOST_REQUEST_SOURCE_INTAKE:
      return "emblem-shared-symbolic";
    case SIGNPOST_REQUEST_SOURCE_PHONE:
    default:
      return "call-start-symbolic";
    }
}

/* ---- what it says --------------------------------------------------------------------- */

char *
signpost_request_format_flags (SignpostTriage *triage)
{
  const char * const *flags = signpost_triage_get_red_flags (triage);
  const char * const *screened = signpost_triage_get_screened_flags (triage);
  guint n_flags = flags ? g_strv_length ((char **) flags) : 0;
  guint n_screened = screened ? g_strv_length ((char **) screened) : 0;

  if (n_flags > 0)
    {
      g_autoptr(GString) labels = g_string_new (NULL);

      for (guint i = 0; i < n_flags; i++)
        {
          const SignpostRedFlag *flag = signpost_navigation_find_red_flag (flags[i]);

          if (labels->len > 0)
            g_string_append (labels, "; ");
          g_string_append (labels, flag ? signpost_red_flag_get_label (flag) : flags[i]);
        }
      /* Translators: the red flags a request answered yes to, "Red flag: Chest pain …" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Red flag: %s", "Red flags: %s", n_flags),
                              labels->str);
    }
  if (n_screened > 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Answered no to the %u red-flag question",
                                         "Answered no to all %u red-flag questions", n_screened),
                            n_screened);
  if (signpost_triage_get_source (triage) == SIGNPOST_REQUEST_SOURCE_PHONE)
    return g_strdup (_("No red flags ticked"));
  return g_strdup (_("Red-flag questions not asked: ask them"));
}

static const char *
admin_topic_label (const char *nick)
{
  if (g_strcmp0 (nick, "repeat_prescription") == 0)
    return _("repeat prescription");
  if (g_strcmp0 (nick, "fit_note") == 0)
    return _("fit note");
  if (g_strcmp0 (nick, "test_results") == 0)
    return _("test results");
  if (g_strcmp0 (nick, "letter_or_form") == 0)
    return _("letter or form");
  return _("something else");
}

char *
signpost_request_format_type (SignpostTriage *triage)
{
  const char *type = signpost_triage_get_request_type (triage);

  if (g_strcmp0 (type, "medical") == 0)
    return g_strdup (_("Medical"));
  if (g_strcmp0 (type, "admin") == 0)
    /* Translators: an admin request and its topic, "Admin: repeat prescription" */
    return g_strdup_printf (_("Admin: %s"), admin_topic_label (signpost_triage_get_admin_topic (triage)));
  return NULL;
}

char *
signpost_request_format_contact_times (SignpostTriage *triage)
{
  const char * const *times = signpost_triage_get_contact_times (triage);
  gboolean morning = times && g_strv_contains (times, "morning");
  gboolean afternoon = times && g_strv_contains (times, "afternoon");
  const char *when;

  if (signpost_triage_get_source (triage) == SIGNPOST_REQUEST_SOURCE_PHONE && times == NULL &&
      !signpost_triage_get_contact_message_ok (triage))
    return NULL;
  if (morning && !afternoon)
    when = _("Mornings");
  else if (afternoon && !morning)
    when = _("Afternoons");
  else
    when = _("Any time");
  /* Translators: when to contact and whether a message may be left */
  return g_strdup_printf (_("%s · %s"), when,
                          signpost_triage_get_contact_message_ok (triage) ? _("a message may be left")
                                                                          : _("do not leave a message"));
}

/* The stated details as a patient record, so they are written exactly as
 * registered patients are. */
static SignpostPatient *
stated_patient (SignpostPatientDetails *details)
{
  SignpostPatient *patient = signpost_patient_new ();

  signpost_patient_set_given_name (patient, signpost_patient_details_get_given_name (details));
  signpost_patient_set_family_name (patient, signpost_patient_details_get_family_name (details));
  signpost_patient_set_date_of_birth (patient, signpost_patient_details_get_date_of_birth (details));
  signpost_patient_set_postcode (patient, signpost_patient_details_get_postcode (details));
  return patient;
}

char *
signpost_request_format_stated_patient (SignpostTriage *triage,
                                        GDateTime      *now)
{
  SignpostPatientDetails *details = signpost_triage_get_patient_details (triage);
  g_autoptr(SignpostPatient) patient = NULL;
  g_autofree char *name = NULL;
  g_autofree char *born = NULL;
  const char *postcode;

  if (details == NULL)
    return NULL;
  patient = stated_patient (details);
  name = signpost_patient_format_name (patient);
  born = signpost_patient_format_born (patient, now);
  postcode = signpost_patient_details_get_postcode (details);
  if (postcode != NULL && *postcode != '\0')
    /* Translators: who a request says the patient is: "SMITH, Ann · born 12-Mar-1980 (45y) · LS1 4AB" */
    return g_strdup_printf (_("%s · born %s · %s"), name, born, postcode);
  return g_strdup_printf (_("%s · born %s"), name, born);
}

char *
signpost_request_stated_patient_query (SignpostTriage *triage)
{
  SignpostPatientDetails *details = signpost_triage_get_patient_details (triage);
  const char *family, *dob;
  GDate date;

  if (details == NULL)
    return NULL;
  family = signpost_patient_details_get_family_name (details);
  dob = signpost_patient_details_get_date_of_birth (details);
  if (dob != NULL && signpost_date_parse (dob, &date, NULL))
    return g_strdup_printf ("%s %02d/%02d/%04d", family ? family : "", g_date_get_day (&date),
                            g_date_get_month (&date), g_date_get_year (&date));
  return g_strdup (family);
}

GTimeZone *
signpost_request_practice_time_zone (SignpostCache *cache,
                                     const char    *practice_id)
{
  g_autoptr(SignpostPractice) practice = NULL;

  if (cache != NULL && practice_id != NULL)
    practice = signpost_cache_get_record (cache, SIGNPOST_RECORD_PRACTICE, practice_id, NULL);
  if (practice != NULL)
    return signpost_online_practice_time_zone (practice);
  return signpost_time_zone_new (SIGNPOST_DEFAULT_TIME_ZONE, NULL);
}
