/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "signpost-import-private.h"

/*
 * Sessions become slots. A row is one session of one clinician on one day
 * (in the practice's local time): from start to end in slots of
 * slot_length minutes, each with the session's mode, release rule and
 * hub_bookable. The release rule is empty or "now" (bookable at once),
 * "08:00" (embargoed until 08:00 on the day) or "2d 08:00" (until 08:00
 * two days before).
 *
 * A slot's id comes from the practice, the clinician and its start, so
 * that importing the same sessions again finds the slots made the first
 * time: unchanged ones are left alone, free ones take the new mode, rule
 * and length, and booked ones are never touched (the report counts them).
 * A session that would overlap another in the file, or slots of the same
 * clinician already in the diary, is rejected.
 */

#define MAX_SLOTS_PER_SESSION 480

typedef struct {
  guint line;
  gboolean rejected;
  const char *clinician_id;     /* the matcher's */
  GDateTime *start;             /* the session's, UTC */
  GDateTime *end;
  GPtrArray *slots;             /* SignpostSlot, as they should be */
} Row;

typedef struct {
  SignpostImportReport *report;
  SignpostImportTable *table;
  SignpostClinicianMatcher *clinicians;
  const char *practice_id;
  GTimeZone *tz;
  GDate today;
} Context;

static void
row_clear (Row *row)
{
  g_clear_pointer (&row->start, g_date_time_unref);
  g_clear_pointer (&row->end, g_date_time_unref);
  g_clear_pointer (&row->slots, g_ptr_array_unref);
}

static void
reject (Context    *c,
        Row        *row,
        guint       column,
        const char *reason)
{
  row->rejected = TRUE;
  signpost_import_report_reject (c->report, row->line,
                                 column < SIGNPOST_SESSION_N_COLUMNS
                                   ? signpost_import_table_get_label (c->table, column) : NULL,
                                 reason);
}

/* "", "now", "08:00" or "2d 08:00": the release instant, or NULL for now. */
static gboolean
parse_release (const char  *text,
               const GDate *day,
               GTimeZone   *tz,
               GDateTime  **release)
{
  const char *time = text;
  guint64 days = 0;
  int hour, minute;
  GDate date = *day;

  *release = NULL;
  if (text == NULL || g_ascii_strcasecmp (text, "now") == 0)
    return TRUE;
  if (g_ascii_isdigit (text[0]) && strchr (text, 'd') != NULL)
    {
      g_autofree char *number = g_strndup (text, strchr (text, 'd') - text);

      if (!g_ascii_string_to_unsigned (number, 10, 0, 60, &days, NULL))
        return FALSE;
      time = strchr (text, 'd') + 1;
      while (*time == ' ')
        time++;
    }
  if (!signpost_import_parse_time (time, &hour, &minute))
    return FALSE;
  g_date_subtract_days (&date, days);
  *release = signpost_local_time_to_utc (&date, hour, minute, tz);
  return *release != NULL;
}

static void
read_row (Context  *c,
          Row      *row,
          GStrv     cells,
          gboolean  too_many)
{
  g_autofree char *date_text = signpost_import_clean_text (cells[SIGNPOST_SESSION_COLUMN_DATE]);
  g_autofree char *who = signpost_import_clean_text (cells[SIGNPOST_SESSION_COLUMN_CLINICIAN]);
  g_autofree char *start_text = signpost_import_clean_text (cells[SIGNPOST_SESSION_COLUMN_START]);
  g_autofree char *end_text = signpost_import_clean_text (cells[SIGNPOST_SESSION_COLUMN_END]);
  g_autofree char *length_text = signpost_import_clean_text (cells[SIGNPOST_SESSION_COLUMN_SLOT_LENGTH]);
  g_autofree char *mode_text = signpost_import_clean_text (cells[SIGNPOST_SESSION_COLUMN_MODE]);
  g_autofree char *release_text = signpost_import_clean_text (cells[SIGNPOST_SESSION_COLUMN_RELEASE]);
  g_autofree char *hub_text = signpost_import_clean_text (cells[SIGNPOST_SESSION_COLUMN_HUB_BOOKABLE]);
  g_autoptr(GDateTime) release = NULL;
  const char *reason = NULL;
  SignpostSlotMode mode = SIGNPOST_SLOT_MODE_FACE_TO_FACE;
  gboolean hub = TRUE;
  guint64 length = 0;
  int h1 = 0, m1 = 0, h2 = 0, m2 = 0;
  int from, to;
  GDate date;

  g_date_clear (&date, 1);
  if (date_text == NULL || !signpost_import_parse_date (date_text, &date))
    reject (c, row, SIGNPOST_SESSION_COLUMN_DATE,
            _("is not a date that exists (write 2026-12-07 or 07/12/2026)"));
  else if (g_date_compare (&date, &c->today) < 0)
    reject (c, row, SIGNPOST_SESSION_COLUMN_DATE, _("is in the past"));
  if (who == NULL)
    reject (c, row, SIGNPOST_SESSION_COLUMN_CLINICIAN, _("is empty"));
  else if ((row->clinician_id = signpost_clinician_matcher_find (c->clinicians, who, &reason)) == NULL)
    reject (c, row, SIGNPOST_SESSION_COLUMN_CLINICIAN, reason);
  if (!signpost_import_parse_time (start_text, &h1, &m1))
    reject (c, row, SIGNPOST_SESSION_COLUMN_START, _("is not a time like 08:30"));
  if (!signpost_import_parse_time (end_text, &h2, &m2))
    reject (c, row, SIGNPOST_SESSION_COLUMN_END, _("is not a time like 12:00"));
  if (length_text == NULL || !g_ascii_string_to_unsigned (length_text, 10, 1, 480, &length, NULL))
    reject (c, row, SIGNPOST_SESSION_COLUMN_SLOT_LENGTH, _("is not a number of minutes from 1 to 480"));
  if (mode_text != NULL && !signpost_import_parse_slot_mode (mode_text, &mode))
    reject (c, row, SIGNPOST_SESSION_COLUMN_MODE,
            _("is not face to face, telephone, video or home visit"));
  if (hub_text != NULL && !signpost_import_parse_boolean (hub_text, &hub))
    reject (c, row, SIGNPOST_SESSION_COLUMN_HUB_BOOKABLE, _("is not yes or no"));
  if (too_many)
    reject (c, row, G_MAXUINT, _("has more fields than the header"));
  if (row->rejected)
    return;

  from = h1 * 60 + m1;
  to = h2 * 60 + m2;
  if (to <= from)
    {
      reject (c, row, SIGNPOST_SESSION_COLUMN_END, _("is not after the start"));
      return;
    }
  if ((to - from) % length != 0)
    {
      reject (c, row, SIGNPOST_SESSION_COLUMN_SLOT_LENGTH,
              _("does not divide the session into whole slots"));
      return;
    }
  if ((to - from) / length > MAX_SLOTS_PER_SESSION)
    {
      reject (c, row, SIGNPOST_SESSION_COLUMN_SLOT_LENGTH, _("makes too many slots"));
      return;
    }
  if (!parse_release (release_text, &date, c->tz, &release))
    {
      reject (c, row, SIGNPOST_SESSION_COLUMN_RELEASE,
              _("is not “now”, a time like 08:00, or days before and a time like 2d 08:00"));
      return;
    }
  row->start = signpost_local_time_to_utc (&date, h1, m1, c->tz);
  row->end = signpost_local_time_to_utc (&date, h2, m2, c->tz);
  if (row->start == NULL || row->end == NULL || g_date_time_compare (row->start, row->end) >= 0)
    {
      reject (c, row, SIGNPOST_SESSION_COLUMN_START, _("does not exist on that day (the clocks change)"));
      return;
    }
  if (release != NULL && g_date_time_compare (release, row->start) > 0)
    {
      reject (c, row, SIGNPOST_SESSION_COLUMN_RELEASE, _("is after the session starts"));
      return;
    }

  row->slots = g_ptr_array_new_with_free_func (g_object_unref);
  for (int minute = from; minute < to; minute += length)
    {
      g_autoptr(SignpostSlot) slot = signpost_slot_new ();
      g_autoptr(GDateTime) start = signpost_local_time_to_utc (&date, minute / 60, minute % 60, c->tz);
      g_autofree char *stamp = NULL;
      g_autofree char *name = NULL;
      g_autofree char *id = NULL;

      if (start == NULL)
        continue;
      stamp = signpost_timestamp_format (start);
      name = g_strconcat ("slot|", row->clinician_id, "|", stamp, NULL);
      id = signpost_uuid_from_name (c->practice_id, name);
      signpost_record_set_id (SIGNPOST_RECORD (slot), id);
      signpost_record_set_practice_id (SIGNPOST_RECORD (slot), c->practice_id);
      signpost_slot_set_clinician_id (slot, row->clinician_id);
      signpost_slot_set_start (slot, start);
      signpost_slot_set_duration_minutes (slot, length);
      signpost_slot_set_mode (slot, mode);
      signpost_slot_set_release_at (slot, release);
      signpost_slot_set_hub_bookable (slot, hub);
      signpost_slot_set_status (slot, SIGNPOST_SLOT_FREE);
      g_ptr_array_add (row->slots, g_steal_pointer (&slot));
    }
}

static gboolean
overlaps (GDateTime *a_start,
          GDateTime *a_end,
          GDateTime *b_start,
          GDateTime *b_end)
{
  return g_date_time_compare (a_start, b_end) < 0 && g_date_time_compare (b_start, a_end) < 0;
}

static GDateTime *
slot_end (SignpostSlot *slot)
{
  return g_date_time_add_minutes (signpost_slot_get_start (slot),
                                  signpost_slot_get_duration_minutes (slot));
}

SignpostImportReport *
signpost_import_sessions (SignpostApplyContext         *ctx,
                          SignpostPractice             *practice,
                          GBytes                       *file,
                          const SignpostImportOptions  *options,
                          GError                      **error)
{
  g_autoptr(SignpostImportReport) report = signpost_import_report_new ("sessions", options->dry_run);
  g_autoptr(SignpostImportTable) table = NULL;
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (Row));
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) clinicians = NULL;
  g_autoptr(SignpostClinicianMatcher) matcher = NULL;
  g_autoptr(GPtrArray) existing = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) planned = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(SignpostImportBatch) batch = { 0 };
  const char *practice_id = signpost_record_get_id (SIGNPOST_RECORD (practice));
  gint64 counts[SIGNPOST_IMPORT_N_COUNTS] = { 0 };
  GStrv cells = NULL;
  guint line = 0;
  gboolean too_many = FALSE;
  Context c = { 0 };

  g_array_set_clear_func (rows, (GDestroyNotify) row_clear);
  signpost_import_batch_init (&batch, ctx, options);
  table = signpost_import_open (SIGNPOST_IMPORT_SESSIONS, file, options, report);
  if (table == NULL)
    return g_steal_pointer (&report);
  tz = signpost_time_zone_new (signpost_practice_get_time_zone (practice), NULL);
  clinicians = signpost_store_list_records (ctx->store, SIGNPOST_RECORD_CLINICIAN, practice_id, error);
  if (clinicians == NULL)
    return NULL;
  matcher = signpost_clinician_matcher_new (clinicians);
  c.report = report;
  c.table = table;
  c.clinicians = matcher;
  c.practice_id = practice_id;
  c.tz = tz;
  signpost_local_date (ctx->now, tz, &c.today);

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

  /* Sessions of one clinician in the file must not overlap. */
  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = &g_array_index (rows, Row, i);

      for (guint j = 0; j < i && !row->rejected; j++)
        {
          Row *other = &g_array_index (rows, Row, j);

          if (!other->rejected && g_strcmp0 (other->clinician_id, row->clinician_id) == 0 &&
              overlaps (row->start, row->end, other->start, other->end))
            {
              g_autofree char *reason = g_strdup_printf (_("overlaps the session on line %u"),
                                                         other->line);

              reject (&c, row, SIGNPOST_SESSION_COLUMN_START, reason);
            }
        }
    }

  if (!options->dry_run && !signpost_store_begin (ctx->store, error))
    return NULL;
  existing = signpost_store_list_records (ctx->store, SIGNPOST_RECORD_SLOT, practice_id, error);
  if (existing == NULL)
    goto failed;
  for (guint i = 0; i < existing->len; i++)
    g_hash_table_insert (by_id, (gpointer) signpost_record_get_id (g_ptr_array_index (existing, i)),
                         g_ptr_array_index (existing, i));

  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = &g_array_index (rows, Row, i);

      if (row->rejected)
        continue;
      for (guint s = 0; s < row->slots->len; s++)
        g_hash_table_add (planned, (gpointer) signpost_record_get_id (g_ptr_array_index (row->slots, s)));
      /* Slots already in the diary that are not this session's own. */
      for (guint e = 0; e < existing->len && !row->rejected; e++)
        {
          SignpostSlot *slot = g_ptr_array_index (existing, e);
          g_autoptr(GDateTime) end = NULL;

          if (g_strcmp0 (signpost_slot_get_clinician_id (slot), row->clinician_id) != 0 ||
              g_hash_table_contains (planned, signpost_record_get_id (SIGNPOST_RECORD (slot))))
            continue;
          end = slot_end (slot);
          if (overlaps (row->start, row->end, signpost_slot_get_start (slot), end))
            reject (&c, row, SIGNPOST_SESSION_COLUMN_START,
                    _("overlaps slots of this clinician already in the diary"));
        }
      if (row->rejected)
        continue;
      for (guint s = 0; s < row->slots->len; s++)
        {
          SignpostSlot *wanted = g_ptr_array_index (row->slots, s);
          SignpostSlot *current = g_hash_table_lookup (by_id, signpost_record_get_id (SIGNPOST_RECORD (wanted)));
          g_autoptr(SignpostSlot) next = NULL;

          if (current != NULL)
            {
              if (signpost_slot_get_status (current) == SIGNPOST_SLOT_BOOKED)
                {
                  counts[SIGNPOST_IMPORT_COUNT_SKIPPED]++;
                  continue;
                }
              next = signpost_object_copy (SIGNPOST_OBJECT (current));
              signpost_slot_set_duration_minutes (next, signpost_slot_get_duration_minutes (wanted));
              signpost_slot_set_mode (next, signpost_slot_get_mode (wanted));
              signpost_slot_set_release_at (next, signpost_slot_get_release_at (wanted));
              signpost_slot_set_hub_bookable (next, signpost_slot_get_hub_bookable (wanted));
              if (signpost_object_equal (SIGNPOST_OBJECT (next), SIGNPOST_OBJECT (current)))
                {
                  counts[SIGNPOST_IMPORT_COUNT_UNCHANGED]++;
                  continue;
                }
              counts[SIGNPOST_IMPORT_COUNT_UPDATED]++;
            }
          else
            {
              next = g_object_ref (wanted);
              counts[SIGNPOST_IMPORT_COUNT_CREATED]++;
            }
          if (!options->dry_run && !signpost_import_batch_add (&batch, SIGNPOST_RECORD (next), error))
            goto failed;
        }
    }
  if (!options->dry_run && !signpost_import_batch_flush (&batch, error))
    goto failed;
  if (!options->dry_run)
    {
      g_autofree char *digest = signpost_import_file_digest (file);
      g_autofree char *detail = g_strdup_printf ("slots created %" G_GINT64_FORMAT ", updated %"
                                                 G_GINT64_FORMAT ", unchanged %" G_GINT64_FORMAT
                                                 ", booked left alone %" G_GINT64_FORMAT
                                                 ", rows rejected %u; file sha256:%s",
                                                 counts[SIGNPOST_IMPORT_COUNT_CREATED],
                                                 counts[SIGNPOST_IMPORT_COUNT_UPDATED],
                                                 counts[SIGNPOST_IMPORT_COUNT_UNCHANGED],
                                                 counts[SIGNPOST_IMPORT_COUNT_SKIPPED],
                                                 signpost_import_report_get_n_rejections (report),
                                                 digest);

      if (!signpost_import_audit (ctx, options, "admin-import-sessions", SIGNPOST_RECORD (practice),
                                  detail, error) ||
          !signpost_store_commit (ctx->store, error))
        goto failed;
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
