/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-core"

#include "config.h"

#include <math.h>

#include "signpost-funnel.h"

/*
 * Funnel plots for proportions (answered within 60 s, abandoned, did not
 * attend), as NHS analysts draw them: each practice's rate against its
 * volume n, with control limits around the overall rate p0 of all the
 * practices together.
 *
 * The limits are exact binomial ones, not the normal approximation
 * p0 ± z·√(p0(1−p0)/n). The approximation is good for large n with p0
 * well away from 0 and 1, but a small practice's week of did-not-attends
 * (n of a few dozen, p0 about 5 %) is neither: there it puts the lower
 * limit below zero and the upper one too low, and a small practice would
 * be flagged for a handful of events. Exact limits cost a few dozen
 * evaluations of the binomial distribution, which is nothing here.
 *
 * The binomial distribution is discrete, so the quantile jumps from one
 * whole count to the next; Spiegelhalter's interpolation (Statistics in
 * Medicine 2005; 24:1185–1202, appendix A.1.1) makes the limits smooth
 * curves. For a tail probability P, let r be the smallest count with
 * F(r) = P(R ≤ r) ≥ P, and
 *
 *   α = (F(r) − P) / (F(r) − F(r − 1)),   limit = (r − α) / n.
 *
 * The 95 % limits use P = 0.025 and 0.975, the 99.8 % limits P = 0.001
 * and 0.999. F comes from the regularized incomplete beta function,
 * F(k) = I_{1−p}(n − k, k + 1), evaluated by its continued fraction, so
 * nothing is summed term by term and any n a practice could have works.
 */

#define CF_MAX_ITERATIONS 200000
#define CF_EPSILON 1e-15
#define CF_TINY 1e-300

/* The continued fraction of the incomplete beta function (modified
 * Lentz), which converges quickly for x < (a + 1) / (a + b + 2). */
static double
beta_continued_fraction (double a,
                         double b,
                         double x)
{
  double qab = a + b, qap = a + 1.0, qam = a - 1.0;
  double c = 1.0, d = 1.0 - qab * x / qap;
  double h;

  if (fabs (d) < CF_TINY)
    d = CF_TINY;
  d = 1.0 / d;
  h = d;
  for (int m = 1; m <= CF_MAX_ITERATIONS; m++)
    {
      int m2 = 2 * m;
      double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
      double delta;

      d = 1.0 + aa * d;
      if (fabs (d) < CF_TINY)
        d = CF_TINY;
      c = 1.0 + aa / c;
      if (fabs (c) < CF_TINY)
        c = CF_TINY;
      d = 1.0 / d;
      h *= d * c;
      aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
      d = 1.0 + aa * d;
      if (fabs (d) < CF_TINY)
        d = CF_TINY;
      c = 1.0 + aa / c;
      if (fabs (c) < CF_TINY)
        c = CF_TINY;
      d = 1.0 / d;
      delta = d * c;
      h *= delta;
      if (fabs (delta - 1.0) < CF_EPSILON)
        break;
    }
  return h;
}

/* I_x(a, b) for a, b > 0 and x in [0, 1]. */
static double
regularized_beta (double a,
                  double b,
                  double x)
{
  double front;

  if (x <= 0.0)
    return 0.0;
  if (x >= 1.0)
    return 1.0;
  front = exp (lgamma (a + b) - lgamma (a) - lgamma (b) + a * log (x) + b * log1p (-x));
  if (x < (a + 1.0) / (a + b + 2.0))
    return front * beta_continued_fraction (a, b, x) / a;
  return 1.0 - front * beta_continued_fraction (b, a, 1.0 - x) / b;
}

/**
 * signpost_binomial_cdf:
 *
 * Returns: P(R ≤ @k) for R ~ Binomial(@n, @p).
 */
double
signpost_binomial_cdf (guint64 k,
                       guint64 n,
                       double  p)
{
  g_return_val_if_fail (p >= 0.0 && p <= 1.0, NAN);

  if (k >= n)
    return 1.0;
  if (p <= 0.0)
    return 1.0;
  if (p >= 1.0)
    return 0.0;
  return regularized_beta ((double) (n - k), (double) k + 1.0, 1.0 - p);
}

/**
 * signpost_binomial_pmf:
 *
 * Returns: P(R = @k) for R ~ Binomial(@n, @p).
 */
double
signpost_binomial_pmf (guint64 k,
                       guint64 n,
                       double  p)
{
  double nn = (double) n, kk = (double) k;

  g_return_val_if_fail (p >= 0.0 && p <= 1.0, NAN);

  if (k > n)
    return 0.0;
  if (p <= 0.0)
    return k == 0 ? 1.0 : 0.0;
  if (p >= 1.0)
    return k == n ? 1.0 : 0.0;
  return exp (lgamma (nn + 1.0) - lgamma (kk + 1.0) - lgamma (nn - kk + 1.0) +
              kk * log (p) + (nn - kk) * log1p (-p));
}

/**
 * signpost_funnel_limit:
 * @overall: the overall rate p0, in [0, 1]
 * @n: the volume (the denominator of the practice's rate)
 * @probability: the tail probability, e.g. 0.025 for the lower 95 %
 *   limit and 0.975 for the upper one
 *
 * One control limit, as a proportion: the binomial quantile of
 * @probability, interpolated as Spiegelhalter describes (see the top of
 * this file), divided by @n.
 *
 * Returns: the limit in [0, 1], or NAN when @n is 0
 */
double
signpost_funnel_limit (double  overall,
                       guint64 n,
                       double  probability)
{
  guint64 lo = 0, hi = n;
  double at, below, alpha;

  g_return_val_if_fail (overall >= 0.0 && overall <= 1.0, NAN);
  g_return_val_if_fail (probability > 0.0 && probability < 1.0, NAN);

  if (n == 0)
    return NAN;
  if (overall <= 0.0 || overall >= 1.0)
    return overall;

  /* The smallest r with F(r) ≥ probability; F(n) = 1, so there is one. */
  while (lo < hi)
    {
      guint64 mid = lo + (hi - lo) / 2;

      if (signpost_binomial_cdf (mid, n, overall) >= probability)
        hi = mid;
      else
        lo = mid + 1;
    }
  at = signpost_binomial_cdf (lo, n, overall);
  below = lo > 0 ? signpost_binomial_cdf (lo - 1, n, overall) : 0.0;
  alpha = at > below ? (at - probability) / (at - below) : 0.0;
  alpha = CLAMP (alpha, 0.0, 1.0);
  return CLAMP (((double) lo - alpha) / (double) n, 0.0, 1.0);
}

/**
 * signpost_funnel_limits:
 * @limits: (out): the 95 % and 99.8 % limits at @n
 *
 * Returns: %FALSE (and NAN limits) when @n is 0
 */
gboolean
signpost_funnel_limits (double                overall,
                        guint64               n,
                        SignpostFunnelLimits *limits)
{
  g_return_val_if_fail (limits != NULL, FALSE);

  if (n == 0 || !(overall >= 0.0 && overall <= 1.0))
    {
      *limits = (SignpostFunnelLimits) { NAN, NAN, NAN, NAN };
      return FALSE;
    }
  limits->lower_95 = signpost_funnel_limit (overall, n, SIGNPOST_FUNNEL_TAIL_95);
  limits->upper_95 = signpost_funnel_limit (overall, n, 1.0 - SIGNPOST_FUNNEL_TAIL_95);
  limits->lower_998 = signpost_funnel_limit (overall, n, SIGNPOST_FUNNEL_TAIL_998);
  limits->upper_998 = signpost_funnel_limit (overall, n, 1.0 - SIGNPOST_FUNNEL_TAIL_998);
  return TRUE;
}

/**
 * signpost_funnel_position:
 * @events: the practice's numerator
 * @n: its denominator
 * @overall: the overall rate of all the practices compared
 *
 * Where the practice's rate @events / @n falls against the limits at its
 * volume. A rate exactly on a limit is inside it.
 */
SignpostFunnelPosition
signpost_funnel_position (guint64 events,
                          guint64 n,
                          double  overall)
{
  SignpostFunnelLimits limits;
  double rate;

  if (n == 0 || events > n || !signpost_funnel_limits (overall, n, &limits))
    return SIGNPOST_FUNNEL_NONE;
  rate = (double) events / (double) n;
  if (rate > limits.upper_998)
    return SIGNPOST_FUNNEL_ABOVE_998;
  if (rate > limits.upper_95)
    return SIGNPOST_FUNNEL_ABOVE_95;
  if (rate < limits.lower_998)
    return SIGNPOST_FUNNEL_BELOW_998;
  if (rate < limits.lower_95)
    return SIGNPOST_FUNNEL_BELOW_95;
  return SIGNPOST_FUNNEL_WITHIN;
}

/* The wire name of @position (docs/PROTOCOL.md, /stats/hub). */
const char *
signpost_funnel_position_to_nick (SignpostFunnelPosition position)
{
  switch (position)
    {
    case SIGNPOST_FUNNEL_WITHIN:
      return "within";
    case SIGNPOST_FUNNEL_ABOVE_95:
      return "above_95";
    case SIGNPOST_FUNNEL_ABOVE_998:
      return "above_99_8";
    case SIGNPOST_FUNNEL_BELOW_95:
      return "below_95";
    case SIGNPOST_FUNNEL_BELOW_998:
      return "below_99_8";
    case SIGNPOST_FUNNEL_NONE:
    default:
      return "none";
    }
}
