/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-core"

#include "config.h"

#include <math.h>

#include "signpost-erlang.h"

/*
 * Erlang C, as DOMAIN.md states it:
 *
 *   P(wait) = (A^N/N! · N/(N−A)) / (Σ_{k<N} A^k/k! + A^N/N! · N/(N−A))
 *
 * A^N/N! overflows a double from N ≈ 170 on, so nothing here computes a
 * power or a factorial. Erlang B has a recursion whose terms all lie in
 * [0, 1]:
 *
 *   B(0) = 1,   B(k) = A·B(k−1) / (k + A·B(k−1))
 *
 * and Erlang C follows from it exactly:
 *
 *   C(N, A) = N·B(N) / (N − A·(1 − B(N)))
 *
 * which stays accurate for any N and A (terms only shrink towards zero,
 * they never blow up). Traffic at or beyond the team's capacity (N ≤ A)
 * has no steady state: every caller waits and the queue grows without end,
 * so P(wait) is 1 and the service level 0.
 */

/* Traffic in erlangs: the hours of talk offered per hour. */
double
signpost_erlang_traffic (double calls_per_hour,
                         double aht_s)
{
  if (!(calls_per_hour > 0) || !(aht_s > 0))
    return 0.0;
  return calls_per_hour * aht_s / 3600.0;
}

static inline double
erlang_b_next (double b,
               guint  k,
               double traffic)
{
  double ab = traffic * b;

  return ab / ((double) k + ab);
}

static double
erlang_c_from_b (guint  agents,
                 double traffic,
                 double b)
{
  double n = agents;
  double c = n * b / (n - traffic * (1.0 - b));

  return CLAMP (c, 0.0, 1.0);
}

/* The probability that a call has to wait (is not answered at once). */
double
signpost_erlang_c (guint  agents,
                   double traffic)
{
  double b = 1.0;

  g_return_val_if_fail (!isnan (traffic), 1.0);

  if (!(traffic > 0))
    return 0.0;
  if ((double) agents <= traffic)
    return 1.0;

  for (guint k = 1; k <= agents; k++)
    b = erlang_b_next (b, k, traffic);

  return erlang_c_from_b (agents, traffic, b);
}

static double
service_level_from_c (guint  agents,
                      double traffic,
                      double aht_s,
                      double within_s,
                      double c)
{
  double sl = 1.0 - c * exp (-((double) agents - traffic) * within_s / aht_s);

  return CLAMP (sl, 0.0, 1.0);
}

/* The share of calls answered within @within_s seconds. */
double
signpost_erlang_service_level (guint  agents,
                               double traffic,
                               double aht_s,
                               double within_s)
{
  g_return_val_if_fail (!isnan (traffic), 0.0);
  g_return_val_if_fail (within_s >= 0, 0.0);

  if (!(traffic > 0))
    return 1.0;
  if ((double) agents <= traffic)
    return 0.0;
  g_return_val_if_fail (aht_s > 0, 0.0);

  return service_level_from_c (agents, traffic, aht_s, within_s,
                               signpost_erlang_c (agents, traffic));
}

/* Average speed of answer in seconds: INFINITY when the team cannot keep
 * up (N ≤ A); callers of JSON must map that to something they can send. */
double
signpost_erlang_asa (guint  agents,
                     double traffic,
                     double aht_s)
{
  g_return_val_if_fail (!isnan (traffic), INFINITY);

  if (!(traffic > 0))
    return 0.0;
  if ((double) agents <= traffic)
    return INFINITY;
  g_return_val_if_fail (aht_s > 0, INFINITY);

  return signpost_erlang_c (agents, traffic) * aht_s / ((double) agents - traffic);
}

/**
 * signpost_erlang_agents_needed:
 * @traffic: offered traffic in erlangs
 * @aht_s: mean handling time in seconds
 * @target: the share of calls to answer within @within_s (0.8 for "80/20")
 * @within_s: the wait in seconds
 * @agents: (out): the smallest team that meets the target
 *
 * No traffic needs nobody. Otherwise the team must be larger than the
 * traffic (N ≤ A never meets any target) and large enough that
 * SL(@within_s) ≥ @target. The recursion runs once from 1 upwards, so this
 * costs O(N).
 *
 * Returns: %FALSE if the arguments make no sense or no team of up to
 *   %SIGNPOST_ERLANG_MAX_AGENTS meets the target.
 */
gboolean
signpost_erlang_agents_needed (double  traffic,
                               double  aht_s,
                               double  target,
                               double  within_s,
                               guint  *agents)
{
  double b = 1.0;

  g_return_val_if_fail (agents != NULL, FALSE);

  *agents = 0;
  if (isnan (traffic) || isinf (traffic) || traffic < 0 ||
      isnan (target) || target < 0 || target > 1 ||
      isnan (within_s) || within_s < 0)
    return FALSE;
  if (traffic == 0)
    return TRUE;
  if (!(aht_s > 0) || isinf (aht_s))
    return FALSE;

  for (guint n = 1; n <= SIGNPOST_ERLANG_MAX_AGENTS; n++)
    {
      b = erlang_b_next (b, n, traffic);
      if ((double) n <= traffic)
        continue;
      if (service_level_from_c (n, traffic, aht_s, within_s,
                                erlang_c_from_b (n, traffic, b)) >= target)
        {
          *agents = n;
          return TRUE;
        }
    }

  return FALSE;
}
