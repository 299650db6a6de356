/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-diary-format.h"

const char *
signpost_slot_mode_label (SignpostSlotMode mode)
{
  switch (mode)
    {
    case SIGNPOST_SLOT_MODE_TELEPHONE:
      return _("Telephone");
    case SIGNPOST_SLOT_MODE_VIDEO:
      return _("Video");
    case SIGNPOST_SLOT_MODE_HOME_VISIT:
      return _("Home visit");
    case SIGNPOST_SLOT_MODE_FACE_TO_FACE:
    default:
      return _("Face to face");
    }
}

const char *
signpost_slot_mode_icon_name (SignpostSlotMode mode)
{
  switch (mode)
    {
    case SIGNPOST_SLOT_MODE_TELEPHONE:
      return "call-start-symbolic";
    case SIGNPOST_SLOT_MODE_VIDEO:
      return "camera-video-symbolic";
    case SIGNPOST_SLOT_MODE_HOME_VISIT:
      return "go-home-symbolic";
    case SIGNPOST_SLOT_MODE_FACE_TO_FACE:
    default:
      return "avatar-default-symbolic";
    }
}

const char *
signpost_profession_label (SignpostProfession profession)
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
      return _("Social prescriber");
    default:
      return _("Clinician");
    }
}

const char *
signpost_appointment_status_label (SignpostAppointmentStatus status)
{
  switch (status)
    {
    case SIGNPOST_APPOINTMENT_ARRIVED:
      return _("Arrived");
    case SIGNPOST_APPOINTMENT_SEEN:
      return _("Seen");
    case SIGNPOST_APPOINTMENT_DID_NOT_ATTEND:
      return _("Did not attend");
    case SIGNPOST_APPOINTMENT_CANCELLED:
      return _("Cancelled");
    case SIGNPOST_APPOINTMENT_BOOKED:
    default:
      return _("Booked");
    }
}

char *
signpost_clinician_format_name (SignpostClinician *clinician)
{
  const char *title, *given, *family;

  if (clinician == NULL)
    return g_strdup (_("Unknown clinician"));
  title = signpost_clinician_get_title (clinician);
  given = signpost_clinician_get_given_name (clinician);
  family = signpost_clinician_get_family_name (clinician);
  if (title != NULL && *title != '\0')
    /* Translators: a clinician's title, given and family name: "Dr Asha Patel" */
    return g_strdup_printf (C_("clinician name", "%s %s %s"), title, given ? given : "", family ? family : "");
  /* Translators: a clinician's given and family name: "Cara Nowak" */
  return g_strdup_printf (C_("clinician name", "%s %s"), given ? given : "", family ? family : "");
}

gboolean
signpost_clinician_is_on_duty (SignpostClinician *clinician,
                               GDateTime         *from,
                               GDateTime         *to)
{
  GListModel *duty;

  if (clinician == NULL || (duty = signpost_clinician_get_duty (clinician)) == NULL)
    return FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (duty); i++)
    {
      g_autoptr(SignpostDutyPeriod) period = g_list_model_get_item (duty, i);
      GDateTime *start = signpost_duty_period_get_start (period);
      GDateTime *end = signpost_duty_period_get_end (period);

      if (start != NULL && end != NULL &&
          g_date_time_compare (start, to) < 0 && g_date_time_compare (end, from) > 0)
        return TRUE;
    }
  return FALSE;
}

char *
signpost_slot_format_embargo (SignpostSlot *slot,
                              GTimeZone    *tz)
{
  GDateTime *release = signpost_slot_get_release_at (slot);
  g_autofree char *time = NULL;
  GDate release_day, slot_day;

  if (release == NULL)
    return NULL;
  time = signpost_format_local (release, tz, "%H:%M");
  signpost_local_date (release, tz, &release_day);
  signpost_local_date (signpost_slot_get_start (slot), tz, &slot_day);
  if (g_date_compare (&release_day, &slot_day) == 0)
    /* Translators: the slot can be booked from this time on the day: "Embargoed until 08:00" */
    return g_strdup_printf (_("Embargoed until %s"), time);
  {
    g_autofree char *day = signpost_format_local (release, tz, "%a %-d %b");
    /* Translators: "Embargoed until 08:00 on Tue 24 Nov" */
    return g_strdup_printf (_("Embargoed until %s on %s"), time, g_strstrip (day));
  }
}

char *
signpost_slot_format_status (SignpostSlot             *slot,
                             const SignpostSlotBooker *booker,
                             GTimeZone                *tz)
{
  switch (signpost_slot_get_status (slot))
    {
    case SIGNPOST_SLOT_BOOKED:
      return g_strdup (_("Booked"));
    case SIGNPOST_SLOT_BLOCKED:
      return g_strdup (_("Blocked"));
    case SIGNPOST_SLOT_FREE:
    default:
      break;
    }
  /* A free slot: its appointment, if any, shows as booked above. */
  switch (signpost_slot_check_bookable (slot, NULL, booker))
    {
    case SIGNPOST_SLOT_EMBARGOED:
      return signpost_slot_format_embargo (slot, tz);
    case SIGNPOST_SLOT_PRACTICE_ONLY:
      return g_strdup (_("Practice only"));
    case SIGNPOST_SLOT_STARTED:
      return g_strdup (_("Free (time passed)"));
    case SIGNPOST_SLOT_BOOKABLE:
    case SIGNPOST_SLOT_NOT_FREE:
    default:
      return g_strdup (_("Free"));
    }
}

char *
signpost_slot_format_when (SignpostSlot *slot,
                           GTimeZone    *tz)
{
  g_autofree char *day = signpost_format_local (signpost_slot_get_start (slot), tz, "%a %-d %b");
  g_autofree char *time = signpost_format_local (signpost_slot_get_start (slot), tz, "%H:%M");

  /* Translators: a slot's day and time: "Mon 23 Nov, 09:10" */
  return g_strdup_printf (_("%s, %s"), g_strstrip (day), time);
}

char *
signpost_slot_describe (SignpostSlot      *slot,
                        SignpostClinician *clinician,
                        GTimeZone         *tz)
{
  g_autofree char *when = signpost_slot_format_when (slot, tz);
  g_autofree char *name = signpost_clinician_format_name (clinician);
  g_autofree char *mode = g_utf8_strdown (signpost_slot_mode_label (signpost_slot_get_mode (slot)), -1);

  if (clinician != NULL)
    /* Translators: "Mon 23 Nov, 09:10, Dr Asha Patel (GP), telephone" */
    return g_strdup_printf (_("%s, %s (%s), %s"), when, name,
                            signpost_profession_label (signpost_clinician_get_profession (clinician)), mode);
  /* Translators: "Mon 23 Nov, 09:10, Unknown clinician, telephone" */
  return g_strdup_printf (_("%s, %s, %s"), when, name, mode);
}

GTimeZone *
signpost_practice_time_zone (SignpostCache *cache,
                             const char    *practice_id)
{
  g_autoptr(SignpostPractice) practice = NULL;
  GTimeZone *tz = NULL;

  if (cache != NULL && practice_id != NULL)
    practice = signpost_cache_get_record (cache, SIGNPOST_RECORD_PRACTICE, practice_id, NULL);
  if (practice != NULL)
    tz = signpost_time_zone_new (signpost_practice_get_time_zone (practice), NULL);
  if (tz == NULL)
    tz = signpost_time_zone_new (SIGNPOST_DEFAULT_TIME_ZONE, NULL);
  if (tz == NULL)
    tz = g_time_zone_new_utc ();
  return tz;
}
