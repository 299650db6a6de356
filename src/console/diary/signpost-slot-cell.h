/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "signpost-diary-day.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_SLOT_CELL (signpost_slot_cell_get_type ())
G_DECLARE_FINAL_TYPE (SignpostSlotCell, signpost_slot_cell, SIGNPOST, SLOT_CELL, GtkWidget)

/* One clinician's slot at one time in the diary grid: the time, the mode
 * (icon and word), what the slot is (free, booked, blocked, embargoed
 * until 08:00, practice only) and, when booked, the patient, the reason
 * and the appointment's status. Words beside every colour. Follows the
 * row's ::changed while bound; ::clicked on a click, Enter or Space. */
SignpostSlotCell *signpost_slot_cell_new     (void);
void              signpost_slot_cell_bind    (SignpostSlotCell         *self,
                                              SignpostDiaryDay         *day,
                                              SignpostDiaryRow         *row,
                                              const char               *clinician_id,
                                              const SignpostSlotBooker *booker);
void              signpost_slot_cell_unbind  (SignpostSlotCell         *self);
SignpostSlot     *signpost_slot_cell_get_slot (SignpostSlotCell        *self);
/* What the cell says, as one line (its accessible label). */
const char       *signpost_slot_cell_get_text (SignpostSlotCell        *self);

G_END_DECLS
