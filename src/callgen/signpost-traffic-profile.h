/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Phones open 08:00 and close 18:30, practice time. */
#define SIGNPOST_TRAFFIC_OPEN_MINUTE  (8 * 60)
#define SIGNPOST_TRAFFIC_CLOSE_MINUTE (18 * 60 + 30)

typedef enum {
  SIGNPOST_TRAFFIC_DAY_CLOSED,
  SIGNPOST_TRAFFIC_DAY_MONDAY,
  SIGNPOST_TRAFFIC_DAY_MIDWEEK,
} SignpostTrafficDay;

/**
 * SignpostTrafficParams:
 * @monday_first_hour: calls in the first hour of a Monday per 10,000
 *   patients (DOMAIN.md: "more than 100")
 * @midweek_factor: Tuesday to Friday as a share of Monday
 * @share_mobile: callers ringing from a mobile on the practice's list
 * @share_landline: callers ringing from a household landline on the list
 * @share_unknown: callers from a number not on the list
 * @share_withheld: callers withholding their number (the four shares are
 *   normalised, so they need not add up to exactly 1)
 * @patience_median_s: median wait before a caller hangs up (lognormal)
 * @patience_sigma: the lognormal's σ (1.0: one in ten waits over 14 min)
 * @callback_threshold: callers ahead at which the callback is offered
 * @callback_accept: share of callers offered a callback who take it
 * @callback_offer_s: seconds into the wait at which it is offered
 * @rate_hold_min_s: shortest hold of a --rate call before it hangs up
 * @rate_hold_max_s: longest hold of a --rate call
 * @opening_burst: callers a Monday's 08:00 brings at once per 10,000
 *   patients, on top of the profile: they were ringing before the lines
 *   opened and all get through in the first @opening_burst_s seconds
 *   (0, the default, for none; midweek days get @midweek_factor of it)
 * @opening_burst_s: how long that first rush lasts
 *
 * The knobs of the traffic model. signpost_traffic_params_init() fills in
 * the defaults that the command line uses.
 */
typedef struct {
  double monday_first_hour;
  double midweek_factor;
  double share_mobile;
  double share_landline;
  double share_unknown;
  double share_withheld;
  double patience_median_s;
  double patience_sigma;
  guint  callback_threshold;
  double callback_accept;
  double callback_offer_s;
  double rate_hold_min_s;
  double rate_hold_max_s;
  double opening_burst;
  double opening_burst_s;
} SignpostTrafficParams;

void               signpost_traffic_params_init      (SignpostTrafficParams       *params);

SignpostTrafficDay signpost_traffic_day_for_weekday  (GDateWeekday                 weekday);

double             signpost_traffic_profile_rate     (const SignpostTrafficParams *params,
                                                      SignpostTrafficDay           day,
                                                      double                       minute_of_day,
                                                      double                       patients);
double             signpost_traffic_profile_peak     (const SignpostTrafficParams *params,
                                                      SignpostTrafficDay           day,
                                                      double                       patients);
double             signpost_traffic_profile_expected (const SignpostTrafficParams *params,
                                                      SignpostTrafficDay           day,
                                                      double                       from_minute,
                                                      double                       to_minute,
                                                      double                       patients);

G_END_DECLS
