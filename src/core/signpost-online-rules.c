/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-core"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "signpost-enum-types.h"
#include "signpost-online-rules.h"
#include "signpost-opening-hours.h"
#include "signpost-time.h"

/* ---- bank holidays --------------------------------------------------------
 *
 * England and Wales, from the Banking and Financial Dealings Act 1971 and
 * the royal proclamations since: New Year's Day (from 1974), Good Friday,
 * Easter Monday, the early May bank holiday (the first Monday of May, from
 * 1978), the spring bank holiday (the last Monday of May), the summer bank
 * holiday (the last Monday of August), Christmas Day and Boxing Day. A
 * fixed holiday on a Saturday or Sunday is replaced by the next weekday
 * that is not already a holiday. One-off changes by proclamation are in
 * the table below; a future one is not known until it is proclaimed, and
 * a practice adds it to its closed dates meanwhile.
 */

typedef struct {
  int year, month, day;
  const char *name;       /* NULL: the date is no longer a holiday */
} OneOff;

static const OneOff one_offs[] = {
  /* VE Day's 50th anniversary moved the early May bank holiday. */
  { 1995, 5, 1, NULL }, { 1995, 5, 8, N_("Early May bank holiday (VE Day)") },
  { 1999, 12, 31, N_("Millennium Day") },
  { 2002, 5, 27, NULL }, { 2002, 6, 3, N_("Golden Jubilee bank holiday") },
  { 2002, 6, 4, N_("Spring bank holiday") },
  { 2011, 4, 29, N_("Royal wedding bank holiday") },
  { 2012, 5, 28, NULL }, { 2012, 6, 4, N_("Spring bank holiday") },
  { 2012, 6, 5, N_("Diamond Jubilee bank holiday") },
  { 2020, 5, 4, NULL }, { 2020, 5, 8, N_("Early May bank holiday (VE Day)") },
  { 2022, 5, 30, NULL }, { 2022, 6, 2, N_("Spring bank holiday") },
  { 2022, 6, 3, N_("Platinum Jubilee bank holiday") },
  { 2022, 9, 19, N_("Bank holiday for the State Funeral of Queen Elizabeth II") },
  { 2023, 5, 8, N_("Bank holiday for the coronation of King Charles III") },
};

void
signpost_easter_sunday (int    year,
                        GDate *date)
{
  /* The anonymous Gregorian algorithm (Meeus, Jones, Butcher). */
  int a = year % 19, b = year / 100, c = year % 100;
  int d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
  int h = (19 * a + b - d - g + 15) % 30;
  int i = c / 4, k = c % 4;
  int l = (32 + 2 * e + 2 * i - h - k) % 7;
  int m = (a + 11 * h + 22 * l) / 451;
  int month = (h + l - 7 * m + 114) / 31;
  int day = (h + l - 7 * m + 114) % 31 + 1;

  g_date_clear (date, 1);
  g_date_set_dmy (date, day, month, year);
}

static gboolean
is_weekend (const GDate *date)
{
  GDateWeekday weekday = g_date_get_weekday (date);

  return weekday == G_DATE_SATURDAY || weekday == G_DATE_SUNDAY;
}

/* The nth (1-based) Monday of @month, or the last when @nth is 0. */
static int
monday_of (int year,
           int month,
           int nth)
{
  GDate date;

  g_date_clear (&date, 1);
  if (nth > 0)
    {
      g_date_set_dmy (&date, 1, month, year);
      while (g_date_get_weekday (&date) != G_DATE_MONDAY)
        g_date_add_days (&date, 1);
      g_date_add_days (&date, 7 * (nth - 1));
    }
  else
    {
      g_date_set_dmy (&date, g_date_get_days_in_month (month, year), month, year);
      while (g_date_get_weekday (&date) != G_DATE_MONDAY)
        g_date_subtract_days (&date, 1);
    }
  return g_date_get_day (&date);
}

/* The rules without the one-off changes. */
static const char *
regular_holiday (int year,
                 int month,
                 int day)
{
  GDate date, easter;
  GDateWeekday weekday;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, day, month, year);
  weekday = g_date_get_weekday (&date);

  signpost_easter_sunday (year, &easter);
  {
    int offset = (int) g_date_get_julian (&date) - (int) g_date_get_julian (&easter);

    if (offset == -2)
      return _("Good Friday");
    if (offset == 1)
      return _("Easter Monday");
  }

  if (month == 1 && year >= 1974)
    {
      /* New Year's Day, or the Monday after it when it falls at a weekend. */
      if (day == 1 && !is_weekend (&date))
        return _("New Year’s Day");
      if (weekday == G_DATE_MONDAY && (day == 2 || day == 3))
        return _("New Year’s Day (substitute day)");
    }
  if (month == 5)
    {
      if (year >= 1978 && day == monday_of (year, 5, 1))
        return _("Early May bank holiday");
      if (day == monday_of (year, 5, 0))
        return _("Spring bank holiday");
    }
  if (month == 8 && day == monday_of (year, 8, 0))
    return _("Summer bank holiday");
  if (month == 12)
    {
      GDate christmas;
      GDateWeekday xmas;

      g_date_clear (&christmas, 1);
      g_date_set_dmy (&christmas, 25, 12, year);
      xmas = g_date_get_weekday (&christmas);
      if (day == 25 && !is_weekend (&date))
        return _("Christmas Day");
      if (day == 26 && !is_weekend (&date))
        return _("Boxing Day");
      /* Christmas on a Saturday: Monday 27th and Tuesday 28th. On a
       * Sunday: Boxing Day is Monday 26th, Christmas moves to Tuesday
       * 27th. On a Friday: Boxing Day (Saturday) moves to Monday 28th. */
      if (xmas == G_DATE_SATURDAY && day == 27)
        return _("Christmas Day (substitute day)");
      if (xmas == G_DATE_SATURDAY && day == 28)
        return _("Boxing Day (substitute day)");
      if (xmas == G_DATE_SUNDAY && day == 27)
        return _("Christmas Day (substitute day)");
      if (xmas == G_DATE_FRIDAY && day == 28)
        return _("Boxing Day (substitute day)");
    }
  return NULL;
}

const char *
signpost_bank_holiday_name (const GDate *date)
{
  int year, month, day;

  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  year = g_date_get_year (date);
  month = g_date_get_month (date);
  day = g_date_get_day (date);
  for (guint i = 0; i < G_N_ELEMENTS (one_offs); i++)
    if (one_offs[i].year == year && one_offs[i].month == month && one_offs[i].day == day)
      return one_offs[i].name != NULL ? _(one_offs[i].name) : NULL;
  return regular_holiday (year, month, day);
}

gboolean
signpost_is_bank_holiday (const GDate *date)
{
  return signpost_bank_holiday_name (date) != NULL;
}

gboolean
signpost_is_working_day (const GDate *date)
{
  g_return_val_if_fail (date != NULL && g_date_valid (date), FALSE);

  return !is_weekend (date) && !signpost_is_bank_holiday (date);
}

void
signpost_next_working_day (const GDate *date,
                           GDate       *next)
{
  *next = *date;
  do
    g_date_add_days (next, 1);
  while (!signpost_is_working_day (next));
}

static int
local_minutes (GDateTime *instant,
               GTimeZone *tz)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (instant, tz);

  return g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local);
}

/* @minutes after local midnight of @date, as a UTC instant; 24:00 is the
 * next day's midnight. */
static GDateTime *
local_instant (const GDate *date,
               int          minutes,
               GTimeZone   *tz)
{
  GDate day = *date;

  if (minutes >= 24 * 60)
    {
      g_date_add_days (&day, 1);
      minutes -= 24 * 60;
    }
  return signpost_local_time_to_utc (&day, minutes / 60, minutes % 60, tz);
}

GDateTime *
signpost_respond_by (GDateTime *received,
                     GTimeZone *tz)
{
  GDate day, due;

  g_return_val_if_fail (received != NULL && tz != NULL, NULL);

  signpost_local_date (received, tz, &day);
  if (!signpost_is_working_day (&day) || local_minutes (received, tz) >= SIGNPOST_CORE_HOURS_CLOSE)
    signpost_next_working_day (&day, &day);
  signpost_next_working_day (&day, &due);
  return local_instant (&due, SIGNPOST_CORE_HOURS_CLOSE, tz);
}

gboolean
signpost_triage_status_has_outcome (SignpostTriageStatus status)
{
  switch (status)
    {
    case SIGNPOST_TRIAGE_REVIEWED:
    case SIGNPOST_TRIAGE_BOOKED:
    case SIGNPOST_TRIAGE_SIGNPOSTED:
    case SIGNPOST_TRIAGE_CLOSED:
      return TRUE;
    case SIGNPOST_TRIAGE_OPEN:
    case SIGNPOST_TRIAGE_AWAITING_DUTY:
    default:
      return FALSE;
    }
}

/* ---- opening hours ------------------------------------------------------- */

GTimeZone *
signpost_online_practice_time_zone (SignpostPractice *practice)
{
  GTimeZone *tz = signpost_time_zone_new (signpost_practice_get_time_zone (practice), NULL);

  return tz != NULL ? tz : signpost_time_zone_new (SIGNPOST_DEFAULT_TIME_ZONE, NULL);
}

GPtrArray *
signpost_online_hours (SignpostPractice *practice)
{
  GListModel *hours = signpost_practice_get_online_hours (practice);
  GPtrArray *result = g_ptr_array_new_with_free_func (g_object_unref);

  /* An empty list is the default too: it cannot be told from none on
   * the wire. A practice closes its form with the pause. */
  if (hours != NULL && g_list_model_get_n_items (hours) > 0)
    {
      for (guint i = 0; i < g_list_model_get_n_items (hours); i++)
        g_ptr_array_add (result, g_list_model_get_item (hours, i));
      return result;
    }
  for (int day = SIGNPOST_WEEKDAY_MONDAY; day <= SIGNPOST_WEEKDAY_FRIDAY; day++)
    {
      SignpostOpeningHours *window = signpost_opening_hours_new ();

      signpost_opening_hours_set_day (window, day);
      signpost_opening_hours_set_opens (window, "08:00");
      signpost_opening_hours_set_closes (window, "18:30");
      g_ptr_array_add (result, window);
    }
  return result;
}

static SignpostWeekday
weekday_of (const GDate *date)
{
  return (SignpostWeekday) (g_date_get_weekday (date) - G_DATE_MONDAY);
}

/* Why the form is shut all of @date, or OPEN when the hours decide. */
static SignpostOnlineStatus
day_closure (SignpostPractice *practice,
             const GDate      *date)
{
  g_autofree char *text = signpost_date_format (date);
  const char * const *closed = signpost_practice_get_online_closed_dates (practice);

  if (closed != NULL && g_strv_contains (closed, text))
    return SIGNPOST_ONLINE_CLOSED_DATE;
  if (!signpost_practice_get_online_open_bank_holidays (practice) && signpost_is_bank_holiday (date))
    return SIGNPOST_ONLINE_CLOSED_BANK_HOLIDAY;
  return SIGNPOST_ONLINE_OPEN;
}

typedef struct {
  int opens, closes;
} Window;

static int
compare_windows (gconstpointer a,
                 gconstpointer b)
{
  const Window *x = a, *y = b;

  return x->opens - y->opens;
}

/* The day's windows in local minutes, sorted, overlapping ones merged. */
static GArray *
day_windows (GPtrArray   *hours,
             const GDate *date)
{
  GArray *windows = g_array_new (FALSE, FALSE, sizeof (Window));
  SignpostWeekday weekday = weekday_of (date);
  guint out = 0;

  for (guint i = 0; i < hours->len; i++)
    {
      SignpostOpeningHours *entry = g_ptr_array_index (hours, i);
      Window window;

      if (signpost_opening_hours_get_day (entry) != weekday ||
          !signpost_time_of_day_parse (signpost_opening_hours_get_opens (entry), &window.opens) ||
          !signpost_time_of_day_parse (signpost_opening_hours_get_closes (entry), &window.closes) ||
          window.closes <= window.opens)
        continue;
      g_array_append_val (windows, window);
    }
  g_array_sort (windows, compare_windows);
  for (guint i = 0; i < windows->len; i++)
    {
      Window *w = &g_array_index (windows, Window, i);

      if (out > 0 && w->opens <= g_array_index (windows, Window, out - 1).closes)
        {
          Window *last = &g_array_index (windows, Window, out - 1);

          last->closes = MAX (last->closes, w->closes);
          continue;
        }
      g_array_index (windows, Window, out++) = *w;
    }
  g_array_set_size (windows, out);
  return windows;
}

/* Walks the openings from the local day of @from for a year: the first
 * that has not ended by @from. Sets @start and @end (UTC). */
static gboolean
find_opening (SignpostPractice  *practice,
              GPtrArray         *hours,
              GTimeZone         *tz,
              GDateTime         *from,
              GDateTime        **start,
              GDateTime        **end)
{
  GDate date;

  signpost_local_date (from, tz, &date);
  for (int n = 0; n < 370; n++, g_date_add_days (&date, 1))
    {
      g_autoptr(GArray) windows = NULL;

      if (day_closure (practice, &date) != SIGNPOST_ONLINE_OPEN)
        continue;
      windows = day_windows (hours, &date);
      for (guint i = 0; i < windows->len; i++)
        {
          Window *w = &g_array_index (windows, Window, i);
          g_autoptr(GDateTime) s = local_instant (&date, w->opens, tz);
          g_autoptr(GDateTime) e = local_instant (&date, w->closes, tz);

          if (s == NULL || e == NULL || g_date_time_compare (e, from) <= 0)
            continue;
          /* An opening that runs to midnight and on into the next day's
           * opening from 00:00 is one opening. */
          while (w->closes == 24 * 60)
            {
              GDate next = date;
              g_autoptr(GArray) more = NULL;

              g_date_add_days (&next, 1);
              if (day_closure (practice, &next) != SIGNPOST_ONLINE_OPEN)
                break;
              more = day_windows (hours, &next);
              if (more->len == 0 || g_array_index (more, Window, 0).opens != 0 ||
                  g_date_time_difference (e, s) > 8 * G_TIME_SPAN_DAY)
                break;
              g_date_time_unref (e);
              e = local_instant (&next, g_array_index (more, Window, 0).closes, tz);
              if (e == NULL || g_array_index (more, Window, 0).closes != 24 * 60)
                break;
              date = next;
            }
          *start = g_steal_pointer (&s);
          *end = g_steal_pointer (&e);
          return *end != NULL;
        }
    }
  return FALSE;
}

gboolean
signpost_online_is_open_at (SignpostPractice     *practice,
                            GDateTime            *instant,
                            SignpostOnlineStatus *why)
{
  g_autoptr(GTimeZone) tz = signpost_online_practice_time_zone (practice);
  g_autoptr(GPtrArray) hours = signpost_online_hours (practice);
  g_autoptr(GArray) windows = NULL;
  SignpostOnlineStatus closure;
  GDate date;
  int minutes;

  signpost_local_date (instant, tz, &date);
  closure = day_closure (practice, &date);
  if (closure != SIGNPOST_ONLINE_OPEN)
    {
      if (why != NULL)
        *why = closure;
      return FALSE;
    }
  minutes = local_minutes (instant, tz);
  windows = day_windows (hours, &date);
  for (guint i = 0; i < windows->len; i++)
    {
      Window *w = &g_array_index (windows, Window, i);

      if (minutes >= w->opens && minutes < w->closes)
        {
          if (why != NULL)
            *why = SIGNPOST_ONLINE_OPEN;
          return TRUE;
        }
    }
  if (why != NULL)
    *why = SIGNPOST_ONLINE_CLOSED_HOURS;
  return FALSE;
}

GDateTime *
signpost_online_next_opening (SignpostPractice *practice,
                              GDateTime        *after)
{
  g_autoptr(GTimeZone) tz = signpost_online_practice_time_zone (practice);
  g_autoptr(GPtrArray) hours = signpost_online_hours (practice);
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;

  if (!find_opening (practice, hours, tz, after, &start, &end))
    return NULL;
  return g_date_time_compare (start, after) > 0 ? g_steal_pointer (&start) : g_date_time_ref (after);
}

void
signpost_online_state_init (SignpostOnlineState *state,
                            SignpostPractice    *practice,
                            GDateTime           *now,
                            gint64               medical_today)
{
  g_autoptr(GTimeZone) tz = signpost_online_practice_time_zone (practice);
  g_autoptr(GPtrArray) hours = signpost_online_hours (practice);
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  gint64 limit = signpost_practice_get_online_medical_daily_limit (practice);
  SignpostOnlineStatus why = SIGNPOST_ONLINE_OPEN;
  GDate today;

  memset (state, 0, sizeof *state);
  signpost_local_date (now, tz, &today);

  if (signpost_online_is_open_at (practice, now, &why) &&
      find_opening (practice, hours, tz, now, &start, &end))
    {
      state->closes_at = g_steal_pointer (&end);
      if (limit > 0 && medical_today >= limit)
        {
          GDate tomorrow = today;
          g_autoptr(GDateTime) midnight = NULL;

          g_date_add_days (&tomorrow, 1);
          midnight = signpost_local_time_to_utc (&tomorrow, 0, 0, tz);
          state->medical_full = TRUE;
          state->opens_at = midnight ? signpost_online_next_opening (practice, midnight) : NULL;
        }
    }
  else
    {
      state->status = why;
      if (why == SIGNPOST_ONLINE_CLOSED_BANK_HOLIDAY)
        state->bank_holiday = signpost_bank_holiday_name (&today);
      state->opens_at = signpost_online_next_opening (practice, now);
    }
  if (signpost_practice_get_online_paused (practice))
    {
      /* Paused until the practice says otherwise: no opening to promise. */
      state->status = SIGNPOST_ONLINE_PAUSED;
      state->medical_full = FALSE;
      g_clear_pointer (&state->opens_at, g_date_time_unref);
      g_clear_pointer (&state->closes_at, g_date_time_unref);
      state->bank_holiday = NULL;
    }
}

void
signpost_online_state_clear (SignpostOnlineState *state)
{
  g_clear_pointer (&state->opens_at, g_date_time_unref);
  g_clear_pointer (&state->closes_at, g_date_time_unref);
}

GPtrArray *
signpost_online_core_hours_warnings (SignpostPractice *practice)
{
  g_autoptr(GPtrArray) hours = signpost_online_hours (practice);
  GPtrArray *warnings = g_ptr_array_new_with_free_func (g_free);
  static const char *day_names[] = {
    N_("Mondays"), N_("Tuesdays"), N_("Wednesdays"), N_("Thursdays"), N_("Fridays"),
  };
  gint64 limit = signpost_practice_get_online_medical_daily_limit (practice);

  if (signpost_practice_get_online_paused (practice))
    g_ptr_array_add (warnings, g_strdup (_("The form is paused: patients cannot send requests "
                                           "online until it is started again.")));
  for (int day = SIGNPOST_WEEKDAY_MONDAY; day <= SIGNPOST_WEEKDAY_FRIDAY; day++)
    {
      g_autoptr(GArray) windows = NULL;
      GDate date;
      int covered = SIGNPOST_CORE_HOURS_OPEN;

      /* Any date with this weekday will do: 1 January 2024 was a Monday. */
      g_date_clear (&date, 1);
      g_date_set_dmy (&date, 1 + day, 1, 2024);
      windows = day_windows (hours, &date);
      for (guint i = 0; i < windows->len; i++)
        {
          Window *w = &g_array_index (windows, Window, i);

          if (w->opens <= covered && w->closes > covered)
            covered = w->closes;
        }
      if (covered < SIGNPOST_CORE_HOURS_CLOSE)
        /* Translators: %s is a day of the week in the plural, "Mondays" */
        g_ptr_array_add (warnings, g_strdup_printf (_("On %s the form is not open all through "
                                                      "core hours (08:00 to 18:30)."),
                                                    _(day_names[day])));
    }
  if (limit > 0)
    g_ptr_array_add (warnings,
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "A limit of %" G_GINT64_FORMAT " medical request "
                                                "a day closes the form to medical requests once it "
                                                "is reached, which can be inside core hours.",
                                                "A limit of %" G_GINT64_FORMAT " medical requests "
                                                "a day closes the form to medical requests once it "
                                                "is reached, which can be inside core hours.",
                                                limit),
                                      limit));
  return warnings;
}

/* ---- identity ------------------------------------------------------------ */

char *
signpost_name_fold (const char *name)
{
  g_autofree char *decomposed = NULL;
  GString *out;

  if (name == NULL)
    return g_strdup ("");
  decomposed = g_utf8_normalize (name, -1, G_NORMALIZE_NFKD);
  if (decomposed == NULL)
    return g_strdup ("");
  out = g_string_new (NULL);
  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (type == G_UNICODE_NON_SPACING_MARK || type == G_UNICODE_SPACING_MARK ||
          type == G_UNICODE_ENCLOSING_MARK)
        continue;
      if (!g_unichar_isalnum (c))
        continue; /* spaces, hyphens, apostrophes of every kind, full stops */
      g_string_append_unichar (out, g_unichar_tolower (c));
    }
  return g_string_free (out, FALSE);
}

/* The NHS number route, then the name route: family name, date of birth
 * and postcode. */
static gboolean
strong_match (SignpostPatientDetails *details,
              SignpostPatient        *patient,
              gboolean                by_nhs_number)
{
  const char *nhs = signpost_patient_details_get_nhs_number (details);
  const char *postcode = signpost_patient_details_get_postcode (details);

  if (g_strcmp0 (signpost_patient_details_get_date_of_birth (details),
                 signpost_patient_get_date_of_birth (patient)) != 0)
    return FALSE;
  if (by_nhs_number)
    return nhs != NULL && g_strcmp0 (nhs, signpost_patient_get_nhs_number (patient)) == 0;
  if (postcode != NULL && g_strcmp0 (postcode, signpost_patient_get_postcode (patient)) == 0)
    {
      g_autofree char *a = signpost_name_fold (signpost_patient_details_get_family_name (details));
      g_autofree char *b = signpost_name_fold (signpost_patient_get_family_name (patient));

      return *a != '\0' && g_str_equal (a, b);
    }
  return FALSE;
}

SignpostPatient *
signpost_online_match_patient (SignpostPatientDetails *details,
                               GPtrArray              *candidates)
{
  g_return_val_if_fail (SIGNPOST_IS_PATIENT_DETAILS (details), NULL);

  /* An NHS number with the date of birth settles it; only when it finds
   * nobody does the name route get a say. */
  for (int route = 0; route < 2; route++)
    {
      SignpostPatient *found = NULL;
      guint n = 0;

      for (guint i = 0; candidates != NULL && i < candidates->len; i++)
        {
          SignpostPatient *patient = g_ptr_array_index (candidates, i);

          if (strong_match (details, patient, route == 0))
            {
              found = patient;
              n++;
            }
        }
      if (n == 1)
        return found;
      if (n > 1)
        return NULL; /* twins at one address: a navigator decides */
    }
  return NULL;
}

/* ---- references ------------------------------------------------------------ */

char *
signpost_online_reference_new (const guint32 random[5])
{
  static const char letters[] = "BCDFGHJKLMNPQRSTVWXZ";
  char text[9];

  for (int i = 0; i < 3; i++)
    text[i] = letters[random[i] % (sizeof letters - 1)];
  text[3] = '-';
  g_snprintf (text + 4, 5, "%04u", (random[3] ^ (random[4] << 7)) % 10000);
  return g_strdup (text);
}
