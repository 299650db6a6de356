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
 * PostgreSQL with one instance and with two instances on one database
 * (batches and clients shared between them), side by side, taking turns.
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

/* What is measured: one server, or two instances on one database. */
typedef struct {
  const char *label;
  BenchServer *servers[2];
  guint n_servers;
  char *token;
  GArray *latencies;
  double seq_s;
  double conc_s;
} Config;

/* One console draining its outbox: @batches batches one after another
 * (to each instance in turn); their latencies go to @latencies. Returns
 * the seconds taken. */
static double
sequential (SoupSession *session,
            Config      *config,
            guint        batches)
{
  gint64 start = g_get_monotonic_time ();

  for (guint b = 0; b < batches; b++)
    {
      BenchServer *server = config->servers[b % config->n_servers];
      g_autofree char *body = batch (server->practice_id);
      g_autoptr(GBytes) reply = NULL;
      gint64 t0 = g_get_monotonic_time ();
      guint status = 0;
      double ms;

      reply = bench_request (session, server, "POST", "/api/v1/mutations", config->token, body,
                             &status);
      g_assert_cmpuint (status, ==, 200);
      g_assert_null (strstr (g_bytes_get_data (reply, NULL), "\"rejected\""));
      ms = (g_get_monotonic_time () - t0) / 1000.0;
      g_array_append_val (config->latencies, ms);
    }
  return (g_get_monotonic_time () - start) / 1e6;
}

/* Four consoles at once (spread over the instances), @batches between
 * them. Returns the seconds. */
static double
concurrent (Config *config,
            guint   batches)
{
  SoupSession *sessions[4];
  Concurrent c = { 0 };
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < 4; i++)
    sessions[i] = soup_session_new ();
  for (guint b = 0; b < batches; b++)
    {
      BenchServer *server = config->servers[(b % 4) % config->n_servers];
      g_autofree char *uri = g_strconcat (server->base, "/api/v1/mutations", NULL);
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
      g_autofree char *header = g_strconcat ("Bearer ", config->token, NULL);
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

static void
print_side_by_side (const char *what,
                    Config     *configs,
                    guint       n,
                    gboolean    four)
{
  double base = BATCHES * PER_BATCH / (four ? configs[0].conc_s : configs[0].seq_s);

  printf ("%s:", what);
  for (guint i = 0; i < n; i++)
    {
      double value = BATCHES * PER_BATCH / (four ? configs[i].conc_s : configs[i].seq_s);

      if (i == 0)
        printf (" %s %.0f records/s", configs[i].label, value);
      else
        printf ("; %s %.0f records/s (%.2f of SQLite)", configs[i].label, value, value / base);
    }
  printf ("\n");
}

/* The configurations take turns, a round each at a time, so that whatever
 * else the machine is doing weighs on all alike. */
#define ROUNDS 6

int
main (int    argc,
      char **argv)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  BenchStore stores[2];
  guint n_stores = bench_stores (stores);
  Config configs[3] = { { 0 } };
  guint n = 0;

  for (guint i = 0; i < n_stores; i++)
    {
      bench_use_store (stores[i]);
      configs[n].label = bench_store_name (stores[i]);
      configs[n].servers[0] = bench_server_new_basic ();
      configs[n].n_servers = 1;
      n++;
      if (stores[i] == BENCH_POSTGRESQL)
        {
          configs[n].label = "PostgreSQL, two instances";
          configs[n].servers[0] = bench_server_new_basic ();
          configs[n].servers[1] = bench_server_new_instance (configs[n].servers[0]);
          configs[n].n_servers = 2;
          n++;
        }
    }
  for (guint i = 0; i < n; i++)
    {
      configs[i].token = bench_login (session, configs[i].servers[0], "bench", BENCH_PASSWORD);
      configs[i].latencies = g_array_new (FALSE, FALSE, sizeof (double));
    }
  for (guint round = 0; round < ROUNDS; round++)
    for (guint k = 0; k < n; k++)
      {
        /* Who goes first rotates too. */
        Config *config = &configs[(round + k) % n];

        config->seq_s += sequential (session, config, BATCHES / ROUNDS);
      }
  for (guint round = 0; round < ROUNDS; round++)
    for (guint k = 0; k < n; k++)
      {
        Config *config = &configs[(round + k) % n];

        config->conc_s += concurrent (config, BATCHES / ROUNDS);
      }
  for (guint i = 0; i < n; i++)
    {
      Config *config = &configs[i];

      g_array_sort (config->latencies, bench_compare_doubles);
      printf ("mutations (%s): %u triage records in batches of %u, one client: %.2f s, "
              "%.0f records/s (batch p50 %.1f ms, p99 %.1f ms); four clients: %.2f s, "
              "%.0f records/s\n",
              config->label, BATCHES * PER_BATCH, PER_BATCH, config->seq_s,
              BATCHES * PER_BATCH / config->seq_s, bench_percentile (config->latencies, 50),
              bench_percentile (config->latencies, 99), config->conc_s,
              BATCHES * PER_BATCH / config->conc_s);
    }
  print_side_by_side ("mutations, batches of 50, one client", configs, n, FALSE);
  print_side_by_side ("mutations, batches of 50, four clients", configs, n, TRUE);
  for (guint i = 0; i < n; i++)
    {
      for (guint s = configs[i].n_servers; s > 0; s--)
        bench_server_free (configs[i].servers[s - 1]);
      g_free (configs[i].token);
      g_array_unref (configs[i].latencies);
    }
  return 0;
}
