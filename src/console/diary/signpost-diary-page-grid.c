/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-accessible.h"
#include "signpost-diary-page-private.h"

/* The diary page's grid: a column per clinician, a row per time, the
 * slot cells and their popover, the print menu, and the minute tick that
 * lifts embargoes and starts slots. */

/* ---- the grid ------------------------------------------------------------------- */

void
signpost_diary_page_setup_time_cell (GtkSignalListItemFactory *factory,
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

void
signpost_diary_page_bind_time_cell (GtkSignalListItemFactory *factory,
                                    GtkListItem              *item,
                                    gpointer                  user_data)
{
  SignpostDiaryRow *row = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), signpost_diary_row_get_label (row));
  /* The row is read by its time; its cells say the rest. */
  signpost_accessible_label_list_item (item, signpost_diary_row_get_label (row));
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
  signpost_slot_popover_set_slot (self->popover, self->day, slot, &self->booker, signpost_diary_page_get_role (self));
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

void
signpost_diary_page_update_print_menu (SignpostDiaryPage *self)
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
void
signpost_diary_page_begin_batch (SignpostDiaryPage *self)
{
  if (self->batch++ == 0)
    gtk_no_selection_set_model (self->selection, NULL);
}

void
signpost_diary_page_end_batch (SignpostDiaryPage *self)
{
  g_return_if_fail (self->batch > 0);
  if (--self->batch == 0)
    gtk_no_selection_set_model (self->selection, self->day ? G_LIST_MODEL (self->day) : NULL);
}

void
signpost_diary_page_rebuild_columns (SignpostDiaryPage *self)
{
  guint n = self->day ? signpost_diary_day_get_n_columns (self->day) : 0;

  signpost_diary_page_begin_batch (self);
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
  signpost_diary_page_end_batch (self);
  signpost_diary_page_update_print_menu (self);
}

void
signpost_diary_page_update_day_view (SignpostDiaryPage *self)
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

  today = signpost_diary_page_today_string (self);
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

void
signpost_diary_page_on_columns_changed (SignpostDiaryPage *self)
{
  signpost_diary_page_rebuild_columns (self);
}

void
signpost_diary_page_on_rows_changed (SignpostDiaryPage *self)
{
  signpost_diary_page_update_day_view (self);
}

/* Every minute: embargoes lift and slots start, so what each cell says
 * can change without any record changing. */
gboolean
signpost_diary_page_tick (gpointer data)
{
  SignpostDiaryPage *self = data;
  guint n;

  signpost_diary_page_update_booker (self);
  signpost_diary_page_set_now (self, self->now);
  n = self->day ? g_list_model_get_n_items (G_LIST_MODEL (self->day)) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SignpostDiaryRow) row = g_list_model_get_item (G_LIST_MODEL (self->day), i);
      signpost_diary_row_changed (row);
    }
  return G_SOURCE_CONTINUE;
}
