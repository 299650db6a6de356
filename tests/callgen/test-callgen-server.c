/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "server-test-db.h"
#include "signpost-core.h"

/*
 * signpost-callgen against the real server: a demo server on a free port
 * of 127.0.0.1, a short load test, and then the server's own change feed
 * read back independently to see that the calls are there.
 */

typedef struct {
  GSubprocess *server;
  TestDatabase *db;
  char *url;
  GOutputStream *server_output;
} Fixture;

static const char *
server_binary (void)
{
  return g_getenv ("SIGNPOST_SERVER_BINARY");
}

/* Meson passes the server it built; without it this test is misconfigured. */
static gboolean
server_built (void)
{
  const char *path = server_binary ();

  return path != NULL && g_file_test (path, G_FILE_TEST_IS_EXECUTABLE);
}

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

typedef struct {
  char *line;
  GError *error;
  gboolean done;
} LineRead;

static void
read_line_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  LineRead *read = user_data;

  read->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result,
                                                          NULL, &read->error);
  read->done = TRUE;
}

/* Starts `signpost-server --demo` and waits for "Listening on URL". */
static void
fixture_set_up (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  gboolean timed_out = FALSE;
  guint timeout_id;

  if (!server_built ())
    return;

  /* On the command line, as a user might (the server hides a password
   * in it from ps). */
  f->db = test_database_new ();
  f->server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                server_binary (), "--demo", "--db", test_database_location (f->db),
                                "--listen", "127.0.0.1:0", NULL);
  g_assert_no_error (error);

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (f->server));
  timeout_id = g_timeout_add_seconds (60, timeout_cb, &timed_out);
  while (f->url == NULL && !timed_out)
    {
      LineRead read = { 0, };
      const char *at;

      g_data_input_stream_read_line_async (lines, G_PRIORITY_DEFAULT, NULL, read_line_cb, &read);
      while (!read.done && !timed_out)
        g_main_context_iteration (NULL, TRUE);
      if (!read.done)
        break;
      g_assert_no_error (read.error);
      if (read.line == NULL)
        g_error ("signpost-server exited before it said where it listens");
      g_test_message ("server: %s", read.line);
      at = strstr (read.line, "Listening on ");
      if (at != NULL)
        {
          f->url = g_strstrip (g_strdup (at + strlen ("Listening on ")));
          g_assert_true (g_str_has_prefix (f->url, "http://127.0.0.1:"));
        }
      g_free (read.line);
    }
  if (!timed_out)
    g_source_remove (timeout_id);
  g_assert_nonnull (f->url);

  /* keep reading what it prints, so that it never blocks on a full pipe */
  f->server_output = g_memory_output_stream_new_resizable ();
  g_output_stream_splice_async (f->server_output, G_INPUT_STREAM (lines),
                                G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, G_PRIORITY_DEFAULT,
                                NULL, NULL, NULL);
}

static void
fixture_tear_down (Fixture *f)
{
  if (f->server != NULL)
    {
      g_autoptr(GError) error = NULL;

      g_subprocess_send_signal (f->server, SIGTERM);
      g_subprocess_wait (f->server, NULL, &error);
      g_assert_no_error (error);
      g_clear_object (&f->server);
    }
  /* let the splice see the end of the pipe */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->server_output);
  g_clear_pointer (&f->db, test_database_free);
  g_clear_pointer (&f->url, g_free);
}

typedef struct {
  char *out;
  gboolean done;
  GError *error;
} Communicate;

static void
communicate_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Communicate *c = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &c->out, NULL, &c->error);
  c->done = TRUE;
}

/* Runs signpost-callgen to the end; returns its stdout. */
static char *
run_callgen (Fixture    *f,
             int        *status,
             const char *first_arg,
             ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) callgen = NULL;
  g_autoptr(GError) error = NULL;
  Communicate c = { 0, };
  va_list args;

  g_ptr_array_add (argv, (char *) g_getenv ("SIGNPOST_CALLGEN_BINARY"));
  g_ptr_array_add (argv, (char *) "--server");
  g_ptr_array_add (argv, f->url);
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  callgen = g_subprocess_newv ((const char * const *) argv->pdata, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (callgen, NULL, NULL, communicate_cb, &c);
  while (!c.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (c.error);
  g_subprocess_wait (callgen, NULL, &error);
  g_assert_no_error (error);
  *status = g_subprocess_get_if_exited (callgen) ? g_subprocess_get_exit_status (callgen) : -1;
  g_test_message ("%s", c.out);
  return c.out;
}

/* A number from the summary: "  events accepted             120". */
static guint
summary_value (const char *out,
               const char *label)
{
  g_autofree char *pattern = g_strdup_printf ("^  %s +([0-9]+)$", label);
  g_autoptr(GRegex) regex = g_regex_new (pattern, G_REGEX_MULTILINE, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *digits = NULL;

  if (!g_regex_match (regex, out, 0, &match))
    {
      g_test_message ("no “%s” in the summary", label);
      g_assert_not_reached ();
    }
  digits = g_match_info_fetch (match, 1);
  return (guint) g_ascii_strtoull (digits, NULL, 10);
}

/* Plain libsoup, not the simulator's client: an independent reading. */
static JsonObject *
api (SoupSession *session,
     const char  *url,
     const char  *method,
     const char  *path,
     const char  *token,
     const char  *body)
{
  g_autofree char *full = g_strconcat (url, g_str_has_suffix (url, "/") ? "" : "/", "api/v1/", path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, full);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  gsize size;
  const char *data;
  JsonObject *object;

  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  data = g_bytes_get_data (reply, &size);
  object = signpost_json_parse_object (data, size, 256 * 1024 * 1024, &error);
  g_assert_no_error (error);
  return object;
}

/* The calls the server holds whose call_ref starts with @prefix, and how
 * many of them are in @state. */
static guint
count_calls_in (Fixture    *f,
                const char *prefix,
                const char *state,
                guint      *in_state)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(JsonObject) login = api (session, f->url, "POST", "login", NULL,
                                     "{\"username\":\"hubnav\",\"password\":\"demo-password\"}");
  const char *token = json_object_get_string_member (login, "token");
  gint64 since = 0;
  gboolean more = TRUE;
  guint n = 0;

  *in_state = 0;
  while (more)
    {
      g_autofree char *path = g_strdup_printf ("changes?since=%" G_GINT64_FORMAT "&limit=5000", since);
      g_autoptr(JsonObject) page = api (session, f->url, "GET", path, token, NULL);
      JsonArray *changes = json_object_get_array_member (page, "changes");

      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *change = json_array_get_object_element (changes, i);
          JsonObject *call;

          if (!g_str_equal (json_object_get_string_member (change, "type"), "call"))
            continue;
          call = json_object_get_object_member (change, "data");
          if (!g_str_has_prefix (json_object_get_string_member (call, "call_ref"), prefix))
            continue;
          n++;
          if (g_strcmp0 (json_object_get_string_member (call, "state"), state) == 0)
            (*in_state)++;
        }
      since = json_object_get_int_member (page, "last_seq");
      more = json_object_get_boolean_member (page, "more");
    }
  return n;
}

/* One demo server for all the tests: seeding it takes seconds. */
static Fixture shared;

static Fixture *
get_server (void)
{
  if (shared.url == NULL)
    fixture_set_up (&shared);
  return &shared;
}

static guint
count_calls (Fixture    *f,
             const char *prefix,
             guint      *abandoned)
{
  return count_calls_in (f, prefix, "abandoned", abandoned);
}

/* Posts one signed event straight to the webhook; returns the status. */
static guint
post_event (Fixture    *f,
            const char *body)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (f->url, g_str_has_suffix (f->url, "/") ? "" : "/",
                                      "api/v1/telephony/events", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) reply = NULL;
  g_autofree char *stamp = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);
  g_autofree char *message = g_strconcat (stamp, ".", body, NULL);
  g_autofree char *hex = g_compute_hmac_for_string (G_CHECKSUM_SHA256, (const guchar *) "demo-line-secret",
                                                    strlen ("demo-line-secret"), message, -1);
  g_autofree char *signature = g_strconcat ("sha256=", hex, NULL);
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Signpost-Timestamp", stamp);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Signpost-Signature", signature);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  return soup_message_get_status (msg);
}

static void
test_replay (void)
{
  g_autofree char *out = NULL;
  int status = -1;
  guint offered, abandoned, callbacks, n_abandoned = 0, n_callbacks = 0;
  Fixture *f;

  g_assert_true (server_built ());
  f = get_server ();

  /* a past Monday with nobody answering: offers, hang-ups and callbacks */
  out = run_callgen (f, &status, "--replay", "2026-11-16", "--seed", "9", NULL);
  g_assert_cmpint (status, ==, 0);
  offered = summary_value (out, "calls offered");
  abandoned = summary_value (out, "calls abandoned");
  callbacks = summary_value (out, "callbacks requested");
  g_assert_cmpuint (offered, >, 100);
  g_assert_cmpuint (summary_value (out, "events failed"), ==, 0);
  g_assert_cmpuint (summary_value (out, "calls answered"), ==, 0);
  g_assert_cmpuint (abandoned + callbacks, ==, offered);
  g_assert_cmpuint (summary_value (out, "events accepted"), ==, offered + abandoned + callbacks);

  g_assert_cmpuint (count_calls_in (f, "cg-9-20261116-", "abandoned", &n_abandoned), ==, offered);
  g_assert_cmpuint (n_abandoned, ==, abandoned);
  count_calls_in (f, "cg-9-20261116-", "callback_requested", &n_callbacks);
  g_assert_cmpuint (n_callbacks, ==, callbacks);
}

/* Simulated navigators in replay need call.answered (with an agent) on the
 * server: until it has it, say so rather than fail. */
static void
test_replay_navigators (void)
{
  g_autofree char *out = NULL;
  int status = -1;
  guint offered, answered, n_ended = 0;
  Fixture *f;

  g_assert_true (server_built ());
  f = get_server ();
  /* The server takes answers from the phone system, with the agent. */
  g_assert_cmpint (post_event (f, "{\"event\":\"call.answered\",\"call_ref\":\"cg-probe\",\"line\":\"+442079460001\","
                                  "\"cli\":null,\"at\":\"2026-11-16T08:00:00Z\",\"agent\":\"probe\"}"), !=, 422);

  /* a Monday morning for four: some hang up, some take the callback */
  out = run_callgen (f, &status, "--replay", "2026-11-16", "--seed", "10", "--navigators", "4",
                     "--handle-time", "150", NULL);
  g_assert_cmpint (status, ==, 0);
  offered = summary_value (out, "calls offered");
  answered = summary_value (out, "calls answered");
  g_assert_cmpuint (summary_value (out, "events failed"), ==, 0);
  g_assert_cmpuint (answered, >, offered / 2);
  g_assert_cmpuint (summary_value (out, "calls abandoned"), >, 0);
  g_assert_cmpuint (summary_value (out, "callbacks made"), >, 0);
  g_assert_cmpuint (summary_value (out, "callbacks made"), ==, summary_value (out, "callbacks requested"));
  g_assert_cmpuint (answered + summary_value (out, "calls abandoned"), ==, offered);
  g_assert_cmpuint (count_calls_in (f, "cg-a-20261116-", "ended", &n_ended), ==, offered);
  g_assert_cmpuint (n_ended, ==, answered);
}

static void
test_rate (void)
{
  Fixture *f;
  g_autofree char *first = NULL;
  g_autofree char *again = NULL;
  int status = -1;
  guint abandoned = 0;

  g_assert_true (server_built ());
  f = get_server ();

  /* 20 calls a second for 3 s: 60 calls, each offered and hung up */
  first = run_callgen (f, &status, "--rate", "20", "--duration", "3", "--seed", "4242", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpuint (summary_value (first, "calls offered"), ==, 60);
  g_assert_cmpuint (summary_value (first, "calls abandoned"), ==, 60);
  g_assert_cmpuint (summary_value (first, "events accepted"), ==, 120);
  g_assert_cmpuint (summary_value (first, "events duplicate"), ==, 0);
  g_assert_cmpuint (summary_value (first, "events failed"), ==, 0);

  /* the server's own record: 60 calls of this run, all hung up; seed
   * 4242 is 0x1092, which the call refs carry */
  g_assert_cmpuint (count_calls (f, "cg-1092-r-", &abandoned), ==, 60);
  g_assert_cmpuint (abandoned, ==, 60);

  /* the same seed again is the same events: the server takes them once */
  again = run_callgen (f, &status, "--rate", "20", "--duration", "3", "--seed", "4242", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpuint (summary_value (again, "events accepted"), ==, 0);
  g_assert_cmpuint (summary_value (again, "events duplicate"), ==, 120);
  g_assert_cmpuint (summary_value (again, "events failed"), ==, 0);
  g_assert_cmpuint (count_calls (f, "cg-1092-r-", &abandoned), ==, 60);
}

static void
test_wrong_secret (void)
{
  Fixture *f;
  g_autofree char *out = NULL;
  int status = -1;

  g_assert_true (server_built ());
  f = get_server ();

  out = run_callgen (f, &status, "--rate", "5", "--duration", "1", "--seed", "1", "--secret", "not-the-secret", NULL);
  /* the offers are refused, so their hang-ups are never sent */
  g_assert_cmpint (status, ==, 1);
  g_assert_cmpuint (summary_value (out, "events accepted"), ==, 0);
  g_assert_cmpuint (summary_value (out, "events failed"), ==, 5);
  g_assert_cmpuint (summary_value (out, "events skipped"), ==, 5);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  int status;

  g_test_add_func ("/signpost/callgen/server/rate", test_rate);
  g_test_add_func ("/signpost/callgen/server/wrong-secret", test_wrong_secret);
  g_test_add_func ("/signpost/callgen/server/replay", test_replay);
  g_test_add_func ("/signpost/callgen/server/replay-navigators", test_replay_navigators);

  status = g_test_run ();
  fixture_tear_down (&shared);
  return status;
}
