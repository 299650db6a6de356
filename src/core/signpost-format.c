/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-core"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "signpost-error.h"
#include "signpost-format.h"
#include "signpost-nhs-number.h"
#include "signpost-phone-number.h"
#include "signpost-time.h"

gboolean
signpost_uuid_is_canonical (const char *value)
{
  if (value == NULL || strlen (value) != 36 || !g_uuid_string_is_valid (value))
    return FALSE;
  for (const char *p = value; *p != '\0'; p++)
    if (g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

static gboolean
is_text (const char *value,
         gboolean    multiline)
{
  for (const guchar *p = (const guchar *) value; *p != '\0'; p++)
    {
      if (*p == 0x7f)
        return FALSE;
      if (*p < 0x20 && !(multiline && (*p == '\n' || *p == '\t' || *p == '\r')))
        return FALSE;
    }
  return TRUE;
}

static gboolean
matches_all (const char *value,
             const char *allowed,
             gsize       min_len,
             gsize       max_len)
{
  gsize len = strlen (value);

  if (len < min_len || len > max_len)
    return FALSE;
  for (const char *p = value; *p != '\0'; p++)
    if (strchr (allowed, *p) == NULL)
      return FALSE;
  return TRUE;
}

#define UPPER "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define LOWER "abcdefghijklmnopqrstuvwxyz"
#define DIGITS "0123456789"

/* The UK postcode shape: outward code (A9, A99, AA9, AA99, A9A, AA9A), a
 * space, inward code (9AA). */
static gboolean
is_postcode (const char *value)
{
  const char *space = strchr (value, ' ');
  gsize out_len;

  if (space == NULL || strlen (space + 1) != 3)
    return FALSE;
  out_len = space - value;
  if (out_len < 2 || out_len > 4 || !g_ascii_isupper (value[0]))
    return FALSE;
  for (gsize i = 1; i < out_len; i++)
    if (!g_ascii_isupper (value[i]) && !g_ascii_isdigit (value[i]))
      return FALSE;
  if (!g_ascii_isdigit (value[1]) && !(out_len > 2 && g_ascii_isdigit (value[2])))
    return FALSE;
  return g_ascii_isdigit (space[1]) && g_ascii_isupper (space[2]) && g_ascii_isupper (space[3]);
}

gboolean
signpost_format_check (SignpostFormat   format,
                       const char      *value,
                       GError         **error)
{
  gboolean ok = FALSE;
  const char *expect = NULL;

  g_return_val_if_fail (value != NULL, FALSE);

  switch (format)
    {
    case SIGNPOST_FORMAT_TEXT:
      ok = is_text (value, FALSE);
      expect = _("must be a single line without control characters");
      break;
    case SIGNPOST_FORMAT_MULTILINE:
      ok = is_text (value, TRUE);
      expect = _("must not contain control characters");
      break;
    case SIGNPOST_FORMAT_UUID:
      ok = signpost_uuid_is_canonical (value);
      expect = _("must be a lower-case UUID");
      break;
    case SIGNPOST_FORMAT_DATE:
      ok = signpost_date_parse (value, NULL, NULL);
      expect = _("must be a date like 2026-11-23");
      break;
    case SIGNPOST_FORMAT_E164:
      ok = signpost_phone_is_e164 (value);
      expect = _("must be a phone number in E.164 form like +447700900123");
      break;
    case SIGNPOST_FORMAT_NHS_NUMBER:
      ok = signpost_nhs_number_is_valid (value);
      expect = _("must be a valid 10-digit NHS number without spaces");
      break;
    case SIGNPOST_FORMAT_ODS_CODE:
      ok = matches_all (value, UPPER DIGITS, 3, 10) && g_ascii_isupper (value[0]);
      expect = _("must be an ODS code like Y01234");
      break;
    case SIGNPOST_FORMAT_TIME_ZONE:
      ok = signpost_time_zone_is_known (value);
      expect = _("must be a known time zone like Europe/London");
      break;
    case SIGNPOST_FORMAT_KEY:
      ok = matches_all (value, LOWER DIGITS "_", 1, 64) && g_ascii_islower (value[0]);
      expect = _("must be a lower-case key like chest_pain");
      break;
    case SIGNPOST_FORMAT_POSTCODE:
      ok = is_postcode (value);
      expect = _("must be a UK postcode like LS1 4AP");
      break;
    case SIGNPOST_FORMAT_USERNAME:
      ok = matches_all (value, LOWER DIGITS "._-", 1, 64) && g_ascii_isalnum (value[0]);
      expect = _("must be a user name of lower-case letters, digits, dots, dashes or underscores");
      break;
    case SIGNPOST_FORMAT_TIME_OF_DAY:
      ok = signpost_time_of_day_parse (value, NULL);
      expect = _("must be a time of day like 08:00");
      break;
    case SIGNPOST_FORMAT_REFERENCE:
      ok = strlen (value) == 8 && matches_all (value, UPPER DIGITS "-", 8, 8) &&
           g_ascii_isupper (value[0]) && g_ascii_isupper (value[1]) &&
           g_ascii_isupper (value[2]) && value[3] == '-' && g_ascii_isdigit (value[4]) &&
           g_ascii_isdigit (value[5]) && g_ascii_isdigit (value[6]) && g_ascii_isdigit (value[7]);
      expect = _("must be a reference like ABC-1234");
      break;
    default:
      g_assert_not_reached ();
    }

  if (!ok)
    g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID, expect);
  return ok;
}

/* "ls14ap", "LS1 4AP ", "ls1  4ap" → "LS1 4AP". */
char *
signpost_postcode_normalise (const char  *input,
                             GError     **error)
{
  g_autoptr(GString) compact = g_string_new (NULL);
  g_autofree char *result = NULL;

  for (const char *p = input ? input : ""; *p != '\0' && compact->len <= 8; p++)
    if (!g_ascii_isspace (*p))
      g_string_append_c (compact, g_ascii_toupper (*p));

  if (compact->len >= 5 && compact->len <= 7)
    {
      result = g_strdup_printf ("%.*s %s", (int) compact->len - 3, compact->str,
                                compact->str + compact->len - 3);
      if (is_postcode (result))
        return g_steal_pointer (&result);
    }
  g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                       _("This is not a UK postcode"));
  return NULL;
}

/**
 * signpost_csv_append:
 * @out: the file so far
 * @field: (nullable): the field's text; %NULL for an empty field
 * @text: %TRUE for text (names, labels), %FALSE for a number this program
 *   formatted itself
 *
 * Appends one CSV field (RFC 4180: a field holding a comma, a double quote,
 * CR or LF goes in double quotes, its double quotes doubled). Text that a
 * spreadsheet would take for a formula — starting with "=", "+", "-", "@",
 * a tab or a carriage return — gets a leading apostrophe, so that opening
 * an export never runs anything a name smuggled in.
 */
void
signpost_csv_append (GString    *out,
                     const char *field,
                     gboolean    text)
{
  gboolean guard;

  g_return_if_fail (out != NULL);

  if (field == NULL)
    return;
  guard = text && field[0] != '\0' && strchr ("=+-@\t\r", field[0]) != NULL;
  if (strpbrk (field, ",\"\r\n") == NULL)
    {
      if (guard)
        g_string_append_c (out, '\'');
      g_string_append (out, field);
      return;
    }
  g_string_append_c (out, '"');
  if (guard)
    g_string_append_c (out, '\'');
  for (const char *p = field; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}
