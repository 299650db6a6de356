/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "signpost-sync.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_BOOKING_CONFLICT_DIALOG (signpost_booking_conflict_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SignpostBookingConflictDialog, signpost_booking_conflict_dialog,
                      SIGNPOST, BOOKING_CONFLICT_DIALOG, AdwWindow)

/* A booking of ours that the server did not take (the slot was taken by
 * someone else first, online or while this PC was offline; or it was
 * refused): says so at once, offers the nearest free slots (same clinician
 * or profession, same type, nearest in time) to book with one click, or
 * choosing in the diary, or giving the booking up. Closing it leaves the
 * booking in the list of changes that need a decision: never dropped.
 * ::resolved (const char *message) when a choice was made;
 * ::choose-in-diary (SignpostOutboxItem *item) before the item is given up
 * so the page can search for the same patient. */
SignpostBookingConflictDialog *signpost_booking_conflict_dialog_new              (GtkWindow          *parent,
                                                                                   SignpostActions    *actions,
                                                                                   SignpostOutboxItem *item);
const char                    *signpost_booking_conflict_dialog_get_mutation_id  (SignpostBookingConflictDialog *self);
const char                    *signpost_booking_conflict_dialog_get_message      (SignpostBookingConflictDialog *self);
GListModel                    *signpost_booking_conflict_dialog_get_alternatives (SignpostBookingConflictDialog *self);
/* Books the alternative at @position instead (the one-click re-pick). */
gboolean                       signpost_booking_conflict_dialog_rebook           (SignpostBookingConflictDialog *self,
                                                                                   guint                          position);
gboolean                       signpost_booking_conflict_dialog_give_up          (SignpostBookingConflictDialog *self);

G_END_DECLS
