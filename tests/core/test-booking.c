/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "signpost-core.h"

/* The booking rule the server and the console share (signpost-booking.h):
 * who may book which slot when, what a booking and a cancellation do, the
 * book command's data, and the practice's day around the clock change. */

#define PRACTICE_A "6e71a7cd-07fc-4aeb-8bef-a9aa5f8bc001"
#define PRACTICE_B "6e71a7cd-07fc-4aeb-8bef-a9aa5f8bc002"
#define SLOT_ID "5a1b2c3d-0000-4000-8000-000000000001"
#define APPOINTMENT_ID "5a1b2c3d-0000-4000-8000-000000000002"
#define PATIENT_ID "5a1b2c3d-0000-4000-8000-000000000003"
#define TRIAGE_ID "5a1b2c3d-0000-4000-8000-000000000004"
#define USER_ID "5a1b2c3d-0000-4000-8000-000000000005"

static SignpostSlot *
make_slot (const char         *practice_id,
           GDateTime          *start,
           GDateTime          *release_at,
           gboolean            hub_bookable,
           SignpostSlotStatus  status)
{
  SignpostSlot *slot = signpost_slot_new ();

  signpost_record_set_id (SIGNPOST_RECORD (slot), SLOT_ID);
  signpost_record_set_practice_id (SIGNPOST_RECORD (slot), practice_id);
  signpost_slot_set_start (slot, start);
  signpost_slot_set_duration_minutes (slot, 10);
  signpost_slot_set_release_at (slot, release_at);
  signpost_slot_set_hub_bookable (slot, hub_bookable);
  signpost_slot_set_status (slot, status);
  return slot;
}

static void
test_bookable (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 23, 7, 30, 0);
  g_autoptr(GDateTime) later = g_date_time_add_hours (now, 2);
  g_autoptr(GDateTime) earlier = g_date_time_add_minutes (now, -5);
  g_autoptr(GDateTime) release_soon = g_date_time_add_minutes (now, 30);
  const char * const practice_a[] = { PRACTICE_A, NULL };
  const char * const practice_b[] = { PRACTICE_B, NULL };
  SignpostSlotBooker staff = { FALSE, practice_a, now };
  SignpostSlotBooker other = { FALSE, practice_b, now };
  SignpostSlotBooker hub = { TRUE, practice_a, now };
  SignpostSlotBooker nobody = { FALSE, NULL, now };
  g_autoptr(SignpostSlot) open_slot = make_slot (PRACTICE_A, later, NULL, TRUE, SIGNPOST_SLOT_FREE);
  g_autoptr(SignpostSlot) own_only = make_slot (PRACTICE_A, later, NULL, FALSE, SIGNPOST_SLOT_FREE);
  g_autoptr(SignpostSlot) embargoed = make_slot (PRACTICE_A, later, release_soon, TRUE, SIGNPOST_SLOT_FREE);
  g_autoptr(SignpostSlot) released = make_slot (PRACTICE_A, later, earlier, FALSE, SIGNPOST_SLOT_FREE);
  g_autoptr(SignpostSlot) started = make_slot (PRACTICE_A, earlier, NULL, TRUE, SIGNPOST_SLOT_FREE);
  g_autoptr(SignpostSlot) starting_now = make_slot (PRACTICE_A, now, NULL, TRUE, SIGNPOST_SLOT_FREE);
  g_autoptr(SignpostSlot) blocked = make_slot (PRACTICE_A, later, NULL, TRUE, SIGNPOST_SLOT_BLOCKED);
  g_autoptr(SignpostSlot) booked = make_slot (PRACTICE_A, later, NULL, TRUE, SIGNPOST_SLOT_BOOKED);
  g_autoptr(SignpostAppointment) live = signpost_appointment_new ();
  g_autoptr(SignpostAppointment) cancelled = signpost_appointment_new ();

  signpost_appointment_set_status (live, SIGNPOST_APPOINTMENT_BOOKED);
  signpost_appointment_set_status (cancelled, SIGNPOST_APPOINTMENT_CANCELLED);

  g_assert_cmpint (signpost_slot_check_bookable (open_slot, NULL, &staff), ==, SIGNPOST_SLOT_BOOKABLE);
  g_assert_cmpint (signpost_slot_check_bookable (open_slot, NULL, &other), ==, SIGNPOST_SLOT_BOOKABLE);
  g_assert_cmpint (signpost_slot_check_bookable (open_slot, NULL, &hub), ==, SIGNPOST_SLOT_BOOKABLE);
  /* A live appointment holds a slot whatever its status says; a
   * cancelled one does not. */
  g_assert_cmpint (signpost_slot_check_bookable (open_slot, live, &staff), ==, SIGNPOST_SLOT_NOT_FREE);
  g_assert_cmpint (signpost_slot_check_bookable (open_slot, cancelled, &staff), ==, SIGNPOST_SLOT_BOOKABLE);

  /* Practice-only: the practice's own (non-hub) staff only. */
  g_assert_cmpint (signpost_slot_check_bookable (own_only, NULL, &staff), ==, SIGNPOST_SLOT_BOOKABLE);
  g_assert_cmpint (signpost_slot_check_bookable (own_only, NULL, &other), ==, SIGNPOST_SLOT_PRACTICE_ONLY);
  g_assert_cmpint (signpost_slot_check_bookable (own_only, NULL, &hub), ==, SIGNPOST_SLOT_PRACTICE_ONLY);
  g_assert_cmpint (signpost_slot_check_bookable (own_only, NULL, &nobody), ==, SIGNPOST_SLOT_PRACTICE_ONLY);

  g_assert_cmpint (signpost_slot_check_bookable (embargoed, NULL, &staff), ==, SIGNPOST_SLOT_EMBARGOED);
  g_assert_cmpint (signpost_slot_check_bookable (released, NULL, &staff), ==, SIGNPOST_SLOT_BOOKABLE);
  g_assert_cmpint (signpost_slot_check_bookable (released, NULL, &hub), ==, SIGNPOST_SLOT_PRACTICE_ONLY);
  g_assert_cmpint (signpost_slot_check_bookable (started, NULL, &staff), ==, SIGNPOST_SLOT_STARTED);
  g_assert_cmpint (signpost_slot_check_bookable (starting_now, NULL, &staff), ==, SIGNPOST_SLOT_STARTED);
  g_assert_cmpint (signpost_slot_check_bookable (blocked, NULL, &staff), ==, SIGNPOST_SLOT_NOT_FREE);
  g_assert_cmpint (signpost_slot_check_bookable (booked, NULL, &hub), ==, SIGNPOST_SLOT_NOT_FREE);

  /* The order the server answers in: taken before started before
   * embargoed before practice-only. */
  {
    g_autoptr(SignpostSlot) everything = make_slot (PRACTICE_A, earlier, release_soon, FALSE, SIGNPOST_SLOT_BOOKED);

    g_assert_cmpint (signpost_slot_check_bookable (everything, NULL, &hub), ==, SIGNPOST_SLOT_NOT_FREE);
    signpost_slot_set_status (everything, SIGNPOST_SLOT_FREE);
    g_assert_cmpint (signpost_slot_check_bookable (everything, NULL, &hub), ==, SIGNPOST_SLOT_STARTED);
    signpost_slot_set_start (everything, later);
    g_assert_cmpint (signpost_slot_check_bookable (everything, NULL, &hub), ==, SIGNPOST_SLOT_EMBARGOED);
    signpost_slot_set_release_at (everything, NULL);
    g_assert_cmpint (signpost_slot_check_bookable (everything, NULL, &hub), ==, SIGNPOST_SLOT_PRACTICE_ONLY);
  }
}

static void
test_book_and_cancel (void)
{
  g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 11, 23, 9, 10, 0);
  g_autoptr(SignpostSlot) slot = make_slot (PRACTICE_A, start, NULL, TRUE, SIGNPOST_SLOT_FREE);
  g_autoptr(SignpostBooking) booking = signpost_booking_new (APPOINTMENT_ID, PATIENT_ID, "Cough for 3 weeks", TRIAGE_ID);
  g_autoptr(SignpostAppointment) appointment = NULL;
  g_autoptr(SignpostTriage) triage = signpost_triage_new ();

  appointment = signpost_slot_book (slot, booking, USER_ID);
  g_assert_cmpint (signpost_slot_get_status (slot), ==, SIGNPOST_SLOT_BOOKED);
  g_assert_cmpstr (signpost_record_get_id (SIGNPOST_RECORD (appointment)), ==, APPOINTMENT_ID);
  g_assert_cmpstr (signpost_record_get_practice_id (SIGNPOST_RECORD (appointment)), ==, PRACTICE_A);
  g_assert_cmpstr (signpost_appointment_get_slot_id (appointment), ==, SLOT_ID);
  g_assert_cmpstr (signpost_appointment_get_patient_id (appointment), ==, PATIENT_ID);
  g_assert_cmpstr (signpost_appointment_get_reason (appointment), ==, "Cough for 3 weeks");
  g_assert_cmpstr (signpost_appointment_get_triage_id (appointment), ==, TRIAGE_ID);
  g_assert_cmpstr (signpost_appointment_get_booked_by (appointment), ==, USER_ID);
  g_assert_cmpint (signpost_appointment_get_status (appointment), ==, SIGNPOST_APPOINTMENT_BOOKED);

  signpost_triage_note_booking (triage, APPOINTMENT_ID);
  g_assert_cmpstr (signpost_triage_get_appointment_id (triage), ==, APPOINTMENT_ID);
  g_assert_cmpint (signpost_triage_get_status (triage), ==, SIGNPOST_TRIAGE_BOOKED);
  g_assert_cmpint (signpost_triage_get_outcome (triage), ==, SIGNPOST_OUTCOME_BOOKED);

  signpost_slot_cancel_booking (slot, appointment, "Feels better");
  g_assert_cmpint (signpost_slot_get_status (slot), ==, SIGNPOST_SLOT_FREE);
  g_assert_cmpint (signpost_appointment_get_status (appointment), ==, SIGNPOST_APPOINTMENT_CANCELLED);
  g_assert_cmpstr (signpost_appointment_get_cancel_reason (appointment), ==, "Feels better");

  /* Cancelling never unblocks. */
  signpost_slot_set_status (slot, SIGNPOST_SLOT_BLOCKED);
  signpost_slot_cancel_booking (slot, NULL, NULL);
  g_assert_cmpint (signpost_slot_get_status (slot), ==, SIGNPOST_SLOT_BLOCKED);
}

static void
test_booking_json (void)
{
  g_autoptr(SignpostBooking) booking = signpost_booking_new (APPOINTMENT_ID, PATIENT_ID, NULL, TRIAGE_ID);
  g_autoptr(JsonObject) data = signpost_booking_to_json (booking);
  g_autoptr(SignpostBooking) back = NULL;
  g_autoptr(JsonObject) wrong = json_object_new ();
  g_autoptr(SignpostBooking) from_wrong = NULL;

  g_assert_cmpuint (json_object_get_size (data), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (data, "appointment_id"), ==, APPOINTMENT_ID);
  g_assert_cmpstr (json_object_get_string_member (data, "patient_id"), ==, PATIENT_ID);
  g_assert_cmpstr (json_object_get_string_member (data, "triage_id"), ==, TRIAGE_ID);
  g_assert_false (json_object_has_member (data, "reason"));

  back = signpost_booking_new_from_json (data);
  g_assert_cmpstr (back->appointment_id, ==, APPOINTMENT_ID);
  g_assert_cmpstr (back->patient_id, ==, PATIENT_ID);
  g_assert_null (back->reason);
  g_assert_cmpstr (back->triage_id, ==, TRIAGE_ID);

  /* Members of the wrong type are not read as strings. */
  json_object_set_int_member (wrong, "patient_id", 7);
  json_object_set_null_member (wrong, "reason");
  from_wrong = signpost_booking_new_from_json (wrong);
  g_assert_null (from_wrong->patient_id);
  g_assert_null (from_wrong->reason);
  g_assert_null (signpost_booking_new_from_json (NULL));
}

static void
test_local_day (void)
{
  g_autoptr(GTimeZone) london = g_time_zone_new_identifier ("Europe/London");
  /* 00:30 BST on the day the clocks go back (25 October 2026), a 25-hour day. */
  g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 10, 24, 23, 30, 0);
  g_autoptr(SignpostSlot) slot = make_slot (PRACTICE_A, start, NULL, TRUE, SIGNPOST_SLOT_FREE);
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;

  g_assert_nonnull (london);
  signpost_slot_get_local_day (slot, london, &from, &to);
  from_text = g_date_time_format_iso8601 (from);
  to_text = g_date_time_format_iso8601 (to);
  g_assert_cmpstr (from_text, ==, "2026-10-24T23:00:00Z");
  g_assert_cmpstr (to_text, ==, "2026-10-26T00:00:00Z");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/booking/bookable", test_bookable);
  g_test_add_func ("/signpost/booking/book-and-cancel", test_book_and_cancel);
  g_test_add_func ("/signpost/booking/json", test_booking_json);
  g_test_add_func ("/signpost/booking/local-day", test_local_day);

  return g_test_run ();
}
