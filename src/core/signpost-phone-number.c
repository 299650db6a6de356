/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-core"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "signpost-error.h"
#include "signpost-phone-number.h"

/*
 * Phone numbers are stored and sent as E.164 ("+447700900123"). People and
 * phone systems write them many ways: "07700 900123", "+44 (0)7700 900123",
 * "0044 7700 900123", "447700900123". A UK national significant number has
 * nine or ten digits and never starts with 0.
 */

#define E164_MAX_DIGITS 15
#define E164_MIN_DIGITS 7

static const char * const withheld_words[] = {
  "withheld", "anonymous", "private", "unavailable", "restricted", "unknown", "blocked",
};

/* Phone systems mark a hidden caller in several ways; all of them (and an
 * empty CLI) mean "the caller's number is not known". */
gboolean
signpost_phone_is_withheld (const char *cli)
{
  if (cli == NULL)
    return TRUE;
  while (g_ascii_isspace (*cli))
    cli++;
  if (*cli == '\0')
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (withheld_words); i++)
    {
      gsize len = strlen (withheld_words[i]);

      if (g_ascii_strncasecmp (cli, withheld_words[i], len) == 0)
        {
          const char *rest = cli + len;
          while (g_ascii_isspace (*rest))
            rest++;
          if (*rest == '\0')
            return TRUE;
        }
    }
  return FALSE;
}

gboolean
signpost_phone_is_e164 (const char *number)
{
  gsize n = 0;

  if (number == NULL || number[0] != '+' || number[1] < '1' || number[1] > '9')
    return FALSE;
  for (const char *p = number + 1; *p != '\0'; p++, n++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  if (n < E164_MIN_DIGITS || n > E164_MAX_DIGITS)
    return FALSE;
  if (g_str_has_prefix (number, "+44"))
    return (n == 11 || n == 12) && number[3] != '0';
  return TRUE;
}

gboolean
signpost_phone_is_uk (const char *e164)
{
  return e164 != NULL && g_str_has_prefix (e164, "+44");
}

static char *
uk_from_national (const char  *nsn,
                  GError     **error)
{
  gsize len = strlen (nsn);

  if (len < 9)
    {
      g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                           _("This phone number is too short"));
      return NULL;
    }
  if (len > 10)
    {
      g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                           _("This phone number is too long for a UK number"));
      return NULL;
    }
  if (nsn[0] == '0')
    {
      g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                           _("This is not a valid UK phone number"));
      return NULL;
    }
  return g_strconcat ("+44", nsn, NULL);
}

static char *
international (const char  *digits,
               GError     **error)
{
  gsize len = strlen (digits);

  if (g_str_has_prefix (digits, "44"))
    {
      digits += 2;
      /* "+44 07700 900123": a stray trunk zero after the country code. */
      if (digits[0] == '0')
        digits++;
      return uk_from_national (digits, error);
    }
  if (digits[0] == '0' || len < E164_MIN_DIGITS || len > E164_MAX_DIGITS)
    {
      g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                           _("This is not a valid international phone number"));
      return NULL;
    }
  return g_strconcat ("+", digits, NULL);
}

/* Returns the number as E.164, or an error that says what is wrong with it.
 * A withheld CLI is not a number: check signpost_phone_is_withheld() first. */
char *
signpost_phone_normalise (const char  *input,
                          GError     **error)
{
  g_autoptr(GString) digits = NULL;
  gboolean plus = FALSE;
  const char *p;

  if (input == NULL || *input == '\0')
    {
      g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                           _("A phone number is needed"));
      return NULL;
    }
  if (strlen (input) > 64)
    {
      g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                           _("This phone number is too long"));
      return NULL;
    }

  digits = g_string_new (NULL);
  p = input;
  while (g_ascii_isspace (*p))
    p++;
  if (*p == '+')
    {
      plus = TRUE;
      p++;
    }

  for (; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
      else if (p[0] == '(' && p[1] == '0' && p[2] == ')')
        {
          /* "+44 (0)7700": the bracketed trunk zero is dropped after a
           * country code, and kept in a national number. */
          if (!plus && !g_str_has_prefix (digits->str, "00"))
            g_string_append_c (digits, '0');
          p += 2;
        }
      else if (*p == ' ' || *p == '-' || *p == '.' || *p == '(' || *p == ')' || *p == '\t')
        continue;
      else
        {
          g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                               _("A phone number may only contain digits, spaces, "
                                 "brackets, dashes and a leading +"));
          return NULL;
        }
    }

  if (digits->len == 0)
    {
      g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                           _("A phone number is needed"));
      return NULL;
    }

  if (plus)
    return international (digits->str, error);
  if (g_str_has_prefix (digits->str, "00"))
    return international (digits->str + 2, error);
  if (digits->str[0] == '0')
    return uk_from_national (digits->str + 1, error);
  /* Phone systems often send the CLI as "447700900123", without the +. */
  if (g_str_has_prefix (digits->str, "44") && (digits->len == 12 || digits->len == 11))
    return uk_from_national (digits->str + 2, error);

  g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                       _("A UK phone number starts with 0; an international one with + or 00"));
  return NULL;
}

/* Groups the digits as people in the UK write them: "07700 900123",
 * "020 7946 0123", "0117 496 0123", "01632 960123". Numbers from other
 * countries stay in E.164. */
char *
signpost_phone_format (const char *e164)
{
  const char *nsn;
  gsize len;

  if (e164 == NULL)
    return NULL;
  if (!signpost_phone_is_e164 (e164) || !signpost_phone_is_uk (e164))
    return g_strdup (e164);

  nsn = e164 + 3;
  len = strlen (nsn);

  if (len == 10 && nsn[0] == '2')
    return g_strdup_printf ("0%.2s %.4s %.4s", nsn, nsn + 2, nsn + 6);
  if (len == 10 && nsn[0] == '1' && (nsn[1] == '1' || nsn[2] == '1'))
    return g_strdup_printf ("0%.3s %.3s %.4s", nsn, nsn + 3, nsn + 6);
  if (len == 10 && (nsn[0] == '3' || nsn[0] == '8' || nsn[0] == '9'))
    return g_strdup_printf ("0%.3s %.3s %.4s", nsn, nsn + 3, nsn + 6);
  if (nsn[0] == '1' || nsn[0] == '7')
    return g_strdup_printf ("0%.4s %s", nsn, nsn + 4);
  return g_strdup_printf ("0%s", nsn);
}
