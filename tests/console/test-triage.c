/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "console-display-util.h"
#include "console-test-server.h"
#include "signpost-application.h"
#include "signpost-duty-list-page.h"
#include "signpost-duty-request-view.h"
#include "signpost-navigation.h"
#include "signpost-request-who-section.h"
#include "signpost-triage-form.h"
#include "signpost-window.h"

/* Care navigation and the duty list, in the real window against a real
 * server under Xvfb: a form opened from a call (as the caller popup does)
 * filled and saved; a form saved with the server down and sent when it is
 * back; the duty list's order; and two doctors on one request. */

#define TIMEOUT_MS 120000

static SignpostApplication *app;
/* One window for the whole program, signed in and out by each test.
 * (Destroying the main window trips a libadwaita critical in another
 * page's teardown at the time of writing; it is not what these tests
 * are about.) */
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

static SignpostTriageForm *find_form (void);

static gboolean
engine_signed_out (gpointer data)
{
  return !signpost_sync_engine_get_logged_in (data);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  SignpostSyncEngine *engine = signpost_application_get_engine (app);

  if (signpost_sync_engine_get_logged_in (engine))
    gtk_widget_activate_action (GTK_WIDGET (f->window), "win.log-out", NULL);
  g_assert_true (test_wait_until (engine_signed_out, engine, TIMEOUT_MS));
  /* Signing out closed every form. */
  g_assert_null (find_form ());
  test_server_free (f->server);
}

/* ---- finding real widgets (display_find_widget() and friends do the walking) ---- */

static SignpostTriageForm *
find_form (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);
      if (SIGNPOST_IS_TRIAGE_FORM (window))
        return SIGNPOST_TRIAGE_FORM (window);
    }
  return NULL;
}

static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);
      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

/* As a click on one of its buttons does. */
static void
respond (const char *response)
{
  AdwMessageDialog *dialog = find_dialog ();

  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static gboolean
form_open (gpointer data)
{
  return find_form () != NULL;
}

static gboolean
form_closed (gpointer data)
{
  return find_form () == NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  return find_dialog () != NULL;
}

/* ---- signing in ----------------------------------------------------------------------- */

static gboolean
login_settled (gpointer data)
{
  Fixture *f = data;
  SignpostLoginPage *page = signpost_window_get_login_page (f->window);
  GtkWidget *choose = display_find_widget (GTK_WIDGET (page), display_is_button_labelled, "_Continue");

  return signpost_window_get_signed_in (f->window) ||
         (!signpost_login_page_get_busy (page) && signpost_login_page_get_error (page) != NULL) ||
         (choose != NULL && gtk_widget_get_mapped (choose) && !signpost_login_page_get_busy (page));
}

static gboolean
is_caught_up (gpointer data)
{
  SignpostSyncEngine *engine = data;
  return signpost_sync_engine_get_state (engine) == SIGNPOST_SYNC_STATE_ONLINE &&
         !signpost_sync_engine_get_first_sync (engine);
}

static gboolean
window_signed_in (gpointer data)
{
  return signpost_window_get_signed_in (data);
}

static void
sign_in_and_sync (Fixture    *f,
                  const char *username)
{
  signpost_window_sign_in (f->window, test_server_get_url (f->server), username, "demo-password");
  g_assert_true (test_wait_until (login_settled, f, TIMEOUT_MS));
  g_assert_null (signpost_login_page_get_error (signpost_window_get_login_page (f->window)));
  if (!signpost_window_get_signed_in (f->window))
    {
      /* Several practices: "All my practices". */
      GtkWidget *button = display_find_widget (GTK_WIDGET (f->window), display_is_button_labelled, "_Continue");
      g_assert_nonnull (button);
      gtk_widget_activate (button);
    }
  g_assert_true (test_wait_until (window_signed_in, f->window, TIMEOUT_MS));
  g_assert_true (test_wait_until (is_caught_up, signpost_window_get_engine (f->window), TIMEOUT_MS));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
}

/* ---- records ------------------------------------------------------------------------------ */

/* An adult demo patient with a mobile phone, of the practice of @line. */
static SignpostPatient *
pick_adult (SignpostCache *cache,
            gboolean       with_mobile)
{
  g_autoptr(GPtrArray) patients = signpost_cache_list_records (cache, SIGNPOST_RECORD_PATIENT, NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GTimeZone) tz = signpost_time_zone_new (SIGNPOST_DEFAULT_TIME_ZONE, NULL);

  for (guint i = 0; i < patients->len; i++)
    {
      SignpostPatient *patient = g_ptr_array_index (patients, i);
      GListModel *phones = signpost_patient_get_phones (patient);
      int age = signpost_age_from_iso_date (signpost_patient_get_date_of_birth (patient), now, tz);
      gboolean mobile = FALSE;

      for (guint j = 0; phones != NULL && j < g_list_model_get_n_items (phones); j++)
        {
          g_autoptr(SignpostPhone) phone = g_list_model_get_item (phones, j);
          if (signpost_phone_get_kind (phone) == SIGNPOST_PHONE_KIND_MOBILE)
            mobile = TRUE;
        }
      if (age >= 20 && age <= 60 && (!with_mobile || mobile))
        return g_object_ref (patient);
    }
  return NULL;
}

/* A demo patient under 13. */
static SignpostPatient *
pick_child (SignpostCache *cache)
{
  g_autoptr(GPtrArray) patients = signpost_cache_list_records (cache, SIGNPOST_RECORD_PATIENT, NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GTimeZone) tz = signpost_time_zone_new (SIGNPOST_DEFAULT_TIME_ZONE, NULL);

  for (guint i = 0; i < patients->len; i++)
    {
      SignpostPatient *patient = g_ptr_array_index (patients, i);
      int age = signpost_age_from_iso_date (signpost_patient_get_date_of_birth (patient), now, tz);

      if (age >= 2 && age < SIGNPOST_PARENT_CALLS_AGE_LIMIT)
        return g_object_ref (patient);
    }
  return NULL;
}

static char *
first_mobile (SignpostPatient *patient)
{
  GListModel *phones = signpost_patient_get_phones (patient);

  for (guint j = 0; phones != NULL && j < g_list_model_get_n_items (phones); j++)
    {
      g_autoptr(SignpostPhone) phone = g_list_model_get_item (phones, j);
      if (signpost_phone_get_kind (phone) == SIGNPOST_PHONE_KIND_MOBILE)
        return g_strdup (signpost_phone_get_number (phone));
    }
  return NULL;
}

/* A call offered from @cli on @line, as the phone system signs it. */
static char *
offer_call (TestServer *server,
            const char *line,
            const char *cli)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = signpost_timestamp_format (now);
  g_autofree char *ref = g_uuid_string_random ();
  g_autofree char *body = g_strdup_printf ("{\"event\":\"call.offered\",\"call_ref\":\"%s\",\"line\":\"%s\","
                                           "\"cli\":\"%s\",\"at\":\"%s\"}", ref, line, cli, at);
  g_autofree char *stamp = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);
  g_autofree char *signed_text = g_strconcat (stamp, ".", body, NULL);
  g_autofree char *hmac = g_compute_hmac_for_string (G_CHECKSUM_SHA256, (const guchar *) "demo-line-secret",
                                                     strlen ("demo-line-secret"), signed_text, -1);
  g_autofree char *signature = g_strconcat ("sha256=", hmac, NULL);
  g_autofree char *url = g_strconcat (test_server_get_direct_url (server), "/api/v1/telephony/events", NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Signpost-Timestamp", stamp);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Signpost-Signature", signature);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  node = signpost_json_parse (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply), 65536, &error);
  g_assert_no_error (error);
  return g_strdup (json_object_get_string_member (json_node_get_object (node), "call_id"));
}

typedef struct {
  SignpostCache *cache;
  SignpostRecordKind kind;
  const char *id;
} CachedRecord;

static gboolean
record_cached (gpointer data)
{
  CachedRecord *want = data;
  g_autoptr(SignpostRecord) record = signpost_cache_get_record (want->cache, want->kind, want->id, NULL);

  return record != NULL;
}

static gboolean
outbox_empty (gpointer data)
{
  return signpost_outbox_get_n_waiting (data) == 0;
}

static gboolean
outbox_has_problem (gpointer data)
{
  return signpost_outbox_get_n_problems (data) > 0;
}

typedef struct {
  TestServer *server;
  const char *token;
  const char *id;
  const char *field;
  const char *value;   /* NULL: any value, as long as the record is there */
} ServerRecord;

static JsonObject *
fetch_triage (TestServer *server,
              const char *token,
              const char *id)
{
  g_autoptr(GHashTable) records = test_server_fetch_records (server, token, "triage");
  JsonObject *record = g_hash_table_lookup (records, id);

  return record ? json_object_ref (record) : NULL;
}

static gboolean
server_has (gpointer data)
{
  ServerRecord *want = data;
  g_autoptr(JsonObject) record = fetch_triage (want->server, want->token, want->id);

  if (record == NULL)
    return FALSE;
  return want->field == NULL ||
         g_strcmp0 (json_object_get_string_member_with_default (record, want->field, NULL), want->value) == 0;
}

typedef struct {
  SignpostCache *cache;
  const char *key;
  const char *reason;
} DraftOnDisk;

static gboolean
draft_on_disk (gpointer data)
{
  DraftOnDisk *want = data;
  g_autoptr(JsonObject) draft = signpost_cache_load_draft (want->cache, want->key);

  return draft != NULL && g_strcmp0 (json_object_get_string_member (draft, "reason"), want->reason) == 0 &&
         json_object_get_boolean_member (draft, "pharmacy_first_taken");
}

/* ---- a form opened from a call, filled in and saved --------------------------------------- */

static void
test_form_from_call (Fixture       *f,
                     gconstpointer  data)
{
  SignpostSyncEngine *engine = signpost_application_get_engine (app);
  SignpostCache *cache;
  g_autoptr(SignpostPatient) patient = NULL;
  g_autoptr(GPtrArray) practices = NULL;
  g_autofree char *mobile = NULL;
  g_autofree char *shown_mobile = NULL;
  g_autofree char *call_id = NULL;
  g_autofree char *triage_id = NULL;
  g_autofree char *token = NULL;
  g_autofree char *key = NULL;
  g_autoptr(SignpostTriage) built = NULL;
  g_autoptr(JsonObject) saved = NULL;
  g_autoptr(GError) error = NULL;
  const char *line = NULL;
  SignpostTriageForm *form;
  CachedRecord want;

  sign_in_and_sync (f, "navigator");
  cache = signpost_sync_engine_get_cache (engine);
  patient = pick_adult (cache, TRUE);
  g_assert_nonnull (patient);
  mobile = first_mobile (patient);
  shown_mobile = signpost_phone_format (mobile);
  practices = signpost_cache_list_records (cache, SIGNPOST_RECORD_PRACTICE, NULL);
  for (guint i = 0; i < practices->len; i++)
    if (g_strcmp0 (signpost_record_get_id (g_ptr_array_index (practices, i)),
                   signpost_record_get_practice_id (SIGNPOST_RECORD (patient))) == 0)
      line = signpost_practice_get_lines (g_ptr_array_index (practices, i))[0];
  g_assert_nonnull (line);

  /* The patient rings; the popup (issue 6) asks for the form with the
   * call and the patient it matched. */
  call_id = offer_call (f->server, line, mobile);
  want = (CachedRecord) { cache, SIGNPOST_RECORD_CALL, call_id };
  g_assert_true (test_wait_until (record_cached, &want, TIMEOUT_MS));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.open-triage", "(sss)",
                              "", call_id, signpost_record_get_id (SIGNPOST_RECORD (patient)));
  g_assert_true (test_wait_until (form_open, NULL, 5000));
  form = find_form ();
  g_assert_cmpstr (signpost_triage_form_get_call_id (form), ==, call_id);
  triage_id = g_strdup (signpost_triage_form_get_triage_id (form));
  /* The number they rang from. */
  g_assert_cmpstr (signpost_triage_form_get_contact_number (form), ==, shown_mobile);
  /* Asking again brings the same window forward. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.open-triage", "(sss)",
                              "", call_id, signpost_record_get_id (SIGNPOST_RECORD (patient)));
  g_assert_true (find_form () == form);

  /* Nothing to save without the reason, or without an urgency. */
  g_assert_null (signpost_triage_form_build (form, &error));
  g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID);
  g_clear_error (&error);
  signpost_triage_form_set_reason (form, "Sore throat since Saturday, hurts to swallow");
  g_assert_null (signpost_triage_form_build (form, &error));
  g_clear_error (&error);

  /* Pharmacy First fits an adult's sore throat. */
  g_assert_cmpstr (signpost_triage_form_get_pharmacy_first (form), ==, "sore_throat");

  /* A red flag: what to do now, Red, and never Green. */
  signpost_triage_form_set_red_flag (form, "anaphylaxis", TRUE);
  g_assert_true (signpost_triage_form_get_red_flag_shown (form));
  g_assert_cmpstr (signpost_triage_form_get_red_flag_advice (form), ==, "Call 999 now");
  g_assert_false (signpost_triage_form_get_urgency_allowed (form, SIGNPOST_URGENCY_ROUTINE));
  g_assert_false (signpost_triage_form_get_urgency_allowed (form, SIGNPOST_URGENCY_WITHIN_2_WEEKS));
  g_assert_null (signpost_triage_form_get_pharmacy_first (form));
  signpost_triage_form_set_urgency (form, SIGNPOST_URGENCY_ROUTINE);
  built = signpost_triage_form_build (form, &error);
  g_assert_no_error (error);
  g_assert_cmpint (signpost_triage_get_urgency (built), ==, SIGNPOST_URGENCY_EMERGENCY);
  /* An adult: the patient is calling. */
  g_assert_cmpint (signpost_triage_get_caller_relationship (built), ==, SIGNPOST_CALLER_SELF);
  g_clear_object (&built);

  /* Not after all: Green, and the suggestion is back and taken. */
  signpost_triage_form_set_red_flag (form, "anaphylaxis", FALSE);
  g_assert_false (signpost_triage_form_get_red_flag_shown (form));
  g_assert_true (signpost_triage_form_get_urgency_allowed (form, SIGNPOST_URGENCY_ROUTINE));
  signpost_triage_form_set_urgency (form, SIGNPOST_URGENCY_ROUTINE);
  g_assert_cmpstr (signpost_triage_form_get_pharmacy_first (form), ==, "sore_throat");
  gtk_widget_activate_action (GTK_WIDGET (form), "triage.accept-pharmacy-first", NULL);

  /* What is typed is on disk within moments (a crash loses nothing):
   * read it through a connection of its own. */
  key = g_strconcat ("triage:", triage_id, NULL);
  {
    g_autoptr(SignpostCache) other = signpost_cache_open (signpost_cache_get_path (cache), &error);
    g_autoptr(JsonObject) draft = NULL;
    DraftOnDisk on_disk;

    g_assert_no_error (error);
    on_disk = (DraftOnDisk) { other, key, "Sore throat since Saturday, hurts to swallow" };
    g_assert_true (test_wait_until (draft_on_disk, &on_disk, 5000));
    draft = signpost_cache_load_draft (other, key);
    g_assert_cmpstr (json_object_get_string_member (draft, "reason"), ==, "Sore throat since Saturday, hurts to swallow");
    g_assert_cmpstr (json_object_get_string_member (draft, "call_id"), ==, call_id);
  }

  /* Ctrl+Enter: saved and closed. */
  gtk_widget_activate_action (GTK_WIDGET (form), "triage.save-close", NULL);
  g_assert_true (test_wait_until (form_closed, NULL, 5000));
  g_assert_null (signpost_cache_load_draft (cache, key));
  g_assert_true (test_wait_until (outbox_empty, signpost_sync_engine_get_outbox (engine), TIMEOUT_MS));
  g_assert_cmpuint (signpost_outbox_get_n_problems (signpost_sync_engine_get_outbox (engine)), ==, 0);

  token = test_server_login (f->server, "navigator");
  saved = fetch_triage (f->server, token, triage_id);
  g_assert_nonnull (saved);
  g_assert_cmpstr (json_object_get_string_member (saved, "reason"), ==, "Sore throat since Saturday, hurts to swallow");
  g_assert_cmpstr (json_object_get_string_member (saved, "patient_id"), ==, signpost_record_get_id (SIGNPOST_RECORD (patient)));
  g_assert_cmpstr (json_object_get_string_member (saved, "call_id"), ==, call_id);
  g_assert_cmpstr (json_object_get_string_member (saved, "contact_number"), ==, mobile);
  g_assert_cmpstr (json_object_get_string_member (saved, "urgency"), ==, "routine");
  g_assert_cmpstr (json_object_get_string_member (saved, "pharmacy_first"), ==, "sore_throat");
  g_assert_true (json_object_get_boolean_member (saved, "pharmacy_first_taken"));
  g_assert_cmpstr (json_object_get_string_member (saved, "status"), ==, "signposted");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (saved, "route"), "signpost"), ==,
                   "pharmacy_first");
  g_assert_nonnull (json_object_get_string_member (saved, "created_by"));
  g_assert_nonnull (json_object_get_string_member (saved, "created_at"));
  /* The call points back at its request. */
  {
    g_autoptr(GHashTable) calls = test_server_fetch_records (f->server, token, "call");
    JsonObject *call = g_hash_table_lookup (calls, call_id);
    g_assert_nonnull (call);
    g_assert_cmpstr (json_object_get_string_member (call, "triage_id"), ==, triage_id);
  }

  /* Leaving a form with something typed asks first; a form reopened
   * from its draft has what was typed. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.open-triage", "(sss)",
                              "", "", signpost_record_get_id (SIGNPOST_RECORD (patient)));
  g_assert_true (test_wait_until (form_open, NULL, 5000));
  form = find_form ();
  g_free (triage_id);
  triage_id = g_strdup (signpost_triage_form_get_triage_id (form));
  signpost_triage_form_set_reason (form, "Repeat prescription question");
  g_assert_true (signpost_triage_form_get_dirty (form));
  gtk_widget_activate_action (GTK_WIDGET (form), "window.close", NULL);
  g_assert_true (test_wait_until (dialog_shown, NULL, 5000));
  g_assert_true (find_form () == form);
  respond ("cancel");
  g_assert_true (find_form () == form);

  /* As after a crash: the window goes, the draft stays, and the next
   * sign-in offers it back. */
  gtk_window_destroy (GTK_WINDOW (form));
  g_assert_true (test_wait_until (form_closed, NULL, 5000));
  g_free (key);
  key = g_strconcat ("triage:", triage_id, NULL);
  {
    g_autoptr(JsonObject) draft = signpost_cache_load_draft (cache, key);
    g_assert_nonnull (draft);
  }
  signpost_triage_form_offer_drafts (GTK_WINDOW (f->window), signpost_actions_get_for_engine (engine));
  g_assert_true (test_wait_until (dialog_shown, NULL, 5000));
  respond ("open");
  g_assert_true (test_wait_until (form_open, NULL, 5000));
  form = find_form ();
  g_assert_cmpstr (signpost_triage_form_get_triage_id (form), ==, triage_id);
  g_assert_true (signpost_triage_form_get_dirty (form));
  built = signpost_triage_form_build (form, &error);
  g_assert_null (built);          /* no urgency chosen yet */
  g_clear_error (&error);
  signpost_triage_form_set_urgency (form, SIGNPOST_URGENCY_ROUTINE);
  built = signpost_triage_form_build (form, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (signpost_triage_get_reason (built), ==, "Repeat prescription question");

  /* Discarding forgets it. */
  gtk_widget_activate_action (GTK_WIDGET (form), "window.close", NULL);
  g_assert_true (test_wait_until (dialog_shown, NULL, 5000));
  respond ("discard");
  g_assert_true (test_wait_until (form_closed, NULL, 5000));
  g_assert_null (signpost_cache_load_draft (cache, key));

  /* A child's request: a parent or carer is calling, not the patient. */
  {
    g_autoptr(SignpostPatient) child = pick_child (cache);
    GtkWidget *who;

    g_assert_nonnull (child);
    gtk_widget_activate_action (GTK_WIDGET (f->window), "win.open-triage", "(sss)",
                                "", "", signpost_record_get_id (SIGNPOST_RECORD (child)));
    g_assert_true (test_wait_until (form_open, NULL, 5000));
    form = find_form ();
    who = display_find_widget_of_type (GTK_WIDGET (form), SIGNPOST_TYPE_REQUEST_WHO_SECTION);
    g_assert_nonnull (who);
    g_assert_cmpint (signpost_request_who_section_get_relationship (SIGNPOST_REQUEST_WHO_SECTION (who)), ==,
                     SIGNPOST_CALLER_PARENT);
    signpost_triage_form_set_reason (form, "Temperature since last night");
    gtk_widget_activate_action (GTK_WIDGET (form), "window.close", NULL);
    g_assert_true (test_wait_until (dialog_shown, NULL, 5000));
    respond ("discard");
    g_assert_true (test_wait_until (form_closed, NULL, 5000));
  }
}

/* ---- saved with the server down, sent when it is back -------------------------------------- */

static gboolean
engine_offline (gpointer data)
{
  return signpost_sync_engine_get_state (data) == SIGNPOST_SYNC_STATE_OFFLINE;
}

typedef struct {
  SignpostCache *cache;
  const char *id;
} StampedRecord;

static gboolean
record_stamped (gpointer data)
{
  StampedRecord *want = data;
  g_autoptr(SignpostTriage) triage = signpost_cache_get_record (want->cache, SIGNPOST_RECORD_TRIAGE, want->id, NULL);

  return triage != NULL && !signpost_cache_record_is_pending (SIGNPOST_RECORD (triage)) &&
         signpost_triage_get_created_at (triage) != NULL;
}

static void
test_offline_save (Fixture       *f,
                   gconstpointer  data)
{
  SignpostSyncEngine *engine = signpost_application_get_engine (app);
  SignpostCache *cache;
  SignpostOutbox *outbox;
  g_autoptr(SignpostPatient) patient = NULL;
  g_autoptr(SignpostTriage) pending = NULL;
  g_autofree char *triage_id = NULL;
  g_autofree char *token = NULL;
  g_autoptr(GError) error = NULL;
  SignpostTriageForm *form;
  ServerRecord want;

  sign_in_and_sync (f, "navigator");
  cache = signpost_sync_engine_get_cache (engine);
  outbox = signpost_sync_engine_get_outbox (engine);
  patient = pick_adult (cache, FALSE);

  test_server_stop (f->server);
  g_assert_true (test_wait_until (engine_offline, engine, TIMEOUT_MS));

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.open-triage", "(sss)",
                              "", "", signpost_record_get_id (SIGNPOST_RECORD (patient)));
  g_assert_true (test_wait_until (form_open, NULL, 5000));
  form = find_form ();
  triage_id = g_strdup (signpost_triage_form_get_triage_id (form));
  signpost_triage_form_set_reason (form, "Knee still swollen three weeks after a fall");
  signpost_triage_form_set_urgency (form, SIGNPOST_URGENCY_WITHIN_2_WEEKS);
  g_assert_true (signpost_triage_form_save (form, &error));
  g_assert_no_error (error);
  g_assert_false (signpost_triage_form_get_dirty (form));

  /* On this PC at once, marked as not yet on the server. */
  pending = signpost_cache_get_record (cache, SIGNPOST_RECORD_TRIAGE, triage_id, NULL);
  g_assert_nonnull (pending);
  g_assert_true (signpost_cache_record_is_pending (SIGNPOST_RECORD (pending)));
  g_assert_cmpuint (signpost_outbox_get_n_waiting (outbox), ==, 1);
  gtk_window_destroy (GTK_WINDOW (form));

  test_server_start (f->server);
  g_assert_true (test_wait_until (outbox_empty, outbox, TIMEOUT_MS));
  g_assert_cmpuint (signpost_outbox_get_n_problems (outbox), ==, 0);
  token = test_server_login (f->server, "navigator");
  want = (ServerRecord) { f->server, token, triage_id, "urgency", "within_2_weeks" };
  g_assert_true (server_has (&want));
  /* The server's copy, with its stamp, comes back through the feed. */
  {
    StampedRecord stamped = { cache, triage_id };
    g_assert_true (test_wait_until (record_stamped, &stamped, TIMEOUT_MS));
  }
}

/* ---- the route changed after a first save ------------------------------------------------- */

/* Save (Ctrl+S), then send it to the duty doctor and Ctrl+Return: the
 * form shows "Sent to the duty doctor", and that is what the server
 * has, with the duty doctor's status (issue 13, item 3). */
static void
test_route_after_save (Fixture       *f,
                       gconstpointer  data)
{
  SignpostSyncEngine *engine = signpost_application_get_engine (app);
  SignpostCache *cache;
  SignpostOutbox *outbox;
  g_autoptr(SignpostPatient) patient = NULL;
  g_autofree char *triage_id = NULL;
  g_autofree char *token = NULL;
  g_autoptr(JsonObject) saved = NULL;
  SignpostTriageForm *form;

  sign_in_and_sync (f, "navigator");
  cache = signpost_sync_engine_get_cache (engine);
  outbox = signpost_sync_engine_get_outbox (engine);
  patient = pick_adult (cache, FALSE);
  g_assert_nonnull (patient);

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.open-triage", "(sss)",
                              "", "", signpost_record_get_id (SIGNPOST_RECORD (patient)));
  g_assert_true (test_wait_until (form_open, NULL, 5000));
  form = find_form ();
  triage_id = g_strdup (signpost_triage_form_get_triage_id (form));
  signpost_triage_form_set_reason (form, "Rash on both arms since yesterday, spreading");
  signpost_triage_form_set_urgency (form, SIGNPOST_URGENCY_WITHIN_2_WEEKS);
  signpost_triage_form_set_route_kind (form, SIGNPOST_ROUTE_PROFESSION);
  g_assert_cmpint (signpost_triage_form_get_outcome (form), ==, SIGNPOST_OUTCOME_NONE);
  gtk_widget_activate_action (GTK_WIDGET (form), "triage.save", NULL);
  g_assert_false (signpost_triage_form_get_dirty (form));

  /* Not a doctor's after all: the outcome follows the route on screen. */
  signpost_triage_form_set_route_kind (form, SIGNPOST_ROUTE_DUTY);
  g_assert_cmpint (signpost_triage_form_get_outcome (form), ==, SIGNPOST_OUTCOME_SENT_TO_DUTY);
  gtk_widget_activate_action (GTK_WIDGET (form), "triage.save-close", NULL);
  g_assert_true (test_wait_until (form_closed, NULL, 5000));
  g_assert_true (test_wait_until (outbox_empty, outbox, TIMEOUT_MS));
  g_assert_cmpuint (signpost_outbox_get_n_problems (outbox), ==, 0);

  token = test_server_login (f->server, "navigator");
  saved = fetch_triage (f->server, token, triage_id);
  g_assert_nonnull (saved);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (saved, "route"), "kind"), ==, "duty");
  g_assert_cmpstr (json_object_get_string_member_with_default (saved, "outcome", NULL), ==, "sent_to_duty");
  g_assert_cmpstr (json_object_get_string_member (saved, "status"), ==, "awaiting_duty");
}

/* ---- the duty list's order ----------------------------------------------------------------- */

static char *
create_request (TestServer *server,
                const char *token,
                const char *practice_id,
                const char *patient_id,
                const char *urgency,
                const char *red_flag,
                const char *reason)
{
  char *id = g_uuid_string_random ();
  g_autofree char *mutation_id = g_uuid_string_random ();
  g_autofree char *flags = red_flag ? g_strdup_printf ("[\"%s\"]", red_flag) : g_strdup ("[]");
  g_autofree char *body =
    g_strdup_printf ("{\"mutations\":[{\"mutation_id\":\"%s\",\"type\":\"triage\",\"op\":\"create\",\"id\":\"%s\","
                     "\"data\":{\"practice_id\":\"%s\",\"patient_id\":\"%s\",\"reason\":\"%s\",\"red_flags\":%s,"
                     "\"urgency\":\"%s\",\"route\":{\"kind\":\"duty\"},\"status\":\"awaiting_duty\","
                     "\"outcome\":\"sent_to_duty\",\"contact_number\":\"+447700900555\"}}]}",
                     mutation_id, id, practice_id, patient_id, reason, flags, urgency);
  g_autoptr(JsonNode) reply = test_server_request (server, token, "POST", "mutations", body, NULL);
  JsonObject *result = json_array_get_object_element (json_object_get_array_member (json_node_get_object (reply),
                                                                                    "results"), 0);

  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "applied");
  /* created_at is kept to the millisecond: keep them apart. */
  g_usleep (15000);
  return id;
}

static SignpostDutyListPage *
duty_page (Fixture *f)
{
  return SIGNPOST_DUTY_LIST_PAGE (display_find_widget_of_type (GTK_WIDGET (f->window),
                                                               SIGNPOST_TYPE_DUTY_LIST_PAGE));
}

typedef struct {
  GListModel *model;
  guint n;
} ModelCount;

static gboolean
model_has (gpointer data)
{
  ModelCount *want = data;
  return want->model != NULL && g_list_model_get_n_items (want->model) >= want->n;
}

static gboolean
model_is (gpointer data)
{
  ModelCount *want = data;
  return want->model != NULL && g_list_model_get_n_items (want->model) == want->n;
}

/* Patients for the requests, straight from the server. */
static GPtrArray *
some_patients (TestServer *server,
               const char *token,
               guint       n)
{
  g_autoptr(GHashTable) patients = test_server_fetch_records (server, token, "patient");
  GPtrArray *picked = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, patients);
  while (g_hash_table_iter_next (&iter, NULL, &value) && picked->len < n)
    g_ptr_array_add (picked, json_object_ref (value));
  return picked;
}

static void
test_duty_order (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *nav = test_server_login (f->server, "navigator");
  g_autoptr(GPtrArray) patients = some_patients (f->server, nav, 6);
  const struct { const char *urgency, *flag, *reason; } made[] = {
    { "routine", NULL, "Blood pressure review" },
    { "same_day", NULL, "High temperature since last night" },
    { "within_2_weeks", NULL, "Mole has changed shape" },
    { "emergency", "chest_pain", "Crushing chest pain into the left arm" },
    { "same_day", "suicidal_intent", "Thinking about ending it, has a plan" },
    { "within_2_weeks", NULL, "Knee pain after football" },
  };
  /* Urgency first, then the longest waiting. */
  const guint expected[] = { 3, 1, 4, 2, 5, 0 };
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  SignpostDutyListPage *page;
  GListModel *model;
  ModelCount want;

  for (guint i = 0; i < G_N_ELEMENTS (made); i++)
    {
      JsonObject *patient = g_ptr_array_index (patients, i);
      g_ptr_array_add (ids, create_request (f->server, nav, json_object_get_string_member (patient, "practice_id"),
                                            json_object_get_string_member (patient, "id"),
                                            made[i].urgency, made[i].flag, made[i].reason));
    }

  sign_in_and_sync (f, "duty");
  g_assert_cmpstr (signpost_window_get_visible_page (f->window), ==, "duty");
  page = duty_page (f);
  model = signpost_duty_list_page_get_model (page);
  want = (ModelCount) { model, G_N_ELEMENTS (made) };
  g_assert_true (test_wait_until (model_has, &want, TIMEOUT_MS));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, G_N_ELEMENTS (made));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(SignpostTriage) row = g_list_model_get_item (model, i);
      g_assert_cmpstr (signpost_record_get_id (SIGNPOST_RECORD (row)), ==, g_ptr_array_index (ids, expected[i]));
    }

  /* A new Red one, created last, goes above the Amber and Green ones. */
  {
    JsonObject *patient = g_ptr_array_index (patients, 0);
    g_autofree char *late = create_request (f->server, nav, json_object_get_string_member (patient, "practice_id"),
                                            json_object_get_string_member (patient, "id"), "same_day", NULL,
                                            "Asthma worse, inhaler every two hours");
    g_autoptr(SignpostTriage) third = NULL;

    want.n = G_N_ELEMENTS (made) + 1;
    g_assert_true (test_wait_until (model_has, &want, TIMEOUT_MS));
    third = g_list_model_get_item (model, 3);
    g_assert_cmpstr (signpost_record_get_id (SIGNPOST_RECORD (third)), ==, late);
  }

  /* Closing one takes it off the list. */
  signpost_duty_list_page_open (page, g_ptr_array_index (ids, 0));
  {
    SignpostActions *actions = signpost_actions_get_for_engine (signpost_window_get_engine (f->window));
    g_autoptr(GError) error = NULL;

    g_assert_true (signpost_actions_review_request (actions, g_ptr_array_index (ids, 0), SIGNPOST_TRIAGE_CLOSED,
                                                    SIGNPOST_OUTCOME_ADVICE_GIVEN, NULL, "Closed", &error));
    g_assert_no_error (error);
    g_assert_true (test_wait_until (model_is, &(ModelCount) { model, G_N_ELEMENTS (made) }, TIMEOUT_MS));
  }
}

/* ---- two doctors, one request --------------------------------------------------------------- */

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

typedef struct {
  SignpostDutyRequestView *view;
  const char *text;
} ClaimText;

static gboolean
claim_shown (gpointer data)
{
  ClaimText *want = data;
  const char *text = signpost_duty_request_view_get_claim_text (want->view);

  return text != NULL && strstr (text, want->text) != NULL;
}

static gboolean
conflict_shown (gpointer data)
{
  return signpost_duty_request_view_get_conflict_shown (data);
}

static gboolean
pointer_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
test_two_doctors (Fixture       *f,
                  gconstpointer  data)
{
  const char * const add_user[] = {
    "add-user", "--username", "second", "--display-name", "Dr Sam Second", "--role", "clinician",
    "--practice", "Y99901", "--practice", "Y99902", NULL
  };
  const char * const set_password[] = { "set-password", "second", NULL };
  SignpostSyncEngine *engine = signpost_application_get_engine (app);
  g_autoptr(SignpostSyncEngine) other = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *nav = NULL;
  g_autofree char *duty_token = NULL;
  g_autofree char *triage_id = NULL;
  g_autoptr(GPtrArray) patients = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) stored = NULL;
  SignpostDutyListPage *page;
  SignpostDutyRequestView *view;
  ModelCount count;
  ClaimText claim;
  CachedRecord cached;

  test_server_admin (f->server, NULL, add_user);
  test_server_admin (f->server, "demo-password\n", set_password);
  nav = test_server_login (f->server, "navigator");
  patients = some_patients (f->server, nav, 1);
  triage_id = create_request (f->server, nav,
                              json_object_get_string_member (g_ptr_array_index (patients, 0), "practice_id"),
                              json_object_get_string_member (g_ptr_array_index (patients, 0), "id"),
                              "same_day", NULL, "Cough and fever for five days");

  /* Dr Second, at another PC, opens it first. */
  other = signpost_sync_engine_new ();
  g_object_set (other, "reconnect-min-ms", 100, "reconnect-max-ms", 500, NULL);
  signpost_sync_engine_login_async (other, test_server_get_direct_url (f->server), "second", "demo-password",
                                    NULL, NULL, store_result, &result);
  g_assert_true (test_wait_until (result_ready, &result, TIMEOUT_MS));
  g_assert_true (signpost_sync_engine_login_finish (other, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  signpost_sync_engine_start (other);
  g_assert_true (test_wait_until (is_caught_up, other, TIMEOUT_MS));
  cached = (CachedRecord) { signpost_sync_engine_get_cache (other), SIGNPOST_RECORD_TRIAGE, triage_id };
  g_assert_true (test_wait_until (record_cached, &cached, TIMEOUT_MS));
  {
    g_autoptr(SignpostTriage) mine = signpost_cache_get_record (signpost_sync_engine_get_cache (other),
                                                                SIGNPOST_RECORD_TRIAGE, triage_id, NULL);
    signpost_triage_set_claimed_by (mine, signpost_record_get_id (SIGNPOST_RECORD (signpost_sync_engine_get_user (other))));
    g_assert_true (signpost_outbox_save (signpost_sync_engine_get_outbox (other), SIGNPOST_RECORD (mine),
                                         "Opened", &error));
    g_assert_no_error (error);
  }
  g_assert_true (test_wait_until (outbox_empty, signpost_sync_engine_get_outbox (other), TIMEOUT_MS));

  /* Dr Duty opens it here and is told who has it; they do not take it. */
  sign_in_and_sync (f, "duty");
  page = duty_page (f);
  count = (ModelCount) { signpost_duty_list_page_get_model (page), 1 };
  g_assert_true (test_wait_until (model_has, &count, TIMEOUT_MS));
  signpost_duty_list_page_open (page, triage_id);
  view = signpost_duty_list_page_get_request_view (page);
  claim = (ClaimText) { view, "Dr Sam Second has this open" };
  g_assert_true (test_wait_until (claim_shown, &claim, TIMEOUT_MS));

  /* Both write notes; this PC is cut off, so the other's arrive first. */
  test_server_set_blocked (f->server, TRUE);
  g_assert_true (test_wait_until (engine_offline, engine, TIMEOUT_MS));
  signpost_duty_request_view_set_notes (view, "Dr Duty: spoke to the patient, advised rest and fluids");
  g_assert_true (signpost_duty_request_view_save_notes (view, &error));
  g_assert_no_error (error);
  {
    g_autoptr(SignpostTriage) theirs = signpost_cache_get_record (signpost_sync_engine_get_cache (other),
                                                                  SIGNPOST_RECORD_TRIAGE, triage_id, NULL);
    signpost_triage_set_duty_notes (theirs, "Dr Second: booked a face-to-face at 11:00");
    g_assert_true (signpost_outbox_save (signpost_sync_engine_get_outbox (other), SIGNPOST_RECORD (theirs),
                                         "Notes", &error));
    g_assert_no_error (error);
    g_assert_true (test_wait_until (outbox_empty, signpost_sync_engine_get_outbox (other), TIMEOUT_MS));
  }
  test_server_set_blocked (f->server, FALSE);

  /* The later save is a conflict, shown here and in the window's banner;
   * the server keeps what it had. */
  g_assert_true (test_wait_until (outbox_has_problem, signpost_sync_engine_get_outbox (engine), TIMEOUT_MS));
  g_assert_true (test_wait_until (conflict_shown, view, TIMEOUT_MS));
  duty_token = test_server_login (f->server, "duty");
  stored = fetch_triage (f->server, duty_token, triage_id);
  g_assert_cmpstr (json_object_get_string_member (stored, "duty_notes"), ==, "Dr Second: booked a face-to-face at 11:00");

  /* Keeping both: this PC's notes go below theirs. */
  gtk_widget_activate_action (GTK_WIDGET (view), "duty.merge-notes", NULL);
  g_assert_true (test_wait_until (outbox_empty, signpost_sync_engine_get_outbox (engine), TIMEOUT_MS));
  g_clear_pointer (&stored, json_object_unref);
  stored = fetch_triage (f->server, duty_token, triage_id);
  g_assert_cmpstr (json_object_get_string_member (stored, "duty_notes"), ==,
                   "Dr Second: booked a face-to-face at 11:00\n\nDr Duty: spoke to the patient, advised rest and fluids");
  g_assert_cmpuint (signpost_outbox_get_n_problems (signpost_sync_engine_get_outbox (engine)), ==, 0);

  {
    gpointer weak = other;

    signpost_sync_engine_stop (other);
    g_object_add_weak_pointer (G_OBJECT (other), &weak);
    g_clear_object (&other);
    g_assert_true (test_wait_until (pointer_cleared, &weak, 10000));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = g_dir_make_tmp ("signpost-triage-XXXXXX", NULL);
  int status;

  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  /* A small demo hub (a few hundred patients) keeps each sign-in quick. */
  g_setenv ("SIGNPOST_TEST_DEMO_SCALE", "0.05", FALSE);
  gtk_test_init (&argc, &argv, NULL);

  app = signpost_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

#define ADD(path, func) \
  g_test_add ("/signpost/triage/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("form-from-call", test_form_from_call);
  ADD ("offline-save", test_offline_save);
  ADD ("route-after-save", test_route_after_save);
  ADD ("duty-order", test_duty_order);
  ADD ("two-doctors", test_two_doctors);
#undef ADD

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
