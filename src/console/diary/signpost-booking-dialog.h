/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "signpost-sync.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_BOOKING_DIALOG (signpost_booking_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SignpostBookingDialog, signpost_booking_dialog, SIGNPOST, BOOKING_DIALOG, AdwWindow)

/* Booking one free slot: the slot, the patient (from the triage record,
 * the call, or a search), the reason; warns when the patient is already
 * booked that day; "Book" saves it through the outbox (pending until the
 * server has it) and emits ::booked (const char *label). */
SignpostBookingDialog *signpost_booking_dialog_new          (GtkWindow             *parent,
                                                             SignpostActions       *actions,
                                                             SignpostSlot          *slot);
void                   signpost_booking_dialog_set_patient  (SignpostBookingDialog *self,
                                                             SignpostPatient       *patient);
SignpostPatient       *signpost_booking_dialog_get_patient  (SignpostBookingDialog *self);
void                   signpost_booking_dialog_set_reason   (SignpostBookingDialog *self,
                                                             const char            *reason);
void                   signpost_booking_dialog_set_triage_id (SignpostBookingDialog *self,
                                                              const char            *triage_id);
SignpostSlot          *signpost_booking_dialog_get_slot     (SignpostBookingDialog *self);
/* The warning shown (already booked that day), or NULL. */
const char            *signpost_booking_dialog_get_warning  (SignpostBookingDialog *self);
/* Why "Book" did nothing, or NULL. */
const char            *signpost_booking_dialog_get_error    (SignpostBookingDialog *self);
/* What the Book button does; TRUE when the booking is saved. */
gboolean               signpost_booking_dialog_book         (SignpostBookingDialog *self);

G_END_DECLS
