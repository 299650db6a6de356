/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "signpost-html.h"
#include "signpost-request-pages-private.h"

/*
 * The steps of the online request form, one page each: one question a
 * page where it can be, a heading that is the question, hints under
 * labels, an error summary at the top that links to each field, and the
 * answers to check before sending.
 */

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

  form_html_heading (out, "l", step_title (draft, FORM_STEP_EMERGENCY));
  if (draft->notice != NULL)
    form_html_inset (out, draft->notice);
  form_html_paragraph (out, _("Answer each question. If you answer yes to any of them, we will tell you who "
                    "to call now: these cannot wait for the practice to read a request."));
  for (guint i = 0; i < flags->len; i++)
    {
      const SignpostRedFlag *flag = g_ptr_array_index (flags, i);
      g_autofree char *field = g_strconcat ("rf_", flag->key, NULL);

      form_html_choices (out, draft, field, signpost_red_flag_get_question (flag), FALSE, NULL, yes_no,
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

  form_html_heading (out, "l", step_title (draft, FORM_STEP_PATIENT));
  form_html_paragraph (out, other ? _("Tell us about the person the request is for, as the practice knows them.")
                        : _("Tell us about yourself, as the practice knows you."));
  name.autocomplete = other ? NULL : "given-name";
  form_html_text_input (out, draft, "given_name", _("First name"), NULL, &name);
  name.autocomplete = other ? NULL : "family-name";
  form_html_text_input (out, draft, "family_name", _("Last name"), NULL, &name);
  form_html_date_input (out, draft, _("Date of birth"), _("For example, 27 3 1985"));
  form_html_text_input (out, draft, "postcode", _("Postcode"), _("The postcode of the home address the practice has"),
              &postcode);
  form_html_text_input (out, draft, "phone", _("Phone number (optional)"),
              other ? _("Their mobile or home number, if they have one") : _("Your mobile or home number"),
              &phone);
  form_html_text_input (out, draft, "nhs_number", _("NHS number (optional)"),
              _("This is a 10 digit number, like 999 000 0018. You can find it on a letter from the "
                "NHS or in the NHS App. Leave it empty if you do not know it."), &nhs);
}

static void
step_details (GString   *out,
              FormDraft *draft)
{
  gboolean medical = g_strcmp0 (form_draft_get (draft, "kind"), "medical") == 0;
  InputOptions duration = { NULL, NULL, "sp-input--width-20", "text", 200 };

  form_html_textarea (out, draft, "reason", step_title (draft, FORM_STEP_DETAILS), TRUE,
            medical ? _("Describe the problem in your own words: what is wrong, and anything that "
                        "makes it better or worse. Do not include anything urgent: call 111 or 999.")
                    : _("Tell us what you need in your own words, for example the medicines you "
                        "need or the form you need filling in."),
            8, 4000);
  if (medical)
    form_html_text_input (out, draft, "duration", _("How long has this been going on?"),
                _("For example, 3 days or since last summer"), &duration);
  form_html_textarea (out, draft, "hoped", _("What would you like us to do? (optional)"), FALSE,
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

  form_html_choices (out, draft, "contact_method", step_title (draft, FORM_STEP_CONTACT), TRUE, NULL, methods,
           G_N_ELEMENTS (methods), FALSE);
  form_html_text_input (out, draft, "contact_number", _("Phone number"),
              _("The number we should call or text"), &number);
  g_string_append (out, "<div class=\"sp-form-group\">\n<fieldset class=\"sp-fieldset\" "
                        "aria-describedby=\"contact_times-hint\">\n"
                        "<legend class=\"sp-fieldset__legend sp-fieldset__legend--s\">");
  signpost_html_text (out, _("When is best to contact you? (optional)"));
  g_string_append (out, "</legend>\n");
  form_html_hint (out, "contact_times", _("Select all that apply. We will try to, but cannot always promise."));
  g_string_append (out, "<div class=\"sp-checkboxes\">\n");
  form_html_checkbox (out, draft, "contact_morning", _("Morning (8am to 12:30pm)"));
  form_html_checkbox (out, draft, "contact_afternoon", _("Afternoon (12:30pm to 6:30pm)"));
  g_string_append (out, "</div>\n</fieldset>\n</div>\n");
  form_html_choices (out, draft, "contact_message", _("If we cannot reach you, can we leave a message saying it "
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

  form_html_heading (out, "l", step_title (draft, FORM_STEP_CHECK));
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
  form_html_paragraph (out, _("By sending this request you confirm that the answers are right to the best of "
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

  form_html_page_begin (out, page, step_title (draft, step), errors);
  form_html_error_summary (out, draft);
  form_html_form_begin (out, page, draft, step);
  switch (step)
    {
    case FORM_STEP_AGE:
      {
        Option ages[] = {
          { "adult", _("16 or over"), NULL },
          { "child", _("Under 16"), NULL },
          { "unsure", _("I do not know"), NULL },
        };

        form_html_choices (out, draft, "age", step_title (draft, step), TRUE,
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

        form_html_choices (out, draft, "who", step_title (draft, step), TRUE, NULL, whos, G_N_ELEMENTS (whos), FALSE);
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

        form_html_heading (out, "l", step_title (draft, step));
        form_html_text_input (out, draft, "requester_name", _("Your full name"), NULL, &name);
        form_html_choices (out, draft, "relationship", _("How do you know the person?"), FALSE, NULL,
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

        form_html_choices (out, draft, "kind", step_title (draft, step), TRUE, NULL, kinds, G_N_ELEMENTS (kinds), FALSE);
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
    form_html_buttons (out, _("Send request"), "send", TRUE);
  else
    form_html_buttons (out, _("Continue"), "continue", step > FORM_STEP_AGE);
  return form_html_page_end (out, length);
}
