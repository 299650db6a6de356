/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "bench-server-util.h"
#include "signpost-navigation.h"

/*
 * Online requests against the real server on the demo hub, whose first
 * practice has 10,000 patients:
 *
 * 1. Form submissions a second, each matched against the practice's list
 *    (every one names a registered patient: by NHS number and date of
 *    birth, or by family name, date of birth and postcode), 8 in flight,
 *    against a baseline measured in the same run: navigation records
 *    created through /mutations, as a console does, 8 in flight.
 * 2. The time from submitting the form to the request being in a
 *    console's feed: a client on /api/v1/live that pulls /changes on each
 *    notice, as the console's sync engine does (p50, p99).
 *
 *   bench-server-requests [SUBMISSIONS SAMPLES]
 */

#define ODS "Y99901"
#define IN_FLIGHT 8

static guint n_submissions = 1000;
static guint n_samples = 200;

typedef struct {
  char *given, *family, *dob, *postcode, *nhs;
} Person;

typedef struct {
  BenchServer *server;
  SoupSession *session;
  char *cookie;
  char *token;
  GArray *people;                /* Person */
  guint next;
  guint done;
  guint total;
  guint failed;
  char *navigator;
  char *practice_id;
  gboolean mutations;            /* the baseline */
} Run;

static char *
match_one (const char *pattern,
           const char *text)
{
  g_autoptr(GRegex) regex = g_regex_new (pattern, 0, 0, NULL);
  g_autoptr(GMatchInfo) info = NULL;

  if (!g_regex_match (regex, text, 0, &info))
    return NULL;
  return g_match_info_fetch (info, 1);
}

static JsonObject *
parse (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object = signpost_json_parse_object (g_bytes_get_data (bytes, NULL),
                                                   g_bytes_get_size (bytes), G_MAXSIZE, &error);

  g_assert_no_error (error);
  return object;
}

static void
open_round_the_clock (Run *run)
{
  g_autofree char *manager = bench_login (run->session, run->server, "manager", "demo-password");
  g_autoptr(GBytes) me_bytes = NULL;
  g_autoptr(JsonObject) me = NULL;
  g_autoptr(GBytes) reply = NULL;
  JsonArray *practices;
  GString *hours = g_string_new (NULL);
  g_autofree char *body = NULL;
  g_autofree char *mutation_id = g_uuid_string_random ();
  static const char * const days[] = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"
  };
  gint64 version = 0;
  guint status;

  me_bytes = bench_request (run->session, run->server, "GET", "/api/v1/me", manager, NULL, &status);
  me = parse (me_bytes);
  practices = json_object_get_array_member (me, "practices");
  for (guint i = 0; i < json_array_get_length (practices); i++)
    {
      JsonObject *practice = json_array_get_object_element (practices, i);

      if (g_str_equal (json_object_get_string_member (practice, "ods_code"), ODS))
        {
          run->practice_id = g_strdup (json_object_get_string_member (practice, "id"));
          version = json_object_get_int_member (practice, "version");
        }
    }
  g_assert_nonnull (run->practice_id);
  for (guint i = 0; i < G_N_ELEMENTS (days); i++)
    g_string_append_printf (hours, "%s{\"day\":\"%s\",\"opens\":\"00:00\",\"closes\":\"24:00\"}",
                            i ? "," : "", days[i]);
  body = g_strdup_printf ("{\"mutations\": [{\"mutation_id\": \"%s\", \"type\": \"practice\","
                          " \"op\": \"update\", \"id\": \"%s\", \"base_version\": %" G_GINT64_FORMAT ","
                          " \"data\": {\"online_hours\": [%s], \"online_open_bank_holidays\": true}}]}",
                          mutation_id, run->practice_id, version, hours->str);
  g_string_free (hours, TRUE);
  reply = bench_request (run->session, run->server, "POST", "/api/v1/mutations", manager, body, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (strstr (g_bytes_get_data (reply, NULL), "\"applied\""));
}

/* The practice's patients, as a navigator's console gets them. */
static void
load_people (Run *run)
{
  gint64 since = 0;
  gboolean more = TRUE;

  run->people = g_array_new (FALSE, TRUE, sizeof (Person));
  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT "&limit=5000",
                                               since);
      guint status;
      g_autoptr(GBytes) bytes = bench_request (run->session, run->server, "GET", path,
                                               run->navigator, NULL, &status);
      g_autoptr(JsonObject) page = parse (bytes);
      JsonArray *changes = json_object_get_array_member (page, "changes");

      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *change = json_array_get_object_element (changes, i);
          JsonObject *data = json_object_get_object_member (change, "data");
          Person person = { 0 };

          if (!g_str_equal (json_object_get_string_member (change, "type"), "patient") ||
              g_strcmp0 (json_object_get_string_member (data, "practice_id"), run->practice_id) != 0 ||
              json_object_get_null_member (data, "postcode"))
            continue;
          person.given = g_strdup (json_object_get_string_member (data, "given_name"));
          person.family = g_strdup (json_object_get_string_member (data, "family_name"));
          person.dob = g_strdup (json_object_get_string_member (data, "date_of_birth"));
          person.postcode = g_strdup (json_object_get_string_member (data, "postcode"));
          person.nhs = json_object_get_null_member (data, "nhs_number")
                         ? NULL : g_strdup (json_object_get_string_member (data, "nhs_number"));
          g_array_append_val (run->people, person);
        }
      since = json_object_get_int_member (page, "last_seq");
      more = json_object_get_boolean_member (page, "more");
    }
}

static void
start_visit (Run *run)
{
  g_autofree char *uri = g_strconcat (run->server->base, "/p/" ODS "/request", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read (run->session, msg, NULL, &error);
  g_autofree char *page = NULL;
  const char *set_cookie;

  g_assert_no_error (error);
  page = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  set_cookie = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Set-Cookie");
  g_assert_nonnull (set_cookie);
  run->cookie = match_one ("^(signpost-form=[A-Za-z0-9_-]+);", set_cookie);
  run->token = match_one ("name=\"csrf\" value=\"([^\"]+)\"", page);
  g_assert_nonnull (run->cookie);
  g_assert_nonnull (run->token);
}

static void
append (GString    *body,
        const char *name,
        const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  g_string_append_printf (body, "%s%s=%s", body->len ? "&" : "", name, escaped);
}

/* A whole request for someone on the list, sent from the check page. */
static SoupMessage *
submission_new (Run   *run,
                guint  n)
{
  const Person *person = &g_array_index (run->people, Person, n % run->people->len);
  g_autofree char *uri = g_strconcat (run->server->base, "/p/" ODS "/request/check", NULL);
  g_autofree char *submission = g_strdup_printf ("%016x%016x", g_random_int (), n);
  g_autofree char *address = g_strdup_printf ("198.51.100.%u", n % 250 + 1);
  g_autoptr(GPtrArray) flags = signpost_navigation_red_flags_for (SIGNPOST_RED_FLAGS_ADULT);
  g_auto(GStrv) dob = g_strsplit (person->dob, "-", 3);
  GString *body = g_string_new (NULL);
  g_autoptr(GBytes) bytes = NULL;
  SoupMessage *msg = soup_message_new ("POST", uri);

  append (body, "csrf", run->token);
  append (body, "submission", submission);
  append (body, "age", "unsure");
  for (guint i = 0; i < flags->len; i++)
    {
      g_autofree char *field = g_strconcat ("rf_", ((const SignpostRedFlag *) flags->pdata[i])->key, NULL);
      append (body, field, "no");
    }
  {
    g_autoptr(GPtrArray) child = signpost_navigation_red_flags_for (SIGNPOST_RED_FLAGS_CHILD);

    for (guint i = 0; i < child->len; i++)
      {
        g_autofree char *field = g_strconcat ("rf_", ((const SignpostRedFlag *) child->pdata[i])->key, NULL);
        append (body, field, "no");
      }
  }
  append (body, "who", "self");
  append (body, "given_name", person->given);
  append (body, "family_name", person->family);
  append (body, "dob_day", dob[2]);
  append (body, "dob_month", dob[1]);
  append (body, "dob_year", dob[0]);
  append (body, "postcode", person->postcode);
  if (person->nhs != NULL && n % 2 == 0)
    append (body, "nhs_number", person->nhs);
  append (body, "kind", n % 3 == 0 ? "repeat_prescription" : "medical");
  append (body, "reason", "A cough for three weeks that keeps me awake at night, and I am getting "
                          "breathless walking up the stairs.");
  append (body, "duration", "3 weeks");
  append (body, "contact_method", "phone");
  append (body, "contact_number", "07700 900982");
  append (body, "contact_message", "yes");
  append (body, "go", "send");
  bytes = g_string_free_to_bytes (body);
  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Cookie", run->cookie);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Forwarded-For", address);
  return msg;
}

static SoupMessage *
mutation_new (Run   *run,
              guint  n)
{
  g_autofree char *uri = g_strconcat (run->server->base, "/api/v1/mutations", NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", run->navigator, NULL);
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *mutation_id = g_uuid_string_random ();
  g_autofree char *body = g_strdup_printf (
    "{\"mutations\": [{\"mutation_id\": \"%s\", \"type\": \"triage\", \"op\": \"create\", \"id\": \"%s\","
    " \"data\": {\"practice_id\": \"%s\", \"reason\": \"A cough for three weeks that keeps me awake at night\","
    " \"urgency\": \"routine\", \"status\": \"open\", \"contact_number\": \"+447700900982\"}}]}",
    mutation_id, id, run->practice_id);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  SoupMessage *msg = soup_message_new ("POST", uri);

  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  return msg;
}

static void send_next (Run *run);

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Run *run = data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  if (error != NULL || soup_message_get_status (msg) != 200 ||
      (!run->mutations && g_strstr_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                        "Request sent") == NULL))
    run->failed++;
  run->done++;
  g_object_unref (msg);
  send_next (run);
}

static void
send_next (Run *run)
{
  SoupMessage *msg;

  if (run->next >= run->total)
    return;
  msg = run->mutations ? mutation_new (run, run->next) : submission_new (run, run->next);
  run->next++;
  soup_session_send_and_read_async (run->session, msg, G_PRIORITY_DEFAULT, NULL, sent_cb, run);
}

/* @total requests, IN_FLIGHT at a time; returns requests a second. */
static double
throughput (Run      *run,
            gboolean  mutations,
            guint     total)
{
  gint64 start = g_get_monotonic_time ();

  run->mutations = mutations;
  run->next = run->done = run->failed = 0;
  run->total = total;
  for (guint i = 0; i < IN_FLIGHT; i++)
    send_next (run);
  while (run->done < run->total)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (run->failed, ==, 0);
  return total / ((g_get_monotonic_time () - start) / 1e6);
}

/* ---- submit → in a console's feed -------------------------------------------- */

typedef struct {
  gint64 notified_seq;
} Live;

static void
live_message_cb (SoupWebsocketConnection *connection,
                 SoupWebsocketDataType    type,
                 GBytes                  *message,
                 Live                    *live)
{
  g_autoptr(JsonObject) object = parse (message);
  const char *kind = json_object_get_string_member (object, "kind");

  if (g_str_equal (kind, "ping"))
    {
      g_autofree char *pong = g_strdup_printf ("{\"kind\":\"pong\",\"t\":%" G_GINT64_FORMAT "}",
                                               json_object_get_int_member (object, "t"));
      soup_websocket_connection_send_text (connection, pong);
    }
  else if (g_str_equal (kind, "changes") || g_str_equal (kind, "hello"))
    live->notified_seq = MAX (live->notified_seq, json_object_get_int_member (object, "last_seq"));
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  SoupWebsocketConnection **connection = data;
  g_autoptr(GError) error = NULL;

  *connection = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
}

static void
feed_latency (Run *run)
{
  g_autoptr(SoupSession) feed = soup_session_new ();
  g_autofree char *uri = g_strconcat (run->server->base, "/api/v1/live", NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", run->navigator, NULL);
  g_autoptr(SoupMessage) upgrade = soup_message_new ("GET", uri);
  g_autoptr(SoupWebsocketConnection) connection = NULL;
  g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
  Live live = { 0 };
  gint64 seen = 0;

  soup_message_headers_replace (soup_message_get_request_headers (upgrade), "Authorization", auth);
  soup_session_websocket_connect_async (feed, upgrade, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        connected_cb, &connection);
  while (connection == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_signal_connect (connection, "message", G_CALLBACK (live_message_cb), &live);
  while (live.notified_seq == 0)
    g_main_context_iteration (NULL, TRUE);
  seen = live.notified_seq;

  for (guint n = 0; n < n_samples; n++)
    {
      g_autoptr(SoupMessage) msg = submission_new (run, 100000 + n);
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) reply = NULL;
      g_autofree char *page = NULL;
      g_autofree char *reference = NULL;
      gint64 start = g_get_monotonic_time ();
      gboolean found = FALSE;

      reply = soup_session_send_and_read (run->session, msg, NULL, &error);
      g_assert_no_error (error);
      page = g_strndup (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
      reference = match_one ("class=\"sp-reference\">([A-Z]{3}-[0-9]{4})<", page);
      g_assert_nonnull (reference);
      while (!found)
        {
          g_autofree char *path = NULL;
          g_autoptr(GBytes) bytes = NULL;
          g_autoptr(JsonObject) changes = NULL;
          guint status;

          while (live.notified_seq <= seen)
            g_main_context_iteration (NULL, TRUE);
          path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT, seen);
          bytes = bench_request (feed, run->server, "GET", path, run->navigator, NULL, &status);
          changes = parse (bytes);
          seen = json_object_get_int_member (changes, "last_seq");
          found = g_strstr_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), reference) != NULL;
        }
      {
        double elapsed = (g_get_monotonic_time () - start) / 1000.0;
        g_array_append_val (ms, elapsed);
      }
    }
  soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_array_sort (ms, bench_compare_doubles);
  printf ("submit → in a console's feed (%u requests, one at a time): p50 %.1f ms, p99 %.1f ms, "
          "worst %.1f ms\n", n_samples, bench_percentile (ms, 50), bench_percentile (ms, 99),
          g_array_index (ms, double, ms->len - 1));
}

int
main (int   argc,
      char *argv[])
{
  const char * const extra[] = {
    "--form-client-pages", "0", "--form-client-requests", "0", "--form-practice-requests", "0",
    "--trusted-proxy", "127.0.0.1", NULL
  };
  Run run = { 0 };
  double baseline, submissions;

  if (argc > 2)
    {
      n_submissions = (guint) g_ascii_strtoull (argv[1], NULL, 10);
      n_samples = (guint) g_ascii_strtoull (argv[2], NULL, 10);
    }
  run.server = bench_server_new_demo_with (1.0, extra);
  run.session = soup_session_new_with_options ("max-conns-per-host", IN_FLIGHT + 2, NULL);
  run.navigator = bench_login (run.session, run.server, "navigator", "demo-password");
  open_round_the_clock (&run);
  load_people (&run);
  start_visit (&run);
  printf ("practice %s: %u patients with a postcode on its list\n", ODS, run.people->len);

  /* Warm up both paths, then measure them one after the other. */
  throughput (&run, TRUE, 50);
  throughput (&run, FALSE, 50);
  baseline = throughput (&run, TRUE, n_submissions / 2);
  submissions = throughput (&run, FALSE, n_submissions);
  printf ("baseline: navigation records created through /mutations, %u in flight: %.0f a second\n",
          IN_FLIGHT, baseline);
  printf ("online request form, matched on the list, %u in flight: %.0f submissions a second "
          "(%.2f × the baseline)\n", IN_FLIGHT, submissions, submissions / baseline);
  feed_latency (&run);

  for (guint i = 0; i < run.people->len; i++)
    {
      Person *p = &g_array_index (run.people, Person, i);
      g_free (p->given); g_free (p->family); g_free (p->dob); g_free (p->postcode); g_free (p->nhs);
    }
  g_array_unref (run.people);
  g_free (run.cookie);
  g_free (run.token);
  g_free (run.navigator);
  g_free (run.practice_id);
  g_object_unref (run.session);
  bench_server_free (run.server);
  return 0;
}
