/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "server-test-db.h"
#include "signpost-core.h"

/*
 * signpost-callgen --replay-from/--replay-to against the real server (a
 * demo region of three practices): the week goes in without a refusal,
 * sending it again changes nothing, and the hub's statistics find the
 * practices the run says it made different — the one that answers
 * slowly below the funnel's limits for calls answered within a minute,
 * the one with many did-not-attends above them, the one with few
 * appointments lowest per 1,000 patients. The dates and the seed are
 * fixed, so the history, and the figures, are the same every time.
 */

#define FROM "2026-11-16"
#define TO "2026-11-20"
#define SEED "3"

typedef struct {
  GSubprocess *server;
  TestDatabase *db;
  char *url;
  GOutputStream *server_output;
} Fixture;

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

static void
fixture_set_up (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;

  /* SQLite in the callgen suite, PostgreSQL in server-pg. */
  f->db = test_database_new ();
  f->server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                g_getenv ("SIGNPOST_SERVER_BINARY"), "--demo", "--practices", "3",
                                "--demo-scale", "0.2", "--db", test_database_location (f->db),
                                "--listen", "127.0.0.1:0", NULL);
  g_assert_no_error (error);

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (f->server));
  while (f->url == NULL)
    {
      LineRead read = { 0, };
      const char *at;

      g_data_input_stream_read_line_async (lines, G_PRIORITY_DEFAULT, NULL, read_line_cb, &read);
      while (!read.done)
        g_main_context_iteration (NULL, TRUE);
      g_assert_no_error (read.error);
      if (read.line == NULL)
        g_error ("signpost-server exited before it said where it listens");
      at = strstr (read.line, "Listening on ");
      if (at != NULL)
        f->url = g_strstrip (g_strdup (at + strlen ("Listening on ")));
      g_free (read.line);
    }
  f->server_output = g_memory_output_stream_new_resizable ();
  g_output_stream_splice_async (f->server_output, G_INPUT_STREAM (lines),
                                G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, G_PRIORITY_DEFAULT,
                                NULL, NULL, NULL);
}

static void
fixture_tear_down (Fixture *f)
{
  g_subprocess_send_signal (f->server, SIGTERM);
  g_subprocess_wait (f->server, NULL, NULL);
  g_assert_true (g_subprocess_get_if_exited (f->server));
  g_assert_cmpint (g_subprocess_get_exit_status (f->server), ==, 0);
  g_clear_object (&f->server);
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

static char *
run_callgen (Fixture    *f,
             const char *to)
{
  g_autoptr(GSubprocess) callgen = NULL;
  g_autoptr(GError) error = NULL;
  Communicate c = { 0, };

  callgen = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                              g_getenv ("SIGNPOST_CALLGEN_BINARY"), "--server", f->url,
                              "--replay-from", FROM, "--replay-to", to, "--seed", SEED, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (callgen, NULL, NULL, communicate_cb, &c);
  while (!c.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (c.error);
  g_subprocess_wait (callgen, NULL, NULL);
  g_test_message ("%s", c.out);
  g_assert_true (g_subprocess_get_if_exited (callgen));
  g_assert_cmpint (g_subprocess_get_exit_status (callgen), ==, 0);
  return c.out;
}

static guint
summary_value (const char *out,
               const char *label)
{
  g_autofree char *pattern = g_strdup_printf ("^  %s +([0-9]+)$", label);
  g_autoptr(GRegex) regex = g_regex_new (pattern, G_REGEX_MULTILINE, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *digits = NULL;

  if (!g_regex_match (regex, out, 0, &match))
    g_error ("no “%s” in the summary:\n%s", label, out);
  digits = g_match_info_fetch (match, 1);
  return (guint) g_ascii_strtoull (digits, NULL, 10);
}

/* The ODS code of the practice the run says has @trait. */
static char *
practice_with (const char *out,
               const char *trait)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "Y999") && strstr (lines[i], trait) != NULL)
      return g_strndup (lines[i], 6);
  g_error ("no practice “%s” in:\n%s", trait, out);
  return NULL;
}

static JsonObject *
api (const char *url,
     const char *method,
     const char *path,
     const char *token,
     const char *body)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *full = g_strconcat (url, g_str_has_suffix (url, "/") ? "" : "/", "api/v1/", path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, full);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  gsize size;
  const char *data;

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
  object = signpost_json_parse_object (data, size, 64 * 1024 * 1024, &error);
  g_assert_no_error (error);
  return object;
}

static const char *
ods_of (JsonObject *reply,
        const char *practice_id)
{
  JsonArray *practices = json_object_get_array_member (reply, "practices");

  for (guint i = 0; i < json_array_get_length (practices); i++)
    {
      JsonObject *p = json_array_get_object_element (practices, i);

      if (g_str_equal (json_object_get_string_member (p, "practice_id"), practice_id))
        return json_object_get_string_member (p, "ods_code");
    }
  return NULL;
}

/* Where the practice @ods sits in the funnel of @measure. */
static const char *
position_of (JsonObject *reply,
             const char *measure,
             const char *ods)
{
  JsonArray *funnels = json_object_get_array_member (reply, "funnels");

  for (guint i = 0; i < json_array_get_length (funnels); i++)
    {
      JsonObject *funnel = json_array_get_object_element (funnels, i);
      JsonArray *points = json_object_get_array_member (funnel, "practices");

      if (!g_str_equal (json_object_get_string_member (funnel, "measure"), measure))
        continue;
      for (guint j = 0; j < json_array_get_length (points); j++)
        {
          JsonObject *point = json_array_get_object_element (points, j);

          if (g_strcmp0 (ods_of (reply, json_object_get_string_member (point, "practice_id")), ods) == 0)
            return json_object_get_string_member (point, "position");
        }
    }
  g_error ("%s has no place in the %s funnel", ods, measure);
  return NULL;
}

static void
test_history (void)
{
  Fixture f = { 0 };
  g_autofree char *out = NULL;
  g_autofree char *again = NULL;
  g_autofree char *slow = NULL;
  g_autofree char *dna = NULL;
  g_autofree char *few = NULL;
  g_autoptr(JsonObject) login = NULL;
  g_autoptr(JsonObject) reply = NULL;
  JsonArray *practices;
  const char *token;
  double fewest = G_MAXDOUBLE;
  const char *fewest_ods = NULL;

  if (g_getenv ("SIGNPOST_SERVER_BINARY") == NULL)
    {
      g_test_skip ("the server is not built");
      return;
    }
  fixture_set_up (&f);

  out = run_callgen (&f, TO);
  g_assert_cmpuint (summary_value (out, "events failed"), ==, 0);
  g_assert_cmpuint (summary_value (out, "history mutations refused"), ==, 0);
  g_assert_cmpuint (summary_value (out, "history mutations applied"), >, 1000);
  g_assert_cmpuint (summary_value (out, "calls offered"), >, 500);
  slow = practice_with (out, "answers slowly");
  dna = practice_with (out, "many did-not-attends");
  few = practice_with (out, "few appointments");

  /* The same run again: the server has it all already. */
  again = run_callgen (&f, FROM);
  g_assert_cmpuint (summary_value (again, "history mutations applied"), ==, 0);
  g_assert_cmpuint (summary_value (again, "history mutations duplicate"), >, 0);
  g_assert_cmpuint (summary_value (again, "events accepted"), ==, 0);

  login = api (f.url, "POST", "login", NULL,
               "{\"username\":\"hubmanager\",\"password\":\"demo-password\"}");
  token = json_object_get_string_member (login, "token");
  reply = api (f.url, "GET", "stats/hub?from=" FROM "&to=2026-11-22", token, NULL);
  practices = json_object_get_array_member (reply, "practices");
  g_assert_cmpuint (json_array_get_length (practices), ==, 3);

  g_assert_true (g_str_has_prefix (position_of (reply, "answered_within_60s", slow), "below_"));
  g_assert_true (g_str_has_prefix (position_of (reply, "did_not_attend", dna), "above_"));
  for (guint i = 0; i < json_array_get_length (practices); i++)
    {
      JsonObject *p = json_array_get_object_element (practices, i);
      JsonObject *totals = json_object_get_object_member (p, "totals");
      JsonObject *appointments = json_object_get_object_member (totals, "appointments");
      double per_1000 = json_object_get_double_member (appointments, "offered_per_1000_per_week");

      /* Every practice's outcomes are in the history. */
      g_assert_cmpint (json_object_get_int_member (appointments, "used"), >, 0);
      g_assert_cmpint (json_object_get_int_member (
                         json_object_get_object_member (totals, "navigation"), "total"), >, 0);
      if (per_1000 < fewest)
        {
          fewest = per_1000;
          fewest_ods = json_object_get_string_member (p, "ods_code");
        }
    }
  g_assert_cmpstr (fewest_ods, ==, few);
  g_assert_cmpfloat (fewest, <, 50);

  fixture_tear_down (&f);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/callgen/history/replay", test_history);

  return g_test_run ();
}
