/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "console-test-fixtures.h"
#include "signpost-sync.h"

/*
 * Patient search and caller lookup over a 100,000-patient cache, timed as
 * the console does them: every keystroke sets the search model's query
 * (SQLite query, decoding the rows, reporting the differences), and every
 * call looks its number up. Targets: < 10 ms a keystroke, < 0.5 ms a lookup.
 *
 * Phone numbers come only from Ofcom's drama ranges (17 blocks of 1,000),
 * one per patient, so each number is shared by about six patients, like a
 * household landline.
 */

#define N_PATIENTS 100000
#define PAGE 1000
#define N_LOOKUPS 20000

static char *
drama_number (guint n)
{
  return test_drama_number (n, NULL);
}

static void
fill (SignpostCache *cache)
{
  gint64 start = g_get_monotonic_time ();
  double seconds;

  test_fill_drama_patients (cache, N_PATIENTS, NULL);
  seconds = (g_get_monotonic_time () - start) / 1e6;
  g_print ("Filled the cache with %d patients in %.1f s (%.0f records/s applied, pages of %d, "
           "parse + decode + index + FTS)\n", N_PATIENTS, seconds, N_PATIENTS / seconds, PAGE);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static void
report (const char *what,
        GArray     *times_ms)
{
  double sum = 0;

  g_array_sort (times_ms, compare_doubles);
  for (guint i = 0; i < times_ms->len; i++)
    sum += g_array_index (times_ms, double, i);
  g_print ("%-34s n=%-5u mean %7.3f ms  p50 %7.3f  p95 %7.3f  p99 %7.3f  max %7.3f\n", what, times_ms->len,
           sum / times_ms->len,
           g_array_index (times_ms, double, times_ms->len / 2),
           g_array_index (times_ms, double, (guint) (times_ms->len * 0.95)),
           g_array_index (times_ms, double, MIN ((guint) (times_ms->len * 0.99), times_ms->len - 1)),
           g_array_index (times_ms, double, times_ms->len - 1));
}

/* Types @text a character at a time into the model. */
static void
type_into (SignpostPatientSearchModel *model,
           const char                 *text,
           GArray                     *times_ms,
           GArray                     *all_ms)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      g_autofree char *prefix = g_strndup (text, g_utf8_next_char (p) - text);
      gint64 start = g_get_monotonic_time ();
      double ms;

      signpost_patient_search_model_set_query (model, prefix);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      if (ms > 10.0 && g_getenv ("BENCH_VERBOSE") != NULL)
        g_print ("    slow: “%s” %.1f ms\n", prefix, ms);
      g_array_append_val (times_ms, ms);
      g_array_append_val (all_ms, ms);
    }
  signpost_patient_search_model_set_query (model, "");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("signpost-bench-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "cache.db", NULL);
  g_autoptr(SignpostCache) cache = NULL;
  g_autoptr(SignpostPatientSearchModel) model = NULL;
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *nhs = test_nhs_number_for (43210);
  g_autofree char *nhs_spaced = signpost_nhs_number_format (nhs);
  g_autoptr(JsonObject) sample = test_patient_json (43210, TEST_PRACTICE_A, 0);
  const char *dob = json_object_get_string_member (sample, "date_of_birth");
  g_autofree char *dob_uk = g_strdup_printf ("%.2s/%.2s/%.4s", dob + 8, dob + 5, dob);
  g_autofree char *number = drama_number (43210);
  g_autofree char *national = signpost_phone_format (number);
  g_autofree char *name = g_strdup_printf ("%s %s", json_object_get_string_member (sample, "family_name"),
                                           json_object_get_string_member (sample, "given_name"));
  g_autofree char *postcode = g_ascii_strdown (json_object_get_string_member (sample, "postcode"), -1);
  const struct { const char *what; const char *text; } searches[] = {
    { "name (surname then first name)", name },
    { "name (common prefix)", "smith ol" },
    { "name (accents not typed)", "zoe bronte" },
    { "NHS number, spaced", nhs_spaced },
    { "date of birth dd/mm/yyyy", dob_uk },
    { "phone, as said aloud", national },
    { "postcode", postcode },
  };

  g_assert_no_error (error);
  cache = signpost_cache_open (path, &error);
  g_assert_no_error (error);
  fill (cache);

  model = signpost_patient_search_model_new (cache);
  g_print ("\nSearch as you type (one search-model update per keystroke, 50 rows, %d patients):\n", N_PATIENTS);
  for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
    {
      g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
      g_autofree char *label = g_strdup_printf ("  %s", searches[i].what);

      /* Warm once, as the cache pages would be after a morning's use. */
      type_into (model, searches[i].text, times, times);
      g_array_set_size (times, 0);
      for (guint round = 0; round < 5; round++)
        type_into (model, searches[i].text, times, all);
      report (label, times);
    }
  report ("  every keystroke", all);

  {
    g_autoptr(GArray) lookups = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(GRand) rand = g_rand_new_with_seed (42);
    guint found = 0;

    for (guint i = 0; i < N_LOOKUPS; i++)
      {
        g_autofree char *cli = drama_number (g_rand_int_range (rand, 0, 17000));
        gint64 start = g_get_monotonic_time ();
        g_autoptr(GPtrArray) patients = signpost_cache_find_patients_by_phone (cache, cli, NULL);
        double ms = (g_get_monotonic_time () - start) / 1000.0;

        found += patients->len;
        g_array_append_val (lookups, ms);
      }
    g_print ("\nCaller lookup (E.164 CLI → patient records, %.1f matches each on average):\n",
             (double) found / N_LOOKUPS);
    report ("  phone lookup", lookups);
  }

  g_clear_object (&model);
  g_clear_object (&cache);
  {
    const char *suffixes[] = { "", "-wal", "-shm" };
    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
        g_unlink (file);
      }
    g_rmdir (dir);
  }
  return 0;
}
