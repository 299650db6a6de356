/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>

#include "bench-server-util.h"

/*
 * A hub navigator's first sync of the whole demo hub (two practices,
 * 16,000 patients, a week of diaries), paged at 5,000 changes, with the
 * client parsing every page as the console would; on SQLite and, when a
 * server is named, on PostgreSQL, side by side, taking turns.
 */

/* One full sync as hubnav; returns records/s. */
static double
full_sync (SoupSession *session,
           BenchServer *server,
           const char  *token,
           const char  *store)
{
  gint64 since = 0, start = g_get_monotonic_time (), records = 0, bytes = 0;
  guint pages = 0;
  gboolean more = TRUE;
  double seconds;

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT
                                               "&limit=5000", since);
      g_autoptr(GBytes) reply = NULL;
      g_autoptr(JsonObject) page = NULL;
      g_autoptr(GError) error = NULL;
      guint status = 0;

      reply = bench_request (session, server, "GET", path, token, NULL, &status);
      g_assert_cmpuint (status, ==, 200);
      bytes += g_bytes_get_size (reply);
      page = signpost_json_parse_object (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply),
                                         G_MAXSIZE, &error);
      g_assert_no_error (error);
      records += json_array_get_length (json_object_get_array_member (page, "changes"));
      since = json_object_get_int_member (page, "last_seq");
      more = json_object_get_boolean_member (page, "more");
      pages++;
    }
  seconds = (g_get_monotonic_time () - start) / 1e6;
  printf ("full sync as hubnav (%s): %" G_GINT64_FORMAT " records in %u pages, %.1f MB, "
          "%.2f s: %.0f records/s, %.1f MB/s\n",
          store, records, pages, bytes / 1e6, seconds, records / seconds, bytes / 1e6 / seconds);
  return records / seconds;
}

#define RUNS 3

int
main (int    argc,
      char **argv)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  BenchStore stores[2];
  guint n = bench_stores (stores);
  BenchServer *servers[2] = { NULL };
  char *tokens[2] = { NULL };
  GArray *rates[2] = { NULL };
  double medians[2] = { 0 };

  for (guint i = 0; i < n; i++)
    {
      bench_use_store (stores[i]);
      servers[i] = bench_server_new_demo ();
      tokens[i] = bench_login (session, servers[i], "hubnav", "demo-password");
      rates[i] = g_array_new (FALSE, FALSE, sizeof (double));
    }
  /* The stores take turns, so that whatever else the machine is doing
   * weighs on both alike. */
  for (guint run = 0; run < RUNS; run++)
    for (guint k = 0; k < n; k++)
      {
        guint i = (run + k) % n;
        double rate = full_sync (session, servers[i], tokens[i], bench_store_name (stores[i]));

        g_array_append_val (rates[i], rate);
      }
  for (guint i = 0; i < n; i++)
    {
      g_array_sort (rates[i], bench_compare_doubles);
      medians[i] = g_array_index (rates[i], double, RUNS / 2);
      printf ("changes-sync (%s): median %.0f records/s\n", bench_store_name (stores[i]), medians[i]);
    }
  bench_print_ratio ("changes-sync, full sync median", "records/s", medians, n);
  for (guint i = 0; i < n; i++)
    {
      bench_server_free (servers[i]);
      g_free (tokens[i]);
      g_array_unref (rates[i]);
    }
  return 0;
}
