/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "bench-server-util.h"

/*
 * Triage records created through /mutations, 50 to a batch, each batch
 * acknowledged only once it is on disk (synchronous=FULL). One client
 * sending batch after batch, then four clients at once.
 */

#define PER_BATCH 50
#define BATCHES 60

static char *
batch (const char *practice_id)
{
  g_autoptr(GString) body = g_string_new ("{\"mutations\":[");

  for (guint i = 0; i < PER_BATCH; i++)
    {
      g_autofree char *mutation_id = g_uuid_string_random ();
      g_autofree char *id = g_uuid_string_random ();

      g_string_append_printf (body, "%s{\"mutation_id\":\"%s\",\"type\":\"triage\",\"op\":\"create\","
                              "\"id\":\"%s\",\"data\":{\"practice_id\":\"%s\","
                              "\"reason\":\"Sore throat for five days, no fever, eating and drinking\","
                              "\"urgency\":\"routine\",\"status\":\"open\",\"route\":{\"kind\":\"signpost\","
                              "\"signpost\":\"pharmacy_first\"},\"contact_method\":\"phone\","
                              "\"contact_number\":\"+447700900123\"}}",
                              i ? "," : "", mutation_id, id, practice_id);
    }
  g_string_append (body, "]}");
  return g_string_free (g_steal_pointer (&body), FALSE);
}

typedef struct {
  guint pending;
  guint applied;
} Concurrent;

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Concurrent *c = data;
  g_autoptr(GBytes) reply = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  g_assert_nonnull (reply);
  c->applied += PER_BATCH;
  c->pending--;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  BenchServer *server = bench_server_new_basic ();
  g_autofree char *token = bench_login (session, server, "bench", BENCH_PASSWORD);
  g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (double));
  gint64 start;
  double seconds;

  /* Sequential: one console draining its outbox. */
  start = g_get_monotonic_time ();
  for (guint b = 0; b < BATCHES; b++)
    {
      g_autofree char *body = batch (server->practice_id);
      g_autoptr(GBytes) reply = NULL;
      gint64 t0 = g_get_monotonic_time ();
      guint status = 0;
      double ms;

      reply = bench_request (session, server, "POST", "/api/v1/mutations", token, body, &status);
      g_assert_cmpuint (status, ==, 200);
      g_assert_null (strstr (g_bytes_get_data (reply, NULL), "\"rejected\""));
      ms = (g_get_monotonic_time () - t0) / 1000.0;
      g_array_append_val (latencies, ms);
    }
  seconds = (g_get_monotonic_time () - start) / 1e6;
  g_array_sort (latencies, bench_compare_doubles);
  printf ("mutations: %u triage records in batches of %u, one client: %.2f s, %.0f records/s "
          "(batch p50 %.1f ms, p99 %.1f ms)\n",
          BATCHES * PER_BATCH, PER_BATCH, seconds, BATCHES * PER_BATCH / seconds,
          bench_percentile (latencies, 50), bench_percentile (latencies, 99));

  /* Four consoles at once. */
  {
    SoupSession *sessions[4];
    Concurrent c = { 0 };

    start = g_get_monotonic_time ();
    for (guint i = 0; i < 4; i++)
      sessions[i] = soup_session_new ();
    for (guint b = 0; b < BATCHES; b++)
      {
        g_autofree char *uri = g_strconcat (server->base, "/api/v1/mutations", NULL);
        g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
        g_autofree char *header = g_strconcat ("Bearer ", token, NULL);
        g_autofree char *body = batch (server->practice_id);
        g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

        soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
        soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
        c.pending++;
        soup_session_send_and_read_async (sessions[b % 4], msg, G_PRIORITY_DEFAULT, NULL, done_cb, &c);
      }
    while (c.pending > 0)
      g_main_context_iteration (NULL, TRUE);
    seconds = (g_get_monotonic_time () - start) / 1e6;
    printf ("mutations: %u triage records in batches of %u, four clients: %.2f s, %.0f records/s\n",
            c.applied, PER_BATCH, seconds, c.applied / seconds);
    for (guint i = 0; i < 4; i++)
      g_object_unref (sessions[i]);
  }
  bench_server_free (server);
  return 0;
}
