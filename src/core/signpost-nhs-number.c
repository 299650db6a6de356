/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-core"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "signpost-error.h"
#include "signpost-nhs-number.h"

/*
 * NHS numbers are ten digits; the tenth is a Modulus 11 check digit over the
 * first nine weighted 10 down to 2. A remainder giving 11 becomes 0; one
 * giving 10 means the nine digits can never form a valid number.
 */

/* Returns the check digit for @first_nine, or -1 if none exists (the
 * "check digit 10" case) or the input is not nine digits. */
int
signpost_nhs_number_check_digit (const char *first_nine)
{
  int sum = 0;
  int check;

  if (first_nine == NULL)
    return -1;
  for (int i = 0; i < 9; i++)
    {
      if (!g_ascii_isdigit (first_nine[i]))
        return -1;
      sum += (first_nine[i] - '0') * (10 - i);
    }
  check = 11 - (sum % 11);
  if (check == 11)
    return 0;
  if (check == 10)
    return -1;
  return check;
}

/* @digits must be exactly ten ASCII digits with a correct check digit. */
gboolean
signpost_nhs_number_is_valid (const char *digits)
{
  int check;

  if (digits == NULL)
    return FALSE;
  for (int i = 0; i < SIGNPOST_NHS_NUMBER_LENGTH; i++)
    if (!g_ascii_isdigit (digits[i]))
      return FALSE;
  if (digits[SIGNPOST_NHS_NUMBER_LENGTH] != '\0')
    return FALSE;
  check = signpost_nhs_number_check_digit (digits);
  return check >= 0 && check == digits[9] - '0';
}

/* Accepts what people type ("943 476 5919", "943-476-5919") and returns the
 * ten digits, or an error saying what is wrong. */
char *
signpost_nhs_number_normalise (const char  *input,
                               GError     **error)
{
  char digits[SIGNPOST_NHS_NUMBER_LENGTH + 1];
  gsize n = 0;

  if (input == NULL || *input == '\0')
    {
      g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                           _("An NHS number is needed"));
      return NULL;
    }

  for (const char *p = input; *p != '\0'; p++)
    {
      if (*p == ' ' || *p == '-' || *p == '\t')
        continue;
      if (!g_ascii_isdigit (*p))
        {
          g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                               _("An NHS number has only digits"));
          return NULL;
        }
      if (n == SIGNPOST_NHS_NUMBER_LENGTH)
        {
          g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                               _("An NHS number has 10 digits; this has more"));
          return NULL;
        }
      digits[n++] = *p;
    }
  digits[n] = '\0';

  if (n != SIGNPOST_NHS_NUMBER_LENGTH)
    {
      g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                           _("An NHS number has 10 digits; this has fewer"));
      return NULL;
    }
  if (!signpost_nhs_number_is_valid (digits))
    {
      g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                           _("This is not a valid NHS number (the check digit does not match)"));
      return NULL;
    }
  return g_strdup (digits);
}

/* "9434765919" → "943 476 5919"; anything else is returned unchanged. */
char *
signpost_nhs_number_format (const char *digits)
{
  if (digits == NULL)
    return NULL;
  if (strlen (digits) != SIGNPOST_NHS_NUMBER_LENGTH)
    return g_strdup (digits);
  for (int i = 0; i < SIGNPOST_NHS_NUMBER_LENGTH; i++)
    if (!g_ascii_isdigit (digits[i]))
      return g_strdup (digits);
  return g_strdup_printf ("%.3s %.3s %.4s", digits, digits + 3, digits + 6);
}
