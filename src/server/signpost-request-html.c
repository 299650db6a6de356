/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "signpost-html.h"
#include "signpost-request-pages-private.h"

/*
 * The building blocks of the online request form's pages, in the style
 * patients know from NHS websites: the page around the content, and the
 * form's controls (radios, text inputs, text areas, checkboxes, a date),
 * each with its label, hint and error message tied together for screen
 * readers. Everything that is not a literal of this file is escaped. No
 * inline styles or scripts (the Content-Security-Policy forbids them);
 * classes from form.css.
 */

/* ---- the page around the content ------------------------------------------- */

void
form_html_page_begin (GString    *out,
                      FormPage   *page,
                      const char *title,
                      gboolean    errors)
{
  const char *practice = page->practice ? signpost_practice_get_name (page->practice) : NULL;

  g_string_append (out, "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n"
                        "<meta charset=\"utf-8\">\n"
                        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                        "<meta name=\"referrer\" content=\"no-referrer\">\n<title>");
  if (errors)
    signpost_html_text (out, _("Error: "));
  signpost_html_text (out, title);
  if (practice != NULL)
    {
      g_string_append (out, " – ");
      signpost_html_text (out, practice);
    }
  g_string_append (out, "</title>\n<link rel=\"stylesheet\" href=\"" SIGNPOST_FORM_PREFIX
                        "assets/form.css\">\n</head>\n<body>\n");
  g_string_append (out, "<a class=\"sp-skip-link\" href=\"#main\">");
  signpost_html_text (out, _("Skip to main content"));
  g_string_append (out, "</a>\n<header class=\"sp-header\"><div class=\"sp-width sp-header__inner\">");
  if (practice != NULL)
    {
      g_string_append (out, "<p class=\"sp-header__practice\">");
      signpost_html_text (out, practice);
      g_string_append (out, "</p>");
    }
  g_string_append (out, "<p class=\"sp-header__service\">");
  signpost_html_text (out, _("Ask your GP practice for help online"));
  g_string_append (out, "</p></div></header>\n<div class=\"sp-width\">\n"
                        "<main class=\"sp-main\" id=\"main\">\n");
}

char *
form_html_page_end (GString *out,
                    gsize   *length)
{
  g_string_append (out, "</main>\n</div>\n<footer class=\"sp-footer\"><div class=\"sp-width\">\n<p>");
  signpost_html_text (out, _("In an emergency, call 999. If you need help urgently and the practice "
                             "is closed, call 111 or go to"));
  g_string_append (out, " <a href=\"https://111.nhs.uk\">111.nhs.uk</a>.</p>\n<p>");
  signpost_html_text (out, _("This form uses one cookie, only to keep your answers safe while you "
                             "fill it in. It does not track you."));
  g_string_append (out, "</p>\n</div></footer>\n</body>\n</html>\n");
  if (length != NULL)
    *length = out->len;
  return g_string_free (out, FALSE);
}

void
form_html_heading (GString    *out,
                   const char *size,
                   const char *text)
{
  g_string_append_printf (out, "<h1 class=\"sp-heading-%s\">", size);
  signpost_html_text (out, text);
  g_string_append (out, "</h1>\n");
}

void
form_html_paragraph (GString    *out,
                     const char *text)
{
  g_string_append (out, "<p>");
  signpost_html_text (out, text);
  g_string_append (out, "</p>\n");
}

void
form_html_inset (GString    *out,
                 const char *text)
{
  g_string_append (out, "<div class=\"sp-inset\"><p>");
  signpost_html_text (out, text);
  g_string_append (out, "</p></div>\n");
}

/* The "call 999 / 111" box every page of the form can show. */
void
form_html_urgent_care (GString *out)
{
  g_string_append (out, "<div class=\"sp-care-card\"><h2 class=\"sp-care-card__heading\">");
  signpost_html_text (out, _("Do not use this form if you need help now"));
  g_string_append (out, "</h2><ul><li>");
  signpost_html_text (out, _("In an emergency, call 999 or go to A&E."));
  g_string_append (out, "</li><li>");
  signpost_html_text (out, _("If you need help urgently but it is not an emergency, call 111 or "
                             "go to 111.nhs.uk."));
  g_string_append (out, "</li></ul></div>\n");
}

/* ---- form parts ------------------------------------------------------------ */

void
form_html_hidden (GString    *out,
                  const char *name,
                  const char *value)
{
  g_string_append (out, "<input type=\"hidden\"");
  signpost_html_attr (out, "name", name);
  signpost_html_attr (out, "value", value);
  g_string_append (out, ">\n");
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

/* The form element, the CSRF token, the honeypot, and every answer not
 * on this page as a hidden field. */
void
form_html_form_begin (GString   *out,
                      FormPage  *page,
                      FormDraft *draft,
                      FormStep   step)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autofree char *action = g_strdup_printf (SIGNPOST_FORM_PREFIX "%s/request/%s", page->ods,
                                             form_step_name (step));
  GHashTableIter iter;
  gpointer key, value;

  g_string_append (out, "<form method=\"post\" novalidate");
  signpost_html_attr (out, "action", action);
  g_string_append (out, ">\n");
  form_html_hidden (out, "csrf", page->csrf_token);
  if (draft != NULL)
    {
      g_hash_table_iter_init (&iter, draft->values);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (!form_field_belongs (key, step) && *(const char *) value != '\0')
          g_ptr_array_add (names, key);
      g_ptr_array_sort (names, compare_strings);
      for (guint i = 0; i < names->len; i++)
        form_html_hidden (out, g_ptr_array_index (names, i),
                g_hash_table_lookup (draft->values, g_ptr_array_index (names, i)));
    }
  /* People never see this field, so only robots fill it in. */
  g_string_append (out, "<div class=\"sp-hp\"><label for=\"website\">");
  signpost_html_text (out, _("Leave this empty"));
  g_string_append (out, "</label><input type=\"text\" id=\"website\" name=\"website\" "
                        "tabindex=\"-1\" autocomplete=\"off\"></div>\n");
}

void
form_html_buttons (GString    *out,
                   const char *primary,
                   const char *primary_value,
                   gboolean    back)
{
  g_string_append (out, "<div class=\"sp-button-group\">\n<button type=\"submit\" class=\"sp-button\" "
                        "name=\"go\"");
  signpost_html_attr (out, "value", primary_value);
  g_string_append (out, ">");
  signpost_html_text (out, primary);
  g_string_append (out, "</button>\n");
  if (back)
    {
      g_string_append (out, "<button type=\"submit\" class=\"sp-button sp-button--secondary\" "
                            "name=\"go\" value=\"back\">");
      signpost_html_text (out, _("Go back"));
      g_string_append (out, "</button>\n");
    }
  g_string_append (out, "</div>\n</form>\n");
}

void
form_html_error_summary (GString   *out,
                         FormDraft *draft)
{
  if (draft == NULL || draft->error_fields->len == 0)
    return;
  g_string_append (out, "<div class=\"sp-error-summary\" role=\"alert\" tabindex=\"-1\" autofocus "
                        "aria-labelledby=\"error-summary-title\">\n"
                        "<h2 class=\"sp-error-summary__title\" id=\"error-summary-title\">");
  signpost_html_text (out, _("There is a problem"));
  g_string_append (out, "</h2>\n<ul class=\"sp-error-summary__list\">\n");
  for (guint i = 0; i < draft->error_fields->len; i++)
    {
      const char *field = g_ptr_array_index (draft->error_fields, i);
      g_autofree char *href = g_strconcat ("#", field, NULL);

      g_string_append (out, "<li><a");
      signpost_html_attr (out, "href", href);
      g_string_append (out, ">");
      signpost_html_text (out, g_hash_table_lookup (draft->errors, field));
      g_string_append (out, "</a></li>\n");
    }
  g_string_append (out, "</ul>\n</div>\n");
}

static const char *
field_error (FormDraft  *draft,
             const char *field)
{
  return draft ? g_hash_table_lookup (draft->errors, field) : NULL;
}

static void
error_message (GString    *out,
               const char *field,
               const char *message)
{
  g_autofree char *id = g_strconcat (field, "-error", NULL);

  g_string_append (out, "<p class=\"sp-error-message\"");
  signpost_html_attr (out, "id", id);
  g_string_append (out, "><span class=\"sp-visually-hidden\">");
  signpost_html_text (out, _("Error:"));
  g_string_append (out, "</span> ");
  signpost_html_text (out, message);
  g_string_append (out, "</p>\n");
}

void
form_html_hint (GString    *out,
                const char *field,
                const char *text)
{
  g_autofree char *id = g_strconcat (field, "-hint", NULL);

  if (text == NULL)
    return;
  g_string_append (out, "<div class=\"sp-hint\"");
  signpost_html_attr (out, "id", id);
  g_string_append (out, ">");
  signpost_html_text (out, text);
  g_string_append (out, "</div>\n");
}

static void
described_by (GString    *out,
              const char *field,
              const char *hint_text,
              const char *error)
{
  g_autofree char *ids = NULL;

  if (hint_text == NULL && error == NULL)
    return;
  ids = g_strconcat (hint_text ? field : "", hint_text ? "-hint" : "",
                     hint_text && error ? " " : "", error ? field : "", error ? "-error" : "", NULL);
  signpost_html_attr (out, "aria-describedby", ids);
}

/* A group of radios (or checkboxes) as a fieldset; @question_is_heading
 * makes the legend the page's h1. */
void
form_html_choices (GString      *out,
                   FormDraft    *draft,
                   const char   *field,
                   const char   *legend,
                   gboolean      question_is_heading,
                   const char   *hint_text,
                   const Option *options,
                   guint         n_options,
                   gboolean      inline_layout)
{
  const char *error = field_error (draft, field);
  const char *current = draft ? form_draft_get (draft, field) : NULL;

  g_string_append_printf (out, "<div class=\"sp-form-group%s\">\n<fieldset class=\"sp-fieldset\"",
                          error ? " sp-form-group--error" : "");
  described_by (out, field, hint_text, error);
  g_string_append (out, ">\n");
  if (question_is_heading)
    {
      g_string_append (out, "<legend class=\"sp-fieldset__legend sp-fieldset__legend--l\">"
                            "<h1 class=\"sp-fieldset__heading\">");
      signpost_html_text (out, legend);
      g_string_append (out, "</h1></legend>\n");
    }
  else
    {
      g_string_append (out, "<legend class=\"sp-fieldset__legend sp-fieldset__legend--s\">");
      signpost_html_text (out, legend);
      g_string_append (out, "</legend>\n");
    }
  form_html_hint (out, field, hint_text);
  if (error != NULL)
    error_message (out, field, error);
  g_string_append_printf (out, "<div class=\"sp-radios%s\">\n", inline_layout ? " sp-radios--inline" : "");
  for (guint i = 0; i < n_options; i++)
    {
      /* The first radio carries the field's id, for the error summary's link. */
      g_autofree char *id = i == 0 ? g_strdup (field) : g_strdup_printf ("%s-%u", field, i + 1);
      g_autofree char *hint_id = g_strconcat (id, "-item-hint", NULL);

      g_string_append (out, "<div class=\"sp-radios__item\">\n<input class=\"sp-radios__input\" type=\"radio\"");
      signpost_html_attr (out, "id", id);
      signpost_html_attr (out, "name", field);
      signpost_html_attr (out, "value", options[i].value);
      if (options[i].hint != NULL)
        signpost_html_attr (out, "aria-describedby", hint_id);
      if (g_strcmp0 (current, options[i].value) == 0)
        g_string_append (out, " checked");
      g_string_append (out, ">\n<label class=\"sp-label sp-radios__label\"");
      signpost_html_attr (out, "for", id);
      g_string_append (out, ">");
      signpost_html_text (out, options[i].label);
      g_string_append (out, "</label>\n");
      if (options[i].hint != NULL)
        {
          g_string_append (out, "<div class=\"sp-hint sp-radios__hint\"");
          signpost_html_attr (out, "id", hint_id);
          g_string_append (out, ">");
          signpost_html_text (out, options[i].hint);
          g_string_append (out, "</div>\n");
        }
      g_string_append (out, "</div>\n");
    }
  g_string_append (out, "</div>\n</fieldset>\n</div>\n");
}

void
form_html_text_input (GString            *out,
                      FormDraft          *draft,
                      const char         *field,
                      const char         *label,
                      const char         *hint_text,
                      const InputOptions *options)
{
  const char *error = field_error (draft, field);
  const char *value = draft ? form_draft_get (draft, field) : NULL;

  g_string_append_printf (out, "<div class=\"sp-form-group%s\">\n<label class=\"sp-label\"",
                          error ? " sp-form-group--error" : "");
  signpost_html_attr (out, "for", field);
  g_string_append (out, ">");
  signpost_html_text (out, label);
  g_string_append (out, "</label>\n");
  form_html_hint (out, field, hint_text);
  if (error != NULL)
    error_message (out, field, error);
  g_string_append_printf (out, "<input class=\"sp-input%s%s%s\"", options->width ? " " : "",
                          options->width ? options->width : "", error ? " sp-input--error" : "");
  signpost_html_attr (out, "type", options->type ? options->type : "text");
  signpost_html_attr (out, "id", field);
  signpost_html_attr (out, "name", field);
  if (value != NULL)
    signpost_html_attr (out, "value", value);
  if (options->autocomplete != NULL)
    signpost_html_attr (out, "autocomplete", options->autocomplete);
  if (options->inputmode != NULL)
    signpost_html_attr (out, "inputmode", options->inputmode);
  if (options->maxlength > 0)
    g_string_append_printf (out, " maxlength=\"%u\"", options->maxlength);
  if (error != NULL)
    g_string_append (out, " aria-invalid=\"true\"");
  described_by (out, field, hint_text, error);
  g_string_append (out, " spellcheck=\"false\">\n</div>\n");
}

void
form_html_textarea (GString    *out,
                    FormDraft  *draft,
                    const char *field,
                    const char *label,
                    gboolean    label_is_heading,
                    const char *hint_text,
                    guint       rows,
                    guint       maxlength)
{
  const char *error = field_error (draft, field);
  const char *value = draft ? form_draft_get (draft, field) : NULL;

  g_string_append_printf (out, "<div class=\"sp-form-group%s\">\n", error ? " sp-form-group--error" : "");
  if (label_is_heading)
    g_string_append (out, "<h1 class=\"sp-label-wrapper\">");
  g_string_append_printf (out, "<label class=\"sp-label%s\"", label_is_heading ? " sp-label--l" : "");
  signpost_html_attr (out, "for", field);
  g_string_append (out, ">");
  signpost_html_text (out, label);
  g_string_append (out, "</label>");
  if (label_is_heading)
    g_string_append (out, "</h1>");
  g_string_append (out, "\n");
  form_html_hint (out, field, hint_text);
  if (error != NULL)
    error_message (out, field, error);
  g_string_append_printf (out, "<textarea class=\"sp-textarea%s\" rows=\"%u\" maxlength=\"%u\"",
                          error ? " sp-textarea--error" : "", rows, maxlength);
  signpost_html_attr (out, "id", field);
  signpost_html_attr (out, "name", field);
  if (error != NULL)
    g_string_append (out, " aria-invalid=\"true\"");
  described_by (out, field, hint_text, error);
  g_string_append (out, ">");
  signpost_html_text (out, value);
  g_string_append (out, "</textarea>\n</div>\n");
}

void
form_html_checkbox (GString    *out,
                    FormDraft  *draft,
                    const char *field,
                    const char *label)
{
  g_string_append (out, "<div class=\"sp-checkboxes__item\">\n<input class=\"sp-checkboxes__input\" "
                        "type=\"checkbox\" value=\"yes\"");
  signpost_html_attr (out, "id", field);
  signpost_html_attr (out, "name", field);
  if (draft != NULL && form_draft_get (draft, field) != NULL)
    g_string_append (out, " checked");
  g_string_append (out, ">\n<label class=\"sp-label sp-checkboxes__label\"");
  signpost_html_attr (out, "for", field);
  g_string_append (out, ">");
  signpost_html_text (out, label);
  g_string_append (out, "</label>\n</div>\n");
}

void
form_html_date_input (GString    *out,
                      FormDraft  *draft,
                      const char *legend,
                      const char *hint_text)
{
  const char *error = field_error (draft, "dob_day");
  static const struct { const char *field; const char *label; const char *autocomplete; const char *width; guint max; } parts[] = {
    { "dob_day", N_("Day"), "bday-day", "sp-input--width-2", 2 },
    { "dob_month", N_("Month"), "bday-month", "sp-input--width-2", 2 },
    { "dob_year", N_("Year"), "bday-year", "sp-input--width-4", 4 },
  };

  g_string_append_printf (out, "<div class=\"sp-form-group%s\">\n<fieldset class=\"sp-fieldset\" role=\"group\"",
                          error ? " sp-form-group--error" : "");
  described_by (out, "dob", hint_text, NULL);
  if (error != NULL)
    signpost_html_attr (out, "aria-errormessage", "dob_day-error");
  g_string_append (out, ">\n<legend class=\"sp-fieldset__legend sp-fieldset__legend--s\">");
  signpost_html_text (out, legend);
  g_string_append (out, "</legend>\n");
  form_html_hint (out, "dob", hint_text);
  if (error != NULL)
    error_message (out, "dob_day", error);
  g_string_append (out, "<div class=\"sp-date-input\">\n");
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      const char *value = draft ? form_draft_get (draft, parts[i].field) : NULL;

      g_string_append (out, "<div class=\"sp-date-input__item\">\n<label class=\"sp-label sp-date-input__label\"");
      signpost_html_attr (out, "for", parts[i].field);
      g_string_append (out, ">");
      signpost_html_text (out, _(parts[i].label));
      g_string_append_printf (out, "</label>\n<input class=\"sp-input %s%s\" type=\"text\" inputmode=\"numeric\" "
                                   "maxlength=\"%u\"", parts[i].width, error ? " sp-input--error" : "",
                              parts[i].max);
      signpost_html_attr (out, "id", parts[i].field);
      signpost_html_attr (out, "name", parts[i].field);
      signpost_html_attr (out, "autocomplete", parts[i].autocomplete);
      if (value != NULL)
        signpost_html_attr (out, "value", value);
      if (error != NULL)
        g_string_append (out, " aria-invalid=\"true\"");
      g_string_append (out, ">\n</div>\n");
    }
  g_string_append (out, "</div>\n</fieldset>\n</div>\n");
}
