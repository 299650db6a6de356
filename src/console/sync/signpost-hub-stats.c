/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-sync"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "signpost-hub-stats.h"
#include "signpost-sync-error.h"

/* Always FALSE, for returning. */
static gboolean
protocol_error (GError     **error,
                const char  *what)
{
  g_set_error (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_PROTOCOL,
               _("The server’s statistics could not be read (%s)."), what);
  return FALSE;
}

/* A number, or NaN for null; FALSE when missing or not a number. */
static gboolean
read_number (JsonObject *object,
             const char *name,
             double     *value)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

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

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
member_array (JsonObject *object,
              const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
read_figures (JsonNode           *node,
              double              list_size,
              SignpostHubFigures *figures)
{
  static const struct { const char *group; const char *name; gsize offset; } fields[] = {
    { "calls", "offered", SIGNPOST_HUB_FIELD (offered) },
    { "calls", "offered_per_1000_per_week", SIGNPOST_HUB_FIELD (offered_per_1000) },
    { "calls", "answered", SIGNPOST_HUB_FIELD (answered) },
    { "calls", "answered_within_60s", SIGNPOST_HUB_FIELD (answered_within_60s) },
    { "calls", "answered_within_60s_rate", SIGNPOST_HUB_FIELD (answered_within_60s_rate) },
    { "calls", "abandoned", SIGNPOST_HUB_FIELD (abandoned) },
    { "calls", "abandoned_rate", SIGNPOST_HUB_FIELD (abandoned_rate) },
    { "calls", "mean_wait_s", SIGNPOST_HUB_FIELD (mean_wait_s) },
    { "calls", "longest_wait_s", SIGNPOST_HUB_FIELD (longest_wait_s) },
    { "calls", "callbacks_requested", SIGNPOST_HUB_FIELD (callbacks_requested) },
    { "calls", "callbacks_made", SIGNPOST_HUB_FIELD (callbacks_made) },
    { "online_requests", "count", SIGNPOST_HUB_FIELD (online) },
    { "online_requests", "per_1000_per_week", SIGNPOST_HUB_FIELD (online_per_1000) },
    { "appointments", "offered", SIGNPOST_HUB_FIELD (appointments_offered) },
    { "appointments", "offered_per_1000_per_week", SIGNPOST_HUB_FIELD (appointments_per_1000) },
    { "appointments", "booked", SIGNPOST_HUB_FIELD (booked) },
    { "appointments", "used", SIGNPOST_HUB_FIELD (used) },
    { "appointments", "unused", SIGNPOST_HUB_FIELD (unused) },
    { "appointments", "did_not_attend", SIGNPOST_HUB_FIELD (did_not_attend) },
    { "appointments", "did_not_attend_rate", SIGNPOST_HUB_FIELD (did_not_attend_rate) },
    { "appointments", "booked_by_hub", SIGNPOST_HUB_FIELD (booked_by_hub) },
    { "navigation", "total", SIGNPOST_HUB_FIELD (navigation) },
  };
  JsonObject *object;
  JsonArray *routes;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  object = json_node_get_object (node);
  figures->list_size = list_size;
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (!read_number (member_object (object, fields[i].group), fields[i].name,
                      &SIGNPOST_HUB_VALUE (figures, fields[i].offset)))
      return FALSE;

  figures->signposted = 0;
  routes = member_array (member_object (object, "navigation"), "routes");
  if (routes == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (routes); i++)
    {
      JsonNode *route_node = json_array_get_element (routes, i);
      JsonObject *route;
      double count;

      if (!JSON_NODE_HOLDS_OBJECT (route_node))
        return FALSE;
      route = json_node_get_object (route_node);
      if (!read_number (route, "count", &count) || isnan (count))
        return FALSE;
      if (g_strcmp0 (member_string (route, "route"), "signpost") == 0)
        figures->signposted += count;
    }
  return TRUE;
}

static gboolean
read_weeks (JsonArray *array,
            guint      n_weeks,
            double     list_size,
            GArray    *weeks)
{
  if (array == NULL || json_array_get_length (array) != n_weeks)
    return FALSE;
  for (guint i = 0; i < n_weeks; i++)
    {
      SignpostHubFigures figures = { 0, };

      if (!read_figures (json_array_get_element (array, i), list_size, &figures))
        return FALSE;
      g_array_append_val (weeks, figures);
    }
  return TRUE;
}

static void
practice_free (gpointer data)
{
  SignpostHubPractice *practice = data;

  g_free (practice->practice_id);
  g_free (practice->ods_code);
  g_free (practice->name);
  g_array_unref (practice->weeks);
  g_free (practice);
}

static void
point_clear (gpointer data)
{
  g_free (((SignpostHubFunnelPoint *) data)->practice_id);
}

static void
funnel_free (gpointer data)
{
  SignpostHubFunnel *funnel = data;

  g_free (funnel->measure);
  g_array_unref (funnel->points);
  g_free (funnel);
}

static gboolean
read_position (const char             *nick,
               SignpostFunnelPosition *position)
{
  for (SignpostFunnelPosition p = SIGNPOST_FUNNEL_NONE; p <= SIGNPOST_FUNNEL_BELOW_998; p++)
    if (g_strcmp0 (nick, signpost_funnel_position_to_nick (p)) == 0)
      {
        *position = p;
        return TRUE;
      }
  return FALSE;
}

static gboolean
read_funnel (JsonNode          *node,
             SignpostHubFunnel *funnel)
{
  JsonObject *object;
  JsonArray *points;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  object = json_node_get_object (node);
  funnel->measure = g_strdup (member_string (object, "measure"));
  points = member_array (object, "practices");
  if (funnel->measure == NULL || points == NULL ||
      !read_number (object, "events", &funnel->events) ||
      !read_number (object, "n", &funnel->n) ||
      !read_number (object, "overall", &funnel->overall))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (points); i++)
    {
      JsonNode *point_node = json_array_get_element (points, i);
      SignpostHubFunnelPoint point = { 0, };
      JsonObject *p;

      if (!JSON_NODE_HOLDS_OBJECT (point_node))
        return FALSE;
      p = json_node_get_object (point_node);
      if (member_string (p, "practice_id") == NULL ||
          !read_position (member_string (p, "position"), &point.position) ||
          !read_number (p, "events", &point.events) ||
          !read_number (p, "n", &point.n) ||
          !read_number (p, "rate", &point.rate) ||
          !read_number (p, "lower_95", &point.limits.lower_95) ||
          !read_number (p, "upper_95", &point.limits.upper_95) ||
          !read_number (p, "lower_99_8", &point.limits.lower_998) ||
          !read_number (p, "upper_99_8", &point.limits.upper_998))
        return FALSE;
      point.practice_id = g_strdup (member_string (p, "practice_id"));
      g_array_append_val (funnel->points, point);
    }
  return TRUE;
}

static gboolean
read_stats (JsonNode         *node,
            SignpostHubStats *self,
            GError          **error)
{
  JsonObject *object;
  JsonArray *weeks, *practices, *funnels;
  JsonNode *hub;
  g_autoptr(GStrvBuilder) starts = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) ends = g_strv_builder_new ();
  guint n_weeks;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return protocol_error (error, "not an object");
  object = json_node_get_object (node);
  self->from = g_strdup (member_string (object, "from"));
  self->to = g_strdup (member_string (object, "to"));
  weeks = member_array (object, "weeks");
  practices = member_array (object, "practices");
  funnels = member_array (object, "funnels");
  hub = json_object_get_member (object, "hub");
  if (self->from == NULL || self->to == NULL || weeks == NULL || practices == NULL ||
      funnels == NULL || hub == NULL)
    return protocol_error (error, "a member is missing");

  n_weeks = json_array_get_length (weeks);
  for (guint i = 0; i < n_weeks; i++)
    {
      JsonNode *week_node = json_array_get_element (weeks, i);
      JsonObject *week = JSON_NODE_HOLDS_OBJECT (week_node) ? json_node_get_object (week_node) : NULL;

      if (member_string (week, "from") == NULL || member_string (week, "to") == NULL)
        return protocol_error (error, "weeks");
      g_strv_builder_add (starts, member_string (week, "from"));
      g_strv_builder_add (ends, member_string (week, "to"));
    }
  self->week_starts = g_strv_builder_end (starts);
  self->week_ends = g_strv_builder_end (ends);

  for (guint i = 0; i < json_array_get_length (practices); i++)
    {
      JsonNode *practice_node = json_array_get_element (practices, i);
      JsonObject *p = JSON_NODE_HOLDS_OBJECT (practice_node) ? json_node_get_object (practice_node) : NULL;
      SignpostHubPractice *practice;
      double list_size;

      if (member_string (p, "practice_id") == NULL || !read_number (p, "list_size", &list_size))
        return protocol_error (error, "practices");
      practice = g_new0 (SignpostHubPractice, 1);
      practice->practice_id = g_strdup (member_string (p, "practice_id"));
      practice->ods_code = g_strdup (member_string (p, "ods_code"));
      practice->name = g_strdup (member_string (p, "name") ? member_string (p, "name") : practice->ods_code);
      practice->weeks = g_array_new (FALSE, TRUE, sizeof (SignpostHubFigures));
      g_ptr_array_add (self->practices, practice);
      if (!read_figures (json_object_get_member (p, "totals"), list_size, &practice->totals) ||
          !read_weeks (member_array (p, "weeks"), n_weeks, list_size, practice->weeks))
        return protocol_error (error, "a practice’s figures");
    }

  if (JSON_NODE_HOLDS_OBJECT (hub))
    {
      JsonObject *h = json_node_get_object (hub);
      double list_size, n;

      self->has_hub = TRUE;
      if (!read_number (h, "list_size", &list_size) || !read_number (h, "practices", &n) || isnan (n) ||
          !read_figures (json_object_get_member (h, "totals"), list_size, &self->hub_totals) ||
          !read_weeks (member_array (h, "weeks"), n_weeks, list_size, self->hub_weeks))
        return protocol_error (error, "the hub’s figures");
      self->hub_practices = (guint) n;
    }
  else if (!JSON_NODE_HOLDS_NULL (hub))
    return protocol_error (error, "hub");

  for (guint i = 0; i < json_array_get_length (funnels); i++)
    {
      SignpostHubFunnel *funnel = g_new0 (SignpostHubFunnel, 1);

      funnel->points = g_array_new (FALSE, TRUE, sizeof (SignpostHubFunnelPoint));
      g_array_set_clear_func (funnel->points, point_clear);
      g_ptr_array_add (self->funnels, funnel);
      if (!read_funnel (json_array_get_element (funnels, i), funnel))
        return protocol_error (error, "funnels");
    }
  return TRUE;
}

/**
 * signpost_hub_stats_new_from_json:
 *
 * Decodes the answer of GET /stats/hub; a %SIGNPOST_SYNC_ERROR_PROTOCOL
 * error when anything the Hub page shows is missing or of the wrong kind.
 */
SignpostHubStats *
signpost_hub_stats_new_from_json (JsonNode  *node,
                                  GError   **error)
{
  g_autoptr(SignpostHubStats) self = g_atomic_rc_box_new0 (SignpostHubStats);

  self->practices = g_ptr_array_new_with_free_func (practice_free);
  self->funnels = g_ptr_array_new_with_free_func (funnel_free);
  self->hub_weeks = g_array_new (FALSE, TRUE, sizeof (SignpostHubFigures));
  if (!read_stats (node, self, error))
    return NULL;
  return g_steal_pointer (&self);
}

SignpostHubStats *
signpost_hub_stats_ref (SignpostHubStats *self)
{
  return g_atomic_rc_box_acquire (self);
}

static void
stats_clear (gpointer data)
{
  SignpostHubStats *self = data;

  g_free (self->from);
  g_free (self->to);
  g_strfreev (self->week_starts);
  g_strfreev (self->week_ends);
  g_ptr_array_unref (self->practices);
  g_ptr_array_unref (self->funnels);
  g_array_unref (self->hub_weeks);
}

void
signpost_hub_stats_unref (SignpostHubStats *self)
{
  g_atomic_rc_box_release_full (self, stats_clear);
}

guint
signpost_hub_stats_get_n_weeks (SignpostHubStats *self)
{
  return self->week_starts ? g_strv_length (self->week_starts) : 0;
}

const SignpostHubPractice *
signpost_hub_stats_find_practice (SignpostHubStats *self,
                                  const char       *practice_id)
{
  for (guint i = 0; i < self->practices->len; i++)
    {
      const SignpostHubPractice *practice = g_ptr_array_index (self->practices, i);

      if (g_strcmp0 (practice->practice_id, practice_id) == 0)
        return practice;
    }
  return NULL;
}

const SignpostHubFunnel *
signpost_hub_stats_get_funnel (SignpostHubStats *self,
                               const char       *measure)
{
  for (guint i = 0; i < self->funnels->len; i++)
    {
      const SignpostHubFunnel *funnel = g_ptr_array_index (self->funnels, i);

      if (g_strcmp0 (funnel->measure, measure) == 0)
        return funnel;
    }
  return NULL;
}
