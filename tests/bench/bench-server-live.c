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
 *   bench-server-live [CLIENTS RATE SECONDS]
 */

static guint n_clients = 200;
static guint rate = 100;
static guint seconds = 20;
#define MAX_EVENTS 100000
#define N_THREADS 1
static guint n_events;

static gint64 sent_at[MAX_EVENTS];
static gint64 base_ms;

typedef struct {
  SoupWebsocketConnection *connection;
  guint received;
  GArray *latencies;                    /* the thread's */
} Client;

typedef struct {
  GThread *thread;
  GMainContext *context;
  BenchServer *server;
  const char *token;
  Client *clients;
  guint n;
  guint connected;
  guint received;
  GArray *latencies;
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
  g_autofree char *uri = g_strconcat (worker->server->base, "/api/v1/live", NULL);
  g_autofree char *header = g_strconcat ("Bearer ", worker->token, NULL);

  g_main_context_push_thread_default (worker->context);
  session = soup_session_new_with_options ("max-conns-per-host", worker->n + 10,
                                           "max-conns", worker->n + 20, NULL);
  g_object_set_data (G_OBJECT (session), "worker", worker);
  for (guint i = 0; i < worker->n; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);

      worker->clients[i].latencies = worker->latencies;
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

int
main (int    argc,
      char **argv)
{
  g_autoptr(SoupSession) phone = soup_session_new_with_options ("max-conns-per-host", 8, NULL);
  g_autoptr(GArray) all = NULL;
  g_autoptr(GArray) replies = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *token = NULL;
  BenchServer *server;
  Worker workers[N_THREADS] = { { 0 } };
  Sender sender = { 0 };
  gint64 rss_before, rss_after, deadline, cpu_before, cpu_after, expected;
  guint total = 0;
  double elapsed;

  if (argc == 4)
    {
      n_clients = atoi (argv[1]);
      rate = atoi (argv[2]);
      seconds = atoi (argv[3]);
    }
  n_events = MIN (rate * seconds, MAX_EVENTS);
  expected = (gint64) n_clients * n_events;
  server = bench_server_new_basic ();
  token = bench_login (phone, server, "bench", BENCH_PASSWORD);
  base_ms = (g_get_real_time () / 1000 / 1000) * 1000;

  for (guint t = 0; t < N_THREADS; t++)
    {
      Worker *worker = &workers[t];

      worker->server = server;
      worker->token = token;
      worker->n = n_clients / N_THREADS + (t < n_clients % N_THREADS);
      worker->clients = g_new0 (Client, worker->n);
      worker->latencies = g_array_sized_new (FALSE, FALSE, sizeof (double), worker->n * n_events);
      worker->context = g_main_context_new ();
      worker->thread = g_thread_new ("consoles", worker_main, worker);
    }
  for (guint t = 0; t < N_THREADS; t++)
    while (!g_atomic_int_get (&workers[t].ready))
      g_usleep (1000);
  rss_before = bench_server_rss_kb (server);
  cpu_before = server_cpu_ms (server);

  sender.server = server;
  sender.session = phone;
  sender.replies = replies;
  sender.start = g_get_monotonic_time ();
  g_timeout_add (10, send_cb, &sender);
  deadline = sender.start + (seconds + 30) * G_USEC_PER_SEC;
  while (sender.answered < n_events && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  /* Let the last deliveries land. */
  while (g_get_monotonic_time () < MIN (deadline, g_get_monotonic_time () + G_USEC_PER_SEC))
    {
      guint have = 0;

      for (guint t = 0; t < N_THREADS; t++)
        have += g_atomic_int_get ((gint *) &workers[t].latencies->len);
      if (have >= expected)
        break;
      g_usleep (10000);
    }
  elapsed = (g_get_monotonic_time () - sender.start) / 1e6;
  rss_after = bench_server_rss_kb (server);
  cpu_after = server_cpu_ms (server);

  all = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint t = 0; t < N_THREADS; t++)
    {
      g_atomic_int_set (&workers[t].stop, 1);
      g_main_context_invoke (workers[t].context, wake, NULL);
      g_thread_join (workers[t].thread);
      g_array_append_vals (all, workers[t].latencies->data, workers[t].latencies->len);
      total += workers[t].received;
      g_array_unref (workers[t].latencies);
      g_main_context_unref (workers[t].context);
      g_free (workers[t].clients);
    }
  g_array_sort (all, bench_compare_doubles);
  g_array_sort (replies, bench_compare_doubles);
  printf ("live fan-out: %u clients, %u call events at %u/s over %.1f s; %u of %" G_GINT64_FORMAT
          " deliveries\n", n_clients, n_events, rate, elapsed, total, expected);
  printf ("live fan-out latency (webhook sent -> client received): p50 %.2f ms, p90 %.2f ms, "
          "p99 %.2f ms, max %.2f ms (target p99 < 20 ms)\n",
          bench_percentile (all, 50), bench_percentile (all, 90), bench_percentile (all, 99),
          bench_percentile (all, 100));
  printf ("webhook round trip (signed, committed with synchronous=FULL, fanned out): p50 %.2f ms, "
          "p99 %.2f ms\n", bench_percentile (replies, 50), bench_percentile (replies, 99));
  printf ("server RSS %" G_GINT64_FORMAT " kB with clients connected, %" G_GINT64_FORMAT " kB after; "
          "server CPU %.1f s over the run (%.0f %% of one core)\n",
          rss_before, rss_after, (cpu_after - cpu_before) / 1000.0,
          (cpu_after - cpu_before) / 10.0 / elapsed);
  bench_server_free (server);
  return total == expected ? 0 : 1;
}
