/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "server-test-util.h"

static char *
patient_create (const char *mutation_id,
                const char *id,
                const char *practice_id,
                const char *given_name)
{
  return g_strdup_printf ("{\"mutation_id\":\"%s\",\"type\":\"patient\",\"op\":\"create\","
                          "\"id\":\"%s\",\"data\":{\"practice_id\":\"%s\",\"given_name\":\"%s\","
                          "\"family_name\":\"Retry\",\"date_of_birth\":\"1990-01-01\","
                          "\"sex\":\"male\",\"phones\":[{\"number\":\"+447700900123\","
                          "\"kind\":\"mobile\"}]}}",
                          mutation_id, id, practice_id, given_name);
}

static void
test_idempotent_retry (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *token = test_login (ts, "nav_a");
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonArray) first = NULL;
  g_autoptr(JsonArray) second = NULL;
  g_autofree char *batch = NULL;
  gint64 seq_before, seq_after_first, seq_after_second;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *mutation_id = g_uuid_string_random ();
      char *id = g_uuid_string_random ();

      g_ptr_array_add (ids, id);
      g_ptr_array_add (items, patient_create (mutation_id, id, ts->practice_a, "Robin"));
    }
  g_ptr_array_add (items, NULL);
  {
    g_autofree char *joined = g_strjoinv (",", (char **) items->pdata);
    batch = g_strdup_printf ("[%s]", joined);
  }

  seq_before = signpost_store_get_last_seq (test_server_store (ts), &error);
  first = test_mutate (ts, token, batch);
  seq_after_first = signpost_store_get_last_seq (test_server_store (ts), &error);
  /* The reply was "lost": the client sends the same batch again. */
  second = test_mutate (ts, token, batch);
  seq_after_second = signpost_store_get_last_seq (test_server_store (ts), &error);

  g_assert_cmpint (seq_after_first - seq_before, ==, 5);
  g_assert_cmpint (seq_after_second, ==, seq_after_first);
  for (guint i = 0; i < 5; i++)
    {
      JsonObject *a = json_array_get_object_element (first, i);
      JsonObject *b = json_array_get_object_element (second, i);

      g_assert_cmpstr (test_result_status (a), ==, "applied");
      g_assert_cmpstr (test_result_status (b), ==, "duplicate");
      g_assert_cmpstr (json_object_get_string_member (a, "id"), ==, g_ptr_array_index (ids, i));
      g_assert_cmpstr (json_object_get_string_member (b, "id"), ==, g_ptr_array_index (ids, i));
      g_assert_cmpint (json_object_get_int_member (a, "version"), ==, 1);
      g_assert_cmpint (json_object_get_int_member (b, "version"), ==, 1);
      g_assert_cmpint (json_object_get_int_member (a, "seq"), ==,
                       json_object_get_int_member (b, "seq"));
    }
  test_server_free (ts);
}

static void
test_version_conflict (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *token = test_login (ts, "nav_a");
  g_autofree char *patient = test_add_patient (ts, ts->practice_a);
  g_autoptr(JsonObject) ok = NULL;
  g_autoptr(JsonObject) stale = NULL;
  g_autoptr(JsonObject) deleted = NULL;
  JsonObject *record;

  ok = test_mutate_one (ts, token, "patient", "update", patient, 1, "{\"postcode\":\"LS1 4AP\"}");
  g_assert_cmpstr (test_result_status (ok), ==, "applied");
  g_assert_cmpint (json_object_get_int_member (ok, "version"), ==, 2);

  /* Someone else's edit, based on version 1 */
  stale = test_mutate_one (ts, token, "patient", "update", patient, 1, "{\"postcode\":\"BS1 5TR\"}");
  g_assert_cmpstr (test_result_status (stale), ==, "conflict");
  record = json_object_get_object_member (stale, "record");
  g_assert_cmpint (json_object_get_int_member (record, "version"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (record, "postcode"), ==, "LS1 4AP");

  /* Navigators may not delete patients at all. */
  deleted = test_mutate_one (ts, token, "patient", "delete", patient, 2, NULL);
  g_assert_cmpstr (test_result_status (deleted), ==, "rejected");
  g_assert_cmpuint (test_result_problem_status (deleted), ==, 403);
  test_server_free (ts);
}

static void
test_invalid_data (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *token = test_login (ts, "nav_a");
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(JsonObject) bad_phone = NULL;
  g_autoptr(JsonObject) unknown = NULL;
  g_autoptr(JsonObject) red_flag = NULL;
  g_autofree char *data = NULL;
  JsonObject *problem;

  data = g_strdup_printf ("{\"practice_id\":\"%s\",\"given_name\":\"A\","
                                                "\"family_name\":\"B\",\"date_of_birth\":\"1990-01-01\","
                                                "\"sex\":\"male\",\"phones\":[{\"number\":\"+447700900123\","
                                                "\"kind\":\"mobile\"},{\"number\":\"07700 900123\","
                                                "\"kind\":\"home\"}]}", ts->practice_a);
  bad_phone = test_mutate_one (ts, token, "patient", "create", id, 0, data);
  g_assert_cmpstr (test_result_status (bad_phone), ==, "rejected");
  problem = json_object_get_object_member (bad_phone, "problem");
  g_assert_cmpint (json_object_get_int_member (problem, "status"), ==, 422);
  g_assert_cmpstr (json_object_get_string_member (problem, "field"), ==, "phones[1].number");

  g_free (data);
  data = g_strdup_printf ("{\"practice_id\":\"%s\",\"given_name\":\"A\","
                                              "\"family_name\":\"B\",\"date_of_birth\":\"1990-01-01\","
                                              "\"sex\":\"male\",\"shoe_size\":9}", ts->practice_a);
  unknown = test_mutate_one (ts, token, "patient", "create", id, 0, data);
  problem = json_object_get_object_member (unknown, "problem");
  g_assert_cmpstr (json_object_get_string_member (problem, "field"), ==, "shoe_size");

  /* Cross-field rule from the model: a red flag is never routine. */
  g_free (data);
  data = g_strdup_printf ("{\"practice_id\":\"%s\",\"reason\":\"chest pain\","
                                               "\"red_flags\":[\"chest_pain\"],\"urgency\":\"routine\","
                                               "\"status\":\"open\"}", ts->practice_a);
  red_flag = test_mutate_one (ts, token, "triage", "create", id, 0, data);
  problem = json_object_get_object_member (red_flag, "problem");
  g_assert_cmpstr (json_object_get_string_member (problem, "field"), ==, "urgency");
  test_server_free (ts);
}

static char *
book_json (const char *slot_id,
           const char *appointment_id,
           const char *patient_id)
{
  return g_strdup_printf ("{\"appointment_id\":\"%s\",\"patient_id\":\"%s\",\"reason\":\"Rash\"}",
                          appointment_id, patient_id);
}

static void
test_concurrent_booking (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *token = test_login (ts, "nav_a");
  g_autofree char *slot = test_add_slot (ts, ts->practice_a, 60, G_MININT, TRUE);
  g_autofree char *patient = test_add_patient (ts, ts->practice_a);
  SoupSession *sessions[50];
  TestReply *replies[50] = { NULL };
  g_autoptr(SignpostAppointment) live = NULL;
  g_autoptr(SignpostSlot) stored = NULL;
  g_autoptr(GError) error = NULL;
  guint pending = 0, applied = 0, conflicts = 0;

  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *mutation_id = g_uuid_string_random ();
      g_autofree char *appointment_id = g_uuid_string_random ();
      g_autofree char *data = book_json (slot, appointment_id, patient);
      g_autofree char *body = g_strdup_printf ("{\"mutations\":[{\"mutation_id\":\"%s\","
                                               "\"type\":\"slot\",\"op\":\"book\",\"id\":\"%s\","
                                               "\"data\":%s}]}", mutation_id, slot, data);

      sessions[i] = soup_session_new ();
      test_http_start (ts, sessions[i], "POST", "/api/v1/mutations", token, body, &replies[i],
                       &pending);
    }
  while (pending > 0)
    g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < 50; i++)
    {
      g_autoptr(JsonObject) object = NULL;
      JsonObject *result;
      const char *status;

      g_assert_no_error (replies[i]->error);
      g_assert_cmpuint (replies[i]->status, ==, 200);
      object = test_reply_json (replies[i]);
      result = json_array_get_object_element (json_object_get_array_member (object, "results"), 0);
      status = test_result_status (result);
      if (g_str_equal (status, "applied"))
        applied++;
      else if (g_str_equal (status, "conflict"))
        {
          JsonObject *record = json_object_get_object_member (result, "record");

          /* The conflict carries the slot as it now is. */
          g_assert_cmpstr (json_object_get_string_member (record, "status"), ==, "booked");
          conflicts++;
        }
      test_reply_free (replies[i]);
      g_object_unref (sessions[i]);
    }
  g_assert_cmpuint (applied, ==, 1);
  g_assert_cmpuint (conflicts, ==, 49);

  live = signpost_store_find_live_appointment (test_server_store (ts), slot, &error);
  g_assert_no_error (error);
  g_assert_nonnull (live);
  stored = test_get_record (ts, SIGNPOST_RECORD_SLOT, slot);
  g_assert_cmpint (signpost_slot_get_status (stored), ==, SIGNPOST_SLOT_BOOKED);
  g_assert_cmpint (signpost_record_get_version (SIGNPOST_RECORD (stored)), ==, 2);
  test_server_free (ts);
}

/* Even code that skipped the checks could not give a slot two live
 * appointments: the store's unique index refuses. */
static void
test_unique_index (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *slot = NULL;
  g_autofree char *first = test_add_appointment (ts, ts->practice_a, &slot);
  g_autoptr(SignpostAppointment) second = signpost_appointment_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *patient = test_add_patient (ts, ts->practice_a);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  signpost_record_set_id (SIGNPOST_RECORD (second), id);
  signpost_record_set_practice_id (SIGNPOST_RECORD (second), ts->practice_a);
  signpost_record_set_version (SIGNPOST_RECORD (second), 1);
  signpost_record_set_updated_at (SIGNPOST_RECORD (second), now);
  signpost_appointment_set_slot_id (second, slot);
  signpost_appointment_set_patient_id (second, patient);
  signpost_appointment_set_status (second, SIGNPOST_APPOINTMENT_ARRIVED);
  g_assert_true (signpost_store_begin (test_server_store (ts), &error));
  g_assert_false (signpost_store_put_record (test_server_store (ts), SIGNPOST_RECORD (second),
                                             FALSE, &error));
  g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_CONFLICT);
  signpost_store_rollback (test_server_store (ts));
  {
    /* The first stays as it was. */
    g_autoptr(SignpostRecord) kept = test_get_record (ts, SIGNPOST_RECORD_APPOINTMENT, first);
    g_assert_nonnull (kept);
    g_assert_cmpstr (signpost_appointment_get_slot_id (SIGNPOST_APPOINTMENT (kept)), ==, slot);
  }

  /* A cancelled one may sit beside the live one. */
  g_clear_error (&error);
  signpost_appointment_set_status (second, SIGNPOST_APPOINTMENT_CANCELLED);
  g_assert_true (signpost_store_begin (test_server_store (ts), &error));
  g_assert_true (signpost_store_put_record (test_server_store (ts), SIGNPOST_RECORD (second),
                                            FALSE, &error));
  g_assert_true (signpost_store_commit (test_server_store (ts), &error));
  test_server_free (ts);
}

static JsonObject *
book (TestServer *ts,
      const char *token,
      const char *slot,
      const char *patient)
{
  g_autofree char *appointment_id = g_uuid_string_random ();
  g_autofree char *data = book_json (slot, appointment_id, patient);

  return test_mutate_one (ts, token, "slot", "book", slot, 0, data);
}

/* Minutes from now until HOUR:00 tomorrow, practice time. */
static int
minutes_until_tomorrow_at (int hour)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("Europe/London");
  g_autoptr(GDateTime) now = g_date_time_new_now (zone);
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);
  g_autoptr(GDateTime) then = g_date_time_new (zone,
                                               g_date_time_get_year (tomorrow),
                                               g_date_time_get_month (tomorrow),
                                               g_date_time_get_day_of_month (tomorrow),
                                               hour, 0, 0);

  return (int) (g_date_time_difference (then, now) / G_TIME_SPAN_MINUTE);
}

static void
test_booking_rules (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *nav = test_login (ts, "nav_a");
  g_autofree char *hub = test_login (ts, "hub");
  g_autofree char *patient = test_add_patient (ts, ts->practice_a);
  g_autofree char *patient_b = test_add_patient (ts, ts->practice_b);
  /* The two bookings that must fall on one day sit tomorrow morning, so the
   * test means the same whatever the time it runs (at 20:00 "in four hours"
   * and "in five hours" are two different days). */
  int tomorrow = minutes_until_tomorrow_at (10);
  g_autofree char *embargoed = test_add_slot (ts, ts->practice_a, 240, 60, TRUE);
  g_autofree char *released = test_add_slot (ts, ts->practice_a, tomorrow, -60, TRUE);
  g_autofree char *practice_only = test_add_slot (ts, ts->practice_a, tomorrow + 60, G_MININT, FALSE);
  g_autofree char *past = test_add_slot (ts, ts->practice_a, -30, G_MININT, TRUE);
  g_autofree char *later = test_add_slot (ts, ts->practice_a, 360, G_MININT, TRUE);
  g_autoptr(JsonObject) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL, r5 = NULL, r6 = NULL;
  g_autoptr(JsonObject) r7 = NULL, r8 = NULL;
  JsonObject *problem;
  JsonArray *warnings;

  r1 = book (ts, nav, embargoed, patient);
  g_assert_cmpstr (test_result_status (r1), ==, "rejected");
  problem = json_object_get_object_member (r1, "problem");
  g_assert_cmpint (json_object_get_int_member (problem, "status"), ==, 403);
  g_assert_cmpstr (json_object_get_string_member (problem, "field"), ==, "release_at");

  r2 = book (ts, nav, released, patient);
  g_assert_cmpstr (test_result_status (r2), ==, "applied");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (r2, "record"),
                                                  "status"), ==, "booked");

  /* Practice-only: the hub navigator may not, the practice's own may. */
  r3 = book (ts, hub, practice_only, patient);
  g_assert_cmpstr (test_result_status (r3), ==, "rejected");
  problem = json_object_get_object_member (r3, "problem");
  g_assert_cmpstr (json_object_get_string_member (problem, "field"), ==, "hub_bookable");
  r4 = book (ts, nav, practice_only, patient);
  g_assert_cmpstr (test_result_status (r4), ==, "applied");
  /* Same patient, same day: booked, with a warning. */
  warnings = json_object_get_array_member (r4, "warnings");
  g_assert_cmpuint (json_array_get_length (warnings), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (warnings, 0), ==, "patient_already_booked_today");

  r5 = book (ts, nav, past, patient);
  g_assert_cmpstr (test_result_status (r5), ==, "rejected");
  g_assert_cmpuint (test_result_problem_status (r5), ==, 422);

  /* A patient of another practice cannot go into this diary. */
  r6 = book (ts, hub, later, patient_b);
  g_assert_cmpstr (test_result_status (r6), ==, "rejected");
  g_assert_cmpuint (test_result_problem_status (r6), ==, 422);

  /* Cancel frees the slot, and it can be booked again. */
  r7 = test_mutate_one (ts, nav, "slot", "cancel", released, 0, "{\"reason\":\"Patient called\"}");
  g_assert_cmpstr (test_result_status (r7), ==, "applied");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (r7, "record"),
                                                  "status"), ==, "cancelled");
  r8 = book (ts, hub, released, patient);
  g_assert_cmpstr (test_result_status (r8), ==, "applied");
  test_server_free (ts);
}

static void
test_appointment_cancel_by_update (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *nav = test_login (ts, "nav_a");
  g_autofree char *slot = NULL;
  g_autofree char *appointment = test_add_appointment (ts, ts->practice_a, &slot);
  g_autoptr(JsonObject) seen = NULL;
  g_autoptr(JsonObject) cancelled = NULL;
  g_autoptr(JsonObject) revived = NULL;
  g_autoptr(SignpostSlot) stored = NULL;

  /* A navigator may not mark someone seen. */
  seen = test_mutate_one (ts, nav, "appointment", "update", appointment, 1, "{\"status\":\"seen\"}");
  g_assert_cmpuint (test_result_problem_status (seen), ==, 403);

  cancelled = test_mutate_one (ts, nav, "appointment", "update", appointment, 1,
                               "{\"status\":\"cancelled\",\"cancel_reason\":\"Feeling better\"}");
  g_assert_cmpstr (test_result_status (cancelled), ==, "applied");
  stored = test_get_record (ts, SIGNPOST_RECORD_SLOT, slot);
  g_assert_cmpint (signpost_slot_get_status (stored), ==, SIGNPOST_SLOT_FREE);

  revived = test_mutate_one (ts, nav, "appointment", "update", appointment, 2,
                             "{\"status\":\"booked\"}");
  g_assert_cmpstr (test_result_status (revived), ==, "rejected");
  test_server_free (ts);
}

static void
test_review (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *nav = test_login (ts, "nav_a");
  g_autofree char *clin = test_login (ts, "clin_a");
  g_autofree char *triage = test_add_triage (ts, ts->practice_a);
  g_autoptr(JsonObject) nav_notes = NULL;
  g_autoptr(JsonObject) nav_review = NULL;
  g_autoptr(JsonObject) review = NULL;
  g_autoptr(JsonObject) nav_edit = NULL;
  JsonObject *record;

  nav_notes = test_mutate_one (ts, nav, "triage", "update", triage, 1,
                               "{\"duty_notes\":\"I am not a doctor\"}");
  g_assert_cmpuint (test_result_problem_status (nav_notes), ==, 403);
  nav_review = test_mutate_one (ts, nav, "triage", "review", triage, 0, "{}");
  g_assert_cmpuint (test_result_problem_status (nav_review), ==, 403);

  review = test_mutate_one (ts, clin, "triage", "review", triage, 1,
                            "{\"duty_notes\":\"Spoke to patient; antibiotics\",\"outcome\":\"advice_given\"}");
  g_assert_cmpstr (test_result_status (review), ==, "applied");
  record = json_object_get_object_member (review, "record");
  g_assert_cmpstr (json_object_get_string_member (record, "status"), ==, "reviewed");
  g_assert_nonnull (json_object_get_string_member (record, "reviewed_by"));
  g_assert_nonnull (json_object_get_string_member (record, "reviewed_at"));
  g_assert_cmpstr (json_object_get_string_member (record, "duty_notes"), ==,
                   "Spoke to patient; antibiotics");

  /* The navigator's copy of the result hides the duty notes. */
  nav_edit = test_mutate_one (ts, nav, "triage", "update", triage, 2,
                              "{\"navigator_notes\":\"Patient informed\"}");
  g_assert_cmpstr (test_result_status (nav_edit), ==, "applied");
  record = json_object_get_object_member (nav_edit, "record");
  g_assert_true (json_object_get_null_member (record, "duty_notes"));
  test_server_free (ts);
}

static void
test_mixed_batch (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *nav = test_login (ts, "nav_a");
  g_autofree char *m1 = g_uuid_string_random (), *m2 = g_uuid_string_random ();
  g_autofree char *m3 = g_uuid_string_random ();
  g_autofree char *p1 = g_uuid_string_random (), *p2 = g_uuid_string_random ();
  g_autofree char *c1 = patient_create (m1, p1, ts->practice_a, "One");
  g_autofree char *c2 = patient_create (m2, p2, ts->practice_b, "Two");
  g_autofree char *c3 = NULL;
  g_autofree char *batch = NULL;
  g_autoptr(JsonArray) results = NULL;
  g_autoptr(SignpostRecord) one = NULL, two = NULL;

  c3 = g_strdup_printf ("{\"mutation_id\":\"%s\",\"type\":\"patient\",\"op\":\"update\","
                        "\"id\":\"%s\",\"base_version\":1,\"data\":{\"postcode\":\"LS2 9JT\"}}",
                        m3, p1);
  batch = g_strdup_printf ("[%s,%s,%s]", c1, c2, c3);
  results = test_mutate (ts, nav, batch);
  /* Applied in order; the one for another practice is refused alone. */
  g_assert_cmpstr (test_result_status (json_array_get_object_element (results, 0)), ==, "applied");
  g_assert_cmpstr (test_result_status (json_array_get_object_element (results, 1)), ==, "rejected");
  g_assert_cmpuint (test_result_problem_status (json_array_get_object_element (results, 1)), ==, 403);
  g_assert_cmpstr (test_result_status (json_array_get_object_element (results, 2)), ==, "applied");
  one = test_get_record (ts, SIGNPOST_RECORD_PATIENT, p1);
  g_assert_cmpint (signpost_record_get_version (one), ==, 2);
  two = test_get_record (ts, SIGNPOST_RECORD_PATIENT, p2);
  g_assert_null (two);
  test_server_free (ts);
}

/* When SQLite has rolled the whole transaction back by itself (a full
 * disk, say), undoing one savepoint must say so: the writes before it
 * are gone and nothing of the batch may be acknowledged. */
static void
test_savepoint_without_transaction (void)
{
  TestServer *ts = test_server_new (NULL);
  SignpostStore *store = test_server_store (ts);
  g_autoptr(GError) error = NULL;

  g_assert_true (signpost_store_begin (store, &error));
  g_assert_true (signpost_store_savepoint (store, &error));
  g_assert_true (signpost_store_rollback_to_savepoint (store));
  g_assert_true (signpost_store_savepoint (store, &error));
  signpost_store_rollback (store);
  g_test_expect_message ("signpost-server", G_LOG_LEVEL_WARNING, "*transaction is gone*");
  g_assert_false (signpost_store_rollback_to_savepoint (store));
  g_test_assert_expected_messages ();
  test_server_free (ts);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/server/mutations/idempotent-retry", test_idempotent_retry);
  g_test_add_func ("/signpost/server/mutations/version-conflict", test_version_conflict);
  g_test_add_func ("/signpost/server/mutations/invalid-data", test_invalid_data);
  g_test_add_func ("/signpost/server/mutations/concurrent-booking", test_concurrent_booking);
  g_test_add_func ("/signpost/server/mutations/unique-index", test_unique_index);
  g_test_add_func ("/signpost/server/mutations/savepoint-without-transaction", test_savepoint_without_transaction);
  g_test_add_func ("/signpost/server/mutations/booking-rules", test_booking_rules);
  g_test_add_func ("/signpost/server/mutations/appointment-cancel", test_appointment_cancel_by_update);
  g_test_add_func ("/signpost/server/mutations/review", test_review);
  g_test_add_func ("/signpost/server/mutations/mixed-batch", test_mixed_batch);

  return g_test_run ();
}
