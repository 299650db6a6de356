/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-load-page-private.h"

/* The load page's fetching: the day's figures (/stats/day), staffing
 * and the weeks to compare, each answer kept only if it is for the day
 * still shown; asking again as call events arrive while today is shown;
 * and moving to another day. */

/* ---- fetching ----------------------------------------------------------------------- */

typedef struct {
  SignpostLoadPage *self;
  guint generation;
  char *key; /* for a past day of the comparison */
} Request;

static Request *
request_new (SignpostLoadPage *self,
             const char       *key)
{
  Request *request = g_new0 (Request, 1);

  request->self = g_object_ref (self);
  request->generation = self->generation;
  request->key = g_strdup (key);
  return request;
}

static void
request_free (Request *request)
{
  g_object_unref (request->self);
  g_free (request->key);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

/* Whether the answer is for the day still shown. */
static gboolean
request_current (Request *request)
{
  return request->generation == request->self->generation &&
         !g_cancellable_is_cancelled (request->self->cancellable);
}

static void schedule_refresh (SignpostLoadPage *self);

static void
day_fetched (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  SignpostLoadPage *self = request->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(SignpostDayStats) day = NULL;

  day = signpost_actions_get_day_stats_finish (SIGNPOST_ACTIONS (source), result, &error);
  if (!request_current (request))
    return;
  self->day_busy = FALSE;
  if (day == NULL)
    signpost_load_page_set_error (self, error->message);
  else
    {
      signpost_load_page_set_error (self, NULL);
      g_clear_pointer (&self->day, signpost_day_stats_unref);
      self->day = g_steal_pointer (&day);
      g_clear_pointer (&self->updated_at, g_date_time_unref);
      self->updated_at = g_date_time_new_now (self->tz);
      signpost_load_page_apply_day (self);
    }
  if (self->day_again)
    {
      self->day_again = FALSE;
      schedule_refresh (self);
    }
  signpost_load_page_update_status (self);
}

void
signpost_load_page_load_day (SignpostLoadPage *self)
{
  if (!signpost_load_page_is_allowed (self) || self->practice_id == NULL || !g_date_valid (&self->date))
    return;
  if (self->day_busy)
    {
      self->day_again = TRUE;
      return;
    }
  self->day_busy = TRUE;
  self->day_stale = FALSE;
  self->n_day_requests++;
  self->last_day_request_us = g_get_monotonic_time ();
  signpost_actions_get_day_stats_async (self->actions, self->practice_id, &self->date, self->day_cancellable,
                                        day_fetched, request_new (self, NULL));
  signpost_load_page_update_status (self);
}

static gboolean
refresh_cb (gpointer data)
{
  SignpostLoadPage *self = data;

  self->refresh_id = 0;
  signpost_load_page_load_day (self);
  if (signpost_load_page_staffing_shown (self))
    signpost_load_page_load_staffing (self);
  else
    self->staffing_stale = TRUE;
  return G_SOURCE_REMOVE;
}

/* Call events coalesced: one request for a burst, and no more often than
 * REFRESH_MIN_INTERVAL_MS; a page out of sight only notes it is stale. */
static void
schedule_refresh (SignpostLoadPage *self)
{
  gint64 since_ms;
  guint delay;

  if (!signpost_load_page_is_allowed (self) || !signpost_load_page_is_live (self))
    return;
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->day_stale = TRUE;
      self->staffing_stale = TRUE;
      return;
    }
  if (self->refresh_id != 0)
    return;
  if (self->day_busy)
    {
      self->day_again = TRUE;
      return;
    }
  since_ms = (g_get_monotonic_time () - self->last_day_request_us) / 1000;
  delay = (guint) CLAMP (REFRESH_MIN_INTERVAL_MS - since_ms, REFRESH_BATCH_MS, REFRESH_MIN_INTERVAL_MS);
  self->refresh_id = g_timeout_add (delay, refresh_cb, self);
  signpost_load_page_update_status (self);
}

static gboolean
live_tick_cb (gpointer data)
{
  SignpostLoadPage *self = data;

  schedule_refresh (self);
  return G_SOURCE_CONTINUE;
}

/* While the page is in sight: today's figures, and the time they were
 * updated, move on every LIVE_REFRESH_MS even when no call comes. */
void
signpost_load_page_start_live_tick (SignpostLoadPage *self)
{
  g_clear_handle_id (&self->live_id, g_source_remove);
  self->live_id = g_timeout_add (self->live_refresh_ms, live_tick_cb, self);
}

void
signpost_load_page_on_call_event (SignpostLoadPage  *self,
                                  SignpostCallEvent *event)
{
  if (g_strcmp0 (signpost_call_event_get_practice_id (event), self->practice_id) != 0)
    return;
  schedule_refresh (self);
}

static void
staffing_fetched (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  SignpostLoadPage *self = request->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(SignpostStaffingStats) staffing = NULL;

  staffing = signpost_actions_get_staffing_finish (SIGNPOST_ACTIONS (source), result, &error);
  if (!request_current (request))
    return;
  self->staffing_busy = FALSE;
  if (staffing == NULL)
    signpost_load_page_set_error (self, error->message);
  else
    {
      signpost_load_page_set_error (self, NULL);
      g_clear_pointer (&self->staffing, signpost_staffing_stats_unref);
      self->staffing = g_steal_pointer (&staffing);
      signpost_load_page_apply_staffing (self);
    }
  if (self->staffing_again)
    {
      self->staffing_again = FALSE;
      signpost_load_page_load_staffing (self);
    }
  signpost_load_page_update_status (self);
}

void
signpost_load_page_load_staffing (SignpostLoadPage *self)
{
  if (!signpost_load_page_is_allowed (self) || self->practice_id == NULL || !g_date_valid (&self->date))
    return;
  if (self->staffing_busy)
    {
      self->staffing_again = TRUE;
      return;
    }
  self->staffing_busy = TRUE;
  self->staffing_stale = FALSE;
  signpost_actions_get_staffing_async (self->actions, self->practice_id, &self->date,
                                       gtk_spin_button_get_value (self->target_spin) / 100.0,
                                       gtk_spin_button_get_value (self->within_spin),
                                       gtk_check_button_get_active (self->aht_check)
                                         ? gtk_spin_button_get_value (self->aht_spin) : NAN,
                                       self->day_cancellable, staffing_fetched, request_new (self, NULL));
  signpost_load_page_update_status (self);
}

static void
past_day_fetched (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  SignpostLoadPage *self = request->self;
  g_autoptr(GError) error = NULL;
  SignpostDayStats *day = NULL;

  day = signpost_actions_get_day_stats_finish (SIGNPOST_ACTIONS (source), result, &error);
  if (!request_current (request))
    return;
  self->compare_busy--;
  if (day == NULL)
    signpost_load_page_set_error (self, error->message);
  else
    /* A past day does not change: kept for as long as the page lives. */
    g_hash_table_replace (self->past_days, g_strdup (request->key), day);
  if (self->compare_busy == 0)
    signpost_load_page_apply_day (self);
  signpost_load_page_update_status (self);
}

void
signpost_load_page_load_compare (SignpostLoadPage *self)
{
  if (!self->compare || !signpost_load_page_is_allowed (self) || self->practice_id == NULL || !g_date_valid (&self->date) ||
      self->compare_busy > 0)
    return;
  for (guint week = 1; week <= COMPARE_WEEKS; week++)
    {
      GDate date = self->date;
      g_autofree char *text = NULL;
      g_autofree char *key = NULL;

      g_date_subtract_days (&date, 7 * week);
      text = signpost_load_page_date_text (&date);
      key = g_strconcat (self->practice_id, " ", text, NULL);
      if (g_hash_table_contains (self->past_days, key))
        continue;
      self->compare_busy++;
      signpost_actions_get_day_stats_async (self->actions, self->practice_id, &date, self->day_cancellable,
                                            past_day_fetched, request_new (self, key));
    }
  signpost_load_page_update_status (self);
}

/* Everything for the day shown, when the page can be seen. */
void
signpost_load_page_load_visible (SignpostLoadPage *self)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)) || !signpost_load_page_is_allowed (self))
    return;
  if (self->day == NULL || self->day_stale)
    signpost_load_page_load_day (self);
  if (signpost_load_page_staffing_shown (self) && (self->staffing == NULL || self->staffing_stale))
    signpost_load_page_load_staffing (self);
  signpost_load_page_load_compare (self);
}

static void
clear_figures (SignpostLoadPage *self)
{
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  SignpostChart *charts[] = { self->calls_chart, self->waits_chart, self->appointments_chart,
                              self->triage_chart, self->staffing_chart };
  GtkLabel *values[] = { self->calls_value, self->answered_value, self->abandoned_value, self->longest_value,
                         self->callbacks_value };
  GtkLabel *details[] = { self->calls_detail, self->answered_detail, self->abandoned_detail, self->longest_detail,
                          self->callbacks_detail };

  for (guint i = 0; i < G_N_ELEMENTS (charts); i++)
    signpost_chart_set_rows (charts[i], none);
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      signpost_load_page_set_text (values[i], "—");
      signpost_load_page_set_text (details[i], "");
    }
  signpost_load_page_set_text (self->staffing_summary, "");
  signpost_load_online_set_day (self->online_section, NULL, NULL, NULL, NULL);
}

/* A new day or practice: forget the old one's figures and requests. */
void
signpost_load_page_reset_day (SignpostLoadPage *self)
{
  g_cancellable_cancel (self->day_cancellable);
  g_clear_object (&self->day_cancellable);
  self->day_cancellable = g_cancellable_new ();
  self->generation++;
  self->day_busy = self->day_again = FALSE;
  self->staffing_busy = self->staffing_again = FALSE;
  self->compare_busy = 0;
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_pointer (&self->day, signpost_day_stats_unref);
  g_clear_pointer (&self->staffing, signpost_staffing_stats_unref);
  self->day_stale = self->staffing_stale = TRUE;
  clear_figures (self);
  signpost_load_page_set_error (self, NULL);
  signpost_load_page_update_date_widgets (self);
  signpost_load_page_update_status (self);
  signpost_load_page_load_visible (self);
}

void
signpost_load_page_show_date (SignpostLoadPage *self,
                              const GDate      *date)
{
  if (g_date_valid (&self->date) && g_date_compare (&self->date, date) == 0)
    return;
  self->date = *date;
  signpost_load_page_reset_day (self);
}

void
signpost_load_page_move_days (SignpostLoadPage *self,
                              int               days)
{
  GDate date = self->date;

  if (!g_date_valid (&date) || !signpost_load_page_is_allowed (self))
    return;
  if (days < 0)
    g_date_subtract_days (&date, -days);
  else
    g_date_add_days (&date, days);
  signpost_load_page_show_date (self, &date);
}
