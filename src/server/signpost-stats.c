/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <math.h>
#include <string.h>

#include "signpost-erlang.h"
#include "signpost-stats.h"

/*
 * Demand and capacity statistics, computed from the stored call timelines
 * whenever they are asked for: a manager looking at a day mid-surge sees
 * it up to the last event. The store hands over each call once (one index
 * range, no query per interval) and this file sorts them into intervals in
 * one pass, so none of it depends on the store's dialect.
 *
 * Counting rules (the NHS England cloud-based telephony ones, DOMAIN.md):
 *
 * - A call belongs to the interval, and the day, in which it was offered;
 *   everything that later happens to it (an answer, a hang-up, a callback
 *   made the next morning) is counted there. The one exception is
 *   on_phones in /stats/staffing, which is about who answered in an
 *   interval, whenever those calls were offered.
 * - offered: every call the phone system reported (call.offered).
 * - callbacks_requested: calls whose caller accepted a callback, whatever
 *   happened next. A booked callback is a callback requested, *not* a call
 *   answered, even once the callback has been made.
 * - callbacks_made: of those, the ones the practice has called back at
 *   least once: the callback was answered, or completed (reached or
 *   failed contact), or at least one attempt found nobody in.
 * - answered: calls answered by a person (a navigator through Signpost, or
 *   an agent at the phone system) that were not callbacks. answered +
 *   callbacks_requested is what suppliers call "handled".
 * - abandoned: the caller hung up while waiting in the queue.
 * - missed: calls that were neither answered, abandoned nor turned into a
 *   callback request, and are over: the phone system ended them without
 *   a person answering (voicemail, a full queue, the closed message:
 *   call.missed, state ended with no answered_at), or they were still
 *   waiting (queued or ringing) when their day ended, so that nobody
 *   answered them that day. A call still waiting on the day in progress
 *   is not counted as anything but offered yet.
 *   For a day that is over: offered = answered + abandoned + missed +
 *   callbacks_requested.
 * - mean_wait_s, longest_wait_s: from offered to answered, over answered
 *   calls. mean_abandon_s: from offered to the hang-up, over abandoned
 *   calls. mean_talk_s: from answered to ended, over every call that was
 *   answered and has ended (callbacks that were answered included).
 * - service_level: the share of offered calls answered within 60 s.
 *   Nothing is left out of the denominator: a caller who hangs up after
 *   three seconds counts as offered and not answered within 60 s (there
 *   is no short-abandon allowance), and so does a caller who took a
 *   callback.
 * - Means and the service level are null when there is nothing to take
 *   them over; seconds are rounded to 0.1 s, the service level to four
 *   places.
 */

#define INTERVAL_MS ((gint64) SIGNPOST_STATS_INTERVAL_MINUTES * 60 * 1000)
#define SERVICE_LEVEL_MS ((gint64) SIGNPOST_STATS_SERVICE_LEVEL_S * 1000)
#define UNNAMED_ANSWERER "\n"

typedef struct {
  gint64 offered;
  gint64 answered;
  gint64 abandoned;
  gint64 missed;
  gint64 callbacks_requested;
  gint64 callbacks_made;
  gint64 answered_in_time;
  gint64 wait_sum_ms;
  gint64 wait_max_ms;
  gint64 abandon_sum_ms;
  gint64 abandon_n;
  gint64 talk_sum_ms;
  gint64 talk_n;
  GHashTable *answerers;          /* "user id", "\tagent" or UNNAMED_ANSWERER */
} Tally;

/* Buckets [bounds[i], bounds[i + 1]) for i < n. A call still waiting once
 * @now is past settle[i] is a missed call. */
typedef struct {
  gint64 *bounds;
  gint64 *settle;
  guint n;
  gint64 now_ms;
  Tally *tallies;
  gboolean want_answerers;
} Pass;

static gint64
to_ms (GDateTime *instant)
{
  return g_date_time_to_unix (instant) * 1000 + g_date_time_get_microsecond (instant) / 1000;
}

static char *
format_ms (gint64 ms)
{
  g_autoptr(GDateTime) epoch = g_date_time_new_from_unix_utc (0);
  g_autoptr(GDateTime) instant = g_date_time_add (epoch, ms * 1000);

  return signpost_timestamp_format (instant);
}

static GTimeZone *
practice_time_zone (SignpostPractice *practice)
{
  GTimeZone *tz = signpost_time_zone_new (signpost_practice_get_time_zone (practice), NULL);

  return tz != NULL ? tz : g_time_zone_new_utc ();
}

/* Local midnight at the start of @date, in Unix milliseconds. */
static gint64
local_midnight_ms (const GDate *date,
                   GTimeZone   *tz)
{
  g_autoptr(GDateTime) midnight = signpost_local_time_to_utc (date, 0, 0, tz);

  return midnight != NULL ? to_ms (midnight) : 0;
}

static void
pass_init (Pass     *pass,
           guint     n,
           gint64    now_ms,
           gboolean  want_answerers)
{
  memset (pass, 0, sizeof *pass);
  pass->n = n;
  pass->bounds = g_new0 (gint64, n + 1);
  pass->settle = g_new0 (gint64, n);
  pass->tallies = g_new0 (Tally, n);
  pass->now_ms = now_ms;
  pass->want_answerers = want_answerers;
  for (guint i = 0; want_answerers && i < n; i++)
    pass->tallies[i].answerers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static void
pass_clear (Pass *pass)
{
  for (guint i = 0; i < pass->n; i++)
    g_clear_pointer (&pass->tallies[i].answerers, g_hash_table_unref);
  g_clear_pointer (&pass->tallies, g_free);
  g_clear_pointer (&pass->bounds, g_free);
  g_clear_pointer (&pass->settle, g_free);
}

/* The day's intervals: 96 of 15 minutes, 92 when the clocks go forward,
 * 100 when they go back (the repeated hour has its own four). */
static void
pass_init_day (Pass        *pass,
               const GDate *date,
               GTimeZone   *tz,
               gint64       now_ms,
               gboolean     want_answerers)
{
  GDate next = *date;
  gint64 start, end;
  guint n;

  g_date_add_days (&next, 1);
  start = local_midnight_ms (date, tz);
  end = local_midnight_ms (&next, tz);
  n = MAX ((end - start + INTERVAL_MS - 1) / INTERVAL_MS, 1);
  pass_init (pass, n, now_ms, want_answerers);
  for (guint i = 0; i < n; i++)
    {
      pass->bounds[i] = start + (gint64) i * INTERVAL_MS;
      pass->settle[i] = end;
    }
  pass->bounds[n] = MAX (end, pass->bounds[n - 1] + 1);
}

/* The bucket @ms falls in, or -1. */
static int
pass_find (const Pass *pass,
           gint64      ms)
{
  guint lo = 0, hi = pass->n;

  if (ms < 0 || ms < pass->bounds[0] || ms >= pass->bounds[pass->n])
    return -1;
  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;

      if (ms < pass->bounds[mid])
        hi = mid;
      else
        lo = mid;
    }
  return lo;
}

static gboolean
call_is_waiting (SignpostCallState state)
{
  return state == SIGNPOST_CALL_RINGING || state == SIGNPOST_CALL_QUEUED ||
         state == SIGNPOST_CALL_CALLBACK_REQUESTED;
}

/* The counting rules at the top of this file, for one call. */
static void
tally_call (Tally                   *t,
            const SignpostCallTimes *call,
            gint64                   settle_ms,
            gint64                   now_ms)
{
  t->offered++;
  if (call->callback_requested_ms >= 0)
    {
      t->callbacks_requested++;
      if (call->answered_ms >= 0 || call->callback_done_ms >= 0 || call->callback_attempts > 0)
        t->callbacks_made++;
    }
  else if (call->answered_ms >= 0)
    {
      gint64 wait = MAX (call->answered_ms - call->offered_ms, 0);

      t->answered++;
      t->wait_sum_ms += wait;
      t->wait_max_ms = MAX (t->wait_max_ms, wait);
      if (wait <= SERVICE_LEVEL_MS)
        t->answered_in_time++;
    }
  else if (call->abandoned_ms >= 0 || call->state == SIGNPOST_CALL_ABANDONED)
    {
      t->abandoned++;
      if (call->abandoned_ms >= 0)
        {
          t->abandon_sum_ms += MAX (call->abandoned_ms - call->offered_ms, 0);
          t->abandon_n++;
        }
    }
  else if (!call_is_waiting (call->state) || now_ms >= settle_ms)
    t->missed++;

  if (call->answered_ms >= 0 && call->ended_ms >= call->answered_ms)
    {
      t->talk_sum_ms += call->ended_ms - call->answered_ms;
      t->talk_n++;
    }
}

static gboolean
pass_call_cb (const SignpostCallTimes *call,
              gpointer                 data)
{
  Pass *pass = data;
  int i = pass_find (pass, call->offered_ms);

  if (i >= 0)
    tally_call (&pass->tallies[i], call, pass->settle[i], pass->now_ms);
  if (pass->want_answerers && call->answered_ms >= 0 && (i = pass_find (pass, call->answered_ms)) >= 0)
    {
      char *who;

      if (call->answered_by != NULL)
        who = g_strdup (call->answered_by);
      else if (call->agent != NULL)
        who = g_strconcat ("\t", call->agent, NULL);
      else
        who = g_strdup (UNNAMED_ANSWERER);
      g_hash_table_add (pass->tallies[i].answerers, who);
    }
  return TRUE;
}

static gboolean
pass_run (Pass           *pass,
          SignpostStore  *store,
          const char     *practice_id,
          GError        **error)
{
  return signpost_store_foreach_call_times (store, practice_id, pass->bounds[0],
                                            pass->bounds[pass->n], pass_call_cb, pass, error);
}

static void
tally_add (Tally       *sum,
           const Tally *t)
{
  sum->offered += t->offered;
  sum->answered += t->answered;
  sum->abandoned += t->abandoned;
  sum->missed += t->missed;
  sum->callbacks_requested += t->callbacks_requested;
  sum->callbacks_made += t->callbacks_made;
  sum->answered_in_time += t->answered_in_time;
  sum->wait_sum_ms += t->wait_sum_ms;
  sum->wait_max_ms = MAX (sum->wait_max_ms, t->wait_max_ms);
  sum->abandon_sum_ms += t->abandon_sum_ms;
  sum->abandon_n += t->abandon_n;
  sum->talk_sum_ms += t->talk_sum_ms;
  sum->talk_n += t->talk_n;
}

/* Seconds to one decimal place; NAN for none. */
static double
mean_seconds (gint64 sum_ms,
              gint64 n)
{
  if (n <= 0)
    return NAN;
  return round ((double) sum_ms / n / 100.0) / 10.0;
}

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

static JsonObject *
tally_to_json (const Tally *t,
               gint64       start_ms)
{
  JsonObject *object = json_object_new ();
  g_autofree char *start = format_ms (start_ms);

  json_object_set_string_member (object, "start", start);
  json_object_set_int_member (object, "offered", t->offered);
  json_object_set_int_member (object, "answered", t->answered);
  json_object_set_int_member (object, "abandoned", t->abandoned);
  json_object_set_int_member (object, "missed", t->missed);
  json_object_set_int_member (object, "callbacks_requested", t->callbacks_requested);
  json_object_set_int_member (object, "callbacks_made", t->callbacks_made);
  set_number_or_null (object, "mean_wait_s", mean_seconds (t->wait_sum_ms, t->answered));
  set_number_or_null (object, "longest_wait_s",
                      t->answered > 0 ? round (t->wait_max_ms / 100.0) / 10.0 : NAN);
  set_number_or_null (object, "mean_abandon_s", mean_seconds (t->abandon_sum_ms, t->abandon_n));
  set_number_or_null (object, "mean_talk_s", mean_seconds (t->talk_sum_ms, t->talk_n));
  set_number_or_null (object, "service_level",
                      t->offered > 0
                        ? round ((double) t->answered_in_time / t->offered * 10000.0) / 10000.0
                        : NAN);
  return object;
}

/* ---- appointments ------------------------------------------------------ */

typedef struct {
  char *clinician_id;
  char *mode;
  gint64 offered;
  gint64 booked;
  gint64 used;
  gint64 dna;
} SlotGroup;

static void
slot_group_free (SlotGroup *group)
{
  g_free (group->clinician_id);
  g_free (group->mode);
  g_free (group);
}

static gboolean
slot_use_cb (const SignpostSlotUse *slot,
             gpointer               data)
{
  GHashTable *groups = data;
  g_autofree char *key = g_strconcat (slot->clinician_id, "\n", slot->mode, NULL);
  SlotGroup *group = g_hash_table_lookup (groups, key);
  const char *status = slot->appointment_status;

  if (group == NULL)
    {
      group = g_new0 (SlotGroup, 1);
      group->clinician_id = g_strdup (slot->clinician_id);
      group->mode = g_strdup (slot->mode);
      g_hash_table_insert (groups, g_steal_pointer (&key), group);
    }
  /* A blocked slot was never open to patients. */
  if (!g_str_equal (slot->status, "blocked"))
    group->offered++;
  if (status != NULL)
    {
      group->booked++;
      if (g_str_equal (status, "arrived") || g_str_equal (status, "seen"))
        group->used++;
      else if (g_str_equal (status, "did_not_attend"))
        group->dna++;
    }
  return TRUE;
}

static char *
clinician_name (SignpostClinician *clinician)
{
  const char *parts[] = {
    signpost_clinician_get_title (clinician),
    signpost_clinician_get_given_name (clinician),
    signpost_clinician_get_family_name (clinician),
  };
  GString *name = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    if (parts[i] != NULL && *parts[i] != '\0')
      {
        if (name->len > 0)
          g_string_append_c (name, ' ');
        g_string_append (name, parts[i]);
      }
  return g_string_free (name, FALSE);
}

typedef struct {
  SlotGroup *group;
  char *name;
  const char *profession;
} SlotRow;

static int
compare_slot_rows (gconstpointer a,
                   gconstpointer b)
{
  const SlotRow *x = a, *y = b;
  int order = g_strcmp0 (x->name, y->name);

  if (order == 0)
    order = g_strcmp0 (x->group->clinician_id, y->group->clinician_id);
  if (order == 0)
    order = g_strcmp0 (x->group->mode, y->group->mode);
  return order;
}

/* Per clinician and slot mode: slots offered (not blocked), booked (a
 * live appointment), used (arrived or seen) and did not attend. */
static JsonArray *
appointments_json (SignpostStore     *store,
                   const char        *practice_id,
                   gint64             from_ms,
                   gint64             to_ms,
                   GError           **error)
{
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) slot_group_free);
  g_autoptr(GHashTable) clinicians = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                            g_object_unref);
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (SlotRow));
  GHashTableIter iter;
  gpointer value;
  JsonArray *array;

  if (!signpost_store_foreach_slot_use (store, practice_id, from_ms, to_ms, slot_use_cb, groups,
                                        error))
    return NULL;

  g_hash_table_iter_init (&iter, groups);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SlotGroup *group = value;
      SlotRow row = { group, NULL, NULL };
      SignpostClinician *clinician = g_hash_table_lookup (clinicians, group->clinician_id);

      if (clinician == NULL)
        {
          g_autoptr(GError) local_error = NULL;
          SignpostRecord *record = signpost_store_get_record (store, SIGNPOST_RECORD_CLINICIAN,
                                                              group->clinician_id, NULL,
                                                              &local_error);

          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              for (guint i = 0; i < rows->len; i++)
                g_free (g_array_index (rows, SlotRow, i).name);
              return NULL;
            }
          if (record != NULL)
            {
              clinician = SIGNPOST_CLINICIAN (record);
              g_hash_table_insert (clinicians, (gpointer) signpost_record_get_id (record), record);
            }
        }
      if (clinician != NULL)
        {
          row.name = clinician_name (clinician);
          row.profession = signpost_enum_to_nick (SIGNPOST_TYPE_PROFESSION,
                                                  signpost_clinician_get_profession (clinician));
        }
      g_array_append_val (rows, row);
    }
  g_array_sort (rows, compare_slot_rows);

  array = json_array_new ();
  for (guint i = 0; i < rows->len; i++)
    {
      SlotRow *row = &g_array_index (rows, SlotRow, i);
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "clinician_id", row->group->clinician_id);
      if (row->name != NULL)
        json_object_set_string_member (object, "clinician_name", row->name);
      else
        json_object_set_null_member (object, "clinician_name");
      if (row->profession != NULL)
        json_object_set_string_member (object, "profession", row->profession);
      else
        json_object_set_null_member (object, "profession");
      json_object_set_string_member (object, "mode", row->group->mode);
      json_object_set_int_member (object, "offered", row->group->offered);
      json_object_set_int_member (object, "booked", row->group->booked);
      json_object_set_int_member (object, "used", row->group->used);
      json_object_set_int_member (object, "dna", row->group->dna);
      json_array_add_object_element (array, object);
      g_free (row->name);
    }
  return array;
}

/* ---- triage ------------------------------------------------------------ */

static void
set_string_or_null (JsonObject *object,
                    const char *key,
                    const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, key, value);
  else
    json_object_set_null_member (object, key);
}

static gboolean
triage_count_cb (const SignpostTriageCount *group,
                 gpointer                   data)
{
  JsonArray *array = data;
  JsonObject *object = json_object_new ();

  set_string_or_null (object, "route", group->route);
  set_string_or_null (object, "target", group->target);
  set_string_or_null (object, "urgency", group->urgency);
  set_string_or_null (object, "outcome", group->outcome);
  json_object_set_int_member (object, "count", group->count);
  json_array_add_object_element (array, object);
  return TRUE;
}

/* ---- online requests ------------------------------------------------------
 *
 * Requests that came in online (the practice's form and the intake API),
 * counted in the interval they arrived, with how long each waited for an
 * outcome (the first time it was reviewed, booked, signposted or closed),
 * and whether that came after its one-working-day deadline (or has not
 * come, and the deadline has passed). The emergency stops are the times
 * the form's emergency questions sent someone to 999 or 111, counted
 * anonymously when shown.
 */

typedef struct {
  gint64 received;
  gint64 medical;
  gint64 admin;
  gint64 with_outcome;
  gint64 wait_sum_ms;
  gint64 wait_max_ms;
  gint64 late;
  gint64 emergency_stops;
} OnlineTally;

typedef struct {
  const Pass *pass;
  OnlineTally *tallies;
  JsonArray *requests;
  gint64 now_ms;
} OnlinePass;

static void
set_instant_or_null (JsonObject *object,
                     const char *key,
                     gint64      ms)
{
  if (ms >= 0)
    {
      g_autofree char *text = format_ms (ms);
      json_object_set_string_member (object, key, text);
    }
  else
    json_object_set_null_member (object, key);
}

static gboolean
online_request_cb (const SignpostRequestTimes *request,
                   gpointer                    data)
{
  OnlinePass *online = data;
  int i = pass_find (online->pass, request->created_ms);
  gboolean late;
  JsonObject *object;

  if (i < 0)
    return TRUE;
  late = request->respond_by_ms >= 0 &&
         (request->outcome_ms >= 0 ? request->outcome_ms > request->respond_by_ms
                                   : online->now_ms > request->respond_by_ms);
  online->tallies[i].received++;
  if (g_strcmp0 (request->request_type, "medical") == 0)
    online->tallies[i].medical++;
  else if (g_strcmp0 (request->request_type, "admin") == 0)
    online->tallies[i].admin++;
  if (request->outcome_ms >= 0)
    {
      gint64 wait = MAX (request->outcome_ms - request->created_ms, 0);

      online->tallies[i].with_outcome++;
      online->tallies[i].wait_sum_ms += wait;
      online->tallies[i].wait_max_ms = MAX (online->tallies[i].wait_max_ms, wait);
    }
  if (late)
    online->tallies[i].late++;

  object = json_object_new ();
  set_instant_or_null (object, "received_at", request->created_ms);
  set_string_or_null (object, "source", request->source);
  set_string_or_null (object, "request_type", request->request_type);
  set_instant_or_null (object, "outcome_at", request->outcome_ms);
  set_number_or_null (object, "wait_for_outcome_s",
                      request->outcome_ms >= 0
                        ? round (MAX (request->outcome_ms - request->created_ms, 0) / 100.0) / 10.0
                        : NAN);
  set_instant_or_null (object, "respond_by", request->respond_by_ms);
  json_object_set_boolean_member (object, "late", late);
  json_array_add_object_element (online->requests, object);
  return TRUE;
}

static gboolean
emergency_stop_cb (gint64   bucket,
                   gint64   count,
                   gpointer data)
{
  OnlinePass *online = data;
  int i = pass_find (online->pass, bucket);

  if (i >= 0)
    online->tallies[i].emergency_stops += count;
  return TRUE;
}

static void
online_add_to_json (JsonObject        *object,
                    const OnlineTally *t)
{
  json_object_set_int_member (object, "online_requests", t->received);
  json_object_set_int_member (object, "online_medical", t->medical);
  json_object_set_int_member (object, "online_admin", t->admin);
  json_object_set_int_member (object, "online_with_outcome", t->with_outcome);
  set_number_or_null (object, "online_mean_wait_for_outcome_s",
                      mean_seconds (t->wait_sum_ms, t->with_outcome));
  set_number_or_null (object, "online_longest_wait_for_outcome_s",
                      t->with_outcome > 0 ? round (t->wait_max_ms / 100.0) / 10.0 : NAN);
  json_object_set_int_member (object, "online_late", t->late);
  json_object_set_int_member (object, "emergency_stops", t->emergency_stops);
}

static void
online_tally_add (OnlineTally       *sum,
                  const OnlineTally *t)
{
  sum->received += t->received;
  sum->medical += t->medical;
  sum->admin += t->admin;
  sum->with_outcome += t->with_outcome;
  sum->wait_sum_ms += t->wait_sum_ms;
  sum->wait_max_ms = MAX (sum->wait_max_ms, t->wait_max_ms);
  sum->late += t->late;
  sum->emergency_stops += t->emergency_stops;
}

/* ---- /stats/day -------------------------------------------------------- */

/**
 * signpost_stats_day:
 * @now: the time of the request: calls still waiting after their day has
 *   ended are counted as missed
 *
 * The body of GET /stats/day (docs/PROTOCOL.md): every 15-minute interval
 * of @date in the practice's time zone, whether or not the practice was
 * open or had calls, so that charts have a fixed axis.
 */
JsonObject *
signpost_stats_day (SignpostStore     *store,
                    SignpostPractice  *practice,
                    const GDate       *date,
                    GDateTime         *now,
                    GError           **error)
{
  const char *practice_id = signpost_record_get_id (SIGNPOST_RECORD (practice));
  g_autoptr(GTimeZone) tz = practice_time_zone (practice);
  g_autofree char *date_text = signpost_date_format (date);
  g_autoptr(JsonArray) intervals = json_array_new ();
  g_autoptr(JsonArray) appointments = NULL;
  g_autoptr(JsonArray) triage = json_array_new ();
  g_autoptr(JsonArray) requests = json_array_new ();
  g_autofree OnlineTally *online_tallies = NULL;
  g_autofree char *stops_key = g_strconcat ("emergency-stop:", practice_id, NULL);
  JsonObject *reply;
  JsonObject *totals_json;
  Tally totals = { 0 };
  OnlineTally online_totals = { 0 };
  OnlinePass online;
  Pass pass;

  g_return_val_if_fail (SIGNPOST_IS_STORE (store), NULL);
  g_return_val_if_fail (SIGNPOST_IS_PRACTICE (practice), NULL);

  pass_init_day (&pass, date, tz, to_ms (now), FALSE);
  online_tallies = g_new0 (OnlineTally, pass.n);
  online = (OnlinePass) { &pass, online_tallies, requests, to_ms (now) };
  if (!pass_run (&pass, store, practice_id, error) ||
      !signpost_store_foreach_request_times (store, practice_id, pass.bounds[0], pass.bounds[pass.n],
                                             online_request_cb, &online, error) ||
      !signpost_store_foreach_counter (store, stops_key, pass.bounds[0], pass.bounds[pass.n],
                                       emergency_stop_cb, &online, error))
    {
      pass_clear (&pass);
      return NULL;
    }
  for (guint i = 0; i < pass.n; i++)
    {
      JsonObject *interval = tally_to_json (&pass.tallies[i], pass.bounds[i]);

      online_add_to_json (interval, &online_tallies[i]);
      json_array_add_object_element (intervals, interval);
      tally_add (&totals, &pass.tallies[i]);
      online_tally_add (&online_totals, &online_tallies[i]);
    }

  appointments = appointments_json (store, practice_id, pass.bounds[0], pass.bounds[pass.n], error);
  if (appointments == NULL ||
      !signpost_store_foreach_triage_count (store, practice_id, pass.bounds[0],
                                            pass.bounds[pass.n], triage_count_cb, triage, error))
    {
      pass_clear (&pass);
      return NULL;
    }

  reply = json_object_new ();
  json_object_set_string_member (reply, "practice_id", practice_id);
  json_object_set_string_member (reply, "date", date_text);
  json_object_set_array_member (reply, "intervals", g_steal_pointer (&intervals));
  totals_json = tally_to_json (&totals, pass.bounds[0]);
  online_add_to_json (totals_json, &online_totals);
  json_object_set_object_member (reply, "totals", totals_json);
  json_object_set_array_member (reply, "appointments", g_steal_pointer (&appointments));
  json_object_set_array_member (reply, "triage", g_steal_pointer (&triage));
  json_object_set_array_member (reply, "requests", g_steal_pointer (&requests));
  pass_clear (&pass);
  return reply;
}

/* ---- /stats/staffing --------------------------------------------------- */

/**
 * signpost_stats_staffing:
 * @aht_s: the mean handling time to plan with, or 0 for the day's measured
 *   mean call length
 *
 * The body of GET /stats/staffing: per interval, the navigators Erlang C
 * says were needed to answer @target of the calls offered within
 * @within_s seconds, next to how many different people answered calls
 * then.
 */
JsonObject *
signpost_stats_staffing (SignpostStore     *store,
                         SignpostPractice  *practice,
                         const GDate       *date,
                         GDateTime         *now,
                         double             target,
                         double             within_s,
                         double             aht_s,
                         GError           **error)
{
  const char *practice_id = signpost_record_get_id (SIGNPOST_RECORD (practice));
  g_autoptr(GTimeZone) tz = practice_time_zone (practice);
  g_autoptr(JsonArray) intervals = json_array_new ();
  JsonObject *reply;
  Tally totals = { 0 };
  double aht = NAN;
  Pass pass;

  g_return_val_if_fail (SIGNPOST_IS_STORE (store), NULL);
  g_return_val_if_fail (SIGNPOST_IS_PRACTICE (practice), NULL);

  pass_init_day (&pass, date, tz, to_ms (now), TRUE);
  if (!pass_run (&pass, store, practice_id, error))
    {
      pass_clear (&pass);
      return NULL;
    }
  for (guint i = 0; i < pass.n; i++)
    tally_add (&totals, &pass.tallies[i]);
  if (aht_s > 0)
    aht = aht_s;
  else if (totals.talk_n > 0 && totals.talk_sum_ms > 0)
    aht = (double) totals.talk_sum_ms / totals.talk_n / 1000.0;

  for (guint i = 0; i < pass.n; i++)
    {
      const Tally *t = &pass.tallies[i];
      JsonObject *object = json_object_new ();
      g_autofree char *start = format_ms (pass.bounds[i]);
      /* Calls per hour from a quarter of an hour's offered calls. */
      double calls_per_hour = (double) t->offered * (60.0 / SIGNPOST_STATS_INTERVAL_MINUTES);
      double traffic = NAN;
      guint needed = 0;
      gboolean have_needed = FALSE;

      if (t->offered == 0)
        {
          traffic = 0;
          have_needed = TRUE;
        }
      else if (!isnan (aht))
        {
          traffic = signpost_erlang_traffic (calls_per_hour, aht);
          have_needed = signpost_erlang_agents_needed (traffic, aht, target, within_s, &needed);
        }

      json_object_set_string_member (object, "start", start);
      json_object_set_int_member (object, "offered", t->offered);
      set_number_or_null (object, "aht_s", isnan (aht) ? NAN : round (aht * 10.0) / 10.0);
      set_number_or_null (object, "traffic_erlangs",
                          isnan (traffic) ? NAN : round (traffic * 10000.0) / 10000.0);
      if (have_needed)
        json_object_set_int_member (object, "needed", needed);
      else
        json_object_set_null_member (object, "needed");
      json_object_set_int_member (object, "on_phones", g_hash_table_size (t->answerers));
      json_array_add_object_element (intervals, object);
    }
  pass_clear (&pass);

  reply = json_object_new ();
  json_object_set_double_member (reply, "target", target);
  json_object_set_double_member (reply, "within_s", within_s);
  json_object_set_array_member (reply, "intervals", g_steal_pointer (&intervals));
  return reply;
}

/* ---- /stats/cbt-export ------------------------------------------------- */

/* A text field (see signpost_csv_append()). */
void
signpost_stats_csv_append_field (GString    *out,
                                 const char *field)
{
  signpost_csv_append (out, field, TRUE);
}

static void
csv_append_int (GString *out,
                gint64   value)
{
  g_string_append_printf (out, ",%" G_GINT64_FORMAT, value);
}

/* Seconds with one decimal place whatever the locale; empty for none. */
static void
csv_append_seconds (GString *out,
                    double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_c (out, ',');
  if (!isnan (value))
    g_string_append (out, g_ascii_formatd (buffer, sizeof buffer, "%.1f", value));
}

/* The column names: the nine metrics NHS England collects from practices'
 * cloud telephony, in its order, with units. */
static const char csv_header[] =
  "ods_code,practice_name,date,call_volume,calls_answered,calls_abandoned,missed_calls,"
  "mean_time_to_answer_seconds,mean_time_before_abandonment_seconds,callbacks_requested,"
  "callbacks_made,mean_call_length_seconds\r\n";

static gboolean
csv_append_practice (GString           *out,
                     SignpostStore     *store,
                     SignpostPractice  *practice,
                     int                year,
                     int                month,
                     gint64             now_ms,
                     GError           **error)
{
  g_autoptr(GTimeZone) tz = practice_time_zone (practice);
  guint days = g_date_get_days_in_month (month, year);
  GDate date;
  Pass pass;

  pass_init (&pass, days, now_ms, FALSE);
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 1, month, year);
  for (guint i = 0; i <= days; i++)
    {
      pass.bounds[i] = local_midnight_ms (&date, tz);
      if (i > 0)
        pass.settle[i - 1] = pass.bounds[i];
      g_date_add_days (&date, 1);
    }
  if (!pass_run (&pass, store, signpost_record_get_id (SIGNPOST_RECORD (practice)), error))
    {
      pass_clear (&pass);
      return FALSE;
    }

  g_date_set_dmy (&date, 1, month, year);
  for (guint i = 0; i < days; i++)
    {
      const Tally *t = &pass.tallies[i];
      g_autofree char *date_text = signpost_date_format (&date);

      signpost_stats_csv_append_field (out, signpost_practice_get_ods_code (practice));
      g_string_append_c (out, ',');
      signpost_stats_csv_append_field (out, signpost_practice_get_name (practice));
      g_string_append_c (out, ',');
      g_string_append (out, date_text);
      csv_append_int (out, t->offered);
      csv_append_int (out, t->answered);
      csv_append_int (out, t->abandoned);
      csv_append_int (out, t->missed);
      csv_append_seconds (out, mean_seconds (t->wait_sum_ms, t->answered));
      csv_append_seconds (out, mean_seconds (t->abandon_sum_ms, t->abandon_n));
      csv_append_int (out, t->callbacks_requested);
      csv_append_int (out, t->callbacks_made);
      csv_append_seconds (out, mean_seconds (t->talk_sum_ms, t->talk_n));
      g_string_append (out, "\r\n");
      g_date_add_days (&date, 1);
    }
  pass_clear (&pass);
  return TRUE;
}

static int
compare_practices (gconstpointer a,
                   gconstpointer b)
{
  SignpostPractice *x = *(SignpostPractice **) a;
  SignpostPractice *y = *(SignpostPractice **) b;
  int order = g_strcmp0 (signpost_practice_get_ods_code (x), signpost_practice_get_ods_code (y));

  if (order == 0)
    order = g_strcmp0 (signpost_record_get_id (SIGNPOST_RECORD (x)),
                       signpost_record_get_id (SIGNPOST_RECORD (y)));
  return order;
}

/**
 * signpost_stats_cbt_csv:
 * @practices: (element-type SignpostPractice): the practices to export;
 *   sorted here by ODS code
 *
 * The body of GET /stats/cbt-export: a header row, then one row per
 * practice per day of the month (local days), RFC 4180 with CRLF line
 * ends. The counts follow the rules at the top of this file.
 */
char *
signpost_stats_cbt_csv (SignpostStore  *store,
                        GPtrArray      *practices,
                        int             year,
                        int             month,
                        GDateTime      *now,
                        gsize          *length,
                        GError        **error)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  GString *out;

  g_return_val_if_fail (SIGNPOST_IS_STORE (store), NULL);
  g_return_val_if_fail (g_date_valid_dmy (1, month, year), NULL);

  for (guint i = 0; i < practices->len; i++)
    g_ptr_array_add (sorted, g_ptr_array_index (practices, i));
  g_ptr_array_sort (sorted, compare_practices);

  out = g_string_new (csv_header);
  for (guint i = 0; i < sorted->len; i++)
    if (!csv_append_practice (out, store, g_ptr_array_index (sorted, i), year, month, to_ms (now),
                              error))
      {
        g_string_free (out, TRUE);
        return NULL;
      }
  if (length != NULL)
    *length = out->len;
  return g_string_free (out, FALSE);
}
