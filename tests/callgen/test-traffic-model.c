/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include "signpost-core.h"
#include "signpost-caller-pool.h"
#include "signpost-traffic-model.h"
#include "signpost-traffic-profile.h"

/*
 * The traffic model, without a server. Every test uses fixed seeds, so a
 * statistical check either always passes or always fails; tolerances are
 * several standard deviations of the aggregate, so that a change of the
 * random stream (another GLib) would not make them fail by chance either.
 */

#define PRACTICE "9b2f61a4-5d1e-4c7a-8e2b-0c3d4e5f6a7b"
#define LINE "+441174960000"
#define N_SEEDS 200

/* Only Ofcom drama numbers: 800 mobiles and 300 household landlines on the
 * list; the rest of the ranges are "unknown". */
static SignpostCallerPool *
make_pool (guint n_patients)
{
  SignpostCallerPool *pool = signpost_caller_pool_new ();

  signpost_caller_pool_add_patients (pool, PRACTICE, n_patients);
  for (guint i = 0; i < 800; i++)
    {
      g_autofree char *number = g_strdup_printf ("+447700900%03u", i);

      signpost_caller_pool_add_number (pool, PRACTICE, number, SIGNPOST_PHONE_KIND_MOBILE);
    }
  for (guint i = 0; i < 600; i++)
    {
      /* two patients a household */
      g_autofree char *number = g_strdup_printf ("+441632960%03u", i / 2);

      signpost_caller_pool_add_number (pool, PRACTICE, number, SIGNPOST_PHONE_KIND_HOME);
    }
  return pool;
}

static SignpostTrafficModel *
make_model (guint   n_patients,
            guint64 seed)
{
  g_autoptr(SignpostCallerPool) pool = make_pool (n_patients);
  g_autoptr(GTimeZone) tz = signpost_time_zone_new ("Europe/London", NULL);
  SignpostTrafficModel *model = signpost_traffic_model_new (pool, seed);

  signpost_traffic_model_add_line (model, PRACTICE, LINE, tz);
  return model;
}

static SignpostTrafficPlan *
plan_for (SignpostTrafficModel *model,
          int                   year,
          int                   month,
          int                   day)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, day, month, year);
  return signpost_traffic_model_plan_day (model, &date,
                                          signpost_traffic_day_for_weekday (g_date_get_weekday (&date)), 0);
}

/* Minutes since local midnight in London. */
static double
local_minute (gint64 at_us)
{
  g_autoptr(GTimeZone) tz = signpost_time_zone_new ("Europe/London", NULL);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (at_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, tz);

  return g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local) +
         (g_date_time_get_second (local) + (at_us % G_USEC_PER_SEC) / 1e6) / 60.0;
}

static gboolean
is_drama_number (const char *e164)
{
  static const char * const blocks[] = { "+447700900", "+441632960", "+441174960", "+442079460" };

  if (e164 == NULL || strlen (e164) != 13)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (blocks); i++)
    if (g_str_has_prefix (e164, blocks[i]))
      return TRUE;
  return FALSE;
}

static void
test_profile (void)
{
  SignpostTrafficParams params;
  double monday, tuesday;

  signpost_traffic_params_init (&params);

  g_assert_cmpfloat (signpost_traffic_profile_rate (&params, SIGNPOST_TRAFFIC_DAY_MONDAY, 7 * 60 + 59.9, 10000), ==, 0);
  g_assert_cmpfloat (signpost_traffic_profile_rate (&params, SIGNPOST_TRAFFIC_DAY_MONDAY, 18 * 60 + 30, 10000), ==, 0);
  g_assert_cmpfloat (signpost_traffic_profile_rate (&params, SIGNPOST_TRAFFIC_DAY_CLOSED, 9 * 60, 10000), ==, 0);
  g_assert_cmpfloat (signpost_traffic_profile_rate (&params, SIGNPOST_TRAFFIC_DAY_MONDAY, 9 * 60, 0), ==, 0);

  /* 100 calls in the first hour of a Monday per 10,000 patients */
  g_assert_cmpfloat_with_epsilon (signpost_traffic_profile_expected (&params, SIGNPOST_TRAFFIC_DAY_MONDAY,
                                                                     8 * 60, 9 * 60, 10000), 100, 1e-9);
  g_assert_cmpfloat_with_epsilon (signpost_traffic_profile_expected (&params, SIGNPOST_TRAFFIC_DAY_MONDAY,
                                                                     8 * 60, 9 * 60, 5000), 50, 1e-9);

  /* the peak is the first quarter hour, and the rate never rises above it */
  g_assert_cmpfloat (signpost_traffic_profile_rate (&params, SIGNPOST_TRAFFIC_DAY_MONDAY, 8 * 60, 10000), ==,
                     signpost_traffic_profile_peak (&params, SIGNPOST_TRAFFIC_DAY_MONDAY, 10000));
  for (double m = 8 * 60 + 15; m < 18 * 60 + 30; m += 1)
    g_assert_cmpfloat (signpost_traffic_profile_rate (&params, SIGNPOST_TRAFFIC_DAY_MONDAY, m, 10000), <,
                       signpost_traffic_profile_peak (&params, SIGNPOST_TRAFFIC_DAY_MONDAY, 10000));
  /* tapering: the afternoon is quieter than the morning */
  g_assert_cmpfloat (signpost_traffic_profile_expected (&params, SIGNPOST_TRAFFIC_DAY_MONDAY, 9 * 60, 10 * 60, 10000), >,
                     signpost_traffic_profile_expected (&params, SIGNPOST_TRAFFIC_DAY_MONDAY, 17 * 60, 18 * 60, 10000));

  monday = signpost_traffic_profile_expected (&params, SIGNPOST_TRAFFIC_DAY_MONDAY, 0, 24 * 60, 10000);
  tuesday = signpost_traffic_profile_expected (&params, SIGNPOST_TRAFFIC_DAY_MIDWEEK, 0, 24 * 60, 10000);
  g_assert_cmpfloat_with_epsilon (tuesday / monday, 0.7, 1e-9);
  g_test_message ("a Monday for 10,000 patients: %.0f calls expected", monday);

  g_assert_cmpint (signpost_traffic_day_for_weekday (G_DATE_MONDAY), ==, SIGNPOST_TRAFFIC_DAY_MONDAY);
  g_assert_cmpint (signpost_traffic_day_for_weekday (G_DATE_FRIDAY), ==, SIGNPOST_TRAFFIC_DAY_MIDWEEK);
  g_assert_cmpint (signpost_traffic_day_for_weekday (G_DATE_SATURDAY), ==, SIGNPOST_TRAFFIC_DAY_CLOSED);
  g_assert_cmpint (signpost_traffic_day_for_weekday (G_DATE_SUNDAY), ==, SIGNPOST_TRAFFIC_DAY_CLOSED);
}

/* Count offered calls per quarter hour of a day, over many seeds. */
static guint
count_day (int     year,
           int     month,
           int     day,
           guint   n_patients,
           guint   n_seeds,
           guint  *first_hour,
           guint  *quarters) /* 42 */
{
  guint total = 0;
  GDate date;
  gboolean monday_10k;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, day, month, year);
  monday_10k = n_patients == 10000 && g_date_get_weekday (&date) == G_DATE_MONDAY;
  *first_hour = 0;
  for (guint seed = 1; seed <= n_seeds; seed++)
    {
      g_autoptr(SignpostTrafficModel) model = make_model (n_patients, seed);
      g_autoptr(SignpostTrafficPlan) plan = plan_for (model, year, month, day);
      guint hour = 0;

      for (guint i = 0; i < plan->calls->len; i++)
        {
          double m = local_minute (g_array_index (plan->calls, SignpostTrafficCall, i).offered_us);

          g_assert_cmpfloat (m, >=, 8 * 60);
          g_assert_cmpfloat (m, <, 18 * 60 + 30);
          if (m < 9 * 60)
            hour++;
          if (quarters != NULL)
            quarters[(guint) ((m - 8 * 60) / 15)]++;
        }
      /* a Monday for 10,000: one seed is Poisson(100), σ = 10; 5σ either way */
      if (monday_10k)
        {
          g_assert_cmpuint (hour, >=, 50);
          g_assert_cmpuint (hour, <=, 150);
        }
      *first_hour += hour;
      total += plan->calls->len;
      g_assert_cmpuint (plan->n_offered, ==, plan->calls->len);
    }
  return total;
}

static void
test_monday_first_hour (void)
{
  guint quarters[42] = { 0, };
  guint first_hour, total;
  double mean;

  total = count_day (2026, 11, 23, 10000, N_SEEDS, &first_hour, quarters);

  /* the mean of 200 Poisson(100) counts has σ ≈ 0.71 */
  mean = first_hour / (double) N_SEEDS;
  g_test_message ("Monday 08:00–09:00, 10,000 patients: %.2f calls on average over %u seeds", mean, N_SEEDS);
  g_assert_cmpfloat (mean, >, 96.5);
  g_assert_cmpfloat (mean, <, 103.5);

  /* the first quarter hour is the busiest: 40 expected, the next 25 */
  g_assert_cmpfloat (quarters[0] / (double) N_SEEDS, >, 37);
  g_assert_cmpfloat (quarters[0] / (double) N_SEEDS, <, 43);
  for (guint q = 1; q < G_N_ELEMENTS (quarters); q++)
    g_assert_cmpuint (quarters[q], <, quarters[0]);

  /* the whole day: about 309 expected (σ of the mean ≈ 1.2) */
  g_test_message ("a whole Monday: %.1f calls on average", total / (double) N_SEEDS);
  g_assert_cmpfloat (total / (double) N_SEEDS, >, 302);
  g_assert_cmpfloat (total / (double) N_SEEDS, <, 316);
}

/* Arrivals in the first @seconds after 08:00 on @day, over N_SEEDS seeds. */
static guint
count_opening (int     day,
               double  burst,
               double  seconds,
               gint64  from_us)
{
  guint n = 0;
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, day, 11, 2026);
  for (guint seed = 1; seed <= N_SEEDS; seed++)
    {
      g_autoptr(SignpostTrafficModel) model = make_model (10000, seed);
      g_autoptr(SignpostTrafficPlan) plan = NULL;

      signpost_traffic_model_get_params (model)->opening_burst = burst;
      plan = signpost_traffic_model_plan_day (model, &date,
                                              signpost_traffic_day_for_weekday (g_date_get_weekday (&date)),
                                              from_us);
      for (guint i = 0; i < plan->calls->len; i++)
        {
          double m = local_minute (g_array_index (plan->calls, SignpostTrafficCall, i).offered_us);

          g_assert_cmpfloat (m, >=, 8 * 60);
          if (m < 8 * 60 + seconds / 60.0)
            n++;
        }
    }
  return n;
}

static void
test_opening_burst (void)
{
  g_autoptr(GTimeZone) tz = signpost_time_zone_new ("Europe/London", NULL);
  g_autoptr(GDateTime) nine = g_date_time_new (tz, 2026, 11, 23, 9, 0, 0);
  double without, with, tuesday, joined;

  /* Without it, a Monday's first minute brings 40/15 ≈ 2.7 callers for
   * 10,000 patients; with 20 more already ringing, about 22.7 (the mean of
   * 200 Poisson counts: σ ≈ 0.34), all within the burst's minute. */
  without = count_opening (23, 0, 60, 0) / (double) N_SEEDS;
  with = count_opening (23, 20, 60, 0) / (double) N_SEEDS;
  g_test_message ("first minute of a Monday: %.2f callers, %.2f with the opening burst", without, with);
  g_assert_cmpfloat (without, <, 4);
  g_assert_cmpfloat (with, >, 21);
  g_assert_cmpfloat (with, <, 24.3);

  /* Nobody of the burst comes after its minute: the next minute is the
   * profile alone. */
  g_assert_cmpfloat ((count_opening (23, 20, 120, 0) - count_opening (23, 20, 60, 0)) / (double) N_SEEDS,
                     <, 4);

  /* Midweek, 70 % of it: 14 + 1.9 */
  tuesday = count_opening (24, 20, 60, 0) / (double) N_SEEDS;
  g_assert_cmpfloat (tuesday, >, 14.5);
  g_assert_cmpfloat (tuesday, <, 17.3);

  /* Joining a day already under way: the lines opened long ago. */
  joined = count_opening (23, 20, 24 * 60 * 60, g_date_time_to_unix (nine) * G_USEC_PER_SEC) / (double) N_SEEDS;
  g_assert_cmpfloat (joined, >, 200);
  g_assert_cmpuint (count_opening (23, 20, 60 * 60, g_date_time_to_unix (nine) * G_USEC_PER_SEC), ==, 0);
}

static void
test_scales_with_list_size (void)
{
  guint first_hour;

  count_day (2026, 11, 23, 2500, 100, &first_hour, NULL);
  /* 25 expected a seed; the mean of 100 has σ = 0.5 */
  g_assert_cmpfloat (first_hour / 100.0, >, 23);
  g_assert_cmpfloat (first_hour / 100.0, <, 27);
}

static void
test_tuesday_quieter (void)
{
  guint monday_hour, tuesday_hour, monday, tuesday;
  double ratio;

  monday = count_day (2026, 11, 23, 10000, 100, &monday_hour, NULL);
  tuesday = count_day (2026, 11, 24, 10000, 100, &tuesday_hour, NULL);
  ratio = tuesday / (double) monday;
  g_test_message ("Tuesday/Monday: %u/%u = %.3f", tuesday, monday, ratio);
  g_assert_cmpuint (tuesday, <, monday);
  g_assert_cmpuint (tuesday_hour, <, monday_hour);
  g_assert_cmpfloat (ratio, >, 0.65);
  g_assert_cmpfloat (ratio, <, 0.75);
}

static void
test_closed_days (void)
{
  for (guint seed = 1; seed <= 20; seed++)
    {
      g_autoptr(SignpostTrafficModel) model = make_model (10000, seed);
      g_autoptr(SignpostTrafficPlan) saturday = plan_for (model, 2026, 11, 28);
      g_autoptr(SignpostTrafficPlan) sunday = plan_for (model, 2026, 11, 29);

      g_assert_cmpuint (saturday->calls->len, ==, 0);
      g_assert_cmpuint (saturday->events->len, ==, 0);
      g_assert_cmpuint (sunday->calls->len, ==, 0);
    }
}

static void
test_no_calls_before_eight (void)
{
  guint first_hour;

  /* count_day asserts 08:00 ≤ offered < 18:30 in London time: in winter
   * (GMT), in summer (BST) and on the Monday after the clocks go back */
  count_day (2026, 11, 23, 10000, 30, &first_hour, NULL);
  count_day (2026, 6, 22, 10000, 30, &first_hour, NULL);
  count_day (2026, 10, 26, 10000, 30, &first_hour, NULL);
  count_day (2026, 3, 30, 10000, 30, &first_hour, NULL);
}

static void
test_joining_mid_day (void)
{
  g_autoptr(SignpostTrafficModel) model = make_model (10000, 7);
  g_autoptr(GTimeZone) tz = signpost_time_zone_new ("Europe/London", NULL);
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(SignpostTrafficPlan) plan = NULL;
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 23, 11, 2026);
  from = signpost_local_time_to_utc (&date, 14, 0, tz);
  plan = signpost_traffic_model_plan_day (model, &date, SIGNPOST_TRAFFIC_DAY_MONDAY,
                                          g_date_time_to_unix (from) * G_USEC_PER_SEC);
  g_assert_cmpuint (plan->calls->len, >, 20);
  for (guint i = 0; i < plan->calls->len; i++)
    g_assert_cmpfloat (local_minute (g_array_index (plan->calls, SignpostTrafficCall, i).offered_us), >=, 14 * 60);
}

static void
test_caller_shares (void)
{
  guint counts[SIGNPOST_CALLER_N_KINDS] = { 0, };
  guint total = 0;
  SignpostTrafficParams defaults;

  signpost_traffic_params_init (&defaults);

  for (guint seed = 1; seed <= 40; seed++)
    {
      g_autoptr(SignpostTrafficModel) model = make_model (10000, seed);
      g_autoptr(SignpostCallerPool) pool = make_pool (10000);
      g_autoptr(SignpostTrafficPlan) plan = plan_for (model, 2026, 11, 23);

      for (guint i = 0; i < plan->calls->len; i++)
        {
          SignpostTrafficCall *call = &g_array_index (plan->calls, SignpostTrafficCall, i);

          counts[call->caller]++;
          total++;
          g_assert_cmpstr (call->line, ==, LINE);
          g_assert_cmpstr (call->practice_id, ==, PRACTICE);
          if (call->caller == SIGNPOST_CALLER_WITHHELD)
            {
              g_assert_null (call->cli);
              continue;
            }
          g_assert_true (signpost_phone_is_e164 (call->cli));
          g_assert_true (is_drama_number (call->cli));
          switch (call->caller)
            {
            case SIGNPOST_CALLER_MOBILE:
              g_assert_true (g_str_has_prefix (call->cli, "+447700900"));
              g_assert_true (signpost_caller_pool_is_known (pool, call->cli));
              break;
            case SIGNPOST_CALLER_LANDLINE:
              g_assert_true (g_str_has_prefix (call->cli, "+441632960"));
              g_assert_true (signpost_caller_pool_is_known (pool, call->cli));
              break;
            case SIGNPOST_CALLER_UNKNOWN:
              g_assert_false (signpost_caller_pool_is_known (pool, call->cli));
              break;
            case SIGNPOST_CALLER_WITHHELD:
            default:
              g_assert_not_reached ();
            }
        }
    }

  /* about 12,000 calls: a share's σ is under 0.3 percentage points */
  g_test_message ("%u calls: %u mobile, %u landline, %u unknown, %u withheld", total,
                  counts[SIGNPOST_CALLER_MOBILE], counts[SIGNPOST_CALLER_LANDLINE],
                  counts[SIGNPOST_CALLER_UNKNOWN], counts[SIGNPOST_CALLER_WITHHELD]);
  g_assert_cmpuint (total, >, 10000);
  g_assert_cmpfloat_with_epsilon (counts[SIGNPOST_CALLER_MOBILE] / (double) total, defaults.share_mobile, 0.015);
  g_assert_cmpfloat_with_epsilon (counts[SIGNPOST_CALLER_LANDLINE] / (double) total, defaults.share_landline, 0.015);
  g_assert_cmpfloat_with_epsilon (counts[SIGNPOST_CALLER_UNKNOWN] / (double) total, defaults.share_unknown, 0.015);
  g_assert_cmpfloat_with_epsilon (counts[SIGNPOST_CALLER_WITHHELD] / (double) total, defaults.share_withheld, 0.015);
}

static void
test_configured_shares (void)
{
  g_autoptr(SignpostTrafficModel) model = make_model (50000, 3);
  g_autoptr(SignpostTrafficPlan) plan = NULL;
  SignpostTrafficParams *params = signpost_traffic_model_get_params (model);
  guint withheld = 0;

  params->share_mobile = 0;
  params->share_landline = 0;
  params->share_unknown = 1;
  params->share_withheld = 1;
  plan = plan_for (model, 2026, 11, 23);
  for (guint i = 0; i < plan->calls->len; i++)
    {
      SignpostTrafficCall *call = &g_array_index (plan->calls, SignpostTrafficCall, i);

      g_assert_cmpint (call->caller, >=, SIGNPOST_CALLER_UNKNOWN);
      withheld += call->caller == SIGNPOST_CALLER_WITHHELD;
    }
  /* ~1550 calls, half withheld: σ ≈ 1.3 % */
  g_assert_cmpuint (plan->calls->len, >, 1000);
  g_assert_cmpfloat_with_epsilon (withheld / (double) plan->calls->len, 0.5, 0.06);
}

static void
test_no_numbers_on_list (void)
{
  g_autoptr(SignpostCallerPool) pool = signpost_caller_pool_new ();
  g_autoptr(GTimeZone) tz = signpost_time_zone_new ("Europe/London", NULL);
  g_autoptr(SignpostTrafficModel) model = signpost_traffic_model_new (pool, 11);
  g_autoptr(SignpostTrafficPlan) plan = NULL;

  signpost_caller_pool_add_patients (pool, PRACTICE, 10000);
  signpost_traffic_model_add_line (model, PRACTICE, LINE, tz);
  plan = plan_for (model, 2026, 11, 23);
  g_assert_cmpuint (plan->calls->len, >, 0);
  for (guint i = 0; i < plan->calls->len; i++)
    {
      SignpostTrafficCall *call = &g_array_index (plan->calls, SignpostTrafficCall, i);

      g_assert_cmpint (call->caller, >=, SIGNPOST_CALLER_UNKNOWN);
      g_assert_true (call->cli == NULL || is_drama_number (call->cli));
    }
}

static void
test_no_patients (void)
{
  g_autoptr(SignpostTrafficModel) model = make_model (0, 1);
  g_autoptr(SignpostTrafficPlan) plan = plan_for (model, 2026, 11, 23);

  g_assert_cmpuint (plan->calls->len, ==, 0);
  g_assert_cmpuint (plan->events->len, ==, 0);
}

static GPtrArray *
event_bodies (SignpostTrafficPlan *plan)
{
  GPtrArray *bodies = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < plan->events->len; i++)
    g_ptr_array_add (bodies, signpost_traffic_plan_event_to_json (plan, i,
                                                                  g_array_index (plan->events, SignpostTrafficEvent, i).at_us,
                                                                  NULL));
  return bodies;
}

static void
test_same_seed_same_events (void)
{
  g_autoptr(SignpostTrafficModel) a = make_model (10000, 424242);
  g_autoptr(SignpostTrafficModel) b = make_model (10000, 424242);
  g_autoptr(SignpostTrafficModel) c = make_model (10000, 424243);
  g_autoptr(SignpostTrafficPlan) plan_a = NULL;
  g_autoptr(SignpostTrafficPlan) plan_b = NULL;
  g_autoptr(SignpostTrafficPlan) plan_c = NULL;
  g_autoptr(GPtrArray) bodies_a = NULL;
  g_autoptr(GPtrArray) bodies_b = NULL;
  g_autoptr(GPtrArray) bodies_c = NULL;
  gboolean differs = FALSE;

  signpost_traffic_model_set_navigators (a, 4, 180);
  signpost_traffic_model_set_navigators (b, 4, 180);
  signpost_traffic_model_set_navigators (c, 4, 180);
  plan_a = plan_for (a, 2026, 11, 23);
  plan_b = plan_for (b, 2026, 11, 23);
  plan_c = plan_for (c, 2026, 11, 23);
  bodies_a = event_bodies (plan_a);
  bodies_b = event_bodies (plan_b);
  bodies_c = event_bodies (plan_c);

  g_assert_cmpuint (bodies_a->len, >, 500);
  g_assert_cmpuint (bodies_a->len, ==, bodies_b->len);
  for (guint i = 0; i < bodies_a->len; i++)
    g_assert_cmpstr (g_ptr_array_index (bodies_a, i), ==, g_ptr_array_index (bodies_b, i));

  /* a different seed is a different day */
  for (guint i = 0; i < MIN (bodies_a->len, bodies_c->len) && !differs; i++)
    differs = g_strcmp0 (g_ptr_array_index (bodies_a, i), g_ptr_array_index (bodies_c, i)) != 0;
  g_assert_true (differs || bodies_a->len != bodies_c->len);

  /* and the same seed on another day is another day too */
  {
    g_autoptr(SignpostTrafficPlan) tuesday = plan_for (a, 2026, 11, 24);
    g_autoptr(SignpostTrafficPlan) again = plan_for (a, 2026, 11, 23);
    g_autoptr(GPtrArray) bodies_again = event_bodies (again);

    g_assert_cmpuint (tuesday->calls->len, !=, 0);
    g_assert_cmpstr (g_array_index (tuesday->calls, SignpostTrafficCall, 0).call_ref, !=,
                     g_array_index (plan_a->calls, SignpostTrafficCall, 0).call_ref);
    g_assert_cmpuint (bodies_again->len, ==, bodies_a->len);
    for (guint i = 0; i < bodies_a->len; i++)
      g_assert_cmpstr (g_ptr_array_index (bodies_a, i), ==, g_ptr_array_index (bodies_again, i));
  }
}

typedef struct {
  gint64 offered, answered, ended, abandoned, callback;
} Timeline;

/* Check what a day's events say against the rules of a queue. */
static void
check_queue (SignpostTrafficPlan *plan,
             guint                navigators)
{
  g_autofree Timeline *t = g_new (Timeline, plan->calls->len);
  g_autofree gint64 *busy_until = g_new0 (gint64, navigators + 1);
  gint64 last_at = G_MININT64, last_answered_offer = G_MININT64;
  guint answered = 0, abandoned = 0, callbacks = 0, callbacks_made = 0, pending = 0;

  for (guint i = 0; i < plan->calls->len; i++)
    t[i] = (Timeline) { -1, -1, -1, -1, -1 };

  for (guint i = 0; i < plan->events->len; i++)
    {
      SignpostTrafficEvent *ev = &g_array_index (plan->events, SignpostTrafficEvent, i);
      SignpostTrafficCall *call = &g_array_index (plan->calls, SignpostTrafficCall, ev->call);
      Timeline *tl = &t[ev->call];

      g_assert_cmpint (ev->at_us, >=, last_at);
      last_at = ev->at_us;
      switch (ev->kind)
        {
        case SIGNPOST_TRAFFIC_OFFERED:
          g_assert_cmpint (tl->offered, ==, -1);
          g_assert_cmpint (ev->at_us, ==, call->offered_us);
          tl->offered = ev->at_us;
          break;
        case SIGNPOST_TRAFFIC_CALLBACK_REQUESTED:
          g_assert_cmpint (tl->offered, >=, 0);
          g_assert_cmpint (tl->answered, ==, -1);
          g_assert_cmpint (tl->callback, ==, -1);
          g_assert_true (call->callback);
          g_assert_true (signpost_phone_is_e164 (call->callback_number));
          tl->callback = ev->at_us;
          callbacks++;
          break;
        case SIGNPOST_TRAFFIC_ABANDONED:
          g_assert_cmpint (tl->offered, >=, 0);
          g_assert_cmpint (tl->answered, ==, -1);
          g_assert_cmpint (tl->callback, ==, -1); /* a callback keeps its place */
          tl->abandoned = ev->at_us;
          abandoned++;
          break;
        case SIGNPOST_TRAFFIC_ANSWERED:
          g_assert_cmpint (tl->offered, >=, 0);
          g_assert_cmpint (tl->abandoned, ==, -1);
          g_assert_cmpint (tl->answered, ==, -1);
          g_assert_cmpuint (call->agent, >=, 1);
          g_assert_cmpuint (call->agent, <=, navigators);
          /* one call at a time per navigator */
          g_assert_cmpint (busy_until[call->agent], <=, ev->at_us);
          busy_until[call->agent] = G_MAXINT64;
          /* first come, first served */
          g_assert_cmpint (call->offered_us, >=, last_answered_offer);
          last_answered_offer = call->offered_us;
          tl->answered = ev->at_us;
          answered++;
          callbacks_made += tl->callback >= 0;
          break;
        case SIGNPOST_TRAFFIC_ENDED:
          g_assert_cmpint (tl->answered, >=, 0);
          g_assert_cmpint (tl->ended, ==, -1);
          tl->ended = ev->at_us;
          busy_until[call->agent] = ev->at_us;
          break;
        default:
          g_assert_not_reached ();
        }
    }

  for (guint i = 0; i < plan->calls->len; i++)
    {
      g_assert_cmpint (t[i].offered, >=, 0);
      if (t[i].answered >= 0)
        g_assert_cmpint (t[i].ended, >=, t[i].answered);
      else if (t[i].abandoned < 0)
        {
          g_assert_cmpint (t[i].callback, >=, 0);
          pending++;
        }
    }

  g_assert_cmpuint (answered, ==, plan->n_answered);
  g_assert_cmpuint (abandoned, ==, plan->n_abandoned);
  g_assert_cmpuint (callbacks, ==, plan->n_callbacks_requested);
  g_assert_cmpuint (callbacks_made, ==, plan->n_callbacks_made);
  g_assert_cmpuint (plan->n_offered, ==, answered + abandoned + pending);
  if (navigators > 0)
    g_assert_cmpuint (pending, ==, 0); /* they stay on until the queue is empty */
  else
    g_assert_cmpuint (answered, ==, 0);
}

static void
test_queue (void)
{
  guint callbacks = 0, abandoned = 0, answered = 0;

  for (guint seed = 1; seed <= 20; seed++)
    {
      g_autoptr(SignpostTrafficModel) model = make_model (10000, seed);
      g_autoptr(SignpostTrafficPlan) plan = NULL;

      signpost_traffic_model_set_navigators (model, 3, 180);
      plan = plan_for (model, 2026, 11, 23);
      check_queue (plan, 3);
      callbacks += plan->n_callbacks_requested;
      abandoned += plan->n_abandoned;
      answered += plan->n_answered;
    }
  /* three navigators against the Monday surge: a queue forms, some hang up,
   * some take the callback */
  g_test_message ("20 Mondays, 3 navigators: %u answered, %u abandoned, %u callbacks", answered, abandoned, callbacks);
  g_assert_cmpuint (callbacks, >, 0);
  g_assert_cmpuint (abandoned, >, 0);
  g_assert_cmpuint (answered, >, abandoned);
}

static void
test_queue_without_navigators (void)
{
  for (guint seed = 1; seed <= 10; seed++)
    {
      g_autoptr(SignpostTrafficModel) model = make_model (10000, seed);
      g_autoptr(SignpostTrafficPlan) plan = plan_for (model, 2026, 11, 23);

      check_queue (plan, 0);
      g_assert_cmpuint (plan->n_callbacks_requested, >, 0);
    }
}

static void
test_handle_and_patience (void)
{
  g_autoptr(SignpostTrafficModel) model = make_model (100000, 5);
  g_autoptr(SignpostTrafficPlan) plan = NULL;
  g_autoptr(GArray) patience = g_array_new (FALSE, FALSE, sizeof (double));
  double handle_sum = 0, median;

  signpost_traffic_model_set_navigators (model, 40, 120);
  plan = plan_for (model, 2026, 11, 23);
  for (guint i = 0; i < plan->calls->len; i++)
    {
      SignpostTrafficCall *call = &g_array_index (plan->calls, SignpostTrafficCall, i);

      g_array_append_val (patience, call->patience_s);
      handle_sum += call->handle_s;
      g_assert_cmpfloat (call->patience_s, >, 0);
      g_assert_cmpfloat (call->handle_s, >=, 1);
    }
  /* the median: half the callers give up within 4 minutes */
  {
    guint below = 0;

    for (guint i = 0; i < patience->len; i++)
      below += g_array_index (patience, double, i) < 240;
    median = below / (double) patience->len;
  }
  g_test_message ("%u calls: %.3f wait less than 4 min; mean handle %.1f s",
                  plan->calls->len, median, handle_sum / plan->calls->len);
  g_assert_cmpuint (plan->calls->len, >, 2500);
  g_assert_cmpfloat_with_epsilon (median, 0.5, 0.04);
  g_assert_cmpfloat_with_epsilon (handle_sum / plan->calls->len, 120, 8);
  check_queue (plan, 40);
}

static void
test_rate_plan (void)
{
  g_autoptr(SignpostCallerPool) pool = make_pool (1000);
  g_autoptr(GTimeZone) tz = signpost_time_zone_new ("Europe/London", NULL);
  g_autoptr(SignpostTrafficModel) model = signpost_traffic_model_new (pool, 99);
  g_autoptr(SignpostTrafficPlan) plan = NULL;
  gint64 start = G_GINT64_CONSTANT (1795420800) * G_USEC_PER_SEC;
  guint on_second_line = 0;

  signpost_traffic_model_add_line (model, PRACTICE, LINE, tz);
  signpost_traffic_model_add_line (model, PRACTICE, "+442079460001", tz);
  plan = signpost_traffic_model_plan_rate (model, 50, 4, start);

  g_assert_cmpuint (plan->calls->len, ==, 200);
  g_assert_cmpuint (plan->events->len, ==, 400);
  g_assert_cmpuint (plan->n_offered, ==, 200);
  for (guint i = 0; i < plan->calls->len; i++)
    {
      SignpostTrafficCall *call = &g_array_index (plan->calls, SignpostTrafficCall, i);

      g_assert_cmpint (call->offered_us, ==, start + i * (G_USEC_PER_SEC / 50));
      on_second_line += g_str_equal (call->line, "+442079460001");
    }
  g_assert_cmpuint (on_second_line, ==, 100);
  check_queue (plan, 0);
}

static void
test_event_json (void)
{
  g_autoptr(SignpostTrafficModel) model = make_model (20000, 8);
  g_autoptr(SignpostTrafficPlan) plan = NULL;
  gboolean seen[SIGNPOST_TRAFFIC_ENDED + 1] = { FALSE, };
  gboolean seen_withheld = FALSE;

  signpost_traffic_model_set_navigators (model, 4, 200);
  plan = plan_for (model, 2026, 11, 23);
  for (guint i = 0; i < plan->events->len; i++)
    {
      SignpostTrafficEvent *ev = &g_array_index (plan->events, SignpostTrafficEvent, i);
      SignpostTrafficCall *call = &g_array_index (plan->calls, SignpostTrafficCall, ev->call);
      gsize length = 0;
      g_autofree char *body = signpost_traffic_plan_event_to_json (plan, i, ev->at_us, &length);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) object = signpost_json_parse_object (body, length, 4096, &error);
      g_autoptr(GDateTime) at = NULL;

      g_assert_no_error (error);
      g_assert_cmpuint (length, ==, strlen (body));
      g_assert_cmpstr (json_object_get_string_member (object, "event"), ==,
                       signpost_traffic_event_kind_to_string (ev->kind));
      g_assert_cmpstr (json_object_get_string_member (object, "call_ref"), ==, call->call_ref);
      g_assert_cmpstr (json_object_get_string_member (object, "line"), ==, LINE);
      g_assert_true (json_object_has_member (object, "cli"));
      if (call->cli == NULL)
        {
          g_assert_true (json_object_get_null_member (object, "cli"));
          seen_withheld = TRUE;
        }
      else
        g_assert_cmpstr (json_object_get_string_member (object, "cli"), ==, call->cli);
      at = signpost_timestamp_parse (json_object_get_string_member (object, "at"), &error);
      g_assert_no_error (error);
      g_assert_cmpint (g_date_time_to_unix (at) * G_USEC_PER_SEC + g_date_time_get_microsecond (at), ==, ev->at_us);
      g_assert_cmpint (json_object_has_member (object, "number"), ==,
                       ev->kind == SIGNPOST_TRAFFIC_CALLBACK_REQUESTED);
      g_assert_cmpint (json_object_has_member (object, "agent"), ==,
                       ev->kind == SIGNPOST_TRAFFIC_ANSWERED);
      if (ev->kind == SIGNPOST_TRAFFIC_ANSWERED)
        {
          g_autofree char *agent = signpost_traffic_agent_name (call->agent);

          g_assert_cmpstr (json_object_get_string_member (object, "agent"), ==, agent);
        }
      if (ev->kind == SIGNPOST_TRAFFIC_CALLBACK_REQUESTED)
        g_assert_cmpstr (json_object_get_string_member (object, "number"), ==, call->callback_number);
      seen[ev->kind] = TRUE;
    }
  for (guint k = 0; k < G_N_ELEMENTS (seen); k++)
    g_assert_true (seen[k]);
  g_assert_true (seen_withheld);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/callgen/profile", test_profile);
  g_test_add_func ("/signpost/callgen/model/monday-first-hour", test_monday_first_hour);
  g_test_add_func ("/signpost/callgen/model/list-size", test_scales_with_list_size);
  g_test_add_func ("/signpost/callgen/model/opening-burst", test_opening_burst);
  g_test_add_func ("/signpost/callgen/model/tuesday-quieter", test_tuesday_quieter);
  g_test_add_func ("/signpost/callgen/model/closed-days", test_closed_days);
  g_test_add_func ("/signpost/callgen/model/no-calls-before-eight", test_no_calls_before_eight);
  g_test_add_func ("/signpost/callgen/model/joining-mid-day", test_joining_mid_day);
  g_test_add_func ("/signpost/callgen/model/caller-shares", test_caller_shares);
  g_test_add_func ("/signpost/callgen/model/configured-shares", test_configured_shares);
  g_test_add_func ("/signpost/callgen/model/no-numbers-on-list", test_no_numbers_on_list);
  g_test_add_func ("/signpost/callgen/model/no-patients", test_no_patients);
  g_test_add_func ("/signpost/callgen/model/same-seed", test_same_seed_same_events);
  g_test_add_func ("/signpost/callgen/model/queue", test_queue);
  g_test_add_func ("/signpost/callgen/model/queue-without-navigators", test_queue_without_navigators);
  g_test_add_func ("/signpost/callgen/model/handle-and-patience", test_handle_and_patience);
  g_test_add_func ("/signpost/callgen/model/rate", test_rate_plan);
  g_test_add_func ("/signpost/callgen/model/event-json", test_event_json);

  return g_test_run ();
}
