/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "server-test-util.h"
#include "signpost-database.h"

/*
 * Account changes reach every way in at once (issue 12): a token acts
 * with the account as it is now, not as it was when it was issued (item
 * 3), and so does an open WebSocket, whoever changed the account (item 4).
 */

/* Pings rare enough that they cannot be what closes or narrows a socket
 * in these tests: only the change itself may. */
#define SLOW_PINGS_MS (10 * 60 * 1000)

static gint64
version_of (TestServer *ts,
            const char *user_id)
{
  g_autoptr(SignpostRecord) record = test_get_record (ts, SIGNPOST_RECORD_USER, user_id);

  return signpost_record_get_version (record);
}

static char *
user_id_of (TestServer *ts,
            const char *token)
{
  g_autoptr(JsonObject) me = test_get_json (ts, "/api/v1/me", token);

  return g_strdup (json_object_get_string_member (json_object_get_object_member (me, "user"), "id"));
}

static void
admin_changes (TestServer *ts,
               const char *admin,
               const char *user_id,
               const char *data)
{
  g_autoptr(JsonObject) result = test_mutate_one (ts, admin, "user", "update", user_id,
                                                  version_of (ts, user_id), data);

  g_assert_cmpstr (test_result_status (result), ==, "applied");
}

static guint
status_of (TestServer *ts,
           const char *path,
           const char *token)
{
  g_autoptr(TestReply) reply = test_http (ts, NULL, "GET", path, token, NULL, -1);

  return reply->status;
}

/* Whether a full sync by @token brings the triage record @id with its
 * duty notes. */
static gboolean
sees_duty_notes (TestServer *ts,
                 const char *token,
                 const char *id)
{
  g_autoptr(GHashTable) changes = test_sync (ts, token, NULL);
  JsonObject *change = g_hash_table_lookup (changes, id);
  JsonObject *data;

  if (change == NULL)
    return FALSE;
  data = json_object_get_object_member (change, "data");
  return !json_object_get_null_member (data, "duty_notes");
}

/* Item 3: a demoted clinician's token no longer reads duty notes; a user
 * taken off a practice no longer sees it; a disabled one is signed out. */
static void
test_tokens_follow_the_account (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *admin = test_login (ts, "admin");
  g_autofree char *clin = test_login (ts, "clin_a");
  g_autofree char *hub = test_login (ts, "hub");
  g_autofree char *nav = test_login (ts, "nav_a");
  g_autofree char *clin_id = user_id_of (ts, clin);
  g_autofree char *hub_id = user_id_of (ts, hub);
  g_autofree char *nav_id = user_id_of (ts, nav);
  g_autofree char *triage = test_add_triage (ts, ts->practice_a);
  g_autofree char *patient_b = test_add_patient (ts, ts->practice_b);
  g_autofree char *practices = g_strdup_printf ("{\"practice_ids\":[\"%s\"]}", ts->practice_a);

  g_assert_true (sees_duty_notes (ts, clin, triage));
  admin_changes (ts, admin, clin_id, "{\"role\":\"navigator\"}");
  g_assert_cmpuint (status_of (ts, "/api/v1/me", clin), ==, 401);
  g_assert_cmpuint (status_of (ts, "/api/v1/changes?since=0", clin), ==, 401);

  {
    g_autoptr(GHashTable) before = test_sync (ts, hub, NULL);

    g_assert_nonnull (g_hash_table_lookup (before, patient_b));
  }
  admin_changes (ts, admin, hub_id, practices);
  {
    g_autoptr(GHashTable) after = test_sync (ts, hub, NULL);

    g_assert_null (g_hash_table_lookup (after, patient_b));
  }

  admin_changes (ts, admin, nav_id, "{\"disabled\":true}");
  g_assert_cmpuint (status_of (ts, "/api/v1/me", nav), ==, 401);
  test_server_free (ts);
}

static TestServer *
server_with_slow_pings (void)
{
  SignpostServerOptions options;

  signpost_server_options_init (&options);
  options.ping_interval_ms = SLOW_PINGS_MS;
  options.idle_timeout_ms = SLOW_PINGS_MS;
  return test_server_new (&options);
}

static void
offer_call (TestServer *ts,
            const char *secret,
            const char *line,
            const char *ref)
{
  g_autofree char *event = test_event_json ("call.offered", ref, line, "+447700900777", NULL, NULL);
  g_autoptr(TestReply) reply = test_webhook (ts, secret, event, 0);

  g_assert_cmpuint (reply->status, ==, 200);
}

/* Item 4: live sockets are closed (4001) or narrowed the moment the
 * account changes, through the API or by another process writing the
 * same database. */
static void
test_live_follows_the_account (void)
{
  TestServer *ts = server_with_slow_pings ();
  g_autofree char *admin = test_login (ts, "admin");
  g_autofree char *nav = test_login (ts, "nav_a");
  g_autofree char *clin = test_login (ts, "clin_a");
  g_autofree char *hub = test_login (ts, "hub");
  g_autofree char *nav_id = user_id_of (ts, nav);
  g_autofree char *clin_id = user_id_of (ts, clin);
  g_autofree char *hub_id = user_id_of (ts, hub);
  g_autofree char *practices = g_strdup_printf ("{\"practice_ids\":[\"%s\"]}", ts->practice_a);
  TestLive *nav_live = test_live_connect (ts, nav);
  TestLive *clin_live = test_live_connect (ts, clin);
  TestLive *hub_live = test_live_connect (ts, hub);

  g_assert_nonnull (test_live_wait (nav_live, "hello", 5000));
  g_assert_nonnull (test_live_wait (clin_live, "hello", 5000));
  g_assert_nonnull (test_live_wait (hub_live, "hello", 5000));

  /* Disabled: closed at once. */
  admin_changes (ts, admin, nav_id, "{\"disabled\":true}");
  test_wait_until (&nav_live->closed, 10000);
  g_assert_true (nav_live->closed);
  g_assert_cmpuint (nav_live->close_code, ==, SIGNPOST_LIVE_CLOSE_SIGNED_OUT);

  /* Demoted: the token's role is gone, so is the socket. */
  admin_changes (ts, admin, clin_id, "{\"role\":\"manager\"}");
  test_wait_until (&clin_live->closed, 10000);
  g_assert_true (clin_live->closed);
  g_assert_cmpuint (clin_live->close_code, ==, SIGNPOST_LIVE_CLOSE_SIGNED_OUT);

  /* Taken off practice B: B's callers are no longer its business. */
  offer_call (ts, TEST_SECRET_B, TEST_LINE_B, "before-b");
  {
    g_autoptr(JsonObject) event = test_live_wait (hub_live, "call", 5000);

    g_assert_nonnull (event);
    g_assert_cmpstr (json_object_get_string_member (event, "practice_id"), ==, ts->practice_b);
  }
  admin_changes (ts, admin, hub_id, practices);
  offer_call (ts, TEST_SECRET_B, TEST_LINE_B, "after-b");
  offer_call (ts, TEST_SECRET_A, TEST_LINE_A, "after-a");
  {
    /* The next call event is A's: B's never came. */
    g_autoptr(JsonObject) event = test_live_wait (hub_live, "call", 5000);

    g_assert_nonnull (event);
    g_assert_cmpstr (json_object_get_string_member (event, "practice_id"), ==, ts->practice_a);
    g_assert_false (hub_live->closed);
  }

  test_live_free (nav_live);
  test_live_free (clin_live);
  test_live_free (hub_live);
  test_server_free (ts);
}

/* Item 4, continued: the change is made by another process (an admin
 * command, another server instance) writing the same database. */
static void
test_live_follows_other_writers (void)
{
  TestServer *ts = server_with_slow_pings ();
  g_autofree char *nav = test_login (ts, "nav_a");
  g_autofree char *nav_id = user_id_of (ts, nav);
  TestLive *live = test_live_connect (ts, nav);
  g_autoptr(SignpostStore) other = NULL;
  g_autoptr(SignpostRecord) user = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (test_live_wait (live, "hello", 5000));

  /* Another connection to the database, as signpost-server admin (or
   * another instance) opens. */
  other = signpost_database_open (test_database_location (ts->database), &error);
  g_assert_no_error (error);
  user = signpost_store_get_record (other, SIGNPOST_RECORD_USER, nav_id, NULL, &error);
  g_assert_no_error (error);
  signpost_user_set_disabled (SIGNPOST_USER (user), TRUE);
  signpost_record_set_version (user, signpost_record_get_version (user) + 1);
  signpost_record_set_updated_at (user, now);
  g_assert_true (signpost_store_begin (other, &error));
  g_assert_true (signpost_store_put_record (other, user, FALSE, &error));
  g_assert_true (signpost_store_commit (other, &error));
  g_assert_no_error (error);

  test_wait_until (&live->closed, 10000);
  g_assert_true (live->closed);
  g_assert_cmpuint (live->close_code, ==, SIGNPOST_LIVE_CLOSE_SIGNED_OUT);
  test_live_free (live);
  test_server_free (ts);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/security/accounts/tokens", test_tokens_follow_the_account);
  g_test_add_func ("/signpost/security/accounts/live", test_live_follows_the_account);
  g_test_add_func ("/signpost/security/accounts/live-other-writers", test_live_follows_other_writers);
  return g_test_run ();
}
