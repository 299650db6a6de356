/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "console-test-server.h"
#include "console-test-telephony.h"
#include "signpost-application.h"
#include "signpost-call-desk.h"
#include "signpost-call-format.h"
#include "signpost-call-row.h"
#include "signpost-caller-popup.h"
#include "signpost-failed-contacts.h"
#include "signpost-patient-format.h"
#include "signpost-queue-page.h"
#include "signpost-ticker.h"
#include "signpost-triage-form.h"
#include "signpost-window.h"

/* The phone queue and the caller popup in the real window, against a real
 * demo server fed with signed webhook events: who the popup names for a
 * mobile, a household landline, an unknown and a withheld number; the
 * keyboard staying where the navigator types; two consoles answering one
 * call; the queue's order and places against /queue; a callback through
 * two failed attempts. */

#define TIMEOUT_MS 60000

/* "Within a second" of the webhook, with room for a sanitizer build. */
#if defined(__SANITIZE_ADDRESS__)
#define POPUP_MS 3000
#else
#define POPUP_MS 1000
#endif

static SignpostApplication *app;
static guint call_counter;

typedef struct {
  TestServer *server;
  SignpostWindow *window;
} Fixture;

/* ---- widgets ---------------------------------------------------------------------- */

static GtkWidget *
find_of_type (GtkWidget *root,
              GType      type)
{
  if (g_type_is_a (G_OBJECT_TYPE (root), type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_of_type (child, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
collect_rows (GtkWidget *root,
              GPtrArray *rows)
{
  if (SIGNPOST_IS_CALL_ROW (root) && gtk_widget_get_mapped (root) &&
      signpost_call_row_get_call (SIGNPOST_CALL_ROW (root)) != NULL)
    g_ptr_array_add (rows, root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    collect_rows (child, rows);
}

static SignpostQueuePage *
queue_page (SignpostWindow *window)
{
  return SIGNPOST_QUEUE_PAGE (find_of_type (GTK_WIDGET (window), SIGNPOST_TYPE_QUEUE_PAGE));
}

static SignpostCallerPopup *
caller_popup (SignpostWindow *window)
{
  return SIGNPOST_CALLER_POPUP (find_of_type (GTK_WIDGET (window), SIGNPOST_TYPE_CALLER_POPUP));
}

/* ---- fixture ------------------------------------------------------------------------ */

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  gint64 start = g_get_monotonic_time ();

  f->server = test_server_new ();
  g_test_message ("Server up in %.1f s", (g_get_monotonic_time () - start) / 1e6);
  f->window = signpost_window_new (app);
  gtk_window_present (GTK_WINDOW (f->window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
}

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
  GListModel *toplevels = gtk_window_get_toplevels ();

  /* Triage forms opened from the popup close first. */
  for (guint i = g_list_model_get_n_items (toplevels); i > 0; i--)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i - 1);
      if (window != GTK_WINDOW (f->window))
        gtk_window_destroy (window);
    }
  if (signpost_sync_engine_get_logged_in (engine))
    gtk_widget_activate_action (GTK_WIDGET (f->window), "win.log-out", NULL);
  g_assert_true (test_wait_until (engine_signed_out, engine, TIMEOUT_MS));
  gtk_window_destroy (GTK_WINDOW (f->window));
  test_server_free (f->server);
}

static gboolean
window_ready (gpointer data)
{
  SignpostWindow *window = data;
  SignpostSyncEngine *engine = signpost_window_get_engine (window);

  return signpost_window_get_signed_in (window) &&
         signpost_sync_engine_get_state (engine) == SIGNPOST_SYNC_STATE_ONLINE &&
         !signpost_sync_engine_get_first_sync (engine);
}

static void
sign_in (Fixture    *f,
         const char *username)
{
  gint64 start = g_get_monotonic_time ();

  signpost_window_sign_in (f->window, test_server_get_url (f->server), username, "demo-password");
  g_assert_true (test_wait_until (window_ready, f->window, TIMEOUT_MS));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
  g_test_message ("Signed in as %s and synced in %.1f s", username, (g_get_monotonic_time () - start) / 1e6);
}

static SignpostSyncEngine *
engine (Fixture *f)
{
  return signpost_window_get_engine (f->window);
}

static SignpostCache *
cache (Fixture *f)
{
  return signpost_sync_engine_get_cache (engine (f));
}

static SignpostPractice *
first_practice (SignpostSyncEngine *for_engine)
{
  g_autoptr(SignpostPractice) practice = g_list_model_get_item (signpost_sync_engine_get_practices (for_engine), 0);

  /* The engine's list keeps it alive. */
  return practice;
}

/* The first line of the practice this console works for. */
static const char *
line_of (SignpostSyncEngine *for_engine)
{
  return signpost_practice_get_lines (first_practice (for_engine))[0];
}

static char *
offer (Fixture    *f,
       const char *cli)
{
  g_autofree char *ref = g_strdup_printf ("queue-test-%u", ++call_counter);
  char *call_id = NULL;

  g_assert_cmpuint (test_post_call_event (f->server, "call.offered", ref, line_of (engine (f)), cli, NULL, &call_id),
                    ==, 200);
  g_assert_nonnull (call_id);
  return call_id;
}

/* ---- demo callers ------------------------------------------------------------------- */

/* A number of the practice's patients that finds @n of them (1: a
 * mobile of one person; 2 or more: a shared household line). */
static char *
number_shared_by (Fixture *f,
                  guint    at_least,
                  guint    at_most,
                  GPtrArray **out_patients)
{
  g_autoptr(GPtrArray) patients = signpost_cache_list_records (cache (f), SIGNPOST_RECORD_PATIENT, NULL);
  const char *practice_id = signpost_record_get_id (SIGNPOST_RECORD (first_practice (engine (f))));

  for (guint i = 0; i < patients->len; i++)
    {
      SignpostPatient *patient = g_ptr_array_index (patients, i);
      GListModel *phones = signpost_patient_get_phones (patient);

      if (g_strcmp0 (signpost_record_get_practice_id (SIGNPOST_RECORD (patient)), practice_id) != 0)
        continue;
      for (guint k = 0; phones != NULL && k < g_list_model_get_n_items (phones); k++)
        {
          g_autoptr(SignpostPhone) phone = g_list_model_get_item (phones, k);
          g_autoptr(GPtrArray) found = signpost_cache_find_patients_by_phone (cache (f), signpost_phone_get_number (phone), NULL);

          if (found->len >= at_least && found->len <= at_most)
            {
              if (out_patients != NULL)
                *out_patients = g_steal_pointer (&found);
              return g_strdup (signpost_phone_get_number (phone));
            }
        }
    }
  g_error ("No demo number shared by %u to %u patients", at_least, at_most);
}

/* ---- waiting for things ---------------------------------------------------------------- */

typedef struct {
  SignpostCallerPopup *popup;
  const char *call_id;
  SignpostCallerPopupMode mode;
} PopupShows;

static gboolean
popup_shows (gpointer data)
{
  PopupShows *want = data;

  return signpost_caller_popup_get_mode (want->popup) == want->mode &&
         g_strcmp0 (signpost_caller_popup_get_call_id (want->popup), want->call_id) == 0 &&
         gtk_widget_get_mapped (GTK_WIDGET (want->popup));
}

static gboolean
popup_hidden (gpointer data)
{
  return signpost_caller_popup_get_mode (data) == SIGNPOST_CALLER_POPUP_HIDDEN;
}

static void
assert_popup_within (SignpostCallerPopup     *popup,
                     const char              *call_id,
                     SignpostCallerPopupMode  mode,
                     gint64                   since_us,
                     guint                    ms)
{
  PopupShows want = { popup, call_id, mode };

  if (!test_wait_until (popup_shows, &want, ms))
    g_error ("The popup did not show call %s (mode %d) within %u ms: it shows %s in mode %d", call_id, mode, ms,
             signpost_caller_popup_get_call_id (popup), signpost_caller_popup_get_mode (popup));
  g_test_message ("Popup for %s after %.1f ms", call_id, (g_get_monotonic_time () - since_us) / 1000.0);
}

static gboolean
model_contains (gpointer data)
{
  gpointer *args = data;
  return signpost_record_list_lookup (SIGNPOST_RECORD_LIST (args[0]), args[1]) != NULL;
}

static void
wait_in_model (GListModel *model,
               const char *call_id)
{
  gpointer args[] = { model, (gpointer) call_id };
  g_assert_true (test_wait_until (model_contains, args, TIMEOUT_MS));
}

static gboolean
desk_idle (gpointer data)
{
  return !signpost_call_desk_get_busy (data);
}

/* ---- tests ------------------------------------------------------------------------------ */

static gboolean
outbox_empty (gpointer data)
{
  return signpost_outbox_get_n_waiting (data) == 0;
}

/* Asking the server blocks the main loop: not more than 4 times a second,
 * so that the console gets on with its work meanwhile. */
static gboolean
server_check_due (void)
{
  static gint64 last;
  gint64 now = g_get_monotonic_time ();

  if (now - last < 250000)
    return FALSE;
  last = now;
  return TRUE;
}

static gboolean
call_linked_on_server (gpointer data)
{
  gpointer *args = data;
  g_autofree char *token = NULL;
  g_autoptr(GHashTable) calls = NULL;
  JsonObject *call;

  if (!server_check_due ())
    return FALSE;
  token = test_server_login (args[0], "navigator");
  calls = test_server_fetch_records (args[0], token, "call");
  call = g_hash_table_lookup (calls, args[1]);
  return call != NULL && g_strcmp0 (json_object_get_string_member_with_default (call, "patient_id", NULL),
                                    args[2]) == 0;
}

typedef struct {
  TestServer *server;
  const char *patient_id;
} AuditCheck;

static gboolean
view_audited (gpointer data)
{
  AuditCheck *check = data;
  g_autofree char *token = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) reply = NULL;
  JsonArray *events;

  if (!server_check_due ())
    return FALSE;
  token = test_server_login (check->server, "admin");
  path = g_strdup_printf ("audit?patient_id=%s", check->patient_id);
  reply = test_server_request (check->server, token, "GET", path, NULL, NULL);
  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    return FALSE;
  events = json_object_get_array_member (json_node_get_object (reply), "events");
  for (guint i = 0; events != NULL && i < json_array_get_length (events); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (events, i), "action"), "view") == 0)
      return TRUE;
  return FALSE;
}

static gboolean
popup_rows_at_least_two (gpointer data)
{
  return signpost_caller_popup_get_row_subtitle (data, 1) != NULL;
}

static gboolean
search_has_two (gpointer data)
{
  return g_list_model_get_n_items (signpost_patient_search_get_results (data)) >= 2;
}

typedef struct {
  SignpostCache *cache;
  SignpostPatient *patient;
} NamesakeCheck;

static gboolean
namesake_cached (gpointer data)
{
  NamesakeCheck *check = data;
  g_autoptr(GPtrArray) found = signpost_cache_find_namesakes (check->cache, check->patient, NULL);

  return found != NULL && found->len == 1;
}

/* Two registered patients with the same name and date of birth (the
 * hazard log's C-01.7): a popup that names one of them says so and asks
 * for a second identifier, giving this one's own; a search that finds
 * both says so in each row, and so does the patient search. */
static void
test_popup_namesakes (Fixture       *f,
                      gconstpointer  data)
{
  SignpostCallerPopup *popup;
  SignpostActions *actions;
  SignpostPatientSearch *search;
  g_autoptr(GPtrArray) matches = NULL;
  g_autoptr(SignpostPatient) namesake = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mobile = NULL;
  g_autofree char *call_id = NULL;
  g_autofree char *withheld_id = NULL;
  g_autofree char *namesake_id = g_uuid_string_random ();
  g_autofree char *query = NULL;
  SignpostPatient *caller;
  const char *warning;
  const char *postcode;
  NamesakeCheck check;
  gint64 start;

  sign_in (f, "navigator");
  popup = caller_popup (f->window);
  actions = signpost_actions_get_for_engine (engine (f));
  mobile = number_shared_by (f, 1, 1, &matches);
  caller = g_ptr_array_index (matches, 0);
  postcode = signpost_patient_get_postcode (caller);
  g_assert_nonnull (postcode);
  {
    g_autoptr(GPtrArray) none = signpost_cache_find_namesakes (cache (f), caller, NULL);
    g_assert_cmpuint (none->len, ==, 0);
  }

  /* A temporary resident with the caller's name and date of birth. */
  namesake = signpost_patient_new ();
  signpost_record_set_id (SIGNPOST_RECORD (namesake), namesake_id);
  signpost_record_set_practice_id (SIGNPOST_RECORD (namesake), signpost_record_get_practice_id (SIGNPOST_RECORD (caller)));
  signpost_patient_set_given_name (namesake, signpost_patient_get_given_name (caller));
  signpost_patient_set_family_name (namesake, signpost_patient_get_family_name (caller));
  signpost_patient_set_date_of_birth (namesake, signpost_patient_get_date_of_birth (caller));
  signpost_patient_set_sex (namesake, SIGNPOST_SEX_UNKNOWN);
  signpost_patient_set_temporary (namesake, TRUE);
  g_assert_true (signpost_actions_register_temporary_patient (actions, namesake, "Registered a namesake", &error));
  g_assert_no_error (error);
  g_assert_true (test_wait_until (outbox_empty, signpost_sync_engine_get_outbox (engine (f)), TIMEOUT_MS));
  check.cache = cache (f);
  check.patient = caller;
  g_assert_true (test_wait_until (namesake_cached, &check, TIMEOUT_MS));

  /* The caller's own mobile: one patient, and the warning with their postcode. */
  start = g_get_monotonic_time ();
  call_id = offer (f, mobile);
  assert_popup_within (popup, call_id, SIGNPOST_CALLER_POPUP_OFFERED, start, POPUP_MS);
  g_assert_cmpstr (signpost_caller_popup_get_kind (popup), ==, "one");
  warning = signpost_caller_popup_get_namesake_warning (popup);
  g_assert_nonnull (warning);
  g_assert_true (g_str_has_prefix (warning, "1 other patient has the same name and date of birth. "
                                            "Ask for a second identifier: postcode or NHS number."));
  g_assert_nonnull (strstr (warning, postcode));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
  signpost_queue_page_answer_next (queue_page (f->window));
  assert_popup_within (popup, call_id, SIGNPOST_CALLER_POPUP_ANSWERED, start, TIMEOUT_MS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (queue_page (f->window)), "queue.end-call", NULL));
  g_assert_true (test_wait_until (desk_idle, signpost_call_desk_get_for_engine (engine (f)), TIMEOUT_MS));

  /* A withheld number; the caller gives their name and date of birth:
   * both are found, and each row says so. */
  start = g_get_monotonic_time ();
  withheld_id = offer (f, NULL);
  assert_popup_within (popup, withheld_id, SIGNPOST_CALLER_POPUP_OFFERED, start, POPUP_MS);
  g_assert_cmpstr (signpost_caller_popup_get_kind (popup), ==, "search");
  {
    GDate born;
    char dob[16];

    g_assert_true (signpost_date_parse (signpost_patient_get_date_of_birth (caller), &born, NULL));
    g_date_strftime (dob, sizeof dob, "%d/%m/%Y", &born);
    query = g_strdup_printf ("%s %s %s", signpost_patient_get_family_name (caller),
                             signpost_patient_get_given_name (caller), dob);
  }
  {
    GtkWidget *entry = find_of_type (GTK_WIDGET (popup), GTK_TYPE_SEARCH_ENTRY);

    gtk_editable_set_text (GTK_EDITABLE (entry), query);
    g_assert_true (test_wait_until (popup_rows_at_least_two, popup, TIMEOUT_MS));
    for (guint i = 0; i < 2; i++)
      {
        const char *subtitle = signpost_caller_popup_get_row_subtitle (popup, i);

        g_assert_nonnull (subtitle);
        g_assert_nonnull (strstr (subtitle, "the same name and date of birth"));
        g_assert_nonnull (strstr (subtitle, "Ask for a second identifier"));
      }
    /* The postcode is shown, to tell them apart. */
    g_assert_nonnull (signpost_patient_get_postcode (caller));
    {
      gboolean shown = FALSE;

      for (guint i = 0; i < 2; i++)
        shown = shown || strstr (signpost_caller_popup_get_row_subtitle (popup, i),
                                 signpost_patient_get_postcode (caller)) != NULL;
      g_assert_true (shown);
    }
  }
  signpost_caller_popup_dismiss (popup);

  /* The patient search says it too. */
  search = signpost_window_get_patient_search (f->window);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.search", NULL);
  signpost_patient_search_set_text (search, query);
  g_assert_true (test_wait_until (search_has_two, search, TIMEOUT_MS));
  g_assert_nonnull (strstr (signpost_patient_search_get_status (search),
                            "Some have the same name and date of birth: ask for a second identifier"));
}

/* A patient's own mobile: the popup names them within a second, and the
 * keyboard stays in the entry the navigator is typing in. Then answering
 * moves the keyboard into the popup, Enter links the call to the patient
 * through the outbox, and the view is audited. */
static void
test_popup_one_patient (Fixture       *f,
                        gconstpointer  data)
{
  SignpostCallerPopup *popup;
  g_autoptr(GPtrArray) matches = NULL;
  g_autofree char *mobile = NULL;
  g_autofree char *call_id = NULL;
  g_autofree char *name = NULL;
  const char *patient_id;
  GtkWidget *entry;
  GtkWidget *focus;
  AuditCheck check;
  gint64 start;

  sign_in (f, "navigator");
  popup = caller_popup (f->window);
  mobile = number_shared_by (f, 1, 1, &matches);
  name = signpost_patient_format_name (g_ptr_array_index (matches, 0));
  patient_id = signpost_record_get_id (g_ptr_array_index (matches, 0));

  /* The navigator is typing in the patient search. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.search", NULL);
  entry = find_of_type (GTK_WIDGET (signpost_window_get_patient_search (f->window)), GTK_TYPE_SEARCH_ENTRY);
  gtk_editable_set_text (GTK_EDITABLE (entry), "smi");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_true (focus == entry || gtk_widget_is_ancestor (focus, entry));

  start = g_get_monotonic_time ();
  call_id = offer (f, mobile);
  assert_popup_within (popup, call_id, SIGNPOST_CALLER_POPUP_OFFERED, start, POPUP_MS);
  g_assert_cmpstr (signpost_caller_popup_get_kind (popup), ==, "one");
  g_assert_cmpstr (signpost_caller_popup_get_heading (popup), ==, name);

  /* The popup drew, and the keyboard did not move. */
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_true (focus == entry || gtk_widget_is_ancestor (focus, entry));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "smi");

  /* F2 (the window's key, not the page's: the search is in front). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (queue_page (f->window)), "queue.answer-next", NULL));
  assert_popup_within (popup, call_id, SIGNPOST_CALLER_POPUP_ANSWERED, start, TIMEOUT_MS);
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), GTK_WIDGET (popup)));

  /* Enter: this is the caller. */
  {
    GtkEventController *keys = NULL;
    gboolean handled = FALSE;
    g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (popup));
    SignpostOutbox *outbox = signpost_sync_engine_get_outbox (engine (f));

    for (guint i = 0; i < g_list_model_get_n_items (controllers) && keys == NULL; i++)
      {
        g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);
        if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
          keys = controller;
      }
    g_assert_nonnull (keys);
    /* What GTK does with Enter: the panel's own keys first, then the
     * focused widget's (here the Confirm button takes it). */
    g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_Return, 0, 0, &handled);
    if (!handled)
      {
        focus = gtk_root_get_focus (GTK_ROOT (f->window));
        g_assert_true (GTK_IS_BUTTON (focus));
        g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (focus)), ==, "caller.confirm");
        g_assert_true (gtk_widget_activate (focus));
      }
    /* A button pressed from the keyboard clicks a moment later. */
    g_assert_true (test_wait_until (popup_hidden, popup, TIMEOUT_MS));
    /* Linked at once on this PC (pending), then on the server. */
    {
      g_autoptr(SignpostCall) linked = signpost_cache_get_record (cache (f), SIGNPOST_RECORD_CALL, call_id, NULL);
      g_assert_cmpstr (signpost_call_get_patient_id (linked), ==, patient_id);
    }
    g_assert_true (test_wait_until (outbox_empty, outbox, TIMEOUT_MS));
    g_assert_cmpuint (signpost_outbox_get_n_problems (outbox), ==, 0);
    {
      gpointer args[] = { f->server, call_id, (gpointer) patient_id };
      g_assert_true (test_wait_until (call_linked_on_server, args, TIMEOUT_MS));
    }
  }

  /* The popup's view of the record is in the audit log. */
  check = (AuditCheck) { f->server, patient_id };
  g_assert_true (test_wait_until (view_audited, &check, TIMEOUT_MS));
}

/* A household landline: every member to pick from, Up/Down move the
 * highlight. */
static void
test_popup_household (Fixture       *f,
                      gconstpointer  data)
{
  SignpostCallerPopup *popup;
  g_autoptr(GPtrArray) members = NULL;
  g_autofree char *landline = NULL;
  g_autofree char *call_id = NULL;
  g_autofree char *token = NULL;
  g_autoptr(GHashTable) on_server = NULL;
  g_autoptr(GHashTable) expected = g_hash_table_new (g_str_hash, g_str_equal);
  GListModel *listed;
  GHashTableIter iter;
  JsonObject *patient;
  gint64 start;

  sign_in (f, "navigator");
  popup = caller_popup (f->window);
  landline = number_shared_by (f, 2, 10, &members);

  /* Everyone the server has on that number. */
  token = test_server_login (f->server, "navigator");
  on_server = test_server_fetch_records (f->server, token, "patient");
  g_hash_table_iter_init (&iter, on_server);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &patient))
    {
      JsonArray *phones = json_object_get_array_member (patient, "phones");
      for (guint i = 0; i < json_array_get_length (phones); i++)
        if (g_str_equal (json_object_get_string_member (json_array_get_object_element (phones, i), "number"), landline))
          g_hash_table_add (expected, (gpointer) json_object_get_string_member (patient, "id"));
    }
  g_assert_cmpuint (g_hash_table_size (expected), >=, 2);

  start = g_get_monotonic_time ();
  call_id = offer (f, landline);
  assert_popup_within (popup, call_id, SIGNPOST_CALLER_POPUP_OFFERED, start, POPUP_MS);
  g_assert_cmpstr (signpost_caller_popup_get_kind (popup), ==, "several");
  listed = signpost_caller_popup_get_patients (popup);
  g_assert_cmpuint (g_list_model_get_n_items (listed), ==, g_hash_table_size (expected));
  for (guint i = 0; i < g_list_model_get_n_items (listed); i++)
    {
      g_autoptr(SignpostRecord) member = g_list_model_get_item (listed, i);
      g_assert_true (g_hash_table_contains (expected, signpost_record_get_id (member)));
    }

  /* Answer (the popup's own button); the first is highlighted; Down picks
   * the second. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (popup), "caller.answer", NULL));
  assert_popup_within (popup, call_id, SIGNPOST_CALLER_POPUP_ANSWERED, start, TIMEOUT_MS);
  {
    g_autoptr(SignpostPatient) first = signpost_caller_popup_get_selected (popup);
    g_autoptr(SignpostPatient) second = NULL;
    g_autoptr(SignpostRecord) expected_second = g_list_model_get_item (listed, 1);
    g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (popup));
    gboolean handled = FALSE;

    g_assert_nonnull (first);
    /* From the Confirm button, the arrows still move the highlight. */
    gtk_widget_grab_focus (find_of_type (GTK_WIDGET (popup), GTK_TYPE_BUTTON));
    for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
      {
        g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);
        if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
          g_signal_emit_by_name (controller, "key-pressed", GDK_KEY_Down, 0, 0, &handled);
      }
    g_assert_true (handled);
    second = signpost_caller_popup_get_selected (popup);
    g_assert_cmpstr (signpost_record_get_id (SIGNPOST_RECORD (second)), ==, signpost_record_get_id (expected_second));
  }
}

/* No patient has the number: a search filled in with it; withheld: an
 * empty search. Registering a temporary patient links them. */
/* args: the cache, a call id */
static gboolean
call_in_cache (gpointer data)
{
  gpointer *args = data;
  g_autoptr(SignpostCall) call = signpost_cache_get_record (args[0], SIGNPOST_RECORD_CALL, args[1], NULL);

  return call != NULL;
}

static void
test_popup_unknown_and_withheld (Fixture       *f,
                                 gconstpointer  data)
{
  SignpostCallerPopup *popup;
  const char *unknown = "+447700900999";
  g_autofree char *national = signpost_phone_format (unknown);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autoptr(GPtrArray) none = NULL;
  gint64 start;

  sign_in (f, "navigator");
  popup = caller_popup (f->window);
  none = signpost_cache_find_patients_by_phone (cache (f), unknown, NULL);
  g_assert_cmpuint (none->len, ==, 0);

  start = g_get_monotonic_time ();
  first = offer (f, unknown);
  assert_popup_within (popup, first, SIGNPOST_CALLER_POPUP_OFFERED, start, POPUP_MS);
  g_assert_cmpstr (signpost_caller_popup_get_kind (popup), ==, "search");
  g_assert_cmpstr (signpost_caller_popup_get_search_text (popup), ==, national);
  g_assert_nonnull (strstr (signpost_caller_popup_get_heading (popup), national));

  /* Answered; the navigator searches the name, finds nobody, and
   * registers a temporary patient from the popup. */
  signpost_queue_page_answer_next (queue_page (f->window));
  assert_popup_within (popup, first, SIGNPOST_CALLER_POPUP_ANSWERED, start, TIMEOUT_MS);
  gtk_editable_set_text (GTK_EDITABLE (find_of_type (GTK_WIDGET (popup), GTK_TYPE_SEARCH_ENTRY)), "tam visitor");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (popup), "caller.register", NULL));
  g_assert_cmpstr (signpost_caller_popup_get_kind (popup), ==, "register");
  {
    GtkWidget *rows[5];
    GtkWidget *child = GTK_WIDGET (popup);
    AdwComboRow *sex;
    guint n = 0;
    g_autoptr(GPtrArray) found = NULL;

    /* The form's rows, in order: first name, surname, date of birth,
     * (sex,) postcode, phone. */
    for (GtkWidget *w = find_of_type (child, ADW_TYPE_ENTRY_ROW); w != NULL && n < 5;
         w = gtk_widget_get_next_sibling (w))
      if (ADW_IS_ENTRY_ROW (w))
        rows[n++] = w;
    g_assert_cmpuint (n, ==, 5);
    sex = ADW_COMBO_ROW (find_of_type (child, ADW_TYPE_COMBO_ROW));
    g_assert_nonnull (sex);
    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (sex)), ==, "Sex");
    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (rows[3])), ==, "Postcode");
    /* The name typed in the search is carried over. */
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (rows[0])), ==, "Tam");
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (rows[1])), ==, "Visitor");
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (rows[4])), ==, national);
    /* A missing surname is said, nothing saved. */
    gtk_editable_set_text (GTK_EDITABLE (rows[1]), "");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (popup), "caller.save-temporary", NULL));
    g_assert_cmpstr (signpost_caller_popup_get_kind (popup), ==, "register");
    g_assert_cmpstr (signpost_caller_popup_get_register_error (popup), ==, "Type the patient’s surname.");
    gtk_editable_set_text (GTK_EDITABLE (rows[1]), "Visitor");
    gtk_editable_set_text (GTK_EDITABLE (rows[2]), "not a date");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (popup), "caller.save-temporary", NULL));
    g_assert_cmpstr (signpost_caller_popup_get_kind (popup), ==, "register");
    /* 31/02: said at the field as soon as it is typed, never silently. */
    gtk_editable_set_text (GTK_EDITABLE (rows[2]), "31/02/1980");
    g_assert_cmpstr (signpost_caller_popup_get_register_error (popup), ==,
                     "There is no 31 February: check the day and the month.");
    g_assert_true (gtk_widget_has_css_class (rows[2], "error"));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (popup), "caller.save-temporary", NULL));
    g_assert_cmpstr (signpost_caller_popup_get_kind (popup), ==, "register");
    gtk_editable_set_text (GTK_EDITABLE (rows[2]), "12/03/1980");
    g_assert_null (signpost_caller_popup_get_register_error (popup));
    g_assert_false (gtk_widget_has_css_class (rows[2], "error"));
    adw_combo_row_set_selected (sex, 1);  /* Female */
    gtk_editable_set_text (GTK_EDITABLE (rows[3]), "sw1a1aa");
    /* Enter in a field confirms, as the popup says. */
    g_signal_emit_by_name (rows[3], "entry-activated");
    g_assert_cmpint (signpost_caller_popup_get_mode (popup), ==, SIGNPOST_CALLER_POPUP_HIDDEN);

    found = signpost_cache_find_patients_by_phone (cache (f), unknown, NULL);
    g_assert_cmpuint (found->len, ==, 1);
    g_assert_true (signpost_patient_get_temporary (g_ptr_array_index (found, 0)));
    g_assert_cmpstr (signpost_patient_get_date_of_birth (g_ptr_array_index (found, 0)), ==, "1980-03-12");
    g_assert_cmpstr (signpost_patient_get_given_name (g_ptr_array_index (found, 0)), ==, "Tam");
    g_assert_cmpint (signpost_patient_get_sex (g_ptr_array_index (found, 0)), ==, SIGNPOST_SEX_FEMALE);
    g_assert_cmpstr (signpost_patient_get_postcode (g_ptr_array_index (found, 0)), ==, "SW1A 1AA");
    {
      gpointer args[] = { f->server, first, (gpointer) signpost_record_get_id (g_ptr_array_index (found, 0)) };

      /* The new patient first, then the link: both reach the server. */
      g_assert_true (test_wait_until (outbox_empty, signpost_sync_engine_get_outbox (engine (f)), TIMEOUT_MS));
      g_assert_cmpuint (signpost_outbox_get_n_problems (signpost_sync_engine_get_outbox (engine (f))), ==, 0);
      g_assert_true (test_wait_until (call_linked_on_server, args, TIMEOUT_MS));
    }
  }

  /* End the call (F3); then a withheld number: a search, empty. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (queue_page (f->window)), "queue.end-call", NULL));
  g_assert_true (test_wait_until (desk_idle, signpost_call_desk_get_for_engine (engine (f)), TIMEOUT_MS));
  start = g_get_monotonic_time ();
  second = offer (f, NULL);
  assert_popup_within (popup, second, SIGNPOST_CALLER_POPUP_OFFERED, start, POPUP_MS);
  g_assert_cmpstr (signpost_caller_popup_get_kind (popup), ==, "search");
  g_assert_cmpstr (signpost_caller_popup_get_search_text (popup), ==, "");
  g_assert_nonnull (strstr (signpost_caller_popup_get_heading (popup), "withheld"));

  /* Answered; the caller gives an NHS number and the navigator presses
   * Enter before the search's delay is up: the patient typed is the one
   * linked, not whatever the box held a moment before. */
  {
    g_autoptr(GPtrArray) matches = NULL;
    g_autofree char *mobile = number_shared_by (f, 1, 1, &matches);
    SignpostPatient *caller = g_ptr_array_index (matches, 0);
    const char *caller_id = signpost_record_get_id (SIGNPOST_RECORD (caller));
    GtkWidget *entry;

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (queue_page (f->window)), "queue.answer-next", NULL));
    assert_popup_within (popup, second, SIGNPOST_CALLER_POPUP_ANSWERED, start, TIMEOUT_MS);
    {
      gpointer args[] = { cache (f), second };
      g_assert_true (test_wait_until (call_in_cache, args, TIMEOUT_MS));
    }
    entry = find_of_type (GTK_WIDGET (popup), GTK_TYPE_SEARCH_ENTRY);
    gtk_editable_set_text (GTK_EDITABLE (entry), "smi");
    gtk_editable_set_text (GTK_EDITABLE (entry), signpost_patient_get_nhs_number (caller));
    signpost_caller_popup_confirm (popup);
    {
      g_autoptr(SignpostCall) linked = signpost_cache_get_record (cache (f), SIGNPOST_RECORD_CALL, second, NULL);
      g_assert_nonnull (linked);
      g_assert_cmpstr (signpost_call_get_patient_id (linked), ==, caller_id);
    }
    (void) mobile;
  }
}

/* ---- a caller who has left the practice ------------------------------------------------ */

/* A mobile that only one patient of the practice has, counting those who
 * have left. */
static char *
number_of_one (Fixture          *f,
               SignpostPatient **out_patient)
{
  g_autoptr(GPtrArray) patients = signpost_cache_list_records (cache (f), SIGNPOST_RECORD_PATIENT, NULL);
  const char *practice_id = signpost_record_get_id (SIGNPOST_RECORD (first_practice (engine (f))));

  for (guint i = 0; i < patients->len; i++)
    {
      SignpostPatient *patient = g_ptr_array_index (patients, i);
      GListModel *phones = signpost_patient_get_phones (patient);

      if (g_strcmp0 (signpost_record_get_practice_id (SIGNPOST_RECORD (patient)), practice_id) != 0 ||
          signpost_patient_get_left_at (patient) != NULL || signpost_patient_get_temporary (patient))
        continue;
      for (guint k = 0; phones != NULL && k < g_list_model_get_n_items (phones); k++)
        {
          g_autoptr(SignpostPhone) phone = g_list_model_get_item (phones, k);
          const char *number = signpost_phone_get_number (phone);
          g_autoptr(GPtrArray) everyone = signpost_cache_find_patients_by_phone_full (cache (f), number, TRUE, NULL);

          if (signpost_phone_get_kind (phone) == SIGNPOST_PHONE_KIND_MOBILE && everyone->len == 1)
            {
              *out_patient = g_object_ref (patient);
              return g_strdup (number);
            }
        }
    }
  g_error ("No demo mobile of one patient alone");
}

/* args: the cache, a patient id */
static gboolean
patient_left_in_cache (gpointer data)
{
  gpointer *args = data;
  g_autoptr(SignpostPatient) patient = signpost_cache_get_record (args[0], SIGNPOST_RECORD_PATIENT, args[1], NULL);

  return patient != NULL && signpost_patient_get_left_at (patient) != NULL;
}

static GtkWidget *
find_check_labelled (GtkWidget  *root,
                     const char *label)
{
  if (GTK_IS_CHECK_BUTTON (root) &&
      g_strcmp0 (gtk_check_button_get_label (GTK_CHECK_BUTTON (root)), label) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_check_labelled (child, label);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
popup_row_shows_left (gpointer data)
{
  const char *subtitle = signpost_caller_popup_get_row_subtitle (data, 0);

  return subtitle != NULL && strstr (subtitle, "Left the practice on 01-Dec-2026") != NULL;
}

/* The only patient with the caller's mobile has left the practice
 * (marked so from another console): the popup names nobody, says whose
 * number it is and offers "Include patients who have left the practice";
 * ticked, the patient is listed, marked as having left. The next call
 * starts with the box clear again. */
static void
test_popup_left_practice (Fixture       *f,
                          gconstpointer  data)
{
  SignpostCallerPopup *popup;
  g_autoptr(SignpostPatient) patient = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GPtrArray) registered = NULL;
  g_autofree char *mobile = NULL;
  g_autofree char *national = NULL;
  g_autofree char *token = NULL;
  g_autofree char *body = NULL;
  g_autofree char *mutation_id = g_uuid_string_random ();
  g_autofree char *call_id = NULL;
  g_autofree char *again_id = NULL;
  const char *patient_id;
  const char *heading;
  GtkWidget *check;
  JsonObject *result;
  gint64 start;

  sign_in (f, "navigator");
  popup = caller_popup (f->window);
  mobile = number_of_one (f, &patient);
  national = signpost_phone_format (mobile);
  patient_id = signpost_record_get_id (SIGNPOST_RECORD (patient));

  /* Another console: the patient left the practice on 1 December. */
  token = test_server_login (f->server, "navigator");
  body = g_strdup_printf ("{\"mutations\":[{\"mutation_id\":\"%s\",\"type\":\"patient\",\"op\":\"update\","
                          "\"id\":\"%s\",\"base_version\":%" G_GINT64_FORMAT ","
                          "\"data\":{\"left_at\":\"2026-12-01T10:00:00Z\"}}]}",
                          mutation_id, patient_id, signpost_record_get_version (SIGNPOST_RECORD (patient)));
  reply = test_server_request (f->server, token, "POST", "mutations", body, NULL);
  g_assert_nonnull (reply);
  result = json_array_get_object_element (json_object_get_array_member (json_node_get_object (reply), "results"), 0);
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "applied");
  {
    gpointer args[] = { cache (f), (gpointer) patient_id };
    g_assert_true (test_wait_until (patient_left_in_cache, args, TIMEOUT_MS));
  }
  registered = signpost_cache_find_patients_by_phone (cache (f), mobile, NULL);
  g_assert_cmpuint (registered->len, ==, 0);

  start = g_get_monotonic_time ();
  call_id = offer (f, mobile);
  assert_popup_within (popup, call_id, SIGNPOST_CALLER_POPUP_OFFERED, start, TIMEOUT_MS);
  g_assert_cmpstr (signpost_caller_popup_get_kind (popup), ==, "search");
  heading = signpost_caller_popup_get_heading (popup);
  g_assert_nonnull (heading);
  g_assert_true (g_str_has_prefix (heading, national));
  g_assert_nonnull (strstr (heading, "is the number of a patient who has left the practice"));
  g_assert_nonnull (strstr (heading, "Tick “Include patients who have left the practice”"));
  g_assert_cmpstr (signpost_caller_popup_get_search_text (popup), ==, national);

  /* The box is there, unticked; ticked, the patient is listed as having left. */
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
  check = find_check_labelled (GTK_WIDGET (popup), "Include patients who have left the practice");
  g_assert_nonnull (check);
  g_assert_true (gtk_widget_get_mapped (check));
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  gtk_widget_activate (check);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  g_assert_true (test_wait_until (popup_row_shows_left, popup, TIMEOUT_MS));
  g_assert_null (signpost_caller_popup_get_row_subtitle (popup, 1));

  /* Answered and ended; the same number calls again: unticked. */
  signpost_queue_page_answer_next (queue_page (f->window));
  assert_popup_within (popup, call_id, SIGNPOST_CALLER_POPUP_ANSWERED, start, TIMEOUT_MS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (queue_page (f->window)), "queue.end-call", NULL));
  g_assert_true (test_wait_until (desk_idle, signpost_call_desk_get_for_engine (engine (f)), TIMEOUT_MS));
  start = g_get_monotonic_time ();
  again_id = offer (f, mobile);
  assert_popup_within (popup, again_id, SIGNPOST_CALLER_POPUP_OFFERED, start, TIMEOUT_MS);
  g_assert_cmpstr (signpost_caller_popup_get_kind (popup), ==, "search");
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
}

/* Two consoles press Answer on the same call at once: the server gives it
 * to one; the other is told kindly. */
static gboolean
engine_online (gpointer data)
{
  return signpost_sync_engine_get_state (data) == SIGNPOST_SYNC_STATE_ONLINE &&
         !signpost_sync_engine_get_first_sync (data);
}

static void
logged_in (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (signpost_sync_engine_login_finish (SIGNPOST_SYNC_ENGINE (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
test_two_consoles (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(SignpostSyncEngine) other_engine = signpost_sync_engine_new ();
  SignpostQueuePage *mine;
  SignpostQueuePage *theirs;
  GtkWidget *other_window;
  SignpostCallDesk *my_desk;
  SignpostCallDesk *their_desk;
  g_autofree char *call_id = NULL;
  gboolean done = FALSE;
  SignpostCall *my_call;
  SignpostCall *their_call;

  sign_in (f, "navigator");
  mine = queue_page (f->window);

  /* The other console: another engine and another queue page, as hubnav. */
  signpost_sync_engine_login_async (other_engine, test_server_get_url (f->server), "hubnav", "demo-password",
                                    NULL, NULL, logged_in, &done);
  g_assert_true (test_wait_until (flag_set, &done, TIMEOUT_MS));
  signpost_sync_engine_start (other_engine);
  g_assert_true (test_wait_until (engine_online, other_engine, TIMEOUT_MS));
  other_window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (other_window), 1000, 700);
  theirs = g_object_new (SIGNPOST_TYPE_QUEUE_PAGE, NULL);
  {
    GtkWidget *overlay = adw_toast_overlay_new ();
    adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), GTK_WIDGET (theirs));
    gtk_window_set_child (GTK_WINDOW (other_window), overlay);
  }
  signpost_queue_page_set_actions (theirs, signpost_actions_get_for_engine (other_engine));
  gtk_window_present (GTK_WINDOW (other_window));

  call_id = offer (f, "+447700900998");
  wait_in_model (signpost_queue_page_get_waiting (mine), call_id);
  wait_in_model (signpost_queue_page_get_waiting (theirs), call_id);

  /* Both at once: neither waits for the other's answer. */
  signpost_queue_page_answer_call (mine, call_id);
  signpost_queue_page_answer_call (theirs, call_id);
  my_desk = signpost_call_desk_get_for_engine (engine (f));
  their_desk = signpost_call_desk_get_for_engine (other_engine);
  g_assert_true (signpost_call_desk_get_busy (my_desk) && signpost_call_desk_get_busy (their_desk));
  g_assert_true (test_wait_until (desk_idle, my_desk, TIMEOUT_MS));
  g_assert_true (test_wait_until (desk_idle, their_desk, TIMEOUT_MS));

  my_call = signpost_call_desk_get_current_call (my_desk);
  their_call = signpost_call_desk_get_current_call (their_desk);
  g_assert_true ((my_call != NULL) != (their_call != NULL));
  if (my_call != NULL)
    {
      g_assert_cmpstr (signpost_record_get_id (SIGNPOST_RECORD (my_call)), ==, call_id);
      g_assert_cmpstr (signpost_queue_page_get_notice (theirs), ==, "Another navigator answered that call.");
      g_assert_null (signpost_queue_page_get_notice (mine));
    }
  else
    {
      g_assert_cmpstr (signpost_record_get_id (SIGNPOST_RECORD (their_call)), ==, call_id);
      g_assert_cmpstr (signpost_queue_page_get_notice (mine), ==, "Another navigator answered that call.");
      g_assert_null (signpost_queue_page_get_notice (theirs));
    }

  signpost_queue_page_set_actions (theirs, NULL);
  gtk_window_destroy (GTK_WINDOW (other_window));
  signpost_sync_engine_stop (other_engine);
}

/* The page's order and places are the server's (/queue), a callback
 * keeps its place, and the clock only changes the time labels. */
typedef struct {
  SignpostQueuePage *page;
  guint n;
} QueueLength;

static gboolean
queue_has (gpointer data)
{
  QueueLength *want = data;
  GListModel *waiting = signpost_queue_page_get_waiting (want->page);

  return waiting != NULL && g_list_model_get_n_items (waiting) == want->n;
}

static gboolean
ticked_twice (gpointer data)
{
  return signpost_ticker_get_n_ticks (signpost_ticker_get_default ()) >= *(guint64 *) data + 2;
}

static void
test_queue_matches_server (Fixture       *f,
                           gconstpointer  data)
{
  SignpostQueuePage *page;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *token = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  JsonArray *calls;
  GListModel *waiting;
  QueueLength want;
  guint status;

  sign_in (f, "navigator");
  page = queue_page (f->window);
  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *cli = g_strdup_printf ("+4477009009%02u", 50 + i);
      g_ptr_array_add (ids, offer (f, cli));
      g_usleep (2000);  /* distinct offer times */
    }
  /* The third asks for a callback, the fifth hangs up. */
  {
    g_autofree char *ref3 = g_strdup_printf ("queue-test-%u", call_counter - 5);
    g_autofree char *ref5 = g_strdup_printf ("queue-test-%u", call_counter - 3);
    g_assert_cmpuint (test_post_call_event (f->server, "call.callback_requested", ref3, line_of (engine (f)),
                                            "+447700900952", "+447700900952", NULL), ==, 200);
    g_assert_cmpuint (test_post_call_event (f->server, "call.abandoned", ref5, line_of (engine (f)),
                                            "+447700900954", NULL, NULL), ==, 200);
  }
  want = (QueueLength) { page, 7 };
  g_assert_true (test_wait_until (queue_has, &want, TIMEOUT_MS));
  g_assert_cmpstr (signpost_queue_page_get_figure (page, "waiting"), ==, "6");
  /* Two callers still hold ahead of the callback: not due yet. */
  g_assert_cmpstr (signpost_queue_page_get_figure (page, "callbacks"), ==, "0");

  token = test_server_login (f->server, "navigator");
  path = g_strdup_printf ("queue?practice=%s", signpost_record_get_id (SIGNPOST_RECORD (first_practice (engine (f)))));
  reply = test_server_request (f->server, token, "GET", path, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  calls = json_object_get_array_member (json_node_get_object (reply), "calls");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (reply), "callbacks_due"), ==, 0);
  waiting = signpost_queue_page_get_waiting (page);
  g_assert_cmpuint (json_array_get_length (calls), ==, g_list_model_get_n_items (waiting));
  for (guint i = 0; i < json_array_get_length (calls); i++)
    {
      JsonObject *entry = json_array_get_object_element (calls, i);
      g_autoptr(SignpostRecord) call = g_list_model_get_item (waiting, i);

      g_assert_cmpstr (json_object_get_string_member (entry, "call_id"), ==, signpost_record_get_id (call));
      g_assert_cmpint (json_object_get_int_member (entry, "position"), ==, i + 1);
    }

  /* The places on screen are those places; the callback's badge says it
   * keeps its place. */
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
  collect_rows (GTK_WIDGET (page), rows);
  g_assert_cmpuint (rows->len, >=, json_array_get_length (calls));
  for (guint r = 0; r < rows->len; r++)
    {
      SignpostCallRow *row = g_ptr_array_index (rows, r);
      const char *id = signpost_record_get_id (SIGNPOST_RECORD (signpost_call_row_get_call (row)));

      if (signpost_call_row_get_mode (row) != SIGNPOST_CALL_ROW_WAITING)
        continue;
      for (guint i = 0; i < json_array_get_length (calls); i++)
        {
          JsonObject *entry = json_array_get_object_element (calls, i);
          if (g_str_equal (json_object_get_string_member (entry, "call_id"), id))
            {
              g_assert_cmpint (signpost_call_row_get_position (row), ==, json_object_get_int_member (entry, "position"));
              if (json_object_get_boolean_member (entry, "callback"))
                g_assert_cmpstr (signpost_call_row_get_badge_text (row), ==, "Callback — keeps place");
              else
                g_assert_null (signpost_call_row_get_badge_text (row));
            }
        }
    }

  /* Two ticks later: the same rows showing the same calls (nothing was
   * rebuilt or bound again), only their times moved on. */
  {
    g_autoptr(GPtrArray) later = g_ptr_array_new ();
    g_autoptr(GPtrArray) calls_before = g_ptr_array_new ();
    g_autoptr(GPtrArray) waits_before = g_ptr_array_new_with_free_func (g_free);
    guint64 ticks = signpost_ticker_get_n_ticks (signpost_ticker_get_default ());

    for (guint r = 0; r < rows->len; r++)
      {
        SignpostCallRow *row = g_ptr_array_index (rows, r);
        g_ptr_array_add (calls_before, signpost_call_row_get_call (row));
        g_ptr_array_add (waits_before, g_strdup (signpost_call_row_get_wait_text (row)));
      }
    g_assert_true (test_wait_until (ticked_twice, &ticks, TIMEOUT_MS));
    gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
    collect_rows (GTK_WIDGET (page), later);
    g_assert_cmpuint (later->len, ==, rows->len);
    for (guint r = 0; r < rows->len; r++)
      {
        SignpostCallRow *row = g_ptr_array_index (rows, r);

        g_assert_true (g_ptr_array_find (later, row, NULL));
        g_assert_true (signpost_call_row_get_call (row) == g_ptr_array_index (calls_before, r));
        g_assert_cmpstr (signpost_call_row_get_wait_text (row), !=, g_ptr_array_index (waits_before, r));
      }
  }
}

/* A callback at the front is due; calling back and finding nobody twice
 * closes it as failed contact on the server. */
typedef struct {
  SignpostQueuePage *page;
  const char *text;
} NoticeIs;

static gboolean
notice_is (gpointer data)
{
  NoticeIs *want = data;
  return g_strcmp0 (signpost_queue_page_get_notice (want->page), want->text) == 0;
}

static gboolean
callback_failed_on_server (gpointer data)
{
  gpointer *args = data;
  g_autofree char *token = NULL;
  g_autoptr(GHashTable) calls = NULL;
  JsonObject *call;

  if (!server_check_due ())
    return FALSE;
  token = test_server_login (args[0], "navigator");
  calls = test_server_fetch_records (args[0], token, "call");
  call = g_hash_table_lookup (calls, args[1]);
  return call != NULL &&
         g_strcmp0 (json_object_get_string_member (call, "state"), "callback_done") == 0 &&
         g_strcmp0 (json_object_get_string_member (call, "callback_outcome"), "failed_contact") == 0;
}

static gboolean
followed_up_on_server (gpointer data)
{
  gpointer *args = data;
  g_autofree char *token = NULL;
  g_autoptr(GHashTable) calls = NULL;
  JsonObject *call;

  if (!server_check_due ())
    return FALSE;
  token = test_server_login (args[0], "navigator");
  calls = test_server_fetch_records (args[0], token, "call");
  call = g_hash_table_lookup (calls, args[1]);
  return call != NULL &&
         g_strcmp0 (json_object_get_string_member_with_default (call, "follow_up", NULL), "text") == 0 &&
         json_object_get_string_member_with_default (call, "followed_up_by", NULL) != NULL;
}

static gboolean
model_is_empty (gpointer data)
{
  return g_list_model_get_n_items (data) == 0;
}

static gboolean
current_call_is (gpointer data)
{
  gpointer *args = data;
  SignpostCall *call = signpost_call_desk_get_current_call (args[0]);

  return args[1] == NULL ? call == NULL
                         : call != NULL && g_str_equal (signpost_record_get_id (SIGNPOST_RECORD (call)), args[1]);
}

/* ---- the keyboard through the page ------------------------------------------------------ */

static GtkWidget *
find_button_with_action (GtkWidget  *root,
                         const char *action)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_with_action (child, action);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
focus_is_in (GtkWidget *focus,
             GtkWidget *ancestor)
{
  return focus != NULL && (focus == ancestor || gtk_widget_is_ancestor (focus, ancestor));
}

/* Tab from the list the keyboard is on goes round the window, and from
 * the header bar through the page's controls in reading order: Answer
 * first, then on to the failed-contact list's follow-up button; not
 * straight back to the list that had the keyboard. */
static void
assert_tab_walks_page (Fixture   *f,
                       GtkWidget *last_list)
{
  GtkWidget *window = GTK_WIDGET (f->window);
  GtkWidget *page = GTK_WIDGET (queue_page (f->window));
  GtkWidget *header = gtk_widget_get_ancestor (find_of_type (window, ADW_TYPE_VIEW_SWITCHER_TITLE), ADW_TYPE_HEADER_BAR);
  GtkWidget *failed = find_of_type (page, SIGNPOST_TYPE_FAILED_CONTACTS);
  GtkWidget *answer = find_button_with_action (page, "queue.answer-next");
  GtkWidget *first_after_header = NULL;
  gboolean header_met = FALSE, answer_reached = FALSE, follow_up_reached = FALSE;

  g_assert_nonnull (header);
  g_assert_nonnull (answer);
  g_assert_true (gtk_widget_is_sensitive (answer));
  /* The keyboard on a list of the page, as Alt+1 leaves it. */
  g_assert_true (gtk_widget_child_focus (last_list, GTK_DIR_TAB_FORWARD));
  g_assert_true (focus_is_in (gtk_root_get_focus (GTK_ROOT (window)), last_list));

  for (guint i = 0; i < 80 && !(answer_reached && follow_up_reached && first_after_header != NULL); i++)
    {
      GtkWidget *focus;

      g_assert_true (gtk_widget_child_focus (window, GTK_DIR_TAB_FORWARD));
      focus = gtk_root_get_focus (GTK_ROOT (window));
      g_test_message ("Tab %u: %s %p", i, focus ? G_OBJECT_TYPE_NAME (focus) : "nothing", (void *) focus);
      if (focus_is_in (focus, header))
        header_met = TRUE;
      else if (header_met && first_after_header == NULL && focus_is_in (focus, page))
        first_after_header = focus;
      if (focus_is_in (focus, answer))
        answer_reached = TRUE;
      if (focus_is_in (focus, failed) && gtk_widget_get_ancestor (focus, GTK_TYPE_MENU_BUTTON) != NULL)
        follow_up_reached = TRUE;
    }
  g_assert_true (header_met);
  g_assert_true (focus_is_in (first_after_header, answer));
  g_assert_true (answer_reached);
  g_assert_true (follow_up_reached);
}

static gboolean
page_shows_a_row (gpointer data)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_rows (data, rows);
  return rows->len > 0;
}

static void
test_callback_lifecycle (Fixture       *f,
                         gconstpointer  data)
{
  SignpostQueuePage *page;
  SignpostCallDesk *desk;
  g_autofree char *call_id = NULL;
  g_autofree char *ref = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  NoticeIs once, twice;

  sign_in (f, "navigator");
  page = queue_page (f->window);
  desk = signpost_call_desk_get_for_engine (engine (f));
  call_id = offer (f, "+447700900997");
  ref = g_strdup_printf ("queue-test-%u", call_counter);
  g_assert_cmpuint (test_post_call_event (f->server, "call.callback_requested", ref, line_of (engine (f)),
                                          "+447700900997", "+447700900997", NULL), ==, 200);
  wait_in_model (signpost_queue_page_get_callbacks (page), call_id);
  g_assert_cmpstr (signpost_queue_page_get_figure (page, "callbacks"), ==, "1");
  g_assert_cmpstr (signpost_queue_page_get_figure (page, "waiting"), ==, "0");

  /* At the front: due. */
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
  collect_rows (GTK_WIDGET (page), rows);
  g_assert_cmpuint (rows->len, ==, 2);  /* in the queue, and in the callbacks list */
  for (guint i = 0; i < rows->len; i++)
    g_assert_cmpstr (signpost_call_row_get_badge_text (g_ptr_array_index (rows, i)), ==, "Callback due now");

  for (guint attempt = 1; attempt <= 2; attempt++)
    {
      gpointer args[] = { desk, call_id };

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "queue.call-back", "s", call_id));
      g_assert_true (test_wait_until (current_call_is, args, TIMEOUT_MS));
      g_assert_true (signpost_call_is_callback (signpost_call_desk_get_current_call (desk)));
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "queue.no-answer", NULL));
      if (attempt == 1)
        {
          once = (NoticeIs) { page, "No answer. The callback keeps its place for a second try." };
          g_assert_true (test_wait_until (notice_is, &once, TIMEOUT_MS));
          /* Back in the list, second try. */
          wait_in_model (signpost_queue_page_get_callbacks (page), call_id);
        }
      else
        {
          /* Said at once, and the call bar keeps saying it. */
          twice = (NoticeIs) { page, "No answer at the second try: a failed contact, now on the "
                                     "failed-contact list to follow up." };
          g_assert_true (test_wait_until (notice_is, &twice, TIMEOUT_MS));
          g_assert_nonnull (strstr (signpost_queue_page_get_status (page), "failed-contact list"));
          g_assert_null (strstr (signpost_queue_page_get_status (page), "keeps its place"));
        }
    }
  {
    gpointer args[] = { f->server, call_id };
    gpointer none[] = { desk, NULL };
    g_assert_true (test_wait_until (callback_failed_on_server, args, TIMEOUT_MS));
    g_assert_true (test_wait_until (current_call_is, none, TIMEOUT_MS));
  }

  /* On the failed-contact list, counted on the page, with what to do. */
  {
    SignpostFailedContacts *failed = SIGNPOST_FAILED_CONTACTS (find_of_type (GTK_WIDGET (page),
                                                                             SIGNPOST_TYPE_FAILED_CONTACTS));
    g_autofree char *described = NULL;
    gpointer args[] = { f->server, call_id };

    wait_in_model (signpost_failed_contacts_get_model (failed), call_id);
    g_assert_cmpstr (signpost_queue_page_get_figure (page, "failed-contacts"), ==, "1");
    described = signpost_failed_contacts_describe (failed, 0);
    g_test_message ("%s", described);
    g_assert_nonnull (strstr (described, "07700 900997"));
    g_assert_nonnull (strstr (described, "Tried "));
    g_assert_nonnull (strstr (described, "Urgency not assessed"));
    g_assert_nonnull (strstr (described, "Next: Send a text"));
    gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
    g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (failed)));
    /* Tab from the header bar reaches Answer and the follow-up, not
     * straight back to the list the keyboard was last on. */
    assert_tab_walks_page (f, GTK_WIDGET (failed));
    /* And from the queue, with a caller waiting. */
    {
      g_autofree char *waiting_id = offer (f, "+447700900996");
      g_autoptr(GPtrArray) waiting_rows = g_ptr_array_new ();

      wait_in_model (signpost_queue_page_get_waiting (page), waiting_id);
      g_assert_true (test_wait_until (page_shows_a_row, page, TIMEOUT_MS));
      collect_rows (GTK_WIDGET (page), waiting_rows);
      g_assert_cmpuint (waiting_rows->len, >, 0);
      assert_tab_walks_page (f, gtk_widget_get_ancestor (g_ptr_array_index (waiting_rows, 0), GTK_TYPE_LIST_VIEW));
    }

    /* The follow-up done takes it off the list, on the server too. */
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (failed), "failed.follow-up", "(ss)", call_id, "text"));
    g_assert_true (test_wait_until (model_is_empty, signpost_failed_contacts_get_model (failed), TIMEOUT_MS));
    g_assert_cmpstr (signpost_queue_page_get_figure (page, "failed-contacts"), ==, "0");
    g_assert_true (test_wait_until (followed_up_on_server, args, TIMEOUT_MS));
  }
}

/* "Reached" on a callback for a known patient: the form is for them. */
static gboolean
triage_form_for (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);
      AdwWindowTitle *title;

      if (!SIGNPOST_IS_TRIAGE_FORM (window))
        continue;
      title = ADW_WINDOW_TITLE (find_of_type (GTK_WIDGET (window), ADW_TYPE_WINDOW_TITLE));
      if (title != NULL && g_str_has_prefix (adw_window_title_get_subtitle (title), data))
        return TRUE;
    }
  return FALSE;
}

static void
test_callback_reached_known (Fixture       *f,
                             gconstpointer  data)
{
  SignpostQueuePage *page;
  SignpostCallDesk *desk;
  g_autoptr(GPtrArray) matches = NULL;
  g_autofree char *mobile = NULL;
  g_autofree char *call_id = NULL;
  g_autofree char *ref = NULL;
  g_autofree char *name = NULL;

  sign_in (f, "navigator");
  page = queue_page (f->window);
  desk = signpost_call_desk_get_for_engine (engine (f));
  mobile = number_shared_by (f, 1, 1, &matches);
  name = signpost_patient_format_name (g_ptr_array_index (matches, 0));
  call_id = offer (f, mobile);
  ref = g_strdup_printf ("queue-test-%u", call_counter);
  g_assert_cmpuint (test_post_call_event (f->server, "call.callback_requested", ref, line_of (engine (f)),
                                          mobile, mobile, NULL), ==, 200);
  wait_in_model (signpost_queue_page_get_callbacks (page), call_id);
  {
    gpointer args[] = { desk, call_id };

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "queue.call-back", "s", call_id));
    g_assert_true (test_wait_until (current_call_is, args, TIMEOUT_MS));
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "queue.reached", NULL));
  g_assert_true (test_wait_until (triage_form_for, name, TIMEOUT_MS));
}

/* Offline: no stale queue, the phones are said to be unavailable. */
static gboolean
phones_unavailable (gpointer data)
{
  return !signpost_queue_page_get_phones_available (data);
}

static gboolean
phones_available (gpointer data)
{
  return signpost_queue_page_get_phones_available (data);
}

static void
test_offline (Fixture       *f,
              gconstpointer  data)
{
  SignpostQueuePage *page;

  g_object_set (engine (f), "reconnect-min-ms", 100, "reconnect-max-ms", 500, NULL);
  sign_in (f, "navigator");
  page = queue_page (f->window);
  g_assert_true (signpost_queue_page_get_phones_available (page));
  test_server_stop (f->server);
  g_assert_true (test_wait_until (phones_unavailable, page, TIMEOUT_MS));
  /* F2 says why nothing happens. */
  signpost_queue_page_answer_next (page);
  g_assert_cmpstr (signpost_queue_page_get_notice (page), ==, "Phones are unavailable while this PC is offline.");
  test_server_start (f->server);
  g_assert_true (test_wait_until (phones_available, page, TIMEOUT_MS));
}

/* A row is read out again when the minute changes: under a minute it
 * says so, not a count of seconds that goes stale. */
static void
test_wait_read_out (void)
{
  g_autofree char *zero = signpost_call_describe_duration (0);
  g_autofree char *almost = signpost_call_describe_duration (59);
  g_autofree char *one = signpost_call_describe_duration (60);
  g_autofree char *twelve = signpost_call_describe_duration (12 * 60 + 40);

  g_assert_cmpstr (zero, ==, "under a minute");
  g_assert_cmpstr (almost, ==, "under a minute");
  g_assert_cmpstr (one, ==, "1 minute");
  g_assert_cmpstr (twelve, ==, "12 minutes");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = g_dir_make_tmp ("signpost-queue-display-XXXXXX", NULL);
  int status;

  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  gtk_test_init (&argc, &argv, NULL);

  app = signpost_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

#define ADD(path, func) \
  g_test_add ("/signpost/queue/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("popup-one-patient", test_popup_one_patient);
  ADD ("popup-household", test_popup_household);
  ADD ("popup-unknown-and-withheld", test_popup_unknown_and_withheld);
  ADD ("two-consoles", test_two_consoles);
  ADD ("order-matches-server", test_queue_matches_server);
  ADD ("callback-lifecycle", test_callback_lifecycle);
  ADD ("callback-reached-known", test_callback_reached_known);
  ADD ("offline", test_offline);
  ADD ("popup-namesakes", test_popup_namesakes);
  ADD ("popup-left-practice", test_popup_left_practice);
#undef ADD
  g_test_add_func ("/signpost/queue/wait-read-out", test_wait_read_out);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
