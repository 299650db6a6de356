/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-callgen"

#include "config.h"

#include <math.h>

#include "signpost-traffic-model.h"

/*
 * The traffic model works a whole day out before anything is sent, so that
 * a seed fixes the day exactly and tests can look at it without a server.
 *
 * Arrivals: a non-homogeneous Poisson process per practice, following the
 * day profile scaled by the practice's list size, drawn by thinning (Lewis
 * and Shedler): candidates at the profile's peak rate, each kept with
 * probability rate(t)/peak.
 *
 * Each caller then draws, in arrival order, a number (mobile, household
 * landline, unknown, withheld), a patience (lognormal), whether they would
 * take a callback, and the length of the call if answered (exponential
 * around the handling time). The queue is a discrete-event simulation with
 * no further randomness: one queue for all lines, first come first served
 * (a callback keeps its caller's place), served by the simulated
 * navigators, the free one with the lowest number first.
 */

#define USEC_PER_SEC G_USEC_PER_SEC
#define USEC_PER_MINUTE (60 * (gint64) G_USEC_PER_SEC)

typedef struct {
  char *practice_id;
  GPtrArray *lines;
  GTimeZone *tz;
} PracticeLines;

struct _SignpostTrafficModel
{
  GObject parent_instance;

  SignpostCallerPool *pool;
  guint64 seed;
  SignpostTrafficParams params;
  GPtrArray *practices; /* of PracticeLines, in the order added */
  guint n_lines;
  guint navigators;
  double handle_s;
};

G_DEFINE_FINAL_TYPE (SignpostTrafficModel, signpost_traffic_model, G_TYPE_OBJECT)

/* Simulation events, on a binary heap ordered by (time, sequence). */
typedef enum {
  SIM_ARRIVAL,
  SIM_CALLBACK_OFFER,
  SIM_PATIENCE,
  SIM_AGENT_DONE,
} SimKind;

typedef struct {
  gint64 at_us;
  guint64 seq;
  SimKind kind;
  guint call;
  guint agent;
} SimEvent;

typedef struct {
  GArray *heap;
  guint64 next_seq;
} SimHeap;

static gboolean
sim_before (const SimEvent *a,
            const SimEvent *b)
{
  return a->at_us < b->at_us || (a->at_us == b->at_us && a->seq < b->seq);
}

static void
sim_push (SimHeap  *h,
          SimKind   kind,
          gint64    at_us,
          guint     call,
          guint     agent)
{
  SimEvent ev = { at_us, h->next_seq++, kind, call, agent };
  guint i;

  g_array_append_val (h->heap, ev);
  for (i = h->heap->len - 1; i > 0; )
    {
      guint parent = (i - 1) / 2;
      SimEvent *e = &g_array_index (h->heap, SimEvent, i);
      SimEvent *p = &g_array_index (h->heap, SimEvent, parent);
      SimEvent tmp;

      if (!sim_before (e, p))
        break;
      tmp = *e; *e = *p; *p = tmp;
      i = parent;
    }
}

static gboolean
sim_pop (SimHeap  *h,
         SimEvent *out)
{
  guint i = 0, n;

  if (h->heap->len == 0)
    return FALSE;
  *out = g_array_index (h->heap, SimEvent, 0);
  g_array_index (h->heap, SimEvent, 0) = g_array_index (h->heap, SimEvent, h->heap->len - 1);
  g_array_set_size (h->heap, h->heap->len - 1);
  n = h->heap->len;
  for (;;)
    {
      guint l = 2 * i + 1, r = l + 1, m = i;
      SimEvent tmp;

      if (l < n && sim_before (&g_array_index (h->heap, SimEvent, l), &g_array_index (h->heap, SimEvent, m)))
        m = l;
      if (r < n && sim_before (&g_array_index (h->heap, SimEvent, r), &g_array_index (h->heap, SimEvent, m)))
        m = r;
      if (m == i)
        break;
      tmp = g_array_index (h->heap, SimEvent, i);
      g_array_index (h->heap, SimEvent, i) = g_array_index (h->heap, SimEvent, m);
      g_array_index (h->heap, SimEvent, m) = tmp;
      i = m;
    }
  return TRUE;
}

static void
practice_lines_free (gpointer data)
{
  PracticeLines *p = data;

  g_free (p->practice_id);
  g_ptr_array_unref (p->lines);
  g_time_zone_unref (p->tz);
  g_free (p);
}

static void
call_clear (gpointer data)
{
  SignpostTrafficCall *call = data;

  g_free (call->call_ref);
  g_free (call->practice_id);
  g_free (call->line);
  g_free (call->cli);
  g_free (call->callback_number);
}

static SignpostTrafficPlan *
plan_new (void)
{
  SignpostTrafficPlan *plan = g_new0 (SignpostTrafficPlan, 1);

  plan->calls = g_array_new (FALSE, TRUE, sizeof (SignpostTrafficCall));
  g_array_set_clear_func (plan->calls, call_clear);
  plan->events = g_array_new (FALSE, TRUE, sizeof (SignpostTrafficEvent));
  return plan;
}

void
signpost_traffic_plan_free (SignpostTrafficPlan *plan)
{
  if (plan == NULL)
    return;
  g_array_unref (plan->calls);
  g_array_unref (plan->events);
  g_free (plan);
}

static void
plan_emit (SignpostTrafficPlan      *plan,
           SignpostTrafficEventKind  kind,
           gint64                    at_us,
           guint                     call)
{
  SignpostTrafficEvent ev = { at_us, kind, call };

  g_array_append_val (plan->events, ev);
}

/* Draws: all from one GRand, always in the same order. */

static double
draw_uniform_open (GRand *rand)
{
  /* (0, 1]: safe for log() */
  return 1.0 - g_rand_double (rand);
}

static double
draw_exponential (GRand  *rand,
                  double  mean)
{
  return -mean * log (draw_uniform_open (rand));
}

static double
draw_lognormal (GRand  *rand,
                double  median,
                double  sigma)
{
  double u1 = draw_uniform_open (rand);
  double u2 = g_rand_double (rand);
  double z = sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);

  return median * exp (sigma * z);
}

/* Knuth's method; the means here are small (tens). */
static guint
draw_poisson (GRand  *rand,
              double  mean)
{
  double limit = exp (-mean), product = g_rand_double (rand);
  guint n = 0;

  if (!(mean > 0))
    return 0;
  if (mean > 500)
    return (guint) (mean + 0.5); /* no demo needs more; keep it bounded */
  while (product > limit)
    {
      product *= g_rand_double (rand);
      n++;
    }
  return n;
}

static gint64
round_to_ms (double us)
{
  return (gint64) llround (us / 1000.0) * 1000;
}

static GRand *
rand_for (SignpostTrafficModel *self,
          guint32               salt_a,
          guint32               salt_b)
{
  guint32 seed[4] = {
    (guint32) (self->seed & 0xffffffffu),
    (guint32) (self->seed >> 32),
    salt_a,
    salt_b,
  };

  return g_rand_new_with_seed_array (seed, G_N_ELEMENTS (seed));
}

static void
signpost_traffic_model_finalize (GObject *object)
{
  SignpostTrafficModel *self = SIGNPOST_TRAFFIC_MODEL (object);

  g_clear_object (&self->pool);
  g_clear_pointer (&self->practices, g_ptr_array_unref);

  G_OBJECT_CLASS (signpost_traffic_model_parent_class)->finalize (object);
}

static void
signpost_traffic_model_class_init (SignpostTrafficModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = signpost_traffic_model_finalize;
}

static void
signpost_traffic_model_init (SignpostTrafficModel *self)
{
  signpost_traffic_params_init (&self->params);
  self->practices = g_ptr_array_new_with_free_func (practice_lines_free);
  self->handle_s = 180;
}

SignpostTrafficModel *
signpost_traffic_model_new (SignpostCallerPool *pool,
                            guint64             seed)
{
  SignpostTrafficModel *self;

  g_return_val_if_fail (SIGNPOST_IS_CALLER_POOL (pool), NULL);

  self = g_object_new (SIGNPOST_TYPE_TRAFFIC_MODEL, NULL);
  self->pool = g_object_ref (pool);
  self->seed = seed;
  return self;
}

/* The model's knobs, to change before planning. */
SignpostTrafficParams *
signpost_traffic_model_get_params (SignpostTrafficModel *self)
{
  g_return_val_if_fail (SIGNPOST_IS_TRAFFIC_MODEL (self), NULL);

  return &self->params;
}

/* A line that rings at @practice_id; a practice with several lines has its
 * calls spread evenly over them. */
void
signpost_traffic_model_add_line (SignpostTrafficModel *self,
                                 const char           *practice_id,
                                 const char           *line,
                                 GTimeZone            *tz)
{
  PracticeLines *p = NULL;

  g_return_if_fail (SIGNPOST_IS_TRAFFIC_MODEL (self));
  g_return_if_fail (practice_id != NULL);
  g_return_if_fail (line != NULL);
  g_return_if_fail (tz != NULL);

  for (guint i = 0; i < self->practices->len && p == NULL; i++)
    {
      PracticeLines *q = g_ptr_array_index (self->practices, i);

      if (g_str_equal (q->practice_id, practice_id))
        p = q;
    }
  if (p == NULL)
    {
      p = g_new0 (PracticeLines, 1);
      p->practice_id = g_strdup (practice_id);
      p->lines = g_ptr_array_new_with_free_func (g_free);
      p->tz = g_time_zone_ref (tz);
      g_ptr_array_add (self->practices, p);
    }
  g_ptr_array_add (p->lines, g_strdup (line));
  self->n_lines++;
}

guint
signpost_traffic_model_get_n_lines (SignpostTrafficModel *self)
{
  g_return_val_if_fail (SIGNPOST_IS_TRAFFIC_MODEL (self), 0);

  return self->n_lines;
}

/* The time zone of the first practice: the day realtime mode follows. */
GTimeZone *
signpost_traffic_model_get_time_zone (SignpostTrafficModel *self)
{
  g_return_val_if_fail (SIGNPOST_IS_TRAFFIC_MODEL (self), NULL);

  if (self->practices->len == 0)
    return NULL;
  return ((PracticeLines *) g_ptr_array_index (self->practices, 0))->tz;
}

void
signpost_traffic_model_set_navigators (SignpostTrafficModel *self,
                                       guint                 navigators,
                                       double                handle_s)
{
  g_return_if_fail (SIGNPOST_IS_TRAFFIC_MODEL (self));
  g_return_if_fail (handle_s > 0);

  self->navigators = navigators;
  self->handle_s = handle_s;
}

typedef struct {
  gint64 at_us;
  guint practice;
} Arrival;

static int
compare_arrivals (gconstpointer a,
                  gconstpointer b)
{
  const Arrival *x = a, *y = b;

  if (x->at_us != y->at_us)
    return x->at_us < y->at_us ? -1 : 1;
  return (int) x->practice - (int) y->practice;
}

static gint64
local_time_us (const GDate *date,
               int          hour,
               int          minute,
               GTimeZone   *tz)
{
  g_autoptr(GDateTime) dt = signpost_local_time_to_utc (date, hour, minute, tz);

  return g_date_time_to_unix (dt) * USEC_PER_SEC;
}

/* Lewis–Shedler thinning over [from, close) for one practice. */
static void
draw_arrivals (SignpostTrafficModel *self,
               GRand                *rand,
               guint                 practice_index,
               const GDate          *date,
               SignpostTrafficDay    day,
               gint64                from_us,
               GArray               *arrivals)
{
  PracticeLines *p = g_ptr_array_index (self->practices, practice_index);
  double patients = signpost_caller_pool_get_n_patients (self->pool, p->practice_id);
  double peak = signpost_traffic_profile_peak (&self->params, day, patients);
  gint64 open_us = local_time_us (date, SIGNPOST_TRAFFIC_OPEN_MINUTE / 60,
                                  SIGNPOST_TRAFFIC_OPEN_MINUTE % 60, p->tz);
  gint64 close_us = local_time_us (date, SIGNPOST_TRAFFIC_CLOSE_MINUTE / 60,
                                   SIGNPOST_TRAFFIC_CLOSE_MINUTE % 60, p->tz);
  double t;

  if (!(peak > 0))
    return;

  /* The rush when the lines open: callers who were ringing before 08:00
   * (a Poisson number of them), spread evenly over its first seconds. */
  if (self->params.opening_burst > 0 && from_us <= open_us)
    {
      double factor = day == SIGNPOST_TRAFFIC_DAY_MONDAY ? 1.0 : self->params.midweek_factor;
      guint n = draw_poisson (rand, self->params.opening_burst * factor * patients / 10000.0);
      double span_us = MAX (self->params.opening_burst_s, 0.001) * USEC_PER_SEC;

      for (guint i = 0; i < n; i++)
        {
          Arrival arrival;

          arrival.at_us = round_to_ms (open_us + g_rand_double (rand) * span_us);
          arrival.practice = practice_index;
          g_array_append_val (arrivals, arrival);
        }
    }

  t = MAX (open_us, from_us);
  for (;;)
    {
      double minute;
      Arrival arrival;

      t += draw_exponential (rand, 3600.0 / peak) * USEC_PER_SEC;
      if (t >= close_us)
        break;
      minute = SIGNPOST_TRAFFIC_OPEN_MINUTE + (t - open_us) / USEC_PER_MINUTE;
      if (g_rand_double (rand) * peak >= signpost_traffic_profile_rate (&self->params, day, minute, patients))
        continue;
      arrival.at_us = round_to_ms (t);
      arrival.practice = practice_index;
      g_array_append_val (arrivals, arrival);
    }
}

static void
draw_caller (SignpostTrafficModel *self,
             GRand                *rand,
             PracticeLines        *p,
             SignpostTrafficCall  *call)
{
  double handle_s;

  call->practice_id = g_strdup (p->practice_id);
  call->line = g_strdup (g_ptr_array_index (p->lines, g_rand_int_range (rand, 0, p->lines->len)));
  call->cli = signpost_caller_pool_draw (self->pool, p->practice_id, &self->params, rand, &call->caller);
  call->patience_s = draw_lognormal (rand, self->params.patience_median_s, self->params.patience_sigma);
  call->accepts_callback = g_rand_double (rand) < self->params.callback_accept;
  handle_s = draw_exponential (rand, self->handle_s);
  call->handle_s = MAX (1.0, handle_s);
  call->answered_us = -1;
}

typedef struct {
  SignpostTrafficModel *self;
  SignpostTrafficPlan *plan;
  GRand *rand;
  SimHeap heap;
  GQueue queue;        /* of GUINT_TO_POINTER (call), in offer order */
  GList **queue_links; /* call → its link in queue, or NULL */
  guint *agent_call;   /* agent (0-based) → call + 1, or 0 when free */
} Sim;

static SignpostTrafficCall *
sim_call (Sim   *sim,
          guint  index)
{
  return &g_array_index (sim->plan->calls, SignpostTrafficCall, index);
}

static void
sim_leave_queue (Sim   *sim,
                 guint  index)
{
  g_queue_delete_link (&sim->queue, sim->queue_links[index]);
  sim->queue_links[index] = NULL;
}

static void
sim_answer_next (Sim    *sim,
                 gint64  at_us)
{
  for (guint agent = 0; agent < sim->self->navigators && !g_queue_is_empty (&sim->queue); agent++)
    {
      guint index;
      SignpostTrafficCall *call;

      if (sim->agent_call[agent] != 0)
        continue;
      index = GPOINTER_TO_UINT (g_queue_peek_head (&sim->queue));
      call = sim_call (sim, index);
      sim_leave_queue (sim, index);
      call->answered = TRUE;
      call->answered_us = at_us;
      call->agent = agent + 1;
      sim->agent_call[agent] = index + 1;
      sim->plan->n_answered++;
      if (call->callback)
        sim->plan->n_callbacks_made++;
      plan_emit (sim->plan, SIGNPOST_TRAFFIC_ANSWERED, at_us, index);
      sim_push (&sim->heap, SIM_AGENT_DONE, round_to_ms (at_us + call->handle_s * USEC_PER_SEC),
                index, agent);
    }
}

static void
sim_run (Sim *sim)
{
  SimEvent ev;

  while (sim_pop (&sim->heap, &ev))
    {
      SignpostTrafficCall *call = sim_call (sim, ev.call);
      gboolean waiting = sim->queue_links[ev.call] != NULL;

      switch (ev.kind)
        {
        case SIM_ARRIVAL:
          {
            guint ahead = g_queue_get_length (&sim->queue);

            g_queue_push_tail (&sim->queue, GUINT_TO_POINTER (ev.call));
            sim->queue_links[ev.call] = g_queue_peek_tail_link (&sim->queue);
            sim->plan->n_offered++;
            plan_emit (sim->plan, SIGNPOST_TRAFFIC_OFFERED, ev.at_us, ev.call);
            sim_answer_next (sim, ev.at_us);
            if (sim->queue_links[ev.call] == NULL)
              break;
            if (call->accepts_callback && ahead >= sim->self->params.callback_threshold &&
                call->patience_s > sim->self->params.callback_offer_s)
              sim_push (&sim->heap, SIM_CALLBACK_OFFER,
                        round_to_ms (ev.at_us + sim->self->params.callback_offer_s * USEC_PER_SEC),
                        ev.call, 0);
            else
              sim_push (&sim->heap, SIM_PATIENCE,
                        round_to_ms (ev.at_us + call->patience_s * USEC_PER_SEC), ev.call, 0);
          }
          break;

        case SIM_CALLBACK_OFFER:
          if (!waiting)
            break;
          /* they keep their place and no longer hang up */
          call->callback = TRUE;
          call->callback_number = call->cli != NULL
            ? g_strdup (call->cli)
            : signpost_caller_pool_draw_unknown (sim->self->pool, sim->rand);
          if (call->callback_number == NULL)
            call->callback_number = g_strdup ("+447700900000");
          sim->plan->n_callbacks_requested++;
          plan_emit (sim->plan, SIGNPOST_TRAFFIC_CALLBACK_REQUESTED, ev.at_us, ev.call);
          break;

        case SIM_PATIENCE:
          if (!waiting || call->callback)
            break;
          sim_leave_queue (sim, ev.call);
          call->abandoned = TRUE;
          sim->plan->n_abandoned++;
          plan_emit (sim->plan, SIGNPOST_TRAFFIC_ABANDONED, ev.at_us, ev.call);
          break;

        case SIM_AGENT_DONE:
          sim->agent_call[ev.agent] = 0;
          plan_emit (sim->plan, SIGNPOST_TRAFFIC_ENDED, ev.at_us, ev.call);
          sim_answer_next (sim, ev.at_us);
          break;

        default:
          g_assert_not_reached ();
        }
    }
}

static char *
seed_tag (SignpostTrafficModel *self)
{
  return g_strdup_printf ("%" G_GINT64_MODIFIER "x", self->seed);
}

/**
 * signpost_traffic_model_plan_day:
 * @date: the day, in the practices' own time zones
 * @day: the profile to play (a closed day plans no calls)
 * @from_us: no arrivals before this instant (realtime mode joining a day
 *   already under way); 0 for the whole day
 *
 * Works out a whole day: arrivals from 08:00 (or @from_us) to 18:30, then
 * the queue until every caller is answered, has hung up or waits for a
 * callback that no simulated navigator is there to make.
 */
SignpostTrafficPlan *
signpost_traffic_model_plan_day (SignpostTrafficModel *self,
                                 const GDate          *date,
                                 SignpostTrafficDay    day,
                                 gint64                from_us)
{
  g_autoptr(SignpostTrafficPlan) plan = plan_new ();
  g_autoptr(GArray) arrivals = g_array_new (FALSE, FALSE, sizeof (Arrival));
  g_autoptr(GRand) rand = NULL;
  g_autofree char *tag = NULL;
  Sim sim = { 0, };
  char ymd[16];

  g_return_val_if_fail (SIGNPOST_IS_TRAFFIC_MODEL (self), NULL);
  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  rand = rand_for (self, g_date_get_julian (date), (guint32) day);
  tag = seed_tag (self);
  g_snprintf (ymd, sizeof ymd, "%04d%02d%02d", g_date_get_year (date),
              g_date_get_month (date), g_date_get_day (date));

  for (guint i = 0; i < self->practices->len; i++)
    draw_arrivals (self, rand, i, date, day, from_us, arrivals);
  g_array_sort (arrivals, compare_arrivals);

  g_array_set_size (plan->calls, arrivals->len);
  for (guint i = 0; i < arrivals->len; i++)
    {
      Arrival *arrival = &g_array_index (arrivals, Arrival, i);
      SignpostTrafficCall *call = &g_array_index (plan->calls, SignpostTrafficCall, i);

      call->call_ref = g_strdup_printf ("cg-%s-%s-%05u", tag, ymd, i + 1);
      call->offered_us = arrival->at_us;
      draw_caller (self, rand, g_ptr_array_index (self->practices, arrival->practice), call);
    }

  sim.self = self;
  sim.plan = plan;
  sim.rand = rand;
  sim.heap.heap = g_array_new (FALSE, FALSE, sizeof (SimEvent));
  g_queue_init (&sim.queue);
  sim.queue_links = g_new0 (GList *, MAX (plan->calls->len, 1));
  sim.agent_call = g_new0 (guint, MAX (self->navigators, 1));

  for (guint i = 0; i < plan->calls->len; i++)
    sim_push (&sim.heap, SIM_ARRIVAL, g_array_index (plan->calls, SignpostTrafficCall, i).offered_us, i, 0);
  sim_run (&sim);

  g_queue_clear (&sim.queue);
  g_array_unref (sim.heap.heap);
  g_free (sim.queue_links);
  g_free (sim.agent_call);

  return g_steal_pointer (&plan);
}

static int
compare_events (gconstpointer a,
                gconstpointer b)
{
  const SignpostTrafficEvent *x = a, *y = b;

  if (x->at_us != y->at_us)
    return x->at_us < y->at_us ? -1 : 1;
  if (x->call != y->call)
    return x->call < y->call ? -1 : 1;
  return (int) x->kind - (int) y->kind;
}

/**
 * signpost_traffic_model_plan_rate:
 * @calls_per_s: new calls a second, evenly spaced
 * @duration_s: for how long
 * @start_us: the instant of the first call
 *
 * A load test: short calls spread round the lines in turn, each offered
 * and hung up after a hold of a second or so. Callers come from the
 * practices' records as in a day.
 */
SignpostTrafficPlan *
signpost_traffic_model_plan_rate (SignpostTrafficModel *self,
                                  double                calls_per_s,
                                  double                duration_s,
                                  gint64                start_us)
{
  g_autoptr(SignpostTrafficPlan) plan = plan_new ();
  g_autoptr(GRand) rand = NULL;
  g_autofree char *tag = NULL;
  guint n_calls, n_slots = 0;

  g_return_val_if_fail (SIGNPOST_IS_TRAFFIC_MODEL (self), NULL);
  g_return_val_if_fail (calls_per_s > 0, NULL);
  g_return_val_if_fail (duration_s >= 0, NULL);

  if (self->practices->len == 0)
    return g_steal_pointer (&plan);

  rand = rand_for (self, 0x72617465 /* "rate" */, 0);
  tag = seed_tag (self);
  n_calls = (guint) MIN (floor (calls_per_s * duration_s + 0.5), (double) G_MAXUINT / 4);
  for (guint i = 0; i < self->practices->len; i++)
    n_slots += ((PracticeLines *) g_ptr_array_index (self->practices, i))->lines->len;

  g_array_set_size (plan->calls, n_calls);
  for (guint i = 0; i < n_calls; i++)
    {
      SignpostTrafficCall *call = &g_array_index (plan->calls, SignpostTrafficCall, i);
      guint slot = i % n_slots, p;
      PracticeLines *lines = NULL;
      double hold;

      for (p = 0; p < self->practices->len; p++)
        {
          lines = g_ptr_array_index (self->practices, p);
          if (slot < lines->lines->len)
            break;
          slot -= lines->lines->len;
        }

      call->call_ref = g_strdup_printf ("cg-%s-r-%06u", tag, i + 1);
      call->offered_us = round_to_ms (start_us + i * (USEC_PER_SEC / calls_per_s));
      draw_caller (self, rand, lines, call);
      g_free (call->line);
      call->line = g_strdup (g_ptr_array_index (lines->lines, slot));
      hold = self->params.rate_hold_min_s +
        g_rand_double (rand) * MAX (0, self->params.rate_hold_max_s - self->params.rate_hold_min_s);

      call->abandoned = TRUE;
      plan->n_offered++;
      plan->n_abandoned++;
      plan_emit (plan, SIGNPOST_TRAFFIC_OFFERED, call->offered_us, i);
      plan_emit (plan, SIGNPOST_TRAFFIC_ABANDONED, round_to_ms (call->offered_us + hold * USEC_PER_SEC), i);
    }
  g_array_sort (plan->events, compare_events);

  return g_steal_pointer (&plan);
}

/**
 * signpost_traffic_plan_merge:
 * @plans: (element-type SignpostTrafficPlan) (transfer full): plans of
 *   the same day (one per practice, say), emptied and freed here
 * @first_calls: (out caller-allocates) (array) (optional): where each
 *   plan's calls begin in the merged plan
 *
 * One plan of all their calls, with the events in time order, so that
 * they are played together.
 */
SignpostTrafficPlan *
signpost_traffic_plan_merge (GPtrArray *plans,
                             guint     *first_calls)
{
  SignpostTrafficPlan *merged = plan_new ();

  g_return_val_if_fail (plans != NULL, merged);

  for (guint i = 0; i < plans->len; i++)
    {
      SignpostTrafficPlan *plan = g_ptr_array_index (plans, i);
      guint offset = merged->calls->len;

      if (first_calls != NULL)
        first_calls[i] = offset;
      /* The calls' strings move over: the old array must not free them. */
      g_array_append_vals (merged->calls, plan->calls->data, plan->calls->len);
      g_array_set_clear_func (plan->calls, NULL);
      for (guint e = 0; e < plan->events->len; e++)
        {
          SignpostTrafficEvent ev = g_array_index (plan->events, SignpostTrafficEvent, e);

          ev.call += offset;
          g_array_append_val (merged->events, ev);
        }
      merged->n_offered += plan->n_offered;
      merged->n_answered += plan->n_answered;
      merged->n_abandoned += plan->n_abandoned;
      merged->n_callbacks_requested += plan->n_callbacks_requested;
      merged->n_callbacks_made += plan->n_callbacks_made;
    }
  g_array_sort (merged->events, compare_events);
  g_ptr_array_unref (plans);
  return merged;
}

const char *
signpost_traffic_event_kind_to_string (SignpostTrafficEventKind kind)
{
  switch (kind)
    {
    case SIGNPOST_TRAFFIC_OFFERED:
      return "call.offered";
    case SIGNPOST_TRAFFIC_CALLBACK_REQUESTED:
      return "call.callback_requested";
    case SIGNPOST_TRAFFIC_ABANDONED:
      return "call.abandoned";
    case SIGNPOST_TRAFFIC_ANSWERED:
      return "call.answered";
    case SIGNPOST_TRAFFIC_ENDED:
      return "call.ended";
    default:
      g_return_val_if_reached (NULL);
    }
}

/* What the phone system calls a simulated navigator. */
char *
signpost_traffic_agent_name (guint agent)
{
  return g_strdup_printf ("callgen-navigator-%u", agent);
}

static GDateTime *
instant_from_usec (gint64 at_us)
{
  g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_utc (at_us / USEC_PER_SEC);

  /* g_date_time_new_from_unix_utc_usec() is GLib 2.80 */
  return g_date_time_add (seconds, at_us % USEC_PER_SEC);
}

/**
 * signpost_traffic_plan_event_to_json:
 * @at_us: the instant to send as `at` (the simulated one in replay, the
 *   wall clock in realtime)
 *
 * The webhook body for one event (docs/PROTOCOL.md, telephony webhook).
 */
char *
signpost_traffic_plan_event_to_json (SignpostTrafficPlan *plan,
                                     guint                index,
                                     gint64               at_us,
                                     gsize               *length)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) at = NULL;
  g_autofree char *at_text = NULL;
  const SignpostTrafficEvent *ev;
  const SignpostTrafficCall *call;

  g_return_val_if_fail (plan != NULL, NULL);
  g_return_val_if_fail (index < plan->events->len, NULL);

  ev = &g_array_index (plan->events, SignpostTrafficEvent, index);
  call = &g_array_index (plan->calls, SignpostTrafficCall, ev->call);
  at = instant_from_usec (at_us);
  at_text = signpost_timestamp_format (at);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "event");
  json_builder_add_string_value (builder, signpost_traffic_event_kind_to_string (ev->kind));
  json_builder_set_member_name (builder, "call_ref");
  json_builder_add_string_value (builder, call->call_ref);
  json_builder_set_member_name (builder, "line");
  json_builder_add_string_value (builder, call->line);
  json_builder_set_member_name (builder, "cli");
  if (call->cli != NULL)
    json_builder_add_string_value (builder, call->cli);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "at");
  json_builder_add_string_value (builder, at_text);
  if (ev->kind == SIGNPOST_TRAFFIC_CALLBACK_REQUESTED)
    {
      json_builder_set_member_name (builder, "number");
      json_builder_add_string_value (builder, call->callback_number);
    }
  if (ev->kind == SIGNPOST_TRAFFIC_ANSWERED && call->agent > 0)
    {
      g_autofree char *agent = signpost_traffic_agent_name (call->agent);

      json_builder_set_member_name (builder, "agent");
      json_builder_add_string_value (builder, agent);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return signpost_json_to_string (root, length);
}
