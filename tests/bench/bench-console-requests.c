/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <string.h>

#include "console-test-fixtures.h"
#include "signpost-sync.h"

/*
 * The Requests list over a busy hub's cache: 100,000 navigation records
 * of the past, 5,000 still open (online, other products and the phone, a
 * fifth not matched yet). Timed as the console does it: the list read,
 * sorted and filtered in SQLite (SignpostRequestListModel), each change
 * from the feed landing in place, and the channel filter switched as the
 * page does it (in memory, over the open ones) and as the model can (in
 * SQLite, reading them again).
 *
 * Baselines measured in the same run: every navigation record read from
 * the cache then filtered and sorted in memory (what a GtkFilterListModel
 * and GtkSortListModel over the whole table would at least do), and the
 * same changes applied with no list following them.
 */

#define N_CLOSED 100000
#define N_OPEN 5000
#define PAGE 1000
#define N_CHANGES 300

static const char *sources[] = { "online", "online", "intake", "phone" };
static const char *urgencies[] = { "routine", "routine", "routine", "within_2_weeks", "same_day" };

static GDateTime *base;
static gint64 seq;

static char *
instant (int minutes)
{
  g_autoptr(GDateTime) at = g_date_time_add_minutes (base, minutes);
  return signpost_timestamp_format (at);
}

static JsonObject *
request_json (guint    index,
              gboolean open)
{
  JsonObject *object = json_object_new ();
  g_autofree char *id = test_uuid_for ("triage", index);
  g_autofree char *patient = test_uuid_for ("patient", index % 1000);
  g_autofree char *created = instant (-(int) (index % 5000));
  g_autofree char *respond_by = instant ((int) (index * 37 % 3000) - 600);

  json_object_set_string_member (object, "id", id);
  json_object_set_string_member (object, "practice_id", index % 5 == 4 ? TEST_PRACTICE_B : TEST_PRACTICE_A);
  json_object_set_int_member (object, "version", 1);
  json_object_set_string_member (object, "updated_at", created);
  json_object_set_int_member (object, "seq", ++seq);
  json_object_set_string_member (object, "reason", "Sore throat for a week, worse at night, some fever");
  json_object_set_string_member (object, "urgency", urgencies[index % G_N_ELEMENTS (urgencies)]);
  json_object_set_string_member (object, "status", open ? "open" : "closed");
  json_object_set_string_member (object, "source", sources[index % G_N_ELEMENTS (sources)]);
  json_object_set_string_member (object, "created_at", created);
  json_object_set_string_member (object, "respond_by", respond_by);
  if (index % 5 != 0)
    json_object_set_string_member (object, "patient_id", patient);
  return object;
}

static void
apply_page (SignpostCache *cache,
            GPtrArray     *records)
{
  g_autoptr(GPtrArray) kinds = g_ptr_array_new ();
  g_autoptr(GBytes) page = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < records->len; i++)
    g_ptr_array_add (kinds, (gpointer) "triage");
  page = test_changes_page (records, kinds, seq, FALSE);
  if (!signpost_cache_apply_changes (cache, page, NULL, NULL, NULL, &error))
    g_error ("%s", error->message);
}

static void
fill (SignpostCache *cache)
{
  gint64 start = g_get_monotonic_time ();
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  test_fill_patients (cache, 1000);
  for (guint i = 0; i < N_CLOSED + N_OPEN; i++)
    {
      g_ptr_array_add (records, request_json (i, i >= N_CLOSED));
      if (records->len == PAGE)
        {
          apply_page (cache, records);
          g_ptr_array_set_size (records, 0);
        }
    }
  if (records->len > 0)
    apply_page (cache, records);
  g_print ("Filled the cache with %d navigation records (%d open) in %.1f s\n", N_CLOSED + N_OPEN, N_OPEN,
           (g_get_monotonic_time () - start) / 1e6);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
percentile (GArray *times,
            double  p)
{
  g_array_sort (times, compare_doubles);
  return g_array_index (times, double, MIN ((guint) (times->len * p), times->len - 1));
}

static int
compare_requests (gconstpointer a,
                  gconstpointer b)
{
  return signpost_request_list_compare (*(SignpostTriage **) a, *(SignpostTriage **) b);
}

/* The whole table read, filtered and sorted in memory. */
static double
baseline_load_ms (SignpostCache *cache,
                  guint         *n_open)
{
  gint64 start = g_get_monotonic_time ();
  g_autoptr(GPtrArray) all = signpost_cache_list_records (cache, SIGNPOST_RECORD_TRIAGE, NULL);
  g_autoptr(GPtrArray) open = g_ptr_array_new ();

  for (guint i = 0; i < all->len; i++)
    if (signpost_triage_get_status (g_ptr_array_index (all, i)) == SIGNPOST_TRIAGE_OPEN)
      g_ptr_array_add (open, g_ptr_array_index (all, i));
  g_ptr_array_sort (open, compare_requests);
  *n_open = open->len;
  return (g_get_monotonic_time () - start) / 1000.0;
}

static gboolean
keep_online (gpointer item,
             gpointer user_data)
{
  return signpost_triage_get_source (item) == SIGNPOST_REQUEST_SOURCE_ONLINE;
}

static guint n_emitted;

static void
on_items_changed (void)
{
  n_emitted++;
}

/* @n changes, one a page as the live feed brings them: a new open
 * request, one routed away, one made more urgent. */
static GArray *
time_changes (SignpostCache *cache,
              guint          first)
{
  GArray *times = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < N_CHANGES; i++)
    {
      g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
      JsonObject *record;
      gint64 start;
      double ms;

      switch (i % 3)
        {
        case 0:
          record = request_json (first + i, TRUE);
          break;
        case 1:
          record = request_json (N_CLOSED + (first + i * 7) % N_OPEN, TRUE);
          json_object_set_string_member (record, "status", "awaiting_duty");
          break;
        default:
          record = request_json (N_CLOSED + (first + i * 13) % N_OPEN, TRUE);
          json_object_set_string_member (record, "urgency", "same_day");
          break;
        }
      json_object_set_int_member (record, "version", 2 + first);
      g_ptr_array_add (records, record);
      start = g_get_monotonic_time ();
      apply_page (cache, records);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (times, ms);
    }
  return times;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = g_dir_make_tmp ("signpost-bench-requests-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "cache.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SignpostCache) cache = NULL;
  g_autoptr(SignpostRequestListModel) model = NULL;
  g_autoptr(GArray) with_list = NULL;
  g_autoptr(GArray) without_list = NULL;
  double baseline_ms, load_ms, filter_ms[3];
  guint n_open = 0;
  gint64 start;

  base = g_date_time_new_now_utc ();
  cache = signpost_cache_open (path, &error);
  g_assert_no_error (error);
  fill (cache);

  /* Warm the page cache for both, then measure each. */
  baseline_load_ms (cache, &n_open);
  baseline_ms = baseline_load_ms (cache, &n_open);
  start = g_get_monotonic_time ();
  model = signpost_request_list_model_new (cache);
  load_ms = (g_get_monotonic_time () - start) / 1000.0;
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, n_open);
  g_print ("Requests list, first load (%u open of %d): %.1f ms in SQLite; baseline (every record read, "
           "filtered and sorted in memory): %.1f ms; ratio %.2f\n",
           n_open, N_CLOSED + N_OPEN, load_ms, baseline_ms, load_ms / baseline_ms);

  /* The page's way: a filter over the few thousand already read. */
  {
    g_autoptr(GtkCustomFilter) filter = gtk_custom_filter_new (keep_online, NULL, NULL);
    g_autoptr(GtkFilterListModel) filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (model)), NULL);
    double page_ms[2];

    start = g_get_monotonic_time ();
    gtk_filter_list_model_set_filter (filtered, GTK_FILTER (filter));
    page_ms[0] = (g_get_monotonic_time () - start) / 1000.0;
    start = g_get_monotonic_time ();
    gtk_filter_list_model_set_filter (filtered, NULL);
    page_ms[1] = (g_get_monotonic_time () - start) / 1000.0;
    g_print ("Channel filter as the page does it (in memory, %u open): online only %.2f ms, "
             "back to everything %.2f ms\n", n_open, page_ms[0], page_ms[1]);
  }

  start = g_get_monotonic_time ();
  signpost_request_list_model_set_source (model, SIGNPOST_REQUEST_SOURCE_ONLINE);
  filter_ms[0] = (g_get_monotonic_time () - start) / 1000.0;
  start = g_get_monotonic_time ();
  signpost_request_list_model_set_unmatched_only (model, TRUE);
  filter_ms[1] = (g_get_monotonic_time () - start) / 1000.0;
  start = g_get_monotonic_time ();
  signpost_request_list_model_set_source (model, -1);
  signpost_request_list_model_set_unmatched_only (model, FALSE);
  filter_ms[2] = (g_get_monotonic_time () - start) / 1000.0;
  g_print ("Filters in SQLite (read again): online only %.1f ms, not matched yet %.1f ms, back to everything %.1f ms\n",
           filter_ms[0], filter_ms[1], filter_ms[2]);

  /* Changes, with the list following them and without. */
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), NULL);
  with_list = time_changes (cache, 200000);
  g_print ("A change from the feed, with the list following (%u items-changed for %d changes): "
           "p50 %.2f ms, p99 %.2f ms\n", n_emitted, N_CHANGES, percentile (with_list, 0.5),
           percentile (with_list, 0.99));
  g_clear_object (&model);
  without_list = time_changes (cache, 300000);
  g_print ("The same changes with no list: p50 %.2f ms, p99 %.2f ms; the list's share at p50: ratio %.2f\n",
           percentile (without_list, 0.5), percentile (without_list, 0.99),
           percentile (with_list, 0.5) / percentile (without_list, 0.5));

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
  g_date_time_unref (base);
  return 0;
}
