/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-accessible.h"
#include "signpost-load-page-private.h"
#include "signpost-page-shortcuts.h"

/* The load page: who may look, the day and practice shown, the status
 * line, the practices, the template's callbacks and the page's actions.
 * Fetching, the figures and the exports live beside it (see
 * signpost-load-page-private.h). */

enum {
  PROP_0,
  PROP_ACTIONS,
  PROP_COMPARE,
  PROP_SETTLED,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (SignpostLoadPage, signpost_load_page, ADW_TYPE_BIN)

static GParamSpec *properties[N_PROPS];

/* ---- who may look ----------------------------------------------------------------- */

gboolean
signpost_load_page_is_allowed (SignpostLoadPage *self)
{
  SignpostRole role;

  if (self->actions == NULL || signpost_actions_get_cache (self->actions) == NULL)
    return FALSE;
  role = signpost_actions_get_role (self->actions);
  return role == SIGNPOST_ROLE_MANAGER || role == SIGNPOST_ROLE_ADMIN;
}

gboolean
signpost_load_page_staffing_shown (SignpostLoadPage *self)
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

gboolean
signpost_load_page_is_live (SignpostLoadPage *self)
{
  GDate now;

  if (!g_date_valid (&self->date))
    return FALSE;
  today (self, &now);
  return g_date_compare (&self->date, &now) == 0;
}

char *
signpost_load_page_date_text (const GDate *date)
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

void
signpost_load_page_set_text (GtkLabel   *label,
                             const char *text)
{
  /* The same words again change nothing, not even a redraw. */
  if (g_strcmp0 (gtk_label_get_text (label), text ? text : "") != 0)
    gtk_label_set_text (label, text);
}

void
signpost_load_page_update_date_widgets (SignpostLoadPage *self)
{
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *label = NULL;
  g_autofree char *average = NULL;

  if (!g_date_valid (&self->date) || self->tz == NULL)
    return;
  local = date_as_local (self, &self->date);
  label = g_date_time_format (local, _("%A %-d %B %Y"));
  if (signpost_load_page_is_live (self))
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

void
signpost_load_page_set_error (SignpostLoadPage *self,
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

gboolean
signpost_load_page_compare_ready (SignpostLoadPage *self,
                                  GPtrArray        *days)
{
  for (guint week = 1; week <= COMPARE_WEEKS; week++)
    {
      GDate date = self->date;
      g_autofree char *text = NULL;
      g_autofree char *key = NULL;
      SignpostDayStats *day;

      g_date_subtract_days (&date, 7 * week);
      text = signpost_load_page_date_text (&date);
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
  if (signpost_load_page_staffing_shown (self) && self->staffing == NULL)
    return FALSE;
  if (self->compare && !signpost_load_page_compare_ready (self, NULL))
    return FALSE;
  return TRUE;
}

void
signpost_load_page_update_status (SignpostLoadPage *self)
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
        signpost_chart_set_empty_text (charts[i], fetching && signpost_load_page_is_allowed (self) ? _("Fetching the figures…") : idle);
      }
  }
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  if (signpost_load_page_is_live (self))
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
    signpost_load_page_set_text (self->status_label, text);
  else
    signpost_load_page_set_text (self->status_label, busy ? _("Fetching the figures…") : "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SETTLED]);
}

/* ---- practices ---------------------------------------------------------------------- */

SignpostPractice *
signpost_load_page_find_practice (SignpostLoadPage *self,
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
  SignpostPractice *practice = practice_id ? signpost_load_page_find_practice (self, practice_id, NULL) : NULL;
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
  if (practice_id != NULL && signpost_load_page_find_practice (self, practice_id, &position) != NULL)
    {
      self->quiet = TRUE;
      gtk_drop_down_set_selected (self->practice_dropdown, position);
      self->quiet = FALSE;
    }
  if (!g_date_valid (&self->date))
    today (self, &self->date);
  signpost_load_page_reset_day (self);
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
  gboolean allowed = signpost_load_page_is_allowed (self);
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
      signpost_load_page_reset_day (self);
      return;
    }
  {
    const char *chosen = signpost_actions_get_practice_id (self->actions);
    SignpostPractice *practice = signpost_load_page_find_practice (self, chosen ? chosen : self->practice_id, NULL);

    if (practice == NULL)
      practice = signpost_load_page_find_practice (self, NULL, NULL);
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
    g_signal_connect_object (hub, "call-event", G_CALLBACK (signpost_load_page_on_call_event), self, G_CONNECT_SWAPPED);
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
  if (signpost_load_page_is_allowed (self))
    signpost_load_page_show_date (self, &date);
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
  signpost_load_page_load_visible (self);
  signpost_load_page_update_status (self);
  signpost_load_page_start_live_tick (self);
}

static void
signpost_load_page_unmap (GtkWidget *widget)
{
  SignpostLoadPage *self = SIGNPOST_LOAD_PAGE (widget);

  g_clear_handle_id (&self->live_id, g_source_remove);
  GTK_WIDGET_CLASS (signpost_load_page_parent_class)->unmap (widget);
}

static gboolean
target_settled (gpointer data)
{
  SignpostLoadPage *self = data;

  self->target_id = 0;
  self->staffing_stale = TRUE;
  if (signpost_load_page_staffing_shown (self))
    signpost_load_page_load_staffing (self);
  signpost_load_page_update_status (self);
  return G_SOURCE_REMOVE;
}

static void
on_target_changed (SignpostLoadPage *self)
{
  g_clear_handle_id (&self->target_id, g_source_remove);
  self->target_id = g_timeout_add (TARGET_SETTLE_MS, target_settled, self);
}

/* ---- actions -------------------------------------------------------------------------- */

static void
action_move (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SignpostLoadPage *self = SIGNPOST_LOAD_PAGE (widget);

  if (g_str_equal (action_name, "load.previous-day"))
    signpost_load_page_move_days (self, -1);
  else if (g_str_equal (action_name, "load.next-day"))
    signpost_load_page_move_days (self, 1);
  else if (g_str_equal (action_name, "load.previous-week"))
    signpost_load_page_move_days (self, -7);
  else if (g_str_equal (action_name, "load.next-week"))
    signpost_load_page_move_days (self, 7);
}

static void
action_today (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SignpostLoadPage *self = SIGNPOST_LOAD_PAGE (widget);
  GDate date;

  if (!signpost_load_page_is_allowed (self) || self->tz == NULL)
    return;
  today (self, &date);
  signpost_load_page_show_date (self, &date);
}

static void
action_choose_date (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SignpostLoadPage *self = SIGNPOST_LOAD_PAGE (widget);

  if (signpost_load_page_is_allowed (self))
    gtk_menu_button_popup (self->date_button);
}

static void
action_refresh (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SignpostLoadPage *self = SIGNPOST_LOAD_PAGE (widget);

  if (!signpost_load_page_is_allowed (self))
    return;
  self->day_stale = TRUE;
  self->staffing_stale = TRUE;
  signpost_load_page_set_error (self, NULL);
  signpost_load_page_load_day (self);
  if (signpost_load_page_staffing_shown (self))
    signpost_load_page_load_staffing (self);
  signpost_load_page_load_compare (self);
}

static void
action_export (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SignpostLoadPage *self = SIGNPOST_LOAD_PAGE (widget);

  if (signpost_load_page_is_allowed (self) && self->practice_id != NULL)
    signpost_load_page_choose_file (self, g_str_equal (action_name, "load.export-day"));
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
  signpost_load_page_load_visible (self);
  signpost_load_page_update_status (self);
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
  g_clear_handle_id (&self->live_id, g_source_remove);
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
  widget_class->unmap = signpost_load_page_unmap;

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
  self->live_refresh_ms = LIVE_REFRESH_MS;
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

  if (signpost_load_page_is_allowed (self) && signpost_load_page_find_practice (self, practice_id, NULL) != NULL)
    show_practice (self, practice_id);
}

char *
signpost_load_page_dup_date (SignpostLoadPage *self)
{
  g_return_val_if_fail (SIGNPOST_IS_LOAD_PAGE (self), NULL);
  return g_date_valid (&self->date) ? signpost_load_page_date_text (&self->date) : NULL;
}

void
signpost_load_page_set_date (SignpostLoadPage *self,
                             const GDate      *date)
{
  g_return_if_fail (SIGNPOST_IS_LOAD_PAGE (self));
  g_return_if_fail (date != NULL && g_date_valid (date));

  if (signpost_load_page_is_allowed (self))
    signpost_load_page_show_date (self, date);
}

gboolean
signpost_load_page_get_live (SignpostLoadPage *self)
{
  g_return_val_if_fail (SIGNPOST_IS_LOAD_PAGE (self), FALSE);
  return signpost_load_page_is_live (self);
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
    signpost_load_page_load_compare (self);
  signpost_load_page_apply_day (self);
  signpost_load_page_update_status (self);
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

/**
 * signpost_load_page_set_live_refresh_ms:
 * @self: a #SignpostLoadPage
 * @ms: how often today's figures are fetched again while the page is in
 *   sight and no call comes (a minute unless changed; tests shorten it)
 */
void
signpost_load_page_set_live_refresh_ms (SignpostLoadPage *self,
                                        guint             ms)
{
  g_return_if_fail (SIGNPOST_IS_LOAD_PAGE (self));
  g_return_if_fail (ms > 0);

  self->live_refresh_ms = ms;
  if (self->live_id != 0)
    signpost_load_page_start_live_tick (self);
}

const char *
signpost_load_page_get_status (SignpostLoadPage *self)
{
  g_return_val_if_fail (SIGNPOST_IS_LOAD_PAGE (self), NULL);

  return gtk_label_get_text (self->status_label);
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
