/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "signpost-core.h"

/* Synthetic identifiers only. */
#define PRACTICE_ID   "0c8f2a4e-6b1d-4f3a-9e7c-2d5b8a1f4c60"
#define PRACTICE_2_ID "5d0e6b7a-3c2f-4e1d-8a9b-1f2e3d4c5b6a"
#define RECORD_ID     "2f1c5b0e-8a8e-4e0b-9a43-3d7a1c0f5e21"
#define CLINICIAN_ID  "7a3e9c1d-2b4f-4d6e-8f0a-1b2c3d4e5f60"
#define USER_ID       "9b8a7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d"
#define PATIENT_ID    "4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8"
#define CALL_ID       "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"
#define TRIAGE_ID     "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e"
#define SLOT_ID       "c3d4e5f6-a7b8-4c9d-8e0f-2a3b4c5d6e7f"
#define APPOINTMENT_ID "d4e5f6a7-b8c9-4d0e-9f1a-3b4c5d6e7f80"
#define MUTATION_ID   "e5f6a7b8-c9d0-4e1f-8a2b-4c5d6e7f8091"

static GDateTime *
ts (const char *text)
{
  g_autoptr(GError) error = NULL;
  GDateTime *dt = signpost_timestamp_parse (text, &error);

  g_assert_no_error (error);
  return dt;
}

static JsonNode *
json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = signpost_json_parse (text, strlen (text), 0, &error);

  g_assert_no_error (error);
  return node;
}

static JsonObject *
object_from (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object = signpost_json_parse_object (text, strlen (text), 0, &error);

  g_assert_no_error (error);
  return object;
}

static void
set_record_fields (gpointer record)
{
  g_autoptr(GDateTime) updated = ts ("2026-11-23T08:00:00.125Z");

  signpost_record_set_id (record, RECORD_ID);
  signpost_record_set_practice_id (record, PRACTICE_ID);
  signpost_record_set_version (record, 7);
  signpost_record_set_updated_at (record, updated);
  signpost_record_set_seq (record, 1234);
}

static SignpostPractice *
make_practice (void)
{
  SignpostPractice *practice = signpost_practice_new ();
  static const char * const lines[] = { "+441632960000", "+442079460000", NULL };

  set_record_fields (practice);
  signpost_practice_set_ods_code (practice, "Y01234");
  signpost_practice_set_name (practice, "The Example Surgery");
  signpost_practice_set_lines (practice, lines);
  signpost_practice_set_time_zone (practice, "Europe/London");
  return practice;
}

static SignpostUser *
make_user (void)
{
  SignpostUser *user = signpost_user_new ();
  static const char * const roles[] = { "navigator", "manager", NULL };
  static const char * const practices[] = { PRACTICE_ID, PRACTICE_2_ID, NULL };

  set_record_fields (user);
  signpost_user_set_username (user, "hubnav");
  signpost_user_set_display_name (user, "Hub Navigator");
  signpost_user_set_role (user, SIGNPOST_ROLE_MANAGER);
  signpost_user_set_roles (user, roles);
  signpost_user_set_practice_ids (user, practices);
  signpost_user_set_clinician_id (user, CLINICIAN_ID);
  signpost_user_set_disabled (user, TRUE);
  return user;
}

static SignpostDutyPeriod *
make_duty (const char *start,
           const char *end)
{
  SignpostDutyPeriod *duty = signpost_duty_period_new ();
  g_autoptr(GDateTime) s = ts (start);
  g_autoptr(GDateTime) e = ts (end);

  signpost_duty_period_set_start (duty, s);
  signpost_duty_period_set_end (duty, e);
  return duty;
}

static SignpostClinician *
make_clinician (void)
{
  SignpostClinician *clinician = signpost_clinician_new ();
  g_autoptr(GListStore) duty = g_list_store_new (SIGNPOST_TYPE_DUTY_PERIOD);
  g_autoptr(SignpostDutyPeriod) morning = make_duty ("2026-11-23T08:00:00Z", "2026-11-23T13:00:00Z");
  g_autoptr(SignpostDutyPeriod) summer = make_duty ("2026-06-15T07:00:00Z", "2026-06-15T17:30:00Z");

  set_record_fields (clinician);
  g_list_store_append (duty, morning);
  g_list_store_append (duty, summer);
  signpost_clinician_set_title (clinician, "Dr");
  signpost_clinician_set_given_name (clinician, "Amira");
  signpost_clinician_set_family_name (clinician, "Example");
  signpost_clinician_set_profession (clinician, SIGNPOST_PROFESSION_GP);
  signpost_clinician_set_duty (clinician, G_LIST_MODEL (duty));
  return clinician;
}

static SignpostPhone *
make_phone (const char        *number,
            SignpostPhoneKind  kind)
{
  SignpostPhone *phone = signpost_phone_new ();

  signpost_phone_set_number (phone, number);
  signpost_phone_set_kind (phone, kind);
  return phone;
}

static SignpostAlert *
make_alert (SignpostAlertKind  kind,
            const char        *text)
{
  SignpostAlert *alert = signpost_alert_new ();

  signpost_alert_set_kind (alert, kind);
  signpost_alert_set_text (alert, text);
  return alert;
}

static SignpostPatient *
make_patient (void)
{
  SignpostPatient *patient = signpost_patient_new ();
  g_autoptr(GListStore) phones = g_list_store_new (SIGNPOST_TYPE_PHONE);
  g_autoptr(GListStore) alerts = g_list_store_new (SIGNPOST_TYPE_ALERT);
  g_autoptr(SignpostPhone) mobile = make_phone ("+447700900123", SIGNPOST_PHONE_KIND_MOBILE);
  g_autoptr(SignpostPhone) home = make_phone ("+441174960123", SIGNPOST_PHONE_KIND_HOME);
  g_autoptr(SignpostAlert) interpreter = make_alert (SIGNPOST_ALERT_INTERPRETER, "Polish");
  g_autoptr(SignpostAlert) carer = make_alert (SIGNPOST_ALERT_CARER, NULL);

  set_record_fields (patient);
  g_list_store_append (phones, mobile);
  g_list_store_append (phones, home);
  g_list_store_append (alerts, interpreter);
  g_list_store_append (alerts, carer);
  signpost_patient_set_nhs_number (patient, "9990000018");
  signpost_patient_set_given_name (patient, "Zofia");
  signpost_patient_set_family_name (patient, "Testperson");
  signpost_patient_set_date_of_birth (patient, "1980-02-29");
  signpost_patient_set_sex (patient, SIGNPOST_SEX_FEMALE);
  signpost_patient_set_phones (patient, G_LIST_MODEL (phones));
  signpost_patient_set_postcode (patient, "LS1 4AP");
  signpost_patient_set_usual_clinician_id (patient, CLINICIAN_ID);
  signpost_patient_set_alerts (patient, G_LIST_MODEL (alerts));
  signpost_patient_set_temporary (patient, FALSE);
  return patient;
}

static SignpostCall *
make_call (void)
{
  SignpostCall *call = signpost_call_new ();
  g_autoptr(GDateTime) offered = ts ("2026-11-23T08:00:01Z");
  g_autoptr(GDateTime) answered = ts ("2026-11-23T08:09:30.500Z");
  g_autoptr(GDateTime) ended = ts ("2026-11-23T08:14:00Z");
  g_autoptr(GDateTime) requested = ts ("2026-11-23T08:02:00Z");
  g_autoptr(GDateTime) done = ts ("2026-11-23T08:20:00Z");

  set_record_fields (call);
  signpost_call_set_call_ref (call, "pbx-0001/abc");
  signpost_call_set_line (call, "+441632960000");
  signpost_call_set_cli (call, "+447700900123");
  signpost_call_set_state (call, SIGNPOST_CALL_CALLBACK_DONE);
  signpost_call_set_position (call, 3);
  signpost_call_set_offered_at (call, offered);
  signpost_call_set_answered_at (call, answered);
  signpost_call_set_answered_by (call, USER_ID);
  signpost_call_set_ended_at (call, ended);
  signpost_call_set_abandoned_at (call, NULL);
  signpost_call_set_callback_number (call, "+447700900124");
  signpost_call_set_callback_requested_at (call, requested);
  signpost_call_set_callback_done_at (call, done);
  signpost_call_set_callback_attempts (call, 2);
  signpost_call_set_callback_outcome (call, SIGNPOST_CALLBACK_OUTCOME_REACHED);
  signpost_call_set_patient_id (call, PATIENT_ID);
  signpost_call_set_triage_id (call, TRIAGE_ID);
  return call;
}

static SignpostTriage *
make_triage (void)
{
  SignpostTriage *triage = signpost_triage_new ();
  g_autoptr(SignpostRoute) route = signpost_route_new ();
  g_autoptr(GDateTime) reviewed = ts ("2026-11-23T10:15:00.001Z");
  static const char * const flags[] = { "chest_pain", "breathless", NULL };

  set_record_fields (triage);
  signpost_route_set_kind (route, SIGNPOST_ROUTE_CLINICIAN);
  signpost_route_set_clinician_id (route, CLINICIAN_ID);
  signpost_triage_set_patient_id (triage, PATIENT_ID);
  signpost_triage_set_call_id (triage, CALL_ID);
  signpost_triage_set_caller_relationship (triage, SIGNPOST_CALLER_PARENT);
  signpost_triage_set_caller_name (triage, "Parent Testperson");
  signpost_triage_set_reason (triage, "“Tight chest since this morning”\nworse on stairs");
  signpost_triage_set_red_flags (triage, flags);
  signpost_triage_set_urgency (triage, SIGNPOST_URGENCY_SAME_DAY);
  signpost_triage_set_route (triage, route);
  signpost_triage_set_contact_method (triage, SIGNPOST_CONTACT_PHONE);
  signpost_triage_set_contact_number (triage, "+447700900123");
  signpost_triage_set_status (triage, SIGNPOST_TRIAGE_REVIEWED);
  signpost_triage_set_outcome (triage, SIGNPOST_OUTCOME_SENT_TO_DUTY);
  signpost_triage_set_pharmacy_first (triage, "sore_throat");
  signpost_triage_set_pharmacy_first_taken (triage, TRUE);
  signpost_triage_set_navigator_notes (triage, "Called back twice.\tNo answer first time.");
  signpost_triage_set_created_by (triage, USER_ID);
  signpost_triage_set_duty_notes (triage, "Seen; ECG normal.");
  signpost_triage_set_claimed_by (triage, USER_ID);
  signpost_triage_set_reviewed_by (triage, USER_ID);
  signpost_triage_set_reviewed_at (triage, reviewed);
  signpost_triage_set_appointment_id (triage, APPOINTMENT_ID);
  return triage;
}

static SignpostSlot *
make_slot (void)
{
  SignpostSlot *slot = signpost_slot_new ();
  g_autoptr(GDateTime) start = ts ("2026-11-23T09:10:00Z");
  g_autoptr(GDateTime) release = ts ("2026-11-23T08:00:00Z");

  set_record_fields (slot);
  signpost_slot_set_clinician_id (slot, CLINICIAN_ID);
  signpost_slot_set_start (slot, start);
  signpost_slot_set_duration_minutes (slot, 15);
  signpost_slot_set_mode (slot, SIGNPOST_SLOT_MODE_TELEPHONE);
  signpost_slot_set_release_at (slot, release);
  signpost_slot_set_hub_bookable (slot, FALSE);
  signpost_slot_set_status (slot, SIGNPOST_SLOT_BOOKED);
  return slot;
}

static SignpostAppointment *
make_appointment (void)
{
  SignpostAppointment *appointment = signpost_appointment_new ();

  set_record_fields (appointment);
  signpost_appointment_set_slot_id (appointment, SLOT_ID);
  signpost_appointment_set_patient_id (appointment, PATIENT_ID);
  signpost_appointment_set_reason (appointment, "Review\nchest pain");
  signpost_appointment_set_status (appointment, SIGNPOST_APPOINTMENT_CANCELLED);
  signpost_appointment_set_booked_by (appointment, USER_ID);
  signpost_appointment_set_triage_id (appointment, TRIAGE_ID);
  signpost_appointment_set_cancel_reason (appointment, "Patient feels better");
  return appointment;
}

static SignpostChange *
make_change (void)
{
  SignpostChange *change = signpost_change_new ();
  g_autoptr(SignpostPatient) patient = make_patient ();
  g_autoptr(JsonNode) data = signpost_object_to_json_node (SIGNPOST_OBJECT (patient));

  signpost_change_set_seq (change, 1234);
  signpost_change_set_kind (change, SIGNPOST_RECORD_PATIENT);
  signpost_change_set_id (change, RECORD_ID);
  signpost_change_set_op (change, SIGNPOST_OP_CREATE);
  signpost_change_set_version (change, 7);
  signpost_change_set_data (change, data);
  return change;
}

static SignpostMutation *
make_mutation (void)
{
  SignpostMutation *mutation = signpost_mutation_new ();
  g_autoptr(JsonNode) data = json ("{\"patient_id\": \"" PATIENT_ID "\", \"reason\": \"Cough\","
                                   " \"nested\": {\"list\": [1, 2.5, true, null, \"x\"]}}");

  signpost_mutation_set_mutation_id (mutation, MUTATION_ID);
  signpost_mutation_set_kind (mutation, SIGNPOST_RECORD_SLOT);
  signpost_mutation_set_op (mutation, SIGNPOST_OP_BOOK);
  signpost_mutation_set_id (mutation, SLOT_ID);
  signpost_mutation_set_base_version (mutation, 4);
  signpost_mutation_set_data (mutation, data);
  return mutation;
}

static SignpostMutationResult *
make_mutation_result (void)
{
  SignpostMutationResult *result = signpost_mutation_result_new ();
  g_autoptr(SignpostSlot) slot = make_slot ();
  g_autoptr(JsonNode) record = signpost_object_to_json_node (SIGNPOST_OBJECT (slot));
  g_autoptr(JsonNode) problem = json ("{\"type\": \"about:blank\", \"title\": \"Changed by someone else\","
                                      " \"status\": 409, \"detail\": \"The slot was booked\"}");

  signpost_mutation_result_set_mutation_id (result, MUTATION_ID);
  signpost_mutation_result_set_status (result, SIGNPOST_RESULT_CONFLICT);
  signpost_mutation_result_set_id (result, SLOT_ID);
  signpost_mutation_result_set_version (result, 8);
  signpost_mutation_result_set_seq (result, 1235);
  signpost_mutation_result_set_record (result, record);
  signpost_mutation_result_set_problem (result, problem);
  return result;
}

static SignpostObject *
make_sample (GType type)
{
  if (type == SIGNPOST_TYPE_PRACTICE)
    return SIGNPOST_OBJECT (make_practice ());
  if (type == SIGNPOST_TYPE_USER)
    return SIGNPOST_OBJECT (make_user ());
  if (type == SIGNPOST_TYPE_CLINICIAN)
    return SIGNPOST_OBJECT (make_clinician ());
  if (type == SIGNPOST_TYPE_PATIENT)
    return SIGNPOST_OBJECT (make_patient ());
  if (type == SIGNPOST_TYPE_CALL)
    return SIGNPOST_OBJECT (make_call ());
  if (type == SIGNPOST_TYPE_TRIAGE)
    return SIGNPOST_OBJECT (make_triage ());
  if (type == SIGNPOST_TYPE_SLOT)
    return SIGNPOST_OBJECT (make_slot ());
  if (type == SIGNPOST_TYPE_APPOINTMENT)
    return SIGNPOST_OBJECT (make_appointment ());
  if (type == SIGNPOST_TYPE_CHANGE)
    return SIGNPOST_OBJECT (make_change ());
  if (type == SIGNPOST_TYPE_MUTATION)
    return SIGNPOST_OBJECT (make_mutation ());
  if (type == SIGNPOST_TYPE_MUTATION_RESULT)
    return SIGNPOST_OBJECT (make_mutation_result ());
  g_assert_not_reached ();
}

/* ---- round trips -------------------------------------------------------- */

static void
assert_round_trip (SignpostObject *object)
{
  GType type = G_OBJECT_TYPE (object);
  gsize length = 0;
  g_autofree char *text = signpost_object_to_string (object, &length);
  g_autoptr(GError) error = NULL;
  g_autoptr(SignpostObject) from_string = NULL;
  g_autoptr(SignpostObject) from_json = NULL;
  g_autoptr(JsonObject) json_object = NULL;
  g_autofree char *again = NULL;

  g_test_message ("%s: %s", G_OBJECT_TYPE_NAME (object), text);
  g_assert_cmpuint (length, ==, strlen (text));

  from_string = signpost_object_new_from_string (type, text, length, SIGNPOST_DECODE_FULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (from_string);
  g_assert_true (G_OBJECT_TYPE (from_string) == type);
  g_assert_true (signpost_object_equal (object, from_string));
  g_assert_true (signpost_object_equal (from_string, object));

  /* Writing it again gives the same text. */
  again = signpost_object_to_string (from_string, NULL);
  g_assert_cmpstr (again, ==, text);

  json_object = signpost_object_to_json (object);
  from_json = signpost_object_new_from_json (type, json_object, SIGNPOST_DECODE_FULL, &error);
  g_assert_no_error (error);
  g_assert_true (signpost_object_equal (object, from_json));

  /* Equality looks at values: a change anywhere is seen. */
  {
    g_autoptr(SignpostObject) copy = signpost_object_copy (object);
    g_assert_true (signpost_object_equal (object, copy));
  }
}

static void
test_round_trip_type (gconstpointer data)
{
  GType type = GPOINTER_TO_SIZE (data);
  g_autoptr(SignpostObject) object = make_sample (type);

  assert_round_trip (object);
}

static void
test_round_trip_record_kinds (void)
{
  for (int kind = SIGNPOST_RECORD_PRACTICE; kind <= SIGNPOST_RECORD_APPOINTMENT; kind++)
    {
      GType type = signpost_record_type_for_kind (kind);
      g_autoptr(SignpostObject) sample = make_sample (type);
      g_autoptr(JsonObject) json_object = signpost_object_to_json (sample);
      g_autoptr(GError) error = NULL;
      g_autoptr(SignpostRecord) record = NULL;
      SignpostRecordKind parsed_kind;
      const char *name = signpost_record_kind_to_string (kind);

      g_assert_true (g_type_is_a (type, SIGNPOST_TYPE_RECORD));
      g_assert_cmpint (signpost_record_get_kind (SIGNPOST_RECORD (sample)), ==, kind);
      g_assert_nonnull (name);
      g_assert_true (signpost_record_kind_from_string (name, &parsed_kind));
      g_assert_cmpint (parsed_kind, ==, kind);

      record = signpost_record_new_from_json (kind, json_object, SIGNPOST_DECODE_FULL, &error);
      g_assert_no_error (error);
      g_assert_true (signpost_object_equal (sample, SIGNPOST_OBJECT (record)));
      g_assert_cmpstr (signpost_record_get_id (record), ==, RECORD_ID);
      g_assert_cmpstr (signpost_record_get_practice_id (record), ==, PRACTICE_ID);
      g_assert_cmpint (signpost_record_get_version (record), ==, 7);
      g_assert_cmpint (signpost_record_get_seq (record), ==, 1234);
    }

  g_assert_cmpstr (signpost_record_kind_to_string (SIGNPOST_RECORD_TRIAGE), ==, "triage");
  g_assert_false (signpost_record_kind_from_string ("audit", NULL));
  g_assert_false (signpost_record_kind_from_string (NULL, NULL));
}

static void
test_round_trip_values (void)
{
  /* Spot-check what the wire looks like for each kind of field. */
  g_autoptr(SignpostPatient) patient = make_patient ();
  g_autoptr(JsonObject) object = signpost_object_to_json (SIGNPOST_OBJECT (patient));
  JsonArray *phones = json_object_get_array_member (object, "phones");
  JsonObject *home = json_array_get_object_element (phones, 1);
  JsonObject *carer = json_array_get_object_element (json_object_get_array_member (object, "alerts"), 1);
  g_autoptr(SignpostCall) call = make_call ();
  g_autoptr(JsonObject) call_object = signpost_object_to_json (SIGNPOST_OBJECT (call));
  g_autoptr(SignpostTriage) triage = make_triage ();
  g_autoptr(JsonObject) triage_object = signpost_object_to_json (SIGNPOST_OBJECT (triage));
  JsonObject *route = json_object_get_object_member (triage_object, "route");

  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, RECORD_ID);
  g_assert_cmpint (json_object_get_int_member (object, "version"), ==, 7);
  g_assert_cmpstr (json_object_get_string_member (object, "updated_at"), ==, "2026-11-23T08:00:00.125Z");
  g_assert_cmpstr (json_object_get_string_member (object, "sex"), ==, "female");
  g_assert_cmpstr (json_object_get_string_member (object, "date_of_birth"), ==, "1980-02-29");
  g_assert_false (json_object_get_boolean_member (object, "temporary"));
  g_assert_cmpuint (json_array_get_length (phones), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (home, "number"), ==, "+441174960123");
  g_assert_cmpstr (json_object_get_string_member (home, "kind"), ==, "home");
  g_assert_true (json_object_get_null_member (carer, "text"));

  g_assert_true (json_object_get_null_member (call_object, "abandoned_at"));
  g_assert_cmpstr (json_object_get_string_member (call_object, "state"), ==, "callback_done");
  g_assert_cmpstr (json_object_get_string_member (call_object, "answered_at"), ==,
                   "2026-11-23T08:09:30.500Z");

  g_assert_cmpstr (json_object_get_string_member (route, "kind"), ==, "clinician");
  g_assert_cmpstr (json_object_get_string_member (triage_object, "urgency"), ==, "same_day");
  g_assert_cmpstr (json_array_get_string_element (
                     json_object_get_array_member (triage_object, "red_flags"), 0), ==, "chest_pain");
}

static void
test_round_trip_minimal (void)
{
  /* Optional fields left out come back as their defaults and survive a
   * second trip as nulls. */
  static const char text[] =
    "{\"id\": \"" RECORD_ID "\", \"practice_id\": \"" PRACTICE_ID "\", \"version\": 1,"
    " \"updated_at\": \"2026-11-23T08:00:00Z\", \"seq\": 1, \"given_name\": \"Temp\","
    " \"family_name\": \"Resident\", \"date_of_birth\": \"2001-01-01\", \"sex\": \"unknown\"}";
  g_autoptr(GError) error = NULL;
  g_autoptr(SignpostPatient) patient =
    signpost_object_new_from_string (SIGNPOST_TYPE_PATIENT, text, strlen (text),
                                     SIGNPOST_DECODE_FULL, &error);

  g_assert_no_error (error);
  g_assert_null (signpost_patient_get_nhs_number (patient));
  g_assert_null (signpost_patient_get_phones (patient));
  g_assert_null (signpost_patient_get_postcode (patient));
  g_assert_false (signpost_patient_get_temporary (patient));
  g_assert_cmpint (signpost_patient_get_sex (patient), ==, SIGNPOST_SEX_UNKNOWN);
  assert_round_trip (SIGNPOST_OBJECT (patient));

  /* An empty list is not the same as no list, and survives too. */
  {
    g_autoptr(GListStore) none = g_list_store_new (SIGNPOST_TYPE_PHONE);
    g_autoptr(SignpostPatient) copy = signpost_object_copy (SIGNPOST_OBJECT (patient));

    signpost_patient_set_phones (copy, G_LIST_MODEL (none));
    assert_round_trip (SIGNPOST_OBJECT (copy));
  }
}

/* ---- rejection ---------------------------------------------------------- */

typedef struct {
  const char *name;
  GType (*get_type) (void);
  SignpostDecodeMode mode;
  const char *key;
  const char *value;  /* JSON text for the member; NULL removes it */
  const char *field;  /* the path the error must name; NULL for none */
} RejectCase;

#define P signpost_patient_get_type
#define T signpost_triage_get_type
#define FULL SIGNPOST_DECODE_FULL
#define CREATE SIGNPOST_DECODE_CREATE
#define PATCH SIGNPOST_DECODE_PATCH

static const RejectCase reject_cases[] = {
  /* required */
  { "missing required", P, FULL, "family_name", NULL, "family_name" },
  { "missing required (create)", P, CREATE, "given_name", NULL, "given_name" },
  { "missing server field", P, FULL, "version", NULL, "version" },
  { "missing id", P, FULL, "id", NULL, "id" },
  { "missing required enum", P, FULL, "sex", NULL, "sex" },
  { "null for required", P, FULL, "given_name", "null", "given_name" },
  { "null for required int", P, FULL, "version", "null", "version" },
  { "null for required enum", T, FULL, "urgency", "null", "urgency" },
  { "null for required in a patch", P, PATCH, "family_name", "null", "family_name" },
  /* types */
  { "string for int", P, FULL, "version", "\"7\"", "version" },
  { "double for int", P, FULL, "seq", "1.5", "seq" },
  { "bool for int", P, FULL, "seq", "true", "seq" },
  { "int for string", P, FULL, "given_name", "42", "given_name" },
  { "list for string", P, FULL, "given_name", "[\"a\"]", "given_name" },
  { "object for list", P, FULL, "phones", "{}", "phones" },
  { "string for list", P, FULL, "phones", "\"+447700900123\"", "phones" },
  { "list for object", T, FULL, "route", "[]", "route" },
  { "string for object", T, FULL, "route", "\"duty\"", "route" },
  { "string for bool", P, FULL, "temporary", "\"yes\"", "temporary" },
  { "int for bool", P, FULL, "temporary", "1", "temporary" },
  { "int for enum", P, FULL, "sex", "1", "sex" },
  { "string for a string list", T, FULL, "red_flags", "\"chest_pain\"", "red_flags" },
  { "int in a string list", T, FULL, "red_flags", "[\"chest_pain\", 3]", "red_flags[1]" },
  { "int for timestamp", T, FULL, "reviewed_at", "1700000000", "reviewed_at" },
  /* values */
  { "unknown enum value", P, FULL, "sex", "\"alien\"", "sex" },
  { "enum in the wrong case", P, FULL, "sex", "\"Female\"", "sex" },
  { "enum by its C name", P, FULL, "sex", "\"SIGNPOST_SEX_FEMALE\"", "sex" },
  { "bad uuid", P, FULL, "id", "\"not-a-uuid\"", "id" },
  { "upper-case uuid", P, FULL, "practice_id", "\"0C8F2A4E-6B1D-4F3A-9E7C-2D5B8A1F4C60\"", "practice_id" },
  { "bad uuid (optional)", P, FULL, "usual_clinician_id", "\"\"", "usual_clinician_id" },
  { "bad timestamp", P, FULL, "updated_at", "\"2026-11-23 08:00\"", "updated_at" },
  { "timestamp without zone", P, FULL, "updated_at", "\"2026-11-23T08:00:00\"", "updated_at" },
  { "impossible timestamp", P, FULL, "updated_at", "\"2026-02-29T08:00:00Z\"", "updated_at" },
  { "bad date", P, FULL, "date_of_birth", "\"2026-02-29\"", "date_of_birth" },
  { "bad NHS number", P, FULL, "nhs_number", "\"9990000019\"", "nhs_number" },
  { "empty NHS number", P, FULL, "nhs_number", "\"\"", "nhs_number" },
  { "spaced NHS number", P, FULL, "nhs_number", "\"999 000 0018\"", "nhs_number" },
  { "lower-case postcode", P, FULL, "postcode", "\"ls1 4ap\"", "postcode" },
  { "control character", P, FULL, "given_name", "\"Zo\\u0001fia\"", "given_name" },
  { "newline in single-line text", P, FULL, "family_name", "\"Test\\nperson\"", "family_name" },
  { "int below minimum", P, FULL, "version", "-1", "version" },
  { "int above maximum", signpost_slot_get_type, FULL, "duration_minutes", "481", "duration_minutes" },
  { "int zero below minimum", signpost_slot_get_type, FULL, "duration_minutes", "0", "duration_minutes" },
  { "string too long", P, FULL, "given_name",
    "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"",
    "given_name" },
  { "unknown field", P, FULL, "favourite_colour", "\"blue\"", "favourite_colour" },
  { "unknown field (patch)", P, PATCH, "favourite_colour", "\"blue\"", "favourite_colour" },
  { "unknown field with an odd name", P, FULL, "bad key: \"x\"", "1", NULL },
  { "wire name with dashes", P, FULL, "given-name", "\"Zofia\"", NULL },
  /* nesting */
  { "nested bad number", P, FULL, "phones",
    "[{\"number\": \"+447700900123\", \"kind\": \"mobile\"},"
    " {\"number\": \"07700 900123\", \"kind\": \"home\"}]", "phones[1].number" },
  { "nested missing number", P, FULL, "phones", "[{\"kind\": \"home\"}]", "phones[0].number" },
  { "nested null number", P, PATCH, "phones", "[{\"number\": null}]", "phones[0].number" },
  { "nested unknown enum", P, FULL, "alerts",
    "[{\"kind\": \"interpreter\", \"text\": \"Polish\"}, {\"kind\": \"grumpy\"}]", "alerts[1].kind" },
  { "nested unknown field", P, FULL, "phones", "[{\"number\": \"+447700900123\", \"extn\": \"4\"}]",
    "phones[0].extn" },
  { "nested not an object", P, FULL, "phones", "[{\"number\": \"+447700900123\"}, \"+447700900124\"]",
    "phones[1]" },
  { "nested null item", P, FULL, "alerts", "[null]", "alerts[0]" },
  { "nested route field", T, FULL, "route", "{\"kind\": \"teleport\"}", "route.kind" },
  { "nested duty period", signpost_clinician_get_type, FULL, "duty",
    "[{\"start\": \"2026-11-23T08:00:00Z\", \"end\": \"2026-11-23T13:00:00Z\"},"
    " {\"start\": \"2026-11-23T08:00:00Z\", \"end\": \"yesterday\"}]", "duty[1].end" },
  /* lengths */
  { "list too long", P, FULL, "phones",
    "[{\"number\": \"+447700900100\"}, {\"number\": \"+447700900101\"}, {\"number\": \"+447700900102\"},"
    " {\"number\": \"+447700900103\"}, {\"number\": \"+447700900104\"}, {\"number\": \"+447700900105\"},"
    " {\"number\": \"+447700900106\"}, {\"number\": \"+447700900107\"}, {\"number\": \"+447700900108\"},"
    " {\"number\": \"+447700900109\"}, {\"number\": \"+447700900110\"}]", "phones" },
  { "bad item in a string list", signpost_practice_get_type, FULL, "lines",
    "[\"+441632960000\", \"01632 960001\"]", "lines[1]" },
  { "bad item in an enum list", signpost_user_get_type, FULL, "roles", "[\"navigator\", \"pilot\"]",
    "roles[1]" },
  { "bad red flag key", T, FULL, "red_flags", "[\"Chest Pain\"]", "red_flags[0]" },
  { "bad route profession", T, FULL, "route", "{\"kind\": \"profession\", \"profession\": \"wizard\"}",
    "route.profession" },
  /* rules across fields */
  { "route to a clinician without one", T, FULL, "route", "{\"kind\": \"clinician\"}",
    "route.clinician_id" },
  { "route to a profession without one", T, FULL, "route", "{\"kind\": \"profession\"}",
    "route.profession" },
  { "signpost without a service", T, FULL, "route", "{\"kind\": \"signpost\", \"signpost\": null}",
    "route.signpost" },
  { "red flag with routine urgency", T, FULL, "urgency", "\"routine\"", "urgency" },
  { "red flag within two weeks", T, CREATE, "urgency", "\"within_2_weeks\"", "urgency" },
  { "duty period ends before it starts", signpost_duty_period_get_type, FULL, "end",
    "\"2026-11-23T07:59:59Z\"", "end" },
  { "duty period of no length", signpost_duty_period_get_type, FULL, "end",
    "\"2026-11-23T08:00:00Z\"", "end" },
  /* JSON fields and protocol objects */
  { "data not an object", signpost_mutation_get_type, FULL, "data", "[1]", "data" },
  { "data a string", signpost_mutation_get_type, FULL, "data", "\"{}\"", "data" },
  { "mutation without id", signpost_mutation_get_type, CREATE, "mutation_id", NULL, "mutation_id" },
  { "unknown op", signpost_mutation_get_type, FULL, "op", "\"frobnicate\"", "op" },
  { "unknown record type", signpost_mutation_get_type, FULL, "type", "\"audit\"", "type" },
  { "negative base version", signpost_mutation_get_type, FULL, "base_version", "-1", "base_version" },
  { "change seq zero", signpost_change_get_type, FULL, "seq", "0", "seq" },
  { "result status unknown", signpost_mutation_result_get_type, FULL, "status", "\"maybe\"", "status" },
};

#undef P
#undef T
#undef FULL
#undef CREATE
#undef PATCH

static SignpostObject *
make_sample_for_reject (GType type)
{
  if (type == SIGNPOST_TYPE_DUTY_PERIOD)
    return SIGNPOST_OBJECT (make_duty ("2026-11-23T08:00:00Z", "2026-11-23T13:00:00Z"));
  return make_sample (type);
}

static void
test_reject (gconstpointer data)
{
  const RejectCase *c = data;
  GType type = c->get_type ();
  g_autoptr(SignpostObject) sample = make_sample_for_reject (type);
  g_autoptr(JsonObject) object = signpost_object_to_json (sample);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SignpostObject) decoded = NULL;
  g_autofree char *field = NULL;

  if (c->value == NULL)
    {
      g_assert_true (json_object_has_member (object, c->key));
      json_object_remove_member (object, c->key);
    }
  else
    json_object_set_member (object, c->key, json (c->value));
  text = signpost_json_object_to_string (object, NULL);
  g_test_message ("%s: %s", c->name, text);

  decoded = signpost_object_new_from_string (type, text, strlen (text), c->mode, &error);
  g_assert_null (decoded);
  g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID);
  g_assert_cmpuint (signpost_error_http_status (error), ==, 422);
  field = signpost_error_dup_field (error);
  g_test_message ("→ %s", error->message);
  g_assert_cmpstr (field, ==, c->field);
  g_assert_cmpstr (signpost_error_get_detail (error), !=, "");
  if (c->field != NULL)
    g_assert_true (g_str_has_prefix (error->message, c->field));

  /* The same document through update_from_json leaves the sample as it
   * was. */
  {
    g_autoptr(SignpostObject) before = signpost_object_copy (sample);
    g_autoptr(JsonObject) bad = signpost_json_parse_object (text, strlen (text), 0, NULL);
    g_autoptr(GError) update_error = NULL;

    g_assert_nonnull (bad);
    g_assert_false (signpost_object_update_from_json (sample, bad, c->mode, &update_error));
    g_assert_error (update_error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID);
    g_assert_true (signpost_object_equal (sample, before));
  }
}

static void
test_reject_not_object (void)
{
  static const char * const cases[] = { "[]", "null", "\"patient\"", "42", "{", "" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SignpostPatient) patient =
        signpost_object_new_from_string (SIGNPOST_TYPE_PATIENT, cases[i], strlen (cases[i]),
                                         SIGNPOST_DECODE_FULL, &error);

      g_assert_null (patient);
      g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_MALFORMED);
    }
}

/* ---- decode modes ------------------------------------------------------- */

static void
test_decode_create (void)
{
  g_autoptr(SignpostPatient) sample = make_patient ();
  g_autoptr(JsonObject) object = signpost_object_to_json (SIGNPOST_OBJECT (sample));
  g_autoptr(GError) error = NULL;
  g_autoptr(SignpostPatient) created = NULL;

  /* Server fields with garbage in them are ignored, not checked. */
  json_object_set_string_member (object, "updated_at", "whenever");
  json_object_set_int_member (object, "version", 99);
  created = signpost_object_new_from_json (SIGNPOST_TYPE_PATIENT, object, SIGNPOST_DECODE_CREATE,
                                           &error);
  g_assert_no_error (error);
  g_assert_null (signpost_record_get_id (SIGNPOST_RECORD (created)));
  g_assert_cmpint (signpost_record_get_version (SIGNPOST_RECORD (created)), ==, 0);
  g_assert_null (signpost_record_get_updated_at (SIGNPOST_RECORD (created)));
  g_assert_cmpint (signpost_record_get_seq (SIGNPOST_RECORD (created)), ==, 0);
  /* Client fields are all there. */
  g_assert_cmpstr (signpost_record_get_practice_id (SIGNPOST_RECORD (created)), ==, PRACTICE_ID);
  g_assert_cmpstr (signpost_patient_get_given_name (created), ==, "Zofia");
  g_assert_cmpuint (g_list_model_get_n_items (signpost_patient_get_phones (created)), ==, 2);

  /* Server fields may be left out entirely. */
  {
    g_autoptr(SignpostPatient) again = NULL;

    json_object_remove_member (object, "id");
    json_object_remove_member (object, "version");
    json_object_remove_member (object, "updated_at");
    json_object_remove_member (object, "seq");
    again = signpost_object_new_from_json (SIGNPOST_TYPE_PATIENT, object, SIGNPOST_DECODE_CREATE,
                                           &error);
    g_assert_no_error (error);
    g_assert_true (signpost_object_equal (SIGNPOST_OBJECT (created), SIGNPOST_OBJECT (again)));
  }

  /* … but in a full record they are required. */
  {
    g_autoptr(SignpostPatient) full =
      signpost_object_new_from_json (SIGNPOST_TYPE_PATIENT, object, SIGNPOST_DECODE_FULL, &error);
    g_autofree char *field = NULL;

    g_assert_null (full);
    g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID);
    field = signpost_error_dup_field (error);
    g_assert_cmpstr (field, ==, "id");
  }
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           GPtrArray  *names)
{
  g_ptr_array_add (names, g_strdup (signpost_field_get_json_key (pspec)));
}

static gboolean
names_contain (GPtrArray  *names,
               const char *name)
{
  for (guint i = 0; i < names->len; i++)
    if (g_strcmp0 (g_ptr_array_index (names, i), name) == 0)
      return TRUE;
  return FALSE;
}

static void
test_decode_patch (void)
{
  g_autoptr(SignpostPatient) patient = make_patient ();
  g_autoptr(SignpostPatient) before = signpost_object_copy (SIGNPOST_OBJECT (patient));
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GListModel *phones_before = signpost_patient_get_phones (patient);

  g_signal_connect (patient, "notify", G_CALLBACK (on_notify), names);

  /* Only the keys present change. */
  {
    g_autoptr(JsonObject) patch =
      object_from ("{\"given_name\": \"Zosia\", \"postcode\": null}");
    g_assert_true (signpost_object_update_from_json (SIGNPOST_OBJECT (patient), patch,
                                                     SIGNPOST_DECODE_PATCH, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpstr (signpost_patient_get_given_name (patient), ==, "Zosia");
  g_assert_null (signpost_patient_get_postcode (patient));
  g_assert_cmpstr (signpost_patient_get_family_name (patient), ==, "Testperson");
  g_assert_cmpstr (signpost_patient_get_nhs_number (patient), ==, "9990000018");
  g_assert_cmpint (signpost_record_get_version (SIGNPOST_RECORD (patient)), ==, 7);
  g_assert_true (signpost_patient_get_phones (patient) == phones_before);
  g_assert_cmpuint (names->len, ==, 2);
  g_assert_true (names_contain (names, "given_name"));
  g_assert_true (names_contain (names, "postcode"));

  /* Server fields in a patch are ignored. */
  g_ptr_array_set_size (names, 0);
  {
    g_autoptr(JsonObject) patch =
      object_from ("{\"version\": 99, \"id\": \"x\"}");
    g_assert_true (signpost_object_update_from_json (SIGNPOST_OBJECT (patient), patch,
                                                     SIGNPOST_DECODE_PATCH, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpint (signpost_record_get_version (SIGNPOST_RECORD (patient)), ==, 7);
  g_assert_cmpstr (signpost_record_get_id (SIGNPOST_RECORD (patient)), ==, RECORD_ID);
  g_assert_cmpuint (names->len, ==, 0);

  /* A patch that is partly wrong changes nothing, and says nothing. */
  {
    static const char text[] =
      "{\"given_name\": \"Changed\", \"family_name\": \"Changed\", \"sex\": \"male\","
      " \"phones\": [{\"number\": \"+447700900999\"}], \"temporary\": \"no\"}";
    g_autoptr(SignpostPatient) snapshot = signpost_object_copy (SIGNPOST_OBJECT (patient));
    g_autoptr(JsonObject) patch = signpost_json_parse_object (text, strlen (text), 0, &error);
    g_autofree char *field = NULL;

    g_assert_no_error (error);
    g_assert_false (signpost_object_update_from_json (SIGNPOST_OBJECT (patient), patch,
                                                      SIGNPOST_DECODE_PATCH, &error));
    g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID);
    field = signpost_error_dup_field (error);
    g_assert_cmpstr (field, ==, "temporary");
    g_clear_error (&error);
    g_assert_true (signpost_object_equal (SIGNPOST_OBJECT (patient), SIGNPOST_OBJECT (snapshot)));
    g_assert_cmpstr (signpost_patient_get_given_name (patient), ==, "Zosia");
    g_assert_true (signpost_patient_get_phones (patient) == phones_before);
    g_assert_cmpuint (names->len, ==, 0);
  }

  /* The same without the bad member applies, replacing the list. */
  {
    static const char text[] =
      "{\"given_name\": \"Changed\", \"phones\": [{\"number\": \"+447700900999\"}]}";
    g_autoptr(JsonObject) patch = signpost_json_parse_object (text, strlen (text), 0, &error);
    g_autoptr(SignpostPhone) phone = NULL;

    g_assert_true (signpost_object_update_from_json (SIGNPOST_OBJECT (patient), patch,
                                                     SIGNPOST_DECODE_PATCH, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (signpost_patient_get_phones (patient)), ==, 1);
    phone = g_list_model_get_item (signpost_patient_get_phones (patient), 0);
    g_assert_cmpstr (signpost_phone_get_number (phone), ==, "+447700900999");
    /* A list item is new client data: its defaults apply. */
    g_assert_cmpint (signpost_phone_get_kind (phone), ==, SIGNPOST_PHONE_KIND_MOBILE);
    g_assert_cmpuint (names->len, ==, 2);
  }

  g_assert_false (signpost_object_equal (SIGNPOST_OBJECT (patient), SIGNPOST_OBJECT (before)));
}

static void
test_decode_patch_rules (void)
{
  /* The rules across fields see the patched whole: a triage with red flags
   * cannot be patched down to routine, and stays as it was. */
  g_autoptr(SignpostTriage) triage = make_triage ();
  g_autoptr(SignpostTriage) before = signpost_object_copy (SIGNPOST_OBJECT (triage));
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *field = NULL;

  g_signal_connect (triage, "notify", G_CALLBACK (on_notify), names);
  {
    g_autoptr(JsonObject) patch =
      object_from ("{\"urgency\": \"routine\", \"reason\": \"x\"}");
    g_assert_false (signpost_object_update_from_json (SIGNPOST_OBJECT (triage), patch,
                                                      SIGNPOST_DECODE_PATCH, &error));
  }
  g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID);
  field = signpost_error_dup_field (error);
  g_assert_cmpstr (field, ==, "urgency");
  g_clear_error (&error);
  g_assert_true (signpost_object_equal (SIGNPOST_OBJECT (triage), SIGNPOST_OBJECT (before)));
  g_assert_cmpuint (names->len, ==, 0);

  /* Clearing the red flags at the same time is fine. */
  {
    g_autoptr(JsonObject) patch =
      object_from ("{\"urgency\": \"routine\", \"red_flags\": []}");
    g_assert_true (signpost_object_update_from_json (SIGNPOST_OBJECT (triage), patch,
                                                     SIGNPOST_DECODE_PATCH, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpint (signpost_triage_get_urgency (triage), ==, SIGNPOST_URGENCY_ROUTINE);
  g_assert_cmpuint (g_strv_length ((char **) signpost_triage_get_red_flags (triage)), ==, 0);

  /* A nested object in a patch is replaced whole and checked whole. */
  {
    g_autoptr(JsonObject) patch =
      object_from ("{\"route\": {\"kind\": \"signpost\"}}");
    g_autofree char *route_field = NULL;

    g_assert_no_error (error);
    g_assert_false (signpost_object_update_from_json (SIGNPOST_OBJECT (triage), patch,
                                                      SIGNPOST_DECODE_PATCH, &error));
    route_field = signpost_error_dup_field (error);
    g_assert_cmpstr (route_field, ==, "route.signpost");
    g_clear_error (&error);
    g_assert_cmpint (signpost_route_get_kind (signpost_triage_get_route (triage)), ==,
                     SIGNPOST_ROUTE_CLINICIAN);
  }
}

static void
test_decode_full_update (void)
{
  /* A full update resets what the document leaves out. */
  g_autoptr(SignpostPatient) patient = make_patient ();
  g_autoptr(SignpostPatient) other = make_patient ();
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;

  signpost_patient_set_postcode (other, NULL);
  signpost_patient_set_phones (other, NULL);
  signpost_patient_set_given_name (other, "Other");
  object = signpost_object_to_json (SIGNPOST_OBJECT (other));
  json_object_remove_member (object, "postcode");
  json_object_remove_member (object, "phones");
  g_assert_true (signpost_object_update_from_json (SIGNPOST_OBJECT (patient), object,
                                                   SIGNPOST_DECODE_FULL, &error));
  g_assert_no_error (error);
  g_assert_true (signpost_object_equal (SIGNPOST_OBJECT (patient), SIGNPOST_OBJECT (other)));
  g_assert_null (signpost_patient_get_postcode (patient));
}

/* ---- notify ------------------------------------------------------------- */

static void
test_notify (void)
{
  g_autoptr(SignpostPatient) patient = signpost_patient_new ();
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDateTime) t1 = ts ("2026-11-23T08:00:00Z");
  g_autoptr(GTimeZone) india = g_time_zone_new_offset (5 * 3600 + 1800);
  g_autoptr(GDateTime) t1_again = g_date_time_to_timezone (t1, india);
  g_autoptr(GDateTime) t2 = ts ("2026-11-23T08:00:00.001Z");
  g_autoptr(GListStore) phones = g_list_store_new (SIGNPOST_TYPE_PHONE);
  g_autoptr(GListStore) phones_again = g_list_store_new (SIGNPOST_TYPE_PHONE);
  g_autoptr(SignpostPhone) phone = make_phone ("+447700900123", SIGNPOST_PHONE_KIND_MOBILE);
  g_autoptr(SignpostPhone) phone_again = make_phone ("+447700900123", SIGNPOST_PHONE_KIND_MOBILE);
  g_autofree char *name = g_strdup ("Zofia");

  g_signal_connect (patient, "notify", G_CALLBACK (on_notify), names);

  signpost_patient_set_given_name (patient, "Zofia");
  g_assert_cmpuint (names->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (names, 0), ==, "given_name");
  signpost_patient_set_given_name (patient, "Zofia");
  signpost_patient_set_given_name (patient, name); /* equal, not the same pointer */
  g_assert_cmpuint (names->len, ==, 1);
  signpost_patient_set_given_name (patient, "Zosia");
  g_assert_cmpuint (names->len, ==, 2);
  signpost_patient_set_given_name (patient, NULL);
  signpost_patient_set_given_name (patient, NULL);
  g_assert_cmpuint (names->len, ==, 3);

  /* The default counts as the current value. */
  signpost_patient_set_sex (patient, SIGNPOST_SEX_UNKNOWN);
  signpost_patient_set_temporary (patient, FALSE);
  g_assert_cmpuint (names->len, ==, 3);
  signpost_patient_set_sex (patient, SIGNPOST_SEX_MALE);
  signpost_patient_set_sex (patient, SIGNPOST_SEX_MALE);
  signpost_patient_set_temporary (patient, TRUE);
  signpost_patient_set_temporary (patient, 2); /* still true */
  g_assert_cmpuint (names->len, ==, 5);

  signpost_record_set_version (SIGNPOST_RECORD (patient), 0);
  g_assert_cmpuint (names->len, ==, 5);
  signpost_record_set_version (SIGNPOST_RECORD (patient), 3);
  signpost_record_set_version (SIGNPOST_RECORD (patient), 3);
  g_assert_cmpuint (names->len, ==, 6);
  g_assert_cmpstr (g_ptr_array_index (names, 5), ==, "version");

  /* Instants compare as instants, whatever their zone. */
  signpost_record_set_updated_at (SIGNPOST_RECORD (patient), t1);
  signpost_record_set_updated_at (SIGNPOST_RECORD (patient), t1_again);
  g_assert_cmpuint (names->len, ==, 7);
  signpost_record_set_updated_at (SIGNPOST_RECORD (patient), t2);
  g_assert_cmpuint (names->len, ==, 8);

  /* Lists compare by content. */
  g_list_store_append (phones, phone);
  g_list_store_append (phones_again, phone_again);
  signpost_patient_set_phones (patient, G_LIST_MODEL (phones));
  g_assert_cmpuint (names->len, ==, 9);
  signpost_patient_set_phones (patient, G_LIST_MODEL (phones_again));
  g_assert_cmpuint (names->len, ==, 9);
  g_assert_true (signpost_patient_get_phones (patient) == G_LIST_MODEL (phones));

  /* The GObject property interface follows the same rule. */
  g_object_set (patient, "family_name", "Testperson", NULL);
  g_object_set (patient, "family_name", "Testperson", NULL);
  g_assert_cmpuint (names->len, ==, 10);
  {
    g_autofree char *family = NULL;
    g_object_get (patient, "family_name", &family, NULL);
    g_assert_cmpstr (family, ==, "Testperson");
  }

  /* Assign notifies only what differs. */
  {
    g_autoptr(SignpostPatient) source = signpost_object_copy (SIGNPOST_OBJECT (patient));

    signpost_patient_set_postcode (source, "LS1 4AP");
    g_ptr_array_set_size (names, 0);
    signpost_object_assign (SIGNPOST_OBJECT (patient), SIGNPOST_OBJECT (source));
    g_assert_cmpuint (names->len, ==, 1);
    g_assert_cmpstr (g_ptr_array_index (names, 0), ==, "postcode");
  }

  /* Patching in the same values says nothing. */
  {
    g_autoptr(JsonObject) same = signpost_object_to_json (SIGNPOST_OBJECT (patient));
    g_autoptr(GError) error = NULL;

    g_autoptr(GList) members = json_object_get_members (same);

    /* Nulls for required fields would be refused: leave them out. */
    for (GList *l = members; l != NULL; l = l->next)
      if (json_object_get_null_member (same, l->data))
        json_object_remove_member (same, l->data);
    g_assert_cmpuint (json_object_get_size (same), >, 5);
    g_ptr_array_set_size (names, 0);
    g_assert_true (signpost_object_update_from_json (SIGNPOST_OBJECT (patient), same,
                                                     SIGNPOST_DECODE_PATCH, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (names->len, ==, 0);
  }
}

/* ---- copy and equal ----------------------------------------------------- */

static void
test_copy_deep (void)
{
  g_autoptr(SignpostPatient) patient = make_patient ();
  g_autoptr(SignpostPatient) copy = signpost_object_copy (SIGNPOST_OBJECT (patient));
  GListModel *phones = signpost_patient_get_phones (patient);
  GListModel *copied_phones = signpost_patient_get_phones (copy);
  g_autoptr(SignpostPhone) phone = NULL;
  g_autoptr(SignpostPhone) copied_phone = NULL;

  g_assert_true (signpost_object_equal (SIGNPOST_OBJECT (patient), SIGNPOST_OBJECT (copy)));
  g_assert_true (copied_phones != phones);
  g_assert_cmpuint (g_list_model_get_n_items (copied_phones), ==, 2);
  phone = g_list_model_get_item (phones, 1);
  copied_phone = g_list_model_get_item (copied_phones, 1);
  g_assert_true (phone != copied_phone);

  /* Changing an item of the copy leaves the original alone. */
  signpost_phone_set_number (copied_phone, "+441174960999");
  g_assert_cmpstr (signpost_phone_get_number (phone), ==, "+441174960123");
  g_assert_false (signpost_object_equal (SIGNPOST_OBJECT (patient), SIGNPOST_OBJECT (copy)));
  signpost_phone_set_number (copied_phone, "+441174960123");
  g_assert_true (signpost_object_equal (SIGNPOST_OBJECT (patient), SIGNPOST_OBJECT (copy)));

  /* So does adding to the copy's list. */
  {
    g_autoptr(SignpostPhone) extra = make_phone ("+447700900555", SIGNPOST_PHONE_KIND_WORK);
    g_list_store_append (G_LIST_STORE (copied_phones), extra);
  }
  g_assert_cmpuint (g_list_model_get_n_items (phones), ==, 2);
  g_assert_false (signpost_object_equal (SIGNPOST_OBJECT (patient), SIGNPOST_OBJECT (copy)));
}

static void
test_copy_nested_object (void)
{
  g_autoptr(SignpostTriage) triage = make_triage ();
  g_autoptr(SignpostTriage) copy = signpost_object_copy (SIGNPOST_OBJECT (triage));
  SignpostRoute *route = signpost_triage_get_route (triage);
  SignpostRoute *copied_route = signpost_triage_get_route (copy);

  g_assert_true (route != copied_route);
  g_assert_true (signpost_object_equal (SIGNPOST_OBJECT (route), SIGNPOST_OBJECT (copied_route)));
  signpost_route_set_kind (copied_route, SIGNPOST_ROUTE_DUTY);
  g_assert_cmpint (signpost_route_get_kind (route), ==, SIGNPOST_ROUTE_CLINICIAN);
  g_assert_false (signpost_object_equal (SIGNPOST_OBJECT (triage), SIGNPOST_OBJECT (copy)));

  /* The red flags are copied too. */
  g_assert_true (signpost_triage_get_red_flags (triage) != signpost_triage_get_red_flags (copy));
}

static void
test_equal (void)
{
  g_autoptr(SignpostPatient) a = make_patient ();
  g_autoptr(SignpostPatient) b = make_patient ();
  g_autoptr(SignpostClinician) c = make_clinician ();
  g_autoptr(SignpostPatient) empty = signpost_patient_new ();
  g_autoptr(SignpostPatient) empty_too = signpost_patient_new ();

  g_assert_true (signpost_object_equal (SIGNPOST_OBJECT (a), SIGNPOST_OBJECT (a)));
  g_assert_true (signpost_object_equal (SIGNPOST_OBJECT (a), SIGNPOST_OBJECT (b)));
  g_assert_false (signpost_object_equal (SIGNPOST_OBJECT (a), SIGNPOST_OBJECT (c)));
  g_assert_false (signpost_object_equal (SIGNPOST_OBJECT (a), NULL));
  g_assert_false (signpost_object_equal (NULL, SIGNPOST_OBJECT (a)));
  g_assert_true (signpost_object_equal (NULL, NULL));
  g_assert_true (signpost_object_equal (SIGNPOST_OBJECT (empty), SIGNPOST_OBJECT (empty_too)));
  g_assert_false (signpost_object_equal (SIGNPOST_OBJECT (a), SIGNPOST_OBJECT (empty)));

  /* A list with no items differs from no list only in presence; each
   * field kind is compared by value. */
  signpost_patient_set_temporary (b, TRUE);
  g_assert_false (signpost_object_equal (SIGNPOST_OBJECT (a), SIGNPOST_OBJECT (b)));
  signpost_patient_set_temporary (b, FALSE);
  signpost_patient_set_alerts (b, NULL);
  g_assert_false (signpost_object_equal (SIGNPOST_OBJECT (a), SIGNPOST_OBJECT (b)));

  {
    g_autoptr(SignpostMutation) m1 = make_mutation ();
    g_autoptr(SignpostMutation) m2 = make_mutation ();
    g_autoptr(JsonNode) other = json ("{\"patient_id\": \"" PATIENT_ID "\"}");

    g_assert_true (signpost_object_equal (SIGNPOST_OBJECT (m1), SIGNPOST_OBJECT (m2)));
    signpost_mutation_set_data (m2, other);
    g_assert_false (signpost_object_equal (SIGNPOST_OBJECT (m1), SIGNPOST_OBJECT (m2)));
    signpost_mutation_set_data (m2, NULL);
    g_assert_false (signpost_object_equal (SIGNPOST_OBJECT (m1), SIGNPOST_OBJECT (m2)));
  }
}

/* ---- fields and errors -------------------------------------------------- */

static void
test_fields (void)
{
  SignpostObjectClass *klass = g_type_class_ref (SIGNPOST_TYPE_PATIENT);
  guint n_fields = 0;
  GParamSpec **fields = signpost_object_class_list_fields (klass, &n_fields);
  GParamSpec *nhs = signpost_object_class_find_field (klass, "nhs_number");
  GParamSpec *id = signpost_object_class_find_field (klass, "id");

  /* Five record fields, then the patient's twelve. */
  g_assert_cmpuint (n_fields, ==, 17);
  g_assert_cmpstr (signpost_field_get_json_key (fields[0]), ==, "id");
  g_assert_cmpstr (signpost_field_get_json_key (fields[5]), ==, "nhs_number");
  g_assert_nonnull (nhs);
  g_assert_cmpint (signpost_field_get_flags (nhs), ==, 0);
  g_assert_cmpint (signpost_field_get_flags (id), ==, SIGNPOST_FIELD_REQUIRED | SIGNPOST_FIELD_SERVER);
  g_assert_null (signpost_object_class_find_field (klass, "nhs-number"));
  g_assert_null (signpost_object_class_find_field (klass, "favourite_colour"));
  g_type_class_unref (klass);
}

static void
test_error_paths (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *field = NULL;

  signpost_set_field_error (&error, SIGNPOST_ERROR_INVALID, "number", "must be %s", "E.164");
  g_assert_cmpstr (error->message, ==, "number: must be E.164");
  signpost_error_prefix_field (&error, "phones[1]");
  g_assert_cmpstr (error->message, ==, "phones[1].number: must be E.164");
  field = signpost_error_dup_field (error);
  g_assert_cmpstr (field, ==, "phones[1].number");
  g_assert_cmpstr (signpost_error_get_detail (error), ==, "must be E.164");
  g_clear_error (&error);
  g_clear_pointer (&field, g_free);

  /* A message with no field gets the parent's path. */
  signpost_set_field_error (&error, SIGNPOST_ERROR_INVALID, NULL, "is not right");
  g_assert_null (signpost_error_dup_field (error));
  signpost_error_prefix_field (&error, "route");
  field = signpost_error_dup_field (error);
  g_assert_cmpstr (field, ==, "route");
  g_assert_cmpstr (signpost_error_get_detail (error), ==, "is not right");
  g_clear_error (&error);

  /* Messages that merely contain ": " do not make a field. */
  g_set_error_literal (&error, SIGNPOST_ERROR, SIGNPOST_ERROR_MALFORMED,
                       "The body is not valid JSON: <data>:1:1: Parse error");
  g_assert_null (signpost_error_dup_field (error));
  g_assert_cmpstr (signpost_error_get_detail (error), ==, error->message);
  g_assert_null (signpost_error_dup_field (NULL));
  g_assert_null (signpost_error_get_detail (NULL));

  g_assert_cmpuint (signpost_error_code_from_http_status (422), ==, SIGNPOST_ERROR_INVALID);
  g_assert_cmpuint (signpost_error_code_from_http_status (409), ==, SIGNPOST_ERROR_CONFLICT);
  g_assert_cmpuint (signpost_error_code_from_http_status (500), ==, SIGNPOST_ERROR_FAILED);
  g_assert_cmpuint (signpost_error_code_from_http_status (418), ==, SIGNPOST_ERROR_MALFORMED);
  g_assert_cmpstr (signpost_error_code_nick (SIGNPOST_ERROR_TOO_LARGE), ==, "too-large");
}

int
main (int   argc,
      char *argv[])
{
  static const struct {
    const char *name;
    GType (*get_type) (void);
  } types[] = {
    { "practice", signpost_practice_get_type },
    { "user", signpost_user_get_type },
    { "clinician", signpost_clinician_get_type },
    { "patient", signpost_patient_get_type },
    { "call", signpost_call_get_type },
    { "triage", signpost_triage_get_type },
    { "slot", signpost_slot_get_type },
    { "appointment", signpost_appointment_get_type },
    { "change", signpost_change_get_type },
    { "mutation", signpost_mutation_get_type },
    { "mutation-result", signpost_mutation_result_get_type },
  };

  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autofree char *path = g_strdup_printf ("/signpost/model/round-trip/%s", types[i].name);
      g_test_add_data_func (path, GSIZE_TO_POINTER (types[i].get_type ()), test_round_trip_type);
    }
  g_test_add_func ("/signpost/model/round-trip/record-kinds", test_round_trip_record_kinds);
  g_test_add_func ("/signpost/model/round-trip/values", test_round_trip_values);
  g_test_add_func ("/signpost/model/round-trip/minimal", test_round_trip_minimal);

  for (guint i = 0; i < G_N_ELEMENTS (reject_cases); i++)
    {
      g_autofree char *slug = g_strdelimit (g_strdup (reject_cases[i].name), " ()", '-');
      g_autofree char *path = g_strdup_printf ("/signpost/model/reject/%s", slug);
      g_test_add_data_func (path, &reject_cases[i], test_reject);
    }
  g_test_add_func ("/signpost/model/reject/not-an-object", test_reject_not_object);

  g_test_add_func ("/signpost/model/decode/create", test_decode_create);
  g_test_add_func ("/signpost/model/decode/patch", test_decode_patch);
  g_test_add_func ("/signpost/model/decode/patch-rules", test_decode_patch_rules);
  g_test_add_func ("/signpost/model/decode/full-update", test_decode_full_update);
  g_test_add_func ("/signpost/model/notify", test_notify);
  g_test_add_func ("/signpost/model/copy/deep", test_copy_deep);
  g_test_add_func ("/signpost/model/copy/nested-object", test_copy_nested_object);
  g_test_add_func ("/signpost/model/equal", test_equal);
  g_test_add_func ("/signpost/model/fields", test_fields);
  g_test_add_func ("/signpost/model/error-paths", test_error_paths);

  return g_test_run ();
}
