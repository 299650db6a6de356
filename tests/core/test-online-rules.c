/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "signpost-core.h"
#include "signpost-online-rules.h"

/* The rules of online requests: bank holidays in England (every holiday of
 * several years against the published lists, the substitute days, the
 * one-off changes), working days and the outcome deadline across
 * weekends, holidays and the clock changes, when a practice's form is
 * open, the strong identity match, references, and the request codec. */

#define PRACTICE "6e71a7cd-07fc-4aeb-8bef-a9aa5f8bc001"

static GTimeZone *london;

static GDateTime *
at (int year, int month, int day, int hour, int minute)
{
  return g_date_time_new (london, year, month, day, hour, minute, 0);
}

static void
assert_instant (GDateTime *instant,
                const char *expected)
{
  g_autofree char *text = NULL;

  g_assert_nonnull (instant);
  text = signpost_timestamp_format (instant);
  g_assert_cmpstr (text, ==, expected);
}

/* Every bank holiday of @year, as "MM-DD" joined by spaces. */
static char *
holidays_of (int year)
{
  GString *out = g_string_new (NULL);
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 1, 1, year);
  while (g_date_get_year (&date) == year)
    {
      if (signpost_is_bank_holiday (&date))
        g_string_append_printf (out, "%s%02d-%02d", out->len ? " " : "",
                                g_date_get_month (&date), g_date_get_day (&date));
      g_date_add_days (&date, 1);
    }
  return g_string_free (out, FALSE);
}

static void
test_bank_holidays (void)
{
  /* GOV.UK's lists for England and Wales. */
  static const struct { int year; const char *days; } years[] = {
    { 2019, "01-01 04-19 04-22 05-06 05-27 08-26 12-25 12-26" },
    { 2020, "01-01 04-10 04-13 05-08 05-25 08-31 12-25 12-28" },
    { 2021, "01-01 04-02 04-05 05-03 05-31 08-30 12-27 12-28" },
    { 2022, "01-03 04-15 04-18 05-02 06-02 06-03 08-29 09-19 12-26 12-27" },
    { 2023, "01-02 04-07 04-10 05-01 05-08 05-29 08-28 12-25 12-26" },
    { 2024, "01-01 03-29 04-01 05-06 05-27 08-26 12-25 12-26" },
    { 2025, "01-01 04-18 04-21 05-05 05-26 08-25 12-25 12-26" },
    { 2026, "01-01 04-03 04-06 05-04 05-25 08-31 12-25 12-28" },
    { 2027, "01-01 03-26 03-29 05-03 05-31 08-30 12-27 12-28" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (years); i++)
    {
      g_autofree char *got = holidays_of (years[i].year);

      g_test_message ("%d: %s", years[i].year, got);
      g_assert_cmpstr (got, ==, years[i].days);
    }
}

static void
test_easter (void)
{
  static const struct { int year, month, day; } easters[] = {
    { 1961, 4, 2 }, { 2000, 4, 23 }, { 2008, 3, 23 }, { 2011, 4, 24 }, { 2024, 3, 31 },
    { 2038, 4, 25 }, { 2285, 3, 22 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (easters); i++)
    {
      GDate date;

      signpost_easter_sunday (easters[i].year, &date);
      g_assert_cmpint (g_date_get_month (&date), ==, easters[i].month);
      g_assert_cmpint (g_date_get_day (&date), ==, easters[i].day);
    }
}

static void
test_holiday_names (void)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 27, 12, 2027);
  g_assert_cmpstr (signpost_bank_holiday_name (&date), ==, "Christmas Day (substitute day)");
  g_date_set_dmy (&date, 25, 12, 2027);
  g_assert_null (signpost_bank_holiday_name (&date));
  g_assert_false (signpost_is_working_day (&date));   /* a Saturday */
  g_date_set_dmy (&date, 8, 5, 2023);
  g_assert_cmpstr (signpost_bank_holiday_name (&date), ==,
                   "Bank holiday for the coronation of King Charles III");
  g_assert_false (signpost_is_working_day (&date));
  g_date_set_dmy (&date, 9, 5, 2023);
  g_assert_true (signpost_is_working_day (&date));
}

static void
test_respond_by (void)
{
  static const struct { int y, mo, d, h, mi; const char *due; } cases[] = {
    /* A Monday morning: the end of Tuesday. */
    { 2026, 11, 16, 10, 0, "2026-11-17T18:30:00Z" },
    /* Just before and at the end of core hours. */
    { 2026, 11, 16, 18, 29, "2026-11-17T18:30:00Z" },
    { 2026, 11, 16, 18, 30, "2026-11-18T18:30:00Z" },
    /* Friday evening and Saturday count from Monday. */
    { 2026, 11, 20, 19, 0, "2026-11-24T18:30:00Z" },
    { 2026, 11, 21, 9, 0, "2026-11-24T18:30:00Z" },
    /* Christmas Eve 2026: Christmas Day, the weekend and the Boxing Day
     * substitute on Monday 28th come between. */
    { 2026, 12, 24, 10, 0, "2026-12-29T18:30:00Z" },
    /* Easter: Thursday before Good Friday to the Tuesday after Easter Monday. */
    { 2026, 4, 2, 12, 0, "2026-04-07T17:30:00Z" },
    /* British Summer Time: 18:30 local is 17:30 UTC. */
    { 2026, 6, 1, 9, 0, "2026-06-02T17:30:00Z" },
    /* The Friday before the clocks go back (25 October 2026). */
    { 2026, 10, 23, 9, 0, "2026-10-26T18:30:00Z" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) received = at (cases[i].y, cases[i].mo, cases[i].d, cases[i].h, cases[i].mi);
      g_autoptr(GDateTime) due = signpost_respond_by (received, london);

      assert_instant (due, cases[i].due);
    }
}

static SignpostPractice *
practice_new (void)
{
  SignpostPractice *practice = signpost_practice_new ();

  signpost_record_set_id (SIGNPOST_RECORD (practice), PRACTICE);
  signpost_record_set_practice_id (SIGNPOST_RECORD (practice), PRACTICE);
  signpost_practice_set_ods_code (practice, "Y01234");
  signpost_practice_set_name (practice, "Riverside Surgery");
  signpost_practice_set_time_zone (practice, "Europe/London");
  return practice;
}

static void
set_hours (SignpostPractice *practice,
           const char       *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) patch = signpost_json_parse_object (json, strlen (json), 0, &error);

  g_assert_no_error (error);
  g_assert_true (signpost_object_update_from_json (SIGNPOST_OBJECT (practice), patch,
                                                   SIGNPOST_DECODE_PATCH, &error));
  g_assert_no_error (error);
}

static void
test_default_hours (void)
{
  g_autoptr(SignpostPractice) practice = practice_new ();
  static const struct { int y, mo, d, h, mi; gboolean open; SignpostOnlineStatus why; const char *next; } cases[] = {
    { 2026, 11, 16, 7, 59, FALSE, SIGNPOST_ONLINE_CLOSED_HOURS, "2026-11-16T08:00:00Z" },
    { 2026, 11, 16, 8, 0, TRUE, SIGNPOST_ONLINE_OPEN, NULL },
    { 2026, 11, 16, 18, 29, TRUE, SIGNPOST_ONLINE_OPEN, NULL },
    { 2026, 11, 16, 18, 30, FALSE, SIGNPOST_ONLINE_CLOSED_HOURS, "2026-11-17T08:00:00Z" },
    { 2026, 11, 20, 20, 0, FALSE, SIGNPOST_ONLINE_CLOSED_HOURS, "2026-11-23T08:00:00Z" },
    { 2026, 12, 25, 10, 0, FALSE, SIGNPOST_ONLINE_CLOSED_BANK_HOLIDAY, "2026-12-29T08:00:00Z" },
    { 2026, 6, 1, 8, 0, TRUE, SIGNPOST_ONLINE_OPEN, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) now = at (cases[i].y, cases[i].mo, cases[i].d, cases[i].h, cases[i].mi);
      g_auto(SignpostOnlineState) state = { 0 };
      SignpostOnlineStatus why;

      g_assert_cmpint (signpost_online_is_open_at (practice, now, &why), ==, cases[i].open);
      g_assert_cmpint (why, ==, cases[i].why);
      signpost_online_state_init (&state, practice, now, 0);
      g_assert_cmpint (state.status, ==, cases[i].why);
      if (cases[i].open)
        {
          g_assert_null (state.opens_at);
          g_assert_nonnull (state.closes_at);
        }
      else
        assert_instant (state.opens_at, cases[i].next);
    }
  {
    g_autoptr(GDateTime) now = at (2026, 12, 25, 10, 0);
    g_auto(SignpostOnlineState) state = { 0 };

    signpost_online_state_init (&state, practice, now, 0);
    g_assert_cmpstr (state.bank_holiday, ==, "Christmas Day");
  }
}

static void
test_custom_hours (void)
{
  g_autoptr(SignpostPractice) practice = practice_new ();
  g_autoptr(GPtrArray) warnings = NULL;

  /* Open all week round the clock, bank holidays too, but not on a
   * training afternoon's date. */
  set_hours (practice,
             "{\"online_hours\": ["
             "{\"day\":\"monday\",\"opens\":\"00:00\",\"closes\":\"24:00\"},"
             "{\"day\":\"tuesday\",\"opens\":\"00:00\",\"closes\":\"24:00\"},"
             "{\"day\":\"wednesday\",\"opens\":\"00:00\",\"closes\":\"24:00\"},"
             "{\"day\":\"thursday\",\"opens\":\"00:00\",\"closes\":\"24:00\"},"
             "{\"day\":\"friday\",\"opens\":\"00:00\",\"closes\":\"24:00\"},"
             "{\"day\":\"saturday\",\"opens\":\"00:00\",\"closes\":\"24:00\"},"
             "{\"day\":\"sunday\",\"opens\":\"00:00\",\"closes\":\"24:00\"}],"
             " \"online_open_bank_holidays\": true,"
             " \"online_closed_dates\": [\"2026-11-18\"]}");
  {
    g_autoptr(GDateTime) christmas = at (2026, 12, 25, 3, 0);
    g_autoptr(GDateTime) closed_day = at (2026, 11, 18, 12, 0);
    g_autoptr(GDateTime) day_before = at (2026, 11, 17, 12, 0);
    g_auto(SignpostOnlineState) state = { 0 };
    SignpostOnlineStatus why;

    g_assert_true (signpost_online_is_open_at (practice, christmas, NULL));
    g_assert_false (signpost_online_is_open_at (practice, closed_day, &why));
    g_assert_cmpint (why, ==, SIGNPOST_ONLINE_CLOSED_DATE);
    signpost_online_state_init (&state, practice, closed_day, 0);
    assert_instant (state.opens_at, "2026-11-19T00:00:00Z");
    /* Open until the closed day begins. */
    signpost_online_state_clear (&state);
    signpost_online_state_init (&state, practice, day_before, 0);
    g_assert_cmpint (state.status, ==, SIGNPOST_ONLINE_OPEN);
    assert_instant (state.closes_at, "2026-11-18T00:00:00Z");
  }
  warnings = signpost_online_core_hours_warnings (practice);
  g_assert_cmpuint (warnings->len, ==, 0);

  /* Two openings a day, and Wednesdays closing at lunchtime. */
  set_hours (practice,
             "{\"online_hours\": ["
             "{\"day\":\"monday\",\"opens\":\"13:00\",\"closes\":\"18:30\"},"
             "{\"day\":\"monday\",\"opens\":\"07:00\",\"closes\":\"13:00\"},"
             "{\"day\":\"tuesday\",\"opens\":\"08:00\",\"closes\":\"18:30\"},"
             "{\"day\":\"wednesday\",\"opens\":\"08:00\",\"closes\":\"12:30\"},"
             "{\"day\":\"thursday\",\"opens\":\"08:00\",\"closes\":\"18:30\"},"
             "{\"day\":\"friday\",\"opens\":\"08:00\",\"closes\":\"18:30\"}],"
             " \"online_open_bank_holidays\": false, \"online_closed_dates\": null,"
             " \"online_medical_daily_limit\": 40}");
  g_clear_pointer (&warnings, g_ptr_array_unref);
  warnings = signpost_online_core_hours_warnings (practice);
  g_assert_cmpuint (warnings->len, ==, 2);
  g_assert_nonnull (strstr (g_ptr_array_index (warnings, 0), "Wednesdays"));
  g_assert_nonnull (strstr (g_ptr_array_index (warnings, 1), "40 medical requests"));
  {
    g_autoptr(GDateTime) monday_lunch = at (2026, 11, 16, 13, 0);
    g_autoptr(GDateTime) wednesday = at (2026, 11, 18, 13, 0);
    g_auto(SignpostOnlineState) state = { 0 };

    signpost_online_state_init (&state, practice, monday_lunch, 39);
    g_assert_cmpint (state.status, ==, SIGNPOST_ONLINE_OPEN);
    g_assert_false (state.medical_full);
    assert_instant (state.closes_at, "2026-11-16T18:30:00Z");
    signpost_online_state_clear (&state);
    /* The limit reached: admin requests still, medical from tomorrow. */
    signpost_online_state_init (&state, practice, monday_lunch, 40);
    g_assert_cmpint (state.status, ==, SIGNPOST_ONLINE_OPEN);
    g_assert_true (state.medical_full);
    assert_instant (state.opens_at, "2026-11-17T08:00:00Z");
    signpost_online_state_clear (&state);
    signpost_online_state_init (&state, practice, wednesday, 0);
    g_assert_cmpint (state.status, ==, SIGNPOST_ONLINE_CLOSED_HOURS);
    assert_instant (state.opens_at, "2026-11-19T08:00:00Z");
  }

  /* Paused: closed whatever the hours, with no opening promised. */
  set_hours (practice, "{\"online_paused\": true, \"online_pause_message\": \"Back at 2pm\"}");
  {
    g_autoptr(GDateTime) monday = at (2026, 11, 16, 10, 0);
    g_auto(SignpostOnlineState) state = { 0 };

    signpost_online_state_init (&state, practice, monday, 0);
    g_assert_cmpint (state.status, ==, SIGNPOST_ONLINE_PAUSED);
    g_assert_null (state.opens_at);
  }

  /* No hours at all are the default hours. */
  set_hours (practice, "{\"online_paused\": false, \"online_hours\": [],"
                       " \"online_medical_daily_limit\": 0}");
  {
    g_autoptr(GDateTime) monday = at (2026, 11, 16, 10, 0);
    g_autoptr(GDateTime) saturday = at (2026, 11, 21, 10, 0);
    g_auto(SignpostOnlineState) state = { 0 };

    signpost_online_state_init (&state, practice, monday, 0);
    g_assert_cmpint (state.status, ==, SIGNPOST_ONLINE_OPEN);
    signpost_online_state_clear (&state);
    signpost_online_state_init (&state, practice, saturday, 0);
    g_assert_cmpint (state.status, ==, SIGNPOST_ONLINE_CLOSED_HOURS);
    assert_instant (state.opens_at, "2026-11-23T08:00:00Z");
  }
}

static void
test_hours_codec (void)
{
  g_autoptr(SignpostPractice) practice = practice_new ();
  static const char * const bad[] = {
    "{\"online_hours\": [{\"day\":\"monday\",\"opens\":\"18:30\",\"closes\":\"08:00\"}]}",
    "{\"online_hours\": [{\"day\":\"monday\",\"opens\":\"8:00\",\"closes\":\"18:00\"}]}",
    "{\"online_hours\": [{\"day\":\"monday\",\"opens\":\"08:00\",\"closes\":\"24:01\"}]}",
    "{\"online_hours\": [{\"day\":\"funday\",\"opens\":\"08:00\",\"closes\":\"18:00\"}]}",
    "{\"online_hours\": [{\"day\":\"monday\",\"opens\":\"24:00\",\"closes\":\"24:00\"}]}",
    "{\"online_medical_daily_limit\": -1}",
    "{\"online_closed_dates\": [\"2026-02-30\"]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) patch = signpost_json_parse_object (bad[i], strlen (bad[i]), 0, &error);

      g_assert_no_error (error);
      g_assert_false (signpost_object_update_from_json (SIGNPOST_OBJECT (practice), patch,
                                                        SIGNPOST_DECODE_PATCH, &error));
      g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID);
      g_test_message ("%s → %s", bad[i], error->message);
    }
  g_assert_null (signpost_practice_get_online_hours (practice));
  g_assert_cmpint (signpost_practice_get_online_medical_daily_limit (practice), ==, 0);
}

static SignpostPatient *
patient_new (const char *given, const char *family, const char *dob, const char *nhs,
             const char *postcode)
{
  SignpostPatient *patient = signpost_patient_new ();
  g_autofree char *id = g_uuid_string_random ();

  signpost_record_set_id (SIGNPOST_RECORD (patient), id);
  signpost_record_set_practice_id (SIGNPOST_RECORD (patient), PRACTICE);
  signpost_patient_set_given_name (patient, given);
  signpost_patient_set_family_name (patient, family);
  signpost_patient_set_date_of_birth (patient, dob);
  signpost_patient_set_nhs_number (patient, nhs);
  signpost_patient_set_postcode (patient, postcode);
  return patient;
}

static SignpostPatientDetails *
details_new (const char *family, const char *dob, const char *nhs, const char *postcode)
{
  SignpostPatientDetails *details = signpost_patient_details_new ();

  signpost_patient_details_set_given_name (details, "Someone");
  signpost_patient_details_set_family_name (details, family);
  signpost_patient_details_set_date_of_birth (details, dob);
  signpost_patient_details_set_nhs_number (details, nhs);
  signpost_patient_details_set_postcode (details, postcode);
  return details;
}

static void
test_match (void)
{
  g_autoptr(GPtrArray) candidates = g_ptr_array_new_with_free_func (g_object_unref);
  SignpostPatient *obrien, *twin_a;

  obrien = patient_new ("Siobhán", "O’Brien-Smith", "1980-02-29", "9990000018", "LS1 4AP");
  g_ptr_array_add (candidates, obrien);
  twin_a = patient_new ("Ann", "Lee", "2015-06-01", "9990000026", "M1 1AE");
  g_ptr_array_add (candidates, twin_a);
  g_ptr_array_add (candidates, patient_new ("Bea", "Lee", "2015-06-01", NULL, "M1 1AE"));

  {
    g_autofree char *a = signpost_name_fold ("O’Brien-Smith");
    g_autofree char *b = signpost_name_fold ("obrien smith");
    g_autofree char *c = signpost_name_fold ("SIOBHÁN");

    g_assert_cmpstr (a, ==, b);
    g_assert_cmpstr (c, ==, "siobhan");
  }
  {
    /* NHS number and date of birth, whatever the name. */
    g_autoptr(SignpostPatientDetails) d = details_new ("Smith", "1980-02-29", "9990000018", NULL);
    g_assert_true (signpost_online_match_patient (d, candidates) == obrien);
  }
  {
    /* The right NHS number with the wrong date of birth is no match. */
    g_autoptr(SignpostPatientDetails) d = details_new ("O'Brien-Smith", "1980-02-28", "9990000018", "LS1 4AP");
    g_assert_null (signpost_online_match_patient (d, candidates));
  }
  {
    /* Family name, date of birth and postcode, spelt differently. */
    g_autoptr(SignpostPatientDetails) d = details_new ("obrien smith", "1980-02-29", NULL, "LS1 4AP");
    g_assert_true (signpost_online_match_patient (d, candidates) == obrien);
  }
  {
    /* Without a postcode a name and birthday are not enough. */
    g_autoptr(SignpostPatientDetails) d = details_new ("O'Brien-Smith", "1980-02-29", NULL, NULL);
    g_assert_null (signpost_online_match_patient (d, candidates));
  }
  {
    /* Twins at one address: two strong matches are none. */
    g_autoptr(SignpostPatientDetails) d = details_new ("Lee", "2015-06-01", NULL, "M1 1AE");
    g_assert_null (signpost_online_match_patient (d, candidates));
  }
  {
    /* ...but the NHS number tells them apart. */
    g_autoptr(SignpostPatientDetails) d = details_new ("Lee", "2015-06-01", "9990000026", "M1 1AE");
    g_assert_true (signpost_online_match_patient (d, candidates) == twin_a);
  }
}

static void
test_reference (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (18);

  for (int i = 0; i < 2000; i++)
    {
      guint32 random[5];
      g_autofree char *reference = NULL;

      for (int j = 0; j < 5; j++)
        random[j] = g_rand_int (rand);
      reference = signpost_online_reference_new (random);
      g_assert_true (signpost_format_check (SIGNPOST_FORMAT_REFERENCE, reference, NULL));
      for (const char *p = reference; *p; p++)
        g_assert_null (strchr ("AEIOUY", *p));
      g_hash_table_add (seen, g_steal_pointer (&reference));
    }
  /* 80 million possibilities: 2,000 draws barely ever collide. */
  g_assert_cmpuint (g_hash_table_size (seen), >=, 1995);
  g_assert_false (signpost_format_check (SIGNPOST_FORMAT_REFERENCE, "abc-1234", NULL));
  g_assert_false (signpost_format_check (SIGNPOST_FORMAT_REFERENCE, "ABC1234", NULL));
  g_assert_false (signpost_format_check (SIGNPOST_FORMAT_REFERENCE, "ABC-12345", NULL));
}

static void
test_request_codec (void)
{
  static const char good[] =
    "{\"relationship\": \"parent\", \"requester_name\": \"Jo Bloggs\","
    " \"patient\": {\"given_name\": \"Sam\", \"family_name\": \"Bloggs\","
    "   \"date_of_birth\": \"2019-03-01\", \"postcode\": \"LS1 4AP\"},"
    " \"request_type\": \"admin\", \"admin_topic\": \"letter_or_form\","
    " \"reason\": \"A form for school\", \"screened_flags\": [\"child_breathing\"],"
    " \"contact_method\": \"text\", \"contact_number\": \"+447700900123\","
    " \"contact_times\": [\"morning\"], \"contact_message_ok\": true}";
  static const struct { const char *patch; const char *field; } bad[] = {
    { "\"relationship\": \"carer\", \"requester_name\": \" \"", "requester_name" },
    { "\"admin_topic\": null", "admin_topic" },
    { "\"request_type\": \"medical\"", "admin_topic" },
    { "\"reason\": \"  \\n \"", "reason" },
    { "\"contact_method\": \"video\"", "contact_method" },
    { "\"red_flags\": [\"made_up\"]", "red_flags[0]" },
    { "\"contact_number\": \"07700 900123\"", "contact_number" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SignpostOnlineRequest) request = NULL;
  g_autoptr(SignpostTriage) triage = NULL;

  request = signpost_object_new_from_string (SIGNPOST_TYPE_ONLINE_REQUEST, good, strlen (good),
                                             SIGNPOST_DECODE_CREATE, &error);
  g_assert_no_error (error);
  triage = signpost_online_request_to_triage (request);
  g_assert_cmpstr (signpost_triage_get_caller_name (triage), ==, "Jo Bloggs");
  g_assert_cmpint (signpost_triage_get_caller_relationship (triage), ==, SIGNPOST_CALLER_PARENT);
  g_assert_cmpstr (signpost_triage_get_request_type (triage), ==, "admin");
  g_assert_cmpstr (signpost_triage_get_admin_topic (triage), ==, "letter_or_form");
  g_assert_cmpint (signpost_triage_get_urgency (triage), ==, SIGNPOST_URGENCY_ROUTINE);
  g_assert_cmpint (signpost_triage_get_contact_method (triage), ==, SIGNPOST_CONTACT_TEXT);
  g_assert_true (signpost_triage_get_contact_message_ok (triage));
  g_assert_cmpstr (signpost_patient_details_get_family_name (signpost_triage_get_patient_details (triage)),
                   ==, "Bloggs");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(SignpostOnlineRequest) refused = NULL;
      g_autofree char *json = g_strdup_printf ("%.*s, %s}", (int) strlen (good) - 1, good, bad[i].patch);
      g_autofree char *field = NULL;

      refused = signpost_object_new_from_string (SIGNPOST_TYPE_ONLINE_REQUEST, json, strlen (json),
                                                 SIGNPOST_DECODE_CREATE, &local_error);
      g_assert_null (refused);
      g_assert_nonnull (local_error);
      field = signpost_error_dup_field (local_error);
      g_test_message ("%s → %s", bad[i].patch, local_error->message);
      g_assert_cmpstr (field, ==, bad[i].field);
    }

  /* A red flag answered yes makes the record as urgent as it calls for. */
  {
    const char * const flags[] = { "chest_pain", NULL };

    signpost_online_request_set_red_flags (request, flags);
    g_clear_object (&triage);
    triage = signpost_online_request_to_triage (request);
    g_assert_cmpint (signpost_triage_get_urgency (triage), ==, SIGNPOST_URGENCY_EMERGENCY);
  }
}

static void
test_triage_server_fields (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SignpostTriage) triage = NULL;

  /* A client cannot say a record came in online or give it a reference. */
  triage = signpost_object_new_from_string (SIGNPOST_TYPE_TRIAGE,
                                            "{\"practice_id\": \"" PRACTICE "\", \"reason\": \"x\", \"urgency\": \"routine\","
                                            " \"status\": \"open\", \"source\": \"online\","
                                            " \"reference\": \"BCD-1234\","
                                            " \"respond_by\": \"2026-01-01T00:00:00Z\"}",
                                            strlen ("{\"practice_id\": \"" PRACTICE "\", \"reason\": \"x\", \"urgency\": \"routine\","
                                                    " \"status\": \"open\", \"source\": \"online\","
                                                    " \"reference\": \"BCD-1234\","
                                                    " \"respond_by\": \"2026-01-01T00:00:00Z\"}"),
                                            SIGNPOST_DECODE_CREATE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (signpost_triage_get_source (triage), ==, SIGNPOST_REQUEST_SOURCE_PHONE);
  g_assert_null (signpost_triage_get_reference (triage));
  g_assert_null (signpost_triage_get_respond_by (triage));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  london = g_time_zone_new_identifier ("Europe/London");
  g_assert_nonnull (london);

  g_test_add_func ("/signpost/online/bank-holidays", test_bank_holidays);
  g_test_add_func ("/signpost/online/easter", test_easter);
  g_test_add_func ("/signpost/online/holiday-names", test_holiday_names);
  g_test_add_func ("/signpost/online/respond-by", test_respond_by);
  g_test_add_func ("/signpost/online/default-hours", test_default_hours);
  g_test_add_func ("/signpost/online/custom-hours", test_custom_hours);
  g_test_add_func ("/signpost/online/hours-codec", test_hours_codec);
  g_test_add_func ("/signpost/online/match", test_match);
  g_test_add_func ("/signpost/online/reference", test_reference);
  g_test_add_func ("/signpost/online/request-codec", test_request_codec);
  g_test_add_func ("/signpost/online/triage-server-fields", test_triage_server_fields);

  status = g_test_run ();
  g_time_zone_unref (london);
  return status;
}
