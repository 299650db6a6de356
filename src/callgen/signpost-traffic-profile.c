/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-callgen"

#include "config.h"

#include "signpost-traffic-profile.h"

/*
 * The shape of a practice's telephone day, in calls per 15 minutes per
 * 10,000 patients on a Monday whose first hour brings 100 calls: the
 * 08:00 scramble (the first quarter hour is the peak, as everyone redials
 * at once), a long taper through the morning, a small rise after lunch,
 * and a quiet end of the day to 18:30. About 310 calls a Monday.
 */
static const double monday_quarters[] = {
  40, 25, 20, 15,  /* 08:00 */
  12, 11, 10,  9,  /* 09:00 */
   8,  8,  7,  7,  /* 10:00 */
   7,  6,  6,  6,  /* 11:00 */
   5,  5,  5,  5,  /* 12:00 */
   6,  6,  5,  5,  /* 13:00 */
   5,  5,  5,  5,  /* 14:00 */
   5,  5,  4,  4,  /* 15:00 */
   4,  4,  4,  4,  /* 16:00 */
   3,  3,  3,  3,  /* 17:00 */
   2,  2,          /* 18:00 to 18:30 */
};

G_STATIC_ASSERT (G_N_ELEMENTS (monday_quarters) * 15 ==
                 SIGNPOST_TRAFFIC_CLOSE_MINUTE - SIGNPOST_TRAFFIC_OPEN_MINUTE);

/* The first hour of the table, which params->monday_first_hour scales. */
#define TABLE_FIRST_HOUR 100.0

void
signpost_traffic_params_init (SignpostTrafficParams *params)
{
  g_return_if_fail (params != NULL);

  *params = (SignpostTrafficParams) {
    .monday_first_hour = 100,
    .midweek_factor = 0.7,
    .share_mobile = 0.70,
    .share_landline = 0.12,
    .share_unknown = 0.10,
    .share_withheld = 0.08,
    .patience_median_s = 240,
    .patience_sigma = 1.0,
    .callback_threshold = 5,
    .callback_accept = 0.35,
    .callback_offer_s = 30,
    .rate_hold_min_s = 0.5,
    .rate_hold_max_s = 2,
    .opening_burst = 0,
    .opening_burst_s = 60,
  };
}

SignpostTrafficDay
signpost_traffic_day_for_weekday (GDateWeekday weekday)
{
  switch (weekday)
    {
    case G_DATE_MONDAY:
      return SIGNPOST_TRAFFIC_DAY_MONDAY;
    case G_DATE_TUESDAY:
    case G_DATE_WEDNESDAY:
    case G_DATE_THURSDAY:
    case G_DATE_FRIDAY:
      return SIGNPOST_TRAFFIC_DAY_MIDWEEK;
    case G_DATE_SATURDAY:
    case G_DATE_SUNDAY:
    case G_DATE_BAD_WEEKDAY:
    default:
      return SIGNPOST_TRAFFIC_DAY_CLOSED;
    }
}

static double
day_scale (const SignpostTrafficParams *params,
           SignpostTrafficDay           day,
           double                       patients)
{
  double scale = params->monday_first_hour / TABLE_FIRST_HOUR * patients / 10000.0;

  switch (day)
    {
    case SIGNPOST_TRAFFIC_DAY_MONDAY:
      return scale;
    case SIGNPOST_TRAFFIC_DAY_MIDWEEK:
      return scale * params->midweek_factor;
    case SIGNPOST_TRAFFIC_DAY_CLOSED:
    default:
      return 0.0;
    }
}

/* Calls per hour arriving at @minute_of_day (practice time). */
double
signpost_traffic_profile_rate (const SignpostTrafficParams *params,
                               SignpostTrafficDay           day,
                               double                       minute_of_day,
                               double                       patients)
{
  double offset = minute_of_day - SIGNPOST_TRAFFIC_OPEN_MINUTE;
  guint quarter;

  g_return_val_if_fail (params != NULL, 0.0);

  if (!(offset >= 0) || minute_of_day >= SIGNPOST_TRAFFIC_CLOSE_MINUTE || !(patients > 0))
    return 0.0;
  quarter = MIN ((guint) (offset / 15), G_N_ELEMENTS (monday_quarters) - 1);
  return monday_quarters[quarter] * 4 * day_scale (params, day, patients);
}

/* The highest rate of the day: the envelope for thinning. */
double
signpost_traffic_profile_peak (const SignpostTrafficParams *params,
                               SignpostTrafficDay           day,
                               double                       patients)
{
  double peak = 0;

  g_return_val_if_fail (params != NULL, 0.0);

  if (!(patients > 0))
    return 0.0;
  for (guint i = 0; i < G_N_ELEMENTS (monday_quarters); i++)
    peak = MAX (peak, monday_quarters[i]);
  return peak * 4 * day_scale (params, day, patients);
}

/* The expected number of calls between two minutes of the day: the
 * integral of the rate, for tests and for the progress report. */
double
signpost_traffic_profile_expected (const SignpostTrafficParams *params,
                                   SignpostTrafficDay           day,
                                   double                       from_minute,
                                   double                       to_minute,
                                   double                       patients)
{
  double total = 0;

  g_return_val_if_fail (params != NULL, 0.0);

  for (guint i = 0; i < G_N_ELEMENTS (monday_quarters); i++)
    {
      double start = SIGNPOST_TRAFFIC_OPEN_MINUTE + 15.0 * i;
      double lo = MAX (start, from_minute);
      double hi = MIN (start + 15.0, to_minute);

      if (hi > lo)
        total += signpost_traffic_profile_rate (params, day, start, patients) * (hi - lo) / 60.0;
    }
  return total;
}
