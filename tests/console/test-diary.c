/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "console-display-util.h"
#include "console-test-server.h"
#include "signpost-application.h"
#include "signpost-booking-conflict-dialog.h"
#include "signpost-booking-dialog.h"
#include "signpost-diary-format.h"
#include "signpost-diary-page.h"
#include "signpost-patient-format.h"
#include "signpost-patient-search.h"
#include "signpost-slot-cell.h"
#include "signpost-window.h"

/* The diary against a real demo server under Xvfb: booking a slot (and
 * the warnings, arrived, cancel), two consoles racing for one slot, a
 * booking made offline that someone else took meanwhile, the days the
 * clocks change, a request from triage opened pre-filtered and booked,
 * and the printed day list as a PDF. */

#define TIMEOUT_MS 120000

static SignpostApplication *app;
/* One window for the whole program: destroying the main window runs the
 * other pages' dispose, and the duty list page (HEAD) unparents its bin
 * child twice there, a critical that is not the diary's to test. */
static SignpostWindow *main_window;
/* One server too: starting is quick, but stopping waits for the live
 * connections to wind down. Each test takes slots no other test uses. */
static TestServer *shared_server;

typedef struct {
  TestServer *server;
  SignpostWindow *window;
  SignpostDiaryPage *page;
  SignpostSyncEngine *other;       /* a second console, when a test needs one */
  GtkWindow *other_window;
  SignpostDiaryPage *other_page;
  char *token;                     /* the "duty" user's, to read the server */
  gint64 since;                    /* the server's changes before the test */
} Fixture;

/* ---- finding things ------------------------------------------------------------------ */

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);
      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return window;
    }
  return NULL;
}

static gboolean
toplevel_present (gpointer data)
{
  return find_toplevel (GPOINTER_TO_SIZE (data)) != NULL;
}

/* ---- waiting --------------------------------------------------------------------------- */

static gboolean
caught_up (gpointer data)
{
  SignpostSyncEngine *engine = data;

  return signpost_sync_engine_get_state (engine) == SIGNPOST_SYNC_STATE_ONLINE &&
         !signpost_sync_engine_get_first_sync (engine);
}

static gboolean
is_offline (gpointer data)
{
  return signpost_sync_engine_get_state (data) == SIGNPOST_SYNC_STATE_OFFLINE;
}

static gboolean
outbox_sent (gpointer data)
{
  SignpostSyncEngine *engine = data;

  return signpost_outbox_get_n_waiting (signpost_sync_engine_get_outbox (engine)) == 0 && caught_up (engine);
}

static void
wait_sent (SignpostSyncEngine *engine)
{
  g_assert_true (test_wait_until (outbox_sent, engine, TIMEOUT_MS));
}

static gboolean
engine_signed_out (gpointer data)
{
  return !signpost_sync_engine_get_logged_in (data);
}

static gboolean
window_signed_in (gpointer data)
{
  return signpost_window_get_signed_in (data);
}

/* ---- signing in ------------------------------------------------------------------------- */

static gboolean
login_settled (gpointer data)
{
  Fixture *f = data;
  SignpostLoginPage *page = signpost_window_get_login_page (f->window);

  return signpost_window_get_signed_in (f->window) ||
         (!signpost_login_page_get_busy (page) &&
          (signpost_login_page_get_error (page) != NULL || find_button (GTK_WIDGET (page), "_Continue") != NULL));
}

static void
sign_in (Fixture    *f,
         const char *username)
{
  SignpostSyncEngine *engine = signpost_window_get_engine (f->window);

  /* Signed in already by an earlier test: carry on (signing in again
   * costs seconds that say nothing about the diary). */
  if (signpost_sync_engine_get_logged_in (engine) &&
      g_strcmp0 (signpost_sync_engine_get_username (engine), username) == 0)
    {
      g_assert_true (test_wait_until (caught_up, engine, TIMEOUT_MS));
      if (signpost_sync_engine_get_logged_in (engine))
        goto signed_in;
    }
  if (signpost_sync_engine_get_logged_in (engine))
    {
      gtk_widget_activate_action (GTK_WIDGET (f->window), "win.log-out", NULL);
      g_assert_true (test_wait_until (engine_signed_out, engine, TIMEOUT_MS));
    }

  g_object_set (engine, "reconnect-min-ms", 100, "reconnect-max-ms", 400, NULL);
  signpost_window_sign_in (f->window, test_server_get_url (f->server), username, "demo-password");
  g_assert_true (test_wait_until (login_settled, f, TIMEOUT_MS));
  g_assert_null (signpost_login_page_get_error (signpost_window_get_login_page (f->window)));
  if (!signpost_window_get_signed_in (f->window))
    gtk_widget_activate (find_button (GTK_WIDGET (f->window), "_Continue"));
  g_assert_true (test_wait_until (window_signed_in, f->window, TIMEOUT_MS));
  g_assert_true (test_wait_until (caught_up, engine, TIMEOUT_MS));

signed_in:
  f->since = signpost_cache_get_last_seq (signpost_sync_engine_get_cache (engine));
  if (f->token == NULL)
    f->token = test_server_login (f->server, "duty");
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-page", "s", "diary");
  g_assert_cmpstr (signpost_window_get_visible_page (f->window), ==, "diary");
  f->page = SIGNPOST_DIARY_PAGE (display_find_widget_of_type (GTK_WIDGET (f->window), SIGNPOST_TYPE_DIARY_PAGE));
  g_assert_nonnull (f->page);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static gboolean
result_ready (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

/* Another console: its own engine (straight to the server, past the
 * proxy that takes this one offline) and its own diary page. */
static void
open_other_console (Fixture    *f,
                    const char *username)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  f->other = signpost_sync_engine_new ();
  signpost_sync_engine_login_async (f->other, test_server_get_direct_url (f->server), username, "demo-password",
                                    NULL, NULL, store_result, &result);
  g_assert_true (test_wait_until (result_ready, &result, TIMEOUT_MS));
  g_assert_true (signpost_sync_engine_login_finish (f->other, result, &error));
  g_assert_no_error (error);
  signpost_sync_engine_start (f->other);
  g_assert_true (test_wait_until (caught_up, f->other, TIMEOUT_MS));

  f->other_window = GTK_WINDOW (gtk_window_new ());
  f->other_page = g_object_new (SIGNPOST_TYPE_DIARY_PAGE, NULL);
  gtk_window_set_child (f->other_window, GTK_WIDGET (f->other_page));
  gtk_window_set_default_size (f->other_window, 1000, 700);
  signpost_diary_page_set_actions (f->other_page, signpost_actions_get_for_engine (f->other));
  gtk_window_present (f->other_window);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->other_window));
}

/* ---- the fixture ------------------------------------------------------------------------- */

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->server = shared_server;
  test_server_set_blocked (f->server, FALSE);
  if (main_window == NULL)
    {
      main_window = signpost_window_new (app);
      gtk_window_set_default_size (GTK_WINDOW (main_window), 1366, 768);
    }
  f->window = main_window;
  gtk_window_present (GTK_WINDOW (f->window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
}

static void
close_dialogs (Fixture *f)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = g_list_model_get_n_items (toplevels); i > 0; i--)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i - 1);
      if (window != GTK_WINDOW (f->window) && window != f->other_window)
        gtk_window_destroy (window);
    }
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  SignpostSyncEngine *engine = signpost_application_get_engine (app);

  close_dialogs (f);
  if (f->other_window != NULL)
    gtk_window_destroy (f->other_window);
  if (f->other != NULL)
    {
      signpost_sync_engine_stop (f->other);
      g_clear_object (&f->other);
    }
  /* The next test starts from today's diary, nothing left open. */
  if (f->page != NULL)
    {
      g_object_set (f->page, "finder-open", FALSE, NULL);
      gtk_widget_activate_action (GTK_WIDGET (f->page), "diary.today", NULL);
    }
  g_assert_cmpuint (signpost_outbox_get_n_problems (signpost_sync_engine_get_outbox (engine)), ==, 0);
  g_free (f->token);
}

/* ---- the diary's data --------------------------------------------------------------------- */

static void
booker_for (SignpostSyncEngine *engine,
            SignpostSlotBooker *booker,
            GDateTime          *now)
{
  SignpostUser *user = signpost_sync_engine_get_user (engine);

  booker->hub = signpost_user_get_hub (user);
  booker->practice_ids = signpost_user_get_practice_ids (user);
  booker->now = now;
}

/* Free slots this user can book in the coming days, first first; with
 * @hub_only, only those a hub could book too. */
static GPtrArray *
bookable_slots (SignpostSyncEngine *engine,
                const char         *practice_id,
                SignpostSlotMode    mode,
                guint               limit)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) from = g_date_time_add_minutes (now, 5);
  g_autoptr(GDateTime) to = g_date_time_add_days (now, 10);
  const char * const practices[] = { practice_id, NULL };
  SignpostSlotQuery query = SIGNPOST_SLOT_QUERY_INIT;
  SignpostSlotBooker booker;

  booker_for (engine, &booker, now);
  query.practice_ids = practices;
  query.mode = mode;
  query.from = from;
  query.to = to;
  query.limit = limit;
  return signpost_cache_find_free_slots (signpost_sync_engine_get_cache (engine), &query, &booker, NULL);
}

static const char *
first_practice (SignpostSyncEngine *engine)
{
  return signpost_user_get_practice_ids (signpost_sync_engine_get_user (engine))[0];
}

static GPtrArray *
patients_of (SignpostSyncEngine *engine,
             const char         *practice_id)
{
  g_autoptr(GPtrArray) all = signpost_cache_list_records (signpost_sync_engine_get_cache (engine),
                                                          SIGNPOST_RECORD_PATIENT, NULL);
  GPtrArray *mine = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < all->len; i++)
    {
      SignpostPatient *patient = g_ptr_array_index (all, i);
      if (g_strcmp0 (signpost_record_get_practice_id (SIGNPOST_RECORD (patient)), practice_id) == 0 &&
          signpost_patient_get_nhs_number (patient) != NULL)
        g_ptr_array_add (mine, g_object_ref (patient));
    }
  return mine;
}

static char *
local_date_of (SignpostSlot *slot)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/London");
  GDate day;

  signpost_local_date (signpost_slot_get_start (slot), tz, &day);
  return signpost_date_format (&day);
}

static const char *
id_of (gpointer record)
{
  return signpost_record_get_id (SIGNPOST_RECORD (record));
}

/* What the diary shows for a slot: a cell on screen, or one bound the
 * same way when its row is scrolled out of view. */
static char *
slot_text (SignpostDiaryPage *page,
           const char        *slot_id)
{
  SignpostDiaryDay *day = signpost_diary_page_get_day (page);
  SignpostSlot *slot = signpost_diary_day_lookup_slot (day, slot_id);
  g_autoptr(SignpostDiaryRow) row = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  SignpostSlotBooker booker;
  SignpostSlotCell *cell;
  char *text;
  guint position;

  if (slot == NULL)
    return NULL;
  position = signpost_diary_day_find_row (day, signpost_slot_get_start (slot));
  g_assert_cmpuint (position, !=, G_MAXUINT);
  row = g_list_model_get_item (G_LIST_MODEL (day), position);
  signpost_actions_init_booker (signpost_diary_page_get_actions (page), &booker, now);
  cell = g_object_ref_sink (signpost_slot_cell_new ());
  signpost_slot_cell_bind (cell, day, row, signpost_slot_get_clinician_id (slot), &booker);
  text = g_strdup (signpost_slot_cell_get_text (cell));
  signpost_slot_cell_unbind (cell);
  g_object_unref (cell);
  return text;
}

typedef struct {
  SignpostDiaryPage *page;
  const char *slot_id;
  const char *needle;
  gboolean present;
} TextCheck;

static gboolean
slot_text_matches (gpointer data)
{
  TextCheck *check = data;
  g_autofree char *text = slot_text (check->page, check->slot_id);

  return text != NULL && (strstr (text, check->needle) != NULL) == check->present;
}

/* What the server says changed since the test began, of @kind, by id
 * (as another console would see it; only this test's changes). */
static GHashTable *
server_changes (Fixture    *f,
                const char *kind)
{
  GHashTable *records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify) json_object_unref);
  gint64 since = f->since;
  gboolean more = TRUE;

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("changes?since=%" G_GINT64_FORMAT "&limit=5000", since);
      g_autoptr(JsonNode) reply = test_server_request (f->server, f->token, "GET", path, NULL, NULL);
      JsonObject *page = json_node_get_object (reply);
      JsonArray *changes = json_object_get_array_member (page, "changes");

      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *change = json_array_get_object_element (changes, i);
          if (g_str_equal (json_object_get_string_member (change, "type"), kind))
            g_hash_table_replace (records, g_strdup (json_object_get_string_member (change, "id")),
                                  json_object_ref (json_object_get_object_member (change, "data")));
        }
      since = json_object_get_int_member (page, "last_seq");
      more = json_object_get_boolean_member (page, "more");
    }
  return records;
}

/* The server's live appointments for @slot_id (not cancelled). */
static GPtrArray *
server_appointments (Fixture    *f,
                     const char *slot_id)
{
  g_autoptr(GHashTable) appointments = server_changes (f, "appointment");
  GPtrArray *live = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, appointments);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      JsonObject *appointment = value;
      if (g_strcmp0 (json_object_get_string_member (appointment, "slot_id"), slot_id) == 0 &&
          g_strcmp0 (json_object_get_string_member (appointment, "status"), "cancelled") != 0)
        g_ptr_array_add (live, json_object_ref (appointment));
    }
  return live;
}

static JsonObject *
server_record (Fixture    *f,
               const char *kind,
               const char *id)
{
  g_autoptr(GHashTable) records = server_changes (f, kind);
  JsonObject *record = g_hash_table_lookup (records, id);

  return record ? json_object_ref (record) : NULL;
}

/* Books through the dialog as a receptionist would: the patient found by
 * NHS number in the dialog's own search, a reason, the Book button. */
static SignpostBookingDialog *
open_booking (SignpostDiaryPage *page,
              const char        *slot_id,
              SignpostPatient   *patient,
              const char        *reason)
{
  SignpostBookingDialog *dialog = SIGNPOST_BOOKING_DIALOG (signpost_diary_page_book_slot (page, slot_id));
  SignpostPatientSearch *search;

  g_assert_nonnull (dialog);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));
  if (patient != NULL)
    {
      g_signal_emit_by_name (find_button (GTK_WIDGET (dialog), "_Find Patient…") ?
                             find_button (GTK_WIDGET (dialog), "_Find Patient…") :
                             find_button (GTK_WIDGET (dialog), "_Change Patient…"), "clicked");
      search = SIGNPOST_PATIENT_SEARCH (display_find_widget_of_type (GTK_WIDGET (dialog), SIGNPOST_TYPE_PATIENT_SEARCH));
      signpost_patient_search_set_text (search, signpost_patient_get_nhs_number (patient));
      signpost_patient_search_activate_selected (search);
      g_assert_cmpstr (id_of (signpost_booking_dialog_get_patient (dialog)), ==, id_of (patient));
    }
  if (reason != NULL)
    {
      GtkWidget *row = display_find_widget_of_type (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW);
      gtk_editable_set_text (GTK_EDITABLE (row), reason);
    }
  return dialog;
}

/* Presses Book; the dialog closes when it has booked. Returns the error
 * the dialog showed, or NULL. */
static char *
press_book (SignpostBookingDialog *dialog)
{
  GtkWidget *button = find_button (GTK_WIDGET (dialog), "_Book");
  char *error;

  g_assert_nonnull (button);
  g_object_ref (dialog);
  /* "clicked" itself: activating a button clicks it only after a pause. */
  g_signal_emit_by_name (button, "clicked");
  error = g_strdup (signpost_booking_dialog_get_error (dialog));
  g_object_unref (dialog);
  return error;
}

static void
book_ok (SignpostBookingDialog *dialog)
{
  g_autofree char *error = press_book (dialog);

  g_assert_cmpstr (error, ==, NULL);
}

/* ---- booking ---------------------------------------------------------------------------- */

static gboolean
message_contains (gpointer data)
{
  gpointer *args = data;
  const char *message = signpost_diary_page_get_last_message (args[0]);

  return message != NULL && strstr (message, args[1]) != NULL;
}

static gboolean
dialog_gone (gpointer data)
{
  return find_toplevel (SIGNPOST_TYPE_BOOKING_DIALOG) == NULL;
}

static void
test_book (Fixture       *f,
           gconstpointer  data)
{
  SignpostSyncEngine *engine;
  g_autoptr(GPtrArray) slots = NULL;
  g_autoptr(GPtrArray) patients = NULL;
  g_autoptr(GPtrArray) live = NULL;
  g_autoptr(JsonObject) appointment = NULL;
  g_autoptr(JsonObject) slot_record = NULL;
  g_autofree char *date = NULL;
  g_autofree char *family = NULL;
  SignpostBookingDialog *dialog;
  SignpostSlot *slot, *second = NULL;
  SignpostPatient *patient;
  TextCheck check;
  gpointer args[2];

  sign_in (f, "navigator");
  engine = signpost_window_get_engine (f->window);
  slots = bookable_slots (engine, first_practice (engine), -1, 40);
  g_assert_cmpuint (slots->len, >=, 2);
  slot = g_ptr_array_index (slots, 0);
  /* Another slot the same day, for the same patient. */
  date = local_date_of (slot);
  for (guint i = 1; i < slots->len && second == NULL; i++)
    {
      g_autofree char *other_date = local_date_of (g_ptr_array_index (slots, i));
      if (g_str_equal (other_date, date))
        second = g_ptr_array_index (slots, i);
    }
  g_assert_nonnull (second);
  patients = patients_of (engine, first_practice (engine));
  patient = g_ptr_array_index (patients, 7);
  family = g_utf8_strup (signpost_patient_get_family_name (patient), -1);

  signpost_diary_page_set_date (f->page, date);
  {
    g_autofree char *before = slot_text (f->page, id_of (slot));
    g_assert_nonnull (strstr (before, "Free"));
  }

  /* Book: shown at once, pending, then on the server. */
  dialog = open_booking (f->page, id_of (slot), patient, "Cough for three weeks");
  g_assert_null (signpost_booking_dialog_get_warning (dialog));
  book_ok (dialog);
  g_assert_true (test_wait_until (dialog_gone, NULL, 5000));
  {
    g_autofree char *pending = slot_text (f->page, id_of (slot));
    g_assert_nonnull (strstr (pending, family));
    g_assert_nonnull (strstr (pending, "Cough for three weeks"));
  }
  wait_sent (engine);
  check = (TextCheck) { f->page, id_of (slot), "not yet sent", FALSE };
  g_assert_true (test_wait_until (slot_text_matches, &check, TIMEOUT_MS));
  live = server_appointments (f, id_of (slot));
  g_assert_cmpuint (live->len, ==, 1);
  appointment = json_object_ref (g_ptr_array_index (live, 0));
  g_assert_cmpstr (json_object_get_string_member (appointment, "patient_id"), ==, id_of (patient));
  g_assert_cmpstr (json_object_get_string_member (appointment, "reason"), ==, "Cough for three weeks");
  slot_record = server_record (f, "slot", id_of (slot));
  g_assert_cmpstr (json_object_get_string_member (slot_record, "status"), ==, "booked");

  /* The same patient again that day: warned here first, and by the server. */
  dialog = open_booking (f->page, id_of (second), patient, "Also a sore ear");
  g_assert_nonnull (signpost_booking_dialog_get_warning (dialog));
  g_assert_nonnull (strstr (signpost_booking_dialog_get_warning (dialog), "already has an appointment that day"));
  book_ok (dialog);
  wait_sent (engine);
  args[0] = f->page;
  args[1] = (gpointer) "already has another appointment that day";
  g_assert_true (test_wait_until (message_contains, args, TIMEOUT_MS));
  g_clear_pointer (&live, g_ptr_array_unref);
  live = server_appointments (f, id_of (second));
  g_assert_cmpuint (live->len, ==, 1);

  /* Arrived. */
  gtk_widget_activate_action (GTK_WIDGET (f->page), "diary.mark-arrived", "s", id_of (slot));
  wait_sent (engine);
  g_clear_pointer (&appointment, json_object_unref);
  appointment = server_record (f, "appointment", json_object_get_string_member (g_ptr_array_index (live, 0), "id"));
  g_clear_pointer (&live, g_ptr_array_unref);
  live = server_appointments (f, id_of (slot));
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (live, 0), "status"), ==, "arrived");
  check = (TextCheck) { f->page, id_of (slot), "Arrived", TRUE };
  g_assert_true (test_wait_until (slot_text_matches, &check, TIMEOUT_MS));

  /* Cancel the second, with a reason: the slot is free again. */
  gtk_widget_activate_action (GTK_WIDGET (f->page), "diary.cancel-appointment", "s", id_of (second));
  g_assert_true (test_wait_until (toplevel_present, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG), 5000));
  {
    AdwMessageDialog *confirm = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
    gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (confirm)), "Feels better");
    adw_message_dialog_response (confirm, "cancel-appointment");
    gtk_window_destroy (GTK_WINDOW (confirm));
  }
  wait_sent (engine);
  g_assert_cmpuint (signpost_outbox_get_n_problems (signpost_sync_engine_get_outbox (engine)), ==, 0);
  g_clear_pointer (&live, g_ptr_array_unref);
  live = server_appointments (f, id_of (second));
  g_assert_cmpuint (live->len, ==, 0);
  g_clear_pointer (&slot_record, json_object_unref);
  slot_record = server_record (f, "slot", id_of (second));
  g_assert_cmpstr (json_object_get_string_member (slot_record, "status"), ==, "free");
  check = (TextCheck) { f->page, id_of (second), "Free", TRUE };
  g_assert_true (test_wait_until (slot_text_matches, &check, TIMEOUT_MS));
}

/* ---- two consoles, one slot -------------------------------------------------------------- */

static gboolean
one_conflict_shown (gpointer data)
{
  Fixture *f = data;

  return signpost_diary_page_get_conflict_dialog (f->page) != NULL ||
         signpost_diary_page_get_conflict_dialog (f->other_page) != NULL;
}

static gboolean
no_problems (gpointer data)
{
  return signpost_outbox_get_n_problems (signpost_sync_engine_get_outbox (data)) == 0;
}

static void
test_race (Fixture       *f,
           gconstpointer  data)
{
  SignpostSyncEngine *engine;
  SignpostSyncEngine *loser_engine;
  SignpostDiaryPage *loser;
  SignpostBookingConflictDialog *conflict;
  g_autoptr(GPtrArray) slots = NULL;
  g_autoptr(GPtrArray) patients = NULL;
  g_autoptr(GPtrArray) live = NULL;
  g_autoptr(SignpostSlot) alternative = NULL;
  g_autofree char *date = NULL;
  SignpostBookingDialog *mine, *theirs;
  SignpostPatient *loser_patient;
  SignpostSlot *slot;

  sign_in (f, "navigator");
  engine = signpost_window_get_engine (f->window);
  open_other_console (f, "duty");
  slots = bookable_slots (engine, first_practice (engine), SIGNPOST_SLOT_MODE_FACE_TO_FACE, 1);
  g_assert_cmpuint (slots->len, ==, 1);
  slot = g_ptr_array_index (slots, 0);
  date = local_date_of (slot);
  signpost_diary_page_set_date (f->page, date);
  signpost_diary_page_set_date (f->other_page, date);
  patients = patients_of (engine, first_practice (engine));

  /* Both receptionists press Book at the same moment. */
  mine = open_booking (f->page, id_of (slot), g_ptr_array_index (patients, 3), "Headaches");
  theirs = open_booking (f->other_page, id_of (slot), g_ptr_array_index (patients, 4), "Rash");
  book_ok (mine);
  book_ok (theirs);
  wait_sent (engine);
  wait_sent (f->other);

  /* One is booked; the other is told at once and offered alternatives. */
  g_assert_true (test_wait_until (one_conflict_shown, f, TIMEOUT_MS));
  live = server_appointments (f, id_of (slot));
  g_assert_cmpuint (live->len, ==, 1);
  if (signpost_diary_page_get_conflict_dialog (f->page) != NULL)
    {
      loser = f->page;
      loser_engine = engine;
      loser_patient = g_ptr_array_index (patients, 3);
      g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (live, 0), "patient_id"), ==,
                       id_of (g_ptr_array_index (patients, 4)));
      g_assert_null (signpost_diary_page_get_conflict_dialog (f->other_page));
    }
  else
    {
      loser = f->other_page;
      loser_engine = f->other;
      loser_patient = g_ptr_array_index (patients, 4);
      g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (live, 0), "patient_id"), ==,
                       id_of (g_ptr_array_index (patients, 3)));
    }
  g_assert_cmpuint (signpost_outbox_get_n_problems (signpost_sync_engine_get_outbox (loser_engine)), ==, 1);
  conflict = SIGNPOST_BOOKING_CONFLICT_DIALOG (signpost_diary_page_get_conflict_dialog (loser));
  g_assert_nonnull (strstr (signpost_booking_conflict_dialog_get_message (conflict), "booked by someone else"));
  g_assert_cmpuint (g_list_model_get_n_items (signpost_booking_conflict_dialog_get_alternatives (conflict)), >, 0);
  alternative = g_list_model_get_item (signpost_booking_conflict_dialog_get_alternatives (conflict), 0);
  g_assert_cmpstr (id_of (alternative), !=, id_of (slot));
  g_assert_cmpint (signpost_slot_get_mode (alternative), ==, SIGNPOST_SLOT_MODE_FACE_TO_FACE);

  /* One click books the nearest alternative instead. */
  g_assert_true (signpost_booking_conflict_dialog_rebook (conflict, 0));
  wait_sent (loser_engine);
  g_assert_true (test_wait_until (no_problems, loser_engine, TIMEOUT_MS));
  g_clear_pointer (&live, g_ptr_array_unref);
  live = server_appointments (f, id_of (alternative));
  g_assert_cmpuint (live->len, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (live, 0), "patient_id"), ==, id_of (loser_patient));
}

/* ---- offline, then someone else takes the slot --------------------------------------------- */

static gboolean
conflict_shown (gpointer data)
{
  return signpost_diary_page_get_conflict_dialog (data) != NULL;
}

static void
test_offline_conflict (Fixture       *f,
                       gconstpointer  data)
{
  SignpostSyncEngine *engine;
  SignpostBookingConflictDialog *conflict;
  SignpostBookingDialog *dialog;
  g_autoptr(GPtrArray) slots = NULL;
  g_autoptr(GPtrArray) patients = NULL;
  g_autoptr(GPtrArray) live = NULL;
  g_autofree char *elsewhere = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *date = NULL;
  g_autofree char *family = NULL;
  g_autofree char *theirs = NULL;
  SignpostSlot *slot;
  TextCheck check;

  sign_in (f, "navigator");
  engine = signpost_window_get_engine (f->window);
  open_other_console (f, "duty");
  slots = bookable_slots (engine, first_practice (engine), -1, 1);
  slot = g_ptr_array_index (slots, 0);
  date = local_date_of (slot);
  signpost_diary_page_set_date (f->page, date);
  patients = patients_of (engine, first_practice (engine));
  family = signpost_patient_format_name (g_ptr_array_index (patients, 9));
  theirs = signpost_patient_format_name (g_ptr_array_index (patients, 10));
  g_assert_cmpstr (family, !=, theirs);

  /* This PC loses the network and books: kept here, shown as not sent. */
  test_server_set_blocked (f->server, TRUE);
  g_assert_true (test_wait_until (is_offline, engine, TIMEOUT_MS));
  dialog = open_booking (f->page, id_of (slot), g_ptr_array_index (patients, 9), "Sore throat");
  book_ok (dialog);
  check = (TextCheck) { f->page, id_of (slot), "not yet sent", TRUE };
  g_assert_true (test_wait_until (slot_text_matches, &check, 5000));
  g_assert_cmpuint (signpost_outbox_get_n_waiting (signpost_sync_engine_get_outbox (engine)), ==, 1);

  /* Meanwhile someone at another PC books the same slot. */
  elsewhere = signpost_actions_book_slot (signpost_actions_get_for_engine (f->other), id_of (slot),
                                          id_of (g_ptr_array_index (patients, 10)), NULL, NULL, "Booked elsewhere",
                                          &error);
  g_assert_no_error (error);
  g_assert_nonnull (elsewhere);
  wait_sent (f->other);

  /* Back online: told at once, nothing booked twice or dropped. */
  test_server_set_blocked (f->server, FALSE);
  g_assert_true (test_wait_until (conflict_shown, f->page, TIMEOUT_MS));
  conflict = SIGNPOST_BOOKING_CONFLICT_DIALOG (signpost_diary_page_get_conflict_dialog (f->page));
  g_assert_nonnull (strstr (signpost_booking_conflict_dialog_get_message (conflict), "booked by someone else"));
  g_assert_nonnull (strstr (signpost_booking_conflict_dialog_get_message (conflict), family));
  g_assert_cmpuint (g_list_model_get_n_items (signpost_booking_conflict_dialog_get_alternatives (conflict)), >, 0);
  g_assert_cmpuint (signpost_outbox_get_n_problems (signpost_sync_engine_get_outbox (engine)), ==, 1);
  /* Return books the nearest alternative: the first one has the focus,
   * not "Decide Later". */
  {
    GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (conflict));

    g_assert_true (GTK_IS_LIST_BOX_ROW (focus));
    g_assert_cmpint (gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (focus)), ==, 0);
  }
  live = server_appointments (f, id_of (slot));
  g_assert_cmpuint (live->len, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (live, 0), "patient_id"), ==,
                   id_of (g_ptr_array_index (patients, 10)));

  /* "Decide later" keeps it among the changes that need a decision. */
  gtk_window_close (GTK_WINDOW (conflict));
  g_assert_true (test_wait_until (dialog_gone, NULL, 5000));
  g_assert_cmpuint (signpost_outbox_get_n_problems (signpost_sync_engine_get_outbox (engine)), ==, 1);
  /* The diary shows the other booking, not ours. */
  check = (TextCheck) { f->page, id_of (slot), theirs, TRUE };
  g_assert_true (test_wait_until (slot_text_matches, &check, TIMEOUT_MS));
  check = (TextCheck) { f->page, id_of (slot), family, FALSE };
  g_assert_true (test_wait_until (slot_text_matches, &check, TIMEOUT_MS));

  /* Given up later from the list of changes, it goes for good. */
  {
    g_autoptr(SignpostOutboxItem) item = g_list_model_get_item (G_LIST_MODEL (signpost_sync_engine_get_outbox (engine)), 0);
    g_assert_true (signpost_outbox_discard (signpost_sync_engine_get_outbox (engine),
                                            signpost_outbox_item_get_mutation_id (item), &error));
    g_assert_no_error (error);
    g_assert_cmpuint (signpost_outbox_get_n_problems (signpost_sync_engine_get_outbox (engine)), ==, 0);
  }
}

/* ---- the clocks change -------------------------------------------------------------------- */

static void
create_slot (TestServer *server,
             const char *token,
             const char *practice_id,
             const char *clinician_id,
             const char *start,
             const char *mode)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *mutation_id = g_uuid_string_random ();
  g_autofree char *body = g_strdup_printf ("{\"mutations\":[{\"mutation_id\":\"%s\",\"type\":\"slot\",\"op\":\"create\","
                                           "\"id\":\"%s\",\"data\":{\"practice_id\":\"%s\",\"clinician_id\":\"%s\","
                                           "\"start\":\"%s\",\"duration_minutes\":15,\"mode\":\"%s\","
                                           "\"hub_bookable\":true,\"status\":\"free\"}}]}",
                                           mutation_id, id, practice_id, clinician_id, start, mode);
  g_autoptr(JsonNode) reply = test_server_request (server, token, "POST", "mutations", body, NULL);
  JsonObject *result = json_array_get_object_element (json_object_get_array_member (json_node_get_object (reply),
                                                                                    "results"), 0);

  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "applied");
}

static char *
row_labels (SignpostDiaryPage *page)
{
  SignpostDiaryDay *day = signpost_diary_page_get_day (page);
  GString *labels = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (day)); i++)
    {
      g_autoptr(SignpostDiaryRow) row = g_list_model_get_item (G_LIST_MODEL (day), i);
      g_string_append_printf (labels, "%s%s", i ? ", " : "", signpost_diary_row_get_label (row));
    }
  return g_string_free (labels, FALSE);
}

typedef struct {
  SignpostDiaryPage *page;
  const char *expected;
} RowsCheck;

static gboolean
rows_are (gpointer data)
{
  RowsCheck *check = data;
  g_autofree char *labels = row_labels (check->page);

  return g_str_equal (labels, check->expected);
}

static void
test_clock_changes (Fixture       *f,
                    gconstpointer  data)
{
  SignpostSyncEngine *engine;
  g_autofree char *token = NULL;
  g_autoptr(GPtrArray) clinicians = NULL;
  const char *practice, *clinician = NULL;
  RowsCheck check;
  const char *spring[] = {
    "2026-03-28T23:30:00Z",  /* 23:30 GMT the day before */
    "2026-03-29T00:30:00Z",  /* 00:30 GMT */
    "2026-03-29T01:30:00Z",  /* 02:30 BST: 01:00-02:00 never happens */
    "2026-03-29T08:00:00Z",  /* 09:00 BST */
    "2026-03-29T23:00:00Z",  /* midnight BST: the next day */
  };
  const char *autumn[] = {
    "2026-10-24T22:30:00Z",  /* 23:30 BST the day before */
    "2026-10-24T23:30:00Z",  /* 00:30 BST */
    "2026-10-25T00:30:00Z",  /* 01:30 BST */
    "2026-10-25T01:30:00Z",  /* 01:30 GMT: the same hour again */
    "2026-10-25T09:00:00Z",  /* 09:00 GMT */
    "2026-10-25T23:30:00Z",  /* 23:30 GMT, still the 25th */
    "2026-10-26T00:00:00Z",  /* midnight GMT: the next day */
  };

  sign_in (f, "navigator");
  engine = signpost_window_get_engine (f->window);
  practice = first_practice (engine);
  clinicians = signpost_cache_list_records (signpost_sync_engine_get_cache (engine), SIGNPOST_RECORD_CLINICIAN, NULL);
  for (guint i = 0; i < clinicians->len && clinician == NULL; i++)
    if (g_strcmp0 (signpost_record_get_practice_id (g_ptr_array_index (clinicians, i)), practice) == 0)
      clinician = id_of (g_ptr_array_index (clinicians, i));
  g_assert_nonnull (clinician);

  /* Made through the API by the practice manager. */
  token = test_server_login (f->server, "manager");
  for (guint i = 0; i < G_N_ELEMENTS (spring); i++)
    create_slot (f->server, token, practice, clinician, spring[i], "face_to_face");
  for (guint i = 0; i < G_N_ELEMENTS (autumn); i++)
    create_slot (f->server, token, practice, clinician, autumn[i], "telephone");

  signpost_diary_page_set_date (f->page, "2026-03-29");
  check = (RowsCheck) { f->page, "00:30 GMT, 02:30 BST, 09:00 BST" };
  if (!test_wait_until (rows_are, &check, TIMEOUT_MS))
    {
      g_autofree char *labels = row_labels (f->page);
      g_error ("29 March shows “%s”", labels);
    }
  g_assert_nonnull (strstr (signpost_diary_page_get_day_note (f->page), "23 hours"));
  {
    g_autoptr(SignpostDiaryRow) row = g_list_model_get_item (G_LIST_MODEL (signpost_diary_page_get_day (f->page)), 1);
    SignpostSlot *slot = signpost_diary_row_get_slot (row, clinician);
    g_autofree char *text = slot_text (f->page, id_of (slot));
    g_assert_true (g_str_has_prefix (text, "02:30 BST"));
  }

  signpost_diary_page_set_date (f->page, "2026-10-25");
  check = (RowsCheck) { f->page, "00:30 BST, 01:30 BST, 01:30 GMT, 09:00 GMT, 23:30 GMT" };
  if (!test_wait_until (rows_are, &check, TIMEOUT_MS))
    {
      g_autofree char *labels = row_labels (f->page);
      g_error ("25 October shows “%s”", labels);
    }
  g_assert_nonnull (strstr (signpost_diary_page_get_day_note (f->page), "25 hours"));

  /* An ordinary day says nothing about clocks or zones. */
  signpost_diary_page_set_date (f->page, "2026-10-26");
  check = (RowsCheck) { f->page, "00:00" };
  g_assert_true (test_wait_until (rows_are, &check, TIMEOUT_MS));
  g_assert_cmpstr (signpost_diary_page_get_day_note (f->page), ==, "");
}

/* ---- from a triage outcome ----------------------------------------------------------------- */

static gboolean
has_record (gpointer data)
{
  gpointer *args = data;
  g_autoptr(SignpostRecord) record = signpost_cache_get_record (signpost_sync_engine_get_cache (args[0]),
                                                                GPOINTER_TO_INT (args[1]), args[2], NULL);
  return record != NULL;
}

static gboolean
has_results (gpointer data)
{
  return g_list_model_get_n_items (signpost_slot_finder_get_results (data)) > 0;
}

static void
test_from_triage (Fixture       *f,
                  gconstpointer  data)
{
  SignpostSyncEngine *engine;
  SignpostSlotFinder *finder;
  SignpostBookingDialog *dialog;
  GListModel *results;
  g_autoptr(GPtrArray) patients = NULL;
  g_autoptr(GPtrArray) clinicians = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) sooner = g_date_time_add_minutes (now, 12);
  g_autoptr(GDateTime) later = g_date_time_add_minutes (now, 18);
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/London");
  g_autoptr(JsonObject) triage_record = NULL;
  g_autoptr(SignpostSlot) first = NULL;
  g_autofree char *token = NULL;
  g_autofree char *triage_id = g_uuid_string_random ();
  g_autofree char *mutation_id = g_uuid_string_random ();
  g_autofree char *sooner_text = signpost_timestamp_format (sooner);
  g_autofree char *later_text = signpost_timestamp_format (later);
  g_autoptr(GDateTime) face = g_date_time_add_minutes (now, 14);
  g_autofree char *face_text = signpost_timestamp_format (face);
  g_autofree char *body = NULL;
  gboolean face_found = FALSE, other_found = FALSE;
  const char *practice, *usual = NULL, *other = NULL;
  SignpostPatient *patient = NULL;
  gboolean same_day;
  gpointer args[3];

  sign_in (f, "navigator");
  engine = signpost_window_get_engine (f->window);
  practice = first_practice (engine);
  patients = patients_of (engine, practice);
  for (guint i = 0; i < patients->len && patient == NULL; i++)
    if (signpost_patient_get_usual_clinician_id (g_ptr_array_index (patients, i)) != NULL)
      patient = g_ptr_array_index (patients, i);
  g_assert_nonnull (patient);
  usual = signpost_patient_get_usual_clinician_id (patient);
  clinicians = signpost_cache_list_records (signpost_sync_engine_get_cache (engine), SIGNPOST_RECORD_CLINICIAN, NULL);
  for (guint i = 0; i < clinicians->len && other == NULL; i++)
    {
      SignpostClinician *clinician = g_ptr_array_index (clinicians, i);
      if (g_strcmp0 (signpost_record_get_practice_id (SIGNPOST_RECORD (clinician)), practice) == 0 &&
          signpost_clinician_get_profession (clinician) == SIGNPOST_PROFESSION_GP &&
          g_strcmp0 (id_of (clinician), usual) != 0)
        other = id_of (clinician);
    }
  g_assert_nonnull (other);

  /* Telephone slots soon: another GP's first, then the usual GP's. */
  token = test_server_login (f->server, "manager");
  create_slot (f->server, token, practice, other, sooner_text, "telephone");
  create_slot (f->server, token, practice, usual, later_text, "telephone");
  /* And a face-to-face one: a request by phone does not hide it. */
  create_slot (f->server, token, practice, other, face_text, "face_to_face");
  {
    GDate a, b;
    signpost_local_date (now, tz, &a);
    signpost_local_date (later, tz, &b);
    same_day = g_date_compare (&a, &b) == 0;
  }

  /* A request: a GP the same day, by phone. */
  g_free (token);
  token = test_server_login (f->server, "navigator");
  body = g_strdup_printf ("{\"mutations\":[{\"mutation_id\":\"%s\",\"type\":\"triage\",\"op\":\"create\",\"id\":\"%s\","
                          "\"data\":{\"practice_id\":\"%s\",\"patient_id\":\"%s\",\"reason\":\"Earache since Friday\","
                          "\"urgency\":\"%s\",\"route\":{\"kind\":\"profession\",\"profession\":\"gp\"},"
                          "\"contact_method\":\"phone\",\"status\":\"open\"}}]}",
                          mutation_id, triage_id, practice, id_of (patient),
                          same_day ? "same_day" : "within_2_weeks");
  {
    g_autoptr(JsonNode) reply = test_server_request (f->server, token, "POST", "mutations", body, NULL);
    JsonObject *result = json_array_get_object_element (json_object_get_array_member (json_node_get_object (reply), "results"), 0);
    g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "applied");
  }
  args[0] = engine;
  args[1] = GINT_TO_POINTER (SIGNPOST_RECORD_TRIAGE);
  args[2] = triage_id;
  g_assert_true (test_wait_until (has_record, args, TIMEOUT_MS));
  g_assert_true (test_wait_until (caught_up, engine, TIMEOUT_MS));

  /* The outcome "booked" opens the diary pre-filtered. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-page", "s", "queue");
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.find-slot", "s", triage_id);
  g_assert_cmpstr (signpost_window_get_visible_page (f->window), ==, "diary");
  finder = signpost_diary_page_get_finder (f->page);
  g_assert_true (test_wait_until (has_results, finder, TIMEOUT_MS));
  results = signpost_slot_finder_get_results (finder);
  /* "Contact by phone" is how to reach them, not the type of slot. */
  g_assert_cmpint (signpost_slot_finder_get_mode (finder), ==, -1);
  /* Continuity: the usual GP first, though the other GP's slot is sooner;
   * only they are called the usual clinician. */
  first = g_list_model_get_item (results, 0);
  g_assert_cmpstr (signpost_slot_get_clinician_id (first), ==, usual);
  g_assert_cmpstr (signpost_slot_finder_get_tag (finder, 0), ==, "Usual clinician");
  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(SignpostSlot) slot = g_list_model_get_item (results, i);
      g_autoptr(SignpostClinician) clinician = signpost_cache_get_record (signpost_sync_engine_get_cache (engine),
                                                                          SIGNPOST_RECORD_CLINICIAN,
                                                                          signpost_slot_get_clinician_id (slot), NULL);
      GDate a, b;

      if (g_strcmp0 (signpost_slot_get_clinician_id (slot), other) == 0)
        {
          other_found = TRUE;
          g_assert_null (signpost_slot_finder_get_tag (finder, i));
          if (signpost_slot_get_mode (slot) == SIGNPOST_SLOT_MODE_FACE_TO_FACE)
            face_found = TRUE;
        }
      g_assert_cmpint (signpost_clinician_get_profession (clinician), ==, SIGNPOST_PROFESSION_GP);
      signpost_local_date (now, tz, &a);
      signpost_local_date (signpost_slot_get_start (slot), tz, &b);
      /* Red: today only. */
      if (same_day)
        g_assert_cmpint (g_date_compare (&a, &b), ==, 0);
    }
  g_assert_true (other_found);
  g_assert_true (face_found);

  /* The duty doctor first (a request for the duty doctor): called the
   * duty doctor, never the usual clinician of a patient whose usual GP
   * is someone else. */
  signpost_slot_finder_set_clinician_tags (finder, usual, "Duty doctor");
  signpost_slot_finder_set_filters (finder, NULL, SIGNPOST_PROFESSION_GP, -1, same_day ? 0 : 14, other, NULL);
  g_assert_true (test_wait_until (has_results, finder, TIMEOUT_MS));
  {
    g_autoptr(SignpostSlot) duty_first = g_list_model_get_item (results, 0);

    g_assert_cmpstr (signpost_slot_get_clinician_id (duty_first), ==, other);
    g_assert_cmpstr (signpost_slot_finder_get_tag (finder, 0), ==, "Duty doctor");
    for (guint i = 0; i < g_list_model_get_n_items (results); i++)
      {
        g_autoptr(SignpostSlot) slot = g_list_model_get_item (results, i);
        if (g_strcmp0 (signpost_slot_get_clinician_id (slot), usual) == 0)
          g_assert_cmpstr (signpost_slot_finder_get_tag (finder, i), ==, "Usual clinician");
      }
  }
  /* No slot of the type asked for, while others are free: it says so. */
  signpost_slot_finder_set_filters (finder, NULL, SIGNPOST_PROFESSION_GP, SIGNPOST_SLOT_MODE_HOME_VISIT,
                                    same_day ? 0 : 14, usual, NULL);
  if (g_list_model_get_n_items (results) == 0)
    g_assert_nonnull (strstr (signpost_slot_finder_get_status (finder), "choose Any type"));
  /* Back as the request had it. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.find-slot", "s", triage_id);
  g_assert_true (test_wait_until (has_results, finder, TIMEOUT_MS));
  g_clear_object (&first);
  first = g_list_model_get_item (results, 0);
  g_assert_cmpstr (signpost_slot_get_clinician_id (first), ==, usual);

  /* Choosing it books for that patient, with the request's words. */
  signpost_slot_finder_activate_result (finder, 0);
  g_assert_true (test_wait_until (toplevel_present, GSIZE_TO_POINTER (SIGNPOST_TYPE_BOOKING_DIALOG), 5000));
  dialog = SIGNPOST_BOOKING_DIALOG (find_toplevel (SIGNPOST_TYPE_BOOKING_DIALOG));
  g_assert_cmpstr (id_of (signpost_booking_dialog_get_patient (dialog)), ==, id_of (patient));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (display_find_widget_of_type (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW))), ==,
                   "Earache since Friday");
  book_ok (dialog);

  wait_sent (engine);
  {
    SignpostOutbox *outbox = signpost_sync_engine_get_outbox (engine);
    for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (outbox)); i++)
      {
        g_autoptr(SignpostOutboxItem) item = g_list_model_get_item (G_LIST_MODEL (outbox), i);
        g_test_message ("not taken: %s: %s", signpost_outbox_item_get_problem_title (item),
                        signpost_outbox_item_get_problem_detail (item));
      }
    g_assert_cmpuint (signpost_outbox_get_n_problems (outbox), ==, 0);
  }

  /* The request is closed by the booking. */
  triage_record = server_record (f, "triage", triage_id);
  g_assert_cmpstr (json_object_get_string_member (triage_record, "status"), ==, "booked");
  g_assert_cmpstr (json_object_get_string_member (triage_record, "outcome"), ==, "booked");
  {
    g_autoptr(GPtrArray) live = server_appointments (f, id_of (first));
    g_assert_cmpuint (live->len, ==, 1);
    g_assert_cmpstr (json_object_get_string_member (triage_record, "appointment_id"), ==,
                     json_object_get_string_member (g_ptr_array_index (live, 0), "id"));
    g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (live, 0), "triage_id"), ==, triage_id);
  }
}

/* ---- the slot that looks chosen is the one Enter books ---------------------------------------- */

typedef struct {
  SignpostSlotFinder *finder;
  guint n;
} ResultCount;

static gboolean
has_n_results (gpointer data)
{
  ResultCount *want = data;
  return g_list_model_get_n_items (signpost_slot_finder_get_results (want->finder)) >= want->n;
}

/* The list's row the keyboard is on (what Enter activates), or NULL. */
static GtkWidget *
focused_slot_row (Fixture     *f,
                  GtkListView *list)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));

  for (; focus != NULL && focus != GTK_WIDGET (list); focus = gtk_widget_get_parent (focus))
    if (gtk_widget_get_parent (focus) == GTK_WIDGET (list))
      return focus;
  return NULL;
}

static gboolean
is_results_list (GtkWidget     *widget,
                 gconstpointer  unused)
{
  return GTK_IS_LIST_VIEW (widget) && gtk_widget_has_css_class (widget, "finder-results");
}

static gboolean
is_heading_label (GtkWidget     *widget,
                  gconstpointer  unused)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "heading");
}

/* The keyboard is on the row of the selected (highlighted) slot. */
static SignpostSlot *
assert_focus_on_chosen (Fixture     *f,
                        GtkListView *list)
{
  SignpostCache *cache = signpost_sync_engine_get_cache (signpost_window_get_engine (f->window));
  GtkSingleSelection *selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (list));
  SignpostSlot *chosen = gtk_single_selection_get_selected_item (selection);
  GtkWidget *row = focused_slot_row (f, list);
  g_autoptr(GTimeZone) tz = NULL;
  g_autofree char *when = NULL;
  GtkWidget *heading;

  g_assert_nonnull (chosen);
  g_assert_nonnull (row);
  tz = signpost_practice_time_zone (cache, signpost_record_get_practice_id (SIGNPOST_RECORD (chosen)));
  when = signpost_slot_format_when (chosen, tz);
  heading = display_find_widget (row, is_heading_label, NULL);
  g_assert_nonnull (heading);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (heading)), ==, when);
  return chosen;
}

static void
test_chosen_slot (Fixture       *f,
                  gconstpointer  data)
{
  SignpostSyncEngine *engine;
  SignpostSlotFinder *finder;
  SignpostBookingDialog *dialog;
  GtkListView *list;
  g_autoptr(GPtrArray) clinicians = NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/London");
  g_autoptr(GDateTime) now = g_date_time_new_now (tz);
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);
  g_autofree char *token = NULL;
  g_autofree char *chosen_id = NULL;
  const char *practice, *gp = NULL;
  ResultCount want;

  sign_in (f, "navigator");
  engine = signpost_window_get_engine (f->window);
  practice = first_practice (engine);
  clinicians = signpost_cache_list_records (signpost_sync_engine_get_cache (engine), SIGNPOST_RECORD_CLINICIAN, NULL);
  for (guint i = 0; i < clinicians->len && gp == NULL; i++)
    if (g_strcmp0 (signpost_record_get_practice_id (g_ptr_array_index (clinicians, i)), practice) == 0 &&
        signpost_clinician_get_profession (g_ptr_array_index (clinicians, i)) == SIGNPOST_PROFESSION_GP)
      gp = id_of (g_ptr_array_index (clinicians, i));
  g_assert_nonnull (gp);

  /* A few free slots tomorrow morning, whatever the hour now. */
  token = test_server_login (f->server, "manager");
  for (int i = 0; i < 4; i++)
    {
      g_autoptr(GDateTime) local = g_date_time_new (tz, g_date_time_get_year (tomorrow),
                                                    g_date_time_get_month (tomorrow),
                                                    g_date_time_get_day_of_month (tomorrow), 10, 15 * i, 0);
      g_autofree char *start = signpost_timestamp_format (local);
      create_slot (f->server, token, practice, gp, start, "face_to_face");
    }
  g_assert_true (test_wait_until (caught_up, engine, TIMEOUT_MS));

  /* Ctrl+Shift+F: the search, the keyboard on the first slot, which is
   * the highlighted one. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.find-slot", "s", "");
  finder = signpost_diary_page_get_finder (f->page);
  want = (ResultCount) { finder, 4 };
  g_assert_true (test_wait_until (has_n_results, &want, TIMEOUT_MS));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
  list = GTK_LIST_VIEW (display_find_widget (GTK_WIDGET (finder), is_results_list, NULL));
  g_assert_nonnull (list);
  assert_focus_on_chosen (f, list);
  g_assert_cmpuint (gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (gtk_list_view_get_model (list))), ==, 0);

  /* Down, as the arrow key moves the keyboard: the highlight goes with it. */
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (list), GTK_DIR_DOWN));
  assert_focus_on_chosen (f, list);
  g_assert_cmpuint (gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (gtk_list_view_get_model (list))), ==, 1);

  /* Another slot chosen as a click chooses it: the keyboard goes with it. */
  gtk_widget_activate_action (GTK_WIDGET (list), "list.select-item", "(ubb)", 2, FALSE, FALSE);
  assert_focus_on_chosen (f, list);

  /* The list searched again (someone else booked something): the chosen
   * slot stays chosen, and the keyboard stays on it. */
  chosen_id = g_strdup (id_of (assert_focus_on_chosen (f, list)));
  signpost_slot_finder_search (finder);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
  g_assert_cmpstr (id_of (assert_focus_on_chosen (f, list)), ==, chosen_id);

  /* Enter on it books that slot, the highlighted one. */
  gtk_widget_activate (focused_slot_row (f, list));
  g_assert_true (test_wait_until (toplevel_present, GSIZE_TO_POINTER (SIGNPOST_TYPE_BOOKING_DIALOG), 5000));
  dialog = SIGNPOST_BOOKING_DIALOG (find_toplevel (SIGNPOST_TYPE_BOOKING_DIALOG));
  g_assert_cmpstr (id_of (signpost_booking_dialog_get_slot (dialog)), ==, chosen_id);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* ---- the printed day list --------------------------------------------------------------------- */

static char *
pdf_text (const char *path)
{
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *argv[] = { NULL, "-layout", "-enc", "UTF-8", path, "-", NULL };

  if (pdftotext == NULL)
    return NULL;
  argv[0] = pdftotext;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&out);
}

static void
test_print (Fixture       *f,
            gconstpointer  data)
{
  SignpostSyncEngine *engine;
  g_autoptr(GPtrArray) slots = NULL;
  g_autoptr(GPtrArray) patients = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("signpost-print-XXXXXX", NULL);
  g_autofree char *all = g_build_filename (dir, "day.pdf", NULL);
  g_autofree char *one = g_build_filename (dir, "one.pdf", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *text = NULL;
  g_autofree char *date = NULL;
  g_autofree char *nhs = NULL;
  g_autofree char *family = NULL;
  g_autofree char *clinician_name = NULL;
  SignpostSlot *slot;
  SignpostPatient *patient;
  gsize length;

  sign_in (f, "navigator");
  engine = signpost_window_get_engine (f->window);
  slots = bookable_slots (engine, first_practice (engine), -1, 1);
  slot = g_ptr_array_index (slots, 0);
  patients = patients_of (engine, first_practice (engine));
  patient = g_ptr_array_index (patients, 12);
  date = local_date_of (slot);
  signpost_diary_page_set_date (f->page, date);
  book_ok (open_booking (f->page, id_of (slot), patient, "Blood pressure review"));
  wait_sent (engine);

  g_assert_true (signpost_diary_page_export_day_list (f->page, NULL, all, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (all, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 1000);
  g_assert_true (g_str_has_prefix (contents, "%PDF"));

  text = pdf_text (all);
  if (text == NULL)
    g_test_message ("pdftotext (poppler-utils) is not installed: the PDF's words were not read");
  else
    {
      g_autoptr(SignpostClinician) clinician = signpost_cache_get_record (signpost_sync_engine_get_cache (engine),
                                                                          SIGNPOST_RECORD_CLINICIAN,
                                                                          signpost_slot_get_clinician_id (slot), NULL);
      nhs = signpost_patient_format_nhs (patient);
      family = g_utf8_strup (signpost_patient_get_family_name (patient), -1);
      clinician_name = g_strdup (signpost_clinician_get_family_name (clinician));
      if (strstr (text, "Riverside Medical Practice: day list") == NULL)
        g_error ("The day list reads:\n%s", text);
      g_assert_nonnull (strstr (text, family));
      g_assert_nonnull (strstr (text, nhs));
      g_assert_nonnull (strstr (text, "Blood pressure review"));
      g_assert_nonnull (strstr (text, "NHS number"));
      g_assert_nonnull (strstr (text, clinician_name));
      g_assert_nonnull (strstr (text, "Free"));
    }

  /* One clinician's list has only their slots. */
  g_assert_true (signpost_diary_page_export_day_list (f->page, signpost_slot_get_clinician_id (slot), one, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (one, G_FILE_TEST_IS_REGULAR));
  if (text != NULL)
    {
      g_autofree char *one_text = pdf_text (one);
      g_assert_nonnull (strstr (one_text, family));
      g_assert_cmpuint (strlen (one_text), <, strlen (text));
    }
  g_unlink (all);
  g_unlink (one);
  g_rmdir (dir);
}

static char *
local_day (GDateTime *instant)
{
  return g_date_time_format (instant, "%Y-%m-%d");
}

/* A console left open across midnight (the hazard log's C-07.6): a diary
 * that showed today moves to the new day; one showing another day stays
 * there. The page is told the time, midnight and 30 s in the practice's
 * zone from the day the test runs: the same whatever the hour. */
static void
test_midnight (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GTimeZone) london = signpost_time_zone_new (SIGNPOST_DEFAULT_TIME_ZONE, NULL);
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) start_of_today = NULL;
  g_autoptr(GDateTime) after_midnight = NULL;
  g_autoptr(GDateTime) next_midnight = NULL;
  g_autoptr(GDateTime) later = NULL;
  g_autofree char *today = NULL;
  g_autofree char *tomorrow = NULL;
  g_autofree char *in_three_days = NULL;

  sign_in (f, "navigator");
  now = g_date_time_new_now (london);
  start_of_today = g_date_time_new (london, g_date_time_get_year (now), g_date_time_get_month (now),
                                    g_date_time_get_day_of_month (now), 0, 0, 0);
  next_midnight = g_date_time_add_days (start_of_today, 1);
  after_midnight = g_date_time_add_seconds (next_midnight, 30);
  later = g_date_time_add_days (after_midnight, 1);
  today = local_day (now);
  tomorrow = local_day (after_midnight);
  {
    g_autoptr(GDateTime) three = g_date_time_add_days (start_of_today, 3);
    in_three_days = local_day (three);
  }

  /* Today shown, then the clock passes midnight: the new day. */
  signpost_diary_page_set_now (f->page, now);
  signpost_diary_page_set_date (f->page, today);
  signpost_diary_page_set_now (f->page, now);
  g_assert_cmpstr (signpost_diary_page_get_date (f->page), ==, today);
  signpost_diary_page_set_now (f->page, after_midnight);
  g_assert_cmpstr (signpost_diary_page_get_date (f->page), ==, tomorrow);

  /* Another day chosen: the next midnight leaves it where it is. */
  signpost_diary_page_set_date (f->page, in_three_days);
  signpost_diary_page_set_now (f->page, later);
  g_assert_cmpstr (signpost_diary_page_get_date (f->page), ==, in_three_days);

  /* Back to the real time, and to today, for the tests after. */
  signpost_diary_page_set_now (f->page, now);
  signpost_diary_page_set_date (f->page, today);
}

typedef struct {
  SignpostDiaryPage *page;
  guint n;
} RowCount;

static gboolean
has_rows (gpointer data)
{
  RowCount *count = data;
  SignpostDiaryDay *day = signpost_diary_page_get_day (count->page);

  return day != NULL && g_list_model_get_n_items (G_LIST_MODEL (day)) >= count->n;
}

typedef struct {
  GtkScrolledWindow *scroller;
  const char *time;
  gboolean want;
} TimeShown;

static gboolean
label_on_screen (GtkWidget         *widget,
                 GtkScrolledWindow *scroller,
                 const char        *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    {
      graphene_rect_t bounds;

      if (gtk_widget_compute_bounds (widget, GTK_WIDGET (scroller), &bounds) &&
          bounds.origin.y >= 0 && bounds.origin.y + bounds.size.height <= gtk_widget_get_height (GTK_WIDGET (scroller)))
        return TRUE;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (label_on_screen (child, scroller, text))
      return TRUE;
  return FALSE;
}

/* Whether the time's row is (or is not) on screen in the grid. */
static gboolean
time_shown (gpointer data)
{
  TimeShown *check = data;

  return label_on_screen (GTK_WIDGET (check->scroller), check->scroller, check->time) == check->want;
}

/* Today opens at the time it is: at 15:40 the afternoon is in view, not
 * the first slot of the morning. A day of its own (every quarter of an
 * hour from 08:00, a Wednesday in February) and the page told it is
 * 15:40 then: the same whatever the hour the test runs. */
static void
test_opens_at_now (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GTimeZone) london = signpost_time_zone_new (SIGNPOST_DEFAULT_TIME_ZONE, NULL);
  g_autoptr(GDateTime) real_now = g_date_time_new_now (london);
  g_autoptr(GDateTime) afternoon = g_date_time_new (london, 2027, 2, 3, 15, 40, 0);
  g_autoptr(GPtrArray) clinicians = NULL;
  g_autofree char *token = NULL;
  g_autofree char *today = local_day (real_now);
  SignpostSyncEngine *engine;
  GtkScrolledWindow *scroller;
  const char *practice, *clinician = NULL;
  RowCount count;
  double value;

  sign_in (f, "navigator");
  engine = signpost_window_get_engine (f->window);
  practice = first_practice (engine);
  clinicians = signpost_cache_list_records (signpost_sync_engine_get_cache (engine), SIGNPOST_RECORD_CLINICIAN, NULL);
  for (guint i = 0; i < clinicians->len && clinician == NULL; i++)
    if (g_strcmp0 (signpost_record_get_practice_id (g_ptr_array_index (clinicians, i)), practice) == 0)
      clinician = id_of (g_ptr_array_index (clinicians, i));
  g_assert_nonnull (clinician);
  token = test_server_login (f->server, "manager");
  for (guint i = 0; i < 40; i++)
    {
      g_autoptr(GDateTime) local = g_date_time_new (london, 2027, 2, 3, 8 + i / 4, (i % 4) * 15, 0);
      g_autoptr(GDateTime) utc = g_date_time_to_utc (local);
      g_autofree char *at = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
      create_slot (f->server, token, practice, clinician, at, "face_to_face");
    }

  /* It is 15:40 on that day: the diary shows it as today. */
  signpost_diary_page_set_now (f->page, afternoon);
  signpost_diary_page_set_date (f->page, "2027-02-03");
  count = (RowCount) { f->page, 40 };
  g_assert_true (test_wait_until (has_rows, &count, TIMEOUT_MS));
  scroller = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (display_find_widget_of_type (GTK_WIDGET (f->page),
                                                                                         GTK_TYPE_COLUMN_VIEW),
                                                           GTK_TYPE_SCROLLED_WINDOW));
  /* The 15:30 row is on screen, and 08:00 is not: the morning is above. */
  {
    TimeShown shown = { scroller, "15:30", TRUE };
    TimeShown morning = { scroller, "08:00", FALSE };

    g_assert_true (test_wait_until (time_shown, &morning, TIMEOUT_MS));
    g_assert_true (test_wait_until (time_shown, &shown, TIMEOUT_MS));
  }
  value = gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (scroller));
  g_assert_cmpfloat (value, >, 0);

  /* Back to the real time, and to today, for the tests after. */
  signpost_diary_page_set_now (f->page, real_now);
  signpost_diary_page_set_date (f->page, today);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = g_dir_make_tmp ("signpost-diary-XXXXXX", NULL);
  int status;

  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  gtk_test_init (&argc, &argv, NULL);
  shared_server = test_server_new ();

  app = signpost_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

#define ADD(path, func) \
  g_test_add ("/signpost/display/diary/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("book", test_book);
  ADD ("race", test_race);
  ADD ("offline-conflict", test_offline_conflict);
  ADD ("clock-changes", test_clock_changes);
  ADD ("from-triage", test_from_triage);
  ADD ("chosen-slot", test_chosen_slot);
  ADD ("print", test_print);
  ADD ("midnight", test_midnight);
  ADD ("opens-at-now", test_opens_at_now);
#undef ADD

  status = g_test_run ();
  if (signpost_sync_engine_get_logged_in (signpost_application_get_engine (app)))
    {
      gtk_widget_activate_action (GTK_WIDGET (main_window), "win.log-out", NULL);
      test_wait_until (engine_signed_out, signpost_application_get_engine (app), TIMEOUT_MS);
    }
  g_clear_pointer (&shared_server, test_server_free);
  g_clear_object (&app);
  return status;
}
