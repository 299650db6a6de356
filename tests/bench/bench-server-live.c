/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench-server-util.h"

/*
 * Live fan-out: 200 consoles on /api/v1/live, and the phone system posting
 * 100 signed call events a second for 20 seconds. For every event and
 * every console: the time from handing the webhook to the HTTP client to
 * the console receiving the call event, both taken here from one
 * CLOCK_MONOTONIC (g_get_monotonic_time) on one machine. The consoles are
 * on one thread of this process (its own main context); the server is the real binary.
 * The figure includes the server's durable commit and this process's own
 * work, so it overstates the server's share.
 *
 * On SQLite; then, when a PostgreSQL server is named, on PostgreSQL with
 * one instance, and with two instances on one database: half the consoles
 * on each, the webhooks to the first, so that half the deliveries cross
 * from one instance to the other (NOTIFY) and are timed apart.
 *
 *   bench-server-live [CLIENTS RATE SECONDS]
 */

static guint n_clients = 200;
static guint rate = 100;
static guint seconds = 20;
#define MAX_EVENTS 100000
static guint n_events;

static gint64 sent_at[MAX_EVENTS];
static gint64 base_ms;

typedef struct {
  SoupWebsocketConnection *connection;
  guint received;
  GArray *latencies;                    /* the thread's, for its instance */
} Client;

typedef struct {
  GThread *thread;
  GMainContext *context;
  BenchServer *servers[2];              /* client i is on servers[i % n_servers] */
  guint n_servers;
  const char *token;
  Client *clients;
  guint n;
  guint connected;
  guint received;
  GArray *latencies[2];                 /* by instance */
  gint ready;
  gint stop;
} Worker;

/* The event's cli (07700 900nnn) says which event it is: the latest one
 * sent with that nnn. Cheaper than parsing JSON 40,000 times a second on
 * the same two cores as the server. */
static gint64
event_index (const char *data,
             gsize       length)
{
  static const char marker[] = "\"cli\":\"+447700900";
  const char *p = g_strstr_len (data, length, marker);
  guint residue;
  gint64 latest = -1;

  if (p == NULL || p + sizeof marker - 1 + 3 > data + length)
    return -1;
  p += sizeof marker - 1;
  residue = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
  for (gint64 i = residue; i < n_events; i += 1000)
    if (__atomic_load_n (&sent_at[i], __ATOMIC_ACQUIRE) != 0)
      latest = i;
  return latest;
}

static void
message_cb (SoupWebsocketConnection *connection,
            SoupWebsocketDataType    type,
            GBytes                  *message,
            Client                  *client)
{
  static const char ping[] = "{\"kind\":\"ping\"";
  static const char call[] = "{\"kind\":\"call\"";
  gint64 now = g_get_monotonic_time ();
  gsize length = 0;
  const char *data = g_bytes_get_data (message, &length);
  gint64 index;
  double ms;

  if (length > sizeof ping && memcmp (data, ping, sizeof ping - 1) == 0)
    {
      g_autofree char *text = g_strndup (data, length);
      g_autofree char *pong = g_strdup_printf ("{\"kind\":\"pong\"%s", text + sizeof ping - 1);

      soup_websocket_connection_send_text (connection, pong);
      return;
    }
  if (length < sizeof call || memcmp (data, call, sizeof call - 1) != 0)
    return;
  index = event_index (data, length);
  g_assert_cmpint (index, >=, 0);
  ms = (now - __atomic_load_n (&sent_at[index], __ATOMIC_ACQUIRE)) / 1000.0;
  g_array_append_val (client->latencies, ms);
  client->received++;
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  Client *client = data;
  Worker *worker = g_object_get_data (source, "worker");
  g_autoptr(GError) error = NULL;

  client->connection = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
  g_signal_connect (client->connection, "message", G_CALLBACK (message_cb), client);
  worker->connected++;
}

static gpointer
worker_main (gpointer data)
{
  Worker *worker = data;
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *header = g_strconcat ("Bearer ", worker->token, NULL);

  g_main_context_push_thread_default (worker->context);
  session = soup_session_new_with_options ("max-conns-per-host", worker->n + 10,
                                           "max-conns", worker->n + 20, NULL);
  g_object_set_data (G_OBJECT (session), "worker", worker);
  for (guint i = 0; i < worker->n; i++)
    {
      g_autofree char *uri = g_strconcat (worker->servers[i % worker->n_servers]->base,
                                          "/api/v1/live", NULL);
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);

      worker->clients[i].latencies = worker->latencies[i % worker->n_servers];
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
      soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                            connected_cb, &worker->clients[i]);
    }
  while (worker->connected < worker->n)
    g_main_context_iteration (worker->context, TRUE);
  g_atomic_int_set (&worker->ready, 1);

  while (!g_atomic_int_get (&worker->stop))
    g_main_context_iteration (worker->context, TRUE);

  for (guint i = 0; i < worker->n; i++)
    {
      worker->received += worker->clients[i].received;
      soup_websocket_connection_close (worker->clients[i].connection, SOUP_WEBSOCKET_CLOSE_NORMAL,
                                       NULL);
      g_object_unref (worker->clients[i].connection);
    }
  g_main_context_pop_thread_default (worker->context);
  return NULL;
}

static gboolean
wake (gpointer data)
{
  return G_SOURCE_REMOVE;
}

typedef struct {
  BenchServer *server;
  SoupSession *session;
  guint next;
  guint answered;
  gint64 start;
  GArray *replies;
} Sender;

static void
webhook_done (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  Sender *sender = data;
  g_autoptr(GBytes) reply = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  double ms;

  g_assert_nonnull (reply);
  /* Answered in order on a few connections: close enough to time the
   * server's own part, durable commit included. */
  ms = (g_get_monotonic_time () - sent_at[sender->answered]) / 1000.0;
  g_array_append_val (sender->replies, ms);
  sender->answered++;
}

static gboolean
send_cb (gpointer data)
{
  Sender *sender = data;
  /* Catch up if the loop was late: @rate a second on average. */
  guint due = MIN ((g_get_monotonic_time () - sender->start) * rate / G_USEC_PER_SEC + 1, n_events);

  while (sender->next < due)
    {
      guint i = sender->next++;
      g_autofree char *uri = g_strconcat (sender->server->base, "/api/v1/telephony/events", NULL);
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
      g_autoptr(GDateTime) epoch = g_date_time_new_from_unix_utc (0);
      g_autoptr(GDateTime) when = g_date_time_add (epoch, (base_ms + i) * 1000);
      g_autofree char *at_text = signpost_timestamp_format (when);
      g_autofree char *body = g_strdup_printf ("{\"event\":\"call.offered\",\"call_ref\":\"bench-%u\","
                                               "\"line\":\"%s\",\"cli\":\"+447700900%03u\",\"at\":\"%s\"}",
                                               i, BENCH_LINE, i % 1000, at_text);
      g_autofree char *timestamp = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);
      g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) BENCH_SECRET,
                                          strlen (BENCH_SECRET));
      g_autofree char *signature = NULL;
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      g_hmac_update (hmac, (const guchar *) timestamp, strlen (timestamp));
      g_hmac_update (hmac, (const guchar *) ".", 1);
      g_hmac_update (hmac, (const guchar *) body, strlen (body));
      signature = g_strconcat ("sha256=", g_hmac_get_string (hmac), NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Signpost-Timestamp", timestamp);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Signpost-Signature", signature);
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
      __atomic_store_n (&sent_at[i], g_get_monotonic_time (), __ATOMIC_RELEASE);
      soup_session_send_and_read_async (sender->session, msg, G_PRIORITY_DEFAULT, NULL,
                                        webhook_done, sender);
    }
  return sender->next < n_events ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static gint64
server_cpu_ms (BenchServer *server)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", g_subprocess_get_identifier (server->process));
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *close_paren;

  if (!g_file_get_contents (path, &stat, NULL, NULL) || (close_paren = strrchr (stat, ')')) == NULL)
    return 0;
  fields = g_strsplit (close_paren + 2, " ", 0);
  /* utime and stime: fields 14 and 15 of stat(5), 12 and 13 after the name */
  return (g_ascii_strtoll (fields[11], NULL, 10) + g_ascii_strtoll (fields[12], NULL, 10)) *
         1000 / sysconf (_SC_CLK_TCK);
}

typedef struct {
  double p50[2];
  double p99[2];
  double max[2];
  gboolean complete;
} FanOut;

/* One run: the consoles spread over @servers, the webhooks to the first. */
static FanOut
fan_out (BenchServer **servers,
         guint         n_servers,
         const char   *label)
{
  g_autoptr(SoupSession) phone = soup_session_new_with_options ("max-conns-per-host", 8, NULL);
  g_autoptr(GArray) replies = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *token = NULL;
  Worker worker = { 0 };
  Sender sender = { 0 };
  FanOut result = { { 0 } };
  gint64 deadline, expected, cpu_before[2] = { 0 }, cpu_after[2] = { 0 }, rss[2] = { 0 };
  double elapsed;

  memset (sent_at, 0, sizeof sent_at);
  expected = (gint64) n_clients * n_events;
  /* Signed in on the first; the token is good on both. */
  token = bench_login (phone, servers[0], "bench", BENCH_PASSWORD);
  base_ms = (g_get_real_time () / 1000 / 1000) * 1000;

  worker.n_servers = n_servers;
  for (guint s = 0; s < n_servers; s++)
    {
      worker.servers[s] = servers[s];
      worker.latencies[s] = g_array_sized_new (FALSE, FALSE, sizeof (double),
                                               n_clients / n_servers * n_events + n_events);
    }
  worker.token = token;
  worker.n = n_clients;
  worker.clients = g_new0 (Client, worker.n);
  worker.context = g_main_context_new ();
  worker.thread = g_thread_new ("consoles", worker_main, &worker);
  while (!g_atomic_int_get (&worker.ready))
    g_usleep (1000);
  for (guint s = 0; s < n_servers; s++)
    cpu_before[s] = server_cpu_ms (servers[s]);

  sender.server = servers[0];
  sender.session = phone;
  sender.replies = replies;
  sender.start = g_get_monotonic_time ();
  g_timeout_add (10, send_cb, &sender);
  deadline = sender.start + (seconds + 30) * G_USEC_PER_SEC;
  while (sender.answered < n_events && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  /* Let the last deliveries land (a second at most). */
  deadline = MIN (deadline, g_get_monotonic_time () + G_USEC_PER_SEC);
  while (g_get_monotonic_time () < deadline)
    {
      gint64 have = 0;

      for (guint s = 0; s < n_servers; s++)
        have += g_atomic_int_get ((gint *) &worker.latencies[s]->len);
      if (have >= expected)
        break;
      g_usleep (10000);
    }
  elapsed = (g_get_monotonic_time () - sender.start) / 1e6;
  for (guint s = 0; s < n_servers; s++)
    {
      cpu_after[s] = server_cpu_ms (servers[s]);
      rss[s] = bench_server_rss_kb (servers[s]);
    }

  g_atomic_int_set (&worker.stop, 1);
  g_main_context_invoke (worker.context, wake, NULL);
  g_thread_join (worker.thread);
  g_main_context_unref (worker.context);
  g_free (worker.clients);

  g_array_sort (replies, bench_compare_doubles);
  printf ("live fan-out (%s): %u clients, %u call events at %u/s over %.1f s; %u of %" G_GINT64_FORMAT
          " deliveries\n", label, n_clients, n_events, rate, elapsed, worker.received, expected);
  for (guint s = 0; s < n_servers; s++)
    {
      GArray *all = worker.latencies[s];

      g_array_sort (all, bench_compare_doubles);
      result.p50[s] = bench_percentile (all, 50);
      result.p99[s] = bench_percentile (all, 99);
      result.max[s] = bench_percentile (all, 100);
      printf ("live fan-out latency (%s%s, webhook sent -> client received): p50 %.2f ms, "
              "p90 %.2f ms, p99 %.2f ms, max %.2f ms (%u deliveries; target p99 < %s)\n",
              label,
              n_servers == 1 ? "" : s == 0 ? ", clients on the webhooks' instance"
                                           : ", clients on the other instance",
              result.p50[s], bench_percentile (all, 90), result.p99[s], result.max[s], all->len,
              n_servers == 1 ? "20 ms" : "25 ms");
      printf ("  server%s RSS %" G_GINT64_FORMAT " kB; CPU %.1f s over the run (%.0f %% of one core)\n",
              n_servers == 1 ? "" : s == 0 ? " 1" : " 2", rss[s],
              (cpu_after[s] - cpu_before[s]) / 1000.0,
              (cpu_after[s] - cpu_before[s]) / 10.0 / elapsed);
      g_array_unref (all);
    }
  printf ("webhook round trip (%s; signed, committed durably, fanned out): p50 %.2f ms, "
          "p99 %.2f ms\n", label, bench_percentile (replies, 50), bench_percentile (replies, 99));
  fflush (stdout);
  result.complete = worker.received == expected;
  return result;
}

int
main (int    argc,
      char **argv)
{
  BenchStore stores[2];
  guint n_stores;
  FanOut results[3];
  const char *labels[3] = { "SQLite", "PostgreSQL", "PostgreSQL, two instances" };
  guint n_runs = 0;
  gboolean complete = TRUE;

  if (argc == 4)
    {
      n_clients = atoi (argv[1]);
      rate = atoi (argv[2]);
      seconds = atoi (argv[3]);
    }
  n_events = MIN (rate * seconds, MAX_EVENTS);
  n_stores = bench_stores (stores);

  for (guint i = 0; i < n_stores; i++)
    {
      BenchServer *servers[2] = { NULL };

      bench_use_store (stores[i]);
      servers[0] = bench_server_new_basic ();
      results[n_runs] = fan_out (servers, 1, labels[n_runs]);
      complete &= results[n_runs++].complete;
      bench_server_free (servers[0]);
      if (stores[i] == BENCH_POSTGRESQL)
        {
          /* A database of their own, as for the others. */
          servers[0] = bench_server_new_basic ();
          servers[1] = bench_server_new_instance (servers[0]);
          results[n_runs] = fan_out (servers, 2, labels[n_runs]);
          complete &= results[n_runs++].complete;
          bench_server_free (servers[1]);
          bench_server_free (servers[0]);
        }
    }
  printf ("live fan-out p99 side by side:");
  for (guint r = 0; r < n_runs; r++)
    {
      if (r < 2)
        printf (" %s %.2f ms;", labels[r], results[r].p99[0]);
      else
        printf (" %s %.2f ms on the webhooks' instance, %.2f ms across;", labels[r],
                results[r].p99[0], results[r].p99[1]);
    }
  printf ("\n");
  return complete ? 0 : 1;
}
