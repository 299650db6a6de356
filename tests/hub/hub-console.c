/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "hub-console.h"

#define LOGIN_TIMEOUT_MS 120000
#define PASSWORD "demo-password"

static void
state_changed (SignpostSyncEngine *engine,
               GParamSpec         *pspec,
               HubConsole         *console)
{
  SignpostSyncState state = signpost_sync_engine_get_state (engine);
  gboolean live = state == SIGNPOST_SYNC_STATE_ONLINE || state == SIGNPOST_SYNC_STATE_SYNCING;

  if (live == console->live)
    return;
  console->live = live;
  if (live)
    {
      console->back_us = g_get_monotonic_time ();
      console->lost_us = 0;
    }
  else
    {
      console->lost_us = g_get_monotonic_time ();
      console->drops++;
    }
}

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

gboolean
hub_console_is_live (gpointer data)
{
  return ((HubConsole *) data)->live;
}

/* Says in the test log where the console stands. */
void
hub_console_describe (HubConsole *console)
{
  SignpostOutbox *outbox = signpost_sync_engine_get_outbox (console->engine);
  g_autofree char *state = g_enum_to_string (SIGNPOST_TYPE_SYNC_STATE,
                                             signpost_sync_engine_get_state (console->engine));

  g_test_message ("%s: %s%s, at seq %" G_GINT64_FORMAT ", %u changes waiting, %u problems, "
                  "%u drops", console->username, state,
                  signpost_sync_engine_get_first_sync (console->engine) ? " (first sync)" : "",
                  signpost_cache_get_last_seq (signpost_sync_engine_get_cache (console->engine)),
                  outbox != NULL ? signpost_outbox_get_n_waiting (outbox) : 0,
                  outbox != NULL ? signpost_outbox_get_n_problems (outbox) : 0, console->drops);
}

gboolean
hub_console_is_idle (gpointer data)
{
  HubConsole *console = data;
  SignpostOutbox *outbox = signpost_sync_engine_get_outbox (console->engine);

  return signpost_sync_engine_get_state (console->engine) == SIGNPOST_SYNC_STATE_ONLINE &&
         !signpost_sync_engine_get_first_sync (console->engine) &&
         (outbox == NULL || signpost_outbox_get_n_waiting (outbox) == 0);
}

HubConsole *
hub_console_new (Hub        *hub,
                 const char *username)
{
  return hub_console_new_at (hub, hub_url (hub), username);
}

/* Signed in at @url: through nginx, or straight to an instance. */
HubConsole *
hub_console_new_at (Hub        *hub,
                    const char *url,
                    const char *username)
{
  HubConsole *console = g_new0 (HubConsole, 1);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  console->username = g_strdup (username);
  console->engine = signpost_sync_engine_new ();
  /* What a console does, quickened a little for a test. */
  g_object_set (console->engine, "reconnect-min-ms", 250, "reconnect-max-ms", 4000, NULL);
  signpost_sync_engine_set_tls_ca_file (console->engine, hub_ca_file (hub));
  g_signal_connect (console->engine, "notify::state", G_CALLBACK (state_changed), console);

  signpost_sync_engine_login_async (console->engine, url, username, PASSWORD, NULL, NULL,
                                    store_result, &result);
  g_assert_true (hub_wait_until (result_ready, &result, LOGIN_TIMEOUT_MS));
  g_assert_true (signpost_sync_engine_login_finish (console->engine, result, &error));
  g_assert_no_error (error);
  signpost_sync_engine_start (console->engine);
  g_assert_true (hub_wait_until (hub_console_is_idle, console, LOGIN_TIMEOUT_MS));
  return console;
}

static gboolean
pointer_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

void
hub_console_free (HubConsole *console)
{
  gpointer weak;

  if (console == NULL)
    return;
  /* Requests cancelled by stop() still call back, each holding the
   * engine until then: wait for them. */
  signpost_sync_engine_stop (console->engine);
  g_signal_handlers_disconnect_by_data (console->engine, console);
  weak = console->engine;
  g_object_add_weak_pointer (G_OBJECT (console->engine), &weak);
  g_clear_object (&console->engine);
  g_assert_true (hub_wait_until (pointer_cleared, &weak, 10000));
  g_free (console->username);
  g_free (console);
}

void
hub_console_save_postcode (HubConsole *console,
                           const char *patient_id,
                           const char *postcode)
{
  SignpostCache *cache = signpost_sync_engine_get_cache (console->engine);
  g_autoptr(SignpostPatient) patient = signpost_cache_get_record (cache, SIGNPOST_RECORD_PATIENT, patient_id, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (patient);
  signpost_patient_set_postcode (patient, postcode);
  g_assert_true (signpost_outbox_save (signpost_sync_engine_get_outbox (console->engine),
                                       SIGNPOST_RECORD (patient), "Changed the postcode", &error));
  g_assert_no_error (error);
}

/* ---- straight to an instance ------------------------------------------------ */

static const char *
running_instance (Hub *hub)
{
  for (guint i = 0; i < hub_n_instances (hub); i++)
    if (hub_instance_is_running (hub, i))
      return hub_instance_url (hub, i);
  g_error ("no instance is running");
  return NULL;
}

JsonObject *
hub_request (Hub        *hub,
             const char *token,
             const char *method,
             const char *path,
             const char *body,
             guint      *status)
{
  static SoupSession *session;
  g_autofree char *url = g_strconcat (running_instance (hub), "/api/v1/", path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  const char *data;
  gsize length;
  JsonObject *object;

  if (session == NULL)
    session = soup_session_new_with_options ("timeout", 60, NULL);
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
  /* Blocking: the consoles of this process wait meanwhile, which the
   * callers allow for. */
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  if (status != NULL)
    *status = soup_message_get_status (msg);
  else
    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  data = g_bytes_get_data (reply, &length);
  object = signpost_json_parse_object (data, length, 1024 * 1024 * 1024, &error);
  g_assert_no_error (error);
  return object;
}

char *
hub_login (Hub        *hub,
           const char *username)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\"}", username, PASSWORD);
  g_autoptr(JsonObject) reply = hub_request (hub, NULL, "POST", "login", body, NULL);

  return g_strdup (json_object_get_string_member (reply, "token"));
}

static GHashTable *
new_record_table (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_object_unref);
}

GHashTable *
hub_fetch_all (Hub        *hub,
               const char *token,
               gint64     *last_seq)
{
  GHashTable *all = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) g_hash_table_unref);
  gint64 since = 0;
  gboolean more = TRUE;

  for (SignpostRecordKind kind = SIGNPOST_RECORD_PRACTICE; kind <= SIGNPOST_RECORD_APPOINTMENT; kind++)
    g_hash_table_insert (all, g_strdup (signpost_record_kind_to_string (kind)), new_record_table ());
  while (more)
    {
      g_autofree char *path = g_strdup_printf ("changes?since=%" G_GINT64_FORMAT "&limit=5000", since);
      g_autoptr(JsonObject) page = hub_request (hub, token, "GET", path, NULL, NULL);
      JsonArray *changes = json_object_get_array_member (page, "changes");

      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *change = json_array_get_object_element (changes, i);
          GHashTable *records = g_hash_table_lookup (all, json_object_get_string_member (change, "type"));

          if (records == NULL)
            continue;
          if (g_str_equal (json_object_get_string_member (change, "op"), "delete"))
            g_hash_table_remove (records, json_object_get_string_member (change, "id"));
          else
            g_hash_table_replace (records, g_strdup (json_object_get_string_member (change, "id")),
                                  json_object_ref (json_object_get_object_member (change, "data")));
        }
      since = json_object_get_int_member (page, "last_seq");
      more = json_object_get_boolean_member (page, "more");
    }
  if (last_seq != NULL)
    *last_seq = since;
  return all;
}

GHashTable *
hub_fetch_records (Hub                *hub,
                   const char         *token,
                   SignpostRecordKind  kind)
{
  g_autoptr(GHashTable) all = hub_fetch_all (hub, token, NULL);

  return g_hash_table_ref (g_hash_table_lookup (all, signpost_record_kind_to_string (kind)));
}

/* The feed's last seq for @token's user, read on from @since. */
static gint64
feed_head (Hub        *hub,
           const char *token,
           gint64      since)
{
  gboolean more = TRUE;

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("changes?since=%" G_GINT64_FORMAT "&limit=5000", since);
      g_autoptr(JsonObject) page = hub_request (hub, token, "GET", path, NULL, NULL);

      since = json_object_get_int_member (page, "last_seq");
      more = json_object_get_boolean_member (page, "more");
    }
  return since;
}

/* ---- caught up, and equal ------------------------------------------------------ */

typedef struct {
  HubConsole *console;
  gint64 target;
} CaughtUp;

static gboolean
caught_up (gpointer data)
{
  CaughtUp *check = data;
  SignpostCache *cache = signpost_sync_engine_get_cache (check->console->engine);

  return hub_console_is_idle (check->console) && signpost_cache_get_last_seq (cache) >= check->target;
}

gboolean
hub_console_wait_caught_up (HubConsole *console,
                            Hub        *hub,
                            guint       timeout_ms)
{
  g_autofree char *token = NULL;
  CaughtUp check = { console, 0 };

  /* The outbox first: what it sends moves the feed on. */
  if (!hub_wait_until (hub_console_is_idle, console, timeout_ms))
    {
      hub_console_describe (console);
      return FALSE;
    }
  token = hub_login (hub, console->username);
  check.target = feed_head (hub, token,
                            signpost_cache_get_last_seq (signpost_sync_engine_get_cache (console->engine)));
  if (hub_wait_until (caught_up, &check, timeout_ms))
    return TRUE;
  hub_console_describe (console);
  g_test_message ("%s: the server's feed is at %" G_GINT64_FORMAT, console->username, check.target);
  return FALSE;
}

guint
hub_console_count_differences (HubConsole *console,
                               Hub        *hub)
{
  g_autofree char *token = hub_login (hub, console->username);
  g_autoptr(GHashTable) all = hub_fetch_all (hub, token, NULL);
  SignpostCache *cache = signpost_sync_engine_get_cache (console->engine);
  guint differ = 0;

  for (SignpostRecordKind kind = SIGNPOST_RECORD_PRACTICE; kind <= SIGNPOST_RECORD_APPOINTMENT; kind++)
    {
      GHashTable *on_server = g_hash_table_lookup (all, signpost_record_kind_to_string (kind));
      g_autoptr(GPtrArray) cached = signpost_cache_list_records (cache, kind, NULL);
      guint kind_differ = 0;

      for (guint i = 0; i < cached->len; i++)
        {
          SignpostRecord *record = g_ptr_array_index (cached, i);
          JsonObject *json = g_hash_table_lookup (on_server, signpost_record_get_id (record));
          g_autoptr(SignpostObject) server_record = NULL;
          g_autoptr(GError) error = NULL;

          if (json != NULL)
            server_record = signpost_object_new_from_json (G_OBJECT_TYPE (record), json,
                                                           SIGNPOST_DECODE_FULL, &error);
          g_assert_no_error (error);
          if (server_record == NULL || !signpost_object_equal (SIGNPOST_OBJECT (record), server_record))
            {
              if (kind_differ++ < 3)
                {
                  g_autofree char *mine = signpost_object_to_string (SIGNPOST_OBJECT (record), NULL);
                  g_autofree char *theirs = server_record
                    ? signpost_object_to_string (server_record, NULL) : g_strdup ("(none)");
                  g_test_message ("%s's %s differs:\n  console %s\n  server  %s", console->username,
                                  signpost_record_kind_to_string (kind), mine, theirs);
                }
            }
        }
      if (cached->len != g_hash_table_size (on_server))
        {
          g_test_message ("%s holds %u %s records; the server has %u for them", console->username,
                          cached->len, signpost_record_kind_to_string (kind),
                          g_hash_table_size (on_server));
          kind_differ += ABS ((int) cached->len - (int) g_hash_table_size (on_server));
        }
      differ += kind_differ;
    }
  return differ;
}
