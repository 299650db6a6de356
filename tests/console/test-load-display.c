/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <math.h>
#include <string.h>

#include "console-display-util.h"
#include "console-test-server.h"
#include "signpost-application.h"
#include "signpost-load-page.h"
#include "signpost-window.h"

/*
 * The load page in the real window under Xvfb, against a real server fed
 * by signpost-callgen: a Monday replayed once for the program, then what
 * the page shows is checked against what the server itself answers (the
 * headline numbers, the charts' numbers, the staffing, the exports), live
 * updates from calls made now, and that a navigator cannot get at it.
 */

#define TIMEOUT_MS 240000
#define MONDAY "2026-11-16"

static SignpostApplication *app;
static TestServer *server;
static char *practice_id; /* Riverside, Y99901 */
static char *token;       /* the manager's, for asking the server directly */

typedef struct {
  SignpostWindow *window;
  SignpostLoadPage *page;
} Fixture;

/* ---- the server and the simulator -------------------------------------------------- */

typedef struct {
  char *out;
  gboolean done;
  GError *error;
} Communicate;

static void
communicated (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Communicate *c = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &c->out, NULL, &c->error);
  c->done = TRUE;
}

static gboolean
communicate_done (gpointer data)
{
  return ((Communicate *) data)->done;
}

/* Runs signpost-callgen against the server to its end; returns "events
 * accepted" from its summary. */
static guint
run_callgen (const char *first_arg,
             ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) callgen = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) regex = g_regex_new ("^  events accepted +([0-9]+)$", G_REGEX_MULTILINE, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *digits = NULL;
  Communicate c = { 0, };
  va_list args;

  g_ptr_array_add (argv, (char *) g_getenv ("SIGNPOST_CALLGEN_BIN"));
  g_ptr_array_add (argv, (char *) "--server");
  g_ptr_array_add (argv, (char *) test_server_get_direct_url (server));
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  callgen = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (callgen, NULL, NULL, communicated, &c);
  g_assert_true (test_wait_until (communicate_done, &c, TIMEOUT_MS));
  g_assert_no_error (c.error);
  g_assert_true (g_subprocess_get_if_exited (callgen));
  g_assert_cmpint (g_subprocess_get_exit_status (callgen), ==, 0);
  if (!g_regex_match (regex, c.out, 0, &match))
    g_error ("No summary from signpost-callgen:\n%s", c.out);
  digits = g_match_info_fetch (match, 1);
  g_free (c.out);
  return (guint) g_ascii_strtoull (digits, NULL, 10);
}

static JsonObject *server_get (const char *format,
                               ...) G_GNUC_PRINTF (1, 2);

static JsonObject *
server_get (const char *format,
            ...)
{
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) node = NULL;
  guint status = 0;
  va_list args;

  va_start (args, format);
  path = g_strdup_vprintf (format, args);
  va_end (args);
  node = test_server_request (server, token, "GET", path, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

/* A number, NaN for null. */
static double
number (JsonObject *object,
        const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  g_assert_nonnull (node);
  return JSON_NODE_HOLDS_NULL (node) ? NAN : json_node_get_double (node);
}

static void
assert_same_number (double      shown,
                    double      server_value,
                    const char *what,
                    guint       row)
{
  if ((isnan (shown) && isnan (server_value)) || fabs (shown - server_value) < 1e-9)
    return;
  g_error ("%s at row %u: the page has %g, the server %g", what, row, shown, server_value);
}

/* ---- the window -------------------------------------------------------------------- */

/* One window for the program: signing in takes seconds (the password is
 * hashed for working offline), so the manager stays signed in from one
 * test to the next, as a manager at a desk would. */
static SignpostWindow *window;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->window = window;
  f->page = SIGNPOST_LOAD_PAGE (display_find_widget_of_type (GTK_WIDGET (f->window), SIGNPOST_TYPE_LOAD_PAGE));
  g_assert_nonnull (f->page);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  /* Back to the day view and its defaults for the next test. */
  if (signpost_window_get_signed_in (f->window))
    {
      signpost_load_page_set_view (f->page, "day");
      signpost_load_page_set_compare (f->page, FALSE);
      signpost_load_page_set_staffing_target (f->page, 0.8, 20, NAN);
    }
}

static void
sign_in_as (Fixture    *f,
            const char *username)
{
  SignpostSyncEngine *engine = signpost_window_get_engine (f->window);

  if (signpost_window_get_signed_in (f->window) &&
      g_strcmp0 (signpost_sync_engine_get_username (engine), username) == 0)
    return;
  display_sign_out (f->window);
  display_sign_in (f->window, server, username, FALSE);
}

static gboolean
page_ready (gpointer data)
{
  return signpost_load_page_get_practice_id (data) != NULL;
}

static gboolean
page_settled (gpointer data)
{
  Fixture *f = data;

  if (signpost_load_page_get_error (f->page) != NULL)
    g_error ("The load page: %s", signpost_load_page_get_error (f->page));
  return signpost_load_page_get_settled (f->page);
}

static void
wait_settled (Fixture *f)
{
  g_assert_true (test_wait_until (page_settled, f, TIMEOUT_MS));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
}

/* The manager, on the load page, looking at Riverside on @date. */
static void
show_day (Fixture    *f,
          const char *date)
{
  GDate day;

  sign_in_as (f, "manager");
  g_assert_cmpstr (signpost_window_get_visible_page (f->window), ==, "load");
  g_assert_true (test_wait_until (page_ready, f->page, TIMEOUT_MS));
  signpost_load_page_set_practice_id (f->page, practice_id);
  g_assert_cmpstr (signpost_load_page_get_practice_id (f->page), ==, practice_id);
  g_date_clear (&day, 1);
  g_assert_true (signpost_date_parse (date, &day, NULL));
  signpost_load_page_set_date (f->page, &day);
  wait_settled (f);
}

static SignpostChart *
chart (Fixture    *f,
       const char *name)
{
  return signpost_chart_panel_get_chart (signpost_load_page_get_panel (f->page, name));
}

/* ---- what the page shows against what the server says ------------------------------- */

static char *
expected_duration (double seconds)
{
  guint whole;

  if (isnan (seconds))
    return g_strdup ("—");
  whole = (guint) llround (seconds);
  if (whole < 60)
    return g_strdup_printf ("%u s", whole);
  if (whole < 3600)
    return g_strdup_printf ("%u min %02u s", whole / 60, whole % 60);
  return g_strdup_printf ("%u h %02u min", whole / 3600, whole % 3600 / 60);
}

static char *
expected_share (double share)
{
  return isnan (share) ? g_strdup ("—") : g_strdup_printf ("%.1f%%", share * 100.0);
}

static void
assert_headlines (Fixture    *f,
                  JsonObject *day)
{
  JsonObject *totals = json_object_get_object_member (day, "totals");
  double offered = number (totals, "offered");
  g_autofree char *calls = g_strdup_printf ("%.0f", offered);
  g_autofree char *answered = expected_share (number (totals, "service_level"));
  g_autofree char *abandoned = expected_share (offered > 0 ? number (totals, "abandoned") / offered : NAN);
  g_autofree char *longest = expected_duration (number (totals, "longest_wait_s"));
  g_autofree char *callbacks = g_strdup_printf ("%.0f", number (totals, "callbacks_requested") -
                                                        number (totals, "callbacks_made"));

  g_assert_cmpstr (signpost_load_page_get_headline (f->page, SIGNPOST_LOAD_HEADLINE_CALLS), ==, calls);
  g_assert_cmpstr (signpost_load_page_get_headline (f->page, SIGNPOST_LOAD_HEADLINE_ANSWERED), ==, answered);
  g_assert_cmpstr (signpost_load_page_get_headline (f->page, SIGNPOST_LOAD_HEADLINE_ABANDONED), ==, abandoned);
  g_assert_cmpstr (signpost_load_page_get_headline (f->page, SIGNPOST_LOAD_HEADLINE_LONGEST), ==, longest);
  g_assert_cmpstr (signpost_load_page_get_headline (f->page, SIGNPOST_LOAD_HEADLINE_CALLBACKS), ==, callbacks);
}

static void
test_day (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(JsonObject) day = NULL;
  JsonArray *intervals;
  SignpostChart *calls, *waits;
  SignpostChartPanel *panel;
  static const struct { guint series; const char *field; } call_fields[] = {
    { 0, "answered" }, { 1, "callbacks_requested" }, { 2, "abandoned" }, { 3, "missed" }, { 6, "offered" },
    { 7, "service_level" },
  };
  static const struct { guint series; const char *field; } wait_fields[] = {
    { 0, "mean_wait_s" }, { 1, "longest_wait_s" }, { 2, "mean_abandon_s" }, { 3, "mean_talk_s" },
  };

  show_day (f, MONDAY);
  day = server_get ("stats/day?practice=%s&date=%s", practice_id, MONDAY);
  intervals = json_object_get_array_member (day, "intervals");
  g_assert_cmpfloat (number (json_object_get_object_member (day, "totals"), "offered"), >, 100);

  /* The headline numbers are the server's. */
  assert_headlines (f, day);

  /* So are the charts', interval by interval. */
  calls = chart (f, "calls");
  waits = chart (f, "waits");
  g_assert_cmpuint (g_list_model_get_n_items (signpost_chart_get_rows (calls)), ==, json_array_get_length (intervals));
  for (guint i = 0; i < json_array_get_length (intervals); i++)
    {
      JsonObject *interval = json_array_get_object_element (intervals, i);

      for (guint k = 0; k < G_N_ELEMENTS (call_fields); k++)
        assert_same_number (signpost_chart_get_value (calls, i, call_fields[k].series),
                            number (interval, call_fields[k].field), call_fields[k].field, i);
      for (guint k = 0; k < G_N_ELEMENTS (wait_fields); k++)
        assert_same_number (signpost_chart_get_value (waits, i, wait_fields[k].series),
                            number (interval, wait_fields[k].field), wait_fields[k].field, i);
    }
  /* The surge is drawn: the hours shown start at 08:00, the phones opening. */
  g_assert_cmpuint (signpost_chart_get_first_shown (calls), ==, 32);
  g_assert_cmpuint (signpost_chart_get_first_shown (waits), ==, 32);
  {
    g_autofree char *description = signpost_chart_describe (calls);
    g_autofree char *answered = g_strdup_printf ("Answered: %.0f in all",
                                                 number (json_object_get_object_member (day, "totals"), "answered"));
    g_assert_nonnull (strstr (description, answered));
    g_assert_true (g_str_has_prefix (description, "From 08:00–08:15 to "));
  }

  /* The table holds the same numbers, shown when asked for. */
  panel = signpost_load_page_get_panel (f->page, "calls");
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (signpost_chart_panel_get_table (panel))));
  signpost_chart_panel_set_show_table (panel, TRUE);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (signpost_chart_panel_get_table (panel))));
  {
    JsonObject *eight = json_array_get_object_element (intervals, 32);
    g_autofree char *time = signpost_chart_panel_get_cell_text (panel, 0, 0);
    g_autofree char *offered = signpost_chart_panel_get_cell_text (panel, 0, 7);
    g_autofree char *want = g_strdup_printf ("%.0f", number (eight, "offered"));

    g_assert_cmpstr (time, ==, "08:00–08:15");
    g_assert_cmpstr (offered, ==, want);
  }
  signpost_chart_panel_set_show_table (panel, FALSE);

  /* A day of no calls says so instead of drawing nothing. */
  {
    GDate before;
    g_autoptr(JsonObject) empty = NULL;
    g_autofree char *description = NULL;

    g_date_clear (&before, 1);
    g_date_set_dmy (&before, 1, G_DATE_NOVEMBER, 2026);
    signpost_load_page_set_date (f->page, &before);
    wait_settled (f);
    empty = server_get ("stats/day?practice=%s&date=2026-11-01", practice_id);
    assert_headlines (f, empty);
    g_assert_cmpstr (signpost_load_page_get_headline (f->page, SIGNPOST_LOAD_HEADLINE_CALLS), ==, "0");
    description = signpost_chart_describe (calls);
    g_assert_cmpstr (description, ==, "No calls on this day");
  }
}

static void
assert_staffing (Fixture    *f,
                 JsonObject *staffing)
{
  JsonArray *intervals = json_object_get_array_member (staffing, "intervals");
  SignpostChart *staff = chart (f, "staffing");
  guint needing = 0;

  g_assert_cmpuint (g_list_model_get_n_items (signpost_chart_get_rows (staff)), ==, json_array_get_length (intervals));
  for (guint i = 0; i < json_array_get_length (intervals); i++)
    {
      JsonObject *interval = json_array_get_object_element (intervals, i);
      double needed = number (interval, "needed");

      assert_same_number (signpost_chart_get_value (staff, i, 0), number (interval, "on_phones"), "on_phones", i);
      assert_same_number (signpost_chart_get_value (staff, i, 1), needed, "needed", i);
      assert_same_number (signpost_chart_get_value (staff, i, 3), number (interval, "offered"), "offered", i);
      assert_same_number (signpost_chart_get_value (staff, i, 4), number (interval, "aht_s"), "aht_s", i);
      assert_same_number (signpost_chart_get_value (staff, i, 5), number (interval, "traffic_erlangs"), "traffic", i);
      if (needed > 0)
        needing++;
    }
  g_assert_cmpuint (needing, >, 10);
}

static void
test_staffing (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(JsonObject) staffing = NULL;
  g_autoptr(JsonObject) stricter = NULL;
  SignpostChartPanel *panel;

  show_day (f, MONDAY);
  signpost_load_page_set_view (f->page, "staffing");
  wait_settled (f);
  panel = signpost_load_page_get_panel (f->page, "staffing");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (panel)));

  /* The default target, 80% within 20 s. */
  staffing = server_get ("stats/staffing?practice=%s&date=%s", practice_id, MONDAY);
  g_assert_cmpfloat (number (staffing, "target"), ==, 0.8);
  assert_staffing (f, staffing);

  /* The manager's own target and handling time. */
  signpost_load_page_set_staffing_target (f->page, 0.9, 30, 200);
  wait_settled (f);
  stricter = server_get ("stats/staffing?practice=%s&date=%s&target=0.9&within=30&aht=200", practice_id, MONDAY);
  assert_staffing (f, stricter);
  {
    /* The gap, in the table, in numbers. */
    g_autofree char *needed = signpost_chart_panel_get_cell_text (panel, 0, 2);
    g_autofree char *on_phones = signpost_chart_panel_get_cell_text (panel, 0, 1);
    g_autofree char *short_by = signpost_chart_panel_get_cell_text (panel, 0, 3);
    g_autofree char *want = g_strdup_printf ("%.0f", MAX (g_ascii_strtod (needed, NULL) - g_ascii_strtod (on_phones, NULL), 0));

    g_assert_cmpstr (short_by, ==, want);
    g_assert_cmpfloat (g_ascii_strtod (short_by, NULL), >, 0);
  }
}

static void
test_compare (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(JsonObject) monday = NULL;
  JsonArray *intervals;
  SignpostChart *calls;
  SignpostChartSeries *average;

  /* The Monday after the replayed one: of its four weeks before, only
   * the replayed Monday had calls. */
  show_day (f, "2026-11-23");
  calls = chart (f, "calls");
  average = signpost_chart_get_series_at (calls, 5);
  g_assert_false (signpost_chart_series_get_visible (average));
  g_assert_true (isnan (signpost_chart_get_value (calls, 32, 5)));

  gtk_widget_activate_action (GTK_WIDGET (f->page), "load.compare", NULL);
  wait_settled (f);
  g_assert_true (signpost_chart_series_get_visible (average));
  g_assert_cmpstr (signpost_chart_series_get_title (average), ==, "Average of the 4 Mondays before");

  monday = server_get ("stats/day?practice=%s&date=%s", practice_id, MONDAY);
  intervals = json_object_get_array_member (monday, "intervals");
  for (guint i = 0; i < json_array_get_length (intervals); i++)
    assert_same_number (signpost_chart_get_value (calls, i, 5),
                        number (json_array_get_object_element (intervals, i), "offered") / 4.0, "average", i);
}

/* ---- exports ------------------------------------------------------------------------- */

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
result_ready (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static GBytes *
server_get_raw (const char *path)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (test_server_get_direct_url (server), "/api/v1/", path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(GError) error = NULL;
  GBytes *body;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  return body;
}

/* The fields of the CSV's last record (the totals), read by RFC 4180. */
static GStrv
last_record (const char *text,
             guint      *n_records)
{
  g_autoptr(GStrvBuilder) fields = g_strv_builder_new ();
  g_autoptr(GString) field = g_string_new (NULL);
  GStrv last = NULL;

  *n_records = 0;
  for (const char *p = text; *p != '\0';)
    {
      if (*p == '"')
        {
          for (p++; !(*p == '"' && p[1] != '"'); p++)
            {
              g_assert_true (*p != '\0');
              if (*p == '"')
                p++;
              g_string_append_c (field, *p);
            }
          p++;
        }
      else if (*p == ',' || *p == '\r')
        {
          g_strv_builder_add (fields, field->str);
          g_string_truncate (field, 0);
          if (*p == '\r')
            {
              g_assert_true (p[1] == '\n');
              g_strfreev (last);
              last = g_strv_builder_end (fields);
              g_clear_pointer (&fields, g_strv_builder_unref);
              fields = g_strv_builder_new ();
              (*n_records)++;
              p++;
            }
          p++;
        }
      else
        g_string_append_c (field, *p++);
    }
  g_assert_cmpuint (field->len, ==, 0);
  return last;
}

static void
test_exports (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("signpost-export-XXXXXX", &error);
  g_autofree char *day_path = g_build_filename (dir, "day.csv", NULL);
  g_autofree char *cbt_path = g_build_filename (dir, "cbt.csv", NULL);
  g_autoptr(GFile) day_file = g_file_new_for_path (day_path);
  g_autoptr(GFile) cbt_file = g_file_new_for_path (cbt_path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) day = NULL;
  g_autoptr(GBytes) server_cbt = NULL;
  g_autofree char *text = NULL;
  g_autofree char *cbt_path_query = NULL;
  g_auto(GStrv) totals_row = NULL;
  gsize length;
  guint n_records;
  JsonObject *totals;
  static const struct { guint column; const char *field; } columns[] = {
    { 5, "offered" }, { 6, "answered" }, { 7, "abandoned" }, { 8, "missed" }, { 9, "callbacks_requested" },
    { 10, "callbacks_made" }, { 11, "mean_wait_s" }, { 12, "longest_wait_s" }, { 13, "mean_abandon_s" },
    { 14, "mean_talk_s" }, { 15, "service_level" },
  };

  g_assert_no_error (error);
  show_day (f, MONDAY);

  /* The day's CSV: its totals are the server's. */
  signpost_load_page_save_day_csv_async (f->page, day_file, NULL, store_result, &result);
  g_assert_true (test_wait_until (result_ready, &result, TIMEOUT_MS));
  g_assert_true (signpost_load_page_save_day_csv_finish (f->page, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_true (g_file_get_contents (day_path, &text, &length, &error));
  day = server_get ("stats/day?practice=%s&date=%s", practice_id, MONDAY);
  totals = json_object_get_object_member (day, "totals");
  totals_row = last_record (text, &n_records);
  g_assert_cmpuint (n_records, ==, 2 + json_array_get_length (json_object_get_array_member (day, "intervals")));
  g_assert_cmpstr (totals_row[0], ==, "Riverside Medical Practice");
  g_assert_cmpstr (totals_row[1], ==, MONDAY);
  g_assert_cmpstr (totals_row[2], ==, "total");
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    assert_same_number (*totals_row[columns[i].column] ? g_ascii_strtod (totals_row[columns[i].column], NULL) : NAN,
                        number (totals, columns[i].field), columns[i].field, 0);

  /* The month's telephony CSV: byte for byte what the server exports. */
  signpost_load_page_save_cbt_csv_async (f->page, cbt_file, NULL, store_result, &result);
  g_assert_true (test_wait_until (result_ready, &result, TIMEOUT_MS));
  g_assert_true (signpost_load_page_save_cbt_csv_finish (f->page, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_get_contents (cbt_path, &text, &length, &error));
  cbt_path_query = g_strdup_printf ("stats/cbt-export?practice=%s&month=2026-11", practice_id);
  server_cbt = server_get_raw (cbt_path_query);
  g_assert_cmpuint (length, ==, g_bytes_get_size (server_cbt));
  g_assert_true (memcmp (text, g_bytes_get_data (server_cbt, NULL), length) == 0);
  g_assert_nonnull (strstr (text, "Y99901,Riverside Medical Practice," MONDAY ","));

  g_unlink (day_path);
  g_unlink (cbt_path);
  g_rmdir (dir);
}

/* ---- live ---------------------------------------------------------------------------- */

typedef struct {
  Fixture *f;
  guint requests;
  char *status;
} Moved;

static gboolean
status_moved (gpointer data)
{
  Moved *moved = data;

  return signpost_load_page_get_n_day_requests (moved->f->page) >= moved->requests + 2 &&
         signpost_load_page_get_settled (moved->f->page) &&
         g_strcmp0 (signpost_load_page_get_status (moved->f->page), moved->status) != 0;
}

static gboolean
time_passed (gpointer data)
{
  return g_get_monotonic_time () >= *(gint64 *) data;
}

/* With no call at all, today's figures are fetched again on the page's
 * tick and "Live, updated …" moves on; out of sight, nothing is asked. */
static void
test_live_ticks (Fixture       *f,
                 gconstpointer  data)
{
  Moved moved = { f, 0, NULL };
  guint hidden_requests;
  gint64 until;
  g_auto(GStrv) pages = NULL;
  const char *other;

  sign_in_as (f, "manager");
  g_assert_true (test_wait_until (page_ready, f->page, TIMEOUT_MS));
  signpost_load_page_set_practice_id (f->page, practice_id);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "load.today", NULL);
  wait_settled (f);
  g_assert_true (signpost_load_page_get_live (f->page));
  g_assert_true (g_str_has_prefix (signpost_load_page_get_status (f->page), "Live, updated "));

  moved.requests = signpost_load_page_get_n_day_requests (f->page);
  moved.status = g_strdup (signpost_load_page_get_status (f->page));
  signpost_load_page_set_live_refresh_ms (f->page, 700);
  g_assert_true (test_wait_until (status_moved, &moved, TIMEOUT_MS));
  g_assert_true (g_str_has_prefix (signpost_load_page_get_status (f->page), "Live, updated "));

  /* Out of sight (the manager went to another page): the tick stops. */
  pages = signpost_window_list_visible_pages (f->window);
  other = g_str_equal (pages[0], "load") ? pages[1] : pages[0];
  g_assert_nonnull (other);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-page", "s", other);
  g_assert_cmpstr (signpost_window_get_visible_page (f->window), ==, other);
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (f->page)));
  hidden_requests = signpost_load_page_get_n_day_requests (f->page);
  until = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  g_assert_true (test_wait_until (time_passed, &until, TIMEOUT_MS));
  g_assert_cmpuint (signpost_load_page_get_n_day_requests (f->page), ==, hidden_requests);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-page", "s", "load");
  g_assert_cmpstr (signpost_window_get_visible_page (f->window), ==, "load");

  signpost_load_page_set_live_refresh_ms (f->page, 60 * 1000);
  g_free (moved.status);
}

typedef struct {
  Fixture *f;
  char *calls;
} Expect;

static gboolean
headline_is (gpointer data)
{
  Expect *expect = data;
  return signpost_load_page_get_settled (expect->f->page) &&
         g_strcmp0 (signpost_load_page_get_headline (expect->f->page, SIGNPOST_LOAD_HEADLINE_CALLS), expect->calls) == 0;
}

static gboolean
requests_above (gpointer data)
{
  gpointer *args = data;
  return signpost_load_page_get_n_day_requests (args[0]) > GPOINTER_TO_UINT (args[1]);
}

static gboolean
engine_connected (gpointer data)
{
  SignpostSyncState state = signpost_sync_engine_get_state (data);
  return state == SIGNPOST_SYNC_STATE_SYNCING || state == SIGNPOST_SYNC_STATE_ONLINE;
}

static void
test_live (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autofree char *today = NULL;
  guint requests, events, appointments_revision, triage_revision, calls_revision;
  gint64 started;
  double elapsed_s;
  Expect expect = { f, NULL };

  sign_in_as (f, "manager");
  g_assert_true (test_wait_until (page_ready, f->page, TIMEOUT_MS));
  signpost_load_page_set_practice_id (f->page, practice_id);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "load.today", NULL);
  wait_settled (f);
  g_assert_true (signpost_load_page_get_live (f->page));
  today = signpost_load_page_dup_date (f->page);
  before = server_get ("stats/day?practice=%s&date=%s", practice_id, today);
  assert_headlines (f, before);

  requests = signpost_load_page_get_n_day_requests (f->page);
  appointments_revision = signpost_chart_get_revision (chart (f, "appointments"));
  triage_revision = signpost_chart_get_revision (chart (f, "triage"));
  calls_revision = signpost_chart_get_revision (chart (f, "calls"));

  /* Connected, so that call events reach the page. */
  g_assert_true (test_wait_until (engine_connected, signpost_window_get_engine (f->window), TIMEOUT_MS));

  /* Calls now, with nobody answering: offered, then hung up. */
  started = g_get_monotonic_time ();
  events = run_callgen ("--rate", "5", "--duration", "4", "--seed", "21", NULL);
  after = server_get ("stats/day?practice=%s&date=%s", practice_id, today);
  expect.calls = g_strdup_printf ("%.0f", number (json_object_get_object_member (after, "totals"), "offered"));
  g_assert_true (test_wait_until (headline_is, &expect, TIMEOUT_MS));
  elapsed_s = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
  g_clear_pointer (&after, json_object_unref);
  after = server_get ("stats/day?practice=%s&date=%s", practice_id, today);
  assert_headlines (f, after);
  g_free (expect.calls);

  /* Fewer requests than events: coalesced, one per few seconds at most. */
  g_test_message ("%u events in %.1f s, %u requests for /stats/day", events, elapsed_s,
                  signpost_load_page_get_n_day_requests (f->page) - requests);
  g_assert_cmpuint (events, >, 20);
  g_assert_cmpuint (signpost_load_page_get_n_day_requests (f->page) - requests, >=, 1);
  g_assert_cmpuint (signpost_load_page_get_n_day_requests (f->page) - requests, <=, (guint) (elapsed_s / 3.0) + 2);
  g_assert_cmpuint (signpost_load_page_get_n_day_requests (f->page) - requests, <, events);

  /* Only the charts whose numbers changed were drawn again (the waits
   * chart's table has the time before hanging up, so it may have). */
  g_assert_cmpuint (signpost_chart_get_revision (chart (f, "calls")), >, calls_revision);
  g_assert_cmpuint (signpost_chart_get_revision (chart (f, "appointments")), ==, appointments_revision);
  g_assert_cmpuint (signpost_chart_get_revision (chart (f, "triage")), ==, triage_revision);

  /* An event that changes nothing on the server: asked again, nothing redrawn. */
  {
    SignpostCallHub *hub = signpost_sync_engine_get_call_hub (signpost_window_get_engine (f->window));
    g_autoptr(SignpostCallEvent) event = signpost_call_event_new (SIGNPOST_CALL_EVENT_OFFERED, "no-such-call",
                                                                  practice_id, NULL, NULL, NULL);
    gpointer args[2] = { f->page, GUINT_TO_POINTER (signpost_load_page_get_n_day_requests (f->page)) };

    calls_revision = signpost_chart_get_revision (chart (f, "calls"));
    signpost_call_hub_dispatch (hub, event);
    g_assert_true (test_wait_until (requests_above, args, TIMEOUT_MS));
    wait_settled (f);
    g_assert_cmpuint (signpost_chart_get_revision (chart (f, "calls")), ==, calls_revision);
  }
}

/* ---- who may look ---------------------------------------------------------------------- */

static void
test_navigator_refused (Fixture       *f,
                        gconstpointer  data)
{
  g_auto(GStrv) pages = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path ("/nonexistent/never-written.csv");
  GDate monday;

  sign_in_as (f, "navigator");
  pages = signpost_window_list_visible_pages (f->window);
  g_assert_false (g_strv_contains ((const char * const *) pages, "load"));

  /* The page action (Alt+4 is this action) is refused. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-page", "s", "load");
  g_assert_cmpstr (signpost_window_get_visible_page (f->window), !=, "load");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (f->page)));

  /* The page itself does nothing for a navigator, whoever asks. */
  g_assert_null (signpost_load_page_get_practice_id (f->page));
  {
    /* Its actions are off (the buttons say so), and do nothing if called. */
    GtkWidget *today = display_find_widget (GTK_WIDGET (f->page), display_is_button_labelled, "Today");
    g_assert_nonnull (today);
    g_assert_false (gtk_widget_is_sensitive (today));
  }
  gtk_widget_activate_action (GTK_WIDGET (f->page), "load.refresh", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "load.today", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "load.show-view", "s", "staffing");
  g_date_clear (&monday, 1);
  g_date_set_dmy (&monday, 16, G_DATE_NOVEMBER, 2026);
  signpost_load_page_set_date (f->page, &monday);
  signpost_load_page_set_practice_id (f->page, practice_id);
  g_assert_null (signpost_load_page_dup_date (f->page));
  signpost_load_page_save_cbt_csv_async (f->page, file, NULL, store_result, &result);
  g_assert_true (test_wait_until (result_ready, &result, TIMEOUT_MS));
  g_assert_false (signpost_load_page_save_cbt_csv_finish (f->page, result, &error));
  g_assert_error (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_FORBIDDEN);
  g_assert_cmpuint (signpost_load_page_get_n_day_requests (f->page), ==, 0);
  g_assert_cmpstr (signpost_load_page_get_headline (f->page, SIGNPOST_LOAD_HEADLINE_CALLS), ==, "—");
}

/* The numbers of one signed-in manager are gone when a navigator signs in
 * at the same PC. */
static void
test_signed_out_forgets (Fixture       *f,
                         gconstpointer  data)
{
  show_day (f, MONDAY);
  g_assert_cmpstr (signpost_load_page_get_headline (f->page, SIGNPOST_LOAD_HEADLINE_CALLS), !=, "—");
  display_sign_out (f->window);
  g_assert_null (signpost_load_page_get_practice_id (f->page));
  g_assert_cmpuint (g_list_model_get_n_items (signpost_chart_get_shown_rows (chart (f, "calls"))), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = g_dir_make_tmp ("signpost-load-display-XXXXXX", NULL);
  int status;

  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  gtk_test_init (&argc, &argv, NULL);

  app = signpost_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

  /* One server for the program, with a Monday replayed into it. */
  server = test_server_new ();
  token = test_server_login (server, "manager");
  {
    g_autoptr(GHashTable) practices = test_server_fetch_records (server, token, "practice");
    GHashTableIter iter;
    gpointer id, record;

    g_hash_table_iter_init (&iter, practices);
    while (g_hash_table_iter_next (&iter, &id, &record))
      if (g_strcmp0 (json_object_get_string_member (record, "ods_code"), "Y99901") == 0)
        practice_id = g_strdup (id);
    g_assert_nonnull (practice_id);
  }
  run_callgen ("--replay", MONDAY, "--seed", "3", "--navigators", "4", "--handle-time", "150", NULL);

#define ADD(path, func) \
  g_test_add ("/signpost/load-display/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("navigator-refused", test_navigator_refused);
  ADD ("day", test_day);
  ADD ("staffing", test_staffing);
  ADD ("compare", test_compare);
  ADD ("exports", test_exports);
  ADD ("live", test_live);
  ADD ("live-ticks", test_live_ticks);
  ADD ("signed-out-forgets", test_signed_out_forgets);
#undef ADD

  window = signpost_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  status = g_test_run ();

  display_sign_out (window);
  gtk_window_destroy (GTK_WINDOW (window));
  test_server_free (server);
  g_free (practice_id);
  g_free (token);
  g_clear_object (&app);
  return status;
}
