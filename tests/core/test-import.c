/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "signpost-core.h"

/* The CSV reader and the cell parsers behind list imports. */

static GPtrArray *
read_all (const char *data,
          gssize      length,
          GError    **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, length < 0 ? strlen (data) : (gsize) length);
  g_autoptr(SignpostCsvReader) reader = signpost_csv_reader_new (bytes, error);
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  GStrv fields = NULL;
  guint line = 0;

  if (reader == NULL)
    return NULL;
  while (signpost_csv_reader_next (reader, &fields, &line, error))
    {
      /* The line number rides along as the record's last field. */
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_autofree char *number = g_strdup_printf ("@%u", line);

      g_strv_builder_addv (builder, (const char **) fields);
      g_strv_builder_add (builder, number);
      g_ptr_array_add (records, g_strv_builder_end (builder));
      g_strfreev (fields);
    }
  if (error != NULL && *error != NULL)
    return NULL;
  return g_steal_pointer (&records);
}

static void
assert_record (GPtrArray  *records,
               guint       index,
               const char *joined)
{
  g_autofree char *actual = NULL;

  g_assert_cmpuint (index, <, records->len);
  actual = g_strjoinv ("|", g_ptr_array_index (records, index));
  g_assert_cmpstr (actual, ==, joined);
}

static void
test_csv_basic (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;

  records = read_all ("a,b,c\r\n1,\"two, three\",\"say \"\"hi\"\"\"\r\n\r\n"
                      "4,\"multi\r\nline\",6\n7,,\n,,\n8,9,10", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 5);
  assert_record (records, 0, "a|b|c|@1");
  assert_record (records, 1, "1|two, three|say \"hi\"|@2");
  assert_record (records, 2, "4|multi\r\nline|6|@4");
  assert_record (records, 3, "7|||@6");
  /* ",,," is a blank line: line 7 gives no record. */
  assert_record (records, 4, "8|9|10|@8");
}

static void
test_csv_empty (void)
{
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(SignpostCsvReader) reader = signpost_csv_reader_new (empty, &error);
  GStrv fields = NULL;

  g_assert_no_error (error);
  g_assert_false (signpost_csv_reader_next (reader, &fields, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (fields);
}

static void
test_csv_line_endings (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;

  records = read_all ("a\rb\nc\r\nd", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 4);
  assert_record (records, 3, "d|@4");
}

static void
test_csv_encodings (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(SignpostCsvReader) reader = NULL;
  /* "Zoë,Siân,Chloé,€" in Windows-1252. */
  const char cp1252[] = "Zo\xEB,Si\xE2n,Chlo\xE9,\x80\r\n";
  const char utf8_bom[] = "\xEF\xBB\xBF" "\xC5\x81ukasz,Zo\xC3\xAB\n";

  records = read_all (cp1252, -1, &error);
  g_assert_no_error (error);
  assert_record (records, 0, "Zoë|Siân|Chloé|€|@1");
  g_clear_pointer (&records, g_ptr_array_unref);

  records = read_all (utf8_bom, -1, &error);
  g_assert_no_error (error);
  assert_record (records, 0, "Łukasz|Zoë|@1");

  bytes = g_bytes_new_static (cp1252, strlen (cp1252));
  reader = signpost_csv_reader_new (bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (signpost_csv_reader_get_encoding (reader), ==, "windows-1252");
}

static void
test_csv_refused (void)
{
  static const struct {
    const char *name;
    const char *data;
    gsize length;
    const char *says;
  } cases[] = {
    { "nul", "a,b\r\nc\0d,e\r\n", 12, "Line 2 holds a NUL byte" },
    { "utf-16", "\xFF\xFE" "a\0,\0b\0", 8, "UTF-16" },
    { "bom but not utf-8", "\xEF\xBB\xBF" "a\n\xE9" "b\n", 8, "Line 2 is not UTF-8" },
    { "undefined in cp1252", "ok\nZo\x81\n", 7, "Line 2 is neither UTF-8" },
    { "unclosed quote", "a,b\n1,\"never\nclosed\n", 20, "Line 2 opens a quoted field" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) records = NULL;

      g_test_message ("%s", cases[i].name);
      records = read_all (cases[i].data, cases[i].length, &error);
      g_assert_null (records);
      g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, cases[i].says));
    }
}

static void
test_csv_limits (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GString) wide = g_string_new (NULL);
  g_autoptr(GString) huge = g_string_new ("name\n\"");

  /* A 10,000-character field is a long field, not a broken file. */
  g_string_append (wide, "name\n");
  for (guint i = 0; i < 10000; i++)
    g_string_append_c (wide, 'x');
  records = read_all (wide->str, wide->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (((GStrv) g_ptr_array_index (records, 1))[0]), ==, 10000);
  g_clear_pointer (&records, g_ptr_array_unref);

  for (guint i = 0; i < SIGNPOST_CSV_MAX_FIELD_BYTES + 10; i++)
    g_string_append_c (huge, 'y');
  g_string_append (huge, "\"\n");
  records = read_all (huge->str, huge->len, &error);
  g_assert_null (records);
  g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_TOO_LARGE);
  g_clear_error (&error);

  g_string_assign (wide, "");
  for (guint i = 0; i <= SIGNPOST_CSV_MAX_FIELDS; i++)
    g_string_append (wide, "a,");
  records = read_all (wide->str, wide->len, &error);
  g_assert_null (records);
  g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_TOO_LARGE);
}

static void
test_dates (void)
{
  static const struct {
    const char *text;
    int day, month, year;     /* 0: refused */
  } cases[] = {
    { "2026-11-23", 23, 11, 2026 },
    { "23/11/2026", 23, 11, 2026 },
    { "1/2/1980", 1, 2, 1980 },
    { "01-02-1980", 1, 2, 1980 },
    { "29.02.2024", 29, 2, 2024 },
    { "12-Mar-1967", 12, 3, 1967 },
    { "12 March 1967", 12, 3, 1967 },
    { "23/11/2026 00:00", 23, 11, 2026 },
    { "29/02/2023", 0 },
    { "31/04/2001", 0 },
    { "11/23/2026", 0 },
    { "2026-13-01", 0 },
    { "2026-1-01", 0 },
    { "12 Marchy 1967", 0 },
    { "23/11/26", 0 },
    { "1799-12-31", 0 },
    { "23/11/2026 08:00", 0 },
    { "", 0 },
    { "yesterday", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GDate date;

      g_test_message ("%s", cases[i].text);
      g_date_clear (&date, 1);
      if (cases[i].day == 0)
        {
          g_assert_false (signpost_import_parse_date (cases[i].text, &date));
          continue;
        }
      g_assert_true (signpost_import_parse_date (cases[i].text, &date));
      g_assert_cmpint (g_date_get_day (&date), ==, cases[i].day);
      g_assert_cmpint (g_date_get_month (&date), ==, cases[i].month);
      g_assert_cmpint (g_date_get_year (&date), ==, cases[i].year);
    }
}

static void
test_words (void)
{
  SignpostSex sex;
  SignpostProfession profession;
  SignpostSlotMode mode;
  gboolean flag;
  int hour, minute;

  g_assert_true (signpost_import_parse_sex ("F", &sex));
  g_assert_cmpint (sex, ==, SIGNPOST_SEX_FEMALE);
  g_assert_true (signpost_import_parse_sex ("Male", &sex));
  g_assert_cmpint (sex, ==, SIGNPOST_SEX_MALE);
  g_assert_true (signpost_import_parse_sex ("I", &sex));
  g_assert_cmpint (sex, ==, SIGNPOST_SEX_OTHER);
  g_assert_true (signpost_import_parse_sex ("Not known", &sex));
  g_assert_cmpint (sex, ==, SIGNPOST_SEX_UNKNOWN);
  g_assert_false (signpost_import_parse_sex ("Q", &sex));
  g_assert_false (signpost_import_parse_sex ("", &sex));

  g_assert_true (signpost_import_parse_profession ("Advanced Nurse Practitioner", &profession));
  g_assert_cmpint (profession, ==, SIGNPOST_PROFESSION_NURSE);
  g_assert_true (signpost_import_parse_profession ("first_contact_physio", &profession));
  g_assert_cmpint (profession, ==, SIGNPOST_PROFESSION_PHYSIO);
  g_assert_false (signpost_import_parse_profession ("astronaut", &profession));

  g_assert_true (signpost_import_parse_slot_mode ("Face-to-face", &mode));
  g_assert_cmpint (mode, ==, SIGNPOST_SLOT_MODE_FACE_TO_FACE);
  g_assert_true (signpost_import_parse_slot_mode ("home_visit", &mode));
  g_assert_cmpint (mode, ==, SIGNPOST_SLOT_MODE_HOME_VISIT);

  g_assert_true (signpost_import_parse_boolean ("Yes", &flag));
  g_assert_true (flag);
  g_assert_true (signpost_import_parse_boolean ("0", &flag));
  g_assert_false (flag);
  g_assert_false (signpost_import_parse_boolean ("maybe", &flag));

  g_assert_true (signpost_import_parse_time ("8:30", &hour, &minute));
  g_assert_cmpint (hour * 60 + minute, ==, 510);
  g_assert_false (signpost_import_parse_time ("24:00", &hour, &minute));
  g_assert_false (signpost_import_parse_time ("08:5", &hour, &minute));
}

static void
test_text (void)
{
  g_autofree char *a = signpost_import_clean_text ("  Siân \xC2\xA0");
  g_autofree char *b = signpost_import_clean_text (" \t ");
  g_auto(GStrv) t1 = signpost_import_name_tokens ("Dr Anna SMITH");
  g_auto(GStrv) t2 = signpost_import_name_tokens ("SMITH, Anna (Dr)");

  g_assert_cmpstr (a, ==, "Siân");
  g_assert_null (b);
  g_assert_true (signpost_import_looks_like_formula ("=HYPERLINK(\"http://x\")"));
  g_assert_true (signpost_import_looks_like_formula ("@SUM(A1)"));
  g_assert_false (signpost_import_looks_like_formula ("O'Neill"));
  g_assert_cmpuint (g_strv_length (t1), ==, 2);
  g_assert_cmpstr (t1[0], ==, "anna");
  g_assert_cmpstr (t1[1], ==, "smith");
  g_assert_cmpstr (t2[0], ==, "smith");
  g_assert_cmpstr (t2[1], ==, "anna");
}

static void
test_uuid_from_name (void)
{
  /* RFC 4122's example namespace (DNS) and a known version 5 result. */
  g_autofree char *dns = signpost_uuid_from_name ("6ba7b810-9dad-11d1-80b4-00c04fd430c8",
                                                  "python.org");
  g_autofree char *again = signpost_uuid_from_name ("6ba7b810-9dad-11d1-80b4-00c04fd430c8",
                                                    "python.org");
  g_autofree char *other = signpost_uuid_from_name ("6ba7b810-9dad-11d1-80b4-00c04fd430c8",
                                                    "python.org.");

  g_assert_cmpstr (dns, ==, "886313e1-3b8a-5372-9b90-0c9aee199e5d");
  g_assert_cmpstr (again, ==, dns);
  g_assert_cmpstr (other, !=, dns);
  g_assert_true (signpost_uuid_is_canonical (dns));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/import/csv/basic", test_csv_basic);
  g_test_add_func ("/signpost/import/csv/empty", test_csv_empty);
  g_test_add_func ("/signpost/import/csv/line-endings", test_csv_line_endings);
  g_test_add_func ("/signpost/import/csv/encodings", test_csv_encodings);
  g_test_add_func ("/signpost/import/csv/refused", test_csv_refused);
  g_test_add_func ("/signpost/import/csv/limits", test_csv_limits);
  g_test_add_func ("/signpost/import/values/dates", test_dates);
  g_test_add_func ("/signpost/import/values/words", test_words);
  g_test_add_func ("/signpost/import/values/text", test_text);
  g_test_add_func ("/signpost/import/values/uuid-from-name", test_uuid_from_name);

  return g_test_run ();
}
