/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-accessible.h"
#include "signpost-diary-page-private.h"
#include "signpost-page-shortcuts.h"

/* The diary page: helpers the other parts share, choosing the day and
 * the practice, following the session, the slot finder beside the grid,
 * and the page's public API. The grid and the actions live beside it (see
 * signpost-diary-page-private.h). */

enum {
  PROP_0,
  PROP_ACTIONS,
  PROP_FINDER_OPEN,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (SignpostDiaryPage, signpost_diary_page, ADW_TYPE_BIN)

static GParamSpec *properties[N_PROPS];

/* ---- helpers ------------------------------------------------------------------ */

SignpostUser *
signpost_diary_page_page_user (SignpostDiaryPage *self)
{
  return self->actions ? signpost_actions_get_user (self->actions) : self->shown_user;
}

SignpostRole
signpost_diary_page_get_role (SignpostDiaryPage *self)
{
  if (self->actions != NULL)
    return signpost_actions_get_role (self->actions);
  return self->shown_user ? signpost_user_get_role (self->shown_user) : SIGNPOST_ROLE_ADMIN;
}

GtkWindow *
signpost_diary_page_get_window (SignpostDiaryPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

void
signpost_diary_page_show_message (SignpostDiaryPage *self,
                                  const char        *message,
                                  guint              timeout)
{
  AdwToast *toast = adw_toast_new (message);

  g_free (self->last_message);
  self->last_message = g_strdup (message);
  adw_toast_set_timeout (toast, timeout);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

char *
signpost_diary_page_today_string (SignpostDiaryPage *self)
{
  g_autoptr(GTimeZone) tz = signpost_practice_time_zone (self->cache, self->practice_id);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GDate day;

  signpost_local_date (now, tz, &day);
  return signpost_date_format (&day);
}

void
signpost_diary_page_update_booker (SignpostDiaryPage *self)
{
  SignpostUser *user = signpost_diary_page_page_user (self);

  g_clear_pointer (&self->now, g_date_time_unref);
  self->now = g_date_time_new_now_utc ();
  g_strfreev (self->booker_practices);
  self->booker_practices = g_strdupv (user ? (char **) signpost_user_get_practice_ids (user) : NULL);
  self->booker.hub = user != NULL && signpost_user_get_hub (user);
  self->booker.practice_ids = (const char * const *) self->booker_practices;
  self->booker.now = self->now;
}

/* ---- today opens at the time it is ---------------------------------------------- */

/* The row of the time it is: the last one starting at or before it. */
static guint
row_for_now (SignpostDiaryPage *self)
{
  GListModel *rows = G_LIST_MODEL (self->day);
  GDateTime *now = self->clock ? self->clock : self->now;
  guint n = g_list_model_get_n_items (rows);
  guint found = 0;

  for (guint i = 0; now != NULL && i < n; i++)
    {
      g_autoptr(SignpostDiaryRow) row = g_list_model_get_item (rows, i);

      if (g_date_time_compare (signpost_diary_row_get_start (row), now) > 0)
        break;
      found = i;
    }
  return found;
}

static gboolean
scroll_to_now_cb (GtkWidget     *widget,
                  GdkFrameClock *frame_clock,
                  gpointer       data)
{
  SignpostDiaryPage *self = data;
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->grid_scroller);
  guint n = self->day ? g_list_model_get_n_items (G_LIST_MODEL (self->day)) : 0;
  GtkWidget *rows = NULL;

  /* Until the day's rows are in and laid out. */
  if (n == 0 || gtk_adjustment_get_upper (adjustment) <= 0 || self->batch > 0)
    return G_SOURCE_CONTINUE;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL && rows == NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      rows = child;
  if (rows == NULL)
    {
      self->scroll_source = 0;
      return G_SOURCE_REMOVE;
    }
  /* The list scrolls as little as it can to show a row, and a row above
   * the screen comes in at the top: first to the day's end, then, a
   * frame later, back up to now. */
  if (!self->scrolled_to_end)
    {
      gtk_widget_activate_action (rows, "list.scroll-to-item", "u", n - 1);
      self->scrolled_to_end = TRUE;
      return G_SOURCE_CONTINUE;
    }
  gtk_widget_activate_action (rows, "list.scroll-to-item", "u", row_for_now (self));
  self->scrolled_to_end = FALSE;
  self->scroll_source = 0;
  return G_SOURCE_REMOVE;
}

/* Today opens at the time it is, not at the day's first slot: at 15:40
 * the 15:40 row is at the top, the morning above it. */
static void
scroll_to_now (SignpostDiaryPage *self)
{
  if (self->scroll_source == 0)
    self->scrolled_to_end = FALSE;
  if (self->scroll_source == 0)
    self->scroll_source = gtk_widget_add_tick_callback (GTK_WIDGET (self->column_view), scroll_to_now_cb, self, NULL);
}

/* ---- choosing the day and the practice ------------------------------------------ */

void
signpost_diary_page_show_date (SignpostDiaryPage *self,
                               const char        *date)
{
  GDate parsed;

  if (date == NULL || !signpost_date_parse (date, &parsed, NULL))
    return;
  if (self->today != NULL && g_str_equal (date, self->today))
    scroll_to_now (self);
  else if (self->scroll_source != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self->column_view), self->scroll_source);
      self->scroll_source = 0;
    }
  if (g_strcmp0 (self->date, date) != 0)
    {
      g_free (self->date);
      self->date = g_strdup (date);
    }
  if (self->day != NULL)
    {
      signpost_diary_page_begin_batch (self);
      signpost_diary_day_set_date (self->day, self->date);
      signpost_diary_page_end_batch (self);
    }
  {
    g_autoptr(GDateTime) noon = g_date_time_new_utc (g_date_get_year (&parsed), g_date_get_month (&parsed),
                                                     g_date_get_day (&parsed), 12, 0, 0);
    self->updating_calendar = TRUE;
    gtk_calendar_select_day (self->calendar, noon);
    self->updating_calendar = FALSE;
  }
  signpost_diary_page_update_day_view (self);
}

void
signpost_diary_page_move_days (SignpostDiaryPage *self,
                               int                days)
{
  GDate date;
  g_autofree char *text = NULL;

  if (self->date == NULL || !signpost_date_parse (self->date, &date, NULL))
    return;
  if (days > 0)
    g_date_add_days (&date, days);
  else
    g_date_subtract_days (&date, -days);
  text = signpost_date_format (&date);
  signpost_diary_page_show_date (self, text);
}

static void
on_calendar_day_selected (SignpostDiaryPage *self)
{
  g_autoptr(GDateTime) chosen = NULL;
  g_autofree char *text = NULL;

  if (self->updating_calendar)
    return;
  chosen = gtk_calendar_get_date (self->calendar);
  text = g_strdup_printf ("%04d-%02d-%02d", g_date_time_get_year (chosen),
                                           g_date_time_get_month (chosen), g_date_time_get_day_of_month (chosen));

  signpost_diary_page_show_date (self, text);
  gtk_popover_popdown (self->date_popover);
}

static void
apply_scope (SignpostDiaryPage *self)
{
  const char *one[] = { self->practice_id, NULL };

  signpost_diary_page_begin_batch (self);
  if (self->day != NULL)
    signpost_diary_day_set_practice_id (self->day, self->practice_id);
  signpost_slot_finder_set_scope (self->finder, self->practice_id ? one : NULL, &self->booker);
  signpost_diary_page_rebuild_columns (self);
  signpost_diary_page_end_batch (self);
  signpost_diary_page_update_day_view (self);
}

static void
on_practice_selected (SignpostDiaryPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->practice_dropdown);
  const char *id = NULL;

  if (self->updating_practices)
    return;
  if (selected != GTK_INVALID_LIST_POSITION && selected > 0 && selected - 1 < self->practice_choices->len)
    id = g_ptr_array_index (self->practice_choices, selected - 1);
  signpost_diary_page_set_practice_id (self, id);
  self->practice_chosen = TRUE;
}

static void
fill_practices (SignpostDiaryPage *self)
{
  GListModel *practices = self->actions ? signpost_actions_get_practices (self->actions) : NULL;
  SignpostUser *user = signpost_diary_page_page_user (self);
  const char * const *ids = user ? signpost_user_get_practice_ids (user) : NULL;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint n = practices ? g_list_model_get_n_items (practices) : (ids ? g_strv_length ((char **) ids) : 0);
  guint selected = 0;

  g_ptr_array_set_size (self->practice_choices, 0);
  gtk_string_list_append (names, _("All my practices"));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SignpostPractice) practice = practices ? g_list_model_get_item (practices, i) : NULL;
      const char *id = practice ? signpost_record_get_id (SIGNPOST_RECORD (practice)) : ids[i];
      const char *name = practice ? signpost_practice_get_name (practice)
                                  : signpost_cache_get_practice_name (self->cache, id);

      gtk_string_list_append (names, name ? name : id);
      g_ptr_array_add (self->practice_choices, g_strdup (id));
      if (g_strcmp0 (id, self->practice_id) == 0)
        selected = i + 1;
    }
  self->updating_practices = TRUE;
  gtk_drop_down_set_model (self->practice_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->practice_dropdown, selected);
  self->updating_practices = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->practice_dropdown), n > 1);
}

/* The practice chosen at sign-in; someone who works for one practice
 * sees that practice's diary; a hub user who chose none, all of theirs. */
static char *
default_practice (SignpostDiaryPage *self)
{
  GListModel *practices = self->actions ? signpost_actions_get_practices (self->actions) : NULL;
  SignpostUser *user = signpost_diary_page_page_user (self);
  const char * const *ids = user ? signpost_user_get_practice_ids (user) : NULL;

  if (self->actions != NULL && signpost_actions_get_practice_id (self->actions) != NULL)
    return g_strdup (signpost_actions_get_practice_id (self->actions));
  if (practices != NULL && g_list_model_get_n_items (practices) == 1)
    {
      g_autoptr(SignpostPractice) only = g_list_model_get_item (practices, 0);
      return g_strdup (signpost_record_get_id (SIGNPOST_RECORD (only)));
    }
  if (ids != NULL && ids[0] != NULL && ids[1] == NULL)
    return g_strdup (ids[0]);
  return NULL;
}

/* ---- following the session --------------------------------------------------------- */

static void
use_cache (SignpostDiaryPage *self,
           SignpostCache     *cache,
           GListModel        *changes)
{
  if (self->day != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->day, self);
      gtk_no_selection_set_model (self->selection, NULL);
      g_clear_object (&self->day);
    }
  if (self->changes != NULL)
    g_signal_handlers_disconnect_by_data (self->changes, self);
  g_set_object (&self->cache, cache);
  g_set_object (&self->changes, changes);
  g_hash_table_remove_all (self->problems_seen);
  signpost_diary_page_update_booker (self);
  self->practice_chosen = FALSE;

  if (cache != NULL)
    {
      g_autofree char *today = NULL;

      g_free (self->practice_id);
      self->practice_id = default_practice (self);
      self->day = signpost_diary_day_new (cache);
      g_signal_connect_swapped (self->day, "columns-changed", G_CALLBACK (signpost_diary_page_on_columns_changed), self);
      g_signal_connect_swapped (self->day, "items-changed", G_CALLBACK (signpost_diary_page_on_rows_changed), self);
      signpost_diary_day_set_practice_id (self->day, self->practice_id);
      if (self->batch == 0)
        gtk_no_selection_set_model (self->selection, G_LIST_MODEL (self->day));
      today = signpost_diary_page_today_string (self);
      g_free (self->today);
      self->today = g_strdup (today);
      if (self->date == NULL)
        self->date = g_steal_pointer (&today);
      signpost_diary_day_set_date (self->day, self->date);
    }
  if (changes != NULL)
    g_signal_connect_swapped (changes, "items-changed", G_CALLBACK (signpost_diary_page_on_outbox_items_changed), self);
  fill_practices (self);
  apply_scope (self);
  signpost_diary_page_show_date (self, self->date);
  signpost_diary_page_check_problems (self);
}

static void
on_cache_changed (SignpostDiaryPage *self)
{
  use_cache (self,
             self->actions ? signpost_actions_get_cache (self->actions) : NULL,
             self->actions ? signpost_actions_get_changes (self->actions) : NULL);
}

static void
on_user_changed (SignpostDiaryPage *self)
{
  SignpostRole role = signpost_diary_page_get_role (self);
  gboolean books = role == SIGNPOST_ROLE_NAVIGATOR || role == SIGNPOST_ROLE_CLINICIAN;
  gboolean staff = role == SIGNPOST_ROLE_CLINICIAN || role == SIGNPOST_ROLE_MANAGER;

  signpost_diary_page_update_booker (self);
  if (self->cache != NULL && !self->practice_chosen)
    {
      g_free (self->practice_id);
      self->practice_id = default_practice (self);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "diary.book", books);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "diary.cancel-appointment", books);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "diary.mark-arrived", books);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "diary.mark-dna", books);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "diary.mark-seen", role == SIGNPOST_ROLE_CLINICIAN);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "diary.find-slot", books);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "diary.block", staff);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "diary.unblock", staff);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "diary.new-session", staff);
  gtk_widget_set_visible (GTK_WIDGET (self->find_button), books);
  gtk_widget_set_visible (GTK_WIDGET (self->session_button), staff);
  if (!books)
    signpost_diary_page_reveal_finder (self, FALSE);
  fill_practices (self);
  apply_scope (self);
}

/* ---- the finder ---------------------------------------------------------------------- */

/* Opens or closes the finder without moving the keyboard into it (the
 * public signpost_diary_page_set_finder_open() focuses it too). */
void
signpost_diary_page_reveal_finder (SignpostDiaryPage *self,
                                   gboolean           open)
{
  if (self->finder_open == open)
    return;
  self->finder_open = open;
  gtk_revealer_set_reveal_child (self->finder_revealer, open);
  if (open)
    {
      signpost_slot_finder_search (self->finder);
      signpost_slot_finder_focus (self->finder);
    }
  else
    {
      /* Closing the search ends booking for that request. */
      g_clear_pointer (&self->context_patient_id, g_free);
      g_clear_pointer (&self->context_reason, g_free);
      g_clear_pointer (&self->context_triage_id, g_free);
      signpost_slot_finder_set_clinician_tags (self->finder, NULL, NULL);
      signpost_slot_finder_set_filters (self->finder, NULL, -1, -1, 14, NULL, NULL);
      gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINDER_OPEN]);
}

/* The page's work starts at the slot search when it is open, else at
 * the day's grid. */
static gboolean
signpost_diary_page_grab_focus (GtkWidget *widget)
{
  SignpostDiaryPage *self = SIGNPOST_DIARY_PAGE (widget);

  if (self->finder_open)
    {
      signpost_slot_finder_focus (self->finder);
      return TRUE;
    }
  if (gtk_widget_grab_focus (GTK_WIDGET (self->column_view)))
    return TRUE;
  return gtk_widget_child_focus (widget, GTK_DIR_TAB_FORWARD);
}

/* ---- GObject ---------------------------------------------------------------------------- */

static void
signpost_diary_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  SignpostDiaryPage *self = SIGNPOST_DIARY_PAGE (object);

  switch (prop_id)
    {
    case PROP_ACTIONS:
      g_value_set_object (value, self->actions);
      break;
    case PROP_FINDER_OPEN:
      g_value_set_boolean (value, self->finder_open);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_diary_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  SignpostDiaryPage *self = SIGNPOST_DIARY_PAGE (object);

  switch (prop_id)
    {
    case PROP_ACTIONS:
      signpost_diary_page_set_actions (self, g_value_get_object (value));
      break;
    case PROP_FINDER_OPEN:
      signpost_diary_page_reveal_finder (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_diary_page_dispose (GObject *object)
{
  SignpostDiaryPage *self = SIGNPOST_DIARY_PAGE (object);

  g_clear_handle_id (&self->clock_source, g_source_remove);
  if (self->conflict_dialog != NULL)
    g_signal_handlers_disconnect_by_data (self->conflict_dialog, self);
  self->conflict_dialog = NULL;
  if (self->actions != NULL)
    g_signal_handlers_disconnect_by_data (self->actions, self);
  if (self->changes != NULL)
    g_signal_handlers_disconnect_by_data (self->changes, self);
  if (self->day != NULL)
    g_signal_handlers_disconnect_by_data (self->day, self);
  if (self->popover != NULL)
    gtk_widget_unparent (GTK_WIDGET (self->popover));
  self->popover = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), SIGNPOST_TYPE_DIARY_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->day);
  g_clear_object (&self->changes);
  g_clear_object (&self->cache);
  g_clear_object (&self->actions);
  g_clear_object (&self->shown_user);

  G_OBJECT_CLASS (signpost_diary_page_parent_class)->dispose (object);
}

static void
signpost_diary_page_finalize (GObject *object)
{
  SignpostDiaryPage *self = SIGNPOST_DIARY_PAGE (object);

  g_clear_pointer (&self->clinician_columns, g_ptr_array_unref);
  g_clear_pointer (&self->practice_choices, g_ptr_array_unref);
  g_clear_pointer (&self->problems_seen, g_hash_table_unref);
  g_clear_pointer (&self->date, g_free);
  g_clear_pointer (&self->today, g_free);
  g_clear_pointer (&self->practice_id, g_free);
  g_clear_pointer (&self->now, g_date_time_unref);
  g_clear_pointer (&self->clock, g_date_time_unref);
  g_clear_pointer (&self->booker_practices, g_strfreev);
  g_clear_pointer (&self->context_patient_id, g_free);
  g_clear_pointer (&self->context_reason, g_free);
  g_clear_pointer (&self->context_triage_id, g_free);
  g_clear_pointer (&self->booking_patient_id, g_free);
  g_clear_pointer (&self->last_message, g_free);

  G_OBJECT_CLASS (signpost_diary_page_parent_class)->finalize (object);
}

static void
signpost_diary_page_size_allocate (GtkWidget *widget,
                                   int        width,
                                   int        height,
                                   int        baseline)
{
  SignpostDiaryPage *self = SIGNPOST_DIARY_PAGE (widget);

  GTK_WIDGET_CLASS (signpost_diary_page_parent_class)->size_allocate (widget, width, height, baseline);
  if (self->popover != NULL)
    gtk_popover_present (GTK_POPOVER (self->popover));
}

static void
signpost_diary_page_class_init (SignpostDiaryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  signpost_accessible_init ();
  object_class->get_property = signpost_diary_page_get_property;
  object_class->set_property = signpost_diary_page_set_property;
  object_class->dispose = signpost_diary_page_dispose;
  object_class->finalize = signpost_diary_page_finalize;
  widget_class->size_allocate = signpost_diary_page_size_allocate;
  widget_class->grab_focus = signpost_diary_page_grab_focus;
  /* Tab through the page in order, not to where its work starts. */
  widget_class->focus = signpost_accessible_page_focus;

  properties[PROP_ACTIONS] =
    g_param_spec_object ("actions", NULL, NULL, SIGNPOST_TYPE_ACTIONS,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Whether the first-suitable-slot search is shown. */
  properties[PROP_FINDER_OPEN] =
    g_param_spec_boolean ("finder-open", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SIGNPOST_TYPE_SLOT_FINDER);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/signpost/Signpost/signpost-diary-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SignpostDiaryPage, date_button);
  gtk_widget_class_bind_template_child (widget_class, SignpostDiaryPage, date_popover);
  gtk_widget_class_bind_template_child (widget_class, SignpostDiaryPage, calendar);
  gtk_widget_class_bind_template_child (widget_class, SignpostDiaryPage, day_note_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostDiaryPage, practice_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SignpostDiaryPage, session_button);
  gtk_widget_class_bind_template_child (widget_class, SignpostDiaryPage, find_button);
  gtk_widget_class_bind_template_child (widget_class, SignpostDiaryPage, print_button);
  gtk_widget_class_bind_template_child (widget_class, SignpostDiaryPage, grid_stack);
  gtk_widget_class_bind_template_child (widget_class, SignpostDiaryPage, grid_scroller);
  gtk_widget_class_bind_template_child (widget_class, SignpostDiaryPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, SignpostDiaryPage, time_column);
  gtk_widget_class_bind_template_child (widget_class, SignpostDiaryPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, SignpostDiaryPage, finder_revealer);
  gtk_widget_class_bind_template_child (widget_class, SignpostDiaryPage, finder);
  gtk_widget_class_bind_template_callback (widget_class, on_calendar_day_selected);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_finder_slot_activated",
                                                G_CALLBACK (signpost_diary_page_on_finder_slot_activated));

  gtk_widget_class_install_action (widget_class, "diary.previous-day", NULL, signpost_diary_page_previous_day);
  gtk_widget_class_install_action (widget_class, "diary.next-day", NULL, signpost_diary_page_next_day);
  gtk_widget_class_install_action (widget_class, "diary.today", NULL, signpost_diary_page_go_today);
  gtk_widget_class_install_action (widget_class, "diary.go-to-date", NULL, signpost_diary_page_go_to_date);
  gtk_widget_class_install_property_action (widget_class, "diary.find-slot", "finder-open");
  gtk_widget_class_install_action (widget_class, "diary.print", "s", signpost_diary_page_print_action);
  gtk_widget_class_install_action (widget_class, "diary.new-session", NULL, signpost_diary_page_new_session);
  gtk_widget_class_install_action (widget_class, "diary.book", "s", signpost_diary_page_book_action);
  gtk_widget_class_install_action (widget_class, "diary.cancel-appointment", "s", signpost_diary_page_cancel_action);
  gtk_widget_class_install_action (widget_class, "diary.mark-arrived", "s", signpost_diary_page_mark_arrived);
  gtk_widget_class_install_action (widget_class, "diary.mark-seen", "s", signpost_diary_page_mark_seen);
  gtk_widget_class_install_action (widget_class, "diary.mark-dna", "s", signpost_diary_page_mark_dna);
  gtk_widget_class_install_action (widget_class, "diary.block", "s", signpost_diary_page_block_action);
  gtk_widget_class_install_action (widget_class, "diary.unblock", "s", signpost_diary_page_unblock_action);
}

static void
signpost_diary_page_init (SignpostDiaryPage *self)
{
  g_autoptr(GtkListItemFactory) time_factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  signpost_page_shortcuts_add (GTK_WIDGET (self), GDK_KEY_Left, GDK_ALT_MASK, "diary.previous-day", NULL);
  signpost_page_shortcuts_add (GTK_WIDGET (self), GDK_KEY_Right, GDK_ALT_MASK, "diary.next-day", NULL);
  signpost_page_shortcuts_add (GTK_WIDGET (self), GDK_KEY_t, GDK_CONTROL_MASK, "diary.today", NULL);
  signpost_page_shortcuts_add (GTK_WIDGET (self), GDK_KEY_Home, GDK_ALT_MASK, "diary.today", NULL);
  /* As on the load page: Ctrl+D chooses the day. */
  signpost_page_shortcuts_add (GTK_WIDGET (self), GDK_KEY_d, GDK_CONTROL_MASK, "diary.go-to-date", NULL);
  signpost_page_shortcuts_add (GTK_WIDGET (self), GDK_KEY_p, GDK_CONTROL_MASK, "diary.print", "s", "");
  self->toast_overlay = ADW_TOAST_OVERLAY (adw_bin_get_child (ADW_BIN (self)));
  self->clinician_columns = g_ptr_array_new_with_free_func (g_object_unref);
  self->practice_choices = g_ptr_array_new_with_free_func (g_free);
  self->problems_seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  self->selection = gtk_no_selection_new (NULL);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  signpost_accessible_name_column_view (self->column_view, _("The day’s diary: one column per clinician, one row per time"));
  signpost_accessible_tab_leaves (GTK_WIDGET (self->column_view));
  g_signal_connect (time_factory, "setup", G_CALLBACK (signpost_diary_page_setup_time_cell), NULL);
  g_signal_connect (time_factory, "bind", G_CALLBACK (signpost_diary_page_bind_time_cell), NULL);
  gtk_column_view_column_set_factory (self->time_column, time_factory);

  self->popover = signpost_slot_popover_new ();
  gtk_widget_set_parent (GTK_WIDGET (self->popover), GTK_WIDGET (self));
  g_signal_connect_swapped (self->practice_dropdown, "notify::selected", G_CALLBACK (on_practice_selected), self);

  signpost_diary_page_update_booker (self);
  self->clock_source = g_timeout_add_seconds (60, signpost_diary_page_tick, self);
  gtk_stack_set_visible_child_name (self->grid_stack, "signed-out");
  signpost_diary_page_update_print_menu (self);
}

/* ---- public API ------------------------------------------------------------------------- */

SignpostActions    *
signpost_diary_page_get_actions (SignpostDiaryPage *self)
{
  g_return_val_if_fail (SIGNPOST_IS_DIARY_PAGE (self), NULL);
  return self->actions;
}

void
signpost_diary_page_set_actions (SignpostDiaryPage  *self,
                                SignpostActions    *actions)
{
  g_return_if_fail (SIGNPOST_IS_DIARY_PAGE (self));

  if (self->actions == actions)
    return;
  if (self->actions != NULL)
    g_signal_handlers_disconnect_by_data (self->actions, self);
  g_set_object (&self->actions, actions);
  signpost_slot_finder_set_actions (self->finder, actions);
  if (actions != NULL)
    {
      g_signal_connect_swapped (actions, "notify::cache", G_CALLBACK (on_cache_changed), self);
      g_signal_connect_swapped (actions, "notify::changes", G_CALLBACK (on_cache_changed), self);
      g_signal_connect_swapped (actions, "notify::user", G_CALLBACK (on_user_changed), self);
      g_signal_connect_swapped (actions, "notify::role", G_CALLBACK (on_user_changed), self);
      g_signal_connect_swapped (actions, "notify::practices", G_CALLBACK (on_user_changed), self);
      g_signal_connect_swapped (actions, "patient-already-booked", G_CALLBACK (signpost_diary_page_on_patient_already_booked), self);
    }
  on_cache_changed (self);
  on_user_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIONS]);
}

void
signpost_diary_page_find_slot_for_triage (SignpostDiaryPage *self,
                                          const char        *triage_id)
{
  g_autoptr(SignpostTriage) triage = NULL;
  g_autoptr(SignpostPatient) patient = NULL;
  g_autoptr(SignpostClinician) routed = NULL;
  g_autofree char *context = NULL;
  g_autofree char *name = NULL;
  g_autofree char *first = NULL;
  const char *preferred = NULL;
  const char *preferred_tag = NULL;
  const char *urgency_text;
  SignpostRoute *route;
  int profession = -1, mode = -1, days = 14;

  g_return_if_fail (SIGNPOST_IS_DIARY_PAGE (self));

  if (self->cache == NULL || triage_id == NULL)
    return;
  triage = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_TRIAGE, triage_id, NULL);
  if (triage == NULL)
    {
      signpost_diary_page_show_message (self, _("That request is not on this PC yet. Try again in a moment."), 5);
      return;
    }
  patient = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_PATIENT, signpost_triage_get_patient_id (triage), NULL);

  /* The request's practice: a hub navigator books into that diary. */
  if (self->practice_id != NULL &&
      g_strcmp0 (self->practice_id, signpost_record_get_practice_id (SIGNPOST_RECORD (triage))) != 0)
    signpost_diary_page_set_practice_id (self, signpost_record_get_practice_id (SIGNPOST_RECORD (triage)));

  switch (signpost_triage_get_urgency (triage))
    {
    case SIGNPOST_URGENCY_EMERGENCY:
    case SIGNPOST_URGENCY_SAME_DAY:
      days = 0;
      urgency_text = _("Red: today only");
      break;
    case SIGNPOST_URGENCY_WITHIN_2_WEEKS:
      days = 14;
      urgency_text = _("Amber: within two weeks");
      break;
    case SIGNPOST_URGENCY_ROUTINE:
    default:
      days = 28;
      urgency_text = _("Green: next routine");
      break;
    }

  route = signpost_triage_get_route (triage);
  if (route != NULL)
    switch (signpost_route_get_kind (route))
      {
      case SIGNPOST_ROUTE_CLINICIAN:
        routed = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_CLINICIAN, signpost_route_get_clinician_id (route), NULL);
        if (routed != NULL)
          {
            preferred = signpost_record_get_id (SIGNPOST_RECORD (routed));
            preferred_tag = _("Asked for");
            profession = signpost_clinician_get_profession (routed);
          }
        break;
      case SIGNPOST_ROUTE_DUTY:
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GPtrArray) clinicians = signpost_cache_list_records (self->cache, SIGNPOST_RECORD_CLINICIAN, &error);
          g_autoptr(GDateTime) later = g_date_time_add_minutes (self->now, 1);

          if (clinicians == NULL)
            {
              g_warning ("Could not read the clinicians: %s", error->message);
              clinicians = g_ptr_array_new_with_free_func (g_object_unref);
            }

          profession = SIGNPOST_PROFESSION_GP;
          for (guint i = 0; i < clinicians->len && routed == NULL; i++)
            {
              SignpostClinician *clinician = g_ptr_array_index (clinicians, i);
              if (g_strcmp0 (signpost_record_get_practice_id (SIGNPOST_RECORD (clinician)),
                             signpost_record_get_practice_id (SIGNPOST_RECORD (triage))) == 0 &&
                  signpost_clinician_is_on_duty (clinician, self->now, later))
                routed = g_object_ref (clinician);
            }
          if (routed != NULL)
            {
              preferred = signpost_record_get_id (SIGNPOST_RECORD (routed));
              preferred_tag = _("Duty doctor");
            }
        }
        break;
      case SIGNPOST_ROUTE_PROFESSION:
        {
          int value;
          if (signpost_enum_from_nick (SIGNPOST_TYPE_PROFESSION, signpost_route_get_profession (route), &value))
            profession = value;
        }
        break;
      case SIGNPOST_ROUTE_SIGNPOST:
      default:
        break;
      }
  /* Continuity: the usual GP first, unless the request names someone. */
  if (preferred == NULL && patient != NULL &&
      (profession < 0 || profession == SIGNPOST_PROFESSION_GP))
    preferred = signpost_patient_get_usual_clinician_id (patient);

  /* The type of slot: what the request asks for. "Contact by phone" (the
   * default) is how to reach the patient, not a telephone appointment:
   * any type then, so free face-to-face slots are never hidden. */
  switch (signpost_triage_get_contact_method (triage))
    {
    case SIGNPOST_CONTACT_VIDEO:
      mode = SIGNPOST_SLOT_MODE_VIDEO;
      break;
    case SIGNPOST_CONTACT_IN_PERSON:
      mode = SIGNPOST_SLOT_MODE_FACE_TO_FACE;
      break;
    case SIGNPOST_CONTACT_PHONE:
    case SIGNPOST_CONTACT_TEXT:
    default:
      mode = -1;
      break;
    }

  g_free (self->context_patient_id);
  g_free (self->context_reason);
  g_free (self->context_triage_id);
  self->context_patient_id = g_strdup (signpost_triage_get_patient_id (triage));
  self->context_reason = g_strdup (signpost_triage_get_reason (triage));
  self->context_triage_id = g_strdup (triage_id);

  name = patient ? signpost_patient_format_name (patient) : g_strdup (_("the patient"));
  if (preferred != NULL)
    {
      g_autoptr(SignpostClinician) clinician = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_CLINICIAN, preferred, NULL);
      g_autofree char *who = signpost_clinician_format_name (clinician);
      /* Translators: part of the slot search's heading: "Dr Asha Patel first" */
      first = g_strdup_printf (_(", %s first"), who);
    }
  /* Translators: the slot search opened from a request: "For SMITH, Ann · Red: today only, Dr Asha Patel first" */
  context = g_strdup_printf (_("For %s · %s%s"), name, urgency_text, first ? first : "");

  {
    g_autofree char *today = signpost_diary_page_today_string (self);
    signpost_diary_page_show_date (self, today);
  }
  if (!self->finder_open)
    signpost_diary_page_reveal_finder (self, TRUE);
  /* A named clinician or the duty doctor comes first; others follow. Only
   * the patient's own usual clinician is called so. */
  signpost_slot_finder_set_clinician_tags (self->finder,
                                           patient ? signpost_patient_get_usual_clinician_id (patient) : NULL,
                                           preferred_tag);
  signpost_slot_finder_set_filters (self->finder, NULL, profession, mode, days, preferred, context);
  signpost_slot_finder_focus (self->finder);
}

gboolean
signpost_diary_page_get_finder_open (SignpostDiaryPage *self)
{
  g_return_val_if_fail (SIGNPOST_IS_DIARY_PAGE (self), FALSE);
  return self->finder_open;
}

void
signpost_diary_page_set_finder_open (SignpostDiaryPage *self,
                                     gboolean           open)
{
  g_return_if_fail (SIGNPOST_IS_DIARY_PAGE (self));
  signpost_diary_page_reveal_finder (self, open);
  if (open)
    signpost_slot_finder_focus (self->finder);
}

void
signpost_diary_page_set_booking_patient (SignpostDiaryPage *self,
                                         const char        *patient_id)
{
  g_return_if_fail (SIGNPOST_IS_DIARY_PAGE (self));
  g_free (self->booking_patient_id);
  self->booking_patient_id = g_strdup (patient_id);
}

void
signpost_diary_page_set_now (SignpostDiaryPage *self,
                             GDateTime         *now)
{
  g_autoptr(GTimeZone) tz = NULL;
  g_autofree char *today = NULL;
  gboolean showed_today;
  GDate day;

  g_return_if_fail (SIGNPOST_IS_DIARY_PAGE (self));
  g_return_if_fail (now != NULL);

  if (self->clock != now)
    {
      g_clear_pointer (&self->clock, g_date_time_unref);
      self->clock = g_date_time_ref (now);
    }
  if (self->cache == NULL)
    return;
  tz = signpost_practice_time_zone (self->cache, self->practice_id);
  signpost_local_date (now, tz, &day);
  today = signpost_date_format (&day);
  if (g_strcmp0 (today, self->today) == 0)
    return;
  showed_today = self->today == NULL || g_strcmp0 (self->date, self->today) == 0;
  g_free (self->today);
  self->today = g_strdup (today);
  if (showed_today)
    signpost_diary_page_show_date (self, today);
  else
    signpost_diary_page_update_day_view (self);
}

const char *
signpost_diary_page_get_date (SignpostDiaryPage *self)
{
  g_return_val_if_fail (SIGNPOST_IS_DIARY_PAGE (self), NULL);
  return self->date;
}

void
signpost_diary_page_set_date (SignpostDiaryPage *self,
                              const char        *date)
{
  g_return_if_fail (SIGNPOST_IS_DIARY_PAGE (self));
  signpost_diary_page_show_date (self, date);
}

void
signpost_diary_page_set_practice_id (SignpostDiaryPage *self,
                                     const char        *practice_id)
{
  g_return_if_fail (SIGNPOST_IS_DIARY_PAGE (self));

  if (g_strcmp0 (self->practice_id, practice_id) == 0)
    return;
  g_free (self->practice_id);
  self->practice_id = g_strdup (practice_id);
  fill_practices (self);
  apply_scope (self);
}

SignpostDiaryDay *
signpost_diary_page_get_day (SignpostDiaryPage *self)
{
  g_return_val_if_fail (SIGNPOST_IS_DIARY_PAGE (self), NULL);
  return self->day;
}

SignpostSlotFinder *
signpost_diary_page_get_finder (SignpostDiaryPage *self)
{
  g_return_val_if_fail (SIGNPOST_IS_DIARY_PAGE (self), NULL);
  return self->finder;
}

GtkColumnView *
signpost_diary_page_get_column_view (SignpostDiaryPage *self)
{
  g_return_val_if_fail (SIGNPOST_IS_DIARY_PAGE (self), NULL);
  return self->column_view;
}

const char *
signpost_diary_page_get_day_note (SignpostDiaryPage *self)
{
  g_return_val_if_fail (SIGNPOST_IS_DIARY_PAGE (self), NULL);
  return gtk_label_get_text (self->day_note_label);
}

GtkWindow *
signpost_diary_page_get_conflict_dialog (SignpostDiaryPage *self)
{
  g_return_val_if_fail (SIGNPOST_IS_DIARY_PAGE (self), NULL);
  return self->conflict_dialog;
}

const char *
signpost_diary_page_get_last_message (SignpostDiaryPage *self)
{
  g_return_val_if_fail (SIGNPOST_IS_DIARY_PAGE (self), NULL);
  return self->last_message;
}

gboolean
signpost_diary_page_export_day_list (SignpostDiaryPage  *self,
                                     const char         *clinician_id,
                                     const char         *pdf_path,
                                     GError            **error)
{
  g_autoptr(SignpostDayListPrint) operation = NULL;

  g_return_val_if_fail (SIGNPOST_IS_DIARY_PAGE (self), FALSE);

  if (self->day == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("Sign in to print the day list"));
      return FALSE;
    }
  operation = signpost_day_list_print_new (self->day, clinician_id);
  gtk_print_operation_set_export_filename (GTK_PRINT_OPERATION (operation), pdf_path);
  return gtk_print_operation_run (GTK_PRINT_OPERATION (operation), GTK_PRINT_OPERATION_ACTION_EXPORT,
                                  NULL, error) != GTK_PRINT_OPERATION_RESULT_ERROR;
}

void
signpost_diary_page_show_cache (SignpostDiaryPage *self,
                                SignpostCache     *cache,
                                SignpostUser      *user)
{
  g_return_if_fail (SIGNPOST_IS_DIARY_PAGE (self));
  g_return_if_fail (self->actions == NULL);

  g_set_object (&self->shown_user, user);
  use_cache (self, cache, NULL);
  on_user_changed (self);
}
