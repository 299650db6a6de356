/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <libsoup/soup.h>

#include "bench-server-util.h"
#include "hub-console.h"

/*
 * The hub's front door: what nginx (TLS, the shipped site) costs, and how
 * quickly consoles come back when an instance dies. All on PostgreSQL, one
 * run, figures side by side:
 *
 *  - webhook → popup: a signed call.offered posted by the phone system, to
 *    the call event out of a console's sync engine with the caller's
 *    patients looked up in its copy (what the popup shows); p50/p99 of 200
 *    calls, one at a time, directly to one instance (HTTP) and through
 *    nginx to one and to two instances;
 *  - a Monday replayed by signpost-callgen: webhook events a second, the
 *    same three ways;
 *  - SIGKILL of the instance holding every console's live connection, ten
 *    times: the time until every one of 10 consoles is live again through
 *    nginx on the other instance (p50 and max over the kills).
 *
 * The bench process, the instances, PostgreSQL and nginx share the same
 * cores: figures are for comparing with each other, in one run.
 */

#define N_CALLS 200
#define N_KILL_CONSOLES 10
#define N_KILLS 10
#define REPLAY_DATE "2026-11-16"
#define LINE "+442079460001"
#define SECRET "demo-line-secret"

/* ---- webhook → popup --------------------------------------------------------- */

typedef struct {
  HubConsole *console;
  char *awaited_call_id;  /* NULL: the next call offered */
  char *event_call_id;
  gint64 event_us;
  guint matches;
} Popup;

static void
call_offered (SignpostCallHub   *hub,
              SignpostCallEvent *event,
              Popup             *popup)
{
  SignpostCache *cache = signpost_sync_engine_get_cache (popup->console->engine);
  g_autoptr(GPtrArray) patients = NULL;

  if (popup->event_us != 0 ||
      (popup->awaited_call_id != NULL &&
       g_strcmp0 (signpost_call_event_get_call_id (event), popup->awaited_call_id) != 0))
    return;
  /* What the popup does first: who is calling. */
  patients = signpost_cache_find_patients_by_phone (cache, signpost_call_event_get_cli (event), NULL);
  popup->matches = patients != NULL ? patients->len : 0;
  popup->event_us = g_get_monotonic_time ();
  g_free (popup->event_call_id);
  popup->event_call_id = g_strdup (signpost_call_event_get_call_id (event));
}

static SoupMessage *
signed_event (const char *base,
              const char *event,
              const char *call_ref,
              const char *cli)
{
  g_autofree char *url = g_strconcat (base, "/api/v1/telephony/events", NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *body = g_strdup_printf ("{\"event\":\"%s\",\"call_ref\":\"%s\",\"line\":\"%s\","
                                           "\"cli\":\"%s\",\"at\":\"%s\"}", event, call_ref, LINE, cli, at);
  g_autofree char *stamp = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);
  g_autofree char *message = g_strconcat (stamp, ".", body, NULL);
  g_autofree char *hex = g_compute_hmac_for_string (G_CHECKSUM_SHA256, (const guchar *) SECRET,
                                                    strlen (SECRET), message, -1);
  g_autofree char *signature = g_strconcat ("sha256=", hex, NULL);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  SoupMessage *msg = soup_message_new ("POST", url);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Signpost-Timestamp", stamp);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Signpost-Signature", signature);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  /* As a phone system (and signpost-callgen) sends them: on a connection
   * kept alive, the server applying a resend once. */
  soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
  return msg;
}

typedef struct {
  GBytes *body;
  guint status;
  gboolean done;
} Reply;

static void
sent (GObject      *source,
      GAsyncResult *result,
      gpointer      user_data)
{
  Reply *reply = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);

  reply->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  reply->status = soup_message_get_status (msg);
  reply->done = TRUE;
}

static gboolean
reply_done (gpointer data)
{
  return ((Reply *) data)->done;
}

/* Posts one event and runs the main loop until its answer: the console's
 * engine meanwhile receives whatever the server pushes. */
static char *
post_event (SoupSession *session,
            const char  *base,
            const char  *event,
            const char  *call_ref,
            const char  *cli)
{
  g_autoptr(SoupMessage) msg = signed_event (base, event, call_ref, cli);
  g_autoptr(JsonObject) object = NULL;
  Reply reply = { 0 };
  const char *data;
  gsize length;

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, sent, &reply);
  g_assert_true (hub_wait_until (reply_done, &reply, 60000));
  if (reply.status != 200 || reply.body == NULL)
    g_error ("the webhook answered %u", reply.status);
  data = g_bytes_get_data (reply.body, &length);
  object = signpost_json_parse_object (data, length, 0, NULL);
  g_bytes_unref (reply.body);
  return g_strdup (json_object_get_string_member (object, "call_id"));
}

static gboolean
event_arrived (gpointer data)
{
  return ((Popup *) data)->event_us != 0;
}

/* @console_url and @webhook_url: where the console signs in and where the
 * phone system posts. Returns p50 and p99 in ms, or FALSE when call events
 * did not reach the console. */
static gboolean
measure_popups (Hub        *hub,
                const char *console_url,
                const char *webhook_url,
                guint       round,
                double     *p50,
                double     *p99)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GTlsDatabase) trust = g_tls_file_database_new (hub_ca_file (hub), NULL);
  g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GPtrArray) patients = NULL;
  g_autoptr(GPtrArray) clis = g_ptr_array_new_with_free_func (g_free);
  Popup popup = { 0 };
  gulong handler;
  gboolean arrived = TRUE;

  soup_session_set_tls_database (session, trust);
  popup.console = hub_console_new_at (hub, console_url, "navigator");
  patients = signpost_cache_list_records (signpost_sync_engine_get_cache (popup.console->engine),
                                          SIGNPOST_RECORD_PATIENT, NULL);
  for (guint i = 0; i < patients->len && clis->len < N_CALLS; i++)
    {
      GListModel *phones = signpost_patient_get_phones (g_ptr_array_index (patients, i));

      if (phones != NULL && g_list_model_get_n_items (phones) > 0)
        {
          g_autoptr(SignpostPhone) phone = g_list_model_get_item (phones, 0);
          g_ptr_array_add (clis, g_strdup (signpost_phone_get_number (phone)));
        }
    }
  g_assert_cmpuint (clis->len, ==, N_CALLS);
  handler = g_signal_connect (signpost_sync_engine_get_call_hub (popup.console->engine), "call-offered",
                              G_CALLBACK (call_offered), &popup);

  for (guint i = 0; i < N_CALLS && arrived; i++)
    {
      g_autofree char *call_ref = g_strdup_printf ("bench-hub-%u-%u-%u", round, i, g_random_int ());
      g_autofree char *call_id = NULL;
      g_autofree char *ended = NULL;
      gint64 t0;
      double latency;

      g_clear_pointer (&popup.awaited_call_id, g_free);
      popup.event_us = 0;
      t0 = g_get_monotonic_time ();
      call_id = post_event (session, webhook_url, "call.offered", call_ref, g_ptr_array_index (clis, i));
      /* The event may come before the webhook's answer, or after it. */
      if (popup.event_us != 0 && g_strcmp0 (popup.event_call_id, call_id) != 0)
        popup.event_us = 0;
      popup.awaited_call_id = g_strdup (call_id);
      arrived = hub_wait_until (event_arrived, &popup, 5000);
      latency = (popup.event_us - t0) / 1000.0;
      if (arrived)
        g_array_append_val (ms, latency);
      ended = post_event (session, webhook_url, "call.abandoned", call_ref, g_ptr_array_index (clis, i));
    }
  g_signal_handler_disconnect (signpost_sync_engine_get_call_hub (popup.console->engine), handler);
  hub_console_free (popup.console);
  g_free (popup.awaited_call_id);
  g_free (popup.event_call_id);
  if (!arrived)
    return FALSE;
  g_array_sort (ms, bench_compare_doubles);
  *p50 = bench_percentile (ms, 50);
  *p99 = bench_percentile (ms, 99);
  return TRUE;
}

/* ---- a Monday replayed --------------------------------------------------------- */

static double
replay (Hub        *hub,
        const char *url,
        guint       seed)
{
  g_autoptr(GSubprocess) callgen = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *seed_text = g_strdup_printf ("%u", seed);
  g_autoptr(GRegex) regex = g_regex_new ("^  events/s +([0-9.]+)$", G_REGEX_MULTILINE, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *figure = NULL;

  callgen = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              g_getenv ("SIGNPOST_CALLGEN_BIN"), "--server", url, "--ca-file",
                              hub_ca_file (hub), "--replay", REPLAY_DATE, "--seed", seed_text,
                              "--navigators", "4", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (callgen, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  if (!g_regex_match (regex, out, 0, &match) || strstr (out, "events failed               0") == NULL)
    g_error ("the replay went wrong:\n%s", out);
  figure = g_match_info_fetch (match, 1);
  return g_ascii_strtod (figure, NULL);
}

/* ---- SIGKILL → live again --------------------------------------------------------- */

typedef struct {
  HubConsole **consoles;
  guint n;
  guint *drops;   /* each console's drops before the kill */
} Consoles;

static gboolean
all_live (gpointer data)
{
  Consoles *all = data;

  for (guint i = 0; i < all->n; i++)
    if (!all->consoles[i]->live)
      return FALSE;
  return TRUE;
}

/* Every console has dropped since the kill and is live again. */
static gboolean
all_back (gpointer data)
{
  Consoles *all = data;

  for (guint i = 0; i < all->n; i++)
    if (all->consoles[i]->drops == all->drops[i] || !all->consoles[i]->live)
      return FALSE;
  return TRUE;
}

static void
measure_kills (Hub    *hub,
               GArray *all_back_ms,
               GArray *each_back_ms)
{
  HubConsole *consoles[N_KILL_CONSOLES];
  guint drops[N_KILL_CONSOLES];
  Consoles all = { consoles, N_KILL_CONSOLES, drops };

  for (guint i = 0; i < N_KILL_CONSOLES; i++)
    consoles[i] = hub_console_new (hub, i % 2 ? "hubnav" : "navigator");

  /* Gather every console on the second instance: then each kill, of
   * the instance not killed last, cuts every one off. */
  hub_kill_instance (hub, 0);
  hub_run_for (2000);
  g_assert_true (hub_wait_until (all_live, &all, 60000));
  hub_start_instance (hub, 0);
  hub_run_for (3500);

  for (guint k = 1; k <= N_KILLS; k++)
    {
      guint victim = k % 2;
      gint64 t0;
      double last = 0;

      for (guint i = 0; i < N_KILL_CONSOLES; i++)
        drops[i] = consoles[i]->drops;
      t0 = g_get_monotonic_time ();
      hub_kill_instance (hub, victim);
      g_assert_true (hub_wait_until (all_back, &all, 60000));
      for (guint i = 0; i < N_KILL_CONSOLES; i++)
        {
          double ms = (consoles[i]->back_us - t0) / 1000.0;

          g_array_append_val (each_back_ms, ms);
          last = MAX (last, ms);
        }
      g_array_append_val (all_back_ms, last);
      hub_start_instance (hub, victim);
      /* Until nginx takes it back (a failed instance is left out for
       * 3 s): a machine lost at 8 am finds the others serving. */
      hub_run_for (3500);
    }
  for (guint i = 0; i < N_KILL_CONSOLES; i++)
    hub_console_free (consoles[i]);
}

/* ---- the run ----------------------------------------------------------------------- */

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = g_dir_make_tmp ("signpost-bench-hub-XXXXXX", NULL);
  double popup[3][2] = { { 0 } };
  gboolean popup_ok[3] = { FALSE };
  double events[3] = { 0 };
  g_autoptr(GArray) all_back = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) each_back = g_array_new (FALSE, FALSE, sizeof (double));
  Hub *hub;

  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  if (g_getenv ("PGHOST") == NULL && g_getenv ("SIGNPOST_TEST_PG") == NULL)
    {
      printf ("bench-hub: needs PostgreSQL (run under pg_virtualenv, as build-aux/run bench does)\n");
      return 77;
    }

  /* One instance: directly, and through nginx. */
  hub = hub_new (&(HubOptions) { .n_instances = 1, .postgresql = TRUE, .telephony_rate = 100000 });
  popup_ok[0] = measure_popups (hub, hub_instance_url (hub, 0), hub_instance_url (hub, 0), 0,
                                &popup[0][0], &popup[0][1]);
  popup_ok[1] = measure_popups (hub, hub_url (hub), hub_url (hub), 1, &popup[1][0], &popup[1][1]);
  events[0] = replay (hub, hub_instance_url (hub, 0), 7001);
  events[1] = replay (hub, hub_url (hub), 7002);
  hub_free (hub);

  /* Two instances behind nginx. */
  hub = hub_new (&(HubOptions) { .n_instances = 2, .postgresql = TRUE, .telephony_rate = 100000 });
  popup_ok[2] = measure_popups (hub, hub_url (hub), hub_url (hub), 2, &popup[2][0], &popup[2][1]);
  events[2] = replay (hub, hub_url (hub), 7003);
  measure_kills (hub, all_back, each_back);
  hub_free (hub);

  g_array_sort (all_back, bench_compare_doubles);
  g_array_sort (each_back, bench_compare_doubles);

  printf ("\nThe hub's front door (PostgreSQL; nginx with TLS, the shipped site)\n");
  printf ("%-44s %14s %14s %14s\n", "", "direct, 1", "nginx, 1", "nginx, 2");
  printf ("%-44s", "webhook -> popup p50 / p99 (ms)");
  for (guint i = 0; i < 3; i++)
    {
      if (popup_ok[i])
        printf (" %6.1f / %5.1f", popup[i][0], popup[i][1]);
      else
        printf (" %14s", "not delivered");
    }
  printf ("\n%-44s %14s", "  p50 ratio to direct", "1.00");
  for (guint i = 1; i < 3; i++)
    {
      if (popup_ok[0] && popup_ok[i])
        printf (" %14.2f", popup[i][0] / popup[0][0]);
      else
        printf (" %14s", "-");
    }
  printf ("\n%-44s %14.0f %14.0f %14.0f\n", "replayed Monday, webhook events/s", events[0], events[1], events[2]);
  printf ("%-44s %14s %14.2f %14.2f\n", "  ratio to direct", "1.00", events[1] / events[0], events[2] / events[0]);
  printf ("\nSIGKILL of the instance holding %u consoles' live connections (%u kills):\n",
          N_KILL_CONSOLES, all_back->len);
  printf ("  every console live again:  p50 %.0f ms, max %.0f ms\n",
          bench_percentile (all_back, 50), bench_percentile (all_back, 100));
  printf ("  each console live again:   p50 %.0f ms, p90 %.0f ms, max %.0f ms (%u reconnections)\n",
          bench_percentile (each_back, 50), bench_percentile (each_back, 90),
          bench_percentile (each_back, 100), each_back->len);
  return 0;
}
