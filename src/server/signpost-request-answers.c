/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "signpost-request-form-private.h"

/*
 * The online request form's answers: kept from page to page in a draft,
 * checked step by step (every page checks every answer again: a hidden
 * field is as untrusted as the rest), and turned into a
 * SignpostOnlineRequest through core's codec once they are all there.
 */

/* ---- the draft ------------------------------------------------------------- */

void
form_draft_init (FormDraft *draft)
{
  draft->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  draft->errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  draft->error_fields = g_ptr_array_new_with_free_func (g_free);
  draft->notice = NULL;
}

void
form_draft_clear (FormDraft *draft)
{
  g_clear_pointer (&draft->values, g_hash_table_unref);
  g_clear_pointer (&draft->errors, g_hash_table_unref);
  g_clear_pointer (&draft->error_fields, g_ptr_array_unref);
  g_clear_pointer (&draft->notice, g_free);
}

void
form_draft_reset_errors (FormDraft *draft)
{
  g_hash_table_remove_all (draft->errors);
  g_ptr_array_set_size (draft->error_fields, 0);
  g_clear_pointer (&draft->notice, g_free);
}

const char *
form_draft_get (FormDraft  *draft,
                const char *field)
{
  const char *value = g_hash_table_lookup (draft->values, field);

  return value != NULL && *value != '\0' ? value : NULL;
}

void
form_draft_error (FormDraft  *draft,
                  const char *field,
                  const char *message)
{
  if (g_hash_table_contains (draft->errors, field))
    return;
  g_hash_table_insert (draft->errors, g_strdup (field), g_strdup (message));
  g_ptr_array_add (draft->error_fields, g_strdup (field));
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

/* A line of text the visitor typed: present, one line, not too long. */
static void
check_line (FormDraft  *draft,
            const char *field,
            guint       max_chars,
            gboolean    required,
            const char *missing)
{
  const char *value = form_draft_get (draft, field);

  if (value == NULL || is_blank (value))
    {
      if (required)
        form_draft_error (draft, field, missing);
      return;
    }
  if (g_utf8_strlen (value, -1) > max_chars)
    {
      g_autofree char *message = g_strdup_printf (_("This must be %u characters or fewer"), max_chars);
      form_draft_error (draft, field, message);
    }
  else if (!signpost_format_check (SIGNPOST_FORMAT_TEXT, value, NULL))
    form_draft_error (draft, field, _("This must be one line of text"));
}

static void
check_text (FormDraft  *draft,
            const char *field,
            guint       max_chars,
            gboolean    required,
            const char *missing)
{
  const char *value = form_draft_get (draft, field);

  if (value == NULL || is_blank (value))
    {
      if (required)
        form_draft_error (draft, field, missing);
      return;
    }
  if (g_utf8_strlen (value, -1) > max_chars)
    {
      g_autofree char *message = g_strdup_printf (_("This must be %u characters or fewer"), max_chars);
      form_draft_error (draft, field, message);
    }
  else if (!signpost_format_check (SIGNPOST_FORMAT_MULTILINE, value, NULL))
    form_draft_error (draft, field, _("This has characters we cannot read"));
}

static gboolean
one_of (const char         *value,
        const char * const *allowed)
{
  return value != NULL && g_strv_contains (allowed, value);
}

static void
check_choice (FormDraft          *draft,
              const char         *field,
              const char * const *allowed,
              const char         *missing)
{
  if (!one_of (form_draft_get (draft, field), allowed))
    form_draft_error (draft, field, missing);
}

static gboolean
parse_number (const char *text,
              guint64     minimum,
              guint64     maximum,
              guint64    *value)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));

  return g_ascii_string_to_unsigned (copy, 10, minimum, maximum, value, NULL);
}

/* The date of birth as YYYY-MM-DD, or NULL with @problem set. */
static char *
draft_date_of_birth (FormDraft   *draft,
                     GDateTime   *now,
                     GTimeZone   *tz,
                     const char **problem)
{
  const char *d = form_draft_get (draft, "dob_day");
  const char *m = form_draft_get (draft, "dob_month");
  const char *y = form_draft_get (draft, "dob_year");
  guint64 day = 0, month = 0, year = 0;
  GDate date, today;

  *problem = NULL;
  if (d == NULL || m == NULL || y == NULL)
    {
      *problem = _("Enter the date of birth: day, month and year");
      return NULL;
    }
  if (!parse_number (d, 1, 31, &day) || !parse_number (m, 1, 12, &month) ||
      !parse_number (y, 1000, 9999, &year) || !g_date_valid_dmy (day, month, year))
    {
      *problem = _("Enter a real date of birth, for example 27 3 1985");
      return NULL;
    }
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, day, month, year);
  signpost_local_date (now, tz, &today);
  if (g_date_compare (&date, &today) > 0)
    {
      *problem = _("The date of birth must be in the past");
      return NULL;
    }
  if (year < 1900)
    {
      *problem = _("Enter the year in full, for example 1985");
      return NULL;
    }
  return signpost_date_format (&date);
}

/* The red flags to ask about: for the age the visitor gave, and, once a
 * date of birth is known, for that age as well (so that a child's signs
 * are asked about even if "16 or over" was picked by mistake). */
GPtrArray *
form_flags_to_ask (FormDraft *draft,
                   GDateTime *now,
                   GTimeZone *tz)
{
  const char *age = form_draft_get (draft, "age");
  SignpostRedFlagGroup group;
  g_autofree char *dob = NULL;
  const char *problem = NULL;

  if (g_strcmp0 (age, "adult") == 0)
    group = SIGNPOST_RED_FLAGS_ADULT;
  else if (g_strcmp0 (age, "child") == 0)
    group = SIGNPOST_RED_FLAGS_CHILD;
  else
    group = SIGNPOST_RED_FLAGS_ALL;
  dob = draft_date_of_birth (draft, now, tz, &problem);
  if (dob != NULL)
    group |= signpost_navigation_red_flag_group_for (dob, now, tz);
  return signpost_navigation_red_flags_for (group);
}

gboolean
form_step_applies (FormDraft *draft,
              FormStep   step)
{
  if (step == FORM_STEP_ABOUT_YOU)
    return g_strcmp0 (form_draft_get (draft, "who"), "other") == 0;
  return TRUE;
}

static const char * const kinds[] = {
  "medical", "repeat_prescription", "fit_note", "test_results", "letter_or_form", "admin_other", NULL
};

/* Checks the answers of @step, adding what is wrong to the draft's errors.
 * Returns whether the step is complete and right. */
gboolean
form_validate_step (FormDraft *draft,
               FormStep   step,
               GDateTime *now,
               GTimeZone *tz)
{
  static const char * const ages[] = { "adult", "child", "unsure", NULL };
  static const char * const yes_no[] = { "yes", "no", NULL };
  static const char * const whos[] = { "self", "other", NULL };
  static const char * const relationships[] = { "parent", "carer", "other", NULL };
  static const char * const methods[] = { "phone", "text", NULL };
  guint before = draft->error_fields->len;

  switch (step)
    {
    case FORM_STEP_START:
    case FORM_STEP_CHECK:
    case FORM_N_STEPS:
    default:
      break;

    case FORM_STEP_AGE:
      check_choice (draft, "age", ages, _("Select how old the person is, or that you do not know"));
      break;

    case FORM_STEP_EMERGENCY:
      {
        g_autoptr(GPtrArray) flags = form_flags_to_ask (draft, now, tz);
        guint missing = 0, answered = 0;

        for (guint i = 0; i < flags->len; i++)
          {
            const SignpostRedFlag *flag = g_ptr_array_index (flags, i);
            g_autofree char *field = g_strconcat ("rf_", flag->key, NULL);

            if (one_of (form_draft_get (draft, field), yes_no))
              {
                answered++;
                continue;
              }
            missing++;
            form_draft_error (draft, field, _("Answer yes or no"));
          }
        if (missing > 0 && answered > 0 && form_draft_get (draft, "dob_year") != NULL)
          draft->notice = g_strdup (_("The date of birth you gave means there are some more "
                                      "questions to answer about the person’s age group."));
      }
      break;

    case FORM_STEP_WHO:
      check_choice (draft, "who", whos, _("Select who the request is for"));
      break;

    case FORM_STEP_ABOUT_YOU:
      check_choice (draft, "relationship", relationships,
                    _("Select how you know the person"));
      check_line (draft, "requester_name", 100, TRUE, _("Enter your full name"));
      break;

    case FORM_STEP_PATIENT:
      {
        g_autofree char *dob = NULL;
        const char *problem = NULL;
        const char *value;

        gboolean self = g_strcmp0 (form_draft_get (draft, "who"), "other") != 0;

        check_line (draft, "given_name", 100, TRUE,
                    self ? _("Enter your first name") : _("Enter their first name"));
        check_line (draft, "family_name", 100, TRUE,
                    self ? _("Enter your last name") : _("Enter their last name"));
        dob = draft_date_of_birth (draft, now, tz, &problem);
        if (dob == NULL)
          form_draft_error (draft, "dob_day", problem);
        value = form_draft_get (draft, "postcode");
        if (value == NULL || is_blank (value))
          form_draft_error (draft, "postcode", self ? _("Enter your postcode") : _("Enter their postcode"));
        else
          {
            g_autofree char *postcode = signpost_postcode_normalise (value, NULL);

            if (postcode == NULL)
              form_draft_error (draft, "postcode", _("Enter a full UK postcode, like LS1 4AP"));
          }
        value = form_draft_get (draft, "phone");
        if (value != NULL && !is_blank (value))
          {
            g_autofree char *phone = signpost_phone_normalise (value, NULL);

            if (phone == NULL)
              form_draft_error (draft, "phone",
                                _("Enter a phone number, like 07700 900 982 or 01632 960 001"));
          }
        value = form_draft_get (draft, "nhs_number");
        if (value != NULL && !is_blank (value))
          {
            g_autofree char *nhs = signpost_nhs_number_normalise (value, NULL);

            if (nhs == NULL)
              form_draft_error (draft, "nhs_number",
                                _("Enter a valid NHS number: 10 digits, like 999 000 0018, "
                                  "or leave it empty"));
          }
      }
      break;

    case FORM_STEP_TYPE:
      check_choice (draft, "kind", kinds, _("Select what your request is about"));
      break;

    case FORM_STEP_DETAILS:
      check_text (draft, "reason", 4000, TRUE, _("Tell us what you need, in your own words"));
      check_line (draft, "duration", 200,
                  g_strcmp0 (form_draft_get (draft, "kind"), "medical") == 0,
                  _("Tell us how long this has been going on"));
      check_text (draft, "hoped", 1000, FALSE, NULL);
      break;

    case FORM_STEP_CONTACT:
      {
        const char *value = form_draft_get (draft, "contact_number");

        check_choice (draft, "contact_method", methods, _("Select a phone call or a text message"));
        if (value == NULL || is_blank (value))
          form_draft_error (draft, "contact_number", _("Enter the number to contact you on"));
        else
          {
            g_autofree char *number = signpost_phone_normalise (value, NULL);

            if (number == NULL)
              form_draft_error (draft, "contact_number",
                                _("Enter a phone number, like 07700 900 982 or 01632 960 001"));
            else if (g_strcmp0 (form_draft_get (draft, "contact_method"), "text") == 0 &&
                     !g_str_has_prefix (number, "+447"))
              form_draft_error (draft, "contact_number",
                                _("To get text messages, enter a UK mobile number, like 07700 900 982"));
          }
        check_choice (draft, "contact_message", yes_no,
                      _("Select whether we can leave a message"));
        for (guint i = 0; i < 2; i++)
          {
            const char *field = i == 0 ? "contact_morning" : "contact_afternoon";
            const char *time = form_draft_get (draft, field);

            if (time != NULL && !g_str_equal (time, "yes"))
              form_draft_error (draft, field, _("Tick the box or leave it empty"));
          }
      }
      break;
    }
  return draft->error_fields->len == before;
}

/* Whether any red flag asked about was answered yes; fills @yes. */
gboolean
form_any_flag_yes (FormDraft *draft,
              GDateTime *now,
              GTimeZone *tz,
              GPtrArray *yes)
{
  g_autoptr(GPtrArray) flags = form_flags_to_ask (draft, now, tz);

  for (guint i = 0; i < flags->len; i++)
    {
      const SignpostRedFlag *flag = g_ptr_array_index (flags, i);
      g_autofree char *field = g_strconcat ("rf_", flag->key, NULL);

      if (g_strcmp0 (form_draft_get (draft, field), "yes") == 0)
        g_ptr_array_add (yes, (gpointer) flag);
    }
  /* A "yes" to a flag not asked (a forged field) still stops. */
  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, draft->values);
    while (g_hash_table_iter_next (&iter, &key, &value))
      if (g_str_has_prefix (key, "rf_") && g_strcmp0 (value, "yes") == 0)
        {
          const SignpostRedFlag *flag = signpost_navigation_find_red_flag ((const char *) key + 3);

          if (flag != NULL && !g_ptr_array_find (yes, flag, NULL))
            g_ptr_array_add (yes, (gpointer) flag);
        }
  }
  return yes->len > 0;
}

/* The first applicable step, from @from on, whose answers are missing or
 * wrong (with its errors in the draft), or CHECK when all are right. */
FormStep
form_first_incomplete (FormDraft *draft,
                  FormStep   from,
                  FormStep   to,
                  GDateTime *now,
                  GTimeZone *tz)
{
  for (FormStep step = from; step < to; step++)
    {
      if (!form_step_applies (draft, step))
        continue;
      form_draft_reset_errors (draft);
      if (!form_validate_step (draft, step, now, tz))
        return step;
    }
  form_draft_reset_errors (draft);
  return to;
}

/* ---- building the request ---------------------------------------------------- */

static char *
trimmed (FormDraft  *draft,
         const char *field)
{
  const char *value = form_draft_get (draft, field);

  return value != NULL ? g_strstrip (g_strdup (value)) : NULL;
}

static void
set_string (JsonObject *object,
            const char *key,
            char       *value)       /* taken */
{
  if (value != NULL && *value != '\0')
    json_object_set_string_member (object, key, value);
  g_free (value);
}

/* The answers as an online request, through core's codec: the same checks
 * as the intake API's. */
SignpostOnlineRequest *
form_draft_to_request (FormDraft  *draft,
                  GDateTime  *now,
                  GTimeZone  *tz,
                  GError    **error)
{
  g_autoptr(JsonObject) object = json_object_new ();
  JsonObject *patient = json_object_new ();
  g_autoptr(GPtrArray) flags = form_flags_to_ask (draft, now, tz);
  JsonArray *screened = json_array_new ();
  JsonArray *times = json_array_new ();
  const char *kind = form_draft_get (draft, "kind");
  const char *problem = NULL;
  const char *value;

  if (g_strcmp0 (form_draft_get (draft, "who"), "other") == 0)
    {
      json_object_set_string_member (object, "relationship", form_draft_get (draft, "relationship"));
      set_string (object, "requester_name", trimmed (draft, "requester_name"));
    }
  else
    json_object_set_string_member (object, "relationship", "self");

  set_string (patient, "given_name", trimmed (draft, "given_name"));
  set_string (patient, "family_name", trimmed (draft, "family_name"));
  set_string (patient, "date_of_birth", draft_date_of_birth (draft, now, tz, &problem));
  set_string (patient, "postcode", signpost_postcode_normalise (form_draft_get (draft, "postcode"), NULL));
  if ((value = form_draft_get (draft, "phone")) != NULL && !is_blank (value))
    set_string (patient, "phone", signpost_phone_normalise (value, NULL));
  if ((value = form_draft_get (draft, "nhs_number")) != NULL && !is_blank (value))
    set_string (patient, "nhs_number", signpost_nhs_number_normalise (value, NULL));
  json_object_set_object_member (object, "patient", patient);

  if (g_strcmp0 (kind, "medical") == 0)
    json_object_set_string_member (object, "request_type", "medical");
  else
    {
      json_object_set_string_member (object, "request_type", "admin");
      json_object_set_string_member (object, "admin_topic",
                                     g_strcmp0 (kind, "admin_other") == 0 ? "other" : kind);
    }
  set_string (object, "reason", trimmed (draft, "reason"));
  set_string (object, "symptom_duration", trimmed (draft, "duration"));
  set_string (object, "hoped_outcome", trimmed (draft, "hoped"));
  for (guint i = 0; i < flags->len; i++)
    json_array_add_string_element (screened, ((const SignpostRedFlag *) g_ptr_array_index (flags, i))->key);
  json_object_set_array_member (object, "screened_flags", screened);
  json_object_set_string_member (object, "contact_method", form_draft_get (draft, "contact_method"));
  set_string (object, "contact_number",
              signpost_phone_normalise (form_draft_get (draft, "contact_number"), NULL));
  if (form_draft_get (draft, "contact_morning") != NULL)
    json_array_add_string_element (times, "morning");
  if (form_draft_get (draft, "contact_afternoon") != NULL)
    json_array_add_string_element (times, "afternoon");
  json_object_set_array_member (object, "contact_times", times);
  json_object_set_boolean_member (object, "contact_message_ok",
                                  g_strcmp0 (form_draft_get (draft, "contact_message"), "yes") == 0);

  return signpost_object_new_from_json (SIGNPOST_TYPE_ONLINE_REQUEST, object,
                                        SIGNPOST_DECODE_CREATE, error);
}

