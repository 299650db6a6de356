/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "signpost-accessible.h"
#include "signpost-caller-popup-private.h"

/* The caller popup's registering of a temporary patient: the names taken
 * from what was searched, the date of birth checked as it is typed, the
 * fields checked at saving, and the caller linked to the new record. */

/* "smith" → surname; "ann smith" → first name and surname; "smith, ann"
 * → surname, first name. Words with digits (a date, a number, a
 * postcode) are not names. */
static void
names_from_search (const char  *text,
                   char       **given,
                   char       **family)
{
  g_auto(GStrv) parts = g_strsplit (text ? text : "", ",", 2);
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  gboolean comma = parts[0] != NULL && parts[1] != NULL;

  for (guint p = 0; parts[p] != NULL; p++)
    {
      g_auto(GStrv) tokens = g_strsplit_set (parts[p], " \t", -1);

      for (guint i = 0; tokens[i] != NULL; i++)
        {
          gboolean name = *tokens[i] != '\0';

          for (const char *c = tokens[i]; *c != '\0' && name; c = g_utf8_next_char (c))
            name = !g_unichar_isdigit (g_utf8_get_char (c)) && *c != '/' && *c != '+';
          if (!name)
            continue;
          /* Typed in lower case: written as a name. */
          if (g_utf8_validate (tokens[i], -1, NULL))
            {
              g_autofree char *lower = g_utf8_strdown (tokens[i], -1);

              if (g_str_equal (lower, tokens[i]))
                {
                  gunichar first = g_unichar_totitle (g_utf8_get_char (tokens[i]));
                  char buf[8] = { 0 };

                  g_unichar_to_utf8 (first, buf);
                  g_ptr_array_add (words, g_strconcat (buf, g_utf8_next_char (tokens[i]), NULL));
                  continue;
                }
            }
          g_ptr_array_add (words, g_strdup (tokens[i]));
        }
      if (comma && p == 0)
        g_ptr_array_add (words, NULL);  /* the comma */
    }

  *given = NULL;
  *family = NULL;
  if (comma)
    {
      g_autoptr(GString) before = g_string_new (NULL);
      g_autoptr(GString) after = g_string_new (NULL);
      gboolean past = FALSE;

      for (guint i = 0; i < words->len; i++)
        {
          const char *word = g_ptr_array_index (words, i);
          GString *into = past ? after : before;

          if (word == NULL)
            {
              past = TRUE;
              continue;
            }
          if (into->len > 0)
            g_string_append_c (into, ' ');
          g_string_append (into, word);
        }
      *family = g_string_free (g_steal_pointer (&before), FALSE);
      *given = g_string_free (g_steal_pointer (&after), FALSE);
      return;
    }
  if (words->len == 0)
    return;
  *family = g_strdup (g_ptr_array_index (words, words->len - 1));
  if (words->len > 1)
    {
      g_ptr_array_set_size (words, words->len - 1);
      g_ptr_array_add (words, NULL);
      *given = g_strjoinv (" ", (char **) words->pdata);
    }
}

static void
clear_field_error (SignpostCallerPopup *self)
{
  AdwEntryRow *rows[] = { self->given_row, self->family_row, self->dob_row, self->postcode_row, self->phone_row };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (rows[i]), "error");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (rows[i]), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->register_error), FALSE);
}

void
signpost_caller_popup_register_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *parameter)
{
  SignpostCallerPopup *self = SIGNPOST_CALLER_POPUP (widget);
  g_autofree char *national = self->number ? signpost_phone_format (self->number) : NULL;
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autoptr(SignpostPatientQuery) query = signpost_patient_query_parse (typed);
  g_autofree char *given = NULL;
  g_autofree char *family = NULL;
  g_autofree char *dob = NULL;

  /* What was typed in the search is not typed again. */
  names_from_search (typed, &given, &family);
  if (query != NULL && query->dob != NULL)
    {
      int y, m, d;

      if (sscanf (query->dob, "%4d-%2d-%2d", &y, &m, &d) == 3)
        dob = g_strdup_printf ("%02d/%02d/%04d", d, m, y);
    }
  gtk_editable_set_text (GTK_EDITABLE (self->given_row), given ? given : "");
  gtk_editable_set_text (GTK_EDITABLE (self->family_row), family ? family : "");
  gtk_editable_set_text (GTK_EDITABLE (self->dob_row), dob ? dob : "");
  adw_combo_row_set_selected (self->sex_row, 0);
  gtk_editable_set_text (GTK_EDITABLE (self->postcode_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->phone_row), national ? national : "");
  clear_field_error (self);
  gtk_stack_set_visible_child_name (self->content_stack, "register");
  signpost_caller_popup_update_header (self);
  /* The keyboard goes to the first field still to fill. */
  if (given == NULL || *given == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->given_row));
  else if (family == NULL || *family == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->family_row));
  else if (dob == NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->dob_row));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->sex_row));
}

void
signpost_caller_popup_search_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  SignpostCallerPopup *self = SIGNPOST_CALLER_POPUP (widget);

  gtk_stack_set_visible_child_name (self->content_stack, "search");
  signpost_caller_popup_update_header (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Said at the field: the row turns to its error style and carries the
 * message (a screen reader reads it with the field), and the message
 * shows under the form. */
static void
register_failed (SignpostCallerPopup *self,
                 const char          *message,
                 AdwEntryRow         *row)
{
  clear_field_error (self);
  signpost_caller_popup_set_label (self->register_error, message);
  gtk_widget_set_visible (GTK_WIDGET (self->register_error), TRUE);
  if (row != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
      gtk_widget_grab_focus (GTK_WIDGET (row));
    }
}

/* A date written day/month/year that is no date: "31/02/1980". NULL if
 * the text is a date or not written as one. */
static char *
impossible_date (const char *text)
{
  int d, m, y;
  char sep1, sep2, rest;

  if (text == NULL || sscanf (text, " %d%c%d%c%d %c", &d, &sep1, &m, &sep2, &y, &rest) != 5)
    return NULL;
  if ((sep1 != '/' && sep1 != '.' && sep1 != '-') || sep2 != sep1)
    return NULL;
  if (y < 100)
    return NULL;  /* a two-figure year: the search's rules say which century */
  if (m < 1 || m > 12)
    /* Translators: a date of birth with no such month */
    return g_strdup_printf (_("There is no month %d: type the date of birth as day, month and year, such as 12/03/1980."), m);
  if (y < 1 || y > 9999 || !g_date_valid_dmy ((GDateDay) CLAMP (d, 0, 255), (GDateMonth) m, (GDateYear) y))
    {
      g_autoptr(GDateTime) first = g_date_time_new_local (2000, m, 1, 0, 0, 0);
      g_autofree char *month = first ? g_date_time_format (first, "%B") : g_strdup_printf ("%d", m);

      /* Translators: "There is no 31 February: check the day and the month." */
      return g_strdup_printf (_("There is no %d %s: check the day and the month."), d, month);
    }
  return NULL;
}

void
signpost_caller_popup_on_dob_changed (SignpostCallerPopup *self)
{
  g_autofree char *problem = impossible_date (gtk_editable_get_text (GTK_EDITABLE (self->dob_row)));

  /* Said as soon as the date is whole, the keyboard staying put. */
  if (problem != NULL)
    {
      register_failed (self, problem, NULL);
      gtk_widget_add_css_class (GTK_WIDGET (self->dob_row), "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->dob_row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      problem, -1);
    }
  else if (gtk_widget_has_css_class (GTK_WIDGET (self->dob_row), "error"))
    clear_field_error (self);
}

/* Enter in any field confirms, as the popup says. */
void
signpost_caller_popup_on_register_entry_activated (SignpostCallerPopup *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "caller.save-temporary", NULL);
}

/* A temporary patient (no NHS number yet), created through the outbox:
 * offline too. */
void
signpost_caller_popup_save_temporary_action (GtkWidget  *widget,
                                             const char *action_name,
                                             GVariant   *parameter)
{
  SignpostCallerPopup *self = SIGNPOST_CALLER_POPUP (widget);
  g_autofree char *given = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->given_row))));
  g_autofree char *family = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->family_row))));
  const char *phone_text = gtk_editable_get_text (GTK_EDITABLE (self->phone_row));
  g_autoptr(SignpostPatientQuery) query = signpost_patient_query_parse (gtk_editable_get_text (GTK_EDITABLE (self->dob_row)));
  g_autoptr(SignpostPatient) patient = NULL;
  g_autoptr(GListStore) phones = g_list_store_new (SIGNPOST_TYPE_PHONE);
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *name = NULL;
  g_autofree char *label = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *typed_postcode = NULL;
  g_autofree char *postcode = NULL;
  const char *practice_id = self->practice_id ? self->practice_id : signpost_caller_popup_practice_in_view (self);
  static const SignpostSex sexes[] = { SIGNPOST_SEX_UNKNOWN, SIGNPOST_SEX_FEMALE, SIGNPOST_SEX_MALE, SIGNPOST_SEX_OTHER };
  guint sex = adw_combo_row_get_selected (self->sex_row);

  if (*given == '\0')
    {
      register_failed (self, _("Type the patient’s first name."), self->given_row);
      return;
    }
  if (*family == '\0')
    {
      register_failed (self, _("Type the patient’s surname."), self->family_row);
      return;
    }
  {
    g_autofree char *problem = impossible_date (gtk_editable_get_text (GTK_EDITABLE (self->dob_row)));

    if (problem != NULL)
      {
        register_failed (self, problem, self->dob_row);
        return;
      }
  }
  if (query == NULL || query->dob == NULL || query->name_tokens->len > 0)
    {
      register_failed (self, _("Type the date of birth as day, month and year, such as 12/03/1980."),
                       self->dob_row);
      return;
    }
  {
    g_autoptr(GDateTime) today = g_date_time_new_now_local ();
    g_autofree char *today_text = g_date_time_format (today, "%Y-%m-%d");

    if (strcmp (query->dob, today_text) > 0)
      {
        register_failed (self, _("That date of birth is in the future: check the year."), self->dob_row);
        return;
      }
  }
  typed_postcode = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->postcode_row))));
  postcode = g_ascii_strup (typed_postcode, -1);
  if (*postcode != '\0' && !signpost_format_check (SIGNPOST_FORMAT_POSTCODE, postcode, NULL))
    {
      /* Written with the space where it belongs: "sw1a1aa" → "SW1A 1AA". */
      g_autoptr(GString) packed = g_string_new (NULL);
      g_autofree char *spaced = NULL;

      for (const char *c = postcode; *c != '\0'; c++)
        if (*c != ' ')
          g_string_append_c (packed, *c);
      if (packed->len >= 5)
        spaced = g_strdup_printf ("%.*s %s", (int) packed->len - 3, packed->str, packed->str + packed->len - 3);
      if (spaced == NULL || !signpost_format_check (SIGNPOST_FORMAT_POSTCODE, spaced, NULL))
        {
          register_failed (self, _("That postcode does not look right, such as SW1A 1AA. Check it, or leave it empty."),
                           self->postcode_row);
          return;
        }
      g_free (postcode);
      postcode = g_steal_pointer (&spaced);
    }
  if (*phone_text != '\0')
    {
      g_autofree char *number = signpost_phone_normalise (phone_text, NULL);
      g_autoptr(SignpostPhone) phone = signpost_phone_new ();

      if (number == NULL)
        {
          register_failed (self, _("That phone number does not look right. Check it, or leave it empty."),
                           self->phone_row);
          return;
        }
      signpost_phone_set_number (phone, number);
      signpost_phone_set_kind (phone, g_str_has_prefix (number, "+447") ? SIGNPOST_PHONE_KIND_MOBILE
                                                                         : SIGNPOST_PHONE_KIND_HOME);
      g_list_store_append (phones, phone);
    }
  if (practice_id == NULL)
    {
      GListModel *practices = signpost_actions_get_practices (self->actions);
      g_autoptr(SignpostPractice) first = g_list_model_get_item (practices, 0);
      practice_id = first ? signpost_record_get_id (SIGNPOST_RECORD (first)) : NULL;
    }

  patient = signpost_patient_new ();
  signpost_record_set_id (SIGNPOST_RECORD (patient), id);
  signpost_record_set_practice_id (SIGNPOST_RECORD (patient), practice_id);
  signpost_patient_set_given_name (patient, given);
  signpost_patient_set_family_name (patient, family);
  signpost_patient_set_date_of_birth (patient, query->dob);
  signpost_patient_set_sex (patient, sex < G_N_ELEMENTS (sexes) ? sexes[sex] : SIGNPOST_SEX_UNKNOWN);
  if (*postcode != '\0')
    signpost_patient_set_postcode (patient, postcode);
  signpost_patient_set_phones (patient, G_LIST_MODEL (phones));
  signpost_patient_set_temporary (patient, TRUE);
  if (!signpost_object_validate (SIGNPOST_OBJECT (patient), &error))
    {
      register_failed (self, error->message, NULL);
      return;
    }

  name = signpost_patient_format_name (patient);
  /* Translators: what the outbox and the problems list call it */
  label = g_strdup_printf (_("Registered %s as a temporary patient"), name);
  if (!signpost_actions_register_temporary_patient (self->actions, patient, label, &error))
    {
      register_failed (self, error->message, NULL);
      return;
    }
  signpost_caller_popup_link_and_open (self, patient);
}

/* ---- keys ----------------------------------------------------------------------------------- */
