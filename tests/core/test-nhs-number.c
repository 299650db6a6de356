/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "signpost-core.h"

/* Only numbers in the 999 test range, which the NHS never issues. */

static void
test_valid (void)
{
  static const char * const valid[] = {
    "9434765919", /* the example from the NHS Data Dictionary */
    "9990000018",
    "9990000026",
    "9990000034",
    "9990000042",
    "9990000050", /* remainder 0: 11 − 0 = 11, so the check digit is 0 */
    "9990000069",
    "9990000107",
    "9990000190",
  };

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autofree char *normalised = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", valid[i]);
      g_assert_true (signpost_nhs_number_is_valid (valid[i]));
      g_assert_cmpint (signpost_nhs_number_check_digit (valid[i]), ==, valid[i][9] - '0');
      g_assert_true (signpost_format_check (SIGNPOST_FORMAT_NHS_NUMBER, valid[i], NULL));
      normalised = signpost_nhs_number_normalise (valid[i], &error);
      g_assert_no_error (error);
      g_assert_cmpstr (normalised, ==, valid[i]);
    }
}

static void
test_check_digit (void)
{
  static const struct {
    const char *first_nine;
    int check;
  } cases[] = {
    { "943476591", 9 },
    { "999000001", 8 },
    { "999000002", 6 },
    { "999000005", 0 },  /* 11 → 0 */
    { "999000000", -1 }, /* 10: no valid number starts with these digits */
    { "999000014", -1 },
    { "999000028", -1 },
    { "99900000", -1 },  /* too short */
    { "99900000a", -1 },
    { "", -1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].first_nine);
      g_assert_cmpint (signpost_nhs_number_check_digit (cases[i].first_nine), ==, cases[i].check);
    }
  g_assert_cmpint (signpost_nhs_number_check_digit (NULL), ==, -1);
}

static void
test_check_digit_ten (void)
{
  /* The first nine digits give check digit 10, so no tenth digit makes a
   * valid number. */
  for (char last = '0'; last <= '9'; last++)
    {
      char number[] = "999000000X";
      g_autoptr(GError) error = NULL;
      g_autofree char *normalised = NULL;

      number[9] = last;
      g_assert_false (signpost_nhs_number_is_valid (number));
      normalised = signpost_nhs_number_normalise (number, &error);
      g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID);
      g_assert_null (normalised);
    }
}

static void
test_invalid (void)
{
  static const char * const invalid[] = {
    "9434765918", /* wrong check digit */
    "9434765910",
    "9990000019",
    "9990000010",
    "999000001",   /* 9 digits */
    "99900000180", /* 11 digits */
    "",
    "999000001X",
    "ABCDEFGHIJ",
    "999 000 0018", /* the wire form has no spaces */
    "999-000-0018",
    " 9990000018",
    "9990000018 ",
    "+990000018",
    "-990000018",
    "999000001\xd9\xa8", /* ARABIC-INDIC DIGIT EIGHT is not an ASCII digit */
  };

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_test_message ("“%s”", invalid[i]);
      g_assert_false (signpost_nhs_number_is_valid (invalid[i]));
      g_assert_false (signpost_format_check (SIGNPOST_FORMAT_NHS_NUMBER, invalid[i], NULL));
    }
  g_assert_false (signpost_nhs_number_is_valid (NULL));
}

static void
test_normalise (void)
{
  static const struct {
    const char *input;
    const char *expected; /* NULL: rejected */
  } cases[] = {
    { "9990000018", "9990000018" },
    { "999 000 0018", "9990000018" },
    { "999-000-0018", "9990000018" },
    { "  999 000 0018  ", "9990000018" },
    { "999\t000\t0018", "9990000018" },
    { "943 476 5919", "9434765919" },
    { "9 9 9 0 0 0 0 0 1 8", "9990000018" },
    { "999 000 0019", NULL },   /* check digit */
    { "999 000 001", NULL },    /* 9 digits */
    { "999 000 00180", NULL },  /* 11 digits */
    { "999 000 001A", NULL },   /* letters */
    { "NHS 9990000018", NULL },
    { "999.000.0018", NULL },
    { "", NULL },
    { "   ", NULL },
    { "-", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *result = signpost_nhs_number_normalise (cases[i].input, &error);

      g_test_message ("“%s”", cases[i].input);
      if (cases[i].expected != NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpstr (result, ==, cases[i].expected);
        }
      else
        {
          g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID);
          g_assert_null (result);
          g_assert_cmpstr (error->message, !=, "");
        }
    }

  {
    g_autoptr(GError) error = NULL;
    g_assert_null (signpost_nhs_number_normalise (NULL, &error));
    g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID);
  }
}

static void
test_format (void)
{
  static const struct {
    const char *input;
    const char *expected;
  } cases[] = {
    { "9434765919", "943 476 5919" },
    { "9990000018", "999 000 0018" },
    { "999000001", "999000001" },    /* not ten digits: unchanged */
    { "99900000180", "99900000180" },
    { "999000001X", "999000001X" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *formatted = signpost_nhs_number_format (cases[i].input);
      g_assert_cmpstr (formatted, ==, cases[i].expected);
    }
  g_assert_null (signpost_nhs_number_format (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/nhs-number/valid", test_valid);
  g_test_add_func ("/signpost/nhs-number/check-digit", test_check_digit);
  g_test_add_func ("/signpost/nhs-number/check-digit-ten", test_check_digit_ten);
  g_test_add_func ("/signpost/nhs-number/invalid", test_invalid);
  g_test_add_func ("/signpost/nhs-number/normalise", test_normalise);
  g_test_add_func ("/signpost/nhs-number/format", test_format);

  return g_test_run ();
}
