/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "server-test-util.h"
#include "signpost-import.h"

/*
 * Importing a practice's patients, clinicians and sessions (issue 17):
 * formats and encodings, every kind of bad row and bad file, refreshes,
 * the admin command's exit statuses, and a running server telling its
 * consoles about an import the command wrote into its database.
 */

#define HEADER "patient_ref,nhs_number,family_name,given_name,date_of_birth,sex,postcode," \
               "mobile,home_phone,work_phone,usual_gp,alerts\r\n"

/* A synthetic NHS number in the 999 range with a valid check digit,
 * different for every @n (of eleven numbers in a row, at most one has no
 * valid check digit). */
static char *
nhs_number (guint n)
{
  for (n *= 11;; n++)
    {
      g_autofree char *nine = g_strdup_printf ("999%06u", n % 1000000);
      int check = signpost_nhs_number_check_digit (nine);

      if (check >= 0 && check <= 9)
        return g_strdup_printf ("%s%d", nine, check);
    }
}

static SignpostImportReport *
run_import (TestServer         *ts,
            SignpostImportKind  kind,
            const char         *practice_id,
            const char         *csv,
            gssize              length,
            const SignpostImportOptions *given)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GBytes) file = g_bytes_new (csv, length < 0 ? strlen (csv) : (gsize) length);
  g_autoptr(SignpostPractice) practice = test_get_record (ts, SIGNPOST_RECORD_PRACTICE, practice_id);
  g_autoptr(GError) error = NULL;
  SignpostImportOptions options;
  SignpostApplyContext ctx;
  SignpostImportReport *report;

  if (given != NULL)
    options = *given;
  else
    signpost_import_options_init (&options);
  signpost_apply_context_init (&ctx, test_server_store (ts), NULL, now);
  switch (kind)
    {
    case SIGNPOST_IMPORT_CLINICIANS:
      report = signpost_import_clinicians (&ctx, practice, file, &options, &error);
      break;
    case SIGNPOST_IMPORT_SESSIONS:
      report = signpost_import_sessions (&ctx, practice, file, &options, &error);
      break;
    case SIGNPOST_IMPORT_PATIENTS:
    default:
      report = signpost_import_patients (&ctx, practice, file, &options, &error);
      break;
    }
  signpost_apply_context_clear (&ctx);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

static SignpostImportReport *
import_patients (TestServer *ts,
                 const char *csv)
{
  return run_import (ts, SIGNPOST_IMPORT_PATIENTS, ts->practice_a, csv, -1, NULL);
}

static gint64
head (TestServer *ts)
{
  g_autoptr(GError) error = NULL;
  gint64 seq = signpost_store_get_last_seq (test_server_store (ts), &error);

  g_assert_no_error (error);
  return seq;
}

static GPtrArray *
patients (TestServer *ts,
          const char *practice_id)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *list = signpost_store_list_records (test_server_store (ts), SIGNPOST_RECORD_PATIENT,
                                                 practice_id, &error);

  g_assert_no_error (error);
  return list;
}

static SignpostPatient *
find_by_nhs (GPtrArray  *list,
             const char *nhs)
{
  for (guint i = 0; i < list->len; i++)
    if (g_strcmp0 (signpost_patient_get_nhs_number (g_ptr_array_index (list, i)), nhs) == 0)
      return g_ptr_array_index (list, i);
  return NULL;
}

static SignpostPatient *
find_by_given (GPtrArray  *list,
               const char *given)
{
  for (guint i = 0; i < list->len; i++)
    if (g_strcmp0 (signpost_patient_get_given_name (g_ptr_array_index (list, i)), given) == 0)
      return g_ptr_array_index (list, i);
  return NULL;
}

static const char *
phone_number (SignpostPatient *patient,
              guint            i)
{
  g_autoptr(SignpostPhone) phone = g_list_model_get_item (signpost_patient_get_phones (patient), i);

  return phone != NULL ? signpost_phone_get_number (phone) : NULL;
}

static void
assert_no_failure (SignpostImportReport *report)
{
  const GError *failure = signpost_import_report_get_failure (report);

  g_assert_no_error ((GError *) failure);
}

/* ---- formats ----------------------------------------------------------- */

static void
test_signpost_format (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *n1 = nhs_number (1), *n2 = nhs_number (2), *n3 = nhs_number (3);
  g_autofree char *csv = NULL;
  g_autoptr(SignpostImportReport) report = NULL;
  g_autoptr(GPtrArray) list = NULL;
  SignpostPatient *ada, *bob, *cy;

  /* A byte order mark, headers in another order and case with an extra
   * column, CRLF, a quoted field holding commas and a line break (an
   * address nobody asked for), both date forms, phones as people write
   * them, and a landline shared by a household. */
  csv = g_strdup_printf ("\xEF\xBB\xBF" "Family_Name,GIVEN_NAME,nhs_number,Date_Of_Birth,Sex,"
                         "Address,Postcode,Mobile,Home_Phone,Work_Phone,Usual_GP,Alerts,Patient_Ref\r\n"
                         "Testcase,Ada,%s,29/02/1980,F,\"1 Long Lane,\r\nLeeds, West Yorkshire\","
                         "ls1 4ap,07700 900123,+44 (0)117 496 0123,0044 20 7946 0123,"
                         "\"Pearce, Gemma\",\"interpreter: Polish; carer\",E1001\r\n"
                         "Testcase,Bob,%s,1981-03-01,m,,LS1 4AP,,0117 496 0123,,Dr G Pearce,,E1002\r\n"
                         "Testperson,Cy,%s,1/2/2003,U,,,+447700900124,,,,,\r\n",
                         n1, n2, n3);
  report = import_patients (ts, csv);
  assert_no_failure (report);
  g_assert_cmpint (signpost_import_report_get_exit_status (report), ==, SIGNPOST_IMPORT_EXIT_APPLIED);
  g_assert_cmpint (signpost_import_report_get_count (report, SIGNPOST_IMPORT_COUNT_CREATED), ==, 3);

  list = patients (ts, ts->practice_a);
  ada = find_by_nhs (list, n1);
  bob = find_by_nhs (list, n2);
  cy = find_by_nhs (list, n3);
  g_assert_nonnull (ada);
  g_assert_cmpstr (signpost_patient_get_given_name (ada), ==, "Ada");
  g_assert_cmpstr (signpost_patient_get_date_of_birth (ada), ==, "1980-02-29");
  g_assert_cmpint (signpost_patient_get_sex (ada), ==, SIGNPOST_SEX_FEMALE);
  g_assert_cmpstr (signpost_patient_get_postcode (ada), ==, "LS1 4AP");
  g_assert_cmpstr (signpost_patient_get_patient_ref (ada), ==, "E1001");
  g_assert_cmpstr (phone_number (ada, 0), ==, "+447700900123");
  g_assert_cmpstr (phone_number (ada, 1), ==, "+441174960123");
  g_assert_cmpstr (phone_number (ada, 2), ==, "+442079460123");
  g_assert_cmpstr (signpost_patient_get_usual_clinician_id (ada), ==, ts->gp_a);
  g_assert_cmpuint (g_list_model_get_n_items (signpost_patient_get_alerts (ada)), ==, 2);
  g_assert_cmpstr (phone_number (bob, 0), ==, "+441174960123");
  g_assert_cmpstr (signpost_patient_get_usual_clinician_id (bob), ==, ts->gp_a);
  g_assert_cmpstr (signpost_patient_get_date_of_birth (cy), ==, "2003-02-01");
  g_assert_cmpint (signpost_patient_get_sex (cy), ==, SIGNPOST_SEX_UNKNOWN);
  g_assert_null (signpost_patient_get_patient_ref (cy));
  g_assert_null (signpost_patient_get_left_at (cy));
  test_server_free (ts);
}

static void
test_encodings (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *n1 = nhs_number (11), *n2 = nhs_number (12), *n3 = nhs_number (13);
  g_autofree char *n4 = nhs_number (14);
  g_autofree char *windows = NULL;
  g_autofree char *utf8 = NULL;
  g_autoptr(SignpostImportReport) r1 = NULL;
  g_autoptr(SignpostImportReport) r2 = NULL;
  g_autoptr(GPtrArray) list = NULL;

  /* Saved by Excel on a Windows PC: Windows-1252, CRLF. */
  windows = g_strdup_printf ("nhs_number,family_name,given_name,date_of_birth\r\n"
                             "%s,Testcase,Zo\xEB,2001-01-01\r\n"
                             "%s,Testcase,Si\xE2n,2001-01-02\r\n"
                             "%s,Testcase,Chlo\xE9,2001-01-03\r\n", n1, n2, n3);
  r1 = run_import (ts, SIGNPOST_IMPORT_PATIENTS, ts->practice_a, windows, -1, NULL);
  assert_no_failure (r1);
  g_assert_cmpint (signpost_import_report_get_count (r1, SIGNPOST_IMPORT_COUNT_CREATED), ==, 3);
  /* UTF-8 without a byte order mark, LF only; a partial list this time. */
  utf8 = g_strdup_printf ("nhs_number,family_name,given_name,date_of_birth\n"
                          "%s,Testcase,\xC5\x81ukasz,2001-01-04\n", n4);
  {
    SignpostImportOptions options;

    signpost_import_options_init (&options);
    options.partial = TRUE;
    r2 = run_import (ts, SIGNPOST_IMPORT_PATIENTS, ts->practice_a, utf8, -1, &options);
  }
  assert_no_failure (r2);

  list = patients (ts, ts->practice_a);
  g_assert_nonnull (find_by_given (list, "Zoë"));
  g_assert_nonnull (find_by_given (list, "Siân"));
  g_assert_nonnull (find_by_given (list, "Chloé"));
  g_assert_nonnull (find_by_given (list, "Łukasz"));
  g_assert_null (signpost_patient_get_left_at (find_by_given (list, "Zoë")));
  test_server_free (ts);
}

static void
test_presets (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *n1 = nhs_number (21), *n2 = nhs_number (22), *n3 = nhs_number (23);
  g_autofree char *emis = NULL, *systmone = NULL, *custom = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GKeyFile) mapping = NULL;
  g_autoptr(GError) error = NULL;
  SignpostImportOptions options;
  static const char mapping_text[] =
    "[columns]\nnhs_number = NHS No.\nfamily_name = Last name\ngiven_name = First name\n"
    "date_of_birth = Born\nmobile = Cell\n";

  signpost_import_options_init (&options);
  options.partial = TRUE;
  options.format = "emis";
  emis = g_strdup_printf ("\"Patient Number\",\"Given Name\",\"Family Name\",\"Date of Birth\","
                          "\"NHS Number\",\"Mobile Telephone\",\"E-mail Address\",\"Usual GP\"\r\n"
                          "501,Ann,Emis,12-Mar-1967,%s,07700 900301,,Dr Gemma Pearce\r\n", n1);
  g_clear_object (&(SignpostImportReport *) { run_import (ts, SIGNPOST_IMPORT_PATIENTS,
                                                          ts->practice_a, emis, -1, &options) });
  options.format = "systmone";
  systmone = g_strdup_printf ("Patient ID,NHS Number,Surname,First Name,Date of Birth,Gender,"
                              "Home Telephone\r\nS77,%s,Systm,Sam,01/02/1990,Male,0117 496 0301\r\n", n2);
  g_clear_object (&(SignpostImportReport *) { run_import (ts, SIGNPOST_IMPORT_PATIENTS,
                                                          ts->practice_a, systmone, -1, &options) });
  mapping = signpost_import_mapping_parse (mapping_text, strlen (mapping_text), &error);
  g_assert_no_error (error);
  options.format = NULL;
  options.mapping = mapping;
  custom = g_strdup_printf ("Last name,First name,Born,NHS No.,Cell\n"
                            "Mapped,Mo,2010-10-10,%s,07700900302\n", n3);
  g_clear_object (&(SignpostImportReport *) { run_import (ts, SIGNPOST_IMPORT_PATIENTS,
                                                          ts->practice_a, custom, -1, &options) });

  list = patients (ts, ts->practice_a);
  g_assert_cmpstr (signpost_patient_get_patient_ref (find_by_nhs (list, n1)), ==, "501");
  g_assert_cmpstr (signpost_patient_get_date_of_birth (find_by_nhs (list, n1)), ==, "1967-03-12");
  g_assert_cmpstr (signpost_patient_get_usual_clinician_id (find_by_nhs (list, n1)), ==, ts->gp_a);
  g_assert_cmpstr (phone_number (find_by_nhs (list, n1), 0), ==, "+447700900301");
  g_assert_cmpstr (signpost_patient_get_patient_ref (find_by_nhs (list, n2)), ==, "S77");
  g_assert_cmpint (signpost_patient_get_sex (find_by_nhs (list, n2)), ==, SIGNPOST_SEX_MALE);
  g_assert_cmpstr (phone_number (find_by_nhs (list, n2), 0), ==, "+441174960301");
  g_assert_cmpstr (signpost_patient_get_family_name (find_by_nhs (list, n3)), ==, "Mapped");
  g_assert_cmpstr (phone_number (find_by_nhs (list, n3), 0), ==, "+447700900302");

  /* A mapping that names a column this list does not have is refused. */
  g_clear_pointer (&mapping, g_key_file_unref);
  mapping = signpost_import_mapping_parse ("[columns]\nshoe_size = Shoes\n",
                                           strlen ("[columns]\nshoe_size = Shoes\n"), &error);
  g_assert_no_error (error);
  options.mapping = mapping;
  {
    g_autoptr(SignpostImportReport) report = run_import (ts, SIGNPOST_IMPORT_PATIENTS,
                                                         ts->practice_a, custom, -1, &options);
    const GError *failure = signpost_import_report_get_failure (report);

    g_assert_nonnull (failure);
    g_assert_nonnull (strstr (failure->message, "shoe_size"));
  }
  test_server_free (ts);
}

/* ---- bad rows ---------------------------------------------------------- */

static void
test_bad_rows (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *good = nhs_number (31), *dup = nhs_number (32), *other = nhs_number (33);
  g_autofree char *long_name = g_strnfill (10000, 'x');
  g_autofree char *csv = NULL;
  g_autofree char *text = NULL;
  g_autofree char *json = NULL;
  g_autoptr(SignpostImportReport) report = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GPtrArray) list = NULL;
  gint64 before = head (ts);
  static const struct {
    guint line;
    const char *column;
    const char *says;
  } expected[] = {
    { 3, "nhs_number", "check digit" },
    { 4, "date_of_birth", "not a date that exists" },
    { 5, "date_of_birth", "in the future" },
    { 6, "sex", "not a sex code" },
    { 7, "mobile", "UK phone number" },
    { 8, "home_phone", "not a UK phone number" },
    { 9, "nhs_number", "same NHS number as on line 10" },
    { 10, "nhs_number", "same NHS number as on line 9" },
    { 11, "usual_gp", "not one of the practice" },
    { 12, "family_name", "spreadsheet formula" },
    { 13, "given_name", "longer than 100 characters" },
    { 14, "given_name", "line breaks" },
  };

  csv = g_strdup_printf (HEADER
                         "R1,%s,Goodrow,Gail,1970-05-05,F,,+44 7700 900555,,,,\r\n"
                         "R2,9990000019,Checkdigit,Carl,1970-05-05,M,,,,,,\r\n"
                         "R3,,Nodate,Nina,31/02/1970,F,,,,,,\r\n"
                         "R4,,Future,Fred,2099-01-01,M,,,,,,\r\n"
                         "R5,,Sexcode,Sid,1970-05-05,Q,,,,,,\r\n"
                         "R6,,Shortphone,Sue,1970-05-05,F,,07700 9001,,,,\r\n"
                         "R7,,Abroad,Ali,1970-05-05,M,,,+33 1 23 45 67 89,,,\r\n"
                         "R8,%s,Twin,Tom,1970-05-05,M,,,,,,\r\n"
                         "R9,%s,Twin,Tim,1970-05-05,M,,,,,,\r\n"
                         "R10,,Nogp,Nat,1970-05-05,F,,,,,Dr Nobody,\r\n"
                         "R11,,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",Hal,1970-05-05,M,,,,,,\r\n"
                         "R12,,Longname,%s,1970-05-05,M,,,,,,\r\n"
                         "R13,,Twolines,\"Line\nbreak\",1970-05-05,M,,,,,,\r\n"
                         "R14,%s,Otherrow,Olga,1970-05-05,F,,,,,,\r\n",
                         good, dup, dup, long_name, other);
  report = import_patients (ts, csv);
  assert_no_failure (report);
  g_assert_cmpint (signpost_import_report_get_exit_status (report), ==, SIGNPOST_IMPORT_EXIT_REJECTED);
  g_assert_cmpuint (signpost_import_report_get_n_rejections (report), ==, G_N_ELEMENTS (expected));
  g_assert_cmpint (signpost_import_report_get_count (report, SIGNPOST_IMPORT_COUNT_CREATED), ==, 2);

  object = signpost_import_report_to_json (report);
  {
    JsonArray *rejected = json_object_get_array_member (object, "rejected");

    g_assert_cmpuint (json_array_get_length (rejected), ==, G_N_ELEMENTS (expected));
    for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
      {
        JsonObject *item = json_array_get_object_element (rejected, i);

        g_test_message ("line %u", expected[i].line);
        g_assert_cmpint (json_object_get_int_member (item, "line"), ==, expected[i].line);
        g_assert_cmpstr (json_object_get_string_member (item, "column"), ==, expected[i].column);
        g_assert_nonnull (strstr (json_object_get_string_member (item, "reason"), expected[i].says));
      }
  }
  /* The report names lines, columns and reasons, never what a row held. */
  text = signpost_import_report_to_text (report);
  json = signpost_json_object_to_string (object, NULL);
  {
    static const char * const row_values[] = {
      "Checkdigit", "Carl", "Nodate", "Nina", "Twin", "Tom", "Tim", "Nogp", "Nat", "Nobody",
      "HYPERLINK", "9990000019", "1970-05-05", "31/02/1970", "xxxxxxxxxx", "Abroad", "+33",
      "900555",
    };

    for (guint i = 0; i < G_N_ELEMENTS (row_values); i++)
      {
        g_test_message ("%s", row_values[i]);
        g_assert_null (strstr (text, row_values[i]));
        g_assert_null (strstr (json, row_values[i]));
      }
    g_assert_null (strstr (text, dup));
  }
  /* Rejected rows are not applied; the others are. */
  list = patients (ts, ts->practice_a);
  g_assert_nonnull (find_by_nhs (list, good));
  g_assert_nonnull (find_by_nhs (list, other));
  g_assert_null (find_by_nhs (list, dup));
  g_assert_null (find_by_given (list, "Carl"));
  g_assert_cmpstr (phone_number (find_by_nhs (list, good), 0), ==, "+447700900555");
  g_assert_cmpint (head (ts), >, before);

  /* A row with several faults is one rejected row, each fault listed. */
  {
    SignpostImportOptions options;
    g_autoptr(SignpostImportReport) several = NULL;
    g_autoptr(JsonObject) listed = NULL;
    JsonArray *rejected;

    signpost_import_options_init (&options);
    options.partial = TRUE;
    several = run_import (ts, SIGNPOST_IMPORT_PATIENTS, ts->practice_a,
                          HEADER "R1,9990000019,Many,,30/02/1970,Q,NOWHERE,07700,,,Dr Nobody,\r\n",
                          -1, &options);
    g_assert_cmpuint (signpost_import_report_get_n_rejections (several), ==, 1);
    listed = signpost_import_report_to_json (several);
    rejected = json_object_get_array_member (listed, "rejected");
    /* NHS number, given name, date of birth, sex, postcode, mobile, usual GP. */
    g_assert_cmpuint (json_array_get_length (rejected), ==, 7);
    for (guint i = 0; i < json_array_get_length (rejected); i++)
      g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (rejected, i), "line"),
                       ==, 2);
  }
  test_server_free (ts);
}

/* ---- bad files --------------------------------------------------------- */

static void
test_bad_files (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *n1 = nhs_number (41);
  g_autofree char *with_nul = NULL;
  g_autofree guint8 *garbage = g_malloc (64 * 1024);
  gsize with_nul_length;
  gint64 before;
  static const struct {
    const char *name;
    const char *csv;
    const char *field;
    const char *says;
  } cases[] = {
    { "empty", "", "file", "empty" },
    { "blank lines only", "\r\n\r\n", "file", "empty" },
    { "headers only", HEADER, "file", "header but no rows" },
    { "missing column", "nhs_number,family_name,given_name\r\n9990000018,A,B\r\n",
      "date_of_birth", "no “date_of_birth” column" },
    { "utf-16", "\xFF\xFE" "n\0h\0s\0", "file", "UTF-16" },
    { "unclosed quote", HEADER "\"R1,9990000018,A,B,1970-01-01\r\n", "file", "never closed" },
  };
  GRand *rand = g_rand_new_with_seed (17);

  before = head (ts);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SignpostImportReport) report = NULL;
      g_autofree char *field = NULL;
      const GError *failure;

      g_test_message ("%s", cases[i].name);
      report = run_import (ts, SIGNPOST_IMPORT_PATIENTS, ts->practice_a, cases[i].csv,
                           g_str_equal (cases[i].name, "utf-16") ? 8 : -1, NULL);
      failure = signpost_import_report_get_failure (report);
      g_assert_nonnull (failure);
      field = signpost_error_dup_field (failure);
      g_assert_cmpstr (field, ==, cases[i].field);
      g_assert_nonnull (strstr (failure->message, cases[i].says));
      g_assert_cmpint (signpost_import_report_get_exit_status (report), ==, SIGNPOST_IMPORT_EXIT_FAILED);
    }

  /* A NUL byte in the middle of a good file. */
  with_nul = g_strdup_printf (HEADER "R1,%s,Nul,Nora,1970-01-01,F,,,,,,\r\n", n1);
  with_nul_length = strlen (with_nul);
  with_nul[strlen (HEADER) + 20] = '\0';
  {
    g_autoptr(SignpostImportReport) report = run_import (ts, SIGNPOST_IMPORT_PATIENTS,
                                                         ts->practice_a, with_nul,
                                                         with_nul_length, NULL);

    g_assert_nonnull (signpost_import_report_get_failure (report));
    g_assert_nonnull (strstr (signpost_import_report_get_failure (report)->message, "NUL"));
  }
  /* Binary garbage, with and without NUL bytes. */
  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(SignpostImportReport) report = NULL;

      for (guint i = 0; i < 64 * 1024; i++)
        garbage[i] = round == 0 ? g_rand_int_range (rand, 0, 256) : g_rand_int_range (rand, 1, 256);
      report = run_import (ts, SIGNPOST_IMPORT_PATIENTS, ts->practice_a, (const char *) garbage,
                           64 * 1024, NULL);
      g_assert_cmpint (signpost_import_report_get_exit_status (report), ==, SIGNPOST_IMPORT_EXIT_FAILED);
    }
  /* Nothing was written by any of them. */
  g_assert_cmpint (head (ts), ==, before);
  g_rand_free (rand);
  test_server_free (ts);
}

/* A store that fails half way through the writing keeps none of it. */
static void
test_nothing_half_written (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autoptr(GString) csv = g_string_new ("nhs_number,family_name,given_name,date_of_birth\n");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GBytes) file = NULL;
  g_autoptr(SignpostPractice) practice = test_get_record (ts, SIGNPOST_RECORD_PRACTICE, ts->practice_a);
  g_autoptr(SignpostImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  SignpostImportOptions options;
  SignpostApplyContext ctx;
  gint64 before;

  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *n = nhs_number (100 + i * 7);

      g_string_append_printf (csv, "%s,Halfway,Hana%u,1990-01-01\n", n, i);
    }
  /* The disk "fills up" at the tenth patient. */
  if (test_database_is_postgresql ())
    g_assert_true (test_database_exec (ts->database,
                                       "CREATE FUNCTION full_disk () RETURNS trigger"
                                       " LANGUAGE plpgsql AS $$ BEGIN"
                                       "  IF (SELECT count (*) FROM records WHERE kind = 'patient') >= 10"
                                       "  THEN RAISE EXCEPTION 'could not extend file' USING ERRCODE = '53100';"
                                       "  END IF; RETURN NEW; END $$;"
                                       "CREATE TRIGGER full_disk AFTER INSERT ON records"
                                       " FOR EACH ROW EXECUTE FUNCTION full_disk ()",
                                       &error));
  else
    g_assert_true (test_database_exec (ts->database,
                                       "CREATE TRIGGER full_disk AFTER INSERT ON records"
                                       " WHEN (SELECT count (*) FROM records WHERE kind = 'patient') >= 10"
                                       " BEGIN SELECT RAISE (ABORT, 'database or disk is full'); END;",
                                       &error));
  g_assert_no_error (error);
  before = head (ts);
  file = g_bytes_new (csv->str, csv->len);
  signpost_import_options_init (&options);
  signpost_apply_context_init (&ctx, test_server_store (ts), NULL, now);
  report = signpost_import_patients (&ctx, practice, file, &options, &error);
  g_assert_null (report);
  g_assert_nonnull (error);
  g_assert_cmpuint (ctx.changed->len, ==, 0);
  signpost_apply_context_clear (&ctx);
  g_assert_cmpint (head (ts), ==, before);
  list = patients (ts, ts->practice_a);
  g_assert_cmpuint (list->len, ==, 0);
  test_server_free (ts);
}

/* ---- refreshing -------------------------------------------------------- */

static char *
list_csv (guint        from,
          guint        to,
          const char  *changed_mobile)
{
  GString *csv = g_string_new (HEADER);

  for (guint i = from; i < to; i++)
    {
      g_autofree char *n = nhs_number (1000 + i * 3);

      g_string_append_printf (csv, "P%u,%s,Refresh,Rae%u,1960-01-%02u,F,LS1 4AP,07700 900%03u,,,,\r\n",
                              i, n, i, 1 + i % 28,
                              changed_mobile != NULL && i == from ? 999 : i);
    }
  return g_string_free (csv, FALSE);
}

/* Every write takes the next seq: what the feed gained since @since. */
static gint64
changes_after (TestServer *ts,
               gint64      since)
{
  return head (ts) - since;
}

static void
test_refresh (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *all = list_csv (0, 10, NULL);
  g_autofree char *changed = list_csv (0, 10, "yes");
  g_autofree char *fewer = list_csv (1, 10, NULL);
  g_autofree char *n0 = nhs_number (1000);
  g_autofree char *temporary_id = test_add_patient (ts, ts->practice_a);
  g_autoptr(SignpostImportReport) r = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(SignpostPatient) temporary = test_get_record (ts, SIGNPOST_RECORD_PATIENT, temporary_id);
  gint64 seq;

  signpost_patient_set_temporary (temporary, TRUE);
  test_put_record (ts, temporary);

  r = import_patients (ts, all);
  g_assert_cmpint (signpost_import_report_get_count (r, SIGNPOST_IMPORT_COUNT_CREATED), ==, 10);
  g_clear_object (&r);

  /* The same file again changes nothing: not a version, not a seq. */
  seq = head (ts);
  r = import_patients (ts, all);
  g_assert_cmpint (signpost_import_report_get_count (r, SIGNPOST_IMPORT_COUNT_UNCHANGED), ==, 10);
  g_assert_cmpint (signpost_import_report_get_exit_status (r), ==, 0);
  g_clear_object (&r);
  g_assert_cmpint (head (ts), ==, seq);

  /* One changed mobile: one new version, one change in the feed (plus
   * the audit, which is not in the feed). */
  r = import_patients (ts, changed);
  g_assert_cmpint (signpost_import_report_get_count (r, SIGNPOST_IMPORT_COUNT_UPDATED), ==, 1);
  g_assert_cmpint (signpost_import_report_get_count (r, SIGNPOST_IMPORT_COUNT_UNCHANGED), ==, 9);
  g_clear_object (&r);
  g_assert_cmpint (changes_after (ts, seq), ==, 1);
  list = patients (ts, ts->practice_a);
  g_assert_cmpint (signpost_record_get_version (SIGNPOST_RECORD (find_by_nhs (list, n0))), ==, 2);
  g_assert_cmpstr (phone_number (find_by_nhs (list, n0), 0), ==, "+447700900999");
  g_clear_pointer (&list, g_ptr_array_unref);

  /* A partial list marks nobody as having left. */
  {
    SignpostImportOptions options;

    signpost_import_options_init (&options);
    options.partial = TRUE;
    seq = head (ts);
    r = run_import (ts, SIGNPOST_IMPORT_PATIENTS, ts->practice_a, fewer, -1, &options);
    g_assert_cmpint (signpost_import_report_get_count (r, SIGNPOST_IMPORT_COUNT_LEFT), ==, 0);
    g_clear_object (&r);
    g_assert_cmpint (head (ts), ==, seq);
  }
  /* The full list without the first patient: they left, and are kept.
   * The temporary resident was never on it and stays as they are. */
  r = import_patients (ts, fewer);
  g_assert_cmpint (signpost_import_report_get_count (r, SIGNPOST_IMPORT_COUNT_LEFT), ==, 1);
  g_clear_object (&r);
  list = patients (ts, ts->practice_a);
  g_assert_cmpuint (list->len, ==, 11);
  g_assert_nonnull (signpost_patient_get_left_at (find_by_nhs (list, n0)));
  g_assert_null (signpost_patient_get_left_at (find_by_nhs (list, "9990000018")));
  g_assert_true (signpost_patient_get_temporary (find_by_nhs (list, "9990000018")));
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Back on the list. */
  r = import_patients (ts, changed);
  g_assert_cmpint (signpost_import_report_get_count (r, SIGNPOST_IMPORT_COUNT_REJOINED), ==, 1);
  g_clear_object (&r);
  list = patients (ts, ts->practice_a);
  g_assert_null (signpost_patient_get_left_at (find_by_nhs (list, n0)));
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Matching is on patient_ref first: a corrected NHS number updates the
   * same patient rather than making another. */
  {
    g_autofree char *n9 = nhs_number (1000 + 9 * 3);
    g_autofree char *fixed = nhs_number (5555);
    g_autoptr(GString) csv = g_string_new (changed);

    g_string_replace (csv, n9, fixed, 1);
    r = import_patients (ts, csv->str);
    g_assert_cmpint (signpost_import_report_get_count (r, SIGNPOST_IMPORT_COUNT_UPDATED), ==, 1);
    g_assert_cmpint (signpost_import_report_get_count (r, SIGNPOST_IMPORT_COUNT_CREATED), ==, 0);
    g_clear_object (&r);
    list = patients (ts, ts->practice_a);
    g_assert_nonnull (find_by_nhs (list, fixed));
    g_assert_null (find_by_nhs (list, n9));
  }
  test_server_free (ts);
}

/* The practice's registered list as the hub's statistics count it. */
static gint64
list_size (TestServer *ts,
           const char *practice_id)
{
  g_autoptr(GError) error = NULL;
  gint64 registered = -1;

  g_assert_true (signpost_store_count_list_size (test_server_store (ts), practice_id, &registered,
                                                 &error));
  g_assert_no_error (error);
  return registered;
}

/* Patients from, to: every @changed_every-th with another mobile (0: none). */
static char *
big_list_csv (guint from,
              guint to,
              guint changed_every)
{
  GString *csv = g_string_new (HEADER);

  for (guint i = from; i < to; i++)
    {
      g_autofree char *n = nhs_number (1000 + i * 3);
      gboolean changed = changed_every > 0 && i % changed_every == 0;

      g_string_append_printf (csv, "B%u,%s,Batch,Bea%u,1970-02-%02u,F,LS2 7EW,07700 900%03u,,,,\r\n",
                              i, n, i, 1 + i % 28, changed ? 999 : i % 999);
    }
  return g_string_free (csv, FALSE);
}

/* A list of thousands, written a batch at a time (a statement per
 * thousand rows on PostgreSQL): every patient created, the list size
 * kept, a refresh writing exactly what changed, and patients leaving
 * across batches taken off the list. */
static void
test_batches (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *all = big_list_csv (0, 2500, 0);
  g_autofree char *changed = big_list_csv (0, 2500, 100);
  g_autofree char *fewer = big_list_csv (1200, 2500, 100);
  g_autoptr(SignpostImportReport) r = NULL;
  g_autoptr(GPtrArray) list = NULL;
  gint64 before = list_size (ts, ts->practice_a);
  gint64 seq;
  guint left = 0;

  seq = head (ts);
  r = import_patients (ts, all);
  assert_no_failure (r);
  g_assert_cmpint (signpost_import_report_get_count (r, SIGNPOST_IMPORT_COUNT_CREATED), ==, 2500);
  g_clear_object (&r);
  g_assert_cmpint (changes_after (ts, seq), ==, 2500);
  g_assert_cmpint (list_size (ts, ts->practice_a), ==, before + 2500);

  /* Every hundredth changed: 25 new versions, nothing else. */
  seq = head (ts);
  r = import_patients (ts, changed);
  g_assert_cmpint (signpost_import_report_get_count (r, SIGNPOST_IMPORT_COUNT_UPDATED), ==, 25);
  g_assert_cmpint (signpost_import_report_get_count (r, SIGNPOST_IMPORT_COUNT_UNCHANGED), ==, 2475);
  g_clear_object (&r);
  g_assert_cmpint (changes_after (ts, seq), ==, 25);
  g_assert_cmpint (list_size (ts, ts->practice_a), ==, before + 2500);

  /* The first 1,200 are no longer on the list. */
  seq = head (ts);
  r = import_patients (ts, fewer);
  g_assert_cmpint (signpost_import_report_get_count (r, SIGNPOST_IMPORT_COUNT_LEFT), ==, 1200);
  g_assert_cmpint (signpost_import_report_get_count (r, SIGNPOST_IMPORT_COUNT_UNCHANGED), ==, 1300);
  g_clear_object (&r);
  g_assert_cmpint (changes_after (ts, seq), ==, 1200);
  g_assert_cmpint (list_size (ts, ts->practice_a), ==, before + 1300);
  list = patients (ts, ts->practice_a);
  for (guint i = 0; i < list->len; i++)
    {
      SignpostPatient *patient = g_ptr_array_index (list, i);

      if (g_strcmp0 (signpost_patient_get_family_name (patient), "Batch") != 0)
        continue;
      if (signpost_patient_get_left_at (patient) != NULL)
        {
          left++;
          g_assert_cmpint (signpost_record_get_version (SIGNPOST_RECORD (patient)), >=, 2);
        }
    }
  g_assert_cmpuint (left, ==, 1200);
  test_server_free (ts);
}

/* A row that is rejected but says who it is keeps its patient on the
 * list; one that cannot say who it is stops anybody being marked. */
static void
test_rejected_rows_do_not_leave (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *all = list_csv (0, 5, NULL);
  g_autoptr(GString) bad_phone = g_string_new (all);
  g_autoptr(SignpostImportReport) r = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *n1 = nhs_number (1003);
  gint64 seq;

  g_clear_object (&(SignpostImportReport *) { import_patients (ts, all) });
  g_string_replace (bad_phone, "07700 900001", "07700 9", 1);
  r = import_patients (ts, bad_phone->str);
  g_assert_cmpint (signpost_import_report_get_exit_status (r), ==, SIGNPOST_IMPORT_EXIT_REJECTED);
  g_assert_cmpint (signpost_import_report_get_count (r, SIGNPOST_IMPORT_COUNT_LEFT), ==, 0);
  g_clear_object (&r);
  list = patients (ts, ts->practice_a);
  g_assert_null (signpost_patient_get_left_at (find_by_nhs (list, n1)));

  /* No ref, no NHS number, no name: nobody can be marked. */
  seq = head (ts);
  r = import_patients (ts, HEADER ",,,,1970-01-01,F,,,,,,\r\n");
  g_assert_cmpint (signpost_import_report_get_count (r, SIGNPOST_IMPORT_COUNT_LEFT), ==, 0);
  g_assert_cmpint (head (ts), ==, seq + 0);
  test_server_free (ts);
}

static void
test_dry_run (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *all = list_csv (0, 4, NULL);
  g_autoptr(SignpostImportReport) r = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *text = NULL;
  SignpostImportOptions options;
  gint64 seq = head (ts);

  signpost_import_options_init (&options);
  options.dry_run = TRUE;
  r = run_import (ts, SIGNPOST_IMPORT_PATIENTS, ts->practice_a, all, -1, &options);
  g_assert_cmpint (signpost_import_report_get_count (r, SIGNPOST_IMPORT_COUNT_CREATED), ==, 4);
  text = signpost_import_report_to_text (r);
  g_assert_nonnull (strstr (text, "dry run"));
  g_assert_cmpint (head (ts), ==, seq);
  list = patients (ts, ts->practice_a);
  g_assert_cmpuint (list->len, ==, 0);
  test_server_free (ts);
}

/* ---- clinicians and sessions ------------------------------------------- */

static char *
future_date (int days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_days (now, days);

  return g_date_time_format (then, "%Y-%m-%d");
}

static void
test_clinicians (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *day = future_date (3);
  g_autofree char *csv = NULL;
  g_autoptr(SignpostImportReport) r = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  gint64 seq;

  csv = g_strdup_printf ("title,given_name,family_name,profession,duty\r\n"
                         "Dr,Gemma,Pearce,GP,%s 08:00-13:00; %s 22:00-08:00\r\n"
                         ",Nia,Nurse,Practice Nurse,\r\n"
                         ",Pat,Pharm,clinical_pharmacist,\r\n"
                         ",Bad,Job,Astronaut,\r\n"
                         ",Nia,NURSE,nurse,\r\n"
                         ",Rota,Wrong,GP,tomorrow morning\r\n", day, day);
  r = run_import (ts, SIGNPOST_IMPORT_CLINICIANS, ts->practice_a, csv, -1, NULL);
  g_assert_cmpint (signpost_import_report_get_exit_status (r), ==, SIGNPOST_IMPORT_EXIT_REJECTED);
  /* Gemma Pearce is the fixture's GP: updated, not created. */
  g_assert_cmpint (signpost_import_report_get_count (r, SIGNPOST_IMPORT_COUNT_UPDATED), ==, 1);
  g_assert_cmpint (signpost_import_report_get_count (r, SIGNPOST_IMPORT_COUNT_CREATED), ==, 1);
  /* Astronaut; Nia twice (both); the rota. */
  g_assert_cmpuint (signpost_import_report_get_n_rejections (r), ==, 4);
  g_clear_object (&r);
  list = signpost_store_list_records (test_server_store (ts), SIGNPOST_RECORD_CLINICIAN,
                                      ts->practice_a, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  {
    g_autoptr(SignpostClinician) gp = test_get_record (ts, SIGNPOST_RECORD_CLINICIAN, ts->gp_a);
    GListModel *duty = signpost_clinician_get_duty (gp);
    g_autoptr(SignpostDutyPeriod) night = g_list_model_get_item (duty, 1);

    g_assert_cmpstr (signpost_clinician_get_title (gp), ==, "Dr");
    g_assert_cmpuint (g_list_model_get_n_items (duty), ==, 2);
    /* 22:00 to 08:00 runs past midnight: ten hours (nine or eleven when
     * the clocks change that night). */
    g_assert_cmpint (g_date_time_difference (signpost_duty_period_get_end (night),
                                             signpost_duty_period_get_start (night)),
                     >=, 9 * G_TIME_SPAN_HOUR);
    g_assert_cmpint (g_date_time_difference (signpost_duty_period_get_end (night),
                                             signpost_duty_period_get_start (night)),
                     <=, 11 * G_TIME_SPAN_HOUR);
  }
  seq = head (ts);
  r = run_import (ts, SIGNPOST_IMPORT_CLINICIANS, ts->practice_a, csv, -1, NULL);
  g_assert_cmpint (signpost_import_report_get_count (r, SIGNPOST_IMPORT_COUNT_UNCHANGED), ==, 2);
  g_assert_cmpint (head (ts), ==, seq);
  test_server_free (ts);
}

static void
test_sessions (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *day = future_date (5);
  g_autofree char *past = future_date (-3);
  g_autofree char *csv = NULL;
  g_autofree char *again = NULL;
  g_autoptr(SignpostImportReport) r = NULL;
  g_autoptr(GPtrArray) slots = NULL;
  g_autoptr(GError) error = NULL;
  SignpostSlot *first = NULL;
  guint embargoed = 0, practice_only = 0;
  gint64 seq;

  csv = g_strdup_printf ("date,clinician,start,end,slot_length,mode,release,hub_bookable\r\n"
                         "%s,Dr Gemma Pearce,08:30,10:00,10,face to face,08:00,yes\r\n"
                         "%s,\"Pearce, Gemma\",14:00,15:00,15,telephone,2d 08:00,no\r\n"
                         "%s,G Pearce,09:00,09:30,10,,,\r\n"
                         "%s,Dr Gemma Pearce,08:00,09:00,10,,,\r\n"
                         "%s,Dr Nobody,08:00,09:00,10,,,\r\n"
                         "%s,Dr Gemma Pearce,16:00,16:50,15,,,\r\n"
                         "%s,Dr Gemma Pearce,17:00,18:00,10,rocket,,\r\n",
                         day, day, day, past, day, day, day);
  r = run_import (ts, SIGNPOST_IMPORT_SESSIONS, ts->practice_a, csv, -1, NULL);
  /* 9 + 4 slots; overlap, the past, nobody, 50 / 15, rocket rejected. */
  g_assert_cmpint (signpost_import_report_get_count (r, SIGNPOST_IMPORT_COUNT_CREATED), ==, 13);
  g_assert_cmpuint (signpost_import_report_get_n_rejections (r), ==, 5);
  g_clear_object (&r);
  slots = signpost_store_list_records (test_server_store (ts), SIGNPOST_RECORD_SLOT, ts->practice_a,
                                       &error);
  g_assert_no_error (error);
  g_assert_cmpuint (slots->len, ==, 13);
  for (guint i = 0; i < slots->len; i++)
    {
      SignpostSlot *slot = g_ptr_array_index (slots, i);

      g_assert_cmpstr (signpost_slot_get_clinician_id (slot), ==, ts->gp_a);
      if (signpost_slot_get_release_at (slot) != NULL)
        embargoed++;
      if (!signpost_slot_get_hub_bookable (slot))
        practice_only++;
      if (first == NULL || g_date_time_compare (signpost_slot_get_start (slot),
                                                signpost_slot_get_start (first)) < 0)
        first = slot;
    }
  g_assert_cmpuint (embargoed, ==, 13);
  g_assert_cmpuint (practice_only, ==, 4);
  g_assert_cmpint (signpost_slot_get_duration_minutes (first), ==, 10);

  /* Book the first slot, then import the two sessions again, the
   * afternoon one now by video: the booked slot is left alone, the other
   * morning ones are unchanged, the afternoon's free slots change mode. */
  signpost_slot_set_status (first, SIGNPOST_SLOT_BOOKED);
  test_put_record (ts, first);
  again = g_strdup_printf ("date,clinician,start,end,slot_length,mode,release,hub_bookable\r\n"
                           "%s,Dr Gemma Pearce,08:30,10:00,10,face to face,08:00,yes\r\n"
                           "%s,\"Pearce, Gemma\",14:00,15:00,15,video,2d 08:00,no\r\n",
                           day, day);
  seq = head (ts);
  r = run_import (ts, SIGNPOST_IMPORT_SESSIONS, ts->practice_a, again, -1, NULL);
  g_assert_cmpint (signpost_import_report_get_count (r, SIGNPOST_IMPORT_COUNT_SKIPPED), ==, 1);
  g_assert_cmpint (signpost_import_report_get_count (r, SIGNPOST_IMPORT_COUNT_UNCHANGED), ==, 8);
  g_assert_cmpint (signpost_import_report_get_count (r, SIGNPOST_IMPORT_COUNT_UPDATED), ==, 4);
  g_assert_cmpint (signpost_import_report_get_count (r, SIGNPOST_IMPORT_COUNT_CREATED), ==, 0);
  g_clear_object (&r);
  g_assert_cmpint (changes_after (ts, seq), ==, 4);
  test_server_free (ts);
}

/* ---- the admin command ------------------------------------------------- */

static int
run_admin (TestServer  *ts,
           char       **out,
           char       **err,
           ...)
{
  const char *bin = g_getenv ("SIGNPOST_SERVER_BIN");
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;

  /* Each call's output replaces the last. */
  g_clear_pointer (out, g_free);
  g_clear_pointer (err, g_free);
  g_assert_nonnull (bin);
  g_ptr_array_add (argv, g_strdup (bin));
  g_ptr_array_add (argv, g_strdup ("admin"));
  test_database_add_args (ts->database, argv);
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error));
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (process))
    g_error ("signpost-server admin died of signal %d: %s", g_subprocess_get_term_sig (process), *err);
  return g_subprocess_get_exit_status (process);
}

static char *
write_temp (TestServer *ts,
            const char *name,
            const char *contents)
{
  char *path = g_build_filename (test_database_dir (ts->database), name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, contents, -1, &error));
  return path;
}

static void
test_admin_command (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *all = list_csv (0, 3, NULL);
  g_autofree char *good = write_temp (ts, "good.csv", all);
  g_autofree char *bad = NULL;
  g_autofree char *empty = write_temp (ts, "empty.csv", "");
  g_autofree char *huge = g_build_filename (test_database_dir (ts->database), "huge.csv", NULL);
  g_autoptr(GString) with_bad_row = g_string_new (all);
  gint64 seq = head (ts);

  g_string_append (with_bad_row, "X,9990000019,Bad,Row,1970-01-01,F,,,,,,\r\n");
  bad = write_temp (ts, "bad.csv", with_bad_row->str);

  {
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint (run_admin (ts, &out, &err, "import-patients", "--practice", "Y99951",
                                "--dry-run", good, NULL), ==, 0);
    g_assert_nonnull (strstr (out, "created 3"));
    g_assert_nonnull (strstr (out, "dry run"));
    g_assert_cmpint (head (ts), ==, seq);
  }
  {
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint (run_admin (ts, &out, &err, "import-patients", "--practice", "Y99951",
                                good, NULL), ==, 0);
    g_assert_nonnull (strstr (out, "created 3"));
  }
  {
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint (run_admin (ts, &out, &err, "import-patients", "--practice", "Y99951",
                                bad, NULL), ==, 3);
    g_assert_nonnull (strstr (out, "line 5, nhs_number: is not a valid NHS number"));
    g_assert_null (strstr (out, "9990000019"));
  }
  {
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint (run_admin (ts, &out, &err, "import-patients", "--practice", "Y99951",
                                empty, NULL), ==, 1);
    g_assert_nonnull (strstr (out, "Nothing was imported"));
  }
  {
    /* 200 MB: refused before any of it is read (a sparse file: reading it
     * would take a while, refusing it does not). */
    g_autofree char *out = NULL, *err = NULL;
    int fd = g_open (huge, O_CREAT | O_WRONLY, 0600);

    g_assert_cmpint (fd, >=, 0);
    g_assert_cmpint (ftruncate (fd, 200 * 1000 * 1000), ==, 0);
    close (fd);
    g_assert_cmpint (run_admin (ts, &out, &err, "import-patients", "--practice", "Y99951",
                                huge, NULL), ==, 1);
    g_assert_nonnull (strstr (err, "nothing was read"));
    g_assert_nonnull (strstr (err, "200"));
  }
  {
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint (run_admin (ts, &out, &err, "import-patients", good, NULL), ==, 2);
    g_assert_cmpint (run_admin (ts, &out, &err, "import-patients", "--practice", "Y99951",
                                "--format", "vision", good, NULL), ==, 2);
    g_assert_cmpint (run_admin (ts, &out, &err, "import-patients", "--practice", "Y00000",
                                good, NULL), ==, 1);
  }
  test_server_free (ts);
}

/* The admin command writes into the database of a running server: the
 * server notices and its consoles hear of it like any other change. */
static void
test_live_from_command (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *all = list_csv (0, 3, NULL);
  g_autofree char *path = write_temp (ts, "list.csv", all);
  g_autofree char *nav = test_login (ts, "nav_a");
  g_autofree char *nav_b = test_login (ts, "nav_b");
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GHashTable) records = NULL;
  g_autoptr(JsonObject) notice = NULL;
  g_autoptr(JsonObject) other = NULL;
  TestLive *live = test_live_connect (ts, nav);
  TestLive *live_b = test_live_connect (ts, nav_b);
  gint64 since = 0;
  guint found = 0;

  g_clear_pointer (&(JsonObject *) { test_live_wait (live, "hello", 5000) }, json_object_unref);
  g_clear_pointer (&(JsonObject *) { test_live_wait (live_b, "hello", 5000) }, json_object_unref);
  records = test_sync (ts, nav, &since);
  g_clear_pointer (&records, g_hash_table_unref);

  g_assert_cmpint (run_admin (ts, &out, &err, "import-patients", "--practice", "Y99951", path,
                              NULL), ==, 0);
  notice = test_live_wait (live, "changes", 20000);
  g_assert_nonnull (notice);
  g_assert_cmpint (json_object_get_int_member (notice, "last_seq"), >, since);
  records = test_sync (ts, nav, NULL);
  {
    GHashTableIter iter;
    JsonObject *change;

    g_hash_table_iter_init (&iter, records);
    while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &change))
      if (g_str_equal (json_object_get_string_member (change, "type"), "patient") &&
          g_strcmp0 (json_object_get_string_member (json_object_get_object_member (change, "data"),
                                                    "family_name"), "Refresh") == 0)
        found++;
  }
  g_assert_cmpuint (found, ==, 3);
  /* Practice B's navigator is not told about practice A's patients. */
  other = test_live_wait (live_b, "changes", 1000);
  g_assert_null (other);
  test_live_free (live);
  test_live_free (live_b);
  test_server_free (ts);
}

/* ---- the API route ----------------------------------------------------- */

typedef struct {
  TestReply *reply;
  SoupMessage *msg;
} Posted;

static void
posted_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  Posted *posted = data;
  TestReply *reply = g_new0 (TestReply, 1);
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                               &reply->error);

  reply->status = soup_message_get_status (posted->msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (posted->msg));
  if (bytes != NULL)
    {
      reply->length = g_bytes_get_size (bytes);
      reply->body = g_strndup (g_bytes_get_data (bytes, NULL), reply->length);
    }
  posted->reply = reply;
}

static TestReply *
post_list (TestServer *ts,
           const char *path,
           const char *token,
           const char *content_type,
           GBytes     *body)
{
  g_autofree char *uri = g_strconcat (ts->base, path, NULL);
  Posted posted = { NULL, soup_message_new ("POST", uri) };

  if (token != NULL)
    {
      g_autofree char *header = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (posted.msg),
                                    "Authorization", header);
    }
  soup_message_set_request_body_from_bytes (posted.msg, content_type, body);
  soup_session_send_and_read_async (ts->session, posted.msg, G_PRIORITY_DEFAULT, NULL,
                                    posted_cb, &posted);
  while (posted.reply == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_object_unref (posted.msg);
  return posted.reply;
}

static TestReply *
post_csv (TestServer *ts,
          const char *path,
          const char *token,
          const char *csv)
{
  g_autoptr(GBytes) body = g_bytes_new (csv, strlen (csv));

  return post_list (ts, path, token, "text/csv", body);
}

/* Raw bytes to the server; what comes back within @timeout_ms. */
static char *
raw_exchange (TestServer *ts,
              const char *request,
              guint       timeout_ms)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback,
                                                                 signpost_server_get_port (ts->server));
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) reply = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_true (g_socket_connect (socket, address, NULL, &error));
  g_assert_cmpint (g_socket_send (socket, request, strlen (request), NULL, &error), ==,
                   (gssize) strlen (request));
  g_socket_set_blocking (socket, FALSE);
  while (g_get_monotonic_time () < deadline)
    {
      char buffer[4096];
      gssize n;

      g_clear_error (&error);
      n = g_socket_receive (socket, buffer, sizeof buffer, NULL, &error);
      if (n > 0)
        g_string_append_len (reply, buffer, n);
      else if (n == 0 || !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;
      else
        {
          g_main_context_iteration (NULL, FALSE);
          g_usleep (500);
        }
    }
  return g_string_free (g_steal_pointer (&reply), FALSE);
}

static void
test_api_route (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *admin = test_login (ts, "admin");
  g_autofree char *nav = test_login (ts, "nav_a");
  g_autofree char *all = list_csv (0, 3, NULL);
  g_autoptr(TestReply) reply = NULL;
  g_autoptr(JsonObject) report = NULL;
  g_autoptr(JsonObject) notice = NULL;
  TestLive *live = test_live_connect (ts, nav);
  gint64 seq;

  g_clear_pointer (&(JsonObject *) { test_live_wait (live, "hello", 5000) }, json_object_unref);

  /* Administrators only. */
  reply = post_csv (ts, "/api/v1/admin/import/patients?practice=Y99951", NULL, all);
  test_assert_problem (reply, 401, NULL);
  g_clear_pointer (&reply, test_reply_free);
  reply = post_csv (ts, "/api/v1/admin/import/patients?practice=Y99951", nav, all);
  test_assert_problem (reply, 403, NULL);
  g_clear_pointer (&reply, test_reply_free);

  /* Every query parameter and the body's type are checked, by name. */
  seq = head (ts);
  {
    static const struct {
      const char *query;
      guint status;
      const char *field;
    } cases[] = {
      { "", 422, "practice" },
      { "?practice=not%20a%20code", 422, "practice" },
      { "?practice=Y00000", 404, "practice" },
      { "?practice=Y99951&format=vision", 422, "format" },
      { "?practice=Y99951&dry_run=perhaps", 422, "dry_run" },
      { "?practice=Y99951&partial=2", 422, "partial" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autofree char *path = g_strconcat ("/api/v1/admin/import/patients", cases[i].query, NULL);

        g_test_message ("%s", path);
        reply = post_csv (ts, path, admin, all);
        test_assert_problem (reply, cases[i].status, cases[i].field);
        g_clear_pointer (&reply, test_reply_free);
      }
  }
  {
    g_autoptr(GBytes) body = g_bytes_new_static ("{}", 2);

    reply = post_list (ts, "/api/v1/admin/import/patients?practice=Y99951", admin,
                       "application/json", body);
    test_assert_problem (reply, 422, "Content-Type");
    g_clear_pointer (&reply, test_reply_free);
  }
  reply = post_csv (ts, "/api/v1/admin/import/patients?practice=Y99951", admin,
                    "nhs_number,family_name\r\n9990000018,A\r\n");
  test_assert_problem (reply, 422, "given_name");
  g_clear_pointer (&reply, test_reply_free);
  reply = post_csv (ts, "/api/v1/admin/import/patients?practice=Y99951", admin, "");
  test_assert_problem (reply, 422, "file");
  g_clear_pointer (&reply, test_reply_free);
  g_assert_cmpint (head (ts), ==, seq);

  /* A dry run, then the real thing: the report, and the consoles told. */
  reply = post_csv (ts, "/api/v1/admin/import/patients?practice=Y99951&dry_run=true", admin, all);
  g_assert_cmpuint (reply->status, ==, 200);
  report = test_reply_json (reply);
  g_assert_true (json_object_get_boolean_member (report, "dry_run"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (report, "counts"),
                                               "created"), ==, 3);
  g_clear_pointer (&report, json_object_unref);
  g_clear_pointer (&reply, test_reply_free);
  g_assert_cmpint (head (ts), ==, seq);

  reply = post_csv (ts, "/api/v1/admin/import/patients?practice=Y99951", admin, all);
  g_assert_cmpuint (reply->status, ==, 200);
  report = test_reply_json (reply);
  g_assert_cmpstr (json_object_get_string_member (report, "status"), ==, "applied");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (report, "counts"),
                                               "created"), ==, 3);
  g_clear_pointer (&report, json_object_unref);
  g_clear_pointer (&reply, test_reply_free);
  notice = test_live_wait (live, "changes", 10000);
  g_assert_nonnull (notice);
  g_assert_cmpint (json_object_get_int_member (notice, "last_seq"), >, seq);

  /* A multipart body with a mapping, and rows rejected: 200 with the
   * rejections listed. */
  {
    g_autoptr(SoupMultipart) multipart = soup_multipart_new ("multipart/form-data");
    g_autoptr(GBytes) csv = NULL;
    static const char map_text[] = "[columns]\nfamily_name = Surname\n";
    g_autoptr(GBytes) map = g_bytes_new_static (map_text, strlen (map_text));
    g_autoptr(GBytes) body = NULL;
    g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
    g_autofree char *n = nhs_number (777);
    g_autofree char *text = g_strdup_printf ("nhs_number,Surname,given_name,date_of_birth\r\n"
                                             "%s,Mapped,Mia,2001-01-01\r\n"
                                             "9990000019,Wrong,Wes,2001-01-01\r\n", n);
    JsonArray *rejected;

    csv = g_bytes_new (text, strlen (text));
    soup_multipart_append_form_file (multipart, "file", "list.csv", "text/csv", csv);
    soup_multipart_append_form_file (multipart, "mapping", "map.ini", "text/plain", map);
    soup_multipart_to_message (multipart, headers, &body);
    reply = post_list (ts, "/api/v1/admin/import/patients?practice=Y99951&partial=true", admin,
                       soup_message_headers_get_one (headers, "Content-Type"), body);
    g_assert_cmpuint (reply->status, ==, 200);
    report = test_reply_json (reply);
    g_assert_cmpstr (json_object_get_string_member (report, "status"), ==, "some_rejected");
    rejected = json_object_get_array_member (report, "rejected");
    g_assert_cmpuint (json_array_get_length (rejected), ==, 1);
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (rejected, 0), "line"),
                     ==, 3);
    g_assert_null (strstr (reply->body, "Wrong"));
    g_clear_pointer (&report, json_object_unref);
    g_clear_pointer (&reply, test_reply_free);
  }

  /* Clinicians and sessions the same way; their lists have no presets. */
  reply = post_csv (ts, "/api/v1/admin/import/clinicians?practice=Y99951", admin,
                    "title,given_name,family_name,profession\r\n,Nia,Nurse,nurse\r\n");
  g_assert_cmpuint (reply->status, ==, 200);
  report = test_reply_json (reply);
  g_assert_cmpstr (json_object_get_string_member (report, "import"), ==, "clinicians");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (report, "counts"),
                                               "created"), ==, 1);
  g_clear_pointer (&report, json_object_unref);
  g_clear_pointer (&reply, test_reply_free);
  reply = post_csv (ts, "/api/v1/admin/import/sessions?practice=Y99951&format=emis", admin,
                    "date,clinician,start,end,slot_length\r\n");
  test_assert_problem (reply, 422, "format");
  g_clear_pointer (&reply, test_reply_free);
  reply = post_csv (ts, "/api/v1/admin/import/clinicians?practice=Y99951&partial=true", admin,
                    "title,given_name,family_name,profession\r\n,Nia,Nurse,nurse\r\n");
  test_assert_problem (reply, 422, "partial");
  g_clear_pointer (&reply, test_reply_free);

  /* 200 MB announced: 413 at once, before a byte of it is read; 60 MB
   * announced by someone who may not import: 403, also unread. */
  {
    g_autofree char *request = g_strdup_printf ("POST /api/v1/admin/import/patients?practice=Y99951 "
                                                "HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                                "Authorization: Bearer %s\r\n"
                                                "Content-Type: text/csv\r\n"
                                                "Content-Length: 209715200\r\n\r\n", admin);
    g_autofree char *answer = raw_exchange (ts, request, 3000);

    g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 413 "));
    g_assert_nonnull (strstr (answer, "urn:signpost:problem:too-large"));
    g_free (request);
    g_free (answer);
    request = g_strdup_printf ("POST /api/v1/admin/import/patients?practice=Y99951 "
                               "HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                               "Authorization: Bearer %s\r\n"
                               "Content-Type: text/csv\r\n"
                               "Content-Length: 62914560\r\n\r\n", nav);
    answer = raw_exchange (ts, request, 3000);
    g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 403 "));
  }
  test_live_free (live);
  test_server_free (ts);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/server/import/patients/signpost-format", test_signpost_format);
  g_test_add_func ("/signpost/server/import/patients/encodings", test_encodings);
  g_test_add_func ("/signpost/server/import/patients/presets", test_presets);
  g_test_add_func ("/signpost/server/import/patients/bad-rows", test_bad_rows);
  g_test_add_func ("/signpost/server/import/patients/bad-files", test_bad_files);
  g_test_add_func ("/signpost/server/import/patients/nothing-half-written", test_nothing_half_written);
  g_test_add_func ("/signpost/server/import/patients/refresh", test_refresh);
  g_test_add_func ("/signpost/server/import/patients/batches", test_batches);
  g_test_add_func ("/signpost/server/import/patients/rejected-rows-do-not-leave",
                   test_rejected_rows_do_not_leave);
  g_test_add_func ("/signpost/server/import/patients/dry-run", test_dry_run);
  g_test_add_func ("/signpost/server/import/clinicians", test_clinicians);
  g_test_add_func ("/signpost/server/import/sessions", test_sessions);
  g_test_add_func ("/signpost/server/import/admin-command", test_admin_command);
  g_test_add_func ("/signpost/server/import/live-from-command", test_live_from_command);
  g_test_add_func ("/signpost/server/import/api-route", test_api_route);

  return g_test_run ();
}
