/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "signpost-core.h"

typedef struct {
  SignpostFormat format;
  const char *value;
  gboolean ok;
} FormatCase;

static void
check_formats (const FormatCase *cases,
               guint             n_cases)
{
  for (guint i = 0; i < n_cases; i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = signpost_format_check (cases[i].format, cases[i].value, &error);

      g_test_message ("format %d: “%s”", cases[i].format, cases[i].value);
      if (cases[i].ok)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID);
          g_assert_cmpstr (error->message, !=, "");
        }
    }
}

static void
test_text (void)
{
  static const FormatCase cases[] = {
    { SIGNPOST_FORMAT_TEXT, "", TRUE },
    { SIGNPOST_FORMAT_TEXT, "Dr Jane Example", TRUE },
    { SIGNPOST_FORMAT_TEXT, "Siân O’Brien-Ünal", TRUE },
    { SIGNPOST_FORMAT_TEXT, "chest pain “crushing”; 40 mins", TRUE },
    { SIGNPOST_FORMAT_TEXT, "line one\nline two", FALSE },
    { SIGNPOST_FORMAT_TEXT, "tab\there", FALSE },
    { SIGNPOST_FORMAT_TEXT, "carriage\rreturn", FALSE },
    { SIGNPOST_FORMAT_TEXT, "bell\a", FALSE },
    { SIGNPOST_FORMAT_TEXT, "escape\x1b[31m", FALSE },
    { SIGNPOST_FORMAT_TEXT, "delete\x7f", FALSE },
    { SIGNPOST_FORMAT_MULTILINE, "", TRUE },
    { SIGNPOST_FORMAT_MULTILINE, "line one\nline two\r\n\tindented", TRUE },
    { SIGNPOST_FORMAT_MULTILINE, "bell\a", FALSE },
    { SIGNPOST_FORMAT_MULTILINE, "escape\x1b[31m", FALSE },
    { SIGNPOST_FORMAT_MULTILINE, "form\ffeed", FALSE },
    { SIGNPOST_FORMAT_MULTILINE, "delete\x7f", FALSE },
  };

  check_formats (cases, G_N_ELEMENTS (cases));
}

static void
test_uuid (void)
{
  static const FormatCase cases[] = {
    { SIGNPOST_FORMAT_UUID, "2f1c5b0e-8a8e-4e0b-9a43-3d7a1c0f5e21", TRUE },
    { SIGNPOST_FORMAT_UUID, "00000000-0000-0000-0000-000000000000", TRUE },
    { SIGNPOST_FORMAT_UUID, "2F1C5B0E-8A8E-4E0B-9A43-3D7A1C0F5E21", FALSE }, /* upper case */
    { SIGNPOST_FORMAT_UUID, "2f1c5b0e-8a8e-4e0b-9a43-3d7a1c0f5E21", FALSE },
    { SIGNPOST_FORMAT_UUID, "2f1c5b0e8a8e4e0b9a433d7a1c0f5e21", FALSE },     /* no dashes */
    { SIGNPOST_FORMAT_UUID, "{2f1c5b0e-8a8e-4e0b-9a43-3d7a1c0f5e21}", FALSE },
    { SIGNPOST_FORMAT_UUID, "2f1c5b0e-8a8e-4e0b-9a43-3d7a1c0f5e2", FALSE },   /* short */
    { SIGNPOST_FORMAT_UUID, "2f1c5b0e-8a8e-4e0b-9a43-3d7a1c0f5e211", FALSE }, /* long */
    { SIGNPOST_FORMAT_UUID, "2f1c5b0e-8a8e-4e0b-9a43-3d7a1c0f5e2g", FALSE },  /* not hex */
    { SIGNPOST_FORMAT_UUID, "2f1c5b0e_8a8e_4e0b_9a43_3d7a1c0f5e21", FALSE },
    { SIGNPOST_FORMAT_UUID, " 2f1c5b0e-8a8e-4e0b-9a43-3d7a1c0f5e2", FALSE },
    { SIGNPOST_FORMAT_UUID, "", FALSE },
  };

  check_formats (cases, G_N_ELEMENTS (cases));
  g_assert_true (signpost_uuid_is_canonical ("2f1c5b0e-8a8e-4e0b-9a43-3d7a1c0f5e21"));
  g_assert_false (signpost_uuid_is_canonical (NULL));

  /* What GLib generates is canonical. */
  for (int i = 0; i < 16; i++)
    {
      g_autofree char *uuid = g_uuid_string_random ();
      g_assert_true (signpost_uuid_is_canonical (uuid));
    }
}

static void
test_date (void)
{
  static const FormatCase cases[] = {
    { SIGNPOST_FORMAT_DATE, "2026-11-23", TRUE },
    { SIGNPOST_FORMAT_DATE, "2024-02-29", TRUE },
    { SIGNPOST_FORMAT_DATE, "2026-02-29", FALSE },
    { SIGNPOST_FORMAT_DATE, "23/11/2026", FALSE },
    { SIGNPOST_FORMAT_DATE, "2026-11-23T00:00:00Z", FALSE },
    { SIGNPOST_FORMAT_DATE, "", FALSE },
  };

  check_formats (cases, G_N_ELEMENTS (cases));
}

static void
test_e164 (void)
{
  static const FormatCase cases[] = {
    { SIGNPOST_FORMAT_E164, "+447700900123", TRUE },
    { SIGNPOST_FORMAT_E164, "+442079460123", TRUE },
    { SIGNPOST_FORMAT_E164, "+33199001234", TRUE },
    { SIGNPOST_FORMAT_E164, "07700900123", FALSE },
    { SIGNPOST_FORMAT_E164, "+44 7700 900123", FALSE },
    { SIGNPOST_FORMAT_E164, "447700900123", FALSE },
    { SIGNPOST_FORMAT_E164, "+4407700900123", FALSE },
    { SIGNPOST_FORMAT_E164, "", FALSE },
  };

  check_formats (cases, G_N_ELEMENTS (cases));
}

static void
test_nhs_number (void)
{
  static const FormatCase cases[] = {
    { SIGNPOST_FORMAT_NHS_NUMBER, "9990000018", TRUE },
    { SIGNPOST_FORMAT_NHS_NUMBER, "9434765919", TRUE },
    { SIGNPOST_FORMAT_NHS_NUMBER, "9990000019", FALSE },
    { SIGNPOST_FORMAT_NHS_NUMBER, "999 000 0018", FALSE },
    { SIGNPOST_FORMAT_NHS_NUMBER, "", FALSE },
  };

  check_formats (cases, G_N_ELEMENTS (cases));
}

static void
test_ods_code (void)
{
  static const FormatCase cases[] = {
    { SIGNPOST_FORMAT_ODS_CODE, "Y01234", TRUE },
    { SIGNPOST_FORMAT_ODS_CODE, "A81001", TRUE },
    { SIGNPOST_FORMAT_ODS_CODE, "RX1", TRUE },
    { SIGNPOST_FORMAT_ODS_CODE, "ABCDEFGHIJ", TRUE },  /* 10 characters */
    { SIGNPOST_FORMAT_ODS_CODE, "ABCDEFGHIJK", FALSE }, /* 11 */
    { SIGNPOST_FORMAT_ODS_CODE, "Y0", FALSE },
    { SIGNPOST_FORMAT_ODS_CODE, "y01234", FALSE },
    { SIGNPOST_FORMAT_ODS_CODE, "01234Y", FALSE },     /* starts with a digit */
    { SIGNPOST_FORMAT_ODS_CODE, "Y01 234", FALSE },
    { SIGNPOST_FORMAT_ODS_CODE, "Y01-234", FALSE },
    { SIGNPOST_FORMAT_ODS_CODE, "", FALSE },
  };

  check_formats (cases, G_N_ELEMENTS (cases));
}

static void
test_time_zone (void)
{
  static const FormatCase cases[] = {
    { SIGNPOST_FORMAT_TIME_ZONE, "Europe/London", TRUE },
    { SIGNPOST_FORMAT_TIME_ZONE, "Europe/Belfast", TRUE },
    { SIGNPOST_FORMAT_TIME_ZONE, "America/Argentina/Buenos_Aires", TRUE },
    { SIGNPOST_FORMAT_TIME_ZONE, "America/Port-au-Prince", TRUE },
    { SIGNPOST_FORMAT_TIME_ZONE, "Etc/GMT+1", TRUE },
    { SIGNPOST_FORMAT_TIME_ZONE, "UTC", TRUE },
    { SIGNPOST_FORMAT_TIME_ZONE, "Mars/Olympus_Mons", FALSE },
    { SIGNPOST_FORMAT_TIME_ZONE, "Europe/Londonx", FALSE },
    { SIGNPOST_FORMAT_TIME_ZONE, "europe/london", FALSE },
    { SIGNPOST_FORMAT_TIME_ZONE, "Europe", FALSE },
    { SIGNPOST_FORMAT_TIME_ZONE, "/usr/share/zoneinfo/Europe/London", FALSE },
    { SIGNPOST_FORMAT_TIME_ZONE, "../zoneinfo/Europe/London", FALSE },
    { SIGNPOST_FORMAT_TIME_ZONE, "Europe/../Europe/London", FALSE },
    { SIGNPOST_FORMAT_TIME_ZONE, "Europe/London ", FALSE },
    { SIGNPOST_FORMAT_TIME_ZONE, "Europe\\London", FALSE },
    /* POSIX TZ strings and bare offsets parse, but are not IANA names and
     * have no daylight-saving rules a practice would expect. */
    { SIGNPOST_FORMAT_TIME_ZONE, "UTC+5", FALSE },
    { SIGNPOST_FORMAT_TIME_ZONE, "GMT+1", FALSE },
    { SIGNPOST_FORMAT_TIME_ZONE, "ABC+5", FALSE },
    { SIGNPOST_FORMAT_TIME_ZONE, "GMT0BST,M3.5.0/1,M10.5.0", FALSE },
    { SIGNPOST_FORMAT_TIME_ZONE, "+01:00", FALSE },
    { SIGNPOST_FORMAT_TIME_ZONE, "Z", FALSE },
    { SIGNPOST_FORMAT_TIME_ZONE, "", FALSE },
  };

  check_formats (cases, G_N_ELEMENTS (cases));
  g_assert_false (signpost_time_zone_is_known (NULL));
}

static void
test_key (void)
{
  static const FormatCase cases[] = {
    { SIGNPOST_FORMAT_KEY, "chest_pain", TRUE },
    { SIGNPOST_FORMAT_KEY, "a", TRUE },
    { SIGNPOST_FORMAT_KEY, "nhs_111", TRUE },
    { SIGNPOST_FORMAT_KEY, "Chest_pain", FALSE },
    { SIGNPOST_FORMAT_KEY, "_chest", FALSE },
    { SIGNPOST_FORMAT_KEY, "1chest", FALSE },
    { SIGNPOST_FORMAT_KEY, "chest-pain", FALSE },
    { SIGNPOST_FORMAT_KEY, "chest pain", FALSE },
    { SIGNPOST_FORMAT_KEY, "", FALSE },
  };
  g_autofree char *long_key = g_strnfill (64, 'a');
  g_autofree char *too_long_key = g_strnfill (65, 'a');
  FormatCase lengths[] = {
    { SIGNPOST_FORMAT_KEY, long_key, TRUE },
    { SIGNPOST_FORMAT_KEY, too_long_key, FALSE },
  };

  check_formats (cases, G_N_ELEMENTS (cases));
  check_formats (lengths, G_N_ELEMENTS (lengths));
}

static void
test_postcode (void)
{
  static const FormatCase cases[] = {
    { SIGNPOST_FORMAT_POSTCODE, "LS1 4AP", TRUE },   /* AA9 */
    { SIGNPOST_FORMAT_POSTCODE, "M1 1AE", TRUE },    /* A9 */
    { SIGNPOST_FORMAT_POSTCODE, "B33 8TH", TRUE },   /* A99 */
    { SIGNPOST_FORMAT_POSTCODE, "CR2 6XH", TRUE },   /* AA9 */
    { SIGNPOST_FORMAT_POSTCODE, "DN55 1PT", TRUE },  /* AA99 */
    { SIGNPOST_FORMAT_POSTCODE, "W1A 0AX", TRUE },   /* A9A */
    { SIGNPOST_FORMAT_POSTCODE, "EC1A 1BB", TRUE },  /* AA9A */
    { SIGNPOST_FORMAT_POSTCODE, "ls1 4ap", FALSE },  /* the wire form is upper case */
    { SIGNPOST_FORMAT_POSTCODE, "LS14AP", FALSE },   /* and has the space */
    { SIGNPOST_FORMAT_POSTCODE, "LS1  4AP", FALSE },
    { SIGNPOST_FORMAT_POSTCODE, " LS1 4AP", FALSE },
    { SIGNPOST_FORMAT_POSTCODE, "LS1 4AP ", FALSE },
    { SIGNPOST_FORMAT_POSTCODE, "1S1 4AP", FALSE },
    { SIGNPOST_FORMAT_POSTCODE, "LSS 4AP", FALSE },
    { SIGNPOST_FORMAT_POSTCODE, "LS1 44P", FALSE },
    { SIGNPOST_FORMAT_POSTCODE, "LS1 A4P", FALSE },
    { SIGNPOST_FORMAT_POSTCODE, "LS123 4AP", FALSE },
    { SIGNPOST_FORMAT_POSTCODE, "L 4AP", FALSE },
    { SIGNPOST_FORMAT_POSTCODE, "LS1 4A", FALSE },
    { SIGNPOST_FORMAT_POSTCODE, "", FALSE },
  };

  check_formats (cases, G_N_ELEMENTS (cases));
}

static void
test_username (void)
{
  static const FormatCase cases[] = {
    { SIGNPOST_FORMAT_USERNAME, "navigator", TRUE },
    { SIGNPOST_FORMAT_USERNAME, "a.n.other", TRUE },
    { SIGNPOST_FORMAT_USERNAME, "j-smith_2", TRUE },
    { SIGNPOST_FORMAT_USERNAME, "2nd.navigator", TRUE },
    { SIGNPOST_FORMAT_USERNAME, "JSmith", FALSE },
    { SIGNPOST_FORMAT_USERNAME, ".hidden", FALSE },
    { SIGNPOST_FORMAT_USERNAME, "-dash", FALSE },
    { SIGNPOST_FORMAT_USERNAME, "j smith", FALSE },
    { SIGNPOST_FORMAT_USERNAME, "j@example", FALSE },
    { SIGNPOST_FORMAT_USERNAME, "", FALSE },
  };

  check_formats (cases, G_N_ELEMENTS (cases));
}

static void
test_postcode_normalise (void)
{
  static const struct {
    const char *input;
    const char *expected; /* NULL: rejected */
  } cases[] = {
    { "LS1 4AP", "LS1 4AP" },
    { "ls14ap", "LS1 4AP" },
    { "LS1 4AP ", "LS1 4AP" },
    { "  ls1  4ap", "LS1 4AP" },
    { "l s 1 4 a p", "LS1 4AP" },
    { "m11ae", "M1 1AE" },
    { "ec1a1bb", "EC1A 1BB" },
    { "w1a0ax", "W1A 0AX" },
    { "DN551PT", "DN55 1PT" },
    { "LS1\t4AP", "LS1 4AP" },
    { "LS1-4AP", NULL },
    { "LS1 4A", NULL },
    { "L4AP", NULL },          /* four characters */
    { "LS123 4AP", NULL },     /* eight */
    { "LS1 4AP LS1 4AP", NULL },
    { "12345", NULL },
    { "LS1 444", NULL },
    { "", NULL },
    { "   ", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *result = signpost_postcode_normalise (cases[i].input, &error);

      g_test_message ("“%s”", cases[i].input);
      if (cases[i].expected != NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpstr (result, ==, cases[i].expected);
          g_assert_true (signpost_format_check (SIGNPOST_FORMAT_POSTCODE, result, NULL));
        }
      else
        {
          g_assert_null (result);
          g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID);
        }
    }

  {
    g_autoptr(GError) error = NULL;
    g_assert_null (signpost_postcode_normalise (NULL, &error));
    g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID);
  }
}

/* CSV fields: RFC 4180 quoting, and no formula a spreadsheet would run. */
static void
test_csv (void)
{
  static const struct { const char *in; gboolean text; const char *out; } cases[] = {
    { "Hillview Surgery", TRUE, "Hillview Surgery" },
    { "a,b", TRUE, "\"a,b\"" },
    { "say \"hi\"", TRUE, "\"say \"\"hi\"\"\"" },
    { "two\r\nlines", TRUE, "\"two\r\nlines\"" },
    { "", TRUE, "" },
    { "=HYPERLINK(\"http://x\")", TRUE, "\"'=HYPERLINK(\"\"http://x\"\")\"" },
    { "=1+1", TRUE, "'=1+1" },
    { "+44 20", TRUE, "'+44 20" },
    { "-1+cmd", TRUE, "'-1+cmd" },
    { "@SUM(A1)", TRUE, "'@SUM(A1)" },
    { "\tx", TRUE, "'\tx" },
    { "\r=x", TRUE, "\"'\r=x\"" },
    { "Dr =Smith", TRUE, "Dr =Smith" },
    { "-2.5", FALSE, "-2.5" },
    { "12", FALSE, "12" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) out = g_string_new (NULL);

      signpost_csv_append (out, cases[i].in, cases[i].text);
      g_assert_cmpstr (out->str, ==, cases[i].out);
    }
  {
    g_autoptr(GString) out = g_string_new ("x,");

    signpost_csv_append (out, NULL, TRUE);
    g_assert_cmpstr (out->str, ==, "x,");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/format/text", test_text);
  g_test_add_func ("/signpost/format/uuid", test_uuid);
  g_test_add_func ("/signpost/format/date", test_date);
  g_test_add_func ("/signpost/format/e164", test_e164);
  g_test_add_func ("/signpost/format/nhs-number", test_nhs_number);
  g_test_add_func ("/signpost/format/ods-code", test_ods_code);
  g_test_add_func ("/signpost/format/time-zone", test_time_zone);
  g_test_add_func ("/signpost/format/key", test_key);
  g_test_add_func ("/signpost/format/postcode", test_postcode);
  g_test_add_func ("/signpost/format/username", test_username);
  g_test_add_func ("/signpost/format/postcode-normalise", test_postcode_normalise);
  g_test_add_func ("/signpost/format/csv", test_csv);

  return g_test_run ();
}
