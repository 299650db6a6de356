/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "console-test-online.h"
#include "signpost-core.h"

void
test_online_open_round_the_clock (TestServer *server,
                                  const char *ods)
{
  static const char *days[] = { "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday" };
  g_autofree char *token = test_server_login (server, "manager");
  g_autoptr(JsonNode) me = test_server_request (server, token, "GET", "me", NULL, NULL);
  JsonArray *practices = json_object_get_array_member (json_node_get_object (me), "practices");
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *mutation_id = g_uuid_string_random ();
  g_autoptr(JsonNode) reply = NULL;
  JsonObject *practice = NULL;
  JsonObject *result;
  guint status = 0;

  for (guint i = 0; i < json_array_get_length (practices); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (practices, i), "ods_code"), ods) == 0)
      practice = json_array_get_object_element (practices, i);
  g_assert_nonnull (practice);

  g_string_append_printf (body, "{\"mutations\": [{\"mutation_id\": \"%s\", \"type\": \"practice\", \"op\": \"update\","
                          " \"id\": \"%s\", \"base_version\": %" G_GINT64_FORMAT ", \"data\": {\"online_hours\": [",
                          mutation_id, json_object_get_string_member (practice, "id"),
                          json_object_get_int_member (practice, "version"));
  for (guint i = 0; i < G_N_ELEMENTS (days); i++)
    g_string_append_printf (body, "%s{\"day\": \"%s\", \"opens\": \"00:00\", \"closes\": \"24:00\"}", i ? ", " : "",
                            days[i]);
  g_string_append (body, "], \"online_open_bank_holidays\": true}}]}");
  reply = test_server_request (server, token, "POST", "mutations", body->str, &status);
  g_assert_cmpuint (status, ==, 200);
  result = json_array_get_object_element (json_object_get_array_member (json_node_get_object (reply), "results"), 0);
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "applied");
}

static char *
match_one (const char *pattern,
           const char *text)
{
  g_autoptr(GRegex) regex = g_regex_new (pattern, 0, 0, NULL);
  g_autoptr(GMatchInfo) info = NULL;

  if (text == NULL || !g_regex_match (regex, text, 0, &info))
    return NULL;
  return g_match_info_fetch (info, 1);
}

typedef struct {
  SoupSession *session;
  char *base;
  char *cookie;
} Browser;

static char *
browser_send (Browser     *browser,
              const char  *method,
              const char  *path,
              GHashTable  *fields)
{
  g_autofree char *uri = g_strconcat (browser->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  const char *set_cookie;

  if (fields != NULL)
    {
      g_autofree char *encoded = soup_form_encode_hash (fields);
      g_autoptr(GBytes) bytes = g_bytes_new (encoded, strlen (encoded));
      soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
    }
  if (browser->cookie != NULL)
    {
      g_autofree char *header = g_strconcat ("signpost-form=", browser->cookie, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Cookie", header);
    }
  reply = soup_session_send_and_read (browser->session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  set_cookie = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Set-Cookie");
  if (set_cookie != NULL)
    {
      g_free (browser->cookie);
      browser->cookie = match_one ("^signpost-form=([A-Za-z0-9_-]+);", set_cookie);
    }
  return g_strndup (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
}

char *
test_online_submit (TestServer              *server,
                    const char              *ods,
                    const TestOnlineRequest *request)
{
  g_autoptr(GHashTable) fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GRegex) flags = g_regex_new ("name=\"(rf_[a-z0-9_]+)\"", 0, 0, NULL);
  g_autoptr(GMatchInfo) info = NULL;
  g_autofree char *start_path = g_strdup_printf ("/p/%s/request", ods);
  g_autofree char *age_path = g_strdup_printf ("/p/%s/request/age", ods);
  g_autofree char *check_path = g_strdup_printf ("/p/%s/request/check", ods);
  g_autofree char *start = NULL;
  g_autofree char *emergency = NULL;
  g_autofree char *sent = NULL;
  g_auto(GStrv) dob = g_strsplit (request->date_of_birth, "-", 3);
  Browser browser = { soup_session_new (), g_strdup (test_server_get_direct_url (server)), NULL };
  char *reference;

  start = browser_send (&browser, "GET", start_path, NULL);
  g_hash_table_insert (fields, g_strdup ("csrf"), match_one ("name=\"csrf\" value=\"([^\"]+)\"", start));
  g_hash_table_insert (fields, g_strdup ("submission"), match_one ("name=\"submission\" value=\"([0-9a-f]+)\"", start));
  g_hash_table_insert (fields, g_strdup ("website"), g_strdup (""));
  g_hash_table_insert (fields, g_strdup ("age"), g_strdup ("adult"));
  g_hash_table_insert (fields, g_strdup ("go"), g_strdup ("continue"));
  g_assert_nonnull (g_hash_table_lookup (fields, "csrf"));

  /* The emergency questions the form asks this age group: all "no". */
  emergency = browser_send (&browser, "POST", age_path, fields);
  g_regex_match (flags, emergency, 0, &info);
  g_assert_true (g_match_info_matches (info));
  while (g_match_info_matches (info))
    {
      g_hash_table_insert (fields, g_match_info_fetch (info, 1), g_strdup ("no"));
      g_match_info_next (info, NULL);
    }

#define SET(name, value) g_hash_table_insert (fields, g_strdup (name), g_strdup ((value) ? (value) : ""))
  SET ("who", "self");
  SET ("given_name", request->given_name);
  SET ("family_name", request->family_name);
  SET ("dob_day", dob[2]);
  SET ("dob_month", dob[1]);
  SET ("dob_year", dob[0]);
  SET ("postcode", request->postcode);
  SET ("nhs_number", request->nhs_number);
  SET ("kind", request->kind ? request->kind : "medical");
  SET ("reason", request->reason);
  SET ("duration", request->duration);
  SET ("hoped", request->hoped);
  SET ("contact_method", "text");
  SET ("contact_number", request->contact_number ? request->contact_number : "07700 900982");
  SET ("contact_morning", "yes");
  SET ("contact_message", "no");
  SET ("go", "send");
#undef SET
  sent = browser_send (&browser, "POST", check_path, fields);
  reference = match_one ("class=\"sp-reference\">([A-Z]{3}-[0-9]{4})<", sent);
  if (reference == NULL)
    g_error ("The online request was not sent:\n%s", sent);

  g_object_unref (browser.session);
  g_free (browser.base);
  g_free (browser.cookie);
  return reference;
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

char *
test_online_submit_in_browser (TestServer              *server,
                               const TestOnlineRequest *request)
{
  const char *script = g_getenv ("SIGNPOST_TEST_FORM_BROWSER");
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GSubprocess) browser = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (script == NULL || *script == '\0')
    return NULL;

  json_builder_begin_object (builder);
#define MEMBER(name, value) \
  if ((value) != NULL) \
    { \
      json_builder_set_member_name (builder, name); \
      json_builder_add_string_value (builder, value); \
    }
  MEMBER ("given_name", request->given_name);
  MEMBER ("family_name", request->family_name);
  MEMBER ("date_of_birth", request->date_of_birth);
  MEMBER ("postcode", request->postcode);
  MEMBER ("reason", request->reason);
  MEMBER ("duration", request->duration);
  MEMBER ("hoped", request->hoped);
  MEMBER ("contact_number", request->contact_number);
#undef MEMBER
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  json = json_to_string (node, FALSE);

  /* The browser takes a while: the main loop goes on meanwhile, so the
   * console under test stays connected. The script's complaints go to
   * the test's log. */
  browser = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                              "/usr/bin/python3", script, "--send", test_server_get_direct_url (server), NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (browser, json, NULL, store_result, &result);
  g_assert_true (test_wait_until (result_ready, &result, 240000));
  g_subprocess_communicate_utf8_finish (browser, result, &out, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_subprocess_wait_async (browser, NULL, store_result, &result);
  g_assert_true (test_wait_until (result_ready, &result, 60000));
  g_assert_true (g_subprocess_wait_finish (browser, result, &error));
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (browser) || g_subprocess_get_exit_status (browser) != 0)
    g_error ("The browser did not send the online request (see the log above)");
  g_strstrip (out);
  g_assert_true (g_regex_match_simple ("^[A-Z]{3}-[0-9]{4}$", out, 0, 0));
  return g_steal_pointer (&out);
}
