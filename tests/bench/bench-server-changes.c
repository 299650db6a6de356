/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>

#include "bench-server-util.h"

/*
 * A hub navigator's first sync of the whole demo hub (two practices,
 * 16,000 patients, a week of diaries), paged at 5,000 changes, with the
 * client parsing every page as the console would; on SQLite and, when a
 * server is named, on PostgreSQL with one instance and with two instances
 * on one database (the pages asked of each in turn, as behind a load
 * balancer), side by side, taking turns.
 */

/* One full sync as hubnav; returns records/s. */
static double
full_sync (SoupSession  *session,
           BenchServer **servers,
           guint         n_servers,
           const char   *token,
           const char   *store)
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

      reply = bench_request (session, servers[pages % n_servers], "GET", path, token, NULL,
                             &status);
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
  guint n_stores = bench_stores (stores);
  const char *labels[3] = { NULL };
  BenchServer *servers[3][2] = { { NULL } };
  guint n_servers[3] = { 0 };
  char *tokens[3] = { NULL };
  GArray *rates[3] = { NULL };
  double medians[3] = { 0 };
  guint n = 0;

  for (guint i = 0; i < n_stores; i++)
    {
      bench_use_store (stores[i]);
      labels[n] = bench_store_name (stores[i]);
      servers[n][0] = bench_server_new_demo ();
      n_servers[n++] = 1;
      if (stores[i] == BENCH_POSTGRESQL)
        {
          labels[n] = "PostgreSQL, two instances";
          servers[n][0] = bench_server_new_demo ();
          servers[n][1] = bench_server_new_instance (servers[n][0]);
          n_servers[n++] = 2;
        }
    }
  for (guint i = 0; i < n; i++)
    {
      tokens[i] = bench_login (session, servers[i][0], "hubnav", "demo-password");
      rates[i] = g_array_new (FALSE, FALSE, sizeof (double));
    }
  /* The configurations take turns, so that whatever else the machine is
   * doing weighs on all alike. */
  for (guint run = 0; run < RUNS; run++)
    for (guint k = 0; k < n; k++)
      {
        guint i = (run + k) % n;
        double rate = full_sync (session, servers[i], n_servers[i], tokens[i], labels[i]);

        g_array_append_val (rates[i], rate);
      }
  printf ("changes-sync, full sync median:");
  for (guint i = 0; i < n; i++)
    {
      g_array_sort (rates[i], bench_compare_doubles);
      medians[i] = g_array_index (rates[i], double, RUNS / 2);
      if (i == 0)
        printf (" %s %.0f records/s", labels[i], medians[i]);
      else
        printf ("; %s %.0f records/s (%.2f of SQLite)", labels[i], medians[i],
                medians[0] > 0 ? medians[i] / medians[0] : 0);
    }
  printf ("\n");
  for (guint i = 0; i < n; i++)
    {
      for (guint s = n_servers[i]; s > 0; s--)
        bench_server_free (servers[i][s - 1]);
      g_free (tokens[i]);
      g_array_unref (rates[i]);
    }
  return 0;
}
