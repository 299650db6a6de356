/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include "signpost-erlang.h"

/* DOMAIN.md's worked example: 720 calls an hour, AHT 240 s, 55 agents. */
static void
test_worked_example (void)
{
  double a = signpost_erlang_traffic (720, 240);

  g_assert_cmpfloat_with_epsilon (a, 48.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (signpost_erlang_c (55, a), 0.239, 0.0005);
  g_assert_cmpfloat_with_epsilon (signpost_erlang_asa (55, a, 240), 8.2, 0.05);
  g_assert_cmpfloat_with_epsilon (signpost_erlang_service_level (55, a, 240, 15), 0.846, 0.0005);
}

/*
 * Checked by hand against an independent computation: Erlang C straight
 * from DOMAIN.md's formula in exact rational arithmetic (Python
 * fractions: A^k/k! summed exactly, no recursion), then ASA and SL from
 * that P(wait) in double precision. A = 2, N = 3 (P = 4/9) is also the
 * textbook M/M/3 value.
 */
typedef struct {
  double traffic;
  guint agents;
  double aht_s;
  double within_s;
  double p_wait;
  double asa_s;
  double service_level;
} ErlangCase;

static const ErlangCase table[] = {
  { 0.5,   1,   180, 20, 0.500000000000, 180.0000000000, 0.527020265547 },
  { 2.0,   3,   180, 20, 0.444444444444,  80.0000000000, 0.602293636971 },
  { 10.0,  12,  180, 20, 0.449388224298,  40.4449401868, 0.640158040374 },
  { 10.0,  15,  240, 30, 0.102042367008,   4.8980336164, 0.945380656866 },
  { 48.0,  55,  240, 15, 0.238700936378,   8.1840321044, 0.845883092171 },
  { 48.0,  50,  240, 20, 0.694455611197,  83.3346733436, 0.412156016374 },
  { 22.5,  25,  300, 60, 0.507923029208,  60.9507635049, 0.691929110011 },
  { 100.0, 110, 180, 20, 0.237007500285,   4.2661350051, 0.921978792848 },
  { 200.0, 215, 240, 20, 0.209937684401,   3.3590029504, 0.939851846377 },
  { 300.0, 320, 180, 20, 0.176081281716,   1.5847315354, 0.980918419574 },
};

static void
test_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      const ErlangCase *c = &table[i];

      g_test_message ("A = %g, N = %u", c->traffic, c->agents);
      g_assert_cmpfloat_with_epsilon (signpost_erlang_c (c->agents, c->traffic), c->p_wait, 1e-9);
      g_assert_cmpfloat_with_epsilon (signpost_erlang_asa (c->agents, c->traffic, c->aht_s), c->asa_s, 1e-7);
      g_assert_cmpfloat_with_epsilon (signpost_erlang_service_level (c->agents, c->traffic,
                                                                     c->aht_s, c->within_s),
                                      c->service_level, 1e-9);
    }
}

typedef struct {
  double traffic;
  double aht_s;
  double target;
  double within_s;
  guint needed;
} NeededCase;

/* Same script: the smallest N > A with SL ≥ target, found by counting up. */
static const NeededCase needed_table[] = {
  { 10.0,  180, 0.80, 20, 14 },
  { 48.0,  240, 0.80, 20, 54 },
  { 22.5,  300, 0.90, 60, 28 },
  { 100.0, 180, 0.80, 20, 107 },
  { 250.0, 240, 0.95, 15, 269 },
  { 0.1,   180, 0.80, 20, 1 },
};

static void
test_agents_needed (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (needed_table); i++)
    {
      const NeededCase *c = &needed_table[i];
      guint n = G_MAXUINT;

      g_test_message ("A = %g, %g within %g s", c->traffic, c->target, c->within_s);
      g_assert_true (signpost_erlang_agents_needed (c->traffic, c->aht_s, c->target, c->within_s, &n));
      g_assert_cmpuint (n, ==, c->needed);
      /* and one fewer does not meet it */
      g_assert_cmpfloat (signpost_erlang_service_level (n - 1, c->traffic, c->aht_s, c->within_s),
                         <, c->target);
      g_assert_cmpfloat (signpost_erlang_service_level (n, c->traffic, c->aht_s, c->within_s),
                         >=, c->target);
    }
}

static void
test_no_calls (void)
{
  guint n = G_MAXUINT;

  g_assert_cmpfloat (signpost_erlang_traffic (0, 240), ==, 0.0);
  g_assert_cmpfloat (signpost_erlang_traffic (100, 0), ==, 0.0);
  g_assert_cmpfloat (signpost_erlang_c (0, 0), ==, 0.0);
  g_assert_cmpfloat (signpost_erlang_c (5, 0), ==, 0.0);
  g_assert_cmpfloat (signpost_erlang_service_level (0, 0, 240, 20), ==, 1.0);
  g_assert_cmpfloat (signpost_erlang_asa (0, 0, 240), ==, 0.0);
  g_assert_true (signpost_erlang_agents_needed (0, 240, 0.8, 20, &n));
  g_assert_cmpuint (n, ==, 0);
  /* no answered calls yet: no handling time, but no traffic either */
  n = G_MAXUINT;
  g_assert_true (signpost_erlang_agents_needed (signpost_erlang_traffic (40, 0), 0, 0.8, 20, &n));
  g_assert_cmpuint (n, ==, 0);
}

static void
test_overloaded (void)
{
  guint n = 0;

  /* N ≤ A: everyone waits, nobody within any time, never "meets" */
  for (guint agents = 0; agents <= 48; agents++)
    {
      g_assert_cmpfloat (signpost_erlang_c (agents, 48.0), ==, 1.0);
      g_assert_cmpfloat (signpost_erlang_service_level (agents, 48.0, 240, 20), ==, 0.0);
      g_assert_true (isinf (signpost_erlang_asa (agents, 48.0, 240)));
    }
  g_assert_cmpfloat (signpost_erlang_c (300, 1000.5), ==, 1.0);
  g_assert_cmpfloat (signpost_erlang_service_level (300, 1000.5, 240, 20), ==, 0.0);

  /* even a target of 0 needs more agents than the traffic */
  g_assert_true (signpost_erlang_agents_needed (48.0, 240, 0.0, 20, &n));
  g_assert_cmpuint (n, ==, 49);
  g_assert_true (signpost_erlang_agents_needed (47.5, 240, 0.0, 20, &n));
  g_assert_cmpuint (n, ==, 48);

  /* just above capacity: almost everyone waits, but the numbers are sane */
  g_assert_cmpfloat (signpost_erlang_c (49, 48.999), >, 0.99);
  g_assert_cmpfloat (signpost_erlang_c (49, 48.999), <=, 1.0);
}

static void
test_large (void)
{
  guint n = 0;
  double previous = 1.0;

  /* factorials of these overflow a double hundreds of times over */
  for (guint agents = 301; agents <= 2000; agents += 37)
    {
      double c = signpost_erlang_c (agents, 300.0);

      g_assert_false (isnan (c));
      g_assert_cmpfloat (c, >=, 0.0);
      if (previous > 0)
        g_assert_cmpfloat (c, <, previous);
      else
        g_assert_cmpfloat (c, ==, 0.0);
      previous = c;
    }
  g_assert_cmpfloat (signpost_erlang_c (2000, 300.0), ==, 0.0);
  g_assert_cmpfloat (signpost_erlang_service_level (2000, 300.0, 180, 20), ==, 1.0);

  g_assert_cmpfloat_with_epsilon (signpost_erlang_c (320, 300.0), 0.176081281716, 1e-9);

  g_assert_true (signpost_erlang_agents_needed (900.0, 240, 0.8, 20, &n));
  g_assert_cmpuint (n, >, 900);
  g_assert_cmpuint (n, <, 1000);
  g_assert_cmpfloat (signpost_erlang_service_level (n, 900.0, 240, 20), >=, 0.8);
  g_assert_cmpfloat (signpost_erlang_service_level (n - 1, 900.0, 240, 20), <, 0.8);

  g_assert_true (signpost_erlang_agents_needed (5000.0, 180, 0.9, 20, &n));
  g_assert_cmpuint (n, >, 5000);

  /* A single agent with a trickle of calls */
  g_assert_cmpfloat_with_epsilon (signpost_erlang_c (1, 0.001), 0.001, 1e-12);
  /* many agents, almost no traffic: underflows to 0, never NaN */
  g_assert_cmpfloat (signpost_erlang_c (10000, 0.5), ==, 0.0);
}

static void
test_unreachable (void)
{
  guint n = 7;

  g_assert_false (signpost_erlang_agents_needed (10.0, 180, 1.5, 20, &n));
  g_assert_cmpuint (n, ==, 0);
  g_assert_false (signpost_erlang_agents_needed (10.0, 180, -0.1, 20, &n));
  g_assert_false (signpost_erlang_agents_needed (NAN, 180, 0.8, 20, &n));
  g_assert_false (signpost_erlang_agents_needed (INFINITY, 180, 0.8, 20, &n));
  g_assert_false (signpost_erlang_agents_needed (1e9, 180, 0.8, 20, &n));
  g_assert_false (signpost_erlang_agents_needed (10.0, 0, 0.8, 20, &n));
  /* 100 % within 0 s: only a team so big that P(wait) rounds to 0 */
  g_assert_true (signpost_erlang_agents_needed (10.0, 180, 1.0, 0, &n));
  g_assert_cmpfloat (signpost_erlang_service_level (n, 10.0, 180, 0), ==, 1.0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/erlang/worked-example", test_worked_example);
  g_test_add_func ("/signpost/erlang/table", test_table);
  g_test_add_func ("/signpost/erlang/agents-needed", test_agents_needed);
  g_test_add_func ("/signpost/erlang/no-calls", test_no_calls);
  g_test_add_func ("/signpost/erlang/overloaded", test_overloaded);
  g_test_add_func ("/signpost/erlang/large", test_large);
  g_test_add_func ("/signpost/erlang/unreachable", test_unreachable);

  return g_test_run ();
}
