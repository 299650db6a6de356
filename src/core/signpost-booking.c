/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-core"

#include "config.h"

#include "signpost-booking.h"
#include "signpost-time.h"

SignpostSlotBookability
signpost_slot_check_bookable (SignpostSlot             *slot,
                              SignpostAppointment      *live_appointment,
                              const SignpostSlotBooker *booker)
{
  GDateTime *release_at;
  const char *practice_id;

  g_return_val_if_fail (SIGNPOST_IS_SLOT (slot), SIGNPOST_SLOT_NOT_FREE);
  g_return_val_if_fail (live_appointment == NULL || SIGNPOST_IS_APPOINTMENT (live_appointment),
                        SIGNPOST_SLOT_NOT_FREE);
  g_return_val_if_fail (booker != NULL && booker->now != NULL, SIGNPOST_SLOT_NOT_FREE);

  if (signpost_slot_get_status (slot) != SIGNPOST_SLOT_FREE ||
      (live_appointment != NULL &&
       signpost_appointment_get_status (live_appointment) != SIGNPOST_APPOINTMENT_CANCELLED))
    return SIGNPOST_SLOT_NOT_FREE;
  if (signpost_slot_get_start (slot) == NULL ||
      g_date_time_compare (signpost_slot_get_start (slot), booker->now) <= 0)
    return SIGNPOST_SLOT_STARTED;
  release_at = signpost_slot_get_release_at (slot);
  if (release_at != NULL && g_date_time_compare (release_at, booker->now) > 0)
    return SIGNPOST_SLOT_EMBARGOED;
  /* Practice-only slots are for the practice's own staff. */
  practice_id = signpost_record_get_practice_id (SIGNPOST_RECORD (slot));
  if (!signpost_slot_get_hub_bookable (slot) &&
      (booker->hub || booker->practice_ids == NULL || practice_id == NULL ||
       !g_strv_contains (booker->practice_ids, practice_id)))
    return SIGNPOST_SLOT_PRACTICE_ONLY;
  return SIGNPOST_SLOT_BOOKABLE;
}

/* ---- the command's data ----------------------------------------------------------- */

SignpostBooking *
signpost_booking_new (const char *appointment_id,
                      const char *patient_id,
                      const char *reason,
                      const char *triage_id)
{
  SignpostBooking *self = g_new0 (SignpostBooking, 1);

  self->appointment_id = g_strdup (appointment_id);
  self->patient_id = g_strdup (patient_id);
  self->reason = g_strdup (reason);
  self->triage_id = g_strdup (triage_id);
  return self;
}

void
signpost_booking_free (SignpostBooking *self)
{
  if (self == NULL)
    return;
  g_free (self->appointment_id);
  g_free (self->patient_id);
  g_free (self->reason);
  g_free (self->triage_id);
  g_free (self);
}

JsonObject *
signpost_booking_to_json (const SignpostBooking *self)
{
  JsonObject *data = json_object_new ();

  g_return_val_if_fail (self != NULL, data);

  if (self->appointment_id != NULL)
    json_object_set_string_member (data, "appointment_id", self->appointment_id);
  if (self->patient_id != NULL)
    json_object_set_string_member (data, "patient_id", self->patient_id);
  if (self->reason != NULL)
    json_object_set_string_member (data, "reason", self->reason);
  if (self->triage_id != NULL)
    json_object_set_string_member (data, "triage_id", self->triage_id);
  return data;
}

static const char *
string_member (JsonObject *data,
               const char *key)
{
  JsonNode *node = json_object_get_member (data, key);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

SignpostBooking *
signpost_booking_new_from_json (JsonObject *data)
{
  if (data == NULL)
    return NULL;
  return signpost_booking_new (string_member (data, "appointment_id"), string_member (data, "patient_id"),
                               string_member (data, "reason"), string_member (data, "triage_id"));
}

/* ---- what booking and cancelling do ----------------------------------------------- */

SignpostAppointment *
signpost_slot_book (SignpostSlot          *slot,
                    const SignpostBooking *booking,
                    const char            *booked_by)
{
  SignpostAppointment *appointment;

  g_return_val_if_fail (SIGNPOST_IS_SLOT (slot), NULL);
  g_return_val_if_fail (booking != NULL, NULL);

  appointment = signpost_appointment_new ();
  signpost_record_set_id (SIGNPOST_RECORD (appointment), booking->appointment_id);
  signpost_record_set_practice_id (SIGNPOST_RECORD (appointment),
                                   signpost_record_get_practice_id (SIGNPOST_RECORD (slot)));
  signpost_appointment_set_slot_id (appointment, signpost_record_get_id (SIGNPOST_RECORD (slot)));
  signpost_appointment_set_patient_id (appointment, booking->patient_id);
  signpost_appointment_set_reason (appointment, booking->reason);
  signpost_appointment_set_status (appointment, SIGNPOST_APPOINTMENT_BOOKED);
  signpost_appointment_set_booked_by (appointment, booked_by);
  signpost_appointment_set_triage_id (appointment, booking->triage_id);

  signpost_slot_set_status (slot, SIGNPOST_SLOT_BOOKED);
  return appointment;
}

void
signpost_triage_note_booking (SignpostTriage *triage,
                              const char     *appointment_id)
{
  g_return_if_fail (SIGNPOST_IS_TRIAGE (triage));

  signpost_triage_set_appointment_id (triage, appointment_id);
  signpost_triage_set_status (triage, SIGNPOST_TRIAGE_BOOKED);
  signpost_triage_set_outcome (triage, SIGNPOST_OUTCOME_BOOKED);
}

void
signpost_slot_cancel_booking (SignpostSlot        *slot,
                              SignpostAppointment *appointment,
                              const char          *reason)
{
  g_return_if_fail (slot == NULL || SIGNPOST_IS_SLOT (slot));
  g_return_if_fail (appointment == NULL || SIGNPOST_IS_APPOINTMENT (appointment));

  if (appointment != NULL)
    {
      signpost_appointment_set_status (appointment, SIGNPOST_APPOINTMENT_CANCELLED);
      signpost_appointment_set_cancel_reason (appointment, reason);
    }
  if (slot != NULL && signpost_slot_get_status (slot) == SIGNPOST_SLOT_BOOKED)
    signpost_slot_set_status (slot, SIGNPOST_SLOT_FREE);
}

void
signpost_slot_get_local_day (SignpostSlot  *slot,
                             GTimeZone     *tz,
                             GDateTime    **from,
                             GDateTime    **to)
{
  GDate day, next;

  g_return_if_fail (SIGNPOST_IS_SLOT (slot) && signpost_slot_get_start (slot) != NULL);
  g_return_if_fail (tz != NULL && from != NULL && to != NULL);

  signpost_local_date (signpost_slot_get_start (slot), tz, &day);
  next = day;
  g_date_add_days (&next, 1);
  *from = signpost_local_time_to_utc (&day, 0, 0, tz);
  *to = signpost_local_time_to_utc (&next, 0, 0, tz);
}
