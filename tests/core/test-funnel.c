/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include "signpost-funnel.h"

/*
 * Hand-worked: n = 20, p0 = 1/2. Every probability is a whole number of
 * 2^-20 = 1/1,048,576, from the binomial coefficients C(20, k):
 *   1, 20, 190, 1140, 4845, 15504, 38760, 77520, …
 * so F(2) = 211, F(3) = 1351, F(5) = 21700, F(6) = 60460 (all / 2^20),
 * and by symmetry F(13) = 1 − F(6), F(14) = 1 − F(5), F(16) = 1 − F(3),
 * F(17) = 1 − F(2).
 *
 * Lower 95 % (P = 0.025): F(5) < 0.025 ≤ F(6), so r = 6 and
 *   α = (60460/2^20 − 0.025) / (38760/2^20) = 0.883527…,
 *   limit = (6 − α) / 20 = 0.255824…
 * Upper 95 % (P = 0.975): F(13) < 0.975 ≤ F(14), so r = 14 and
 *   α = ((2^20 − 21700)/2^20 − 0.975) / (38760/2^20) = 0.116471…,
 *   limit = (14 − α) / 20 = 0.694176…
 * Lower 99.8 % (P = 0.001): F(2) < 0.001 ≤ F(3), so r = 3 and
 *   α = (1351/2^20 − 0.001) / (1140/2^20) = 0.265284…,
 *   limit = (3 − α) / 20 = 0.136736…
 * Upper 99.8 % (P = 0.999): F(16) < 0.999 ≤ F(17), so r = 17 and
 *   α = ((2^20 − 211)/2^20 − 0.999) / (1140/2^20) = 0.734716…,
 *   limit = (17 − α) / 20 = 0.813264…
 *
 * (The normal approximation would give 0.5 ± 0.2191 and 0.5 ± 0.3455.)
 */
#define TWO_20 1048576.0

static void
test_hand_worked (void)
{
  SignpostFunnelLimits limits;

  g_assert_cmpfloat_with_epsilon (signpost_binomial_cdf (5, 20, 0.5), 21700 / TWO_20, 1e-12);
  g_assert_cmpfloat_with_epsilon (signpost_binomial_cdf (6, 20, 0.5), 60460 / TWO_20, 1e-12);
  g_assert_cmpfloat_with_epsilon (signpost_binomial_cdf (2, 20, 0.5), 211 / TWO_20, 1e-12);
  g_assert_cmpfloat_with_epsilon (signpost_binomial_pmf (6, 20, 0.5), 38760 / TWO_20, 1e-12);

  g_assert_true (signpost_funnel_limits (0.5, 20, &limits));
  g_assert_cmpfloat_with_epsilon (limits.lower_95,
                                  (6 - (60460 / TWO_20 - 0.025) / (38760 / TWO_20)) / 20, 1e-9);
  g_assert_cmpfloat_with_epsilon (limits.lower_95, 0.255824, 1e-6);
  g_assert_cmpfloat_with_epsilon (limits.upper_95,
                                  (14 - ((TWO_20 - 21700) / TWO_20 - 0.975) / (38760 / TWO_20)) / 20,
                                  1e-9);
  g_assert_cmpfloat_with_epsilon (limits.upper_95, 0.694176, 1e-6);
  g_assert_cmpfloat_with_epsilon (limits.lower_998,
                                  (3 - (1351 / TWO_20 - 0.001) / (1140 / TWO_20)) / 20, 1e-9);
  g_assert_cmpfloat_with_epsilon (limits.lower_998, 0.136736, 1e-6);
  g_assert_cmpfloat_with_epsilon (limits.upper_998,
                                  (17 - ((TWO_20 - 211) / TWO_20 - 0.999) / (1140 / TWO_20)) / 20,
                                  1e-9);
  g_assert_cmpfloat_with_epsilon (limits.upper_998, 0.813264, 1e-6);
}

/*
 * A small practice's did-not-attends: n = 40 appointments, p0 = 5 %.
 * By hand, with q = 0.95: P(0) = q^40 = 0.128512, P(1) = 40·p·q^39
 * = 0.270552, P(2) = 780·p²·q^38 = 0.277672, P(3) = 9880·p³·q^37
 * = 0.185114, P(4) = 91390·p⁴·q^36 = 0.090122, P(5) = 0.034151,
 * P(6) = 0.010485, P(7) = 0.002680, so
 *   F(0) = 0.128512 ≥ 0.025 → lower 95 %: r = 0,
 *     α = (0.128512 − 0.025) / 0.128512 = 0.805466, limit = (0 − α)/40 → 0
 *   F(4) = 0.951972, F(5) = 0.986123 → upper 95 %: r = 5,
 *     α = (0.986123 − 0.975) / 0.034151 = 0.325699, limit = 0.116858
 *   F(6) = 0.996608, F(7) = 0.999288 → upper 99.8 %: r = 7,
 *     α = (0.999288 − 0.999) / 0.002680 = 0.107630, limit = 0.172309
 * The normal approximation's lower 95 % limit would be −0.0175 and its
 * upper one 0.1175: close here, and wrong below zero.
 */
static void
test_small_practice (void)
{
  SignpostFunnelLimits limits;

  g_assert_true (signpost_funnel_limits (0.05, 40, &limits));
  g_assert_cmpfloat (limits.lower_95, ==, 0.0);
  g_assert_cmpfloat (limits.lower_998, ==, 0.0);
  g_assert_cmpfloat_with_epsilon (signpost_binomial_cdf (4, 40, 0.05), 0.951972, 2e-6);
  g_assert_cmpfloat_with_epsilon (signpost_binomial_cdf (5, 40, 0.05), 0.986123, 2e-6);
  g_assert_cmpfloat_with_epsilon (limits.upper_95, 0.116858, 1e-6);
  g_assert_cmpfloat_with_epsilon (limits.upper_998, 0.172309, 1e-6);

  /* 5 of 40 is 12.5 %, above the 95 % limit but not the 99.8 %; 4 of 40
   * (10 %) is inside; 8 of 40 is above both. */
  g_assert_cmpint (signpost_funnel_position (4, 40, 0.05), ==, SIGNPOST_FUNNEL_WITHIN);
  g_assert_cmpint (signpost_funnel_position (5, 40, 0.05), ==, SIGNPOST_FUNNEL_ABOVE_95);
  g_assert_cmpint (signpost_funnel_position (8, 40, 0.05), ==, SIGNPOST_FUNNEL_ABOVE_998);
  g_assert_cmpint (signpost_funnel_position (0, 40, 0.05), ==, SIGNPOST_FUNNEL_WITHIN);
}

/* The binomial CDF against a plain sum of terms, each built from the
 * previous one by the ratio (n−k)/(k+1)·p/q, in long double. */
static void
test_cdf_against_sum (void)
{
  const guint64 ns[] = { 1, 7, 60, 333, 2000 };
  const double ps[] = { 0.001, 0.05, 0.31, 0.5, 0.93 };

  for (guint i = 0; i < G_N_ELEMENTS (ns); i++)
    for (guint j = 0; j < G_N_ELEMENTS (ps); j++)
      {
        guint64 n = ns[i];
        long double p = ps[j], q = 1.0L - p;
        long double term = powl (q, (long double) n), sum = 0;

        for (guint64 k = 0; k <= n; k++)
          {
            sum += term;
            if (term > 1e-300L || sum > 1e-12L)
              {
                double cdf = signpost_binomial_cdf (k, n, ps[j]);

                g_assert_cmpfloat_with_epsilon (cdf, (double) MIN (sum, 1.0L), 1e-9);
              }
            term = term * (long double) (n - k) / (long double) (k + 1) * p / q;
          }
      }
}

/* With thousands of calls, the exact limits are the normal ones to within
 * a fraction of a percentage point. */
static void
test_large_n_near_normal (void)
{
  const double z95 = 1.959963984540054, z998 = 3.090232306167813;
  SignpostFunnelLimits limits;
  double p0 = 0.62, n = 20000;
  double se = sqrt (p0 * (1 - p0) / n);

  g_assert_true (signpost_funnel_limits (p0, 20000, &limits));
  g_assert_cmpfloat_with_epsilon (limits.lower_95, p0 - z95 * se, 1e-4);
  g_assert_cmpfloat_with_epsilon (limits.upper_95, p0 + z95 * se, 1e-4);
  g_assert_cmpfloat_with_epsilon (limits.lower_998, p0 - z998 * se, 1e-4);
  g_assert_cmpfloat_with_epsilon (limits.upper_998, p0 + z998 * se, 1e-4);
  g_assert_cmpfloat (limits.lower_998, <, limits.lower_95);
  g_assert_cmpfloat (limits.upper_95, <, limits.upper_998);

  /* A hub's year: still fast and sensible. */
  g_assert_true (signpost_funnel_limits (0.0412, 5000000, &limits));
  g_assert_cmpfloat_with_epsilon (limits.upper_998, 0.0412 + z998 * sqrt (0.0412 * 0.9588 / 5e6), 1e-5);
}

static void
test_edges (void)
{
  SignpostFunnelLimits limits;

  g_assert_false (signpost_funnel_limits (0.3, 0, &limits));
  g_assert_true (isnan (limits.lower_95));
  g_assert_cmpint (signpost_funnel_position (0, 0, 0.3), ==, SIGNPOST_FUNNEL_NONE);
  g_assert_cmpint (signpost_funnel_position (5, 4, 0.3), ==, SIGNPOST_FUNNEL_NONE);

  /* Nobody anywhere did it, or everybody did: the limits close on the rate. */
  g_assert_true (signpost_funnel_limits (0.0, 50, &limits));
  g_assert_cmpfloat (limits.upper_998, ==, 0.0);
  g_assert_cmpint (signpost_funnel_position (0, 50, 0.0), ==, SIGNPOST_FUNNEL_WITHIN);
  g_assert_true (signpost_funnel_limits (1.0, 50, &limits));
  g_assert_cmpfloat (limits.lower_998, ==, 1.0);

  /* Limits widen as volume falls. */
  for (guint64 n = 10; n < 5000; n = n * 3 / 2)
    {
      SignpostFunnelLimits small, large;

      signpost_funnel_limits (0.2, n, &small);
      signpost_funnel_limits (0.2, n * 4, &large);
      g_assert_cmpfloat (small.upper_95, >=, large.upper_95);
      g_assert_cmpfloat (small.lower_95, <=, large.lower_95);
    }

  g_assert_cmpstr (signpost_funnel_position_to_nick (SIGNPOST_FUNNEL_ABOVE_998), ==, "above_99_8");
  g_assert_cmpstr (signpost_funnel_position_to_nick (SIGNPOST_FUNNEL_BELOW_95), ==, "below_95");
  g_assert_cmpstr (signpost_funnel_position_to_nick (SIGNPOST_FUNNEL_NONE), ==, "none");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/funnel/hand-worked", test_hand_worked);
  g_test_add_func ("/signpost/funnel/small-practice", test_small_practice);
  g_test_add_func ("/signpost/funnel/cdf-against-sum", test_cdf_against_sum);
  g_test_add_func ("/signpost/funnel/large-n-near-normal", test_large_n_near_normal);
  g_test_add_func ("/signpost/funnel/edges", test_edges);

  return g_test_run ();
}
