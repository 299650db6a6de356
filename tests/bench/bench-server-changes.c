/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>

#include "bench-server-util.h"

/*
 * A hub navigator's first sync of the whole demo hub (two practices,
 * 16,000 patients, a week of diaries), paged at 5,000 changes, with the
 * client parsing every page as the console would.
 */

int
main (int    argc,
      char **argv)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  BenchServer *server = bench_server_new_demo ();
  g_autofree char *token = bench_login (session, server, "hubnav", "demo-password");
  g_autoptr(GArray) rates = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint run = 0; run < 3; run++)
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
      printf ("full sync as hubnav, run %u: %" G_GINT64_FORMAT " records in %u pages, %.1f MB, "
              "%.2f s: %.0f records/s, %.1f MB/s\n",
              run + 1, records, pages, bytes / 1e6, seconds, records / seconds,
              bytes / 1e6 / seconds);
      g_array_append_val (rates, (double) { records / seconds });
    }
  g_array_sort (rates, bench_compare_doubles);
  printf ("changes-sync: median %.0f records/s\n", g_array_index (rates, double, 1));
  bench_server_free (server);
  return 0;
}
