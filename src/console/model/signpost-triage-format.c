/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-navigation.h"
#include "signpost-triage-format.h"

const char *
signpost_triage_format_status (SignpostTriage *triage)
{
  SignpostRoute *route = signpost_triage_get_route (triage);

  switch (signpost_triage_get_status (triage))
    {
    case SIGNPOST_TRIAGE_OPEN:
      /* The review command stamps reviewed_by: an open request that has
       * one came back from a doctor. */
      if (signpost_triage_get_reviewed_by (triage) != NULL)
        return _("Sent back by the doctor");
      return _("Open");
    case SIGNPOST_TRIAGE_AWAITING_DUTY:
      if (route != NULL && signpost_route_get_kind (route) == SIGNPOST_ROUTE_CLINICIAN)
        return signpost_triage_get_claimed_by (triage) ? _("Being looked at by the clinician")
                                                        : _("With the clinician");
      return signpost_triage_get_claimed_by (triage) ? _("Being looked at by the duty doctor")
                                                      : _("With the duty doctor");
    case SIGNPOST_TRIAGE_REVIEWED:
      return _("Seen by the doctor");
    case SIGNPOST_TRIAGE_BOOKED:
      return _("Booked");
    case SIGNPOST_TRIAGE_SIGNPOSTED:
      return _("Signposted");
    case SIGNPOST_TRIAGE_CLOSED:
    default:
      return _("Closed");
    }
}

const char *
signpost_triage_format_urgency_class (SignpostUrgency urgency)
{
  switch (signpost_navigation_rag_for_urgency (urgency))
    {
    case SIGNPOST_RAG_RED:
      return "urgency-red";
    case SIGNPOST_RAG_AMBER:
      return "urgency-amber";
    case SIGNPOST_RAG_GREEN:
    default:
      return "urgency-green";
    }
}

const char *
signpost_triage_format_urgency_icon (SignpostUrgency urgency)
{
  switch (urgency)
    {
    case SIGNPOST_URGENCY_EMERGENCY:
    case SIGNPOST_URGENCY_SAME_DAY:
      return "dialog-warning-symbolic";
    case SIGNPOST_URGENCY_WITHIN_2_WEEKS:
      return "alarm-symbolic";
    case SIGNPOST_URGENCY_ROUTINE:
    default:
      return "object-select-symbolic";
    }
}

const char *
signpost_triage_format_urgency_badge (SignpostUrgency urgency)
{
  switch (urgency)
    {
    case SIGNPOST_URGENCY_EMERGENCY:
      /* Translators: the badge of a request with a 999 red flag */
      return C_("urgency badge", "RED 999");
    case SIGNPOST_URGENCY_SAME_DAY:
      return C_("urgency badge", "RED");
    case SIGNPOST_URGENCY_WITHIN_2_WEEKS:
      return C_("urgency badge", "AMBER");
    case SIGNPOST_URGENCY_ROUTINE:
    default:
      return C_("urgency badge", "GREEN");
    }
}

char *
signpost_triage_format_waited (GDateTime *since,
                               GDateTime *now)
{
  GTimeSpan span;
  gint64 minutes;

  if (since == NULL || now == NULL)
    return g_strdup (_("just now"));
  span = g_date_time_difference (now, since);
  minutes = MAX (span, 0) / G_TIME_SPAN_MINUTE;
  if (minutes < 1)
    return g_strdup (_("under a minute"));
  if (minutes < 60)
    /* Translators: time waited, "12 min" */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d min", "%d min", (gulong) minutes), (int) minutes);
  if (minutes < 48 * 60)
    /* Translators: time waited, "1 h 05 min" */
    return g_strdup_printf (_("%d h %02d min"), (int) (minutes / 60), (int) (minutes % 60));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day", "%d days", (gulong) (minutes / (24 * 60))),
                          (int) (minutes / (24 * 60)));
}

GDateTime *
signpost_triage_get_arrived (SignpostTriage *triage)
{
  GDateTime *created = signpost_triage_get_created_at (triage);

  return created ? created : signpost_record_get_updated_at (SIGNPOST_RECORD (triage));
}

const char *
signpost_triage_format_profession (SignpostProfession profession)
{
  switch (profession)
    {
    case SIGNPOST_PROFESSION_GP:
      return _("GP");
    case SIGNPOST_PROFESSION_NURSE:
      return _("Practice nurse");
    case SIGNPOST_PROFESSION_HCA:
      return _("Healthcare assistant");
    case SIGNPOST_PROFESSION_CLINICAL_PHARMACIST:
      return _("Clinical pharmacist");
    case SIGNPOST_PROFESSION_PHYSIO:
      return _("First contact physio");
    case SIGNPOST_PROFESSION_PARAMEDIC:
      return _("Paramedic");
    case SIGNPOST_PROFESSION_MENTAL_HEALTH:
      return _("Mental health practitioner");
    case SIGNPOST_PROFESSION_SOCIAL_PRESCRIBER:
    default:
      return _("Social prescribing link worker");
    }
}

const char *
signpost_triage_format_signpost (SignpostSignpost signpost)
{
  switch (signpost)
    {
    case SIGNPOST_SIGNPOST_COMMUNITY_PHARMACY:
      return _("Community pharmacy");
    case SIGNPOST_SIGNPOST_PHARMACY_FIRST:
      return _("Pharmacy First");
    case SIGNPOST_SIGNPOST_NHS_111:
      return _("NHS 111");
    case SIGNPOST_SIGNPOST_EMERGENCY_999:
      return _("999 / A&E");
    case SIGNPOST_SIGNPOST_OPTOMETRIST:
      return _("Optometrist");
    case SIGNPOST_SIGNPOST_DENTIST:
      return _("Dentist");
    case SIGNPOST_SIGNPOST_SELF_CARE:
      return _("Self-care");
    case SIGNPOST_SIGNPOST_TALKING_THERAPIES:
      return _("Talking therapies");
    case SIGNPOST_SIGNPOST_SOCIAL_PRESCRIBING:
      return _("Social prescribing");
    case SIGNPOST_SIGNPOST_SEXUAL_HEALTH:
    default:
      return _("Sexual health clinic");
    }
}

const char *
signpost_triage_format_outcome (SignpostTriageOutcome outcome)
{
  switch (outcome)
    {
    case SIGNPOST_OUTCOME_BOOKED:
      return _("Booked an appointment");
    case SIGNPOST_OUTCOME_SIGNPOSTED:
      return _("Signposted elsewhere");
    case SIGNPOST_OUTCOME_SENT_TO_DUTY:
      return _("Sent to the duty doctor");
    case SIGNPOST_OUTCOME_ADVICE_GIVEN:
      return _("Advice given");
    case SIGNPOST_OUTCOME_FAILED_CONTACT:
      return _("Could not reach them (failed contact)");
    case SIGNPOST_OUTCOME_EMERGENCY:
      return _("Sent to 999 or A&E");
    case SIGNPOST_OUTCOME_NONE:
    default:
      return _("Not finished yet");
    }
}

const char *
signpost_triage_format_relationship (SignpostCallerRelationship relationship)
{
  switch (relationship)
    {
    case SIGNPOST_CALLER_PARENT:
      return _("Parent or guardian");
    case SIGNPOST_CALLER_CARER:
      return _("Carer");
    case SIGNPOST_CALLER_OTHER:
      return _("Someone else");
    case SIGNPOST_CALLER_SELF:
    default:
      return _("The patient");
    }
}

const char *
signpost_triage_format_contact (SignpostContactMethod method)
{
  switch (method)
    {
    case SIGNPOST_CONTACT_TEXT:
      return _("Text message");
    case SIGNPOST_CONTACT_VIDEO:
      return _("Video call");
    case SIGNPOST_CONTACT_IN_PERSON:
      return _("In person");
    case SIGNPOST_CONTACT_PHONE:
    default:
      return _("Phone call");
    }
}

char *
signpost_triage_format_clinician (SignpostCache *cache,
                                  const char    *clinician_id)
{
  g_autoptr(SignpostClinician) clinician = NULL;
  const char *title;
  g_autofree char *name = NULL;

  if (cache == NULL || clinician_id == NULL)
    return NULL;
  clinician = signpost_cache_get_record (cache, SIGNPOST_RECORD_CLINICIAN, clinician_id, NULL);
  if (clinician == NULL)
    return NULL;
  title = signpost_clinician_get_title (clinician);
  name = g_strdup_printf ("%s%s%s %s", title ? title : "", title ? " " : "",
                          signpost_clinician_get_given_name (clinician),
                          signpost_clinician_get_family_name (clinician));
  /* Translators: a clinician and their profession, "Dr Amir Shah (GP)" */
  return g_strdup_printf (_("%s (%s)"), name,
                          signpost_triage_format_profession (signpost_clinician_get_profession (clinician)));
}

char *
signpost_triage_format_route (SignpostCache *cache,
                              SignpostRoute *route)
{
  const char *nick;
  int value;

  if (route == NULL)
    return g_strdup (_("Not routed yet"));
  switch (signpost_route_get_kind (route))
    {
    case SIGNPOST_ROUTE_CLINICIAN:
      {
        char *name = signpost_triage_format_clinician (cache, signpost_route_get_clinician_id (route));
        return name ? name : g_strdup (_("A named clinician"));
      }
    case SIGNPOST_ROUTE_PROFESSION:
      nick = signpost_route_get_profession (route);
      if (nick != NULL && signpost_enum_from_nick (SIGNPOST_TYPE_PROFESSION, nick, &value))
        return g_strdup (signpost_triage_format_profession (value));
      return g_strdup (_("Another clinician"));
    case SIGNPOST_ROUTE_SIGNPOST:
      nick = signpost_route_get_signpost (route);
      if (nick != NULL && signpost_enum_from_nick (SIGNPOST_TYPE_SIGNPOST, nick, &value))
        return g_strdup (signpost_triage_format_signpost (value));
      return g_strdup (_("Outside the practice"));
    case SIGNPOST_ROUTE_DUTY:
    default:
      return g_strdup (_("Duty doctor"));
    }
}

char *
signpost_triage_format_user (SignpostCache *cache,
                             const char    *user_id)
{
  g_autoptr(SignpostUser) user = NULL;

  if (cache == NULL || user_id == NULL)
    return NULL;
  user = signpost_cache_get_record (cache, SIGNPOST_RECORD_USER, user_id, NULL);
  if (user == NULL || signpost_user_get_display_name (user) == NULL)
    return NULL;
  return g_strdup (signpost_user_get_display_name (user));
}

char *
signpost_triage_format_red_flags (SignpostTriage *triage)
{
  const char * const *keys = signpost_triage_get_red_flags (triage);
  GString *text = g_string_new (NULL);

  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      const SignpostRedFlag *flag = signpost_navigation_find_red_flag (keys[i]);

      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, flag ? signpost_red_flag_get_label (flag) : keys[i]);
    }
  return g_string_free (text, FALSE);
}
