/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "server-test-util.h"

/* Navigation records as the care-navigation form and the duty list use
 * them: created_at is stamped by the server on create and never moves;
 * a clinician claims a request with a versioned update, and a second
 * clinician's stale claim is a conflict that overwrites nothing. */

static GDateTime *
instant_member (JsonObject *object,
                const char *key)
{
  const char *text;

  if (!json_object_has_member (object, key) || json_object_get_null_member (object, key))
    return NULL;
  text = json_object_get_string_member (object, key);
  return signpost_timestamp_parse (text, NULL);
}

static void
test_created_at (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *nav = test_login (ts, "nav_a");
  g_autofree char *clin = test_login (ts, "clin_a");
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *data = NULL;
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(JsonObject) updated = NULL;
  g_autoptr(JsonObject) reviewed = NULL;
  g_autoptr(GDateTime) before = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) after = NULL;
  g_autoptr(GDateTime) stamped = NULL;
  g_autoptr(GDateTime) kept = NULL;
  g_autoptr(GHashTable) synced = NULL;
  JsonObject *record;

  /* A client's own created_at is not believed. */
  data = g_strdup_printf ("{\"practice_id\":\"%s\",\"reason\":\"Sore throat for a week\","
                          "\"urgency\":\"routine\",\"status\":\"open\","
                          "\"created_at\":\"2001-01-01T00:00:00Z\"}", ts->practice_a);
  created = test_mutate_one (ts, nav, "triage", "create", id, 0, data);
  after = g_date_time_new_now_utc ();
  g_assert_cmpstr (test_result_status (created), ==, "applied");
  record = json_object_get_object_member (created, "record");
  stamped = instant_member (record, "created_at");
  g_assert_nonnull (stamped);
  /* Stamps are to the millisecond. */
  g_assert_cmpint (g_date_time_difference (stamped, before), >=, -1000);
  g_assert_cmpint (g_date_time_difference (after, stamped), >=, 0);
  g_assert_nonnull (json_object_get_string_member (record, "created_by"));

  /* Changes keep it, whoever makes them. */
  updated = test_mutate_one (ts, nav, "triage", "update", id, 1,
                             "{\"navigator_notes\":\"Rang again\",\"created_at\":\"2030-01-01T00:00:00Z\"}");
  g_assert_cmpstr (test_result_status (updated), ==, "applied");
  kept = instant_member (json_object_get_object_member (updated, "record"), "created_at");
  g_assert_true (g_date_time_equal (kept, stamped));
  g_clear_pointer (&kept, g_date_time_unref);

  /* The duty doctor's outcomes include sending the patient to 999 or A&E. */
  reviewed = test_mutate_one (ts, clin, "triage", "review", id, 2,
                              "{\"outcome\":\"sent_to_emergency\",\"status\":\"closed\"}");
  g_assert_cmpstr (test_result_status (reviewed), ==, "applied");
  kept = instant_member (json_object_get_object_member (reviewed, "record"), "created_at");
  g_assert_true (g_date_time_equal (kept, stamped));
  g_clear_pointer (&kept, g_date_time_unref);

  /* And it travels in the change feed. */
  synced = test_sync (ts, clin, NULL);
  g_assert_nonnull (g_hash_table_lookup (synced, id));
  record = json_object_get_object_member (g_hash_table_lookup (synced, id), "data");
  kept = instant_member (record, "created_at");
  g_assert_true (g_date_time_equal (kept, stamped));
  test_server_free (ts);
}

/* A navigator's new record may carry every field, the ones they may not
 * set as null (absent); a value there is still refused. */
static void
test_navigator_nulls (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *nav = test_login (ts, "nav_a");
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *data = NULL;
  g_autoptr(JsonObject) refused = NULL;

  data = g_strdup_printf ("{\"practice_id\":\"%s\",\"reason\":\"Cough\","
                          "\"urgency\":\"routine\",\"status\":\"open\",\"duty_notes\":\"Seen\"}",
                          ts->practice_a);
  refused = test_mutate_one (ts, nav, "triage", "create", id, 0, data);
  g_assert_cmpstr (test_result_status (refused), ==, "rejected");
  g_assert_cmpuint (test_result_problem_status (refused), ==, 403);
  test_server_free (ts);
}

static void
test_claim (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *nav = test_login (ts, "nav_a");
  g_autofree char *clin = test_login (ts, "clin_a");
  g_autofree char *other = NULL;
  g_autofree char *other_token = NULL;
  g_autofree char *triage = test_add_triage (ts, ts->practice_a);
  g_autofree char *claim = NULL;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(JsonObject) nav_claim = NULL;
  g_autoptr(JsonObject) notes = NULL;
  g_autoptr(JsonObject) stale_notes = NULL;
  g_autoptr(SignpostTriage) stored = NULL;
  g_autofree char *first_user = NULL;
  JsonObject *record;

  other = test_add_user (ts, "clin_a2", SIGNPOST_ROLE_CLINICIAN, ts->practice_a, NULL, FALSE);
  other_token = test_login (ts, "clin_a2");

  /* Navigators cannot claim. */
  claim = g_strdup_printf ("{\"claimed_by\":\"%s\"}", other);
  nav_claim = test_mutate_one (ts, nav, "triage", "update", triage, 1, claim);
  g_assert_cmpuint (test_result_problem_status (nav_claim), ==, 403);

  /* The first doctor claims version 1. */
  {
    g_autoptr(JsonObject) me = test_get_json (ts, "/api/v1/me", clin);
    first_user = g_strdup (json_object_get_string_member (json_object_get_object_member (me, "user"), "id"));
  }
  g_free (claim);
  claim = g_strdup_printf ("{\"claimed_by\":\"%s\"}", first_user);
  first = test_mutate_one (ts, clin, "triage", "update", triage, 1, claim);
  g_assert_cmpstr (test_result_status (first), ==, "applied");

  /* The second, from the same version 1 it had read, is told. */
  g_free (claim);
  claim = g_strdup_printf ("{\"claimed_by\":\"%s\"}", other);
  second = test_mutate_one (ts, other_token, "triage", "update", triage, 1, claim);
  g_assert_cmpstr (test_result_status (second), ==, "conflict");
  record = json_object_get_object_member (second, "record");
  g_assert_cmpstr (json_object_get_string_member (record, "claimed_by"), ==, first_user);

  /* Notes written on a stale version overwrite nothing. */
  notes = test_mutate_one (ts, clin, "triage", "review", triage, 2,
                           "{\"duty_notes\":\"Called: chest clear, advice given\",\"status\":\"reviewed\"}");
  g_assert_cmpstr (test_result_status (notes), ==, "applied");
  stale_notes = test_mutate_one (ts, other_token, "triage", "update", triage, 2,
                                 "{\"duty_notes\":\"Booked for tomorrow\"}");
  g_assert_cmpstr (test_result_status (stale_notes), ==, "conflict");
  stored = test_get_record (ts, SIGNPOST_RECORD_TRIAGE, triage);
  g_assert_cmpstr (signpost_triage_get_duty_notes (stored), ==, "Called: chest clear, advice given");
  g_assert_cmpstr (signpost_triage_get_claimed_by (stored), ==, first_user);
  test_server_free (ts);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/server/triage/created-at", test_created_at);
  g_test_add_func ("/signpost/server/triage/navigator-fields", test_navigator_nulls);
  g_test_add_func ("/signpost/server/triage/claim", test_claim);

  return g_test_run ();
}
