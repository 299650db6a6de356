/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include "signpost-apply.h"
#include "signpost-demo.h"

/*
 * The demo opens the practices' day now, whatever the hour or weekday:
 * the demo plays the 8 am surge the moment it starts (signpost-callgen
 * --surge), so the diary and the duty rota must be those of a practice
 * whose phones have just opened. The first day of the seeded week is laid
 * out again with 08:00 at the moment the demo starts: its sessions start
 * half an hour later (08:30 then), the slots held back until 08:00 are
 * released, and the day's duty doctor is on duty from now for the ten and
 * a half hours of a day. On a weekday that day is today and is moved; at
 * a weekend (when the week starts on Monday) today gets a copy of it.
 *
 * It works on whatever practices the store holds, through the store, after
 * the demo is seeded.
 */

#define SESSION_START_MINUTE (8 * 60 + 30)
#define OPENING_MINUTE (8 * 60)
#define DUTY_MINUTES (10 * 60 + 30)

/* A copy's id: derived from the slot copied and the day, so that the demo
 * stays deterministic apart from its dates. */
static char *
derived_uuid (const char  *id,
              const GDate *day)
{
  g_autofree char *key = g_strdup_printf ("demo-open-now/%s/%u", id, g_date_get_julian (day));
  g_autofree char *hex = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);

  hex[12] = '4';
  hex[16] = "89ab"[g_ascii_xdigit_value (hex[16]) & 3];
  return g_strdup_printf ("%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}

static gboolean
same_day (GDateTime   *instant,
          GTimeZone   *tz,
          const GDate *day)
{
  GDate d;

  signpost_local_date (instant, tz, &d);
  return g_date_compare (&d, day) == 0;
}

/* The first day from today on that holds slots of @practice_id. */
static gboolean
first_seeded_day (GPtrArray   *slots,
                  GTimeZone   *tz,
                  const GDate *today,
                  GDate       *first)
{
  gboolean found = FALSE;

  for (guint i = 0; i < slots->len; i++)
    {
      GDate d;

      signpost_local_date (signpost_slot_get_start (g_ptr_array_index (slots, i)), tz, &d);
      if (g_date_compare (&d, today) >= 0 && (!found || g_date_compare (&d, first) < 0))
        {
          *first = d;
          found = TRUE;
        }
    }
  return found;
}

static gboolean
open_practice_now (SignpostApplyContext  *ctx,
                   SignpostPractice      *practice,
                   GError               **error)
{
  const char *practice_id = signpost_record_get_id (SIGNPOST_RECORD (practice));
  g_autoptr(GTimeZone) tz = signpost_time_zone_new (signpost_practice_get_time_zone (practice), NULL);
  g_autoptr(GPtrArray) slots = NULL;
  g_autoptr(GPtrArray) clinicians = NULL;
  g_autoptr(GDateTime) opening = NULL;
  g_autoptr(GDateTime) template_opening = NULL;
  g_autoptr(GDateTime) cut_off = NULL;
  GTimeSpan shift;
  GDate today, template_day, tomorrow;
  gboolean in_place;

  if (tz == NULL)
    tz = signpost_time_zone_new (SIGNPOST_DEFAULT_TIME_ZONE, NULL);

  slots = signpost_store_list_records (ctx->store, SIGNPOST_RECORD_SLOT, practice_id, error);
  if (slots == NULL)
    return FALSE;
  clinicians = signpost_store_list_records (ctx->store, SIGNPOST_RECORD_CLINICIAN, practice_id, error);
  if (clinicians == NULL)
    return FALSE;

  signpost_local_date (ctx->now, tz, &today);
  if (!first_seeded_day (slots, tz, &today, &template_day))
    return TRUE; /* no diary ahead: nothing to open */
  in_place = g_date_compare (&template_day, &today) == 0;

  /* 08:00 is now, to the five minutes before, so that slot times look
   * like a diary's. */
  {
    g_autoptr(GDateTime) local = g_date_time_to_timezone (ctx->now, tz);
    int minute = g_date_time_get_minute (local) - g_date_time_get_minute (local) % 5;
    g_autoptr(GDateTime) rounded = g_date_time_new (tz, g_date_time_get_year (local),
                                                    g_date_time_get_month (local),
                                                    g_date_time_get_day_of_month (local),
                                                    g_date_time_get_hour (local), minute, 0);

    opening = g_date_time_to_utc (rounded);
  }
  template_opening = signpost_local_time_to_utc (&template_day, OPENING_MINUTE / 60, OPENING_MINUTE % 60, tz);
  shift = g_date_time_difference (opening, template_opening);

  /* Nothing may run into the next day's own diary, which opens at 08:00. */
  tomorrow = today;
  g_date_add_days (&tomorrow, 1);
  cut_off = signpost_local_time_to_utc (&tomorrow, OPENING_MINUTE / 60, OPENING_MINUTE % 60, tz);

  for (guint i = 0; i < slots->len; i++)
    {
      SignpostSlot *slot = g_ptr_array_index (slots, i);
      g_autoptr(SignpostSlot) moved = NULL;
      g_autoptr(GDateTime) start = NULL;

      if (!same_day (signpost_slot_get_start (slot), tz, &template_day))
        continue;
      start = g_date_time_add (signpost_slot_get_start (slot), shift);
      moved = signpost_object_copy (SIGNPOST_OBJECT (slot));
      if (g_date_time_compare (start, cut_off) >= 0)
        {
          if (in_place && !signpost_apply_write (ctx, SIGNPOST_RECORD (moved), TRUE, error))
            return FALSE;
          continue;
        }
      signpost_slot_set_start (moved, start);
      /* held back until 08:00, which is now */
      if (signpost_slot_get_release_at (slot) != NULL)
        signpost_slot_set_release_at (moved, ctx->now);
      if (!in_place)
        {
          g_autofree char *id = derived_uuid (signpost_record_get_id (SIGNPOST_RECORD (slot)), &today);

          signpost_record_set_id (SIGNPOST_RECORD (moved), id);
          signpost_record_set_version (SIGNPOST_RECORD (moved), 0);
        }
      if (!signpost_apply_write (ctx, SIGNPOST_RECORD (moved), FALSE, error))
        return FALSE;
    }

  /* The day's duty doctor is on duty from now. */
  for (guint i = 0; i < clinicians->len; i++)
    {
      SignpostClinician *clinician = g_ptr_array_index (clinicians, i);
      GListModel *duty = signpost_clinician_get_duty (clinician);
      g_autoptr(GListStore) rota = g_list_store_new (SIGNPOST_TYPE_DUTY_PERIOD);
      g_autoptr(SignpostClinician) changed = NULL;
      gboolean on_duty = FALSE;

      for (guint j = 0; duty != NULL && j < g_list_model_get_n_items (duty); j++)
        {
          g_autoptr(SignpostDutyPeriod) period = g_list_model_get_item (duty, j);
          gboolean that_day = same_day (signpost_duty_period_get_start (period), tz, &template_day);

          on_duty |= that_day;
          if (!(that_day && in_place))
            g_list_store_append (rota, period);
        }
      if (!on_duty)
        continue;
      {
        g_autoptr(SignpostDutyPeriod) now_on = signpost_duty_period_new ();
        g_autoptr(GDateTime) end = g_date_time_add_minutes (opening, DUTY_MINUTES);

        signpost_duty_period_set_start (now_on, opening);
        signpost_duty_period_set_end (now_on, end);
        g_list_store_append (rota, now_on);
      }
      changed = signpost_object_copy (SIGNPOST_OBJECT (clinician));
      signpost_clinician_set_duty (changed, G_LIST_MODEL (rota));
      if (!signpost_apply_write (ctx, SIGNPOST_RECORD (changed), FALSE, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * signpost_demo_open_now:
 * @now: the moment the practices' phones open
 *
 * Lays the demo's first day out again around @now, in one transaction:
 * see the comment at the top of this file. For a store seeded by
 * signpost_demo_seed() with the same day's @now (or the Friday before a
 * weekend's).
 */
gboolean
signpost_demo_open_now (SignpostStore  *store,
                        GDateTime      *now,
                        GError        **error)
{
  SignpostApplyContext ctx;
  g_autoptr(GPtrArray) practices = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (SIGNPOST_IS_STORE (store), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);

  practices = signpost_store_list_records (store, SIGNPOST_RECORD_PRACTICE, NULL, error);
  if (practices == NULL)
    return FALSE;

  if (!signpost_store_begin (store, error))
    return FALSE;
  signpost_apply_context_init (&ctx, store, NULL, now);
  for (guint i = 0; ok && i < practices->len; i++)
    ok = open_practice_now (&ctx, g_ptr_array_index (practices, i), error);
  if (ok)
    ok = signpost_store_commit (store, error);
  if (!ok)
    signpost_store_rollback (store);
  signpost_apply_context_clear (&ctx);
  return ok;
}
