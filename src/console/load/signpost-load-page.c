/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "signpost-accessible.h"
#include "signpost-bar-chart.h"
#include "signpost-chart-panel.h"
#include "signpost-chart-scale.h"
#include "signpost-line-chart.h"
#include "signpost-load-csv.h"
#include "signpost-load-online.h"
#include "signpost-load-page.h"
#include "signpost-page-shortcuts.h"
#include "signpost-load-stats.h"

/* While today is shown, /stats/day again at most this often as call events
 * arrive, and never before a burst of them has had a moment to land. */
#define REFRESH_MIN_INTERVAL_MS 3000
#define REFRESH_BATCH_MS 300
/* A new staffing target once the manager stops turning the spin button. */
#define TARGET_SETTLE_MS 400
#define CALENDAR_SETTLE_MS 250
#define COMPARE_WEEKS 4
/* The opening hours always drawn, by the practice's clock. */
#define OPEN_MINUTE (8 * 60)
#define CLOSE_MINUTE (18 * 60 + 30)

enum {
  PROP_0,
  PROP_ACTIONS,
  PROP_COMPARE,
  PROP_SETTLED,
  N_PROPS
};

/* Series of each chart, in the order of the .ui file. */
enum { CALLS_ANSWERED, CALLS_CALLBACK, CALLS_ABANDONED, CALLS_MISSED, CALLS_WAITING, CALLS_AVERAGE,
       CALLS_OFFERED, CALLS_SERVICE_LEVEL, N_CALLS_SERIES };
enum { WAITS_MEAN, WAITS_LONGEST, WAITS_ABANDON, WAITS_TALK, N_WAITS_SERIES };
enum { APPOINTMENTS_BOOKED, APPOINTMENTS_UNBOOKED, APPOINTMENTS_OFFERED, APPOINTMENTS_USED,
       APPOINTMENTS_DNA, N_APPOINTMENTS_SERIES };
enum { TRIAGE_EMERGENCY, TRIAGE_SAME_DAY, TRIAGE_WEEKS, TRIAGE_ROUTINE, TRIAGE_NO_URGENCY,
       TRIAGE_BOOKED, TRIAGE_SIGNPOSTED, TRIAGE_DUTY, TRIAGE_OPEN, TRIAGE_DONE, N_TRIAGE_SERIES };
enum { STAFF_ON_PHONES, STAFF_NEEDED, STAFF_SHORT, STAFF_OFFERED, STAFF_AHT, STAFF_TRAFFIC,
       N_STAFF_SERIES };

struct _SignpostLoadPage
{
  AdwBin parent_instance;

  /* template */
  GtkDropDown *practice_dropdown;
  GtkMenuButton *date_button;
  GtkPopover *date_popover;
  GtkCalendar *calendar;
  GtkImage *status_icon;
  GtkLabel *status_label;
  GtkSpinner *spinner;
  GtkRevealer *error_revealer;
  GtkLabel *error_label;
  GtkStack *view_stack;
  GtkWidget *calls_card;
  GtkWidget *answered_card;
  GtkWidget *abandoned_card;
  GtkWidget *longest_card;
  GtkWidget *callbacks_card;
  GtkLabel *calls_value;
  GtkLabel *calls_detail;
  GtkLabel *answered_value;
  GtkLabel *answered_detail;
  GtkLabel *abandoned_value;
  GtkLabel *abandoned_detail;
  GtkLabel *longest_value;
  GtkLabel *longest_detail;
  GtkLabel *callbacks_value;
  GtkLabel *callbacks_detail;
  SignpostChartPanel *calls_panel;
  SignpostChartPanel *waits_panel;
  SignpostChartPanel *appointments_panel;
  SignpostChartPanel *triage_panel;
  SignpostChartPanel *staffing_panel;
  SignpostLoadOnline *online_section;
  SignpostChart *calls_chart;
  SignpostChart *waits_chart;
  SignpostChart *appointments_chart;
  SignpostChart *triage_chart;
  SignpostChart *staffing_chart;
  SignpostChartSeries *average_series;
  GtkCheckButton *compare_check;
  GtkSpinButton *target_spin;
  GtkSpinButton *within_spin;
  GtkCheckButton *aht_check;
  GtkSpinButton *aht_spin;
  GtkLabel *aht_label;
  GtkLabel *staffing_summary;

  SignpostActions    *actions;
  SignpostCallHub *call_hub;
  GCancellable *cancellable;      /* everything; cancelled on dispose */
  GCancellable *day_cancellable;  /* the day shown; replaced when it changes */
  guint generation;               /* of the day shown */

  char *practice_id;
  GTimeZone *tz;
  GDate date;
  gboolean compare;

  SignpostDayStats *day;
  SignpostStaffingStats *staffing;
  GHashTable *past_days; /* "practice date" → SignpostDayStats */

  gboolean day_busy;
  gboolean day_again;
  gboolean day_stale;
  gboolean staffing_busy;
  gboolean staffing_again;
  gboolean staffing_stale;
  guint compare_busy;
  guint refresh_id;
  guint target_id;
  guint calendar_id;
  gboolean calendar_browsing;
  gint64 last_day_request_us;
  guint n_day_requests;
  char *error;
  GDateTime *updated_at; /* when the day's figures last came */
  gboolean quiet; /* setting the calendar or the drop-down ourselves */
};

G_DEFINE_FINAL_TYPE (SignpostLoadPage, signpost_load_page, ADW_TYPE_BIN)

static GParamSpec *properties[N_PROPS];

static void load_day        (SignpostLoadPage *self);
static void load_staffing   (SignpostLoadPage *self);
static void load_compare    (SignpostLoadPage *self);
static void apply_day       (SignpostLoadPage *self);
static void apply_staffing  (SignpostLoadPage *self);
static void update_status   (SignpostLoadPage *self);

/* ---- who may look ----------------------------------------------------------------- */

static gboolean
is_allowed (SignpostLoadPage *self)
{
  SignpostRole role;

  if (self->actions == NULL || signpost_actions_get_cache (self->actions) == NULL)
    return FALSE;
  role = signpost_actions_get_role (self->actions);
  return role == SIGNPOST_ROLE_MANAGER || role == SIGNPOST_ROLE_ADMIN;
}

static gboolean
staffing_shown (SignpostLoadPage *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->view_stack), "staffing") == 0;
}

/* ---- the day shown ---------------------------------------------------------------- */

static void
today (SignpostLoadPage *self,
       GDate            *date)
{
  g_autoptr(GDateTime) now = g_date_time_new_now (self->tz);

  g_date_clear (date, 1);
  g_date_set_dmy (date, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
}

static gboolean
is_live (SignpostLoadPage *self)
{
  GDate now;

  if (!g_date_valid (&self->date))
    return FALSE;
  today (self, &now);
  return g_date_compare (&self->date, &now) == 0;
}

static char *
date_text (const GDate *date)
{
  return signpost_date_format (date);
}

static GDateTime *
date_as_local (SignpostLoadPage *self,
               const GDate      *date)
{
  return g_date_time_new (self->tz, g_date_get_year (date), g_date_get_month (date), g_date_get_day (date), 12, 0, 0);
}

static char *
weekday_plural (const GDate *date)
{
  switch (g_date_get_weekday (date))
    {
    case G_DATE_MONDAY:
      return g_strdup (_("Average of the 4 Mondays before"));
    case G_DATE_TUESDAY:
      return g_strdup (_("Average of the 4 Tuesdays before"));
    case G_DATE_WEDNESDAY:
      return g_strdup (_("Average of the 4 Wednesdays before"));
    case G_DATE_THURSDAY:
      return g_strdup (_("Average of the 4 Thursdays before"));
    case G_DATE_FRIDAY:
      return g_strdup (_("Average of the 4 Fridays before"));
    case G_DATE_SATURDAY:
      return g_strdup (_("Average of the 4 Saturdays before"));
    case G_DATE_SUNDAY:
    case G_DATE_BAD_WEEKDAY:
    default:
      return g_strdup (_("Average of the 4 Sundays before"));
    }
}

static void
set_text (GtkLabel   *label,
          const char *text)
{
  /* The same words again change nothing, not even a redraw. */
  if (g_strcmp0 (gtk_label_get_text (label), text ? text : "") != 0)
    gtk_label_set_text (label, text);
}

static void
update_date_widgets (SignpostLoadPage *self)
{
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *label = NULL;
  g_autofree char *average = NULL;

  if (!g_date_valid (&self->date) || self->tz == NULL)
    return;
  local = date_as_local (self, &self->date);
  label = g_date_time_format (local, _("%A %-d %B %Y"));
  if (is_live (self))
    {
      /* Translators: the day shown when it is today, "Monday 23 November 2026 (today)" */
      g_autofree char *today_label = g_strdup_printf (_("%s (today)"), label);
      gtk_menu_button_set_label (self->date_button, today_label);
    }
  else
    gtk_menu_button_set_label (self->date_button, label);
  {
    /* Translators: the accessible name of the date button, "Day shown: Monday 16 November 2026. Choose another day" */
    g_autofree char *spoken = g_strdup_printf (_("Day shown: %s. Choose another day"), label);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->date_button), GTK_ACCESSIBLE_PROPERTY_LABEL, spoken, -1);
  }

  self->quiet = TRUE;
  gtk_calendar_select_day (self->calendar, local);
  self->quiet = FALSE;

  average = weekday_plural (&self->date);
  signpost_chart_series_set_title (self->average_series, average);
}

/* ---- errors and status ------------------------------------------------------------ */

static void
set_error (SignpostLoadPage *self,
           const char       *message)
{
  if (g_strcmp0 (self->error, message) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (message);
  if (message != NULL)
    {
      /* Translators: the load page's banner when the figures could not be fetched */
      g_autofree char *text = g_strdup_printf (_("The figures could not be fetched: %s"), message);
      gtk_label_set_text (self->error_label, text);
    }
  gtk_revealer_set_reveal_child (self->error_revealer, message != NULL);
}

static gboolean
compare_ready (SignpostLoadPage *self,
               GPtrArray        *days)
{
  for (guint week = 1; week <= COMPARE_WEEKS; week++)
    {
      GDate date = self->date;
      g_autofree char *text = NULL;
      g_autofree char *key = NULL;
      SignpostDayStats *day;

      g_date_subtract_days (&date, 7 * week);
      text = date_text (&date);
      key = g_strconcat (self->practice_id, " ", text, NULL);
      day = g_hash_table_lookup (self->past_days, key);
      if (day == NULL)
        return FALSE;
      if (days != NULL)
        g_ptr_array_add (days, day);
    }
  return TRUE;
}

gboolean
signpost_load_page_get_settled (SignpostLoadPage *self)
{
  g_return_val_if_fail (SIGNPOST_IS_LOAD_PAGE (self), FALSE);

  if (self->day_busy || self->day_again || self->refresh_id != 0 || self->day == NULL ||
      self->staffing_busy || self->staffing_again || self->target_id != 0 || self->compare_busy > 0)
    return FALSE;
  if (staffing_shown (self) && self->staffing == NULL)
    return FALSE;
  if (self->compare && !compare_ready (self, NULL))
    return FALSE;
  return TRUE;
}

static void
update_status (SignpostLoadPage *self)
{
  gboolean busy = self->day_busy || self->staffing_busy || self->compare_busy > 0;
  g_autofree char *text = NULL;

  /* An empty chart says "fetching" until there is something to say. */
  {
    SignpostChart *charts[] = { self->calls_chart, self->waits_chart, self->appointments_chart,
                                self->triage_chart, self->staffing_chart };
    for (guint i = 0; i < G_N_ELEMENTS (charts); i++)
      {
        gboolean fetching = charts[i] == self->staffing_chart ? self->staffing == NULL : self->day == NULL;
        const char *idle = g_object_get_data (G_OBJECT (charts[i]), "signpost-idle-text");
        signpost_chart_set_empty_text (charts[i], fetching && is_allowed (self) ? _("Fetching the figures…") : idle);
      }
  }
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  if (is_live (self))
    {
      g_autoptr(GDateTime) now = g_date_time_new_now (self->tz);
      g_autofree char *time = g_date_time_format (self->updated_at ? self->updated_at : now, "%H:%M:%S");

      /* Translators: the load page's status for today, "Live, updated 08:42" */
      text = g_strdup_printf (_("Live, updated %s"), time);
      gtk_image_set_from_icon_name (self->status_icon, "media-record-symbolic");
      gtk_widget_set_visible (GTK_WIDGET (self->status_icon), TRUE);
    }
  else
    {
      text = g_strdup (_("A past day, as the figures stand now"));
      gtk_widget_set_visible (GTK_WIDGET (self->status_icon), FALSE);
    }
  if (self->day != NULL)
    set_text (self->status_label, text);
  else
    set_text (self->status_label, busy ? _("Fetching the figures…") : "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SETTLED]);
}

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
    set_error (self, error->message);
  else
    {
      set_error (self, NULL);
      g_clear_pointer (&self->day, signpost_day_stats_unref);
      self->day = g_steal_pointer (&day);
      g_clear_pointer (&self->updated_at, g_date_time_unref);
      self->updated_at = g_date_time_new_now (self->tz);
      apply_day (self);
    }
  if (self->day_again)
    {
      self->day_again = FALSE;
      schedule_refresh (self);
    }
  update_status (self);
}

static void
load_day (SignpostLoadPage *self)
{
  if (!is_allowed (self) || self->practice_id == NULL || !g_date_valid (&self->date))
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
  update_status (self);
}

static gboolean
refresh_cb (gpointer data)
{
  SignpostLoadPage *self = data;

  self->refresh_id = 0;
  load_day (self);
  if (staffing_shown (self))
    load_staffing (self);
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

  if (!is_allowed (self) || !is_live (self))
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
  update_status (self);
}

static void
on_call_event (SignpostLoadPage  *self,
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
    set_error (self, error->message);
  else
    {
      set_error (self, NULL);
      g_clear_pointer (&self->staffing, signpost_staffing_stats_unref);
      self->staffing = g_steal_pointer (&staffing);
      apply_staffing (self);
    }
  if (self->staffing_again)
    {
      self->staffing_again = FALSE;
      load_staffing (self);
    }
  update_status (self);
}

static void
load_staffing (SignpostLoadPage *self)
{
  if (!is_allowed (self) || self->practice_id == NULL || !g_date_valid (&self->date))
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
  update_status (self);
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
    set_error (self, error->message);
  else
    /* A past day does not change: kept for as long as the page lives. */
    g_hash_table_replace (self->past_days, g_strdup (request->key), day);
  if (self->compare_busy == 0)
    apply_day (self);
  update_status (self);
}

static void
load_compare (SignpostLoadPage *self)
{
  if (!self->compare || !is_allowed (self) || self->practice_id == NULL || !g_date_valid (&self->date) ||
      self->compare_busy > 0)
    return;
  for (guint week = 1; week <= COMPARE_WEEKS; week++)
    {
      GDate date = self->date;
      g_autofree char *text = NULL;
      g_autofree char *key = NULL;

      g_date_subtract_days (&date, 7 * week);
      text = date_text (&date);
      key = g_strconcat (self->practice_id, " ", text, NULL);
      if (g_hash_table_contains (self->past_days, key))
        continue;
      self->compare_busy++;
      signpost_actions_get_day_stats_async (self->actions, self->practice_id, &date, self->day_cancellable,
                                            past_day_fetched, request_new (self, key));
    }
  update_status (self);
}

/* Everything for the day shown, when the page can be seen. */
static void
load_visible (SignpostLoadPage *self)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)) || !is_allowed (self))
    return;
  if (self->day == NULL || self->day_stale)
    load_day (self);
  if (staffing_shown (self) && (self->staffing == NULL || self->staffing_stale))
    load_staffing (self);
  load_compare (self);
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
      set_text (values[i], "—");
      set_text (details[i], "");
    }
  set_text (self->staffing_summary, "");
  signpost_load_online_set_day (self->online_section, NULL, NULL, NULL, NULL);
}

/* A new day or practice: forget the old one's figures and requests. */
static void
reset_day (SignpostLoadPage *self)
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
  set_error (self, NULL);
  update_date_widgets (self);
  update_status (self);
  load_visible (self);
}

static void
show_date (SignpostLoadPage *self,
           const GDate      *date)
{
  if (g_date_valid (&self->date) && g_date_compare (&self->date, date) == 0)
    return;
  self->date = *date;
  reset_day (self);
}

static void
move_days (SignpostLoadPage *self,
           int               days)
{
  GDate date = self->date;

  if (!g_date_valid (&date) || !is_allowed (self))
    return;
  if (days < 0)
    g_date_subtract_days (&date, -days);
  else
    g_date_add_days (&date, days);
  show_date (self, &date);
}

/* ---- putting the numbers up ------------------------------------------------------- */

static GPtrArray *
new_rows (void)
{
  return g_ptr_array_new_with_free_func (g_object_unref);
}

static void
headline (GtkWidget  *card,
          GtkLabel   *value_label,
          GtkLabel   *detail_label,
          GtkLabel   *caption,
          const char *value,
          const char *detail)
{
  set_text (value_label, value);
  set_text (detail_label, detail);
  if (caption != NULL)
    {
      g_autofree char *spoken = g_strdup_printf ("%s: %s. %s", gtk_label_get_text (caption), value, detail);
      gtk_accessible_update_property (GTK_ACCESSIBLE (card), GTK_ACCESSIBLE_PROPERTY_LABEL, spoken, -1);
    }
}

static GtkLabel *
caption_of (GtkWidget *card)
{
  return GTK_LABEL (gtk_widget_get_first_child (card));
}

static void
update_headlines (SignpostLoadPage *self)
{
  const SignpostStatsInterval *totals = &self->day->totals;
  double offered = totals->offered;
  g_autofree char *calls = signpost_chart_format_value (offered, SIGNPOST_CHART_UNIT_COUNT);
  g_autofree char *calls_detail = NULL;
  g_autofree char *answered = NULL;
  g_autofree char *answered_detail = NULL;
  g_autofree char *abandoned = NULL;
  g_autofree char *abandoned_detail = NULL;
  g_autofree char *longest = signpost_chart_format_duration (totals->longest_wait_s);
  g_autofree char *longest_detail = NULL;
  g_autofree char *callbacks = NULL;
  g_autofree char *callbacks_detail = NULL;
  g_autofree char *mean = signpost_chart_format_duration (totals->mean_wait_s);
  guint outstanding = (guint) MAX (totals->callbacks_requested - totals->callbacks_made, 0);

  calls_detail = g_strdup_printf (_("%.0f answered, %.0f took a callback"), totals->answered,
                                  totals->callbacks_requested);

  answered = signpost_chart_format_value (totals->service_level, SIGNPOST_CHART_UNIT_SHARE);
  if (isnan (totals->service_level))
    answered_detail = g_strdup (_("No calls yet"));
  else
    /* Translators: under the share answered within 60 s, "220 of 329 calls" */
    answered_detail = g_strdup_printf (_("%.0f of %.0f calls"), round (totals->service_level * offered), offered);

  abandoned = signpost_chart_format_value (offered > 0 ? totals->abandoned / offered : NAN, SIGNPOST_CHART_UNIT_SHARE);
  abandoned_detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u caller hung up before an answer",
                                                   "%u callers hung up before an answer", (gulong) totals->abandoned),
                                      (guint) totals->abandoned);

  if (isnan (totals->mean_wait_s))
    longest_detail = g_strdup (_("No call answered yet"));
  else
    /* Translators: under the longest wait, "Mean wait 3 min 07 s" */
    longest_detail = g_strdup_printf (_("Mean wait %s"), mean);

  callbacks = g_strdup_printf ("%u", outstanding);
  /* Translators: under the callbacks still to make, "27 of 27 made" */
  callbacks_detail = g_strdup_printf (_("%.0f of %.0f made"), totals->callbacks_made, totals->callbacks_requested);

  set_text (caption_of (self->calls_card), is_live (self) ? _("Calls today") : _("Calls on this day"));
  headline (self->calls_card, self->calls_value, self->calls_detail, caption_of (self->calls_card), calls, calls_detail);
  headline (self->answered_card, self->answered_value, self->answered_detail, caption_of (self->answered_card),
            answered, answered_detail);
  headline (self->abandoned_card, self->abandoned_value, self->abandoned_detail, caption_of (self->abandoned_card),
            abandoned, abandoned_detail);
  headline (self->longest_card, self->longest_value, self->longest_detail, caption_of (self->longest_card),
            longest, longest_detail);
  headline (self->callbacks_card, self->callbacks_value, self->callbacks_detail, caption_of (self->callbacks_card),
            callbacks, callbacks_detail);
}

static const char *
profession_label (const char *nick)
{
  static const struct { const char *nick; const char *label; } professions[] = {
    { "gp", N_("GP") },
    { "nurse", N_("Nurse") },
    { "hca", N_("Healthcare assistant") },
    { "clinical_pharmacist", N_("Clinical pharmacist") },
    { "first_contact_physio", N_("First contact physio") },
    { "paramedic", N_("Paramedic") },
    { "mental_health_practitioner", N_("Mental health practitioner") },
    { "social_prescriber", N_("Social prescriber") },
  };

  for (guint i = 0; nick != NULL && i < G_N_ELEMENTS (professions); i++)
    if (g_str_equal (nick, professions[i].nick))
      return _(professions[i].label);
  return nick;
}

static const char *
signpost_label (const char *nick)
{
  static const struct { const char *nick; const char *label; } services[] = {
    { "community_pharmacy", N_("Community pharmacy") },
    { "pharmacy_first", N_("Pharmacy First") },
    { "nhs_111", N_("NHS 111") },
    { "emergency_999", N_("999 or A&E") },
    { "optometrist", N_("Optometrist") },
    { "dentist", N_("Dentist") },
    { "self_care", N_("Self-care") },
    { "talking_therapies", N_("Talking therapies") },
    { "social_prescribing", N_("Social prescribing") },
    { "sexual_health", N_("Sexual health") },
  };

  for (guint i = 0; nick != NULL && i < G_N_ELEMENTS (services); i++)
    if (g_str_equal (nick, services[i].nick))
      return _(services[i].label);
  return nick;
}

typedef struct {
  char *id;
  char *name;
  char *title;
  double values[N_APPOINTMENTS_SERIES];
} ClinicianRow;

static void
clinician_row_free (ClinicianRow *row)
{
  g_free (row->id);
  g_free (row->name);
  g_free (row->title);
  g_free (row);
}

static int
compare_clinician_rows (gconstpointer a,
                        gconstpointer b)
{
  const ClinicianRow *x = *(ClinicianRow * const *) a;
  const ClinicianRow *y = *(ClinicianRow * const *) b;
  return g_utf8_collate (x->name, y->name);
}

static void
apply_appointments (SignpostLoadPage *self)
{
  g_autoptr(GPtrArray) clinicians = g_ptr_array_new_with_free_func ((GDestroyNotify) clinician_row_free);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) rows = new_rows ();

  for (guint i = 0; i < self->day->appointments->len; i++)
    {
      SignpostStatsAppointments *slots = g_ptr_array_index (self->day->appointments, i);
      const char *id = slots->clinician_id ? slots->clinician_id : "";
      ClinicianRow *row = g_hash_table_lookup (by_id, id);

      if (row == NULL)
        {
          row = g_new0 (ClinicianRow, 1);
          row->id = g_strdup (id);
          row->name = g_strdup (slots->clinician_name ? slots->clinician_name : _("A clinician no longer here"));
          row->title = slots->profession != NULL
            /* Translators: a clinician in a table, "Amelia Jones (Nurse)" */
            ? g_strdup_printf (_("%s (%s)"), row->name, profession_label (slots->profession))
            : g_strdup (row->name);
          g_hash_table_insert (by_id, row->id, row);
          g_ptr_array_add (clinicians, row);
        }
      row->values[APPOINTMENTS_OFFERED] += slots->offered;
      row->values[APPOINTMENTS_BOOKED] += slots->booked;
      row->values[APPOINTMENTS_USED] += slots->used;
      row->values[APPOINTMENTS_DNA] += slots->dna;
    }
  g_ptr_array_sort (clinicians, compare_clinician_rows);
  for (guint i = 0; i < clinicians->len; i++)
    {
      ClinicianRow *row = g_ptr_array_index (clinicians, i);

      row->values[APPOINTMENTS_UNBOOKED] = MAX (row->values[APPOINTMENTS_OFFERED] - row->values[APPOINTMENTS_BOOKED], 0);
      g_ptr_array_add (rows, signpost_chart_row_new (row->name, row->title, row->values, N_APPOINTMENTS_SERIES));
    }
  signpost_chart_set_rows (self->appointments_chart, rows);
}

/* The name of a clinician a request was routed to: from the day's slots,
 * else the cache. */
static char *
clinician_name (SignpostLoadPage *self,
                const char       *id)
{
  SignpostCache *cache = self->actions ? signpost_actions_get_cache (self->actions) : NULL;
  g_autoptr(SignpostClinician) clinician = NULL;

  for (guint i = 0; id != NULL && i < self->day->appointments->len; i++)
    {
      SignpostStatsAppointments *slots = g_ptr_array_index (self->day->appointments, i);
      if (g_strcmp0 (slots->clinician_id, id) == 0 && slots->clinician_name != NULL)
        return g_strdup (slots->clinician_name);
    }
  if (cache != NULL && id != NULL)
    clinician = signpost_cache_get_record (cache, SIGNPOST_RECORD_CLINICIAN, id);
  if (clinician != NULL)
    return g_strdup_printf ("%s %s", signpost_clinician_get_given_name (clinician),
                            signpost_clinician_get_family_name (clinician));
  return g_strdup (_("A named clinician"));
}

static char *
route_label (SignpostLoadPage    *self,
             SignpostStatsTriage *group)
{
  if (group->route == NULL)
    return g_strdup (_("Not routed yet"));
  if (g_str_equal (group->route, "duty"))
    return g_strdup (_("Duty doctor"));
  if (g_str_equal (group->route, "clinician"))
    return clinician_name (self, group->target);
  if (g_str_equal (group->route, "profession"))
    return g_strdup (group->target ? profession_label (group->target) : _("Another clinician"));
  if (g_str_equal (group->route, "signpost"))
    return g_strdup (group->target ? signpost_label (group->target) : _("Signposted elsewhere"));
  return g_strdup (group->route);
}

typedef struct {
  char *label;
  double values[N_TRIAGE_SERIES];
  double total;
} RouteRow;

static void
route_row_free (RouteRow *row)
{
  g_free (row->label);
  g_free (row);
}

static int
compare_route_rows (gconstpointer a,
                    gconstpointer b)
{
  const RouteRow *x = *(RouteRow * const *) a;
  const RouteRow *y = *(RouteRow * const *) b;

  if (x->total != y->total)
    return x->total > y->total ? -1 : 1;
  return g_utf8_collate (x->label, y->label);
}

static void
apply_triage (SignpostLoadPage *self)
{
  g_autoptr(GPtrArray) routes = g_ptr_array_new_with_free_func ((GDestroyNotify) route_row_free);
  g_autoptr(GHashTable) by_label = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) rows = new_rows ();

  for (guint i = 0; i < self->day->triage->len; i++)
    {
      SignpostStatsTriage *group = g_ptr_array_index (self->day->triage, i);
      g_autofree char *label = route_label (self, group);
      RouteRow *row = g_hash_table_lookup (by_label, label);
      const char *urgency = group->urgency ? group->urgency : "";
      const char *outcome = group->outcome ? group->outcome : "";
      guint which;

      if (row == NULL)
        {
          row = g_new0 (RouteRow, 1);
          row->label = g_steal_pointer (&label);
          g_hash_table_insert (by_label, row->label, row);
          g_ptr_array_add (routes, row);
        }
      if (g_str_equal (urgency, "emergency"))
        which = TRIAGE_EMERGENCY;
      else if (g_str_equal (urgency, "same_day"))
        which = TRIAGE_SAME_DAY;
      else if (g_str_equal (urgency, "within_2_weeks"))
        which = TRIAGE_WEEKS;
      else if (g_str_equal (urgency, "routine"))
        which = TRIAGE_ROUTINE;
      else
        which = TRIAGE_NO_URGENCY;
      row->values[which] += group->count;
      row->total += group->count;

      if (g_str_equal (outcome, "booked"))
        row->values[TRIAGE_BOOKED] += group->count;
      else if (g_str_equal (outcome, "signposted"))
        row->values[TRIAGE_SIGNPOSTED] += group->count;
      else if (g_str_equal (outcome, "awaiting_duty"))
        row->values[TRIAGE_DUTY] += group->count;
      else if (g_str_equal (outcome, "open"))
        row->values[TRIAGE_OPEN] += group->count;
      else
        row->values[TRIAGE_DONE] += group->count;
    }
  g_ptr_array_sort (routes, compare_route_rows);
  for (guint i = 0; i < routes->len; i++)
    {
      RouteRow *row = g_ptr_array_index (routes, i);
      g_ptr_array_add (rows, signpost_chart_row_new (row->label, row->label, row->values, N_TRIAGE_SERIES));
    }
  signpost_chart_set_rows (self->triage_chart, rows);
}

static char *
x_title (SignpostLoadPage *self)
{
  const char *zone = g_time_zone_get_identifier (self->tz);

  if (g_strcmp0 (zone, SIGNPOST_DEFAULT_TIME_ZONE) == 0)
    return g_strdup (_("Time of day, UK time (each bar is 15 minutes)"));
  /* Translators: the time axis of a chart, "Time of day, Europe/Dublin (each bar is 15 minutes)" */
  return g_strdup_printf (_("Time of day, %s (each bar is 15 minutes)"), zone);
}

static void
apply_day (SignpostLoadPage *self)
{
  guint n, first = 0, count = 0;
  g_autofree GDateTime **starts = NULL;
  g_autofree gboolean *active = NULL;
  g_autofree double *average = NULL;
  g_auto(GStrv) ticks = NULL;
  g_auto(GStrv) titles = NULL;
  g_autoptr(GPtrArray) calls = new_rows ();
  g_autoptr(GPtrArray) waits = new_rows ();
  g_autoptr(GPtrArray) past = g_ptr_array_new ();
  g_autofree char *axis = NULL;

  if (self->day == NULL)
    return;

  n = signpost_day_stats_get_n_intervals (self->day);
  starts = g_new0 (GDateTime *, MAX (n, 1));
  active = g_new0 (gboolean, MAX (n, 1));
  average = g_new0 (double, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      starts[i] = signpost_day_stats_get_interval (self->day, i)->start;
      active[i] = signpost_day_stats_is_active (self->day, i);
      average[i] = NAN;
    }
  signpost_chart_label_intervals (starts, n, self->tz, 15, &ticks, &titles);
  signpost_chart_active_span (starts, active, n, self->tz, OPEN_MINUTE, CLOSE_MINUTE, &first, &count);
  if (self->compare && compare_ready (self, past))
    signpost_day_stats_average (self->day, past, self->tz, SIGNPOST_STATS_FIELD (offered), average);
  signpost_chart_series_set_visible (self->average_series, self->compare && compare_ready (self, NULL));

  for (guint i = 0; i < n; i++)
    {
      const SignpostStatsInterval *interval = signpost_day_stats_get_interval (self->day, i);
      double waiting = interval->offered - interval->answered - interval->abandoned - interval->missed -
                       interval->callbacks_requested;
      double call_values[N_CALLS_SERIES] = {
        [CALLS_ANSWERED] = interval->answered,
        [CALLS_CALLBACK] = interval->callbacks_requested,
        [CALLS_ABANDONED] = interval->abandoned,
        [CALLS_MISSED] = interval->missed,
        [CALLS_WAITING] = MAX (waiting, 0),
        [CALLS_AVERAGE] = average[i],
        [CALLS_OFFERED] = interval->offered,
        [CALLS_SERVICE_LEVEL] = interval->service_level,
      };
      double wait_values[N_WAITS_SERIES] = {
        [WAITS_MEAN] = interval->mean_wait_s,
        [WAITS_LONGEST] = interval->longest_wait_s,
        [WAITS_ABANDON] = interval->mean_abandon_s,
        [WAITS_TALK] = interval->mean_talk_s,
      };

      g_ptr_array_add (calls, signpost_chart_row_new (ticks[i], titles[i], call_values, N_CALLS_SERIES));
      g_ptr_array_add (waits, signpost_chart_row_new (ticks[i], titles[i], wait_values, N_WAITS_SERIES));
    }

  axis = x_title (self);
  signpost_chart_set_x_title (self->calls_chart, axis);
  signpost_chart_set_x_title (self->waits_chart, axis);
  signpost_chart_set_rows (self->calls_chart, calls);
  signpost_chart_set_window (self->calls_chart, first, count);
  signpost_chart_set_rows (self->waits_chart, waits);
  signpost_chart_set_window (self->waits_chart, first, count);

  update_headlines (self);
  apply_appointments (self);
  apply_triage (self);
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    signpost_load_online_set_day (self->online_section, self->day, self->tz, now, axis);
  }
}

static void
apply_staffing (SignpostLoadPage *self)
{
  guint n, first = 0, count = 0, short_intervals = 0, peak_at = 0;
  double peak = -1, aht = NAN;
  g_autofree GDateTime **starts = NULL;
  g_autofree gboolean *active = NULL;
  g_auto(GStrv) ticks = NULL;
  g_auto(GStrv) titles = NULL;
  g_autoptr(GPtrArray) rows = new_rows ();
  g_autofree char *axis = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *aht_text = NULL;

  if (self->staffing == NULL)
    return;

  n = signpost_staffing_stats_get_n_intervals (self->staffing);
  starts = g_new0 (GDateTime *, MAX (n, 1));
  active = g_new0 (gboolean, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      const SignpostStaffingInterval *interval = signpost_staffing_stats_get_interval (self->staffing, i);
      starts[i] = interval->start;
      active[i] = interval->offered > 0 || interval->on_phones > 0;
    }
  signpost_chart_label_intervals (starts, n, self->tz, 15, &ticks, &titles);
  signpost_chart_active_span (starts, active, n, self->tz, OPEN_MINUTE, CLOSE_MINUTE, &first, &count);

  for (guint i = 0; i < n; i++)
    {
      const SignpostStaffingInterval *interval = signpost_staffing_stats_get_interval (self->staffing, i);
      double shortfall = isnan (interval->needed) ? NAN : MAX (interval->needed - interval->on_phones, 0);
      double values[N_STAFF_SERIES] = {
        [STAFF_ON_PHONES] = interval->on_phones,
        [STAFF_NEEDED] = interval->needed,
        [STAFF_SHORT] = shortfall,
        [STAFF_OFFERED] = interval->offered,
        [STAFF_AHT] = interval->aht_s,
        [STAFF_TRAFFIC] = interval->traffic_erlangs,
      };

      if (!isnan (interval->aht_s))
        aht = interval->aht_s;
      if (shortfall > 0)
        short_intervals++;
      if (!isnan (interval->needed) && interval->needed > peak)
        {
          peak = interval->needed;
          peak_at = i;
        }
      g_ptr_array_add (rows, signpost_chart_row_new (ticks[i], titles[i], values, N_STAFF_SERIES));
    }

  axis = x_title (self);
  signpost_chart_set_x_title (self->staffing_chart, axis);
  signpost_chart_set_rows (self->staffing_chart, rows);
  signpost_chart_set_window (self->staffing_chart, first, count);

  if (peak <= 0)
    summary = g_strdup (_("No calls on this day, so no navigators were needed."));
  else
    {
      const SignpostStaffingInterval *busiest = signpost_staffing_stats_get_interval (self->staffing, peak_at);
      /* Translators: the staffing summary, "Busiest: 9 navigators needed at 08:00–08:15, 4 on the phones. Short-staffed in 12 quarter hours." */
      summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "Busiest: %.0f navigators needed at %s, %.0f on the phones. Short-staffed in %u quarter hour.",
                                              "Busiest: %.0f navigators needed at %s, %.0f on the phones. Short-staffed in %u quarter hours.",
                                              short_intervals),
                                 peak, titles[peak_at], busiest->on_phones, short_intervals);
    }
  set_text (self->staffing_summary, summary);

  if (isnan (aht))
    aht_text = g_strdup (_("seconds (no call was answered and ended on this day to measure)"));
  else if (gtk_check_button_get_active (self->aht_check))
    aht_text = g_strdup (_("seconds"));
  else
    {
      g_autofree char *measured = signpost_chart_format_duration (aht);
      /* Translators: beside the handling time, "seconds (otherwise the day's measured 2 min 32 s)" */
      aht_text = g_strdup_printf (_("seconds (otherwise the day’s measured %s)"), measured);
    }
  set_text (self->aht_label, aht_text);
}

/* ---- practices ---------------------------------------------------------------------- */

static SignpostPractice *
find_practice (SignpostLoadPage *self,
               const char       *id,
               guint            *position)
{
  GListModel *practices = signpost_actions_get_practices (self->actions);

  for (guint i = 0; practices != NULL && i < g_list_model_get_n_items (practices); i++)
    {
      g_autoptr(SignpostPractice) practice = g_list_model_get_item (practices, i);
      if (id == NULL || g_strcmp0 (signpost_record_get_id (SIGNPOST_RECORD (practice)), id) == 0)
        {
          if (position != NULL)
            *position = i;
          return practice;
        }
    }
  return NULL;
}

static void
show_practice (SignpostLoadPage *self,
               const char       *practice_id)
{
  SignpostPractice *practice = practice_id ? find_practice (self, practice_id, NULL) : NULL;
  const char *zone = practice ? signpost_practice_get_time_zone (practice) : NULL;
  g_autoptr(GTimeZone) tz = signpost_time_zone_new (zone, NULL);
  guint position = 0;

  if (tz == NULL)
    tz = g_time_zone_new_identifier (SIGNPOST_DEFAULT_TIME_ZONE);
  if (g_strcmp0 (self->practice_id, practice_id) == 0 && self->tz != NULL)
    return;
  g_free (self->practice_id);
  self->practice_id = g_strdup (practice_id);
  g_clear_pointer (&self->tz, g_time_zone_unref);
  self->tz = g_steal_pointer (&tz);
  if (practice_id != NULL && find_practice (self, practice_id, &position) != NULL)
    {
      self->quiet = TRUE;
      gtk_drop_down_set_selected (self->practice_dropdown, position);
      self->quiet = FALSE;
    }
  if (!g_date_valid (&self->date))
    today (self, &self->date);
  reset_day (self);
}

static void
on_practice_selected (SignpostLoadPage *self)
{
  SignpostPractice *practice = gtk_drop_down_get_selected_item (self->practice_dropdown);

  if (self->quiet || practice == NULL)
    return;
  show_practice (self, signpost_record_get_id (SIGNPOST_RECORD (practice)));
}

/* Who is signed in decides whether the page does anything at all. */
static void
update_role (SignpostLoadPage *self)
{
  gboolean allowed = is_allowed (self);
  static const char *actions[] = {
    "load.previous-day", "load.next-day", "load.previous-week", "load.next-week", "load.today",
    "load.choose-date", "load.refresh", "load.export-day", "load.export-cbt", "load.compare", "load.show-view",
  };
  GListModel *practices = self->actions ? signpost_actions_get_practices (self->actions) : NULL;

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), actions[i], allowed);

  self->quiet = TRUE;
  gtk_drop_down_set_model (self->practice_dropdown, allowed ? practices : NULL);
  self->quiet = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->practice_dropdown),
                          allowed && practices != NULL && g_list_model_get_n_items (practices) > 1);

  if (!allowed)
    {
      /* Nobody else sees these numbers, not even for a moment. */
      g_clear_pointer (&self->practice_id, g_free);
      g_date_clear (&self->date, 1);
      g_clear_pointer (&self->past_days, g_hash_table_unref);
      self->past_days = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify) signpost_day_stats_unref);
      reset_day (self);
      return;
    }
  {
    const char *chosen = signpost_actions_get_practice_id (self->actions);
    SignpostPractice *practice = find_practice (self, chosen ? chosen : self->practice_id, NULL);

    if (practice == NULL)
      practice = find_practice (self, NULL, NULL);
    if (practice != NULL)
      show_practice (self, signpost_record_get_id (SIGNPOST_RECORD (practice)));
  }
}

/* Back online after a failed fetch: try again by itself. */
static void
on_state_changed (SignpostLoadPage *self)
{
  if (signpost_actions_get_state (self->actions) == SIGNPOST_SYNC_STATE_ONLINE && self->error != NULL &&
      gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_activate_action (GTK_WIDGET (self), "load.refresh", NULL);
}

static void
on_call_hub_changed (SignpostLoadPage *self)
{
  SignpostCallHub *hub = self->actions ? signpost_actions_get_call_hub (self->actions) : NULL;

  if (self->call_hub == hub)
    return;
  if (self->call_hub != NULL)
    g_signal_handlers_disconnect_by_data (self->call_hub, self);
  g_set_object (&self->call_hub, hub);
  if (hub != NULL)
    g_signal_connect_object (hub, "call-event", G_CALLBACK (on_call_event), self, G_CONNECT_SWAPPED);
}

/* ---- callbacks from the template ---------------------------------------------------- */

/* A day clicked closes the calendar; a month or year turned leaves it
 * open (the day follows, and the figures with it). */
static gboolean
calendar_settled (gpointer data)
{
  SignpostLoadPage *self = data;
  g_autoptr(GDateTime) chosen = gtk_calendar_get_date (self->calendar);
  GDate date;

  self->calendar_id = 0;
  if (!self->calendar_browsing)
    gtk_popover_popdown (self->date_popover);
  self->calendar_browsing = FALSE;
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, g_date_time_get_day_of_month (chosen), g_date_time_get_month (chosen),
                  g_date_time_get_year (chosen));
  if (is_allowed (self))
    show_date (self, &date);
  return G_SOURCE_REMOVE;
}

static void
on_calendar_day_selected (SignpostLoadPage *self)
{
  if (self->quiet)
    return;
  g_clear_handle_id (&self->calendar_id, g_source_remove);
  self->calendar_id = g_timeout_add (CALENDAR_SETTLE_MS, calendar_settled, self);
}

static void
on_calendar_browsed (SignpostLoadPage *self)
{
  self->calendar_browsing = TRUE;
}

static void
on_view_changed (SignpostLoadPage *self)
{
  load_visible (self);
  update_status (self);
}

static gboolean
target_settled (gpointer data)
{
  SignpostLoadPage *self = data;

  self->target_id = 0;
  self->staffing_stale = TRUE;
  if (staffing_shown (self))
    load_staffing (self);
  update_status (self);
  return G_SOURCE_REMOVE;
}

static void
on_target_changed (SignpostLoadPage *self)
{
  g_clear_handle_id (&self->target_id, g_source_remove);
  self->target_id = g_timeout_add (TARGET_SETTLE_MS, target_settled, self);
}

/* ---- saving --------------------------------------------------------------------------- */

static void
tell (SignpostLoadPage *self,
      const char       *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (message, -1);
      AdwToast *toast = adw_toast_new (escaped);

      adw_toast_set_timeout (toast, 5);
      adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
    }
  else
    g_message ("%s", message);
}

static void
file_written (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
write_bytes (GTask  *task,
             GFile  *file,
             GBytes *bytes)
{
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       g_task_get_cancellable (task), file_written, g_object_ref (task));
}

static void
day_for_csv_fetched (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignpostLoadPage *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(SignpostDayStats) day = NULL;
  g_autoptr(GBytes) bytes = NULL;
  SignpostPractice *practice;
  char *text;
  gsize length;

  day = signpost_actions_get_day_stats_finish (SIGNPOST_ACTIONS (source), result, &error);
  if (day == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  practice = find_practice (self, day->practice_id ? day->practice_id : self->practice_id, NULL);
  text = signpost_load_csv_for_day (day, practice ? signpost_practice_get_name (practice) : NULL, self->tz, &length);
  bytes = g_bytes_new_take (text, length);
  write_bytes (task, g_task_get_task_data (task), bytes);
}

/* The day's figures as they are on the server now (today's move on). */
void
signpost_load_page_save_day_csv_async (SignpostLoadPage    *self,
                                       GFile               *file,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SIGNPOST_IS_LOAD_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, signpost_load_page_save_day_csv_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  if (!is_allowed (self) || self->practice_id == NULL)
    {
      g_task_return_new_error (task, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_FORBIDDEN,
                               _("Only practice managers and administrators can export these figures."));
      return;
    }
  signpost_actions_get_day_stats_async (self->actions, self->practice_id, &self->date, cancellable,
                                        day_for_csv_fetched, g_steal_pointer (&task));
}

gboolean
signpost_load_page_save_day_csv_finish (SignpostLoadPage  *self,
                                        GAsyncResult      *result,
                                        GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
cbt_fetched (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = signpost_actions_export_telephony_finish (SIGNPOST_ACTIONS (source), result, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Exactly as the server wrote it. */
  write_bytes (task, g_task_get_task_data (task), bytes);
}

/* The month of the day shown, NHS England's nine cloud-based telephony
 * metrics as the server reports them. */
void
signpost_load_page_save_cbt_csv_async (SignpostLoadPage    *self,
                                       GFile               *file,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SIGNPOST_IS_LOAD_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, signpost_load_page_save_cbt_csv_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  if (!is_allowed (self) || self->practice_id == NULL)
    {
      g_task_return_new_error (task, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_FORBIDDEN,
                               _("Only practice managers and administrators can export these figures."));
      return;
    }
  signpost_actions_export_telephony_async (self->actions, self->practice_id, g_date_get_year (&self->date),
                                           g_date_get_month (&self->date), cancellable, cbt_fetched,
                                           g_steal_pointer (&task));
}

gboolean
signpost_load_page_save_cbt_csv_finish (SignpostLoadPage  *self,
                                        GAsyncResult      *result,
                                        GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
saved (GObject      *source,
       GAsyncResult *result,
       gpointer      user_data)
{
  SignpostLoadPage *self = SIGNPOST_LOAD_PAGE (source);
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *message = NULL;
  gboolean ok;

  if (g_task_get_source_tag (G_TASK (result)) == signpost_load_page_save_day_csv_async)
    ok = signpost_load_page_save_day_csv_finish (self, result, &error);
  else
    ok = signpost_load_page_save_cbt_csv_finish (self, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (ok)
    /* Translators: a toast after an export, "Saved signpost-calls-2026-11-16.csv" */
    message = g_strdup_printf (_("Saved %s"), name);
  else
    /* Translators: a toast when an export failed, "Could not save calls.csv: …" */
    message = g_strdup_printf (_("Could not save %s: %s"), name, error->message);
  tell (self, message);
}

static void
chooser_responded (GtkNativeDialog  *dialog,
                   int               response,
                   SignpostLoadPage *self)
{
  gboolean day = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "signpost-day"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (day)
        signpost_load_page_save_day_csv_async (self, file, self->cancellable, saved, g_object_ref (file));
      else
        signpost_load_page_save_cbt_csv_async (self, file, self->cancellable, saved, g_object_ref (file));
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
choose_file (SignpostLoadPage *self,
             gboolean          day)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *date = date_text (&self->date);
  SignpostPractice *practice = find_practice (self, self->practice_id, NULL);
  const char *ods = practice ? signpost_practice_get_ods_code (practice) : NULL;
  g_autofree char *name = NULL;

  if (day)
    name = g_strdup_printf ("signpost-calls-%s%s%s.csv", ods ? ods : "", ods ? "-" : "", date);
  else
    name = g_strdup_printf ("nhs-telephony-%s%s%.7s.csv", ods ? ods : "", ods ? "-" : "", date);

  chooser = gtk_file_chooser_native_new (day ? _("Save the Day’s Calls") : _("Save the Month’s NHS Telephony Figures"),
                                         GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("CSV files (spreadsheets)"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_object_set_data (G_OBJECT (chooser), "signpost-day", GINT_TO_POINTER (day));
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_responded), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- actions -------------------------------------------------------------------------- */

static void
action_move (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SignpostLoadPage *self = SIGNPOST_LOAD_PAGE (widget);

  if (g_str_equal (action_name, "load.previous-day"))
    move_days (self, -1);
  else if (g_str_equal (action_name, "load.next-day"))
    move_days (self, 1);
  else if (g_str_equal (action_name, "load.previous-week"))
    move_days (self, -7);
  else if (g_str_equal (action_name, "load.next-week"))
    move_days (self, 7);
}

static void
action_today (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SignpostLoadPage *self = SIGNPOST_LOAD_PAGE (widget);
  GDate date;

  if (!is_allowed (self) || self->tz == NULL)
    return;
  today (self, &date);
  show_date (self, &date);
}

static void
action_choose_date (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SignpostLoadPage *self = SIGNPOST_LOAD_PAGE (widget);

  if (is_allowed (self))
    gtk_menu_button_popup (self->date_button);
}

static void
action_refresh (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SignpostLoadPage *self = SIGNPOST_LOAD_PAGE (widget);

  if (!is_allowed (self))
    return;
  self->day_stale = TRUE;
  self->staffing_stale = TRUE;
  set_error (self, NULL);
  load_day (self);
  if (staffing_shown (self))
    load_staffing (self);
  load_compare (self);
}

static void
action_export (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SignpostLoadPage *self = SIGNPOST_LOAD_PAGE (widget);

  if (is_allowed (self) && self->practice_id != NULL)
    choose_file (self, g_str_equal (action_name, "load.export-day"));
}

static void
action_show_view (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  signpost_load_page_set_view (SIGNPOST_LOAD_PAGE (widget), g_variant_get_string (parameter, NULL));
}

/* ---- GObject ---------------------------------------------------------------------------- */

static void
signpost_load_page_map (GtkWidget *widget)
{
  SignpostLoadPage *self = SIGNPOST_LOAD_PAGE (widget);

  GTK_WIDGET_CLASS (signpost_load_page_parent_class)->map (widget);
  /* A day gone by while the page was out of sight moves on to the new today. */
  load_visible (self);
  update_status (self);
}

static void
signpost_load_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SignpostLoadPage *self = SIGNPOST_LOAD_PAGE (object);

  switch (prop_id)
    {
    case PROP_ACTIONS:
      g_value_set_object (value, self->actions);
      break;
    case PROP_COMPARE:
      g_value_set_boolean (value, self->compare);
      break;
    case PROP_SETTLED:
      g_value_set_boolean (value, signpost_load_page_get_settled (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_load_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  SignpostLoadPage *self = SIGNPOST_LOAD_PAGE (object);

  switch (prop_id)
    {
    case PROP_ACTIONS:
      signpost_load_page_set_actions (self, g_value_get_object (value));
      break;
    case PROP_COMPARE:
      signpost_load_page_set_compare (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_load_page_dispose (GObject *object)
{
  SignpostLoadPage *self = SIGNPOST_LOAD_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->day_cancellable);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_handle_id (&self->target_id, g_source_remove);
  g_clear_handle_id (&self->calendar_id, g_source_remove);
  if (self->actions != NULL)
    g_signal_handlers_disconnect_by_data (self->actions, self);
  if (self->call_hub != NULL)
    g_signal_handlers_disconnect_by_data (self->call_hub, self);
  g_clear_object (&self->call_hub);
  g_clear_object (&self->actions);
  gtk_widget_dispose_template (GTK_WIDGET (self), SIGNPOST_TYPE_LOAD_PAGE);

  G_OBJECT_CLASS (signpost_load_page_parent_class)->dispose (object);
}

static void
signpost_load_page_finalize (GObject *object)
{
  SignpostLoadPage *self = SIGNPOST_LOAD_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->day_cancellable);
  g_clear_pointer (&self->day, signpost_day_stats_unref);
  g_clear_pointer (&self->staffing, signpost_staffing_stats_unref);
  g_clear_pointer (&self->past_days, g_hash_table_unref);
  g_clear_pointer (&self->tz, g_time_zone_unref);
  g_clear_pointer (&self->updated_at, g_date_time_unref);
  g_free (self->practice_id);
  g_free (self->error);

  G_OBJECT_CLASS (signpost_load_page_parent_class)->finalize (object);
}

static void
signpost_load_page_class_init (SignpostLoadPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  signpost_accessible_init ();
  object_class->get_property = signpost_load_page_get_property;
  object_class->set_property = signpost_load_page_set_property;
  object_class->dispose = signpost_load_page_dispose;
  object_class->finalize = signpost_load_page_finalize;
  widget_class->map = signpost_load_page_map;

  properties[PROP_ACTIONS] =
    g_param_spec_object ("actions", NULL, NULL, SIGNPOST_TYPE_ACTIONS,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The line of the same weekday over the four weeks before. */
  properties[PROP_COMPARE] =
    g_param_spec_boolean ("compare", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTLED] =
    g_param_spec_boolean ("settled", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SIGNPOST_TYPE_CHART_PANEL);
  g_type_ensure (SIGNPOST_TYPE_CHART_SERIES);
  g_type_ensure (SIGNPOST_TYPE_BAR_CHART);
  g_type_ensure (SIGNPOST_TYPE_LOAD_ONLINE);
  g_type_ensure (SIGNPOST_TYPE_LINE_CHART);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/signpost/Signpost/signpost-load-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, practice_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, date_button);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, date_popover);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, calendar);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, status_icon);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, calls_card);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, answered_card);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, abandoned_card);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, longest_card);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, callbacks_card);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, calls_value);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, calls_detail);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, answered_value);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, answered_detail);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, abandoned_value);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, abandoned_detail);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, longest_value);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, longest_detail);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, callbacks_value);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, callbacks_detail);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, calls_panel);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, waits_panel);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, appointments_panel);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, triage_panel);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, staffing_panel);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, online_section);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, calls_chart);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, waits_chart);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, appointments_chart);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, triage_chart);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, staffing_chart);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, average_series);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, compare_check);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, target_spin);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, within_spin);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, aht_check);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, aht_spin);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, aht_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoadPage, staffing_summary);
  gtk_widget_class_bind_template_callback (widget_class, on_calendar_day_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_calendar_browsed);
  gtk_widget_class_bind_template_callback (widget_class, on_view_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_target_changed);

  gtk_widget_class_install_action (widget_class, "load.previous-day", NULL, action_move);
  gtk_widget_class_install_action (widget_class, "load.next-day", NULL, action_move);
  gtk_widget_class_install_action (widget_class, "load.previous-week", NULL, action_move);
  gtk_widget_class_install_action (widget_class, "load.next-week", NULL, action_move);
  gtk_widget_class_install_action (widget_class, "load.today", NULL, action_today);
  gtk_widget_class_install_action (widget_class, "load.choose-date", NULL, action_choose_date);
  gtk_widget_class_install_action (widget_class, "load.refresh", NULL, action_refresh);
  gtk_widget_class_install_action (widget_class, "load.export-day", NULL, action_export);
  gtk_widget_class_install_action (widget_class, "load.export-cbt", NULL, action_export);
  gtk_widget_class_install_action (widget_class, "load.show-view", "s", action_show_view);
  gtk_widget_class_install_property_action (widget_class, "load.compare", "compare");
}

static void
signpost_load_page_init (SignpostLoadPage *self)
{
  g_autoptr(GtkExpression) name = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  signpost_page_shortcuts_add (GTK_WIDGET (self), GDK_KEY_Left, GDK_ALT_MASK, "load.previous-day", NULL);
  signpost_page_shortcuts_add (GTK_WIDGET (self), GDK_KEY_Right, GDK_ALT_MASK, "load.next-day", NULL);
  signpost_page_shortcuts_add (GTK_WIDGET (self), GDK_KEY_Left, GDK_ALT_MASK | GDK_SHIFT_MASK, "load.previous-week", NULL);
  signpost_page_shortcuts_add (GTK_WIDGET (self), GDK_KEY_Right, GDK_ALT_MASK | GDK_SHIFT_MASK, "load.next-week", NULL);
  signpost_page_shortcuts_add (GTK_WIDGET (self), GDK_KEY_Home, GDK_ALT_MASK, "load.today", NULL);
  signpost_page_shortcuts_add (GTK_WIDGET (self), GDK_KEY_d, GDK_CONTROL_MASK, "load.choose-date", NULL);
  signpost_page_shortcuts_add (GTK_WIDGET (self), GDK_KEY_F5, 0, "load.refresh", NULL);
  signpost_page_shortcuts_add (GTK_WIDGET (self), GDK_KEY_r, GDK_CONTROL_MASK, "load.refresh", NULL);
  signpost_page_shortcuts_add (GTK_WIDGET (self), GDK_KEY_s, GDK_CONTROL_MASK, "load.export-day", NULL);
  signpost_page_shortcuts_add (GTK_WIDGET (self), GDK_KEY_s, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "load.export-cbt", NULL);
  self->cancellable = g_cancellable_new ();
  self->day_cancellable = g_cancellable_new ();
  self->past_days = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) signpost_day_stats_unref);
  self->tz = g_time_zone_new_identifier (SIGNPOST_DEFAULT_TIME_ZONE);
  g_date_clear (&self->date, 1);

  {
    SignpostChart *charts[] = { self->calls_chart, self->waits_chart, self->appointments_chart,
                                self->triage_chart, self->staffing_chart };
    for (guint i = 0; i < G_N_ELEMENTS (charts); i++)
      g_object_set_data_full (G_OBJECT (charts[i]), "signpost-idle-text",
                              g_strdup (signpost_chart_get_empty_text (charts[i])), g_free);
  }

  name = gtk_property_expression_new (SIGNPOST_TYPE_PRACTICE, NULL, "name");
  gtk_drop_down_set_expression (self->practice_dropdown, name);
  g_signal_connect_swapped (self->practice_dropdown, "notify::selected", G_CALLBACK (on_practice_selected), self);
  update_role (self);
}

/* ---- public API ---------------------------------------------------------------------- */

SignpostActions    *
signpost_load_page_get_actions (SignpostLoadPage *self)
{
  g_return_val_if_fail (SIGNPOST_IS_LOAD_PAGE (self), NULL);
  return self->actions;
}

void
signpost_load_page_set_actions (SignpostLoadPage   *self,
                               SignpostActions    *actions)
{
  g_return_if_fail (SIGNPOST_IS_LOAD_PAGE (self));
  g_return_if_fail (actions == NULL || SIGNPOST_IS_ACTIONS (actions));

  if (self->actions == actions)
    return;
  if (self->actions != NULL)
    g_signal_handlers_disconnect_by_data (self->actions, self);
  g_set_object (&self->actions, actions);
  if (actions != NULL)
    {
      g_signal_connect_swapped (actions, "notify::role", G_CALLBACK (update_role), self);
      g_signal_connect_swapped (actions, "notify::cache", G_CALLBACK (update_role), self);
      g_signal_connect_swapped (actions, "notify::practices", G_CALLBACK (update_role), self);
      g_signal_connect_swapped (actions, "notify::practice-id", G_CALLBACK (update_role), self);
      g_signal_connect_swapped (actions, "notify::call-hub", G_CALLBACK (on_call_hub_changed), self);
      g_signal_connect_swapped (actions, "notify::state", G_CALLBACK (on_state_changed), self);
    }
  on_call_hub_changed (self);
  update_role (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIONS]);
}

const char *
signpost_load_page_get_practice_id (SignpostLoadPage *self)
{
  g_return_val_if_fail (SIGNPOST_IS_LOAD_PAGE (self), NULL);
  return self->practice_id;
}

void
signpost_load_page_set_practice_id (SignpostLoadPage *self,
                                    const char       *practice_id)
{
  g_return_if_fail (SIGNPOST_IS_LOAD_PAGE (self));

  if (is_allowed (self) && find_practice (self, practice_id, NULL) != NULL)
    show_practice (self, practice_id);
}

char *
signpost_load_page_dup_date (SignpostLoadPage *self)
{
  g_return_val_if_fail (SIGNPOST_IS_LOAD_PAGE (self), NULL);
  return g_date_valid (&self->date) ? date_text (&self->date) : NULL;
}

void
signpost_load_page_set_date (SignpostLoadPage *self,
                             const GDate      *date)
{
  g_return_if_fail (SIGNPOST_IS_LOAD_PAGE (self));
  g_return_if_fail (date != NULL && g_date_valid (date));

  if (is_allowed (self))
    show_date (self, date);
}

gboolean
signpost_load_page_get_live (SignpostLoadPage *self)
{
  g_return_val_if_fail (SIGNPOST_IS_LOAD_PAGE (self), FALSE);
  return is_live (self);
}

void
signpost_load_page_set_view (SignpostLoadPage *self,
                             const char       *view)
{
  g_return_if_fail (SIGNPOST_IS_LOAD_PAGE (self));

  if (g_strcmp0 (view, "day") == 0 || g_strcmp0 (view, "staffing") == 0)
    gtk_stack_set_visible_child_name (self->view_stack, view);
}

void
signpost_load_page_set_compare (SignpostLoadPage *self,
                                gboolean          compare)
{
  g_return_if_fail (SIGNPOST_IS_LOAD_PAGE (self));

  compare = !!compare;
  if (self->compare == compare)
    return;
  self->compare = compare;
  if (compare && gtk_widget_get_mapped (GTK_WIDGET (self)))
    load_compare (self);
  apply_day (self);
  update_status (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPARE]);
}

void
signpost_load_page_set_staffing_target (SignpostLoadPage *self,
                                        double            target,
                                        double            within_s,
                                        double            aht_s)
{
  g_return_if_fail (SIGNPOST_IS_LOAD_PAGE (self));

  gtk_spin_button_set_value (self->target_spin, round (target * 100.0));
  gtk_spin_button_set_value (self->within_spin, within_s);
  gtk_check_button_set_active (self->aht_check, !isnan (aht_s));
  if (!isnan (aht_s))
    gtk_spin_button_set_value (self->aht_spin, aht_s);
}

const char *
signpost_load_page_get_error (SignpostLoadPage *self)
{
  g_return_val_if_fail (SIGNPOST_IS_LOAD_PAGE (self), NULL);
  return self->error;
}

guint
signpost_load_page_get_n_day_requests (SignpostLoadPage *self)
{
  g_return_val_if_fail (SIGNPOST_IS_LOAD_PAGE (self), 0);
  return self->n_day_requests;
}

const char *
signpost_load_page_get_headline (SignpostLoadPage *self,
                                 const char       *name)
{
  g_return_val_if_fail (SIGNPOST_IS_LOAD_PAGE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (g_str_equal (name, SIGNPOST_LOAD_HEADLINE_CALLS))
    return gtk_label_get_text (self->calls_value);
  if (g_str_equal (name, SIGNPOST_LOAD_HEADLINE_ANSWERED))
    return gtk_label_get_text (self->answered_value);
  if (g_str_equal (name, SIGNPOST_LOAD_HEADLINE_ABANDONED))
    return gtk_label_get_text (self->abandoned_value);
  if (g_str_equal (name, SIGNPOST_LOAD_HEADLINE_LONGEST))
    return gtk_label_get_text (self->longest_value);
  if (g_str_equal (name, SIGNPOST_LOAD_HEADLINE_CALLBACKS))
    return gtk_label_get_text (self->callbacks_value);
  return NULL;
}

SignpostChartPanel *
signpost_load_page_get_panel (SignpostLoadPage *self,
                              const char       *name)
{
  g_return_val_if_fail (SIGNPOST_IS_LOAD_PAGE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (g_str_equal (name, "calls"))
    return self->calls_panel;
  if (g_str_equal (name, "waits"))
    return self->waits_panel;
  if (g_str_equal (name, "appointments"))
    return self->appointments_panel;
  if (g_str_equal (name, "triage"))
    return self->triage_panel;
  if (g_str_equal (name, "staffing"))
    return self->staffing_panel;
  return signpost_load_online_get_panel (self->online_section, name);
}
