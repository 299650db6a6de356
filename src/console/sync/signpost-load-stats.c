/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-sync"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "signpost-load-stats.h"
#include "signpost-core.h"
#include "signpost-sync-error.h"

/* ---- reading the JSON --------------------------------------------------------- */

/* Always NULL, for returning. */
static gpointer
protocol_error (GError     **error,
                const char  *what)
{
  g_set_error (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_PROTOCOL,
               _("The server’s statistics could not be read (%s)."), what);
  return NULL;
}

/* A number, or NaN for null; FALSE when missing or not a number. */
static gboolean
read_number (JsonObject *object,
             const char *name,
             double     *value)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_NULL (node))
    {
      *value = NAN;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      *value = (double) json_node_get_int (node);
      return TRUE;
    case G_TYPE_DOUBLE:
      *value = json_node_get_double (node);
      return isfinite (*value);
    default:
      return FALSE;
    }
}

static gboolean
read_count (JsonObject *object,
            const char *name,
            guint      *value)
{
  double number;

  if (!read_number (object, name, &number) || isnan (number) || number < 0 || number > G_MAXUINT)
    return FALSE;
  *value = (guint) number;
  return TRUE;
}

/* A string, or NULL for null or missing. */
static char *
read_string (JsonObject *object,
             const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (node));
}

static GDateTime *
read_instant (JsonObject *object,
              const char *name)
{
  g_autofree char *text = read_string (object, name);

  return text != NULL ? signpost_timestamp_parse (text, NULL) : NULL;
}

static JsonArray *
read_array (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static void
interval_clear (SignpostStatsInterval *interval)
{
  g_clear_pointer (&interval->start, g_date_time_unref);
}

static gboolean
read_interval (JsonObject            *object,
               SignpostStatsInterval *interval)
{
  static const struct { const char *name; gsize offset; } fields[] = {
    { "offered", SIGNPOST_STATS_FIELD (offered) },
    { "answered", SIGNPOST_STATS_FIELD (answered) },
    { "abandoned", SIGNPOST_STATS_FIELD (abandoned) },
    { "missed", SIGNPOST_STATS_FIELD (missed) },
    { "callbacks_requested", SIGNPOST_STATS_FIELD (callbacks_requested) },
    { "callbacks_made", SIGNPOST_STATS_FIELD (callbacks_made) },
    { "mean_wait_s", SIGNPOST_STATS_FIELD (mean_wait_s) },
    { "longest_wait_s", SIGNPOST_STATS_FIELD (longest_wait_s) },
    { "mean_abandon_s", SIGNPOST_STATS_FIELD (mean_abandon_s) },
    { "mean_talk_s", SIGNPOST_STATS_FIELD (mean_talk_s) },
    { "service_level", SIGNPOST_STATS_FIELD (service_level) },
  };

  /* Online requests (issue 18): absent from older servers, so optional. */
  static const struct { const char *name; gsize offset; } online[] = {
    { "online_requests", SIGNPOST_STATS_FIELD (online_requests) },
    { "online_with_outcome", SIGNPOST_STATS_FIELD (online_with_outcome) },
    { "online_mean_wait_for_outcome_s", SIGNPOST_STATS_FIELD (online_mean_wait_for_outcome_s) },
    { "online_late", SIGNPOST_STATS_FIELD (online_late) },
    { "emergency_stops", SIGNPOST_STATS_FIELD (emergency_stops) },
    { "online_medical", SIGNPOST_STATS_FIELD (online_medical) },
    { "online_admin", SIGNPOST_STATS_FIELD (online_admin) },
    { "online_longest_wait_for_outcome_s", SIGNPOST_STATS_FIELD (online_longest_wait_for_outcome_s) },
  };

  interval->start = read_instant (object, "start");
  if (interval->start == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (!read_number (object, fields[i].name, &SIGNPOST_STATS_VALUE (interval, fields[i].offset)))
      return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (online); i++)
    if (!read_number (object, online[i].name, &SIGNPOST_STATS_VALUE (interval, online[i].offset)))
      SIGNPOST_STATS_VALUE (interval, online[i].offset) = NAN;
  return TRUE;
}

static void
appointments_free (SignpostStatsAppointments *row)
{
  g_free (row->clinician_id);
  g_free (row->clinician_name);
  g_free (row->profession);
  g_free (row->mode);
  g_free (row);
}

static void
triage_free (SignpostStatsTriage *row)
{
  g_free (row->route);
  g_free (row->target);
  g_free (row->urgency);
  g_free (row->outcome);
  g_free (row);
}

static void
request_free (SignpostStatsRequest *request)
{
  g_clear_pointer (&request->received_at, g_date_time_unref);
  g_clear_pointer (&request->outcome_at, g_date_time_unref);
  g_clear_pointer (&request->respond_by, g_date_time_unref);
  g_free (request->source);
  g_free (request->request_type);
  g_free (request);
}

static void
day_stats_clear (SignpostDayStats *self)
{
  g_free (self->practice_id);
  g_free (self->date);
  g_clear_pointer (&self->intervals, g_array_unref);
  interval_clear (&self->totals);
  g_clear_pointer (&self->appointments, g_ptr_array_unref);
  g_clear_pointer (&self->triage, g_ptr_array_unref);
  g_clear_pointer (&self->requests, g_ptr_array_unref);
}

/* ---- /stats/day ------------------------------------------------------------------ */

SignpostDayStats *
signpost_day_stats_new_from_json (JsonNode  *node,
                                  GError   **error)
{
  g_autoptr(SignpostDayStats) self = NULL;
  JsonObject *object;
  JsonArray *array;

  g_return_val_if_fail (node != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return protocol_error (error, "not an object");
  object = json_node_get_object (node);

  self = g_atomic_rc_box_new0 (SignpostDayStats);
  self->intervals = g_array_new (FALSE, TRUE, sizeof (SignpostStatsInterval));
  g_array_set_clear_func (self->intervals, (GDestroyNotify) interval_clear);
  self->appointments = g_ptr_array_new_with_free_func ((GDestroyNotify) appointments_free);
  self->triage = g_ptr_array_new_with_free_func ((GDestroyNotify) triage_free);
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) request_free);
  self->practice_id = read_string (object, "practice_id");
  self->date = read_string (object, "date");

  array = read_array (object, "intervals");
  if (array == NULL)
    return protocol_error (error, "intervals");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      SignpostStatsInterval interval = { 0, };

      if (!JSON_NODE_HOLDS_OBJECT (element) || !read_interval (json_node_get_object (element), &interval))
        {
          interval_clear (&interval);
          return protocol_error (error, "intervals");
        }
      g_array_append_val (self->intervals, interval);
    }

  if (!json_object_has_member (object, "totals") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "totals")) ||
      !read_interval (json_object_get_object_member (object, "totals"), &self->totals))
    return protocol_error (error, "totals");

  array = read_array (object, "appointments");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      SignpostStatsAppointments *row;
      JsonObject *member;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return protocol_error (error, "appointments");
      member = json_node_get_object (element);
      row = g_new0 (SignpostStatsAppointments, 1);
      g_ptr_array_add (self->appointments, row);
      row->clinician_id = read_string (member, "clinician_id");
      row->clinician_name = read_string (member, "clinician_name");
      row->profession = read_string (member, "profession");
      row->mode = read_string (member, "mode");
      if (!read_count (member, "offered", &row->offered) || !read_count (member, "booked", &row->booked) ||
          !read_count (member, "used", &row->used) || !read_count (member, "dna", &row->dna))
        return protocol_error (error, "appointments");
    }

  array = read_array (object, "triage");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      SignpostStatsTriage *row;
      JsonObject *member;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return protocol_error (error, "triage");
      member = json_node_get_object (element);
      row = g_new0 (SignpostStatsTriage, 1);
      g_ptr_array_add (self->triage, row);
      row->route = read_string (member, "route");
      row->target = read_string (member, "target");
      row->urgency = read_string (member, "urgency");
      row->outcome = read_string (member, "outcome");
      if (!read_count (member, "count", &row->count))
        return protocol_error (error, "triage");
    }

  array = read_array (object, "requests");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      SignpostStatsRequest *request;
      JsonObject *member;
      JsonNode *late;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return protocol_error (error, "requests");
      member = json_node_get_object (element);
      request = g_new0 (SignpostStatsRequest, 1);
      g_ptr_array_add (self->requests, request);
      request->received_at = read_instant (member, "received_at");
      request->source = read_string (member, "source");
      request->request_type = read_string (member, "request_type");
      request->outcome_at = read_instant (member, "outcome_at");
      request->respond_by = read_instant (member, "respond_by");
      late = json_object_get_member (member, "late");
      request->late = late != NULL && JSON_NODE_HOLDS_VALUE (late) &&
                      json_node_get_value_type (late) == G_TYPE_BOOLEAN && json_node_get_boolean (late);
      if (request->received_at == NULL ||
          !read_number (member, "wait_for_outcome_s", &request->wait_for_outcome_s))
        return protocol_error (error, "requests");
    }

  return g_steal_pointer (&self);
}

SignpostDayStats *
signpost_day_stats_ref (SignpostDayStats *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_atomic_rc_box_acquire (self);
}

void
signpost_day_stats_unref (SignpostDayStats *self)
{
  g_return_if_fail (self != NULL);
  g_atomic_rc_box_release_full (self, (GDestroyNotify) day_stats_clear);
}

guint
signpost_day_stats_get_n_intervals (SignpostDayStats *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->intervals->len;
}

const SignpostStatsInterval *
signpost_day_stats_get_interval (SignpostDayStats *self,
                                 guint             index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->intervals->len, NULL);
  return &g_array_index (self->intervals, SignpostStatsInterval, index);
}

gboolean
signpost_day_stats_is_active (SignpostDayStats *self,
                              guint             index)
{
  const SignpostStatsInterval *interval = signpost_day_stats_get_interval (self, index);

  return interval != NULL && (interval->offered > 0 || interval->answered > 0);
}

/* "08:00#1": the wall-clock time and which time of the day it has come
 * round (twice for the hour the clocks go back). */
static GPtrArray *
wall_clock_keys (SignpostDayStats *day,
                 GTimeZone        *tz)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < day->intervals->len; i++)
    {
      const SignpostStatsInterval *interval = &g_array_index (day->intervals, SignpostStatsInterval, i);
      g_autoptr(GDateTime) local = g_date_time_to_timezone (interval->start, tz);
      char *clock = g_date_time_format (local, "%H:%M");
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (seen, clock)) + 1;

      g_ptr_array_add (keys, g_strdup_printf ("%s#%u", clock, count));
      g_hash_table_replace (seen, clock, GUINT_TO_POINTER (count));
    }
  return keys;
}

void
signpost_day_stats_average (SignpostDayStats *self,
                            GPtrArray        *past,
                            GTimeZone        *tz,
                            gsize             field,
                            double           *out)
{
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(GArray) sums = NULL;
  g_autoptr(GArray) counts = NULL;

  g_return_if_fail (self != NULL);
  g_return_if_fail (past != NULL);
  g_return_if_fail (tz != NULL);
  g_return_if_fail (field + sizeof (double) <= sizeof (SignpostStatsInterval));
  g_return_if_fail (out != NULL);

  keys = wall_clock_keys (self, tz);
  sums = g_array_sized_new (FALSE, TRUE, sizeof (double), keys->len);
  counts = g_array_sized_new (FALSE, TRUE, sizeof (guint), keys->len);
  g_array_set_size (sums, keys->len);
  g_array_set_size (counts, keys->len);

  for (guint d = 0; d < past->len; d++)
    {
      SignpostDayStats *day = g_ptr_array_index (past, d);
      g_autoptr(GPtrArray) day_keys = wall_clock_keys (day, tz);
      g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint i = 0; i < day_keys->len; i++)
        g_hash_table_insert (index, g_ptr_array_index (day_keys, i), GUINT_TO_POINTER (i + 1));
      for (guint i = 0; i < keys->len; i++)
        {
          guint at = GPOINTER_TO_UINT (g_hash_table_lookup (index, g_ptr_array_index (keys, i)));
          const SignpostStatsInterval *interval;
          double value;

          if (at == 0)
            continue;
          interval = &g_array_index (day->intervals, SignpostStatsInterval, at - 1);
          value = SIGNPOST_STATS_VALUE (interval, field);
          if (isnan (value))
            continue;
          g_array_index (sums, double, i) += value;
          g_array_index (counts, guint, i)++;
        }
    }

  for (guint i = 0; i < keys->len; i++)
    {
      guint count = g_array_index (counts, guint, i);
      out[i] = count > 0 ? g_array_index (sums, double, i) / count : NAN;
    }
}

/* ---- /stats/staffing ------------------------------------------------------------- */

static void
staffing_interval_clear (SignpostStaffingInterval *interval)
{
  g_clear_pointer (&interval->start, g_date_time_unref);
}

static void
staffing_stats_clear (SignpostStaffingStats *self)
{
  g_clear_pointer (&self->intervals, g_array_unref);
}

SignpostStaffingStats *
signpost_staffing_stats_new_from_json (JsonNode  *node,
                                       GError   **error)
{
  g_autoptr(SignpostStaffingStats) self = NULL;
  JsonObject *object;
  JsonArray *array;

  g_return_val_if_fail (node != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return protocol_error (error, "not an object");
  object = json_node_get_object (node);

  self = g_atomic_rc_box_new0 (SignpostStaffingStats);
  self->intervals = g_array_new (FALSE, TRUE, sizeof (SignpostStaffingInterval));
  g_array_set_clear_func (self->intervals, (GDestroyNotify) staffing_interval_clear);
  if (!read_number (object, "target", &self->target) || !read_number (object, "within_s", &self->within_s))
    return protocol_error (error, "target");

  array = read_array (object, "intervals");
  if (array == NULL)
    return protocol_error (error, "intervals");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      SignpostStaffingInterval interval = { 0, };
      JsonObject *member;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return protocol_error (error, "intervals");
      member = json_node_get_object (element);
      interval.start = read_instant (member, "start");
      if (interval.start == NULL ||
          !read_number (member, "offered", &interval.offered) ||
          !read_number (member, "aht_s", &interval.aht_s) ||
          !read_number (member, "traffic_erlangs", &interval.traffic_erlangs) ||
          !read_number (member, "needed", &interval.needed) ||
          !read_number (member, "on_phones", &interval.on_phones))
        {
          staffing_interval_clear (&interval);
          return protocol_error (error, "intervals");
        }
      g_array_append_val (self->intervals, interval);
    }
  return g_steal_pointer (&self);
}

SignpostStaffingStats *
signpost_staffing_stats_ref (SignpostStaffingStats *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_atomic_rc_box_acquire (self);
}

void
signpost_staffing_stats_unref (SignpostStaffingStats *self)
{
  g_return_if_fail (self != NULL);
  g_atomic_rc_box_release_full (self, (GDestroyNotify) staffing_stats_clear);
}

guint
signpost_staffing_stats_get_n_intervals (SignpostStaffingStats *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->intervals->len;
}

const SignpostStaffingInterval *
signpost_staffing_stats_get_interval (SignpostStaffingStats *self,
                                      guint                  index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->intervals->len, NULL);
  return &g_array_index (self->intervals, SignpostStaffingInterval, index);
}
