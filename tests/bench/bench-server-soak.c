/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "bench-server-util.h"

/*
 * libsoup 3.2 leaks a little for every WebSocket a server accepts (a
 * reference on the GSocket of every stolen connection; see
 * signpost-soup-workarounds.c). Connect and disconnect 10,000 times and
 * watch the server's resident memory and open files.
 *
 *   bench-server-soak [ROUNDS]
 */

static guint ROUNDS = 10000;

typedef struct {
  SoupWebsocketConnection *connection;
  gboolean hello;
  gboolean closed;
} Round;

static void
message_cb (SoupWebsocketConnection *connection,
            SoupWebsocketDataType    type,
            GBytes                  *message,
            Round                   *round)
{
  round->hello = TRUE;
}

static void
closed_cb (SoupWebsocketConnection *connection,
           Round                   *round)
{
  round->closed = TRUE;
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  Round *round = data;
  g_autoptr(GError) error = NULL;

  round->connection = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
  g_signal_connect (round->connection, "message", G_CALLBACK (message_cb), round);
  g_signal_connect (round->connection, "closed", G_CALLBACK (closed_cb), round);
}

static guint
server_fds (BenchServer *server)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/fd", g_subprocess_get_identifier (server->process));
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(SoupSession) session = NULL;
  BenchServer *server;
  g_autofree char *token = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *header = NULL;
  gint64 rss_start, rss_warm = 0, rss_half = 0, start;

  if (argc == 2)
    ROUNDS = MAX (atoi (argv[1]), 1001);
  session = soup_session_new ();
  server = bench_server_new_basic ();
  token = bench_login (session, server, "bench", BENCH_PASSWORD);
  uri = g_strconcat (server->base, "/api/v1/live", NULL);
  header = g_strconcat ("Bearer ", token, NULL);
  rss_start = bench_server_rss_kb (server);
  start = g_get_monotonic_time ();

  for (guint i = 0; i < ROUNDS; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
      Round round = { 0 };

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
      soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                            connected_cb, &round);
      while (round.connection == NULL || !round.hello)
        g_main_context_iteration (NULL, TRUE);
      soup_websocket_connection_close (round.connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      while (!round.closed)
        g_main_context_iteration (NULL, TRUE);
      g_signal_handlers_disconnect_by_data (round.connection, &round);
      g_object_unref (round.connection);
      if (i + 1 == 1000)
        rss_warm = bench_server_rss_kb (server);
      if (i + 1 == ROUNDS / 2)
        rss_half = bench_server_rss_kb (server);
      if ((i + 1) % 2500 == 0)
        printf ("websocket soak: %u connections, server RSS %" G_GINT64_FORMAT " kB, %u open files\n",
                i + 1, bench_server_rss_kb (server), server_fds (server));
    }
  {
    gint64 rss_end = bench_server_rss_kb (server);

    printf ("websocket soak: %u connect/disconnect in %.1f s; server RSS %" G_GINT64_FORMAT
            " kB before, %" G_GINT64_FORMAT " kB after 1,000, %" G_GINT64_FORMAT " kB after %u, %"
            G_GINT64_FORMAT " kB after %u (%.0f bytes per connection over the second half)\n",
            ROUNDS, (g_get_monotonic_time () - start) / 1e6, rss_start, rss_warm, rss_half,
            ROUNDS / 2, rss_end, ROUNDS, (rss_end - rss_half) * 1024.0 / (ROUNDS - ROUNDS / 2));
  }
  bench_server_free (server);
  return 0;
}
