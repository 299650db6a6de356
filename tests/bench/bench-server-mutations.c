/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "bench-server-util.h"

/*
 * Triage records created through /mutations, 50 to a batch, each batch
 * acknowledged only once it is on disk (SQLite synchronous=FULL;
 * PostgreSQL's COMMIT, with fsync). One client sending batch after batch,
 * then four clients at once; on SQLite and, when a server is named, on
 * PostgreSQL, side by side, taking turns.
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

/* One console draining its outbox: @batches batches one after another;
 * their latencies go to @latencies. Returns the seconds taken. */
static double
sequential (SoupSession *session,
            BenchServer *server,
            const char  *token,
            guint        batches,
            GArray      *latencies)
{
  gint64 start = g_get_monotonic_time ();

  for (guint b = 0; b < batches; b++)
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
  return (g_get_monotonic_time () - start) / 1e6;
}

/* Four consoles at once, @batches between them. Returns the seconds. */
static double
concurrent (BenchServer *server,
            const char  *token,
            guint        batches)
{
  SoupSession *sessions[4];
  Concurrent c = { 0 };
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < 4; i++)
    sessions[i] = soup_session_new ();
  for (guint b = 0; b < batches; b++)
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
  for (guint i = 0; i < 4; i++)
    g_object_unref (sessions[i]);
  return (g_get_monotonic_time () - start) / 1e6;
}

/* The stores take turns, a round each at a time, so that whatever else
 * the machine is doing weighs on both alike. */
#define ROUNDS 6

int
main (int    argc,
      char **argv)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  BenchStore stores[2];
  guint n = bench_stores (stores);
  BenchServer *servers[2] = { NULL };
  char *tokens[2] = { NULL };
  GArray *latencies[2] = { NULL };
  double seq_s[2] = { 0 }, conc_s[2] = { 0 };
  double seq_rate[2] = { 0 }, conc_rate[2] = { 0 };

  for (guint i = 0; i < n; i++)
    {
      bench_use_store (stores[i]);
      servers[i] = bench_server_new_basic ();
      tokens[i] = bench_login (session, servers[i], "bench", BENCH_PASSWORD);
      latencies[i] = g_array_new (FALSE, FALSE, sizeof (double));
    }
  for (guint round = 0; round < ROUNDS; round++)
    for (guint k = 0; k < n; k++)
      {
        /* Who goes first alternates too. */
        guint i = (round + k) % n;

        seq_s[i] += sequential (session, servers[i], tokens[i], BATCHES / ROUNDS, latencies[i]);
      }
  for (guint round = 0; round < ROUNDS; round++)
    for (guint k = 0; k < n; k++)
      {
        guint i = (round + k) % n;

        conc_s[i] += concurrent (servers[i], tokens[i], BATCHES / ROUNDS);
      }
  for (guint i = 0; i < n; i++)
    {
      seq_rate[i] = BATCHES * PER_BATCH / seq_s[i];
      conc_rate[i] = BATCHES * PER_BATCH / conc_s[i];
      g_array_sort (latencies[i], bench_compare_doubles);
      printf ("mutations (%s): %u triage records in batches of %u, one client: %.2f s, "
              "%.0f records/s (batch p50 %.1f ms, p99 %.1f ms); four clients: %.2f s, "
              "%.0f records/s\n",
              bench_store_name (stores[i]), BATCHES * PER_BATCH, PER_BATCH, seq_s[i], seq_rate[i],
              bench_percentile (latencies[i], 50), bench_percentile (latencies[i], 99), conc_s[i],
              conc_rate[i]);
    }
  bench_print_ratio ("mutations, batches of 50, one client", "records/s", seq_rate, n);
  bench_print_ratio ("mutations, batches of 50, four clients", "records/s", conc_rate, n);
  for (guint i = 0; i < n; i++)
    {
      bench_server_free (servers[i]);
      g_free (tokens[i]);
      g_array_unref (latencies[i]);
    }
  return 0;
}
