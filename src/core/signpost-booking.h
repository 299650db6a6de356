/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "signpost-appointment.h"
#include "signpost-slot.h"
#include "signpost-triage.h"

G_BEGIN_DECLS

/*
 * Booking, as one rule for the server and the console alike (PROTOCOL.md,
 * Booking rules): whether a slot may be booked by this user now, what a
 * booking or a cancellation does to the slot, its appointment and the
 * request it came from, and which day counts as "the same day" for the
 * "already booked today" warning. The server's `book` and `cancel`
 * commands apply these; the console's slot search, booking dialogs and
 * optimistic (not yet sent) bookings follow them, so a slot the console
 * offers is one the server takes. No GTK, no storage here.
 */

/**
 * SignpostSlotBooker:
 * @hub: a hub navigator: practice-only slots are not theirs to book
 * @practice_ids: the practices the user works for (%NULL-terminated)
 * @now: the time to judge by (release times, slots already started)
 *
 * Who is booking, and when.
 */
typedef struct {
  gboolean hub;
  const char * const *practice_ids;
  GDateTime *now;
} SignpostSlotBooker;

/**
 * SignpostSlotBookability:
 * @SIGNPOST_SLOT_BOOKABLE: the slot may be booked
 * @SIGNPOST_SLOT_NOT_FREE: booked or blocked, or it holds a live appointment
 * @SIGNPOST_SLOT_STARTED: it starts at or before now
 * @SIGNPOST_SLOT_EMBARGOED: its release time is still to come
 * @SIGNPOST_SLOT_PRACTICE_ONLY: for the practice's own staff, and the user
 *   is a hub navigator or not one of them
 *
 * Why a slot cannot be booked, checked in this order (the server answers
 * the first as a conflict and the others as rejections).
 */
typedef enum {
  SIGNPOST_SLOT_BOOKABLE,
  SIGNPOST_SLOT_NOT_FREE,
  SIGNPOST_SLOT_STARTED,
  SIGNPOST_SLOT_EMBARGOED,
  SIGNPOST_SLOT_PRACTICE_ONLY,
} SignpostSlotBookability;

/* @live_appointment: the slot's live appointment as far as the caller
 * knows, or NULL when it has none. */
SignpostSlotBookability signpost_slot_check_bookable   (SignpostSlot             *slot,
                                                        SignpostAppointment      *live_appointment,
                                                        const SignpostSlotBooker *booker);

/**
 * SignpostBooking:
 * @appointment_id: the new appointment's id, minted by whoever books
 * @patient_id: who is booked
 * @reason: (nullable): why, in the patient's or navigator's words
 * @triage_id: (nullable): the navigation request the booking answers
 *
 * The `book` command's data (PROTOCOL.md, Mutations).
 */
typedef struct {
  char *appointment_id;
  char *patient_id;
  char *reason;
  char *triage_id;
} SignpostBooking;

SignpostBooking     *signpost_booking_new            (const char             *appointment_id,
                                                      const char             *patient_id,
                                                      const char             *reason,
                                                      const char             *triage_id);
void                 signpost_booking_free           (SignpostBooking        *self);
/* The command's data, and back (NULL when @data is not a booking's). */
JsonObject          *signpost_booking_to_json        (const SignpostBooking  *self);
SignpostBooking     *signpost_booking_new_from_json  (JsonObject             *data);

/* What booking does: @slot becomes booked and the appointment it returns
 * holds the booking (status booked, @booked_by, in the slot's practice). */
SignpostAppointment *signpost_slot_book              (SignpostSlot           *slot,
                                                      const SignpostBooking  *booking,
                                                      const char             *booked_by);
/* The request a booking answers is booked with it. */
void                 signpost_triage_note_booking    (SignpostTriage         *triage,
                                                      const char             *appointment_id);
/* What cancelling does: @appointment (the slot's live one, if known) is
 * cancelled with @reason, and a booked @slot is free again. */
void                 signpost_slot_cancel_booking    (SignpostSlot           *slot,
                                                      SignpostAppointment    *appointment,
                                                      const char             *reason);

/* The practice's local day of @slot's start, as [@from, @to) in UTC: what
 * "already booked that day" means. */
void                 signpost_slot_get_local_day     (SignpostSlot           *slot,
                                                      GTimeZone              *tz,
                                                      GDateTime             **from,
                                                      GDateTime             **to);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SignpostBooking, signpost_booking_free)

G_END_DECLS
