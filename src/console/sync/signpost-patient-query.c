/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-sync"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "signpost-core.h"
#include "signpost-patient-query.h"

/* Lower case, accents and other marks removed, punctuation dropped, words
 * kept apart by single spaces: "Zoë  O'Brien-Smith" → "zoe obrien smith". */
char *
signpost_fold_text (const char *text)
{
  g_autofree char *decomposed = NULL;
  g_autofree char *folded = NULL;
  GString *out;
  gboolean space = FALSE;

  if (text == NULL)
    return g_strdup ("");

  decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_NFKD);
  if (decomposed == NULL)
    return g_strdup ("");
  folded = g_utf8_casefold (decomposed, -1);

  out = g_string_new (NULL);
  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (type == G_UNICODE_NON_SPACING_MARK || type == G_UNICODE_SPACING_MARK ||
          type == G_UNICODE_ENCLOSING_MARK)
        continue;
      if (g_unichar_isalnum (c))
        {
          if (space && out->len > 0)
            g_string_append_c (out, ' ');
          space = FALSE;
          g_string_append_unichar (out, c);
        }
      else if (g_unichar_isspace (c) || c == '-' || c == ',' || c == '/')
        space = TRUE;
      /* apostrophes, full stops and the like join: O'Brien → obrien */
    }
  return g_string_free (out, FALSE);
}

/* One search word: folded, with everything but letters and digits gone. */
char *
signpost_fold_word (const char *text)
{
  g_autofree char *folded = signpost_fold_text (text);
  GString *out = g_string_new (NULL);

  for (const char *p = folded; *p != '\0'; p++)
    if (*p != ' ')
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

/* "ls1 4ap" → "LS14AP": the form postcodes are indexed in. */
char *
signpost_postcode_key (const char *postcode)
{
  GString *out = g_string_new (NULL);

  for (const char *p = postcode ? postcode : ""; *p != '\0'; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (out, g_ascii_toupper (*p));
  return g_string_free (out, FALSE);
}

void
signpost_patient_query_free (SignpostPatientQuery *query)
{
  if (query == NULL)
    return;
  g_free (query->fts);
  g_clear_pointer (&query->name_tokens, g_ptr_array_unref);
  g_free (query->dob);
  g_free (query->postcode_from);
  g_free (query->postcode_to);
  g_free (query->nhs_from);
  g_free (query->nhs_to);
  g_free (query->phone_from);
  g_free (query->phone_to);
  g_free (query);
}

gboolean
signpost_patient_query_is_empty (const SignpostPatientQuery *query)
{
  return query->fts == NULL && query->dob == NULL && query->postcode_from == NULL &&
         query->nhs_from == NULL && query->phone_from == NULL;
}

/* [prefix, prefix with its last byte raised): every string starting with
 * the prefix, for ASCII keys. */
static void
prefix_range (const char  *prefix,
              char       **from,
              char       **to)
{
  gsize len = strlen (prefix);

  *from = g_strdup (prefix);
  *to = g_strdup (prefix);
  if (len > 0)
    (*to)[len - 1]++;
}

static gboolean
all_digits (const char *s,
            gsize       min,
            gsize       max)
{
  gsize n = strlen (s);

  if (n < min || n > max)
    return FALSE;
  for (; *s != '\0'; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

static char *
make_date (int year,
           int month,
           int day)
{
  if (!g_date_valid_dmy (day, month, year))
    return NULL;
  return g_strdup_printf ("%04d-%02d-%02d", year, month, day);
}

static int
full_year (int year,
           gsize digits)
{
  if (digits == 4)
    return year;
  {
    /* Two-digit years: nobody is born in the future, so "23" after 2023 is
     * 1923 only if it would otherwise lie ahead of today. */
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    int this_year = g_date_time_get_year (now);
    int century = this_year - this_year % 100;
    return century + year > this_year ? century - 100 + year : century + year;
  }
}

/* "12/03/1980", "1-3-80", "12.03.1980", "1980-03-12" → "1980-03-12". */
static char *
parse_date_token (const char *token)
{
  g_auto(GStrv) parts = NULL;
  char sep = 0;

  for (const char *p = token; *p != '\0'; p++)
    if (*p == '/' || *p == '.' || *p == '-')
      {
        sep = *p;
        break;
      }
  if (sep == 0)
    return NULL;
  {
    char separators[2] = { sep, '\0' };
    parts = g_strsplit (token, separators, 4);
  }
  if (g_strv_length (parts) != 3)
    return NULL;
  if (all_digits (parts[0], 4, 4) && all_digits (parts[1], 1, 2) && all_digits (parts[2], 1, 2))
    return make_date (atoi (parts[0]), atoi (parts[1]), atoi (parts[2]));
  if (all_digits (parts[0], 1, 2) && all_digits (parts[1], 1, 2) &&
      (all_digits (parts[2], 4, 4) || all_digits (parts[2], 2, 2)))
    return make_date (full_year (atoi (parts[2]), strlen (parts[2])),
                      atoi (parts[1]), atoi (parts[0]));
  return NULL;
}

static int
month_from_name (const char *word)
{
  static const char *months[] = { "january", "february", "march", "april", "may", "june",
                                   "july", "august", "september", "october", "november",
                                   "december" };
  g_autofree char *folded = signpost_fold_word (word);
  gsize len = strlen (folded);

  if (len < 3)
    return 0;
  for (guint i = 0; i < G_N_ELEMENTS (months); i++)
    if (len <= strlen (months[i]) && strncmp (months[i], folded, len) == 0)
      return i + 1;
  return 0;
}

static gboolean
is_number_token (const char *token)
{
  gboolean digit = FALSE;

  for (const char *p = token; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        digit = TRUE;
      else if (!strchr ("+()-.", *p))
        return FALSE;
    }
  return digit;
}

/* An outward code ("LS1", "SW1A", "M1") or a whole postcode without its
 * space ("LS14AP"): starts with a letter and holds a digit. */
static gboolean
is_postcode_start (const char *token)
{
  gboolean digit = FALSE;
  gsize n = 0;

  if (!g_ascii_isalpha (token[0]))
    return FALSE;
  for (const char *p = token; *p != '\0'; p++, n++)
    {
      if (!g_ascii_isalnum (*p))
        return FALSE;
      if (g_ascii_isdigit (*p))
        digit = TRUE;
    }
  return digit && n >= 2 && n <= 7;
}

/* An inward code: digit, letter, letter ("4AP"). */
static gboolean
is_inward_code (const char *token)
{
  return strlen (token) == 3 && g_ascii_isdigit (token[0]) &&
         g_ascii_isalpha (token[1]) && g_ascii_isalpha (token[2]);
}

static void
add_number (SignpostPatientQuery *query,
            const char           *raw)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  gboolean plus = FALSE;

  for (const char *p = raw; *p != '\0'; p++)
    {
      if (*p == '+' && digits->len == 0)
        plus = TRUE;
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
    }
  if (digits->len == 0)
    return;

  if (!plus && digits->len == 8 && query->dob == NULL)
    {
      /* ddmmyyyy, as some people type a date of birth */
      int day = (digits->str[0] - '0') * 10 + (digits->str[1] - '0');
      int month = (digits->str[2] - '0') * 10 + (digits->str[3] - '0');
      int year = atoi (digits->str + 4);
      query->dob = make_date (year, month, day);
      if (query->dob != NULL)
        return;
    }

  if (plus || digits->str[0] == '0' ||
      (g_str_has_prefix (digits->str, "44") && digits->len >= 11))
    {
      g_autofree char *e164 = signpost_phone_normalise (raw, NULL);
      g_autofree char *prefix = NULL;

      if (e164 != NULL)
        {
          /* "+447700900123" ≤ x < "+447700900123\1" matches the number alone */
          query->phone_from = g_strdup (e164);
          query->phone_to = g_strconcat (e164, "\x01", NULL);
          return;
        }
      if (digits->len < 4)
        return;
      if (plus)
        prefix = g_strconcat ("+", digits->str, NULL);
      else if (g_str_has_prefix (digits->str, "00"))
        prefix = g_strconcat ("+", digits->str + 2, NULL);
      else if (digits->str[0] == '0')
        prefix = g_strconcat ("+44", digits->str + 1, NULL);
      else
        prefix = g_strconcat ("+", digits->str, NULL);
      prefix_range (prefix, &query->phone_from, &query->phone_to);
      return;
    }

  if (digits->len >= 3 && digits->len <= 10)
    prefix_range (digits->str, &query->nhs_from, &query->nhs_to);
}

SignpostPatientQuery *
signpost_patient_query_parse (const char *text)
{
  g_autoptr(SignpostPatientQuery) query = g_new0 (SignpostPatientQuery, 1);
  g_autoptr(GString) numbers = g_string_new (NULL);
  g_autoptr(GString) fts = g_string_new (NULL);
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) split = NULL;

  query->name_tokens = g_ptr_array_new_with_free_func (g_free);
  if (text == NULL)
    return g_steal_pointer (&query);

  split = g_strsplit_set (text, " \t\n,;", -1);
  for (guint i = 0; split[i] != NULL; i++)
    if (split[i][0] != '\0' && g_utf8_validate (split[i], -1, NULL))
      g_ptr_array_add (tokens, g_strdup (split[i]));

  for (guint i = 0; i < tokens->len; i++)
    {
      const char *token = g_ptr_array_index (tokens, i);
      g_autofree char *date = NULL;

      /* 12 Mar 1980 */
      if (query->dob == NULL && i + 2 < tokens->len && all_digits (token, 1, 2) &&
          month_from_name (g_ptr_array_index (tokens, i + 1)) > 0 &&
          (all_digits (g_ptr_array_index (tokens, i + 2), 4, 4) ||
           all_digits (g_ptr_array_index (tokens, i + 2), 2, 2)))
        {
          const char *year = g_ptr_array_index (tokens, i + 2);
          query->dob = make_date (full_year (atoi (year), strlen (year)),
                                  month_from_name (g_ptr_array_index (tokens, i + 1)),
                                  atoi (token));
          if (query->dob != NULL)
            {
              i += 2;
              continue;
            }
        }

      if (query->dob == NULL && (date = parse_date_token (token)) != NULL)
        {
          query->dob = g_steal_pointer (&date);
          continue;
        }

      if (query->postcode_from == NULL && is_postcode_start (token))
        {
          g_autofree char *key = signpost_postcode_key (token);
          const char *next = i + 1 < tokens->len ? g_ptr_array_index (tokens, i + 1) : NULL;

          if (next != NULL && is_inward_code (next) && strlen (key) <= 4)
            {
              g_autofree char *inward = signpost_postcode_key (next);
              g_autofree char *whole = g_strconcat (key, inward, NULL);
              prefix_range (whole, &query->postcode_from, &query->postcode_to);
              i++;
            }
          else
            prefix_range (key, &query->postcode_from, &query->postcode_to);
          continue;
        }

      if (is_number_token (token))
        {
          g_string_append (numbers, token);
          continue;
        }

      {
        g_autofree char *word = signpost_fold_word (token);
        if (word[0] == '\0')
          continue;
        if (fts->len > 0)
          g_string_append_c (fts, ' ');
        /* Folded words hold only letters and digits, so quoting is safe. */
        g_string_append_printf (fts, "\"%s\"*", word);
        g_ptr_array_add (query->name_tokens, g_steal_pointer (&word));
      }
    }

  if (numbers->len > 0)
    add_number (query, numbers->str);
  if (fts->len > 0)
    query->fts = g_string_free (g_steal_pointer (&fts), FALSE);

  return g_steal_pointer (&query);
}
