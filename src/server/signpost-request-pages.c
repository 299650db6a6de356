/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "signpost-html.h"
#include "signpost-request-form-private.h"

/*
 * The pages of the online request form, in the style patients know from
 * NHS websites: one question a page where it can be, a heading that is
 * the question, hints under labels, an error summary at the top that
 * links to each field, big targets, and plain English. Everything that
 * is not a literal of this file is escaped. No inline styles or scripts
 * (the Content-Security-Policy forbids them); classes from form.css.
 */

typedef struct {
  const char *value;
  const char *label;
  const char *hint;
} Option;

/* ---- words ----------------------------------------------------------------- */

char *
form_practice_phone (SignpostPractice *practice)
{
  const char * const *lines = practice ? signpost_practice_get_lines (practice) : NULL;

  if (lines == NULL || lines[0] == NULL)
    return NULL;
  return signpost_phone_format (lines[0]);
}

/* "8am", "6:30pm" */
static char *
clock_time (GDateTime *local)
{
  int hour = g_date_time_get_hour (local), minute = g_date_time_get_minute (local);
  int twelve = hour % 12 == 0 ? 12 : hour % 12;
  const char *suffix = hour < 12 ? "am" : "pm";

  if (hour == 0 && minute == 0)
    return g_strdup (_("midnight"));
  if (hour == 12 && minute == 0)
    return g_strdup (_("midday"));
  if (minute == 0)
    return g_strdup_printf ("%d%s", twelve, suffix);
  return g_strdup_printf ("%d:%02d%s", twelve, minute, suffix);
}

/* "8am today", "6:30pm tomorrow", "8am on Monday 23 November" */
char *
form_format_when (GDateTime *instant,
                  GTimeZone *tz,
                  GDateTime *now)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (instant, tz);
  g_autofree char *time = clock_time (local);
  g_autofree char *day = NULL;
  GDate date, today;
  int days;

  signpost_local_date (instant, tz, &date);
  signpost_local_date (now, tz, &today);
  days = (int) g_date_get_julian (&date) - (int) g_date_get_julian (&today);
  if (days == 0)
    /* Translators: a time, then "today": "8am today" */
    return g_strdup_printf (_("%s today"), time);
  if (days == 1)
    return g_strdup_printf (_("%s tomorrow"), time);
  day = g_date_time_format (local, "%A %-d %B");
  /* Translators: a time and a day: "8am on Monday 23 November" */
  return g_strdup_printf (_("%s on %s"), time, day);
}

/* ---- the page around the content ------------------------------------------- */

static void
page_begin (GString    *out,
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

static char *
page_end (GString *out,
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

static void
heading (GString    *out,
         const char *size,
         const char *text)
{
  g_string_append_printf (out, "<h1 class=\"sp-heading-%s\">", size);
  signpost_html_text (out, text);
  g_string_append (out, "</h1>\n");
}

static void
paragraph (GString    *out,
           const char *text)
{
  g_string_append (out, "<p>");
  signpost_html_text (out, text);
  g_string_append (out, "</p>\n");
}

static void
inset (GString    *out,
       const char *text)
{
  g_string_append (out, "<div class=\"sp-inset\"><p>");
  signpost_html_text (out, text);
  g_string_append (out, "</p></div>\n");
}

/* The "call 999 / 111" box every page of the form can show. */
static void
urgent_care (GString *out)
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

static void
hidden (GString    *out,
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
static void
form_begin (GString   *out,
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
  hidden (out, "csrf", page->csrf_token);
  if (draft != NULL)
    {
      g_hash_table_iter_init (&iter, draft->values);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (!form_field_belongs (key, step) && *(const char *) value != '\0')
          g_ptr_array_add (names, key);
      g_ptr_array_sort (names, compare_strings);
      for (guint i = 0; i < names->len; i++)
        hidden (out, g_ptr_array_index (names, i),
                g_hash_table_lookup (draft->values, g_ptr_array_index (names, i)));
    }
  /* People never see this field, so only robots fill it in. */
  g_string_append (out, "<div class=\"sp-hp\"><label for=\"website\">");
  signpost_html_text (out, _("Leave this empty"));
  g_string_append (out, "</label><input type=\"text\" id=\"website\" name=\"website\" "
                        "tabindex=\"-1\" autocomplete=\"off\"></div>\n");
}

static void
buttons (GString    *out,
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

static void
error_summary (GString   *out,
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

static void
hint (GString    *out,
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
static void
choices (GString      *out,
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
  hint (out, field, hint_text);
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

typedef struct {
  const char *autocomplete;
  const char *inputmode;
  const char *width;          /* a class: sp-input--width-10 … */
  const char *type;           /* "text", "tel" */
  guint maxlength;
} InputOptions;

static void
text_input (GString            *out,
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
  hint (out, field, hint_text);
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

static void
textarea (GString    *out,
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
  hint (out, field, hint_text);
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

static void
checkbox (GString    *out,
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

static void
date_input (GString    *out,
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
  hint (out, "dob", hint_text);
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

/* ---- the steps ------------------------------------------------------------- */

static gboolean
for_someone_else (FormDraft *draft)
{
  return g_strcmp0 (form_draft_get (draft, "who"), "other") == 0;
}

static const char *
step_title (FormDraft *draft,
            FormStep   step)
{
  switch (step)
    {
    case FORM_STEP_AGE:
      return _("How old is the person the request is about?");
    case FORM_STEP_EMERGENCY:
      return _("Does the person have any of these right now?");
    case FORM_STEP_WHO:
      return _("Who is this request for?");
    case FORM_STEP_ABOUT_YOU:
      return _("About you");
    case FORM_STEP_PATIENT:
      return for_someone_else (draft) ? _("Their details") : _("Your details");
    case FORM_STEP_TYPE:
      return _("What is your request about?");
    case FORM_STEP_DETAILS:
      return _("Tell us what you need");
    case FORM_STEP_CONTACT:
      return _("How should we contact you?");
    case FORM_STEP_CHECK:
      return _("Check your answers before sending your request");
    case FORM_STEP_START:
    case FORM_N_STEPS:
    default:
      return _("Ask your GP practice for help online");
    }
}

static void
step_emergency (GString   *out,
                FormPage  *page,
                FormDraft *draft)
{
  g_autoptr(GTimeZone) tz = signpost_online_practice_time_zone (page->practice);
  g_autoptr(GPtrArray) flags = form_flags_to_ask (draft, page->now, tz);
  Option yes_no[] = { { "yes", _("Yes"), NULL }, { "no", _("No"), NULL } };

  heading (out, "l", step_title (draft, FORM_STEP_EMERGENCY));
  if (draft->notice != NULL)
    inset (out, draft->notice);
  paragraph (out, _("Answer each question. If you answer yes to any of them, we will tell you who "
                    "to call now: these cannot wait for the practice to read a request."));
  for (guint i = 0; i < flags->len; i++)
    {
      const SignpostRedFlag *flag = g_ptr_array_index (flags, i);
      g_autofree char *field = g_strconcat ("rf_", flag->key, NULL);

      choices (out, draft, field, signpost_red_flag_get_question (flag), FALSE, NULL, yes_no,
               G_N_ELEMENTS (yes_no), TRUE);
    }
}

static void
step_patient (GString   *out,
              FormDraft *draft)
{
  gboolean other = for_someone_else (draft);
  InputOptions name = { NULL, NULL, "sp-input--width-20", "text", 100 };
  InputOptions postcode = { other ? NULL : "postal-code", NULL, "sp-input--width-10", "text", 10 };
  InputOptions phone = { other ? NULL : "tel", "tel", "sp-input--width-20", "tel", 20 };
  InputOptions nhs = { NULL, "numeric", "sp-input--width-10", "text", 12 };

  heading (out, "l", step_title (draft, FORM_STEP_PATIENT));
  paragraph (out, other ? _("Tell us about the person the request is for, as the practice knows them.")
                        : _("Tell us about yourself, as the practice knows you."));
  name.autocomplete = other ? NULL : "given-name";
  text_input (out, draft, "given_name", _("First name"), NULL, &name);
  name.autocomplete = other ? NULL : "family-name";
  text_input (out, draft, "family_name", _("Last name"), NULL, &name);
  date_input (out, draft, _("Date of birth"), _("For example, 27 3 1985"));
  text_input (out, draft, "postcode", _("Postcode"), _("The postcode of the home address the practice has"),
              &postcode);
  text_input (out, draft, "phone", _("Phone number (optional)"),
              other ? _("Their mobile or home number, if they have one") : _("Your mobile or home number"),
              &phone);
  text_input (out, draft, "nhs_number", _("NHS number (optional)"),
              _("This is a 10 digit number, like 999 000 0018. You can find it on a letter from the "
                "NHS or in the NHS App. Leave it empty if you do not know it."), &nhs);
}

static void
step_details (GString   *out,
              FormDraft *draft)
{
  gboolean medical = g_strcmp0 (form_draft_get (draft, "kind"), "medical") == 0;
  InputOptions duration = { NULL, NULL, "sp-input--width-20", "text", 200 };

  textarea (out, draft, "reason", step_title (draft, FORM_STEP_DETAILS), TRUE,
            medical ? _("Describe the problem in your own words: what is wrong, and anything that "
                        "makes it better or worse. Do not include anything urgent: call 111 or 999.")
                    : _("Tell us what you need in your own words, for example the medicines you "
                        "need or the form you need filling in."),
            8, 4000);
  if (medical)
    text_input (out, draft, "duration", _("How long has this been going on?"),
                _("For example, 3 days or since last summer"), &duration);
  textarea (out, draft, "hoped", _("What would you like us to do? (optional)"), FALSE,
            _("For example, a phone call with a doctor, a prescription or some advice"), 3, 1000);
}

static void
step_contact (GString   *out,
              FormDraft *draft)
{
  Option methods[] = {
    { "phone", _("A phone call"), NULL },
    { "text", _("A text message"), _("We may still need to call you") },
  };
  Option yes_no[] = { { "yes", _("Yes"), NULL }, { "no", _("No"), NULL } };
  InputOptions number = { "tel", "tel", "sp-input--width-20", "tel", 20 };

  /* The number from the patient's details, until the visitor changes it. */
  if (form_draft_get (draft, "contact_number") == NULL && form_draft_get (draft, "phone") != NULL &&
      !for_someone_else (draft))
    g_hash_table_insert (draft->values, g_strdup ("contact_number"),
                         g_strdup (form_draft_get (draft, "phone")));

  choices (out, draft, "contact_method", step_title (draft, FORM_STEP_CONTACT), TRUE, NULL, methods,
           G_N_ELEMENTS (methods), FALSE);
  text_input (out, draft, "contact_number", _("Phone number"),
              _("The number we should call or text"), &number);
  g_string_append (out, "<div class=\"sp-form-group\">\n<fieldset class=\"sp-fieldset\" "
                        "aria-describedby=\"contact_times-hint\">\n"
                        "<legend class=\"sp-fieldset__legend sp-fieldset__legend--s\">");
  signpost_html_text (out, _("When is best to contact you? (optional)"));
  g_string_append (out, "</legend>\n");
  hint (out, "contact_times", _("Select all that apply. We will try to, but cannot always promise."));
  g_string_append (out, "<div class=\"sp-checkboxes\">\n");
  checkbox (out, draft, "contact_morning", _("Morning (8am to 12:30pm)"));
  checkbox (out, draft, "contact_afternoon", _("Afternoon (12:30pm to 6:30pm)"));
  g_string_append (out, "</div>\n</fieldset>\n</div>\n");
  choices (out, draft, "contact_message", _("If we cannot reach you, can we leave a message saying it "
                                            "is the GP practice?"), FALSE,
           _("Someone else may hear or see the message"), yes_no, G_N_ELEMENTS (yes_no), TRUE);
}

static const char *
choice_label (const char *field,
              const char *value)
{
  static const struct { const char *field, *value, *label; } labels[] = {
    { "age", "adult", N_("16 or over") },
    { "age", "child", N_("Under 16") },
    { "age", "unsure", N_("I do not know") },
    { "who", "self", N_("Me") },
    { "who", "other", N_("Someone I care for") },
    { "relationship", "parent", N_("I am their parent or guardian") },
    { "relationship", "carer", N_("I am their carer") },
    { "relationship", "other", N_("Another relationship, such as a relative or friend") },
    { "kind", "medical", N_("A medical problem") },
    { "kind", "repeat_prescription", N_("A repeat prescription") },
    { "kind", "fit_note", N_("A fit note (sick note)") },
    { "kind", "test_results", N_("Test results") },
    { "kind", "letter_or_form", N_("A letter or form") },
    { "kind", "admin_other", N_("Another admin request") },
    { "contact_method", "phone", N_("A phone call") },
    { "contact_method", "text", N_("A text message") },
    { "contact_message", "yes", N_("Yes, you can leave a message") },
    { "contact_message", "no", N_("No, do not leave a message") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_str_equal (labels[i].field, field) && g_strcmp0 (labels[i].value, value) == 0)
      return _(labels[i].label);
  return value;
}

static void
summary_row (GString    *out,
             const char *key,
             const char *value,
             gboolean    multiline,
             FormStep    step,
             const char *change_what)
{
  g_autofree char *go = g_strconcat ("edit-", form_step_name (step), NULL);

  g_string_append (out, "<div class=\"sp-summary-list__row\">\n<dt class=\"sp-summary-list__key\">");
  signpost_html_text (out, key);
  g_string_append (out, "</dt>\n<dd class=\"sp-summary-list__value\">");
  if (value == NULL || *value == '\0')
    signpost_html_text (out, _("Not given"));
  else if (multiline)
    signpost_html_lines (out, value);
  else
    signpost_html_text (out, value);
  g_string_append (out, "</dd>\n<dd class=\"sp-summary-list__actions\">"
                        "<button type=\"submit\" class=\"sp-link-button\" name=\"go\"");
  signpost_html_attr (out, "value", go);
  g_string_append (out, ">");
  signpost_html_text (out, _("Change"));
  g_string_append (out, "<span class=\"sp-visually-hidden\"> ");
  signpost_html_text (out, change_what);
  g_string_append (out, "</span></button></dd>\n</div>\n");
}

static void
step_check (GString   *out,
            FormDraft *draft)
{
  gboolean other = for_someone_else (draft);
  g_autofree char *name = g_strdup_printf ("%s %s", form_draft_get (draft, "given_name"),
                                           form_draft_get (draft, "family_name"));
  g_autofree char *dob = g_strdup_printf ("%s/%s/%s", form_draft_get (draft, "dob_day"),
                                          form_draft_get (draft, "dob_month"),
                                          form_draft_get (draft, "dob_year"));
  GString *times = g_string_new (NULL);
  g_autofree char *times_text = NULL;

  heading (out, "l", step_title (draft, FORM_STEP_CHECK));
  g_string_append (out, "<dl class=\"sp-summary-list\">\n");
  summary_row (out, _("Emergency questions"), _("You answered no to all of them"), FALSE,
               FORM_STEP_EMERGENCY, _("your answers to the emergency questions"));
  summary_row (out, _("Who the request is for"), choice_label ("who", form_draft_get (draft, "who")),
               FALSE, FORM_STEP_WHO, _("who the request is for"));
  if (other)
    {
      summary_row (out, _("Your name"), form_draft_get (draft, "requester_name"), FALSE,
                   FORM_STEP_ABOUT_YOU, _("your name"));
      summary_row (out, _("How you know them"),
                   choice_label ("relationship", form_draft_get (draft, "relationship")), FALSE,
                   FORM_STEP_ABOUT_YOU, _("how you know them"));
    }
  summary_row (out, _("Name"), name, FALSE, FORM_STEP_PATIENT, _("name"));
  summary_row (out, _("Date of birth"), dob, FALSE, FORM_STEP_PATIENT, _("date of birth"));
  summary_row (out, _("Postcode"), form_draft_get (draft, "postcode"), FALSE, FORM_STEP_PATIENT,
               _("postcode"));
  summary_row (out, _("Phone number"), form_draft_get (draft, "phone"), FALSE, FORM_STEP_PATIENT,
               _("phone number"));
  summary_row (out, _("NHS number"), form_draft_get (draft, "nhs_number"), FALSE, FORM_STEP_PATIENT,
               _("NHS number"));
  summary_row (out, _("Request about"), choice_label ("kind", form_draft_get (draft, "kind")), FALSE,
               FORM_STEP_TYPE, _("what the request is about"));
  summary_row (out, _("What you need"), form_draft_get (draft, "reason"), TRUE, FORM_STEP_DETAILS,
               _("what you need"));
  if (g_strcmp0 (form_draft_get (draft, "kind"), "medical") == 0)
    summary_row (out, _("How long"), form_draft_get (draft, "duration"), FALSE, FORM_STEP_DETAILS,
                 _("how long"));
  summary_row (out, _("What you would like us to do"), form_draft_get (draft, "hoped"), TRUE,
               FORM_STEP_DETAILS, _("what you would like us to do"));
  summary_row (out, _("Contact by"),
               choice_label ("contact_method", form_draft_get (draft, "contact_method")), FALSE,
               FORM_STEP_CONTACT, _("how to contact you"));
  summary_row (out, _("Number"), form_draft_get (draft, "contact_number"), FALSE, FORM_STEP_CONTACT,
               _("the number to contact"));
  if (form_draft_get (draft, "contact_morning") != NULL)
    g_string_append (times, _("Morning"));
  if (form_draft_get (draft, "contact_afternoon") != NULL)
    g_string_append_printf (times, "%s%s", times->len ? _(" or ") : "",
                            times->len ? _("afternoon") : _("Afternoon"));
  times_text = g_string_free (times, FALSE);
  summary_row (out, _("Best time"), *times_text ? times_text : _("Any time"), FALSE,
               FORM_STEP_CONTACT, _("the best time"));
  summary_row (out, _("Message"),
               choice_label ("contact_message", form_draft_get (draft, "contact_message")), FALSE,
               FORM_STEP_CONTACT, _("whether we can leave a message"));
  g_string_append (out, "</dl>\n<h2 class=\"sp-heading-m\">");
  signpost_html_text (out, _("Now send your request"));
  g_string_append (out, "</h2>\n");
  paragraph (out, _("By sending this request you confirm that the answers are right to the best of "
                    "your knowledge. The practice will read it and contact you."));
}

char *
form_page_step (FormPage  *page,
                FormDraft *draft,
                FormStep   step,
                gsize     *length)
{
  GString *out = g_string_new (NULL);
  gboolean errors = draft->error_fields->len > 0;

  page_begin (out, page, step_title (draft, step), errors);
  error_summary (out, draft);
  form_begin (out, page, draft, step);
  switch (step)
    {
    case FORM_STEP_AGE:
      {
        Option ages[] = {
          { "adult", _("16 or over"), NULL },
          { "child", _("Under 16"), NULL },
          { "unsure", _("I do not know"), NULL },
        };

        choices (out, draft, "age", step_title (draft, step), TRUE,
                 _("We ask so that we ask the right emergency questions"), ages, G_N_ELEMENTS (ages), FALSE);
      }
      break;
    case FORM_STEP_EMERGENCY:
      step_emergency (out, page, draft);
      break;
    case FORM_STEP_WHO:
      {
        Option whos[] = {
          { "self", _("Me"), NULL },
          { "other", _("Someone I care for"), _("For example, my child or someone I look after") },
        };

        choices (out, draft, "who", step_title (draft, step), TRUE, NULL, whos, G_N_ELEMENTS (whos), FALSE);
      }
      break;
    case FORM_STEP_ABOUT_YOU:
      {
        Option relationships[] = {
          { "parent", _("I am their parent or guardian"), NULL },
          { "carer", _("I am their carer"), NULL },
          { "other", _("Another relationship, such as a relative or friend"), NULL },
        };
        InputOptions name = { "name", NULL, "sp-input--width-20", "text", 100 };

        heading (out, "l", step_title (draft, step));
        text_input (out, draft, "requester_name", _("Your full name"), NULL, &name);
        choices (out, draft, "relationship", _("How do you know the person?"), FALSE, NULL,
                 relationships, G_N_ELEMENTS (relationships), FALSE);
      }
      break;
    case FORM_STEP_PATIENT:
      step_patient (out, draft);
      break;
    case FORM_STEP_TYPE:
      {
        Option kinds[] = {
          { "medical", _("A medical problem"),
            _("A new problem, or one you already have that is getting worse or needs a review") },
          { "repeat_prescription", _("A repeat prescription"), NULL },
          { "fit_note", _("A fit note (sick note)"), NULL },
          { "test_results", _("Test results"), NULL },
          { "letter_or_form", _("A letter or form"), NULL },
          { "admin_other", _("Another admin request"), NULL },
        };

        choices (out, draft, "kind", step_title (draft, step), TRUE, NULL, kinds, G_N_ELEMENTS (kinds), FALSE);
      }
      break;
    case FORM_STEP_DETAILS:
      step_details (out, draft);
      break;
    case FORM_STEP_CONTACT:
      step_contact (out, draft);
      break;
    case FORM_STEP_CHECK:
      step_check (out, draft);
      break;
    case FORM_STEP_START:
    case FORM_N_STEPS:
    default:
      g_assert_not_reached ();
    }
  if (step == FORM_STEP_CHECK)
    buttons (out, _("Send request"), "send", TRUE);
  else
    buttons (out, _("Continue"), "continue", step > FORM_STEP_AGE);
  return page_end (out, length);
}

/* ---- other pages ------------------------------------------------------------- */

static void
opening_sentence (GString             *out,
                  FormPage            *page,
                  GTimeZone           *tz)
{
  if (page->state != NULL && page->state->closes_at != NULL)
    {
      g_autofree char *when = form_format_when (page->state->closes_at, tz, page->now);
      /* Translators: "Open until 6:30pm today" */
      g_autofree char *text = g_strdup_printf (_("This form is open until %s."), when);

      paragraph (out, text);
    }
}

char *
form_page_start (FormPage   *page,
                 const char *submission,
                 gsize      *length)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GTimeZone) tz = signpost_online_practice_time_zone (page->practice);
  g_autofree char *title = g_strdup_printf (_("Ask %s for help online"),
                                            signpost_practice_get_name (page->practice));

  page_begin (out, page, title, FALSE);
  heading (out, "xl", title);
  paragraph (out, _("Use this form to ask about a medical problem, or for admin help such as a repeat "
                    "prescription, a fit note, test results or a letter."));
  paragraph (out, _("It takes about 5 minutes. You can use it for yourself, or for someone you care "
                    "for. We will contact you by the end of the next working day."));
  opening_sentence (out, page, tz);
  if (page->state != NULL && page->state->medical_full)
    {
      g_autofree char *when = page->state->opens_at ? form_format_when (page->state->opens_at, tz, page->now)
                                                    : NULL;
      g_autofree char *text = when
        ? g_strdup_printf (_("We cannot take any more medical requests online today. You can still "
                             "send an admin request. Medical requests open again at %s."), when)
        : g_strdup (_("We cannot take any more medical requests online today. You can still send "
                      "an admin request."));

      inset (out, text);
    }
  urgent_care (out);
  form_begin (out, page, NULL, FORM_STEP_START);
  hidden (out, "submission", submission);
  buttons (out, _("Start now"), "continue", FALSE);
  return page_end (out, length);
}

char *
form_page_closed (FormPage *page,
                  gboolean  medical_only,
                  gsize    *length)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GTimeZone) tz = signpost_online_practice_time_zone (page->practice);
  g_autofree char *phone = form_practice_phone (page->practice);
  SignpostOnlineState *state = page->state;
  const char *title = medical_only ? _("We cannot take more medical requests online today")
                                   : _("Online requests are closed at the moment");

  page_begin (out, page, title, FALSE);
  heading (out, "l", title);
  if (!medical_only && state != NULL && state->status == SIGNPOST_ONLINE_PAUSED)
    {
      const char *message = signpost_practice_get_online_pause_message (page->practice);

      if (message != NULL && *message != '\0')
        {
          g_string_append (out, "<div class=\"sp-inset\"><p>");
          signpost_html_lines (out, message);
          g_string_append (out, "</p></div>\n");
        }
      paragraph (out, _("The practice has paused online requests for now. Please try again later."));
    }
  else
    {
      g_autofree char *when = state && state->opens_at ? form_format_when (state->opens_at, tz, page->now)
                                                       : NULL;
      g_autofree char *text = NULL;

      if (!medical_only && state != NULL && state->bank_holiday != NULL)
        {
          g_autofree char *holiday = g_strdup_printf (_("The practice is closed for %s."), state->bank_holiday);
          paragraph (out, holiday);
        }
      if (medical_only)
        paragraph (out, _("The practice has had as many medical requests today as it can deal with "
                          "safely online. You can still send an admin request, such as a repeat "
                          "prescription."));
      if (when != NULL)
        text = g_strdup_printf (medical_only ? _("Medical requests open again at %s.")
                                             : _("You can send a request from %s."), when);
      if (text != NULL)
        paragraph (out, text);
    }
  g_string_append (out, "<h2 class=\"sp-heading-m\">");
  signpost_html_text (out, _("What you can do now"));
  g_string_append (out, "</h2>\n<ul class=\"sp-list sp-list--bullet\">\n<li>");
  if (phone != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("If the practice is open, phone it on %s."), phone);
      signpost_html_text (out, text);
    }
  else
    signpost_html_text (out, _("If the practice is open, phone it."));
  g_string_append (out, "</li>\n<li>");
  signpost_html_text (out, _("If you need help urgently, call 111 or go to 111.nhs.uk. It is open "
                             "24 hours a day."));
  g_string_append (out, "</li>\n<li>");
  signpost_html_text (out, _("For many common problems, a pharmacist can help without an appointment."));
  g_string_append (out, "</li>\n<li><strong>");
  signpost_html_text (out, _("In an emergency, call 999."));
  g_string_append (out, "</strong></li>\n</ul>\n");
  return page_end (out, length);
}

char *
form_page_stop (FormPage  *page,
                GPtrArray *flags,
                gsize     *length)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) keys = NULL;
  g_autofree char *phone = form_practice_phone (page->practice);
  SignpostOnlineStop stop;
  gboolean suicidal = FALSE;
  const char *title;

  for (guint i = 0; i < flags->len; i++)
    {
      const SignpostRedFlag *flag = g_ptr_array_index (flags, i);

      g_strv_builder_add (builder, flag->key);
      suicidal |= g_str_equal (flag->key, "suicidal_intent");
    }
  keys = g_strv_builder_end (builder);
  stop = signpost_navigation_online_stop ((const char * const *) keys);
  title = stop == SIGNPOST_ONLINE_STOP_999 ? _("Call 999 now") : _("Call 111 now");

  page_begin (out, page, title, FALSE);
  g_string_append (out, "<div class=\"sp-care-card sp-care-card--emergency\">\n");
  heading (out, "l", title);
  if (stop == SIGNPOST_ONLINE_STOP_999)
    paragraph (out, _("Call 999 and tell them what is happening. If you cannot call, ask someone "
                      "else to call for you."));
  else
    {
      g_autofree char *text = phone
        ? g_strdup_printf (_("Call 111, or phone the practice on %s if it is open. Tell them what you "
                             "told us."), phone)
        : g_strdup (_("Call 111, or phone the practice if it is open. Tell them what you told us."));

      paragraph (out, text);
      if (suicidal)
        paragraph (out, _("When you call 111, choose the mental health option. If the person is in "
                          "danger right now, call 999. You can also call Samaritans free on 116 123, "
                          "day or night."));
      else
        paragraph (out, _("If things get worse, call 999."));
    }
  g_string_append (out, "</div>\n<h2 class=\"sp-heading-m\">");
  signpost_html_text (out, _("Why we cannot take this request online"));
  g_string_append (out, "</h2>\n");
  paragraph (out, _("You told us about:"));
  g_string_append (out, "<ul class=\"sp-list sp-list--bullet\">\n");
  for (guint i = 0; i < flags->len; i++)
    {
      const SignpostRedFlag *flag = g_ptr_array_index (flags, i);

      g_string_append (out, "<li>");
      signpost_html_text (out, signpost_red_flag_get_question (flag));
      g_string_append (out, ". ");
      signpost_html_text (out, signpost_red_flag_get_why (flag));
      g_string_append (out, "</li>\n");
    }
  g_string_append (out, "</ul>\n");
  paragraph (out, _("An online request waits to be read, and this needs help straight away. We have "
                    "not sent your answers to the practice."));
  return page_end (out, length);
}

char *
form_page_sent (FormPage       *page,
                SignpostTriage *triage,
                gsize          *length)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GTimeZone) tz = signpost_online_practice_time_zone (page->practice);
  GDateTime *respond_by = signpost_triage_get_respond_by (triage);
  g_autofree char *when = respond_by ? form_format_when (respond_by, tz, page->now) : NULL;
  g_autofree char *next = NULL;

  page_begin (out, page, _("Request sent"), FALSE);
  g_string_append (out, "<div class=\"sp-panel\">\n<h1 class=\"sp-panel__title\">");
  signpost_html_text (out, _("Request sent"));
  g_string_append (out, "</h1>\n<div class=\"sp-panel__body\">");
  signpost_html_text (out, _("Your reference number is"));
  g_string_append (out, "<br><strong class=\"sp-reference\">");
  signpost_html_text (out, signpost_triage_get_reference (triage));
  g_string_append (out, "</strong></div>\n</div>\n");
  paragraph (out, _("Write this down, or take a screenshot. Give it if you contact the practice about "
                    "this request."));
  g_string_append (out, "<h2 class=\"sp-heading-m\">");
  signpost_html_text (out, _("What happens next"));
  g_string_append (out, "</h2>\n");
  paragraph (out, _("Someone at the practice will read your request and decide who is best to help."));
  next = when ? g_strdup_printf (_("We will contact you by %s to tell you what happens next."), when)
              : g_strdup (_("We will contact you by the end of the next working day."));
  paragraph (out, next);
  paragraph (out, _("If you do not hear from us by then, phone the practice."));
  urgent_care (out);
  return page_end (out, length);
}

char *
form_page_problem (FormPage   *page,
                   guint       status,
                   const char *title,
                   const char *text,
                   gboolean    start_again,
                   gsize      *length)
{
  GString *out = g_string_new (NULL);

  page_begin (out, page, title, FALSE);
  heading (out, "l", title);
  paragraph (out, text);
  if (start_again && page->ods != NULL)
    {
      g_autofree char *href = g_strdup_printf (SIGNPOST_FORM_PREFIX "%s/request", page->ods);

      g_string_append (out, "<p><a class=\"sp-button\"");
      signpost_html_attr (out, "href", href);
      g_string_append (out, ">");
      signpost_html_text (out, _("Start again"));
      g_string_append (out, "</a></p>\n");
    }
  urgent_care (out);
  return page_end (out, length);
}
