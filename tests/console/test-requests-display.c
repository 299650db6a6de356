/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "console-display-util.h"
#include "console-test-online.h"
#include "console-test-server.h"
#include "signpost-application.h"
#include "signpost-duty-list-page.h"
#include "signpost-load-page.h"
#include "signpost-match-dialog.h"
#include "signpost-online-settings-window.h"
#include "signpost-patient-format.h"
#include "signpost-patient-search.h"
#include "signpost-request-details.h"
#include "signpost-request-row.h"
#include "signpost-requests-page.h"
#include "signpost-triage-form.h"
#include "signpost-window.h"

/*
 * The Requests page in the real window, against a real server under Xvfb:
 * an online request sent through the practice's form in headless chromium
 * (keyboard only, as the web suite fills it in) appears in a
 * navigator's list, is matched to the registered patient with the patient
 * search, opened in the navigation form and routed to the duty doctor,
 * and the duty doctor's console shows it. Then a manager's settings for
 * the form, with the warning about core hours.
 */

#define TIMEOUT_MS 120000

static SignpostApplication *app;
static SignpostWindow *main_window;

typedef struct {
  TestServer *server;
  SignpostWindow *window;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  SignpostSyncEngine *engine = signpost_application_get_engine (app);

  g_object_set (engine, "reconnect-min-ms", 100, "reconnect-max-ms", 500, NULL);
  f->server = test_server_new ();
  if (main_window == NULL)
    main_window = signpost_window_new (app);
  f->window = main_window;
  gtk_window_present (GTK_WINDOW (f->window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);
      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return GTK_WINDOW (window);
    }
  return NULL;
}

static gboolean
toplevel_shown (gpointer data)
{
  return find_toplevel (GPOINTER_TO_SIZE (data)) != NULL;
}

static gboolean
toplevel_gone (gpointer data)
{
  return find_toplevel (GPOINTER_TO_SIZE (data)) == NULL;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  display_sign_out (f->window);
  g_assert_true (test_wait_until (toplevel_gone, GSIZE_TO_POINTER (SIGNPOST_TYPE_TRIAGE_FORM), TIMEOUT_MS));
  test_server_free (f->server);
}

/* ---- the records -------------------------------------------------------------------------- */

/* A registered adult of the navigator's practice, with a postcode. */
static SignpostPatient *
registered_adult (SignpostCache *cache,
                  const char    *practice_id)
{
  g_autoptr(GPtrArray) patients = signpost_cache_list_records (cache, SIGNPOST_RECORD_PATIENT, NULL);

  for (guint i = 0; i < patients->len; i++)
    {
      SignpostPatient *patient = g_ptr_array_index (patients, i);

      if (g_strcmp0 (signpost_record_get_practice_id (SIGNPOST_RECORD (patient)), practice_id) == 0 &&
          signpost_patient_get_postcode (patient) != NULL && !signpost_patient_get_temporary (patient) &&
          g_strcmp0 (signpost_patient_get_date_of_birth (patient), "1990") < 0)
        return g_object_ref (patient);
    }
  g_assert_not_reached ();
}

static SignpostRequestsPage *
requests_page (Fixture *f)
{
  return SIGNPOST_REQUESTS_PAGE (display_find_widget_of_type (GTK_WIDGET (f->window), SIGNPOST_TYPE_REQUESTS_PAGE));
}

typedef struct {
  GListModel *model;
  const char *reference;
  guint position;
} Find;

static gboolean
reference_listed (gpointer data)
{
  Find *find = data;

  for (guint i = 0; find->model != NULL && i < g_list_model_get_n_items (find->model); i++)
    {
      g_autoptr(SignpostTriage) triage = g_list_model_get_item (find->model, i);

      if (g_strcmp0 (signpost_triage_get_reference (triage), find->reference) == 0)
        {
          find->position = i;
          return TRUE;
        }
    }
  return FALSE;
}

/* The row on screen that shows @triage_id. */
static gboolean
is_row_for (GtkWidget     *widget,
            gconstpointer  data)
{
  SignpostTriage *triage;

  if (!SIGNPOST_IS_REQUEST_ROW (widget))
    return FALSE;
  triage = signpost_request_row_get_triage (SIGNPOST_REQUEST_ROW (widget));
  return triage != NULL && g_strcmp0 (signpost_record_get_id (SIGNPOST_RECORD (triage)), data) == 0;
}

static gboolean
row_has_focus (gpointer data)
{
  GtkWidget *row = data;
  GtkRoot *root = gtk_widget_get_root (row);
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && (focus == row || focus == gtk_widget_get_parent (row));
}

static gboolean
is_entry_row_titled (GtkWidget     *widget,
                     gconstpointer  title)
{
  return ADW_IS_ENTRY_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

typedef struct {
  SignpostCache *cache;
  const char *id;
  const char *patient_id;
  int status;
} RecordWait;

static gboolean
request_settled (gpointer data)
{
  RecordWait *wait = data;
  g_autoptr(SignpostTriage) triage = signpost_cache_get_record (wait->cache, SIGNPOST_RECORD_TRIAGE, wait->id, NULL);

  return triage != NULL && !signpost_cache_record_is_pending (SIGNPOST_RECORD (triage)) &&
         g_strcmp0 (signpost_triage_get_patient_id (triage), wait->patient_id) == 0 &&
         (wait->status < 0 || (int) signpost_triage_get_status (triage) == wait->status);
}

static gboolean
list_lacks (gpointer data)
{
  Find *find = data;

  return !reference_listed (find);
}

static gboolean
duty_list_has (gpointer data)
{
  RecordWait *wait = data;
  SignpostDutyListPage *page =
    SIGNPOST_DUTY_LIST_PAGE (display_find_widget_of_type (GTK_WIDGET (main_window), SIGNPOST_TYPE_DUTY_LIST_PAGE));
  GListModel *model = signpost_duty_list_page_get_model (page);

  for (guint i = 0; model != NULL && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(SignpostTriage) triage = g_list_model_get_item (model, i);
      if (g_strcmp0 (signpost_record_get_id (SIGNPOST_RECORD (triage)), wait->id) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
badge_counts_one (gpointer data)
{
  return signpost_requests_page_get_n_attention (data) == 1;
}

static gboolean
search_has_results (gpointer data)
{
  GListModel *results = signpost_patient_search_get_results (data);

  return results != NULL && g_list_model_get_n_items (results) > 0;
}

/* ---- an online request, from the form to the duty doctor ------------------------------------------- */

static void
test_online_to_duty (Fixture       *f,
                     gconstpointer  data)
{
  SignpostSyncEngine *engine = signpost_window_get_engine (f->window);
  SignpostCache *cache;
  SignpostRequestsPage *page;
  g_autoptr(SignpostPatient) patient = NULL;
  g_autoptr(SignpostTriage) request = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *reference = NULL;
  g_autofree char *triage_id = NULL;
  const char *spoken;
  g_autofree char *details = NULL;
  g_auto(GStrv) pages = NULL;
  g_autoptr(GError) error = NULL;
  SignpostMatchDialog *dialog;
  SignpostPatientSearch *search;
  SignpostTriageForm *form;
  GtkWidget *row;
  Find find = { NULL, NULL, 0 };
  RecordWait wait = { NULL, NULL, NULL, -1 };
  TestOnlineRequest online = { NULL, NULL, NULL, "ZZ9 9ZZ", NULL,
                               "Dizzy spells since Sunday, worse when I stand up", "medical", "Since Sunday",
                               "To know what is causing it", NULL };

  display_sign_in (f->window, f->server, "navigator", TRUE);
  cache = signpost_sync_engine_get_cache (engine);
  pages = signpost_window_list_visible_pages (f->window);
  /* Beside the queue, and Alt+2 takes a navigator there. */
  g_assert_cmpstr (pages[0], ==, "queue");
  g_assert_cmpstr (pages[1], ==, "requests");
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-page", "s", "requests");
  g_assert_cmpstr (signpost_window_get_visible_page (f->window), ==, "requests");
  page = requests_page (f);

  /* A registered patient writes in with a postcode the practice does not
   * have: no strong match, so a navigator confirms who it is. */
  patient = registered_adult (cache, signpost_user_get_practice_ids (signpost_sync_engine_get_user (engine))[0]);
  online.given_name = signpost_patient_get_given_name (patient);
  online.family_name = signpost_patient_get_family_name (patient);
  online.date_of_birth = signpost_patient_get_date_of_birth (patient);
  test_online_open_round_the_clock (f->server, TEST_ONLINE_ODS);
  /* As the patient sends it: in a real browser, keyboard only (as a
   * browser posts it, where chromedriver is not installed). */
  reference = test_online_submit_in_browser (f->server, &online);
  if (reference == NULL)
    {
      g_test_message ("No chromedriver: the request is posted as a browser posts it");
      reference = test_online_submit (f->server, TEST_ONLINE_ODS, &online);
    }

  find.model = signpost_requests_page_get_model (page);
  find.reference = reference;
  g_assert_true (test_wait_until (reference_listed, &find, TIMEOUT_MS));
  request = g_list_model_get_item (find.model, find.position);
  triage_id = g_strdup (signpost_record_get_id (SIGNPOST_RECORD (request)));
  g_assert_null (signpost_triage_get_patient_id (request));
  g_assert_nonnull (strstr (signpost_requests_page_get_summary (page), "not matched yet"));

  /* Its row says what a navigator needs, in words a screen reader reads. */
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
  row = display_find_widget (GTK_WIDGET (page), is_row_for, triage_id);
  g_assert_nonnull (row);
  /* The page was shown with nothing in it: the first request to arrive
   * takes the keyboard from the channel filter, so Enter opens it. */
  g_assert_true (test_wait_until (row_has_focus, row, TIMEOUT_MS));
  g_assert_true (g_str_has_suffix (signpost_request_row_get_time_left (SIGNPOST_REQUEST_ROW (row)), " left"));
  g_assert_cmpstr (signpost_request_row_get_deadline_class (SIGNPOST_REQUEST_ROW (row)), ==, "deadline-ok");
  spoken = signpost_request_row_get_spoken (SIGNPOST_REQUEST_ROW (row));
  g_assert_nonnull (strstr (spoken, "Not matched yet: "));
  g_assert_nonnull (strstr (spoken, reference));
  g_assert_nonnull (strstr (spoken, "left, Reply by 18:30"));
  g_assert_nonnull (strstr (spoken, "Dizzy spells since Sunday"));
  g_assert_nonnull (strstr (spoken, "Answered no to all"));

  /* Matching: the search starts with the name and date of birth it gives;
   * Enter takes the highlighted patient. */
  gtk_widget_grab_focus (GTK_WIDGET (row));
  gtk_widget_activate_action (GTK_WIDGET (page), "requests.match", NULL);
  g_assert_true (test_wait_until (toplevel_shown, GSIZE_TO_POINTER (SIGNPOST_TYPE_MATCH_DIALOG), TIMEOUT_MS));
  dialog = SIGNPOST_MATCH_DIALOG (find_toplevel (SIGNPOST_TYPE_MATCH_DIALOG));
  search = SIGNPOST_PATIENT_SEARCH (signpost_match_dialog_get_search (dialog));
  g_assert_true (test_wait_until (search_has_results, search, TIMEOUT_MS));
  {
    g_autoptr(SignpostPatient) first = g_list_model_get_item (signpost_patient_search_get_results (search), 0);
    g_assert_cmpstr (signpost_record_get_id (SIGNPOST_RECORD (first)), ==,
                     signpost_record_get_id (SIGNPOST_RECORD (patient)));
  }
  signpost_patient_search_activate_selected (search);
  g_assert_true (test_wait_until (toplevel_gone, GSIZE_TO_POINTER (SIGNPOST_TYPE_MATCH_DIALOG), TIMEOUT_MS));
  wait.cache = cache;
  wait.id = triage_id;
  wait.patient_id = signpost_record_get_id (SIGNPOST_RECORD (patient));
  g_assert_true (test_wait_until (request_settled, &wait, TIMEOUT_MS));

  /* A Red request another navigator saved open (to book later) is counted
   * on the page switcher from any page. */
  {
    g_autofree char *token = test_server_login (f->server, "navigator");
    g_autofree char *id = g_uuid_string_random ();
    g_autofree char *body = g_strdup_printf (
      "{\"mutations\": [{\"mutation_id\": \"%s\", \"type\": \"triage\", \"op\": \"create\", \"id\": \"%s\","
      " \"data\": {\"practice_id\": \"%s\", \"patient_id\": \"%s\", \"reason\": \"Chest infection, worse today\","
      " \"urgency\": \"same_day\", \"status\": \"open\", \"contact_method\": \"phone\"}}]}",
      id, id, signpost_record_get_practice_id (SIGNPOST_RECORD (patient)),
      signpost_record_get_id (SIGNPOST_RECORD (patient)));
    g_autoptr(JsonNode) reply = NULL;
    AdwViewStack *stack;
    guint status = 0;

    gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-page", "s", "queue");
    reply = test_server_request (f->server, token, "POST", "mutations", body, &status);
    g_assert_cmpuint (status, ==, 200);
    g_assert_true (test_wait_until (badge_counts_one, page, TIMEOUT_MS));
    stack = ADW_VIEW_STACK (display_find_widget_of_type (GTK_WIDGET (f->window), ADW_TYPE_VIEW_STACK));
    g_assert_cmpuint (adw_view_stack_page_get_badge_number (adw_view_stack_get_page (stack, GTK_WIDGET (page))), ==, 1);
    g_assert_true (adw_view_stack_page_get_needs_attention (adw_view_stack_get_page (stack, GTK_WIDGET (page))));
    gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-page", "s", "requests");
  }

  /* Opening it: the form has what came with it; the urgency is the
   * navigator's to choose. */
  gtk_widget_activate_action (GTK_WIDGET (page), "requests.open", NULL);
  g_assert_true (test_wait_until (toplevel_shown, GSIZE_TO_POINTER (SIGNPOST_TYPE_TRIAGE_FORM), TIMEOUT_MS));
  form = SIGNPOST_TRIAGE_FORM (find_toplevel (SIGNPOST_TYPE_TRIAGE_FORM));
  g_assert_cmpstr (signpost_triage_form_get_triage_id (form), ==, triage_id);
  {
    SignpostRequestDetails *panel =
      SIGNPOST_REQUEST_DETAILS (display_find_widget_of_type (GTK_WIDGET (form), SIGNPOST_TYPE_REQUEST_DETAILS));
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (panel)));
    details = signpost_request_details_dup_text (panel);
    g_assert_nonnull (strstr (details, reference));
    g_assert_nonnull (strstr (details, "How long: Since Sunday"));
    g_assert_nonnull (strstr (details, "Hoping for: To know what is causing it"));
  }
  g_assert_null (signpost_triage_form_build (form, &error));
  g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID);
  g_clear_error (&error);

  /* Red: the duty doctor has it today, as for a call. */
  signpost_triage_form_set_urgency (form, SIGNPOST_URGENCY_SAME_DAY);
  g_assert_true (signpost_triage_form_save (form, &error));
  g_assert_no_error (error);
  gtk_window_close (GTK_WINDOW (form));
  wait.status = SIGNPOST_TRIAGE_AWAITING_DUTY;
  g_assert_true (test_wait_until (request_settled, &wait, TIMEOUT_MS));
  {
    g_autoptr(SignpostTriage) routed = signpost_cache_get_record (cache, SIGNPOST_RECORD_TRIAGE, triage_id, NULL);
    g_assert_cmpint (signpost_route_get_kind (signpost_triage_get_route (routed)), ==, SIGNPOST_ROUTE_DUTY);
    g_assert_cmpint (signpost_triage_get_outcome (routed), ==, SIGNPOST_OUTCOME_SENT_TO_DUTY);
    g_assert_cmpstr (signpost_triage_get_reference (routed), ==, reference);
  }
  /* Routed: no longer the navigators' to do. */
  g_assert_true (test_wait_until (list_lacks, &find, TIMEOUT_MS));

  /* The duty doctor's console has it. */
  display_sign_out (f->window);
  display_sign_in (f->window, f->server, "duty", TRUE);
  g_assert_true (test_wait_until (duty_list_has, &wait, TIMEOUT_MS));
}

/* ---- the manager's settings ---------------------------------------------------------------------- */

/* The request is on the load page: in its quarter hour, and as a bar. */
static gboolean
online_counted (gpointer data)
{
  SignpostLoadPage *load = data;
  SignpostChartPanel *waits = signpost_load_page_get_panel (load, "online-waits");
  SignpostChartPanel *requests = signpost_load_page_get_panel (load, "online");
  GListModel *rows;
  double total = 0;

  if (waits == NULL || requests == NULL || !signpost_load_page_get_settled (load))
    return FALSE;
  rows = signpost_chart_get_rows (signpost_chart_panel_get_chart (requests));
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(SignpostChartRow) row = g_list_model_get_item (rows, i);
      /* Medical, the first series. */
      if (!isnan (signpost_chart_row_get_value (row, 0)))
        total += signpost_chart_row_get_value (row, 0);
    }
  return total >= 1 && g_list_model_get_n_items (signpost_chart_get_rows (signpost_chart_panel_get_chart (waits))) >= 1;
}

static gboolean
limit_on_server (gpointer data)
{
  TestServer *server = data;
  g_autofree char *token = test_server_login (server, "manager");
  g_autoptr(GHashTable) practices = test_server_fetch_records (server, token, "practice");
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, practices);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (json_object_get_int_member_with_default (value, "online_medical_daily_limit", 0) == 30)
      return TRUE;
  return FALSE;
}

static void
test_online_settings (Fixture       *f,
                      gconstpointer  data)
{
  SignpostOnlineSettingsWindow *settings;
  g_autoptr(SignpostPractice) built = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *tuesday, *limit;

  /* Not for a navigator. */
  display_sign_in (f->window, f->server, "navigator", TRUE);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.online-settings", NULL);
  g_assert_null (find_toplevel (SIGNPOST_TYPE_ONLINE_SETTINGS_WINDOW));
  display_sign_out (f->window);

  display_sign_in (f->window, f->server, "manager", TRUE);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.online-settings", NULL);
  g_assert_true (test_wait_until (toplevel_shown, GSIZE_TO_POINTER (SIGNPOST_TYPE_ONLINE_SETTINGS_WINDOW), TIMEOUT_MS));
  settings = SIGNPOST_ONLINE_SETTINGS_WINDOW (find_toplevel (SIGNPOST_TYPE_ONLINE_SETTINGS_WINDOW));
  /* The default hours keep it open all through core hours. */
  g_assert_cmpstr (signpost_online_settings_window_get_warnings (settings), ==, "");

  /* Typed as a manager would: a half day on Tuesday, then a limit. */
  tuesday = display_find_widget (GTK_WIDGET (settings), is_entry_row_titled, "Tuesday");
  g_assert_nonnull (tuesday);
  gtk_editable_set_text (GTK_EDITABLE (tuesday), "8 till 1");
  g_assert_null (signpost_online_settings_window_build (settings, &error));
  g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Tuesday"));
  g_assert_true (gtk_widget_has_css_class (tuesday, "error"));
  g_clear_error (&error);
  gtk_editable_set_text (GTK_EDITABLE (tuesday), "08:00–13:00");
  g_assert_false (gtk_widget_has_css_class (tuesday, "error"));
  g_assert_nonnull (strstr (signpost_online_settings_window_get_warnings (settings), "Tuesdays"));
  limit = display_find_widget_of_type (GTK_WIDGET (settings), GTK_TYPE_SPIN_BUTTON);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (limit), 30);
  g_assert_nonnull (strstr (signpost_online_settings_window_get_warnings (settings), "A limit of 30"));

  built = signpost_online_settings_window_build (settings, &error);
  g_assert_no_error (error);
  g_assert_cmpint (signpost_practice_get_online_medical_daily_limit (built), ==, 30);
  g_assert_true (signpost_online_settings_window_save (settings, &error));
  g_assert_no_error (error);
  gtk_window_destroy (GTK_WINDOW (settings));

  /* On the server, as a patient's form would find it. */
  g_assert_true (test_wait_until (limit_on_server, f->server, TIMEOUT_MS));

  /* The load page counts a request sent now, and how long it has waited. */
  {
    TestOnlineRequest online = { "Ada", "Testcase", "1980-02-29", "LS1 4AP", NULL, "A cough", "medical",
                                 "A week", NULL, NULL };
    g_autofree char *reference = NULL;
    SignpostLoadPage *load;

    test_online_open_round_the_clock (f->server, TEST_ONLINE_ODS);
    reference = test_online_submit (f->server, TEST_ONLINE_ODS, &online);
    gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-page", "s", "load");
    load = SIGNPOST_LOAD_PAGE (display_find_widget_of_type (GTK_WIDGET (f->window), SIGNPOST_TYPE_LOAD_PAGE));
    gtk_widget_activate_action (GTK_WIDGET (load), "load.refresh", NULL);
    g_assert_true (test_wait_until (online_counted, load, TIMEOUT_MS));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = g_dir_make_tmp ("signpost-requests-XXXXXX", NULL);
  int status;

  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  /* A small demo hub keeps each sign-in quick. */
  g_setenv ("SIGNPOST_TEST_DEMO_SCALE", "0.05", FALSE);
  gtk_test_init (&argc, &argv, NULL);

  app = signpost_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

#define ADD(path, func) \
  g_test_add ("/signpost/requests-display/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("online-to-duty", test_online_to_duty);
  ADD ("online-settings", test_online_settings);
#undef ADD

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
