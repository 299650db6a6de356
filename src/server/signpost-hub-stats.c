/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <math.h>
#include <string.h>

#include "signpost-hub-stats.h"

/*
 * The body of GET /stats/hub (docs/PROTOCOL.md): every practice the
 * caller may see side by side, week by week, with the hub's total and
 * funnel plots of three rates. The store adds the figures up (its running
 * daily totals, signpost_store_hub_tallies()); this file cuts
 * the span into weeks of each practice's local calendar, turns counts
 * into rates a manager can compare — per 1,000 registered patients a
 * week, shares of calls, shares of appointments — and places each
 * practice against the control limits (src/core/signpost-funnel.c).
 *
 * No patient appears here: counts only.
 */

typedef struct {
  SignpostHubTally tally;
  GHashTable *routes;             /* "route\ttarget" → gint64 * */
} Figures;

typedef struct {
  SignpostPractice *practice;
  gint64 list_size;
  gboolean visible;
  Figures totals;
  Figures *weeks;
} PracticeFigures;

typedef struct {
  GDate from;
  GDate to;
} Week;

typedef struct {
  PracticeFigures *practices;
  guint n_practices;
  guint n_weeks;
} Collect;

static void
figures_init (Figures *f)
{
  memset (&f->tally, 0, sizeof f->tally);
  f->tally.wait_max_ms = -1;
  f->routes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static void
figures_clear (Figures *f)
{
  g_clear_pointer (&f->routes, g_hash_table_unref);
}

static void
figures_add_route (Figures    *f,
                   const char *key,
                   gint64      count)
{
  gint64 *total = g_hash_table_lookup (f->routes, key);

  if (total == NULL)
    {
      total = g_new0 (gint64, 1);
      g_hash_table_insert (f->routes, g_strdup (key), total);
    }
  *total += count;
}

static void
figures_add (Figures       *sum,
             const Figures *f)
{
  SignpostHubTally *s = &sum->tally;
  const SignpostHubTally *t = &f->tally;
  GHashTableIter iter;
  gpointer key, value;

  s->offered += t->offered;
  s->answered += t->answered;
  s->answered_in_time += t->answered_in_time;
  s->wait_sum_ms += t->wait_sum_ms;
  s->wait_max_ms = MAX (s->wait_max_ms, t->wait_max_ms);
  s->abandoned += t->abandoned;
  s->abandon_n += t->abandon_n;
  s->abandon_sum_ms += t->abandon_sum_ms;
  s->missed += t->missed;
  s->callbacks_requested += t->callbacks_requested;
  s->callbacks_made += t->callbacks_made;
  s->slots_offered += t->slots_offered;
  s->slots_booked += t->slots_booked;
  s->slots_used += t->slots_used;
  s->slots_dna += t->slots_dna;
  s->slots_unused += t->slots_unused;
  s->slots_hub_booked += t->slots_hub_booked;
  s->online_requests += t->online_requests;

  g_hash_table_iter_init (&iter, f->routes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    figures_add_route (sum, key, *(gint64 *) value);
}

static gboolean
route_cb (guint       cell,
          const char *route,
          const char *target,
          gint64      count,
          gpointer    data)
{
  Collect *collect = data;
  PracticeFigures *p = &collect->practices[cell / collect->n_weeks];
  g_autofree char *key = g_strconcat (route != NULL ? route : "", "\t",
                                      target != NULL ? target : "", NULL);

  figures_add_route (&p->weeks[cell % collect->n_weeks], key, count);
  return TRUE;
}

static gint64
to_ms (GDateTime *instant)
{
  return g_date_time_to_unix (instant) * 1000 + g_date_time_get_microsecond (instant) / 1000;
}

/* The practice's time zone (UTC for one this machine does not know, as
 * the store's signpost_local_day() has it), read once a request: most
 * practices share one, and reading a zone is reading its file. */
static GTimeZone *
practice_time_zone (GHashTable       *zones,
                    SignpostPractice *practice)
{
  const char *name = signpost_practice_get_time_zone (practice);
  GTimeZone *tz = g_hash_table_lookup (zones, name != NULL ? name : "");

  if (tz == NULL)
    {
      tz = signpost_time_zone_new (name, NULL);
      if (tz == NULL)
        tz = g_time_zone_new_utc ();
      g_hash_table_insert (zones, g_strdup (name != NULL ? name : ""), tz);
    }
  return g_time_zone_ref (tz);
}

static gint64
local_midnight_ms (const GDate *date,
                   GTimeZone   *tz)
{
  g_autoptr(GDateTime) midnight = signpost_local_time_to_utc (date, 0, 0, tz);

  return midnight != NULL ? to_ms (midnight) : 0;
}

/* Monday to Sunday, the first and last cut to [from, to]. */
static GArray *
split_weeks (const GDate *from,
             const GDate *to)
{
  GArray *weeks = g_array_new (FALSE, FALSE, sizeof (Week));
  GDate monday = *from;

  g_date_subtract_days (&monday, g_date_get_weekday (from) - G_DATE_MONDAY);
  while (g_date_compare (&monday, to) <= 0)
    {
      Week week;
      GDate sunday = monday;

      g_date_add_days (&sunday, 6);
      week.from = g_date_compare (&monday, from) < 0 ? *from : monday;
      week.to = g_date_compare (&sunday, to) > 0 ? *to : sunday;
      g_array_append_val (weeks, week);
      g_date_add_days (&monday, 7);
    }
  return weeks;
}

static double
days_between (const GDate *from,
              const GDate *to)
{
  return (double) (g_date_days_between (from, to) + 1);
}

/* ---- JSON -------------------------------------------------------------- */

static void
set_number_or_null (JsonObject *object,
                    const char *key,
                    double      value)
{
  if (isnan (value))
    json_object_set_null_member (object, key);
  else
    json_object_set_double_member (object, key, value);
}

static void
set_string_or_null (JsonObject *object,
                    const char *key,
                    const char *value)
{
  if (value != NULL && *value != '\0')
    json_object_set_string_member (object, key, value);
  else
    json_object_set_null_member (object, key);
}

static double
share (gint64 part,
       gint64 whole)
{
  if (whole <= 0)
    return NAN;
  return round ((double) part / (double) whole * 10000.0) / 10000.0;
}

/* Per 1,000 registered patients a week, to one decimal place. */
static double
per_1000_per_week (gint64 count,
                   gint64 list_size,
                   double days)
{
  if (list_size <= 0 || days <= 0)
    return NAN;
  return round ((double) count * 1000.0 / (double) list_size / (days / 7.0) * 10.0) / 10.0;
}

static double
mean_seconds (gint64 sum_ms,
              gint64 n)
{
  if (n <= 0)
    return NAN;
  return round ((double) sum_ms / (double) n / 100.0) / 10.0;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

static JsonObject *
calls_json (const SignpostHubTally *t,
            gint64                  list_size,
            double                  days)
{
  JsonObject *calls = json_object_new ();

  json_object_set_int_member (calls, "offered", t->offered);
  set_number_or_null (calls, "offered_per_1000_per_week",
                      per_1000_per_week (t->offered, list_size, days));
  json_object_set_int_member (calls, "answered", t->answered);
  json_object_set_int_member (calls, "answered_within_60s", t->answered_in_time);
  set_number_or_null (calls, "answered_within_60s_rate", share (t->answered_in_time, t->offered));
  json_object_set_int_member (calls, "abandoned", t->abandoned);
  set_number_or_null (calls, "abandoned_rate", share (t->abandoned, t->offered));
  json_object_set_int_member (calls, "missed", t->missed);
  json_object_set_int_member (calls, "callbacks_requested", t->callbacks_requested);
  json_object_set_int_member (calls, "callbacks_made", t->callbacks_made);
  set_number_or_null (calls, "mean_wait_s", mean_seconds (t->wait_sum_ms, t->answered));
  set_number_or_null (calls, "longest_wait_s",
                      t->wait_max_ms >= 0 && t->answered > 0
                        ? round ((double) t->wait_max_ms / 100.0) / 10.0 : NAN);
  set_number_or_null (calls, "mean_abandon_s", mean_seconds (t->abandon_sum_ms, t->abandon_n));
  return calls;
}

static JsonObject *
appointments_json (const SignpostHubTally *t,
                   gint64                  list_size,
                   double                  days)
{
  JsonObject *appointments = json_object_new ();

  json_object_set_int_member (appointments, "offered", t->slots_offered);
  set_number_or_null (appointments, "offered_per_1000_per_week",
                      per_1000_per_week (t->slots_offered, list_size, days));
  json_object_set_int_member (appointments, "booked", t->slots_booked);
  json_object_set_int_member (appointments, "used", t->slots_used);
  json_object_set_int_member (appointments, "unused", t->slots_unused);
  json_object_set_int_member (appointments, "did_not_attend", t->slots_dna);
  set_number_or_null (appointments, "did_not_attend_rate",
                      share (t->slots_dna, t->slots_used + t->slots_dna));
  json_object_set_int_member (appointments, "booked_by_hub", t->slots_hub_booked);
  return appointments;
}

static JsonObject *
navigation_json (const Figures *f)
{
  JsonObject *navigation = json_object_new ();
  JsonArray *routes = json_array_new ();
  g_autofree gpointer *keys = NULL;
  guint n = 0;
  gint64 total = 0;

  keys = g_hash_table_get_keys_as_array (f->routes, &n);
  qsort (keys, n, sizeof (gpointer), compare_strings);
  for (guint i = 0; i < n; i++)
    {
      gint64 count = *(gint64 *) g_hash_table_lookup (f->routes, keys[i]);
      g_auto(GStrv) parts = g_strsplit (keys[i], "\t", 2);
      JsonObject *route;

      if (count <= 0)
        continue;
      route = json_object_new ();
      set_string_or_null (route, "route", parts[0]);
      set_string_or_null (route, "target", parts[1]);
      json_object_set_int_member (route, "count", count);
      json_array_add_object_element (routes, route);
      total += count;
    }
  json_object_set_int_member (navigation, "total", total);
  json_object_set_array_member (navigation, "routes", routes);
  return navigation;
}

static JsonObject *
figures_json (const Figures *f,
              gint64         list_size,
              const GDate   *from,
              const GDate   *to)
{
  JsonObject *object = json_object_new ();
  JsonObject *online = json_object_new ();
  g_autofree char *from_text = signpost_date_format (from);
  g_autofree char *to_text = signpost_date_format (to);
  double days = days_between (from, to);

  json_object_set_string_member (object, "from", from_text);
  json_object_set_string_member (object, "to", to_text);
  json_object_set_object_member (object, "calls", calls_json (&f->tally, list_size, days));
  /* Requests from the practice's form and other online-consultation
   * products (the intake API): navigation records whose source is not the
   * phone. */
  json_object_set_int_member (online, "count", f->tally.online_requests);
  set_number_or_null (online, "per_1000_per_week",
                      per_1000_per_week (f->tally.online_requests, list_size, days));
  json_object_set_object_member (object, "online_requests", online);
  json_object_set_object_member (object, "appointments",
                                 appointments_json (&f->tally, list_size, days));
  json_object_set_object_member (object, "navigation", navigation_json (f));
  return object;
}

static JsonArray *
weeks_json (const Figures *weeks,
            GArray        *spans,
            gint64         list_size)
{
  JsonArray *array = json_array_new ();

  for (guint w = 0; w < spans->len; w++)
    {
      const Week *week = &g_array_index (spans, Week, w);

      json_array_add_object_element (array, figures_json (&weeks[w], list_size,
                                                         &week->from, &week->to));
    }
  return array;
}

/* ---- funnels ----------------------------------------------------------- */

typedef struct {
  const char *measure;
  gint64 (*events) (const SignpostHubTally *t);
  gint64 (*volume) (const SignpostHubTally *t);
} Measure;

static gint64 answered_in_time (const SignpostHubTally *t) { return t->answered_in_time; }
static gint64 offered (const SignpostHubTally *t) { return t->offered; }
static gint64 abandoned (const SignpostHubTally *t) { return t->abandoned; }
static gint64 dna (const SignpostHubTally *t) { return t->slots_dna; }
static gint64 attended_or_not (const SignpostHubTally *t) { return t->slots_used + t->slots_dna; }

static const Measure measures[] = {
  { "answered_within_60s", answered_in_time, offered },
  { "abandoned", abandoned, offered },
  { "did_not_attend", dna, attended_or_not },
};

static double
round_rate (double value)
{
  return isnan (value) ? NAN : round (value * 1000000.0) / 1000000.0;
}

static JsonObject *
funnel_json (const Measure          *measure,
             const SignpostHubTally *overall,
             const PracticeFigures  *practices,
             guint                   n_practices)
{
  JsonObject *funnel = json_object_new ();
  JsonArray *points = json_array_new ();
  gint64 events = measure->events (overall), volume = measure->volume (overall);
  double rate = volume > 0 ? (double) events / (double) volume : NAN;

  json_object_set_string_member (funnel, "measure", measure->measure);
  json_object_set_int_member (funnel, "events", events);
  json_object_set_int_member (funnel, "n", volume);
  set_number_or_null (funnel, "overall", round_rate (rate));

  for (guint i = 0; i < n_practices; i++)
    {
      const PracticeFigures *p = &practices[i];
      JsonObject *point;
      gint64 e, n;
      SignpostFunnelLimits limits = { NAN, NAN, NAN, NAN };
      SignpostFunnelPosition position = SIGNPOST_FUNNEL_NONE;

      if (!p->visible)
        continue;
      e = measure->events (&p->totals.tally);
      n = measure->volume (&p->totals.tally);
      if (!isnan (rate) && n > 0 && e >= 0 && e <= n)
        {
          signpost_funnel_limits (rate, (guint64) n, &limits);
          position = signpost_funnel_position ((guint64) e, (guint64) n, rate);
        }
      point = json_object_new ();
      json_object_set_string_member (point, "practice_id",
                                     signpost_record_get_id (SIGNPOST_RECORD (p->practice)));
      json_object_set_int_member (point, "events", e);
      json_object_set_int_member (point, "n", n);
      set_number_or_null (point, "rate", n > 0 ? round_rate ((double) e / (double) n) : NAN);
      set_number_or_null (point, "lower_95", round_rate (limits.lower_95));
      set_number_or_null (point, "upper_95", round_rate (limits.upper_95));
      set_number_or_null (point, "lower_99_8", round_rate (limits.lower_998));
      set_number_or_null (point, "upper_99_8", round_rate (limits.upper_998));
      json_object_set_string_member (point, "position", signpost_funnel_position_to_nick (position));
      json_array_add_object_element (points, point);
    }
  json_object_set_array_member (funnel, "practices", points);
  return funnel;
}

/* ---- the reply --------------------------------------------------------- */

static int
compare_practice_figures (gconstpointer a,
                          gconstpointer b)
{
  const PracticeFigures *x = a, *y = b;
  int order = g_strcmp0 (signpost_practice_get_ods_code (x->practice),
                         signpost_practice_get_ods_code (y->practice));

  if (order == 0)
    order = g_strcmp0 (signpost_record_get_id (SIGNPOST_RECORD (x->practice)),
                       signpost_record_get_id (SIGNPOST_RECORD (y->practice)));
  return order;
}

static void
practices_clear (PracticeFigures *practices,
                 guint            n_practices,
                 guint            n_weeks)
{
  for (guint i = 0; i < n_practices; i++)
    {
      figures_clear (&practices[i].totals);
      for (guint w = 0; w < n_weeks; w++)
        figures_clear (&practices[i].weeks[w]);
      g_free (practices[i].weeks);
      g_clear_object (&practices[i].practice);
    }
  g_free (practices);
}

/**
 * signpost_hub_stats:
 * @practices: (element-type SignpostPractice): every practice of the hub
 *   (the server)
 * @visible: the ids of those the caller may see the figures of
 * @from: the first local day
 * @to: the last local day (at most %SIGNPOST_HUB_STATS_MAX_DAYS after
 *   @from; the caller checks)
 * @now: the time of the request
 *
 * The body of GET /stats/hub.
 */
JsonObject *
signpost_hub_stats (SignpostStore  *store,
                    GPtrArray      *practices,
                    GHashTable     *visible,
                    const GDate    *from,
                    const GDate    *to,
                    GDateTime      *now,
                    GError        **error)
{
  g_autoptr(GArray) spans = NULL;
  g_autofree SignpostHubCell *cells = NULL;
  g_autofree SignpostHubTally *tallies = NULL;
  g_autoptr(JsonArray) weeks = json_array_new ();
  g_autoptr(JsonArray) practice_array = json_array_new ();
  g_autoptr(JsonArray) funnels = json_array_new ();
  g_autoptr(GHashTable) zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       (GDestroyNotify) g_time_zone_unref);
  g_autofree char *from_text = signpost_date_format (from);
  g_autofree char *to_text = signpost_date_format (to);
  Collect collect = { 0 };
  Figures hub_totals;
  Figures *hub_weeks;
  gint64 hub_list_size = 0;
  guint n_hidden = 0;
  gboolean show_hub;
  JsonObject *reply;

  g_return_val_if_fail (SIGNPOST_IS_STORE (store), NULL);
  g_return_val_if_fail (practices != NULL && visible != NULL, NULL);
  g_return_val_if_fail (g_date_valid (from) && g_date_valid (to), NULL);
  g_return_val_if_fail (g_date_compare (from, to) <= 0, NULL);

  spans = split_weeks (from, to);
  collect.n_weeks = spans->len;
  collect.n_practices = practices->len;
  collect.practices = g_new0 (PracticeFigures, MAX (practices->len, 1));
  cells = g_new0 (SignpostHubCell, MAX (practices->len * spans->len, 1));
  tallies = g_new0 (SignpostHubTally, MAX (practices->len * spans->len, 1));

  for (guint i = 0; i < practices->len; i++)
    {
      PracticeFigures *p = &collect.practices[i];
      const char *id;
      g_autoptr(GTimeZone) tz = NULL;
      GDate today;
      gint64 settle_ms;

      p->practice = g_object_ref (g_ptr_array_index (practices, i));
      id = signpost_record_get_id (SIGNPOST_RECORD (p->practice));
      p->visible = g_hash_table_contains (visible, id);
      figures_init (&p->totals);
      p->weeks = g_new0 (Figures, MAX (spans->len, 1));
      for (guint w = 0; w < spans->len; w++)
        figures_init (&p->weeks[w]);

      tz = practice_time_zone (zones, p->practice);
      signpost_local_date (now, tz, &today);
      settle_ms = local_midnight_ms (&today, tz);
      for (guint w = 0; w < spans->len; w++)
        {
          const Week *week = &g_array_index (spans, Week, w);
          SignpostHubCell *cell = &cells[i * spans->len + w];
          GDate after = week->to;

          g_date_add_days (&after, 1);
          cell->practice_id = id;
          cell->from_ms = local_midnight_ms (&week->from, tz);
          cell->to_ms = local_midnight_ms (&after, tz);
          cell->settle_ms = settle_ms;
        }
      if (!signpost_store_count_list_size (store, id, &p->list_size, error))
        {
          practices_clear (collect.practices, i + 1, spans->len);
          return NULL;
        }
    }

  if (!signpost_store_hub_tallies (store, cells, practices->len * spans->len, tallies, route_cb,
                                   &collect, error))
    {
      practices_clear (collect.practices, practices->len, spans->len);
      return NULL;
    }

  figures_init (&hub_totals);
  hub_weeks = g_new0 (Figures, MAX (spans->len, 1));
  for (guint w = 0; w < spans->len; w++)
    figures_init (&hub_weeks[w]);
  for (guint i = 0; i < practices->len; i++)
    {
      PracticeFigures *p = &collect.practices[i];

      for (guint w = 0; w < spans->len; w++)
        {
          p->weeks[w].tally = tallies[i * spans->len + w];
          figures_add (&p->totals, &p->weeks[w]);
          figures_add (&hub_weeks[w], &p->weeks[w]);
        }
      figures_add (&hub_totals, &p->totals);
      hub_list_size += p->list_size;
      if (!p->visible)
        n_hidden++;
    }
  show_hub = n_hidden == 0 || n_hidden >= SIGNPOST_HUB_STATS_MIN_HIDDEN;

  qsort (collect.practices, practices->len, sizeof (PracticeFigures), compare_practice_figures);

  for (guint w = 0; w < spans->len; w++)
    {
      const Week *week = &g_array_index (spans, Week, w);
      JsonObject *object = json_object_new ();
      g_autofree char *a = signpost_date_format (&week->from);
      g_autofree char *b = signpost_date_format (&week->to);

      json_object_set_string_member (object, "from", a);
      json_object_set_string_member (object, "to", b);
      json_object_set_int_member (object, "days", (gint64) days_between (&week->from, &week->to));
      json_array_add_object_element (weeks, object);
    }

  for (guint i = 0; i < practices->len; i++)
    {
      PracticeFigures *p = &collect.practices[i];
      JsonObject *object;

      if (!p->visible)
        continue;
      object = json_object_new ();
      json_object_set_string_member (object, "practice_id",
                                     signpost_record_get_id (SIGNPOST_RECORD (p->practice)));
      set_string_or_null (object, "ods_code", signpost_practice_get_ods_code (p->practice));
      set_string_or_null (object, "name", signpost_practice_get_name (p->practice));
      json_object_set_int_member (object, "list_size", p->list_size);
      json_object_set_object_member (object, "totals",
                                     figures_json (&p->totals, p->list_size, from, to));
      json_object_set_array_member (object, "weeks", weeks_json (p->weeks, spans, p->list_size));
      json_array_add_object_element (practice_array, object);
    }

  /* The funnels are drawn around the hub's rate when the caller may have
   * it, else around the rate of the practices they see. */
  {
    Figures overall;

    figures_init (&overall);
    for (guint i = 0; i < practices->len; i++)
      if (show_hub || collect.practices[i].visible)
        figures_add (&overall, &collect.practices[i].totals);
    for (guint m = 0; m < G_N_ELEMENTS (measures); m++)
      json_array_add_object_element (funnels, funnel_json (&measures[m], &overall.tally,
                                                           collect.practices, practices->len));
    figures_clear (&overall);
  }

  reply = json_object_new ();
  json_object_set_string_member (reply, "from", from_text);
  json_object_set_string_member (reply, "to", to_text);
  json_object_set_array_member (reply, "weeks", g_steal_pointer (&weeks));
  json_object_set_array_member (reply, "practices", g_steal_pointer (&practice_array));
  if (show_hub)
    {
      JsonObject *hub = json_object_new ();

      json_object_set_int_member (hub, "practices", practices->len);
      json_object_set_int_member (hub, "list_size", hub_list_size);
      json_object_set_object_member (hub, "totals", figures_json (&hub_totals, hub_list_size, from, to));
      json_object_set_array_member (hub, "weeks", weeks_json (hub_weeks, spans, hub_list_size));
      json_object_set_object_member (reply, "hub", hub);
    }
  else
    json_object_set_null_member (reply, "hub");
  json_object_set_string_member (reply, "funnel_method", "exact_binomial");
  json_object_set_array_member (reply, "funnels", g_steal_pointer (&funnels));

  figures_clear (&hub_totals);
  for (guint w = 0; w < spans->len; w++)
    figures_clear (&hub_weeks[w]);
  g_free (hub_weeks);
  practices_clear (collect.practices, practices->len, spans->len);
  return reply;
}
