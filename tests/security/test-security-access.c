/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "server-test-util.h"
#include "signpost-navigation.h"

/*
 * Who may read and write what, tried as a hostile user would (issue 12):
 * ids of other practices' records (item 2), administrators and their own
 * roles (item 5), the duty doctor's fields and the role × field write
 * matrix (item 6). Against a real server on 127.0.0.1 in this process.
 */

#define NOWHERE "00000000-0000-4000-8000-00000000abcd"
/* practice, user, clinician, patient, call, triage, slot, appointment */
#define SIGNPOST_N_RECORD_KINDS_FOR_TEST 8

static char *
result_text (JsonObject *result)
{
  return signpost_json_object_to_string (result, NULL);
}

static JsonObject *
problem_of (JsonObject *result)
{
  return json_object_get_object_member (result, "problem");
}

/* Nothing of a record reached the caller: no record, and none of the
 * fixture patient's details or the other practice's id in the answer. */
static void
assert_says_nothing (TestServer *ts,
                     JsonObject *result,
                     const char *field)
{
  g_autofree char *text = result_text (result);
  JsonObject *problem = problem_of (result);

  g_assert_cmpstr (test_result_status (result), ==, "rejected");
  g_assert_cmpint (json_object_get_int_member (problem, "status"), ==, 409);
  g_assert_cmpstr (json_object_get_string_member (problem, "field"), ==, field);
  g_assert_true (!json_object_has_member (result, "record") ||
                 json_object_get_null_member (result, "record"));
  g_assert_null (strstr (text, "Testcase"));
  g_assert_null (strstr (text, "9990000018"));
  g_assert_null (strstr (text, "1980-02-29"));
  g_assert_null (strstr (text, "Cough"));
  g_assert_null (strstr (text, "Call back today"));
  g_assert_null (strstr (text, "+4477009"));
  g_assert_null (strstr (text, ts->practice_b));
  g_assert_null (strstr (text, "kind"));
}

/* Item 2: a create whose id is another practice's record (or a deleted
 * one, or another kind's) is refused without a word about what holds it;
 * nor do updates, bookings or the audit route tell an id of another
 * practice from one that does not exist. */
static void
test_ids_of_other_practices (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *nav = test_login (ts, "nav_a");
  g_autofree char *clin = test_login (ts, "clin_a");
  g_autofree char *patient_b = test_add_patient (ts, ts->practice_b);
  g_autofree char *triage_b = test_add_triage (ts, ts->practice_b);
  g_autofree char *appointment_b = test_add_appointment (ts, ts->practice_b, NULL);
  g_autofree char *patient_a = test_add_patient (ts, ts->practice_a);
  g_autofree char *gone_a = test_add_patient (ts, ts->practice_a);
  g_autofree char *slot_a = test_add_slot (ts, ts->practice_a, 240, G_MININT, TRUE);
  g_autofree char *patient_data = NULL;
  g_autofree char *triage_data = NULL;
  g_autofree char *book = NULL;
  g_autofree char *detail = NULL;

  /* A deleted patient of practice A. */
  {
    g_autoptr(JsonObject) deleted = test_mutate_one (ts, nav, "patient", "delete", gone_a, 1, NULL);
    g_autoptr(SignpostRecord) record = test_get_record (ts, SIGNPOST_RECORD_PATIENT, gone_a);

    /* Navigators do not delete patients; the fixture does. */
    g_assert_cmpstr (test_result_status (deleted), ==, "rejected");
    test_bulk_begin (ts);
    g_assert_true (signpost_store_put_record (test_server_store (ts), record, TRUE, NULL));
    test_bulk_end (ts);
  }

  patient_data = g_strdup_printf ("{\"practice_id\":\"%s\",\"given_name\":\"Eve\","
                                  "\"family_name\":\"Probe\",\"date_of_birth\":\"1990-01-01\","
                                  "\"sex\":\"female\"}", ts->practice_a);
  triage_data = g_strdup_printf ("{\"practice_id\":\"%s\",\"reason\":\"Probe\","
                                 "\"urgency\":\"routine\",\"status\":\"open\"}", ts->practice_a);
  {
    g_autoptr(JsonObject) r1 = test_mutate_one (ts, nav, "patient", "create", patient_b, 0, patient_data);
    g_autoptr(JsonObject) r2 = test_mutate_one (ts, nav, "triage", "create", triage_b, 0, triage_data);
    g_autoptr(JsonObject) r3 = test_mutate_one (ts, clin, "triage", "create", triage_b, 0, triage_data);
    g_autoptr(JsonObject) r4 = test_mutate_one (ts, nav, "triage", "create", patient_b, 0, triage_data);
    g_autoptr(JsonObject) r5 = test_mutate_one (ts, nav, "patient", "create", gone_a, 0, patient_data);
    g_autoptr(JsonObject) r6 = test_mutate_one (ts, nav, "triage", "create", patient_a, 0, triage_data);
    g_autoptr(JsonObject) own = test_mutate_one (ts, nav, "patient", "create", patient_a, 0, patient_data);

    assert_says_nothing (ts, r1, "id");
    assert_says_nothing (ts, r2, "id");
    assert_says_nothing (ts, r3, "id");
    assert_says_nothing (ts, r4, "id");
    assert_says_nothing (ts, r5, "id");
    assert_says_nothing (ts, r6, "id");
    /* Every case reads the same. */
    detail = g_strdup (json_object_get_string_member (problem_of (r1), "detail"));
    g_assert_cmpstr (json_object_get_string_member (problem_of (r2), "detail"), ==, detail);
    g_assert_cmpstr (json_object_get_string_member (problem_of (r4), "detail"), ==, detail);
    g_assert_cmpstr (json_object_get_string_member (problem_of (r5), "detail"), ==, detail);
    g_assert_cmpstr (json_object_get_string_member (problem_of (r6), "detail"), ==, detail);
    /* A record the caller may see is a conflict carrying it, as before. */
    g_assert_cmpstr (test_result_status (own), ==, "conflict");
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (own, "record"), "id"),
                     ==, patient_a);
  }

  /* A booking's appointment_id that is practice B's. */
  book = g_strdup_printf ("{\"appointment_id\":\"%s\",\"patient_id\":\"%s\"}", appointment_b, patient_a);
  {
    g_autoptr(JsonObject) booked = test_mutate_one (ts, nav, "slot", "book", slot_a, 0, book);

    assert_says_nothing (ts, booked, "appointment_id");
    g_assert_cmpstr (json_object_get_string_member (problem_of (booked), "detail"), ==, detail);
  }

  /* An update of practice B's patient is told what an unknown id is. */
  {
    g_autoptr(JsonObject) other = test_mutate_one (ts, nav, "patient", "update", patient_b, 1,
                                                   "{\"postcode\":\"LS1 4AP\"}");
    g_autoptr(JsonObject) unknown = test_mutate_one (ts, nav, "patient", "update", NOWHERE, 1,
                                                     "{\"postcode\":\"LS1 4AP\"}");
    g_autoptr(JsonObject) answer = test_mutate_one (ts, clin, "triage", "review", triage_b, 0,
                                                    "{\"duty_notes\":\"Probe\"}");
    g_autofree char *text = result_text (other);

    g_assert_cmpuint (test_result_problem_status (other), ==, 404);
    g_assert_cmpuint (test_result_problem_status (answer), ==, 404);
    g_assert_cmpstr (json_object_get_string_member (problem_of (other), "detail"), ==,
                     json_object_get_string_member (problem_of (unknown), "detail"));
    g_assert_null (strstr (text, "Testcase"));
  }

  /* And so does the audit route. */
  {
    g_autofree char *seen = g_strdup_printf ("{\"patient_id\":\"%s\"}", patient_b);
    g_autofree char *unseen = g_strdup_printf ("{\"patient_id\":\"%s\"}", NOWHERE);
    g_autoptr(TestReply) other = test_http (ts, NULL, "POST", "/api/v1/audit/views", nav, seen, -1);
    g_autoptr(TestReply) unknown = test_http (ts, NULL, "POST", "/api/v1/audit/views", nav, unseen, -1);

    test_assert_problem (other, 404, "patient_id");
    g_assert_cmpstr (other->body, ==, unknown->body);
  }
  test_server_free (ts);
}

/* Item 5: an administrator cannot give itself a clinical role (nor take
 * one away); giving one to anyone else is audited. */
static void
test_admin_roles (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *admin = test_login (ts, "admin");
  g_autofree char *admin_id = NULL;
  g_autofree char *target = test_add_user (ts, "reception2", SIGNPOST_ROLE_MANAGER,
                                           ts->practice_a, NULL, FALSE);
  g_autofree char *new_id = g_uuid_string_random ();
  g_autofree char *new_user = NULL;
  g_autofree char *audit_path = NULL;
  g_autoptr(JsonObject) log = NULL;
  JsonArray *events;
  guint grants = 0;

  {
    g_autoptr(JsonObject) me = test_get_json (ts, "/api/v1/me", admin);

    admin_id = g_strdup (json_object_get_string_member (json_object_get_object_member (me, "user"), "id"));
  }
  {
    g_autoptr(SignpostRecord) record = test_get_record (ts, SIGNPOST_RECORD_USER, admin_id);
    gint64 version = signpost_record_get_version (record);
    g_autoptr(JsonObject) roles = test_mutate_one (ts, admin, "user", "update", admin_id, version,
                                                   "{\"roles\":[\"admin\",\"navigator\"]}");
    g_autoptr(JsonObject) role = test_mutate_one (ts, admin, "user", "update", admin_id, version,
                                                  "{\"role\":\"clinician\"}");
    g_autoptr(JsonObject) name = test_mutate_one (ts, admin, "user", "update", admin_id, version,
                                                  "{\"display_name\":\"The Administrator\"}");
    g_autoptr(GError) error = NULL;
    g_autoptr(TestReply) login = NULL;

    g_assert_cmpstr (test_result_status (roles), ==, "rejected");
    g_assert_cmpuint (test_result_problem_status (roles), ==, 403);
    g_assert_cmpstr (json_object_get_string_member (problem_of (roles), "field"), ==, "roles");
    g_assert_cmpuint (test_result_problem_status (role), ==, 403);
    /* Its own name it may change. */
    g_assert_cmpstr (test_result_status (name), ==, "applied");
    /* And it cannot sign in as a navigator. */
    login = test_http (ts, NULL, "POST", "/api/v1/login", NULL,
                       "{\"username\":\"admin\",\"password\":\"" TEST_PASSWORD "\",\"role\":\"navigator\"}",
                       -1);
    test_assert_problem (login, 403, "role");
  }

  /* Another user given a clinical role; a new one made with one. */
  {
    g_autoptr(JsonObject) granted = test_mutate_one (ts, admin, "user", "update", target, 1,
                                                     "{\"roles\":[\"manager\",\"navigator\"]}");
    g_assert_cmpstr (test_result_status (granted), ==, "applied");
  }
  new_user = g_strdup_printf ("{\"practice_id\":\"%s\",\"username\":\"newclin\","
                              "\"display_name\":\"New Clinician\",\"role\":\"clinician\","
                              "\"practice_ids\":[\"%s\"]}", ts->practice_a, ts->practice_a);
  {
    g_autoptr(JsonObject) created = test_mutate_one (ts, admin, "user", "create", new_id, 0, new_user);
    g_assert_cmpstr (test_result_status (created), ==, "applied");
  }
  audit_path = g_strdup_printf ("/api/v1/audit?user_id=%s&limit=1000", admin_id);
  log = test_get_json (ts, audit_path, admin);
  events = json_object_get_array_member (log, "events");
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);

      if (!g_str_equal (json_object_get_string_member (event, "action"), "grant-role"))
        continue;
      grants++;
      if (g_str_equal (json_object_get_string_member (event, "record_id"), target))
        g_assert_cmpstr (json_object_get_string_member (event, "detail"), ==, "navigator");
      else
        {
          g_assert_cmpstr (json_object_get_string_member (event, "record_id"), ==, new_id);
          g_assert_cmpstr (json_object_get_string_member (event, "detail"), ==, "clinician");
        }
    }
  g_assert_cmpuint (grants, ==, 2);
  test_server_free (ts);
}

/* Item 6: a navigator cannot write the duty doctor's review. A red-flag
 * request waiting for the duty doctor stays as it is until the review. */
static void
test_review_fields (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *nav = test_login (ts, "nav_a");
  g_autofree char *clin = test_login (ts, "clin_a");
  g_autofree char *triage = test_add_triage (ts, ts->practice_a);
  g_autofree char *flagged = NULL;
  const SignpostRedFlag *flags;
  const char *first = NULL, *second = NULL;
  guint n_flags = 0;
  gint64 version;

  /* Two flags that call for a same-day answer (not 999). */
  flags = signpost_navigation_list_red_flags (&n_flags);
  for (guint i = 0; i < n_flags && (first == NULL || second == NULL); i++)
    {
      const char *keys[] = { flags[i].key, NULL };

      if (signpost_navigation_minimum_urgency (keys) != SIGNPOST_URGENCY_SAME_DAY)
        continue;
      if (first == NULL)
        first = flags[i].key;
      else
        second = flags[i].key;
    }
  g_assert_nonnull (second);
  /* Waiting for the duty doctor, one red flag ticked, an emergency. */
  {
    g_autoptr(SignpostTriage) record = test_get_record (ts, SIGNPOST_RECORD_TRIAGE, triage);
    const char *one[] = { first, NULL };

    signpost_triage_set_status (record, SIGNPOST_TRIAGE_AWAITING_DUTY);
    signpost_triage_set_red_flags (record, one);
    signpost_triage_set_urgency (record, SIGNPOST_URGENCY_EMERGENCY);
    test_put_record (ts, record);
    version = signpost_record_get_version (SIGNPOST_RECORD (record));
  }
  {
    g_autoptr(JsonObject) attack = test_mutate_one (ts, nav, "triage", "update", triage, version,
                                                    "{\"status\":\"reviewed\",\"urgency\":\"routine\",\"red_flags\":[]}");
    g_autoptr(JsonObject) reviewed = test_mutate_one (ts, nav, "triage", "update", triage, version,
                                                      "{\"status\":\"reviewed\"}");
    g_autoptr(JsonObject) away = test_mutate_one (ts, nav, "triage", "update", triage, version,
                                                  "{\"status\":\"signposted\"}");
    g_autoptr(JsonObject) closed = test_mutate_one (ts, nav, "triage", "update", triage, version,
                                                    "{\"status\":\"closed\"}");
    g_autoptr(JsonObject) lowered = test_mutate_one (ts, nav, "triage", "update", triage, version,
                                                     "{\"urgency\":\"same_day\"}");
    g_autoptr(JsonObject) cleared = test_mutate_one (ts, nav, "triage", "update", triage, version,
                                                     "{\"red_flags\":[]}");
    g_autoptr(JsonObject) notes = test_mutate_one (ts, nav, "triage", "update", triage, version,
                                                   "{\"duty_notes\":\"Seen\"}");
    g_autoptr(JsonObject) reviewer = test_mutate_one (ts, nav, "triage", "update", triage, version,
                                                      "{\"reviewed_by\":\"" NOWHERE "\"}");
    g_autoptr(JsonObject) review = test_mutate_one (ts, nav, "triage", "review", triage, version,
                                                    "{\"status\":\"closed\"}");
    g_autoptr(JsonObject) clin_reviewed = test_mutate_one (ts, clin, "triage", "update", triage, version,
                                                           "{\"status\":\"reviewed\"}");
    g_autoptr(JsonObject) clin_closed = test_mutate_one (ts, clin, "triage", "update", triage, version,
                                                         "{\"status\":\"closed\"}");
    g_autoptr(SignpostTriage) stored = test_get_record (ts, SIGNPOST_RECORD_TRIAGE, triage);

    g_assert_cmpuint (test_result_problem_status (attack), ==, 403);
    g_assert_cmpuint (test_result_problem_status (reviewed), ==, 403);
    g_assert_cmpstr (json_object_get_string_member (problem_of (reviewed), "field"), ==, "status");
    g_assert_cmpuint (test_result_problem_status (away), ==, 403);
    g_assert_cmpuint (test_result_problem_status (closed), ==, 403);
    g_assert_cmpuint (test_result_problem_status (lowered), ==, 403);
    g_assert_cmpstr (json_object_get_string_member (problem_of (lowered), "field"), ==, "urgency");
    g_assert_cmpuint (test_result_problem_status (cleared), ==, 403);
    g_assert_cmpstr (json_object_get_string_member (problem_of (cleared), "field"), ==, "red_flags");
    g_assert_cmpuint (test_result_problem_status (notes), ==, 403);
    g_assert_cmpuint (test_result_problem_status (reviewer), ==, 403);
    g_assert_cmpuint (test_result_problem_status (review), ==, 403);
    g_assert_cmpuint (test_result_problem_status (clin_reviewed), ==, 403);
    g_assert_cmpuint (test_result_problem_status (clin_closed), ==, 403);
    g_assert_cmpint (signpost_triage_get_status (stored), ==, SIGNPOST_TRIAGE_AWAITING_DUTY);
    g_assert_cmpint (signpost_triage_get_urgency (stored), ==, SIGNPOST_URGENCY_EMERGENCY);
  }

  /* Raising the alarm is always allowed; then the doctor's review. */
  flagged = g_strdup_printf ("{\"red_flags\":[\"%s\",\"%s\"],\"urgency\":\"emergency\","
                             "\"navigator_notes\":\"Worse now\"}", first, second);
  {
    g_autoptr(JsonObject) raised = test_mutate_one (ts, nav, "triage", "update", triage, version, flagged);
    g_autoptr(JsonObject) review = NULL;
    g_autoptr(SignpostTriage) stored = NULL;

    g_assert_cmpstr (test_result_status (raised), ==, "applied");
    review = test_mutate_one (ts, clin, "triage", "review", triage, version + 1,
                              "{\"duty_notes\":\"Called, seen today\",\"status\":\"closed\"}");
    g_assert_cmpstr (test_result_status (review), ==, "applied");
    stored = test_get_record (ts, SIGNPOST_RECORD_TRIAGE, triage);
    g_assert_cmpint (signpost_triage_get_status (stored), ==, SIGNPOST_TRIAGE_CLOSED);
    g_assert_nonnull (signpost_triage_get_reviewed_by (stored));
  }
  test_server_free (ts);
}

/* ---- the role × field write matrix -------------------------------------- */

enum { NAV, CLIN, MGR, ADMIN, N_ROLES };
static const char * const role_users[N_ROLES] = { "nav_a", "clin_a", "mgr_a", "admin" };

typedef struct {
  const char *kind;
  const char *field;
  const char *value;           /* JSON; %s is practice A's id where it appears */
  gboolean writable[N_ROLES];  /* by update: nav, clin, mgr, admin */
} FieldCase;

#define Y TRUE
#define N FALSE
/* PROTOCOL.md, "Who writes what", written out again here. */
static const FieldCase field_matrix[] = {
  { "practice", "ods_code", "\"Y77777\"", { N, N, N, Y } },
  { "practice", "name", "\"Renamed Surgery\"", { N, N, N, Y } },
  { "practice", "lines", "[\"+441632960123\"]", { N, N, N, Y } },
  { "practice", "time_zone", "\"Europe/London\"", { N, N, N, Y } },
  { "practice", "online_hours", "[]", { N, N, Y, Y } },
  { "practice", "online_open_bank_holidays", "true", { N, N, Y, Y } },
  { "practice", "online_closed_dates", "[\"2026-12-28\"]", { N, N, Y, Y } },
  { "practice", "online_medical_daily_limit", "40", { N, N, Y, Y } },
  { "practice", "online_paused", "false", { N, N, Y, Y } },
  { "practice", "online_pause_message", "null", { N, N, Y, Y } },

  { "user", "username", "\"renamed_user\"", { N, N, N, Y } },
  { "user", "display_name", "\"Renamed\"", { N, N, N, Y } },
  { "user", "role", "\"manager\"", { N, N, N, Y } },
  { "user", "roles", "[\"manager\"]", { N, N, N, Y } },
  { "user", "practice_ids", "[\"%s\"]", { N, N, N, Y } },
  { "user", "clinician_id", "null", { N, N, N, Y } },
  { "user", "disabled", "false", { N, N, N, Y } },
  { "user", "hub", "false", { N, N, N, Y } },

  { "clinician", "title", "\"Dr\"", { N, N, N, Y } },
  { "clinician", "given_name", "\"Gwen\"", { N, N, N, Y } },
  { "clinician", "family_name", "\"Pryce\"", { N, N, N, Y } },
  { "clinician", "profession", "\"nurse\"", { N, N, N, Y } },
  { "clinician", "duty", "[]", { N, N, N, Y } },

  { "patient", "nhs_number", "\"9990000018\"", { Y, Y, N, N } },
  { "patient", "given_name", "\"Bea\"", { Y, Y, N, N } },
  { "patient", "family_name", "\"Probe\"", { Y, Y, N, N } },
  { "patient", "date_of_birth", "\"1990-05-06\"", { Y, Y, N, N } },
  { "patient", "sex", "\"male\"", { Y, Y, N, N } },
  { "patient", "phones", "[{\"number\":\"+447700900123\",\"kind\":\"mobile\"}]", { Y, Y, N, N } },
  { "patient", "postcode", "\"LS1 4AP\"", { Y, Y, N, N } },
  { "patient", "usual_clinician_id", "null", { Y, Y, N, N } },
  { "patient", "alerts", "[]", { Y, Y, N, N } },
  { "patient", "temporary", "true", { Y, Y, N, N } },
  { "patient", "patient_ref", "\"R12345\"", { Y, Y, N, N } },
  { "patient", "left_at", "null", { Y, Y, N, N } },

  { "call", "call_ref", "\"other-ref\"", { N, N, N, N } },
  { "call", "line", "\"+442079460101\"", { N, N, N, N } },
  { "call", "cli", "\"+447700900555\"", { N, N, N, N } },
  { "call", "state", "\"ended\"", { N, N, N, N } },
  { "call", "position", "9", { N, N, N, N } },
  { "call", "offered_at", "\"2026-11-23T08:00:00Z\"", { N, N, N, N } },
  { "call", "answered_at", "\"2026-11-23T08:01:00Z\"", { N, N, N, N } },
  { "call", "answered_by", "\"" NOWHERE "\"", { N, N, N, N } },
  { "call", "ended_at", "\"2026-11-23T08:02:00Z\"", { N, N, N, N } },
  { "call", "abandoned_at", "\"2026-11-23T08:02:00Z\"", { N, N, N, N } },
  { "call", "callback_number", "\"+447700900556\"", { N, N, N, N } },
  { "call", "callback_requested_at", "\"2026-11-23T08:01:00Z\"", { N, N, N, N } },
  { "call", "callback_done_at", "\"2026-11-23T09:00:00Z\"", { N, N, N, N } },
  { "call", "callback_attempts", "2", { N, N, N, N } },
  { "call", "callback_outcome", "\"reached\"", { N, N, N, N } },
  { "call", "agent", "\"Switchboard\"", { N, N, N, N } },
  { "call", "callback_first_attempt_at", "\"2026-11-23T08:30:00Z\"", { N, N, N, N } },
  { "call", "follow_up", "\"text\"", { N, N, N, N } },
  { "call", "followed_up_at", "\"2026-11-23T10:00:00Z\"", { N, N, N, N } },
  { "call", "followed_up_by", "\"" NOWHERE "\"", { N, N, N, N } },
  { "call", "patient_id", "null", { Y, Y, N, N } },
  { "call", "triage_id", "null", { Y, Y, N, N } },

  { "triage", "patient_id", "null", { Y, Y, N, N } },
  { "triage", "call_id", "null", { Y, Y, N, N } },
  { "triage", "caller_relationship", "\"carer\"", { Y, Y, N, N } },
  { "triage", "caller_name", "\"Someone Else\"", { Y, Y, N, N } },
  { "triage", "reason", "\"Earache\"", { Y, Y, N, N } },
  { "triage", "red_flags", "[]", { Y, Y, N, N } },
  { "triage", "urgency", "\"within_2_weeks\"", { Y, Y, N, N } },
  { "triage", "route", "{\"kind\":\"duty\"}", { Y, Y, N, N } },
  { "triage", "contact_method", "\"text\"", { Y, Y, N, N } },
  { "triage", "contact_number", "\"+447700900124\"", { Y, Y, N, N } },
  { "triage", "status", "\"signposted\"", { Y, Y, N, N } },
  { "triage", "outcome", "\"signposted\"", { Y, Y, N, N } },
  { "triage", "pharmacy_first", "null", { Y, Y, N, N } },
  { "triage", "pharmacy_first_taken", "false", { Y, Y, N, N } },
  { "triage", "navigator_notes", "\"Rang back\"", { Y, Y, N, N } },
  { "triage", "request_type", "null", { Y, Y, N, N } },
  { "triage", "admin_topic", "null", { Y, Y, N, N } },
  { "triage", "symptom_duration", "\"Two days\"", { Y, Y, N, N } },
  { "triage", "hoped_outcome", "\"Advice\"", { Y, Y, N, N } },
  { "triage", "patient_details", "null", { Y, Y, N, N } },
  { "triage", "contact_times", "[]", { Y, Y, N, N } },
  { "triage", "contact_message_ok", "true", { Y, Y, N, N } },
  { "triage", "screened_flags", "[]", { Y, Y, N, N } },
  { "triage", "duty_notes", "\"Draft notes\"", { N, Y, N, N } },
  { "triage", "claimed_by", "null", { N, Y, N, N } },
  { "triage", "created_by", "\"" NOWHERE "\"", { N, N, N, N } },
  { "triage", "reviewed_by", "\"" NOWHERE "\"", { N, N, N, N } },
  { "triage", "reviewed_at", "\"2026-11-23T09:00:00Z\"", { N, N, N, N } },
  { "triage", "appointment_id", "\"" NOWHERE "\"", { N, N, N, N } },

  { "slot", "clinician_id", "GP", { N, Y, Y, N } },
  { "slot", "start", "START", { N, Y, Y, N } },
  { "slot", "duration_minutes", "20", { N, Y, Y, N } },
  { "slot", "mode", "\"video\"", { N, Y, Y, N } },
  { "slot", "release_at", "null", { N, Y, Y, N } },
  { "slot", "hub_bookable", "false", { N, Y, Y, N } },
  { "slot", "status", "\"blocked\"", { N, Y, Y, N } },

  { "appointment", "slot_id", "\"" NOWHERE "\"", { N, N, N, N } },
  { "appointment", "patient_id", "\"" NOWHERE "\"", { N, N, N, N } },
  { "appointment", "reason", "\"Review\"", { Y, Y, N, N } },
  { "appointment", "status", "\"arrived\"", { Y, Y, N, N } },
  { "appointment", "booked_by", "\"" NOWHERE "\"", { N, N, N, N } },
  { "appointment", "triage_id", "null", { N, N, N, N } },
  { "appointment", "cancel_reason", "\"Unwell\"", { Y, Y, N, N } },
};

/* Values some roles may set and others not, on fields they may write. */
typedef struct {
  const char *kind;
  const char *field;
  const char *value;
  gboolean allowed[N_ROLES];
} ValueCase;

static const ValueCase value_matrix[] = {
  { "triage", "status", "\"reviewed\"", { N, N, N, N } },
  { "triage", "status", "\"closed\"", { Y, Y, N, N } },
  { "triage", "status", "\"awaiting_duty\"", { Y, Y, N, N } },
  { "appointment", "status", "\"seen\"", { N, Y, N, N } },
  { "appointment", "status", "\"did_not_attend\"", { Y, Y, N, N } },
  { "slot", "status", "\"booked\"", { N, N, N, N } },
  { "slot", "status", "\"free\"", { N, Y, Y, N } },
};
#undef Y
#undef N

static guint serial;

/* A fresh record of @kind in practice A to change. */
static char *
make_target (TestServer *ts,
             const char *kind)
{
  serial++;
  if (g_str_equal (kind, "practice"))
    {
      g_autoptr(SignpostPractice) practice = signpost_practice_new ();
      g_autofree char *id = g_uuid_string_random ();
      g_autofree char *ods = g_strdup_printf ("Y%05u", 20000 + serial);

      signpost_record_set_id (SIGNPOST_RECORD (practice), id);
      signpost_record_set_practice_id (SIGNPOST_RECORD (practice), id);
      signpost_practice_set_ods_code (practice, ods);
      signpost_practice_set_name (practice, "Target Practice");
      signpost_practice_set_time_zone (practice, "Europe/London");
      test_put_record (ts, practice);
      return g_steal_pointer (&id);
    }
  if (g_str_equal (kind, "user"))
    {
      g_autofree char *name = g_strdup_printf ("target%u", serial);

      return test_add_user (ts, name, SIGNPOST_ROLE_MANAGER, ts->practice_a, NULL, FALSE);
    }
  if (g_str_equal (kind, "clinician"))
    return test_add_clinician (ts, ts->practice_a);
  if (g_str_equal (kind, "patient"))
    return test_add_patient (ts, ts->practice_a);
  if (g_str_equal (kind, "call"))
    return test_add_call (ts, ts->practice_a, SIGNPOST_CALL_QUEUED);
  if (g_str_equal (kind, "triage"))
    return test_add_triage (ts, ts->practice_a);
  if (g_str_equal (kind, "slot"))
    return test_add_slot (ts, ts->practice_a, 600, G_MININT, TRUE);
  if (g_str_equal (kind, "appointment"))
    return test_add_appointment (ts, ts->practice_a, NULL);
  g_assert_not_reached ();
}

static char *
update_for (TestServer *ts,
            const char *kind,
            const char *field,
            const char *value,
            const char *id)
{
  g_autofree char *mutation_id = g_uuid_string_random ();
  g_autofree char *json = NULL;
  SignpostRecordKind record_kind;
  g_autoptr(SignpostRecord) record = NULL;

  g_assert_true (signpost_record_kind_from_string (kind, &record_kind));
  record = test_get_record (ts, record_kind, id);
  if (g_str_equal (value, "START"))
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(GDateTime) start = g_date_time_add_hours (now, 30);
      g_autofree char *text = signpost_timestamp_format (start);

      json = g_strdup_printf ("\"%s\"", text);
    }
  else if (g_str_equal (value, "GP"))
    json = g_strdup_printf ("\"%s\"", ts->gp_a);
  else if (strstr (value, "%s") != NULL)
    json = g_strdup_printf ("[\"%s\"]", ts->practice_a);
  else
    json = g_strdup (value);
  return g_strdup_printf ("{\"mutation_id\":\"%s\",\"type\":\"%s\",\"op\":\"update\",\"id\":\"%s\","
                          "\"base_version\":%" G_GINT64_FORMAT ",\"data\":{\"%s\":%s}}",
                          mutation_id, kind, id, signpost_record_get_version (record), field, json);
}

static void
check_batch (TestServer  *ts,
             guint        role,
             GPtrArray   *mutations,
             GPtrArray   *labels,
             GArray      *expected)
{
  g_autofree char *token = test_login (ts, role_users[role]);
  g_autofree char *joined = NULL;
  g_autofree char *batch = NULL;
  g_autoptr(JsonArray) results = NULL;

  g_ptr_array_add (mutations, NULL);
  joined = g_strjoinv (",", (char **) mutations->pdata);
  batch = g_strdup_printf ("[%s]", joined);
  results = test_mutate (ts, token, batch);
  g_assert_cmpuint (json_array_get_length (results), ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    {
      JsonObject *result = json_array_get_object_element (results, i);
      gboolean allowed = g_array_index (expected, gboolean, i);
      const char *status = test_result_status (result);

      g_test_message ("%s %s: %s (%u)", role_users[role], (char *) g_ptr_array_index (labels, i),
                      status, test_result_problem_status (result));
      if (allowed)
        g_assert_cmpstr (status, ==, "applied");
      else
        {
          g_assert_cmpstr (status, ==, "rejected");
          g_assert_cmpuint (test_result_problem_status (result), ==, 403);
        }
    }
}

/* Every field a client could send (not the server's own) is in the
 * matrix: a field added to the model is decided on here too. */
static void
assert_matrix_complete (void)
{
  for (SignpostRecordKind kind = 0; kind < SIGNPOST_N_RECORD_KINDS_FOR_TEST; kind++)
    {
      g_autoptr(GTypeClass) klass = g_type_class_ref (signpost_record_type_for_kind (kind));
      const char *name = signpost_record_kind_to_string (kind);
      guint n_fields = 0;
      GParamSpec **fields = signpost_object_class_list_fields (SIGNPOST_OBJECT_CLASS (klass), &n_fields);

      for (guint i = 0; i < n_fields; i++)
        {
          const char *key = signpost_field_get_json_key (fields[i]);
          gboolean found = FALSE;

          if ((signpost_field_get_flags (fields[i]) & SIGNPOST_FIELD_SERVER) ||
              g_str_equal (key, "practice_id"))
            continue;
          for (guint j = 0; !found && j < G_N_ELEMENTS (field_matrix); j++)
            found = g_str_equal (field_matrix[j].kind, name) && g_str_equal (field_matrix[j].field, key);
          if (!found)
            g_error ("%s.%s is not in the write matrix (nor in PROTOCOL.md's table?)", name, key);
        }
    }
}

/* Item 6: every field of every record, changed by every role. */
static void
test_write_matrix (void)
{
  TestServer *ts = test_server_new (NULL);

  assert_matrix_complete ();
  for (guint role = 0; role < N_ROLES; role++)
    {
      g_autoptr(GPtrArray) mutations = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GArray) expected = g_array_new (FALSE, FALSE, sizeof (gboolean));
      g_autofree char *token = test_login (ts, role_users[role]);

      /* A practice: its own, one change at a time (a manager's is A). */
      for (guint i = 0; i < G_N_ELEMENTS (field_matrix); i++)
        {
          const FieldCase *c = &field_matrix[i];
          g_autoptr(JsonObject) result = NULL;
          g_autofree char *mutation = NULL;
          g_autofree char *batch = NULL;
          g_autoptr(JsonArray) results = NULL;

          if (!g_str_equal (c->kind, "practice"))
            continue;
          mutation = update_for (ts, c->kind, c->field, c->value, ts->practice_a);
          batch = g_strdup_printf ("[%s]", mutation);
          results = test_mutate (ts, token, batch);
          result = json_object_ref (json_array_get_object_element (results, 0));
          g_test_message ("%s practice.%s: %s (%u)", role_users[role], c->field,
                          test_result_status (result), test_result_problem_status (result));
          if (c->writable[role])
            g_assert_cmpstr (test_result_status (result), ==, "applied");
          else
            g_assert_cmpuint (test_result_problem_status (result), ==, 403);
        }

      test_bulk_begin (ts);
      for (guint i = 0; i < G_N_ELEMENTS (field_matrix); i++)
        {
          const FieldCase *c = &field_matrix[i];
          g_autofree char *target = NULL;

          if (g_str_equal (c->kind, "practice"))
            continue;
          target = make_target (ts, c->kind);
          g_ptr_array_add (mutations, update_for (ts, c->kind, c->field, c->value, target));
          g_ptr_array_add (labels, g_strdup_printf ("%s.%s", c->kind, c->field));
          g_array_append_val (expected, c->writable[role]);
        }
      for (guint i = 0; i < G_N_ELEMENTS (value_matrix); i++)
        {
          const ValueCase *c = &value_matrix[i];
          g_autofree char *target = make_target (ts, c->kind);

          g_ptr_array_add (mutations, update_for (ts, c->kind, c->field, c->value, target));
          g_ptr_array_add (labels, g_strdup_printf ("%s.%s = %s", c->kind, c->field, c->value));
          g_array_append_val (expected, c->allowed[role]);
        }
      test_bulk_end (ts);
      check_batch (ts, role, mutations, labels, expected);
    }
  test_server_free (ts);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/security/access/ids-of-other-practices", test_ids_of_other_practices);
  g_test_add_func ("/signpost/security/access/admin-roles", test_admin_roles);
  g_test_add_func ("/signpost/security/access/review-fields", test_review_fields);
  g_test_add_func ("/signpost/security/access/write-matrix", test_write_matrix);
  return g_test_run ();
}
