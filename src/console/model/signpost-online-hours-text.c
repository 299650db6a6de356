/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "signpost-online-hours-text.h"

typedef struct {
  int opens;
  int closes;
} Span;

static int
compare_spans (gconstpointer a,
               gconstpointer b)
{
  return ((const Span *) a)->opens - ((const Span *) b)->opens;
}

char *
signpost_online_hours_text_for_day (GListModel      *hours,
                                    SignpostWeekday  day)
{
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (Span));
  GString *text = g_string_new (NULL);

  for (guint i = 0; hours != NULL && i < g_list_model_get_n_items (hours); i++)
    {
      g_autoptr(SignpostOpeningHours) opening = g_list_model_get_item (hours, i);
      Span span;

      if (signpost_opening_hours_get_day (opening) != day ||
          !signpost_time_of_day_parse (signpost_opening_hours_get_opens (opening), &span.opens) ||
          !signpost_time_of_day_parse (signpost_opening_hours_get_closes (opening), &span.closes))
        continue;
      g_array_append_val (spans, span);
    }
  g_array_sort (spans, compare_spans);
  for (guint i = 0; i < spans->len; i++)
    {
      Span *span = &g_array_index (spans, Span, i);
      g_autofree char *opens = signpost_time_of_day_format (span->opens);
      g_autofree char *closes = signpost_time_of_day_format (span->closes);

      g_string_append_printf (text, "%s%s–%s", i ? ", " : "", opens, closes);
    }
  return g_string_free (text, FALSE);
}

/* "8:00" or "08:00" */
static gboolean
parse_time (const char *text,
            int        *minutes)
{
  g_autofree char *padded = strlen (text) == 4 && text[1] == ':' ? g_strconcat ("0", text, NULL)
                                                                 : g_strdup (text);

  return signpost_time_of_day_parse (padded, minutes);
}

gboolean
signpost_online_hours_text_parse (const char       *text,
                                  SignpostWeekday   day,
                                  GListStore       *store,
                                  GError          **error)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (Span));

  g_return_val_if_fail (G_IS_LIST_STORE (store), FALSE);

  if (text == NULL)
    return TRUE;
  parts = g_strsplit (text, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *part = g_strstrip (g_strdup (parts[i]));
      g_autofree char *dashes = NULL;
      g_auto(GStrv) ends = NULL;
      Span span;

      if (*part == '\0')
        continue;
      /* Dashes of any kind, or "to", between the two times. */
      {
        g_autoptr(GRegex) between = g_regex_new ("\\s*(–|—|-|\\bto\\b)\\s*", 0, 0, NULL);
        dashes = g_regex_replace_literal (between, part, -1, 0, "|", 0, NULL);
      }
      ends = g_strsplit (dashes ? dashes : part, "|", -1);
      if (g_strv_length (ends) != 2 || !parse_time (g_strstrip (ends[0]), &span.opens) ||
          !parse_time (g_strstrip (ends[1]), &span.closes))
        {
          g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                       _("“%s” is not an opening time: write it as 08:00–18:30 (24-hour clock)."), part);
          return FALSE;
        }
      if (span.closes <= span.opens)
        {
          g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                       _("In “%s” the form would close before it opens."), part);
          return FALSE;
        }
      g_array_append_val (spans, span);
    }
  g_array_sort (spans, compare_spans);
  for (guint i = 1; i < spans->len; i++)
    if (g_array_index (spans, Span, i).opens < g_array_index (spans, Span, i - 1).closes)
      {
        g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                             _("Two of these openings overlap."));
        return FALSE;
      }
  /* Nothing is added unless all of it is right. */
  for (guint i = 0; i < spans->len; i++)
    {
      Span *span = &g_array_index (spans, Span, i);
      g_autoptr(SignpostOpeningHours) opening = NULL;
      g_autofree char *opens = NULL;
      g_autofree char *closes = NULL;

      opening = signpost_opening_hours_new ();
      opens = signpost_time_of_day_format (span->opens);
      closes = signpost_time_of_day_format (span->closes);
      signpost_opening_hours_set_day (opening, day);
      signpost_opening_hours_set_opens (opening, opens);
      signpost_opening_hours_set_closes (opening, closes);
      g_list_store_append (store, opening);
    }
  return TRUE;
}

char *
signpost_online_dates_text (const char * const *dates)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; dates != NULL && dates[i] != NULL; i++)
    {
      GDate date;

      if (!signpost_date_parse (dates[i], &date, NULL))
        continue;
      g_string_append_printf (text, "%s%02d/%02d/%04d", text->len ? ", " : "", g_date_get_day (&date),
                              g_date_get_month (&date), g_date_get_year (&date));
    }
  return g_string_free (text, FALSE);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GStrv
signpost_online_dates_text_parse (const char  *text,
                                  GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (text ? text : "", ",", -1);
  g_autoptr(GPtrArray) dates = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *part = g_strstrip (g_strdup (parts[i]));
      int day, month, year;
      char extra;
      GDate date;
      char *iso;

      if (*part == '\0')
        continue;
      g_date_clear (&date, 1);
      if (sscanf (part, "%d/%d/%d%c", &day, &month, &year, &extra) == 3 &&
          year >= 2000 && year < 3000 && g_date_valid_dmy (day, month, year))
        g_date_set_dmy (&date, day, month, year);
      else if (!signpost_date_parse (part, &date, NULL))
        {
          g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                       _("“%s” is not a date: write dates as 24/12/2026, with commas between them."), part);
          return NULL;
        }
      iso = signpost_date_format (&date);
      if (!g_ptr_array_find_with_equal_func (dates, iso, g_str_equal, NULL))
        g_ptr_array_add (dates, iso);
      else
        g_free (iso);
    }
  g_ptr_array_sort (dates, compare_strings);
  g_ptr_array_add (dates, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&dates), FALSE);
}
