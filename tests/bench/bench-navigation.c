/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "signpost-navigation.h"
#include "signpost-sync.h"

/*
 * Care navigation's costs, printed: the Pharmacy First match the form runs
 * on every keystroke of the reason, the red-flag rule, and the duty list's
 * model over a practice's year of requests (5,000, of which 200 are open
 * for the duty doctor): loading it, and one request changing.
 */

#define PRACTICE "6e71a7cd-07fc-4aeb-8bef-a9aa5f8bc001"
#define N_TRIAGE 5000
#define N_OPEN 200

static const char * const reasons[] = {
  "Really sore throat since Saturday, hurts to swallow",
  "Burning when I pee and going all the time",
  "Earache since last night, pulling at his ear",
  "Crushing pain in the middle of my chest going into my arm",
  "Repeat prescription for my inhaler please",
  "Rash on one side of my back with blisters, very painful",
  "Mosquito bites on her legs have gone red and hot",
  "Feeling low for a couple of months, not sleeping well at all",
  "Blocked nose and pain in my face for ten days",
  "Would like to discuss stopping the pill and other options",
};

static double
elapsed_ms (gint64 since)
{
  return (g_get_monotonic_time () - since) / 1000.0;
}

static void
bench_rules (void)
{
  const char * const flags[] = { "suicidal_intent", "chest_pain", NULL };
  guint n = 100000, found = 0;
  gint64 start = g_get_monotonic_time ();
  double ms;

  for (guint i = 0; i < n; i++)
    found += signpost_navigation_pharmacy_first_suggestion (reasons[i % G_N_ELEMENTS (reasons)], 30,
                                                            SIGNPOST_SEX_FEMALE, NULL);
  ms = elapsed_ms (start);
  g_print ("Pharmacy First match: %.2f µs a reason (%u of %u suggested)\n", ms * 1000.0 / n, found, n);

  n = 1000000;
  start = g_get_monotonic_time ();
  found = 0;
  for (guint i = 0; i < n; i++)
    found += signpost_navigation_check_urgency (flags, i % 4, NULL);
  ms = elapsed_ms (start);
  g_print ("Red flag urgency check: %.3f µs a check\n", ms * 1000.0 / n);
}

static SignpostTriage *
make_triage (guint i)
{
  SignpostTriage *triage = signpost_triage_new ();
  g_autoptr(SignpostRoute) route = signpost_route_new ();
  g_autofree char *id = g_strdup_printf ("0b8f5a3e-4a52-4f43-9d86-%012u", i);
  g_autoptr(GDateTime) at = g_date_time_new_utc (2026, 11, 23, 8, i % 60, (i / 60) % 60);

  signpost_record_set_id (SIGNPOST_RECORD (triage), id);
  signpost_record_set_practice_id (SIGNPOST_RECORD (triage), PRACTICE);
  signpost_record_set_version (SIGNPOST_RECORD (triage), 1);
  signpost_record_set_seq (SIGNPOST_RECORD (triage), i + 1);
  signpost_record_set_updated_at (SIGNPOST_RECORD (triage), at);
  signpost_triage_set_created_at (triage, at);
  signpost_triage_set_reason (triage, reasons[i % G_N_ELEMENTS (reasons)]);
  signpost_triage_set_urgency (triage, i % 4);
  signpost_route_set_kind (route, SIGNPOST_ROUTE_DUTY);
  signpost_triage_set_route (triage, route);
  signpost_triage_set_status (triage, i < N_OPEN ? SIGNPOST_TRIAGE_AWAITING_DUTY : SIGNPOST_TRIAGE_CLOSED);
  if (signpost_navigation_rag_for_urgency (i % 4) == SIGNPOST_RAG_RED && i % 4 == 0)
    {
      const char * const flags[] = { "chest_pain", NULL };
      signpost_triage_set_red_flags (triage, flags);
    }
  return triage;
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    data)
{
  *(guint *) data += 1;
}

static void
bench_duty_list (void)
{
  static const SignpostTriageStatus open[] = { SIGNPOST_TRIAGE_OPEN, SIGNPOST_TRIAGE_AWAITING_DUTY, -1 };
  g_autofree char *dir = g_dir_make_tmp ("signpost-bench-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "cache.db", NULL);
  g_autoptr(SignpostCache) cache = NULL;
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SignpostTriageListModel) model = NULL;
  g_autoptr(SignpostTriage) changed = NULL;
  g_autoptr(GError) error = NULL;
  guint signals = 0;
  gint64 start;

  cache = signpost_cache_open (path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_TRIAGE; i++)
    g_ptr_array_add (records, make_triage (i));
  start = g_get_monotonic_time ();
  g_assert_true (signpost_cache_store_records (cache, records, &error));
  g_print ("Storing %u requests in the cache: %.1f ms\n", N_TRIAGE, elapsed_ms (start));

  start = g_get_monotonic_time ();
  model = signpost_triage_list_model_new (cache, open);
  signpost_triage_list_model_set_for_clinician_id (model, "");
  g_print ("Duty list model (%u open of %u): %.2f ms to load\n",
           g_list_model_get_n_items (G_LIST_MODEL (model)), N_TRIAGE, elapsed_ms (start));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_OPEN);

  /* A doctor opens one (a claim lands): one row changes. */
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), &signals);
  changed = make_triage (7);
  signpost_triage_set_claimed_by (changed, "0b8f5a3e-4a52-4f43-9d86-2f0c4e9b1999");
  signpost_record_set_version (SIGNPOST_RECORD (changed), 2);
  signpost_record_set_seq (SIGNPOST_RECORD (changed), N_TRIAGE + 1);
  g_ptr_array_set_size (records, 0);
  g_ptr_array_add (records, g_object_ref (changed));
  start = g_get_monotonic_time ();
  g_assert_true (signpost_cache_store_records (cache, records, &error));
  while (signals == 0 && g_main_context_iteration (NULL, FALSE))
    ;
  g_print ("One request changing (stored, row updated): %.2f ms, %u items-changed\n", elapsed_ms (start), signals);

  g_clear_object (&model);
  g_clear_object (&cache);
  g_unlink (path);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);
    g_unlink (wal);
    g_unlink (shm);
  }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  bench_rules ();
  bench_duty_list ();
  return 0;
}
