/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "signpost-import-private.h"

/*
 * A practice's clinicians: name, profession and duty rota. A row matches
 * the clinician of the same given and family name (whatever the case);
 * its fields replace theirs, the rota included, and a clinician the file
 * does not mention is left as they are (they may have slots and
 * patients). The rota is a list of periods in the practice's local time,
 * "2026-12-07 08:00-13:00; 2026-12-08 13:00-18:30": an end at or before
 * the start runs past midnight.
 */

#define MAX_TITLE 20
#define MAX_NAME 100
#define MAX_DUTY 500

typedef struct {
  guint line;
  gboolean rejected;
  char *title;
  char *given;
  char *family;
  char *key;
  SignpostProfession profession;
  GListStore *duty;       /* SignpostDutyPeriod */
} Row;

static void
row_clear (Row *row)
{
  g_free (row->title);
  g_free (row->given);
  g_free (row->family);
  g_free (row->key);
  g_clear_object (&row->duty);
}

static char *
clinician_key (const char *given,
               const char *family)
{
  g_auto(GStrv) a = signpost_import_name_tokens (given);
  g_auto(GStrv) b = signpost_import_name_tokens (family);
  g_autofree char *first = g_strjoinv (" ", a);
  g_autofree char *last = g_strjoinv (" ", b);

  return g_strconcat (first, "|", last, NULL);
}

typedef struct {
  SignpostImportReport *report;
  SignpostImportTable *table;
  GTimeZone *tz;
} Context;

static void
reject (Context    *c,
        Row        *row,
        guint       column,
        const char *reason)
{
  row->rejected = TRUE;
  signpost_import_report_reject (c->report, row->line,
                                 column < SIGNPOST_CLINICIAN_N_COLUMNS
                                   ? signpost_import_table_get_label (c->table, column) : NULL,
                                 reason);
}

/* "2026-12-07 08:00-13:00" (or with 07/12/2026). */
static SignpostDutyPeriod *
parse_period (const char *text,
              GTimeZone  *tz)
{
  g_autofree char *copy = g_strdup (text);
  char *space = strrchr (copy, ' ');
  char *dash;
  GDate date;
  int h1, m1, h2, m2;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  SignpostDutyPeriod *period;

  if (space == NULL)
    return NULL;
  *space = '\0';
  dash = strchr (space + 1, '-');
  if (dash == NULL)
    return NULL;
  *dash = '\0';
  g_date_clear (&date, 1);
  if (!signpost_import_parse_date (g_strstrip (copy), &date) ||
      !signpost_import_parse_time (space + 1, &h1, &m1) ||
      !signpost_import_parse_time (dash + 1, &h2, &m2))
    return NULL;
  start = signpost_local_time_to_utc (&date, h1, m1, tz);
  if (h2 * 60 + m2 <= h1 * 60 + m1)
    g_date_add_days (&date, 1);
  end = signpost_local_time_to_utc (&date, h2, m2, tz);
  if (start == NULL || end == NULL || g_date_time_compare (start, end) >= 0)
    return NULL;
  period = signpost_duty_period_new ();
  signpost_duty_period_set_start (period, start);
  signpost_duty_period_set_end (period, end);
  return period;
}

static void
read_row (Context  *c,
          Row      *row,
          GStrv     cells,
          gboolean  too_many)
{
  g_autofree char *reason = NULL;
  g_autofree char *profession = NULL;
  g_autofree char *duty = NULL;

  if (!signpost_import_text (cells[SIGNPOST_CLINICIAN_COLUMN_TITLE], MAX_TITLE, &row->title, &reason))
    reject (c, row, SIGNPOST_CLINICIAN_COLUMN_TITLE, reason);
  g_clear_pointer (&reason, g_free);
  if (!signpost_import_text (cells[SIGNPOST_CLINICIAN_COLUMN_GIVEN_NAME], MAX_NAME, &row->given, &reason))
    reject (c, row, SIGNPOST_CLINICIAN_COLUMN_GIVEN_NAME, reason);
  else if (row->given == NULL)
    reject (c, row, SIGNPOST_CLINICIAN_COLUMN_GIVEN_NAME, _("is empty"));
  g_clear_pointer (&reason, g_free);
  if (!signpost_import_text (cells[SIGNPOST_CLINICIAN_COLUMN_FAMILY_NAME], MAX_NAME, &row->family, &reason))
    reject (c, row, SIGNPOST_CLINICIAN_COLUMN_FAMILY_NAME, reason);
  else if (row->family == NULL)
    reject (c, row, SIGNPOST_CLINICIAN_COLUMN_FAMILY_NAME, _("is empty"));
  if (row->given != NULL && row->family != NULL)
    row->key = clinician_key (row->given, row->family);

  profession = signpost_import_clean_text (cells[SIGNPOST_CLINICIAN_COLUMN_PROFESSION]);
  if (profession == NULL)
    reject (c, row, SIGNPOST_CLINICIAN_COLUMN_PROFESSION, _("is empty"));
  else if (!signpost_import_parse_profession (profession, &row->profession))
    reject (c, row, SIGNPOST_CLINICIAN_COLUMN_PROFESSION,
            _("is not a profession: GP, nurse, HCA, clinical pharmacist, first contact physio, "
              "paramedic, mental health practitioner or social prescriber"));

  row->duty = g_list_store_new (SIGNPOST_TYPE_DUTY_PERIOD);
  duty = signpost_import_clean_text (cells[SIGNPOST_CLINICIAN_COLUMN_DUTY]);
  if (duty != NULL)
    {
      g_auto(GStrv) items = g_strsplit (duty, ";", -1);

      gboolean bad = FALSE;

      for (guint i = 0; items[i] != NULL && !bad; i++)
        {
          g_autofree char *item = signpost_import_clean_text (items[i]);
          g_autoptr(SignpostDutyPeriod) period = NULL;

          if (item == NULL)
            continue;
          period = parse_period (item, c->tz);
          bad = period == NULL || g_list_model_get_n_items (G_LIST_MODEL (row->duty)) == MAX_DUTY;
          if (period == NULL)
            reject (c, row, SIGNPOST_CLINICIAN_COLUMN_DUTY,
                    _("holds a period that is not like “2026-12-07 08:00-13:00”"));
          else if (bad)
            reject (c, row, SIGNPOST_CLINICIAN_COLUMN_DUTY, _("holds more than 500 periods"));
          else
            g_list_store_append (row->duty, period);
        }
    }
  if (too_many)
    reject (c, row, G_MAXUINT, _("has more fields than the header"));
}

SignpostImportReport *
signpost_import_clinicians (SignpostApplyContext         *ctx,
                            SignpostPractice             *practice,
                            GBytes                       *file,
                            const SignpostImportOptions  *options,
                            GError                      **error)
{
  g_autoptr(SignpostImportReport) report = signpost_import_report_new ("clinicians", options->dry_run);
  g_autoptr(SignpostImportTable) table = NULL;
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (Row));
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GHashTable) first = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(SignpostImportBatch) batch = { 0 };
  const char *practice_id = signpost_record_get_id (SIGNPOST_RECORD (practice));
  gint64 counts[SIGNPOST_IMPORT_N_COUNTS] = { 0 };
  GStrv cells = NULL;
  guint line = 0;
  gboolean too_many = FALSE;
  Context c;

  g_array_set_clear_func (rows, (GDestroyNotify) row_clear);
  signpost_import_batch_init (&batch, ctx, options);
  table = signpost_import_open (SIGNPOST_IMPORT_CLINICIANS, file, options, report);
  if (table == NULL)
    return g_steal_pointer (&report);
  tz = signpost_time_zone_new (signpost_practice_get_time_zone (practice), NULL);
  c.report = report;
  c.table = table;
  c.tz = tz;

  while (signpost_import_table_next (table, &cells, &line, &too_many, &local_error))
    {
      Row row = { 0 };

      row.line = line;
      read_row (&c, &row, cells, too_many);
      g_strfreev (cells);
      g_array_append_val (rows, row);
    }
  if (local_error == NULL && rows->len == 0)
    signpost_set_field_error (&local_error, SIGNPOST_ERROR_INVALID, "file",
                              _("has a header but no rows"));
  if (local_error != NULL)
    {
      signpost_import_report_fail (report, local_error);
      return g_steal_pointer (&report);
    }
  signpost_import_report_add (report, SIGNPOST_IMPORT_COUNT_ROWS, rows->len);
  /* Two rows for one clinician cannot both be right: both are rejected. */
  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = &g_array_index (rows, Row, i);

      if (row->key != NULL && !g_hash_table_contains (first, row->key))
        g_hash_table_insert (first, row->key, row);
    }
  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = &g_array_index (rows, Row, i);
      Row *other = row->key != NULL ? g_hash_table_lookup (first, row->key) : NULL;

      if (other == row)
        {
          other = NULL;
          for (guint j = i + 1; j < rows->len && other == NULL; j++)
            if (g_strcmp0 (g_array_index (rows, Row, j).key, row->key) == 0)
              other = &g_array_index (rows, Row, j);
        }
      if (other != NULL)
        {
          g_autofree char *reason = g_strdup_printf (_("names the same clinician as line %u"),
                                                     other->line);

          reject (&c, row, SIGNPOST_CLINICIAN_COLUMN_FAMILY_NAME, reason);
        }
    }

  if (!options->dry_run && !signpost_store_begin (ctx->store, error))
    return NULL;
  {
    g_autoptr(GPtrArray) existing = NULL;
    g_autoptr(GHashTable) by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    g_autofree char *digest = NULL;
    g_autofree char *detail = NULL;

    /* Clinicians are few: read and written in one transaction. */
    existing = signpost_store_list_records (ctx->store, SIGNPOST_RECORD_CLINICIAN, practice_id, error);
    if (existing == NULL)
      goto failed;
    for (guint i = 0; i < existing->len; i++)
      {
        SignpostClinician *clinician = g_ptr_array_index (existing, i);

        g_hash_table_insert (by_key, clinician_key (signpost_clinician_get_given_name (clinician),
                                                    signpost_clinician_get_family_name (clinician)),
                             clinician);
      }
    for (guint i = 0; i < rows->len; i++)
      {
        Row *row = &g_array_index (rows, Row, i);
        SignpostClinician *current;
        g_autoptr(SignpostClinician) next = NULL;

        if (row->rejected)
          continue;
        current = g_hash_table_lookup (by_key, row->key);
        if (current != NULL)
          next = signpost_object_copy (SIGNPOST_OBJECT (current));
        else
          {
            g_autofree char *id = g_uuid_string_random ();

            next = signpost_clinician_new ();
            signpost_record_set_id (SIGNPOST_RECORD (next), id);
            signpost_record_set_practice_id (SIGNPOST_RECORD (next), practice_id);
          }
        signpost_clinician_set_title (next, row->title);
        signpost_clinician_set_given_name (next, row->given);
        signpost_clinician_set_family_name (next, row->family);
        signpost_clinician_set_profession (next, row->profession);
        signpost_clinician_set_duty (next, G_LIST_MODEL (row->duty));
        if (current != NULL && signpost_object_equal (SIGNPOST_OBJECT (next), SIGNPOST_OBJECT (current)))
          {
            counts[SIGNPOST_IMPORT_COUNT_UNCHANGED]++;
            continue;
          }
        counts[current != NULL ? SIGNPOST_IMPORT_COUNT_UPDATED : SIGNPOST_IMPORT_COUNT_CREATED]++;
        if (!options->dry_run && !signpost_import_batch_add (&batch, SIGNPOST_RECORD (next), error))
          goto failed;
      }
    if (!options->dry_run)
      {
        if (!signpost_import_batch_flush (&batch, error))
          goto failed;
        digest = signpost_import_file_digest (file);
        detail = g_strdup_printf ("created %" G_GINT64_FORMAT ", updated %" G_GINT64_FORMAT
                                  ", unchanged %" G_GINT64_FORMAT ", rejected %u; file sha256:%s",
                                  counts[SIGNPOST_IMPORT_COUNT_CREATED],
                                  counts[SIGNPOST_IMPORT_COUNT_UPDATED],
                                  counts[SIGNPOST_IMPORT_COUNT_UNCHANGED],
                                  signpost_import_report_get_n_rejections (report), digest);
        if (!signpost_import_audit (ctx, options, "admin-import-clinicians",
                                    SIGNPOST_RECORD (practice), detail, error) ||
            !signpost_store_commit (ctx->store, error))
          goto failed;
      }
  }
  for (guint i = 0; i < SIGNPOST_IMPORT_N_COUNTS; i++)
    signpost_import_report_add (report, i, counts[i]);
  return g_steal_pointer (&report);

failed:
  if (!options->dry_run)
    signpost_store_rollback (ctx->store);
  signpost_apply_context_reset (ctx);
  return NULL;
}
