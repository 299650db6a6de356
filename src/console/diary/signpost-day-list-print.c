/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-day-list-print.h"
#include "signpost-diary-format.h"
#include "signpost-patient-format.h"

typedef struct {
  char *cells[7]; /* time, type, patient, born, NHS number, reason, status */
} Entry;

typedef struct {
  char *title;
  GPtrArray *entries; /* Entry */
} Section;

typedef enum {
  ITEM_SECTION,
  ITEM_TABLE_HEADER,
  ITEM_ENTRY,
} ItemKind;

typedef struct {
  ItemKind kind;
  Section *section;
  Entry *entry;
  gboolean continued;
  int page;
  double y;
  double height;
} Item;

struct _SignpostDayListPrint
{
  GtkPrintOperation parent_instance;

  char *practice;
  char *date;
  char *printed;
  GPtrArray *sections; /* Section */
  GArray *items;       /* Item, laid out by begin-print */
  guint n_entries;
};

G_DEFINE_FINAL_TYPE (SignpostDayListPrint, signpost_day_list_print, GTK_TYPE_PRINT_OPERATION)

static const double column_share[7] = { 0.07, 0.12, 0.21, 0.15, 0.12, 0.20, 0.13 };

#define TABLE_FONT "Sans 8.5"
#define HEADER_FONT "Sans Bold 8.5"
#define SECTION_FONT "Sans Bold 11"
#define TITLE_FONT "Sans Bold 14"
#define PAGE_HEADER_HEIGHT 48.0
#define CELL_PAD 3.0

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  for (guint i = 0; i < G_N_ELEMENTS (entry->cells); i++)
    g_free (entry->cells[i]);
  g_free (entry);
}

static void
section_free (gpointer data)
{
  Section *section = data;

  g_free (section->title);
  g_ptr_array_unref (section->entries);
  g_free (section);
}

static const char *
header_cell (guint column)
{
  switch (column)
    {
    case 0: return _("Time");
    case 1: return _("Type");
    case 2: return _("Patient");
    case 3: return _("Born (age)");
    case 4: return _("NHS number");
    case 5: return _("Reason");
    case 6: default: return _("Status");
    }
}

/* ---- layout ----------------------------------------------------------------------- */

static PangoLayout *
make_layout (GtkPrintContext *context,
             const char      *font,
             const char      *text,
             double           width)
{
  PangoLayout *layout = gtk_print_context_create_pango_layout (context);
  PangoFontDescription *description = pango_font_description_from_string (font);

  pango_layout_set_font_description (layout, description);
  pango_font_description_free (description);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (layout, text ? text : "", -1);
  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  int width, height;

  pango_layout_get_size (layout, &width, &height);
  return (double) height / PANGO_SCALE;
}

static double
row_height (GtkPrintContext *context,
            const char      *font,
            char * const    *cells)
{
  double width = gtk_print_context_get_width (context);
  double tallest = 0;

  for (guint i = 0; i < 7; i++)
    {
      g_autoptr(PangoLayout) layout = make_layout (context, font, cells[i], width * column_share[i] - 2 * CELL_PAD);
      tallest = MAX (tallest, layout_height (layout));
    }
  return tallest + 2 * CELL_PAD;
}

static double
item_height (GtkPrintContext *context,
             Item            *item)
{
  double width = gtk_print_context_get_width (context);

  switch (item->kind)
    {
    case ITEM_SECTION:
      {
        g_autoptr(PangoLayout) layout = make_layout (context, SECTION_FONT, item->section->title, width);
        return layout_height (layout) + 10;
      }
    case ITEM_TABLE_HEADER:
      {
        char *cells[7];
        for (guint i = 0; i < 7; i++)
          cells[i] = (char *) header_cell (i);
        return row_height (context, HEADER_FONT, cells);
      }
    case ITEM_ENTRY:
    default:
      return row_height (context, TABLE_FONT, item->entry->cells);
    }
}

static void
place (SignpostDayListPrint *self,
       GtkPrintContext      *context,
       Item                  item,
       int                  *page,
       double               *y)
{
  double bottom = gtk_print_context_get_height (context);

  item.height = item_height (context, &item);
  if (*y + item.height > bottom && *y > PAGE_HEADER_HEIGHT)
    {
      (*page)++;
      *y = PAGE_HEADER_HEIGHT;
      /* A table that runs on says whose it is again. */
      if (item.kind == ITEM_ENTRY)
        {
          Item section = { ITEM_SECTION, item.section, NULL, TRUE, 0, 0, 0 };
          Item header = { ITEM_TABLE_HEADER, item.section, NULL, TRUE, 0, 0, 0 };
          place (self, context, section, page, y);
          place (self, context, header, page, y);
        }
    }
  item.page = *page;
  item.y = *y;
  *y += item.height;
  g_array_append_val (self->items, item);
}

static void
signpost_day_list_print_begin_print (GtkPrintOperation *operation,
                                     GtkPrintContext   *context)
{
  SignpostDayListPrint *self = SIGNPOST_DAY_LIST_PRINT (operation);
  int page = 0;
  double y = PAGE_HEADER_HEIGHT;

  g_array_set_size (self->items, 0);
  for (guint s = 0; s < self->sections->len; s++)
    {
      Section *section = g_ptr_array_index (self->sections, s);
      Item heading = { ITEM_SECTION, section, NULL, FALSE, 0, 0, 0 };
      Item header = { ITEM_TABLE_HEADER, section, NULL, FALSE, 0, 0, 0 };

      /* Keep a clinician's heading with their first rows. */
      if (y + 80 > gtk_print_context_get_height (context) && y > PAGE_HEADER_HEIGHT)
        {
          page++;
          y = PAGE_HEADER_HEIGHT;
        }
      if (s > 0)
        y += 8;
      place (self, context, heading, &page, &y);
      place (self, context, header, &page, &y);
      for (guint e = 0; e < section->entries->len; e++)
        {
          Item entry = { ITEM_ENTRY, section, g_ptr_array_index (section->entries, e), FALSE, 0, 0, 0 };
          place (self, context, entry, &page, &y);
        }
    }
  gtk_print_operation_set_n_pages (operation, page + 1);
}

/* ---- drawing ------------------------------------------------------------------------ */

static void
draw_text (cairo_t         *cr,
           GtkPrintContext *context,
           const char      *font,
           const char      *text,
           double           x,
           double           y,
           double           width)
{
  g_autoptr(PangoLayout) layout = make_layout (context, font, text, width);

  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_row (cairo_t         *cr,
          GtkPrintContext *context,
          const char      *font,
          char * const    *cells,
          double           y,
          double           height,
          gboolean         shaded)
{
  double width = gtk_print_context_get_width (context);
  double x = 0;

  if (shaded)
    {
      cairo_set_source_rgb (cr, 0.92, 0.92, 0.92);
      cairo_rectangle (cr, 0, y, width, height);
      cairo_fill (cr);
    }
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (guint i = 0; i < 7; i++)
    {
      double column = width * column_share[i];
      draw_text (cr, context, font, cells[i], x + CELL_PAD, y + CELL_PAD, column - 2 * CELL_PAD);
      x += column;
    }
  cairo_set_line_width (cr, 0.4);
  cairo_set_source_rgb (cr, 0.6, 0.6, 0.6);
  cairo_move_to (cr, 0, y + height);
  cairo_line_to (cr, width, y + height);
  cairo_stroke (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
}

static void
signpost_day_list_print_draw_page (GtkPrintOperation *operation,
                                   GtkPrintContext   *context,
                                   int                page_nr)
{
  SignpostDayListPrint *self = SIGNPOST_DAY_LIST_PRINT (operation);
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double width = gtk_print_context_get_width (context);
  int n_pages = 1;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  if (self->items->len > 0)
    n_pages = g_array_index (self->items, Item, self->items->len - 1).page + 1;
  /* Translators: the printed day list's heading: "Riverside Medical Practice: day list" */
  title = g_strdup_printf (_("%s: day list"), self->practice);
  /* Translators: under the printed heading: "Monday 23 November 2026 · printed 23/11/2026 07:55 · page 1 of 3" */
  subtitle = g_strdup_printf (_("%s · printed %s · page %d of %d"), self->date, self->printed, page_nr + 1, n_pages);
  cairo_set_source_rgb (cr, 0, 0, 0);
  draw_text (cr, context, TITLE_FONT, title, 0, 0, width);
  draw_text (cr, context, TABLE_FONT, subtitle, 0, 22, width);

  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = &g_array_index (self->items, Item, i);

      if (item->page != page_nr)
        continue;
      switch (item->kind)
        {
        case ITEM_SECTION:
          if (item->continued)
            {
              /* Translators: a clinician's table carried on to the next page */
              g_autofree char *text = g_strdup_printf (_("%s (continued)"), item->section->title);
              draw_text (cr, context, SECTION_FONT, text, 0, item->y + 4, width);
            }
          else
            draw_text (cr, context, SECTION_FONT, item->section->title, 0, item->y + 4, width);
          break;
        case ITEM_TABLE_HEADER:
          {
            char *cells[7];
            for (guint c = 0; c < 7; c++)
              cells[c] = (char *) header_cell (c);
            draw_row (cr, context, HEADER_FONT, cells, item->y, item->height, TRUE);
          }
          break;
        case ITEM_ENTRY:
        default:
          draw_row (cr, context, TABLE_FONT, item->entry->cells, item->y, item->height, FALSE);
          break;
        }
    }
}

/* ---- collecting --------------------------------------------------------------------- */

static Entry *
make_entry (SignpostDiaryDay *day,
            SignpostSlot     *slot,
            GDateTime        *now)
{
  Entry *entry = g_new0 (Entry, 1);
  GTimeZone *tz = signpost_diary_day_get_time_zone (day);
  const char * const practices[] = { signpost_record_get_practice_id (SIGNPOST_RECORD (slot)), NULL };
  SignpostSlotBooker booker = { FALSE, practices, now };

  entry->cells[0] = signpost_format_local (signpost_slot_get_start (slot), tz,
                                           signpost_diary_day_get_clocks_change (day) ? "%H:%M %Z" : "%H:%M");
  entry->cells[1] = g_strdup (signpost_slot_mode_label (signpost_slot_get_mode (slot)));
  if (signpost_slot_get_status (slot) == SIGNPOST_SLOT_BOOKED)
    {
      SignpostAppointment *appointment = signpost_diary_day_get_appointment (day, slot);
      SignpostPatient *patient = appointment
        ? signpost_diary_day_get_patient (day, signpost_appointment_get_patient_id (appointment)) : NULL;

      if (patient != NULL)
        {
          entry->cells[2] = signpost_patient_format_name (patient);
          entry->cells[3] = signpost_patient_format_born (patient, now);
          entry->cells[4] = signpost_patient_format_nhs (patient);
        }
      else
        entry->cells[2] = g_strdup (_("Booked (details not on this PC)"));
      entry->cells[5] = g_strdup (appointment ? signpost_appointment_get_reason (appointment) : NULL);
      entry->cells[6] = g_strdup (appointment ? signpost_appointment_status_label (signpost_appointment_get_status (appointment))
                                              : _("Booked"));
    }
  else
    entry->cells[6] = signpost_slot_format_status (slot, &booker, tz);
  for (guint i = 0; i < G_N_ELEMENTS (entry->cells); i++)
    if (entry->cells[i] == NULL)
      entry->cells[i] = g_strdup ("");
  return entry;
}

static void
signpost_day_list_print_finalize (GObject *object)
{
  SignpostDayListPrint *self = SIGNPOST_DAY_LIST_PRINT (object);

  g_clear_pointer (&self->practice, g_free);
  g_clear_pointer (&self->date, g_free);
  g_clear_pointer (&self->printed, g_free);
  g_clear_pointer (&self->sections, g_ptr_array_unref);
  g_clear_pointer (&self->items, g_array_unref);

  G_OBJECT_CLASS (signpost_day_list_print_parent_class)->finalize (object);
}

static void
signpost_day_list_print_class_init (SignpostDayListPrintClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkPrintOperationClass *print_class = GTK_PRINT_OPERATION_CLASS (klass);

  object_class->finalize = signpost_day_list_print_finalize;
  print_class->begin_print = signpost_day_list_print_begin_print;
  print_class->draw_page = signpost_day_list_print_draw_page;
}

static void
signpost_day_list_print_init (SignpostDayListPrint *self)
{
  self->sections = g_ptr_array_new_with_free_func (section_free);
  self->items = g_array_new (FALSE, TRUE, sizeof (Item));
}

SignpostDayListPrint *
signpost_day_list_print_new (SignpostDiaryDay *day,
                             const char       *clinician_id)
{
  SignpostDayListPrint *self;
  SignpostCache *cache;
  GListModel *slots;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr(GtkPaperSize) a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);
  const char *practice_id;
  GDate date;

  g_return_val_if_fail (SIGNPOST_IS_DIARY_DAY (day), NULL);

  self = g_object_new (SIGNPOST_TYPE_DAY_LIST_PRINT, NULL);
  cache = signpost_diary_day_get_cache (day);
  practice_id = signpost_diary_day_get_practice_id (day);
  self->practice = g_strdup (practice_id ? signpost_cache_get_practice_name (cache, practice_id) : NULL);
  if (self->practice == NULL)
    self->practice = g_strdup (_("All practices"));
  if (signpost_date_parse (signpost_diary_day_get_date (day), &date, NULL))
    {
      char buffer[128];
      g_date_strftime (buffer, sizeof buffer, "%A %-d %B %Y", &date);
      self->date = g_strdup (buffer);
    }
  else
    self->date = g_strdup ("");
  self->printed = signpost_format_local (now, signpost_diary_day_get_time_zone (day), "%d/%m/%Y %H:%M");

  /* Clinicians in the diary's column order; each one's slots in time order. */
  slots = signpost_diary_day_get_slots (day);
  for (guint c = 0; c < signpost_diary_day_get_n_columns (day); c++)
    {
      SignpostClinician *clinician = signpost_diary_day_get_column (day, c);
      const char *id = signpost_record_get_id (SIGNPOST_RECORD (clinician));
      g_autofree char *name = NULL;
      Section *section;

      if (clinician_id != NULL && g_strcmp0 (clinician_id, id) != 0)
        continue;
      section = g_new0 (Section, 1);
      section->entries = g_ptr_array_new_with_free_func (entry_free);
      name = signpost_clinician_format_name (clinician);
      if (practice_id == NULL)
        /* Translators: a printed clinician's heading: "Dr Asha Patel (GP) · Riverside Medical Practice" */
        section->title = g_strdup_printf (_("%s (%s) · %s"), name,
                                          signpost_profession_label (signpost_clinician_get_profession (clinician)),
                                          signpost_cache_get_practice_name (cache, signpost_record_get_practice_id (SIGNPOST_RECORD (clinician))));
      else
        /* Translators: a printed clinician's heading: "Dr Asha Patel (GP)" */
        section->title = g_strdup_printf (_("%s (%s)"), name,
                                          signpost_profession_label (signpost_clinician_get_profession (clinician)));
      if (signpost_diary_day_is_on_duty (day, clinician))
        {
          /* Translators: added to the duty doctor's printed heading */
          char *longer = g_strdup_printf (_("%s · duty doctor"), section->title);
          g_free (section->title);
          section->title = longer;
        }
      for (guint i = 0; i < g_list_model_get_n_items (slots); i++)
        {
          g_autoptr(SignpostSlot) slot = g_list_model_get_item (slots, i);
          if (g_strcmp0 (signpost_slot_get_clinician_id (slot), id) == 0)
            {
              g_ptr_array_add (section->entries, make_entry (day, slot, now));
              self->n_entries++;
            }
        }
      g_ptr_array_add (self->sections, section);
    }

  gtk_page_setup_set_paper_size (setup, a4);
  gtk_page_setup_set_orientation (setup, GTK_PAGE_ORIENTATION_PORTRAIT);
  gtk_print_operation_set_default_page_setup (GTK_PRINT_OPERATION (self), setup);
  gtk_print_operation_set_unit (GTK_PRINT_OPERATION (self), GTK_UNIT_POINTS);
  gtk_print_operation_set_embed_page_setup (GTK_PRINT_OPERATION (self), TRUE);
  {
    /* Translators: the print job's name: "Day list, Monday 23 November 2026" */
    g_autofree char *job = g_strdup_printf (_("Day list, %s"), self->date);
    gtk_print_operation_set_job_name (GTK_PRINT_OPERATION (self), job);
  }
  return self;
}

guint
signpost_day_list_print_get_n_entries (SignpostDayListPrint *self)
{
  g_return_val_if_fail (SIGNPOST_IS_DAY_LIST_PRINT (self), 0);
  return self->n_entries;
}
