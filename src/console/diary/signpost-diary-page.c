/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-accessible.h"
#include "signpost-booking-conflict-dialog.h"
#include "signpost-booking-dialog.h"
#include "signpost-day-list-print.h"
#include "signpost-diary-format.h"
#include "signpost-diary-page.h"
#include "signpost-page-shortcuts.h"
#include "signpost-patient-format.h"
#include "signpost-session-dialog.h"
#include "signpost-slot-cell.h"
#include "signpost-slot-popover.h"

enum {
  PROP_0,
  PROP_ACTIONS,
  PROP_FINDER_OPEN,
  N_PROPS
};

#define CLINICIAN_COLUMN_WIDTH 210

struct _SignpostDiaryPage
{
  AdwBin parent_instance;

  /* template (the bin's own child is not bound: dispose_template would
   * unparent it behind AdwBin's back) */
  AdwToastOverlay *toast_overlay;
  GtkMenuButton *date_button;
  GtkPopover *date_popover;
  GtkCalendar *calendar;
  GtkLabel *day_note_label;
  GtkDropDown *practice_dropdown;
  GtkButton *session_button;
  GtkToggleButton *find_button;
  GtkMenuButton *print_button;
  GtkStack *grid_stack;
  GtkScrolledWindow *grid_scroller;
  GtkColumnView *column_view;
  GtkColumnViewColumn *time_column;
  AdwStatusPage *empty_page;
  GtkRevealer *finder_revealer;
  SignpostSlotFinder *finder;

  SignpostActions    *actions;
  SignpostUser *shown_user;      /* without an actions: signpost_diary_page_show_cache() */
  SignpostCache *cache;
  GListModel *changes;            /* SignpostOutboxItem: this PC's changes */
  SignpostDiaryDay *day;
  GtkNoSelection *selection;
  SignpostSlotPopover *popover;
  GPtrArray *clinician_columns;  /* GtkColumnViewColumn */
  GPtrArray *practice_choices;   /* practice id per dropdown entry after "All" */
  char *date;
  char *today;        /* the practice's date at the last tick */
  char *practice_id;             /* NULL: every practice of the user */

  /* Who is booking, for the rules (cells, finder, popover); now moves on. */
  SignpostSlotBooker booker;
  GDateTime *now;
  GStrv booker_practices;
  guint clock_source;

  /* Who a booking is for, when the page was opened for someone. */
  char *context_patient_id;
  char *context_reason;
  char *context_triage_id;
  char *booking_patient_id;

  GHashTable *problems_seen;     /* mutation ids already shown */
  GtkWindow *conflict_dialog;    /* weak */
  char *last_message;
  gboolean finder_open;
  gboolean updating_practices;
  gboolean updating_calendar;
  gboolean practice_chosen;  /* by the user, not by default */
  guint batch;               /* the rows are away while the day changes */
};

G_DEFINE_FINAL_TYPE (SignpostDiaryPage, signpost_diary_page, ADW_TYPE_BIN)

static GParamSpec *properties[N_PROPS];

static void set_finder_open (SignpostDiaryPage *self, gboolean open);
static void check_problems (SignpostDiaryPage *self);

/* ---- helpers ------------------------------------------------------------------ */

static SignpostUser *
page_user (SignpostDiaryPage *self)
{
  return self->actions ? signpost_actions_get_user (self->actions) : self->shown_user;
}

static SignpostRole
get_role (SignpostDiaryPage *self)
{
  if (self->actions != NULL)
    return signpost_actions_get_role (self->actions);
  return self->shown_user ? signpost_user_get_role (self->shown_user) : SIGNPOST_ROLE_ADMIN;
}

static GtkWindow *
get_window (SignpostDiaryPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
show_message (SignpostDiaryPage *self,
              const char        *message,
              guint              timeout)
{
  AdwToast *toast = adw_toast_new (message);

  g_free (self->last_message);
  self->last_message = g_strdup (message);
  adw_toast_set_timeout (toast, timeout);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static char *
today_string (SignpostDiaryPage *self)
{
  g_autoptr(GTimeZone) tz = signpost_practice_time_zone (self->cache, self->practice_id);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GDate day;

  signpost_local_date (now, tz, &day);
  return signpost_date_format (&day);
}

static void
update_booker (SignpostDiaryPage *self)
{
  SignpostUser *user = page_user (self);

  g_clear_pointer (&self->now, g_date_time_unref);
  self->now = g_date_time_new_now_utc ();
  g_strfreev (self->booker_practices);
  self->booker_practices = g_strdupv (user ? (char **) signpost_user_get_practice_ids (user) : NULL);
  self->booker.hub = user != NULL && signpost_user_get_hub (user);
  self->booker.practice_ids = (const char * const *) self->booker_practices;
  self->booker.now = self->now;
}

/* ---- the grid ------------------------------------------------------------------- */

static void
setup_time_cell (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_valign (label, GTK_ALIGN_START);
  gtk_widget_add_css_class (label, "diary-time");
  gtk_list_item_set_child (item, label);
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_selectable (item, FALSE);
}

static void
bind_time_cell (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  SignpostDiaryRow *row = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), signpost_diary_row_get_label (row));
}

static void
open_popover_for (SignpostDiaryPage *self,
                  GtkWidget         *anchor,
                  SignpostSlot      *slot)
{
  graphene_rect_t bounds;
  GdkRectangle rect;

  if (self->day == NULL || slot == NULL)
    return;
  signpost_slot_popover_set_slot (self->popover, self->day, slot, &self->booker, get_role (self));
  if (anchor != NULL && gtk_widget_compute_bounds (anchor, GTK_WIDGET (self), &bounds))
    {
      rect.x = (int) bounds.origin.x;
      rect.y = (int) bounds.origin.y;
      rect.width = (int) bounds.size.width;
      rect.height = (int) bounds.size.height;
      gtk_popover_set_pointing_to (GTK_POPOVER (self->popover), &rect);
    }
  gtk_popover_popup (GTK_POPOVER (self->popover));
}

static void
on_cell_clicked (SignpostSlotCell  *cell,
                 SignpostDiaryPage *self)
{
  open_popover_for (self, GTK_WIDGET (cell), signpost_slot_cell_get_slot (cell));
}

static void
setup_slot_cell (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 SignpostDiaryPage        *self)
{
  SignpostSlotCell *cell = signpost_slot_cell_new ();

  g_signal_connect_object (cell, "clicked", G_CALLBACK (on_cell_clicked), self, 0);
  gtk_list_item_set_child (item, GTK_WIDGET (cell));
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_selectable (item, FALSE);
}

static void
bind_slot_cell (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                SignpostDiaryPage        *self)
{
  const char *clinician_id = g_object_get_data (G_OBJECT (factory), "clinician-id");

  signpost_slot_cell_bind (SIGNPOST_SLOT_CELL (gtk_list_item_get_child (item)), self->day,
                           gtk_list_item_get_item (item), clinician_id, &self->booker);
}

static void
unbind_slot_cell (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  SignpostDiaryPage        *self)
{
  signpost_slot_cell_unbind (SIGNPOST_SLOT_CELL (gtk_list_item_get_child (item)));
}

static char *
column_title (SignpostDiaryPage *self,
              SignpostClinician *clinician)
{
  g_autofree char *name = signpost_clinician_format_name (clinician);
  const char *profession = signpost_profession_label (signpost_clinician_get_profession (clinician));
  gboolean duty = signpost_diary_day_is_on_duty (self->day, clinician);
  g_autofree char *second = NULL;

  if (duty)
    /* Translators: under a clinician's name in the diary: "GP · ★ Duty doctor" (the star is decoration; the words say it) */
    second = g_strdup_printf (_("%s · ★ Duty doctor"), profession);
  else
    second = g_strdup (profession);
  if (self->practice_id == NULL && self->booker_practices != NULL && g_strv_length (self->booker_practices) > 1)
    {
      const char *practice = signpost_cache_get_practice_name (self->cache,
                                                               signpost_record_get_practice_id (SIGNPOST_RECORD (clinician)));
      return g_strdup_printf ("%s\n%s\n%s", name, second, practice ? practice : "");
    }
  return g_strdup_printf ("%s\n%s", name, second);
}

static void
update_print_menu (SignpostDiaryPage *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) clinicians = g_menu_new ();
  guint n = self->day ? signpost_diary_day_get_n_columns (self->day) : 0;

  g_menu_append (menu, _("Print the Whole Day List"), "diary.print::");
  for (guint i = 0; i < n; i++)
    {
      SignpostClinician *clinician = signpost_diary_day_get_column (self->day, i);
      g_autofree char *name = signpost_clinician_format_name (clinician);
      g_autofree char *label = g_strdup_printf (_("Print for %s"), name);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target (item, "diary.print", "s", signpost_record_get_id (SIGNPOST_RECORD (clinician)));
      g_menu_append_item (clinicians, item);
    }
  if (n > 0)
    g_menu_append_section (menu, NULL, G_MENU_MODEL (clinicians));
  gtk_menu_button_set_menu_model (self->print_button, G_MENU_MODEL (menu));
}

/* A new day, practice or set of columns: the view lets go of its rows
 * first and takes them back once, at the end, rather than making a cell
 * in every row for every column added, and again for every row replaced
 * (over a second for a hub day). */
static void
begin_batch (SignpostDiaryPage *self)
{
  if (self->batch++ == 0)
    gtk_no_selection_set_model (self->selection, NULL);
}

static void
end_batch (SignpostDiaryPage *self)
{
  g_return_if_fail (self->batch > 0);
  if (--self->batch == 0)
    gtk_no_selection_set_model (self->selection, self->day ? G_LIST_MODEL (self->day) : NULL);
}

static void
rebuild_columns (SignpostDiaryPage *self)
{
  guint n = self->day ? signpost_diary_day_get_n_columns (self->day) : 0;

  begin_batch (self);
  for (guint i = 0; i < self->clinician_columns->len; i++)
    gtk_column_view_remove_column (self->column_view, g_ptr_array_index (self->clinician_columns, i));
  g_ptr_array_set_size (self->clinician_columns, 0);

  for (guint i = 0; i < n; i++)
    {
      SignpostClinician *clinician = signpost_diary_day_get_column (self->day, i);
      g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
      g_autofree char *title = column_title (self, clinician);
      GtkColumnViewColumn *column;

      g_object_set_data_full (G_OBJECT (factory), "clinician-id",
                              g_strdup (signpost_record_get_id (SIGNPOST_RECORD (clinician))), g_free);
      g_signal_connect (factory, "setup", G_CALLBACK (setup_slot_cell), self);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_slot_cell), self);
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_slot_cell), self);
      column = gtk_column_view_column_new (title, g_object_ref (factory));
      gtk_column_view_column_set_fixed_width (column, CLINICIAN_COLUMN_WIDTH);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_append_column (self->column_view, column);
      g_ptr_array_add (self->clinician_columns, column);
    }
  end_batch (self);
  update_print_menu (self);
}

static void
update_day_view (SignpostDiaryPage *self)
{
  g_autofree char *today = NULL;
  g_autofree char *label = NULL;
  g_autofree char *note = NULL;
  GDate date;

  if (self->day == NULL || self->date == NULL || !signpost_date_parse (self->date, &date, NULL))
    {
      gtk_stack_set_visible_child_name (self->grid_stack, "signed-out");
      return;
    }

  today = today_string (self);
  {
    char buffer[128];
    g_date_strftime (buffer, sizeof buffer, "%A %-d %B %Y", &date);
    if (g_str_equal (today, self->date))
      /* Translators: the day shown in the diary: "Monday 23 November 2026 (today)" */
      label = g_strdup_printf (_("%s (today)"), buffer);
    else
      label = g_strdup (buffer);
  }
  gtk_menu_button_set_label (self->date_button, label);
  {
    /* Translators: read out for the date button: "Day shown: Monday 23 November 2026 (today). Choose a day" */
    g_autofree char *accessible = g_strdup_printf (_("Day shown: %s. Choose a day"), label);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->date_button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  }

  if (signpost_diary_day_get_clocks_change (self->day))
    {
      GTimeSpan length = g_date_time_difference (signpost_diary_day_get_to (self->day),
                                                 signpost_diary_day_get_from (self->day));
      if (length < 24 * G_TIME_SPAN_HOUR)
        note = g_strdup (_("Clocks go forward: this day has 23 hours. Times are shown as the clock reads (GMT before 01:00, BST after)."));
      else
        note = g_strdup (_("Clocks go back: this day has 25 hours and 01:00–02:00 happens twice, marked BST then GMT."));
    }
  gtk_label_set_text (self->day_note_label, note ? note : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->day_note_label), note);

  if (g_list_model_get_n_items (G_LIST_MODEL (self->day)) == 0)
    {
      char buffer[128];
      g_autofree char *description = NULL;

      g_date_strftime (buffer, sizeof buffer, "%A %-d %B", &date);
      /* Translators: the diary on a day without slots */
      description = g_strdup_printf (_("Nobody has slots on %s. Use Find a Slot to search the coming days, or move on a day with Alt+Right."),
                                     buffer);
      adw_status_page_set_description (self->empty_page, description);
      gtk_stack_set_visible_child_name (self->grid_stack, "empty");
    }
  else
    gtk_stack_set_visible_child_name (self->grid_stack, "grid");
}

static void
on_columns_changed (SignpostDiaryPage *self)
{
  rebuild_columns (self);
}

static void
on_rows_changed (SignpostDiaryPage *self)
{
  update_day_view (self);
}

/* Every minute: embargoes lift and slots start, so what each cell says
 * can change without any record changing. */
static gboolean
tick (gpointer data)
{
  SignpostDiaryPage *self = data;
  guint n;

  update_booker (self);
  signpost_diary_page_set_now (self, self->now);
  n = self->day ? g_list_model_get_n_items (G_LIST_MODEL (self->day)) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SignpostDiaryRow) row = g_list_model_get_item (G_LIST_MODEL (self->day), i);
      signpost_diary_row_changed (row);
    }
  return G_SOURCE_CONTINUE;
}

/* ---- choosing the day and the practice ------------------------------------------ */

static void
show_date (SignpostDiaryPage *self,
           const char        *date)
{
  GDate parsed;

  if (date == NULL || !signpost_date_parse (date, &parsed, NULL))
    return;
  if (g_strcmp0 (self->date, date) != 0)
    {
      g_free (self->date);
      self->date = g_strdup (date);
    }
  if (self->day != NULL)
    {
      begin_batch (self);
      signpost_diary_day_set_date (self->day, self->date);
      end_batch (self);
    }
  {
    g_autoptr(GDateTime) noon = g_date_time_new_utc (g_date_get_year (&parsed), g_date_get_month (&parsed),
                                                     g_date_get_day (&parsed), 12, 0, 0);
    self->updating_calendar = TRUE;
    gtk_calendar_select_day (self->calendar, noon);
    self->updating_calendar = FALSE;
  }
  update_day_view (self);
}

static void
move_days (SignpostDiaryPage *self,
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
  show_date (self, text);
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

  show_date (self, text);
  gtk_popover_popdown (self->date_popover);
}

static void
apply_scope (SignpostDiaryPage *self)
{
  const char *one[] = { self->practice_id, NULL };

  begin_batch (self);
  if (self->day != NULL)
    signpost_diary_day_set_practice_id (self->day, self->practice_id);
  signpost_slot_finder_set_scope (self->finder, self->practice_id ? one : NULL, &self->booker);
  rebuild_columns (self);
  end_batch (self);
  update_day_view (self);
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
  SignpostUser *user = page_user (self);
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
  SignpostUser *user = page_user (self);
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

/* ---- conflicts -------------------------------------------------------------------- */

static void
on_conflict_resolved (SignpostDiaryPage *self,
                      const char        *message)
{
  show_message (self, message, 6);
}

static void
on_choose_in_diary (SignpostDiaryPage  *self,
                    SignpostOutboxItem *item)
{
  g_autoptr(SignpostBooking) booking = signpost_outbox_item_dup_booking (item);
  g_autoptr(SignpostSlot) slot = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_SLOT,
                                                            signpost_outbox_item_get_record_id (item));
  g_autoptr(SignpostClinician) clinician = NULL;
  g_autoptr(SignpostPatient) patient = NULL;
  g_autofree char *name = NULL;
  g_autofree char *context = NULL;

  g_free (self->context_patient_id);
  g_free (self->context_reason);
  g_free (self->context_triage_id);
  self->context_patient_id = booking ? g_strdup (booking->patient_id) : NULL;
  self->context_reason = booking ? g_strdup (booking->reason) : NULL;
  self->context_triage_id = booking ? g_strdup (booking->triage_id) : NULL;
  patient = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_PATIENT, self->context_patient_id);
  name = patient ? signpost_patient_format_name (patient) : g_strdup (_("the patient"));
  if (slot != NULL)
    clinician = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_CLINICIAN, signpost_slot_get_clinician_id (slot));
  /* Translators: the slot search after a taken slot: "For SMITH, Ann: the slot they had is gone; choose another." */
  context = g_strdup_printf (_("For %s: the slot chosen was taken; choose another."), name);
  set_finder_open (self, TRUE);
  signpost_slot_finder_set_filters (self->finder, NULL,
                                    clinician ? (int) signpost_clinician_get_profession (clinician) : -1,
                                    slot ? (int) signpost_slot_get_mode (slot) : -1, 14,
                                    slot ? signpost_slot_get_clinician_id (slot) : NULL, context);
}

static gboolean
check_problems_cb (gpointer data)
{
  check_problems (data);
  return G_SOURCE_REMOVE;
}

static void
on_conflict_dialog_destroyed (SignpostDiaryPage *self)
{
  self->conflict_dialog = NULL;
  /* The next one, if more came back meanwhile. */
  g_idle_add_full (G_PRIORITY_DEFAULT, check_problems_cb, g_object_ref (self), g_object_unref);
}

/* A booking of ours the server did not take is told at once, with the
 * nearest alternatives; one dialog at a time. */
static void
check_problems (SignpostDiaryPage *self)
{
  GListModel *items = self->changes;
  GtkWindow *window = get_window (self);
  guint n = items ? g_list_model_get_n_items (items) : 0;

  if (self->conflict_dialog != NULL || window == NULL || self->actions == NULL)
    return;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SignpostOutboxItem) item = g_list_model_get_item (items, i);
      SignpostBookingConflictDialog *dialog;

      if (signpost_outbox_item_get_state (item) == SIGNPOST_OUTBOX_WAITING ||
          signpost_outbox_item_get_kind (item) != SIGNPOST_RECORD_SLOT ||
          signpost_outbox_item_get_op (item) != SIGNPOST_OP_BOOK ||
          !g_hash_table_add (self->problems_seen, g_strdup (signpost_outbox_item_get_mutation_id (item))))
        continue;

      dialog = signpost_booking_conflict_dialog_new (window, self->actions, item);
      self->conflict_dialog = GTK_WINDOW (dialog);
      g_signal_connect_object (dialog, "resolved", G_CALLBACK (on_conflict_resolved), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (dialog, "choose-in-diary", G_CALLBACK (on_choose_in_diary), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (dialog, "destroy", G_CALLBACK (on_conflict_dialog_destroyed), self, G_CONNECT_SWAPPED);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
}

static void
on_outbox_items_changed (SignpostDiaryPage *self)
{
  check_problems (self);
}

/* The server's warning on a booking of ours (already booked that day). */
static void
on_patient_already_booked (SignpostDiaryPage *self,
                           const char        *patient_id)
{
  g_autoptr(SignpostPatient) patient = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;

  if (self->cache != NULL && patient_id != NULL)
    patient = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_PATIENT, patient_id);
  name = patient ? signpost_patient_format_name (patient) : g_strdup (_("The patient"));
  /* Translators: the server's warning after a booking went through */
  message = g_strdup_printf (_("Booked, but note: %s already has another appointment that day."), name);
  show_message (self, message, 0);
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
  update_booker (self);
  self->practice_chosen = FALSE;

  if (cache != NULL)
    {
      g_autofree char *today = NULL;

      g_free (self->practice_id);
      self->practice_id = default_practice (self);
      self->day = signpost_diary_day_new (cache);
      g_signal_connect_swapped (self->day, "columns-changed", G_CALLBACK (on_columns_changed), self);
      g_signal_connect_swapped (self->day, "items-changed", G_CALLBACK (on_rows_changed), self);
      signpost_diary_day_set_practice_id (self->day, self->practice_id);
      if (self->batch == 0)
        gtk_no_selection_set_model (self->selection, G_LIST_MODEL (self->day));
      today = today_string (self);
      g_free (self->today);
      self->today = g_strdup (today);
      if (self->date == NULL)
        self->date = g_steal_pointer (&today);
      signpost_diary_day_set_date (self->day, self->date);
    }
  if (changes != NULL)
    g_signal_connect_swapped (changes, "items-changed", G_CALLBACK (on_outbox_items_changed), self);
  fill_practices (self);
  apply_scope (self);
  show_date (self, self->date);
  check_problems (self);
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
  SignpostRole role = get_role (self);
  gboolean books = role == SIGNPOST_ROLE_NAVIGATOR || role == SIGNPOST_ROLE_CLINICIAN;
  gboolean staff = role == SIGNPOST_ROLE_CLINICIAN || role == SIGNPOST_ROLE_MANAGER;

  update_booker (self);
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
    set_finder_open (self, FALSE);
  fill_practices (self);
  apply_scope (self);
}

/* ---- booking ------------------------------------------------------------------------ */

/* Who a booking from the grid is for: the request the page was opened
 * for, the patient set by another page, or whoever is on the user's
 * current call. */
static SignpostPatient *
default_patient (SignpostDiaryPage *self)
{
  const SignpostCallState answered[] = { SIGNPOST_CALL_ANSWERED, -1 };
  SignpostUser *user = page_user (self);
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(GError) error = NULL;

  if (self->context_patient_id != NULL)
    return signpost_cache_get_record (self->cache, SIGNPOST_RECORD_PATIENT, self->context_patient_id);
  if (self->booking_patient_id != NULL)
    return signpost_cache_get_record (self->cache, SIGNPOST_RECORD_PATIENT, self->booking_patient_id);
  if (user == NULL)
    return NULL;
  calls = signpost_cache_list_calls (self->cache, answered, NULL, signpost_record_get_id (SIGNPOST_RECORD (user)), &error);
  if (calls == NULL)
    {
      g_warning ("Could not read this navigator's calls: %s", error->message);
      return NULL;
    }
  for (guint i = calls->len; i > 0; i--)
    {
      const char *patient_id = signpost_call_get_patient_id (g_ptr_array_index (calls, i - 1));
      if (patient_id != NULL)
        return signpost_cache_get_record (self->cache, SIGNPOST_RECORD_PATIENT, patient_id);
    }
  return NULL;
}

static void
on_booked (SignpostDiaryPage *self,
           const char        *label)
{
  g_autofree char *message = NULL;

  /* Translators: after booking: "Booked SMITH, Ann with Dr Asha Patel, Mon 23 Nov, 09:10" */
  if (self->actions != NULL && signpost_actions_get_state (self->actions) != SIGNPOST_SYNC_STATE_ONLINE)
    message = g_strdup_printf (_("%s (saved on this PC; it goes to the server when the connection is back)"), label);
  else
    message = g_strdup (label);
  show_message (self, message, 5);
  /* One request, one booking. */
  g_clear_pointer (&self->context_patient_id, g_free);
  g_clear_pointer (&self->context_reason, g_free);
  g_clear_pointer (&self->context_triage_id, g_free);
}

GtkWindow *
signpost_diary_page_book_slot (SignpostDiaryPage *self,
                               const char        *slot_id)
{
  g_autoptr(SignpostSlot) slot = NULL;
  g_autoptr(SignpostPatient) patient = NULL;
  SignpostBookingDialog *dialog;

  g_return_val_if_fail (SIGNPOST_IS_DIARY_PAGE (self), NULL);

  if (self->cache == NULL || self->actions == NULL)
    return NULL;
  slot = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_SLOT, slot_id);
  if (slot == NULL)
    return NULL;
  dialog = signpost_booking_dialog_new (get_window (self), self->actions, slot);
  patient = default_patient (self);
  if (patient != NULL)
    signpost_booking_dialog_set_patient (dialog, patient);
  if (self->context_reason != NULL)
    signpost_booking_dialog_set_reason (dialog, self->context_reason);
  if (self->context_triage_id != NULL)
    signpost_booking_dialog_set_triage_id (dialog, self->context_triage_id);
  g_signal_connect_object (dialog, "booked", G_CALLBACK (on_booked), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WINDOW (dialog);
}

static void
on_finder_slot_activated (SignpostDiaryPage *self,
                          SignpostSlot      *slot)
{
  g_autoptr(GTimeZone) tz = signpost_practice_time_zone (self->cache, signpost_record_get_practice_id (SIGNPOST_RECORD (slot)));
  g_autofree char *date = NULL;
  GDate day;

  /* Show that day behind the dialog. */
  signpost_local_date (signpost_slot_get_start (slot), tz, &day);
  date = signpost_date_format (&day);
  show_date (self, date);
  signpost_diary_page_book_slot (self, signpost_record_get_id (SIGNPOST_RECORD (slot)));
}

/* ---- actions ------------------------------------------------------------------------- */

static void
previous_day (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  move_days (SIGNPOST_DIARY_PAGE (widget), -1);
}

static void
next_day (GtkWidget  *widget,
          const char *action_name,
          GVariant   *parameter)
{
  move_days (SIGNPOST_DIARY_PAGE (widget), 1);
}

static void
go_today (GtkWidget  *widget,
          const char *action_name,
          GVariant   *parameter)
{
  SignpostDiaryPage *self = SIGNPOST_DIARY_PAGE (widget);
  g_autofree char *today = today_string (self);

  show_date (self, today);
}

static void
go_to_date (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  gtk_menu_button_popup (SIGNPOST_DIARY_PAGE (widget)->date_button);
}

static void
book_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  signpost_diary_page_book_slot (SIGNPOST_DIARY_PAGE (widget), g_variant_get_string (parameter, NULL));
}

static SignpostSlot *
slot_for_action (SignpostDiaryPage *self,
                 GVariant          *parameter)
{
  if (self->cache == NULL)
    return NULL;
  return signpost_cache_get_record (self->cache, SIGNPOST_RECORD_SLOT, g_variant_get_string (parameter, NULL));
}

/* "SMITH, Ann with Dr Asha Patel, Mon 23 Nov, 09:10", for the labels of
 * changes. */
static char *
describe_booking (SignpostDiaryPage   *self,
                  SignpostSlot        *slot,
                  SignpostAppointment *appointment)
{
  g_autoptr(SignpostPatient) patient = NULL;
  g_autoptr(SignpostClinician) clinician = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_CLINICIAN,
                                                                      signpost_slot_get_clinician_id (slot));
  g_autoptr(GTimeZone) tz = signpost_practice_time_zone (self->cache, signpost_record_get_practice_id (SIGNPOST_RECORD (slot)));
  g_autofree char *who = NULL;
  g_autofree char *with = signpost_clinician_format_name (clinician);
  g_autofree char *when = signpost_slot_format_when (slot, tz);

  if (appointment != NULL)
    patient = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_PATIENT,
                                         signpost_appointment_get_patient_id (appointment));
  who = patient ? signpost_patient_format_name (patient) : g_strdup (_("the patient"));
  return g_strdup_printf (_("%s with %s, %s"), who, with, when);
}

static void
on_cancel_response (AdwMessageDialog  *dialog,
                    const char        *response,
                    SignpostDiaryPage *self)
{
  const char *slot_id = g_object_get_data (G_OBJECT (dialog), "slot-id");
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "reason-entry");
  g_autoptr(SignpostSlot) slot = NULL;
  g_autoptr(SignpostAppointment) appointment = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *what = NULL;
  g_autofree char *label = NULL;
  g_autofree char *reason = NULL;

  if (!g_str_equal (response, "cancel-appointment") || self->cache == NULL)
    return;
  slot = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_SLOT, slot_id);
  if (slot == NULL)
    return;
  /* For the words in the list of changes only. */
  appointment = signpost_cache_get_live_appointment (self->cache, slot_id, NULL);
  reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  what = describe_booking (self, slot, appointment);
  /* Translators: a change in the outbox: "Cancelled SMITH, Ann with Dr Asha Patel, Mon 23 Nov, 09:10" */
  label = g_strdup_printf (_("Cancelled %s"), what);
  if (!signpost_actions_cancel_booking (self->actions, slot_id, *reason != '\0' ? reason : NULL, label, &error))
    show_message (self, error->message, 0);
  else
    show_message (self, label, 5);
}

/* The appointment in @slot_id; NULL when there is none, or (said on the
 * page) when it could not be read. */
static SignpostAppointment *
live_appointment (SignpostDiaryPage *self,
                  const char        *slot_id)
{
  g_autoptr(GError) error = NULL;
  SignpostAppointment *appointment = signpost_cache_get_live_appointment (self->cache, slot_id, &error);

  if (error != NULL)
    show_message (self, error->message, 0);
  return appointment;
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SignpostDiaryPage *self = SIGNPOST_DIARY_PAGE (widget);
  g_autoptr(SignpostSlot) slot = slot_for_action (self, parameter);
  g_autoptr(SignpostAppointment) appointment = NULL;
  g_autofree char *what = NULL;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  if (slot == NULL)
    return;
  appointment = live_appointment (self, g_variant_get_string (parameter, NULL));
  if (appointment == NULL)
    return;
  what = describe_booking (self, slot, appointment);
  body = g_strdup_printf (_("Cancel %s? The slot becomes free for someone else."), what);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (get_window (self), _("Cancel the Appointment?"), body));
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason, e.g. patient feels better"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reason for cancelling"), -1);
  adw_message_dialog_set_extra_child (dialog, entry);
  adw_message_dialog_add_responses (dialog, "keep", _("_Keep It"), "cancel-appointment", _("_Cancel Appointment"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "cancel-appointment", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel-appointment");
  adw_message_dialog_set_close_response (dialog, "keep");
  g_object_set_data_full (G_OBJECT (dialog), "slot-id", g_strdup (g_variant_get_string (parameter, NULL)), g_free);
  g_object_set_data (G_OBJECT (dialog), "reason-entry", entry);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_cancel_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
set_appointment_status (SignpostDiaryPage         *self,
                        GVariant                  *parameter,
                        SignpostAppointmentStatus  status)
{
  g_autoptr(SignpostSlot) slot = slot_for_action (self, parameter);
  g_autoptr(SignpostAppointment) appointment = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *what = NULL;
  g_autofree char *label = NULL;

  if (slot == NULL)
    return;
  appointment = live_appointment (self, g_variant_get_string (parameter, NULL));
  if (appointment == NULL)
    return;
  what = describe_booking (self, slot, appointment);
  /* Translators: a change in the outbox: "Arrived: SMITH, Ann with Dr Asha Patel, Mon 23 Nov, 09:10" */
  label = g_strdup_printf (_("%s: %s"), signpost_appointment_status_label (status), what);
  if (!signpost_actions_set_appointment_status (self->actions, signpost_record_get_id (SIGNPOST_RECORD (appointment)),
                                                status, label, &error))
    show_message (self, error->message, 0);
  else
    show_message (self, label, 4);
}

static void
mark_arrived (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  set_appointment_status (SIGNPOST_DIARY_PAGE (widget), parameter, SIGNPOST_APPOINTMENT_ARRIVED);
}

static void
mark_seen (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  set_appointment_status (SIGNPOST_DIARY_PAGE (widget), parameter, SIGNPOST_APPOINTMENT_SEEN);
}

static void
mark_dna (GtkWidget  *widget,
          const char *action_name,
          GVariant   *parameter)
{
  set_appointment_status (SIGNPOST_DIARY_PAGE (widget), parameter, SIGNPOST_APPOINTMENT_DID_NOT_ATTEND);
}

static void
set_slot_status (SignpostDiaryPage  *self,
                 GVariant           *parameter,
                 SignpostSlotStatus  status)
{
  g_autoptr(SignpostSlot) slot = slot_for_action (self, parameter);
  g_autoptr(SignpostClinician) clinician = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *with = NULL;
  g_autofree char *when = NULL;
  g_autofree char *label = NULL;

  if (slot == NULL)
    return;
  clinician = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_CLINICIAN, signpost_slot_get_clinician_id (slot));
  tz = signpost_practice_time_zone (self->cache, signpost_record_get_practice_id (SIGNPOST_RECORD (slot)));
  with = signpost_clinician_format_name (clinician);
  when = signpost_slot_format_when (slot, tz);
  if (status == SIGNPOST_SLOT_BLOCKED)
    /* Translators: a change in the outbox: "Blocked Dr Asha Patel, Mon 23 Nov, 09:10" */
    label = g_strdup_printf (_("Blocked %s, %s"), with, when);
  else
    /* Translators: a change in the outbox: "Unblocked Dr Asha Patel, Mon 23 Nov, 09:10" */
    label = g_strdup_printf (_("Unblocked %s, %s"), with, when);
  if (!signpost_actions_set_slot_blocked (self->actions, signpost_record_get_id (SIGNPOST_RECORD (slot)),
                                         status == SIGNPOST_SLOT_BLOCKED, label, &error))
    show_message (self, error->message, 0);
  else
    show_message (self, label, 4);
}

static void
block_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  set_slot_status (SIGNPOST_DIARY_PAGE (widget), parameter, SIGNPOST_SLOT_BLOCKED);
}

static void
unblock_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  set_slot_status (SIGNPOST_DIARY_PAGE (widget), parameter, SIGNPOST_SLOT_FREE);
}

static void
on_sessions_created (SignpostDiaryPage *self,
                     const char        *message)
{
  show_message (self, message, 5);
}

static void
new_session (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SignpostDiaryPage *self = SIGNPOST_DIARY_PAGE (widget);
  SignpostSessionDialog *dialog;

  if (self->actions == NULL || self->cache == NULL)
    return;
  dialog = signpost_session_dialog_new (get_window (self), self->actions, self->practice_id, self->date);
  g_signal_connect_object (dialog, "created", G_CALLBACK (on_sessions_created), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_print_done (GtkPrintOperation       *operation,
               GtkPrintOperationResult  result,
               SignpostDiaryPage       *self)
{
  g_autoptr(GError) error = NULL;

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      gtk_print_operation_get_error (operation, &error);
      show_message (self, error ? error->message : _("The day list could not be printed."), 0);
    }
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SignpostDiaryPage *self = SIGNPOST_DIARY_PAGE (widget);
  const char *clinician_id = parameter ? g_variant_get_string (parameter, NULL) : "";
  g_autoptr(SignpostDayListPrint) operation = NULL;
  g_autoptr(GError) error = NULL;

  if (self->day == NULL)
    return;
  operation = signpost_day_list_print_new (self->day, *clinician_id ? clinician_id : NULL);
  gtk_print_operation_set_allow_async (GTK_PRINT_OPERATION (operation), TRUE);
  g_signal_connect_object (operation, "done", G_CALLBACK (on_print_done), self, 0);
  if (gtk_print_operation_run (GTK_PRINT_OPERATION (operation), GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               get_window (self), &error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    show_message (self, error->message, 0);
}

/* ---- the finder ---------------------------------------------------------------------- */

static void
set_finder_open (SignpostDiaryPage *self,
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
      set_finder_open (self, g_value_get_boolean (value));
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
  gtk_widget_class_bind_template_callback (widget_class, on_finder_slot_activated);

  gtk_widget_class_install_action (widget_class, "diary.previous-day", NULL, previous_day);
  gtk_widget_class_install_action (widget_class, "diary.next-day", NULL, next_day);
  gtk_widget_class_install_action (widget_class, "diary.today", NULL, go_today);
  gtk_widget_class_install_action (widget_class, "diary.go-to-date", NULL, go_to_date);
  gtk_widget_class_install_property_action (widget_class, "diary.find-slot", "finder-open");
  gtk_widget_class_install_action (widget_class, "diary.print", "s", print_action);
  gtk_widget_class_install_action (widget_class, "diary.new-session", NULL, new_session);
  gtk_widget_class_install_action (widget_class, "diary.book", "s", book_action);
  gtk_widget_class_install_action (widget_class, "diary.cancel-appointment", "s", cancel_action);
  gtk_widget_class_install_action (widget_class, "diary.mark-arrived", "s", mark_arrived);
  gtk_widget_class_install_action (widget_class, "diary.mark-seen", "s", mark_seen);
  gtk_widget_class_install_action (widget_class, "diary.mark-dna", "s", mark_dna);
  gtk_widget_class_install_action (widget_class, "diary.block", "s", block_action);
  gtk_widget_class_install_action (widget_class, "diary.unblock", "s", unblock_action);
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
  g_signal_connect (time_factory, "setup", G_CALLBACK (setup_time_cell), NULL);
  g_signal_connect (time_factory, "bind", G_CALLBACK (bind_time_cell), NULL);
  gtk_column_view_column_set_factory (self->time_column, time_factory);

  self->popover = signpost_slot_popover_new ();
  gtk_widget_set_parent (GTK_WIDGET (self->popover), GTK_WIDGET (self));
  g_signal_connect_swapped (self->practice_dropdown, "notify::selected", G_CALLBACK (on_practice_selected), self);

  update_booker (self);
  self->clock_source = g_timeout_add_seconds (60, tick, self);
  gtk_stack_set_visible_child_name (self->grid_stack, "signed-out");
  update_print_menu (self);
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
      g_signal_connect_swapped (actions, "patient-already-booked", G_CALLBACK (on_patient_already_booked), self);
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
  const char *urgency_text;
  SignpostRoute *route;
  int profession = -1, mode = -1, days = 14;

  g_return_if_fail (SIGNPOST_IS_DIARY_PAGE (self));

  if (self->cache == NULL || triage_id == NULL)
    return;
  triage = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_TRIAGE, triage_id);
  if (triage == NULL)
    {
      show_message (self, _("That request is not on this PC yet. Try again in a moment."), 5);
      return;
    }
  patient = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_PATIENT, signpost_triage_get_patient_id (triage));

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
        routed = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_CLINICIAN, signpost_route_get_clinician_id (route));
        if (routed != NULL)
          {
            preferred = signpost_record_get_id (SIGNPOST_RECORD (routed));
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
            preferred = signpost_record_get_id (SIGNPOST_RECORD (routed));
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

  switch (signpost_triage_get_contact_method (triage))
    {
    case SIGNPOST_CONTACT_PHONE:
      mode = SIGNPOST_SLOT_MODE_TELEPHONE;
      break;
    case SIGNPOST_CONTACT_VIDEO:
      mode = SIGNPOST_SLOT_MODE_VIDEO;
      break;
    case SIGNPOST_CONTACT_IN_PERSON:
      mode = SIGNPOST_SLOT_MODE_FACE_TO_FACE;
      break;
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
      g_autoptr(SignpostClinician) clinician = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_CLINICIAN, preferred);
      g_autofree char *who = signpost_clinician_format_name (clinician);
      /* Translators: part of the slot search's heading: "Dr Asha Patel first" */
      first = g_strdup_printf (_(", %s first"), who);
    }
  /* Translators: the slot search opened from a request: "For SMITH, Ann · Red: today only, Dr Asha Patel first" */
  context = g_strdup_printf (_("For %s · %s%s"), name, urgency_text, first ? first : "");

  {
    g_autofree char *today = today_string (self);
    show_date (self, today);
  }
  if (!self->finder_open)
    set_finder_open (self, TRUE);
  /* A named clinician or the duty doctor comes first; others follow. */
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
  set_finder_open (self, open);
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
    show_date (self, today);
  else
    update_day_view (self);
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
  show_date (self, date);
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
