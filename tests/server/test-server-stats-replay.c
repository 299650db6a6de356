/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "server-test-db.h"
#include "signpost-core.h"

/*
 * End to end: the real signpost-callgen replays a Monday, with simulated
 * navigators, into the real signpost-server (a small demo hub), and the
 * day's statistics must add up to the simulator's own summary of what it
 * sent. The simulator counts a callback it made as a call answered too;
 * the statistics count it as a callback requested (and made) only.
 */

#define REPLAY_DAY "2026-11-16"

typedef struct {
  GSubprocess *process;
  TestDatabase *db;
  char *base;
} Server;

static void
server_start (Server *server)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  const char *bin = g_getenv ("SIGNPOST_SERVER_BIN");

  g_assert_nonnull (bin);
  server->db = test_database_new ();
  /* Named by the environment, as a service manager would. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_setenv (launcher, "SIGNPOST_DB", test_database_location (server->db), TRUE);
  server->process = g_subprocess_launcher_spawn (launcher, &error, bin, "--demo", "--demo-scale",
                                                 "0.25", "--listen", "127.0.0.1:0", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  if (line == NULL || !g_str_has_prefix (line, "Listening on "))
    g_error ("the server did not start");
  server->base = g_strdup (line + strlen ("Listening on "));
  g_strchomp (server->base);
  if (g_str_has_suffix (server->base, "/"))
    server->base[strlen (server->base) - 1] = '\0';
}

static void
server_stop (Server *server)
{
  g_subprocess_send_signal (server->process, SIGTERM);
  g_subprocess_wait (server->process, NULL, NULL);
  g_assert_true (g_subprocess_get_if_exited (server->process));
  g_assert_cmpint (g_subprocess_get_exit_status (server->process), ==, 0);
  g_clear_object (&server->process);
  g_clear_pointer (&server->db, test_database_free);
  g_free (server->base);
}

static GBytes *
request (SoupSession *session,
         Server      *server,
         const char  *method,
         const char  *path,
         const char  *token,
         const char  *body)
{
  g_autofree char *uri = g_strconcat (server->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GError) error = NULL;
  GBytes *reply;

  if (token != NULL)
    {
      g_autofree char *header = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  if (soup_message_get_status (msg) != 200)
    g_error ("%s %s: %u %.*s", method, path, soup_message_get_status (msg),
             (int) g_bytes_get_size (reply), (const char *) g_bytes_get_data (reply, NULL));
  return reply;
}

static JsonObject *
request_json (SoupSession *session,
              Server      *server,
              const char  *method,
              const char  *path,
              const char  *token,
              const char  *body)
{
  g_autoptr(GBytes) reply = request (session, server, method, path, token, body);
  g_autoptr(GError) error = NULL;
  JsonObject *object = signpost_json_parse_object (g_bytes_get_data (reply, NULL),
                                                   g_bytes_get_size (reply), G_MAXSIZE, &error);

  g_assert_no_error (error);
  return object;
}

/* A number from the simulator's summary: "  calls offered   120". */
static gint64
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
  return g_ascii_strtoll (digits, NULL, 10);
}

static void
test_replay_totals (void)
{
  Server server = { 0 };
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GSubprocess) callgen = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) login = NULL;
  g_autoptr(GBytes) csv = NULL;
  g_autofree char *out = NULL;
  const char *bin = g_getenv ("SIGNPOST_CALLGEN_BIN");
  const char *token;
  JsonArray *practices;
  gint64 offered = 0, answered = 0, abandoned = 0, missed = 0, requested = 0, made = 0;
  gint64 csv_offered = 0;

  g_assert_nonnull (bin);
  server_start (&server);

  callgen = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                              &error, bin, "--server", server.base, "--replay", REPLAY_DAY,
                              "--seed", "6", "--navigators", "1", "--handle-time", "240", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (callgen, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("%s", out);
  g_assert_true (g_subprocess_get_if_exited (callgen));
  g_assert_cmpint (g_subprocess_get_exit_status (callgen), ==, 0);
  g_assert_cmpint (summary_value (out, "events failed"), ==, 0);
  g_assert_cmpint (summary_value (out, "calls offered"), >, 50);
  g_assert_cmpint (summary_value (out, "callbacks made"), >, 0);

  login = request_json (session, &server, "POST", "/api/v1/login", NULL,
                        "{\"username\":\"manager\",\"password\":\"demo-password\"}");
  token = json_object_get_string_member (login, "token");
  practices = json_object_get_array_member (login, "practices");
  g_assert_cmpuint (json_array_get_length (practices), ==, 2);
  for (guint i = 0; i < json_array_get_length (practices); i++)
    {
      JsonObject *practice = json_array_get_object_element (practices, i);
      g_autofree char *path = g_strdup_printf ("/api/v1/stats/day?practice=%s&date=" REPLAY_DAY,
                                               json_object_get_string_member (practice, "id"));
      g_autoptr(JsonObject) day = request_json (session, &server, "GET", path, token, NULL);
      JsonObject *totals = json_object_get_object_member (day, "totals");

      offered += json_object_get_int_member (totals, "offered");
      answered += json_object_get_int_member (totals, "answered");
      abandoned += json_object_get_int_member (totals, "abandoned");
      missed += json_object_get_int_member (totals, "missed");
      requested += json_object_get_int_member (totals, "callbacks_requested");
      made += json_object_get_int_member (totals, "callbacks_made");
    }

  g_assert_cmpint (offered, ==, summary_value (out, "calls offered"));
  g_assert_cmpint (abandoned, ==, summary_value (out, "calls abandoned"));
  g_assert_cmpint (requested, ==, summary_value (out, "callbacks requested"));
  g_assert_cmpint (made, ==, summary_value (out, "callbacks made"));
  g_assert_cmpint (answered, ==, summary_value (out, "calls answered") - summary_value (out, "callbacks made"));
  g_assert_cmpint (missed, ==, 0);
  g_assert_cmpint (offered, ==, answered + abandoned + missed + requested);

  /* The export says the same: column 3 is the call volume. */
  csv = request (session, &server, "GET", "/api/v1/stats/cbt-export?month=2026-11", token, NULL);
  {
    g_autofree char *text = g_strndup (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv));
    g_auto(GStrv) rows = g_strsplit (text, "\r\n", -1);

    for (guint i = 1; rows[i] != NULL && *rows[i] != '\0'; i++)
      if (strstr (rows[i], "," REPLAY_DAY ",") != NULL)
        {
          g_auto(GStrv) cells = g_strsplit (strstr (rows[i], REPLAY_DAY), ",", -1);

          csv_offered += g_ascii_strtoll (cells[1], NULL, 10);
        }
  }
  g_assert_cmpint (csv_offered, ==, offered);

  server_stop (&server);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/server/stats/replay-totals", test_replay_totals);

  return g_test_run ();
}
