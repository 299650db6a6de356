/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <string.h>
#include <libsoup/soup.h>

#include "signpost-core.h"
#include "signpost-callgen-runner.h"
#include "signpost-caller-pool.h"
#include "signpost-traffic-model.h"
#include "signpost-webhook-signature.h"

/*
 * The runner against a small fake of the server's API on 127.0.0.1: it
 * checks every signature, holds each call's events to the order a phone
 * system would send them, can be slow, refuse with 429 or have someone
 * else answer first, and records everything so the tests can compare it
 * with the traffic model's own plan.
 */

#define PRACTICE_ID "0f0e0d0c-0b0a-4090-8070-605040302010"
#define USER_ID "11111111-2222-4333-8444-555555555555"
#define OTHER_USER_ID "99999999-8888-4777-8666-555555555555"
#define LINE "+442079460000"
#define SECRET "demo-line-secret"

typedef struct {
  char *call_ref;
  char *call_id;
  GPtrArray *events;      /* "call.offered", …, "answer", "end" */
  GPtrArray *bodies;      /* webhook bodies as received */
  gboolean taken;         /* answered by OTHER_USER_ID */
} FakeCall;

typedef struct {
  SoupServer *server;
  char *url;
  guint n_patients;
  guint delay_ms;
  guint refuse_429;        /* refuse this many webhook posts first */
  guint unavailable;       /* answer this many logins, then reads, 503 first */
  guint unavailable_logins;
  guint unavailable_reads;
  guint conflict_every;    /* someone else answers every Nth call */
  gboolean only_navigator; /* hubnav cannot log in */
  guint in_flight;
  guint max_in_flight;
  guint webhook_posts;
  guint bad_signatures;
  guint order_errors;
  guint mutations;
  GHashTable *calls;       /* call_ref → FakeCall */
  GHashTable *ids;         /* call_id → FakeCall */
  GPtrArray *order;        /* FakeCall, in order of offer */
  guint changes_served;
} Fake;

static void
fake_call_free (gpointer data)
{
  FakeCall *call = data;

  g_free (call->call_ref);
  g_free (call->call_id);
  g_ptr_array_unref (call->events);
  g_ptr_array_unref (call->bodies);
  g_free (call);
}

static void
respond (SoupServerMessage *msg,
         guint              status,
         const char        *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json, strlen (json));
}

static char *
patients_json (Fake *fake)
{
  GString *out = g_string_new ("[");

  g_string_append_printf (out,
                          "{\"seq\":1,\"type\":\"practice\",\"id\":\"%s\",\"op\":\"create\",\"version\":1,"
                          "\"data\":{\"id\":\"%s\",\"practice_id\":\"%s\",\"version\":1,"
                          "\"updated_at\":\"2026-11-01T00:00:00Z\",\"seq\":1,\"ods_code\":\"Y01234\","
                          "\"name\":\"Drama Street Surgery\",\"lines\":[\"%s\"],\"time_zone\":\"Europe/London\"}}",
                          PRACTICE_ID, PRACTICE_ID, PRACTICE_ID, LINE);
  for (guint i = 0; i < fake->n_patients; i++)
    {
      g_autofree char *phones = NULL;

      /* 800 with a mobile, 600 sharing 300 household landlines */
      if (i < 800)
        phones = g_strdup_printf ("[{\"number\":\"+447700900%03u\",\"kind\":\"mobile\"}]", i);
      else if (i < 1400)
        phones = g_strdup_printf ("[{\"number\":\"+441632960%03u\",\"kind\":\"home\"}]", (i - 800) / 2);
      else
        phones = g_strdup ("[]");
      g_string_append_printf (out,
                              ",{\"seq\":%u,\"type\":\"patient\",\"id\":\"00000000-0000-4000-8000-%012u\","
                              "\"op\":\"create\",\"version\":1,\"data\":{\"id\":\"00000000-0000-4000-8000-%012u\","
                              "\"practice_id\":\"%s\",\"version\":1,\"updated_at\":\"2026-11-01T00:00:00Z\","
                              "\"seq\":%u,\"given_name\":\"Test\",\"family_name\":\"Patient\","
                              "\"date_of_birth\":\"1970-01-01\",\"sex\":\"unknown\",\"phones\":%s}}",
                              i + 2, i, i, PRACTICE_ID, i + 2, phones);
    }
  g_string_append (out, "]");
  return g_string_free (out, FALSE);
}

/* The same callers the fake serves, for the model the tests plan with. */
static SignpostCallerPool *
pool_like_fake (guint n_patients)
{
  SignpostCallerPool *pool = signpost_caller_pool_new ();

  signpost_caller_pool_add_patients (pool, PRACTICE_ID, n_patients);
  for (guint i = 0; i < MIN (n_patients, 800); i++)
    {
      g_autofree char *number = g_strdup_printf ("+447700900%03u", i);

      signpost_caller_pool_add_number (pool, PRACTICE_ID, number, SIGNPOST_PHONE_KIND_MOBILE);
    }
  for (guint i = 800; i < MIN (n_patients, 1400); i++)
    {
      g_autofree char *number = g_strdup_printf ("+441632960%03u", (i - 800) / 2);

      signpost_caller_pool_add_number (pool, PRACTICE_ID, number, SIGNPOST_PHONE_KIND_HOME);
    }
  return pool;
}

static gboolean
allowed_after (FakeCall   *call,
               const char *event)
{
  const char *last = call->events->len > 0 ? g_ptr_array_index (call->events, call->events->len - 1) : NULL;
  gboolean answered = FALSE;

  for (guint i = 0; i < call->events->len; i++)
    answered |= g_str_equal (g_ptr_array_index (call->events, i), "call.answered") ||
                g_str_equal (g_ptr_array_index (call->events, i), "answer");

  if (g_str_equal (event, "call.offered"))
    return last == NULL;
  if (last == NULL || g_str_equal (last, "call.abandoned") || g_str_equal (last, "call.ended") ||
      g_str_equal (last, "end"))
    return FALSE;
  if (g_str_equal (event, "call.ended") || g_str_equal (event, "end"))
    return answered;
  if (g_str_equal (event, "call.answered") || g_str_equal (event, "answer"))
    return !answered;
  /* abandoned, callback_requested: only while waiting */
  return !answered && !call->taken;
}

static void
handle_webhook (Fake              *fake,
                SoupServerMessage *msg,
                GBytes            *body)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *stamp = soup_message_headers_get_one (headers, "X-Signpost-Timestamp");
  const char *signature = soup_message_headers_get_one (headers, "X-Signpost-Signature");
  gsize size;
  const char *data = g_bytes_get_data (body, &size);
  g_autofree char *message = NULL;
  g_autofree char *hex = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(JsonObject) event = NULL;
  const char *name, *call_ref;
  FakeCall *call;
  gint64 when;

  fake->webhook_posts++;
  if (fake->refuse_429 > 0)
    {
      fake->refuse_429--;
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "0");
      respond (msg, 429, "{\"status\":429,\"title\":\"Rate limited\"}");
      return;
    }

  message = g_strdup_printf ("%s.%.*s", stamp != NULL ? stamp : "", (int) size, data);
  hex = g_compute_hmac_for_string (G_CHECKSUM_SHA256, (const guchar *) SECRET, strlen (SECRET), message, -1);
  expected = g_strconcat ("sha256=", hex, NULL);
  when = stamp != NULL ? g_ascii_strtoll (stamp, NULL, 10) : 0;
  if (g_strcmp0 (signature, expected) != 0 || ABS (when - g_get_real_time () / G_USEC_PER_SEC) > 300)
    {
      fake->bad_signatures++;
      respond (msg, 401, "{\"status\":401,\"title\":\"Bad signature\"}");
      return;
    }

  event = signpost_json_parse_object (data, size, 65536, NULL);
  g_assert_nonnull (event);
  name = json_object_get_string_member (event, "event");
  call_ref = json_object_get_string_member (event, "call_ref");
  g_assert_cmpstr (json_object_get_string_member (event, "line"), ==, LINE);

  call = g_hash_table_lookup (fake->calls, call_ref);
  if (call != NULL && call->events->len > 0 &&
      g_str_equal (g_ptr_array_index (call->events, call->events->len - 1), name))
    {
      respond (msg, 200, "{\"status\":\"duplicate\"}");
      return;
    }
  if (call == NULL)
    {
      call = g_new0 (FakeCall, 1);
      call->call_ref = g_strdup (call_ref);
      call->call_id = g_strdup_printf ("aaaaaaaa-0000-4000-8000-%012u", g_hash_table_size (fake->calls) + 1);
      call->events = g_ptr_array_new_with_free_func (g_free);
      call->bodies = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (fake->calls, call->call_ref, call);
      g_hash_table_insert (fake->ids, call->call_id, call);
      g_ptr_array_add (fake->order, call);
    }
  if (!allowed_after (call, name))
    {
      g_test_message ("%s after %s for %s", name,
                      call->events->len > 0 ? (char *) g_ptr_array_index (call->events, call->events->len - 1) : "nothing",
                      call_ref);
      fake->order_errors++;
    }
  g_ptr_array_add (call->events, g_strdup (name));
  g_ptr_array_add (call->bodies, g_strndup (data, size));

  {
    g_autofree char *reply = g_strdup_printf ("{\"status\":\"accepted\",\"call_id\":\"%s\"}", call->call_id);

    respond (msg, 200, reply);
  }
}

static void
handle_mutations (Fake              *fake,
                  SoupServerMessage *msg,
                  GBytes            *body)
{
  gsize size;
  const char *data = g_bytes_get_data (body, &size);
  g_autoptr(JsonObject) request = signpost_json_parse_object (data, size, 65536, NULL);
  JsonArray *list = json_object_get_array_member (request, "mutations");
  JsonObject *mutation = json_array_get_object_element (list, 0);
  const char *op = json_object_get_string_member (mutation, "op");
  const char *id = json_object_get_string_member (mutation, "id");
  const char *mutation_id = json_object_get_string_member (mutation, "mutation_id");
  FakeCall *call = g_hash_table_lookup (fake->ids, id);
  g_autofree char *reply = NULL;
  const char *status = "applied";

  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (mutation, "type"), ==, "call");
  g_assert_true (g_uuid_string_is_valid (mutation_id));
  g_assert_nonnull (call);
  fake->mutations++;

  if (g_str_equal (op, "answer") && fake->conflict_every > 0 &&
      g_ptr_array_find (fake->order, call, NULL) &&
      g_hash_table_size (fake->ids) % fake->conflict_every == 0 && !call->taken &&
      call->events->len == 1)
    {
      call->taken = TRUE;
      status = "conflict";
    }
  else
    {
      if (!allowed_after (call, op))
        fake->order_errors++;
      g_ptr_array_add (call->events, g_strdup (op));
    }

  reply = g_strdup_printf ("{\"results\":[{\"mutation_id\":\"%s\",\"status\":\"%s\",\"id\":\"%s\","
                           "\"version\":2,\"seq\":1,\"record\":null,\"problem\":null}]}",
                           mutation_id, status, id);
  respond (msg, 200, reply);
}

typedef struct {
  Fake *fake;
  SoupServerMessage *msg;
} Delayed;

static gboolean
unpause_cb (gpointer user_data)
{
  Delayed *d = user_data;

  d->fake->in_flight--;
  soup_server_message_unpause (d->msg);
  g_object_unref (d->msg);
  g_free (d);
  return G_SOURCE_REMOVE;
}

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Fake *fake = user_data;
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  const char *method = soup_server_message_get_method (msg);

  fake->in_flight++;
  fake->max_in_flight = MAX (fake->max_in_flight, fake->in_flight);

  /* As nginx answers while every instance behind it is restarting. */
  if ((g_str_equal (path, "/api/v1/login") && fake->unavailable_logins < fake->unavailable &&
       ++fake->unavailable_logins) ||
      (g_str_equal (path, "/api/v1/changes") && fake->unavailable_reads < fake->unavailable &&
       ++fake->unavailable_reads))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "0");
      soup_server_message_set_status (msg, 503, NULL);
      soup_server_message_set_response (msg, "application/problem+json", SOUP_MEMORY_STATIC,
                                        "{\"status\":503}", 14);
    }
  else if (g_str_equal (path, "/api/v1/login") && g_str_equal (method, "POST"))
    {
      gsize size;
      const char *data = g_bytes_get_data (body, &size);
      g_autoptr(JsonObject) login = signpost_json_parse_object (data, size, 65536, NULL);
      const char *user = json_object_get_string_member (login, "username");

      if (g_str_equal (json_object_get_string_member (login, "password"), "demo-password") &&
          (g_str_equal (user, "navigator") || (g_str_equal (user, "hubnav") && !fake->only_navigator)))
        respond (msg, 200, "{\"token\":\"fake-token\",\"expires_at\":\"2099-01-01T00:00:00Z\","
                           "\"user\":{\"id\":\"" USER_ID "\"},\"role\":\"navigator\",\"practices\":[]}");
      else
        respond (msg, 401, "{\"status\":401,\"title\":\"Unauthorized\"}");
    }
  else if (g_str_equal (path, "/api/v1/changes"))
    {
      const char *since = query != NULL ? g_hash_table_lookup (query, "since") : NULL;
      const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                       "Authorization");

      g_assert_cmpstr (auth, ==, "Bearer fake-token");
      if (g_strcmp0 (since, "0") == 0)
        {
          g_autofree char *changes = patients_json (fake);
          g_autofree char *reply = g_strdup_printf ("{\"changes\":%s,\"last_seq\":%u,\"more\":false}",
                                                    changes, fake->n_patients + 1);

          fake->changes_served++;
          respond (msg, 200, reply);
        }
      else
        {
          /* the realtime poll: show the calls someone else answered */
          GString *changes = g_string_new ("[");

          for (guint i = 0; i < fake->order->len; i++)
            {
              FakeCall *call = g_ptr_array_index (fake->order, i);

              if (!call->taken)
                continue;
              g_string_append_printf (changes, "%s{\"seq\":%u,\"type\":\"call\",\"id\":\"%s\",\"op\":\"update\","
                                      "\"version\":2,\"data\":{\"call_ref\":\"%s\",\"answered_by\":\"%s\"}}",
                                      changes->len > 1 ? "," : "", fake->n_patients + 2 + i, call->call_id,
                                      call->call_ref, OTHER_USER_ID);
            }
          g_string_append (changes, "]");
          {
            g_autofree char *reply = g_strdup_printf ("{\"changes\":%s,\"last_seq\":%u,\"more\":false}",
                                                      changes->str, fake->n_patients + 1 + fake->order->len);

            respond (msg, 200, reply);
          }
          g_string_free (changes, TRUE);
        }
    }
  else if (g_str_equal (path, "/api/v1/telephony/events") && g_str_equal (method, "POST"))
    handle_webhook (fake, msg, body);
  else if (g_str_equal (path, "/api/v1/mutations") && g_str_equal (method, "POST"))
    handle_mutations (fake, msg, body);
  else
    respond (msg, 404, "{\"status\":404}");

  if (fake->delay_ms > 0)
    {
      Delayed *d = g_new0 (Delayed, 1);

      d->fake = fake;
      d->msg = g_object_ref (msg);
      soup_server_message_pause (msg);
      g_timeout_add (fake->delay_ms, unpause_cb, d);
    }
  else
    fake->in_flight--;
}

static void
fake_set_up (Fake          *fake,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  fake->n_patients = 2000;
  fake->calls = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, fake_call_free);
  fake->ids = g_hash_table_new (g_str_hash, g_str_equal);
  fake->order = g_ptr_array_new ();
  fake->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fake->server, "/api/v1", handler, fake, NULL);
  soup_server_listen_local (fake->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (fake->server);
  fake->url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  g_assert_true (g_str_has_prefix (fake->url, "http://127.0.0.1:"));
}

static void
fake_tear_down (Fake          *fake,
                gconstpointer  data)
{
  /* let delayed replies go out before the server goes */
  while (fake->in_flight > 0)
    g_main_context_iteration (NULL, TRUE);
  soup_server_disconnect (fake->server);
  g_clear_object (&fake->server);
  g_clear_pointer (&fake->url, g_free);
  g_clear_pointer (&fake->order, g_ptr_array_unref);
  g_clear_pointer (&fake->ids, g_hash_table_unref);
  g_clear_pointer (&fake->calls, g_hash_table_unref);
}

typedef struct {
  gboolean done;
  gboolean ok;
  GError *error;
} Run;

static void
run_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Run *run = user_data;

  run->ok = signpost_callgen_runner_run_finish (SIGNPOST_CALLGEN_RUNNER (source), result, &run->error);
  run->done = TRUE;
}

static gboolean
stop_cb (gpointer user_data)
{
  signpost_callgen_runner_stop (user_data);
  return G_SOURCE_REMOVE;
}

/* As TAP comments (g_test_message() itself prints through g_print()). */
static void
print_to_test_log (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] == '#')
      printf ("%s\n", lines[i]);
    else if (lines[i][0] != '\0')
      printf ("# %s\n", lines[i]);
  fflush (stdout);
}

/* Runs to the end, or stops it once @stop_after_calls calls are offered if
 * that is not 0 (or after a minute, whichever comes first). */
static SignpostCallgenRunner *
run_runner (SignpostCallgenOptions *options,
            guint                   stop_after_calls)
{
  SignpostCallgenRunner *runner = signpost_callgen_runner_new (options);
  Run run = { 0, };
  GPrintFunc previous;

  /* the runner's progress lines are not TAP */
  previous = g_set_print_handler (print_to_test_log);
  signpost_callgen_runner_run_async (runner, NULL, run_cb, &run);
  if (stop_after_calls > 0)
    g_timeout_add_full (G_PRIORITY_DEFAULT, 60000, stop_cb, g_object_ref (runner), g_object_unref);
  while (!run.done)
    {
      g_main_context_iteration (NULL, TRUE);
      if (stop_after_calls > 0 && signpost_callgen_runner_get_stats (runner)->calls_offered >= stop_after_calls)
        signpost_callgen_runner_stop (runner);
    }
  g_set_print_handler (previous);
  g_assert_no_error (run.error);
  g_assert_true (run.ok);
  return runner;
}

static void
options_for (Fake                   *fake,
             SignpostCallgenOptions *options)
{
  signpost_callgen_options_init (options);
  options->server = g_strdup (fake->url);
  options->progress_interval_s = 0;
}

static void
test_replay (Fake          *fake,
             gconstpointer  data)
{
  SignpostCallgenOptions options;
  g_autoptr(SignpostCallgenRunner) runner = NULL;
  g_autoptr(SignpostCallerPool) pool = pool_like_fake (fake->n_patients);
  g_autoptr(GTimeZone) tz = signpost_time_zone_new ("Europe/London", NULL);
  g_autoptr(SignpostTrafficModel) model = signpost_traffic_model_new (pool, 5);
  g_autoptr(SignpostTrafficPlan) plan = NULL;
  const SignpostCallgenStats *stats;
  GDate date;
  guint received = 0;

  options_for (fake, &options);
  options.mode = SIGNPOST_CALLGEN_MODE_REPLAY;
  g_date_set_dmy (&options.replay_date, 23, 11, 2026);
  options.seed = 5;
  options.navigators = 2;
  options.handle_s = 120;
  options.concurrency = 8;
  runner = run_runner (&options, 0);
  signpost_callgen_options_clear (&options);
  stats = signpost_callgen_runner_get_stats (runner);

  /* the same plan, worked out here from the same patients and seed */
  signpost_traffic_model_add_line (model, PRACTICE_ID, LINE, tz);
  signpost_traffic_model_set_navigators (model, 2, 120);
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 23, 11, 2026);
  plan = signpost_traffic_model_plan_day (model, &date, SIGNPOST_TRAFFIC_DAY_MONDAY, 0);

  g_assert_cmpuint (plan->calls->len, >, 30);
  g_assert_cmpuint (stats->practices, ==, 1);
  g_assert_cmpuint (stats->lines, ==, 1);
  g_assert_cmpuint (stats->patients, ==, fake->n_patients);
  g_assert_cmpuint (fake->bad_signatures, ==, 0);
  g_assert_cmpuint (fake->order_errors, ==, 0);
  g_assert_cmpuint (fake->mutations, ==, 0);
  g_assert_cmpuint (stats->events_failed, ==, 0);
  g_assert_cmpuint (stats->events_skipped, ==, 0);
  g_assert_cmpuint (stats->events_accepted, ==, plan->events->len);
  g_assert_cmpuint (stats->calls_offered, ==, plan->n_offered);
  g_assert_cmpuint (stats->calls_answered, ==, plan->n_answered);
  g_assert_cmpuint (stats->calls_abandoned, ==, plan->n_abandoned);
  g_assert_cmpuint (stats->callbacks_requested, ==, plan->n_callbacks_requested);
  g_assert_cmpuint (stats->callbacks_made, ==, plan->n_callbacks_made);
  g_assert_cmpuint (g_hash_table_size (fake->calls), ==, plan->calls->len);

  /* every event exactly as planned, simulated `at` included, in order */
  for (guint i = 0; i < plan->calls->len; i++)
    {
      SignpostTrafficCall *call = &g_array_index (plan->calls, SignpostTrafficCall, i);
      FakeCall *seen = g_hash_table_lookup (fake->calls, call->call_ref);
      guint n = 0;

      g_assert_nonnull (seen);
      for (guint e = 0; e < plan->events->len; e++)
        {
          SignpostTrafficEvent *ev = &g_array_index (plan->events, SignpostTrafficEvent, e);
          g_autofree char *body = NULL;

          if (ev->call != i)
            continue;
          body = signpost_traffic_plan_event_to_json (plan, e, ev->at_us, NULL);
          g_assert_cmpuint (n, <, seen->bodies->len);
          g_assert_cmpstr (g_ptr_array_index (seen->bodies, n), ==, body);
          n++;
        }
      g_assert_cmpuint (n, ==, seen->bodies->len);
      received += n;
      g_assert_true (g_str_has_prefix (g_ptr_array_index (seen->bodies, 0), "{\"event\":\"call.offered\""));
      g_assert_nonnull (strstr (g_ptr_array_index (seen->bodies, 0), "\"at\":\"2026-11-23T"));
    }
  g_assert_cmpuint (received, ==, plan->events->len);
}

static void
test_replay_closed_day (Fake          *fake,
                        gconstpointer  data)
{
  SignpostCallgenOptions options;
  g_autoptr(SignpostCallgenRunner) runner = NULL;

  options_for (fake, &options);
  options.mode = SIGNPOST_CALLGEN_MODE_REPLAY;
  g_date_set_dmy (&options.replay_date, 29, 11, 2026);
  runner = run_runner (&options, 0);
  signpost_callgen_options_clear (&options);
  g_assert_cmpuint (signpost_callgen_runner_get_stats (runner)->calls_offered, ==, 0);
  g_assert_cmpuint (fake->webhook_posts, ==, 0);
}

static void
test_rate_bounded (Fake          *fake,
                   gconstpointer  data)
{
  SignpostCallgenOptions options;
  g_autoptr(SignpostCallgenRunner) runner = NULL;
  const SignpostCallgenStats *stats;

  fake->delay_ms = 40;
  options_for (fake, &options);
  options.mode = SIGNPOST_CALLGEN_MODE_RATE;
  options.rate = 100;
  options.duration_s = 1;
  options.seed = 77;
  options.concurrency = 4;
  runner = run_runner (&options, 0);
  signpost_callgen_options_clear (&options);
  stats = signpost_callgen_runner_get_stats (runner);

  g_test_message ("at most %u requests in flight at the server; %.2f s", fake->max_in_flight, stats->elapsed_s);
  g_assert_cmpuint (stats->calls_offered, ==, 100);
  g_assert_cmpuint (stats->calls_abandoned, ==, 100);
  g_assert_cmpuint (stats->events_accepted, ==, 200);
  g_assert_cmpuint (stats->events_failed, ==, 0);
  g_assert_cmpuint (fake->order_errors, ==, 0);
  g_assert_cmpuint (fake->bad_signatures, ==, 0);
  g_assert_cmpuint (fake->max_in_flight, <=, 4);
  g_assert_cmpuint (fake->max_in_flight, >=, 2);
  g_assert_cmpfloat (stats->elapsed_s, >, 0);
}

static void
test_retry_after_429 (Fake          *fake,
                      gconstpointer  data)
{
  SignpostCallgenOptions options;
  g_autoptr(SignpostCallgenRunner) runner = NULL;
  const SignpostCallgenStats *stats;

  fake->refuse_429 = 5;
  options_for (fake, &options);
  options.mode = SIGNPOST_CALLGEN_MODE_RATE;
  options.rate = 100;
  options.duration_s = 0.2;
  options.seed = 3;
  runner = run_runner (&options, 0);
  signpost_callgen_options_clear (&options);
  stats = signpost_callgen_runner_get_stats (runner);

  g_assert_cmpuint (stats->events_retried, ==, 5);
  g_assert_cmpuint (stats->events_accepted, ==, 40);
  g_assert_cmpuint (stats->events_failed, ==, 0);
  g_assert_cmpuint (fake->order_errors, ==, 0);
}

static void
test_realtime (Fake          *fake,
               gconstpointer  data)
{
  SignpostCallgenOptions options;
  g_autoptr(SignpostCallgenRunner) runner = NULL;
  const SignpostCallgenStats *stats;
  guint answers = 0, ends = 0, taken = 0;
  gint64 started = g_get_real_time ();

  fake->n_patients = 20000;
  fake->conflict_every = 7;
  options_for (fake, &options);
  options.mode = SIGNPOST_CALLGEN_MODE_REALTIME;
  options.speed = 20000; /* a working day in about two seconds */
  options.seed = 12;
  options.navigators = 6;
  options.handle_s = 120;
  runner = run_runner (&options, 300);
  signpost_callgen_options_clear (&options);
  stats = signpost_callgen_runner_get_stats (runner);

  for (guint i = 0; i < fake->order->len; i++)
    {
      FakeCall *call = g_ptr_array_index (fake->order, i);
      const char *first = g_ptr_array_index (call->bodies, 0);
      g_autoptr(JsonObject) offer = signpost_json_parse_object (first, strlen (first), 65536, NULL);
      g_autoptr(GDateTime) at = signpost_timestamp_parse (json_object_get_string_member (offer, "at"), NULL);
      gint64 at_us = g_date_time_to_unix (at) * G_USEC_PER_SEC;

      /* realtime events carry the wall clock */
      g_assert_cmpint (at_us, >=, started - G_USEC_PER_SEC);
      g_assert_cmpint (at_us, <=, g_get_real_time () + G_USEC_PER_SEC);
      for (guint e = 0; e < call->events->len; e++)
        {
          const char *what = g_ptr_array_index (call->events, e);

          /* simulated navigators answer through /mutations here */
          g_assert_cmpstr (what, !=, "call.answered");
          g_assert_cmpstr (what, !=, "call.ended");
          answers += g_str_equal (what, "answer");
          ends += g_str_equal (what, "end");
        }
      if (call->taken)
        {
          taken++;
          for (guint e = 0; e < call->events->len; e++)
            g_assert_cmpstr (g_ptr_array_index (call->events, e), !=, "end");
        }
    }

  g_test_message ("realtime: %u calls, %u answered, %u ended, %u answered by someone else",
                  fake->order->len, answers, ends, taken);
  g_assert_cmpuint (fake->order->len, >=, 300);
  g_assert_cmpuint (fake->order_errors, ==, 0);
  g_assert_cmpuint (fake->bad_signatures, ==, 0);
  g_assert_cmpuint (answers, >, 0);
  g_assert_cmpuint (ends, >, 0);
  g_assert_cmpuint (taken, >, 0);
  /* requests in flight when it stopped reached the server, but their
   * replies did not reach the runner */
  g_assert_cmpuint (stats->calls_answered, <=, answers);
  g_assert_cmpuint (stats->calls_answered + 16, >=, answers);
  g_assert_cmpuint (stats->answered_elsewhere, >, 0);
  g_assert_cmpuint (stats->answered_elsewhere, <=, taken);
  g_assert_cmpuint (stats->calls_offered, <=, fake->order->len);
  g_assert_cmpuint (stats->calls_offered + 16, >=, fake->order->len);
  g_assert_cmpuint (stats->events_failed, ==, 0);
}

/* --surge: whatever the day and hour, today plays as a Monday from 08:00
 * and 08:00 is now, with the callers who were ringing before it first. */
static void
test_surge (Fake          *fake,
            gconstpointer  data)
{
  SignpostCallgenOptions options;
  g_autoptr(SignpostCallgenRunner) runner = NULL;
  g_autoptr(SignpostCallerPool) pool = NULL;
  g_autoptr(GTimeZone) tz = signpost_time_zone_new ("Europe/London", NULL);
  g_autoptr(GDateTime) before = g_date_time_new_now (tz);
  g_autoptr(GDateTime) after = NULL;
  g_autoptr(SignpostTrafficPlan) plan = NULL;
  gint64 started = g_get_real_time ();
  guint in_first_minute = 0;
  GDate date;

  fake->n_patients = 10000;
  options_for (fake, &options);
  options.mode = SIGNPOST_CALLGEN_MODE_REALTIME;
  options.surge = TRUE;
  options.speed = 3000; /* the opening hour in a little over a second */
  options.seed = 31;
  runner = run_runner (&options, 40);
  signpost_callgen_options_clear (&options);
  after = g_date_time_new_now (tz);

  /* The same plan worked out here: today as a Monday from 08:00, with
   * the opening burst. */
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, g_date_time_get_day_of_month (before), g_date_time_get_month (before),
                  g_date_time_get_year (before));
  for (guint attempt = 0; attempt < 2; attempt++)
    {
      g_autoptr(SignpostTrafficModel) model = NULL;

      pool = pool_like_fake (fake->n_patients);
      model = signpost_traffic_model_new (pool, 31);
      signpost_traffic_model_add_line (model, PRACTICE_ID, LINE, tz);
      signpost_traffic_model_get_params (model)->opening_burst = 20;
      g_clear_pointer (&plan, signpost_traffic_plan_free);
      plan = signpost_traffic_model_plan_day (model, &date, SIGNPOST_TRAFFIC_DAY_MONDAY, 0);
      g_clear_object (&pool);
      g_assert_cmpuint (fake->order->len, >, 0);
      if (g_hash_table_lookup (fake->calls, g_array_index (plan->calls, SignpostTrafficCall, 0).call_ref) != NULL)
        break;
      /* the run began just after midnight */
      g_date_set_dmy (&date, g_date_time_get_day_of_month (after), g_date_time_get_month (after),
                      g_date_time_get_year (after));
    }

  /* the callers offered are the plan's first (sixteen requests at a time,
   * the last ones cut short by the stop, so nearly in its order), stamped
   * with the wall clock from the start */
  g_assert_cmpuint (fake->order->len, >=, 20);
  for (guint i = 0; i < fake->order->len; i++)
    {
      FakeCall *seen = g_ptr_array_index (fake->order, i);
      const char *body = g_ptr_array_index (seen->bodies, 0);
      g_autoptr(JsonObject) offer = signpost_json_parse_object (body, strlen (body), 65536, NULL);
      g_autoptr(GDateTime) at = signpost_timestamp_parse (json_object_get_string_member (offer, "at"), NULL);
      guint index = G_MAXUINT;

      for (guint j = 0; j < plan->calls->len && index == G_MAXUINT; j++)
        if (g_str_equal (seen->call_ref, g_array_index (plan->calls, SignpostTrafficCall, j).call_ref))
          index = j;
      g_assert_cmpuint (index, <, fake->order->len + 32);
      g_assert_cmpint (g_date_time_to_unix (at) * G_USEC_PER_SEC, >=, started - G_USEC_PER_SEC);
    }

  /* and the plan opens with its rush: 20 expected in the first minute
   * (Poisson, on top of the profile's 2.7) */
  for (guint i = 0; i < plan->calls->len; i++)
    {
      g_autoptr(GDateTime) open = signpost_local_time_to_utc (&date, 8, 0, tz);
      gint64 offset = g_array_index (plan->calls, SignpostTrafficCall, i).offered_us -
                      g_date_time_to_unix (open) * G_USEC_PER_SEC;

      if (offset < 60 * G_USEC_PER_SEC)
        in_first_minute++;
    }
  g_test_message ("surge: %u of %u planned callers in the first minute", in_first_minute, plan->calls->len);
  g_assert_cmpuint (in_first_minute, >=, 10);
  g_assert_cmpuint (fake->order_errors, ==, 0);
  g_assert_cmpuint (fake->bad_signatures, ==, 0);
}

static void
test_stop (Fake          *fake,
           gconstpointer  data)
{
  SignpostCallgenOptions options;
  g_autoptr(SignpostCallgenRunner) runner = NULL;
  const SignpostCallgenStats *stats;
  fake->delay_ms = 50;
  fake->n_patients = 20000;
  options_for (fake, &options);
  options.mode = SIGNPOST_CALLGEN_MODE_REPLAY;
  g_date_set_dmy (&options.replay_date, 23, 11, 2026);
  options.seed = 1;
  options.concurrency = 2;
  runner = run_runner (&options, 20);
  signpost_callgen_options_clear (&options);
  stats = signpost_callgen_runner_get_stats (runner);

  /* stopped part way: some sent, nothing counted as failed */
  g_test_message ("stopped after %u calls", stats->calls_offered);
  g_assert_cmpuint (stats->calls_offered, >, 0);
  g_assert_cmpuint (stats->calls_offered, <, 500);
  g_assert_cmpuint (stats->events_failed, ==, 0);
}

static void
test_stop_while_starting (Fake          *fake,
                          gconstpointer  data)
{
  SignpostCallgenOptions options;
  g_autoptr(SignpostCallgenRunner) runner = NULL;
  Run run = { 0, };

  fake->delay_ms = 300;
  options_for (fake, &options);
  options.mode = SIGNPOST_CALLGEN_MODE_REALTIME;
  runner = signpost_callgen_runner_new (&options);
  signpost_callgen_options_clear (&options);
  signpost_callgen_runner_run_async (runner, NULL, run_cb, &run);
  g_timeout_add_full (G_PRIORITY_DEFAULT, 50, stop_cb, g_object_ref (runner), g_object_unref);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (run.error);
  g_assert_true (run.ok);
  g_assert_cmpuint (signpost_callgen_runner_get_stats (runner)->calls_offered, ==, 0);
  /* the login reply still arrives, and must not start anything */
  while (fake->in_flight > 0)
    g_main_context_iteration (NULL, TRUE);
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (fake->webhook_posts, ==, 0);
  g_assert_cmpuint (fake->changes_served, ==, 0);
}

static void
test_login_fallback (Fake          *fake,
                     gconstpointer  data)
{
  SignpostCallgenOptions options;
  g_autoptr(SignpostCallgenRunner) runner = NULL;

  fake->only_navigator = TRUE;
  options_for (fake, &options);
  options.mode = SIGNPOST_CALLGEN_MODE_RATE;
  options.rate = 10;
  options.duration_s = 0.3;
  runner = run_runner (&options, 0);
  signpost_callgen_options_clear (&options);
  g_assert_cmpuint (signpost_callgen_runner_get_stats (runner)->events_accepted, ==, 6);
}

/* Starting while the server says "later": signing in and reading the
 * patients wait and ask again, as the events do. */
static void
test_start_unavailable (Fake          *fake,
                        gconstpointer  data)
{
  SignpostCallgenOptions options;
  g_autoptr(SignpostCallgenRunner) runner = NULL;

  fake->unavailable = 3;
  options_for (fake, &options);
  options.mode = SIGNPOST_CALLGEN_MODE_RATE;
  options.rate = 10;
  options.duration_s = 0.3;
  runner = run_runner (&options, 0);
  signpost_callgen_options_clear (&options);
  g_assert_cmpuint (fake->unavailable_logins, ==, 3);
  g_assert_cmpuint (fake->unavailable_reads, ==, 3);
  g_assert_cmpuint (signpost_callgen_runner_get_stats (runner)->events_accepted, ==, 6);
  g_assert_cmpuint (signpost_callgen_runner_get_stats (runner)->events_failed, ==, 0);
}

static void
test_login_refused (Fake          *fake,
                    gconstpointer  data)
{
  SignpostCallgenOptions options;
  g_autoptr(SignpostCallgenRunner) runner = NULL;
  Run run = { 0, };

  options_for (fake, &options);
  options.mode = SIGNPOST_CALLGEN_MODE_RATE;
  options.rate = 10;
  options.duration_s = 1;
  options.user = g_strdup ("hubnav");
  options.password = g_strdup ("wrong");
  runner = signpost_callgen_runner_new (&options);
  signpost_callgen_options_clear (&options);
  signpost_callgen_runner_run_async (runner, NULL, run_cb, &run);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (run.ok);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_clear_error (&run.error);
  g_assert_cmpuint (fake->webhook_posts, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/signpost/callgen/runner/replay", Fake, NULL, fake_set_up, test_replay, fake_tear_down);
  g_test_add ("/signpost/callgen/runner/replay-closed-day", Fake, NULL, fake_set_up, test_replay_closed_day, fake_tear_down);
  g_test_add ("/signpost/callgen/runner/rate-bounded", Fake, NULL, fake_set_up, test_rate_bounded, fake_tear_down);
  g_test_add ("/signpost/callgen/runner/retry-after-429", Fake, NULL, fake_set_up, test_retry_after_429, fake_tear_down);
  g_test_add ("/signpost/callgen/runner/realtime", Fake, NULL, fake_set_up, test_realtime, fake_tear_down);
  g_test_add ("/signpost/callgen/runner/surge", Fake, NULL, fake_set_up, test_surge, fake_tear_down);
  g_test_add ("/signpost/callgen/runner/stop", Fake, NULL, fake_set_up, test_stop, fake_tear_down);
  g_test_add ("/signpost/callgen/runner/stop-while-starting", Fake, NULL, fake_set_up, test_stop_while_starting, fake_tear_down);
  g_test_add ("/signpost/callgen/runner/login-fallback", Fake, NULL, fake_set_up, test_login_fallback, fake_tear_down);
  g_test_add ("/signpost/callgen/runner/login-refused", Fake, NULL, fake_set_up, test_login_refused, fake_tear_down);
  g_test_add ("/signpost/callgen/runner/start-unavailable", Fake, NULL, fake_set_up, test_start_unavailable, fake_tear_down);

  return g_test_run ();
}
