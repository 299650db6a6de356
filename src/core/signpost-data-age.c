/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "signpost-data-age.h"
#include "signpost-time.h"

char *
signpost_data_age_describe (GDateTime *current_at,
                            GDateTime *now,
                            GTimeZone *tz)
{
  g_autoptr(GDateTime) local_then = NULL;
  g_autoptr(GDateTime) local_now = NULL;
  GTimeSpan age;
  gint64 minutes;

  g_return_val_if_fail (now != NULL, NULL);
  g_return_val_if_fail (tz != NULL, NULL);

  if (current_at == NULL)
    return NULL;
  age = g_date_time_difference (now, current_at);
  if (age <= 60 * G_TIME_SPAN_SECOND)
    return NULL;
  minutes = age / G_TIME_SPAN_MINUTE;
  if (minutes < 60)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "last up to date %" G_GINT64_FORMAT " minute ago",
                                         "last up to date %" G_GINT64_FORMAT " minutes ago", minutes),
                            minutes);

  local_then = g_date_time_to_timezone (current_at, tz);
  local_now = g_date_time_to_timezone (now, tz);
  if (g_date_time_get_year (local_then) == g_date_time_get_year (local_now) &&
      g_date_time_get_day_of_year (local_then) == g_date_time_get_day_of_year (local_now))
    {
      g_autofree char *time = g_date_time_format (local_then, "%H:%M");

      /* Translators: how old the data is: "last up to date at 18:02" (today) */
      return g_strdup_printf (_("last up to date at %s"), time);
    }
  {
    /* Translators: strftime format of a day and time: "Fri 4 Dec at 18:02" */
    g_autofree char *when = g_date_time_format (local_then, _("%a %-d %b at %H:%M"));

    /* Translators: how old the data is: "last up to date on Fri 4 Dec at 18:02" */
    return g_strdup_printf (_("last up to date on %s"), when);
  }
}
