/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "signpost-core.h"

/* Only Ofcom's drama numbers: 07700 900xxx, 01632 960xxx, 020 7946 0xxx,
 * 0117 496 0xxx. */

typedef struct {
  const char *input;
  const char *e164; /* NULL: rejected */
} NormaliseCase;

static void
check_normalise (const NormaliseCase *cases,
                 guint                n_cases)
{
  for (guint i = 0; i < n_cases; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *result = signpost_phone_normalise (cases[i].input, &error);

      g_test_message ("“%s”", cases[i].input);
      if (cases[i].e164 != NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpstr (result, ==, cases[i].e164);
          g_assert_true (signpost_phone_is_e164 (result));
          g_assert_true (signpost_format_check (SIGNPOST_FORMAT_E164, result, NULL));
        }
      else
        {
          g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID);
          g_assert_null (result);
        }
    }
}

static void
test_uk_mobile (void)
{
  static const NormaliseCase cases[] = {
    { "07700 900123", "+447700900123" },
    { "07700900123", "+447700900123" },
    { "+44 (0)7700 900123", "+447700900123" },
    { "+44(0)7700900123", "+447700900123" },
    { "0044 7700 900123", "+447700900123" },
    { "0044 (0)7700 900123", "+447700900123" },
    { "00447700900123", "+447700900123" },
    { "+447700900123", "+447700900123" },
    { "+44 7700 900123", "+447700900123" },
    { "+44 07700 900123", "+447700900123" }, /* stray trunk zero */
    { "447700900123", "+447700900123" },     /* as phone systems send the CLI */
    { "07700-900-123", "+447700900123" },
    { "(07700) 900123", "+447700900123" },
    { "07700 900 123", "+447700900123" },
    { "07700.900.123", "+447700900123" },
    { "  07700 900123  ", "+447700900123" },
    { "\t07700\t900123", "+447700900123" },
    { "07700 900000", "+447700900000" },
    { "07700 900999", "+447700900999" },
  };

  check_normalise (cases, G_N_ELEMENTS (cases));
}

static void
test_uk_landline (void)
{
  static const NormaliseCase cases[] = {
    { "01632 960123", "+441632960123" },
    { "01632960123", "+441632960123" },
    { "+44 1632 960123", "+441632960123" },
    { "441632960123", "+441632960123" },
    { "020 7946 0123", "+442079460123" },
    { "(020) 7946 0123", "+442079460123" },
    { "020-7946-0123", "+442079460123" },
    { "+44 (0)20 7946 0123", "+442079460123" },
    { "+44 (0) 20 7946 0123", "+442079460123" },
    { "0044 20 7946 0123", "+442079460123" },
    { "442079460123", "+442079460123" },
    { "0117 496 0123", "+441174960123" },
    { "(0117) 496 0123", "+441174960123" },
    { "0117-496-0123", "+441174960123" },
    { "+44 117 496 0123", "+441174960123" },
  };

  check_normalise (cases, G_N_ELEMENTS (cases));
}

static void
test_international (void)
{
  static const NormaliseCase cases[] = {
    { "+33 1 99 00 12 34", "+33199001234" },
    { "0033 1 99 00 12 34", "+33199001234" },
    { "+33 (0)1 99 00 12 34", "+33199001234" },
    { "+353 20 912 3456", "+353209123456" },
    { "00353 20 912 3456", "+353209123456" },
    { "+1 202 555 0100", "+12025550100" },
    { "+1-202-555-0100", "+12025550100" },
    { "+0 1234567", NULL },            /* no country code starts with 0 */
    { "000 1234567", NULL },
    { "+33 1234", NULL },              /* under 7 digits in all */
    { "+33 1234 5678 9012 3456", NULL }, /* over 15 digits */
  };

  check_normalise (cases, G_N_ELEMENTS (cases));
}

static void
test_junk (void)
{
  static const NormaliseCase cases[] = {
    { "", NULL },
    { "   ", NULL },
    { "+", NULL },
    { "+ ", NULL },
    { "()", NULL },
    { "-", NULL },
    { "abc", NULL },
    { "07700 9OO123", NULL },      /* letter O for zero */
    { "07700 900123 ext 4", NULL },
    { "07700 900123#", NULL },
    { "++447700900123", NULL },
    { "07700+900123", NULL },
    { "0", NULL },
    { "00", NULL },
    { "0044", NULL },
    { "07700", NULL },             /* too short */
    { "07700 9001", NULL },
    { "+44 7700 9001", NULL },
    { "07700 900123 4", NULL },    /* too long for the UK */
    { "+44 7700 900123 45", NULL },
    { "4477009001234", NULL },
    { "7700900123", NULL },        /* neither 0 nor + nor 00 */
    { "+44 0", NULL },
    { "0\xef\xbc\x97" "700 900123", NULL }, /* FULLWIDTH DIGIT SEVEN */
  };

  check_normalise (cases, G_N_ELEMENTS (cases));

  {
    g_autoptr(GError) error = NULL;
    g_assert_null (signpost_phone_normalise (NULL, &error));
    g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID);
  }
  {
    /* Very long input is refused before any digit is looked at. */
    g_autofree char *long_input = g_strnfill (200, '0');
    g_autoptr(GError) error = NULL;
    g_assert_null (signpost_phone_normalise (long_input, &error));
    g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID);
  }
}

static void
test_withheld (void)
{
  static const char * const withheld[] = {
    "", " ", "withheld", "Withheld", "WITHHELD", "anonymous", "Anonymous",
    "private", "Private ", " PRIVATE", "unavailable", "restricted", "unknown",
    "blocked",
  };
  static const char * const not_withheld[] = {
    "+447700900123", "07700 900123", "withheld7700", "private line",
    "anonymouse", "0",
  };

  for (guint i = 0; i < G_N_ELEMENTS (withheld); i++)
    {
      g_test_message ("“%s”", withheld[i]);
      g_assert_true (signpost_phone_is_withheld (withheld[i]));
    }
  g_assert_true (signpost_phone_is_withheld (NULL));
  for (guint i = 0; i < G_N_ELEMENTS (not_withheld); i++)
    {
      g_test_message ("“%s”", not_withheld[i]);
      g_assert_false (signpost_phone_is_withheld (not_withheld[i]));
    }
}

static void
test_is_e164 (void)
{
  static const char * const good[] = {
    "+447700900123", "+441632960123", "+442079460123", "+441174960123",
    "+33199001234", "+12025550100", "+1234567",
    "+123456789012345", /* 15 digits */
  };
  static const char * const bad[] = {
    "", "+", "447700900123", "07700900123", "+44 7700 900123", "+4407700900123",
    "+4477009001", "+4477009001234", /* UK numbers have 9 or 10 digits after 44 */
    "+0123456789", "+123456", "+1234567890123456", "+44770090012a", "++447700900123",
    "+447700900123 ",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_test_message ("“%s”", good[i]);
      g_assert_true (signpost_phone_is_e164 (good[i]));
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_test_message ("“%s”", bad[i]);
      g_assert_false (signpost_phone_is_e164 (bad[i]));
    }
  g_assert_false (signpost_phone_is_e164 (NULL));

  g_assert_true (signpost_phone_is_uk ("+447700900123"));
  g_assert_false (signpost_phone_is_uk ("+33199001234"));
  g_assert_false (signpost_phone_is_uk (NULL));
}

static void
test_format (void)
{
  static const struct {
    const char *e164;
    const char *display;
  } cases[] = {
    { "+447700900123", "07700 900123" },  /* mobile */
    { "+447700900000", "07700 900000" },
    { "+441632960123", "01632 960123" },  /* area code with four digits */
    { "+442079460123", "020 7946 0123" }, /* London */
    { "+441174960123", "0117 496 0123" }, /* 011x city */
    { "+441614960123", "0161 496 0123" }, /* 01x1 city */
    { "+443069990123", "0306 999 0123" }, /* non-geographic 03 */
    { "+448081570123", "0808 157 0123" }, /* freephone */
    { "+33199001234", "+33199001234" },   /* not UK: stays E.164 */
    { "+12025550100", "+12025550100" },
    { "07700 900123", "07700 900123" },   /* not E.164: unchanged */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *display = signpost_phone_format (cases[i].e164);
      g_assert_cmpstr (display, ==, cases[i].display);
    }
  g_assert_null (signpost_phone_format (NULL));
}

static void
test_format_round_trip (void)
{
  /* What we display, we accept back. */
  static const char * const numbers[] = {
    "+447700900123", "+441632960123", "+442079460123", "+441174960123",
  };

  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      g_autofree char *display = signpost_phone_format (numbers[i]);
      g_autofree char *back = signpost_phone_normalise (display, NULL);
      g_assert_cmpstr (back, ==, numbers[i]);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/phone-number/uk-mobile", test_uk_mobile);
  g_test_add_func ("/signpost/phone-number/uk-landline", test_uk_landline);
  g_test_add_func ("/signpost/phone-number/international", test_international);
  g_test_add_func ("/signpost/phone-number/junk", test_junk);
  g_test_add_func ("/signpost/phone-number/withheld", test_withheld);
  g_test_add_func ("/signpost/phone-number/is-e164", test_is_e164);
  g_test_add_func ("/signpost/phone-number/format", test_format);
  g_test_add_func ("/signpost/phone-number/format-round-trip", test_format_round_trip);

  return g_test_run ();
}
