/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-core"

#include "config.h"

#include <string.h>

#include "signpost-import-values.h"

typedef struct {
  const char *word;
  int value;
} Word;

/* Lower case, single spaces, "_" and "-" read as spaces: "Face-to-face",
 * "FACE TO FACE" and "face_to_face" are one word list entry. */
static char *
word_key (const char *text)
{
  g_autofree char *folded = NULL;
  GString *out;
  gboolean space = FALSE;

  if (text == NULL)
    return NULL;
  folded = g_utf8_casefold (text, -1);
  out = g_string_new (NULL);
  for (const char *p = folded; *p != '\0'; p++)
    {
      if (*p == ' ' || *p == '_' || *p == '-' || *p == '\t' || *p == '.')
        {
          space = out->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static gboolean
lookup (const Word *words,
        gsize       n_words,
        const char *text,
        int        *value)
{
  g_autofree char *key = word_key (text);

  if (key == NULL || *key == '\0')
    return FALSE;
  for (gsize i = 0; i < n_words; i++)
    if (g_str_equal (words[i].word, key))
      {
        *value = words[i].value;
        return TRUE;
      }
  return FALSE;
}

/**
 * signpost_import_clean_text:
 *
 * Returns: (nullable): @cell without the spaces (including no-break
 *   spaces) around it, or %NULL when nothing is left
 */
char *
signpost_import_clean_text (const char *cell)
{
  const char *start = cell;
  const char *end;

  if (cell == NULL)
    return NULL;
  end = cell + strlen (cell);
  for (;;)
    {
      if (start < end && g_ascii_isspace (*start))
        start++;
      else if (end - start >= 2 && (guchar) start[0] == 0xC2 && (guchar) start[1] == 0xA0)
        start += 2;
      else
        break;
    }
  for (;;)
    {
      if (end > start && g_ascii_isspace (end[-1]))
        end--;
      else if (end - start >= 2 && (guchar) end[-2] == 0xC2 && (guchar) end[-1] == 0xA0)
        end -= 2;
      else
        break;
    }
  if (end == start)
    return NULL;
  return g_strndup (start, end - start);
}

/* What a spreadsheet would run rather than show: "=HYPERLINK(…)",
 * "+SUM(…)", "-1+1", "@cmd". */
gboolean
signpost_import_looks_like_formula (const char *text)
{
  return text != NULL && text[0] != '\0' && strchr ("=+-@", text[0]) != NULL;
}

static const char * const month_names[] = {
  "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
};

static gboolean
parse_number (const char **p,
              guint        min_digits,
              guint        max_digits,
              guint       *value)
{
  guint n = 0;
  guint v = 0;

  while (g_ascii_isdigit (**p) && n < max_digits)
    {
      v = v * 10 + (**p - '0');
      (*p)++;
      n++;
    }
  if (n < min_digits || g_ascii_isdigit (**p))
    return FALSE;
  *value = v;
  return TRUE;
}

static gboolean
parse_month_name (const char **p,
                  guint       *month)
{
  g_autofree char *word = NULL;
  gsize n = 0;

  while (g_ascii_isalpha ((*p)[n]))
    n++;
  if (n < 3)
    return FALSE;
  word = g_ascii_strdown (*p, n);
  for (guint i = 0; i < G_N_ELEMENTS (month_names); i++)
    if (g_str_has_prefix (word, month_names[i]))
      {
        /* "Mar", "March"; not "Marchxyz" or "Sept" */
        static const char * const full[] = {
          "january", "february", "march", "april", "may", "june", "july",
          "august", "september", "october", "november", "december",
        };
        if (n != 3 && !g_str_equal (word, full[i]))
          return FALSE;
        *month = i + 1;
        *p += n;
        return TRUE;
      }
  return FALSE;
}

/**
 * signpost_import_parse_date:
 *
 * Reads a date as clinical systems and spreadsheets write it in the UK:
 * 2026-11-23, 23/11/2026 (or 23-11-2026, 23.11.2026, 1/2/1980), 23-Nov-2026
 * or 23 November 2026, optionally followed by a midnight time that a
 * spreadsheet added ("23/11/2026 00:00"). Never month-first.
 *
 * Returns: %FALSE for anything else, or a day that does not exist
 */
gboolean
signpost_import_parse_date (const char *text,
                            GDate      *date)
{
  const char *p = text;
  guint day = 0, month = 0, year = 0;

  if (text == NULL)
    return FALSE;
  if (g_ascii_isdigit (p[0]) && g_ascii_isdigit (p[1]) && g_ascii_isdigit (p[2]) &&
      g_ascii_isdigit (p[3]) && p[4] == '-')
    {
      if (!parse_number (&p, 4, 4, &year) || *p++ != '-' ||
          !parse_number (&p, 2, 2, &month) || *p++ != '-' ||
          !parse_number (&p, 2, 2, &day))
        return FALSE;
    }
  else
    {
      char separator;

      if (!parse_number (&p, 1, 2, &day))
        return FALSE;
      separator = *p;
      if (separator != '/' && separator != '-' && separator != '.' && separator != ' ')
        return FALSE;
      p++;
      if (g_ascii_isdigit (*p))
        {
          if (separator == ' ' || !parse_number (&p, 1, 2, &month))
            return FALSE;
        }
      else if (!parse_month_name (&p, &month))
        return FALSE;
      if (*p++ != separator || !parse_number (&p, 4, 4, &year))
        return FALSE;
    }
  /* A spreadsheet's midnight: " 00:00" or " 00:00:00". */
  if (g_str_equal (p, " 00:00") || g_str_equal (p, " 00:00:00"))
    p += strlen (p);
  if (*p != '\0' || year < 1800 || year > 9999 ||
      !g_date_valid_dmy (day, month, year))
    return FALSE;
  if (date != NULL)
    g_date_set_dmy (date, day, month, year);
  return TRUE;
}

/* "08:00", "8:30", "13:05". */
gboolean
signpost_import_parse_time (const char *text,
                            int        *hour,
                            int        *minute)
{
  const char *p = text;
  guint h = 0, m = 0;

  if (text == NULL || !parse_number (&p, 1, 2, &h) || *p++ != ':' ||
      !parse_number (&p, 2, 2, &m) || *p != '\0' || h > 23 || m > 59)
    return FALSE;
  *hour = h;
  *minute = m;
  return TRUE;
}

/* The NHS Data Dictionary's codes (1 male, 2 female, 9 not specified, 0
 * and X not known), EMIS's letters (M, F, I indeterminate, U unknown),
 * and the words. */
static const Word sex_words[] = {
  { "f", SIGNPOST_SEX_FEMALE }, { "female", SIGNPOST_SEX_FEMALE }, { "2", SIGNPOST_SEX_FEMALE },
  { "woman", SIGNPOST_SEX_FEMALE },
  { "m", SIGNPOST_SEX_MALE }, { "male", SIGNPOST_SEX_MALE }, { "1", SIGNPOST_SEX_MALE },
  { "man", SIGNPOST_SEX_MALE },
  { "i", SIGNPOST_SEX_OTHER }, { "indeterminate", SIGNPOST_SEX_OTHER },
  { "other", SIGNPOST_SEX_OTHER },
  { "u", SIGNPOST_SEX_UNKNOWN }, { "unknown", SIGNPOST_SEX_UNKNOWN },
  { "not known", SIGNPOST_SEX_UNKNOWN }, { "0", SIGNPOST_SEX_UNKNOWN },
  { "x", SIGNPOST_SEX_UNKNOWN }, { "9", SIGNPOST_SEX_UNKNOWN },
  { "not specified", SIGNPOST_SEX_UNKNOWN }, { "not stated", SIGNPOST_SEX_UNKNOWN },
};

gboolean
signpost_import_parse_sex (const char  *text,
                           SignpostSex *sex)
{
  int value;

  if (!lookup (sex_words, G_N_ELEMENTS (sex_words), text, &value))
    return FALSE;
  *sex = value;
  return TRUE;
}

static const Word boolean_words[] = {
  { "yes", TRUE }, { "y", TRUE }, { "true", TRUE }, { "1", TRUE },
  { "no", FALSE }, { "n", FALSE }, { "false", FALSE }, { "0", FALSE },
};

gboolean
signpost_import_parse_boolean (const char *text,
                               gboolean   *value)
{
  int v;

  if (!lookup (boolean_words, G_N_ELEMENTS (boolean_words), text, &v))
    return FALSE;
  *value = v;
  return TRUE;
}

static const Word profession_words[] = {
  { "gp", SIGNPOST_PROFESSION_GP }, { "general practitioner", SIGNPOST_PROFESSION_GP },
  { "doctor", SIGNPOST_PROFESSION_GP }, { "gp partner", SIGNPOST_PROFESSION_GP },
  { "salaried gp", SIGNPOST_PROFESSION_GP }, { "locum gp", SIGNPOST_PROFESSION_GP },
  { "gp registrar", SIGNPOST_PROFESSION_GP },
  { "nurse", SIGNPOST_PROFESSION_NURSE }, { "practice nurse", SIGNPOST_PROFESSION_NURSE },
  { "nurse practitioner", SIGNPOST_PROFESSION_NURSE },
  { "advanced nurse practitioner", SIGNPOST_PROFESSION_NURSE },
  { "anp", SIGNPOST_PROFESSION_NURSE },
  { "hca", SIGNPOST_PROFESSION_HCA }, { "health care assistant", SIGNPOST_PROFESSION_HCA },
  { "healthcare assistant", SIGNPOST_PROFESSION_HCA },
  { "clinical pharmacist", SIGNPOST_PROFESSION_CLINICAL_PHARMACIST },
  { "pharmacist", SIGNPOST_PROFESSION_CLINICAL_PHARMACIST },
  { "first contact physio", SIGNPOST_PROFESSION_PHYSIO },
  { "first contact physiotherapist", SIGNPOST_PROFESSION_PHYSIO },
  { "physio", SIGNPOST_PROFESSION_PHYSIO }, { "physiotherapist", SIGNPOST_PROFESSION_PHYSIO },
  { "fcp", SIGNPOST_PROFESSION_PHYSIO },
  { "paramedic", SIGNPOST_PROFESSION_PARAMEDIC },
  { "mental health practitioner", SIGNPOST_PROFESSION_MENTAL_HEALTH },
  { "mhp", SIGNPOST_PROFESSION_MENTAL_HEALTH },
  { "social prescriber", SIGNPOST_PROFESSION_SOCIAL_PRESCRIBER },
  { "social prescribing link worker", SIGNPOST_PROFESSION_SOCIAL_PRESCRIBER },
};

gboolean
signpost_import_parse_profession (const char         *text,
                                  SignpostProfession *profession)
{
  int value;

  if (!lookup (profession_words, G_N_ELEMENTS (profession_words), text, &value))
    return FALSE;
  *profession = value;
  return TRUE;
}

static const Word mode_words[] = {
  { "face to face", SIGNPOST_SLOT_MODE_FACE_TO_FACE }, { "f2f", SIGNPOST_SLOT_MODE_FACE_TO_FACE },
  { "in person", SIGNPOST_SLOT_MODE_FACE_TO_FACE },
  { "telephone", SIGNPOST_SLOT_MODE_TELEPHONE }, { "phone", SIGNPOST_SLOT_MODE_TELEPHONE },
  { "video", SIGNPOST_SLOT_MODE_VIDEO },
  { "home visit", SIGNPOST_SLOT_MODE_HOME_VISIT }, { "visit", SIGNPOST_SLOT_MODE_HOME_VISIT },
};

gboolean
signpost_import_parse_slot_mode (const char       *text,
                                 SignpostSlotMode *mode)
{
  int value;

  if (!lookup (mode_words, G_N_ELEMENTS (mode_words), text, &value))
    return FALSE;
  *mode = value;
  return TRUE;
}

static const Word alert_words[] = {
  { "interpreter", SIGNPOST_ALERT_INTERPRETER }, { "carer", SIGNPOST_ALERT_CARER },
  { "hearing", SIGNPOST_ALERT_HEARING }, { "deaf", SIGNPOST_ALERT_HEARING },
  { "sight", SIGNPOST_ALERT_SIGHT }, { "blind", SIGNPOST_ALERT_SIGHT },
  { "vulnerable", SIGNPOST_ALERT_VULNERABLE }, { "text relay", SIGNPOST_ALERT_TEXT_RELAY },
  { "other", SIGNPOST_ALERT_OTHER },
};

gboolean
signpost_import_parse_alert_kind (const char        *text,
                                  SignpostAlertKind *kind)
{
  int value;

  if (!lookup (alert_words, G_N_ELEMENTS (alert_words), text, &value))
    return FALSE;
  *kind = value;
  return TRUE;
}

static const char * const titles[] = {
  "dr", "doctor", "mr", "mrs", "ms", "miss", "mx", "prof", "professor", "sister", "nurse",
};

/**
 * signpost_import_name_tokens:
 *
 * The words of a person's name, folded for comparison and without titles
 * or punctuation: "Dr Anna SMITH", "SMITH, Anna (Dr)" and "anna smith"
 * all give { "anna", "smith" } (in their own order).
 *
 * Returns: (transfer full): the words; empty when there are none
 */
GStrv
signpost_import_name_tokens (const char *name)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *normal = NULL;
  g_autofree char *folded = NULL;
  g_auto(GStrv) words = NULL;

  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    return g_strv_builder_end (builder);
  normal = g_utf8_normalize (name, -1, G_NORMALIZE_DEFAULT_COMPOSE);
  folded = g_utf8_casefold (normal, -1);
  g_strdelimit (folded, ",.()[]/\t", ' ');
  words = g_strsplit (folded, " ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      gboolean title = FALSE;

      if (words[i][0] == '\0')
        continue;
      for (guint j = 0; j < G_N_ELEMENTS (titles); j++)
        title = title || g_str_equal (words[i], titles[j]);
      if (!title)
        g_strv_builder_add (builder, words[i]);
    }
  return g_strv_builder_end (builder);
}

/**
 * signpost_uuid_from_name:
 * @namespace_uuid: a UUID naming the space the names belong to
 * @name: the name
 *
 * A name-based UUID (RFC 4122 version 5: SHA-1): the same name in the same
 * namespace always gives the same id, so that importing a file twice finds
 * the records it made the first time.
 *
 * Returns: (transfer full): the lower-case UUID
 */
char *
signpost_uuid_from_name (const char *namespace_uuid,
                         const char *name)
{
  g_autoptr(GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 ns[16] = { 0 };
  guint8 digest[20];
  gsize digest_length = sizeof digest;
  guint n = 0;

  g_return_val_if_fail (namespace_uuid != NULL && name != NULL, NULL);

  for (const char *p = namespace_uuid; *p != '\0' && n < 32; p++)
    if (g_ascii_isxdigit (*p))
      {
        ns[n / 2] |= g_ascii_xdigit_value (*p) << ((n % 2) ? 0 : 4);
        n++;
      }
  g_checksum_update (sha1, ns, sizeof ns);
  g_checksum_update (sha1, (const guchar *) name, strlen (name));
  g_checksum_get_digest (sha1, digest, &digest_length);
  digest[6] = (digest[6] & 0x0F) | 0x50;
  digest[8] = (digest[8] & 0x3F) | 0x80;
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                          "%02x%02x%02x%02x%02x%02x",
                          digest[0], digest[1], digest[2], digest[3], digest[4], digest[5],
                          digest[6], digest[7], digest[8], digest[9], digest[10], digest[11],
                          digest[12], digest[13], digest[14], digest[15]);
}
